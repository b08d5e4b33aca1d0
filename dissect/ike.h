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

/* Exchange types: IKEv1 (RFC 2408 §3.1, RFC 2409 §5.5) and IKEv2 (RFC 7296 §3.1). */
enum ike_exchange {
	IKEV1_X_MAIN = 2, /* Identity Protection */
	IKEV1_X_AGGRESSIVE = 4,
	IKEV1_X_INFO = 5,
	IKEV1_X_QUICK = 32,
	IKEV2_X_IKE_SA_INIT = 34,
	IKEV2_X_IKE_AUTH = 35,
	IKEV2_X_CREATE_CHILD_SA = 36,
	IKEV2_X_INFORMATIONAL = 37,
};

/* IKEv2 payload types (IANA "IKEv2 Payload Types", RFC 7296 §3.2 and later). */
enum ikev2_payload {
	IKEV2_P_NONE = 0,
	IKEV2_P_SA = 33,
	IKEV2_P_KE = 34,
	IKEV2_P_IDI = 35,
	IKEV2_P_IDR = 36,
	IKEV2_P_CERT = 37,
	IKEV2_P_CERTREQ = 38,
	IKEV2_P_AUTH = 39,
	IKEV2_P_NONCE = 40,
	IKEV2_P_N = 41,
	IKEV2_P_D = 42,
	IKEV2_P_V = 43,
	IKEV2_P_TSI = 44,
	IKEV2_P_TSR = 45,
	IKEV2_P_SK = 46,
	IKEV2_P_CP = 47,
	IKEV2_P_EAP = 48,
	IKEV2_P_GSPM = 49,
	IKEV2_P_SKF = 53,
};

/* IKEv1 payload types (RFC 2408 §3.1, RFC 3947, draft NAT-T 130/131, Cisco fragments 132). */
enum ikev1_payload {
	IKEV1_P_NONE = 0,
	IKEV1_P_SA = 1,
	IKEV1_P_P = 2,
	IKEV1_P_T = 3,
	IKEV1_P_KE = 4,
	IKEV1_P_ID = 5,
	IKEV1_P_CERT = 6,
	IKEV1_P_CR = 7,
	IKEV1_P_HASH = 8,
	IKEV1_P_SIG = 9,
	IKEV1_P_NONCE = 10,
	IKEV1_P_N = 11,
	IKEV1_P_D = 12,
	IKEV1_P_VID = 13,
	IKEV1_P_ATTR = 14,
	IKEV1_P_NAT_D = 20,
	IKEV1_P_NAT_OA = 21,
	IKEV1_P_NAT_D_DRAFT = 130,
	IKEV1_P_NAT_OA_DRAFT = 131,
	IKEV1_P_FRAG = 132,
};

/* Bounds of the decoded model: beyond them a message is still walked, not stored. */
#define IKE_MAX_PROPOSALS  32
#define IKE_MAX_TRANSFORMS 256 /* per message, all proposals together */
#define IKE_MAX_TS	   16  /* traffic selectors per message (TSi and TSr together) */
#define IKE_MAX_ATTRS	   32  /* CP / transaction attributes per message */
#define IKE_MAX_SPIS	   8   /* SPIs kept per Delete payload */
#define IKE_MAX_HASH_ALGS  8   /* SIGNATURE_HASH_ALGORITHMS kept */

/*
 * A transform.  IKEv2 (RFC 7296 §3.3.2): type (ENCR, PRF, INTEG, DH, ESN) and ID,
 * with the key length attribute.  IKEv1 (RFC 2408 §3.6): a whole suite whose
 * attributes (RFC 2409 App. A for phase 1, RFC 2407 §4.5 for phase 2) are decoded
 * into the v1_* fields; 0 means absent.
 */
struct ike_transform {
	uint8_t type;	 /* IKEv2 transform type; 0 in IKEv1 */
	uint8_t num;	 /* IKEv1 transform number */
	uint16_t id;	 /* IKEv2 transform ID; IKEv1 transform ID (KEY_IKE, ESP_AES...) */
	uint16_t keylen; /* key length attribute in bits, 0 when absent */
	/* IKEv1 attributes */
	uint16_t v1_encr;     /* phase 1 encryption algorithm (1) */
	uint16_t v1_hash;     /* phase 1 hash algorithm (2) */
	uint16_t v1_auth;     /* phase 1 authentication method (3) */
	uint16_t v1_group;    /* phase 1 group description (4) / phase 2 group (3) */
	uint16_t v1_encap;    /* phase 2 encapsulation mode (4) */
	uint16_t v1_auth_alg; /* phase 2 authentication algorithm (5) */
	uint32_t life_secs, life_kb;
	uint8_t nattrs; /* attributes seen (decoded or not) */
};

