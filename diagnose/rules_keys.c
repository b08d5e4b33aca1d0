/*
 * With --keys and --psk: what decryption proves.  These rules run first; a
 * confirmed finding they raise replaces the inference of the same family
 * (authentication, CHILD SA) that the other rules make from sizes and silence.
 *   IKEv2 (RFC 7296 §3.10.1): AUTHENTICATION_FAILED (24) inside SK; TS_UNACCEPTABLE
 *   (38) / INVALID_SELECTORS (39); NO_PROPOSAL_CHOSEN (14) for a CHILD SA.
 *   IKEv1 (RFC 2408 §3.14.1): NO-PROPOSAL-CHOSEN (14) or INVALID-ID-INFORMATION (18)
 *   answering quick mode; INVALID-HASH-INFORMATION (23) / AUTHENTICATION-FAILED (24).
 */
#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"
#include "diagnose/rules.h"

static bool
rec_has(const struct ike_rec *r, uint16_t n)
{
	for (uint8_t i = 0; i < r->nn; i++)
		if (r->notify[i] == n)
			return true;
	return false;
}

static struct finding *
raise_for(struct diag_ctx *c, const struct ike_sa *sa, enum finding_code code, const char *msg)
{
	struct finding *f = diag_raise(c->d, code, CONF_CONFIRMED, "%s", msg);
	if (f) {
		f->ike_version = sa->version;
		f->initiator = sa->initiator;
		f->responder = sa->responder;
	}
	return f;
}

/* Was PSK authentication in use?  IKEv2: the AUTH method (2, shared key MIC) of a request. */
static bool
sa_psk(const struct ike_sa *sa)
{
	if (sa->version == 1)
		return sa->auth == AUTH_PSK || sa->auth == AUTH_XAUTH_PSK ||
		       sa->chosen.v1_auth == 1 ||
		       (!sa->have_chosen && sa->noffers && sa->offers[0].v1_auth == 1);
	for (uint16_t i = 0; i < sa->nmsgs; i++)
		if (sa->msgs[i].auth_method == 2)
			return true;
	return false;
}

static void
rule_decrypted_notifies(struct diag_ctx *c, struct ike_sa *sa)
{
	char ib[IP_ADDR_STRLEN], rb[IP_ADDR_STRLEN], msg[1024];
	ip_addr_str(&sa->initiator, ib);
	ip_addr_str(&sa->responder, rb);
	bool auth_done = false, child_done = false;
	for (uint16_t i = 0; i < sa->nmsgs; i++) {
		const struct ike_rec *r = &sa->msgs[i];
		if (!r->decrypted || r->retrans_of >= 0)
			continue;
		bool v2 = sa->version == 2;
		/* Authentication refused: the notify itself, decrypted. */
		if (!auth_done && (rec_has(r, 24) || (!v2 && rec_has(r, 23))) &&
		    diag_find(c->d, F_PSK_MISMATCH, &sa->initiator, &sa->responder) == NULL) {
			bool psk = sa_psk(sa);
			snprintf(
			    msg, sizeof(msg),
			    "IKEv%u between %s and %s: the decrypted %s (frame %llu) carries %s%s",
			    sa->version, ib, rb, v2 ? "IKE_AUTH response" : "message",
			    (unsigned long long)r->frame,
			    rec_has(r, 24) ? "AUTHENTICATION_FAILED" : "INVALID-HASH-INFORMATION",
			    !psk ? ""
			    : sa->psk_check == PSK_MATCH
				? "; --psk proves the initiator used the key given, so the "
				  "responder "
				  "holds another key for this peer (or expects another identity)"
				: "; pre-shared keys are in use (AUTH method 2), so the keys or "
				  "the "
				  "identities they are configured for differ");
			struct finding *f =
			    raise_for(c, sa, psk ? F_PSK_MISMATCH : F_AUTH_FAILED, msg);
			if (f)
				diag_add_frame(f, r->frame);
			auth_done = true;
		}
		/* The CHILD SA (or quick mode) refused, and why. */
		bool ts = rec_has(r, 38) || rec_has(r, 39) || (!v2 && rec_has(r, 18));
		bool noprop = rec_has(r, 14) && (v2 ? r->exchange != IKEV2_X_IKE_SA_INIT
						    : r->exchange != IKEV1_X_MAIN &&
							  r->exchange != IKEV1_X_AGGRESSIVE);
		if (!child_done && (ts || noprop)) {
			snprintf(
			    msg, sizeof(msg),
			    "IKEv%u between %s and %s: the decrypted %s (frame %llu) refuses the "
			    "%s: %s",
			    sa->version, ib, rb, v2 ? "response" : "informational",
			    (unsigned long long)r->frame, v2 ? "CHILD SA" : "quick mode",
			    ts ? (v2 ? "TS_UNACCEPTABLE: the traffic selectors do not match"
				     : "INVALID-ID-INFORMATION: the quick mode IDs (traffic "
				       "selectors) do not match")
			       : "NO_PROPOSAL_CHOSEN: no ESP proposal (or PFS group) is "
				 "acceptable");
			struct finding *f =
			    raise_for(c, sa, ts ? F_TS_UNACCEPTABLE : F_CHILD_NO_PROPOSAL, msg);
			if (f) {
				if (i > 0)
					diag_add_frame(f, sa->msgs[i - 1].frame);
				diag_add_frame(f, r->frame);
			}
			child_done = true;
		}
	}
}

