/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small unit test harness for the ksmbd tools.
 */
#ifndef KSMBD_TESTS_H
#define KSMBD_TESTS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

extern unsigned int tests_passed, tests_failed;

void test_result(bool ok, const char *file, int line, const char *what);

#define CHECK(cond) test_result(!!(cond), __FILE__, __LINE__, #cond)

#define CHECK_INT(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a != _b)							\
		fprintf(stderr, "  %s = %lld, expected %lld\n", #a,	\
			_a, _b);					\
	test_result(_a == _b, __FILE__, __LINE__, #a " == " #b);	\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	bool _ok = _a && _b && !strcmp(_a, _b);				\
	if (!_ok)							\
		fprintf(stderr, "  %s = \"%s\", expected \"%s\"\n", #a,	\
			_a ? _a : "(null)", _b ? _b : "(null)");	\
	test_result(_ok, __FILE__, __LINE__, #a " == " #b);		\
} while (0)

/* @s is a string that contains @needle. */
#define CHECK_HAS(s, needle) do {					\
	const char *_s = (s), *_n = (needle);				\
	bool _ok = _s && _n && strstr(_s, _n);				\
	if (!_ok)							\
		fprintf(stderr, "  %s = \"%s\", expected to contain \"%s\"\n", \
			#s, _s ? _s : "(null)", _n ? _n : "(null)");	\
	test_result(_ok, __FILE__, __LINE__, #s " has " #needle);	\
} while (0)

#define CHECK_MEM(a, b, n) do {						\
	const void *_a = (a), *_b = (b);				\
	size_t _n = (n);						\
	bool _ok = !memcmp(_a, _b, _n);					\
	if (!_ok)							\
		test_dump(#a, _a, _b, _n);				\
	test_result(_ok, __FILE__, __LINE__, #a " == " #b);		\
} while (0)

void test_dump(const char *what, const void *got, const void *want,
	       size_t n);

/* Capture log messages; returns whether one contains @needle. */
void log_capture_start(void);
void log_capture_stop(void);
bool log_captured(const char *needle);

/* A scratch directory, removed when the tests end. */
const char *test_dir(void);
char *test_path(const char *name);
void write_text(const char *path, const char *text);
char *read_text(const char *path);

/* Run a built tool with @input on stdin; returns its exit status. */
int run_tool(const char *const *argv, const char *input, char **out,
	     char **err);

/* A NULL-terminated argument vector for run_tool(), in place. */
#define ARGV(...)	((const char *const []){ __VA_ARGS__, NULL })

void test_md4(void);
void test_config(void);
void test_users(void);
void test_shares(void);
void test_netlink(void);
void test_confedit(void);
void test_rpc(void);
void test_rpc_fuzz(void);
void test_idcache(void);
void test_compat(void);
void test_cli(void);

#endif
