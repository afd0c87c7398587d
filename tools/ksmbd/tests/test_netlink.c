// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Netlink message encoding, and the request handlers end to end: build a
 * kernel request, parse it as the daemon does, answer it, and parse the
 * answer with the policy the kernel would use.
 */
#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <stdlib.h>

#include <linux/genetlink.h>

#include <linux/smb_server.h>

#include "../ipc.h"
#include "../netlink.h"
#include "../netlink_gen.h"
#include "../rpc/rpc.h"
#include "../util.h"
#include "tests.h"

#define FAMILY	0x1c

/*
 * Parse @msg as the kernel would, with the policy the kernel applies to
 * @cmd (netlink_gen.c, generated from the spec like the kernel's); the
 * kernel also refuses any attribute the command does not list.
 */
static bool kparse(struct nl_msg *msg, uint8_t cmd, struct nlattr **tb)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct genlmsghdr *ghdr = nlmsg_data(hdr);
	const struct nla_policy *policy;
	int err, type;

	CHECK_INT(hdr->nlmsg_type, FAMILY);
	CHECK_INT(ghdr->cmd, cmd);
	CHECK_INT(ghdr->version, SMB_SERVER_FAMILY_VERSION);
	policy = cmd <= SMB_SERVER_CMD_MAX ? smb_server_nl_do_policy[cmd] :
					     NULL;
	CHECK(policy);
	if (!policy)
		return false;
	err = genlmsg_parse(hdr, 0, tb, SMB_SERVER_A_MAX, policy);
	CHECK_INT(err, 0);
	for (type = 1; !err && type <= SMB_SERVER_A_MAX; type++) {
		if (tb[type] && !(smb_server_nl_cmd_attrs[cmd] & (1ULL << type))) {
			fprintf(stderr, "  %s carries attribute %d, not in the spec\n",
				smbnl_cmd_name(cmd), type);
			err = -EINVAL;
		}
	}
	CHECK_INT(err, 0);
	return !err && ghdr->cmd == cmd;
}

static void test_login_rsp(void)
{
	struct login_rsp r = {
		.status = SMB_SERVER_ST_OK,
		.has_hash = true,
		.uid = 1000,
		.gid = 100,
		.groups = { 4, 24, 27 },
		.ngroups = 3,
		.user_flags = SMB_SERVER_USER_DISABLED,
	};
	struct nlattr *tb[SMB_SERVER_A_MAX + 1];
	uint32_t groups[3];
	struct nl_msg *msg;
	unsigned int i;

	for (i = 0; i < SMB_SERVER_NT_HASH_SIZE; i++)
		r.nt_hash[i] = 0xa0 + i;
	msg = smbnl_login_rsp(FAMILY, 77, &r);
	CHECK(msg);
	if (msg && kparse(msg, SMB_SERVER_CMD_LOGIN_RSP, tb)) {
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_HANDLE]), 77);
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_STATUS]), 0);
		CHECK_INT(nla_len(tb[SMB_SERVER_A_NT_HASH]), 16);
		CHECK_MEM(nla_data(tb[SMB_SERVER_A_NT_HASH]), r.nt_hash, 16);
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_UID]), 1000);
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_GID]), 100);
		CHECK_INT(nla_len(tb[SMB_SERVER_A_GROUPS]), 12);
		memcpy(groups, nla_data(tb[SMB_SERVER_A_GROUPS]), 12);
		CHECK(groups[0] == 4 && groups[1] == 24 && groups[2] == 27);
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_USER_FLAGS]),
			  SMB_SERVER_USER_DISABLED);
	}
	nlmsg_free(msg);

	/* Guest: no hash, no groups. Failure: status only. */
	r.has_hash = false;
	r.ngroups = 0;
	msg = smbnl_login_rsp(FAMILY, 78, &r);
	if (msg && kparse(msg, SMB_SERVER_CMD_LOGIN_RSP, tb)) {
		CHECK(!tb[SMB_SERVER_A_NT_HASH]);
		CHECK(!tb[SMB_SERVER_A_GROUPS]);
		CHECK(tb[SMB_SERVER_A_UID]);
	}
	nlmsg_free(msg);
	r.status = SMB_SERVER_ST_NO_SUCH_USER;
	msg = smbnl_login_rsp(FAMILY, 79, &r);
	if (msg && kparse(msg, SMB_SERVER_CMD_LOGIN_RSP, tb)) {
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_STATUS]),
			  SMB_SERVER_ST_NO_SUCH_USER);
		CHECK(!tb[SMB_SERVER_A_UID] && !tb[SMB_SERVER_A_NT_HASH]);
	}
	nlmsg_free(msg);

	/* More groups than the protocol allows are cut at the limit. */
	r.status = SMB_SERVER_ST_OK;
	r.ngroups = 1000;
	msg = smbnl_login_rsp(FAMILY, 80, &r);
	if (msg && kparse(msg, SMB_SERVER_CMD_LOGIN_RSP, tb))
		CHECK_INT(nla_len(tb[SMB_SERVER_A_GROUPS]),
			  4 * SMB_SERVER_MAX_GROUPS);
	nlmsg_free(msg);
}

