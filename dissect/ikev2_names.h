/*
 * IKEv2 registries (IANA "Internet Key Exchange Version 2 (IKEv2) Parameters",
 * RFC 7296 §3 and the RFCs that added to them), and the EAP registries of RFC 3748
 * that the EAP payload carries.  Every accessor returns NULL for a value that has
 * no name, so that callers can print the number alone (tw_named).
 */
#ifndef IKESCOPE_DISSECT_IKEV2_NAMES_H
#define IKESCOPE_DISSECT_IKEV2_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* Transform Type Values (RFC 7296 §3.3.2, RFC 9370 ADDKE). */
enum ikev2_xf_type {
	IKEV2_XF_ENCR = 1,
	IKEV2_XF_PRF = 2,
	IKEV2_XF_INTEG = 3,
	IKEV2_XF_DH = 4, /* "Key Exchange Method" since RFC 9370 */
	IKEV2_XF_ESN = 5,
	IKEV2_XF_ADDKE1 = 6,
	IKEV2_XF_ADDKE2 = 7,
	IKEV2_XF_ADDKE3 = 8,
	IKEV2_XF_ADDKE4 = 9,
	IKEV2_XF_ADDKE5 = 10,
	IKEV2_XF_ADDKE6 = 11,
	IKEV2_XF_ADDKE7 = 12,
};

/* Transform Type 1 - Encryption Algorithm Transform IDs. */
enum ikev2_encr {
	IKEV2_ENCR_DES_IV64 = 1,
	IKEV2_ENCR_DES = 2,
	IKEV2_ENCR_3DES = 3,
	IKEV2_ENCR_RC5 = 4,
	IKEV2_ENCR_IDEA = 5,
	IKEV2_ENCR_CAST = 6,
	IKEV2_ENCR_BLOWFISH = 7,
	IKEV2_ENCR_3IDEA = 8,
	IKEV2_ENCR_DES_IV32 = 9,
	IKEV2_ENCR_NULL = 11,
	IKEV2_ENCR_AES_CBC = 12,
	IKEV2_ENCR_AES_CTR = 13,
	IKEV2_ENCR_AES_CCM_8 = 14,
	IKEV2_ENCR_AES_CCM_12 = 15,
	IKEV2_ENCR_AES_CCM_16 = 16,
	IKEV2_ENCR_AES_GCM_8 = 18,
	IKEV2_ENCR_AES_GCM_12 = 19,
	IKEV2_ENCR_AES_GCM_16 = 20,
	IKEV2_ENCR_NULL_AUTH_AES_GMAC = 21,
	IKEV2_ENCR_CAMELLIA_CBC = 23,
	IKEV2_ENCR_CAMELLIA_CTR = 24,
	IKEV2_ENCR_CAMELLIA_CCM_8 = 25,
	IKEV2_ENCR_CAMELLIA_CCM_12 = 26,
	IKEV2_ENCR_CAMELLIA_CCM_16 = 27,
	IKEV2_ENCR_CHACHA20_POLY1305 = 28,
	IKEV2_ENCR_AES_CCM_8_IIV = 29,
	IKEV2_ENCR_AES_GCM_16_IIV = 30,
	IKEV2_ENCR_CHACHA20_POLY1305_IIV = 31,
	IKEV2_ENCR_KUZNYECHIK_MGM_KTREE = 32,
	IKEV2_ENCR_MAGMA_MGM_KTREE = 33,
	IKEV2_ENCR_KUZNYECHIK_MGM_MAC_KTREE = 34,
	IKEV2_ENCR_MAGMA_MGM_MAC_KTREE = 35,
};

/* Transform Type 2 - Pseudorandom Function Transform IDs. */
enum ikev2_prf {
	IKEV2_PRF_HMAC_MD5 = 1,
	IKEV2_PRF_HMAC_SHA1 = 2,
	IKEV2_PRF_HMAC_TIGER = 3,
	IKEV2_PRF_AES128_XCBC = 4,
	IKEV2_PRF_HMAC_SHA2_256 = 5,
	IKEV2_PRF_HMAC_SHA2_384 = 6,
	IKEV2_PRF_HMAC_SHA2_512 = 7,
	IKEV2_PRF_AES128_CMAC = 8,
	IKEV2_PRF_HMAC_STREEBOG_512 = 9,
};

