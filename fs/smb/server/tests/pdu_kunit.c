// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the PDU reader: framing of compounds, structure sizes,
 * and the bounds of every kind of variable field.
 */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/unaligned.h>
#include "../../common/smb2status.h"
#include "../pdu.h"

#define HDR	64

/* NT status values are little-endian on the wire and in the code. */
#define EXPECT_STATUS(test, got, want) \
	KUNIT_EXPECT_EQ(test, le32_to_cpu(got), le32_to_cpu(want))

/* Build a request of @len bytes with @cmd and StructureSize @size. */
static u8 *mk(struct kunit *test, u32 len, u16 cmd, u16 size)
{
	u8 *b = kunit_kzalloc(test, len, GFP_KERNEL);
	struct smb2_hdr *h = (struct smb2_hdr *)b;

	KUNIT_ASSERT_NOT_NULL(test, b);
	h->ProtocolId = SMB2_PROTO_NUMBER;
	h->StructureSize = SMB2_HEADER_STRUCTURE_SIZE;
	h->Command = cpu_to_le16(cmd);
	if (len >= HDR + 2)
		put_unaligned_le16(size, b + HDR);
	return b;
}

static void pdu_negotiate_ok(struct kunit *test)
{
	u32 len = HDR + 36 + 4;
	u8 *b = mk(test, len, SMB2_NEGOTIATE_HE, 36);
	struct smbs_pdu pdu;

	put_unaligned_le16(2, b + HDR + 2);		/* DialectCount */
	put_unaligned_le16(0x0311, b + HDR + 36);
	put_unaligned_le16(0x0302, b + HDR + 38);
	EXPECT_STATUS(test, smbs_pdu_parse(b, len, &pdu), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pdu.var[SMBS_VAR_NEG_DIALECTS].len, 4u);
	KUNIT_EXPECT_PTR_EQ(test, pdu.var[SMBS_VAR_NEG_DIALECTS].ptr,
			    (const u8 *)b + HDR + 36);
	/* ClientStartTime garbage is no context list. */
	KUNIT_EXPECT_EQ(test, pdu.var[SMBS_VAR_NEG_CONTEXTS].len, 0u);
}

static void pdu_negotiate_count_too_big(struct kunit *test)
{
	u32 len = HDR + 36 + 4;
	u8 *b = mk(test, len, SMB2_NEGOTIATE_HE, 36);
	struct smbs_pdu pdu;

	put_unaligned_le16(3, b + HDR + 2);
	EXPECT_STATUS(test, smbs_pdu_parse(b, len, &pdu),
		      STATUS_INVALID_PARAMETER);
	put_unaligned_le16(0xffff, b + HDR + 2);
	EXPECT_STATUS(test, smbs_pdu_parse(b, len, &pdu),
		      STATUS_INVALID_PARAMETER);
}

static void pdu_negotiate_contexts(struct kunit *test)
{
	u32 len = HDR + 36 + 8 + 16;
	u8 *b = mk(test, len, SMB2_NEGOTIATE_HE, 36);
	struct smbs_pdu pdu;

	put_unaligned_le16(1, b + HDR + 2);
	put_unaligned_le32(HDR + 40, b + HDR + 28);
	EXPECT_STATUS(test, smbs_pdu_parse(b, len, &pdu), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pdu.var[SMBS_VAR_NEG_CONTEXTS].len, len - HDR - 40);
	/* Past the end: absent, the handler refuses it if it needs it. */
	put_unaligned_le32(len, b + HDR + 28);
	EXPECT_STATUS(test, smbs_pdu_parse(b, len, &pdu), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pdu.var[SMBS_VAR_NEG_CONTEXTS].len, 0u);
}

