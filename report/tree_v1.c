/* The -vv tree of IKEv1 payloads (RFC 2408 §3, RFC 2407, RFC 3947). */
#include "report/tree.h"

void
tree_ikev1_payload(struct tw *w, const struct ike_msg *m, const struct ike_payload *p)
{
	switch (p->type) {
	case IKEV1_P_N: {
		if (p->u.notify >= m->nnotify || p->malformed)
			break;
		const struct ike_notify *n = &m->notifies[p->u.notify];
		tw_named(w, "notify", n->type, ike_notify_name(1, n->type));
		if (n->spi.len)
			tw_hex(w, "spi", n->spi.p, n->spi.len);
		if (n->data.len)
			tw_hex(w, "data", n->data.p, n->data.len);
		break;
	}
	default:
		break;
	}
}
