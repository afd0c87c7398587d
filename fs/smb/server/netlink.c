// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic netlink link to the daemon (include/uapi/linux/smb_server.h,
 * generated from Documentation/netlink/specs/smb_server.yaml).
 *
 * This file is a service of the object layer: it registers the family,
 * tracks which port is the daemon, and carries the requests the server
 * asks the daemon (smbs_ipc_*, ipc.h) and their answers. The commands that
 * control the server (START, STOP, SET_DEBUG, RELOAD) are control.c's.
 *
 * Requests to the daemon carry a handle; the caller sleeps on a pending
 * entry until the daemon's answer arrives through one of the *_RSP
 * operations, the daemon goes away, or a timeout passes. Every attribute
 * the daemon sends is checked by the command's policy (netlink_gen.c)
 * before any code sees it, and only the port that registered with START
 * may answer.
 */
#include "server.h"

#include <linux/completion.h>
#include <linux/cred.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include "ipc.h"
#include "netlink_gen.h"

#define SMBS_IPC_TIMEOUT	(15 * HZ)
#define SMBS_HEARTBEAT		(30 * HZ)

static struct genl_family smbs_genl_family;

static DEFINE_MUTEX(smbs_ipc_lock);	/* daemon port and pending answers */
static u32 smbs_daemon_port;		/* 0: no daemon */
static DEFINE_XARRAY_ALLOC1(smbs_pending);
static u32 smbs_next_handle;
static struct delayed_work smbs_heartbeat_work;

/**
 * struct smbs_ipc_req - a request waiting for the daemon
 * @rsp_cmd: the command the answer must come as
 * @done: completed when @err is final
 * @err: 0, or why there is no answer
 * @parse: copies the answer's attributes out, under smbs_ipc_lock
 * @out: where @parse writes
 */
struct smbs_ipc_req {
	u8 rsp_cmd;
	struct completion done;
	int err;
	int (*parse)(struct smbs_ipc_req *req, struct nlattr **attrs);
	void *out;
};

/* ---- sending ---------------------------------------------------------- */

static struct sk_buff *smbs_nl_new(u8 cmd, size_t size, void **hdr)
{
	struct sk_buff *skb = genlmsg_new(size, GFP_KERNEL);

	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &smbs_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

/* Send to the daemon; consumes @skb. */
static int smbs_nl_send(struct sk_buff *skb, void *hdr)
{
	u32 port;

	genlmsg_end(skb, hdr);
	mutex_lock(&smbs_ipc_lock);
	port = smbs_daemon_port;
	mutex_unlock(&smbs_ipc_lock);
	if (!port) {
		nlmsg_free(skb);
		return -ENOTCONN;
	}
	return genlmsg_unicast(&init_net, skb, port);
}

/*
 * Withdraw a pending entry. The notifier completes entries under
 * smbs_ipc_lock, and @handle's request lives on its caller's stack: once
 * the entry is erased under the lock, nobody can touch the request.
 */
static void smbs_ipc_forget(u32 handle)
{
	mutex_lock(&smbs_ipc_lock);
	xa_erase(&smbs_pending, handle);
	mutex_unlock(&smbs_ipc_lock);
}

/*
 * Send a request and wait for its answer. @skb already holds the request's
 * attributes except the handle.
 */
static int smbs_ipc_call(struct sk_buff *skb, void *hdr,
			 struct smbs_ipc_req *req)
{
	u32 handle;
	int err;

