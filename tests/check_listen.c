/*
 * check_listen: listen address parsing, canonical text, comparison, and
 * binding a loopback socket.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "daemon/listen.h"

static const struct {
	const char	*in;
	int		 family;	/* 0 = must be refused */
	const char	*text;
	unsigned	 port;
} cases[] = {
	{ "0.0.0.0:6789", AF_INET, "0.0.0.0:6789", 6789 },
	{ "127.0.0.1:80", AF_INET, "127.0.0.1:80", 80 },
	{ "8080", AF_INET, "0.0.0.0:8080", 8080 },
	{ "[::1]:443", AF_INET6, "[::1]:443", 443 },
	{ "[::]:1", AF_INET6, "[::]:1", 1 },
	{ "65535", AF_INET, "0.0.0.0:65535", 65535 },
	{ "0", 0, NULL, 0 },
	{ "65536", 0, NULL, 0 },
	{ "1.2.3.4:", 0, NULL, 0 },
	{ "1.2.3.4:-1", 0, NULL, 0 },
	{ "1.2.3.4:8a", 0, NULL, 0 },
	{ "1.2.3.4", 0, NULL, 0 },
	{ "1.2.3:80", 0, NULL, 0 },
	{ "localhost:80", 0, NULL, 0 },
	{ "::1:80", 0, NULL, 0 },
	{ "[::1]80", 0, NULL, 0 },
	{ "[::1]:", 0, NULL, 0 },
	{ "[nothex]:80", 0, NULL, 0 },
	{ "[127.0.0.1]:80", 0, NULL, 0 },
	{ "", 0, NULL, 0 },
};

START_TEST(test_parse_table)
{
	struct listen_addr	la;
	char			err[128];
	int			r;
	unsigned		port;

	r = listen_parse(cases[_i].in, &la, err, sizeof(err));
	if (cases[_i].family == 0) {
		ck_assert_msg(r == -1, "accepted \"%s\"", cases[_i].in);
		ck_assert_msg(err[0] != '\0', "no reason for \"%s\"",
		    cases[_i].in);
		return;
	}
	ck_assert_msg(r == 0, "refused \"%s\": %s", cases[_i].in, err);
	ck_assert_int_eq(la.ss.ss_family, cases[_i].family);
	ck_assert_str_eq(la.text, cases[_i].text);
	port = la.ss.ss_family == AF_INET ?
	    ntohs(((struct sockaddr_in *)&la.ss)->sin_port) :
	    ntohs(((struct sockaddr_in6 *)&la.ss)->sin6_port);
	ck_assert_uint_eq(port, cases[_i].port);
}
END_TEST

START_TEST(test_same)
{
	struct listen_addr	a, b, c;
	char			err[128];

	ck_assert_int_eq(listen_parse("80", &a, err, sizeof(err)), 0);
	ck_assert_int_eq(listen_parse("0.0.0.0:80", &b, err, sizeof(err)), 0);
	ck_assert_int_eq(listen_parse("[::]:80", &c, err, sizeof(err)), 0);
	ck_assert(listen_same(&a, &b));
	ck_assert(!listen_same(&a, &c));
}
END_TEST

START_TEST(test_bind_loopback)
{
	struct listen_addr	la;
	char			err[128];
	int			fd, fd2, flags;

	/* A kernel-chosen port: the test cannot collide with anything. */
	ck_assert_int_eq(listen_parse("127.0.0.1:1", &la, err, sizeof(err)),
	    0);
	((struct sockaddr_in *)&la.ss)->sin_port = 0;
	fd = listen_bind(&la);
	ck_assert_int_ge(fd, 0);
	flags = fcntl(fd, F_GETFL);
	ck_assert(flags & O_NONBLOCK);
	ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	/* Binding the same port again fails with EADDRINUSE. */
	{
		struct sockaddr_in	sin;
		socklen_t		len = sizeof(sin);

		ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin,
		    &len), 0);
		((struct sockaddr_in *)&la.ss)->sin_port = sin.sin_port;
	}
	fd2 = listen_bind(&la);
	ck_assert_int_eq(fd2, -1);
	ck_assert_int_eq(errno, EADDRINUSE);
	close(fd);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("listen");
	TCase	*tc = tcase_create("listen");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_parse_table, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_same);
	tcase_add_test(tc, test_bind_loopback);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
