// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for name and path conversion.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "../misc.h"

static void path_check(struct kunit *test, const char *in, const char *want,
		       int err)
{
	char *p = kunit_kstrdup(test, in, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ_MSG(test, smbd_share_path(p), err, "input %s", in);
	if (!err)
		KUNIT_EXPECT_STREQ(test, p, want);
}

static void misc_share_path(struct kunit *test)
{
	path_check(test, "", "", 0);
	path_check(test, "\\", "", 0);
	path_check(test, "a", "a", 0);
	path_check(test, "dir\\file.txt", "dir/file.txt", 0);
	path_check(test, "\\\\dir\\\\sub\\", "dir/sub", 0);
	path_check(test, "a/b", "a/b", 0);
	path_check(test, "..", NULL, -EINVAL);
	path_check(test, "a\\..\\..\\etc", NULL, -EINVAL);
	path_check(test, "a\\.\\b", NULL, -EINVAL);
	path_check(test, "file:stream", NULL, -EINVAL);
	path_check(test, "bad*name", NULL, -EINVAL);
	path_check(test, "ctl\x01", NULL, -EINVAL);
	path_check(test, "...", "...", 0);
	path_check(test, "..a", "..a", 0);
}

static void misc_utf16(struct kunit *test)
{
	static const u8 ab[] = { 'a', 0, 0xe9, 0, 'b', 0 };	/* "aéb" */
	static const u8 nul[] = { 'a', 0, 0, 0 };
	static const u8 lone[] = { 0x00, 0xd8 };		/* high surrogate */
	static const char utf8[] = { 'a', 0xc3, 0xa9, 'b', 0 };
	u8 out[16];
	char *s;

	KUNIT_EXPECT_EQ(test, smbd_utf16_to_utf8(ab, sizeof(ab), &s), 4);
	KUNIT_EXPECT_STREQ(test, s, utf8);
	kfree(s);
	KUNIT_EXPECT_EQ(test, smbd_utf16_to_utf8(ab, 5, &s), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbd_utf16_to_utf8(nul, sizeof(nul), &s), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbd_utf16_to_utf8(lone, sizeof(lone), &s), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbd_utf16_to_utf8(ab, 0, &s), 0);
	kfree(s);
	KUNIT_EXPECT_EQ(test, smbd_utf8_to_utf16(utf8, 4, out,
						 sizeof(out)), 6);
	KUNIT_EXPECT_MEMEQ(test, out, ab, sizeof(ab));
	KUNIT_EXPECT_EQ(test, smbd_utf8_to_utf16("abcd", 4, out, 7), -ENOSPC);
}

static void misc_nt_time(struct kunit *test)
{
	struct timespec64 ts = { .tv_sec = 0, .tv_nsec = 0 };

	KUNIT_EXPECT_EQ(test, smbd_time_to_nt(ts), SMBD_NT_EPOCH_OFFSET);
	ts.tv_sec = 1700000000;
	ts.tv_nsec = 123456700;
	ts = smbd_nt_to_time(smbd_time_to_nt(ts));
	KUNIT_EXPECT_EQ(test, ts.tv_sec, 1700000000LL);
	KUNIT_EXPECT_EQ(test, ts.tv_nsec, 123456700L);
	/* Before 1970. */
	ts = smbd_nt_to_time(SMBD_NT_EPOCH_OFFSET - 5);
	KUNIT_EXPECT_EQ(test, ts.tv_sec, -1LL);
	KUNIT_EXPECT_EQ(test, ts.tv_nsec, 999999500L);
}

static struct kunit_case smbd_misc_cases[] = {
	KUNIT_CASE(misc_share_path),
	KUNIT_CASE(misc_utf16),
	KUNIT_CASE(misc_nt_time),
	{}
};

static struct kunit_suite smbd_misc_suite = {
	.name = "smbd_misc",
	.test_cases = smbd_misc_cases,
};

kunit_test_suite(smbd_misc_suite);
