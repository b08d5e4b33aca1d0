/*
 * IKEv1 payloads: RFC 2408 §3 (ISAKMP), RFC 2407 §4 (IPsec DOI), RFC 2409
 * App. A (phase 1 attributes), RFC 3947 (NAT-D, NAT-OA), RFC 3706 (DPD),
 * draft-dukes-ike-mode-cfg (ATTR) and the Cisco/strongSwan fragment payload.
 * One parser per payload type, dispatched through a table.  Each one gets the
 * body of exactly len - 4 bytes and reads it only through the reader.
 */
#include <string.h>

#include "dissect/ike.h"
#include "dissect/ikev1_names.h"

/* Fixed bounds of the walks, independent of any count the packet claims. */
#define IKEV1_MAX_PROP_WALK 255 /* proposals per SA */
#define IKEV1_MAX_XF_WALK   255 /* transforms per proposal (the count is one byte) */
#define IKEV1_MAX_ATTR_WALK 255 /* attributes per transform or ATTR payload */

#define IKEV1_ATTR_AF 0x8000 /* attribute format bit: TV, the value is the second half */

/* Only the first lie of a payload is kept: later ones often follow from it. */
static void
ikev1_bad(struct ike_payload *p, const char *field)
{
	if (p->malformed == NULL)
		p->malformed = field;
}

/* One data attribute; val holds TLV values of up to 4 bytes (long ones stay 0). */
struct ikev1_attr {
	uint16_t type; /* without the AF bit */
	bool tv;
	bool fits; /* val holds the whole value */
	uint32_t val;
};

enum ikev1_attr_res { ATTR_OK, ATTR_END, ATTR_LIE };

/*
 * Data attributes (RFC 2408 §3.3):
 *  |A|       Attribute Type        |    AF=0  Attribute Length     |
 *  |                               |    AF=1  Attribute Value      |
 *  ~                   AF=0  Attribute Value                       ~
 * ATTR_END when the window ends or the capture does; *why says what lies.
 */
static enum ikev1_attr_res
ikev1_next_attr(struct rd *r, struct ikev1_attr *a, const char *overrun, const char **why)
{
	uint16_t t = rd_be16(r);
	uint16_t lv = rd_be16(r);
	if (!rd_ok(r)) {
		/* A fragment of fewer than 4 bytes cannot be an attribute. */
		if (r->err == RD_BAD) {
			*why = "attribute shorter than its 4-byte header";
			return ATTR_LIE;
		}
		return ATTR_END;
	}
	memset(a, 0, sizeof(*a));
	a->type = t & (uint16_t)~IKEV1_ATTR_AF;
	a->tv = (t & IKEV1_ATTR_AF) != 0;
	if (a->tv) {
		a->val = lv;
		a->fits = true;
		return ATTR_OK;
	}
	/* A TLV value must end inside its container. */
	if (lv > rd_wire_left(r)) {
		*why = overrun;
		return ATTR_LIE;
	}
	struct rd v = rd_sub(r, lv);
	/* Variable-length values (life duration) longer than 4 bytes are skipped. */
	if (lv <= 4) {
		for (uint16_t i = 0; i < lv; i++)
			a->val = a->val << 8 | rd_u8(&v);
		a->fits = rd_ok(&v);
	}
	if (v.cap < v.wire)
		return ATTR_END;
	return ATTR_OK;
}

static uint16_t
ikev1_attr16(const struct ikev1_attr *a)
{
	return a->fits && a->val <= 0xffff ? (uint16_t)a->val : 0;
}

