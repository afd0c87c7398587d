// SPDX-License-Identifier: GPL-2.0-only
/*
 * LOCK (MS-SMB2 3.3.5.14): Windows byte-range locks.
 *
 * Each open keeps the ranges it holds (smbs_file.brl, brlock.c): Windows
 * locks are per open, stack, and are released by naming an exact held
 * range, and an open's own exclusive lock conflicts with its other
 * requests. Other opens and local processes see the ranges as POSIX locks
 * owned by the open, so the kernel finds conflicts between them.
 * Zero-length ranges and ranges past OFFSET_MAX, which POSIX cannot
 * express, are kept in a record per inode that the other opens through
 * this server see (brlock.c); local processes do not.
 *
 * A lock that may wait and cannot be granted at once goes asynchronous
 * (async.c) and waits without a worker: on the open's own unlocks
 * (fp->waits) when the open's own locks stand in the way, otherwise
 * on the conflicting POSIX lock itself, through a blocked "probe" request
 * whose lm_notify the VFS calls when that lock goes. Woken, it tries
 * again. The probe is a POSIX request of an owner of its own; it is only
 * made after vfs_test_lock() found a conflicting lock, so it is queued
 * behind that lock and never granted unless the lock goes in between (then
 * it is granted for a moment, visible to local processes, and given back).
 * A lock that waits on another open's lock POSIX cannot show, or whose
 * own range POSIX cannot express, looks again every SMBS_LOCK_RECHECK.
 * CANCEL ends a wait with STATUS_CANCELLED; closing the open (CLOSE,
 * TREE_DISCONNECT, LOGOFF) with STATUS_RANGE_NOT_LOCKED.
 */
#include "server.h"

#include <linux/filelock.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include "async.h"
#include "connection.h"
#include "file.h"
#include "lock.h"
#include "misc.h"
#include "session.h"
#include "smb2.h"

/*
 * A wait that no lock release can be seen to end (a file system with its
 * own ->lock, a probe blocked behind the open's own lock, a lock POSIX
 * cannot express) looks again this often.
 */
#define SMBS_LOCK_RECHECK	(HZ / 5)

/* Tries of one wake-up before a lock that keeps slipping away is refused. */
#define SMBS_LOCK_TRIES		8

/*
 * Bound on the locks one open holds, checked before a request takes any (a
 * request carries at most 65535 elements, each taking one lock); those of
 * the session (SMBS_SESS_MAX_LOCKS) and of the whole server are brlock.c's
 * (smbs_brl_charge()).
 */
#define SMBS_LOCKS_PER_OPEN	10000

/**
 * struct smbs_lock_wait - a LOCK request waiting for its range
 * @w: the request
 * @fp: its open, referenced
 * @el: the lock it asks for
 * @fw: entry in @fp->waits, under @fp->lock; ended at the open's close
 * @probe: a POSIX request of owner @probe blocked on the lock that
 *	   stands in the way (VFS blocked lists); its lm_notify wakes @w
 * @probing: @probe is handed to the VFS
 * @recheck: fallback wake-up when no release can be seen
 */
struct smbs_lock_wait {
	struct smbs_work *w;
	struct smbs_file *fp;
	struct smb2_lock_element el;
	struct smbs_file_wait fw;
	struct file_lock probe;
	bool probing;
	struct timer_list recheck;
};

/* Fill in a POSIX request of @owner on @filp for [@first, @last]. */
static void smbs_posix_init(struct file_lock *fl, struct file *filp,
			    void *owner, u64 first, u64 last, int type)
{
	locks_init_lock(fl);
	fl->c.flc_flags = FL_POSIX;
	fl->c.flc_type = type;
	fl->c.flc_owner = owner;
	fl->c.flc_pid = current->tgid;
	fl->c.flc_file = filp;
	fl->fl_start = first;
	fl->fl_end = last;
}

/*
 * Does a POSIX lock of another owner than @fp refuse [@first, @last]?
 * Asks the file system (vfs_test_lock()).
 */
