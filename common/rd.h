/*
 * The bounds-checked reader: every byte that came from the network, a capture
 * file or a key file is read through a struct rd.  A read past the end never
 * touches memory; it sets a sticky error and returns zero.
 *
 *   RD_TRUNC: the capture ran out (snaplen, truncated file) - not the peer's fault.
 *   RD_BAD:   the structure lies (a length that overruns what the sender sent).
 */
#ifndef IKESCOPE_COMMON_RD_H
#define IKESCOPE_COMMON_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rd_err { RD_OK, RD_TRUNC, RD_BAD };

/* A window on bytes owned by somebody else. */
struct span {
	const uint8_t *p;
	size_t len;
};

/*
 * p[0..cap) is what was captured; wire >= cap is how long the sender made it.
 * A read beyond cap but within wire is RD_TRUNC; beyond wire, RD_BAD.
 */
struct rd {
	const uint8_t *p;
	size_t cap, wire, off;
	enum rd_err err;
};

struct rd rd_init(const uint8_t *p, size_t cap, size_t wire);
size_t rd_left(const struct rd *r);	 /* captured bytes not yet read */
size_t rd_wire_left(const struct rd *r); /* bytes the sender sent not yet read */
bool rd_ok(const struct rd *r);
uint8_t rd_u8(struct rd *r);
uint16_t rd_be16(struct rd *r);
uint32_t rd_be24(struct rd *r);
uint32_t rd_be32(struct rd *r);
uint64_t rd_be64(struct rd *r);
uint16_t rd_le16(struct rd *r);
uint32_t rd_le32(struct rd *r);
bool rd_skip(struct rd *r, size_t n);
bool rd_bytes(struct rd *r, size_t n, struct span *out);
bool rd_copy(struct rd *r, void *dst, size_t n);
/* A child window of exactly n bytes (as sent); advances the parent past them. */
struct rd rd_sub(struct rd *r, size_t n);
/* Look at byte off from the current position without consuming (0 if absent). */
bool rd_peek_u8(const struct rd *r, size_t off, uint8_t *out);
bool rd_peek_be32(const struct rd *r, size_t off, uint32_t *out);

#endif
