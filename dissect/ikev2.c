/*
 * IKEv2 payloads: one parser per payload type, dispatched through a table
 * indexed by type.
 *
 *   RFC 7296 §3.3 SA (proposals, transforms, attributes), §3.4 KE, §3.5 IDi/IDr,
 *   §3.6 CERT, §3.7 CERTREQ, §3.8 AUTH, §3.9 Nonce, §3.10 Notify, §3.11 Delete,
 *   §3.12 Vendor ID, §3.13 TSi/TSr, §3.14 SK, §3.15 CP, §3.16 EAP;
 *   RFC 7383 §2.5 SKF; RFC 7427 §4 SIGNATURE_HASH_ALGORITHMS; RFC 6467 GSPM.
 *
 * Every parser works inside the window of exactly len - 4 bytes that ike.c opened.
 * A read that runs out of captured bytes (RD_TRUNC) stops quietly: the walker marks
 * the message truncated.  A length or count that contradicts the bytes the sender
 * sent (RD_BAD, or a check below) sets p->malformed naming the field.
 */
#include <string.h>

#include "dissect/ike.h"
#include "dissect/ikev2_names.h"

/*
 * Bounds on the walks, independent of the packet.  Each turn also consumes at
 * least 4 bytes, so the payload length bounds them too.  Proposal numbers and
 * transform / selector counts are one octet: more turns than 255 is a lie.
 */
#define IKEV2_WALK_PROPOSALS  255
#define IKEV2_WALK_TRANSFORMS 255
#define IKEV2_WALK_ATTRS      64
#define IKEV2_WALK_SELECTORS  255
#define IKEV2_WALK_CP_ATTRS   512

#define IKEV2_PROP_HDR	 8  /* proposal substructure without SPI and transforms */
#define IKEV2_XF_HDR	 8  /* transform substructure without attributes */
#define IKEV2_TS_HDR	 8  /* selector type, protocol, length, ports */
#define IKEV2_NATD_LEN	 20 /* SHA-1 output (RFC 7296 §2.23) */
#define IKEV2_COOKIE_MAX 64

/* Only the first lie is named: later ones often follow from it. */
static void
ikev2_bad(struct ike_payload *p, const char *why)
{
	if (!p->malformed)
		p->malformed = why;
}

/*
 * After the fixed part of a payload: false when it could not be read.  A body
 * shorter than the fixed part as sent is malformed; one cut by the capture is not.
 */
static bool
ikev2_fixed_ok(const struct rd *b, struct ike_payload *p, const char *why)
{
	if (b->err == RD_BAD)
		ikev2_bad(p, why);
	return rd_ok(b);
}

/*
 * Transform attributes (RFC 7296 §3.3.5):
 *  |A|       Attribute Type        |    AF=0  Attribute Length     |
 *  |                               |    AF=1  Attribute Value      |
 *  ~                   AF=0  Attribute Value                       ~
 */
static void
ikev2_parse_xf_attrs(struct rd *a, struct ike_payload *p, struct ike_transform *xf)
{
	for (unsigned i = 0; rd_wire_left(a) > 0; i++) {
		/* No registered transform carries more than one attribute. */
		if (i >= IKEV2_WALK_ATTRS) {
			ikev2_bad(p, "transform attribute chain longer than any real transform");
			return;
		}
		uint16_t t = rd_be16(a);
		uint16_t v = rd_be16(a);
		if (!ikev2_fixed_ok(a, p, "transform attribute shorter than its header"))
			return;
		if (xf->nattrs < UINT8_MAX)
			xf->nattrs++;
		if (t & 0x8000) {
			if ((t & 0x7fff) == IKEV2_XA_KEY_LENGTH)
				xf->keylen = v;
			continue;
		}
		/* TLV form: v is the value's length; it may not run past the transform. */
		if (v > rd_wire_left(a)) {
			ikev2_bad(p, "transform attribute length overruns the transform");
			return;
		}
		rd_skip(a, v);
		if (!rd_ok(a))
			return;
	}
}

/*
 * Transform substructure (RFC 7296 §3.3.2):
 *  | Last Substruc |   RESERVED    |        Transform Length       |
 *  |Transform Type |   RESERVED    |          Transform ID         |
 *  ~                      Transform Attributes                     ~
 * Returns false when the walk of this proposal cannot go on.
 */
