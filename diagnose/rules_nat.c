/*
 * nat-detected (RFC 7296 §2.23, RFC 3947 §3): from the NAT detection hashes
 * recomputed over the addresses and ports the capture shows.
 */
#include <stdio.h>
#include <string.h>

#include "diagnose/rules.h"

void
diag_rule_nat(struct diag_ctx *c)
{
	struct diag *d = c->d;
	const struct ike_table *t = c->ike;
	for (uint32_t i = 0; i < t->n; i++) {
		const struct ike_sa *sa = &t->sa[i];
		if (!sa->natd_seen || !(sa->initiator_behind_nat || sa->responder_behind_nat))
			continue;
		char ib[IP_ADDR_STRLEN], rb[IP_ADDR_STRLEN];
		ip_addr_str(&sa->initiator, ib);
		ip_addr_str(&sa->responder, rb);
		char side[160];
		if (sa->initiator_behind_nat && sa->responder_behind_nat)
			snprintf(side, sizeof(side),
				 "both the initiator %s and the responder %s are", ib, rb);
		else if (sa->initiator_behind_nat)
			snprintf(side, sizeof(side), "the initiator %s is", ib);
		else
			snprintf(side, sizeof(side), "the responder %s is", rb);
		char msg[DIAG_MESSAGE_MAX];
		snprintf(msg, sizeof(msg),
			 "IKEv%u between %s and %s: %s behind a NAT; the NAT detection hashes do "
			 "not match the addresses and ports seen (or the peer fakes them to force "
			 "UDP encapsulation, as strongSwan's kernel-libipsec does)",
			 sa->version, ib, rb, side);
		/* The NAT is a fact of the path: one finding per pair of peers and verdict. */
		struct finding *f = diag_find(d, F_NAT_DETECTED, &sa->initiator, &sa->responder);
		if (f == NULL || strcmp(f->message, msg) != 0)
			f = diag_raise(d, F_NAT_DETECTED, CONF_CONFIRMED, "%s", msg);
		if (f == NULL)
			return;
		f->ike_version = sa->version;
		f->initiator = sa->initiator;
		f->responder = sa->responder;
		for (uint8_t k = 0; k < sa->nnat_frames; k++)
			diag_add_frame(f, sa->nat_frames[k]);
	}
}
