/*
 * IKEv1 registries (IANA "Internet Security Association and Key Management
 * Protocol (ISAKMP) Identifiers", "IPSEC DOI" (Magic Numbers for ISAKMP
 * Protocol) and "Internet Key Exchange (IKE) Attributes"): RFC 2407, RFC 2408,
 * RFC 2409 App. A, RFC 3947, RFC 3706, draft-dukes-ike-mode-cfg.
 */
#ifndef IKESCOPE_DISSECT_IKEV1_NAMES_H
#define IKESCOPE_DISSECT_IKEV1_NAMES_H

#include <stdbool.h>
#include <stdint.h>

#include "dissect/ike.h"

/* Domain of Interpretation (RFC 2408 §3.4, RFC 6407). */
enum ikev1_doi {
	IKEV1_DOI_ISAKMP = 0,
	IKEV1_DOI_IPSEC = 1,
	IKEV1_DOI_GDOI = 2,
};

/* IPsec DOI situation bits (RFC 2407 §4.2). */
enum ikev1_situation {
	IKEV1_SIT_IDENTITY_ONLY = 0x01,
	IKEV1_SIT_SECRECY = 0x02,
	IKEV1_SIT_INTEGRITY = 0x04,
};

/* Protocol identifiers (RFC 2407 §4.4.1). */
enum ikev1_proto {
	IKEV1_PROTO_ISAKMP = 1,
	IKEV1_PROTO_AH = 2,
	IKEV1_PROTO_ESP = 3,
	IKEV1_PROTO_IPCOMP = 4,
};

/* ISAKMP transform identifiers (RFC 2407 §4.4.2). */
enum ikev1_isakmp_xf {
	IKEV1_KEY_IKE = 1,
};

/* AH transform identifiers (RFC 2407 §4.4.3 and later). */
enum ikev1_ah_xf {
	IKEV1_AH_MD5 = 2,
	IKEV1_AH_SHA = 3,
	IKEV1_AH_DES = 4,
	IKEV1_AH_SHA2_256 = 5,
	IKEV1_AH_SHA2_384 = 6,
	IKEV1_AH_SHA2_512 = 7,
	IKEV1_AH_RIPEMD = 8,
	IKEV1_AH_AES_XCBC_MAC = 9,
	IKEV1_AH_RSA = 10,
	IKEV1_AH_AES_128_GMAC = 11,
	IKEV1_AH_AES_192_GMAC = 12,
	IKEV1_AH_AES_256_GMAC = 13,
};

/* ESP transform identifiers (RFC 2407 §4.4.4 and later). */
enum ikev1_esp_xf {
	IKEV1_ESP_DES_IV64 = 1,
	IKEV1_ESP_DES = 2,
	IKEV1_ESP_3DES = 3,
	IKEV1_ESP_RC5 = 4,
	IKEV1_ESP_IDEA = 5,
	IKEV1_ESP_CAST = 6,
	IKEV1_ESP_BLOWFISH = 7,
	IKEV1_ESP_3IDEA = 8,
	IKEV1_ESP_DES_IV32 = 9,
	IKEV1_ESP_RC4 = 10,
	IKEV1_ESP_NULL = 11,
	IKEV1_ESP_AES = 12,
	IKEV1_ESP_AES_CTR = 13,
	IKEV1_ESP_AES_CCM_8 = 14,
	IKEV1_ESP_AES_CCM_12 = 15,
	IKEV1_ESP_AES_CCM_16 = 16,
	IKEV1_ESP_AES_GCM_8 = 18,
	IKEV1_ESP_AES_GCM_12 = 19,
	IKEV1_ESP_AES_GCM_16 = 20,
	IKEV1_ESP_SEED_CBC = 21,
	IKEV1_ESP_CAMELLIA = 22,
	IKEV1_ESP_NULL_AUTH_AES_GMAC = 23,
};

/* IPCOMP transform identifiers (RFC 2407 §4.4.5). */
enum ikev1_ipcomp_xf {
	IKEV1_IPCOMP_OUI = 1,
	IKEV1_IPCOMP_DEFLATE = 2,
	IKEV1_IPCOMP_LZS = 3,
	IKEV1_IPCOMP_LZJH = 4,
};

/* Phase 1 attribute classes (RFC 2409 App. A). */
enum ikev1_p1_attr {
	IKEV1_A_ENCR = 1,
	IKEV1_A_HASH = 2,
	IKEV1_A_AUTH = 3,
	IKEV1_A_GROUP_DESC = 4,
	IKEV1_A_GROUP_TYPE = 5,
	IKEV1_A_GROUP_PRIME = 6,
	IKEV1_A_GROUP_GEN1 = 7,
	IKEV1_A_GROUP_GEN2 = 8,
	IKEV1_A_GROUP_CURVE_A = 9,
	IKEV1_A_GROUP_CURVE_B = 10,
	IKEV1_A_LIFE_TYPE = 11,
	IKEV1_A_LIFE_DURATION = 12,
	IKEV1_A_PRF = 13,
	IKEV1_A_KEY_LENGTH = 14,
	IKEV1_A_FIELD_SIZE = 15,
	IKEV1_A_GROUP_ORDER = 16,
};

