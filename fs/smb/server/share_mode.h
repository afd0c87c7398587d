/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Share modes: the opens of each inode, and the sharing check every new
 * open of it passes (MS-FSA 2.1.5.1.2, "Perform Share Access Checks").
 */
#ifndef _SMBS_SHARE_MODE_H
#define _SMBS_SHARE_MODE_H

#include <linux/list.h>
#include <linux/types.h>

struct dentry;
struct inode;
struct smbs_share_ino;

/* ShareAccess bits (MS-SMB2 2.2.13), host order */
#define SMBS_SHARE_READ		0x1
#define SMBS_SHARE_WRITE	0x2
#define SMBS_SHARE_DELETE	0x4
#define SMBS_SHARE_VALID	0x7

/**
 * struct smbs_share_entry - one open in its inode's table
 * @node: entry in the inode's list of opens, under its bucket's lock
 * @ino: the inode's record while the entry is in it, else NULL
 * @access: the open's granted access (FILE_* bits, host order)
 * @share: the open's ShareAccess
 * @dentry: what the open opened, pinned by it while the entry is in a
 *	    table (for smbs_share_open_below())
 *
 * All zeroes is the valid state of an entry in no table. An open's entry
 * is entered once, before the open can touch the file's data (a
 * truncating CREATE checks first), and leaves when the open is released.
 */
struct smbs_share_entry {
	struct list_head node;
	struct smbs_share_ino *ino;
	u32 access;
	u32 share;
	struct dentry *dentry;
};

/**
 * smbs_share_conflict - would two opens of one file refuse each other?
 * @access: granted access of one (FILE_* bits, host order)
 * @share: its ShareAccess
 * @other_access: granted access of the other
 * @other_share: its ShareAccess
 *
 * Only data access counts: reading or executing needs the other's
 * FILE_SHARE_READ, writing or appending its FILE_SHARE_WRITE, DELETE its
 * FILE_SHARE_DELETE, both ways. An open without any of that access
 * (attributes, security) conflicts with nothing.
 *
 * Return: true on a sharing violation.
 */
bool smbs_share_conflict(u32 access, u32 share, u32 other_access,
			 u32 other_share);

/**
 * smbs_share_enter - check an open against the inode's opens, and add it
 * @e: the new open's entry, in no table; @e->access and @e->share set
 * @inode: the file; only compared, it is pinned by the open's path
 *
 * The check and the insertion are one step under the table's lock: of
 * two opens that refuse each other, exactly one gets in.
 *
 * Context: process context; may sleep (allocation).
 * Return: 0; -ENOENT when the file is delete-pending
 * (STATUS_DELETE_PENDING); -EBUSY for a sharing violation
 * (STATUS_SHARING_VIOLATION); -ENOMEM.
 */
int smbs_share_enter(struct smbs_share_entry *e, const struct inode *inode);

/**
 * smbs_share_move - hand an entry over to another (the open's own)
 * @from: the entry, in a table or not
 * @to: an entry in no table; gets @from's place, @from is left in none
 */
void smbs_share_move(struct smbs_share_entry *from,
		     struct smbs_share_entry *to);

/**
 * smbs_share_leave - take an entry out of its table
 * @e: the entry; nothing happens if it is in none
 * @delete_on_close: the open was made with FILE_DELETE_ON_CLOSE: the file
 *		     becomes delete-pending
 *
 * Return: NULL, or, when this was the file's last open and the file is
 * delete-pending, its record: the caller removes the file (new opens are
 * refused meanwhile), then calls smbs_share_deleted() with it.
 */
struct smbs_share_ino *smbs_share_leave(struct smbs_share_entry *e,
					bool delete_on_close);

/**
 * smbs_share_deleted - the last open removed the file
 * @ino: what smbs_share_leave() returned; freed
 */
void smbs_share_deleted(struct smbs_share_ino *ino);

/**
 * smbs_share_set_delete_pending - set or clear the file's delete-pending
 * @e: an open's entry, in a table
 * @pending: the new state (FileDispositionInformation's DeletePending)
 */
void smbs_share_set_delete_pending(struct smbs_share_entry *e, bool pending);

/* Is the file of an open delete-pending? */
bool smbs_share_delete_pending(const struct smbs_share_entry *e);

/**
 * smbs_share_open_below - is anything beneath a directory open?
 * @dir: the directory
 *
 * A directory with an open file or directory somewhere beneath it keeps
 * its name (MS-FSA 2.1.5.14.11). Walks every table: only for renames of
 * directories.
 *
 * Context: process context; takes each bucket's lock in turn.
 * Return: true if an open of something beneath @dir (not @dir itself) is
 * in a table.
 */
bool smbs_share_open_below(const struct dentry *dir);

#endif /* _SMBS_SHARE_MODE_H */
