/* The rule runner and the names of IKE SA verdicts (see rules.h). */
#include "diagnose/rules.h"
#include "track/ike_state.h"

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
 * An IKEv2 SA rekeyed and deleted (RFC 7296 §2.8): it ran a CREATE_CHILD_SA
 * exchange, then an INFORMATIONAL one (the Delete of the old SA), and fell
 * silent; meanwhile a new IKE SA between the same peers appeared whose first
 * message seen is not an IKE_SA_INIT (it was born of that CREATE_CHILD_SA).
 * Encrypted, the Delete itself is not visible: sample ikev2-rekey-delete shows
 * the pattern (frames 59-62, then SA 2 from frame 75).
 */
static bool
diag_sa_rekeyed(const struct ike_table *t, const struct ike_sa *x)
{
	if (x->version != 2 || x->nmsgs < 4 || x->msgs_dropped)
		return false;
	const struct ike_rec *last = &x->msgs[x->nmsgs - 1];
	int ccsa = -1;
	for (int i = x->nmsgs - 1; i >= 0; i--)
		if (x->msgs[i].exchange == 36 && x->msgs[i].response) {
			ccsa = i;
			break;
		}
	/* After the CREATE_CHILD_SA, nothing but INFORMATIONAL exchanges. */
	if (ccsa < 0 || last->exchange != 37 || !last->response)
		return false;
	for (int i = ccsa + 1; i < x->nmsgs; i++)
		if (x->msgs[i].exchange != 37)
			return false;
	for (uint32_t k = 0; k < t->n; k++) {
		const struct ike_sa *y = &t->sa[k];
		if (y == x || y->version != 2 || y->phase != ST_MIDWAY)
			continue;
		if (!ip_addr_eq(&y->initiator, &x->initiator) &&
		    !ip_addr_eq(&y->initiator, &x->responder))
			continue;
		if (!ip_addr_eq(&y->lo, &x->lo) || !ip_addr_eq(&y->hi, &x->hi))
			continue;
		if (y->first_frame > x->msgs[ccsa].frame)
			return true;
	}
	return false;
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
		if (sa->state == SA_ESTABLISHED && diag_sa_rekeyed(c->ike, sa)) {
			sa->state = SA_DELETED;
			continue;
		}
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

/* The families whose inference a confirmed finding replaces. */
static int
diag_family(enum finding_code code)
{
	switch (code) {
	case F_PSK_MISMATCH:
	case F_AUTH_FAILED:
	case F_ID_MISMATCH:
		return 1;
	case F_CHILD_NO_PROPOSAL:
	case F_TS_UNACCEPTABLE:
		return 2;
	default:
		return 0;
	}
}

/*
 * Decrypted evidence (--keys, --psk) proves what sizes and silence suggested:
 * a likely finding of the same family about the same peers gives way to it.
 */
static void
diag_prefer_confirmed(struct diag *d)
{
	for (size_t i = 0; i < d->n;) {
		const struct finding *x = &d->list[i];
		int fam = diag_family(x->code);
		bool drop = false;
		for (size_t k = 0; fam && x->confidence == CONF_LIKELY && k < d->n && !drop; k++) {
			const struct finding *y = &d->list[k];
			drop = k != i && y->confidence == CONF_CONFIRMED &&
			       diag_family(y->code) == fam && y->ike_version == x->ike_version &&
			       ip_addr_eq(&y->initiator, &x->initiator) &&
			       ip_addr_eq(&y->responder, &x->responder);
		}
		if (drop)
			diag_remove(d, i);
		else
			i++;
	}
}

void
diag_run(struct diag_ctx *c)
{
	diag_rule_keys(c);
	diag_rule_ikev2(c);
	diag_rule_ikev1(c);
	diag_rule_path(c);
	diag_rule_esp(c);
	diag_rule_crypto(c);
	diag_rule_nat(c);
	diag_prefer_confirmed(c->d);
	diag_settle_states(c);
}
