/*
 * The payload tree of -vv, written once for both outputs: in text as indented
 * "key value" lines, in NDJSON as a "tree" array of objects in the packet record.
 * Payload printers (report/tree_v1.c, report/tree_v2.c) call only these.
 */
#ifndef IKESCOPE_REPORT_TREE_H
#define IKESCOPE_REPORT_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dissect/ike.h"

#define TREE_MAX_DEPTH 8

struct tw {
	FILE *f;
	bool json;
	int depth;
	bool first[TREE_MAX_DEPTH + 1]; /* no member written yet at this depth (JSON commas) */
	bool inline_text;		/* text: members of this object go on one line */
};

void tw_init(struct tw *w, FILE *f, bool json);
/* An object (a payload, a proposal, a transform...) named by kind, e.g. "payload". */
void tw_begin(struct tw *w, const char *kind, const char *title);
void tw_end(struct tw *w);
/* A list of child objects under key (JSON array; text: the children indent). */
void tw_list_begin(struct tw *w, const char *key);
void tw_list_end(struct tw *w);
void tw_uint(struct tw *w, const char *key, uint64_t v);
void tw_str(struct tw *w, const char *key, const char *s);
/* A value with its registry name: 12 (AES_CBC) in text; {"key":12,"key_name":"AES_CBC"} in JSON. */
void tw_named(struct tw *w, const char *key, unsigned v, const char *name);
void tw_hex(struct tw *w, const char *key, const uint8_t *p, size_t n); /* cut at 64 bytes */
void tw_bool(struct tw *w, const char *key, bool v);
/* A printable rendering of bytes that may not be text (identities, vendor strings). */
void tw_text(struct tw *w, const char *key, const uint8_t *p, size_t n);
void tw_ip(struct tw *w, const char *key, const uint8_t *p, size_t n); /* 4 or 16 bytes */

/* The whole tree of one IKE message (report/tree_v1.c / tree_v2.c). */
void tree_ike_msg(struct tw *w, const struct ike_msg *m);
void tree_ikev1_payload(struct tw *w, const struct ike_msg *m, const struct ike_payload *p);
void tree_ikev2_payload(struct tw *w, const struct ike_msg *m, const struct ike_payload *p);

#endif