static void pdu_bad_structure_size(struct kunit *test)
{
	u32 len = HDR + 40;
	u8 *b = mk(test, len, SMB2_ECHO_HE, 5);
	struct smbs_pdu pdu;

	EXPECT_STATUS(test, smbs_pdu_parse(b, len, &pdu),
		      STATUS_INVALID_PARAMETER);
	put_unaligned_le16(4, b + HDR);
	EXPECT_STATUS(test, smbs_pdu_parse(b, len, &pdu), STATUS_SUCCESS);
	/* The fixed part must be inside the request. */
	b = mk(test, HDR + 30, SMB2_CREATE_HE, 57);
	EXPECT_STATUS(test, smbs_pdu_parse(b, HDR + 30, &pdu),
		      STATUS_INVALID_PARAMETER);
}

static void pdu_unknown_command(struct kunit *test)
{
	u8 *b = mk(test, HDR + 8, 0x0fff, 4);
	struct smbs_pdu pdu;

	EXPECT_STATUS(test, smbs_pdu_parse(b, HDR + 8, &pdu),
		      STATUS_INVALID_PARAMETER);
}

static void pdu_sess_blob_bounds(struct kunit *test)
{
	u32 len = HDR + 24 + 10;
	u8 *b = mk(test, len, SMB2_SESSION_SETUP_HE, 25);
	struct smbs_pdu pdu;

	put_unaligned_le16(HDR + 24, b + HDR + 12);
	put_unaligned_le16(10, b + HDR + 14);
	EXPECT_STATUS(test, smbs_pdu_parse(b, len, &pdu), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pdu.var[SMBS_VAR_SESS_BLOB].len, 10u);
	/* One byte too long. */
	put_unaligned_le16(11, b + HDR + 14);
	EXPECT_STATUS(test, smbs_pdu_parse(b, len, &pdu),
		      STATUS_INVALID_PARAMETER);
	/* Inside the fixed part. */
	put_unaligned_le16(10, b + HDR + 14);
	put_unaligned_le16(HDR + 4, b + HDR + 12);
	EXPECT_STATUS(test, smbs_pdu_parse(b, len, &pdu),
		      STATUS_INVALID_PARAMETER);
	/* Zero length: the offset does not matter. */
	put_unaligned_le16(0xfff0, b + HDR + 12);
	put_unaligned_le16(0, b + HDR + 14);
	EXPECT_STATUS(test, smbs_pdu_parse(b, len, &pdu), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pdu.var[SMBS_VAR_SESS_BLOB].len, 0u);
	KUNIT_EXPECT_NULL(test, pdu.var[SMBS_VAR_SESS_BLOB].ptr);
}

static void pdu_write_length_wrap(struct kunit *test)
{
	u32 len = HDR + 48 + 16;
	u8 *b = mk(test, len, SMB2_WRITE_HE, 49);
	struct smbs_pdu pdu;

	put_unaligned_le16(HDR + 48, b + HDR + 2);
	put_unaligned_le32(16, b + HDR + 4);
	EXPECT_STATUS(test, smbs_pdu_parse(b, len, &pdu), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pdu.var[SMBS_VAR_WRITE_DATA].len, 16u);
	put_unaligned_le32(0xffffffff, b + HDR + 4);
	EXPECT_STATUS(test, smbs_pdu_parse(b, len, &pdu),
		      STATUS_INVALID_PARAMETER);
}

static void pdu_create_contexts(struct kunit *test)
{
	u32 len = HDR + 56 + 8 + 24;
	u8 *b = mk(test, len, SMB2_CREATE_HE, 57);
	struct smbs_pdu pdu;

	put_unaligned_le16(HDR + 56, b + HDR + 44);	/* NameOffset */
	put_unaligned_le16(8, b + HDR + 46);
	put_unaligned_le32(HDR + 64, b + HDR + 48);	/* contexts */
	put_unaligned_le32(24, b + HDR + 52);
	EXPECT_STATUS(test, smbs_pdu_parse(b, len, &pdu), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pdu.var[SMBS_VAR_CREATE_NAME].len, 8u);
	KUNIT_EXPECT_EQ(test, pdu.var[SMBS_VAR_CREATE_CTX].len, 24u);
	put_unaligned_le32(0xfffffff8, b + HDR + 48);
	EXPECT_STATUS(test, smbs_pdu_parse(b, len, &pdu),
		      STATUS_INVALID_PARAMETER);
}

