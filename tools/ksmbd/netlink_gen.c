// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/smb_server.yaml */
/* by scripts/ynl-gen-daemon.py (source) */

#include "netlink_gen.h"

const char *const smb_server_nl_cmd_names[SMB_SERVER_CMD_MAX + 1] = {
	[SMB_SERVER_CMD_START] = "START",
	[SMB_SERVER_CMD_STOP] = "STOP",
	[SMB_SERVER_CMD_LOGIN_REQ] = "LOGIN_REQ",
	[SMB_SERVER_CMD_LOGIN_RSP] = "LOGIN_RSP",
	[SMB_SERVER_CMD_TREE_CONNECT_REQ] = "TREE_CONNECT_REQ",
	[SMB_SERVER_CMD_TREE_CONNECT_RSP] = "TREE_CONNECT_RSP",
	[SMB_SERVER_CMD_TREE_DISCONNECT] = "TREE_DISCONNECT",
	[SMB_SERVER_CMD_LOGOUT] = "LOGOUT",
	[SMB_SERVER_CMD_HEARTBEAT_REQ] = "HEARTBEAT_REQ",
	[SMB_SERVER_CMD_HEARTBEAT_RSP] = "HEARTBEAT_RSP",
	[SMB_SERVER_CMD_RPC_REQ] = "RPC_REQ",
	[SMB_SERVER_CMD_RPC_RSP] = "RPC_RSP",
	[SMB_SERVER_CMD_SET_DEBUG] = "SET_DEBUG",
	[SMB_SERVER_CMD_RELOAD] = "RELOAD",
};

const char *const smb_server_nl_status_names[SMB_SERVER_NL_N_STATUS] = {
	[SMB_SERVER_ST_OK] = "OK",
	[SMB_SERVER_ST_NO_SUCH_USER] = "NO_SUCH_USER",
	[SMB_SERVER_ST_NO_SUCH_SHARE] = "NO_SUCH_SHARE",
	[SMB_SERVER_ST_ACCESS_DENIED] = "ACCESS_DENIED",
	[SMB_SERVER_ST_NO_SUCH_PIPE] = "NO_SUCH_PIPE",
	[SMB_SERVER_ST_INVALID] = "INVALID",
	[SMB_SERVER_ST_INTERNAL] = "INTERNAL",
};

const struct nla_policy smb_server_nl_event_policy[SMB_SERVER_A_MAX + 1] = {
	[SMB_SERVER_A_HANDLE] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_ACCOUNT] = { .type = NLA_STRING, .maxlen = 255 + 1 },
	[SMB_SERVER_A_DOMAIN] = { .type = NLA_STRING, .maxlen = 255 + 1 },
	[SMB_SERVER_A_USER_FLAGS] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_SHARE] = { .type = NLA_STRING, .maxlen = 255 + 1 },
	[SMB_SERVER_A_CLIENT_ADDR] = { .type = NLA_STRING, .maxlen = 63 + 1 },
	[SMB_SERVER_A_SESSION_ID] = { .type = NLA_U64, .minlen = 8, .maxlen = 8 },
	[SMB_SERVER_A_TREE_ID] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_PIPE_ID] = { .type = NLA_U64, .minlen = 8, .maxlen = 8 },
	[SMB_SERVER_A_PIPE_NAME] = { .type = NLA_STRING, .maxlen = 255 + 1 },
	[SMB_SERVER_A_RPC_OP] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_PAYLOAD] = { .type = NLA_UNSPEC, .maxlen = SMB_SERVER_RPC_MAX },
};

/* SMB_SERVER_CMD_START */
static const struct nla_policy smb_server_nl_start_policy[SMB_SERVER_A_MAX + 1] = {
	[SMB_SERVER_A_TCP_PORT] = { .type = NLA_U16, .minlen = 2, .maxlen = 2 },
	[SMB_SERVER_A_NETBIOS_NAME] = { .type = NLA_STRING, .maxlen = 15 + 1 },
	[SMB_SERVER_A_WORKGROUP] = { .type = NLA_STRING, .maxlen = 15 + 1 },
	[SMB_SERVER_A_SERVER_STRING] = { .type = NLA_STRING, .maxlen = 255 + 1 },
	[SMB_SERVER_A_MIN_DIALECT] = { .type = NLA_U16, .minlen = 2, .maxlen = 2 },
	[SMB_SERVER_A_MAX_DIALECT] = { .type = NLA_U16, .minlen = 2, .maxlen = 2 },
	[SMB_SERVER_A_SIGNING] = { .type = NLA_U8, .minlen = 1, .maxlen = 1 },
	[SMB_SERVER_A_ENCRYPTION] = { .type = NLA_U8, .minlen = 1, .maxlen = 1 },
	[SMB_SERVER_A_MAX_READ] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_MAX_WRITE] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_MAX_TRANS] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_MAX_CONNECTIONS] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_DEADTIME] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_GLOBAL_FLAGS] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_MAX_IP_CONNECTIONS] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_MAX_OPEN_FILES] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_MAX_CREDITS] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_MAX_SESSIONS] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
};

