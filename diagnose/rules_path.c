/*
 * The path between the peers: ICMP errors quoting IKE, NAT-T or ESP datagrams
 * (RFC 792, RFC 4443), first requests that nothing answers, silence after the
 * move to UDP 4500 (RFC 7296 §2.23, RFC 3947, RFC 4555), and large IKE
 * messages that travel as IP fragments (RFC 7383 §1, the IKEv1 fragmentation
 * vendor extension).  Runs after the IKEv2 and IKEv1 families.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "diagnose/pairs.h"
#include "diagnose/rules.h"

#define PATH_NATT_PORT 4500

/*
 * A usual path MTU: 1280 is the IPv6 minimum (RFC 8200 §5) and what tunnels,
 * PPPoE and mobile links reliably carry.  ikev2-fragmentation-ok's largest
 * SKF fragment is 1236 bytes of IKE, 1268 bytes of IP with the UDP header and
 * the non-ESP marker, below it; ikev2-fragments-dropped's IKE_AUTH is 3552.
 */
#define PATH_MTU_USUAL 1280

/* The sender and receiver of message r of sa. */
static const struct ip_addr *
rec_src(const struct ike_sa *sa, const struct ike_rec *r)
{
	return r->from_i ? &sa->initiator : &sa->responder;
}

static const struct ip_addr *
rec_dst(const struct ike_sa *sa, const struct ike_rec *r)
{
	return r->from_i ? &sa->responder : &sa->initiator;
}

/* "7.1" seconds from microseconds, for messages. */
static void
secs_str(uint64_t usec, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%01llu", (unsigned long long)(usec / 1000000),
		 (unsigned long long)(usec % 1000000 / 100000));
}

static struct finding *
path_raise(struct diag_ctx *c, const struct ike_sa *sa, enum finding_code code,
	   enum confidence conf, const char *msg)
{
	struct finding *f = diag_raise(c->d, code, conf, "%s", msg);
	if (f == NULL)
		return NULL;
	f->ike_version = sa->version;
	f->initiator = sa->initiator;
	f->responder = sa->responder;
	return f;
}

/*
 * The ICMP errors that say the datagram did not arrive: IPv4 destination
 * unreachable except "fragmentation needed" (code 4, a path MTU matter, not
 * a refusal), ICMPv6 destination unreachable (packet too big, type 2, is the
 * MTU matter there).
 */
static bool
icmp_unreach(const struct icmp_ev *e)
{
	if (e->version == 4)
		return e->type == 3 && e->code != 4;
	return e->version == 6 && e->type == 1;
}

/* What the ICMP says, and what it means for the engineer. */
static void
icmp_meaning(const struct icmp_ev *e, const char *dst, char *what, size_t wlen, char *mean,
	     size_t mlen)
{
	char port[48];
	if (e->proto == 50)
		snprintf(port, sizeof(port), "ESP (IP protocol 50)");
	else
		snprintf(port, sizeof(port), "UDP %u", e->dport);
	bool port_unr = (e->version == 4 && e->code == 3) || (e->version == 6 && e->code == 4);
	bool proto_unr = e->version == 4 && e->code == 2;
	bool admin = (e->version == 4 && (e->code == 9 || e->code == 10 || e->code == 13)) ||
		     (e->version == 6 && (e->code == 1 || e->code == 5 || e->code == 6));
	const char *name = port_unr			     ? "port unreachable"
			   : proto_unr			     ? "protocol unreachable"
			   : admin			     ? "administratively prohibited"
			   : e->version == 4 && e->code == 0 ? "network unreachable"
			   : e->version == 6 && e->code == 0 ? "no route to destination"
							     : "host unreachable";
	snprintf(what, wlen, "ICMP%s %s (type %u code %u)", e->version == 6 ? "v6" : "", name,
		 e->type, e->code);
	if (port_unr)
		snprintf(mean, mlen, "nothing listens on %s at %s: no IKE daemon runs there", port,
			 dst);
	else if (proto_unr)
		snprintf(mean, mlen, "%s does not accept %s: no IPsec stack handles it", dst, port);
	else if (admin)
		snprintf(mean, mlen, "a firewall or filter refuses %s to %s", port, dst);
	else
		snprintf(mean, mlen, "a router on the path has no route to %s (%s)", dst, port);
}

