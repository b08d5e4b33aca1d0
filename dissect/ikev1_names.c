/* IKEv1 registries (see ikev1_names.h): one table per IANA registry. */
#include "dissect/ikev1_names.h"

#include "common/names.h"

static const struct tok ikev1_dois[] = {
    {IKEV1_DOI_ISAKMP, "ISAKMP"},
    {IKEV1_DOI_IPSEC, "IPSEC"},
    {IKEV1_DOI_GDOI, "GDOI"},
    {0, NULL},
};

static const struct tok ikev1_situations[] = {
    {IKEV1_SIT_IDENTITY_ONLY, "SIT_IDENTITY_ONLY"},
    {IKEV1_SIT_SECRECY, "SIT_SECRECY"},
    {IKEV1_SIT_INTEGRITY, "SIT_INTEGRITY"},
    {0, NULL},
};

static const struct tok ikev1_protos[] = {
    {IKEV1_PROTO_ISAKMP, "ISAKMP"},
    {IKEV1_PROTO_AH, "IPSEC_AH"},
    {IKEV1_PROTO_ESP, "IPSEC_ESP"},
    {IKEV1_PROTO_IPCOMP, "IPCOMP"},
    {0, NULL},
};

static const struct tok ikev1_isakmp_xfs[] = {
    {IKEV1_KEY_IKE, "KEY_IKE"},
    {0, NULL},
};

static const struct tok ikev1_ah_xfs[] = {
    {IKEV1_AH_MD5, "AH_MD5"},
    {IKEV1_AH_SHA, "AH_SHA"},
    {IKEV1_AH_DES, "AH_DES"},
    {IKEV1_AH_SHA2_256, "AH_SHA2-256"},
    {IKEV1_AH_SHA2_384, "AH_SHA2-384"},
    {IKEV1_AH_SHA2_512, "AH_SHA2-512"},
    {IKEV1_AH_RIPEMD, "AH_RIPEMD"},
    {IKEV1_AH_AES_XCBC_MAC, "AH_AES-XCBC-MAC"},
    {IKEV1_AH_RSA, "AH_RSA"},
    {IKEV1_AH_AES_128_GMAC, "AH_AES-128-GMAC"},
    {IKEV1_AH_AES_192_GMAC, "AH_AES-192-GMAC"},
    {IKEV1_AH_AES_256_GMAC, "AH_AES-256-GMAC"},
    {0, NULL},
};

static const struct tok ikev1_esp_xfs[] = {
    {IKEV1_ESP_DES_IV64, "ESP_DES_IV64"},
    {IKEV1_ESP_DES, "ESP_DES"},
    {IKEV1_ESP_3DES, "ESP_3DES"},
    {IKEV1_ESP_RC5, "ESP_RC5"},
    {IKEV1_ESP_IDEA, "ESP_IDEA"},
    {IKEV1_ESP_CAST, "ESP_CAST"},
    {IKEV1_ESP_BLOWFISH, "ESP_BLOWFISH"},
    {IKEV1_ESP_3IDEA, "ESP_3IDEA"},
    {IKEV1_ESP_DES_IV32, "ESP_DES_IV32"},
    {IKEV1_ESP_RC4, "ESP_RC4"},
    {IKEV1_ESP_NULL, "ESP_NULL"},
    {IKEV1_ESP_AES, "ESP_AES"},
    {IKEV1_ESP_AES_CTR, "ESP_AES-CTR"},
    {IKEV1_ESP_AES_CCM_8, "ESP_AES-CCM_8"},
    {IKEV1_ESP_AES_CCM_12, "ESP_AES-CCM_12"},
    {IKEV1_ESP_AES_CCM_16, "ESP_AES-CCM_16"},
    {IKEV1_ESP_AES_GCM_8, "ESP_AES-GCM_8"},
    {IKEV1_ESP_AES_GCM_12, "ESP_AES-GCM_12"},
    {IKEV1_ESP_AES_GCM_16, "ESP_AES-GCM_16"},
    {IKEV1_ESP_SEED_CBC, "ESP_SEED_CBC"},
    {IKEV1_ESP_CAMELLIA, "ESP_CAMELLIA"},
    {IKEV1_ESP_NULL_AUTH_AES_GMAC, "ESP_NULL_AUTH_AES-GMAC"},
    {0, NULL},
};

static const struct tok ikev1_ipcomp_xfs[] = {
    {IKEV1_IPCOMP_OUI, "IPCOMP_OUI"},
    {IKEV1_IPCOMP_DEFLATE, "IPCOMP_DEFLATE"},
    {IKEV1_IPCOMP_LZS, "IPCOMP_LZS"},
    {IKEV1_IPCOMP_LZJH, "IPCOMP_LZJH"},
    {0, NULL},
};

