/*
 * IKEv1 decryption (RFC 2409 §5 and Appendix B) and the aggressive-mode
 * pre-shared key check (RFC 2409 §5.4).
 *
 * The context follows each ISAKMP SA (both cookies) from its cleartext
 * messages: the phase 1 transform chosen by the responder, the KE public
 * values (the first IV is hash(g^xi | g^xr)), and for aggressive mode what
 * HASH_R covers.  IVs chain on ciphertext only, so the chain advances whether
 * or not a message can be decrypted:
 *
 *   phase 1 (M-ID 0):   IV(1) = hash(g^xi | g^xr), IV(n) = last block of message n-1
 *   each other M-ID:    IV(1) = hash(last phase 1 block | M-ID), then chained per M-ID
 *
 * A retransmission repeats the bytes of a message already seen: the IV used
 * for a (M-ID, first ciphertext block) pair is remembered and reused, and the
 * chain is left where it was.
 */
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

#define V1_MAX_SA    1024 /* ISAKMP SAs followed; the oldest is forgotten */
#define V1_MAX_KE    1024 /* bytes of a KE public value (MODP 8192 is 1024) */
#define V1_MAX_SAB   4096 /* bytes of the initiator's SA payload body */
#define V1_MAX_NONCE 256  /* RFC 2409 §5: nonces are 8 to 256 bytes */
#define V1_MAX_IDB   1024 /* bytes of an ID payload body (DNs can be long) */
#define V1_MAX_HASH  64
#define V1_MAX_BLOCK 16
#define V1_MAX_CHAIN 32 /* message IDs followed per SA */
#define V1_MAX_MEMO  64 /* IVs remembered per SA for retransmissions */

/* IKEv1 phase 1 attribute values (RFC 2409 Appendix A). */
enum {
	V1_ENCR_DES = 1,
	V1_ENCR_3DES = 5,
	V1_ENCR_AES_CBC = 7,
	V1_HASH_MD5 = 1,
	V1_HASH_SHA1 = 2,
	V1_HASH_SHA256 = 4,
	V1_HASH_SHA384 = 5,
	V1_HASH_SHA512 = 6,
	V1_AUTH_PSK = 1,
	V1_AUTH_XAUTH_INIT_PSK = 65001, /* draft-ietf-ipsec-isakmp-xauth */
	V1_AUTH_XAUTH_RESP_PSK = 65002,
	V1_EXCH_MAIN = 2,
	V1_EXCH_AGGRESSIVE = 4,
};

/* A bounded copy of a payload's bytes. */
#define V1_BLOB(n)                                                                                 \
	struct {                                                                                   \
		uint16_t len;                                                                      \
		bool set;                                                                          \
		uint8_t b[n];                                                                      \
	}

struct v1_chain {
	uint32_t msgid;
	uint8_t iv[V1_MAX_BLOCK]; /* last ciphertext block of the M-ID's last message */
	uint64_t age;
};

struct v1_memo {
	uint32_t msgid;
	uint8_t first[V1_MAX_BLOCK]; /* first ciphertext block of the message */
	uint8_t iv[V1_MAX_BLOCK];
};

struct v1_sa {
	uint8_t ci[8], cr[8];
	uint64_t age;
	uint8_t exchange; /* of the phase 1 messages: main or aggressive */
	/* the phase 1 transform: the responder's choice, else the initiator's only offer */
	bool have_xf, xf_from_r;
	uint16_t encr, keylen_bits, hash, auth;
	V1_BLOB(V1_MAX_KE) gxi;
	V1_BLOB(V1_MAX_KE) gxr;
	V1_BLOB(V1_MAX_SAB) sai;
	V1_BLOB(V1_MAX_NONCE) ni;
	V1_BLOB(V1_MAX_NONCE) nr;
	V1_BLOB(V1_MAX_IDB) idii;
	V1_BLOB(V1_MAX_IDB) idir;
	V1_BLOB(V1_MAX_HASH) hash_r;
	/* the phase 1 chain: p1_iv is valid once p1_set */
	bool p1_set;
	uint8_t p1_iv[V1_MAX_BLOCK];
	struct v1_chain chains[V1_MAX_CHAIN];
	unsigned nchains;
	uint64_t chain_clock;
	struct v1_memo memo[V1_MAX_MEMO];
	unsigned nmemo, memo_next;
};

