/*
 * The active probe (`ikescope probe HOST`): sends IKE requests (probe/build.h)
 * to the one host named, with libnet (probe/send.h), reads the answers
 * through capture/ (live capture) and dissect/, and reports per probe.
 */
#ifndef IKESCOPE_PROBE_PROBE_H
#define IKESCOPE_PROBE_PROBE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "capture/capture.h"
#include "probe/build.h"

#define PROBE_MAX_VIDS	  16
#define PROBE_MAX_NOTIFY  16
#define PROBE_DEFAULT_MAX 200 /* --max-probes: --enumerate never sends more probes */

struct probe_opts {
	const char *host;
	uint8_t version; /* 1 or 2 */
	bool aggressive; /* IKEv1 aggressive mode, with id */
	const char *id;
	uint16_t port;	    /* 500 or 4500 */
	uint16_t sport;	    /* 0: an ephemeral port the kernel picks */
	const char *iface;  /* -i, or NULL */
	const char *source; /* -s ADDR, or NULL */
	int family;	    /* 0, 4 or 6 (-4 / -6) */
	bool json;
	bool enumerate;
	unsigned rate;		  /* probes (datagrams) per second at most */
	unsigned max_probes;	  /* cap of probes (not retries) in one run */
	unsigned tries;		  /* sends per probe (1 + retries) */
	unsigned timeout_ms;	  /* first wait; doubled after each unanswered send */
	struct probe_offer offer; /* what a single probe offers */
	struct probe_prop cand;	  /* --enumerate: the candidate algorithms */
	bool prf_given;		  /* --prf was given: enumerate PRFs for non-AEAD too */
};

enum probe_outcome { PR_ANSWERED, PR_NO_RESPONSE, PR_ICMP };

struct probe_result {
	enum probe_outcome result;
	uint8_t version;
	bool aggressive;
	uint16_t port, sport;
	unsigned tries;
	uint16_t ke_group; /* the KE group sent (IKEv2, IKEv1 aggressive) */
	bool cookie_sent;  /* this probe carried the responder's cookie */
	char offered[160]; /* "AES_CBC_256/HMAC_SHA2_256_128/..." for --enumerate probes */
	/* an answer */
	double rtt_ms;
	uint8_t exchange;
	uint16_t notify[PROBE_MAX_NOTIFY];
	unsigned nnotify;
	uint16_t dh_wanted; /* INVALID_KE_PAYLOAD */
	bool have_chosen;
	uint16_t encr, keylen, integ, prf, dh, v1_hash, v1_auth;
	char vids[PROBE_MAX_VIDS][48];
	unsigned nvids;
	bool fragmentation;
	bool natd_seen, nat_local, nat_peer; /* NAT in front of us / of the peer */
	/* ICMP */
	struct ip_addr icmp_from;
	uint8_t icmp_version, icmp_type, icmp_code;
};

/* Runs the probe(s); returns the exit status (0 done, 1 runtime error). */
int probe_run(const struct probe_opts *o);

/* The records (probe/report.c). */
void probe_print(FILE *f, bool json, const char *target, const struct probe_result *r);
void probe_print_accepted(FILE *f, bool json, const char *target, const char (*acc)[160],
			  unsigned n, unsigned probes, bool capped);

/* The PRF that goes with an IKEv2 integrity algorithm (the same hash). */
uint16_t probe_prf_for_integ(uint16_t integ);

#endif
