/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small conversions shared by the handlers: names and times.
 */
#ifndef _SMBS_MISC_H
#define _SMBS_MISC_H

#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/time64.h>
#include <linux/types.h>

/* 100ns intervals between 1601-01-01 and 1970-01-01 */
#define SMBS_NT_EPOCH_OFFSET	116444736000000000ULL

static inline u64 smbs_time_to_nt(struct timespec64 ts)
{
	return (u64)ts.tv_sec * 10000000ULL + ts.tv_nsec / 100 +
		SMBS_NT_EPOCH_OFFSET;
}

static inline struct timespec64 smbs_nt_to_time(u64 nt)
{
	struct timespec64 ts;
	s64 t = (s64)(nt - SMBS_NT_EPOCH_OFFSET);
	s32 rem;

	ts.tv_sec = div_s64_rem(t, 10000000, &rem);
	if (rem < 0) {
		rem += 10000000;
		ts.tv_sec--;
	}
	ts.tv_nsec = rem * 100;
	return ts;
}

u64 smbs_nt_now(void);

/*
 * The longest string a client may send, in bytes of UTF-8 without the
 * terminator: the longest path Linux resolves (PATH_MAX with its NUL).
 * Windows allows 32767 UTF-16 units in a path (MS-FSCC 2.1.5), which
 * cannot be used here anyway. A path component is bounded apart, to
 * NAME_MAX bytes, by smbs_share_path(); MS-FSCC allows 255 UTF-16 units,
 * which is the same for ASCII names and more than Linux file systems store
 * for others.
 */
#define SMBS_NAME_MAX_BYTES	(PATH_MAX - 1)

/**
 * smbs_utf16_to_utf8 - convert a client string
 * @src: UTF-16LE, not terminated
 * @bytes: its length in bytes (odd lengths are rejected)
 * @out: a kmalloc'ed, NUL-terminated UTF-8 string
 *
 * Every name, path and string a client sends is converted here, so the
 * bound applies to all of them and no allocation depends on more than
 * SMBS_NAME_MAX_BYTES. Callers answer -ENAMETOOLONG as they answer
 * -EINVAL (STATUS_OBJECT_NAME_INVALID for file names, MS-FSA 2.1.5.1 and
 * 2.1.5.15.11).
 *
 * Return: length of @out; -EINVAL for bad input (odd length, embedded NUL,
 * invalid surrogates); -ENAMETOOLONG for a string longer than
 * SMBS_NAME_MAX_BYTES in UTF-8; or -ENOMEM.
 */
int smbs_utf16_to_utf8(const void *src, u32 bytes, char **out);

/**
 * smbs_utf8_to_utf16 - convert a name for the wire
 * @src: UTF-8 string
 * @len: its length in bytes
 * @dst: output buffer
 * @room: bytes available in @dst
 *
 * Return: bytes written (no terminator), -ENOSPC if @room is too small,
 * -EINVAL for invalid UTF-8.
 */
int smbs_utf8_to_utf16(const char *src, int len, void *dst, u32 room);

/**
 * smbs_share_path - turn a client path into a share-relative path
 * @name: UTF-8 name as the client sent it (backslash separated)
 *
 * Converts separators to '/', drops leading and repeated separators, and
 * rejects "." / ".." components, stream syntax (':') and characters NTFS
 * does not allow in names. Converts in place.
 *
 * Return: 0, -EINVAL, or -ENAMETOOLONG for a component longer than
 * NAME_MAX bytes (answer STATUS_OBJECT_NAME_INVALID for both).
 */
int smbs_share_path(char *name);

/**
 * smbs_errno_status - map a VFS error to an NT status
 * @err: a negative errno
 *
 * Return: the NT status a Windows server gives for the same condition.
 */
__le32 smbs_errno_status(int err);

#endif /* _SMBS_MISC_H */
