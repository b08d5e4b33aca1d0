/*
 * The capture layer: frames from a pcap/pcapng file (or stdin), decoded from
 * the link layer to UDP/ESP/ICMP, with IP fragments reassembled.  It hands the
 * rest of the pipeline a struct pkt: what the analysis needs of one frame.
 */
#ifndef IKESCOPE_CAPTURE_CAPTURE_H
#define IKESCOPE_CAPTURE_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/reasm.h"
#include "common/rd.h"
#include "common/util.h"

#define IKE_PORT  500
#define NATT_PORT 4500

/* One captured frame as libpcap gave it. */
struct frame {
	uint64_t num;	  /* 1-based, as Wireshark numbers frames */
	uint64_t ts_usec; /* capture time, microseconds since the epoch */
	uint32_t caplen, wirelen;
	int linktype; /* DLT_* */
	const uint8_t *data;
};

/* What a frame turned out to carry (the `proto` of packet records). */
enum pkt_kind {
	PK_NONE,	  /* not IP, or IP that the analysis does not use */
	PK_IKE,		  /* IKE on UDP 500, or on 4500 after the non-ESP marker */
	PK_ESP,		  /* IP protocol 50 */
	PK_ESP_UDP,	  /* ESP in UDP 4500 (RFC 3948) */
	PK_NAT_KEEPALIVE, /* a single 0xFF byte on UDP 4500 */
	PK_IP_FRAGMENT,	  /* an IP fragment that did not (yet) complete a datagram */
	PK_ICMP,	  /* an ICMP/ICMPv6 error quoting an IKE, NAT-T or ESP datagram */
	PK_OTHER_IKE_PORT /* a UDP 500/4500 datagram that is not IKE (too short, bogus length) */
};

/* An ICMP error quoting one of our datagrams. */
struct icmp_quote {
	uint8_t version; /* 4 or 6 (ICMP vs ICMPv6) */
	uint8_t type, code;
	uint32_t mtu;		 /* for packet-too-big / fragmentation needed */
	struct ip_addr src, dst; /* of the quoted datagram */
	uint8_t proto;		 /* 17 or 50 */
	uint16_t sport, dport;
	uint32_t spi; /* quoted ESP SPI when proto 50 and present */
};

struct pkt {
	const struct frame *fr;
	enum pkt_kind kind;
	struct ip_addr src, dst;
	uint8_t ipproto;
	uint16_t sport, dport;
	bool reassembled; /* the datagram was rebuilt from IP fragments ending in this frame */
	enum reasm_outcome reasm_outcome;
	bool partial; /* a first IP fragment, cut by the snaplen, read on its own */
	uint64_t frag_frames[REASM_MAX_FRAMES]; /* with reassembled: the fragments' frames */
	size_t nfrag_frames;
	struct rd l4;  /* IKE message (after any marker) or ESP header onward */
	size_t ip_len; /* IP datagram length as sent (for byte counts) */
	struct icmp_quote icmp;
};

/* Outcome of a whole read. */
struct cap_stats {
	uint64_t frames;
	uint64_t bytes;
	uint64_t non_ip;
	uint64_t ip_malformed;
	uint64_t link_truncated;
	bool file_truncated; /* the file ended mid-record */
};

struct cap;

typedef void (*cap_pkt_fn)(void *ctx, const struct pkt *p);
/* Datagrams whose fragments never all arrived. */
typedef void (*cap_drop_fn)(void *ctx, const struct reasm_datagram *d);

/*
 * Opens a capture file ("-" for stdin).  On failure returns NULL and writes one
 * line (without the program name) into err; *exit_code gets 1 (runtime) or
 * 2 (usage, e.g. a bad filter).
 */
struct cap *cap_open_file(const char *path, const char *filter, char *err, size_t errlen,
			  int *exit_code);
void cap_close(struct cap *c);
int cap_linktype(const struct cap *c);
bool cap_linktype_supported(int linktype);
const char *cap_linktype_name(int linktype);

/*
 * Reads until the end, max_packets (0 = all) or a stop request, handing every
 * frame to fn.  Returns 0, or -1 with err set when reading failed (the frames
 * before the failure were delivered; stats says whether the file was truncated).
 */
int cap_run(struct cap *c, uint64_t max_packets, bool progress, cap_pkt_fn fn, cap_drop_fn dropfn,
	    void *ctx, char *err, size_t errlen);
/*
 * Live capture (capture/live.c): pcap_create + pcap_activate on iface, with the
 * default filter of INTERFACE.md (UDP 500/4500, ESP, non-first IP fragments,
 * ICMP/ICMPv6 errors; also inside VLAN tags), narrowed by the user's trailing
 * expression when given.  Non-blocking: cap_dispatch returns 0 when nothing is
 * waiting; poll cap_get_fd.  On failure NULL, one line in err (libpcap's own
 * words), *exit_code 1 (runtime) or 2 (usage: bad filter); activation warnings
 * are written into warn (empty when none).
 */
