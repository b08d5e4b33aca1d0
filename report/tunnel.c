/*
 * The report proper: IKE SAs with their negotiations (a compact ladder of the
 * exchanges), ESP SAs and findings, grouped by tunnel (the pair of peers) in
 * text; ike_sa, esp_sa and finding records in NDJSON.  Deterministic: order of
 * first frame, capture time only.
 */
#include <stdlib.h>
#include <string.h>

#include "diagnose/rules.h"
#include "dissect/ikev1_names.h"
#include "dissect/ikev2_names.h"
#include "report/report.h"
#include "track/ike_state.h"

/* "AES_CBC_256" from the transform and its key length; NULL when unknown. */
static const char *
offer_encr(const struct ike_sa *sa, const struct ike_offer *o, char *buf, size_t len)
{
	const char *n = sa->version == 2 ? ikev2_encr_name(o->encr) : ikev1_encr_name(o->encr);
	if (n == NULL)
		return NULL;
	if (o->keylen)
		snprintf(buf, len, "%s_%u", n, o->keylen);
	else
		snprintf(buf, len, "%s", n);
	return buf;
}

static void
json_kv(FILE *f, bool *first, const char *k, const char *v)
{
	if (v == NULL)
		return;
	fprintf(f, "%s\"%s\":", *first ? "" : ",", k);
	json_str(f, v);
	*first = false;
}

static void
json_proposal(FILE *f, const struct ike_sa *sa)
{
	char eb[48];
	const struct ike_offer *o = &sa->chosen;
	bool first = true;
	fputs(",\"proposal_chosen\":{", f);
	json_kv(f, &first, "encr", offer_encr(sa, o, eb, sizeof(eb)));
	if (sa->version == 2) {
		json_kv(f, &first, "integ", o->integ ? ikev2_integ_name(o->integ) : NULL);
		json_kv(f, &first, "prf", ikev2_prf_name(o->prf));
		json_kv(f, &first, "dh", o->dh ? ikev2_dh_name(o->dh) : NULL);
	} else {
		json_kv(f, &first, "hash", ikev1_hash_name(o->v1_hash));
		json_kv(f, &first, "auth", ikev1_auth_method_name(o->v1_auth));
		json_kv(f, &first, "dh", ikev1_group_name(o->dh));
	}
	fputc('}', f);
}

static void
json_ike_sa(FILE *f, const struct ike_sa *sa)
{
	char a[IP_ADDR_STRLEN], b[IP_ADDR_STRLEN], hx[17];
	static const uint8_t zero[8];
	hex_str(sa->spi_i, 8, hx);
	fprintf(f,
		"{\"type\":\"ike_sa\",\"ike_version\":%u,\"initiator\":\"%s\",\"responder\":\"%s\","
		"\"spi_i\":\"%s\"",
		sa->version, ip_addr_str(&sa->initiator, a), ip_addr_str(&sa->responder, b), hx);
	if (memcmp(sa->spi_r, zero, 8) != 0) {
		hex_str(sa->spi_r, 8, hx);
		fprintf(f, ",\"spi_r\":\"%s\"", hx);
	}
	fprintf(f, ",\"state\":\"%s\",\"auth\":\"%s\",\"phase_state\":\"%s\"",
		sa_state_name(sa->state), sa_auth_name(sa->auth),
		ike_state_name((enum ike_state)sa->phase));
	if (sa->anomalies)
		fprintf(f, ",\"unexpected_messages\":%u", sa->anomalies);
	if (sa->psk_check != PSK_UNCHECKED)
		fprintf(f, ",\"psk_check\":\"%s\"",
			psk_verdict_name((enum psk_verdict)sa->psk_check));
	if (sa->keys_found)
		fprintf(f, ",\"decrypted\":{\"ok\":%u,\"failed\":%u}", sa->dec_ok, sa->dec_fail);
	if (sa->have_chosen)
		json_proposal(f, sa);
	if (sa->natd_seen)
		fprintf(f, ",\"nat\":{\"initiator_behind_nat\":%s,\"responder_behind_nat\":%s}",
			sa->initiator_behind_nat ? "true" : "false",
			sa->responder_behind_nat ? "true" : "false");
	fprintf(f, ",\"fragmentation\":{\"initiator\":%s,\"responder\":%s}",
		sa->frag_i ? "true" : "false", sa->frag_r ? "true" : "false");
	fputs(",\"frames\":[", f);
	for (uint16_t i = 0; i < sa->nmsgs; i++)
		fprintf(f, "%s%llu", i ? "," : "", (unsigned long long)sa->msgs[i].frame);
	fputc(']', f);
	/* Routine exchanges taken out of the log (track/ike_fold.c): not in frames. */
	if (ike_fold_exchanges(sa))
		fprintf(f,
			",\"folded\":{\"exchanges\":%u,\"messages\":%u,\"first_frame\":%llu,"
			"\"last_frame\":%llu}",
			ike_fold_exchanges(sa), sa->fold->nmsgs,
			(unsigned long long)ike_fold_first_frame(sa),
			(unsigned long long)ike_fold_last_frame(sa));
	fputs("}\n", f);
}

