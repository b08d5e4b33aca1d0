/*
 * IP reassembly: a sequence of raw IP datagrams (fuzz.h's framing), typically
 * fragments of IKE datagrams, overlapping, reordered, missing, too big.
 */
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_frames fs;
	fz_split(data, size, &fs);
	fz_analyze(&fs, DLT_RAW, NULL);
	return 0;
}
