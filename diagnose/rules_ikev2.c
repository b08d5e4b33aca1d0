/*
 * IKEv2 negotiations (RFC 7296): what the cleartext notifies of IKE_SA_INIT say
 * (§2.6 COOKIE, §1.2/§3.10.1 NO_PROPOSAL_CHOSEN, INVALID_KE_PAYLOAD,
 * INVALID_MAJOR_VERSION, TEMPORARY_FAILURE), what the sizes of the encrypted
 * IKE_AUTH response allow it to hold (§2.21.2: authentication failed, or the
 * CHILD SA refused while the IKE SA stays up), and liveness checks (§1.4) left
 * unanswered.  Sets state and auth of every IKEv2 SA for the reports.
 */
#include <stdio.h>
#include <string.h>

#include "diagnose/pairs.h"
#include "diagnose/rules.h"
#include "dissect/ikev2_names.h"

/* Notify types read here that dissect/ikev2_names.h does not name (RFC 7296 §3.10.1). */
enum {
	V2_N_INVALID_MAJOR_VERSION = 5,
	V2_N_TEMPORARY_FAILURE = 43,
};

/*
 * Smallest payloads an IKE_AUTH response carries when it succeeds (RFC 7296
 * §3.5, §3.8, §3.3, §3.13): IDr of an IPv4 address (4 + 4 + 4), AUTH (4 + 4 +
 * the PRF's output for a shared key, more for a signature), an ESP SA of one
 * proposal with an SPI, one encryption transform and the mandatory ESN
 * transform (4 + 8 + 4 + 8 + 8), and TSi and TSr of one IPv4 range each
 * (8 + 16).  These are lower bounds, not tuned values: a plaintext smaller
 * than their sum cannot hold the payloads.
 */
#define V2_IDR_MIN  12
#define V2_AUTH_HDR 8
/* V2_CHILD_SA_MIN, V2_TS_PAIR_MIN, V2_NONCE_MIN and the SK headers: track/track.h. */

/*
 * An IKE_AUTH request "too small to carry a certificate": with a PSK the
 * requests in the samples and in Wireshark's decryption captures are 236 to
 * 288 bytes (ikev2-psk-mismatch 288, ikev2-child-proposal-mismatch 272,
 * Wireshark ikev2-decrypt-* 237-261, tcpdump ikev2four 236); with
 * certificates they are 1280 to 3552 bytes (Wireshark's NAT-T sample with
 * ECDSA certificates 1280-1296, its ipsec.cap 1356, zeek's ipsec_client
 * 3468, ikev2-fragments-dropped with RSA-4096 3552).  A DER certificate alone
 * is rarely under 400 bytes; 512 sits well between the two groups.
 */
#define V2_CERT_REQ_MIN 512

/*
 * A liveness check (RFC 7296 §1.4) is an INFORMATIONAL request with an empty
 * SK payload; 32 bytes of plaintext room also admit a Delete or a notify
 * (ikev2-dpd-peer-dead: 80-byte requests, 15 bytes of room with AES-CBC) but
 * not a MOBIKE address update with its two 28-byte NAT detection notifies.
 */
#define V2_LIVENESS_ROOM_MAX 32

enum auth_shape {
	SHAPE_UNKNOWN,	   /* the chosen transforms are unknown: no inference */
	SHAPE_NOTIFY_ONLY, /* cannot hold IDr + AUTH: the IKE SA was refused */
	SHAPE_NO_CHILD,	   /* IDr + AUTH fit, SA + TSi + TSr do not: CHILD SA refused */
	SHAPE_FULL,	   /* room for everything (or certificates): no verdict */
};

static bool
rec_has_notify(const struct ike_rec *r, uint16_t type)
{
	for (uint8_t i = 0; i < r->nn; i++)
		if (r->notify[i] == type)
			return true;
	return false;
}

static bool
rec_has_payload(const struct ike_rec *r, uint8_t type)
{
	for (uint8_t i = 0; i < r->npl; i++)
		if (r->pl[i] == type)
			return true;
	return false;
}

