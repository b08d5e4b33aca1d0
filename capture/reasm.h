/*
 * IPv4 (RFC 791) and IPv6 (RFC 8200 §4.5) fragment reassembly, bounded.
 *
 * Every table is capped: datagrams in flight, bytes per datagram, fragments per
 * datagram, and a capture-time timeout.  The outcome of every datagram that did
 * not complete is reported through a callback, because a datagram whose
 * fragments never all arrived is evidence (a path dropping fragments), not noise.
 */
#ifndef IKESCOPE_CAPTURE_REASM_H
#define IKESCOPE_CAPTURE_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/util.h"

#define REASM_MAX_FRAMES 16 /* frame numbers remembered per datagram */

struct reasm_cfg {
	size_t max_datagrams;  /* in flight at once; the oldest is evicted beyond this */
	size_t max_bytes;      /* per datagram (65535 for IPv4; jumbograms are refused) */
	size_t max_fragments;  /* per datagram */
	uint64_t timeout_usec; /* capture time since the first fragment */
};

/* One fragment as found in the IP header. */
struct reasm_frag {
	struct ip_addr src, dst;
	uint32_t id;	 /* IPv4 identification (16 bit) or IPv6 fragment id */
	uint8_t proto;	 /* upper-layer protocol (IPv6: next header after the fragment header) */
	uint32_t offset; /* in bytes */
	bool more;	 /* MF flag */
	const uint8_t *data; /* fragment payload as captured */
	size_t caplen;	     /* captured bytes of the payload */
	size_t len;	     /* bytes of the payload as sent (>= caplen) */
	uint64_t frame;	     /* 1-based frame number */
	uint64_t ts_usec;    /* capture time */
};

enum reasm_outcome {
	REASM_COMPLETE,		  /* all fragments arrived */
	REASM_OVERLAP,		  /* completed, but fragments overlapped with differing bytes */
	REASM_INCOMPLETE_END,	  /* the capture ended before all fragments arrived */
	REASM_INCOMPLETE_TIMEOUT, /* timed out (capture time) before all fragments arrived */
	REASM_EVICTED,		  /* pushed out by the cap on datagrams in flight */
	REASM_TOO_BIG,		  /* exceeded max_bytes or max_fragments: abandoned */
	REASM_CAPLEN,		  /* a fragment was cut by the snaplen: cannot be rebuilt */
};

/* What is known of a datagram: handed to the caller on completion or abandonment. */
struct reasm_datagram {
	struct ip_addr src, dst;
	uint32_t id;
	uint8_t proto;
	enum reasm_outcome outcome;
	const uint8_t
	    *data;	 /* bytes from offset 0 that are contiguous (all of them when complete) */
	size_t len;	 /* length of data */
	size_t total;	 /* total length when the last fragment was seen, else 0 */
	size_t received; /* payload bytes received (overlaps counted once) */
	uint64_t frames[REASM_MAX_FRAMES]; /* frame numbers in arrival order (the first ones) */
	size_t nframes;			   /* fragments received (may exceed REASM_MAX_FRAMES) */
	uint64_t first_ts_usec, last_ts_usec;
};

/* Called for every datagram that is abandoned (not for completed ones). */
typedef void (*reasm_drop_fn)(void *ctx, const struct reasm_datagram *d);

struct reasm;

struct reasm *reasm_new(const struct reasm_cfg *cfg, reasm_drop_fn on_drop, void *ctx);
void reasm_free(struct reasm *r);

/*
 * Adds a fragment.  Returns true when it completed a datagram: *out then
 * describes it (outcome REASM_COMPLETE or REASM_OVERLAP) and out->data stays
 * valid until the next call into the reassembler.  Datagrams timed out by the
 * fragment's timestamp are reported through on_drop first.
 */
bool reasm_add(struct reasm *r, const struct reasm_frag *f, struct reasm_datagram *out);

/* End of input: every datagram still in flight is reported as REASM_INCOMPLETE_END. */
void reasm_finish(struct reasm *r);

struct reasm_stats {
	uint64_t fragments, complete, overlap, incomplete_end, timeout, evicted, too_big, caplen;
};
const struct reasm_stats *reasm_get_stats(const struct reasm *r);

#endif
