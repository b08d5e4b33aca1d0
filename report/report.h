/*
 * Renderers: text (tcpdump's spirit) and NDJSON (INTERFACE.md).  Deterministic:
 * capture time only, frame numbers, stable order.  They read state, never change it.
 */
#ifndef IKESCOPE_REPORT_REPORT_H
#define IKESCOPE_REPORT_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "capture/capture.h"
#include "crypto/crypto.h"
#include "crypto/natd.h"
#include "diagnose/diag.h"
#include "dissect/ike.h"
#include "track/ike_frag.h"
#include "track/track.h"

struct summary {
	uint64_t packets, ike_packets, esp_packets, ike_sas, esp_sas, malformed;
	uint64_t esp_evicted, ike_evicted, ike_overflow, findings_dropped;
	uint64_t non_ip, ip_malformed;
	uint64_t ike_datagrams_lost; /* IP-fragmented IKE datagrams never completed */
	uint64_t ike_frag_complete, ike_frag_incomplete; /* IKE-level fragmented messages */
	struct reasm_stats reasm;
	uint64_t findings[3]; /* by severity */
	bool truncated;
	uint64_t first_ts, last_ts;
	struct cap_drops drops; /* live capture: pcap_stats at the end (valid false for files) */
};

struct report {
	FILE *out;
	bool json;
	int verbose;
	bool quiet;
	bool have_first;
	uint64_t first_ts; /* for relative times in text */
};

/* What the pipeline learnt of an IKE message beyond its own bytes. */
struct ike_facts {
	struct natd_result nd;
	bool fragment; /* an IKE-level fragment (SKF or IKEv1 FRAG) */
	enum ike_frag_state frag_state;
	const struct ike_frag_msg *frag_done; /* the fragments of the message it completed */
	const struct ike_msg *joined;	      /* IKEv1: the reassembled message, dissected */
	/* with --keys */
	bool keys;		    /* keys were found for this SA (or ESP SA) */
	bool esp_ok;		    /* ESP: decrypted, ICV good */
	struct esp_inner esp_inner; /* ESP: the tunnelled packet */
};

/* One packet (with -v): m and its facts for IKE, e for ESP, else NULL. */
void report_packet(struct report *r, const struct pkt *p, const struct ike_msg *m,
		   const struct esp_hdr *e, const struct ike_facts *fx);
/* An IKE message whose IKE-level fragments never all arrived (with -v). */
void report_lost_ike_fragments(struct report *r, const struct ike_frag_msg *m);
/* An IP-fragmented IKE datagram that never completed (with -v). */
void report_lost_datagram(struct report *r, const struct reasm_datagram *d, uint16_t sport,
			  uint16_t dport);
/* Everything after the packets: IKE SAs with their ladders, ESP SAs, findings. */
void report_analysis(struct report *r, const struct ike_table *ike, const struct esp_table *esp,
		     const struct diag *d);
/*
 * One message of an IKE SA's ladder as the text report shows it (report/tunnel.c),
 * for every renderer of a ladder (the text report, the TUI).
 */
struct ladder_step {
	uint64_t frame, rel_usec; /* rel_usec: from t0 */
	bool from_i, v2, response;
	char exchange[24];
	uint32_t msgid;
	char payloads[192]; /* "[SA KE Ni N]", as text_payload_list writes it */
	uint8_t nnotify;    /* the error and status notifies, not the routine ones */
	uint16_t notify[IKE_REC_MAX_N];
	const char *notify_name[IKE_REC_MAX_N]; /* NULL: no name, show the number */
	uint16_t skf_n, skf_total;
	uint32_t len;
	uint16_t sport, dport;
	bool ip_fragmented, unexpected;
	uint64_t retrans_of; /* the frame this one repeats, 0 when none */
};
void report_ladder_step(const struct ike_sa *sa, uint16_t i, uint64_t t0, struct ladder_step *s);
/* The IKE SAs in order of their first frame (caller frees the array). */
struct ike_sa **report_ike_sorted(const struct ike_table *t);
/* Same unordered pair of peers (a tunnel). */
bool report_same_pair(const struct ip_addr *a, const struct ip_addr *b, const struct ip_addr *c,
		      const struct ip_addr *d);
/* NDJSON esp_sa and finding records (report/json.c). */
void json_esp_sas(struct report *r, const struct esp_table *t);
void json_findings(struct report *r, const struct diag *d);
void report_summary(struct report *r, const struct summary *s);
/* Live streaming: one finding, or one IKE SA's state (a record, or one text line). */
void report_finding(struct report *r, const struct finding *x);
void report_ike_sa(struct report *r, const struct ike_sa *sa);

/* Internal to report/: the text writer, and helpers shared by both. */
void text_packet(struct report *r, const struct pkt *p, const struct ike_msg *m,
		 const struct esp_hdr *e, const struct ike_facts *fx);
void text_esp_sas(struct report *r, struct esp_sa **v, size_t n);
/* "[SK {IDi AUTH ...}]": payload types, the decrypted ones (from nclear on) in braces. */
void text_payload_list(FILE *f, uint8_t version, bool encrypted, const uint8_t *types,
		       unsigned nclear, unsigned n, bool decrypted);
void text_summary(struct report *r, const struct summary *s);
/* A finding on its own, with the tunnel it is about (live streaming). */
void text_finding_line(FILE *f, const struct finding *x);
void json_str(FILE *f, const char *s);
const char *pkt_proto_name(const struct pkt *p, const struct ike_msg *m);
/* Whether the packet's UDP ports are known (not for ICMP or non-first fragments). */
bool pkt_has_ports(const struct pkt *p);

#endif