struct cap_live_opts {
	const char *iface;
	const char *filter;  /* trailing BPF expression, or NULL */
	unsigned buffer_kib; /* -B; 0: libpcap's default */
	bool immediate;	     /* deliver each packet at once (the TUI) */
};
struct cap *cap_open_live(const struct cap_live_opts *o, char *err, size_t errlen, int *exit_code,
			  char *warn, size_t warnlen);
/* The default live filter (INTERFACE.md), for the man page, tests and the status line. */
const char *cap_default_filter(void);
/* The same for a link type: without the VLAN part where libpcap has no `vlan` (raw IP, SLL). */
const char *cap_default_filter_for(int linktype);
bool cap_is_live(const struct cap *c);
int cap_get_fd(const struct cap *c);	     /* selectable fd; -1 for files */
const char *cap_source(const struct cap *c); /* interface name or file path */
const char *cap_filter(const struct cap *c); /* the BPF expression in force, "" if none */
/* Kernel and interface drops (pcap_stats); valid false for files or when unsupported. */
struct cap_drops {
	bool valid;
	uint64_t received, dropped, if_dropped;
};
/*
 * libpcap's counters are 32 bits (struct pcap_stat) and wrap after 2^32
 * packets: about 70 minutes at a million packets per second.  Each reading
 * adds what the counters moved since the last one, modulo 2^32, to 64-bit
 * totals; read at least once per wrap (the live loop does every second).
 */
struct cap_drops_acc {
	bool started;
	uint32_t last[3]; /* received, dropped, if_dropped as libpcap last gave them */
	struct cap_drops total;
};
void cap_drops_advance(struct cap_drops_acc *acc, uint32_t received, uint32_t dropped,
		       uint32_t if_dropped);
/* The totals so far (pcap_stats read now); valid false for files or when unsupported. */
void cap_get_drops(struct cap *c, struct cap_drops *d);
/*
 * "N packets, N dropped by kernel, N by interface" (SIGUSR1, the summary, the
 * status line); packets is what the capture delivered.  Without valid drops
 * (a file, or libpcap cannot tell) only the packets.
 */
void cap_drops_format(const struct cap_drops *d, uint64_t packets, char *buf, size_t len);
/* Makes cap_run / cap_dispatch return soon (async-signal-safe: pcap_breakloop). */
void cap_breakloop(struct cap *c);

/*
 * -w: a pcap file with the link type of capture c, to which the caller writes
 * the frames it wants (the ones the analysis used).  On failure NULL and one
 * line in err (libpcap's words).  flush and close return -1 with err set when
 * writing failed (disk full, ...).
 */
struct cap_writer;
struct cap_writer *cap_writer_open(struct cap *c, const char *path, char *err, size_t errlen);
void cap_writer_frame(struct cap_writer *w, const struct frame *fr);
uint64_t cap_writer_count(const struct cap_writer *w);
int cap_writer_flush(struct cap_writer *w, char *err, size_t errlen);
int cap_writer_close(struct cap_writer *w, char *err, size_t errlen);

/*
 * Reads up to max frames and hands each to fn (the loop under cap_run, for
 * callers that interleave reading with other work, such as the TUI).  Returns
 * the number delivered (0: nothing waiting, on a live capture), or CAP_END at
 * the end of a file, CAP_TRUNCATED when the file ends mid-record, CAP_ERROR
 * with err set.  cap_done flushes the reassembler at the end.
 */
enum { CAP_END = -2, CAP_TRUNCATED = -3, CAP_ERROR = -1 };
int cap_dispatch(struct cap *c, int max, cap_pkt_fn fn, cap_drop_fn dropfn, void *ctx, char *err,
		 size_t errlen);
void cap_done(struct cap *c);
const struct cap_stats *cap_get_stats(const struct cap *c);
const struct reasm_stats *cap_get_reasm_stats(const struct cap *c);

/*
 * Decoding one frame, independent of libpcap (used by cap_run, tests and fuzzers).
 * The decoder owns the reassembler; its pkt is valid during the callback only.
 */
struct decoder;
struct decoder *decoder_new(cap_drop_fn dropfn, void *ctx);
void decoder_free(struct decoder *d);
/* Decodes fr into *p (kind PK_NONE when nothing of interest). */
void decoder_frame(struct decoder *d, const struct frame *fr, struct pkt *p, struct cap_stats *st);
void decoder_finish(struct decoder *d);
const struct reasm_stats *decoder_reasm_stats(const struct decoder *d);

/* Internal to capture/: link layer and IP. */
struct rd;
bool link_to_ip(int linktype, struct rd *r, uint16_t *ethertype);

/* Progress line on a terminal (capture/progress.c). */
struct progress;
struct progress *progress_new(long long file_size);
void progress_update(struct progress *pg, long long pos, uint64_t frames);
void progress_done(struct progress *pg);

#endif