/* Transform Type 3 - Integrity Algorithm Transform IDs. */
enum ikev2_integ {
	IKEV2_INTEG_NONE = 0,
	IKEV2_INTEG_HMAC_MD5_96 = 1,
	IKEV2_INTEG_HMAC_SHA1_96 = 2,
	IKEV2_INTEG_DES_MAC = 3,
	IKEV2_INTEG_KPDK_MD5 = 4,
	IKEV2_INTEG_AES_XCBC_96 = 5,
	IKEV2_INTEG_HMAC_MD5_128 = 6,
	IKEV2_INTEG_HMAC_SHA1_160 = 7,
	IKEV2_INTEG_AES_CMAC_96 = 8,
	IKEV2_INTEG_AES_128_GMAC = 9,
	IKEV2_INTEG_AES_192_GMAC = 10,
	IKEV2_INTEG_AES_256_GMAC = 11,
	IKEV2_INTEG_HMAC_SHA2_256_128 = 12,
	IKEV2_INTEG_HMAC_SHA2_384_192 = 13,
	IKEV2_INTEG_HMAC_SHA2_512_256 = 14,
};

/* Transform Type 4 - Key Exchange Method (Diffie-Hellman group) Transform IDs. */
enum ikev2_dh {
	IKEV2_DH_NONE = 0,
	IKEV2_DH_MODP_768 = 1,
	IKEV2_DH_MODP_1024 = 2,
	IKEV2_DH_MODP_1536 = 5,
	IKEV2_DH_MODP_2048 = 14,
	IKEV2_DH_MODP_3072 = 15,
	IKEV2_DH_MODP_4096 = 16,
	IKEV2_DH_MODP_6144 = 17,
	IKEV2_DH_MODP_8192 = 18,
	IKEV2_DH_ECP_256 = 19,
	IKEV2_DH_ECP_384 = 20,
	IKEV2_DH_ECP_521 = 21,
	IKEV2_DH_MODP_1024_S160 = 22,
	IKEV2_DH_MODP_2048_S224 = 23,
	IKEV2_DH_MODP_2048_S256 = 24,
	IKEV2_DH_ECP_192 = 25,
	IKEV2_DH_ECP_224 = 26,
	IKEV2_DH_BRAINPOOL_P224 = 27,
	IKEV2_DH_BRAINPOOL_P256 = 28,
	IKEV2_DH_BRAINPOOL_P384 = 29,
	IKEV2_DH_BRAINPOOL_P512 = 30,
	IKEV2_DH_CURVE25519 = 31,
	IKEV2_DH_CURVE448 = 32,
	IKEV2_DH_GOST3410_2012_256 = 33,
	IKEV2_DH_GOST3410_2012_512 = 34,
	IKEV2_DH_ML_KEM_512 = 35,
	IKEV2_DH_ML_KEM_768 = 36,
	IKEV2_DH_ML_KEM_1024 = 37,
};

/* Transform Type 5 - Extended Sequence Numbers Transform IDs. */
enum ikev2_esn {
	IKEV2_ESN_NO = 0,
	IKEV2_ESN_YES = 1,
};

/* IKEv2 Transform Attribute Types (RFC 7296 §3.3.5). */
enum ikev2_xf_attr {
	IKEV2_XA_KEY_LENGTH = 14,
};

/* IKEv2 Security Protocol Identifiers (RFC 7296 §3.3.1, RFC 4595). */
enum ikev2_proto {
	IKEV2_PROTO_IKE = 1,
	IKEV2_PROTO_AH = 2,
	IKEV2_PROTO_ESP = 3,
	IKEV2_PROTO_FC_ESP_HEADER = 4,
	IKEV2_PROTO_FC_CT_AUTH = 5,
};