/* Phase 1 encryption algorithms (RFC 2409 App. A, RFC 3602, RFC 4132). */
enum ikev1_encr {
	IKEV1_ENCR_DES_CBC = 1,
	IKEV1_ENCR_IDEA_CBC = 2,
	IKEV1_ENCR_BLOWFISH_CBC = 3,
	IKEV1_ENCR_RC5_R16_B64_CBC = 4,
	IKEV1_ENCR_3DES_CBC = 5,
	IKEV1_ENCR_CAST_CBC = 6,
	IKEV1_ENCR_AES_CBC = 7,
	IKEV1_ENCR_CAMELLIA_CBC = 8,
};

/* Phase 1 hash algorithms (RFC 2409 App. A, RFC 4868). */
enum ikev1_hash {
	IKEV1_HASH_MD5 = 1,
	IKEV1_HASH_SHA = 2,
	IKEV1_HASH_TIGER = 3,
	IKEV1_HASH_SHA2_256 = 4,
	IKEV1_HASH_SHA2_384 = 5,
	IKEV1_HASH_SHA2_512 = 6,
};

/* Phase 1 authentication methods (RFC 2409, RFC 4754, draft XAUTH / hybrid). */
enum ikev1_auth {
	IKEV1_AUTH_PSK = 1,
	IKEV1_AUTH_DSS_SIG = 2,
	IKEV1_AUTH_RSA_SIG = 3,
	IKEV1_AUTH_RSA_ENC = 4,
	IKEV1_AUTH_RSA_ENC_REV = 5,
	IKEV1_AUTH_ELGAMAL_ENC = 6,
	IKEV1_AUTH_ELGAMAL_ENC_REV = 7,
	IKEV1_AUTH_ECDSA_SIG = 8,
	IKEV1_AUTH_ECDSA_SHA256_P256 = 9,
	IKEV1_AUTH_ECDSA_SHA384_P384 = 10,
	IKEV1_AUTH_ECDSA_SHA512_P521 = 11,
	IKEV1_AUTH_HYBRID_INIT_RSA = 64221,
	IKEV1_AUTH_HYBRID_RESP_RSA = 64222,
	IKEV1_AUTH_HYBRID_INIT_DSS = 64223,
	IKEV1_AUTH_HYBRID_RESP_DSS = 64224,
	IKEV1_AUTH_XAUTH_INIT_PSK = 65001,
	IKEV1_AUTH_XAUTH_RESP_PSK = 65002,
	IKEV1_AUTH_XAUTH_INIT_DSS = 65003,
	IKEV1_AUTH_XAUTH_RESP_DSS = 65004,
	IKEV1_AUTH_XAUTH_INIT_RSA = 65005,
	IKEV1_AUTH_XAUTH_RESP_RSA = 65006,
	IKEV1_AUTH_XAUTH_INIT_RSA_ENC = 65007,
	IKEV1_AUTH_XAUTH_RESP_RSA_ENC = 65008,
	IKEV1_AUTH_XAUTH_INIT_RSA_ENC_REV = 65009,
	IKEV1_AUTH_XAUTH_RESP_RSA_ENC_REV = 65010,
};

/* SA life types (RFC 2409 App. A, RFC 2407 §4.5). */
enum ikev1_life_type {
	IKEV1_LIFE_SECONDS = 1,
	IKEV1_LIFE_KILOBYTES = 2,
};

/* Phase 2 (IPsec DOI) attribute classes (RFC 2407 §4.5, RFC 4304). */
enum ikev1_p2_attr {
	IKEV1_A2_LIFE_TYPE = 1,
	IKEV1_A2_LIFE_DURATION = 2,
	IKEV1_A2_GROUP_DESC = 3,
	IKEV1_A2_ENCAP_MODE = 4,
	IKEV1_A2_AUTH_ALG = 5,
	IKEV1_A2_KEY_LENGTH = 6,
	IKEV1_A2_KEY_ROUNDS = 7,
	IKEV1_A2_COMP_DICT_SIZE = 8,
	IKEV1_A2_COMP_PRIV_ALG = 9,
	IKEV1_A2_ECN_TUNNEL = 10,
	IKEV1_A2_ESN = 11,
};

/* Encapsulation modes (RFC 2407 §4.5, RFC 3947 §5, NAT-T drafts). */
enum ikev1_encap {
	IKEV1_ENCAP_TUNNEL = 1,
	IKEV1_ENCAP_TRANSPORT = 2,
	IKEV1_ENCAP_UDP_TUNNEL = 3,
	IKEV1_ENCAP_UDP_TRANSPORT = 4,
	IKEV1_ENCAP_UDP_TUNNEL_DRAFT = 61443,
	IKEV1_ENCAP_UDP_TRANSPORT_DRAFT = 61444,
};

