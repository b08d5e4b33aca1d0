/* Small utilities: IP addresses, checked allocation, hex. */
#ifndef IKESCOPE_COMMON_UTIL_H
#define IKESCOPE_COMMON_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An IPv4 or IPv6 address; IPv4 lives in a[0..4). */
struct ip_addr {
	uint8_t family; /* 4 or 6; 0 = none */
	uint8_t a[16];
};

#define IP_ADDR_STRLEN 46

bool ip_addr_eq(const struct ip_addr *x, const struct ip_addr *y);
int ip_addr_cmp(const struct ip_addr *x, const struct ip_addr *y);
/* Writes the textual form (inet_ntop) into buf of IP_ADDR_STRLEN bytes and returns buf. */
const char *ip_addr_str(const struct ip_addr *a, char *buf);
uint64_t ip_addr_hash(const struct ip_addr *a, uint64_t h);

/* FNV-1a style mixing for hash tables keyed by packet fields. */
uint64_t hash_mix(uint64_t h, uint64_t v);
/*
 * 32 well-mixed bits of a hash_mix result, for tables indexed by its low bits
 * (hash_mix leaves them weak for keys that differ little: one peer, many others).
 */
uint32_t hash_fold(uint64_t h);

/* Allocation that aborts on exhaustion: callers bound how much they ask for. */
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n, size_t size);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void hex_str(const uint8_t *p, size_t n, char *out);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
