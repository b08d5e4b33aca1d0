/*
 * IPv4 (RFC 791), IPv6 (RFC 8200) with extension headers and AH (RFC 4302)
 * walked under a bound, fragments reassembled, then the demultiplexing the
 * analysis needs:
 *   UDP 500                      -> IKE
 *   UDP 4500, one byte 0xFF      -> NAT keepalive (RFC 3948 §2.3)
 *   UDP 4500, four zero bytes    -> non-ESP marker, then IKE (RFC 3948 §2.2)
 *   UDP 4500, otherwise          -> ESP in UDP (RFC 3948 §2.1)
 *   IP protocol 50               -> ESP (RFC 4303)
 *   ICMP/ICMPv6 errors quoting any of these -> kept as evidence.
 */
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"

#define IPPROTO_HOPOPTS_  0
#define IPPROTO_ICMP_	  1
#define IPPROTO_UDP_	  17
#define IPPROTO_ROUTING_  43
#define IPPROTO_FRAGMENT_ 44
#define IPPROTO_ESP_	  50
#define IPPROTO_AH_	  51
#define IPPROTO_ICMPV6_	  58
#define IPPROTO_NONE_	  59
#define IPPROTO_DSTOPTS_  60
#define IPPROTO_MH_	  135

#define MAX_EXT_HEADERS 8
#define IKE_HDR_LEN	28

struct decoder {
	struct reasm *reasm;
};

static void decode_l4(uint8_t proto, struct rd *r, struct pkt *p, struct cap_stats *st,
		      bool in_icmp);

struct decoder *
decoder_new(cap_drop_fn dropfn, void *ctx)
{
	struct decoder *d = xcalloc(1, sizeof(*d));
	struct reasm_cfg cfg = {
	    .max_datagrams = 1024,
	    .max_bytes = 65535,
	    .max_fragments = 64,
	    .timeout_usec = 30ULL * 1000000,
	};
	d->reasm = reasm_new(&cfg, dropfn, ctx);
	return d;
}

void
decoder_free(struct decoder *d)
{
	if (d == NULL)
		return;
	reasm_free(d->reasm);
	free(d);
}

void
decoder_finish(struct decoder *d)
{
	reasm_finish(d->reasm);
}

const struct reasm_stats *
decoder_reasm_stats(const struct decoder *d)
{
	return reasm_get_stats(d->reasm);
}

/* The IKE header's length field must be at least the header: tshark's rule too. */
static bool
ike_plausible(const struct rd *r)
{
	uint32_t len;
	if (rd_wire_left(r) < IKE_HDR_LEN)
		return false;
	if (!rd_peek_be32(r, 24, &len))
		return false;
	return len >= IKE_HDR_LEN;
}

static void
decode_natt(struct rd *r, struct pkt *p)
{
	uint8_t b0;
	uint32_t marker;
	if (rd_wire_left(r) == 1 && rd_peek_u8(r, 0, &b0) && b0 == 0xff) {
		p->kind = PK_NAT_KEEPALIVE;
		return;
	}
	/* The first four bytes decide: zero is the non-ESP marker, else an SPI. */
	if (!rd_peek_be32(r, 0, &marker)) {
		p->kind = PK_OTHER_IKE_PORT;
		return;
	}
	if (marker == 0) {
		rd_skip(r, 4);
		p->kind = ike_plausible(r) ? PK_IKE : PK_OTHER_IKE_PORT;
		return;
	}
	p->kind = PK_ESP_UDP;
}

/*
 * Well-known services below 500 that Wireshark, trying the lower port first,
 * gives a datagram to before IKE: DNS, DHCP, TFTP, Kerberos, RPC, NTP,
 * NetBIOS, SNMP, CLDAP, SLP, kpasswd.  No NAT maps a peer to these ports.
 */
static bool
udp_service_port(uint16_t port)
{
	static const uint16_t services[] = {7,	 53,  67,  68,	69,  88,  111, 123,
					    137, 138, 161, 162, 389, 427, 464};
	for (size_t i = 0; i < ARRAY_LEN(services); i++)
		if (services[i] == port)
			return true;
	return false;
}

