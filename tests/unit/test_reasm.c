/* Unit tests for capture/reasm.c: IPv4/IPv6 fragment reassembly and its bounds. */
#include "capture/reasm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n", __FILE__, __LINE__,       \
				__func__, #cond);                                                  \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

#define MAX_DROPS 64

/* A copy of what on_drop was handed: its data is only valid during the call. */
struct drop {
	struct reasm_datagram d;
	uint8_t data[4096];
};

struct drops {
	struct drop v[MAX_DROPS];
	size_t n;
};

static uint64_t rng_state;

static uint64_t
test_rand(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}

static void
test_on_drop(void *ctx, const struct reasm_datagram *d)
{
	struct drops *ds = ctx;

	if (ds->n >= MAX_DROPS) {
		fprintf(stderr, "too many drops\n");
		failures++;
		return;
	}
	ds->v[ds->n].d = *d;
	if (d->len > 0 && d->len <= sizeof(ds->v[ds->n].data))
		memcpy(ds->v[ds->n].data, d->data, d->len);
	ds->v[ds->n].d.data = ds->v[ds->n].data;
	ds->n++;
}

static struct ip_addr
test_v4(uint8_t last)
{
	struct ip_addr a = {.family = 4, .a = {192, 0, 2, last}};
	return a;
}

static struct ip_addr
test_v6(uint8_t last)
{
	struct ip_addr a = {.family = 6, .a = {0x20, 0x01, 0x0d, 0xb8, [15] = last}};
	return a;
}

static struct reasm_frag
test_frag(int family, uint32_t id, const uint8_t *payload, uint32_t off, size_t len, bool more,
	  uint64_t frame, uint64_t ts)
{
	struct reasm_frag f;

	memset(&f, 0, sizeof(f));
	f.src = family == 6 ? test_v6(1) : test_v4(1);
	f.dst = family == 6 ? test_v6(2) : test_v4(2);
	f.id = id;
	f.proto = 17;
	f.offset = off;
	f.more = more;
	f.data = payload + off;
	f.caplen = len;
	f.len = len;
	f.frame = frame;
	f.ts_usec = ts;
	return f;
}

static struct reasm_cfg
test_cfg(void)
{
	struct reasm_cfg c = {.max_datagrams = 1024,
			      .max_bytes = 65535,
			      .max_fragments = 64,
			      .timeout_usec = 30000000};
	return c;
}

static void
test_fill(uint8_t *p, size_t n, uint64_t seed)
{
	rng_state = seed;
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)test_rand();
}

/* Feeds the fragments of payload[0..3000) (1480-byte pieces) in the given order. */
static void
test_three_fragments(int family, const int order[3])
{
	static const uint32_t offs[3] = {0, 1480, 2960};
	static const size_t lens[3] = {1480, 1480, 40};
	uint8_t payload[3000];
	struct drops ds = {.n = 0};
	struct reasm_cfg cfg = test_cfg();
	struct reasm *r = reasm_new(&cfg, test_on_drop, &ds);
	struct reasm_datagram out;

	test_fill(payload, sizeof(payload), 42 + (uint64_t)family);
	for (int k = 0; k < 3; k++) {
		int i = order[k];
		struct reasm_frag f = test_frag(family, 7, payload, offs[i], lens[i], i != 2,
						(uint64_t)(100 + k), (uint64_t)(1000 * k));
		bool done = reasm_add(r, &f, &out);
		CHECK(done == (k == 2));
		if (!done)
			continue;
		CHECK(out.outcome == REASM_COMPLETE);
		CHECK(out.len == sizeof(payload));
		CHECK(out.total == sizeof(payload));
		CHECK(out.received == sizeof(payload));
		CHECK(out.nframes == 3);
		CHECK(out.frames[0] == 100 && out.frames[1] == 101 && out.frames[2] == 102);
		CHECK(out.first_ts_usec == 0 && out.last_ts_usec == 2000);
		CHECK(out.id == 7 && out.proto == 17 && out.src.family == family);
		CHECK(out.data != NULL && memcmp(out.data, payload, sizeof(payload)) == 0);
	}
	CHECK(ds.n == 0);
	CHECK(reasm_get_stats(r)->fragments == 3);
	CHECK(reasm_get_stats(r)->complete == 1);
	reasm_finish(r);
	CHECK(ds.n == 0);
	reasm_free(r);
}

