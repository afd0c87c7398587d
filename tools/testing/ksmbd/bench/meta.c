// SPDX-License-Identifier: GPL-2.0
/*
 * Metadata workloads for scripts/benchmark, one phase per call so that the
 * caller can drop caches (and remount) between phases:
 *
 *   meta create DIR N    create DIR/f0 .. DIR/f(N-1), empty (open + close)
 *   meta stat DIR N      stat() each of them
 *   meta list DIR N      read DIR and stat() every entry (like ls -l);
 *                        fails unless it finds N entries besides . and ..
 *   meta unlink DIR N    unlink each of them, then remove DIR
 *
 * Prints "ops=N secs=S" on success, where S is the wall time of the phase.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "meta: %s %s: %s\n", what, path, strerror(errno));
	return 1;
}

static int do_list(const char *dir, long n)
{
	char path[4096];
	struct dirent *de;
	struct stat st;
	long found = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return fail("opendir", dir);
	/* Bounded: a directory larger than 4N entries is an error too. */
	while (found <= 4 * n && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st)) {
			closedir(d);
			return fail("lstat", path);
		}
		found++;
	}
	closedir(d);
	if (found != n) {
		fprintf(stderr, "meta: %s has %ld entries, expected %ld\n",
			dir, found, n);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char path[4096];
	const char *op, *dir;
	struct stat st;
	double t0;
	long i, n;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: meta create|stat|list|unlink DIR N\n");
		return 2;
	}
	op = argv[1];
	dir = argv[2];
	n = strtol(argv[3], NULL, 10);
	if (n <= 0 || n > 10000000) {
		fprintf(stderr, "meta: bad count %s\n", argv[3]);
		return 2;
	}

	t0 = now();
	if (!strcmp(op, "create")) {
		if (mkdir(dir, 0755) && errno != EEXIST)
			return fail("mkdir", dir);
		for (i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "%s/f%ld", dir, i);
			fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
			if (fd < 0)
				return fail("create", path);
			close(fd);
		}
	} else if (!strcmp(op, "stat")) {
		for (i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "%s/f%ld", dir, i);
			if (stat(path, &st))
				return fail("stat", path);
		}
	} else if (!strcmp(op, "list")) {
		if (do_list(dir, n))
			return 1;
	} else if (!strcmp(op, "unlink")) {
		for (i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "%s/f%ld", dir, i);
			if (unlink(path))
				return fail("unlink", path);
		}
		if (rmdir(dir))
			return fail("rmdir", dir);
	} else {
		fprintf(stderr, "meta: unknown phase %s\n", op);
		return 2;
	}
	printf("ops=%ld secs=%.6f\n", n, now() - t0);
	return 0;
}
