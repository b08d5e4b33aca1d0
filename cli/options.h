/* Command-line options (INTERFACE.md). */
#ifndef IKESCOPE_CLI_OPTIONS_H
#define IKESCOPE_CLI_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum cli_cmd { CMD_ANALYZE, CMD_LIST_FINDINGS, CMD_SAMPLES, CMD_VERSION, CMD_HELP };

struct options {
	enum cli_cmd cmd;
	const char *read_file;
	uint64_t count;
	int verbose;
	bool json;
	bool quiet;
	int fail_on;	      /* -1 none, else enum severity */
	const char *profile;  /* --profile NAME|FILE, or NULL */
	const char *keys[16]; /* --keys FILE, repeatable */
	unsigned nkeys;
	const char *psk;      /* --psk SECRET */
	const char *psk_file; /* --psk-file FILE */
	char *filter;	      /* trailing BPF expression, joined; owned */
	/* the ncurses view (tui/) */
	bool tui;      /* --tui */
	bool realtime; /* --realtime (with --tui -r) */
	int color;     /* --color: enum tui_color (0 auto, 1 always, 2 never) */
	/* live capture (cli/live.c) and -w */
	const char *iface;	/* -i IFACE */
	unsigned buffer_kib;	/* -B KiB; 0 for libpcap's default */
	const char *write_file; /* -w FILE */
	const char *user;	/* -Z USER */
	bool no_tui;		/* --no-tui */
};

/* Returns 0, or 2 with a message on stderr (usage error). */
int options_parse(struct options *o, int argc, char **argv);
void options_free(struct options *o);
void options_usage(FILE *f);

#endif
