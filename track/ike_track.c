/*
 * Recording the messages of an IKE SA as the rules need them: header facts,
 * payload and notify types, the SK size for inference without keys, and
 * retransmissions (the same SPIs, message ID and sender, the same bytes again).
 * Also the initiator's first offer, the responder's choice, and the
 * capabilities each side announced in clear.
 */
#include <stdlib.h>
#include <string.h>

#include "dissect/ikev2_names.h"
#include "track/ike_state.h"
#include "track/track.h"

#define IKEV1_XF_KEY_IKE   1
#define IKEV1_PROTO_ISAKMP 1

/*
 * A digest of the message as captured: equal bytes, equal digest.  Four
 * independent lanes of eight bytes (each word multiplied in and folded), so
 * that the multiplications overlap instead of waiting on one another; the
 * tail byte by byte.  IKE messages are digested on every IKE packet and run
 * to kilobytes.
 */
static uint64_t
ike_digest(const struct span *raw)
{
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	uint64_t h[4] = {0xcbf29ce484222325ULL ^ raw->len, 0x84222325cbf29ce4ULL,
			 0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL};
	size_t i = 0;
	for (; i + 32 <= raw->len; i += 32) {
		for (int l = 0; l < 4; l++) {
			uint64_t w;
			memcpy(&w, raw->p + i + 8 * l, 8);
			h[l] = (h[l] ^ w) * k;
			h[l] ^= h[l] >> 32;
		}
	}
	uint64_t d = h[0] ^ (h[1] * 3) ^ (h[2] * 5) ^ (h[3] * 7);
	for (; i < raw->len; i++)
		d = (d ^ raw->p[i]) * 0x100000001b3ULL;
	return d;
}

/* The next offer slot, cleared and tied to its proposal; NULL (and *cut) when full. */
static struct ike_offer *
ike_offer_slot(struct ike_offer *out, uint8_t *n, uint8_t max, bool *cut,
	       const struct ike_proposal *pr)
{
	if (*n >= max) {
		*cut = true;
		return NULL;
	}
	struct ike_offer *o = &out[(*n)++];
	memset(o, 0, sizeof(*o));
	o->proto = pr->proto;
	o->num = pr->num;
	return o;
}

/* The offers of one SA payload in compact form (IKEv2 transforms; IKEv1 suites). */
static uint8_t
ike_offers_of(const struct ike_msg *m, const struct ike_payload *p, struct ike_offer *out,
	      uint8_t max, bool *cut)
{
	uint8_t n = 0;
	for (uint16_t i = 0; i < p->u.sa.nprops && p->u.sa.first_prop + i < m->nprops; i++) {
		const struct ike_proposal *pr = &m->props[p->u.sa.first_prop + i];
		if (m->version == 2) {
			struct ike_offer *o = ike_offer_slot(out, &n, max, cut, pr);
			if (o == NULL)
				return n;
			/* The first transform of each type stands for the proposal's choice. */
			for (uint16_t k = 0; k < pr->count && pr->first + k < m->nxf; k++) {
				const struct ike_transform *x = &m->xf[pr->first + k];
				if (x->type == IKEV2_XF_ENCR && !o->encr) {
					o->encr = x->id;
					o->keylen = x->keylen;
				} else if (x->type == IKEV2_XF_PRF && !o->prf) {
					o->prf = x->id;
				} else if (x->type == IKEV2_XF_INTEG && !o->integ) {
					o->integ = x->id;
				} else if (x->type == IKEV2_XF_DH && !o->dh) {
					o->dh = x->id;
				} else if (x->type == IKEV2_XF_ESN && !o->esn) {
					o->esn = x->id;
				}
			}
			continue;
		}
		/* IKEv1: every transform is a whole suite. */
		for (uint16_t k = 0; k < pr->count && pr->first + k < m->nxf; k++) {
			const struct ike_transform *x = &m->xf[pr->first + k];
			struct ike_offer *o = ike_offer_slot(out, &n, max, cut, pr);
			if (o == NULL)
				return n;
			o->keylen = x->keylen;
			o->dh = x->v1_group;
			if (pr->proto == IKEV1_PROTO_ISAKMP) {
				o->encr = x->v1_encr;
				o->v1_hash = x->v1_hash;
				o->v1_auth = x->v1_auth;
			} else {
				o->encr = x->id;
				o->integ = x->v1_auth_alg;
			}
		}
	}
	return n;
}

