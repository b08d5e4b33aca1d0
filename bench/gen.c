/*
 * bench/gen: a seeded generator of large, realistic VPN concentrator captures
 * for the benchmark (issue 9), with the ground truth of what is in them.
 *
 * One concentrator (203.0.113.1 / 2001:db8::1) and N tunnels to peers, some
 * over IPv6, some behind NAT (IKE moves to UDP 4500, ESP in UDP, NAT
 * keepalives), some on 802.1Q / 802.1ad tagged links.  Tunnels negotiate
 * during the capture (IKEv2: IKE_SA_INIT, IKE_AUTH, some of them split into
 * RFC 7383 SKF fragments or sent as IP fragments; IKEv1: main mode and quick
 * mode) or were up before it began; established tunnels carry ESP with a
 * realistic size mix, sequence gaps and replays, DPD exchanges and CHILD SA
 * rekeys; background TCP (TLS records) and UDP fill the rest.  The packet mix
 * is about 13% IKE, 59% ESP, 1% NAT keepalives, 27% other by count.
 *
 * The same seed gives byte-identical output.  Writes PREFIX.pcap, PREFIX.pcapng
 * (the same packets) and PREFIX.truth.json (the counts an analyzer must find).
 *
 * usage: gen [-s SEED] [-t TUNNELS] [-n PACKETS] [-i IKE_PERCENT] [-o PREFIX]
 *
 * -i sets the IKE share (13 by default, 1..13); what it gives up goes to other
 * traffic.  A small share means few rekeys, so that the ESP SAs are about two per
 * tunnel: the scaling table of bench/run compares 1,000 and 100,000 tunnels that
 * way (2k against 200k ESP SAs, the comparison issue 9 asks for).
 *
 * Payloads that are encrypted on the wire (SK, SKF, IKEv1 after MM4, ESP) are
 * random bytes of the right length; every header and clear payload is
 * structurally valid (tshark reports no malformed packet).  NAT detection
 * hashes are real SHA-1 over the SPIs, addresses and ports.
 */
#include <openssl/sha.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- random numbers: xoshiro256** seeded by splitmix64 ---- */
static uint64_t rs[4];

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
rnd(void)
{
	uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;
	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return r;
}

/* Uniform in [lo, hi]. */
static uint32_t
rnd_range(uint32_t lo, uint32_t hi)
{
	return lo + (uint32_t)((rnd() >> 32) % ((uint64_t)hi - lo + 1));
}

/* True with probability p (in parts per million). */
static bool
rnd_ppm(uint32_t ppm)
{
	return (rnd() >> 40) % 1000000 < ppm;
}

static void
rnd_fill(uint8_t *p, size_t n)
{
	while (n >= 8) {
		uint64_t v = rnd();
		memcpy(p, &v, 8);
		p += 8;
		n -= 8;
	}
	if (n) {
		uint64_t v = rnd();
		memcpy(p, &v, n);
	}
}

/* ---- a byte buffer ---- */
struct buf {
	uint8_t p[70000];
	size_t n;
};

static void
put8(struct buf *b, unsigned v)
{
	b->p[b->n++] = (uint8_t)v;
}

static void
put16(struct buf *b, unsigned v)
{
	put8(b, v >> 8);
	put8(b, v);
}

static void
put32(struct buf *b, uint32_t v)
{
	put16(b, v >> 16);
	put16(b, v & 0xffff);
}

