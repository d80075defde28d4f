/*
 * auth: Basic authentication for the workers, the only user of
 * libcrypt.  auth_file_load reads an htpasswd file (the master, at start
 * and reload); auth_check verifies one Authorization value against it
 * (a worker, per request).  The syntax of both is htpasswd.c's; this
 * file must not parse either itself.
 *
 * Why the cache.  A bcrypt hash at the cost htpasswd -B picks takes tens
 * of milliseconds, and a browser sends the same credentials with every
 * request, so verifying each would let one page of images stall a
 * worker.  A worker therefore remembers, for AUTH_CACHE_SLOTS
 * credentials, that it verified them: a slot holds a 128-bit digest of
 * (load, user, password, stored hash), never the password.  The digest
 * is two SipHash-2-4 values under a key drawn with getrandom(2) at first
 * use, so it can be neither predicted nor collided from outside; the
 * load number makes a reloaded file miss even for an unchanged line, and
 * the stored hash makes a changed line miss even if numbers were ever
 * reused.  Only successes are cached, so a wrong password is paid for
 * every time.  The master never checks credentials, so each worker
 * draws its own key after the fork.
 *
 * Why the dummy.  An unknown user costs one crypt(3) against a hash of
 * the file (its first user's in sorted order), so that the time of a 401
 * does not tell which user names exist.  Users whose hashes differ in
 * cost still differ in time; that is the file's to avoid.
 *
 * Workers are single-threaded processes, so one static struct
 * crypt_data (32 KiB) serves every call; it is wiped after each, since
 * it holds state derived from the password.
 */
#include "config.h"

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/htpasswd.h"
#include "daemon/auth.h"
#include "daemon/log.h"

#define AUTH_WHY_MAX	512	/* a reason from htpasswd_parse */
/* The digest's input: load number, then user, password, hash with lengths. */
#define AUTH_MSG_MAX	(8 + 3 * 2 + HTPASSWD_USER_MAX + \
			    HTPASSWD_PASS_MAX + HTPASSWD_HASH_MAX)

#if (AUTH_CACHE_SLOTS & (AUTH_CACHE_SLOTS - 1)) != 0
#error "AUTH_CACHE_SLOTS must be a power of two"
#endif

struct auth_file {
	char		*path;
	struct htpasswd	 hp;
	const char	*dummy;		/* hash for unknown users; NULL
					   when the file has no user */
	uint64_t	 load;		/* which load, for the cache */
};

struct auth_slot {
	uint64_t	 d[2];
	int		 used;
};

static int	auth_read(const char *, char **, size_t *, char *, size_t);
static void	auth_sipround(uint64_t [4]);
static uint64_t	auth_siphash(uint64_t, uint64_t, const unsigned char *,
		    size_t);
static int	auth_put(unsigned char *, size_t *, const char *);
static int	auth_digest(const struct auth_file *, const char *,
		    const char *, const char *, uint64_t [2]);
static int	auth_equal(const char *, size_t, const char *);
static int	auth_crypt(const char *, const char *);

static struct crypt_data auth_cd;	/* one thread per worker */
static struct auth_slot	 auth_cache[AUTH_CACHE_SLOTS];
static uint64_t		 auth_key[4];
static int		 auth_keyed;	/* 0 not yet, 1 yes, -1 no cache */
static uint64_t		 auth_loads;
static unsigned long	 auth_ncrypt;

/*
 * Reads a regular file of at most AUTH_FILE_MAX bytes.  O_NONBLOCK
 * keeps a FIFO put in its place from blocking the open; it does
 * nothing to the reads of a regular file.  The buffer starts one byte
 * larger than the file, so that a file that grew is seen to.
 */
