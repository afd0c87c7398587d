// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/smb_server.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink_gen.h"

#include <uapi/linux/smb_server.h>

/* Integer value ranges */
static const struct netlink_range_validation smb_server_a_max_read_range = {
	.min	= SMB_SERVER_IO_SIZE_MIN,
	.max	= SMB_SERVER_IO_SIZE_MAX,
};

static const struct netlink_range_validation smb_server_a_max_write_range = {
	.min	= SMB_SERVER_IO_SIZE_MIN,
	.max	= SMB_SERVER_IO_SIZE_MAX,
};

static const struct netlink_range_validation smb_server_a_max_trans_range = {
	.min	= SMB_SERVER_IO_SIZE_MIN,
	.max	= SMB_SERVER_IO_SIZE_MAX,
};

/* SMB_SERVER_CMD_START - do */
static const struct nla_policy smb_server_start_nl_policy[SMB_SERVER_A_MAX_SESSIONS + 1] = {
	[SMB_SERVER_A_TCP_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[SMB_SERVER_A_NETBIOS_NAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[SMB_SERVER_A_WORKGROUP] = { .type = NLA_NUL_STRING, .len = 15, },
	[SMB_SERVER_A_SERVER_STRING] = { .type = NLA_NUL_STRING, .len = 255, },
	[SMB_SERVER_A_MIN_DIALECT] = NLA_POLICY_RANGE(NLA_U16, 514, 785),
	[SMB_SERVER_A_MAX_DIALECT] = NLA_POLICY_RANGE(NLA_U16, 514, 785),
	[SMB_SERVER_A_SIGNING] = NLA_POLICY_MAX(NLA_U8, 2),
	[SMB_SERVER_A_ENCRYPTION] = NLA_POLICY_MAX(NLA_U8, 3),
	[SMB_SERVER_A_MAX_READ] = NLA_POLICY_FULL_RANGE(NLA_U32, &smb_server_a_max_read_range),
	[SMB_SERVER_A_MAX_WRITE] = NLA_POLICY_FULL_RANGE(NLA_U32, &smb_server_a_max_write_range),
	[SMB_SERVER_A_MAX_TRANS] = NLA_POLICY_FULL_RANGE(NLA_U32, &smb_server_a_max_trans_range),
	[SMB_SERVER_A_MAX_CONNECTIONS] = { .type = NLA_U32, },
	[SMB_SERVER_A_DEADTIME] = { .type = NLA_U32, },
	[SMB_SERVER_A_GLOBAL_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0xf),
	[SMB_SERVER_A_MAX_IP_CONNECTIONS] = { .type = NLA_U32, },
	[SMB_SERVER_A_MAX_OPEN_FILES] = { .type = NLA_U32, },
	[SMB_SERVER_A_MAX_CREDITS] = NLA_POLICY_RANGE(NLA_U32, 1, SMB_SERVER_CREDITS_MAX),
	[SMB_SERVER_A_MAX_SESSIONS] = { .type = NLA_U32, },
};

/* SMB_SERVER_CMD_LOGIN_RSP - do */
static const struct nla_policy smb_server_login_rsp_nl_policy[SMB_SERVER_A_USER_FLAGS + 1] = {
	[SMB_SERVER_A_HANDLE] = { .type = NLA_U32, },
	[SMB_SERVER_A_STATUS] = NLA_POLICY_MAX(NLA_U32, 6),
	[SMB_SERVER_A_NT_HASH] = NLA_POLICY_EXACT_LEN(SMB_SERVER_NT_HASH_SIZE),
	[SMB_SERVER_A_UID] = { .type = NLA_U32, },
	[SMB_SERVER_A_GID] = { .type = NLA_U32, },
	[SMB_SERVER_A_GROUPS] = { .type = NLA_BINARY, .len = 128, },
	[SMB_SERVER_A_USER_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x3),
};

/* SMB_SERVER_CMD_TREE_CONNECT_RSP - do */
static const struct nla_policy smb_server_tree_connect_rsp_nl_policy[SMB_SERVER_A_FORCE_GID + 1] = {
	[SMB_SERVER_A_HANDLE] = { .type = NLA_U32, },
	[SMB_SERVER_A_STATUS] = NLA_POLICY_MAX(NLA_U32, 6),
	[SMB_SERVER_A_SHARE_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x7ff),
	[SMB_SERVER_A_SHARE_PATH] = { .type = NLA_NUL_STRING, .len = 4095, },
	[SMB_SERVER_A_CREATE_MASK] = NLA_POLICY_MAX(NLA_U16, 4095),
	[SMB_SERVER_A_DIR_MASK] = NLA_POLICY_MAX(NLA_U16, 4095),
	[SMB_SERVER_A_FORCE_CREATE_MODE] = NLA_POLICY_MAX(NLA_U16, 4095),
	[SMB_SERVER_A_FORCE_DIR_MODE] = NLA_POLICY_MAX(NLA_U16, 4095),
	[SMB_SERVER_A_FORCE_UID] = { .type = NLA_U32, },
	[SMB_SERVER_A_FORCE_GID] = { .type = NLA_U32, },
};

/* SMB_SERVER_CMD_HEARTBEAT_RSP - do */
static const struct nla_policy smb_server_heartbeat_rsp_nl_policy[SMB_SERVER_A_HANDLE + 1] = {
	[SMB_SERVER_A_HANDLE] = { .type = NLA_U32, },
};

/* SMB_SERVER_CMD_RPC_RSP - do */
static const struct nla_policy smb_server_rpc_rsp_nl_policy[SMB_SERVER_A_PAYLOAD + 1] = {
	[SMB_SERVER_A_HANDLE] = { .type = NLA_U32, },
	[SMB_SERVER_A_STATUS] = NLA_POLICY_MAX(NLA_U32, 6),
	[SMB_SERVER_A_PAYLOAD] = { .type = NLA_BINARY, .len = SMB_SERVER_RPC_MAX, },
};

/* SMB_SERVER_CMD_SET_DEBUG - do */
static const struct nla_policy smb_server_set_debug_nl_policy[SMB_SERVER_A_DEBUG + 1] = {
	[SMB_SERVER_A_DEBUG] = NLA_POLICY_MASK(NLA_U32, 0x1f),
};

/* Ops table for smb_server */
const struct genl_split_ops smb_server_nl_ops[8] = {
	{
		.cmd		= SMB_SERVER_CMD_START,
		.doit		= smb_server_nl_start_doit,
		.policy		= smb_server_start_nl_policy,
		.maxattr	= SMB_SERVER_A_MAX_SESSIONS,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= SMB_SERVER_CMD_STOP,
		.doit	= smb_server_nl_stop_doit,
		.flags	= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SMB_SERVER_CMD_LOGIN_RSP,
		.doit		= smb_server_nl_login_rsp_doit,
		.policy		= smb_server_login_rsp_nl_policy,
		.maxattr	= SMB_SERVER_A_USER_FLAGS,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SMB_SERVER_CMD_TREE_CONNECT_RSP,
		.doit		= smb_server_nl_tree_connect_rsp_doit,
		.policy		= smb_server_tree_connect_rsp_nl_policy,
		.maxattr	= SMB_SERVER_A_FORCE_GID,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SMB_SERVER_CMD_HEARTBEAT_RSP,
		.doit		= smb_server_nl_heartbeat_rsp_doit,
		.policy		= smb_server_heartbeat_rsp_nl_policy,
		.maxattr	= SMB_SERVER_A_HANDLE,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SMB_SERVER_CMD_RPC_RSP,
		.doit		= smb_server_nl_rpc_rsp_doit,
		.policy		= smb_server_rpc_rsp_nl_policy,
		.maxattr	= SMB_SERVER_A_PAYLOAD,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SMB_SERVER_CMD_SET_DEBUG,
		.doit		= smb_server_nl_set_debug_doit,
		.policy		= smb_server_set_debug_nl_policy,
		.maxattr	= SMB_SERVER_A_DEBUG,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= SMB_SERVER_CMD_RELOAD,
		.doit	= smb_server_nl_reload_doit,
		.flags	= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};
