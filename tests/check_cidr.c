/*
 * check_cidr: unit tests for src/core/cidr.c, the address prefixes of
 * "allow" lists (DESIGN section 3a).  A prefix that parses wrongly lets
 * the wrong clients in, so the parser is held to one spelling of each
 * number (no leading zeros, no signs, no spaces) and refuses a prefix
 * with host bits set instead of guessing what was meant.  Matching is
 * checked at the edges of each prefix and across the families: an IPv4
 * client seen through a dual-stack socket (::ffff:a.b.c.d) must match
 * exactly the IPv4 prefixes the plain IPv4 client matches.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <string.h>

#include "core/cidr.h"
#include "core/util.h"

static Suite	*cidr_suite(void);
static void	 want_prefix(const char *, const char *, unsigned,
		    const struct cidr *);
static socklen_t make_addr(const char *, struct sockaddr_storage *);
static void	 must_parse(const char *, struct cidr *);

/* Asserts that c is the IPv6 address v6 with bits bits. */
static void
want_prefix(const char *desc, const char *v6, unsigned bits,
    const struct cidr *c)
{
	uint8_t	a[16];

	ck_assert_msg(inet_pton(AF_INET6, v6, a) == 1, "%s: bad test address",
	    desc);
	ck_assert_msg(memcmp(a, c->addr, sizeof(a)) == 0,
	    "%s: address is not %s", desc, v6);
	ck_assert_msg(c->bits == bits, "%s: %u bits, want %u", desc, c->bits,
	    bits);
}

/* A client address: IPv6 when the text holds a ':', else IPv4. */
static socklen_t
make_addr(const char *text, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (strchr(text, ':') != NULL) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(4711);
		ck_assert_msg(inet_pton(AF_INET6, text, &sin6->sin6_addr) == 1,
		    "bad test address %s", text);
		return sizeof(*sin6);
	}
	sin->sin_family = AF_INET;
	sin->sin_port = htons(4711);
	ck_assert_msg(inet_pton(AF_INET, text, &sin->sin_addr) == 1,
	    "bad test address %s", text);
	return sizeof(*sin);
}

static void
must_parse(const char *text, struct cidr *c)
{
	char	why[128] = "";

	ck_assert_msg(cidr_parse(text, c, why, sizeof(why)) == 0,
	    "\"%s\" refused: %s", text, why);
}

/* Prefixes that parse: what is stored, and how it is written back. */
static const struct {
	const char	*desc;
	const char	*text;
	const char	*addr;		/* as IPv6 */
	unsigned	 bits;
	const char	*format;
} ok_cases[] = {
	{ "IPv4 /8", "10.0.0.0/8", "::ffff:10.0.0.0", 104, "10.0.0.0/8" },
	{ "IPv4 /24", "192.168.1.0/24", "::ffff:192.168.1.0", 120,
	    "192.168.1.0/24" },
	{ "IPv4 /23 (a partial byte)", "192.168.0.0/23", "::ffff:192.168.0.0",
	    119, "192.168.0.0/23" },
	{ "IPv4 /30", "1.2.3.4/30", "::ffff:1.2.3.4", 126, "1.2.3.4/30" },
	{ "IPv4 /31", "10.0.0.0/31", "::ffff:10.0.0.0", 127, "10.0.0.0/31" },
	{ "IPv4 address alone is /32", "192.0.2.1", "::ffff:192.0.2.1", 128,
	    "192.0.2.1" },
	{ "IPv4 /32 written out", "192.0.2.1/32", "::ffff:192.0.2.1", 128,
	    "192.0.2.1" },
	{ "IPv4 /0", "0.0.0.0/0", "::ffff:0.0.0.0", 96, "0.0.0.0/0" },
	{ "IPv4 all zeros alone", "0.0.0.0", "::ffff:0.0.0.0", 128,
	    "0.0.0.0" },
	{ "IPv4 broadcast", "255.255.255.255", "::ffff:255.255.255.255", 128,
	    "255.255.255.255" },
	{ "IPv4 single zero octets", "10.0.0.0/8", "::ffff:10.0.0.0", 104,
	    "10.0.0.0/8" },
	{ "IPv6 loopback", "::1", "::1", 128, "::1" },
	{ "IPv6 loopback /128", "::1/128", "::1", 128, "::1" },
	{ "IPv6 unspecified /128", "::/128", "::", 128, "::" },
	{ "IPv6 /0", "::/0", "::", 0, "::/0" },
	{ "IPv6 documentation /32", "2001:db8::/32", "2001:db8::", 32,
	    "2001:db8::/32" },
	{ "IPv6 upper case", "2001:DB8::/32", "2001:db8::", 32,
	    "2001:db8::/32" },
	{ "IPv6 leading zeros in a group are normal",
	    "2001:0db8:0000::/48", "2001:db8::", 48, "2001:db8::/48" },
	{ "IPv6 full form", "2001:db8:0:0:0:0:0:1", "2001:db8::1", 128,
	    "2001:db8::1" },
	{ "IPv6 link-local /10", "fe80::/10", "fe80::", 10, "fe80::/10" },
	{ "IPv6 /127", "2001:db8::/127", "2001:db8::", 127,
	    "2001:db8::/127" },
	{ "v4-mapped written as IPv6", "::ffff:10.0.0.0/104",
	    "::ffff:10.0.0.0", 104, "10.0.0.0/8" },
	{ "v4-mapped /96 is all of IPv4", "::ffff:0:0/96", "::ffff:0.0.0.0",
	    96, "0.0.0.0/0" },
	{ "v4-mapped address alone", "::ffff:10.0.0.1", "::ffff:10.0.0.1",
	    128, "10.0.0.1" },
	{ "v4-mapped in hex", "::ffff:a00:1", "::ffff:10.0.0.1", 128,
	    "10.0.0.1" },
	{ "IPv6 /80 below the mapped space", "::/80", "::", 80, "::/80" },
};

