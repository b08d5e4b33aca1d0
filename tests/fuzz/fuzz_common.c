/* Frames from raw bytes, and the whole analysis over them (see fuzz.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli/pipeline.h"
#include "config.h"
#include "tests/fuzz/fuzz.h"

static FILE *
fz_sink(void)
{
	static FILE *f;
	if (f == NULL && (f = fopen("/dev/null", "w")) == NULL)
		abort();
	return f;
}

void
fz_analyze(const struct fz_frames *fs, int linktype, const struct keyring *keys)
{
	/* Large (bounded evidence lists): static, not on the stack. */
	static struct analysis a;
	static const uint8_t psk[] = "fuzz-psk";
	for (int mode = 0; mode < 2; mode++) {
		struct report rep = {
		    .out = fz_sink(),
		    .json = mode == 1,
		    .verbose = mode == 0 ? 2 : 1,
		};
		analysis_init(&a, &rep);
		/* The PSK check runs in the NDJSON pass only (it needs keys or IKEv1). */
		analysis_set_keys(&a, keys, mode == 1 ? psk : NULL,
				  mode == 1 ? sizeof(psk) - 1 : 0);
		struct decoder *d = decoder_new(analysis_drop, &a);
		struct cap_stats st;
		memset(&st, 0, sizeof(st));
		for (size_t i = 0; i < fs->n; i++) {
			const struct fz_frame *x = &fs->f[i];
			/* An exact-size copy: any read past the captured bytes is caught. */
			uint8_t *buf = malloc(x->len ? x->len : 1);
			if (buf == NULL)
				abort();
			if (x->len)
				memcpy(buf, x->data, x->len);
			struct frame fr = {
			    .num = i + 1,
			    .ts_usec = x->ts_usec,
			    .caplen = (uint32_t)x->len,
			    .wirelen = (uint32_t)x->len,
			    .linktype = linktype,
			    .data = buf,
			};
			struct pkt p;
			st.frames++;
			st.bytes += x->len;
			decoder_frame(d, &fr, &p, &st);
			analysis_pkt(&a, &p);
			free(buf);
			/* A live view diagnoses again and again while packets come. */
			if (i == fs->n / 2)
				analysis_diagnose(&a, 0);
		}
		decoder_finish(d);
		analysis_finish(&a, &st, decoder_reasm_stats(d));
		decoder_free(d);
		analysis_free(&a);
	}
	fflush(fz_sink());
}

void
fz_split(const uint8_t *data, size_t size, struct fz_frames *fs)
{
	struct rd r = rd_init(data, size, size);
	uint64_t ts = 1700000000000000ULL;
	fs->n = 0;
	while (fs->n < FZ_MAX_FRAMES && rd_left(&r) >= 3) {
		uint8_t dt = rd_u8(&r);
		size_t len = rd_be16(&r);
		if (len > rd_left(&r))
			len = rd_left(&r);
		ts += (uint64_t)dt * 10000;
		struct fz_frame *x = &fs->f[fs->n++];
		x->data = r.p + r.off;
		x->len = len;
		x->ts_usec = ts;
		rd_skip(&r, len);
	}
}

static void
fz_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

size_t
fz_ip_datagram(uint8_t *out, size_t cap, int v6, uint8_t proto, uint16_t sport, uint16_t dport,
	       const uint8_t *payload, size_t len, int reverse)
{
	static const uint8_t a4[4] = {192, 0, 2, 1}, b4[4] = {198, 51, 100, 2};
	static const uint8_t a6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	static const uint8_t b6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
	size_t iph = v6 ? 40 : 20, l4h = proto == 17 ? 8 : 0;
	size_t total = iph + l4h + len;
	if (total > cap || total > 65535 || (v6 && total - 40 > 65535))
		return 0;
	memset(out, 0, iph + l4h);
	if (v6) {
		out[0] = 0x60;
		fz_put16(out + 4, (uint16_t)(total - 40));
		out[6] = proto;
		out[7] = 64;
		memcpy(out + 8, reverse ? b6 : a6, 16);
		memcpy(out + 24, reverse ? a6 : b6, 16);
	} else {
		out[0] = 0x45;
		fz_put16(out + 2, (uint16_t)total);
		out[8] = 64;
		out[9] = proto;
		memcpy(out + 12, reverse ? b4 : a4, 4);
		memcpy(out + 16, reverse ? a4 : b4, 4);
	}
	if (proto == 17) {
		fz_put16(out + iph, reverse ? dport : sport);
		fz_put16(out + iph + 2, reverse ? sport : dport);
		fz_put16(out + iph + 4, (uint16_t)(8 + len));
	}
	if (len)
		memcpy(out + iph + l4h, payload, len);
	return total;
}

