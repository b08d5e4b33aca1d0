/*
 * `ikescope probe`: options into a struct probe_opts (probe/probe.h).  The
 * algorithm lists (--encr, --integ, --prf, --dh) and --profile are read by
 * the profile parser (diagnose/profile.h), so that they take the same names
 * as profiles and the JSON records.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/probe_cmd.h"
#include "diagnose/profile.h"
#include "dissect/ikev1_names.h"
#include "dissect/ikev2_names.h"
#include "probe/probe.h"

enum {
	PO_JSON = 256,
	PO_IKEV1,
	PO_IKEV2,
	PO_AGGRESSIVE,
	PO_ID,
	PO_PORT,
	PO_SPORT,
	PO_PROFILE,
	PO_ENUMERATE,
	PO_ENCR,
	PO_INTEG,
	PO_PRF,
	PO_DH,
	PO_RATE,
	PO_MAX,
	PO_RETRIES,
	PO_TIMEOUT,
};

static const struct option probe_long[] = {
    {"json", no_argument, NULL, PO_JSON},
    {"ikev1", no_argument, NULL, PO_IKEV1},
    {"ikev2", no_argument, NULL, PO_IKEV2},
    {"aggressive", no_argument, NULL, PO_AGGRESSIVE},
    {"id", required_argument, NULL, PO_ID},
    {"port", required_argument, NULL, PO_PORT},
    {"sport", required_argument, NULL, PO_SPORT},
    {"profile", required_argument, NULL, PO_PROFILE},
    {"enumerate", no_argument, NULL, PO_ENUMERATE},
    {"encr", required_argument, NULL, PO_ENCR},
    {"integ", required_argument, NULL, PO_INTEG},
    {"prf", required_argument, NULL, PO_PRF},
    {"dh", required_argument, NULL, PO_DH},
    {"rate", required_argument, NULL, PO_RATE},
    {"max-probes", required_argument, NULL, PO_MAX},
    {"retries", required_argument, NULL, PO_RETRIES},
    {"timeout", required_argument, NULL, PO_TIMEOUT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

void
probe_usage(FILE *f)
{
	fputs("Usage: ikescope probe [options] HOST\n"
	      "\n"
	      "Sends IKE requests to HOST (UDP 500, or 4500 with the non-ESP marker) and\n"
	      "reports what it answers: the proposal it chose or NO_PROPOSAL_CHOSEN,\n"
	      "INVALID_KE_PAYLOAD (then probes again with the group it wants), COOKIE\n"
	      "(sent back once), vendor IDs, IKE fragmentation, NAT between the two, the\n"
	      "round-trip time; or no response, or ICMP unreachable.  Needs root.\n"
	      "\n"
	      "Options:\n"
	      "  --ikev1, --ikev2   IKEv1 main mode first message, or IKEv2 IKE_SA_INIT\n"
	      "                     (the default)\n"
	      "  --aggressive --id ID  IKEv1 aggressive mode with identity ID\n"
	      "  --port 500|4500    destination port (default 500)\n"
	      "  --sport N          source port (default: an ephemeral port)\n"
	      "  -i IFACE, -s ADDR  send from IFACE / from source address ADDR\n"
	      "  -4, -6             resolve HOST to IPv4 / IPv6 only\n"
	      "  --profile NAME|FILE  offer exactly a gateway profile's algorithms\n"
	      "  --encr, --integ, --prf, --dh LIST  offer these (comma-separated names as\n"
	      "                     in the JSON records, e.g. AES_CBC_256,MODP_2048); with\n"
	      "                     --enumerate, the candidates\n"
	      "  --enumerate        one probe per encryption/integrity/DH combination;\n"
	      "                     lists those accepted\n"
	      "  --rate N           at most N datagrams per second (default 10)\n"
	      "  --max-probes N     --enumerate sends at most N probes (default 200)\n"
	      "  --retries N        sends after the first when unanswered (default 2)\n"
	      "  --timeout SEC      wait for the first answer (default 1; doubles per retry)\n"
	      "  --json             one NDJSON `probe` record per probe\n"
	      "Exit status: 0 done (whatever the peer answered), 1 runtime error (not root,\n"
	      "unresolvable host, interface without address), 2 usage error.\n",
	      f);
}

static int
num_arg(const char *opt, const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < min || v > max) {
		fprintf(stderr, "ikescope: probe: %s: '%s' is not a number from %lu to %lu\n", opt,
			s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* A profile (built-in name or file); 0, 1 (unreadable) or 2 (no such profile, bad line). */