static void
test_in_and_out_of_order(void)
{
	static const int inorder[3] = {0, 1, 2}, reversed[3] = {2, 1, 0}, mixed[3] = {1, 2, 0};

	test_three_fragments(4, inorder);
	test_three_fragments(4, reversed);
	test_three_fragments(4, mixed);
	test_three_fragments(6, inorder);
	test_three_fragments(6, reversed);
	test_three_fragments(6, mixed);
}

static void
test_duplicate(void)
{
	uint8_t payload[64];
	struct drops ds = {.n = 0};
	struct reasm_cfg cfg = test_cfg();
	struct reasm *r = reasm_new(&cfg, test_on_drop, &ds);
	struct reasm_datagram out;
	struct reasm_frag a = test_frag(4, 1, payload, 0, 32, true, 1, 0);
	struct reasm_frag b = test_frag(4, 1, payload, 32, 32, false, 3, 0);

	test_fill(payload, sizeof(payload), 3);
	CHECK(!reasm_add(r, &a, &out));
	CHECK(!reasm_add(r, &a, &out));
	CHECK(reasm_add(r, &b, &out));
	CHECK(out.outcome == REASM_COMPLETE);
	CHECK(out.len == 64 && memcmp(out.data, payload, 64) == 0);
	CHECK(out.received == 64 && out.nframes == 3);
	reasm_free(r);
	CHECK(ds.n == 0);
}

static void
test_overlap(void)
{
	uint8_t payload[32], other[32];
	struct drops ds = {.n = 0};
	struct reasm_cfg cfg = test_cfg();
	struct reasm *r = reasm_new(&cfg, test_on_drop, &ds);
	struct reasm_datagram out;
	struct reasm_frag a = test_frag(4, 9, payload, 0, 16, true, 1, 0);
	struct reasm_frag b = test_frag(4, 9, other, 8, 16, true, 2, 0);
	struct reasm_frag c = test_frag(4, 9, payload, 24, 8, false, 3, 0);

	test_fill(payload, sizeof(payload), 5);
	memcpy(other, payload, sizeof(other));
	other[12] ^= 0xff;
	other[20] ^= 0xff;
	CHECK(!reasm_add(r, &a, &out));
	CHECK(!reasm_add(r, &b, &out));
	CHECK(reasm_add(r, &c, &out));
	CHECK(out.outcome == REASM_OVERLAP);
	CHECK(out.len == 32);
	/* The first copy of the overlapping bytes is kept; the hole is filled from the newcomer. */
	CHECK(memcmp(out.data, payload, 16) == 0);
	CHECK(memcmp(out.data + 16, other + 16, 8) == 0);
	CHECK(out.received == 32);
	CHECK(reasm_get_stats(r)->overlap == 1 && reasm_get_stats(r)->complete == 0);

	/* A second last fragment with a different end is inconsistent too. */
	a.id = c.id = 10;
	struct reasm_frag c2 = test_frag(4, 10, payload, 16, 8, false, 4, 0);
	CHECK(!reasm_add(r, &c, &out));
	CHECK(!reasm_add(r, &c2, &out));
	CHECK(reasm_add(r, &a, &out));
	CHECK(out.outcome == REASM_OVERLAP && out.len == 32 && out.total == 32);
	CHECK(memcmp(out.data, payload, 32) == 0);
	reasm_free(r);
	CHECK(ds.n == 0);
}

static void
test_missing_middle(void)
{
	uint8_t payload[24];
	struct drops ds = {.n = 0};
	struct reasm_cfg cfg = test_cfg();
	struct reasm *r = reasm_new(&cfg, test_on_drop, &ds);
	struct reasm_datagram out;
	struct reasm_frag a = test_frag(6, 77, payload, 0, 8, true, 10, 700);
	struct reasm_frag c = test_frag(6, 77, payload, 16, 8, false, 12, 500);
	struct reasm_frag other = test_frag(4, 78, payload, 8, 8, true, 13, 800);

	test_fill(payload, sizeof(payload), 11);
	CHECK(!reasm_add(r, &c, &out));
	CHECK(!reasm_add(r, &a, &out));
	CHECK(!reasm_add(r, &other, &out));
	CHECK(ds.n == 0);
	reasm_finish(r);
	CHECK(ds.n == 2);
	if (ds.n == 2) {
		const struct reasm_datagram *d = &ds.v[0].d;
		CHECK(d->outcome == REASM_INCOMPLETE_END);
		CHECK(d->id == 77 && d->src.family == 6);
		CHECK(d->nframes == 2 && d->frames[0] == 12 && d->frames[1] == 10);
		CHECK(d->received == 16);
		CHECK(d->len == 8 && memcmp(d->data, payload, 8) == 0);
		CHECK(d->total == 24);
		CHECK(d->first_ts_usec == 500 && d->last_ts_usec == 700);
		/* No first fragment: nothing contiguous from offset 0. */
		d = &ds.v[1].d;
		CHECK(d->outcome == REASM_INCOMPLETE_END && d->id == 78);
		CHECK(d->len == 0 && d->received == 8 && d->total == 0 && d->nframes == 1);
	}
	CHECK(reasm_get_stats(r)->incomplete_end == 2);
	/* The table is empty: a second finish reports nothing. */
	reasm_finish(r);
	CHECK(ds.n == 2);
	reasm_free(r);
}

