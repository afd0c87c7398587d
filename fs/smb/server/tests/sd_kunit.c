// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the security descriptor builder against MS-DTYP.
 *
 * A validator written from MS-DTYP 2.4.6 (self-relative SECURITY_DESCRIPTOR),
 * 2.4.2.2 (SID), 2.4.5 (ACL) and 2.4.4 (ACEs) checks every descriptor the
 * builder makes for all permission bits of files and directories, several
 * owners and groups, and every combination of the OWNER, GROUP, DACL and
 * SACL request bits; the SIDs and access masks are then compared with what
 * the mode bits call for. The validator is itself shown to refuse broken
 * descriptors. The builder's buffer is followed by a canary.
 */
#include <kunit/test.h>
#include <linux/highuid.h>
#include <linux/slab.h>
#include <linux/stat.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include <linux/unaligned.h>
#include "../fileinfo.h"

#define SD_HDR			20
#define SD_CANARY		16
#define SE_DACL_PRESENT		0x0004
#define SE_SACL_PRESENT		0x0010
#define SE_SELF_RELATIVE	0x8000

/* Header fields, MS-DTYP 2.4.6 */
#define SD_OWNER	4
#define SD_GROUP	8
#define SD_SACL		12
#define SD_DACL		16

/* Access masks, MS-DTYP 2.4.3 and MS-SMB2 2.2.13.1.1 */
#define M_READ		0x00120089
#define M_WRITE		0x00120116
#define M_EXEC		0x001200a0
#define M_DEL_CHILD	0x00000040
#define M_OWNER		0x00160180

#define PARTS_REQ	(OWNER_SECINFO | GROUP_SECINFO | DACL_SECINFO | \
			 SACL_SECINFO)

/**
 * struct sd_view - where the validator found the parts of a descriptor
 * @off: offsets of owner, group, SACL and DACL (0 if absent)
 * @end: end of each part
 */
struct sd_view {
	u32 off[4];
	u32 end[4];
};

/* A SID at @off: its size, or 0 if malformed (MS-DTYP 2.4.2.2). */
static u32 sd_sid_size(const u8 *b, u32 len, u32 off)
{
	u32 n;

	if (off > len || len - off < 8 || b[off] != 1)
		return 0;
	n = b[off + 1];
	if (n > 15 || 8 + 4 * n > len - off)
		return 0;
	return 8 + 4 * n;
}

/* Check the ACEs of an ACL of @size bytes at @off (MS-DTYP 2.4.4). */
static const char *sd_check_aces(const u8 *b, u32 off, u32 size, u32 count)
{
	u32 pos = 8, i, ace, sid;

	for (i = 0; i < count; i++) {
		if (size - pos < 4)
			return "ACE header outside the ACL";
		ace = get_unaligned_le16(b + off + pos + 2);
		if (b[off + pos] > 0x13)
			return "unknown ACE type";
		if (ace < 16 || ace & 3 || ace > size - pos)
			return "bad AceSize";
		sid = sd_sid_size(b + off + pos, ace, 8);
		if (!sid || 8 + sid != ace)
			return "ACE SID does not fill the ACE";
		pos += ace;
	}
	return pos == size ? NULL : "AclSize is not the sum of its ACEs";
}

/* An ACL at @off: its size through @size, or an error (MS-DTYP 2.4.5). */
static const char *sd_check_acl(const u8 *b, u32 len, u32 off, u32 *size)
{
	u32 count;

	if (len - off < 8)
		return "ACL header outside";
	if (b[off] != 2 && b[off] != 4)
		return "AclRevision";
	if (b[off + 1] || get_unaligned_le16(b + off + 6))
		return "Sbz1/Sbz2 not zero";
	*size = get_unaligned_le16(b + off + 2);
	count = get_unaligned_le16(b + off + 4);
	if (*size < 8 || *size & 3 || *size > len - off)
		return "bad AclSize";
	return sd_check_aces(b, off, *size, count);
}

static const char *sd_check_part(const u8 *b, u32 len, int i,
				 struct sd_view *v)
{
	static const u32 where[] = { SD_OWNER, SD_GROUP, SD_SACL, SD_DACL };
	u32 off = get_unaligned_le32(b + where[i]), size = 0;
	const char *err;

	v->off[i] = off;
	v->end[i] = off;
	if (!off)
		return NULL;
	if (off < SD_HDR || off >= len || off & 3)
		return "offset outside or unaligned";
	if (i < 2) {
		size = sd_sid_size(b, len, off);
		if (!size)
			return "malformed SID";
	} else {
		err = sd_check_acl(b, len, off, &size);
		if (err)
			return err;
	}
	v->end[i] = off + size;
	return NULL;
}