/* Decodes one SA attribute into the transform (phase 1 for ISAKMP, phase 2 otherwise). */
static void
ikev1_xf_attr(struct ike_transform *x, uint8_t proto, const struct ikev1_attr *a,
	      uint16_t *life_type)
{
	if (x->nattrs < UINT8_MAX)
		x->nattrs++;
	unsigned ltype = proto == IKEV1_PROTO_ISAKMP ? IKEV1_A_LIFE_TYPE : IKEV1_A2_LIFE_TYPE;
	unsigned ldur =
	    proto == IKEV1_PROTO_ISAKMP ? IKEV1_A_LIFE_DURATION : IKEV1_A2_LIFE_DURATION;
	unsigned klen = proto == IKEV1_PROTO_ISAKMP ? IKEV1_A_KEY_LENGTH : IKEV1_A2_KEY_LENGTH;
	unsigned grp = proto == IKEV1_PROTO_ISAKMP ? IKEV1_A_GROUP_DESC : IKEV1_A2_GROUP_DESC;
	if (a->type == ltype) {
		*life_type = ikev1_attr16(a);
	} else if (a->type == ldur) {
		/* A duration applies to the life type announced just before it. */
		if (!a->fits)
			return;
		if (*life_type == IKEV1_LIFE_SECONDS)
			x->life_secs = a->val;
		else if (*life_type == IKEV1_LIFE_KILOBYTES)
			x->life_kb = a->val;
	} else if (a->type == klen) {
		x->keylen = ikev1_attr16(a);
	} else if (a->type == grp) {
		x->v1_group = ikev1_attr16(a);
	} else if (proto == IKEV1_PROTO_ISAKMP) {
		if (a->type == IKEV1_A_ENCR)
			x->v1_encr = ikev1_attr16(a);
		else if (a->type == IKEV1_A_HASH)
			x->v1_hash = ikev1_attr16(a);
		else if (a->type == IKEV1_A_AUTH)
			x->v1_auth = ikev1_attr16(a);
	} else {
		if (a->type == IKEV1_A2_ENCAP_MODE)
			x->v1_encap = ikev1_attr16(a);
		else if (a->type == IKEV1_A2_AUTH_ALG)
			x->v1_auth_alg = ikev1_attr16(a);
	}
}

/* The transform after its generic header: number, ID, reserved, attributes. */
static void
ikev1_parse_transform_body(struct rd *t, uint8_t proto, struct ike_transform *x,
			   struct ike_payload *p)
{
	memset(x, 0, sizeof(*x));
	x->num = rd_u8(t);
	x->id = rd_u8(t);
	rd_skip(t, 2);
	uint16_t life_type = 0;
	for (unsigned i = 0; rd_ok(t) && rd_wire_left(t) > 0; i++) {
		/* Every turn consumes the 4-byte attribute header at least. */
		if (i >= IKEV1_MAX_ATTR_WALK) {
			ikev1_bad(p, "more attributes than a transform can hold");
			return;
		}
		struct ikev1_attr a;
		const char *why = NULL;
		enum ikev1_attr_res res = ikev1_next_attr(
		    t, &a, "transform attribute length overruns the transform", &why);
		if (res == ATTR_LIE)
			ikev1_bad(p, why);
		if (res != ATTR_OK)
			return;
		ikev1_xf_attr(x, proto, &a, &life_type);
	}
}

/*
 * Transform (RFC 2408 §3.6):
 *  | Next Payload  |   RESERVED    |         Payload Length        |
 *  |  Transform #  |  Transform-Id |           RESERVED2           |
 *  ~                        SA Attributes                          ~
 * Returns false when the proposal cannot be walked further.
 */
static bool
ikev1_parse_transform(struct rd *pr, uint8_t proto, struct ike_transform *x, uint8_t *next,
		      struct ike_payload *p)
{
	*next = rd_u8(pr);
	rd_skip(pr, 1);
	uint16_t len = rd_be16(pr);
	if (!rd_ok(pr)) {
		/* Bytes left in the proposal but too few for a transform header. */
		if (pr->err == RD_BAD)
			ikev1_bad(p, "transform header overruns the proposal");
		return false;
	}
	/* Below 8 the transform cannot hold its own fields, and the walk would stall. */
	if (len < 8) {
		ikev1_bad(p, "transform length below 8");
		return false;
	}
	/* A transform cannot end after its proposal. */
	if ((size_t)len - 4 > rd_wire_left(pr)) {
		ikev1_bad(p, "transform length overruns the proposal");
		return false;
	}
	struct rd t = rd_sub(pr, (size_t)len - 4);
	ikev1_parse_transform_body(&t, proto, x, p);
	return true;
}