static void
test_timeout(void)
{
	uint8_t payload[16];
	struct drops ds = {.n = 0};
	struct reasm_cfg cfg = test_cfg();
	struct reasm *r;
	struct reasm_datagram out;

	cfg.timeout_usec = 1000000;
	r = reasm_new(&cfg, test_on_drop, &ds);
	test_fill(payload, sizeof(payload), 13);
	struct reasm_frag a = test_frag(4, 1, payload, 0, 8, true, 1, 5000000);
	struct reasm_frag b = test_frag(4, 2, payload, 0, 8, true, 2, 6000000);
	struct reasm_frag c = test_frag(4, 3, payload, 0, 8, true, 3, 6000001);
	struct reasm_frag a2 = test_frag(4, 1, payload, 8, 8, false, 4, 6000001);
	CHECK(!reasm_add(r, &a, &out));
	/* Exactly the timeout later: not yet expired. */
	CHECK(!reasm_add(r, &b, &out));
	CHECK(ds.n == 0);
	CHECK(!reasm_add(r, &c, &out));
	CHECK(ds.n == 1);
	if (ds.n == 1) {
		CHECK(ds.v[0].d.outcome == REASM_INCOMPLETE_TIMEOUT);
		CHECK(ds.v[0].d.id == 1 && ds.v[0].d.len == 8);
		CHECK(memcmp(ds.v[0].d.data, payload, 8) == 0);
	}
	/* The rest of a timed-out datagram starts a new one, which stays incomplete. */
	CHECK(!reasm_add(r, &a2, &out));
	CHECK(reasm_get_stats(r)->timeout == 1);
	reasm_finish(r);
	CHECK(ds.n == 4);
	CHECK(reasm_get_stats(r)->incomplete_end == 3);
	reasm_free(r);
}

static void
test_evict(void)
{
	uint8_t payload[16];
	struct drops ds = {.n = 0};
	struct reasm_cfg cfg = test_cfg();
	struct reasm *r;
	struct reasm_datagram out;

	cfg.max_datagrams = 2;
	r = reasm_new(&cfg, test_on_drop, &ds);
	test_fill(payload, sizeof(payload), 17);
	for (uint32_t id = 1; id <= 3; id++) {
		struct reasm_frag f = test_frag(4, id, payload, 0, 8, true, id, id);
		CHECK(!reasm_add(r, &f, &out));
	}
	CHECK(ds.n == 1);
	if (ds.n == 1)
		CHECK(ds.v[0].d.outcome == REASM_EVICTED && ds.v[0].d.id == 1);
	for (uint32_t id = 2; id <= 3; id++) {
		struct reasm_frag f = test_frag(4, id, payload, 8, 8, false, 10 + id, 10 + id);
		CHECK(reasm_add(r, &f, &out));
		CHECK(out.outcome == REASM_COMPLETE && out.id == id && out.len == 16);
		CHECK(memcmp(out.data, payload, 16) == 0);
	}
	CHECK(reasm_get_stats(r)->evicted == 1 && reasm_get_stats(r)->complete == 2);
	reasm_free(r);
}

