// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the byte-range lock bookkeeping (brlock.c), against a
 * simulated POSIX lock table: the open's lock state per byte and one other
 * owner's locks to conflict with.
 */
#include <kunit/test.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include "../brlock.h"

#define BRL_BYTES	256

/**
 * struct brl_sim - the POSIX side as the VFS would keep it
 * @own: the open's lock type on each byte (F_UNLCK, F_RDLCK, F_WRLCK)
 * @other: another owner's lock type on each byte
 * @calls: POSIX calls made
 * @fail_call: make this call (1-based) fail with -ENOMEM, 0 never
 * @test: the test, for out-of-range reports
 * @vfs: what the open's calls get: brl_sim_posix(), brl_sim_test(), the
 *	 simulation and the key of the file (shared by two opens of one file)
 */
struct brl_sim {
	int own[BRL_BYTES];
	int other[BRL_BYTES];
	unsigned int calls;
	unsigned int fail_call;
	struct kunit *test;
	struct smbs_brl_vfs vfs;
};

/* Files of the tests: only their addresses matter. */
static int brl_file_a, brl_file_b;

static int brl_sim_posix(void *ctx, u64 first, u64 last, int type)
{
	struct brl_sim *sim = ctx;
	u64 i;

	sim->calls++;
	KUNIT_EXPECT_LE(sim->test, first, last);
	KUNIT_EXPECT_LT(sim->test, last, (u64)BRL_BYTES);
	if (first > last || last >= BRL_BYTES)
		return -EINVAL;
	if (sim->calls == sim->fail_call)
		return -ENOMEM;
	for (i = first; i <= last; i++) {
		if (type == F_WRLCK && sim->other[i] != F_UNLCK)
			return -EAGAIN;
		if (type == F_RDLCK && sim->other[i] == F_WRLCK)
			return -EAGAIN;
	}
	for (i = first; i <= last; i++)
		sim->own[i] = type;
	return 0;
}

/* Another owner's locks against a lock POSIX cannot express. */
static bool brl_sim_test(void *ctx, u64 start, u64 len, bool excl)
{
	struct brl_sim *sim = ctx;
	u64 i;

	for (i = 0; i < BRL_BYTES; i++)
		if (sim->other[i] == F_WRLCK ||
		    (excl && sim->other[i] != F_UNLCK))
			if (smbs_brl_overlap(i, 1, start, len))
				return true;
	return false;
}

static struct brl_sim *brl_sim_file(struct kunit *test, const void *key)
{
	struct brl_sim *sim = kunit_kzalloc(test, sizeof(*sim), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, sim);
	for (i = 0; i < BRL_BYTES; i++) {
		sim->own[i] = F_UNLCK;
		sim->other[i] = F_UNLCK;
	}
	sim->test = test;
	sim->vfs.posix = brl_sim_posix;
	sim->vfs.test = brl_sim_test;
	sim->vfs.key = key;
	sim->vfs.ctx = sim;
	return sim;
}

static struct brl_sim *brl_sim_new(struct kunit *test)
{
	return brl_sim_file(test, &brl_file_a);
}

static void brl_sim_other(struct brl_sim *sim, int first, int last, int type)
{
	while (first <= last)
		sim->other[first++] = type;
}

/* The open's POSIX state must be @want on [first, last]. */
static void brl_expect(struct kunit *test, struct brl_sim *sim, int first,
		       int last, int want)
{
	int i;

	for (i = first; i <= last; i++)
		KUNIT_EXPECT_EQ_MSG(test, sim->own[i], want, "byte %d", i);
}

static int brl_lock(struct smbs_brl *b, struct brl_sim *sim, u64 start,
		    u64 len, bool excl)
{
	int err = smbs_brl_lock(b, &sim->vfs, start, len, excl);

	if (!err)
		smbs_brl_commit(b);
	return err;
}

static int brl_unlock(struct smbs_brl *b, struct brl_sim *sim, u64 start,
		      u64 len)
{
	return smbs_brl_unlock(b, &sim->vfs, start, len);
}