static void test_other_msgs(void)
{
	struct tcon_rsp t = {
		.status = SMB_SERVER_ST_OK,
		.share_flags = SMB_SERVER_SHARE_OPLOCKS,
		.path = "/srv/data",
		.create_mask = 0744,
		.dir_mask = 0755,
		.force_create_mode = 0600,
		.force_dir_mode = 0700,
		.has_force_gid = true,
		.force_gid = 50,
	};
	struct nlattr *tb[SMB_SERVER_A_MAX + 1];
	struct smb_globals g;
	struct nl_msg *msg;
	static uint8_t big[60000];

	msg = smbnl_tcon_rsp(FAMILY, 5, &t);
	if (msg && kparse(msg, SMB_SERVER_CMD_TREE_CONNECT_RSP, tb)) {
		CHECK_STR(nla_get_string(tb[SMB_SERVER_A_SHARE_PATH]),
			  "/srv/data");
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_SHARE_FLAGS]),
			  SMB_SERVER_SHARE_OPLOCKS);
		CHECK_INT(nla_get_u16(tb[SMB_SERVER_A_CREATE_MASK]), 0744);
		CHECK_INT(nla_get_u16(tb[SMB_SERVER_A_DIR_MASK]), 0755);
		CHECK_INT(nla_get_u16(tb[SMB_SERVER_A_FORCE_CREATE_MODE]),
			  0600);
		CHECK_INT(nla_get_u16(tb[SMB_SERVER_A_FORCE_DIR_MODE]), 0700);
		CHECK(!tb[SMB_SERVER_A_FORCE_UID]);
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_FORCE_GID]), 50);
	}
	nlmsg_free(msg);

	CHECK_INT(globals_load(NULL, &g, NULL), 0);
	msg = smbnl_start_msg(FAMILY, &g);
	CHECK(msg && (nlmsg_hdr(msg)->nlmsg_flags & NLM_F_ACK));
	if (msg && kparse(msg, SMB_SERVER_CMD_START, tb)) {
		CHECK_INT(nla_get_u16(tb[SMB_SERVER_A_TCP_PORT]), 445);
		CHECK_STR(nla_get_string(tb[SMB_SERVER_A_WORKGROUP]),
			  "WORKGROUP");
		CHECK_STR(nla_get_string(tb[SMB_SERVER_A_NETBIOS_NAME]),
			  g.netbios_name);
		CHECK_STR(nla_get_string(tb[SMB_SERVER_A_SERVER_STRING]),
			  "SMB server");
		CHECK_INT(nla_get_u16(tb[SMB_SERVER_A_MIN_DIALECT]), 0x0202);
		CHECK_INT(nla_get_u16(tb[SMB_SERVER_A_MAX_DIALECT]), 0x0311);
		CHECK_INT(nla_get_u8(tb[SMB_SERVER_A_SIGNING]),
			  SMB_SERVER_SIGNING_AUTO);
		CHECK_INT(nla_get_u8(tb[SMB_SERVER_A_ENCRYPTION]),
			  SMB_SERVER_ENCRYPTION_IF_REQUIRED);
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_MAX_READ]), 8 << 20);
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_MAX_WRITE]), 8 << 20);
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_MAX_TRANS]), 8 << 20);
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_MAX_CONNECTIONS]), 1024);
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_MAX_IP_CONNECTIONS]), 0);
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_MAX_OPEN_FILES]), 16384);
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_MAX_SESSIONS]), 1024);
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_MAX_CREDITS]), 8192);
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_DEADTIME]), 0);
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_GLOBAL_FLAGS]),
			  g.flags);
	}
	nlmsg_free(msg);
	globals_clear(&g);

	memset(big, 0x5a, sizeof(big));
	msg = smbnl_rpc_rsp(FAMILY, 9, SMB_SERVER_ST_OK, big, sizeof(big));
	CHECK(msg);
	if (msg && kparse(msg, SMB_SERVER_CMD_RPC_RSP, tb)) {
		CHECK_INT(nla_len(tb[SMB_SERVER_A_PAYLOAD]), sizeof(big));
		CHECK_MEM(nla_data(tb[SMB_SERVER_A_PAYLOAD]), big,
			  sizeof(big));
	}
	nlmsg_free(msg);

	msg = smbnl_heartbeat_rsp(FAMILY, 0xdeadbeef);
	if (msg && kparse(msg, SMB_SERVER_CMD_HEARTBEAT_RSP, tb))
		CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_HANDLE]), 0xdeadbeef);
	nlmsg_free(msg);
}

