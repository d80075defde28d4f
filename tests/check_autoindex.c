/*
 * check_autoindex: directory listings are sorted (directories first),
 * hide dotfiles unless asked, and escape every name so that no file name
 * can inject markup; an empty directory lists fine.
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

static char *
render(int dotfiles, const char *path)
{
	char	*out = NULL;
	size_t	 len = 0;
	int	 fd = open(dir, O_RDONLY | O_DIRECTORY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(autoindex_render(fd, path, dotfiles, &out, &len), 0);
	close(fd);
	ck_assert_uint_eq(strlen(out), len);
	return out;
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

/* At most AUTOINDEX_MAX_ENTRIES rows, however big the directory. */
START_TEST(test_entry_cap)
{
	char	 name[32], *out, *p;
	int	 i, rows = 0;

	for (i = 0; i < AUTOINDEX_MAX_ENTRIES + 50; i++) {
		snprintf(name, sizeof(name), "f%05d", i);
		touch(name);
	}
	out = render(0, "/");
	for (p = out; (p = strstr(p, "<tr><td><a href=\"./")) != NULL; p++)
		rows++;
	ck_assert_int_eq(rows, AUTOINDEX_MAX_ENTRIES);
	free(out);
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
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