/* The PRF's output length: the AUTH data of a shared key (RFC 7296 §2.15). */
static unsigned
prf_out_len(uint16_t prf)
{
	switch (prf) {
	case IKEV2_PRF_HMAC_SHA1:
		return 20;
	case IKEV2_PRF_HMAC_TIGER:
		return 24;
	case IKEV2_PRF_HMAC_SHA2_256:
		return 32;
	case IKEV2_PRF_HMAC_SHA2_384:
		return 48;
	case IKEV2_PRF_HMAC_SHA2_512:
		return 64;
	default:
		return 16; /* MD5, AES128-XCBC, AES128-CMAC, and the smallest for unknown ones */
	}
}

/*
 * Plaintext room of message index k (all its SKF fragments when fragmented):
 * SK length minus its header, the IV, the ICV and the Pad Length octet.
 * Returns -1 when it cannot be computed.
 */
static long
msg_room(const struct ike_sa *sa, uint16_t k)
{
	unsigned iv = 0, icv = 0;
	if (!sa->have_chosen || !ike_sk_overhead(&sa->chosen, &iv, &icv))
		return -1;
	const struct ike_rec *r = &sa->msgs[k];
	long room = 0;
	bool any = false;
	for (uint16_t j = k; j < sa->nmsgs; j++) {
		const struct ike_rec *x = &sa->msgs[j];
		if (x->retrans_of >= 0 || x->from_i != r->from_i || x->response != r->response ||
		    x->exchange != r->exchange || x->msgid != r->msgid || x->sk_len == 0)
			continue;
		/* An unfragmented message is itself; fragments are gathered from k on. */
		if (j != k && (r->skf_total == 0 || x->skf_total == 0))
			continue;
		unsigned hdr = x->skf_total ? V2_SKF_HDR : V2_SK_HDR;
		long one = (long)x->sk_len - hdr - iv - icv - 1;
		if (one > 0)
			room += one;
		any = true;
		if (r->skf_total == 0)
			break;
	}
	return any ? room : -1;
}

/* The IKE length of message k, all fragments summed. */
static uint32_t
msg_len(const struct ike_sa *sa, uint16_t k)
{
	const struct ike_rec *r = &sa->msgs[k];
	if (r->skf_total == 0)
		return r->len;
	uint32_t len = 0;
	for (uint16_t j = k; j < sa->nmsgs; j++) {
		const struct ike_rec *x = &sa->msgs[j];
		if (x->retrans_of < 0 && x->from_i == r->from_i && x->response == r->response &&
		    x->exchange == r->exchange && x->msgid == r->msgid && x->skf_total)
			len += x->len;
	}
	return len;
}

static enum auth_shape
auth_shape(const struct ike_sa *sa, uint16_t k, long *room_out)
{
	long room = msg_room(sa, k);
	*room_out = room;
	if (room < 0)
		return SHAPE_UNKNOWN;
	long ike_min = V2_IDR_MIN + V2_AUTH_HDR + prf_out_len(sa->chosen.prf);
	if (room < ike_min)
		return SHAPE_NOTIFY_ONLY;
	if (room < ike_min + V2_CHILD_SA_MIN + V2_TS_PAIR_MIN)
		return SHAPE_NO_CHILD;
	return SHAPE_FULL;
}

/* ESP between the two peers (either way) seen after ts: a CHILD SA carried traffic. */
static bool
esp_after(const struct diag_ctx *c, const struct ike_sa *sa, uint64_t ts)
{
	return pair_esp_since(c->pairs, &sa->initiator, &sa->responder, ts) ||
	       pair_esp_since(c->pairs, &sa->responder, &sa->initiator, ts);
}

static struct finding *
sa_raise(struct diag_ctx *c, const struct ike_sa *sa, enum finding_code code, enum confidence conf,
	 const char *msg)
{
	struct finding *f = diag_raise(c->d, code, conf, "%s", msg);
	if (f == NULL)
		return NULL;
	f->ike_version = 2;
	f->initiator = sa->initiator;
	f->responder = sa->responder;
	return f;
}

static const char *
name_or_num(const char *n, const char *pfx, unsigned v, char *buf, size_t len)
{
	if (n != NULL)
		return n;
	snprintf(buf, len, "%s%u", pfx, v);
	return buf;
}

