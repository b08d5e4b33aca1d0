/*
 * The default live filter (capture/live.c): it compiles for Ethernet, and over
 * every bundled sample and conformance capture it keeps every frame that the
 * decoder hands the analysis (kind != PK_NONE), untagged and inside one and two
 * 802.1Q tags.  Synthetic frames check the clauses the captures may not
 * exercise (non-first fragments, ICMP errors) and that unrelated traffic is
 * dropped.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "check.h"

static uint64_t kinds[PK_OTHER_IKE_PORT + 1];
static uint64_t tagged_checked, files_read, kept_unused;

static void
on_drop(void *ctx, const struct reasm_datagram *d)
{
	(void)ctx;
	(void)d;
}

/* The frame with `tags` 802.1Q tags inserted after the MAC addresses. */
static size_t
add_tags(const uint8_t *in, size_t n, int tags, uint8_t *out, size_t outlen)
{
	size_t add = 4u * (size_t)tags;
	if (n < 14 || n + add > outlen)
		return 0;
	memcpy(out, in, 12);
	for (int i = 0; i < tags; i++) {
		uint8_t *t = out + 12 + 4 * i;
		t[0] = 0x81;
		t[1] = 0x00;
		t[2] = 0x00;
		t[3] = (uint8_t)(10 + i); /* VLAN id 10, 11 */
	}
	memcpy(out + 12 + add, in + 12, n - 12);
	return n + add;
}

static int
check_file(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	size_t len = strlen(path);
	if (flag != FTW_F)
		return 0;
	if (!(len > 5 && strcmp(path + len - 5, ".pcap") == 0) &&
	    !(len > 7 && strcmp(path + len - 7, ".pcapng") == 0))
		return 0;
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(path, ebuf);
	if (pc == NULL)
		return 0; /* deliberately broken captures: the file tests cover them */
	struct bpf_program prog;
	int lt = pcap_datalink(pc);
	if (pcap_compile(pc, &prog, cap_default_filter_for(lt), 1, PCAP_NETMASK_UNKNOWN) != 0) {
		fprintf(stderr, "%s: filter does not compile: %s\n", path, pcap_geterr(pc));
		check_failures++;
		pcap_close(pc);
		return 0;
	}
	files_read++;
	struct decoder *dec = decoder_new(on_drop, NULL);
	struct cap_stats st = {0};
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t num = 0;
	static uint8_t tagged[262144 + 8];
	while (pcap_next_ex(pc, &h, &data) == 1 && num < 1000000) {
		struct frame fr = {.num = ++num,
				   .caplen = h->caplen,
				   .wirelen = h->len,
				   .linktype = lt,
				   .data = data};
		struct pkt p;
		decoder_frame(dec, &fr, &p, &st);
		bool pass = pcap_offline_filter(&prog, h, data) != 0;
		if (p.kind == PK_NONE) {
			kept_unused += pass;
			continue;
		}
		kinds[p.kind]++;
		if (!pass) {
			fprintf(stderr,
				"%s: frame %llu (kind %d) used by the analysis but filtered out\n",
				path, (unsigned long long)num, (int)p.kind);
			check_failures++;
		}
		if (lt != DLT_EN10MB)
			continue;
		for (int tags = 1; tags <= 2; tags++) {
			struct pcap_pkthdr th = *h;
			size_t n = add_tags(data, h->caplen, tags, tagged, sizeof(tagged));
			if (n == 0)
				continue;
			th.caplen = (bpf_u_int32)n;
			th.len = h->len + 4u * (unsigned)tags;
			tagged_checked++;
			if (pcap_offline_filter(&prog, &th, tagged) == 0) {
				fprintf(stderr,
					"%s: frame %llu inside %d VLAN tag(s) filtered out\n", path,
					(unsigned long long)num, tags);
				check_failures++;
			}
		}
	}
	decoder_finish(dec);
	decoder_free(dec);
	pcap_freecode(&prog);
	pcap_close(pc);
	return 0;
}

