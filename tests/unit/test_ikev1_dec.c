/*
 * Unit tests for IKEv1 decryption (RFC 2409 Appendix B IV chaining) and the
 * aggressive-mode PSK check, on real captures: the Wireshark suite's IKEv1
 * captures (values of ../shared/conformance/wireshark/MANIFEST.md) and the
 * bundled strongSwan samples with their key files.  Wrong keys and cut
 * ciphertext must give an error result, never a crash.
 */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/capture.h"
#include "crypto/crypto.h"
#include "dissect/ike.h"
#include "tests/unit/check.h"

#define MAX_FRAMES 64
#define MAX_KEYS   8
#define MAX_MSG	   8192

static const char *shared, *srcdir;

/* What one frame gave: the message as captured and, when decrypted, its plaintext. */
struct frame_out {
	bool ike;
	bool encrypted;
	enum dec_result res;
	uint8_t raw[MAX_MSG];
	size_t rawlen;
	uint8_t plain[MAX_MSG];
	size_t plainlen;
};

struct run {
	struct frame_out f[MAX_FRAMES + 1]; /* 1-based as Wireshark numbers frames */
	unsigned nframes;
	struct ikev1_ctx *ctx;
};

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Hex string to bytes; returns the byte count or -1. */
static int
unhex(const char *s, size_t n, uint8_t *out, size_t cap)
{
	if (n % 2 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(n / 2);
}

/* The ikev1_decryption_table entries of a key file, read by the project's own loader. */
static size_t
load_keys(const char *path, struct ikev1_keys *k, size_t max)
{
	struct keyring ring;
	char err[512];
	keyring_init(&ring);
	if (keyring_load(&ring, path, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		keyring_free(&ring);
		return 0;
	}
	size_t n = ring.nv1 < max ? ring.nv1 : max;
	memcpy(k, ring.v1, n * sizeof(*k));
	keyring_free(&ring);
	return n;
}

static const struct ikev1_keys *
find_key(const struct ikev1_keys *k, size_t n, const uint8_t ci[8])
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(k[i].cookie_i, ci, 8) == 0)
			return &k[i];
	return NULL;
}

/*
 * Reads a capture (gunzipped through a pipe when it ends in .gz), observing
 * every IKEv1 message and decrypting the encrypted ones that have a key.
 * decrypt_first: call ikev1_decrypt before ikev1_observe (the pipeline may do either).
 */
static bool
run_capture(const char *path, const struct ikev1_keys *keys, size_t nkeys, bool decrypt_first,
	    struct run *out)
{
	char err[PCAP_ERRBUF_SIZE];
	char tmp[] = "/tmp/test_ikev1_dec_XXXXXX";
	const char *open_path = path;
	size_t plen = strlen(path);
	/* A .gz capture is gunzipped to a temporary file first. */
	if (plen > 3 && strcmp(path + plen - 3, ".gz") == 0) {
		int fd = mkstemp(tmp);
		if (fd < 0)
			return false;
		close(fd);
		char cmd[2200];
		snprintf(cmd, sizeof(cmd), "gzip -dc '%s' > '%s'", path, tmp);
		if (system(cmd) != 0) {
			unlink(tmp);
			return false;
		}
		open_path = tmp;
	}
	pcap_t *pc = pcap_open_offline(open_path, err);
	if (open_path == tmp)
		unlink(tmp);
	if (pc == NULL) {
		fprintf(stderr, "%s: %s\n", path, err);
		return false;
	}
	memset(out, 0, sizeof(*out));
	out->ctx = ikev1_ctx_new();
	struct decoder *d = decoder_new(NULL, NULL);
	struct cap_stats st;
	memset(&st, 0, sizeof(st));
	/* The initiator of each SA is the sender of its first message (by cookie). */
	uint8_t seen_ci[16][8];
	struct ip_addr seen_src[16];
	unsigned nseen = 0;
	struct pcap_pkthdr *h;
	const u_char *data;
	static struct ike_msg m;
	for (unsigned n = 1; n <= MAX_FRAMES && pcap_next_ex(pc, &h, &data) == 1; n++) {
		out->nframes = n;
		struct frame fr = {.num = n,
				   .caplen = h->caplen,
				   .wirelen = h->len,
				   .linktype = pcap_datalink(pc),
				   .data = data};
		struct pkt p;
		decoder_frame(d, &fr, &p, &st);
		if (p.kind != PK_IKE || rd_left(&p.l4) > MAX_MSG)
			continue;
		struct frame_out *fo = &out->f[n];
		fo->rawlen = rd_left(&p.l4);
		memcpy(fo->raw, p.l4.p + p.l4.off, fo->rawlen);
		struct rd r = rd_init(fo->raw, fo->rawlen, fo->rawlen);
		ike_parse(&r, &m);
		if (m.version != 1)
			continue;
		fo->ike = true;
		fo->encrypted = m.encrypted;
		bool from_i = true;
		unsigned j;
		for (j = 0; j < nseen; j++)
			if (memcmp(seen_ci[j], m.spi_i, 8) == 0)
				break;
		if (j == nseen && nseen < 16) {
			memcpy(seen_ci[nseen], m.spi_i, 8);
			seen_src[nseen++] = p.src;
		}
		if (j < nseen)
			from_i = ip_addr_eq(&seen_src[j], &p.src);
		const struct ikev1_keys *k = find_key(keys, nkeys, m.spi_i);
		fo->res = DEC_NO_KEYS;
		if (!decrypt_first)
			ikev1_observe(out->ctx, &m, from_i);
		if (m.encrypted && k != NULL)
			fo->res = ikev1_decrypt(out->ctx, k, &m, from_i, fo->plain,
						sizeof(fo->plain), &fo->plainlen);
		if (decrypt_first)
			ikev1_observe(out->ctx, &m, from_i);
	}
	decoder_free(d);
	pcap_close(pc);
	return true;
}

