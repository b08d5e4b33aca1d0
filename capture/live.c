/*
 * Live capture on an interface through libpcap: pcap_create, the options
 * (snaplen, kernel buffer, immediate mode or a short timeout), pcap_activate
 * with its errors and warnings kept apart, the default filter narrowed by the
 * user's expression, non-blocking reads, and the kernel's drop counters.
 */
#include <limits.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/cap_int.h"

#define LIVE_SNAPLEN	262144
#define LIVE_TIMEOUT_MS 100 /* when not immediate: how long the kernel may hold a batch */

/*
 * What the analysis reads, for one layer of encapsulation: IKE and NAT-T,
 * ESP on IPv4 and IPv6, non-first IPv4 fragments (they carry no UDP header, so
 * `udp port` misses them), IPv6 fragments (Fragment header, next header 44),
 * and the ICMP errors that can quote our datagrams: destination unreachable,
 * time exceeded and parameter problem, and ICMPv6 types 1-4 (packet too big
 * among them).
 */
#define LIVE_FILTER_L3                                                                             \
	"udp port 500 or udp port 4500 or ip proto 50 or ip6 proto 50"                             \
	" or (ip and ip[6:2] & 0x1fff != 0) or ip6 proto 44"                                       \
	" or (icmp and (icmp[0] == 3 or icmp[0] == 11 or icmp[0] == 12))"                          \
	" or (icmp6 and icmp6[0] >= 1 and icmp6[0] <= 4)"

/*
 * The same untagged, inside one 802.1Q tag, and inside two (QinQ).  Each
 * `vlan` moves libpcap's offsets for the rest of the expression, which is why
 * the second tag is tested inside the first's parentheses.
 */
static const char default_filter[] =
    "(" LIVE_FILTER_L3 ") or (vlan and ((" LIVE_FILTER_L3 ") or (vlan and (" LIVE_FILTER_L3 "))))";

static const char default_filter_l3[] = LIVE_FILTER_L3;

const char *
cap_default_filter(void)
{
	return default_filter;
}

const char *
cap_default_filter_for(int linktype)
{
	/* libpcap's `vlan` exists only for link types that carry 802.1Q tags in the frame. */
	switch (linktype) {
	case DLT_EN10MB:
	case DLT_NETANALYZER:
	case DLT_NETANALYZER_TRANSPARENT:
		return default_filter;
	default:
		return default_filter_l3;
	}
}

/* One line for a failed pcap_activate: libpcap's status text, and its detail when it has one. */
static void
live_activate_error(pcap_t *pc, int rc, const char *iface, char *err, size_t errlen)
{
	const char *detail = pcap_geterr(pc);
	switch (rc) {
	case PCAP_ERROR:
		/* The generic error: only pcap_geterr says what happened. */
		snprintf(err, errlen, "%s: %s", iface, detail);
		break;
	case PCAP_ERROR_NO_SUCH_DEVICE:
	case PCAP_ERROR_PERM_DENIED:
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		/* libpcap sometimes repeats its status text as the detail: say it once. */
		if (detail && *detail && strcmp(detail, pcap_statustostr(rc)) != 0) {
			snprintf(err, errlen, "%s: %s (%s)", iface, pcap_statustostr(rc), detail);
			break;
		}
		snprintf(err, errlen, "%s: %s", iface, pcap_statustostr(rc));
		break;
	default:
		snprintf(err, errlen, "%s: %s", iface, pcap_statustostr(rc));
		break;
	}
}

/* Compiles and installs expr; on failure the message in err. */
static int
live_set_filter(pcap_t *pc, const char *expr, char *err, size_t errlen)
{
	struct bpf_program prog;
	if (pcap_compile(pc, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, errlen, "cannot compile the capture filter: %s", pcap_geterr(pc));
		return -1;
	}
	int rc = pcap_setfilter(pc, &prog);
	pcap_freecode(&prog);
	if (rc != 0) {
		snprintf(err, errlen, "cannot set filter: %s", pcap_geterr(pc));
		return -1;
	}
	return 0;
}