static bool
ikev2_parse_transform(struct rd *pr, struct ike_payload *p, struct ike_msg *m,
		      struct ike_proposal *prop, uint8_t *last)
{
	*last = rd_u8(pr);
	rd_u8(pr);
	uint16_t len = rd_be16(pr);
	if (!ikev2_fixed_ok(pr, p, "transform header overruns the proposal"))
		return false;
	/* Last Substruc is 0 (last) or 3 (more follow); the length still leads on. */
	if (*last != 0 && *last != 3)
		ikev2_bad(p, "transform last-substructure value");
	if (len < IKEV2_XF_HDR) {
		ikev2_bad(p, "transform length below its header");
		return false;
	}
	if ((size_t)len - 4 > rd_wire_left(pr)) {
		ikev2_bad(p, "transform length overruns the proposal");
		return false;
	}
	struct rd t = rd_sub(pr, (size_t)len - 4);
	struct ike_transform xf;
	memset(&xf, 0, sizeof(xf));
	xf.type = rd_u8(&t);
	rd_u8(&t);
	xf.id = rd_be16(&t);
	if (!rd_ok(&t))
		return false;
	ikev2_parse_xf_attrs(&t, p, &xf);
	/* A transform is kept only with a place for its proposal. */
	if (m->nxf < IKE_MAX_TRANSFORMS && m->nprops < IKE_MAX_PROPOSALS) {
		m->xf[m->nxf++] = xf;
		prop->count++;
	} else {
		m->overflow = true;
	}
	return true;
}

/*
 * Proposal substructure (RFC 7296 §3.3.1):
 *  | Last Substruc |   RESERVED    |         Proposal Length       |
 *  | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
 *  ~                        SPI (variable)                         ~
 *  ~                        <Transforms>                           ~
 * Returns whether the proposal was walked to its end.
 */
static bool
ikev2_parse_proposal(struct rd *pr, struct ike_payload *p, struct ike_msg *m)
{
	struct ike_proposal prop;
	memset(&prop, 0, sizeof(prop));
	prop.num = rd_u8(pr);
	prop.proto = rd_u8(pr);
	prop.spi_size = rd_u8(pr);
	prop.declared = rd_u8(pr);
	if (!ikev2_fixed_ok(pr, p, "proposal header overruns the proposal"))
		return false;
	struct span spi;
	if (!rd_bytes(pr, prop.spi_size, &spi)) {
		if (pr->err == RD_BAD)
			ikev2_bad(p, "proposal SPI size overruns the proposal");
		return false;
	}
	if (spi.len)
		memcpy(prop.spi, spi.p, spi.len < sizeof(prop.spi) ? spi.len : sizeof(prop.spi));
	prop.first = (uint16_t)m->nxf;

	unsigned seen = 0;
	uint8_t last = 3;
	bool whole = true;
	while (rd_wire_left(pr) > 0) {
		/* The transform count is one octet. */
		if (seen >= IKEV2_WALK_TRANSFORMS) {
			ikev2_bad(p, "more transforms than a proposal can count");
			whole = false;
			break;
		}
		/* Last Substruc 0 said the previous transform was the last one. */
		if (last == 0)
			ikev2_bad(p, "bytes after the transform marked last");
		if (!ikev2_parse_transform(pr, p, m, &prop, &last)) {
			whole = false;
			break;
		}
		seen++;
	}
	/* A peer counts what it sends; a count that differs hides or invents transforms. */
	if (whole && rd_ok(pr) && seen != prop.declared)
		ikev2_bad(p, "proposal transform count differs from the transforms present");
	/* A proposal whose last transform says more follow ends early. */
	else if (whole && rd_ok(pr) && seen > 0 && last != 0)
		ikev2_bad(p, "last transform not marked last");

	if (m->nprops < IKE_MAX_PROPOSALS) {
		m->props[m->nprops++] = prop;
		p->u.sa.nprops++;
	} else {
		m->overflow = true;
	}
	return whole && rd_ok(pr);
}

/*
 * Security Association (RFC 7296 §3.3):
 *  | Next Payload  |C|  RESERVED   |         Payload Length        |
 *  ~                          <Proposals>                          ~
 */
