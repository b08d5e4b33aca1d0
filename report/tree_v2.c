/* The -vv tree of IKEv2 payloads (RFC 7296 §3). */
#include "report/tree.h"

void
tree_ikev2_payload(struct tw *w, const struct ike_msg *m, const struct ike_payload *p)
{
	switch (p->type) {
	case IKEV2_P_N: {
		if (p->u.notify >= m->nnotify || p->malformed)
			break;
		const struct ike_notify *n = &m->notifies[p->u.notify];
		tw_named(w, "notify", n->type, ike_notify_name(2, n->type));
		if (n->spi.len)
			tw_hex(w, "spi", n->spi.p, n->spi.len);
		if (n->data.len)
			tw_hex(w, "data", n->data.p, n->data.len);
		break;
	}
	case IKEV2_P_SKF:
		tw_uint(w, "fragment", p->u.skf.n);
		tw_uint(w, "total", p->u.skf.total);
		break;
	default:
		break;
	}
}