/*
 * The key that decrypts one side's messages fails on every message of the
 * other side: the two ends derived different keys, which with pre-shared keys
 * means the keys differ (sample ikev1-main-psk-mismatch: MM5 decrypts, the
 * responder's informationals do not).
 */
static void
rule_one_sided_keys(struct diag_ctx *c, struct ike_sa *sa)
{
	unsigned ok[2] = {0, 0}, bad[2] = {0, 0};
	uint64_t first_bad = 0, first_ok = 0;
	for (uint16_t i = 0; i < sa->nmsgs; i++) {
		const struct ike_rec *r = &sa->msgs[i];
		if (r->decrypted) {
			ok[r->from_i]++;
			if (!first_ok)
				first_ok = r->frame;
		} else if (r->decrypt_failed) {
			bad[r->from_i]++;
			if (!first_bad)
				first_bad = r->frame;
		}
	}
	bool split =
	    (ok[1] && !bad[1] && bad[0] && !ok[0]) || (ok[0] && !bad[0] && bad[1] && !ok[1]);
	if (!split || !sa_psk(sa) ||
	    diag_find(c->d, F_PSK_MISMATCH, &sa->initiator, &sa->responder))
		return;
	char ib[IP_ADDR_STRLEN], rb[IP_ADDR_STRLEN], msg[1024];
	ip_addr_str(&sa->initiator, ib);
	ip_addr_str(&sa->responder, rb);
	snprintf(msg, sizeof(msg),
		 "IKEv%u between %s and %s: the keys decrypt every message of the %s (frame %llu) "
		 "and none of the %s (frame %llu): the two ends derived different keys, so their "
		 "pre-shared keys differ",
		 sa->version, ib, rb, ok[1] ? "initiator" : "responder",
		 (unsigned long long)first_ok, ok[1] ? "responder" : "initiator",
		 (unsigned long long)first_bad);
	struct finding *f = raise_for(c, sa, F_PSK_MISMATCH, msg);
	if (f) {
		diag_add_frame(f, first_ok);
		diag_add_frame(f, first_bad);
	}
}

