// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the NEGOTIATE context parser (MS-SMB2 2.2.3.1, 3.3.5.4).
 *
 * Context lists are built here field by field; each is copied into a
 * buffer allocated at exactly its length, so that under KASAN a read past
 * the list is caught. The random case builds well-formed lists (which must
 * be accepted with the right result), then damages them (which must give
 * one of the parser's statuses and nothing else).
 */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include "../../common/smb2status.h"
#include "../negotiate.h"

#define NC_MAX		2048
#define NC_HDR		8
#define NC_ROUNDS	3000

/* Context types, MS-SMB2 2.2.3.1 */
#define T_PREAUTH	1
#define T_CIPHER	2
#define T_COMPRESS	3
#define T_NETNAME	5
#define T_TRANSPORT	6
#define T_RDMA		7
#define T_SIGNING	8
#define T_POSIX		0x100

#define SHA512		1
#define GMAC		2
#define CMAC		1
#define HMAC		0

/**
 * struct nc_list - a negotiate context list being built
 * @b: the bytes
 * @len: bytes used
 * @count: contexts written
 */
struct nc_list {
	u8 b[NC_MAX];
	u32 len;
	u32 count;
};

/* Pad to 8 with @pad bytes, then append a context header and its data. */
static void nc_add(struct nc_list *l, u16 type, const void *data, u16 dlen,
		   u8 pad)
{
	u32 off = ALIGN(l->len, 8);

	memset(l->b + l->len, pad, off - l->len);
	put_unaligned_le16(type, l->b + off);
	put_unaligned_le16(dlen, l->b + off + 2);
	put_unaligned_le32(0, l->b + off + 4);
	memcpy(l->b + off + NC_HDR, data, dlen);
	l->len = off + NC_HDR + dlen;
	l->count++;
}

/* A preauth context: @n hash ids from @ids, @salt bytes of salt. */
static void nc_preauth(struct nc_list *l, const u16 *ids, u16 n, u16 salt)
{
	u8 d[128];
	u16 i;

	put_unaligned_le16(n, d);
	put_unaligned_le16(salt, d + 2);
	for (i = 0; i < n; i++)
		put_unaligned_le16(ids[i], d + 4 + 2 * i);
	memset(d + 4 + 2 * n, 0x5a, salt);
	nc_add(l, T_PREAUTH, d, 4 + 2 * n + salt, 0);
}

static void nc_sha512(struct nc_list *l)
{
	static const u16 sha[] = { SHA512 };

	nc_preauth(l, sha, 1, 32);
}

/* A cipher or signing context: a count, then @n u16 ids. */
static void nc_list16(struct nc_list *l, u16 type, const u16 *ids, u16 n)
{
	u8 d[64];
	u16 i;

	put_unaligned_le16(n, d);
	for (i = 0; i < n; i++)
		put_unaligned_le16(ids[i], d + 2 + 2 * i);
	nc_add(l, type, d, 2 + 2 * n, 0);
}

/* Parse the first @len bytes of @l from an exact-size copy. */
static __le32 nc_parse_n(struct kunit *test, const struct nc_list *l, u32 len,
			 u32 count, struct smbs_neg_ctx *nc)
{
	struct smbs_buf list;
	__le32 st;
	u8 *copy;

	copy = kmemdup(l->b, len ? len : 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	list.ptr = len ? copy : NULL;
	list.len = len;
	memset(nc, 0xa5, sizeof(*nc));
	st = smbs_neg_parse_contexts(&list, count, nc);
	kfree(copy);
	return st;
}

static __le32 nc_parse(struct kunit *test, const struct nc_list *l,
		       struct smbs_neg_ctx *nc)
{
	return nc_parse_n(test, l, l->len, l->count, nc);
}

#define NC_EXPECT(test, st, want)					\
	KUNIT_EXPECT_EQ(test, le32_to_cpu(st), le32_to_cpu(want))

static void negctx_well_formed(struct kunit *test)
{
	static const u16 ciphers[] = { 2, 1 }, sigs[] = { GMAC, CMAC };
	struct smbs_neg_ctx nc;
	struct nc_list *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, l);
	nc_sha512(l);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, nc.preauth);
	KUNIT_EXPECT_FALSE(test, nc.cipher_asked);
	KUNIT_EXPECT_FALSE(test, nc.sign_asked);
	KUNIT_EXPECT_EQ(test, nc.sign_alg, (u16)CMAC);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(nc.cipher), 0);

	nc_list16(l, T_CIPHER, ciphers, 2);
	nc_list16(l, T_SIGNING, sigs, 2);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, nc.preauth);
	KUNIT_EXPECT_TRUE(test, nc.cipher_asked);
	/* The server's order: AES-128-GCM before AES-128-CCM. */
	KUNIT_EXPECT_EQ(test, le16_to_cpu(nc.cipher), 2);
	KUNIT_EXPECT_TRUE(test, nc.sign_asked);
	KUNIT_EXPECT_EQ(test, nc.sign_alg, (u16)GMAC);

	/* Any order: preauth last. */
	memset(l, 0, sizeof(*l));
	nc_list16(l, T_SIGNING, sigs + 1, 1);
	nc_list16(l, T_CIPHER, ciphers, 1);
	nc_sha512(l);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, nc.sign_alg, (u16)CMAC);
	KUNIT_EXPECT_TRUE(test, nc.preauth);
}

