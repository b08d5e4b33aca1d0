/*
 * IKEv1 rules (RFC 2408 §3.14, RFC 2409 §5, RFC 3706): phase-1 proposals
 * refused, authentication and identity failures in main and aggressive mode,
 * quick mode refused, unanswered dead peer detection; and the state and
 * authentication method of every IKEv1 SA for the reports.
 *
 * IKEv1 has no request/response flag.  Main mode (exchange 2) is MM1..MM6, all
 * under message ID 0, alternating initiator/responder; aggressive mode (4) is
 * AM1..AM3; quick mode (32) is QM1..QM3 under a message ID of its own;
 * informational (5) is one-way.  The keys exist from MM3/MM4 (AM1/AM2) on and
 * everything after MM4/AM2 is encrypted (E flag): only the informationals sent
 * before that carry a notify we can read without keys.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/pairs.h"
#include "diagnose/rules.h"
#include "dissect/ikev1_names.h"

/* Notify message types (RFC 2408 §3.14.1). */
enum v1_notify {
	V1N_INVALID_PAYLOAD_TYPE = 1,
	V1N_INVALID_TRANSFORM_ID = 12,
	V1N_ATTRIBUTES_NOT_SUPPORTED = 13,
	V1N_NO_PROPOSAL_CHOSEN = 14,
	V1N_PAYLOAD_MALFORMED = 16,
	V1N_INVALID_ID_INFORMATION = 18,
	V1N_INVALID_CERT_ENCODING = 19,
	V1N_INVALID_CERTIFICATE = 20,
	V1N_CERT_TYPE_UNSUPPORTED = 21,
	V1N_INVALID_CERT_AUTHORITY = 22,
	V1N_INVALID_HASH_INFORMATION = 23,
	V1N_AUTHENTICATION_FAILED = 24,
	V1N_INVALID_SIGNATURE = 25,
	V1N_CERTIFICATE_UNAVAILABLE = 28,
};

#define V1_MAX_QM 16 /* quick modes followed per SA; later ones are ignored */

/*
 * Dead peer detection: at least this many encrypted Informationals from one
 * side, each at least this far from the previous one, with nothing back.
 * ikev2-dpd-peer-dead (the only DPD sample; strongSwan, IKEv2) shows 5 checks
 * 1.0-2.7 s apart before the sender gives up: 3 is the first count that is a
 * series rather than a retry, and the spacing keeps out the Deletes of a
 * teardown, which leave back to back within milliseconds (ikev2-rekey-delete:
 * request and response 0.3-0.6 ms apart).
 */
#define V1_DPD_MIN_CHECKS	3
#define V1_DPD_MIN_SPACING_USEC 500000ULL

/* One quick mode, by message ID. */
struct v1_qm {
	uint32_t msgid;
	bool by_i;	    /* QM1 came from the phase-1 initiator */
	int qm1, qm2, qm3;  /* message indices, -1 when not seen */
	unsigned qm1_sends; /* QM1 and its resends before any QM2 */
	int refusal;	    /* the other side's encrypted Informational after QM1 */
	bool peer_after;    /* the other side sent anything after QM1 */
	bool peer_before;   /* the other side sent anything before QM1 */
};

/* What the message log of one IKEv1 SA shows, by role in the exchanges. */
struct v1_view {
	bool main, aggr;
	int mm[7];	    /* MM1..MM6: first send of each (index 0 unused) */
	unsigned mm5_sends; /* MM5 and its resends before MM6 */
	int mm5_again;	    /* MM5 sent again after MM6 came back */
	int r_info_mm5[8];  /* responder's encrypted Informationals after MM5, before MM6 */
	unsigned nr_info_mm5;
	bool r_after_mm5;   /* the responder sent anything after MM5 */
	int am[4];	    /* AM1..AM3 */
	unsigned am2_sends; /* AM2 and its resends before AM3 */
	int am2_resend;	    /* the first resend of AM2 */
	int i_info_am2;	    /* initiator's Informational after AM2, before AM3 */
	/* cleartext notifies (first of each kind) */
	int n_npc, n_id, n_aggr_refused, n_auth_keys, n_auth_early, n_cert;
	struct v1_qm qm[V1_MAX_QM];
	unsigned nqm;
};

static const char *
v1_notify_name(uint16_t type, char *buf, size_t len)
{
	const char *n = ike_notify_name(1, type);
	if (n != NULL)
		return n;
	snprintf(buf, len, "notify %u", type);
	return buf;
}

/* The IKEv1 suite in words: AES-CBC-256/SHA2-256/Pre-shared key/MODP_2048. */
static void
v1_suite_str(const struct ike_offer *o, char *buf, size_t len)
{
	const char *e = ikev1_encr_name(o->encr);
	const char *h = ikev1_hash_name(o->v1_hash);
	const char *a = ikev1_auth_method_name(o->v1_auth);
	const char *g = ikev1_group_name(o->dh);
	char eb[32], hb[16], ab[16], gb[16];
	if (e == NULL) {
		snprintf(eb, sizeof(eb), "encr %u", o->encr);
		e = eb;
	}
	if (h == NULL) {
		snprintf(hb, sizeof(hb), "hash %u", o->v1_hash);
		h = hb;
	}
	if (a == NULL) {
		snprintf(ab, sizeof(ab), "auth %u", o->v1_auth);
		a = ab;
	}
	if (g == NULL) {
		snprintf(gb, sizeof(gb), "group %u", o->dh);
		g = gb;
	}
	if (o->keylen)
		snprintf(buf, len, "%s-%u/%s/%s/%s", e, o->keylen, h, a, g);
	else
		snprintf(buf, len, "%s/%s/%s/%s", e, h, a, g);
}