/* An Ethernet + IPv4 frame: proto, fragment offset (8-byte units), then l4 bytes. */
static size_t
eth_ip4(uint8_t *f, uint8_t proto, uint16_t frag_off, const uint8_t *l4, size_t l4len)
{
	memset(f, 0, 14 + 20);
	f[12] = 0x08;
	f[13] = 0x00;
	uint8_t *ip = f + 14;
	size_t tot = 20 + l4len;
	ip[0] = 0x45;
	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[6] = (uint8_t)(frag_off >> 8);
	ip[7] = (uint8_t)frag_off;
	ip[8] = 64;
	ip[9] = proto;
	ip[12] = 192, ip[13] = 0, ip[14] = 2, ip[15] = 1;
	ip[16] = 198, ip[17] = 51, ip[18] = 100, ip[19] = 1;
	memcpy(ip + 20, l4, l4len);
	return 14 + tot;
}

static size_t
eth_ip6(uint8_t *f, uint8_t nh, const uint8_t *l4, size_t l4len)
{
	memset(f, 0, 14 + 40);
	f[12] = 0x86;
	f[13] = 0xdd;
	uint8_t *ip = f + 14;
	ip[0] = 0x60;
	ip[4] = (uint8_t)(l4len >> 8);
	ip[5] = (uint8_t)l4len;
	ip[6] = nh;
	ip[7] = 64;
	ip[8] = 0x20, ip[9] = 0x01, ip[10] = 0x0d, ip[11] = 0xb8, ip[23] = 1;
	ip[24] = 0x20, ip[25] = 0x01, ip[26] = 0x0d, ip[27] = 0xb8, ip[39] = 2;
	memcpy(ip + 40, l4, l4len);
	return 14 + 40 + l4len;
}

static bool
passes(const struct bpf_program *prog, const uint8_t *f, size_t n)
{
	struct pcap_pkthdr h = {.caplen = (bpf_u_int32)n, .len = (bpf_u_int32)n};
	return pcap_offline_filter(prog, &h, f) != 0;
}

