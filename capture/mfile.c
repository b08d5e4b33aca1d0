/*
 * Reading the records of a regular capture file straight from a read-only
 * mapping, beside libpcap: read(2) copies every byte of the file into
 * libpcap's buffer, which costs more than the rest of the analysis of an ESP
 * packet.  Here a record's bytes are read in place.
 *
 * libpcap stays the authority.  It opens and checks the file (cap_open_file),
 * and this reader only takes the plain cases, which libpcap reads the same
 * way: classic pcap 2.4 records whose length is within the snapshot length,
 * and pcapng Enhanced Packet Blocks of one section whose interfaces share the
 * link type and snapshot length, with decimal time stamp resolutions.  At
 * the first record that is anything else (cut short, oversized, a Simple or
 * obsolete Packet Block, a second section, a binary resolution, an option
 * that lies), the reader stops and libpcap reads on from that record, so
 * errors and odd files keep libpcap's behaviour and words
 * (tests/unit/test_mfile.c and tests/fuzz/fuzz_pcap.c compare the two readers
 * frame by frame).
 *
 * Every length comes from the file and is checked against what is mapped.
 * The pages behind the cursor are dropped as it goes (MADV_DONTNEED), so the
 * resident memory does not grow with the file; the page tables ahead of it
 * are filled in advance (MADV_POPULATE_READ).  For files of MF_HELPER_MIN
 * bytes and more, a helper thread does both on the other core, told where
 * the cursor is at every MF_DROP_STEP; it only ever calls madvise on the
 * mapping and takes no signals.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pthread.h>
#include <signal.h>

#include "capture/cap_int.h"

#define MF_MAX_CAPLEN 262144u		      /* libpcap's largest snapshot for our link types */
#define MF_MAX_BLOCK  (MF_MAX_CAPLEN + 4096u) /* larger pcapng blocks go to libpcap */
#define MF_MAX_IFACES 256
#define MF_PREFETCH   4096	  /* bytes prefetched ahead of the cursor */
#define MF_DROP_STEP  (1u << 20)  /* drop mapped pages in steps of this much */
#define MF_HELPER_MIN (16u << 20) /* files this large get the helper thread */
#define MF_LAG_MAX    (4u << 20)  /* the reader waits when the helper is this far behind */

enum mf_kind { MF_PCAP, MF_PCAPNG };

struct mf_iface {
	uint64_t tsresol;  /* units per second, a power of ten */
	uint64_t up, down; /* fraction scaling to microseconds: * up, / down */
};

struct mfile {
	uint8_t *base; /* PROT_READ: never written */
	size_t size;
	size_t off;	  /* the next record or block */
	size_t dropped;	  /* pages before this offset were given back */
	size_t populated; /* page tables are filled up to here */
	size_t next_step; /* mf_window's next turn */
	/*
	 * Large files: a helper thread does the page-table work (populate ahead,
	 * drop behind) on the other core while this one reads; it is told where
	 * the cursor is at every step.  Only ever madvise, on the mapping.
	 */
	bool helper;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t told;	/* the cursor as last told (under mu) */
	size_t done;	/* the cursor the helper moved the window to (under mu) */
	bool stop;	/* under mu */
	size_t fetched; /* cache lines are prefetched up to here */
	enum mf_kind kind;
	bool swap;	   /* the file's byte order is not ours */
	bool nsec;	   /* classic pcap with nanosecond stamps */
	uint32_t snapshot; /* as libpcap adjusts it */
	uint32_t linktype; /* pcapng: the first interface's, as written */
	uint32_t niface;
	struct mf_iface iface[MF_MAX_IFACES];
};

static uint32_t
mf_u32(const struct mfile *m, const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return m->swap ? __builtin_bswap32(v) : v;
}

static uint16_t
mf_u16(const struct mfile *m, const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return m->swap ? __builtin_bswap16(v) : v;
}

/* libpcap's pcap_adjust_snapshot for our link types. */
static uint32_t
mf_snapshot(uint32_t snaplen)
{
	return snaplen == 0 || snaplen > MF_MAX_CAPLEN ? MF_MAX_CAPLEN : snaplen;
}

static bool
mf_open_pcap(struct mfile *m)
{
	if (m->size < 24)
		return false;
	uint32_t magic;
	memcpy(&magic, m->base, 4);
	switch (magic) {
	case 0xa1b2c3d4:
		break;
	case 0xd4c3b2a1:
		m->swap = true;
		break;
	case 0xa1b23c4d:
		m->nsec = true;
		break;
	case 0x4d3cb2a1:
		m->swap = m->nsec = true;
		break;
	default:
		return false;
	}
	/* Older minor versions swap caplen and len; leave them to libpcap. */
	if (mf_u16(m, m->base + 4) != 2 || mf_u16(m, m->base + 6) != 4)
		return false;
	m->snapshot = mf_snapshot(mf_u32(m, m->base + 16));
	m->kind = MF_PCAP;
	m->off = 24;
	return true;
}

