/*
 * weak-crypto and profile-mismatch: what the initiator offers and what the
 * responder chooses for the IKE SA (IKEv2 IKE_SA_INIT, RFC 7296 §3.3; IKEv1
 * main/aggressive mode SA payload, RFC 2409 §5 and App. A) is in clear, so
 * both verdicts rest on what the wire shows.
 *
 * Limits of the evidence: only the IKE SA / phase 1 proposals are seen (the
 * CHILD SA and quick-mode proposals travel encrypted), and the tracker keeps
 * the initiator's first offer with, for IKEv2, the first transform of each
 * type in each proposal (track/ike_track.c).
 */
#include <stdio.h>
#include <string.h>

#include "diagnose/profile.h"
#include "diagnose/rules.h"
#include "dissect/ikev1_names.h"
#include "dissect/ikev2_names.h"

#define WEAK_MAX  16  /* distinct weak algorithms named per SA */
#define MERGE_MAX 256 /* (peers, verdict) pairs merged into one finding */

/*
 * Repeated negotiations between the same peers with the same verdict (an
 * initiator retrying a refused proposal every few seconds for hours, as in the
 * conformance capture wireshark/wiki-samples/ipsec.cap with 45 negotiations
 * between one pair) make one finding that cites each attempt, not one per
 * attempt: the verdict is about the configuration, which the attempts share.
 */
struct merge {
	size_t fidx; /* index in d->list (which may move when it grows) */
	uint64_t key;
	unsigned count;
};

struct merger {
	struct merge m[MERGE_MAX];
	size_t n;
};

static uint64_t
fnv(const char *s, uint64_t h)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The finding raised earlier for the same peers and verdict key, with its count bumped. */
static struct finding *
merge_find(struct merger *mg, struct diag *d, enum finding_code code, const struct ike_sa *sa,
	   uint64_t key, unsigned *count)
{
	for (size_t i = 0; i < mg->n; i++) {
		struct finding *f = &d->list[mg->m[i].fidx];
		if (mg->m[i].key == key && f->code == code && f->ike_version == sa->version &&
		    ip_addr_eq(&f->initiator, &sa->initiator) &&
		    ip_addr_eq(&f->responder, &sa->responder)) {
			*count = ++mg->m[i].count;
			return f;
		}
	}
	return NULL;
}

static void
merge_add(struct merger *mg, struct diag *d, const struct finding *f, uint64_t key)
{
	if (mg->n < MERGE_MAX)
		mg->m[mg->n++] = (struct merge){(size_t)(f - d->list), key, 1};
}

static void
finding_sa(struct finding *f, const struct ike_sa *sa)
{
	f->ike_version = sa->version;
	f->initiator = sa->initiator;
	f->responder = sa->responder;
	if (sa->noffers)
		diag_add_frame(f, sa->offer_frame);
	if (sa->have_chosen)
		diag_add_frame(f, sa->chosen_frame);
}

/* "IKE_SA_INIT", "Main Mode", "Aggressive Mode": the exchange that carried the offer. */
static const char *
offer_exchange(const struct ike_sa *sa)
{
	if (sa->version == 2)
		return "IKE_SA_INIT";
	uint64_t frame = sa->noffers ? sa->offer_frame : sa->chosen_frame;
	for (uint16_t i = 0; i < sa->nmsgs; i++)
		if (sa->msgs[i].frame == frame)
			return sa->msgs[i].exchange == IKEV1_X_AGGRESSIVE ? "Aggressive Mode"
									  : "Main Mode";
	return "Main Mode";
}

/* Appends " [seen in N negotiations between these peers]" when merged. */
static void
note_repeats(struct finding *f, unsigned count)
{
	size_t n = strlen(f->message);
	const char *cut = strstr(f->message, " [seen in ");
	if (cut)
		n = (size_t)(cut - f->message);
	diag_set_message(f, "%.*s [seen in %u negotiations between these peers]", (int)n,
			 f->message, count);
}

/* ---- weak-crypto ---- */

struct weak {
	char name[48];
	bool offered, chosen;
};