/* The proposal after its generic header: fields, SPI, transforms. */
static void
ikev1_parse_proposal_body(struct rd *pr, struct ike_payload *p, struct ike_msg *m)
{
	struct ike_proposal prop;
	memset(&prop, 0, sizeof(prop));
	prop.num = rd_u8(pr);
	prop.proto = rd_u8(pr);
	prop.spi_size = rd_u8(pr);
	prop.declared = rd_u8(pr);
	if (!rd_ok(pr))
		return;
	/* The SPI must fit in the proposal. */
	if (prop.spi_size > rd_wire_left(pr)) {
		ikev1_bad(p, "proposal SPI size overruns the proposal");
		return;
	}
	struct rd spi = rd_sub(pr, prop.spi_size);
	size_t keep = prop.spi_size < sizeof(prop.spi) ? prop.spi_size : sizeof(prop.spi);
	rd_copy(&spi, prop.spi, keep);

	struct ike_proposal *stored = NULL;
	if (m->nprops < IKE_MAX_PROPOSALS) {
		stored = &m->props[m->nprops++];
		*stored = prop;
		stored->first = (uint16_t)m->nxf;
		p->u.sa.nprops++;
	} else {
		m->overflow = true;
	}
	unsigned seen = 0;
	bool whole = true;
	uint8_t xnext = 0;
	while (rd_ok(pr) && rd_wire_left(pr) > 0) {
		/* Every turn consumes a transform of 8 bytes at least. */
		if (seen >= IKEV1_MAX_XF_WALK) {
			ikev1_bad(p, "more transforms than a proposal can count");
			whole = false;
			break;
		}
		struct ike_transform x;
		if (!ikev1_parse_transform(pr, prop.proto, &x, &xnext, p)) {
			whole = false;
			break;
		}
		seen++;
		/* Only a transform substructure (3) or the last one (0) may follow. */
		if (xnext != 0 && xnext != IKEV1_P_T)
			ikev1_bad(p, "transform next payload neither 0 nor 3");
		if (stored == NULL)
			continue;
		if (m->nxf >= IKE_MAX_TRANSFORMS) {
			m->overflow = true;
			continue;
		}
		m->xf[m->nxf++] = x;
		stored->count++;
	}
	/* The count is checked only when every transform was there to be counted. */
	if (whole && pr->cap == pr->wire && seen != prop.declared)
		ikev1_bad(p, "proposal transform count does not match its transforms");
	if (whole && seen > 0 && xnext != 0 && pr->cap == pr->wire)
		ikev1_bad(p, "last transform does not end the chain");
}

/*
 * Proposal (RFC 2408 §3.5):
 *  | Next Payload  |   RESERVED    |         Payload Length        |
 *  |  Proposal #   |  Protocol-Id  |    SPI Size   |# of Transforms|
 *  ~                        SPI (variable)                         ~
 *  ~                        Transforms                             ~
 * Returns false when the SA payload cannot be walked further.
 */
static bool
ikev1_parse_proposal(struct rd *b, uint8_t *next, struct ike_payload *p, struct ike_msg *m)
{
	*next = rd_u8(b);
	rd_skip(b, 1);
	uint16_t len = rd_be16(b);
	if (!rd_ok(b)) {
		if (b->err == RD_BAD)
			ikev1_bad(p, "proposal header overruns the SA payload");
		return false;
	}
	/* Only a proposal substructure (2) or the last one (0) may follow. */
	if (*next != 0 && *next != IKEV1_P_P)
		ikev1_bad(p, "proposal next payload neither 0 nor 2");
	/* Below 8 the proposal cannot hold its own fields, and the walk would stall. */
	if (len < 8) {
		ikev1_bad(p, "proposal length below 8");
		return false;
	}
	/* A proposal cannot end after its SA payload. */
	if ((size_t)len - 4 > rd_wire_left(b)) {
		ikev1_bad(p, "proposal length overruns the SA payload");
		return false;
	}
	struct rd pr = rd_sub(b, (size_t)len - 4);
	ikev1_parse_proposal_body(&pr, p, m);
	return true;
}

