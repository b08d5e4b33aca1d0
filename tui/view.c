/*
 * Drawing the model with curses: the tunnel table, the ladder of the selected
 * tunnel (initiator on the left, responder on the right), findings with their
 * remediation wrapped, a status line and a help overlay; and the keys.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/rules.h"
#include "tui/view.h"

enum role { R_NORMAL, R_OK, R_FAIL, R_WARN, R_INFO, R_DIM, R_HIGHLIGHT, R_TITLE, R_COUNT };

static attr_t role_attr[R_COUNT];

void
view_colors(bool color)
{
	/* Without colour the roles that matter stay visible as bold and reverse. */
	for (int i = 0; i < R_COUNT; i++)
		role_attr[i] = A_NORMAL;
	role_attr[R_FAIL] = A_BOLD;
	role_attr[R_WARN] = A_BOLD;
	role_attr[R_HIGHLIGHT] = A_REVERSE;
	role_attr[R_TITLE] = A_BOLD;
	if (!color || !has_colors())
		return;
	start_color();
	short bg = use_default_colors() == OK ? -1 : COLOR_BLACK;
	static const struct {
		enum role r;
		short fg;
		attr_t extra;
	} map[] = {
	    {R_OK, COLOR_GREEN, A_NORMAL},  {R_FAIL, COLOR_RED, A_BOLD},
	    {R_WARN, COLOR_YELLOW, A_BOLD}, {R_INFO, COLOR_CYAN, A_NORMAL},
	    {R_DIM, COLOR_BLUE, A_NORMAL},  {R_TITLE, COLOR_CYAN, A_BOLD},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		init_pair((short)(i + 1), map[i].fg, bg);
		role_attr[map[i].r] = COLOR_PAIR((int)(i + 1)) | map[i].extra;
	}
}

/* ---- small drawing helpers ---- */

/* Writes s at the cursor in role r, cut at column lim; returns the column reached. */
static int
put(int y, int x, int lim, enum role r, const char *s)
{
	if (x >= lim || y < 0 || y >= LINES)
		return x;
	int n = (int)strlen(s);
	if (n > lim - x)
		n = lim - x;
	attron(role_attr[r]);
	mvaddnstr(y, x, s, n);
	attroff(role_attr[r]);
	return x + n;
}

static void
clear_line(int y)
{
	move(y, 0);
	clrtoeol();
}

static enum role
state_role(int st)
{
	switch (st) {
	case SA_ESTABLISHED:
		return R_OK;
	case SA_FAILED:
		return R_FAIL;
	case SA_INCOMPLETE:
		return R_WARN;
	default:
		return R_DIM;
	}
}

static enum role
severity_role(int sev)
{
	return sev == SEV_ERROR ? R_FAIL : sev == SEV_WARNING ? R_WARN : R_INFO;
}

