/*
 * IPv4 (RFC 791 §3.2, reassembly) and IPv6 (RFC 8200 §4.5) fragment reassembly.
 *
 * Datagrams in flight sit in a chained hash table keyed by (src, dst, id,
 * proto, family) and in a list sorted by the time of their first fragment,
 * which drives timeouts, eviction and the order of the end-of-input report.
 * Each datagram keeps a sorted array of disjoint received ranges; the bytes
 * first received win, and a later fragment that disagrees marks an overlap.
 */
#include "capture/reasm.h"

#include <stdlib.h>
#include <string.h>

#define REASM_MIN_BUCKETS 16
#define REASM_MAX_BUCKETS ((size_t)1 << 20)
#define REASM_MIN_BUF	  256

struct reasm_range {
	size_t start, end; /* [start, end) */
};

struct reasm_entry {
	struct reasm_entry *hnext;	 /* hash chain */
	struct reasm_entry *prev, *next; /* age list, by first_ts_usec */
	struct ip_addr src, dst;
	uint32_t id;
	uint8_t proto;
	uint8_t *buf;
	size_t cap;
	struct reasm_range *rg;
	size_t nrg, rgcap;
	size_t total, received;
	bool have_total, overlap, cut;
	size_t cut_at; /* first byte that the snaplen took away */
	uint64_t frames[REASM_MAX_FRAMES];
	size_t nframes;
	uint64_t first_ts_usec, last_ts_usec;
};

struct reasm {
	struct reasm_cfg cfg;
	reasm_drop_fn on_drop;
	void *ctx;
	struct reasm_entry **buckets;
	size_t nbuckets; /* a power of two */
	struct reasm_entry *oldest, *newest;
	size_t count;
	uint8_t *last_buf; /* data of the last completed datagram */
	struct reasm_stats stats;
};

static uint64_t
reasm_hash_key(const struct ip_addr *src, const struct ip_addr *dst, uint32_t id, uint8_t proto)
{
	uint64_t h = hash_mix(hash_mix(0xcbf29ce484222325ULL, id), proto);
	return ip_addr_hash(dst, ip_addr_hash(src, h));
}

static size_t
reasm_bucket_of(const struct reasm *r, const struct reasm_frag *f)
{
	return (size_t)reasm_hash_key(&f->src, &f->dst, f->id, f->proto) & (r->nbuckets - 1);
}

static bool
reasm_entry_matches(const struct reasm_entry *e, const struct reasm_frag *f)
{
	return e->id == f->id && e->proto == f->proto && ip_addr_eq(&e->src, &f->src) &&
	       ip_addr_eq(&e->dst, &f->dst);
}

static struct reasm_entry *
reasm_find_entry(const struct reasm *r, const struct reasm_frag *f)
{
	struct reasm_entry *e = r->buckets[reasm_bucket_of(r, f)];
	while (e != NULL && !reasm_entry_matches(e, f))
		e = e->hnext;
	return e;
}

static void
reasm_unlink_entry(struct reasm *r, struct reasm_entry *e)
{
	size_t b = (size_t)reasm_hash_key(&e->src, &e->dst, e->id, e->proto) & (r->nbuckets - 1);
	struct reasm_entry **pp = &r->buckets[b];
	while (*pp != NULL && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp == e)
		*pp = e->hnext;
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		r->oldest = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		r->newest = e->prev;
	r->count--;
}

static void
reasm_free_entry(struct reasm_entry *e)
{
	free(e->buf);
	free(e->rg);
	free(e);
}

static void
reasm_release_last(struct reasm *r)
{
	free(r->last_buf);
	r->last_buf = NULL;
}

static void
reasm_fill_datagram(const struct reasm_entry *e, enum reasm_outcome outcome,
		    struct reasm_datagram *d)
{
	size_t contig = 0;