static void brlock_overlap(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, smbs_brl_overlap(0, 10, 9, 1));
	KUNIT_EXPECT_FALSE(test, smbs_brl_overlap(0, 10, 10, 1));
	/* Empty ranges never overlap each other (MS-FSA 2.1.4.10). */
	KUNIT_EXPECT_FALSE(test, smbs_brl_overlap(5, 0, 5, 0));
	KUNIT_EXPECT_FALSE(test, smbs_brl_overlap(5, 0, 6, 0));
	KUNIT_EXPECT_FALSE(test, smbs_brl_overlap(0, 0, 0, 0));
	KUNIT_EXPECT_TRUE(test, smbs_brl_overlap(10, 0, 9, 2));
	KUNIT_EXPECT_FALSE(test, smbs_brl_overlap(10, 0, 10, 2));
	KUNIT_EXPECT_TRUE(test, smbs_brl_overlap(5, 0, 0, 10));
	KUNIT_EXPECT_FALSE(test, smbs_brl_overlap(0, 0, 0, 10));
	KUNIT_EXPECT_FALSE(test, smbs_brl_overlap(10, 0, 0, 10));
	KUNIT_EXPECT_TRUE(test, smbs_brl_overlap(U64_MAX - 1, 1, 0, U64_MAX));
	KUNIT_EXPECT_FALSE(test, smbs_brl_overlap(U64_MAX, 1, 0, U64_MAX));
}

/* Identical shared locks stack: only the first and the last touch POSIX. */
static void brlock_stack_shared(struct kunit *test)
{
	struct smbs_brl b = {};
	struct brl_sim *sim = brl_sim_new(test);
	int i;

	for (i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, 10, 20, false), 0);
	KUNIT_EXPECT_EQ(test, sim->calls, 1U);
	KUNIT_EXPECT_EQ(test, b.count, 100U);
	brl_expect(test, sim, 10, 29, F_RDLCK);
	for (i = 0; i < 99; i++)
		KUNIT_ASSERT_EQ(test, brl_unlock(&b, sim, 10, 20), 0);
	KUNIT_EXPECT_EQ(test, sim->calls, 1U);
	brl_expect(test, sim, 10, 29, F_RDLCK);
	KUNIT_ASSERT_EQ(test, brl_unlock(&b, sim, 10, 20), 0);
	KUNIT_EXPECT_EQ(test, sim->calls, 2U);
	brl_expect(test, sim, 0, BRL_BYTES - 1, F_UNLCK);
	KUNIT_EXPECT_EQ(test, brl_unlock(&b, sim, 10, 20), -ENOENT);
	KUNIT_EXPECT_EQ(test, b.count, 0U);
	smbs_brl_free(&b);
}

/* A shared lock over the open's exclusive ones keeps them exclusive. */
static void brlock_shared_over_excl(struct kunit *test)
{
	struct smbs_brl b = {};
	struct brl_sim *sim = brl_sim_new(test);

	KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, 10, 10, true), 0);
	KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, 40, 10, true), 0);
	KUNIT_EXPECT_EQ(test, sim->calls, 2U);
	/* Exclusive over the open's own locks is refused, POSIX untouched. */
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sim, 15, 1, true), -EAGAIN);
	KUNIT_EXPECT_EQ(test, sim->calls, 2U);
	KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, 0, 60, false), 0);
	/* Three gaps: [0,9], [20,39], [50,59]. */
	KUNIT_EXPECT_EQ(test, sim->calls, 5U);
	brl_expect(test, sim, 0, 9, F_RDLCK);
	brl_expect(test, sim, 10, 19, F_WRLCK);
	brl_expect(test, sim, 20, 39, F_RDLCK);
	brl_expect(test, sim, 40, 49, F_WRLCK);
	brl_expect(test, sim, 50, 59, F_RDLCK);
	/* Releasing an exclusive lock under the shared one downgrades it. */
	KUNIT_ASSERT_EQ(test, brl_unlock(&b, sim, 10, 10), 0);
	KUNIT_EXPECT_EQ(test, sim->calls, 6U);
	brl_expect(test, sim, 0, 39, F_RDLCK);
	KUNIT_ASSERT_EQ(test, brl_unlock(&b, sim, 0, 60), 0);
	brl_expect(test, sim, 0, 39, F_UNLCK);
	brl_expect(test, sim, 40, 49, F_WRLCK);
	brl_expect(test, sim, 50, 59, F_UNLCK);
	smbs_brl_free(&b);
}

