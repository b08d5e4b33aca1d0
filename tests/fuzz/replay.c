/*
 * Without libFuzzer: feeds every file of the corpus directories (or the files)
 * named on the command line to the harness's LLVMFuzzerTestOneInput, in name
 * order, so `meson test` replays each corpus (under ASan+UBSan in that build).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/fuzz/fuzz.h"

#define REPLAY_MAX_INPUT (4u << 20)

static int
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		perror(path);
		return -1;
	}
	uint8_t *buf = malloc(REPLAY_MAX_INPUT);
	if (buf == NULL)
		abort();
	size_t n = fread(buf, 1, REPLAY_MAX_INPUT, f);
	fclose(f);
	/* An exact-size copy, as libFuzzer hands it: reading past it is caught. */
	uint8_t *in = malloc(n ? n : 1);
	if (in == NULL)
		abort();
	memcpy(in, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(in, n);
	free(in);
	return 0;
}

static const char *replay_prefix; /* DIR/PREFIX*: only the names starting so */

static int
replay_regular(const struct dirent *e)
{
	if (e->d_name[0] == '.')
		return 0;
	return replay_prefix == NULL ||
	       strncmp(e->d_name, replay_prefix, strlen(replay_prefix)) == 0;
}

int
main(int argc, char **argv)
{
	unsigned long done = 0;
	int bad = 0, want = 0;
	for (int i = 1; i < argc; i++) {
		static char dir[4096], prefix[4096];
		const char *arg = argv[i];
		const char *slash = strrchr(arg, '/');
		size_t len = strlen(arg);
		struct stat sb;
		replay_prefix = NULL;
		/* DIR/PREFIX*: the files of DIR whose names start with PREFIX (none is fine). */
		if (len > 1 && arg[len - 1] == '*' && slash && len < sizeof(dir)) {
			size_t dl = (size_t)(slash - arg);
			memcpy(dir, arg, dl);
			dir[dl] = '\0';
			memcpy(prefix, slash + 1, len - dl - 2);
			prefix[len - dl - 2] = '\0';
			replay_prefix = prefix;
			arg = dir;
		} else {
			want = 1;
		}
		if (stat(arg, &sb) != 0) {
			perror(arg);
			bad = 1;
			continue;
		}
		if (!S_ISDIR(sb.st_mode)) {
			bad |= replay_file(arg) != 0;
			done++;
			continue;
		}
		struct dirent **ents;
		int n = scandir(arg, &ents, replay_regular, alphasort);
		if (n < 0) {
			perror(arg);
			bad = 1;
			continue;
		}
		for (int j = 0; j < n; j++) {
			char path[8192];
			snprintf(path, sizeof(path), "%s/%s", arg, ents[j]->d_name);
			if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
				bad |= replay_file(path) != 0;
				done++;
			}
			free(ents[j]);
		}
		free(ents);
	}
	printf("%s: %lu inputs replayed\n", argv[0], done);
	/* A corpus named without a pattern must hold something. */
	if (done == 0 && want) {
		fprintf(stderr, "%s: no inputs\n", argv[0]);
		return 1;
	}
	return bad;
}