static bool smbs_posix_tested(struct smbs_file *fp, u64 first, u64 last,
			      bool excl)
{
	struct file_lock fl;
	bool conflict;

	smbs_posix_init(&fl, fp->filp, fp, first, last,
			excl ? F_WRLCK : F_RDLCK);
	conflict = !vfs_test_lock(fp->filp, &fl) && fl.c.flc_type != F_UNLCK;
	locks_release_private(&fl);
	return conflict;
}

/* smbs_brl_posix_fn of an open: the ranges as POSIX locks it owns. */
static int smbs_posix_lock(void *ctx, u64 first, u64 last, int type)
{
	struct smbs_file *fp = ctx;
	struct file_lock fl;

	smbs_posix_init(&fl, fp->filp, fp, first, last, type);
	return vfs_lock_file(fp->filp, F_SETLK, &fl, NULL);
}

/*
 * The bytes of a Windows range that a POSIX lock must cover to conflict:
 * the range within OFFSET_MAX, or for an empty range the bytes on both
 * sides of it. Return: false if no POSIX lock can.
 */
static bool smbs_lock_posix_span(u64 start, u64 len, u64 *first, u64 *last)
{
	if (!len) {
		if (!start || start > OFFSET_MAX)
			return false;
		*first = start - 1;
		*last = start;
		return true;
	}
	if (start > OFFSET_MAX)
		return false;
	*first = start;
	*last = min_t(u64, start + (len - 1), OFFSET_MAX);
	return true;
}

/*
 * smbs_brl_test_fn of an open: another owner's POSIX lock against a range
 * POSIX cannot express, by the overlap rule of MS-FSA 2.1.4.10. The
 * inode's POSIX locks are walked as the VFS keeps them (one record per
 * owner and run of bytes); a file system with its own ->lock keeps them
 * elsewhere and is asked with vfs_test_lock() on the bytes that matter.
 */
static bool smbs_posix_test(void *ctx, u64 start, u64 len, bool excl)
{
	struct smbs_file *fp = ctx;
	struct file_lock_context *flctx;
	struct file_lock *fl;
	bool conflict = false;
	u64 first, last;

	if (!smbs_lock_posix_span(start, len, &first, &last))
		return false;
	if (fp->filp->f_op->lock)
		return smbs_posix_tested(fp, first, last, excl);
	flctx = locks_inode_context(file_inode(fp->filp));
	if (!flctx || list_empty_careful(&flctx->flc_posix))
		return false;
	spin_lock(&flctx->flc_lock);
	for_each_file_lock(fl, &flctx->flc_posix) {
		if (fl->c.flc_owner == fp || (!excl && !lock_is_write(fl)))
			continue;
		if (smbs_brl_overlap(fl->fl_start, fl->fl_end - fl->fl_start + 1,
				     start, len)) {
			conflict = true;
			break;
		}
	}
	spin_unlock(&flctx->flc_lock);
	return conflict;
}

/* How the open's locks reach its file. */
static void smbs_lock_vfs(struct smbs_file *fp, struct smbs_brl_vfs *v)
{
	v->posix = smbs_posix_lock;
	v->test = smbs_posix_test;
	v->key = file_inode(fp->filp);
	v->ctx = fp;
}

/*
 * Account for @n new locks of @fp, taken in @sess, the session whose
 * table holds the open: they count against its budget until they go,
 * also when the open outlives the session (a waiting LOCK holding it).
 * Context: caller holds fp->lock.
 */
static bool smbs_lock_reserve(struct smbs_file *fp, struct smbs_session *sess,
			      u32 n)
{
	lockdep_assert_held(&fp->lock);
	if (n > SMBS_LOCKS_PER_OPEN - fp->brl.count)
		return false;
	return smbs_brl_charge(&fp->brl, sess->locks, n);
}

static __le32 smbs_lock_status(int err)
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
		return smbs_errno_status(err);
	}
}