static void
weak_add(struct weak *w, unsigned *n, const char *name, bool chosen)
{
	for (unsigned i = 0; i < *n; i++)
		if (strcmp(w[i].name, name) == 0) {
			if (chosen)
				w[i].chosen = true;
			else
				w[i].offered = true;
			return;
		}
	if (*n >= WEAK_MAX)
		return;
	snprintf(w[*n].name, sizeof(w[*n].name), "%s", name);
	w[*n].offered = !chosen;
	w[*n].chosen = chosen;
	(*n)++;
}

/*
 * What of one offer is deprecated, by the list of INTERFACE.md (DES, 3DES,
 * MD5, SHA-1 integrity, DH below 2048-bit MODP), graded by RFC 8247 (IKEv2
 * algorithm requirements):
 *   - encryption: DES (§2.1 MUST NOT) and 3DES (MAY; 64-bit block), in IKEv1
 *     DES-CBC and 3DES-CBC;
 *   - integrity: HMAC-MD5, KPDK-MD5, DES-MAC (§2.3 MUST NOT) and
 *     HMAC-SHA1-96/160 (MUST-, being phased out); in IKEv1 the phase 1 hash,
 *     which keys the HMAC that authenticates the exchange: MD5 and SHA;
 *   - PRF: PRF_HMAC_MD5 (§2.2 MUST NOT).  PRF_HMAC_SHA1 alone is NOT raised:
 *     INTERFACE.md names SHA-1 *integrity*; as a PRF, HMAC-SHA1 rests on the
 *     PRF property of HMAC, which SHA-1's collision attacks do not break
 *     (RFC 6194), and §2.2 keeps it at MUST-.  It nearly always comes with
 *     HMAC_SHA1_96 integrity or a weak group, which are raised anyway; alone
 *     (AES-GCM with PRF_HMAC_SHA1) a warning would be noise;
 *   - Diffie-Hellman: MODP 768, 1024, 1536 (groups 1, 2, 5), the 1024-bit
 *     group with 160-bit subgroup (22), ECP_192 (25: 96-bit strength, below
 *     the 112 bits of 2048-bit MODP, NIST SP 800-57 Part 1 Table 2), and in
 *     IKEv1 the EC2N groups 3 and 4 (155 and 185-bit binary curves).
 * The names are those of the version's own registry, as its logs print them.
 * Calibration: of the 30 samples only ikev1-ike-proposal-mismatch offers any
 * of these (3DES/SHA/MODP_1024), and it is the one that expects weak-crypto.
 */
static void
weak_of(uint8_t version, const struct ike_offer *o, bool chosen, struct weak *w, unsigned *n)
{
	char b[48];
	if (version == 1) {
		if (o->encr == IKEV1_ENCR_DES_CBC || o->encr == IKEV1_ENCR_3DES_CBC) {
			snprintf(b, sizeof(b), "%s encryption", ikev1_encr_name(o->encr));
			weak_add(w, n, b, chosen);
		}
		if (o->v1_hash == IKEV1_HASH_MD5)
			weak_add(w, n, "MD5 hash", chosen);
		else if (o->v1_hash == IKEV1_HASH_SHA)
			weak_add(w, n, "SHA-1 hash", chosen);
		if (o->dh == 1 || o->dh == 2 || o->dh == 3 || o->dh == 4 || o->dh == 5 ||
		    o->dh == 22 || o->dh == 25) {
			const char *g = ikev1_group_name(o->dh);
			snprintf(b, sizeof(b), "DH group %u (%s)", o->dh, g ? g : "?");
			weak_add(w, n, b, chosen);
		}
		return;
	}
	switch (o->encr) {
	case IKEV2_ENCR_DES_IV64:
	case IKEV2_ENCR_DES:
	case IKEV2_ENCR_DES_IV32:
	case IKEV2_ENCR_3DES:
		snprintf(b, sizeof(b), "%s encryption", ikev2_encr_name(o->encr));
		weak_add(w, n, b, chosen);
		break;
	default:
		break;
	}
	switch (o->integ) {
	case IKEV2_INTEG_HMAC_MD5_96:
	case IKEV2_INTEG_HMAC_MD5_128:
	case IKEV2_INTEG_KPDK_MD5:
	case IKEV2_INTEG_DES_MAC:
	case IKEV2_INTEG_HMAC_SHA1_96:
	case IKEV2_INTEG_HMAC_SHA1_160:
		snprintf(b, sizeof(b), "%s integrity", ikev2_integ_name(o->integ));
		weak_add(w, n, b, chosen);
		break;
	default:
		break;
	}
	if (o->prf == IKEV2_PRF_HMAC_MD5)
		weak_add(w, n, "PRF_HMAC_MD5", chosen);
	switch (o->dh) {
	case IKEV2_DH_MODP_768:
	case IKEV2_DH_MODP_1024:
	case IKEV2_DH_MODP_1536:
	case IKEV2_DH_MODP_1024_S160:
	case IKEV2_DH_ECP_192:
		snprintf(b, sizeof(b), "DH group %u (%s)", o->dh, ikev2_dh_name(o->dh));
		weak_add(w, n, b, chosen);
		break;
	default:
		break;
	}
}

