// SPDX-License-Identifier: GPL-2.0-only
/*
 * Byte-range lock bookkeeping of one open, and of the locks of an inode's
 * opens that POSIX cannot express.
 *
 * Windows locks stack: an open may hold the same byte several times
 * (shared locks over shared locks, shared locks over its own exclusive
 * ones), and each lock is released on its own by naming its exact range.
 * POSIX keeps one state per byte and owner and merges and splits ranges,
 * so the POSIX lock of the open is derived from its Windows locks: a byte
 * is F_WRLCK if an exclusive lock covers it, F_RDLCK if only shared locks
 * do, unlocked otherwise. Only locks POSIX can express (non-empty, within
 * OFFSET_MAX) take part.
 *
 * The others (empty ranges, ranges past OFFSET_MAX) are kept a second time
 * in a record per inode (struct smbs_brl_ino) that all opens of the inode
 * through this server share: that is where another open finds them, for
 * its LOCK requests (MS-FSA 2.1.5.8 via 2.1.4.10) and its READs and WRITEs
 * (2.1.5.2, 2.1.5.3). Local processes do not see them: POSIX has no way to
 * show them.
 *
 * The locks are kept in two interval trees. Exclusive locks are pairwise
 * disjoint (a new exclusive lock may not overlap any lock of the open), so
 * taking one is a single F_WRLCK. Every other change walks the range it
 * affects once against the locks that still cover it and changes only the
 * uncovered (or no longer exclusively held) pieces: the cost is the number
 * of overlapping locks for the walk and one POSIX call per changed piece.
 */
#include "server.h"

#include <linux/atomic.h>
#include <linux/fcntl.h>
#include <linux/filelock.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/interval_tree_generic.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "brlock.h"

/**
 * struct smbs_brl_lock - one Windows lock of an open
 * @rb: node in smbs_brl.excl or smbs_brl.shared
 * @irb: node in smbs_brl_ino.locks, for a lock POSIX cannot express
 * @start: first byte
 * @last: last byte in the trees: @start + @len - 1, or @start if @len is 0
 * @subtree_last: augmentation of the open's tree
 * @isubtree_last: augmentation of the inode's tree
 * @len: length as locked
 * @owner: the open's locks
 * @next_pending: next pending lock (smbs_brl.pending)
 * @excl: exclusive
 */
struct smbs_brl_lock {
	struct rb_node rb;
	struct rb_node irb;
	u64 start;
	u64 last;
	u64 subtree_last;
	u64 isubtree_last;
	u64 len;
	struct smbs_brl *owner;
	struct smbs_brl_lock *next_pending;
	bool excl;
};

#define SMBS_BRL_START(l)	((l)->start)
#define SMBS_BRL_LAST(l)	((l)->last)

INTERVAL_TREE_DEFINE(struct smbs_brl_lock, rb, u64, subtree_last,
		     SMBS_BRL_START, SMBS_BRL_LAST, static, smbs_brl_it)
INTERVAL_TREE_DEFINE(struct smbs_brl_lock, irb, u64, isubtree_last,
		     SMBS_BRL_START, SMBS_BRL_LAST, static, smbs_brl_iit)

/**
 * struct smbs_brl_ino - the locks of one inode that POSIX cannot express
 * @node: entry in its bucket's list (struct smbs_brl_bucket)
 * @key: the inode (&smbs_brl_vfs.key), only compared; every open that
 *	 holds a reference keeps a file of it open
 * @ref: references: one per open with a lock in @locks (smbs_brl.ino);
 *	 the record goes with the last
 * @locks: those locks of all opens of the inode, an interval tree by range
 *
 * Locking: the mutex of the bucket the key hashes to protects all fields
 * and the list. The same mutex is held around every LOCK element of the
 * inode's opens, from the conflict checks to the POSIX call, so that a
 * lock entered here and a POSIX lock of another open are never both
 * granted over each other. The bound is the opens' lock budget: every
 * lock here is one of an open's, charged by smbs_brl_charge(), and there
 * is at most one record per inode an open holds.
 */
struct smbs_brl_ino {
	struct hlist_node node;
	const void *key;
	u32 ref;
	struct rb_root_cached locks;
};

/**
 * struct smbs_brl_bucket - records whose keys hash alike
 * @lock: serializes lock changes of their inodes (struct smbs_brl_ino)
 * @head: the records
 */
struct smbs_brl_bucket {
	struct mutex lock;	/* see struct smbs_brl_ino */
	struct hlist_head head;
};

#define SMBS_BRL_BUCKET_BITS	3
#define SMBS_BRL_BUCKET(i)						\
	{ .lock = __MUTEX_INITIALIZER(smbs_brl_buckets[i].lock) }

