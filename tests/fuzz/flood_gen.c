/*
 * The flood capture of the state-bounds test (tests/fuzz/flood.py): ESP packets
 * with random SPIs from random sources and IKEv2 IKE_SA_INIT requests with random
 * SPIs from random sources, all to one responder, interleaved by a seeded
 * generator, with the frames of a real negotiation (a sample, Ethernet) hidden at
 * PERCENT of the way (40 by default), their timestamps moved there.
 * Deterministic for a seed.
 *
 *   flood_gen SAMPLE.pcap OUT.pcap NESP NIKE SEED [PERCENT]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

static uint64_t
rng_next(void)
{
	/* xorshift64*: fast, and the same sequence on every machine. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static void
le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
write_record(FILE *f, uint64_t ts, const uint8_t *d, uint32_t len)
{
	uint8_t h[16];
	le32(h, (uint32_t)(ts / 1000000));
	le32(h + 4, (uint32_t)(ts % 1000000));
	le32(h + 8, len);
	le32(h + 12, len);
	if (fwrite(h, 1, 16, f) != 16 || fwrite(d, 1, len, f) != len) {
		perror("flood_gen: write");
		exit(1);
	}
}

/* Ethernet and IPv4 headers; returns the IP header's offset + its length. */
static size_t
eth_ip(uint8_t *b, uint32_t src, uint32_t dst, uint8_t proto, size_t l4len)
{
	static const uint8_t mac[12] = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2};
	memcpy(b, mac, 12);
	put16(b + 12, 0x0800);
	uint8_t *ip = b + 14;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + l4len));
	ip[8] = 64;
	ip[9] = proto;
	put32(ip + 12, src);
	put32(ip + 16, dst);
	uint32_t sum = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put16(ip + 10, (uint16_t)~sum);
	return 34;
}

#define RESPONDER 0xcb007101u /* 203.0.113.1 */

static uint32_t
esp_packet(uint8_t *b)
{
	uint64_t r = rng_next();
	uint32_t src = 0x0a000000u | (uint32_t)(r & 0xffffff); /* 10.0.0.0/8 */
	uint32_t spi = (uint32_t)(r >> 32) | 0x100;	       /* never 0..255 (reserved) */
	size_t o = eth_ip(b, src, RESPONDER, 50, 8 + 32);
	put32(b + o, spi);
	put32(b + o + 4, 1 + (uint32_t)(rng_next() & 0xff));
	for (int i = 0; i < 32; i++)
		b[o + 8 + i] = (uint8_t)rng_next();
	return (uint32_t)(o + 40);
}

static uint32_t
ike_init(uint8_t *b)
{
	uint64_t r = rng_next();
	uint32_t src = 0x64400000u | (uint32_t)(r & 0x3fffff); /* 100.64.0.0/10 */
	size_t ike_len = 28 + 20;
	size_t o = eth_ip(b, src, RESPONDER, 17, 8 + ike_len);
	put16(b + o, 500);
	put16(b + o + 2, 500);
	put16(b + o + 4, (uint16_t)(8 + ike_len));
	put16(b + o + 6, 0);
	uint8_t *m = b + o + 8;
	uint64_t spi = rng_next() | 1;
	for (int i = 0; i < 8; i++)
		m[i] = (uint8_t)(spi >> (8 * i));
	memset(m + 8, 0, 8); /* SPIr 0 */
	m[16] = 40;	     /* Nonce */
	m[17] = 0x20;	     /* IKEv2 */
	m[18] = 34;	     /* IKE_SA_INIT */
	m[19] = 0x08;	     /* Initiator */
	put32(m + 20, 0);
	put32(m + 24, (uint32_t)ike_len);
	m[28] = 0;
	m[29] = 0;
	put16(m + 30, 20);
	for (int i = 0; i < 16; i++)
		m[32 + i] = (uint8_t)rng_next();
	return (uint32_t)(o + 8 + ike_len);
}

static uint32_t
rd_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int
main(int argc, char **argv)
{
	if (argc != 6 && argc != 7) {
		fprintf(stderr, "usage: flood_gen SAMPLE.pcap OUT.pcap NESP NIKE SEED [PERCENT]\n");
		return 2;
	}
	uint64_t percent = argc == 7 ? strtoull(argv[6], NULL, 10) : 40;
	if (percent > 100)
		percent = 100;
	uint64_t nesp = strtoull(argv[3], NULL, 10), nike = strtoull(argv[4], NULL, 10);
	rng_state = strtoull(argv[5], NULL, 10) * 0x9e3779b97f4a7c15ULL + 1;
	FILE *in = fopen(argv[1], "rb");
	if (in == NULL) {
		perror(argv[1]);
		return 1;
	}
	static uint8_t sample[1 << 20];
	size_t slen = fread(sample, 1, sizeof(sample), in);
	fclose(in);
	/* A little-endian microsecond pcap of Ethernet frames, as the samples are. */
	if (slen < 24 || rd_le32(sample) != 0xa1b2c3d4u || rd_le32(sample + 20) != 1) {
		fprintf(stderr, "flood_gen: %s: not a little-endian Ethernet pcap\n", argv[1]);
		return 1;
	}
	FILE *out = fopen(argv[2], "wb");
	if (out == NULL) {
		perror(argv[2]);
		return 1;
	}
	static char obuf[1 << 20];
	setvbuf(out, obuf, _IOFBF, sizeof(obuf));
	uint8_t gh[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0};
	le32(gh + 16, 65535);
	le32(gh + 20, 1);
	fwrite(gh, 1, 24, out);
	uint64_t total = nesp + nike, at = total * percent / 100;
	uint64_t ts = 1700000000000000ULL, left_esp = nesp, left_ike = nike;
	uint8_t b[256];
	for (uint64_t i = 0; i < total; i++) {
		if (i == at) {
			/* The real negotiation, its own spacing kept. */
			uint64_t first = 0, last = ts;
			for (size_t off = 24; off + 16 <= slen;) {
				uint64_t t = (uint64_t)rd_le32(sample + off) * 1000000 +
					     rd_le32(sample + off + 4);
				uint32_t cl = rd_le32(sample + off + 8);
				if (off + 16 + cl > slen)
					break;
				if (first == 0)
					first = t;
				last = ts + (t - first);
				write_record(out, last, sample + off + 16, cl);
				off += 16 + cl;
			}
			ts = last;
		}
		ts += 10;
		uint32_t n;
		if (rng_next() % (left_esp + left_ike) < left_ike) {
			n = ike_init(b);
			left_ike--;
		} else {
			n = esp_packet(b);
			left_esp--;
		}
		write_record(out, ts, b, n);
	}
	if (fclose(out) != 0) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