static void
decode_udp(struct rd *r, struct pkt *p, struct cap_stats *st, bool in_icmp)
{
	p->sport = rd_be16(r);
	p->dport = rd_be16(r);
	uint16_t ulen = rd_be16(r);
	rd_skip(r, 2);
	if (!rd_ok(r) || in_icmp)
		return;
	/* A UDP length shorter than its own header cannot be read at all. */
	if (ulen < 8) {
		st->ip_malformed++;
		return;
	}
	struct rd pl;
	if (ulen - 8u <= rd_wire_left(r)) {
		pl = rd_sub(r, ulen - 8u);
	} else {
		/* Longer than the IP payload: a lie, unless only a first fragment is at hand. */
		if (!p->partial)
			st->ip_malformed++;
		pl = rd_sub(r, rd_wire_left(r));
	}
	if (rd_left(&pl) == 0)
		return;
	bool ike = p->sport == IKE_PORT || p->dport == IKE_PORT;
	bool natt = p->sport == NATT_PORT || p->dport == NATT_PORT;
	if (!ike && !natt)
		return;
	uint16_t other = p->sport == IKE_PORT || p->sport == NATT_PORT ? p->dport : p->sport;
	if (udp_service_port(other))
		return;
	p->l4 = pl;
	/* As Wireshark does: the lower port is tried first, so 500 wins over 4500. */
	if (ike)
		p->kind = ike_plausible(&pl) ? PK_IKE : PK_OTHER_IKE_PORT;
	else
		decode_natt(&p->l4, p);
}

/* The datagram an ICMP error quotes: IP header and at least 8 bytes of it. */
static void
decode_icmp_quote(struct rd *r, struct pkt *p, struct cap_stats *st)
{
	struct pkt q;
	memset(&q, 0, sizeof(q));
	uint8_t b;
	if (!rd_peek_u8(r, 0, &b))
		return;
	uint8_t ver = b >> 4;
	uint8_t proto = 0;
	if (ver == 4) {
		uint8_t vhl = rd_u8(r);
		rd_skip(r, 8);
		proto = rd_u8(r);
		rd_skip(r, 2);
		q.src.family = q.dst.family = 4;
		rd_copy(r, q.src.a, 4);
		rd_copy(r, q.dst.a, 4);
		size_t hl = (size_t)(vhl & 15) * 4;
		if (hl < 20 || !rd_skip(r, hl - 20))
			return;
	} else if (ver == 6) {
		rd_skip(r, 6);
		proto = rd_u8(r);
		rd_skip(r, 1);
		q.src.family = q.dst.family = 6;
		rd_copy(r, q.src.a, 16);
		rd_copy(r, q.dst.a, 16);
	} else {
		return;
	}
	if (!rd_ok(r))
		return;
	if (proto == IPPROTO_UDP_) {
		decode_l4(proto, r, &q, st, true);
		if (!rd_ok(r) && !(q.sport || q.dport))
			return;
		if (q.sport != IKE_PORT && q.dport != IKE_PORT && q.sport != NATT_PORT &&
		    q.dport != NATT_PORT)
			return;
	} else if (proto == IPPROTO_ESP_) {
		uint32_t spi = rd_be32(r);
		p->icmp.spi = rd_ok(r) ? spi : 0;
	} else {
		return;
	}
	p->kind = PK_ICMP;
	p->icmp.src = q.src;
	p->icmp.dst = q.dst;
	p->icmp.proto = proto;
	p->icmp.sport = q.sport;
	p->icmp.dport = q.dport;
}

static void
decode_icmp(uint8_t proto, struct rd *r, struct pkt *p, struct cap_stats *st)
{
	uint8_t type = rd_u8(r);
	uint8_t code = rd_u8(r);
	rd_skip(r, 2);
	uint32_t rest = rd_be32(r);
	if (!rd_ok(r))
		return;
	bool err;
	uint32_t mtu = 0;
	if (proto == IPPROTO_ICMP_) {
		/* Destination unreachable, fragmentation needed carrying the next-hop MTU. */
		err = type == 3;
		if (type == 3 && code == 4)
			mtu = rest & 0xffff;
	} else {
		/* ICMPv6 destination unreachable (1) and packet too big (2). */
		err = type == 1 || type == 2;
		if (type == 2)
			mtu = rest;
	}
	if (!err)
		return;
	p->icmp.version = proto == IPPROTO_ICMP_ ? 4 : 6;
	p->icmp.type = type;
	p->icmp.code = code;
	p->icmp.mtu = mtu;
	decode_icmp_quote(r, p, st);
	p->l4 = *r;
}

