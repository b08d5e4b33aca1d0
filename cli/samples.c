/*
 * The bundled training captures: `ikescope samples` lists them with their
 * lessons, and `ikescope -r NAME` finds a bare sample name among them.
 * Looked for in $IKESCOPE_SAMPLES, the installed data directory, then the
 * source tree the binary was built from.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/samples.h"
#include "config.h"

#define LESSON_MAX  512
#define SAMPLES_MAX 256

static bool
is_dir(const char *p)
{
	struct stat sb;
	return p && *p && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

const char *
samples_dir(void)
{
	const char *env = getenv("IKESCOPE_SAMPLES");
	if (is_dir(env))
		return env;
	if (is_dir(IKESCOPE_DATADIR "/samples"))
		return IKESCOPE_DATADIR "/samples";
	if (is_dir(IKESCOPE_SOURCE_DIR "/samples"))
		return IKESCOPE_SOURCE_DIR "/samples";
	return NULL;
}

bool
samples_resolve(const char *name, char *out, size_t outlen)
{
	/* Only a bare name: anything with a slash is a path the user meant. */
	if (strchr(name, '/') || strcmp(name, "-") == 0)
		return false;
	const char *dir = samples_dir();
	if (dir == NULL)
		return false;
	static const char *const exts[] = {"", ".pcap", ".pcapng"};
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		struct stat sb;
		snprintf(out, outlen, "%s/%s%s", dir, name, exts[i]);
		if (stat(out, &sb) == 0 && S_ISREG(sb.st_mode))
			return true;
	}
	return false;
}

/* The "lesson" string of an expect.json file (our own file, still read with bounds). */
static bool
samples_lesson(const char *path, char *out, size_t outlen)
{
	char buf[8192];
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return false;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *k = strstr(buf, "\"lesson\"");
	if (k == NULL)
		return false;
	k = strchr(k + 8, '"');
	if (k == NULL)
		return false;
	size_t o = 0;
	for (k++; *k && *k != '"' && o + 1 < outlen; k++) {
		if (*k == '\\' && k[1])
			k++;
		out[o++] = *k;
	}
	out[o] = '\0';
	return true;
}

static int
samples_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
samples_list(FILE *out)
{
	const char *dir = samples_dir();
	if (dir == NULL) {
		fprintf(stderr, "ikescope: no bundled samples found (set IKESCOPE_SAMPLES)\n");
		return 1;
	}
	DIR *d = opendir(dir);
	if (d == NULL) {
		fprintf(stderr, "ikescope: %s: cannot read the samples folder\n", dir);
		return 1;
	}
	char *names[SAMPLES_MAX];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && n < SAMPLES_MAX) {
		size_t len = strlen(e->d_name);
		const char *suffix = ".expect.json";
		size_t sl = strlen(suffix);
		if (len > sl && strcmp(e->d_name + len - sl, suffix) == 0)
			names[n++] = strndup(e->d_name, len - sl);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), samples_cmp);
	fprintf(out, "Bundled captures in %s (analyze one with: ikescope -r NAME):\n", dir);
	for (size_t i = 0; i < n; i++) {
		char path[4096], lesson[LESSON_MAX];
		snprintf(path, sizeof(path), "%s/%s.expect.json", dir, names[i]);
		if (!samples_lesson(path, lesson, sizeof(lesson)))
			snprintf(lesson, sizeof(lesson), "(no lesson)");
		fprintf(out, "  %-36s %s\n", names[i], lesson);
		free(names[i]);
	}
	fputs("The lessons: samples/README.md (installed beside the captures).\n", out);
	return 0;
}
