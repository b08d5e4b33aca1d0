/*
 * One UDP 4500 payload: the RFC 3948 demultiplexing (non-ESP marker then IKE,
 * a 0xFF keepalive, ESP in UDP, anything shorter), A to B, B to A and over IPv6.
 */
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[3][FZ_FRAME_MAX];
	static struct fz_frames fs;
	fs.n = 0;
	for (int i = 0; i < 3; i++) {
		size_t n = fz_ip_datagram(buf[i], sizeof(buf[i]), i == 2, 17, 4500, 4500, data,
					  size, i == 1);
		if (n == 0)
			return 0;
		fs.f[fs.n++] = (struct fz_frame){buf[i], n, 1700000000000000ULL + i * 500000ULL};
	}
	fz_analyze(&fs, DLT_RAW, NULL);
	return 0;
}