/* The decrypted message of a frame, parsed (header from raw, payloads from plaintext). */
static bool
parsed(const struct run *rn, unsigned n, struct ike_msg *m)
{
	const struct frame_out *fo = &rn->f[n];
	if (n > rn->nframes || !fo->ike)
		return false;
	struct rd r = rd_init(fo->raw, fo->rawlen, fo->rawlen);
	ike_parse(&r, m);
	if (fo->encrypted) {
		if (fo->res != DEC_OK)
			return false;
		ike_parse_inner(m, fo->plain, fo->plainlen, m->first_payload);
	}
	return true;
}

/* The first payload of a type in a frame's message, or NULL. */
static const struct ike_payload *
payload(const struct ike_msg *m, uint8_t type)
{
	for (unsigned i = 0; i < m->npayloads; i++)
		if (m->pl[i].type == type)
			return &m->pl[i];
	return NULL;
}

/* Whether the HASH payload of frame n begins with the hex prefix. */
static bool
hash_is(const struct run *rn, unsigned n, const char *hex)
{
	static struct ike_msg m;
	uint8_t want[64];
	int wl = unhex(hex, strlen(hex), want, sizeof(want));
	if (wl <= 0 || !parsed(rn, n, &m))
		return false;
	const struct ike_payload *p = payload(&m, IKEV1_P_HASH);
	bool ok = p != NULL && p->u.nonce.len >= (size_t)wl &&
		  memcmp(p->u.nonce.p, want, (size_t)wl) == 0;
	if (!ok)
		fprintf(stderr, "frame %u: HASH is not %s\n", n, hex);
	return ok;
}

/* The SPI of the first proposal of the SA payload of frame n, or 0. */
static uint32_t
qm_spi(const struct run *rn, unsigned n)
{
	static struct ike_msg m;
	if (!parsed(rn, n, &m))
		return 0;
	const struct ike_payload *p = payload(&m, IKEV1_P_SA);
	if (p == NULL || p->u.sa.nprops == 0)
		return 0;
	const struct ike_proposal *pr = &m.props[p->u.sa.first_prop];
	if (pr->spi_size != 4)
		return 0;
	return (uint32_t)pr->spi[0] << 24 | (uint32_t)pr->spi[1] << 16 | (uint32_t)pr->spi[2] << 8 |
	       pr->spi[3];
}

/* The notify types of frame n, or 0 for the first when none. */
static uint16_t
notify_type(const struct run *rn, unsigned n)
{
	static struct ike_msg m;
	if (!parsed(rn, n, &m) || m.nnotify == 0)
		return 0;
	return m.notify[0];
}

static bool
plain_has(const struct run *rn, unsigned n, const char *s)
{
	const struct frame_out *fo = &rn->f[n];
	size_t l = strlen(s);
	for (size_t i = 0; fo->res == DEC_OK && i + l <= fo->plainlen; i++)
		if (memcmp(fo->plain + i, s, l) == 0)
			return true;
	return false;
}