	init_completion(&req->done);
	req->err = -ETIMEDOUT;
	err = xa_alloc_cyclic(&smbs_pending, &handle, req, xa_limit_32b,
			      &smbs_next_handle, GFP_KERNEL);
	if (err < 0) {
		nlmsg_free(skb);
		return err;
	}
	if (nla_put_u32(skb, SMB_SERVER_A_HANDLE, handle)) {
		smbs_ipc_forget(handle);
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	err = smbs_nl_send(skb, hdr);
	if (err) {
		smbs_ipc_forget(handle);
		return err == -ECONNREFUSED ? -ENOTCONN : err;
	}
	wait_for_completion_killable_timeout(&req->done, SMBS_IPC_TIMEOUT);
	/* An answer that arrives from now on finds nothing to fill in. */
	mutex_lock(&smbs_ipc_lock);
	xa_erase(&smbs_pending, handle);
	err = req->err;
	mutex_unlock(&smbs_ipc_lock);
	if (err == -ETIMEDOUT)
		pr_warn_ratelimited("daemon did not answer in time\n");
	return err;
}

/* ---- daemon -> kernel: answers ----------------------------------------- */

/**
 * smbs_nl_is_daemon - is a netlink address the registered daemon's?
 * @daemon_port: the daemon's port id, 0 if none is registered
 * @net: the namespace of the socket in question
 * @portid: its port id
 *
 * The daemon's address is its port id in init_net: the family is not
 * netnsok, so generic netlink passes us commands from init_net only, and
 * START refuses any other namespace should that ever change. A port id is
 * unique only within its namespace, so the namespace is compared as well.
 * The pointers are compared directly: that is net_eq() with CONFIG_NET_NS,
 * and without it every socket is in init_net anyway.
 *
 * Return: true if (@net, @portid) is the daemon.
 */
static bool smbs_nl_is_daemon(u32 daemon_port, const struct net *net,
			      u32 portid)
{
	return daemon_port && portid == daemon_port && net == &init_net;
}

static bool smbs_from_daemon(struct genl_info *info)
{
	lockdep_assert_held(&smbs_ipc_lock);
	return smbs_nl_is_daemon(smbs_daemon_port, genl_info_net(info),
				 info->snd_portid);
}

static int smbs_nl_answer(struct sk_buff *skb, struct genl_info *info)
{
	struct smbs_ipc_req *req;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, SMB_SERVER_A_HANDLE))
		return -EINVAL;
	mutex_lock(&smbs_ipc_lock);
	if (!smbs_from_daemon(info)) {
		err = -EPERM;
		goto out;
	}
	req = xa_load(&smbs_pending,
		      nla_get_u32(info->attrs[SMB_SERVER_A_HANDLE]));
	if (!req || req->rsp_cmd != info->genlhdr->cmd || req->err != -ETIMEDOUT) {
		err = -ENOENT;	/* late, duplicate, or mismatched */
		goto out;
	}
	req->err = req->parse(req, info->attrs);
	/* A malformed answer fails the request and is reported back. */
	if (req->err == -EINVAL)
		err = -EINVAL;
	complete(&req->done);
out:
	mutex_unlock(&smbs_ipc_lock);
	return err;
}

static u32 smbs_nl_u32(struct nlattr *a, u32 def)
{
	return a ? nla_get_u32(a) : def;
}

static u16 smbs_nl_u16(struct nlattr *a, u16 def)
{
	return a ? nla_get_u16(a) : def;
}

/* Every answer but HEARTBEAT_RSP carries a status. */
static int smbs_status_errno(struct nlattr **attrs)
{
	if (!attrs[SMB_SERVER_A_STATUS])
		return -EINVAL;
	switch (nla_get_u32(attrs[SMB_SERVER_A_STATUS])) {
	case SMB_SERVER_ST_OK:
		return 0;
	case SMB_SERVER_ST_NO_SUCH_USER:
	case SMB_SERVER_ST_NO_SUCH_SHARE:
	case SMB_SERVER_ST_NO_SUCH_PIPE:
		return -ENOENT;
	case SMB_SERVER_ST_ACCESS_DENIED:
		return -EACCES;
	case SMB_SERVER_ST_INVALID:
		return -EPROTO;
	default:
		return -EIO;
	}
}

