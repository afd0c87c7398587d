// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the PDU reader against structured random requests.
 *
 * Every command gets requests with its real StructureSize and its offset,
 * length and count fields drawn near the edges that matter (the end of the
 * fixed part, the end of the message, zero, all ones), the rest random.
 * Each request is allocated at exactly its length, so that under KASAN a
 * read past it is caught. The checks: an accepted request's slices lie
 * past the fixed part and inside the message; a field that reaches past
 * the message (or into the fixed part) is refused; a request whose fields
 * are all in place is accepted. Compound chains with random NextCommand
 * values must be walked to an end without leaving the message.
 */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include "../../common/smb2status.h"
#include "../pdu.h"

#define HDR		64
#define ROUNDS		1500
#define MAX_EXTRA	300

enum { F_NONE, F_O16L16, F_O16L32, F_O32L32, F_COUNT16 };

/* One variable field of a request, from MS-SMB2 section 2.2. */
struct fz_field {
	u8 kind;
	u8 off_pos;	/* body position of the offset (count: of entries) */
	u8 len_pos;	/* body position of the length (count: of the count) */
	u8 unit;	/* count: entry size */
};

struct fz_cmd {
	u16 cmd;
	u16 size;
	struct fz_field f[2];
};

#define O(k, o, l)	{ F_##k, o, l, 0 }
#define C(o, l, u)	{ F_COUNT16, o, l, u }

static const struct fz_cmd fz_cmds[] = {
	{ SMB2_NEGOTIATE_HE, 36, { C(36, 2, 2) } },
	{ SMB2_SESSION_SETUP_HE, 25, { O(O16L16, 12, 14) } },
	{ SMB2_LOGOFF_HE, 4 },
	{ SMB2_TREE_CONNECT_HE, 9, { O(O16L16, 4, 6) } },
	{ SMB2_TREE_DISCONNECT_HE, 4 },
	{ SMB2_CREATE_HE, 57, { O(O16L16, 44, 46), O(O32L32, 48, 52) } },
	{ SMB2_CLOSE_HE, 24 },
	{ SMB2_FLUSH_HE, 24 },
	{ SMB2_READ_HE, 49, { O(O16L16, 44, 46) } },
	{ SMB2_WRITE_HE, 49, { O(O16L32, 2, 4), O(O16L16, 40, 42) } },
	{ SMB2_LOCK_HE, 48, { C(24, 2, 24) } },
	{ SMB2_IOCTL_HE, 57, { O(O32L32, 24, 28) } },
	{ SMB2_CANCEL_HE, 4 },
	{ SMB2_ECHO_HE, 4 },
	{ SMB2_QUERY_DIRECTORY_HE, 33, { O(O16L16, 24, 26) } },
	{ SMB2_CHANGE_NOTIFY_HE, 32 },
	{ SMB2_QUERY_INFO_HE, 41, { O(O16L32, 8, 12) } },
	{ SMB2_SET_INFO_HE, 33, { O(O16L32, 8, 4) } },
	{ SMB2_OPLOCK_BREAK_HE, 24 },
};

#undef O
#undef C

static u32 fz_rand(struct rnd_state *r, u32 n)
{
	return n ? prandom_u32_state(r) % n : 0;
}

/* An offset near an edge of a @len byte request with a @fixed byte body. */
static u32 fz_edge_off(struct rnd_state *r, u32 len, u32 fixed, u32 max)
{
	const u32 v[] = {
		0, HDR + fixed - 1, HDR + fixed + 1, len - fz_rand(r, 3),
		len + 1 + fz_rand(r, 8), max, fz_rand(r, len + 16),
		HDR + fixed + fz_rand(r, 16), HDR + fixed,
	};

	return min(v[fz_rand(r, ARRAY_SIZE(v))], max);
}

/* A length for a field at @off in a @len byte request. */
static u32 fz_edge_len(struct rnd_state *r, u32 len, u32 off, u32 max)
{
	u32 room = off < len ? len - off : 0;
	const u32 v[] = {
		0, room, room + 1, room ? room - 1 : 0, max,
		fz_rand(r, len + 16), fz_rand(r, room + 1), fz_rand(r, room + 1),
	};

	return min(v[fz_rand(r, ARRAY_SIZE(v))], max);
}

