/*
 * Gateway profiles (see profile.h): the parser of the profile text format, the
 * built-in profiles, and the comparison of IKE SA offers with a profile.
 * Transform names and numbers: IANA IKEv2 registries (RFC 7296 §3.3.2);
 * IKEv1 phase 1 attributes (RFC 2409 App. A) are mapped onto them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diagnose/profile.h"
#include "dissect/ikev1_names.h"
#include "dissect/ikev2_names.h"

/*
 * The built-in profiles: Azure VPN gateways with their default IPsec/IKE
 * parameters (no custom IPsec/IKE policy on the connection).  Each fact names
 * its source.  "seed NNN:L" is line L of ../shared/seeds/NNN_*.txt (Azure's
 * own FAQ and troubleshooting pages).  The seeds state the encryption
 * algorithms, the authentication method and the idle teardown, but not the IKE
 * version, hash or DH group per gateway type; those come from the page both
 * seeds send the reader to for the parameters (seed 002:138 "About VPN devices
 * and IPsec/IKE parameters for Site-to-Site VPN Gateway connections", seed
 * 004:110 "vpn-gateway-about-vpn-devices.md"): MicrosoftDocs/azure-docs
 * articles/vpn-gateway/vpn-gateway-about-vpn-devices.md (ms.date 06/29/2016,
 * the era of the seeds), table "IKE Phase 1 setup", cited below as [devices].
 * Newer gateways accept more (IKEv1 on route-based gateways, custom
 * policies): give those a profile file.
 */
static const char azure_policy_based[] =
    "name azure-policy-based\n"
    /* [devices] IKE Version: Policy-based IKEv1, Route-based IKEv2; seed 004:55
     * "policy-based" = "static routing" gateway. */
    "ike-version 1\n"
    /* seed 002:138 "For policy-based routing, the Azure VPN gateway supports the
     * AES256, AES128, and 3DES encryption algorithms." ([devices] the same) */
    "encr AES_CBC_256 AES_CBC_128 3DES\n"
    /* [devices] Hashing Algorithm, Policy-based: SHA1(SHA128) */
    "integ HMAC_SHA1_96\n"
    /* [devices] Diffie-Hellman Group: Group 2 (1024 bit) */
    "dh MODP_1024\n"
    /* seed 004:73 "Azure VPN 使用 PSK（预共享密钥）身份验证", 004:79 "我们仅限使用预共享密钥
     * (PSK) 进行身份验证" (pre-shared keys only); [devices] Authentication Method:
     * Pre-Shared Key */
    "auth psk\n"
    /* seed 004:112-113: a policy-based (static routing) gateway destroys the
     * tunnel when its traffic has been idle for more than 5 minutes, and
     * rebuilds it as soon as traffic flows in either direction. */
    "idle-teardown 300\n";

static const char azure_route_based[] =
    "name azure-route-based\n"
    /* [devices] IKE Version: Route-based IKEv2; seed 001:146 and 001:356 point-to-site
     * needs VPN type RouteBased (IKEv2 clients, 001:64-74). */
    "ike-version 2\n"
    /* seed 002:138 "Route-based gateways support AES256 and 3DES." ([devices] the same) */
    "encr AES_CBC_256 3DES\n"
    /* [devices] Hashing Algorithm, Route-based: SHA1(SHA128), SHA2(SHA256); in
     * IKEv2 the hash serves as integrity and as PRF. */
    "integ HMAC_SHA1_96 HMAC_SHA2_256_128\n"
    "prf PRF_HMAC_SHA1 PRF_HMAC_SHA2_256\n"
    /* [devices] Diffie-Hellman Group: Group 2 (1024 bit) */
    "dh MODP_1024\n"
    /* seed 004:73, 004:76 (the pre-shared key API serves route-based gateways too), 004:79 */
    "auth psk\n";

static const struct {
	const char *name;
	const char *text;
} builtins[] = {
    {"azure-policy-based", azure_policy_based},
    {"azure-route-based", azure_route_based},
};

const char *
profile_builtin_names(void)
{
	return "azure-policy-based, azure-route-based";
}