static int
probe_load_profile(const char *arg, struct profile *p)
{
	char err[512];
	int rc = profile_builtin(p, arg, err, sizeof(err));
	if (rc == 0)
		return 0;
	FILE *f = fopen(arg, "rb");
	if (f == NULL) {
		fprintf(stderr,
			"ikescope: probe: --profile: no built-in profile and no file named '%s' "
			"(built in: %s)\n",
			arg, profile_builtin_names());
		return 2;
	}
	char *text = malloc(PROFILE_MAX_TEXT + 1);
	if (text == NULL) {
		fclose(f);
		return 1;
	}
	size_t n = fread(text, 1, PROFILE_MAX_TEXT + 1, f);
	fclose(f);
	rc = profile_parse(p, text, n, arg, err, sizeof(err));
	free(text);
	if (rc != 0) {
		fprintf(stderr, "ikescope: probe: %s\n", err);
		return 2;
	}
	return 0;
}

/*
 * --encr, --integ, --prf, --dh: "encr AES_CBC_256 3DES" lines read together
 * through the profile parser; 0 or 2.
 */
static int
parse_lists(struct profile *p, const char *const lists[4])
{
	static const char *const keys[4] = {"encr", "integ", "prf", "dh"};
	char text[4096], err[512];
	size_t n = 0;
	for (int i = 0; i < 4; i++) {
		if (lists[i] == NULL)
			continue;
		int w = snprintf(text + n, sizeof(text) - n, "%s %s\n", keys[i], lists[i]);
		if (w < 0 || (size_t)w >= sizeof(text) - n) {
			fprintf(stderr, "ikescope: probe: --%s: list too long\n", keys[i]);
			return 2;
		}
		n += (size_t)w;
	}
	if (n == 0)
		return 0;
	for (char *c = text; *c; c++)
		if (*c == ',')
			*c = ' ';
	if (profile_parse(p, text, n, "the algorithm options", err, sizeof(err)) != 0) {
		fprintf(stderr, "ikescope: probe: %s\n", err);
		return 2;
	}
	return 0;
}

static bool
is_aead(uint16_t e)
{
	return (e >= IKEV2_ENCR_AES_CCM_8 && e <= IKEV2_ENCR_NULL_AUTH_AES_GMAC) ||
	       e == IKEV2_ENCR_CHACHA20_POLY1305;
}

static void
add_alg(uint16_t *v, uint8_t *n, uint16_t x)
{
	for (unsigned i = 0; i < *n; i++)
		if (v[i] == x)
			return;
	if (*n < PROBE_MAX_ALGS)
		v[(*n)++] = x;
}

static void
add_encr(struct probe_prop *p, uint16_t id, uint16_t keylen)
{
	for (unsigned i = 0; i < p->nencr; i++)
		if (p->encr[i] == id && p->keylen[i] == keylen)
			return;
	if (p->nencr < PROBE_MAX_ALGS) {
		p->encr[p->nencr] = id;
		p->keylen[p->nencr++] = keylen;
	}
}

