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
#include "dissect/ike.h"

enum esp_encap { ENCAP_ESP, ENCAP_UDP };

/*
 * What only some ESP SAs need, held apart from the record every packet
 * touches: the sequence anomalies (from the first one on) and, with --keys,
 * the key entry and what decryption gave.  Made on first need by
 * esp_table_ext; esp_sa_ext reads it (zeros where there is none).
 */
struct esp_sa_ext {
	uint64_t seq_gaps;		  /* sequence numbers skipped and not seen since */
	uint64_t replays;		  /* numbers seen twice, or too old for the window */
	uint64_t reordered;		  /* numbers that arrived late and filled a gap */
	uint64_t gap_frame, replay_frame; /* the first frame showing each */
	const void *keys;		  /* with --keys: the key entry (looked up once) */
	uint64_t dec_fail_frame;
	uint32_t dec_ok, dec_fail;
	uint8_t dec_fail_result;
	bool keys_looked_up;
	struct esp_sa_ext *next_free; /* on the table's free list */
};

struct esp_sa {
	/*
	 * Two cache lines (128 bytes on LP64, the pool is page-aligned): the
	 * key, the counters, the times and the sequence window that every packet
	 * touches come first; what only some SAs need is in *ext.  The LRU links
	 * exist only once the pool is full, in the table (esp_table.lru).
	 */
	uint32_t spi;
	struct ip_addr src, dst;
	uint8_t encap;
	bool used;
	uint16_t sport, dport; /* UDP ports when encap is ENCAP_UDP */
	uint32_t max_seq;
	uint64_t packets, bytes;
	uint64_t window;     /* bit i set: max_seq - i was seen */
	uint64_t last_ts;    /* microseconds, capture time */
	uint64_t last_frame; /* also the LRU order: packets are accounted in frame order */
	uint64_t max_idle_usec;
	uint64_t first_ts, first_frame;
	struct esp_sa_ext *ext; /* NULL until needed */
	uint64_t reserved_;	/* pads the record to 128 bytes */
};

/* The index of the ESP table: the SA's 32-bit key hash, and 1 + its index (0: empty). */
struct esp_slot {
	uint32_t h32, idx1;
};

/* An ESP packet waiting in the table's batch (esp_table_queue). */
struct esp_pending {
	uint64_t hash, ts, frame;
	struct ip_addr src, dst;
	uint32_t spi, seq, bytes;
	uint16_t sport, dport;
	uint8_t encap;
	bool has_seq;
};

#define ESP_BATCH 32

struct esp_table {
	struct esp_sa *sa; /* pool, grows in steps up to cap */
	uint32_t n, alloc, cap;
	size_t reserved;	     /* the pool is a reservation of this many bytes (mmap), or 0 */
	struct esp_slot *slot;	     /* open addressing, at most half full */
	uint32_t nslots;	     /* power of two; doubles with the pool */
	uint32_t nslots_max;	     /* what the cap needs */
	uint32_t lru_head, lru_tail; /* most / least recently seen (once lru_live) */
	uint32_t *lru;		     /* per SA: its LRU links, prev and next (once lru_live) */
	bool lru_live;		     /* the pool filled up: the LRU list is kept */
	uint64_t tick;		     /* packets accounted */
	uint64_t evicted;
	/*
	 * The extensions (struct esp_sa_ext), in chunks that never move; an
	 * evicted SA's goes back to the free list, so there are never more than
	 * the cap.
	 */
	struct esp_ext_chunk *ext_chunks;
	struct esp_sa_ext *ext_free;
	struct esp_pending pending[ESP_BATCH]; /* queued, not yet accounted */
	unsigned npending;
};