int
profile_builtin(struct profile *p, const char *name, char *err, size_t errlen)
{
	for (size_t i = 0; i < ARRAY_LEN(builtins); i++)
		if (strcmp(builtins[i].name, name) == 0)
			return profile_parse(p, builtins[i].text, strlen(builtins[i].text),
					     builtins[i].name, err, errlen);
	snprintf(err, errlen, "no built-in profile named '%s'", name);
	return -ENOENT;
}

/* ---- names ---- */

struct alias {
	const char *name;
	uint16_t id, keylen;
};

/* Names other tools use (Azure's policy vocabulary, strongSwan's keywords). */
static const struct alias encr_aliases[] = {
    {"AES128", IKEV2_ENCR_AES_CBC, 128},
    {"AES192", IKEV2_ENCR_AES_CBC, 192},
    {"AES256", IKEV2_ENCR_AES_CBC, 256},
    {"GCMAES128", IKEV2_ENCR_AES_GCM_16, 128},
    {"GCMAES192", IKEV2_ENCR_AES_GCM_16, 192},
    {"GCMAES256", IKEV2_ENCR_AES_GCM_16, 256},
    {"DES3", IKEV2_ENCR_3DES, 0},
};
static const struct alias integ_aliases[] = {
    {"NONE", IKEV2_INTEG_NONE, 0},
    {"MD5", IKEV2_INTEG_HMAC_MD5_96, 0},
    {"SHA", IKEV2_INTEG_HMAC_SHA1_96, 0},
    {"SHA1", IKEV2_INTEG_HMAC_SHA1_96, 0},
    {"SHA256", IKEV2_INTEG_HMAC_SHA2_256_128, 0},
    {"SHA384", IKEV2_INTEG_HMAC_SHA2_384_192, 0},
    {"SHA512", IKEV2_INTEG_HMAC_SHA2_512_256, 0},
};
static const struct alias prf_aliases[] = {
    {"MD5", IKEV2_PRF_HMAC_MD5, 0},	    {"SHA", IKEV2_PRF_HMAC_SHA1, 0},
    {"SHA1", IKEV2_PRF_HMAC_SHA1, 0},	    {"SHA256", IKEV2_PRF_HMAC_SHA2_256, 0},
    {"SHA384", IKEV2_PRF_HMAC_SHA2_384, 0}, {"SHA512", IKEV2_PRF_HMAC_SHA2_512, 0},
};
static const struct alias dh_aliases[] = {
    {"ECP256", IKEV2_DH_ECP_256, 0},
    {"ECP384", IKEV2_DH_ECP_384, 0},
    {"DHGROUP2048", IKEV2_DH_MODP_2048, 0},
};
static const struct {
	const char *name;
	uint8_t auth;
} auth_names[] = {
    {"psk", PAUTH_PSK},
    {"rsa", PAUTH_RSA},
    {"dss", PAUTH_DSS},
    {"ecdsa", PAUTH_ECDSA},
    {"xauth-psk", PAUTH_XAUTH_PSK},
    {"xauth-rsa", PAUTH_XAUTH_RSA},
    {"hybrid", PAUTH_HYBRID},
};

static const char *
auth_name(uint8_t a)
{
	for (size_t i = 0; i < ARRAY_LEN(auth_names); i++)
		if (auth_names[i].auth == a)
			return auth_names[i].name;
	return "other";
}

static bool
alias_find(const struct alias *t, size_t n, const char *s, uint16_t *id, uint16_t *keylen)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(t[i].name, s) == 0) {
			*id = t[i].id;
			if (keylen)
				*keylen = t[i].keylen;
			return true;
		}
	return false;
}

/* The ID whose registry name is s (case-insensitive); registries are below 1024. */
static bool
registry_find(const char *(*name)(unsigned), const char *s, uint16_t *id)
{
	for (unsigned v = 1; v < 1024; v++) {
		const char *n = name(v);
		if (n && strcasecmp(n, s) == 0) {
			*id = (uint16_t)v;
			return true;
		}
	}
	return false;
}

static const char *
v1_group_name(unsigned v)
{
	return v <= UINT16_MAX ? ikev1_group_name((uint16_t)v) : NULL;
}

static bool
parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	if (!isdigit((unsigned char)s[0]))
		return false;
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

