/*
 * bench/floor: the libpcap floor P of the benchmark (issue 9).  Opens a pcap or
 * pcapng file and counts its packets and their wire bytes with pcap_loop,
 * touching nothing else; prints "PACKETS BYTES".
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>

struct count {
	uint64_t packets, bytes;
};

static void
floor_count(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct count *c = (struct count *)user;
	(void)data;
	c->packets++;
	c->bytes += h->len;
}

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	if (argc != 2) {
		fprintf(stderr, "usage: floor FILE\n");
		return 2;
	}
	pcap_t *p = pcap_open_offline(argv[1], err);
	if (p == NULL) {
		fprintf(stderr, "floor: %s\n", err);
		return 1;
	}
	struct count c = {0, 0};
	int rc = pcap_loop(p, -1, floor_count, (u_char *)&c);
	if (rc == PCAP_ERROR)
		fprintf(stderr, "floor: %s\n", pcap_geterr(p));
	pcap_close(p);
	printf("%llu %llu\n", (unsigned long long)c.packets, (unsigned long long)c.bytes);
	return rc == PCAP_ERROR;
}
