/* Unit tests for IKE-level fragment reassembly: IKEv2 SKF and IKEv1 fragment payloads. */
#include <string.h>

#include "tests/unit/check.h"
#include "track/ike_frag.h"

static int lost_calls;
static uint16_t lost_received;

static void
on_lost(void *ctx, const struct ike_frag_msg *m)
{
	(void)ctx;
	lost_calls++;
	lost_received = m->received;
}

static struct ike_frag_key
key(uint8_t version, uint32_t id)
{
	struct ike_frag_key k;
	memset(&k, 0, sizeof(k));
	k.version = version;
	k.spi_i[0] = 0xaa;
	k.id = id;
	k.src.family = 4;
	k.src.a[0] = 192;
	k.sport = 4500;
	return k;
}

static void
test_skf(void)
{
	struct ike_frag_table t;
	const struct ike_frag_msg *done;
	ike_frag_init(&t, on_lost, NULL);
	struct ike_frag_key k = key(2, 1);
	CHECK(ike_frag_add(&t, &k, 2, 3, false, NULL, 0, 11, 1, &done) == IKE_FRAG_PARTIAL);
	CHECK(ike_frag_add(&t, &k, 2, 3, false, NULL, 0, 12, 2, &done) == IKE_FRAG_DUPLICATE);
	CHECK(ike_frag_add(&t, &k, 1, 3, false, NULL, 0, 13, 3, &done) == IKE_FRAG_PARTIAL);
	CHECK(ike_frag_add(&t, &k, 3, 3, false, NULL, 0, 14, 4, &done) == IKE_FRAG_COMPLETE);
	CHECK(done && done->received == 3 && done->nframes == 3);
	CHECK(done && done->frames[0] == 11 && done->frames[2] == 14);
	/* Numbers outside 1..total are refused, never tracked. */
	CHECK(ike_frag_add(&t, &k, 0, 3, false, NULL, 0, 15, 5, &done) == IKE_FRAG_REFUSED);
	CHECK(ike_frag_add(&t, &k, 4, 3, false, NULL, 0, 16, 6, &done) == IKE_FRAG_REFUSED);
	CHECK(ike_frag_add(&t, &k, 1, 65535, false, NULL, 0, 17, 7, &done) == IKE_FRAG_REFUSED);
	/* Another message with one fragment missing: reported at the end. */
	struct ike_frag_key k2 = key(2, 2);
	CHECK(ike_frag_add(&t, &k2, 1, 2, false, NULL, 0, 20, 8, &done) == IKE_FRAG_PARTIAL);
	ike_frag_finish(&t);
	CHECK(lost_calls == 1 && lost_received == 1);
	CHECK(t.completed == 1 && t.incomplete == 1 && t.refused == 3);
	ike_frag_free(&t);
}

static void
test_ikev1_join(void)
{
	struct ike_frag_table t;
	const struct ike_frag_msg *done;
	ike_frag_init(&t, on_lost, NULL);
	struct ike_frag_key k = key(1, 7);
	const uint8_t a[] = "first-", b[] = "second-", c[] = "third";
	CHECK(ike_frag_add(&t, &k, 3, 0, true, c, 5, 3, 3, &done) == IKE_FRAG_PARTIAL);
	CHECK(ike_frag_add(&t, &k, 1, 0, false, a, 6, 1, 1, &done) == IKE_FRAG_PARTIAL);
	CHECK(ike_frag_add(&t, &k, 2, 0, false, b, 7, 2, 2, &done) == IKE_FRAG_COMPLETE);
	CHECK(t.joined_len == 18 && memcmp(t.joined, "first-second-third", 18) == 0);
	CHECK(done && done->total == 3);
	ike_frag_free(&t);
}

static void
test_bounds(void)
{
	struct ike_frag_table t;
	const struct ike_frag_msg *done;
	ike_frag_init(&t, on_lost, NULL);
	lost_calls = 0;
	/* More messages in flight than the table holds: the oldest are evicted and reported. */
	for (uint32_t i = 0; i < IKE_FRAG_INFLIGHT + 5; i++) {
		struct ike_frag_key k = key(2, 100 + i);
		ike_frag_add(&t, &k, 1, 2, false, NULL, 0, i + 1, i, &done);
	}
	CHECK(t.evicted == 5 && lost_calls == 5);
	/* IKEv1 data beyond the size bound is refused. */
	static uint8_t big[IKE_FRAG_MAX_BYTES];
	struct ike_frag_key k = key(1, 9);
	CHECK(ike_frag_add(&t, &k, 1, 0, false, big, sizeof(big), 1, 1, &done) == IKE_FRAG_PARTIAL);
	CHECK(ike_frag_add(&t, &k, 2, 0, true, big, 1, 2, 2, &done) == IKE_FRAG_REFUSED);
	ike_frag_free(&t);
}

int
main(void)
{
	test_skf();
	test_ikev1_join();
	test_bounds();
	if (check_failures)
		fprintf(stderr, "%d checks failed\n", check_failures);
	return check_failures ? 1 : 0;
}
