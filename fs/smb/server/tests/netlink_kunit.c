// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for recognising the daemon's netlink socket.
 *
 * Included from netlink.c, so the static predicates are in reach. A port
 * id is unique only within a network namespace: another namespace may bind
 * the daemon's port id, and neither its release nor its messages may count
 * as the daemon's.
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

static struct kunit_case smbs_netlink_cases[] = {
	KUNIT_CASE(nl_release_in_daemon_net),
	KUNIT_CASE(nl_release_in_other_net),
	KUNIT_CASE(nl_release_not_daemon),
	KUNIT_CASE(nl_sender_net),
	{}
};

static struct kunit_suite smbs_netlink_suite = {
	.name = "smbs_netlink",
	.test_cases = smbs_netlink_cases,
};

kunit_test_suite(smbs_netlink_suite);