static int
auth_read(const char *path, char **textp, size_t *lenp, char *why,
    size_t whysz)
{
	struct stat	 st;
	char		*buf = NULL, *nbuf;
	size_t		 n = 0, cap;
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1 ||
	    fstat(fd, &st) == -1)
		goto syserr;
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whysz, "not a regular file");
		goto fail;
	}
	if (st.st_size > AUTH_FILE_MAX)
		goto toolarge;
	cap = (size_t)st.st_size + 1;
	if ((buf = malloc(cap)) == NULL)
		goto syserr;
	for (;;) {
		if (n > AUTH_FILE_MAX)
			goto toolarge;
		if (n == cap) {
			cap = cap > AUTH_FILE_MAX / 2 ? AUTH_FILE_MAX + 1 :
			    cap * 2;
			if ((nbuf = realloc(buf, cap)) == NULL)
				goto syserr;
			buf = nbuf;
		}
		if ((r = read(fd, buf + n, cap - n)) == -1) {
			if (errno == EINTR)
				continue;
			goto syserr;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*textp = buf;
	*lenp = n;
	return 0;
toolarge:
	snprintf(why, whysz, "larger than %d bytes", AUTH_FILE_MAX);
	goto fail;
syserr:
	snprintf(why, whysz, "%s", strerror(errno));
fail:
	if (fd != -1)
		close(fd);
	free(buf);
	return -1;
}

struct auth_file *
auth_file_load(const char *path, char *err, size_t errsz)
{
	struct auth_file	*af = NULL;
	char			*text = NULL, why[AUTH_WHY_MAX];
	size_t			 len;

	if (auth_read(path, &text, &len, why, sizeof(why)) == -1)
		goto fail;
	if ((af = calloc(1, sizeof(*af))) == NULL ||
	    (af->path = strdup(path)) == NULL) {
		snprintf(why, sizeof(why), "out of memory");
		goto fail;
	}
	if (htpasswd_parse(text, len, &af->hp, why, sizeof(why)) == -1)
		goto fail;
	af->dummy = af->hp.n > 0 ? af->hp.e[0].hash : NULL;
	af->load = ++auth_loads;
	free(text);
	return af;
fail:
	snprintf(err, errsz, "%s: %s", path, why);
	free(text);
	auth_file_free(af);
	return NULL;
}

void
auth_file_free(struct auth_file *af)
{
	if (af == NULL)
		return;
	htpasswd_free(&af->hp);
	free(af->path);
	free(af);
}

/* SipHash-2-4 (Aumasson and Bernstein), one round on v[0..3]. */
static void
auth_sipround(uint64_t v[4])
{
#define AUTH_ROTL(x, b)	(((x) << (b)) | ((x) >> (64 - (b))))
	v[0] += v[1];
	v[1] = AUTH_ROTL(v[1], 13);
	v[1] ^= v[0];
	v[0] = AUTH_ROTL(v[0], 32);
	v[2] += v[3];
	v[3] = AUTH_ROTL(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = AUTH_ROTL(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = AUTH_ROTL(v[1], 17);
	v[1] ^= v[2];
	v[2] = AUTH_ROTL(v[2], 32);
#undef AUTH_ROTL
}

static uint64_t
auth_siphash(uint64_t k0, uint64_t k1, const unsigned char *in, size_t len)
{
	uint64_t	v[4], m;
	size_t		i, j, whole = len - len % 8;

	v[0] = k0 ^ UINT64_C(0x736f6d6570736575);
	v[1] = k1 ^ UINT64_C(0x646f72616e646f6d);
	v[2] = k0 ^ UINT64_C(0x6c7967656e657261);
	v[3] = k1 ^ UINT64_C(0x7465646279746573);
	/* Whole 8-byte words, then the rest with len in the top byte. */
	for (i = 0; i <= whole; i += 8) {
		m = i == whole ? (uint64_t)len << 56 : 0;
		for (j = 0; j < 8 && i + j < len; j++)
			m |= (uint64_t)in[i + j] << (8 * j);
		v[3] ^= m;
		auth_sipround(v);
		auth_sipround(v);
		v[0] ^= m;
	}
	v[2] ^= 0xff;
	for (j = 0; j < 4; j++)
		auth_sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* Appends s with its length in two bytes; -1 if it does not fit. */
static int
auth_put(unsigned char *msg, size_t *n, const char *s)
{
	size_t	len = strlen(s);

	if (len > 0xffff || *n + 2 + len > AUTH_MSG_MAX)
		return -1;
	msg[(*n)++] = (unsigned char)(len >> 8);
	msg[(*n)++] = (unsigned char)len;
	memcpy(msg + *n, s, len);
	*n += len;
	return 0;
}

/* The cache key of these credentials; -1 when there can be none. */
static int
auth_digest(const struct auth_file *af, const char *user, const char *pass,
    const char *hash, uint64_t d[2])
{
	unsigned char	msg[AUTH_MSG_MAX];
	size_t		n = 0, i;
	int		rc = -1;

	if (auth_keyed == 0) {
		if (getrandom(auth_key, sizeof(auth_key), 0) ==
		    (ssize_t)sizeof(auth_key))
			auth_keyed = 1;
		else {
			log_warn("auth: no random key, verified credentials "
			    "will not be cached");
			auth_keyed = -1;
		}
	}
	if (auth_keyed == -1)
		return -1;
	for (i = 0; i < 8; i++)
		msg[n++] = (unsigned char)(af->load >> (8 * i));
	if (auth_put(msg, &n, user) == -1 || auth_put(msg, &n, pass) == -1 ||
	    auth_put(msg, &n, hash) == -1)
		goto done;
	d[0] = auth_siphash(auth_key[0], auth_key[1], msg, n);
	d[1] = auth_siphash(auth_key[2], auth_key[3], msg, n);
	rc = 0;
done:
	explicit_bzero(msg, sizeof(msg));
	return rc;
}

/*
 * Whether crypt's output out (a buffer of outsz bytes) is hash.  Every
 * byte of hash is compared, whatever the first difference, so that the
 * time taken does not say how much of a guess was right.
 */
static int
auth_equal(const char *out, size_t outsz, const char *hash)
{
	size_t		len = strlen(hash), i;
	unsigned char	diff;

	if (len >= outsz)
		return 0;
	diff = out[len] != '\0';
	for (i = 0; i < len; i++)
		diff |= (unsigned char)(out[i] ^ hash[i]);
	return diff == 0;
}

/* Whether pass hashes to hash. */
static int
auth_crypt(const char *pass, const char *hash)
{
	int	ok;

	auth_ncrypt++;
	ok = crypt_rn(pass, hash, &auth_cd, sizeof(auth_cd)) != NULL &&
	    auth_equal(auth_cd.output, sizeof(auth_cd.output), hash);
	explicit_bzero(&auth_cd, sizeof(auth_cd));
	return ok;
}

enum auth_result
auth_check(struct auth_file *af, const char *value, size_t len)
{
	char			 user[HTPASSWD_USER_MAX + 1];
	char			 pass[HTPASSWD_PASS_MAX + 1];
	const char		*hash;
	struct auth_slot	*s = NULL;
	uint64_t		 d[2];
	enum auth_result	 r = AUTH_DENIED;

	if (value == NULL || htpasswd_basic(value, len, user, pass) == -1)
		return AUTH_MISSING;
	if ((hash = htpasswd_find(&af->hp, user, strlen(user))) == NULL) {
		if (af->dummy != NULL)
			(void)auth_crypt(pass, af->dummy);
		goto done;
	}
	if (auth_digest(af, user, pass, hash, d) == 0) {
		s = &auth_cache[d[0] & (AUTH_CACHE_SLOTS - 1)];
		if (s->used && ((s->d[0] ^ d[0]) | (s->d[1] ^ d[1])) == 0) {
			r = AUTH_OK;
			goto done;
		}
	}
	if (auth_crypt(pass, hash)) {
		r = AUTH_OK;
		if (s != NULL) {
			s->d[0] = d[0];
			s->d[1] = d[1];
			s->used = 1;
		}
	}
done:
	explicit_bzero(pass, sizeof(pass));
	explicit_bzero(d, sizeof(d));
	return r;
}

unsigned long
auth_crypt_calls(void)
{
	return auth_ncrypt;
}
