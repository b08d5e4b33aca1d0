/*
 * A progress line for large files while stderr is a terminal: the share of the
 * file read and the packet rate, erased when done.  Display only: the wall
 * clock never reaches the analysis.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "capture/capture.h"

struct progress {
	long long size;
	struct timespec start, last;
	bool shown;
};

static double
progress_secs(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

struct progress *
progress_new(long long file_size)
{
	struct progress *pg = xcalloc(1, sizeof(*pg));
	pg->size = file_size;
	clock_gettime(CLOCK_MONOTONIC, &pg->start);
	pg->last = pg->start;
	return pg;
}

void
progress_update(struct progress *pg, long long pos, uint64_t frames)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	/* Four redraws a second, and nothing for reads that finish within half a second. */
	if (progress_secs(&pg->last, &now) < 0.25 || progress_secs(&pg->start, &now) < 0.5)
		return;
	pg->last = now;
	double el = progress_secs(&pg->start, &now);
	double pct = pg->size > 0 && pos >= 0 ? 100.0 * (double)pos / (double)pg->size : 0;
	if (pct > 100)
		pct = 100;
	fprintf(stderr, "\r\033[Kikescope: %5.1f%% read, %llu packets, %.0f packets/s", pct,
		(unsigned long long)frames, el > 0 ? (double)frames / el : 0.0);
	fflush(stderr);
	pg->shown = true;
}

void
progress_done(struct progress *pg)
{
	if (pg->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	free(pg);
}