struct ikev1_ctx {
	struct v1_sa *sa[V1_MAX_SA];
	unsigned nsa;
	uint64_t clock;
	EVP_CIPHER_CTX *cctx; /* reused by every decryption */
};

struct ikev1_ctx *
ikev1_ctx_new(void)
{
	struct ikev1_ctx *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->cctx = EVP_CIPHER_CTX_new();
	if (c->cctx == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void
ikev1_ctx_free(struct ikev1_ctx *c)
{
	if (c == NULL)
		return;
	for (unsigned i = 0; i < c->nsa; i++) {
		/* KE values, nonces and IVs are key material. */
		OPENSSL_cleanse(c->sa[i], sizeof(*c->sa[i]));
		free(c->sa[i]);
	}
	EVP_CIPHER_CTX_free(c->cctx);
	free(c);
}

static const uint8_t zero_cookie[8];

/*
 * The SA of these cookies.  MM1/AM1 carry a zero responder cookie: the first
 * message with both adopts the entry that has only the initiator's.
 */
static struct v1_sa *
v1_sa_find(struct ikev1_ctx *c, const uint8_t ci[8], const uint8_t cr[8], bool create)
{
	struct v1_sa *half = NULL, *same_ci = NULL;
	for (unsigned i = 0; i < c->nsa; i++) {
		struct v1_sa *s = c->sa[i];
		if (memcmp(s->ci, ci, 8) != 0)
			continue;
		if (memcmp(s->cr, cr, 8) == 0) {
			s->age = ++c->clock;
			return s;
		}
		if (memcmp(s->cr, zero_cookie, 8) == 0)
			half = s;
		if (same_ci == NULL || s->age > same_ci->age)
			same_ci = s;
	}
	if (half != NULL) {
		memcpy(half->cr, cr, 8);
		half->age = ++c->clock;
		return half;
	}
	/* A retransmitted MM1/AM1 after the responder answered. */
	if (same_ci != NULL && memcmp(cr, zero_cookie, 8) == 0) {
		same_ci->age = ++c->clock;
		return same_ci;
	}
	if (!create)
		return NULL;
	struct v1_sa *s;
	if (c->nsa < V1_MAX_SA) {
		s = malloc(sizeof(*s));
		if (s == NULL)
			return NULL;
		c->sa[c->nsa++] = s;
	} else {
		/* The table is full: reuse the least recently seen SA. */
		unsigned old = 0;
		for (unsigned i = 1; i < c->nsa; i++)
			if (c->sa[i]->age < c->sa[old]->age)
				old = i;
		s = c->sa[old];
	}
	memset(s, 0, sizeof(*s));
	memcpy(s->ci, ci, 8);
	memcpy(s->cr, cr, 8);
	s->age = ++c->clock;
	return s;
}

/* Keeps a bounded copy of a span; a longer one is marked absent. */
static void
v1_blob_set(uint8_t *dst, uint16_t *len, bool *set, size_t cap, struct span src)
{
	if (src.p == NULL || src.len > cap) {
		*set = false;
		*len = 0;
		return;
	}
	memcpy(dst, src.p, src.len);
	*len = (uint16_t)src.len;
	*set = true;
}
#define V1_KEEP(blob, span) v1_blob_set((blob).b, &(blob).len, &(blob).set, sizeof((blob).b), span)

static const EVP_MD *
v1_md(uint16_t hash)
{
	switch (hash) {
	case V1_HASH_MD5:
		return EVP_md5();
	case V1_HASH_SHA1:
		return EVP_sha1();
	case V1_HASH_SHA256:
		return EVP_sha256();
	case V1_HASH_SHA384:
		return EVP_sha384();
	case V1_HASH_SHA512:
		return EVP_sha512();
	default:
		return NULL;
	}
}

static const char *
v1_md_name(uint16_t hash)
{
	switch (hash) {
	case V1_HASH_MD5:
		return "MD5";
	case V1_HASH_SHA1:
		return "SHA1";
	case V1_HASH_SHA256:
		return "SHA2-256";
	case V1_HASH_SHA384:
		return "SHA2-384";
	case V1_HASH_SHA512:
		return "SHA2-512";
	default:
		return NULL;
	}
}

/* Cipher block size of the phase 1 algorithm; 0 when not a supported CBC cipher. */
static size_t
v1_block(uint16_t encr)
{
	switch (encr) {
	case V1_ENCR_DES:
	case V1_ENCR_3DES:
		return 8;
	case V1_ENCR_AES_CBC:
		return 16;
	default:
		return 0;
	}
}

/* The phase 1 transform of an SA payload: its first proposal's first transform. */
static bool
v1_sa_transform(const struct ike_msg *m, const struct ike_payload *p,
		const struct ike_transform **x)
{
	if (p->u.sa.nprops == 0 || p->u.sa.first_prop >= m->nprops)
		return false;
	const struct ike_proposal *pr = &m->props[p->u.sa.first_prop];
	if (pr->count == 0 || pr->first >= m->nxf)
		return false;
	*x = &m->xf[pr->first];
	return true;
}

/* Records a phase 1 SA payload: the responder's choice wins over the initiator's offer. */
static void
v1_note_sa(struct v1_sa *s, const struct ike_msg *m, const struct ike_payload *p, bool from_i)
{
	const struct ike_transform *x;
	if (from_i) {
		V1_KEEP(s->sai, p->body);
		/* An initiator's single offer is the answer even if MM2/AM2 is missing. */
		if (s->xf_from_r || p->u.sa.nprops != 1 || m->props[p->u.sa.first_prop].count != 1)
			return;
	}
	if (!v1_sa_transform(m, p, &x))
		return;
	s->have_xf = true;
	s->xf_from_r = !from_i;
	s->encr = x->v1_encr;
	s->keylen_bits = x->keylen;
	s->hash = x->v1_hash;
	s->auth = x->v1_auth;
}

/* hash(a | b) truncated to the block size into out; false if the hash is unknown. */
static bool
v1_hash2(uint16_t hash, const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, uint8_t *out,
	 size_t outlen)
{
	const EVP_MD *md = v1_md(hash);
	uint8_t h[EVP_MAX_MD_SIZE];
	unsigned hlen = 0;
	if (md == NULL || (size_t)EVP_MD_get_size(md) < outlen)
		return false;
	EVP_MD_CTX *x = EVP_MD_CTX_new();
	bool ok = x != NULL && EVP_DigestInit_ex(x, md, NULL) == 1 &&
		  EVP_DigestUpdate(x, a, alen) == 1 && EVP_DigestUpdate(x, b, blen) == 1 &&
		  EVP_DigestFinal_ex(x, h, &hlen) == 1;
	EVP_MD_CTX_free(x);
	if (ok)
		memcpy(out, h, outlen);
	return ok;
}

/* Sets the phase 1 chain from the KE values if no encrypted phase 1 message set it. */
static void
v1_p1_start(struct v1_sa *s, size_t bs)
{
	if (s->p1_set || !s->gxi.set || !s->gxr.set)
		return;
	s->p1_set = v1_hash2(s->hash, s->gxi.b, s->gxi.len, s->gxr.b, s->gxr.len, s->p1_iv, bs);
}

static struct v1_chain *
v1_chain_find(struct v1_sa *s, uint32_t msgid)
{
	for (unsigned i = 0; i < s->nchains; i++)
		if (s->chains[i].msgid == msgid)
			return &s->chains[i];
	return NULL;
}

/* A new M-ID's chain; when full, the least recently used M-ID is dropped. */
static struct v1_chain *
v1_chain_add(struct v1_sa *s, uint32_t msgid)
{
	struct v1_chain *ch;
	if (s->nchains < V1_MAX_CHAIN) {
		ch = &s->chains[s->nchains++];
	} else {
		ch = &s->chains[0];
		for (unsigned i = 1; i < s->nchains; i++)
			if (s->chains[i].age < ch->age)
				ch = &s->chains[i];
	}
	ch->msgid = msgid;
	return ch;
}

static const struct v1_memo *
v1_memo_find(const struct v1_sa *s, uint32_t msgid, const uint8_t *first, size_t bs)
{
	for (unsigned i = 0; i < s->nmemo; i++)
		if (s->memo[i].msgid == msgid && memcmp(s->memo[i].first, first, bs) == 0)
			return &s->memo[i];
	return NULL;
}

static void
v1_memo_add(struct v1_sa *s, uint32_t msgid, const uint8_t *first, const uint8_t *iv, size_t bs)
{
	struct v1_memo *mo = &s->memo[s->memo_next];
	s->memo_next = (s->memo_next + 1) % V1_MAX_MEMO;
	if (s->nmemo < V1_MAX_MEMO)
		s->nmemo++;
	mo->msgid = msgid;
	memcpy(mo->first, first, bs);
	memcpy(mo->iv, iv, bs);
}

/*
 * The IV of an encrypted message whose ciphertext is ct (a whole number of bs
 * blocks), advancing the chain of its M-ID unless the message is a
 * retransmission.  Calling it twice for one message gives the same IV.
 * Returns false when the IV cannot be known (KE values not seen).
 */
static bool
v1_iv(struct v1_sa *s, uint32_t msgid, const uint8_t *ct, size_t ctlen, size_t bs, uint8_t *iv)
{
	const struct v1_memo *mo = v1_memo_find(s, msgid, ct, bs);
	if (mo != NULL) {
		memcpy(iv, mo->iv, bs);
		return true;
	}
	const uint8_t *last = ct + ctlen - bs;
	bool known;
	if (msgid == 0) {
		v1_p1_start(s, bs);
		known = s->p1_set;
		if (known)
			memcpy(iv, s->p1_iv, bs);
		/* The chain is on ciphertext: it goes on even when this IV was unknown. */
		memcpy(s->p1_iv, last, bs);
		s->p1_set = true;
	} else {
		struct v1_chain *ch = v1_chain_find(s, msgid);
		if (ch != NULL) {
			memcpy(iv, ch->iv, bs);
			known = true;
		} else {
			v1_p1_start(s, bs);
			uint8_t mid[4] = {(uint8_t)(msgid >> 24), (uint8_t)(msgid >> 16),
					  (uint8_t)(msgid >> 8), (uint8_t)msgid};
			known = s->p1_set && v1_hash2(s->hash, s->p1_iv, bs, mid, 4, iv, bs);
			ch = v1_chain_add(s, msgid);
		}
		memcpy(ch->iv, last, bs);
		ch->age = ++s->chain_clock;
	}
	if (known)
		v1_memo_add(s, msgid, ct, iv, bs);
	return known;
}

/* The ciphertext after the header: whole as sent, else NULL. */
static bool
v1_ciphertext(const struct ike_msg *m, struct span *ct)
{
	/* A cut message lacks its last block, which the next IV needs. */
	if (m->version != 1 || !m->encrypted || m->truncated || m->raw.p == NULL ||
	    m->raw.len != m->length || m->raw.len < IKE_HDR_SIZE)
		return false;
	struct rd r = rd_init(m->raw.p, m->raw.len, m->raw.len);
	rd_skip(&r, IKE_HDR_SIZE);
	return rd_bytes(&r, rd_left(&r), ct);
}

void
ikev1_observe(struct ikev1_ctx *c, const struct ike_msg *m, bool from_i)
{
	if (c == NULL || m->version != 1)
		return;
	struct v1_sa *s = v1_sa_find(c, m->spi_i, m->spi_r, true);
	if (s == NULL)
		return;
	if (m->encrypted) {
		struct span ct;
		size_t bs = s->have_xf ? v1_block(s->encr) : 0;
		if (bs && v1_ciphertext(m, &ct) && ct.len >= bs && ct.len % bs == 0) {
			uint8_t iv[V1_MAX_BLOCK];
			v1_iv(s, m->msgid, ct.p, ct.len, bs, iv);
		}
		return;
	}
	/* Only phase 1 messages in clear carry what the keys and HASH_R depend on. */
	if (m->msgid != 0 || (m->exchange != V1_EXCH_MAIN && m->exchange != V1_EXCH_AGGRESSIVE))
		return;
	s->exchange = m->exchange;
	for (unsigned i = 0; i < m->npayloads; i++) {
		const struct ike_payload *p = &m->pl[i];
		if (p->malformed != NULL)
			continue;
		switch (p->type) {
		case IKEV1_P_SA:
			v1_note_sa(s, m, p, from_i);
			break;
		case IKEV1_P_KE:
			if (from_i)
				V1_KEEP(s->gxi, p->u.ke.data);
			else
				V1_KEEP(s->gxr, p->u.ke.data);
			break;
		case IKEV1_P_NONCE:
			if (from_i)
				V1_KEEP(s->ni, p->u.nonce);
			else
				V1_KEEP(s->nr, p->u.nonce);
			break;
		case IKEV1_P_ID:
			if (from_i)
				V1_KEEP(s->idii, p->body);
			else
				V1_KEEP(s->idir, p->body);
			break;
		case IKEV1_P_HASH:
			if (!from_i)
				V1_KEEP(s->hash_r, p->u.nonce);
			break;
		default:
			break;
		}
	}
}

/*
 * Whether plaintext can be the payload chain starting with `first`: every
 * generic header
 *  | Next Payload  |   RESERVED    |         Payload Length        |
 * fits, and the chain ends (next payload 0) before the padding.  A wrong key
 * makes random bytes, which fail this almost always.
 */
static bool
v1_chain_plausible(const uint8_t *plain, size_t len, uint8_t first)
{
	struct rd r = rd_init(plain, len, len);
	uint8_t next = first;
	for (unsigned n = 0; next != 0; n++) {
		/* Every turn consumes 4 bytes at least. */
		if (n >= IKE_MAX_PAYLOADS)
			return false;
		uint8_t nx = rd_u8(&r);
		uint8_t reserved = rd_u8(&r);
		uint16_t plen = rd_be16(&r);
		/* RFC 2408 §3.2: RESERVED is 0; the length covers the header. */
		if (!rd_ok(&r) || plen < 4 || (n == 0 && reserved != 0))
			return false;
		if (!rd_skip(&r, plen - 4u))
			return false;
		next = nx;
	}
	return true;
}

static const EVP_CIPHER *
v1_cipher(uint16_t encr, size_t keylen)
{
	switch (encr) {
	case V1_ENCR_DES:
		/* EDE with three equal keys is DES, without OpenSSL 3's legacy provider. */
		return keylen == 8 ? EVP_des_ede3_cbc() : NULL;
	case V1_ENCR_3DES:
		return keylen == 24 ? EVP_des_ede3_cbc() : NULL;
	case V1_ENCR_AES_CBC:
		return keylen == 16   ? EVP_aes_128_cbc()
		       : keylen == 24 ? EVP_aes_192_cbc()
		       : keylen == 32 ? EVP_aes_256_cbc()
				      : NULL;
	default:
		return NULL;
	}
}

/* Bytes of key the algorithm takes (RFC 3602 §5: AES defaults to 128 bits). */
static size_t
v1_key_len(const struct v1_sa *s)
{
	switch (s->encr) {
	case V1_ENCR_DES:
		return 8;
	case V1_ENCR_3DES:
		return 24;
	case V1_ENCR_AES_CBC:
		return s->keylen_bits ? s->keylen_bits / 8u : 16;
	default:
		return 0;
	}
}

enum dec_result
ikev1_decrypt(struct ikev1_ctx *c, const struct ikev1_keys *k, const struct ike_msg *m, bool from_i,
	      uint8_t *out, size_t cap, size_t *outlen)
{
	(void)from_i;
	*outlen = 0;
	if (c == NULL || k == NULL || m->version != 1 || !m->encrypted)
		return DEC_NO_KEYS;
	struct v1_sa *s = v1_sa_find(c, m->spi_i, m->spi_r, true);
	/* Without the transform (MM2/AM2 not seen) there is nothing to try. */
	if (s == NULL || !s->have_xf)
		return DEC_NO_KEYS;
	size_t bs = v1_block(s->encr);
	size_t klen = v1_key_len(s);
	if (bs == 0 || klen == 0 || klen > sizeof(k->key))
		return DEC_UNSUPPORTED;
	/* The key file's key must hold as many bytes as the algorithm takes. */
	if (k->key_len < klen)
		return DEC_NO_KEYS;
	const EVP_CIPHER *ciph = v1_cipher(s->encr, klen);
	if (ciph == NULL)
		return DEC_UNSUPPORTED;
	struct span ct;
	if (!v1_ciphertext(m, &ct) || ct.len < bs || ct.len % bs != 0 || ct.len > cap)
		return DEC_LENGTH;
	uint8_t iv[V1_MAX_BLOCK];
	if (!v1_iv(s, m->msgid, ct.p, ct.len, bs, iv))
		return DEC_NO_KEYS;
	uint8_t key[24];
	const uint8_t *kp = k->key;
	if (s->encr == V1_ENCR_DES) {
		memcpy(key, k->key, 8);
		memcpy(key + 8, k->key, 8);
		memcpy(key + 16, k->key, 8);
		kp = key;
	}
	int n1 = 0, n2 = 0;
	bool ok = EVP_DecryptInit_ex(c->cctx, ciph, NULL, kp, iv) == 1 &&
		  EVP_CIPHER_CTX_set_padding(c->cctx, 0) == 1 &&
		  EVP_DecryptUpdate(c->cctx, out, &n1, ct.p, (int)ct.len) == 1 &&
		  EVP_DecryptFinal_ex(c->cctx, out + n1, &n2) == 1;
	OPENSSL_cleanse(key, sizeof(key));
	if (!ok || (size_t)n1 + (size_t)n2 != ct.len)
		return DEC_UNSUPPORTED;
	*outlen = ct.len;
	return v1_chain_plausible(out, ct.len, m->first_payload) ? DEC_OK : DEC_PADDING;
}

/* prf (RFC 2409 §5) = HMAC with the negotiated hash, over up to 6 parts. */
static bool
v1_prf(uint16_t hash, const uint8_t *key, size_t klen, const struct span *parts, size_t nparts,
       uint8_t *out, size_t *outlen)
{
	const char *name = v1_md_name(hash);
	if (name == NULL)
		return false;
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *x = mac ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM params[2] = {
	    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)(uintptr_t)name, 0),
	    OSSL_PARAM_construct_end()};
	bool ok = x != NULL && EVP_MAC_init(x, key, klen, params) == 1;
	for (size_t i = 0; ok && i < nparts; i++)
		ok = EVP_MAC_update(x, parts[i].p, parts[i].len) == 1;
	ok = ok && EVP_MAC_final(x, out, outlen, EVP_MAX_MD_SIZE) == 1;
	EVP_MAC_CTX_free(x);
	EVP_MAC_free(mac);
	return ok;
}

