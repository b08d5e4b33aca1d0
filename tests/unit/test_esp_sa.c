/* Unit tests for the ESP SA table: keys, sequence gaps, replays, reordering, the cap. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/addr.h"
#include "tests/unit/check.h"
#include "track/track.h"

static struct esp_sa *
pkt(struct esp_table *t, uint32_t spi, uint32_t seq, uint64_t frame)
{
	struct ip_addr s = v4(192, 0, 2, 1), d = v4(198, 51, 100, 1);
	return esp_table_packet(t, spi, &s, &d, ENCAP_ESP, 0, 0, seq, true, 100, frame * 1000,
				frame);
}

static void
test_sequence(void)
{
	struct esp_table t;
	esp_table_init(&t, 16);
	struct esp_sa *s = NULL;
	/* In order: no extension. */
	for (uint32_t q = 1; q <= 3; q++)
		s = pkt(&t, 0xc0ffee02, q, q);
	CHECK(s->ext == NULL && esp_sa_ext(s)->seq_gaps == 0 && s->max_seq == 3);
	uint32_t seqs[] = {1, 2, 3, 6, 5, 7, 7, 100, 20};
	for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++)
		s = pkt(&t, 0xc0ffee01, seqs[i], i + 1);
	/* 4 missing; 5 arrived late (reordered); 7 twice (replay); 8..99 missing; 20 too old. */
	CHECK(s->packets == 9);
	CHECK(s->bytes == 900);
	const struct esp_sa_ext *x = esp_sa_ext(s);
	CHECK(s->ext != NULL);
	CHECK(x->reordered == 1);
	CHECK(x->seq_gaps == 1 + 92);
	CHECK(x->replays == 2);
	CHECK(x->gap_frame == 4);
	CHECK(x->replay_frame == 7);
	CHECK(s->max_seq == 100);
	CHECK(s->first_frame == 1 && s->last_frame == 9);
	CHECK(t.n == 2);
	esp_table_free(&t);
}

static void
test_keys_and_cap(void)
{
	struct esp_table t;
	esp_table_init(&t, 4);
	for (uint32_t spi = 1; spi <= 6; spi++)
		pkt(&t, 0x1000 + spi, 1, spi);
	/* Two evicted: the least recently seen, 0x1001 and 0x1002. */
	CHECK(t.n == 4 && t.evicted == 2);
	size_t n = 0;
	struct esp_sa **v = esp_table_sorted(&t, &n);
	CHECK(n == 4);
	CHECK(v[0]->spi == 0x1003 && v[3]->spi == 0x1006);
	free(v);
	/* The same SPI in the other direction or encapsulation is another SA. */
	struct ip_addr a = v4(10, 0, 0, 1), b = v4(10, 0, 0, 2);
	struct esp_sa *x = esp_table_packet(&t, 7, &a, &b, ENCAP_ESP, 0, 0, 1, true, 1, 1, 10);
	struct esp_sa *y = esp_table_packet(&t, 7, &b, &a, ENCAP_ESP, 0, 0, 1, true, 1, 1, 11);
	struct esp_sa *z =
	    esp_table_packet(&t, 7, &a, &b, ENCAP_UDP, 4500, 4500, 1, true, 1, 1, 12);
	CHECK(x != y && y != z && x != z);
	struct esp_sa *x2 = esp_table_packet(&t, 7, &a, &b, ENCAP_ESP, 0, 0, 2, true, 1, 1, 13);
	CHECK(x2->spi == 7 && x2->packets == 2 && x2->encap == ENCAP_ESP);
	/* x, y and z pushed out 0x1003-0x1005: the table holds 0x1006, x, y, z. */
	CHECK(t.n == 4 && t.evicted == 5);
	v = esp_table_sorted(&t, &n);
	CHECK(n == 4 && v[0]->spi == 0x1006 && v[1] == x && v[2] == y && v[3] == z);
	free(v);
	esp_table_free(&t);
}

/*
 * Batched accounting (esp_table_queue, flushed) leaves the table exactly as one
 * esp_table_packet per packet: 5,000 packets over 300 keys (two peers per key
 * pair, both encapsulations, random sequence numbers with repeats and jumps)
 * into a pool capped at 128, so that SAs are evicted in LRU order mid-batch.
 */
static void
test_batched(void)
{
	struct esp_table a, b;
	esp_table_init(&a, 128);
	esp_table_init(&b, 128);
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	for (uint64_t i = 1; i <= 5000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		uint32_t k = (uint32_t)(x % 300);
		struct ip_addr s = v4(10, 0, (uint8_t)(k % 7), 1),
			       d = v4(10, 1, (uint8_t)(k % 5), 2);
		uint8_t encap = k % 3 == 0 ? ENCAP_UDP : ENCAP_ESP;
		uint32_t seq = (uint32_t)(i / 3 + (x >> 40) % 70);
		bool has_seq = (x >> 20) % 50 != 0;
		esp_table_packet(&a, 0x1000 + k, &s, &d, encap, 4500, 4500, seq, has_seq,
				 (uint32_t)(x % 1400), i * 10, i);
		esp_table_queue(&b, 0x1000 + k, &s, &d, encap, 4500, 4500, seq, has_seq,
				(uint32_t)(x % 1400), i * 10, i);
		if (i == 2500)
			esp_table_flush(&b); /* a flush mid-batch changes nothing either */
	}
	esp_table_flush(&b);
	CHECK(a.n == b.n && a.n == 128);
	CHECK(a.evicted == b.evicted && a.evicted > 0);
	CHECK(a.tick == b.tick && a.tick == 5000);
	/* The records are equal but for where their extensions live; those are equal too. */
	unsigned with_ext = 0;
	for (uint32_t i = 0; i < a.n; i++) {
		struct esp_sa sa = a.sa[i], sb = b.sa[i];
		CHECK((sa.ext == NULL) == (sb.ext == NULL));
		with_ext += sa.ext != NULL;
		CHECK(memcmp(esp_sa_ext(&sa), esp_sa_ext(&sb),
			     offsetof(struct esp_sa_ext, next_free)) == 0);
		sa.ext = sb.ext = NULL;
		CHECK(memcmp(&sa, &sb, sizeof(sa)) == 0);
	}
	/* Random numbers with jumps: most SAs have gaps; evicted SAs gave theirs back. */
	CHECK(with_ext > a.n / 2);
	CHECK(a.nslots == b.nslots && memcmp(a.slot, b.slot, a.nslots * sizeof(*a.slot)) == 0);
	CHECK(a.lru_head == b.lru_head && a.lru_tail == b.lru_tail);
	/*
	 * The index after 4,872 evictions (deletions by backward shift): one slot
	 * per SA, each SA's slot reachable from its home slot without crossing an
	 * empty one, and each slot's hash the SA's.
	 */
	uint32_t used = 0, m = a.nslots - 1;
	for (uint32_t j = 0; j < a.nslots; j++) {
		if (a.slot[j].idx1 == 0)
			continue;
		used++;
		CHECK(a.slot[j].idx1 <= a.n);
		bool reach = true;
		for (uint32_t k = a.slot[j].h32 & m; k != j; k = (k + 1) & m)
			reach &= a.slot[k].idx1 != 0;
		CHECK(reach);
	}
	CHECK(used == a.n);
	esp_table_free(&a);
	esp_table_free(&b);
}

int
main(void)
{
	test_sequence();
	test_keys_and_cap();
	test_batched();
	if (check_failures)
		fprintf(stderr, "%d checks failed\n", check_failures);
	return check_failures ? 1 : 0;
}
