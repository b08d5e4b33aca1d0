/* The pairs of peers, for every rule family (diagnose/pairs.h). */
#include <stdlib.h>
#include <string.h>

#include "diagnose/pairs.h"

/* The slot of the pair (lo, hi): holding it, or empty where it would go. */
static uint32_t
pair_slot(const struct pair_index *x, const struct ip_addr *lo, const struct ip_addr *hi,
	  bool *found)
{
	uint32_t h = hash_fold(ip_addr_hash(hi, ip_addr_hash(lo, 0x3c6ef372fe94f82bULL)));
	uint32_t m = x->nslots - 1;
	/* At most half full: an empty slot ends every probe within nslots steps. */
	for (uint32_t i = h & m, n = 0; n < x->nslots; i = (i + 1) & m, n++) {
		if (x->slot[i] == 0) {
			*found = false;
			return i;
		}
		const struct ike_sa *sa = &x->ike->sa[x->first_ike[x->slot[i] - 1]];
		if (ip_addr_eq(&sa->lo, lo) && ip_addr_eq(&sa->hi, hi)) {
			*found = true;
			return i;
		}
	}
	*found = false;
	return 0;
}

/* The pair of (lo, hi), already ordered, or PAIR_NONE. */
static uint32_t
pair_of(const struct pair_index *x, const struct ip_addr *lo, const struct ip_addr *hi)
{
	bool found;
	uint32_t s = pair_slot(x, lo, hi, &found);
	return found ? x->slot[s] - 1 : PAIR_NONE;
}

/* Orders two peers as a pair's key (ike_sa lo, hi); true when a comes second: the direction hi to
 * lo. */
static bool
pair_order(const struct ip_addr *a, const struct ip_addr *b, const struct ip_addr **lo,
	   const struct ip_addr **hi)
{
	bool swap = ip_addr_cmp(a, b) > 0;
	*lo = swap ? b : a;
	*hi = swap ? a : b;
	return swap;
}

uint32_t
pair_find(const struct pair_index *x, const struct ip_addr *a, const struct ip_addr *b)
{
	const struct ip_addr *lo, *hi;
	pair_order(a, b, &lo, &hi);
	return pair_of(x, lo, hi);
}

/*
 * The ESP SAs of each pair, linked in order of first frames: the pool holds
 * them in that order unless SAs were evicted (esp_table_sorted then gives
 * it), and walking it backwards puts each at the head of its pair's list.
 * Consecutive SAs are often the two directions of one tunnel, so the last
 * pair found is tried first.
 */
static void
pair_index_esp(struct pair_index *x)
{
	const struct esp_table *e = x->esp;
	size_t n = e->n;
	struct esp_sa **es = esp_table_in_order(e) ? NULL : esp_table_sorted(e, &n);
	x->esp_next = xcalloc(n ? n : 1, sizeof(*x->esp_next));
	const struct ip_addr *plo = NULL, *phi = NULL;
	uint32_t pp = PAIR_NONE;
	for (size_t k = n; k-- > 0;) {
		const struct esp_sa *s = es ? es[k] : &e->sa[k];
		uint32_t i = (uint32_t)(s - e->sa);
		const struct ip_addr *lo, *hi;
		bool swap = pair_order(&s->src, &s->dst, &lo, &hi);
		uint32_t p;
		if (plo && ip_addr_eq(plo, lo) && ip_addr_eq(phi, hi)) {
			p = pp;
		} else {
			p = pair_of(x, lo, hi);
			plo = lo, phi = hi, pp = p;
		}
		x->esp_next[i] = PAIR_NONE;
		if (p == PAIR_NONE)
			continue;
		x->esp_next[i] = x->esp_head[p];
		x->esp_head[p] = i;
		int dir = swap ? 1 : 0;
		uint64_t *last = &x->dir_last[2 * (size_t)p + dir];
		if (!(x->dir_used[p] & (1u << dir)) || s->last_ts > *last)
			*last = s->last_ts;
		x->dir_used[p] |= (uint8_t)(1u << dir);
	}
	free(es);
}

void
pair_index_build(struct pair_index *x, const struct ike_table *t, const struct esp_table *e)
{
	memset(x, 0, sizeof(*x));
	x->ike = t;
	x->esp = e;
	x->nslots = 16;
	while (x->nslots < 2 * (size_t)t->n + 2)
		x->nslots <<= 1;
	x->slot = xcalloc(x->nslots, sizeof(*x->slot));
	size_t n = t->n ? t->n : 1;
	x->ike_pair = xcalloc(n, sizeof(*x->ike_pair));
	x->ike_next = xcalloc(n, sizeof(*x->ike_next));
	x->first_ike = xcalloc(n, sizeof(*x->first_ike));
	x->esp_head = xcalloc(n, sizeof(*x->esp_head));
	x->dir_last = xcalloc(2 * n, sizeof(*x->dir_last));
	x->dir_used = xcalloc(n, sizeof(*x->dir_used));
	uint32_t *last = xcalloc(n, sizeof(*last));
	for (uint32_t i = 0; i < t->n; i++) {
		const struct ike_sa *sa = &t->sa[i];
		bool found;
		uint32_t s = pair_slot(x, &sa->lo, &sa->hi, &found);
		uint32_t p;
		if (found) {
			p = x->slot[s] - 1;
			x->ike_next[last[p]] = i;
		} else {
			p = x->npairs++;
			x->first_ike[p] = i;
			x->esp_head[p] = PAIR_NONE;
			x->slot[s] = p + 1;
		}
		last[p] = i;
		x->ike_pair[i] = p;
		x->ike_next[i] = PAIR_NONE;
	}
	free(last);
	pair_index_esp(x);
}

void
pair_index_free(struct pair_index *x)
{
	free(x->ike_pair);
	free(x->ike_next);
	free(x->first_ike);
	free(x->esp_head);
	free(x->esp_next);
	free(x->dir_last);
	free(x->dir_used);
	free(x->slot);
	memset(x, 0, sizeof(*x));
}

bool
pair_esp_since(const struct pair_index *x, const struct ip_addr *src, const struct ip_addr *dst,
	       uint64_t after_ts)
{
	const struct ip_addr *lo, *hi;
	int dir = pair_order(src, dst, &lo, &hi) ? 1 : 0;
	uint32_t p = pair_of(x, lo, hi);
	return p != PAIR_NONE && (x->dir_used[p] & (1u << dir)) &&
	       x->dir_last[2 * (size_t)p + dir] >= after_ts;
}
