/*
 * The pairs of peers, indexed once per diagnosis (diag_run) for every rule
 * family: the IKE SAs between two peers, the ESP SAs between them, and the
 * time of the last ESP packet each way.  Rules asked "which SAs are between
 * these two peers" by scanning the tables, which made the diagnosis
 * quadratic (minutes on a capture of 100,000 tunnels); the IKEv1 and ESP
 * families each then kept an index of their own, two passes over the ESP
 * table where one does.
 *
 * A pair is the unordered pair of an IKE SA's two peers (ike_sa lo, hi).  An
 * ESP SA belongs to a pair when its source and destination are the pair's two
 * peers, in either order; ESP SAs between peers with no IKE SA belong to none.
 */
#ifndef IKESCOPE_DIAGNOSE_PAIRS_H
#define IKESCOPE_DIAGNOSE_PAIRS_H

#include <stdbool.h>
#include <stdint.h>

#include "track/track.h"

#define PAIR_NONE UINT32_MAX

struct pair_index {
	uint32_t npairs;
	uint32_t *ike_pair;  /* per IKE SA: its pair */
	uint32_t *ike_next;  /* per IKE SA: the next SA (table order) of its pair, PAIR_NONE */
	uint32_t *first_ike; /* per pair: its first IKE SA in table order */
	uint32_t *esp_head;  /* per pair: its first ESP SA (pool index), PAIR_NONE */
	/* per ESP SA (pool index): the next of its pair, in order of first frames */
	uint32_t *esp_next;
	uint64_t *dir_last; /* per pair, [2p] lo to hi, [2p + 1] hi to lo: last ESP packet time */
	uint8_t *dir_used;  /* per pair: bit 0, ESP went lo to hi; bit 1, hi to lo */
	uint32_t *slot;	    /* hash of (lo, hi) -> pair + 1, 0 empty; at most half full */
	uint32_t nslots;
	const struct ike_table *ike;
	const struct esp_table *esp;
};

void pair_index_build(struct pair_index *x, const struct ike_table *t, const struct esp_table *e);
void pair_index_free(struct pair_index *x);

/* The pair of two peers (in either order), or PAIR_NONE. */
uint32_t pair_find(const struct pair_index *x, const struct ip_addr *a, const struct ip_addr *b);

/* The first IKE SA of its pair of peers in table order (rules speak once per pair). */
static inline bool
pair_first_ike(const struct pair_index *x, uint32_t i)
{
	return x->first_ike[x->ike_pair[i]] == i;
}

/* The ESP SAs of pair p in order of first frames: pair_esp_first, then pair_esp_next. */
static inline const struct esp_sa *
pair_esp_at(const struct pair_index *x, uint32_t i)
{
	return i == PAIR_NONE ? NULL : &x->esp->sa[i];
}

static inline const struct esp_sa *
pair_esp_first(const struct pair_index *x, uint32_t p)
{
	return pair_esp_at(x, x->esp_head[p]);
}

static inline const struct esp_sa *
pair_esp_next(const struct pair_index *x, const struct esp_sa *e)
{
	return pair_esp_at(x, x->esp_next[e - x->esp->sa]);
}

/* An ESP packet went from src to dst at or after after_ts (both peers of one pair). */
bool pair_esp_since(const struct pair_index *x, const struct ip_addr *src,
		    const struct ip_addr *dst, uint64_t after_ts);

#endif
