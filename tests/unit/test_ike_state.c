/* Unit tests for the IKE SA state machine: legal paths and the transitions it refuses. */
#include "tests/unit/check.h"
#include "track/ike_state.h"

static enum ike_state
step(enum ike_state st, uint8_t version, uint8_t exchange, bool from_i, bool response, bool *legal)
{
	struct ike_state_msg m = {.version = version,
				  .exchange = exchange,
				  .from_i = from_i,
				  .response = response,
				  .has_sa = true};
	return ike_state_next(st, &m, legal);
}

int
main(void)
{
	bool ok;
	enum ike_state st = ST_NONE;
	/* IKEv1 main mode, then quick mode. */
	for (int i = 0; i < 6; i++)
		st = step(st, 1, 2, i % 2 == 0, false, &ok);
	CHECK(st == ST_QM_IDLE && ok);
	st = step(st, 1, 32, true, false, &ok);
	CHECK(st == ST_QM_IDLE && ok);
	/* MM3 from the wrong side is refused and the state kept. */
	st = ST_MM_WAIT_MSG3;
	st = step(st, 1, 2, false, false, &ok);
	CHECK(st == ST_MM_WAIT_MSG3 && !ok);
	/* Quick mode before phase 1 completes is refused. */
	st = step(ST_MM_WAIT_MSG5, 1, 32, true, false, &ok);
	CHECK(st == ST_MM_WAIT_MSG5 && !ok);
	/* IKEv2: IKE_AUTH before IKE_SA_INIT was answered is refused. */
	st = step(ST_NONE, 2, 34, true, false, &ok);
	CHECK(st == ST_SA_INIT_SENT && ok);
	st = step(st, 2, 35, true, false, &ok);
	CHECK(st == ST_SA_INIT_SENT && !ok);
	st = step(st, 2, 34, false, true, &ok);
	st = step(st, 2, 35, true, false, &ok);
	st = step(st, 2, 35, false, true, &ok);
	CHECK(st == ST_ESTABLISHED && ok);
	/* A COOKIE or INVALID_KE answer starts over; an error answer ends it. */
	struct ike_state_msg restart = {
	    .version = 2, .exchange = 34, .response = true, .restart = true};
	CHECK(ike_state_next(ST_SA_INIT_SENT, &restart, &ok) == ST_NONE && ok);
	restart.restart = false;
	CHECK(ike_state_next(ST_SA_INIT_SENT, &restart, &ok) == ST_SA_INIT_REFUSED && ok);
	/* A capture that starts mid-SA accepts what it sees. */
	st = step(ST_NONE, 2, 37, true, false, &ok);
	CHECK(st == ST_MIDWAY && ok);
	CHECK(step(st, 2, 35, false, true, &ok) == ST_MIDWAY && ok);
	/* Retransmissions and later SKF fragments change nothing. */
	struct ike_state_msg re = {
	    .version = 2, .exchange = 35, .from_i = true, .retransmission = true};
	CHECK(ike_state_next(ST_AUTH_SENT, &re, &ok) == ST_AUTH_SENT && ok);
	CHECK(ike_state_name(ST_MM_WAIT_MSG6)[0] == 'M');
	if (check_failures)
		fprintf(stderr, "%d checks failed\n", check_failures);
	return check_failures ? 1 : 0;
}