static void
decode_l4(uint8_t proto, struct rd *r, struct pkt *p, struct cap_stats *st, bool in_icmp)
{
	p->ipproto = proto;
	switch (proto) {
	case IPPROTO_UDP_:
		decode_udp(r, p, st, in_icmp);
		break;
	case IPPROTO_ESP_:
		if (!in_icmp) {
			p->kind = PK_ESP;
			p->l4 = *r;
		}
		break;
	case IPPROTO_ICMP_:
	case IPPROTO_ICMPV6_:
		if (!in_icmp)
			decode_icmp(proto, r, p, st);
		break;
	default:
		break;
	}
}

/* Only protocols the analysis reads are worth rebuilding. */
static bool
reasm_wanted(uint8_t proto)
{
	return proto == IPPROTO_UDP_ || proto == IPPROTO_ESP_ || proto == IPPROTO_ICMP_ ||
	       proto == IPPROTO_ICMPV6_;
}

/* Feeds a fragment; on completion decodes the rebuilt datagram's payload. */
static void
decode_fragment(struct decoder *d, struct reasm_frag *f, struct pkt *p, struct cap_stats *st)
{
	struct reasm_datagram out;
	p->kind = PK_IP_FRAGMENT;
	p->ipproto = f->proto;
	if (f->offset == 0 && f->proto == IPPROTO_UDP_ && f->caplen >= 4) {
		struct rd u = rd_init(f->data, f->caplen, f->len);
		p->sport = rd_be16(&u);
		p->dport = rd_be16(&u);
	}
	if (!reasm_wanted(f->proto))
		return;
	/*
	 * A fragment cut by the snaplen cannot be rebuilt (Wireshark does not try
	 * either): a first fragment is read for what it holds, later ones are opaque.
	 */
	if (f->caplen < f->len) {
		if (f->offset != 0)
			return;
		p->kind = PK_NONE;
		p->sport = p->dport = 0;
		p->partial = true;
		struct rd r = rd_init(f->data, f->caplen, f->len);
		decode_l4(f->proto, &r, p, st, false);
		return;
	}
	if (!reasm_add(d->reasm, f, &out))
		return;
	p->kind = PK_NONE;
	p->sport = p->dport = 0;
	p->reassembled = true;
	p->reasm_outcome = out.outcome;
	p->nfrag_frames = out.nframes < REASM_MAX_FRAMES ? out.nframes : REASM_MAX_FRAMES;
	memcpy(p->frag_frames, out.frames, p->nfrag_frames * sizeof(out.frames[0]));
	struct rd r = rd_init(out.data, out.len, out.len);
	decode_l4(f->proto, &r, p, st, false);
}

/* Walks AH (RFC 4302 §2.2): its length counts 32-bit words minus 2. */
static bool
skip_ah(struct rd *r, uint8_t *proto)
{
	*proto = rd_u8(r);
	uint8_t len = rd_u8(r);
	return rd_skip(r, ((size_t)len + 2) * 4 - 2);
}

static void
decode_ipv4(struct decoder *d, struct rd *r, struct pkt *p, struct cap_stats *st)
{
	uint8_t vhl = rd_u8(r);
	rd_skip(r, 1);
	uint16_t totlen = rd_be16(r);
	uint16_t id = rd_be16(r);
	uint16_t frag = rd_be16(r);
	rd_skip(r, 1);
	uint8_t proto = rd_u8(r);
	rd_skip(r, 2);
	p->src.family = p->dst.family = 4;
	rd_copy(r, p->src.a, 4);
	rd_copy(r, p->dst.a, 4);
	size_t hl = (size_t)(vhl & 15) * 4;
	if (!rd_ok(r) || vhl >> 4 != 4 || hl < 20) {
		st->ip_malformed++;
		return;
	}
	/* Segmentation offload writes 0 as total length: then the frame decides. */
	size_t avail = rd_wire_left(r) + 20;
	size_t tl = totlen ? totlen : avail;
	if (tl < hl || tl - 20 > rd_wire_left(r)) {
		if (tl < hl) {
			st->ip_malformed++;
			return;
		}
		tl = avail; /* the frame was cut or the length lies: read what is there */
	}
	if (!rd_skip(r, hl - 20)) {
		st->ip_malformed++;
		return;
	}
	p->ip_len = tl;
	struct rd pl = rd_sub(r, tl - hl);
	uint16_t off = frag & 0x1fff;
	bool more = frag & 0x2000;
	if (off || more) {
		struct reasm_frag f = {
		    .src = p->src,
		    .dst = p->dst,
		    .id = id,
		    .proto = proto,
		    .offset = (uint32_t)off * 8,
		    .more = more,
		    .data = pl.p,
		    .caplen = pl.cap,
		    .len = pl.wire,
		    .frame = p->fr->num,
		    .ts_usec = p->fr->ts_usec,
		};
		decode_fragment(d, &f, p, st);
		return;
	}
	/* AH before ESP (or UDP): bounded like every chain. */
	for (int i = 0; i < MAX_EXT_HEADERS && proto == IPPROTO_AH_; i++)
		if (!skip_ah(&pl, &proto))
			return;
	decode_l4(proto, &pl, p, st, false);
}

