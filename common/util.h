/* Small utilities: IP addresses, checked allocation, hex. */
#ifndef IKESCOPE_COMMON_UTIL_H
#define IKESCOPE_COMMON_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* An IPv4 or IPv6 address; IPv4 lives in a[0..4). */
struct ip_addr {
	uint8_t family; /* 4 or 6; 0 = none */
	uint8_t a[16];
};

#define IP_ADDR_STRLEN 46

/* Writes the textual form (inet_ntop) into buf of IP_ADDR_STRLEN bytes and returns buf. */
const char *ip_addr_str(const struct ip_addr *a, char *buf);

/*
 * The comparisons and hashes below are inline: every packet's addresses go
 * through them (table keys), and the rules sort and group by them.
 */
static inline int
ip_addr_cmp(const struct ip_addr *x, const struct ip_addr *y)
{
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	/* memcmp's order (bytes in address order), as big-endian words: no call. */
	uint64_t a, b;
	memcpy(&a, x->a, 8);
	memcpy(&b, y->a, 8);
	a = __builtin_bswap64(a);
	b = __builtin_bswap64(b);
	if (x->family == 4) {
		a >>= 32; /* the first four bytes only */
		b >>= 32;
	}
	if (a != b || x->family == 4)
		return a < b ? -1 : a > b;
	memcpy(&a, x->a + 8, 8);
	memcpy(&b, y->a + 8, 8);
	a = __builtin_bswap64(a);
	b = __builtin_bswap64(b);
	return a < b ? -1 : a > b;
}

static inline bool
ip_addr_eq(const struct ip_addr *x, const struct ip_addr *y)
{
	if (x->family != y->family)
		return false;
	return x->family == 4 ? memcmp(x->a, y->a, 4) == 0 : memcmp(x->a, y->a, 16) == 0;
}

/* FNV-1a style mixing for hash tables keyed by packet fields. */
static inline uint64_t
hash_mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

/*
 * 32 well-mixed bits of a hash_mix result, for tables indexed by its low bits
 * (hash_mix leaves them weak for keys that differ little: one peer, many others).
 */
static inline uint32_t
hash_fold(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (uint32_t)h;
}

static inline uint64_t
ip_addr_hash(const struct ip_addr *a, uint64_t h)
{
	uint64_t w0, w1;
	memcpy(&w0, a->a, 8);
	memcpy(&w1, a->a + 8, 8);
	if (a->family == 4)
		w1 = 0, w0 &= 0xffffffffULL;
	return hash_mix(hash_mix(hash_mix(h, a->family), w0), w1);
}

/* Allocation that aborts on exhaustion: callers bound how much they ask for. */
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n, size_t size);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void hex_str(const uint8_t *p, size_t n, char *out);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
