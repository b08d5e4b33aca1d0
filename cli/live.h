/* Live capture (-i): the loop, streaming, signals; and the -w tap shared with files. */
#ifndef IKESCOPE_CLI_LIVE_H
#define IKESCOPE_CLI_LIVE_H

#include "capture/capture.h"
#include "cli/options.h"
#include "cli/pipeline.h"

/* Hands each frame to the analysis and, with -w, writes those it used (kind != PK_NONE). */
struct tap {
	struct analysis *a;
	struct cap_writer *w; /* NULL without -w */
};
void tap_pkt(void *ctx, const struct pkt *p);
void tap_drop(void *ctx, const struct reasm_datagram *d);

/*
 * Opens o->iface (cap_open_live with -B and the trailing filter) and prints any
 * activation warning on stderr.  NULL with err and *exit_code as cap_open_live.
 */
struct cap *live_open(const struct options *o, char *err, size_t errlen, int *exit_code);

/* -i: the ncurses view (--tui, or a terminal without --no-tui), else the stream. */
bool live_wants_tui(const struct options *o);

/*
 * Captures until SIGINT/SIGTERM or -c, streaming findings (and, with -v, packets)
 * as they come, then prints the final report (without the findings already
 * streamed) and the summary with the drops.  a is initialised, keys set; w may
 * be NULL.  Returns the exit status (0, 1 on a capture error).
 */
int live_run(const struct options *o, struct analysis *a, struct cap *c, struct cap_writer *w);

#endif
