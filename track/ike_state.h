/*
 * The negotiation states of an IKE SA, in the words engineers know from their
 * gateways: IKEv1 main and aggressive mode as MM_WAIT_MSGn / AG_WAIT_MSGn up
 * to QM_IDLE (phase 1 done), IKEv2 from IKE_SA_INIT to ESTABLISHED.
 * A pure next(state, message) with a legal-transition table; an illegal
 * transition keeps the old state and is counted (a protocol anomaly).
 */
#ifndef IKESCOPE_TRACK_IKE_STATE_H
#define IKESCOPE_TRACK_IKE_STATE_H

#include <stdbool.h>
#include <stdint.h>

enum ike_state {
	ST_NONE,   /* nothing seen yet */
	ST_MIDWAY, /* the capture began after the negotiation: anything goes */
	/* IKEv1 main mode: waiting for message n */
	ST_MM_WAIT_MSG2,
	ST_MM_WAIT_MSG3,
	ST_MM_WAIT_MSG4,
	ST_MM_WAIT_MSG5,
	ST_MM_WAIT_MSG6,
	/* IKEv1 aggressive mode */
	ST_AG_WAIT_MSG2,
	ST_AG_WAIT_MSG3,
	ST_QM_IDLE, /* IKEv1 phase 1 done: quick modes and informationals */
	/* IKEv2 */
	ST_SA_INIT_SENT,    /* IKE_SA_INIT request out */
	ST_SA_INIT_DONE,    /* IKE_SA_INIT answered with an SA: keys exist */
	ST_AUTH_SENT,	    /* IKE_AUTH request out */
	ST_SA_INIT_REFUSED, /* IKE_SA_INIT answered with an error notify and no SA */
	ST_ESTABLISHED,	    /* IKE_AUTH answered (whether it succeeded is for diagnose/) */
	ST_COUNT
};

/* What the state machine needs of one message. */
struct ike_state_msg {
	uint8_t version;
	uint8_t exchange;
	bool from_i;
	bool response; /* IKEv2 */
	bool retransmission;
	bool has_sa;  /* IKEv2 IKE_SA_INIT response carrying an SA (not just a notify) */
	bool restart; /* IKEv2 IKE_SA_INIT response asking to start over (COOKIE, INVALID_KE) */
	bool continuation; /* IKEv2 SKF fragment 2..n: part of a message already counted */
};

/* The state after m; *legal false when m is not allowed in st (st is then returned). */
enum ike_state ike_state_next(enum ike_state st, const struct ike_state_msg *m, bool *legal);
const char *ike_state_name(enum ike_state st);

#endif
