/*
 * The probe engine (see probe.h): resolve the host once, choose the source
 * address and interface, open the raw sender and the live capture, then send
 * each probe (retried with back-off, paced) and read its answer: the IKE
 * response that carries our SPI, or an ICMP error quoting our datagram.
 * Every send goes through probe_send, which refuses any destination but the
 * one address the host resolved to.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "crypto/dh.h"
#include "crypto/natd.h"
#include "dissect/ike.h"
#include "dissect/ikev2_names.h"
#include "probe/probe.h"
#include "probe/send.h"

#define PROBE_MAX_ANSWER 65535
#define PROBE_MAX_STEPS	 4 /* a probe, its cookie answer, its INVALID_KE retry (and its cookie) */

struct probe_state {
	uint8_t spi[8];
	uint8_t nonce[PROBE_NONCE_LEN];
	uint8_t ke[DH_MAX_PUB];
	size_t ke_len;
	uint16_t ke_group;
	uint8_t cookie[PROBE_MAX_COOKIE];
	size_t cookie_len;
};

struct probe_ctx {
	const struct probe_opts *o;
	struct ip_addr target, src;
	char target_str[IP_ADDR_STRLEN];
	char ifname[IF_NAMESIZE + 1];
	uint16_t sport;
	int sock; /* holds the source port, so that our kernel does not answer the peer */
	struct probe_tx *tx;
	struct cap *cap;
	uint64_t last_send_us; /* monotonic */
	unsigned sends;
	/* the answer being waited for */
	uint8_t want_spi[8];
	bool got;
	bool got_icmp;
	struct pkt_copy {
		uint64_t ts_usec;
		struct ip_addr src, dst;
		uint16_t sport, dport;
		size_t len, wire;
		struct icmp_quote icmp;
	} ans;
	uint8_t *buf; /* PROBE_MAX_ANSWER bytes */
	struct ike_msg *msg;
};

static uint64_t
mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t
real_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void
sleep_us(uint64_t us)
{
	struct timespec ts = {(time_t)(us / 1000000u), (long)(us % 1000000u) * 1000};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void
addr_from_sa(const struct sockaddr *sa, struct ip_addr *a, uint16_t *port)
{
	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)(const void *)sa;
		a->family = 4;
		memcpy(a->a, &s->sin_addr, 4);
		if (port)
			*port = ntohs(s->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)(const void *)sa;
		a->family = 6;
		memcpy(a->a, &s->sin6_addr, 16);
		if (port)
			*port = ntohs(s->sin6_port);
	}
}

static socklen_t
addr_to_sa(const struct ip_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == 4) {
		struct sockaddr_in *s = (struct sockaddr_in *)ss;
		s->sin_family = AF_INET;
		s->sin_port = htons(port);
		memcpy(&s->sin_addr, a->a, 4);
		return sizeof(*s);
	}
	struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;
	s->sin6_family = AF_INET6;
	s->sin6_port = htons(port);
	memcpy(&s->sin6_addr, a->a, 16);
	return sizeof(*s);
}

/* The host, resolved once; the probe never sends to any other address. */
static int
probe_resolve(struct probe_ctx *x)
{
	struct addrinfo hints = {0}, *res = NULL;
	hints.ai_family = x->o->family == 4 ? AF_INET : x->o->family == 6 ? AF_INET6 : AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	int rc = getaddrinfo(x->o->host, NULL, &hints, &res);
	if (rc != 0 || res == NULL) {
		fprintf(stderr, "ikescope: probe: cannot resolve '%s': %s\n", x->o->host,
			rc ? gai_strerror(rc) : "no address");
		return -1;
	}
	addr_from_sa(res->ai_addr, &x->target, NULL);
	freeaddrinfo(res);
	ip_addr_str(&x->target, x->target_str);
	return 0;
}

/* The interface holding address a (for the capture and the raw sender). */
static bool
iface_of_addr(const struct ip_addr *a, char *name, size_t len)
{
	struct ifaddrs *ifs = NULL;
	if (getifaddrs(&ifs) != 0)
		return false;
	bool found = false;
	for (struct ifaddrs *i = ifs; i && !found; i = i->ifa_next) {
		if (i->ifa_addr == NULL)
			continue;
		struct ip_addr b;
		addr_from_sa(i->ifa_addr, &b, NULL);
		if (b.family && ip_addr_eq(a, &b)) {
			snprintf(name, len, "%s", i->ifa_name);
			found = true;
		}
	}
	freeifaddrs(ifs);
	return found;
}