static void
test_too_big(void)
{
	uint8_t payload[2048];
	struct drops ds = {.n = 0};
	struct reasm_cfg cfg = test_cfg();
	struct reasm *r;
	struct reasm_datagram out;

	cfg.max_bytes = 1000;
	cfg.max_fragments = 4;
	r = reasm_new(&cfg, test_on_drop, &ds);
	test_fill(payload, sizeof(payload), 19);

	/* A lone oversized fragment. */
	struct reasm_frag f = test_frag(4, 1, payload, 992, 16, false, 1, 0);
	CHECK(!reasm_add(r, &f, &out));
	CHECK(ds.n == 1 && ds.v[0].d.outcome == REASM_TOO_BIG && ds.v[0].d.nframes == 1);

	/* A datagram that grows past max_bytes. */
	f = test_frag(4, 2, payload, 0, 8, true, 2, 0);
	CHECK(!reasm_add(r, &f, &out));
	f = test_frag(4, 2, payload, 1000, 8, false, 3, 0);
	CHECK(!reasm_add(r, &f, &out));
	CHECK(ds.n == 2);
	if (ds.n == 2) {
		CHECK(ds.v[1].d.outcome == REASM_TOO_BIG && ds.v[1].d.id == 2);
		CHECK(ds.v[1].d.nframes == 2 && ds.v[1].d.frames[1] == 3 && ds.v[1].d.len == 8);
	}

	/* Exactly max_bytes is fine. */
	f = test_frag(4, 3, payload, 0, 1000, false, 4, 0);
	CHECK(reasm_add(r, &f, &out) && out.len == 1000);
	CHECK(memcmp(out.data, payload, 1000) == 0);

	/* Too many fragments. */
	for (uint32_t i = 0; i < 5; i++) {
		f = test_frag(4, 4, payload, i * 8, 8, true, 10 + i, 0);
		CHECK(!reasm_add(r, &f, &out));
	}
	CHECK(ds.n == 3 && ds.v[2].d.outcome == REASM_TOO_BIG && ds.v[2].d.nframes == 5);
	CHECK(reasm_get_stats(r)->too_big == 3);
	reasm_finish(r);
	CHECK(ds.n == 3);
	reasm_free(r);
}

static void
test_caplen(void)
{
	uint8_t payload[32];
	struct drops ds = {.n = 0};
	struct reasm_cfg cfg = test_cfg();
	struct reasm *r = reasm_new(&cfg, test_on_drop, &ds);
	struct reasm_datagram out;
	struct reasm_frag a = test_frag(4, 5, payload, 0, 16, true, 1, 0);
	struct reasm_frag b = test_frag(4, 5, payload, 16, 16, false, 2, 0);

	test_fill(payload, sizeof(payload), 23);
	a.caplen = 10;
	CHECK(!reasm_add(r, &a, &out));
	CHECK(!reasm_add(r, &b, &out));
	CHECK(ds.n == 1);
	if (ds.n == 1) {
		CHECK(ds.v[0].d.outcome == REASM_CAPLEN);
		CHECK(ds.v[0].d.nframes == 2 && ds.v[0].d.total == 32);
		CHECK(ds.v[0].d.len == 10 && memcmp(ds.v[0].d.data, payload, 10) == 0);
	}
	/* Cut and then abandoned: still the snaplen's fault. */
	a.id = 6;
	CHECK(!reasm_add(r, &a, &out));
	reasm_finish(r);
	CHECK(ds.n == 2 && ds.v[1].d.outcome == REASM_CAPLEN);
	CHECK(reasm_get_stats(r)->caplen == 2 && reasm_get_stats(r)->complete == 0);
	reasm_free(r);
}

static void
test_offset_overflow(void)
{
	uint8_t payload[64];
	struct drops ds = {.n = 0};
	struct reasm_cfg cfg = test_cfg();
	struct reasm *r = reasm_new(&cfg, test_on_drop, &ds);
	struct reasm_datagram out;
	struct reasm_frag f = test_frag(4, 1, payload, 0, 16, false, 1, 0);

	test_fill(payload, sizeof(payload), 29);
	f.offset = UINT32_MAX - 3;
	f.len = 16;
	CHECK(!reasm_add(r, &f, &out));
	f.offset = 8;
	f.len = SIZE_MAX;
	f.caplen = 16;
	CHECK(!reasm_add(r, &f, &out));
	f.offset = UINT32_MAX;
	f.len = SIZE_MAX - UINT32_MAX + 1;
	CHECK(!reasm_add(r, &f, &out));
	CHECK(ds.n == 3);
	for (size_t i = 0; i < ds.n; i++)
		CHECK(ds.v[i].d.outcome == REASM_TOO_BIG || ds.v[i].d.outcome == REASM_CAPLEN);
	CHECK(reasm_get_stats(r)->too_big + reasm_get_stats(r)->caplen == 3);
	reasm_free(r);
}

/* ---- randomized: clean run with an exact model ---- */

#define RND_DGRAMS 4096
#define RND_FRAGS  16384

