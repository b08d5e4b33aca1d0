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
#include <string.h>

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

/*
 * The functions are defined here, inline: every field of every packet is read
 * through them, and a call per byte cost a quarter of the analysis (issue 9).
 *
 *   rd_init      a reader over p[0..cap) of a datagram the sender made wire long
 *   rd_left      captured bytes not yet read; rd_wire_left: bytes the sender sent
 *   rd_u8 .. rd_le32, rd_skip, rd_bytes, rd_copy: read and advance (0 / false past the end)
 *   rd_sub       a child window of exactly n bytes (as sent); the parent moves past them
 *   rd_peek_*    look at byte off from the current position without consuming
 */
static inline struct rd
rd_init(const uint8_t *p, size_t cap, size_t wire)
{
	struct rd r = {.p = p, .cap = cap, .wire = wire < cap ? cap : wire, .off = 0, .err = RD_OK};
	if (p == NULL)
		r.cap = 0;
	return r;
}

static inline size_t
rd_left(const struct rd *r)
{
	return r->off < r->cap ? r->cap - r->off : 0;
}

static inline size_t
rd_wire_left(const struct rd *r)
{
	return r->off < r->wire ? r->wire - r->off : 0;
}

static inline bool
rd_ok(const struct rd *r)
{
	return r->err == RD_OK;
}

/* Can n more bytes be read?  Sets the sticky error when not. */
static inline bool
rd_need(struct rd *r, size_t n)
{
	if (r->err != RD_OK)
		return false;
	if (n <= rd_left(r))
		return true;
	/* Within what the sender sent but not captured: truncation, not a lie. */
	r->err = n <= rd_wire_left(r) ? RD_TRUNC : RD_BAD;
	return false;
}

static inline uint8_t
rd_u8(struct rd *r)
{
	if (!rd_need(r, 1))
		return 0;
	return r->p[r->off++];
}

static inline uint16_t
rd_be16(struct rd *r)
{
	if (!rd_need(r, 2))
		return 0;
	uint16_t v = (uint16_t)((unsigned)r->p[r->off] << 8 | r->p[r->off + 1]);
	r->off += 2;
	return v;
}

static inline uint32_t
rd_be24(struct rd *r)
{
	if (!rd_need(r, 3))
		return 0;
	uint32_t v =
	    (uint32_t)r->p[r->off] << 16 | (uint32_t)r->p[r->off + 1] << 8 | r->p[r->off + 2];
	r->off += 3;
	return v;
}

static inline uint32_t
rd_be32(struct rd *r)
{
	if (!rd_need(r, 4))
		return 0;
	uint32_t v = (uint32_t)r->p[r->off] << 24 | (uint32_t)r->p[r->off + 1] << 16 |
		     (uint32_t)r->p[r->off + 2] << 8 | r->p[r->off + 3];
	r->off += 4;
	return v;
}

static inline uint64_t
rd_be64(struct rd *r)
{
	uint64_t hi = rd_be32(r);
	uint64_t lo = rd_be32(r);
	return r->err == RD_OK ? hi << 32 | lo : 0;
}

static inline uint16_t
rd_le16(struct rd *r)
{
	if (!rd_need(r, 2))
		return 0;
	uint16_t v = (uint16_t)(r->p[r->off] | (unsigned)r->p[r->off + 1] << 8);
	r->off += 2;
	return v;
}

static inline uint32_t
rd_le32(struct rd *r)
{
	if (!rd_need(r, 4))
		return 0;
	uint32_t v = r->p[r->off] | (uint32_t)r->p[r->off + 1] << 8 |
		     (uint32_t)r->p[r->off + 2] << 16 | (uint32_t)r->p[r->off + 3] << 24;
	r->off += 4;
	return v;
}

static inline bool
rd_skip(struct rd *r, size_t n)
{
	if (!rd_need(r, n))
		return false;
	r->off += n;
	return true;
}

static inline bool
rd_bytes(struct rd *r, size_t n, struct span *out)
{
	if (!rd_need(r, n)) {
		out->p = NULL;
		out->len = 0;
		return false;
	}
	out->p = r->p + r->off;
	out->len = n;
	r->off += n;
	return true;
}

static inline bool
rd_copy(struct rd *r, void *dst, size_t n)
{
	struct span s;
	if (!rd_bytes(r, n, &s))
		return false;
	if (n)
		memcpy(dst, s.p, n);
	return true;
}

static inline struct rd
rd_sub(struct rd *r, size_t n)
{
	struct rd c = {.p = NULL, .cap = 0, .wire = 0, .off = 0, .err = r->err};
	if (r->err != RD_OK)
		return c;
	if (n > rd_wire_left(r)) {
		/* The length claims more than the sender sent: the structure lies. */
		r->err = RD_BAD;
		c.err = RD_BAD;
		return c;
	}
	size_t have = rd_left(r);
	c.p = r->p + r->off;
	c.cap = n < have ? n : have;
	c.wire = n;
	c.err = RD_OK;
	/* The parent moves on past the whole child even if part was not captured. */
	r->off += n;
	return c;
}

static inline bool
rd_peek_u8(const struct rd *r, size_t off, uint8_t *out)
{
	if (r->err != RD_OK || off >= rd_left(r))
		return false;
	*out = r->p[r->off + off];
	return true;
}

static inline bool
rd_peek_be32(const struct rd *r, size_t off, uint32_t *out)
{
	if (r->err != RD_OK || rd_left(r) < 4 || off > rd_left(r) - 4)
		return false;
	const uint8_t *q = r->p + r->off + off;
	*out = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
	return true;
}

#endif
