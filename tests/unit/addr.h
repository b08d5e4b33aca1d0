/* Addresses for the unit tests. */
#ifndef IKESCOPE_TESTS_ADDR_H
#define IKESCOPE_TESTS_ADDR_H

#include <string.h>

#include "common/util.h"

static inline struct ip_addr
v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct ip_addr x;
	memset(&x, 0, sizeof(x));
	x.family = 4;
	x.a[0] = a, x.a[1] = b, x.a[2] = c, x.a[3] = d;
	return x;
}

#endif
