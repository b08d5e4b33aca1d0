/*
 * The -vv tree of IKEv2 payloads (RFC 7296 §3, RFC 7383 SKF): what
 * dissect/ikev2.c decoded, written once through the tw_* emitter for both the
 * text and the NDJSON output.
 */
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "dissect/ikev2_names.h"
#include "report/tree.h"

/* Comma-separated lists (SPIs, hash algorithms, CP attributes) fit one value. */
#define TREE_LIST_BUF 512

/* Appends s to the comma-separated list in buf, marking a cut with "...". */
static void
tree_list_add(char *buf, size_t len, const char *s)
{
	size_t o = strlen(buf);
	if (o + 4 >= len)
		return;
	int n = snprintf(buf + o, len - o, "%s%s", o ? "," : "", s);
	if (n < 0 || (size_t)n >= len - o)
		snprintf(buf + len - 4, 4, "...");
}

/* Bytes the sender put after a fixed part of hdr bytes (the capture may hold fewer). */
static unsigned
tree_v2_sent(const struct ike_payload *p, unsigned hdr)
{
	return p->len >= 4 + hdr ? (unsigned)p->len - 4 - hdr : 0;
}

static void
tree_v2_transform(struct tw *w, const struct ike_transform *xf)
{
	tw_begin(w, "transform", "transform");
	tw_named(w, "type", xf->type, ikev2_xf_type_name(xf->type));
	tw_named(w, "id", xf->id, ikev2_xf_id_name(xf->type, xf->id));
	if (xf->keylen)
		tw_uint(w, "keylen", xf->keylen);
	tw_end(w);
}

static void
tree_v2_sa(struct tw *w, const struct ike_msg *m, const struct ike_payload *p)
{
	if (p->u.sa.nprops == 0)
		return;
	tw_list_begin(w, "proposals");
	for (unsigned i = p->u.sa.first_prop; i < (unsigned)p->u.sa.first_prop + p->u.sa.nprops;
	     i++) {
		if (i >= m->nprops)
			break;
		const struct ike_proposal *pr = &m->props[i];
		tw_begin(w, "proposal", "proposal");
		tw_uint(w, "num", pr->num);
		tw_named(w, "proto", pr->proto, ikev2_proto_name(pr->proto));
		if (pr->spi_size) {
			size_t n = pr->spi_size < sizeof(pr->spi) ? pr->spi_size : sizeof(pr->spi);
			tw_hex(w, "spi", pr->spi, n);
		}
		if (pr->declared != pr->count)
			tw_uint(w, "declared_transforms", pr->declared);
		if (pr->count) {
			tw_list_begin(w, "transforms");
			for (unsigned k = pr->first; k < (unsigned)pr->first + pr->count; k++)
				if (k < m->nxf)
					tree_v2_transform(w, &m->xf[k]);
			tw_list_end(w);
		}
		tw_end(w);
	}
	tw_list_end(w);
}

static void
tree_v2_id(struct tw *w, const struct ike_payload *p)
{
	const struct ike_id *id = &p->u.id;
	tw_named(w, "id_type", id->type, ikev2_id_type_name(id->type));
	const uint8_t *d = id->data.p;
	size_t n = id->data.len;
	if (!d)
		return;
	switch (id->type) {
	case IKEV2_ID_IPV4_ADDR:
		if (n == 4)
			tw_ip(w, "id", d, n);
		else
			tw_hex(w, "id", d, n);
		break;
	case IKEV2_ID_IPV6_ADDR:
		if (n == 16)
			tw_ip(w, "id", d, n);
		else
			tw_hex(w, "id", d, n);
		break;
	case IKEV2_ID_FQDN:
	case IKEV2_ID_RFC822_ADDR:
		tw_text(w, "id", d, n);
		break;
	case IKEV2_ID_NULL:
		break;
	default:
		tw_hex(w, "id", d, n);
		break;
	}
}