/* Validate a self-relative security descriptor; NULL if it is one. */
static const char *sd_validate(const u8 *b, u32 len, struct sd_view *v)
{
	u16 control;
	const char *err;
	u32 last = SD_HDR;
	int i, j;

	if (len < SD_HDR)
		return "shorter than the header";
	if (b[0] != 1 || b[1])
		return "Revision/Sbz1";
	control = get_unaligned_le16(b + 2);
	if (!(control & SE_SELF_RELATIVE))
		return "not self-relative";
	for (i = 0; i < 4; i++) {
		err = sd_check_part(b, len, i, v);
		if (err)
			return err;
		last = max(last, v->end[i]);
	}
	if (!(control & SE_DACL_PRESENT) != !v->off[3])
		return "SE_DACL_PRESENT does not match OffsetDacl";
	if (!(control & SE_SACL_PRESENT) != !v->off[2])
		return "SE_SACL_PRESENT does not match OffsetSacl";
	for (i = 0; i < 4; i++)
		for (j = i + 1; j < 4; j++)
			if (v->off[i] && v->off[j] && v->off[i] < v->end[j] &&
			    v->off[j] < v->end[i])
				return "parts overlap";
	return last == len ? NULL : "length is not the end of the last part";
}

/* Is the SID at @p S-1-22-@kind-@id? */
static bool sd_unix_sid(const u8 *p, u32 kind, u32 id)
{
	static const u8 head[8] = { 1, 2, 0, 0, 0, 0, 0, 22 };

	return !memcmp(p, head, 8) && get_unaligned_le32(p + 8) == kind &&
	       get_unaligned_le32(p + 12) == id;
}

static u32 sd_rights(unsigned int rwx, bool dir)
{
	return (rwx & 4 ? M_READ : 0) |
	       (rwx & 2 ? M_WRITE | (dir ? M_DEL_CHILD : 0) : 0) |
	       (rwx & 1 ? M_EXEC : 0);
}

/* The DACL holds owner, group and Everyone ACEs for the mode's bits. */
static void sd_check_dacl(struct kunit *test, const u8 *b, u32 off,
			  umode_t mode, u32 uid, u32 gid)
{
	static const u8 everyone[12] = { 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0 };
	bool dir = S_ISDIR(mode);
	u32 grp = sd_rights(mode >> 3, dir), oth = sd_rights(mode, dir);
	u32 pos = off + 8;

	KUNIT_EXPECT_EQ(test, get_unaligned_le16(b + off + 4),
			1 + !!grp + !!oth);
	KUNIT_EXPECT_EQ(test, b[pos], 0);	/* ACCESS_ALLOWED_ACE_TYPE */
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(b + pos + 4),
			sd_rights(mode >> 6, dir) | M_OWNER);
	KUNIT_EXPECT_TRUE(test, sd_unix_sid(b + pos + 8, 1, uid));
	pos += get_unaligned_le16(b + pos + 2);
	if (grp) {
		KUNIT_EXPECT_EQ(test, get_unaligned_le32(b + pos + 4), grp);
		KUNIT_EXPECT_TRUE(test, sd_unix_sid(b + pos + 8, 2, gid));
		pos += get_unaligned_le16(b + pos + 2);
	}
	if (oth) {
		KUNIT_EXPECT_EQ(test, get_unaligned_le32(b + pos + 4), oth);
		KUNIT_EXPECT_MEMEQ(test, b + pos + 8, everyone, 12);
	}
}

/* Build into a poisoned buffer with a canary; return the length. */
static u32 sd_build(struct kunit *test, const struct kstat *st, u32 secinfo,
		    u8 *buf)
{
	u32 len, i;

	memset(buf, 0xcc, SMBS_SD_MAX_SIZE);
	memset(buf + SMBS_SD_MAX_SIZE, 0xa5, SD_CANARY);
	len = smbs_sd_build(st, secinfo, buf);
	KUNIT_EXPECT_LE(test, len, (u32)SMBS_SD_MAX_SIZE);
	for (i = 0; i < SD_CANARY; i++)
		if (buf[SMBS_SD_MAX_SIZE + i] != 0xa5) {
			KUNIT_FAIL(test, "canary byte %u overwritten", i);
			break;
		}
	/* Nothing stale is left after the descriptor. */
	for (i = len; i < SMBS_SD_MAX_SIZE; i++)
		if (buf[i]) {
			KUNIT_FAIL(test, "byte %u after the SD not cleared", i);
			break;
		}
	return len;
}

