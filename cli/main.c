/* ikescope: what went wrong with an IKE/IPsec tunnel, from the packets. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/live.h"
#include "cli/options.h"
#include "cli/pipeline.h"
#include "cli/privs.h"
#include "cli/probe_cmd.h"
#include "cli/samples.h"
#include "config.h"
#include "diagnose/profile.h"
#include "tui/tui.h"

static void
list_findings(void)
{
	for (int i = 0; i < F_COUNT; i++)
		printf("%-26s %-8s %s\n", diag_catalog[i].name,
		       diag_severity_name(diag_catalog[i].severity), diag_catalog[i].summary);
}

/*
 * --profile: a built-in name, else a profile file.  Returns 0, 2 (usage: no such
 * profile, or a bad line, reported as FILE:LINE) or 1 (the file cannot be read).
 */
static int
load_profile(const char *arg, struct profile *p)
{
	char err[512];
	int rc = profile_builtin(p, arg, err, sizeof(err));
	if (rc == 0)
		return 0;
	if (rc != -ENOENT) {
		fprintf(stderr, "ikescope: --profile %s: %s\n", arg, err);
		return 1;
	}
	FILE *f = fopen(arg, "rb");
	if (f == NULL) {
		if (errno == ENOENT || errno == ENOTDIR) {
			fprintf(stderr,
				"ikescope: --profile: no built-in profile and no file named '%s' "
				"(built in: %s)\n",
				arg, profile_builtin_names());
			return 2;
		}
		fprintf(stderr, "ikescope: --profile %s: %s\n", arg, strerror(errno));
		return 1;
	}
	char *text = malloc(PROFILE_MAX_TEXT + 1);
	if (text == NULL) {
		fclose(f);
		fputs("ikescope: out of memory\n", stderr);
		return 1;
	}
	size_t n = fread(text, 1, PROFILE_MAX_TEXT + 1, f);
	int bad = ferror(f);
	int e = errno;
	fclose(f);
	if (bad) {
		fprintf(stderr, "ikescope: --profile %s: %s\n", arg, strerror(e));
		free(text);
		return 1;
	}
	rc = profile_parse(p, text, n, arg, err, sizeof(err));
	free(text);
	if (rc != 0) {
		fprintf(stderr, "ikescope: %s\n", err);
		return 2;
	}
	return 0;
}

/* --psk-file: the first line of the file, without its line end. */
/* A key file that cannot be read is a runtime error; a line that is wrong, a usage error. */
static bool
errno_is_usage(const char *err)
{
	/* keyring_load writes "FILE:LINE: ..." for a bad line, "FILE: strerror" otherwise. */
	const char *c = strchr(err, ':');
	return c && c[1] >= '0' && c[1] <= '9';
}

static int
load_psk_file(const char *path, char *buf, size_t cap, size_t *len)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "ikescope: --psk-file %s: %s\n", path, strerror(errno));
		return 1;
	}
	size_t n = fread(buf, 1, cap, f);
	fclose(f);
	if (n == cap) {
		fprintf(stderr, "ikescope: --psk-file %s: longer than %zu bytes\n", path, cap - 1);
		return 2;
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	for (size_t i = 0; i < n; i++)
		if (buf[i] == '\n') {
			n = i;
			break;
		}
	*len = n;
	return 0;
}

/* --fail-on: 4 when a finding at or above the level was raised, else 0. */
static int
fail_on_status(const struct options *o, const struct analysis *a)
{
	for (int s = o->fail_on; o->fail_on >= 0 && s <= SEV_ERROR; s++)
		if (a->sum.findings[s])
			return 4;
	return 0;
}

/* --tui: the ncurses view over the capture; nothing is printed but an error. */
static int
analyze_tui(const struct options *o, struct cap *c, struct analysis *a, struct tap *tap)
{
	char err[512] = "";
	struct tui_opts to = {
	    .color = (enum tui_color)o->color,
	    .realtime = o->realtime,
	    .count = o->count,
	    .source = o->read_file ? o->read_file : o->iface,
	    .pkt = tap_pkt,
	    .drop = tap_drop,
	    .ctx = tap,
	};
	a->rep.quiet = true;
	a->rep.verbose = 0;
	if (tui_run(&to, c, a, err, sizeof(err)) != 0) {
		fprintf(stderr, "ikescope: %s\n", err);
		return -1;
	}
	return 0;
}