static void
tree_v2_notify(struct tw *w, const struct ike_msg *m, const struct ike_payload *p)
{
	if (p->u.notify >= m->nnotify)
		return;
	const struct ike_notify *n = &m->notifies[p->u.notify];
	tw_named(w, "notify", n->type, ike_notify_name(2, n->type));
	if (n->proto)
		tw_named(w, "proto", n->proto, ikev2_proto_name(n->proto));
	if (n->spi.len)
		tw_hex(w, "spi", n->spi.p, n->spi.len);
	switch (n->type) {
	case IKEV2_N_INVALID_KE_PAYLOAD:
		if (n->data.len == 2) {
			tw_named(w, "dh_group", n->dh_group, ikev2_dh_name(n->dh_group));
			return;
		}
		break;
	case IKEV2_N_NAT_DETECTION_SOURCE_IP:
	case IKEV2_N_NAT_DETECTION_DESTINATION_IP:
		if (n->data.len) {
			tw_hex(w, "hash", n->data.p, n->data.len);
			return;
		}
		break;
	case IKEV2_N_COOKIE:
		tw_uint(w, "cookie_len", n->data.len);
		break;
	case IKEV2_N_SIGNATURE_HASH_ALGORITHMS: {
		char buf[TREE_LIST_BUF] = "";
		char num[12];
		for (unsigned i = 0; i < n->nhash_algs; i++) {
			const char *s = ikev2_hash_name(n->hash_algs[i]);
			if (!s) {
				snprintf(num, sizeof(num), "%u", n->hash_algs[i]);
				s = num;
			}
			tree_list_add(buf, sizeof(buf), s);
		}
		if (n->nhash_algs) {
			tw_str(w, "hash_algs", buf);
			return;
		}
		break;
	}
	default:
		break;
	}
	if (n->data.len)
		tw_hex(w, "data", n->data.p, n->data.len);
}

static void
tree_v2_delete(struct tw *w, const struct ike_payload *p)
{
	const struct ike_delete *d = &p->u.del;
	tw_named(w, "proto", d->proto, ikev2_proto_name(d->proto));
	if (d->spi_size)
		tw_uint(w, "spi_size", d->spi_size);
	tw_uint(w, "count", d->count);
	if (!d->nspis)
		return;
	char buf[TREE_LIST_BUF] = "";
	char hex[2 * 16 + 1];
	size_t n = d->spi_size < 16 ? d->spi_size : 16;
	for (unsigned i = 0; i < d->nspis; i++) {
		hex_str(d->spis[i], n, hex);
		tree_list_add(buf, sizeof(buf), hex);
	}
	if (d->count > d->nspis)
		tree_list_add(buf, sizeof(buf), "...");
	tw_str(w, "spis", buf);
}

static void
tree_v2_ts(struct tw *w, const struct ike_msg *m, const struct ike_payload *p)
{
	if (p->u.ts.nts == 0)
		return;
	tw_list_begin(w, "selectors");
	for (unsigned i = p->u.ts.first_ts; i < (unsigned)p->u.ts.first_ts + p->u.ts.nts; i++) {
		if (i >= m->nts)
			break;
		const struct ike_ts *ts = &m->ts[i];
		size_t alen = ts->type == IKEV2_TS_IPV6_ADDR_RANGE ? 16 : 4;
		tw_begin(w, "selector", "selector");
		tw_named(w, "ts_type", ts->type, ikev2_ts_type_name(ts->type));
		tw_named(w, "proto", ts->proto, ikev2_ip_proto_name(ts->proto));
		tw_uint(w, "start_port", ts->start_port);
		tw_uint(w, "end_port", ts->end_port);
		tw_ip(w, "start", ts->start, alen);
		tw_ip(w, "end", ts->end, alen);
		tw_end(w);
	}
	tw_list_end(w);
}

static void
tree_v2_cp(struct tw *w, const struct ike_payload *p)
{
	const struct ike_cp *cp = &p->u.cp;
	tw_named(w, "cfg_type", cp->type, ikev2_cfg_type_name(cp->type));
	if (!cp->nattrs)
		return;
	char buf[TREE_LIST_BUF] = "";
	char num[12];
	for (unsigned i = 0; i < cp->nattrs; i++) {
		const char *s = ikev2_cfg_attr_name(cp->attrs[i]);
		if (!s) {
			snprintf(num, sizeof(num), "%u", cp->attrs[i]);
			s = num;
		}
		tree_list_add(buf, sizeof(buf), s);
	}
	tw_str(w, "attrs", buf);
}

