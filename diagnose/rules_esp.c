/*
 * ESP data-plane rules (RFC 4303 §2.2 and §3.4.3, RFC 3948): one-way ESP on an
 * established tunnel, sequence numbers that skip or repeat, and CHILD SAs torn
 * down after a long idle period.  ESP SAs are tied to IKE SAs by their
 * addresses: an ESP SA between the initiator and the responder of an IKE SA
 * of this capture belongs to that tunnel.  The IKE families ran before (see
 * diag_run), so ike_sa.state is set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/pairs.h"
#include "diagnose/rules.h"

/*
 * esp-one-way: the direction that flows must show at least this many packets,
 * and the capture must go on at least this long after its first one, before
 * the silence of the other direction means anything.  Calibration:
 * ikev2-esp-one-way has 6 packets from 192.0.2.1 over 1.59 s and none back;
 * in every success sample the first answer follows the first packet within
 * 0.5 ms (ikev1-main-success 0.38 ms, ikev2-success-aes-cbc likewise), so a
 * second leaves room for any round trip on the Internet while still firing on
 * that sample with half its packets.
 */
#define ESP_ONE_WAY_MIN_PACKETS 3
#define ESP_ONE_WAY_MIN_USEC	1000000ULL

/*
 * idle-teardown: the tunnel carried no ESP for at least this long before the
 * Informational (the Delete).  Policy-based Azure gateways destroy a tunnel
 * whose traffic has been idle for more than 5 minutes and rebuild it as soon
 * as traffic flows again (the Azure VPN gateway FAQ, seeds/004); the Delete
 * therefore comes no earlier than 300 s after the last packet the gateway saw.
 * 10 s less allows for the capture point sitting elsewhere on the path and for
 * the gateway's timer granularity.  No sample is that long, so none can fire.
 */
#define IDLE_TEARDOWN_MIN_USEC (290ULL * 1000000ULL)
/* The idle rule's reading of folded runs needs idle times longer than their gaps. */
_Static_assert(IKE_FOLD_GAP_USEC <= IDLE_TEARDOWN_MIN_USEC, "fold gap above the idle threshold");

/* Per pair: one of its IKE SAs is established (the IKE families have set the states). */
static bool *
pairs_established(const struct pair_index *x, const struct ike_table *t)
{
	bool *up = xcalloc(x->npairs ? x->npairs : 1, sizeof(*up));
	for (uint32_t i = 0; i < t->n; i++)
		if (t->sa[i].state == SA_ESTABLISHED)
			up[x->ike_pair[i]] = true;
	return up;
}

/* The first IKE message the peer `who` sent on pair p after frame `after`, or 0. */
static uint64_t
silent_side_talked(const struct ike_table *t, const struct pair_index *x, uint32_t p,
		   const struct ip_addr *who, uint64_t after)
{
	uint64_t best = 0;
	for (uint32_t j = x->first_ike[p]; j != PAIR_NONE; j = x->ike_next[j]) {
		const struct ike_sa *sa = &t->sa[j];
		for (uint16_t k = 0; k < sa->nmsgs; k++) {
			const struct ike_rec *r = &sa->msgs[k];
			const struct ip_addr *src = r->from_i ? &sa->initiator : &sa->responder;
			if (r->frame > after && ip_addr_eq(src, who) &&
			    (best == 0 || r->frame < best))
				best = r->frame;
		}
		/* Folded messages: a run's first from that side, or (when the run began
		 * before `after`) its last, which is later than the first one after it. */
		for (uint8_t n = 0; sa->fold && n < sa->fold->nruns; n++) {
			const struct ike_fold_run *run = &sa->fold->run[n];
			for (int s = 0; s < 2; s++) {
				const struct ip_addr *src = s ? &sa->initiator : &sa->responder;
				uint64_t fr = run->side_first[s] > after ? run->side_first[s]
									 : run->side_last[s];
				if (fr > after && ip_addr_eq(src, who) && (best == 0 || fr < best))
					best = fr;
			}
		}
	}
	return best;
}

/*
 * esp-one-way: an established tunnel whose ESP, over the whole capture after
 * its first ESP packet, goes from one peer to the other only.  The IKE SA
 * being up (both sides talked) rules out a capture point that sees one
 * direction only.  Thresholds above; the time one is waived when the silent
 * peer sent IKE messages after the first ESP packet (it was there and had
 * time to answer: conformance capture tcpdump isakmp4500, whose timestamps
 * are all zero, shows 8 ESP packets one way while the other side resends QM2).
 */
