/*
 * check_autoindex: directory listings are sorted (directories first),
 * hide dotfiles unless asked, and escape every name so that no file name
 * can inject markup; an empty directory lists fine.  The body does not
 * depend on the request path (the cache shares it between paths), and
 * a listing cut short by the entry cap or the size cap says so.
 */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/autoindex.h"

static char	dir[64];

static void
touch(const char *name)
{
	char	p[256];
	FILE	*fp;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fp = fopen(p, "w");
	ck_assert_ptr_nonnull(fp);
	fclose(fp);
}

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check_autoindex.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char	cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* The body alone, within max bytes. */
static char *
body(int dotfiles, size_t max)
{
	char	*out = NULL;
	size_t	 len = 0;
	int	 fd = open(dir, O_RDONLY | O_DIRECTORY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(autoindex_body(fd, dotfiles, max, &out, &len), 0);
	close(fd);
	ck_assert_uint_eq(strlen(out), len);
	ck_assert_uint_le(len, max);
	return out;
}

/* The whole page, as serve sends it: head, then body. */
static char *
render(int dotfiles, const char *path)
{
	char	*head = NULL, *b, *page;
	size_t	 len = 0, blen;

	ck_assert_int_eq(autoindex_head(path, &head, &len), 0);
	ck_assert_uint_eq(strlen(head), len);
	b = body(dotfiles, 1 << 30);
	blen = strlen(b);
	page = malloc(len + blen + 1);
	ck_assert_ptr_nonnull(page);
	memcpy(page, head, len);
	memcpy(page + len, b, blen + 1);
	free(head);
	free(b);
	return page;
}

static int
rows(const char *out)
{
	const char	*p;
	int		 n = 0;

	for (p = out; (p = strstr(p, "<tr><td><a href=\"./")) != NULL; p++)
		n++;
	return n;
}

START_TEST(test_empty_directory)
{
	char	*out = render(0, "/empty/");

	ck_assert_ptr_nonnull(strstr(out, "Index of /empty/"));
	ck_assert_ptr_nonnull(strstr(out, "href=\"../\""));
	free(out);
}
END_TEST

START_TEST(test_sorted_directories_first)
{
	char	 p[256], *out, *a, *b, *d;

	touch("b.txt");
	touch("a.txt");
	snprintf(p, sizeof(p), "%s/zdir", dir);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	out = render(0, "/");
	d = strstr(out, ">zdir/<");
	a = strstr(out, ">a.txt<");
	b = strstr(out, ">b.txt<");
	ck_assert(d != NULL && a != NULL && b != NULL);
	ck_assert(d < a && a < b);
	/* The root has no parent link. */
	ck_assert_ptr_null(strstr(out, "href=\"../\""));
	free(out);
}
END_TEST

START_TEST(test_names_escaped)
{
	char	*out;

	touch("<script>x&y\".txt");
	touch("a b%.txt");
	out = render(0, "/<dir>/");
	ck_assert_ptr_null(strstr(out, "<script>"));
	ck_assert_ptr_null(strstr(out, "<dir>"));
	ck_assert_ptr_nonnull(strstr(out, "&lt;script&gt;x&amp;y&quot;.txt"));
	ck_assert_ptr_nonnull(strstr(out, "href=\"./%3Cscript%3Ex&amp;y%22.txt\""));
	ck_assert_ptr_nonnull(strstr(out, "href=\"./a%20b%25.txt\""));
	free(out);
}
END_TEST

START_TEST(test_dotfiles)
{
	char	*out;

	touch(".secret");
	touch("visible");
	out = render(0, "/");
	ck_assert_ptr_null(strstr(out, ".secret"));
	ck_assert_ptr_nonnull(strstr(out, "visible"));
	free(out);
	out = render(1, "/");
	ck_assert_ptr_nonnull(strstr(out, ".secret"));
	free(out);
}
END_TEST

/*
 * At most AUTOINDEX_MAX_ENTRIES rows, however big the directory, and a
 * note says the listing is cut short.
 */
START_TEST(test_entry_cap)
{
	char	 name[32], note[96], *out;
	int	 i;

	for (i = 0; i < AUTOINDEX_MAX_ENTRIES + 50; i++) {
		snprintf(name, sizeof(name), "f%05d", i);
		touch(name);
	}
	out = render(0, "/");
	ck_assert_int_eq(rows(out), AUTOINDEX_MAX_ENTRIES);
	snprintf(note, sizeof(note), "cut short: %d entries shown",
	    AUTOINDEX_MAX_ENTRIES);
	ck_assert_ptr_nonnull(strstr(out, note));
	free(out);
}
END_TEST

/* Exactly AUTOINDEX_MAX_ENTRIES: all of them, and no note. */
START_TEST(test_entry_cap_exact)
{
	char	 name[32], *out;
	int	 i;

	for (i = 0; i < AUTOINDEX_MAX_ENTRIES; i++) {
		snprintf(name, sizeof(name), "f%05d", i);
		touch(name);
	}
	out = render(0, "/");
	ck_assert_int_eq(rows(out), AUTOINDEX_MAX_ENTRIES);
	ck_assert_ptr_null(strstr(out, "cut short"));
	free(out);
}
END_TEST

/*
 * A body over the size cap keeps whole rows, in order, from the first,
 * ends the page properly and says how many it shows.
 */
START_TEST(test_size_cap)
{
	char	 name[32], *out, *all;
	int	 i;
	size_t	 max = 2048;

	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "name-%03d.txt", i);
		touch(name);
	}
	all = body(0, 1 << 20);
	ck_assert_int_eq(rows(all), 100);
	ck_assert_ptr_null(strstr(all, "cut short"));
	out = body(0, max);
	ck_assert_int_gt(rows(out), 0);
	ck_assert_int_lt(rows(out), 100);
	ck_assert_ptr_nonnull(strstr(out, ">name-000.txt<"));
	ck_assert_int_eq(strncmp(out, all, strstr(out, "</table>") - out),
	    0);
	ck_assert_ptr_nonnull(strstr(out, "cut short"));
	ck_assert_ptr_nonnull(strstr(out, "</table>"));
	ck_assert_str_eq(out + strlen(out) - 15, "</body></html>\n");
	free(out);
	/* Too small for any row: the end of the page still fits. */
	out = body(0, AUTOINDEX_TAIL_MAX);
	ck_assert_int_eq(rows(out), 0);
	ck_assert_ptr_nonnull(strstr(out, "cut short: 0 entries shown"));
	free(out);
	free(all);
}
END_TEST

/*
 * The body names no request path: the links are relative, and the
 * link to the parent, which "/" has not, is in the head.
 */
START_TEST(test_body_path_free)
{
	char	*out, *head;
	size_t	 len;

	touch("a.txt");
	out = body(0, 1 << 20);
	ck_assert_ptr_nonnull(strstr(out, "href=\"./a.txt\""));
	ck_assert_ptr_null(strstr(out, "../"));
	ck_assert_ptr_null(strstr(out, "Index of"));
	free(out);
	ck_assert_int_eq(autoindex_head("/x/", &head, &len), 0);
	ck_assert_ptr_nonnull(strstr(head, "href=\"../\""));
	free(head);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("autoindex");
	TCase	*tc = tcase_create("autoindex");
	SRunner	*sr;
	int	 failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_empty_directory);
	tcase_add_test(tc, test_sorted_directories_first);
	tcase_add_test(tc, test_names_escaped);
	tcase_add_test(tc, test_dotfiles);
	tcase_add_test(tc, test_entry_cap);
	tcase_add_test(tc, test_entry_cap_exact);
	tcase_add_test(tc, test_size_cap);
	tcase_add_test(tc, test_body_path_free);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