/* ---- requests through ipc_handle() ---- */

static struct ksmbd_ctx ctx;

static struct nl_msg *request(uint8_t cmd, uint32_t handle)
{
	struct nl_msg *msg = smbnl_msg_new(FAMILY, cmd, 0, 256);

	nla_put_u32(msg, SMB_SERVER_A_HANDLE, handle);
	return msg;
}

/* Parse @req as the daemon does, answer it, free it. */
static struct nl_msg *answer(struct nl_msg *req)
{
	struct nlattr *tb[SMB_SERVER_A_MAX + 1];
	struct nl_msg *rsp;
	uint8_t cmd;
	int err = smbnl_parse(req, FAMILY, &cmd, tb);

	rsp = ipc_handle(&ctx, FAMILY, cmd, tb, err != 0);
	nlmsg_free(req);
	return rsp;
}

static uint32_t login(const char *account, struct nlattr **tb,
		      struct nl_msg **rsp)
{
	struct nl_msg *req = request(SMB_SERVER_CMD_LOGIN_REQ, 1);

	nla_put_string(req, SMB_SERVER_A_ACCOUNT, account);
	nla_put_string(req, SMB_SERVER_A_DOMAIN, "WORKGROUP");
	*rsp = answer(req);
	if (!*rsp || !kparse(*rsp, SMB_SERVER_CMD_LOGIN_RSP, tb))
		return 0xffff;
	CHECK_INT(nla_get_u32(tb[SMB_SERVER_A_HANDLE]), 1);
	return nla_get_u32(tb[SMB_SERVER_A_STATUS]);
}

static void setup_ctx(const char *conf_text, const char *users)
{
	struct conf_file *conf = conf_parse_text("n.conf", conf_text, NULL);
	char *db = test_path("netlink.db");

	write_text(db, users);
	globals_load(conf, &ctx.globals, NULL);
	ctx.shares = shares_load(conf, NULL);
	ctx.users = userdb_new(db);
	userdb_load(ctx.users, NULL);
	ctx.pipes = rpc_pipes_new();
	conf_free(conf);
	g_free(db);
}

static void clear_ctx(void)
{
	globals_clear(&ctx.globals);
	shares_free(ctx.shares);
	userdb_free(ctx.users);
	rpc_pipes_free(ctx.pipes);
	memset(&ctx, 0, sizeof(ctx));
}

#define HASH	"A4F49C406510BDCAB6824EE7C30FD852"