/* -i IFACE without -s: its first address of the target's family. */
static int
addr_of_iface(struct probe_ctx *x)
{
	struct ifaddrs *ifs = NULL;
	if (if_nametoindex(x->o->iface) == 0) {
		fprintf(stderr, "ikescope: probe: -i %s: no such interface\n", x->o->iface);
		return -1;
	}
	if (getifaddrs(&ifs) != 0) {
		fprintf(stderr, "ikescope: probe: getifaddrs: %s\n", strerror(errno));
		return -1;
	}
	bool found = false;
	for (struct ifaddrs *i = ifs; i && !found; i = i->ifa_next) {
		if (i->ifa_addr == NULL || strcmp(i->ifa_name, x->o->iface) != 0)
			continue;
		struct ip_addr b;
		addr_from_sa(i->ifa_addr, &b, NULL);
		if (b.family != x->target.family)
			continue;
		/* an IPv6 link-local source only for a link-local target */
		if (b.family == 6 && b.a[0] == 0xfe && (b.a[1] & 0xc0) == 0x80 &&
		    !(x->target.a[0] == 0xfe && (x->target.a[1] & 0xc0) == 0x80))
			continue;
		x->src = b;
		found = true;
	}
	freeifaddrs(ifs);
	if (!found) {
		fprintf(stderr, "ikescope: probe: -i %s: the interface has no IPv%d address\n",
			x->o->iface, x->target.family);
		return -1;
	}
	snprintf(x->ifname, sizeof(x->ifname), "%s", x->o->iface);
	return 0;
}