static void fz_put(u8 *body, u8 pos, u32 v, bool wide)
{
	if (wide)
		put_unaligned_le32(v, body + pos);
	else
		put_unaligned_le16(v, body + pos);
}

/*
 * Draw the field's values into the request and say where it lies:
 * returns false if it reaches outside the message or into the fixed
 * part (the reader must refuse), true if it is in place.
 */
static bool fz_field(struct rnd_state *r, const struct fz_field *f, u8 *b,
		     u32 len, u32 fixed)
{
	bool w_off = f->kind == F_O32L32;
	bool w_len = f->kind == F_O16L32 || f->kind == F_O32L32;
	u8 *body = b + HDR;
	u32 off, n, end;

	if (f->kind == F_COUNT16) {
		/* Mostly counts that fit, sometimes one more, or huge. */
		end = len - HDR > f->off_pos ? (len - HDR - f->off_pos) / f->unit
					     : 0;
		n = fz_rand(r, end + 1);
		if (!fz_rand(r, 4))
			n = end + 1;
		else if (!fz_rand(r, 3))
			n = fz_rand(r, 0x10000);
		n = min(n, 0xffffu);
		put_unaligned_le16(n, body + f->len_pos);
		return HDR + f->off_pos + (u64)n * f->unit <= len;
	}
	off = fz_edge_off(r, len, fixed, w_off ? U32_MAX : U16_MAX);
	n = fz_edge_len(r, len, off, w_len ? U32_MAX : U16_MAX);
	fz_put(body, f->off_pos, off, w_off);
	fz_put(body, f->len_pos, n, w_len);
	if (!n)
		return true;
	return off >= HDR + fixed && (u64)off + n <= len;
}

static void fz_check_slices(struct kunit *test, const struct smbs_pdu *pdu,
			    const u8 *b, u32 len)
{
	int j;

	KUNIT_EXPECT_PTR_EQ(test, (const void *)pdu->hdr, (const void *)b);
	KUNIT_EXPECT_PTR_EQ(test, pdu->body, (const void *)(b + HDR));
	KUNIT_EXPECT_EQ(test, pdu->len, len);
	for (j = 0; j < SMBS_PDU_MAX_VAR; j++) {
		const struct smbs_buf *v = &pdu->var[j];

		if (!v->len)
			continue;
		KUNIT_EXPECT_LE(test, (uintptr_t)b + HDR, (uintptr_t)v->ptr);
		KUNIT_EXPECT_LE(test, (uintptr_t)v->ptr + v->len,
				(uintptr_t)b + len);
	}
	/* Every budget holds an error response, and none passes its cap. */
	KUNIT_EXPECT_GE(test, smbs_pdu_rsp_size(pdu, 0), (u32)SMBS_RSP_ERR_SIZE);
	KUNIT_EXPECT_LE(test, smbs_pdu_rsp_size(pdu, 65536), 8192U + 65536U);
}

static void fz_one_command(struct kunit *test, const struct fz_cmd *c,
			   struct rnd_state *r)
{
	u32 fixed = c->size & ~1u, i, len, bad_acc = 0, bad_rej = 0;
	struct smbs_pdu pdu;
	struct smb2_hdr *h;
	bool in_place, size_ok, size_mut;
	__le32 st;
	int j;
	u8 *b;

