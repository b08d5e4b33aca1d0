/*
 * Diagnosis rules over tracked state: one function per finding family, each
 * reading the tables and raising findings with their evidence frames.  They
 * run once, at the end of the input (or after a capture-time timeout when
 * reading live), in a fixed order so that findings are deterministic.
 */
#ifndef IKESCOPE_DIAGNOSE_RULES_H
#define IKESCOPE_DIAGNOSE_RULES_H

#include "diagnose/diag.h"
#include "track/evidence.h"
#include "track/track.h"

struct profile;
struct pair_index;

struct diag_ctx {
	struct diag *d;
	struct ike_table *ike;
	const struct esp_table *esp;
	const struct evidence *ev;
	uint64_t first_ts, last_ts;	/* the capture's time span (microseconds) */
	const struct profile *profile;	/* --profile, or NULL */
	bool keys;			/* --keys given */
	bool psk;			/* --psk given (ike_sa.psk_check holds the verdicts) */
	const struct pair_index *pairs; /* built by diag_run (diagnose/pairs.h) */
};

/* Runs every rule, in order. */
void diag_run(struct diag_ctx *c);

/* IKE SA verdicts written by diag_run for the reports (enum values of ike_sa.state). */
enum sa_state { SA_INCOMPLETE, SA_ESTABLISHED, SA_FAILED, SA_DELETED };
const char *sa_state_name(uint8_t st);
const char *sa_auth_name(uint8_t auth);
enum sa_auth { AUTH_UNKNOWN, AUTH_PSK, AUTH_RSA, AUTH_ECDSA, AUTH_EAP, AUTH_XAUTH_PSK, AUTH_OTHER };

/* The families (diagnose/rules_*.c), in the order diag_run calls them. */
void diag_rule_path(struct diag_ctx *c);   /* peer/port unreachable, NAT-T blocked, fragments */
void diag_rule_ikev2(struct diag_ctx *c);  /* IKEv2 negotiations; sets state/auth of IKEv2 SAs */
void diag_rule_ikev1(struct diag_ctx *c);  /* IKEv1 phases; sets state/auth of IKEv1 SAs */
void diag_rule_esp(struct diag_ctx *c);	   /* one-way, gaps, replays, idle teardown */
void diag_rule_crypto(struct diag_ctx *c); /* weak crypto, gateway profiles */
void diag_rule_nat(struct diag_ctx *c);	   /* NAT detection */
void diag_rule_keys(struct diag_ctx *c);   /* with --keys/--psk: decrypted evidence, first */

#endif
