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
#include <string.h>

#include "dissect/ike.h"

/* Notify payloads (RFC 2408 §3.14 / RFC 7296 §3.10): the message type is all we keep here. */
static void
ike_parse_notify(struct rd *body, struct ike_msg *m)
{
	if (m->version == 1)
		rd_skip(body, 4); /* DOI */
	rd_skip(body, 2);	  /* protocol ID, SPI size */
	uint16_t type = rd_be16(body);
	if (!rd_ok(body))
		return;
	if (m->nnotify < IKE_MAX_NOTIFIES)
		m->notify[m->nnotify++] = type;
}

/* RFC 7383 §2.5: the SKF payload starts with fragment number and total. */
static void
ike_parse_skf(struct rd *body, struct ike_msg *m)
{
	m->frag_n = rd_be16(body);
	m->frag_total = rd_be16(body);
	if (rd_ok(body) && (m->frag_n == 0 || m->frag_n > m->frag_total))
		m->malformed = "SKF fragment number";
}

static void
ike_walk_chain(struct rd *msg, struct ike_msg *m)
{
	uint8_t np = m->first_payload;
	while (np != 0) {
		/* A bound independent of the packet: every turn also consumes >= 4 bytes. */
		if (m->npayloads >= IKE_MAX_PAYLOADS) {
			m->malformed = "payload chain longer than any real message";
			return;
		}
		if (rd_wire_left(msg) < 4) {
			m->malformed = "next payload beyond the message end";
			return;
		}
		uint8_t next = rd_u8(msg);
		rd_skip(msg, 1);
		uint16_t plen = rd_be16(msg);
		if (!rd_ok(msg)) {
			m->truncated = true;
			return;
		}
		m->payloads[m->npayloads++] = np;
		/* A payload cannot be shorter than its own generic header. */
		if (plen < 4) {
			m->malformed = "payload length below 4";
			return;
		}
		if ((size_t)plen - 4 > rd_wire_left(msg)) {
			m->malformed = "payload length overruns the message";
			return;
		}
		struct rd body = rd_sub(msg, (size_t)plen - 4);
		bool v2 = m->version == 2;
		if ((v2 && np == IKEV2_P_N) || (!v2 && np == IKEV1_P_N))
			ike_parse_notify(&body, m);
		if (v2 && np == IKEV2_P_SKF)
			ike_parse_skf(&body, m);
		/* SK/SKF: what follows is ciphertext; its next-payload names the first inner one.
		 */
		if (v2 && (np == IKEV2_P_SK || np == IKEV2_P_SKF))
			return;
		if (body.err == RD_TRUNC || body.cap < body.wire)
			m->truncated = true;
		np = next;
	}
}

void
ike_parse(struct rd *r, struct ike_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->datagram = rd_wire_left(r);
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
	if (msg.cap < msg.wire)
		m->truncated = true;
	if (m->version == 1 && (m->flags & IKEV1_FLAG_ENC)) {
		m->encrypted = true;
		return;
	}
	if (m->version != 1 && m->version != 2)
		return;
	ike_walk_chain(&msg, m);
}

bool
ike_is_response(const struct ike_msg *m)
{
	return m->version == 2 && (m->flags & IKEV2_FLAG_RESPONSE);
}