static void
esp_rule_one_way(struct diag_ctx *c, const struct pair_index *x, const bool *established)
{
	const struct ike_table *t = c->ike;
	for (uint32_t i = 0; i < t->n; i++) {
		const struct ike_sa *sa = &t->sa[i];
		uint32_t p = x->ike_pair[i];
		if (!pair_first_ike(x, i) || !established[p])
			continue;
		/* Per direction: packets, first time, and the SAs that carried them. */
		uint64_t pk[2] = {0, 0}, first[2] = {UINT64_MAX, UINT64_MAX};
		uint64_t first_frame[2] = {UINT64_MAX, UINT64_MAX};
		for (const struct esp_sa *e = pair_esp_first(x, p); e; e = pair_esp_next(x, e)) {
			int dir = ip_addr_eq(&e->src, &sa->initiator) ? 0 : 1;
			pk[dir] += e->packets;
			if (e->first_ts < first[dir])
				first[dir] = e->first_ts;
			if (e->first_frame < first_frame[dir])
				first_frame[dir] = e->first_frame;
		}
		int dir;
		if (pk[0] > 0 && pk[1] == 0)
			dir = 0;
		else if (pk[1] > 0 && pk[0] == 0)
			dir = 1;
		else
			continue;
		const struct ip_addr *from = dir == 0 ? &sa->initiator : &sa->responder;
		const struct ip_addr *to = dir == 0 ? &sa->responder : &sa->initiator;
		uint64_t talk = silent_side_talked(t, x, p, to, first_frame[dir]);
		if (pk[dir] < ESP_ONE_WAY_MIN_PACKETS ||
		    (talk == 0 &&
		     (c->last_ts < first[dir] || c->last_ts - first[dir] < ESP_ONE_WAY_MIN_USEC)))
			continue;
		char fb[IP_ADDR_STRLEN], tb[IP_ADDR_STRLEN], spis[64] = "";
		ip_addr_str(from, fb);
		ip_addr_str(to, tb);
		unsigned nspi = 0;
		bool udp = false;
		for (const struct esp_sa *e = pair_esp_first(x, p); e; e = pair_esp_next(x, e)) {
			if (!ip_addr_eq(&e->src, from) || !ip_addr_eq(&e->dst, to))
				continue;
			udp |= e->encap == ENCAP_UDP;
			if (nspi++ == 0)
				snprintf(spis, sizeof(spis), "0x%08x", e->spi);
		}
		char span[48] = "", said[IP_ADDR_STRLEN + 64] = "";
		if (c->last_ts > first[dir])
			snprintf(span, sizeof(span), " over %.1f s",
				 (double)(c->last_ts - first[dir]) / 1e6);
		if (talk != 0)
			snprintf(said, sizeof(said), ", though %s kept sending IKE (frame %llu)",
				 tb, (unsigned long long)talk);
		struct finding *f = diag_raise(
		    c->d, F_ESP_ONE_WAY, CONF_LIKELY,
		    "IKEv%u tunnel between %s and %s is established, but ESP went only from %s to "
		    "%s: %llu packets on SPI %s%s%s, none back from %s%s. Something between %s and "
		    "the capture point drops its ESP (%s), or %s does not route the return traffic "
		    "into the tunnel.",
		    sa->version, fb, tb, fb, tb, (unsigned long long)pk[dir], spis,
		    nspi > 1 ? " and others" : "", span, tb, said, tb,
		    udp ? "UDP 4500, ESP in UDP" : "IP protocol 50", tb);
		if (f == NULL)
			return;
		f->ike_version = sa->version;
		f->initiator = sa->initiator;
		f->responder = sa->responder;
		diag_add_frame(f, sa->last_frame);
		if (talk != 0)
			diag_add_frame(f, talk);
		for (const struct esp_sa *e = pair_esp_first(x, p); e; e = pair_esp_next(x, e)) {
			if (ip_addr_eq(&e->src, from) && ip_addr_eq(&e->dst, to)) {
				diag_add_frame(f, e->first_frame);
				diag_add_frame(f, e->last_frame);
			}
		}
	}
}

/* The finding's peers: those of the first IKE SA between the ESP SA's peers, if any. */
static void
esp_peers(struct finding *f, const struct ike_table *t, const struct pair_index *x, uint32_t p,
	  const struct esp_sa *e)
{
	if (p != PAIR_NONE) {
		const struct ike_sa *sa = &t->sa[x->first_ike[p]];
		f->ike_version = sa->version;
		f->initiator = sa->initiator;
		f->responder = sa->responder;
	} else {
		f->initiator = e->src;
		f->responder = e->dst;
	}
}

