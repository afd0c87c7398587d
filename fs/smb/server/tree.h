/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shares and tree connects.
 */
#ifndef _SMBS_TREE_H
#define _SMBS_TREE_H

#include <linux/cred.h>
#include <linux/kref.h>
#include <linux/path.h>
#include <linux/types.h>
#include <uapi/linux/smb_server.h>

struct smbs_session;

/**
 * struct smbs_tree - a tree connect
 * @ref: references; the session's table holds one
 * @id: TreeId
 * @name: share name
 * @flags: SMB_SERVER_SHARE_* after per-user adjustment by the daemon
 * @root: the share root (not set for IPC$)
 * @cred: credentials file system access runs with on this tree
 * @create_mask: mode bits allowed on new files
 * @dir_mask: mode bits allowed on new directories
 * @force_create_mode: mode bits always set on new files
 * @force_dir_mode: mode bits always set on new directories
 * @maximal_access: access mask granted on the share
 * @gone: disconnected; lookups fail
 * @encrypt: TreeConnect.EncryptData: the share asks for encryption
 *	     ("smb encrypt" desired or required) and the session can encrypt
 *
 * A tree is in its session's table (struct smbs_session, @trees) from
 * smbs_tree_publish() until whoever takes it out (TREE_DISCONNECT, or the
 * session's teardown) disconnects it; that happens once. References:
 * the table's, one per look-up (taken under the table's lock), and one
 * per open on it.
 */
struct smbs_tree {
	struct kref ref;
	u32 id;
	char *name;
	u32 flags;
	struct path root;
	const struct cred *cred;
	umode_t create_mask;
	umode_t dir_mask;
	umode_t force_create_mode;
	umode_t force_dir_mode;
	u32 maximal_access;
	bool gone;
	bool encrypt;
};

static inline bool smbs_tree_is_pipe(const struct smbs_tree *t)
{
	return t->flags & SMB_SERVER_SHARE_PIPE;
}

/* Must requests on this tree be encrypted ("smb encrypt = required")? */
static inline bool smbs_tree_encrypt_required(const struct smbs_tree *t)
{
	return t->flags & SMB_SERVER_SHARE_ENCRYPT;
}

static inline bool smbs_tree_writable(const struct smbs_tree *t)
{
	return !(t->flags & SMB_SERVER_SHARE_READ_ONLY);
}

/**
 * smbs_tree_lookup - find a tree connect of a session
 * @sess: the session
 * @id: TreeId
 *
 * Context: takes xa_lock(&@sess->trees); does not sleep.
 * Return: a referenced tree or NULL.
 */
struct smbs_tree *smbs_tree_lookup(struct smbs_session *sess, u32 id);
void smbs_tree_put(struct smbs_tree *tree);

int smbs_tree_reserve(struct smbs_session *sess, struct smbs_tree *tree);
int smbs_tree_publish(struct smbs_session *sess, struct smbs_tree *tree);
void smbs_tree_unreserve(struct smbs_session *sess, struct smbs_tree *tree);
struct smbs_tree *smbs_tree_unpublish(struct smbs_session *sess,
				      struct smbs_tree *tree);

#endif /* _SMBS_TREE_H */