/* The lists of a profile (the attributes it states) over the defaults. */
static void
lists_from_profile(const struct profile *pr, struct probe_prop *l)
{
	if (pr->nencr) {
		l->nencr = 0;
		for (unsigned i = 0; i < pr->nencr; i++) {
			uint16_t id = pr->encr[i].id, kl = pr->encr[i].keylen;
			bool aes = id == IKEV2_ENCR_AES_CBC || id == IKEV2_ENCR_AES_CTR ||
				   (id >= IKEV2_ENCR_AES_CCM_8 && id <= IKEV2_ENCR_AES_GCM_16);
			if (aes && kl == 0) { /* any key length: the usual two */
				add_encr(l, id, 256);
				add_encr(l, id, 128);
			} else {
				add_encr(l, id, kl);
			}
		}
	}
	if (pr->ninteg) {
		l->ninteg = 0;
		for (unsigned i = 0; i < pr->ninteg; i++)
			add_alg(l->integ, &l->ninteg, pr->integ[i]);
	}
	if (pr->nprf) {
		l->nprf = 0;
		for (unsigned i = 0; i < pr->nprf; i++)
			add_alg(l->prf, &l->nprf, pr->prf[i]);
	}
	if (pr->ndh) {
		l->ndh = 0;
		for (unsigned i = 0; i < pr->ndh; i++)
			add_alg(l->dh, &l->ndh, pr->dh[i]);
	}
}

/*
 * The offer from the lists: one proposal for the classic ciphers (with
 * integrity), one for the AEAD ciphers (RFC 7296 §3.3: they cannot share a
 * proposal).  Without PRFs given, those of the integrity algorithms (and
 * HMAC-SHA2-256 for AEAD).
 */
static void
offer_from_lists(const struct probe_prop *l, bool prf_given, struct probe_offer *o)
{
	struct probe_prop classic = {0}, aead = {0};
	for (unsigned i = 0; i < l->nencr; i++)
		add_encr(is_aead(l->encr[i]) ? &aead : &classic, l->encr[i], l->keylen[i]);
	for (unsigned i = 0; i < l->ndh; i++) {
		add_alg(classic.dh, &classic.ndh, l->dh[i]);
		add_alg(aead.dh, &aead.ndh, l->dh[i]);
	}
	for (unsigned i = 0; i < l->ninteg; i++)
		add_alg(classic.integ, &classic.ninteg, l->integ[i]);
	if (prf_given) {
		for (unsigned i = 0; i < l->nprf; i++) {
			add_alg(classic.prf, &classic.nprf, l->prf[i]);
			add_alg(aead.prf, &aead.nprf, l->prf[i]);
		}
	} else {
		for (unsigned i = 0; i < l->ninteg; i++)
			add_alg(classic.prf, &classic.nprf, probe_prf_for_integ(l->integ[i]));
		for (unsigned i = 0; i < l->nprf; i++)
			add_alg(aead.prf, &aead.nprf, l->prf[i]);
	}
	o->n = 0;
	if (classic.nencr && classic.ninteg)
		o->p[o->n++] = classic;
	if (aead.nencr)
		o->p[o->n++] = aead;
}

