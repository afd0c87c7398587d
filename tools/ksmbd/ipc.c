// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Answers to the kernel's requests.
 *
 * Each handler reads the request attributes and returns the reply message,
 * or NULL for events that need none. Nothing here talks to the socket, so
 * the tests drive these functions directly.
 */
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <string.h>

#include "hosts.h"
#include "idcache.h"
#include "ipc.h"
#include "log.h"
#include "rpc/rpc.h"
#include "util.h"

static void fill_login(struct login_rsp *r, const struct unix_ident *id)
{
	int i;

	r->uid = id->uid;
	r->gid = id->gid;
	r->ngroups = 0;
	for (i = 0; i < id->ngroups; i++) {
		if (r->ngroups == SMB_SERVER_MAX_GROUPS) {
			pr_warn("login: '%s' is in more than %d groups, the rest are ignored",
				id->name, SMB_SERVER_MAX_GROUPS);
			break;
		}
		r->groups[r->ngroups++] = id->groups[i];
	}
}

static uint32_t guest_login(struct ksmbd_ctx *ctx, const char *account,
			    struct login_rsp *r)
{
	const char *guest = ctx->globals.guest_account;
	struct unix_ident id;

	if (idcache_lookup(ctx->ids, guest, &id)) {
		pr_warn("login: unknown user '%s' and the guest account '%s' does not exist",
			account, guest);
		return SMB_SERVER_ST_NO_SUCH_USER;
	}
	fill_login(r, &id);
	r->user_flags = SMB_SERVER_USER_GUEST;
	r->has_hash = false;
	pr_info("login: unknown user '%s' mapped to guest '%s'", account,
		guest);
	unix_ident_clear(&id);
	return SMB_SERVER_ST_OK;
}

static uint32_t login_lookup(struct ksmbd_ctx *ctx, const char *account,
			     struct login_rsp *r)
{
	struct unix_ident id;
	struct user *u;

	userdb_refresh(ctx->users);
	u = userdb_find(ctx->users, account);
	if (!u) {
		if (ctx->globals.flags & SMB_SERVER_GLOBAL_MAP_TO_GUEST)
			return guest_login(ctx, account, r);
		pr_info("login: unknown user '%s'", account);
		return SMB_SERVER_ST_NO_SUCH_USER;
	}
	if (idcache_lookup(ctx->ids, u->name, &id)) {
		pr_warn("login: user '%s' has no Unix account of the same name",
			u->name);
		return SMB_SERVER_ST_NO_SUCH_USER;
	}
	fill_login(r, &id);
	memcpy(r->nt_hash, u->hash, sizeof(r->nt_hash));
	r->has_hash = true;
	r->user_flags = u->disabled ? SMB_SERVER_USER_DISABLED : 0;
	pr_debug("login: '%s' is uid %u gid %u%s", u->name, r->uid, r->gid,
		 u->disabled ? " (disabled)" : "");
	unix_ident_clear(&id);
	return SMB_SERVER_ST_OK;
}

static struct nl_msg *handle_login(struct ksmbd_ctx *ctx, int family,
				   uint32_t handle, struct nlattr **tb)
{
	struct login_rsp r = { 0 };
	struct nl_msg *msg;
	const char *account;

	if (!tb[SMB_SERVER_A_ACCOUNT]) {
		pr_err("LOGIN_REQ without an account");
		r.status = SMB_SERVER_ST_INVALID;
	} else {
		account = nla_get_string(tb[SMB_SERVER_A_ACCOUNT]);
		r.status = login_lookup(ctx, account, &r);
	}
	msg = smbnl_login_rsp(family, handle, &r);
	memset(&r, 0, sizeof(r));
	return msg;
}

/* Resolve force user / force group; false if either is missing. */
static bool resolve_force(const struct share *sh, struct tcon_rsp *r)
{
	struct passwd *pw;
	struct group *gr;

	if (sh->force_user) {
		pw = getpwnam(sh->force_user);
		if (!pw) {
			pr_err("[%s]: force user '%s' does not exist",
			       sh->name, sh->force_user);
			return false;
		}
		r->has_force_uid = true;
		r->force_uid = pw->pw_uid;
		/* Like smb.conf: the forced user's primary group too. */
		r->has_force_gid = true;
		r->force_gid = pw->pw_gid;
	}
	if (sh->force_group) {
		gr = getgrnam(sh->force_group);
		if (!gr) {
			pr_err("[%s]: force group '%s' does not exist",
			       sh->name, sh->force_group);
			return false;
		}
		r->has_force_gid = true;
		r->force_gid = gr->gr_gid;
	}
	return true;
}

struct tcon_req {
	const char *share;
	const char *account;
	const char *addr;
	uint32_t user_flags;
};

