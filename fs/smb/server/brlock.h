/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Byte-range lock bookkeeping of one open (Windows semantics), the POSIX
 * locks that show it to other owners, and the record per inode of the
 * locks POSIX cannot show, which the inode's other opens consult.
 */
#ifndef _SMBS_BRLOCK_H
#define _SMBS_BRLOCK_H

#include <linux/atomic.h>
#include <linux/rbtree.h>
#include <linux/refcount.h>
#include <linux/types.h>

struct file;

struct smbs_brl_lock;

/**
 * typedef smbs_brl_posix_fn - change the POSIX lock of the open on a range
 * @ctx: what smbs_brl_lock() and smbs_brl_unlock() were given
 * @first: first byte, at most OFFSET_MAX
 * @last: last byte, at least @first, at most OFFSET_MAX
 * @type: F_RDLCK, F_WRLCK or F_UNLCK
 *
 * Sets the open's POSIX lock on [@first, @last] to @type, as F_SETLK does:
 * on error nothing changed.
 *
 * Return: 0, -EAGAIN when another owner holds a conflicting lock, or
 * another negative errno.
 */
typedef int (*smbs_brl_posix_fn)(void *ctx, u64 first, u64 last, int type);

/**
 * typedef smbs_brl_test_fn - do other owners' POSIX locks refuse a lock?
 * @ctx: &smbs_brl_vfs.ctx
 * @start: first byte of the request
 * @len: its length, 0 allowed
 * @excl: an exclusive request
 *
 * Asked for the locks POSIX cannot express (an empty range, a range past
 * OFFSET_MAX), whose conflicts with the POSIX locks of others (other opens,
 * local processes) no POSIX call finds, with the overlap rule of
 * smbs_brl_overlap().
 *
 * Return: true if a POSIX lock of another owner conflicts.
 */
typedef bool (*smbs_brl_test_fn)(void *ctx, u64 start, u64 len, bool excl);

/**
 * struct smbs_brl_vfs - how an open's locks reach the file
 * @posix: applies the open's POSIX lock
 * @test: looks at other owners' POSIX locks, may be NULL (no other owners)
 * @key: the file's inode, only compared: the opens of one inode share the
 *	 record of the locks POSIX cannot express (&struct smbs_brl_ino)
 * @ctx: passed to @posix and @test
 */
struct smbs_brl_vfs {
	smbs_brl_posix_fn posix;
	smbs_brl_test_fn test;
	const void *key;
	void *ctx;
};

struct smbs_brl_ino;

/**
 * struct smbs_brl_budget - a bound on the locks a group of opens holds
 * @ref: references: its owner's (a session), and one per open charged
 *	 to it, so an open's locks are given back even after the owner went
 * @held: locks counted
 * @max: bound on @held
 */
struct smbs_brl_budget {
	refcount_t ref;
	atomic_t held;
	u32 max;
};

/**
 * struct smbs_brl - the byte ranges one open holds
 * @excl: exclusive locks, an interval tree by range (pairwise disjoint)
 * @shared: shared locks, an interval tree by range
 * @pending: locks taken since the last smbs_brl_commit(), newest first
 * @count: number of locks held, pending ones included
 * @budget: what @count is charged to besides the server-wide bound,
 *	    referenced from the first smbs_brl_charge() on
 * @ino: the record of its inode's locks that POSIX cannot express, held
 *	 while the open has at least one such lock (@ino_count)
 * @ino_count: locks of the open in @ino
 *
 * All zeroes is the valid empty state. Every byte the open holds through
 * at least one lock that POSIX can express is POSIX-locked by the open:
 * F_WRLCK under an exclusive lock, else F_RDLCK; every other byte is not.
 * The locks POSIX cannot express are also entered in @ino, where the
 * other opens of the inode find them.
 * An operation changes only the bytes whose state it changes, so its cost
 * in POSIX calls is the number of separate ranges that change (one unless
 * it covers other locks of the same open).
 *
 * The caller serializes all calls on one &struct smbs_brl; for an open,
 * with its &smbs_file.lock (lock.c). brlock.c cannot assert it: it does
 * not know the open.
 */
struct smbs_brl {
	struct rb_root_cached excl;
	struct rb_root_cached shared;
	struct smbs_brl_lock *pending;
	u32 count;
	struct smbs_brl_budget *budget;
	struct smbs_brl_ino *ino;
	u32 ino_count;
};

/**
 * smbs_brl_overlap - do two Windows byte ranges overlap?
 * @s1: first byte of the first range
 * @l1: its length, 0 allowed
 * @s2: first byte of the second range
 * @l2: its length, 0 allowed
 *
 * As MS-FSA 2.1.4.10 has it: an empty range overlaps a range that has
 * bytes on both sides of it, two empty ranges never overlap, and the
 * empty range at offset 0 overlaps nothing.
 *
 * Return: true if they overlap.
 */
bool smbs_brl_overlap(u64 s1, u64 l1, u64 s2, u64 l2);

/**
 * smbs_brl_self_conflict - would the open's own locks refuse a request?
 * @b: the open's locks
 * @start: first byte of the request
 * @len: its length, 0 allowed
 * @excl: an exclusive request
 *
 * Only the open's own unlocks can end such a conflict.
 *
 * Return: true if smbs_brl_lock() would fail for the open's own locks.
 */
bool smbs_brl_self_conflict(struct smbs_brl *b, u64 start, u64 len, bool excl);

/**
 * smbs_brl_shared_overlap - does a shared lock of the open stop a write?
 * @b: the open's locks
 * @start: first byte written
 * @len: bytes written, 0 allowed
 *
 * A shared lock keeps everyone from writing its range, its owner too
 * (MS-FSA 2.1.4.10); the owner's exclusive locks do not stop its I/O.
 * An empty range is never in conflict.
 *
 * Context: caller serializes with changes of @b (&smbs_file.lock).
 * Return: true if a shared lock of the open overlaps the range.
 */