/* "AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048", as strongSwan logs proposals. */
static void
offer_str(const struct ike_offer *o, char *out, size_t len)
{
	char b1[24], b2[24], b3[24], b4[24], encr[40];
	const char *e = name_or_num(ikev2_encr_name(o->encr), "ENCR_", o->encr, b1, sizeof(b1));
	if (o->keylen)
		snprintf(encr, sizeof(encr), "%s_%u", e, o->keylen);
	else
		snprintf(encr, sizeof(encr), "%s", e);
	char integ[32] = "";
	if (o->integ)
		snprintf(
		    integ, sizeof(integ), "/%s",
		    name_or_num(ikev2_integ_name(o->integ), "INTEG_", o->integ, b2, sizeof(b2)));
	snprintf(out, len, "%s%s/%s/%s", encr, integ,
		 name_or_num(ikev2_prf_name(o->prf), "PRF_", o->prf, b3, sizeof(b3)),
		 name_or_num(ikev2_dh_name(o->dh), "DH_", o->dh, b4, sizeof(b4)));
}

static const char *
group_name(uint16_t g, char *buf, size_t len)
{
	return name_or_num(ikev2_dh_name(g), "group ", g, buf, len);
}

/* The initiator's last IKE_SA_INIT request before message k. */
static int
init_request_before(const struct ike_sa *sa, uint16_t k)
{
	for (int j = (int)k - 1; j >= 0; j--) {
		const struct ike_rec *x = &sa->msgs[j];
		if (x->exchange == IKEV2_X_IKE_SA_INIT && !x->response && x->from_i)
			return j;
	}
	return -1;
}

/* A later IKE_SA_INIT request from the initiator (this SA) that satisfies want. */
static int
init_retry_after(const struct ike_sa *sa, uint16_t k, uint16_t want_group, uint16_t want_notify)
{
	for (uint16_t j = (uint16_t)(k + 1); j < sa->nmsgs; j++) {
		const struct ike_rec *x = &sa->msgs[j];
		if (x->exchange != IKEV2_X_IKE_SA_INIT || x->response || !x->from_i)
			continue;
		if (want_group && x->ke_group == want_group)
			return j;
		if (want_notify && rec_has_notify(x, want_notify))
			return j;
	}
	return -1;
}

/*
 * A retry under a new SPIi (RFC 7296 allows it; strongSwan keeps the SPI, so
 * ikev2-invalid-ke-retry shows one SA): a later IKEv2 SA between the same
 * peers, same initiator, whose first message is an IKE_SA_INIT request with the
 * wanted group.
 */
static uint64_t
retry_in_other_sa(const struct diag_ctx *c, const struct ike_sa *sa, uint64_t after,
		  uint16_t want_group)
{
	for (uint32_t i = 0; i < c->ike->n; i++) {
		const struct ike_sa *o = &c->ike->sa[i];
		if (o == sa || o->version != 2 || o->nmsgs == 0 ||
		    !ip_addr_eq(&o->initiator, &sa->initiator) ||
		    !ip_addr_eq(&o->responder, &sa->responder))
			continue;
		const struct ike_rec *x = &o->msgs[0];
		if (x->ts >= after && x->exchange == IKEV2_X_IKE_SA_INIT && !x->response &&
		    x->from_i && x->ke_group == want_group)
			return x->frame;
	}
	return 0;
}

/*
 * IKE_SA_INIT is in clear, so its error notifies are proof (confirmed):
 * NO_PROPOSAL_CHOSEN (ikev2-ike-proposal-mismatch, frame 2), INVALID_KE_PAYLOAD
 * (ikev2-invalid-ke-retry, frame 2), COOKIE (ikev2-cookie-challenge, frame 2).
 * INVALID_MAJOR_VERSION and TEMPORARY_FAILURE are read in any cleartext message.
 * Returns true when the negotiation stopped on an error notify.
 */