/* The last IKE message from src to dst with these ports sent up to ts (any SA), or NULL. */
static const struct ike_rec *
quoted_request(const struct diag_ctx *c, const struct icmp_ev *e, const struct ike_sa **sa_out)
{
	const struct ike_rec *best = NULL;
	for (uint32_t i = 0; i < c->ike->n; i++) {
		const struct ike_sa *sa = &c->ike->sa[i];
		for (uint16_t k = 0; k < sa->nmsgs; k++) {
			const struct ike_rec *r = &sa->msgs[k];
			if (r->ts > e->ts || r->sport != e->sport || r->dport != e->dport ||
			    !ip_addr_eq(rec_src(sa, r), &e->src) ||
			    !ip_addr_eq(rec_dst(sa, r), &e->dst))
				continue;
			if (best == NULL || r->ts >= best->ts) {
				best = r;
				*sa_out = sa;
			}
		}
	}
	return best;
}

/*
 * port-unreachable: an ICMP error is the path or the peer saying in so many
 * words that the datagram was refused, so it is confirmed.  One finding per
 * quoted (source, destination) pair; ikev2-no-daemon: five IKE_SA_INIT
 * requests (frames 1, 3, 5, 7, 9), each answered by ICMP port unreachable.
 */
static void
rule_port_unreachable(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;
	for (uint16_t i = 0; i < ev->nicmp; i++) {
		const struct icmp_ev *e = &ev->icmp[i];
		if (!icmp_unreach(e))
			continue;
		bool seen = false;
		for (uint16_t j = 0; j < i && !seen; j++)
			seen = icmp_unreach(&ev->icmp[j]) &&
			       ip_addr_eq(&ev->icmp[j].src, &e->src) &&
			       ip_addr_eq(&ev->icmp[j].dst, &e->dst);
		if (seen)
			continue;
		unsigned n = 0;
		uint64_t last_ts = e->ts;
		const struct ike_sa *sa = NULL;
		const struct ike_rec *q0 = quoted_request(c, e, &sa);
		for (uint16_t j = i; j < ev->nicmp; j++) {
			const struct icmp_ev *x = &ev->icmp[j];
			if (icmp_unreach(x) && ip_addr_eq(&x->src, &e->src) &&
			    ip_addr_eq(&x->dst, &e->dst)) {
				n++;
				last_ts = x->ts;
			}
		}
		char sb[IP_ADDR_STRLEN], db[IP_ADDR_STRLEN], fb[IP_ADDR_STRLEN];
		char what[80], mean[160], span[24], msg[1024], ex[64] = "";
		ip_addr_str(&e->src, sb);
		ip_addr_str(&e->dst, db);
		ip_addr_str(&e->from, fb);
		icmp_meaning(e, db, what, sizeof(what), mean, sizeof(mean));
		secs_str(last_ts - e->ts, span, sizeof(span));
		if (q0 != NULL)
			snprintf(ex, sizeof(ex), " (IKEv%u, first quoted message frame %llu)",
				 sa->version, (unsigned long long)q0->frame);
		char flow[2 * IP_ADDR_STRLEN + 32];
		if (e->proto == 50)
			snprintf(flow, sizeof(flow), "ESP datagram%s from %s to %s",
				 n == 1 ? "" : "s", sb, db);
		else
			snprintf(flow, sizeof(flow), "datagram%s from %s:%u to %s:%u",
				 n == 1 ? "" : "s", sb, e->sport, db, e->dport);
		snprintf(msg, sizeof(msg), "%s from %s quotes %s%u %s%s over %s s: %s", what, fb,
			 ev->nicmp == EVIDENCE_MAX ? "at least " : "", n, flow, ex, span, mean);
		struct finding *f = diag_raise(c->d, F_PORT_UNREACHABLE, CONF_CONFIRMED, "%s", msg);
		if (f == NULL)
			return;
		f->ike_version = sa ? sa->version : 0;
		f->initiator = e->src;
		f->responder = e->dst;
		for (uint16_t j = i; j < ev->nicmp; j++) {
			const struct icmp_ev *x = &ev->icmp[j];
			if (!icmp_unreach(x) || !ip_addr_eq(&x->src, &e->src) ||
			    !ip_addr_eq(&x->dst, &e->dst))
				continue;
			const struct ike_sa *s2 = NULL;
			const struct ike_rec *q = quoted_request(c, x, &s2);
			if (q != NULL)
				diag_add_frame(f, q->frame);
			diag_add_frame(f, x->frame);
		}
	}
}

