/* The text report: per-packet lines in tcpdump's spirit, ESP SAs, findings, summary. */
#include <string.h>

#include "report/report.h"
#include "report/tree.h"

static void
text_endpoint(FILE *f, const struct ip_addr *a, bool port, uint16_t p)
{
	char b[IP_ADDR_STRLEN];
	ip_addr_str(a, b);
	if (!port)
		fputs(b, f);
	else if (a->family == 6)
		fprintf(f, "[%s]:%u", b, p);
	else
		fprintf(f, "%s:%u", b, p);
}

void
text_payload_list(FILE *f, uint8_t version, bool encrypted, const uint8_t *types, unsigned nclear,
		  unsigned n, bool decrypted)
{
	char buf[16];
	fputc('[', f);
	if (encrypted)
		fputs("encrypted", f);
	for (unsigned i = 0; i < nclear && i < n; i++)
		fprintf(f, "%s%s", i || encrypted ? " " : "",
			ike_payload_name(version, types[i], buf, sizeof(buf)));
	if (decrypted) {
		fputs(nclear || encrypted ? " {" : "{", f);
		for (unsigned i = nclear; i < n; i++)
			fprintf(f, "%s%s", i > nclear ? " " : "",
				ike_payload_name(version, types[i], buf, sizeof(buf)));
		fputc('}', f);
	}
	fputc(']', f);
}

static void
text_ike(struct report *r, const struct ike_msg *m)
{
	FILE *f = r->out;
	char buf[16];
	fprintf(f, " IKEv%u %s", m->version, ike_exchange_name(m, buf, sizeof(buf)));
	if (m->version == 2)
		fprintf(f, " %s", ike_is_response(m) ? "response" : "request");
	fprintf(f, " #%u ", m->msgid);
	text_payload_list(f, m->version, m->encrypted, m->payloads, m->nclear, m->npayloads,
			  m->decrypted);
	if (m->frag_total)
		fprintf(f, " fragment %u/%u", m->frag_n, m->frag_total);
	fprintf(f, " %uB", m->length);
	for (unsigned i = 0; i < m->nnotify; i++) {
		const char *n = ike_notify_name(m->version, m->notify[i]);
		if (n)
			fprintf(f, " N(%s)", n);
		else
			fprintf(f, " N(%u)", m->notify[i]);
	}
	if (r->verbose >= 2) {
		char hx[17];
		hex_str(m->spi_i, 8, hx);
		fprintf(f, " spi_i=%s", hx);
		hex_str(m->spi_r, 8, hx);
		fprintf(f, " spi_r=%s", hx);
	}
	if (m->malformed)
		fprintf(f, " [malformed: %s]", m->malformed);
	if (m->truncated)
		fputs(" [|truncated]", f);
}

