// SPDX-License-Identifier: GPL-2.0-only
/*
 * TREE_CONNECT and TREE_DISCONNECT (MS-SMB2 3.3.5.7, 3.3.5.8).
 *
 * TREE_CONNECT asks the daemon for the share, builds the tree (root, user
 * credentials, masks) and publishes it in the session's table
 * (tree.c); TREE_DISCONNECT ends it (teardown.c).
 */
#include "server.h"

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/namei.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include "connection.h"
#include "ipc.h"
#include "misc.h"
#include "session.h"
#include "smb2.h"
#include "teardown.h"
#include "tree.h"
#include "work.h"
#include "trace.h"

#define SMBS_SHARE_NAME_MAX	80	/* MS-SMB2 3.3.5.7: longer is bad */

/* Access masks reported as MaximalAccess (MS-DTYP 2.4.3 generic mappings). */
#define SMBS_ACCESS_ALL		0x001f01ff
#define SMBS_ACCESS_READ	0x001200a9

/* Credentials for file access on a tree: the session's Unix user. */
static const struct cred *smbs_tree_cred(const struct smbs_user *user,
					 const struct smbs_share_info *info)
{
	struct cred *cred = prepare_kernel_cred(&init_task);
	kuid_t uid = info->has_force_uid ? info->force_uid : user->uid;
	kgid_t gid = info->has_force_gid ? info->force_gid : user->gid;

	if (!cred)
		return NULL;
	cred->uid = uid;
	cred->euid = uid;
	cred->suid = uid;
	cred->fsuid = uid;
	cred->gid = gid;
	cred->egid = gid;
	cred->sgid = gid;
	cred->fsgid = gid;
	if (user->groups) {
		set_groups(cred, user->groups);
	} else {
		struct group_info *none = groups_alloc(0);

		if (!none) {
			abort_creds(cred);
			return NULL;
		}
		set_groups(cred, none);
		put_group_info(none);
	}
	if (!uid_eq(uid, GLOBAL_ROOT_UID)) {
		cred->cap_effective = CAP_EMPTY_SET;
		cred->cap_permitted = CAP_EMPTY_SET;
		cred->cap_inheritable = CAP_EMPTY_SET;
		cred->cap_ambient = CAP_EMPTY_SET;
	}
	return cred;
}

/* "\\server\share" -> "share" (UTF-8, kmalloc'ed). */
static __le32 smbs_tcon_share_name(const struct smbs_buf *path, char **out)
{
	char *name, *share;
	int len;

	len = smbs_utf16_to_utf8(path->ptr, path->len, &name);
	if (len < 0)
		return len == -ENOMEM ? STATUS_NO_MEMORY :
					STATUS_BAD_NETWORK_NAME;
	if (len < 3 || name[0] != '\\' || name[1] != '\\')
		goto bad;
	share = strchr(name + 2, '\\');
	if (!share || !share[1] || strchr(share + 1, '\\') ||
	    strlen(share + 1) > SMBS_SHARE_NAME_MAX)
		goto bad;
	*out = kstrdup(share + 1, GFP_KERNEL);
	kfree(name);
	return *out ? STATUS_SUCCESS : STATUS_NO_MEMORY;
bad:
	kfree(name);
	return STATUS_BAD_NETWORK_NAME;
}

static __le32 smbs_ipc_tcon_status(int err)
{
	switch (err) {
	case -ENOENT:
		return STATUS_BAD_NETWORK_NAME;
	case -EACCES:
		return STATUS_ACCESS_DENIED;
	case -ENOMEM:
		return STATUS_NO_MEMORY;
	default:
		return STATUS_REQUEST_NOT_ACCEPTED;
	}
}

