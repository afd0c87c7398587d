// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * "hosts allow" / "hosts deny" address matching.
 *
 * Patterns are numeric: an exact IPv4 or IPv6 address, an IPv4 prefix
 * ending in a dot ("192.168.1."), an IPv6 prefix ending in a colon
 * ("fe80:"), a network in CIDR form ("10.0.0.0/8", "10.0.0.0/255.0.0.0",
 * "fd00::/8"), "localhost" or "ALL". Host names are not resolved.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "hosts.h"

struct ipaddr {
	int family;
	unsigned char bytes[16];
};

static bool parse_addr(const char *s, struct ipaddr *a)
{
	if (inet_pton(AF_INET, s, a->bytes) == 1) {
		a->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, a->bytes) == 1) {
		a->family = AF_INET6;
		return true;
	}
	return false;
}

/* Client addresses: drop brackets, a scope id and the v4-mapped prefix. */
static char *normalize_addr(const char *addr)
{
	char *s, *p;
	size_t len;

	if (*addr == '[')
		addr++;
	s = g_strdup(addr);
	len = strlen(s);
	if (len && s[len - 1] == ']')
		s[len - 1] = '\0';
	p = strchr(s, '%');
	if (p)
		*p = '\0';
	if (!g_ascii_strncasecmp(s, "::ffff:", 7) && strchr(s + 7, '.') &&
	    !strchr(s + 7, ':'))
		memmove(s, s + 7, strlen(s + 7) + 1);
	return s;
}

static bool parse_prefix_len(const char *s, int family, unsigned int *bits)
{
	struct ipaddr mask;
	unsigned int i, n = 0;
	char *end;
	unsigned long v;

	if (family == AF_INET && strchr(s, '.')) {
		if (inet_pton(AF_INET, s, mask.bytes) != 1)
			return false;
		/* A dotted mask must be contiguous ones. */
		for (i = 0; i < 32; i++) {
			if (!(mask.bytes[i / 8] & (0x80 >> (i % 8))))
				break;
			n++;
		}
		for (; i < 32; i++)
			if (mask.bytes[i / 8] & (0x80 >> (i % 8)))
				return false;
		*bits = n;
		return true;
	}
	if (!g_ascii_isdigit(*s))
		return false;
	v = strtoul(s, &end, 10);
	if (*end || v > (family == AF_INET ? 32U : 128U))
		return false;
	*bits = v;
	return true;
}

static bool prefix_equal(const struct ipaddr *a, const struct ipaddr *b,
			 unsigned int bits)
{
	unsigned int full = bits / 8, rest = bits % 8;
	unsigned char m;

	if (memcmp(a->bytes, b->bytes, full))
		return false;
	if (!rest)
		return true;
	m = 0xff << (8 - rest);
	return (a->bytes[full] & m) == (b->bytes[full] & m);
}

static bool match_cidr(const char *pattern, const char *addr, bool *valid)
{
	char *net = g_strdup(pattern);
	char *slash = strchr(net, '/');
	struct ipaddr pa, aa;
	unsigned int bits;
	bool ok = false;

	*slash = '\0';
	*valid = parse_addr(net, &pa) &&
		 parse_prefix_len(slash + 1, pa.family, &bits);
	if (*valid && parse_addr(addr, &aa) && aa.family == pa.family)
		ok = prefix_equal(&pa, &aa, bits);
	g_free(net);
	return ok;
}

/* Match one pattern; *valid tells whether the pattern was understood. */
static bool match_one(const char *pattern, const char *addr, bool *valid)
{
	size_t len = strlen(pattern);
	struct ipaddr pa, aa;

	*valid = true;
	if (!g_ascii_strcasecmp(pattern, "ALL"))
		return true;
	if (!g_ascii_strcasecmp(pattern, "localhost"))
		return !strcmp(addr, "::1") || g_str_has_prefix(addr, "127.");
	if (strchr(pattern, '/'))
		return match_cidr(pattern, addr, valid);
	if (len && pattern[len - 1] == '.') {
		*valid = strspn(pattern, "0123456789.") == len;
		return *valid && strchr(addr, '.') && !strchr(addr, ':') &&
		       g_str_has_prefix(addr, pattern);
	}
	if (len && pattern[len - 1] == ':') {
		*valid = strspn(pattern, "0123456789abcdefABCDEF:") == len;
		return *valid && !g_ascii_strncasecmp(addr, pattern, len);
	}
	*valid = parse_addr(pattern, &pa);
	if (!*valid || !parse_addr(addr, &aa) || aa.family != pa.family)
		return false;
	return !memcmp(pa.bytes, aa.bytes, pa.family == AF_INET ? 4 : 16);
}

bool host_pattern_valid(const char *pattern)
{
	bool valid;

	match_one(pattern, "0.0.0.0", &valid);
	return valid;
}

bool host_match(const char *pattern, const char *addr)
{
	char *a = normalize_addr(addr);
	bool valid, ok = match_one(pattern, a, &valid);

	g_free(a);
	return ok;
}

bool host_list_match(char *const *patterns, const char *addr)
{
	for (; patterns && *patterns; patterns++)
		if (host_match(*patterns, addr))
			return true;
	return false;
}

/*
 * smb.conf semantics: a host in "hosts allow" is always let in; with only
 * an allow list everybody else is refused; otherwise "hosts deny" decides.
 */
bool host_allowed(char *const *allow, char *const *deny, const char *addr)
{
	bool has_allow = allow && *allow;
	bool has_deny = deny && *deny;

	if (has_allow && host_list_match(allow, addr))
		return true;
	if (has_allow && !has_deny)
		return false;
	return !(has_deny && host_list_match(deny, addr));
}