/* An unreachable ICMP quoting a datagram from a to b (any IKE port, or ESP). */
static bool
icmp_explains(const struct diag_ctx *c, const struct ip_addr *a, const struct ip_addr *b)
{
	for (uint16_t i = 0; i < c->ev->nicmp; i++) {
		const struct icmp_ev *e = &c->ev->icmp[i];
		if (icmp_unreach(e) && ip_addr_eq(&e->src, a) && ip_addr_eq(&e->dst, b))
			return true;
	}
	return false;
}

/* Incomplete IP-fragmented datagrams whose IKE header names this SA. */
static bool
lost_of_sa(const struct lost_ev *e, const struct ike_sa *sa)
{
	return e->ike_header && memcmp(e->spi_i, sa->spi_i, 8) == 0 &&
	       ((ip_addr_eq(&e->src, &sa->initiator) && ip_addr_eq(&e->dst, &sa->responder)) ||
		(ip_addr_eq(&e->src, &sa->responder) && ip_addr_eq(&e->dst, &sa->initiator)));
}

static bool
sa_has_lost(const struct diag_ctx *c, const struct ike_sa *sa)
{
	for (uint16_t i = 0; i < c->ev->nlost; i++)
		if (lost_of_sa(&c->ev->lost[i], sa))
			return true;
	return false;
}

/*
 * Anything (IKE of any SA, or ESP) sent by from to to within [t0, t1].  from
 * and to are the peers of an IKE SA, so a pair of the index: only its SAs can
 * carry anything between them.
 */
static bool
heard_from(const struct diag_ctx *c, const struct ip_addr *from, const struct ip_addr *to,
	   uint64_t t0, uint64_t t1)
{
	const struct pair_index *x = c->pairs;
	uint32_t p = pair_find(x, from, to);
	if (p == PAIR_NONE)
		return false;
	for (uint32_t i = x->first_ike[p]; i != PAIR_NONE; i = x->ike_next[i]) {
		const struct ike_sa *sa = &c->ike->sa[i];
		for (uint16_t k = 0; k < sa->nmsgs; k++) {
			const struct ike_rec *r = &sa->msgs[k];
			if (r->ts >= t0 && r->ts <= t1 && ip_addr_eq(rec_src(sa, r), from) &&
			    ip_addr_eq(rec_dst(sa, r), to))
				return true;
		}
		/* Folded exchanges (both sides) in a run that overlaps [t0, t1]: taken as
		 * heard, which can only keep a finding back. */
		bool way = (ip_addr_eq(&sa->initiator, from) && ip_addr_eq(&sa->responder, to)) ||
			   (ip_addr_eq(&sa->responder, from) && ip_addr_eq(&sa->initiator, to));
		for (uint8_t n = 0; way && sa->fold && n < sa->fold->nruns; n++)
			if (sa->fold->run[n].first_ts <= t1 && sa->fold->run[n].last_ts >= t0)
				return true;
	}
	for (const struct esp_sa *e = pair_esp_first(x, p); e; e = pair_esp_next(x, e))
		if (ip_addr_eq(&e->src, from) && ip_addr_eq(&e->dst, to) && e->last_ts >= t0 &&
		    e->first_ts <= t1)
			return true;
	return false;
}

/* The exchange's name as the ladder prints it (RFC 7296 §3.1, RFC 2408 §4.6, RFC 2409 §5.5). */
static const char *
xchg_name(uint8_t version, uint8_t x, char *buf, size_t len)
{
	static const char *const v2[] = {"IKE_SA_INIT", "IKE_AUTH", "CREATE_CHILD_SA",
					 "INFORMATIONAL"};
	if (version == 2 && x >= IKEV2_X_IKE_SA_INIT && x <= IKEV2_X_INFORMATIONAL)
		return v2[x - 34];
	if (version == 2 && x == 43)
		return "IKE_INTERMEDIATE";
	if (version == 1 && x == 2)
		return "Main Mode";
	if (version == 1 && x == 4)
		return "Aggressive Mode";
	if (version == 1 && x == 5)
		return "Informational";
	if (version == 1 && x == 32)
		return "Quick Mode";
	snprintf(buf, len, "exchange %u", x);
	return buf;
}

