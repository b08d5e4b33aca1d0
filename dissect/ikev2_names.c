/*
 * IKEv2 registries (see ikev2_names.h).  Names are the IANA ones without the
 * registry prefix where the registry repeats it (ENCR_, AUTH_), as strongSwan
 * and the ike_sa records of INTERFACE.md spell them: AES_CBC, HMAC_SHA2_256_128,
 * PRF_HMAC_SHA2_256, MODP_2048.
 */
#include "dissect/ikev2_names.h"

#include "common/names.h"

static const struct tok ikev2_xf_types[] = {
    {IKEV2_XF_ENCR, "ENCR"},
    {IKEV2_XF_PRF, "PRF"},
    {IKEV2_XF_INTEG, "INTEG"},
    {IKEV2_XF_DH, "DH"},
    {IKEV2_XF_ESN, "ESN"},
    {IKEV2_XF_ADDKE1, "ADDKE1"},
    {IKEV2_XF_ADDKE2, "ADDKE2"},
    {IKEV2_XF_ADDKE3, "ADDKE3"},
    {IKEV2_XF_ADDKE4, "ADDKE4"},
    {IKEV2_XF_ADDKE5, "ADDKE5"},
    {IKEV2_XF_ADDKE6, "ADDKE6"},
    {IKEV2_XF_ADDKE7, "ADDKE7"},
    {0, NULL},
};

static const struct tok ikev2_encrs[] = {
    {IKEV2_ENCR_DES_IV64, "DES_IV64"},
    {IKEV2_ENCR_DES, "DES"},
    {IKEV2_ENCR_3DES, "3DES"},
    {IKEV2_ENCR_RC5, "RC5"},
    {IKEV2_ENCR_IDEA, "IDEA"},
    {IKEV2_ENCR_CAST, "CAST"},
    {IKEV2_ENCR_BLOWFISH, "BLOWFISH"},
    {IKEV2_ENCR_3IDEA, "3IDEA"},
    {IKEV2_ENCR_DES_IV32, "DES_IV32"},
    {IKEV2_ENCR_NULL, "NULL"},
    {IKEV2_ENCR_AES_CBC, "AES_CBC"},
    {IKEV2_ENCR_AES_CTR, "AES_CTR"},
    {IKEV2_ENCR_AES_CCM_8, "AES_CCM_8"},
    {IKEV2_ENCR_AES_CCM_12, "AES_CCM_12"},
    {IKEV2_ENCR_AES_CCM_16, "AES_CCM_16"},
    {IKEV2_ENCR_AES_GCM_8, "AES_GCM_8"},
    {IKEV2_ENCR_AES_GCM_12, "AES_GCM_12"},
    {IKEV2_ENCR_AES_GCM_16, "AES_GCM_16"},
    {IKEV2_ENCR_NULL_AUTH_AES_GMAC, "NULL_AUTH_AES_GMAC"},
    {IKEV2_ENCR_CAMELLIA_CBC, "CAMELLIA_CBC"},
    {IKEV2_ENCR_CAMELLIA_CTR, "CAMELLIA_CTR"},
    {IKEV2_ENCR_CAMELLIA_CCM_8, "CAMELLIA_CCM_8"},
    {IKEV2_ENCR_CAMELLIA_CCM_12, "CAMELLIA_CCM_12"},
    {IKEV2_ENCR_CAMELLIA_CCM_16, "CAMELLIA_CCM_16"},
    {IKEV2_ENCR_CHACHA20_POLY1305, "CHACHA20_POLY1305"},
    {IKEV2_ENCR_AES_CCM_8_IIV, "AES_CCM_8_IIV"},
    {IKEV2_ENCR_AES_GCM_16_IIV, "AES_GCM_16_IIV"},
    {IKEV2_ENCR_CHACHA20_POLY1305_IIV, "CHACHA20_POLY1305_IIV"},
    {IKEV2_ENCR_KUZNYECHIK_MGM_KTREE, "KUZNYECHIK_MGM_KTREE"},
    {IKEV2_ENCR_MAGMA_MGM_KTREE, "MAGMA_MGM_KTREE"},
    {IKEV2_ENCR_KUZNYECHIK_MGM_MAC_KTREE, "KUZNYECHIK_MGM_MAC_KTREE"},
    {IKEV2_ENCR_MAGMA_MGM_MAC_KTREE, "MAGMA_MGM_MAC_KTREE"},
    {0, NULL},
};

