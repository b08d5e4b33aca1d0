/* ikescope: what went wrong with an IKE/IPsec tunnel, from the packets. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/options.h"
#include "cli/pipeline.h"
#include "cli/samples.h"
#include "config.h"

static void
list_findings(void)
{
	for (int i = 0; i < F_COUNT; i++)
		printf("%-26s %-8s %s\n", diag_catalog[i].name,
		       diag_severity_name(diag_catalog[i].severity), diag_catalog[i].summary);
}

static int
analyze(const struct options *o)
{
	char err[512] = "";
	int code = 0;
	const char *path = o->read_file;
	char sample[4096];
	struct stat sb;
	/* A bare name that is no file here may be one of the bundled samples. */
	if (stat(path, &sb) != 0 && samples_resolve(path, sample, sizeof(sample)))
		path = sample;
	struct cap *c = cap_open_file(path, o->filter, err, sizeof(err), &code);
	if (c == NULL) {
		fprintf(stderr, "ikescope: %s\n", err);
		return code;
	}
	struct report rep = {
	    .out = stdout,
	    .json = o->json,
	    .verbose = o->verbose,
	    .quiet = o->quiet,
	};
	struct analysis a;
	analysis_init(&a, &rep);
	bool progress = isatty(STDERR_FILENO) && strcmp(o->read_file, "-") != 0;
	int rc = cap_run(c, o->count, progress, analysis_pkt, analysis_drop, &a, err, sizeof(err));
	const char *name = strcmp(o->read_file, "-") ? o->read_file : "stdin";
	if (rc > 0)
		fprintf(stderr,
			"ikescope: %s: the file ends mid-record (%s); analyzed the %llu "
			"packets before it\n",
			name, err, (unsigned long long)cap_get_stats(c)->frames);
	else if (rc < 0)
		fprintf(stderr, "ikescope: %s: %s; analyzed the %llu packets before the error\n",
			name, err, (unsigned long long)cap_get_stats(c)->frames);
	analysis_finish(&a, cap_get_stats(c), cap_get_reasm_stats(c));
	int status = rc < 0 ? 1 : 0;
	if (status == 0 && o->fail_on >= 0) {
		for (int s = o->fail_on; s <= SEV_ERROR; s++)
			if (a.sum.findings[s])
				status = 4;
	}
	analysis_free(&a);
	cap_close(c);
	return status;
}

int
main(int argc, char **argv)
{
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
		rc = analyze(&o);
		break;
	}
	options_free(&o);
	if (fflush(stdout) != 0 && rc == 0)
		rc = 1;
	return rc;
}