static void
print_run(const char *name, const struct run *rn)
{
	for (unsigned n = 1; n <= rn->nframes; n++) {
		const struct frame_out *fo = &rn->f[n];
		if (!fo->ike || !fo->encrypted)
			continue;
		static struct ike_msg m;
		struct rd r = rd_init(fo->raw, fo->rawlen, fo->rawlen);
		ike_parse(&r, &m);
		fprintf(stderr, "%s frame %u exch %u msgid %08x: %s", name, n, m.exchange, m.msgid,
			dec_result_name(fo->res));
		if (fo->res == DEC_OK && parsed(rn, n, &m)) {
			fprintf(stderr, " payloads");
			for (unsigned i = 0; i < m.npayloads; i++)
				fprintf(stderr, " %u", m.pl[i].type);
			for (unsigned i = 0; i < m.nnotify; i++)
				fprintf(stderr, " N(%u)", m.notify[i]);
		}
		fprintf(stderr, "\n");
	}
}

static struct run rn; /* large: static */

static void
test_bug_12610(bool decrypt_first)
{
	struct ikev1_keys k[MAX_KEYS];
	char path[1024];
	snprintf(path, sizeof(path), "%s/conformance/wireshark/config/ikev1_decryption_table",
		 shared);
	size_t nk = load_keys(path, k, MAX_KEYS);
	CHECK(nk == 3);
	snprintf(path, sizeof(path), "%s/conformance/wireshark/captures/ikev1-bug-12610.pcapng.gz",
		 shared);
	CHECK(run_capture(path, k, nk, decrypt_first, &rn));
	CHECK(rn.nframes == 16);
	for (unsigned n = 5; n <= 16; n++)
		CHECK(rn.f[n].encrypted && rn.f[n].res == DEC_OK);
	/* MANIFEST: every HASH of frames 5-16, asserted frame 9 first. */
	CHECK(hash_is(&rn, 9, "b52521f774967402c9f6cee95fd17e5bccec230b5731fc530e1a8ab33a69f440"));
	CHECK(hash_is(&rn, 5, "1101366621ad9c4507cae666deac7b1c1bc0dc4761a06a41a9168c4d9c8a0f83"));
	CHECK(hash_is(&rn, 6, "27835427b62b510f466811766b86e8b6fca785344364841f13ad52aaafc95085"));
	CHECK(hash_is(&rn, 7, "17653e5d18677ccd974320341b5b0eae88838be7e57b5459ecdb3e5d73257e06"));
	CHECK(hash_is(&rn, 8, "3500b0c3b0c8320d9d037b9b2d0fb7991d07f7c0885e184035fff256705f813d"));
	CHECK(hash_is(&rn, 10, "3ee8c692c95987e6370e0ae664e69c6f25ec54225763b37c609f6d71523f04f1"));
	CHECK(hash_is(&rn, 11, "c89ad8834381032ccad1efae648a1e1ee042527d22ec6bae4d98629af887cee4"));
	CHECK(hash_is(&rn, 12, "1f1b7d08c535e9823bf25cbea774c7073b42c43f6202591ae69f031d7dcda7ed"));
	CHECK(hash_is(&rn, 13, "14660fba9a1125004ec61c3c46995e8b068eb0229d82981be7d4ddf321737a70"));
	CHECK(hash_is(&rn, 14, "f02190455ce9fce30025463185536c066b651ad98fa42f4e3ec7adecb26ecee6"));
	CHECK(hash_is(&rn, 15, "40bd13afe185afa9e71039ec240d361f294349c49f995c8c8814cb0d22db8bc3"));
	CHECK(hash_is(&rn, 16, "14d276be17c6d97f7484d887380f7fef872a42465e20046e4a2be906def88673"));
	/* Quick mode SPIs; frame 6 ID_FQDN moon.localdomain. */
	CHECK(qm_spi(&rn, 14) == 0x070883c2);
	CHECK(qm_spi(&rn, 15) == 0xc254fe64);
	CHECK(plain_has(&rn, 6, "moon.localdomain"));
	static struct ike_msg m;
	CHECK(parsed(&rn, 5, &m));
	const struct ike_payload *id = payload(&m, IKEV1_P_ID);
	CHECK(id != NULL && id->u.id.type == 1 && id->u.id.data.len == 4 &&
	      memcmp(id->u.id.data.p, "\xc0\xa8\x00\x64", 4) == 0);
	/* Main mode: HASH_R is encrypted, g^xy unknown. */
	CHECK(ikev1_psk_check(rn.ctx, k[1].cookie_i, (const uint8_t *)"x", 1) == PSK_NOT_CHECKABLE);
	ikev1_ctx_free(rn.ctx);
	if (!decrypt_first)
		print_run("12610", &rn);
}

