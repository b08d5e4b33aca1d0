/*
 * ESP decryption (RFC 4303 §2) with OpenSSL EVP: the ICV check (RFC 2403, 2404,
 * 4868 HMAC; RFC 3566 AES-XCBC-MAC-96; RFC 4494 AES-CMAC-96), the ciphers
 * (RFC 2405 DES-CBC, RFC 2451 3DES-CBC, RFC 3602 AES-CBC, RFC 3686 AES-CTR,
 * RFC 4106 AES-GCM, RFC 4309 AES-CCM, RFC 7634 ChaCha20-Poly1305), the trailer
 * (RFC 4303 §2.4-2.6) and the inner IP header of tunnel mode.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               Security Parameters Index (SPI)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Sequence Number                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    IV (per algorithm)                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                    Payload Data (encrypted)                   ~
 * |               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               |     Padding (0-255 bytes)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |  Pad Length   | Next Header   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Integrity Check Value (ICV) or AEAD tag               ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Extended sequence numbers (RFC 4303 §2.2.1) are not supported: the AAD and
 * the ICV cover the 32 bits on the wire only.  Nothing is allocated here per
 * packet: the contexts (the MAC ones in crypto/mac.c) and the plaintext buffer
 * of struct esp_dec are reused, and a context is re-keyed without being rebuilt
 * while the algorithm stays the same (OpenSSL 3.0 itself still makes small
 * allocations inside each HMAC and CCM call; GCM, ChaCha20-Poly1305, CBC and
 * CTR make none).
 */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/mac.h"

#define ESP_HDR_LEN   8	 /* SPI + sequence number */
#define ESP_MAX_ICV   32 /* HMAC-SHA-512-256 */
#define ESP_MAX_IV    16
#define ESP_MAX_BLOCK 16
#define ESP_CIPHERS   15
#define IPV6_MAX_EXT  8 /* extension headers walked before giving up on ports */

/* Next header values that a real ESP trailer carries (IANA protocol numbers). */
static const uint8_t esp_known_next[] = {4, 41, 6, 17, 1, 58, 50, 59};

/* The ciphers, fetched once from the private library context. */
enum esp_cipher_id {
	EC_DES,
	EC_3DES,
	EC_AES128_CBC,
	EC_AES192_CBC,
	EC_AES256_CBC,
	EC_AES128_CTR,
	EC_AES192_CTR,
	EC_AES256_CTR,
	EC_AES128_GCM,
	EC_AES192_GCM,
	EC_AES256_GCM,
	EC_AES128_CCM,
	EC_AES192_CCM,
	EC_AES256_CCM,
	EC_CHACHA20_POLY1305,
};

static const char *const esp_cipher_names[ESP_CIPHERS] = {
    [EC_DES] = "DES-CBC",
    [EC_3DES] = "DES-EDE3-CBC",
    [EC_AES128_CBC] = "AES-128-CBC",
    [EC_AES192_CBC] = "AES-192-CBC",
    [EC_AES256_CBC] = "AES-256-CBC",
    [EC_AES128_CTR] = "AES-128-CTR",
    [EC_AES192_CTR] = "AES-192-CTR",
    [EC_AES256_CTR] = "AES-256-CTR",
    [EC_AES128_GCM] = "AES-128-GCM",
    [EC_AES192_GCM] = "AES-192-GCM",
    [EC_AES256_GCM] = "AES-256-GCM",
    [EC_AES128_CCM] = "AES-128-CCM",
    [EC_AES192_CCM] = "AES-192-CCM",
    [EC_AES256_CCM] = "AES-256-CCM",
    [EC_CHACHA20_POLY1305] = "ChaCha20-Poly1305",
};

struct esp_dec {
	/* Own library context: DES-CBC lives in the legacy provider (OpenSSL 3). */
	OSSL_LIB_CTX *lib;
	OSSL_PROVIDER *prov_default, *prov_legacy;
	EVP_CIPHER *cipher[ESP_CIPHERS]; /* NULL when this OpenSSL lacks one */
	EVP_CIPHER_CTX *cctx;
	const EVP_CIPHER *cctx_cipher; /* what cctx was built for */
	struct mac_ctx *mac;	       /* the ICV check */
	size_t payload_len;	       /* of the last DEC_OK, else 0 */
	uint8_t plain[CRYPTO_MAX_PLAIN + ESP_MAX_BLOCK];
};

