/*
 * The mapped file reader (capture/mfile.c) against libpcap: every bundled
 * sample and conformance capture, and files written here for the cases the
 * captures do not hold (nanosecond and byte-swapped pcap, pcapng resolutions,
 * several interfaces, blocks to skip, Simple Packet Blocks, a second section,
 * records cut short or longer than the snapshot length), read once in place
 * and once by libpcap alone, with and without a filter.  The frames (time
 * stamp, lengths, bytes), the end (clean, truncated, error) and the error text
 * must be the same.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/cap_int.h"
#include "check.h"

struct rec {
	uint64_t num, ts;
	uint32_t caplen, wirelen;
	uint64_t hash;
};

struct run {
	struct rec *r;
	size_t n, cap;
	int rc;
	char err[512];
	bool mapped; /* the reader was in use at the start */
};

static unsigned files_compared, files_mapped;

static void
on_pkt(void *ctx, const struct pkt *p)
{
	struct run *u = ctx;
	if (u->n == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 256;
		u->r = realloc(u->r, u->cap * sizeof(*u->r));
		if (u->r == NULL)
			abort();
	}
	uint64_t h = 0xcbf29ce484222325ULL;
	for (uint32_t i = 0; i < p->fr->caplen; i++)
		h = (h ^ p->fr->data[i]) * 0x100000001b3ULL;
	u->r[u->n++] = (struct rec){p->fr->num, p->fr->ts_usec, p->fr->caplen, p->fr->wirelen, h};
}

static void
on_drop(void *ctx, const struct reasm_datagram *d)
{
	(void)ctx;
	(void)d;
}

static bool
read_file(const char *path, const char *filter, bool mapped, struct run *u)
{
	memset(u, 0, sizeof(*u));
	int code;
	struct cap *c = cap_open_file(path, filter, u->err, sizeof(u->err), &code);
	if (c == NULL)
		return false;
	if (!mapped)
		cap_set_mapped(c, false);
	u->mapped = c->mf != NULL;
	u->rc = cap_run(c, 0, false, on_pkt, on_drop, u, u->err, sizeof(u->err));
	cap_close(c);
	return true;
}

/* Both readers over one file: the same frames, the same end, the same words. */
static void
compare(const char *path, const char *filter)
{
	struct run a, b;
	bool oka = read_file(path, filter, true, &a);
	bool okb = read_file(path, filter, false, &b);
	CHECK(oka == okb);
	if (oka && okb) {
		files_compared++;
		files_mapped += a.mapped;
		CHECK(a.n == b.n);
		CHECK(a.rc == b.rc);
		if (a.rc)
			CHECK(strcmp(a.err, b.err) == 0);
		for (size_t i = 0; i < a.n && i < b.n; i++) {
			if (memcmp(&a.r[i], &b.r[i], sizeof(a.r[i])) != 0) {
				fprintf(
				    stderr, "%s: frame %zu differs (ts %llu/%llu caplen %u/%u)\n",
				    path, i + 1, (unsigned long long)a.r[i].ts,
				    (unsigned long long)b.r[i].ts, a.r[i].caplen, b.r[i].caplen);
				CHECK(0);
				break;
			}
		}
		if (a.n != b.n || a.rc != b.rc)
			fprintf(stderr,
				"%s (%s): mapped %zu frames rc %d '%s'; libpcap %zu rc %d '%s'\n",
				path, filter ? filter : "", a.n, a.rc, a.err, b.n, b.rc, b.err);
	}
	free(a.r);
	free(b.r);
}

static int
check_file(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (type != FTW_F)
		return 0;
	size_t n = strlen(path);
	if ((n > 5 && strcmp(path + n - 5, ".pcap") == 0) ||
	    (n > 7 && strcmp(path + n - 7, ".pcapng") == 0) ||
	    (n > 4 && strcmp(path + n - 4, ".cap") == 0)) {
		compare(path, NULL);
		compare(path, "udp port 500 or esp");
	}
	return 0;
}

/* ---- files written here ---- */

static FILE *
wopen(const char *path)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		abort();
	return f;
}

static void
w32(FILE *f, uint32_t v, bool swap)
{
	if (swap)
		v = __builtin_bswap32(v);
	fwrite(&v, 4, 1, f);
}

static void
w16(FILE *f, uint16_t v, bool swap)
{
	if (swap)
		v = __builtin_bswap16(v);
	fwrite(&v, 2, 1, f);
}

/* An Ethernet frame with IPv4/UDP to port 500 (or 9 when other), n bytes in all. */
static void
frame(uint8_t *b, size_t n, int k, bool other)
{
	memset(b, 0, n);
	b[12] = 0x08;
	b[14] = 0x45;
	b[16] = (uint8_t)((n - 14) >> 8);
	b[17] = (uint8_t)(n - 14);
	b[22] = 64;
	b[23] = 17;
	b[26] = 192, b[27] = 0, b[28] = 2, b[29] = (uint8_t)k;
	b[30] = 198, b[31] = 51, b[32] = 100, b[33] = 1;
	b[34] = 0x01, b[35] = 0xf4;
	b[36] = 0x01, b[37] = other ? 9 : 0xf4;
	b[38] = (uint8_t)((n - 34) >> 8);
	b[39] = (uint8_t)(n - 34);
	for (size_t i = 42; i < n; i++)
		b[i] = (uint8_t)(i * 7 + (size_t)k);
}