static void
rule_weak(struct diag_ctx *c, struct merger *mg, const struct ike_sa *sa)
{
	struct weak w[WEAK_MAX];
	unsigned n = 0;
	for (uint8_t i = 0; i < sa->noffers; i++)
		weak_of(sa->version, &sa->offers[i], false, w, &n);
	if (sa->have_chosen)
		weak_of(sa->version, &sa->chosen, true, w, &n);
	if (n == 0)
		return;
	char list[320] = "", chosen[256] = "";
	size_t ln = 0, cn = 0;
	for (unsigned i = 0; i < n; i++) {
		if (w[i].offered || !sa->noffers)
			ln += (size_t)snprintf(list + ln, ln < sizeof(list) ? sizeof(list) - ln : 0,
					       "%s%s", ln ? ", " : "", w[i].name);
		if (w[i].chosen)
			cn += (size_t)snprintf(chosen + cn,
					       cn < sizeof(chosen) ? sizeof(chosen) - cn : 0,
					       "%s%s", cn ? ", " : "", w[i].name);
	}
	char ib[IP_ADDR_STRLEN], rb[IP_ADDR_STRLEN];
	ip_addr_str(&sa->initiator, ib);
	ip_addr_str(&sa->responder, rb);
	char verdict[320];
	if (!sa->noffers)
		snprintf(verdict, sizeof(verdict), "the initiator's offer is not in the capture");
	else if (cn)
		snprintf(verdict, sizeof(verdict), "the responder chose %s", chosen);
	else if (sa->have_chosen)
		snprintf(verdict, sizeof(verdict),
			 "the responder chose a proposal without them, but a downgrade "
			 "stays possible while they are offered");
	else
		snprintf(verdict, sizeof(verdict), "no proposal was accepted in the capture");
	uint64_t key = fnv(verdict, fnv(list, 0xcbf29ce484222325ULL));
	unsigned count;
	struct finding *f = merge_find(mg, c->d, F_WEAK_CRYPTO, sa, key, &count);
	if (f) {
		finding_sa(f, sa);
		note_repeats(f, count);
		return;
	}
	f = diag_raise(c->d, F_WEAK_CRYPTO, CONF_CONFIRMED,
		       "IKEv%u %s between initiator %s and responder %s: %s %s; %s", sa->version,
		       offer_exchange(sa), ib, rb,
		       sa->noffers ? "the initiator offers deprecated"
				   : "the responder chose deprecated",
		       list, verdict);
	if (f == NULL)
		return;
	finding_sa(f, sa);
	merge_add(mg, c->d, f, key);
}

/* ---- profile-mismatch ---- */