static void test_login(void)
{
	struct nlattr *tb[SMB_SERVER_A_MAX + 1];
	struct passwd *nobody = getpwnam("nobody");
	struct nl_msg *rsp;
	uint8_t hash[16];

	setup_ctx("[global]\nmap to guest = never\n",
		  "root:" HASH "\nnobody:!" HASH "\nzz-no-unix-account:" HASH
		  "\n");
	hex_decode(HASH, hash, 16);

	CHECK_INT(login("ROOT", tb, &rsp), SMB_SERVER_ST_OK);
	if (tb[SMB_SERVER_A_NT_HASH])
		CHECK_MEM(nla_data(tb[SMB_SERVER_A_NT_HASH]), hash, 16);
	CHECK(tb[SMB_SERVER_A_UID] && !nla_get_u32(tb[SMB_SERVER_A_UID]));
	CHECK(tb[SMB_SERVER_A_GID] && !nla_get_u32(tb[SMB_SERVER_A_GID]));
	CHECK(tb[SMB_SERVER_A_USER_FLAGS] &&
	      !nla_get_u32(tb[SMB_SERVER_A_USER_FLAGS]));
	CHECK(!tb[SMB_SERVER_A_GROUPS] ||
	      nla_len(tb[SMB_SERVER_A_GROUPS]) % 4 == 0);
	nlmsg_free(rsp);

	if (nobody) {
		CHECK_INT(login("nobody", tb, &rsp), SMB_SERVER_ST_OK);
		CHECK(tb[SMB_SERVER_A_USER_FLAGS] &&
		      nla_get_u32(tb[SMB_SERVER_A_USER_FLAGS]) ==
			      SMB_SERVER_USER_DISABLED);
		CHECK(tb[SMB_SERVER_A_UID] &&
		      nla_get_u32(tb[SMB_SERVER_A_UID]) == nobody->pw_uid);
		nlmsg_free(rsp);
	}

	log_capture_start();
	CHECK_INT(login("zz-no-unix-account", tb, &rsp),
		  SMB_SERVER_ST_NO_SUCH_USER);
	CHECK(log_captured("'zz-no-unix-account' has no Unix account"));
	nlmsg_free(rsp);
	CHECK_INT(login("stranger", tb, &rsp), SMB_SERVER_ST_NO_SUCH_USER);
	CHECK(!tb[SMB_SERVER_A_UID]);
	nlmsg_free(rsp);
	clear_ctx();

	/* map to guest = bad user */
	setup_ctx("[global]\nmap to guest = bad user\n", "root:" HASH "\n");
	if (nobody) {
		CHECK_INT(login("stranger", tb, &rsp), SMB_SERVER_ST_OK);
		CHECK(!tb[SMB_SERVER_A_NT_HASH]);
		CHECK(tb[SMB_SERVER_A_USER_FLAGS] &&
		      nla_get_u32(tb[SMB_SERVER_A_USER_FLAGS]) ==
			      SMB_SERVER_USER_GUEST);
		CHECK(tb[SMB_SERVER_A_UID] &&
		      nla_get_u32(tb[SMB_SERVER_A_UID]) == nobody->pw_uid);
		nlmsg_free(rsp);
	}
	clear_ctx();
	setup_ctx("[global]\nmap to guest = bad user\n"
		  "guest account = zz-no-such-guest\n", "");
	CHECK_INT(login("stranger", tb, &rsp), SMB_SERVER_ST_NO_SUCH_USER);
	nlmsg_free(rsp);
	clear_ctx();
}

static uint32_t tcon(const char *share, const char *account,
		     const char *addr, uint32_t user_flags, struct nlattr **tb,
		     struct nl_msg **rsp)
{
	struct nl_msg *req = request(SMB_SERVER_CMD_TREE_CONNECT_REQ, 2);

	if (account)
		nla_put_string(req, SMB_SERVER_A_ACCOUNT, account);
	nla_put_string(req, SMB_SERVER_A_SHARE, share);
	if (addr)
		nla_put_string(req, SMB_SERVER_A_CLIENT_ADDR, addr);
	nla_put_u64(req, SMB_SERVER_A_SESSION_ID, 0x1122334455667788ULL);
	nla_put_u32(req, SMB_SERVER_A_TREE_ID, 9);
	nla_put_u32(req, SMB_SERVER_A_USER_FLAGS, user_flags);
	*rsp = answer(req);
	if (!*rsp || !kparse(*rsp, SMB_SERVER_CMD_TREE_CONNECT_RSP, tb))
		return 0xffff;
	return nla_get_u32(tb[SMB_SERVER_A_STATUS]);
}