/*
 * A budget bounds the opens charged to it together, independently of
 * another budget, and outlives its owner until the last open is released.
 */
static void brlock_budget(struct kunit *test)
{
	struct smbs_brl_budget *bb = smbs_brl_budget_new(10);
	struct smbs_brl_budget *other = smbs_brl_budget_new(10);
	struct smbs_brl a = {}, b = {}, c = {};

	KUNIT_ASSERT_NOT_NULL(test, bb);
	KUNIT_ASSERT_NOT_NULL(test, other);
	KUNIT_EXPECT_TRUE(test, smbs_brl_charge(&a, bb, 6));
	KUNIT_EXPECT_FALSE(test, smbs_brl_charge(&b, bb, 5));
	KUNIT_EXPECT_TRUE(test, smbs_brl_charge(&b, bb, 4));
	KUNIT_EXPECT_FALSE(test, smbs_brl_charge(&a, bb, 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&bb->held), 10);
	/* Another owner is not held back. */
	KUNIT_EXPECT_TRUE(test, smbs_brl_charge(&c, other, 10));
	/* What goes comes back. */
	smbs_brl_uncharge(&a, 2);
	KUNIT_EXPECT_TRUE(test, smbs_brl_charge(&b, bb, 2));
	KUNIT_EXPECT_EQ(test, refcount_read(&bb->ref), 3U);
	/* The owner goes first; each open's release gives its count back. */
	smbs_brl_budget_put(bb);
	a.count = 4;
	b.count = 6;
	smbs_brl_release(&a, NULL, NULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&bb->held), 6);
	KUNIT_EXPECT_EQ(test, refcount_read(&bb->ref), 1U);
	KUNIT_EXPECT_NULL(test, a.budget);
	smbs_brl_release(&b, NULL, NULL);
	c.count = 10;
	smbs_brl_release(&c, NULL, NULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&other->held), 0);
	smbs_brl_budget_put(other);
}

/* Only the open's shared locks stop its own writes, exclusive ones not. */
static void brlock_shared_stops_write(struct kunit *test)
{
	struct smbs_brl b = {};
	struct brl_sim *sim = brl_sim_new(test);

	KUNIT_EXPECT_FALSE(test, smbs_brl_shared_overlap(&b, 0, 100));
	KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, 10, 10, true), 0);
	KUNIT_EXPECT_FALSE(test, smbs_brl_shared_overlap(&b, 0, 100));
	KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, 40, 10, false), 0);
	KUNIT_EXPECT_TRUE(test, smbs_brl_shared_overlap(&b, 0, 100));
	KUNIT_EXPECT_TRUE(test, smbs_brl_shared_overlap(&b, 49, 1));
	KUNIT_EXPECT_TRUE(test, smbs_brl_shared_overlap(&b, 30, 11));
	KUNIT_EXPECT_FALSE(test, smbs_brl_shared_overlap(&b, 50, 10));
	KUNIT_EXPECT_FALSE(test, smbs_brl_shared_overlap(&b, 30, 10));
	/* Writing nothing never conflicts. */
	KUNIT_EXPECT_FALSE(test, smbs_brl_shared_overlap(&b, 45, 0));
	/* A shared lock over the exclusive one stops the write there. */
	KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, 10, 10, false), 0);
	KUNIT_EXPECT_TRUE(test, smbs_brl_shared_overlap(&b, 15, 1));
	KUNIT_ASSERT_EQ(test, brl_unlock(&b, sim, 10, 10), 0);	/* excl */
	KUNIT_ASSERT_EQ(test, brl_unlock(&b, sim, 10, 10), 0);	/* shared */
	KUNIT_EXPECT_FALSE(test, smbs_brl_shared_overlap(&b, 15, 1));
	/* An empty lock overlaps a write with bytes on both sides of it. */
	KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, 100, 0, false), 0);
	KUNIT_EXPECT_TRUE(test, smbs_brl_shared_overlap(&b, 99, 2));
	KUNIT_EXPECT_FALSE(test, smbs_brl_shared_overlap(&b, 100, 2));
	/* Ranges reaching the top of the offsets. */
	KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, U64_MAX - 9, 10, false), 0);
	KUNIT_EXPECT_TRUE(test, smbs_brl_shared_overlap(&b, U64_MAX, 1));
	KUNIT_EXPECT_FALSE(test, smbs_brl_shared_overlap(&b, U64_MAX - 20, 11));
	smbs_brl_free(&b);
}