START_TEST(test_parse_ok)
{
	struct cidr	c;

	memset(&c, 0xa5, sizeof(c));
	must_parse(ok_cases[_i].text, &c);
	want_prefix(ok_cases[_i].desc, ok_cases[_i].addr, ok_cases[_i].bits,
	    &c);
}
END_TEST

START_TEST(test_format)
{
	struct cidr	c;
	char		buf[CIDR_STR_MAX];
	size_t		n;

	must_parse(ok_cases[_i].text, &c);
	n = cidr_format(&c, buf, sizeof(buf));
	ck_assert_msg(strcmp(buf, ok_cases[_i].format) == 0,
	    "%s: \"%s\" written as \"%s\", want \"%s\"", ok_cases[_i].desc,
	    ok_cases[_i].text, buf, ok_cases[_i].format);
	ck_assert_uint_eq(n, strlen(buf));
}
END_TEST

/* What cidr_format writes parses back to the same prefix. */
START_TEST(test_format_round_trip)
{
	struct cidr	c, back;
	char		buf[CIDR_STR_MAX];

	must_parse(ok_cases[_i].text, &c);
	cidr_format(&c, buf, sizeof(buf));
	must_parse(buf, &back);
	ck_assert_msg(memcmp(c.addr, back.addr, sizeof(c.addr)) == 0 &&
	    c.bits == back.bits, "%s: \"%s\" -> \"%s\" is another prefix",
	    ok_cases[_i].desc, ok_cases[_i].text, buf);
}
END_TEST

/*
 * Every length of both families survives format then parse, on an
 * address with all its prefix bits set (so that masking shows).
 */
