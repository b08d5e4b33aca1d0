/*
 * Writes man/ikescope-findings.7 (roff, man(7) macros) from the findings
 * catalog, diagnose/findings.def, on standard output.  The build runs it; the
 * test man/findings checks that the committed page equals its output, and
 * `ninja update-findings-man` rewrites the committed page.
 */
#include <stdio.h>

#define SEV_INFO    "info"
#define SEV_WARNING "warning"
#define SEV_ERROR   "error"

static const struct {
	const char *severity, *code, *summary, *remediation;
} catalog[] = {
#define FINDING(e, sev, code, summary, remedy) {sev, code, summary, remedy},
#include "diagnose/findings.def"
#undef FINDING
};

/*
 * Text as roff: a backslash is written \e, a hyphen \- (codes and options must
 * copy as ASCII hyphen-minus), and a line never starts with a control
 * character ('.' or '\'') because each paragraph is one output line whose
 * start is protected with \&.
 */
static void
roff_text(const char *s)
{
	fputs("\\&", stdout);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", stdout);
		else if (*s == '-')
			fputs("\\-", stdout);
		else if (*s == '\n')
			fputs("\n\\&", stdout);
		else
			putchar(*s);
	}
	putchar('\n');
}

int
main(void)
{
	fputs(".\\\" Generated from diagnose/findings.def by diagnose/gen_findings_man.c:\n"
	      ".\\\" do not edit; change the catalog and run `ninja update-findings-man`.\n"
	      ".TH IKESCOPE\\-FINDINGS 7 \"\" \"ikescope\" \"Miscellaneous Information Manual\"\n"
	      ".SH NAME\n"
	      "ikescope\\-findings \\- what each ikescope finding means and what to change\n"
	      ".SH DESCRIPTION\n"
	      "Every diagnosis of\n"
	      ".BR ikescope (1)\n"
	      "is a finding: a stable code, a severity, a confidence, the frames of the\n"
	      "capture that prove it, a message naming the peers and the exchange, and\n"
	      "what to change.\n"
	      "Codes never change meaning or name: scripts may match them.\n"
	      ".PP\n"
	      "The severity says what the finding means for the tunnel:\n"
	      ".B error\n"
	      "\\(em it cannot work as captured;\n"
	      ".B warning\n"
	      "\\(em it works badly or will break;\n"
	      ".B info\n"
	      "\\(em worth knowing.\n"
	      "The confidence is\n"
	      ".B confirmed\n"
	      "when the verdict rests on a notify or a check seen in clear (or\n"
	      "decrypted), and\n"
	      ".B likely\n"
	      "when it rests on inference from sizes, retransmissions or silence.\n"
	      ".PP\n"
	      "The same list, one line per code, is printed by\n"
	      ".BR \"ikescope \\-\\-list\\-findings\" .\n"
	      ".SH FINDINGS\n",
	      stdout);
	for (size_t i = 0; i < sizeof(catalog) / sizeof(catalog[0]); i++) {
		fputs(".TP\n.B ", stdout);
		for (const char *s = catalog[i].code; *s; s++) {
			if (*s == '-')
				fputs("\\-", stdout);
			else
				putchar(*s);
		}
		printf("\n(%s) ", catalog[i].severity);
		roff_text(catalog[i].summary);
		fputs(".IP\nWhat to change:\n", stdout);
		roff_text(catalog[i].remediation);
	}
	fputs(".SH SEE ALSO\n"
	      ".BR ikescope (1)\n",
	      stdout);
	return fflush(stdout) == 0 ? 0 : 1;
}
