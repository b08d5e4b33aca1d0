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
	free(d->index);
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

static uint32_t
diag_key_hash(enum finding_code code, const struct ip_addr *a, const struct ip_addr *b)
{
	return hash_fold(ip_addr_hash(b, ip_addr_hash(a, 0x3c6ef372fe94f82bULL + (uint64_t)code)));
}

static bool
diag_key_eq(const struct finding *f, enum finding_code code, const struct ip_addr *a,
	    const struct ip_addr *b)
{
	return f->code == code && ip_addr_eq(&f->initiator, a) && ip_addr_eq(&f->responder, b);
}

/*
 * The slot for the key: holding 1 + the first finding with it, or empty.  The
 * table is at most half full (FINDINGS_MAX entries in twice the slots), so a
 * probe ends at an empty slot within DIAG_INDEX_SLOTS steps.
 */
static uint32_t *
diag_slot(struct diag *d, enum finding_code code, const struct ip_addr *a, const struct ip_addr *b)
{
	uint32_t m = DIAG_INDEX_SLOTS - 1;
	uint32_t i = diag_key_hash(code, a, b) & m;
	for (uint32_t n = 0; n < DIAG_INDEX_SLOTS; n++, i = (i + 1) & m) {
		uint32_t *s = &d->index[i];
		if (*s == 0 || diag_key_eq(&d->list[*s - 1], code, a, b))
			return s;
	}
	return NULL;
}

struct finding *
diag_find(struct diag *d, enum finding_code code, const struct ip_addr *a, const struct ip_addr *b)
{
	if (a == NULL || b == NULL) {
		for (size_t i = 0; i < d->n; i++) {
			struct finding *f = &d->list[i];
			if (f->code == code && (a == NULL || ip_addr_eq(&f->initiator, a)) &&
			    (b == NULL || ip_addr_eq(&f->responder, b)))
				return f;
		}
		return NULL;
	}
	if (d->index == NULL)
		d->index = xcalloc(DIAG_INDEX_SLOTS, sizeof(*d->index));
	for (; d->indexed < d->n; d->indexed++) {
		const struct finding *f = &d->list[d->indexed];
		uint32_t *s = diag_slot(d, f->code, &f->initiator, &f->responder);
		if (s && *s == 0)
			*s = (uint32_t)d->indexed + 1;
	}
	uint32_t *s = diag_slot(d, code, a, b);
	return s && *s ? &d->list[*s - 1] : NULL;
}

void
diag_remove(struct diag *d, size_t i)
{
	if (i >= d->n)
		return;
	d->by_severity[d->list[i].severity]--;
	free(d->list[i].message);
	/* Indices shift: the index is built again at the next find. */
	if (d->indexed) {
		memset(d->index, 0, DIAG_INDEX_SLOTS * sizeof(*d->index));
		d->indexed = 0;
	}
	memmove(&d->list[i], &d->list[i + 1], (d->n - i - 1) * sizeof(d->list[0]));
	d->n--;
}
