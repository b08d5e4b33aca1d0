/* Unit tests for the bounds-checked reader. */
#include <string.h>

#include "common/rd.h"
#include "tests/unit/check.h"

static void
test_reads(void)
{
	const uint8_t b[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};
	struct rd r = rd_init(b, sizeof(b), sizeof(b));
	CHECK(rd_u8(&r) == 0x01);
	CHECK(rd_be16(&r) == 0x0203);
	CHECK(rd_be32(&r) == 0x04050607);
	CHECK(rd_left(&r) == 2);
	CHECK(rd_le16(&r) == 0x0908);
	CHECK(rd_ok(&r));
	CHECK(rd_u8(&r) == 0);
	/* Past what the sender sent: the structure lies. */
	CHECK(r.err == RD_BAD);
	/* Sticky: even a zero-length read fails now. */
	struct span s;
	CHECK(!rd_bytes(&r, 0, &s));
}

static void
test_truncated_vs_bad(void)
{
	const uint8_t b[4] = {0, 0, 0, 42};
	struct rd r = rd_init(b, 4, 10); /* 10 sent, 4 captured */
	CHECK(rd_be32(&r) == 42);
	CHECK(rd_be16(&r) == 0);
	CHECK(r.err == RD_TRUNC);
	struct rd r2 = rd_init(b, 4, 10);
	CHECK(!rd_skip(&r2, 11));
	CHECK(r2.err == RD_BAD);
	struct rd r3 = rd_init(b, 4, 10);
	CHECK(rd_skip(&r3, 4));
	CHECK(!rd_skip(&r3, 6));
	CHECK(r3.err == RD_TRUNC);
}

static void
test_sub(void)
{
	const uint8_t b[] = {0xaa, 0xbb, 0xcc, 0xdd, 0xee};
	struct rd r = rd_init(b, sizeof(b), sizeof(b));
	rd_u8(&r);
	struct rd c = rd_sub(&r, 2);
	CHECK(rd_ok(&c) && c.cap == 2 && c.wire == 2);
	CHECK(rd_be16(&c) == 0xbbcc);
	CHECK(rd_u8(&c) == 0 && c.err == RD_BAD); /* the child cannot read its neighbour */
	CHECK(rd_ok(&r) && rd_u8(&r) == 0xdd);
	struct rd bad = rd_sub(&r, 5);
	CHECK(bad.err == RD_BAD && r.err == RD_BAD);
	/* A child partly captured: reading its uncaptured part is truncation. */
	struct rd p = rd_init(b, 3, 8);
	struct rd q = rd_sub(&p, 6);
	CHECK(rd_ok(&q) && q.cap == 3 && q.wire == 6);
	CHECK(rd_skip(&q, 3) && !rd_skip(&q, 1) && q.err == RD_TRUNC);
	CHECK(rd_ok(&p) && rd_left(&p) == 0 && rd_wire_left(&p) == 2);
}

static void
test_peek_and_copy(void)
{
	const uint8_t b[] = {0, 0, 0, 0, 0x11, 0x22};
	struct rd r = rd_init(b, sizeof(b), sizeof(b));
	uint32_t v = 1;
	uint8_t u = 0;
	CHECK(rd_peek_be32(&r, 0, &v) && v == 0);
	CHECK(!rd_peek_be32(&r, 3, &v));
	CHECK(rd_peek_u8(&r, 5, &u) && u == 0x22);
	CHECK(!rd_peek_u8(&r, 6, &u));
	uint8_t out[4];
	CHECK(rd_copy(&r, out, 4) && memcmp(out, b, 4) == 0);
	CHECK(!rd_copy(&r, out, 4) && r.err == RD_BAD);
	/* NULL data is an empty window, not a crash. */
	struct rd z = rd_init(NULL, 5, 5);
	CHECK(rd_u8(&z) == 0 && z.err != RD_OK);
	CHECK(rd_be64(&z) == 0);
}

int
main(void)
{
	test_reads();
	test_truncated_vs_bad();
	test_sub();
	test_peek_and_copy();
	if (check_failures)
		fprintf(stderr, "%d checks failed\n", check_failures);
	return check_failures ? 1 : 0;
}
