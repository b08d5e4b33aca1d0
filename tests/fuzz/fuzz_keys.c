/*
 * A key file (any format keyring_load recognises: Wireshark's IKEv2 / IKEv1
 * decryption tables and esp_sa, the extended lines); when it loads, three
 * samples are analysed with it (IKEv2 AES-CBC and AES-GCM with ESP, IKEv1
 * aggressive mode), so keys of odd lengths and algorithms meet real messages.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/pipeline.h"
#include "tests/fuzz/fuzz.h"

struct fz_sample {
	struct fz_frames fs;
	int linktype;
};

/* cap_run's callback: keeps a copy of every frame of the sample. */
static void
fz_keys_keep(void *ctx, const struct pkt *p)
{
	struct fz_sample *s = ctx;
	if (s->fs.n == FZ_MAX_FRAMES)
		return;
	uint8_t *copy = malloc(p->fr->caplen ? p->fr->caplen : 1);
	if (copy == NULL)
		abort();
	memcpy(copy, p->fr->data, p->fr->caplen);
	s->fs.f[s->fs.n++] = (struct fz_frame){copy, p->fr->caplen, p->fr->ts_usec};
	s->linktype = p->fr->linktype;
}

static void
fz_keys_ignore(void *ctx, const struct reasm_datagram *d)
{
	(void)ctx;
	(void)d;
}

static void
fz_keys_load(struct fz_sample *s, const char *name)
{
	char path[4096], err[512];
	int code;
	snprintf(path, sizeof(path), "%s/samples/%s", fz_srcdir(), name);
	struct cap *c = cap_open_file(path, NULL, err, sizeof(err), &code);
	if (c == NULL) {
		fprintf(stderr, "fuzz_keys: %s\n", err);
		abort();
	}
	cap_run(c, 0, false, fz_keys_keep, fz_keys_ignore, s, err, sizeof(err));
	cap_close(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_sample samples[3];
	static int loaded;
	if (!loaded) {
		fz_keys_load(&samples[0], "ikev2-success-aes-cbc.pcap");
		fz_keys_load(&samples[1], "ikev2-success-aes-gcm.pcap");
		fz_keys_load(&samples[2], "ikev1-aggressive-success.pcap");
		loaded = 1;
	}
	char path[64], err[512];
	int fd = fz_memfd(data, size, path, sizeof(path));
	struct keyring k;
	keyring_init(&k);
	int rc = keyring_load(&k, path, err, sizeof(err));
	fz_memfd_close(fd);
	if (rc == 0 && !keyring_empty(&k))
		for (int i = 0; i < 3; i++)
			fz_analyze(&samples[i].fs, samples[i].linktype, &k);
	keyring_free(&k);
	return 0;
}
