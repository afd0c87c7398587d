/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ksmbd.mountd lock file: holds the daemon's pid, locked with flock()
 * for as long as the daemon runs.
 */
#ifndef KSMBD_PIDFILE_H
#define KSMBD_PIDFILE_H

#include <sys/types.h>

int pidfile_lock(const char *path, int *fd, pid_t *holder);
int pidfile_write(int fd, pid_t pid);
pid_t pidfile_running(const char *path);

#endif
