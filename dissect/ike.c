/*
 * The IKE fixed header and the payload chain, both versions.
 *
 * RFC 2408 §3.1 / RFC 7296 §3.1 header:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                   Initiator's SPI (cookie)                    |
 *  |                   Responder's SPI (cookie)                    |
 *  |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
 *  |                          Message ID                           |
 *  |                            Length                             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Generic payload header (RFC 2408 §3.2 / RFC 7296 §3.2):
 *  | Next Payload  |C|  RESERVED   |         Payload Length        |
 */
#include <stddef.h>
#include <string.h>

#include "dissect/ike.h"

void
ike_msg_add_notify(struct ike_msg *m, struct ike_payload *p, const struct ike_notify *n)
{
	if (m->nnotify >= IKE_MAX_NOTIFIES) {
		m->overflow = true;
		return;
	}
	p->u.notify = (uint16_t)m->nnotify;
	m->notify[m->nnotify] = n->type;
	m->notifies[m->nnotify++] = *n;
}

static void
ike_walk_chain(struct rd *msg, struct ike_msg *m, uint8_t np)
{
	bool v2 = m->version == 2;
	while (np != 0) {
		/* A bound independent of the packet: every turn also consumes >= 4 bytes. */
		if (m->npayloads >= IKE_MAX_PAYLOADS) {
			m->malformed = "payload chain longer than any real message";
			m->malformed_payload = m->npayloads;
			return;
		}
		if (rd_wire_left(msg) < 4) {
			m->malformed = "next payload beyond the message end";
			m->malformed_payload = m->npayloads;
			return;
		}
		uint8_t next = rd_u8(msg);
		uint8_t crit = rd_u8(msg);
		uint16_t plen = rd_be16(msg);
		if (!rd_ok(msg)) {
			m->truncated = true;
			return;
		}
		unsigned idx = m->npayloads++;
		struct ike_payload *p = &m->pl[idx];
		memset(p, 0, sizeof(*p));
		p->type = np;
		p->critical = v2 && (crit & 0x80);
		p->len = plen;
		m->payloads[idx] = np;
		/* A payload cannot be shorter than its own generic header, nor overrun the message.
		 */
		bool lost = true;
		if (plen < 4) {
			p->malformed = "payload length below 4";
		} else if ((size_t)plen - 4 > rd_wire_left(msg)) {
			p->malformed = "payload length overruns the message";
		} else {
			lost = false;
			struct rd body = rd_sub(msg, (size_t)plen - 4);
			p->body.p = body.p;
			p->body.len = body.cap;
			ike_payload_fn fn =
			    v2 ? ikev2_payload_parser(np) : ikev1_payload_parser(np);
			if (fn)
				fn(&body, p, m);
			if (body.cap < body.wire)
				m->truncated = true;
		}
		if (p->malformed && !m->malformed) {
			m->malformed = p->malformed;
			m->malformed_payload = idx;
		}
		/* A payload length that lies leaves no way to find the next payload. */
		if (lost)
			return;
		/* SK/SKF: what follows is ciphertext; its next-payload names the first inner one.
		 */
		if (v2 && (np == IKEV2_P_SK || np == IKEV2_P_SKF)) {
			m->sk_first_inner = next;
			return;
		}
		np = next;
	}
}

void
ike_parse(struct rd *r, struct ike_msg *m)
{
	memset(m, 0, offsetof(struct ike_msg, pl));
	m->datagram = rd_wire_left(r);
	m->raw.p = r->p ? r->p + r->off : NULL;
	m->raw.len = rd_left(r);
	rd_copy(r, m->spi_i, 8);
	rd_copy(r, m->spi_r, 8);
	m->first_payload = rd_u8(r);
	uint8_t ver = rd_u8(r);
	m->version = ver >> 4;
	m->minor = ver & 15;
	m->exchange = rd_u8(r);
	m->flags = rd_u8(r);
	m->msgid = rd_be32(r);
	m->length = rd_be32(r);
	if (!rd_ok(r)) {
		m->truncated = r->err == RD_TRUNC;
		if (!m->truncated)
			m->malformed = "IKE header";
		return;
	}
	size_t body = m->length >= IKE_HDR_SIZE ? m->length - IKE_HDR_SIZE : 0;
	if (m->length < IKE_HDR_SIZE) {
		m->malformed = "IKE length below the header size";
		return;
	}
	/* The header may not claim more than the datagram carried. */
	if (body > rd_wire_left(r)) {
		m->malformed = "IKE length exceeds the datagram";
		body = rd_wire_left(r);
	}
	struct rd msg = rd_sub(r, body);
	if (m->raw.len > m->length)
		m->raw.len = m->length;
	if (msg.cap < msg.wire)
		m->truncated = true;
	if (m->version == 1 && (m->flags & IKEV1_FLAG_ENC)) {
		m->encrypted = true;
		return;
	}
	if (m->version != 1 && m->version != 2)
		return;
	ike_walk_chain(&msg, m, m->first_payload);
	m->nclear = m->npayloads;
}

bool
ike_is_response(const struct ike_msg *m)
{
	return m->version == 2 && (m->flags & IKEV2_FLAG_RESPONSE);
}

void
ike_parse_inner(struct ike_msg *m, const uint8_t *plain, size_t len, uint8_t first)
{
	struct rd r = rd_init(plain, len, len);
	m->decrypted = true;
	/* Inside SK there is no SK: a chain that claims one ends the walk. */
	ike_walk_chain(&r, m, first);
}

struct ike_msg_marks
ike_msg_mark(const struct ike_msg *m)
{
	struct ike_msg_marks mk = {
	    .npayloads = m->npayloads,
	    .nprops = m->nprops,
	    .nxf = m->nxf,
	    .nts = m->nts,
	    .nnotify = m->nnotify,
	    .malformed = m->malformed,
	    .malformed_payload = m->malformed_payload,
	    .truncated = m->truncated,
	    .overflow = m->overflow,
	};
	return mk;
}

void
ike_msg_rollback(struct ike_msg *m, const struct ike_msg_marks *mk)
{
	m->npayloads = mk->npayloads;
	m->nprops = mk->nprops;
	m->nxf = mk->nxf;
	m->nts = mk->nts;
	m->nnotify = mk->nnotify;
	m->malformed = mk->malformed;
	m->malformed_payload = mk->malformed_payload;
	m->truncated = mk->truncated;
	m->overflow = mk->overflow;
	m->decrypted = false;
}