static void pdu_lock_array(struct kunit *test)
{
	u32 len = HDR + 48 + 24;
	u8 *b = mk(test, len, SMB2_LOCK_HE, 48);
	struct smbs_pdu pdu;

	put_unaligned_le16(2, b + HDR + 2);	/* two locks: 48 bytes */
	EXPECT_STATUS(test, smbs_pdu_parse(b, len, &pdu), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pdu.var[SMBS_VAR_LOCKS].len, 48u);
	put_unaligned_le16(3, b + HDR + 2);
	EXPECT_STATUS(test, smbs_pdu_parse(b, len, &pdu),
		      STATUS_INVALID_PARAMETER);
}

static void pdu_compound_chain(struct kunit *test)
{
	u32 len = 2 * (HDR + 8), off = 0, elen = 0;
	u8 *b = mk(test, len, SMB2_ECHO_HE, 4);
	struct smb2_hdr *h2 = (struct smb2_hdr *)(b + HDR + 8);

	((struct smb2_hdr *)b)->NextCommand = cpu_to_le32(HDR + 8);
	h2->ProtocolId = SMB2_PROTO_NUMBER;
	h2->StructureSize = SMB2_HEADER_STRUCTURE_SIZE;
	KUNIT_EXPECT_EQ(test, smbs_pdu_next(b, len, &off, &elen), 1);
	KUNIT_EXPECT_EQ(test, elen, HDR + 8);
	off += elen;
	KUNIT_EXPECT_EQ(test, smbs_pdu_next(b, len, &off, &elen), 1);
	KUNIT_EXPECT_EQ(test, elen, HDR + 8);
	off += elen;
	KUNIT_EXPECT_EQ(test, smbs_pdu_next(b, len, &off, &elen), 0);
}

static void pdu_compound_bad_next(struct kunit *test)
{
	u32 len = 2 * (HDR + 8), off = 0, elen;
	u8 *b = mk(test, len, SMB2_ECHO_HE, 4);
	struct smb2_hdr *h = (struct smb2_hdr *)b;

	h->NextCommand = cpu_to_le32(HDR + 4);		/* misaligned */
	KUNIT_EXPECT_EQ(test, smbs_pdu_next(b, len, &off, &elen), -EINVAL);
	h->NextCommand = cpu_to_le32(len + 8);		/* past the end */
	KUNIT_EXPECT_EQ(test, smbs_pdu_next(b, len, &off, &elen), -EINVAL);
	h->NextCommand = cpu_to_le32(8);		/* inside the header */
	KUNIT_EXPECT_EQ(test, smbs_pdu_next(b, len, &off, &elen), -EINVAL);
	h->NextCommand = 0;
	h->ProtocolId = cpu_to_le32(0x424d53ff);	/* SMB1 inside SMB2 */
	KUNIT_EXPECT_EQ(test, smbs_pdu_next(b, len, &off, &elen), -EINVAL);
	/* A truncated header. */
	off = 0;
	KUNIT_EXPECT_EQ(test, smbs_pdu_next(b, HDR - 1, &off, &elen), -EINVAL);
}

/* A WRITE of @dlen bytes whose data follows its fixed part. */
static u8 *mk_write(struct kunit *test, u32 dlen)
{
	u8 *b = mk(test, SMBS_PDU_WRITE_HEAD, SMB2_WRITE_HE, 49);

	put_unaligned_le16(SMBS_PDU_WRITE_HEAD, b + HDR + 2);	/* DataOffset */
	put_unaligned_le32(dlen, b + HDR + 4);			/* Length */
	return b;
}