static bool
ike_has_notify(const struct ike_msg *m, uint16_t type)
{
	for (unsigned i = 0; i < m->nnotify; i++)
		if (m->notify[i] == type)
			return true;
	return false;
}

/* Offers, choice and capabilities, from the messages that carry them in clear. */
static void
ike_sa_learn(struct ike_sa *sa, const struct ike_msg *m, bool from_i, uint64_t frame)
{
	bool first_phase =
	    (m->version == 2 && m->exchange == IKEV2_X_IKE_SA_INIT) ||
	    (m->version == 1 &&
	     (m->exchange == IKEV1_X_MAIN || m->exchange == IKEV1_X_AGGRESSIVE) && !m->encrypted);
	for (unsigned i = 0; i < m->npayloads; i++) {
		const struct ike_payload *p = &m->pl[i];
		if (p->malformed)
			continue;
		if ((m->version == 2 && p->type == IKEV2_P_CERTREQ) ||
		    (m->version == 1 && p->type == IKEV1_P_CR))
			sa->certreq = true;
		if (m->version == 1 && p->type == IKEV1_P_VID && p->u.vid.name &&
		    strstr(p->u.vid.name, "Fragmentation")) {
			if (from_i)
				sa->frag_i = true;
			else
				sa->frag_r = true;
		}
		bool is_sa = (m->version == 2 && p->type == IKEV2_P_SA) ||
			     (m->version == 1 && p->type == IKEV1_P_SA);
		if (!is_sa || !first_phase)
			continue;
		if (from_i && sa->noffers == 0) {
			/* Kept at their own size: most SAs offer one or two proposals. */
			struct ike_offer all[IKE_SA_MAX_OFFERS];
			uint8_t n = ike_offers_of(m, p, all, IKE_SA_MAX_OFFERS, &sa->offers_cut);
			if (n) {
				free(sa->offers);
				sa->offers = xcalloc(n, sizeof(*sa->offers));
				memcpy(sa->offers, all, n * sizeof(*sa->offers));
			}
			sa->noffers = n;
			sa->offer_frame = frame;
		} else if (!from_i && !sa->have_chosen) {
			struct ike_offer one[1];
			bool cut = false;
			if (ike_offers_of(m, p, one, 1, &cut) == 1) {
				sa->chosen = one[0];
				sa->have_chosen = true;
				sa->chosen_frame = frame;
			}
		}
	}
	if (m->version == 2 && m->exchange == IKEV2_X_IKE_SA_INIT &&
	    ike_has_notify(m, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED)) {
		if (from_i)
			sa->frag_i = true;
		else
			sa->frag_r = true;
	}
}