/* IKEv2 Identification Payload ID Types (RFC 7296 §3.5, RFC 4595, RFC 7619). */
enum ikev2_id_type {
	IKEV2_ID_IPV4_ADDR = 1,
	IKEV2_ID_FQDN = 2,
	IKEV2_ID_RFC822_ADDR = 3,
	IKEV2_ID_IPV6_ADDR = 5,
	IKEV2_ID_DER_ASN1_DN = 9,
	IKEV2_ID_DER_ASN1_GN = 10,
	IKEV2_ID_KEY_ID = 11,
	IKEV2_ID_FC_NAME = 12,
	IKEV2_ID_NULL = 13,
};

/* IKEv2 Authentication Method (RFC 7296 §3.8, RFC 4754, RFC 6467, RFC 7619, RFC 7427). */
enum ikev2_auth {
	IKEV2_AUTH_RSA_SIG = 1,
	IKEV2_AUTH_SHARED_KEY_MIC = 2,
	IKEV2_AUTH_DSS_SIG = 3,
	IKEV2_AUTH_ECDSA_SHA256_P256 = 9,
	IKEV2_AUTH_ECDSA_SHA384_P384 = 10,
	IKEV2_AUTH_ECDSA_SHA512_P521 = 11,
	IKEV2_AUTH_GSPAM = 12,
	IKEV2_AUTH_NULL = 13,
	IKEV2_AUTH_DIGITAL_SIGNATURE = 14,
};

/* IKEv2 Certificate Encodings (RFC 7296 §3.6, RFC 4806, RFC 7670). */
enum ikev2_cert {
	IKEV2_CERT_PKCS7_X509 = 1,
	IKEV2_CERT_PGP = 2,
	IKEV2_CERT_DNS_SIGNED_KEY = 3,
	IKEV2_CERT_X509_SIGNATURE = 4,
	IKEV2_CERT_KERBEROS_TOKEN = 6,
	IKEV2_CERT_CRL = 7,
	IKEV2_CERT_ARL = 8,
	IKEV2_CERT_SPKI = 9,
	IKEV2_CERT_X509_ATTRIBUTE = 10,
	IKEV2_CERT_RAW_RSA_KEY = 11,
	IKEV2_CERT_HASH_URL_X509 = 12,
	IKEV2_CERT_HASH_URL_X509_BUNDLE = 13,
	IKEV2_CERT_OCSP_CONTENT = 14,
	IKEV2_CERT_RAW_PUBLIC_KEY = 15,
};

/* IKEv2 Traffic Selector Types (RFC 7296 §3.13.1, RFC 4595, RFC 9478). */
enum ikev2_ts_type {
	IKEV2_TS_IPV4_ADDR_RANGE = 7,
	IKEV2_TS_IPV6_ADDR_RANGE = 8,
	IKEV2_TS_FC_ADDR_RANGE = 9,
	IKEV2_TS_SECLABEL = 10,
};

/* IKEv2 Configuration Payload CFG Types (RFC 7296 §3.15). */
enum ikev2_cfg_type {
	IKEV2_CFG_REQUEST = 1,
	IKEV2_CFG_REPLY = 2,
	IKEV2_CFG_SET = 3,
	IKEV2_CFG_ACK = 4,
};

/* IKEv2 Configuration Payload Attribute Types (RFC 7296 §3.15.1 and later). */
enum ikev2_cfg_attr {
	IKEV2_CA_INTERNAL_IP4_ADDRESS = 1,
	IKEV2_CA_INTERNAL_IP4_NETMASK = 2,
	IKEV2_CA_INTERNAL_IP4_DNS = 3,
	IKEV2_CA_INTERNAL_IP4_NBNS = 4,
	IKEV2_CA_INTERNAL_IP4_DHCP = 6,
	IKEV2_CA_APPLICATION_VERSION = 7,
	IKEV2_CA_INTERNAL_IP6_ADDRESS = 8,
	IKEV2_CA_INTERNAL_IP6_DNS = 10,
	IKEV2_CA_INTERNAL_IP6_DHCP = 12,
	IKEV2_CA_INTERNAL_IP4_SUBNET = 13,
	IKEV2_CA_SUPPORTED_ATTRIBUTES = 14,
	IKEV2_CA_INTERNAL_IP6_SUBNET = 15,
	IKEV2_CA_MIP6_HOME_PREFIX = 16,
	IKEV2_CA_INTERNAL_IP6_LINK = 17,
	IKEV2_CA_INTERNAL_IP6_PREFIX = 18,
	IKEV2_CA_HOME_AGENT_ADDRESS = 19,
	IKEV2_CA_P_CSCF_IP4_ADDRESS = 20,
	IKEV2_CA_P_CSCF_IP6_ADDRESS = 21,
	IKEV2_CA_FTT_KAT = 22,
	IKEV2_CA_EXTERNAL_SOURCE_IP4_NAT_INFO = 23,
	IKEV2_CA_TIMEOUT_PERIOD_FOR_LIVENESS_CHECK = 24,
	IKEV2_CA_INTERNAL_DNS_DOMAIN = 25,
	IKEV2_CA_INTERNAL_DNSSEC_TA = 26,
	IKEV2_CA_ENCDNS_IP4 = 27,
	IKEV2_CA_ENCDNS_IP6 = 28,
	IKEV2_CA_ENCDNS_DIGEST_INFO = 29,
};