struct esp_dec *
esp_dec_new(void)
{
	struct esp_dec *d = xcalloc(1, sizeof(*d));
	d->lib = OSSL_LIB_CTX_new();
	if (d->lib == NULL)
		goto fail;
	d->prov_default = OSSL_PROVIDER_load(d->lib, "default");
	if (d->prov_default == NULL)
		goto fail;
	/* Optional: without it only DES-CBC is missing (DEC_UNSUPPORTED). */
	d->prov_legacy = OSSL_PROVIDER_load(d->lib, "legacy");
	for (size_t i = 0; i < ESP_CIPHERS; i++)
		d->cipher[i] = EVP_CIPHER_fetch(d->lib, esp_cipher_names[i], NULL);
	d->cctx = EVP_CIPHER_CTX_new();
	d->mac = mac_ctx_new(d->lib);
	if (d->cctx == NULL || d->mac == NULL)
		goto fail;
	return d;
fail:
	esp_dec_free(d);
	return NULL;
}

void
esp_dec_free(struct esp_dec *d)
{
	if (d == NULL)
		return;
	mac_ctx_free(d->mac);
	EVP_CIPHER_CTX_free(d->cctx);
	for (size_t i = 0; i < ESP_CIPHERS; i++)
		EVP_CIPHER_free(d->cipher[i]);
	if (d->prov_legacy != NULL)
		OSSL_PROVIDER_unload(d->prov_legacy);
	if (d->prov_default != NULL)
		OSSL_PROVIDER_unload(d->prov_default);
	OSSL_LIB_CTX_free(d->lib);
	OPENSSL_cleanse(d->plain, sizeof(d->plain));
	free(d);
}

/* What the encryption transform puts on the wire and needs from the key. */
struct esp_alg {
	const EVP_CIPHER *cipher; /* NULL for ENCR_NULL_ */
	size_t key_len;		  /* cipher key, salt excluded */
	size_t salt_len;
	size_t iv_len;	/* explicit IV on the wire */
	size_t block;	/* the ciphertext is a multiple of this */
	size_t tag_len; /* AEAD tag; 0 otherwise */
	enum dec_encr kind;
};

static enum dec_result
esp_pick_alg(const struct esp_dec *d, const struct cipher_spec *s, struct esp_alg *a)
{
	memset(a, 0, sizeof(*a));
	a->kind = s->encr;
	a->block = 1;
	/* The key file gave key_len bytes: never trust it beyond the array. */
	if (s->key_len > CRYPTO_MAX_KEY || s->salt_len > s->key_len)
		return DEC_UNSUPPORTED;
	a->key_len = (size_t)s->key_len - s->salt_len;
	a->salt_len = s->salt_len;
	int base = -1;
	switch (s->encr) {
	case ENCR_NULL_:
		return DEC_OK;
	case ENCR_DES_:
		if (a->key_len != 8)
			return DEC_UNSUPPORTED;
		a->cipher = d->cipher[EC_DES];
		a->iv_len = a->block = 8;
		break;
	case ENCR_3DES_:
		if (a->key_len != 24)
			return DEC_UNSUPPORTED;
		a->cipher = d->cipher[EC_3DES];
		a->iv_len = a->block = 8;
		break;
	case ENCR_AES_CBC_:
		base = EC_AES128_CBC;
		a->iv_len = a->block = 16;
		break;
	case ENCR_AES_CTR_:
		/* RFC 3686 §5.1: key plus a 4-byte nonce. */
		if (a->salt_len != 4)
			return DEC_UNSUPPORTED;
		base = EC_AES128_CTR;
		a->iv_len = 8;
		break;
	case ENCR_AES_GCM_:
		/* RFC 4106 §8.1: key plus a 4-byte salt; ICV 8, 12 or 16. */
		if (a->salt_len != 4 || (s->icv_len != 8 && s->icv_len != 12 && s->icv_len != 16))
			return DEC_UNSUPPORTED;
		base = EC_AES128_GCM;
		a->iv_len = 8;
		a->tag_len = s->icv_len;
		break;
	case ENCR_AES_CCM_:
		/* RFC 4309 §7.1: key plus a 3-byte salt; ICV 8, 12 or 16. */
		if (a->salt_len != 3 || (s->icv_len != 8 && s->icv_len != 12 && s->icv_len != 16))
			return DEC_UNSUPPORTED;
		base = EC_AES128_CCM;
		a->iv_len = 8;
		a->tag_len = s->icv_len;
		break;
	case ENCR_CHACHA20_POLY1305_:
		/* RFC 7634 §2: 256-bit key plus a 4-byte salt, 16-byte tag. */
		if (a->key_len != 32 || a->salt_len != 4)
			return DEC_UNSUPPORTED;
		a->cipher = d->cipher[EC_CHACHA20_POLY1305];
		a->iv_len = 8;
		a->tag_len = 16;
		break;
	default:
		return DEC_UNSUPPORTED;
	}
	if (base >= 0) {
		/* AES: the key length picks the variant. */
		if (a->key_len == 16)
			a->cipher = d->cipher[base];
		else if (a->key_len == 24)
			a->cipher = d->cipher[base + 1];
		else if (a->key_len == 32)
			a->cipher = d->cipher[base + 2];
	}
	return a->cipher != NULL ? DEC_OK : DEC_UNSUPPORTED;
}