bool smbs_brl_shared_overlap(struct smbs_brl *b, u64 start, u64 len);

/**
 * smbs_brl_others_conflict - do other opens' non-POSIX locks refuse access?
 * @b: the open asking
 * @key: its file's inode (&smbs_brl_vfs.key)
 * @start: first byte
 * @len: length, 0 allowed; @start + @len - 1 must not wrap
 * @excl: exclusive access (an exclusive lock or a write), else shared (a
 *	  shared lock or a read)
 *
 * Looks only at the locks of the other opens of the inode that POSIX
 * cannot express (MS-FSA 2.1.4.10: another open's exclusive lock refuses
 * everything, its shared lock refuses exclusive access); the others are
 * POSIX locks, where the VFS finds the conflicts.
 *
 * Context: may sleep.
 * Return: true on a conflict.
 */
bool smbs_brl_others_conflict(struct smbs_brl *b, const void *key, u64 start,
			      u64 len, bool excl);

/**
 * smbs_brl_lock - take a range for the open
 * @b: the open's locks
 * @v: its file; always the same for one @b
 * @start: first byte
 * @len: length, 0 allowed; @start + @len - 1 must not wrap
 * @excl: exclusive, else shared
 *
 * A new exclusive lock may not overlap any lock of the open; a shared one
 * may overlap anything of the open. Other opens' locks refuse it as
 * MS-FSA 2.1.4.10 says: those POSIX can express through @v->posix, the
 * others through the inode's record; a lock POSIX cannot express is
 * checked against other owners' POSIX locks with @v->test. The check and
 * the taking are one step against the other opens of the inode. The lock
 * is pending until smbs_brl_commit() or smbs_brl_abort().
 *
 * Context: may sleep (GFP_KERNEL); takes the inode record's bucket mutex;
 * caller serializes calls on @b (&smbs_file.lock).
 * Return: 0, -EAGAIN on a conflict (with the open's own locks or another
 * owner's), -ENOMEM, or an error of @v->posix.
 */
int smbs_brl_lock(struct smbs_brl *b, const struct smbs_brl_vfs *v,
		  u64 start, u64 len, bool excl);

/**
 * smbs_brl_unlock - release a range the open holds
 * @b: the open's locks
 * @v: its file
 * @start: first byte, as locked
 * @len: length, as locked
 *
 * Releases one lock with exactly this range, an exclusive one if there is
 * one (MS-FSA 2.1.5.9).
 *
 * Context: may sleep (takes the inode record's bucket mutex); caller
 * serializes calls on @b (&smbs_file.lock).
 * Return: 0, or -ENOENT if the open holds no such range.
 */
int smbs_brl_unlock(struct smbs_brl *b, const struct smbs_brl_vfs *v,
		    u64 start, u64 len);

/**
 * smbs_brl_commit - keep the pending locks
 * @b: the open's locks
 */
void smbs_brl_commit(struct smbs_brl *b);

/**
 * smbs_brl_abort - release the pending locks
 * @b: the open's locks
 * @v: its file
 *
 * Context: may sleep (takes the inode record's bucket mutex); caller
 * serializes calls on @b (&smbs_file.lock).
 */
void smbs_brl_abort(struct smbs_brl *b, const struct smbs_brl_vfs *v);

/**
 * smbs_brl_free - forget every lock without touching POSIX locks
 * @b: the open's locks; empty afterwards
 *
 * For the close of an open, whose POSIX locks go all at once. Its locks
 * leave the inode's record, which goes with the last open holding one.
 *
 * Context: may sleep.
 */
void smbs_brl_free(struct smbs_brl *b);

/**
 * smbs_brl_budget_new - a budget of locks
 * @max: how many locks the opens charged to it may hold together
 *
 * Return: the budget with one reference (the owner's), or NULL.
 */
struct smbs_brl_budget *smbs_brl_budget_new(u32 max);

/**
 * smbs_brl_budget_put - drop a reference to a budget
 * @bb: the budget, may be NULL
 */
void smbs_brl_budget_put(struct smbs_brl_budget *bb);

/**
 * smbs_brl_charge - count @n locks about to be taken by an open
 * @b: the open's locks
 * @bb: the budget of the open's owner; @b keeps a reference to it from
 *	the first charge to smbs_brl_release(), and is always charged to it
 * @n: locks about to be taken
 *
 * Counts them against @bb and the server-wide bound (SMBS_BRL_MAX), both
 * or neither.
 *
 * Context: caller serializes calls on @b (&smbs_file.lock).
 * Return: true if they fit (and are counted), false if either is full.
 */
bool smbs_brl_charge(struct smbs_brl *b, struct smbs_brl_budget *bb, u32 n);

/**
 * smbs_brl_uncharge - give back what smbs_brl_charge() counted
 * @b: the open's locks, charged before
 * @n: locks released, or charged and not taken
 */
void smbs_brl_uncharge(struct smbs_brl *b, u32 n);

/**
 * smbs_brl_release - drop every lock of a closed open
 * @b: the open's locks (their count was charged); empty afterwards
 * @filp: the open's file, may be NULL (a pipe)
 * @owner: the owner of its POSIX locks
 *
 * Removes the open's POSIX locks before its last fput(), which would
 * otherwise find them left over, gives their count back and drops the
 * reference to the budget.
 */
void smbs_brl_release(struct smbs_brl *b, struct file *filp, void *owner);

#endif /* _SMBS_BRLOCK_H */
