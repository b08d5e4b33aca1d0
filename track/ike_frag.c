/* IKE-level fragment reassembly (see ike_frag.h). */
#include <stdlib.h>
#include <string.h>

#include "track/ike_frag.h"

void
ike_frag_init(struct ike_frag_table *t, ike_frag_lost_fn lost, void *ctx)
{
	memset(t, 0, sizeof(*t));
	t->lost = lost;
	t->ctx = ctx;
}

static void
ike_frag_release(struct ike_frag_msg *m)
{
	free(m->data);
	memset(m, 0, sizeof(*m));
}

void
ike_frag_free(struct ike_frag_table *t)
{
	for (size_t i = 0; i < IKE_FRAG_INFLIGHT; i++)
		ike_frag_release(&t->msg[i]);
	ike_frag_release(&t->finished);
	free(t->joined);
	t->joined = NULL;
}

static bool
ike_frag_key_eq(const struct ike_frag_key *a, const struct ike_frag_key *b)
{
	return a->version == b->version && a->id == b->id && a->sport == b->sport &&
	       memcmp(a->spi_i, b->spi_i, 8) == 0 && memcmp(a->spi_r, b->spi_r, 8) == 0 &&
	       ip_addr_eq(&a->src, &b->src);
}

/* The message's slot, or a new one (evicting the oldest when all are busy). */
static struct ike_frag_msg *
ike_frag_slot(struct ike_frag_table *t, const struct ike_frag_key *k, uint64_t ts)
{
	struct ike_frag_msg *free_slot = NULL, *oldest = NULL;
	for (size_t i = 0; i < IKE_FRAG_INFLIGHT; i++) {
		struct ike_frag_msg *m = &t->msg[i];
		if (!m->in_use) {
			if (free_slot == NULL)
				free_slot = m;
			continue;
		}
		if (ike_frag_key_eq(&m->key, k))
			return m;
		if (oldest == NULL || m->first_ts < oldest->first_ts)
			oldest = m;
	}
	struct ike_frag_msg *m = free_slot;
	if (m == NULL) {
		t->evicted++;
		if (t->lost)
			t->lost(t->ctx, oldest);
		ike_frag_release(oldest);
		m = oldest;
	}
	m->in_use = true;
	m->key = *k;
	m->first_ts = ts;
	return m;
}

/* IKEv1: the fragments' data in order, once the last one and all before it are here. */
static bool
ike_frag_join(struct ike_frag_table *t, const struct ike_frag_msg *m)
{
	size_t total = 0;
	for (uint16_t n = 0; n < m->total; n++)
		total += m->len[n];
	uint8_t *buf = xrealloc(t->joined, total ? total : 1, 1);
	size_t o = 0;
	for (uint16_t n = 0; n < m->total; n++) {
		/* Fragments may all be empty: then m->data was never allocated. */
		if (m->len[n] == 0)
			continue;
		memcpy(buf + o, m->data + m->off[n], m->len[n]);
		o += m->len[n];
	}
	t->joined = buf;
	t->joined_len = total;
	return true;
}

static bool
ike_frag_complete(const struct ike_frag_msg *m)
{
	if (m->total == 0 || m->received < m->total)
		return false;
	for (uint16_t n = 1; n <= m->total; n++)
		if (!(m->have[(n - 1) / 64] & (1ULL << ((n - 1) % 64))))
			return false;
	return true;
}

enum ike_frag_state
ike_frag_add(struct ike_frag_table *t, const struct ike_frag_key *k, uint16_t n, uint16_t total,
	     bool last, const uint8_t *data, size_t len, uint64_t frame, uint64_t ts,
	     const struct ike_frag_msg **done)
{
	*done = NULL;
	/* Fragment numbers start at 1; beyond the bound the message is not tracked. */
	if (n == 0 || n > IKE_FRAG_MAX || total > IKE_FRAG_MAX || (k->version == 2 && n > total)) {
		t->refused++;
		return IKE_FRAG_REFUSED;
	}
	struct ike_frag_msg *m = ike_frag_slot(t, k, ts);
	uint64_t bit = 1ULL << ((n - 1) % 64);
	if (m->have[(n - 1) / 64] & bit)
		return IKE_FRAG_DUPLICATE;
	if (data != NULL) {
		/* The reassembled message is bounded like an IP datagram. */
		if (len > IKE_FRAG_MAX_BYTES - m->used) {
			t->refused++;
			return IKE_FRAG_REFUSED;
		}
		if (len) {
			m->data = xrealloc(m->data, m->used + len, 1);
			memcpy(m->data + m->used, data, len);
		}
		m->off[n - 1] = (uint32_t)m->used;
		m->len[n - 1] = (uint32_t)len;
		m->used += len;
	}
	if (k->version == 1) {
		if (last)
			m->total = n;
	} else {
		m->total = total;
	}
	m->have[(n - 1) / 64] |= bit;
	m->received++;
	if (m->nframes < IKE_FRAG_FRAMES)
		m->frames[m->nframes++] = frame;
	if (!ike_frag_complete(m))
		return IKE_FRAG_PARTIAL;
	t->completed++;
	t->joined_len = 0;
	if (m->used || k->version == 1)
		ike_frag_join(t, m);
	/* Keep the finished record until the next call: the caller reads *done. */
	free(t->finished.data);
	t->finished = *m;
	memset(m, 0, sizeof(*m));
	*done = &t->finished;
	return IKE_FRAG_COMPLETE;
}

void
ike_frag_finish(struct ike_frag_table *t)
{
	for (size_t i = 0; i < IKE_FRAG_INFLIGHT; i++) {
		struct ike_frag_msg *m = &t->msg[i];
		if (!m->in_use)
			continue;
		t->incomplete++;
		if (t->lost)
			t->lost(t->ctx, m);
		ike_frag_release(m);
	}
}

void
ike_frag_set_first_inner(struct ike_frag_table *t, const struct ike_frag_key *k,
			 uint8_t first_inner)
{
	for (size_t i = 0; i < IKE_FRAG_INFLIGHT; i++)
		if (t->msg[i].in_use && ike_frag_key_eq(&t->msg[i].key, k)) {
			t->msg[i].first_inner = first_inner;
			return;
		}
}