int
fz_memfd(const uint8_t *data, size_t size, char *path, size_t pathlen)
{
	int fd = memfd_create("ikescope-fuzz", 0);
	if (fd < 0)
		abort();
	for (size_t off = 0; off < size;) {
		ssize_t w = write(fd, data + off, size - off);
		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	snprintf(path, pathlen, "/proc/self/fd/%d", fd);
	return fd;
}

void
fz_memfd_close(int fd)
{
	close(fd);
}

const char *
fz_srcdir(void)
{
	const char *s = getenv("SRCDIR");
	return s && *s ? s : IKESCOPE_SOURCE_DIR;
}

static int
fz_is_keys_dir(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 5 && strcmp(e->d_name + n - 5, ".keys") == 0;
}

static int
fz_not_dot(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

const struct keyring *
fz_sample_keys(void)
{
	static struct keyring k;
	static int loaded;
	if (loaded)
		return &k;
	loaded = 1;
	keyring_init(&k);
	char dir[4096], path[4096 + 512], err[512];
	snprintf(dir, sizeof(dir), "%s/samples", fz_srcdir());
	struct dirent **kd;
	int nk = scandir(dir, &kd, fz_is_keys_dir, alphasort);
	for (int i = 0; i < nk; i++) {
		char sub[4096 + 256];
		snprintf(sub, sizeof(sub), "%s/%s", dir, kd[i]->d_name);
		struct dirent **fe;
		int nf = scandir(sub, &fe, fz_not_dot, alphasort);
		for (int j = 0; j < nf; j++) {
			snprintf(path, sizeof(path), "%s/%s", sub, fe[j]->d_name);
			keyring_load(&k, path, err,
				     sizeof(err)); /* a clash: that file is left out */
			free(fe[j]);
		}
		if (nf >= 0)
			free(fe);
		free(kd[i]);
	}
	if (nk >= 0)
		free(kd);
	/* Wireshark's key files of ../shared/conformance, where it is present. */
	static const char *const shared[] = {
	    "wireshark/config/esp_sa",
	    "wireshark/config/ikev1_decryption_table",
	    "wireshark/wiki-samples/ikev2-esp-natt-aes-gcm-ctr-cbc/ikev2_decryption_table",
	    "wireshark/wiki-samples/ikev2-esp-natt-aes-gcm-ctr-cbc/esp_sa",
	    "wireshark/wiki-samples/ipsec_esp_capture_1/esp_sa",
	    "wireshark/wiki-samples/ipsec_esp_capture_2/esp_sa",
	    "wireshark/wiki-samples/ipsec_esp_capture_3/esp_sa",
	    "wireshark/wiki-samples/ipsec_esp_capture_5/esp_sa",
	    "tcpdump/tests/ikev2pI2.wireshark-ikev2_decryption_table",
	};
	const char *sh = getenv("SHARED");
	for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++) {
		if (sh && *sh)
			snprintf(path, sizeof(path), "%s/conformance/%s", sh, shared[i]);
		else
			snprintf(path, sizeof(path), "%s/../shared/conformance/%s", fz_srcdir(),
				 shared[i]);
		if (access(path, R_OK) == 0)
			keyring_load(&k, path, err, sizeof(err));
	}
	return &k;
}