struct rnd_frag {
	uint32_t dg, off;
	size_t len;
	bool more;
	int times; /* copies fed: 0 (lost), 1 or 2 */
};

struct rnd_dgram {
	size_t size;
	size_t fed, dropped, last;
	int reports;
	enum reasm_outcome outcome;
};

static struct rnd_dgram rnd_dg[RND_DGRAMS];
static struct rnd_frag rnd_fr[RND_FRAGS];
static uint8_t rnd_payload[8192];

static void
rnd_on_drop(void *ctx, const struct reasm_datagram *d)
{
	(void)ctx;
	/* Touch every byte handed out so that ASan checks the window. */
	volatile uint8_t sink = 0;
	for (size_t i = 0; i < d->len; i++)
		sink ^= d->data[i];
	(void)sink;
	if (d->id >= RND_DGRAMS) {
		failures++;
		fprintf(stderr, "random: drop of unknown id %u\n", (unsigned)d->id);
		return;
	}
	rnd_dg[d->id].reports++;
	rnd_dg[d->id].outcome = d->outcome;
}

static const uint8_t *
rnd_bytes_of(uint32_t dg)
{
	return rnd_payload + (dg * 13) % 4096;
}

static void
test_random_clean(void)
{
	struct reasm_cfg cfg = test_cfg();
	struct reasm *r;
	struct reasm_datagram out;
	size_t nfr = 0, ndg = 0, completes = 0, drops_expected = 0, started = 0;

	cfg.max_datagrams = 4096;
	cfg.timeout_usec = UINT64_MAX;
	r = reasm_new(&cfg, rnd_on_drop, NULL);
	test_fill(rnd_payload, sizeof(rnd_payload), 0x1234);
	rng_state = 0x9e3779b97f4a7c15ULL;
	memset(rnd_dg, 0, sizeof(rnd_dg));
	while (nfr < 10000 && ndg < RND_DGRAMS) {
		size_t size = 1 + test_rand() % 4000, off = 0;
		rnd_dg[ndg].size = size;
		while (off < size && nfr < RND_FRAGS) {
			size_t len = 8 * (1 + test_rand() % 185);
			if (off + len >= size)
				len = size - off;
			rnd_fr[nfr].dg = (uint32_t)ndg;
			rnd_fr[nfr].off = (uint32_t)off;
			rnd_fr[nfr].len = len;
			rnd_fr[nfr].more = off + len < size;
			nfr++;
			off += len;
		}
		ndg++;
	}
	/* Local disorder: each fragment swaps with one up to 63 places later. */
	for (size_t i = 0; i < nfr; i++) {
		size_t j = i + test_rand() % 64;
		if (j < nfr) {
			struct rnd_frag t = rnd_fr[i];
			rnd_fr[i] = rnd_fr[j];
			rnd_fr[j] = t;
		}
	}
	for (size_t i = 0; i < nfr; i++) {
		uint64_t dice = test_rand() % 100;
		rnd_fr[i].times = dice < 2 ? 0 : dice < 4 ? 2 : 1;
		if (rnd_fr[i].times == 0)
			rnd_dg[rnd_fr[i].dg].dropped++;
		else
			rnd_dg[rnd_fr[i].dg].last = i;
	}
	for (size_t i = 0; i < nfr; i++) {
		struct rnd_frag *q = &rnd_fr[i];
		/* A copy after the completing fragment would rightly start a new datagram. */
		if (rnd_dg[q->dg].last == i && rnd_dg[q->dg].dropped == 0)
			q->times = 1;
		for (int t = 0; t < q->times; t++) {
			int fam = q->dg % 3 == 0 ? 6 : 4;
			struct reasm_frag f = test_frag(fam, q->dg, rnd_bytes_of(q->dg), q->off,
							q->len, q->more, i + 1, i * 10);
			rnd_dg[q->dg].fed++;
			if (!reasm_add(r, &f, &out))
				continue;
			completes++;
			CHECK(out.id == q->dg && out.len == rnd_dg[q->dg].size);
			CHECK(out.outcome == REASM_COMPLETE);
			CHECK(memcmp(out.data, rnd_bytes_of(q->dg), out.len) == 0);
			rnd_dg[q->dg].reports++;
			rnd_dg[q->dg].outcome = out.outcome;
		}
	}
	reasm_finish(r);
	for (size_t i = 0; i < ndg; i++) {
		if (rnd_dg[i].fed == 0)
			continue;
		started++;
		CHECK(rnd_dg[i].reports == 1);
		if (rnd_dg[i].dropped > 0) {
			drops_expected++;
			CHECK(rnd_dg[i].outcome == REASM_INCOMPLETE_END);
		} else {
			CHECK(rnd_dg[i].outcome == REASM_COMPLETE);
		}
	}
	const struct reasm_stats *st = reasm_get_stats(r);
	CHECK(completes + drops_expected == started);
	CHECK(st->complete == completes && st->incomplete_end == drops_expected);
	CHECK(st->overlap + st->timeout + st->evicted + st->too_big + st->caplen == 0);
	CHECK(nfr >= 10000);
	reasm_free(r);
}

