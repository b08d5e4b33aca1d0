/* Diagnosis rules over tracked state: one function per finding family. */
#ifndef IKESCOPE_DIAGNOSE_RULES_H
#define IKESCOPE_DIAGNOSE_RULES_H

#include "diagnose/diag.h"
#include "track/track.h"

/* nat-detected: the NAT detection hashes show a NAT between the peers (which side). */
void diag_rule_nat(struct diag *d, const struct ike_table *t);

#endif
