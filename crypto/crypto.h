/*
 * All OpenSSL use of the decryption path lives in crypto/: key files, IKEv2
 * SK/SKF, IKEv1 phase 1 and 2, ESP, and pre-shared key checks.  Nothing here
 * runs when no key or PSK is given.
 *
 * Contract between the modules (one engineer per file):
 *   keys.c      key files (Wireshark ikev2_decryption_table, ikev1_decryption_table,
 *               esp_sa; the ikescope IKEv2 extension line), lookups
 *   ikev2_dec.c IKEv2 SK/SKF decryption and integrity; IKEv2 AUTH recomputation
 *   ikev1_dec.c IKEv1 decryption with RFC 2409 IV chaining; aggressive-mode PSK check
 *   esp_dec.c   ESP decryption and ICV check; the inner IP header
 */
#ifndef IKESCOPE_CRYPTO_CRYPTO_H
#define IKESCOPE_CRYPTO_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/util.h"
#include "dissect/ike.h"

#define CRYPTO_MAX_KEY	 64   /* bytes of any key (SK_*, ESP keys) */
#define KEYRING_MAX	 4096 /* entries of each kind */
#define CRYPTO_MAX_PLAIN 65536

enum dec_encr {
	ENCR_NONE_, /* not set */
	ENCR_NULL_,
	ENCR_DES_,
	ENCR_3DES_,
	ENCR_AES_CBC_,
	ENCR_AES_CTR_,
	ENCR_AES_GCM_,
	ENCR_AES_CCM_,
	ENCR_CHACHA20_POLY1305_,
	ENCR_UNSUPPORTED_, /* named in the file but not implemented (CAST5, Blowfish...) */
};

enum dec_integ {
	INTEG_NONE_, /* AEAD, or no integrity */
	INTEG_ANY_,  /* "ANY n bits [No Checking]": skip icv_len bytes, check nothing */
	INTEG_HMAC_MD5_,
	INTEG_HMAC_SHA1_,
	INTEG_HMAC_SHA256_,
	INTEG_HMAC_SHA384_,
	INTEG_HMAC_SHA512_,
	INTEG_AES_XCBC_,
	INTEG_AES_CMAC_,
	INTEG_UNSUPPORTED_,
};

struct cipher_spec {
	enum dec_encr encr;
	uint8_t key_len;  /* bytes of key material in the file, salt/nonce included */
	uint8_t salt_len; /* 4 (CTR, GCM, ChaCha20), 3 (CCM), 0 */
	uint8_t icv_len;  /* AEAD tag length */
};

struct integ_spec {
	enum dec_integ integ;
	uint8_t key_len;
	uint8_t icv_len; /* truncated length on the wire */
};

struct ikev2_keys {
	uint8_t spi_i[8], spi_r[8];
	struct cipher_spec enc;
	struct integ_spec integ;
	uint8_t sk_ei[CRYPTO_MAX_KEY], sk_er[CRYPTO_MAX_KEY];
	uint8_t sk_ai[CRYPTO_MAX_KEY], sk_ar[CRYPTO_MAX_KEY];
	/* from the extension line (`IKEV2 <SPIi> <SPIr> SK_d=... SK_pi=... SK_pr=...`) */
	bool has_auth_keys;
	uint8_t sk_d[CRYPTO_MAX_KEY], sk_pi[CRYPTO_MAX_KEY], sk_pr[CRYPTO_MAX_KEY];
	uint8_t sk_d_len, sk_p_len;
};

struct ikev1_keys {
	uint8_t cookie_i[8];
	uint8_t key[CRYPTO_MAX_KEY];
	uint8_t key_len;
};

struct esp_keys {
	uint8_t family;		  /* 4 or 6; 0 = any ("Any" protocol) */
	char src[IP_ADDR_STRLEN]; /* as in the file: an address, or with * wildcards */
	char dst[IP_ADDR_STRLEN];
	char spi[16]; /* "0x12345678", decimal, or with * wildcards */
	struct cipher_spec enc;
	struct integ_spec integ;
	uint8_t ekey[CRYPTO_MAX_KEY], akey[CRYPTO_MAX_KEY];
};

struct keyring {
	struct ikev2_keys *v2;
	size_t nv2;
	struct ikev1_keys *v1;
	size_t nv1;
	struct esp_keys *esp;
	size_t nesp;
};

void keyring_init(struct keyring *k);
void keyring_free(struct keyring *k);
/*
 * Loads one key file, its format recognised by content (lines of any of the
 * formats may be mixed).  Returns 0, or -1 with err = "FILE:LINE: what is wrong"
 * (or "FILE: strerror") and nothing of that file kept.
 */
int keyring_load(struct keyring *k, const char *path, char *err, size_t errlen);
bool keyring_empty(const struct keyring *k);
const struct ikev2_keys *keyring_ikev2(const struct keyring *k, const uint8_t spi_i[8],
				       const uint8_t spi_r[8]);
