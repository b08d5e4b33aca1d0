/* -Z: giving up root after the capture is open (process policy, so in cli/). */
#ifndef IKESCOPE_CLI_PRIVS_H
#define IKESCOPE_CLI_PRIVS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Becomes user (its groups, gid, then uid) and checks that it worked and that
 * root cannot be regained.  user NULL: "nobody" when running as root, nothing
 * otherwise.  Returns 0, or the exit code with one line in err: 2 for a user
 * that does not exist, 1 when the change failed.
 */
int privs_drop(const char *user, char *err, size_t errlen);

#endif