static void
ikev2_parse_sa(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	p->u.sa.first_prop = (uint16_t)m->nprops;
	p->u.sa.nprops = 0;
	uint8_t last = 2;
	bool whole = true;
	unsigned seen = 0;
	while (rd_wire_left(b) > 0) {
		/* Proposal numbers are one octet. */
		if (seen >= IKEV2_WALK_PROPOSALS) {
			ikev2_bad(p, "more proposals than proposal numbers");
			return;
		}
		/* Last Substruc 0 said the previous proposal was the last one. */
		if (last == 0)
			ikev2_bad(p, "bytes after the proposal marked last");
		last = rd_u8(b);
		rd_u8(b);
		uint16_t len = rd_be16(b);
		if (!ikev2_fixed_ok(b, p, "proposal header overruns the SA payload"))
			return;
		/* Last Substruc is 0 (last) or 2 (more follow); the length still leads on. */
		if (last != 0 && last != 2)
			ikev2_bad(p, "proposal last-substructure value");
		if (len < IKEV2_PROP_HDR) {
			ikev2_bad(p, "proposal length below its header");
			return;
		}
		if ((size_t)len - 4 > rd_wire_left(b)) {
			ikev2_bad(p, "proposal length overruns the SA payload");
			return;
		}
		struct rd pr = rd_sub(b, (size_t)len - 4);
		if (!ikev2_parse_proposal(&pr, p, m))
			whole = false;
		seen++;
	}
	/* An SA payload holds at least one proposal, and the last is marked so. */
	if (seen == 0 && rd_ok(b))
		ikev2_bad(p, "SA payload without a proposal");
	else if (whole && rd_ok(b) && last != 0)
		ikev2_bad(p, "last proposal not marked last");
}

/*
 * Key Exchange (RFC 7296 §3.4):
 *  |   Diffie-Hellman Group Num    |           RESERVED            |
 *  ~                       Key Exchange Data                       ~
 */
static void
ikev2_parse_ke(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	(void)m;
	p->u.ke.group = rd_be16(b);
	rd_be16(b);
	if (!ikev2_fixed_ok(b, p, "KE payload shorter than its header"))
		return;
	size_t sent = rd_wire_left(b);
	size_t want = ikev2_dh_ke_len(p->u.ke.group);
	/* The group fixes the public value's length (RFC 7296 §3.4: else INVALID_SYNTAX). */
	if (want && sent != want)
		ikev2_bad(p, "KE data length does not match the group");
	rd_bytes(b, rd_left(b), &p->u.ke.data);
}

/*
 * Identification (RFC 7296 §3.5):
 *  |   ID Type     |                 RESERVED                      |
 *  ~                   Identification Data                         ~
 */
static void
ikev2_parse_id(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	(void)m;
	p->u.id.type = rd_u8(b);
	rd_be24(b);
	if (!ikev2_fixed_ok(b, p, "ID payload shorter than its header"))
		return;
	size_t sent = rd_wire_left(b);
	/* Address identities have the address's size. */
	if (p->u.id.type == IKEV2_ID_IPV4_ADDR && sent != 4)
		ikev2_bad(p, "ID_IPV4_ADDR data is not 4 bytes");
	else if (p->u.id.type == IKEV2_ID_IPV6_ADDR && sent != 16)
		ikev2_bad(p, "ID_IPV6_ADDR data is not 16 bytes");
	rd_bytes(b, rd_left(b), &p->u.id.data);
}

/*
 * Certificate / Certificate Request (RFC 7296 §3.6, §3.7):
 *  | Cert Encoding |                                               |
 *  +-+-+-+-+-+-+-+-+                                               |
 *  ~                 Certificate Data / Certification Authority    ~
 */
static void
ikev2_parse_cert(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	(void)m;
	p->u.cert.encoding = rd_u8(b);
	if (!ikev2_fixed_ok(b, p, "CERT/CERTREQ payload without an encoding"))
		return;
	rd_bytes(b, rd_left(b), &p->u.cert.data);
}

/*
 * Authentication (RFC 7296 §3.8):
 *  | Auth Method   |                RESERVED                       |
 *  ~                      Authentication Data                      ~
 */
static void
ikev2_parse_auth(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	(void)m;
	p->u.auth.method = rd_u8(b);
	rd_be24(b);
	if (!ikev2_fixed_ok(b, p, "AUTH payload shorter than its header"))
		return;
	/* An AUTH payload proves something only with data. */
	if (rd_wire_left(b) == 0)
		ikev2_bad(p, "AUTH payload without authentication data");
	rd_bytes(b, rd_left(b), &p->u.auth.data);
}

/*
 * Nonce (RFC 7296 §3.9):
 *  ~                            Nonce Data                         ~
 * RFC 7296 wants 16..256 bytes; the length is kept for the diagnosis, and only
 * an empty nonce, which cannot contribute to the keys, is called malformed.
 */
static void
ikev2_parse_nonce(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	(void)m;
	if (rd_wire_left(b) == 0)
		ikev2_bad(p, "empty nonce");
	rd_bytes(b, rd_left(b), &p->u.nonce);
}

