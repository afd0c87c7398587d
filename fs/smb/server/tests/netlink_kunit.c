// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for recognising the daemon's netlink socket, and for the
 * policies generated from Documentation/netlink/specs/smb_server.yaml.
 *
 * Included from netlink.c, so the static predicates are in reach. A port
 * id is unique only within a network namespace: another namespace may bind
 * the daemon's port id, and neither its release nor its messages may count
 * as the daemon's. The policies are checked through the ops table the
 * family registers, as genetlink applies them to what the daemon sends.
 */
#include <kunit/test.h>

#define NL_TEST_PORT	4242

static struct net *nl_test_other_net(struct kunit *test)
{
	struct net *other = kunit_kzalloc(test, sizeof(*other), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, other);
	return other;
}

static bool nl_test_release(u32 daemon_port, unsigned long event, int proto,
			    struct net *net, u32 portid)
{
	struct netlink_notify n = {
		.net = net,
		.portid = portid,
		.protocol = proto,
	};

	return smbs_nl_release_ends_daemon(daemon_port, event, &n);
}

static void nl_release_in_daemon_net(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, nl_test_release(NL_TEST_PORT, NETLINK_URELEASE,
						NETLINK_GENERIC, &init_net,
						NL_TEST_PORT));
}

static void nl_release_in_other_net(struct kunit *test)
{
	struct net *other = nl_test_other_net(test);

	KUNIT_EXPECT_FALSE(test, nl_test_release(NL_TEST_PORT,
						 NETLINK_URELEASE,
						 NETLINK_GENERIC, other,
						 NL_TEST_PORT));
}

static void nl_release_not_daemon(struct kunit *test)
{
	/* Another port, another protocol, another event, or no daemon. */
	KUNIT_EXPECT_FALSE(test, nl_test_release(NL_TEST_PORT, NETLINK_URELEASE,
						 NETLINK_GENERIC, &init_net,
						 NL_TEST_PORT + 1));
	KUNIT_EXPECT_FALSE(test, nl_test_release(NL_TEST_PORT, NETLINK_URELEASE,
						 NETLINK_ROUTE, &init_net,
						 NL_TEST_PORT));
	KUNIT_EXPECT_FALSE(test, nl_test_release(NL_TEST_PORT,
						 NETLINK_URELEASE + 1,
						 NETLINK_GENERIC, &init_net,
						 NL_TEST_PORT));
	KUNIT_EXPECT_FALSE(test, nl_test_release(0, NETLINK_URELEASE,
						 NETLINK_GENERIC, &init_net,
						 0));
}

static void nl_sender_net(struct kunit *test)
{
	struct net *other = nl_test_other_net(test);

	KUNIT_EXPECT_TRUE(test, smbs_nl_is_daemon(NL_TEST_PORT, &init_net,
						  NL_TEST_PORT));
	KUNIT_EXPECT_FALSE(test, smbs_nl_is_daemon(NL_TEST_PORT, other,
						   NL_TEST_PORT));
	KUNIT_EXPECT_FALSE(test, smbs_nl_is_daemon(0, &init_net, 0));
}

/* ---- the generated policies ---- */

static const struct genl_split_ops *nl_test_op(u8 cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(smb_server_nl_ops); i++)
		if (smb_server_nl_ops[i].cmd == cmd)
			return &smb_server_nl_ops[i];
	return NULL;
}