static void
test_synthetic(void)
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);
	struct bpf_program prog;
	CHECK(pcap_compile(dead, &prog, cap_default_filter(), 1, PCAP_NETMASK_UNKNOWN) == 0);
	uint8_t f[256], l4[64];
	memset(l4, 0, sizeof(l4));

	/* UDP sport/dport. */
	l4[0] = 0x01, l4[1] = 0xf4, l4[2] = 0x01, l4[3] = 0xf4; /* 500 -> 500 */
	CHECK(passes(&prog, f, eth_ip4(f, 17, 0, l4, 36)));
	CHECK(passes(&prog, f, eth_ip6(f, 17, l4, 36)));
	l4[0] = 0x11, l4[1] = 0x94, l4[2] = 0x11, l4[3] = 0x94; /* 4500 -> 4500 */
	CHECK(passes(&prog, f, eth_ip4(f, 17, 0, l4, 36)));
	CHECK(passes(&prog, f, eth_ip6(f, 17, l4, 36)));
	l4[0] = 0x00, l4[1] = 0x35, l4[2] = 0x00, l4[3] = 0x35; /* DNS */
	CHECK(!passes(&prog, f, eth_ip4(f, 17, 0, l4, 36)));
	CHECK(!passes(&prog, f, eth_ip6(f, 17, l4, 36)));
	/* A non-first fragment of any UDP datagram: no port to look at. */
	CHECK(passes(&prog, f, eth_ip4(f, 17, 185, l4, 36)));
	CHECK(passes(&prog, f, eth_ip4(f, 17, 0x2000 | 185, l4, 36)));
	/* The first fragment of a DNS datagram is not ours. */
	CHECK(!passes(&prog, f, eth_ip4(f, 17, 0x2000, l4, 36)));
	/* IPv6 Fragment header. */
	CHECK(passes(&prog, f, eth_ip6(f, 44, l4, 36)));
	/* ESP. */
	CHECK(passes(&prog, f, eth_ip4(f, 50, 0, l4, 36)));
	CHECK(passes(&prog, f, eth_ip6(f, 50, l4, 36)));
	/* TCP 443. */
	l4[0] = 0x01, l4[1] = 0xbb, l4[2] = 0x01, l4[3] = 0xbb;
	CHECK(!passes(&prog, f, eth_ip4(f, 6, 0, l4, 40)));
	CHECK(!passes(&prog, f, eth_ip6(f, 6, l4, 40)));
	/* ICMP: the errors kept, echo not. */
	static const uint8_t icmp_keep[] = {3, 11, 12};
	for (size_t i = 0; i < ARRAY_LEN(icmp_keep); i++) {
		l4[0] = icmp_keep[i];
		CHECK(passes(&prog, f, eth_ip4(f, 1, 0, l4, 36)));
	}
	l4[0] = 8;
	CHECK(!passes(&prog, f, eth_ip4(f, 1, 0, l4, 36)));
	l4[0] = 0;
	CHECK(!passes(&prog, f, eth_ip4(f, 1, 0, l4, 36)));
	for (uint8_t t = 1; t <= 4; t++) {
		l4[0] = t;
		CHECK(passes(&prog, f, eth_ip6(f, 58, l4, 36)));
	}
	static const uint8_t icmp6_drop[] = {128, 129, 135, 136};
	for (size_t i = 0; i < ARRAY_LEN(icmp6_drop); i++) {
		l4[0] = icmp6_drop[i];
		CHECK(!passes(&prog, f, eth_ip6(f, 58, l4, 36)));
	}
	/* Inside a VLAN tag, the same verdicts. */
	uint8_t t[300];
	l4[0] = 0x11, l4[1] = 0x94, l4[2] = 0x11, l4[3] = 0x94;
	size_t n = eth_ip4(f, 17, 0, l4, 36);
	CHECK(passes(&prog, t, add_tags(f, n, 1, t, sizeof(t))));
	CHECK(passes(&prog, t, add_tags(f, n, 2, t, sizeof(t))));
	n = eth_ip4(f, 17, 185, l4, 36);
	CHECK(passes(&prog, t, add_tags(f, n, 1, t, sizeof(t))));
	l4[0] = 0x01, l4[1] = 0xbb, l4[2] = 0x01, l4[3] = 0xbb;
	n = eth_ip4(f, 6, 0, l4, 40);
	CHECK(!passes(&prog, t, add_tags(f, n, 1, t, sizeof(t))));
	CHECK(!passes(&prog, t, add_tags(f, n, 2, t, sizeof(t))));
	pcap_freecode(&prog);

	/* With a user's expression in front, as cap_open_live builds it. */
	char expr[4096];
	snprintf(expr, sizeof(expr), "(%s) and (%s)", "host 192.0.2.1", cap_default_filter());
	CHECK(pcap_compile(dead, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) == 0);
	l4[0] = 0x11, l4[1] = 0x94, l4[2] = 0x11, l4[3] = 0x94;
	CHECK(passes(&prog, f, eth_ip4(f, 17, 0, l4, 36)));
	l4[0] = 0x01, l4[1] = 0xbb, l4[2] = 0x01, l4[3] = 0xbb;
	CHECK(!passes(&prog, f, eth_ip4(f, 6, 0, l4, 40)));
	pcap_freecode(&prog);
	pcap_close(dead);
}

int
main(void)
{
	const char *src = getenv("SRCDIR");
	const char *shared = getenv("SHARED");
	char dir[4096];
	test_synthetic();
	if (src == NULL) {
		fprintf(stderr, "SRCDIR not set\n");
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s/samples", src);
	CHECK(nftw(dir, check_file, 16, FTW_PHYS) == 0);
	if (shared) {
		snprintf(dir, sizeof(dir), "%s/conformance", shared);
		nftw(dir, check_file, 16, FTW_PHYS); /* absent: the samples suffice */
	}
	/* The captures must have exercised the filter at all. */
	CHECK(files_read >= 20);
	CHECK(kinds[PK_IKE] > 100);
	CHECK(kinds[PK_ESP] + kinds[PK_ESP_UDP] > 100);
	CHECK(tagged_checked > 100);
	printf("%llu files; kept: ike %llu esp %llu esp-udp %llu keepalive %llu fragment %llu "
	       "icmp %llu other-ike-port %llu; %llu tagged copies; %llu unused frames kept\n",
	       (unsigned long long)files_read, (unsigned long long)kinds[PK_IKE],
	       (unsigned long long)kinds[PK_ESP], (unsigned long long)kinds[PK_ESP_UDP],
	       (unsigned long long)kinds[PK_NAT_KEEPALIVE],
	       (unsigned long long)kinds[PK_IP_FRAGMENT], (unsigned long long)kinds[PK_ICMP],
	       (unsigned long long)kinds[PK_OTHER_IKE_PORT], (unsigned long long)tagged_checked,
	       (unsigned long long)kept_unused);
	return check_failures ? 1 : 0;
}