static const struct tok ikev2_prfs[] = {
    {IKEV2_PRF_HMAC_MD5, "PRF_HMAC_MD5"},
    {IKEV2_PRF_HMAC_SHA1, "PRF_HMAC_SHA1"},
    {IKEV2_PRF_HMAC_TIGER, "PRF_HMAC_TIGER"},
    {IKEV2_PRF_AES128_XCBC, "PRF_AES128_XCBC"},
    {IKEV2_PRF_HMAC_SHA2_256, "PRF_HMAC_SHA2_256"},
    {IKEV2_PRF_HMAC_SHA2_384, "PRF_HMAC_SHA2_384"},
    {IKEV2_PRF_HMAC_SHA2_512, "PRF_HMAC_SHA2_512"},
    {IKEV2_PRF_AES128_CMAC, "PRF_AES128_CMAC"},
    {IKEV2_PRF_HMAC_STREEBOG_512, "PRF_HMAC_STREEBOG_512"},
    {0, NULL},
};

/* NONE is 0: a table ending {0, NULL} cannot hold it, ikev2_integ_name() adds it. */
static const struct tok ikev2_integs[] = {
    {IKEV2_INTEG_HMAC_MD5_96, "HMAC_MD5_96"},
    {IKEV2_INTEG_HMAC_SHA1_96, "HMAC_SHA1_96"},
    {IKEV2_INTEG_DES_MAC, "DES_MAC"},
    {IKEV2_INTEG_KPDK_MD5, "KPDK_MD5"},
    {IKEV2_INTEG_AES_XCBC_96, "AES_XCBC_96"},
    {IKEV2_INTEG_HMAC_MD5_128, "HMAC_MD5_128"},
    {IKEV2_INTEG_HMAC_SHA1_160, "HMAC_SHA1_160"},
    {IKEV2_INTEG_AES_CMAC_96, "AES_CMAC_96"},
    {IKEV2_INTEG_AES_128_GMAC, "AES_128_GMAC"},
    {IKEV2_INTEG_AES_192_GMAC, "AES_192_GMAC"},
    {IKEV2_INTEG_AES_256_GMAC, "AES_256_GMAC"},
    {IKEV2_INTEG_HMAC_SHA2_256_128, "HMAC_SHA2_256_128"},
    {IKEV2_INTEG_HMAC_SHA2_384_192, "HMAC_SHA2_384_192"},
    {IKEV2_INTEG_HMAC_SHA2_512_256, "HMAC_SHA2_512_256"},
    {0, NULL},
};

/* NONE is 0 as well: ikev2_dh_name() adds it. */
static const struct tok ikev2_dhs[] = {
    {IKEV2_DH_MODP_768, "MODP_768"},
    {IKEV2_DH_MODP_1024, "MODP_1024"},
    {IKEV2_DH_MODP_1536, "MODP_1536"},
    {IKEV2_DH_MODP_2048, "MODP_2048"},
    {IKEV2_DH_MODP_3072, "MODP_3072"},
    {IKEV2_DH_MODP_4096, "MODP_4096"},
    {IKEV2_DH_MODP_6144, "MODP_6144"},
    {IKEV2_DH_MODP_8192, "MODP_8192"},
    {IKEV2_DH_ECP_256, "ECP_256"},
    {IKEV2_DH_ECP_384, "ECP_384"},
    {IKEV2_DH_ECP_521, "ECP_521"},
    {IKEV2_DH_MODP_1024_S160, "MODP_1024_S160"},
    {IKEV2_DH_MODP_2048_S224, "MODP_2048_S224"},
    {IKEV2_DH_MODP_2048_S256, "MODP_2048_S256"},
    {IKEV2_DH_ECP_192, "ECP_192"},
    {IKEV2_DH_ECP_224, "ECP_224"},
    {IKEV2_DH_BRAINPOOL_P224, "BRAINPOOL_P224"},
    {IKEV2_DH_BRAINPOOL_P256, "BRAINPOOL_P256"},
    {IKEV2_DH_BRAINPOOL_P384, "BRAINPOOL_P384"},
    {IKEV2_DH_BRAINPOOL_P512, "BRAINPOOL_P512"},
    {IKEV2_DH_CURVE25519, "CURVE25519"},
    {IKEV2_DH_CURVE448, "CURVE448"},
    {IKEV2_DH_GOST3410_2012_256, "GOST3410_2012_256"},
    {IKEV2_DH_GOST3410_2012_512, "GOST3410_2012_512"},
    {IKEV2_DH_ML_KEM_512, "ML_KEM_512"},
    {IKEV2_DH_ML_KEM_768, "ML_KEM_768"},
    {IKEV2_DH_ML_KEM_1024, "ML_KEM_1024"},
    {0, NULL},
};