static int
sa_cmp_first(const void *x, const void *y)
{
	const struct ike_sa *a = *(const struct ike_sa *const *)x;
	const struct ike_sa *b = *(const struct ike_sa *const *)y;
	return a->first_frame < b->first_frame ? -1 : a->first_frame > b->first_frame;
}

struct ike_sa **
report_ike_sorted(const struct ike_table *t)
{
	struct ike_sa **v = xcalloc(t->n ? t->n : 1, sizeof(*v));
	for (uint32_t i = 0; i < t->n; i++)
		v[i] = &t->sa[i];
	qsort(v, t->n, sizeof(*v), sa_cmp_first);
	return v;
}

bool
report_same_pair(const struct ip_addr *a, const struct ip_addr *b, const struct ip_addr *c,
		 const struct ip_addr *d)
{
	return (ip_addr_eq(a, c) && ip_addr_eq(b, d)) || (ip_addr_eq(a, d) && ip_addr_eq(b, c));
}

void
report_ladder_step(const struct ike_sa *sa, uint16_t i, uint64_t t0, struct ladder_step *s)
{
	const struct ike_rec *r = &sa->msgs[i];
	memset(s, 0, sizeof(*s));
	s->frame = r->frame;
	s->rel_usec = r->ts >= t0 ? r->ts - t0 : 0;
	s->from_i = r->from_i;
	s->v2 = sa->version == 2;
	s->response = r->response;
	char xb[16];
	snprintf(s->exchange, sizeof(s->exchange), "%s",
		 ike_exchange_str(sa->version, r->exchange, xb, sizeof(xb)));
	s->msgid = r->msgid;
	FILE *f = fmemopen(s->payloads, sizeof(s->payloads), "w");
	if (f) {
		text_payload_list(f, sa->version, r->encrypted, r->pl, r->npl_clear, r->npl,
				  r->decrypted);
		fclose(f);
	}
	for (uint8_t k = 0; k < r->nn && k < IKE_REC_MAX_N; k++) {
		/* The error and status notifies an engineer looks for; not the routine ones. */
		if (r->notify[k] >= 16384 && r->notify[k] != 16390)
			continue;
		s->notify[s->nnotify] = r->notify[k];
		s->notify_name[s->nnotify++] = ike_notify_name(sa->version, r->notify[k]);
	}
	s->skf_n = r->skf_n;
	s->skf_total = r->skf_total;
	s->len = r->len;
	s->sport = r->sport;
	s->dport = r->dport;
	s->ip_fragmented = r->ip_fragmented;
	s->unexpected = r->unexpected;
	if (r->retrans_of >= 0 && r->retrans_of < sa->nmsgs)
		s->retrans_of = sa->msgs[r->retrans_of].frame;
}

/* The line that stands for the folded exchanges, where the first of them was. */
static void
text_folded(FILE *f, const struct ike_sa *sa)
{
	const struct ike_fold *x = sa->fold;
	char kinds[96];
	if (sa->version == 2)
		snprintf(kinds, sizeof(kinds), "%u INFORMATIONAL, %u CREATE_CHILD_SA", x->v2_info,
			 x->v2_child);
	else
		snprintf(kinds, sizeof(kinds), "%u quick mode, %u DPD", x->v1_quick, x->v1_dpd);
	fprintf(f,
		"    ... %u routine exchanges folded (%s; %u messages) between frame %llu and "
		"frame %llu\n",
		ike_fold_exchanges(sa), kinds, x->nmsgs,
		(unsigned long long)ike_fold_first_frame(sa),
		(unsigned long long)ike_fold_last_frame(sa));
}

