// SPDX-License-Identifier: GPL-2.0
/*
 * Many small files copied in parallel, for scripts/benchmark:
 *
 *   smallcopy prep SRC N SIZE        make SRC/f0 .. SRC/f(N-1), SIZE bytes each
 *   smallcopy copy SRC DST N THREADS copy them into DST (created) with
 *                                    THREADS threads, file i by thread
 *                                    i % THREADS, read()/write() in 64 KiB
 *                                    pieces, then syncfs() on DST
 *
 * "copy" prints "ops=N bytes=B secs=S", S being the wall time including the
 * final syncfs(), so data cached by a client is counted once it is written.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BUFSZ (64 * 1024)
#define MAX_THREADS 64

static const char *src_dir, *dst_dir;
static long nfiles;
static int nthreads;

struct worker {
	pthread_t tid;
	int idx;
	long long bytes;
	int err;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Copy one file; returns bytes copied or -1 with a message printed. */
static long long copy_one(const char *from, const char *to, char *buf)
{
	long long total = 0;
	int in, out;
	ssize_t r, w, off;

	in = open(from, O_RDONLY);
	if (in < 0) {
		fprintf(stderr, "smallcopy: open %s: %s\n", from, strerror(errno));
		return -1;
	}
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		fprintf(stderr, "smallcopy: create %s: %s\n", to, strerror(errno));
		close(in);
		return -1;
	}
	/* Bounded by the source's size: read() returns 0 at its end. */
	while ((r = read(in, buf, BUFSZ)) > 0) {
		for (off = 0; off < r; off += w) {
			w = write(out, buf + off, r - off);
			if (w <= 0) {
				fprintf(stderr, "smallcopy: write %s: %s\n", to,
					strerror(errno));
				close(in);
				close(out);
				return -1;
			}
		}
		total += r;
	}
	close(in);
	if (r < 0 || close(out)) {
		fprintf(stderr, "smallcopy: copy %s: %s\n", to, strerror(errno));
		return -1;
	}
	return total;
}

static void *work(void *arg)
{
	struct worker *wk = arg;
	char from[4096], to[4096];
	char *buf = malloc(BUFSZ);
	long long n;
	long i;

	if (!buf) {
		wk->err = 1;
		return NULL;
	}
	for (i = wk->idx; i < nfiles; i += nthreads) {
		snprintf(from, sizeof(from), "%s/f%ld", src_dir, i);
		snprintf(to, sizeof(to), "%s/f%ld", dst_dir, i);
		n = copy_one(from, to, buf);
		if (n < 0) {
			wk->err = 1;
			break;
		}
		wk->bytes += n;
	}
	free(buf);
	return NULL;
}

static int prep(const char *dir, long n, long size)
{
	char path[4096];
	char *buf;
	long i;
	int fd;

	buf = malloc(size ? size : 1);
	if (!buf)
		return 1;
	for (i = 0; i < size; i++)
		buf[i] = (char)(i * 7 + 3);
	if (mkdir(dir, 0755) && errno != EEXIST) {
		perror(dir);
		return 1;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, buf, size) != size) {
			perror(path);
			return 1;
		}
		close(fd);
	}
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	struct worker wk[MAX_THREADS];
	long long bytes = 0;
	double t0, t1;
	int i, err = 0, dfd;

	if (argc == 5 && !strcmp(argv[1], "prep"))
		return prep(argv[2], strtol(argv[3], NULL, 10),
			    strtol(argv[4], NULL, 10));
	if (argc != 6 || strcmp(argv[1], "copy")) {
		fprintf(stderr, "usage: smallcopy prep SRC N SIZE\n"
				"       smallcopy copy SRC DST N THREADS\n");
		return 2;
	}
	src_dir = argv[2];
	dst_dir = argv[3];
	nfiles = strtol(argv[4], NULL, 10);
	nthreads = atoi(argv[5]);
	if (nfiles <= 0 || nthreads <= 0 || nthreads > MAX_THREADS) {
		fprintf(stderr, "smallcopy: bad count\n");
		return 2;
	}
	if (mkdir(dst_dir, 0755) && errno != EEXIST) {
		perror(dst_dir);
		return 1;
	}

	t0 = now();
	memset(wk, 0, sizeof(wk));
	for (i = 0; i < nthreads; i++) {
		wk[i].idx = i;
		if (pthread_create(&wk[i].tid, NULL, work, &wk[i])) {
			fprintf(stderr, "smallcopy: pthread_create failed\n");
			return 1;
		}
	}
	for (i = 0; i < nthreads; i++) {
		pthread_join(wk[i].tid, NULL);
		err |= wk[i].err;
		bytes += wk[i].bytes;
	}
	dfd = open(dst_dir, O_RDONLY | O_DIRECTORY);
	if (dfd < 0 || syncfs(dfd)) {
		perror("syncfs");
		err = 1;
	}
	if (dfd >= 0)
		close(dfd);
	t1 = now();
	if (err)
		return 1;
	printf("ops=%ld bytes=%lld secs=%.6f\n", nfiles, bytes, t1 - t0);
	return 0;
}
