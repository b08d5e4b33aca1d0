/*
 * struct cap, shared by the files of capture/ that open and read captures
 * (capture.c for files, live.c for interfaces).  Not for use outside capture/.
 */
#ifndef IKESCOPE_CAPTURE_CAP_INT_H
#define IKESCOPE_CAPTURE_CAP_INT_H

#include <pcap/pcap.h>
#include <signal.h>

#include "capture/capture.h"

struct mfile;

struct cap {
	pcap_t *pc;
	struct mfile *mf;	 /* a regular file read in place (mfile.c); NULL: libpcap reads */
	struct bpf_program prog; /* the filter, kept for pcap_offline_filter with mf */
	bool has_prog;
	volatile sig_atomic_t stop; /* cap_breakloop, for the mapped reader */
	int linktype;
	long long file_size; /* 0 when not a regular file (stdin, pipe) */
	struct cap_stats st;
	struct decoder *dec;
	bool live;
	char *source;		    /* interface name or file path */
	char *filter;		    /* the BPF expression in force; "" when none */
	struct cap_drops_acc drops; /* live: pcap_stats widened to 64 bits */
};

/*
 * capture/mfile.c: the records of a regular pcap or pcapng file read from a
 * mapping.  MF_HANDOVER: this record is not a plain one; libpcap must read on
 * from it (classic pcap: from mfile_offset; pcapng: after the frames already
 * delivered).
 */
struct mf_rec {
	uint64_t ts_usec;
	uint32_t caplen, wirelen;
	const uint8_t *data;
};
enum mf_result { MF_REC, MF_END, MF_HANDOVER };
struct mfile *mfile_open(const char *path); /* NULL: not mappable, or not plain; use libpcap */
void mfile_close(struct mfile *m);
enum mf_result mfile_next(struct mfile *m, struct mf_rec *r);
size_t mfile_offset(const struct mfile *m);
bool mfile_is_pcapng(const struct mfile *m);
/* Tests: read with libpcap alone (false), as before the mapping existed. */
void cap_set_mapped(struct cap *c, bool on);

/* strdup that aborts on exhaustion. */
char *cap_strdup(const char *s);

#endif