/* Classic pcap: nsec and byte order chosen; cut: the last record's data is cut short. */
static void
write_pcap(const char *path, bool nsec, bool swap, uint32_t snaplen, int long_at, bool cut,
	   bool wild)
{
	FILE *f = wopen(path);
	w32(f, nsec ? 0xa1b23c4d : 0xa1b2c3d4, swap);
	w16(f, 2, swap);
	w16(f, 4, swap);
	w32(f, 0, swap);
	w32(f, 0, swap);
	w32(f, snaplen, swap);
	w32(f, 1, swap);
	uint8_t b[400];
	for (int k = 0; k < 12; k++) {
		size_t n = 60 + (size_t)k * 20;
		frame(b, n, k, k % 3 == 2);
		uint32_t caplen = (uint32_t)n;
		if (k == long_at)
			caplen = snaplen + 16; /* longer than the snapshot length */
		/* wild: stamps out of range (negative as libpcap's signed fields, frac >= 1 s) */
		w32(f, wild && k % 2 ? 0xfffffff0u + (uint32_t)k : 1700000000u + (uint32_t)k, swap);
		w32(f,
		    wild ? 0xfff460fbu - (uint32_t)k
			 : (nsec ? 123456789u + (uint32_t)k : 654321u + (uint32_t)k),
		    swap);
		w32(f, caplen, swap);
		w32(f, (uint32_t)n, swap);
		size_t put = caplen <= n ? caplen : n;
		fwrite(b, 1, put, f);
		for (size_t i = put; i < caplen; i++)
			fputc(0, f);
		if (cut && k == 11)
			break;
	}
	fclose(f);
	if (cut) {
		/* Cut the last record in its data. */
		FILE *g = fopen(path, "rb");
		fseek(g, 0, SEEK_END);
		long sz = ftell(g);
		fclose(g);
		CHECK(truncate(path, sz - 7) == 0);
	}
}

static void
ng_block(FILE *f, uint32_t type, const uint8_t *body, size_t len, bool swap)
{
	size_t pad = (4 - len % 4) % 4;
	uint32_t total = (uint32_t)(12 + len + pad);
	w32(f, type, swap);
	w32(f, total, swap);
	fwrite(body, 1, len, f);
	for (size_t i = 0; i < pad; i++)
		fputc(0, f);
	w32(f, total, swap);
}

static size_t
put16(uint8_t *p, uint16_t v, bool swap)
{
	if (swap)
		v = __builtin_bswap16(v);
	memcpy(p, &v, 2);
	return 2;
}

static size_t
put32(uint8_t *p, uint32_t v, bool swap)
{
	if (swap)
		v = __builtin_bswap32(v);
	memcpy(p, &v, 4);
	return 4;
}

static void
ng_shb(FILE *f, bool swap)
{
	uint8_t b[16];
	size_t o = 0;
	o += put32(b + o, 0x1a2b3c4d, swap);
	o += put16(b + o, 1, swap);
	o += put16(b + o, 0, swap);
	memset(b + o, 0xff, 8); /* section length unknown */
	ng_block(f, 0x0a0d0d0a, b, 16, swap);
}

/* An IDB: Ethernet, snaplen; tsresol < 0: no option. */
static void
ng_idb(FILE *f, uint32_t snaplen, int tsresol, bool swap)
{
	uint8_t b[32];
	size_t o = 0;
	o += put16(b + o, 1, swap);
	o += put16(b + o, 0, swap);
	o += put32(b + o, snaplen, swap);
	if (tsresol >= 0) {
		o += put16(b + o, 9, swap);
		o += put16(b + o, 1, swap);
		b[o++] = (uint8_t)tsresol;
		b[o++] = 0, b[o++] = 0, b[o++] = 0;
		o += put16(b + o, 0, swap);
		o += put16(b + o, 0, swap);
	}
	ng_block(f, 1, b, o, swap);
}

static void
ng_epb(FILE *f, uint32_t iface, uint64_t t, const uint8_t *data, uint32_t caplen, uint32_t len,
       bool swap)
{
	uint8_t b[512];
	size_t o = 0;
	o += put32(b + o, iface, swap);
	o += put32(b + o, (uint32_t)(t >> 32), swap);
	o += put32(b + o, (uint32_t)t, swap);
	o += put32(b + o, caplen, swap);
	o += put32(b + o, len, swap);
	memcpy(b + o, data, caplen);
	o += caplen;
	ng_block(f, 6, b, o, swap);
}

