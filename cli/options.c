/* Option parsing: tcpdump's letters where tcpdump has the same meaning. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"
#include "diagnose/diag.h"

enum {
	OPT_JSON = 256,
	OPT_LIST_FINDINGS,
	OPT_FAIL_ON,
	OPT_VERSION,
	OPT_PROFILE,
	OPT_KEYS,
	OPT_PSK,
	OPT_PSK_FILE,
	OPT_TUI = 300,
	OPT_REALTIME,
	OPT_COLOR,
	OPT_NO_TUI
};

static const struct option long_opts[] = {
    {"json", no_argument, NULL, OPT_JSON},
    {"list-findings", no_argument, NULL, OPT_LIST_FINDINGS},
    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"keys", required_argument, NULL, OPT_KEYS},
    {"psk", required_argument, NULL, OPT_PSK},
    {"psk-file", required_argument, NULL, OPT_PSK_FILE},
    {"version", no_argument, NULL, OPT_VERSION},
    {"tui", no_argument, NULL, OPT_TUI},
    {"realtime", no_argument, NULL, OPT_REALTIME},
    {"color", required_argument, NULL, OPT_COLOR},
    {"no-tui", no_argument, NULL, OPT_NO_TUI},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

void
options_usage(FILE *f)
{
	fputs(
	    "Usage: ikescope [options] -r FILE [BPF expression]\n"
	    "       ikescope [options] -i IFACE [BPF expression]\n"
	    "       ikescope --tui [--realtime] [options] -r FILE\n"
	    "       ikescope --list-findings\n"
	    "       ikescope probe [options] HOST   (active IKE probe; 'probe --help')\n"
	    "\n"
	    "Reads a capture of IKE/IPsec traffic (pcap or pcapng; '-' is stdin), dissects\n"
	    "IKEv1, IKEv2, NAT-T and ESP, and reports what it finds.\n"
	    "\n"
	    "Options:\n"
	    "  -r FILE            read a capture file ('-' for stdin)\n"
	    "  -i IFACE           capture live on IFACE: the ncurses view on a terminal,\n"
	    "                     otherwise findings streamed as they are raised (text,\n"
	    "                     or NDJSON with --json); SIGUSR1 prints the packet and\n"
	    "                     drop counts, SIGINT/SIGTERM stop\n"
	    "  -B KiB             kernel capture buffer for -i, in KiB\n"
	    "  -w FILE            also write every packet the analysis used (IKE, NAT-T,\n"
	    "                     ESP, fragments, ICMP errors) to a pcap file\n"
	    "  -Z USER            after opening the capture (and -w), run as USER\n"
	    "                     (default with -i as root: nobody)\n"
	    "  --no-tui           with -i, stream text or NDJSON even on a terminal\n"
	    "  -c N               stop after N packets\n"
	    "  -n                 no name resolution (the default; accepted for habit)\n"
	    "  -v, -vv            per-packet lines; -vv adds the SPIs and every payload\n"
	    "  -q                 summary only\n"
	    "  --json             NDJSON records on stdout instead of text\n"
	    "  --fail-on LEVEL    exit 4 when a finding of LEVEL (error, warning, info)\n"
	    "                     or worse is raised\n"
	    "  --profile NAME|FILE  check every offered IKE proposal against a gateway\n"
	    "                     profile: azure-policy-based, azure-route-based, or a\n"
	    "                     profile file (see ikescope(1), PROFILES)\n"
	    "  --keys FILE        key material (Wireshark's ikev2_decryption_table,\n"
	    "                     ikev1_decryption_table or esp_sa), repeatable\n"
	    "  --psk SECRET, --psk-file FILE\n"
	    "                     a pre-shared key to check against the capture\n"
	    "  --tui              the ncurses view (tunnels, ladder, findings); needs a\n"
	    "                     terminal on stdin and stdout (exit 2 otherwise)\n"
	    "  --realtime         with --tui -r: replay at the capture's own pace (pauses\n"
	    "                     longer than 5 s are shortened to 5 s)\n"
	    "  --color WHEN       colours in the view: auto (unless NO_COLOR is set),\n"
	    "                     always, never\n"
	    "  --list-findings    every finding code, its severity and meaning\n"
	    "  --version          print the version\n"
	    "  -h, --help         this text\n"
	    "\n"
	    "A trailing BPF expression narrows what is read, as in tcpdump.\n"
	    "Exit status: 0 done, 1 runtime error, 2 usage error, 4 --fail-on threshold reached.\n",
	    f);
}

static int
parse_count(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v == 0 || s[0] == '-')
		return -1;
	*out = v;
	return 0;
}

/* -B: the kernel buffer, which libpcap takes in bytes as an int. */
#define BUFFER_KIB_MAX 2097151u

static int
parse_kib(const char *s, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v == 0 || v > BUFFER_KIB_MAX || s[0] == '-')
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int
parse_level(const char *s)
{
	if (strcmp(s, "error") == 0)
		return SEV_ERROR;
	if (strcmp(s, "warning") == 0)
		return SEV_WARNING;
	if (strcmp(s, "info") == 0)
		return SEV_INFO;
	return -1;
}

