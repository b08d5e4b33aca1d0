/*
 * The probe's requests (see build.h): RFC 7296 §3.1-3.10 for IKEv2, RFC 2408
 * §3 and RFC 2409 §5 and App. A for IKEv1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "crypto/natd.h"
#include "dissect/ike.h"
#include "dissect/ikev1_names.h"
#include "dissect/ikev2_names.h"
#include "probe/build.h"

/* A bounded writer: past cap it stops writing and remembers that it did. */
struct wb {
	uint8_t *p;
	size_t cap, len;
	bool full;
};

static void
wb_bytes(struct wb *w, const void *b, size_t n)
{
	if (w->full || n > w->cap - w->len) {
		w->full = true;
		return;
	}
	if (n)
		memcpy(w->p + w->len, b, n);
	w->len += n;
}

static void
wb_u8(struct wb *w, uint8_t v)
{
	wb_bytes(w, &v, 1);
}

static void
wb_be16(struct wb *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	wb_bytes(w, b, 2);
}

static void
wb_be32(struct wb *w, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
	wb_bytes(w, b, 4);
}

/* Writes the 16-bit length of the structure that starts at start into its field at off. */
static void
wb_patch_len(struct wb *w, size_t start, size_t off)
{
	if (w->full)
		return;
	size_t n = w->len - start;
	w->p[start + off] = (uint8_t)(n >> 8);
	w->p[start + off + 1] = (uint8_t)n;
}

/* Generic payload header (RFC 7296 §3.2 / RFC 2408 §3.2); returns where it starts. */
static size_t
wb_payload(struct wb *w, uint8_t next)
{
	size_t start = w->len;
	wb_u8(w, next);
	wb_u8(w, 0);
	wb_be16(w, 0); /* patched */
	return start;
}

uint16_t
probe_v1_encr(uint16_t v2)
{
	switch (v2) {
	case IKEV2_ENCR_DES:
		return IKEV1_ENCR_DES_CBC;
	case IKEV2_ENCR_3DES:
		return IKEV1_ENCR_3DES_CBC;
	case IKEV2_ENCR_AES_CBC:
		return IKEV1_ENCR_AES_CBC;
	case IKEV2_ENCR_CAMELLIA_CBC:
		return IKEV1_ENCR_CAMELLIA_CBC;
	default:
		return 0;
	}
}

uint16_t
probe_v1_hash(uint16_t v2)
{
	switch (v2) {
	case IKEV2_INTEG_HMAC_MD5_96:
		return IKEV1_HASH_MD5;
	case IKEV2_INTEG_HMAC_SHA1_96:
		return IKEV1_HASH_SHA;
	case IKEV2_INTEG_HMAC_SHA2_256_128:
		return IKEV1_HASH_SHA2_256;
	case IKEV2_INTEG_HMAC_SHA2_384_192:
		return IKEV1_HASH_SHA2_384;
	case IKEV2_INTEG_HMAC_SHA2_512_256:
		return IKEV1_HASH_SHA2_512;
	default:
		return 0;
	}
}

/* ---- IKEv2 ---- */

/* One transform substructure (RFC 7296 §3.3.2), with the key length attribute when set. */
static void
v2_transform(struct wb *w, bool last, uint8_t type, uint16_t id, uint16_t keylen)
{
	size_t start = w->len;
	wb_u8(w, last ? 0 : 3);
	wb_u8(w, 0);
	wb_be16(w, 0);
	wb_u8(w, type);
	wb_u8(w, 0);
	wb_be16(w, id);
	if (keylen) {
		/* AF=1 (TV format), type 14 Key Length (RFC 7296 §3.3.5) */
		wb_be16(w, 0x8000 | IKEV2_XA_KEY_LENGTH);
		wb_be16(w, keylen);
	}
	wb_patch_len(w, start, 2);
}

static unsigned
v2_prop_count(const struct probe_prop *p)
{
	return p->nencr + p->ninteg + p->nprf + p->ndh;
}

