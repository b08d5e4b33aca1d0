/* `ikescope probe [options] HOST` (probe/): option parsing and the run. */
#ifndef IKESCOPE_CLI_PROBE_CMD_H
#define IKESCOPE_CLI_PROBE_CMD_H

#include <stdio.h>

/* argv[0] is "probe".  Returns the exit status (0, 1 runtime error, 2 usage). */
int probe_main(int argc, char **argv);
void probe_usage(FILE *f);

#endif
