/*
 * Unit tests for the IKE SA table at its cap: a new SA evicts the oldest one
 * that only one peer has spoken in, lookups of the others still find them
 * (the buckets after a backward-shift deletion), and a table of SAs that both
 * peers have spoken in counts the newcomers' messages as overflow.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/addr.h"
#include "tests/unit/check.h"
#include "track/track.h"

/* The initiator SPI of SA n. */
static void
spi_of(uint32_t n, uint8_t spi[8])
{
	const uint8_t v[8] = {
	    0x5a, 0, 0, 0, (uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n};
	memcpy(spi, v, 8);
}

/* The SA with initiator SPI n (IKEv2) between 192.0.2.x and the responder. */
static struct ike_sa *
get(struct ike_table *t, uint32_t n, bool *created)
{
	uint8_t spi[8];
	spi_of(n, spi);
	struct ip_addr src = v4(192, 0, 2, (uint8_t)(n % 7)), dst = v4(198, 51, 100, 1);
	return ike_table_get(t, 2, spi, &src, &dst, created);
}

/* Whether SA n is in the table, by a walk of the pool (not through the buckets). */
static bool
held(const struct ike_table *t, uint32_t n)
{
	uint8_t spi[8];
	spi_of(n, spi);
	for (uint32_t i = 0; i < t->n; i++)
		if (memcmp(t->sa[i].spi_i, spi, 8) == 0)
			return true;
	return false;
}

static void
test_evict_one_sided(void)
{
	enum { CAP = 64 };
	struct ike_table t;
	ike_table_init(&t, CAP);
	bool created;
	/* Every third SA has heard from both peers; the others only from the initiator. */
	for (uint32_t n = 0; n < CAP; n++) {
		struct ike_sa *s = get(&t, n, &created);
		CHECK(s != NULL && created);
		if (s == NULL)
			return;
		s->seen_i = true;
		s->seen_r = n % 3 == 0;
		s->first_frame = n + 1;
	}
	CHECK(t.n == CAP && t.evicted == 0);
	/* 10 newcomers: the 10 oldest one-sided SAs (1, 2, 4, 5, ..., 14) make room. */
	for (uint32_t n = 1000; n < 1010; n++) {
		struct ike_sa *s = get(&t, n, &created);
		CHECK(s != NULL && created);
		if (s != NULL)
			s->seen_i = true;
	}
	CHECK(t.n == CAP);
	CHECK(t.evicted == 10);
	CHECK(t.overflow == 0);
	for (uint32_t n = 0; n < CAP; n++) {
		bool gone = n % 3 != 0 && n < 15;
		CHECK(held(&t, n) == !gone);
		/* Those still held are found through the buckets, as they were. */
		if (!gone) {
			struct ike_sa *s = get(&t, n, &created);
			CHECK(s != NULL && !created && s->first_frame == n + 1);
		}
	}
	for (uint32_t n = 1000; n < 1010; n++)
		CHECK(get(&t, n, &created) != NULL && !created);
	/* Two-sided SAs are never evicted: 3 more newcomers take 16, 17 and 19. */
	for (uint32_t n = 2000; n < 2003; n++)
		CHECK(get(&t, n, &created) != NULL && created);
	CHECK(t.evicted == 13);
	CHECK(!held(&t, 16) && !held(&t, 17) && held(&t, 18) && !held(&t, 19));
	ike_table_free(&t);
}

static void
test_full_of_two_sided(void)
{
	enum { CAP = 16 };
	struct ike_table t;
	ike_table_init(&t, CAP);
	bool created;
	for (uint32_t n = 0; n < CAP; n++) {
		struct ike_sa *s = get(&t, n, &created);
		CHECK(s != NULL);
		if (s != NULL)
			s->seen_i = s->seen_r = true;
	}
	/* No SA to evict: the newcomers' messages are counted, not stored. */
	for (uint32_t k = 0; k < 3; k++)
		CHECK(get(&t, 5000, &created) == NULL && !created);
	CHECK(t.overflow == 3 && t.evicted == 0 && t.n == CAP);
	for (uint32_t n = 0; n < CAP; n++)
		CHECK(get(&t, n, &created) != NULL && !created);
	ike_table_free(&t);
}

int
main(void)
{
	test_evict_one_sided();
	test_full_of_two_sided();
	if (check_failures)
		fprintf(stderr, "%d check(s) failed\n", check_failures);
	return check_failures ? 1 : 0;
}
