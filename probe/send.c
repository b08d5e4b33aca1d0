/* Raw UDP datagrams with libnet (see send.h). */
#include <errno.h>
#include <libnet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/send.h"

struct probe_tx {
	libnet_t *l;
	int family;
};

struct probe_tx *
ptx_open(const char *iface, int family, char *err, size_t errlen, bool *eperm)
{
	char ebuf[LIBNET_ERRBUF_SIZE] = "";
	*eperm = false;
	errno = 0;
	/* libnet_init wants a writable device name. */
	char dev[64] = "";
	if (iface)
		snprintf(dev, sizeof(dev), "%s", iface);
	libnet_t *l =
	    libnet_init(family == 6 ? LIBNET_RAW6 : LIBNET_RAW4, iface ? dev : NULL, ebuf);
	if (l == NULL) {
		*eperm = errno == EPERM || errno == EACCES || strstr(ebuf, "not permitted") != NULL;
		size_t n = strlen(ebuf);
		while (n > 0 && (ebuf[n - 1] == '\n' || ebuf[n - 1] == ' '))
			ebuf[--n] = '\0';
		snprintf(err, errlen, "%s", ebuf[0] ? ebuf : "libnet_init failed");
		return NULL;
	}
	struct probe_tx *t = calloc(1, sizeof(*t));
	if (t == NULL) {
		libnet_destroy(l);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->l = l;
	t->family = family;
	libnet_seed_prand(l); /* the IPv4 identification field */
	return t;
}

int
ptx_send(struct probe_tx *t, const struct ip_addr *src, uint16_t sport, const struct ip_addr *dst,
	 uint16_t dport, const uint8_t *msg, size_t len, char *err, size_t errlen)
{
	uint8_t buf[4 + 4096];
	size_t off = 0;
	if (src->family != t->family || dst->family != t->family || len > sizeof(buf) - 4) {
		snprintf(err, errlen, "internal: bad datagram");
		return -1;
	}
	if (dport == 4500) {
		memset(buf, 0, 4); /* non-ESP marker */
		off = 4;
	}
	memcpy(buf + off, msg, len);
	size_t n = off + len;
	libnet_clear_packet(t->l);
	libnet_ptag_t tag = libnet_build_udp(sport, dport, (uint16_t)(LIBNET_UDP_H + n), 0, buf,
					     (uint32_t)n, t->l, 0);
	if (tag != -1) {
		if (t->family == 4) {
			uint32_t s, d;
			memcpy(&s, src->a, 4);
			memcpy(&d, dst->a, 4);
			tag = libnet_build_ipv4((uint16_t)(LIBNET_IPV4_H + LIBNET_UDP_H + n), 0,
						(uint16_t)libnet_get_prand(LIBNET_PRu16), 0, 64,
						IPPROTO_UDP, 0, s, d, NULL, 0, t->l, 0);
		} else {
			struct libnet_in6_addr s6, d6;
			memcpy(&s6, src->a, 16);
			memcpy(&d6, dst->a, 16);
			tag = libnet_build_ipv6(0, 0, (uint16_t)(LIBNET_UDP_H + n), IPPROTO_UDP, 64,
						s6, d6, NULL, 0, t->l, 0);
		}
	}
	if (tag == -1 || libnet_write(t->l) == -1) {
		snprintf(err, errlen, "%s", libnet_geterror(t->l));
		return -1;
	}
	return 0;
}

void
ptx_close(struct probe_tx *t)
{
	if (t == NULL)
		return;
	libnet_destroy(t->l);
	free(t);
}