struct cap *
cap_open_live(const struct cap_live_opts *o, char *err, size_t errlen, int *exit_code, char *warn,
	      size_t warnlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	char *expr = NULL;
	*exit_code = 1;
	if (warnlen)
		warn[0] = '\0';

	if (o->buffer_kib > (unsigned)(INT_MAX / 1024)) {
		snprintf(err, errlen, "buffer size %u KiB too large", o->buffer_kib);
		*exit_code = 2;
		return NULL;
	}
	pcap_t *pc = pcap_create(o->iface, ebuf);
	if (pc == NULL) {
		snprintf(err, errlen, "%s: %s", o->iface, ebuf);
		return NULL;
	}
	/* Settings before activation: they fail only on an already active handle. */
	pcap_set_snaplen(pc, LIVE_SNAPLEN);
	pcap_set_promisc(pc, 1);
	if (o->buffer_kib)
		pcap_set_buffer_size(pc, (int)o->buffer_kib * 1024);
	if (o->immediate)
		pcap_set_immediate_mode(pc, 1);
	else
		pcap_set_timeout(pc, LIVE_TIMEOUT_MS);
	pcap_set_tstamp_precision(pc, PCAP_TSTAMP_PRECISION_MICRO);

	int rc = pcap_activate(pc);
	if (rc < 0) {
		live_activate_error(pc, rc, o->iface, err, errlen);
		goto fail;
	}
	if (rc > 0 && warnlen) {
		/* A warning: say it and capture anyway. */
		const char *detail = pcap_geterr(pc);
		if (rc == PCAP_WARNING && detail && *detail)
			snprintf(warn, warnlen, "%s: %s", o->iface, detail);
		else
			snprintf(warn, warnlen, "%s: %s", o->iface, pcap_statustostr(rc));
	}

	int lt = pcap_datalink(pc);
	if (!cap_linktype_supported(lt)) {
		snprintf(err, errlen, "%s: unsupported link type %d (%s)", o->iface, lt,
			 cap_linktype_name(lt));
		goto fail;
	}

	const char *deflt = cap_default_filter_for(lt);
	/* The user's expression alone first: a mistake there is a usage error (exit 2). */
	if (o->filter && *o->filter) {
		struct bpf_program prog;
		if (pcap_compile(pc, &prog, o->filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
			snprintf(err, errlen, "bad filter expression '%s': %s", o->filter,
				 pcap_geterr(pc));
			*exit_code = 2;
			goto fail;
		}
		pcap_freecode(&prog);
		/* The user's part first, so that a `vlan` in ours cannot shift its offsets. */
		size_t n = strlen(o->filter) + strlen(deflt) + 16;
		expr = xcalloc(n, 1);
		snprintf(expr, n, "(%s) and (%s)", o->filter, deflt);
	} else {
		expr = cap_strdup(deflt);
	}
	if (live_set_filter(pc, expr, err, errlen) != 0)
		goto fail;

	if (pcap_setnonblock(pc, 1, ebuf) != 0) {
		snprintf(err, errlen, "%s: cannot make the capture non-blocking: %s", o->iface,
			 ebuf);
		goto fail;
	}

	struct cap *c = xcalloc(1, sizeof(*c));
	c->pc = pc;
	c->linktype = lt;
	c->live = true;
	c->source = cap_strdup(o->iface);
	c->filter = expr;
	*exit_code = 0;
	return c;
fail:
	free(expr);
	pcap_close(pc);
	return NULL;
}

bool
cap_is_live(const struct cap *c)
{
	return c->live;
}

int
cap_get_fd(const struct cap *c)
{
	return c->live ? pcap_get_selectable_fd(c->pc) : -1;
}

const char *
cap_source(const struct cap *c)
{
	return c->source;
}

const char *
cap_filter(const struct cap *c)
{
	return c->filter;
}

void
cap_drops_advance(struct cap_drops_acc *acc, uint32_t received, uint32_t dropped,
		  uint32_t if_dropped)
{
	uint32_t now[3] = {received, dropped, if_dropped};
	uint64_t *total[3] = {&acc->total.received, &acc->total.dropped, &acc->total.if_dropped};
	for (int i = 0; i < 3; i++) {
		/* Unsigned subtraction: the distance moved, across a wrap too. */
		*total[i] += acc->started ? (uint32_t)(now[i] - acc->last[i]) : now[i];
		acc->last[i] = now[i];
	}
	acc->started = true;
	acc->total.valid = true;
}

void
cap_get_drops(struct cap *c, struct cap_drops *d)
{
	struct pcap_stat ps;
	memset(d, 0, sizeof(*d));
	if (!c->live || pcap_stats(c->pc, &ps) != 0)
		return;
	cap_drops_advance(&c->drops, ps.ps_recv, ps.ps_drop, ps.ps_ifdrop);
	*d = c->drops.total;
}

void
cap_breakloop(struct cap *c)
{
	c->stop = 1;
	pcap_breakloop(c->pc);
}

void
cap_drops_format(const struct cap_drops *d, uint64_t packets, char *buf, size_t len)
{
	if (!d->valid) {
		snprintf(buf, len, "%llu packets", (unsigned long long)packets);
		return;
	}
	snprintf(buf, len, "%llu packets, %llu dropped by kernel, %llu by interface",
		 (unsigned long long)packets, (unsigned long long)d->dropped,
		 (unsigned long long)d->if_dropped);
}
