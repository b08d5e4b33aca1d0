/*
 * Unit tests for IKEv2 SK decryption and the PSK AUTH check (crypto/ikev2_dec.c),
 * on the Wireshark decryption captures ($SHARED/conformance/wireshark) with their
 * key table, and on the bundled sample ikev2-success-aes-cbc.  The expected values
 * are those of the MANIFEST (tshark 4.0.17 with the same keys).  Broken keys and
 * cut messages are made from the real frames.  The MAC vectors are RFC 3566 §4
 * (test case 7) and values computed independently with Python's `cryptography`.
 */
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "crypto/crypto.h"
#include "dissect/ike.h"
#include "tests/unit/check.h"

#define MAX_MSG	   4096
#define MAX_FRAMES 16

static const char *shared, *srcdir;

/* The IKE messages of the first frames of a capture, copied out of the callback. */
struct frames {
	uint8_t buf[MAX_FRAMES + 1][MAX_MSG];
	size_t len[MAX_FRAMES + 1];
	bool found[MAX_FRAMES + 1];
};

static void
on_pkt(void *ctx, const struct pkt *p)
{
	struct frames *f = ctx;
	uint64_t n = p->fr->num;
	if (n > MAX_FRAMES || p->kind != PK_IKE)
		return;
	struct rd r = p->l4;
	size_t len = rd_left(&r);
	if (len > MAX_MSG || rd_wire_left(&r) != len)
		return;
	rd_copy(&r, f->buf[n], len);
	f->len[n] = len;
	f->found[n] = true;
}

static bool
load(const char *path, struct frames *f)
{
	char err[256];
	int code = 0;
	memset(f, 0, sizeof(*f));
	struct cap *c = cap_open_file(path, NULL, err, sizeof(err), &code);
	if (!c) {
		fprintf(stderr, "%s: %s\n", path, err);
		check_failures++;
		return false;
	}
	cap_run(c, MAX_FRAMES, false, on_pkt, NULL, f, err, sizeof(err));
	cap_close(c);
	return true;
}

/* ---- a hand-made reader of Wireshark ikev2_decryption_table lines ---- */

static size_t
unhex(const char *s, size_t n, uint8_t *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i + 1 < n && k < cap; i += 2) {
		unsigned v;
		char b[3] = {s[i], s[i + 1], 0};
		if (sscanf(b, "%2x", &v) != 1)
			return 0;
		out[k++] = (uint8_t)v;
	}
	return k;
}

static bool
enc_spec(const char *s, struct cipher_spec *e)
{
	memset(e, 0, sizeof(*e));
	int bits = 0, icv = 0;
	if (strncmp(s, "NULL", 4) == 0)
		e->encr = ENCR_NULL_;
	else if (strncmp(s, "3DES", 4) == 0)
		e->encr = ENCR_3DES_, e->key_len = 24;
	else if (sscanf(s, "AES-CBC-%d", &bits) == 1)
		e->encr = ENCR_AES_CBC_, e->key_len = (uint8_t)(bits / 8);
	else if (sscanf(s, "AES-CTR-%d", &bits) == 1)
		e->encr = ENCR_AES_CTR_, e->key_len = (uint8_t)(bits / 8 + 4), e->salt_len = 4;
	else if (sscanf(s, "AES-GCM-%d with %d", &bits, &icv) == 2)
		e->encr = ENCR_AES_GCM_, e->key_len = (uint8_t)(bits / 8 + 4), e->salt_len = 4;
	else if (sscanf(s, "AES-CCM-%d with %d", &bits, &icv) == 2)
		e->encr = ENCR_AES_CCM_, e->key_len = (uint8_t)(bits / 8 + 3), e->salt_len = 3;
	else
		return false;
	e->icv_len = (uint8_t)icv;
	return true;
}

