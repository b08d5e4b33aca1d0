/* The pipeline driver (see pipeline.h). */
#include <stdlib.h>
#include <string.h>

#include "cli/pipeline.h"
#include "crypto/natd.h"
#include "diagnose/rules.h"

static void
analysis_lost_ike_fragments(void *ctx, const struct ike_frag_msg *m)
{
	struct analysis *a = ctx;
	a->sum.ike_frag_incomplete++;
	report_lost_ike_fragments(&a->rep, m);
}

void
analysis_init(struct analysis *a, const struct report *rep)
{
	memset(a, 0, sizeof(*a));
	a->rep = *rep;
	esp_table_init(&a->esp, ESP_SA_CAP);
	ike_table_init(&a->ike, IKE_SA_CAP);
	ike_frag_init(&a->frag, analysis_lost_ike_fragments, a);
	diag_init(&a->diag);
	diag_init(&a->pkt_findings);
}

void
analysis_free(struct analysis *a)
{
	esp_table_free(&a->esp);
	ike_table_free(&a->ike);
	ike_frag_free(&a->frag);
	ikev1_ctx_free(a->v1ctx);
	ikev2_ctx_free(a->v2ctx);
	esp_dec_free(a->espdec);
	free(a->plain);
	diag_free(&a->diag);
	diag_free(&a->pkt_findings);
}

void
analysis_set_keys(struct analysis *a, const struct keyring *k, const uint8_t *psk, size_t psk_len)
{
	a->keys = k && !keyring_empty(k) ? k : NULL;
	a->psk = psk;
	a->psk_len = psk_len;
	if (a->keys == NULL && psk == NULL)
		return;
	a->v1ctx = ikev1_ctx_new();
	a->v2ctx = ikev2_ctx_new();
	/* a->espdec (an OpenSSL library context of its own: costly) comes with the first ESP. */
	a->plain = xcalloc(CRYPTO_MAX_PLAIN, 1);
}

/*
 * With keys: decrypts the SK/SKF payload (IKEv2) or the whole message (IKEv1)
 * and parses the inner payloads into m.  IKEv2 SKF fragments are decrypted one
 * by one (RFC 7383 §2.6); the message they make is parsed on the last one.
 */
static bool
analysis_decrypt(struct analysis *a, struct ike_sa *sa, const struct pkt *p, struct ike_msg *m,
		 bool from_i)
{
	a->plain_len = 0;
	if (m->version == 1 && a->v1ctx)
		ikev1_observe(a->v1ctx, m, from_i);
	if (a->keys == NULL)
		return false;
	size_t len = 0;
	enum dec_result r = DEC_NO_KEYS;
	uint8_t first = 0;
	if (m->version == 2 && m->nclear &&
	    (m->payloads[m->nclear - 1] == IKEV2_P_SK ||
	     m->payloads[m->nclear - 1] == IKEV2_P_SKF)) {
		const struct ikev2_keys *k = keyring_ikev2(a->keys, m->spi_i, m->spi_r);
		if (k == NULL)
			return false;
		r = ikev2_decrypt(k, m, from_i, a->plain, CRYPTO_MAX_PLAIN, &len);
		first = m->sk_first_inner;
	} else if (m->version == 1 && m->encrypted) {
		const struct ikev1_keys *k = keyring_ikev1(a->keys, m->spi_i);
		if (k == NULL)
			return false;
		r = ikev1_decrypt(a->v1ctx, k, m, from_i, a->plain, CRYPTO_MAX_PLAIN, &len);
		first = m->first_payload;
	} else {
		return false;
	}
	sa->keys_found = true;
	if (r != DEC_OK) {
		m->decrypt_failed = true;
		sa->dec_fail++;
		sa->dec_fail_result = (uint8_t)r;
		ike_sa_add_evidence(sa->dec_fail_frames, &sa->ndec_fail_frames, p->fr->num);
		return true;
	}
	/* A fragment's plaintext is a piece of the message: parsed once all are in. */
	if (m->version == 2 && m->frag_total > 1) {
		sa->dec_ok++;
		a->plain_len = len;
		m->decrypted = true;
		return true;
	}
	/*
	 * An integrity check passed with a wrong encryption key still yields
	 * garbage: a chain that does not parse is a failed decryption too.
	 */
	struct ike_msg_marks mk = ike_msg_mark(m);
	ike_parse_inner(m, a->plain, len, first);
	if (m->malformed && !mk.malformed) {
		ike_msg_rollback(m, &mk);
		m->decrypt_failed = true;
		sa->dec_fail++;
		sa->dec_fail_result = DEC_PADDING;
		ike_sa_add_evidence(sa->dec_fail_frames, &sa->ndec_fail_frames, p->fr->num);
		return true;
	}
	sa->dec_ok++;
	a->plain_len = len;
	return true;
}

