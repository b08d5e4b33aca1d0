/* The rule runner and the names of IKE SA verdicts (see rules.h). */
#include "diagnose/rules.h"

const char *
sa_state_name(uint8_t st)
{
	static const char *const names[] = {"incomplete", "established", "failed", "deleted"};
	return st < ARRAY_LEN(names) ? names[st] : "incomplete";
}

const char *
sa_auth_name(uint8_t auth)
{
	static const char *const names[] = {"unknown", "psk",	    "rsa",  "ecdsa",
					    "eap",     "xauth-psk", "other"};
	return auth < ARRAY_LEN(names) ? names[auth] : "unknown";
}

/*
 * A negotiation that never got anywhere and drew an error finding from the
 * path rules (peer unreachable, NAT-T blocked, fragments dropped) has failed.
 */
static void
diag_settle_states(struct diag_ctx *c)
{
	for (uint32_t i = 0; i < c->ike->n; i++) {
		struct ike_sa *sa = &c->ike->sa[i];
		if (sa->state != SA_INCOMPLETE)
			continue;
		for (size_t k = 0; k < c->d->n; k++) {
			const struct finding *f = &c->d->list[k];
			if (f->severity == SEV_ERROR &&
			    (!f->ike_version || f->ike_version == sa->version) &&
			    ip_addr_eq(&f->initiator, &sa->initiator) &&
			    ip_addr_eq(&f->responder, &sa->responder)) {
				sa->state = SA_FAILED;
				break;
			}
		}
	}
}

void
diag_run(struct diag_ctx *c)
{
	diag_rule_ikev2(c);
	diag_rule_ikev1(c);
	diag_rule_path(c);
	diag_rule_esp(c);
	diag_rule_crypto(c);
	diag_rule_nat(c);
	diag_settle_states(c);
}