/* SMB_SERVER_CMD_STOP */
static const struct nla_policy smb_server_nl_stop_policy[SMB_SERVER_A_MAX + 1] = {
	/* no attributes */
};

/* SMB_SERVER_CMD_LOGIN_RSP */
static const struct nla_policy smb_server_nl_login_rsp_policy[SMB_SERVER_A_MAX + 1] = {
	[SMB_SERVER_A_HANDLE] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_STATUS] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_NT_HASH] = {
		.type = NLA_UNSPEC,
		.minlen = SMB_SERVER_NT_HASH_SIZE,
		.maxlen = SMB_SERVER_NT_HASH_SIZE,
	},
	[SMB_SERVER_A_UID] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_GID] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_GROUPS] = { .type = NLA_UNSPEC, .maxlen = 128 },
	[SMB_SERVER_A_USER_FLAGS] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
};

/* SMB_SERVER_CMD_TREE_CONNECT_RSP */
static const struct nla_policy smb_server_nl_tree_connect_rsp_policy[SMB_SERVER_A_MAX + 1] = {
	[SMB_SERVER_A_HANDLE] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_STATUS] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_SHARE_FLAGS] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_SHARE_PATH] = { .type = NLA_STRING, .maxlen = 4095 + 1 },
	[SMB_SERVER_A_CREATE_MASK] = { .type = NLA_U16, .minlen = 2, .maxlen = 2 },
	[SMB_SERVER_A_DIR_MASK] = { .type = NLA_U16, .minlen = 2, .maxlen = 2 },
	[SMB_SERVER_A_FORCE_CREATE_MODE] = { .type = NLA_U16, .minlen = 2, .maxlen = 2 },
	[SMB_SERVER_A_FORCE_DIR_MODE] = { .type = NLA_U16, .minlen = 2, .maxlen = 2 },
	[SMB_SERVER_A_FORCE_UID] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_FORCE_GID] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
};

/* SMB_SERVER_CMD_HEARTBEAT_RSP */
static const struct nla_policy smb_server_nl_heartbeat_rsp_policy[SMB_SERVER_A_MAX + 1] = {
	[SMB_SERVER_A_HANDLE] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
};

/* SMB_SERVER_CMD_RPC_RSP */
static const struct nla_policy smb_server_nl_rpc_rsp_policy[SMB_SERVER_A_MAX + 1] = {
	[SMB_SERVER_A_HANDLE] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_STATUS] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[SMB_SERVER_A_PAYLOAD] = { .type = NLA_UNSPEC, .maxlen = SMB_SERVER_RPC_MAX },
};

/* SMB_SERVER_CMD_SET_DEBUG */
static const struct nla_policy smb_server_nl_set_debug_policy[SMB_SERVER_A_MAX + 1] = {
	[SMB_SERVER_A_DEBUG] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
};

/* SMB_SERVER_CMD_RELOAD */
static const struct nla_policy smb_server_nl_reload_policy[SMB_SERVER_A_MAX + 1] = {
	/* no attributes */
};

const struct nla_policy *const smb_server_nl_do_policy[SMB_SERVER_CMD_MAX + 1] = {
	[SMB_SERVER_CMD_START] = smb_server_nl_start_policy,
	[SMB_SERVER_CMD_STOP] = smb_server_nl_stop_policy,
	[SMB_SERVER_CMD_LOGIN_RSP] = smb_server_nl_login_rsp_policy,
	[SMB_SERVER_CMD_TREE_CONNECT_RSP] = smb_server_nl_tree_connect_rsp_policy,
	[SMB_SERVER_CMD_HEARTBEAT_RSP] = smb_server_nl_heartbeat_rsp_policy,
	[SMB_SERVER_CMD_RPC_RSP] = smb_server_nl_rpc_rsp_policy,
	[SMB_SERVER_CMD_SET_DEBUG] = smb_server_nl_set_debug_policy,
	[SMB_SERVER_CMD_RELOAD] = smb_server_nl_reload_policy,
};

