/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Open files (SMB2 opens) and the per-session table they live in.
 */
#ifndef _SMBS_FILE_H
#define _SMBS_FILE_H

#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include "brlock.h"
#include "share_mode.h"

struct smbs_session;
struct smbs_tree;
struct smbs_work;

/**
 * struct smbs_dir_state - where a QUERY_DIRECTORY enumeration stands
 * @pattern: search pattern (UTF-8), NULL before the first QUERY_DIRECTORY
 * @pos: directory position to continue from
 * @eof: enumeration finished
 * @dot_done: "." and ".." were returned
 */
struct smbs_dir_state {
	char *pattern;
	loff_t pos;
	bool eof;
	bool dot_done;
};

/**
 * struct smbs_file_wait - a request that waits on an open
 * @node: entry in &smbs_file.waits, under &smbs_file.lock
 * @closed: called when the open is closed (CLOSE, TREE_DISCONNECT, LOGOFF,
 *	    disconnect), under &smbs_file.lock, which it must not drop: ends
 *	    the wait without sleeping (typically smbs_work_cancel()); the
 *	    entry stays on the list until its owner takes it off
 *
 * How a waiter (a blocking LOCK; later CHANGE_NOTIFY, a CREATE waiting on
 * an oplock break) learns that the open went away, without the open
 * knowing what waits on it.
 */
struct smbs_file_wait {
	struct list_head node;
	void (*closed)(struct smbs_file_wait *wait);
};

/**
 * struct smbs_file - an open
 * @ref: references; the session's file table holds one
 * @pid: PersistentFileId
 * @vid: VolatileFileId (the key in the session's table)
 * @filp: the open file; NULL for a pipe
 * @tree: the tree it was opened on, referenced
 * @path: share-relative path, '/' separated, "" for the root
 * @access: granted access mask (FILE_*_LE bits, host order)
 * @create_options: CreateOptions of the CREATE
 * @is_dir: a directory
 * @delete_on_close: opened with FILE_DELETE_ON_CLOSE: its close makes the
 *		     file delete-pending (share_mode.c)
 * @lock: protects @dir, @delete_on_close and @brl
 * @dir: enumeration state for QUERY_DIRECTORY
 * @priv: what a pipe open is besides its ids: its daemon side (pipe.c);
 *	  NULL for a file
 * @priv_release: ends @priv at the last reference (set with it); may
 *		  sleep
 * @brl: byte ranges this open holds (lock.c, brlock.c), under @lock
 * @waits: requests waiting on this open (struct smbs_file_wait), under
 *	   @lock
 * @closed: the open was closed: nothing may wait on it any more; under
 *	    @lock
 * @share: its place among the opens of its inode (share_mode.c), from
 *	   CREATE until the open is released
 */
struct smbs_file {
	struct kref ref;
	u64 pid;
	u64 vid;
	struct file *filp;
	struct smbs_tree *tree;
	char *path;
	u32 access;
	u32 create_options;
	bool is_dir;
	bool delete_on_close;
	struct mutex lock;	/* protects dir, delete_on_close and brl */
	struct smbs_dir_state dir;
	void *priv;
	void (*priv_release)(void *priv);
	struct smbs_brl brl;
	struct list_head waits;
	bool closed;
	struct smbs_share_entry share;
};

/**
 * smbs_file_find - find an open of a session by its ids
 * @sess: the session whose table holds it
 * @tree: the tree connect it must have been opened on
 * @pid: PersistentFileId
 * @vid: VolatileFileId
 *
 * Context: takes xa_lock(&@sess->files); may sleep, as dropping the
 * reference to an open of another tree may be its last (smbs_file_put()).
 * Return: a referenced open or NULL.
 */
struct smbs_file *smbs_file_find(struct smbs_session *sess,
				 const struct smbs_tree *tree, u64 pid, u64 vid);

/**
 * smbs_file_lookup - find the open a request names (work.c)
 * @w: the work; its session and tree are used
 * @pid: PersistentFileId as sent (all ones in a related compound)
 * @vid: VolatileFileId as sent
 *
 * Resolves compound file ids, checks the open belongs to the request's
 * tree, and remembers it for the rest of the compound.
 *
 * Context: may sleep, as smbs_file_find().
 * Return: a referenced open or NULL (answer STATUS_FILE_CLOSED).
 */
struct smbs_file *smbs_file_lookup(struct smbs_work *w, u64 pid, u64 vid);
void smbs_file_put(struct smbs_file *fp);

/* Close every open of a session (logoff, teardown). */
void smbs_file_close_all(struct smbs_session *sess);

/* Close every open of one tree (tree disconnect). */
void smbs_file_close_tree(struct smbs_session *sess, struct smbs_tree *tree);

/**
 * smbs_file_alloc - a new open, not yet in any table
 * @tree: the tree it is opened on; a reference is taken
 * @path: its share-relative path, copied; NULL for a pipe
 *
 * Context: may sleep (GFP_KERNEL).
 * Return: the open holding one reference (the caller's), or NULL.
 */
struct smbs_file *smbs_file_alloc(struct smbs_tree *tree, const char *path);

/**
 * smbs_file_publish - give an open its file ids and enter it in the table
 * @sess: the session
 * @fp: the open; the table takes its own reference
 *
 * Counts the open against the session's bound (SMBS_SESS_MAX_OPENS) and,
 * if it holds a file, against "max open files".
 *
 * Context: may sleep (GFP_KERNEL id allocation); takes
 * xa_lock(&@sess->files).
 * Return: 0, -EMFILE when a bound is reached, -ENOENT when the session is
 * being torn down, or -ENOMEM / -EBUSY when no id is free.
 */
int smbs_file_publish(struct smbs_session *sess, struct smbs_file *fp);

/**
 * smbs_file_close - remove an open from its session's table
 * @sess: the session
 * @fp: the open, referenced by the caller
 *
 * Erases it from the table and drops the table's reference. The file
 * itself is closed (and deleted if it is delete-on-close), or the pipe
 * closed at the daemon, when the last reference goes.
 *
 * Context: may sleep: takes &@fp->lock to end the requests waiting on the
 * open.
 * Return: true if this call removed it, false if it was already closed.
 */
bool smbs_file_close(struct smbs_session *sess, struct smbs_file *fp);

static inline bool smbs_file_is_pipe(const struct smbs_file *fp)
{
	return !fp->filp;
}

#endif /* _SMBS_FILE_H */