static int
analyze(const struct options *o)
{
	static struct profile prof;
	if (o->profile) {
		int prc = load_profile(o->profile, &prof);
		if (prc != 0)
			return prc;
	}
	static struct keyring keys;
	keyring_init(&keys);
	for (unsigned i = 0; i < o->nkeys; i++) {
		char kerr[512];
		if (keyring_load(&keys, o->keys[i], kerr, sizeof(kerr)) != 0) {
			fprintf(stderr, "ikescope: --keys %s\n", kerr);
			keyring_free(&keys);
			return errno_is_usage(kerr) ? 2 : 1;
		}
	}
	static char pskbuf[1024];
	const uint8_t *psk = NULL;
	size_t psk_len = 0;
	if (o->psk) {
		psk = (const uint8_t *)o->psk;
		psk_len = strlen(o->psk);
	} else if (o->psk_file) {
		int prc = load_psk_file(o->psk_file, pskbuf, sizeof(pskbuf), &psk_len);
		if (prc != 0) {
			keyring_free(&keys);
			return prc;
		}
		psk = (const uint8_t *)pskbuf;
	}
	char err[512] = "";
	int code = 0;
	struct cap *c;
	if (o->iface) {
		c = live_open(o, err, sizeof(err), &code);
	} else {
		const char *path = o->read_file;
		char sample[4096];
		struct stat sb;
		/* A bare name that is no file here may be one of the bundled samples. */
		if (stat(path, &sb) != 0 && samples_resolve(path, sample, sizeof(sample)))
			path = sample;
		c = cap_open_file(path, o->filter, err, sizeof(err), &code);
	}
	if (c == NULL) {
		fprintf(stderr, "ikescope: %s\n", err);
		keyring_free(&keys);
		return code;
	}
	/* -w is opened before privileges are dropped, so root can write where it asked. */
	struct cap_writer *w = NULL;
	if (o->write_file && (w = cap_writer_open(c, o->write_file, err, sizeof(err))) == NULL) {
		fprintf(stderr, "ikescope: %s\n", err);
		cap_close(c);
		keyring_free(&keys);
		return 1;
	}
	/* -Z: live, nobody by default as root; a file only when asked. */
	if (o->iface || o->user) {
		code = privs_drop(o->user, err, sizeof(err));
		if (code != 0) {
			fprintf(stderr, "ikescope: %s\n", err);
			cap_writer_close(w, err, sizeof(err));
			cap_close(c);
			keyring_free(&keys);
			return code;
		}
	}
	struct report rep = {
	    .out = stdout,
	    .json = o->json,
	    .verbose = o->verbose,
	    .quiet = o->quiet,
	};
	struct analysis a;
	analysis_init(&a, &rep);
	a.profile = o->profile ? &prof : NULL;
	analysis_set_keys(&a, &keys, psk, psk_len);
	struct tap tap = {.a = &a, .w = w};
	int rc = 0;
	if (o->tui || (o->iface && live_wants_tui(o))) {
		rc = analyze_tui(o, c, &a, &tap);
	} else if (o->iface) {
		rc = live_run(o, &a, c, w) ? -1 : 0;
	} else {
		bool progress = isatty(STDERR_FILENO) && strcmp(o->read_file, "-") != 0;
		rc = cap_run(c, o->count, progress, tap_pkt, tap_drop, &tap, err, sizeof(err));
		const char *name = strcmp(o->read_file, "-") ? o->read_file : "stdin";
		if (rc > 0)
			fprintf(stderr,
				"ikescope: %s: the file ends mid-record (%s); analyzed the %llu "
				"packets before it\n",
				name, err, (unsigned long long)cap_get_stats(c)->frames);
		else if (rc < 0)
			fprintf(stderr,
				"ikescope: %s: %s; analyzed the %llu packets before the error\n",
				name, err, (unsigned long long)cap_get_stats(c)->frames);
		analysis_finish(&a, cap_get_stats(c), cap_get_reasm_stats(c));
	}
	if (cap_writer_close(w, err, sizeof(err)) != 0) {
		fprintf(stderr, "ikescope: %s\n", err);
		rc = -1;
	}
	int status = rc < 0 ? 1 : fail_on_status(o, &a);
	analysis_free(&a);
	cap_close(c);
	keyring_free(&keys);
	return status;
}

int
main(int argc, char **argv)
{
	/* `ikescope probe [options] HOST` has options of its own (cli/probe_cmd.c). */
	if (argc > 1 && strcmp(argv[1], "probe") == 0)
		return probe_main(argc - 1, argv + 1);
	struct options o;
	int rc = options_parse(&o, argc, argv);
	if (rc != 0) {
		options_free(&o);
		return rc;
	}
	switch (o.cmd) {
	case CMD_HELP:
		options_usage(stdout);
		break;
	case CMD_VERSION:
		printf("ikescope %s\n", IKESCOPE_VERSION);
		break;
	case CMD_LIST_FINDINGS:
		list_findings();
		break;
	case CMD_SAMPLES:
		rc = samples_list(stdout);
		break;
	case CMD_ANALYZE:
		if (o.tui) {
			char err[256];
			if (!tui_usable(err, sizeof(err))) {
				fprintf(stderr, "ikescope: %s\n", err);
				rc = 2;
				break;
			}
		}
		rc = analyze(&o);
		break;
	}
	options_free(&o);
	if (fflush(stdout) != 0 && rc == 0)
		rc = 1;
	return rc;
}