static void
decode_ipv6(struct decoder *d, struct rd *r, struct pkt *p, struct cap_stats *st)
{
	uint32_t vtf = rd_be32(r);
	uint16_t plen = rd_be16(r);
	uint8_t nh = rd_u8(r);
	rd_skip(r, 1);
	p->src.family = p->dst.family = 6;
	rd_copy(r, p->src.a, 16);
	rd_copy(r, p->dst.a, 16);
	if (!rd_ok(r) || vtf >> 28 != 6) {
		st->ip_malformed++;
		return;
	}
	/* Jumbograms (length 0) and lengths that lie: read what the frame holds. */
	size_t pl_len = plen && plen <= rd_wire_left(r) ? plen : rd_wire_left(r);
	p->ip_len = pl_len + 40;
	struct rd pl = rd_sub(r, pl_len);
	for (int i = 0; i < MAX_EXT_HEADERS; i++) {
		switch (nh) {
		case IPPROTO_HOPOPTS_:
		case IPPROTO_ROUTING_:
		case IPPROTO_DSTOPTS_:
		case IPPROTO_MH_: {
			nh = rd_u8(&pl);
			uint8_t len = rd_u8(&pl);
			if (!rd_skip(&pl, ((size_t)len + 1) * 8 - 2))
				return;
			continue;
		}
		case IPPROTO_AH_:
			if (!skip_ah(&pl, &nh))
				return;
			continue;
		case IPPROTO_FRAGMENT_: {
			uint8_t next = rd_u8(&pl);
			rd_skip(&pl, 1);
			uint16_t offm = rd_be16(&pl);
			uint32_t id = rd_be32(&pl);
			if (!rd_ok(&pl))
				return;
			/* An atomic fragment (offset 0, no more) is a whole datagram. */
			if ((offm & 0xfff8) == 0 && !(offm & 1)) {
				nh = next;
				continue;
			}
			struct rd rest = rd_sub(&pl, rd_wire_left(&pl));
			struct reasm_frag f = {
			    .src = p->src,
			    .dst = p->dst,
			    .id = id,
			    .proto = next,
			    .offset = (uint32_t)(offm & 0xfff8),
			    .more = offm & 1,
			    .data = rest.p,
			    .caplen = rest.cap,
			    .len = rest.wire,
			    .frame = p->fr->num,
			    .ts_usec = p->fr->ts_usec,
			};
			decode_fragment(d, &f, p, st);
			return;
		}
		case IPPROTO_NONE_:
			return;
		default:
			decode_l4(nh, &pl, p, st, false);
			return;
		}
	}
	/* More extension headers than any real packet carries. */
	st->ip_malformed++;
}

void
decoder_frame(struct decoder *d, const struct frame *fr, struct pkt *p, struct cap_stats *st)
{
	memset(p, 0, sizeof(*p));
	p->fr = fr;
	p->kind = PK_NONE;
	struct rd r = rd_init(fr->data, fr->caplen, fr->wirelen);
	uint16_t et = 0;
	if (!link_to_ip(fr->linktype, &r, &et)) {
		if (r.err == RD_TRUNC)
			st->link_truncated++;
		st->non_ip++;
		return;
	}
	if (et == 0x0800)
		decode_ipv4(d, &r, p, st);
	else
		decode_ipv6(d, &r, p, st);
}
