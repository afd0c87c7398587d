// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for name and path conversion.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "../misc.h"

static void path_check(struct kunit *test, const char *in, const char *want,
		       int err)
{
	char *p = kunit_kstrdup(test, in, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ_MSG(test, smbs_share_path(p), err, "input %s", in);
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

	KUNIT_EXPECT_EQ(test, smbs_utf16_to_utf8(ab, sizeof(ab), &s), 4);
	KUNIT_EXPECT_STREQ(test, s, utf8);
	kfree(s);
	KUNIT_EXPECT_EQ(test, smbs_utf16_to_utf8(ab, 5, &s), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbs_utf16_to_utf8(nul, sizeof(nul), &s), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbs_utf16_to_utf8(lone, sizeof(lone), &s), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbs_utf16_to_utf8(ab, 0, &s), 0);
	kfree(s);
	KUNIT_EXPECT_EQ(test, smbs_utf8_to_utf16(utf8, 4, out,
						 sizeof(out)), 6);
	KUNIT_EXPECT_MEMEQ(test, out, ab, sizeof(ab));
	KUNIT_EXPECT_EQ(test, smbs_utf8_to_utf16("abcd", 4, out, 7), -ENOSPC);
}

/* @n UTF-16 units: @unit repeated, or surrogate pairs when @unit is 0. */
static __le16 *utf16_fill(struct kunit *test, u32 n, u16 unit)
{
	__le16 *s = kvmalloc_array(n, sizeof(*s), GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < n; i++)
		s[i] = cpu_to_le16(unit ? unit : (i & 1) ? 0xde00 : 0xd83d);
	return s;
}

/* Convert @n units of @unit; expect @want (a length or an errno). */
static void utf16_bound_check(struct kunit *test, u32 n, u16 unit, int want)
{
	__le16 *s = utf16_fill(test, n, unit);
	char *out = ERR_PTR(-EFAULT);
	int len;

	len = smbs_utf16_to_utf8(s, n * 2, &out);
	KUNIT_EXPECT_EQ_MSG(test, len, want, "%u units of %04x", n, unit);
	if (len >= 0) {
		KUNIT_EXPECT_NOT_NULL(test, out);
		if (out)
			KUNIT_EXPECT_EQ(test, strlen(out), (size_t)len);
	} else {
		KUNIT_EXPECT_NULL(test, out);
	}
	kfree(out);
	kvfree(s);
}

static void misc_utf16_bound(struct kunit *test)
{
	const int max = SMBS_NAME_MAX_BYTES;
	static const u8 mixed[] = { 'a', 0, 0xac, 0x20, 0x3d, 0xd8, 0x00, 0xde };
	static const char mixed8[] = "a\xe2\x82\xac\xf0\x9f\x98\x80";
	char *out;

	/* ASCII: one byte a unit, up to the bound and one past it */
	utf16_bound_check(test, max, 'a', max);
	utf16_bound_check(test, max + 1, 'a', -ENAMETOOLONG);
	/* the bound counts UTF-8 bytes: three a unit for U+20AC */
	utf16_bound_check(test, max / 3, 0x20ac, max / 3 * 3);
	utf16_bound_check(test, max / 3 + 1, 0x20ac, -ENAMETOOLONG);
	/* and four a surrogate pair */
	utf16_bound_check(test, max / 4 * 2, 0, max / 4 * 4);
	utf16_bound_check(test, (max / 4 + 1) * 2, 0, -ENAMETOOLONG);
	/* a rename target of 4 MiB: refused without a large allocation */
	utf16_bound_check(test, 2U << 20, 'a', -ENAMETOOLONG);
	/* U+FFFF, the largest unit that is not a surrogate */
	utf16_bound_check(test, 3, 0xffff, 9);

	/* the counted length is the converted one */
	KUNIT_EXPECT_EQ(test, smbs_utf16_to_utf8(mixed, sizeof(mixed), &out),
			(int)strlen(mixed8));
	KUNIT_EXPECT_STREQ(test, out, mixed8);
	kfree(out);
}

/* Components are bounded to NAME_MAX bytes: 255 UTF-16 units of ASCII. */
static void misc_share_path_component(struct kunit *test)
{
	const size_t size = 2 * NAME_MAX + 8;
	char *p = kunit_kzalloc(test, size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 'a', NAME_MAX);
	KUNIT_EXPECT_EQ(test, smbs_share_path(p), 0);
	KUNIT_EXPECT_EQ(test, strlen(p), (size_t)NAME_MAX);

	memset(p, 'a', NAME_MAX + 1);
	KUNIT_EXPECT_EQ(test, smbs_share_path(p), -ENAMETOOLONG);

	/* every component counts, not only the last: "bbb...b\\c" */
	memset(p, 0, size);
	memset(p, 'b', NAME_MAX + 1);
	p[NAME_MAX + 1] = '\\';
	p[NAME_MAX + 2] = 'c';
	KUNIT_EXPECT_EQ(test, smbs_share_path(p), -ENAMETOOLONG);

	/* "d\\eee...e" with NAME_MAX e's */
	memset(p, 0, size);
	p[0] = 'd';
	p[1] = '\\';
	memset(p + 2, 'e', NAME_MAX);
	KUNIT_EXPECT_EQ(test, smbs_share_path(p), 0);
	KUNIT_EXPECT_EQ(test, strlen(p), (size_t)NAME_MAX + 2);
}

static void misc_nt_time(struct kunit *test)
{
	struct timespec64 ts = { .tv_sec = 0, .tv_nsec = 0 };

	KUNIT_EXPECT_EQ(test, smbs_time_to_nt(ts), SMBS_NT_EPOCH_OFFSET);
	ts.tv_sec = 1700000000;
	ts.tv_nsec = 123456700;
	ts = smbs_nt_to_time(smbs_time_to_nt(ts));
	KUNIT_EXPECT_EQ(test, ts.tv_sec, 1700000000LL);
	KUNIT_EXPECT_EQ(test, ts.tv_nsec, 123456700L);
	/* Before 1970. */
	ts = smbs_nt_to_time(SMBS_NT_EPOCH_OFFSET - 5);
	KUNIT_EXPECT_EQ(test, ts.tv_sec, -1LL);
	KUNIT_EXPECT_EQ(test, ts.tv_nsec, 999999500L);
}

static struct kunit_case smbs_misc_cases[] = {
	KUNIT_CASE(misc_share_path),
	KUNIT_CASE(misc_utf16),
	KUNIT_CASE(misc_utf16_bound),
	KUNIT_CASE(misc_share_path_component),
	KUNIT_CASE(misc_nt_time),
	{}
};

static struct kunit_suite smbs_misc_suite = {
	.name = "smbs_misc",
	.test_cases = smbs_misc_cases,
};

kunit_test_suite(smbs_misc_suite);
