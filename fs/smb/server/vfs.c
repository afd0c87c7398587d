// SPDX-License-Identifier: GPL-2.0-only
/*
 * File system access confined beneath a share's root.
 *
 * Every name a client sends is walked from the tree's root with
 * LOOKUP_BENEATH: a ".." at the root, an absolute symlink or a symlink
 * climbing out of the share ends the walk with -EXDEV. The last component
 * of a create is looked up under its parent's lock with lookup_one(), which
 * refuses "/" and ".." in a component.
 */
#include "server.h"

#include <linux/dcache.h>
#include <linux/filelock.h>
#include <linux/fs.h>
#include <linux/mnt_idmapping.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/posix_acl.h>
#include <linux/slab.h>
#include <linux/stat.h>
#include <linux/string.h>

#include "../common/smb2pdu.h"
#include "tree.h"
#include "vfs.h"

/* Flags every walk gets: stay beneath the root, no /proc magic links. */
#define SMBS_LOOKUP_CONFINED	(LOOKUP_BENEATH | LOOKUP_NO_MAGICLINKS)

int smbs_vfs_lookup(struct smbs_tree *tree, const char *name,
		    unsigned int flags, struct path *out)
{
	if (!tree->root.dentry)
		return -ENOENT;
	if (!*name) {
		if ((flags & LOOKUP_DIRECTORY) && !d_can_lookup(tree->root.dentry))
			return -ENOTDIR;
		*out = tree->root;
		path_get(out);
		return 0;
	}
	/* A share-relative name never starts with '/'; refuse it anyway. */
	if (*name == '/')
		return -EXDEV;
	return vfs_path_lookup(tree->root.dentry, tree->root.mnt, name,
			       flags | SMBS_LOOKUP_CONFINED, out);
}

int smbs_vfs_lookup_parent(struct smbs_tree *tree, const char *name,
			   struct path *parent, const char **last)
{
	const char *slash = strrchr(name, '/');
	char *dir;
	int err;

	if (!*name)
		return -EINVAL;
	if (!slash) {
		*last = name;
		return smbs_vfs_lookup(tree, "", LOOKUP_DIRECTORY, parent);
	}
	*last = slash + 1;
	if (!**last || slash == name)
		return -EINVAL;

	dir = kstrndup(name, slash - name, GFP_KERNEL);
	if (!dir)
		return -ENOMEM;
	err = smbs_vfs_lookup(tree, dir, LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
			      parent);
	kfree(dir);
	return err;
}

__le32 smbs_vfs_dos_attrs(struct smbs_tree *tree, const struct path *path,
			  const struct kstat *st)
{
	struct dentry *dentry = path->dentry;
	u32 attrs = 0;

	if (S_ISDIR(st->mode))
		attrs |= FILE_ATTRIBUTE_DIRECTORY;
	else if (S_ISREG(st->mode))
		attrs |= FILE_ATTRIBUTE_ARCHIVE;
	if (!(st->mode & 0200))
		attrs |= FILE_ATTRIBUTE_READONLY;

	if ((tree->flags & SMB_SERVER_SHARE_HIDE_DOT_FILES) &&
	    dentry != tree->root.dentry) {
		bool dot;

		spin_lock(&dentry->d_lock);
		dot = dentry->d_name.name[0] == '.';
		spin_unlock(&dentry->d_lock);
		if (dot)
			attrs |= FILE_ATTRIBUTE_HIDDEN;
	}

	if (!attrs)
		attrs = FILE_ATTRIBUTE_NORMAL;
	return cpu_to_le32(attrs);
}

int smbs_vfs_getattr(const struct path *path, struct kstat *st)
{
	return vfs_getattr(path, st, STATX_BASIC_STATS | STATX_BTIME,
			   AT_STATX_SYNC_AS_STAT);
}

/* Does @dir carry a default ACL, which then decides the mode of new files? */
static bool smbs_vfs_default_acl(struct dentry *dir)
{
	struct posix_acl *acl;

	if (!IS_POSIXACL(d_inode(dir)))
		return false;
	acl = get_inode_acl(d_inode(dir), ACL_TYPE_DEFAULT);
	if (IS_ERR_OR_NULL(acl))
		return false;
	posix_acl_release(acl);
	return true;
}

/*
 * The VFS strips the umask of the worker thread from new inodes; the share
 * settings decide instead, unless the directory carries a default ACL.
 */
