/*
 * Unit tests for the pair index of the diagnosis (diagnose/pairs.c): the IKE
 * SAs of a pair of peers in table order, its ESP SAs in order of first frames
 * (also when evictions have reordered the ESP pool), the last ESP time each
 * way, and ESP SAs between peers with no IKE SA belonging to no pair.
 */
#include <stdlib.h>
#include <string.h>

#include "diagnose/pairs.h"
#include "tests/unit/addr.h"
#include "tests/unit/check.h"

static struct ip_addr A, B, C, D, E, F;

static void
ike(struct ike_table *t, uint8_t n, const struct ip_addr *i, const struct ip_addr *r)
{
	uint8_t spi[8] = {0x11, 0x22, 0, 0, 0, 0, 0, n};
	bool created;
	struct ike_sa *s = ike_table_get(t, 2, spi, i, r, &created);
	CHECK(s != NULL && created);
}

static void
esp(struct esp_table *t, uint32_t spi, const struct ip_addr *src, const struct ip_addr *dst,
    uint64_t frame)
{
	esp_table_packet(t, spi, src, dst, ENCAP_ESP, 0, 0, 1, true, 100, frame * 100, frame);
}

/* The SPIs of pair p's ESP SAs, in list order, into out (at most 8); their count. */
static unsigned
spis(const struct pair_index *x, uint32_t p, uint32_t out[8])
{
	unsigned n = 0;
	for (const struct esp_sa *e = pair_esp_first(x, p); e && n < 8; e = pair_esp_next(x, e))
		out[n++] = e->spi;
	return n;
}

static void
run(uint32_t cap)
{
	struct ike_table it;
	struct esp_table et;
	ike_table_init(&it, 16);
	esp_table_init(&et, cap);
	ike(&it, 1, &A, &B);
	ike(&it, 2, &C, &D);
	ike(&it, 3, &B, &A); /* the same pair as the first, the other way */
	esp(&et, 1, &A, &B, 1);
	esp(&et, 2, &B, &A, 2);
	esp(&et, 3, &C, &D, 3);
	esp(&et, 4, &E, &F, 4); /* no IKE SA between E and F */
	esp(&et, 2, &B, &A, 5);
	esp(&et, 3, &C, &D, 6);
	esp(&et, 4, &E, &F, 7);
	/* With a cap of 4, SPI 1 (last seen at frame 1) makes room: SPI 5 takes its place. */
	esp(&et, 5, &A, &B, 8);
	CHECK(esp_table_in_order(&et) == (cap > 4));

	struct pair_index x;
	pair_index_build(&x, &it, &et);
	CHECK(x.npairs == 2);
	uint32_t ab = pair_find(&x, &A, &B), cd = pair_find(&x, &D, &C);
	CHECK(ab == pair_find(&x, &B, &A) && ab == x.ike_pair[0] && ab == x.ike_pair[2]);
	CHECK(cd != PAIR_NONE && cd != ab && cd == x.ike_pair[1]);
	CHECK(pair_find(&x, &E, &F) == PAIR_NONE);
	CHECK(pair_first_ike(&x, 0) && pair_first_ike(&x, 1) && !pair_first_ike(&x, 2));
	CHECK(x.ike_next[0] == 2 && x.ike_next[2] == PAIR_NONE && x.ike_next[1] == PAIR_NONE);

	uint32_t s[8];
	unsigned n = spis(&x, ab, s);
	if (cap > 4) {
		CHECK(n == 3 && s[0] == 1 && s[1] == 2 && s[2] == 5);
	} else {
		/* The pool holds SPI 5 before SPI 2; the pair's list is in order of first frames.
		 */
		CHECK(et.sa[0].spi == 5 && et.sa[1].spi == 2);
		CHECK(n == 2 && s[0] == 2 && s[1] == 5);
	}
	CHECK(spis(&x, cd, s) == 1 && s[0] == 3);
	/* Last ESP each way: A to B at frame 8 (time 800), B to A at frame 5, C to D at 6. */
	CHECK(pair_esp_since(&x, &A, &B, 800) && !pair_esp_since(&x, &A, &B, 801));
	CHECK(pair_esp_since(&x, &B, &A, 500) && !pair_esp_since(&x, &B, &A, 501));
	CHECK(pair_esp_since(&x, &C, &D, 600) && !pair_esp_since(&x, &D, &C, 0));
	CHECK(!pair_esp_since(&x, &E, &F, 0));
	pair_index_free(&x);
	esp_table_free(&et);
	ike_table_free(&it);
}

int
main(void)
{
	A = v4(192, 0, 2, 1), B = v4(198, 51, 100, 2), C = v4(203, 0, 113, 3);
	D = v4(10, 0, 0, 4), E = v4(10, 9, 9, 9), F = v4(10, 8, 8, 8);
	run(16); /* every ESP SA kept: the pool is in order of first frames */
	run(4);	 /* evictions reorder the pool */
	if (check_failures)
		fprintf(stderr, "%d checks failed\n", check_failures);
	return check_failures ? 1 : 0;
}
