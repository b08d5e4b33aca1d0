/*
 * The probe's requests (probe/build.c), dissected by ikescope's own parser:
 * every payload where it belongs, nothing malformed, KE values of the group's
 * length, NAT detection hashes that verify, the cookie first.  With an
 * argument, the messages are also written as UDP datagrams into that pcap
 * file for tshark to judge (tests/probe/build_tshark.py).
 */
#include <stdio.h>
#include <string.h>

#include "crypto/dh.h"
#include "crypto/natd.h"
#include "dissect/ike.h"
#include "dissect/ikev1_names.h"
#include "dissect/ikev2_names.h"
#include "probe/build.h"
#include "tests/unit/check.h"

static struct ike_msg msg;

static void
parse(const uint8_t *b, int len)
{
	memset(&msg, 0, sizeof(msg));
	struct rd r = rd_init(b, (size_t)len, (size_t)len);
	ike_parse(&r, &msg);
	CHECK(msg.malformed == NULL);
	CHECK(!msg.truncated);
	CHECK(msg.length == (uint32_t)len);
	if (msg.malformed)
		fprintf(stderr, "malformed: %s\n", msg.malformed);
}

/* pcap with raw IPv4 link type (DLT_RAW = 101 as LINKTYPE_RAW) */
static void
pcap_put(FILE *f, const struct probe_req *q, const uint8_t *b, int len)
{
	uint8_t pkt[20 + 8 + PROBE_MAX_MSG + 4];
	size_t off = 0, ulen;
	bool marker = q->dport == 4500;
	ulen = 8 + (marker ? 4 : 0) + (size_t)len;
	size_t tot = 20 + ulen;
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x45;
	pkt[2] = (uint8_t)(tot >> 8);
	pkt[3] = (uint8_t)tot;
	pkt[8] = 64;
	pkt[9] = 17;
	memcpy(pkt + 12, q->src.a, 4);
	memcpy(pkt + 16, q->dst.a, 4);
	uint32_t sum = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(pkt[i] << 8 | pkt[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	pkt[10] = (uint8_t)(~sum >> 8);
	pkt[11] = (uint8_t)~sum;
	off = 20;
	pkt[off] = (uint8_t)(q->sport >> 8);
	pkt[off + 1] = (uint8_t)q->sport;
	pkt[off + 2] = (uint8_t)(q->dport >> 8);
	pkt[off + 3] = (uint8_t)q->dport;
	pkt[off + 4] = (uint8_t)(ulen >> 8);
	pkt[off + 5] = (uint8_t)ulen;
	off += 8 + (marker ? 4 : 0);
	memcpy(pkt + off, b, (size_t)len);
	uint32_t rec[4] = {1700000000u, 0, (uint32_t)tot, (uint32_t)tot};
	fwrite(rec, sizeof(rec), 1, f);
	fwrite(pkt, 1, tot, f);
}

static bool
has_notify(uint16_t t)
{
	for (unsigned i = 0; i < msg.nnotify; i++)
		if (msg.notify[i] == t)
			return true;
	return false;
}

int
main(int argc, char **argv)
{
	FILE *f = NULL;
	if (argc > 1) {
		f = fopen(argv[1], "wb");
		if (f == NULL) {
			perror(argv[1]);
			return 1;
		}
		uint32_t gh[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 65535, 101};
		memcpy(&gh[1], (uint16_t[2]){2, 4}, 4);
		fwrite(gh, sizeof(gh), 1, f);
	}
	struct probe_offer of = {.n = 2};
	struct probe_prop *p = &of.p[0];
	p->encr[0] = IKEV2_ENCR_AES_CBC, p->keylen[0] = 256, p->nencr = 1;
	p->encr[1] = IKEV2_ENCR_3DES, p->keylen[1] = 0, p->nencr = 2;
	p->integ[0] = IKEV2_INTEG_HMAC_SHA2_256_128, p->integ[1] = IKEV2_INTEG_HMAC_SHA1_96;
	p->ninteg = 2;
	p->prf[0] = IKEV2_PRF_HMAC_SHA2_256, p->nprf = 1;
	p->dh[0] = IKEV2_DH_MODP_2048, p->dh[1] = IKEV2_DH_ECP_256, p->dh[2] = IKEV2_DH_MODP_1024;
	p->ndh = 3;
	p = &of.p[1];
	p->encr[0] = IKEV2_ENCR_AES_GCM_16, p->keylen[0] = 128, p->nencr = 1;
	p->prf[0] = IKEV2_PRF_HMAC_SHA2_384, p->nprf = 1;
	p->dh[0] = IKEV2_DH_CURVE25519, p->ndh = 1;

	static const uint16_t groups[] = {2, 14, 15, 16, 19, 20, 31};
	static const size_t lens[] = {128, 256, 384, 512, 64, 96, 32};
	uint8_t ke[DH_MAX_PUB], out[PROBE_MAX_MSG];
	for (size_t g = 0; g < ARRAY_LEN(groups); g++) {
		int n = dh_make_public(groups[g], ke, sizeof(ke));
		CHECK(n == (int)lens[g]);
		CHECK(ikev2_dh_ke_len(groups[g]) == 0 || ikev2_dh_ke_len(groups[g]) == lens[g]);
	}
	CHECK(dh_make_public(1, ke, sizeof(ke)) < 0);

	struct probe_req q = {.version = 2, .offer = &of, .sport = 40000, .dport = 500};
	q.src.family = q.dst.family = 4;
	memcpy(q.src.a, "\xc0\x00\x02\x01", 4);
	memcpy(q.dst.a, "\xc6\x33\x64\x01", 4);
	memcpy(q.spi_i, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	memset(q.nonce, 0x5a, sizeof(q.nonce));
	for (int variant = 0; variant < 3; variant++) {
		q.ke_group = variant == 2 ? IKEV2_DH_ECP_256 : IKEV2_DH_MODP_2048;
		int kl = dh_make_public(q.ke_group, ke, sizeof(ke));
		q.ke = ke;
		q.ke_len = (size_t)kl;
		q.cookie = variant == 1 ? (const uint8_t *)"\x00\x01cookie-bytes-16" : NULL;
		q.cookie_len = variant == 1 ? 16 : 0;
		q.dport = variant == 2 ? 4500 : 500;
		int len = probe_build(&q, out, sizeof(out));
		CHECK(len > 0);
		if (len <= 0)
			continue;
		parse(out, len);
		CHECK(msg.version == 2 && msg.exchange == 34 && msg.flags == IKEV2_FLAG_INITIATOR);
		unsigned first = variant == 1 ? 1 : 0;
		CHECK(msg.npayloads == first + 7);
		if (variant == 1)
			CHECK(msg.pl[0].type == IKEV2_P_N && msg.notify[0] == IKEV2_N_COOKIE);
		CHECK(msg.pl[first].type == IKEV2_P_SA && msg.pl[first + 1].type == IKEV2_P_KE &&
		      msg.pl[first + 2].type == IKEV2_P_NONCE);
		CHECK(msg.nprops == 2 && msg.props[0].count == 8 && msg.props[1].count == 3);
		CHECK(msg.pl[first + 1].u.ke.group == q.ke_group &&
		      msg.pl[first + 1].u.ke.data.len == (size_t)kl);
		CHECK(msg.xf[0].type == IKEV2_XF_ENCR && msg.xf[0].keylen == 256);
		CHECK(has_notify(IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED));
		CHECK(has_notify(IKEV2_N_SIGNATURE_HASH_ALGORITHMS));
		struct natd_result nd;
		natd_check(&msg, &q.src, q.sport, &q.dst, q.dport, &nd);
		CHECK(nd.source == NATD_MATCH && nd.destination == NATD_MATCH);
		if (f)
			pcap_put(f, &q, out, len);
	}
	/* IKEv1 main mode: 3 encr (GCM has no IKEv1 phase 1) x 2 hashes x 3 groups */
	q.version = 1;
	q.cookie = NULL;
	q.cookie_len = 0;
	q.dport = 500;
	int len = probe_build(&q, out, sizeof(out));
	CHECK(len > 0);
	if (len > 0) {
		parse(out, len);
		CHECK(msg.version == 1 && msg.exchange == 2 && msg.npayloads == 5);
		CHECK(msg.nprops == 1 && msg.props[0].count == 12);
		CHECK(msg.xf[0].v1_encr == IKEV1_ENCR_AES_CBC && msg.xf[0].keylen == 256 &&
		      msg.xf[0].v1_hash == IKEV1_HASH_SHA2_256 &&
		      msg.xf[0].v1_auth == IKEV1_AUTH_PSK && msg.xf[0].v1_group == 14 &&
		      msg.xf[0].life_secs == 28800);
		CHECK(strcmp(msg.pl[1].u.vid.name, "RFC 3947 NAT-T") == 0);
		if (f)
			pcap_put(f, &q, out, len);
	}
	/* IKEv1 aggressive mode: only the KE group's suites, with KE, Ni and IDii */
	q.aggressive = true;
	q.id = "ini.example.net";
	q.ke_group = IKEV2_DH_MODP_2048;
	q.ke_len = (size_t)dh_make_public(q.ke_group, ke, sizeof(ke));
	len = probe_build(&q, out, sizeof(out));
	CHECK(len > 0);
	if (len > 0) {
		parse(out, len);
		CHECK(msg.exchange == 4 && msg.npayloads == 8);
		CHECK(msg.props[0].count == 4);
		CHECK(msg.pl[1].type == IKEV1_P_KE && msg.pl[1].u.ke.data.len == 256);
		CHECK(msg.pl[3].type == IKEV1_P_ID && msg.pl[3].u.id.type == IKEV1_ID_FQDN &&
		      msg.pl[3].u.id.data.len == 15);
		if (f)
			pcap_put(f, &q, out, len);
	}
	q.id = NULL;
	CHECK(probe_build(&q, out, sizeof(out)) == -22);
	/* too small a buffer */
	q.aggressive = false;
	CHECK(probe_build(&q, out, 40) < 0);
	if (f)
		fclose(f);
	return check_failures ? 1 : 0;
}