void
ike_sa_record(struct ike_sa *sa, const struct ike_msg *m, bool from_i, uint64_t frame, uint64_t ts,
	      uint16_t sport, uint16_t dport, bool ip_fragmented)
{
	if (from_i)
		sa->seen_i = true;
	else
		sa->seen_r = true;
	ike_sa_learn(sa, m, from_i, frame);
	if (sa->nmsgs >= IKE_SA_MAX_MSGS && sa->fold == NULL) {
		sa->msgs_dropped++;
		return;
	}
	struct ike_rec rec, *r = &rec;
	memset(r, 0, sizeof(*r));
	r->frame = frame;
	r->ts = ts;
	r->msgid = m->msgid;
	r->len = m->length;
	r->sport = sport;
	r->dport = dport;
	r->exchange = m->exchange;
	r->flags = m->flags;
	r->from_i = from_i;
	r->response = ike_is_response(m);
	r->encrypted = m->encrypted;
	r->ip_fragmented = ip_fragmented;
	r->skf_n = m->frag_n;
	r->skf_total = m->frag_total;
	for (unsigned i = 0; i < m->npayloads && r->npl < IKE_REC_MAX_PL; i++) {
		const struct ike_payload *p = &m->pl[i];
		r->pl[r->npl++] = p->type;
		if (m->version == 2 && (p->type == IKEV2_P_SK || p->type == IKEV2_P_SKF))
			r->sk_len = p->len;
		if (m->version == 2 && p->type == IKEV2_P_KE && !p->malformed)
			r->ke_group = p->u.ke.group;
		if (m->version == 2 && p->type == IKEV2_P_AUTH && !p->malformed)
			r->auth_method = p->u.auth.method;
	}
	r->npl_clear = (uint8_t)(m->nclear < r->npl ? m->nclear : r->npl);
	for (unsigned i = 0; i < m->nnotify && r->nn < IKE_REC_MAX_N; i++) {
		r->notify[r->nn++] = m->notify[i];
		if (m->notify[i] == IKEV2_N_INVALID_KE_PAYLOAD && m->version == 2)
			r->want_group = m->notifies[i].dh_group;
	}
	r->digest = ike_digest(&m->raw);
	r->retrans_of = -1;
	r->decrypted = m->decrypted;
	r->decrypt_failed = m->decrypt_failed;
	/* A retransmission: same sender, message ID, exchange and flags, the same bytes. */
	for (int k = sa->nmsgs - 1; k >= 0; k--) {
		const struct ike_rec *o = &sa->msgs[k];
		if (o->from_i == r->from_i && o->msgid == r->msgid && o->exchange == r->exchange &&
		    o->response == r->response && o->digest == r->digest && o->len == r->len) {
			r->retrans_of = (int16_t)(o->retrans_of >= 0 ? o->retrans_of : k);
			break;
		}
	}
	/* Completed routine exchanges at the end of a long log make room (track/ike_fold.c). */
	ike_sa_fold(sa, r);
	if (sa->nmsgs >= IKE_SA_MAX_MSGS) {
		sa->msgs_dropped++;
		return;
	}
	if (sa->nmsgs == sa->amsgs) {
		/* Grown by half (not doubled): long-lived SAs keep logs of dozens of
		 * messages, and the slack of a doubled array is resident memory.
		 * Up to just what folding begins at, first: most logs stop there. */
		uint16_t n = sa->amsgs ? (uint16_t)(sa->amsgs + sa->amsgs / 2) : 4;
		if (sa->amsgs <= IKE_FOLD_AFTER && n > IKE_FOLD_AFTER + 1)
			n = IKE_FOLD_AFTER + 1;
		sa->amsgs = n > IKE_SA_MAX_MSGS ? IKE_SA_MAX_MSGS : n;
		sa->msgs = xrealloc(sa->msgs, sa->amsgs, sizeof(*sa->msgs));
	}
	struct ike_state_msg sm = {
	    .version = m->version,
	    .exchange = m->exchange,
	    .from_i = from_i,
	    .response = r->response,
	    .retransmission = r->retrans_of >= 0,
	    .has_sa = m->npayloads > 0 && m->payloads[0] == IKEV2_P_SA,
	    .restart =
		ike_has_notify(m, IKEV2_N_COOKIE) || ike_has_notify(m, IKEV2_N_INVALID_KE_PAYLOAD),
	    .continuation = m->frag_n > 1,
	};
	bool legal;
	sa->phase = (uint8_t)ike_state_next((enum ike_state)sa->phase, &sm, &legal);
	if (!legal) {
		r->unexpected = true;
		sa->anomalies++;
	}
	sa->msgs[sa->nmsgs++] = rec;
}
