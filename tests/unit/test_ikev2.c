/*
 * Unit tests for the IKEv2 payload dissector (dissect/ikev2.c) and its name
 * tables, on real frames of the conformance captures ($SHARED/conformance).  The
 * expected values were read off `tshark -V` for the same frames.  The lying and
 * cut messages are built from those real frames by changing a length or a count,
 * or by replacing the body of the last payload.
 */
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "dissect/ike.h"
#include "dissect/ikev2_names.h"
#include "tests/unit/check.h"

#define MAX_MSG 4096

/* The IKE message of one frame, copied out of the capture callback. */
struct grab {
	uint64_t want;
	bool found;
	uint8_t buf[MAX_MSG];
	size_t cap, wire;
};

static void
on_pkt(void *ctx, const struct pkt *p)
{
	struct grab *g = ctx;
	if (g->found || p->fr->num != g->want || p->kind != PK_IKE)
		return;
	struct rd r = p->l4;
	g->cap = rd_left(&r);
	g->wire = rd_wire_left(&r);
	if (g->cap > sizeof(g->buf))
		return;
	rd_copy(&r, g->buf, g->cap);
	g->found = true;
}

static const char *shared;

/* Reads frame `frame` of $SHARED/conformance/<rel>; false (and a failure) if absent. */
static bool
load(const char *rel, uint64_t frame, struct grab *g)
{
	char path[1024], err[256];
	int code = 0;
	memset(g, 0, sizeof(*g));
	g->want = frame;
	snprintf(path, sizeof(path), "%s/conformance/%s", shared, rel);
	struct cap *c = cap_open_file(path, NULL, err, sizeof(err), &code);
	if (!c) {
		fprintf(stderr, "%s: %s\n", path, err);
		check_failures++;
		return false;
	}
	cap_run(c, frame, false, on_pkt, NULL, g, err, sizeof(err));
	cap_close(c);
	if (!g->found) {
		fprintf(stderr, "%s: frame %llu holds no IKE message\n", path,
			(unsigned long long)frame);
		check_failures++;
	}
	return g->found;
}

static void
parse(const uint8_t *p, size_t cap, size_t wire, struct ike_msg *m)
{
	struct rd r = rd_init(p, cap, wire);
	ike_parse(&r, m);
}

static const struct ike_payload *
find_payload(const struct ike_msg *m, uint8_t type, unsigned nth)
{
	for (unsigned i = 0; i < m->npayloads; i++)
		if (m->pl[i].type == type && nth-- == 0)
			return &m->pl[i];
	return NULL;
}