static bool
integ_spec(const char *s, struct integ_spec *g)
{
	static const struct {
		const char *name;
		enum dec_integ integ;
		uint8_t key, icv;
	} t[] = {
	    {"NONE", INTEG_NONE_, 0, 0},
	    {"HMAC_MD5_96", INTEG_HMAC_MD5_, 16, 12},
	    {"HMAC_SHA1_96", INTEG_HMAC_SHA1_, 20, 12},
	    {"HMAC_SHA1_160", INTEG_HMAC_SHA1_, 20, 20},
	    {"HMAC_SHA2_256_128", INTEG_HMAC_SHA256_, 32, 16},
	    {"HMAC_SHA2_384_192", INTEG_HMAC_SHA384_, 48, 24},
	    {"HMAC_SHA2_512_256", INTEG_HMAC_SHA512_, 64, 32},
	    {"ANY 96-bits", INTEG_ANY_, 0, 12},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t n = strlen(t[i].name);
		if (strncmp(s, t[i].name, n) == 0 && (s[n] == ' ' || s[n] == '"')) {
			g->integ = t[i].integ;
			g->key_len = t[i].key;
			g->icv_len = t[i].icv;
			return true;
		}
	}
	return false;
}

/* Splits one CSV line of 8 fields (quotes stripped). */
static bool
parse_line(const char *line, struct ikev2_keys *k)
{
	char f[8][160];
	size_t nf = 0, n = 0;
	memset(k, 0, sizeof(*k));
	for (const char *p = line; nf < 8; p++) {
		if (*p == ',' || *p == '\n' || *p == 0) {
			f[nf][n] = 0;
			nf++;
			n = 0;
			if (*p != ',')
				break;
		} else if (*p != '"' && n + 1 < sizeof(f[0])) {
			f[nf][n++] = *p;
		}
	}
	if (nf != 8 || !enc_spec(f[4], &k->enc) || !integ_spec(f[7], &k->integ))
		return false;
	return unhex(f[0], strlen(f[0]), k->spi_i, 8) == 8 &&
	       unhex(f[1], strlen(f[1]), k->spi_r, 8) == 8 &&
	       unhex(f[2], strlen(f[2]), k->sk_ei, CRYPTO_MAX_KEY) == k->enc.key_len &&
	       unhex(f[3], strlen(f[3]), k->sk_er, CRYPTO_MAX_KEY) == k->enc.key_len &&
	       unhex(f[5], strlen(f[5]), k->sk_ai, CRYPTO_MAX_KEY) == k->integ.key_len &&
	       unhex(f[6], strlen(f[6]), k->sk_ar, CRYPTO_MAX_KEY) == k->integ.key_len;
}

static struct ikev2_keys table[32];
static size_t ntable;

static void
load_table(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	if (!f) {
		fprintf(stderr, "%s: cannot open\n", path);
		check_failures++;
		return;
	}
	while (fgets(line, sizeof(line), f) && ntable < 32) {
		if (line[0] == '#')
			continue;
		if (!parse_line(line, &table[ntable])) {
			fprintf(stderr, "%s: unreadable line %s", path, line);
			check_failures++;
			continue;
		}
		ntable++;
	}
	fclose(f);
}

/* The loader under test (crypto/keys.c); the hand-made table above checks it. */
static struct keyring ring;

static void
load_ring(const char *path)
{
	char err[512];
	keyring_free(&ring);
	keyring_init(&ring);
	if (keyring_load(&ring, path, err, sizeof(err)) != 0) {
		fprintf(stderr, "keyring_load: %s\n", err);
		check_failures++;
	}
	CHECK(ring.nv2 == ntable);
	for (size_t i = 0; i < ntable; i++) {
		const struct ikev2_keys *a = &table[i];
		const struct ikev2_keys *b = keyring_ikev2(&ring, a->spi_i, a->spi_r);
		CHECK(b != NULL);
		if (!b)
			continue;
		CHECK(a->enc.encr == b->enc.encr && a->enc.key_len == b->enc.key_len);
		CHECK(a->enc.icv_len == b->enc.icv_len);
		CHECK(a->integ.integ == b->integ.integ && a->integ.key_len == b->integ.key_len);
		CHECK(a->integ.icv_len == b->integ.icv_len);
		CHECK(!memcmp(a->sk_ei, b->sk_ei, a->enc.key_len));
		CHECK(!memcmp(a->sk_er, b->sk_er, a->enc.key_len));
		CHECK(!memcmp(a->sk_ai, b->sk_ai, a->integ.key_len));
		CHECK(!memcmp(a->sk_ar, b->sk_ar, a->integ.key_len));
	}
}