static void sd_one(struct kunit *test, u8 *buf, umode_t mode, u32 uid,
		   u32 gid, u32 secinfo)
{
	struct kstat st = {
		.mode = mode,
		.uid = KUIDT_INIT(uid),
		.gid = KGIDT_INIT(gid),
	};
	u32 want_uid = uid == (u32)-1 ? overflowuid : uid;
	u32 want_gid = gid == (u32)-1 ? overflowgid : gid;
	struct sd_view v;
	const char *err;
	u32 len;

	len = sd_build(test, &st, secinfo, buf);
	err = sd_validate(buf, len, &v);
	if (err) {
		KUNIT_FAIL(test, "mode %o uid %u gid %u secinfo %#x: %s",
			   mode, uid, gid, secinfo, err);
		return;
	}
	KUNIT_EXPECT_EQ(test, !!v.off[0], !!(secinfo & OWNER_SECINFO));
	KUNIT_EXPECT_EQ(test, !!v.off[1], !!(secinfo & GROUP_SECINFO));
	KUNIT_EXPECT_EQ(test, !!v.off[3], !!(secinfo & DACL_SECINFO));
	/* No SACL is kept: the part stays absent even when asked for. */
	KUNIT_EXPECT_EQ(test, v.off[2], 0u);
	if (v.off[0])
		KUNIT_EXPECT_TRUE(test, sd_unix_sid(buf + v.off[0], 1,
						    want_uid));
	if (v.off[1])
		KUNIT_EXPECT_TRUE(test, sd_unix_sid(buf + v.off[1], 2,
						    want_gid));
	if (v.off[3])
		sd_check_dacl(test, buf, v.off[3], mode, want_uid, want_gid);
}

static void sd_all_modes(struct kunit *test)
{
	static const u32 ids[][2] = {
		{ 0, 0 }, { 1000, 100 }, { 65534, 65534 },
		{ 0x7ffffffe, 1 }, { (u32)-1, (u32)-1 },
	};
	u8 *buf = kunit_kmalloc(test, SMBS_SD_MAX_SIZE + SD_CANARY,
				GFP_KERNEL);
	unsigned int perm, type, id, sec;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (type = 0; type < 2; type++)
		for (perm = 0; perm < 01000; perm++)
			for (sec = 0; sec < 16; sec++)
				sd_one(test, buf, (type ? S_IFDIR : S_IFREG) |
				       perm, 1000, 100, sec);
	for (id = 0; id < ARRAY_SIZE(ids); id++)
		for (sec = 0; sec < 16; sec++) {
			sd_one(test, buf, S_IFREG | 0640, ids[id][0],
			       ids[id][1], sec);
			sd_one(test, buf, S_IFDIR | 07777, ids[id][0],
			       ids[id][1], sec);
		}
}

static void sd_sizes(struct kunit *test)
{
	struct kstat st = {
		.mode = S_IFREG | 0777,
		.uid = KUIDT_INIT(1000),
		.gid = KGIDT_INIT(1000),
	};
	u8 *buf = kunit_kmalloc(test, SMBS_SD_MAX_SIZE + SD_CANARY,
				GFP_KERNEL);
	u8 *exact = kunit_kmalloc(test, SMBS_SD_MAX_SIZE, GFP_KERNEL);
	u8 *other = kunit_kmalloc(test, SMBS_SD_MAX_SIZE + SD_CANARY,
				  GFP_KERNEL);
	u32 sec, len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, exact);
	KUNIT_ASSERT_NOT_NULL(test, other);
	/* Header only; each SID 16; a full DACL 8 + 24 + 24 + 20. */
	KUNIT_EXPECT_EQ(test, sd_build(test, &st, 0, buf), 20u);
	KUNIT_EXPECT_EQ(test, sd_build(test, &st, SACL_SECINFO, buf), 20u);
	KUNIT_EXPECT_EQ(test, sd_build(test, &st, OWNER_SECINFO, buf), 36u);
	KUNIT_EXPECT_EQ(test, sd_build(test, &st, GROUP_SECINFO, buf), 36u);
	KUNIT_EXPECT_EQ(test, sd_build(test, &st, DACL_SECINFO, buf), 96u);
	len = sd_build(test, &st, PARTS_REQ, buf);
	KUNIT_EXPECT_EQ(test, len, 128u);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(buf + 2),
			SE_SELF_RELATIVE | SE_DACL_PRESENT);
	st.mode = S_IFREG | 0700;
	KUNIT_EXPECT_EQ(test, sd_build(test, &st, DACL_SECINFO, buf), 52u);

	/* The largest descriptor fits the buffer the callers provide. */
	st.mode = S_IFDIR | 0777;
	KUNIT_EXPECT_LE(test, sd_build(test, &st, PARTS_REQ, buf),
			(u32)SMBS_SD_MAX_SIZE);
	/* Written into exactly SMBS_SD_MAX_SIZE bytes (KASAN watches). */
	len = smbs_sd_build(&st, PARTS_REQ, exact);
	KUNIT_EXPECT_EQ(test, len, 128u);

	/* Bits other than the four parts change nothing. */
	for (sec = 0; sec < 16; sec++) {
		len = sd_build(test, &st, sec, buf);
		KUNIT_EXPECT_EQ(test, sd_build(test, &st, sec | ~PARTS_REQ,
					       other), len);
		KUNIT_EXPECT_MEMEQ(test, buf, other, len);
	}
}