/* 1234 -> "1234", 12345 -> "12.3k", ... */
static const char *
human(double v, char *buf, size_t len)
{
	static const char unit[] = " kMGT";
	int u = 0;
	while (v >= 10000 && u < 4) {
		v /= 1000;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.1f%c", v, unit[u]);
	return buf;
}

/* ---- which tunnels are shown ---- */

static bool
shown(const struct view *v, const struct tui_model *m, size_t i)
{
	return tm_tunnel_match(&m->t[i], v->filter, v->findings_only);
}

/* Position of the selection among the shown tunnels, and how many are shown. */
static int
shown_index(const struct view *v, const struct tui_model *m, int *count)
{
	int pos = -1, n = 0;
	for (size_t i = 0; i < m->n; i++) {
		if (!shown(v, m, i))
			continue;
		if ((int)i == v->sel)
			pos = n;
		n++;
	}
	*count = n;
	return pos;
}

bool
view_fix_selection(struct view *v, const struct tui_model *m)
{
	int old = v->sel;
	if (v->sel >= 0 && (size_t)v->sel < m->n && shown(v, m, (size_t)v->sel))
		return false;
	v->sel = -1;
	for (size_t i = 0; i < m->n; i++)
		if (shown(v, m, i)) {
			v->sel = (int)i;
			break;
		}
	return v->sel != old;
}

/* ---- panes ---- */

static void
pane_title(int y, const struct view *v, enum view_pane p, const char *title)
{
	clear_line(y);
	attron(role_attr[v->focus == p ? R_HIGHLIGHT : R_TITLE]);
	mvhline(y, 0, ' ', COLS);
	mvaddnstr(y, 1, title, COLS - 2);
	attroff(role_attr[v->focus == p ? R_HIGHLIGHT : R_TITLE]);
}

static void
draw_table(struct view *v, const struct tui_model *m, int y0, int h)
{
	char title[160];
	int count, pos = shown_index(v, m, &count);
	snprintf(title, sizeof(title), "Tunnels (%d%s%s)", count,
		 v->findings_only ? ", with findings only" : "", v->filter[0] ? ", filtered" : "");
	pane_title(y0, v, PANE_TABLE, title);
	clear_line(y0 + 1);
	put(y0 + 1, 0, COLS, R_TITLE,
	    " PEERS                           VER STATE       IKE ESP   >PKT/S   >BIT/S   <PKT/S"
	    "   <BIT/S FINDING");
	int rows = h - 2;
	if (rows < 1)
		return;
	if (pos >= 0 && pos < v->top)
		v->top = pos;
	if (pos >= v->top + rows)
		v->top = pos - rows + 1;
	if (v->top > count - rows)
		v->top = count - rows > 0 ? count - rows : 0;
	int n = 0, y = y0 + 2;
	for (size_t i = 0; i < m->n && y < y0 + h; i++) {
		if (!shown(v, m, i) || n++ < v->top)
			continue;
		const struct tm_tunnel *t = &m->t[i];
		bool selected = (int)i == v->sel;
		char peers[100], line[256], b[4][16], ver[8];
		snprintf(peers, sizeof(peers), "%s <> %s", t->a_str, t->b_str);
		snprintf(ver, sizeof(ver), t->version ? "v%u" : "-", t->version);
		clear_line(y);
		snprintf(line, sizeof(line), " %-31s %-3s ", peers, ver);
		if (selected)
			attron(role_attr[R_HIGHLIGHT]);
		int x = put(y, 0, COLS, R_NORMAL, line);
		attroff(role_attr[R_HIGHLIGHT]);
		snprintf(line, sizeof(line), "%-11s ",
			 t->state >= 0 ? sa_state_name((uint8_t)t->state) : "esp-only");
		x = put(y, x, COLS, t->state >= 0 ? state_role(t->state) : R_DIM, line);
		snprintf(line, sizeof(line), "%3u %3u %8s %8s %8s %8s ", t->nike, t->nesp,
			 human(t->pps[TM_AB], b[0], sizeof(b[0])),
			 human(t->bps[TM_AB], b[1], sizeof(b[1])),
			 human(t->pps[TM_BA], b[2], sizeof(b[2])),
			 human(t->bps[TM_BA], b[3], sizeof(b[3])));
		x = put(y, x, COLS, R_NORMAL, line);
		if (t->worst >= 0) {
			snprintf(line, sizeof(line), "%s%s", diag_catalog[t->worst].name,
				 t->nfindings > 1 ? " +" : "");
			put(y, x, COLS, severity_role(t->worst_severity), line);
		} else {
			put(y, x, COLS, R_DIM, "-");
		}
		y++;
	}
	for (; y < y0 + h; y++)
		clear_line(y);
	if (count == 0)
		put(y0 + 2, 1, COLS, R_DIM,
		    m->n ? "no tunnel passes the filter (Esc clears it, f toggles findings only)"
			 : "no IKE or ESP traffic seen yet");
}

/* The ladder: frame, time, then an arrow across the width, initiator on the left. */
static void
draw_step(int y, const struct ladder_step *s)
{
	char buf[320];
	snprintf(buf, sizeof(buf), "%6llu %4llu.%03u ", (unsigned long long)s->frame,
		 (unsigned long long)(s->rel_usec / 1000000),
		 (unsigned)(s->rel_usec % 1000000 / 1000));
	int x = put(y, 0, COLS, R_DIM, buf);
	int right = COLS - 1;
	x = put(y, x, right, R_NORMAL, s->from_i ? "|--" : "|<-");
	snprintf(buf, sizeof(buf), " %s%s #%u ", s->exchange,
		 s->v2 ? (s->response ? " response" : " request") : "", s->msgid);
	x = put(y, x, right, R_TITLE, buf);
	x = put(y, x, right, R_NORMAL, s->payloads);
	for (uint8_t k = 0; k < s->nnotify; k++) {
		if (s->notify_name[k])
			snprintf(buf, sizeof(buf), " N(%s)", s->notify_name[k]);
		else
			snprintf(buf, sizeof(buf), " N(%u)", s->notify[k]);
		x = put(y, x, right, R_FAIL, buf);
	}
	if (s->skf_total) {
		snprintf(buf, sizeof(buf), " fragment %u/%u", s->skf_n, s->skf_total);
		x = put(y, x, right, R_NORMAL, buf);
	}
	snprintf(buf, sizeof(buf), " %uB", s->len);
	x = put(y, x, right, R_DIM, buf);
	if (s->ip_fragmented)
		x = put(y, x, right, R_WARN, " IP-fragmented");
	if (s->retrans_of) {
		snprintf(buf, sizeof(buf), " RETRANSMISSION of %llu",
			 (unsigned long long)s->retrans_of);
		x = put(y, x, right, R_WARN, buf);
	}
	if (s->unexpected)
		x = put(y, x, right, R_WARN, " (unexpected)");
	x = put(y, x, right, R_NORMAL, " ");
	while (x < right - 3)
		x = put(y, x, right, R_NORMAL, "-");
	put(y, x, COLS, R_NORMAL, s->from_i ? "->|" : "--|");
}

static void
draw_ladder(struct view *v, const struct tui_model *m, int y0, int h)
{
	char title[200] = "Ladder";
	if (v->sel >= 0 && (size_t)v->sel < m->n)
		snprintf(title, sizeof(title),
			 "Ladder  %s <> %s   (initiator left, responder right)", m->t[v->sel].a_str,
			 m->t[v->sel].b_str);
	pane_title(y0, v, PANE_LADDER, title);
	int rows = h - 1;
	int total = (int)m->nladder + (m->ladder_more ? 1 : 0);
	if (v->ladder_top > total - rows)
		v->ladder_top = total - rows;
	if (v->ladder_top < 0)
		v->ladder_top = 0;
	int y = y0 + 1;
	for (int i = v->ladder_top; i < total && y < y0 + h; i++, y++) {
		clear_line(y);
		if ((size_t)i >= m->nladder) {
			char b[64];
			snprintf(b, sizeof(b), "   ... and %u more messages", m->ladder_more);
			put(y, 0, COLS, R_DIM, b);
			continue;
		}
		const struct tm_row *r = &m->ladder[i];
		if (!r->heading) {
			draw_step(y, &r->step);
			continue;
		}
		char b[256];
		snprintf(b, sizeof(b), " IKEv%u SA %s  initiator %s  responder %s  ", r->version,
			 r->spi_i, r->initiator, r->responder);
		int x = put(y, 0, COLS, R_TITLE, b);
		put(y, x, COLS, state_role(r->state), sa_state_name(r->state));
	}
	for (; y < y0 + h; y++)
		clear_line(y);
	if (m->nladder == 0)
		put(y0 + 1, 1, COLS, R_DIM, "no IKE messages between these peers");
}

/* Lines of the findings pane: built, wrapped, then the visible ones drawn. */
struct fline {
	enum role role;
	int indent;
	const char *text;
	int len;
};

#define FLINES_MAX 8192

static int
wrap(struct fline *out, int n, enum role r, int indent, const char *s, int width)
{
	int w = width - indent;
	if (w < 10)
		w = 10;
	while (*s && n < FLINES_MAX) {
		int len = (int)strlen(s);
		int take = len;
		if (len > w) {
			take = w;
			while (take > 0 && s[take] != ' ')
				take--;
			if (take == 0)
				take = w;
		}
		out[n++] = (struct fline){r, indent, s, take};
		s += take;
		while (*s == ' ')
			s++;
	}
	return n;
}

static void
draw_findings(struct view *v, const struct tui_model *m, int y0, int h)
{
	static struct fline lines[FLINES_MAX];
	static char heads[TM_MAX_FINDINGS][400];
	bool all = v->findings_only || v->sel < 0;
	char title[160];
	int count = 0;
	int n = 0;
	for (size_t k = 0; k < m->nf; k++) {
		const struct tm_finding *f = &m->f[k];
		if (!all && f->tunnel != v->sel)
			continue;
		if (all && f->tunnel >= 0 && !shown(v, m, (size_t)f->tunnel))
			continue;
		count++;
		char *hd = heads[k];
		int o = snprintf(hd, sizeof(heads[k]), "[%s] %s (%s)  frames %s",
				 diag_severity_name(f->severity), diag_catalog[f->code].name,
				 diag_confidence_name(f->confidence), f->frames);
		if (all && f->tunnel >= 0 && o < (int)sizeof(heads[k]))
			snprintf(hd + o, sizeof(heads[k]) - (size_t)o, "  %s <> %s",
				 m->t[f->tunnel].a_str, m->t[f->tunnel].b_str);
		n = wrap(lines, n, severity_role(f->severity), 1, hd, COLS - 1);
		n = wrap(lines, n, R_NORMAL, 3, f->message, COLS - 1);
		n = wrap(lines, n, R_INFO, 3, "what to change:", COLS - 1);
		n = wrap(lines, n, R_OK, 5, diag_catalog[f->code].remediation, COLS - 1);
	}
	if (all)
		snprintf(title, sizeof(title), "Findings (%d, all tunnels shown)", count);
	else
		snprintf(title, sizeof(title), "Findings (%d) of %s <> %s", count,
			 m->t[v->sel].a_str, m->t[v->sel].b_str);
	pane_title(y0, v, PANE_FINDINGS, title);
	int rows = h - 1;
	if (v->find_top > n - rows)
		v->find_top = n - rows;
	if (v->find_top < 0)
		v->find_top = 0;
	int y = y0 + 1;
	for (int i = v->find_top; i < n && y < y0 + h; i++, y++) {
		clear_line(y);
		attron(role_attr[lines[i].role]);
		mvaddnstr(y, lines[i].indent, lines[i].text, lines[i].len);
		attroff(role_attr[lines[i].role]);
	}
	for (; y < y0 + h; y++)
		clear_line(y);
	if (count == 0)
		put(y0 + 1, 1, COLS, R_DIM, "no findings");
}

/* snprintf at offset o of buf, never past its end; returns the new offset. */
static size_t __attribute__((format(printf, 4, 5)))
sappend(char *buf, size_t cap, size_t o, const char *fmt, ...)
{
	if (o >= cap)
		return o;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + o, cap - o, fmt, ap);
	va_end(ap);
	if (n < 0)
		return o;
	return o + (size_t)n < cap ? o + (size_t)n : cap - 1;
}