static const struct ikev2_keys *
find_keys(const struct ike_msg *m)
{
	return keyring_ikev2(&ring, m->spi_i, m->spi_r);
}

static bool
hexeq(struct span s, const char *hex)
{
	uint8_t b[256];
	size_t n = unhex(hex, strlen(hex), b, sizeof(b));
	return n == s.len && memcmp(b, s.p, n) == 0;
}

static const struct ike_payload *
find_inner(const struct ike_msg *m, uint8_t type)
{
	for (unsigned i = m->nclear; i < m->npayloads; i++)
		if (m->pl[i].type == type)
			return &m->pl[i];
	return NULL;
}

static size_t
sk_len(const struct ike_msg *m)
{
	for (unsigned i = 0; i < m->nclear; i++)
		if (m->pl[i].type == IKEV2_P_SK)
			return m->pl[i].u.sk.data.len;
	return 0;
}

/* ---- the Wireshark captures ---- */

struct vec {
	const char *file;
	unsigned frames;   /* 6, or 4 in the pcapng files (no INFORMATIONAL) */
	size_t iv;	   /* for the decrypted-data length of the MANIFEST */
	size_t dec3, dec4; /* "Decrypted-data lengths (frame 3 / 4)": padding included */
	const char *auth3, *auth4;
};

static const struct vec vecs[] = {
    {"ikev2-decrypt-3des-sha1_160.pcap", 6, 8, 192, 168,
     "02f7a0d5f1fdc8ea81039818c65bb9bd09af9b8917319b887ff9ba3046c344c7",
     "f6bbc7b60d1502191f1c6bed6fd8dcda8c4c0f879ff5ae544b66086392959641"},
    {"ikev2-decrypt-aes128ccm12.pcap", 6, 8, 189, 165,
     "c335abf2598a6730a4c3ff3a9e3281c24f3899e1d02027f47dc065bc2c1eedca",
     "c2104394299e1ffe7908ea720ad5d13717a0d454e4fa0a2128ea689411f479c4"},
    /* A CCM SA decrypted as AES-CTR with "ANY 96-bits [No Checking]". */
    {"ikev2-decrypt-aes128ccm12-2.pcap", 6, 8, 0, 0,
     "aaa281c87b4a19046c57271d557488ca413b57228cb951f5fa9640992a0285b9",
     "ca9504df5c91a0ee5216148cf70759f4621edaa32ce1a2498ae56d8dba9be460"},
    {"ikev2-decrypt-aes192ctr.pcap", 6, 8, 189, 165,
     "3ec23dcf9348485638407c754547aeb3085290082c49f583fdbae59263a20b4a",
     "37cc3de8ba560cec4ed39aae24f19e5c94cc55654c060a322ecd1e72f7f791a2"},
    {"ikev2-decrypt-aes256cbc.pcapng", 4, 16, 192, 160,
     "e1a8d550064201a7ec024a85758d0673c61c5c510ac13bcd225d6327f50da3d3",
     "ebbc48efe986d5058f0d52a71f34986d1ab78f63c0fdde69164cd57638b1b048"},
    {"ikev2-decrypt-aes256ccm16.pcapng", 4, 8, 181, 157,
     "fa2e74bdc01e30fb0b3ddc9723c9449095969da51f69e560209d2c2b7940210a",
     "bf368b0105a598390eeb6b230ff279cd21ba70481370b19f0d7c739c69b97999"},
    {"ikev2-decrypt-aes256gcm16.pcap", 6, 8, 189, 165,
     "bc404a4c66a36c59a0b3fd700bbc5597176ad2c5e5df5bba82c4a6b6b4ef8b31",
     "9ab71f14ab553cad873a1aa70b99df155dee77cdcf3694b3b7527acbb9712ded"},
    {"ikev2-decrypt-aes256gcm8.pcap", 6, 8, 189, 165,
     "4a66d822d0afbc22ad9a92a2cf4287c920ad8ac3b069a4a7e75fe0a5d499f914",
     "fba50353f2535dab9804ca772fc7b2d19e85ffb48da87918a9a54bbd9975a078"},
};

