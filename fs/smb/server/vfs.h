/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * File system access confined beneath a share's root.
 *
 * Every path a client names is resolved here with LOOKUP_BENEATH from the
 * tree's root, so neither ".." nor a symlink can lead outside the share.
 * Callers run with the tree's credentials (the dispatcher overrides them).
 */
#ifndef _SMBS_VFS_H
#define _SMBS_VFS_H

#include <linux/path.h>
#include <linux/stat.h>
#include <linux/types.h>

struct smbs_tree;

/**
 * smbs_vfs_lookup - resolve a share-relative path
 * @tree: the tree connect
 * @name: path from smbs_share_path(), "" for the share root
 * @flags: extra LOOKUP_* flags (e.g. LOOKUP_DIRECTORY)
 * @out: the result, to be released with path_put()
 *
 * Return: 0 or a negative errno (-ENOENT, -ENOTDIR, -EXDEV for an escape
 * attempt, ...).
 */
int smbs_vfs_lookup(struct smbs_tree *tree, const char *name,
		    unsigned int flags, struct path *out);

/**
 * smbs_vfs_lookup_parent - resolve the directory holding a path's last part
 * @tree: the tree connect
 * @name: path from smbs_share_path(); must not be ""
 * @parent: the directory, to be released with path_put()
 * @last: points into @name at the last component
 *
 * Return: 0 or a negative errno.
 */
int smbs_vfs_lookup_parent(struct smbs_tree *tree, const char *name,
			   struct path *parent, const char **last);

/**
 * smbs_vfs_dos_attrs - DOS attributes of a file for CREATE and QUERY_INFO
 * @tree: the tree connect (its share flags decide about hidden dot files)
 * @path: the file
 * @st: its attributes (from vfs_getattr())
 *
 * Return: FILE_ATTRIBUTE_* bits: DIRECTORY for directories, ARCHIVE for
 * regular files, READONLY when the owner has no write bit, HIDDEN for names
 * starting with '.' on shares with SMB_SERVER_SHARE_HIDE_DOT_FILES, and
 * NORMAL when no other bit applies.
 */
__le32 smbs_vfs_dos_attrs(struct smbs_tree *tree, const struct path *path,
			  const struct kstat *st);

/*
 * Access bits (host order) that modify a file or its name: FILE_WRITE_DATA,
 * FILE_APPEND_DATA, FILE_WRITE_EA, FILE_DELETE_CHILD, FILE_WRITE_ATTRIBUTES,
 * DELETE, WRITE_DAC and WRITE_OWNER. None is granted on a read-only share.
 */
#define SMBS_VFS_WRITE_ACCESS	0x000D0156U

/**
 * smbs_vfs_getattr - attributes of a file for the wire
 * @path: the file
 * @st: filled with the basic statistics and, where known, the birth time
 *
 * Return: 0 or a negative errno.
 */
int smbs_vfs_getattr(const struct path *path, struct kstat *st);

/**
 * smbs_vfs_maximal_access - access the current user may be granted
 * @tree: the tree connect (read-only shares grant no write access)
 * @path: the file
 *
 * Derived from the Unix permissions checked with the current credentials:
 * read, write and execute on the file, ownership for WRITE_DAC/WRITE_OWNER,
 * write and search on the parent for DELETE (never on the share root), then
 * limited by the tree's maximal access.
 *
 * Return: access mask in host order (FILE_*_LE values converted).
 */
u32 smbs_vfs_maximal_access(struct smbs_tree *tree, const struct path *path);

/**
 * smbs_vfs_create - create a file or directory under a directory
 * @tree: the tree connect (its create/directory masks give the mode)
 * @parent: the directory, from smbs_vfs_lookup_parent()
 * @last: the new name (one component)
 * @is_dir: make a directory
 * @out: the new file, to be released with path_put()
 *
 * The name is looked up and created under the parent's lock. New files get
 * 0666 & create_mask | force_create_mode, directories 0777 & dir_mask |
 * force_dir_mode, unless the parent has a default ACL.
 *
 * Return: 0; -EEXIST if the name exists (even as a dangling symlink); or
 * another negative errno.
 */
int smbs_vfs_create(struct smbs_tree *tree, const struct path *parent,
		    const char *last, bool is_dir, struct path *out);

/**
 * smbs_vfs_remove - unlink a file or remove an empty directory
 * @tree: the tree connect; its root cannot be removed
 * @path: the file, wherever it is now (renames are followed)
 *
 * Return: 0; -ENOTEMPTY for a directory that is not empty; -ENOENT if it is
 * already gone; -EBUSY for the share root; or another negative errno.
 */
int smbs_vfs_remove(struct smbs_tree *tree, const struct path *path);

/**
 * smbs_vfs_may_link - may the current user hard-link a file elsewhere
 * @src: the file to link (an open file's path)
 *
 * The policy linkat(2) applies with fs.protected_hardlinks set: the owner
 * of the file (by fsuid) or a holder of CAP_FOWNER over it may link it;
 * anyone else only a regular file that is not setuid, not setgid and group
 * executable, and that they may open for reading and writing. The kernel's
 * may_linkat() and its sysctl are not reachable from a module, so the
 * protected policy applies whatever the sysctl says. Called with the
 * tree's credentials; the directory of the new name is checked by
 * vfs_link() itself.
 *
 * Return: 0, or -EPERM (answer STATUS_ACCESS_DENIED).
 */
int smbs_vfs_may_link(const struct path *src);

/*
 * How CREATE, CLOSE and QUERY_INFO report a file: the creation time is the
 * birth time where the file system keeps one, else the change time; a
 * directory has no size.
 */
static inline struct timespec64 smbs_vfs_create_time(const struct kstat *st)
{
	return (st->result_mask & STATX_BTIME) ? st->btime : st->ctime;
}

static inline u64 smbs_vfs_end_of_file(const struct kstat *st)
{
	return S_ISDIR(st->mode) ? 0 : st->size;
}

static inline u64 smbs_vfs_alloc_size(const struct kstat *st)
{
	return S_ISDIR(st->mode) ? 0 : st->blocks << 9;
}

#endif /* _SMBS_VFS_H */
