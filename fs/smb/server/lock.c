// SPDX-License-Identifier: GPL-2.0-only
/*
 * LOCK (MS-SMB2 3.3.5.14): Windows byte-range locks.
 *
 * Each open keeps the ranges it holds (smbd_file.locks): Windows locks are
 * per open, unlocks must name an exact held range, and an open's own
 * exclusive lock conflicts with its other requests. Other opens and local
 * processes see the ranges as POSIX locks owned by the open, so the kernel
 * finds conflicts between them. Zero-length ranges and ranges past
 * OFFSET_MAX exist only in the list: POSIX cannot express them.
 */
#include "server.h"

#include <linux/delay.h>
#include <linux/filelock.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include "connection.h"
#include "file.h"
#include "misc.h"
#include "session.h"
#include "smb2.h"

#define SMBD_LOCK_RETRY_MS	10	/* poll interval of a blocking lock */

/**
 * struct smbd_lock - a range an open holds
 * @node: entry in smbd_file.locks
 * @start: first byte
 * @len: length, 0 allowed
 * @excl: exclusive (else shared)
 */
struct smbd_lock {
	struct list_head node;
	u64 start;
	u64 len;
	bool excl;
};

/*
 * Windows overlap: two zero-length ranges meet at the same offset; a
 * zero-length range meets a range that has bytes on both sides of it.
 */
static bool smbd_lock_overlap(u64 s1, u64 l1, u64 s2, u64 l2)
{
	if (!l1 && !l2)
		return s1 == s2;
	if (!l1)
		return s1 > s2 && s1 - s2 < l2;
	if (!l2)
		return s2 > s1 && s2 - s1 < l1;
	return s1 <= s2 + (l2 - 1) && s2 <= s1 + (l1 - 1);
}

/* Can POSIX express [start, start + len)? */
static bool smbd_lock_posix(u64 start, u64 len)
{
	return len && start <= OFFSET_MAX && len - 1 <= OFFSET_MAX - start;
}

static int smbd_posix_lock(struct smbd_file *fp, u64 start, u64 len,
			   unsigned char type)
{
	struct file_lock fl;

	if (!smbd_lock_posix(start, len))
		return 0;
	locks_init_lock(&fl);
	fl.c.flc_flags = FL_POSIX;
	fl.c.flc_type = type;
	fl.c.flc_owner = fp;
	fl.c.flc_pid = current->tgid;
	fl.c.flc_file = fp->filp;
	fl.fl_start = start;
	fl.fl_end = start + len - 1;
	return vfs_lock_file(fp->filp, F_SETLK, &fl, NULL);
}

/* Re-assert the POSIX locks of the ranges still held over [start, len). */
static void smbd_posix_restore(struct smbd_file *fp, u64 start, u64 len)
{
	struct smbd_lock *l;

	list_for_each_entry(l, &fp->locks, node)
		if (!l->excl && smbd_lock_overlap(l->start, l->len, start, len))
			smbd_posix_lock(fp, l->start, l->len, F_RDLCK);
	list_for_each_entry(l, &fp->locks, node)
		if (l->excl && smbd_lock_overlap(l->start, l->len, start, len))
			smbd_posix_lock(fp, l->start, l->len, F_WRLCK);
}

/* Try to take one range now; caller holds fp->lock. */
static __le32 smbd_lock_try(struct smbd_file *fp, u64 start, u64 len,
			    bool excl)
{
	struct smbd_lock *l, *nl;
	int err;

	/* The open's own ranges: only a new exclusive lock cannot stack. */
	list_for_each_entry(l, &fp->locks, node)
		if (excl && smbd_lock_overlap(l->start, l->len, start, len))
			return STATUS_LOCK_NOT_GRANTED;
	nl = kmalloc(sizeof(*nl), GFP_KERNEL);
	if (!nl)
		return STATUS_NO_MEMORY;
	err = smbd_posix_lock(fp, start, len, excl ? F_WRLCK : F_RDLCK);
	if (err) {
		kfree(nl);
		/* An upgrade of our own shared range may have been partial. */
		smbd_posix_restore(fp, start, len);
		return err == -EAGAIN ? STATUS_LOCK_NOT_GRANTED :
					smbd_errno_status(err);
	}
	nl->start = start;
	nl->len = len;
	nl->excl = excl;
	list_add_tail(&nl->node, &fp->locks);
	/* A shared lock stacked on our exclusive one must not weaken it. */
	if (!excl)
		smbd_posix_restore(fp, start, len);
	return STATUS_SUCCESS;
}

/* Release one held range; caller holds fp->lock. */
static __le32 smbd_unlock_one(struct smbd_file *fp, u64 start, u64 len)
{
	struct smbd_lock *l;

	list_for_each_entry(l, &fp->locks, node) {
		if (l->start != start || l->len != len)
			continue;
		list_del(&l->node);
		kfree(l);
		if (smbd_lock_posix(start, len)) {
			smbd_posix_lock(fp, start, len, F_UNLCK);
			smbd_posix_restore(fp, start, len);
		}
		return STATUS_SUCCESS;
	}
	return STATUS_RANGE_NOT_LOCKED;
}

/* A lock that waits: retry until granted or the client goes away. */
static __le32 smbd_lock_wait(struct smbd_work *w, struct smbd_file *fp,
			     u64 start, u64 len, bool excl)
{
	__le32 st;

	for (;;) {
		mutex_lock(&fp->lock);
		st = smbd_lock_try(fp, start, len, excl);
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

static __le32 smbd_lock_apply(struct smbd_work *w, struct smbd_file *fp,
			      const struct smb2_lock_element *el, u32 n,
			      bool unlock)
{
	__le32 st = STATUS_SUCCESS;
	u32 i, f;

	if (!unlock && n == 1 &&
	    !(le32_to_cpu(el[0].Flags) & SMB2_LOCKFLAG_FAIL_IMMEDIATELY))
		return smbd_lock_wait(w, fp, le64_to_cpu(el[0].Offset),
				      le64_to_cpu(el[0].Length),
				      le32_to_cpu(el[0].Flags) &
				      SMB2_LOCKFLAG_EXCLUSIVE);

	mutex_lock(&fp->lock);
	for (i = 0; i < n && st == STATUS_SUCCESS; i++) {
		f = le32_to_cpu(el[i].Flags);
		if (unlock)
			st = smbd_unlock_one(fp, le64_to_cpu(el[i].Offset),
					     le64_to_cpu(el[i].Length));
		else
			st = smbd_lock_try(fp, le64_to_cpu(el[i].Offset),
					   le64_to_cpu(el[i].Length),
					   f & SMB2_LOCKFLAG_EXCLUSIVE);
	}
	/* A failed lock request takes none of its ranges. */
	while (!unlock && st != STATUS_SUCCESS && i-- > 1)
		smbd_unlock_one(fp, le64_to_cpu(el[i - 1].Offset),
				le64_to_cpu(el[i - 1].Length));
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
 * @fp: the open
 */
void smbd_lock_release_all(struct smbd_file *fp)
{
	struct smbd_lock *l, *tmp;

	if (fp->filp && !list_empty(&fp->locks))
		locks_remove_posix(fp->filp, fp);
	list_for_each_entry_safe(l, tmp, &fp->locks, node) {
		list_del(&l->node);
		kfree(l);
	}
}