static const struct tok ikev1_p1_attrs[] = {
    {IKEV1_A_ENCR, "Encryption-Algorithm"},
    {IKEV1_A_HASH, "Hash-Algorithm"},
    {IKEV1_A_AUTH, "Authentication-Method"},
    {IKEV1_A_GROUP_DESC, "Group-Description"},
    {IKEV1_A_GROUP_TYPE, "Group-Type"},
    {IKEV1_A_GROUP_PRIME, "Group-Prime/Irreducible-Polynomial"},
    {IKEV1_A_GROUP_GEN1, "Group-Generator-One"},
    {IKEV1_A_GROUP_GEN2, "Group-Generator-Two"},
    {IKEV1_A_GROUP_CURVE_A, "Group-Curve-A"},
    {IKEV1_A_GROUP_CURVE_B, "Group-Curve-B"},
    {IKEV1_A_LIFE_TYPE, "Life-Type"},
    {IKEV1_A_LIFE_DURATION, "Life-Duration"},
    {IKEV1_A_PRF, "PRF"},
    {IKEV1_A_KEY_LENGTH, "Key-Length"},
    {IKEV1_A_FIELD_SIZE, "Field-Size"},
    {IKEV1_A_GROUP_ORDER, "Group-Order"},
    {0, NULL},
};

static const struct tok ikev1_encrs[] = {
    {IKEV1_ENCR_DES_CBC, "DES-CBC"},
    {IKEV1_ENCR_IDEA_CBC, "IDEA-CBC"},
    {IKEV1_ENCR_BLOWFISH_CBC, "Blowfish-CBC"},
    {IKEV1_ENCR_RC5_R16_B64_CBC, "RC5-R16-B64-CBC"},
    {IKEV1_ENCR_3DES_CBC, "3DES-CBC"},
    {IKEV1_ENCR_CAST_CBC, "CAST-CBC"},
    {IKEV1_ENCR_AES_CBC, "AES-CBC"},
    {IKEV1_ENCR_CAMELLIA_CBC, "CAMELLIA-CBC"},
    {0, NULL},
};

static const struct tok ikev1_hashes[] = {
    {IKEV1_HASH_MD5, "MD5"},
    {IKEV1_HASH_SHA, "SHA"},
    {IKEV1_HASH_TIGER, "Tiger"},
    {IKEV1_HASH_SHA2_256, "SHA2-256"},
    {IKEV1_HASH_SHA2_384, "SHA2-384"},
    {IKEV1_HASH_SHA2_512, "SHA2-512"},
    {0, NULL},
};

static const struct tok ikev1_auth_methods[] = {
    {IKEV1_AUTH_PSK, "Pre-shared key"},
    {IKEV1_AUTH_DSS_SIG, "DSS signatures"},
    {IKEV1_AUTH_RSA_SIG, "RSA signatures"},
    {IKEV1_AUTH_RSA_ENC, "Encryption with RSA"},
    {IKEV1_AUTH_RSA_ENC_REV, "Revised encryption with RSA"},
    {IKEV1_AUTH_ELGAMAL_ENC, "Encryption with El-Gamal"},
    {IKEV1_AUTH_ELGAMAL_ENC_REV, "Revised encryption with El-Gamal"},
    {IKEV1_AUTH_ECDSA_SIG, "ECDSA signatures"},
    {IKEV1_AUTH_ECDSA_SHA256_P256, "ECDSA with SHA-256 on the P-256 curve"},
    {IKEV1_AUTH_ECDSA_SHA384_P384, "ECDSA with SHA-384 on the P-384 curve"},
    {IKEV1_AUTH_ECDSA_SHA512_P521, "ECDSA with SHA-512 on the P-521 curve"},
    {IKEV1_AUTH_HYBRID_INIT_RSA, "HybridInitRSA"},
    {IKEV1_AUTH_HYBRID_RESP_RSA, "HybridRespRSA"},
    {IKEV1_AUTH_HYBRID_INIT_DSS, "HybridInitDSS"},
    {IKEV1_AUTH_HYBRID_RESP_DSS, "HybridRespDSS"},
    {IKEV1_AUTH_XAUTH_INIT_PSK, "XAUTHInitPreShared"},
    {IKEV1_AUTH_XAUTH_RESP_PSK, "XAUTHRespPreShared"},
    {IKEV1_AUTH_XAUTH_INIT_DSS, "XAUTHInitDSS"},
    {IKEV1_AUTH_XAUTH_RESP_DSS, "XAUTHRespDSS"},
    {IKEV1_AUTH_XAUTH_INIT_RSA, "XAUTHInitRSA"},
    {IKEV1_AUTH_XAUTH_RESP_RSA, "XAUTHRespRSA"},
    {IKEV1_AUTH_XAUTH_INIT_RSA_ENC, "XAUTHInitRSAEncryption"},
    {IKEV1_AUTH_XAUTH_RESP_RSA_ENC, "XAUTHRespRSAEncryption"},
    {IKEV1_AUTH_XAUTH_INIT_RSA_ENC_REV, "XAUTHInitRSARevisedEncryption"},
    {IKEV1_AUTH_XAUTH_RESP_RSA_ENC_REV, "XAUTHRespRSARevisedEncryption"},
    {0, NULL},
};

