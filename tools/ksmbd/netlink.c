// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Generic netlink transport to the kernel SMB server.
 *
 * One socket per process. The daemon sends SMB_SERVER_CMD_START from it,
 * which makes its port the one the kernel asks; requests then arrive
 * unsolicited, so sequence checks are off and acknowledgements are only
 * requested (and waited for) for commands where the answer matters.
 * Errors the kernel reports for other messages are logged.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/msg.h>

#include "log.h"
#include "netlink.h"
#include "netlink_gen.h"
#include "util.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

const char *smbnl_cmd_name(unsigned int cmd)
{
	if (cmd < G_N_ELEMENTS(smb_server_nl_cmd_names) &&
	    smb_server_nl_cmd_names[cmd])
		return smb_server_nl_cmd_names[cmd];
	return "unknown command";
}

const char *smbnl_status_name(uint32_t status)
{
	if (status < G_N_ELEMENTS(smb_server_nl_status_names))
		return smb_server_nl_status_names[status];
	return "unknown status";
}

/* ---- message construction ---- */

struct nl_msg *smbnl_msg_new(int family, uint8_t cmd, int flags,
			     size_t payload)
{
	size_t size = NLMSG_HDRLEN + GENL_HDRLEN + payload + 256;
	struct nl_msg *msg = nlmsg_alloc_size(size);

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags,
			 cmd, SMB_SERVER_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static struct nl_msg *put_failed(struct nl_msg *msg, uint8_t cmd)
{
	pr_err("cannot build a %s message: out of space",
	       smbnl_cmd_name(cmd));
	nlmsg_free(msg);
	return NULL;
}

struct nl_msg *smbnl_start_msg(int family, const struct smb_globals *g)
{
	struct nl_msg *msg = smbnl_msg_new(family, SMB_SERVER_CMD_START,
					   NLM_F_ACK, 1024);

	if (!msg)
		return NULL;
	if (nla_put_u16(msg, SMB_SERVER_A_TCP_PORT, g->tcp_port) ||
	    nla_put_string(msg, SMB_SERVER_A_NETBIOS_NAME, g->netbios_name) ||
	    nla_put_string(msg, SMB_SERVER_A_WORKGROUP, g->workgroup) ||
	    nla_put_string(msg, SMB_SERVER_A_SERVER_STRING,
			   g->server_string) ||
	    nla_put_u16(msg, SMB_SERVER_A_MIN_DIALECT, g->min_dialect) ||
	    nla_put_u16(msg, SMB_SERVER_A_MAX_DIALECT, g->max_dialect) ||
	    nla_put_u8(msg, SMB_SERVER_A_SIGNING, g->signing) ||
	    nla_put_u8(msg, SMB_SERVER_A_ENCRYPTION, g->encryption) ||
	    nla_put_u32(msg, SMB_SERVER_A_MAX_READ, g->max_read) ||
	    nla_put_u32(msg, SMB_SERVER_A_MAX_WRITE, g->max_write) ||
	    nla_put_u32(msg, SMB_SERVER_A_MAX_TRANS, g->max_trans) ||
	    nla_put_u32(msg, SMB_SERVER_A_MAX_CONNECTIONS,
			g->max_connections) ||
	    nla_put_u32(msg, SMB_SERVER_A_MAX_IP_CONNECTIONS,
			g->max_ip_connections) ||
	    nla_put_u32(msg, SMB_SERVER_A_MAX_OPEN_FILES, g->max_open_files) ||
	    nla_put_u32(msg, SMB_SERVER_A_MAX_CREDITS, g->max_credits) ||
	    nla_put_u32(msg, SMB_SERVER_A_MAX_SESSIONS, g->max_sessions) ||
	    nla_put_u32(msg, SMB_SERVER_A_DEADTIME, g->deadtime) ||
	    nla_put_u32(msg, SMB_SERVER_A_GLOBAL_FLAGS, g->flags))
		return put_failed(msg, SMB_SERVER_CMD_START);
	return msg;
}

struct nl_msg *smbnl_login_rsp(int family, uint32_t handle,
			       const struct login_rsp *r)
{
	struct nl_msg *msg = smbnl_msg_new(family, SMB_SERVER_CMD_LOGIN_RSP,
					   0, 512);
	unsigned int ngroups = MIN(r->ngroups, SMB_SERVER_MAX_GROUPS);

	if (!msg)
		return NULL;
	if (nla_put_u32(msg, SMB_SERVER_A_HANDLE, handle) ||
	    nla_put_u32(msg, SMB_SERVER_A_STATUS, r->status))
		return put_failed(msg, SMB_SERVER_CMD_LOGIN_RSP);
	if (r->status != SMB_SERVER_ST_OK)
		return msg;

	if (r->has_hash && nla_put(msg, SMB_SERVER_A_NT_HASH,
				   SMB_SERVER_NT_HASH_SIZE, r->nt_hash))
		return put_failed(msg, SMB_SERVER_CMD_LOGIN_RSP);
	if (nla_put_u32(msg, SMB_SERVER_A_UID, r->uid) ||
	    nla_put_u32(msg, SMB_SERVER_A_GID, r->gid) ||
	    nla_put_u32(msg, SMB_SERVER_A_USER_FLAGS, r->user_flags))
		return put_failed(msg, SMB_SERVER_CMD_LOGIN_RSP);
	if (ngroups && nla_put(msg, SMB_SERVER_A_GROUPS,
			       ngroups * sizeof(uint32_t), r->groups))
		return put_failed(msg, SMB_SERVER_CMD_LOGIN_RSP);
	return msg;
}

struct nl_msg *smbnl_tcon_rsp(int family, uint32_t handle,
			      const struct tcon_rsp *r)
{
	size_t len = r->path ? strlen(r->path) : 0;
	struct nl_msg *msg = smbnl_msg_new(family,
					   SMB_SERVER_CMD_TREE_CONNECT_RSP, 0,
					   len + 256);

	if (!msg)
		return NULL;
	if (nla_put_u32(msg, SMB_SERVER_A_HANDLE, handle) ||
	    nla_put_u32(msg, SMB_SERVER_A_STATUS, r->status))
		return put_failed(msg, SMB_SERVER_CMD_TREE_CONNECT_RSP);
	if (r->status != SMB_SERVER_ST_OK)
		return msg;

	if (nla_put_u32(msg, SMB_SERVER_A_SHARE_FLAGS, r->share_flags) ||
	    (r->path &&
	     nla_put_string(msg, SMB_SERVER_A_SHARE_PATH, r->path)) ||
	    nla_put_u16(msg, SMB_SERVER_A_CREATE_MASK, r->create_mask) ||
	    nla_put_u16(msg, SMB_SERVER_A_DIR_MASK, r->dir_mask) ||
	    nla_put_u16(msg, SMB_SERVER_A_FORCE_CREATE_MODE,
			r->force_create_mode) ||
	    nla_put_u16(msg, SMB_SERVER_A_FORCE_DIR_MODE,
			r->force_dir_mode) ||
	    (r->has_force_uid &&
	     nla_put_u32(msg, SMB_SERVER_A_FORCE_UID, r->force_uid)) ||
	    (r->has_force_gid &&
	     nla_put_u32(msg, SMB_SERVER_A_FORCE_GID, r->force_gid)))
		return put_failed(msg, SMB_SERVER_CMD_TREE_CONNECT_RSP);
	return msg;
}

struct nl_msg *smbnl_heartbeat_rsp(int family, uint32_t handle)
{
	struct nl_msg *msg = smbnl_msg_new(family,
					   SMB_SERVER_CMD_HEARTBEAT_RSP, 0, 8);

	if (msg && nla_put_u32(msg, SMB_SERVER_A_HANDLE, handle))
		return put_failed(msg, SMB_SERVER_CMD_HEARTBEAT_RSP);
	return msg;
}

struct nl_msg *smbnl_rpc_rsp(int family, uint32_t handle, uint32_t status,
			     const void *payload, size_t len)
{
	struct nl_msg *msg = smbnl_msg_new(family, SMB_SERVER_CMD_RPC_RSP, 0,
					   nla_total_size(len) + 16);

	if (!msg)
		return NULL;
	if (nla_put_u32(msg, SMB_SERVER_A_HANDLE, handle) ||
	    nla_put_u32(msg, SMB_SERVER_A_STATUS, status) ||
	    (payload && nla_put(msg, SMB_SERVER_A_PAYLOAD, len, payload)))
		return put_failed(msg, SMB_SERVER_CMD_RPC_RSP);
	return msg;
}

/* A bare failure answer for request @req_cmd. */
struct nl_msg *smbnl_status_rsp(int family, uint8_t req_cmd,
				uint32_t handle, uint32_t status)
{
	struct login_rsp login = { .status = status };
	struct tcon_rsp tcon = { .status = status };

	switch (req_cmd) {
	case SMB_SERVER_CMD_LOGIN_REQ:
		return smbnl_login_rsp(family, handle, &login);
	case SMB_SERVER_CMD_TREE_CONNECT_REQ:
		return smbnl_tcon_rsp(family, handle, &tcon);
	case SMB_SERVER_CMD_RPC_REQ:
		return smbnl_rpc_rsp(family, handle, status, NULL, 0);
	case SMB_SERVER_CMD_HEARTBEAT_REQ:
		return smbnl_heartbeat_rsp(family, handle);
	default:
		return NULL;
	}
}

/*
 * Parse a kernel request with the policy of every attribute the kernel
 * sends (netlink_gen.c, generated from the spec).
 */
int smbnl_parse(struct nl_msg *msg, int family, uint8_t *cmd,
		struct nlattr **tb)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct genlmsghdr *ghdr;

	if (hdr->nlmsg_type != family || !genlmsg_valid_hdr(hdr, 0))
		return -NLE_MSGTYPE_NOSUPPORT;
	ghdr = nlmsg_data(hdr);
	*cmd = ghdr->cmd;
	return genlmsg_parse(hdr, 0, tb, SMB_SERVER_A_MAX,
			     smb_server_nl_event_policy);
}