struct ike_proposal {
	uint8_t num;   /* proposal number */
	uint8_t proto; /* protocol ID: 1 IKE/ISAKMP, 2 AH, 3 ESP (4 IPCOMP in IKEv1) */
	uint8_t spi_size;
	uint8_t spi[16];  /* first min(spi_size, 16) bytes */
	uint16_t first;	  /* index of its first transform in ike_msg.xf */
	uint16_t count;	  /* transforms stored */
	uint8_t declared; /* transform count the proposal claims */
};

/* Identification (RFC 2407 §4.6.2 / RFC 7296 §3.5). */
struct ike_id {
	uint8_t type;  /* ID_IPV4_ADDR 1, FQDN 2, USER_FQDN (RFC822) 3, IPV4_SUBNET 4, ... */
	uint8_t proto; /* IKEv1 protocol ID / IKEv2 reserved */
	uint16_t port; /* IKEv1 port */
	struct span data;
};

/* Traffic selector (RFC 7296 §3.13.1); IKEv1 quick-mode IDs are kept as ike_id. */
struct ike_ts {
	bool initiator; /* from TSi (else TSr) */
	uint8_t type;	/* 7 TS_IPV4_ADDR_RANGE, 8 TS_IPV6_ADDR_RANGE */
	uint8_t proto;	/* IP protocol, 0 = any */
	uint16_t start_port, end_port;
	uint8_t start[16], end[16]; /* 4 or 16 bytes used */
};

struct ike_notify {
	uint8_t proto, spi_size;
	uint16_t type;
	struct span spi;
	struct span data;
	/* decoded data, where the notify type defines it */
	uint16_t dh_group; /* INVALID_KE_PAYLOAD: the group the responder wants */
	uint32_t dpd_seq;  /* IKEv1 R-U-THERE / R-U-THERE-ACK sequence number */
	uint16_t hash_algs[IKE_MAX_HASH_ALGS]; /* SIGNATURE_HASH_ALGORITHMS */
	uint8_t nhash_algs;
};

struct ike_delete {
	uint8_t proto, spi_size;
	uint16_t count; /* SPIs the payload claims */
	uint8_t spis[IKE_MAX_SPIS][16];
	uint8_t nspis; /* SPIs stored (min(count, IKE_MAX_SPIS)) */
};

/* Configuration payload (RFC 7296 §3.15) / IKEv1 transaction ATTR (draft mode-cfg). */
struct ike_cp {
	uint8_t type; /* CFG_REQUEST 1, CFG_REPLY 2, CFG_SET 3, CFG_ACK 4 */
	uint16_t id;  /* IKEv1 identifier */
	uint16_t attrs[IKE_MAX_ATTRS];
	uint8_t nattrs;
};

/* One payload of the chain, with what was decoded of it. */
struct ike_payload {
	uint8_t type;
	bool critical;	       /* IKEv2 C bit */
	uint16_t len;	       /* as declared, header included */
	struct span body;      /* the bytes after the generic header, as captured */
	const char *malformed; /* this payload's structure lies: the field */
	union {
		struct {
			uint32_t doi, situation;
			uint16_t first_prop, nprops;
		} sa;
		struct {
			uint16_t group;
			struct span data;
		} ke;
		struct ike_id id;
		struct {
			uint8_t encoding;
			struct span data;
		} cert; /* CERT, CERTREQ, CR */
		struct {
			uint8_t method;
			struct span data;
		} auth;
		struct span nonce; /* also HASH, SIG, NAT-D */
		uint16_t notify;   /* index into ike_msg.notifies */
		struct ike_delete del;
		struct {
			struct span data;
			const char *name;
		} vid;
		struct {
			uint16_t first_ts, nts;
		} ts;
		struct ike_cp cp;
		struct {
			uint8_t code, id;
			uint16_t len;
			uint8_t type;
		} eap;
		struct {
			struct span data;
		} sk; /* IV, ciphertext, ICV together */
		struct {
			uint16_t n, total;
			struct span data;
		} skf;
		struct {
			uint8_t id_type;
			struct span addr;
		} nat_oa;
		/* IKEv1 fragment payload (132): Cisco/strongSwan */
		struct {
			uint16_t id;
			uint8_t n;
			bool last;
			struct span data;
		} frag;
	} u;
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
	struct span raw; /* the whole message as captured (header included) */

