/*
 * Unit tests for the IKEv1 dissector and the vendor-ID table: real frames of
 * ../shared/conformance captures (values checked against tshark -V), the same
 * frames corrupted (lying lengths and counts must be flagged malformed, never
 * read out of bounds), every truncation of them, and a hand-built quick-mode
 * message for the phase-2 attributes and the payloads no capture shows in clear.
 */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "dissect/ike.h"
#include "dissect/ikev1_names.h"
#include "report/tree.h"
#include "tests/unit/check.h"

#define MAX_MSG 4096

static const char *shared;
static FILE *devnull;

/* One IKE message copied out of a capture frame. */
struct msg_bytes {
	uint8_t b[MAX_MSG];
	size_t len;
};

/* Reads frame `want` (1-based) of a capture and copies its IKE message; false if absent. */
static bool
load_ike(const char *rel, unsigned want, struct msg_bytes *out)
{
	char path[1024], err[PCAP_ERRBUF_SIZE];
	snprintf(path, sizeof(path), "%s/conformance/%s", shared, rel);
	pcap_t *pc = pcap_open_offline(path, err);
	if (pc == NULL) {
		fprintf(stderr, "%s: %s\n", path, err);
		return false;
	}
	struct decoder *d = decoder_new(NULL, NULL);
	struct cap_stats st;
	memset(&st, 0, sizeof(st));
	struct pcap_pkthdr *h;
	const u_char *data;
	bool found = false;
	for (unsigned n = 1; pcap_next_ex(pc, &h, &data) == 1; n++) {
		struct frame fr = {.num = n,
				   .ts_usec = 0,
				   .caplen = h->caplen,
				   .wirelen = h->len,
				   .linktype = pcap_datalink(pc),
				   .data = data};
		struct pkt p;
		decoder_frame(d, &fr, &p, &st);
		if (n != want)
			continue;
		if (p.kind == PK_IKE && rd_left(&p.l4) <= sizeof(out->b)) {
			out->len = rd_left(&p.l4);
			memcpy(out->b, p.l4.p + p.l4.off, out->len);
			found = true;
		}
		break;
	}
	decoder_free(d);
	pcap_close(pc);
	if (!found)
		fprintf(stderr, "%s: frame %u is not IKE\n", rel, want);
	return found;
}

/* Parses bytes, of which cap were captured, and renders both trees (exercising the printers). */
static void
parse(const uint8_t *b, size_t cap, size_t wire, struct ike_msg *m)
{
	struct rd r = rd_init(b, cap, wire);
	ike_parse(&r, m);
	struct tw w;
	tw_init(&w, devnull, false);
	tree_ike_msg(&w, m);
	tw_init(&w, devnull, true);
	tree_ike_msg(&w, m);
}