/*
 * Sets up d->cctx for one packet; rebuilt only when the cipher changes.  CCM
 * takes its nonce length and its tag (whose length enters the MAC) before the key.
 */
static bool
esp_cipher_init(struct esp_dec *d, const EVP_CIPHER *c, const uint8_t *key, const uint8_t *iv,
		size_t iv_len, uint8_t *tag, size_t tag_len)
{
	if (d->cctx_cipher != c) {
		d->cctx_cipher = NULL;
		if (!EVP_DecryptInit_ex2(d->cctx, c, NULL, NULL, NULL))
			return false;
		d->cctx_cipher = c;
	}
	if (EVP_CIPHER_get_mode(c) == EVP_CIPH_CCM_MODE &&
	    (EVP_CIPHER_CTX_ctrl(d->cctx, EVP_CTRL_AEAD_SET_IVLEN, (int)iv_len, NULL) <= 0 ||
	     EVP_CIPHER_CTX_ctrl(d->cctx, EVP_CTRL_AEAD_SET_TAG, (int)tag_len, tag) <= 0))
		return false;
	if (!EVP_DecryptInit_ex2(d->cctx, NULL, key, iv, NULL))
		return false;
	return EVP_CIPHER_CTX_set_padding(d->cctx, 0) == 1;
}

/* Computes the ICV of msg[0..len) and compares its first icv_len bytes with icv. */
static enum dec_result
esp_check_icv(struct esp_dec *d, const struct integ_spec *s, const uint8_t *akey,
	      const uint8_t *msg, size_t len, const uint8_t *icv)
{
	uint8_t mac[MAC_MAX_LEN];
	size_t mac_len = 0;
	if (s->key_len > CRYPTO_MAX_KEY)
		return DEC_UNSUPPORTED;
	bool ok = mac_compute(d->mac, s->integ, akey, s->key_len, msg, len, mac, &mac_len);
	if (!ok || s->icv_len > mac_len)
		return DEC_UNSUPPORTED;
	return CRYPTO_memcmp(mac, icv, s->icv_len) == 0 ? DEC_OK : DEC_INTEGRITY;
}

/*
 * Decrypts ct[0..ct_len) into d->plain.  aad/iv as the algorithm wants them;
 * tag: the AEAD tag (a->tag_len bytes) checked by the final call.
 */
