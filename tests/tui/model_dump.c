/*
 * Builds the TUI's model (tui/model.c, no curses) over a capture the way the view
 * does (batches of frames, a snapshot after each) and prints it as JSON lines for
 * tests/tui/check_model.py to compare with ikescope --json -v:
 *   {"snap":N,"now":USEC,"tunnels":[{"a","b","esp":[ab,ba],"pps":[..],"bps":[..]}...]}
 *   {"tunnel":..,"state":..,"version":..,"nike":..,"nesp":..,"worst":..,"nfindings":..}
 *   {"ladder":i,"heading":..} / {"ladder":i,"frame":..,"exchange":..,...}
 *   {"finding":"code","tunnel":i,"frames":"3,4","severity":..,"confidence":..}
 * Usage: model_dump FILE BATCH
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/rules.h"
#include "tui/model.h"

static void
dump_snapshot(const struct tui_model *m)
{
	printf("{\"snap\":%llu,\"now\":%llu,\"tunnels\":[", (unsigned long long)m->snapshots,
	       (unsigned long long)m->now_usec);
	for (size_t i = 0; i < m->n; i++) {
		const struct tm_tunnel *t = &m->t[i];
		printf("%s{\"a\":\"%s\",\"b\":\"%s\",\"esp\":[%llu,%llu],\"pps\":[%.6f,%.6f],"
		       "\"bps\":[%.6f,%.6f]}",
		       i ? "," : "", t->a_str, t->b_str, (unsigned long long)t->esp_packets[0],
		       (unsigned long long)t->esp_packets[1], t->pps[0], t->pps[1], t->bps[0],
		       t->bps[1]);
	}
	printf("]}\n");
}

static void
dump_final(struct tui_model *m, const struct analysis *a)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct tm_tunnel *t = &m->t[i];
		printf("{\"tunnel\":%zu,\"a\":\"%s\",\"b\":\"%s\",\"version\":%u,\"state\":\"%s\","
		       "\"nike\":%u,\"nesp\":%u,\"esp_bytes\":[%llu,%llu],\"worst\":\"%s\","
		       "\"nfindings\":%u}\n",
		       i, t->a_str, t->b_str, t->version,
		       t->state >= 0 ? sa_state_name((uint8_t)t->state) : "none", t->nike, t->nesp,
		       (unsigned long long)t->esp_bytes[0], (unsigned long long)t->esp_bytes[1],
		       t->worst >= 0 ? diag_catalog[t->worst].name : "", t->nfindings);
	}
	for (size_t i = 0; i < m->n; i++) {
		tm_select(m, a, (int)i);
		for (size_t k = 0; k < m->nladder; k++) {
			const struct tm_row *r = &m->ladder[k];
			if (r->heading) {
				printf(
				    "{\"ladder\":%zu,\"heading\":true,\"spi_i\":\"%s\","
				    "\"initiator\":\"%s\",\"responder\":\"%s\",\"state\":\"%s\"}\n",
				    i, r->spi_i, r->initiator, r->responder,
				    sa_state_name(r->state));
				continue;
			}
			const struct ladder_step *s = &r->step;
			printf("{\"ladder\":%zu,\"frame\":%llu,\"from_i\":%s,\"exchange\":\"%s\","
			       "\"response\":%s,\"msgid\":%u,\"retrans_of\":%llu,\"notify\":[",
			       i, (unsigned long long)s->frame, s->from_i ? "true" : "false",
			       s->exchange, s->response ? "true" : "false", s->msgid,
			       (unsigned long long)s->retrans_of);
			for (uint8_t n = 0; n < s->nnotify; n++)
				printf("%s%u", n ? "," : "", s->notify[n]);
			printf("]}\n");
		}
	}
	tm_select(m, a, -1);
	for (size_t k = 0; k < m->nf; k++) {
		const struct tm_finding *f = &m->f[k];
		printf("{\"finding\":\"%s\",\"tunnel\":%d,\"frames\":\"%s\",\"severity\":\"%s\","
		       "\"confidence\":\"%s\",\"remediation\":%s}\n",
		       diag_catalog[f->code].name, f->tunnel, f->frames,
		       diag_severity_name(f->severity), diag_confidence_name(f->confidence),
		       diag_catalog[f->code].remediation[0] ? "true" : "false");
	}
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fputs("usage: model_dump FILE BATCH\n", stderr);
		return 2;
	}
	int batch = atoi(argv[2]);
	char err[512];
	int code;
	struct cap *c = cap_open_file(argv[1], NULL, err, sizeof(err), &code);
	if (c == NULL) {
		fprintf(stderr, "model_dump: %s\n", err);
		return 1;
	}
	struct report rep = {.out = stdout, .quiet = true};
	static struct analysis a;
	analysis_init(&a, &rep);
	static struct tui_model m;
	tm_init(&m);
	int n;
	while ((n = cap_dispatch(c, batch, analysis_pkt, analysis_drop, &a, err, sizeof(err))) >
	       0) {
		analysis_diagnose(&a, 0);
		tm_snapshot(&m, &a, a.sum.last_ts);
		dump_snapshot(&m);
	}
	if (n == CAP_ERROR) {
		fprintf(stderr, "model_dump: %s\n", err);
		return 1;
	}
	cap_done(c);
	analysis_conclude(&a, cap_get_stats(c), cap_get_reasm_stats(c));
	tm_snapshot(&m, &a, a.sum.last_ts);
	dump_snapshot(&m);
	dump_final(&m, &a);
	tm_free(&m);
	analysis_free(&a);
	cap_close(c);
	return 0;
}