/* ---- socket handling ---- */

static int errno_from_nl(int err)
{
	switch (-err) {
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_PERM:
		return -EPERM;
	default:
		return -EIO;
	}
}

/* The extended ack message (NLMSGERR_ATTR_MSG), if the kernel sent one. */
static void ext_ack_text(const struct nlmsgerr *e, char *buf, size_t size)
{
	const struct nlmsghdr *hdr = (const void *)((const char *)e -
						    NLMSG_HDRLEN);
	size_t off = sizeof(*e), total;
	const struct nlattr *nla;
	int rem;

	buf[0] = '\0';
	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    hdr->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
		return;
	total = hdr->nlmsg_len - NLMSG_HDRLEN;
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	if (off >= total)
		return;
	nla_for_each_attr(nla, (const struct nlattr *)((const char *)e + off),
			  total - off, rem) {
		if (nla_type(nla) == NLMSGERR_ATTR_MSG && nla_len(nla) > 0) {
			g_strlcpy(buf, nla_data(nla),
				  MIN(size, (size_t)nla_len(nla) + 1));
			return;
		}
	}
}

/* The command of the message an error refers to, if it was echoed. */
static int nacked_cmd(const struct nlmsgerr *e)
{
	const struct nlmsghdr *hdr = (const void *)((const char *)e -
						    NLMSG_HDRLEN);
	const struct genlmsghdr *ghdr = (const void *)(e + 1);

	if (hdr->nlmsg_flags & NLM_F_CAPPED ||
	    e->msg.nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
	    hdr->nlmsg_len < NLMSG_HDRLEN + sizeof(*e) + GENL_HDRLEN)
		return -1;
	return ghdr->cmd;
}

