/*
 * What the TUI shows, as data: a snapshot of the tracked state (tunnels, the
 * ladder of one tunnel, findings, counters), built from struct analysis.  No
 * curses here: the view (tui/view.c) only draws a model, and the tests read it
 * directly.
 */
#ifndef IKESCOPE_TUI_MODEL_H
#define IKESCOPE_TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/pipeline.h"

#define TM_MAX_TUNNELS	4096 /* tunnels shown; more are counted in tunnels_dropped */
#define TM_MAX_FINDINGS 1024
#define TM_MAX_LADDER	512 /* ladder rows of the selected tunnel */

enum tm_dir { TM_AB, TM_BA }; /* a -> b, b -> a */

/* One tunnel: the unordered pair of peers, and everything seen between them. */
struct tm_tunnel {
	struct ip_addr a, b; /* a: initiator of the first IKE SA (else the first sender) */
	char a_str[IP_ADDR_STRLEN], b_str[IP_ADDR_STRLEN];
	uint8_t version; /* IKE version of the latest IKE SA; 0 when none was seen */
	int state;	 /* enum sa_state (established if any SA is); -1 without an IKE SA */
	uint32_t nike;	 /* IKE SAs */
	uint32_t nesp;	 /* ESP SAs (CHILD SAs count one per direction) */
	uint64_t esp_packets[2], esp_bytes[2]; /* totals, per enum tm_dir */
	double pps[2], bps[2];		       /* rates between the last two snapshots */
	int worst;			       /* finding code of the worst finding, -1 none */
	int worst_severity;
	uint32_t nfindings;
	uint64_t first_frame;
};

struct tm_finding {
	enum finding_code code;
	enum severity severity;
	enum confidence confidence;
	int tunnel; /* index into tunnels, -1 when it concerns no pair of peers */
	char frames[160];
	char message[1024];
};

/* A ladder row: an IKE SA's heading, or one of its messages. */
struct tm_row {
	bool heading;
	/* heading */
	uint8_t version, state;
	char spi_i[17];
	char initiator[IP_ADDR_STRLEN], responder[IP_ADDR_STRLEN];
	/* message */
	struct ladder_step step;
};

/* Per-tunnel totals of the previous snapshot, for rates. */
struct tm_prev {
	struct ip_addr a, b;
	uint64_t packets[2], bytes[2];
	double pps[2], bps[2];
};

struct tui_model {
	struct tm_tunnel *t;
	size_t n;
	uint64_t tunnels_dropped;
	struct tm_finding *f;
	size_t nf;
	uint64_t findings_dropped;
	/* the ladder of ladder_a/ladder_b, rebuilt by every snapshot when want_ladder */
	bool want_ladder;
	struct ip_addr ladder_a, ladder_b;
	struct tm_row *ladder;
	size_t nladder;
	uint32_t ladder_more; /* messages beyond what the tracker or the model keeps */
	/* counters */
	uint64_t now_usec; /* the snapshot's time: capture time for files, wall time live */
	uint64_t packets, ike_packets, esp_packets;
	double pkt_rate;
	uint64_t snapshots;
	/* the previous snapshot (sorted by pair) */
	struct tm_prev *prev;
	size_t nprev;
	uint64_t prev_usec, prev_packets;
	/* pair -> tunnel index + 1 (open addressing) */
	int32_t *hash;
};

void tm_init(struct tui_model *m);
void tm_free(struct tui_model *m);
/*
 * Rebuilds the model from a (call analysis_diagnose first).  now_usec is the
 * time of the snapshot: rates are the change since the previous snapshot over
 * the time between them (kept as they were when no time has passed).
 */
void tm_snapshot(struct tui_model *m, const struct analysis *a, uint64_t now_usec);
/* Chooses the tunnel whose ladder snapshots build (-1: none), and builds it now. */
void tm_select(struct tui_model *m, const struct analysis *a, int tunnel);
/* Whether tunnel i passes the view's filters: substring of a peer address, findings only. */
bool tm_tunnel_match(const struct tm_tunnel *t, const char *filter, bool findings_only);

#endif
