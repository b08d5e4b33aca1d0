/*
 * The TUI's model (see model.h): tunnels grouped as the text report groups them
 * (report_same_pair, IKE SAs in order of first frame), ladders from
 * report_ladder_step, findings from the diagnosis.  No curses.
 */
#include <stdlib.h>
#include <string.h>

#include "diagnose/rules.h"
#include "tui/model.h"

#define TM_HASH_SIZE (4 * TM_MAX_TUNNELS) /* power of two, at most a quarter full */

void
tm_init(struct tui_model *m)
{
	memset(m, 0, sizeof(*m));
	m->t = xcalloc(TM_MAX_TUNNELS, sizeof(*m->t));
	m->f = xcalloc(TM_MAX_FINDINGS, sizeof(*m->f));
	m->ladder = xcalloc(TM_MAX_LADDER, sizeof(*m->ladder));
	m->prev = xcalloc(TM_MAX_TUNNELS, sizeof(*m->prev));
	m->hash = xcalloc(TM_HASH_SIZE, sizeof(*m->hash));
}

void
tm_free(struct tui_model *m)
{
	free(m->t);
	free(m->f);
	free(m->ladder);
	free(m->prev);
	free(m->hash);
	memset(m, 0, sizeof(*m));
}

/* Order-independent: the same for (x, y) and (y, x). */
static uint32_t
pair_slot(const struct ip_addr *x, const struct ip_addr *y)
{
	uint64_t h = ip_addr_hash(x, 0) ^ ip_addr_hash(y, 0);
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return (uint32_t)h & (TM_HASH_SIZE - 1);
}

/* The tunnel of the pair, created when new (NULL when the table is full). */
static struct tm_tunnel *
tunnel_get(struct tui_model *m, const struct ip_addr *x, const struct ip_addr *y, bool create)
{
	uint32_t s = pair_slot(x, y);
	for (uint32_t probe = 0; probe < TM_HASH_SIZE; probe++, s = (s + 1) & (TM_HASH_SIZE - 1)) {
		int32_t v = m->hash[s];
		if (v == 0)
			break;
		struct tm_tunnel *t = &m->t[v - 1];
		if (report_same_pair(&t->a, &t->b, x, y))
			return t;
	}
	if (!create)
		return NULL;
	if (m->n >= TM_MAX_TUNNELS) {
		m->tunnels_dropped++;
		return NULL;
	}
	struct tm_tunnel *t = &m->t[m->n++];
	memset(t, 0, sizeof(*t));
	t->a = *x;
	t->b = *y;
	ip_addr_str(x, t->a_str);
	ip_addr_str(y, t->b_str);
	t->state = -1;
	t->worst = -1;
	t->worst_severity = -1;
	m->hash[s] = (int32_t)m->n;
	return t;
}

static int
prev_cmp(const void *x, const void *y)
{
	const struct tm_prev *p = x, *q = y;
	int c = ip_addr_cmp(&p->a, &q->a);
	return c ? c : ip_addr_cmp(&p->b, &q->b);
}

static const struct tm_prev *
prev_find(const struct tui_model *m, const struct tm_tunnel *t)
{
	struct tm_prev key;
	memset(&key, 0, sizeof(key));
	key.a = t->a;
	key.b = t->b;
	return bsearch(&key, m->prev, m->nprev, sizeof(key), prev_cmp);
}

static double
rate(uint64_t now, uint64_t then, uint64_t usec, double scale)
{
	return now >= then ? (double)(now - then) * scale * 1e6 / (double)usec : 0;
}

/* Rates against the previous snapshot; then this snapshot becomes the previous one. */
static void
tm_rates(struct tui_model *m, uint64_t now_usec)
{
	bool dt = m->snapshots > 0 && now_usec > m->prev_usec;
	uint64_t usec = now_usec - m->prev_usec;
	for (size_t i = 0; i < m->n; i++) {
		struct tm_tunnel *t = &m->t[i];
		const struct tm_prev *p = prev_find(m, t);
		for (int d = 0; d < 2; d++) {
			if (!dt) {
				t->pps[d] = p ? p->pps[d] : 0;
				t->bps[d] = p ? p->bps[d] : 0;
				continue;
			}
			t->pps[d] = rate(t->esp_packets[d], p ? p->packets[d] : 0, usec, 1);
			t->bps[d] = rate(t->esp_bytes[d], p ? p->bytes[d] : 0, usec, 8);
		}
	}
	if (dt)
		m->pkt_rate = rate(m->packets, m->prev_packets, usec, 1);
	/* No time passed: the previous snapshot stays the base of the next rates. */
	if (!dt && m->snapshots > 0)
		return;
	m->prev_usec = now_usec;
	m->prev_packets = m->packets;
	m->nprev = m->n;
	for (size_t i = 0; i < m->n; i++) {
		struct tm_prev *p = &m->prev[i];
		p->a = m->t[i].a;
		p->b = m->t[i].b;
		for (int d = 0; d < 2; d++) {
			p->packets[d] = m->t[i].esp_packets[d];
			p->bytes[d] = m->t[i].esp_bytes[d];
			p->pps[d] = m->t[i].pps[d];
			p->bps[d] = m->t[i].bps[d];
		}
	}
	qsort(m->prev, m->nprev, sizeof(*m->prev), prev_cmp);
}

