/* NAT detection hashes (see natd.h): the only use of OpenSSL outside decryption. */
#include <openssl/evp.h>
#include <string.h>

#include "crypto/natd.h"

#define IKEV2_N_NAT_DETECTION_SOURCE_IP	     16388
#define IKEV2_N_NAT_DETECTION_DESTINATION_IP 16389

/*
 * The message digest whose output has this length (IKEv1 NAT-D follows the SA's
 * hash).  Fetched once each and kept: OpenSSL 3 would otherwise look the
 * algorithm up again on every EVP_DigestInit_ex, and NAT-D is checked on every
 * IKE_SA_INIT and main-mode message.
 */
static const EVP_MD *
natd_md_for_len(size_t len)
{
	static const char *const names[] = {"MD5", "SHA1", "SHA256", "SHA384", "SHA512"};
	static const size_t lens[] = {16, 20, 32, 48, 64};
	static EVP_MD *fetched[ARRAY_LEN(names)];
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		if (lens[i] != len)
			continue;
		if (fetched[i] == NULL)
			fetched[i] = EVP_MD_fetch(NULL, names[i], NULL);
		return fetched[i];
	}
	return NULL;
}

/* One digest context for all NAT-D hashes (reset before each). */
static EVP_MD_CTX *
natd_ctx(void)
{
	static EVP_MD_CTX *ctx;
	if (ctx == NULL)
		ctx = EVP_MD_CTX_new();
	return ctx;
}

static bool
natd_hash(const EVP_MD *md, const uint8_t spi_i[8], const uint8_t spi_r[8], const struct ip_addr *a,
	  uint16_t port, uint8_t *out, unsigned *outlen)
{
	uint8_t pb[2] = {(uint8_t)(port >> 8), (uint8_t)port};
	EVP_MD_CTX *ctx = natd_ctx();
	if (ctx == NULL || md == NULL)
		return false;
	return EVP_DigestInit_ex(ctx, md, NULL) && EVP_DigestUpdate(ctx, spi_i, 8) &&
	       EVP_DigestUpdate(ctx, spi_r, 8) &&
	       EVP_DigestUpdate(ctx, a->a, a->family == 4 ? 4 : 16) &&
	       EVP_DigestUpdate(ctx, pb, 2) && EVP_DigestFinal_ex(ctx, out, outlen);
}

/* One more hash for the same party: any match among several hashes is a match. */
static void
natd_fold(enum natd_verdict *v, const uint8_t *hash, size_t len, const uint8_t spi_i[8],
	  const uint8_t spi_r[8], const struct ip_addr *a, uint16_t port)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	const EVP_MD *alg = natd_md_for_len(len);
	if (alg == NULL || !natd_hash(alg, spi_i, spi_r, a, port, md, &mdlen)) {
		if (*v == NATD_ABSENT)
			*v = NATD_UNKNOWN;
		return;
	}
	if (mdlen == len && memcmp(md, hash, len) == 0)
		*v = NATD_MATCH;
	else if (*v != NATD_MATCH)
		*v = NATD_MISMATCH;
}

void
natd_check(const struct ike_msg *m, const struct ip_addr *src, uint16_t sport,
	   const struct ip_addr *dst, uint16_t dport, struct natd_result *out)
{
	out->source = out->destination = NATD_ABSENT;
	if (m->version == 2) {
		for (unsigned i = 0; i < m->nnotify; i++) {
			const struct ike_notify *n = &m->notifies[i];
			if (n->type == IKEV2_N_NAT_DETECTION_SOURCE_IP)
				natd_fold(&out->source, n->data.p, n->data.len, m->spi_i, m->spi_r,
					  src, sport);
			else if (n->type == IKEV2_N_NAT_DETECTION_DESTINATION_IP)
				natd_fold(&out->destination, n->data.p, n->data.len, m->spi_i,
					  m->spi_r, dst, dport);
		}
		return;
	}
	if (m->version != 1)
		return;
	bool first = true;
	for (unsigned i = 0; i < m->npayloads; i++) {
		const struct ike_payload *p = &m->pl[i];
		if (p->type != IKEV1_P_NAT_D && p->type != IKEV1_P_NAT_D_DRAFT)
			continue;
		/* Only a NAT-D payload present in full can be checked. */
		if (p->malformed || p->body.p == NULL || p->body.len + 4 != p->len)
			continue;
		if (first)
			natd_fold(&out->destination, p->body.p, p->body.len, m->spi_i, m->spi_r,
				  dst, dport);
		else
			natd_fold(&out->source, p->body.p, p->body.len, m->spi_i, m->spi_r, src,
				  sport);
		first = false;
	}
}

const char *
natd_verdict_name(enum natd_verdict v)
{
	static const char *const names[] = {"absent", "match", "mismatch", "unknown"};
	return (unsigned)v < ARRAY_LEN(names) ? names[v] : "?";
}

bool
natd_hash_v2(const uint8_t spi_i[8], const uint8_t spi_r[8], const struct ip_addr *a, uint16_t port,
	     uint8_t out[20])
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	if (!natd_hash(natd_md_for_len(20), spi_i, spi_r, a, port, md, &len) || len != 20)
		return false;
	memcpy(out, md, 20);
	return true;
}
