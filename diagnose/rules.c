/* The rule runner and the names of IKE SA verdicts (see rules.h). */
#include <stdlib.h>

#include "diagnose/pairs.h"
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
/*
 * The IKE SAs grouped by their pair of peers (lo, hi): a sorted index, so that
 * a rule that looks at an SA's siblings reads its group, not the whole table.
 */
struct sa_groups {
	uint32_t *order;       /* SA indices, sorted by (lo, hi, index) */
	uint32_t *first, *end; /* per SA: its group in order, [first, end) */
};

static const struct ike_table *groups_table; /* for the qsort comparator */

static int
groups_cmp(const void *a, const void *b)
{
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	const struct ike_sa *x = &groups_table->sa[i], *y = &groups_table->sa[j];
	int c = ip_addr_cmp(&x->lo, &y->lo);
	if (c == 0)
		c = ip_addr_cmp(&x->hi, &y->hi);
	return c ? c : (i > j) - (i < j);
}

static void
sa_groups_build(struct sa_groups *g, const struct ike_table *t)
{
	size_t n = t->n ? t->n : 1;
	g->order = xcalloc(n, sizeof(*g->order));
	g->first = xcalloc(n, sizeof(*g->first));
	g->end = xcalloc(n, sizeof(*g->end));
	for (uint32_t i = 0; i < t->n; i++)
		g->order[i] = i;
	groups_table = t;
	qsort(g->order, t->n, sizeof(*g->order), groups_cmp);
	for (uint32_t a = 0; a < t->n;) {
		const struct ike_sa *x = &t->sa[g->order[a]];
		uint32_t b = a + 1;
		while (b < t->n && ip_addr_eq(&t->sa[g->order[b]].lo, &x->lo) &&
		       ip_addr_eq(&t->sa[g->order[b]].hi, &x->hi))
			b++;
		for (uint32_t k = a; k < b; k++) {
			g->first[g->order[k]] = a;
			g->end[g->order[k]] = b;
		}
		a = b;
	}
}

static void
sa_groups_free(struct sa_groups *g)
{
	free(g->order);
	free(g->first);
	free(g->end);
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
diag_sa_rekeyed(const struct ike_table *t, const struct sa_groups *g, uint32_t xi)
{
	const struct ike_sa *x = &t->sa[xi];
	uint32_t folded = x->fold ? x->fold->nmsgs : 0;
	if (x->version != 2 || x->nmsgs == 0 || x->nmsgs + folded < 4 || x->msgs_dropped)
		return false;
	const struct ike_rec *last = &x->msgs[x->nmsgs - 1];
	int ccsa = -1;
	for (int i = x->nmsgs - 1; i >= 0; i--)
		if (x->msgs[i].exchange == IKEV2_X_CREATE_CHILD_SA && x->msgs[i].response) {
			ccsa = i;
			break;
		}
	/* The last CREATE_CHILD_SA response may have been folded (only INFORMATIONAL and
	 * CREATE_CHILD_SA exchanges fold, so what was folded after it is INFORMATIONAL). */
	uint64_t ccsa_frame = ccsa >= 0 ? x->msgs[ccsa].frame : 0;
	if (x->fold && x->fold->child_last_frame > ccsa_frame)
		ccsa_frame = x->fold->child_last_frame;
	/* After the CREATE_CHILD_SA, nothing but INFORMATIONAL exchanges. */
	if (ccsa_frame == 0 || last->exchange != IKEV2_X_INFORMATIONAL || !last->response)
		return false;
	for (int i = 0; i < x->nmsgs; i++)
		if (x->msgs[i].frame > ccsa_frame && x->msgs[i].exchange != IKEV2_X_INFORMATIONAL)
			return false;
	/* The SAs between the same peers (lo, hi). */
	for (uint32_t k = g->first[xi]; k < g->end[xi]; k++) {
		const struct ike_sa *y = &t->sa[g->order[k]];
		if (y == x || y->version != 2 || y->phase != ST_MIDWAY)
			continue;
		if (!ip_addr_eq(&y->initiator, &x->initiator) &&
		    !ip_addr_eq(&y->initiator, &x->responder))
			continue;
		if (y->first_frame > ccsa_frame)
			return true;
	}
	return false;
}

/*
 * The error findings by (initiator, responder, IKE version): open addressing
 * over finding indices, at most half full (FINDINGS_MAX in twice the slots).
 */
static uint32_t
err_hash(const struct ip_addr *i, const struct ip_addr *r, uint8_t v)
{
	return hash_fold(ip_addr_hash(r, ip_addr_hash(i, 0xbb67ae8584caa73bULL + v)));
}

static uint32_t *
err_slot(uint32_t *slot, const struct diag *d, const struct ip_addr *i, const struct ip_addr *r,
	 uint8_t v)
{
	uint32_t m = DIAG_INDEX_SLOTS - 1;
	uint32_t h = err_hash(i, r, v) & m;
	for (uint32_t n = 0; n < DIAG_INDEX_SLOTS; n++, h = (h + 1) & m) {
		if (slot[h] == 0)
			return &slot[h];
		const struct finding *f = &d->list[slot[h] - 1];
		if (f->ike_version == v && ip_addr_eq(&f->initiator, i) &&
		    ip_addr_eq(&f->responder, r))
			return &slot[h];
	}
	return NULL;
}

/*
 * A negotiation that never got anywhere and drew an error finding from the
 * path rules (peer unreachable, NAT-T blocked, fragments dropped) has failed.
 */
static void
diag_settle_states(struct diag_ctx *c)
{
	struct sa_groups g;
	sa_groups_build(&g, c->ike);
	uint32_t *errs = xcalloc(DIAG_INDEX_SLOTS, sizeof(*errs));
	for (size_t k = 0; k < c->d->n; k++) {
		const struct finding *f = &c->d->list[k];
		if (f->severity != SEV_ERROR)
			continue;
		uint32_t *s = err_slot(errs, c->d, &f->initiator, &f->responder, f->ike_version);
		if (s && *s == 0)
			*s = (uint32_t)k + 1;
	}
	for (uint32_t i = 0; i < c->ike->n; i++) {
		struct ike_sa *sa = &c->ike->sa[i];
		if (sa->state == SA_ESTABLISHED && diag_sa_rekeyed(c->ike, &g, i)) {
			sa->state = SA_DELETED;
			continue;
		}
		if (sa->state != SA_INCOMPLETE)
			continue;
		/* An error finding about these peers, for any version (0) or this one. */
		const uint32_t *any = err_slot(errs, c->d, &sa->initiator, &sa->responder, 0);
		const uint32_t *same =
		    err_slot(errs, c->d, &sa->initiator, &sa->responder, sa->version);
		if ((any && *any) || (same && *same))
			sa->state = SA_FAILED;
	}
	free(errs);
	sa_groups_free(&g);
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
	/* The IKE SAs do not come or go while the rules run: one index serves them all. */
	struct pair_index pairs;
	pair_index_build(&pairs, c->ike, c->esp);
	c->pairs = &pairs;
	diag_rule_keys(c);
	diag_rule_ikev2(c);
	diag_rule_ikev1(c);
	diag_rule_path(c);
	diag_rule_esp(c);
	diag_rule_crypto(c);
	diag_rule_nat(c);
	diag_prefer_confirmed(c->d);
	diag_settle_states(c);
	c->pairs = NULL;
	pair_index_free(&pairs);
}