static struct sk_buff *nl_test_skb(struct kunit *test, size_t size)
{
	struct sk_buff *skb = alloc_skb(size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	return skb;
}

/* Validate @skb's attributes with @cmd's policy, strictly as genetlink does. */
static int nl_test_validate(struct kunit *test, u8 cmd, struct sk_buff *skb)
{
	const struct genl_split_ops *op = nl_test_op(cmd);

	KUNIT_ASSERT_NOT_NULL(test, op);
	KUNIT_ASSERT_NOT_NULL(test, op->policy);
	return __nla_validate((struct nlattr *)skb->data, skb->len,
			      op->maxattr, op->policy, NL_VALIDATE_STRICT,
			      NULL);
}

/* @cmd's verdict on a message of one u32 attribute. */
static int nl_test_u32(struct kunit *test, u8 cmd, int type, u32 value)
{
	struct sk_buff *skb = nl_test_skb(test, 64);
	int err;

	KUNIT_ASSERT_EQ(test, nla_put_u32(skb, type, value), 0);
	err = nl_test_validate(test, cmd, skb);
	kfree_skb(skb);
	return err;
}

static int nl_test_u16(struct kunit *test, u8 cmd, int type, u16 value)
{
	struct sk_buff *skb = nl_test_skb(test, 64);
	int err;

	KUNIT_ASSERT_EQ(test, nla_put_u16(skb, type, value), 0);
	err = nl_test_validate(test, cmd, skb);
	kfree_skb(skb);
	return err;
}

/* @cmd's verdict on a message of one attribute of @len bytes of 'a'. */
static int nl_test_len(struct kunit *test, u8 cmd, int type, size_t len,
		       bool string)
{
	struct sk_buff *skb = nl_test_skb(test, len + 64);
	char *buf = kunit_kzalloc(test, len + 1, GFP_KERNEL);
	int err;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 'a', len);
	KUNIT_ASSERT_EQ(test, nla_put(skb, type, len + string, buf), 0);
	err = nl_test_validate(test, cmd, skb);
	kfree_skb(skb);
	return err;
}

static void nl_policy_ops(struct kunit *test)
{
	static const u8 from_daemon[] = {
		SMB_SERVER_CMD_START, SMB_SERVER_CMD_STOP,
		SMB_SERVER_CMD_LOGIN_RSP, SMB_SERVER_CMD_TREE_CONNECT_RSP,
		SMB_SERVER_CMD_HEARTBEAT_RSP, SMB_SERVER_CMD_RPC_RSP,
		SMB_SERVER_CMD_SET_DEBUG, SMB_SERVER_CMD_RELOAD,
	};
	unsigned int i;

	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(smb_server_nl_ops),
			ARRAY_SIZE(from_daemon));
	for (i = 0; i < ARRAY_SIZE(from_daemon); i++) {
		const struct genl_split_ops *op = nl_test_op(from_daemon[i]);

		KUNIT_ASSERT_NOT_NULL(test, op);
		KUNIT_EXPECT_TRUE(test, op->flags & GENL_ADMIN_PERM);
		KUNIT_EXPECT_TRUE(test, op->flags & GENL_CMD_CAP_DO);
	}
	/* What the kernel sends is no command the daemon may send. */
	KUNIT_EXPECT_NULL(test, nl_test_op(SMB_SERVER_CMD_LOGIN_REQ));
	KUNIT_EXPECT_NULL(test, nl_test_op(SMB_SERVER_CMD_LOGOUT));
}

static void nl_policy_foreign_attrs(struct kunit *test)
{
	struct sk_buff *skb = nl_test_skb(test, 128);
	u8 hash[SMB_SERVER_NT_HASH_SIZE] = {};

	/* An NT hash belongs in LOGIN_RSP only. */
	KUNIT_ASSERT_EQ(test, nla_put(skb, SMB_SERVER_A_NT_HASH, sizeof(hash),
				      hash), 0);
	KUNIT_EXPECT_EQ(test, nl_test_validate(test, SMB_SERVER_CMD_LOGIN_RSP,
					       skb), 0);
	KUNIT_EXPECT_NE(test, nl_test_validate(test, SMB_SERVER_CMD_START,
					       skb), 0);
	KUNIT_EXPECT_NE(test, nl_test_validate(test, SMB_SERVER_CMD_RPC_RSP,
					       skb), 0);
	kfree_skb(skb);
	/* A status belongs in every answer but HEARTBEAT_RSP. */
	KUNIT_EXPECT_NE(test, nl_test_u32(test, SMB_SERVER_CMD_HEARTBEAT_RSP,
					  SMB_SERVER_A_STATUS, 0), 0);
	KUNIT_EXPECT_EQ(test, nl_test_u32(test, SMB_SERVER_CMD_RPC_RSP,
					  SMB_SERVER_A_STATUS, 0), 0);
}

