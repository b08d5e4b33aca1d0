/*
 * Integrity algorithms with OpenSSL EVP (see mac.h):
 *
 *   RFC 2104        HMAC; RFC 2403 MD5, RFC 2404 SHA-1, RFC 4868 SHA-2
 *   RFC 3566 §4     AES-XCBC-MAC: K1, K2, K3 derived from K, CBC-MAC under K1
 *   RFC 4493 §2     AES-CMAC (OpenSSL's CMAC over AES-128-CBC)
 */
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/mac.h"

#define MAC_BLOCK 16 /* AES */

struct mac_ctx {
	EVP_MAC *hmac, *cmac;
	EVP_MAC_CTX *hctx, *cmctx; /* cmctx NULL when this OpenSSL lacks CMAC */
	enum dec_integ hctx_integ; /* the digest hctx was set up with */
	bool cmctx_ready;
	EVP_CIPHER *aes_ecb; /* NULL when this OpenSSL lacks it: no XCBC */
	EVP_CIPHER_CTX *ecb;
	bool ecb_ready;
};

struct mac_ctx *
mac_ctx_new(OSSL_LIB_CTX *lib)
{
	struct mac_ctx *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->hmac = EVP_MAC_fetch(lib, "HMAC", NULL);
	c->cmac = EVP_MAC_fetch(lib, "CMAC", NULL);
	c->aes_ecb = EVP_CIPHER_fetch(lib, "AES-128-ECB", NULL);
	c->ecb = EVP_CIPHER_CTX_new();
	if (c->hmac == NULL || c->ecb == NULL)
		goto fail;
	c->hctx = EVP_MAC_CTX_new(c->hmac);
	if (c->hctx == NULL)
		goto fail;
	if (c->cmac != NULL)
		c->cmctx = EVP_MAC_CTX_new(c->cmac);
	return c;
fail:
	mac_ctx_free(c);
	return NULL;
}

void
mac_ctx_free(struct mac_ctx *c)
{
	if (c == NULL)
		return;
	EVP_CIPHER_CTX_free(c->ecb);
	EVP_CIPHER_free(c->aes_ecb);
	EVP_MAC_CTX_free(c->cmctx);
	EVP_MAC_CTX_free(c->hctx);
	EVP_MAC_free(c->cmac);
	EVP_MAC_free(c->hmac);
	free(c);
}

/* HMAC digests (RFC 2403, 2404, 4868). */
static const char *
mac_hmac_digest(enum dec_integ i)
{
	switch (i) {
	case INTEG_HMAC_MD5_:
		return "MD5";
	case INTEG_HMAC_SHA1_:
		return "SHA1";
	case INTEG_HMAC_SHA256_:
		return "SHA2-256";
	case INTEG_HMAC_SHA384_:
		return "SHA2-384";
	case INTEG_HMAC_SHA512_:
		return "SHA2-512";
	default:
		return NULL;
	}
}

static bool
mac_hmac(struct mac_ctx *c, enum dec_integ alg, const uint8_t *key, size_t key_len,
	 const uint8_t *data, size_t len, uint8_t *out, size_t *out_len)
{
	char md[16];
	OSSL_PARAM params[2] = {OSSL_PARAM_END, OSSL_PARAM_END};
	/* The digest is set only when it changes: re-keying alone keeps the context. */
	if (c->hctx_integ != alg) {
		snprintf(md, sizeof(md), "%s", mac_hmac_digest(alg));
		params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, md, 0);
		c->hctx_integ = INTEG_NONE_;
	}
	if (!EVP_MAC_init(c->hctx, key, key_len, params))
		return false;
	c->hctx_integ = alg;
	return EVP_MAC_update(c->hctx, data, len) &&
	       EVP_MAC_final(c->hctx, out, out_len, MAC_MAX_LEN);
}

