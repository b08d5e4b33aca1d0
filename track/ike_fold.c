/*
 * Folding routine exchanges out of an IKE SA's log, so that the memory of a
 * long-lived SA does not grow with the capture (issue 9).  Once the log has
 * held more than IKE_FOLD_AFTER messages, the completed exchanges at its end
 * that carry nothing a rule looks for are taken out and summarised in struct
 * ike_fold: IKEv2 INFORMATIONAL pairs and CREATE_CHILD_SA pairs whose response
 * has room for the new SA (RFC 7296 §1.3, §1.4), IKEv1 quick modes QM1-QM3 and
 * answered pairs of encrypted informationals (RFC 2409 §5.5, RFC 3706 DPD).
 * Shorter logs are kept whole: every bundled sample reads as before.
 *
 * Only the end of the log folds, and only when the next message is not a
 * retransmission of it, so no retrans_of index ever points at a folded
 * message.  What the rules ask of the folded messages is in the summary: the
 * counts, the first and last frames, and runs of messages close in time
 * (each folded message less than IKE_FOLD_GAP_USEC after the message before it
 * on the SA), which answer "was there IKE traffic in this idle time" exactly.
 */
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "dissect/ikev2_names.h"
#include "track/ike_state.h"
#include "track/track.h"

/* Exchanges at most: the log holds IKE_SA_MAX_MSGS messages, each exchange two or more. */
#define FOLD_MAX_UNITS (IKE_SA_MAX_MSGS / 2)

/* IV and ICV octets of the SK payload under the chosen IKE SA transforms (RFC 7296 §3.14). */
bool
ike_sk_overhead(const struct ike_offer *o, unsigned *iv, unsigned *icv)
{
	switch (o->encr) {
	case IKEV2_ENCR_AES_CBC:
	case IKEV2_ENCR_CAMELLIA_CBC:
		*iv = 16;
		break;
	case IKEV2_ENCR_3DES:
	case IKEV2_ENCR_DES:
	case IKEV2_ENCR_BLOWFISH:
	case IKEV2_ENCR_CAST:
	case IKEV2_ENCR_AES_CTR: /* RFC 5930 */
	case IKEV2_ENCR_CAMELLIA_CTR:
		*iv = 8;
		break;
	/* AEAD (RFC 5282, RFC 7634): 8-octet IV, the ICV named by the transform ID. */
	case IKEV2_ENCR_AES_CCM_8:
	case IKEV2_ENCR_AES_GCM_8:
	case IKEV2_ENCR_CAMELLIA_CCM_8:
		*iv = 8;
		*icv = 8;
		return true;
	case IKEV2_ENCR_AES_CCM_12:
	case IKEV2_ENCR_AES_GCM_12:
	case IKEV2_ENCR_CAMELLIA_CCM_12:
		*iv = 8;
		*icv = 12;
		return true;
	case IKEV2_ENCR_AES_CCM_16:
	case IKEV2_ENCR_AES_GCM_16:
	case IKEV2_ENCR_CAMELLIA_CCM_16:
	case IKEV2_ENCR_CHACHA20_POLY1305:
		*iv = 8;
		*icv = 16;
		return true;
	default:
		return false;
	}
	/* Non-AEAD: the integrity transform's truncated output (RFC 4868, RFC 2404, RFC 3566). */
	switch (o->integ) {
	case IKEV2_INTEG_HMAC_MD5_96:
	case IKEV2_INTEG_HMAC_SHA1_96:
	case IKEV2_INTEG_AES_XCBC_96:
	case IKEV2_INTEG_AES_CMAC_96:
		*icv = 12;
		return true;
	case IKEV2_INTEG_HMAC_MD5_128:
	case IKEV2_INTEG_HMAC_SHA2_256_128:
		*icv = 16;
		return true;
	case IKEV2_INTEG_HMAC_SHA1_160:
		*icv = 20;
		return true;
	case IKEV2_INTEG_HMAC_SHA2_384_192:
		*icv = 24;
		return true;
	case IKEV2_INTEG_HMAC_SHA2_512_256:
		*icv = 32;
		return true;
	default:
		return false;
	}
}

long
ike_rec_room(const struct ike_sa *sa, const struct ike_rec *r)
{
	unsigned iv = 0, icv = 0;
	if (!sa->have_chosen || !ike_sk_overhead(&sa->chosen, &iv, &icv) || r->sk_len == 0 ||
	    r->skf_total)
		return -1;
	long one = (long)r->sk_len - V2_SK_HDR - iv - icv - 1;
	return one > 0 ? one : 0;
}