/* Phase 2 authentication algorithms (RFC 2407 §4.5 and later). */
enum ikev1_auth_alg {
	IKEV1_AALG_HMAC_MD5 = 1,
	IKEV1_AALG_HMAC_SHA = 2,
	IKEV1_AALG_DES_MAC = 3,
	IKEV1_AALG_KPDK = 4,
	IKEV1_AALG_HMAC_SHA2_256 = 5,
	IKEV1_AALG_HMAC_SHA2_384 = 6,
	IKEV1_AALG_HMAC_SHA2_512 = 7,
	IKEV1_AALG_HMAC_RIPEMD = 8,
	IKEV1_AALG_AES_XCBC_MAC = 9,
	IKEV1_AALG_SIG_RSA = 10,
	IKEV1_AALG_AES_128_GMAC = 11,
	IKEV1_AALG_AES_192_GMAC = 12,
	IKEV1_AALG_AES_256_GMAC = 13,
};

/* Identification types (RFC 2407 §4.6.2.1, RFC 3554). */
enum ikev1_id_type {
	IKEV1_ID_IPV4_ADDR = 1,
	IKEV1_ID_FQDN = 2,
	IKEV1_ID_USER_FQDN = 3,
	IKEV1_ID_IPV4_ADDR_SUBNET = 4,
	IKEV1_ID_IPV6_ADDR = 5,
	IKEV1_ID_IPV6_ADDR_SUBNET = 6,
	IKEV1_ID_IPV4_ADDR_RANGE = 7,
	IKEV1_ID_IPV6_ADDR_RANGE = 8,
	IKEV1_ID_DER_ASN1_DN = 9,
	IKEV1_ID_DER_ASN1_GN = 10,
	IKEV1_ID_KEY_ID = 11,
	IKEV1_ID_LIST = 12,
};

/* Certificate encodings (RFC 2408 §3.9). */
enum ikev1_cert_enc {
	IKEV1_CERT_NONE = 0,
	IKEV1_CERT_PKCS7 = 1,
	IKEV1_CERT_PGP = 2,
	IKEV1_CERT_DNS_KEY = 3,
	IKEV1_CERT_X509_SIG = 4,
	IKEV1_CERT_X509_KE = 5,
	IKEV1_CERT_KERBEROS = 6,
	IKEV1_CERT_CRL = 7,
	IKEV1_CERT_ARL = 8,
	IKEV1_CERT_SPKI = 9,
	IKEV1_CERT_X509_ATTR = 10,
};

/* Transaction (mode config) message types (draft-dukes-ike-mode-cfg §3.2). */
enum ikev1_cfg_type {
	IKEV1_CFG_REQUEST = 1,
	IKEV1_CFG_REPLY = 2,
	IKEV1_CFG_SET = 3,
	IKEV1_CFG_ACK = 4,
};

/* IKEv1 notify types decoded beyond their name (RFC 2407 §4.6.3, RFC 3706). */
enum ikev1_notify_type {
	IKEV1_N_RESPONDER_LIFETIME = 24576,
	IKEV1_N_DPD_R_U_THERE = 36136,
	IKEV1_N_DPD_R_U_THERE_ACK = 36137,
};

/* Names, or NULL when the registry has none for the value. */
const char *ikev1_doi_name(uint32_t doi);
const char *ikev1_situation_name(uint32_t sit);
const char *ikev1_proto_name(uint8_t proto);
/* Transform ID, named in the registry of the proposal's protocol. */
const char *ikev1_transform_name(uint8_t proto, uint16_t id);
/* Attribute class: phase 1 when proto is ISAKMP, IPsec DOI (phase 2) otherwise. */
const char *ikev1_attr_name(uint8_t proto, uint16_t type);
/* An attribute value, for the classes whose values are a registry. */
const char *ikev1_attr_value_name(uint8_t proto, uint16_t type, uint32_t v);
const char *ikev1_encr_name(uint16_t v);
const char *ikev1_hash_name(uint16_t v);
const char *ikev1_auth_method_name(uint16_t v);
const char *ikev1_group_name(uint16_t v);
const char *ikev1_life_type_name(uint16_t v);
const char *ikev1_encap_name(uint16_t v);
const char *ikev1_auth_alg_name(uint16_t v);
const char *ikev1_id_type_name(uint8_t v);
const char *ikev1_cert_encoding_name(uint8_t v);
const char *ikev1_cfg_type_name(uint8_t v);
const char *ikev1_cfg_attr_name(uint16_t v);

/*
 * RESPONDER-LIFETIME notification data (RFC 2407 §4.6.3.1): life type /
 * duration attributes.  Decodes n->data into *secs and *kb (0 when absent);
 * false when the attributes lie about their length.
 */
bool ikev1_responder_lifetime(const struct ike_notify *n, uint32_t *secs, uint32_t *kb);

#endif