static bool
encr_lookup(const char *s, uint16_t *id, uint16_t *keylen)
{
	if (alias_find(encr_aliases, ARRAY_LEN(encr_aliases), s, id, keylen))
		return true;
	*keylen = 0;
	if (registry_find(ikev2_encr_name, s, id))
		return true;
	/* NAME_KEYLEN, as in the JSON proposal_chosen: AES_CBC_256, AES_GCM_16_128. */
	const char *us = strrchr(s, '_');
	unsigned long kl;
	if (us == NULL || !parse_uint(us + 1, 1024, &kl) || kl < 40)
		return false;
	char base[64];
	size_t n = (size_t)(us - s);
	if (n == 0 || n >= sizeof(base))
		return false;
	memcpy(base, s, n);
	base[n] = '\0';
	if (!registry_find(ikev2_encr_name, base, id))
		return false;
	*keylen = (uint16_t)kl;
	return true;
}

static bool
dh_lookup(const char *s, uint16_t *id)
{
	unsigned long v;
	if (parse_uint(s, UINT16_MAX, &v) && v > 0) {
		*id = (uint16_t)v;
		return true;
	}
	if (alias_find(dh_aliases, ARRAY_LEN(dh_aliases), s, id, NULL))
		return true;
	/* "group14", "DHGroup14" (Azure) */
	const char *num = NULL;
	if (strncasecmp(s, "dhgroup", 7) == 0)
		num = s + 7;
	else if (strncasecmp(s, "group", 5) == 0)
		num = s + 5;
	if (num && parse_uint(num, UINT16_MAX, &v) && v > 0) {
		*id = (uint16_t)v;
		return true;
	}
	return registry_find(ikev2_dh_name, s, id) || registry_find(v1_group_name, s, id);
}

static void
encr_str(uint16_t id, uint16_t keylen, char *buf, size_t len)
{
	const char *n = ikev2_encr_name(id);
	char num[16];
	if (n == NULL) {
		snprintf(num, sizeof(num), "ENCR_%u", id);
		n = num;
	}
	if (keylen)
		snprintf(buf, len, "%s_%u", n, keylen);
	else
		snprintf(buf, len, "%s", n);
}

static const char *
integ_str(uint16_t id, char *buf, size_t len)
{
	const char *n = id ? ikev2_integ_name(id) : "NONE";
	if (n)
		return n;
	snprintf(buf, len, "INTEG_%u", id);
	return buf;
}

static const char *
prf_str(uint16_t id, char *buf, size_t len)
{
	const char *n = ikev2_prf_name(id);
	if (n)
		return n;
	snprintf(buf, len, "PRF_%u", id);
	return buf;
}

static const char *
dh_str(uint16_t id, char *buf, size_t len)
{
	const char *n = ikev2_dh_name(id);
	if (n == NULL)
		n = ikev1_group_name(id);
	if (n)
		return n;
	snprintf(buf, len, "GROUP_%u", id);
	return buf;
}

/* ---- the text format ---- */

struct parser {
	struct profile *p;
	const char *origin;
	unsigned line;
	char *err;
	size_t errlen;
};

static int perr(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes "ORIGIN:LINE: message" into the caller's buffer; returns -EINVAL. */
static int
perr(struct parser *ps, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errlen, "%s:%u: %s", ps->origin, ps->line, msg);
	return -EINVAL;
}

static bool
add16(uint16_t *list, uint8_t *n, uint16_t v)
{
	for (uint8_t i = 0; i < *n; i++)
		if (list[i] == v)
			return true;
	if (*n >= PROFILE_MAX_ALGS)
		return false;
	list[(*n)++] = v;
	return true;
}