static struct smbs_brl_bucket smbs_brl_buckets[1 << SMBS_BRL_BUCKET_BITS] = {
	SMBS_BRL_BUCKET(0), SMBS_BRL_BUCKET(1), SMBS_BRL_BUCKET(2),
	SMBS_BRL_BUCKET(3), SMBS_BRL_BUCKET(4), SMBS_BRL_BUCKET(5),
	SMBS_BRL_BUCKET(6), SMBS_BRL_BUCKET(7),
};

/* Records in all buckets: none is the common case, seen without a lock. */
static atomic_t smbs_brl_inos = ATOMIC_INIT(0);

static struct smbs_brl_bucket *smbs_brl_bucket(const void *key)
{
	return &smbs_brl_buckets[hash_ptr(key, SMBS_BRL_BUCKET_BITS)];
}

/* The record of @key, or NULL. Context: under the bucket's lock. */
static struct smbs_brl_ino *smbs_brl_ino_find(struct smbs_brl_bucket *bk,
					      const void *key)
{
	struct smbs_brl_ino *ino;

	lockdep_assert_held(&bk->lock);
	hlist_for_each_entry(ino, &bk->head, node)
		if (ino->key == key)
			return ino;
	return NULL;
}

#define SMBS_BRL_NONE	(-1)	/* leave a piece as it is */

/**
 * struct smbs_brl_walk - a pass over one range
 * @posix: applies the POSIX side
 * @ctx: passed to @posix
 * @gap: type for the pieces no lock covers, or SMBS_BRL_NONE
 * @cover: type for the covered pieces, or SMBS_BRL_NONE
 * @with_excl: exclusive locks cover too (else only shared ones)
 * @stop: stop at the first error (else go on and report the first)
 * @failed: first byte of the piece that failed
 */
struct smbs_brl_walk {
	smbs_brl_posix_fn posix;
	void *ctx;
	int gap;
	int cover;
	bool with_excl;
	bool stop;
	u64 failed;
};

bool smbs_brl_overlap(u64 s1, u64 l1, u64 s2, u64 l2)
{
	if (!l1 && !l2)
		return false;
	if (!l1)
		return s1 > s2 && s1 - s2 < l2;
	if (!l2)
		return s2 > s1 && s2 - s1 < l1;
	return s1 <= s2 + (l2 - 1) && s2 <= s1 + (l1 - 1);
}

/* Can POSIX express the lock? Then [start, last] is its POSIX range. */
static bool smbs_brl_posix_ok(const struct smbs_brl_lock *l)
{
	return l->len && l->start <= OFFSET_MAX &&
	       l->len - 1 <= OFFSET_MAX - l->start;
}

/* The next lock in start order of either tree's iteration. */
static struct smbs_brl_lock *smbs_brl_next(struct smbs_brl_lock **x,
					   struct smbs_brl_lock **s,
					   u64 first, u64 last)
{
	struct smbs_brl_lock **from, *l;

	if (!*x && !*s)
		return NULL;
	if (!*x || (*s && (*s)->start < (*x)->start))
		from = s;
	else
		from = x;
	l = *from;
	*from = smbs_brl_it_iter_next(l, first, last);
	return l;
}

/* Apply one piece of a walk; Return: true to go on. */
static bool smbs_brl_piece(struct smbs_brl_walk *w, int type, u64 a, u64 e,
			   int *err)
{
	int ret;

	if (type == SMBS_BRL_NONE)
		return true;
	ret = w->posix(w->ctx, a, e, type);
	if (ret && !*err) {
		*err = ret;
		w->failed = a;
	}
	return !ret || !w->stop;
}

/*
 * Split [first, last] (within OFFSET_MAX) into maximal pieces covered or
 * not covered by the open's POSIX-visible locks and apply the walk's type
 * to each. Return: 0 or the first error.
 */
static int smbs_brl_walk(struct smbs_brl *b, struct smbs_brl_walk *w,
			 u64 first, u64 last)
{
	struct smbs_brl_lock *x, *s, *l;
	u64 pos = first, run = U64_MAX, a, e;
	int err = 0;

	x = w->with_excl ? smbs_brl_it_iter_first(&b->excl, first, last) : NULL;
	s = smbs_brl_it_iter_first(&b->shared, first, last);
	while ((l = smbs_brl_next(&x, &s, first, last))) {
		if (!smbs_brl_posix_ok(l))
			continue;
		a = max(l->start, first);
		e = min(l->last, last);
		if (e < pos)
			continue;
		if (a > pos) {
			if (run != U64_MAX &&
			    !smbs_brl_piece(w, w->cover, run, pos - 1, &err))
				return err;
			run = U64_MAX;
			if (!smbs_brl_piece(w, w->gap, pos, a - 1, &err))
				return err;
			pos = a;
		}
		if (run == U64_MAX)
			run = pos;
		pos = e + 1;	/* e <= OFFSET_MAX: no wrap */
		if (pos > last)
			break;
	}
	if (run != U64_MAX && !smbs_brl_piece(w, w->cover, run, pos - 1, &err))
		return err;
	if (pos <= last)
		smbs_brl_piece(w, w->gap, pos, last, &err);
	return err;
}