/* One `malformed` finding per pair of peers, citing every frame (up to the cap). */
static void
analysis_malformed(struct analysis *a, const struct pkt *p, const char *proto, const char *what)
{
	a->sum.malformed++;
	struct finding *f = diag_find(&a->pkt_findings, F_MALFORMED, &p->src, &p->dst);
	if (f == NULL) {
		char s[IP_ADDR_STRLEN], d[IP_ADDR_STRLEN];
		f = diag_raise(&a->pkt_findings, F_MALFORMED, CONF_CONFIRMED,
			       "%s from %s to %s violates its format (first in frame %llu: %s)",
			       proto, ip_addr_str(&p->src, s), ip_addr_str(&p->dst, d),
			       (unsigned long long)p->fr->num, what);
		if (f == NULL)
			return;
		f->initiator = p->src;
		f->responder = p->dst;
	}
	diag_add_frame(f, p->fr->num);
}

static bool
spi_is_zero(const uint8_t spi[8])
{
	static const uint8_t zero[8];
	return memcmp(spi, zero, 8) == 0;
}

/* Which side sent m: the IKEv2 I flag says; IKEv1 knows its initiator by a zero CKY-R. */
static bool
ike_sa_from_initiator(struct ike_sa *sa, const struct pkt *p, const struct ike_msg *m)
{
	if (m->version == 2) {
		bool from_i = m->flags & IKEV2_FLAG_INITIATOR;
		if (!sa->initiator_known) {
			sa->initiator = from_i ? p->src : p->dst;
			sa->responder = from_i ? p->dst : p->src;
			sa->initiator_known = true;
		}
		return from_i;
	}
	if (!sa->initiator_known && spi_is_zero(m->spi_r)) {
		sa->initiator = p->src;
		sa->responder = p->dst;
		sa->initiator_known = true;
	} else if (sa->initiator.family == 0) {
		/* The capture began mid-negotiation: the first sender seen stands in. */
		sa->initiator = p->src;
		sa->responder = p->dst;
	}
	return ip_addr_eq(&p->src, &sa->initiator);
}

/* A sender's hash that differs puts the sender behind NAT; a receiver's, the receiver. */
static void
ike_sa_natd(struct ike_sa *sa, const struct natd_result *nd, bool from_i, uint64_t frame)
{
	if (nd->source == NATD_ABSENT && nd->destination == NATD_ABSENT)
		return;
	sa->natd_seen = true;
	if (nd->source == NATD_MISMATCH) {
		if (from_i)
			sa->initiator_behind_nat = true;
		else
			sa->responder_behind_nat = true;
	}
	if (nd->destination == NATD_MISMATCH) {
		if (from_i)
			sa->responder_behind_nat = true;
		else
			sa->initiator_behind_nat = true;
	}
	ike_sa_add_evidence(sa->nat_frames, &sa->nnat_frames, frame);
}

/*
 * IKE-level fragments: IKEv2 SKF (RFC 7383) counted until 1..total are in;
 * IKEv1 fragment payloads joined and the message they carry dissected.
 */