/*
 * Public value length in KE when the group fixes it (RFC 7296 §3.4 with RFC 3526,
 * RFC 5114, RFC 5903, RFC 6954, RFC 8031).  ML-KEM is absent: the initiator sends a
 * key and the responder a ciphertext of another size.
 */
static const struct {
	unsigned id, len;
} ikev2_dh_ke_lens[] = {
    {IKEV2_DH_MODP_768, 96},	    {IKEV2_DH_MODP_1024, 128},	    {IKEV2_DH_MODP_1536, 192},
    {IKEV2_DH_MODP_2048, 256},	    {IKEV2_DH_MODP_3072, 384},	    {IKEV2_DH_MODP_4096, 512},
    {IKEV2_DH_MODP_6144, 768},	    {IKEV2_DH_MODP_8192, 1024},	    {IKEV2_DH_ECP_256, 64},
    {IKEV2_DH_ECP_384, 96},	    {IKEV2_DH_ECP_521, 132},	    {IKEV2_DH_MODP_1024_S160, 128},
    {IKEV2_DH_MODP_2048_S224, 256}, {IKEV2_DH_MODP_2048_S256, 256}, {IKEV2_DH_ECP_192, 48},
    {IKEV2_DH_ECP_224, 56},	    {IKEV2_DH_BRAINPOOL_P224, 56},  {IKEV2_DH_BRAINPOOL_P256, 64},
    {IKEV2_DH_BRAINPOOL_P384, 96},  {IKEV2_DH_BRAINPOOL_P512, 128}, {IKEV2_DH_CURVE25519, 32},
    {IKEV2_DH_CURVE448, 56},
};

static const struct tok ikev2_protos[] = {
    {IKEV2_PROTO_IKE, "IKE"},
    {IKEV2_PROTO_AH, "AH"},
    {IKEV2_PROTO_ESP, "ESP"},
    {IKEV2_PROTO_FC_ESP_HEADER, "FC_ESP_HEADER"},
    {IKEV2_PROTO_FC_CT_AUTH, "FC_CT_AUTHENTICATION"},
    {0, NULL},
};

static const struct tok ikev2_id_types[] = {
    {IKEV2_ID_IPV4_ADDR, "ID_IPV4_ADDR"},
    {IKEV2_ID_FQDN, "ID_FQDN"},
    {IKEV2_ID_RFC822_ADDR, "ID_RFC822_ADDR"},
    {IKEV2_ID_IPV6_ADDR, "ID_IPV6_ADDR"},
    {IKEV2_ID_DER_ASN1_DN, "ID_DER_ASN1_DN"},
    {IKEV2_ID_DER_ASN1_GN, "ID_DER_ASN1_GN"},
    {IKEV2_ID_KEY_ID, "ID_KEY_ID"},
    {IKEV2_ID_FC_NAME, "ID_FC_NAME"},
    {IKEV2_ID_NULL, "ID_NULL"},
    {0, NULL},
};

