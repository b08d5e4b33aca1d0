/*
 * A whole capture file (pcap or pcapng) through libpcap and cap_run, as
 * `ikescope -r` reads it, with the samples' key table: the record headers,
 * every link type ikescope reads, and all that follows.
 */
#include <string.h>

#include "cli/pipeline.h"
#include "tests/fuzz/fuzz.h"

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
	fz_memfd_close(fd);
	return 0;
}