static bool
rule_cleartext_notifies(struct diag_ctx *c, const struct ike_sa *sa)
{
	char ib[IP_ADDR_STRLEN], rb[IP_ADDR_STRLEN], msg[1024];
	ip_addr_str(&sa->initiator, ib);
	ip_addr_str(&sa->responder, rb);
	bool stopped = false, npc = false, ike = false, cookie = false, ver = false, tmp = false;
	for (uint16_t k = 0; k < sa->nmsgs; k++) {
		const struct ike_rec *r = &sa->msgs[k];
		if (r->retrans_of >= 0)
			continue;
		int req = init_request_before(sa, k);
		uint64_t req_frame = req >= 0 ? sa->msgs[req].frame : 0;
		bool init_resp = r->exchange == IKEV2_X_IKE_SA_INIT && r->response && !r->from_i;

		if (init_resp && !npc && rec_has_notify(r, IKEV2_N_NO_PROPOSAL_CHOSEN)) {
			npc = true;
			/* A later IKE_SA_INIT response with an SA payload means a retry was
			 * accepted. */
			bool later_ok = false;
			for (uint16_t j = (uint16_t)(k + 1); j < sa->nmsgs; j++)
				if (sa->msgs[j].exchange == IKEV2_X_IKE_SA_INIT &&
				    sa->msgs[j].response &&
				    rec_has_payload(&sa->msgs[j], IKEV2_P_SA))
					later_ok = true;
			if (!later_ok) {
				stopped = true;
				char offers[220] = "", one[96];
				size_t used = 0;
				for (uint8_t i = 0; i < sa->noffers; i++) {
					offer_str(&sa->offers[i], one, sizeof(one));
					int n = snprintf(offers + used, sizeof(offers) - used,
							 "%s%s", i ? ", " : "", one);
					if (n < 0 || (size_t)n >= sizeof(offers) - used) {
						offers[used] = '\0';
						break;
					}
					used += (size_t)n;
				}
				snprintf(msg, sizeof(msg),
					 "IKEv2 IKE_SA_INIT from %s to %s: the responder answered "
					 "NO_PROPOSAL_CHOSEN (frame %llu); the initiator offered "
					 "IKE:%s%s (the first transform of each type per proposal; "
					 "-vv on frame %llu lists them all). Compare with the "
					 "responder's configured IKE proposals",
					 ib, rb, (unsigned long long)r->frame,
					 sa->noffers ? offers : "(offer not captured)",
					 sa->offers_cut ? " and more" : "",
					 (unsigned long long)(sa->offer_frame ? sa->offer_frame
									      : req_frame));
				struct finding *f =
				    sa_raise(c, sa, F_NO_PROPOSAL_CHOSEN, CONF_CONFIRMED, msg);
				if (f != NULL) {
					if (req_frame)
						diag_add_frame(f, req_frame);
					diag_add_frame(f, r->frame);
				}
			}
		}

		if (init_resp && !ike && rec_has_notify(r, IKEV2_N_INVALID_KE_PAYLOAD)) {
			ike = true;
			char gw[40], go[40];
			uint16_t offered = req >= 0 ? sa->msgs[req].ke_group : 0;
			int retry = r->want_group ? init_retry_after(sa, k, r->want_group, 0) : -1;
			uint64_t retry_frame = retry >= 0 ? sa->msgs[retry].frame : 0;
			if (retry_frame == 0 && r->want_group)
				retry_frame = retry_in_other_sa(c, sa, r->ts, r->want_group);
			if (retry_frame == 0)
				stopped = true;
			char tail[160];
			if (retry_frame)
				snprintf(tail, sizeof(tail),
					 "the initiator retried with %s (frame %llu): one extra "
					 "round trip",
					 group_name(r->want_group, gw, sizeof(gw)),
					 (unsigned long long)retry_frame);
			else
				snprintf(tail, sizeof(tail),
					 "and the initiator never retried with it: the group is "
					 "probably missing from its own proposal");
			snprintf(msg, sizeof(msg),
				 "IKEv2 IKE_SA_INIT from %s to %s: the responder answered "
				 "INVALID_KE_PAYLOAD (frame %llu) asking for %s instead of the "
				 "offered key exchange %s; %s",
				 ib, rb, (unsigned long long)r->frame,
				 r->want_group ? group_name(r->want_group, gw, sizeof(gw))
					       : "another group",
				 offered ? group_name(offered, go, sizeof(go)) : "(not captured)",
				 tail);
			struct finding *f = sa_raise(c, sa, F_INVALID_KE, CONF_CONFIRMED, msg);
			if (f != NULL) {
				if (req_frame)
					diag_add_frame(f, req_frame);
				diag_add_frame(f, r->frame);
				if (retry_frame)
					diag_add_frame(f, retry_frame);
			}
		}

		if (init_resp && !cookie && rec_has_notify(r, IKEV2_N_COOKIE)) {
			cookie = true;
			int retry = init_retry_after(sa, k, 0, IKEV2_N_COOKIE);
			char tail[128];
			if (retry >= 0)
				snprintf(tail, sizeof(tail),
					 "the initiator repeated its request with the cookie "
					 "(frame %llu)",
					 (unsigned long long)sa->msgs[retry].frame);
			else
				snprintf(tail, sizeof(tail),
					 "the initiator never repeated its request with the "
					 "cookie");
			snprintf(msg, sizeof(msg),
				 "IKEv2 IKE_SA_INIT from %s to %s: the responder answered with a "
				 "COOKIE challenge (frame %llu), as it does under load or when "
				 "protecting itself against floods of half-open SAs; %s",
				 ib, rb, (unsigned long long)r->frame, tail);
			struct finding *f =
			    sa_raise(c, sa, F_COOKIE_CHALLENGE, CONF_CONFIRMED, msg);
			if (f != NULL) {
				if (req_frame)
					diag_add_frame(f, req_frame);
				diag_add_frame(f, r->frame);
				if (retry >= 0)
					diag_add_frame(f, sa->msgs[retry].frame);
			}
		}

		if (!ver && rec_has_notify(r, V2_N_INVALID_MAJOR_VERSION)) {
			ver = true;
			stopped = true;
			snprintf(msg, sizeof(msg),
				 "IKEv2 between %s and %s: %s answered INVALID_MAJOR_VERSION "
				 "(frame %llu) to a %s: it does not speak this IKE version",
				 ib, rb, r->from_i ? ib : rb, (unsigned long long)r->frame,
				 r->exchange == IKEV2_X_IKE_SA_INIT ? "IKE_SA_INIT" : "request");
			struct finding *f =
			    sa_raise(c, sa, F_VERSION_MISMATCH, CONF_CONFIRMED, msg);
			if (f != NULL) {
				if (req_frame && r->exchange == IKEV2_X_IKE_SA_INIT)
					diag_add_frame(f, req_frame);
				diag_add_frame(f, r->frame);
			}
		}

		if (!tmp && rec_has_notify(r, V2_N_TEMPORARY_FAILURE)) {
			tmp = true;
			snprintf(msg, sizeof(msg),
				 "IKEv2 between %s and %s: %s sent TEMPORARY_FAILURE in clear "
				 "(frame %llu): it cannot handle the exchange right now (a "
				 "simultaneous rekey or a lack of resources); a retry usually "
				 "succeeds",
				 ib, rb, r->from_i ? ib : rb, (unsigned long long)r->frame);
			struct finding *f =
			    sa_raise(c, sa, F_TEMPORARY_FAILURE, CONF_CONFIRMED, msg);
			if (f != NULL)
				diag_add_frame(f, r->frame);
		}
	}
	return stopped;
}

