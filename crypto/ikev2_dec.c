/*
 * IKEv2 decryption and AUTH recomputation (see crypto.h).
 *
 *   RFC 7296 §3.14  Encrypted payload (SK): IV, ciphertext, padding, ICV
 *   RFC 7383 §2.5   Encrypted Fragment payload (SKF)
 *   RFC 5930        AES-CTR for IKEv2 (nonce | IV | counter from 1)
 *   RFC 5282        AES-GCM / AES-CCM for IKEv2 (salt | IV, header as AAD)
 *   RFC 7634        ChaCha20-Poly1305 for IKEv2
 *   RFC 3566, 4494  AES-XCBC-MAC-96, AES-CMAC-96 (in crypto/mac.c)
 *   RFC 4434, 4615  AES-XCBC-PRF-128, AES-CMAC-PRF-128: their key adjustment
 *   RFC 7296 §2.15  AUTH with a shared key
 *
 *                       1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | Next Payload  |C|  RESERVED   |         Payload Length        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |        Fragment Number        |        Total Fragments        |  (SKF only)
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Initialization Vector                     |
 *  ~                    Encrypted IKE Payloads                     ~
 *  +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |               |             Padding (0-255 octets)            |
 *  +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
 *  |                                               |  Pad Length   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  ~                    Integrity Checksum Data                    ~
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/mac.h"

#define V2_MAX_ICV	   32	/* HMAC-SHA2-512-256 */
#define V2_MAX_IV	   16	/* AES block */
#define V2_MAX_PRF	   64	/* HMAC-SHA2-512 */
#define V2_CTX_SAS	   32	/* IKE SAs the PSK context follows at once */
#define V2_CTX_MSG	   8192 /* IKE_SA_INIT bytes kept per message */
#define V2_CTX_NONCE	   256	/* RFC 7296 §3.9: nonces are 16 to 256 octets */
#define V2_CTX_ID	   1024
#define V2_CTX_AUTH	   256
#define IKEV2_EXCH_SA_INIT 34
#define IKEV2_EXCH_AUTH	   35
#define IKEV2_XF_PRF	   2
#define IKEV2_AUTH_PSK	   2 /* Shared Key Message Integrity Code */

/* v2_prf hands its output buffer to mac_compute. */
_Static_assert(V2_MAX_PRF >= MAC_MAX_LEN, "a PRF buffer holds any MAC");

/* IKEv2 PRF transform IDs (IANA "Transform Type 2"). */
enum v2_prf {
	PRF_HMAC_MD5 = 1,
	PRF_HMAC_SHA1 = 2,
	PRF_AES128_XCBC = 4,
	PRF_HMAC_SHA2_256 = 5,
	PRF_HMAC_SHA2_384 = 6,
	PRF_HMAC_SHA2_512 = 7,
	PRF_AES128_CMAC = 8,
};

/* ---- primitives ---- */

static const EVP_CIPHER *
v2_aes(enum dec_encr e, size_t keylen)
{
	switch (e) {
	case ENCR_AES_CBC_:
		return keylen == 16   ? EVP_aes_128_cbc()
		       : keylen == 24 ? EVP_aes_192_cbc()
		       : keylen == 32 ? EVP_aes_256_cbc()
				      : NULL;
	case ENCR_AES_CTR_:
		return keylen == 16   ? EVP_aes_128_ctr()
		       : keylen == 24 ? EVP_aes_192_ctr()
		       : keylen == 32 ? EVP_aes_256_ctr()
				      : NULL;
	case ENCR_AES_GCM_:
		return keylen == 16   ? EVP_aes_128_gcm()
		       : keylen == 24 ? EVP_aes_192_gcm()
		       : keylen == 32 ? EVP_aes_256_gcm()
				      : NULL;
	case ENCR_AES_CCM_:
		return keylen == 16   ? EVP_aes_128_ccm()
		       : keylen == 24 ? EVP_aes_192_ccm()
		       : keylen == 32 ? EVP_aes_256_ccm()
				      : NULL;
	default:
		return NULL;
	}
}