static const uint8_t chain3[] = {IKEV2_P_IDI, IKEV2_P_N,   IKEV2_P_IDR, IKEV2_P_AUTH, IKEV2_P_SA,
				 IKEV2_P_TSI, IKEV2_P_TSR, IKEV2_P_N,	IKEV2_P_N};
static const uint8_t chain4[] = {IKEV2_P_IDR, IKEV2_P_AUTH, IKEV2_P_SA,
				 IKEV2_P_TSI, IKEV2_P_TSR,  IKEV2_P_N};

static uint8_t plain[MAX_FRAMES + 1][CRYPTO_MAX_PLAIN];
static struct ike_msg msgs[MAX_FRAMES + 1];

/* Decrypts frame n of f into msgs[n] (inner payloads parsed); the result. */
static enum dec_result
decrypt_frame(struct frames *f, unsigned n, const struct ikev2_keys **kp, size_t *outlen)
{
	struct ike_msg *m = &msgs[n];
	struct rd r = rd_init(f->buf[n], f->len[n], f->len[n]);
	ike_parse(&r, m);
	const struct ikev2_keys *k = find_keys(m);
	*kp = k;
	enum dec_result res = ikev2_decrypt(k, m, m->flags & IKEV2_FLAG_INITIATOR, plain[n],
					    sizeof(plain[n]), outlen);
	if (res == DEC_OK)
		ike_parse_inner(m, plain[n], *outlen, m->sk_first_inner);
	return res;
}

static void
check_chain(const struct ike_msg *m, const uint8_t *want, size_t n)
{
	CHECK(m->npayloads - m->nclear == n);
	for (size_t i = 0; i < n && m->nclear + i < m->npayloads; i++)
		CHECK(m->pl[m->nclear + i].type == want[i]);
	CHECK(m->malformed == NULL);
}

/* Every byte of the output is a payload of the chain: padding was removed exactly. */
static void
check_tiles(const struct ike_msg *m, size_t outlen)
{
	size_t sum = 0;
	for (unsigned i = m->nclear; i < m->npayloads; i++)
		sum += m->pl[i].len;
	CHECK(sum == outlen);
}

static void
test_vec(const struct vec *v)
{
	char path[1024];
	static struct frames f;
	snprintf(path, sizeof(path), "%s/conformance/wireshark/captures/%s", shared, v->file);
	if (!load(path, &f))
		return;
	fprintf(stderr, "%s\n", v->file);
	for (unsigned n = 1; n <= v->frames; n++)
		CHECK(f.found[n]);
	for (unsigned n = 3; n <= v->frames; n++) {
		const struct ikev2_keys *k = NULL;
		size_t outlen = 0;
		enum dec_result res = decrypt_frame(&f, n, &k, &outlen);
		CHECK(k != NULL);
		CHECK(res == DEC_OK);
		if (res != DEC_OK) {
			fprintf(stderr, "  frame %u: result %d\n", n, (int)res);
			continue;
		}
		const struct ike_msg *m = &msgs[n];
		check_tiles(m, outlen);
		size_t icv = k->enc.icv_len ? k->enc.icv_len : k->integ.icv_len;
		size_t dec = sk_len(m) - v->iv - icv; /* what tshark calls the decrypted data */
		CHECK(outlen < dec && dec - outlen <= 256);
		if (n == 3 && v->dec3)
			CHECK(dec == v->dec3);
		if (n == 4 && v->dec4)
			CHECK(dec == v->dec4);
		const struct ike_payload *a = find_inner(m, IKEV2_P_AUTH);
		if (n == 3) {
			check_chain(m, chain3, sizeof(chain3));
			CHECK(a && a->u.auth.method == 2 && hexeq(a->u.auth.data, v->auth3));
		} else if (n == 4) {
			check_chain(m, chain4, sizeof(chain4));
			CHECK(a && a->u.auth.method == 2 && hexeq(a->u.auth.data, v->auth4));
		} else if (n == 5) {
			/* INFORMATIONAL: the Delete of the IKE SA (protocol 1). */
			const struct ike_payload *d = find_inner(m, IKEV2_P_D);
			CHECK(d && d->u.del.proto == 1);
		} else {
			CHECK(m->npayloads == m->nclear); /* an empty response */
		}
	}
}