static bool
first_request(const struct ike_sa *sa, const struct ike_rec *r)
{
	static const uint8_t zero[8];
	if (!r->from_i)
		return false;
	if (sa->version == 2)
		return r->exchange == IKEV2_X_IKE_SA_INIT && !r->response;
	return (r->exchange == IKEV1_X_MAIN || r->exchange == IKEV1_X_AGGRESSIVE) &&
	       !r->encrypted && memcmp(sa->spi_r, zero, 8) == 0;
}

/*
 * peer-unreachable: the initiator's first request (IKE_SA_INIT, or IKEv1 MM1
 * or AM1) sent at least twice, so the initiator waited and gave up waiting,
 * and nothing at all from the responder: no IKE message in any SA and no ESP
 * during the retransmissions (a peer that answers other SAs is reachable,
 * and its silence here is another failure, such as an IKE version it does not
 * speak), no ICMP error (that is port-unreachable), and no IP fragments
 * (fragments-dropped).  ikev2-peer-silent: frames 1-5 at 0, 1.0, 2.4, 4.4 and
 * 7.1 s, strongSwan's retransmission schedule.
 */
static void
rule_peer_unreachable(struct diag_ctx *c, const struct ike_sa *sa)
{
	if (sa->seen_r || sa->nmsgs == 0 || sa_has_lost(c, sa))
		return;
	unsigned n = 0;
	uint64_t t0 = 0, t1 = 0, prev = 0;
	char gaps[96] = "";
	size_t used = 0;
	for (uint16_t k = 0; k < sa->nmsgs; k++) {
		const struct ike_rec *r = &sa->msgs[k];
		if (!first_request(sa, r))
			continue;
		if (r->ip_fragmented)
			return;
		if (n == 0) {
			t0 = r->ts;
		} else if (used < sizeof(gaps) - 12) {
			char g[24];
			secs_str(r->ts - prev, g, sizeof(g));
			int w = snprintf(gaps + used, sizeof(gaps) - used, "%s%s",
					 n > 1 ? ", " : "", g);
			if (w > 0)
				used += (size_t)w;
		}
		prev = t1 = r->ts;
		n++;
	}
	if (n < 2 || icmp_explains(c, &sa->initiator, &sa->responder) ||
	    heard_from(c, &sa->responder, &sa->initiator, t0, t1))
		return;
	char ib[IP_ADDR_STRLEN], rb[IP_ADDR_STRLEN], span[24], msg[1024];
	ip_addr_str(&sa->initiator, ib);
	ip_addr_str(&sa->responder, rb);
	secs_str(t1 - t0, span, sizeof(span));
	const struct ike_rec *r0 = &sa->msgs[0];
	snprintf(msg, sizeof(msg),
		 "IKEv%u %s from %s to %s (UDP %u) was sent %u times over %s s (gaps %s s) and "
		 "nothing came back from %s, not even an ICMP error: the requests are dropped "
		 "on the path, or the peer is not at this address or has no tunnel for %s. "
		 "strongSwan stops with 'giving up after N retransmits'",
		 sa->version, sa->version == 2 ? "IKE_SA_INIT" : "first phase 1 message", ib, rb,
		 r0->dport, n, span, gaps, rb, ib);
	struct finding *f = path_raise(c, sa, F_PEER_UNREACHABLE, CONF_LIKELY, msg);
	if (f == NULL)
		return;
	for (uint16_t k = 0; k < sa->nmsgs; k++)
		if (first_request(sa, &sa->msgs[k]))
			diag_add_frame(f, sa->msgs[k].frame);
}

static bool
on_natt(const struct ike_rec *r)
{
	return r->sport == PATH_NATT_PORT || r->dport == PATH_NATT_PORT;
}