/*
 * An Interface Description Block's body (after the block header): link type,
 * snapshot length, if_tsresol and if_tsoffset.  False for anything this
 * reader leaves to libpcap.
 */
static bool
mf_idb(struct mfile *m, const uint8_t *b, size_t len)
{
	if (len < 8 || m->niface >= MF_MAX_IFACES)
		return false;
	uint32_t lt = mf_u16(m, b);
	uint32_t snap = mf_snapshot(mf_u32(m, b + 4));
	if (m->niface == 0) {
		m->linktype = lt;
		m->snapshot = snap;
	} else if (lt != m->linktype || snap != m->snapshot) {
		return false; /* libpcap refuses this file from here on, in its own words */
	}
	struct mf_iface *f = &m->iface[m->niface];
	f->tsresol = 1000000;
	bool seen_res = false, seen_off = false;
	size_t o = 8;
	/* Each turn consumes 4 bytes at least: bounded by the block length. */
	/*
	 * libpcap's strictness: every option header whole, every value with its
	 * padding within the block, until the end of the block or an end-of-options
	 * (anything else is "too short" to it: handed over, so it says so).
	 */
	while (o < len) {
		if (len - o < 4)
			return false;
		uint16_t code = mf_u16(m, b + o), olen = mf_u16(m, b + o + 2);
		o += 4;
		/* The value must fit, padded, even that of the end of options. */
		if ((((size_t)olen + 3) & ~(size_t)3) > len - o)
			return false;
		if (code == 0) {
			if (olen != 0) /* libpcap refuses an end of options with a value */
				return false;
			break;
		}
		if (code == 9) { /* if_tsresol */
			if (olen != 1 || seen_res || (b[o] & 0x80) || b[o] > 9)
				return false;
			seen_res = true;
			uint64_t r = 1;
			for (unsigned i = 0; i < b[o]; i++)
				r *= 10;
			f->tsresol = r;
		} else if (code == 14) { /* if_tsoffset */
			if (olen != 8 || seen_off)
				return false;
			seen_off = true;
			uint64_t v;
			memcpy(&v, b + o, 8);
			/* An offset moves every stamp; libpcap's arithmetic for it is its own. */
			if (v != 0)
				return false;
		}
		o += ((size_t)olen + 3) & ~(size_t)3;
	}
	f->up = f->tsresol < 1000000 ? 1000000 / f->tsresol : 1;
	f->down = f->tsresol > 1000000 ? f->tsresol / 1000000 : 1;
	m->niface++;
	return true;
}

/* The first block: a Section Header Block libpcap accepted. */
static bool
mf_open_pcapng(struct mfile *m)
{
	if (m->size < 28)
		return false;
	uint32_t type, bom;
	memcpy(&type, m->base, 4);
	memcpy(&bom, m->base + 8, 4);
	if (type != 0x0a0d0d0a)
		return false;
	if (bom == 0x4d3c2b1a)
		m->swap = true;
	else if (bom != 0x1a2b3c4d)
		return false;
	uint32_t len = mf_u32(m, m->base + 4);
	if (len < 28 || len > m->size || len > MF_MAX_BLOCK || (len & 3) ||
	    mf_u32(m, m->base + len - 4) != len || mf_u16(m, m->base + 12) != 1)
		return false;
	m->kind = MF_PCAPNG;
	m->off = len;
	return true;
}

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22 /* Linux 5.14 */
#endif

/*
 * At a cursor position: the pages MF_DROP_STEP and more behind it are given
 * back (they are only re-read from the file, never written), and the page
 * tables for the next three steps are filled in one call instead of a fault
 * per few pages (older kernels refuse MADV_POPULATE_READ; the faults then
 * happen as before).
 */
static void
mf_window_at(struct mfile *m, size_t off)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t upto = off > MF_DROP_STEP ? (off - MF_DROP_STEP) & ~(page - 1) : 0;
	if (upto > m->dropped) {
		madvise(m->base + m->dropped, upto - m->dropped, MADV_DONTNEED);
		m->dropped = upto;
	}
	size_t from = (m->populated > off ? m->populated : off) & ~(page - 1);
	size_t to = off + 3 * (size_t)MF_DROP_STEP;
	if (to > m->size)
		to = m->size;
	if (to > from) {
		madvise(m->base + from, to - from, MADV_POPULATE_READ);
		m->populated = to;
	}
}