static enum dec_result
esp_run_cipher(struct esp_dec *d, const struct esp_alg *a, const uint8_t *ekey, const uint8_t *iv,
	       const uint8_t *aad, const uint8_t *ct, size_t ct_len, const uint8_t *tag)
{
	uint8_t nonce[ESP_MAX_IV], tagbuf[ESP_MAX_ICV];
	size_t nonce_len;
	/* The EVP tag controls take a non-const pointer. */
	memcpy(tagbuf, tag, a->tag_len);
	int n = 0, fin = 0;
	if (a->kind == ENCR_AES_CTR_) {
		/* RFC 3686 §4: nonce | IV | block counter 1. */
		memcpy(nonce, ekey + a->key_len, 4);
		memcpy(nonce + 4, iv, 8);
		memcpy(nonce + 12, "\0\0\0\1", 4);
		nonce_len = 16;
	} else if (a->salt_len != 0) {
		/* RFC 4106 §4, RFC 4309 §4, RFC 7634 §2: salt | IV. */
		memcpy(nonce, ekey + a->key_len, a->salt_len);
		memcpy(nonce + a->salt_len, iv, 8);
		nonce_len = a->salt_len + 8;
	} else {
		memcpy(nonce, iv, a->iv_len);
		nonce_len = a->iv_len;
	}
	bool ccm = a->kind == ENCR_AES_CCM_;
	if (!esp_cipher_init(d, a->cipher, ekey, nonce, nonce_len, tagbuf, a->tag_len))
		return DEC_UNSUPPORTED;
	/* CCM wants the total length before the associated data. */
	if (ccm && !EVP_DecryptUpdate(d->cctx, NULL, &n, NULL, (int)ct_len))
		return DEC_UNSUPPORTED;
	if (a->tag_len != 0 && !EVP_DecryptUpdate(d->cctx, NULL, &n, aad, ESP_HDR_LEN))
		return DEC_UNSUPPORTED;
	if (!EVP_DecryptUpdate(d->cctx, d->plain, &n, ct, (int)ct_len))
		/* CCM checks its tag here. */
		return ccm ? DEC_INTEGRITY : DEC_UNSUPPORTED;
	if (ccm)
		return (size_t)n == ct_len ? DEC_OK : DEC_INTEGRITY;
	if (a->tag_len != 0 &&
	    EVP_CIPHER_CTX_ctrl(d->cctx, EVP_CTRL_AEAD_SET_TAG, (int)a->tag_len, tagbuf) <= 0)
		return DEC_UNSUPPORTED;
	if (!EVP_DecryptFinal_ex(d->cctx, d->plain + n, &fin))
		return a->tag_len != 0 ? DEC_INTEGRITY : DEC_LENGTH;
	return (size_t)n + (size_t)fin == ct_len ? DEC_OK : DEC_LENGTH;
}

static bool
esp_next_known(uint8_t nh)
{
	for (size_t i = 0; i < sizeof(esp_known_next); i++)
		if (esp_known_next[i] == nh)
			return true;
	return false;
}

/*
 * TCP and UDP both start with the ports:
 *   |          Source Port          |       Destination Port        |
 */
static void
esp_parse_ports(struct rd *r, struct esp_inner *out)
{
	if (out->proto != 6 && out->proto != 17)
		return;
	uint16_t sp = rd_be16(r), dp = rd_be16(r);
	if (rd_ok(r)) {
		out->sport = sp;
		out->dport = dp;
	}
}

/*
 * IPv4 (RFC 791 §3.1):
 *   |Version|  IHL  |Type of Service|          Total Length         |
 *   |         Identification        |Flags|      Fragment Offset    |
 *   |  Time to Live |    Protocol   |         Header Checksum       |
 *   |                       Source Address                          |
 *   |                    Destination Address                        |
 */