/*
 * Take every range of a request now or none (MS-SMB2 3.3.5.14.2).
 * Context: caller holds fp->lock.
 */
static __le32 smbs_lock_try(struct smbs_file *fp, struct smbs_session *sess,
			    const struct smb2_lock_element *el, u32 n)
{
	struct smbs_brl_vfs v;
	int err = 0;
	u32 i;

	lockdep_assert_held(&fp->lock);
	if (!smbs_lock_reserve(fp, sess, n))
		return STATUS_INSUFFICIENT_RESOURCES;
	smbs_lock_vfs(fp, &v);
	for (i = 0; i < n && !err; i++)
		err = smbs_brl_lock(&fp->brl, &v, le64_to_cpu(el[i].Offset),
				    le64_to_cpu(el[i].Length),
				    le32_to_cpu(el[i].Flags) &
				    SMB2_LOCKFLAG_EXCLUSIVE);
	if (err) {
		smbs_brl_abort(&fp->brl, &v);
		smbs_brl_uncharge(&fp->brl, n);
	} else {
		smbs_brl_commit(&fp->brl);
	}
	return smbs_lock_status(err);
}

/* The open is closed under a waiting lock. Context: under fp->lock. */
static void smbs_lock_wait_closed(struct smbs_file_wait *fw)
{
	struct smbs_lock_wait *lw = container_of(fw, struct smbs_lock_wait, fw);

	lockdep_assert_held(&lw->fp->lock);
	smbs_work_cancel(lw->w, STATUS_RANGE_NOT_LOCKED);
}

/* Let the open's waiting locks look again; caller holds fp->lock. */
static void smbs_lock_wake_own(struct smbs_file *fp)
{
	struct smbs_file_wait *fw;

	lockdep_assert_held(&fp->lock);
	/* Of the open's waiters, the locks are those with our callback. */
	list_for_each_entry(fw, &fp->waits, node)
		if (fw->closed == smbs_lock_wait_closed)
			smbs_work_wake(container_of(fw, struct smbs_lock_wait,
						    fw)->w);
}

/*
 * Release ranges in order until one is not held or not an unlock at all
 * (MS-SMB2 3.3.5.14.1): the ones released before stay released. Caller
 * holds fp->lock.
 */
static __le32 smbs_unlock(struct smbs_file *fp,
			  const struct smb2_lock_element *el, u32 n)
{
	__le32 st = STATUS_SUCCESS;
	struct smbs_brl_vfs v;
	u64 start, len;
	u32 i;

	lockdep_assert_held(&fp->lock);
	smbs_lock_vfs(fp, &v);
	for (i = 0; i < n; i++) {
		start = le64_to_cpu(el[i].Offset);
		len = le64_to_cpu(el[i].Length);
		if (le32_to_cpu(el[i].Flags) != SMB2_LOCKFLAG_UNLOCK) {
			st = STATUS_INVALID_PARAMETER;
			break;
		}
		if (len && start + (len - 1) < start) {
			st = STATUS_INVALID_LOCK_RANGE;
			break;
		}
		if (smbs_brl_unlock(&fp->brl, &v, start, len)) {
			st = STATUS_RANGE_NOT_LOCKED;
			break;
		}
	}
	if (i) {
		smbs_brl_uncharge(&fp->brl, i);
		smbs_lock_wake_own(fp);
	}
	return st;
}

static void smbs_lock_notify(struct file_lock *fl)
{
	struct smbs_lock_wait *lw = container_of(fl, struct smbs_lock_wait,
						 probe);

	/* Called under the VFS's blocked-lock spinlock, before unlinking. */
	smbs_work_wake(lw->w);
}

static const struct lock_manager_operations smbs_lock_lmops = {
	.lm_notify = smbs_lock_notify,
};

static void smbs_lock_recheck(struct timer_list *t)
{
	struct smbs_lock_wait *lw = from_timer(lw, t, recheck);

	smbs_work_wake(lw->w);
}