/* Does any lock of the open overlap [start, start + len)? */
static bool smbs_brl_own_conflict(struct smbs_brl *b, u64 start, u64 len,
				  u64 last)
{
	struct rb_root_cached *roots[] = { &b->excl, &b->shared };
	struct smbs_brl_lock *l;
	int i;

	for (i = 0; i < ARRAY_SIZE(roots); i++)
		for (l = smbs_brl_it_iter_first(roots[i], start, last); l;
		     l = smbs_brl_it_iter_next(l, start, last))
			if (smbs_brl_overlap(l->start, l->len, start, len))
				return true;
	return false;
}

/* Make the POSIX side of a new lock, not yet in a tree. */
static int smbs_brl_posix_add(struct smbs_brl *b, struct smbs_brl_lock *nl,
			      smbs_brl_posix_fn posix, void *ctx)
{
	struct smbs_brl_walk w = {
		.posix = posix, .ctx = ctx, .gap = F_RDLCK,
		.cover = SMBS_BRL_NONE, .with_excl = true, .stop = true,
	};
	int err;

	if (!smbs_brl_posix_ok(nl))
		return 0;
	/* Nothing of the open overlaps an exclusive lock. */
	if (nl->excl)
		return posix(ctx, nl->start, nl->last, F_WRLCK);
	/* Read-lock what the open does not hold yet. */
	err = smbs_brl_walk(b, &w, nl->start, nl->last);
	if (err && w.failed > nl->start) {
		w.gap = F_UNLCK;
		w.stop = false;
		smbs_brl_walk(b, &w, nl->start, w.failed - 1);
	}
	return err;
}

bool smbs_brl_self_conflict(struct smbs_brl *b, u64 start, u64 len, bool excl)
{
	u64 last = len ? start + (len - 1) : start;

	return excl && smbs_brl_own_conflict(b, start, len, last);
}

bool smbs_brl_shared_overlap(struct smbs_brl *b, u64 start, u64 len)
{
	u64 last = start + (len - 1);
	struct smbs_brl_lock *l;

	if (!len || last < start)
		return false;
	for (l = smbs_brl_it_iter_first(&b->shared, start, last); l;
	     l = smbs_brl_it_iter_next(l, start, last))
		if (smbs_brl_overlap(l->start, l->len, start, len))
			return true;
	return false;
}

/*
 * Does a lock of another open in the record refuse the access (MS-FSA
 * 2.1.4.10)? Context: under the bucket's lock.
 */
static bool smbs_brl_ino_conflict(struct smbs_brl_ino *ino, struct smbs_brl *b,
				  u64 start, u64 len, bool excl)
{
	u64 last = len ? start + (len - 1) : start;
	struct smbs_brl_lock *l;

	lockdep_assert_held(&smbs_brl_bucket(ino->key)->lock);
	for (l = smbs_brl_iit_iter_first(&ino->locks, start, last); l;
	     l = smbs_brl_iit_iter_next(l, start, last))
		if (l->owner != b && (l->excl || excl) &&
		    smbs_brl_overlap(l->start, l->len, start, len))
			return true;
	return false;
}

bool smbs_brl_others_conflict(struct smbs_brl *b, const void *key, u64 start,
			      u64 len, bool excl)
{
	struct smbs_brl_bucket *bk;
	struct smbs_brl_ino *ino;
	bool conflict = false;

	if (!atomic_read(&smbs_brl_inos))
		return false;
	bk = smbs_brl_bucket(key);
	mutex_lock(&bk->lock);
	ino = smbs_brl_ino_find(bk, key);
	if (ino)
		conflict = smbs_brl_ino_conflict(ino, b, start, len, excl);
	mutex_unlock(&bk->lock);
	return conflict;
}

/*
 * Enter a lock POSIX cannot express in the inode's record, made if it is
 * the first. Context: under the bucket's lock.
 */