/*
 * An IKEv2 PRF (RFC 7296 §2.13) by transform ID.  AES-XCBC-PRF-128 (RFC 4434 §2)
 * and AES-CMAC-PRF-128 (RFC 4615 §3) take keys of any length: shorter ones are
 * zero-padded, longer ones are first MACed under a zero key.  Returns the output
 * length, 0 for an unknown or failed PRF.
 */
static size_t
v2_prf(struct mac_ctx *mc, uint16_t prf, const uint8_t *key, size_t klen, const uint8_t *data,
       size_t len, uint8_t out[V2_MAX_PRF])
{
	enum dec_integ alg;
	switch (prf) {
	case PRF_HMAC_MD5:
		alg = INTEG_HMAC_MD5_;
		break;
	case PRF_HMAC_SHA1:
		alg = INTEG_HMAC_SHA1_;
		break;
	case PRF_HMAC_SHA2_256:
		alg = INTEG_HMAC_SHA256_;
		break;
	case PRF_HMAC_SHA2_384:
		alg = INTEG_HMAC_SHA384_;
		break;
	case PRF_HMAC_SHA2_512:
		alg = INTEG_HMAC_SHA512_;
		break;
	case PRF_AES128_XCBC:
		alg = INTEG_AES_XCBC_;
		break;
	case PRF_AES128_CMAC:
		alg = INTEG_AES_CMAC_;
		break;
	default:
		return 0;
	}
	size_t n = 0;
	if (alg != INTEG_AES_XCBC_ && alg != INTEG_AES_CMAC_)
		return mac_compute(mc, alg, key, klen, data, len, out, &n) ? n : 0;
	uint8_t k16[MAC_MAX_LEN] = {0};
	if (klen <= 16) {
		memcpy(k16, key, klen);
	} else {
		uint8_t zero[16] = {0};
		if (!mac_compute(mc, alg, zero, sizeof(zero), key, klen, k16, &n))
			return 0;
	}
	bool ok = mac_compute(mc, alg, k16, 16, data, len, out, &n);
	OPENSSL_cleanse(k16, sizeof(k16));
	return ok ? n : 0;
}

/* ---- SK / SKF ---- */

/* What the wire layout of SK needs from the cipher. */
struct v2_layout {
	size_t iv, block, icv, salt, key;
	bool aead;
};

static enum dec_result
v2_layout(const struct ikev2_keys *k, struct v2_layout *l)
{
	memset(l, 0, sizeof(*l));
	l->block = 1;
	switch (k->enc.encr) {
	case ENCR_NULL_:
		break;
	case ENCR_DES_:
		l->iv = l->block = 8;
		l->key = 8;
		break;
	case ENCR_3DES_:
		l->iv = l->block = 8;
		l->key = 24;
		break;
	case ENCR_AES_CBC_:
		l->iv = l->block = 16;
		break;
	case ENCR_AES_CTR_:
		/* RFC 5930 §2: 8-byte IV; the last 4 key bytes are the nonce. */
		l->iv = 8;
		l->salt = 4;
		break;
	case ENCR_AES_GCM_:
	case ENCR_CHACHA20_POLY1305_:
		l->iv = 8;
		l->salt = 4;
		l->aead = true;
		break;
	case ENCR_AES_CCM_:
		/* RFC 5282 §4: a 3-byte salt makes the 11-byte CCM nonce. */
		l->iv = 8;
		l->salt = 3;
		l->aead = true;
		break;
	case ENCR_NONE_:
		return DEC_NO_KEYS;
	default:
		return DEC_UNSUPPORTED;
	}
	if (k->enc.key_len > CRYPTO_MAX_KEY || k->enc.key_len < l->salt)
		return DEC_UNSUPPORTED;
	if (l->key == 0)
		l->key = k->enc.key_len - l->salt;
	if (l->key + l->salt != k->enc.key_len)
		return DEC_UNSUPPORTED;
	if (k->enc.encr == ENCR_CHACHA20_POLY1305_ && l->key != 32)
		return DEC_UNSUPPORTED;
	if (l->aead) {
		l->icv = k->enc.icv_len;
		/* RFC 5282 §3 / RFC 7634 §3: 8, 12 or 16 octets (ChaCha20: 16). */
		if (l->icv != 8 && l->icv != 12 && l->icv != 16)
			return DEC_UNSUPPORTED;
		return DEC_OK;
	}
	switch (k->integ.integ) {
	case INTEG_NONE_:
		l->icv = 0;
		break;
	case INTEG_UNSUPPORTED_:
		return DEC_UNSUPPORTED;
	default:
		l->icv = k->integ.icv_len;
		if (l->icv > V2_MAX_ICV || k->integ.key_len > CRYPTO_MAX_KEY)
			return DEC_UNSUPPORTED;
	}
	return DEC_OK;
}