/* Stop every wake-up source but the list; caller holds fp->lock. */
static void smbs_lock_disarm(struct smbs_lock_wait *lw)
{
	lockdep_assert_held(&lw->fp->lock);
	if (lw->probing) {
		locks_delete_block(&lw->probe);
		lw->probing = false;
	}
	timer_delete_sync(&lw->recheck);
}

/* Fill in a POSIX request of the probe's own owner on the wanted range. */
static void smbs_lock_probe_init(struct smbs_lock_wait *lw,
				 struct file_lock *fl, u64 first, u64 last,
				 int type)
{
	smbs_posix_init(fl, lw->fp->filp, lw, first, last, type);
}

/*
 * Queue the probe behind a lock that stands in the way. Return:
 * FILE_LOCK_DEFERRED when queued (@conf is that lock), 0 when nothing
 * stands in the way (*@held: the probe was granted in the meantime and
 * must be given back), or a negative errno.
 */
static int smbs_lock_probe(struct smbs_lock_wait *lw, u64 first, u64 last,
			   int type, struct file_lock *conf, bool *held)
{
	struct file_lock *fl = &lw->probe;
	int err;

	*held = false;
	/* Look first: a request with nothing in its way would be granted. */
	smbs_lock_probe_init(lw, conf, first, last, type);
	err = vfs_test_lock(lw->fp->filp, conf);
	if (err || conf->c.flc_type == F_UNLCK)
		return err;
	locks_release_private(conf);
	locks_init_lock(conf);
	smbs_lock_probe_init(lw, fl, first, last, type);
	fl->c.flc_flags |= FL_SLEEP;
	fl->fl_lmops = &smbs_lock_lmops;
	err = vfs_lock_file(lw->fp->filp, F_SETLK, fl, conf);
	*held = !err;
	return err;
}

/*
 * Arrange to be woken when the range may be free. Return: 1 when
 * armed, 0 when the conflict is gone (try again), or a negative errno.
 * Context: caller holds fp->lock.
 */
static int smbs_lock_arm(struct smbs_lock_wait *lw)
{
	struct smbs_file *fp = lw->fp;
	u64 start = le64_to_cpu(lw->el.Offset);
	u64 len = le64_to_cpu(lw->el.Length);
	bool excl = le32_to_cpu(lw->el.Flags) & SMB2_LOCKFLAG_EXCLUSIVE;
	struct file_lock conf;
	bool held;
	int err;

	lockdep_assert_held(&fp->lock);
	if (list_empty(&lw->fw.node))
		list_add_tail(&lw->fw.node, &fp->waits);
	/* The open's own locks: its unlocks wake the wait. */
	if (smbs_brl_self_conflict(&fp->brl, start, len, excl))
		return 1;
	/*
	 * What no POSIX lock shows: another open's lock in the inode's
	 * record, a range POSIX cannot express; and a file system that
	 * keeps its locks itself. Look again later.
	 */
	if (fp->filp->f_op->lock || !len || start > OFFSET_MAX ||
	    len - 1 > OFFSET_MAX - start ||
	    smbs_brl_others_conflict(&fp->brl, file_inode(fp->filp), start,
				     len, excl)) {
		mod_timer(&lw->recheck, jiffies + SMBS_LOCK_RECHECK);
		return 1;
	}
	locks_init_lock(&conf);
	err = smbs_lock_probe(lw, start, start + len - 1,
			      excl ? F_WRLCK : F_RDLCK, &conf, &held);
	locks_release_private(&conf);
	if (err == FILE_LOCK_DEFERRED) {
		lw->probing = true;
		/* Behind the open's own lock, which is not what stands in the way. */
		if (conf.c.flc_owner == fp)
			mod_timer(&lw->recheck, jiffies + SMBS_LOCK_RECHECK);
		return 1;
	}
	if (err || !held)
		return err;
	/* The lock went in between: give the probe back, try for real. */
	lw->probe.c.flc_type = F_UNLCK;
	lw->probe.c.flc_flags = FL_POSIX;
	vfs_lock_file(fp->filp, F_SETLK, &lw->probe, NULL);
	return 0;
}

