/*
 * Live capture: a non-blocking capture polled with a bounded timeout, so that
 * signals and the once-a-second diagnosis are serviced between batches.  What
 * is shown is one choice (live_view_for): the ncurses view on a terminal, or a
 * stream of text / NDJSON records (findings as they are raised, IKE SAs as
 * they reach a final state, packets with -v), then the final report without
 * the findings already streamed, and the summary with pcap_stats' drops.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/live.h"
#include "diagnose/rules.h"

#define LIVE_BATCH	  256	  /* frames per cap_dispatch */
#define LIVE_POLL_MS	  200	  /* longest wait for packets: signals and timers run */
#define LIVE_DIAG_USEC	  1000000 /* diagnose (and stream) about once a second */
#define LIVE_STREAMED_MAX 65536	  /* distinct findings remembered as streamed */

void
tap_pkt(void *ctx, const struct pkt *p)
{
	struct tap *t = ctx;
	analysis_pkt(t->a, p);
	if (t->w && p->kind != PK_NONE)
		cap_writer_frame(t->w, p->fr);
}

void
tap_drop(void *ctx, const struct reasm_datagram *d)
{
	struct tap *t = ctx;
	analysis_drop(t->a, d);
}

struct cap *
live_open(const struct options *o, char *err, size_t errlen, int *exit_code)
{
	char warn[512];
	struct cap_live_opts lo = {
	    .iface = o->iface,
	    .filter = o->filter,
	    .buffer_kib = o->buffer_kib,
	    .immediate = live_wants_tui(o), /* the view shows each packet at once */
	};
	struct cap *c = cap_open_live(&lo, err, errlen, exit_code, warn, sizeof(warn));
	if (c && warn[0])
		fprintf(stderr, "ikescope: warning: %s\n", warn);
	return c;
}

/* ---- signals: flags only, and pcap_breakloop (async-signal-safe) ---- */

static volatile sig_atomic_t live_stop, live_usr1;
static struct cap *live_cap;

static void
live_on_stop(int sig)
{
	(void)sig;
	live_stop = 1;
	if (live_cap)
		cap_breakloop(live_cap);
}

static void
live_on_usr1(int sig)
{
	(void)sig;
	live_usr1 = 1;
}

static void
live_signals(struct cap *c)
{
	struct sigaction sa;
	live_cap = c;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: poll returns at once with EINTR. */
	sa.sa_handler = live_on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = live_on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
}

