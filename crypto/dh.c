/* Key exchange public values for the probe (see dh.h). */
#include <errno.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

#include "crypto/dh.h"

enum dh_kind { DHK_MODP, DHK_ECP, DHK_X25519 };

struct dh_group {
	uint16_t group;
	enum dh_kind kind;
	size_t len; /* public value bytes */
	BIGNUM *(*prime)(BIGNUM *);
	const char *curve;
};

static const struct dh_group dh_groups[] = {
    {2, DHK_MODP, 128, BN_get_rfc2409_prime_1024, NULL},
    {5, DHK_MODP, 192, BN_get_rfc3526_prime_1536, NULL},
    {14, DHK_MODP, 256, BN_get_rfc3526_prime_2048, NULL},
    {15, DHK_MODP, 384, BN_get_rfc3526_prime_3072, NULL},
    {16, DHK_MODP, 512, BN_get_rfc3526_prime_4096, NULL},
    {19, DHK_ECP, 64, NULL, "P-256"},
    {20, DHK_ECP, 96, NULL, "P-384"},
    {31, DHK_X25519, 32, NULL, NULL},
};

static const struct dh_group *
dh_find(uint16_t group)
{
	for (size_t i = 0; i < sizeof(dh_groups) / sizeof(dh_groups[0]); i++)
		if (dh_groups[i].group == group)
			return &dh_groups[i];
	return NULL;
}

bool
dh_group_supported(uint16_t group)
{
	return dh_find(group) != NULL;
}

size_t
dh_pub_len(uint16_t group)
{
	const struct dh_group *g = dh_find(group);
	return g ? g->len : 0;
}

int
crypto_random(uint8_t *out, size_t n)
{
	return RAND_bytes(out, (int)n) == 1 ? 0 : -EIO;
}

/* g^x mod p with g = 2 and a private exponent of 256 random bits (RFC 3526 §8 strength). */
static int
dh_modp(const struct dh_group *g, uint8_t *out)
{
	int rc = -ENOMEM;
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *p = g->prime(NULL), *x = BN_new(), *gen = BN_new(), *y = BN_new();
	if (ctx == NULL || p == NULL || x == NULL || gen == NULL || y == NULL)
		goto fail;
	rc = -EIO;
	if (!BN_set_word(gen, 2) || !BN_priv_rand(x, 256, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) ||
	    !BN_mod_exp(y, gen, x, p, ctx) || BN_bn2binpad(y, out, (int)g->len) != (int)g->len)
		goto fail;
	rc = (int)g->len;
fail:
	BN_clear_free(x);
	BN_free(y);
	BN_free(gen);
	BN_free(p);
	BN_CTX_free(ctx);
	return rc;
}

static int
dh_ec(const struct dh_group *g, uint8_t *out)
{
	EVP_PKEY *k = g->kind == DHK_X25519 ? EVP_PKEY_Q_keygen(NULL, NULL, "X25519")
					    : EVP_PKEY_Q_keygen(NULL, NULL, "EC", g->curve);
	if (k == NULL)
		return -EIO;
	int rc = -EIO;
	if (g->kind == DHK_X25519) {
		size_t n = g->len;
		if (EVP_PKEY_get_raw_public_key(k, out, &n) == 1 && n == g->len)
			rc = (int)n;
	} else {
		/* The uncompressed point 0x04 | x | y; IKE carries x | y. */
		uint8_t pt[1 + 2 * 66];
		size_t n = 0;
		if (EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt),
						    &n) == 1 &&
		    n == g->len + 1 && pt[0] == 0x04) {
			memcpy(out, pt + 1, g->len);
			rc = (int)g->len;
		}
	}
	EVP_PKEY_free(k);
	return rc;
}

int
dh_make_public(uint16_t group, uint8_t *out, size_t cap)
{
	const struct dh_group *g = dh_find(group);
	if (g == NULL || cap < g->len)
		return -EINVAL;
	return g->kind == DHK_MODP ? dh_modp(g, out) : dh_ec(g, out);
}
