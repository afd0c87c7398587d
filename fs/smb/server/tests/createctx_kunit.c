// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the CREATE context chain walk (MS-SMB2 2.2.13.2).
 *
 * Chains are built here element by element: each element's header, then
 * its name at offset 16, then its data 8-byte aligned; every element but
 * the last is padded to 8 bytes and linked by Next. Each chain is copied
 * into a buffer of exactly its length, so that under KASAN a read past it
 * is caught, and every name and data slice handed to the callback is
 * checked to lie inside the chain.
 */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include "../../common/smb2status.h"
#include "../create.h"

#define CC_HDR		16
#define CC_SEEN		16
#define CC_LONG		4096
#define CC_ROUNDS	3000

/* Header fields, MS-SMB2 2.2.13.2 */
#define CC_NEXT		0
#define CC_NAME_OFF	4
#define CC_NAME_LEN	6
#define CC_DATA_OFF	10
#define CC_DATA_LEN	12

/**
 * struct cc_list - a create context chain being built
 * @b: the bytes
 * @cap: their room
 * @len: bytes used
 * @last: offset of the last element
 * @count: elements written
 */
struct cc_list {
	u8 *b;
	u32 cap;
	u32 len;
	u32 last;
	u32 count;
};

/**
 * struct cc_seen - what the walk handed to its callback
 * @test: the test
 * @base: the chain walked
 * @len: its length
 * @n: callbacks made
 * @stop: fail the callback number @stop (1-based), 0 for never
 * @name_off: offset of each name in the chain (first %CC_SEEN)
 * @name_len: its length
 * @data_off: offset of each data field, 0 when empty
 * @data_len: its length
 */
struct cc_seen {
	struct kunit *test;
	const u8 *base;
	u32 len;
	u32 n;
	u32 stop;
	u32 name_off[CC_SEEN];
	u32 name_len[CC_SEEN];
	u32 data_off[CC_SEEN];
	u32 data_len[CC_SEEN];
};

static struct cc_list *cc_new(struct kunit *test, u32 cap)
{
	struct cc_list *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, l);
	l->b = kunit_kzalloc(test, cap, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, l->b);
	l->cap = cap;
	return l;
}

static void cc_reset(struct cc_list *l)
{
	memset(l->b, 0, l->cap);
	l->len = 0;
	l->last = 0;
	l->count = 0;
}

/* Append an element, linking the previous one; return its offset. */
static u32 cc_add(struct cc_list *l, const void *name, u16 nlen,
		  const void *data, u32 dlen)
{
	u32 off = l->count ? ALIGN(l->len, 8) : 0;
	u32 doff = dlen ? ALIGN(CC_HDR + nlen, 8) : 0;
	u8 *h = l->b + off;

	if (l->count)
		put_unaligned_le32(off - l->last, l->b + l->last + CC_NEXT);
	memset(h, 0, CC_HDR);
	put_unaligned_le16(CC_HDR, h + CC_NAME_OFF);
	put_unaligned_le16(nlen, h + CC_NAME_LEN);
	put_unaligned_le16(doff, h + CC_DATA_OFF);
	put_unaligned_le32(dlen, h + CC_DATA_LEN);
	memcpy(h + CC_HDR, name, nlen);
	if (dlen)
		memcpy(h + doff, data, dlen);
	l->len = off + (dlen ? doff + dlen : CC_HDR + nlen);
	l->last = off;
	l->count++;
	return off;
}

static bool cc_inside(struct cc_seen *s, const struct smbs_buf *b)
{
	if (!b->len)
		return !b->ptr;
	return b->ptr >= s->base && b->len <= s->len &&
	       b->ptr - s->base <= s->len - b->len;
}

