/*
 * The integrity algorithms shared by IKEv2 SK/SKF and ESP, and the MAC
 * primitives under the IKEv2 PRFs:
 *
 *   RFC 2104        HMAC; RFC 2403, 2404, 4868 its MD5, SHA-1, SHA-2 forms
 *   RFC 3566 §4     AES-XCBC-MAC (AES-XCBC-MAC-96 truncates it)
 *   RFC 4493 §2     AES-CMAC (RFC 4494 AES-CMAC-96 truncates it)
 *
 * The context keeps its OpenSSL objects from call to call: a caller that holds
 * one allocates nothing of its own per MAC (OpenSSL 3.0 itself still makes
 * small allocations inside each HMAC call).
 */
#ifndef IKESCOPE_CRYPTO_MAC_H
#define IKESCOPE_CRYPTO_MAC_H

#include <openssl/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"

#define MAC_MAX_LEN 64 /* HMAC-SHA2-512, untruncated */

struct mac_ctx;
/* lib: the library context to fetch from; NULL for OpenSSL's default one. */
struct mac_ctx *mac_ctx_new(OSSL_LIB_CTX *lib);
void mac_ctx_free(struct mac_ctx *c);
/*
 * The full-length MAC of data[0..len) under key (out: MAC_MAX_LEN bytes of
 * room); the caller truncates.  XCBC and CMAC take a 16-byte key only.  False
 * for an algorithm without a MAC, a key of the wrong length, or an OpenSSL
 * failure.
 */
bool mac_compute(struct mac_ctx *c, enum dec_integ alg, const uint8_t *key, size_t key_len,
		 const uint8_t *data, size_t len, uint8_t *out, size_t *out_len);

#endif
