/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Questions the server asks the daemon, and the daemon's registration
 * (netlink.c).
 */
#ifndef _SMBS_IPC_H
#define _SMBS_IPC_H

#include <linux/types.h>
#include <linux/uidgid.h>
#include <uapi/linux/smb_server.h>

struct genl_info;

int smbs_ipc_daemon_register(struct genl_info *info);
bool smbs_ipc_is_daemon(struct genl_info *info);

/**
 * struct smbs_login_info - the daemon's answer to a login request
 * @has_hash: @nt_hash is valid (not for guest mappings)
 * @nt_hash: the account's NT hash (MD4 of its UTF-16LE password)
 * @uid: Unix user
 * @gid: Unix primary group
 * @ngroups: entries in @groups
 * @groups: supplementary groups
 * @flags: SMB_SERVER_USER_*
 */
struct smbs_login_info {
	bool has_hash;
	u8 nt_hash[SMB_SERVER_NT_HASH_SIZE];
	kuid_t uid;
	kgid_t gid;
	u32 ngroups;
	kgid_t groups[SMB_SERVER_MAX_GROUPS];
	u32 flags;
};

/**
 * smbs_ipc_login - look up an account
 * @account: the user name the client sent (UTF-8)
 * @domain: the domain the client sent, may be empty
 * @out: the answer
 *
 * Return: 0; -ENOENT for an unknown account; -ENOTCONN when no daemon is
 * registered; -ETIMEDOUT when it did not answer; -ENOMEM; -EINVAL when
 * its answer was inconsistent.
 */
int smbs_ipc_login(const char *account, const char *domain,
		   struct smbs_login_info *out);

/**
 * struct smbs_share_info - the daemon's answer to a tree connect request
 * @flags: SMB_SERVER_SHARE_*
 * @path: share root, kmalloc'ed, NULL for IPC$; the caller frees it
 * @create_mask: see SMB_SERVER_A_CREATE_MASK
 * @dir_mask: see SMB_SERVER_A_DIR_MASK
 * @force_create_mode: see SMB_SERVER_A_FORCE_CREATE_MODE
 * @force_dir_mode: see SMB_SERVER_A_FORCE_DIR_MODE
 * @has_force_uid: @force_uid is set
 * @force_uid: act as this user
 * @has_force_gid: @force_gid is set
 * @force_gid: act as this group
 */
struct smbs_share_info {
	u32 flags;
	char *path;
	umode_t create_mask;
	umode_t dir_mask;
	umode_t force_create_mode;
	umode_t force_dir_mode;
	bool has_force_uid;
	kuid_t force_uid;
	bool has_force_gid;
	kgid_t force_gid;
};

/**
 * struct smbs_tcon_req - what the daemon is told about a tree connect
 * @account: the session's user
 * @share: the share name (UTF-8, no server part)
 * @peer: the client's address
 * @session_id: SessionId
 * @tree_id: the TreeId that will be used
 * @user_flags: SMB_SERVER_USER_* of the session
 */
struct smbs_tcon_req {
	const char *account;
	const char *share;
	const char *peer;
	u64 session_id;
	u32 tree_id;
	u32 user_flags;
};

/**
 * smbs_ipc_tree_connect - ask whether a session may use a share
 * @req: the request
 * @out: the share's settings
 *
 * Return: 0; -ENOENT for an unknown share; -EACCES when access is denied;
 * -ENOTCONN, -ETIMEDOUT, -ENOMEM, -EINVAL as for smbs_ipc_login().
 */
int smbs_ipc_tree_connect(const struct smbs_tcon_req *req,
			  struct smbs_share_info *out);

/* Events, no answer expected. */
void smbs_ipc_tree_disconnect(u64 session_id, u32 tree_id);
void smbs_ipc_logout(const char *account, u64 session_id);

/**
 * smbs_ipc_rpc - pass a DCE/RPC pipe operation to the daemon
 * @pipe_id: the pipe's id
 * @pipe_name: the pipe's name (for SMB_SERVER_RPC_OPEN), else NULL
 * @account: the session's user
 * @op: enum smb_server_rpc_op
 * @in: data for the pipe, may be NULL
 * @in_len: its length
 * @out: the pipe's answer, kvmalloc'ed, or NULL; the caller frees it
 * @out_len: its length
 *
 * Return: 0; -ENOENT for an unknown pipe; other errors as above.
 */
int smbs_ipc_rpc(u64 pipe_id, const char *pipe_name, const char *account,
		 u32 op, const void *in, u32 in_len, void **out, u32 *out_len);

#endif /* _SMBS_IPC_H */