/* Unlocking a range held both ways releases the exclusive lock first. */
static void brlock_unlock_prefers_excl(struct kunit *test)
{
	struct smbs_brl b = {};
	struct brl_sim *sim = brl_sim_new(test);

	KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, 0, 8, true), 0);
	KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, 0, 8, false), 0);
	brl_expect(test, sim, 0, 7, F_WRLCK);
	KUNIT_ASSERT_EQ(test, brl_unlock(&b, sim, 0, 8), 0);
	brl_expect(test, sim, 0, 7, F_RDLCK);
	/* Now only the shared one is left: an exclusive lock still conflicts. */
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sim, 4, 1, true), -EAGAIN);
	smbs_brl_free(&b);
}

/* A shared lock failing half way leaves the POSIX state as it was. */
static void brlock_partial_failure(struct kunit *test)
{
	struct smbs_brl b = {};
	struct brl_sim *sim = brl_sim_new(test);

	brl_sim_other(sim, 25, 26, F_WRLCK);
	KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, 10, 10, true), 0);
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sim, 0, 30, false), -EAGAIN);
	brl_expect(test, sim, 0, 9, F_UNLCK);
	brl_expect(test, sim, 10, 19, F_WRLCK);
	brl_expect(test, sim, 20, BRL_BYTES - 1, F_UNLCK);
	KUNIT_EXPECT_EQ(test, b.count, 1U);
	/* Another owner's read lock stops an exclusive, not a shared lock. */
	brl_sim_other(sim, 60, 60, F_RDLCK);
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sim, 55, 10, true), -EAGAIN);
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sim, 55, 10, false), 0);
	/* An injected error is passed on and nothing is kept. */
	sim->fail_call = sim->calls + 1;
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sim, 100, 10, false), -ENOMEM);
	brl_expect(test, sim, 100, 109, F_UNLCK);
	KUNIT_EXPECT_EQ(test, b.count, 2U);
	smbs_brl_free(&b);
}

/* Pending locks of a failed request all go. */
static void brlock_abort(struct kunit *test)
{
	struct smbs_brl b = {};
	struct brl_sim *sim = brl_sim_new(test);
	int i;

	KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, 0, 4, false), 0);
	for (i = 0; i < 20; i++)
		KUNIT_ASSERT_EQ(test, smbs_brl_lock(&b, &sim->vfs, i * 8, 6,
						    i & 1), 0);
	KUNIT_EXPECT_EQ(test, b.count, 21U);
	smbs_brl_abort(&b, &sim->vfs);
	KUNIT_EXPECT_EQ(test, b.count, 1U);
	brl_expect(test, sim, 0, 3, F_RDLCK);
	brl_expect(test, sim, 4, BRL_BYTES - 1, F_UNLCK);
	smbs_brl_free(&b);
}

/* Empty ranges and ranges POSIX cannot express stay out of POSIX. */
static void brlock_not_posix(struct kunit *test)
{
	u64 big = (u64)OFFSET_MAX;
	struct smbs_brl b = {};
	struct brl_sim *sim = brl_sim_new(test);

	KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, 5, 0, true), 0);
	/* Two empty ranges do not overlap: exclusive ones stack. */
	KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, 5, 0, true), 0);
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sim, 4, 2, true), -EAGAIN);
	KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, big, 2, true), 0);
	KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, U64_MAX, 1, false), 0);
	KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, big + 1, 0, false), 0);
	KUNIT_EXPECT_EQ(test, sim->calls, 0U);
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sim, big + 1, 1, true), -EAGAIN);
	/* Neither does it cover anything a later lock needs. */
	KUNIT_ASSERT_EQ(test, brl_lock(&b, sim, 0, 10, false), 0);
	KUNIT_EXPECT_EQ(test, sim->calls, 1U);
	brl_expect(test, sim, 0, 9, F_RDLCK);
	KUNIT_EXPECT_EQ(test, brl_unlock(&b, sim, 5, 0), 0);
	KUNIT_EXPECT_EQ(test, brl_unlock(&b, sim, 5, 0), 0);
	KUNIT_EXPECT_EQ(test, brl_unlock(&b, sim, big, 2), 0);
	KUNIT_EXPECT_EQ(test, sim->calls, 1U);
	KUNIT_EXPECT_EQ(test, b.count, 3U);
	smbs_brl_free(&b);
	KUNIT_EXPECT_EQ(test, b.count, 0U);
}