/*
 * Security Association (RFC 2408 §3.4, RFC 2407 §4.6.1):
 *  | Next Payload  |   RESERVED    |         Payload Length        |
 *  |              Domain of Interpretation  (DOI)                  |
 *  ~                           Situation                           ~
 *  ~                           Proposals                           ~
 */
static void
ikev1_parse_sa(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	p->u.sa.first_prop = (uint16_t)m->nprops;
	p->u.sa.nprops = 0;
	p->u.sa.doi = rd_be32(b);
	p->u.sa.situation = rd_be32(b);
	if (!rd_ok(b)) {
		/* The DOI and situation are mandatory. */
		if (b->err == RD_BAD)
			ikev1_bad(p, "SA payload shorter than DOI and situation");
		return;
	}
	/* Proposals follow the situation only in the ISAKMP and IPsec DOIs. */
	if (p->u.sa.doi != IKEV1_DOI_IPSEC && p->u.sa.doi != IKEV1_DOI_ISAKMP)
		return;
	/* Labeled domains (secrecy, integrity) put more fields before the proposals. */
	if (p->u.sa.situation & (IKEV1_SIT_SECRECY | IKEV1_SIT_INTEGRITY))
		return;
	uint8_t next = IKEV1_P_P;
	for (unsigned i = 0; rd_ok(b) && rd_wire_left(b) > 0; i++) {
		/* Every turn consumes a proposal of 8 bytes at least. */
		if (i >= IKEV1_MAX_PROP_WALK) {
			ikev1_bad(p, "more proposals than an SA payload can hold");
			return;
		}
		if (next == 0) {
			ikev1_bad(p, "bytes after the last proposal");
			return;
		}
		if (!ikev1_parse_proposal(b, &next, p, m))
			return;
	}
	/* An SA that announces another proposal must carry it. */
	if (rd_ok(b) && next == IKEV1_P_P && b->cap == b->wire)
		ikev1_bad(p, "SA payload ends before its last proposal");
}

/*
 * A proposal (2) or transform (3) in the payload chain itself, outside any SA
 * (seen in crafted and corrupted captures): parsed as the substructure would be.
 */
static void
ikev1_parse_top_proposal(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	p->u.sa.first_prop = (uint16_t)m->nprops;
	p->u.sa.nprops = 0;
	ikev1_parse_proposal_body(b, p, m);
}

static void
ikev1_parse_top_transform(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	(void)m;
	struct ike_transform x;
	ikev1_parse_transform_body(b, 0, &x, p);
}

/* Key Exchange (RFC 2408 §3.7): the public value, all of the body. */
static void
ikev1_parse_ke(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	(void)m;
	rd_bytes(b, rd_left(b), &p->u.ke.data);
}

/* Identification data length each ID type requires (RFC 2407 §4.6.2.1); 0 = any. */
static size_t
ikev1_id_len(uint8_t type)
{
	switch (type) {
	case IKEV1_ID_IPV4_ADDR:
		return 4;
	case IKEV1_ID_IPV4_ADDR_SUBNET:
	case IKEV1_ID_IPV4_ADDR_RANGE:
		return 8;
	case IKEV1_ID_IPV6_ADDR:
		return 16;
	case IKEV1_ID_IPV6_ADDR_SUBNET:
	case IKEV1_ID_IPV6_ADDR_RANGE:
		return 32;
	default:
		return 0;
	}
}

/*
 * Identification (RFC 2408 §3.8, RFC 2407 §4.6.2):
 *  | Next Payload  |   RESERVED    |         Payload Length        |
 *  |   ID Type     |  Protocol ID  |             Port              |
 *  ~                     Identification Data                       ~
 */
static void
ikev1_parse_id(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	(void)m;
	struct ike_id *id = &p->u.id;
	id->type = rd_u8(b);
	id->proto = rd_u8(b);
	id->port = rd_be16(b);
	if (!rd_ok(b)) {
		/* Type, protocol and port are mandatory. */
		if (b->err == RD_BAD)
			ikev1_bad(p, "ID payload shorter than type, protocol and port");
		return;
	}
	/* An address, subnet or range ID must hold exactly that many bytes. */
	size_t need = ikev1_id_len(id->type);
	if (need && rd_wire_left(b) != need)
		ikev1_bad(p, "ID data length does not match the ID type");
	rd_bytes(b, rd_left(b), &id->data);
}