bool
ike_child_room_ok(long room)
{
	return room >= V2_CHILD_SA_MIN + V2_NONCE_MIN + V2_TS_PAIR_MIN;
}

/*
 * A message no rule singles out: sent once and not repeated, legal in its
 * state, not decrypted (nor tried), no notify, not fragmented, small, and
 * nothing in clear but the SK payload (IKEv2) or nothing at all (IKEv1).
 */
static bool
fold_plain(const struct ike_sa *sa, const struct ike_rec *r)
{
	if (r->retrans_of >= 0 || r->unexpected || r->decrypted || r->decrypt_failed || r->nn ||
	    r->skf_total || r->skf_n || r->ip_fragmented || r->len > IKE_FOLD_MAX_LEN ||
	    r->auth_method || r->ke_group || r->want_group)
		return false;
	if (sa->version == 2)
		return r->npl == 1 && r->npl_clear == 1 && r->pl[0] == IKEV2_P_SK && r->sk_len;
	return r->encrypted && r->npl == 0;
}

/* The log begins with the SA's establishment, and it completed. */
static bool
fold_established(const struct ike_sa *sa)
{
	if (sa->nmsgs == 0 || !sa->msgs[0].from_i || sa->msgs[0].response)
		return false;
	if (sa->version == 1)
		return sa->phase == ST_QM_IDLE && (sa->msgs[0].exchange == IKEV1_X_MAIN ||
						   sa->msgs[0].exchange == IKEV1_X_AGGRESSIVE);
	if (sa->phase != ST_ESTABLISHED || sa->msgs[0].exchange != IKEV2_X_IKE_SA_INIT)
		return false;
	for (uint16_t k = 1; k < sa->nmsgs; k++)
		if (sa->msgs[k].exchange == IKEV2_X_IKE_AUTH && sa->msgs[k].response &&
		    !sa->msgs[k].from_i)
			return true;
	return false;
}

/*
 * The length of the routine exchange that ends before index end (2 or 3
 * messages), 0 when the messages there are not one.  succ is the message that
 * follows it.
 */
static unsigned
fold_unit(const struct ike_sa *sa, uint16_t end, const struct ike_rec *succ)
{
	const struct ike_rec *m = sa->msgs;
	if (sa->version == 2) {
		if (end < 2)
			return 0;
		const struct ike_rec *q = &m[end - 2], *a = &m[end - 1];
		if (!fold_plain(sa, q) || !fold_plain(sa, a) || q->response || !a->response ||
		    q->from_i == a->from_i || q->msgid != a->msgid || q->exchange != a->exchange)
			return 0;
		if (q->exchange == IKEV2_X_INFORMATIONAL)
			return 2;
		/* A rekey or a new CHILD SA, answered with room for SA, Nr, TSi and TSr. */
		if (q->exchange == IKEV2_X_CREATE_CHILD_SA &&
		    ike_child_room_ok(ike_rec_room(sa, a)))
			return 2;
		return 0;
	}
	if (end >= 3) {
		const struct ike_rec *q1 = &m[end - 3], *q2 = &m[end - 2], *q3 = &m[end - 1];
		if (q1->exchange == IKEV1_X_QUICK && q2->exchange == IKEV1_X_QUICK &&
		    q3->exchange == IKEV1_X_QUICK && fold_plain(sa, q1) && fold_plain(sa, q2) &&
		    fold_plain(sa, q3) && q1->msgid == q2->msgid && q2->msgid == q3->msgid &&
		    q1->from_i == q3->from_i && q1->from_i != q2->from_i)
			return 3;
	}
	if (end >= 2) {
		const struct ike_rec *x = &m[end - 2], *y = &m[end - 1];
		/*
		 * An R-U-THERE and its ACK.  Not when the answering side goes on
		 * with an informational of its own: that may open the run of
		 * unanswered ones that the IKEv1 DPD rule reads back to its start.
		 */
		if (x->exchange == IKEV1_X_INFO && y->exchange == IKEV1_X_INFO &&
		    fold_plain(sa, x) && fold_plain(sa, y) && x->from_i != y->from_i &&
		    !(succ->exchange == IKEV1_X_INFO && succ->from_i == y->from_i))
			return 2;
	}
	return 0;
}

