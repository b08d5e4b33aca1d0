/* The -vv payload tree emitter (see tree.h), and the walk over one IKE message. */
#include <ctype.h>
#include <string.h>

#include "common/util.h"
#include "report/report.h"
#include "report/tree.h"

#define TEXT_INDENT 9 /* under the frame number column */

void
tw_init(struct tw *w, FILE *f, bool json)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->json = json;
	w->first[0] = true;
}

/* JSON: a comma before every member but the first of its object or array. */
static void
tw_sep(struct tw *w)
{
	if (!w->first[w->depth])
		fputc(',', w->f);
	w->first[w->depth] = false;
}

static void
tw_key(struct tw *w, const char *key)
{
	if (w->json) {
		tw_sep(w);
		json_str(w->f, key);
		fputc(':', w->f);
	} else {
		fprintf(w->f, " %s ", key);
	}
}

void
tw_begin(struct tw *w, const char *kind, const char *title)
{
	if (w->json) {
		tw_sep(w);
		fputs("{\"kind\":", w->f);
		json_str(w->f, kind);
		fputs(",\"name\":", w->f);
		json_str(w->f, title);
	} else {
		fprintf(w->f, "\n%*s%s", TEXT_INDENT + 2 * w->depth, "", title);
	}
	if (w->depth < TREE_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = false; /* "kind" and "name" were written */
}

void
tw_end(struct tw *w)
{
	if (w->depth > 0)
		w->depth--;
	if (w->json)
		fputc('}', w->f);
}

void
tw_list_begin(struct tw *w, const char *key)
{
	if (w->json) {
		tw_key(w, key);
		fputc('[', w->f);
	}
	if (w->depth < TREE_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

void
tw_list_end(struct tw *w)
{
	if (w->depth > 0)
		w->depth--;
	if (w->json)
		fputc(']', w->f);
}

void
tw_uint(struct tw *w, const char *key, uint64_t v)
{
	tw_key(w, key);
	fprintf(w->f, "%llu", (unsigned long long)v);
}

void
tw_str(struct tw *w, const char *key, const char *s)
{
	tw_key(w, key);
	if (w->json)
		json_str(w->f, s);
	else
		fputs(s, w->f);
}

void
tw_named(struct tw *w, const char *key, unsigned v, const char *name)
{
	tw_key(w, key);
	if (w->json) {
		fprintf(w->f, "%u", v);
		if (name) {
			fputc(',', w->f);
			char k[64];
			snprintf(k, sizeof(k), "%s_name", key);
			json_str(w->f, k);
			fputc(':', w->f);
			json_str(w->f, name);
		}
	} else if (name) {
		fprintf(w->f, "%s(%u)", name, v);
	} else {
		fprintf(w->f, "%u", v);
	}
}

void
tw_hex(struct tw *w, const char *key, const uint8_t *p, size_t n)
{
	char buf[2 * 64 + 1];
	size_t k = n < 64 ? n : 64;
	hex_str(p, k, buf);
	tw_key(w, key);
	if (w->json)
		fprintf(w->f, "\"%s%s\"", buf, n > k ? "..." : "");
	else
		fprintf(w->f, "%s%s", buf, n > k ? "..." : "");
}

void
tw_bool(struct tw *w, const char *key, bool v)
{
	tw_key(w, key);
	fputs(v ? "true" : "false", w->f);
}

void
tw_text(struct tw *w, const char *key, const uint8_t *p, size_t n)
{
	char buf[4 * 128 + 1];
	size_t o = 0;
	/* Bytes from the wire: printable ASCII as is, the rest escaped, and a bound. */
	for (size_t i = 0; i < n && i < 128; i++) {
		if (isprint(p[i]) && p[i] != '\\' && p[i] != '"')
			buf[o++] = (char)p[i];
		else
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "\\x%02x", p[i]);
	}
	buf[o] = '\0';
	tw_str(w, key, buf);
}

void
tw_ip(struct tw *w, const char *key, const uint8_t *p, size_t n)
{
	struct ip_addr a;
	char buf[IP_ADDR_STRLEN];
	memset(&a, 0, sizeof(a));
	if (n == 4 || n == 16) {
		a.family = n == 4 ? 4 : 6;
		memcpy(a.a, p, n);
	}
	tw_str(w, key, ip_addr_str(&a, buf));
}

void
tree_ike_msg(struct tw *w, const struct ike_msg *m)
{
	char buf[16];
	if (m->version != 1 && m->version != 2)
		return;
	for (unsigned i = 0; i < m->npayloads; i++) {
		const struct ike_payload *p = &m->pl[i];
		tw_begin(w, "payload", ike_payload_name(m->version, p->type, buf, sizeof(buf)));
		tw_uint(w, "type", p->type);
		tw_uint(w, "len", p->len);
		if (p->critical)
			tw_bool(w, "critical", true);
		/* Before the details: in text those may open nested lines. */
		if (p->malformed)
			tw_str(w, "malformed", p->malformed);
		if (m->version == 1)
			tree_ikev1_payload(w, m, p);
		else
			tree_ikev2_payload(w, m, p);
		tw_end(w);
	}
}
