/* IKE SA negotiation states (see ike_state.h). */
#include "track/ike_state.h"

#define X_MAIN		   2
#define X_AGGRESSIVE	   4
#define X_INFO		   5
#define X_TRANSACTION	   6
#define X_QUICK		   32
#define X_IKE_SA_INIT	   34
#define X_IKE_AUTH	   35
#define X_CREATE_CHILD_SA  36
#define X_INFORMATIONAL	   37
#define X_IKE_INTERMEDIATE 43

static const char *const state_names[ST_COUNT] = {
    [ST_NONE] = "NONE",
    [ST_MIDWAY] = "MIDWAY",
    [ST_MM_WAIT_MSG2] = "MM_WAIT_MSG2",
    [ST_MM_WAIT_MSG3] = "MM_WAIT_MSG3",
    [ST_MM_WAIT_MSG4] = "MM_WAIT_MSG4",
    [ST_MM_WAIT_MSG5] = "MM_WAIT_MSG5",
    [ST_MM_WAIT_MSG6] = "MM_WAIT_MSG6",
    [ST_AG_WAIT_MSG2] = "AG_WAIT_MSG2",
    [ST_AG_WAIT_MSG3] = "AG_WAIT_MSG3",
    [ST_QM_IDLE] = "QM_IDLE",
    [ST_SA_INIT_SENT] = "IKE_SA_INIT_SENT",
    [ST_SA_INIT_DONE] = "IKE_SA_INIT_DONE",
    [ST_AUTH_SENT] = "IKE_AUTH_SENT",
    [ST_SA_INIT_REFUSED] = "IKE_SA_INIT_REFUSED",
    [ST_ESTABLISHED] = "IKE_AUTH_DONE",
};

const char *
ike_state_name(enum ike_state st)
{
	return (unsigned)st < ST_COUNT ? state_names[st] : "?";
}

/*
 * The legal transitions.  A row: in state `from`, a message of `exchange` sent
 * by the initiator (from_i 1), the responder (0) or either (-1), as a request
 * (response 0), response (1) or either (-1, IKEv1), leads to `to`.
 */
static const struct {
	enum ike_state from;
	uint8_t exchange;
	int8_t from_i, response;
	enum ike_state to;
} transitions[] = {
    /* IKEv1 main mode (RFC 2409 §5): six messages, initiator first. */
    {ST_NONE, X_MAIN, 1, -1, ST_MM_WAIT_MSG2},
    {ST_MM_WAIT_MSG2, X_MAIN, 0, -1, ST_MM_WAIT_MSG3},
    {ST_MM_WAIT_MSG3, X_MAIN, 1, -1, ST_MM_WAIT_MSG4},
    {ST_MM_WAIT_MSG4, X_MAIN, 0, -1, ST_MM_WAIT_MSG5},
    {ST_MM_WAIT_MSG5, X_MAIN, 1, -1, ST_MM_WAIT_MSG6},
    {ST_MM_WAIT_MSG6, X_MAIN, 0, -1, ST_QM_IDLE},
    /* IKEv1 aggressive mode: three messages. */
    {ST_NONE, X_AGGRESSIVE, 1, -1, ST_AG_WAIT_MSG2},
    {ST_AG_WAIT_MSG2, X_AGGRESSIVE, 0, -1, ST_AG_WAIT_MSG3},
    {ST_AG_WAIT_MSG3, X_AGGRESSIVE, 1, -1, ST_QM_IDLE},
    /* After phase 1: quick modes, transactions (mode config / XAUTH), informationals. */
    {ST_QM_IDLE, X_QUICK, -1, -1, ST_QM_IDLE},
    {ST_QM_IDLE, X_TRANSACTION, -1, -1, ST_QM_IDLE},
    {ST_QM_IDLE, X_INFO, -1, -1, ST_QM_IDLE},
    /* IKEv2 (RFC 7296 §1.2, RFC 9242 IKE_INTERMEDIATE). */
    {ST_NONE, X_IKE_SA_INIT, 1, 0, ST_SA_INIT_SENT},
    {ST_SA_INIT_SENT, X_IKE_SA_INIT, 0, 1, ST_SA_INIT_DONE},
    {ST_SA_INIT_DONE, X_IKE_INTERMEDIATE, 1, 0, ST_SA_INIT_DONE},
    {ST_SA_INIT_DONE, X_IKE_INTERMEDIATE, 0, 1, ST_SA_INIT_DONE},
    {ST_SA_INIT_DONE, X_IKE_AUTH, 1, 0, ST_AUTH_SENT},
    /* EAP and multiple authentication take several IKE_AUTH rounds. */
    {ST_AUTH_SENT, X_IKE_AUTH, 0, 1, ST_ESTABLISHED},
    {ST_ESTABLISHED, X_IKE_AUTH, -1, -1, ST_ESTABLISHED},
    {ST_ESTABLISHED, X_CREATE_CHILD_SA, -1, -1, ST_ESTABLISHED},
    {ST_ESTABLISHED, X_INFORMATIONAL, -1, -1, ST_ESTABLISHED},
};

/* The first message decides whether the capture saw the negotiation begin. */
static bool
ike_state_opens(const struct ike_state_msg *m)
{
	if (m->version == 1)
		return (m->exchange == X_MAIN || m->exchange == X_AGGRESSIVE) && m->from_i;
	return m->exchange == X_IKE_SA_INIT && m->from_i && !m->response;
}

enum ike_state
ike_state_next(enum ike_state st, const struct ike_state_msg *m, bool *legal)
{
	*legal = true;
	/* A retransmission, or a later fragment, repeats a message already accounted for. */
	if (m->retransmission || m->continuation)
		return st;
	if (st == ST_NONE && !ike_state_opens(m))
		return ST_MIDWAY;
	if (st == ST_MIDWAY)
		return ST_MIDWAY;
	/* IKEv2 restarts: an IKE_SA_INIT answered with only a notify (INVALID_KE, COOKIE,
	 * an error) leaves the initiator to start over with a new request. */
	if (m->version == 2 && m->exchange == X_IKE_SA_INIT && st == ST_SA_INIT_SENT &&
	    m->response && !m->has_sa)
		return m->restart ? ST_NONE : ST_SA_INIT_REFUSED;
	/* IKEv1 informationals (errors, DPD) may come at any time. */
	if (m->version == 1 && m->exchange == X_INFO)
		return st;
	for (unsigned i = 0; i < sizeof(transitions) / sizeof(transitions[0]); i++) {
		if (transitions[i].from != st || transitions[i].exchange != m->exchange)
			continue;
		if (transitions[i].from_i >= 0 && transitions[i].from_i != (int8_t)m->from_i)
			continue;
		if (m->version == 2 && transitions[i].response >= 0 &&
		    transitions[i].response != (int8_t)m->response)
			continue;
		return transitions[i].to;
	}
	*legal = false;
	return st;
}