/*
 * esp-seq-gap and esp-replay, per ESP SA (distinct objects: one finding
 * each).  The sequence number is in clear (RFC 4303 §2.2) and the tracker
 * checks it against a 64-number window like a receiver (§3.4.3): a number
 * skipped and never seen late is a gap, a number seen twice (or older than the
 * window) a replay.  These are facts seen on the wire, so confirmed; any
 * count fires (one lost packet is already loss).  The cause is a reading: the
 * catalog's is loss before the capture point, and the message names the
 * capture's own drops (a gap) and a capture that sees each packet twice (a
 * replay) as the alternatives.  No sample has either.
 */
static void
esp_rule_seq(struct diag_ctx *c, const struct pair_index *x)
{
	const struct esp_table *t = c->esp;
	size_t nes = t->n;
	struct esp_sa **es = esp_table_in_order(t) ? NULL : esp_table_sorted(t, &nes);
	for (size_t k = 0; k < nes; k++) {
		const struct esp_sa *e = es ? es[k] : &t->sa[k];
		const struct esp_sa_ext *q = esp_sa_ext(e);
		if (q->seq_gaps == 0 && q->replays == 0)
			continue;
		char sb[IP_ADDR_STRLEN], db[IP_ADDR_STRLEN];
		ip_addr_str(&e->src, sb);
		ip_addr_str(&e->dst, db);
		if (q->seq_gaps > 0) {
			struct finding *f = diag_raise(
			    c->d, F_ESP_SEQ_GAP, CONF_CONFIRMED,
			    "ESP SA 0x%08x from %s to %s: %llu sequence number%s skipped over %llu "
			    "packets (first gap at frame %llu, highest number %u): the packets "
			    "were "
			    "lost between %s and the capture point, or the capture itself dropped "
			    "them (check its drop count).",
			    e->spi, sb, db, (unsigned long long)q->seq_gaps,
			    q->seq_gaps > 1 ? "s" : "", (unsigned long long)e->packets,
			    (unsigned long long)q->gap_frame, e->max_seq, sb);
			if (f == NULL)
				goto out;
			esp_peers(f, c->ike, x, pair_find(x, &e->src, &e->dst), e);
			diag_add_frame(f, q->gap_frame);
		}
		if (q->replays > 0) {
			struct finding *f = diag_raise(
			    c->d, F_ESP_REPLAY, CONF_CONFIRMED,
			    "ESP SA 0x%08x from %s to %s: %llu of %llu packets repeat a sequence "
			    "number already seen or fall behind the 64-packet replay window (first "
			    "at "
			    "frame %llu): %s drops them. A device on the path duplicates packets, "
			    "two "
			    "senders share the SA, or the capture saw each packet twice (capturing "
			    "on "
			    "'any' or on both sides of a bridge).",
			    e->spi, sb, db, (unsigned long long)q->replays,
			    (unsigned long long)e->packets, (unsigned long long)q->replay_frame,
			    db);
			if (f == NULL)
				goto out;
			esp_peers(f, c->ike, x, pair_find(x, &e->src, &e->dst), e);
			diag_add_frame(f, q->replay_frame);
		}
	}
out:
	free(es);
}

static bool
is_new_negotiation(uint8_t version, uint8_t x)
{
	if (version == 1)
		return x == IKEV1_X_MAIN || x == IKEV1_X_AGGRESSIVE || x == IKEV1_X_QUICK;
	return x == IKEV2_X_IKE_SA_INIT || x == IKEV2_X_CREATE_CHILD_SA;
}

static bool
is_info(uint8_t version, uint8_t x)
{
	return version == 1 ? x == IKEV1_X_INFO : x == IKEV2_X_INFORMATIONAL;
}

/*
 * idle-teardown: between one pair of peers, an Informational (the Delete)
 * that comes after the tunnel carried no ESP for IDLE_TEARDOWN_MIN_USEC, with
 * no other IKE message in that idle time, and is followed by a new negotiation
 * (main/aggressive/quick mode, IKE_SA_INIT, CREATE_CHILD_SA) or by ESP on new
 * SPIs.  Conservative on purpose: no ESP SA may span the Informational (the
 * old SAs all ended before it, the new ones all begin after), and a tunnel
 * whose DPD runs during the idle time (an Informational before the threshold)
 * or that rekeys before the Delete is left alone.  One finding per pair.
 */