	if (e->nrg > 0 && e->rg[0].start == 0)
		contig = e->rg[0].end;
	/* Bytes past a known end belong to an inconsistent fragment, not the datagram. */
	if (e->have_total && contig > e->total)
		contig = e->total;
	/* Bytes the snaplen took away were never seen: do not hand out the zeros. */
	if (e->cut && contig > e->cut_at)
		contig = e->cut_at;
	memset(d, 0, sizeof(*d));
	d->src = e->src;
	d->dst = e->dst;
	d->id = e->id;
	d->proto = e->proto;
	d->outcome = outcome;
	d->data = contig > 0 ? e->buf : NULL;
	d->len = contig;
	d->total = e->have_total ? e->total : 0;
	d->received = e->received;
	memcpy(d->frames, e->frames, sizeof(d->frames));
	d->nframes = e->nframes;
	d->first_ts_usec = e->first_ts_usec;
	d->last_ts_usec = e->last_ts_usec;
}

static void
reasm_count_outcome(struct reasm *r, enum reasm_outcome outcome)
{
	switch (outcome) {
	case REASM_COMPLETE:
		r->stats.complete++;
		break;
	case REASM_OVERLAP:
		r->stats.overlap++;
		break;
	case REASM_INCOMPLETE_END:
		r->stats.incomplete_end++;
		break;
	case REASM_INCOMPLETE_TIMEOUT:
		r->stats.timeout++;
		break;
	case REASM_EVICTED:
		r->stats.evicted++;
		break;
	case REASM_TOO_BIG:
		r->stats.too_big++;
		break;
	case REASM_CAPLEN:
		r->stats.caplen++;
		break;
	}
}

/* Reports an abandoned datagram; the caller still owns e. */
static void
reasm_report_drop(struct reasm *r, const struct reasm_entry *e, enum reasm_outcome outcome)
{
	struct reasm_datagram d;

	/* A datagram the snaplen cut could never have been rebuilt, whatever else happened. */
	if (e->cut)
		outcome = REASM_CAPLEN;
	reasm_fill_datagram(e, outcome, &d);
	reasm_count_outcome(r, outcome);
	if (r->on_drop != NULL)
		r->on_drop(r->ctx, &d);
}

static void
reasm_drop_entry(struct reasm *r, struct reasm_entry *e, enum reasm_outcome outcome)
{
	reasm_unlink_entry(r, e);
	reasm_report_drop(r, e, outcome);
	reasm_free_entry(e);
}

static void
reasm_expire_old(struct reasm *r, uint64_t now)
{
	/* The age list is sorted by first fragment, so the expired ones are at its head. */
	while (r->oldest != NULL && now > r->oldest->first_ts_usec &&
	       now - r->oldest->first_ts_usec > r->cfg.timeout_usec)
		reasm_drop_entry(r, r->oldest, REASM_INCOMPLETE_TIMEOUT);
}

static void
reasm_record_frame(struct reasm_entry *e, const struct reasm_frag *f)
{
	if (e->nframes < REASM_MAX_FRAMES)
		e->frames[e->nframes] = f->frame;
	e->nframes++;
	e->last_ts_usec = f->ts_usec;
}

static void
reasm_init_entry(struct reasm_entry *e, const struct reasm_frag *f)
{
	memset(e, 0, sizeof(*e));
	e->src = f->src;
	e->dst = f->dst;
	e->id = f->id;
	e->proto = f->proto;
	e->first_ts_usec = f->ts_usec;
}

static struct reasm_entry *
reasm_insert_entry(struct reasm *r, const struct reasm_frag *f)
{
	struct reasm_entry *e, *after;
	size_t b;

	/* The cap on datagrams in flight: the one waiting longest makes room. */
	while (r->count >= r->cfg.max_datagrams && r->oldest != NULL)
		reasm_drop_entry(r, r->oldest, REASM_EVICTED);
	e = xcalloc(1, sizeof(*e));
	reasm_init_entry(e, f);
	b = reasm_bucket_of(r, f);
	e->hnext = r->buckets[b];
	r->buckets[b] = e;
	/* Capture time is nearly monotonic: the place is almost always the tail. */
	after = r->newest;
	while (after != NULL && after->first_ts_usec > e->first_ts_usec)
		after = after->prev;
	e->prev = after;
	e->next = after != NULL ? after->next : r->oldest;
	if (e->next != NULL)
		e->next->prev = e;
	else
		r->newest = e;
	if (after != NULL)
		after->next = e;
	else
		r->oldest = e;
	r->count++;
	return e;
}

