/*
 * IKE SAs seen, keyed by version, initiator SPI (IKEv1 initiator cookie) and
 * the unordered pair of peers.  Bounded: at the cap the oldest one-sided SA
 * makes room (track.h).
 */
#include <stdlib.h>
#include <string.h>

#include "track/track.h"

static uint64_t
ike_key_hash(uint8_t version, const uint8_t spi_i[8], const struct ip_addr *lo,
	     const struct ip_addr *hi)
{
	uint64_t w;
	memcpy(&w, spi_i, 8);
	uint64_t h = hash_mix(hash_mix(0xbb67ae8584caa73bULL, w), version);
	return ip_addr_hash(hi, ip_addr_hash(lo, h));
}

void
ike_table_init(struct ike_table *t, uint32_t cap)
{
	memset(t, 0, sizeof(*t));
	t->cap = cap ? cap : 1;
	uint32_t nb = 256;
	while (nb < 2 * t->cap && nb < (1u << 24))
		nb <<= 1;
	/* The buckets double as SAs come, up to what the cap needs (never more than half full). */
	t->nbuckets_max = nb;
	t->nbuckets = 256;
	t->bucket = xcalloc(t->nbuckets, sizeof(*t->bucket));
}

/* The first empty bucket for a key's hash (the table is never full). */
static uint32_t
ike_table_free_slot(const struct ike_table *t, uint64_t h)
{
	uint32_t mask = t->nbuckets - 1;
	uint32_t i = (uint32_t)h & mask;
	for (uint32_t probes = 0; probes < t->nbuckets && t->bucket[i]; probes++)
		i = (i + 1) & mask;
	return i;
}

/* Twice the buckets, every SA placed again. */
static void
ike_table_rehash(struct ike_table *t)
{
	free(t->bucket);
	t->nbuckets *= 2;
	t->bucket = xcalloc(t->nbuckets, sizeof(*t->bucket));
	for (uint32_t n = 0; n < t->n; n++) {
		const struct ike_sa *s = &t->sa[n];
		t->bucket[ike_table_free_slot(
		    t, ike_key_hash(s->version, s->spi_i, &s->lo, &s->hi))] = n + 1;
	}
}

void
ike_table_free(struct ike_table *t)
{
	for (uint32_t i = 0; i < t->n; i++) {
		free(t->sa[i].msgs);
		free(t->sa[i].fold);
		free(t->sa[i].offers);
	}
	free(t->sa);
	free(t->bucket);
	memset(t, 0, sizeof(*t));
}

/*
 * Takes SA idx out of the buckets: its bucket is emptied and the entries after
 * it in the probe run move back where their probe finds them (deletion by
 * backward shift).  Bounded by the run, at most nbuckets long.
 */
static void
ike_bucket_remove(struct ike_table *t, uint32_t idx)
{
	const struct ike_sa *s = &t->sa[idx];
	uint32_t m = t->nbuckets - 1;
	uint32_t at = (uint32_t)ike_key_hash(s->version, s->spi_i, &s->lo, &s->hi) & m;
	uint32_t n = 0;
	while (t->bucket[at] != idx + 1) {
		if (t->bucket[at] == 0 || ++n >= t->nbuckets)
			return; /* not in the buckets: nothing to take out */
		at = (at + 1) & m;
	}
	uint32_t hole = at;
	for (uint32_t j = (hole + 1) & m, k = 0; k < t->nbuckets && t->bucket[j] != 0;
	     j = (j + 1) & m, k++) {
		const struct ike_sa *o = &t->sa[t->bucket[j] - 1];
		uint32_t home = (uint32_t)ike_key_hash(o->version, o->spi_i, &o->lo, &o->hi) & m;
		/* j stays when its home lies cyclically in (hole, j]. */
		bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
		if (!stays) {
			t->bucket[hole] = t->bucket[j];
			hole = j;
		}
	}
	t->bucket[hole] = 0;
}

/*
 * The SA to evict for a new one: the next, from the hand on, that only one
 * peer has spoken in.  The hand moves past it, so the SA put in its place is
 * the last one looked at again: among one-sided SAs the oldest goes first.
 * UINT32_MAX when there is none; then there never will be (an SA only gains
 * sides, and no SA is added without an eviction), so the search is not
 * repeated.
 */
static uint32_t
ike_table_victim(struct ike_table *t)
{
	if (t->no_victim || t->n == 0)
		return UINT32_MAX;
	for (uint32_t k = 0; k < t->n; k++) {
		uint32_t j = t->hand;
		t->hand = j + 1 < t->n ? j + 1 : 0;
		const struct ike_sa *s = &t->sa[j];
		if (!(s->seen_i && s->seen_r))
			return j;
	}
	t->no_victim = true;
	return UINT32_MAX;
}

struct ike_sa *
ike_table_get(struct ike_table *t, uint8_t version, const uint8_t spi_i[8],
	      const struct ip_addr *src, const struct ip_addr *dst, bool *created)
{
	bool swap = ip_addr_cmp(src, dst) > 0;
	const struct ip_addr *lo = swap ? dst : src, *hi = swap ? src : dst;
	*created = false;
	/* Open addressing with linear probing; the table is never more than half full. */
	uint32_t mask = t->nbuckets - 1;
	uint64_t h = ike_key_hash(version, spi_i, lo, hi);
	uint32_t i = (uint32_t)h & mask;
	for (uint32_t probes = 0; probes < t->nbuckets; probes++, i = (i + 1) & mask) {
		uint32_t e = t->bucket[i];
		if (e == 0)
			break;
		struct ike_sa *s = &t->sa[e - 1];
		if (s->version == version && memcmp(s->spi_i, spi_i, 8) == 0 &&
		    ip_addr_eq(&s->lo, lo) && ip_addr_eq(&s->hi, hi))
			return s;
	}
	uint32_t idx;
	if (t->n >= t->cap) {
		idx = ike_table_victim(t);
		if (idx == UINT32_MAX) {
			t->overflow++;
			return NULL;
		}
		ike_bucket_remove(t, idx);
		free(t->sa[idx].msgs);
		free(t->sa[idx].fold);
		free(t->sa[idx].offers);
		t->evicted++;
		i = ike_table_free_slot(t, h);
	} else {
		if (2 * (t->n + 1) > t->nbuckets && t->nbuckets < t->nbuckets_max) {
			ike_table_rehash(t);
			i = ike_table_free_slot(t, h);
		}
		if (t->n == t->alloc) {
			t->alloc = t->alloc ? t->alloc * 2 : 64;
			if (t->alloc > t->cap)
				t->alloc = t->cap;
			t->sa = xrealloc(t->sa, t->alloc, sizeof(*t->sa));
		}
		idx = t->n++;
	}
	struct ike_sa *s = &t->sa[idx];
	memset(s, 0, sizeof(*s));
	s->version = version;
	memcpy(s->spi_i, spi_i, 8);
	s->lo = *lo;
	s->hi = *hi;
	t->bucket[i] = idx + 1;
	*created = true;
	return s;
}

void
ike_sa_add_evidence(uint64_t *frames, uint8_t *n, uint64_t frame)
{
	for (uint8_t i = 0; i < *n; i++)
		if (frames[i] == frame)
			return;
	if (*n < IKE_SA_EVIDENCE)
		frames[(*n)++] = frame;
}