/* The home directory, for [homes] and %H, when the share needs one. */
static char *home_of(const struct share_table *tbl, const char *share,
		     const char *user)
{
	const struct share *sh = shares_find(tbl, share);
	struct passwd *pw;

	if (sh && !(sh->path && strstr(sh->path, "%H")))
		return NULL;
	if (!sh && !tbl->homes)
		return NULL;
	pw = getpwnam(user);
	return pw && pw->pw_dir && *pw->pw_dir == '/' ?
	       g_strdup(pw->pw_dir) : NULL;
}

/* Decide a tree connect; *inst is the share answered with (or NULL). */
static uint32_t tcon_decide(struct ksmbd_ctx *ctx, const struct tcon_req *q,
			    struct tcon_rsp *r, struct share **inst)
{
	bool guest = q->user_flags & SMB_SERVER_USER_GUEST;
	struct share_subst sub = { 0 };
	struct user_ident who = { 0 };
	struct unix_ident id;
	const char *name, *why = NULL;
	struct share *sh;
	struct user *u;
	char *home = NULL;
	bool read_only = true, restricted;

	name = guest ? ctx->globals.guest_account : q->account;
	u = guest ? NULL : userdb_find(ctx->users, name);
	if (u)
		name = u->name;
	if (!guest)
		home = home_of(ctx->shares, q->share, name);
	sub.user = name;
	sub.home = home;
	sub.guest = guest;
	sh = share_instance(ctx->shares, q->share, &sub);
	g_free(home);
	*inst = sh;
	if (!sh || !sh->available) {
		pr_info("tree connect: no share [%s]", q->share);
		return SMB_SERVER_ST_NO_SUCH_SHARE;
	}
	restricted = (sh->hosts_allow && *sh->hosts_allow) ||
		     (sh->hosts_deny && *sh->hosts_deny);
	if (restricted && (!q->addr || !host_allowed(sh->hosts_allow,
						     sh->hosts_deny,
						     q->addr))) {
		pr_info("tree connect: [%s] refused to host %s", sh->name,
			q->addr ? q->addr : "(unknown)");
		return SMB_SERVER_ST_ACCESS_DENIED;
	}

	if (guest && ctx->globals.restrict_anonymous &&
	    (sh->flags & SMB_SERVER_SHARE_PIPE)) {
		pr_info("tree connect: guest refused on [%s] (restrict anonymous = %u)",
			sh->name, ctx->globals.restrict_anonymous);
		return SMB_SERVER_ST_ACCESS_DENIED;
	}
	who.name = name;
	who.gid = (gid_t)-1;
	if (!idcache_lookup(ctx->ids, name, &id)) {
		who.gid = id.gid;
		who.groups = id.groups;
		who.ngroups = id.ngroups;
	}
	if (share_check_access(sh, &who, guest, &read_only, &why)) {
		pr_info("tree connect: '%s' refused on [%s]: %s", name,
			sh->name, why);
		unix_ident_clear(&id);
		return SMB_SERVER_ST_ACCESS_DENIED;
	}
	unix_ident_clear(&id);
	if (!resolve_force(sh, r))
		return SMB_SERVER_ST_ACCESS_DENIED;

	r->share_flags = sh->flags & ~SMB_SERVER_SHARE_READ_ONLY;
	if (read_only || (sh->flags & SMB_SERVER_SHARE_PIPE))
		r->share_flags |= SMB_SERVER_SHARE_READ_ONLY;
	r->path = sh->path;
	r->create_mask = sh->create_mask;
	r->dir_mask = sh->dir_mask;
	r->force_create_mode = sh->force_create_mode;
	r->force_dir_mode = sh->force_dir_mode;
	pr_debug("tree connect: '%s' on [%s] at %s%s", name, sh->name,
		 sh->path ? sh->path : "(pipe)",
		 read_only ? " read-only" : "");
	return SMB_SERVER_ST_OK;
}

static struct nl_msg *handle_tcon(struct ksmbd_ctx *ctx, int family,
				  uint32_t handle, struct nlattr **tb)
{
	struct tcon_req q = { 0 };
	struct tcon_rsp r = { 0 };
	struct share *inst = NULL;
	struct nl_msg *msg;

	if (tb[SMB_SERVER_A_USER_FLAGS])
		q.user_flags = nla_get_u32(tb[SMB_SERVER_A_USER_FLAGS]);
	if (tb[SMB_SERVER_A_CLIENT_ADDR])
		q.addr = nla_get_string(tb[SMB_SERVER_A_CLIENT_ADDR]);
	if (tb[SMB_SERVER_A_ACCOUNT])
		q.account = nla_get_string(tb[SMB_SERVER_A_ACCOUNT]);
	if (tb[SMB_SERVER_A_SHARE])
		q.share = nla_get_string(tb[SMB_SERVER_A_SHARE]);

	if (!q.share ||
	    (!q.account && !(q.user_flags & SMB_SERVER_USER_GUEST))) {
		pr_err("TREE_CONNECT_REQ without a share or an account");
		r.status = SMB_SERVER_ST_INVALID;
	} else {
		r.status = tcon_decide(ctx, &q, &r, &inst);
	}
	msg = smbnl_tcon_rsp(family, handle, &r);
	share_free(inst);
	return msg;
}