/*
 * nat-t-blocked: the responder answered on UDP 500, the initiator moved to
 * UDP 4500 (NAT detected, or MOBIKE which moves even without NAT, RFC 4555
 * §3.3), and from then on its requests are retransmitted and nothing comes
 * back: no IKE message and no ESP from the responder.  Requests sent as IP
 * fragments are left to fragments-dropped, an ICMP error to port-unreachable.
 * ikev2-nat-t-blocked: IKE_SA_INIT answered on 500 (frames 1-2), IKE_AUTH on
 * 4500 sent five times (frames 3-7, 288 bytes, not fragmented), no answer.
 */
static void
rule_nat_t_blocked(struct diag_ctx *c, const struct ike_sa *sa)
{
	int move = -1;
	bool answered_500 = false;
	for (uint16_t k = 0; k < sa->nmsgs && move < 0; k++) {
		const struct ike_rec *r = &sa->msgs[k];
		if (!r->from_i && !on_natt(r))
			answered_500 = true;
		if (r->from_i && on_natt(r))
			move = k;
	}
	if (move < 0 || !answered_500 || sa_has_lost(c, sa))
		return;
	/* Folded exchanges after the move: the responder answered there. */
	if (ike_fold_last_frame(sa) > sa->msgs[move].frame)
		return;
	unsigned sent = 0;
	bool retrans = false;
	for (uint16_t k = (uint16_t)move; k < sa->nmsgs; k++) {
		const struct ike_rec *r = &sa->msgs[k];
		if (!r->from_i)
			return; /* the responder answered after the move */
		if (r->ip_fragmented)
			return;
		if (!on_natt(r))
			continue;
		sent++;
		if (r->retrans_of >= 0)
			retrans = true;
	}
	const struct ike_rec *m = &sa->msgs[move];
	if (!retrans || sent < 2 ||
	    heard_from(c, &sa->responder, &sa->initiator, m->ts, UINT64_MAX))
		return;
	for (uint16_t i = 0; i < c->ev->nicmp; i++) {
		const struct icmp_ev *e = &c->ev->icmp[i];
		if (icmp_unreach(e) && ip_addr_eq(&e->src, &sa->initiator) &&
		    ip_addr_eq(&e->dst, &sa->responder) && e->dport == PATH_NATT_PORT)
			return;
	}
	char ib[IP_ADDR_STRLEN], rb[IP_ADDR_STRLEN], span[24], msg[1024], xb[24];
	ip_addr_str(&sa->initiator, ib);
	ip_addr_str(&sa->responder, rb);
	secs_str(sa->msgs[sa->nmsgs - 1].ts - m->ts, span, sizeof(span));
	const char *why = sa->initiator_behind_nat || sa->responder_behind_nat
			      ? "NAT was detected"
			      : "no NAT was detected: MOBIKE or a configured port move";
	snprintf(msg, sizeof(msg),
		 "IKEv%u between %s and %s: the responder answered on UDP 500, then the "
		 "initiator moved to UDP 4500 (%s) and its %s there was sent %u times over %s "
		 "s (not IP-fragmented) with no answer at all: UDP 4500 is dropped on the "
		 "path%s",
		 sa->version, ib, rb, why, xchg_name(sa->version, m->exchange, xb, sizeof(xb)),
		 sent, span,
		 sa->version == 1 ? "; an IKEv1 responder that cannot decrypt the first "
				    "encrypted message (pre-shared keys differ) can be as silent"
				  : "");
	struct finding *f = path_raise(c, sa, F_NAT_T_BLOCKED, CONF_LIKELY, msg);
	if (f == NULL)
		return;
	for (uint16_t k = 0; k < sa->nmsgs; k++)
		if (!sa->msgs[k].from_i && !on_natt(&sa->msgs[k]) && k < move)
			diag_add_frame(f, sa->msgs[k].frame);
	for (uint16_t k = (uint16_t)move; k < sa->nmsgs; k++)
		diag_add_frame(f, sa->msgs[k].frame);
}