static void nl_policy_lengths(struct kunit *test)
{
	const u8 start = SMB_SERVER_CMD_START;
	const u8 login = SMB_SERVER_CMD_LOGIN_RSP;
	const u8 tcon = SMB_SERVER_CMD_TREE_CONNECT_RSP;
	const u8 rpc = SMB_SERVER_CMD_RPC_RSP;

	/* A workgroup is a NetBIOS name: 15 characters at most. */
	KUNIT_EXPECT_EQ(test, nl_test_len(test, start, SMB_SERVER_A_WORKGROUP,
					  SMB_SERVER_NETBIOS_MAX - 1, true), 0);
	KUNIT_EXPECT_NE(test, nl_test_len(test, start, SMB_SERVER_A_WORKGROUP,
					  SMB_SERVER_NETBIOS_MAX, true), 0);
	KUNIT_EXPECT_NE(test, nl_test_len(test, start,
					  SMB_SERVER_A_NETBIOS_NAME,
					  SMB_SERVER_NETBIOS_MAX, true), 0);
	KUNIT_EXPECT_EQ(test, nl_test_len(test, start,
					  SMB_SERVER_A_SERVER_STRING,
					  SMB_SERVER_NAME_MAX - 1, true), 0);
	KUNIT_EXPECT_NE(test, nl_test_len(test, start,
					  SMB_SERVER_A_SERVER_STRING,
					  SMB_SERVER_NAME_MAX, true), 0);
	/* Strings must end in their NUL. */
	KUNIT_EXPECT_NE(test, nl_test_len(test, start, SMB_SERVER_A_WORKGROUP,
					  4, false), 0);

	KUNIT_EXPECT_EQ(test, nl_test_len(test, tcon, SMB_SERVER_A_SHARE_PATH,
					  SMB_SERVER_PATH_MAX - 1, true), 0);
	KUNIT_EXPECT_NE(test, nl_test_len(test, tcon, SMB_SERVER_A_SHARE_PATH,
					  SMB_SERVER_PATH_MAX, true), 0);

	KUNIT_EXPECT_EQ(test, nl_test_len(test, login, SMB_SERVER_A_GROUPS,
					  SMB_SERVER_MAX_GROUPS * 4, false), 0);
	KUNIT_EXPECT_NE(test, nl_test_len(test, login, SMB_SERVER_A_GROUPS,
					  SMB_SERVER_MAX_GROUPS * 4 + 4,
					  false), 0);
	KUNIT_EXPECT_NE(test, nl_test_len(test, login, SMB_SERVER_A_NT_HASH,
					  SMB_SERVER_NT_HASH_SIZE - 1,
					  false), 0);

	KUNIT_EXPECT_EQ(test, nl_test_len(test, rpc, SMB_SERVER_A_PAYLOAD,
					  SMB_SERVER_RPC_MAX, false), 0);
	KUNIT_EXPECT_NE(test, nl_test_len(test, rpc, SMB_SERVER_A_PAYLOAD,
					  SMB_SERVER_RPC_MAX + 1, false), 0);
}