/*
 * The outcome of IKE_AUTH without keys (anchors-mission §3 ★), from the
 * plaintext room of the last IKE_AUTH response under the chosen transforms.
 * Calibration: ikev2-psk-mismatch and ikev2-id-mismatch, 80-byte responses
 * (AES-CBC-256, HMAC-SHA2-256-128: SK 52, room 15, where IDr + AUTH need at
 * least 52); ikev2-ts-mismatch and ikev2-child-proposal-mismatch, 144 bytes
 * (room 79, between 52 and the 132 that IDr + AUTH + SA + TSi + TSr need);
 * successes 224 bytes with AES-CBC (room 159) and 204 with AES-GCM-16 (room
 * 147).  The bounds are the payloads' minimum sizes, so a full response can
 * never be taken for a failed one; a large failure (a certificate, a long
 * identity) is missed rather than guessed.
 *
 * Nothing may follow a refused IKE SA: no later exchange and no ESP.  A
 * refused CHILD SA is confirmed by the absence of ESP afterwards and of any
 * CREATE_CHILD_SA that succeeded later (tcpdump's ikev2four: a childless-size
 * IKE_AUTH response followed by working CREATE_CHILD_SA exchanges).
 * Returns the shape of the last IKE_AUTH response and raises on failures.
 */