static void
reasm_grow_buf(struct reasm *r, struct reasm_entry *e, size_t need)
{
	size_t cap = e->cap ? e->cap : REASM_MIN_BUF;

	if (need <= e->cap)
		return;
	while (cap < need && cap <= r->cfg.max_bytes / 2)
		cap *= 2;
	/* Never past max_bytes; need itself was checked against it. */
	if (cap < need || cap > r->cfg.max_bytes)
		cap = r->cfg.max_bytes;
	if (cap < need)
		cap = need;
	e->buf = xrealloc(e->buf, cap, 1);
	/* Holes and snaplen-cut bytes read as zeros rather than stale heap. */
	memset(e->buf + e->cap, 0, cap - e->cap);
	e->cap = cap;
}

static void
reasm_reserve_range(struct reasm *r, struct reasm_entry *e)
{
	size_t cap;

	if (e->nrg < e->rgcap)
		return;
	cap = e->rgcap ? e->rgcap * 2 : 4;
	/* Every range holds at least one fragment, so max_fragments ranges are enough. */
	if (cap > r->cfg.max_fragments)
		cap = r->cfg.max_fragments;
	if (cap <= e->nrg)
		cap = e->nrg + 1;
	e->rg = xrealloc(e->rg, cap, sizeof(*e->rg));
	e->rgcap = cap;
}

/* Copies new bytes of [a, b) into a hole; only the captured part of the fragment has bytes. */
static void
reasm_fill_hole(struct reasm_entry *e, const struct reasm_frag *f, size_t s, size_t capend,
		size_t a, size_t b)
{
	size_t cb = b < capend ? b : capend;

	if (a < cb)
		memcpy(e->buf + a, f->data + (a - s), cb - a);
	e->received += b - a;
}

/* Bytes both received: the first copy stays; a difference is an overlap attack or a bug. */
static void
reasm_compare_overlap(struct reasm_entry *e, const struct reasm_frag *f, size_t s, size_t capend,
		      size_t a, size_t b)
{
	size_t cb = b < capend ? b : capend;

	if (a < cb && memcmp(e->buf + a, f->data + (a - s), cb - a) != 0)
		e->overlap = true;
}

static void
reasm_merge_range(struct reasm *r, struct reasm_entry *e, const struct reasm_frag *f, size_t s,
		  size_t end, size_t caplen)
{
	size_t capend = s + caplen, cursor = s, i = 0, j, lo = s, hi = end;

	while (i < e->nrg && e->rg[i].end < s)
		i++;
	for (j = i; j < e->nrg && e->rg[j].start <= end; j++) {
		size_t os = e->rg[j].start > s ? e->rg[j].start : s;
		size_t oe = e->rg[j].end < end ? e->rg[j].end : end;

		if (cursor < e->rg[j].start)
			reasm_fill_hole(e, f, s, capend, cursor, e->rg[j].start);
		if (os < oe)
			reasm_compare_overlap(e, f, s, capend, os, oe);
		if (e->rg[j].end > cursor)
			cursor = e->rg[j].end;
	}
	if (cursor < end)
		reasm_fill_hole(e, f, s, capend, cursor, end);
	if (j > i) {
		if (e->rg[i].start < lo)
			lo = e->rg[i].start;
		if (e->rg[j - 1].end > hi)
			hi = e->rg[j - 1].end;
		e->rg[i].start = lo;
		e->rg[i].end = hi;
		memmove(&e->rg[i + 1], &e->rg[j], (e->nrg - j) * sizeof(*e->rg));
		e->nrg -= j - i - 1;
		return;
	}
	reasm_reserve_range(r, e);
	memmove(&e->rg[i + 1], &e->rg[i], (e->nrg - i) * sizeof(*e->rg));
	e->rg[i].start = lo;
	e->rg[i].end = hi;
	e->nrg++;
}

static void
reasm_note_end(struct reasm_entry *e, const struct reasm_frag *f, size_t end)
{
	if (!f->more) {
		/* Two last fragments that disagree on the length: the sender is inconsistent. */
		if (e->have_total && e->total != end)
			e->overlap = true;
		/* Data already received past the end we are now told about. */
		if (!e->have_total && e->nrg > 0 && e->rg[e->nrg - 1].end > end)
			e->overlap = true;
		if (!e->have_total) {
			e->have_total = true;
			e->total = end;
		}
		return;
	}
	/* A middle fragment reaching past the last one. */
	if (e->have_total && end > e->total)
		e->overlap = true;
}