static void negctx_alignment(struct kunit *test)
{
	static const u16 sig[] = { HMAC };
	struct nc_list *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	struct smbs_neg_ctx nc;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, l);
	/* DataLength 38: 2 bytes of padding; garbage there is not read. */
	nc_sha512(l);
	KUNIT_ASSERT_EQ(test, l->len, 46u);
	nc_add(l, T_POSIX, "\xff\xff\xff", 3, 0xff);
	KUNIT_ASSERT_EQ(test, l->len, 59u);
	/* The last context has no padding after it. */
	nc_list16(l, T_SIGNING, sig, 1);
	KUNIT_ASSERT_EQ(test, l->len, 76u);
	memset(l->b + 59, 0xff, 5);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, nc.sign_asked);
	KUNIT_EXPECT_EQ(test, nc.sign_alg, (u16)HMAC);
	/* Every truncation of the last context fails. */
	for (i = 64; i < l->len; i++)
		NC_EXPECT(test, nc_parse_n(test, l, i, 3, &nc),
			  STATUS_INVALID_PARAMETER);

	/*
	 * A context written right after an unpadded one is looked for at
	 * the next multiple of 8 instead: here past the end of the list.
	 */
	memset(l, 0, sizeof(*l));
	nc_sha512(l);
	put_unaligned_le16(T_POSIX, l->b + 46);
	l->len = 54;
	l->count = 2;
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_INVALID_PARAMETER);
	/* The whole aligned header present: it is read from offset 48. */
	l->len = 56;
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_SUCCESS);
}

static void negctx_bounds(struct kunit *test)
{
	struct nc_list *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	struct smbs_neg_ctx nc;
	u32 n;

	KUNIT_ASSERT_NOT_NULL(test, l);
	nc_sha512(l);
	/* DataLength one past the end of the list, then far past it. */
	put_unaligned_le16(39, l->b + 2);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_INVALID_PARAMETER);
	put_unaligned_le16(0xffff, l->b + 2);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_INVALID_PARAMETER);
	put_unaligned_le16(38, l->b + 2);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_SUCCESS);

	/* Every truncation of the list fails. */
	for (n = 0; n < l->len; n++)
		NC_EXPECT(test, nc_parse_n(test, l, n, 1, &nc),
			  STATUS_INVALID_PARAMETER);

	/* More contexts announced than present; none; fewer. */
	NC_EXPECT(test, nc_parse_n(test, l, l->len, 2, &nc),
		  STATUS_INVALID_PARAMETER);
	NC_EXPECT(test, nc_parse_n(test, l, l->len, 0xffff, &nc),
		  STATUS_INVALID_PARAMETER);
	NC_EXPECT(test, nc_parse_n(test, l, l->len, 0, &nc),
		  STATUS_INVALID_PARAMETER);
	nc_add(l, 0x7777, "", 0, 0);
	NC_EXPECT(test, nc_parse_n(test, l, l->len, 1, &nc), STATUS_SUCCESS);
	NC_EXPECT(test, nc_parse_n(test, l, l->len, 2, &nc), STATUS_SUCCESS);
	NC_EXPECT(test, nc_parse_n(test, l, l->len, 3, &nc),
		  STATUS_INVALID_PARAMETER);
}