void
text_packet(struct report *r, const struct pkt *p, const struct ike_msg *m, const struct esp_hdr *e,
	    const struct ike_facts *fx)
{
	FILE *f = r->out;
	uint64_t rel = p->fr->ts_usec >= r->first_ts ? p->fr->ts_usec - r->first_ts : 0;
	bool ports = pkt_has_ports(p);
	fprintf(f, "%6llu %llu.%06u ", (unsigned long long)p->fr->num,
		(unsigned long long)(rel / 1000000), (unsigned)(rel % 1000000));
	text_endpoint(f, &p->src, ports, p->sport);
	fputs(" > ", f);
	text_endpoint(f, &p->dst, ports, p->dport);
	switch (p->kind) {
	case PK_IKE:
		text_ike(r, m);
		if (fx && (fx->nd.source != NATD_ABSENT || fx->nd.destination != NATD_ABSENT))
			fprintf(f, " NAT-D(source %s, destination %s)",
				natd_verdict_name(fx->nd.source),
				natd_verdict_name(fx->nd.destination));
		if (fx && fx->fragment && fx->frag_state == IKE_FRAG_DUPLICATE)
			fputs(" (fragment seen before)", f);
		if (fx && fx->frag_done) {
			fputs(" (message complete: frames", f);
			for (uint8_t i = 0; i < fx->frag_done->nframes; i++)
				fprintf(f, "%s%llu", i ? ", " : " ",
					(unsigned long long)fx->frag_done->frames[i]);
			fputc(')', f);
			if (fx->joined) {
				fputs(" =", f);
				text_ike(r, fx->joined);
			}
		}
		break;
	case PK_ESP:
	case PK_ESP_UDP:
		fputs(p->kind == PK_ESP ? " ESP" : " ESP-in-UDP", f);
		if (e->has_spi)
			fprintf(f, " spi=0x%08x", e->spi);
		if (e->truncated)
			fputs(" [|truncated]", f);
		else
			fprintf(f, " seq=%u", e->seq);
		if (fx && fx->keys && !fx->esp_ok)
			fputs(" (decryption failed)", f);
		if (fx && fx->esp_ok && fx->esp_inner.version) {
			fputs(" {", f);
			text_endpoint(f, &fx->esp_inner.src, false, 0);
			fputs(" > ", f);
			text_endpoint(f, &fx->esp_inner.dst, false, 0);
			fprintf(f, " proto %u}", fx->esp_inner.proto);
		}
		fprintf(f, " %zuB", p->l4.wire);
		break;
	case PK_NAT_KEEPALIVE:
		fputs(" NAT-keepalive", f);
		break;
	case PK_IP_FRAGMENT:
		fprintf(f, " IP fragment (protocol %u%s)", p->ipproto, ports ? ", first" : "");
		break;
	case PK_ICMP: {
		fprintf(f, " ICMP%s type %u code %u quoting ", p->icmp.version == 6 ? "v6" : "",
			p->icmp.type, p->icmp.code);
		bool qp = p->icmp.proto == 17;
		text_endpoint(f, &p->icmp.src, qp, p->icmp.sport);
		fputs(" > ", f);
		text_endpoint(f, &p->icmp.dst, qp, p->icmp.dport);
		if (!qp)
			fprintf(f, " ESP spi=0x%08x", p->icmp.spi);
		if (p->icmp.mtu)
			fprintf(f, " mtu %u", p->icmp.mtu);
		break;
	}
	default:
		fprintf(f, " not IKE (%zuB on an IKE port)", p->l4.wire);
		break;
	}
	if (p->reassembled)
		fprintf(f, " (reassembled from %zu IP fragments)", p->nfrag_frames);
	if (m && r->verbose >= 2) {
		struct tw w;
		tw_init(&w, f, false);
		tree_ike_msg(&w, m);
	}
	fputc('\n', f);
}

void
text_esp_sas(struct report *r, struct esp_sa **v, size_t n)
{
	FILE *f = r->out;
	for (size_t i = 0; i < n; i++) {
		const struct esp_sa *s = v[i];
		const struct esp_sa_ext *x = esp_sa_ext(s);
		fprintf(f, "    spi 0x%08x ", s->spi);
		text_endpoint(f, &s->src, false, 0);
		fputs(" > ", f);
		text_endpoint(f, &s->dst, false, 0);
		if (s->encap == ENCAP_UDP)
			fprintf(f, " (UDP %u>%u)", s->sport, s->dport);
		fprintf(f,
			": %llu packets, %llu bytes, %llu seq gaps, %llu replays, frames "
			"%llu-%llu\n",
			(unsigned long long)s->packets, (unsigned long long)s->bytes,
			(unsigned long long)x->seq_gaps, (unsigned long long)x->replays,
			(unsigned long long)s->first_frame, (unsigned long long)s->last_frame);
	}
}

void
text_summary(struct report *r, const struct summary *s)
{
	fprintf(r->out,
		"Summary: %llu packets, %llu IKE, %llu ESP; %llu IKE SAs, %llu ESP SAs; "
		"findings: %llu error, %llu warning, %llu info; %llu malformed%s\n",
		(unsigned long long)s->packets, (unsigned long long)s->ike_packets,
		(unsigned long long)s->esp_packets, (unsigned long long)s->ike_sas,
		(unsigned long long)s->esp_sas, (unsigned long long)s->findings[SEV_ERROR],
		(unsigned long long)s->findings[SEV_WARNING],
		(unsigned long long)s->findings[SEV_INFO], (unsigned long long)s->malformed,
		s->truncated ? "; the capture file is truncated" : "");
	if (s->drops.valid) {
		char buf[160];
		cap_drops_format(&s->drops, s->packets, buf, sizeof(buf));
		fprintf(r->out, "Capture: %s (%llu received by the filter)\n", buf,
			(unsigned long long)s->drops.received);
	}
	if (s->esp_evicted || s->ike_evicted || s->ike_overflow || s->findings_dropped)
		fprintf(r->out,
			"Bounds reached: %llu ESP SAs evicted, %llu IKE SAs evicted, %llu IKE "
			"messages not tracked, %llu findings not kept\n",
			(unsigned long long)s->esp_evicted, (unsigned long long)s->ike_evicted,
			(unsigned long long)s->ike_overflow,
			(unsigned long long)s->findings_dropped);
}