static void smbs_vfs_fix_mode(struct mnt_idmap *idmap, struct dentry *dir,
			      struct dentry *dentry, umode_t mode)
{
	struct inode *inode = d_inode(dentry);
	struct iattr ia = {};
	int err;

	/* Keep what the file system added, e.g. an inherited setgid bit. */
	ia.ia_mode = (inode->i_mode & ~0777) | mode;
	if (ia.ia_mode == inode->i_mode || smbs_vfs_default_acl(dir))
		return;

	inode_lock(inode);
	ia.ia_valid = ATTR_MODE | ATTR_CTIME;
	err = notify_change(idmap, dentry, &ia, NULL);
	inode_unlock(inode);
	if (err)
		smbs_dbg(VFS, "mode of new %pd not set: %d\n", dentry, err);
}

/* Call with the parent locked; @dentry is negative. */
static int smbs_vfs_make(struct smbs_tree *tree, struct mnt_idmap *idmap,
			 struct dentry *parent, struct dentry **dentry,
			 const char *last, bool is_dir)
{
	struct inode *dir = d_inode(parent);
	struct dentry *d = *dentry;
	umode_t mode;
	int err;

	if (is_dir) {
		mode = (0777 & tree->dir_mask) | tree->force_dir_mode;
		err = vfs_mkdir(idmap, dir, d, mode);
	} else {
		mode = (0666 & tree->create_mask) | tree->force_create_mode;
		err = vfs_create(idmap, dir, d, mode, true);
	}
	if (err)
		return err;

	/* Some file systems leave the dentry unhashed after mkdir. */
	if (unlikely(d_unhashed(d) || d_really_is_negative(d))) {
		struct dentry *again = lookup_one(idmap, last, parent,
						  strlen(last));

		if (IS_ERR(again))
			return PTR_ERR(again);
		dput(d);
		*dentry = again;
		d = again;
		if (d_really_is_negative(d))
			return -ENOENT;
	}
	smbs_vfs_fix_mode(idmap, parent, d, mode & 07777);
	return 0;
}

int smbs_vfs_create(struct smbs_tree *tree, const struct path *parent,
		    const char *last, bool is_dir, struct path *out)
{
	struct mnt_idmap *idmap = mnt_idmap(parent->mnt);
	struct inode *dir = d_inode(parent->dentry);
	struct dentry *d;
	int err;

	err = mnt_want_write(parent->mnt);
	if (err)
		return err;

	inode_lock_nested(dir, I_MUTEX_PARENT);
	d = lookup_one(idmap, last, parent->dentry, strlen(last));
	if (IS_ERR(d)) {
		err = PTR_ERR(d);
		goto unlock;
	}
	if (d_really_is_positive(d))
		err = -EEXIST;
	else
		err = smbs_vfs_make(tree, idmap, parent->dentry, &d, last,
				    is_dir);
	if (err) {
		dput(d);
		goto unlock;
	}
	out->mnt = mntget(parent->mnt);
	out->dentry = d;
unlock:
	inode_unlock(dir);
	mnt_drop_write(parent->mnt);
	return err;
}

/* Returns 1 when the caller should retry (a delegation was broken). */
static int smbs_vfs_remove_once(struct mnt_idmap *idmap, struct dentry *dentry,
				struct inode **delegated)
{
	struct dentry *parent = dget_parent(dentry);
	struct inode *dir = d_inode(parent);
	int err;

	inode_lock_nested(dir, I_MUTEX_PARENT);
	if (dentry->d_parent != parent) {
		/* Renamed meanwhile: look at the new parent. */
		err = 1;
	} else if (d_unhashed(dentry) || d_really_is_negative(dentry)) {
		err = -ENOENT;
	} else {
		/*
		 * Our own reference keeps d_delete() from turning the dentry
		 * negative under a struct file that still points at it.
		 */
		dget(dentry);
		if (d_is_dir(dentry))
			err = vfs_rmdir(idmap, dir, dentry);
		else
			err = vfs_unlink(idmap, dir, dentry, delegated);
		dput(dentry);
	}
	inode_unlock(dir);
	dput(parent);
	return err;
}

