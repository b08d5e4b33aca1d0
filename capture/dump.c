/*
 * -w: the frames the analysis used, written to a pcap file through libpcap's
 * savefile writer, with the link type and snaplen of the capture they came from.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/cap_int.h"

struct cap_writer {
	pcap_dumper_t *d;
	char *path;
	uint64_t frames;
};

struct cap_writer *
cap_writer_open(struct cap *c, const char *path, char *err, size_t errlen)
{
	pcap_dumper_t *d = pcap_dump_open(c->pc, path);
	if (d == NULL) {
		snprintf(err, errlen, "-w %s", pcap_geterr(c->pc));
		return NULL;
	}
	struct cap_writer *w = xcalloc(1, sizeof(*w));
	w->d = d;
	w->path = cap_strdup(path);
	return w;
}

void
cap_writer_frame(struct cap_writer *w, const struct frame *fr)
{
	struct pcap_pkthdr h;
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(fr->ts_usec / 1000000u);
	h.ts.tv_usec = (suseconds_t)(fr->ts_usec % 1000000u);
	h.caplen = fr->caplen;
	h.len = fr->wirelen;
	pcap_dump((u_char *)w->d, &h, fr->data);
	w->frames++;
}

uint64_t
cap_writer_count(const struct cap_writer *w)
{
	return w->frames;
}

int
cap_writer_flush(struct cap_writer *w, char *err, size_t errlen)
{
	if (pcap_dump_flush(w->d) != 0 || ferror(pcap_dump_file(w->d))) {
		snprintf(err, errlen, "-w %s: %s", w->path, strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

int
cap_writer_close(struct cap_writer *w, char *err, size_t errlen)
{
	if (w == NULL)
		return 0;
	int rc = cap_writer_flush(w, err, errlen);
	FILE *f = pcap_dump_file(w->d);
	/* pcap_dump_close closes the stream without a verdict: close it ourselves. */
	if (fflush(f) != 0 && rc == 0) {
		snprintf(err, errlen, "-w %s: %s", w->path, strerror(errno));
		rc = -1;
	}
	pcap_dump_close(w->d);
	free(w->path);
	free(w);
	return rc;
}