/* Wrong keys, flipped ciphertext, cut messages: the failure, never a crash. */
static void
test_negative(const struct vec *v, bool any)
{
	char path[1024];
	static struct frames f;
	snprintf(path, sizeof(path), "%s/conformance/wireshark/captures/%s", shared, v->file);
	if (!load(path, &f) || !f.found[3])
		return;
	static uint8_t out[CRYPTO_MAX_PLAIN];
	size_t outlen = 1;
	struct ike_msg *m = &msgs[0];
	struct rd r = rd_init(f.buf[3], f.len[3], f.len[3]);
	ike_parse(&r, m);
	const struct ikev2_keys *k0 = find_keys(m);
	CHECK(k0 != NULL);
	if (!k0)
		return;
	struct ikev2_keys k = *k0;

	/* A flipped encryption key byte. */
	k.sk_ei[0] ^= 1;
	enum dec_result res = ikev2_decrypt(&k, m, true, out, sizeof(out), &outlen);
	if (any)
		CHECK(res == DEC_PADDING);
	else if (k.enc.icv_len)
		CHECK(res == DEC_INTEGRITY);
	else
		CHECK(res == DEC_PADDING || res == DEC_OK); /* CBC/CTR: integrity is SK_ai's */
	CHECK(res == DEC_OK || outlen == 0);
	k = *k0;
	/* A flipped integrity key byte. */
	if (k.integ.key_len) {
		k.sk_ai[3] ^= 0x80;
		CHECK(ikev2_decrypt(&k, m, true, out, sizeof(out), &outlen) == DEC_INTEGRITY);
		k = *k0;
	}
	/* The wrong direction's keys. */
	res = ikev2_decrypt(&k, m, false, out, sizeof(out), &outlen);
	CHECK(any ? res == DEC_PADDING : res == DEC_INTEGRITY);

	/* A flipped ciphertext byte (in a copy). */
	static uint8_t copy[MAX_MSG];
	memcpy(copy, f.buf[3], f.len[3]);
	copy[f.len[3] - 40] ^= 4;
	struct ike_msg *m2 = &msgs[1];
	r = rd_init(copy, f.len[3], f.len[3]);
	ike_parse(&r, m2);
	res = ikev2_decrypt(&k, m2, true, out, sizeof(out), &outlen);
	CHECK(any ? res != DEC_INTEGRITY : res == DEC_INTEGRITY);

	/* The capture cut the message: the SK payload is incomplete. */
	for (size_t cut = 1; cut < f.len[3] - 28; cut += 7) {
		r = rd_init(f.buf[3], f.len[3] - cut, f.len[3]);
		ike_parse(&r, m2);
		CHECK(ikev2_decrypt(&k, m2, true, out, sizeof(out), &outlen) == DEC_LENGTH);
		CHECK(outlen == 0);
	}
	/* An SK payload too short for IV and ICV: the IKE and SK lengths both shrunk. */
	size_t sk_at = 0;
	for (unsigned i = 0; i < m->nclear; i++)
		if (m->pl[i].type == IKEV2_P_SK)
			sk_at = (size_t)(m->pl[i].body.p - f.buf[3]) - 4;
	CHECK(sk_at == 28);
	for (size_t body = 0; body < 40; body++) {
		memcpy(copy, f.buf[3], f.len[3]);
		size_t total = sk_at + 4 + body;
		copy[24] = (uint8_t)(total >> 24), copy[25] = (uint8_t)(total >> 16);
		copy[26] = (uint8_t)(total >> 8), copy[27] = (uint8_t)total;
		copy[sk_at + 2] = (uint8_t)((body + 4) >> 8), copy[sk_at + 3] = (uint8_t)(body + 4);
		r = rd_init(copy, total, total);
		ike_parse(&r, m2);
		res = ikev2_decrypt(&k, m2, true, out, sizeof(out), &outlen);
		CHECK(res != DEC_OK);
		if (body < v->iv + (k.enc.icv_len ? k.enc.icv_len : k.integ.icv_len) + 1)
			CHECK(res == DEC_LENGTH);
	}
	/* No room for the plaintext. */
	CHECK(ikev2_decrypt(k0, m, true, out, 16, &outlen) == DEC_LENGTH);
	/* No keys. */
	CHECK(ikev2_decrypt(NULL, m, true, out, sizeof(out), &outlen) == DEC_NO_KEYS);
	/* A message without SK. */
	if (f.found[1]) {
		r = rd_init(f.buf[1], f.len[1], f.len[1]);
		ike_parse(&r, m2);
		CHECK(ikev2_decrypt(k0, m2, true, out, sizeof(out), &outlen) == DEC_LENGTH);
	}
}

