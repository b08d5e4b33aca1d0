/*
 * Reading capture files through libpcap (pcap and pcapng, "-" for stdin),
 * with an optional BPF filter, and handing each decoded frame on.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture/cap_int.h"

char *
cap_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = xcalloc(n, 1);
	memcpy(d, s, n);
	return d;
}

struct cap *
cap_open_file(const char *path, const char *filter, char *err, size_t errlen, int *exit_code)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct stat sb;
	long long size = 0;
	*exit_code = 1;
	if (strcmp(path, "-") != 0) {
		if (stat(path, &sb) != 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return NULL;
		}
		if (S_ISDIR(sb.st_mode)) {
			snprintf(err, errlen, "%s: is a directory, not a capture file", path);
			return NULL;
		}
		if (S_ISREG(sb.st_mode)) {
			size = (long long)sb.st_size;
			if (size == 0) {
				snprintf(err, errlen, "%s: empty file, not a capture file", path);
				return NULL;
			}
		}
	}
	pcap_t *pc =
	    pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (pc == NULL) {
		/* libpcap's own words, with the file named once. */
		if (strncmp(ebuf, path, strlen(path)) == 0)
			snprintf(err, errlen, "%s", ebuf);
		else
			snprintf(err, errlen, "%s: %s", strcmp(path, "-") ? path : "stdin", ebuf);
		return NULL;
	}
	int lt = pcap_datalink(pc);
	if (!cap_linktype_supported(lt)) {
		snprintf(err, errlen, "%s: unsupported link type %d (%s)", path, lt,
			 cap_linktype_name(lt));
		pcap_close(pc);
		return NULL;
	}
	struct bpf_program prog;
	if (filter && *filter) {
		if (pcap_compile(pc, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
			snprintf(err, errlen, "bad filter expression '%s': %s", filter,
				 pcap_geterr(pc));
			pcap_close(pc);
			*exit_code = 2;
			return NULL;
		}
		if (pcap_setfilter(pc, &prog) != 0) {
			snprintf(err, errlen, "cannot set filter: %s", pcap_geterr(pc));
			pcap_freecode(&prog);
			pcap_close(pc);
			return NULL;
		}
	}
	struct cap *c = xcalloc(1, sizeof(*c));
	if (filter && *filter) {
		c->prog = prog;
		c->has_prog = true;
	}
	/* A regular file is read in place where it is plain (capture/mfile.c). */
	if (size > 0)
		c->mf = mfile_open(path);
	c->pc = pc;
	c->linktype = lt;
	c->file_size = size;
	c->source = cap_strdup(path);
	c->filter = cap_strdup(filter ? filter : "");
	*exit_code = 0;
	return c;
}

void
cap_close(struct cap *c)
{
	if (c == NULL)
		return;
	decoder_free(c->dec);
	mfile_close(c->mf);
	if (c->has_prog)
		pcap_freecode(&c->prog);
	pcap_close(c->pc);
	free(c->source);
	free(c->filter);
	free(c);
}

int
cap_linktype(const struct cap *c)
{
	return c->linktype;
}

const struct cap_stats *
cap_get_stats(const struct cap *c)
{
	return &c->st;
}

const struct reasm_stats *
cap_get_reasm_stats(const struct cap *c)
{
	return c->dec ? decoder_reasm_stats(c->dec) : NULL;
}

static void
cap_begin(struct cap *c, cap_drop_fn dropfn, void *ctx)
{
	if (c->dec == NULL)
		c->dec = decoder_new(dropfn, ctx);
}

void
cap_set_mapped(struct cap *c, bool on)
{
	if (!on) {
		mfile_close(c->mf);
		c->mf = NULL;
	}
}

static void
cap_frame(struct cap *c, uint64_t ts_usec, uint32_t caplen, uint32_t len, const uint8_t *data,
	  cap_pkt_fn fn, void *ctx)
{
	struct pkt p;
	struct frame fr;
	c->st.frames++;
	c->st.bytes += len;
	fr.num = c->st.frames;
	fr.ts_usec = ts_usec;
	fr.caplen = caplen;
	fr.wirelen = len;
	fr.linktype = c->linktype;
	fr.data = data;
	decoder_frame(c->dec, &fr, &p, &c->st);
	fn(ctx, &p);
}

/*
 * libpcap reads on from where the mapped reader stopped: a classic pcap file
 * from that record's offset; a pcapng file (whose interfaces libpcap must see
 * itself) by reading again, and passing over, the frames already delivered.
 */
