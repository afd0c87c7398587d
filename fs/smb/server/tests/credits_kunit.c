// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for credits.c: the charge of a request, whether it pays for
 * its payload, the message id window, and granting credits that become
 * usable only when their response goes out.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include "../connection.h"
#include "../credits.h"
#include "../pdu.h"

static struct smbs_conn *credits_conn(struct kunit *test, bool large_mtu)
{
	struct smbs_conn *conn = kunit_kzalloc(test, sizeof(*conn), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, conn);
	spin_lock_init(&conn->lock);
	conn->credits = 1;
	if (large_mtu)
		conn->srv_caps = SMB2_GLOBAL_CAP_LARGE_MTU;
	return conn;
}

static void credits_charge(struct kunit *test)
{
	struct smbs_conn *conn = credits_conn(test, true);
	struct smb2_hdr hdr = {};

	hdr.CreditCharge = 0;
	KUNIT_EXPECT_EQ(test, smbs_credit_charge(conn, &hdr), 1);
	hdr.CreditCharge = cpu_to_le16(17);
	KUNIT_EXPECT_EQ(test, smbs_credit_charge(conn, &hdr), 17);
	/* Without multi-credit support every request costs one. */
	conn->srv_caps = 0;
	KUNIT_EXPECT_EQ(test, smbs_credit_charge(conn, &hdr), 1);
}

static void credits_need(struct kunit *test)
{
	struct smbs_conn *conn = credits_conn(test, true);
	struct smb2_read_req rd = {};
	struct smb2_write_req wr = {};
	struct smb2_query_directory_req qd = {};
	struct smb2_ioctl_req io = {};
	struct smbs_pdu pdu = {};

	rd.hdr.Command = SMB2_READ;
	rd.Length = cpu_to_le32(65536);
	pdu.hdr = &rd.hdr;
	KUNIT_EXPECT_EQ(test, smbs_credit_need(&pdu), 1);
	rd.Length = cpu_to_le32(65537);
	KUNIT_EXPECT_EQ(test, smbs_credit_need(&pdu), 2);
	rd.Length = cpu_to_le32(8 << 20);
	KUNIT_EXPECT_EQ(test, smbs_credit_need(&pdu), 128);
	KUNIT_EXPECT_FALSE(test, smbs_credit_covers(conn, &pdu, 127));
	KUNIT_EXPECT_TRUE(test, smbs_credit_covers(conn, &pdu, 128));
	rd.Length = 0;
	KUNIT_EXPECT_EQ(test, smbs_credit_need(&pdu), 1);

	wr.hdr.Command = SMB2_WRITE;
	wr.Length = cpu_to_le32(3 * 65536);
	pdu.hdr = &wr.hdr;
	KUNIT_EXPECT_EQ(test, smbs_credit_need(&pdu), 3);

	qd.hdr.Command = SMB2_QUERY_DIRECTORY;
	qd.OutputBufferLength = cpu_to_le32(65536 + 1);
	pdu.hdr = &qd.hdr;
	KUNIT_EXPECT_EQ(test, smbs_credit_need(&pdu), 2);

	/* IOCTL pays for the larger of its input and the most it asks back. */
	io.hdr.Command = SMB2_IOCTL;
	io.MaxOutputResponse = cpu_to_le32(1000);
	pdu.hdr = &io.hdr;
	pdu.var[SMBS_VAR_IOCTL_IN].len = 200000;
	KUNIT_EXPECT_EQ(test, smbs_credit_need(&pdu), 4);
	pdu.var[SMBS_VAR_IOCTL_IN].len = 0;
	KUNIT_EXPECT_EQ(test, smbs_credit_need(&pdu), 1);

	/* Without multi-credit the negotiated sizes bound the payload. */
	conn->srv_caps = 0;
	pdu.hdr = &rd.hdr;
	rd.Length = cpu_to_le32(8 << 20);
	KUNIT_EXPECT_TRUE(test, smbs_credit_covers(conn, &pdu, 1));
}