static int
probe_source(struct probe_ctx *x)
{
	if (x->o->source) {
		struct ip_addr a = {0};
		if (inet_pton(AF_INET, x->o->source, a.a) == 1)
			a.family = 4;
		else if (inet_pton(AF_INET6, x->o->source, a.a) == 1)
			a.family = 6;
		if (a.family != x->target.family) {
			fprintf(stderr,
				"ikescope: probe: -s %s: not an IPv%d address (the family of %s)\n",
				x->o->source, x->target.family, x->target_str);
			return -1;
		}
		if (!iface_of_addr(&a, x->ifname, sizeof(x->ifname))) {
			fprintf(stderr, "ikescope: probe: -s %s: no interface has this address\n",
				x->o->source);
			return -1;
		}
		if (x->o->iface && strcmp(x->o->iface, x->ifname) != 0) {
			fprintf(stderr, "ikescope: probe: -s %s is on %s, not on -i %s\n",
				x->o->source, x->ifname, x->o->iface);
			return -1;
		}
		x->src = a;
		return 0;
	}
	if (x->o->iface)
		return addr_of_iface(x);
	/* The kernel's route to the target: connect() on UDP sends nothing. */
	struct sockaddr_storage ss;
	socklen_t sl = addr_to_sa(&x->target, x->o->port, &ss);
	int fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl) != 0) {
		fprintf(stderr, "ikescope: probe: no route to %s: %s\n", x->target_str,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	sl = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	close(fd);
	addr_from_sa((struct sockaddr *)&ss, &x->src, NULL);
	if (!iface_of_addr(&x->src, x->ifname, sizeof(x->ifname))) {
		char b[IP_ADDR_STRLEN];
		fprintf(stderr, "ikescope: probe: no interface holds the source address %s\n",
			ip_addr_str(&x->src, b));
		return -1;
	}
	return 0;
}

/*
 * A UDP socket bound to the source port: the kernel then neither hands the
 * port to somebody else nor answers the peer's datagrams with port unreachable.
 * With --sport taken by a daemon the probe goes on without it.
 */
static int
probe_bind(struct probe_ctx *x)
{
	struct sockaddr_storage ss;
	socklen_t sl = addr_to_sa(&x->src, x->o->sport, &ss);
	x->sock = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (x->sock >= 0 && bind(x->sock, (struct sockaddr *)&ss, sl) == 0) {
		sl = sizeof(ss);
		getsockname(x->sock, (struct sockaddr *)&ss, &sl);
		addr_from_sa((struct sockaddr *)&ss, &x->src, &x->sport);
		return 0;
	}
	if (x->sock >= 0)
		close(x->sock);
	x->sock = -1;
	if (x->o->sport == 0) {
		fprintf(stderr, "ikescope: probe: cannot get a UDP port: %s\n", strerror(errno));
		return -1;
	}
	x->sport = x->o->sport;
	return 0;
}

/* The only way out: a datagram to the target, paced to --rate. */
static int
probe_send(struct probe_ctx *x, const struct ip_addr *dst, const uint8_t *msg, size_t len,
	   uint64_t *sent_us)
{
	if (!ip_addr_eq(dst, &x->target)) {
		fprintf(stderr, "ikescope: probe: refusing to send to an address other than %s\n",
			x->target_str);
		return -1;
	}
	uint64_t gap = 1000000u / (x->o->rate ? x->o->rate : 1);
	uint64_t now = mono_us();
	if (x->sends && now < x->last_send_us + gap)
		sleep_us(x->last_send_us + gap - now);
	x->last_send_us = mono_us();
	x->sends++;
	*sent_us =
	    real_us(); /* the capture's clock: the answer's timestamp minus this is the RTT */
	char err[256];
	if (ptx_send(x->tx, &x->src, x->sport, dst, x->o->port, msg, len, err, sizeof(err)) != 0) {
		fprintf(stderr, "ikescope: probe: send to %s: %s\n", x->target_str, err);
		return -1;
	}
	return 0;
}

static void
on_pkt(void *ctx, const struct pkt *p)
{
	struct probe_ctx *x = ctx;
	if (x->got)
		return;
	if (p->kind == PK_IKE) {
		if (!ip_addr_eq(&p->src, &x->target) || p->sport != x->o->port ||
		    p->dport != x->sport || !ip_addr_eq(&p->dst, &x->src))
			return;
		struct rd r = p->l4;
		uint8_t spi[8];
		if (!rd_copy(&r, spi, 8) || memcmp(spi, x->want_spi, 8) != 0)
			return;
		/* the whole message as captured, read again from its start */
		r = p->l4;
		size_t n = rd_left(&r), wire = rd_wire_left(&r);
		if (n > PROBE_MAX_ANSWER)
			n = wire = PROBE_MAX_ANSWER;
		if (!rd_copy(&r, x->buf, n))
			return;
		x->ans.len = n;
		x->ans.wire = wire;
		x->got_icmp = false;
	} else if (p->kind == PK_ICMP) {
		const struct icmp_quote *q = &p->icmp;
		bool unreach = q->version == 4 ? q->type == 3 : q->type == 1;
		if (!unreach || q->proto != 17 || !ip_addr_eq(&q->dst, &x->target) ||
		    q->dport != x->o->port || q->sport != x->sport)
			return;
		x->ans.icmp = *q;
		x->got_icmp = true;
	} else {
		return;
	}
	x->ans.ts_usec = p->fr->ts_usec;
	x->ans.src = p->src;
	x->ans.dst = p->dst;
	x->ans.sport = p->sport;
	x->ans.dport = p->dport;
	x->got = true;
}

/* Reads the capture until an answer or the deadline (monotonic); -1 on a capture error. */
static int
probe_wait(struct probe_ctx *x, uint64_t deadline)
{
	char err[256];
	int fd = cap_get_fd(x->cap);
	for (;;) {
		/* bounded: each turn reads at most 64 frames, and the deadline ends it */
		int n = cap_dispatch(x->cap, 64, on_pkt, NULL, x, err, sizeof(err));
		if (n < 0) {
			fprintf(stderr, "ikescope: probe: capture on %s: %s\n", x->ifname, err);
			return -1;
		}
		if (x->got)
			return 1;
		uint64_t now = mono_us();
		if (now >= deadline)
			return 0;
		if (n > 0)
			continue;
		uint64_t left = deadline - now;
		int ms = (int)(left / 1000u) + 1;
		if (ms > 50)
			ms = 50;
		if (fd >= 0) {
			struct pollfd pf = {.fd = fd, .events = POLLIN};
			poll(&pf, 1, ms);
		} else {
			sleep_us((uint64_t)ms * 1000u);
		}
	}
}

static bool
offer_has_dh(const struct probe_offer *o, uint16_t g)
{
	for (unsigned i = 0; i < o->n; i++)
		for (unsigned j = 0; j < o->p[i].ndh; j++)
			if (o->p[i].dh[j] == g)
				return true;
	return false;
}

static int
state_fresh(struct probe_state *st, uint16_t ke_group, bool need_ke)
{
	memset(st, 0, sizeof(*st));
	if (crypto_random(st->spi, 8) != 0 || crypto_random(st->nonce, PROBE_NONCE_LEN) != 0)
		return -EIO;
	st->ke_group = ke_group;
	if (need_ke) {
		int n = dh_make_public(ke_group, st->ke, sizeof(st->ke));
		if (n < 0)
			return n;
		st->ke_len = (size_t)n;
	}
	return 0;
}

/* What the answer says, into r. */
static void
probe_read_answer(struct probe_ctx *x, struct probe_result *r, const uint8_t *spi)
{
	struct ike_msg *m = x->msg;
	struct rd rd = rd_init(x->buf, x->ans.len, x->ans.wire);
	memset(m, 0, sizeof(*m));
	ike_parse(&rd, m);
	r->exchange = m->exchange;
	if (memcmp(m->spi_i, spi, 8) != 0)
		return;
	for (unsigned i = 0; i < m->nnotify && i < IKE_MAX_NOTIFIES; i++) {
		uint16_t t = m->notify[i];
		if (t == IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED && m->version == 2)
			r->fragmentation = true;
		/* error notifies (RFC 7296 §3.10.1: below 16384) and COOKIE */
		if ((t < 16384 || (t == IKEV2_N_COOKIE && m->version == 2)) &&
		    r->nnotify < PROBE_MAX_NOTIFY)
			r->notify[r->nnotify++] = t;
		if (t == IKEV2_N_INVALID_KE_PAYLOAD && m->version == 2)
			r->dh_wanted = m->notifies[i].dh_group;
	}
	for (unsigned i = 0; i < m->npayloads; i++) {
		const struct ike_payload *p = &m->pl[i];
		bool vid = m->version == 2 ? p->type == IKEV2_P_V : p->type == IKEV1_P_VID;
		if (vid && r->nvids < PROBE_MAX_VIDS && p->u.vid.data.len > 0) {
			const char *name = p->u.vid.name;
			if (name)
				snprintf(r->vids[r->nvids], sizeof(r->vids[0]), "%s", name);
			else
				hex_str(p->u.vid.data.p,
					p->u.vid.data.len > 16 ? 16 : p->u.vid.data.len,
					r->vids[r->nvids]);
			if (name && strncmp(name, "IKE Fragmentation", 17) == 0)
				r->fragmentation = true;
			r->nvids++;
		}
		bool sa = m->version == 2 ? p->type == IKEV2_P_SA : p->type == IKEV1_P_SA;
		if (!sa || r->have_chosen || p->u.sa.nprops == 0 || p->u.sa.first_prop >= m->nprops)
			continue;
		const struct ike_proposal *pr = &m->props[p->u.sa.first_prop];
		for (unsigned k = 0; k < pr->count && pr->first + k < m->nxf; k++) {
			const struct ike_transform *t = &m->xf[pr->first + k];
			if (m->version == 1) {
				if (k > 0)
					break;
				r->encr = t->v1_encr;
				r->keylen = t->keylen;
				r->v1_hash = t->v1_hash;
				r->v1_auth = t->v1_auth;
				r->dh = t->v1_group;
			} else if (t->type == IKEV2_XF_ENCR && !r->encr) {
				r->encr = t->id;
				r->keylen = t->keylen;
			} else if (t->type == IKEV2_XF_INTEG && !r->integ) {
				r->integ = t->id;
			} else if (t->type == IKEV2_XF_PRF && !r->prf) {
				r->prf = t->id;
			} else if (t->type == IKEV2_XF_DH && !r->dh) {
				r->dh = t->id;
			}
		}
		r->have_chosen = true;
	}
	/* NAT detection (RFC 7296 §2.23): the responder's hashes against what we see. */
	struct natd_result nd;
	natd_check(m, &x->ans.src, x->ans.sport, &x->ans.dst, x->ans.dport, &nd);
	if (nd.source != NATD_ABSENT || nd.destination != NATD_ABSENT) {
		r->natd_seen = true;
		r->nat_peer = nd.source == NATD_MISMATCH;
		r->nat_local = nd.destination == NATD_MISMATCH;
	}
}

/* One probe: a message sent up to --tries times with back-off, and its answer. */
static int
probe_exchange(struct probe_ctx *x, const struct probe_offer *offer, struct probe_state *st,
	       struct probe_result *r)
{
	const struct probe_opts *o = x->o;
	uint8_t msg[PROBE_MAX_MSG];
	struct probe_req q = {
	    .version = o->version,
	    .aggressive = o->aggressive,
	    .offer = offer,
	    .ke_group = st->ke_group,
	    .ke = st->ke_len ? st->ke : NULL,
	    .ke_len = st->ke_len,
	    .src = x->src,
	    .dst = x->target,
	    .sport = x->sport,
	    .dport = o->port,
	    .cookie = st->cookie_len ? st->cookie : NULL,
	    .cookie_len = st->cookie_len,
	    .id = o->id,
	};
	memcpy(q.spi_i, st->spi, 8);
	memcpy(q.nonce, st->nonce, PROBE_NONCE_LEN);
	int len = probe_build(&q, msg, sizeof(msg));
	if (len < 0) {
		fprintf(stderr, "ikescope: probe: cannot build the request (%s)\n", strerror(-len));
		return -1;
	}
	r->version = o->version;
	r->aggressive = o->aggressive;
	r->port = o->port;
	r->sport = x->sport;
	r->ke_group = (o->version == 2 || o->aggressive) ? st->ke_group : 0;
	r->cookie_sent = st->cookie_len > 0;
	r->result = PR_NO_RESPONSE;
	memcpy(x->want_spi, st->spi, 8);
	unsigned wait = o->timeout_ms;
	for (unsigned t = 0; t < o->tries; t++) {
		x->got = false;
		uint64_t sent = 0;
		if (probe_send(x, &x->target, msg, (size_t)len, &sent) != 0)
			return -1;
		r->tries = t + 1;
		int w = probe_wait(x, mono_us() + (uint64_t)wait * 1000u);
		if (w < 0)
			return -1;
		if (w > 0) {
			r->rtt_ms =
			    x->ans.ts_usec > sent ? (double)(x->ans.ts_usec - sent) / 1000.0 : 0.0;
			if (x->got_icmp) {
				r->result = PR_ICMP;
				r->icmp_from = x->ans.src;
				r->icmp_version = x->ans.icmp.version;
				r->icmp_type = x->ans.icmp.type;
				r->icmp_code = x->ans.icmp.code;
			} else {
				r->result = PR_ANSWERED;
				probe_read_answer(x, r, st->spi);
			}
			return 0;
		}
		if (wait < 60000)
			wait *= 2;
	}
	return 0;
}

static bool
result_has(const struct probe_result *r, uint16_t type)
{
	for (unsigned i = 0; i < r->nnotify; i++)
		if (r->notify[i] == type)
			return true;
	return false;
}

/*
 * A probe with its follow-ups: the cookie sent back once (RFC 7296 §2.6: same
 * SPI, nonce and KE), and a retry with the group INVALID_KE_PAYLOAD names
 * when the offer holds it.  Every message sent gets its record.  *final is the
 * last result.
 */
static int
probe_series(struct probe_ctx *x, const struct probe_offer *offer, const char *label,
	     struct probe_result *final)
{
	const struct probe_opts *o = x->o;
	struct probe_state st;
	bool need_ke = o->version == 2 || o->aggressive;
	uint16_t group = offer->n && offer->p[0].ndh ? offer->p[0].dh[0] : 0;
	if (need_ke && !dh_group_supported(group)) {
		fprintf(stderr, "ikescope: probe: cannot make a key exchange value for %s\n",
			ikev2_dh_name(group) ? ikev2_dh_name(group) : "that group");
		return -1;
	}
	if (state_fresh(&st, group, need_ke) != 0) {
		fputs("ikescope: probe: cannot make the key exchange value\n", stderr);
		return -1;
	}
	bool ke_retried = false;
	for (int step = 0; step < PROBE_MAX_STEPS; step++) {
		struct probe_result r;
		memset(&r, 0, sizeof(r));
		if (label)
			snprintf(r.offered, sizeof(r.offered), "%s", label);
		if (probe_exchange(x, offer, &st, &r) != 0)
			return -1;
		probe_print(stdout, o->json, x->target_str, &r);
		fflush(stdout);
		*final = r;
		if (r.result != PR_ANSWERED)
			return 0;
		if (o->version == 2 && result_has(&r, IKEV2_N_COOKIE) && st.cookie_len == 0) {
			struct ike_msg *m = x->msg;
			for (unsigned i = 0; i < m->nnotify && i < IKE_MAX_NOTIFIES; i++) {
				const struct ike_notify *n = &m->notifies[i];
				if (n->type == IKEV2_N_COOKIE && n->data.len >= 1 &&
				    n->data.len <= PROBE_MAX_COOKIE) {
					memcpy(st.cookie, n->data.p, n->data.len);
					st.cookie_len = n->data.len;
					break;
				}
			}
			if (st.cookie_len)
				continue;
			return 0;
		}
		if (o->version == 2 && r.dh_wanted && !ke_retried &&
		    offer_has_dh(offer, r.dh_wanted) && dh_group_supported(r.dh_wanted)) {
			ke_retried = true;
			if (state_fresh(&st, r.dh_wanted, true) != 0)
				return -1;
			continue;
		}
		return 0;
	}
	return 0;
}

/* "AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048" for an offer of one of each. */
static void
label_of(const struct probe_prop *p, uint8_t version, char *buf, size_t len)
{
	char e[48];
	const char *en = ikev2_encr_name(p->encr[0]);
	if (p->keylen[0])
		snprintf(e, sizeof(e), "%s_%u", en ? en : "?", p->keylen[0]);
	else
		snprintf(e, sizeof(e), "%s", en ? en : "?");
	const char *in = p->ninteg ? ikev2_integ_name(p->integ[0]) : NULL;
	const char *pn = p->nprf ? ikev2_prf_name(p->prf[0]) : NULL;
	const char *dn = ikev2_dh_name(p->dh[0]);
	if (version == 1)
		snprintf(buf, len, "%s/%s/%s", e, in ? in : "?", dn ? dn : "?");
	else if (in)
		snprintf(buf, len, "%s/%s/%s/%s", e, in, pn ? pn : "?", dn ? dn : "?");
	else
		snprintf(buf, len, "%s/%s/%s", e, pn ? pn : "?", dn ? dn : "?");
}

static bool
encr_is_aead(uint16_t e)
{
	return (e >= IKEV2_ENCR_AES_CCM_8 && e <= IKEV2_ENCR_NULL_AUTH_AES_GMAC) ||
	       e == IKEV2_ENCR_CHACHA20_POLY1305;
}

/* The PRF that goes with an integrity algorithm (the same hash). */
uint16_t
probe_prf_for_integ(uint16_t integ)
{
	switch (integ) {
	case IKEV2_INTEG_HMAC_MD5_96:
		return IKEV2_PRF_HMAC_MD5;
	case IKEV2_INTEG_HMAC_SHA1_96:
		return IKEV2_PRF_HMAC_SHA1;
	case IKEV2_INTEG_HMAC_SHA2_384_192:
		return IKEV2_PRF_HMAC_SHA2_384;
	case IKEV2_INTEG_HMAC_SHA2_512_256:
		return IKEV2_PRF_HMAC_SHA2_512;
	case IKEV2_INTEG_AES_XCBC_96:
		return IKEV2_PRF_AES128_XCBC;
	default:
		return IKEV2_PRF_HMAC_SHA2_256;
	}
}

/* --enumerate: one probe per combination of the candidates, up to --max-probes. */
static int
probe_enumerate(struct probe_ctx *x)
{
	const struct probe_opts *o = x->o;
	const struct probe_prop *c = &o->cand;
	static char acc[PROBE_DEFAULT_MAX * 4][160];
	unsigned nacc = 0, probes = 0;
	bool capped = false;
	for (unsigned e = 0; e < c->nencr && !capped; e++) {
		bool aead = encr_is_aead(c->encr[e]);
		if (o->version == 1 && aead)
			continue;
		unsigned ni = aead ? 1 : c->ninteg;
		for (unsigned i = 0; i < ni && !capped; i++) {
			/* PRFs: each candidate for AEAD (or with --prf), else the integrity's own
			 */
			bool each_prf = o->version == 2 && (aead || o->prf_given);
			unsigned np = each_prf ? c->nprf : 1;
			for (unsigned p = 0; p < np && !capped; p++) {
				for (unsigned d = 0; d < c->ndh; d++) {
					if (probes >= o->max_probes || probes >= ARRAY_LEN(acc)) {
						capped = true;
						break;
					}
					if ((o->version == 2 || o->aggressive) &&
					    !dh_group_supported(c->dh[d]))
						continue;
					struct probe_offer of = {.n = 1,
								 .v1_auth = o->offer.v1_auth};
					struct probe_prop *pp = &of.p[0];
					pp->encr[0] = c->encr[e];
					pp->keylen[0] = c->keylen[e];
					pp->nencr = 1;
					if (!aead) {
						pp->integ[0] = c->integ[i];
						pp->ninteg = 1;
					}
					pp->prf[0] =
					    each_prf ? c->prf[p] : probe_prf_for_integ(c->integ[i]);
					pp->nprf = 1;
					pp->dh[0] = c->dh[d];
					pp->ndh = 1;
					char label[160];
					label_of(pp, o->version, label, sizeof(label));
					struct probe_result r;
					probes++;
					if (probe_series(x, &of, label, &r) != 0)
						return -1;
					if (r.result == PR_ANSWERED && r.have_chosen)
						snprintf(acc[nacc++], sizeof(acc[0]), "%s", label);
				}
			}
		}
	}
	probe_print_accepted(stdout, o->json, x->target_str, (const char(*)[160])acc, nacc, probes,
			     capped);
	return 0;
}

int
probe_run(const struct probe_opts *o)
{
	struct probe_ctx x;
	memset(&x, 0, sizeof(x));
	x.o = o;
	x.sock = -1;
	int rc = 1;
	if (probe_resolve(&x) != 0 || probe_source(&x) != 0)
		return 1;
	if (geteuid() != 0) {
		/* say it before libnet and libpcap say it in their own words */
		bool eperm = false;
		char err[256];
		struct probe_tx *t = ptx_open(x.ifname, x.target.family, err, sizeof(err), &eperm);
		if (t == NULL) {
			fprintf(stderr,
				"ikescope: probe: raw sockets need root (or CAP_NET_RAW and "
				"CAP_NET_ADMIN): %s\n",
				err);
			return 1;
		}
		ptx_close(t);
	}
	if (probe_bind(&x) != 0)
		return 1;
	bool eperm = false;
	char err[512], warn[512] = "";
	x.tx = ptx_open(x.ifname, x.target.family, err, sizeof(err), &eperm);
	if (x.tx == NULL) {
		fprintf(stderr, "ikescope: probe: %s%s\n",
			eperm ? "raw sockets need root (or CAP_NET_RAW): " : "", err);
		goto out;
	}
	/* only what can answer this probe: the target's datagrams and ICMP errors */
	char filter[160];
	snprintf(filter, sizeof(filter), "(src host %s and udp) or icmp or icmp6", x.target_str);
	struct cap_live_opts lo = {.iface = x.ifname, .filter = filter, .immediate = true};
	int code = 1;
	x.cap = cap_open_live(&lo, err, sizeof(err), &code, warn, sizeof(warn));
	if (x.cap == NULL) {
		fprintf(stderr, "ikescope: probe: capture on %s: %s\n", x.ifname, err);
		goto out;
	}
	x.buf = malloc(PROBE_MAX_ANSWER);
	x.msg = malloc(sizeof(*x.msg));
	if (x.buf == NULL || x.msg == NULL) {
		fputs("ikescope: out of memory\n", stderr);
		goto out;
	}
	if (o->enumerate) {
		rc = probe_enumerate(&x) == 0 ? 0 : 1;
	} else {
		struct probe_result r;
		rc = probe_series(&x, &o->offer, NULL, &r) == 0 ? 0 : 1;
	}
out:
	free(x.buf);
	free(x.msg);
	if (x.cap)
		cap_close(x.cap);
	ptx_close(x.tx);
	if (x.sock >= 0)
		close(x.sock);
	return rc;
}