static int error_cb([[maybe_unused]] struct sockaddr_nl *nla, struct nlmsgerr *e,
		    void *arg)
{
	struct smbnl *nl = arg;
	char text[256];
	int cmd;

	ext_ack_text(e, text, sizeof(text));
	if (nl->waiting && e->msg.nlmsg_seq == nl->wait_seq) {
		nl->waiting = false;
		nl->wait_err = e->error;
		g_strlcpy(nl->wait_msg, text, sizeof(nl->wait_msg));
		return NL_SKIP;
	}
	cmd = nacked_cmd(e);
	pr_err("kernel rejected %s (seq %u): %s%s%s",
	       cmd >= 0 ? smbnl_cmd_name(cmd) : "a message",
	       e->msg.nlmsg_seq, g_strerror(-e->error), *text ? ": " : "",
	       text);
	return NL_SKIP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct smbnl *nl = arg;

	if (nl->waiting && nlmsg_hdr(msg)->nlmsg_seq == nl->wait_seq) {
		nl->waiting = false;
		nl->wait_err = 0;
	}
	return NL_OK;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[SMB_SERVER_A_MAX + 1];
	struct smbnl *nl = arg;
	struct nlattr *handle;
	bool malformed = false;
	uint8_t cmd = 0;
	int err;

	err = smbnl_parse(msg, nl->family, &cmd, tb);
	if (err == -NLE_MSGTYPE_NOSUPPORT) {
		pr_debug("ignoring netlink message of type %u",
			 nlmsg_hdr(msg)->nlmsg_type);
		return NL_SKIP;
	}
	if (err) {
		pr_err("malformed %s from the kernel: %s",
		       smbnl_cmd_name(cmd), nl_geterror(err));
		memset(tb, 0, sizeof(tb));
		handle = nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN,
					 SMB_SERVER_A_HANDLE);
		if (handle && nla_len(handle) == sizeof(uint32_t))
			tb[SMB_SERVER_A_HANDLE] = handle;
		malformed = true;
	}
	if (nl->handler)
		nl->handler(nl, cmd, tb, malformed, nl->handler_data);
	return NL_OK;
}

static void setup_socket(struct smbnl *nl)
{
	int one = 1;

	nl_socket_disable_seq_check(nl->sk);
	nl_socket_disable_auto_ack(nl->sk);
	nl_socket_enable_msg_peek(nl->sk);
	nl_socket_set_buffer_size(nl->sk, 1 << 20, 1 << 20);
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, nl);
	nl_socket_modify_cb(nl->sk, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, nl);
	nl_socket_modify_err_cb(nl->sk, NL_CB_CUSTOM, error_cb, nl);
}

