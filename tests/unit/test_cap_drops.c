/*
 * Unit tests for the live drop counters: libpcap's 32-bit counters widened to
 * 64-bit totals across their wrap (capture/live.c cap_drops_advance), and the
 * status line that prints them.
 */
#include <string.h>

#include "capture/capture.h"
#include "tests/unit/check.h"

int
main(void)
{
	struct cap_drops_acc acc;
	memset(&acc, 0, sizeof(acc));
	CHECK(!acc.total.valid);
	cap_drops_advance(&acc, 10, 2, 0);
	CHECK(acc.total.valid && acc.total.received == 10 && acc.total.dropped == 2 &&
	      acc.total.if_dropped == 0);
	cap_drops_advance(&acc, 4294967290u, 5, 1);
	CHECK(acc.total.received == 4294967290u && acc.total.dropped == 5 &&
	      acc.total.if_dropped == 1);
	/* The received counter wraps: 4294967290 -> 20 is 26 more packets. */
	cap_drops_advance(&acc, 20, 7, 1);
	CHECK(acc.total.received == 4294967316ull && acc.total.dropped == 7 &&
	      acc.total.if_dropped == 1);
	cap_drops_advance(&acc, 20, 7, 1);
	CHECK(acc.total.received == 4294967316ull && acc.total.dropped == 7);
	/* The dropped counter wraps too, after a long loss. */
	cap_drops_advance(&acc, 30, 4294967295u, 1);
	cap_drops_advance(&acc, 40, 3, 2);
	CHECK(acc.total.received == 4294967336ull && acc.total.dropped == 4294967299ull &&
	      acc.total.if_dropped == 2);
	char buf[128];
	cap_drops_format(&acc.total, 4294967336ull, buf, sizeof(buf));
	CHECK(strcmp(buf, "4294967336 packets, 4294967299 dropped by kernel, 2 by interface") == 0);
	if (check_failures)
		fprintf(stderr, "%d checks failed\n", check_failures);
	return check_failures ? 1 : 0;
}