/* ---- randomized: hostile input under tight limits, counted only ---- */

static size_t hostile_drops;

static void
hostile_on_drop(void *ctx, const struct reasm_datagram *d)
{
	volatile uint8_t sink = 0;

	(void)ctx;
	for (size_t i = 0; i < d->len; i++)
		sink ^= d->data[i];
	(void)sink;
	hostile_drops++;
	if (d->len > 4000 || (d->total != 0 && d->len > d->total))
		failures++;
}

static void
test_random_hostile(void)
{
	struct reasm_cfg cfg = {
	    .max_datagrams = 32, .max_bytes = 4000, .max_fragments = 8, .timeout_usec = 5000};
	struct reasm *r = reasm_new(&cfg, hostile_on_drop, NULL);
	struct reasm_datagram out;
	size_t completes = 0;
	uint64_t ts = 1000000;

	rng_state = 0xdeadbeefcafef00dULL;
	hostile_drops = 0;
	for (size_t i = 0; i < 10000; i++) {
		struct reasm_frag f;
		uint64_t dice = test_rand();
		size_t len = test_rand() % 1500;

		/* Mostly forward, sometimes backwards, now and then a long silence. */
		if (dice % 10 == 0)
			ts -= test_rand() % 3000;
		else if (dice % 50 == 1)
			ts += 20000;
		else
			ts += test_rand() % 100;
		f = test_frag(test_rand() % 2 ? 4 : 6, (uint32_t)(test_rand() % 64), rnd_payload,
			      (uint32_t)(8 * (test_rand() % 500)), len, test_rand() % 4 != 0, i + 1,
			      ts);
		f.data = rnd_payload + test_rand() % 4096;
		if (dice % 97 == 0)
			f.offset = (uint32_t)test_rand();
		if (dice % 89 == 0)
			f.len = SIZE_MAX - test_rand() % 4096;
		if (dice % 31 == 0)
			f.caplen = len / 2;
		if (dice % 13 == 0)
			f.offset = 0;
		if (!reasm_add(r, &f, &out))
			continue;
		completes++;
		CHECK(out.outcome == REASM_COMPLETE || out.outcome == REASM_OVERLAP);
		CHECK(out.len == out.total && out.len <= 4000);
		volatile uint8_t sink = 0;
		for (size_t k = 0; k < out.len; k++)
			sink ^= out.data[k];
		(void)sink;
	}
	reasm_finish(r);
	const struct reasm_stats *st = reasm_get_stats(r);
	CHECK(st->fragments == 10000);
	CHECK(st->complete + st->overlap == completes);
	CHECK(st->incomplete_end + st->timeout + st->evicted + st->too_big + st->caplen ==
	      hostile_drops);
	CHECK(completes > 0 && st->timeout > 0 && st->evicted > 0 && st->too_big > 0);
	reasm_finish(r);
	reasm_free(r);
}

static void
test_no_callback(void)
{
	uint8_t payload[16] = {0};
	struct reasm_cfg cfg = test_cfg();
	struct reasm *r = reasm_new(&cfg, NULL, NULL);
	struct reasm_datagram out;
	struct reasm_frag f = test_frag(4, 1, payload, 0, 8, true, 1, 0);

	CHECK(!reasm_add(r, &f, &out));
	reasm_finish(r);
	CHECK(reasm_get_stats(r)->incomplete_end == 1);
	reasm_free(r);
	reasm_free(NULL);
}

int
main(void)
{
	test_in_and_out_of_order();
	test_duplicate();
	test_overlap();
	test_missing_middle();
	test_timeout();
	test_evict();
	test_too_big();
	test_caplen();
	test_offset_overflow();
	test_random_clean();
	test_random_hostile();
	test_no_callback();
	if (failures != 0) {
		fprintf(stderr, "test_reasm: %d check(s) failed\n", failures);
		return 1;
	}
	printf("test_reasm: ok\n");
	return 0;
}