/* Ask the daemon and fill in the tree from its answer. */
static __le32 smbs_tree_setup(struct smbs_work *w, struct smbs_tree *tree)
{
	struct smbs_session *sess = w->sess;
	struct smbs_share_info info = {};
	struct smbs_tcon_req req = {
		.account = sess->user->name,
		.share = tree->name,
		.peer = w->conn->peer,
		.session_id = sess->id,
		.tree_id = tree->id,
		.user_flags = sess->user->flags,
	};
	__le32 status = STATUS_SUCCESS;
	int err;

	err = smbs_ipc_tree_connect(&req, &info);
	if (err)
		return smbs_ipc_tcon_status(err);
	tree->flags = info.flags;
	tree->create_mask = info.create_mask;
	tree->dir_mask = info.dir_mask;
	tree->force_create_mode = info.force_create_mode;
	tree->force_dir_mode = info.force_dir_mode;
	tree->maximal_access = smbs_tree_writable(tree) ? SMBS_ACCESS_ALL :
							  SMBS_ACCESS_READ;
	if (!smbs_tree_is_pipe(tree)) {
		err = info.path ? kern_path(info.path, LOOKUP_FOLLOW |
					    LOOKUP_DIRECTORY, &tree->root) :
				  -EINVAL;
		if (err) {
			pr_warn_ratelimited("share %s: path %s unusable: %d\n",
					    tree->name, info.path ?: "(none)",
					    err);
			status = STATUS_BAD_NETWORK_NAME;
			goto out;
		}
	}
	tree->cred = smbs_tree_cred(sess->user, &info);
	if (!tree->cred)
		status = STATUS_NO_MEMORY;
	/*
	 * A share that requires encryption refuses a session that cannot
	 * encrypt (MS-SMB2 3.3.5.7: SMB 2.x, no cipher, guest, anonymous).
	 */
	if (smbs_tree_encrypt_required(tree) && !sess->enc_aead)
		status = STATUS_ACCESS_DENIED;
	tree->encrypt = sess->enc_aead &&
			(tree->flags & (SMB_SERVER_SHARE_ENCRYPT |
					SMB_SERVER_SHARE_ENCRYPT_DESIRED));
out:
	kfree(info.path);
	return status;
}

static void smbs_tcon_rsp(struct smbs_work *w, struct smbs_tree *tree)
{
	struct smb2_tree_connect_rsp *rsp = smbs_rsp_body(w, sizeof(*rsp));

	rsp->StructureSize = cpu_to_le16(16);
	rsp->ShareType = smbs_tree_is_pipe(tree) ? SMB2_SHARE_TYPE_PIPE :
						   SMB2_SHARE_TYPE_DISK;
	rsp->ShareFlags = cpu_to_le32(SMB2_SHAREFLAG_MANUAL_CACHING |
				      (tree->encrypt ?
				       SHI1005_FLAGS_ENCRYPT_DATA : 0));
	rsp->MaximalAccess = cpu_to_le32(tree->maximal_access);
	rsp->hdr.Id.SyncId.TreeId = cpu_to_le32(tree->id);
}

/**
 * smbs_tree_connect - TREE_CONNECT
 * @w: the work
 *
 * Return: the NT status of the response.
 */
__le32 smbs_tree_connect(struct smbs_work *w)
{
	struct smbs_session *sess = w->sess;
	struct smbs_tree *tree;
	__le32 status;

	tree = kzalloc(sizeof(*tree), GFP_KERNEL);
	if (!tree)
		return STATUS_NO_MEMORY;
	kref_init(&tree->ref);
	status = smbs_tcon_share_name(&w->pdu.var[SMBS_VAR_TCON_PATH],
				      &tree->name);
	if (status != STATUS_SUCCESS)
		goto out;
	/* Reserve the id so the daemon can be told it. */
	if (smbs_tree_reserve(sess, tree)) {
		status = STATUS_INSUFFICIENT_RESOURCES;
		goto out;
	}
	status = smbs_tree_setup(w, tree);
	if (status != STATUS_SUCCESS) {
		smbs_tree_unreserve(sess, tree);
		goto out;
	}
	/* A LOGOFF or a disconnect may have torn the session down since. */
	if (smbs_tree_publish(sess, tree)) {
		status = STATUS_USER_SESSION_DELETED;
		goto out;
	}
	trace_smbs_tree_connect(sess, tree);
	smbs_dbg(CONN, "%s: tree %u -> %s\n", w->conn->peer, tree->id,
		 tree->name);
	smbs_tcon_rsp(w, tree);
out:
	smbs_tree_put(tree);
	return status;
}

/**
 * smbs_tree_disconnect - TREE_DISCONNECT
 * @w: the work; w->tree is the tree to disconnect
 *
 * Return: STATUS_SUCCESS.
 */
__le32 smbs_tree_disconnect(struct smbs_work *w)
{
	struct smb2_tree_disconnect_rsp *rsp;

	smbs_tree_destroy(w->sess, w->tree);
	rsp = smbs_rsp_body(w, sizeof(*rsp));
	rsp->StructureSize = cpu_to_le16(4);
	return STATUS_SUCCESS;
}
