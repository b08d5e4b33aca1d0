/*
 * The one driver: capture -> dissect -> track -> diagnose -> report.
 * Also what the tests and fuzz harnesses link to run the whole analysis.
 */
#ifndef IKESCOPE_CLI_PIPELINE_H
#define IKESCOPE_CLI_PIPELINE_H

#include "capture/capture.h"
#include "crypto/crypto.h"
#include "diagnose/diag.h"
#include "report/report.h"
#include "track/evidence.h"
#include "track/ike_frag.h"
#include "track/track.h"

#define ESP_SA_CAP (1u << 20)
#define IKE_SA_CAP (1u << 18)

struct analysis {
	struct report rep;
	struct esp_table esp;
	struct ike_table ike;
	struct ike_frag_table frag;
	struct evidence ev;
	const struct profile *profile;
	/* decryption (only with --keys / --psk) */
	const struct keyring *keys;
	const uint8_t *psk;
	size_t psk_len;
	struct ikev1_ctx *v1ctx;
	struct ikev2_ctx *v2ctx;
	struct esp_dec *espdec; /* made on the first ESP packet with keys */
	bool espdec_tried;
	uint8_t *plain; /* CRYPTO_MAX_PLAIN bytes: the current message's decrypted payloads */
	size_t plain_len;
	struct diag diag;	  /* every finding, as of the last analysis_diagnose */
	struct diag pkt_findings; /* raised per packet (malformed), copied into diag */
	struct summary sum;
};

void analysis_init(struct analysis *a, const struct report *rep);
/* Keys and PSK (both may be NULL); call after analysis_init, before the first packet. */
void analysis_set_keys(struct analysis *a, const struct keyring *k, const uint8_t *psk,
		       size_t psk_len);
void analysis_free(struct analysis *a);
/* Callbacks for cap_run / decoder_frame. */
void analysis_pkt(void *ctx, const struct pkt *p);
void analysis_drop(void *ctx, const struct reasm_datagram *d);
/*
 * Diagnoses the state tracked so far into a->diag (replacing what was there);
 * idempotent, for live views.  last_ts: "now" in capture time, 0 for the last
 * packet's time.
 */
void analysis_diagnose(struct analysis *a, uint64_t last_ts);
/*
 * End of input without a report (the TUI): pending IKE fragments given up, the
 * diagnosis, the final counters in a->sum.  Call once.
 */
void analysis_conclude(struct analysis *a, const struct cap_stats *cs,
		       const struct reasm_stats *rs);
/* End of input: analysis_conclude, then the report. */
void analysis_finish(struct analysis *a, const struct cap_stats *cs, const struct reasm_stats *rs);

#endif