static void
text_ladder(FILE *f, const struct ike_sa *sa, uint64_t t0)
{
	struct ladder_step s;
	bool folded = ike_fold_exchanges(sa) == 0;
	for (uint16_t i = 0; i < sa->nmsgs; i++) {
		if (!folded && sa->msgs[i].frame > ike_fold_first_frame(sa)) {
			text_folded(f, sa);
			folded = true;
		}
		report_ladder_step(sa, i, t0, &s);
		fprintf(f, "    %6llu %4llu.%06u  %s %s", (unsigned long long)s.frame,
			(unsigned long long)(s.rel_usec / 1000000),
			(unsigned)(s.rel_usec % 1000000), s.from_i ? "--" : "<-", s.exchange);
		if (s.v2)
			fputs(s.response ? " response" : " request", f);
		fprintf(f, " #%u %s", s.msgid, s.payloads);
		for (uint8_t k = 0; k < s.nnotify; k++) {
			if (s.notify_name[k])
				fprintf(f, " N(%s)", s.notify_name[k]);
			else
				fprintf(f, " N(%u)", s.notify[k]);
		}
		if (s.skf_total)
			fprintf(f, " fragment %u/%u", s.skf_n, s.skf_total);
		fprintf(f, " %uB", s.len);
		if (s.sport != 500 || s.dport != 500)
			fprintf(f, " (UDP %u>%u)", s.sport, s.dport);
		if (s.ip_fragmented)
			fputs(" (IP-fragmented)", f);
		if (s.retrans_of)
			fprintf(f, " retransmission of frame %llu",
				(unsigned long long)s.retrans_of);
		if (s.unexpected)
			fputs(" (unexpected in this state)", f);
		fputs(s.from_i ? " -->\n" : " --\n", f);
	}
	if (!folded)
		text_folded(f, sa);
	if (sa->msgs_dropped)
		fprintf(f, "    ... and %u more messages\n", sa->msgs_dropped);
}

static void
text_ike_sa(FILE *f, const struct ike_sa *sa, uint64_t t0)
{
	char a[IP_ADDR_STRLEN], b[IP_ADDR_STRLEN], hx[17], eb[48];
	hex_str(sa->spi_i, 8, hx);
	fprintf(f, "  IKEv%u SA %s: initiator %s, responder %s, %s (%s)", sa->version, hx,
		ip_addr_str(&sa->initiator, a), ip_addr_str(&sa->responder, b),
		sa_state_name(sa->state), ike_state_name((enum ike_state)sa->phase));
	if (sa->auth != AUTH_UNKNOWN)
		fprintf(f, ", auth %s", sa_auth_name(sa->auth));
	if (sa->anomalies)
		fprintf(f, ", %u messages unexpected in their state", sa->anomalies);
	if (sa->psk_check != PSK_UNCHECKED)
		fprintf(f, ", PSK check: %s", psk_verdict_name((enum psk_verdict)sa->psk_check));
	if (sa->keys_found)
		fprintf(f, ", %u messages decrypted, %u failed", sa->dec_ok, sa->dec_fail);
	fputc('\n', f);
	if (sa->have_chosen) {
		const struct ike_offer *o = &sa->chosen;
		const char *e = offer_encr(sa, o, eb, sizeof(eb));
		if (sa->version == 2)
			fprintf(f, "    proposal chosen: %s/%s/%s/%s\n", e ? e : "?",
				o->integ ? ikev2_integ_name(o->integ) : "-",
				ikev2_prf_name(o->prf) ? ikev2_prf_name(o->prf) : "?",
				o->dh ? ikev2_dh_name(o->dh) : "-");
		else
			fprintf(f, "    proposal chosen: %s/%s/%s/%s\n", e ? e : "?",
				ikev1_hash_name(o->v1_hash) ? ikev1_hash_name(o->v1_hash) : "?",
				ikev1_auth_method_name(o->v1_auth)
				    ? ikev1_auth_method_name(o->v1_auth)
				    : "?",
				ikev1_group_name(o->dh) ? ikev1_group_name(o->dh) : "?");
	}
	fputs("    initiator                                                     responder\n", f);
	text_ladder(f, sa, t0);
}

static void
text_finding(FILE *f, const struct finding *x)
{
	const struct catalog_entry *c = &diag_catalog[x->code];
	fprintf(f, "    [%s] %s (%s): %s\n", diag_severity_name(x->severity), c->name,
		diag_confidence_name(x->confidence), x->message);
	fputs(x->nframes > 1 ? "      evidence: frames " : "      evidence: frame ", f);
	for (size_t k = 0; k < x->nframes; k++)
		fprintf(f, "%s%llu", k ? ", " : "", (unsigned long long)x->frames[k]);
	if (x->more_frames)
		fprintf(f, " and %llu more", (unsigned long long)x->more_frames);
	fprintf(f, "\n      what to change: %s\n", c->remediation);
}

