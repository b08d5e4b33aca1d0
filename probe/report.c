/*
 * The probe's records: one line (text) or one `probe` NDJSON record
 * (INTERFACE.md) per probe sent, and with --enumerate the accepted list.
 */
#include <stdio.h>
#include <string.h>

#include "dissect/ike.h"
#include "dissect/ikev1_names.h"
#include "dissect/ikev2_names.h"
#include "probe/probe.h"
#include "report/report.h"

static const char *
result_name(enum probe_outcome r)
{
	return r == PR_ANSWERED ? "answered" : r == PR_ICMP ? "icmp-unreachable" : "no-response";
}

static const char *
encr_str(const struct probe_result *r, char *buf, size_t len)
{
	const char *n = r->version == 2 ? ikev2_encr_name(r->encr) : ikev1_encr_name(r->encr);
	if (n == NULL) {
		snprintf(buf, len, "%u", r->encr);
		return buf;
	}
	if (r->keylen)
		snprintf(buf, len, "%s_%u", n, r->keylen);
	else
		snprintf(buf, len, "%s", n);
	return buf;
}

static const char *
named(const char *n, unsigned v, char *buf, size_t len)
{
	if (n)
		return n;
	snprintf(buf, len, "%u", v);
	return buf;
}

/* ICMP unreachable codes (RFC 792, RFC 4443 §3.1) in words. */
static const char *
icmp_what(const struct probe_result *r)
{
	if (r->icmp_version == 4) {
		static const char *const v4[] = {"network unreachable",	 "host unreachable",
						 "protocol unreachable", "port unreachable",
						 "fragmentation needed", "source route failed"};
		if (r->icmp_code < ARRAY_LEN(v4))
			return v4[r->icmp_code];
		if (r->icmp_code == 9 || r->icmp_code == 10 || r->icmp_code == 13)
			return "administratively prohibited";
		return "unreachable";
	}
	static const char *const v6[] = {"no route",	     "administratively prohibited",
					 "beyond scope",     "address unreachable",
					 "port unreachable", "source address failed policy",
					 "reject route"};
	return r->icmp_code < ARRAY_LEN(v6) ? v6[r->icmp_code] : "unreachable";
}

/* ,"key":"NAME" (the registry's name, else the number). */
static void
json_named(FILE *f, const char *key, const char *name, unsigned v)
{
	char n[16];
	fprintf(f, ",\"%s\":", key);
	json_str(f, named(name, v, n, sizeof(n)));
}

static void
json_chosen(FILE *f, const struct probe_result *r)
{
	char b[48];
	fputs(",\"chosen\":{\"encr\":", f);
	json_str(f, encr_str(r, b, sizeof(b)));
	if (r->version == 2) {
		if (r->integ)
			json_named(f, "integ", ikev2_integ_name(r->integ), r->integ);
		json_named(f, "prf", ikev2_prf_name(r->prf), r->prf);
		json_named(f, "dh", ikev2_dh_name(r->dh), r->dh);
	} else {
		json_named(f, "hash", ikev1_hash_name(r->v1_hash), r->v1_hash);
		json_named(f, "auth", ikev1_auth_method_name(r->v1_auth), r->v1_auth);
		json_named(f, "dh", ikev1_group_name(r->dh), r->dh);
	}
	fputc('}', f);
}

static void
json_probe(FILE *f, const char *target, const struct probe_result *r)
{
	char b[IP_ADDR_STRLEN], n[16];
	fputs("{\"type\":\"probe\",\"target\":", f);
	json_str(f, target);
	fprintf(f, ",\"port\":%u,\"ike_version\":%u,\"result\":\"%s\"", r->port, r->version,
		result_name(r->result));
	if (r->version == 1)
		fprintf(f, ",\"mode\":\"%s\"", r->aggressive ? "aggressive" : "main");
	fprintf(f, ",\"sport\":%u,\"tries\":%u", r->sport, r->tries);
	if (r->ke_group) {
		fputs(",\"ke_group\":", f);
		json_str(f, named(ikev2_dh_name(r->ke_group), r->ke_group, n, sizeof(n)));
	}
	if (r->cookie_sent)
		fputs(",\"cookie_sent\":true", f);
	if (r->offered[0]) {
		fputs(",\"offered\":", f);
		json_str(f, r->offered);
		fprintf(f, ",\"accepted\":%s",
			r->result == PR_ANSWERED && r->have_chosen ? "true" : "false");
	}
	if (r->result == PR_ICMP) {
		fprintf(f, ",\"icmp\":{\"from\":\"%s\",\"type\":%u,\"code\":%u,\"what\":",
			ip_addr_str(&r->icmp_from, b), r->icmp_type, r->icmp_code);
		json_str(f, icmp_what(r));
		fprintf(f, "},\"rtt_ms\":%.3f}\n", r->rtt_ms);
		return;
	}
	if (r->result != PR_ANSWERED) {
		fputs("}\n", f);
		return;
	}
	fputs(",\"notify_types\":[", f);
	for (unsigned i = 0; i < r->nnotify; i++)
		fprintf(f, "%s%u", i ? "," : "", r->notify[i]);
	fputc(']', f);
	if (r->dh_wanted) {
		fputs(",\"dh_wanted\":", f);
		json_str(f, named(ikev2_dh_name(r->dh_wanted), r->dh_wanted, n, sizeof(n)));
	}
	if (r->have_chosen)
		json_chosen(f, r);
	fputs(",\"vendor_ids\":[", f);
	for (unsigned i = 0; i < r->nvids; i++) {
		if (i)
			fputc(',', f);
		json_str(f, r->vids[i]);
	}
	fprintf(f, "],\"fragmentation\":%s", r->fragmentation ? "true" : "false");
	if (r->natd_seen)
		fprintf(f,
			",\"nat_detected\":%s,\"nat\":{\"local_behind_nat\":%s,"
			"\"peer_behind_nat\":%s}",
			r->nat_local || r->nat_peer ? "true" : "false",
			r->nat_local ? "true" : "false", r->nat_peer ? "true" : "false");
	fprintf(f, ",\"rtt_ms\":%.3f}\n", r->rtt_ms);
}

