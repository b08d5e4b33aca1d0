/*
 * Tracked state across packets: ESP SAs (this file's first concern: the hot
 * path), IKE SAs, and the counters of the summary.  Every table is bounded;
 * eviction is counted and reported.
 */
#ifndef IKESCOPE_TRACK_TRACK_H
#define IKESCOPE_TRACK_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/util.h"

enum esp_encap { ENCAP_ESP, ENCAP_UDP };

struct esp_sa {
	uint32_t spi;
	uint8_t encap;
	uint16_t sport, dport; /* UDP ports when encap is ENCAP_UDP */
	struct ip_addr src, dst;
	uint64_t packets, bytes;
	uint64_t first_ts, last_ts; /* microseconds, capture time */
	uint64_t first_frame, last_frame;
	uint64_t max_idle_usec;
	uint32_t max_seq;
	uint64_t window;		  /* bit i set: max_seq - i was seen */
	uint64_t seq_gaps;		  /* sequence numbers skipped and not seen since */
	uint64_t replays;		  /* numbers seen twice, or too old for the window */
	uint64_t reordered;		  /* numbers that arrived late and filled a gap */
	uint64_t gap_frame, replay_frame; /* the first frame showing each */
	/* table links (indices; UINT32_MAX = none) */
	uint32_t hnext, lru_prev, lru_next;
	bool used;
};

struct esp_table {
	struct esp_sa *sa; /* pool, grows in steps up to cap */
	uint32_t n, alloc, cap;
	uint32_t *bucket;
	uint32_t nbuckets;	     /* power of two */
	uint32_t lru_head, lru_tail; /* most / least recently seen */
	uint64_t evicted;
};

void esp_table_init(struct esp_table *t, uint32_t cap);
void esp_table_free(struct esp_table *t);
/* Accounts one ESP packet; allocation only when the pool grows (amortised, capped). */
struct esp_sa *esp_table_packet(struct esp_table *t, uint32_t spi, const struct ip_addr *src,
				const struct ip_addr *dst, uint8_t encap, uint16_t sport,
				uint16_t dport, uint32_t seq, bool has_seq, uint32_t bytes,
				uint64_t ts, uint64_t frame);
/* The SAs in order of their first frame (caller frees the array). */
struct esp_sa **esp_table_sorted(const struct esp_table *t, size_t *n);

/*
 * IKE SAs seen, keyed by version, initiator SPI (IKEv1 initiator cookie) and the
 * unordered pair of peers, with what is known of each side.  Bounded: beyond
 * the cap an SA is counted as overflow instead of stored.
 */
#define IKE_SA_EVIDENCE 8 /* frames kept per fact */

struct ike_sa {
	uint8_t version;
	uint8_t spi_i[8];
	uint8_t spi_r[8];
	struct ip_addr lo, hi; /* the key: the two peers, ordered */
	struct ip_addr initiator, responder;
	uint16_t iport, rport; /* as last seen */
	bool initiator_known;  /* from the IKEv2 I flag or an IKEv1 message with zero CKY-R */
	uint64_t first_frame, last_frame;
	/* NAT detection (RFC 7296 §2.23, RFC 3947): verdicts and the frames behind them */
	bool natd_seen;
	bool initiator_behind_nat, responder_behind_nat;
	uint64_t nat_frames[IKE_SA_EVIDENCE];
	uint8_t nnat_frames;
};

struct ike_table {
	struct ike_sa *sa;
	uint32_t n, alloc, cap;
	uint32_t *bucket; /* index + 1; 0 empty */
	uint32_t nbuckets;
	uint64_t overflow;
};

void ike_table_init(struct ike_table *t, uint32_t cap);
void ike_table_free(struct ike_table *t);
/*
 * The SA of a message from src to dst, created when new (*created set); NULL
 * when the table is full (counted in overflow).
 */
struct ike_sa *ike_table_get(struct ike_table *t, uint8_t version, const uint8_t spi_i[8],
			     const struct ip_addr *src, const struct ip_addr *dst, bool *created);
/* Records a frame as evidence of a fact about the SA (bounded, no duplicates). */
void ike_sa_add_evidence(uint64_t *frames, uint8_t *n, uint64_t frame);

#endif
