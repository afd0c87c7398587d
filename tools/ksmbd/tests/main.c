// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test runner: runs every group and ends with "N passed, N failed".
 */
#include <stdlib.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "../log.h"
#include "tests.h"

unsigned int tests_passed, tests_failed;
static GPtrArray *captured;
static char *scratch;

void test_result(bool ok, const char *file, int line, const char *what)
{
	if (ok) {
		tests_passed++;
		return;
	}
	tests_failed++;
	fprintf(stderr, "FAIL %s:%d: %s\n", file, line, what);
}

void test_dump(const char *what, const void *got, const void *want, size_t n)
{
	const unsigned char *g = got, *w = want;
	size_t i;

	fprintf(stderr, "  %s differs:\n", what);
	for (i = 0; i < n; i++)
		if (g[i] != w[i])
			fprintf(stderr, "    [%zu] got %02x want %02x\n", i,
				g[i], w[i]);
}

static void capture([[maybe_unused]] int level, const char *msg,
		    [[maybe_unused]] void *data)
{
	g_ptr_array_add(captured, g_strdup(msg));
	if (getenv("TEST_VERBOSE"))
		fprintf(stderr, "  log: %s\n", msg);
}

void log_capture_start(void)
{
	g_ptr_array_set_size(captured, 0);
	log_set_sink(capture, NULL);
}

void log_capture_stop(void)
{
	log_set_sink(capture, NULL);
}

bool log_captured(const char *needle)
{
	unsigned int i;

	for (i = 0; i < captured->len; i++)
		if (strstr(captured->pdata[i], needle))
			return true;
	return false;
}

const char *test_dir(void)
{
	return scratch;
}

char *test_path(const char *name)
{
	return g_build_filename(scratch, name, NULL);
}

void write_text(const char *path, const char *text)
{
	if (!g_file_set_contents(path, text, -1, NULL)) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(2);
	}
}

char *read_text(const char *path)
{
	char *text = NULL;

	g_file_get_contents(path, &text, NULL, NULL);
	return text;
}

static void remove_tree(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;
	char *path;

	while (d && (name = g_dir_read_name(d))) {
		path = g_build_filename(dir, name, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_DIR))
			remove_tree(path);
		else
			g_unlink(path);
		g_free(path);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(dir);
}

static const struct {
	const char *name;
	void (*fn)(void);
} groups[] = {
	{ "md4", test_md4 },
	{ "config", test_config },
	{ "users", test_users },
	{ "shares", test_shares },
	{ "netlink", test_netlink },
	{ "confedit", test_confedit },
	{ "rpc", test_rpc },
	{ "rpc_fuzz", test_rpc_fuzz },
	{ "idcache", test_idcache },
	{ "compat", test_compat },
	{ "cli", test_cli },
};

int main(int argc, char **argv)
{
	unsigned int i, before;

	captured = g_ptr_array_new_with_free_func(g_free);
	scratch = g_dir_make_tmp("ksmbd-test-XXXXXX", NULL);
	if (!scratch) {
		fprintf(stderr, "cannot create a scratch directory\n");
		return 2;
	}
	/* Every message goes to the capture buffer, never to the terminal. */
	log_capture_start();

	for (i = 0; i < G_N_ELEMENTS(groups); i++) {
		if (argc > 1 && strcmp(argv[1], groups[i].name))
			continue;
		before = tests_failed;
		groups[i].fn();
		printf("%-10s %s\n", groups[i].name,
		       tests_failed == before ? "ok" : "FAILED");
	}

	remove_tree(scratch);
	g_free(scratch);
	g_ptr_array_unref(captured);
	printf("%u passed, %u failed\n", tests_passed, tests_failed);
	return tests_failed ? 1 : 0;
}
