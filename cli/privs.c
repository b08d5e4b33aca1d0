/*
 * Dropping privileges after the capture is open, as tcpdump's -Z does:
 * supplementary groups first (they need root), then the gid, then the uid,
 * and a check of all of them, including that setuid(0) no longer works.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "cli/privs.h"

#define PRIVS_DEFAULT_USER "nobody"

int
privs_drop(const char *user, char *err, size_t errlen)
{
	if (user == NULL) {
		if (geteuid() != 0)
			return 0;
		user = PRIVS_DEFAULT_USER;
	}
	errno = 0;
	struct passwd *pw = getpwnam(user);
	if (pw == NULL) {
		if (errno)
			snprintf(err, errlen, "-Z %s: cannot look the user up: %s", user,
				 strerror(errno));
		else
			snprintf(err, errlen, "-Z %s: no such user", user);
		return errno ? 1 : 2;
	}
	uid_t uid = pw->pw_uid;
	gid_t gid = pw->pw_gid;
	/* Already that user (not root, -Z naming oneself): nothing to give up. */
	if (getuid() == uid && geteuid() == uid && getgid() == gid && getegid() == gid && uid != 0)
		return 0;
	if (initgroups(pw->pw_name, gid) != 0) {
		snprintf(err, errlen, "-Z %s: cannot set the supplementary groups: %s", user,
			 strerror(errno));
		return 1;
	}
	if (setgid(gid) != 0) {
		snprintf(err, errlen, "-Z %s: cannot change to group %u: %s", user, (unsigned)gid,
			 strerror(errno));
		return 1;
	}
	if (setuid(uid) != 0) {
		snprintf(err, errlen, "-Z %s: cannot change to user %u: %s", user, (unsigned)uid,
			 strerror(errno));
		return 1;
	}
	/* Trust but verify: real and effective ids, and no way back to root. */
	if (getuid() != uid || geteuid() != uid || getgid() != gid || getegid() != gid) {
		snprintf(err, errlen, "-Z %s: the user and group ids did not change", user);
		return 1;
	}
	if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		snprintf(err, errlen, "-Z %s: root could be regained after dropping privileges",
			 user);
		return 1;
	}
	return 0;
}