void esp_table_init(struct esp_table *t, uint32_t cap);
/* The SA's extension, made (zeroed) on first need. */
struct esp_sa_ext *esp_table_ext(struct esp_table *t, struct esp_sa *s);
/* The SA's extension to read: zeros for an SA that never needed one. */
extern const struct esp_sa_ext esp_sa_ext_none;
static inline const struct esp_sa_ext *
esp_sa_ext(const struct esp_sa *s)
{
	return s->ext ? s->ext : &esp_sa_ext_none;
}
void esp_table_free(struct esp_table *t);
/* Accounts one ESP packet; allocation only when the pool grows (amortised, capped). */
struct esp_sa *esp_table_packet(struct esp_table *t, uint32_t spi, const struct ip_addr *src,
				const struct ip_addr *dst, uint8_t encap, uint16_t sport,
				uint16_t dport, uint32_t seq, bool has_seq, uint32_t bytes,
				uint64_t ts, uint64_t frame);
/*
 * The same accounting, in batches: packets are queued and accounted ESP_BATCH
 * at a time, the memory of their buckets and SAs fetched for the whole batch
 * first, so that the cache misses of a table larger than the caches overlap
 * instead of following one another.  Same results, same order, as calling
 * esp_table_packet for each; esp_table_flush accounts what is queued and must
 * come before anything reads the table.
 */
void esp_table_queue(struct esp_table *t, uint32_t spi, const struct ip_addr *src,
		     const struct ip_addr *dst, uint8_t encap, uint16_t sport, uint16_t dport,
		     uint32_t seq, bool has_seq, uint32_t bytes, uint64_t ts, uint64_t frame);
void esp_table_flush(struct esp_table *t);
/* The SAs in order of their first frame (caller frees the array). */
struct esp_sa **esp_table_sorted(const struct esp_table *t, size_t *n);
/*
 * The pool itself is in order of first frames: it fills in that order, and
 * only evictions (an SA in an evicted one's place) reorder it.
 */
static inline bool
esp_table_in_order(const struct esp_table *t)
{
	return t->evicted == 0;
}

/*
 * IKE SAs seen, keyed by version, initiator SPI (IKEv1 initiator cookie) and the
 * unordered pair of peers, with what is known of each side.  Bounded: at the
 * cap a new SA takes the place of the oldest one that only one peer has spoken
 * in (a flood of IKE_SA_INIT requests is all such SAs), counted as evicted;
 * when every SA has heard from both peers, the new SA's messages are counted
 * as overflow instead of stored.
 */
#define IKE_SA_EVIDENCE 8 /* frames kept per fact */

#define IKE_SA_MAX_MSGS	  64 /* messages kept per IKE SA (later ones are counted only) */
#define IKE_REC_MAX_PL	  16
#define IKE_REC_MAX_N	  8
#define IKE_SA_MAX_OFFERS 16

/*
 * Folding (track/ike_fold.c): once an SA's log has held more than
 * IKE_FOLD_AFTER messages, routine exchanges that completed are taken out of
 * the log and counted in its struct ike_fold, so that a long-lived SA costs the
 * same memory after a day as after a minute.  Shorter logs are never folded:
 * the longest SA among the samples has 16 messages, and its first CREATE_CHILD_SA
 * pair that could fold comes after message 14.
 */
#define IKE_FOLD_AFTER	  14
#define IKE_FOLD_MAX_LEN  1024 /* larger messages stay: rules weigh sizes */
#define IKE_FOLD_MAX_RUNS 8

/*
 * Smallest payloads of a CREATE_CHILD_SA response that creates its SA (RFC 7296
 * §3.3, §3.9, §3.13): an ESP SA of one proposal (4 + 8 + 4 + 8 + 8), Nr of 16
 * octets, TSi and TSr of one IPv4 range each (8 + 16).  Lower bounds: the
 * rules (diagnose/rules_ikev2.c) and folding share them.
 */
#define V2_CHILD_SA_MIN 32
#define V2_TS_PAIR_MIN	48
#define V2_NONCE_MIN	20 /* CREATE_CHILD_SA: Nr of 16 octets at least (§3.9) */
#define V2_SK_HDR	4  /* generic payload header of SK */
#define V2_SKF_HDR	8  /* SKF adds Fragment Number and Total Fragments */