static void
test_bug_12620(void)
{
	struct ikev1_keys k[MAX_KEYS];
	char path[1024];
	snprintf(path, sizeof(path), "%s/conformance/wireshark/config/ikev1_decryption_table",
		 shared);
	size_t nk = load_keys(path, k, MAX_KEYS);
	snprintf(path, sizeof(path), "%s/conformance/wireshark/captures/ikev1-bug-12620.pcapng.gz",
		 shared);
	CHECK(run_capture(path, k, nk, false, &rn));
	CHECK(rn.nframes == 10);
	/* Frame 3 (AM3) is in clear: the phase 1 IV stays hash(g^xi | g^xr). */
	CHECK(rn.f[3].ike && !rn.f[3].encrypted);
	for (unsigned n = 4; n <= 10; n++)
		CHECK(rn.f[n].encrypted && rn.f[n].res == DEC_OK);
	CHECK(hash_is(&rn, 4, "40043b640f4373250d5ac3a1fb63153cacab954cca6366021f4ab9d436265052"));
	CHECK(hash_is(&rn, 5, "0c726414"));
	CHECK(hash_is(&rn, 6, "fe0346f1"));
	CHECK(hash_is(&rn, 7, "edca3172"));
	CHECK(hash_is(&rn, 8, "8a5a4a6a"));
	CHECK(hash_is(&rn, 9, "40fa5faa"));
	CHECK(hash_is(&rn, 10, "245051bc"));
	CHECK(notify_type(&rn, 4) == 24578); /* INITIAL-CONTACT */
	print_run("12620", &rn);
	ikev1_ctx_free(rn.ctx);
}

static void
test_certs(void)
{
	struct ikev1_keys k[MAX_KEYS];
	char path[1024];
	snprintf(path, sizeof(path), "%s/conformance/wireshark/config/ikev1_decryption_table",
		 shared);
	size_t nk = load_keys(path, k, MAX_KEYS);
	snprintf(path, sizeof(path), "%s/conformance/wireshark/captures/ikev1-certs.pcap", shared);
	CHECK(run_capture(path, k, nk, false, &rn));
	CHECK(rn.nframes == 10);
	CHECK(rn.f[5].res == DEC_OK && rn.f[6].res == DEC_OK);
	CHECK(plain_has(&rn, 5, "OpenSwan"));
	CHECK(plain_has(&rn, 6, "srx210-3"));
	static struct ike_msg m;
	CHECK(parsed(&rn, 5, &m) && payload(&m, IKEV1_P_CERT) != NULL);
	print_run("certs", &rn);
	/* Quick mode 0xf2cfe203: SPIs 95f9fa06 / cd876adf (in either order). */
	bool a = false, b = false;
	for (unsigned n = 7; n <= 10; n++) {
		uint32_t spi = qm_spi(&rn, n);
		a |= spi == 0x95f9fa06;
		b |= spi == 0xcd876adf;
	}
	CHECK(a && b);
	ikev1_ctx_free(rn.ctx);
}