int smbs_vfs_remove(struct smbs_tree *tree, const struct path *path)
{
	struct mnt_idmap *idmap = mnt_idmap(path->mnt);
	struct inode *delegated = NULL;
	int err;

	if (path->dentry == tree->root.dentry || IS_ROOT(path->dentry))
		return -EBUSY;

	err = mnt_want_write(path->mnt);
	if (err)
		return err;
	for (;;) {
		err = smbs_vfs_remove_once(idmap, path->dentry, &delegated);
		if (delegated) {
			err = break_deleg_wait(&delegated);
			if (!err)
				continue;
		}
		if (err != 1)
			break;
	}
	mnt_drop_write(path->mnt);
	return err;
}

/*
 * May the source of a hard link get pinned into another directory? Only
 * when it is a regular file without setuid or executable setgid bits that
 * the user can both read and write: otherwise a link could keep a file
 * alive, or in a place, its owner did not mean.
 */
static bool smbs_vfs_link_source_safe(struct mnt_idmap *idmap,
				      struct inode *inode)
{
	umode_t mode = inode->i_mode;

	if (!S_ISREG(mode) || (mode & S_ISUID))
		return false;
	if ((mode & 02010) == 02010)	/* setgid and group executable */
		return false;
	return !inode_permission(idmap, inode, MAY_READ | MAY_WRITE);
}

int smbs_vfs_may_link(const struct path *src)
{
	struct mnt_idmap *idmap = mnt_idmap(src->mnt);
	struct inode *inode = d_inode(src->dentry);

	/* An inode whose owner does not map cannot be written back. */
	if (!vfsuid_valid(i_uid_into_vfsuid(idmap, inode)) ||
	    !vfsgid_valid(i_gid_into_vfsgid(idmap, inode)))
		return -EPERM;
	if (inode_owner_or_capable(idmap, inode) ||
	    smbs_vfs_link_source_safe(idmap, inode))
		return 0;
	return -EPERM;
}

/* Host-order access bits (the FILE_*_LE values of smb2pdu.h). */
#define SMBS_A(x)	le32_to_cpu(x)

u32 smbs_vfs_maximal_access(struct smbs_tree *tree, const struct path *path)
{
	struct mnt_idmap *idmap = mnt_idmap(path->mnt);
	struct inode *inode = d_inode(path->dentry);
	u32 acc;

	acc = SMBS_A(FILE_READ_ATTRIBUTES_LE) | SMBS_A(FILE_READ_CONTROL_LE) |
	      SMBS_A(FILE_SYNCHRONIZE_LE);
	if (!inode_permission(idmap, inode, MAY_READ))
		acc |= SMBS_A(FILE_READ_DATA_LE) | SMBS_A(FILE_READ_EA_LE);
	if (!inode_permission(idmap, inode, MAY_EXEC))
		acc |= SMBS_A(FILE_EXECUTE_LE);
	if (!inode_permission(idmap, inode, MAY_WRITE)) {
		acc |= SMBS_A(FILE_WRITE_DATA_LE) | SMBS_A(FILE_APPEND_DATA_LE) |
		       SMBS_A(FILE_WRITE_EA_LE) |
		       SMBS_A(FILE_WRITE_ATTRIBUTES_LE);
		/* Means nothing on a file, but FILE_ALL_ACCESS asks for it. */
		acc |= SMBS_A(FILE_DELETE_CHILD_LE);
	}
	/*
	 * The owner of a file holds full control in Windows terms; execute
	 * is a read of the data for the file server.
	 */
	if (inode_owner_or_capable(idmap, inode))
		acc |= SMBS_A(FILE_EXECUTE_LE) |
		       SMBS_A(FILE_WRITE_ATTRIBUTES_LE) |
		       SMBS_A(FILE_WRITE_EA_LE) | SMBS_A(FILE_WRITE_DAC_LE) |
		       SMBS_A(FILE_WRITE_OWNER_LE);

	/* Deleting takes write and search permission on the parent. */
	if (path->dentry != tree->root.dentry && !IS_ROOT(path->dentry)) {
		struct dentry *parent = dget_parent(path->dentry);

		if (!inode_permission(idmap, d_inode(parent),
				      MAY_WRITE | MAY_EXEC))
			acc |= SMBS_A(FILE_DELETE_LE);
		dput(parent);
	}

	if (!smbs_tree_writable(tree))
		acc &= ~SMBS_VFS_WRITE_ACCESS;
	return acc & tree->maximal_access;
}