static void *
mf_helper(void *arg)
{
	struct mfile *m = arg;
	size_t done = SIZE_MAX;
	pthread_mutex_lock(&m->mu);
	/* Each turn waits for a new position or the stop: bounded by the file. */
	for (;;) {
		while (!m->stop && m->told == done)
			pthread_cond_wait(&m->cv, &m->mu);
		if (m->stop)
			break;
		done = m->told;
		pthread_mutex_unlock(&m->mu);
		mf_window_at(m, done);
		pthread_mutex_lock(&m->mu);
		m->done = done;
		pthread_cond_broadcast(&m->cv);
	}
	pthread_mutex_unlock(&m->mu);
	return NULL;
}

/* Every MF_DROP_STEP of the cursor: the window moves, by the helper where there is one. */
static void
mf_window(struct mfile *m)
{
	if (m->off < m->next_step)
		return;
	m->next_step = m->off + MF_DROP_STEP;
	if (!m->helper) {
		mf_window_at(m, m->off);
		return;
	}
	pthread_mutex_lock(&m->mu);
	m->told = m->off;
	pthread_cond_broadcast(&m->cv);
	/*
	 * Held back while the helper is more than MF_LAG_MAX behind (a busy other
	 * core): the pages it has not dropped yet are resident, and they must not
	 * grow with the file.
	 */
	while (m->off - m->done > MF_LAG_MAX && !m->stop)
		pthread_cond_wait(&m->cv, &m->mu);
	pthread_mutex_unlock(&m->mu);
}

/*
 * A mapped file that another program truncates while it is read raises
 * SIGBUS at the first page past its new end.  Where nothing else handles
 * SIGBUS, the program then says so in one line and exits with status 1 (the
 * same as a read error) instead of dumping core.
 */
static char mf_bus_msg[512];
static size_t mf_bus_len;
static const uint8_t *volatile mf_bus_base; /* the mapping of the file being read */
static volatile size_t mf_bus_size;

static void
mf_on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	/* Only a fault has an address (si_code > 0); a SIGBUS that was sent has none. */
	const uint8_t *a = si && si->si_code > 0 ? (const uint8_t *)si->si_addr : NULL;
	if (mf_bus_base == NULL || a < mf_bus_base || a >= mf_bus_base + mf_bus_size) {
		/* Not our file's pages: the default action, as if we were not here. */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	ssize_t w = write(STDERR_FILENO, mf_bus_msg, mf_bus_len);
	(void)w;
	_exit(1);
}

static void
mf_sigbus_install(const struct mfile *m, const char *path)
{
	struct sigaction cur;
	if (sigaction(SIGBUS, NULL, &cur) != 0)
		return;
	if ((cur.sa_flags & SA_SIGINFO) ? cur.sa_sigaction != mf_on_sigbus
					: cur.sa_handler != SIG_DFL)
		return; /* somebody else's (the TUI restores the terminal) */
	mf_bus_base = m->base;
	mf_bus_size = m->size;
	int n = snprintf(mf_bus_msg, sizeof(mf_bus_msg),
			 "ikescope: %s: the file shrank while it was being read\n", path);
	mf_bus_len = n > 0 && (size_t)n < sizeof(mf_bus_msg) ? (size_t)n : 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = mf_on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

struct mfile *
mfile_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat sb;
	struct mfile *m = NULL;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size >= 24) {
		void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p != MAP_FAILED) {
			madvise(p, (size_t)sb.st_size, MADV_SEQUENTIAL);
			m = xcalloc(1, sizeof(*m));
			m->base = p;
			m->size = (size_t)sb.st_size;
			if (!mf_open_pcap(m) && !mf_open_pcapng(m)) {
				mfile_close(m);
				m = NULL;
			} else {
				mf_sigbus_install(m, path);
			}
			if (m && m->size >= MF_HELPER_MIN) {
				pthread_mutex_init(&m->mu, NULL);
				pthread_cond_init(&m->cv, NULL);
				m->told = SIZE_MAX;
				m->done = 0;
				/* The helper takes no signals: they stay with the reading thread.
				 */
				sigset_t all, old;
				sigfillset(&all);
				pthread_sigmask(SIG_SETMASK, &all, &old);
				m->helper = pthread_create(&m->thread, NULL, mf_helper, m) == 0;
				pthread_sigmask(SIG_SETMASK, &old, NULL);
				if (!m->helper) {
					pthread_cond_destroy(&m->cv);
					pthread_mutex_destroy(&m->mu);
				}
			}
		}
	}
	close(fd);
	return m;
}