/* Group descriptions shared with the IKEv2 DH registry (RFC 2409, 3526, 5114, 5903, 6954, 8031). */
static const struct tok ikev1_groups[] = {
    {1, "MODP_768"},
    {2, "MODP_1024"},
    {3, "EC2N_155"},
    {4, "EC2N_185"},
    {5, "MODP_1536"},
    {14, "MODP_2048"},
    {15, "MODP_3072"},
    {16, "MODP_4096"},
    {17, "MODP_6144"},
    {18, "MODP_8192"},
    {19, "ECP_256"},
    {20, "ECP_384"},
    {21, "ECP_521"},
    {22, "MODP_1024_160"},
    {23, "MODP_2048_224"},
    {24, "MODP_2048_256"},
    {25, "ECP_192"},
    {26, "ECP_224"},
    {27, "BRAINPOOL_P224"},
    {28, "BRAINPOOL_P256"},
    {29, "BRAINPOOL_P384"},
    {30, "BRAINPOOL_P512"},
    {31, "CURVE25519"},
    {32, "CURVE448"},
    {0, NULL},
};

static const struct tok ikev1_life_types[] = {
    {IKEV1_LIFE_SECONDS, "Seconds"},
    {IKEV1_LIFE_KILOBYTES, "Kilobytes"},
    {0, NULL},
};

static const struct tok ikev1_p2_attrs[] = {
    {IKEV1_A2_LIFE_TYPE, "SA-Life-Type"},
    {IKEV1_A2_LIFE_DURATION, "SA-Life-Duration"},
    {IKEV1_A2_GROUP_DESC, "Group-Description"},
    {IKEV1_A2_ENCAP_MODE, "Encapsulation-Mode"},
    {IKEV1_A2_AUTH_ALG, "Authentication-Algorithm"},
    {IKEV1_A2_KEY_LENGTH, "Key-Length"},
    {IKEV1_A2_KEY_ROUNDS, "Key-Rounds"},
    {IKEV1_A2_COMP_DICT_SIZE, "Compress-Dictionary-Size"},
    {IKEV1_A2_COMP_PRIV_ALG, "Compress-Private-Algorithm"},
    {IKEV1_A2_ECN_TUNNEL, "ECN-Tunnel"},
    {IKEV1_A2_ESN, "Extended-Sequence-Number"},
    {0, NULL},
};

static const struct tok ikev1_encaps[] = {
    {IKEV1_ENCAP_TUNNEL, "Tunnel"},
    {IKEV1_ENCAP_TRANSPORT, "Transport"},
    {IKEV1_ENCAP_UDP_TUNNEL, "UDP-Encapsulated-Tunnel"},
    {IKEV1_ENCAP_UDP_TRANSPORT, "UDP-Encapsulated-Transport"},
    {IKEV1_ENCAP_UDP_TUNNEL_DRAFT, "UDP-Encapsulated-Tunnel (draft)"},
    {IKEV1_ENCAP_UDP_TRANSPORT_DRAFT, "UDP-Encapsulated-Transport (draft)"},
    {0, NULL},
};

static const struct tok ikev1_auth_algs[] = {
    {IKEV1_AALG_HMAC_MD5, "HMAC-MD5"},
    {IKEV1_AALG_HMAC_SHA, "HMAC-SHA"},
    {IKEV1_AALG_DES_MAC, "DES-MAC"},
    {IKEV1_AALG_KPDK, "KPDK"},
    {IKEV1_AALG_HMAC_SHA2_256, "HMAC-SHA2-256"},
    {IKEV1_AALG_HMAC_SHA2_384, "HMAC-SHA2-384"},
    {IKEV1_AALG_HMAC_SHA2_512, "HMAC-SHA2-512"},
    {IKEV1_AALG_HMAC_RIPEMD, "HMAC-RIPEMD"},
    {IKEV1_AALG_AES_XCBC_MAC, "AES-XCBC-MAC"},
    {IKEV1_AALG_SIG_RSA, "SIG-RSA"},
    {IKEV1_AALG_AES_128_GMAC, "AES-128-GMAC"},
    {IKEV1_AALG_AES_192_GMAC, "AES-192-GMAC"},
    {IKEV1_AALG_AES_256_GMAC, "AES-256-GMAC"},
    {0, NULL},
};