/* GCM, CCM and ChaCha20-Poly1305 open: false when the tag does not match. */
static bool
v2_aead_open(const EVP_CIPHER *ciph, bool ccm, const uint8_t *key, const uint8_t *nonce,
	     size_t nlen, const uint8_t *aad, size_t aadlen, const uint8_t *ct, size_t ctlen,
	     const uint8_t *tag, size_t taglen, uint8_t *out)
{
	uint8_t t[16];
	memcpy(t, tag, taglen);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int l = 0;
	bool ok = c && EVP_DecryptInit_ex(c, ciph, NULL, NULL, NULL) &&
		  EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, (int)nlen, NULL) > 0;
	/* CCM wants the tag and the total length before any data. */
	if (ok && ccm)
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, (int)taglen, t) > 0;
	ok = ok && EVP_DecryptInit_ex(c, NULL, NULL, key, nonce);
	if (ok && ccm)
		ok = EVP_DecryptUpdate(c, NULL, &l, NULL, (int)ctlen);
	ok = ok && EVP_DecryptUpdate(c, NULL, &l, aad, (int)aadlen) &&
	     EVP_DecryptUpdate(c, out, &l, ct, (int)ctlen) > 0;
	if (ok && !ccm)
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, (int)taglen, t) > 0 &&
		     EVP_DecryptFinal_ex(c, out + l, &l) > 0;
	EVP_CIPHER_CTX_free(c);
	return ok;
}

/* Unauthenticated modes: CBC (no padding of OpenSSL's own), CTR. */
static bool
v2_plain_decrypt(const EVP_CIPHER *ciph, const uint8_t *key, const uint8_t *iv, const uint8_t *ct,
		 size_t ctlen, uint8_t *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int l = 0, f = 0;
	bool ok = c && EVP_DecryptInit_ex(c, ciph, NULL, key, iv) &&
		  EVP_CIPHER_CTX_set_padding(c, 0) &&
		  EVP_DecryptUpdate(c, out, &l, ct, (int)ctlen) &&
		  EVP_DecryptFinal_ex(c, out + l, &f) && (size_t)(l + f) == ctlen;
	EVP_CIPHER_CTX_free(c);
	return ok;
}

/*
 * With no integrity to trust (NULL / ANY), the inner chain must tile the
 * plaintext exactly, or the keys were wrong.
 */
static bool
v2_chain_tiles(const uint8_t *p, size_t len, uint8_t first)
{
	struct rd r = rd_init(p, len, len);
	uint8_t np = first;
	for (unsigned n = 0; np != 0; n++) {
		if (n >= IKE_MAX_PAYLOADS || rd_left(&r) < 4)
			return false;
		np = rd_u8(&r);
		rd_skip(&r, 1);
		uint16_t plen = rd_be16(&r);
		if (plen < 4 || !rd_skip(&r, (size_t)plen - 4))
			return false;
	}
	return rd_left(&r) == 0;
}