enum ng_twist { NG_PLAIN, NG_SPB, NG_SECTION, NG_CUT, NG_BAD_IFACE };

static void
write_pcapng(const char *path, bool swap, enum ng_twist twist)
{
	FILE *f = wopen(path);
	ng_shb(f, swap);
	ng_idb(f, 65535, -1, swap); /* microseconds */
	ng_idb(f, 65535, 9, swap);  /* nanoseconds */
	ng_idb(f, 65535, 3, swap);  /* milliseconds */
	uint8_t b[400];
	uint8_t custom[12] = {0x11, 0x22};
	for (int k = 0; k < 12; k++) {
		size_t n = 60 + (size_t)k * 20;
		frame(b, n, k, k % 3 == 2);
		uint32_t iface = (uint32_t)k % 3;
		uint64_t t = iface == 0	  ? 1700000000000000ULL + (uint64_t)k * 1111
			     : iface == 1 ? 1700000000123456789ULL + (uint64_t)k * 7
					  : 1700000000123ULL + (uint64_t)k;
		if (twist == NG_BAD_IFACE && k == 7)
			iface = 5;
		ng_epb(f, iface, t, b, (uint32_t)n, (uint32_t)n + 4, swap);
		if (k == 3)
			ng_block(f, 0x40000bad, custom, sizeof(custom), swap); /* skipped */
		if (k == 5 && twist == NG_SPB) {
			uint8_t s[300];
			size_t o = put32(s, 100, swap);
			frame(s + o, 100, 99, false);
			ng_block(f, 3, s, o + 100, swap);
		}
		if (k == 8 && twist == NG_SECTION) {
			ng_shb(f, swap);
			ng_idb(f, 65535, 6, swap);
		}
	}
	fclose(f);
	if (twist == NG_CUT) {
		FILE *g = fopen(path, "rb");
		fseek(g, 0, SEEK_END);
		long sz = ftell(g);
		fclose(g);
		CHECK(truncate(path, sz - 10) == 0);
	}
}

static void
synthetic(void)
{
	char dir[] = "/tmp/ikescope-mfile.XXXXXX";
	if (mkdtemp(dir) == NULL)
		abort();
	char p[256];
	static const struct {
		const char *name;
		bool nsec, swap, cut;
		int long_at;
		bool wild;
	} pc[] = {
	    {"usec.pcap", false, false, false, -1, false},
	    {"nsec.pcap", true, false, false, -1, false},
	    {"swap.pcap", false, true, false, -1, false},
	    {"swap-nsec.pcap", true, true, false, -1, false},
	    {"cut.pcap", false, false, true, -1, false},
	    {"long.pcap", false, false, false, 6, false},
	    {"wild.pcap", false, false, false, -1, true},
	    {"wild-swap.pcap", false, true, false, -1, true},
	    {"wild-nsec.pcap", true, false, false, -1, true},
	    {"wild-swap-nsec.pcap", true, true, false, -1, true},
	};
	for (size_t i = 0; i < sizeof(pc) / sizeof(pc[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, pc[i].name);
		write_pcap(p, pc[i].nsec, pc[i].swap, 200, pc[i].long_at, pc[i].cut, pc[i].wild);
		compare(p, NULL);
		compare(p, "udp port 500");
		unlink(p);
	}
	static const struct {
		const char *name;
		bool swap;
		enum ng_twist twist;
	} ng[] = {
	    {"plain.pcapng", false, NG_PLAIN}, {"swap.pcapng", true, NG_PLAIN},
	    {"spb.pcapng", false, NG_SPB},     {"section.pcapng", false, NG_SECTION},
	    {"cut.pcapng", false, NG_CUT},     {"badif.pcapng", false, NG_BAD_IFACE},
	    {"swap-cut.pcapng", true, NG_CUT},
	};
	for (size_t i = 0; i < sizeof(ng) / sizeof(ng[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, ng[i].name);
		write_pcapng(p, ng[i].swap, ng[i].twist);
		compare(p, NULL);
		compare(p, "udp port 500");
		unlink(p);
	}
	rmdir(dir);
}

int
main(void)
{
	const char *src = getenv("SRCDIR");
	const char *shared = getenv("SHARED");
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/samples", src ? src : ".");
	CHECK(nftw(dir, check_file, 16, FTW_PHYS) == 0);
	if (shared) {
		snprintf(dir, sizeof(dir), "%s/conformance", shared);
		nftw(dir, check_file, 16, FTW_PHYS); /* absent: the samples suffice */
	}
	unsigned from_captures = files_compared, mapped_captures = files_mapped;
	synthetic();
	printf("%u captures compared, %u of them read in place; %u written here\n", from_captures,
	       mapped_captures, files_compared - from_captures);
	/* 30 samples (strongSwan and libreswan write plain pcap), with and without a filter */
	CHECK(from_captures >= 60 && mapped_captures >= 60);
	CHECK(files_compared - from_captures == 34);
	return check_failures ? 1 : 0;
}