/*
 * Try the waiting lock again, or wait on. Woken by a release, by a
 * cancellation or by the open's close.
 */
static __le32 smbs_lock_resume(struct smbs_work *w)
{
	struct smbs_lock_wait *lw = w->wait;
	struct smbs_file *fp = lw->fp;
	unsigned int tries;
	__le32 st;
	int ret;

	mutex_lock(&fp->lock);
	smbs_lock_disarm(lw);
	for (tries = 0;; tries++) {
		st = smbs_work_cancelled(w);
		if (st)
			break;
		if (fp->closed) {
			st = STATUS_RANGE_NOT_LOCKED;
			break;
		}
		st = smbs_lock_try(fp, w->sess, &lw->el, 1);
		if (st != STATUS_LOCK_NOT_GRANTED || tries == SMBS_LOCK_TRIES)
			break;
		ret = smbs_lock_arm(lw);
		if (ret > 0) {
			mutex_unlock(&fp->lock);
			return STATUS_PENDING;
		}
		if (ret < 0) {
			st = smbs_lock_status(ret);
			break;
		}
	}
	list_del_init(&lw->fw.node);
	mutex_unlock(&fp->lock);
	w->wait = NULL;
	smbs_file_put(fp);
	kfree(lw);
	if (st == STATUS_SUCCESS) {
		struct smb2_lock_rsp *rsp = smbs_rsp_body(w, sizeof(*rsp));

		rsp->StructureSize = cpu_to_le16(4);
	}
	return st;
}

/* A lock that may wait: granted now, or asynchronously later. */
static __le32 smbs_lock_wait(struct smbs_work *w, struct smbs_file *fp,
			     const struct smb2_lock_element *el)
{
	struct smbs_lock_wait *lw;
	__le32 st;
	int err;

	mutex_lock(&fp->lock);
	st = smbs_lock_try(fp, w->sess, el, 1);
	mutex_unlock(&fp->lock);
	if (st != STATUS_LOCK_NOT_GRANTED)
		return st;

	lw = kzalloc(sizeof(*lw), GFP_KERNEL);
	if (!lw)
		return STATUS_INSUFFICIENT_RESOURCES;
	lw->w = w;
	lw->fp = fp;
	lw->el = *el;
	INIT_LIST_HEAD(&lw->fw.node);
	lw->fw.closed = smbs_lock_wait_closed;
	timer_setup(&lw->recheck, smbs_lock_recheck, 0);
	err = smbs_work_pend(w, smbs_lock_resume);
	if (err) {
		kfree(lw);
		return err == -ENOMEM || err == -EBUSY ?
		       STATUS_INSUFFICIENT_RESOURCES : STATUS_CANCELLED;
	}
	/* The wait holds its own reference to the open. */
	kref_get(&fp->ref);
	w->wait = lw;
	return smbs_lock_resume(w);
}

/*
 * Check the elements of a lock request before acting on any (MS-SMB2
 * 3.3.5.14.2: Windows gives back what a request took when a later element
 * is refused, so refusing it whole is the same). The first element says
 * whether it unlocks; an unlock request is checked element by element as
 * it goes (smbs_unlock()), since the unlocks before a bad element stand.
 */
