/*
 * IKEv1 payloads (RFC 2408 §3, RFC 2409, RFC 2407 DOI, RFC 3947, RFC 3706):
 * one parser per payload type, dispatched through a table.
 */
#include <string.h>

#include "dissect/ike.h"

/*
 * Notification (RFC 2408 §3.14):
 *  |              Domain of Interpretation  (DOI)                  |
 *  |  Protocol-ID  |   SPI Size    |      Notify Message Type      |
 *  |                Security Parameter Index (SPI)                 |
 *  |                       Notification Data                       |
 */
static void
ikev1_parse_notify(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	struct ike_notify n;
	memset(&n, 0, sizeof(n));
	rd_skip(b, 4); /* DOI */
	n.proto = rd_u8(b);
	n.spi_size = rd_u8(b);
	n.type = rd_be16(b);
	rd_bytes(b, n.spi_size, &n.spi);
	if (b->err == RD_BAD) {
		p->malformed = "notification SPI size overruns the payload";
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

static const struct {
	uint8_t type;
	ike_payload_fn fn;
} ikev1_parsers[] = {
    {IKEV1_P_N, ikev1_parse_notify},
};

ike_payload_fn
ikev1_payload_parser(uint8_t type)
{
	for (size_t i = 0; i < sizeof(ikev1_parsers) / sizeof(ikev1_parsers[0]); i++)
		if (ikev1_parsers[i].type == type)
			return ikev1_parsers[i].fn;
	return NULL;
}