/* No other message of the log, nor the next one, has a message ID of the exchange. */
static bool
fold_msgid_alone(const struct ike_sa *sa, uint16_t a, uint16_t b, const struct ike_rec *next)
{
	for (uint16_t k = a; k < b; k++) {
		uint32_t id = sa->msgs[k].msgid;
		if (next->msgid == id)
			return false;
		for (uint16_t j = 0; j < sa->nmsgs; j++)
			if ((j < a || j >= b) && sa->msgs[j].msgid == id)
				return false;
	}
	return true;
}

/*
 * An IKEv1 quick mode before index end whose QM1 has no answer: the rules
 * take an encrypted informational for its refusal and match quick modes by
 * order, so nothing after it may fold.
 */
static bool
fold_open_quick(const struct ike_sa *sa, uint16_t end)
{
	for (uint16_t k = 0; k < end; k++) {
		const struct ike_rec *q = &sa->msgs[k];
		if (q->exchange != IKEV1_X_QUICK)
			continue;
		bool answered = false;
		for (uint16_t j = 0; j < sa->nmsgs && !answered; j++)
			answered = sa->msgs[j].exchange == IKEV1_X_QUICK &&
				   sa->msgs[j].msgid == q->msgid && sa->msgs[j].from_i != q->from_i;
		if (!answered)
			return true;
	}
	return false;
}

/*
 * The logs of many SAs reach IKE_FOLD_AFTER at about the same time and then
 * shrink: the freed blocks lie side by side in the heap, and glibc keeps them
 * resident unless asked.  Every so many shrinks, the free pages go back.
 */
static void
fold_trim(void)
{
#ifdef __GLIBC__
	static unsigned shrinks;
	if (++shrinks % 256 == 0)
		malloc_trim(0);
#endif
}

static struct ike_fold_run *
fold_last_run(struct ike_fold *f)
{
	return f->nruns ? &f->run[f->nruns - 1] : NULL;
}

/* Counts one folded message into the summary, in time order. */
static void
fold_add(struct ike_sa *sa, const struct ike_rec *r, bool neg)
{
	struct ike_fold *f = sa->fold;
	struct ike_fold_run *run = fold_last_run(f);
	if (run == NULL || r->ts - run->last_ts >= IKE_FOLD_GAP_USEC) {
		if (f->nruns == IKE_FOLD_MAX_RUNS) {
			/* Full: the last two runs become one, which only ever claims more. */
			struct ike_fold_run *a = &f->run[f->nruns - 2], *b = &f->run[f->nruns - 1];
			a->last_frame = b->last_frame;
			a->last_ts = b->last_ts;
			if (a->neg_frame == 0) {
				a->neg_frame = b->neg_frame;
				a->neg_ts = b->neg_ts;
			}
			for (int s = 0; s < 2; s++) {
				if (a->side_first[s] == 0)
					a->side_first[s] = b->side_first[s];
				if (b->side_last[s])
					a->side_last[s] = b->side_last[s];
			}
			f->nruns--;
		} else {
			sa->fold = f =
			    xrealloc(f, 1, sizeof(*f) + (f->nruns + 1u) * sizeof(f->run[0]));
		}
		run = &f->run[f->nruns++];
		memset(run, 0, sizeof(*run));
		run->first_frame = r->frame;
		run->first_ts = r->ts;
	}
	run->last_frame = r->frame;
	run->last_ts = r->ts;
	if (neg && run->neg_frame == 0) {
		run->neg_frame = r->frame;
		run->neg_ts = r->ts;
	}
	if (run->side_first[r->from_i] == 0)
		run->side_first[r->from_i] = r->frame;
	run->side_last[r->from_i] = r->frame;
	f->nmsgs++;
}