/*
 * Two opens of one file see each other's locks that POSIX cannot express
 * through the inode's record, with the conflict rules of MS-FSA 2.1.4.10;
 * an open of another file does not.
 */
static void brlock_other_open(struct kunit *test)
{
	struct brl_sim *sa = brl_sim_new(test), *sb = brl_sim_new(test);
	struct brl_sim *sc = brl_sim_file(test, &brl_file_b);
	struct smbs_brl a = {}, b = {}, c = {};
	u64 big = (u64)OFFSET_MAX + 1;

	/* An exclusive empty lock at 10 refuses ranges with bytes around it. */
	KUNIT_ASSERT_EQ(test, brl_lock(&a, sa, 10, 0, true), 0);
	KUNIT_ASSERT_NOT_NULL(test, a.ino);
	/* Its own open's I/O goes through. */
	KUNIT_EXPECT_FALSE(test, smbs_brl_others_conflict(&a, &brl_file_a, 5,
							  10, true));
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sb, 9, 2, true), -EAGAIN);
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sb, 9, 3, false), -EAGAIN);
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sb, 10, 2, true), 0);
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sb, 9, 1, true), 0);
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sb, 10, 0, true), 0);
	KUNIT_EXPECT_EQ(test, b.count, 3U);
	KUNIT_EXPECT_PTR_EQ(test, a.ino, b.ino);
	/* I/O: reads and writes across it are refused, its own are not. */
	KUNIT_EXPECT_TRUE(test, smbs_brl_others_conflict(&b, &brl_file_a, 5, 10,
							 false));
	KUNIT_EXPECT_FALSE(test, smbs_brl_others_conflict(&b, &brl_file_a, 10,
							  5, true));
	/* Now b's empty lock at 10 stops a. */
	KUNIT_EXPECT_TRUE(test, smbs_brl_others_conflict(&a, &brl_file_a, 5,
							 10, false));
	KUNIT_EXPECT_FALSE(test, smbs_brl_others_conflict(&c, &brl_file_b, 5,
							  10, true));
	KUNIT_EXPECT_EQ(test, brl_lock(&c, sc, 9, 2, true), 0);

	/* A shared lock past OFFSET_MAX refuses exclusive access only. */
	KUNIT_ASSERT_EQ(test, brl_lock(&a, sa, big, 10, false), 0);
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sb, big + 9, 1, true), -EAGAIN);
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sb, big + 9, 1, false), 0);
	KUNIT_EXPECT_TRUE(test, smbs_brl_others_conflict(&b, &brl_file_a,
							 big + 5, 1, true));
	KUNIT_EXPECT_FALSE(test, smbs_brl_others_conflict(&b, &brl_file_a,
							  big + 5, 1, false));
	/* Nothing of it went to POSIX. */
	KUNIT_EXPECT_EQ(test, sa->calls, 0U);

	/* Released, the empty lock no longer stands in the way. */
	KUNIT_ASSERT_EQ(test, brl_unlock(&a, sa, 10, 0), 0);
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sb, 9, 3, false), 0);
	KUNIT_EXPECT_FALSE(test, smbs_brl_others_conflict(&b, &brl_file_a, 5,
							  10, true));
	/* The close of an open takes its locks out of the record. */
	smbs_brl_free(&a);
	KUNIT_EXPECT_NULL(test, a.ino);
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sb, big, 9, true), 0);
	smbs_brl_free(&b);
	KUNIT_EXPECT_NULL(test, b.ino);
	smbs_brl_free(&c);
}