static void
analysis_ike_fragment(struct analysis *a, const struct pkt *p, struct ike_msg *m,
		      struct ike_facts *fx, struct ike_msg *joined)
{
	struct ike_frag_key k;
	memset(&k, 0, sizeof(k));
	k.version = m->version;
	memcpy(k.spi_i, m->spi_i, 8);
	memcpy(k.spi_r, m->spi_r, 8);
	k.src = p->src;
	k.sport = p->sport;
	const struct ike_payload *frag = NULL;
	if (m->version == 2 && m->frag_total) {
		k.id = m->msgid;
	} else if (m->version == 1) {
		for (unsigned i = 0; i < m->npayloads && frag == NULL; i++)
			if (m->pl[i].type == IKEV1_P_FRAG && !m->pl[i].malformed)
				frag = &m->pl[i];
		if (frag == NULL)
			return;
		k.id = frag->u.frag.id;
	} else {
		return;
	}
	fx->fragment = true;
	if (m->version == 2) {
		/* With keys, each fragment's plaintext joins the others (RFC 7383 §2.6). */
		bool plain = a->plain_len > 0;
		fx->frag_state = ike_frag_add(&a->frag, &k, m->frag_n, m->frag_total, false,
					      plain ? a->plain : NULL, plain ? a->plain_len : 0,
					      p->fr->num, p->fr->ts_usec, &fx->frag_done);
		if (m->frag_n == 1 && fx->frag_state != IKE_FRAG_COMPLETE)
			ike_frag_set_first_inner(&a->frag, &k, m->sk_first_inner);
	} else {
		fx->frag_state = ike_frag_add(&a->frag, &k, frag->u.frag.n, 0, frag->u.frag.last,
					      frag->u.frag.data.p, frag->u.frag.data.len,
					      p->fr->num, p->fr->ts_usec, &fx->frag_done);
	}
	if (fx->frag_state != IKE_FRAG_COMPLETE)
		return;
	a->sum.ike_frag_complete++;
	if (m->version == 2 && a->frag.joined_len) {
		uint8_t first =
		    fx->frag_done->first_inner ? fx->frag_done->first_inner : m->sk_first_inner;
		ike_parse_inner(m, a->frag.joined, a->frag.joined_len, first);
	}
	if (m->version == 1) {
		struct rd jr = rd_init(a->frag.joined, a->frag.joined_len, a->frag.joined_len);
		ike_parse(&jr, joined);
		fx->joined = joined;
	}
}

static void
analysis_ike(struct analysis *a, const struct pkt *p)
{
	struct ike_msg m;
	struct rd r = p->l4;
	struct ike_facts fx;
	struct ike_msg joined;
	memset(&fx, 0, sizeof(fx));
	ike_parse(&r, &m);
	a->sum.ike_packets++;
	struct ike_sa *sa = NULL;
	bool from_i = false;
	if (m.version == 1 || m.version == 2) {
		bool created;
		sa = ike_table_get(&a->ike, m.version, m.spi_i, &p->src, &p->dst, &created);
		/* As kept (an SA created at the cap took an evicted one's place). */
		a->sum.ike_sas = a->ike.n;
	}
	if (sa) {
		if (sa->first_frame == 0)
			sa->first_frame = p->fr->num;
		sa->last_frame = p->fr->num;
		if (!spi_is_zero(m.spi_r))
			memcpy(sa->spi_r, m.spi_r, 8);
		from_i = ike_sa_from_initiator(sa, p, &m);
		if (from_i)
			sa->iport = p->sport;
		else
			sa->rport = p->sport;
		natd_check(&m, &p->src, p->sport, &p->dst, p->dport, &fx.nd);
		ike_sa_natd(sa, &fx.nd, from_i, p->fr->num);
		fx.keys = analysis_decrypt(a, sa, p, &m, from_i);
	}
	/* Fragments before recording: the last one brings the whole (decrypted) message. */
	analysis_ike_fragment(a, p, &m, &fx, &joined);
	if (sa) {
		if (m.version == 2 && a->v2ctx)
			ikev2_observe(a->v2ctx, &m, from_i);
		ike_sa_record(sa, &m, from_i, p->fr->num, p->fr->ts_usec, p->sport, p->dport,
			      p->reassembled);
	}
	if (m.malformed)
		analysis_malformed(a, p, m.version == 1 ? "IKEv1 message" : "IKE message",
				   m.malformed);
	report_packet(&a->rep, p, &m, NULL, &fx);
}