START_TEST(test_format_round_trip_all_lengths)
{
	struct cidr	c, back;
	char		buf[CIDR_STR_MAX];
	unsigned	bits, i, first;

	for (first = 0; first <= 96; first += 96) {
		for (bits = first; bits <= 128; bits++) {
			memset(&c, 0, sizeof(c));
			for (i = 0; i < 16; i++)
				c.addr[i] = i < 10 && first == 96 ? 0 :
				    i < 12 && first == 96 ? 0xff : 0xa5;
			for (i = bits; i < 128; i++)
				c.addr[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
			if (first == 96)
				c.addr[10] = c.addr[11] = 0xff;
			c.bits = bits;
			ck_assert_uint_eq(cidr_format(&c, buf, sizeof(buf)),
			    strlen(buf));
			must_parse(buf, &back);
			ck_assert_msg(memcmp(&c, &back, sizeof(c)) == 0,
			    "/%u: \"%s\" parsed to another prefix", bits,
			    buf);
		}
	}
}
END_TEST

/* The longest text there is fits CIDR_STR_MAX; a short buffer truncates. */
START_TEST(test_format_sizes)
{
	struct cidr	c;
	char		buf[CIDR_STR_MAX];
	const char	*full;
	size_t		n;

	full = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127";
	must_parse(full, &c);
	ck_assert_uint_eq(cidr_format(&c, buf, sizeof(buf)), strlen(full));
	ck_assert_str_eq(buf, full);

	must_parse("10.0.0.0/8", &c);
	memset(buf, 'X', sizeof(buf));
	n = cidr_format(&c, buf, 5);
	ck_assert_uint_eq(n, strlen("10.0.0.0/8"));
	ck_assert_str_eq(buf, "10.0");
	ck_assert_int_eq(buf[5], 'X');
	ck_assert_uint_eq(cidr_format(&c, buf, 0), n);
	ck_assert_int_eq(buf[0], '1');
}
END_TEST

/* Refused prefixes, with a word the why must hold. */
static const struct {
	const char	*desc;
	const char	*text;
	const char	*why;
} bad_cases[] = {
	{ "empty", "", "empty" },
	{ "a space", " ", "not an IPv4 or IPv6" },
	{ "space before the slash", "10.0.0.0 /8", "not an IPv4 or IPv6" },
	{ "space after the slash", "10.0.0.0/ 8", "not an IPv4 or IPv6" },
	{ "leading space", " 10.0.0.0/8", "not an IPv4 or IPv6" },
	{ "trailing space", "10.0.0.0/8 ", "not an IPv4 or IPv6" },
	{ "tab", "10.0.0.0/8\t", "not an IPv4 or IPv6" },
	{ "trailing LF", "10.0.0.0/8\n", "not an IPv4 or IPv6" },
	{ "CR LF inside", "10.0.0.0\r\n/8", "not an IPv4 or IPv6" },
	{ "control byte", "\x01", "not an IPv4 or IPv6" },
	{ "high byte", "10.0.0.0/8\xff", "not an IPv4 or IPv6" },
	{ "a name", "localhost", "not an IPv4 or IPv6" },
	{ "bracketed IPv6", "[::1]", "not an IPv4 or IPv6" },
	{ "scope id", "fe80::1%eth0", "not an IPv4 or IPv6" },
	{ "hex IPv4", "0x0a.0.0.0", "not an IPv4 or IPv6" },
	{ "slash alone", "/", "not an IPv4 address" },
	{ "length without address", "/8", "not an IPv4 address" },
	{ "three octets", "10.0.0", "not an IPv4 address" },
	{ "five octets", "10.0.0.0.0", "not an IPv4 address" },
	{ "octet above 255", "10.0.0.256", "not an IPv4 address" },
	{ "empty octet", "10..0.0", "not an IPv4 address" },
	{ "trailing dot", "10.0.0.0.", "not an IPv4 address" },
	{ "leading zero octet", "010.0.0.0/8", "not an IPv4 address" },
	{ "leading zero inner octet", "10.00.0.0", "not an IPv4 address" },
	{ "leading zero last octet", "10.0.0.01", "not an IPv4 address" },
	{ "leading zero in a mapped tail", "::ffff:10.0.0.01",
	    "not an IPv6 address" },
	{ "nine groups", "1:2:3:4:5:6:7:8:9", "not an IPv6 address" },
	{ "two double colons", "1::2::3", "not an IPv6 address" },
	{ "triple colon", ":::", "not an IPv6 address" },
	{ "five hex digits", "12345::", "not an IPv6 address" },
	{ "slash without a length", "10.0.0.0/", "0 to 32" },
	{ "IPv6 slash without a length", "::/", "0 to 128" },
	{ "IPv4 /33", "10.0.0.0/33", "0 to 32" },
	{ "IPv4 /128", "10.0.0.0/128", "0 to 32" },
	{ "IPv4 /99", "10.0.0.0/99", "0 to 32" },
	{ "negative length", "10.0.0.0/-1", "not an IPv4 or IPv6" },
	{ "plus sign", "10.0.0.0/+8", "not an IPv4 or IPv6" },
	{ "leading zero length", "10.0.0.0/08", "leading zeros" },
	{ "two leading zeros", "10.0.0.0/008", "leading zeros" },
	{ "zero written twice", "0.0.0.0/00", "leading zeros" },
	{ "huge length", "10.0.0.0/4294967304", "0 to 32" },
	{ "IPv6 /129", "::1/129", "0 to 128" },
	{ "IPv6 /1280", "::/1280", "0 to 128" },
	{ "IPv6 leading zero length", "::/064", "leading zeros" },
	{ "two lengths", "10.0.0.0/8/8", "0 to 32" },
	{ "hex length", "::/ff", "0 to 128" },
	{ "IPv4 host bits", "10.0.0.1/8",
	    "bits set past /8: write 10.0.0.0/8" },
	{ "IPv4 host bits in a /24", "192.168.1.1/24",
	    "bits set past /24: write 192.168.1.0/24" },
	{ "IPv4 host bits in a /23", "192.168.1.0/23",
	    "bits set past /23: write 192.168.0.0/23" },
	{ "IPv4 host bits in a /0", "1.2.3.4/0",
	    "bits set past /0: write 0.0.0.0/0" },
	{ "IPv4 host bits in a /31", "10.0.0.1/31",
	    "bits set past /31: write 10.0.0.0/31" },
	{ "IPv6 host bits", "2001:db8::1/32",
	    "bits set past /32: write 2001:db8::/32" },
	{ "IPv6 host bits in a /0", "::1/0", "bits set past /0: write ::/0" },
	{ "IPv6 host bits in a /127", "::1/127",
	    "bits set past /127: write ::/127" },
	{ "v4-mapped host bits stay IPv6", "::ffff:10.0.0.1/104",
	    "bits set past /104: write ::ffff:10.0.0.0/104" },
};

START_TEST(test_parse_bad)
{
	struct cidr	c, before;
	char		why[128] = "";

	memset(&c, 0xa5, sizeof(c));
	before = c;
	ck_assert_msg(cidr_parse(bad_cases[_i].text, &c, why,
	    sizeof(why)) == -1, "%s: accepted", bad_cases[_i].desc);
	ck_assert_msg(strstr(why, bad_cases[_i].why) != NULL,
	    "%s: why \"%s\" lacks \"%s\"", bad_cases[_i].desc, why,
	    bad_cases[_i].why);
	/* A refusal leaves the caller's prefix alone. */
	ck_assert_msg(memcmp(&c, &before, sizeof(c)) == 0,
	    "%s: prefix changed on error", bad_cases[_i].desc);
	/* The why never echoes the raw value (CR, LF and all). */
	ck_assert_msg(strpbrk(why, "\r\n\t\x01\xff") == NULL,
	    "%s: control bytes in the why", bad_cases[_i].desc);
}
END_TEST

/* A refusal with no room for a why, or a NULL one, is still a refusal. */
START_TEST(test_parse_why_sizes)
{
	struct cidr	c;
	char		why[8];

	ck_assert_int_eq(cidr_parse("10.0.0.1/8", &c, NULL, 0), -1);
	ck_assert_int_eq(cidr_parse("10.0.0.1/8", &c, why, sizeof(why)), -1);
	ck_assert_uint_eq(strlen(why), sizeof(why) - 1);
	ck_assert_int_eq(cidr_parse(NULL, &c, why, sizeof(why)), -1);
}
END_TEST

/* Huge inputs are refused without a crash: too long for any address. */
START_TEST(test_parse_huge)
{
	static char	big[65536];
	struct cidr	c;
	char		why[128];

	memset(big, '1', sizeof(big) - 1);
	ck_assert_int_eq(cidr_parse(big, &c, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "too long"));
	memset(big, ':', sizeof(big) - 1);
	ck_assert_int_eq(cidr_parse(big, &c, why, sizeof(why)), -1);
	/* Just under the limit is judged on its content. */
	memset(big, 0, sizeof(big));
	memset(big, '0', CIDR_STR_MAX - 1);
	ck_assert_int_eq(cidr_parse(big, &c, why, sizeof(why)), -1);
	ck_assert_ptr_null(strstr(why, "too long"));
}
END_TEST

/* One prefix against one client. */
static const struct {
	const char	*desc;
	const char	*prefix;
	const char	*client;
	int		 want;
} match_cases[] = {
	{ "first of 10/8", "10.0.0.0/8", "10.0.0.0", 1 },
	{ "inside 10/8", "10.0.0.0/8", "10.1.2.3", 1 },
	{ "last of 10/8", "10.0.0.0/8", "10.255.255.255", 1 },
	{ "just past 10/8", "10.0.0.0/8", "11.0.0.0", 0 },
	{ "just before 10/8", "10.0.0.0/8", "9.255.255.255", 0 },
	{ "v4-mapped client in 10/8", "10.0.0.0/8", "::ffff:10.1.2.3", 1 },
	{ "v4-mapped client at the end of 10/8", "10.0.0.0/8",
	    "::ffff:10.255.255.255", 1 },
	{ "v4-mapped client past 10/8", "10.0.0.0/8", "::ffff:11.0.0.0", 0 },
	{ "v4-compatible client is not IPv4", "10.0.0.0/8", "::10.0.0.1",
	    0 },
	{ "NAT64 client is not IPv4", "10.0.0.0/8", "64:ff9b::10.0.0.1", 0 },
	{ "IPv6 client against 10/8", "10.0.0.0/8", "::1", 0 },
	{ "mapped prefix, IPv4 client", "::ffff:10.0.0.0/104", "10.9.9.9",
	    1 },
	{ "mapped prefix, IPv4 client outside", "::ffff:10.0.0.0/104",
	    "11.9.9.9", 0 },
	{ "/23: last", "192.168.0.0/23", "192.168.1.255", 1 },
	{ "/23: past", "192.168.0.0/23", "192.168.2.0", 0 },
	{ "/23: before", "192.168.0.0/23", "192.167.255.255", 0 },
	{ "/31: both", "10.0.0.0/31", "10.0.0.1", 1 },
	{ "/31: past", "10.0.0.0/31", "10.0.0.2", 0 },
	{ "IPv4 /32: itself", "127.0.0.1", "127.0.0.1", 1 },
	{ "IPv4 /32: mapped itself", "127.0.0.1", "::ffff:127.0.0.1", 1 },
	{ "IPv4 /32: next", "127.0.0.1", "127.0.0.2", 0 },
	{ "IPv4 /32: IPv6 loopback is another host", "127.0.0.1", "::1", 0 },
	{ "IPv4 /0: anything IPv4", "0.0.0.0/0", "1.2.3.4", 1 },
	{ "IPv4 /0: broadcast", "0.0.0.0/0", "255.255.255.255", 1 },
	{ "IPv4 /0: zero", "0.0.0.0/0", "0.0.0.0", 1 },
	{ "IPv4 /0: mapped", "0.0.0.0/0", "::ffff:1.2.3.4", 1 },
	{ "IPv4 /0: not IPv6", "0.0.0.0/0", "::1", 0 },
	{ "IPv4 /0: not IPv6 global", "0.0.0.0/0", "2001:db8::1", 0 },
	{ "IPv4 /0: not IPv6 unspecified", "0.0.0.0/0", "::", 0 },
	{ "IPv6 /0: loopback", "::/0", "::1", 1 },
	{ "IPv6 /0: global", "::/0", "2001:db8::1", 1 },
	{ "IPv6 /0: all ones", "::/0",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1 },
	/* IPv4 lives inside the IPv6 space here: see cidr.h. */
	{ "IPv6 /0 takes in IPv4 too", "::/0", "1.2.3.4", 1 },
	{ "IPv6 /128: itself", "::1", "::1", 1 },
	{ "IPv6 /128: next", "::1", "::2", 0 },
	{ "IPv6 /128: not IPv4 loopback", "::1", "127.0.0.1", 0 },
	{ "IPv6 /32: last", "2001:db8::/32",
	    "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 1 },
	{ "IPv6 /32: past", "2001:db8::/32", "2001:db9::", 0 },
	{ "IPv6 /32: before", "2001:db8::/32",
	    "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", 0 },
	{ "IPv6 /10: last", "fe80::/10", "febf:ffff::1", 1 },
	{ "IPv6 /10: past", "fe80::/10", "fec0::", 0 },
	{ "IPv6 /127: last", "2001:db8::/127", "2001:db8::1", 1 },
	{ "IPv6 /127: past", "2001:db8::/127", "2001:db8::2", 0 },
};

START_TEST(test_match)
{
	struct sockaddr_storage	ss;
	struct cidr		c;

	must_parse(match_cases[_i].prefix, &c);
	make_addr(match_cases[_i].client, &ss);
	ck_assert_msg(cidr_match(&c, 1, (struct sockaddr *)&ss) ==
	    match_cases[_i].want, "%s: %s in %s is not %d",
	    match_cases[_i].desc, match_cases[_i].client,
	    match_cases[_i].prefix, match_cases[_i].want);
}
END_TEST

/* A list: any member will do; an empty list lets nobody in. */
START_TEST(test_match_list)
{
	static const char *const list[] = {
		"127.0.0.1", "::1", "10.0.0.0/8", "2001:db8::/32",
	};
	static const struct {
		const char	*client;
		int		 want;
	} clients[] = {
		{ "127.0.0.1", 1 }, { "::1", 1 }, { "10.20.30.40", 1 },
		{ "::ffff:10.20.30.40", 1 }, { "2001:db8:1::1", 1 },
		{ "192.168.1.1", 0 }, { "::2", 0 }, { "2001:db9::1", 0 },
		{ "::ffff:127.0.0.2", 0 },
	};
	struct sockaddr_storage	ss;
	struct cidr		c[UTIL_ARRAY_LEN(list)];
	size_t			i;

	for (i = 0; i < UTIL_ARRAY_LEN(list); i++)
		must_parse(list[i], &c[i]);
	for (i = 0; i < UTIL_ARRAY_LEN(clients); i++) {
		make_addr(clients[i].client, &ss);
		ck_assert_msg(cidr_match(c, UTIL_ARRAY_LEN(c),
		    (struct sockaddr *)&ss) == clients[i].want,
		    "%s: not %d", clients[i].client, clients[i].want);
		ck_assert_msg(cidr_match(c, 0, (struct sockaddr *)&ss) == 0,
		    "%s: an empty list matched", clients[i].client);
	}
}
END_TEST

/* Families other than AF_INET and AF_INET6 never match, even /0. */
START_TEST(test_match_other_families)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_un	*un = (struct sockaddr_un *)&ss;
	struct cidr		 c[2];

	must_parse("::/0", &c[0]);
	must_parse("0.0.0.0/0", &c[1]);
	memset(&ss, 0, sizeof(ss));
	un->sun_family = AF_UNIX;
	ck_assert_int_eq(cidr_match(c, 2, (struct sockaddr *)&ss), 0);
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_UNSPEC;
	ck_assert_int_eq(cidr_match(c, 2, (struct sockaddr *)&ss), 0);
	ck_assert_int_eq(cidr_match(c, 2, NULL), 0);
}
END_TEST

/* The port and the rest of the socket address play no part. */
START_TEST(test_match_ignores_port_and_scope)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	struct cidr		 c;

	must_parse("fe80::/10", &c);
	make_addr("fe80::1", &ss);
	sin6->sin6_port = htons(1);
	sin6->sin6_scope_id = 7;
	sin6->sin6_flowinfo = htonl(0x12345);
	ck_assert_int_eq(cidr_match(&c, 1, (struct sockaddr *)&ss), 1);
}
END_TEST

static Suite *
cidr_suite(void)
{
	Suite	*s = suite_create("cidr");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_parse_ok, 0,
	    (int)UTIL_ARRAY_LEN(ok_cases));
	tcase_add_loop_test(tc, test_parse_bad, 0,
	    (int)UTIL_ARRAY_LEN(bad_cases));
	tcase_add_test(tc, test_parse_why_sizes);
	tcase_add_test(tc, test_parse_huge);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_loop_test(tc, test_format, 0,
	    (int)UTIL_ARRAY_LEN(ok_cases));
	tcase_add_loop_test(tc, test_format_round_trip, 0,
	    (int)UTIL_ARRAY_LEN(ok_cases));
	tcase_add_test(tc, test_format_round_trip_all_lengths);
	tcase_add_test(tc, test_format_sizes);
	suite_add_tcase(s, tc);

	tc = tcase_create("match");
	tcase_add_loop_test(tc, test_match, 0,
	    (int)UTIL_ARRAY_LEN(match_cases));
	tcase_add_test(tc, test_match_list);
	tcase_add_test(tc, test_match_other_families);
	tcase_add_test(tc, test_match_ignores_port_and_scope);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(cidr_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
