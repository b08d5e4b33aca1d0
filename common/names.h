/* Value -> name tables, in tcpdump's `struct tok` manner. */
#ifndef IKESCOPE_COMMON_NAMES_H
#define IKESCOPE_COMMON_NAMES_H

#include <stddef.h>

struct tok {
	int v;
	const char *s;
};

/* The name of v in a table ending {0, NULL}, or NULL. */
const char *tok_name(const struct tok *t, int v);
/* The name, or v in decimal written into buf (at least 12 bytes). */
const char *tok_str(const struct tok *t, int v, char *buf, size_t len);

#endif