/* The validator refuses descriptors MS-DTYP does not allow. */
static void sd_validator(struct kunit *test)
{
	struct kstat st = {
		.mode = S_IFREG | 0777,
		.uid = KUIDT_INIT(1000),
		.gid = KGIDT_INIT(1000),
	};
	static const struct {
		u32 pos;
		u8 val;
	} breaks[] = {
		{ 0, 2 },		/* Revision */
		{ 1, 1 },		/* Sbz1 */
		{ 3, 0x00 },		/* not self-relative */
		{ 2, 0x00 },		/* DACL offset without DACL_PRESENT */
		{ 2, 0x14 },		/* SACL_PRESENT without a SACL */
		{ SD_OWNER, 21 },	/* unaligned */
		{ SD_OWNER, 0xf0 },	/* outside */
		{ SD_OWNER, 8 },	/* inside the header */
		{ SD_GROUP, 20 },	/* on top of the owner */
		{ SD_SACL, 20 },	/* a SID is not an ACL */
		{ 20, 2 },		/* owner SID revision */
		{ 21, 16 },		/* 16 sub-authorities */
		{ 52, 3 },		/* AclRevision */
		{ 54, 124 },		/* AclSize past the end */
		{ 54, 72 },		/* AclSize short of its ACEs */
		{ 56, 4 },		/* AceCount one too many */
		{ 56, 2 },		/* AceCount one too few */
		{ 60, 0x14 },		/* AceType unknown */
		{ 62, 23 },		/* AceSize not a multiple of 4 */
		{ 62, 28 },		/* AceSize past its SID */
		{ 62, 12 },		/* AceSize too small */
		{ 69, 3 },		/* ACE SID longer than the ACE */
	};
	u8 *buf = kunit_kmalloc(test, SMBS_SD_MAX_SIZE + SD_CANARY,
				GFP_KERNEL);
	struct sd_view v;
	unsigned int i;
	u32 len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = sd_build(test, &st, PARTS_REQ, buf);
	KUNIT_ASSERT_EQ(test, len, 128u);
	KUNIT_ASSERT_NULL(test, sd_validate(buf, len, &v));
	KUNIT_EXPECT_EQ(test, v.off[0], 20u);
	KUNIT_EXPECT_EQ(test, v.off[1], 36u);
	KUNIT_EXPECT_EQ(test, v.off[3], 52u);
	KUNIT_EXPECT_NOT_NULL(test, sd_validate(buf, len - 4, &v));
	KUNIT_EXPECT_NOT_NULL(test, sd_validate(buf, len + 4, &v));
	KUNIT_EXPECT_NOT_NULL(test, sd_validate(buf, 19, &v));
	for (i = 0; i < ARRAY_SIZE(breaks); i++) {
		u8 old = buf[breaks[i].pos];

		buf[breaks[i].pos] = breaks[i].val;
		KUNIT_EXPECT_NOT_NULL_MSG(test, sd_validate(buf, len, &v),
					  "break %u", i);
		buf[breaks[i].pos] = old;
	}
	KUNIT_EXPECT_NULL(test, sd_validate(buf, len, &v));
}

static struct kunit_case smbs_sd_cases[] = {
	KUNIT_CASE(sd_all_modes),
	KUNIT_CASE(sd_sizes),
	KUNIT_CASE(sd_validator),
	{}
};

static struct kunit_suite smbs_sd_suite = {
	.name = "smbs_sd",
	.test_cases = smbs_sd_cases,
};

kunit_test_suite(smbs_sd_suite);