static enum auth_shape
rule_ike_auth(struct diag_ctx *c, struct ike_sa *sa, bool *failed)
{
	int last = -1, first_req = -1;
	for (uint16_t k = 0; k < sa->nmsgs; k++) {
		const struct ike_rec *r = &sa->msgs[k];
		if (r->exchange != IKEV2_X_IKE_AUTH || r->retrans_of >= 0)
			continue;
		if (r->response && !r->from_i && (r->skf_total == 0 || r->skf_n <= 1))
			if (last < 0 || sa->msgs[last].msgid != r->msgid)
				last = k;
		if (!r->response && r->from_i && first_req < 0 &&
		    (r->skf_total == 0 || r->skf_n <= 1))
			first_req = k;
	}
	if (last < 0)
		return SHAPE_UNKNOWN;
	const struct ike_rec *resp = &sa->msgs[last];
	/* A later IKE_AUTH round (EAP, multiple authentication) makes this one no verdict. */
	for (uint16_t j = (uint16_t)(last + 1); j < sa->nmsgs; j++)
		if (sa->msgs[j].exchange == IKEV2_X_IKE_AUTH && sa->msgs[j].msgid > resp->msgid)
			return SHAPE_UNKNOWN;
	long room;
	enum auth_shape shape = auth_shape(sa, (uint16_t)last, &room);
	if (shape != SHAPE_NOTIFY_ONLY && shape != SHAPE_NO_CHILD)
		return shape;

	char ib[IP_ADDR_STRLEN], rb[IP_ADDR_STRLEN], msg[1024];
	ip_addr_str(&sa->initiator, ib);
	ip_addr_str(&sa->responder, rb);
	uint32_t rlen = msg_len(sa, (uint16_t)last);
	uint64_t req_frame = 0;
	for (int j = last - 1; j >= 0; j--)
		if (sa->msgs[j].exchange == IKEV2_X_IKE_AUTH && !sa->msgs[j].response &&
		    sa->msgs[j].msgid == resp->msgid) {
			req_frame = sa->msgs[j].frame;
			break;
		}

	if (shape == SHAPE_NOTIFY_ONLY) {
		/* Anything after it (another exchange, ESP) means the SA lived on. */
		if (ike_fold_last_frame(sa) > resp->frame)
			return SHAPE_UNKNOWN;
		for (uint16_t j = (uint16_t)(last + 1); j < sa->nmsgs; j++) {
			const struct ike_rec *x = &sa->msgs[j];
			if (x->exchange != IKEV2_X_IKE_AUTH || x->msgid > resp->msgid)
				return SHAPE_UNKNOWN;
		}
		if (esp_after(c, sa, resp->ts))
			return SHAPE_UNKNOWN;
		*failed = true;
		uint32_t qlen = first_req >= 0 ? msg_len(sa, (uint16_t)first_req) : 0;
		bool one_round = first_req >= 0 && sa->msgs[first_req].msgid == resp->msgid;
		bool psk = !sa->certreq && one_round && qlen > 0 && qlen < V2_CERT_REQ_MIN;
		if (psk) {
			sa->auth = AUTH_PSK;
			snprintf(msg, sizeof(msg),
				 "IKEv2 IKE_AUTH from %s to %s: the response (frame %llu, %u "
				 "bytes) has room for %ld bytes of plaintext, enough for a notify "
				 "such as AUTHENTICATION_FAILED but not for IDr and AUTH, and "
				 "nothing follows; no CERTREQ was sent and the %u-byte request "
				 "is too small for a certificate, so pre-shared keys are in use. "
				 "The keys most likely differ; an identity mismatch looks the "
				 "same on the wire, only the keys (--keys) tell them apart",
				 ib, rb, (unsigned long long)resp->frame, rlen, room, qlen);
		} else {
			snprintf(msg, sizeof(msg),
				 "IKEv2 IKE_AUTH from %s to %s: the response (frame %llu, %u "
				 "bytes) has room for %ld bytes of plaintext, enough for a notify "
				 "such as AUTHENTICATION_FAILED but not for IDr and AUTH, and "
				 "nothing follows: authentication failed (%s). Credentials and "
				 "identities look the same on the wire; the keys (--keys) tell "
				 "them apart",
				 ib, rb, (unsigned long long)resp->frame, rlen, room,
				 !one_round    ? "after several IKE_AUTH rounds, as with EAP"
				 : sa->certreq ? "certificates were requested in IKE_SA_INIT"
					       : "the request is large enough to carry a "
						 "certificate");
		}
		struct finding *f =
		    sa_raise(c, sa, psk ? F_PSK_MISMATCH : F_AUTH_FAILED, CONF_LIKELY, msg);
		if (f != NULL) {
			if (req_frame)
				diag_add_frame(f, req_frame);
			diag_add_frame(f, resp->frame);
		}
		return shape;
	}

	/* SHAPE_NO_CHILD: the IKE SA is up; did a CHILD SA ever come up? */
	if (esp_after(c, sa, resp->ts))
		return SHAPE_FULL;
	/* A folded CREATE_CHILD_SA succeeded by the test below (track/ike_fold.c). */
	if (sa->fold && sa->fold->v2_child && sa->fold->child_last_frame > resp->frame)
		return SHAPE_FULL;
	uint64_t refused[8];
	unsigned nref = 0;
	for (uint16_t j = (uint16_t)(last + 1); j < sa->nmsgs; j++) {
		const struct ike_rec *x = &sa->msgs[j];
		if (x->exchange != IKEV2_X_CREATE_CHILD_SA || !x->response || x->retrans_of >= 0)
			continue;
		/* Room for SA, Nr (at least 16 octets of nonce) and TSi/TSr: a CHILD SA came up. */
		long r2 = msg_room(sa, j);
		if (r2 < 0 || ike_child_room_ok(r2))
			return SHAPE_FULL;
		if (nref < ARRAY_LEN(refused))
			refused[nref++] = x->frame;
	}
	*failed = true;
	snprintf(msg, sizeof(msg),
		 "IKEv2 IKE_AUTH from %s to %s: the response (frame %llu, %u bytes) has room for "
		 "%ld bytes of plaintext: IDr and AUTH fit (the IKE SA is up) but not SA, TSi "
		 "and TSr, and no ESP follows%s: the CHILD SA was refused. Without keys a "
		 "proposal mismatch (ESP transforms, PFS) and a traffic selector mismatch "
		 "(TS_UNACCEPTABLE) look the same; the keys (--keys) tell them apart",
		 ib, rb, (unsigned long long)resp->frame, rlen, room,
		 nref ? ", later CREATE_CHILD_SA attempts were refused too" : "");
	struct finding *f = sa_raise(c, sa, F_CHILD_NO_PROPOSAL, CONF_LIKELY, msg);
	if (f != NULL) {
		if (req_frame)
			diag_add_frame(f, req_frame);
		diag_add_frame(f, resp->frame);
		for (unsigned i = 0; i < nref; i++)
			diag_add_frame(f, refused[i]);
	}
	return shape;
}

