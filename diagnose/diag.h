/*
 * Findings: the catalog (findings.def) and the list of findings raised during
 * an analysis.  Rules live in diagnose/; renderers read the list.
 */
#ifndef IKESCOPE_DIAGNOSE_DIAG_H
#define IKESCOPE_DIAGNOSE_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/util.h"

enum severity { SEV_INFO, SEV_WARNING, SEV_ERROR };
enum confidence { CONF_LIKELY, CONF_CONFIRMED };

enum finding_code {
#define FINDING(e, sev, code, summary, remedy) F_##e,
#include "diagnose/findings.def"
#undef FINDING
	F_COUNT
};

struct catalog_entry {
	enum finding_code code;
	enum severity severity;
	const char *name;
	const char *summary;
	const char *remediation;
};

extern const struct catalog_entry diag_catalog[F_COUNT];
const char *diag_severity_name(enum severity s);
const char *diag_confidence_name(enum confidence c);

#define FINDING_MAX_FRAMES 32	/* evidence frames cited per finding */
#define FINDINGS_MAX	   4096 /* findings kept per analysis */

struct finding {
	enum finding_code code;
	enum severity severity;
	enum confidence confidence;
	uint8_t ike_version; /* 0 when not about an IKE SA */
	struct ip_addr initiator, responder;
	uint64_t frames[FINDING_MAX_FRAMES];
	size_t nframes;
	uint64_t more_frames; /* evidence frames beyond those cited */
	char *message;	      /* owned by the list: exactly as long as the text */
};

#define DIAG_MESSAGE_MAX 1024 /* a finding's text is cut at this length */

struct diag {
	struct finding *list;
	size_t n, cap;
	uint64_t dropped; /* findings beyond FINDINGS_MAX */
	uint64_t by_severity[3];
	/*
	 * diag_find's index: (code, initiator, responder) -> 1 + the first finding
	 * with them, over list[0..indexed).  Findings are entered at the next
	 * diag_find, so a rule sets the peers of what it raised before it looks
	 * again (every rule does); diag_remove starts the index over.
	 */
	uint32_t *index; /* DIAG_INDEX_SLOTS slots, 0 empty; allocated at the first find */
	size_t indexed;
};

#define DIAG_INDEX_SLOTS (2 * FINDINGS_MAX)

void diag_init(struct diag *d);
void diag_free(struct diag *d);
/* Raises a finding; returns it so the rule can add frames, or NULL when the list is full. */
struct finding *diag_raise(struct diag *d, enum finding_code code, enum confidence conf,
			   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_add_frame(struct finding *f, uint64_t frame);
/* Replaces the text of f (kept within DIAG_MESSAGE_MAX). */
void diag_set_message(struct finding *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Copies src into dst of another list (frames, peers, text), dst's text its own. */
void diag_copy(struct finding *dst, const struct finding *src);
/* Removes finding i (keeping the order of the others and the counts right). */
void diag_remove(struct diag *d, size_t i);
/* The finding of this code already raised for this pair of peers, if any. */
struct finding *diag_find(struct diag *d, enum finding_code code, const struct ip_addr *a,
			  const struct ip_addr *b);

#endif
