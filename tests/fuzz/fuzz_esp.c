/*
 * One ESP packet (IP protocol 50).  The input is the IPv4 source and
 * destination (8 bytes) and the ESP bytes from the SPI on: with the fixed key
 * table of the samples, a seed from a sample's SA decrypts, and its mutations
 * reach the ICV check, the padding and the inner packet.  The packet is sent
 * twice (a replay for the sequence analysis).
 */
#include <string.h>

#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[FZ_FRAME_MAX];
	static struct fz_frames fs;
	if (size < 8)
		return 0;
	size_t n = fz_ip_datagram(buf, sizeof(buf), 0, 50, 0, 0, data + 8, size - 8, 0);
	if (n == 0)
		return 0;
	memcpy(buf + 12, data, 8);
	fs.n = 0;
	fs.f[fs.n++] = (struct fz_frame){buf, n, 1700000000000000ULL};
	fs.f[fs.n++] = (struct fz_frame){buf, n, 1700000000100000ULL};
	fz_analyze(&fs, DLT_RAW, fz_sample_keys());
	return 0;
}