/*
 * The record lives while an open holds a lock in it: each open's last such
 * lock drops its reference, the last reference frees it, and a later lock
 * makes a new one.
 */
static void brlock_record_lifetime(struct kunit *test)
{
	struct brl_sim *sa = brl_sim_new(test), *sb = brl_sim_new(test);
	struct smbs_brl a = {}, b = {};

	KUNIT_ASSERT_EQ(test, brl_lock(&a, sa, 3, 0, false), 0);
	KUNIT_ASSERT_EQ(test, brl_lock(&a, sa, 3, 0, false), 0);
	KUNIT_ASSERT_EQ(test, brl_lock(&b, sb, 4, 0, true), 0);
	KUNIT_EXPECT_EQ(test, a.ino_count, 2U);
	KUNIT_EXPECT_PTR_EQ(test, a.ino, b.ino);
	/* A POSIX lock is not in the record. */
	KUNIT_ASSERT_EQ(test, brl_lock(&a, sa, 20, 5, false), 0);
	KUNIT_EXPECT_EQ(test, a.ino_count, 2U);
	KUNIT_ASSERT_EQ(test, brl_unlock(&a, sa, 3, 0), 0);
	KUNIT_EXPECT_NOT_NULL(test, a.ino);
	KUNIT_ASSERT_EQ(test, brl_unlock(&a, sa, 3, 0), 0);
	KUNIT_EXPECT_NULL(test, a.ino);
	/* b's lock is still seen by a: its record is alive. */
	KUNIT_EXPECT_EQ(test, brl_lock(&a, sa, 3, 2, false), -EAGAIN);
	KUNIT_ASSERT_EQ(test, brl_unlock(&b, sb, 4, 0), 0);
	KUNIT_EXPECT_NULL(test, b.ino);
	KUNIT_EXPECT_EQ(test, brl_lock(&a, sa, 3, 2, false), 0);
	/* A failed request leaves no record behind. */
	KUNIT_ASSERT_EQ(test, smbs_brl_lock(&a, &sa->vfs, 50, 0, true), 0);
	KUNIT_EXPECT_NOT_NULL(test, a.ino);
	smbs_brl_abort(&a, &sa->vfs);
	KUNIT_EXPECT_NULL(test, a.ino);
	smbs_brl_free(&a);
	smbs_brl_free(&b);
}

static unsigned int brl_refusals;

static bool brl_refuse(void *ctx, u64 start, u64 len, bool excl)
{
	brl_refusals++;
	return true;
}

/*
 * Only locks POSIX cannot express ask about other owners' POSIX locks (the
 * others are POSIX calls); refused, they leave nothing behind.
 */
static void brlock_posix_test(struct kunit *test)
{
	struct brl_sim *sim = brl_sim_new(test);
	struct smbs_brl b = {};

	sim->vfs.test = brl_refuse;
	brl_refusals = 0;
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sim, 10, 0, false), -EAGAIN);
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sim, U64_MAX, 1, true), -EAGAIN);
	KUNIT_EXPECT_EQ(test, brl_refusals, 2U);
	KUNIT_EXPECT_EQ(test, b.count, 0U);
	KUNIT_EXPECT_NULL(test, b.ino);
	KUNIT_EXPECT_EQ(test, brl_lock(&b, sim, 10, 5, true), 0);
	KUNIT_EXPECT_EQ(test, brl_refusals, 2U);
	KUNIT_EXPECT_EQ(test, sim->calls, 1U);
	smbs_brl_free(&b);
}

/**
 * struct brl_model - the open's locks as a plain list, for comparison
 * @start: first byte of each lock
 * @len: length of each lock
 * @excl: exclusive
 * @n: number of locks
 */
struct brl_model {
	u64 start[128];
	u64 len[128];
	bool excl[128];
	int n;
};