/* The hot path: a few header reads and one table update, nothing allocated. */
static void
analysis_esp(struct analysis *a, const struct pkt *p)
{
	struct esp_hdr e;
	struct rd r = p->l4;
	esp_parse(&r, &e);
	a->sum.esp_packets++;
	/*
	 * A packet cut after its SPI still counts for its SA, without a sequence
	 * number.  Without keys nothing here needs the SA at once: the packet is
	 * queued and accounted with the next batch (esp_table_queue).
	 */
	struct esp_sa *sa = NULL;
	uint8_t encap = p->kind == PK_ESP_UDP ? ENCAP_UDP : ENCAP_ESP;
	if (e.has_spi && a->keys == NULL)
		esp_table_queue(&a->esp, e.spi, &p->src, &p->dst, encap, p->sport, p->dport, e.seq,
				!e.truncated, (uint32_t)p->l4.wire, p->fr->ts_usec, p->fr->num);
	else if (e.has_spi)
		sa = esp_table_packet(&a->esp, e.spi, &p->src, &p->dst, encap, p->sport, p->dport,
				      e.seq, !e.truncated, (uint32_t)p->l4.wire, p->fr->ts_usec,
				      p->fr->num);
	if (a->keys == NULL || sa == NULL) {
		report_packet(&a->rep, p, NULL, &e, NULL);
		return;
	}
	/* With keys: the key entry is looked up once per SA, the buffers are reused. */
	struct esp_sa_ext *x = esp_table_ext(&a->esp, sa);
	if (!x->keys_looked_up) {
		x->keys = keyring_esp(a->keys, &p->src, &p->dst, e.spi);
		x->keys_looked_up = true;
	}
	struct ike_facts fx;
	memset(&fx, 0, sizeof(fx));
	if (x->keys) {
		fx.keys = true;
		if (a->espdec == NULL && !a->espdec_tried) {
			a->espdec = esp_dec_new();
			a->espdec_tried = true;
		}
		enum dec_result dr =
		    esp_decrypt(a->espdec, x->keys, p->l4.p, p->l4.cap, &fx.esp_inner);
		fx.esp_ok = dr == DEC_OK;
		if (fx.esp_ok) {
			x->dec_ok++;
		} else if (x->dec_fail++ == 0) {
			x->dec_fail_frame = p->fr->num;
			x->dec_fail_result = (uint8_t)dr;
		}
	}
	report_packet(&a->rep, p, NULL, &e, &fx);
}

static void
analysis_icmp(struct analysis *a, const struct pkt *p)
{
	if (a->ev.nicmp >= EVIDENCE_MAX) {
		a->ev.dropped++;
		return;
	}
	struct icmp_ev *e = &a->ev.icmp[a->ev.nicmp++];
	memset(e, 0, sizeof(*e));
	e->frame = p->fr->num;
	e->ts = p->fr->ts_usec;
	e->from = p->src;
	e->src = p->icmp.src;
	e->dst = p->icmp.dst;
	e->sport = p->icmp.sport;
	e->dport = p->icmp.dport;
	e->proto = p->icmp.proto;
	e->version = p->icmp.version;
	e->type = p->icmp.type;
	e->code = p->icmp.code;
	e->mtu = p->icmp.mtu;
}

void
analysis_pkt(void *ctx, const struct pkt *p)
{
	struct analysis *a = ctx;
	if (a->sum.packets == 0)
		a->sum.first_ts = p->fr->ts_usec;
	a->sum.packets++;
	a->sum.last_ts = p->fr->ts_usec;
	switch (p->kind) {
	case PK_IKE:
		analysis_ike(a, p);
		break;
	case PK_ESP:
	case PK_ESP_UDP:
		analysis_esp(a, p);
		break;
	case PK_NONE:
		break;
	case PK_ICMP:
		analysis_icmp(a, p);
		report_packet(&a->rep, p, NULL, NULL, NULL);
		break;
	default:
		report_packet(&a->rep, p, NULL, NULL, NULL);
		break;
	}
}

void
analysis_drop(void *ctx, const struct reasm_datagram *d)
{
	struct analysis *a = ctx;
	/* A datagram to or from an IKE port whose fragments never all arrived is evidence. */
	if (d->proto != 17 || d->len < 4)
		return;
	struct rd u = rd_init(d->data, d->len, d->len);
	uint16_t sp = rd_be16(&u);
	uint16_t dp = rd_be16(&u);
	if (sp != IKE_PORT && dp != IKE_PORT && sp != NATT_PORT && dp != NATT_PORT)
		return;
	a->sum.ike_datagrams_lost++;
	if (a->ev.nlost < EVIDENCE_MAX) {
		struct lost_ev *e = &a->ev.lost[a->ev.nlost++];
		memset(e, 0, sizeof(*e));
		e->nframes = (uint8_t)(d->nframes < 16 ? d->nframes : 16);
		memcpy(e->frames, d->frames, e->nframes * sizeof(e->frames[0]));
		e->first_ts = d->first_ts_usec;
		e->last_ts = d->last_ts_usec;
		e->src = d->src;
		e->dst = d->dst;
		e->sport = sp;
		e->dport = dp;
		e->received = (uint32_t)d->received;
		e->total = (uint32_t)d->total;
		/* The first fragment carries the UDP header and, after it, the IKE header. */
		struct rd r = rd_init(d->data, d->len, d->len);
		rd_skip(&r, 8);
		uint32_t marker;
		if ((sp == NATT_PORT || dp == NATT_PORT) && rd_peek_be32(&r, 0, &marker) &&
		    marker == 0)
			rd_skip(&r, 4);
		uint8_t hdr[28];
		if (rd_copy(&r, hdr, sizeof(hdr))) {
			e->ike_header = true;
			memcpy(e->spi_i, hdr, 8);
			e->exchange = hdr[18];
			e->msgid = (uint32_t)hdr[20] << 24 | (uint32_t)hdr[21] << 16 |
				   (uint32_t)hdr[22] << 8 | hdr[23];
		}
	} else {
		a->ev.dropped++;
	}
	report_lost_datagram(&a->rep, d, sp, dp);
}

