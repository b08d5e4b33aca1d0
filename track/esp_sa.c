/*
 * ESP SAs keyed by (SPI, source, destination, encapsulation): packets, bytes,
 * times, and sequence analysis with a 64-packet window as RFC 4303 §3.4.3
 * describes for anti-replay.  The pool is bounded; at the cap the least
 * recently seen SA is evicted and counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>

#include "track/track.h"

#define NONE UINT32_MAX

_Static_assert(sizeof(void *) != 8 || sizeof(struct esp_sa) == 128,
	       "the ESP SA record is two cache lines");

const struct esp_sa_ext esp_sa_ext_none;

/* Extensions are made this many at a time (struct esp_table.ext_chunks). */
#define ESP_EXT_CHUNK 1024

struct esp_ext_chunk {
	struct esp_ext_chunk *next;
	uint32_t used;
	struct esp_sa_ext rec[ESP_EXT_CHUNK];
};

struct esp_sa_ext *
esp_table_ext(struct esp_table *t, struct esp_sa *s)
{
	if (s->ext)
		return s->ext;
	struct esp_sa_ext *x = t->ext_free;
	if (x) {
		t->ext_free = x->next_free;
	} else {
		/* Every SA holds at most one, evicted SAs give theirs back: at most cap in all. */
		struct esp_ext_chunk *c = t->ext_chunks;
		if (c == NULL || c->used == ESP_EXT_CHUNK) {
			c = xcalloc(1, sizeof(*c));
			c->next = t->ext_chunks;
			t->ext_chunks = c;
		}
		x = &c->rec[c->used++];
	}
	memset(x, 0, sizeof(*x));
	s->ext = x;
	return x;
}

static uint64_t
esp_key_hash(uint32_t spi, const struct ip_addr *src, const struct ip_addr *dst, uint8_t encap)
{
	uint64_t h = hash_mix(0x6a09e667f3bcc908ULL, (uint64_t)spi << 8 | encap);
	/* Folded: hash_mix's low bits alone (the bucket index) cluster. */
	return hash_fold(ip_addr_hash(dst, ip_addr_hash(src, h)));
}

void
esp_table_init(struct esp_table *t, uint32_t cap)
{
	memset(t, 0, sizeof(*t));
	t->cap = cap ? cap : 1;
	/*
	 * The index grows with the pool (doubling, amortised) up to twice what
	 * the cap needs, so a short capture (or a fuzzer's input) does not pay for
	 * a table sized for a million SAs.
	 */
	uint32_t nb = 1024;
	while (nb < 2 * (uint64_t)t->cap && nb < (1u << 25))
		nb <<= 1;
	t->nslots_max = nb;
	t->nslots = 1024;
	t->slot = xcalloc(t->nslots, sizeof(*t->slot));
	t->lru_head = t->lru_tail = NONE;
	/*
	 * The pool's addresses are reserved for the whole cap at once (no memory
	 * until touched): it never moves, so growing costs no copy and no second
	 * zeroing of pages (at 200,000 SAs the copies of a doubling pool cost
	 * more than the packets).  Where the reservation fails it grows by
	 * doubling instead.
	 */
	size_t bytes = (size_t)t->cap * sizeof(*t->sa);
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p != MAP_FAILED) {
		madvise(p, bytes, MADV_HUGEPAGE);
		t->sa = p;
		t->alloc = t->cap;
		t->reserved = bytes;
	}
}

/* Twice the slots; every entry placed again from its hash (no SA is read). */
static void
esp_table_rehash(struct esp_table *t)
{
	uint32_t nb = t->nslots * 2;
	struct esp_slot *old = t->slot;
	uint32_t on = t->nslots;
	t->slot = xcalloc(nb, sizeof(*t->slot));
	t->nslots = nb;
	for (uint32_t i = 0; i < on; i++) {
		if (old[i].idx1 == 0)
			continue;
		/* At most half full: an empty slot comes within nb steps. */
		uint32_t j = old[i].h32 & (nb - 1);
		while (t->slot[j].idx1 != 0)
			j = (j + 1) & (nb - 1);
		t->slot[j] = old[i];
	}
	free(old);
}