static int smbs_brl_ino_add(struct smbs_brl *b, struct smbs_brl_bucket *bk,
			    const void *key, struct smbs_brl_lock *nl)
{
	struct smbs_brl_ino *ino = b->ino;

	lockdep_assert_held(&bk->lock);
	if (!ino) {
		ino = smbs_brl_ino_find(bk, key);
		if (!ino) {
			ino = kzalloc(sizeof(*ino), GFP_KERNEL);
			if (!ino)
				return -ENOMEM;
			ino->key = key;
			ino->locks = RB_ROOT_CACHED;
			hlist_add_head(&ino->node, &bk->head);
			atomic_inc(&smbs_brl_inos);
		}
		ino->ref++;
		b->ino = ino;
	}
	/* An open belongs to one file for its whole life. */
	WARN_ON_ONCE(ino->key != key);
	smbs_brl_iit_insert(nl, &ino->locks);
	b->ino_count++;
	return 0;
}

/* Take a lock out of the record; the last one drops the open's reference. */
static void smbs_brl_ino_remove(struct smbs_brl *b, struct smbs_brl_lock *l)
{
	struct smbs_brl_ino *ino = b->ino;
	struct smbs_brl_bucket *bk;

	if (WARN_ON_ONCE(!ino))
		return;
	bk = smbs_brl_bucket(ino->key);
	mutex_lock(&bk->lock);
	smbs_brl_iit_remove(l, &ino->locks);
	if (!--b->ino_count) {
		b->ino = NULL;
		if (!--ino->ref) {
			hlist_del(&ino->node);
			atomic_dec(&smbs_brl_inos);
			kfree(ino);
		}
	}
	mutex_unlock(&bk->lock);
}

/* The checks and the taking of smbs_brl_lock(), under the bucket's lock. */
static int smbs_brl_lock_locked(struct smbs_brl *b,
				const struct smbs_brl_vfs *v,
				struct smbs_brl_bucket *bk,
				struct smbs_brl_lock *nl)
{
	struct smbs_brl_ino *ino;

	lockdep_assert_held(&bk->lock);
	ino = b->ino ?: smbs_brl_ino_find(bk, v->key);
	if (ino && smbs_brl_ino_conflict(ino, b, nl->start, nl->len, nl->excl))
		return -EAGAIN;
	if (smbs_brl_posix_ok(nl))
		return smbs_brl_posix_add(b, nl, v->posix, v->ctx);
	if (v->test && v->test(v->ctx, nl->start, nl->len, nl->excl))
		return -EAGAIN;
	return smbs_brl_ino_add(b, bk, v->key, nl);
}

int smbs_brl_lock(struct smbs_brl *b, const struct smbs_brl_vfs *v,
		  u64 start, u64 len, bool excl)
{
	u64 last = len ? start + (len - 1) : start;
	struct smbs_brl_bucket *bk;
	struct smbs_brl_lock *nl;
	int err;

	if (excl && smbs_brl_own_conflict(b, start, len, last))
		return -EAGAIN;
	nl = kzalloc(sizeof(*nl), GFP_KERNEL);
	if (!nl)
		return -ENOMEM;
	nl->start = start;
	nl->last = last;
	nl->len = len;
	nl->excl = excl;
	nl->owner = b;
	bk = smbs_brl_bucket(v->key);
	mutex_lock(&bk->lock);
	err = smbs_brl_lock_locked(b, v, bk, nl);
	mutex_unlock(&bk->lock);
	if (err) {
		kfree(nl);
		return err;
	}
	smbs_brl_it_insert(nl, excl ? &b->excl : &b->shared);
	nl->next_pending = b->pending;
	b->pending = nl;
	b->count++;
	return 0;
}

/*
 * Take a lock out of its tree and give its range the state the remaining
 * locks make. Releasing never conflicts; errors (no memory to split a
 * POSIX lock) leave a stale POSIX lock until the open closes.
 */
static void smbs_brl_remove(struct smbs_brl *b, struct smbs_brl_lock *l,
			    const struct smbs_brl_vfs *v)
{
	struct smbs_brl_walk w = {
		.posix = v->posix, .ctx = v->ctx, .gap = F_UNLCK,
		.cover = SMBS_BRL_NONE, .with_excl = true, .stop = false,
	};

	smbs_brl_it_remove(l, l->excl ? &b->excl : &b->shared);
	b->count--;
	if (!smbs_brl_posix_ok(l)) {
		smbs_brl_ino_remove(b, l);
	} else {
		if (l->excl) {
			/* Only shared locks can overlap it: keep those read. */
			w.cover = F_RDLCK;
			w.with_excl = false;
		}
		smbs_brl_walk(b, &w, l->start, l->last);
	}
	kfree(l);
}

