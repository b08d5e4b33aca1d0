/*
 * Sending the probe's datagrams with libnet (raw IPv4 / IPv6 sockets): UDP
 * from a chosen source port, with the 4-byte non-ESP marker (RFC 3948 §2.2)
 * in front of the IKE message when sent to UDP 4500.
 */
#ifndef IKESCOPE_PROBE_SEND_H
#define IKESCOPE_PROBE_SEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/util.h"

struct probe_tx;

/*
 * Opens a raw sender for family (4 or 6) on iface (NULL: libnet's choice).
 * On failure NULL, one line in err; *eperm true when it failed for lack of
 * privileges (raw sockets need root or CAP_NET_RAW).
 */
struct probe_tx *ptx_open(const char *iface, int family, char *err, size_t errlen, bool *eperm);
/* Sends one datagram; 0, or -1 with libnet's words in err. */
int ptx_send(struct probe_tx *t, const struct ip_addr *src, uint16_t sport,
	     const struct ip_addr *dst, uint16_t dport, const uint8_t *msg, size_t len, char *err,
	     size_t errlen);
void ptx_close(struct probe_tx *t);

#endif