/* Wrong keys and cut ciphertext: an error result, never a crash. */
static void
test_wrong_keys(void)
{
	struct ikev1_keys k[MAX_KEYS];
	char path[1024];
	snprintf(path, sizeof(path), "%s/conformance/wireshark/config/ikev1_decryption_table",
		 shared);
	size_t nk = load_keys(path, k, MAX_KEYS);
	for (size_t i = 0; i < nk; i++)
		k[i].key[3] ^= 0x40;
	snprintf(path, sizeof(path), "%s/conformance/wireshark/captures/ikev1-bug-12610.pcapng.gz",
		 shared);
	CHECK(run_capture(path, k, nk, false, &rn));
	unsigned bad = 0;
	for (unsigned n = 5; n <= 16; n++)
		bad += rn.f[n].res == DEC_PADDING;
	CHECK(bad == 12);
	ikev1_ctx_free(rn.ctx);
	/* A short key: nothing to try. */
	for (size_t i = 0; i < nk; i++)
		k[i].key_len = 5;
	snprintf(path, sizeof(path), "%s/conformance/wireshark/captures/ikev1-certs.pcap", shared);
	CHECK(run_capture(path, k, nk, false, &rn));
	CHECK(rn.f[5].res == DEC_NO_KEYS);
	ikev1_ctx_free(rn.ctx);

	/* Every cut of an encrypted message, and a length that is not whole blocks. */
	snprintf(path, sizeof(path), "%s/conformance/wireshark/config/ikev1_decryption_table",
		 shared);
	nk = load_keys(path, k, MAX_KEYS);
	snprintf(path, sizeof(path), "%s/conformance/wireshark/captures/ikev1-certs.pcap", shared);
	CHECK(run_capture(path, k, nk, false, &rn));
	const struct frame_out *fo = &rn.f[6];
	static struct ike_msg m;
	static uint8_t plain[MAX_MSG], copy[MAX_MSG];
	size_t plen;
	for (size_t cut = 0; cut < fo->rawlen; cut++) {
		struct rd r = rd_init(fo->raw, cut, fo->rawlen);
		ike_parse(&r, &m);
		enum dec_result res =
		    ikev1_decrypt(rn.ctx, &k[0], &m, false, plain, sizeof(plain), &plen);
		CHECK(res == DEC_LENGTH || res == DEC_NO_KEYS);
	}
	memcpy(copy, fo->raw, fo->rawlen);
	size_t odd = fo->rawlen - 3;
	copy[24] = (uint8_t)(odd >> 24);
	copy[25] = (uint8_t)(odd >> 16);
	copy[26] = (uint8_t)(odd >> 8);
	copy[27] = (uint8_t)odd;
	struct rd r = rd_init(copy, odd, odd);
	ike_parse(&r, &m);
	CHECK(ikev1_decrypt(rn.ctx, &k[0], &m, false, plain, sizeof(plain), &plen) == DEC_LENGTH);
	/* A plaintext buffer too small for the message. */
	r = rd_init(fo->raw, fo->rawlen, fo->rawlen);
	ike_parse(&r, &m);
	CHECK(ikev1_decrypt(rn.ctx, &k[0], &m, false, plain, 16, &plen) == DEC_LENGTH);
	/* The retransmission memo: the same bytes again decrypt again. */
	CHECK(ikev1_decrypt(rn.ctx, &k[0], &m, false, plain, sizeof(plain), &plen) == DEC_OK);
	ikev1_ctx_free(rn.ctx);
}

static bool
run_sample(const char *name, bool keys)
{
	char path[1024];
	struct ikev1_keys k[MAX_KEYS];
	size_t nk = 0;
	if (keys) {
		snprintf(path, sizeof(path), "%s/samples/%s.keys/ikev1_decryption_table", srcdir,
			 name);
		nk = load_keys(path, k, MAX_KEYS);
		CHECK(nk == 1);
	}
	snprintf(path, sizeof(path), "%s/samples/%s.pcap", srcdir, name);
	bool ok = run_capture(path, k, nk, false, &rn);
	CHECK(ok);
	if (ok)
		print_run(name, &rn);
	return ok;
}

/* The first initiator cookie seen in the run. */
static const uint8_t *
first_cookie(void)
{
	for (unsigned n = 1; n <= rn.nframes; n++)
		if (rn.f[n].ike)
			return rn.f[n].raw;
	return NULL;
}

#define PSK_RIGHT "ikescope sample pre-shared key"
#define PSK_RES	  "ikescope sample pre-shared kez"