/*
 * Certificate (RFC 2408 §3.9) and Certificate Request (§3.10):
 *  | Next Payload  |   RESERVED    |         Payload Length        |
 *  | Cert Encoding |                                               |
 *  +-+-+-+-+-+-+-+-+    Certificate Data / Certificate Authority   ~
 */
static void
ikev1_parse_cert(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	(void)m;
	p->u.cert.encoding = rd_u8(b);
	if (!rd_ok(b)) {
		/* The encoding byte is mandatory. */
		if (b->err == RD_BAD)
			ikev1_bad(p, p->type == IKEV1_P_CERT ? "CERT payload without an encoding"
							     : "CR payload without an encoding");
		return;
	}
	rd_bytes(b, rd_left(b), &p->u.cert.data);
}

/*
 * Hash (§3.11), Signature (§3.12), Nonce (§3.13), NAT-D (RFC 3947 §3.2): opaque
 * data, all of the body.
 */
static void
ikev1_parse_data(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	(void)m;
	rd_bytes(b, rd_left(b), &p->u.nonce);
}

/* RESPONDER-LIFETIME data: life type / duration attributes (RFC 2407 §4.6.3.1). */
static bool
ikev1_walk_lifetime(struct rd *r, uint32_t *secs, uint32_t *kb)
{
	uint16_t life_type = 0;
	*secs = 0;
	*kb = 0;
	for (unsigned i = 0; rd_ok(r) && rd_wire_left(r) > 0; i++) {
		/* Every turn consumes the 4-byte attribute header at least. */
		if (i >= IKEV1_MAX_ATTR_WALK)
			return false;
		struct ikev1_attr a;
		const char *why = NULL;
		enum ikev1_attr_res res = ikev1_next_attr(
		    r, &a, "RESPONDER-LIFETIME attribute overruns the notification", &why);
		if (res == ATTR_LIE)
			return false;
		if (res == ATTR_END)
			break;
		if (a.type == IKEV1_A2_LIFE_TYPE) {
			life_type = ikev1_attr16(&a);
		} else if (a.type == IKEV1_A2_LIFE_DURATION && a.fits) {
			if (life_type == IKEV1_LIFE_SECONDS)
				*secs = a.val;
			else if (life_type == IKEV1_LIFE_KILOBYTES)
				*kb = a.val;
		}
	}
	return true;
}

bool
ikev1_responder_lifetime(const struct ike_notify *n, uint32_t *secs, uint32_t *kb)
{
	struct rd r = rd_init(n->data.p, n->data.len, n->data.len);
	return ikev1_walk_lifetime(&r, secs, kb);
}

/*
 * Notification (RFC 2408 §3.14):
 *  |              Domain of Interpretation  (DOI)                  |
 *  |  Protocol-ID  |   SPI Size    |      Notify Message Type      |
 *  |                Security Parameter Index (SPI)                 |
 *  |                       Notification Data                       |
 * R-U-THERE / R-U-THERE-ACK (RFC 3706 §5): the data is a 4-byte sequence number.
 */
