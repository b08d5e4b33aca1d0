/*
 * IKE SAs seen, keyed by version, initiator SPI (IKEv1 initiator cookie) and
 * the unordered pair of peers.  Bounded: beyond the cap an SA is counted as
 * overflow instead of stored.
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
	if (t->n >= t->cap) {
		t->overflow++;
		return NULL;
	}
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
	struct ike_sa *s = &t->sa[t->n];
	memset(s, 0, sizeof(*s));
	s->version = version;
	memcpy(s->spi_i, spi_i, 8);
	s->lo = *lo;
	s->hi = *hi;
	t->bucket[i] = ++t->n;
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