/* One directive with its values (words[0] is the keyword). */
static int
parse_directive(struct parser *ps, char **w, unsigned nw)
{
	struct profile *p = ps->p;
	const char *k = w[0];
	if (nw < 2)
		return perr(ps, "'%s' needs at least one value", k);
	if (strcasecmp(k, "name") == 0) {
		if (nw != 2 || strlen(w[1]) >= sizeof(p->name))
			return perr(ps, "'name' takes one word of at most 63 characters");
		snprintf(p->name, sizeof(p->name), "%s", w[1]);
		return 0;
	}
	if (strcasecmp(k, "idle-teardown") == 0) {
		unsigned long v;
		if (nw != 2 || !parse_uint(w[1], 7 * 86400, &v) || v == 0)
			return perr(ps, "'idle-teardown' takes a number of seconds (1 to 604800)");
		p->idle_teardown_sec = (uint32_t)v;
		return 0;
	}
	for (unsigned i = 1; i < nw; i++) {
		const char *s = w[i];
		uint16_t id = 0, kl = 0;
		bool ok = true;
		if (strcasecmp(k, "ike-version") == 0) {
			if (strcmp(s, "1") == 0 || strcasecmp(s, "ikev1") == 0)
				p->v1 = true;
			else if (strcmp(s, "2") == 0 || strcasecmp(s, "ikev2") == 0)
				p->v2 = true;
			else
				return perr(ps, "IKE version '%s': give 1 or 2", s);
			p->versions_set = true;
		} else if (strcasecmp(k, "encr") == 0) {
			if (!encr_lookup(s, &id, &kl))
				return perr(ps,
					    "unknown encryption '%s' (IKEv2 names with the key "
					    "length: AES_CBC_256, AES_GCM_16_128, 3DES...)",
					    s);
			bool dup = false;
			for (uint8_t j = 0; j < p->nencr; j++)
				dup |= p->encr[j].id == id && p->encr[j].keylen == kl;
			if (!dup) {
				if (p->nencr >= PROFILE_MAX_ALGS)
					ok = false;
				else
					p->encr[p->nencr++] = (struct profile_encr){id, kl};
			}
		} else if (strcasecmp(k, "integ") == 0) {
			if (!alias_find(integ_aliases, ARRAY_LEN(integ_aliases), s, &id, NULL) &&
			    !registry_find(ikev2_integ_name, s, &id))
				return perr(ps,
					    "unknown integrity algorithm '%s' (IKEv2 names: "
					    "HMAC_SHA1_96, HMAC_SHA2_256_128...)",
					    s);
			ok = add16(p->integ, &p->ninteg, id);
		} else if (strcasecmp(k, "prf") == 0) {
			if (!alias_find(prf_aliases, ARRAY_LEN(prf_aliases), s, &id, NULL) &&
			    !registry_find(ikev2_prf_name, s, &id))
				return perr(ps,
					    "unknown PRF '%s' (IKEv2 names: PRF_HMAC_SHA1, "
					    "PRF_HMAC_SHA2_256...)",
					    s);
			ok = add16(p->prf, &p->nprf, id);
		} else if (strcasecmp(k, "dh") == 0) {
			if (!dh_lookup(s, &id))
				return perr(ps,
					    "unknown Diffie-Hellman group '%s' (a group number, or "
					    "MODP_2048, ECP_256...)",
					    s);
			ok = add16(p->dh, &p->ndh, id);
		} else if (strcasecmp(k, "auth") == 0) {
			size_t j = 0;
			while (j < ARRAY_LEN(auth_names) && strcasecmp(auth_names[j].name, s))
				j++;
			if (j == ARRAY_LEN(auth_names))
				return perr(ps,
					    "unknown authentication method '%s' (psk, rsa, dss, "
					    "ecdsa, xauth-psk, xauth-rsa, hybrid)",
					    s);
			bool dup = false;
			for (uint8_t m = 0; m < p->nauth; m++)
				dup |= p->auth[m] == auth_names[j].auth;
			if (!dup) {
				if (p->nauth >= PROFILE_MAX_ALGS)
					ok = false;
				else
					p->auth[p->nauth++] = auth_names[j].auth;
			}
		} else {
			return perr(ps,
				    "unknown directive '%s' (name, ike-version, encr, integ, prf, "
				    "dh, auth, idle-teardown)",
				    k);
		}
		if (!ok)
			return perr(ps, "more than 32 values for '%s'", k);
	}
	return 0;
}