static int smbs_parse_login(struct smbs_ipc_req *req, struct nlattr **attrs)
{
	struct smbs_login_info *out = req->out;
	struct nlattr *groups = attrs[SMB_SERVER_A_GROUPS];
	int err = smbs_status_errno(attrs);
	u32 i;

	if (err)
		return err;
	if (!attrs[SMB_SERVER_A_UID] || !attrs[SMB_SERVER_A_GID])
		return -EINVAL;
	out->flags = smbs_nl_u32(attrs[SMB_SERVER_A_USER_FLAGS], 0);
	out->has_hash = !!attrs[SMB_SERVER_A_NT_HASH];
	if (out->has_hash)
		nla_memcpy(out->nt_hash, attrs[SMB_SERVER_A_NT_HASH],
			   sizeof(out->nt_hash));
	else if (!(out->flags & SMB_SERVER_USER_GUEST))
		return -EINVAL;	/* only a guest mapping has no hash */
	out->uid = make_kuid(&init_user_ns,
			     nla_get_u32(attrs[SMB_SERVER_A_UID]));
	out->gid = make_kgid(&init_user_ns,
			     nla_get_u32(attrs[SMB_SERVER_A_GID]));
	if (!uid_valid(out->uid) || !gid_valid(out->gid))
		return -EINVAL;
	out->ngroups = 0;
	if (groups) {
		if (nla_len(groups) % sizeof(u32))
			return -EINVAL;
		out->ngroups = nla_len(groups) / sizeof(u32);
		for (i = 0; i < out->ngroups; i++) {
			u32 g;

			memcpy(&g, (u8 *)nla_data(groups) + i * sizeof(g),
			       sizeof(g));
			out->groups[i] = make_kgid(&init_user_ns, g);
			if (!gid_valid(out->groups[i]))
				return -EINVAL;
		}
	}
	return 0;
}

static int smbs_parse_tcon(struct smbs_ipc_req *req, struct nlattr **attrs)
{
	struct smbs_share_info *out = req->out;
	int err = smbs_status_errno(attrs);

	if (err)
		return err;
	if (!attrs[SMB_SERVER_A_SHARE_FLAGS])
		return -EINVAL;
	out->flags = nla_get_u32(attrs[SMB_SERVER_A_SHARE_FLAGS]);
	out->create_mask = smbs_nl_u16(attrs[SMB_SERVER_A_CREATE_MASK], 0744);
	out->dir_mask = smbs_nl_u16(attrs[SMB_SERVER_A_DIR_MASK], 0755);
	out->force_create_mode =
		smbs_nl_u16(attrs[SMB_SERVER_A_FORCE_CREATE_MODE], 0);
	out->force_dir_mode =
		smbs_nl_u16(attrs[SMB_SERVER_A_FORCE_DIR_MODE], 0);
	if (attrs[SMB_SERVER_A_FORCE_UID]) {
		u32 uid = nla_get_u32(attrs[SMB_SERVER_A_FORCE_UID]);

		out->has_force_uid = true;
		out->force_uid = make_kuid(&init_user_ns, uid);
		if (!uid_valid(out->force_uid))
			return -EINVAL;
	}
	if (attrs[SMB_SERVER_A_FORCE_GID]) {
		u32 gid = nla_get_u32(attrs[SMB_SERVER_A_FORCE_GID]);

		out->has_force_gid = true;
		out->force_gid = make_kgid(&init_user_ns, gid);
		if (!gid_valid(out->force_gid))
			return -EINVAL;
	}
	if (out->flags & SMB_SERVER_SHARE_PIPE)
		return 0;
	/* A disk share needs an absolute path. */
	if (!attrs[SMB_SERVER_A_SHARE_PATH])
		return -EINVAL;
	out->path = nla_strdup(attrs[SMB_SERVER_A_SHARE_PATH], GFP_KERNEL);
	if (!out->path)
		return -ENOMEM;
	if (out->path[0] != '/') {
		kfree(out->path);
		out->path = NULL;
		return -EINVAL;
	}
	return 0;
}

/**
 * struct smbs_rpc_out - where an RPC answer goes
 * @data: the payload, kvmalloc'ed
 * @len: its length
 */
struct smbs_rpc_out {
	void *data;
	u32 len;
};