	unsigned npayloads, nprops, nxf, nts, nnotify; /* entries used in the pools below */
	uint16_t frag_n, frag_total;		       /* IKEv2 SKF (RFC 7383) */
	uint8_t sk_first_inner;	    /* SK/SKF next payload: the first inner payload */
	bool truncated;		    /* the capture cut the message */
	const char *malformed;	    /* the first field that lies, or NULL */
	unsigned malformed_payload; /* index of the payload it is in (npayloads if header) */
	bool overflow;		    /* a pool above was full: the model is incomplete */
	unsigned nclear;     /* pl[0..nclear) came in clear; pl[nclear..npayloads) were decrypted */
	bool decrypted;	     /* keys were applied and the inner payloads parsed */
	bool decrypt_failed; /* keys were applied and did not fit */

	/*
	 * The pools, last: ike_parse clears only the fields above (a message is parsed
	 * per IKE packet, and the pools are 20 KiB); an entry is written whole when taken.
	 */
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	uint8_t payloads[IKE_MAX_PAYLOADS]; /* the types in order (same as pl[i].type) */
	struct ike_proposal props[IKE_MAX_PROPOSALS];
	struct ike_transform xf[IKE_MAX_TRANSFORMS];
	struct ike_ts ts[IKE_MAX_TS];
	struct ike_notify notifies[IKE_MAX_NOTIFIES];
	uint16_t notify[IKE_MAX_NOTIFIES]; /* the notify types in order */
};

/*
 * Payload parsers, one per type, in dissect/ikev1.c and dissect/ikev2.c.
 * Each gets the body (exactly len - 4 bytes) and fills p->u; it sets
 * p->malformed (naming the field) when the structure lies, and may use the
 * pools of m.  It never reads outside body.
 */
typedef void (*ike_payload_fn)(struct rd *body, struct ike_payload *p, struct ike_msg *m);
/* Stores a parsed notify in the message's pool (both versions); full pool: m->overflow. */
void ike_msg_add_notify(struct ike_msg *m, struct ike_payload *p, const struct ike_notify *n);
ike_payload_fn ikev1_payload_parser(uint8_t type);
ike_payload_fn ikev2_payload_parser(uint8_t type);

/* Name of a vendor ID (dissect/vendor_ids.c), or NULL when unknown. */
const char *ike_vendor_name(const uint8_t *p, size_t len);

/* Parses the header and walks the payload chain; never fails, marks malformed/truncated. */
void ike_parse(struct rd *r, struct ike_msg *m);
/*
 * Walks the payload chain of decrypted plaintext (first: the SK payload's next
 * payload, or the IKEv1 header's), appending to m->pl after the clear ones.
 * The spans point into plain, which must outlive m.
 */
void ike_parse_inner(struct ike_msg *m, const uint8_t *plain, size_t len, uint8_t first);
/* Where the pools of m stand, to undo an inner parse that proved the keys wrong. */
struct ike_msg_marks {
	unsigned npayloads, nprops, nxf, nts, nnotify;
	const char *malformed;
	unsigned malformed_payload;
	bool truncated, overflow;
};
struct ike_msg_marks ike_msg_mark(const struct ike_msg *m);
void ike_msg_rollback(struct ike_msg *m, const struct ike_msg_marks *mk);

bool ike_is_response(const struct ike_msg *m);
const char *ike_exchange_name(const struct ike_msg *m, char *buf, size_t len);
const char *ike_exchange_str(uint8_t version, uint8_t exchange, char *buf, size_t len);
const char *ike_payload_name(uint8_t version, uint8_t type, char *buf, size_t len);
const char *ike_notify_name(uint8_t version, uint16_t type);

/* ESP header (RFC 4303 §2). */
struct esp_hdr {
	uint32_t spi;
	uint32_t seq;
	bool has_spi;	/* at least the 4 bytes of the SPI were captured */
	bool truncated; /* fewer than 8 bytes: no sequence number */
};
void esp_parse(struct rd *r, struct esp_hdr *e);

#endif
