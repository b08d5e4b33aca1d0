/* Value -> name tables (see names.h). */
#include "common/names.h"

#include <stdio.h>

const char *
tok_name(const struct tok *t, int v)
{
	for (; t->s != NULL; t++)
		if (t->v == v)
			return t->s;
	return NULL;
}

const char *
tok_str(const struct tok *t, int v, char *buf, size_t len)
{
	const char *s = tok_name(t, v);
	if (s)
		return s;
	snprintf(buf, len, "%d", v);
	return buf;
}
