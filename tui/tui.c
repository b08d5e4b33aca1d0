/*
 * The TUI's loop: read packets in bounded batches (cap_dispatch), take a model
 * snapshot and redraw at most 10 times a second, handle keys; the terminal is
 * restored on quit, on error and on SIGINT/SIGTERM/SIGHUP (a flag ends the
 * loop), and at least endwin() on fatal signals, which then go to whatever
 * handled them before.
 */
#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui/model.h"
#include "tui/tui.h"
#include "tui/view.h"

#define REDRAW_USEC	 100000 /* at most 10 Hz */
#define READ_BUDGET_USEC 40000	/* reading between two looks at the keys */
#define BATCH		 256	/* frames per cap_dispatch */

static volatile sig_atomic_t tui_signal;

static void
on_stop(int sig)
{
	tui_signal = sig;
}

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
#define NSTOP  (sizeof(stop_signals) / sizeof(stop_signals[0]))
#define NFATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))

struct saved_signals {
	struct sigaction stop[NSTOP], fatal[NFATAL];
};

/* What was installed before the TUI's own handlers, for on_fatal to hand over to. */
static struct saved_signals *tui_saved;

/*
 * The terminal first, then whatever handled the signal before the TUI (the
 * file reader's "the file shrank" line for a SIGBUS inside the mapped file, or
 * the default action).  A fault raised by the kernel is handed over by
 * returning: the faulting instruction runs again under the restored handler,
 * which then sees the real fault address.  A signal that was sent is raised
 * again.
 */
static void
on_fatal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	/* Not async-signal-safe, but the terminal is worth the risk when dying anyway. */
	endwin();
	bool restored = false;
	for (size_t i = 0; i < NFATAL && tui_saved != NULL; i++)
		if (fatal_signals[i] == sig)
			restored = sigaction(sig, &tui_saved->fatal[i], NULL) == 0;
	if (!restored)
		signal(sig, SIG_DFL);
	if (si == NULL || si->si_code <= 0)
		raise(sig);
}

static void
signals_install(struct saved_signals *s)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop; /* no SA_RESTART: poll returns at once */
	for (size_t i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &sa, &s->stop[i]);
	sa.sa_sigaction = on_fatal;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	for (size_t i = 0; i < NFATAL; i++)
		sigaction(fatal_signals[i], &sa, &s->fatal[i]);
	tui_saved = s;
}

static void
signals_restore(const struct saved_signals *s)
{
	for (size_t i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &s->stop[i], NULL);
	for (size_t i = 0; i < NFATAL; i++)
		sigaction(fatal_signals[i], &s->fatal[i], NULL);
	tui_saved = NULL;
}

