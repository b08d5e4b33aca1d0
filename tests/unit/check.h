/* A minimal assertion helper for the unit tests: counts failures, never aborts. */
#ifndef IKESCOPE_TESTS_CHECK_H
#define IKESCOPE_TESTS_CHECK_H

#include <stdio.h>

static int check_failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n", __FILE__, __LINE__,       \
				__func__, #cond);                                                  \
			check_failures++;                                                          \
		}                                                                                  \
	} while (0)

#endif
