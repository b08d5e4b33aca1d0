/*
 * Evidence that belongs to no SA: ICMP errors quoting IKE, NAT-T or ESP
 * datagrams, and IP-fragmented IKE datagrams whose fragments never all
 * arrived.  Bounded lists; what is beyond the bound is counted.
 */
#ifndef IKESCOPE_TRACK_EVIDENCE_H
#define IKESCOPE_TRACK_EVIDENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/util.h"

#define EVIDENCE_MAX 256

struct icmp_ev {
	uint64_t frame, ts;
	struct ip_addr from;	 /* who sent the ICMP error */
	struct ip_addr src, dst; /* the quoted datagram */
	uint16_t sport, dport;
	uint8_t proto, version, type, code;
	uint32_t mtu;
};

struct lost_ev {
	uint64_t frames[16];
	uint8_t nframes;
	uint64_t first_ts, last_ts;
	struct ip_addr src, dst;
	uint16_t sport, dport;
	uint32_t received, total;
	bool ike_header;  /* the first fragment held an IKE header */
	uint8_t spi_i[8]; /* from it, when present */
	uint8_t exchange;
	uint32_t msgid;
};

struct evidence {
	struct icmp_ev icmp[EVIDENCE_MAX];
	uint16_t nicmp;
	struct lost_ev lost[EVIDENCE_MAX];
	uint16_t nlost;
	uint64_t dropped;
};

#endif