static void
putbytes(struct buf *b, const void *d, size_t n)
{
	memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void
putrand(struct buf *b, size_t n)
{
	rnd_fill(b->p + b->n, n);
	b->n += n;
}

static void
patch16(struct buf *b, size_t off, size_t v)
{
	b->p[off] = (uint8_t)(v >> 8);
	b->p[off + 1] = (uint8_t)v;
}

static void
patch32(struct buf *b, size_t off, size_t v)
{
	patch16(b, off, v >> 16);
	patch16(b, off + 2, v & 0xffff);
}

/* ---- output: the same records to pcap and pcapng ---- */
static FILE *fpcap, *fng;
static uint64_t now_usec = 1700000000ULL * 1000000;

struct truth {
	uint64_t packets, ike_packets, esp_packets, esp_bytes, esp_sas, ike_sas;
	uint64_t seq_gaps, replays, keepalives, other, ip_fragments, ip_reassembled;
	uint64_t skf_fragments, ike_frag_complete, negotiations_v1, negotiations_v2;
	uint64_t dpd, rekeys, vlan_frames, ipv6_frames, bytes;
};
static struct truth T;

static void
le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void
le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
write_headers(void)
{
	uint8_t h[24];
	le32(h, 0xa1b2c3d4);
	le16(h + 4, 2);
	le16(h + 6, 4);
	le32(h + 8, 0);
	le32(h + 12, 0);
	le32(h + 16, 65535);
	le32(h + 20, 1); /* Ethernet */
	fwrite(h, 1, 24, fpcap);
	/* pcapng: section header block, then one Ethernet interface (microseconds) */
	uint8_t s[28];
	le32(s, 0x0a0d0d0a);
	le32(s + 4, 28);
	le32(s + 8, 0x1a2b3c4d);
	le16(s + 12, 1);
	le16(s + 14, 0);
	le32(s + 16, 0xffffffff);
	le32(s + 20, 0xffffffff);
	le32(s + 24, 28);
	fwrite(s, 1, 28, fng);
	uint8_t i[20];
	le32(i, 1);
	le32(i + 4, 20);
	le16(i + 8, 1);
	le16(i + 10, 0);
	le32(i + 12, 65535);
	le32(i + 16, 20);
	fwrite(i, 1, 20, fng);
}

static void
write_frame(const uint8_t *d, size_t n)
{
	/* about 30,000 packets a second, bursty */
	now_usec += 1 + (rnd() >> 32) % 64;
	uint8_t h[16];
	le32(h, (uint32_t)(now_usec / 1000000));
	le32(h + 4, (uint32_t)(now_usec % 1000000));
	le32(h + 8, (uint32_t)n);
	le32(h + 12, (uint32_t)n);
	fwrite(h, 1, 16, fpcap);
	fwrite(d, 1, n, fpcap);
	size_t pad = (4 - n % 4) % 4;
	uint8_t e[28];
	le32(e, 6);
	le32(e + 4, (uint32_t)(28 + n + pad + 4));
	le32(e + 8, 0);
	le32(e + 12, (uint32_t)(now_usec >> 32));
	le32(e + 16, (uint32_t)now_usec);
	le32(e + 20, (uint32_t)n);
	le32(e + 24, (uint32_t)n);
	fwrite(e, 1, 28, fng);
	fwrite(d, 1, n, fng);
	static const uint8_t zero[4];
	fwrite(zero, 1, pad, fng);
	fwrite(e + 4, 1, 4, fng);
	T.packets++;
	T.bytes += n;
}

/* ---- addresses, links, L3/L4 ---- */
struct addr {
	uint8_t v6;
	uint8_t a[16];
};

struct link {
	uint16_t vlan[2];
	uint8_t nvlan;
	uint16_t outer_tpid;
};

static const struct addr GW4 = {0, {203, 0, 113, 1}};
static const struct addr GW6 = {1, {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};

static uint16_t ip_id;

static uint32_t
csum_add(uint32_t s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t
csum_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Ethernet header (with tags); from_gw picks the MAC direction. */
static size_t
put_eth(uint8_t *f, const struct link *l, bool from_gw, bool v6)
{
	static const uint8_t gw[6] = {0x02, 0x42, 0xc0, 0xa8, 0x00, 0x01};
	static const uint8_t rt[6] = {0x02, 0x42, 0xc0, 0xa8, 0x00, 0xfe};
	memcpy(f, from_gw ? rt : gw, 6);
	memcpy(f + 6, from_gw ? gw : rt, 6);
	size_t o = 12;
	for (unsigned i = 0; i < l->nvlan; i++) {
		uint16_t tpid = i == 0 && l->nvlan == 2 ? l->outer_tpid : 0x8100;
		f[o++] = (uint8_t)(tpid >> 8);
		f[o++] = (uint8_t)tpid;
		f[o++] = (uint8_t)(l->vlan[i] >> 8);
		f[o++] = (uint8_t)l->vlan[i];
	}
	f[o++] = v6 ? 0x86 : 0x08;
	f[o++] = v6 ? 0xdd : 0x00;
	return o;
}

static uint8_t frame[70000];

/* One IP datagram of protocol proto; split into fragments when mtu is non-zero and exceeded. */
static void
emit_ip(const struct link *l, bool from_gw, const struct addr *src, const struct addr *dst,
	uint8_t proto, const uint8_t *pl, size_t len, size_t mtu)
{
	bool v6 = src->v6;
	size_t hl = v6 ? 40 : 20;
	if (l->nvlan)
		T.vlan_frames++;
	uint16_t id = ++ip_id;
	uint32_t id6 = (uint32_t)rnd();
	size_t maxpl = mtu ? ((mtu - hl - (v6 ? 8 : 0)) & ~(size_t)7) : len;
	bool frag = mtu && len + hl > mtu;
	if (frag)
		T.ip_reassembled++;
	for (size_t off = 0; off < len || off == 0;) {
		size_t n = len - off;
		bool more = false;
		if (frag && n > maxpl) {
			n = maxpl;
			more = true;
		}
		size_t o = put_eth(frame, l, from_gw, v6);
		uint8_t *ip = frame + o;
		if (!v6) {
			size_t tl = 20 + n;
			ip[0] = 0x45;
			ip[1] = 0;
			ip[2] = (uint8_t)(tl >> 8);
			ip[3] = (uint8_t)tl;
			ip[4] = (uint8_t)(id >> 8);
			ip[5] = (uint8_t)id;
			uint16_t fo = (uint16_t)(off / 8) | (more ? 0x2000 : 0);
			if (!frag && proto != 17)
				fo |= 0x4000; /* DF on ESP and TCP */
			ip[6] = (uint8_t)(fo >> 8);
			ip[7] = (uint8_t)fo;
			ip[8] = 64;
			ip[9] = proto;
			ip[10] = ip[11] = 0;
			memcpy(ip + 12, src->a, 4);
			memcpy(ip + 16, dst->a, 4);
			uint16_t c = csum_fold(csum_add(0, ip, 20));
			ip[10] = (uint8_t)(c >> 8);
			ip[11] = (uint8_t)c;
			o += 20;
		} else {
			size_t plen = n + (frag ? 8 : 0);
			ip[0] = 0x60;
			ip[1] = ip[2] = ip[3] = 0;
			ip[4] = (uint8_t)(plen >> 8);
			ip[5] = (uint8_t)plen;
			ip[6] = frag ? 44 : proto;
			ip[7] = 64;
			memcpy(ip + 8, src->a, 16);
			memcpy(ip + 24, dst->a, 16);
			o += 40;
			if (frag) {
				uint8_t *fh = frame + o;
				uint16_t fo = (uint16_t)off | (more ? 1 : 0);
				fh[0] = proto;
				fh[1] = 0;
				fh[2] = (uint8_t)(fo >> 8);
				fh[3] = (uint8_t)fo;
				fh[4] = (uint8_t)(id6 >> 24);
				fh[5] = (uint8_t)(id6 >> 16);
				fh[6] = (uint8_t)(id6 >> 8);
				fh[7] = (uint8_t)id6;
				o += 8;
			}
		}
		memcpy(frame + o, pl + off, n);
		o += n;
		/* Ethernet minimum frame (without FCS) */
		while (o < 60)
			frame[o++] = 0;
		if (v6)
			T.ipv6_frames++;
		if (frag)
			T.ip_fragments++;
		write_frame(frame, o);
		off += n;
		if (!frag || !more)
			break;
	}
}

static uint8_t l4[70000];

/* Checksum over the pseudo header and the segment in l4[0..len) (UDP or TCP). */
static uint16_t
l4_csum(const struct addr *src, const struct addr *dst, uint8_t proto, size_t len)
{
	uint32_t s = 0;
	size_t al = src->v6 ? 16 : 4;
	s = csum_add(s, src->a, al);
	s = csum_add(s, dst->a, al);
	s += proto;
	s += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
	s = csum_add(s, l4, len);
	uint16_t c = csum_fold(s);
	return c ? c : 0xffff;
}

static void
emit_udp(const struct link *l, bool from_gw, const struct addr *src, uint16_t sport,
	 const struct addr *dst, uint16_t dport, const uint8_t *pl, size_t n, size_t mtu)
{
	size_t len = 8 + n;
	l4[0] = (uint8_t)(sport >> 8);
	l4[1] = (uint8_t)sport;
	l4[2] = (uint8_t)(dport >> 8);
	l4[3] = (uint8_t)dport;
	l4[4] = (uint8_t)(len >> 8);
	l4[5] = (uint8_t)len;
	l4[6] = l4[7] = 0;
	memmove(l4 + 8, pl, n);
	uint16_t c = l4_csum(src, dst, 17, len);
	l4[6] = (uint8_t)(c >> 8);
	l4[7] = (uint8_t)c;
	emit_ip(l, from_gw, src, dst, 17, l4, len, mtu);
}

/* ---- tunnels ---- */
enum { PROF_GCM_ECP256, PROF_CBC_MODP2048, PROF_CBC_SHA1_MODP2048 };

struct tun {
	uint32_t idx;
	uint8_t v6, nat, v1, prof, cert, fragmode; /* fragmode: 0 none, 1 SKF, 2 IP fragments */
	uint8_t state;				   /* 0 not yet, 1 negotiating, 2 up */
	uint8_t busy, ike_seen, esp_used[2];
	struct link link;
	uint16_t natport;
	uint8_t spi_i[8], spi_r[8];
	uint32_t msgid;
	uint32_t esp_spi[2]; /* 0: peer -> gw, 1: gw -> peer */
	uint32_t esp_seq[2];
	uint32_t esp_last_len[2];
};

static struct tun *tuns;
static uint32_t ntun;
static uint32_t *up; /* established tunnels */
static uint32_t nup;
static uint32_t spi_counter;

static void
peer_addr(const struct tun *t, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	a->v6 = t->v6;
	uint32_t i = t->idx + 1;
	if (t->v6) {
		static const uint8_t p[6] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01};
		memcpy(a->a, p, 6);
		a->a[12] = (uint8_t)(i >> 24);
		a->a[13] = (uint8_t)(i >> 16);
		a->a[14] = (uint8_t)(i >> 8);
		a->a[15] = (uint8_t)i;
		return;
	}
	/* 198.18.0.0/15, then 100.64.0.0/10 */
	uint32_t v = i < 130000 ? 0xc6120000u + i : 0x64400000u + i;
	a->a[0] = (uint8_t)(v >> 24);
	a->a[1] = (uint8_t)(v >> 16);
	a->a[2] = (uint8_t)(v >> 8);
	a->a[3] = (uint8_t)v;
}

/* The peer's own address behind its NAT (only ever inside NAT detection hashes). */
static void
private_addr(const struct tun *t, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	a->v6 = 0;
	a->a[0] = 192;
	a->a[1] = 168;
	a->a[2] = (uint8_t)(t->idx >> 8);
	a->a[3] = (uint8_t)(1 + t->idx % 250);
}

static const struct addr *
gw_addr(const struct tun *t)
{
	return t->v6 ? &GW6 : &GW4;
}

/* SPIs unique over the whole capture: a bijection of a counter inside 0xc0000000.. */
static uint32_t
new_esp_spi(void)
{
	uint32_t c = ++spi_counter;
	c = (c * 0x9e3779bu) & 0x0fffffff;
	c ^= c >> 13;
	return 0xc0000000u | c;
}

static void
new_ike_spi(uint8_t s[8])
{
	uint64_t v;
	do
		v = rnd();
	while (v == 0);
	memcpy(s, &v, 8);
}

/* IKE on the wire from one side: port 500, or 4500 with the non-ESP marker once NAT-T is on. */
static void
emit_ike(struct tun *t, bool from_gw, const struct buf *m, bool natt)
{
	struct addr peer;
	peer_addr(t, &peer);
	const struct addr *gw = gw_addr(t);
	static uint8_t d[70000];
	size_t n = 0;
	if (natt) {
		memset(d, 0, 4);
		n = 4;
	}
	memcpy(d + n, m->p, m->n);
	n += m->n;
	uint16_t pport = natt ? (t->nat ? t->natport : 4500) : (t->nat ? t->natport - 1 : 500);
	uint16_t gport = natt ? 4500 : 500;
	size_t mtu = t->fragmode == 2 ? (t->v6 ? 1280 : 1500) : 0;
	if (!t->ike_seen) {
		t->ike_seen = 1;
		T.ike_sas++;
	}
	T.ike_packets++;
	if (from_gw)
		emit_udp(&t->link, true, gw, gport, &peer, pport, d, n, mtu);
	else
		emit_udp(&t->link, false, &peer, pport, gw, gport, d, n, mtu);
}

/* ---- IKEv2 (RFC 7296) ---- */
enum {
	P2_SA = 33,
	P2_KE = 34,
	P2_IDI = 35,
	P2_NONCE = 40,
	P2_N = 41,
	P2_V = 43,
	P2_SK = 46,
	P2_SKF = 53
};

/* IKE header; returns the offset of the length field to patch. */
static size_t
ike_hdr(struct buf *b, const uint8_t spi_i[8], const uint8_t spi_r[8], uint8_t next, uint8_t ver,
	uint8_t exch, uint8_t flags, uint32_t msgid)
{
	b->n = 0;
	putbytes(b, spi_i, 8);
	putbytes(b, spi_r, 8);
	put8(b, next);
	put8(b, ver);
	put8(b, exch);
	put8(b, flags);
	put32(b, msgid);
	put32(b, 0);
	return 24;
}

static size_t
pl_begin(struct buf *b, uint8_t next)
{
	size_t o = b->n;
	put8(b, next);
	put8(b, 0);
	put16(b, 0);
	return o;
}

static void
pl_end(struct buf *b, size_t o)
{
	patch16(b, o + 2, b->n - o);
}

static void
t2(struct buf *b, bool last, uint8_t type, uint16_t id, uint16_t keylen)
{
	size_t o = b->n;
	put8(b, last ? 0 : 3);
	put8(b, 0);
	put16(b, 0);
	put8(b, type);
	put8(b, 0);
	put16(b, id);
	if (keylen) {
		put16(b, 0x800e);
		put16(b, keylen);
	}
	patch16(b, o + 2, b->n - o);
}

/* One IKEv2 proposal of profile prof for protocol proto (1 IKE, 3 ESP with an SPI). */
static void
proposal2(struct buf *b, bool last, uint8_t num, uint8_t proto, int prof, uint32_t spi)
{
	size_t o = b->n;
	put8(b, last ? 0 : 2);
	put8(b, 0);
	put16(b, 0);
	put8(b, num);
	put8(b, proto);
	put8(b, proto == 3 ? 4 : 0);
	size_t nt = b->n;
	put8(b, 0);
	if (proto == 3)
		put32(b, spi);
	unsigned n = 0;
	bool gcm = prof == PROF_GCM_ECP256;
	t2(b, false, 1, gcm ? 20 : 12, 256), n++;
	if (proto == 1)
		t2(b, false, 2, prof == PROF_CBC_SHA1_MODP2048 ? 2 : 5, 0), n++;
	if (!gcm)
		t2(b, false, 3, prof == PROF_CBC_SHA1_MODP2048 ? 2 : 12, 0), n++;
	if (proto == 1) {
		t2(b, true, 4, gcm ? 19 : 14, 0), n++;
	} else {
		t2(b, true, 5, 0, 0), n++; /* ESN: no */
	}
	b->p[nt] = (uint8_t)n;
	patch16(b, o + 2, b->n - o);
}

static void
natd_hash(const uint8_t spi_i[8], const uint8_t spi_r[8], const struct addr *a, uint16_t port,
	  uint8_t out[20])
{
	uint8_t in[8 + 8 + 16 + 2];
	size_t n = 0;
	memcpy(in, spi_i, 8);
	memcpy(in + 8, spi_r, 8);
	n = 16;
	memcpy(in + n, a->a, a->v6 ? 16 : 4);
	n += a->v6 ? 16 : 4;
	in[n++] = (uint8_t)(port >> 8);
	in[n++] = (uint8_t)port;
	SHA1(in, n, out);
}

static void
notify2(struct buf *b, uint8_t next, uint16_t type, const uint8_t *data, size_t n)
{
	size_t o = pl_begin(b, next);
	put8(b, 0);
	put8(b, 0);
	put16(b, type);
	if (n)
		putbytes(b, data, n);
	pl_end(b, o);
}

/* IKE_SA_INIT request (resp false) or response. */
static void
ikev2_sa_init(struct tun *t, bool resp)
{
	static struct buf b;
	static const uint8_t zero[8];
	size_t lo =
	    ike_hdr(&b, t->spi_i, resp ? t->spi_r : zero, P2_SA, 0x20, 34, resp ? 0x20 : 0x08, 0);
	size_t o = pl_begin(&b, P2_KE);
	if (!resp && t->prof != PROF_GCM_ECP256)
		proposal2(&b, false, 1, 1, PROF_GCM_ECP256, 0);
	proposal2(&b, true, t->prof == PROF_GCM_ECP256 ? 1 : 2, 1, t->prof, 0);
	pl_end(&b, o);
	o = pl_begin(&b, P2_NONCE);
	bool ecp = t->prof == PROF_GCM_ECP256;
	put16(&b, ecp ? 19 : 14);
	put16(&b, 0);
	putrand(&b, ecp ? 64 : 256);
	pl_end(&b, o);
	o = pl_begin(&b, P2_N);
	putrand(&b, 32);
	pl_end(&b, o);
	/* NAT detection: the sender's own address and port, then the receiver's as seen */
	struct addr peer, priv;
	peer_addr(t, &peer);
	private_addr(t, &priv);
	const struct addr *me = resp ? gw_addr(t) : (t->nat ? &priv : &peer);
	const struct addr *them = resp ? &peer : gw_addr(t);
	uint16_t them_port = resp ? (t->nat ? t->natport - 1 : 500) : 500;
	uint8_t h[20];
	natd_hash(t->spi_i, resp ? t->spi_r : zero, me, 500, h);
	notify2(&b, P2_N, 16388, h, 20);
	natd_hash(t->spi_i, resp ? t->spi_r : zero, them, them_port, h);
	notify2(&b, P2_N, 16389, h, 20);
	notify2(&b, P2_N, 16430, NULL, 0); /* IKEV2_FRAGMENTATION_SUPPORTED */
	static const uint8_t sha[] = {0, 2, 0, 3, 0, 4};
	notify2(&b, P2_V, 16431, sha, sizeof(sha)); /* SIGNATURE_HASH_ALGORITHMS */
	o = pl_begin(&b, 0);
	static const uint8_t vid[] = {0x88, 0x2f, 0xe5, 0x6d, 0x6f, 0xd2, 0x0d, 0xbc,
				      0x22, 0x86, 0x51, 0x3b, 0x6b, 0x2e, 0x9f, 0x4d};
	putbytes(&b, vid, sizeof(vid));
	pl_end(&b, o);
	patch32(&b, lo, b.n);
	emit_ike(t, resp, &b, false);
}

/* Length of an SK body (IV + ciphertext + ICV) for an inner plaintext of n bytes. */
static size_t
sk_body_len(const struct tun *t, size_t n)
{
	if (t->prof == PROF_GCM_ECP256)
		return 8 + n + 1 + 16;
	return 16 + ((n + 1 + 15) & ~(size_t)15) + (t->prof == PROF_CBC_SHA1_MODP2048 ? 12 : 16);
}

/* A message whose only payload is SK over n bytes of inner payloads starting with first. */
static void
ikev2_sk_msg(struct tun *t, uint8_t exch, bool resp, uint32_t msgid, uint8_t first, size_t n,
	     bool natt)
{
	static struct buf b;
	size_t lo = ike_hdr(&b, t->spi_i, t->spi_r, P2_SK, 0x20, exch, resp ? 0x20 : 0x08, msgid);
	size_t o = pl_begin(&b, first);
	putrand(&b, sk_body_len(t, n));
	pl_end(&b, o);
	patch32(&b, lo, b.n);
	emit_ike(t, resp, &b, natt);
}

/* The same message in RFC 7383 fragments of at most 1280 - headers bytes each. */
static void
ikev2_skf_msgs(struct tun *t, uint8_t exch, bool resp, uint32_t msgid, uint8_t first, size_t n,
	       bool natt)
{
	size_t chunk = 1100;
	unsigned total = (unsigned)((n + chunk - 1) / chunk);
	for (unsigned i = 1; i <= total; i++) {
		static struct buf b;
		size_t part = i < total ? chunk : n - chunk * (total - 1);
		size_t lo =
		    ike_hdr(&b, t->spi_i, t->spi_r, P2_SKF, 0x20, exch, resp ? 0x20 : 0x08, msgid);
		size_t o = pl_begin(&b, i == 1 ? first : 0);
		put16(&b, i);
		put16(&b, total);
		putrand(&b, sk_body_len(t, part));
		pl_end(&b, o);
		patch32(&b, lo, b.n);
		emit_ike(t, resp, &b, natt);
		T.skf_fragments++;
	}
	T.ike_frag_complete++;
}

/* IKE_AUTH (certificates make it large): whole, in SKF fragments, or as IP fragments. */
static void
ikev2_auth(struct tun *t, bool resp)
{
	size_t n = t->cert ? rnd_range(1800, 3400) : rnd_range(220, 420);
	if (t->fragmode == 1 && t->cert)
		ikev2_skf_msgs(t, 35, resp, 1, resp ? 36 : P2_IDI, n, t->nat);
	else
		ikev2_sk_msg(t, 35, resp, 1, resp ? 36 : P2_IDI, n, t->nat);
}

/* ---- IKEv1 (RFC 2409, RFC 3947) ---- */
enum { P1_SA = 1, P1_KE = 4, P1_ID = 5, P1_HASH = 8, P1_NONCE = 10, P1_VID = 13, P1_NATD = 20 };

static void
attr(struct buf *b, uint16_t type, uint16_t v)
{
	put16(b, 0x8000 | type);
	put16(b, v);
}

static void
sa1(struct buf *b, uint8_t next, const struct tun *t, bool resp)
{
	size_t o = pl_begin(b, next);
	put32(b, 1); /* DOI IPsec */
	put32(b, 1); /* SIT_IDENTITY_ONLY */
	size_t po = b->n;
	put8(b, 0);
	put8(b, 0);
	put16(b, 0);
	put8(b, 1);
	put8(b, 1); /* PROTO_ISAKMP */
	put8(b, 0);
	unsigned nt = resp ? 1 : 2;
	put8(b, nt);
	for (unsigned i = 0; i < nt; i++) {
		bool sha1 = resp ? t->prof == PROF_CBC_SHA1_MODP2048 : i == 1;
		size_t to = b->n;
		put8(b, i + 1 < nt ? 3 : 0);
		put8(b, 0);
		put16(b, 0);
		put8(b, resp ? (sha1 ? 2 : 1) : i + 1);
		put8(b, 1); /* KEY_IKE */
		put16(b, 0);
		attr(b, 1, 7);		  /* AES-CBC */
		attr(b, 14, 256);	  /* key length */
		attr(b, 2, sha1 ? 2 : 4); /* SHA1 / SHA2-256 */
		attr(b, 3, 1);		  /* pre-shared key */
		attr(b, 4, 14);		  /* MODP 2048 */
		attr(b, 11, 1);		  /* life type seconds */
		attr(b, 12, 28800);	  /* life duration */
		patch16(b, to + 2, b->n - to);
	}
	patch16(b, po + 2, b->n - po);
	pl_end(b, o);
}

static void
vid1(struct buf *b, uint8_t next, const uint8_t *v, size_t n)
{
	size_t o = pl_begin(b, next);
	putbytes(b, v, n);
	pl_end(b, o);
}

static const uint8_t VID_NATT[16] = {0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
				     0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f};
static const uint8_t VID_DPD[16] = {0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
				    0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00};

/* Main mode messages 1..6 (step 0..5); 5 and 6 are encrypted, on 4500 behind NAT. */
static void
ikev1_mm(struct tun *t, unsigned step)
{
	static struct buf b;
	static const uint8_t zero[8];
	bool resp = step & 1;
	const uint8_t *r = step == 0 ? zero : t->spi_r;
	if (step >= 4) {
		size_t lo = ike_hdr(&b, t->spi_i, r, P1_ID, 0x10, 2, 0x01, 0);
		putrand(&b, 16 * rnd_range(4, 6));
		patch32(&b, lo, b.n);
		emit_ike(t, resp, &b, t->nat);
		return;
	}
	if (step < 2) {
		size_t lo = ike_hdr(&b, t->spi_i, r, P1_SA, 0x10, 2, 0, 0);
		sa1(&b, P1_VID, t, resp);
		vid1(&b, P1_VID, VID_NATT, 16);
		vid1(&b, 0, VID_DPD, 16);
		patch32(&b, lo, b.n);
		emit_ike(t, resp, &b, false);
		return;
	}
	size_t lo = ike_hdr(&b, t->spi_i, r, P1_KE, 0x10, 2, 0, 0);
	size_t o = pl_begin(&b, P1_NONCE);
	putrand(&b, 256);
	pl_end(&b, o);
	o = pl_begin(&b, P1_NATD);
	putrand(&b, 32);
	pl_end(&b, o);
	/* NAT-D (RFC 3947 §3.2): the receiver's address first, then the sender's */
	struct addr peer, priv;
	peer_addr(t, &peer);
	private_addr(t, &priv);
	const struct addr *me = resp ? gw_addr(t) : (t->nat ? &priv : &peer);
	const struct addr *them = resp ? &peer : gw_addr(t);
	uint16_t them_port = resp ? (t->nat ? t->natport - 1 : 500) : 500;
	uint8_t h[20];
	bool sha1 = t->prof == PROF_CBC_SHA1_MODP2048;
	uint8_t h32[32];
	for (int k = 0; k < 2; k++) {
		const struct addr *a = k == 0 ? them : me;
		uint16_t port = k == 0 ? them_port : 500;
		o = pl_begin(&b, k == 0 ? P1_NATD : 0);
		if (sha1) {
			natd_hash(t->spi_i, t->spi_r, a, port, h);
			putbytes(&b, h, 20);
		} else {
			uint8_t in[8 + 8 + 16 + 2];
			memcpy(in, t->spi_i, 8);
			memcpy(in + 8, t->spi_r, 8);
			size_t n = 16;
			memcpy(in + n, a->a, a->v6 ? 16 : 4);
			n += a->v6 ? 16 : 4;
			in[n++] = (uint8_t)(port >> 8);
			in[n++] = (uint8_t)port;
			SHA256(in, n, h32);
			putbytes(&b, h32, 32);
		}
		pl_end(&b, o);
	}
	patch32(&b, lo, b.n);
	emit_ike(t, resp, &b, false);
}

/* An encrypted IKEv1 message (quick mode 32, informational 5) under the phase 1 SA. */
static void
ikev1_enc(struct tun *t, uint8_t exch, bool resp, uint32_t msgid, size_t blocks)
{
	static struct buf b;
	size_t lo = ike_hdr(&b, t->spi_i, t->spi_r, P1_HASH, 0x10, exch, 0x01, msgid);
	putrand(&b, 16 * blocks);
	patch32(&b, lo, b.n);
	emit_ike(t, resp, &b, t->nat);
}

/* ---- ESP (RFC 4303) and ESP in UDP (RFC 3948) ---- */
static uint8_t esp[2048];

static size_t
esp_len_for(const struct tun *t, size_t inner)
{
	if (t->prof == PROF_GCM_ECP256)
		return 8 + 8 + ((inner + 2 + 3) & ~(size_t)3) + 16;
	return 8 + 16 + ((inner + 2 + 15) & ~(size_t)15) +
	       (t->prof == PROF_CBC_SHA1_MODP2048 ? 12 : 16);
}

/* Inner packet sizes: ACKs, small requests, mid-size, full-size segments. */
static size_t
inner_size(void)
{
	uint32_t r = rnd_range(0, 99);
	if (r < 40)
		return rnd_range(40, 80);
	if (r < 55)
		return rnd_range(100, 300);
	if (r < 65)
		return rnd_range(300, 1000);
	return rnd_range(1300, 1400);
}

static void
emit_esp_raw(struct tun *t, int dir, uint32_t seq, size_t len)
{
	uint32_t spi = t->esp_spi[dir];
	esp[0] = (uint8_t)(spi >> 24);
	esp[1] = (uint8_t)(spi >> 16);
	esp[2] = (uint8_t)(spi >> 8);
	esp[3] = (uint8_t)spi;
	esp[4] = (uint8_t)(seq >> 24);
	esp[5] = (uint8_t)(seq >> 16);
	esp[6] = (uint8_t)(seq >> 8);
	esp[7] = (uint8_t)seq;
	rnd_fill(esp + 8, len - 8);
	struct addr peer;
	peer_addr(t, &peer);
	const struct addr *gw = gw_addr(t);
	bool from_gw = dir == 1;
	const struct addr *s = from_gw ? gw : &peer, *d = from_gw ? &peer : gw;
	if (t->nat)
		emit_udp(&t->link, from_gw, s, from_gw ? 4500 : t->natport, d,
			 from_gw ? t->natport : 4500, esp, len, 0);
	else
		emit_ip(&t->link, from_gw, s, d, 50, esp, len, 0);
	T.esp_packets++;
	T.esp_bytes += len;
	if (!t->esp_used[dir]) {
		t->esp_used[dir] = 1;
		T.esp_sas++;
	}
}

static void
emit_esp(struct tun *t, int dir)
{
	/* a replay: the last packet again (within the window: counted as a replay) */
	if (t->esp_last_len[dir] && rnd_ppm(500)) {
		emit_esp_raw(t, dir, t->esp_seq[dir], t->esp_last_len[dir]);
		T.replays++;
		return;
	}
	uint32_t seq = t->esp_seq[dir] + 1;
	/* loss upstream of the capture point: sequence numbers never seen */
	if (t->esp_last_len[dir] && rnd_ppm(2000)) {
		uint32_t skip = rnd_range(1, 8);
		seq += skip;
		T.seq_gaps += skip;
	}
	size_t len = esp_len_for(t, inner_size());
	size_t maxlen = 1500 - (t->v6 ? 40 : 20) - (t->nat ? 8 : 0);
	if (len > maxlen)
		len = maxlen;
	t->esp_seq[dir] = seq;
	t->esp_last_len[dir] = (uint32_t)len;
	emit_esp_raw(t, dir, seq, len);
}

static void
new_child(struct tun *t, bool fresh)
{
	for (int d = 0; d < 2; d++) {
		t->esp_spi[d] = new_esp_spi();
		t->esp_seq[d] = fresh ? 0 : rnd_range(1000, 0x7fffffff);
		t->esp_last_len[d] = 0;
		t->esp_used[d] = 0;
	}
}

/* ---- conversations: negotiations and maintenance exchanges, one message per turn ---- */
enum conv_kind { CV_NEG2, CV_NEG1, CV_DPD, CV_REKEY };

struct conv {
	uint32_t tun;
	uint8_t kind, step;
	uint32_t msgid;
};

#define MAX_CONV 32
static struct conv conv[MAX_CONV];
static unsigned nconv;

static void
tun_up(struct tun *t)
{
	if (t->state != 2) {
		t->state = 2;
		up[nup++] = t->idx;
	}
}

/* Emits the conversation's next message; true when it is over. */
static bool
conv_step(struct conv *c)
{
	struct tun *t = &tuns[c->tun];
	unsigned s = c->step++;
	switch (c->kind) {
	case CV_NEG2:
		if (s < 2)
			ikev2_sa_init(t, s == 1);
		else
			ikev2_auth(t, s == 3);
		if (s == 3) {
			new_child(t, true);
			t->msgid = 2;
			tun_up(t);
			return true;
		}
		return false;
	case CV_NEG1:
		if (s < 6) {
			ikev1_mm(t, s);
			return false;
		}
		if (s == 6)
			c->msgid = (uint32_t)rnd() | 1;
		ikev1_enc(t, 32, s == 7, c->msgid, s == 8 ? 4 : rnd_range(12, 16));
		if (s == 8) {
			new_child(t, true);
			tun_up(t);
			return true;
		}
		return false;
	case CV_DPD:
		if (t->v1) {
			if (s == 0)
				c->msgid = (uint32_t)rnd() | 1;
			ikev1_enc(t, 5, s == 1, c->msgid, 5);
		} else {
			if (s == 0)
				c->msgid = t->msgid++;
			ikev2_sk_msg(t, 37, s == 1, c->msgid, 0, 0, t->nat);
		}
		if (s == 1)
			T.dpd++;
		return s == 1;
	case CV_REKEY:
		if (t->v1) {
			if (s == 0)
				c->msgid = (uint32_t)rnd() | 1;
			ikev1_enc(t, 32, s == 1, c->msgid, s == 2 ? 4 : rnd_range(12, 16));
			if (s < 2)
				return false;
		} else {
			if (s == 0)
				c->msgid = t->msgid++;
			ikev2_sk_msg(t, 36, s == 1, c->msgid, P2_SA, rnd_range(180, 320), t->nat);
			if (s < 1)
				return false;
		}
		new_child(t, true);
		T.rekeys++;
		return true;
	}
	return true;
}

/* ---- background traffic ---- */
struct flow {
	struct addr c, s;
	uint16_t cport, sport;
	uint32_t cseq, sseq;
	uint8_t tcp;
	struct link link;
};
#define NFLOW 512
static struct flow flows[NFLOW];

static void
flows_init(void)
{
	for (unsigned i = 0; i < NFLOW; i++) {
		struct flow *f = &flows[i];
		memset(f, 0, sizeof(*f));
		f->c.a[0] = 10;
		f->c.a[1] = 20;
		f->c.a[2] = (uint8_t)(i >> 4);
		f->c.a[3] = (uint8_t)(10 + (i & 15));
		f->s.a[0] = 192;
		f->s.a[1] = 0;
		f->s.a[2] = 2;
		f->s.a[3] = (uint8_t)(1 + i % 200);
		f->tcp = i % 4 != 0;
		f->cport = (uint16_t)rnd_range(32768, 60999);
		f->sport = f->tcp ? 443 : 514;
		f->cseq = (uint32_t)rnd();
		f->sseq = (uint32_t)rnd();
		if (i % 5 == 0) {
			f->link.nvlan = 1;
			f->link.vlan[0] = (uint16_t)(200 + i % 50);
		}
	}
}

static void
emit_other(void)
{
	struct flow *f = &flows[rnd_range(0, NFLOW - 1)];
	bool from_s = rnd() & 1;
	const struct addr *src = from_s ? &f->s : &f->c, *dst = from_s ? &f->c : &f->s;
	T.other++;
	if (!f->tcp) {
		/* syslog (RFC 5424 over UDP 514): text, from the client only */
		static uint8_t u[1400];
		static const char words[] = "kernel sshd charon cron link up down accepted user "
					    "session opened closed from port interface error ";
		int n = snprintf(
		    (char *)u, sizeof(u), "<134>1 2023-11-14T22:13:%02u.%06uZ host%u app %u - - ",
		    (unsigned)(now_usec / 1000000 % 60), (unsigned)(now_usec % 1000000),
		    (unsigned)(f - flows), (unsigned)rnd_range(100, 30000));
		size_t len = (size_t)n + rnd_range(20, 1100);
		for (size_t i = (size_t)n; i < len; i++)
			u[i] = (uint8_t)words[(rnd() >> 40) % (sizeof(words) - 1)];
		emit_udp(&f->link, false, &f->c, f->cport, &f->s, 514, u, len, 0);
		return;
	}
	/* TCP: pure ACKs and segments holding one TLS application-data record each */
	size_t n = rnd_range(0, 99) < 45 ? 0 : rnd_range(100, 1448);
	uint32_t *myseq = from_s ? &f->sseq : &f->cseq, *theirs = from_s ? &f->cseq : &f->sseq;
	l4[0] = (uint8_t)((from_s ? f->sport : f->cport) >> 8);
	l4[1] = (uint8_t)(from_s ? f->sport : f->cport);
	l4[2] = (uint8_t)((from_s ? f->cport : f->sport) >> 8);
	l4[3] = (uint8_t)(from_s ? f->cport : f->sport);
	uint32_t sq = *myseq, ack = *theirs;
	l4[4] = (uint8_t)(sq >> 24);
	l4[5] = (uint8_t)(sq >> 16);
	l4[6] = (uint8_t)(sq >> 8);
	l4[7] = (uint8_t)sq;
	l4[8] = (uint8_t)(ack >> 24);
	l4[9] = (uint8_t)(ack >> 16);
	l4[10] = (uint8_t)(ack >> 8);
	l4[11] = (uint8_t)ack;
	l4[12] = 0x50;
	l4[13] = n ? 0x18 : 0x10; /* PSH ACK / ACK */
	l4[14] = 0x01;
	l4[15] = 0xf5;
	l4[16] = l4[17] = l4[18] = l4[19] = 0;
	if (n) {
		l4[20] = 0x17;
		l4[21] = 3;
		l4[22] = 3;
		l4[23] = (uint8_t)((n - 5) >> 8);
		l4[24] = (uint8_t)(n - 5);
		rnd_fill(l4 + 25, n - 5);
	}
	*myseq += (uint32_t)n;
	uint16_t c = l4_csum(src, dst, 6, 20 + n);
	l4[16] = (uint8_t)(c >> 8);
	l4[17] = (uint8_t)c;
	emit_ip(&f->link, from_s, src, dst, 6, l4, 20 + n, 0);
}

/* ---- the mix ---- */
static void
usage(void)
{
	fprintf(stderr,
		"usage: gen [-s SEED] [-t TUNNELS] [-n PACKETS] [-i IKE_PERCENT] -o PREFIX\n");
	exit(2);
}

static FILE *
open_out(const char *prefix, const char *ext)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s%s", prefix, ext);
	FILE *f = fopen(path, "wb");
	if (f == NULL) {
		perror(path);
		exit(1);
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	return f;
}

int
main(int argc, char **argv)
{
	uint64_t seed = 1, npackets = 300000;
	uint32_t ntunnels = 5000, ike_pct = 13;
	const char *prefix = NULL;
	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "-s") == 0)
			seed = strtoull(argv[++i], NULL, 0);
		else if (strcmp(argv[i], "-t") == 0)
			ntunnels = (uint32_t)strtoul(argv[++i], NULL, 0);
		else if (strcmp(argv[i], "-n") == 0)
			npackets = strtoull(argv[++i], NULL, 0);
		else if (strcmp(argv[i], "-o") == 0)
			prefix = argv[++i];
		else if (strcmp(argv[i], "-i") == 0)
			ike_pct = (uint32_t)strtoul(argv[++i], NULL, 0);
		else
			usage();
	}
	if (prefix == NULL || ntunnels == 0 || ntunnels > 4000000 || npackets == 0 || ike_pct < 1 ||
	    ike_pct > 13)
		usage();
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		rs[i] = splitmix(&x);
	fpcap = open_out(prefix, ".pcap");
	fng = open_out(prefix, ".pcapng");
	write_headers();
	flows_init();

	ntun = ntunnels;
	tuns = calloc(ntun, sizeof(*tuns));
	up = calloc(ntun, sizeof(*up));
	if (tuns == NULL || up == NULL)
		return 1;
	/*
	 * How many tunnels negotiate inside the capture: about 70% of the IKE share
	 * goes to negotiations (about 7 frames each), the rest to DPD and rekeys.
	 * The others were up before the capture began.
	 */
	uint64_t ike_budget = npackets * ike_pct / 100;
	uint64_t nneg = ike_budget * 7 / 10 / 7;
	if (nneg > ntun)
		nneg = ntun;
	for (uint32_t i = 0; i < ntun; i++) {
		struct tun *t = &tuns[i];
		t->idx = i;
		t->v6 = rnd_ppm(150000);
		t->nat = !t->v6 && rnd_ppm(300000);
		t->v1 = rnd_ppm(250000);
		t->prof = (uint8_t)rnd_range(0, 2);
		if (t->v1 && t->prof == PROF_GCM_ECP256)
			t->prof = PROF_CBC_MODP2048;
		t->cert = !t->v1 && rnd_ppm(400000);
		t->fragmode = t->cert ? (uint8_t)rnd_range(0, 2) : 0;
		if (rnd_ppm(300000)) {
			t->link.nvlan = rnd_ppm(200000) ? 2 : 1;
			t->link.outer_tpid = 0x88a8;
			t->link.vlan[0] = (uint16_t)rnd_range(2, 4000);
			t->link.vlan[1] = (uint16_t)rnd_range(2, 4000);
		}
		t->natport = (uint16_t)rnd_range(1025, 65000);
		new_ike_spi(t->spi_i);
		new_ike_spi(t->spi_r);
		t->msgid = rnd_range(2, 5000);
	}
	/* the last nneg tunnels (in a shuffled order) negotiate during the capture */
	uint32_t *order = calloc(ntun, sizeof(*order));
	if (order == NULL)
		return 1;
	for (uint32_t i = 0; i < ntun; i++)
		order[i] = i;
	for (uint32_t i = ntun - 1; i > 0; i--) {
		uint32_t j = rnd_range(0, i);
		uint32_t v = order[i];
		order[i] = order[j];
		order[j] = v;
	}
	uint32_t npre = ntun - (uint32_t)nneg, next_neg = npre;
	for (uint32_t i = 0; i < npre; i++) {
		new_child(&tuns[order[i]], false);
		tun_up(&tuns[order[i]]);
	}

	uint64_t want_ike = 0, want_esp = 0, want_ka = 0;
	while (T.packets < npackets) {
		uint32_t r = rnd_range(0, 99);
		want_ike = T.packets * ike_pct / 100;
		want_esp = T.packets * 59 / 100;
		want_ka = T.packets / 100;
		bool ike_due = T.ike_packets + T.ip_fragments - T.ip_reassembled <= want_ike;
		if (r < ike_pct && ike_due) {
			if (nconv < MAX_CONV / 2 || (nconv < MAX_CONV && rnd_ppm(100000))) {
				struct conv *c = &conv[nconv];
				memset(c, 0, sizeof(*c));
				if (next_neg < ntun) {
					c->tun = order[next_neg++];
					struct tun *t = &tuns[c->tun];
					t->state = 1;
					t->ike_seen = 0;
					c->kind = t->v1 ? CV_NEG1 : CV_NEG2;
					if (t->v1)
						T.negotiations_v1++;
					else
						T.negotiations_v2++;
					tuns[c->tun].busy = 1;
					nconv++;
				} else if (nup) {
					c->tun = up[rnd_range(0, nup - 1)];
					if (!tuns[c->tun].busy) {
						c->kind = rnd_ppm(600000) ? CV_DPD : CV_REKEY;
						tuns[c->tun].busy = 1;
						nconv++;
					}
				}
			}
			if (nconv) {
				unsigned k = rnd_range(0, nconv - 1);
				if (conv_step(&conv[k])) {
					tuns[conv[k].tun].busy = 0;
					conv[k] = conv[--nconv];
				}
				continue;
			}
		}
		if (r < 14 && T.keepalives <= want_ka && nup) {
			/* a tunnel behind NAT (about a third are), a few tries */
			struct tun *t = &tuns[up[rnd_range(0, nup - 1)]];
			for (int k = 0; k < 8 && !t->nat; k++)
				t = &tuns[up[rnd_range(0, nup - 1)]];
			if (t->nat) {
				struct addr peer;
				peer_addr(t, &peer);
				static const uint8_t ff = 0xff;
				emit_udp(&t->link, false, &peer, t->natport, gw_addr(t), 4500, &ff,
					 1, 0);
				T.keepalives++;
				continue;
			}
		}
		if (r < 73 && T.esp_packets <= want_esp && nup) {
			struct tun *t = &tuns[up[rnd_range(0, nup - 1)]];
			emit_esp(t, (int)(rnd() & 1));
			continue;
		}
		emit_other();
	}
	if (fclose(fpcap) != 0 || fclose(fng) != 0) {
		perror("write");
		return 1;
	}
	FILE *tj = open_out(prefix, ".truth.json");
	fprintf(tj,
		"{\"seed\":%llu,\"tunnels\":%u,\"tunnels_up_before\":%u,\"packets\":%llu,"
		"\"bytes\":%llu,\"ike_packets\":%llu,\"esp_packets\":%llu,\"esp_bytes\":%llu,"
		"\"esp_sas\":%llu,\"ike_sas\":%llu,\"seq_gaps\":%llu,\"replays\":%llu,"
		"\"nat_keepalives\":%llu,\"other\":%llu,\"ip_fragments\":%llu,"
		"\"ip_reassembled\":%llu,\"skf_fragments\":%llu,\"ike_frag_complete\":%llu,"
		"\"negotiations\":{\"ikev1\":%llu,\"ikev2\":%llu},\"dpd\":%llu,\"rekeys\":%llu,"
		"\"vlan_frames\":%llu,\"ipv6_frames\":%llu,\"malformed\":0}\n",
		(unsigned long long)seed, ntun, npre, (unsigned long long)T.packets,
		(unsigned long long)T.bytes, (unsigned long long)T.ike_packets,
		(unsigned long long)T.esp_packets, (unsigned long long)T.esp_bytes,
		(unsigned long long)T.esp_sas, (unsigned long long)T.ike_sas,
		(unsigned long long)T.seq_gaps, (unsigned long long)T.replays,
		(unsigned long long)T.keepalives, (unsigned long long)T.other,
		(unsigned long long)T.ip_fragments, (unsigned long long)T.ip_reassembled,
		(unsigned long long)T.skf_fragments, (unsigned long long)T.ike_frag_complete,
		(unsigned long long)T.negotiations_v1, (unsigned long long)T.negotiations_v2,
		(unsigned long long)T.dpd, (unsigned long long)T.rekeys,
		(unsigned long long)T.vlan_frames, (unsigned long long)T.ipv6_frames);
	if (fclose(tj) != 0)
		return 1;
	free(order);
	free(tuns);
	free(up);
	return 0;
}