static int
cap_handover(struct cap *c, char *err, size_t errlen)
{
	struct mfile *m = c->mf;
	c->mf = NULL;
	int rc = 0;
	if (!mfile_is_pcapng(m)) {
		if (fseeko(pcap_file(c->pc), (off_t)mfile_offset(m), SEEK_SET) != 0) {
			snprintf(err, errlen, "%s: %s", c->source, strerror(errno));
			rc = -1;
		}
	} else {
		struct pcap_pkthdr *h;
		const u_char *data;
		for (uint64_t i = 0; i < c->st.frames; i++) {
			if (pcap_next_ex(c->pc, &h, &data) != 1) {
				snprintf(err, errlen, "%s: changed while being read", c->source);
				rc = -1;
				break;
			}
		}
	}
	mfile_close(m);
	return rc;
}

/* The mapped reader's share of cap_dispatch: up to max frames; -1 to hand over. */
static int
cap_dispatch_mapped(struct cap *c, int max, cap_pkt_fn fn, void *ctx, bool *handover)
{
	struct mf_rec r;
	int n = 0;
	while (n < max && !c->stop) {
		enum mf_result res = mfile_next(c->mf, &r);
		if (res == MF_END)
			return n > 0 ? n : CAP_END;
		if (res == MF_HANDOVER) {
			*handover = true;
			return n;
		}
		if (c->has_prog) {
			struct pcap_pkthdr h = {.caplen = r.caplen, .len = r.wirelen};
			if (!pcap_offline_filter(&c->prog, &h, r.data))
				continue;
		}
		cap_frame(c, r.ts_usec, r.caplen, r.wirelen, r.data, fn, ctx);
		n++;
	}
	if (c->stop && n == 0)
		return CAP_END;
	return n;
}

int
cap_dispatch(struct cap *c, int max, cap_pkt_fn fn, cap_drop_fn dropfn, void *ctx, char *err,
	     size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int n = 0;
	cap_begin(c, dropfn, ctx);
	if (c->mf) {
		bool handover = false;
		n = cap_dispatch_mapped(c, max, fn, ctx, &handover);
		if (!handover)
			return n;
		if (cap_handover(c, err, errlen) != 0)
			return CAP_ERROR;
	}
	while (n < max) {
		int r = pcap_next_ex(c->pc, &h, &data);
		if (r == PCAP_ERROR_BREAK)
			return n > 0 ? n : CAP_END;
		if (r == PCAP_ERROR) {
			const char *msg = pcap_geterr(c->pc);
			snprintf(err, errlen, "%s", msg);
			/* libpcap says "truncated dump file" when the last record is cut short. */
			if (strstr(msg, "truncated") == NULL)
				return CAP_ERROR;
			c->st.file_truncated = true;
			return CAP_TRUNCATED;
		}
		if (r != 1)
			break; /* live: nothing waiting (non-blocking, or the timeout expired) */
		cap_frame(c, (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec, h->caplen,
			  h->len, data, fn, ctx);
		n++;
	}
	return n;
}

void
cap_done(struct cap *c)
{
	if (c->dec)
		decoder_finish(c->dec);
}

int
cap_run(struct cap *c, uint64_t max_packets, bool progress, cap_pkt_fn fn, cap_drop_fn dropfn,
	void *ctx, char *err, size_t errlen)
{
	int rc = 0;
	struct progress *pg = NULL;
	FILE *fp = pcap_file(c->pc);
	if (progress && c->file_size > 0 && fp != NULL)
		pg = progress_new(c->file_size);
	cap_begin(c, dropfn, ctx);
	for (;;) {
		int want = 4096;
		if (max_packets && max_packets - c->st.frames < (uint64_t)want)
			want = (int)(max_packets - c->st.frames);
		if (want == 0)
			break;
		int r = cap_dispatch(c, want, fn, dropfn, ctx, err, errlen);
		if (r == CAP_END)
			break;
		if (r == CAP_TRUNCATED || r == CAP_ERROR) {
			rc = r == CAP_TRUNCATED ? 1 : -1;
			break;
		}
		if (pg)
			progress_update(pg, c->mf ? (long long)mfile_offset(c->mf) : ftell(fp),
					c->st.frames);
	}
	cap_done(c);
	if (pg)
		progress_done(pg);
	return rc;
}