static int smbs_parse_rpc(struct smbs_ipc_req *req, struct nlattr **attrs)
{
	struct smbs_rpc_out *out = req->out;
	struct nlattr *p = attrs[SMB_SERVER_A_PAYLOAD];
	int err = smbs_status_errno(attrs);

	if (err)
		return err;
	if (!p || !nla_len(p))
		return 0;
	out->data = kvmalloc(nla_len(p), GFP_KERNEL);
	if (!out->data)
		return -ENOMEM;
	memcpy(out->data, nla_data(p), nla_len(p));
	out->len = nla_len(p);
	return 0;
}

static int smbs_parse_heartbeat(struct smbs_ipc_req *req, struct nlattr **attrs)
{
	/* The handle alone is the answer; the policy allows nothing else. */
	return 0;
}

/* The *_RSP operations (netlink_gen.c), all answers to pending requests. */
int smb_server_nl_login_rsp_doit(struct sk_buff *skb, struct genl_info *info)
{
	return smbs_nl_answer(skb, info);
}

int smb_server_nl_tree_connect_rsp_doit(struct sk_buff *skb,
					struct genl_info *info)
{
	return smbs_nl_answer(skb, info);
}

int smb_server_nl_heartbeat_rsp_doit(struct sk_buff *skb,
				     struct genl_info *info)
{
	return smbs_nl_answer(skb, info);
}

int smb_server_nl_rpc_rsp_doit(struct sk_buff *skb, struct genl_info *info)
{
	return smbs_nl_answer(skb, info);
}

/* ---- the daemon's registration ------------------------------------------ */

/**
 * smbs_ipc_daemon_register - make the sender of START the daemon
 * @info: the START message
 *
 * The first START registers its port; later ones must come from the same
 * port (a configuration reload). The heartbeat starts or restarts.
 *
 * Context: process context, from a netlink command.
 * Return: 0; -EPERM outside init_net; -EBUSY when another port is the
 * daemon. @info's extack says why.
 */
int smbs_ipc_daemon_register(struct genl_info *info)
{
	/* The listener and every message to the daemon are in init_net. */
	if (genl_info_net(info) != &init_net) {
		NL_SET_ERR_MSG(info->extack, "the daemon must run in init_net");
		return -EPERM;
	}
	mutex_lock(&smbs_ipc_lock);
	if (smbs_daemon_port && !smbs_from_daemon(info)) {
		mutex_unlock(&smbs_ipc_lock);
		NL_SET_ERR_MSG(info->extack, "another daemon is registered");
		return -EBUSY;
	}
	smbs_daemon_port = info->snd_portid;
	mutex_unlock(&smbs_ipc_lock);
	mod_delayed_work(system_wq, &smbs_heartbeat_work, SMBS_HEARTBEAT);
	return 0;
}

/**
 * smbs_ipc_is_daemon - does a message come from the registered daemon?
 * @info: the message
 *
 * Return: true if its sender is the port that registered with START.
 */
bool smbs_ipc_is_daemon(struct genl_info *info)
{
	bool ret;

	mutex_lock(&smbs_ipc_lock);
	ret = smbs_from_daemon(info);
	mutex_unlock(&smbs_ipc_lock);
	return ret;
}

static struct genl_family smbs_genl_family __ro_after_init = {
	.name = SMB_SERVER_FAMILY_NAME,
	.version = SMB_SERVER_FAMILY_VERSION,
	/* Only init_net: see smbs_nl_is_daemon(). */
	.netnsok = false,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.split_ops = smb_server_nl_ops,
	.n_split_ops = ARRAY_SIZE(smb_server_nl_ops),
};

/* ---- requests ---------------------------------------------------------- */

int smbs_ipc_login(const char *account, const char *domain,
		   struct smbs_login_info *out)
{
	struct smbs_ipc_req req = {
		.rsp_cmd = SMB_SERVER_CMD_LOGIN_RSP,
		.parse = smbs_parse_login,
		.out = out,
	};
	struct sk_buff *skb;
	void *hdr;

