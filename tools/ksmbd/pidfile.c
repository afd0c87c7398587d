// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ksmbd.mountd lock file.
 *
 * The lock, not the file's existence, says whether a daemon runs: a
 * daemon that crashed leaves the file behind but its lock goes with it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "pidfile.h"

static pid_t read_pid(int fd)
{
	char buf[32];
	ssize_t n;
	long pid;
	char *end;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return -EINVAL;
	buf[n] = '\0';
	pid = strtol(buf, &end, 10);
	if (end == buf || (*end && *end != '\n') || pid <= 0)
		return -EINVAL;
	return pid;
}

/*
 * Take the lock. Returns 0 with the open file in *fd, -EBUSY with the
 * running daemon's pid in *holder (0 if unreadable), or -errno.
 */
int pidfile_lock(const char *path, int *fd, pid_t *holder)
{
	int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	pid_t pid;

	*holder = 0;
	if (f < 0)
		return -errno;
	if (flock(f, LOCK_EX | LOCK_NB)) {
		int err = errno;

		if (err == EWOULDBLOCK) {
			pid = read_pid(f);
			*holder = pid > 0 ? pid : 0;
			err = EBUSY;
		}
		close(f);
		return -err;
	}
	*fd = f;
	return 0;
}

int pidfile_write(int fd, pid_t pid)
{
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%d\n", (int)pid);

	if (ftruncate(fd, 0) || pwrite(fd, buf, len, 0) != len)
		return -errno;
	return 0;
}

/* The pid of the running daemon, 0 if none runs, or -errno. */
pid_t pidfile_running(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	pid_t pid;

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!flock(fd, LOCK_SH | LOCK_NB)) {
		close(fd);
		return 0;
	}
	if (errno != EWOULDBLOCK) {
		pid = -errno;
		close(fd);
		return pid;
	}
	pid = read_pid(fd);
	close(fd);
	return pid;
}