static void negctx_duplicates(struct kunit *test)
{
	static const u16 one[] = { 1 };
	static const u16 types[] = { T_CIPHER, T_SIGNING };
	struct nc_list *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	struct smbs_neg_ctx nc;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, l);
	nc_sha512(l);
	nc_sha512(l);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_INVALID_PARAMETER);

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		memset(l, 0, sizeof(*l));
		nc_list16(l, types[i], one, 1);
		nc_sha512(l);
		NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_SUCCESS);
		nc_list16(l, types[i], one, 1);
		NC_EXPECT(test, nc_parse(test, l, &nc),
			  STATUS_INVALID_PARAMETER);
	}

	/*
	 * Compression is not offered, so its context is not examined
	 * (MS-SMB2 3.3.5.4 only checks it when compression is supported).
	 */
	memset(l, 0, sizeof(*l));
	nc_sha512(l);
	nc_add(l, T_COMPRESS, "\x01\0\0\0\0\0\0\0\x02\0", 10, 0);
	nc_add(l, T_COMPRESS, "\x01\0\0\0\0\0\0\0\x02\0", 10, 0);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_SUCCESS);
}

static void negctx_preauth_fields(struct kunit *test)
{
	static const u16 other[] = { 2, 0xffff }, mixed[] = { 7, SHA512 };
	struct nc_list *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	struct smbs_neg_ctx nc;

	KUNIT_ASSERT_NOT_NULL(test, l);
	/* HashAlgorithmCount 0 */
	nc_preauth(l, other, 0, 32);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_INVALID_PARAMETER);

	/* No common hash: its own status. */
	memset(l, 0, sizeof(*l));
	nc_preauth(l, other, 2, 0);
	NC_EXPECT(test, nc_parse(test, l, &nc),
		  STATUS_SMB_NO_PREAUTH_INTEGRITY_HASH_OVERLAP);
	KUNIT_EXPECT_FALSE(test, nc.preauth);

	/* SHA-512 second in the list, no salt. */
	memset(l, 0, sizeof(*l));
	nc_preauth(l, mixed, 2, 0);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, nc.preauth);

	/* SaltLength one past DataLength (the list itself goes on). */
	memset(l, 0, sizeof(*l));
	nc_sha512(l);
	nc_add(l, 0x7777, "12345678", 8, 0);
	put_unaligned_le16(33, l->b + NC_HDR + 2);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_INVALID_PARAMETER);
	put_unaligned_le16(0xffff, l->b + NC_HDR + 2);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_INVALID_PARAMETER);
	put_unaligned_le16(31, l->b + NC_HDR + 2);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_SUCCESS);

	/* HashAlgorithmCount past DataLength. */
	put_unaligned_le16(0, l->b + NC_HDR + 2);
	put_unaligned_le16(17, l->b + NC_HDR);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_SUCCESS);
	put_unaligned_le16(18, l->b + NC_HDR);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_INVALID_PARAMETER);
	put_unaligned_le16(0xffff, l->b + NC_HDR);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_INVALID_PARAMETER);

	/* DataLength shorter than the two counts. */
	memset(l, 0, sizeof(*l));
	nc_add(l, T_PREAUTH, "\x01\0\0", 3, 0);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_INVALID_PARAMETER);

	/* No preauth context at all. */
	memset(l, 0, sizeof(*l));
	nc_add(l, T_NETNAME, "s\0r\0v\0", 6, 0);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_INVALID_PARAMETER);
}