static __le32 smbs_lock_validate(const struct smb2_lock_element *el, u32 n,
				 bool *unlock)
{
	u32 i, f;

	*unlock = le32_to_cpu(el[0].Flags) & SMB2_LOCKFLAG_UNLOCK;
	for (i = 0; !*unlock && i < n; i++) {
		u64 start = le64_to_cpu(el[i].Offset);
		u64 len = le64_to_cpu(el[i].Length);

		f = le32_to_cpu(el[i].Flags) & ~SMB2_LOCKFLAG_FAIL_IMMEDIATELY;
		if (f != SMB2_LOCKFLAG_SHARED && f != SMB2_LOCKFLAG_EXCLUSIVE)
			return STATUS_INVALID_PARAMETER;
		/* Several locks in one request may not wait. */
		if (n > 1 && !(le32_to_cpu(el[i].Flags) &
			       SMB2_LOCKFLAG_FAIL_IMMEDIATELY))
			return STATUS_INVALID_PARAMETER;
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
static __le32 smbs_lock_access(const struct smbs_file *fp,
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

static __le32 smbs_lock_apply(struct smbs_work *w, struct smbs_file *fp,
			      const struct smb2_lock_element *el, u32 n,
			      bool unlock)
{
	__le32 st;

	if (!unlock && n == 1 &&
	    !(le32_to_cpu(el[0].Flags) & SMB2_LOCKFLAG_FAIL_IMMEDIATELY))
		return smbs_lock_wait(w, fp, el);

	mutex_lock(&fp->lock);
	st = unlock ? smbs_unlock(fp, el, n) :
		      smbs_lock_try(fp, w->sess, el, n);
	mutex_unlock(&fp->lock);
	return st;
}

/**
 * smbs_lock - LOCK
 * @w: the work
 *
 * Return: the NT status of the response.
 */
__le32 smbs_lock(struct smbs_work *w)
{
	const struct smb2_lock_req *req = (const void *)w->pdu.hdr;
	const struct smbs_buf *locks = &w->pdu.var[SMBS_VAR_LOCKS];
	const struct smb2_lock_element *el = (const void *)locks->ptr;
	u32 n = locks->len / sizeof(*el);
	struct smb2_lock_rsp *rsp;
	struct smbs_file *fp;
	bool unlock;
	__le32 st;

	fp = smbs_file_lookup(w, req->PersistentFileId, req->VolatileFileId);
	if (!fp)
		return STATUS_FILE_CLOSED;
	st = n ? smbs_lock_validate(el, n, &unlock) : STATUS_INVALID_PARAMETER;
	if (st == STATUS_SUCCESS && (!fp->filp || fp->is_dir))
		st = STATUS_INVALID_DEVICE_REQUEST;
	if (st == STATUS_SUCCESS)
		st = smbs_lock_access(fp, el, n, unlock);
	if (st == STATUS_SUCCESS)
		st = smbs_lock_apply(w, fp, el, n, unlock);
	smbs_file_put(fp);
	/* A lock that waited has written its own response. */
	if (st != STATUS_SUCCESS || w->has_body)
		return st;
	rsp = smbs_rsp_body(w, sizeof(*rsp));
	rsp->StructureSize = cpu_to_le16(4);
	return STATUS_SUCCESS;
}

bool smbs_lock_io_conflict(struct smbs_file *fp, u64 off, u64 len,
			   bool write)
{
	struct file_lock_context *ctx;
	bool conflict;

	if (!len)
		return false;
	/* The open's own shared locks; a racing LOCK may go either way. */
	if (write && READ_ONCE(fp->brl.count)) {
		mutex_lock(&fp->lock);
		conflict = smbs_brl_shared_overlap(&fp->brl, off, len);
		mutex_unlock(&fp->lock);
		if (conflict)
			return true;
	}
	/* Other opens' locks that POSIX cannot show. */
	if (smbs_brl_others_conflict(&fp->brl, file_inode(fp->filp), off, len,
				     write))
		return true;
	/*
	 * Everybody else's: the POSIX locks on the file other than the
	 * open's own. Their list is scanned linearly, as on every LOCK; its
	 * length is bounded by the server-wide lock bound and what local processes hold.
	 */
	ctx = locks_inode_context(file_inode(fp->filp));
	if (!ctx || list_empty_careful(&ctx->flc_posix))
		return false;
	return smbs_posix_tested(fp, off, off + len - 1, write);
}