static const struct tok ikev1_id_types[] = {
    {IKEV1_ID_IPV4_ADDR, "ID_IPV4_ADDR"},
    {IKEV1_ID_FQDN, "ID_FQDN"},
    {IKEV1_ID_USER_FQDN, "ID_USER_FQDN"},
    {IKEV1_ID_IPV4_ADDR_SUBNET, "ID_IPV4_ADDR_SUBNET"},
    {IKEV1_ID_IPV6_ADDR, "ID_IPV6_ADDR"},
    {IKEV1_ID_IPV6_ADDR_SUBNET, "ID_IPV6_ADDR_SUBNET"},
    {IKEV1_ID_IPV4_ADDR_RANGE, "ID_IPV4_ADDR_RANGE"},
    {IKEV1_ID_IPV6_ADDR_RANGE, "ID_IPV6_ADDR_RANGE"},
    {IKEV1_ID_DER_ASN1_DN, "ID_DER_ASN1_DN"},
    {IKEV1_ID_DER_ASN1_GN, "ID_DER_ASN1_GN"},
    {IKEV1_ID_KEY_ID, "ID_KEY_ID"},
    {IKEV1_ID_LIST, "ID_LIST"},
    {0, NULL},
};

static const struct tok ikev1_cert_encodings[] = {
    {IKEV1_CERT_NONE, "NONE"},
    {IKEV1_CERT_PKCS7, "PKCS #7 wrapped X.509 certificate"},
    {IKEV1_CERT_PGP, "PGP Certificate"},
    {IKEV1_CERT_DNS_KEY, "DNS Signed Key"},
    {IKEV1_CERT_X509_SIG, "X.509 Certificate - Signature"},
    {IKEV1_CERT_X509_KE, "X.509 Certificate - Key Exchange"},
    {IKEV1_CERT_KERBEROS, "Kerberos Tokens"},
    {IKEV1_CERT_CRL, "Certificate Revocation List (CRL)"},
    {IKEV1_CERT_ARL, "Authority Revocation List (ARL)"},
    {IKEV1_CERT_SPKI, "SPKI Certificate"},
    {IKEV1_CERT_X509_ATTR, "X.509 Certificate - Attribute"},
    {0, NULL},
};

static const struct tok ikev1_cfg_types[] = {
    {IKEV1_CFG_REQUEST, "ISAKMP_CFG_REQUEST"},
    {IKEV1_CFG_REPLY, "ISAKMP_CFG_REPLY"},
    {IKEV1_CFG_SET, "ISAKMP_CFG_SET"},
    {IKEV1_CFG_ACK, "ISAKMP_CFG_ACK"},
    {0, NULL},
};

/* Mode config (draft-dukes-ike-mode-cfg), XAUTH (draft-beaulieu-ike-xauth), Cisco Unity. */
static const struct tok ikev1_cfg_attrs[] = {
    {1, "INTERNAL_IP4_ADDRESS"},
    {2, "INTERNAL_IP4_NETMASK"},
    {3, "INTERNAL_IP4_DNS"},
    {4, "INTERNAL_IP4_NBNS"},
    {5, "INTERNAL_ADDRESS_EXPIRY"},
    {6, "INTERNAL_IP4_DHCP"},
    {7, "APPLICATION_VERSION"},
    {8, "INTERNAL_IP6_ADDRESS"},
    {9, "INTERNAL_IP6_NETMASK"},
    {10, "INTERNAL_IP6_DNS"},
    {11, "INTERNAL_IP6_NBNS"},
    {12, "INTERNAL_IP6_DHCP"},
    {13, "INTERNAL_IP4_SUBNET"},
    {14, "SUPPORTED_ATTRIBUTES"},
    {15, "INTERNAL_IP6_SUBNET"},
    {16520, "XAUTH_TYPE"},
    {16521, "XAUTH_USER_NAME"},
    {16522, "XAUTH_USER_PASSWORD"},
    {16523, "XAUTH_PASSCODE"},
    {16524, "XAUTH_MESSAGE"},
    {16525, "XAUTH_CHALLENGE"},
    {16526, "XAUTH_DOMAIN"},
    {16527, "XAUTH_STATUS"},
    {16528, "XAUTH_NEXT_PIN"},
    {16529, "XAUTH_ANSWER"},
    {28672, "UNITY_BANNER"},
    {28673, "UNITY_SAVE_PASSWD"},
    {28674, "UNITY_DEF_DOMAIN"},
    {28675, "UNITY_SPLITDNS_NAME"},
    {28676, "UNITY_SPLIT_INCLUDE"},
    {28677, "UNITY_NATT_PORT"},
    {28678, "UNITY_LOCAL_LAN"},
    {28679, "UNITY_PFS"},
    {28680, "UNITY_FW_TYPE"},
    {28681, "UNITY_BACKUP_SERVERS"},
    {28682, "UNITY_DDNS_HOSTNAME"},
    {0, NULL},
};