static void
frames_str(const struct finding *x, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < x->nframes && o + 24 < len; k++)
		o += (size_t)snprintf(buf + o, len - o, "%s%llu", k ? "," : "",
				      (unsigned long long)x->frames[k]);
	if ((x->more_frames || o + 24 >= len) && o + 8 < len)
		snprintf(buf + o, len - o, ",...");
}

static void
tm_findings(struct tui_model *m, const struct diag *d)
{
	m->nf = 0;
	m->findings_dropped = d->dropped;
	for (size_t k = 0; k < d->n; k++) {
		const struct finding *x = &d->list[k];
		struct tm_tunnel *t = NULL;
		if (x->initiator.family && x->responder.family)
			t = tunnel_get(m, &x->initiator, &x->responder, true);
		if (t) {
			t->nfindings++;
			if ((int)x->severity > t->worst_severity) {
				t->worst_severity = (int)x->severity;
				t->worst = (int)x->code;
			}
		}
		if (m->nf >= TM_MAX_FINDINGS) {
			m->findings_dropped++;
			continue;
		}
		struct tm_finding *f = &m->f[m->nf++];
		f->code = x->code;
		f->severity = x->severity;
		f->confidence = x->confidence;
		f->tunnel = t ? (int)(t - m->t) : -1;
		frames_str(x, f->frames, sizeof(f->frames));
		snprintf(f->message, sizeof(f->message), "%s", x->message);
	}
}

static void
tm_build_ladder(struct tui_model *m, const struct analysis *a)
{
	m->nladder = 0;
	m->ladder_more = 0;
	if (!m->want_ladder)
		return;
	struct ike_sa **sas = report_ike_sorted(&a->ike);
	for (uint32_t i = 0; i < a->ike.n; i++) {
		const struct ike_sa *sa = sas[i];
		if (!report_same_pair(&m->ladder_a, &m->ladder_b, &sa->initiator, &sa->responder))
			continue;
		m->ladder_more += sa->msgs_dropped;
		/* Folded routine exchanges (track/ike_fold.c) are not in the log either. */
		if (sa->fold)
			m->ladder_more += sa->fold->nmsgs;
		if (m->nladder >= TM_MAX_LADDER) {
			m->ladder_more += sa->nmsgs;
			continue;
		}
		struct tm_row *h = &m->ladder[m->nladder++];
		memset(h, 0, sizeof(*h));
		h->heading = true;
		h->version = sa->version;
		h->state = sa->state;
		hex_str(sa->spi_i, 8, h->spi_i);
		ip_addr_str(&sa->initiator, h->initiator);
		ip_addr_str(&sa->responder, h->responder);
		for (uint16_t k = 0; k < sa->nmsgs; k++) {
			if (m->nladder >= TM_MAX_LADDER) {
				m->ladder_more += (uint32_t)(sa->nmsgs - k);
				break;
			}
			struct tm_row *r = &m->ladder[m->nladder++];
			r->heading = false;
			report_ladder_step(sa, k, a->rep.first_ts, &r->step);
		}
	}
	free(sas);
}

void
tm_select(struct tui_model *m, const struct analysis *a, int tunnel)
{
	m->want_ladder = tunnel >= 0 && (size_t)tunnel < m->n;
	if (m->want_ladder) {
		m->ladder_a = m->t[tunnel].a;
		m->ladder_b = m->t[tunnel].b;
	}
	tm_build_ladder(m, a);
}

void
tm_snapshot(struct tui_model *m, const struct analysis *a, uint64_t now_usec)
{
	m->n = 0;
	memset(m->hash, 0, TM_HASH_SIZE * sizeof(*m->hash));
	/* IKE SAs in order of first frame, grouped by pair as the text report does. */
	struct ike_sa **sas = report_ike_sorted(&a->ike);
	for (uint32_t i = 0; i < a->ike.n; i++) {
		const struct ike_sa *sa = sas[i];
		struct tm_tunnel *t = tunnel_get(m, &sa->initiator, &sa->responder, true);
		if (t == NULL)
			continue;
		if (t->nike++ == 0)
			t->first_frame = sa->first_frame;
		t->version = sa->version;
		if (t->state != SA_ESTABLISHED)
			t->state = sa->state;
	}
	free(sas);
	size_t nesp;
	struct esp_sa **esps = esp_table_sorted(&a->esp, &nesp);
	for (size_t k = 0; k < nesp; k++) {
		const struct esp_sa *e = esps[k];
		struct tm_tunnel *t = tunnel_get(m, &e->src, &e->dst, true);
		if (t == NULL)
			continue;
		if (t->nike == 0 && t->nesp == 0)
			t->first_frame = e->first_frame;
		t->nesp++;
		int d = ip_addr_eq(&e->src, &t->a) ? TM_AB : TM_BA;
		t->esp_packets[d] += e->packets;
		t->esp_bytes[d] += e->bytes;
	}
	free(esps);
	tm_findings(m, &a->diag);
	m->packets = a->sum.packets;
	m->ike_packets = a->sum.ike_packets;
	m->esp_packets = a->sum.esp_packets;
	tm_rates(m, now_usec);
	m->now_usec = now_usec;
	m->snapshots++;
	tm_build_ladder(m, a);
}

static bool
contains(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

bool
tm_tunnel_match(const struct tm_tunnel *t, const char *filter, bool findings_only)
{
	if (findings_only && t->nfindings == 0)
		return false;
	if (filter == NULL || filter[0] == '\0')
		return true;
	return contains(t->a_str, filter) || contains(t->b_str, filter);
}