static void
draw_status(const struct view *v, const struct tui_model *m)
{
	int y = LINES - 1;
	char b[512], r[3][16];
	clear_line(y);
	if (v->editing) {
		snprintf(b, sizeof(b), "Filter peers: %s_   (Enter keeps it, Esc clears it)",
			 v->filter);
		put(y, 0, COLS, R_HIGHLIGHT, b);
		return;
	}
	size_t o = 0;
	o = sappend(b, sizeof(b), o, " %s %s | %llu pkts %s/s | IKE %llu ESP %llu",
		    v->live ? "iface" : "file", v->source, (unsigned long long)m->packets,
		    human(m->pkt_rate, r[0], sizeof(r[0])), (unsigned long long)m->ike_packets,
		    (unsigned long long)m->esp_packets);
	if (v->live && v->drops.valid)
		o = sappend(b, sizeof(b), o, " | drops %llu+%llu",
			    (unsigned long long)v->drops.dropped,
			    (unsigned long long)v->drops.if_dropped);
	else if (v->live)
		o = sappend(b, sizeof(b), o, " | drops n/a");
	if (v->bpf && v->bpf[0])
		o = sappend(b, sizeof(b), o, " | filter: %s", v->bpf);
	if (v->filter[0])
		o = sappend(b, sizeof(b), o, " | peers ~ %s", v->filter);
	if (v->state)
		o = sappend(b, sizeof(b), o, " | %s", v->state);
	int x = put(y, 0, COLS, R_NORMAL, b);
	if (v->paused)
		x = put(y, x, COLS, R_WARN, " | PAUSED");
	if (v->message[0]) {
		x = put(y, x, COLS, R_NORMAL, " | ");
		x = put(y, x, COLS, R_FAIL, v->message);
	}
	put(y, x, COLS, R_DIM, " | ? help  q quit");
}

