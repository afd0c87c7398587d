/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small helpers shared by the ksmbd tools.
 */
#ifndef KSMBD_UTIL_H
#define KSMBD_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <glib.h>

#define KSMBD_TOOLS_VERSION	"0.1.0"

#ifndef KSMBD_SYSCONFDIR
#define KSMBD_SYSCONFDIR	"/etc/ksmbd"
#endif
#define KSMBD_DEFAULT_CONFIG	KSMBD_SYSCONFDIR "/ksmbd.conf"
#define KSMBD_DEFAULT_PWDDB	KSMBD_SYSCONFDIR "/ksmbdpwd.db"
#ifndef KSMBD_LOCK_FILE
#define KSMBD_LOCK_FILE		"/run/ksmbd.lock"
#endif

/* KSMBD_LOCK_FILE, or $KSMBD_LOCK_FILE when set (for tests). */
const char *ksmbd_lock_file(void);

#define KSMBD_ERROR	ksmbd_error_quark()
GQuark ksmbd_error_quark(void);

enum {
	KSMBD_ERR_PARSE,	/* syntax error in a file */
	KSMBD_ERR_VALUE,	/* a value that does not make sense */
	KSMBD_ERR_IO,		/* reading or writing a file failed */
	KSMBD_ERR_EXISTS,	/* the entry already exists */
	KSMBD_ERR_NOENT,	/* the entry does not exist */
};

/* Case-insensitive comparison key for user and share names. */
char *name_key(const char *name);
bool name_equal(const char *a, const char *b);

bool str_has_ctrl(const char *s);
char *str_trim(char *s);

void hex_encode(const uint8_t *in, size_t len, char *out);
int hex_decode(const char *in, uint8_t *out, size_t len);

/* "all", "none" or a comma list of conn,auth,vfs,pdu,ipc. */
int parse_debug_classes(const char *s, uint32_t *out);

/*
 * Replace @path with @len bytes of @data: write a temporary file in the
 * same directory, fsync it, set @mode and rename it over @path.
 */
int write_file_atomic(const char *path, const void *data, size_t len,
		      mode_t mode, GError **error);

#endif
