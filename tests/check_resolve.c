/*
 * check_resolve: unit tests for src/resolve.c on a real temporary tree.
 *
 * Every case runs under the three symlink policies (inside, never,
 * always) and both ways of opening: openat2(RESOLVE_BENEATH) when the
 * kernel has it, and the portable component walk (no_openat2 = 1).  Both
 * ways must give the same answer, because a server built where openat2
 * is missing (or refused by a seccomp filter) must not serve a different
 * set of files.  Every returned fd is checked and closed, and the number
 * of open fds must not grow.
 *
 * The tree, under mkdtemp():
 *
 *	outside.txt			9 bytes, outside the root
 *	outdir/secret.txt		outside the root
 *	root/file.txt			"hello"
 *	root/empty.txt			0 bytes
 *	root/dir/index.html		13 bytes
 *	root/dir/page.txt		"page"
 *	root/dir2/index.html, index.htm	two index candidates
 *	root/noindex/a.txt, sub/	a directory without an index
 *	root/index_is_dir/index.html/	an index name that is a directory
 *	root/.hidden, .hdir/f.txt	dotfiles
 *	root/fifo			a FIFO (must not block)
 *	root/unreadable.txt		mode 000
 *	root/link_in -> file.txt
 *	root/link_dir -> dir
 *	root/sub/link_up -> ../file.txt
 *	root/sub/deeper/link_up2 -> ../../dir/index.html
 *	root/link_out -> ../outside.txt
 *	root/link_outdir -> ../outdir
 *	root/link_abs -> BASE/outside.txt
 *	root/link_abs_in -> BASE/root/file.txt
 *	root/link_back -> ../root/file.txt
 *	root/loop1 -> loop2, loop2 -> loop1, self -> self
 *	root/dangling -> nowhere
 *	root/link_index_dir/index.html -> ../file.txt
 *	root/esc_index_dir/index.html -> ../../outside.txt
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/resolve.h"
#include "core/util.h"

#define NCOMBO		6	/* 3 policies x (openat2, walk) */

static Suite	*resolve_suite(void);
static void	 tree_setup(void);
static void	 tree_teardown(void);
static void	 mkfile(const char *, const char *);
static void	 mkdirs(const char *);
static void	 mklink(const char *, const char *);
static int	 rm_entry(const char *, const struct stat *, int,
		    struct FTW *);
static int	 count_fds(void);
static const char *kind_name(enum resolve_kind);
static const char *policy_name(enum resolve_symlinks);
static enum resolve_kind run(const char *, enum resolve_symlinks, int,
		    int, int, char *const *, size_t, off_t *, const char **,
		    int *);

static char	 base[64];
static char	 rootdir[128];
static int	 rootfd = -1;
static char	*default_index[] = { "index.html" };

static void
mkfile(const char *rel, const char *content)
{
	char	path[PATH_MAX];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	f = fopen(path, "w");
	ck_assert_msg(f != NULL, "create %s: %s", path, strerror(errno));
	ck_assert(fwrite(content, 1, strlen(content), f) == strlen(content));
	ck_assert(fclose(f) == 0);
}

static void
mkdirs(const char *rel)
{
	char	path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	ck_assert_msg(mkdir(path, 0755) == 0, "mkdir %s: %s", path,
	    strerror(errno));
}

static void
mklink(const char *target, const char *rel)
{
	char	path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	ck_assert_msg(symlink(target, path) == 0, "symlink %s: %s", path,
	    strerror(errno));
}