/* The keys, for the help overlay (and the man page says the same). */
static const char *const help_lines[] = {
    "ikescope keys",
    "",
    "  Up/Down, k/j    move in the focused pane",
    "  PgUp/PgDn       a page up or down",
    "  Enter           open or close the ladder of the selected tunnel",
    "  Tab             focus the next pane (tunnels, ladder, findings)",
    "  /               filter tunnels by part of a peer address",
    "  Esc             clear the filter",
    "  f               findings only (tunnels with findings, every finding)",
    "  p               pause the display (the capture goes on)",
    "  ?               this help (any key closes it)",
    "  q               quit",
    "",
    "  Colours: green established, red failed/error, yellow warning,",
    "  cyan info.  NO_COLOR or --color never turns them off.",
};

static void
draw_help(void)
{
	int n = (int)(sizeof(help_lines) / sizeof(help_lines[0]));
	int w = 76 < COLS - 2 ? 76 : COLS - 2;
	int h = n + 2 < LINES - 1 ? n + 2 : LINES - 1;
	int y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;
	if (w < 10 || h < 3)
		return;
	for (int y = y0; y < y0 + h; y++) {
		move(y, x0);
		for (int x = 0; x < w; x++)
			addch(' ');
	}
	attron(role_attr[R_TITLE]);
	mvhline(y0, x0, ACS_HLINE, w);
	mvhline(y0 + h - 1, x0, ACS_HLINE, w);
	mvvline(y0, x0, ACS_VLINE, h);
	mvvline(y0, x0 + w - 1, ACS_VLINE, h);
	mvaddch(y0, x0, ACS_ULCORNER);
	mvaddch(y0, x0 + w - 1, ACS_URCORNER);
	mvaddch(y0 + h - 1, x0, ACS_LLCORNER);
	mvaddch(y0 + h - 1, x0 + w - 1, ACS_LRCORNER);
	attroff(role_attr[R_TITLE]);
	for (int i = 0; i < n && i < h - 2; i++)
		put(y0 + 1 + i, x0 + 2, x0 + w - 1, i == 0 ? R_TITLE : R_NORMAL, help_lines[i]);
}