/*
 * The gateway profile names what the gateway accepts in phase 1 / IKE SA
 * negotiation; every IKE SA of the capture whose offers are seen is checked,
 * whichever side initiated.  Raised when:
 *   - the IKE version is not one the profile accepts (confirmed: the header
 *     says the version);
 *   - the responder chose a proposal outside the profile (confirmed: the
 *     choice is in clear);
 *   - no offered proposal fits the profile and no choice was seen.  IKEv1:
 *     each transform is a complete suite, so the check is exact (confirmed).
 *     IKEv2: a proposal may list several transforms of a type and the tracker
 *     keeps the first of each, so another combination of the same proposal
 *     might have fitted (likely); also likely when more proposals were
 *     offered than kept (offers_cut).
 * A chosen proposal the profile accepts proves that something offered fits:
 * no finding then.
 */
static void
rule_profile(struct diag_ctx *c, struct merger *mg, const struct ike_sa *sa)
{
	const struct profile *p = c->profile;
	if (sa->noffers == 0 && !sa->have_chosen)
		return;
	char ib[IP_ADDR_STRLEN], rb[IP_ADDR_STRLEN];
	ip_addr_str(&sa->initiator, ib);
	ip_addr_str(&sa->responder, rb);
	char accepts[256];
	profile_describe(p, accepts, sizeof(accepts));
	char what[512];
	enum confidence conf = CONF_CONFIRMED;
	if (!profile_accepts_version(p, sa->version)) {
		snprintf(what, sizeof(what),
			 "this negotiation is IKEv%u, which the gateway does not speak",
			 sa->version);
	} else {
		struct profile_offer o;
		char why[160], first_why[160] = "", first_str[96] = "";
		uint8_t nok = 0, nseen = 0;
		for (uint8_t i = 0; i < sa->noffers; i++) {
			if (sa->offers[i].proto != 1)
				continue;
			nseen++;
			profile_offer_norm(sa->version, &sa->offers[i], &o);
			if (profile_accepts_offer(p, &o, why, sizeof(why)))
				nok++;
			else if (first_str[0] == '\0') {
				profile_offer_str(&o, first_str, sizeof(first_str));
				snprintf(first_why, sizeof(first_why), "%s", why);
			}
		}
		if (sa->have_chosen) {
			profile_offer_norm(sa->version, &sa->chosen, &o);
			if (profile_accepts_offer(p, &o, why, sizeof(why)))
				return;
			char cs[96];
			profile_offer_str(&o, cs, sizeof(cs));
			snprintf(what, sizeof(what),
				 "the responder chose %s, outside the profile (%s)%s", cs, why,
				 nseen && nok == 0 ? ", and nothing else offered fits it either"
						   : "");
		} else {
			if (nseen == 0 || nok > 0)
				return;
			if (sa->version == 2 || sa->offers_cut)
				conf = CONF_LIKELY;
			snprintf(what, sizeof(what), "nothing offered is acceptable: %s%s (%s)%s",
				 nseen > 1 ? "first " : "", first_str, first_why,
				 nseen > 1 ? ", and the other proposals do not fit either" : "");
		}
	}
	uint64_t key = fnv(what, 0xcbf29ce484222325ULL);
	unsigned count;
	struct finding *f = merge_find(mg, c->d, F_PROFILE_MISMATCH, sa, key, &count);
	if (f) {
		finding_sa(f, sa);
		note_repeats(f, count);
		return;
	}
	f = diag_raise(c->d, F_PROFILE_MISMATCH, conf,
		       "IKEv%u %s between initiator %s and responder %s, checked against gateway "
		       "profile %s: %s. Acceptable to %s: %s",
		       sa->version, offer_exchange(sa), ib, rb, p->name, what, p->name, accepts);
	if (f == NULL)
		return;
	finding_sa(f, sa);
	merge_add(mg, c->d, f, key);
}

void
diag_rule_crypto(struct diag_ctx *c)
{
	struct merger weak_mg = {.n = 0}, prof_mg = {.n = 0};
	const struct ike_table *t = c->ike;
	for (uint32_t i = 0; i < t->n; i++) {
		const struct ike_sa *sa = &t->sa[i];
		rule_weak(c, &weak_mg, sa);
		if (c->profile)
			rule_profile(c, &prof_mg, sa);
	}
}