/* The defaults: accepted by stock strongSwan and libreswan and the cloud gateways. */
static void
default_lists(struct probe_prop *l, uint8_t version, bool enumerate)
{
	static const struct {
		uint16_t id, keylen;
	} v2_encr[] = {{IKEV2_ENCR_AES_CBC, 256},
		       {IKEV2_ENCR_AES_CBC, 128},
		       {IKEV2_ENCR_AES_GCM_16, 256},
		       {IKEV2_ENCR_AES_GCM_16, 128}},
	  v1_encr[] = {{IKEV2_ENCR_AES_CBC, 256}, {IKEV2_ENCR_AES_CBC, 128}, {IKEV2_ENCR_3DES, 0}};
	static const uint16_t integ[] = {IKEV2_INTEG_HMAC_SHA2_256_128,
					 IKEV2_INTEG_HMAC_SHA2_384_192,
					 IKEV2_INTEG_HMAC_SHA2_512_256, IKEV2_INTEG_HMAC_SHA1_96};
	static const uint16_t prf[] = {IKEV2_PRF_HMAC_SHA2_256, IKEV2_PRF_HMAC_SHA2_384,
				       IKEV2_PRF_HMAC_SHA2_512, IKEV2_PRF_HMAC_SHA1};
	/*
	 * The first is the KE group of the first try: Curve25519 is what a stock
	 * strongSwan 5.9 responder prefers; a peer that wants another group of the
	 * list answers INVALID_KE_PAYLOAD and the probe goes again with it.
	 */
	static const uint16_t dh[] = {IKEV2_DH_CURVE25519, IKEV2_DH_MODP_2048, IKEV2_DH_ECP_256,
				      IKEV2_DH_ECP_384,	   IKEV2_DH_MODP_3072, IKEV2_DH_MODP_4096,
				      IKEV2_DH_MODP_1024};
	memset(l, 0, sizeof(*l));
	if (version == 2 && !enumerate) {
		for (size_t i = 0; i < ARRAY_LEN(v2_encr); i++)
			add_encr(l, v2_encr[i].id, v2_encr[i].keylen);
	} else {
		for (size_t i = 0; i < ARRAY_LEN(v1_encr); i++)
			add_encr(l, v1_encr[i].id, v1_encr[i].keylen);
		if (version == 2) {
			add_encr(l, IKEV2_ENCR_AES_GCM_16, 128);
			add_encr(l, IKEV2_ENCR_AES_GCM_16, 256);
		}
	}
	for (size_t i = 0; i < ARRAY_LEN(integ); i++)
		if (version == 2 || integ[i] != IKEV2_INTEG_HMAC_SHA2_384_192)
			add_alg(l->integ, &l->ninteg, integ[i]);
	if (version == 1) /* a dozen suites: SHA2-256 and SHA-1 */
		l->ninteg = 0, add_alg(l->integ, &l->ninteg, IKEV2_INTEG_HMAC_SHA2_256_128),
		add_alg(l->integ, &l->ninteg, IKEV2_INTEG_HMAC_SHA1_96);
	for (size_t i = 0; i < ARRAY_LEN(prf); i++)
		add_alg(l->prf, &l->nprf, prf[i]);
	for (size_t i = 0; i < ARRAY_LEN(dh); i++)
		if (version == 2 || enumerate || dh[i] == IKEV2_DH_MODP_2048 ||
		    dh[i] == IKEV2_DH_MODP_1024)
			add_alg(l->dh, &l->ndh, dh[i]);
}

static uint16_t
v1_auth_of(const struct profile *p)
{
	for (unsigned i = 0; i < p->nauth; i++)
		switch (p->auth[i]) {
		case PAUTH_PSK:
			return IKEV1_AUTH_PSK;
		case PAUTH_RSA:
			return IKEV1_AUTH_RSA_SIG;
		case PAUTH_XAUTH_PSK:
			return IKEV1_AUTH_XAUTH_INIT_PSK;
		case PAUTH_XAUTH_RSA:
			return IKEV1_AUTH_XAUTH_INIT_RSA;
		default:
			break;
		}
	return IKEV1_AUTH_PSK;
}