/* SA payload body: the proposals (RFC 7296 §3.3.1), numbered from 1. */
static int
v2_sa(struct wb *w, const struct probe_offer *o)
{
	for (unsigned i = 0; i < o->n; i++) {
		const struct probe_prop *p = &o->p[i];
		unsigned nx = v2_prop_count(p), k = 0;
		if (nx == 0 || nx > 255 || p->nencr == 0 || p->nprf == 0 || p->ndh == 0)
			return -EINVAL;
		size_t start = w->len;
		wb_u8(w, i + 1 == o->n ? 0 : 2);
		wb_u8(w, 0);
		wb_be16(w, 0);
		wb_u8(w, (uint8_t)(i + 1));
		wb_u8(w, IKEV2_PROTO_IKE);
		wb_u8(w, 0); /* no SPI in the IKE_SA_INIT proposals */
		wb_u8(w, (uint8_t)nx);
		for (unsigned j = 0; j < p->nencr; j++)
			v2_transform(w, ++k == nx, IKEV2_XF_ENCR, p->encr[j], p->keylen[j]);
		for (unsigned j = 0; j < p->nprf; j++)
			v2_transform(w, ++k == nx, IKEV2_XF_PRF, p->prf[j], 0);
		for (unsigned j = 0; j < p->ninteg; j++)
			v2_transform(w, ++k == nx, IKEV2_XF_INTEG, p->integ[j], 0);
		for (unsigned j = 0; j < p->ndh; j++)
			v2_transform(w, ++k == nx, IKEV2_XF_DH, p->dh[j], 0);
		wb_patch_len(w, start, 2);
	}
	return 0;
}

static void
v2_notify(struct wb *w, uint8_t next, uint16_t type, const void *data, size_t len)
{
	size_t start = wb_payload(w, next);
	wb_u8(w, 0); /* protocol ID: none */
	wb_u8(w, 0); /* SPI size */
	wb_be16(w, type);
	wb_bytes(w, data, len);
	wb_patch_len(w, start, 2);
}