static size_t
offset_of(const struct grab *g, const uint8_t *p)
{
	return (size_t)(p - g->buf);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static bool
hex_eq(const uint8_t *p, size_t n, const char *hex)
{
	char buf[2 * 64 + 1];
	if (n > 64)
		return false;
	hex_str(p, n, buf);
	return strcmp(buf, hex) == 0;
}

/*
 * Replaces the body of g's last payload by body[0..n), with payload type `type`:
 * patches the previous payload's next-payload field, the payload length and the
 * IKE header length.  The result goes to out (out_len bytes).
 */
static bool
rebuild_last(const struct grab *g, uint8_t type, const uint8_t *body, size_t n, uint8_t *out,
	     size_t *out_len)
{
	struct ike_msg m;
	parse(g->buf, g->cap, g->wire, &m);
	if (m.npayloads == 0)
		return false;
	const struct ike_payload *last = &m.pl[m.npayloads - 1];
	size_t hdr = offset_of(g, last->body.p) - 4;
	if (hdr + 4 + n > MAX_MSG)
		return false;
	memcpy(out, g->buf, hdr + 4);
	if (n)
		memcpy(out + hdr + 4, body, n);
	if (m.npayloads == 1)
		out[16] = type;
	else
		out[offset_of(g, m.pl[m.npayloads - 2].body.p) - 4] = type;
	put16(out + hdr + 2, (uint16_t)(n + 4));
	size_t total = hdr + 4 + n;
	out[24] = (uint8_t)(total >> 24);
	out[25] = (uint8_t)(total >> 16);
	out[26] = (uint8_t)(total >> 8);
	out[27] = (uint8_t)total;
	*out_len = total;
	return true;
}

/* ipsec_client.pcap frame 1: a Windows initiator's IKE_SA_INIT request. */
static void
test_client_request(void)
{
	struct grab g;
	struct ike_msg m;
	if (!load("zeek-spicy-ipsec/traces/ipsec_client.pcap", 1, &g))
		return;
	parse(g.buf, g.cap, g.wire, &m);
	CHECK(m.version == 2);
	CHECK(m.malformed == NULL);
	CHECK(!m.truncated && !m.overflow);
	CHECK(m.npayloads == 9);

	const struct ike_payload *sa = find_payload(&m, IKEV2_P_SA, 0);
	CHECK(sa && sa->u.sa.nprops == 12 && sa->u.sa.first_prop == 0);
	CHECK(m.nprops == 12 && m.nxf == 48);
	for (unsigned i = 0; i < m.nprops; i++) {
		CHECK(m.props[i].num == i + 1);
		CHECK(m.props[i].proto == IKEV2_PROTO_IKE);
		CHECK(m.props[i].spi_size == 0);
		CHECK(m.props[i].count == 4 && m.props[i].declared == 4);
		CHECK(m.props[i].first == 4 * i);
	}
	/* #1: ENCR_3DES, AUTH_HMAC_SHA1_96, PRF_HMAC_SHA1, group 2 */
	CHECK(m.xf[0].type == IKEV2_XF_ENCR && m.xf[0].id == IKEV2_ENCR_3DES);
	CHECK(m.xf[0].keylen == 0 && m.xf[0].nattrs == 0);
	CHECK(m.xf[1].type == IKEV2_XF_INTEG && m.xf[1].id == IKEV2_INTEG_HMAC_SHA1_96);
	CHECK(m.xf[2].type == IKEV2_XF_PRF && m.xf[2].id == IKEV2_PRF_HMAC_SHA1);
	CHECK(m.xf[3].type == IKEV2_XF_DH && m.xf[3].id == IKEV2_DH_MODP_1024);
	/* #4: ENCR_AES_CBC with Key Length 128 (TV attribute 14) */
	const struct ike_transform *x4 = &m.xf[m.props[3].first];
	CHECK(x4->id == IKEV2_ENCR_AES_CBC && x4->keylen == 128 && x4->nattrs == 1);
	/* #12: AES_CBC 256, AUTH_HMAC_SHA2_384_192, PRF_HMAC_SHA2_384, group 2 */
	const struct ike_transform *x12 = &m.xf[m.props[11].first];
	CHECK(x12[0].id == IKEV2_ENCR_AES_CBC && x12[0].keylen == 256);
	CHECK(x12[1].type == IKEV2_XF_INTEG && x12[1].id == IKEV2_INTEG_HMAC_SHA2_384_192);
	CHECK(x12[2].type == IKEV2_XF_PRF && x12[2].id == IKEV2_PRF_HMAC_SHA2_384);
	CHECK(x12[3].type == IKEV2_XF_DH && x12[3].id == IKEV2_DH_MODP_1024);

	const struct ike_payload *ke = find_payload(&m, IKEV2_P_KE, 0);
	CHECK(ke && ke->len == 136 && ke->u.ke.group == 2 && ke->u.ke.data.len == 128);
	const struct ike_payload *ni = find_payload(&m, IKEV2_P_NONCE, 0);
	CHECK(ni && ni->u.nonce.len == 48);

	CHECK(m.nnotify == 2);
	CHECK(m.notifies[0].type == IKEV2_N_NAT_DETECTION_SOURCE_IP);
	CHECK(hex_eq(m.notifies[0].data.p, m.notifies[0].data.len,
		     "ed0f45d615ee1cc7f636df4ee075fd9d18791bb1"));
	CHECK(m.notifies[1].type == IKEV2_N_NAT_DETECTION_DESTINATION_IP);
	CHECK(hex_eq(m.notifies[1].data.p, m.notifies[1].data.len,
		     "52749dfdd6970df361f69d01015724d708dc4544"));
	const struct ike_payload *n2 = find_payload(&m, IKEV2_P_N, 1);
	CHECK(n2 && n2->u.notify == 1);

	const struct ike_payload *v0 = find_payload(&m, IKEV2_P_V, 0);
	CHECK(v0 && hex_eq(v0->u.vid.data.p, v0->u.vid.data.len,
			   "1e2b516905991c7d7c96fcbfb587e46100000009"));
	const struct ike_payload *v1 = find_payload(&m, IKEV2_P_V, 1);
	CHECK(v1 &&
	      hex_eq(v1->u.vid.data.p, v1->u.vid.data.len, "fb1de3cdf341b7ea16b7e5be0855f120"));
	CHECK(find_payload(&m, IKEV2_P_V, 3) != NULL);
}

/* ipsec_client.pcap frame 2: the responder's choice. */
static void
test_client_response(void)
{
	struct grab g;
	struct ike_msg m;
	if (!load("zeek-spicy-ipsec/traces/ipsec_client.pcap", 2, &g))
		return;
	parse(g.buf, g.cap, g.wire, &m);
	CHECK(m.malformed == NULL && !m.truncated);
	CHECK(m.nprops == 1 && m.nxf == 4);
	CHECK(m.props[0].num == 1 && m.props[0].count == 4);
	CHECK(m.xf[0].type == IKEV2_XF_ENCR && m.xf[0].id == IKEV2_ENCR_3DES);
	CHECK(m.xf[1].type == IKEV2_XF_INTEG && m.xf[1].id == IKEV2_INTEG_HMAC_SHA1_96);
	CHECK(m.xf[2].type == IKEV2_XF_PRF && m.xf[2].id == IKEV2_PRF_HMAC_SHA1);
	CHECK(m.xf[3].type == IKEV2_XF_DH && m.xf[3].id == IKEV2_DH_MODP_1024);
	const struct ike_payload *nr = find_payload(&m, IKEV2_P_NONCE, 0);
	CHECK(nr && nr->u.nonce.len == 32);
	CHECK(m.nnotify == 3);
	CHECK(m.notify[0] == 16388 && m.notify[1] == 16389 && m.notify[2] == 16404);
	CHECK(hex_eq(m.notifies[0].data.p, m.notifies[0].data.len,
		     "3d40f7d9409d85f141669ecab3f340d0147945a4"));
}

/* The wiki sample: AES-GCM-16/256 with ECP_256, SIGNATURE_HASH_ALGORITHMS, CERTREQ. */
static void
test_gcm_sample(void)
{
	struct grab g;
	struct ike_msg m;
	const char *f = "wireshark/wiki-samples/ikev2-esp-natt-aes-gcm-ctr-cbc/capture.pcapng";
	if (load(f, 1, &g)) {
		parse(g.buf, g.cap, g.wire, &m);
		CHECK(m.malformed == NULL);
		CHECK(m.nprops == 1 && m.nxf == 3);
		CHECK(m.xf[0].id == IKEV2_ENCR_AES_GCM_16 && m.xf[0].keylen == 256);
		CHECK(m.xf[2].type == IKEV2_XF_DH && m.xf[2].id == IKEV2_DH_ECP_256);
		const struct ike_payload *ke = find_payload(&m, IKEV2_P_KE, 0);
		CHECK(ke && ke->u.ke.group == IKEV2_DH_ECP_256 && ke->u.ke.data.len == 64);
		CHECK(m.nnotify == 3 && m.notify[2] == IKEV2_N_SIGNATURE_HASH_ALGORITHMS);
		const struct ike_notify *n = &m.notifies[2];
		CHECK(n->nhash_algs == 4);
		CHECK(n->hash_algs[0] == IKEV2_HASH_SHA1 && n->hash_algs[1] == IKEV2_HASH_SHA2_256);
		CHECK(n->hash_algs[2] == IKEV2_HASH_SHA2_384 &&
		      n->hash_algs[3] == IKEV2_HASH_SHA2_512);
		CHECK(m.notify[0] == IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED);
		CHECK(m.notifies[0].data.len == 0);
	}
	if (load(f, 2, &g)) {
		parse(g.buf, g.cap, g.wire, &m);
		CHECK(m.malformed == NULL);
		const struct ike_payload *cr = find_payload(&m, IKEV2_P_CERTREQ, 0);
		CHECK(cr && cr->len == 5 && cr->u.cert.encoding == IKEV2_CERT_X509_SIGNATURE);
		CHECK(cr && cr->u.cert.data.len == 0);
	}
	/* Frame 19: the AES-CTR proposal. */
	if (load(f, 19, &g)) {
		parse(g.buf, g.cap, g.wire, &m);
		CHECK(m.nxf == 4 && m.xf[0].id == IKEV2_ENCR_AES_CTR && m.xf[0].keylen == 256);
	}
}

/* ikev2four.pcap frame 2: a COOKIE challenge; frame 5: an SK payload. */
static void
test_cookie_and_sk(void)
{
	struct grab g;
	struct ike_msg m;
	if (load("tcpdump/tests/ikev2four.pcap", 2, &g)) {
		parse(g.buf, g.cap, g.wire, &m);
		CHECK(m.malformed == NULL);
		CHECK(m.nnotify == 1 && m.notify[0] == IKEV2_N_COOKIE);
		CHECK(hex_eq(m.notifies[0].data.p, m.notifies[0].data.len,
			     "00000001c2221e50c16e123f2b0c71aefcf0cb3b798782c6"));
	}
	if (load("tcpdump/tests/ikev2four.pcap", 5, &g)) {
		parse(g.buf, g.cap, g.wire, &m);
		CHECK(m.npayloads == 1 && m.pl[0].type == IKEV2_P_SK);
		CHECK(m.pl[0].u.sk.data.len == 204);
		CHECK(m.sk_first_inner == IKEV2_P_IDI);
	}
}

/* tcpdump's crafted identities and its segfault reproducer. */
static void
test_tcpdump_malformed(void)
{
	struct grab g;
	struct ike_msg m;
	if (load("tcpdump/tests/ikev2-id-normal.pcap", 1, &g)) {
		parse(g.buf, g.cap, g.wire, &m);
		/* ID_IPV4_ADDR with one byte of data (tshark reads past the payload). */
		CHECK(m.npayloads == 1 && m.pl[0].u.id.type == IKEV2_ID_IPV4_ADDR);
		CHECK(m.pl[0].u.id.data.len == 1);
		CHECK(m.malformed && strstr(m.malformed, "ID_IPV4_ADDR"));
	}
	if (load("tcpdump/tests/ikev2-id-short.pcap", 1, &g)) {
		parse(g.buf, g.cap, g.wire, &m);
		CHECK(m.npayloads == 1 && m.pl[0].len == 5);
		CHECK(m.malformed && strstr(m.malformed, "ID payload shorter"));
	}
	if (load("tcpdump/tests/ikev2pI2-segfault.pcapng", 1, &g)) {
		parse(g.buf, g.cap, g.wire, &m);
		/* Transform 3 says "46 follows"; the lengths still lead to all four. */
		CHECK(m.malformed && strstr(m.malformed, "last-substructure"));
		CHECK(m.nprops >= 1 && m.props[0].count == 4);
		CHECK(m.xf[3].type == 67 && m.xf[3].id == 170);
	}
}

/* Lengths and counts changed in a real request must be named, and never crash. */
static void
test_lies(void)
{
	struct grab g;
	struct ike_msg m;
	if (!load("zeek-spicy-ipsec/traces/ipsec_client.pcap", 1, &g))
		return;
	parse(g.buf, g.cap, g.wire, &m);
	const struct ike_payload *sa = find_payload(&m, IKEV2_P_SA, 0);
	if (!sa)
		return;
	const struct ike_payload *ke = find_payload(&m, IKEV2_P_KE, 0);
	if (!ke)
		return;
	size_t prop1 = offset_of(&g, sa->body.p); /* first proposal's header */
	size_t ke_body = offset_of(&g, ke->body.p);
	uint8_t b[MAX_MSG];

	memcpy(b, g.buf, g.cap);
	put16(b + prop1 + 2, 4);
	parse(b, g.cap, g.wire, &m);
	CHECK(m.malformed && strcmp(m.malformed, "proposal length below its header") == 0);
	CHECK(m.malformed_payload == 0);

	memcpy(b, g.buf, g.cap);
	put16(b + prop1 + 2, 0xffff);
	parse(b, g.cap, g.wire, &m);
	CHECK(m.malformed && strcmp(m.malformed, "proposal length overruns the SA payload") == 0);

	/* Proposal #1 claims 5 transforms and carries 4. */
	memcpy(b, g.buf, g.cap);
	b[prop1 + 7] = 5;
	parse(b, g.cap, g.wire, &m);
	CHECK(m.malformed && strstr(m.malformed, "transform count differs"));
	CHECK(m.nprops == 12 && m.props[0].declared == 5 && m.props[0].count == 4);

	/* Proposal #1 claims an SPI of 200 bytes inside its 40. */
	memcpy(b, g.buf, g.cap);
	b[prop1 + 6] = 200;
	parse(b, g.cap, g.wire, &m);
	CHECK(m.malformed && strstr(m.malformed, "SPI size overruns"));

	/* The first transform's length runs past its proposal. */
	memcpy(b, g.buf, g.cap);
	put16(b + prop1 + 8 + 2, 200);
	parse(b, g.cap, g.wire, &m);
	CHECK(m.malformed && strcmp(m.malformed, "transform length overruns the proposal") == 0);

	memcpy(b, g.buf, g.cap);
	put16(b + prop1 + 8 + 2, 6);
	parse(b, g.cap, g.wire, &m);
	CHECK(m.malformed && strcmp(m.malformed, "transform length below its header") == 0);

	/* Proposal #4's key length attribute turned into a TLV of 128 bytes. */
	memcpy(b, g.buf, g.cap);
	size_t prop4 = prop1 + 3 * 40;
	CHECK(b[prop4 + 8 + 8] == 0x80 && b[prop4 + 8 + 9] == 14);
	b[prop4 + 8 + 8] = 0x00;
	parse(b, g.cap, g.wire, &m);
	CHECK(m.malformed && strstr(m.malformed, "attribute length overruns"));

	/* The last proposal says more follow. */
	memcpy(b, g.buf, g.cap);
	size_t prop12 = prop4 + 8 * 44;
	CHECK(b[prop12] == 0);
	b[prop12] = 2;
	parse(b, g.cap, g.wire, &m);
	CHECK(m.malformed && strcmp(m.malformed, "last proposal not marked last") == 0);

	/* A KE whose data does not fit MODP_1024: group 14 wants 256 bytes. */
	memcpy(b, g.buf, g.cap);
	put16(b + ke_body, 14);
	parse(b, g.cap, g.wire, &m);
	CHECK(m.malformed && strstr(m.malformed, "KE data length"));
}

/* Every cut of a real request: truncated, never malformed, never a crash. */
static void
test_truncation(void)
{
	struct grab g;
	struct ike_msg m;
	if (!load("zeek-spicy-ipsec/traces/ipsec_client.pcap", 1, &g))
		return;
	for (size_t cap = 0; cap < g.cap; cap++) {
		uint8_t *b = malloc(cap ? cap : 1);
		memcpy(b, g.buf, cap);
		/* The snaplen cut it: the sender sent all of it. */
		parse(b, cap, g.wire, &m);
		if (cap >= IKE_HDR_SIZE) {
			CHECK(m.truncated);
			CHECK(m.malformed == NULL);
		}
		/* The datagram itself is short: the IKE length lies. */
		parse(b, cap, cap, &m);
		if (cap >= IKE_HDR_SIZE)
			CHECK(m.malformed != NULL);
		free(b);
	}
	/* Every byte of the message changed to each of a few values: no crash. */
	static const uint8_t vals[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x80, 0xff};
	for (size_t i = IKE_HDR_SIZE; i < g.cap; i++) {
		for (size_t k = 0; k < sizeof(vals); k++) {
			uint8_t *b = malloc(g.cap);
			memcpy(b, g.buf, g.cap);
			b[i] = vals[k];
			parse(b, g.cap, g.wire, &m);
			CHECK(m.npayloads <= IKE_MAX_PAYLOADS && m.nprops <= IKE_MAX_PROPOSALS);
			free(b);
		}
	}
}

/* Payloads rarely seen in clear, built on frame 2 of ipsec_client.pcap. */
static void
test_built_payloads(void)
{
	struct grab g;
	struct ike_msg m;
	uint8_t out[MAX_MSG];
	size_t n;
	if (!load("zeek-spicy-ipsec/traces/ipsec_client.pcap", 2, &g))
		return;

	/* INVALID_KE_PAYLOAD asking for MODP_2048. */
	static const uint8_t ike_ok[] = {0, 0, 0, 17, 0, 14};
	if (rebuild_last(&g, IKEV2_P_N, ike_ok, sizeof(ike_ok), out, &n)) {
		parse(out, n, n, &m);
		CHECK(m.malformed == NULL);
		CHECK(m.nnotify == 3 && m.notify[2] == IKEV2_N_INVALID_KE_PAYLOAD);
		CHECK(m.notifies[2].dh_group == IKEV2_DH_MODP_2048);
		CHECK(m.notifies[2].data.len == 2);
	}
	static const uint8_t ike_bad[] = {0, 0, 0, 17, 0, 14, 0};
	if (rebuild_last(&g, IKEV2_P_N, ike_bad, sizeof(ike_bad), out, &n)) {
		parse(out, n, n, &m);
		CHECK(m.malformed && strstr(m.malformed, "INVALID_KE_PAYLOAD"));
	}
	/* A NAT detection hash of 16 bytes. */
	uint8_t natd[4 + 16] = {0, 0, 0x40, 0x04};
	if (rebuild_last(&g, IKEV2_P_N, natd, sizeof(natd), out, &n)) {
		parse(out, n, n, &m);
		CHECK(m.malformed && strstr(m.malformed, "NAT detection hash"));
	}
	/* A COOKIE of 65 bytes. */
	uint8_t cookie[4 + 65] = {0, 0, 0x40, 0x06};
	if (rebuild_last(&g, IKEV2_P_N, cookie, sizeof(cookie), out, &n)) {
		parse(out, n, n, &m);
		CHECK(m.malformed && strstr(m.malformed, "COOKIE"));
	}
	/* REKEY_SA for ESP SPI c0ffee01. */
	static const uint8_t rekey[] = {3, 4, 0x40, 0x09, 0xc0, 0xff, 0xee, 0x01};
	if (rebuild_last(&g, IKEV2_P_N, rekey, sizeof(rekey), out, &n)) {
		parse(out, n, n, &m);
		CHECK(m.malformed == NULL);
		CHECK(m.notifies[2].proto == 3 && m.notifies[2].spi.len == 4);
	}
	/* Delete of two ESP SAs. */
	static const uint8_t del[] = {3, 4, 0, 2, 0xc0, 0xff, 0xee, 0x01, 0xde, 0xad, 0xbe, 0xef};
	if (rebuild_last(&g, IKEV2_P_D, del, sizeof(del), out, &n)) {
		parse(out, n, n, &m);
		CHECK(m.malformed == NULL);
		const struct ike_payload *d = find_payload(&m, IKEV2_P_D, 0);
		CHECK(d && d->u.del.proto == 3 && d->u.del.count == 2 && d->u.del.nspis == 2);
		CHECK(d && hex_eq(d->u.del.spis[1], 4, "deadbeef"));
	}
	/* Delete claiming three SPIs with two present. */
	static const uint8_t del_bad[] = {3,	4,    0,    3,	  0xc0, 0xff,
					  0xee, 0x01, 0xde, 0xad, 0xbe, 0xef};
	if (rebuild_last(&g, IKEV2_P_D, del_bad, sizeof(del_bad), out, &n)) {
		parse(out, n, n, &m);
		CHECK(m.malformed && strstr(m.malformed, "Delete SPI count"));
	}
	/* IKE SA delete: no SPI. */
	static const uint8_t del_ike[] = {1, 0, 0, 0};
	if (rebuild_last(&g, IKEV2_P_D, del_ike, sizeof(del_ike), out, &n)) {
		parse(out, n, n, &m);
		CHECK(m.malformed == NULL);
	}
	/* TSi: 10.0.0.0-10.0.0.255 any protocol, and ::/0 TCP 443. */
	static const uint8_t tsi[] = {2,    0,	  0,	0,    7,    0,	  0,	16,   0,    0,
				      0xff, 0xff, 10,	0,    0,    0,	  10,	0,    0,    255,
				      8,    6,	  0,	40,   1,    0xbb, 1,	0xbb, 0,    0,
				      0,    0,	  0,	0,    0,    0,	  0,	0,    0,    0,
				      0,    0,	  0,	0,    0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	if (rebuild_last(&g, IKEV2_P_TSI, tsi, sizeof(tsi), out, &n)) {
		parse(out, n, n, &m);
		CHECK(m.malformed == NULL);
		const struct ike_payload *t = find_payload(&m, IKEV2_P_TSI, 0);
		CHECK(t && t->u.ts.nts == 2 && m.nts == 2);
		CHECK(m.ts[0].initiator && m.ts[0].type == IKEV2_TS_IPV4_ADDR_RANGE);
		CHECK(m.ts[0].end_port == 65535 && m.ts[0].start[0] == 10 && m.ts[0].end[3] == 255);
		CHECK(m.ts[1].type == IKEV2_TS_IPV6_ADDR_RANGE && m.ts[1].proto == 6);
		CHECK(m.ts[1].start_port == 443 && m.ts[1].end[15] == 0xff);
	}
	/* The same TSi claiming three selectors. */
	uint8_t tsi_bad[sizeof(tsi)];
	memcpy(tsi_bad, tsi, sizeof(tsi));
	tsi_bad[0] = 3;
	if (rebuild_last(&g, IKEV2_P_TSR, tsi_bad, sizeof(tsi_bad), out, &n)) {
		parse(out, n, n, &m);
		CHECK(m.malformed && strstr(m.malformed, "TS count"));
		CHECK(m.nts == 2 && !m.ts[0].initiator);
	}
	/* An IPv4 selector of IPv6 length. */
	memcpy(tsi_bad, tsi, sizeof(tsi));
	tsi_bad[4] = 8;
	if (rebuild_last(&g, IKEV2_P_TSI, tsi_bad, sizeof(tsi_bad), out, &n)) {
		parse(out, n, n, &m);
		CHECK(m.malformed && strstr(m.malformed, "does not match its type"));
	}
	/* CP request for an address and DNS servers. */
	static const uint8_t cp[] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 8, 0, 0};
	if (rebuild_last(&g, IKEV2_P_CP, cp, sizeof(cp), out, &n)) {
		parse(out, n, n, &m);
		CHECK(m.malformed == NULL);
		const struct ike_payload *c = find_payload(&m, IKEV2_P_CP, 0);
		CHECK(c && c->u.cp.type == IKEV2_CFG_REQUEST && c->u.cp.nattrs == 3);
		CHECK(c && c->u.cp.attrs[0] == IKEV2_CA_INTERNAL_IP4_ADDRESS &&
		      c->u.cp.attrs[2] == IKEV2_CA_INTERNAL_IP6_ADDRESS);
	}
	static const uint8_t cp_bad[] = {2, 0, 0, 0, 0, 1, 0, 8, 10, 0, 0, 1};
	if (rebuild_last(&g, IKEV2_P_CP, cp_bad, sizeof(cp_bad), out, &n)) {
		parse(out, n, n, &m);
		CHECK(m.malformed && strstr(m.malformed, "CP attribute length"));
	}
	/* EAP Request/Identity, then a length that lies. */
	static const uint8_t eap[] = {1, 7, 0, 5, 1};
	if (rebuild_last(&g, IKEV2_P_EAP, eap, sizeof(eap), out, &n)) {
		parse(out, n, n, &m);
		CHECK(m.malformed == NULL);
		const struct ike_payload *e = find_payload(&m, IKEV2_P_EAP, 0);
		CHECK(e && e->u.eap.code == 1 && e->u.eap.id == 7 && e->u.eap.type == 1);
	}
	static const uint8_t eap_bad[] = {3, 7, 0, 9};
	if (rebuild_last(&g, IKEV2_P_EAP, eap_bad, sizeof(eap_bad), out, &n)) {
		parse(out, n, n, &m);
		CHECK(m.malformed && strstr(m.malformed, "EAP length"));
	}
	/* IDr FQDN, AUTH PSK, an empty nonce. */
	static const uint8_t idr[] = {2, 0, 0, 0, 'v', 'p', 'n', '.', 'e', 'x'};
	if (rebuild_last(&g, IKEV2_P_IDR, idr, sizeof(idr), out, &n)) {
		parse(out, n, n, &m);
		const struct ike_payload *i = find_payload(&m, IKEV2_P_IDR, 0);
		CHECK(m.malformed == NULL && i && i->u.id.type == IKEV2_ID_FQDN);
		CHECK(i && i->u.id.data.len == 6 && memcmp(i->u.id.data.p, "vpn.ex", 6) == 0);
	}
	static const uint8_t auth[] = {2, 0, 0, 0, 1, 2, 3, 4};
	if (rebuild_last(&g, IKEV2_P_AUTH, auth, sizeof(auth), out, &n)) {
		parse(out, n, n, &m);
		const struct ike_payload *a = find_payload(&m, IKEV2_P_AUTH, 0);
		CHECK(m.malformed == NULL && a && a->u.auth.method == IKEV2_AUTH_SHARED_KEY_MIC);
		CHECK(a && a->u.auth.data.len == 4);
	}
	if (rebuild_last(&g, IKEV2_P_NONCE, NULL, 0, out, &n)) {
		parse(out, n, n, &m);
		CHECK(m.malformed && strstr(m.malformed, "empty nonce"));
	}
	/* SKF fragment 2 of 3, and fragment 0. */
	static const uint8_t skf[] = {0, 2, 0, 3, 0xaa, 0xbb};
	if (rebuild_last(&g, IKEV2_P_SKF, skf, sizeof(skf), out, &n)) {
		parse(out, n, n, &m);
		CHECK(m.malformed == NULL && m.frag_n == 2 && m.frag_total == 3);
	}
	static const uint8_t skf_bad[] = {0, 0, 0, 3};
	if (rebuild_last(&g, IKEV2_P_SKF, skf_bad, sizeof(skf_bad), out, &n)) {
		parse(out, n, n, &m);
		CHECK(m.malformed && strstr(m.malformed, "SKF fragment number"));
	}
}

static void
test_names(void)
{
	CHECK(strcmp(ikev2_xf_id_name(IKEV2_XF_ENCR, 20), "AES_GCM_16") == 0);
	CHECK(strcmp(ikev2_xf_id_name(IKEV2_XF_ENCR, 28), "CHACHA20_POLY1305") == 0);
	CHECK(strcmp(ikev2_xf_id_name(IKEV2_XF_INTEG, 0), "NONE") == 0);
	CHECK(strcmp(ikev2_xf_id_name(IKEV2_XF_DH, 31), "CURVE25519") == 0);
	CHECK(strcmp(ikev2_xf_id_name(IKEV2_XF_ADDKE1, 36), "ML_KEM_768") == 0);
	CHECK(strcmp(ikev2_xf_id_name(IKEV2_XF_ESN, 1), "ESN") == 0);
	CHECK(ikev2_xf_id_name(IKEV2_XF_ENCR, 17) == NULL);
	CHECK(ikev2_xf_id_name(99, 1) == NULL);
	CHECK(strcmp(ikev2_auth_name(14), "DIGITAL_SIGNATURE") == 0);
	CHECK(strcmp(ikev2_auth_name(13), "NULL_AUTH") == 0);
	CHECK(strcmp(ikev2_id_type_name(11), "ID_KEY_ID") == 0);
	CHECK(strcmp(ikev2_ts_type_name(8), "TS_IPV6_ADDR_RANGE") == 0);
	CHECK(strcmp(ikev2_cfg_attr_name(25), "INTERNAL_DNS_DOMAIN") == 0);
	CHECK(strcmp(ikev2_hash_name(5), "IDENTITY") == 0);
	CHECK(strcmp(eap_type_name(26), "EAP-MSCHAPv2") == 0);
	CHECK(ikev2_dh_ke_len(IKEV2_DH_MODP_2048) == 256);
	CHECK(ikev2_dh_ke_len(IKEV2_DH_ECP_521) == 132);
	CHECK(ikev2_dh_ke_len(IKEV2_DH_ML_KEM_768) == 0);
	CHECK(ikev2_payload_parser(0) == NULL && ikev2_payload_parser(255) == NULL);
	CHECK(ikev2_payload_parser(IKEV2_P_GSPM) == NULL);
	CHECK(ikev2_payload_parser(IKEV2_P_SA) != NULL);
}

int
main(void)
{
	shared = getenv("SHARED");
	char probe[1024];
	snprintf(probe, sizeof(probe), "%s/conformance", shared ? shared : "");
	FILE *f = shared ? fopen(probe, "r") : NULL;
	if (!f) {
		fprintf(stderr, "SHARED not set or %s missing: skipped\n", probe);
		return 77;
	}
	fclose(f);
	test_names();
	test_client_request();
	test_client_response();
	test_gcm_sample();
	test_cookie_and_sk();
	test_tcpdump_malformed();
	test_lies();
	test_truncation();
	test_built_payloads();
	if (check_failures)
		fprintf(stderr, "%d check(s) failed\n", check_failures);
	return check_failures ? 1 : 0;
}
