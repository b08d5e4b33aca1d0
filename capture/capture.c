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
	if (filter && *filter) {
		struct bpf_program prog;
		if (pcap_compile(pc, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
			snprintf(err, errlen, "bad filter expression '%s': %s", filter,
				 pcap_geterr(pc));
			pcap_close(pc);
			*exit_code = 2;
			return NULL;
		}
		int rc = pcap_setfilter(pc, &prog);
		pcap_freecode(&prog);
		if (rc != 0) {
			snprintf(err, errlen, "cannot set filter: %s", pcap_geterr(pc));
			pcap_close(pc);
			return NULL;
		}
	}
	struct cap *c = xcalloc(1, sizeof(*c));
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

int
cap_dispatch(struct cap *c, int max, cap_pkt_fn fn, cap_drop_fn dropfn, void *ctx, char *err,
	     size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	struct pkt p;
	struct frame fr;
	int n = 0;
	cap_begin(c, dropfn, ctx);
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
		c->st.frames++;
		c->st.bytes += h->len;
		fr.num = c->st.frames;
		fr.ts_usec = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
		fr.caplen = h->caplen;
		fr.wirelen = h->len;
		fr.linktype = c->linktype;
		fr.data = data;
		decoder_frame(c->dec, &fr, &p, &c->st);
		fn(ctx, &p);
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
			progress_update(pg, ftell(fp), c->st.frames);
	}
	cap_done(c);
	if (pg)
		progress_done(pg);
	return rc;
}