/* One IKE message of an SA as seen on the wire: what the rules reason over. */
struct ike_rec {
	/* (fields ordered by size, the flags in one byte: 88 bytes on LP64) */
	uint64_t frame, ts;
	uint64_t digest; /* of the message bytes: a retransmission repeats them */
	uint32_t msgid;
	uint32_t len;	 /* IKE length as claimed */
	uint16_t sk_len; /* IKEv2: the SK or SKF payload's length, 0 without one */
	uint16_t sport, dport;
	uint16_t skf_n, skf_total;
	uint16_t notify[IKE_REC_MAX_N];
	uint16_t ke_group;   /* IKEv2 KE payload's group / INVALID_KE's wanted group */
	uint16_t want_group; /* INVALID_KE_PAYLOAD: the group the responder wants */
	int16_t retrans_of;  /* index of the message this one repeats, -1 */
	uint8_t exchange, flags;
	uint8_t npl, nn;
	uint8_t npl_clear;   /* pl[0..npl_clear) came in clear, the rest were decrypted */
	uint8_t auth_method; /* AUTH payload's method (IKEv2; seen in clear or decrypted) */
	uint8_t pl[IKE_REC_MAX_PL];
	bool from_i : 1;	/* sent by the initiator of the SA */
	bool response : 1;	/* IKEv2 R flag (IKEv1 has none) */
	bool encrypted : 1;	/* IKEv1 E flag */
	bool ip_fragmented : 1; /* rebuilt from IP fragments */
	bool unexpected : 1;	/* not a legal transition from the SA's state (track/ike_state.c) */
	bool decrypted : 1;	/* the inner payloads below were decrypted with --keys */
	bool decrypt_failed : 1; /* keys were applied to it and did not fit */
};

/*
 * Folded messages close together in time: consecutive ones less than
 * IKE_FOLD_GAP_USEC apart.  A span of at least that long inside a run therefore
 * holds a folded message, which is what the idle rule asks (diagnose/rules_esp.c).
 */
#define IKE_FOLD_GAP_USEC (240ULL * 1000000ULL)

struct ike_fold_run {
	uint64_t first_frame, last_frame;
	uint64_t first_ts, last_ts;
	uint64_t neg_frame, neg_ts; /* its first CREATE_CHILD_SA request or QM1, 0 without */
	/* the first and last frames sent by [0] the responder, [1] the initiator */
	uint64_t side_first[2], side_last[2];
};

/* What was folded out of an SA's log: routine exchanges, all completed and unremarkable. */
struct ike_fold {
	uint32_t v2_info, v2_child; /* IKEv2 INFORMATIONAL and CREATE_CHILD_SA exchanges */
	uint32_t v1_quick, v1_dpd;  /* IKEv1 quick modes and answered informational pairs */
	uint32_t nmsgs;		    /* messages in all */
	uint64_t child_last_frame;  /* the last CREATE_CHILD_SA response or QM2 folded */
	uint8_t nruns;
	struct ike_fold_run run[]; /* nruns of them, in time order */
};