static const struct tok ikev2_auths[] = {
    {IKEV2_AUTH_RSA_SIG, "RSA_DIGITAL_SIGNATURE"},
    {IKEV2_AUTH_SHARED_KEY_MIC, "SHARED_KEY_MIC"},
    {IKEV2_AUTH_DSS_SIG, "DSS_DIGITAL_SIGNATURE"},
    {IKEV2_AUTH_ECDSA_SHA256_P256, "ECDSA_SHA256_P256"},
    {IKEV2_AUTH_ECDSA_SHA384_P384, "ECDSA_SHA384_P384"},
    {IKEV2_AUTH_ECDSA_SHA512_P521, "ECDSA_SHA512_P521"},
    {IKEV2_AUTH_GSPAM, "GENERIC_SECURE_PASSWORD"},
    {IKEV2_AUTH_NULL, "NULL_AUTH"},
    {IKEV2_AUTH_DIGITAL_SIGNATURE, "DIGITAL_SIGNATURE"},
    {0, NULL},
};

static const struct tok ikev2_certs[] = {
    {IKEV2_CERT_PKCS7_X509, "PKCS7_X509"},
    {IKEV2_CERT_PGP, "PGP"},
    {IKEV2_CERT_DNS_SIGNED_KEY, "DNS_SIGNED_KEY"},
    {IKEV2_CERT_X509_SIGNATURE, "X509_SIGNATURE"},
    {IKEV2_CERT_KERBEROS_TOKEN, "KERBEROS_TOKEN"},
    {IKEV2_CERT_CRL, "CRL"},
    {IKEV2_CERT_ARL, "ARL"},
    {IKEV2_CERT_SPKI, "SPKI"},
    {IKEV2_CERT_X509_ATTRIBUTE, "X509_ATTRIBUTE"},
    {IKEV2_CERT_RAW_RSA_KEY, "RAW_RSA_KEY"},
    {IKEV2_CERT_HASH_URL_X509, "HASH_URL_X509"},
    {IKEV2_CERT_HASH_URL_X509_BUNDLE, "HASH_URL_X509_BUNDLE"},
    {IKEV2_CERT_OCSP_CONTENT, "OCSP_CONTENT"},
    {IKEV2_CERT_RAW_PUBLIC_KEY, "RAW_PUBLIC_KEY"},
    {0, NULL},
};

static const struct tok ikev2_ts_types[] = {
    {IKEV2_TS_IPV4_ADDR_RANGE, "TS_IPV4_ADDR_RANGE"},
    {IKEV2_TS_IPV6_ADDR_RANGE, "TS_IPV6_ADDR_RANGE"},
    {IKEV2_TS_FC_ADDR_RANGE, "TS_FC_ADDR_RANGE"},
    {IKEV2_TS_SECLABEL, "TS_SECLABEL"},
    {0, NULL},
};

/* The protocols a selector usually names; 0 (any) is handled by the accessor. */
static const struct tok ip_protos[] = {
    {1, "ICMP"},  {2, "IGMP"},	{4, "IPIP"},   {6, "TCP"},    {17, "UDP"},
    {41, "IPV6"}, {47, "GRE"},	{50, "ESP"},   {51, "AH"},    {58, "ICMPV6"},
    {89, "OSPF"}, {103, "PIM"}, {112, "VRRP"}, {132, "SCTP"}, {0, NULL},
};

static const struct tok ikev2_cfg_types[] = {
    {IKEV2_CFG_REQUEST, "CFG_REQUEST"},
    {IKEV2_CFG_REPLY, "CFG_REPLY"},
    {IKEV2_CFG_SET, "CFG_SET"},
    {IKEV2_CFG_ACK, "CFG_ACK"},
    {0, NULL},
};