static void
tree_setup(void)
{
	char	path[PATH_MAX];

	snprintf(base, sizeof(base), "/tmp/check_resolve.XXXXXX");
	ck_assert_msg(mkdtemp(base) != NULL, "mkdtemp: %s", strerror(errno));
	snprintf(rootdir, sizeof(rootdir), "%s/root", base);

	mkfile("outside.txt", "outside!\n");
	mkdirs("outdir");
	mkfile("outdir/secret.txt", "secret\n");
	mkdirs("root");
	mkfile("root/file.txt", "hello");
	mkfile("root/empty.txt", "");
	mkdirs("root/dir");
	mkfile("root/dir/index.html", "<p>index</p>\n");
	mkfile("root/dir/page.txt", "page");
	mkdirs("root/dir2");
	mkfile("root/dir2/index.html", "html");
	mkfile("root/dir2/index.htm", "htm");
	mkdirs("root/noindex");
	mkfile("root/noindex/a.txt", "a");
	mkdirs("root/noindex/sub");
	mkdirs("root/index_is_dir");
	mkdirs("root/index_is_dir/index.html");
	mkfile("root/.hidden", "secret");
	mkdirs("root/.hdir");
	mkfile("root/.hdir/f.txt", "f");
	snprintf(path, sizeof(path), "%s/root/fifo", base);
	ck_assert_msg(mkfifo(path, 0644) == 0, "mkfifo: %s", strerror(errno));
	mkfile("root/unreadable.txt", "x");
	snprintf(path, sizeof(path), "%s/root/unreadable.txt", base);
	ck_assert(chmod(path, 0) == 0);

	mklink("file.txt", "root/link_in");
	mklink("dir", "root/link_dir");
	mkdirs("root/sub");
	mklink("../file.txt", "root/sub/link_up");
	mkdirs("root/sub/deeper");
	mklink("../../dir/index.html", "root/sub/deeper/link_up2");
	mklink("../outside.txt", "root/link_out");
	mklink("../outdir", "root/link_outdir");
	snprintf(path, sizeof(path), "%s/outside.txt", base);
	mklink(path, "root/link_abs");
	snprintf(path, sizeof(path), "%s/root/file.txt", base);
	mklink(path, "root/link_abs_in");
	mklink("../root/file.txt", "root/link_back");
	mklink("loop2", "root/loop1");
	mklink("loop1", "root/loop2");
	mklink("self", "root/self");
	mklink("nowhere", "root/dangling");
	mkdirs("root/link_index_dir");
	mklink("../file.txt", "root/link_index_dir/index.html");
	mkdirs("root/esc_index_dir");
	mklink("../../outside.txt", "root/esc_index_dir/index.html");

	rootfd = open(rootdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_msg(rootfd != -1, "open %s: %s", rootdir, strerror(errno));
}

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	if (remove(path) == -1)
		fprintf(stderr, "check_resolve: remove %s: %s\n", path,
		    strerror(errno));
	return 0;
}

