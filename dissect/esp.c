/* ESP (RFC 4303 §2): SPI and sequence number; beyond them everything is ciphertext. */
#include "dissect/ike.h"

void
esp_parse(struct rd *r, struct esp_hdr *e)
{
	e->spi = rd_be32(r);
	e->has_spi = rd_ok(r);
	e->seq = rd_be32(r);
	e->truncated = !rd_ok(r);
}
