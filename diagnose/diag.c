/* The list of findings raised during one analysis (see diag.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/diag.h"

/* A copy of a finding's text, as long as it is. */
static char *
diag_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = xcalloc(n, 1);
	memcpy(d, s, n);
	return d;
}

void
diag_init(struct diag *d)
{
	memset(d, 0, sizeof(*d));
}

void
diag_free(struct diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->list[i].message);
	free(d->list);
	memset(d, 0, sizeof(*d));
}

struct finding *
diag_raise(struct diag *d, enum finding_code code, enum confidence conf, const char *fmt, ...)
{
	if (d->n >= FINDINGS_MAX) {
		d->dropped++;
		return NULL;
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->list = xrealloc(d->list, d->cap, sizeof(*d->list));
	}
	struct finding *f = &d->list[d->n++];
	memset(f, 0, sizeof(*f));
	f->code = code;
	f->severity = diag_catalog[code].severity;
	f->confidence = conf;
	char buf[DIAG_MESSAGE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	f->message = diag_strdup(buf);
	d->by_severity[f->severity]++;
	return f;
}

void
diag_set_message(struct finding *f, const char *fmt, ...)
{
	char buf[DIAG_MESSAGE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	free(f->message);
	f->message = diag_strdup(buf);
}

void
diag_copy(struct finding *dst, const struct finding *src)
{
	char *own = dst->message;
	*dst = *src;
	dst->message = own;
	diag_set_message(dst, "%s", src->message);
}

void
diag_add_frame(struct finding *f, uint64_t frame)
{
	for (size_t i = 0; i < f->nframes; i++)
		if (f->frames[i] == frame)
			return;
	if (f->nframes < FINDING_MAX_FRAMES)
		f->frames[f->nframes++] = frame;
	else
		f->more_frames++;
}

struct finding *
diag_find(struct diag *d, enum finding_code code, const struct ip_addr *a, const struct ip_addr *b)
{
	for (size_t i = 0; i < d->n; i++) {
		struct finding *f = &d->list[i];
		if (f->code != code)
			continue;
		if ((a == NULL || ip_addr_eq(&f->initiator, a)) &&
		    (b == NULL || ip_addr_eq(&f->responder, b)))
			return f;
	}
	return NULL;
}

void
diag_remove(struct diag *d, size_t i)
{
	if (i >= d->n)
		return;
	d->by_severity[d->list[i].severity]--;
	free(d->list[i].message);
	memmove(&d->list[i], &d->list[i + 1], (d->n - i - 1) * sizeof(d->list[0]));
	d->n--;
}