/* ---- PSK AUTH (RFC 7296 §2.15) on the real aes256gcm16 exchange ---- */

/*
 * SK_pi, SK_pr and the PSK are made up (no capture has them); the initiator's
 * AUTH is replaced by what Python computed for them over the real frames 1-3:
 *   prf = HMAC-SHA256 (PRF transform of frame 2)
 *   auth = prf(prf(psk, b"Key Pad for IKEv2"), frame1 | Nr | prf(SK_pi, IDi body))
 */
static const char psk[] = "ikescope test pre-shared key";
/* made-up SK_pi = 32 x 0x11, Nr and IDi (01000000c0a80102) of the capture */
static const char auth_i_ok[] = "e5c0e732768014edf4d48c0a06d5264563e185a8fa6fa6031bedf18eeb54e178";

static void
test_psk(void)
{
	char path[1024];
	static struct frames f;
	snprintf(path, sizeof(path), "%s/conformance/wireshark/captures/%s", shared,
		 "ikev2-decrypt-aes256gcm16.pcap");
	if (!load(path, &f))
		return;
	struct ikev2_ctx *c = ikev2_ctx_new();
	CHECK(c != NULL);
	if (!c)
		return;
	struct ike_msg *m = &msgs[0];
	for (unsigned n = 1; n <= 2; n++) {
		struct rd r = rd_init(f.buf[n], f.len[n], f.len[n]);
		ike_parse(&r, m);
		ikev2_observe(c, m, n == 1);
	}
	const struct ikev2_keys *k = NULL;
	size_t outlen = 0;
	CHECK(decrypt_frame(&f, 3, &k, &outlen) == DEC_OK);
	if (!k) {
		ikev2_ctx_free(c);
		return;
	}
	struct ikev2_keys kk = *k;
	/* Without SK_pi/SK_pr nothing can be checked. */
	ikev2_observe(c, &msgs[3], true);
	CHECK(ikev2_psk_check(c, &kk, (const uint8_t *)psk, strlen(psk)) == PSK_NOT_CHECKABLE);
	kk.has_auth_keys = true;
	kk.sk_p_len = 32;
	memset(kk.sk_pi, 0x11, 32);
	memset(kk.sk_pr, 0x22, 32);
	/* The real AUTH was made with another SK_pi and PSK. */
	CHECK(ikev2_psk_check(c, &kk, (const uint8_t *)psk, strlen(psk)) == PSK_MISMATCH);
	/* The AUTH of our made-up keys, written over the decrypted one. */
	const struct ike_payload *a = find_inner(&msgs[3], IKEV2_P_AUTH);
	CHECK(a != NULL && a->u.auth.data.len == 32);
	if (a && a->u.auth.data.len == 32) {
		uint8_t want[32];
		CHECK(unhex(auth_i_ok, strlen(auth_i_ok), want, 32) == 32);
		memcpy((uint8_t *)(uintptr_t)a->u.auth.data.p, want, 32);
		ikev2_observe(c, &msgs[3], true);
		CHECK(ikev2_psk_check(c, &kk, (const uint8_t *)psk, strlen(psk)) == PSK_MATCH);
		CHECK(ikev2_psk_check(c, &kk, (const uint8_t *)psk, strlen(psk) - 1) ==
		      PSK_MISMATCH);
		kk.sk_pi[31] ^= 1;
		CHECK(ikev2_psk_check(c, &kk, (const uint8_t *)psk, strlen(psk)) == PSK_MISMATCH);
		kk.sk_pi[31] ^= 1;
		/* Another SA's keys: unknown to the context. */
		struct ikev2_keys other = kk;
		other.spi_r[0] ^= 1;
		CHECK(ikev2_psk_check(c, &other, (const uint8_t *)psk, strlen(psk)) ==
		      PSK_NOT_CHECKABLE);
	}
	/* Fresh context: an IKE_AUTH with IDi but no AUTH (EAP) is not checkable. */
	ikev2_ctx_free(c);
	c = ikev2_ctx_new();
	for (unsigned n = 1; n <= 2; n++) {
		struct rd r = rd_init(f.buf[n], f.len[n], f.len[n]);
		ike_parse(&r, m);
		ikev2_observe(c, m, n == 1);
	}
	CHECK(ikev2_psk_check(c, &kk, (const uint8_t *)psk, strlen(psk)) == PSK_NOT_CHECKABLE);
	ikev2_ctx_free(c);
	ikev2_ctx_free(NULL);
}