const struct ikev1_keys *keyring_ikev1(const struct keyring *k, const uint8_t cookie_i[8]);
const struct esp_keys *keyring_esp(const struct keyring *k, const struct ip_addr *src,
				   const struct ip_addr *dst, uint32_t spi);

enum dec_result {
	DEC_NO_KEYS, /* nothing to try */
	DEC_OK,
	DEC_INTEGRITY,	 /* the ICV does not match: wrong keys (or tampering) */
	DEC_PADDING,	 /* decrypted, but the padding / structure is impossible: wrong keys */
	DEC_LENGTH,	 /* the ciphertext cannot be a whole number of blocks, or is too short */
	DEC_UNSUPPORTED, /* an algorithm this build does not implement */
};
const char *dec_result_name(enum dec_result r);

/*
 * IKEv2 (RFC 7296 §3.14, RFC 5282 AEAD, RFC 7383 SKF).  Decrypts the SK or SKF
 * payload of m (m->raw is the whole message as captured) sent by the
 * initiator (from_i: SK_ei/SK_ai) or the responder, verifying integrity over
 * the message (or the AEAD tag with the header as associated data).  The
 * plaintext of the inner payloads, padding removed, goes to out (cap bytes).
 */
enum dec_result ikev2_decrypt(const struct ikev2_keys *k, const struct ike_msg *m, bool from_i,
			      uint8_t *out, size_t cap, size_t *outlen);

/*
 * IKEv1 (RFC 2409 §5 and Appendix B).  The context follows each IKEv1 SA seen:
 * the chosen phase 1 transform and the KE payloads of the cleartext messages
 * (for the first IV), and the last ciphertext block of each message (IV
 * chaining, per message ID for quick mode and informational exchanges).
 */
struct ikev1_ctx;
struct ikev1_ctx *ikev1_ctx_new(void);
void ikev1_ctx_free(struct ikev1_ctx *c);
/* Every IKEv1 message, clear or not, in capture order. */
void ikev1_observe(struct ikev1_ctx *c, const struct ike_msg *m, bool from_i);
/* Decrypts an encrypted IKEv1 message's payloads (after the header) into out. */
enum dec_result ikev1_decrypt(struct ikev1_ctx *c, const struct ikev1_keys *k,
			      const struct ike_msg *m, bool from_i, uint8_t *out, size_t cap,
			      size_t *outlen);

/* Pre-shared key checks: the verdict of the ike_sa record's psk_check. */
enum psk_verdict { PSK_UNCHECKED, PSK_NOT_CHECKABLE, PSK_MATCH, PSK_MISMATCH };
const char *psk_verdict_name(enum psk_verdict v);
/* IKEv1 aggressive mode (RFC 2409 §5.4): SKEYID and HASH_R (and HASH_I with AM3). */
enum psk_verdict ikev1_psk_check(const struct ikev1_ctx *c, const uint8_t cookie_i[8],
				 const uint8_t *psk, size_t psk_len);
/*
 * IKEv2 (RFC 7296 §2.15): AUTH recomputed from the IKE_SA_INIT messages, the
 * nonce and the decrypted ID payload, with SK_pi/SK_pr of the extension line.
 * The context keeps what it needs (ikev2_observe on every IKEv2 message, with
 * the decrypted inner payloads when available).
 */
struct ikev2_ctx;
struct ikev2_ctx *ikev2_ctx_new(void);
void ikev2_ctx_free(struct ikev2_ctx *c);
void ikev2_observe(struct ikev2_ctx *c, const struct ike_msg *m, bool from_i);
enum psk_verdict ikev2_psk_check(const struct ikev2_ctx *c, const struct ikev2_keys *k,
				 const uint8_t *psk, size_t psk_len);

/* ESP (RFC 4303; RFC 4106 GCM; RFC 7634 ChaCha20-Poly1305; RFC 3686 CTR). */
struct esp_inner {
	uint8_t next_header; /* from the ESP trailer */
	uint8_t version;     /* 4 or 6 when the payload is an IP packet (tunnel mode) */
	struct ip_addr src, dst;
	uint8_t proto;
	uint16_t sport, dport;
};
struct esp_dec; /* reusable buffers and cipher contexts: no allocation per packet */
struct esp_dec *esp_dec_new(void);
void esp_dec_free(struct esp_dec *d);
/* esp: the ESP packet from the SPI on, as captured (len bytes). */
enum dec_result esp_decrypt(struct esp_dec *d, const struct esp_keys *k, const uint8_t *esp,
			    size_t len, struct esp_inner *out);
/* The inner packet (trailer removed) of the last DEC_OK on d; valid until the next call. */
struct span esp_dec_payload(const struct esp_dec *d);

#endif