int
profile_parse(struct profile *p, const char *text, size_t len, const char *origin, char *err,
	      size_t errlen)
{
	memset(p, 0, sizeof(*p));
	struct parser ps = {.p = p, .origin = origin, .line = 0, .err = err, .errlen = errlen};
	if (len > PROFILE_MAX_TEXT) {
		snprintf(err, errlen, "%s: larger than %u bytes: not a profile", origin,
			 PROFILE_MAX_TEXT);
		return -EINVAL;
	}
	size_t off = 0;
	while (off < len) {
		ps.line++;
		size_t end = off;
		while (end < len && text[end] != '\n')
			end++;
		char buf[1024];
		size_t n = end - off;
		if (n >= sizeof(buf))
			return perr(&ps, "line longer than 1023 characters");
		memcpy(buf, text + off, n);
		buf[n] = '\0';
		off = end + 1;
		if (memchr(buf, '\0', n))
			return perr(&ps, "NUL byte: not a text file");
		char *hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		char *words[PROFILE_MAX_ALGS + 2];
		unsigned nw = 0;
		for (char *save = NULL, *t = strtok_r(buf, " \t\r\f\v", &save); t;
		     t = strtok_r(NULL, " \t\r\f\v", &save)) {
			if (nw == ARRAY_LEN(words))
				return perr(&ps, "more than 32 values on one line");
			words[nw++] = t;
		}
		if (nw == 0)
			continue;
		int rc = parse_directive(&ps, words, nw);
		if (rc)
			return rc;
	}
	if (!p->versions_set && !p->nencr && !p->ninteg && !p->nprf && !p->ndh && !p->nauth) {
		snprintf(err, errlen,
			 "%s: the profile states nothing to check (give ike-version, encr, integ, "
			 "prf, dh or auth lines)",
			 origin);
		return -EINVAL;
	}
	if (p->name[0] == '\0') {
		const char *base = strrchr(origin, '/');
		snprintf(p->name, sizeof(p->name), "%s", base ? base + 1 : origin);
	}
	return 0;
}

/* ---- offers against a profile ---- */

/* IKEv1 phase 1 encryption (RFC 2409 App. A) -> IKEv2 ENCR ID; 0 = none. */
static uint16_t
v1_encr_to_v2(uint16_t v1)
{
	switch (v1) {
	case IKEV1_ENCR_DES_CBC:
		return IKEV2_ENCR_DES;
	case IKEV1_ENCR_IDEA_CBC:
		return IKEV2_ENCR_IDEA;
	case IKEV1_ENCR_BLOWFISH_CBC:
		return IKEV2_ENCR_BLOWFISH;
	case IKEV1_ENCR_RC5_R16_B64_CBC:
		return IKEV2_ENCR_RC5;
	case IKEV1_ENCR_3DES_CBC:
		return IKEV2_ENCR_3DES;
	case IKEV1_ENCR_CAST_CBC:
		return IKEV2_ENCR_CAST;
	case IKEV1_ENCR_AES_CBC:
		return IKEV2_ENCR_AES_CBC;
	case IKEV1_ENCR_CAMELLIA_CBC:
		return IKEV2_ENCR_CAMELLIA_CBC;
	default:
		return 0;
	}
}

/*
 * IKEv1 phase 1 hash -> the IKEv2 integrity transform of the same hash: in
 * IKEv1 the hash keys the HMAC that authenticates the exchange (HASH_I/R).
 */
static uint16_t
v1_hash_to_v2(uint16_t h)
{
	switch (h) {
	case IKEV1_HASH_MD5:
		return IKEV2_INTEG_HMAC_MD5_96;
	case IKEV1_HASH_SHA:
		return IKEV2_INTEG_HMAC_SHA1_96;
	case IKEV1_HASH_SHA2_256:
		return IKEV2_INTEG_HMAC_SHA2_256_128;
	case IKEV1_HASH_SHA2_384:
		return IKEV2_INTEG_HMAC_SHA2_384_192;
	case IKEV1_HASH_SHA2_512:
		return IKEV2_INTEG_HMAC_SHA2_512_256;
	default:
		return 0;
	}
}