static const struct tok ikev2_cfg_attrs[] = {
    {IKEV2_CA_INTERNAL_IP4_ADDRESS, "INTERNAL_IP4_ADDRESS"},
    {IKEV2_CA_INTERNAL_IP4_NETMASK, "INTERNAL_IP4_NETMASK"},
    {IKEV2_CA_INTERNAL_IP4_DNS, "INTERNAL_IP4_DNS"},
    {IKEV2_CA_INTERNAL_IP4_NBNS, "INTERNAL_IP4_NBNS"},
    {IKEV2_CA_INTERNAL_IP4_DHCP, "INTERNAL_IP4_DHCP"},
    {IKEV2_CA_APPLICATION_VERSION, "APPLICATION_VERSION"},
    {IKEV2_CA_INTERNAL_IP6_ADDRESS, "INTERNAL_IP6_ADDRESS"},
    {IKEV2_CA_INTERNAL_IP6_DNS, "INTERNAL_IP6_DNS"},
    {IKEV2_CA_INTERNAL_IP6_DHCP, "INTERNAL_IP6_DHCP"},
    {IKEV2_CA_INTERNAL_IP4_SUBNET, "INTERNAL_IP4_SUBNET"},
    {IKEV2_CA_SUPPORTED_ATTRIBUTES, "SUPPORTED_ATTRIBUTES"},
    {IKEV2_CA_INTERNAL_IP6_SUBNET, "INTERNAL_IP6_SUBNET"},
    {IKEV2_CA_MIP6_HOME_PREFIX, "MIP6_HOME_PREFIX"},
    {IKEV2_CA_INTERNAL_IP6_LINK, "INTERNAL_IP6_LINK"},
    {IKEV2_CA_INTERNAL_IP6_PREFIX, "INTERNAL_IP6_PREFIX"},
    {IKEV2_CA_HOME_AGENT_ADDRESS, "HOME_AGENT_ADDRESS"},
    {IKEV2_CA_P_CSCF_IP4_ADDRESS, "P_CSCF_IP4_ADDRESS"},
    {IKEV2_CA_P_CSCF_IP6_ADDRESS, "P_CSCF_IP6_ADDRESS"},
    {IKEV2_CA_FTT_KAT, "FTT_KAT"},
    {IKEV2_CA_EXTERNAL_SOURCE_IP4_NAT_INFO, "EXTERNAL_SOURCE_IP4_NAT_INFO"},
    {IKEV2_CA_TIMEOUT_PERIOD_FOR_LIVENESS_CHECK, "TIMEOUT_PERIOD_FOR_LIVENESS_CHECK"},
    {IKEV2_CA_INTERNAL_DNS_DOMAIN, "INTERNAL_DNS_DOMAIN"},
    {IKEV2_CA_INTERNAL_DNSSEC_TA, "INTERNAL_DNSSEC_TA"},
    {IKEV2_CA_ENCDNS_IP4, "ENCDNS_IP4"},
    {IKEV2_CA_ENCDNS_IP6, "ENCDNS_IP6"},
    {IKEV2_CA_ENCDNS_DIGEST_INFO, "ENCDNS_DIGEST_INFO"},
    {0, NULL},
};

static const struct tok ikev2_hashes[] = {
    {IKEV2_HASH_SHA1, "SHA1"},
    {IKEV2_HASH_SHA2_256, "SHA2_256"},
    {IKEV2_HASH_SHA2_384, "SHA2_384"},
    {IKEV2_HASH_SHA2_512, "SHA2_512"},
    {IKEV2_HASH_IDENTITY, "IDENTITY"},
    {IKEV2_HASH_STREEBOG_256, "STREEBOG_256"},
    {IKEV2_HASH_STREEBOG_512, "STREEBOG_512"},
    {0, NULL},
};

static const struct tok eap_codes[] = {
    {EAP_CODE_REQUEST, "Request"},
    {EAP_CODE_RESPONSE, "Response"},
    {EAP_CODE_SUCCESS, "Success"},
    {EAP_CODE_FAILURE, "Failure"},
    {EAP_CODE_INITIATE, "Initiate"},
    {EAP_CODE_FINISH, "Finish"},
    {0, NULL},
};

