/* NDJSON records as INTERFACE.md and ikescope.schema.json define them. */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/tree.h"

void
json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

const char *
pkt_proto_name(const struct pkt *p, const struct ike_msg *m)
{
	switch (p->kind) {
	case PK_IKE:
		return m && m->version == 1 ? "ikev1" : m && m->version == 2 ? "ikev2" : "other";
	case PK_ESP:
		return "esp";
	case PK_ESP_UDP:
		return "esp-udp";
	case PK_NAT_KEEPALIVE:
		return "nat-keepalive";
	case PK_IP_FRAGMENT:
		return "ip-fragment";
	case PK_ICMP:
		return "icmp";
	default:
		return "other";
	}
}

bool
pkt_has_ports(const struct pkt *p)
{
	if (p->ipproto != 17 || p->kind == PK_ICMP)
		return false;
	return p->kind != PK_IP_FRAGMENT || p->sport || p->dport;
}

static void
json_ts(FILE *f, const char *key, uint64_t us)
{
	fprintf(f, ",\"%s\":%llu.%06u", key, (unsigned long long)(us / 1000000),
		(unsigned)(us % 1000000));
}

static void
json_ip(FILE *f, const char *key, const struct ip_addr *a)
{
	char b[IP_ADDR_STRLEN];
	fprintf(f, ",\"%s\":\"%s\"", key, ip_addr_str(a, b));
}