/* --color WHEN: enum tui_color's values, -1 when unknown. */
static int
parse_color(const char *s)
{
	static const char *const names[] = {"auto", "always", "never"};
	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* Joins the trailing words into one BPF expression, as tcpdump does. */
static char *
join_words(int n, char **w)
{
	size_t len = 1;
	for (int i = 0; i < n; i++)
		len += strlen(w[i]) + 1;
	char *s = calloc(1, len);
	if (s == NULL)
		return NULL;
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, w[i]);
	}
	return s;
}

int
options_parse(struct options *o, int argc, char **argv)
{
	memset(o, 0, sizeof(*o));
	o->cmd = CMD_ANALYZE;
	o->fail_on = -1;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:r:c:nvqhi:B:w:Z:", long_opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->read_file = optarg;
			break;
		case 'c':
			if (parse_count(optarg, &o->count) != 0) {
				fprintf(stderr,
					"ikescope: -c wants a positive packet count, not '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'n':
			break;
		case 'v':
			o->verbose++;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			o->cmd = CMD_HELP;
			return 0;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_LIST_FINDINGS:
			o->cmd = CMD_LIST_FINDINGS;
			break;
		case OPT_VERSION:
			o->cmd = CMD_VERSION;
			break;
		case OPT_FAIL_ON:
			o->fail_on = parse_level(optarg);
			if (o->fail_on < 0) {
				fprintf(
				    stderr,
				    "ikescope: --fail-on wants error, warning or info, not '%s'\n",
				    optarg);
				return 2;
			}
			break;
		case OPT_PROFILE:
			if (optarg[0] == '\0') {
				fputs("ikescope: --profile wants a profile name or file\n", stderr);
				return 2;
			}
			o->profile = optarg;
			break;
		case OPT_KEYS:
			if (o->nkeys >= sizeof(o->keys) / sizeof(o->keys[0])) {
				fputs("ikescope: at most 16 --keys files\n", stderr);
				return 2;
			}
			o->keys[o->nkeys++] = optarg;
			break;
		case OPT_PSK:
			o->psk = optarg;
			break;
		case OPT_PSK_FILE:
			o->psk_file = optarg;
			break;
		case OPT_TUI:
			o->tui = true;
			break;
		case OPT_REALTIME:
			o->realtime = true;
			break;
		case OPT_COLOR:
			o->color = parse_color(optarg);
			if (o->color < 0) {
				fprintf(stderr,
					"ikescope: --color wants auto, always or never, not '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'i':
			o->iface = optarg;
			break;
		case 'B':
			if (parse_kib(optarg, &o->buffer_kib) != 0) {
				fprintf(stderr,
					"ikescope: -B wants a buffer size in KiB (1 to %u), not "
					"'%s'\n",
					BUFFER_KIB_MAX, optarg);
				return 2;
			}
			break;
		case 'w':
			o->write_file = optarg;
			break;
		case 'Z':
			o->user = optarg;
			break;
		case OPT_NO_TUI:
			o->no_tui = true;
			break;
		case ':':
			fprintf(stderr, "ikescope: option %s needs a value\n", argv[optind - 1]);
			return 2;
		default:
			if (optopt)
				fprintf(stderr,
					"ikescope: unknown option -%c (see ikescope --help)\n",
					optopt);
			else
				fprintf(stderr,
					"ikescope: unknown option %s (see ikescope --help)\n",
					argv[optind - 1]);
			return 2;
		}
	}
	if (o->cmd != CMD_ANALYZE)
		return 0;
	/* Subcommands come first, as in `ikescope samples`. */
	if (optind < argc && o->read_file == NULL && o->iface == NULL &&
	    strcmp(argv[optind], "samples") == 0) {
		o->cmd = CMD_SAMPLES;
		return 0;
	}
	if (o->realtime && (!o->tui || o->iface)) {
		fputs("ikescope: --realtime goes with --tui -r FILE\n", stderr);
		return 2;
	}
	if (o->tui && o->no_tui) {
		fputs("ikescope: --tui and --no-tui contradict each other\n", stderr);
		return 2;
	}
	if (o->read_file && o->iface) {
		fputs("ikescope: give -r FILE or -i IFACE, not both\n", stderr);
		return 2;
	}
	if (o->read_file == NULL && o->iface == NULL) {
		fputs("ikescope: nothing to read: give -r FILE, -r - for stdin, or -i IFACE (see "
		      "ikescope --help)\n",
		      stderr);
		return 2;
	}
	if (optind < argc) {
		o->filter = join_words(argc - optind, argv + optind);
		if (o->filter == NULL) {
			fputs("ikescope: out of memory\n", stderr);
			return 1;
		}
	}
	return 0;
}

void
options_free(struct options *o)
{
	free(o->filter);
	o->filter = NULL;
}
