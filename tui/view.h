/*
 * The panes and keys of the TUI (tui/view.c).  The view state is plain data;
 * view.c is where curses is drawn.
 */
#ifndef IKESCOPE_TUI_VIEW_H
#define IKESCOPE_TUI_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "capture/capture.h"
#include "tui/model.h"

enum view_pane { PANE_TABLE, PANE_LADDER, PANE_FINDINGS };

struct view {
	int sel; /* index of the selected tunnel in the model, -1 none */
	int top; /* first visible row of the table (index among matching tunnels) */
	bool detail;
	enum view_pane focus;
	int ladder_top, find_top;
	char filter[64];
	bool editing; /* typing a filter after '/' */
	bool findings_only, paused, help, color;
	/* for the status line */
	const char *source, *bpf, *state;
	bool live, realtime;
	struct cap_drops drops;
	char message[300]; /* an error to show (read failed) */
};

enum view_action {
	VA_NONE,
	VA_REDRAW, /* the view changed */
	VA_SELECT, /* the selection changed: rebuild the ladder */
	VA_QUIT
};

/* Colour roles mapped to colour pairs, or to plain attributes without colour. */
void view_colors(bool color);
void view_draw(struct view *v, const struct tui_model *m);
enum view_action view_key(struct view *v, const struct tui_model *m, int key);
/* Keeps the selection on a tunnel that passes the filters after the model changed. */
bool view_fix_selection(struct view *v, const struct tui_model *m);

#endif