/*
 * Liveness checks unanswered (RFC 7296 §1.4): an INFORMATIONAL request with
 * little or no plaintext, sent at least twice (a retransmission proves the
 * sender waited for an answer), and no response with its message ID.  The
 * SK payload itself shows the IKE SA had keys, so it was established; an SA
 * whose IKE_AUTH was refused is excluded.  ikev2-dpd-peer-dead: frame 11 and
 * four retransmissions (80 bytes each) over 7.1 s, never answered.
 */
static bool
rule_dpd(struct diag_ctx *c, const struct ike_sa *sa, enum auth_shape shape)
{
	if (shape == SHAPE_NOTIFY_ONLY)
		return false;
	for (uint16_t k = 0; k < sa->nmsgs; k++) {
		const struct ike_rec *r = &sa->msgs[k];
		if (r->exchange != IKEV2_X_INFORMATIONAL || r->response || r->retrans_of >= 0 ||
		    r->sk_len == 0)
			continue;
		long room = msg_room(sa, k);
		if (room >= V2_LIVENESS_ROOM_MAX)
			continue;
		unsigned sent = 1;
		uint64_t last_ts = r->ts;
		bool answered = false;
		for (uint16_t j = (uint16_t)(k + 1); j < sa->nmsgs; j++) {
			const struct ike_rec *x = &sa->msgs[j];
			if (x->retrans_of == (int16_t)k) {
				sent++;
				last_ts = x->ts;
			} else if (x->exchange == IKEV2_X_INFORMATIONAL && x->response &&
				   x->from_i != r->from_i && x->msgid == r->msgid) {
				answered = true;
			}
		}
		if (answered || sent < 2)
			continue;
		char ib[IP_ADDR_STRLEN], rb[IP_ADDR_STRLEN], msg[1024], room_s[64] = "";
		const struct ip_addr *from = r->from_i ? &sa->initiator : &sa->responder;
		const struct ip_addr *to = r->from_i ? &sa->responder : &sa->initiator;
		ip_addr_str(from, ib);
		ip_addr_str(to, rb);
		if (room >= 0)
			snprintf(room_s, sizeof(room_s), ", at most %ld bytes of plaintext", room);
		uint64_t span = last_ts - r->ts;
		snprintf(msg, sizeof(msg),
			 "IKEv2 INFORMATIONAL request #%u from %s to %s (a liveness check: %u "
			 "bytes%s) was sent %u times over %llu.%01llu s after the IKE SA was "
			 "established, and %s never answered: the peer is dead, unreachable, or "
			 "no longer holds the SA",
			 r->msgid, ib, rb, r->len, room_s, sent,
			 (unsigned long long)(span / 1000000),
			 (unsigned long long)(span % 1000000 / 100000), rb);
		struct finding *f = sa_raise(c, sa, F_DPD_TIMEOUT, CONF_LIKELY, msg);
		if (f != NULL) {
			diag_add_frame(f, r->frame);
			for (uint16_t j = (uint16_t)(k + 1); j < sa->nmsgs; j++)
				if (sa->msgs[j].retrans_of == (int16_t)k)
					diag_add_frame(f, sa->msgs[j].frame);
		}
		return true;
	}
	return false;
}

