/* The findings catalog, generated from findings.def. */
#include "diagnose/diag.h"

const struct catalog_entry diag_catalog[F_COUNT] = {
#define FINDING(e, sev, code, summary, remedy) {F_##e, sev, code, summary, remedy},
#include "diagnose/findings.def"
#undef FINDING
};

const char *
diag_severity_name(enum severity s)
{
	static const char *const names[] = {"info", "warning", "error"};
	return (unsigned)s < ARRAY_LEN(names) ? names[s] : "?";
}

const char *
diag_confidence_name(enum confidence c)
{
	return c == CONF_CONFIRMED ? "confirmed" : "likely";
}