static void
esp_rule_idle(struct diag_ctx *c, const struct pair_index *x)
{
	const struct ike_table *t = c->ike;
	for (uint32_t i = 0; i < t->n; i++) {
		if (!pair_first_ike(x, i))
			continue;
		const struct ike_sa *pair = &t->sa[i];
		uint32_t p = x->ike_pair[i];
		for (uint32_t j = i; j != PAIR_NONE; j = x->ike_next[j]) {
			const struct ike_sa *sa = &t->sa[j];
			for (uint16_t m = 0; m < sa->nmsgs; m++) {
				const struct ike_rec *info = &sa->msgs[m];
				if (!is_info(sa->version, info->exchange))
					continue;
				uint64_t ti = info->ts, tstop = 0;
				const struct esp_sa *last = NULL, *fresh = NULL;
				bool span = false;
				for (const struct esp_sa *e = pair_esp_first(x, p); e && !span;
				     e = pair_esp_next(x, e)) {
					if (e->last_ts < ti) {
						if (last == NULL || e->last_ts > tstop) {
							tstop = e->last_ts;
							last = e;
						}
					} else if (e->first_ts > ti) {
						if (fresh == NULL)
							fresh = e;
					} else {
						span = true;
					}
				}
				if (span || last == NULL || ti - tstop < IDLE_TEARDOWN_MIN_USEC)
					continue;
				/* Nothing of IKE in the idle time; a new negotiation after it. */
				bool quiet = true;
				uint64_t renew_ts = 0, renew_frame = 0;
				for (uint32_t s = i; s != PAIR_NONE && quiet; s = x->ike_next[s]) {
					const struct ike_sa *o = &t->sa[s];
					for (uint16_t q = 0; q < o->nmsgs; q++) {
						const struct ike_rec *r = &o->msgs[q];
						if (r->ts > tstop && r->ts < ti) {
							quiet = false;
							break;
						}
						if (r->ts > ti &&
						    is_new_negotiation(o->version, r->exchange) &&
						    (renew_frame == 0 || r->ts < renew_ts)) {
							renew_ts = r->ts;
							renew_frame = r->frame;
						}
					}
					/*
					 * Folded exchanges (track/ike_fold.c): a run that
					 * overlaps the idle time has a message in it (the
					 * idle time is longer than the gaps in a run); a
					 * run that starts at the Informational's time is
					 * not told apart and makes it not quiet.  A run
					 * after it offers its first rekey.
					 */
					for (uint8_t n = 0; quiet && o->fold && n < o->fold->nruns;
					     n++) {
						const struct ike_fold_run *run = &o->fold->run[n];
						if (run->last_ts <= tstop)
							continue;
						if (run->first_ts <= ti) {
							quiet = false;
							break;
						}
						if (run->neg_frame &&
						    (renew_frame == 0 || run->neg_ts < renew_ts)) {
							renew_ts = run->neg_ts;
							renew_frame = run->neg_frame;
						}
					}
				}
				if (!quiet || (renew_frame == 0 && fresh == NULL))
					continue;
				/* Name whichever came first: the negotiation or the new ESP. */
				bool by_ike = renew_frame != 0 &&
					      (fresh == NULL || renew_frame < fresh->first_frame);
				char ab[IP_ADDR_STRLEN], bb[IP_ADDR_STRLEN];
				ip_addr_str(&pair->initiator, ab);
				ip_addr_str(&pair->responder, bb);
				struct finding *f = diag_raise(
				    c->d, F_IDLE_TEARDOWN, CONF_LIKELY,
				    "IKEv%u tunnel between %s and %s: ESP stopped (last packet "
				    "frame %llu, "
				    "SPI 0x%08x), %.0f s later with nothing in between an "
				    "Informational "
				    "(frame %llu) deleted it, then %s (frame %llu) rebuilt it: a "
				    "gateway "
				    "closing idle tunnels, as policy-based cloud gateways do after "
				    "about 5 "
				    "minutes.",
				    sa->version, ab, bb, (unsigned long long)last->last_frame,
				    last->spi, (double)(ti - tstop) / 1e6,
				    (unsigned long long)info->frame,
				    by_ike ? "a new negotiation" : "ESP on new SPIs",
				    (unsigned long long)(by_ike ? renew_frame
								: fresh->first_frame));
				if (f == NULL)
					return;
				f->ike_version = sa->version;
				f->initiator = pair->initiator;
				f->responder = pair->responder;
				diag_add_frame(f, last->last_frame);
				diag_add_frame(f, info->frame);
				if (renew_frame != 0)
					diag_add_frame(f, renew_frame);
				if (fresh != NULL)
					diag_add_frame(f, fresh->first_frame);
				goto next_pair;
			}
		}
	next_pair:;
	}
}

void
diag_rule_esp(struct diag_ctx *c)
{
	bool *established = pairs_established(c->pairs, c->ike);
	esp_rule_one_way(c, c->pairs, established);
	esp_rule_seq(c, c->pairs);
	esp_rule_idle(c, c->pairs);
	free(established);
}