/* The data of the notify types that define one (RFC 7296 §3.10.1, RFC 7427, RFC 7383). */
static void
ikev2_notify_data(const struct rd *b, struct ike_payload *p, struct ike_msg *m,
		  struct ike_notify *n)
{
	size_t sent = rd_wire_left(b);
	/* Decoded from a copy: n->data keeps the whole notification data. */
	struct rd d = *b;
	switch (n->type) {
	case IKEV2_N_INVALID_KE_PAYLOAD:
		/* The data is the two-octet group the responder wants. */
		if (sent != 2) {
			ikev2_bad(p, "INVALID_KE_PAYLOAD data is not a 2-byte group");
			break;
		}
		n->dh_group = rd_be16(&d);
		break;
	case IKEV2_N_NAT_DETECTION_SOURCE_IP:
	case IKEV2_N_NAT_DETECTION_DESTINATION_IP:
		/* The data is a SHA-1 digest (RFC 7296 §2.23). */
		if (sent != IKEV2_NATD_LEN)
			ikev2_bad(p, "NAT detection hash is not 20 bytes");
		break;
	case IKEV2_N_COOKIE:
		/* RFC 7296 §2.6: a cookie is 1 to 64 octets. */
		if (sent < 1 || sent > IKEV2_COOKIE_MAX)
			ikev2_bad(p, "COOKIE length outside 1..64 bytes");
		break;
	case IKEV2_N_SIGNATURE_HASH_ALGORITHMS: {
		/* A list of two-octet hash algorithm numbers. */
		if (sent % 2) {
			ikev2_bad(p, "SIGNATURE_HASH_ALGORITHMS data has an odd length");
			break;
		}
		while (n->nhash_algs < IKE_MAX_HASH_ALGS && rd_left(&d) >= 2)
			n->hash_algs[n->nhash_algs++] = rd_be16(&d);
		if (rd_left(&d) >= 2)
			m->overflow = true;
		break;
	}
	case IKEV2_N_REKEY_SA:
		/* The SA being rekeyed is named only by the SPI field. */
		if (n->spi_size == 0)
			ikev2_bad(p, "REKEY_SA without an SPI");
		break;
	default:
		break;
	}
}

/*
 * Notify (RFC 7296 §3.10):
 *  |  Protocol ID  |   SPI Size    |      Notify Message Type      |
 *  ~                Security Parameter Index (SPI)                 ~
 *  ~                       Notification Data                       ~
 */
static void
ikev2_parse_notify(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	struct ike_notify n;
	memset(&n, 0, sizeof(n));
	/* Out of range until stored: the tree checks u.notify < m->nnotify. */
	p->u.notify = UINT16_MAX;
	n.proto = rd_u8(b);
	n.spi_size = rd_u8(b);
	n.type = rd_be16(b);
	if (!ikev2_fixed_ok(b, p, "notify payload shorter than its header"))
		return;
	rd_bytes(b, n.spi_size, &n.spi);
	if (b->err == RD_BAD) {
		ikev2_bad(p, "notify SPI size overruns the payload");
		return;
	}
	if (!rd_ok(b))
		return;
	ikev2_notify_data(b, p, m, &n);
	rd_bytes(b, rd_left(b), &n.data);
	ike_msg_add_notify(m, p, &n);
}

/*
 * Delete (RFC 7296 §3.11):
 *  | Protocol ID   |   SPI Size    |          Num of SPIs          |
 *  ~               Security Parameter Index(es) (SPI)              ~
 */
static void
ikev2_parse_delete(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	(void)m;
	struct ike_delete *d = &p->u.del;
	d->proto = rd_u8(b);
	d->spi_size = rd_u8(b);
	d->count = rd_be16(b);
	if (!ikev2_fixed_ok(b, p, "Delete payload shorter than its header"))
		return;
	/* Deleting the IKE SA names no SPI: the header's SPIs say which. */
	if (d->proto == IKEV2_PROTO_IKE && (d->spi_size != 0 || d->count != 0))
		ikev2_bad(p, "IKE SA delete carries SPIs");
	/* AH and ESP SPIs are four octets. */
	else if ((d->proto == IKEV2_PROTO_AH || d->proto == IKEV2_PROTO_ESP) && d->spi_size != 4)
		ikev2_bad(p, "Delete SPI size is not 4 for AH/ESP");
	/* The SPIs fill the rest exactly. */
	if ((size_t)d->count * d->spi_size != rd_wire_left(b)) {
		ikev2_bad(p, "Delete SPI count times size differs from the payload");
		if ((size_t)d->count * d->spi_size > rd_wire_left(b))
			return;
	}
	if (d->spi_size == 0)
		return;
	while (d->nspis < d->count && d->nspis < IKE_MAX_SPIS) {
		struct span s;
		if (!rd_bytes(b, d->spi_size, &s))
			return;
		memcpy(d->spis[d->nspis++], s.p, s.len < 16 ? s.len : 16);
	}
}