/*
 * Open a socket for generic netlink family @family, or, if @family is 0,
 * for the smb_server family, looked up by name.
 */
int smbnl_open_family(struct smbnl *nl, int family, GError **error)
{
	int ret;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_IO,
			    "cannot allocate a netlink socket");
		return -ENOMEM;
	}
	ret = genl_connect(nl->sk);
	if (ret) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_IO,
			    "cannot open a generic netlink socket: %s",
			    nl_geterror(ret));
		goto fail;
	}
	ret = family ? family : genl_ctrl_resolve(nl->sk,
						  SMB_SERVER_FAMILY_NAME);
	if (ret < 0) {
		if (ret == -NLE_OBJ_NOTFOUND)
			g_set_error(error, KSMBD_ERROR, KSMBD_ERR_NOENT,
				    "kernel SMB server not available (is ksmbd loaded?)");
		else
			g_set_error(error, KSMBD_ERROR, KSMBD_ERR_IO,
				    "cannot look up the %s netlink family: %s",
				    SMB_SERVER_FAMILY_NAME, nl_geterror(ret));
		goto fail;
	}
	nl->family = ret;

	setup_socket(nl);
	ret = nl_socket_set_nonblocking(nl->sk);
	if (ret) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_IO,
			    "cannot make the netlink socket non-blocking: %s",
			    nl_geterror(ret));
		goto fail;
	}
	return 0;

fail:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return ret == -NLE_OBJ_NOTFOUND ? -ENOENT : -EIO;
}

int smbnl_open(struct smbnl *nl, GError **error)
{
	return smbnl_open_family(nl, 0, error);
}

void smbnl_close(struct smbnl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

int smbnl_fd(const struct smbnl *nl)
{
	return nl_socket_get_fd(nl->sk);
}

/* Send @msg (and free it). Errors come back later through error_cb(). */
int smbnl_send(struct smbnl *nl, struct nl_msg *msg)
{
	int ret = nl_send_auto(nl->sk, msg);

	if (ret < 0)
		pr_err("cannot send %s to the kernel: %s",
		       smbnl_cmd_name(((struct genlmsghdr *)
				       nlmsg_data(nlmsg_hdr(msg)))->cmd),
		       nl_geterror(ret));
	nlmsg_free(msg);
	return ret < 0 ? errno_from_nl(ret) : 0;
}

/* Read and dispatch everything queued on the socket. */
int smbnl_process(struct smbnl *nl)
{
	int ret;

	for (;;) {
		ret = nl_recvmsgs_default(nl->sk);
		if (ret == -NLE_AGAIN)
			return 0;
		if (ret == -NLE_NOMEM) {
			pr_warn("netlink receive buffer overrun: some kernel requests were lost");
			continue;
		}
		if (ret < 0) {
			pr_err("netlink receive failed: %s", nl_geterror(ret));
			return errno_from_nl(ret);
		}
	}
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * Send @msg (built with NLM_F_ACK; freed here) and wait for the kernel's
 * answer, handling any requests that arrive meanwhile. Returns 0, the
 * negative errno of a negative ack, or -ETIMEDOUT.
 */
int smbnl_call(struct smbnl *nl, struct nl_msg *msg, int timeout_ms,
	       GError **error)
{
	uint8_t cmd = ((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(msg)))->cmd;
	long long deadline = now_ms() + timeout_ms, left;
	struct pollfd pfd = { .fd = smbnl_fd(nl), .events = POLLIN };
	int ret;

	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	ret = nl_send_auto(nl->sk, msg);
	if (ret < 0) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_IO,
			    "cannot send %s: %s", smbnl_cmd_name(cmd),
			    nl_geterror(ret));
		nlmsg_free(msg);
		return errno_from_nl(ret);
	}
	nl->wait_seq = nlmsg_hdr(msg)->nlmsg_seq;
	nl->waiting = true;
	nlmsg_free(msg);

	while (nl->waiting) {
		left = deadline - now_ms();
		if (left <= 0)
			break;
		ret = poll(&pfd, 1, left);
		if (ret < 0 && errno != EINTR)
			break;
		if (ret > 0 && smbnl_process(nl))
			break;
	}
	if (nl->waiting) {
		nl->waiting = false;
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_IO,
			    "no answer from the kernel to %s",
			    smbnl_cmd_name(cmd));
		return -ETIMEDOUT;
	}
	if (nl->wait_err) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_VALUE,
			    "kernel refused %s: %s%s%s", smbnl_cmd_name(cmd),
			    g_strerror(-nl->wait_err),
			    *nl->wait_msg ? ": " : "", nl->wait_msg);
		return nl->wait_err;
	}
	return 0;
}