static struct nl_msg *handle_rpc(struct ksmbd_ctx *ctx, int family,
				 uint32_t handle, struct nlattr **tb)
{
	struct rpc_request q = { 0 };
	struct rpc_env env = {
		.globals = &ctx->globals,
		.shares = ctx->shares,
	};
	GByteArray *out = NULL;
	struct nl_msg *msg;
	uint32_t status;

	if (!tb[SMB_SERVER_A_PIPE_ID] || !tb[SMB_SERVER_A_RPC_OP]) {
		pr_err("RPC_REQ without a pipe id or an operation");
		return smbnl_rpc_rsp(family, handle, SMB_SERVER_ST_INVALID,
				     NULL, 0);
	}
	q.pipe_id = nla_get_u64(tb[SMB_SERVER_A_PIPE_ID]);
	q.op = nla_get_u32(tb[SMB_SERVER_A_RPC_OP]);
	if (tb[SMB_SERVER_A_PIPE_NAME])
		q.pipe_name = nla_get_string(tb[SMB_SERVER_A_PIPE_NAME]);
	if (tb[SMB_SERVER_A_ACCOUNT])
		q.account = nla_get_string(tb[SMB_SERVER_A_ACCOUNT]);
	if (tb[SMB_SERVER_A_PAYLOAD]) {
		q.data = nla_data(tb[SMB_SERVER_A_PAYLOAD]);
		q.len = nla_len(tb[SMB_SERVER_A_PAYLOAD]);
	}

	status = rpc_pipe_request(ctx->pipes, &env, &q, &out);
	msg = smbnl_rpc_rsp(family, handle, status, out ? out->data : NULL,
			    out ? out->len : 0);
	if (out)
		g_byte_array_unref(out);
	return msg;
}

static void log_event(uint8_t cmd, struct nlattr **tb)
{
	const char *account = tb[SMB_SERVER_A_ACCOUNT] ?
			      nla_get_string(tb[SMB_SERVER_A_ACCOUNT]) : "?";
	uint64_t sid = tb[SMB_SERVER_A_SESSION_ID] ?
		       nla_get_u64(tb[SMB_SERVER_A_SESSION_ID]) : 0;
	uint32_t tid = tb[SMB_SERVER_A_TREE_ID] ?
		       nla_get_u32(tb[SMB_SERVER_A_TREE_ID]) : 0;

	if (cmd == SMB_SERVER_CMD_LOGOUT)
		pr_debug("logout: '%s' session 0x%" PRIx64, account, sid);
	else
		pr_debug("tree disconnect: session 0x%" PRIx64 " tree 0x%x",
			 sid, tid);
}

struct nl_msg *ipc_handle(struct ksmbd_ctx *ctx, int family, uint8_t cmd,
			  struct nlattr **tb, bool malformed)
{
	uint32_t handle;

	if (cmd == SMB_SERVER_CMD_LOGOUT ||
	    cmd == SMB_SERVER_CMD_TREE_DISCONNECT) {
		if (!malformed)
			log_event(cmd, tb);
		return NULL;
	}
	if (!tb[SMB_SERVER_A_HANDLE]) {
		pr_err("%s without a handle, not answered",
		       smbnl_cmd_name(cmd));
		return NULL;
	}
	handle = nla_get_u32(tb[SMB_SERVER_A_HANDLE]);
	if (malformed)
		return smbnl_status_rsp(family, cmd, handle,
					SMB_SERVER_ST_INVALID);

	switch (cmd) {
	case SMB_SERVER_CMD_LOGIN_REQ:
		return handle_login(ctx, family, handle, tb);
	case SMB_SERVER_CMD_TREE_CONNECT_REQ:
		return handle_tcon(ctx, family, handle, tb);
	case SMB_SERVER_CMD_HEARTBEAT_REQ:
		return smbnl_heartbeat_rsp(family, handle);
	case SMB_SERVER_CMD_RPC_REQ:
		return handle_rpc(ctx, family, handle, tb);
	default:
		pr_warn("unexpected %s (%u) from the kernel ignored",
			smbnl_cmd_name(cmd), cmd);
		return NULL;
	}
}