static void test_tree_connect(void)
{
	struct nlattr *tb[SMB_SERVER_A_MAX + 1];
	struct nl_msg *rsp;
	uint32_t flags;

	setup_ctx("[global]\nhosts deny = 192.168.66.\n"
		  "[Data]\npath = /srv/data\nread only = no\n"
		  "valid users = root\nforce user = root\n"
		  "[pub]\npath = /srv/pub\nguest ok = yes\n"
		  "read list = root\nhosts allow = 10.\nhosts deny =\n"
		  "[off]\npath = /srv/off\navailable = no\n"
		  "[badforce]\npath = /srv\nforce group = zz-no-such-group\n",
		  "root:" HASH "\n");

	CHECK_INT(tcon("data", "root", "10.0.0.1", 0, tb, &rsp),
		  SMB_SERVER_ST_OK);
	if (tb[SMB_SERVER_A_SHARE_FLAGS]) {
		flags = nla_get_u32(tb[SMB_SERVER_A_SHARE_FLAGS]);
		CHECK(!(flags & SMB_SERVER_SHARE_READ_ONLY));
		CHECK(flags & SMB_SERVER_SHARE_HIDE_DOT_FILES);
		CHECK(!(flags & SMB_SERVER_SHARE_OPLOCKS));
		CHECK_STR(nla_get_string(tb[SMB_SERVER_A_SHARE_PATH]),
			  "/srv/data");
		CHECK(tb[SMB_SERVER_A_FORCE_UID] &&
		      nla_get_u32(tb[SMB_SERVER_A_FORCE_UID]) == 0);
		CHECK(tb[SMB_SERVER_A_FORCE_GID] &&
		      nla_get_u32(tb[SMB_SERVER_A_FORCE_GID]) == 0);
		CHECK_INT(nla_get_u16(tb[SMB_SERVER_A_CREATE_MASK]), 0744);
	}
	nlmsg_free(rsp);

	CHECK_INT(tcon("DATA", "stranger", "10.0.0.1", 0, tb, &rsp),
		  SMB_SERVER_ST_ACCESS_DENIED);
	nlmsg_free(rsp);
	CHECK_INT(tcon("data", "root", "192.168.66.7", 0, tb, &rsp),
		  SMB_SERVER_ST_ACCESS_DENIED);
	nlmsg_free(rsp);
	CHECK_INT(tcon("data", "root", NULL, 0, tb, &rsp),
		  SMB_SERVER_ST_ACCESS_DENIED);
	nlmsg_free(rsp);
	CHECK_INT(tcon("data", NULL, "10.0.0.1", SMB_SERVER_USER_GUEST, tb,
		       &rsp), SMB_SERVER_ST_ACCESS_DENIED);
	nlmsg_free(rsp);

	/* pub: guests welcome from 10/8 only; root is on the read list */
	CHECK_INT(tcon("pub", NULL, "10.1.2.3", SMB_SERVER_USER_GUEST, tb,
		       &rsp), SMB_SERVER_ST_OK);
	CHECK(tb[SMB_SERVER_A_SHARE_FLAGS] &&
	      (nla_get_u32(tb[SMB_SERVER_A_SHARE_FLAGS]) &
	       SMB_SERVER_SHARE_GUEST_OK));
	CHECK(!tb[SMB_SERVER_A_FORCE_UID] && !tb[SMB_SERVER_A_FORCE_GID]);
	nlmsg_free(rsp);
	CHECK_INT(tcon("pub", "root", "::ffff:10.1.2.3", 0, tb, &rsp),
		  SMB_SERVER_ST_OK);
	CHECK(tb[SMB_SERVER_A_SHARE_FLAGS] &&
	      (nla_get_u32(tb[SMB_SERVER_A_SHARE_FLAGS]) &
	       SMB_SERVER_SHARE_READ_ONLY));
	nlmsg_free(rsp);
	CHECK_INT(tcon("pub", "root", "172.16.0.1", 0, tb, &rsp),
		  SMB_SERVER_ST_ACCESS_DENIED);
	nlmsg_free(rsp);

	CHECK_INT(tcon("ipc$", NULL, "172.16.0.1", SMB_SERVER_USER_GUEST,
		       tb, &rsp), SMB_SERVER_ST_OK);
	CHECK(!tb[SMB_SERVER_A_SHARE_PATH]);
	CHECK(tb[SMB_SERVER_A_SHARE_FLAGS] &&
	      (nla_get_u32(tb[SMB_SERVER_A_SHARE_FLAGS]) &
	       SMB_SERVER_SHARE_PIPE));
	nlmsg_free(rsp);
	CHECK_INT(tcon("IPC$", "root", "192.168.66.1", 0, tb, &rsp),
		  SMB_SERVER_ST_ACCESS_DENIED);
	nlmsg_free(rsp);

	CHECK_INT(tcon("off", "root", "10.0.0.1", 0, tb, &rsp),
		  SMB_SERVER_ST_NO_SUCH_SHARE);
	CHECK(!tb[SMB_SERVER_A_SHARE_FLAGS]);
	nlmsg_free(rsp);
	CHECK_INT(tcon("nope", "root", "10.0.0.1", 0, tb, &rsp),
		  SMB_SERVER_ST_NO_SUCH_SHARE);
	nlmsg_free(rsp);
	CHECK_INT(tcon("badforce", "root", "10.0.0.1", 0, tb, &rsp),
		  SMB_SERVER_ST_ACCESS_DENIED);
	nlmsg_free(rsp);
	clear_ctx();

	/* restrict anonymous: guests lose IPC$, keep guest ok shares. */
	setup_ctx("[global]\nrestrict anonymous = 2\n"
		  "[pub]\npath = /srv/pub\nguest ok = yes\n", "root:" HASH "\n");
	CHECK_INT(tcon("IPC$", NULL, "10.0.0.1", SMB_SERVER_USER_GUEST, tb,
		       &rsp), SMB_SERVER_ST_ACCESS_DENIED);
	nlmsg_free(rsp);
	CHECK_INT(tcon("IPC$", "root", "10.0.0.1", 0, tb, &rsp),
		  SMB_SERVER_ST_OK);
	nlmsg_free(rsp);
	CHECK_INT(tcon("pub", NULL, "10.0.0.1", SMB_SERVER_USER_GUEST, tb,
		       &rsp), SMB_SERVER_ST_OK);
	nlmsg_free(rsp);
	clear_ctx();
}

