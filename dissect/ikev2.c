/*
 * IKEv2 payloads (RFC 7296 §3, RFC 7383 SKF): one parser per payload type,
 * dispatched through a table indexed by type.
 */
#include <string.h>

#include "dissect/ike.h"

/*
 * Notify (RFC 7296 §3.10):
 *  |  Protocol ID  |   SPI Size    |      Notify Message Type      |
 *  |                Security Parameter Index (SPI)                 |
 *  |                       Notification Data                       |
 */
static void
ikev2_parse_notify(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	struct ike_notify n;
	memset(&n, 0, sizeof(n));
	n.proto = rd_u8(b);
	n.spi_size = rd_u8(b);
	n.type = rd_be16(b);
	rd_bytes(b, n.spi_size, &n.spi);
	if (b->err == RD_BAD) {
		p->malformed = "notify SPI size overruns the payload";
		return;
	}
	if (!rd_ok(b))
		return;
	rd_bytes(b, rd_left(b), &n.data);
	if (m->nnotify >= IKE_MAX_NOTIFIES) {
		m->overflow = true;
		return;
	}
	p->u.notify = (uint16_t)m->nnotify;
	m->notify[m->nnotify] = n.type;
	m->notifies[m->nnotify++] = n;
}

/* SK (RFC 7296 §3.14): IV, ciphertext and ICV; only keys make sense of it. */
static void
ikev2_parse_sk(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	(void)m;
	rd_bytes(b, rd_left(b), &p->u.sk.data);
}

/*
 * SKF (RFC 7383 §2.5):
 *  |        Fragment Number        |        Total Fragments        |
 *  |                    Encrypted content ...                      |
 */
static void
ikev2_parse_skf(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	p->u.skf.n = rd_be16(b);
	p->u.skf.total = rd_be16(b);
	if (!rd_ok(b)) {
		p->malformed = "SKF payload shorter than its header";
		return;
	}
	/* Fragment numbers start at 1 and never exceed the total. */
	if (p->u.skf.n == 0 || p->u.skf.n > p->u.skf.total)
		p->malformed = "SKF fragment number";
	m->frag_n = p->u.skf.n;
	m->frag_total = p->u.skf.total;
	rd_bytes(b, rd_left(b), &p->u.skf.data);
}

static const struct {
	uint8_t type;
	ike_payload_fn fn;
} ikev2_parsers[] = {
    {IKEV2_P_N, ikev2_parse_notify},
    {IKEV2_P_SK, ikev2_parse_sk},
    {IKEV2_P_SKF, ikev2_parse_skf},
};

ike_payload_fn
ikev2_payload_parser(uint8_t type)
{
	for (size_t i = 0; i < sizeof(ikev2_parsers) / sizeof(ikev2_parsers[0]); i++)
		if (ikev2_parsers[i].type == type)
			return ikev2_parsers[i].fn;
	return NULL;
}