enum psk_verdict
ikev1_psk_check(const struct ikev1_ctx *c, const uint8_t cookie_i[8], const uint8_t *psk,
		size_t psk_len)
{
	if (c == NULL || psk == NULL)
		return PSK_UNCHECKED;
	const struct v1_sa *s = NULL;
	for (unsigned i = 0; i < c->nsa; i++)
		if (memcmp(c->sa[i]->ci, cookie_i, 8) == 0 && (s == NULL || c->sa[i]->age > s->age))
			s = c->sa[i];
	/* Main mode hides HASH_R under SKEYID_e, which needs g^xy. */
	if (s == NULL || s->exchange != V1_EXCH_AGGRESSIVE || !s->have_xf)
		return PSK_NOT_CHECKABLE;
	if (s->auth != V1_AUTH_PSK && s->auth != V1_AUTH_XAUTH_INIT_PSK &&
	    s->auth != V1_AUTH_XAUTH_RESP_PSK)
		return PSK_NOT_CHECKABLE;
	if (!s->gxi.set || !s->gxr.set || !s->ni.set || !s->nr.set || !s->sai.set || !s->idir.set ||
	    !s->hash_r.set)
		return PSK_NOT_CHECKABLE;
	/* SKEYID = prf(pre-shared-key, Ni_b | Nr_b) */
	uint8_t skeyid[EVP_MAX_MD_SIZE], h[EVP_MAX_MD_SIZE];
	size_t sklen = 0, hlen = 0;
	struct span nonces[2] = {{s->ni.b, s->ni.len}, {s->nr.b, s->nr.len}};
	if (!v1_prf(s->hash, psk, psk_len, nonces, 2, skeyid, &sklen))
		return PSK_NOT_CHECKABLE;
	/* HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b) */
	struct span parts[6] = {
	    {s->gxr.b, s->gxr.len}, {s->gxi.b, s->gxi.len},  {s->cr, 8}, {s->ci, 8},
	    {s->sai.b, s->sai.len}, {s->idir.b, s->idir.len}};
	bool ok = v1_prf(s->hash, skeyid, sklen, parts, 6, h, &hlen);
	OPENSSL_cleanse(skeyid, sizeof(skeyid));
	if (!ok)
		return PSK_NOT_CHECKABLE;
	return hlen == s->hash_r.len && CRYPTO_memcmp(h, s->hash_r.b, hlen) == 0 ? PSK_MATCH
										 : PSK_MISMATCH;
}