static int brl_model_lock(struct brl_model *m, struct brl_sim *sim, u64 s,
			  u64 l, bool excl)
{
	int i;

	for (i = 0; excl && i < m->n; i++)
		if (smbs_brl_overlap(m->start[i], m->len[i], s, l))
			return -EAGAIN;
	for (i = s; i < s + l; i++)
		if (sim->other[i] == F_WRLCK ||
		    (excl && sim->other[i] != F_UNLCK))
			return -EAGAIN;
	if (m->n == ARRAY_SIZE(m->start))
		return -ENOSPC;
	m->start[m->n] = s;
	m->len[m->n] = l;
	m->excl[m->n++] = excl;
	return 0;
}

static int brl_model_unlock(struct brl_model *m, u64 s, u64 l)
{
	int i, found = -1;

	for (i = 0; i < m->n; i++) {
		if (m->start[i] != s || m->len[i] != l)
			continue;
		found = i;
		if (m->excl[i])
			break;
	}
	if (found < 0)
		return -ENOENT;
	m->n--;
	m->start[found] = m->start[m->n];
	m->len[found] = m->len[m->n];
	m->excl[found] = m->excl[m->n];
	return 0;
}

static void brl_model_check(struct kunit *test, const struct brl_model *m,
			    const struct brl_sim *sim, int step)
{
	int want[BRL_BYTES];
	int i;
	u64 j;

	for (i = 0; i < BRL_BYTES; i++)
		want[i] = F_UNLCK;
	for (i = 0; i < m->n; i++)
		for (j = m->start[i]; j < m->start[i] + m->len[i]; j++)
			if (m->excl[i] || want[j] == F_UNLCK)
				want[j] = m->excl[i] ? F_WRLCK : F_RDLCK;
	for (i = 0; i < BRL_BYTES; i++)
		if (sim->own[i] != want[i]) {
			KUNIT_FAIL(test, "step %d: byte %d is %d, want %d",
				   step, i, sim->own[i], want[i]);
			return;
		}
}

/* Random locks and unlocks: the POSIX state always follows the model. */
static void brlock_random(struct kunit *test)
{
	struct brl_model *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct brl_sim *sim = brl_sim_new(test);
	struct smbs_brl b = {};
	u32 seed = 12345;
	int step, err, want;
	u64 s, l;
	bool excl;

	KUNIT_ASSERT_NOT_NULL(test, m);
	brl_sim_other(sim, 200, 203, F_WRLCK);
	brl_sim_other(sim, 220, 223, F_RDLCK);
	for (step = 0; step < 5000; step++) {
		seed = seed * 1103515245 + 12345;
		s = (seed >> 8) % 240;
		l = (seed >> 16) % 16;
		excl = seed & 0x10;
		if ((seed & 0x80000000) && m->n) {
			/* Mostly unlock something held. */
			if (seed & 0x20) {
				s = m->start[(seed >> 4) % m->n];
				l = m->len[(seed >> 4) % m->n];
			}
			want = brl_model_unlock(m, s, l);
			err = brl_unlock(&b, sim, s, l);
		} else {
			want = brl_model_lock(m, sim, s, l, excl);
			if (want == -ENOSPC)
				continue;
			err = brl_lock(&b, sim, s, l, excl);
		}
		KUNIT_ASSERT_EQ_MSG(test, err, want, "step %d", step);
		KUNIT_ASSERT_EQ(test, b.count, (u32)m->n);
		brl_model_check(test, m, sim, step);
	}
	smbs_brl_free(&b);
}

static struct kunit_case brlock_cases[] = {
	KUNIT_CASE(brlock_overlap),
	KUNIT_CASE(brlock_stack_shared),
	KUNIT_CASE(brlock_shared_over_excl),
	KUNIT_CASE(brlock_budget),
	KUNIT_CASE(brlock_shared_stops_write),
	KUNIT_CASE(brlock_unlock_prefers_excl),
	KUNIT_CASE(brlock_partial_failure),
	KUNIT_CASE(brlock_abort),
	KUNIT_CASE(brlock_not_posix),
	KUNIT_CASE(brlock_other_open),
	KUNIT_CASE(brlock_record_lifetime),
	KUNIT_CASE(brlock_posix_test),
	KUNIT_CASE(brlock_random),
	{}
};

static struct kunit_suite brlock_suite = {
	.name = "smbs_brlock",
	.test_cases = brlock_cases,
};

kunit_test_suite(brlock_suite);
