/*
 * htpasswd: the text of an htpasswd file ("user:hash" lines) and the
 * credentials of an "Authorization: Basic ..." field.  Pure: the daemon
 * reads the file and verifies hashes (auth.c).
 */
#ifndef MINIHTTPD_HTPASSWD_H
#define MINIHTTPD_HTPASSWD_H

#include <stddef.h>

#define HTPASSWD_USER_MAX	255
#define HTPASSWD_PASS_MAX	255
#define HTPASSWD_HASH_MAX	255

struct htpasswd_entry {
	char	*user;
	char	*hash;
};

struct htpasswd {
	struct htpasswd_entry	*e;	/* sorted by user */
	size_t			 n;
};

/*
 * Parses text: one "user:hash" per line, blank lines and lines starting
 * with '#' skipped, CRLF accepted.  Only hashes that crypt(3) verifies
 * and that are not weak are accepted: "$2y$", "$2b$", "$2a$" (bcrypt),
 * "$5$", "$6$", "$y$", "$7$", "$gy$".  DES, MD5 ("$1$", "$apr1$") and
 * plain "{SHA}" are refused with a reason.  A duplicate user is an
 * error.  Returns 0, or -1 with "line N: why" in why.
 *
 * A comment has '#' in the first column; a file of only comments gives
 * no entries, not an error.  Each entry's user and hash share one
 * allocation, which htpasswd_free releases; on error *hp is empty.
 */
int	htpasswd_parse(const char *text, size_t len, struct htpasswd *,
	    char *why, size_t whysz);
/* The hash of user, or NULL. */
const char *htpasswd_find(const struct htpasswd *, const char *user,
	    size_t len);
void	htpasswd_free(struct htpasswd *);

/*
 * The value of an Authorization field: "Basic" (any case), spaces, then
 * base64 (RFC 4648, padding required) of "user:password", the user
 * without ':' and both without control bytes.  Returns 0 with the NUL-
 * terminated user and password copied into the caller's buffers, -1
 * when the field is not valid Basic credentials.
 */
int	htpasswd_basic(const char *value, size_t len,
	    char user[HTPASSWD_USER_MAX + 1],
	    char pass[HTPASSWD_PASS_MAX + 1]);

#endif