static void
json_frames_bare(FILE *f, const uint64_t *fr, size_t n)
{
	fputs("\"frames\":[", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%llu", i ? "," : "", (unsigned long long)fr[i]);
	fputc(']', f);
}

/* The names of payloads [from, to) of m. */
static void
json_payload_range(FILE *f, const struct ike_msg *m, unsigned from, unsigned to)
{
	char buf[16];
	fputc('[', f);
	for (unsigned i = from; i < to && i < m->npayloads; i++) {
		fputs(i > from ? "," : "", f);
		json_str(f, ike_payload_name(m->version, m->payloads[i], buf, sizeof(buf)));
	}
	fputc(']', f);
}

static void
json_payload_names(FILE *f, const struct ike_msg *m)
{
	json_payload_range(f, m, 0, m->nclear);
}

static void
json_frames(FILE *f, const uint64_t *fr, size_t n)
{
	fputc(',', f);
	json_frames_bare(f, fr, n);
}

static void
json_ike(FILE *f, const struct ike_msg *m, int verbose)
{
	char buf[16], hx[17];
	fputs(",\"exchange\":", f);
	json_str(f, ike_exchange_name(m, buf, sizeof(buf)));
	if (m->version == 2)
		fprintf(f, ",\"role\":\"%s\"", ike_is_response(m) ? "response" : "request");
	fprintf(f, ",\"msgid\":%u", m->msgid);
	hex_str(m->spi_i, 8, hx);
	fprintf(f, ",\"spi_i\":\"%s\"", hx);
	hex_str(m->spi_r, 8, hx);
	fprintf(f, ",\"spi_r\":\"%s\"", hx);
	fputs(",\"payloads\":", f);
	json_payload_names(f, m);
	fputs(",\"notify_types\":[", f);
	for (unsigned i = 0; i < m->nnotify; i++)
		fprintf(f, "%s%u", i ? "," : "", m->notify[i]);
	fputc(']', f);
	if (m->encrypted)
		fputs(",\"encrypted\":true", f);
	if (m->decrypted) {
		fputs(",\"inner\":", f);
		json_payload_range(f, m, m->nclear, m->npayloads);
	}
	if (m->frag_total)
		fprintf(f, ",\"fragment\":{\"n\":%u,\"total\":%u}", m->frag_n, m->frag_total);
	fprintf(f, ",\"len\":%u", m->length);
	if (m->malformed) {
		fputs(",\"malformed\":", f);
		json_str(f, m->malformed);
	}
	if (m->truncated)
		fputs(",\"truncated\":true", f);
	if (verbose >= 2 && m->npayloads) {
		struct tw w;
		tw_init(&w, f, true);
		fputs(",\"tree\":[", f);
		tree_ike_msg(&w, m);
		fputc(']', f);
	}
}

static void
json_packet(struct report *r, const struct pkt *p, const struct ike_msg *m, const struct esp_hdr *e,
	    const struct ike_facts *fx)
{
	FILE *f = r->out;
	fprintf(f, "{\"type\":\"packet\",\"frame\":%llu", (unsigned long long)p->fr->num);
	json_ts(f, "ts", p->fr->ts_usec);
	json_ip(f, "src", &p->src);
	bool ports = pkt_has_ports(p);
	if (ports)
		fprintf(f, ",\"sport\":%u", p->sport);
	json_ip(f, "dst", &p->dst);
	if (ports)
		fprintf(f, ",\"dport\":%u", p->dport);
	fprintf(f, ",\"proto\":\"%s\"", pkt_proto_name(p, m));
	if (m)
		json_ike(f, m, r->verbose);
	if (m && fx && fx->keys)
		fprintf(f, ",\"decrypted\":%s", m->decrypted ? "true" : "false");
	if (fx && (fx->nd.source != NATD_ABSENT || fx->nd.destination != NATD_ABSENT))
		fprintf(f, ",\"nat_d\":{\"source\":\"%s\",\"destination\":\"%s\"}",
			natd_verdict_name(fx->nd.source), natd_verdict_name(fx->nd.destination));
	if (fx && fx->frag_done) {
		fputs(",\"reassembled\":{", f);
		json_frames_bare(f, fx->frag_done->frames, fx->frag_done->nframes);
		if (fx->joined) {
			char buf[16];
			fputs(",\"exchange\":", f);
			json_str(f, ike_exchange_name(fx->joined, buf, sizeof(buf)));
			fputs(",\"payloads\":", f);
			json_payload_names(f, fx->joined);
			fprintf(f, ",\"len\":%u", fx->joined->length);
		}
		fputc('}', f);
	}
	if (e) {
		if (e->has_spi)
			fprintf(f, ",\"spi\":\"%08x\"", e->spi);
		if (!e->truncated)
			fprintf(f, ",\"seq\":%u", e->seq);
		if (fx && fx->keys) {
			fprintf(f, ",\"decrypted\":%s", fx->esp_ok ? "true" : "false");
			if (fx->esp_ok && fx->esp_inner.version) {
				json_ip(f, "inner_src", &fx->esp_inner.src);
				json_ip(f, "inner_dst", &fx->esp_inner.dst);
			}
			if (fx->esp_ok)
				fprintf(f, ",\"inner_proto\":%u",
					fx->esp_inner.version ? fx->esp_inner.proto
							      : fx->esp_inner.next_header);
		}
		fprintf(f, ",\"len\":%zu", p->l4.wire);
	}
	if (p->kind == PK_ICMP) {
		fprintf(f, ",\"icmp_type\":%u,\"icmp_code\":%u", p->icmp.type, p->icmp.code);
		json_ip(f, "quoted_src", &p->icmp.src);
		json_ip(f, "quoted_dst", &p->icmp.dst);
		if (p->icmp.proto == 17)
			fprintf(f, ",\"quoted_sport\":%u,\"quoted_dport\":%u", p->icmp.sport,
				p->icmp.dport);
		else
			fprintf(f, ",\"quoted_spi\":\"%08x\"", p->icmp.spi);
		if (p->icmp.mtu)
			fprintf(f, ",\"mtu\":%u", p->icmp.mtu);
	}
	if (p->reassembled)
		json_frames(f, p->frag_frames, p->nfrag_frames);
	fputs("}\n", f);
}

static void
json_esp_sa(FILE *f, const struct esp_sa *s)
{
	const struct esp_sa_ext *x = esp_sa_ext(s);
	fprintf(f, "{\"type\":\"esp_sa\",\"spi\":\"%08x\"", s->spi);
	json_ip(f, "src", &s->src);
	json_ip(f, "dst", &s->dst);
	fprintf(f, ",\"encap\":\"%s\"", s->encap == ENCAP_UDP ? "udp" : "esp");
	if (s->encap == ENCAP_UDP)
		fprintf(f, ",\"sport\":%u,\"dport\":%u", s->sport, s->dport);
	fprintf(f, ",\"packets\":%llu,\"bytes\":%llu,\"seq_gaps\":%llu,\"replays\":%llu",
		(unsigned long long)s->packets, (unsigned long long)s->bytes,
		(unsigned long long)x->seq_gaps, (unsigned long long)x->replays);
	fprintf(f, ",\"reordered\":%llu,\"max_seq\":%u", (unsigned long long)x->reordered,
		s->max_seq);
	json_ts(f, "first_ts", s->first_ts);
	json_ts(f, "last_ts", s->last_ts);
	fprintf(f, ",\"first_frame\":%llu,\"last_frame\":%llu}\n",
		(unsigned long long)s->first_frame, (unsigned long long)s->last_frame);
}

static void
json_finding(FILE *f, const struct finding *x)
{
	const struct catalog_entry *c = &diag_catalog[x->code];
	fprintf(f,
		"{\"type\":\"finding\",\"code\":\"%s\",\"severity\":\"%s\",\"confidence\":\"%s\"",
		c->name, diag_severity_name(x->severity), diag_confidence_name(x->confidence));
	if (x->ike_version)
		fprintf(f, ",\"ike_version\":%u", x->ike_version);
	if (x->initiator.family)
		json_ip(f, "initiator", &x->initiator);
	if (x->responder.family)
		json_ip(f, "responder", &x->responder);
	json_frames(f, x->frames, x->nframes);
	if (x->more_frames)
		fprintf(f, ",\"more_frames\":%llu", (unsigned long long)x->more_frames);
	fputs(",\"message\":", f);
	json_str(f, x->message);
	fputs(",\"remediation\":", f);
	json_str(f, c->remediation);
	fputs("}\n", f);
}

/* Live capture: what pcap_stats said at the end, after the record's other fields. */
static void
json_summary_drops(FILE *f, const struct summary *s)
{
	fprintf(f, ",\"drops\":{\"received\":%llu,\"kernel\":%llu,\"interface\":%llu}",
		(unsigned long long)s->drops.received, (unsigned long long)s->drops.dropped,
		(unsigned long long)s->drops.if_dropped);
}

static void
json_summary(FILE *f, const struct summary *s)
{
	fprintf(f,
		"{\"type\":\"summary\",\"packets\":%llu,\"ike_packets\":%llu,\"esp_packets\":%llu,"
		"\"ike_sas\":%llu,\"esp_sas\":%llu,"
		"\"findings\":{\"error\":%llu,\"warning\":%llu,\"info\":%llu},"
		"\"malformed\":%llu,\"truncated\":%s",
		(unsigned long long)s->packets, (unsigned long long)s->ike_packets,
		(unsigned long long)s->esp_packets, (unsigned long long)s->ike_sas,
		(unsigned long long)s->esp_sas, (unsigned long long)s->findings[SEV_ERROR],
		(unsigned long long)s->findings[SEV_WARNING],
		(unsigned long long)s->findings[SEV_INFO], (unsigned long long)s->malformed,
		s->truncated ? "true" : "false");
	fprintf(f,
		",\"ike_fragments\":{\"complete\":%llu,\"incomplete\":%llu}"
		",\"evicted\":{\"esp_sas\":%llu,\"ike_sas\":%llu,\"ike_messages\":%llu,"
		"\"findings\":%llu}"
		",\"ip_fragments\":{\"fragments\":%llu,\"complete\":%llu,\"overlap\":%llu,"
		"\"incomplete\":%llu,\"timeout\":%llu,\"evicted\":%llu,\"too_big\":%llu,"
		"\"cut_by_snaplen\":%llu}",
		(unsigned long long)s->ike_frag_complete,
		(unsigned long long)s->ike_frag_incomplete, (unsigned long long)s->esp_evicted,
		(unsigned long long)s->ike_evicted, (unsigned long long)s->ike_overflow,
		(unsigned long long)s->findings_dropped, (unsigned long long)s->reasm.fragments,
		(unsigned long long)s->reasm.complete, (unsigned long long)s->reasm.overlap,
		(unsigned long long)s->reasm.incomplete_end, (unsigned long long)s->reasm.timeout,
		(unsigned long long)s->reasm.evicted, (unsigned long long)s->reasm.too_big,
		(unsigned long long)s->reasm.caplen);
	if (s->drops.valid)
		json_summary_drops(f, s);
	fputs("}\n", f);
}

void
report_packet(struct report *r, const struct pkt *p, const struct ike_msg *m,
	      const struct esp_hdr *e, const struct ike_facts *fx)
{
	if (!r->have_first) {
		r->have_first = true;
		r->first_ts = p->fr->ts_usec;
	}
	if (r->verbose < 1 || r->quiet)
		return;
	if (r->json)
		json_packet(r, p, m, e, fx);
	else
		text_packet(r, p, m, e, fx);
}

static const char *
reasm_outcome_name(enum reasm_outcome o)
{
	static const char *const names[] = {"complete", "overlap", "incomplete",    "timeout",
					    "evicted",	"too-big", "cut-by-snaplen"};
	return (unsigned)o < ARRAY_LEN(names) ? names[o] : "?";
}

void
report_lost_datagram(struct report *r, const struct reasm_datagram *d, uint16_t sport,
		     uint16_t dport)
{
	if (r->verbose < 1 || r->quiet)
		return;
	char s[IP_ADDR_STRLEN], t[IP_ADDR_STRLEN];
	ip_addr_str(&d->src, s);
	ip_addr_str(&d->dst, t);
	/* Not a record of the schema: in NDJSON these are counted in the summary only. */
	if (r->json)
		return;
	fprintf(r->out,
		"       %s:%u > %s:%u IP-fragmented datagram never completed (%s): "
		"%zu bytes in %zu fragments",
		s, sport, t, dport, reasm_outcome_name(d->outcome), d->received, d->nframes);
	if (d->total)
		fprintf(r->out, " of %zu", d->total);
	fputs(", frames", r->out);
	for (size_t i = 0; i < d->nframes && i < REASM_MAX_FRAMES; i++)
		fprintf(r->out, " %llu", (unsigned long long)d->frames[i]);
	fputc('\n', r->out);
}

void
report_lost_ike_fragments(struct report *r, const struct ike_frag_msg *m)
{
	/* Not a record of the schema: in NDJSON these are counted in the summary only. */
	if (r->verbose < 1 || r->quiet || r->json)
		return;
	char s[IP_ADDR_STRLEN], hx[17];
	hex_str(m->key.spi_i, 8, hx);
	fprintf(
	    r->out,
	    "       %s:%u IKEv%u %s %u (spi_i %s) never completed: %u of %s%u fragments, frames",
	    ip_addr_str(&m->key.src, s), m->key.sport, m->key.version,
	    m->key.version == 2 ? "message" : "fragment ID", m->key.id, hx, m->received,
	    m->total ? "" : "at least ", m->total ? m->total : m->received + 1u);
	for (uint8_t i = 0; i < m->nframes; i++)
		fprintf(r->out, " %llu", (unsigned long long)m->frames[i]);
	fputc('\n', r->out);
}

void
json_esp_sas(struct report *r, const struct esp_table *t)
{
	size_t n;
	struct esp_sa **v = esp_table_sorted(t, &n);
	for (size_t i = 0; i < n; i++)
		json_esp_sa(r->out, v[i]);
	free(v);
}

void
json_findings(struct report *r, const struct diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		json_finding(r->out, &d->list[i]);
}

void
report_finding(struct report *r, const struct finding *x)
{
	if (r->json)
		json_finding(r->out, x);
	else
		text_finding_line(r->out, x);
}

void
report_summary(struct report *r, const struct summary *s)
{
	if (r->json)
		json_summary(r->out, s);
	else
		text_summary(r, s);
	fflush(r->out);
}