static void pdu_write_tail(struct kunit *test)
{
	u32 dlen = 1 << 20;
	u8 *b = mk_write(test, dlen);
	struct smbs_pdu pdu;

	/* The data is exactly the tail: an empty slice and its length. */
	EXPECT_STATUS(test, smbs_pdu_parse_tail(b, SMBS_PDU_WRITE_HEAD, dlen,
						&pdu), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pdu.tail, dlen);
	KUNIT_EXPECT_EQ(test, pdu.var[SMBS_VAR_WRITE_DATA].len, 0u);
	KUNIT_EXPECT_NULL(test, pdu.var[SMBS_VAR_WRITE_DATA].ptr);
	/* Without the tail the data lies past the end. */
	EXPECT_STATUS(test, smbs_pdu_parse(b, SMBS_PDU_WRITE_HEAD, &pdu),
		      STATUS_INVALID_PARAMETER);
	/* A tail longer or shorter than the data is refused. */
	EXPECT_STATUS(test, smbs_pdu_parse_tail(b, SMBS_PDU_WRITE_HEAD,
						dlen + 1, &pdu),
		      STATUS_INVALID_PARAMETER);
	EXPECT_STATUS(test, smbs_pdu_parse_tail(b, SMBS_PDU_WRITE_HEAD,
						dlen - 1, &pdu),
		      STATUS_INVALID_PARAMETER);
	/* Data that starts inside the memory part cannot end in the tail. */
	put_unaligned_le16(SMBS_PDU_WRITE_HEAD - 8, b + HDR + 2);
	put_unaligned_le32(dlen + 8, b + HDR + 4);
	EXPECT_STATUS(test, smbs_pdu_parse_tail(b, SMBS_PDU_WRITE_HEAD, dlen,
						&pdu), STATUS_INVALID_PARAMETER);
	/* Only a WRITE's data may be a tail. */
	b = mk(test, HDR + 56, SMB2_IOCTL_HE, 57);
	put_unaligned_le32(HDR + 56, b + HDR + 24);
	put_unaligned_le32(4096, b + HDR + 28);
	EXPECT_STATUS(test, smbs_pdu_parse_tail(b, HDR + 56, 4096, &pdu),
		      STATUS_INVALID_PARAMETER);
}

static void pdu_write_streamable(struct kunit *test)
{
	u32 dlen = 1 << 20, len = SMBS_PDU_WRITE_HEAD + dlen;
	u8 *b = mk_write(test, dlen);
	struct smb2_hdr *h = (struct smb2_hdr *)b;

	KUNIT_EXPECT_TRUE(test, smbs_pdu_write_streamable(b, len));
	/* The data must run exactly to the end of the message. */
	KUNIT_EXPECT_FALSE(test, smbs_pdu_write_streamable(b, len + 1));
	KUNIT_EXPECT_FALSE(test, smbs_pdu_write_streamable(b, len - 1));
	len = SMBS_PDU_WRITE_HEAD;
	KUNIT_EXPECT_FALSE(test, smbs_pdu_write_streamable(b, len));
	len += dlen;
	/* Signed requests, compounds, responses: read whole. */
	h->Flags = SMB2_FLAGS_SIGNED;
	KUNIT_EXPECT_FALSE(test, smbs_pdu_write_streamable(b, len));
	h->Flags = SMB2_FLAGS_SERVER_TO_REDIR;
	KUNIT_EXPECT_FALSE(test, smbs_pdu_write_streamable(b, len));
	h->Flags = 0;
	h->NextCommand = cpu_to_le32(SMBS_PDU_WRITE_HEAD);
	KUNIT_EXPECT_FALSE(test, smbs_pdu_write_streamable(b, len));
	h->NextCommand = 0;
	/* Channel info, another data offset, another command. */
	put_unaligned_le16(16, b + HDR + 42);
	KUNIT_EXPECT_FALSE(test, smbs_pdu_write_streamable(b, len));
	put_unaligned_le16(0, b + HDR + 42);
	put_unaligned_le16(SMBS_PDU_WRITE_HEAD + 8, b + HDR + 2);
	KUNIT_EXPECT_FALSE(test, smbs_pdu_write_streamable(b, len));
	put_unaligned_le16(SMBS_PDU_WRITE_HEAD, b + HDR + 2);
	put_unaligned_le16(48, b + HDR);
	KUNIT_EXPECT_FALSE(test, smbs_pdu_write_streamable(b, len));
	put_unaligned_le16(49, b + HDR);
	h->Command = SMB2_READ;
	KUNIT_EXPECT_FALSE(test, smbs_pdu_write_streamable(b, len));
	h->Command = SMB2_WRITE;
	h->ProtocolId = cpu_to_le32(0x424d53fd);
	KUNIT_EXPECT_FALSE(test, smbs_pdu_write_streamable(b, len));
}

