/*
 * auth: Basic authentication against htpasswd files, for the workers.
 * The files are read at start and reload (by the master, before the
 * fork); verification uses crypt(3) from libcrypt.  A slow hash (bcrypt)
 * is paid once per client: verified credentials are remembered per
 * worker (a digest of file, user and password, never the password),
 * and an unknown user costs a verification against a dummy hash of the
 * same kind, so that timing does not say which users exist.
 */
#ifndef MINIHTTPD_AUTH_H
#define MINIHTTPD_AUTH_H

#include <stddef.h>

#define AUTH_CACHE_SLOTS	256	/* verified credentials per worker */
#define AUTH_FILE_MAX		(4 * 1024 * 1024)

struct auth_file;	/* one loaded htpasswd file */

/* Loads path; NULL with "PATH: why" (or "PATH: line N: why") in err. */
struct auth_file	*auth_file_load(const char *path, char *err,
			    size_t errsz);
void			 auth_file_free(struct auth_file *);

enum auth_result {
	AUTH_OK = 0,		/* credentials verified */
	AUTH_MISSING,		/* no Authorization, or not Basic: 401 */
	AUTH_DENIED		/* wrong user or password: 401 */
};

/*
 * Checks the value of the request's Authorization field (NULL when
 * absent) against file.  Remembers what it verified.
 */
enum auth_result	 auth_check(struct auth_file *, const char *value,
			    size_t len);

/*
 * How many times this process has run crypt(3), the dummy verifications
 * of unknown users included: the tests prove with it that a cache hit
 * costs none.
 */
unsigned long		 auth_crypt_calls(void);

#endif