const uint64_t smb_server_nl_cmd_attrs[SMB_SERVER_CMD_MAX + 1] = {
	[SMB_SERVER_CMD_START] =
		(1ULL << SMB_SERVER_A_TCP_PORT) |
		(1ULL << SMB_SERVER_A_NETBIOS_NAME) |
		(1ULL << SMB_SERVER_A_WORKGROUP) |
		(1ULL << SMB_SERVER_A_SERVER_STRING) |
		(1ULL << SMB_SERVER_A_MIN_DIALECT) |
		(1ULL << SMB_SERVER_A_MAX_DIALECT) |
		(1ULL << SMB_SERVER_A_SIGNING) |
		(1ULL << SMB_SERVER_A_ENCRYPTION) |
		(1ULL << SMB_SERVER_A_MAX_READ) |
		(1ULL << SMB_SERVER_A_MAX_WRITE) |
		(1ULL << SMB_SERVER_A_MAX_TRANS) |
		(1ULL << SMB_SERVER_A_MAX_CONNECTIONS) |
		(1ULL << SMB_SERVER_A_DEADTIME) |
		(1ULL << SMB_SERVER_A_GLOBAL_FLAGS) |
		(1ULL << SMB_SERVER_A_MAX_IP_CONNECTIONS) |
		(1ULL << SMB_SERVER_A_MAX_OPEN_FILES) |
		(1ULL << SMB_SERVER_A_MAX_CREDITS) |
		(1ULL << SMB_SERVER_A_MAX_SESSIONS),
	[SMB_SERVER_CMD_STOP] = 0,
	[SMB_SERVER_CMD_LOGIN_REQ] =
		(1ULL << SMB_SERVER_A_HANDLE) |
		(1ULL << SMB_SERVER_A_ACCOUNT) |
		(1ULL << SMB_SERVER_A_DOMAIN),
	[SMB_SERVER_CMD_LOGIN_RSP] =
		(1ULL << SMB_SERVER_A_HANDLE) |
		(1ULL << SMB_SERVER_A_STATUS) |
		(1ULL << SMB_SERVER_A_NT_HASH) |
		(1ULL << SMB_SERVER_A_UID) |
		(1ULL << SMB_SERVER_A_GID) |
		(1ULL << SMB_SERVER_A_GROUPS) |
		(1ULL << SMB_SERVER_A_USER_FLAGS),
	[SMB_SERVER_CMD_TREE_CONNECT_REQ] =
		(1ULL << SMB_SERVER_A_HANDLE) |
		(1ULL << SMB_SERVER_A_ACCOUNT) |
		(1ULL << SMB_SERVER_A_SHARE) |
		(1ULL << SMB_SERVER_A_CLIENT_ADDR) |
		(1ULL << SMB_SERVER_A_SESSION_ID) |
		(1ULL << SMB_SERVER_A_TREE_ID) |
		(1ULL << SMB_SERVER_A_USER_FLAGS),
	[SMB_SERVER_CMD_TREE_CONNECT_RSP] =
		(1ULL << SMB_SERVER_A_HANDLE) |
		(1ULL << SMB_SERVER_A_STATUS) |
		(1ULL << SMB_SERVER_A_SHARE_FLAGS) |
		(1ULL << SMB_SERVER_A_SHARE_PATH) |
		(1ULL << SMB_SERVER_A_CREATE_MASK) |
		(1ULL << SMB_SERVER_A_DIR_MASK) |
		(1ULL << SMB_SERVER_A_FORCE_CREATE_MODE) |
		(1ULL << SMB_SERVER_A_FORCE_DIR_MODE) |
		(1ULL << SMB_SERVER_A_FORCE_UID) |
		(1ULL << SMB_SERVER_A_FORCE_GID),
	[SMB_SERVER_CMD_TREE_DISCONNECT] =
		(1ULL << SMB_SERVER_A_SESSION_ID) |
		(1ULL << SMB_SERVER_A_TREE_ID),
	[SMB_SERVER_CMD_LOGOUT] =
		(1ULL << SMB_SERVER_A_ACCOUNT) |
		(1ULL << SMB_SERVER_A_SESSION_ID),
	[SMB_SERVER_CMD_HEARTBEAT_REQ] =
		(1ULL << SMB_SERVER_A_HANDLE),
	[SMB_SERVER_CMD_HEARTBEAT_RSP] =
		(1ULL << SMB_SERVER_A_HANDLE),
	[SMB_SERVER_CMD_RPC_REQ] =
		(1ULL << SMB_SERVER_A_HANDLE) |
		(1ULL << SMB_SERVER_A_PIPE_ID) |
		(1ULL << SMB_SERVER_A_PIPE_NAME) |
		(1ULL << SMB_SERVER_A_RPC_OP) |
		(1ULL << SMB_SERVER_A_PAYLOAD) |
		(1ULL << SMB_SERVER_A_ACCOUNT),
	[SMB_SERVER_CMD_RPC_RSP] =
		(1ULL << SMB_SERVER_A_HANDLE) |
		(1ULL << SMB_SERVER_A_STATUS) |
		(1ULL << SMB_SERVER_A_PAYLOAD),
	[SMB_SERVER_CMD_SET_DEBUG] =
		(1ULL << SMB_SERVER_A_DEBUG),
	[SMB_SERVER_CMD_RELOAD] = 0,
};