/* Was the capability exchange (IKE_SA_INIT, or IKEv1 MM1/MM2, AM1/AM2) seen from both sides? */
static bool
caps_seen(const struct ike_sa *sa)
{
	bool i = false, r = false;
	for (uint16_t k = 0; k < sa->nmsgs; k++) {
		const struct ike_rec *x = &sa->msgs[k];
		bool first = sa->version == 2 ? x->exchange == IKEV2_X_IKE_SA_INIT
					      : (x->exchange == IKEV1_X_MAIN ||
						 x->exchange == IKEV1_X_AGGRESSIVE) &&
						    !x->encrypted;
		if (!first)
			continue;
		if (x->from_i)
			i = true;
		else
			r = true;
	}
	return i && r;
}

static const char *
frag_missing_side(const struct ike_sa *sa, const char *ib, const char *rb, char *buf, size_t len)
{
	if (!sa->frag_i && !sa->frag_r)
		snprintf(buf, len, "neither %s nor %s announced IKE fragmentation", ib, rb);
	else
		snprintf(buf, len, "%s did not announce IKE fragmentation", sa->frag_i ? rb : ib);
	return buf;
}

/*
 * fragments-dropped: an IKE request that went out as IP fragments (rebuilt
 * here, or left incomplete: the lost-datagram evidence whose IKE header names
 * the SA) sent at least twice and never answered, while IKE fragmentation,
 * which would have kept every datagram under the MTU, was not agreed by both
 * sides.  ikev2-fragments-dropped: the 3552-byte IKE_AUTH request in three IP
 * fragments five times (frames 5, 8, 11, 14, 17), no response, neither side
 * announced IKEV2_FRAGMENTATION_SUPPORTED.
 */
static void
rule_fragments_dropped(struct diag_ctx *c, const struct ike_sa *sa)
{
	if (sa->frag_i && sa->frag_r)
		return;
	for (uint16_t k = 0; k < sa->nmsgs; k++) {
		const struct ike_rec *r = &sa->msgs[k];
		if (r->retrans_of >= 0 || (sa->version == 2 && r->response))
			continue;
		/* This message's transmissions: rebuilt ones and lost ones with its ID. */
		unsigned sent = 0, frag = 0;
		for (uint16_t j = k; j < sa->nmsgs; j++) {
			const struct ike_rec *x = &sa->msgs[j];
			if (j == k || x->retrans_of == (int16_t)k) {
				sent++;
				frag += x->ip_fragmented;
			}
		}
		for (uint16_t i = 0; i < c->ev->nlost; i++) {
			const struct lost_ev *e = &c->ev->lost[i];
			if (lost_of_sa(e, sa) && e->msgid == r->msgid &&
			    e->exchange == r->exchange && ip_addr_eq(&e->src, rec_src(sa, r))) {
				sent++;
				frag++;
			}
		}
		if (frag == 0 || sent < 2)
			continue;
		/* Answered: IKEv2 a response with its message ID; IKEv1 anything back after it. */
		bool answered = false;
		for (uint16_t j = (uint16_t)(k + 1); j < sa->nmsgs && !answered; j++) {
			const struct ike_rec *x = &sa->msgs[j];
			if (x->from_i == r->from_i)
				continue;
			answered = sa->version == 2 ? x->response && x->msgid == r->msgid : true;
		}
		/* IKEv1: a folded message from the other side after it (track/ike_fold.c). */
		if (sa->version == 1 && ike_fold_side_last(sa, !r->from_i) > r->frame)
			answered = true;
		if (answered)
			continue;
		char ib[IP_ADDR_STRLEN], rb[IP_ADDR_STRLEN], side[256] = "", msg[1024];
		ip_addr_str(rec_src(sa, r), ib);
		ip_addr_str(rec_dst(sa, r), rb);
		char si[IP_ADDR_STRLEN], sr[IP_ADDR_STRLEN];
		ip_addr_str(&sa->initiator, si);
		ip_addr_str(&sa->responder, sr);
		if (caps_seen(sa)) {
			char b[192];
			snprintf(side, sizeof(side), "; %s, so the message could not be split",
				 frag_missing_side(sa, si, sr, b, sizeof(b)));
		}
		char xb[24];
		snprintf(msg, sizeof(msg),
			 "IKEv%u %s%s #%u (%u bytes) from %s to %s went out as IP fragments %u "
			 "times and was never answered: the path drops IP fragments%s",
			 sa->version, xchg_name(sa->version, r->exchange, xb, sizeof(xb)),
			 sa->version == 2 ? " request" : " message", r->msgid, r->len, ib, rb, sent,
			 side);
		struct finding *f = path_raise(c, sa, F_FRAGMENTS_DROPPED, CONF_LIKELY, msg);
		if (f == NULL)
			return;
		for (uint16_t j = k; j < sa->nmsgs; j++)
			if (j == k || sa->msgs[j].retrans_of == (int16_t)k)
				diag_add_frame(f, sa->msgs[j].frame);
		for (uint16_t i = 0; i < c->ev->nlost; i++) {
			const struct lost_ev *e = &c->ev->lost[i];
			if (lost_of_sa(e, sa) && e->msgid == r->msgid && e->nframes)
				diag_add_frame(f, e->frames[0]);
		}
		return;
	}
}

