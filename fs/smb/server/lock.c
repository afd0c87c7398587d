// SPDX-License-Identifier: GPL-2.0-only
/*
 * LOCK (MS-SMB2 3.3.5.14): Windows byte-range locks.
 *
 * Each open keeps the ranges it holds (smbd_file.brl, brlock.c): Windows
 * locks are per open, stack, and are released by naming an exact held
 * range, and an open's own exclusive lock conflicts with its other
 * requests. Other opens and local processes see the ranges as POSIX locks
 * owned by the open, so the kernel finds conflicts between them.
 * Zero-length ranges and ranges past OFFSET_MAX exist only in the
 * bookkeeping: POSIX cannot express them.
 */
#include "server.h"

#include <linux/delay.h>
#include <linux/filelock.h>
#include <linux/fs.h>
#include "connection.h"
#include "file.h"
#include "misc.h"
#include "session.h"
#include "smb2.h"

#define SMBD_LOCK_RETRY_MS	10	/* poll interval of a blocking lock */

/*
 * Bounds on the locks held, checked before a request takes any: one open
 * (a request carries at most 65535 elements, each taking one lock), and
 * the whole server (each lock costs memory here and in the VFS, and the
 * VFS scans an inode's POSIX locks linearly on every change).
 */
#define SMBD_LOCKS_PER_OPEN	10000
#define SMBD_LOCKS_MAX		262144

static atomic_t smbd_locks_held = ATOMIC_INIT(0);

/* smbd_brl_posix_fn of an open: the ranges as POSIX locks it owns. */
static int smbd_posix_lock(void *ctx, u64 first, u64 last, int type)
{
	struct smbd_file *fp = ctx;
	struct file_lock fl;

	locks_init_lock(&fl);
	fl.c.flc_flags = FL_POSIX;
	fl.c.flc_type = type;
	fl.c.flc_owner = fp;
	fl.c.flc_pid = current->tgid;
	fl.c.flc_file = fp->filp;
	fl.fl_start = first;
	fl.fl_end = last;
	return vfs_lock_file(fp->filp, F_SETLK, &fl, NULL);
}

/* Account for @n new locks of @fp; caller holds fp->lock. */
static bool smbd_lock_reserve(struct smbd_file *fp, u32 n)
{
	if (n > SMBD_LOCKS_PER_OPEN - fp->brl.count)
		return false;
	if (atomic_add_return(n, &smbd_locks_held) > SMBD_LOCKS_MAX) {
		atomic_sub(n, &smbd_locks_held);
		return false;
	}
	return true;
}

static __le32 smbd_lock_status(int err)
{
	switch (err) {
	case 0:
		return STATUS_SUCCESS;
	case -EAGAIN:
		return STATUS_LOCK_NOT_GRANTED;
	case -ENOMEM:
	case -ENOLCK:
		return STATUS_INSUFFICIENT_RESOURCES;
	default:
		return smbd_errno_status(err);
	}
}

/*
 * Take every range of a request now or none (MS-SMB2 3.3.5.14.2).
 * Context: caller holds fp->lock.
 */
static __le32 smbd_lock_try(struct smbd_file *fp,
			    const struct smb2_lock_element *el, u32 n)
{
	int err = 0;
	u32 i;

	if (!smbd_lock_reserve(fp, n))
		return STATUS_INSUFFICIENT_RESOURCES;
	for (i = 0; i < n && !err; i++)
		err = smbd_brl_lock(&fp->brl, le64_to_cpu(el[i].Offset),
				    le64_to_cpu(el[i].Length),
				    le32_to_cpu(el[i].Flags) &
				    SMB2_LOCKFLAG_EXCLUSIVE,
				    smbd_posix_lock, fp);
	if (err) {
		smbd_brl_abort(&fp->brl, smbd_posix_lock, fp);
		atomic_sub(n, &smbd_locks_held);
	} else {
		smbd_brl_commit(&fp->brl);
	}
	return smbd_lock_status(err);
}

/* Release ranges in order until one is not held; caller holds fp->lock. */
static __le32 smbd_unlock(struct smbd_file *fp,
			  const struct smb2_lock_element *el, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (smbd_brl_unlock(&fp->brl, le64_to_cpu(el[i].Offset),
				    le64_to_cpu(el[i].Length),
				    smbd_posix_lock, fp))
			return STATUS_RANGE_NOT_LOCKED;
		atomic_dec(&smbd_locks_held);
	}
	return STATUS_SUCCESS;
}

/* A lock that waits: retry until granted or the client goes away. */
static __le32 smbd_lock_wait(struct smbd_work *w, struct smbd_file *fp,
			     const struct smb2_lock_element *el)
{
	__le32 st;

	for (;;) {
		mutex_lock(&fp->lock);
		st = smbd_lock_try(fp, el, 1);
		mutex_unlock(&fp->lock);
		if (st != STATUS_LOCK_NOT_GRANTED)
			return st;
		if (!smbd_conn_alive(w->conn) ||
		    READ_ONCE(w->sess->state) != SMBD_SESS_VALID)
			return STATUS_CANCELLED;
		if (msleep_interruptible(SMBD_LOCK_RETRY_MS))
			return STATUS_CANCELLED;
	}
}