void
text_finding_line(FILE *f, const struct finding *x)
{
	char a[IP_ADDR_STRLEN], b[IP_ADDR_STRLEN];
	if (x->initiator.family && x->responder.family)
		fprintf(f, "Finding, tunnel %s <> %s", ip_addr_str(&x->initiator, a),
			ip_addr_str(&x->responder, b));
	else
		fputs("Finding", f);
	if (x->ike_version)
		fprintf(f, " (IKEv%u)", x->ike_version);
	fputs(":\n", f);
	text_finding(f, x);
}

void
report_ike_sa(struct report *r, const struct ike_sa *sa)
{
	if (r->json) {
		json_ike_sa(r->out, sa);
		return;
	}
	char a[IP_ADDR_STRLEN], b[IP_ADDR_STRLEN], hx[17];
	hex_str(sa->spi_i, 8, hx);
	fprintf(r->out, "IKEv%u SA %s: initiator %s, responder %s, %s (%s)", sa->version, hx,
		ip_addr_str(&sa->initiator, a), ip_addr_str(&sa->responder, b),
		sa_state_name(sa->state), ike_state_name((enum ike_state)sa->phase));
	if (sa->auth != AUTH_UNKNOWN)
		fprintf(r->out, ", auth %s", sa_auth_name(sa->auth));
	if (sa->nmsgs)
		fprintf(r->out, ", frames %llu-%llu", (unsigned long long)sa->msgs[0].frame,
			(unsigned long long)sa->msgs[sa->nmsgs - 1].frame);
	fputc('\n', r->out);
}

/*
 * Tunnels (unordered pairs of peers) found by sorting, not by a scan per SA: a
 * flood of IKE and ESP SAs must not make the report quadratic.  The key of
 * IKE SA i (in sas[] order) with its pair ordered.
 */
struct tun_key {
	struct ip_addr lo, hi;
	uint32_t i;
};

static void
tun_key_set(struct tun_key *k, const struct ip_addr *a, const struct ip_addr *b, uint32_t i)
{
	bool swap = ip_addr_cmp(a, b) > 0;
	k->lo = swap ? *b : *a;
	k->hi = swap ? *a : *b;
	k->i = i;
}

static int
tun_pair_cmp(const struct tun_key *x, const struct tun_key *y)
{
	int c = ip_addr_cmp(&x->lo, &y->lo);
	return c ? c : ip_addr_cmp(&x->hi, &y->hi);
}