/*
 * ike-fragmentation-missing: a message that IKE fragmentation could have split
 * (IKEv2: any but IKE_SA_INIT, RFC 7383 §2.5; IKEv1: encrypted ones) whose IP
 * datagram exceeds PATH_MTU_USUAL, while the capability exchange, seen from
 * both sides, shows a side without the announcement.  Confirmed: both facts
 * are on the wire.  Lost fragmented datagrams of the SA count as large.
 */
static bool
frag_missing_applies(const struct ike_sa *sa)
{
	return !(sa->frag_i && sa->frag_r) && caps_seen(sa);
}

static bool
same_tunnel(const struct ike_sa *a, const struct ike_sa *b)
{
	return a->version == b->version && ip_addr_eq(&a->initiator, &b->initiator) &&
	       ip_addr_eq(&a->responder, &b->responder) && a->frag_i == b->frag_i &&
	       a->frag_r == b->frag_r;
}

/* Large messages of one SA: counted into *n, the biggest IP size into *max, frames kept. */
static void
frag_missing_collect(const struct diag_ctx *c, const struct ike_sa *sa, unsigned *n, unsigned *max,
		     uint64_t *frames, size_t cap)
{
	unsigned ip_hdr = sa->initiator.family == 6 ? 40 : 20;
	for (uint16_t k = 0; k < sa->nmsgs; k++) {
		const struct ike_rec *r = &sa->msgs[k];
		bool splittable =
		    sa->version == 2 ? r->exchange != IKEV2_X_IKE_SA_INIT : r->encrypted;
		unsigned size = r->len + 8 + ip_hdr + (on_natt(r) ? 4 : 0);
		if (!splittable || size <= PATH_MTU_USUAL)
			continue;
		if (*n < cap)
			frames[*n] = r->frame;
		(*n)++;
		if (size > *max)
			*max = size;
	}
	for (uint16_t i = 0; i < c->ev->nlost; i++) {
		const struct lost_ev *e = &c->ev->lost[i];
		if (!lost_of_sa(e, sa) || e->nframes == 0)
			continue;
		if (*n < cap)
			frames[*n] = e->frames[0];
		(*n)++;
	}
}

/*
 * One finding per tunnel (initiator, responder, IKE version): Wireshark's
 * ipsec.cap holds 61 IKE SAs between two pairs of peers (45 and 16), each with
 * one 1356-byte IKE_AUTH request; one warning per pair says it once.
 */
/*
 * The SAs frag_missing_applies to, grouped by tunnel once per run (sorting: a
 * scan of the table per SA was quadratic, and raised the finding again for
 * every SA before the first one with large messages).  next[i]: the next SA of
 * i's tunnel in table order, FM_END after the last; head[i]: i is its first.
 */
#define FM_END UINT32_MAX
struct fm_groups {
	uint32_t *next;
	bool *head;
};

static int
fm_cmp_tunnel(const struct ike_sa *a, const struct ike_sa *b)
{
	int c = (a->version > b->version) - (a->version < b->version);
	if (c == 0)
		c = ip_addr_cmp(&a->initiator, &b->initiator);
	if (c == 0)
		c = ip_addr_cmp(&a->responder, &b->responder);
	if (c == 0)
		c = (a->frag_i > b->frag_i) - (a->frag_i < b->frag_i);
	if (c == 0)
		c = (a->frag_r > b->frag_r) - (a->frag_r < b->frag_r);
	return c;
}