enum dec_result
ikev2_decrypt(const struct ikev2_keys *k, const struct ike_msg *m, bool from_i, uint8_t *out,
	      size_t cap, size_t *outlen)
{
	*outlen = 0;
	if (k == NULL)
		return DEC_NO_KEYS;
	struct v2_layout l;
	enum dec_result lr = v2_layout(k, &l);
	if (lr != DEC_OK)
		return lr;

	/* The SK or SKF payload ends the clear chain. */
	const struct ike_payload *sk = NULL;
	unsigned nclear = m->nclear ? m->nclear : m->npayloads;
	for (unsigned i = 0; i < nclear && i < IKE_MAX_PAYLOADS; i++)
		if (m->pl[i].type == IKEV2_P_SK || m->pl[i].type == IKEV2_P_SKF)
			sk = &m->pl[i];
	if (sk == NULL || sk->malformed)
		return DEC_LENGTH;
	bool skf = sk->type == IKEV2_P_SKF;
	struct span d = skf ? sk->u.skf.data : sk->u.sk.data;
	/* A cut payload has lost its ICV (or tag) at least. */
	if (d.p == NULL || m->raw.p == NULL || sk->len < (skf ? 8 : 4) ||
	    sk->body.len != (size_t)sk->len - 4)
		return DEC_LENGTH;
	uintptr_t base = (uintptr_t)m->raw.p, at = (uintptr_t)d.p;
	if (at < base || at - base > m->raw.len || d.len > m->raw.len - (at - base))
		return DEC_LENGTH;
	size_t aadlen = at - base; /* header .. SK(F) generic header (and fragment fields) */

	/* IV | ciphertext (at least the pad length byte) | ICV */
	if (d.len < l.iv + l.icv + 1)
		return DEC_LENGTH;
	size_t ctlen = d.len - l.iv - l.icv;
	if (ctlen % l.block != 0 || ctlen > cap || ctlen > INT32_MAX)
		return DEC_LENGTH;
	const uint8_t *iv = d.p, *ct = d.p + l.iv, *icv = ct + ctlen;
	const uint8_t *ek = from_i ? k->sk_ei : k->sk_er;
	const uint8_t *ak = from_i ? k->sk_ai : k->sk_ar;

	if (!l.aead && k->integ.integ != INTEG_NONE_ && k->integ.integ != INTEG_ANY_) {
		/* RFC 7296 §3.14: the ICV covers the message from the header to the ICV. */
		uint8_t mac[MAC_MAX_LEN];
		size_t n = 0;
		struct mac_ctx *mc = mac_ctx_new(NULL);
		bool ok = mac_compute(mc, k->integ.integ, ak, k->integ.key_len, m->raw.p,
				      aadlen + l.iv + ctlen, mac, &n);
		mac_ctx_free(mc);
		if (!ok || n == 0)
			return DEC_UNSUPPORTED;
		if (n < l.icv || CRYPTO_memcmp(mac, icv, l.icv) != 0)
			return DEC_INTEGRITY;
	}

	uint8_t nonce[16];
	switch (k->enc.encr) {
	case ENCR_NULL_:
		memcpy(out, ct, ctlen);
		break;
	case ENCR_DES_:
	case ENCR_3DES_:
	case ENCR_AES_CBC_: {
		const EVP_CIPHER *c = k->enc.encr == ENCR_DES_	  ? EVP_des_cbc()
				      : k->enc.encr == ENCR_3DES_ ? EVP_des_ede3_cbc()
								  : v2_aes(ENCR_AES_CBC_, l.key);
		if (c == NULL)
			return DEC_UNSUPPORTED;
		/* Single DES needs OpenSSL's legacy provider: absent, unsupported. */
		if (!v2_plain_decrypt(c, ek, iv, ct, ctlen, out))
			return DEC_UNSUPPORTED;
		break;
	}
	case ENCR_AES_CTR_: {
		/* RFC 5930 §2 / RFC 3686 §4: nonce(4) | IV(8) | block counter from 1 */
		const EVP_CIPHER *c = v2_aes(ENCR_AES_CTR_, l.key);
		if (c == NULL)
			return DEC_UNSUPPORTED;
		memcpy(nonce, ek + l.key, 4);
		memcpy(nonce + 4, iv, 8);
		static const uint8_t one[4] = {0, 0, 0, 1};
		memcpy(nonce + 12, one, 4);
		if (!v2_plain_decrypt(c, ek, nonce, ct, ctlen, out))
			return DEC_UNSUPPORTED;
		break;
	}
	case ENCR_AES_GCM_:
	case ENCR_AES_CCM_:
	case ENCR_CHACHA20_POLY1305_: {
		const EVP_CIPHER *c = k->enc.encr == ENCR_CHACHA20_POLY1305_
					  ? EVP_chacha20_poly1305()
					  : v2_aes(k->enc.encr, l.key);
		if (c == NULL)
			return DEC_UNSUPPORTED;
		/* RFC 5282 §4, RFC 7634 §2: salt | IV; AAD = header through SK(F) header */
		memcpy(nonce, ek + l.key, l.salt);
		memcpy(nonce + l.salt, iv, 8);
		if (!v2_aead_open(c, k->enc.encr == ENCR_AES_CCM_, ek, nonce, l.salt + 8, m->raw.p,
				  aadlen, ct, ctlen, icv, l.icv, out)) {
			OPENSSL_cleanse(out, ctlen);
			return DEC_INTEGRITY;
		}
		break;
	}
	default:
		return DEC_UNSUPPORTED;
	}

	/* Pad Length is the last plaintext byte; it cannot exceed what precedes it. */
	struct rd r = rd_init(out, ctlen, ctlen);
	rd_skip(&r, ctlen - 1);
	uint8_t pad = rd_u8(&r);
	if (!rd_ok(&r) || (size_t)pad + 1 > ctlen)
		return DEC_PADDING;
	size_t plen = ctlen - pad - 1;
	bool trusted = l.aead || (k->integ.integ != INTEG_NONE_ && k->integ.integ != INTEG_ANY_);
	/* Only SK holds a whole chain; an SKF fragment holds a piece of one. */
	if (!trusted && !skf && !v2_chain_tiles(out, plen, m->sk_first_inner))
		return DEC_PADDING;
	*outlen = plen;
	return DEC_OK;
}

