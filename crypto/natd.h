/*
 * NAT detection hashes recomputed from what the capture shows.
 *   IKEv2 (RFC 7296 §2.23): SHA-1(SPIi | SPIr | IP | port), SPIr zero in the
 *   IKE_SA_INIT request; NAT_DETECTION_SOURCE_IP covers the sender,
 *   NAT_DETECTION_DESTINATION_IP the receiver.
 *   IKEv1 (RFC 3947 §3.2): HASH(CKY-I | CKY-R | IP | port) with the negotiated
 *   hash (told apart by length here); the first NAT-D payload covers the
 *   receiver, the others the sender.
 * A sender's hash that differs from its address as seen means a NAT between
 * it and the capture point (or a peer faking the hash to force UDP
 * encapsulation); a receiver's hash that differs means a NAT in front of it.
 */
#ifndef IKESCOPE_CRYPTO_NATD_H
#define IKESCOPE_CRYPTO_NATD_H

#include <stdbool.h>
#include <stdint.h>

#include "common/util.h"
#include "dissect/ike.h"

enum natd_verdict { NATD_ABSENT, NATD_MATCH, NATD_MISMATCH, NATD_UNKNOWN };

struct natd_result {
	enum natd_verdict source;      /* the sender's address and port */
	enum natd_verdict destination; /* the receiver's address and port */
};

/* Checks the NAT detection data of m, sent from src:sport to dst:dport. */
void natd_check(const struct ike_msg *m, const struct ip_addr *src, uint16_t sport,
		const struct ip_addr *dst, uint16_t dport, struct natd_result *out);
const char *natd_verdict_name(enum natd_verdict v);
/*
 * The IKEv2 NAT detection hash (SHA-1) of one address and port, as a sender
 * puts it in NAT_DETECTION_SOURCE_IP / _DESTINATION_IP (the probe's requests).
 * Returns false when OpenSSL fails.
 */
bool natd_hash_v2(const uint8_t spi_i[8], const uint8_t spi_r[8], const struct ip_addr *a,
		  uint16_t port, uint8_t out[20]);

#endif
