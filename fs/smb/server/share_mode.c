// SPDX-License-Identifier: GPL-2.0-only
/*
 * Share modes (MS-FSA 2.1.5.1.2): every open of an inode, of any session
 * or connection, is in that inode's record, and a new open must agree
 * with each of them. The records are in a hash table keyed by the inode
 * (its address, only compared: each entry's open pins the inode through
 * its path, and a record lives only while it has entries), with one lock
 * per bucket; a record is created with its first entry and freed with its
 * last.
 *
 * The record also holds the file's delete-pending state (MS-FSA
 * File.PendingDelete): set by FileDispositionInformation or by the close
 * of an open made with FILE_DELETE_ON_CLOSE, it refuses new opens
 * (STATUS_DELETE_PENDING), and the last open to go removes the file.
 *
 * This is the per-inode open table that leases and durable handles will
 * hang their state on.
 */
#include "server.h"

#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "share_mode.h"

#define SMBS_SHARE_HASH_BITS	8

/*
 * Access that reads, writes or deletes data (MS-FSA 2.1.5.1.2.1), in host
 * order: FILE_READ_DATA | FILE_EXECUTE, FILE_WRITE_DATA | FILE_APPEND_DATA,
 * DELETE (MS-SMB2 2.2.13.1.1).
 */
#define SMBS_ACC_READ		0x00000021U
#define SMBS_ACC_WRITE		0x00000006U
#define SMBS_ACC_DELETE		0x00010000U

/**
 * struct smbs_share_ino - the opens of one inode
 * @node: entry in its hash bucket
 * @key: the inode, only compared
 * @opens: the entries (struct smbs_share_entry)
 * @delete_pending: the file goes when its last open does (MS-FSA
 *		    File.PendingDelete); new opens are refused meanwhile
 * @deleting: the last open is removing the file: the record stays, and
 *	      refuses new opens, until smbs_share_deleted()
 *
 * Everything here is under the bucket's lock.
 */
struct smbs_share_ino {
	struct hlist_node node;
	const struct inode *key;
	struct list_head opens;
	bool delete_pending;
	bool deleting;
};

static struct smbs_share_bucket {
	spinlock_t lock;	/* its records and their entries */
	struct hlist_head head;
} smbs_share_table[1 << SMBS_SHARE_HASH_BITS] = {
	[0 ... (1 << SMBS_SHARE_HASH_BITS) - 1] = {
		.lock = __SPIN_LOCK_UNLOCKED(smbs_share_table.lock),
	},
};

static struct smbs_share_bucket *smbs_share_bucket(const struct inode *inode)
{
	return &smbs_share_table[hash_ptr(inode, SMBS_SHARE_HASH_BITS)];
}

bool smbs_share_conflict(u32 access, u32 share, u32 other_access,
			 u32 other_share)
{
	static const struct {
		u32 access;
		u32 share;
	} rule[] = {
		{ SMBS_ACC_READ, SMBS_SHARE_READ },
		{ SMBS_ACC_WRITE, SMBS_SHARE_WRITE },
		{ SMBS_ACC_DELETE, SMBS_SHARE_DELETE },
	};
	const u32 data = SMBS_ACC_READ | SMBS_ACC_WRITE | SMBS_ACC_DELETE;
	unsigned int i;

	/* An open without data access is never checked, nor checked against. */
	if (!(access & data) || !(other_access & data))
		return false;
	for (i = 0; i < ARRAY_SIZE(rule); i++) {
		if ((access & rule[i].access) && !(other_share & rule[i].share))
			return true;
		if ((other_access & rule[i].access) && !(share & rule[i].share))
			return true;
	}
	return false;
}

static struct smbs_share_ino *smbs_share_find(struct smbs_share_bucket *b,
					      const struct inode *inode)
{
	struct smbs_share_ino *ino;

	lockdep_assert_held(&b->lock);
	hlist_for_each_entry(ino, &b->head, node)
		if (ino->key == inode)
			return ino;
	return NULL;
}