/* ---- MACs over a hand-made NULL-encrypted message ---- */

/*
 * 1000 zero bytes (header, SK header, 968 bytes of "ciphertext" with pad length
 * 0) and the ICV: the integrity input is exactly RFC 3566 test case 7's message.
 */
static void
test_mac(enum dec_integ integ, uint8_t klen, uint8_t icvlen, const uint8_t *key, const char *want)
{
	static uint8_t buf[1100], out[1100];
	memset(buf, 0, sizeof(buf));
	size_t icv = unhex(want, strlen(want), buf + 1000, sizeof(buf) - 1000);
	CHECK(icv >= icvlen);
	struct ike_msg *m = &msgs[0];
	memset(m, 0, sizeof(*m));
	m->version = 2;
	m->raw.p = buf;
	m->raw.len = 1000 + icvlen;
	m->npayloads = m->nclear = 1;
	m->pl[0].type = IKEV2_P_SK;
	m->pl[0].len = (uint16_t)(1000 + icvlen - 28);
	m->pl[0].body.p = buf + 32;
	m->pl[0].body.len = 1000 + icvlen - 32;
	m->pl[0].u.sk.data = m->pl[0].body;
	struct ikev2_keys k;
	memset(&k, 0, sizeof(k));
	k.enc.encr = ENCR_NULL_;
	k.integ.integ = integ;
	k.integ.key_len = klen;
	k.integ.icv_len = icvlen;
	memcpy(k.sk_ai, key, klen);
	size_t outlen = 0;
	CHECK(ikev2_decrypt(&k, m, true, out, sizeof(out), &outlen) == DEC_OK);
	CHECK(outlen == 967);
	buf[1000 + icvlen - 1] ^= 1;
	CHECK(ikev2_decrypt(&k, m, true, out, sizeof(out), &outlen) == DEC_INTEGRITY);
}