void
esp_table_free(struct esp_table *t)
{
	if (t->reserved)
		munmap(t->sa, t->reserved);
	else
		free(t->sa);
	free(t->slot);
	free(t->lru);
	for (struct esp_ext_chunk *c = t->ext_chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	memset(t, 0, sizeof(*t));
}

/* t->lru holds two links per SA: [2i] the previous (more recent), [2i + 1] the next. */
static void
lru_unlink(struct esp_table *t, uint32_t i)
{
	uint32_t prev = t->lru[2 * i], next = t->lru[2 * i + 1];
	if (prev != NONE)
		t->lru[2 * prev + 1] = next;
	else
		t->lru_head = next;
	if (next != NONE)
		t->lru[2 * next] = prev;
	else
		t->lru_tail = prev;
}

static void
lru_push_front(struct esp_table *t, uint32_t i)
{
	t->lru[2 * i] = NONE;
	t->lru[2 * i + 1] = t->lru_head;
	if (t->lru_head != NONE)
		t->lru[2 * t->lru_head] = i;
	t->lru_head = i;
	if (t->lru_tail == NONE)
		t->lru_tail = i;
}

/*
 * Takes SA i out of the index: its slot is emptied and the entries after it
 * in the probe run move back where their probe would find them (deletion by
 * backward shift, no tombstones).  Bounded by the run, at most nslots long.
 */
static void
slot_remove(struct esp_table *t, uint32_t i)
{
	const struct esp_sa *s = &t->sa[i];
	uint32_t m = t->nslots - 1;
	uint32_t at = (uint32_t)esp_key_hash(s->spi, &s->src, &s->dst, s->encap) & m;
	uint32_t n = 0;
	while (t->slot[at].idx1 != i + 1 && n++ < t->nslots) {
		if (t->slot[at].idx1 == 0)
			return; /* not indexed: nothing to take out */
		at = (at + 1) & m;
	}
	if (n > t->nslots)
		return;
	uint32_t hole = at;
	for (uint32_t j = (hole + 1) & m, k = 0; k < t->nslots && t->slot[j].idx1 != 0;
	     j = (j + 1) & m, k++) {
		uint32_t home = t->slot[j].h32 & m;
		/* j stays when its home lies cyclically in (hole, j]. */
		bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
		if (!stays) {
			t->slot[hole] = t->slot[j];
			hole = j;
		}
	}
	t->slot[hole].idx1 = 0;
	t->slot[hole].h32 = 0;
}

/*
 * The LRU list exists only once the pool is full: before that nothing is
 * evicted, and the hot path keeps nothing for it.  When the first eviction is
 * due, the list is built once from the SAs' last frames (packets are
 * accounted in frame order, so that is the order of last packets) and kept
 * from then on.
 */
static int
esp_cmp_last(const void *a, const void *b)
{
	const struct esp_sa *x = *(const struct esp_sa *const *)a;
	const struct esp_sa *y = *(const struct esp_sa *const *)b;
	return x->last_frame < y->last_frame ? -1 : x->last_frame > y->last_frame;
}

static void
lru_build(struct esp_table *t)
{
	struct esp_sa **v = xcalloc(t->n ? t->n : 1, sizeof(*v));
	for (uint32_t i = 0; i < t->n; i++)
		v[i] = &t->sa[i];
	qsort(v, t->n, sizeof(*v), esp_cmp_last);
	t->lru = xcalloc(2 * (size_t)t->cap, sizeof(*t->lru));
	t->lru_head = t->lru_tail = NONE;
	for (uint32_t i = 0; i < t->n; i++)
		lru_push_front(t, (uint32_t)(v[i] - t->sa));
	free(v);
	t->lru_live = true;
}

/* A free slot: grow the pool (doubling, up to cap) or evict the least recently seen. */
static uint32_t
esp_table_slot(struct esp_table *t)
{
	if (t->n < t->cap) {
		if (t->n == t->alloc) {
			uint32_t na = t->alloc ? t->alloc * 2 : 64;
			if (na > t->cap)
				na = t->cap;
			t->sa = xrealloc(t->sa, na, sizeof(*t->sa));
			t->alloc = na;
		}
		return t->n++;
	}
	if (!t->lru_live)
		lru_build(t);
	uint32_t victim = t->lru_tail;
	lru_unlink(t, victim);
	slot_remove(t, victim);
	struct esp_sa_ext *x = t->sa[victim].ext;
	if (x) {
		x->next_free = t->ext_free;
		t->ext_free = x;
		t->sa[victim].ext = NULL;
	}
	t->evicted++;
	return victim;
}

/*
 * Sequence analysis against a 64-number window below the highest seen; the
 * counts of what is out of order go to the SA's extension, made at the first.
 */
static void
esp_seq(struct esp_table *t, struct esp_sa *s, uint32_t seq, uint64_t frame)
{
	if (s->packets == 1) {
		s->max_seq = seq;
		s->window = 1;
		return;
	}
	if (seq > s->max_seq) {
		uint32_t d = seq - s->max_seq;
		if (d > 1) {
			struct esp_sa_ext *x = esp_table_ext(t, s);
			if (x->seq_gaps == 0 && x->gap_frame == 0)
				x->gap_frame = frame;
			x->seq_gaps += d - 1;
		}
		s->window = d >= 64 ? 1 : (s->window << d) | 1;
		s->max_seq = seq;
		return;
	}
	uint32_t d = s->max_seq - seq;
	if (d < 64 && !(s->window & (1ULL << d))) {
		/* Late, but new: it fills a gap counted earlier. */
		struct esp_sa_ext *x = esp_table_ext(t, s);
		s->window |= 1ULL << d;
		x->reordered++;
		if (x->seq_gaps)
			x->seq_gaps--;
		return;
	}
	struct esp_sa_ext *x = esp_table_ext(t, s);
	if (x->replay_frame == 0)
		x->replay_frame = frame;
	x->replays++;
}

static struct esp_sa *
esp_account(struct esp_table *t, uint64_t h, uint32_t spi, const struct ip_addr *src,
	    const struct ip_addr *dst, uint8_t encap, uint16_t sport, uint16_t dport, uint32_t seq,
	    bool has_seq, uint32_t bytes, uint64_t ts, uint64_t frame)
{
	uint32_t h32 = (uint32_t)h, m = t->nslots - 1;
	uint32_t at = h32 & m, i = NONE;
	/* At most half full: an empty slot ends the probe within nslots steps. */
	for (uint32_t n = 0; n < t->nslots; n++, at = (at + 1) & m) {
		const struct esp_slot *sl = &t->slot[at];
		if (sl->idx1 == 0)
			break;
		if (sl->h32 != h32)
			continue;
		const struct esp_sa *c = &t->sa[sl->idx1 - 1];
		if (c->spi == spi && c->encap == encap && ip_addr_eq(&c->src, src) &&
		    ip_addr_eq(&c->dst, dst)) {
			i = sl->idx1 - 1;
			break;
		}
	}
	struct esp_sa *s;
	if (i == NONE) {
		/* At most half full: grow before the pool does. */
		if (t->n < t->cap && 2 * (uint64_t)(t->n + 1) > t->nslots &&
		    t->nslots < t->nslots_max)
			esp_table_rehash(t);
		i = esp_table_slot(t);
		s = &t->sa[i];
		memset(s, 0, sizeof(*s));
		s->used = true;
		s->spi = spi;
		s->encap = encap;
		s->sport = sport;
		s->dport = dport;
		s->src = *src;
		s->dst = *dst;
		s->first_ts = ts;
		s->first_frame = frame;
		/* The slot is found after any eviction (which moves entries back). */
		m = t->nslots - 1;
		at = h32 & m;
		for (uint32_t n = 0; n < t->nslots && t->slot[at].idx1 != 0; n++)
			at = (at + 1) & m;
		t->slot[at].h32 = h32;
		t->slot[at].idx1 = i + 1;
		if (t->lru_live)
			lru_push_front(t, i);
	} else {
		s = &t->sa[i];
		if (t->lru_live && t->lru_head != i) {
			lru_unlink(t, i);
			lru_push_front(t, i);
		}
		if (ts > s->last_ts && ts - s->last_ts > s->max_idle_usec)
			s->max_idle_usec = ts - s->last_ts;
	}
	t->tick++;
	s->packets++;
	s->bytes += bytes;
	s->last_ts = ts;
	s->last_frame = frame;
	if (has_seq)
		esp_seq(t, s, seq, frame);
	return s;
}

struct esp_sa *
esp_table_packet(struct esp_table *t, uint32_t spi, const struct ip_addr *src,
		 const struct ip_addr *dst, uint8_t encap, uint16_t sport, uint16_t dport,
		 uint32_t seq, bool has_seq, uint32_t bytes, uint64_t ts, uint64_t frame)
{
	esp_table_flush(t);
	return esp_account(t, esp_key_hash(spi, src, dst, encap), spi, src, dst, encap, sport,
			   dport, seq, has_seq, bytes, ts, frame);
}

void
esp_table_flush(struct esp_table *t)
{
	unsigned n = t->npending;
	t->npending = 0;
	/*
	 * The slots, then the SA the first slot of the right hash points to:
	 * fetched together for the batch, used after.
	 */
	uint32_t m = t->nslots - 1;
	for (unsigned i = 0; i < n; i++)
		__builtin_prefetch(&t->slot[(uint32_t)t->pending[i].hash & m]);
	for (unsigned i = 0; i < n; i++) {
		uint32_t h32 = (uint32_t)t->pending[i].hash;
		uint32_t at = h32 & m;
		for (unsigned k = 0; k < 4 && t->slot[at].idx1 != 0; k++, at = (at + 1) & m) {
			if (t->slot[at].h32 != h32)
				continue;
			/* the SA's two lines */
			const char *sa = (const char *)&t->sa[t->slot[at].idx1 - 1];
			__builtin_prefetch(sa);
			__builtin_prefetch(sa + 64);
			break;
		}
	}
	for (unsigned i = 0; i < n; i++) {
		const struct esp_pending *q = &t->pending[i];
		esp_account(t, q->hash, q->spi, &q->src, &q->dst, q->encap, q->sport, q->dport,
			    q->seq, q->has_seq, q->bytes, q->ts, q->frame);
	}
}

void
esp_table_queue(struct esp_table *t, uint32_t spi, const struct ip_addr *src,
		const struct ip_addr *dst, uint8_t encap, uint16_t sport, uint16_t dport,
		uint32_t seq, bool has_seq, uint32_t bytes, uint64_t ts, uint64_t frame)
{
	struct esp_pending *q = &t->pending[t->npending++];
	q->hash = esp_key_hash(spi, src, dst, encap);
	q->spi = spi;
	q->src = *src;
	q->dst = *dst;
	q->encap = encap;
	q->sport = sport;
	q->dport = dport;
	q->seq = seq;
	q->has_seq = has_seq;
	q->bytes = bytes;
	q->ts = ts;
	q->frame = frame;
	if (t->npending == ESP_BATCH)
		esp_table_flush(t);
}

static int
esp_cmp_first(const void *a, const void *b)
{
	const struct esp_sa *x = *(const struct esp_sa *const *)a;
	const struct esp_sa *y = *(const struct esp_sa *const *)b;
	return x->first_frame < y->first_frame ? -1 : x->first_frame > y->first_frame;
}

struct esp_sa **
esp_table_sorted(const struct esp_table *t, size_t *n)
{
	struct esp_sa **v = xcalloc(t->n ? t->n : 1, sizeof(*v));
	for (uint32_t i = 0; i < t->n; i++)
		v[i] = &t->sa[i];
	if (!esp_table_in_order(t))
		qsort(v, t->n, sizeof(*v), esp_cmp_first);
	*n = t->n;
	return v;
}