static bool
reasm_is_complete(const struct reasm_entry *e)
{
	if (!e->have_total)
		return false;
	if (e->total == 0)
		return true;
	return e->nrg > 0 && e->rg[0].start == 0 && e->rg[0].end >= e->total;
}

static bool
reasm_too_big(const struct reasm *r, const struct reasm_frag *f, size_t nframes)
{
	/* offset + len checked without overflow: len alone may already be absurd. */
	if (f->len > r->cfg.max_bytes || f->offset > r->cfg.max_bytes - f->len)
		return true;
	return nframes > r->cfg.max_fragments;
}

struct reasm *
reasm_new(const struct reasm_cfg *cfg, reasm_drop_fn on_drop, void *ctx)
{
	struct reasm *r = xcalloc(1, sizeof(*r));
	size_t n = REASM_MIN_BUCKETS;

	r->cfg = *cfg;
	/* A table that holds nothing could never reassemble anything. */
	if (r->cfg.max_datagrams == 0)
		r->cfg.max_datagrams = 1;
	if (r->cfg.max_fragments == 0)
		r->cfg.max_fragments = 1;
	while (n < REASM_MAX_BUCKETS && n / 2 < r->cfg.max_datagrams)
		n *= 2;
	r->nbuckets = n;
	r->buckets = xcalloc(n, sizeof(*r->buckets));
	r->on_drop = on_drop;
	r->ctx = ctx;
	return r;
}

void
reasm_free(struct reasm *r)
{
	struct reasm_entry *e, *next;

	if (r == NULL)
		return;
	for (e = r->oldest; e != NULL; e = next) {
		next = e->next;
		reasm_free_entry(e);
	}
	reasm_release_last(r);
	free(r->buckets);
	free(r);
}

bool
reasm_add(struct reasm *r, const struct reasm_frag *f, struct reasm_datagram *out)
{
	struct reasm_entry *e;
	size_t caplen = f->caplen, end;

	reasm_release_last(r);
	r->stats.fragments++;
	reasm_expire_old(r, f->ts_usec);
	/* The header promises caplen <= len; a caller that breaks it must not make us read more. */
	if (caplen > f->len)
		caplen = f->len;
	if (f->data == NULL)
		caplen = 0;
	e = reasm_find_entry(r, f);
	if (e == NULL && reasm_too_big(r, f, 1)) {
		/* Report a lone oversized fragment without evicting a datagram for it. */
		struct reasm_entry tmp;

		reasm_init_entry(&tmp, f);
		reasm_record_frame(&tmp, f);
		tmp.cut = caplen < f->len;
		reasm_report_drop(r, &tmp, REASM_TOO_BIG);
		return false;
	}
	if (e == NULL)
		e = reasm_insert_entry(r, f);
	reasm_record_frame(e, f);
	if (reasm_too_big(r, f, e->nframes)) {
		reasm_drop_entry(r, e, REASM_TOO_BIG);
		return false;
	}
	end = (size_t)f->offset + f->len;
	if (caplen < f->len) {
		size_t at = (size_t)f->offset + caplen;

		if (!e->cut || at < e->cut_at)
			e->cut_at = at;
		e->cut = true;
	}
	reasm_note_end(e, f, end);
	if (f->len > 0) {
		reasm_grow_buf(r, e, end);
		reasm_merge_range(r, e, f, f->offset, end, caplen);
	}
	if (!reasm_is_complete(e))
		return false;
	if (e->cut) {
		reasm_drop_entry(r, e, REASM_CAPLEN);
		return false;
	}
	reasm_unlink_entry(r, e);
	reasm_fill_datagram(e, e->overlap ? REASM_OVERLAP : REASM_COMPLETE, out);
	reasm_count_outcome(r, out->outcome);
	out->len = e->total;
	r->last_buf = e->buf;
	e->buf = NULL;
	out->data = r->last_buf;
	reasm_free_entry(e);
	return true;
}

void
reasm_finish(struct reasm *r)
{
	reasm_release_last(r);
	while (r->oldest != NULL)
		reasm_drop_entry(r, r->oldest, REASM_INCOMPLETE_END);
}

const struct reasm_stats *
reasm_get_stats(const struct reasm *r)
{
	return &r->stats;
}