/* What the initiator offered in phase 1, for no-proposal-chosen. */
static void
v1_offers_str(const struct ike_sa *sa, char *buf, size_t len)
{
	size_t off = 0;
	unsigned shown = 0, n = 0;
	buf[0] = '\0';
	for (uint8_t k = 0; k < sa->noffers; k++) {
		if (sa->offers[k].proto != IKEV1_PROTO_ISAKMP)
			continue;
		n++;
		if (shown >= 4)
			continue;
		char one[96];
		v1_suite_str(&sa->offers[k], one, sizeof(one));
		int w = snprintf(buf + off, len - off, "%s%s", shown ? ", " : "", one);
		if (w < 0 || (size_t)w >= len - off)
			return;
		off += (size_t)w;
		shown++;
	}
	if (n == 0) {
		snprintf(buf, len, "(the offer was not captured)");
		return;
	}
	if (sa->offers_cut)
		snprintf(buf + off, len - off, " and more");
	else if (n > shown)
		snprintf(buf + off, len - off, " and %u more", n - shown);
}

/* The phase-1 authentication method: the chosen suite's, else the first offered. */
static uint16_t
v1_auth_method(const struct ike_sa *sa)
{
	if (sa->have_chosen && sa->chosen.proto == IKEV1_PROTO_ISAKMP && sa->chosen.v1_auth)
		return sa->chosen.v1_auth;
	for (uint8_t k = 0; k < sa->noffers; k++)
		if (sa->offers[k].proto == IKEV1_PROTO_ISAKMP && sa->offers[k].v1_auth)
			return sa->offers[k].v1_auth;
	return 0;
}

static uint8_t
v1_auth_class(uint16_t m)
{
	switch (m) {
	case 0:
		return AUTH_UNKNOWN;
	case IKEV1_AUTH_PSK:
		return AUTH_PSK;
	case IKEV1_AUTH_RSA_SIG:
	case IKEV1_AUTH_RSA_ENC:
	case IKEV1_AUTH_RSA_ENC_REV:
		return AUTH_RSA;
	/* 8 is the older ECDSA value some stacks use; 9-11 are RFC 4754's curves. */
	case IKEV1_AUTH_ECDSA_SIG:
	case IKEV1_AUTH_ECDSA_SHA256_P256:
	case IKEV1_AUTH_ECDSA_SHA384_P384:
	case IKEV1_AUTH_ECDSA_SHA512_P521:
		return AUTH_ECDSA;
	case IKEV1_AUTH_XAUTH_INIT_PSK:
	case IKEV1_AUTH_XAUTH_RESP_PSK:
		return AUTH_XAUTH_PSK;
	default:
		return AUTH_OTHER;
	}
}

static void
v1_main(struct v1_view *v, const struct ike_rec *r, int k)
{
	if (r->msgid != 0)
		return;
	v->main = true;
	if (r->from_i && !r->encrypted) {
		if (v->mm[1] < 0)
			v->mm[1] = k;
		else if (v->mm[2] >= 0 && v->mm[3] < 0 && r->retrans_of < 0)
			v->mm[3] = k;
	} else if (!r->from_i && !r->encrypted) {
		if (v->mm[2] < 0)
			v->mm[2] = k;
		else if (v->mm[3] >= 0 && v->mm[4] < 0 && r->retrans_of < 0)
			v->mm[4] = k;
	} else if (r->from_i) {
		/* Every encrypted main-mode message of the initiator is MM5 (or its resend). */
		if (v->mm[5] < 0) {
			v->mm[5] = k;
			v->mm5_sends = 1;
		} else if (v->mm[6] < 0) {
			v->mm5_sends++;
		} else if (v->mm5_again < 0) {
			v->mm5_again = k;
		}
	} else if (v->mm[6] < 0 && v->mm[5] >= 0) {
		v->mm[6] = k;
	}
}

static void
v1_aggressive(struct v1_view *v, const struct ike_rec *r, int k)
{
	if (r->msgid != 0)
		return;
	v->aggr = true;
	if (r->from_i) {
		if (v->am[1] < 0)
			v->am[1] = k;
		else if (v->am[2] >= 0 && v->am[3] < 0 && r->retrans_of < 0)
			v->am[3] = k;
	} else if (v->am[2] < 0) {
		v->am[2] = k;
		v->am2_sends = 1;
	} else if (v->am[3] < 0) {
		v->am2_sends++;
		if (v->am2_resend < 0)
			v->am2_resend = k;
	}
}

