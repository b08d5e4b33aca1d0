/*
 * The probe's requests, built byte by byte (no libnet here: tests link it on
 * its own and dissect what it builds):
 *   IKEv2 IKE_SA_INIT request (RFC 7296 §1.2, §3.3 SA, §3.4 KE, §3.9 Ni,
 *   §2.23 NAT_DETECTION_*_IP, §2.6 COOKIE first when answering a cookie;
 *   RFC 7383 IKEV2_FRAGMENTATION_SUPPORTED; RFC 7427 SIGNATURE_HASH_ALGORITHMS);
 *   IKEv1 main mode first message (RFC 2409 §5: HDR, SA, VIDs) and aggressive
 *   mode first message (HDR, SA, KE, Ni, IDii, VIDs), with the vendor IDs of
 *   RFC 3947 NAT-T, RFC 3706 DPD and IKE fragmentation.
 */
#ifndef IKESCOPE_PROBE_BUILD_H
#define IKESCOPE_PROBE_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/util.h"

#define PROBE_MAX_ALGS	 16
#define PROBE_MAX_PROPS	 16
#define PROBE_MAX_V1_XF	 32   /* IKEv1 transforms (suites) in one SA payload */
#define PROBE_MAX_MSG	 2048 /* a request: the largest KE (MODP 4096) fits easily */
#define PROBE_NONCE_LEN	 32
#define PROBE_MAX_COOKIE 64 /* RFC 7296 §2.6: 1 to 64 bytes */

/*
 * One proposal in the IKEv2 vocabulary (transform IDs of RFC 7296 §3.3.2).
 * IKEv2 sends it as it is; IKEv1 expands it into suites (encr x integ x dh),
 * integrity mapped onto the phase 1 hash.
 */
struct probe_prop {
	uint16_t encr[PROBE_MAX_ALGS], keylen[PROBE_MAX_ALGS]; /* keylen 0: none */
	uint16_t integ[PROBE_MAX_ALGS], prf[PROBE_MAX_ALGS], dh[PROBE_MAX_ALGS];
	uint8_t nencr, ninteg, nprf, ndh;
};

struct probe_offer {
	struct probe_prop p[PROBE_MAX_PROPS];
	unsigned n;
	uint16_t v1_auth; /* IKEv1 authentication method (RFC 2409 App. A); 0: PSK */
};

struct probe_req {
	uint8_t version;  /* 1 or 2 */
	bool aggressive;  /* IKEv1 aggressive mode */
	uint8_t spi_i[8]; /* IKEv2 SPIi / IKEv1 CKY-I */
	const struct probe_offer *offer;
	uint16_t ke_group; /* the KE payload's group (IKEv2, IKEv1 aggressive) */
	const uint8_t *ke;
	size_t ke_len;
	uint8_t nonce[PROBE_NONCE_LEN];
	/* the addresses and ports as sent, for the NAT detection hashes */
	struct ip_addr src, dst;
	uint16_t sport, dport;
	const uint8_t *cookie; /* IKEv2: the responder's COOKIE to send back, or NULL */
	size_t cookie_len;
	const char *id; /* IKEv1 aggressive mode: IDii (an address, user@fqdn or fqdn) */
};

/*
 * Builds the request into out (cap bytes).  Returns its length, or -EINVAL
 * (nothing to offer, a value out of range), -ENOSPC (too large), -EIO (the
 * NAT detection hash could not be computed).
 */
int probe_build(const struct probe_req *r, uint8_t *out, size_t cap);

/* IKEv1 phase 1 values for IKEv2 transform IDs; 0 when there is none. */
uint16_t probe_v1_encr(uint16_t v2_encr);
uint16_t probe_v1_hash(uint16_t v2_integ);

#endif