static void negctx_cipher_signing(struct kunit *test)
{
	static const u16 ids[] = { HMAC, 0x7f, CMAC };
	struct nc_list *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	struct smbs_neg_ctx nc;
	u16 types[] = { T_CIPHER, T_SIGNING };
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, l);
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		/* Count 0; count one past the data; no count at all. */
		memset(l, 0, sizeof(*l));
		nc_sha512(l);
		nc_list16(l, types[i], ids, 0);
		NC_EXPECT(test, nc_parse(test, l, &nc),
			  STATUS_INVALID_PARAMETER);
		memset(l, 0, sizeof(*l));
		nc_sha512(l);
		nc_list16(l, types[i], ids, 2);
		put_unaligned_le16(3, l->b + l->len - 6);
		NC_EXPECT(test, nc_parse(test, l, &nc),
			  STATUS_INVALID_PARAMETER);
		put_unaligned_le16(2, l->b + l->len - 6);
		NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_SUCCESS);
		memset(l, 0, sizeof(*l));
		nc_sha512(l);
		nc_add(l, types[i], "\x01", 1, 0);
		NC_EXPECT(test, nc_parse(test, l, &nc),
			  STATUS_INVALID_PARAMETER);
	}

	/* Signing: the server's preference, whatever the client's order. */
	memset(l, 0, sizeof(*l));
	nc_sha512(l);
	nc_list16(l, T_SIGNING, ids, 3);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, nc.sign_alg, (u16)CMAC);
	memset(l, 0, sizeof(*l));
	nc_sha512(l);
	nc_list16(l, T_SIGNING, ids, 1);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, nc.sign_alg, (u16)HMAC);
	/* No overlap: AES-CMAC. */
	memset(l, 0, sizeof(*l));
	nc_sha512(l);
	nc_list16(l, T_SIGNING, ids + 1, 1);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, nc.sign_asked);
	KUNIT_EXPECT_EQ(test, nc.sign_alg, (u16)CMAC);
}

/* Ciphers: GCM before CCM, 128 before 256 bits, whatever the client's order. */
static void negctx_cipher_order(struct kunit *test)
{
	static const struct {
		u16 ids[4];
		u16 n;
		u16 want;
	} cases[] = {
		{ { 3, 1, 4, 2 }, 4, 2 },
		{ { 3, 1, 4 }, 3, 4 },
		{ { 3, 1 }, 2, 1 },
		{ { 3 }, 1, 3 },
		{ { 0x7f, 0, 0xffff }, 3, 0 },
	};
	struct nc_list *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	struct smbs_neg_ctx nc;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, l);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(l, 0, sizeof(*l));
		nc_sha512(l);
		nc_list16(l, T_CIPHER, cases[i].ids, cases[i].n);
		NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_SUCCESS);
		KUNIT_EXPECT_TRUE(test, nc.cipher_asked);
		KUNIT_EXPECT_EQ_MSG(test, le16_to_cpu(nc.cipher), cases[i].want,
				    "case %u", i);
	}
}

static void negctx_unknown_types(struct kunit *test)
{
	static const u16 types[] = {
		0, T_COMPRESS, 4, T_NETNAME, T_TRANSPORT, T_RDMA, 9, T_POSIX,
		0x7fff, 0xffff,
	};
	struct nc_list *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	struct smbs_neg_ctx nc;
	u8 junk[40];
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, l);
	memset(junk, 0xff, sizeof(junk));
	for (i = 0; i < ARRAY_SIZE(types); i++)
		nc_add(l, types[i], junk, i * 4, 0xee);
	nc_sha512(l);
	NC_EXPECT(test, nc_parse(test, l, &nc), STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, nc.preauth);
	KUNIT_EXPECT_FALSE(test, nc.cipher_asked);
	KUNIT_EXPECT_FALSE(test, nc.sign_asked);
}

static u32 nc_rand(struct rnd_state *r, u32 n)
{
	return n ? prandom_u32_state(r) % n : 0;
}