/* Vendor ID (RFC 7296 §3.12): an opaque identifier, recognised by value. */
static void
ikev2_parse_vendor(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	(void)m;
	rd_bytes(b, rd_left(b), &p->u.vid.data);
	p->u.vid.name = ike_vendor_name(p->u.vid.data.p, p->u.vid.data.len);
}

/*
 * Traffic Selector (RFC 7296 §3.13.1):
 *  |   TS Type     |IP Protocol ID*|       Selector Length         |
 *  |           Start Port*         |           End Port*           |
 *  ~                         Starting Address*                     ~
 *  ~                         Ending Address*                       ~
 * Returns false when the walk cannot go on.
 */
static bool
ikev2_parse_selector(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	struct ike_ts ts;
	memset(&ts, 0, sizeof(ts));
	ts.initiator = p->type == IKEV2_P_TSI;
	ts.type = rd_u8(b);
	ts.proto = rd_u8(b);
	uint16_t len = rd_be16(b);
	if (!ikev2_fixed_ok(b, p, "traffic selector header overruns the payload"))
		return false;
	if (len < 4) {
		ikev2_bad(p, "traffic selector length below its header");
		return false;
	}
	if ((size_t)len - 4 > rd_wire_left(b)) {
		ikev2_bad(p, "traffic selector length overruns the payload");
		return false;
	}
	size_t alen = ts.type == IKEV2_TS_IPV4_ADDR_RANGE   ? 4
		      : ts.type == IKEV2_TS_IPV6_ADDR_RANGE ? 16
							    : 0;
	/* An address range selector is the header and two addresses, nothing else. */
	if (alen && len != IKEV2_TS_HDR + 2 * alen) {
		ikev2_bad(p, "traffic selector length does not match its type");
		rd_skip(b, (size_t)len - 4);
		return rd_ok(b);
	}
	struct rd s = rd_sub(b, (size_t)len - 4);
	if (!alen)
		return true;
	ts.start_port = rd_be16(&s);
	ts.end_port = rd_be16(&s);
	rd_copy(&s, ts.start, alen);
	rd_copy(&s, ts.end, alen);
	if (!rd_ok(&s))
		return false;
	if (m->nts < IKE_MAX_TS) {
		m->ts[m->nts++] = ts;
		p->u.ts.nts++;
	} else {
		m->overflow = true;
	}
	return true;
}

/*
 * Traffic Selectors (RFC 7296 §3.13):
 *  | Number of TSs |                 RESERVED                      |
 *  ~                       <Traffic Selectors>                     ~
 */
static void
ikev2_parse_ts(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	p->u.ts.first_ts = (uint16_t)m->nts;
	p->u.ts.nts = 0;
	uint8_t count = rd_u8(b);
	rd_be24(b);
	if (!ikev2_fixed_ok(b, p, "TS payload shorter than its header"))
		return;
	unsigned seen = 0;
	while (rd_wire_left(b) > 0) {
		/* The count is one octet. */
		if (seen >= IKEV2_WALK_SELECTORS) {
			ikev2_bad(p, "more traffic selectors than a TS payload can count");
			return;
		}
		if (!ikev2_parse_selector(b, p, m))
			return;
		seen++;
	}
	/* A count that differs from the selectors present hides or invents some. */
	if (rd_ok(b) && seen != count)
		ikev2_bad(p, "TS count differs from the selectors present");
	/* RFC 7296 §3.13: a TS payload holds at least one selector. */
	else if (rd_ok(b) && count == 0)
		ikev2_bad(p, "TS payload without a selector");
}

/*
 * Configuration (RFC 7296 §3.15, §3.15.1):
 *  |   CFG Type    |                    RESERVED                   |
 *  ~                   Configuration Attributes                    ~
 * attributes:
 *  |R|         Attribute Type      |            Length             |
 *  ~                             Value                             ~
 */