/* ---- IKEv2 PSK AUTH (RFC 7296 §2.15) ---- */

/* What one direction contributes to AUTH: its IKE_SA_INIT message, nonce, ID, AUTH. */
struct v2_side {
	uint8_t msg[V2_CTX_MSG];
	size_t msg_len;
	uint8_t nonce[V2_CTX_NONCE];
	size_t nonce_len;
	uint8_t id[V2_CTX_ID]; /* RestOfIDPayload: ID type, 3 reserved bytes, data */
	size_t id_len;
	uint8_t auth[V2_CTX_AUTH];
	size_t auth_len;
	uint8_t auth_method;
	bool has_id, has_auth;
	bool no_auth; /* IKE_AUTH with an ID but no AUTH: EAP, where AUTH uses the MSK */
};

struct v2_sa {
	bool used;
	bool has_spi_r;
	uint8_t spi_i[8], spi_r[8];
	uint16_t prf;
	uint64_t age;
	struct v2_side i, r;
};

struct ikev2_ctx {
	struct v2_sa sa[V2_CTX_SAS];
	uint64_t clock;
};

struct ikev2_ctx *
ikev2_ctx_new(void)
{
	return calloc(1, sizeof(struct ikev2_ctx));
}

void
ikev2_ctx_free(struct ikev2_ctx *c)
{
	if (c == NULL)
		return;
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
}

/* The index of the SA with these SPIs (spi_r NULL: by SPIi alone), or -1. */
static int
v2_find(const struct ikev2_ctx *c, const uint8_t spi_i[8], const uint8_t *spi_r)
{
	for (int n = 0; n < V2_CTX_SAS; n++) {
		const struct v2_sa *s = &c->sa[n];
		if (!s->used || memcmp(s->spi_i, spi_i, 8) != 0)
			continue;
		if (spi_r == NULL || (s->has_spi_r && memcmp(s->spi_r, spi_r, 8) == 0))
			return n;
	}
	return -1;
}