static void test_misc_requests(void)
{
	struct nlattr *tb[SMB_SERVER_A_MAX + 1];
	struct nl_msg *req, *rsp;
	char long_name[400];

	setup_ctx("", "");

	rsp = answer(request(SMB_SERVER_CMD_HEARTBEAT_REQ, 42));
	CHECK(rsp && kparse(rsp, SMB_SERVER_CMD_HEARTBEAT_RSP, tb) &&
	      nla_get_u32(tb[SMB_SERVER_A_HANDLE]) == 42);
	nlmsg_free(rsp);

	req = smbnl_msg_new(FAMILY, SMB_SERVER_CMD_LOGOUT, 0, 64);
	nla_put_string(req, SMB_SERVER_A_ACCOUNT, "root");
	nla_put_u64(req, SMB_SERVER_A_SESSION_ID, 5);
	CHECK(!answer(req));
	req = smbnl_msg_new(FAMILY, SMB_SERVER_CMD_TREE_DISCONNECT, 0, 64);
	nla_put_u64(req, SMB_SERVER_A_SESSION_ID, 5);
	nla_put_u32(req, SMB_SERVER_A_TREE_ID, 1);
	CHECK(!answer(req));

	/* No handle: nothing to answer with. */
	req = smbnl_msg_new(FAMILY, SMB_SERVER_CMD_LOGIN_REQ, 0, 64);
	nla_put_string(req, SMB_SERVER_A_ACCOUNT, "root");
	CHECK(!answer(req));

	/* Missing or malformed attributes: INVALID. */
	rsp = answer(request(SMB_SERVER_CMD_LOGIN_REQ, 3));
	CHECK(rsp && kparse(rsp, SMB_SERVER_CMD_LOGIN_RSP, tb) &&
	      nla_get_u32(tb[SMB_SERVER_A_STATUS]) == SMB_SERVER_ST_INVALID);
	nlmsg_free(rsp);

	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	req = request(SMB_SERVER_CMD_LOGIN_REQ, 4);
	nla_put_string(req, SMB_SERVER_A_ACCOUNT, long_name);
	rsp = answer(req);
	CHECK(rsp && kparse(rsp, SMB_SERVER_CMD_LOGIN_RSP, tb) &&
	      nla_get_u32(tb[SMB_SERVER_A_HANDLE]) == 4 &&
	      nla_get_u32(tb[SMB_SERVER_A_STATUS]) == SMB_SERVER_ST_INVALID);
	nlmsg_free(rsp);

	req = request(SMB_SERVER_CMD_TREE_CONNECT_REQ, 5);
	nla_put(req, SMB_SERVER_A_SHARE, 3, "abc");	/* no NUL */
	rsp = answer(req);
	CHECK(rsp && kparse(rsp, SMB_SERVER_CMD_TREE_CONNECT_RSP, tb) &&
	      nla_get_u32(tb[SMB_SERVER_A_STATUS]) == SMB_SERVER_ST_INVALID);
	nlmsg_free(rsp);

	/* A pipe nobody implements. */
	req = request(SMB_SERVER_CMD_RPC_REQ, 6);
	nla_put_u64(req, SMB_SERVER_A_PIPE_ID, 1);
	nla_put_u32(req, SMB_SERVER_A_RPC_OP, SMB_SERVER_RPC_OPEN);
	nla_put_string(req, SMB_SERVER_A_PIPE_NAME, "winreg");
	rsp = answer(req);
	CHECK(rsp && kparse(rsp, SMB_SERVER_CMD_RPC_RSP, tb) &&
	      nla_get_u32(tb[SMB_SERVER_A_STATUS]) ==
		      SMB_SERVER_ST_NO_SUCH_PIPE);
	nlmsg_free(rsp);
	req = request(SMB_SERVER_CMD_RPC_REQ, 7);
	nla_put_u64(req, SMB_SERVER_A_PIPE_ID, 99);
	nla_put_u32(req, SMB_SERVER_A_RPC_OP, SMB_SERVER_RPC_READ);
	rsp = answer(req);
	CHECK(rsp && kparse(rsp, SMB_SERVER_CMD_RPC_RSP, tb) &&
	      nla_get_u32(tb[SMB_SERVER_A_STATUS]) ==
		      SMB_SERVER_ST_NO_SUCH_PIPE);
	nlmsg_free(rsp);

	/* A command only the daemon sends is ignored. */
	CHECK(!answer(request(SMB_SERVER_CMD_START, 8)));
	clear_ctx();
}

