// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for share_mode.c: the sharing rule of MS-FSA 2.1.5.1.2.1
 * and the per-inode table of opens.
 */
#include <kunit/test.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include "../share_mode.h"

#define RD	0x00000001U	/* FILE_READ_DATA */
#define WR	0x00000002U	/* FILE_WRITE_DATA */
#define AP	0x00000004U	/* FILE_APPEND_DATA */
#define EX	0x00000020U	/* FILE_EXECUTE */
#define RA	0x00000080U	/* FILE_READ_ATTRIBUTES */
#define WA	0x00000100U	/* FILE_WRITE_ATTRIBUTES */
#define DE	0x00010000U	/* DELETE */
#define RC	0x00020000U	/* READ_CONTROL */
#define S_R	SMBS_SHARE_READ
#define S_W	SMBS_SHARE_WRITE
#define S_D	SMBS_SHARE_DELETE
#define S_ALL	(S_R | S_W | S_D)

static void share_rule(struct kunit *test)
{
	static const struct {
		u32 a1, s1, a2, s2;
		bool conflict;
	} cases[] = {
		{ RD, S_R, RD, S_R, false },
		{ RD, S_R, WR, S_ALL, true },	/* the first does not share write */
		{ WR, S_ALL, RD, S_R, true },	/* the second does not */
		{ EX, S_W, RD, S_R, true },	/* execute counts as reading */
		{ AP, S_R, WR, S_R, true },	/* append counts as writing */
		{ DE, S_R | S_W, RD, S_ALL, false },
		{ DE, S_ALL, RD, S_R | S_W, true },
		{ RD | WR | DE, S_ALL, RD | WR | DE, S_ALL, false },
		/* Attribute and security access never conflict. */
		{ RA | WA | RC, 0, RD | WR | DE, 0, false },
		{ RD, 0, RA, 0, false },
		{ RD, 0, RD, S_ALL, true },
	};
	unsigned int i;
	bool one, two;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		one = smbs_share_conflict(cases[i].a1, cases[i].s1,
					  cases[i].a2, cases[i].s2);
		/* The rule is symmetric. */
		two = smbs_share_conflict(cases[i].a2, cases[i].s2,
					  cases[i].a1, cases[i].s1);
		KUNIT_EXPECT_EQ_MSG(test, one, cases[i].conflict, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, two, cases[i].conflict,
				    "case %u swapped", i);
	}
}

static void share_table(struct kunit *test)
{
	struct inode *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	struct inode *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct smbs_share_entry e1 = { .access = RD, .share = S_R };
	struct smbs_share_entry e2 = { .access = RD, .share = S_R };
	struct smbs_share_entry e3 = { .access = WR, .share = S_ALL };
	struct smbs_share_entry e4 = {};

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, smbs_share_enter(&e1, a), 0);
	KUNIT_EXPECT_EQ(test, smbs_share_enter(&e2, a), 0);
	/* A writer is refused while readers that do not share writing stay. */
	KUNIT_EXPECT_EQ(test, smbs_share_enter(&e3, a), -EBUSY);
	KUNIT_EXPECT_NULL(test, e3.ino);
	/* Another inode is another table. */
	KUNIT_EXPECT_EQ(test, smbs_share_enter(&e3, b), 0);
	smbs_share_leave(&e3, false);
	/* The entry moves with the open; the table sees no difference. */
	smbs_share_move(&e1, &e4);
	KUNIT_EXPECT_NULL(test, e1.ino);
	KUNIT_EXPECT_NOT_NULL(test, e4.ino);
	KUNIT_EXPECT_EQ(test, smbs_share_enter(&e3, a), -EBUSY);
	smbs_share_leave(&e4, false);
	KUNIT_EXPECT_EQ(test, smbs_share_enter(&e3, a), -EBUSY);
	smbs_share_leave(&e2, false);
	/* Once both readers left, the writer gets in; leaving twice is a no-op. */
	KUNIT_EXPECT_EQ(test, smbs_share_enter(&e3, a), 0);
	smbs_share_leave(&e3, false);
	smbs_share_leave(&e3, false);
	smbs_share_leave(&e1, false);
}

/* Delete-pending: new opens refused, the last open removes the file. */
static void share_delete_pending(struct kunit *test)
{
	struct inode *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	struct smbs_share_entry e1 = { .access = RD, .share = S_ALL };
	struct smbs_share_entry e2 = { .access = DE, .share = S_ALL };
	struct smbs_share_entry e3 = { .access = RD, .share = S_ALL };
	struct smbs_share_ino *ino;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_EQ(test, smbs_share_enter(&e1, a), 0);
	KUNIT_ASSERT_EQ(test, smbs_share_enter(&e2, a), 0);
	smbs_share_set_delete_pending(&e2, true);
	KUNIT_EXPECT_TRUE(test, smbs_share_delete_pending(&e1));
	KUNIT_EXPECT_EQ(test, smbs_share_enter(&e3, a), -ENOENT);
	/* Cleared again, the file takes opens. */
	smbs_share_set_delete_pending(&e1, false);
	KUNIT_EXPECT_EQ(test, smbs_share_enter(&e3, a), 0);
	KUNIT_EXPECT_NULL(test, smbs_share_leave(&e3, false));
	/* An open made with DELETE_ON_CLOSE makes it pending as it goes. */
	KUNIT_EXPECT_NULL(test, smbs_share_leave(&e2, true));
	KUNIT_EXPECT_TRUE(test, smbs_share_delete_pending(&e1));
	ino = smbs_share_leave(&e1, false);
	KUNIT_EXPECT_NOT_NULL(test, ino);
	/* Until the last open has removed it, nothing opens it. */
	KUNIT_EXPECT_EQ(test, smbs_share_enter(&e3, a), -ENOENT);
	if (ino)
		smbs_share_deleted(ino);
	/* A new file at the same inode starts afresh. */
	KUNIT_EXPECT_EQ(test, smbs_share_enter(&e3, a), 0);
	KUNIT_EXPECT_FALSE(test, smbs_share_delete_pending(&e3));
	KUNIT_EXPECT_NULL(test, smbs_share_leave(&e3, false));
}

static struct kunit_case share_cases[] = {
	KUNIT_CASE(share_rule),
	KUNIT_CASE(share_table),
	KUNIT_CASE(share_delete_pending),
	{}
};

static struct kunit_suite share_suite = {
	.name = "smbs_share_mode",
	.test_cases = share_cases,
};

kunit_test_suite(share_suite);
