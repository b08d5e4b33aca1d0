/*
 * Link layers: Ethernet II with 802.1Q / 802.1ad tags, Linux cooked capture
 * (SLL, SLL2), raw IP (DLT_RAW, DLT_IPV4, DLT_IPV6) and BSD loopback
 * (DLT_NULL in host byte order, DLT_LOOP in network byte order).
 */
#include <pcap/pcap.h>

#include "capture/capture.h"

#define ETH_IPV4      0x0800
#define ETH_IPV6      0x86dd
#define MAX_VLAN_TAGS 4

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

static const struct {
	int dlt;
	const char *name;
} link_names[] = {
    {DLT_EN10MB, "Ethernet"},
    {DLT_LINUX_SLL, "Linux cooked (SLL)"},
    {DLT_LINUX_SLL2, "Linux cooked v2 (SLL2)"},
    {DLT_RAW, "raw IP"},
    {DLT_IPV4, "raw IPv4"},
    {DLT_IPV6, "raw IPv6"},
    {DLT_NULL, "BSD loopback (NULL)"},
    {DLT_LOOP, "OpenBSD loopback (LOOP)"},
#if defined(DLT_RAW) && DLT_RAW != 14
    {14, "raw IP"},
#endif
};

bool
cap_linktype_supported(int linktype)
{
	for (size_t i = 0; i < ARRAY_LEN(link_names); i++)
		if (link_names[i].dlt == linktype)
			return true;
	return false;
}

const char *
cap_linktype_name(int linktype)
{
	for (size_t i = 0; i < ARRAY_LEN(link_names); i++)
		if (link_names[i].dlt == linktype)
			return link_names[i].name;
	const char *n = pcap_datalink_val_to_name(linktype);
	return n ? n : "unknown";
}

/* The version nibble decides for link types that carry bare IP. */
static bool
link_by_version(struct rd *r, uint16_t *ethertype)
{
	uint8_t b;
	if (!rd_peek_u8(r, 0, &b))
		return false;
	if (b >> 4 == 4)
		*ethertype = ETH_IPV4;
	else if (b >> 4 == 6)
		*ethertype = ETH_IPV6;
	else
		return false;
	return true;
}

/* BSD address families for IPv6 differ between systems (Linux 10, BSDs 24/28/30). */
static bool
link_null_family(uint32_t af, uint16_t *ethertype)
{
	if (af == 2) {
		*ethertype = ETH_IPV4;
		return true;
	}
	if (af == 10 || af == 24 || af == 28 || af == 30) {
		*ethertype = ETH_IPV6;
		return true;
	}
	return false;
}

bool
link_to_ip(int linktype, struct rd *r, uint16_t *ethertype)
{
	switch (linktype) {
	case DLT_EN10MB: {
		rd_skip(r, 12);
		uint16_t type = rd_be16(r);
		/* Tagged frames: each tag is TCI then the next ethertype; the count is capped. */
		for (int i = 0; i < MAX_VLAN_TAGS && (type == 0x8100 || type == 0x88a8 ||
						      type == 0x9100 || type == 0x9200);
		     i++) {
			rd_skip(r, 2);
			type = rd_be16(r);
		}
		*ethertype = type;
		return rd_ok(r) && (type == ETH_IPV4 || type == ETH_IPV6);
	}
	case DLT_LINUX_SLL:
		rd_skip(r, 14);
		*ethertype = rd_be16(r);
		return rd_ok(r) && (*ethertype == ETH_IPV4 || *ethertype == ETH_IPV6);
	case DLT_LINUX_SLL2:
		*ethertype = rd_be16(r);
		rd_skip(r, 18);
		return rd_ok(r) && (*ethertype == ETH_IPV4 || *ethertype == ETH_IPV6);
	case DLT_RAW:
	case 14:
	case DLT_IPV4:
	case DLT_IPV6:
		return link_by_version(r, ethertype);
	case DLT_NULL: {
		/* Host byte order of the machine that wrote the file: try both. */
		uint32_t af = rd_le32(r);
		if (!rd_ok(r))
			return false;
		if (link_null_family(af, ethertype))
			return true;
		af = (af >> 24) | ((af >> 8) & 0xff00) | ((af << 8) & 0xff0000) | (af << 24);
		return link_null_family(af, ethertype);
	}
	case DLT_LOOP: {
		uint32_t af = rd_be32(r);
		return rd_ok(r) && link_null_family(af, ethertype);
	}
	default:
		return false;
	}
}
