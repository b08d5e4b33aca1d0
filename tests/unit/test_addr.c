/*
 * Unit tests for the address helpers of common/util.h: ip_addr_cmp orders as
 * memcmp over the address's bytes (4 for IPv4, 16 for IPv6; family first),
 * which the sorted reports and the unordered pair keys rely on; ip_addr_eq
 * agrees with it.
 */
#include <string.h>

#include "common/util.h"
#include "tests/unit/check.h"

static int
sign(int v)
{
	return (v > 0) - (v < 0);
}

/* The reference order: the family, then memcmp over the address's bytes. */
static int
ref_cmp(const struct ip_addr *x, const struct ip_addr *y)
{
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return sign(memcmp(x->a, y->a, x->family == 4 ? 4 : 16));
}

int
main(void)
{
	uint64_t r = 0x243f6a8885a308d3ULL;
	unsigned eq = 0;
	for (int n = 0; n < 200000; n++) {
		struct ip_addr x, y;
		memset(&x, 0, sizeof(x));
		memset(&y, 0, sizeof(y));
		x.family = y.family = (n & 1) ? 4 : 6;
		if (n % 97 == 0)
			y.family = 10 - x.family;
		for (int i = 0; i < 16; i++) {
			r ^= r << 13, r ^= r >> 7, r ^= r << 17;
			/* Few distinct byte values, so that long equal prefixes and ties come up.
			 */
			x.a[i] = (uint8_t)(r & 3);
			y.a[i] = (uint8_t)((r >> 8) & 3);
		}
		if (n % 5 == 0)
			memcpy(y.a, x.a, x.family == 4 ? 4 : 16 - (n % 3));
		/* Bytes past an IPv4 address do not count. */
		if (x.family == 4 && y.family == 4)
			x.a[7] = 0xff;
		int c = ip_addr_cmp(&x, &y);
		CHECK(sign(c) == ref_cmp(&x, &y));
		CHECK(sign(ip_addr_cmp(&y, &x)) == -sign(c));
		CHECK(ip_addr_eq(&x, &y) == (c == 0));
		eq += c == 0;
	}
	CHECK(eq > 1000); /* the ties were exercised */
	if (check_failures)
		fprintf(stderr, "%d checks failed\n", check_failures);
	return check_failures ? 1 : 0;
}