int smbs_share_enter(struct smbs_share_entry *e, const struct inode *inode)
{
	struct smbs_share_bucket *b = smbs_share_bucket(inode);
	struct smbs_share_ino *ino, *fresh;
	struct smbs_share_entry *o;

	if (WARN_ON_ONCE(e->ino))
		return -EINVAL;
	/* Allocated before the lock; freed again if the record exists. */
	fresh = kmalloc(sizeof(*fresh), GFP_KERNEL);
	if (!fresh)
		return -ENOMEM;
	spin_lock(&b->lock);
	ino = smbs_share_find(b, inode);
	if (ino && (ino->delete_pending || ino->deleting)) {
		spin_unlock(&b->lock);
		kfree(fresh);
		return -ENOENT;
	}
	if (ino) {
		list_for_each_entry(o, &ino->opens, node) {
			if (smbs_share_conflict(e->access, e->share,
						o->access, o->share)) {
				spin_unlock(&b->lock);
				kfree(fresh);
				return -EBUSY;
			}
		}
	} else {
		ino = fresh;
		fresh = NULL;
		ino->key = inode;
		ino->delete_pending = false;
		ino->deleting = false;
		INIT_LIST_HEAD(&ino->opens);
		hlist_add_head(&ino->node, &b->head);
	}
	list_add_tail(&e->node, &ino->opens);
	e->ino = ino;
	spin_unlock(&b->lock);
	kfree(fresh);
	return 0;
}

void smbs_share_move(struct smbs_share_entry *from,
		     struct smbs_share_entry *to)
{
	struct smbs_share_bucket *b;

	if (WARN_ON_ONCE(to->ino))
		return;
	to->access = from->access;
	to->share = from->share;
	to->dentry = from->dentry;
	if (!from->ino)
		return;
	b = smbs_share_bucket(from->ino->key);
	spin_lock(&b->lock);
	list_replace(&from->node, &to->node);
	to->ino = from->ino;
	from->ino = NULL;
	spin_unlock(&b->lock);
}

struct smbs_share_ino *smbs_share_leave(struct smbs_share_entry *e,
					bool delete_on_close)
{
	struct smbs_share_ino *ino = e->ino, *gone = NULL;
	struct smbs_share_bucket *b;

	if (!ino)
		return NULL;
	b = smbs_share_bucket(ino->key);
	spin_lock(&b->lock);
	list_del(&e->node);
	e->ino = NULL;
	if (delete_on_close)
		ino->delete_pending = true;
	if (list_empty(&ino->opens)) {
		if (ino->delete_pending) {
			ino->deleting = true;
			spin_unlock(&b->lock);
			return ino;
		}
		hlist_del(&ino->node);
		gone = ino;
	}
	spin_unlock(&b->lock);
	kfree(gone);
	return NULL;
}

void smbs_share_deleted(struct smbs_share_ino *ino)
{
	struct smbs_share_bucket *b = smbs_share_bucket(ino->key);

	spin_lock(&b->lock);
	hlist_del(&ino->node);
	spin_unlock(&b->lock);
	kfree(ino);
}

void smbs_share_set_delete_pending(struct smbs_share_entry *e, bool pending)
{
	struct smbs_share_bucket *b;

	if (WARN_ON_ONCE(!e->ino))
		return;
	b = smbs_share_bucket(e->ino->key);
	spin_lock(&b->lock);
	e->ino->delete_pending = pending;
	spin_unlock(&b->lock);
}

bool smbs_share_delete_pending(const struct smbs_share_entry *e)
{
	struct smbs_share_bucket *b;
	bool pending;

	if (!e->ino)
		return false;
	b = smbs_share_bucket(e->ino->key);
	spin_lock(&b->lock);
	pending = e->ino->delete_pending;
	spin_unlock(&b->lock);
	return pending;
}

bool smbs_share_open_below(const struct dentry *dir)
{
	struct smbs_share_entry *e;
	struct smbs_share_ino *ino;
	bool found = false;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(smbs_share_table) && !found; i++) {
		struct smbs_share_bucket *b = &smbs_share_table[i];

		spin_lock(&b->lock);
		hlist_for_each_entry(ino, &b->head, node) {
			list_for_each_entry(e, &ino->opens, node) {
				if (e->dentry && e->dentry != dir &&
				    is_subdir(e->dentry,
					      (struct dentry *)dir)) {
					found = true;
					break;
				}
			}
			if (found)
				break;
		}
		spin_unlock(&b->lock);
	}
	return found;
}