/* A random well-formed list; returns the signing algorithm expected. */
static u16 nc_random_list(struct rnd_state *r, struct nc_list *l, bool *cph,
			  bool *sgn)
{
	static const u16 hashes[] = { SHA512, 2, 3, 0xffff };
	u16 ids[8], want = CMAC, k, n;
	u8 junk[64];
	int i, best, extra = nc_rand(r, 6), pre = nc_rand(r, extra + 1);

	*cph = false;
	*sgn = false;
	for (i = 0; i <= extra; i++) {
		if (i == pre) {
			n = 1 + nc_rand(r, 8);
			for (k = 0; k < n; k++)
				ids[k] = hashes[nc_rand(r, ARRAY_SIZE(hashes))];
			ids[nc_rand(r, n)] = SHA512;
			nc_preauth(l, ids, n, nc_rand(r, 40));
		} else if (!*cph && !nc_rand(r, 3)) {
			n = 1 + nc_rand(r, 8);
			for (k = 0; k < n; k++)
				ids[k] = nc_rand(r, 6);
			nc_list16(l, T_CIPHER, ids, n);
			*cph = true;
		} else if (!*sgn && !nc_rand(r, 3)) {
			n = 1 + nc_rand(r, 8);
			for (k = 0; k < n; k++)
				ids[k] = nc_rand(r, 4);
			nc_list16(l, T_SIGNING, ids, n);
			*sgn = true;
			/* GMAC, CMAC, HMAC: the highest known id wins. */
			for (k = 0, best = -1; k < n; k++)
				if (ids[k] <= GMAC && (int)ids[k] > best)
					best = ids[k];
			want = best < 0 ? CMAC : best;
		} else {
			prandom_bytes_state(r, junk, sizeof(junk));
			nc_add(l, 3 + nc_rand(r, 6) * 0x33, junk,
			       nc_rand(r, sizeof(junk)), nc_rand(r, 256));
		}
	}
	return want;
}

/* Damage one to three bytes, or the length, of a list. */
static void nc_damage(struct rnd_state *r, struct nc_list *l, u32 *count)
{
	int i, n = 1 + nc_rand(r, 3);

	switch (nc_rand(r, 4)) {
	case 0:
		l->len = nc_rand(r, l->len);
		break;
	case 1:
		*count += 1 + nc_rand(r, 3);
		break;
	default:
		for (i = 0; i < n; i++)
			l->b[nc_rand(r, l->len)] ^= 1 << nc_rand(r, 8);
	}
}

static void negctx_random(struct kunit *test)
{
	struct nc_list *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	u32 i, count, ok = 0, bad = 0;
	struct smbs_neg_ctx nc;
	struct rnd_state r;
	bool cph, sgn;
	__le32 st;
	u16 want;

	KUNIT_ASSERT_NOT_NULL(test, l);
	prandom_seed_state(&r, 0x6e656763);
	for (i = 0; i < NC_ROUNDS; i++) {
		memset(l, 0, sizeof(*l));
		want = nc_random_list(&r, l, &cph, &sgn);
		st = nc_parse(test, l, &nc);
		NC_EXPECT(test, st, STATUS_SUCCESS);
		KUNIT_EXPECT_TRUE(test, nc.preauth);
		KUNIT_EXPECT_EQ(test, nc.cipher_asked, cph);
		KUNIT_EXPECT_EQ(test, nc.sign_asked, sgn);
		KUNIT_EXPECT_EQ(test, nc.sign_alg, want);

		count = l->count;
		nc_damage(&r, l, &count);
		st = nc_parse_n(test, l, l->len, count, &nc);
		if (st == STATUS_SUCCESS) {
			ok++;
			KUNIT_EXPECT_TRUE(test, nc.preauth);
		} else {
			bad++;
			KUNIT_EXPECT_TRUE(test, st == STATUS_INVALID_PARAMETER ||
					  st == STATUS_SMB_NO_PREAUTH_INTEGRITY_HASH_OVERLAP);
		}
	}
	/* Both outcomes must have been exercised. */
	KUNIT_EXPECT_GT(test, ok, 0u);
	KUNIT_EXPECT_GT(test, bad, NC_ROUNDS / 4);
}

static struct kunit_case smbs_negctx_cases[] = {
	KUNIT_CASE(negctx_well_formed),
	KUNIT_CASE(negctx_alignment),
	KUNIT_CASE(negctx_bounds),
	KUNIT_CASE(negctx_duplicates),
	KUNIT_CASE(negctx_preauth_fields),
	KUNIT_CASE(negctx_cipher_signing),
	KUNIT_CASE(negctx_cipher_order),
	KUNIT_CASE(negctx_unknown_types),
	KUNIT_CASE(negctx_random),
	{}
};

static struct kunit_suite smbs_negctx_suite = {
	.name = "smbs_negctx",
	.test_cases = smbs_negctx_cases,
};

kunit_test_suite(smbs_negctx_suite);
