/*
 * IKE-level fragment reassembly, bounded:
 *   IKEv2 SKF (RFC 7383): each fragment is encrypted on its own; without keys
 *   reassembly is knowing which of 1..total arrived (decryption joins the
 *   plaintexts).
 *   IKEv1 fragment payload 132 (Cisco, strongSwan): the fragments' data joined
 *   in order is a whole IKEv1 message, dissected like any other.
 */
#ifndef IKESCOPE_TRACK_IKE_FRAG_H
#define IKESCOPE_TRACK_IKE_FRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/util.h"

#define IKE_FRAG_MAX	   64	 /* fragments per message */
#define IKE_FRAG_INFLIGHT  64	 /* messages being reassembled at once */
#define IKE_FRAG_MAX_BYTES 65536 /* IKEv1 reassembled message size */
#define IKE_FRAG_FRAMES	   16	 /* frame numbers remembered per message */

struct ike_frag_key {
	uint8_t version;
	uint8_t spi_i[8], spi_r[8];
	uint32_t id; /* IKEv2 message ID; IKEv1 fragment ID */
	struct ip_addr src;
	uint16_t sport;
};

enum ike_frag_state {
	IKE_FRAG_PARTIAL,   /* more fragments to come */
	IKE_FRAG_COMPLETE,  /* this fragment completed the message */
	IKE_FRAG_DUPLICATE, /* a fragment number seen before (a retransmission) */
	IKE_FRAG_REFUSED,   /* beyond the bounds (number, total, size): not tracked */
};

struct ike_frag_msg {
	struct ike_frag_key key;
	uint16_t total;	   /* IKEv2: as announced; IKEv1: the number of the last fragment */
	uint16_t received; /* distinct fragments */
	uint64_t have[IKE_FRAG_MAX / 64]; /* bit n-1: fragment n arrived */
	uint64_t frames[IKE_FRAG_FRAMES];
	uint8_t nframes;
	uint64_t first_ts;
	uint8_t first_inner; /* IKEv2 SKF: fragment 1's next payload (the first inner one) */
	/* the data of each fragment (IKEv1; IKEv2 plaintexts when keys decrypt them) */
	uint8_t *data;
	uint32_t off[IKE_FRAG_MAX], len[IKE_FRAG_MAX];
	size_t used;
	bool in_use;
};

/* A message whose fragments never all arrived (reported at the end, or when evicted). */
typedef void (*ike_frag_lost_fn)(void *ctx, const struct ike_frag_msg *m);

struct ike_frag_table {
	struct ike_frag_msg msg[IKE_FRAG_INFLIGHT];
	struct ike_frag_msg finished; /* the last completed message */
	uint8_t *joined;	      /* the last completed IKEv1 message, reassembled */
	size_t joined_len;
	ike_frag_lost_fn lost;
	void *ctx;
	uint64_t completed, evicted, incomplete, refused;
};

void ike_frag_init(struct ike_frag_table *t, ike_frag_lost_fn lost, void *ctx);
void ike_frag_free(struct ike_frag_table *t);
/*
 * Adds fragment n (1-based).  IKEv2: total as announced, data may be NULL.
 * IKEv1: total 0, last set on the final fragment, data its bytes.  On
 * IKE_FRAG_COMPLETE, *done describes the message (valid until the next call)
 * and, when the fragments carried data (IKEv1; IKEv2 with data = the decrypted
 * plaintext), t->joined holds it reassembled.
 */
enum ike_frag_state ike_frag_add(struct ike_frag_table *t, const struct ike_frag_key *k, uint16_t n,
				 uint16_t total, bool last, const uint8_t *data, size_t len,
				 uint64_t frame, uint64_t ts, const struct ike_frag_msg **done);
/* IKEv2 SKF: records fragment 1's first inner payload type for the joined plaintext. */
void ike_frag_set_first_inner(struct ike_frag_table *t, const struct ike_frag_key *k,
			      uint8_t first_inner);
/* End of input: every message still incomplete is reported through lost. */
void ike_frag_finish(struct ike_frag_table *t);

#endif
