/*
 * Shared by the fuzz harnesses (tests/fuzz/fuzz_*.c): building frames from raw
 * bytes and running them through the whole analysis (decoder, tracker, rules,
 * both renderers at -v/-vv).  Each harness defines LLVMFuzzerTestOneInput; with
 * -Dfuzzing=true libFuzzer drives it, otherwise replay.c's main feeds it every
 * file of the corpus directories (or files) named on its command line.
 */
#ifndef IKESCOPE_TESTS_FUZZ_FUZZ_H
#define IKESCOPE_TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <pcap/dlt.h>
#include <stdint.h>

#include "capture/capture.h"
#include "crypto/crypto.h"

#define FZ_MAX_FRAMES 1024
#define FZ_FRAME_MAX  65535

/* One frame to feed: its bytes are copied into an exact-size heap buffer first. */
struct fz_frame {
	const uint8_t *data;
	size_t len;
	uint64_t ts_usec;
};

struct fz_frames {
	struct fz_frame f[FZ_MAX_FRAMES];
	size_t n;
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Runs the frames (all of link type linktype) through the analysis twice: text
 * at -vv and NDJSON at -v, with the keys when not NULL, diagnosing once midway
 * (as a live view does) and finishing with the report.
 */
void fz_analyze(const struct fz_frames *fs, int linktype, const struct keyring *keys);

/*
 * Splits a framed input into frames: records of [dt u8][len u16 big-endian][len
 * bytes], dt in units of 10 ms added to the previous frame's time; a last record
 * cut short keeps what is there.
 */
void fz_split(const uint8_t *data, size_t size, struct fz_frames *fs);

/*
 * A raw IP datagram (DLT_RAW) carrying payload: IPv4 or IPv6 (v6), protocol 17
 * with the given ports or protocol 50 (ports ignored).  Returns its length in
 * out (cap bytes), 0 when it does not fit.
 */
size_t fz_ip_datagram(uint8_t *out, size_t cap, int v6, uint8_t proto, uint16_t sport,
		      uint16_t dport, const uint8_t *payload, size_t len, int reverse);

/* A path naming size bytes of data (a memfd); fz_path_free closes it. */
int fz_memfd(const uint8_t *data, size_t size, char *path, size_t pathlen);
void fz_memfd_close(int fd);

/*
 * The fixed key table of the decryption harnesses: every samples/<name>.keys/
 * file, then ../shared's Wireshark key files where present (loaded once).
 */
const struct keyring *fz_sample_keys(void);
/* The source tree (the SRCDIR environment variable, else the build's). */
const char *fz_srcdir(void);

#endif