static void
rule_decrypt_failed(struct diag_ctx *c, struct ike_sa *sa)
{
	if (sa->dec_fail == 0)
		return;
	char ib[IP_ADDR_STRLEN], rb[IP_ADDR_STRLEN], msg[1024];
	ip_addr_str(&sa->initiator, ib);
	ip_addr_str(&sa->responder, rb);
	snprintf(msg, sizeof(msg),
		 "IKEv%u between %s and %s: keys were given for this SA but %u of %u encrypted "
		 "messages did not decrypt (%s); the analysis falls back to inference for them",
		 sa->version, ib, rb, sa->dec_fail, sa->dec_fail + sa->dec_ok,
		 dec_result_name((enum dec_result)sa->dec_fail_result));
	struct finding *f = raise_for(c, sa, F_DECRYPT_FAILED, msg);
	for (uint8_t k = 0; f && k < sa->ndec_fail_frames; k++)
		diag_add_frame(f, sa->dec_fail_frames[k]);
}

static void
rule_psk(struct diag_ctx *c, struct ike_sa *sa)
{
	if (sa->psk_check != PSK_MISMATCH)
		return;
	char ib[IP_ADDR_STRLEN], rb[IP_ADDR_STRLEN], msg[1024];
	ip_addr_str(&sa->initiator, ib);
	ip_addr_str(&sa->responder, rb);
	snprintf(msg, sizeof(msg),
		 "IKEv%u between %s and %s: the pre-shared key given with --psk does not "
		 "reproduce the %s in the capture: this key is not the one the peer used",
		 sa->version, ib, rb, sa->version == 1 ? "aggressive-mode HASH_R" : "AUTH payload");
	struct finding *f = raise_for(c, sa, F_PSK_MISMATCH, msg);
	if (f)
		for (uint16_t i = 0; i < sa->nmsgs && i < 4; i++)
			diag_add_frame(f, sa->msgs[i].frame);
}

static void
rule_esp_decrypt_failed(struct diag_ctx *c)
{
	for (uint32_t i = 0; i < c->esp->n; i++) {
		const struct esp_sa *s = &c->esp->sa[i];
		const struct esp_sa_ext *x = esp_sa_ext(s);
		if (x->dec_fail == 0)
			continue;
		char sb[IP_ADDR_STRLEN], db[IP_ADDR_STRLEN];
		struct finding *f = diag_raise(
		    c->d, F_DECRYPT_FAILED, CONF_CONFIRMED,
		    "ESP SA 0x%08x from %s to %s: keys were given but %u of %u packets failed "
		    "(%s)",
		    s->spi, ip_addr_str(&s->src, sb), ip_addr_str(&s->dst, db), x->dec_fail,
		    x->dec_fail + x->dec_ok, dec_result_name((enum dec_result)x->dec_fail_result));
		if (f == NULL)
			return;
		f->initiator = s->src;
		f->responder = s->dst;
		diag_add_frame(f, x->dec_fail_frame);
	}
}

/* IKEv2 AUTH methods (RFC 7296 §3.8, RFC 7427) once the AUTH payload is visible. */
static uint8_t
auth_of_method(uint8_t method)
{
	switch (method) {
	case 1:
		return AUTH_RSA;
	case 2:
		return AUTH_PSK;
	case 9:
	case 10:
	case 11:
		return AUTH_ECDSA;
	default:
		return AUTH_OTHER;
	}
}

void
diag_rule_keys(struct diag_ctx *c)
{
	if (!c->keys && !c->psk)
		return;
	for (uint32_t i = 0; i < c->ike->n; i++) {
		struct ike_sa *sa = &c->ike->sa[i];
		for (uint16_t k = 0; sa->version == 2 && k < sa->nmsgs; k++)
			if (sa->msgs[k].auth_method && sa->msgs[k].from_i) {
				sa->auth = auth_of_method(sa->msgs[k].auth_method);
				break;
			}
		rule_psk(c, sa);
		rule_decrypted_notifies(c, sa);
		rule_one_sided_keys(c, sa);
		rule_decrypt_failed(c, sa);
	}
	rule_esp_decrypt_failed(c);
}