static int
tun_key_cmp(const void *a, const void *b)
{
	const struct tun_key *x = a, *y = b;
	int c = tun_pair_cmp(x, y);
	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* The first IKE SA (sas[] index) between a and b, or UINT32_MAX. */
static uint32_t
tun_find(const struct tun_key *keys, uint32_t n, const struct ip_addr *a, const struct ip_addr *b)
{
	struct tun_key k;
	tun_key_set(&k, a, b, 0);
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (tun_pair_cmp(&keys[mid], &k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && tun_pair_cmp(&keys[lo], &k) == 0 ? keys[lo].i : UINT32_MAX;
}

/* Chains items 0..n-1 to their tunnel's first SA, in order: head[tunnel], next[item]. */
static void
tun_chain(uint32_t *head, uint32_t *next, size_t n, const uint32_t *tunnel_of)
{
	for (size_t k = n; k-- > 0;) {
		next[k] = UINT32_MAX;
		if (tunnel_of[k] == UINT32_MAX)
			continue;
		next[k] = head[tunnel_of[k]];
		head[tunnel_of[k]] = (uint32_t)k;
	}
}

static void
text_analysis(struct report *r, const struct ike_table *ike, const struct esp_table *esp,
	      const struct diag *d)
{
	FILE *f = r->out;
	struct ike_sa **sas = report_ike_sorted(ike);
	size_t nesp;
	struct esp_sa **esps = esp_table_sorted(esp, &nesp);
	bool *esp_done = xcalloc(nesp ? nesp : 1, sizeof(bool));
	bool *f_done = xcalloc(d->n ? d->n : 1, sizeof(bool));
	uint32_t nsa = ike->n;
	struct tun_key *keys = xcalloc(nsa ? nsa : 1, sizeof(*keys));
	for (uint32_t i = 0; i < nsa; i++)
		tun_key_set(&keys[i], &sas[i]->initiator, &sas[i]->responder, i);
	qsort(keys, nsa, sizeof(*keys), tun_key_cmp);
	/* Each IKE SA, ESP SA and finding chained to the first IKE SA of its tunnel. */
	size_t most = nsa > nesp ? nsa : nesp;
	if (d->n > most)
		most = d->n;
	uint32_t *tunnel_of = xcalloc(most ? most : 1, sizeof(*tunnel_of));
	uint32_t *next = xcalloc(most ? most : 1, sizeof(*next));
	uint32_t *sa_head = xcalloc(nsa ? nsa : 1, sizeof(*sa_head));
	uint32_t *sa_next = xcalloc(nsa ? nsa : 1, sizeof(*sa_next));
	uint32_t *esp_head = xcalloc(nsa ? nsa : 1, sizeof(*esp_head));
	uint32_t *esp_next = xcalloc(nesp ? nesp : 1, sizeof(*esp_next));
	uint32_t *f_head = xcalloc(nsa ? nsa : 1, sizeof(*f_head));
	for (uint32_t i = 0; i < nsa; i++)
		sa_head[i] = esp_head[i] = f_head[i] = UINT32_MAX;
	for (uint32_t i = 0; i < nsa; i++)
		tunnel_of[i] = tun_find(keys, nsa, &sas[i]->initiator, &sas[i]->responder);
	tun_chain(sa_head, sa_next, nsa, tunnel_of);
	for (size_t k = 0; k < nesp; k++)
		tunnel_of[k] = tun_find(keys, nsa, &esps[k]->src, &esps[k]->dst);
	tun_chain(esp_head, esp_next, nesp, tunnel_of);
	for (size_t k = 0; k < d->n; k++)
		tunnel_of[k] = tun_find(keys, nsa, &d->list[k].initiator, &d->list[k].responder);
	tun_chain(f_head, next, d->n, tunnel_of);
	for (uint32_t i = 0; i < nsa; i++) {
		if (sa_head[i] != i)
			continue; /* not the first SA of its tunnel: shown with the first */
		const struct ip_addr *p1 = &sas[i]->initiator, *p2 = &sas[i]->responder;
		char a[IP_ADDR_STRLEN], b[IP_ADDR_STRLEN];
		fprintf(f, "Tunnel %s <> %s\n", ip_addr_str(p1, a), ip_addr_str(p2, b));
		for (uint32_t k = i; k != UINT32_MAX; k = sa_next[k])
			text_ike_sa(f, sas[k], r->first_ts);
		bool hdr = false;
		for (uint32_t k = esp_head[i]; k != UINT32_MAX; k = esp_next[k]) {
			if (!hdr)
				fputs("  ESP SAs:\n", f);
			hdr = true;
			text_esp_sas(r, &esps[k], 1);
			esp_done[k] = true;
		}
		hdr = false;
		for (uint32_t k = f_head[i]; k != UINT32_MAX; k = next[k]) {
			if (!hdr)
				fputs("  Findings:\n", f);
			hdr = true;
			text_finding(f, &d->list[k]);
			f_done[k] = true;
		}
		fputc('\n', f);
	}
	free(keys);
	free(tunnel_of);
	free(next);
	free(sa_head);
	free(sa_next);
	free(esp_head);
	free(esp_next);
	free(f_head);
	/* ESP SAs and findings that no IKE SA of the capture explains. */
	bool hdr = false;
	for (size_t k = 0; k < nesp; k++) {
		if (esp_done[k])
			continue;
		if (!hdr)
			fputs("ESP SAs without an IKE SA in this capture:\n", f);
		hdr = true;
		text_esp_sas(r, &esps[k], 1);
	}
	hdr = false;
	for (size_t k = 0; k < d->n; k++) {
		if (f_done[k])
			continue;
		if (!hdr)
			fputs("Other findings:\n", f);
		hdr = true;
		text_finding(f, &d->list[k]);
	}
	free(f_done);
	free(esp_done);
	free(esps);
	free(sas);
}

void
report_analysis(struct report *r, const struct ike_table *ike, const struct esp_table *esp,
		const struct diag *d)
{
	if (r->quiet)
		return;
	if (!r->json) {
		text_analysis(r, ike, esp, d);
		return;
	}
	struct ike_sa **sas = report_ike_sorted(ike);
	for (uint32_t i = 0; i < ike->n; i++)
		json_ike_sa(r->out, sas[i]);
	free(sas);
	json_esp_sas(r, esp);
	json_findings(r, d);
}