static uint64_t
clock_usec(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

bool
tui_usable(char *err, size_t errlen)
{
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		return true;
	snprintf(err, errlen,
		 "--tui needs a terminal on standard input and output "
		 "(without one, leave out --tui for the text report)");
	return false;
}

static bool
want_color(enum tui_color c)
{
	if (c == TUI_COLOR_ALWAYS)
		return true;
	if (c == TUI_COLOR_NEVER)
		return false;
	const char *nc = getenv("NO_COLOR");
	return nc == NULL || nc[0] == '\0';
}

/* Realtime replay: each frame's analysis waits until its time has come. */
struct pacer {
	cap_pkt_fn pkt;
	cap_drop_fn drop;
	void *ctx;
	uint64_t ts; /* of the frame just delivered */
	bool got, based;
	uint64_t base_wall, base_ts, last_ts;
	uint64_t due; /* wall time (monotonic) at which the last frame is due */
};

static void
pacer_pkt(void *ctx, const struct pkt *p)
{
	struct pacer *pc = ctx;
	pc->pkt(pc->ctx, p);
	pc->ts = p->fr->ts_usec;
	pc->got = true;
}

static void
pacer_drop(void *ctx, const struct reasm_datagram *d)
{
	struct pacer *pc = ctx;
	pc->drop(pc->ctx, d);
}

/* The wall time at which the frame of capture time ts is due (long gaps shortened). */
static uint64_t
pacer_due(struct pacer *pc, uint64_t ts, uint64_t now)
{
	const uint64_t max_gap = (uint64_t)TUI_REALTIME_MAX_GAP * 1000000u;
	if (!pc->based) {
		pc->based = true;
		pc->base_wall = now;
		pc->base_ts = ts;
		pc->last_ts = ts;
	}
	if (ts > pc->last_ts && ts - pc->last_ts > max_gap)
		pc->base_ts += ts - pc->last_ts - max_gap;
	if (ts > pc->last_ts)
		pc->last_ts = ts;
	uint64_t off = pc->last_ts >= pc->base_ts ? pc->last_ts - pc->base_ts : 0;
	return pc->base_wall + off;
}

struct reader {
	const struct tui_opts *o;
	struct cap *c;
	struct analysis *a;
	struct pacer pc;
	bool eof, failed;
	char err[256];
};

/* Frames still allowed by -c for one dispatch. */
static int
batch_size(const struct reader *r, int want)
{
	if (r->o->count == 0)
		return want;
	uint64_t seen = cap_get_stats(r->c)->frames;
	if (seen >= r->o->count)
		return 0;
	return r->o->count - seen < (uint64_t)want ? (int)(r->o->count - seen) : want;
}

/* One cap_dispatch; false when the input ended (or failed). */
static bool
reader_dispatch(struct reader *r, int want, cap_pkt_fn fn, cap_drop_fn dropfn, void *ctx, int *got)
{
	*got = 0;
	int n = batch_size(r, want);
	if (n == 0) {
		r->eof = true;
		return false;
	}
	n = cap_dispatch(r->c, n, fn, dropfn, ctx, r->err, sizeof(r->err));
	if (n >= 0) {
		*got = n;
		return true;
	}
	r->eof = true;
	if (n == CAP_ERROR)
		r->failed = true;
	else if (n == CAP_TRUNCATED)
		snprintf(r->err, sizeof(r->err), "the file ends mid-record");
	return false;
}

/* Reads for a bounded time; returns false when nothing was waiting (live). */
static void
reader_step(struct reader *r, uint64_t now)
{
	uint64_t until = now + READ_BUDGET_USEC;
	int got;
	if (r->o->realtime && !cap_is_live(r->c)) {
		/* One frame at a time, while each is already due. */
		for (int i = 0; i < BATCH && !r->eof && r->pc.due <= now; i++) {
			r->pc.got = false;
			if (!reader_dispatch(r, 1, pacer_pkt, pacer_drop, &r->pc, &got))
				break;
			if (r->pc.got)
				r->pc.due = pacer_due(&r->pc, r->pc.ts, now);
		}
		return;
	}
	do {
		if (!reader_dispatch(r, BATCH, r->pc.pkt, r->pc.drop, r->pc.ctx, &got) || got == 0)
			break;
	} while (clock_usec(CLOCK_MONOTONIC) < until);
}

static void
snapshot(struct tui_model *m, struct reader *r, bool concluded)
{
	bool live = cap_is_live(r->c);
	uint64_t wall = clock_usec(CLOCK_REALTIME);
	if (!concluded)
		analysis_diagnose(r->a, live ? wall : 0);
	tm_snapshot(m, r->a, live ? wall : r->a->sum.last_ts);
}

int
tui_run(const struct tui_opts *o, struct cap *c, struct analysis *a, char *err, size_t errlen)
{
	if (!tui_usable(err, errlen))
		return 1;
	setlocale(LC_CTYPE, "");
	struct saved_signals saved;
	tui_signal = 0;
	signals_install(&saved);
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (scr == NULL) {
		signals_restore(&saved);
		snprintf(err, errlen, "cannot set up the terminal (TERM=%s)",
			 getenv("TERM") ? getenv("TERM") : "");
		return 1;
	}
	set_term(scr);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	view_colors(want_color(o->color));

	static struct tui_model m;
	tm_init(&m);
	struct view v;
	memset(&v, 0, sizeof(v));
	v.sel = -1;
	v.source = o->source ? o->source : cap_source(c);
	v.bpf = cap_filter(c);
	v.live = cap_is_live(c);
	v.realtime = o->realtime;
	struct reader r;
	memset(&r, 0, sizeof(r));
	r.o = o;
	r.c = c;
	r.a = a;
	r.pc.pkt = o->pkt ? o->pkt : analysis_pkt;
	r.pc.drop = o->pkt ? o->drop : analysis_drop;
	r.pc.ctx = o->pkt ? o->ctx : a;
	bool concluded = false, dirty = true;
	uint64_t next_draw = 0;
	int selected = -2;
	while (!tui_signal) {
		uint64_t now = clock_usec(CLOCK_MONOTONIC);
		/* Keys first: the view answers even while a file is read. */
		int ch;
		bool quit = false;
		while (!quit && (ch = getch()) != ERR) {
			enum view_action act = view_key(&v, &m, ch);
			if (act == VA_QUIT)
				quit = true;
			else if (act != VA_NONE)
				dirty = true;
		}
		if (quit)
			break;
		if (r.eof && !concluded) {
			cap_done(c);
			analysis_conclude(a, cap_get_stats(c), cap_get_reasm_stats(c));
			concluded = true;
			if (r.failed)
				snprintf(v.message, sizeof(v.message), "read error: %s", r.err);
			else if (r.err[0])
				snprintf(v.message, sizeof(v.message), "%s", r.err);
			next_draw = 0;
		}
		/* A realtime replay shows a frame only once its time has come. */
		bool due = !o->realtime || r.eof || r.pc.due <= now;
		if (now >= next_draw && due) {
			if (!v.paused)
				snapshot(&m, &r, concluded);
			next_draw = now + REDRAW_USEC;
			dirty = true;
		}
		view_fix_selection(&v, &m);
		if ((v.detail ? v.sel : -1) != selected) {
			selected = v.detail ? v.sel : -1;
			tm_select(&m, a, selected);
			dirty = true;
		}
		if (dirty) {
			if (v.live)
				cap_get_drops(c, &v.drops);
			v.state = r.eof ? (v.live ? "stopped" : "end of file")
					: (v.live	 ? "capturing"
					   : o->realtime ? "replaying"
							 : "reading");
			view_draw(&v, &m);
			dirty = false;
		}
		if (!r.eof)
			reader_step(&r, now);
		/* Wait for keys (and packets, live) until the next draw or the next frame's time.
		 */
		now = clock_usec(CLOCK_MONOTONIC);
		uint64_t wake = next_draw;
		if (o->realtime && !r.eof && r.pc.due > now && r.pc.due < wake)
			wake = r.pc.due;
		int timeout = wake > now ? (int)((wake - now + 999) / 1000) : 0;
		if (timeout > 100)
			timeout = 100;
		struct pollfd pf[2] = {{.fd = STDIN_FILENO, .events = POLLIN}, {.fd = -1}};
		nfds_t nfd = 1;
		if (v.live && !r.eof && cap_get_fd(c) >= 0) {
			pf[1].fd = cap_get_fd(c);
			pf[1].events = POLLIN;
			nfd = 2;
		}
		bool busy = !r.eof && !v.live && (!o->realtime || r.pc.due <= now);
		if (poll(pf, nfd, busy ? 0 : timeout) < 0 && errno != EINTR)
			break;
	}
	endwin();
	delscreen(scr);
	signals_restore(&saved);
	if (!concluded) {
		cap_done(c);
		analysis_conclude(a, cap_get_stats(c), cap_get_reasm_stats(c));
	}
	tm_free(&m);
	if (r.failed) {
		snprintf(err, errlen, "%s", r.err);
		return 1;
	}
	return 0;
}