/* A slot for a new SA: a free one, else the oldest. */
static struct v2_sa *
v2_slot(struct ikev2_ctx *c)
{
	struct v2_sa *old = &c->sa[0];
	for (size_t n = 0; n < V2_CTX_SAS; n++) {
		if (!c->sa[n].used)
			return &c->sa[n];
		if (c->sa[n].age < old->age)
			old = &c->sa[n];
	}
	return old;
}

static void
v2_keep(uint8_t *dst, size_t cap, size_t *len, struct span s)
{
	*len = 0;
	if (s.p == NULL || s.len > cap)
		return;
	memcpy(dst, s.p, s.len);
	*len = s.len;
}

/* The first payload of a type in pl[from..to). */
static const struct ike_payload *
v2_payload(const struct ike_msg *m, unsigned from, unsigned to, uint8_t type)
{
	for (unsigned i = from; i < to && i < IKE_MAX_PAYLOADS; i++)
		if (m->pl[i].type == type && !m->pl[i].malformed)
			return &m->pl[i];
	return NULL;
}

static void
v2_observe_init(struct ikev2_ctx *c, const struct ike_msg *m, bool from_i)
{
	const struct ike_payload *no = v2_payload(m, 0, m->nclear, IKEV2_P_NONCE);
	bool resp = ike_is_response(m);
	if (from_i && !resp) {
		/* A retry (COOKIE, INVALID_KE) keeps the SPIi: the last one is RealMessage1. */
		int at = v2_find(c, m->spi_i, NULL);
		struct v2_sa *s = at >= 0 ? &c->sa[at] : NULL;
		if (s != NULL && s->has_spi_r)
			return;
		if (s == NULL) {
			s = v2_slot(c);
			memset(s, 0, sizeof(*s));
			s->used = true;
			memcpy(s->spi_i, m->spi_i, 8);
		}
		s->age = ++c->clock;
		v2_keep(s->i.msg, sizeof(s->i.msg), &s->i.msg_len,
			m->truncated ? (struct span){0} : m->raw);
		v2_keep(s->i.nonce, sizeof(s->i.nonce), &s->i.nonce_len,
			no ? no->u.nonce : (struct span){0});
		return;
	}
	if (from_i || !resp)
		return;
	/* Only the response that chose a proposal (SA and Nr) completes IKE_SA_INIT. */
	const struct ike_payload *sa = v2_payload(m, 0, m->nclear, IKEV2_P_SA);
	int at = v2_find(c, m->spi_i, NULL);
	struct v2_sa *s = at >= 0 ? &c->sa[at] : NULL;
	if (s == NULL || sa == NULL || no == NULL || s->has_spi_r)
		return;
	memcpy(s->spi_r, m->spi_r, 8);
	s->has_spi_r = true;
	s->age = ++c->clock;
	v2_keep(s->r.msg, sizeof(s->r.msg), &s->r.msg_len,
		m->truncated ? (struct span){0} : m->raw);
	v2_keep(s->r.nonce, sizeof(s->r.nonce), &s->r.nonce_len, no->u.nonce);
	for (unsigned n = 0; n < m->nxf && n < IKE_MAX_TRANSFORMS; n++)
		if (m->xf[n].type == IKEV2_XF_PRF) {
			s->prf = m->xf[n].id;
			break;
		}
}

void
ikev2_observe(struct ikev2_ctx *c, const struct ike_msg *m, bool from_i)
{
	if (c == NULL || m == NULL || m->version != 2)
		return;
	if (m->exchange == IKEV2_EXCH_SA_INIT) {
		v2_observe_init(c, m, from_i);
		return;
	}
	if (m->exchange != IKEV2_EXCH_AUTH || m->npayloads <= m->nclear)
		return;
	/* IDi/AUTH from the initiator's request, IDr/AUTH from the responder's response. */
	bool resp = ike_is_response(m);
	if (from_i == resp)
		return;
	int at = v2_find(c, m->spi_i, m->spi_r);
	if (at < 0)
		return;
	struct v2_sa *s = &c->sa[at];
	struct v2_side *sd = from_i ? &s->i : &s->r;
	const struct ike_payload *id =
	    v2_payload(m, m->nclear, m->npayloads, from_i ? IKEV2_P_IDI : IKEV2_P_IDR);
	const struct ike_payload *au = v2_payload(m, m->nclear, m->npayloads, IKEV2_P_AUTH);
	if (id == NULL || id->body.len != (size_t)id->len - 4)
		return;
	v2_keep(sd->id, sizeof(sd->id), &sd->id_len, id->body);
	sd->has_id = sd->id_len > 0;
	sd->has_auth = false;
	sd->no_auth = au == NULL;
	if (au != NULL) {
		sd->auth_method = au->u.auth.method;
		v2_keep(sd->auth, sizeof(sd->auth), &sd->auth_len, au->u.auth.data);
		sd->has_auth = sd->auth_len > 0;
	}
}