/* IKEv2 Hash Algorithms (RFC 7427 §7, RFC 8420, RFC 9385). */
enum ikev2_hash {
	IKEV2_HASH_SHA1 = 1,
	IKEV2_HASH_SHA2_256 = 2,
	IKEV2_HASH_SHA2_384 = 3,
	IKEV2_HASH_SHA2_512 = 4,
	IKEV2_HASH_IDENTITY = 5,
	IKEV2_HASH_STREEBOG_256 = 6,
	IKEV2_HASH_STREEBOG_512 = 7,
};

/* IKEv2 Notify Message Types this dissector decodes the data of (RFC 7296 §3.10.1). */
enum ikev2_notify_type {
	IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD = 1,
	IKEV2_N_INVALID_SYNTAX = 7,
	IKEV2_N_NO_PROPOSAL_CHOSEN = 14,
	IKEV2_N_INVALID_KE_PAYLOAD = 17,
	IKEV2_N_AUTHENTICATION_FAILED = 24,
	IKEV2_N_TS_UNACCEPTABLE = 38,
	IKEV2_N_NAT_DETECTION_SOURCE_IP = 16388,
	IKEV2_N_NAT_DETECTION_DESTINATION_IP = 16389,
	IKEV2_N_COOKIE = 16390,
	IKEV2_N_REKEY_SA = 16393,
	IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED = 16430,
	IKEV2_N_SIGNATURE_HASH_ALGORITHMS = 16431,
};

/* EAP Codes (RFC 3748 §4, RFC 6696). */
enum eap_code {
	EAP_CODE_REQUEST = 1,
	EAP_CODE_RESPONSE = 2,
	EAP_CODE_SUCCESS = 3,
	EAP_CODE_FAILURE = 4,
	EAP_CODE_INITIATE = 5,
	EAP_CODE_FINISH = 6,
};

const char *ikev2_xf_type_name(unsigned type);
/* The ID's name in the registry of its transform type (ENCR, PRF, INTEG, DH, ESN, ADDKE). */
const char *ikev2_xf_id_name(unsigned type, unsigned id);
const char *ikev2_encr_name(unsigned id);
const char *ikev2_prf_name(unsigned id);
const char *ikev2_integ_name(unsigned id);
const char *ikev2_dh_name(unsigned id);
const char *ikev2_esn_name(unsigned id);
/* Public value length in the KE payload for a fixed-size group, 0 when not fixed or unknown. */
size_t ikev2_dh_ke_len(unsigned id);
const char *ikev2_proto_name(unsigned id);
const char *ikev2_id_type_name(unsigned type);
const char *ikev2_auth_name(unsigned method);
const char *ikev2_cert_name(unsigned encoding);
const char *ikev2_ts_type_name(unsigned type);
/* IP protocol numbers as traffic selectors carry them (IANA "Protocol Numbers"). */
const char *ikev2_ip_proto_name(unsigned proto);
const char *ikev2_cfg_type_name(unsigned type);
const char *ikev2_cfg_attr_name(unsigned type);
const char *ikev2_hash_name(unsigned alg);
const char *eap_code_name(unsigned code);
const char *eap_type_name(unsigned type);

#endif