const char *
ikev1_doi_name(uint32_t doi)
{
	return doi > 0xffff ? NULL : tok_name(ikev1_dois, (int)doi);
}

const char *
ikev1_situation_name(uint32_t sit)
{
	return sit > 0xffff ? NULL : tok_name(ikev1_situations, (int)sit);
}

const char *
ikev1_proto_name(uint8_t proto)
{
	return tok_name(ikev1_protos, proto);
}

const char *
ikev1_transform_name(uint8_t proto, uint16_t id)
{
	switch (proto) {
	case IKEV1_PROTO_ISAKMP:
		return tok_name(ikev1_isakmp_xfs, id);
	case IKEV1_PROTO_AH:
		return tok_name(ikev1_ah_xfs, id);
	case IKEV1_PROTO_ESP:
		return tok_name(ikev1_esp_xfs, id);
	case IKEV1_PROTO_IPCOMP:
		return tok_name(ikev1_ipcomp_xfs, id);
	default:
		return NULL;
	}
}

const char *
ikev1_attr_name(uint8_t proto, uint16_t type)
{
	return tok_name(proto == IKEV1_PROTO_ISAKMP ? ikev1_p1_attrs : ikev1_p2_attrs, type);
}

const char *
ikev1_attr_value_name(uint8_t proto, uint16_t type, uint32_t v)
{
	if (v > 0xffff)
		return NULL;
	if (proto == IKEV1_PROTO_ISAKMP) {
		switch (type) {
		case IKEV1_A_ENCR:
			return ikev1_encr_name((uint16_t)v);
		case IKEV1_A_HASH:
		case IKEV1_A_PRF:
			return ikev1_hash_name((uint16_t)v);
		case IKEV1_A_AUTH:
			return ikev1_auth_method_name((uint16_t)v);
		case IKEV1_A_GROUP_DESC:
			return ikev1_group_name((uint16_t)v);
		case IKEV1_A_LIFE_TYPE:
			return ikev1_life_type_name((uint16_t)v);
		default:
			return NULL;
		}
	}
	switch (type) {
	case IKEV1_A2_LIFE_TYPE:
		return ikev1_life_type_name((uint16_t)v);
	case IKEV1_A2_GROUP_DESC:
		return ikev1_group_name((uint16_t)v);
	case IKEV1_A2_ENCAP_MODE:
		return ikev1_encap_name((uint16_t)v);
	case IKEV1_A2_AUTH_ALG:
		return ikev1_auth_alg_name((uint16_t)v);
	default:
		return NULL;
	}
}

const char *
ikev1_encr_name(uint16_t v)
{
	return tok_name(ikev1_encrs, v);
}

const char *
ikev1_hash_name(uint16_t v)
{
	return tok_name(ikev1_hashes, v);
}

const char *
ikev1_auth_method_name(uint16_t v)
{
	return tok_name(ikev1_auth_methods, v);
}

const char *
ikev1_group_name(uint16_t v)
{
	return tok_name(ikev1_groups, v);
}

const char *
ikev1_life_type_name(uint16_t v)
{
	return tok_name(ikev1_life_types, v);
}

const char *
ikev1_encap_name(uint16_t v)
{
	return tok_name(ikev1_encaps, v);
}

const char *
ikev1_auth_alg_name(uint16_t v)
{
	return tok_name(ikev1_auth_algs, v);
}

const char *
ikev1_id_type_name(uint8_t v)
{
	return tok_name(ikev1_id_types, v);
}

const char *
ikev1_cert_encoding_name(uint8_t v)
{
	return tok_name(ikev1_cert_encodings, v);
}

const char *
ikev1_cfg_type_name(uint8_t v)
{
	return tok_name(ikev1_cfg_types, v);
}

const char *
ikev1_cfg_attr_name(uint16_t v)
{
	return tok_name(ikev1_cfg_attrs, v);
}