static void
test_samples(void)
{
	if (run_sample("ikev1-main-success", true)) {
		for (unsigned n = 5; n <= 9; n++)
			CHECK(rn.f[n].res == DEC_OK);
		CHECK(ikev1_psk_check(rn.ctx, first_cookie(), (const uint8_t *)PSK_RIGHT,
				      strlen(PSK_RIGHT)) == PSK_NOT_CHECKABLE);
		ikev1_ctx_free(rn.ctx);
	}
	if (run_sample("ikev1-aggressive-success", true)) {
		const uint8_t *ci = first_cookie();
		CHECK(ikev1_psk_check(rn.ctx, ci, (const uint8_t *)PSK_RIGHT, strlen(PSK_RIGHT)) ==
		      PSK_MATCH);
		CHECK(ikev1_psk_check(rn.ctx, ci, (const uint8_t *)PSK_RES, strlen(PSK_RES)) ==
		      PSK_MISMATCH);
		CHECK(ikev1_psk_check(rn.ctx, ci, (const uint8_t *)"", 0) == PSK_MISMATCH);
		ikev1_ctx_free(rn.ctx);
	}
	if (run_sample("ikev1-aggressive-psk-mismatch", true)) {
		const uint8_t *ci = first_cookie();
		enum psk_verdict vi =
		    ikev1_psk_check(rn.ctx, ci, (const uint8_t *)PSK_RIGHT, strlen(PSK_RIGHT));
		enum psk_verdict vr =
		    ikev1_psk_check(rn.ctx, ci, (const uint8_t *)PSK_RES, strlen(PSK_RES));
		fprintf(stderr, "aggressive-psk-mismatch: initiator's PSK %s, responder's PSK %s\n",
			psk_verdict_name(vi), psk_verdict_name(vr));
		/* HASH_R is the responder's: computed with its PSK. */
		CHECK(vi == PSK_MISMATCH);
		CHECK(vr == PSK_MATCH);
		ikev1_ctx_free(rn.ctx);
	}
	if (run_sample("ikev1-main-psk-mismatch", true)) {
		/*
		 * MM5 and its 4 retransmissions (identical bytes) all decrypt, where
		 * Wireshark decrypts the first only; the responder's Informationals
		 * are under its own SKEYID_e (another PSK): a wrong-key result.
		 */
		for (unsigned n = 5; n <= 13; n += 2) {
			CHECK(rn.f[n].res == DEC_OK);
			CHECK(notify_type(&rn, n) == 24578); /* INITIAL-CONTACT */
			CHECK(rn.f[n + 1].encrypted && rn.f[n + 1].res == DEC_PADDING);
		}
		ikev1_ctx_free(rn.ctx);
	}
	if (run_sample("ikev1-aggressive-success", true)) {
		for (unsigned n = 3; n <= 6; n++)
			CHECK(rn.f[n].res == DEC_OK);
		ikev1_ctx_free(rn.ctx);
	}
	if (run_sample("ikev1-aggressive-psk-mismatch", true)) {
		CHECK(notify_type(&rn, 3) == 24); /* AUTHENTICATION-FAILED */
		ikev1_ctx_free(rn.ctx);
	}
	if (run_sample("ikev1-quick-mode-proposal-mismatch", true)) {
		for (unsigned n = 5; n <= 8; n++)
			CHECK(rn.f[n].res == DEC_OK);
		CHECK(notify_type(&rn, 8) == 14); /* NO-PROPOSAL-CHOSEN */
		ikev1_ctx_free(rn.ctx);
	}
	if (run_sample("ikev1-ts-mismatch", true)) {
		for (unsigned n = 5; n <= 8; n++)
			CHECK(rn.f[n].res == DEC_OK);
		CHECK(notify_type(&rn, 8) == 18); /* INVALID-ID-INFORMATION */
		ikev1_ctx_free(rn.ctx);
	}
}

/* More SAs than the table holds: the oldest are forgotten, nothing breaks. */
static void
test_many_sas(void)
{
	static struct ike_msg m;
	struct ikev1_ctx *c = ikev1_ctx_new();
	CHECK(c != NULL);
	for (unsigned i = 0; i < 3000; i++) {
		memset(&m, 0, sizeof(m));
		m.version = 1;
		m.exchange = 4;
		m.spi_i[0] = 1;
		m.spi_i[6] = (uint8_t)(i >> 8);
		m.spi_i[7] = (uint8_t)i;
		ikev1_observe(c, &m, true);
		m.spi_r[0] = 2;
		ikev1_observe(c, &m, false);
	}
	uint8_t first[8] = {1, 0, 0, 0, 0, 0, 0, 0};
	CHECK(ikev1_psk_check(c, first, (const uint8_t *)"k", 1) == PSK_NOT_CHECKABLE);
	CHECK(ikev1_psk_check(c, first, NULL, 0) == PSK_UNCHECKED);
	ikev1_ctx_free(c);
	ikev1_ctx_free(NULL);
}

int
main(void)
{
	shared = getenv("SHARED");
	srcdir = getenv("SRCDIR");
	if (srcdir == NULL)
		srcdir = ".";
	/* The bundled samples and synthetic SAs need nothing from ../shared. */
	test_samples();
	test_many_sas();
	char probe[1024];
	snprintf(probe, sizeof(probe), "%s/conformance/wireshark", shared ? shared : "");
	FILE *f = shared ? fopen(probe, "r") : NULL;
	if (f == NULL && check_failures == 0) {
		fprintf(stderr, "SHARED not set or %s missing: the Wireshark captures skipped\n",
			probe);
		return 77;
	}
	if (f != NULL) {
		fclose(f);
		test_bug_12610(false);
		test_bug_12610(true);
		test_bug_12620();
		test_certs();
		test_wrong_keys();
	}
	if (check_failures)
		fprintf(stderr, "%d check(s) failed\n", check_failures);
	return check_failures ? 1 : 0;
}