void
ike_sa_fold(struct ike_sa *sa, const struct ike_rec *next)
{
	if (sa->fold == NULL && sa->nmsgs <= IKE_FOLD_AFTER)
		return;
	if (!fold_established(sa))
		return;
	/* The exchanges at the end, walked back: their bounds, latest first. */
	uint16_t bound[FOLD_MAX_UNITS + 1];
	unsigned nb = 0;
	uint16_t end = sa->nmsgs;
	bound[nb++] = end;
	while (nb <= FOLD_MAX_UNITS) {
		const struct ike_rec *succ = end < sa->nmsgs ? &sa->msgs[end] : next;
		unsigned len = fold_unit(sa, end, succ);
		if (len == 0 || end - len < 1 ||
		    /* the next message repeats none of them */
		    (next->retrans_of >= (int)(end - len) && next->retrans_of < (int)end) ||
		    !fold_msgid_alone(sa, (uint16_t)(end - len), end, next))
			break;
		end = (uint16_t)(end - len);
		bound[nb++] = end;
	}
	if (nb < 2)
		return;
	if (sa->version == 1 && fold_open_quick(sa, bound[nb - 1]))
		return;
	/*
	 * Forward: each message must come less than IKE_FOLD_GAP_USEC after the
	 * one before it on the SA, later in time; an exchange that does not
	 * stays, with those before it.
	 */
	const struct ike_fold_run *lr = sa->fold ? fold_last_run(sa->fold) : NULL;
	uint16_t start = bound[nb - 1];
	const struct ike_rec *before = &sa->msgs[start - 1];
	uint64_t prev_ts = before->ts;
	if (lr && lr->last_frame > before->frame)
		prev_ts = lr->last_ts;
	uint64_t floor_ts = lr ? lr->last_ts : 0;
	for (unsigned u = nb - 1; u > 0; u--) {
		uint16_t a = bound[u], b = bound[u - 1];
		bool ok = true;
		uint64_t p = prev_ts;
		for (uint16_t k = a; k < b && ok; k++) {
			uint64_t t = sa->msgs[k].ts;
			ok = t > p && t > floor_ts && t - p < IKE_FOLD_GAP_USEC;
			p = t;
		}
		if (!ok)
			start = b;
		prev_ts = sa->msgs[b - 1].ts;
	}
	if (start >= sa->nmsgs)
		return;
	if (sa->fold == NULL)
		sa->fold = xcalloc(1, sizeof(*sa->fold));
	for (unsigned u = nb - 1; u > 0; u--) {
		uint16_t a = bound[u], b = bound[u - 1];
		if (a < start)
			continue;
		struct ike_fold *f = sa->fold; /* fold_add may move it */
		const struct ike_rec *q = &sa->msgs[a];
		if (sa->version == 2 && q->exchange == IKEV2_X_INFORMATIONAL)
			f->v2_info++;
		else if (sa->version == 2) {
			f->v2_child++;
			f->child_last_frame = sa->msgs[b - 1].frame;
		} else if (q->exchange == IKEV1_X_QUICK) {
			f->v1_quick++;
			f->child_last_frame = sa->msgs[a + 1].frame;
		} else
			f->v1_dpd++;
		for (uint16_t k = a; k < b; k++)
			fold_add(sa, &sa->msgs[k],
				 k == a && (q->exchange == IKEV2_X_CREATE_CHILD_SA ||
					    q->exchange == IKEV1_X_QUICK));
	}
	sa->nmsgs = start;
	/* Room for the next exchange (a quick mode has three messages); the rest goes back. */
	uint16_t room = sa->version == 1 ? 3 : 2;
	if (sa->amsgs > sa->nmsgs + room) {
		sa->amsgs = (uint16_t)(sa->nmsgs + room);
		struct ike_rec *small = xcalloc(sa->amsgs, sizeof(*small));
		memcpy(small, sa->msgs, sa->nmsgs * sizeof(*small));
		free(sa->msgs);
		sa->msgs = small;
		fold_trim();
	}
}

uint32_t
ike_fold_exchanges(const struct ike_sa *sa)
{
	const struct ike_fold *f = sa->fold;
	return f ? f->v2_info + f->v2_child + f->v1_quick + f->v1_dpd : 0;
}

uint64_t
ike_fold_first_frame(const struct ike_sa *sa)
{
	return sa->fold && sa->fold->nruns ? sa->fold->run[0].first_frame : 0;
}

uint64_t
ike_fold_last_frame(const struct ike_sa *sa)
{
	return sa->fold && sa->fold->nruns ? sa->fold->run[sa->fold->nruns - 1].last_frame : 0;
}

uint64_t
ike_fold_side_last(const struct ike_sa *sa, bool from_i)
{
	const struct ike_fold *f = sa->fold;
	for (int i = f ? f->nruns - 1 : -1; i >= 0; i--)
		if (f->run[i].side_last[from_i])
			return f->run[i].side_last[from_i];
	return 0;
}