/* The encrypted payloads: what is known without keys. */
static void
tree_v2_sk(struct tw *w, const struct ike_msg *m, const struct ike_payload *p)
{
	char buf[16];
	if (p->type == IKEV2_P_SKF) {
		tw_uint(w, "fragment", p->u.skf.n);
		tw_uint(w, "total", p->u.skf.total);
		tw_uint(w, "encrypted_len", tree_v2_sent(p, 4));
		/* RFC 7383 §2.5: only the first fragment names the first inner payload. */
		if (p->u.skf.n != 1)
			return;
	} else {
		tw_uint(w, "encrypted_len", tree_v2_sent(p, 0));
	}
	/* An empty SK is the usual liveness check (RFC 7296 §1.4). */
	if (m->sk_first_inner == IKEV2_P_NONE)
		tw_str(w, "first_inner", "none");
	else
		tw_str(w, "first_inner", ike_payload_name(2, m->sk_first_inner, buf, sizeof(buf)));
}

void
tree_ikev2_payload(struct tw *w, const struct ike_msg *m, const struct ike_payload *p)
{
	/* A payload length that lied left no body to decode. */
	if (!p->body.p)
		return;
	switch (p->type) {
	case IKEV2_P_SA:
		tree_v2_sa(w, m, p);
		break;
	case IKEV2_P_KE:
		if (p->body.len < 4)
			break;
		tw_named(w, "group", p->u.ke.group, ikev2_dh_name(p->u.ke.group));
		tw_uint(w, "data_len", tree_v2_sent(p, 4));
		break;
	case IKEV2_P_IDI:
	case IKEV2_P_IDR:
		if (p->body.len >= 4)
			tree_v2_id(w, p);
		break;
	case IKEV2_P_CERT:
	case IKEV2_P_CERTREQ:
		if (p->body.len < 1)
			break;
		tw_named(w, "encoding", p->u.cert.encoding, ikev2_cert_name(p->u.cert.encoding));
		tw_uint(w, "data_len", tree_v2_sent(p, 1));
		break;
	case IKEV2_P_AUTH:
		if (p->body.len < 4)
			break;
		tw_named(w, "method", p->u.auth.method, ikev2_auth_name(p->u.auth.method));
		tw_uint(w, "data_len", tree_v2_sent(p, 4));
		break;
	case IKEV2_P_NONCE:
		tw_uint(w, "nonce_len", tree_v2_sent(p, 0));
		break;
	case IKEV2_P_N:
		tree_v2_notify(w, m, p);
		break;
	case IKEV2_P_D:
		if (p->body.len >= 4)
			tree_v2_delete(w, p);
		break;
	case IKEV2_P_V:
		if (p->u.vid.data.len)
			tw_hex(w, "data", p->u.vid.data.p, p->u.vid.data.len);
		if (p->u.vid.name)
			tw_str(w, "vendor", p->u.vid.name);
		break;
	case IKEV2_P_TSI:
	case IKEV2_P_TSR:
		tree_v2_ts(w, m, p);
		break;
	case IKEV2_P_CP:
		if (p->body.len >= 4)
			tree_v2_cp(w, p);
		break;
	case IKEV2_P_EAP:
		if (p->body.len < 4)
			break;
		tw_named(w, "code", p->u.eap.code, eap_code_name(p->u.eap.code));
		tw_uint(w, "eap_id", p->u.eap.id);
		tw_uint(w, "eap_len", p->u.eap.len);
		if (p->u.eap.type)
			tw_named(w, "eap_type", p->u.eap.type, eap_type_name(p->u.eap.type));
		break;
	case IKEV2_P_SK:
	case IKEV2_P_SKF:
		tree_v2_sk(w, m, p);
		break;
	default:
		tw_uint(w, "body_len", tree_v2_sent(p, 0));
		break;
	}
}