static void
tree_teardown(void)
{
	if (rootfd != -1)
		close(rootfd);
	rootfd = -1;
	if (base[0] != '\0')
		nftw(base, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Open fds of this process, or -1 when /proc is not there. */
static int
count_fds(void)
{
	DIR		*d;
	struct dirent	*e;
	int		 n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;		/* the DIR's own fd */
}

static const char *
kind_name(enum resolve_kind k)
{
	switch (k) {
	case RESOLVE_FILE:
		return "FILE";
	case RESOLVE_LISTING:
		return "LISTING";
	case RESOLVE_REDIRECT:
		return "REDIRECT";
	case RESOLVE_NOT_FOUND:
		return "NOT_FOUND";
	case RESOLVE_FORBIDDEN:
		return "FORBIDDEN";
	case RESOLVE_ERROR:
		return "ERROR";
	}
	return "?";
}

static const char *
policy_name(enum resolve_symlinks s)
{
	switch (s) {
	case RESOLVE_SYMLINKS_INSIDE:
		return "inside";
	case RESOLVE_SYMLINKS_NEVER:
		return "never";
	case RESOLVE_SYMLINKS_ALWAYS:
		return "always";
	}
	return "?";
}

/*
 * Resolves path once, checks the fd contract (an fd only for FILE and
 * LISTING, of the right type, matching st; no fd leaked), closes it and
 * returns the kind, the size and the index name used.
 */
static enum resolve_kind
run(const char *path, enum resolve_symlinks pol, int walk, int dotfiles,
    int autoindex, char *const *index, size_t nindex, off_t *size,
    const char **idx, int *err)
{
	struct resolve_opts	o;
	struct resolve_result	res;
	struct stat		st;
	enum resolve_kind	k;
	int			before, after;

	memset(&o, 0, sizeof(o));
	o.rootfd = rootfd;
	o.symlinks = pol;
	o.dotfiles = dotfiles;
	o.index = index;
	o.nindex = nindex;
	o.autoindex = autoindex;
	o.no_openat2 = walk;

	before = count_fds();
	errno = 0;
	k = resolve_path(&o, path, &res);
	*err = errno;
	ck_assert_msg(k == res.kind, "%s: returned %s but res.kind %s", path,
	    kind_name(k), kind_name(res.kind));
	*size = -1;
	*idx = res.index;
	if (k == RESOLVE_FILE || k == RESOLVE_LISTING) {
		ck_assert_msg(res.fd >= 0, "%s: %s without an fd", path,
		    kind_name(k));
		ck_assert_msg(fstat(res.fd, &st) == 0, "%s: fstat: %s", path,
		    strerror(errno));
		ck_assert_msg(st.st_ino == res.st.st_ino &&
		    st.st_dev == res.st.st_dev, "%s: st is not the fd's", path);
		if (k == RESOLVE_FILE)
			ck_assert_msg(S_ISREG(st.st_mode), "%s: FILE fd is not "
			    "a regular file", path);
		else
			ck_assert_msg(S_ISDIR(st.st_mode), "%s: LISTING fd is "
			    "not a directory", path);
		*size = res.st.st_size;
		ck_assert(close(res.fd) == 0);
	} else
		ck_assert_msg(res.fd == -1, "%s: %s with fd %d", path,
		    kind_name(k), res.fd);
	after = count_fds();
	ck_assert_msg(before == after, "%s (%s, %s): %d fds before, %d after",
	    path, policy_name(pol), walk ? "walk" : "openat2", before, after);
	return k;
}

#define ALL(k)		{ (k), (k), (k) }
#define LINKY(k)	{ (k), RESOLVE_NOT_FOUND, (k) }	/* never: 404 */
#define ESCAPE(k)	{ RESOLVE_NOT_FOUND, RESOLVE_NOT_FOUND, (k) }
#define F		RESOLVE_FILE
#define L		RESOLVE_LISTING
#define R		RESOLVE_REDIRECT
#define NF		RESOLVE_NOT_FOUND
#define FB		RESOLVE_FORBIDDEN

/* want[] is indexed by policy: inside, never, always. */
static const struct {
	const char		*desc;
	const char		*path;
	int			 dotfiles;
	int			 autoindex;
	enum resolve_kind	 want[3];
	off_t			 size;		/* for FILE */
	int			 via_index;	/* FILE through an index */
} cases[] = {
	{ "regular file", "/file.txt", 0, 0, ALL(F), 5, 0 },
	{ "empty file", "/empty.txt", 0, 0, ALL(F), 0, 0 },
	{ "file in a directory", "/dir/page.txt", 0, 0, ALL(F), 4, 0 },
	{ "directory without slash redirects", "/dir", 0, 0, ALL(R), -1, 0 },
	{ "directory with slash serves its index", "/dir/", 0, 0, ALL(F), 13,
	    1 },
	{ "index wins over autoindex", "/dir/", 0, 1, ALL(F), 13, 1 },
	{ "directory without index: 403", "/noindex/", 0, 0, ALL(FB), -1, 0 },
	{ "directory without index, autoindex: listing", "/noindex/", 0, 1,
	    ALL(L), -1, 0 },
	{ "nested directory without slash redirects", "/noindex/sub", 0, 0,
	    ALL(R), -1, 0 },
	{ "root without index: 403", "/", 0, 0, ALL(FB), -1, 0 },
	{ "root without index, autoindex: listing", "/", 0, 1, ALL(L), -1, 0 },
	{ "index name that is a directory is skipped", "/index_is_dir/", 0, 0,
	    ALL(FB), -1, 0 },
	{ "index name that is a directory, autoindex", "/index_is_dir/", 0, 1,
	    ALL(L), -1, 0 },
	{ "file with a trailing slash", "/file.txt/", 0, 0, ALL(NF), -1, 0 },
	{ "file used as a directory", "/file.txt/x", 0, 0, ALL(NF), -1, 0 },
	{ "missing file", "/missing", 0, 0, ALL(NF), -1, 0 },
	{ "missing directory", "/missing/x", 0, 0, ALL(NF), -1, 0 },
	{ "missing directory with slash", "/missing/", 0, 0, ALL(NF), -1, 0 },
	{ "missing file in a nested directory", "/noindex/sub/missing", 0, 0,
	    ALL(NF), -1, 0 },
	{ "dotfile, dotfiles off", "/.hidden", 0, 0, ALL(NF), -1, 0 },
	{ "dotfile, dotfiles on", "/.hidden", 1, 0, ALL(F), 6, 0 },
	{ "file in a dot directory, dotfiles off", "/.hdir/f.txt", 0, 0,
	    ALL(NF), -1, 0 },
	{ "file in a dot directory, dotfiles on", "/.hdir/f.txt", 1, 0,
	    ALL(F), 1, 0 },
	{ "dot directory, dotfiles off", "/.hdir/", 0, 1, ALL(NF), -1, 0 },
	{ "FIFO is refused without blocking", "/fifo", 0, 0, ALL(FB), -1, 0 },
	{ "FIFO with a trailing slash", "/fifo/", 0, 0, ALL(NF), -1, 0 },
	{ "symlink to a file inside", "/link_in", 0, 0, LINKY(F), 5, 0 },
	{ "symlink to a file inside, trailing slash", "/link_in/", 0, 0,
	    ALL(NF), -1, 0 },
	{ "symlinked directory without slash", "/link_dir", 0, 0, LINKY(R),
	    -1, 0 },
	{ "symlinked directory with slash", "/link_dir/", 0, 0, LINKY(F), 13,
	    1 },
	{ "file through a symlinked directory", "/link_dir/page.txt", 0, 0,
	    LINKY(F), 4, 0 },
	{ "symlink climbing inside the root", "/sub/link_up", 0, 0, LINKY(F),
	    5, 0 },
	{ "symlink climbing two levels inside", "/sub/deeper/link_up2", 0, 0,
	    LINKY(F), 13, 0 },
	{ "symlink escaping with ..", "/link_out", 0, 0, ESCAPE(F), 9, 0 },
	{ "file through a symlinked directory outside",
	    "/link_outdir/secret.txt", 0, 0, ESCAPE(F), 7, 0 },
	{ "absolute symlink outside", "/link_abs", 0, 0, ESCAPE(F), 9, 0 },
	/* resolve.h: absolute symlinks count as leaving the root. */
	{ "absolute symlink to a file inside", "/link_abs_in", 0, 0,
	    ESCAPE(F), 5, 0 },
	{ "symlink leaving and re-entering the root", "/link_back", 0, 0,
	    ESCAPE(F), 5, 0 },
	{ "symlink loop", "/loop1", 0, 0, ALL(NF), -1, 0 },
	{ "symlink loop as a directory", "/loop1/x", 0, 0, ALL(NF), -1, 0 },
	{ "symlink to itself", "/self", 0, 0, ALL(NF), -1, 0 },
	{ "dangling symlink", "/dangling", 0, 0, ALL(NF), -1, 0 },
	{ "index that is a symlink inside", "/link_index_dir/", 0, 0,
	    { F, FB, F }, 5, 1 },
	{ "index that is a symlink inside, autoindex", "/link_index_dir/", 0,
	    1, { F, L, F }, 5, 1 },
	{ "index that is a symlink outside", "/esc_index_dir/", 0, 0,
	    { FB, FB, F }, 9, 1 },
};

START_TEST(test_resolve_case)
{
	size_t			 ci = (size_t)_i / NCOMBO;
	enum resolve_symlinks	 pol = (enum resolve_symlinks)(_i % 3);
	int			 walk = (_i % NCOMBO) / 3, err;
	enum resolve_kind	 k, want = cases[ci].want[pol];
	off_t			 size;
	const char		*idx;

	k = run(cases[ci].path, pol, walk, cases[ci].dotfiles,
	    cases[ci].autoindex, default_index, 1, &size, &idx, &err);
	ck_assert_msg(k == want, "%s: \"%s\" symlinks=%s %s: got %s (errno "
	    "%d %s), want %s", cases[ci].desc, cases[ci].path,
	    policy_name(pol), walk ? "walk" : "openat2", kind_name(k), err,
	    err != 0 ? strerror(err) : "-", kind_name(want));
	if (k == RESOLVE_FILE) {
		ck_assert_msg(size == cases[ci].size, "%s (%s, %s): size %lld, "
		    "want %lld", cases[ci].desc, policy_name(pol),
		    walk ? "walk" : "openat2", (long long)size,
		    (long long)cases[ci].size);
		if (cases[ci].via_index)
			ck_assert_msg(idx != NULL &&
			    strcmp(idx, "index.html") == 0,
			    "%s: index not reported", cases[ci].desc);
		else
			ck_assert_msg(idx == NULL, "%s: index \"%s\" reported",
			    cases[ci].desc, idx);
	}
}
END_TEST

/* The portable walk and openat2 agree on every case and policy. */
START_TEST(test_walk_matches_openat2)
{
	enum resolve_symlinks	 pol;
	enum resolve_kind	 k2, kw;
	off_t			 s2, sw;
	const char		*i2, *iw;
	int			 e2, ew;

	for (pol = RESOLVE_SYMLINKS_INSIDE; pol <= RESOLVE_SYMLINKS_ALWAYS;
	    pol++) {
		k2 = run(cases[_i].path, pol, 0, cases[_i].dotfiles,
		    cases[_i].autoindex, default_index, 1, &s2, &i2, &e2);
		kw = run(cases[_i].path, pol, 1, cases[_i].dotfiles,
		    cases[_i].autoindex, default_index, 1, &sw, &iw, &ew);
		ck_assert_msg(k2 == kw && s2 == sw, "%s: \"%s\" symlinks=%s: "
		    "openat2 %s (size %lld), walk %s (size %lld)",
		    cases[_i].desc, cases[_i].path, policy_name(pol),
		    kind_name(k2), (long long)s2, kind_name(kw), (long long)sw);
		ck_assert_msg((i2 == NULL) == (iw == NULL),
		    "%s: symlinks=%s: index differs", cases[_i].desc,
		    policy_name(pol));
	}
}
END_TEST

/* Mode 000: 403, except for root, which can read anything. */
START_TEST(test_unreadable_file)
{
	enum resolve_kind	k;
	off_t			size;
	const char		*idx;
	int			walk, err;

	for (walk = 0; walk <= 1; walk++) {
		k = run("/unreadable.txt", RESOLVE_SYMLINKS_INSIDE, walk, 0, 0,
		    default_index, 1, &size, &idx, &err);
		if (geteuid() == 0)
			continue;	/* root gets no EACCES */
		ck_assert_msg(k == RESOLVE_FORBIDDEN, "%s: got %s, want "
		    "FORBIDDEN", walk ? "walk" : "openat2", kind_name(k));
	}
}
END_TEST

/* The first index name that exists is used, in the configured order. */
START_TEST(test_index_order)
{
	static char	*html_first[] = { "index.html", "index.htm" };
	static char	*htm_first[] = { "index.htm", "index.html" };
	static char	*missing_first[] = { "nope.html", "index.htm" };
	static char	*none[] = { "nope.html", "nope.htm" };
	enum resolve_kind k;
	off_t		 size;
	const char	*idx;
	int		 walk, err;

	for (walk = 0; walk <= 1; walk++) {
		k = run("/dir2/", RESOLVE_SYMLINKS_INSIDE, walk, 0, 0,
		    html_first, 2, &size, &idx, &err);
		ck_assert_int_eq(k, RESOLVE_FILE);
		ck_assert_str_eq(idx, "index.html");
		ck_assert_int_eq((long long)size, 4);

		k = run("/dir2/", RESOLVE_SYMLINKS_INSIDE, walk, 0, 0,
		    htm_first, 2, &size, &idx, &err);
		ck_assert_int_eq(k, RESOLVE_FILE);
		ck_assert_str_eq(idx, "index.htm");
		ck_assert_int_eq((long long)size, 3);

		k = run("/dir2/", RESOLVE_SYMLINKS_INSIDE, walk, 0, 0,
		    missing_first, 2, &size, &idx, &err);
		ck_assert_int_eq(k, RESOLVE_FILE);
		ck_assert_str_eq(idx, "index.htm");

		k = run("/dir2/", RESOLVE_SYMLINKS_INSIDE, walk, 0, 0,
		    none, 2, &size, &idx, &err);
		ck_assert_int_eq(k, RESOLVE_FORBIDDEN);
		k = run("/dir2/", RESOLVE_SYMLINKS_INSIDE, walk, 0, 1,
		    none, 2, &size, &idx, &err);
		ck_assert_int_eq(k, RESOLVE_LISTING);
		ck_assert_ptr_null(idx);

		/* No index configured at all. */
		k = run("/dir2/", RESOLVE_SYMLINKS_INSIDE, walk, 0, 0,
		    NULL, 0, &size, &idx, &err);
		ck_assert_int_eq(k, RESOLVE_FORBIDDEN);
	}
}
END_TEST

/* A component longer than NAME_MAX is simply not there. */
START_TEST(test_long_component)
{
	char			path[NAME_MAX + 64];
	enum resolve_kind	k;
	off_t			size;
	const char		*idx;
	int			walk, err;

	path[0] = '/';
	memset(path + 1, 'a', NAME_MAX + 10);
	path[NAME_MAX + 11] = '\0';
	for (walk = 0; walk <= 1; walk++) {
		k = run(path, RESOLVE_SYMLINKS_INSIDE, walk, 0, 0,
		    default_index, 1, &size, &idx, &err);
		ck_assert_msg(k == RESOLVE_NOT_FOUND, "%s: got %s",
		    walk ? "walk" : "openat2", kind_name(k));
	}
}
END_TEST

/* The FIFO open must return at once, even with nobody writing. */
START_TEST(test_fifo_does_not_block)
{
	enum resolve_kind	k;
	off_t			size;
	const char		*idx;
	int			walk, err;
	enum resolve_symlinks	pol;

	alarm(10);
	for (walk = 0; walk <= 1; walk++)
		for (pol = RESOLVE_SYMLINKS_INSIDE;
		    pol <= RESOLVE_SYMLINKS_ALWAYS; pol++) {
			k = run("/fifo", pol, walk, 0, 1, default_index, 1,
			    &size, &idx, &err);
			ck_assert_int_eq(k, RESOLVE_FORBIDDEN);
		}
	alarm(0);
}
END_TEST

static const struct {
	int			e;
	enum resolve_kind	want;
} errno_cases[] = {
	{ ENOENT, RESOLVE_NOT_FOUND },
	{ ENOTDIR, RESOLVE_NOT_FOUND },
	{ ENAMETOOLONG, RESOLVE_NOT_FOUND },
	{ EXDEV, RESOLVE_NOT_FOUND },
	{ ELOOP, RESOLVE_NOT_FOUND },
	{ EACCES, RESOLVE_FORBIDDEN },
	{ EPERM, RESOLVE_FORBIDDEN },
	{ EIO, RESOLVE_ERROR },
	{ EMFILE, RESOLVE_ERROR },
	{ ENOMEM, RESOLVE_ERROR },
};

START_TEST(test_resolve_errno)
{
	enum resolve_kind	k = resolve_errno(errno_cases[_i].e);

	ck_assert_msg(k == errno_cases[_i].want, "%s: %s, want %s",
	    strerror(errno_cases[_i].e), kind_name(k),
	    kind_name(errno_cases[_i].want));
}
END_TEST

/*
 * With the root's real path known (as the server always passes it), an
 * absolute symlink whose target lies inside the root is followed under
 * "inside", both ways; one that leaves the root still is not.
 */
START_TEST(test_absolute_link_into_root)
{
	struct resolve_opts	o;
	struct resolve_result	res;
	char			*real = realpath(rootdir, NULL);
	int			walk;

	ck_assert_ptr_nonnull(real);
	for (walk = 0; walk <= 1; walk++) {
		memset(&o, 0, sizeof(o));
		o.rootfd = rootfd;
		o.symlinks = RESOLVE_SYMLINKS_INSIDE;
		o.index = default_index;
		o.nindex = 1;
		o.no_openat2 = walk;
		o.rootpath = real;
		ck_assert_msg(resolve_path(&o, "/link_abs_in", &res) ==
		    RESOLVE_FILE, "walk=%d: absolute link into the root", walk);
		ck_assert_int_eq(res.st.st_size, 5);
		close(res.fd);
		ck_assert_int_eq(resolve_path(&o, "/link_abs", &res),
		    RESOLVE_NOT_FOUND);
		ck_assert_int_eq(resolve_path(&o, "/link_out", &res),
		    RESOLVE_NOT_FOUND);
		/* Without the real path nothing absolute is followed. */
		o.rootpath = NULL;
		ck_assert_int_eq(resolve_path(&o, "/link_abs_in", &res),
		    RESOLVE_NOT_FOUND);
	}
	free(real);
}
END_TEST

static Suite *
resolve_suite(void)
{
	Suite	*s = suite_create("resolve");
	TCase	*tc;

	tc = tcase_create("tree");
	tcase_add_unchecked_fixture(tc, tree_setup, tree_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_absolute_link_into_root);
	tcase_add_loop_test(tc, test_resolve_case, 0,
	    (int)(UTIL_ARRAY_LEN(cases) * NCOMBO));
	tcase_add_loop_test(tc, test_walk_matches_openat2, 0,
	    (int)UTIL_ARRAY_LEN(cases));
	tcase_add_test(tc, test_unreadable_file);
	tcase_add_test(tc, test_index_order);
	tcase_add_test(tc, test_long_component);
	tcase_add_test(tc, test_fifo_does_not_block);
	suite_add_tcase(s, tc);

	tc = tcase_create("errno");
	tcase_add_loop_test(tc, test_resolve_errno, 0,
	    (int)UTIL_ARRAY_LEN(errno_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(resolve_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
