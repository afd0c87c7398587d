// SPDX-License-Identifier: GPL-2.0-only
/*
 * Opens and the per-session table they live in.
 *
 * The table (sess->files, an allocating xarray) holds one reference on each
 * open; every lookup takes another under the xarray's lock, so an entry found
 * there is always alive. Removal erases the entry first and only then drops
 * the table's reference. The last reference closes the file and carries out
 * delete-on-close, or ends a pipe open's daemon side (@priv_release).
 */
#include "server.h"

#include <linux/cred.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "file.h"
#include "session.h"
#include "tree.h"
#include "vfs.h"
#include "work.h"
#include "trace.h"

/* Volatile ids are 32-bit; 0 is never handed out. */
#define SMBS_FID_LIMIT	XA_LIMIT(1, U32_MAX)

/*
 * Files (struct file) held by all sessions' opens, bounded by "max open
 * files" (smbs_cfg.max_open_files). They belong to the kernel, not to a
 * process, so RLIMIT_NOFILE does not count them; only fs.file-max does.
 */
static atomic_t smbs_nr_files = ATOMIC_INIT(0);

/* Count one more held file, unless the server-wide bound is reached. */
static bool smbs_file_charge(void)
{
	u32 max = READ_ONCE(smbs_cfg.max_open_files);

	if (atomic_inc_return(&smbs_nr_files) <= max || !max)
		return true;
	atomic_dec(&smbs_nr_files);
	pr_warn_ratelimited("open file limit %u reached\n", max);
	return false;
}

struct smbs_file *smbs_file_alloc(struct smbs_tree *tree, const char *path)
{
	struct smbs_file *fp;

	fp = kzalloc(sizeof(*fp), GFP_KERNEL);
	if (!fp)
		return NULL;
	if (path) {
		fp->path = kstrdup(path, GFP_KERNEL);
		if (!fp->path) {
			kfree(fp);
			return NULL;
		}
	}
	kref_init(&fp->ref);
	mutex_init(&fp->lock);
	INIT_LIST_HEAD(&fp->waits);
	kref_get(&tree->ref);
	fp->tree = tree;
	return fp;
}

/* Carry out delete-on-close as the tree's user, whoever drops the file. */
static void smbs_file_delete(struct smbs_file *fp)
{
	const struct cred *old = override_creds(fp->tree->cred);
	int err;

	err = smbs_vfs_remove(fp->tree, &fp->filp->f_path);
	revert_creds(old);
	if (err == -ENOTEMPTY)
		pr_warn_ratelimited("delete on close: directory %pd not empty\n",
				    fp->filp->f_path.dentry);
	else if (err && err != -ENOENT)
		pr_warn_ratelimited("delete on close of %pd failed: %d\n",
				    fp->filp->f_path.dentry, err);
}

static void smbs_file_release(struct kref *ref)
{
	struct smbs_file *fp = container_of(ref, struct smbs_file, ref);
	struct smbs_share_ino *ino;

	/* Its byte-range locks, before the last fput() looks for leaks. */
	smbs_brl_release(&fp->brl, fp->filp, fp);
	/*
	 * Out of its inode's table while the inode is still pinned; the
	 * last open of a delete-pending file removes it.
	 */
	ino = smbs_share_leave(&fp->share, fp->delete_on_close);
	if (ino) {
		smbs_file_delete(fp);
		smbs_share_deleted(ino);
	}
	if (fp->filp) {
		/*
		 * A kernel thread's fput() finishes later, from a work item:
		 * a deleted file's space would still be in use when the
		 * client is told it is closed, and a client could pile up
		 * unfinished closes. Nothing is held here that __fput()
		 * could wait for.
		 */
		__fput_sync(fp->filp);
		if (fp->vid)	/* published: counted */
			atomic_dec(&smbs_nr_files);
	}
	if (fp->priv_release)
		fp->priv_release(fp->priv);
	smbs_tree_put(fp->tree);
	mutex_destroy(&fp->lock);
	kfree(fp->dir.pattern);
	kfree(fp->path);
	kfree(fp);
}

/**
 * smbs_file_put - drop a reference to an open
 * @fp: the open, may be NULL
 */
void smbs_file_put(struct smbs_file *fp)
{
	if (fp)
		kref_put(&fp->ref, smbs_file_release);
}