void
view_draw(struct view *v, const struct tui_model *m)
{
	view_fix_selection(v, m);
	int avail = LINES - 1; /* above the status line */
	if (avail < 4 || COLS < 20) {
		erase();
		mvaddnstr(0, 0, "terminal too small", COLS);
		refresh();
		return;
	}
	int count;
	shown_index(v, m, &count);
	int th, lh = 0, fh;
	if (v->detail && v->sel >= 0) {
		th = count + 2 < avail / 4 ? count + 2 : avail / 4;
		if (th < 3)
			th = 3;
		lh = (avail - th) * 3 / 5;
		fh = avail - th - lh;
	} else {
		th = count + 2 < avail / 2 ? count + 2 : avail / 2;
		if (th < 3)
			th = 3;
		fh = avail - th;
	}
	if (v->focus == PANE_LADDER && lh == 0)
		v->focus = PANE_TABLE;
	draw_table(v, m, 0, th);
	if (lh)
		draw_ladder(v, m, th, lh);
	draw_findings(v, m, th + lh, fh);
	draw_status(v, m);
	if (v->help)
		draw_help();
	refresh();
}

/* Moves the selection by delta among the shown tunnels. */
static bool
move_sel(struct view *v, const struct tui_model *m, int delta)
{
	int count, pos = shown_index(v, m, &count);
	if (count == 0)
		return false;
	int want = pos < 0 ? 0 : pos + delta;
	if (want < 0)
		want = 0;
	if (want >= count)
		want = count - 1;
	if (want == pos)
		return false;
	int n = 0;
	for (size_t i = 0; i < m->n; i++) {
		if (!shown(v, m, i))
			continue;
		if (n++ == want) {
			v->sel = (int)i;
			break;
		}
	}
	v->ladder_top = 0;
	v->find_top = 0;
	return true;
}