	skb = smbs_nl_new(SMB_SERVER_CMD_LOGIN_REQ, NLMSG_GOODSIZE, &hdr);
	if (!skb)
		return -ENOMEM;
	if (nla_put_string(skb, SMB_SERVER_A_ACCOUNT, account) ||
	    nla_put_string(skb, SMB_SERVER_A_DOMAIN, domain ?: "")) {
		nlmsg_free(skb);
		return -EINVAL;
	}
	return smbs_ipc_call(skb, hdr, &req);
}

int smbs_ipc_tree_connect(const struct smbs_tcon_req *tc,
			  struct smbs_share_info *out)
{
	struct smbs_ipc_req req = {
		.rsp_cmd = SMB_SERVER_CMD_TREE_CONNECT_RSP,
		.parse = smbs_parse_tcon,
		.out = out,
	};
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = smbs_nl_new(SMB_SERVER_CMD_TREE_CONNECT_REQ, NLMSG_GOODSIZE, &hdr);
	if (!skb)
		return -ENOMEM;
	if (nla_put_string(skb, SMB_SERVER_A_ACCOUNT, tc->account) ||
	    nla_put_string(skb, SMB_SERVER_A_SHARE, tc->share) ||
	    nla_put_string(skb, SMB_SERVER_A_CLIENT_ADDR, tc->peer) ||
	    nla_put_u64_64bit(skb, SMB_SERVER_A_SESSION_ID, tc->session_id,
			      SMB_SERVER_A_UNSPEC) ||
	    nla_put_u32(skb, SMB_SERVER_A_TREE_ID, tc->tree_id) ||
	    nla_put_u32(skb, SMB_SERVER_A_USER_FLAGS, tc->user_flags)) {
		nlmsg_free(skb);
		return -EINVAL;
	}
	err = smbs_ipc_call(skb, hdr, &req);
	if (err) {
		kfree(out->path);
		out->path = NULL;
	}
	return err;
}

int smbs_ipc_rpc(u64 pipe_id, const char *pipe_name, const char *account,
		 u32 op, const void *in, u32 in_len, void **out, u32 *out_len)
{
	struct smbs_rpc_out res = {};
	struct smbs_ipc_req req = {
		.rsp_cmd = SMB_SERVER_CMD_RPC_RSP,
		.parse = smbs_parse_rpc,
		.out = &res,
	};
	struct sk_buff *skb;
	void *hdr;
	int err;

	*out = NULL;
	*out_len = 0;
	if (in_len > SMB_SERVER_RPC_MAX)
		return -E2BIG;
	skb = smbs_nl_new(SMB_SERVER_CMD_RPC_REQ, in_len + 1024, &hdr);
	if (!skb)
		return -ENOMEM;
	if (nla_put_u64_64bit(skb, SMB_SERVER_A_PIPE_ID, pipe_id,
			      SMB_SERVER_A_UNSPEC) ||
	    (pipe_name && nla_put_string(skb, SMB_SERVER_A_PIPE_NAME,
					 pipe_name)) ||
	    nla_put_string(skb, SMB_SERVER_A_ACCOUNT, account ?: "") ||
	    nla_put_u32(skb, SMB_SERVER_A_RPC_OP, op) ||
	    (in_len && nla_put(skb, SMB_SERVER_A_PAYLOAD, in_len, in))) {
		nlmsg_free(skb);
		return -EINVAL;
	}
	err = smbs_ipc_call(skb, hdr, &req);
	if (err) {
		kvfree(res.data);
		return err;
	}
	*out = res.data;
	*out_len = res.len;
	return 0;
}

static void smbs_ipc_event(u8 cmd, const char *account, u64 session_id,
			   u32 tree_id)
{
	struct sk_buff *skb;
	void *hdr;

	skb = smbs_nl_new(cmd, NLMSG_GOODSIZE, &hdr);
	if (!skb)
		return;
	if ((account && nla_put_string(skb, SMB_SERVER_A_ACCOUNT, account)) ||
	    nla_put_u64_64bit(skb, SMB_SERVER_A_SESSION_ID, session_id,
			      SMB_SERVER_A_UNSPEC) ||
	    (tree_id && nla_put_u32(skb, SMB_SERVER_A_TREE_ID, tree_id))) {
		nlmsg_free(skb);
		return;
	}
	smbs_nl_send(skb, hdr);
}