/* IANA "Extensible Authentication Protocol (EAP) Registry", Method Types. */
static const struct tok eap_types[] = {
    {1, "Identity"},
    {2, "Notification"},
    {3, "Nak"},
    {4, "MD5-Challenge"},
    {5, "OTP"},
    {6, "GTC"},
    {13, "EAP-TLS"},
    {17, "LEAP"},
    {18, "EAP-SIM"},
    {21, "EAP-TTLS"},
    {23, "EAP-AKA"},
    {25, "PEAP"},
    {26, "EAP-MSCHAPv2"},
    {43, "EAP-FAST"},
    {47, "EAP-PSK"},
    {48, "EAP-SAKE"},
    {49, "EAP-IKEv2"},
    {50, "EAP-AKA'"},
    {51, "EAP-GPSK"},
    {52, "EAP-pwd"},
    {53, "EAP-EKE"},
    {55, "TEAP"},
    {254, "Expanded"},
    {255, "Experimental"},
    {0, NULL},
};

const char *
ikev2_xf_type_name(unsigned type)
{
	return tok_name(ikev2_xf_types, (int)type);
}

const char *
ikev2_encr_name(unsigned id)
{
	return tok_name(ikev2_encrs, (int)id);
}

const char *
ikev2_prf_name(unsigned id)
{
	return tok_name(ikev2_prfs, (int)id);
}

const char *
ikev2_integ_name(unsigned id)
{
	if (id == IKEV2_INTEG_NONE)
		return "NONE";
	return tok_name(ikev2_integs, (int)id);
}

const char *
ikev2_dh_name(unsigned id)
{
	if (id == IKEV2_DH_NONE)
		return "NONE";
	return tok_name(ikev2_dhs, (int)id);
}

size_t
ikev2_dh_ke_len(unsigned id)
{
	for (size_t i = 0; i < sizeof(ikev2_dh_ke_lens) / sizeof(ikev2_dh_ke_lens[0]); i++)
		if (ikev2_dh_ke_lens[i].id == id)
			return ikev2_dh_ke_lens[i].len;
	return 0;
}

const char *
ikev2_esn_name(unsigned id)
{
	if (id == IKEV2_ESN_NO)
		return "NO_ESN";
	if (id == IKEV2_ESN_YES)
		return "ESN";
	return NULL;
}

const char *
ikev2_xf_id_name(unsigned type, unsigned id)
{
	switch (type) {
	case IKEV2_XF_ENCR:
		return ikev2_encr_name(id);
	case IKEV2_XF_PRF:
		return ikev2_prf_name(id);
	case IKEV2_XF_INTEG:
		return ikev2_integ_name(id);
	case IKEV2_XF_ESN:
		return ikev2_esn_name(id);
	default:
		/* RFC 9370: ADDKE1..7 share the Key Exchange Method registry. */
		if (type == IKEV2_XF_DH || (type >= IKEV2_XF_ADDKE1 && type <= IKEV2_XF_ADDKE7))
			return ikev2_dh_name(id);
		return NULL;
	}
}

const char *
ikev2_proto_name(unsigned id)
{
	return tok_name(ikev2_protos, (int)id);
}

const char *
ikev2_id_type_name(unsigned type)
{
	return tok_name(ikev2_id_types, (int)type);
}

const char *
ikev2_auth_name(unsigned method)
{
	return tok_name(ikev2_auths, (int)method);
}

const char *
ikev2_cert_name(unsigned encoding)
{
	return tok_name(ikev2_certs, (int)encoding);
}

const char *
ikev2_ts_type_name(unsigned type)
{
	return tok_name(ikev2_ts_types, (int)type);
}

const char *
ikev2_ip_proto_name(unsigned proto)
{
	if (proto == 0)
		return "any";
	return tok_name(ip_protos, (int)proto);
}

const char *
ikev2_cfg_type_name(unsigned type)
{
	return tok_name(ikev2_cfg_types, (int)type);
}

const char *
ikev2_cfg_attr_name(unsigned type)
{
	return tok_name(ikev2_cfg_attrs, (int)type);
}

const char *
ikev2_hash_name(unsigned alg)
{
	return tok_name(ikev2_hashes, (int)alg);
}

const char *
eap_code_name(unsigned code)
{
	return tok_name(eap_codes, (int)code);
}

const char *
eap_type_name(unsigned type)
{
	return tok_name(eap_types, (int)type);
}