static enum view_action
key_filter(struct view *v, const struct tui_model *m, int key)
{
	size_t len = strlen(v->filter);
	if (key == 27) {
		v->filter[0] = '\0';
		v->editing = false;
	} else if (key == '\n' || key == '\r' || key == KEY_ENTER) {
		v->editing = false;
	} else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
		if (len)
			v->filter[len - 1] = '\0';
	} else if (key >= 32 && key < 127 && len + 1 < sizeof(v->filter)) {
		v->filter[len] = (char)key;
		v->filter[len + 1] = '\0';
	} else {
		return VA_NONE;
	}
	return view_fix_selection(v, m) ? VA_SELECT : VA_REDRAW;
}

/* Scrolls the focused pane, or moves the selection in the table. */
static enum view_action
key_move(struct view *v, const struct tui_model *m, int delta)
{
	switch (v->focus) {
	case PANE_TABLE:
		return move_sel(v, m, delta) ? VA_SELECT : VA_NONE;
	case PANE_LADDER:
		v->ladder_top += delta;
		if (v->ladder_top < 0)
			v->ladder_top = 0;
		return VA_REDRAW;
	case PANE_FINDINGS:
		v->find_top += delta;
		if (v->find_top < 0)
			v->find_top = 0;
		return VA_REDRAW;
	}
	return VA_NONE;
}

enum view_action
view_key(struct view *v, const struct tui_model *m, int key)
{
	if (key == KEY_RESIZE)
		return VA_REDRAW;
	if (v->editing)
		return key_filter(v, m, key);
	if (v->help) {
		v->help = false;
		return key == 'q' ? VA_QUIT : VA_REDRAW;
	}
	int page = LINES / 3 > 1 ? LINES / 3 : 1;
	switch (key) {
	case 'q':
	case 'Q':
		return VA_QUIT;
	case KEY_UP:
	case 'k':
		return key_move(v, m, -1);
	case KEY_DOWN:
	case 'j':
		return key_move(v, m, 1);
	case KEY_PPAGE:
		return key_move(v, m, -page);
	case KEY_NPAGE:
		return key_move(v, m, page);
	case '\n':
	case '\r':
	case KEY_ENTER:
		v->detail = !v->detail;
		v->ladder_top = 0;
		v->focus = v->detail ? PANE_LADDER : PANE_TABLE;
		return VA_SELECT;
	case '\t':
		v->focus = (enum view_pane)((v->focus + 1) % 3);
		if (v->focus == PANE_LADDER && !v->detail)
			v->focus = PANE_FINDINGS;
		return VA_REDRAW;
	case '/':
		v->editing = true;
		return VA_REDRAW;
	case 27:
		v->filter[0] = '\0';
		return view_fix_selection(v, m) ? VA_SELECT : VA_REDRAW;
	case 'f':
		v->findings_only = !v->findings_only;
		v->find_top = 0;
		return view_fix_selection(v, m) ? VA_SELECT : VA_REDRAW;
	case 'p':
		v->paused = !v->paused;
		return VA_REDRAW;
	case '?':
	case 'h':
		v->help = true;
		return VA_REDRAW;
	default:
		return VA_NONE;
	}
}