	for (i = 0; i < ROUNDS; i++) {
		/* Sometimes shorter than the fixed part. */
		len = HDR + fixed + fz_rand(r, MAX_EXTRA);
		if (!fz_rand(r, 16))
			len = HDR + fz_rand(r, fixed + 1);
		b = kmalloc(len, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, b);
		prandom_bytes_state(r, b, len);
		h = (struct smb2_hdr *)b;
		h->ProtocolId = SMB2_PROTO_NUMBER;
		h->StructureSize = SMB2_HEADER_STRUCTURE_SIZE;
		h->Command = cpu_to_le16(c->cmd);
		h->NextCommand = 0;

		/* A wrong StructureSize only checks the slices. */
		size_ok = len >= HDR + fixed && len >= HDR + 2;
		size_mut = false;
		in_place = true;
		if (len >= HDR + 2) {
			u16 size = c->size;

			if (!fz_rand(r, 16))
				size = fz_rand(r, 0x10000);
			put_unaligned_le16(size, b + HDR);
			size_mut = size != c->size;
		}
		for (j = 0; j < 2 && size_ok; j++)
			if (c->f[j].kind != F_NONE &&
			    !fz_field(r, &c->f[j], b, len, fixed))
				in_place = false;

		st = smbs_pdu_parse(b, len, &pdu);
		if (st == STATUS_SUCCESS) {
			fz_check_slices(test, &pdu, b, len);
			/* Only the first failure of each kind is shown. */
			if (!in_place && size_ok && !size_mut && !bad_acc++)
				KUNIT_FAIL(test, "cmd %u len %u: took a misplaced field: %*ph",
					   c->cmd, len, (int)min(len - HDR, 64u),
					   b + HDR);
		} else {
			KUNIT_EXPECT_EQ(test, le32_to_cpu(st),
					le32_to_cpu(STATUS_INVALID_PARAMETER));
			if (in_place && size_ok && !size_mut && !bad_rej++)
				KUNIT_FAIL(test, "cmd %u len %u: refused, all in place: %*ph",
					   c->cmd, len, (int)min(len - HDR, 64u),
					   b + HDR);
		}
		kfree(b);
	}
	KUNIT_EXPECT_EQ(test, bad_acc, 0u);
	KUNIT_EXPECT_EQ(test, bad_rej, 0u);
}

static void pdu_fuzz_commands(struct kunit *test)
{
	struct rnd_state r;
	unsigned int i;

	prandom_seed_state(&r, 0x6b736d62);
	for (i = 0; i < ARRAY_SIZE(fz_cmds); i++)
		fz_one_command(test, &fz_cmds[i], &r);
}

/* Compounds: NextCommand values near the edges, walked to the end. */
static void pdu_fuzz_chains(struct kunit *test)
{
	u32 i, k, len, off, elen, n, steps;
	struct rnd_state r;
	int ret;
	u8 *b;

	prandom_seed_state(&r, 0x636d706e);
	for (i = 0; i < 4000; i++) {
		n = 1 + fz_rand(&r, 6);
		len = n * HDR + fz_rand(&r, 400);
		b = kmalloc(len, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, b);
		prandom_bytes_state(&r, b, len);
		/* Plant headers where a sane chain would put them. */
		for (k = 0, off = 0; k < n && off + HDR <= len; k++) {
			struct smb2_hdr *h = (struct smb2_hdr *)(b + off);
			u32 sane = ALIGN(HDR + fz_rand(&r, 100), 8);
			const u32 nexts[] = {
				0, len - off, sane + 1 + fz_rand(&r, 7),
				prandom_u32_state(&r), len - off + 8, sane, sane,
			};
			u32 next = nexts[fz_rand(&r, ARRAY_SIZE(nexts))];

			h->ProtocolId = SMB2_PROTO_NUMBER;
			h->StructureSize = SMB2_HEADER_STRUCTURE_SIZE;
			h->NextCommand = cpu_to_le32(next);
			if (!next || next >= len - off)
				break;
			off += next;
		}
		off = 0;
		for (steps = 0; steps <= len / HDR + 1; steps++) {
			ret = smbs_pdu_next(b, len, &off, &elen);
			if (ret != 1)
				break;
			KUNIT_EXPECT_GE(test, elen, (u32)HDR);
			KUNIT_EXPECT_LE(test, elen, len - off);
			off += elen;
		}
		KUNIT_EXPECT_LE(test, steps, len / HDR);
		KUNIT_EXPECT_TRUE(test, ret == 0 || ret == -EINVAL);
		kfree(b);
	}
}

static struct kunit_case smbs_pdu_fuzz_cases[] = {
	KUNIT_CASE(pdu_fuzz_commands),
	KUNIT_CASE(pdu_fuzz_chains),
	{}
};

static struct kunit_suite smbs_pdu_fuzz_suite = {
	.name = "smbs_pdu_fuzz",
	.test_cases = smbs_pdu_fuzz_cases,
};

kunit_test_suite(smbs_pdu_fuzz_suite);
