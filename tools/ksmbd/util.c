// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Small helpers shared by the ksmbd tools.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/smb_server.h>

#include "util.h"

GQuark ksmbd_error_quark(void)
{
	return g_quark_from_static_string("ksmbd-error");
}

char *name_key(const char *name)
{
	char *fold, *norm;

	if (!g_utf8_validate(name, -1, NULL))
		return g_ascii_strdown(name, -1);
	fold = g_utf8_casefold(name, -1);
	norm = g_utf8_normalize(fold, -1, G_NORMALIZE_DEFAULT);
	g_free(fold);
	return norm;
}

bool name_equal(const char *a, const char *b)
{
	char *ka = name_key(a);
	char *kb = name_key(b);
	bool eq = ka && kb && !strcmp(ka, kb);

	g_free(ka);
	g_free(kb);
	return eq;
}

bool str_has_ctrl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* Strip leading and trailing blanks in place; returns the new start. */
char *str_trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\r' || end[-1] == '\n'))
		end--;
	*end = '\0';
	return s;
}

void hex_encode(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}

/* Decode exactly 2 * @len hex digits; the string must end there. */
int hex_decode(const char *in, uint8_t *out, size_t len)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < len; i++) {
		hi = g_ascii_xdigit_value(in[2 * i]);
		if (hi < 0)
			return -EINVAL;
		lo = g_ascii_xdigit_value(in[2 * i + 1]);
		if (lo < 0)
			return -EINVAL;
		out[i] = hi << 4 | lo;
	}
	return in[2 * len] ? -EINVAL : 0;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= n;
	}
	return 0;
}

int write_file_atomic(const char *path, const void *data, size_t len,
		      mode_t mode, GError **error)
{
	char *tmp = g_strdup_printf("%s.XXXXXX", path);
	int fd, ret;

	fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, mode);
	if (fd < 0) {
		ret = -errno;
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_IO,
			    "cannot create a temporary file for %s: %s",
			    path, g_strerror(-ret));
		g_free(tmp);
		return ret;
	}

	ret = write_all(fd, data, len);
	if (!ret && fchmod(fd, mode))
		ret = -errno;
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;

	if (ret) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_IO,
			    "cannot write %s: %s", path, g_strerror(-ret));
		unlink(tmp);
	}
	g_free(tmp);
	return ret;
}

int parse_debug_classes(const char *s, uint32_t *out)
{
	static const struct {
		const char *name;
		uint32_t bit;
	} classes[] = {
		{ "conn", SMB_SERVER_DEBUG_CONN },
		{ "auth", SMB_SERVER_DEBUG_AUTH },
		{ "vfs", SMB_SERVER_DEBUG_VFS },
		{ "pdu", SMB_SERVER_DEBUG_PDU },
		{ "smb", SMB_SERVER_DEBUG_PDU },	/* ksmbd-tools' name */
		{ "ipc", SMB_SERVER_DEBUG_IPC },
		{ "all", SMB_SERVER_DEBUG_MASK },
		{ "none", 0 },
	};
	char **words = g_strsplit(s, ",", -1);
	uint32_t bits = 0;
	unsigned int i, j, n = 0;
	int ret = 0;

	for (i = 0; words[i] && !ret; i++) {
		char *w = g_strstrip(words[i]);

		if (!*w)
			continue;
		for (j = 0; j < G_N_ELEMENTS(classes); j++)
			if (!g_ascii_strcasecmp(w, classes[j].name))
				break;
		if (j == G_N_ELEMENTS(classes))
			ret = -EINVAL;
		else
			bits |= classes[j].bit;
		n++;
	}
	g_strfreev(words);
	if (ret || !n)
		return -EINVAL;
	*out = bits;
	return 0;
}

const char *ksmbd_lock_file(void)
{
	const char *env = getenv("KSMBD_LOCK_FILE");

	return env && *env == '/' ? env : KSMBD_LOCK_FILE;
}
