/*
 * TEMPORARY (branch tui): stand-ins for the live-capture API of capture.h until
 * capture/live.c (branch live) is merged; they describe a file capture.  Delete
 * this file and its line in meson.build when merging capture/live.c.
 */
#include "capture/capture.h"

bool
cap_is_live(const struct cap *c)
{
	(void)c;
	return false;
}

int
cap_get_fd(const struct cap *c)
{
	(void)c;
	return -1;
}

const char *
cap_source(const struct cap *c)
{
	(void)c;
	return "";
}

const char *
cap_filter(const struct cap *c)
{
	(void)c;
	return "";
}

void
cap_get_drops(struct cap *c, struct cap_drops *d)
{
	(void)c;
	d->valid = false;
	d->received = d->dropped = d->if_dropped = 0;
}
