/*
 * The IKE message model shared by IKEv1 (RFC 2408/2409) and IKEv2 (RFC 7296):
 * the fixed header, and the payload chain walked under bounds.
 */
#ifndef IKESCOPE_DISSECT_IKE_H
#define IKESCOPE_DISSECT_IKE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/names.h"
#include "common/rd.h"

#define IKE_HDR_SIZE	 28
#define IKE_MAX_PAYLOADS 64 /* a chain longer than this is malformed */
#define IKE_MAX_NOTIFIES 32

/* IKEv1 header flags (RFC 2408 §3.1) */
#define IKEV1_FLAG_ENC	    0x01
#define IKEV1_FLAG_COMMIT   0x02
#define IKEV1_FLAG_AUTHONLY 0x04
/* IKEv2 header flags (RFC 7296 §3.1) */
#define IKEV2_FLAG_INITIATOR 0x08
#define IKEV2_FLAG_VERSION   0x10
#define IKEV2_FLAG_RESPONSE  0x20

/* IKEv2 payload types (IANA "IKEv2 Payload Types") used by the chain walk. */
enum ikev2_payload {
	IKEV2_P_NONE = 0,
	IKEV2_P_SA = 33,
	IKEV2_P_N = 41,
	IKEV2_P_SK = 46,
	IKEV2_P_SKF = 53,
};

/* IKEv1 payload types (RFC 2408 §3.1, RFC 3947). */
enum ikev1_payload {
	IKEV1_P_NONE = 0,
	IKEV1_P_SA = 1,
	IKEV1_P_N = 11,
};

struct ike_msg {
	uint8_t version; /* major version: 1 or 2 (other values are kept as seen) */
	uint8_t minor;
	uint8_t spi_i[8], spi_r[8];
	uint8_t first_payload;
	uint8_t exchange;
	uint8_t flags;
	uint32_t msgid;
	uint32_t length; /* as the header claims */
	size_t datagram; /* bytes of the UDP payload holding it (after any marker) */
	bool encrypted;	 /* IKEv1 E flag: payloads unreadable without keys */
	uint8_t payloads[IKE_MAX_PAYLOADS];
	unsigned npayloads;
	uint16_t notify[IKE_MAX_NOTIFIES];
	unsigned nnotify;
	uint16_t frag_n, frag_total; /* IKEv2 SKF (RFC 7383) */
	bool truncated;		     /* the capture cut the message */
	const char *malformed;	     /* names the field that lies, or NULL */
};

/* Parses the header and walks the payload chain; never fails, marks malformed/truncated. */
void ike_parse(struct rd *r, struct ike_msg *m);

bool ike_is_response(const struct ike_msg *m);
const char *ike_exchange_name(const struct ike_msg *m, char *buf, size_t len);
const char *ike_payload_name(uint8_t version, uint8_t type, char *buf, size_t len);
const char *ike_notify_name(uint8_t version, uint16_t type);

/* ESP header (RFC 4303 §2). */
struct esp_hdr {
	uint32_t spi;
	uint32_t seq;
	bool truncated; /* fewer than 8 bytes */
};
void esp_parse(struct rd *r, struct esp_hdr *e);

#endif