static int
v2_build(const struct probe_req *r, struct wb *w)
{
	static const uint8_t zero_spi[8];
	uint8_t nd_src[20], nd_dst[20];
	if (r->ke == NULL || r->ke_len == 0 || r->offer == NULL || r->offer->n == 0)
		return -EINVAL;
	if (r->cookie && (r->cookie_len == 0 || r->cookie_len > PROBE_MAX_COOKIE))
		return -EINVAL;
	/* The SPIr is zero in the request (RFC 7296 §2.23). */
	if (!natd_hash_v2(r->spi_i, zero_spi, &r->src, r->sport, nd_src) ||
	    !natd_hash_v2(r->spi_i, zero_spi, &r->dst, r->dport, nd_dst))
		return -EIO;
	/* HDR */
	wb_bytes(w, r->spi_i, 8);
	wb_bytes(w, zero_spi, 8);
	wb_u8(w, r->cookie ? IKEV2_P_N : IKEV2_P_SA);
	wb_u8(w, 0x20);
	wb_u8(w, 34); /* IKE_SA_INIT */
	wb_u8(w, IKEV2_FLAG_INITIATOR);
	wb_be32(w, 0);
	wb_be32(w, 0); /* patched */
	/* N(COOKIE) first when answering a cookie (RFC 7296 §2.6) */
	if (r->cookie)
		v2_notify(w, IKEV2_P_SA, IKEV2_N_COOKIE, r->cookie, r->cookie_len);
	size_t sa = wb_payload(w, IKEV2_P_KE);
	int rc = v2_sa(w, r->offer);
	if (rc < 0)
		return rc;
	wb_patch_len(w, sa, 2);
	size_t ke = wb_payload(w, IKEV2_P_NONCE);
	wb_be16(w, r->ke_group);
	wb_be16(w, 0);
	wb_bytes(w, r->ke, r->ke_len);
	wb_patch_len(w, ke, 2);
	size_t ni = wb_payload(w, IKEV2_P_N);
	wb_bytes(w, r->nonce, PROBE_NONCE_LEN);
	wb_patch_len(w, ni, 2);
	v2_notify(w, IKEV2_P_N, IKEV2_N_NAT_DETECTION_SOURCE_IP, nd_src, 20);
	v2_notify(w, IKEV2_P_N, IKEV2_N_NAT_DETECTION_DESTINATION_IP, nd_dst, 20);
	v2_notify(w, IKEV2_P_N, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	/* SHA2-256, SHA2-384, SHA2-512, Identity (RFC 7427 §4, RFC 8420) */
	static const uint8_t hashes[] = {0, 2, 0, 3, 0, 4, 0, 5};
	v2_notify(w, IKEV2_P_NONE, IKEV2_N_SIGNATURE_HASH_ALGORITHMS, hashes, sizeof(hashes));
	return 0;
}

/* ---- IKEv1 ---- */

/* Vendor IDs announced in the first message (byte values as in dissect/vendor_ids.c). */
static const struct {
	const char *b;
	size_t len;
} v1_vids[] = {
    /* RFC 3947 NAT-T: MD5("RFC 3947") */
    {"\x4a\x13\x1c\x81\x07\x03\x58\x45\x5c\x57\x28\xf2\x0e\x95\x45\x2f", 16},
    /* draft-ietf-ipsec-nat-t-ike-02\n, which older peers still look for */
    {"\x90\xcb\x80\x91\x3e\xbb\x69\x6e\x08\x63\x81\xb5\xec\x42\x7b\x1f", 16},
    /* RFC 3706 DPD 1.0 */
    {"\xaf\xca\xd7\x13\x68\xa1\xf1\xc9\x6b\x86\x96\xfc\x77\x57\x01\x00", 16},
    /* IKE fragmentation: MD5("FRAGMENTATION") with the Cisco capability word */
    {"\x40\x48\xb7\xd5\x6e\xbc\xe8\x85\x25\xe7\xde\x7f\x00\xd6\xc2\xd3\x80\x00\x00\x00", 20},
};

static void
v1_attr(struct wb *w, uint16_t type, uint16_t v)
{
	wb_be16(w, 0x8000 | type); /* TV format (RFC 2408 §3.3) */
	wb_be16(w, v);
}

struct v1_suite {
	uint16_t encr, keylen, hash, group;
};

/* The proposals expanded into IKEv1 suites; aggressive mode keeps only the KE group. */
static unsigned
v1_suites(const struct probe_req *r, struct v1_suite *out, unsigned max)
{
	unsigned n = 0;
	for (unsigned i = 0; i < r->offer->n; i++) {
		const struct probe_prop *p = &r->offer->p[i];
		for (unsigned e = 0; e < p->nencr; e++)
			for (unsigned h = 0; h < p->ninteg; h++)
				for (unsigned d = 0; d < p->ndh; d++) {
					struct v1_suite s = {probe_v1_encr(p->encr[e]),
							     p->keylen[e],
							     probe_v1_hash(p->integ[h]), p->dh[d]};
					if (s.encr == 0 || s.hash == 0)
						continue;
					if (r->aggressive && s.group != r->ke_group)
						continue;
					if (n == max)
						return n;
					out[n++] = s;
				}
	}
	return n;
}

static int
v1_build(const struct probe_req *r, struct wb *w)
{
	static const uint8_t zero[8];
	struct v1_suite s[PROBE_MAX_V1_XF];
	if (r->offer == NULL)
		return -EINVAL;
	unsigned ns = v1_suites(r, s, PROBE_MAX_V1_XF);
	if (ns == 0)
		return -EINVAL;
	if (r->aggressive && (r->ke == NULL || r->id == NULL || r->id[0] == '\0'))
		return -EINVAL;
	uint16_t auth = r->offer->v1_auth ? r->offer->v1_auth : IKEV1_AUTH_PSK;
	/* HDR */
	wb_bytes(w, r->spi_i, 8);
	wb_bytes(w, zero, 8);
	wb_u8(w, IKEV1_P_SA);
	wb_u8(w, 0x10);
	wb_u8(w, r->aggressive ? 4 : 2); /* Aggressive / Identity Protection */
	wb_u8(w, 0);
	wb_be32(w, 0);
	wb_be32(w, 0); /* patched */
	/* SA: DOI IPsec, situation identity only, one ISAKMP proposal */
	size_t sa = wb_payload(w, r->aggressive ? IKEV1_P_KE : IKEV1_P_VID);
	wb_be32(w, IKEV1_DOI_IPSEC);
	wb_be32(w, IKEV1_SIT_IDENTITY_ONLY);
	size_t prop = wb_payload(w, IKEV1_P_NONE);
	wb_u8(w, 1);
	wb_u8(w, IKEV1_PROTO_ISAKMP);
	wb_u8(w, 0);
	wb_u8(w, (uint8_t)ns);
	for (unsigned i = 0; i < ns; i++) {
		size_t xf = wb_payload(w, i + 1 == ns ? IKEV1_P_NONE : IKEV1_P_T);
		wb_u8(w, (uint8_t)(i + 1));
		wb_u8(w, IKEV1_KEY_IKE);
		wb_be16(w, 0);
		v1_attr(w, IKEV1_A_ENCR, s[i].encr);
		if (s[i].keylen)
			v1_attr(w, IKEV1_A_KEY_LENGTH, s[i].keylen);
		v1_attr(w, IKEV1_A_HASH, s[i].hash);
		v1_attr(w, IKEV1_A_AUTH, auth);
		v1_attr(w, IKEV1_A_GROUP_DESC, s[i].group);
		v1_attr(w, IKEV1_A_LIFE_TYPE, IKEV1_LIFE_SECONDS);
		v1_attr(w, IKEV1_A_LIFE_DURATION, 28800);
		wb_patch_len(w, xf, 2);
	}
	wb_patch_len(w, prop, 2);
	wb_patch_len(w, sa, 2);
	if (r->aggressive) {
		size_t ke = wb_payload(w, IKEV1_P_NONCE);
		wb_bytes(w, r->ke, r->ke_len);
		wb_patch_len(w, ke, 2);
		size_t ni = wb_payload(w, IKEV1_P_ID);
		wb_bytes(w, r->nonce, PROBE_NONCE_LEN);
		wb_patch_len(w, ni, 2);
		/* IDii (RFC 2407 §4.6.2): an address, user@fqdn, or a name */
		size_t id = wb_payload(w, IKEV1_P_VID);
		uint8_t a[16];
		if (inet_pton(AF_INET, r->id, a) == 1) {
			wb_u8(w, IKEV1_ID_IPV4_ADDR);
			wb_u8(w, 17);
			wb_be16(w, 500);
			wb_bytes(w, a, 4);
		} else if (inet_pton(AF_INET6, r->id, a) == 1) {
			wb_u8(w, IKEV1_ID_IPV6_ADDR);
			wb_u8(w, 17);
			wb_be16(w, 500);
			wb_bytes(w, a, 16);
		} else {
			size_t n = strlen(r->id);
			if (n > 255)
				return -EINVAL;
			wb_u8(w, strchr(r->id, '@') ? IKEV1_ID_USER_FQDN : IKEV1_ID_FQDN);
			wb_u8(w, 17);
			wb_be16(w, 500);
			wb_bytes(w, r->id, n);
		}
		wb_patch_len(w, id, 2);
	}
	for (size_t i = 0; i < ARRAY_LEN(v1_vids); i++) {
		size_t v = wb_payload(w, i + 1 == ARRAY_LEN(v1_vids) ? IKEV1_P_NONE : IKEV1_P_VID);
		wb_bytes(w, v1_vids[i].b, v1_vids[i].len);
		wb_patch_len(w, v, 2);
	}
	return 0;
}

int
probe_build(const struct probe_req *r, uint8_t *out, size_t cap)
{
	struct wb w = {.p = out, .cap = cap};
	int rc = r->version == 2 ? v2_build(r, &w) : r->version == 1 ? v1_build(r, &w) : -EINVAL;
	if (rc < 0)
		return rc;
	if (w.full || w.len < IKE_HDR_SIZE)
		return -ENOSPC;
	/* the message length in the header (RFC 7296 §3.1 / RFC 2408 §3.1) */
	out[24] = (uint8_t)(w.len >> 24);
	out[25] = (uint8_t)(w.len >> 16);
	out[26] = (uint8_t)(w.len >> 8);
	out[27] = (uint8_t)w.len;
	return (int)w.len;
}
