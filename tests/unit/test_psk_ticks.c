/*
 * --psk in a live view: analysis_diagnose runs again and again (every second
 * live, on every redraw in the TUI) and checks again only the IKE SAs with
 * messages since their last verdict.  Over the bundled aggressive-mode
 * captures, fed one packet at a time with a diagnosis after each, every
 * verdict must equal that of a fresh analysis of the same packets (which
 * checks every SA), and the last must be the one `--psk` gives on the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/pipeline.h"
#include "tests/unit/check.h"

/* The capture's first `upto` packets (0: all) analysed and diagnosed; the tables stay in a. */
static bool
feed(struct analysis *a, const char *path, const char *psk, uint64_t upto)
{
	char err[256];
	int code;
	struct cap *c = cap_open_file(path, NULL, err, sizeof(err), &code);
	if (c == NULL)
		return false;
	struct report rep = {.out = stdout, .quiet = true};
	analysis_init(a, &rep);
	analysis_set_keys(a, NULL, (const uint8_t *)psk, strlen(psk));
	for (uint64_t n = 0; upto == 0 || n < upto; n++)
		if (cap_dispatch(c, 1, analysis_pkt, analysis_drop, a, err, sizeof(err)) != 1)
			break;
	analysis_diagnose(a, 0);
	cap_close(c);
	return true;
}

/* The verdicts of every IKE SA, in table order, as one string of digits. */
static void
verdicts(const struct analysis *a, char *out, size_t len)
{
	size_t k = 0;
	for (uint32_t i = 0; i < a->ike.n && k + 1 < len; i++)
		out[k++] = (char)('0' + a->ike.sa[i].psk_check);
	out[k] = 0;
}

static void
run(const char *srcdir, const char *name, const char *psk, enum psk_verdict want)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/samples/%s", srcdir, name);
	char err[256];
	int code;
	struct cap *c = cap_open_file(path, NULL, err, sizeof(err), &code);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	struct analysis live;
	struct report rep = {.out = stdout, .quiet = true};
	analysis_init(&live, &rep);
	analysis_set_keys(&live, NULL, (const uint8_t *)psk, strlen(psk));
	unsigned ticks = 0, differ = 0, changed = 0;
	char got[64] = "", was[64] = "";
	for (uint64_t n = 1;; n++) {
		if (cap_dispatch(c, 1, analysis_pkt, analysis_drop, &live, err, sizeof(err)) != 1)
			break;
		analysis_diagnose(&live, 0); /* a tick */
		ticks++;
		verdicts(&live, got, sizeof(got));
		changed += strcmp(got, was) != 0;
		memcpy(was, got, sizeof(was));
		struct analysis fresh;
		char ref[64] = "";
		if (feed(&fresh, path, psk, n)) {
			verdicts(&fresh, ref, sizeof(ref));
			analysis_free(&fresh);
		}
		differ += strcmp(got, ref) != 0;
	}
	cap_close(c);
	CHECK(ticks >= 3);
	CHECK(differ == 0);
	CHECK(changed >= 2); /* the verdict moved as the exchange went on */
	CHECK(live.ike.n == 1 && live.ike.sa[0].psk_check == want);
	CHECK(live.ike.sa[0].psk_checked_at == live.ike.sa[0].last_frame);
	analysis_free(&live);
}

int
main(void)
{
	const char *srcdir = getenv("SRCDIR");
	if (srcdir == NULL) {
		fprintf(stderr, "SRCDIR not set: skipped\n");
		return 77;
	}
	run(srcdir, "ikev1-aggressive-success.pcap", "ikescope sample pre-shared key", PSK_MATCH);
	run(srcdir, "ikev1-aggressive-success.pcap", "ikescope sample pre-shared kez",
	    PSK_MISMATCH);
	run(srcdir, "ikev1-aggressive-psk-mismatch.pcap", "ikescope sample pre-shared key",
	    PSK_MISMATCH);
	if (check_failures)
		fprintf(stderr, "%d checks failed\n", check_failures);
	return check_failures ? 1 : 0;
}