static void
ikev2_parse_cp(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	struct ike_cp *cp = &p->u.cp;
	cp->type = rd_u8(b);
	rd_be24(b);
	if (!ikev2_fixed_ok(b, p, "CP payload shorter than its header"))
		return;
	for (unsigned i = 0; rd_wire_left(b) > 0; i++) {
		/* Bounded independently of the bytes: each turn also takes >= 4 of them. */
		if (i >= IKEV2_WALK_CP_ATTRS) {
			ikev2_bad(p, "CP attribute list longer than any real payload");
			return;
		}
		uint16_t t = rd_be16(b) & 0x7fff;
		uint16_t len = rd_be16(b);
		if (!ikev2_fixed_ok(b, p, "CP attribute header overruns the payload"))
			return;
		if (len > rd_wire_left(b)) {
			ikev2_bad(p, "CP attribute length overruns the payload");
			return;
		}
		rd_skip(b, len);
		if (cp->nattrs < IKE_MAX_ATTRS)
			cp->attrs[cp->nattrs++] = t;
		else
			m->overflow = true;
		if (!rd_ok(b))
			return;
	}
}

/*
 * EAP (RFC 7296 §3.16, RFC 3748 §4):
 *  ~                       EAP Message                             ~
 *  |     Code      | Identifier    |            Length             |
 *  |     Type      | Type_Data...
 */
static void
ikev2_parse_eap(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	(void)m;
	size_t sent = rd_wire_left(b);
	p->u.eap.code = rd_u8(b);
	p->u.eap.id = rd_u8(b);
	p->u.eap.len = rd_be16(b);
	if (!ikev2_fixed_ok(b, p, "EAP message shorter than its header"))
		return;
	/* The EAP message is the whole payload body (RFC 7296 §3.16). */
	if (p->u.eap.len != sent) {
		ikev2_bad(p, "EAP length differs from the payload");
		return;
	}
	/* Only requests and responses carry a type (RFC 3748 §4.1). */
	if (p->u.eap.code != EAP_CODE_REQUEST && p->u.eap.code != EAP_CODE_RESPONSE)
		return;
	p->u.eap.type = rd_u8(b);
	ikev2_fixed_ok(b, p, "EAP request or response without a type");
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
 *  ~                    Encrypted content ...                      ~
 */
static void
ikev2_parse_skf(struct rd *b, struct ike_payload *p, struct ike_msg *m)
{
	p->u.skf.n = rd_be16(b);
	p->u.skf.total = rd_be16(b);
	if (!ikev2_fixed_ok(b, p, "SKF payload shorter than its header"))
		return;
	/* Fragment numbers start at 1 and never exceed the total. */
	if (p->u.skf.n == 0 || p->u.skf.n > p->u.skf.total)
		ikev2_bad(p, "SKF fragment number");
	m->frag_n = p->u.skf.n;
	m->frag_total = p->u.skf.total;
	rd_bytes(b, rd_left(b), &p->u.skf.data);
}

/*
 * Payload types without a parser (GSPM 49 of RFC 6467, the G-IKEv2 payloads 50-52,
 * Puzzle Solution 54 of RFC 8019, private use) keep their body in p->body.
 */
static const ike_payload_fn ikev2_parsers[] = {
    [IKEV2_P_SA] = ikev2_parse_sa,     [IKEV2_P_KE] = ikev2_parse_ke,
    [IKEV2_P_IDI] = ikev2_parse_id,    [IKEV2_P_IDR] = ikev2_parse_id,
    [IKEV2_P_CERT] = ikev2_parse_cert, [IKEV2_P_CERTREQ] = ikev2_parse_cert,
    [IKEV2_P_AUTH] = ikev2_parse_auth, [IKEV2_P_NONCE] = ikev2_parse_nonce,
    [IKEV2_P_N] = ikev2_parse_notify,  [IKEV2_P_D] = ikev2_parse_delete,
    [IKEV2_P_V] = ikev2_parse_vendor,  [IKEV2_P_TSI] = ikev2_parse_ts,
    [IKEV2_P_TSR] = ikev2_parse_ts,    [IKEV2_P_SK] = ikev2_parse_sk,
    [IKEV2_P_CP] = ikev2_parse_cp,     [IKEV2_P_EAP] = ikev2_parse_eap,
    [IKEV2_P_SKF] = ikev2_parse_skf,
};

ike_payload_fn
ikev2_payload_parser(uint8_t type)
{
	if (type >= sizeof(ikev2_parsers) / sizeof(ikev2_parsers[0]))
		return NULL;
	return ikev2_parsers[type];
}
