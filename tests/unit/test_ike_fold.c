/*
 * Unit tests for folding (track/ike_fold.c): which exchanges at the end of a
 * long log fold, which stay, and what the summary tells the rules.
 */
#include <stdlib.h>
#include <string.h>

#include "dissect/ikev2_names.h"
#include "tests/unit/check.h"
#include "track/ike_state.h"
#include "track/track.h"

#define SEC 1000000ULL

static uint64_t frame;

/* Appends a record to the log as ike_sa_record would (no state machine, no digest). */
static struct ike_rec *
add(struct ike_sa *sa, uint8_t exchange, bool from_i, bool response, uint32_t msgid, uint64_t ts)
{
	if (sa->nmsgs == sa->amsgs) {
		sa->amsgs = (uint16_t)(sa->amsgs + 8);
		sa->msgs = realloc(sa->msgs, sa->amsgs * sizeof(*sa->msgs));
	}
	struct ike_rec *r = &sa->msgs[sa->nmsgs++];
	memset(r, 0, sizeof(*r));
	r->frame = ++frame;
	r->ts = ts;
	r->exchange = exchange;
	r->from_i = from_i;
	r->response = response;
	r->msgid = msgid;
	r->retrans_of = -1;
	r->len = 80;
	if (sa->version == 2) {
		r->npl = r->npl_clear = 1;
		r->pl[0] = IKEV2_P_SK;
		r->sk_len = 52;
	} else {
		r->encrypted = exchange != 2 || sa->nmsgs > 4;
	}
	return r;
}

/* The next message, not yet in the log. */
static struct ike_rec
next_rec(uint8_t exchange, bool from_i, uint32_t msgid, uint64_t ts)
{
	struct ike_rec r;
	memset(&r, 0, sizeof(r));
	r.frame = frame + 1;
	r.ts = ts;
	r.exchange = exchange;
	r.from_i = from_i;
	r.msgid = msgid;
	r.retrans_of = -1;
	return r;
}

/* An empty SA of this version in this negotiation state, its frames counted from 1 again. */
static void
sa_begin(struct ike_sa *sa, uint8_t version, uint8_t phase)
{
	memset(sa, 0, sizeof(*sa));
	frame = 0;
	sa->version = version;
	sa->phase = phase;
}

/* An IKEv2 SA established in the log: IKE_SA_INIT and IKE_AUTH, chosen AES-CBC/SHA2-256. */
static void
v2_sa(struct ike_sa *sa)
{
	sa_begin(sa, 2, ST_ESTABLISHED);
	sa->have_chosen = true;
	sa->chosen.encr = IKEV2_ENCR_AES_CBC;
	sa->chosen.integ = IKEV2_INTEG_HMAC_SHA2_256_128;
	add(sa, 34, true, false, 0, 0)->npl = 3;
	add(sa, 34, false, true, 0, 1000)->npl = 3;
	add(sa, 35, true, false, 1, 2000);
	add(sa, 35, false, true, 1, 3000);
}

/* An IKEv1 SA whose main mode completed (six messages); the time of the last one. */
static uint64_t
v1_sa(struct ike_sa *sa)
{
	sa_begin(sa, 1, ST_QM_IDLE);
	uint64_t ts = 0;
	for (int i = 0; i < 6; i++)
		add(sa, 2, i % 2 == 0, false, 0, ts += 1000);
	return ts;
}

static void
v2_pairs(struct ike_sa *sa, unsigned n, uint32_t *msgid, uint64_t *ts)
{
	for (unsigned i = 0; i < n; i++) {
		add(sa, 37, true, false, *msgid, *ts);
		add(sa, 37, false, true, *msgid, *ts + 1000);
		(*msgid)++;
		*ts += 10 * SEC;
	}
}

static void
sa_free(struct ike_sa *sa)
{
	free(sa->msgs);
	free(sa->fold);
}

