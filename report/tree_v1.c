/*
 * The -vv tree of IKEv1 payloads (RFC 2408 §3, RFC 2407 §4, RFC 2409 App. A,
 * RFC 3947, RFC 3706, draft-dukes-ike-mode-cfg, Cisco fragments).
 */
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "dissect/ikev1_names.h"
#include "report/tree.h"

/* Two addresses of n bytes each joined by sep ("/" for a subnet, "-" for a range). */
static void
tree_v1_addr_pair(struct tw *w, const char *key, const uint8_t *p, size_t n, char sep)
{
	struct ip_addr a, b;
	char sa[IP_ADDR_STRLEN], sb[IP_ADDR_STRLEN], buf[2 * IP_ADDR_STRLEN + 2];
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.family = b.family = n == 4 ? 4 : 6;
	memcpy(a.a, p, n);
	memcpy(b.a, p + n, n);
	snprintf(buf, sizeof(buf), "%s%c%s", ip_addr_str(&a, sa), sep, ip_addr_str(&b, sb));
	tw_str(w, key, buf);
}

static void
tree_v1_transform(struct tw *w, const struct ike_proposal *pr, const struct ike_transform *x)
{
	char title[32];
	snprintf(title, sizeof(title), "transform #%u", x->num);
	tw_begin(w, "transform", title);
	tw_uint(w, "number", x->num);
	tw_named(w, "transform_id", x->id, ikev1_transform_name(pr->proto, x->id));
	if (pr->proto == IKEV1_PROTO_ISAKMP) {
		if (x->v1_encr)
			tw_named(w, "encryption", x->v1_encr, ikev1_encr_name(x->v1_encr));
		if (x->keylen)
			tw_uint(w, "key_length", x->keylen);
		if (x->v1_hash)
			tw_named(w, "hash", x->v1_hash, ikev1_hash_name(x->v1_hash));
		if (x->v1_auth)
			tw_named(w, "auth_method", x->v1_auth, ikev1_auth_method_name(x->v1_auth));
		if (x->v1_group)
			tw_named(w, "group", x->v1_group, ikev1_group_name(x->v1_group));
	} else {
		if (x->v1_encap)
			tw_named(w, "encapsulation", x->v1_encap, ikev1_encap_name(x->v1_encap));
		if (x->keylen)
			tw_uint(w, "key_length", x->keylen);
		if (x->v1_auth_alg)
			tw_named(w, "auth_algorithm", x->v1_auth_alg,
				 ikev1_auth_alg_name(x->v1_auth_alg));
		if (x->v1_group)
			tw_named(w, "group", x->v1_group, ikev1_group_name(x->v1_group));
	}
	if (x->life_secs)
		tw_uint(w, "life_seconds", x->life_secs);
	if (x->life_kb)
		tw_uint(w, "life_kilobytes", x->life_kb);
	tw_uint(w, "attributes", x->nattrs);
	tw_end(w);
}

static void
tree_v1_sa(struct tw *w, const struct ike_msg *m, const struct ike_payload *p)
{
	char title[32];
	if (p->type == IKEV1_P_SA) {
		tw_named(w, "doi", p->u.sa.doi, ikev1_doi_name(p->u.sa.doi));
		tw_named(w, "situation", p->u.sa.situation,
			 ikev1_situation_name(p->u.sa.situation));
	}
	if (p->u.sa.nprops == 0)
		return;
	tw_list_begin(w, "proposals");
	for (unsigned i = p->u.sa.first_prop;
	     i < (unsigned)p->u.sa.first_prop + p->u.sa.nprops && i < m->nprops; i++) {
		const struct ike_proposal *pr = &m->props[i];
		snprintf(title, sizeof(title), "proposal #%u", pr->num);
		tw_begin(w, "proposal", title);
		tw_uint(w, "number", pr->num);
		tw_named(w, "protocol", pr->proto, ikev1_proto_name(pr->proto));
		if (pr->spi_size) {
			size_t n = pr->spi_size < sizeof(pr->spi) ? pr->spi_size : sizeof(pr->spi);
			tw_hex(w, "spi", pr->spi, n);
		}
		tw_uint(w, "transform_count", pr->declared);
		tw_list_begin(w, "transforms");
		for (unsigned k = pr->first; k < (unsigned)pr->first + pr->count && k < m->nxf; k++)
			tree_v1_transform(w, pr, &m->xf[k]);
		tw_list_end(w);
		tw_end(w);
	}
	tw_list_end(w);
}

static void
tree_v1_id(struct tw *w, const struct ike_id *id)
{
	tw_named(w, "id_type", id->type, ikev1_id_type_name(id->type));
	tw_uint(w, "protocol", id->proto);
	tw_uint(w, "port", id->port);
	const uint8_t *d = id->data.p;
	size_t n = id->data.len;
	switch (id->type) {
	case IKEV1_ID_IPV4_ADDR:
	case IKEV1_ID_IPV6_ADDR:
		if (n == 4 || n == 16)
			tw_ip(w, "addr", d, n);
		break;
	case IKEV1_ID_IPV4_ADDR_SUBNET:
	case IKEV1_ID_IPV6_ADDR_SUBNET:
		if (n == 8 || n == 32)
			tree_v1_addr_pair(w, "subnet", d, n / 2, '/');
		break;
	case IKEV1_ID_IPV4_ADDR_RANGE:
	case IKEV1_ID_IPV6_ADDR_RANGE:
		if (n == 8 || n == 32)
			tree_v1_addr_pair(w, "range", d, n / 2, '-');
		break;
	case IKEV1_ID_FQDN:
	case IKEV1_ID_USER_FQDN:
		tw_text(w, "value", d, n);
		break;
	default:
		if (n)
			tw_hex(w, "value", d, n);
		break;
	}
}