static void
ikev1_parse_notify(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	struct ike_notify n;
	memset(&n, 0, sizeof(n));
	p->u.notify = UINT16_MAX;
	rd_skip(b, 4); /* DOI */
	n.proto = rd_u8(b);
	n.spi_size = rd_u8(b);
	n.type = rd_be16(b);
	if (b->err == RD_BAD) {
		ikev1_bad(p, "notification shorter than its fixed fields");
		return;
	}
	rd_bytes(b, n.spi_size, &n.spi);
	if (b->err == RD_BAD) {
		ikev1_bad(p, "notification SPI size overruns the payload");
		return;
	}
	if (!rd_ok(b))
		return;
	size_t sent = rd_wire_left(b);
	struct rd data = rd_sub(b, sent);
	rd_bytes(&data, data.cap, &n.data);
	if (n.type == IKEV1_N_DPD_R_U_THERE || n.type == IKEV1_N_DPD_R_U_THERE_ACK) {
		/* RFC 3706 §5: the sequence number is the whole notification data. */
		if (sent != 4)
			ikev1_bad(p, "DPD sequence number is not 4 bytes");
		struct rd seq = rd_init(n.data.p, n.data.len, sent);
		n.dpd_seq = rd_be32(&seq);
	} else if (n.type == IKEV1_N_RESPONDER_LIFETIME) {
		struct rd life = rd_init(n.data.p, n.data.len, sent);
		uint32_t secs, kb;
		/* The lifetime attributes must fit in the notification data. */
		if (!ikev1_walk_lifetime(&life, &secs, &kb))
			ikev1_bad(p, "RESPONDER-LIFETIME attribute overruns the notification");
	}
	ike_msg_add_notify(m, p, &n);
}

/*
 * Delete (RFC 2408 §3.15):
 *  |              Domain of Interpretation  (DOI)                  |
 *  |  Protocol-Id  |   SPI Size    |           # of SPIs           |
 *  ~               Security Parameter Index(es) (SPI)              ~
 */
static void
ikev1_parse_delete(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	(void)m;
	struct ike_delete *d = &p->u.del;
	rd_skip(b, 4); /* DOI */
	d->proto = rd_u8(b);
	d->spi_size = rd_u8(b);
	d->count = rd_be16(b);
	if (!rd_ok(b)) {
		/* DOI, protocol, SPI size and count are mandatory. */
		if (b->err == RD_BAD)
			ikev1_bad(p, "delete payload shorter than its fixed fields");
		return;
	}
	/* The SPIs the count announces must all be in the payload. */
	if ((size_t)d->count * d->spi_size > rd_wire_left(b)) {
		ikev1_bad(p, "delete SPI count times SPI size overruns the payload");
		return;
	}
	size_t keep = d->spi_size < sizeof(d->spis[0]) ? d->spi_size : sizeof(d->spis[0]);
	for (unsigned i = 0; i < d->count && i < IKE_MAX_SPIS; i++) {
		struct rd spi = rd_sub(b, d->spi_size);
		if (!rd_copy(&spi, d->spis[i], keep))
			break;
		d->nspis++;
	}
}

/* Vendor ID (RFC 2408 §3.16): opaque; named only when wholly captured. */
static void
ikev1_parse_vid(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	(void)m;
	bool whole = rd_left(b) == rd_wire_left(b);
	rd_bytes(b, rd_left(b), &p->u.vid.data);
	p->u.vid.name = whole ? ike_vendor_name(p->u.vid.data.p, p->u.vid.data.len) : NULL;
}

/*
 * Attribute payload of the transaction exchange (draft-dukes-ike-mode-cfg §3.2):
 *  | Next Payload  |   RESERVED    |         Payload Length        |
 *  |     Type      |   RESERVED    |           Identifier          |
 *  ~                           Attributes                          ~
 */
static void
ikev1_parse_attr(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	struct ike_cp *cp = &p->u.cp;
	cp->type = rd_u8(b);
	rd_skip(b, 1);
	cp->id = rd_be16(b);
	if (!rd_ok(b)) {
		/* Type and identifier are mandatory. */
		if (b->err == RD_BAD)
			ikev1_bad(p, "ATTR payload shorter than type and identifier");
		return;
	}
	for (unsigned i = 0; rd_ok(b) && rd_wire_left(b) > 0; i++) {
		/* Every turn consumes the 4-byte attribute header at least. */
		if (i >= IKEV1_MAX_ATTR_WALK) {
			ikev1_bad(p, "more attributes than an ATTR payload can hold");
			return;
		}
		struct ikev1_attr a;
		const char *why = NULL;
		enum ikev1_attr_res res =
		    ikev1_next_attr(b, &a, "attribute length overruns the ATTR payload", &why);
		if (res == ATTR_LIE)
			ikev1_bad(p, why);
		if (res != ATTR_OK)
			return;
		if (cp->nattrs >= IKE_MAX_ATTRS) {
			m->overflow = true;
			continue;
		}
		cp->attrs[cp->nattrs++] = a.type;
	}
}