static void credits_take_window(struct kunit *test)
{
	struct smbs_conn *conn = credits_conn(test, true);

	/* One credit: message id 0 once, then nothing more. */
	KUNIT_EXPECT_TRUE(test, smbs_credit_take(conn, 0, 1));
	KUNIT_EXPECT_FALSE(test, smbs_credit_take(conn, 1, 1));
	KUNIT_EXPECT_EQ(test, conn->credits, 0U);
	KUNIT_EXPECT_EQ(test, conn->seq_lo, 1ULL);

	conn->credits = 100;
	/* Reused ids, ids below the window and past it are refused. */
	KUNIT_EXPECT_FALSE(test, smbs_credit_take(conn, 0, 1));
	KUNIT_EXPECT_FALSE(test, smbs_credit_take(conn, 1 + SMBS_SEQ_WINDOW, 1));
	KUNIT_EXPECT_FALSE(test, smbs_credit_take(conn, SMBS_SEQ_WINDOW, 2));
	KUNIT_EXPECT_FALSE(test, smbs_credit_take(conn, U64_MAX, 2));
	KUNIT_EXPECT_EQ(test, conn->credits, 100U);

	/* Out of order is fine; the window moves once the gap is filled. */
	KUNIT_EXPECT_TRUE(test, smbs_credit_take(conn, 3, 2));
	KUNIT_EXPECT_EQ(test, conn->seq_lo, 1ULL);
	KUNIT_EXPECT_FALSE(test, smbs_credit_take(conn, 4, 1));
	KUNIT_EXPECT_TRUE(test, smbs_credit_take(conn, 1, 2));
	KUNIT_EXPECT_EQ(test, conn->seq_lo, 5ULL);
	KUNIT_EXPECT_EQ(test, conn->credits, 96U);

	/* A charge larger than the credits held is refused whole. */
	KUNIT_EXPECT_FALSE(test, smbs_credit_take(conn, 5, 97));
	KUNIT_EXPECT_EQ(test, conn->seq_lo, 5ULL);
	KUNIT_EXPECT_TRUE(test, smbs_credit_take(conn, 5, 96));
	KUNIT_EXPECT_EQ(test, conn->credits, 0U);
}

static void credits_grant_on_send(struct kunit *test)
{
	struct smbs_conn *conn = credits_conn(test, true);
	u16 g;

	/* Granted credits are not usable before their response goes out. */
	KUNIT_EXPECT_TRUE(test, smbs_credit_take(conn, 0, 1));
	g = smbs_credit_grant(conn, 10);
	KUNIT_EXPECT_EQ(test, g, 10);
	KUNIT_EXPECT_FALSE(test, smbs_credit_take(conn, 1, 1));
	smbs_credit_sent(conn, g);
	KUNIT_EXPECT_EQ(test, conn->credits, 10U);
	KUNIT_EXPECT_TRUE(test, smbs_credit_take(conn, 1, 1));

	/* At least one is granted, even when none is asked for. */
	KUNIT_EXPECT_EQ(test, smbs_credit_grant(conn, 0), 1);
	smbs_credit_sent(conn, 1);

	/* The limit counts credits held and credits on their way. */
	g = smbs_credit_grant(conn, SMBS_MAX_CREDITS);
	KUNIT_EXPECT_EQ(test, (u32)g, SMBS_MAX_CREDITS - 10U);
	KUNIT_EXPECT_EQ(test, smbs_credit_grant(conn, 5), 0);
	smbs_credit_sent(conn, g);
	KUNIT_EXPECT_EQ(test, conn->credits, (u32)SMBS_MAX_CREDITS);
	KUNIT_EXPECT_EQ(test, conn->credits_unsent, 0U);

	/* A client left with nothing held or coming gets one. */
	conn->credits = 0;
	KUNIT_EXPECT_EQ(test, smbs_credit_grant(conn, 0), 1);
	KUNIT_EXPECT_EQ(test, smbs_credit_grant(conn, 0), 1);
	smbs_credit_sent(conn, 2);
	KUNIT_EXPECT_EQ(test, conn->credits, 2U);
}

static struct kunit_case credits_cases[] = {
	KUNIT_CASE(credits_charge),
	KUNIT_CASE(credits_need),
	KUNIT_CASE(credits_take_window),
	KUNIT_CASE(credits_grant_on_send),
	{}
};

static struct kunit_suite credits_suite = {
	.name = "smbs_credits",
	.test_cases = credits_cases,
};

kunit_test_suite(credits_suite);
