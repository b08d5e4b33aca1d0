/*
 * struct cap, shared by the files of capture/ that open and read captures
 * (capture.c for files, live.c for interfaces).  Not for use outside capture/.
 */
#ifndef IKESCOPE_CAPTURE_CAP_INT_H
#define IKESCOPE_CAPTURE_CAP_INT_H

#include <pcap/pcap.h>

#include "capture/capture.h"

struct cap {
	pcap_t *pc;
	int linktype;
	long long file_size; /* 0 when not a regular file (stdin, pipe) */
	struct cap_stats st;
	struct decoder *dec;
	bool live;
	char *source; /* interface name or file path */
	char *filter; /* the BPF expression in force; "" when none */
};

/* strdup that aborts on exhaustion. */
char *cap_strdup(const char *s);

#endif