/*
 * The socket code against the real kernel, using the always present
 * nlctrl family: acks, negative acks and unsolicited messages.
 */
static int seen_cmd = -1;

static void on_message([[maybe_unused]] struct smbnl *nl,
		       uint8_t cmd, [[maybe_unused]] struct nlattr **tb,
		       [[maybe_unused]] bool malformed,
		       [[maybe_unused]] void *data)
{
	seen_cmd = cmd;
}

static void test_socket(void)
{
	struct pollfd pfd;
	struct smbnl nl;
	struct nl_msg *msg;
	GError *err = NULL;
	int ret;

	ret = smbnl_open_family(&nl, GENL_ID_CTRL, &err);
	CHECK_INT(ret, 0);
	if (ret) {
		fprintf(stderr, "  %s\n", err->message);
		g_error_free(err);
		return;
	}
	nl.handler = on_message;

	/* A positive ack; the reply itself reaches the handler. */
	msg = smbnl_msg_new(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, 64);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	CHECK_INT(smbnl_call(&nl, msg, 2000, &err), 0);
	CHECK_INT(seen_cmd, CTRL_CMD_NEWFAMILY);

	/* A negative ack is returned with the kernel's reason. */
	msg = smbnl_msg_new(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, 64);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nosuchfam");
	CHECK_INT(smbnl_call(&nl, msg, 2000, &err), -ENOENT);
	CHECK(err && strstr(err->message, "kernel refused"));
	if (err && getenv("TEST_VERBOSE"))
		fprintf(stderr, "  %s\n", err->message);
	g_clear_error(&err);
	msg = smbnl_msg_new(GENL_ID_CTRL, 0xee, 0, 16);
	CHECK_INT(smbnl_call(&nl, msg, 2000, &err), -EOPNOTSUPP);
	g_clear_error(&err);

	/* An error for a message sent without waiting is logged. */
	log_capture_start();
	msg = smbnl_msg_new(GENL_ID_CTRL, 0xee, 0, 16);
	CHECK_INT(smbnl_send(&nl, msg), 0);
	pfd.fd = smbnl_fd(&nl);
	pfd.events = POLLIN;
	CHECK_INT(poll(&pfd, 1, 2000), 1);
	CHECK_INT(smbnl_process(&nl), 0);
	CHECK(log_captured("kernel rejected unknown command (seq"));
	smbnl_close(&nl);
}

void test_netlink(void)
{
	test_socket();
	test_login_rsp();
	test_other_msgs();
	test_login();
	test_tree_connect();
	test_misc_requests();
}