static void
v1_quick(struct v1_view *v, const struct ike_rec *r, int k)
{
	struct v1_qm *q = NULL;
	for (unsigned i = 0; i < v->nqm; i++)
		if (v->qm[i].msgid == r->msgid)
			q = &v->qm[i];
	if (q == NULL) {
		if (v->nqm >= V1_MAX_QM)
			return;
		q = &v->qm[v->nqm++];
		memset(q, 0, sizeof(*q));
		q->msgid = r->msgid;
		q->by_i = r->from_i;
		q->qm1 = k;
		q->qm2 = q->qm3 = q->refusal = -1;
		q->qm1_sends = 1;
		return;
	}
	if (r->from_i == q->by_i) {
		if (q->qm2 < 0)
			q->qm1_sends++;
		else if (q->qm3 < 0)
			q->qm3 = k;
	} else if (q->qm2 < 0) {
		q->qm2 = k;
	}
}

/* A cleartext Informational: what its notifies say, given where it falls. */
static void
v1_clear_info(struct v1_view *v, const struct ike_rec *r, int k)
{
	/* The keys exist once MM5 or AM2 went out: from there on a hash or auth error is about
	 * them. */
	bool keys = (v->main && v->mm[5] >= 0) || (v->aggr && v->am[2] >= 0);
	bool p1_answered = v->mm[2] >= 0 || v->am[2] >= 0;
	for (uint8_t j = 0; j < r->nn; j++) {
		uint16_t n = r->notify[j];
		switch (n) {
		case V1N_INVALID_TRANSFORM_ID:
		case V1N_ATTRIBUTES_NOT_SUPPORTED:
		case V1N_NO_PROPOSAL_CHOSEN:
			/* Only the responder's refusal of MM1/AM1 is about the IKE SA proposals. */
			if (!r->from_i && !p1_answered && v->n_npc < 0)
				v->n_npc = k;
			break;
		case V1N_INVALID_ID_INFORMATION:
			if (v->n_id < 0)
				v->n_id = k;
			break;
		case V1N_AUTHENTICATION_FAILED:
			if (v->aggr && !r->from_i && v->am[2] < 0) {
				if (v->n_aggr_refused < 0)
					v->n_aggr_refused = k;
			} else if (keys) {
				if (v->n_auth_keys < 0)
					v->n_auth_keys = k;
			} else if (v->n_auth_early < 0) {
				v->n_auth_early = k;
			}
			break;
		case V1N_INVALID_HASH_INFORMATION:
		case V1N_PAYLOAD_MALFORMED:
		case V1N_INVALID_PAYLOAD_TYPE:
			/* Before the keys these are about the packet, not the key. */
			if (keys && v->n_auth_keys < 0)
				v->n_auth_keys = k;
			break;
		case V1N_INVALID_CERT_ENCODING:
		case V1N_INVALID_CERTIFICATE:
		case V1N_CERT_TYPE_UNSUPPORTED:
		case V1N_INVALID_CERT_AUTHORITY:
		case V1N_INVALID_SIGNATURE:
		case V1N_CERTIFICATE_UNAVAILABLE:
			if (v->n_cert < 0)
				v->n_cert = k;
			break;
		default:
			break;
		}
	}
}

static void
v1_enc_info(struct v1_view *v, const struct ike_rec *r, int k)
{
	if (!r->from_i && v->mm[5] >= 0 && v->mm[6] < 0 &&
	    v->nr_info_mm5 < ARRAY_LEN(v->r_info_mm5))
		v->r_info_mm5[v->nr_info_mm5++] = k;
	if (r->from_i && v->am[2] >= 0 && v->am[3] < 0 && v->i_info_am2 < 0)
		v->i_info_am2 = k;
	/* A refusal answers the latest quick mode the sender is the responder of. */
	for (unsigned i = v->nqm; i-- > 0;) {
		struct v1_qm *q = &v->qm[i];
		if (q->by_i == r->from_i)
			continue;
		if (q->qm2 < 0 && q->refusal < 0)
			q->refusal = k;
		break;
	}
}

static void
v1_scan(const struct ike_sa *sa, struct v1_view *v)
{
	memset(v, 0, sizeof(*v));
	for (unsigned i = 0; i < ARRAY_LEN(v->mm); i++)
		v->mm[i] = -1;
	for (unsigned i = 0; i < ARRAY_LEN(v->am); i++)
		v->am[i] = -1;
	v->mm5_again = v->am2_resend = v->i_info_am2 = -1;
	v->n_npc = v->n_id = v->n_aggr_refused = v->n_auth_keys = v->n_auth_early = v->n_cert = -1;
	for (int k = 0; k < sa->nmsgs; k++) {
		const struct ike_rec *r = &sa->msgs[k];
		for (unsigned i = 0; i < v->nqm; i++) {
			struct v1_qm *q = &v->qm[i];
			if (r->from_i != q->by_i && k > q->qm1)
				q->peer_after = true;
		}
		if (!r->from_i && v->mm[5] >= 0)
			v->r_after_mm5 = true;
		switch (r->exchange) {
		case IKEV1_X_MAIN:
			v1_main(v, r, k);
			break;
		case IKEV1_X_AGGRESSIVE:
			v1_aggressive(v, r, k);
			break;
		case IKEV1_X_QUICK: {
			unsigned before = v->nqm;
			v1_quick(v, r, k);
			/* A new quick mode: was its responder heard from earlier in the SA? */
			if (v->nqm > before) {
				struct v1_qm *q = &v->qm[v->nqm - 1];
				for (int j = 0; j < k; j++)
					if (sa->msgs[j].from_i != q->by_i)
						q->peer_before = true;
			}
			break;
		}
		case IKEV1_X_INFO:
			if (r->encrypted)
				v1_enc_info(v, r, k);
			else
				v1_clear_info(v, r, k);
			break;
		default:
			break;
		}
	}
}