static void pdu_buf_helpers(struct kunit *test)
{
	static const u8 data[16];
	struct smbs_buf b = { .ptr = data, .len = sizeof(data) }, s;

	KUNIT_EXPECT_TRUE(test, smbs_buf_sub(&b, 0, 16, &s));
	KUNIT_EXPECT_TRUE(test, smbs_buf_sub(&b, 16, 0, &s));
	KUNIT_EXPECT_FALSE(test, smbs_buf_sub(&b, 17, 0, &s));
	KUNIT_EXPECT_FALSE(test, smbs_buf_sub(&b, 8, 9, &s));
	KUNIT_EXPECT_FALSE(test, smbs_buf_sub(&b, 8, U32_MAX - 4, &s));
	KUNIT_EXPECT_NOT_NULL(test, smbs_buf_at(&b, 12, 4));
	KUNIT_EXPECT_NULL(test, smbs_buf_at(&b, 13, 4));
	KUNIT_EXPECT_NULL(test, smbs_buf_at(&b, U32_MAX, 2));
}

/* Random requests: whatever is accepted lies inside the buffer. */
static void pdu_random(struct kunit *test)
{
	struct rnd_state rnd;
	struct smbs_pdu pdu;
	u32 i, j, len, off, elen;
	u8 *b;

	prandom_seed_state(&rnd, 0x5eed);
	b = kunit_kzalloc(test, 512, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < 20000; i++) {
		len = HDR + prandom_u32_state(&rnd) % (512 - HDR);
		prandom_bytes_state(&rnd, b, len);
		((struct smb2_hdr *)b)->ProtocolId = SMB2_PROTO_NUMBER;
		((struct smb2_hdr *)b)->StructureSize = SMB2_HEADER_STRUCTURE_SIZE;
		((struct smb2_hdr *)b)->Command =
			cpu_to_le16(prandom_u32_state(&rnd) % 20);
		off = 0;
		if (smbs_pdu_next(b, len, &off, &elen) == 1)
			KUNIT_EXPECT_LE(test, elen, len);
		if (smbs_pdu_parse(b, len, &pdu) != STATUS_SUCCESS)
			continue;
		for (j = 0; j < SMBS_PDU_MAX_VAR; j++) {
			if (!pdu.var[j].len)
				continue;
			KUNIT_EXPECT_GE(test, (uintptr_t)pdu.var[j].ptr,
					(uintptr_t)b + HDR);
			KUNIT_EXPECT_LE(test,
					(uintptr_t)pdu.var[j].ptr + pdu.var[j].len,
					(uintptr_t)b + len);
		}
	}
}

static struct kunit_case smbs_pdu_cases[] = {
	KUNIT_CASE(pdu_negotiate_ok),
	KUNIT_CASE(pdu_negotiate_count_too_big),
	KUNIT_CASE(pdu_negotiate_contexts),
	KUNIT_CASE(pdu_bad_structure_size),
	KUNIT_CASE(pdu_unknown_command),
	KUNIT_CASE(pdu_sess_blob_bounds),
	KUNIT_CASE(pdu_write_length_wrap),
	KUNIT_CASE(pdu_create_contexts),
	KUNIT_CASE(pdu_lock_array),
	KUNIT_CASE(pdu_compound_chain),
	KUNIT_CASE(pdu_compound_bad_next),
	KUNIT_CASE(pdu_write_tail),
	KUNIT_CASE(pdu_write_streamable),
	KUNIT_CASE(pdu_buf_helpers),
	KUNIT_CASE(pdu_random),
	{}
};

static struct kunit_suite smbs_pdu_suite = {
	.name = "smbs_pdu",
	.test_cases = smbs_pdu_cases,
};

kunit_test_suite(smbs_pdu_suite);