static uint64_t
clock_usec(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---- what has been streamed ---- */

/* A finding is streamed once per (code, IKE version, initiator, responder). */
struct live_key {
	enum finding_code code;
	uint8_t ike_version;
	struct ip_addr initiator, responder;
};

struct live {
	const struct options *o;
	struct analysis *a;
	struct cap *c;
	struct cap_writer *w;
	struct live_key *keys;
	size_t nkeys, akeys;
	uint8_t *sa_shown; /* per IKE SA (table index): state streamed + 1, 0 = none */
	uint32_t nsa_shown;
};

static void
live_key_of(const struct finding *f, struct live_key *k)
{
	memset(k, 0, sizeof(*k));
	k->code = f->code;
	k->ike_version = f->ike_version;
	k->initiator = f->initiator;
	k->responder = f->responder;
}

static bool
live_streamed(const struct live *l, const struct finding *f)
{
	struct live_key k;
	live_key_of(f, &k);
	for (size_t i = 0; i < l->nkeys; i++) {
		const struct live_key *x = &l->keys[i];
		if (x->code == k.code && x->ike_version == k.ike_version &&
		    ip_addr_eq(&x->initiator, &k.initiator) &&
		    ip_addr_eq(&x->responder, &k.responder))
			return true;
	}
	return false;
}

static bool
live_remember(struct live *l, const struct finding *f)
{
	if (l->nkeys >= LIVE_STREAMED_MAX)
		return false; /* left for the final report */
	if (l->nkeys == l->akeys) {
		l->akeys = l->akeys ? 2 * l->akeys : 64;
		l->keys = xrealloc(l->keys, l->akeys, sizeof(*l->keys));
	}
	live_key_of(f, &l->keys[l->nkeys++]);
	return true;
}

/* The IKE SA's state as last streamed (SA_* + 1), 0 when never. */
static uint8_t
live_sa_shown(const struct live *l, uint32_t i)
{
	return i < l->nsa_shown ? l->sa_shown[i] : 0;
}

static void
live_sa_set_shown(struct live *l, uint32_t i, uint8_t v)
{
	if (i >= l->nsa_shown) {
		uint32_t n = l->a->ike.n > i ? l->a->ike.n : i + 1;
		l->sa_shown = xrealloc(l->sa_shown, n, 1);
		memset(l->sa_shown + l->nsa_shown, 0, n - l->nsa_shown);
		l->nsa_shown = n;
	}
	l->sa_shown[i] = v;
}

/* Diagnoses the state so far and streams what is new: SAs in a final state, then findings. */
static void
live_stream_tick(struct live *l)
{
	struct analysis *a = l->a;
	/* Read every tick, so that the 64-bit drop totals see each wrap of libpcap's counters. */
	cap_get_drops(l->c, &a->sum.drops);
	if (a->sum.packets == 0)
		return;
	analysis_diagnose(a, clock_usec(CLOCK_REALTIME));
	if (a->rep.quiet)
		return;
	for (uint32_t i = 0; i < a->ike.n; i++) {
		const struct ike_sa *sa = &a->ike.sa[i];
		if (sa->state == SA_INCOMPLETE || live_sa_shown(l, i) == sa->state + 1u)
			continue;
		report_ike_sa(&a->rep, sa);
		live_sa_set_shown(l, i, (uint8_t)(sa->state + 1u));
	}
	for (size_t i = 0; i < a->diag.n; i++) {
		const struct finding *f = &a->diag.list[i];
		if (live_streamed(l, f) || !live_remember(l, f))
			continue;
		report_finding(&a->rep, f);
	}
	fflush(a->rep.out);
}

/* The end: the report without what was streamed, then the summary with the drops. */
static void
live_final(struct live *l)
{
	struct analysis *a = l->a;
	cap_done(l->c);
	analysis_conclude(a, cap_get_stats(l->c), cap_get_reasm_stats(l->c));
	cap_get_drops(l->c, &a->sum.drops);
	struct diag rest;
	diag_init(&rest);
	for (size_t i = 0; i < a->diag.n; i++) {
		const struct finding *pf = &a->diag.list[i];
		if (live_streamed(l, pf))
			continue;
		struct finding *f = diag_raise(&rest, pf->code, pf->confidence, "%s", pf->message);
		if (f == NULL)
			break;
		*f = *pf;
	}
	struct report *r = &a->rep;
	if (!r->quiet && r->json) {
		/* Records a consumer has not seen yet: no finding twice, no SA state twice. */
		for (uint32_t i = 0; i < a->ike.n; i++) {
			const struct ike_sa *sa = &a->ike.sa[i];
			if (live_sa_shown(l, i) != sa->state + 1u)
				report_ike_sa(r, sa);
		}
		json_esp_sas(r, &a->esp);
		json_findings(r, &rest);
	} else {
		report_analysis(r, &a->ike, &a->esp, &rest);
	}
	report_summary(r, &a->sum);
	diag_free(&rest);
}

static void
live_status_line(struct live *l)
{
	struct cap_drops d;
	char buf[200];
	cap_get_drops(l->c, &d);
	cap_drops_format(&d, cap_get_stats(l->c)->frames, buf, sizeof(buf));
	fprintf(stderr, "ikescope: %s: %s\n", cap_source(l->c), buf);
}

/* Streams until stopped; returns 0, or 1 after a capture error. */
static int
live_stream(struct live *l)
{
	char err[512];
	int status = 0;
	int fd = cap_get_fd(l->c);
	uint64_t next_tick = clock_usec(CLOCK_MONOTONIC) + LIVE_DIAG_USEC;
	struct tap t = {.a = l->a, .w = l->w};
	uint64_t max = l->o->count;
	while (!live_stop) {
		if (live_usr1) {
			live_usr1 = 0;
			live_status_line(l);
		}
		int want = LIVE_BATCH;
		uint64_t got = cap_get_stats(l->c)->frames;
		if (max && max - got < (uint64_t)want)
			want = (int)(max - got);
		int n = cap_dispatch(l->c, want, tap_pkt, tap_drop, &t, err, sizeof(err));
		if (n == CAP_END)
			break; /* cap_breakloop */
		if (n < 0) {
			fprintf(stderr, "ikescope: %s: %s\n", cap_source(l->c), err);
			status = 1;
			break;
		}
		if (max && cap_get_stats(l->c)->frames >= max)
			break;
		uint64_t now = clock_usec(CLOCK_MONOTONIC);
		if (now >= next_tick) {
			live_stream_tick(l);
			if (l->w && cap_writer_flush(l->w, err, sizeof(err)) != 0) {
				fprintf(stderr, "ikescope: %s\n", err);
				status = 1;
				break;
			}
			next_tick = now + LIVE_DIAG_USEC;
		}
		if (n > 0)
			continue; /* more may be waiting */
		int wait = (int)((next_tick - now) / 1000u) + 1;
		if (wait > LIVE_POLL_MS)
			wait = LIVE_POLL_MS;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		if (fd < 0) {
			struct timespec ts = {0, (long)wait * 1000000L};
			nanosleep(&ts, NULL);
		} else if (poll(&pfd, 1, wait) < 0 && errno != EINTR) {
			fprintf(stderr, "ikescope: %s: poll: %s\n", cap_source(l->c),
				strerror(errno));
			status = 1;
			break;
		}
	}
	/* Findings raised by the last packets are streamed before the final report. */
	live_stream_tick(l);
	live_final(l);
	return status;
}

bool
live_wants_tui(const struct options *o)
{
	return o->tui || (!o->no_tui && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO));
}

int
live_run(const struct options *o, struct analysis *a, struct cap *c, struct cap_writer *w)
{
	struct live l = {.o = o, .a = a, .c = c, .w = w};
	int status;
	/* Each record reaches a pipe as soon as it is written. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	live_signals(c);
	status = live_stream(&l);
	live_cap = NULL;
	free(l.keys);
	free(l.sa_shown);
	return status;
}
