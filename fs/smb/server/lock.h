/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Byte-range locks as READ and WRITE see them (lock.c).
 */
#ifndef _SMBS_LOCK_H
#define _SMBS_LOCK_H

#include <linux/types.h>

struct smbs_file;

/**
 * smbs_lock_io_conflict - do byte-range locks forbid an open's I/O?
 * @fp: the open reading or writing, with a file
 * @off: first byte
 * @len: bytes, 0 allowed; [@off, @off + @len) is a valid file range
 * @write: a write, else a read
 *
 * Windows locks are mandatory (MS-FSA 2.1.4.10): a read may not touch a
 * range another open (or a local process) holds exclusively, a write
 * not one anybody else holds at all, nor one @fp itself holds shared.
 * Other opens' locks that POSIX cannot express (an empty range, one past
 * OFFSET_MAX) count too: an empty one stops I/O over bytes on both sides
 * of it. Without any POSIX lock on the file, any lock of @fp and any such
 * lock on the server this is a look at three words.
 *
 * Context: may sleep.
 * Return: true to fail the request with STATUS_FILE_LOCK_CONFLICT.
 */
bool smbs_lock_io_conflict(struct smbs_file *fp, u64 off, u64 len,
			   bool write);

#endif /* _SMBS_LOCK_H */
