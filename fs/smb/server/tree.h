/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shares and tree connects.
 */
#ifndef _SMBD_TREE_H
#define _SMBD_TREE_H

#include <linux/cred.h>
#include <linux/kref.h>
#include <linux/path.h>
#include <linux/types.h>
#include <uapi/linux/smb_server.h>

struct smbd_session;

/**
 * struct smbd_tree - a tree connect
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
 *
 * A tree is in its session's table (struct smbd_session, @trees) from
 * smbd_tree_publish() until whoever takes it out (TREE_DISCONNECT, or the
 * session's teardown) disconnects it; that happens once. References:
 * the table's, one per look-up (taken under the table's lock), and one
 * per open on it.
 */
struct smbd_tree {
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
};

static inline bool smbd_tree_is_pipe(const struct smbd_tree *t)
{
	return t->flags & SMB_SERVER_SHARE_PIPE;
}

static inline bool smbd_tree_writable(const struct smbd_tree *t)
{
	return !(t->flags & SMB_SERVER_SHARE_READ_ONLY);
}

/**
 * smbd_tree_lookup - find a tree connect of a session
 * @sess: the session
 * @id: TreeId
 *
 * Return: a referenced tree or NULL.
 */
struct smbd_tree *smbd_tree_lookup(struct smbd_session *sess, u32 id);
void smbd_tree_put(struct smbd_tree *tree);

int smbd_tree_reserve(struct smbd_session *sess, struct smbd_tree *tree);
int smbd_tree_publish(struct smbd_session *sess, struct smbd_tree *tree);
void smbd_tree_destroy_all(struct smbd_session *sess);

#endif /* _SMBD_TREE_H */
