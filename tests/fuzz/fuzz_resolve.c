/*
 * fuzz_resolve: libFuzzer target for path resolution (resolve.c) over a
 * small tree made once in a temporary directory: directories, files, a
 * dotfile, a FIFO, symlinks that stay inside (relative and absolute),
 * that leave (relative and absolute), a loop and a dangling one.  The
 * input is a request target; what uri_normalize makes of it is
 * resolved under every policy, with openat2 and with the portable walk.
 * Property: under "inside" and "never", whatever opens is under the
 * root's real path, and both ways of opening agree on the answer; no
 * answer leaks an fd.
 *
 *	tests/fuzz/run resolve
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/resolve.h"
#include "core/uri.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	top[PATH_MAX], root[PATH_MAX];
static int	rootfd = -1;

static void	mk(const char *, const char *);
static void	cleanup(void);
static void	under_root(int, const char *);

/* Creates TOP/rel: a directory (kind "d"), a file, a link or a FIFO. */
static void
mk(const char *kind, const char *rel)
{
	char	p[PATH_MAX], t[PATH_MAX];
	int	fd;

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	if (strcmp(kind, "d") == 0) {
		if (mkdir(p, 0755) == -1)
			abort();
	} else if (strcmp(kind, "f") == 0) {
		if ((fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644)) == -1 ||
		    write(fd, rel, strlen(rel)) == -1 || close(fd) == -1)
			abort();
	} else if (strcmp(kind, "p") == 0) {
		if (mkfifo(p, 0644) == -1)
			abort();
	} else {
		/* "l:TARGET", "%s" in TARGET standing for TOP. */
		snprintf(t, sizeof(t), kind + 2, top);
		if (symlink(t, p) == -1)
			abort();
	}
}

static void
cleanup(void)
{
	char	cmd[PATH_MAX + 16];

	if (top[0] == '\0')
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	(void)system(cmd);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const tree[][2] = {
		{ "d", "root" }, { "d", "outside" },
		{ "f", "outside/secret" }, { "f", "outside/index.html" },
		{ "f", "root/index.html" }, { "f", "root/file.txt" },
		{ "f", "root/.htpasswd" }, { "d", "root/.git" },
		{ "f", "root/.git/config" }, { "d", "root/a" },
		{ "d", "root/a/b" }, { "f", "root/a/b/c.txt" },
		{ "f", "root/a/index.html" }, { "d", "root/empty" },
		{ "d", "root/a/b/deep" }, { "p", "root/fifo" },
		{ "l:file.txt", "root/in-rel" },
		{ "l:../a", "root/a/b/up" },
		{ "l:%s/root/a", "root/in-abs" },
		{ "l:%s/root", "root/a/b/to-root" },
		{ "l:../outside/secret", "root/out-rel" },
		{ "l:../outside", "root/out-dir" },
		{ "l:../../../outside", "root/a/b/out-deep" },
		{ "l:%s/outside/secret", "root/out-abs" },
		{ "l:%s/root/../outside", "root/out-abs-dots" },
		{ "l:/etc", "root/etc" },
		{ "l:loop", "root/loop" },
		{ "l:nowhere", "root/dangling" },
		{ "l:.git", "root/a/dot-link" },
		{ "l:fifo", "root/fifo-link" },
		{ "l:b/up/b/up/b/up", "root/a/spiral" },
	};
	const char	*tmp;
	char		 real[PATH_MAX];
	size_t		 i;

	(void)argc;
	(void)argv;
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(top, sizeof(top), "%s/fuzz_resolve.XXXXXX", tmp);
	if (mkdtemp(top) == NULL)
		abort();
	if (realpath(top, real) == NULL)
		abort();
	snprintf(top, sizeof(top), "%s", real);
	atexit(cleanup);
	for (i = 0; i < sizeof(tree) / sizeof(tree[0]); i++)
		mk(tree[i][0], tree[i][1]);
	snprintf(root, sizeof(root), "%s/root", top);
	if ((rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		abort();
	return 0;
}

/* fd's real path is the root or below it. */
static void
under_root(int fd, const char *path)
{
	char	proc[64], real[PATH_MAX];
	ssize_t	n;
	size_t	rl = strlen(root);

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if ((n = readlink(proc, real, sizeof(real) - 1)) == -1)
		return;		/* no /proc: nothing to compare */
	real[n] = '\0';
	if (strncmp(real, root, rl) != 0 ||
	    (real[rl] != '\0' && real[rl] != '/')) {
		fprintf(stderr, "resolve: %s opened %s outside %s\n", path,
		    real, root);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *const	 index[] = { "index.html", "index.htm" };
	struct resolve_opts	 o;
	struct resolve_result	 res;
	enum resolve_kind	 k[2];
	char			 path[PATH_MAX];
	int			 pol, walk, rp, fd, lowfd;
	uint8_t			 flags;

	if (size < 1)
		return 0;
	flags = data[0];
	if (uri_normalize((const char *)data + 1, size - 1, path,
	    sizeof(path), NULL) != URI_OK)
		return 0;
	if ((lowfd = dup(0)) == -1)
		abort();
	close(lowfd);
	for (pol = 0; pol < 3; pol++) {
		for (rp = 0; rp < 2; rp++) {
			for (walk = 0; walk < 2; walk++) {
				memset(&o, 0, sizeof(o));
				o.rootfd = rootfd;
				o.symlinks = (enum resolve_symlinks)pol;
				o.dotfiles = flags & 1;
				o.autoindex = (flags >> 1) & 1;
				o.index = index;
				o.nindex = (flags >> 2) & 1 ? 2 : 0;
				o.no_openat2 = walk;
				o.rootpath = rp ? root : NULL;
				k[walk] = resolve_path(&o, path, &res);
				if (k[walk] != res.kind)
					abort();
				if (k[walk] != RESOLVE_FILE &&
				    k[walk] != RESOLVE_LISTING) {
					if (res.fd != -1)
						abort();
					continue;
				}
				if (res.fd < 0)
					abort();
				if (pol != RESOLVE_SYMLINKS_ALWAYS)
					under_root(res.fd, path);
				close(res.fd);
			}
			/* RESOLVE_ERROR depends on errno paths; compare rest. */
			if (k[0] != k[1] && k[0] != RESOLVE_ERROR &&
			    k[1] != RESOLVE_ERROR) {
				fprintf(stderr, "resolve: %s policy %d rootpath "
				    "%d: openat2 %d, walk %d\n", path, pol, rp,
				    k[0], k[1]);
				abort();
			}
		}
	}
	/* Every fd given back was closed: the lowest free one is too. */
	if ((fd = dup(0)) == -1)
		abort();
	close(fd);
	if (fd != lowfd) {
		fprintf(stderr, "resolve: %s leaked fd %d\n", path, lowfd);
		abort();
	}
	return 0;
}