/* AES-CMAC (RFC 4493). */
static bool
mac_cmac(struct mac_ctx *c, const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
	 uint8_t *out, size_t *out_len)
{
	if (c->cmctx == NULL || key_len != 16)
		return false;
	char name[] = "AES-128-CBC";
	OSSL_PARAM params[2] = {OSSL_PARAM_END, OSSL_PARAM_END};
	if (!c->cmctx_ready)
		params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, name, 0);
	if (!EVP_MAC_init(c->cmctx, key, key_len, params))
		return false;
	c->cmctx_ready = true;
	return EVP_MAC_update(c->cmctx, data, len) &&
	       EVP_MAC_final(c->cmctx, out, out_len, MAC_BLOCK);
}

/* Keys the ECB context for mac_ecb_block. */
static bool
mac_ecb_key(struct mac_ctx *c, const uint8_t key[16])
{
	if (c->aes_ecb == NULL)
		return false;
	if (!c->ecb_ready) {
		if (!EVP_EncryptInit_ex2(c->ecb, c->aes_ecb, NULL, NULL, NULL))
			return false;
		c->ecb_ready = true;
	}
	return EVP_EncryptInit_ex2(c->ecb, NULL, key, NULL, NULL) &&
	       EVP_CIPHER_CTX_set_padding(c->ecb, 0) == 1;
}

/* One AES block under the key of the last mac_ecb_key. */
static bool
mac_ecb_block(struct mac_ctx *c, const uint8_t in[16], uint8_t out[16])
{
	int n = 0;
	return EVP_EncryptUpdate(c->ecb, out, &n, in, 16) && n == 16;
}

/*
 * AES-XCBC-MAC (RFC 3566 §4): K1, K2, K3 derived from K; CBC-MAC under K1,
 * the last block XORed with K2 when whole, else padded 10* and XORed with K3.
 */
static bool
mac_xcbc(struct mac_ctx *c, const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
	 uint8_t *out, size_t *out_len)
{
	uint8_t k[3][16], e[16] = {0}, blk[16];
	/* RFC 3566 §2.1: the MAC key is exactly 128 bits. */
	if (key_len != 16 || !mac_ecb_key(c, key))
		return false;
	for (int i = 0; i < 3; i++) {
		memset(blk, i + 1, sizeof(blk));
		if (!mac_ecb_block(c, blk, k[i]))
			return false;
	}
	if (!mac_ecb_key(c, k[0]))
		return false;
	size_t off = 0;
	/* Every block but the last (an empty message has one padded block). */
	while (len - off > 16) {
		for (int j = 0; j < 16; j++)
			blk[j] = (uint8_t)(data[off + (size_t)j] ^ e[j]);
		if (!mac_ecb_block(c, blk, e))
			return false;
		off += 16;
	}
	size_t rest = len - off;
	const uint8_t *kx = rest == 16 ? k[1] : k[2];
	memset(blk, 0, sizeof(blk));
	if (rest != 0)
		memcpy(blk, data + off, rest);
	if (rest < 16)
		blk[rest] = 0x80;
	for (int j = 0; j < 16; j++)
		blk[j] = (uint8_t)(blk[j] ^ e[j] ^ kx[j]);
	bool ok = mac_ecb_block(c, blk, out);
	*out_len = 16;
	OPENSSL_cleanse(k, sizeof(k));
	return ok;
}

bool
mac_compute(struct mac_ctx *c, enum dec_integ alg, const uint8_t *key, size_t key_len,
	    const uint8_t *data, size_t len, uint8_t *out, size_t *out_len)
{
	*out_len = 0;
	if (c == NULL)
		return false;
	switch (alg) {
	case INTEG_HMAC_MD5_:
	case INTEG_HMAC_SHA1_:
	case INTEG_HMAC_SHA256_:
	case INTEG_HMAC_SHA384_:
	case INTEG_HMAC_SHA512_:
		return mac_hmac(c, alg, key, key_len, data, len, out, out_len);
	case INTEG_AES_CMAC_:
		return mac_cmac(c, key, key_len, data, len, out, out_len);
	case INTEG_AES_XCBC_:
		return mac_xcbc(c, key, key_len, data, len, out, out_len);
	default:
		return false;
	}
}
