/* Small utilities (see util.h). */
#include "common/util.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
ip_addr_eq(const struct ip_addr *x, const struct ip_addr *y)
{
	return ip_addr_cmp(x, y) == 0;
}

int
ip_addr_cmp(const struct ip_addr *x, const struct ip_addr *y)
{
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->a, y->a, x->family == 4 ? 4 : 16);
}

const char *
ip_addr_str(const struct ip_addr *a, char *buf)
{
	if (a->family == 4) {
		/* inet_ntop's dotted quad, without its sprintf: the rules name every SA's peers. */
		char *o = buf;
		for (int i = 0; i < 4; i++) {
			unsigned v = a->a[i];
			if (i)
				*o++ = '.';
			if (v >= 100)
				*o++ = (char)('0' + v / 100);
			if (v >= 10)
				*o++ = (char)('0' + v / 10 % 10);
			*o++ = (char)('0' + v % 10);
		}
		*o = '\0';
	} else if (a->family == 6) {
		inet_ntop(AF_INET6, a->a, buf, IP_ADDR_STRLEN);
	} else {
		snprintf(buf, IP_ADDR_STRLEN, "-");
	}
	return buf;
}

uint64_t
hash_mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

uint32_t
hash_fold(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (uint32_t)h;
}

uint64_t
ip_addr_hash(const struct ip_addr *a, uint64_t h)
{
	uint64_t w0, w1;
	memcpy(&w0, a->a, 8);
	memcpy(&w1, a->a + 8, 8);
	if (a->family == 4)
		w1 = 0, w0 &= 0xffffffffULL;
	return hash_mix(hash_mix(hash_mix(h, a->family), w0), w1);
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL) {
		fprintf(stderr, "ikescope: out of memory\n");
		abort();
	}
	return p;
}

void *
xrealloc(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		fprintf(stderr, "ikescope: allocation too large\n");
		abort();
	}
	void *q = realloc(p, n && size ? n * size : 1);
	if (q == NULL) {
		fprintf(stderr, "ikescope: out of memory\n");
		abort();
	}
	return q;
}

void
hex_str(const uint8_t *p, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	out[2 * n] = '\0';
}
