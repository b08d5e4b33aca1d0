/*
 * A whole capture file (pcap or pcapng) through libpcap and cap_run, as
 * `ikescope -r` reads it, with the samples' key table: the record headers,
 * every link type ikescope reads, and all that follows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/cap_int.h"
#include "cli/pipeline.h"
#include "tests/fuzz/fuzz.h"

/* What one reader gave: a running hash of every frame, the count and the end. */
struct fz_sum {
	uint64_t hash, n;
	int rc;
	char err[256];
};

static void
fz_sum_pkt(void *ctx, const struct pkt *p)
{
	struct fz_sum *s = ctx;
	uint64_t h = s->hash ^ p->fr->ts_usec;
	h = (h ^ ((uint64_t)p->fr->caplen << 32 | p->fr->wirelen)) * 0x100000001b3ULL;
	for (uint32_t i = 0; i < p->fr->caplen; i++)
		h = (h ^ p->fr->data[i]) * 0x100000001b3ULL;
	s->hash = h;
	s->n++;
}

static void
fz_sum_drop(void *ctx, const struct reasm_datagram *d)
{
	(void)ctx;
	(void)d;
}

static bool
fz_sum_read(const char *path, bool mapped, struct fz_sum *s)
{
	memset(s, 0, sizeof(*s));
	int code;
	struct cap *c = cap_open_file(path, NULL, s->err, sizeof(s->err), &code);
	if (c == NULL)
		return false;
	if (!mapped)
		cap_set_mapped(c, false);
	s->rc = cap_run(c, 0, false, fz_sum_pkt, fz_sum_drop, s, s->err, sizeof(s->err));
	cap_close(c);
	return true;
}

/*
 * Differential: the mapped reader (capture/mfile.c) must give exactly libpcap's
 * frames, end and error text for any file; a difference is a crash here.
 */
static void
fz_pcap_compare(const char *path)
{
	struct fz_sum a, b;
	bool oka = fz_sum_read(path, true, &a), okb = fz_sum_read(path, false, &b);
	if (oka != okb || (oka && (a.hash != b.hash || a.n != b.n || a.rc != b.rc ||
				   (a.rc && strcmp(a.err, b.err) != 0)))) {
		fprintf(stderr,
			"readers differ: mapped %llu frames rc %d '%s', libpcap %llu rc %d '%s'\n",
			(unsigned long long)a.n, a.rc, a.err, (unsigned long long)b.n, b.rc, b.err);
		abort();
	}
}

static void
fz_pcap_run(const char *path, bool json)
{
	static struct analysis a;
	static FILE *sink;
	if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
		return;
	char err[512];
	int code;
	struct cap *c = cap_open_file(path, NULL, err, sizeof(err), &code);
	if (c == NULL)
		return;
	struct report rep = {.out = sink, .json = json, .verbose = json ? 1 : 2};
	analysis_init(&a, &rep);
	analysis_set_keys(&a, fz_sample_keys(), NULL, 0);
	cap_run(c, 0, false, analysis_pkt, analysis_drop, &a, err, sizeof(err));
	analysis_finish(&a, cap_get_stats(c), cap_get_reasm_stats(c));
	analysis_free(&a);
	cap_close(c);
	fflush(sink);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = fz_memfd(data, size, path, sizeof(path));
	fz_pcap_run(path, false);
	fz_pcap_run(path, true);
	fz_pcap_compare(path);
	fz_memfd_close(fd);
	return 0;
}