/*
 * AUTH = prf(prf(PSK, "Key Pad for IKEv2"), RealMessage | Nonce(peer) | prf(SK_p, ID'))
 */
static enum psk_verdict
v2_psk_side(struct mac_ctx *mc, const struct v2_sa *s, bool initiator, const uint8_t *skp,
	    size_t skp_len, const uint8_t *psk, size_t psk_len)
{
	const struct v2_side *me = initiator ? &s->i : &s->r;
	const struct v2_side *peer = initiator ? &s->r : &s->i;
	if (!me->has_id || !me->has_auth || me->no_auth || me->auth_method != IKEV2_AUTH_PSK ||
	    me->msg_len == 0 || peer->nonce_len == 0)
		return PSK_NOT_CHECKABLE;
	static const char pad[] = "Key Pad for IKEv2";
	uint8_t macid[V2_MAX_PRF], kp[V2_MAX_PRF], auth[V2_MAX_PRF];
	size_t nid = v2_prf(mc, s->prf, skp, skp_len, me->id, me->id_len, macid);
	size_t nkp = v2_prf(mc, s->prf, psk, psk_len, (const uint8_t *)pad, sizeof(pad) - 1, kp);
	if (nid == 0 || nkp == 0)
		return PSK_NOT_CHECKABLE;
	size_t total = me->msg_len + peer->nonce_len + nid;
	uint8_t *so = malloc(total);
	if (so == NULL)
		return PSK_NOT_CHECKABLE;
	memcpy(so, me->msg, me->msg_len);
	memcpy(so + me->msg_len, peer->nonce, peer->nonce_len);
	memcpy(so + me->msg_len + peer->nonce_len, macid, nid);
	size_t na = v2_prf(mc, s->prf, kp, nkp, so, total, auth);
	free(so);
	OPENSSL_cleanse(kp, sizeof(kp));
	if (na == 0)
		return PSK_NOT_CHECKABLE;
	return na == me->auth_len && CRYPTO_memcmp(auth, me->auth, na) == 0 ? PSK_MATCH
									    : PSK_MISMATCH;
}

enum psk_verdict
ikev2_psk_check(const struct ikev2_ctx *c, const struct ikev2_keys *k, const uint8_t *psk,
		size_t psk_len)
{
	if (c == NULL || k == NULL || psk == NULL || !k->has_auth_keys || k->sk_p_len == 0 ||
	    k->sk_p_len > CRYPTO_MAX_KEY)
		return PSK_NOT_CHECKABLE;
	int at = v2_find(c, k->spi_i, k->spi_r);
	if (at < 0)
		return PSK_NOT_CHECKABLE;
	const struct v2_sa *s = &c->sa[at];
	struct mac_ctx *mc = mac_ctx_new(NULL);
	if (mc == NULL)
		return PSK_NOT_CHECKABLE;
	/* The initiator's AUTH decides; the responder's when the request was not seen. */
	enum psk_verdict v = v2_psk_side(mc, s, true, k->sk_pi, k->sk_p_len, psk, psk_len);
	if (v == PSK_NOT_CHECKABLE)
		v = v2_psk_side(mc, s, false, k->sk_pr, k->sk_p_len, psk, psk_len);
	mac_ctx_free(mc);
	return v;
}