static void
text_probe(FILE *f, const char *target, const struct probe_result *r)
{
	char b[48], n1[16], n2[16], n3[16];
	fprintf(f, "%s:%u IKEv%u%s", target, r->port, r->version,
		r->version == 1 ? (r->aggressive ? " aggressive" : " main") : "");
	if (r->offered[0])
		fprintf(f, " [%s]", r->offered);
	else if (r->ke_group)
		fprintf(f, " [KE %s]", named(ikev2_dh_name(r->ke_group), r->ke_group, n1, 16));
	if (r->cookie_sent)
		fputs(" (with cookie)", f);
	if (r->result == PR_NO_RESPONSE) {
		fprintf(f, ": no response after %u %s\n", r->tries,
			r->tries == 1 ? "try" : "tries");
		return;
	}
	if (r->result == PR_ICMP) {
		fprintf(f, ": ICMP%s %s from %s (type %u code %u) in %.1f ms\n",
			r->icmp_version == 6 ? "v6" : "", icmp_what(r),
			ip_addr_str(&r->icmp_from, b), r->icmp_type, r->icmp_code, r->rtt_ms);
		return;
	}
	fprintf(f, ": answered in %.1f ms", r->rtt_ms);
	for (unsigned i = 0; i < r->nnotify; i++) {
		const char *nn = ike_notify_name(r->version, r->notify[i]);
		fprintf(f, "%s %s (%u)", i ? "," : ";", nn ? nn : "notify", r->notify[i]);
		if (r->notify[i] == 17 && r->dh_wanted)
			fprintf(f, " wants %s",
				named(ikev2_dh_name(r->dh_wanted), r->dh_wanted, n1, 16));
	}
	if (r->have_chosen) {
		fprintf(f, "; chose %s", encr_str(r, b, sizeof(b)));
		if (r->version == 2) {
			if (r->integ)
				fprintf(f, "/%s",
					named(ikev2_integ_name(r->integ), r->integ, n1, 16));
			fprintf(f, "/%s/%s", named(ikev2_prf_name(r->prf), r->prf, n2, 16),
				named(ikev2_dh_name(r->dh), r->dh, n3, 16));
		} else {
			fprintf(f, "/%s/%s/%s",
				named(ikev1_hash_name(r->v1_hash), r->v1_hash, n1, 16),
				named(ikev1_auth_method_name(r->v1_auth), r->v1_auth, n2, 16),
				named(ikev1_group_name(r->dh), r->dh, n3, 16));
		}
	}
	if (r->nvids) {
		fputs("; vendor IDs:", f);
		for (unsigned i = 0; i < r->nvids; i++)
			fprintf(f, "%s %s", i ? "," : "", r->vids[i]);
	}
	fprintf(f, "; fragmentation %s", r->fragmentation ? "yes" : "no");
	if (r->natd_seen)
		fprintf(f, "; NAT %s",
			r->nat_local && r->nat_peer ? "in front of both sides"
			: r->nat_local		    ? "in front of this host"
			: r->nat_peer		    ? "in front of the peer"
						    : "none");
	fputc('\n', f);
}

void
probe_print(FILE *f, bool json, const char *target, const struct probe_result *r)
{
	if (json)
		json_probe(f, target, r);
	else
		text_probe(f, target, r);
}

void
probe_print_accepted(FILE *f, bool json, const char *target, const char (*acc)[160], unsigned n,
		     unsigned probes, bool capped)
{
	/* NDJSON: the probe records say it (offered, accepted); no record type of its own */
	if (json)
		return;
	fprintf(f, "%s: %u of %u combinations accepted%s\n", target, n, probes,
		capped ? " (stopped at --max-probes)" : "");
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "  %s\n", acc[i]);
}
