/*
 * Decryption with a fixed key table (the samples' key files, and ../shared's
 * Wireshark ones where present): a sequence of raw IP datagrams (fuzz.h's
 * framing), seeded with the samples' negotiations, so mutations reach the
 * IKEv2 SK / SKF, IKEv1 and ESP decryption and the parsing of the plaintext.
 */
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_frames fs;
	fz_split(data, size, &fs);
	fz_analyze(&fs, DLT_RAW, fz_sample_keys());
	return 0;
}
