/*
 * Gateway profiles: what a gateway type accepts in phase 1 / IKE SA
 * negotiation (IKE versions, encryption, integrity, PRF, Diffie-Hellman
 * groups, IKEv1 authentication methods), so that `--profile` can check every
 * proposal a capture shows against it (finding profile-mismatch).
 *
 * Built in: azure-policy-based and azure-route-based (profile.c, with the
 * sources of each fact).  Custom profiles are small text files, one directive
 * a line (man ikescope(1), PROFILES):
 *
 *     # comment
 *     name my-gateway
 *     ike-version 1 2
 *     encr AES_CBC_256 AES_CBC_128 3DES
 *     integ HMAC_SHA1_96 HMAC_SHA2_256_128
 *     prf PRF_HMAC_SHA1 PRF_HMAC_SHA2_256
 *     dh MODP_1024 MODP_2048
 *     auth psk
 *     idle-teardown 300
 *
 * Values use the IKEv2 registry names (RFC 7296 §3.3.2, as in the JSON
 * `proposal_chosen`); IKEv1 offers are mapped onto them (profile_offer_norm).
 * A directive that is absent leaves that attribute unchecked.
 */
#ifndef IKESCOPE_DIAGNOSE_PROFILE_H
#define IKESCOPE_DIAGNOSE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "track/track.h"

#define PROFILE_MAX_ALGS 32	    /* values per directive */
#define PROFILE_MAX_TEXT (64 << 10) /* a profile file is a few lines */

/* IKEv1 phase 1 authentication method families (RFC 2409 App. A and the XAUTH draft). */
enum profile_auth {
	PAUTH_NONE,
	PAUTH_PSK,
	PAUTH_RSA,
	PAUTH_DSS,
	PAUTH_ECDSA,
	PAUTH_XAUTH_PSK,
	PAUTH_XAUTH_RSA,
	PAUTH_HYBRID,
	PAUTH_OTHER,
};

struct profile_encr {
	uint16_t id;	 /* IKEv2 encryption transform ID */
	uint16_t keylen; /* bits; 0 = any key length */
};

struct profile {
	char name[64];
	bool v1, v2, versions_set;
	struct profile_encr encr[PROFILE_MAX_ALGS];
	uint16_t integ[PROFILE_MAX_ALGS], prf[PROFILE_MAX_ALGS], dh[PROFILE_MAX_ALGS];
	uint8_t auth[PROFILE_MAX_ALGS];
	uint8_t nencr, ninteg, nprf, ndh, nauth;
	uint32_t idle_teardown_sec; /* 0 = not stated */
};

/*
 * Parses a profile from text; origin names it in errors ("FILE:LINE: ...").
 * Returns 0, or -EINVAL with one line in err.
 */
int profile_parse(struct profile *p, const char *text, size_t len, const char *origin, char *err,
		  size_t errlen);
/* Loads a built-in profile by name; -ENOENT when there is none of that name. */
int profile_builtin(struct profile *p, const char *name, char *err, size_t errlen);
/* "azure-policy-based, azure-route-based" */
const char *profile_builtin_names(void);

/* An IKE SA offer (IKEv1 suite or IKEv2 proposal) in the IKEv2 vocabulary of profiles. */
struct profile_offer {
	uint16_t encr, keylen; /* IKEv2 encryption ID (0 = no IKEv2 equivalent) */
	uint16_t integ;	       /* IKEv2 integrity ID; 0 = none (AEAD) or no equivalent */
	uint16_t prf;	       /* IKEv2 PRF ID; 0 = not negotiated (IKEv1 uses the hash) */
	uint16_t dh;	       /* group number (shared IKEv1/IKEv2 registry numbering) */
	uint8_t auth;	       /* enum profile_auth; PAUTH_NONE for IKEv2 (not in the offer) */
};
void profile_offer_norm(uint8_t version, const struct ike_offer *o, struct profile_offer *out);
/* "AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048" (IKEv1: ".../psk"). */
void profile_offer_str(const struct profile_offer *o, char *buf, size_t len);

bool profile_accepts_version(const struct profile *p, uint8_t version);
/*
 * Whether the profile accepts the offer; when not, why (the first attributes
 * outside it, e.g. "DH MODP_2048") in why.
 */
bool profile_accepts_offer(const struct profile *p, const struct profile_offer *o, char *why,
			   size_t len);
/* What the profile accepts, in one line: "IKEv1; encr AES_CBC_256 3DES; integ ...". */
void profile_describe(const struct profile *p, char *buf, size_t len);

#endif