int smbs_file_publish(struct smbs_session *sess, struct smbs_file *fp)
{
	u32 id;
	int err;

	if (fp->filp && !smbs_file_charge())
		return -EMFILE;
	kref_get(&fp->ref);
	/*
	 * Lookups take the lock too, so nobody sees the entry before its ids
	 * are set (the allocation may drop the lock only before storing).
	 */
	xa_lock(&sess->files);
	if (sess->nr_files >= SMBS_SESS_MAX_OPENS)
		err = -EMFILE;
	else
		err = __xa_alloc_cyclic(&sess->files, &id, fp, SMBS_FID_LIMIT,
					&sess->files_next, GFP_KERNEL);
	/* Once the session's teardown closed the table, nothing is added. */
	if (err >= 0 && !smbs_session_may_add(sess, &sess->files)) {
		__xa_erase(&sess->files, id);
		err = -ENOENT;
	}
	if (err >= 0) {
		fp->vid = id;
		fp->pid = id;
		sess->nr_files++;
	}
	xa_unlock(&sess->files);
	if (err < 0) {
		if (fp->filp)
			atomic_dec(&smbs_nr_files);
		kref_put(&fp->ref, smbs_file_release);
		return err;
	}
	return 0;
}

/* The open is closed: nothing may wait on it, and what waits ends. */
static void smbs_file_end_waits(struct smbs_file *fp)
{
	struct smbs_file_wait *wait;

	mutex_lock(&fp->lock);
	fp->closed = true;
	list_for_each_entry(wait, &fp->waits, node)
		wait->closed(wait);
	mutex_unlock(&fp->lock);
}

bool smbs_file_close(struct smbs_session *sess, struct smbs_file *fp)
{
	void *old;

	xa_lock(&sess->files);
	old = __xa_cmpxchg(&sess->files, fp->vid, fp, NULL, GFP_KERNEL);
	if (old == fp)
		sess->nr_files--;
	xa_unlock(&sess->files);
	if (old != fp)
		return false;
	if (trace_smbs_close_enabled()) {
		/* SET_INFO of a request still holding the open may change it. */
		mutex_lock(&fp->lock);
		trace_smbs_close(sess, fp);
		mutex_unlock(&fp->lock);
	}
	/* Requests waiting on the open end now, not at its last reference. */
	smbs_file_end_waits(fp);
	kref_put(&fp->ref, smbs_file_release);
	return true;
}

struct smbs_file *smbs_file_find(struct smbs_session *sess,
				 const struct smbs_tree *tree, u64 pid, u64 vid)
{
	struct smbs_file *fp;

	if (!sess || vid > U32_MAX)
		return NULL;

	xa_lock(&sess->files);
	fp = xa_load(&sess->files, vid);
	if (fp)
		kref_get(&fp->ref);
	xa_unlock(&sess->files);
	if (!fp)
		return NULL;

	if (fp->pid != pid || fp->tree != tree) {
		smbs_file_put(fp);
		return NULL;
	}
	return fp;
}

/* The next open at or after *@index, referenced; NULL at the end. */
static struct smbs_file *smbs_file_next(struct smbs_session *sess,
					unsigned long *index)
{
	struct smbs_file *fp;

	xa_lock(&sess->files);
	fp = xa_find(&sess->files, index, ULONG_MAX, XA_PRESENT);
	if (fp)
		kref_get(&fp->ref);
	xa_unlock(&sess->files);
	return fp;
}

static void smbs_file_close_matching(struct smbs_session *sess,
				     struct smbs_tree *tree)
{
	unsigned long index = 0;
	struct smbs_file *fp;

	while ((fp = smbs_file_next(sess, &index))) {
		if (!tree || fp->tree == tree)
			smbs_file_close(sess, fp);
		smbs_file_put(fp);
		if (index == ULONG_MAX)
			break;
		index++;
		cond_resched();
	}
}

/**
 * smbs_file_close_all - close every open of a session
 * @sess: the session (logoff or teardown)
 */
void smbs_file_close_all(struct smbs_session *sess)
{
	smbs_file_close_matching(sess, NULL);
}

/**
 * smbs_file_close_tree - close every open of one tree connect
 * @sess: the session the tree belongs to
 * @tree: the tree being disconnected
 */
void smbs_file_close_tree(struct smbs_session *sess, struct smbs_tree *tree)
{
	smbs_file_close_matching(sess, tree);
}