/* Index of the message that completed phase 1 (MM6, AM3), or -1. */
static int
v1_phase1_done(const struct v1_view *v)
{
	if (v->mm[6] >= 0)
		return v->mm[6];
	if (v->am[3] >= 0)
		return v->am[3];
	return -1;
}

static bool
v1_qm_done(const struct ike_sa *sa, const struct v1_view *v)
{
	if (sa->fold && sa->fold->v1_quick)
		return true; /* folded quick modes all completed */
	for (unsigned i = 0; i < v->nqm; i++)
		if (v->qm[i].qm2 >= 0 && v->qm[i].qm3 >= 0)
			return true;
	return false;
}

static struct finding *v1_raise(struct diag_ctx *c, const struct ike_sa *sa, enum finding_code code,
				enum confidence conf, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static struct finding *
v1_raise(struct diag_ctx *c, const struct ike_sa *sa, enum finding_code code, enum confidence conf,
	 const char *fmt, ...)
{
	char msg[DIAG_MESSAGE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	struct finding *f = diag_raise(c->d, code, conf, "%s", msg);
	if (f == NULL)
		return NULL;
	f->ike_version = 1;
	f->initiator = sa->initiator;
	f->responder = sa->responder;
	return f;
}

static void
v1_frame(struct finding *f, const struct ike_sa *sa, int k)
{
	if (f != NULL && k >= 0 && k < sa->nmsgs)
		diag_add_frame(f, sa->msgs[k].frame);
}

static unsigned long long
v1_fr(const struct ike_sa *sa, int k)
{
	return k >= 0 && k < sa->nmsgs ? (unsigned long long)sa->msgs[k].frame : 0ULL;
}

/*
 * no-proposal-chosen: a cleartext Informational from the responder carrying
 * NO-PROPOSAL-CHOSEN (14), ATTRIBUTES-NOT-SUPPORTED (13) or
 * INVALID-TRANSFORM-ID (12) before any MM2/AM2 (RFC 2408 §3.14.1): the
 * responder refused MM1/AM1's SA payload.  Samples ikev1-ike-proposal-mismatch
 * and ikev1-to-ikev2-only: strongSwan answers the same way when it has no IKEv1
 * configuration at all for the peer, so the message names that cause too.
 */
static bool
v1_rule_no_proposal(struct diag_ctx *c, const struct ike_sa *sa, const struct v1_view *v,
		    const char *ib, const char *rb)
{
	if (v->n_npc < 0)
		return false;
	const struct ike_rec *r = &sa->msgs[v->n_npc];
	uint16_t type = V1N_NO_PROPOSAL_CHOSEN;
	for (uint8_t j = 0; j < r->nn; j++)
		if (r->notify[j] >= V1N_INVALID_TRANSFORM_ID &&
		    r->notify[j] <= V1N_NO_PROPOSAL_CHOSEN)
			type = r->notify[j];
	int first = v->aggr && v->am[1] >= 0 ? v->am[1] : v->mm[1];
	char nb[24], offers[300];
	v1_offers_str(sa, offers, sizeof(offers));
	struct finding *f = v1_raise(
	    c, sa, F_NO_PROPOSAL_CHOSEN, CONF_CONFIRMED,
	    "IKEv1 %s mode from %s to %s: the responder refused every phase-1 proposal of "
	    "%s (frame %llu) with a cleartext Informational %s (frame %llu). Offered: %s. A "
	    "responder that speaks only IKEv2, or has no IKEv1 configuration for this peer, "
	    "answers exactly the same way: check the IKE version on both ends too.",
	    v->aggr ? "aggressive" : "main", ib, rb, v->aggr ? "AM1" : "MM1", v1_fr(sa, first),
	    v1_notify_name(type, nb, sizeof(nb)), (unsigned long long)r->frame, offers);
	v1_frame(f, sa, first);
	v1_frame(f, sa, v->n_npc);
	return true;
}

/*
 * id-mismatch: INVALID-ID-INFORMATION (18) in clear proves it (confirmed).
 * In aggressive mode, AUTHENTICATION-FAILED (24) in clear in answer to AM1 —
 * before AM2, so before any hash could be checked (the responder checks the
 * key only with AM3's HASH_I) — means the responder refused the identity AM1
 * carries in clear (likely).  Sample ikev1-aggressive-id-mismatch: strongSwan
 * logs 'no peer config found' and sends N(AUTH_FAILED) 2 ms after AM1.  A
 * strongSwan responder with aggressive-mode PSK disabled answers the same way.
 */
static bool
v1_rule_id(struct diag_ctx *c, const struct ike_sa *sa, const struct v1_view *v, const char *ib,
	   const char *rb)
{
	if (v->n_id >= 0) {
		const struct ike_rec *r = &sa->msgs[v->n_id];
		struct finding *f = v1_raise(
		    c, sa, F_ID_MISMATCH, CONF_CONFIRMED,
		    "IKEv1 between %s (initiator) and %s: %s sent a cleartext Informational "
		    "INVALID-ID-INFORMATION (frame %llu): it refused the identity the other side "
		    "sent, or found no configuration for it.",
		    ib, rb, r->from_i ? ib : rb, (unsigned long long)r->frame);
		v1_frame(f, sa, v->mm[5] >= 0 ? v->mm[5] : v->am[1]);
		v1_frame(f, sa, v->n_id);
		return true;
	}
	if (v->n_aggr_refused < 0)
		return false;
	struct finding *f = v1_raise(
	    c, sa, F_ID_MISMATCH, CONF_LIKELY,
	    "IKEv1 aggressive mode from %s to %s: the responder answered AM1 (frame %llu), which "
	    "carries the initiator's identity in clear, with a cleartext AUTHENTICATION-FAILED "
	    "(frame %llu) before any key could be checked (that needs AM3): it found no peer "
	    "configuration for that identity. Compare AM1's ID (ikescope -vv) with the remote ID "
	    "set on %s. A responder refusing aggressive mode with PSK (strongSwan: 'Aggressive "
	    "Mode PSK disabled') answers the same way.",
	    ib, rb, v1_fr(sa, v->am[1]), v1_fr(sa, v->n_aggr_refused), rb);
	v1_frame(f, sa, v->am[1]);
	v1_frame(f, sa, v->n_aggr_refused);
	return true;
}

/* The notify of a keyed-phase error in a cleartext Informational (see v1_clear_info). */
static uint16_t
v1_key_notify(const struct ike_rec *r)
{
	for (uint8_t j = 0; j < r->nn; j++)
		if (r->notify[j] == V1N_INVALID_HASH_INFORMATION ||
		    r->notify[j] == V1N_AUTHENTICATION_FAILED ||
		    r->notify[j] == V1N_PAYLOAD_MALFORMED ||
		    r->notify[j] == V1N_INVALID_PAYLOAD_TYPE)
			return r->notify[j];
	return 0;
}

/*
 * Authentication after the keys were set.
 * Confirmed: a cleartext INVALID-HASH-INFORMATION (23), PAYLOAD-MALFORMED (16),
 * INVALID-PAYLOAD-TYPE (1) or AUTHENTICATION-FAILED (24) once MM5/AM2 went out.
 * Likely, main mode: MM5 (the initiator's first encrypted message) goes out
 * again or is answered by encrypted Informationals, and no MM6 comes back.  In
 * main mode the key enters SKEYID, so with different pre-shared keys the
 * responder cannot even decrypt MM5 (sample ikev1-main-psk-mismatch: MM5 sent
 * 5 times, each answered by an encrypted N(PAYLOAD_MALFORMED)).  One resend, or
 * one such answer, is enough: MM1-MM4 just went through, so the path works.
 * Not raised when MM5 moved to UDP 4500 (or was IP-fragmented) and nothing at
 * all came back: that is the path (nat-t-blocked, fragments-dropped).  MM6 that
 * came back followed by MM5 again is the initiator refusing MM6.  MM6 followed
 * by silence, or by an encrypted Informational of the initiator, is not
 * raised: initiators send INITIAL-CONTACT that way right after MM6 and may
 * wait for XAUTH or for traffic before quick mode (conformance capture
 * wireshark ikev1-bug-12610: MM6, then an encrypted Informational and XAUTH,
 * quick mode 15 s later).
 * Likely, aggressive mode: AM2 carries HASH_R, and the initiator never sends
 * AM3 but an Informational (sample ikev1-aggressive-psk-mismatch: encrypted
 * N(AUTH_FAILED) 3 ms after AM2, AM2 resent 1 s later); or AM2 is resent with
 * no AM3 and no NAT (no move to UDP 4500 that could be blocked).
 * With pre-shared keys (or unknown auth) this is psk-mismatch, otherwise
 * auth-failed.
 */
static bool
v1_rule_auth(struct diag_ctx *c, const struct ike_sa *sa, const struct v1_view *v, const char *ib,
	     const char *rb)
{
	uint8_t auth = v1_auth_class(v1_auth_method(sa));
	bool psk = auth == AUTH_PSK || auth == AUTH_XAUTH_PSK || auth == AUTH_UNKNOWN;
	enum finding_code code = psk ? F_PSK_MISMATCH : F_AUTH_FAILED;
	const char *why = psk ? "with pre-shared keys this means the keys differ"
			      : "the credentials (certificates, identities) were refused";
	char nb[32];
	bool raised = false;

	if (v->n_auth_keys >= 0) {
		const struct ike_rec *r = &sa->msgs[v->n_auth_keys];
		struct finding *f = v1_raise(
		    c, sa, code, CONF_CONFIRMED,
		    "IKEv1 %s mode between %s (initiator) and %s: after the keys were set (%s, "
		    "frame %llu), %s sent a cleartext Informational %s (frame %llu): %s. Peers "
		    "log 'invalid HASH_V1 payload length, decryption failed?' (strongSwan) or "
		    "'Possible authentication failure' (libreswan).",
		    v->aggr ? "aggressive" : "main", ib, rb, v->aggr ? "AM2" : "MM5",
		    v1_fr(sa, v->aggr ? v->am[2] : v->mm[5]), r->from_i ? ib : rb,
		    v1_notify_name(v1_key_notify(r), nb, sizeof(nb)), (unsigned long long)r->frame,
		    why);
		v1_frame(f, sa, v->aggr ? v->am[2] : v->mm[5]);
		v1_frame(f, sa, v->n_auth_keys);
		raised = true;
	} else if (v->main && v->mm[4] >= 0 && v->mm[5] >= 0 && v->mm[6] < 0 &&
		   (v->mm5_sends >= 2 || v->nr_info_mm5 > 0)) {
		const struct ike_rec *m5 = &sa->msgs[v->mm[5]];
		int m3 = v->mm[3] >= 0 ? v->mm[3] : v->mm[1];
		bool floated =
		    m3 >= 0 && (sa->msgs[m3].sport != m5->sport || sa->msgs[m3].dport != m5->dport);
		if (!v->r_after_mm5 && (floated || m5->ip_fragmented))
			return false;
		char answer[96] = "";
		if (v->nr_info_mm5 > 0)
			snprintf(answer, sizeof(answer),
				 "; the responder answered only with %u encrypted Informational%s "
				 "(frame %llu%s)",
				 v->nr_info_mm5, v->nr_info_mm5 > 1 ? "s" : "",
				 v1_fr(sa, v->r_info_mm5[0]), v->nr_info_mm5 > 1 ? "..." : "");
		struct finding *f = v1_raise(
		    c, sa, code, CONF_LIKELY,
		    "IKEv1 main mode between %s (initiator) and %s: MM1-MM4 completed, but MM5, "
		    "the first encrypted message (frame %llu), was sent %u time%s and no MM6 came "
		    "back%s. The responder could not decrypt or verify MM5: %s (libreswan: "
		    "'Possible authentication failure: no acceptable response to our first "
		    "encrypted message'; strongSwan: 'decryption failed?').",
		    ib, rb, (unsigned long long)m5->frame, v->mm5_sends,
		    v->mm5_sends > 1 ? "s" : "", answer, why);
		for (int k = v->mm[5]; f != NULL && k < sa->nmsgs; k++) {
			const struct ike_rec *r = &sa->msgs[k];
			if ((r->from_i && r->exchange == IKEV1_X_MAIN && r->encrypted) ||
			    (!r->from_i && r->exchange == IKEV1_X_INFO && r->encrypted))
				diag_add_frame(f, r->frame);
		}
		raised = true;
	} else if (v->main && v->mm[6] >= 0 && v->mm5_again >= 0) {
		int after = v->mm5_again;
		struct finding *f = v1_raise(
		    c, sa, code, CONF_LIKELY,
		    "IKEv1 main mode between %s (initiator) and %s: MM6 came back (frame %llu) but "
		    "the initiator sent MM5 again (frame %llu): it did not accept "
		    "MM6, so authentication failed: %s (or the responder's identity was refused, "
		    "or MM6 was lost between the capture point and the initiator).",
		    ib, rb, v1_fr(sa, v->mm[6]), v1_fr(sa, after), why);
		v1_frame(f, sa, v->mm[5]);
		v1_frame(f, sa, v->mm[6]);
		v1_frame(f, sa, after);
		raised = true;
	} else if (v->aggr && v->am[2] >= 0 && v->am[3] < 0 &&
		   (v->i_info_am2 >= 0 || (v->am2_sends >= 2 && !sa->initiator_behind_nat &&
					   !sa->responder_behind_nat))) {
		char what[160];
		if (v->i_info_am2 >= 0)
			snprintf(what, sizeof(what),
				 "answered it with %s Informational (frame %llu)%s",
				 sa->msgs[v->i_info_am2].encrypted ? "an encrypted" : "an",
				 v1_fr(sa, v->i_info_am2),
				 v->am2_resend >= 0 ? " while the responder resent AM2" : "");
		else
			snprintf(what, sizeof(what),
				 "stayed silent while the responder resent AM2 "
				 "(frame %llu)",
				 v1_fr(sa, v->am2_resend));
		struct finding *f = v1_raise(
		    c, sa, code, CONF_LIKELY,
		    "IKEv1 aggressive mode between %s (initiator) and %s: AM2 (frame %llu) carries "
		    "the responder's HASH_R in clear, but the initiator never sent AM3 and %s: its "
		    "check of HASH_R failed; %s (strongSwan: 'calculated HASH does not match HASH "
		    "payload'). --psk checks a candidate key against AM2 offline.",
		    ib, rb, v1_fr(sa, v->am[2]), what, why);
		v1_frame(f, sa, v->am[1]);
		v1_frame(f, sa, v->am[2]);
		v1_frame(f, sa, v->i_info_am2);
		v1_frame(f, sa, v->am2_resend);
		raised = true;
	}

	/* Other authentication errors in clear: certificates, signatures, early refusals. */
	int other = v->n_cert >= 0 ? v->n_cert : v->n_auth_early;
	if (other >= 0 && !(raised && code == F_AUTH_FAILED)) {
		const struct ike_rec *r = &sa->msgs[other];
		uint16_t type = 0;
		for (uint8_t j = 0; j < r->nn && type == 0; j++)
			if (r->notify[j] >= V1N_INVALID_CERT_ENCODING &&
			    r->notify[j] <= V1N_CERTIFICATE_UNAVAILABLE)
				type = r->notify[j];
		struct finding *f =
		    v1_raise(c, sa, F_AUTH_FAILED, CONF_CONFIRMED,
			     "IKEv1 %s mode between %s (initiator) and %s: %s sent a cleartext "
			     "Informational %s (frame %llu): authentication failed. Compare the "
			     "authentication method, certificates and identities on both ends.",
			     v->aggr ? "aggressive" : "main", ib, rb, r->from_i ? ib : rb,
			     v1_notify_name(type, nb, sizeof(nb)), (unsigned long long)r->frame);
		v1_frame(f, sa, other);
		raised = true;
	}
	return raised;
}

/*
 * child-no-proposal: phase 1 is up, but a quick mode gets no QM2: its QM1 is
 * answered by an encrypted Informational from the other side (samples
 * ikev1-quick-mode-proposal-mismatch, ikev1-ts-mismatch, strongSwan; and
 * interop-ikev1-pfs-mismatch, libreswan: the refusal follows QM1 within
 * 0.4-1.1 ms), or QM1 is resent while the other side, heard from before,
 * stays silent (libreswan: 'perhaps peer likes no proposal').  Without keys
 * the notify inside is unreadable, so a proposal refusal (14) and a proxy-ID
 * refusal (18) look the same: the project raises child-no-proposal, likely,
 * and says so.  Not raised when a later quick mode completes.
 */
static bool
v1_rule_quick(struct diag_ctx *c, const struct ike_sa *sa, const struct v1_view *v, const char *ib,
	      const char *rb)
{
	/* Folded exchanges (track/ike_fold.c) hold messages from both sides. */
	uint64_t ff = ike_fold_first_frame(sa), fl = ike_fold_last_frame(sa);
	const struct v1_qm *bad = NULL;
	for (unsigned i = 0; i < v->nqm && bad == NULL; i++) {
		const struct v1_qm *q = &v->qm[i];
		if (q->qm2 >= 0)
			continue;
		uint64_t f1 = sa->msgs[q->qm1].frame;
		bool after = q->peer_after || fl > f1;
		bool before = q->peer_before || (ff && ff < f1);
		if (q->refusal >= 0 || (q->qm1_sends >= 2 && !after && before))
			bad = q;
	}
	if (bad == NULL)
		return false;
	for (unsigned i = 0; i < v->nqm; i++)
		if (v->qm[i].qm1 > bad->qm1 && v->qm[i].qm2 >= 0)
			return false;
	/* A folded quick mode completed after it. */
	if (sa->fold && sa->fold->v1_quick && sa->fold->child_last_frame > sa->msgs[bad->qm1].frame)
		return false;
	int p1 = v1_phase1_done(v);
	char answer[128], p1s[64];
	if (bad->refusal >= 0)
		snprintf(answer, sizeof(answer),
			 "was answered only by an encrypted Informational "
			 "(frame %llu)",
			 v1_fr(sa, bad->refusal));
	else
		snprintf(answer, sizeof(answer), "was sent %u times without any answer",
			 bad->qm1_sends);
	if (p1 >= 0)
		snprintf(p1s, sizeof(p1s), "phase 1 completed (frame %llu)", v1_fr(sa, p1));
	else
		snprintf(p1s, sizeof(p1s), "phase 1 was up");
	struct finding *f = v1_raise(
	    c, sa, F_CHILD_NO_PROPOSAL, CONF_LIKELY,
	    "IKEv1 between %s and %s: %s, but quick mode QM1 from %s (frame %llu) %s and no "
	    "QM2 followed: the peer refused the phase-2 SA. Without keys its notify is "
	    "unreadable: a phase-2 proposal mismatch (ESP transforms, PFS group) and a proxy-ID "
	    "/ traffic-selector mismatch (INVALID-ID-INFORMATION) look the same on the wire; "
	    "--keys tells them apart.",
	    ib, rb, p1s, bad->by_i ? ib : rb, v1_fr(sa, bad->qm1), answer);
	v1_frame(f, sa, p1);
	for (int k = bad->qm1; f != NULL && k < sa->nmsgs; k++) {
		const struct ike_rec *r = &sa->msgs[k];
		if ((r->exchange == IKEV1_X_QUICK && r->msgid == bad->msgid) || k == bad->refusal)
			diag_add_frame(f, r->frame);
	}
	return true;
}

/*
 * dpd-timeout: IKEv1 DPD (RFC 3706) travels in encrypted Informationals, so
 * only the pattern shows: after phase 1, the last messages of one side are a
 * series of same-size encrypted Informationals (an R-U-THERE has a fixed
 * size: HASH + N with the cookies and a sequence number), each well apart from
 * the previous, and the other side, heard from before, sends nothing after
 * the first of them: no IKE message, no ESP.  Thresholds above
 * (V1_DPD_MIN_CHECKS, V1_DPD_MIN_SPACING_USEC).
 */
static void
v1_rule_dpd(struct diag_ctx *c, const struct ike_sa *sa, const struct v1_view *v, const char *ib,
	    const char *rb)
{
	int p1 = v1_phase1_done(v);
	if (p1 < 0 && !v1_qm_done(sa, v))
		return;
	/* Beyond IKE_SA_MAX_MSGS the log no longer holds the end of the SA. */
	if (sa->nmsgs == 0 || sa->msgs_dropped > 0 || !sa->seen_i || !sa->seen_r)
		return;
	bool side = sa->msgs[sa->nmsgs - 1].from_i;
	/* The trailing run, walked backwards: same sender, same size, well apart. */
	unsigned n = 0;
	uint32_t len = sa->msgs[sa->nmsgs - 1].len;
	int first = -1;
	uint64_t fl = ike_fold_last_frame(sa);
	for (int k = sa->nmsgs - 1; k > p1; k--) {
		const struct ike_rec *r = &sa->msgs[k];
		if (r->from_i != side || r->exchange != IKEV1_X_INFO || !r->encrypted ||
		    r->len != len)
			break;
		/* A folded exchange (both sides) after it ends the run. */
		if (fl > r->frame)
			break;
		if (first >= 0 && r->ts + V1_DPD_MIN_SPACING_USEC > sa->msgs[first].ts)
			break;
		first = k;
		n++;
	}
	/* The other side must have spoken before the run (so the capture sees both ways);
	 * everything folded came before the run. */
	uint64_t last_other = 0;
	for (int k = 0; k < first; k++)
		if (sa->msgs[k].from_i != side)
			last_other = sa->msgs[k].frame;
	if (ike_fold_side_last(sa, !side) > last_other)
		last_other = ike_fold_side_last(sa, !side);
	if (first < 0 || last_other == 0)
		return;
	if (n < V1_DPD_MIN_CHECKS)
		return;
	const struct ip_addr *me = side ? &sa->initiator : &sa->responder;
	const struct ip_addr *peer = side ? &sa->responder : &sa->initiator;
	if (pair_esp_since(c->pairs, peer, me, sa->msgs[first].ts))
		return;
	struct finding *f = v1_raise(
	    c, sa, F_DPD_TIMEOUT, CONF_LIKELY,
	    "IKEv1 between %s (initiator) and %s: after phase 1, %s sent %u encrypted "
	    "Informationals of %u bytes (frames %llu to %llu, over %.1f s) and %s sent nothing "
	    "back, neither IKE nor ESP: dead peer detection (R-U-THERE, RFC 3706) going "
	    "unanswered. Without keys the notify type cannot be read.",
	    ib, rb, side ? ib : rb, n, len, v1_fr(sa, first), v1_fr(sa, sa->nmsgs - 1),
	    (double)(sa->msgs[sa->nmsgs - 1].ts - sa->msgs[first].ts) / 1e6, side ? rb : ib);
	if (f != NULL)
		diag_add_frame(f, last_other);
	for (int k = first; f != NULL && k < sa->nmsgs; k++)
		diag_add_frame(f, sa->msgs[k].frame);
}

void
diag_rule_ikev1(struct diag_ctx *c)
{
	struct ike_table *t = c->ike;
	for (uint32_t i = 0; i < t->n; i++) {
		struct ike_sa *sa = &t->sa[i];
		if (sa->version != 1)
			continue;
		struct v1_view v;
		v1_scan(sa, &v);
		char ib[IP_ADDR_STRLEN], rb[IP_ADDR_STRLEN];
		ip_addr_str(&sa->initiator, ib);
		ip_addr_str(&sa->responder, rb);

		bool failed = v1_rule_no_proposal(c, sa, &v, ib, rb);
		failed |= v1_rule_id(c, sa, &v, ib, rb);
		if (!failed)
			failed |= v1_rule_auth(c, sa, &v, ib, rb);
		if (!failed)
			failed |= v1_rule_quick(c, sa, &v, ib, rb);
		v1_rule_dpd(c, sa, &v, ib, rb);

		sa->auth = v1_auth_class(v1_auth_method(sa));
		int p1 = v1_phase1_done(&v);
		bool qm = v1_qm_done(sa, &v);
		/* ESP between the peers once phase 1 was up stands for a quick mode we missed. */
		uint64_t p1_ts = p1 >= 0 ? sa->msgs[p1].ts : 0;
		bool esp = (p1 >= 0 || qm) &&
			   (pair_esp_since(c->pairs, &sa->initiator, &sa->responder, p1_ts) ||
			    pair_esp_since(c->pairs, &sa->responder, &sa->initiator, p1_ts));
		if (failed)
			sa->state = SA_FAILED;
		else if ((p1 >= 0 || qm) && (qm || esp))
			sa->state = SA_ESTABLISHED;
		else
			sa->state = SA_INCOMPLETE;
	}
}