/* Check the elements before acting on any (MS-SMB2 3.3.5.14). */
static __le32 smbd_lock_validate(const struct smb2_lock_element *el, u32 n,
				 bool *unlock)
{
	u32 i, f;

	*unlock = le32_to_cpu(el[0].Flags) & SMB2_LOCKFLAG_UNLOCK;
	for (i = 0; i < n; i++) {
		u64 start = le64_to_cpu(el[i].Offset);
		u64 len = le64_to_cpu(el[i].Length);

		f = le32_to_cpu(el[i].Flags);
		if (*unlock) {
			if (f != SMB2_LOCKFLAG_UNLOCK)
				return STATUS_INVALID_PARAMETER;
		} else {
			f &= ~SMB2_LOCKFLAG_FAIL_IMMEDIATELY;
			if (f != SMB2_LOCKFLAG_SHARED &&
			    f != SMB2_LOCKFLAG_EXCLUSIVE)
				return STATUS_INVALID_PARAMETER;
			/* Several locks in one request may not wait. */
			if (n > 1 && !(le32_to_cpu(el[i].Flags) &
				       SMB2_LOCKFLAG_FAIL_IMMEDIATELY))
				return STATUS_INVALID_PARAMETER;
		}
		if (len && start + (len - 1) < start)
			return STATUS_INVALID_LOCK_RANGE;
	}
	return STATUS_SUCCESS;
}

/*
 * May the open lock at all? Windows wants read or write data access on
 * the handle; the VFS wants the file open for read to read-lock and open
 * for write to write-lock (as fcntl(F_SETLK) does), so a client gets no
 * lock a local process with the same open could not take. An open with
 * no data access is O_PATH and never locks.
 */
static __le32 smbd_lock_access(const struct smbd_file *fp,
			       const struct smb2_lock_element *el, u32 n,
			       bool unlock)
{
	const u32 data = le32_to_cpu(FILE_READ_DATA_LE | FILE_WRITE_DATA_LE |
				     FILE_APPEND_DATA_LE);
	fmode_t mode = fp->filp->f_mode;
	u32 i;

	if (!(fp->access & data) || (mode & FMODE_PATH))
		return STATUS_ACCESS_DENIED;
	for (i = 0; !unlock && i < n; i++) {
		if (le32_to_cpu(el[i].Flags) & SMB2_LOCKFLAG_EXCLUSIVE) {
			if (!(mode & FMODE_WRITE))
				return STATUS_ACCESS_DENIED;
		} else if (!(mode & FMODE_READ)) {
			return STATUS_ACCESS_DENIED;
		}
	}
	return STATUS_SUCCESS;
}

static __le32 smbd_lock_apply(struct smbd_work *w, struct smbd_file *fp,
			      const struct smb2_lock_element *el, u32 n,
			      bool unlock)
{
	__le32 st;

	if (!unlock && n == 1 &&
	    !(le32_to_cpu(el[0].Flags) & SMB2_LOCKFLAG_FAIL_IMMEDIATELY))
		return smbd_lock_wait(w, fp, el);

	mutex_lock(&fp->lock);
	st = unlock ? smbd_unlock(fp, el, n) : smbd_lock_try(fp, el, n);
	mutex_unlock(&fp->lock);
	return st;
}

/**
 * smbd_lock - LOCK
 * @w: the work
 *
 * Return: the NT status of the response.
 */
__le32 smbd_lock(struct smbd_work *w)
{
	const struct smb2_lock_req *req = (const void *)w->pdu.hdr;
	const struct smbd_buf *locks = &w->pdu.var[SMBD_VAR_LOCKS];
	const struct smb2_lock_element *el = (const void *)locks->ptr;
	u32 n = locks->len / sizeof(*el);
	struct smb2_lock_rsp *rsp;
	struct smbd_file *fp;
	bool unlock;
	__le32 st;

	fp = smbd_file_lookup(w, req->PersistentFileId, req->VolatileFileId);
	if (!fp)
		return STATUS_FILE_CLOSED;
	st = n ? smbd_lock_validate(el, n, &unlock) : STATUS_INVALID_PARAMETER;
	if (st == STATUS_SUCCESS && (!fp->filp || fp->is_dir))
		st = STATUS_INVALID_DEVICE_REQUEST;
	if (st == STATUS_SUCCESS)
		st = smbd_lock_access(fp, el, n, unlock);
	if (st == STATUS_SUCCESS)
		st = smbd_lock_apply(w, fp, el, n, unlock);
	smbd_file_put(fp);
	if (st != STATUS_SUCCESS)
		return st;
	rsp = smbd_rsp_body(w, sizeof(*rsp));
	rsp->StructureSize = cpu_to_le16(4);
	return STATUS_SUCCESS;
}

/**
 * smbd_lock_release_all - drop every range an open holds (at its close)
 * @fp: the open, no longer reachable by requests
 */
void smbd_lock_release_all(struct smbd_file *fp)
{
	if (fp->filp && !(fp->filp->f_mode & FMODE_PATH))
		locks_remove_posix(fp->filp, fp);
	atomic_sub(fp->brl.count, &smbd_locks_held);
	smbd_brl_free(&fp->brl);
}