static bool
esp_parse_ipv4(struct rd *r, struct esp_inner *out)
{
	uint8_t vihl = rd_u8(r);
	size_t ihl = (size_t)(vihl & 0x0f) * 4;
	/* A tunnel-mode payload announced as IPv4 must be one (else: wrong key). */
	if (!rd_ok(r) || vihl >> 4 != 4 || ihl < 20)
		return false;
	rd_skip(r, 1);
	uint16_t total = rd_be16(r);
	rd_skip(r, 2);
	uint16_t frag = rd_be16(r);
	rd_skip(r, 1);
	uint8_t proto = rd_u8(r);
	rd_skip(r, 2);
	uint8_t src[4] = {0}, dst[4] = {0};
	rd_copy(r, src, 4);
	rd_copy(r, dst, 4);
	if (!rd_ok(r) || total < ihl)
		return false;
	out->version = 4;
	out->proto = proto;
	memset(&out->src, 0, sizeof(out->src));
	memset(&out->dst, 0, sizeof(out->dst));
	out->src.family = out->dst.family = 4;
	memcpy(out->src.a, src, 4);
	memcpy(out->dst.a, dst, 4);
	/* Options, then the ports unless this is a later fragment. */
	if (rd_skip(r, ihl - 20) && (frag & 0x1fff) == 0)
		esp_parse_ports(r, out);
	return true;
}

/*
 * IPv6 (RFC 8200 §3):
 *   |Version| Traffic Class |           Flow Label                  |
 *   |         Payload Length        |  Next Header  |   Hop Limit   |
 *   |                 Source Address (16) / Destination Address (16) |
 * then extension headers (Next Header, Hdr Ext Len in 8 octets, ...).
 */
static bool
esp_parse_ipv6(struct rd *r, struct esp_inner *out)
{
	uint8_t v = rd_u8(r);
	if (!rd_ok(r) || v >> 4 != 6)
		return false;
	rd_skip(r, 5);
	uint8_t nh = rd_u8(r);
	rd_skip(r, 1);
	uint8_t src[16] = {0}, dst[16] = {0};
	rd_copy(r, src, 16);
	rd_copy(r, dst, 16);
	if (!rd_ok(r))
		return false;
	out->version = 6;
	memset(&out->src, 0, sizeof(out->src));
	memset(&out->dst, 0, sizeof(out->dst));
	out->src.family = out->dst.family = 6;
	memcpy(out->src.a, src, 16);
	memcpy(out->dst.a, dst, 16);
	/* Hop-by-hop, routing, destination options: skip; a fragment header ends the walk. */
	for (int i = 0; i < IPV6_MAX_EXT && (nh == 0 || nh == 43 || nh == 60 || nh == 44); i++) {
		uint8_t next = rd_u8(r);
		if (nh == 44) {
			rd_skip(r, 1);
			uint16_t off = rd_be16(r);
			rd_skip(r, 4);
			out->proto = next;
			if (rd_ok(r) && (off & 0xfff8) == 0)
				esp_parse_ports(r, out);
			return true;
		}
		uint8_t ext_len = rd_u8(r);
		if (!rd_skip(r, (size_t)ext_len * 8 + 6))
			break;
		nh = next;
	}
	out->proto = nh;
	esp_parse_ports(r, out);
	return true;
}

/*
 * The trailer (RFC 4303 §2.4): Padding | Pad Length | Next Header, at the end
 * of the plaintext.  Returns the payload length before the padding.
 */
static enum dec_result
esp_check_trailer(const uint8_t *plain, size_t len, uint8_t *next, size_t *payload_len)
{
	struct rd r = rd_init(plain, len, len);
	if (len < 2)
		return DEC_LENGTH;
	rd_skip(&r, len - 2);
	size_t pad_len = rd_u8(&r);
	*next = rd_u8(&r);
	/* The padding cannot reach beyond the plaintext. */
	if (pad_len > len - 2)
		return DEC_PADDING;
	*payload_len = len - 2 - pad_len;
	/*
	 * RFC 4303 §2.4 default padding is 1, 2, 3, ...: a monotone pad is a strong
	 * wrong-key test.  Some implementations pad otherwise (random or zero
	 * bytes), so a violation only counts as a wrong key when the next header
	 * is not a plausible one either.
	 */
	struct rd p = rd_init(plain, len, len);
	rd_skip(&p, *payload_len);
	bool monotone = true;
	for (size_t i = 1; i <= pad_len; i++)
		if (rd_u8(&p) != (uint8_t)i)
			monotone = false;
	if (!monotone && !esp_next_known(*next))
		return DEC_PADDING;
	return DEC_OK;
}