static uint8_t
v1_auth_family(uint16_t a)
{
	switch (a) {
	case IKEV1_AUTH_PSK:
		return PAUTH_PSK;
	case IKEV1_AUTH_DSS_SIG:
		return PAUTH_DSS;
	case IKEV1_AUTH_RSA_SIG:
	case IKEV1_AUTH_RSA_ENC:
	case IKEV1_AUTH_RSA_ENC_REV:
		return PAUTH_RSA;
	case IKEV1_AUTH_ECDSA_SIG:
	case IKEV1_AUTH_ECDSA_SHA256_P256:
	case IKEV1_AUTH_ECDSA_SHA384_P384:
	case IKEV1_AUTH_ECDSA_SHA512_P521:
		return PAUTH_ECDSA;
	case IKEV1_AUTH_XAUTH_INIT_PSK:
	case IKEV1_AUTH_XAUTH_RESP_PSK:
		return PAUTH_XAUTH_PSK;
	case IKEV1_AUTH_XAUTH_INIT_RSA:
	case IKEV1_AUTH_XAUTH_RESP_RSA:
	case IKEV1_AUTH_XAUTH_INIT_RSA_ENC:
	case IKEV1_AUTH_XAUTH_RESP_RSA_ENC:
	case IKEV1_AUTH_XAUTH_INIT_RSA_ENC_REV:
	case IKEV1_AUTH_XAUTH_RESP_RSA_ENC_REV:
		return PAUTH_XAUTH_RSA;
	case IKEV1_AUTH_HYBRID_INIT_RSA:
	case IKEV1_AUTH_HYBRID_RESP_RSA:
	case IKEV1_AUTH_HYBRID_INIT_DSS:
	case IKEV1_AUTH_HYBRID_RESP_DSS:
		return PAUTH_HYBRID;
	default:
		return PAUTH_OTHER;
	}
}

void
profile_offer_norm(uint8_t version, const struct ike_offer *o, struct profile_offer *out)
{
	memset(out, 0, sizeof(*out));
	out->keylen = o->keylen;
	out->dh = o->dh;
	if (version == 1) {
		out->encr = v1_encr_to_v2(o->encr);
		out->integ = v1_hash_to_v2(o->v1_hash);
		out->auth = v1_auth_family(o->v1_auth);
		return;
	}
	out->encr = o->encr;
	out->integ = o->integ;
	out->prf = o->prf;
}

/* Combined-mode ciphers carry their own integrity: no INTEG transform (RFC 5282). */
static bool
encr_is_aead(uint16_t id)
{
	return (id >= IKEV2_ENCR_AES_CCM_8 && id <= IKEV2_ENCR_AES_GCM_16) ||
	       (id >= IKEV2_ENCR_CAMELLIA_CCM_8 && id <= IKEV2_ENCR_CHACHA20_POLY1305_IIV);
}

void
profile_offer_str(const struct profile_offer *o, char *buf, size_t len)
{
	char e[48], b1[16], b2[16], b3[16];
	encr_str(o->encr, o->keylen, e, sizeof(e));
	int n = snprintf(buf, len, "%s", e);
	if (o->integ || !encr_is_aead(o->encr))
		n += snprintf(buf + n, len > (size_t)n ? len - (size_t)n : 0, "/%s",
			      integ_str(o->integ, b1, sizeof(b1)));
	if (o->prf)
		n += snprintf(buf + n, len > (size_t)n ? len - (size_t)n : 0, "/%s",
			      prf_str(o->prf, b2, sizeof(b2)));
	n += snprintf(buf + n, len > (size_t)n ? len - (size_t)n : 0, "/%s",
		      o->dh ? dh_str(o->dh, b3, sizeof(b3)) : "no DH");
	if (o->auth != PAUTH_NONE)
		snprintf(buf + n, len > (size_t)n ? len - (size_t)n : 0, "/%s", auth_name(o->auth));
}

bool
profile_accepts_version(const struct profile *p, uint8_t version)
{
	if (!p->versions_set)
		return true;
	return version == 1 ? p->v1 : version == 2 ? p->v2 : false;
}

static void
why_add(char *why, size_t len, size_t *n, const char *what, const char *name)
{
	if (len == 0)
		return;
	int k = snprintf(why + *n, *n < len ? len - *n : 0, "%s%s %s", *n ? ", " : "", what, name);
	if (k > 0)
		*n += (size_t)k;
}

