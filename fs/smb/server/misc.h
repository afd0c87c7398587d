/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small conversions shared by the handlers: names and times.
 */
#ifndef _SMBD_MISC_H
#define _SMBD_MISC_H

#include <linux/math64.h>
#include <linux/time64.h>
#include <linux/types.h>

/* 100ns intervals between 1601-01-01 and 1970-01-01 */
#define SMBD_NT_EPOCH_OFFSET	116444736000000000ULL

static inline u64 smbd_time_to_nt(struct timespec64 ts)
{
	return (u64)ts.tv_sec * 10000000ULL + ts.tv_nsec / 100 +
		SMBD_NT_EPOCH_OFFSET;
}

static inline struct timespec64 smbd_nt_to_time(u64 nt)
{
	struct timespec64 ts;
	s64 t = (s64)(nt - SMBD_NT_EPOCH_OFFSET);
	s32 rem;

	ts.tv_sec = div_s64_rem(t, 10000000, &rem);
	if (rem < 0) {
		rem += 10000000;
		ts.tv_sec--;
	}
	ts.tv_nsec = rem * 100;
	return ts;
}

u64 smbd_nt_now(void);

/**
 * smbd_utf16_to_utf8 - convert a client string
 * @src: UTF-16LE, not terminated
 * @bytes: its length in bytes (odd lengths are rejected)
 * @out: a kmalloc'ed, NUL-terminated UTF-8 string
 *
 * Return: length of @out, or -EINVAL for bad input (odd length, embedded
 * NUL, invalid surrogates) or -ENOMEM.
 */
int smbd_utf16_to_utf8(const void *src, u32 bytes, char **out);

/**
 * smbd_utf8_to_utf16 - convert a name for the wire
 * @src: UTF-8 string
 * @len: its length in bytes
 * @dst: output buffer
 * @room: bytes available in @dst
 *
 * Return: bytes written (no terminator), -ENOSPC if @room is too small,
 * -EINVAL for invalid UTF-8.
 */
int smbd_utf8_to_utf16(const char *src, int len, void *dst, u32 room);

/**
 * smbd_share_path - turn a client path into a share-relative path
 * @name: UTF-8 name as the client sent it (backslash separated)
 *
 * Converts separators to '/', drops leading and repeated separators, and
 * rejects "." / ".." components, stream syntax (':') and characters NTFS
 * does not allow in names. Converts in place.
 *
 * Return: 0 or -EINVAL (answer STATUS_OBJECT_NAME_INVALID).
 */
int smbd_share_path(char *name);

/**
 * smbd_errno_status - map a VFS error to an NT status
 * @err: a negative errno
 *
 * Return: the NT status a Windows server gives for the same condition.
 */
__le32 smbd_errno_status(int err);

#endif /* _SMBD_MISC_H */
