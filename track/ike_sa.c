/*
 * IKE SAs seen, keyed by version, initiator SPI (IKEv1 initiator cookie) and
 * the unordered pair of peers.  Bounded: beyond the cap an SA is counted as
 * overflow instead of stored.
 */
#include <stdlib.h>
#include <string.h>

#include "track/track.h"

static uint64_t
ike_key_hash(const struct ike_sa_key *k)
{
	uint64_t w;
	memcpy(&w, k->spi_i, 8);
	uint64_t h = hash_mix(hash_mix(0xbb67ae8584caa73bULL, w), k->version);
	return ip_addr_hash(&k->hi, ip_addr_hash(&k->lo, h));
}

void
ike_table_init(struct ike_table *t, uint32_t cap)
{
	memset(t, 0, sizeof(*t));
	t->cap = cap ? cap : 1;
	uint32_t nb = 256;
	while (nb < 2 * t->cap && nb < (1u << 24))
		nb <<= 1;
	t->nbuckets = nb;
	t->bucket = xcalloc(nb, sizeof(*t->bucket));
}

void
ike_table_free(struct ike_table *t)
{
	free(t->keys);
	free(t->bucket);
	memset(t, 0, sizeof(*t));
}

static bool
ike_key_eq(const struct ike_sa_key *x, const struct ike_sa_key *y)
{
	return x->version == y->version && memcmp(x->spi_i, y->spi_i, 8) == 0 &&
	       ip_addr_eq(&x->lo, &y->lo) && ip_addr_eq(&x->hi, &y->hi);
}

bool
ike_table_see(struct ike_table *t, uint8_t version, const uint8_t spi_i[8], const struct ip_addr *a,
	      const struct ip_addr *b)
{
	struct ike_sa_key k;
	memset(&k, 0, sizeof(k));
	k.version = version;
	memcpy(k.spi_i, spi_i, 8);
	bool swap = ip_addr_cmp(a, b) > 0;
	k.lo = swap ? *b : *a;
	k.hi = swap ? *a : *b;
	/* Open addressing with linear probing; the table is never more than half full. */
	uint32_t mask = t->nbuckets - 1;
	uint32_t i = (uint32_t)ike_key_hash(&k) & mask;
	for (uint32_t probes = 0; probes < t->nbuckets; probes++, i = (i + 1) & mask) {
		uint32_t e = t->bucket[i];
		if (e == 0)
			break;
		if (ike_key_eq(&t->keys[e - 1], &k))
			return false;
	}
	if (t->n >= t->cap) {
		t->overflow++;
		return true;
	}
	if (t->n == t->alloc) {
		t->alloc = t->alloc ? t->alloc * 2 : 64;
		if (t->alloc > t->cap)
			t->alloc = t->cap;
		t->keys = xrealloc(t->keys, t->alloc, sizeof(*t->keys));
	}
	t->keys[t->n] = k;
	t->bucket[i] = ++t->n;
	return true;
}