static void nl_policy_values(struct kunit *test)
{
	const u8 start = SMB_SERVER_CMD_START;
	const u8 login = SMB_SERVER_CMD_LOGIN_RSP;
	const u8 tcon = SMB_SERVER_CMD_TREE_CONNECT_RSP;

	KUNIT_EXPECT_NE(test, nl_test_u16(test, start, SMB_SERVER_A_TCP_PORT,
					  0), 0);
	KUNIT_EXPECT_EQ(test, nl_test_u16(test, start, SMB_SERVER_A_TCP_PORT,
					  445), 0);
	KUNIT_EXPECT_NE(test, nl_test_u16(test, start,
					  SMB_SERVER_A_MIN_DIALECT, 0x0201), 0);
	KUNIT_EXPECT_EQ(test, nl_test_u16(test, start,
					  SMB_SERVER_A_MAX_DIALECT, 0x0311), 0);
	KUNIT_EXPECT_NE(test, nl_test_u16(test, start,
					  SMB_SERVER_A_MAX_DIALECT, 0x0312), 0);

	KUNIT_EXPECT_NE(test, nl_test_u32(test, start, SMB_SERVER_A_MAX_READ,
					  SMBS_MIN_IO_SIZE - 1), 0);
	KUNIT_EXPECT_EQ(test, nl_test_u32(test, start, SMB_SERVER_A_MAX_WRITE,
					  SMBS_MIN_IO_SIZE), 0);
	KUNIT_EXPECT_EQ(test, nl_test_u32(test, start, SMB_SERVER_A_MAX_TRANS,
					  SMBS_MAX_IO_SIZE), 0);
	KUNIT_EXPECT_NE(test, nl_test_u32(test, start, SMB_SERVER_A_MAX_TRANS,
					  SMBS_MAX_IO_SIZE + 1), 0);
	KUNIT_EXPECT_NE(test, nl_test_u32(test, start,
					  SMB_SERVER_A_MAX_CREDITS, 0), 0);
	KUNIT_EXPECT_EQ(test, nl_test_u32(test, start,
					  SMB_SERVER_A_MAX_CREDITS,
					  SMBS_CREDITS_LIMIT), 0);
	KUNIT_EXPECT_NE(test, nl_test_u32(test, start,
					  SMB_SERVER_A_MAX_CREDITS,
					  SMBS_CREDITS_LIMIT + 1), 0);
	KUNIT_EXPECT_NE(test, nl_test_u32(test, start,
					  SMB_SERVER_A_GLOBAL_FLAGS,
					  SMB_SERVER_GLOBAL_MAP_TO_GUEST << 1),
			0);

	KUNIT_EXPECT_NE(test, nl_test_u32(test, login, SMB_SERVER_A_STATUS,
					  SMB_SERVER_ST_INTERNAL + 1), 0);
	KUNIT_EXPECT_NE(test, nl_test_u32(test, login,
					  SMB_SERVER_A_USER_FLAGS,
					  SMB_SERVER_USER_DISABLED << 1), 0);
	KUNIT_EXPECT_EQ(test, nl_test_u16(test, tcon, SMB_SERVER_A_CREATE_MASK,
					  07777), 0);
	KUNIT_EXPECT_NE(test, nl_test_u16(test, tcon,
					  SMB_SERVER_A_FORCE_DIR_MODE, 010000),
			0);
	KUNIT_EXPECT_NE(test, nl_test_u32(test, tcon,
					  SMB_SERVER_A_SHARE_FLAGS,
					  SMB_SERVER_SHARE_ENCRYPT_DESIRED << 1),
			0);
	KUNIT_EXPECT_NE(test, nl_test_u32(test, SMB_SERVER_CMD_SET_DEBUG,
					  SMB_SERVER_A_DEBUG,
					  SMB_SERVER_DEBUG_MASK + 1), 0);
}

/* The kernel does not send a pipe payload the daemon's policy refuses. */
static void nl_rpc_too_large(struct kunit *test)
{
	u8 *in = kunit_kzalloc(test, SMB_SERVER_RPC_MAX + 1, GFP_KERNEL);
	void *out = in;
	u32 out_len = 1;

	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_EXPECT_EQ(test, smbs_ipc_rpc(1, NULL, "", SMB_SERVER_RPC_WRITE,
					   in, SMB_SERVER_RPC_MAX + 1, &out,
					   &out_len), -E2BIG);
	KUNIT_EXPECT_NULL(test, out);
	KUNIT_EXPECT_EQ(test, out_len, 0);
}

static struct kunit_case smbs_netlink_cases[] = {
	KUNIT_CASE(nl_release_in_daemon_net),
	KUNIT_CASE(nl_release_in_other_net),
	KUNIT_CASE(nl_release_not_daemon),
	KUNIT_CASE(nl_sender_net),
	KUNIT_CASE(nl_policy_ops),
	KUNIT_CASE(nl_policy_foreign_attrs),
	KUNIT_CASE(nl_policy_lengths),
	KUNIT_CASE(nl_policy_values),
	KUNIT_CASE(nl_rpc_too_large),
	{}
};

static struct kunit_suite smbs_netlink_suite = {
	.name = "smbs_netlink",
	.test_cases = smbs_netlink_cases,
};

kunit_test_suite(smbs_netlink_suite);