static bool
is(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static bool
bytes_are(struct span s, const char *hex)
{
	size_t n = strlen(hex) / 2;
	if (s.len != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (sscanf(hex + 2 * i, "%2x", &v) != 1 || s.p[i] != v)
			return false;
	}
	return true;
}

/* Offset in the message of payload i's generic header (walking the declared lengths). */
static size_t
payload_off(const struct ike_msg *m, unsigned i)
{
	size_t off = IKE_HDR_SIZE;
	for (unsigned k = 0; k < i; k++)
		off += m->pl[k].len;
	return off;
}

/* isakmp4500.pcap frames 3-5: Openswan main mode, four 3DES proposals, NAT-T VIDs, NAT-D. */
static void
test_main_mode(void)
{
	static struct msg_bytes mb;
	static struct ike_msg m;
	if (!load_ike("tcpdump/tests/isakmp4500.pcap", 3, &mb)) {
		CHECK(0);
		return;
	}
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(m.version == 1 && m.exchange == 2 && !m.encrypted);
	CHECK(m.malformed == NULL && !m.truncated && !m.overflow);
	CHECK(m.npayloads == 7);
	CHECK(m.pl[0].type == IKEV1_P_SA);
	CHECK(m.pl[0].u.sa.doi == IKEV1_DOI_IPSEC && m.pl[0].u.sa.situation == 1);
	CHECK(m.pl[0].u.sa.nprops == 1 && m.nprops == 1);
	const struct ike_proposal *pr = &m.props[0];
	CHECK(pr->num == 0 && pr->proto == IKEV1_PROTO_ISAKMP && pr->spi_size == 0);
	CHECK(pr->declared == 4 && pr->count == 4 && m.nxf == 4);
	/* tshark: #0 3DES MD5 RSA-sig 1536, #1 3DES SHA 1536, #2 3DES SHA 1024, #3 3DES MD5 1024.
	 */
	static const uint16_t hash[4] = {1, 2, 2, 1}, grp[4] = {5, 5, 2, 2};
	for (unsigned i = 0; i < 4; i++) {
		const struct ike_transform *x = &m.xf[pr->first + i];
		CHECK(x->num == i && x->id == IKEV1_KEY_IKE);
		CHECK(x->v1_encr == IKEV1_ENCR_3DES_CBC && x->v1_auth == IKEV1_AUTH_RSA_SIG);
		CHECK(x->v1_hash == hash[i] && x->v1_group == grp[i]);
		CHECK(x->life_secs == 3600 && x->life_kb == 0 && x->nattrs == 6 && x->keylen == 0);
	}
	CHECK(is(ikev1_transform_name(1, 1), "KEY_IKE"));
	CHECK(is(ikev1_group_name(5), "MODP_1536"));
	/* Vendor IDs, as tshark names them (the first is Openswan's "OE..." ID). */
	CHECK(m.pl[1].type == IKEV1_P_VID &&
	      bytes_are(m.pl[1].u.vid.data, "4f456b5262475852766d5045"));
	CHECK(is(m.pl[1].u.vid.name, "Openswan / FreeS/WAN"));
	CHECK(bytes_are(m.pl[2].u.vid.data, "afcad71368a1f1c96b8696fc77570100"));
	CHECK(is(m.pl[2].u.vid.name, "RFC 3706 DPD"));
	CHECK(is(m.pl[3].u.vid.name, "RFC 3947 NAT-T"));
	CHECK(is(m.pl[4].u.vid.name, "draft-ietf-ipsec-nat-t-ike-03"));
	CHECK(is(m.pl[5].u.vid.name, "draft-ietf-ipsec-nat-t-ike-02"));
	CHECK(is(m.pl[6].u.vid.name, "draft-ietf-ipsec-nat-t-ike-00"));

	/* Every truncation is truncation, never a lie, and never an over-read. */
	for (size_t cut = 0; cut < mb.len; cut++) {
		parse(mb.b, cut, mb.len, &m);
		CHECK(m.malformed == NULL);
		CHECK(m.truncated);
	}

	if (!load_ike("tcpdump/tests/isakmp4500.pcap", 4, &mb)) {
		CHECK(0);
		return;
	}
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(m.malformed == NULL && m.npayloads == 4 && m.nprops == 1 && m.nxf == 1);
	CHECK(m.xf[0].v1_hash == IKEV1_HASH_MD5 && m.xf[0].v1_group == 5);
	CHECK(is(m.pl[2].u.vid.name, "RFC 3706 DPD"));
	CHECK(is(m.pl[3].u.vid.name, "RFC 3947 NAT-T"));

	if (!load_ike("tcpdump/tests/isakmp4500.pcap", 5, &mb)) {
		CHECK(0);
		return;
	}
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(m.malformed == NULL && m.npayloads == 4);
	CHECK(m.pl[0].type == IKEV1_P_KE && m.pl[0].u.ke.data.len == 192);
	CHECK(m.pl[1].type == IKEV1_P_NONCE &&
	      bytes_are(m.pl[1].u.nonce, "66d6f632697b5e489a92936557a97fa8"));
	unsigned natd = 0;
	for (unsigned i = 0; i < m.npayloads; i++)
		natd += m.pl[i].type == IKEV1_P_NAT_D;
	CHECK(natd == 2);
	CHECK(bytes_are(m.pl[2].u.nonce, "6efe12f04af90dfbcfb15d71b841bb9e"));
	CHECK(bytes_are(m.pl[3].u.nonce, "44f517e03fb381f80f842d1538ccffac"));
}

/* ISAKMP_sa_setup.pcap: Cisco main mode, AES-128 SHA PSK group 1, Unity/DPD/XAUTH VIDs. */
static void
test_sa_setup(void)
{
	static struct msg_bytes mb;
	static struct ike_msg m;
	if (!load_ike("tcpdump/tests/ISAKMP_sa_setup.pcap", 1, &mb)) {
		CHECK(0);
		return;
	}
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(m.malformed == NULL && m.nprops == 1 && m.nxf == 1);
	const struct ike_transform *x = &m.xf[0];
	CHECK(x->v1_encr == IKEV1_ENCR_AES_CBC && x->keylen == 128);
	CHECK(x->v1_hash == IKEV1_HASH_SHA && x->v1_auth == IKEV1_AUTH_PSK);
	CHECK(x->v1_group == 1 && x->life_secs == 86400 && x->nattrs == 7);
	CHECK(is(m.pl[1].u.vid.name, "draft-ietf-ipsec-nat-t-ike-07"));
	CHECK(is(m.pl[3].u.vid.name, "draft-ietf-ipsec-nat-t-ike-02\\n"));
	if (!load_ike("tcpdump/tests/ISAKMP_sa_setup.pcap", 3, &mb)) {
		CHECK(0);
		return;
	}
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(m.pl[2].type == IKEV1_P_VID && is(m.pl[2].u.vid.name, "Cisco Unity"));
	CHECK(is(m.pl[3].u.vid.name, "RFC 3706 DPD"));
	CHECK(m.pl[4].u.vid.name == NULL); /* per-session random ID */
	CHECK(m.pl[5].u.vid.data.len == 8 && is(m.pl[5].u.vid.name, "XAUTH"));
}

/* Aggressive mode (zeek-spicy-ipsec): IDs in clear; then the same ID made to lie. */
static void
test_aggressive_id(void)
{
	static struct msg_bytes mb;
	static struct ike_msg m;
	if (!load_ike("zeek-spicy-ipsec/traces/ipsec-ikev1-isakmp-aggressive-mode.pcap", 1, &mb)) {
		CHECK(0);
		return;
	}
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(m.exchange == 4 && m.malformed == NULL && m.npayloads == 11);
	CHECK(m.pl[7].type == IKEV1_P_ID);
	const struct ike_id *id = &m.pl[7].u.id;
	CHECK(id->type == IKEV1_ID_IPV4_ADDR && id->proto == 17 && id->port == 0);
	CHECK(bytes_are(id->data, "c0a80c02")); /* 192.168.12.2 */
	CHECK(is(m.pl[1].u.vid.name, "RFC 3947 NAT-T"));
	CHECK(is(m.pl[8].u.vid.name, "RFC 3706 DPD"));

	/* ID_IPV6_ADDR_SUBNET needs 32 bytes: 4 is a lie (tcpdump's ikev1_id_ipv6 CVE class). */
	size_t at = payload_off(&m, 7) + 4;
	mb.b[at] = IKEV1_ID_IPV6_ADDR_SUBNET;
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(is(m.pl[7].malformed, "ID data length does not match the ID type"));
	CHECK(m.malformed_payload == 7);

	if (!load_ike("zeek-spicy-ipsec/traces/ipsec-ikev1-isakmp-aggressive-mode.pcap", 2, &mb)) {
		CHECK(0);
		return;
	}
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(m.malformed == NULL && m.npayloads == 12);
	CHECK(m.pl[7].type == IKEV1_P_ID && m.pl[7].u.id.proto == 0);
	CHECK(bytes_are(m.pl[7].u.id.data, "c0a80c02"));
	CHECK(m.pl[9].type == IKEV1_P_HASH && m.pl[9].u.nonce.len == 20);
	CHECK(m.pl[10].type == IKEV1_P_NAT_D &&
	      bytes_are(m.pl[10].u.nonce, "f41cca0e525dcb00902a095074bb68ae9ae0b536"));
	CHECK(m.pl[11].type == IKEV1_P_NAT_D && m.pl[11].u.nonce.len == 20);
	CHECK(is(m.pl[1].u.vid.name, "Cisco Unity"));
}

/* ikev1-certs.pcap: a certificate request, a NetScreen VID with a version suffix. */
static void
test_certs(void)
{
	static struct msg_bytes mb;
	static struct ike_msg m;
	if (!load_ike("wireshark/captures/ikev1-certs.pcap", 4, &mb)) {
		CHECK(0);
		return;
	}
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(m.malformed == NULL && m.npayloads == 3);
	CHECK(m.pl[2].type == IKEV1_P_CR && m.pl[2].u.cert.encoding == IKEV1_CERT_X509_SIG);
	CHECK(m.pl[2].u.cert.data.len == 82);
	if (!load_ike("wireshark/captures/ikev1-certs.pcap", 2, &mb)) {
		CHECK(0);
		return;
	}
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(m.npayloads == 10 && m.pl[9].u.vid.data.len == 28);
	CHECK(is(m.pl[9].u.vid.name, "Juniper/NetScreen"));
	CHECK(is(m.pl[2].u.vid.name, "draft-stenberg-ipsec-nat-traversal-01"));
}

/* The SA of isakmp4500 frame 3, corrupted field by field: each lie named. */
static void
test_lying_sa(void)
{
	static struct msg_bytes orig, mb;
	static struct ike_msg m;
	if (!load_ike("tcpdump/tests/isakmp4500.pcap", 3, &orig)) {
		CHECK(0);
		return;
	}
	/* Offsets: SA at 28; DOI 32; situation 36; proposal 40 (len 42, spi size 46, count 47);
	 * transform 48 (len 50); its first attribute 56. */
	const size_t prop = 40, xf = 48, attr = 56;

	mb = orig;
	mb.b[prop + 7] = 5; /* 4 transforms present */
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(is(m.pl[0].malformed, "proposal transform count does not match its transforms"));
	CHECK(m.npayloads == 7); /* the chain goes on */

	mb = orig;
	mb.b[prop + 2] = 0x01; /* proposal length 0x0188 > SA */
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(is(m.pl[0].malformed, "proposal length overruns the SA payload"));

	mb = orig;
	mb.b[prop + 6] = 200; /* SPI size */
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(is(m.pl[0].malformed, "proposal SPI size overruns the proposal"));

	mb = orig;
	mb.b[xf + 2] = 0, mb.b[xf + 3] = 0; /* transform length 0 would stall the walk */
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(is(m.pl[0].malformed, "transform length below 8"));

	mb = orig;
	mb.b[xf + 2] = 0, mb.b[xf + 3] = 4 * 32 + 1; /* one byte beyond the proposal */
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(is(m.pl[0].malformed, "transform length overruns the proposal"));

	mb = orig;
	mb.b[attr] &= 0x7f; /* TV -> TLV of length 0x0001: ... then fragments */
	mb.b[attr + 2] = 0x0f, mb.b[attr + 3] = 0xff;
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(is(m.pl[0].malformed, "transform attribute length overruns the transform"));

	mb = orig;
	mb.b[xf] = 7; /* transform next payload */
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(is(m.pl[0].malformed, "transform next payload neither 0 nor 3"));

	/* The VID after the SA re-typed as Delete: 71-byte SPIs, 22610 of them. */
	mb = orig;
	mb.b[IKE_HDR_SIZE] = IKEV1_P_D;
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(m.pl[1].type == IKEV1_P_D);
	CHECK(is(m.pl[1].malformed, "delete SPI count times SPI size overruns the payload"));
	CHECK(m.pl[1].u.del.nspis == 0);

	/* The DPD VID re-typed as Notification: SPI size 0xa1 in 16 bytes. */
	mb = orig;
	mb.b[payload_off(&m, 1)] = IKEV1_P_N;
	parse(mb.b, mb.len, mb.len, &m);
	CHECK(m.pl[2].type == IKEV1_P_N);
	CHECK(is(m.pl[2].malformed, "notification SPI size overruns the payload"));

	/* Every single-byte change at every offset: never a crash (ASan/UBSan watch). */
	static const uint8_t vals[] = {0x00, 0x01, 0x03, 0x04, 0x7f, 0x80, 0xff};
	for (size_t off = 0; off < orig.len; off++) {
		for (size_t v = 0; v < sizeof(vals); v++) {
			mb = orig;
			mb.b[off] = vals[v];
			parse(mb.b, mb.len, mb.len, &m);
			parse(mb.b, mb.len / 2, mb.len, &m);
		}
	}
}

/* Appends big-endian values to a message under construction. */
struct builder {
	uint8_t b[1024];
	size_t n;
};

static void
put(struct builder *bd, uint64_t v, unsigned bytes)
{
	for (unsigned i = bytes; i-- > 0;)
		bd->b[bd->n++] = (uint8_t)(v >> (8 * i));
}

static void
put_len(struct builder *bd, size_t at)
{
	size_t len = bd->n - at;
	bd->b[at + 2] = (uint8_t)(len >> 8);
	bd->b[at + 3] = (uint8_t)len;
}

/*
 * A quick-mode message in clear (as decrypted): HASH, SA with one ESP proposal,
 * NONCE, subnet IDs, then N (R-U-THERE), D, ATTR, NAT-OA, FRAG.
 */
static void
test_quick_mode_built(void)
{
	static struct builder bd;
	static struct ike_msg m;
	memset(&bd, 0, sizeof(bd));
	put(&bd, 0x1122334455667788ull, 8);
	put(&bd, 0x99aabbccddeeff00ull, 8);
	put(&bd, IKEV1_P_HASH, 1);
	put(&bd, 0x10, 1);
	put(&bd, 32, 1); /* quick mode */
	put(&bd, 0, 1);
	put(&bd, 0x01020304, 4);
	put(&bd, 0, 4); /* length, set below */

	size_t at = bd.n; /* HASH */
	put(&bd, IKEV1_P_SA, 1), put(&bd, 0, 1), put(&bd, 0, 2), put(&bd, 0xabababab, 4);
	put_len(&bd, at);

	at = bd.n; /* SA */
	put(&bd, IKEV1_P_NONCE, 1), put(&bd, 0, 1), put(&bd, 0, 2);
	put(&bd, IKEV1_DOI_IPSEC, 4), put(&bd, IKEV1_SIT_IDENTITY_ONLY, 4);
	size_t pat = bd.n; /* proposal */
	put(&bd, 0, 1), put(&bd, 0, 1), put(&bd, 0, 2);
	put(&bd, 1, 1), put(&bd, IKEV1_PROTO_ESP, 1), put(&bd, 4, 1), put(&bd, 1, 1);
	put(&bd, 0xc0ffee01, 4);
	size_t tat = bd.n; /* transform */
	put(&bd, 0, 1), put(&bd, 0, 1), put(&bd, 0, 2);
	put(&bd, 1, 1), put(&bd, IKEV1_ESP_AES, 1), put(&bd, 0, 2);
	put(&bd, 0x8000 | IKEV1_A2_LIFE_TYPE, 2), put(&bd, IKEV1_LIFE_SECONDS, 2);
	put(&bd, IKEV1_A2_LIFE_DURATION, 2), put(&bd, 4, 2), put(&bd, 3600, 4);
	put(&bd, 0x8000 | IKEV1_A2_LIFE_TYPE, 2), put(&bd, IKEV1_LIFE_KILOBYTES, 2);
	put(&bd, IKEV1_A2_LIFE_DURATION, 2), put(&bd, 8, 2), put(&bd, 0x0102030405060708ull, 8);
	put(&bd, 0x8000 | IKEV1_A2_ENCAP_MODE, 2), put(&bd, IKEV1_ENCAP_UDP_TUNNEL_DRAFT, 2);
	put(&bd, 0x8000 | IKEV1_A2_AUTH_ALG, 2), put(&bd, IKEV1_AALG_HMAC_SHA2_256, 2);
	put(&bd, 0x8000 | IKEV1_A2_KEY_LENGTH, 2), put(&bd, 256, 2);
	put(&bd, 0x8000 | IKEV1_A2_GROUP_DESC, 2), put(&bd, 14, 2);
	put_len(&bd, tat);
	put_len(&bd, pat);
	put_len(&bd, at);

	at = bd.n; /* NONCE */
	put(&bd, IKEV1_P_ID, 1), put(&bd, 0, 1), put(&bd, 0, 2), put(&bd, 0x0102030405060708ull, 8);
	put_len(&bd, at);

	at = bd.n; /* IDci: 10.1.0.0/255.255.0.0, TCP port 443 */
	put(&bd, IKEV1_P_N, 1), put(&bd, 0, 1), put(&bd, 0, 2);
	put(&bd, IKEV1_ID_IPV4_ADDR_SUBNET, 1), put(&bd, 6, 1), put(&bd, 443, 2);
	put(&bd, 0x0a010000, 4), put(&bd, 0xffff0000, 4);
	put_len(&bd, at);

	at = bd.n; /* N: R-U-THERE, SPI = the cookies, sequence 0x12345678 */
	put(&bd, IKEV1_P_D, 1), put(&bd, 0, 1), put(&bd, 0, 2);
	put(&bd, IKEV1_DOI_IPSEC, 4), put(&bd, IKEV1_PROTO_ISAKMP, 1), put(&bd, 16, 1);
	put(&bd, IKEV1_N_DPD_R_U_THERE, 2);
	put(&bd, 0x1122334455667788ull, 8), put(&bd, 0x99aabbccddeeff00ull, 8);
	put(&bd, 0x12345678, 4);
	put_len(&bd, at);

	at = bd.n; /* D: two ESP SPIs */
	put(&bd, IKEV1_P_ATTR, 1), put(&bd, 0, 1), put(&bd, 0, 2);
	put(&bd, IKEV1_DOI_IPSEC, 4), put(&bd, IKEV1_PROTO_ESP, 1), put(&bd, 4, 1), put(&bd, 2, 2);
	put(&bd, 0xc0ffee01, 4), put(&bd, 0xc0ffee02, 4);
	put_len(&bd, at);

	at = bd.n; /* ATTR: CFG_REQUEST for an address and XAUTH_USER_NAME (empty TLV) */
	put(&bd, IKEV1_P_NAT_OA, 1), put(&bd, 0, 1), put(&bd, 0, 2);
	put(&bd, IKEV1_CFG_REQUEST, 1), put(&bd, 0, 1), put(&bd, 0x4242, 2);
	put(&bd, 1, 2), put(&bd, 0, 2), put(&bd, 16521, 2), put(&bd, 0, 2);
	put_len(&bd, at);

	at = bd.n; /* NAT-OA: 192.0.2.7 */
	put(&bd, IKEV1_P_FRAG, 1), put(&bd, 0, 1), put(&bd, 0, 2);
	put(&bd, IKEV1_ID_IPV4_ADDR, 1), put(&bd, 0, 3), put(&bd, 0xc0000207, 4);
	put_len(&bd, at);

	at = bd.n; /* FRAG: id 7, number 2, last */
	put(&bd, 0, 1), put(&bd, 0, 1), put(&bd, 0, 2);
	put(&bd, 7, 2), put(&bd, 2, 1), put(&bd, 1, 1), put(&bd, 0xdeadbeef, 4);
	put_len(&bd, at);

	bd.b[24] = (uint8_t)(bd.n >> 24), bd.b[25] = (uint8_t)(bd.n >> 16);
	bd.b[26] = (uint8_t)(bd.n >> 8), bd.b[27] = (uint8_t)bd.n;
	parse(bd.b, bd.n, bd.n, &m);
	CHECK(m.malformed == NULL && !m.truncated && m.npayloads == 9);
	CHECK(m.nprops == 1 && m.nxf == 1);
	const struct ike_proposal *pr = &m.props[0];
	CHECK(pr->proto == IKEV1_PROTO_ESP && pr->spi_size == 4 && pr->count == 1);
	CHECK(pr->spi[0] == 0xc0 && pr->spi[3] == 0x01);
	const struct ike_transform *x = &m.xf[0];
	CHECK(x->id == IKEV1_ESP_AES && x->keylen == 256 && x->v1_group == 14);
	CHECK(x->v1_encap == IKEV1_ENCAP_UDP_TUNNEL_DRAFT);
	CHECK(x->v1_auth_alg == IKEV1_AALG_HMAC_SHA2_256);
	CHECK(x->life_secs == 3600 && x->life_kb == 0); /* 8-byte duration skipped */
	CHECK(x->nattrs == 8);
	CHECK(is(ikev1_transform_name(IKEV1_PROTO_ESP, x->id), "ESP_AES"));
	CHECK(is(ikev1_encap_name(x->v1_encap), "UDP-Encapsulated-Tunnel (draft)"));
	CHECK(is(ikev1_attr_value_name(IKEV1_PROTO_ESP, IKEV1_A2_AUTH_ALG, 5), "HMAC-SHA2-256"));
	CHECK(is(ikev1_auth_method_name(65001), "XAUTHInitPreShared"));

	const struct ike_id *id = &m.pl[3].u.id;
	CHECK(id->type == IKEV1_ID_IPV4_ADDR_SUBNET && id->proto == 6 && id->port == 443);
	CHECK(bytes_are(id->data, "0a010000ffff0000"));

	CHECK(m.nnotify == 1 && m.pl[4].u.notify == 0);
	CHECK(m.notifies[0].type == IKEV1_N_DPD_R_U_THERE && m.notifies[0].dpd_seq == 0x12345678);
	CHECK(m.notifies[0].spi.len == 16);

	const struct ike_delete *d = &m.pl[5].u.del;
	CHECK(d->proto == IKEV1_PROTO_ESP && d->count == 2 && d->nspis == 2);
	CHECK(d->spis[1][0] == 0xc0 && d->spis[1][3] == 0x02);

	const struct ike_cp *cp = &m.pl[6].u.cp;
	CHECK(cp->type == IKEV1_CFG_REQUEST && cp->id == 0x4242 && cp->nattrs == 2);
	CHECK(cp->attrs[0] == 1 && cp->attrs[1] == 16521);

	CHECK(m.pl[7].u.nat_oa.id_type == IKEV1_ID_IPV4_ADDR);
	CHECK(bytes_are(m.pl[7].u.nat_oa.addr, "c0000207"));
	CHECK(m.pl[8].type == IKEV1_P_FRAG && m.pl[8].u.frag.id == 7);
	CHECK(m.pl[8].u.frag.n == 2 && m.pl[8].u.frag.last && m.pl[8].u.frag.data.len == 4);

	/* A DPD sequence of 3 bytes, a delete count that lies, an impossible NAT-OA. */
	static struct builder bad;
	size_t noff = payload_off(&m, 4), doff = payload_off(&m, 5);
	size_t aoff = payload_off(&m, 6), ooff = payload_off(&m, 7);
	bad = bd;
	bad.b[noff + 3] -= 1; /* N length one less: its data 3 bytes, then the chain breaks */
	parse(bad.b, bad.n, bad.n, &m);
	CHECK(is(m.pl[4].malformed, "DPD sequence number is not 4 bytes"));
	bad = bd;
	bad.b[doff + 11] = 3; /* 3 SPIs of 4 bytes in 8 */
	parse(bad.b, bad.n, bad.n, &m);
	CHECK(m.pl[5].u.del.count == 3);
	CHECK(is(m.pl[5].malformed, "delete SPI count times SPI size overruns the payload"));
	bad = bd;
	bad.b[ooff + 4] = IKEV1_ID_IPV6_ADDR;
	parse(bad.b, bad.n, bad.n, &m);
	CHECK(is(m.pl[7].malformed, "NAT-OA address length does not match its ID type"));
	bad = bd;
	bad.b[aoff + 14] = 0x40; /* XAUTH_USER_NAME length 0x4000 */
	parse(bad.b, bad.n, bad.n, &m);
	CHECK(is(m.pl[6].malformed, "attribute length overruns the ATTR payload"));

	for (size_t cut = 0; cut < bd.n; cut++) {
		parse(bd.b, cut, bd.n, &m);
		CHECK(m.malformed == NULL);
	}
}

/* Vendor-ID matching: exact, prefix with suffix, never beyond len. */
static void
test_vendor_ids(void)
{
	static const uint8_t ms[] = {0x1e, 0x2b, 0x51, 0x69, 0x05, 0x99, 0x1c, 0x7d, 0x7c, 0x96,
				     0xfc, 0xbf, 0xb5, 0x87, 0xe4, 0x61, 0x00, 0x00, 0x00, 0x07};
	CHECK(is(ike_vendor_name(ms, sizeof(ms)), "MS NT5 ISAKMPOAKLEY (Windows 7)"));
	CHECK(is(ike_vendor_name(ms, 16), "MS NT5 ISAKMPOAKLEY (Windows)"));
	CHECK(ike_vendor_name(ms, 15) == NULL);
	CHECK(ike_vendor_name(ms, 0) == NULL);
	static const uint8_t frag[] = {0x40, 0x48, 0xb7, 0xd5, 0x6e, 0xbc, 0xe8, 0x85, 0x25, 0xe7,
				       0xde, 0x7f, 0x00, 0xd6, 0xc2, 0xd3, 0x80, 0x00, 0x00, 0x00};
	CHECK(is(ike_vendor_name(frag, sizeof(frag)), "IKE Fragmentation (Cisco)"));
	CHECK(is(ike_vendor_name(frag, 16), "IKE Fragmentation"));
	static const uint8_t ss[] = {0x88, 0x2f, 0xe5, 0x6d, 0x6f, 0xd2, 0x0d, 0xbc, 0x22,
				     0x51, 0x61, 0x3b, 0x2e, 0xbe, 0x5b, 0xeb, 0x05, 0x00};
	CHECK(is(ike_vendor_name(ss, sizeof(ss)), "strongSwan"));
	CHECK(is(ike_vendor_name((const uint8_t *)"OE-Libreswan-4.12", 17), "Libreswan"));
	static const uint8_t forti[] = {0x1d, 0x6e, 0x17, 0x8f, 0x6c, 0x2c, 0x0b, 0xe2,
					0x84, 0x98, 0x54, 0x65, 0x45, 0x0f, 0xe9, 0xd4};
	CHECK(is(ike_vendor_name(forti, sizeof(forti)), "Fortinet FortiGate"));
	/* A heap copy of exactly len bytes: ASan catches any read beyond it. */
	uint8_t *h = malloc(3);
	if (h) {
		memcpy(h, "OEN", 3);
		CHECK(is(ike_vendor_name(h, 3), "Libreswan 3.0-3.5"));
		CHECK(is(ike_vendor_name(h, 2), "Openswan / FreeS/WAN"));
		free(h);
	}
}

int
main(void)
{
	shared = getenv("SHARED");
	char probe[1024];
	snprintf(probe, sizeof(probe), "%s/conformance/tcpdump/tests/isakmp4500.pcap",
		 shared ? shared : "");
	FILE *f = shared ? fopen(probe, "rb") : NULL;
	if (f == NULL) {
		fprintf(stderr, "SHARED not set or conformance captures missing: skipped\n");
		return 77;
	}
	fclose(f);
	devnull = fopen("/dev/null", "w");
	if (devnull == NULL)
		return 1;
	test_main_mode();
	test_sa_setup();
	test_aggressive_id();
	test_certs();
	test_lying_sa();
	test_quick_mode_built();
	test_vendor_ids();
	fclose(devnull);
	if (check_failures)
		fprintf(stderr, "%d checks failed\n", check_failures);
	return check_failures ? 1 : 0;
}