struct fm_key {
	const struct ike_sa *sa;
	uint32_t i;
};

static int
fm_cmp(const void *x, const void *y)
{
	const struct fm_key *a = x, *b = y;
	int c = fm_cmp_tunnel(a->sa, b->sa);
	return c ? c : (a->i > b->i) - (a->i < b->i);
}

static void
fm_groups_build(const struct ike_table *t, struct fm_groups *g)
{
	uint32_t n = t->n, m = 0;
	g->next = xcalloc(n ? n : 1, sizeof(*g->next));
	g->head = xcalloc(n ? n : 1, sizeof(*g->head));
	struct fm_key *v = xcalloc(n ? n : 1, sizeof(*v));
	for (uint32_t i = 0; i < n; i++)
		if ((t->sa[i].version == 1 || t->sa[i].version == 2) &&
		    frag_missing_applies(&t->sa[i]))
			v[m++] = (struct fm_key){&t->sa[i], i};
	qsort(v, m, sizeof(*v), fm_cmp);
	for (uint32_t k = 0; k < m; k++) {
		g->head[v[k].i] = k == 0 || !same_tunnel(v[k - 1].sa, v[k].sa);
		g->next[v[k].i] =
		    k + 1 < m && same_tunnel(v[k + 1].sa, v[k].sa) ? v[k + 1].i : FM_END;
	}
	free(v);
}

static void
fm_groups_free(struct fm_groups *g)
{
	free(g->next);
	free(g->head);
}

static void
rule_frag_missing(struct diag_ctx *c, const struct fm_groups *g, uint32_t idx)
{
	const struct ike_table *t = c->ike;
	const struct ike_sa *sa = &t->sa[idx];
	/* Raised once, with the tunnel's first SA. */
	if (!g->head[idx])
		return;
	unsigned n = 0, max = 0, nsa = 0;
	uint64_t frames[FINDING_MAX_FRAMES];
	for (uint32_t j = idx; j != FM_END; j = g->next[j]) {
		unsigned before = n;
		frag_missing_collect(c, &t->sa[j], &n, &max, frames, ARRAY_LEN(frames));
		if (n != before)
			nsa++;
	}
	if (n == 0)
		return;
	char ib[IP_ADDR_STRLEN], rb[IP_ADDR_STRLEN], side[256], msg[1024], big[64] = "";
	char sas[32] = "";
	ip_addr_str(&sa->initiator, ib);
	ip_addr_str(&sa->responder, rb);
	if (max)
		snprintf(big, sizeof(big), " (up to %u bytes of IP)", max);
	if (nsa > 1)
		snprintf(sas, sizeof(sas), " in %u IKE SAs", nsa);
	snprintf(msg, sizeof(msg),
		 "IKEv%u between %s and %s: %u message%s%s larger than a %u-byte path MTU%s, "
		 "and %s in %s: such messages travel as IP fragments, which many paths drop",
		 sa->version, ib, rb, n, n == 1 ? "" : "s", sas, PATH_MTU_USUAL, big,
		 frag_missing_side(sa, ib, rb, side, sizeof(side)),
		 sa->version == 2 ? "IKE_SA_INIT" : "its vendor IDs");
	struct finding *f = path_raise(c, sa, F_IKE_FRAGMENTATION_MISSING, CONF_CONFIRMED, msg);
	if (f == NULL)
		return;
	for (unsigned i = 0; i < n && i < ARRAY_LEN(frames); i++)
		diag_add_frame(f, frames[i]);
	if (n > ARRAY_LEN(frames))
		f->more_frames += n - ARRAY_LEN(frames);
}

void
diag_rule_path(struct diag_ctx *c)
{
	rule_port_unreachable(c);
	const struct ike_table *t = c->ike;
	struct fm_groups g;
	fm_groups_build(t, &g);
	for (uint32_t i = 0; i < t->n; i++) {
		const struct ike_sa *sa = &t->sa[i];
		if (sa->version != 1 && sa->version != 2)
			continue;
		rule_peer_unreachable(c, sa);
		rule_nat_t_blocked(c, sa);
		rule_fragments_dropped(c, sa);
		rule_frag_missing(c, &g, i);
	}
	fm_groups_free(&g);
}