int
probe_main(int argc, char **argv)
{
	static struct probe_opts o;
	static struct profile prof, lists;
	memset(&o, 0, sizeof(o));
	memset(&lists, 0, sizeof(lists));
	o.version = 2;
	o.port = 500;
	o.rate = 10;
	o.max_probes = PROBE_DEFAULT_MAX;
	o.tries = 3;
	o.timeout_ms = 1000;
	const char *profile = NULL, *encr = NULL, *integ = NULL, *prf = NULL, *dh = NULL;
	bool version_given = false;
	unsigned long v;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+i:s:46h", probe_long, NULL)) != -1) {
		switch (c) {
		case 'i':
			o.iface = optarg;
			break;
		case 's':
			o.source = optarg;
			break;
		case '4':
			o.family = 4;
			break;
		case '6':
			o.family = 6;
			break;
		case 'h':
			probe_usage(stdout);
			return 0;
		case PO_JSON:
			o.json = true;
			break;
		case PO_IKEV1:
			o.version = 1;
			version_given = true;
			break;
		case PO_IKEV2:
			o.version = 2;
			version_given = true;
			break;
		case PO_AGGRESSIVE:
			o.aggressive = true;
			break;
		case PO_ID:
			o.id = optarg;
			break;
		case PO_PORT:
			if (num_arg("--port", optarg, 1, 65535, &v) != 0)
				return 2;
			if (v != 500 && v != 4500) {
				fputs("ikescope: probe: --port must be 500 or 4500\n", stderr);
				return 2;
			}
			o.port = (uint16_t)v;
			break;
		case PO_SPORT:
			if (num_arg("--sport", optarg, 1, 65535, &v) != 0)
				return 2;
			o.sport = (uint16_t)v;
			break;
		case PO_PROFILE:
			profile = optarg;
			break;
		case PO_ENUMERATE:
			o.enumerate = true;
			break;
		case PO_ENCR:
			encr = optarg;
			break;
		case PO_INTEG:
			integ = optarg;
			break;
		case PO_PRF:
			prf = optarg;
			break;
		case PO_DH:
			dh = optarg;
			break;
		case PO_RATE:
			if (num_arg("--rate", optarg, 1, 1000, &v) != 0)
				return 2;
			o.rate = (unsigned)v;
			break;
		case PO_MAX:
			if (num_arg("--max-probes", optarg, 1, 1000, &v) != 0)
				return 2;
			o.max_probes = (unsigned)v;
			break;
		case PO_RETRIES:
			if (num_arg("--retries", optarg, 0, 10, &v) != 0)
				return 2;
			o.tries = (unsigned)v + 1;
			break;
		case PO_TIMEOUT: {
			char *end;
			double t = strtod(optarg, &end);
			if (end == optarg || *end || !(t >= 0.01 && t <= 60)) {
				fprintf(stderr,
					"ikescope: probe: --timeout: '%s' is not a number of "
					"seconds from 0.01 to 60\n",
					optarg);
				return 2;
			}
			o.timeout_ms = (unsigned)(t * 1000 + 0.5);
			break;
		}
		default:
			fputs("Try 'ikescope probe --help' for more information.\n", stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "ikescope: probe: %s\n",
			optind >= argc ? "no HOST given" : "one HOST only");
		fputs("Try 'ikescope probe --help' for more information.\n", stderr);
		return 2;
	}
	o.host = argv[optind];
	if (o.aggressive && (o.id == NULL || o.id[0] == '\0')) {
		fputs("ikescope: probe: --aggressive needs --id ID\n", stderr);
		return 2;
	}
	if (o.aggressive) {
		if (version_given && o.version == 2) {
			fputs("ikescope: probe: --aggressive is IKEv1\n", stderr);
			return 2;
		}
		o.version = 1;
	}
	if (o.id && !o.aggressive) {
		fputs("ikescope: probe: --id goes with --aggressive\n", stderr);
		return 2;
	}
	if (profile && o.enumerate) {
		fputs("ikescope: probe: --profile and --enumerate do not go together\n", stderr);
		return 2;
	}
	if (profile) {
		int rc = probe_load_profile(profile, &prof);
		if (rc != 0)
			return rc;
		if (!version_given && !o.aggressive && prof.versions_set && prof.v1 != prof.v2)
			o.version = prof.v1 ? 1 : 2;
	}
	struct probe_prop l;
	default_lists(&l, o.version, o.enumerate);
	if (profile) {
		lists_from_profile(&prof, &l);
		o.offer.v1_auth = v1_auth_of(&prof);
	}
	const char *const algs[4] = {encr, integ, prf, dh};
	if (parse_lists(&lists, algs) != 0)
		return 2;
	lists_from_profile(&lists, &l);
	o.prf_given = prf != NULL || (profile && prof.nprf);
	if (o.enumerate) {
		o.cand = l;
	} else {
		offer_from_lists(&l, o.prf_given, &o.offer);
		if (o.offer.n == 0 || l.ndh == 0) {
			fputs("ikescope: probe: nothing to offer (an encryption algorithm, and "
			      "integrity for a non-AEAD one, and a DH group are needed)\n",
			      stderr);
			return 2;
		}
	}
	return probe_run(&o);
}