static void
tree_v1_notify(struct tw *w, const struct ike_msg *m, const struct ike_payload *p)
{
	if (p->u.notify >= m->nnotify)
		return;
	const struct ike_notify *n = &m->notifies[p->u.notify];
	tw_named(w, "notify", n->type, ike_notify_name(1, n->type));
	tw_named(w, "protocol", n->proto, ikev1_proto_name(n->proto));
	if (n->spi.len)
		tw_hex(w, "spi", n->spi.p, n->spi.len);
	if (n->data.len)
		tw_hex(w, "data", n->data.p, n->data.len);
	if ((n->type == IKEV1_N_DPD_R_U_THERE || n->type == IKEV1_N_DPD_R_U_THERE_ACK) &&
	    n->data.len == 4)
		tw_uint(w, "dpd_seq", n->dpd_seq);
	uint32_t secs, kb;
	if (n->type == IKEV1_N_RESPONDER_LIFETIME && ikev1_responder_lifetime(n, &secs, &kb)) {
		if (secs)
			tw_uint(w, "life_seconds", secs);
		if (kb)
			tw_uint(w, "life_kilobytes", kb);
	}
}

static void
tree_v1_delete(struct tw *w, const struct ike_delete *d)
{
	char buf[IKE_MAX_SPIS * (2 * 16 + 1) + 1];
	size_t o = 0;
	size_t n = d->spi_size < sizeof(d->spis[0]) ? d->spi_size : sizeof(d->spis[0]);
	tw_named(w, "protocol", d->proto, ikev1_proto_name(d->proto));
	tw_uint(w, "spi_size", d->spi_size);
	tw_uint(w, "count", d->count);
	buf[0] = '\0';
	for (unsigned i = 0; i < d->nspis && n; i++) {
		if (i)
			buf[o++] = ',';
		hex_str(d->spis[i], n, buf + o);
		o += 2 * n;
	}
	if (o)
		tw_str(w, "spis", buf);
}

static void
tree_v1_attr(struct tw *w, const struct ike_cp *cp)
{
	char buf[IKE_MAX_ATTRS * 32];
	size_t o = 0;
	tw_named(w, "cfg_type", cp->type, ikev1_cfg_type_name(cp->type));
	tw_uint(w, "identifier", cp->id);
	buf[0] = '\0';
	for (unsigned i = 0; i < cp->nattrs && o < sizeof(buf); i++) {
		const char *s = ikev1_cfg_attr_name(cp->attrs[i]);
		int k = s ? snprintf(buf + o, sizeof(buf) - o, "%s%s", i ? "," : "", s)
			  : snprintf(buf + o, sizeof(buf) - o, "%s%u", i ? "," : "", cp->attrs[i]);
		if (k < 0)
			break;
		o += (size_t)k;
	}
	if (cp->nattrs)
		tw_str(w, "attributes", buf);
}

void
tree_ikev1_payload(struct tw *w, const struct ike_msg *m, const struct ike_payload *p)
{
	/* A payload whose length lied was never handed to its parser: nothing decoded. */
	if (p->malformed && p->body.p == NULL)
		return;
	switch (p->type) {
	case IKEV1_P_SA:
	case IKEV1_P_P:
		tree_v1_sa(w, m, p);
		break;
	case IKEV1_P_KE:
		tw_uint(w, "data_len", p->u.ke.data.len);
		break;
	case IKEV1_P_ID:
		tree_v1_id(w, &p->u.id);
		break;
	case IKEV1_P_CERT:
	case IKEV1_P_CR:
		tw_named(w, "encoding", p->u.cert.encoding,
			 ikev1_cert_encoding_name(p->u.cert.encoding));
		tw_uint(w, "data_len", p->u.cert.data.len);
		break;
	case IKEV1_P_HASH:
	case IKEV1_P_SIG:
	case IKEV1_P_NONCE:
		tw_uint(w, "data_len", p->u.nonce.len);
		break;
	case IKEV1_P_NAT_D:
	case IKEV1_P_NAT_D_DRAFT:
		if (p->u.nonce.len)
			tw_hex(w, "hash", p->u.nonce.p, p->u.nonce.len);
		break;
	case IKEV1_P_N:
		tree_v1_notify(w, m, p);
		break;
	case IKEV1_P_D:
		tree_v1_delete(w, &p->u.del);
		break;
	case IKEV1_P_VID:
		if (p->u.vid.data.len)
			tw_hex(w, "data", p->u.vid.data.p, p->u.vid.data.len);
		if (p->u.vid.name)
			tw_str(w, "vendor", p->u.vid.name);
		break;
	case IKEV1_P_ATTR:
		tree_v1_attr(w, &p->u.cp);
		break;
	case IKEV1_P_NAT_OA:
	case IKEV1_P_NAT_OA_DRAFT:
		tw_named(w, "id_type", p->u.nat_oa.id_type,
			 ikev1_id_type_name(p->u.nat_oa.id_type));
		if (p->u.nat_oa.addr.len == 4 || p->u.nat_oa.addr.len == 16)
			tw_ip(w, "addr", p->u.nat_oa.addr.p, p->u.nat_oa.addr.len);
		break;
	case IKEV1_P_FRAG:
		tw_uint(w, "frag_id", p->u.frag.id);
		tw_uint(w, "number", p->u.frag.n);
		tw_bool(w, "last", p->u.frag.last);
		tw_uint(w, "data_len", p->u.frag.data.len);
		break;
	default:
		break;
	}
}