void
mfile_close(struct mfile *m)
{
	if (m == NULL)
		return;
	if (m->helper) {
		pthread_mutex_lock(&m->mu);
		m->stop = true;
		pthread_cond_broadcast(&m->cv);
		pthread_mutex_unlock(&m->mu);
		pthread_join(m->thread, NULL);
		pthread_cond_destroy(&m->cv);
		pthread_mutex_destroy(&m->mu);
	}
	if (mf_bus_base == m->base)
		mf_bus_base = NULL;
	munmap(m->base, m->size);
	free(m);
}

static enum mf_result
mf_next_pcap(struct mfile *m, struct mf_rec *r)
{
	if (m->off == m->size)
		return MF_END;
	if (m->size - m->off < 16)
		return MF_HANDOVER; /* a cut record header: libpcap says so */
	const uint8_t *h = m->base + m->off;
	uint32_t sec = mf_u32(m, h), frac = mf_u32(m, h + 4);
	uint32_t caplen = mf_u32(m, h + 8), len = mf_u32(m, h + 12);
	if (caplen > m->snapshot || caplen > m->size - m->off - 16)
		return MF_HANDOVER;
	/*
	 * libpcap's arithmetic, for files whose stamps are out of range: fields in
	 * the host's byte order are signed 32-bit values widened with their sign;
	 * byte-swapped ones come out of its swap unsigned.  Nanoseconds are then
	 * divided by 1000, truncating (tests/unit/test_mfile.c, all four cases).
	 */
	int64_t ssec = m->swap ? (int64_t)sec : (int64_t)(int32_t)sec;
	int64_t sfrac = m->swap ? (int64_t)frac : (int64_t)(int32_t)frac;
	if (m->nsec)
		sfrac /= 1000;
	r->ts_usec = (uint64_t)ssec * 1000000u + (uint64_t)sfrac;
	r->caplen = caplen;
	r->wirelen = len;
	r->data = h + 16;
	m->off += 16 + (size_t)caplen;
	return MF_REC;
}

static enum mf_result
mf_next_pcapng(struct mfile *m, struct mf_rec *r)
{
	/* Each turn consumes a block of 12 bytes at least: bounded by the file size. */
	for (;;) {
		if (m->off == m->size)
			return MF_END;
		if (m->size - m->off < 12)
			return MF_HANDOVER;
		const uint8_t *b = m->base + m->off;
		uint32_t type = mf_u32(m, b), len = mf_u32(m, b + 4);
		if (len < 12 || (len & 3) || len > MF_MAX_BLOCK || len > m->size - m->off ||
		    mf_u32(m, b + len - 4) != len)
			return MF_HANDOVER;
		const uint8_t *body = b + 8;
		size_t blen = len - 12;
		switch (type) {
		case 1: /* IDB */
			if (!mf_idb(m, body, blen))
				return MF_HANDOVER;
			m->off += len;
			continue;
		case 6: { /* EPB */
			if (blen < 20)
				return MF_HANDOVER;
			uint32_t id = mf_u32(m, body);
			uint32_t caplen = mf_u32(m, body + 12), wire = mf_u32(m, body + 16);
			if (id >= m->niface || caplen > blen - 20 || caplen > m->snapshot)
				return MF_HANDOVER;
			const struct mf_iface *f = &m->iface[id];
			uint64_t t = (uint64_t)mf_u32(m, body + 4) << 32 | mf_u32(m, body + 8);
			uint64_t sec = t / f->tsresol, fr = t % f->tsresol;
			fr = fr * f->up / f->down;
			r->ts_usec = sec * 1000000u + fr;
			r->caplen = caplen;
			r->wirelen = wire;
			r->data = body + 20;
			m->off += len;
			return MF_REC;
		}
		case 0x0a0d0d0a: /* a new section */
		case 2:		 /* obsolete Packet Block */
		case 3:		 /* Simple Packet Block */
			return MF_HANDOVER;
		default: /* statistics, name resolution, custom: libpcap skips them too */
			m->off += len;
			continue;
		}
	}
}

enum mf_result
mfile_next(struct mfile *m, struct mf_rec *r)
{
	mf_window(m);
	/*
	 * Every cache line of the next MF_PREFETCH bytes is asked for ahead of
	 * use: the file streams from memory, and a record's first bytes would
	 * otherwise wait for it, one after the other.
	 */
	size_t want = m->off + MF_PREFETCH < m->size ? m->off + MF_PREFETCH : m->size;
	for (; m->fetched < want; m->fetched += 64)
		__builtin_prefetch(m->base + m->fetched);
	return m->kind == MF_PCAP ? mf_next_pcap(m, r) : mf_next_pcapng(m, r);
}

size_t
mfile_offset(const struct mfile *m)
{
	return m->off;
}

bool
mfile_is_pcapng(const struct mfile *m)
{
	return m->kind == MF_PCAPNG;
}