bool
profile_accepts_offer(const struct profile *p, const struct profile_offer *o, char *why, size_t len)
{
	size_t n = 0;
	char b[48];
	if (len)
		why[0] = '\0';
	if (p->nencr) {
		bool ok = false;
		for (uint8_t i = 0; i < p->nencr && !ok; i++)
			ok = o->encr && p->encr[i].id == o->encr &&
			     (p->encr[i].keylen == 0 || p->encr[i].keylen == o->keylen);
		if (!ok) {
			encr_str(o->encr, o->keylen, b, sizeof(b));
			why_add(why, len, &n, "encryption", b);
		}
	}
	/* An AEAD offer has no integrity transform: nothing to compare. */
	if (p->ninteg && !(o->integ == 0 && encr_is_aead(o->encr))) {
		bool ok = false;
		for (uint8_t i = 0; i < p->ninteg && !ok; i++)
			ok = p->integ[i] == o->integ;
		if (!ok)
			why_add(why, len, &n, "integrity", integ_str(o->integ, b, sizeof(b)));
	}
	/* IKEv1 negotiates no separate PRF (the hash serves): prf 0 is not compared. */
	if (p->nprf && o->prf) {
		bool ok = false;
		for (uint8_t i = 0; i < p->nprf && !ok; i++)
			ok = p->prf[i] == o->prf;
		if (!ok)
			why_add(why, len, &n, "PRF", prf_str(o->prf, b, sizeof(b)));
	}
	if (p->ndh) {
		bool ok = false;
		for (uint8_t i = 0; i < p->ndh && !ok; i++)
			ok = p->dh[i] == o->dh;
		if (!ok)
			why_add(why, len, &n, "DH", o->dh ? dh_str(o->dh, b, sizeof(b)) : "none");
	}
	if (p->nauth && o->auth != PAUTH_NONE) {
		bool ok = false;
		for (uint8_t i = 0; i < p->nauth && !ok; i++)
			ok = p->auth[i] == o->auth;
		if (!ok)
			why_add(why, len, &n, "authentication", auth_name(o->auth));
	}
	return n == 0;
}

static void
desc_add(char *buf, size_t len, size_t *n, const char *s)
{
	int k = snprintf(buf + *n, *n < len ? len - *n : 0, "%s", s);
	if (k > 0)
		*n += (size_t)k;
}

void
profile_describe(const struct profile *p, char *buf, size_t len)
{
	size_t n = 0;
	char b[48];
	if (len)
		buf[0] = '\0';
	if (p->versions_set)
		desc_add(buf, len, &n,
			 p->v1 && p->v2 ? "IKEv1 or IKEv2"
			 : p->v1	? "IKEv1 only"
					: "IKEv2 only");
	if (p->nencr) {
		desc_add(buf, len, &n, n ? "; encr" : "encr");
		for (uint8_t i = 0; i < p->nencr; i++) {
			encr_str(p->encr[i].id, p->encr[i].keylen, b, sizeof(b));
			desc_add(buf, len, &n, " ");
			desc_add(buf, len, &n, b);
		}
	}
	if (p->ninteg) {
		desc_add(buf, len, &n, n ? "; integ" : "integ");
		for (uint8_t i = 0; i < p->ninteg; i++) {
			desc_add(buf, len, &n, " ");
			desc_add(buf, len, &n, integ_str(p->integ[i], b, sizeof(b)));
		}
	}
	if (p->nprf) {
		desc_add(buf, len, &n, n ? "; prf" : "prf");
		for (uint8_t i = 0; i < p->nprf; i++) {
			desc_add(buf, len, &n, " ");
			desc_add(buf, len, &n, prf_str(p->prf[i], b, sizeof(b)));
		}
	}
	if (p->ndh) {
		desc_add(buf, len, &n, n ? "; dh" : "dh");
		for (uint8_t i = 0; i < p->ndh; i++) {
			desc_add(buf, len, &n, " ");
			desc_add(buf, len, &n, dh_str(p->dh[i], b, sizeof(b)));
		}
	}
	if (p->nauth) {
		desc_add(buf, len, &n, n ? "; auth" : "auth");
		for (uint8_t i = 0; i < p->nauth; i++) {
			desc_add(buf, len, &n, " ");
			desc_add(buf, len, &n, auth_name(p->auth[i]));
		}
	}
}
