/* IANA registries for IKEv1 (RFC 2408/2409, ISAKMP registry) and IKEv2 (IKEv2 Parameters). */
#include <stdio.h>

#include "dissect/ike.h"

static const struct tok ikev1_exchanges[] = {
    {1, "Base"},
    {2, "Main Mode"},
    {3, "Authentication Only"},
    {4, "Aggressive Mode"},
    {5, "Informational"},
    {6, "Transaction"},
    {32, "Quick Mode"},
    {33, "New Group Mode"},
    {0, NULL},
};

static const struct tok ikev2_exchanges[] = {
    {34, "IKE_SA_INIT"},
    {35, "IKE_AUTH"},
    {36, "CREATE_CHILD_SA"},
    {37, "INFORMATIONAL"},
    {38, "IKE_SESSION_RESUME"},
    {39, "GSA_AUTH"},
    {40, "GSA_REGISTRATION"},
    {41, "GSA_REKEY"},
    {43, "IKE_INTERMEDIATE"},
    {44, "IKE_FOLLOWUP_KE"},
    {0, NULL},
};

/* The names of INTERFACE.md's `payloads` arrays. */
static const struct tok ikev1_payloads[] = {
    {1, "SA"},	    {2, "P"},	    {3, "T"},	     {4, "KE"},	    {5, "ID"},
    {6, "CERT"},    {7, "CR"},	    {8, "HASH"},     {9, "SIG"},    {10, "NONCE"},
    {11, "N"},	    {12, "D"},	    {13, "VID"},     {14, "ATTR"},  {15, "SAK"},
    {16, "SAT"},    {17, "KD"},	    {18, "SEQ"},     {19, "POP"},   {20, "NAT-D"},
    {21, "NAT-OA"}, {130, "NAT-D"}, {131, "NAT-OA"}, {132, "FRAG"}, {0, NULL},
};

static const struct tok ikev2_payloads[] = {
    {33, "SA"},	  {34, "KE"}, {35, "IDi"}, {36, "IDr"}, {37, "CERT"}, {38, "CERTREQ"},
    {39, "AUTH"}, {40, "Ni"}, {41, "N"},   {42, "D"},	{43, "V"},    {44, "TSi"},
    {45, "TSr"},  {46, "SK"}, {47, "CP"},  {48, "EAP"}, {49, "GSPM"}, {50, "IDg"},
    {51, "GSA"},  {52, "KD"}, {53, "SKF"}, {54, "PS"},	{0, NULL},
};

/* IKEv2 Notify Message Types (RFC 7296 §3.10.1 and later registrations). */
static const struct tok ikev2_notifies[] = {
    {1, "UNSUPPORTED_CRITICAL_PAYLOAD"},
    {4, "INVALID_IKE_SPI"},
    {5, "INVALID_MAJOR_VERSION"},
    {7, "INVALID_SYNTAX"},
    {9, "INVALID_MESSAGE_ID"},
    {11, "INVALID_SPI"},
    {14, "NO_PROPOSAL_CHOSEN"},
    {17, "INVALID_KE_PAYLOAD"},
    {24, "AUTHENTICATION_FAILED"},
    {34, "SINGLE_PAIR_REQUIRED"},
    {35, "NO_ADDITIONAL_SAS"},
    {36, "INTERNAL_ADDRESS_FAILURE"},
    {37, "FAILED_CP_REQUIRED"},
    {38, "TS_UNACCEPTABLE"},
    {39, "INVALID_SELECTORS"},
    {40, "UNACCEPTABLE_ADDRESSES"},
    {41, "UNEXPECTED_NAT_DETECTED"},
    {42, "USE_ASSIGNED_HoA"},
    {43, "TEMPORARY_FAILURE"},
    {44, "CHILD_SA_NOT_FOUND"},
    {45, "INVALID_GROUP_ID"},
    {46, "AUTHORIZATION_FAILED"},
    {47, "STATE_NOT_FOUND"},
    {48, "TS_MAX_QUEUE"},
    {16384, "INITIAL_CONTACT"},
    {16385, "SET_WINDOW_SIZE"},
    {16386, "ADDITIONAL_TS_POSSIBLE"},
    {16387, "IPCOMP_SUPPORTED"},
    {16388, "NAT_DETECTION_SOURCE_IP"},
    {16389, "NAT_DETECTION_DESTINATION_IP"},
    {16390, "COOKIE"},
    {16391, "USE_TRANSPORT_MODE"},
    {16392, "HTTP_CERT_LOOKUP_SUPPORTED"},
    {16393, "REKEY_SA"},
    {16394, "ESP_TFC_PADDING_NOT_SUPPORTED"},
    {16395, "NON_FIRST_FRAGMENTS_ALSO"},
    {16396, "MOBIKE_SUPPORTED"},
    {16397, "ADDITIONAL_IP4_ADDRESS"},
    {16398, "ADDITIONAL_IP6_ADDRESS"},
    {16399, "NO_ADDITIONAL_ADDRESSES"},
    {16400, "UPDATE_SA_ADDRESSES"},
    {16401, "COOKIE2"},
    {16402, "NO_NATS_ALLOWED"},
    {16403, "AUTH_LIFETIME"},
    {16404, "MULTIPLE_AUTH_SUPPORTED"},
    {16405, "ANOTHER_AUTH_FOLLOWS"},
    {16406, "REDIRECT_SUPPORTED"},
    {16407, "REDIRECT"},
    {16408, "REDIRECTED_FROM"},
    {16409, "TICKET_LT_OPAQUE"},
    {16410, "TICKET_REQUEST"},
    {16411, "TICKET_ACK"},
    {16412, "TICKET_NACK"},
    {16413, "TICKET_OPAQUE"},
    {16414, "LINK_ID"},
    {16415, "USE_WESP_MODE"},
    {16416, "ROHC_SUPPORTED"},
    {16417, "EAP_ONLY_AUTHENTICATION"},
    {16418, "CHILDLESS_IKEV2_SUPPORTED"},
    {16419, "QUICK_CRASH_DETECTION"},
    {16420, "IKEV2_MESSAGE_ID_SYNC_SUPPORTED"},
    {16421, "IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED"},
    {16422, "IKEV2_MESSAGE_ID_SYNC"},
    {16423, "IPSEC_REPLAY_COUNTER_SYNC"},
    {16424, "SECURE_PASSWORD_METHODS"},
    {16425, "PSK_PERSIST"},
    {16426, "PSK_CONFIRM"},
    {16427, "ERX_SUPPORTED"},
    {16428, "IFOM_CAPABILITY"},
    {16429, "SENDER_REQUEST_ID"},
    {16430, "IKEV2_FRAGMENTATION_SUPPORTED"},
    {16431, "SIGNATURE_HASH_ALGORITHMS"},
    {16432, "CLONE_IKE_SA_SUPPORTED"},
    {16433, "CLONE_IKE_SA"},
    {16434, "PUZZLE"},
    {16435, "USE_PPK"},
    {16436, "PPK_IDENTITY"},
    {16437, "NO_PPK_AUTH"},
    {16438, "INTERMEDIATE_EXCHANGE_SUPPORTED"},
    {16439, "IP4_ALLOWED"},
    {16440, "IP6_ALLOWED"},
    {16441, "ADDITIONAL_KEY_EXCHANGE"},
    {16442, "USE_AGGFRAG"},
    {16443, "SUPPORTED_AUTH_METHODS"},
    {16444, "SA_RESOURCE_INFO"},
    {16445, "USE_PPK_INT"},
    {16446, "PPK_IDENTITY_KEY"},
    {0, NULL},
};