/*
 * NAT Original Address (RFC 3947 §5.2):
 *  | Next Payload  |   RESERVED    |         Payload Length        |
 *  |    ID Type    |   RESERVED    |            RESERVED           |
 *  ~           IPv4 (4 octets) or IPv6 address (16 octets)         ~
 */
static void
ikev1_parse_nat_oa(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	(void)m;
	p->u.nat_oa.id_type = rd_u8(b);
	rd_skip(b, 3);
	if (!rd_ok(b)) {
		/* The ID type and reserved bytes are mandatory. */
		if (b->err == RD_BAD)
			ikev1_bad(p, "NAT-OA payload shorter than its ID type");
		return;
	}
	size_t need = p->u.nat_oa.id_type == IKEV1_ID_IPV4_ADDR	  ? 4
		      : p->u.nat_oa.id_type == IKEV1_ID_IPV6_ADDR ? 16
								  : 0;
	/* RFC 3947 §5.2 allows only an IPv4 or an IPv6 address. */
	if (need == 0)
		ikev1_bad(p, "NAT-OA ID type neither IPv4 nor IPv6 address");
	else if (rd_wire_left(b) != need)
		ikev1_bad(p, "NAT-OA address length does not match its ID type");
	rd_bytes(b, rd_left(b), &p->u.nat_oa.addr);
}

/*
 * IKE fragment (Cisco / strongSwan IKEv1 fragmentation, payload 132):
 *  | Next Payload  |   RESERVED    |         Payload Length        |
 *  |          Fragment ID          |  Fragment #   |     Flags     |
 *  ~                         Fragment Data                         ~
 */
static void
ikev1_parse_frag(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	(void)m;
	p->u.frag.id = rd_be16(b);
	p->u.frag.n = rd_u8(b);
	uint8_t flags = rd_u8(b);
	if (!rd_ok(b)) {
		/* Fragment ID, number and flags are mandatory. */
		if (b->err == RD_BAD)
			ikev1_bad(p, "fragment payload shorter than its fixed fields");
		return;
	}
	p->u.frag.last = (flags & 0x01) != 0;
	rd_bytes(b, rd_left(b), &p->u.frag.data);
}

static const struct {
	uint8_t type;
	ike_payload_fn fn;
} ikev1_parsers[] = {
    {IKEV1_P_SA, ikev1_parse_sa},
    {IKEV1_P_P, ikev1_parse_top_proposal},
    {IKEV1_P_T, ikev1_parse_top_transform},
    {IKEV1_P_KE, ikev1_parse_ke},
    {IKEV1_P_ID, ikev1_parse_id},
    {IKEV1_P_CERT, ikev1_parse_cert},
    {IKEV1_P_CR, ikev1_parse_cert},
    {IKEV1_P_HASH, ikev1_parse_data},
    {IKEV1_P_SIG, ikev1_parse_data},
    {IKEV1_P_NONCE, ikev1_parse_data},
    {IKEV1_P_N, ikev1_parse_notify},
    {IKEV1_P_D, ikev1_parse_delete},
    {IKEV1_P_VID, ikev1_parse_vid},
    {IKEV1_P_ATTR, ikev1_parse_attr},
    {IKEV1_P_NAT_D, ikev1_parse_data},
    {IKEV1_P_NAT_OA, ikev1_parse_nat_oa},
    {IKEV1_P_NAT_D_DRAFT, ikev1_parse_data},
    {IKEV1_P_NAT_OA_DRAFT, ikev1_parse_nat_oa},
    {IKEV1_P_FRAG, ikev1_parse_frag},
};

ike_payload_fn
ikev1_payload_parser(uint8_t type)
{
	for (size_t i = 0; i < sizeof(ikev1_parsers) / sizeof(ikev1_parsers[0]); i++)
		if (ikev1_parsers[i].type == type)
			return ikev1_parsers[i].fn;
	return NULL;
}
