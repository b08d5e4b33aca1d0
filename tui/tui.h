/*
 * The ncurses view (tui/): a tunnel table, the ladder of the selected tunnel,
 * findings with remediation and a status line, redrawn on a timer from the
 * analysis while packets are read in bounded batches.
 */
#ifndef IKESCOPE_TUI_TUI_H
#define IKESCOPE_TUI_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/pipeline.h"

enum tui_color { TUI_COLOR_AUTO, TUI_COLOR_ALWAYS, TUI_COLOR_NEVER };

/* --realtime: the longest pause replayed between two frames, in seconds. */
#define TUI_REALTIME_MAX_GAP 5

struct tui_opts {
	enum tui_color color;
	bool realtime;	    /* files: replay at the capture's own pace */
	uint64_t count;	    /* -c: stop reading after this many packets (0: all) */
	const char *source; /* for the status line; NULL: cap_source() */
	/* Where frames go (e.g. the -w tap); NULL: analysis_pkt / analysis_drop. */
	cap_pkt_fn pkt;
	cap_drop_fn drop;
	void *ctx;
};

/*
 * Whether the view can run here: stdin and stdout must be terminals.  On false,
 * one line in err.
 */
bool tui_usable(char *err, size_t errlen);
/*
 * Runs the view over c (a file or, when cap_is_live, an interface) feeding a,
 * until q or SIGINT/SIGTERM/SIGHUP; the terminal is restored in every case.
 * For files the input is concluded (analysis_conclude) when it ends; for live
 * captures when the view is left.  Returns 0, or 1 with one line in err
 * (reading failed, the terminal could not be set up).
 */
int tui_run(const struct tui_opts *o, struct cap *c, struct analysis *a, char *err, size_t errlen);

#endif