int
main(void)
{
	struct ike_sa sa;
	uint32_t id;
	uint64_t ts;

	/* A short log never folds. */
	v2_sa(&sa);
	id = 2, ts = 10 * SEC;
	v2_pairs(&sa, 5, &id, &ts); /* 14 messages */
	struct ike_rec nx = next_rec(37, true, id, ts);
	ike_sa_fold(&sa, &nx);
	CHECK(sa.nmsgs == 14 && sa.fold == NULL);
	sa_free(&sa);

	/* Past IKE_FOLD_AFTER: every completed pair after the establishment folds. */
	v2_sa(&sa);
	id = 2, ts = 10 * SEC;
	v2_pairs(&sa, 6, &id, &ts); /* 16 messages */
	nx = next_rec(37, true, id, ts);
	ike_sa_fold(&sa, &nx);
	CHECK(sa.nmsgs == 4 && sa.fold != NULL);
	CHECK(ike_fold_exchanges(&sa) == 6 && sa.fold->nmsgs == 12 && sa.fold->v2_info == 6);
	CHECK(ike_fold_first_frame(&sa) == 5 && ike_fold_last_frame(&sa) == 16);
	CHECK(sa.fold->nruns == 1 && sa.fold->run[0].side_last[0] == 16 &&
	      sa.fold->run[0].side_last[1] == 15);
	CHECK(ike_fold_side_last(&sa, true) == 15 && ike_fold_side_last(&sa, false) == 16);
	/* Once folding, the next pair folds on the message after it. */
	add(&sa, 37, true, false, id, ts);
	add(&sa, 37, false, true, id, ts + 1000);
	id++, ts += 10 * SEC;
	nx = next_rec(36, true, id, ts);
	ike_sa_fold(&sa, &nx);
	CHECK(sa.nmsgs == 4 && sa.fold->v2_info == 7);
	/* A gap of IKE_FOLD_GAP_USEC or more keeps the exchange in the log. */
	ts += IKE_FOLD_GAP_USEC;
	add(&sa, 37, true, false, id, ts);
	add(&sa, 37, false, true, id, ts + 1000);
	id++, ts += 10 * SEC;
	nx = next_rec(37, true, id, ts);
	ike_sa_fold(&sa, &nx);
	CHECK(sa.nmsgs == 6 && sa.fold->v2_info == 7);
	/* The exchange after it folds, in a run of its own. */
	add(&sa, 37, true, false, id, ts);
	add(&sa, 37, false, true, id, ts + 1000);
	id++, ts += 10 * SEC;
	nx = next_rec(37, true, id, ts);
	ike_sa_fold(&sa, &nx);
	CHECK(sa.nmsgs == 6 && sa.fold->v2_info == 8 && sa.fold->nruns == 2);
	sa_free(&sa);

	/* What stays: a notify, a retransmission, a refused CREATE_CHILD_SA, an
	 * unanswered request, a message the next one repeats, a shared message ID. */
	v2_sa(&sa);
	id = 2, ts = 10 * SEC;
	v2_pairs(&sa, 6, &id, &ts);
	sa.msgs[sa.nmsgs - 1].nn = 1; /* the last response carries a notify */
	nx = next_rec(37, true, id, ts);
	ike_sa_fold(&sa, &nx);
	CHECK(sa.nmsgs == 16 && sa.fold == NULL);
	sa.msgs[sa.nmsgs - 1].nn = 0;
	nx.retrans_of = (int16_t)(sa.nmsgs - 2); /* repeats the last request */
	ike_sa_fold(&sa, &nx);
	CHECK(sa.nmsgs == 16 && sa.fold == NULL);
	nx.retrans_of = -1;
	nx.msgid = sa.msgs[sa.nmsgs - 1].msgid; /* shares its message ID */
	ike_sa_fold(&sa, &nx);
	CHECK(sa.nmsgs == 16 && sa.fold == NULL);
	sa_free(&sa);

	v2_sa(&sa);
	id = 2, ts = 10 * SEC;
	v2_pairs(&sa, 5, &id, &ts);
	add(&sa, 36, true, false, id, ts);
	add(&sa, 36, false, true, id, ts + 1000)->sk_len = 80; /* room 31: refused */
	id++, ts += 10 * SEC;
	nx = next_rec(37, true, id, ts);
	ike_sa_fold(&sa, &nx);
	CHECK(sa.nmsgs == 16 && sa.fold == NULL);
	/* A successful CREATE_CHILD_SA (room 159) folds. */
	sa.msgs[sa.nmsgs - 1].sk_len = 208;
	ike_sa_fold(&sa, &nx);
	CHECK(sa.nmsgs == 4 && sa.fold->v2_child == 1 && sa.fold->v2_info == 5);
	CHECK(sa.fold->child_last_frame == 16 && sa.fold->run[0].neg_frame == 15);
	sa_free(&sa);

	v2_sa(&sa);
	id = 2, ts = 10 * SEC;
	v2_pairs(&sa, 6, &id, &ts);
	add(&sa, 37, true, false, id, ts); /* unanswered, then retransmitted */
	nx = next_rec(37, true, id, ts + SEC);
	nx.retrans_of = (int16_t)(sa.nmsgs - 1);
	ike_sa_fold(&sa, &nx);
	CHECK(sa.nmsgs == 17 && sa.fold == NULL);
	sa_free(&sa);

	/* An SA whose log does not begin with its establishment never folds. */
	v2_sa(&sa);
	sa.msgs[0].exchange = 36;
	id = 2, ts = 10 * SEC;
	v2_pairs(&sa, 6, &id, &ts);
	nx = next_rec(37, true, id, ts);
	ike_sa_fold(&sa, &nx);
	CHECK(sa.fold == NULL);
	sa_free(&sa);

	/* IKEv1: main mode, then quick modes and DPD pairs. */
	ts = v1_sa(&sa);
	for (uint32_t q = 0; q < 3; q++) {
		add(&sa, 32, true, false, 100 + q, ts += SEC);
		add(&sa, 32, false, false, 100 + q, ts += 1000);
		add(&sa, 32, true, false, 100 + q, ts += 1000);
	}
	/* An R-U-THERE and its ACK, then the ACK side's own informational: stays. */
	add(&sa, 5, true, false, 200, ts += SEC);
	add(&sa, 5, false, false, 201, ts += 1000);
	nx = next_rec(5, false, 202, ts += SEC);
	ike_sa_fold(&sa, &nx);
	CHECK(sa.fold == NULL && sa.nmsgs == 17);
	/* Followed by a quick mode instead, all of it folds. */
	nx = next_rec(32, true, 300, ts);
	ike_sa_fold(&sa, &nx);
	CHECK(sa.nmsgs == 6 && sa.fold && sa.fold->v1_quick == 3 && sa.fold->v1_dpd == 1);
	CHECK(sa.fold->child_last_frame == 14);
	sa_free(&sa);

	/* IKEv1: a quick mode without QM2 keeps everything after it. */
	ts = v1_sa(&sa);
	add(&sa, 32, true, false, 99, ts += SEC);
	for (uint32_t q = 0; q < 3; q++) {
		add(&sa, 32, true, false, 100 + q, ts += SEC);
		add(&sa, 32, false, false, 100 + q, ts += 1000);
		add(&sa, 32, true, false, 100 + q, ts += 1000);
	}
	nx = next_rec(32, true, 300, ts += SEC);
	ike_sa_fold(&sa, &nx);
	CHECK(sa.fold == NULL && sa.nmsgs == 16);
	sa_free(&sa);

	if (check_failures)
		fprintf(stderr, "%d checks failed\n", check_failures);
	return check_failures ? 1 : 0;
}
