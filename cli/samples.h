/* The bundled training captures (see samples.c). */
#ifndef IKESCOPE_CLI_SAMPLES_H
#define IKESCOPE_CLI_SAMPLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

const char *samples_dir(void);
/* A bare sample name ("ikev2-psk-mismatch") to the path of its capture. */
bool samples_resolve(const char *name, char *out, size_t outlen);
int samples_list(FILE *out);

#endif