/* One proposal in compact form (IKE SA or CHILD SA / phase 2). */
struct ike_offer {
	uint8_t proto; /* 1 IKE/ISAKMP, 2 AH, 3 ESP */
	uint16_t encr, keylen, integ, prf, dh, esn;
	uint16_t v1_hash, v1_auth; /* IKEv1 phase 1 */
	uint8_t num;
};

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
	/* the messages in order, with retransmissions marked */
	struct ike_rec *msgs;
	uint16_t nmsgs, amsgs;
	uint32_t msgs_dropped; /* beyond IKE_SA_MAX_MSGS */
	struct ike_fold *fold; /* routine exchanges taken out of the log, or NULL */
	/* the initiator's first IKE SA offer, and what the responder chose */
	struct ike_offer *offers; /* noffers of them (at most IKE_SA_MAX_OFFERS), or NULL */
	uint8_t noffers;
	bool offers_cut; /* more proposals than kept */
	struct ike_offer chosen;
	bool have_chosen;
	uint64_t chosen_frame, offer_frame;
	/* capabilities announced in clear (RFC 7383 notify, IKEv1 fragmentation VID) */
	bool frag_i, frag_r;
	bool seen_i, seen_r; /* a message from each side was seen */
	bool certreq;	     /* a CERTREQ (IKEv2) or CR (IKEv1) was sent in clear */
	/* the negotiation state (enum ike_state) and the messages that broke its rules */
	uint8_t phase;
	uint16_t anomalies;
	/* with --keys / --psk: decryption results and the PSK check (enum psk_verdict) */
	uint16_t dec_ok, dec_fail;
	uint64_t dec_fail_frames[IKE_SA_EVIDENCE];
	uint8_t ndec_fail_frames, dec_fail_result, psk_check;
	uint64_t psk_checked_at; /* last_frame when psk_check was computed (0: never) */
	bool keys_found;
	/* the verdict of diagnose/ (enum sa_state, enum sa_auth), for the reports */
	uint8_t state, auth;
};

struct ike_table {
	struct ike_sa *sa;
	uint32_t n, alloc, cap;
	uint32_t *bucket;		 /* index + 1; 0 empty */
	uint32_t nbuckets, nbuckets_max; /* doubling as SAs come, up to what the cap needs */
	uint32_t hand;			 /* where the search for the next SA to evict goes on */
	bool no_victim;			 /* full, and every SA has heard from both peers */
	uint64_t evicted;		 /* one-sided SAs dropped to make room */
	uint64_t overflow;		 /* messages of SAs that found no room */
};

void ike_table_init(struct ike_table *t, uint32_t cap);
void ike_table_free(struct ike_table *t);
/*
 * The SA of a message from src to dst, created when new (*created set), in
 * the place of an evicted one when the table is full; NULL when the table is
 * full of SAs that both peers have spoken in (counted in overflow).
 */
struct ike_sa *ike_table_get(struct ike_table *t, uint8_t version, const uint8_t spi_i[8],
			     const struct ip_addr *src, const struct ip_addr *dst, bool *created);
/* Records one message of the SA (track/ike_track.c). */
void ike_sa_record(struct ike_sa *sa, const struct ike_msg *m, bool from_i, uint64_t frame,
		   uint64_t ts, uint16_t sport, uint16_t dport, bool ip_fragmented);
/*
 * Folding (track/ike_fold.c): takes the completed routine exchanges at the end
 * of the log out of it, before the next message `next` is appended; the rules'
 * questions about the folded messages, by frame and by time.
 */
void ike_sa_fold(struct ike_sa *sa, const struct ike_rec *next);
/* IV and ICV octets of the SK payload under the chosen IKE SA transforms; false unknown. */
bool ike_sk_overhead(const struct ike_offer *o, unsigned *iv, unsigned *icv);
/* The plaintext room of an unfragmented SK message under the chosen suite, -1 unknown. */
long ike_rec_room(const struct ike_sa *sa, const struct ike_rec *r);
/* Room enough for SA, Nr and TSi/TSr: a CREATE_CHILD_SA response that created its SA. */
bool ike_child_room_ok(long room);
uint32_t ike_fold_exchanges(const struct ike_sa *sa);
uint64_t ike_fold_first_frame(const struct ike_sa *sa); /* 0 when nothing was folded */
uint64_t ike_fold_last_frame(const struct ike_sa *sa);
/* The last folded frame sent by the initiator (from_i) or the responder, 0 without. */
uint64_t ike_fold_side_last(const struct ike_sa *sa, bool from_i);
/* Records a frame as evidence of a fact about the SA (bounded, no duplicates). */
void ike_sa_add_evidence(uint64_t *frames, uint8_t *n, uint64_t frame);

#endif