/* Any CREATE_CHILD_SA or INFORMATIONAL answered: only an established IKE SA does that. */
static bool
later_exchange_answered(const struct ike_sa *sa)
{
	/* Folded exchanges were all answered, under SK. */
	if (sa->fold && (sa->fold->v2_info || sa->fold->v2_child))
		return true;
	for (uint16_t k = 0; k < sa->nmsgs; k++) {
		const struct ike_rec *r = &sa->msgs[k];
		if ((r->exchange == IKEV2_X_CREATE_CHILD_SA ||
		     r->exchange == IKEV2_X_INFORMATIONAL) &&
		    r->response && r->sk_len)
			return true;
	}
	return false;
}

void
diag_rule_ikev2(struct diag_ctx *c)
{
	struct ike_table *t = c->ike;
	for (uint32_t i = 0; i < t->n; i++) {
		struct ike_sa *sa = &t->sa[i];
		if (sa->version != 2)
			continue;
		sa->auth = AUTH_UNKNOWN;
		bool failed = rule_cleartext_notifies(c, sa);
		enum auth_shape shape = rule_ike_auth(c, sa, &failed);
		rule_dpd(c, sa, shape);
		if (failed)
			sa->state = SA_FAILED;
		else if (shape == SHAPE_NO_CHILD || shape == SHAPE_FULL ||
			 later_exchange_answered(sa))
			sa->state = SA_ESTABLISHED;
		else
			sa->state = SA_INCOMPLETE;
	}
}