static void
test_macs(void)
{
	uint8_t key[64];
	for (int i = 0; i < 64; i++)
		key[i] = (uint8_t)i;
	/* RFC 3566 §4, test case 7 */
	test_mac(INTEG_AES_XCBC_, 16, 12, key, "f0dafee895db30253761103b5d84528f");
	test_mac(INTEG_AES_CMAC_, 16, 12, key, "545fd98bc7c9568c9b6389c324a90b47");
	test_mac(INTEG_HMAC_MD5_, 16, 12, key, "6e3ddc2c0a888ba1e519ca25de326b07");
	test_mac(INTEG_HMAC_SHA1_, 20, 12, key, "861571a750bd108e6914b1235e4bdc636eedb16f");
	test_mac(INTEG_HMAC_SHA256_, 32, 16, key,
		 "ef9b18baf7d7321e659e287423afc7e817f76d288eb4dba65693bbf48126727d");
	test_mac(INTEG_HMAC_SHA384_, 48, 24, key,
		 "67a7b3e1e05f4a5a5e0043ec89b7226dfb1940f7feb1cf956f29a052451c16f361491c28d9ee91f14"
		 "a35e285844d4178");
	test_mac(INTEG_HMAC_SHA512_, 64, 32, key,
		 "a334e285a657ecd4a1e409d4d890fa39751225d8c62882938e749b3483ec62a1f71c00ac99b63f315"
		 "fe605c2c915150cf096945d4c0aa3d6a5dfd6254b6cb2b6");
}

/* ---- the bundled sample ---- */

static void
test_sample(void)
{
	char path[1024];
	static struct frames f;
	ntable = 0;
	snprintf(path, sizeof(path), "%s/samples/ikev2-success-aes-cbc.keys/ikev2_decryption_table",
		 srcdir);
	load_table(path);
	CHECK(ntable == 1);
	load_ring(path);
	snprintf(path, sizeof(path), "%s/samples/ikev2-success-aes-cbc.pcap", srcdir);
	if (!load(path, &f))
		return;
	unsigned nauth = 0, nenc = 0;
	for (unsigned n = 1; n <= MAX_FRAMES; n++) {
		if (!f.found[n])
			continue;
		struct rd r = rd_init(f.buf[n], f.len[n], f.len[n]);
		ike_parse(&r, &msgs[n]);
		if (msgs[n].first_payload != IKEV2_P_SK)
			continue;
		nenc++;
		const struct ikev2_keys *k = NULL;
		size_t outlen = 0;
		CHECK(decrypt_frame(&f, n, &k, &outlen) == DEC_OK);
		check_tiles(&msgs[n], outlen);
		if (msgs[n].exchange == 35) {
			nauth++;
			CHECK(find_inner(&msgs[n], IKEV2_P_AUTH) != NULL);
			CHECK(find_inner(&msgs[n], IKEV2_P_SA) != NULL);
		}
	}
	CHECK(nauth == 2);
	CHECK(nenc >= 2);
}

int
main(void)
{
	shared = getenv("SHARED");
	srcdir = getenv("SRCDIR");
	char probe[1024];
	snprintf(probe, sizeof(probe), "%s/conformance/wireshark/config/ikev2_decryption_table",
		 shared ? shared : "");
	FILE *f = shared ? fopen(probe, "r") : NULL;
	if (!f) {
		fprintf(stderr, "SHARED not set or %s missing: skipped\n", probe);
		return 77;
	}
	fclose(f);
	load_table(probe);
	CHECK(ntable == 9);
	load_ring(probe);
	for (size_t i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++)
		test_vec(&vecs[i]);
	for (size_t i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++)
		test_negative(&vecs[i], i == 2);
	test_psk();
	test_macs();
	if (srcdir)
		test_sample();
	keyring_free(&ring);
	if (check_failures) {
		fprintf(stderr, "%d check(s) failed\n", check_failures);
		return 1;
	}
	return 0;
}