static __le32 cc_record(void *arg, const struct smbs_buf *name,
			const struct smbs_buf *data)
{
	struct cc_seen *s = arg;
	u32 i = s->n++;

	KUNIT_EXPECT_GT(s->test, name->len, 0u);
	KUNIT_EXPECT_TRUE(s->test, cc_inside(s, name));
	KUNIT_EXPECT_TRUE(s->test, cc_inside(s, data));
	if (i < CC_SEEN) {
		s->name_off[i] = name->ptr - s->base;
		s->name_len[i] = name->len;
		s->data_off[i] = data->len ? data->ptr - s->base : 0;
		s->data_len[i] = data->len;
	}
	return s->n == s->stop ? STATUS_NOT_SUPPORTED : STATUS_SUCCESS;
}

/* Walk the first @len bytes of @l from an exact-size copy. */
static __le32 cc_walk(struct kunit *test, const struct cc_list *l, u32 len,
		      struct cc_seen *s, struct smbs_create_ctxs *out)
{
	struct smbs_buf list;
	u32 stop = s->stop;
	__le32 st, st2;
	u8 *copy;

	copy = kvmalloc(len ? len : 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	memcpy(copy, l->b, len);
	list.ptr = len ? copy : NULL;
	list.len = len;
	memset(s, 0, sizeof(*s));
	s->test = test;
	s->base = copy;
	s->len = len;
	s->stop = stop;
	st = smbs_create_ctx_walk(&list, cc_record, s);
	memset(out, 0xa5, sizeof(*out));
	st2 = smbs_create_parse_ctx(&list, out);
	/* The parser walks the same chain: a bad chain fails both. */
	if (st == STATUS_INVALID_PARAMETER)
		KUNIT_EXPECT_EQ(test, le32_to_cpu(st2),
				le32_to_cpu(STATUS_INVALID_PARAMETER));
	kvfree(copy);
	return stop ? st : st2;
}

#define CC_EXPECT(test, st, want)					\
	KUNIT_EXPECT_EQ(test, le32_to_cpu(st), le32_to_cpu(want))

static const u8 cc_ts[12] = {
	0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01, 9, 9, 9, 9,
};

static void createctx_single(struct kunit *test)
{
	struct cc_list *l = cc_new(test, 256);
	struct smbs_create_ctxs out;
	struct cc_seen s = {};

	/* No chain at all. */
	CC_EXPECT(test, cc_walk(test, l, 0, &s, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, s.n, 0u);
	KUNIT_EXPECT_FALSE(test, out.want_mxac);
	KUNIT_EXPECT_FALSE(test, out.want_qfid);

	cc_add(l, "MxAc", 4, cc_ts, 8);
	KUNIT_ASSERT_EQ(test, l->len, 32u);
	CC_EXPECT(test, cc_walk(test, l, l->len, &s, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, s.n, 1u);
	KUNIT_EXPECT_EQ(test, s.name_off[0], 16u);
	KUNIT_EXPECT_EQ(test, s.name_len[0], 4u);
	KUNIT_EXPECT_EQ(test, s.data_off[0], 24u);
	KUNIT_EXPECT_EQ(test, s.data_len[0], 8u);
	KUNIT_EXPECT_TRUE(test, out.want_mxac);
	KUNIT_EXPECT_FALSE(test, out.want_qfid);
	KUNIT_EXPECT_EQ(test, out.mxac_ts, 0x0123456789abcdefULL);

	/* MxAc: no time stamp, a short one, a longer one. */
	cc_reset(l);
	cc_add(l, "MxAc", 4, NULL, 0);
	CC_EXPECT(test, cc_walk(test, l, l->len, &s, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, out.want_mxac);
	KUNIT_EXPECT_EQ(test, out.mxac_ts, 0ULL);
	cc_reset(l);
	cc_add(l, "MxAc", 4, cc_ts, 7);
	CC_EXPECT(test, cc_walk(test, l, l->len, &s, &out),
		  STATUS_INVALID_PARAMETER);
	cc_reset(l);
	cc_add(l, "MxAc", 4, cc_ts, 12);
	CC_EXPECT(test, cc_walk(test, l, l->len, &s, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, out.mxac_ts, 0x0123456789abcdefULL);

	cc_reset(l);
	cc_add(l, "QFid", 4, NULL, 0);
	KUNIT_ASSERT_EQ(test, l->len, 20u);
	CC_EXPECT(test, cc_walk(test, l, l->len, &s, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, out.want_mxac);
	KUNIT_EXPECT_TRUE(test, out.want_qfid);

	/* Names are case sensitive; a longer name is not MxAc. */
	cc_reset(l);
	cc_add(l, "mxac", 4, cc_ts, 8);
	CC_EXPECT(test, cc_walk(test, l, l->len, &s, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, out.want_mxac);
	cc_reset(l);
	cc_add(l, "MxAcX", 5, cc_ts, 4);
	CC_EXPECT(test, cc_walk(test, l, l->len, &s, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, out.want_mxac);
}

static void createctx_chain(struct kunit *test)
{
	static const u8 guid[16] = {
		0x93, 0xad, 0x25, 0x50, 0x9c, 0xb4, 0x11, 0xe7,
		0xb4, 0x23, 0x83, 0xde, 0x96, 0x8b, 0xcd, 0x7c,
	};
	struct cc_list *l = cc_new(test, 512);
	struct smbs_create_ctxs out;
	struct cc_seen s = {};
	u8 data[40];
	u32 off[6];

	memset(data, 0x11, sizeof(data));
	off[0] = cc_add(l, "DHnQ", 4, data, 16);
	off[1] = cc_add(l, "MxAc", 4, cc_ts, 8);
	off[2] = cc_add(l, "RqLs", 4, data, 32);
	off[3] = cc_add(l, guid, 16, data, 24);
	off[4] = cc_add(l, "ABCD", 4, data, 3);
	off[5] = cc_add(l, "QFid", 4, NULL, 0);
	KUNIT_ASSERT_EQ(test, off[1], 40u);
	KUNIT_ASSERT_EQ(test, off[2], 72u);
	KUNIT_ASSERT_EQ(test, off[3], 128u);
	KUNIT_ASSERT_EQ(test, off[4], 184u);
	KUNIT_ASSERT_EQ(test, off[5], 216u);
	KUNIT_ASSERT_EQ(test, l->len, 236u);

	CC_EXPECT(test, cc_walk(test, l, l->len, &s, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, s.n, 6u);
	KUNIT_EXPECT_EQ(test, s.name_off[3], 144u);
	KUNIT_EXPECT_EQ(test, s.name_len[3], 16u);
	KUNIT_EXPECT_EQ(test, s.data_off[3], 160u);
	KUNIT_EXPECT_EQ(test, s.data_len[3], 24u);
	KUNIT_EXPECT_EQ(test, s.data_off[4], 208u);
	KUNIT_EXPECT_EQ(test, s.data_len[4], 3u);
	KUNIT_EXPECT_EQ(test, s.data_len[5], 0u);
	KUNIT_EXPECT_TRUE(test, out.want_mxac);
	KUNIT_EXPECT_TRUE(test, out.want_qfid);
	KUNIT_EXPECT_EQ(test, out.mxac_ts, 0x0123456789abcdefULL);

	/* The callback's failure ends the walk and is returned. */
	s.stop = 2;
	CC_EXPECT(test, cc_walk(test, l, l->len, &s, &out),
		  STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, s.n, 2u);
	s.stop = 0;

	/* Trailing bytes after the last element belong to it. */
	l->len += 5;
	CC_EXPECT(test, cc_walk(test, l, l->len, &s, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, s.n, 6u);
}

static void createctx_next(struct kunit *test)
{
	static const u32 bad_next[] = {
		0xfffffff8, 0x80000000, 8, 4, 1, 20, 23, 16, 33,
	};
	struct cc_list *l = cc_new(test, 256);
	struct smbs_create_ctxs out;
	struct cc_seen s = {};
	unsigned int i;
	u32 len;

	cc_add(l, "MxAc", 4, cc_ts, 8);
	cc_add(l, "QFid", 4, NULL, 0);
	cc_add(l, "RqLs", 4, cc_ts, 12);
	len = l->len;
	KUNIT_ASSERT_EQ(test, len, 92u);
	KUNIT_ASSERT_EQ(test, get_unaligned_le32(l->b), 32u);

	/* Backwards (as if negative), into itself, unaligned, short. */
	for (i = 0; i < ARRAY_SIZE(bad_next); i++) {
		put_unaligned_le32(bad_next[i], l->b);
		CC_EXPECT(test, cc_walk(test, l, len, &s, &out),
			  STATUS_INVALID_PARAMETER);
		KUNIT_EXPECT_EQ(test, s.n, 0u);
	}
	/* Exactly to the end, past it, far past it: no element there. */
	put_unaligned_le32(80, l->b);
	CC_EXPECT(test, cc_walk(test, l, 80, &s, &out),
		  STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, s.n, 1u);
	put_unaligned_le32(96, l->b);
	CC_EXPECT(test, cc_walk(test, l, len, &s, &out),
		  STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, s.n, 0u);
	put_unaligned_le32(0x10000, l->b);
	CC_EXPECT(test, cc_walk(test, l, len, &s, &out),
		  STATUS_INVALID_PARAMETER);
	/* Next 0: the first element runs to the end; the others are data. */
	put_unaligned_le32(0, l->b);
	CC_EXPECT(test, cc_walk(test, l, len, &s, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, s.n, 1u);
	KUNIT_EXPECT_FALSE(test, out.want_qfid);
	/* Skipping an element with a longer (aligned) Next. */
	put_unaligned_le32(56, l->b);
	CC_EXPECT(test, cc_walk(test, l, len, &s, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, s.n, 2u);
	KUNIT_EXPECT_FALSE(test, out.want_qfid);
	put_unaligned_le32(32, l->b);
	CC_EXPECT(test, cc_walk(test, l, len, &s, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, s.n, 3u);
	KUNIT_EXPECT_TRUE(test, out.want_qfid);

	/* The second element's Next past the end. */
	put_unaligned_le32(len - 32 + 4, l->b + 32);
	CC_EXPECT(test, cc_walk(test, l, len, &s, &out),
		  STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, s.n, 1u);
}

/* Set a u16 or u32 field of the element at @off. */
static void cc_set(struct cc_list *l, u32 off, u32 field, u32 v)
{
	if (field == CC_DATA_LEN || field == CC_NEXT)
		put_unaligned_le32(v, l->b + off + field);
	else
		put_unaligned_le16(v, l->b + off + field);
}

static void createctx_name_data(struct kunit *test)
{
	static const struct {
		u32 field, v;
		bool ok;
	} cases[] = {
		{ CC_NAME_OFF, 8, false },	/* inside the header */
		{ CC_NAME_OFF, 0, false },
		{ CC_NAME_LEN, 0, false },
		{ CC_NAME_OFF, 0xfff0, false },	/* past the element */
		{ CC_NAME_LEN, 17, false },	/* into the next element */
		{ CC_NAME_LEN, 16, true },	/* to its very end */
		{ CC_DATA_OFF, 8, false },	/* data over the header */
		{ CC_DATA_OFF, 15, false },
		{ CC_DATA_OFF, 16, true },	/* data over the name: allowed */
		{ CC_DATA_OFF, 25, false },	/* one past the element */
		{ CC_DATA_LEN, 9, false },
		{ CC_DATA_LEN, 0xffffffff, false },
		{ CC_DATA_LEN, 0, true },
		{ CC_DATA_OFF, 0xffff, false },
	};
	struct cc_list *l = cc_new(test, 256);
	struct smbs_create_ctxs out;
	struct cc_seen s = {};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		__le32 want = STATUS_INVALID_PARAMETER;
		u32 seen = 0;

		cc_reset(l);
		cc_add(l, "MxAc", 4, cc_ts, 8);
		cc_add(l, "QFid", 4, NULL, 0);
		if (cases[i].ok) {
			want = STATUS_SUCCESS;
			seen = 2;
		}
		cc_set(l, 0, cases[i].field, cases[i].v);
		CC_EXPECT(test, cc_walk(test, l, l->len, &s, &out), want);
		KUNIT_EXPECT_EQ_MSG(test, s.n, seen, "case %u", i);
	}

	/* An empty data field may have offset 0 or any inside offset. */
	cc_reset(l);
	cc_add(l, "QFid", 4, NULL, 0);
	CC_EXPECT(test, cc_walk(test, l, l->len, &s, &out), STATUS_SUCCESS);
	cc_set(l, 0, CC_DATA_OFF, 20);
	CC_EXPECT(test, cc_walk(test, l, l->len, &s, &out), STATUS_SUCCESS);
	/* ... but not one past the element. */
	cc_set(l, 0, CC_DATA_OFF, 21);
	CC_EXPECT(test, cc_walk(test, l, l->len, &s, &out),
		  STATUS_INVALID_PARAMETER);
	/* A short header. */
	CC_EXPECT(test, cc_walk(test, l, 15, &s, &out),
		  STATUS_INVALID_PARAMETER);
}

static void createctx_truncations(struct kunit *test)
{
	struct cc_list *l = cc_new(test, 256);
	struct smbs_create_ctxs out;
	struct cc_seen s = {};
	u32 n;

	cc_add(l, "MxAc", 4, cc_ts, 8);
	cc_add(l, "DH2Q", 4, cc_ts, 12);
	cc_add(l, "QFid", 4, NULL, 0);
	CC_EXPECT(test, cc_walk(test, l, l->len, &s, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, s.n, 3u);
	CC_EXPECT(test, cc_walk(test, l, 0, &s, &out), STATUS_SUCCESS);
	for (n = 1; n < l->len; n++)
		KUNIT_EXPECT_EQ_MSG(test,
				    le32_to_cpu(cc_walk(test, l, n, &s, &out)),
				    le32_to_cpu(STATUS_INVALID_PARAMETER),
				    "length %u", n);
}

static void createctx_long_chain(struct kunit *test)
{
	struct cc_list *l = cc_new(test, CC_LONG * 24);
	struct smbs_create_ctxs out;
	struct cc_seen s = {};
	u32 i;

	for (i = 0; i < CC_LONG; i++)
		cc_add(l, i & 1 ? "QFid" : "RqLs", 4, NULL, 0);
	KUNIT_ASSERT_EQ(test, l->len, (u32)CC_LONG * 24 - 4);
	CC_EXPECT(test, cc_walk(test, l, l->len, &s, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, s.n, (u32)CC_LONG);
	KUNIT_EXPECT_TRUE(test, out.want_qfid);

	/* The last element one byte short: all but it were seen. */
	CC_EXPECT(test, cc_walk(test, l, l->len - 1, &s, &out),
		  STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, s.n, (u32)CC_LONG - 1);

	/* Every element's name one byte too long for it. */
	for (i = 0; i < CC_LONG - 1; i++)
		cc_set(l, i * 24, CC_NAME_LEN, 9);
	CC_EXPECT(test, cc_walk(test, l, l->len, &s, &out),
		  STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, s.n, 0u);
}

static u32 cc_rand(struct rnd_state *r, u32 n)
{
	return n ? prandom_u32_state(r) % n : 0;
}

/* A random well-formed chain; says which contexts it asks for. */
static void cc_random_chain(struct rnd_state *r, struct cc_list *l,
			    struct smbs_create_ctxs *want)
{
	static const char * const names[] = {
		"MxAc", "QFid", "DHnQ", "DHnC", "DH2Q", "DH2C", "RqLs",
		"ExtA", "SecD", "AlSi", "TWrp", "mxac",
	};
	u32 i, n = 1 + cc_rand(r, 8), dlen;
	u8 name[16], data[48];
	u16 nlen;

	memset(want, 0, sizeof(*want));
	for (i = 0; i < n; i++) {
		prandom_bytes_state(r, data, sizeof(data));
		dlen = cc_rand(r, sizeof(data));
		nlen = 4;
		if (cc_rand(r, 4)) {
			memcpy(name, names[cc_rand(r, ARRAY_SIZE(names))], 4);
		} else {
			nlen = cc_rand(r, 2) ? 16 : 1 + cc_rand(r, 16);
			prandom_bytes_state(r, name, nlen);
			name[0] = '#';	/* never a known name */
		}
		if (nlen == 4 && !memcmp(name, "MxAc", 4)) {
			dlen = cc_rand(r, 2) ? 0 : 8 + cc_rand(r, 8);
			want->want_mxac = true;
			/* The last time stamp given counts. */
			if (dlen)
				want->mxac_ts = get_unaligned_le64(data);
		}
		if (nlen == 4 && !memcmp(name, "QFid", 4))
			want->want_qfid = true;
		cc_add(l, name, nlen, data, dlen);
	}
}

/* Damage a chain: flip bits, patch a field, or cut it short. */
static void cc_damage(struct rnd_state *r, struct cc_list *l)
{
	static const u32 fields[] = {
		CC_NEXT, CC_NAME_OFF, CC_NAME_LEN, CC_DATA_OFF, CC_DATA_LEN,
	};
	u32 v[] = { 0, 8, 16, 24, l->len, l->len + 8, prandom_u32_state(r),
		    cc_rand(r, l->len) };
	u32 i, n = 1 + cc_rand(r, 3);

	switch (cc_rand(r, 3)) {
	case 0:
		l->len = cc_rand(r, l->len);
		break;
	case 1:
		cc_set(l, l->last, fields[cc_rand(r, ARRAY_SIZE(fields))],
		       v[cc_rand(r, ARRAY_SIZE(v))]);
		break;
	default:
		for (i = 0; i < n; i++)
			l->b[cc_rand(r, l->len)] ^= 1 << cc_rand(r, 8);
	}
}

static void createctx_random(struct kunit *test)
{
	struct cc_list *l = cc_new(test, 1024);
	struct smbs_create_ctxs out, want;
	struct cc_seen s = {};
	u32 i, count, ok = 0, bad = 0;
	struct rnd_state r;
	__le32 st;

	prandom_seed_state(&r, 0x63637478);
	for (i = 0; i < CC_ROUNDS; i++) {
		cc_reset(l);
		cc_random_chain(&r, l, &want);
		count = l->count;
		CC_EXPECT(test, cc_walk(test, l, l->len, &s, &out),
			  STATUS_SUCCESS);
		KUNIT_EXPECT_EQ(test, s.n, count);
		KUNIT_EXPECT_EQ(test, out.want_mxac, want.want_mxac);
		KUNIT_EXPECT_EQ(test, out.want_qfid, want.want_qfid);
		KUNIT_EXPECT_EQ(test, out.mxac_ts, want.mxac_ts);

		cc_damage(&r, l);
		st = cc_walk(test, l, l->len, &s, &out);
		if (st == STATUS_SUCCESS) {
			ok++;
		} else {
			bad++;
			CC_EXPECT(test, st, STATUS_INVALID_PARAMETER);
		}
		KUNIT_EXPECT_LE(test, s.n, l->len / CC_HDR);
	}
	KUNIT_EXPECT_GT(test, ok, 0u);
	KUNIT_EXPECT_GT(test, bad, CC_ROUNDS / 4);
}

static struct kunit_case smbs_createctx_cases[] = {
	KUNIT_CASE(createctx_single),
	KUNIT_CASE(createctx_chain),
	KUNIT_CASE(createctx_next),
	KUNIT_CASE(createctx_name_data),
	KUNIT_CASE(createctx_truncations),
	KUNIT_CASE(createctx_long_chain),
	KUNIT_CASE(createctx_random),
	{}
};

static struct kunit_suite smbs_createctx_suite = {
	.name = "smbs_createctx",
	.test_cases = smbs_createctx_cases,
};

kunit_test_suite(smbs_createctx_suite);