/*
 * Runs the diagnosis over the state tracked so far into a fresh findings list.
 * The rules recompute each SA's verdict from the tracked exchanges, so this can
 * run again and again as a live capture goes on; last_ts is "now" in capture
 * time (0: the last packet's time).
 */
void
analysis_diagnose(struct analysis *a, uint64_t last_ts)
{
	esp_table_flush(&a->esp);
	/*
	 * --psk: each SA's verdict, from what the capture holds.  A live capture
	 * diagnoses every second: only SAs with messages since their last verdict
	 * are checked again (their messages are all the check reads).
	 */
	for (uint32_t i = 0; a->psk && i < a->ike.n; i++) {
		struct ike_sa *sa = &a->ike.sa[i];
		if (sa->psk_checked_at != 0 && sa->psk_checked_at == sa->last_frame)
			continue;
		sa->psk_checked_at = sa->last_frame;
		enum psk_verdict v = PSK_NOT_CHECKABLE;
		if (sa->version == 1) {
			v = ikev1_psk_check(a->v1ctx, sa->spi_i, a->psk, a->psk_len);
		} else if (a->keys) {
			const struct ikev2_keys *k = keyring_ikev2(a->keys, sa->spi_i, sa->spi_r);
			if (k)
				v = ikev2_psk_check(a->v2ctx, k, a->psk, a->psk_len);
		}
		sa->psk_check = (uint8_t)v;
	}
	diag_free(&a->diag);
	diag_init(&a->diag);
	/* Findings raised per packet (malformed) come first, as they were seen. */
	for (size_t i = 0; i < a->pkt_findings.n; i++) {
		const struct finding *pf = &a->pkt_findings.list[i];
		struct finding *f =
		    diag_raise(&a->diag, pf->code, pf->confidence, "%s", pf->message);
		if (f == NULL)
			break;
		diag_copy(f, pf);
	}
	a->diag.dropped += a->pkt_findings.dropped;
	struct diag_ctx dc = {
	    .d = &a->diag,
	    .ike = &a->ike,
	    .esp = &a->esp,
	    .ev = &a->ev,
	    .first_ts = a->sum.first_ts,
	    .last_ts = last_ts > a->sum.last_ts ? last_ts : a->sum.last_ts,
	    .keys = a->keys != NULL,
	    .psk = a->psk != NULL,
	    .profile = a->profile,
	};
	diag_run(&dc);
}

void
analysis_conclude(struct analysis *a, const struct cap_stats *cs, const struct reasm_stats *rs)
{
	struct summary *s = &a->sum;
	ike_frag_finish(&a->frag);
	analysis_diagnose(a, 0);
	s->esp_sas = a->esp.n;
	s->esp_evicted = a->esp.evicted;
	s->ike_evicted = a->ike.evicted;
	s->ike_overflow = a->ike.overflow;
	s->findings_dropped = a->diag.dropped;
	memcpy(s->findings, a->diag.by_severity, sizeof(s->findings));
	if (cs) {
		s->truncated = cs->file_truncated;
		s->non_ip = cs->non_ip;
		s->ip_malformed = cs->ip_malformed;
	}
	if (rs)
		s->reasm = *rs;
}

void
analysis_finish(struct analysis *a, const struct cap_stats *cs, const struct reasm_stats *rs)
{
	analysis_conclude(a, cs, rs);
	report_analysis(&a->rep, &a->ike, &a->esp, &a->diag);
	report_summary(&a->rep, &a->sum);
}