void smbs_ipc_tree_disconnect(u64 session_id, u32 tree_id)
{
	smbs_ipc_event(SMB_SERVER_CMD_TREE_DISCONNECT, NULL, session_id,
		       tree_id);
}

void smbs_ipc_logout(const char *account, u64 session_id)
{
	smbs_ipc_event(SMB_SERVER_CMD_LOGOUT, account, session_id, 0);
}

static void smbs_heartbeat(struct work_struct *work)
{
	struct smbs_ipc_req req = {
		.rsp_cmd = SMB_SERVER_CMD_HEARTBEAT_RSP,
		.parse = smbs_parse_heartbeat,
	};
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = smbs_nl_new(SMB_SERVER_CMD_HEARTBEAT_REQ, NLMSG_GOODSIZE, &hdr);
	if (!skb)
		goto again;
	err = smbs_ipc_call(skb, hdr, &req);
	if (err == -ENOTCONN)
		return;		/* no daemon; START re-arms us */
	if (err)
		pr_warn("daemon heartbeat failed: %d\n", err);
again:
	schedule_delayed_work(&smbs_heartbeat_work, SMBS_HEARTBEAT);
}

/* ---- the daemon going away ---------------------------------------------- */

/**
 * smbs_nl_release_ends_daemon - does a socket release end the registration?
 * @daemon_port: the daemon's port id, 0 if none is registered
 * @event: the netlink notifier event
 * @n: the socket being released
 *
 * Any namespace can bind the daemon's port id on a socket of its own;
 * only the release of the daemon's own socket counts.
 *
 * Return: true if the daemon is gone.
 */
static bool smbs_nl_release_ends_daemon(u32 daemon_port, unsigned long event,
					const struct netlink_notify *n)
{
	return event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC &&
	       smbs_nl_is_daemon(daemon_port, n->net, n->portid);
}

static int smbs_nl_notify(struct notifier_block *nb, unsigned long event,
			  void *ptr)
{
	struct netlink_notify *n = ptr;
	struct smbs_ipc_req *req;
	unsigned long handle;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	mutex_lock(&smbs_ipc_lock);
	if (smbs_nl_release_ends_daemon(smbs_daemon_port, event, n)) {
		smbs_daemon_port = 0;
		xa_for_each(&smbs_pending, handle, req) {
			if (req->err == -ETIMEDOUT) {
				req->err = -ENOTCONN;
				complete(&req->done);
			}
		}
		pr_info("daemon went away; sessions stay, new logins fail until a daemon registers\n");
	}
	mutex_unlock(&smbs_ipc_lock);
	return NOTIFY_DONE;
}

static struct notifier_block smbs_nl_notifier = {
	.notifier_call = smbs_nl_notify,
};

/**
 * smbs_netlink_init - register the generic netlink family
 *
 * Return: 0 or a negative errno.
 */
int smbs_netlink_init(void)
{
	int err;

	INIT_DELAYED_WORK(&smbs_heartbeat_work, smbs_heartbeat);
	err = netlink_register_notifier(&smbs_nl_notifier);
	if (err)
		return err;
	err = genl_register_family(&smbs_genl_family);
	if (err)
		netlink_unregister_notifier(&smbs_nl_notifier);
	return err;
}

/**
 * smbs_netlink_exit - unregister; no request may be outstanding
 */
void smbs_netlink_exit(void)
{
	genl_unregister_family(&smbs_genl_family);
	netlink_unregister_notifier(&smbs_nl_notifier);
	cancel_delayed_work_sync(&smbs_heartbeat_work);
}

#if IS_ENABLED(CONFIG_SMB_SERVER_KUNIT_TEST)
#include "tests/netlink_kunit.c"
#endif