/* ISAKMP Notify Message Types (RFC 2408 §3.14.1, RFC 2407 §4.6.3, RFC 3706). */
static const struct tok ikev1_notifies[] = {
    {1, "INVALID-PAYLOAD-TYPE"},
    {2, "DOI-NOT-SUPPORTED"},
    {3, "SITUATION-NOT-SUPPORTED"},
    {4, "INVALID-COOKIE"},
    {5, "INVALID-MAJOR-VERSION"},
    {6, "INVALID-MINOR-VERSION"},
    {7, "INVALID-EXCHANGE-TYPE"},
    {8, "INVALID-FLAGS"},
    {9, "INVALID-MESSAGE-ID"},
    {10, "INVALID-PROTOCOL-ID"},
    {11, "INVALID-SPI"},
    {12, "INVALID-TRANSFORM-ID"},
    {13, "ATTRIBUTES-NOT-SUPPORTED"},
    {14, "NO-PROPOSAL-CHOSEN"},
    {15, "BAD-PROPOSAL-SYNTAX"},
    {16, "PAYLOAD-MALFORMED"},
    {17, "INVALID-KEY-INFORMATION"},
    {18, "INVALID-ID-INFORMATION"},
    {19, "INVALID-CERT-ENCODING"},
    {20, "INVALID-CERTIFICATE"},
    {21, "CERT-TYPE-UNSUPPORTED"},
    {22, "INVALID-CERT-AUTHORITY"},
    {23, "INVALID-HASH-INFORMATION"},
    {24, "AUTHENTICATION-FAILED"},
    {25, "INVALID-SIGNATURE"},
    {26, "ADDRESS-NOTIFICATION"},
    {27, "NOTIFY-SA-LIFETIME"},
    {28, "CERTIFICATE-UNAVAILABLE"},
    {29, "UNSUPPORTED-EXCHANGE-TYPE"},
    {30, "UNEQUAL-PAYLOAD-LENGTHS"},
    {16384, "CONNECTED"},
    {24576, "RESPONDER-LIFETIME"},
    {24577, "REPLAY-STATUS"},
    {24578, "INITIAL-CONTACT"},
    {36136, "R-U-THERE"},
    {36137, "R-U-THERE-ACK"},
    {0, NULL},
};

const char *
ike_exchange_str(uint8_t version, uint8_t exchange, char *buf, size_t len)
{
	return tok_str(version == 1 ? ikev1_exchanges : ikev2_exchanges, exchange, buf, len);
}

const char *
ike_exchange_name(const struct ike_msg *m, char *buf, size_t len)
{
	return ike_exchange_str(m->version, m->exchange, buf, len);
}

const char *
ike_payload_name(uint8_t version, uint8_t type, char *buf, size_t len)
{
	return tok_str(version == 1 ? ikev1_payloads : ikev2_payloads, type, buf, len);
}

const char *
ike_notify_name(uint8_t version, uint16_t type)
{
	return tok_name(version == 1 ? ikev1_notifies : ikev2_notifies, type);
}
