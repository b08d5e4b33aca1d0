/* Small utilities (see util.h). */
#include "common/util.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