/* The inner packet: an IP header in tunnel mode, the transport header otherwise. */
static enum dec_result
esp_parse_inner(const uint8_t *payload, size_t len, uint8_t next, struct esp_inner *out)
{
	struct rd r = rd_init(payload, len, len);
	out->next_header = next;
	out->proto = next;
	if (next == 4)
		return esp_parse_ipv4(&r, out) ? DEC_OK : DEC_PADDING;
	if (next == 41)
		return esp_parse_ipv6(&r, out) ? DEC_OK : DEC_PADDING;
	esp_parse_ports(&r, out);
	return DEC_OK;
}

enum dec_result
esp_decrypt(struct esp_dec *d, const struct esp_keys *k, const uint8_t *esp, size_t len,
	    struct esp_inner *out)
{
	memset(out, 0, sizeof(*out));
	if (d == NULL || k == NULL || esp == NULL)
		return DEC_NO_KEYS;
	d->payload_len = 0;
	struct esp_alg a;
	enum dec_result res = esp_pick_alg(d, &k->enc, &a);
	bool enc_ok = res == DEC_OK;
	const struct integ_spec *is = &k->integ;
	bool has_icv = is->integ != INTEG_NONE_ && is->integ != INTEG_ANY_;
	if (!enc_ok) {
		/* Still worth checking the ICV: a match says the keys are right. */
		if (!has_icv || k->enc.icv_len != 0)
			return res;
		memset(&a, 0, sizeof(a));
		a.block = 1;
	}
	/* AEAD carries its own tag; any separate ICV length is ignored then. */
	size_t icv_len = a.tag_len != 0 ? a.tag_len : is->integ == INTEG_NONE_ ? 0 : is->icv_len;
	if (icv_len > ESP_MAX_ICV)
		return DEC_UNSUPPORTED;

	struct rd r = rd_init(esp, len, len);
	struct span hdr, iv, ct, icv;
	rd_bytes(&r, ESP_HDR_LEN, &hdr);
	rd_bytes(&r, a.iv_len, &iv);
	/* At least the two trailer bytes, and the ICV after them. */
	if (!rd_ok(&r) || rd_left(&r) < icv_len + 2)
		return DEC_LENGTH;
	rd_bytes(&r, rd_left(&r) - icv_len, &ct);
	rd_bytes(&r, icv_len, &icv);
	/*
	 * Whole cipher blocks, and the trailer ends on a 4-byte boundary in every
	 * mode (RFC 4303 §2.4): a packet cut short cannot pass.
	 */
	if (!rd_ok(&r) || ct.len > CRYPTO_MAX_PLAIN || ct.len % a.block != 0 || ct.len % 4 != 0)
		return DEC_LENGTH;

	/* The ICV covers SPI through the end of the ciphertext (RFC 4303 §2.8): first. */
	if (a.tag_len == 0 && has_icv) {
		enum dec_result ir =
		    esp_check_icv(d, is, k->akey, esp, ESP_HDR_LEN + a.iv_len + ct.len, icv.p);
		if (ir != DEC_OK)
			return ir;
	}
	if (!enc_ok)
		return res;

	if (a.cipher != NULL) {
		res = esp_run_cipher(d, &a, k->ekey, iv.p, hdr.p, ct.p, ct.len, icv.p);
		if (res != DEC_OK)
			return res;
	} else {
		/* NULL encryption: copied, so that esp_dec_payload is always ours. */
		memcpy(d->plain, ct.p, ct.len);
	}
	size_t payload_len = 0;
	uint8_t next = 0;
	res = esp_check_trailer(d->plain, ct.len, &next, &payload_len);
	if (res == DEC_OK)
		res = esp_parse_inner(d->plain, payload_len, next, out);
	if (res == DEC_OK)
		d->payload_len = payload_len;
	return res;
}

struct span
esp_dec_payload(const struct esp_dec *d)
{
	struct span s = {d->plain, d->payload_len};
	return s;
}
