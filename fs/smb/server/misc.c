// SPDX-License-Identifier: GPL-2.0-only
/*
 * Name, path and status conversions shared by the command handlers.
 */
#include "server.h"

#include <linux/errno.h>
#include <linux/nls.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include "../common/smb2status.h"
#include "misc.h"

u64 smbs_nt_now(void)
{
	struct timespec64 ts;

	ktime_get_real_ts64(&ts);
	return smbs_time_to_nt(ts);
}

/*
 * Check a client string and count the UTF-8 bytes it converts to.
 * Return: the count, -EINVAL for an embedded NUL or a lone surrogate,
 * -ENAMETOOLONG past SMBS_NAME_MAX_BYTES.
 */
static int smbs_utf16_check(const __le16 *s, u32 nchars)
{
	u32 i, len = 0;

	for (i = 0; i < nchars; i++) {
		u16 c = le16_to_cpu(s[i]);

		if (!c || (c >= 0xdc00 && c <= 0xdfff))
			return -EINVAL;
		if (c < 0xd800 || c > 0xdbff) {
			len += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
			continue;
		}
		/* A high surrogate must be followed by a low one. */
		if (i + 1 == nchars ||
		    (le16_to_cpu(s[i + 1]) & 0xfc00) != 0xdc00)
			return -EINVAL;
		i++;
		len += 4;
	}
	return len > SMBS_NAME_MAX_BYTES ? -ENAMETOOLONG : len;
}

int smbs_utf16_to_utf8(const void *src, u32 bytes, char **out)
{
	const __le16 *s = src;
	u32 nchars = bytes / 2;
	char *buf;
	int len;

	*out = NULL;
	if (bytes & 1)
		return -EINVAL;
	/* Every unit makes at least one byte: refuse before looking. */
	if (nchars > SMBS_NAME_MAX_BYTES)
		return -ENAMETOOLONG;
	len = smbs_utf16_check(s, nchars);
	if (len < 0)
		return len;
	buf = kmalloc(len + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (utf16s_to_utf8s((const wchar_t *)s, nchars, UTF16_LITTLE_ENDIAN,
			    buf, len) != len) {
		kfree(buf);
		return -EINVAL;
	}
	buf[len] = '\0';
	*out = buf;
	return len;
}

int smbs_utf8_to_utf16(const char *src, int len, void *dst, u32 room)
{
	wchar_t *tmp;
	int n;

	if (!len)
		return 0;
	tmp = kmalloc_array(len, sizeof(wchar_t), GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	n = utf8s_to_utf16s(src, len, UTF16_LITTLE_ENDIAN, tmp, len);
	if (n < 0) {
		kfree(tmp);
		return -EINVAL;
	}
	if ((u32)n * 2 > room) {
		kfree(tmp);
		return -ENOSPC;
	}
	memcpy(dst, tmp, n * 2);
	kfree(tmp);
	return n * 2;
}

/* Characters Windows does not allow in a file name (MS-FSCC 2.1.5.2). */
static bool smbs_bad_name_char(unsigned char c)
{
	return c < 0x20 || strchr("\"*<>?|", c);
}

int smbs_share_path(char *name)
{
	char *src = name, *dst = name, *comp;

	while (*src) {
		while (*src == '\\' || *src == '/')
			src++;
		if (!*src)
			break;
		/* dst never passes src: the separator skipped above is reused. */
		if (dst > name)
			*dst++ = '/';
		comp = dst;
		while (*src && *src != '\\' && *src != '/') {
			if (smbs_bad_name_char(*src) || *src == ':')
				return -EINVAL;
			*dst++ = *src++;
		}
		if ((dst - comp == 1 && comp[0] == '.') ||
		    (dst - comp == 2 && comp[0] == '.' && comp[1] == '.'))
			return -EINVAL;
		if (dst - comp > NAME_MAX)
			return -ENAMETOOLONG;
	}
	*dst = '\0';
	return 0;
}

struct smbs_errmap {
	int err;
	__le32 status;
};

static const struct smbs_errmap smbs_errmap[] = {
	{ -EPERM, STATUS_ACCESS_DENIED },
	{ -EACCES, STATUS_ACCESS_DENIED },
	{ -EROFS, STATUS_MEDIA_WRITE_PROTECTED },
	{ -ENOENT, STATUS_OBJECT_NAME_NOT_FOUND },
	{ -ENOTDIR, STATUS_OBJECT_PATH_NOT_FOUND },
	{ -EISDIR, STATUS_FILE_IS_A_DIRECTORY },
	{ -EEXIST, STATUS_OBJECT_NAME_COLLISION },
	{ -ENOTEMPTY, STATUS_DIRECTORY_NOT_EMPTY },
	{ -ENOSPC, STATUS_DISK_FULL },
	{ -EDQUOT, STATUS_DISK_FULL },
	{ -EFBIG, STATUS_DISK_FULL },
	{ -ENOMEM, STATUS_NO_MEMORY },
	{ -ENAMETOOLONG, STATUS_OBJECT_NAME_INVALID },
	{ -EINVAL, STATUS_INVALID_PARAMETER },
	{ -EPROTO, STATUS_INVALID_PARAMETER },	/* the daemon: bad RPC data */
	{ -EXDEV, STATUS_ACCESS_DENIED },	/* escape beneath the share */
	{ -ELOOP, STATUS_OBJECT_PATH_NOT_FOUND },
	{ -EBADF, STATUS_INVALID_HANDLE },
	{ -EBUSY, STATUS_SHARING_VIOLATION },
	{ -ETXTBSY, STATUS_SHARING_VIOLATION },
	{ -EAGAIN, STATUS_FILE_LOCK_CONFLICT },
	{ -EOPNOTSUPP, STATUS_NOT_SUPPORTED },
	{ -ENODATA, STATUS_NOT_FOUND },
	{ -EMLINK, STATUS_TOO_MANY_LINKS },
	{ -EIO, STATUS_UNEXPECTED_IO_ERROR },
	{ -EINTR, STATUS_CANCELLED },
	{ -ETIMEDOUT, STATUS_IO_TIMEOUT },
};

__le32 smbs_errno_status(int err)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(smbs_errmap); i++)
		if (smbs_errmap[i].err == err)
			return smbs_errmap[i].status;
	return STATUS_INTERNAL_ERROR;
}