/* The lock with exactly this range in one tree, or NULL. */
static struct smbs_brl_lock *smbs_brl_find(struct rb_root_cached *root,
					   u64 start, u64 len)
{
	u64 last = len ? start + (len - 1) : start;
	struct smbs_brl_lock *l;

	for (l = smbs_brl_it_iter_first(root, start, last); l && l->start <= start;
	     l = smbs_brl_it_iter_next(l, start, last))
		if (l->start == start && l->len == len)
			return l;
	return NULL;
}

int smbs_brl_unlock(struct smbs_brl *b, const struct smbs_brl_vfs *v,
		    u64 start, u64 len)
{
	struct smbs_brl_lock *l;

	l = smbs_brl_find(&b->excl, start, len);
	if (!l)
		l = smbs_brl_find(&b->shared, start, len);
	if (!l)
		return -ENOENT;
	smbs_brl_remove(b, l, v);
	return 0;
}

void smbs_brl_commit(struct smbs_brl *b)
{
	struct smbs_brl_lock *l;

	while ((l = b->pending)) {
		b->pending = l->next_pending;
		l->next_pending = NULL;
	}
}

void smbs_brl_abort(struct smbs_brl *b, const struct smbs_brl_vfs *v)
{
	struct smbs_brl_lock *l;

	while ((l = b->pending)) {
		b->pending = l->next_pending;
		smbs_brl_remove(b, l, v);
	}
}

static void smbs_brl_free_tree(struct smbs_brl *b, struct rb_root_cached *root)
{
	struct smbs_brl_lock *l, *tmp;

	rbtree_postorder_for_each_entry_safe(l, tmp, &root->rb_root, rb) {
		if (!smbs_brl_posix_ok(l))
			smbs_brl_ino_remove(b, l);
		kfree(l);
	}
	*root = RB_ROOT_CACHED;
}

void smbs_brl_free(struct smbs_brl *b)
{
	smbs_brl_free_tree(b, &b->excl);
	smbs_brl_free_tree(b, &b->shared);
	WARN_ON_ONCE(b->ino || b->ino_count);
	b->pending = NULL;
	b->count = 0;
}

/*
 * Locks held by all opens of the server: each costs memory here and in the
 * VFS, and the VFS scans an inode's POSIX locks linearly on every change.
 * Each session has a budget of its own below this (SMBS_SESS_MAX_LOCKS),
 * so that one client cannot take it all; this bound is the last resort
 * against many sessions.
 */
#define SMBS_BRL_MAX		262144

static atomic_t smbs_brl_held = ATOMIC_INIT(0);

struct smbs_brl_budget *smbs_brl_budget_new(u32 max)
{
	struct smbs_brl_budget *bb = kzalloc(sizeof(*bb), GFP_KERNEL);

	if (!bb)
		return NULL;
	refcount_set(&bb->ref, 1);
	bb->max = max;
	return bb;
}

void smbs_brl_budget_put(struct smbs_brl_budget *bb)
{
	if (bb && refcount_dec_and_test(&bb->ref)) {
		WARN_ON_ONCE(atomic_read(&bb->held));
		kfree(bb);
	}
}

bool smbs_brl_charge(struct smbs_brl *b, struct smbs_brl_budget *bb, u32 n)
{
	if (!b->budget) {
		refcount_inc(&bb->ref);
		b->budget = bb;
	}
	/* An open belongs to one owner for its whole life. */
	WARN_ON_ONCE(b->budget != bb);
	bb = b->budget;
	if (atomic_add_return(n, &bb->held) > bb->max) {
		atomic_sub(n, &bb->held);
		return false;
	}
	if (atomic_add_return(n, &smbs_brl_held) > SMBS_BRL_MAX) {
		atomic_sub(n, &smbs_brl_held);
		atomic_sub(n, &bb->held);
		pr_warn_ratelimited("server-wide byte-range lock limit %u reached\n",
				    SMBS_BRL_MAX);
		return false;
	}
	return true;
}

void smbs_brl_uncharge(struct smbs_brl *b, u32 n)
{
	if (!n || WARN_ON_ONCE(!b->budget))
		return;
	atomic_sub(n, &smbs_brl_held);
	atomic_sub(n, &b->budget->held);
}

void smbs_brl_release(struct smbs_brl *b, struct file *filp, void *owner)
{
	if (filp && !(filp->f_mode & FMODE_PATH))
		locks_remove_posix(filp, owner);
	smbs_brl_uncharge(b, b->count);
	smbs_brl_budget_put(b->budget);
	b->budget = NULL;
	smbs_brl_free(b);
}
