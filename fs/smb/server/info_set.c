// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMB2 SET_INFO (MS-SMB2 3.3.5.21, MS-FSA 2.1.5.15): times and the
 * read-only attribute, end of file and allocation, rename and hard links,
 * delete disposition, position and mode of an open, and the owner and
 * group of a file.
 */
#include "server.h"

#include <linux/cred.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uidgid.h>
#include <linux/unaligned.h>
#include <linux/user_namespace.h>
#include "../common/smbacl.h"
#include "connection.h"
#include "file.h"
#include "fileinfo.h"
#include "misc.h"
#include "smb2.h"
#include "tree.h"
#include "vfs.h"
#include "work.h"

/* FileAttributes bits SET_INFO interprets */
#define SMBS_ATTR_READONLY	0x00000001
#define SMBS_ATTR_DIRECTORY	0x00000010
#define SMBS_ATTR_TEMPORARY	0x00000100

/* Change attributes of an open file, as its tree's user. */
static int smbs_si_setattr(struct file *filp, struct iattr *ia)
{
	struct dentry *dentry = filp->f_path.dentry;
	struct inode *inode = d_inode(dentry);
	int err;

	err = mnt_want_write(filp->f_path.mnt);
	if (err)
		return err;
	inode_lock(inode);
	err = notify_change(mnt_idmap(filp->f_path.mnt), dentry, ia, NULL);
	inode_unlock(inode);
	mnt_drop_write(filp->f_path.mnt);
	return err;
}

static __le32 smbs_si_errno(int err)
{
	switch (err) {
	case 0:
		return STATUS_SUCCESS;
	case -EEXIST:
		return STATUS_OBJECT_NAME_COLLISION;
	case -EXDEV:
		return STATUS_NOT_SAME_DEVICE;
	case -EACCES:
	case -EPERM:
		return STATUS_ACCESS_DENIED;
	}
	return smbs_errno_status(err);
}

/*
 * Times of FileBasicInformation: 0 leaves a time alone, -1 and -2 (stop
 * and resume automatic updates) are taken as 0, anything else negative is
 * invalid. Creation and change times cannot be set on Linux and are
 * accepted without effect.
 */
static bool smbs_si_time(__le64 v, struct timespec64 *ts)
{
	s64 t = (s64)le64_to_cpu(v);

	if (t > 0)
		*ts = smbs_nt_to_time(t);
	return t > 0;
}

/* READONLY maps to the write bits; the other attributes are accepted. */
static __le32 smbs_si_readonly(struct smbs_file *fp, u32 attrs,
			       struct iattr *ia)
{
	struct smbs_tree *tree = fp->tree;
	struct kstat st;
	bool cur, want;
	umode_t mode;
	int err;

	if (!attrs || fp->is_dir)	/* a directory's READONLY is a hint */
		return STATUS_SUCCESS;
	err = smbs_vfs_getattr(&fp->filp->f_path, &st);
	if (err)
		return smbs_errno_status(err);
	cur = smbs_vfs_dos_attrs(tree, &fp->filp->f_path, &st) &
	      FILE_ATTRIBUTE_READONLY_LE;
	want = attrs & SMBS_ATTR_READONLY;
	if (cur == want)
		return STATUS_SUCCESS;
	if (want)
		mode = st.mode & ~0222;
	else
		mode = st.mode | 0200 |
		       ((tree->create_mask | tree->force_create_mode) & 0222);
	ia->ia_mode = mode;
	ia->ia_valid |= ATTR_MODE;
	return STATUS_SUCCESS;
}

static __le32 smbs_si_basic(struct smbs_file *fp, const struct smbs_buf *b)
{
	const struct smbs_basic_info *in = (const void *)b->ptr;
	const __le64 times[] = { in->creation_time, in->last_access_time,
				 in->last_write_time, in->change_time };
	u32 attrs = le32_to_cpu(in->file_attributes);
	struct iattr ia = {};
	__le32 status;
	int i;

	for (i = 0; i < ARRAY_SIZE(times); i++)
		if ((s64)le64_to_cpu(times[i]) < -2)
			return STATUS_INVALID_PARAMETER;
	if (((attrs & SMBS_ATTR_DIRECTORY) && !fp->is_dir) ||
	    ((attrs & SMBS_ATTR_TEMPORARY) && fp->is_dir))
		return STATUS_INVALID_PARAMETER;

	if (smbs_si_time(in->last_access_time, &ia.ia_atime))
		ia.ia_valid |= ATTR_ATIME | ATTR_ATIME_SET;
	if (smbs_si_time(in->last_write_time, &ia.ia_mtime))
		ia.ia_valid |= ATTR_MTIME | ATTR_MTIME_SET;
	status = smbs_si_readonly(fp, attrs, &ia);
	if (status != STATUS_SUCCESS || !ia.ia_valid)
		return status;
	ia.ia_valid |= ATTR_CTIME;
	return smbs_si_errno(smbs_si_setattr(fp->filp, &ia));
}

static __le32 smbs_si_eof(struct smbs_file *fp, const struct smbs_buf *b)
{
	s64 eof = (s64)get_unaligned_le64(b->ptr);

	if (fp->is_dir || eof < 0)
		return STATUS_INVALID_PARAMETER;
	return smbs_si_errno(vfs_truncate(&fp->filp->f_path, eof));
}

/*
 * Allocation below the end of file truncates; above what is allocated it
 * reserves blocks without changing the size, where the file system can.
 */
static __le32 smbs_si_allocation(struct smbs_file *fp,
				 const struct smbs_buf *b)
{
	s64 alloc = (s64)get_unaligned_le64(b->ptr);
	struct kstat st;
	int err;

	if (fp->is_dir || alloc < 0)
		return STATUS_INVALID_PARAMETER;
	err = smbs_vfs_getattr(&fp->filp->f_path, &st);
	if (err)
		return smbs_errno_status(err);
	if (alloc < st.size) {
		err = vfs_truncate(&fp->filp->f_path, alloc);
	} else if (alloc > (s64)(st.blocks << 9)) {
		err = vfs_fallocate(fp->filp, FALLOC_FL_KEEP_SIZE, 0, alloc);
		if (err == -EOPNOTSUPP)
			err = 0;
	}
	return smbs_si_errno(err);
}

/* The target name of a rename or link: share-relative, not the root. */
static __le32 smbs_si_target(const struct smbs_buf *b, bool *replace,
			     char **out)
{
	const struct smb2_file_rename_info *ri;
	struct smbs_buf name;
	char *path;
	int len;

	ri = smbs_buf_at(b, 0, sizeof(*ri));
	if (!ri)
		return STATUS_INFO_LENGTH_MISMATCH;
	if (ri->RootDirectory)
		return STATUS_INVALID_PARAMETER;
	if (!smbs_buf_sub(b, sizeof(*ri), le32_to_cpu(ri->FileNameLength),
			  &name) || !name.len)
		return STATUS_INVALID_PARAMETER;
	len = smbs_utf16_to_utf8(name.ptr, name.len, &path);
	if (len == -ENOMEM)
		return STATUS_NO_MEMORY;
	if (len < 0)
		return STATUS_OBJECT_NAME_INVALID;
	if (smbs_share_path(path) || !path[0]) {
		kfree(path);
		return STATUS_OBJECT_NAME_INVALID;
	}
	*replace = ri->ReplaceIfExists;
	*out = path;
	return STATUS_SUCCESS;
}

/* FileRenameInformation and FileLinkInformation. */
static __le32 smbs_si_rename(struct smbs_file *fp, const struct smbs_buf *b,
			     bool link)
{
	bool replace;
	char *path;
	__le32 status;
	int err;

	status = smbs_si_target(b, &replace, &path);
	if (status != STATUS_SUCCESS)
		return status;
	if (link && fp->is_dir) {
		kfree(path);
		return STATUS_FILE_IS_A_DIRECTORY;
	}

	/* the lock keeps fp->path stable and renames of one open in order */
	mutex_lock(&fp->lock);
	if (!fp->path[0])
		err = -EACCES;	/* the share root keeps its name */
	else if (!link && fp->is_dir &&
		 smbs_share_open_below(fp->filp->f_path.dentry))
		err = -EACCES;	/* so does a directory with opens below */
	else if (link)
		err = smbs_vfs_may_link(&fp->filp->f_path) ?:
		      smbs_vfs_link_open(fp->tree, fp->filp, path, replace);
	else
		err = smbs_vfs_rename_open(fp->tree, fp->filp, path, replace);
	if (!err && !link)
		swap(fp->path, path);
	mutex_unlock(&fp->lock);
	kfree(path);
	if (err)
		smbs_dbg(VFS, "%s failed: %d\n", link ? "link" : "rename", err);
	return smbs_si_errno(err);
}

/*
 * FileDispositionInformation(Ex): make the file delete-pending, or not any
 * more; the close of its last open removes it. Read-only files and
 * non-empty directories refuse.
 */
static __le32 smbs_si_disposition(struct smbs_file *fp, bool pending,
				  bool ignore_ro)
{
	const struct path *path = &fp->filp->f_path;
	struct kstat st;
	bool root;
	int err;

	mutex_lock(&fp->lock);
	root = !fp->path[0];
	mutex_unlock(&fp->lock);
	if (pending && root)
		return STATUS_CANNOT_DELETE;
	if (pending && !fp->is_dir && !ignore_ro) {
		err = smbs_vfs_getattr(path, &st);
		if (err)
			return smbs_errno_status(err);
		if (smbs_vfs_dos_attrs(fp->tree, path, &st) &
		    FILE_ATTRIBUTE_READONLY_LE)
			return STATUS_CANNOT_DELETE;
	}
	/* unreadable directories are left to CLOSE to find out */
	if (pending && fp->is_dir && smbs_dir_empty(path) == 0)
		return STATUS_DIRECTORY_NOT_EMPTY;

	/* The file's state, seen by all its opens (MS-FSA 2.1.5.14.3). */
	smbs_share_set_delete_pending(&fp->share, pending);
	return STATUS_SUCCESS;
}

/* Nothing reads a position back (QUERY_INFO reports 0), so only check it. */
static __le32 smbs_si_position(struct smbs_file *fp, const struct smbs_buf *b)
{
	s64 pos = (s64)get_unaligned_le64(b->ptr);

	if (pos < 0)
		return STATUS_INVALID_PARAMETER;
	if ((fp->create_options & SMBS_MODE_NO_BUFFERING) && (pos & 511))
		return STATUS_INVALID_PARAMETER;
	return STATUS_SUCCESS;
}

/* FileModeInformation (MS-FSA 2.1.5.15.7): kept in fp->create_options. */
static __le32 smbs_si_mode(struct smbs_file *fp, const struct smbs_buf *b)
{
	u32 sync = SMBS_MODE_SYNC_ALERT | SMBS_MODE_SYNC_NONALERT;
	u32 hints = SMBS_MODE_WRITE_THROUGH | SMBS_MODE_SEQUENTIAL_ONLY;
	u32 mode = get_unaligned_le32(b->ptr);
	__le32 status = STATUS_SUCCESS;
	u32 opts;

	if ((mode & ~(hints | sync)) || (mode & sync) == sync)
		return STATUS_INVALID_PARAMETER;

	mutex_lock(&fp->lock);
	opts = fp->create_options;
	if (!(mode & sync) != !(opts & sync)) {
		status = STATUS_INVALID_PARAMETER;
	} else {
		if (opts & SMBS_MODE_NO_BUFFERING)
			hints &= ~SMBS_MODE_WRITE_THROUGH;
		opts = (opts & ~(hints | sync)) | (mode & (hints | sync));
		fp->create_options = opts;
	}
	mutex_unlock(&fp->lock);
	return status;
}

/**
 * struct smbs_si_class - what a settable file information class needs
 * @class: FileInfoClass
 * @size: smallest valid buffer
 * @access: access the open must have (MS-SMB2 3.3.5.21.1, MS-FSA 2.1.5.15),
 *	0 for none
 * @modifies: changes the file system (refused on read-only shares)
 *
 * A rename needs DELETE (MS-FSA 2.1.5.15.11). A hard link needs
 * FILE_WRITE_ATTRIBUTES: MS-FSA 2.1.5.15.6 checks only the directory of
 * the new name, but a link changes the file's link count and change time,
 * and Windows' CreateHardLink() opens the source for FILE_WRITE_ATTRIBUTES;
 * a handle opened to read attributes must not pin a file elsewhere.
 */
struct smbs_si_class {
	u8 class;
	u8 size;
	__le32 access;
	bool modifies;
};

static const struct smbs_si_class smbs_si_classes[] = {
	{ FILE_BASIC_INFORMATION, sizeof(struct smbs_basic_info),
	  FILE_WRITE_ATTRIBUTES_LE, true },
	{ FILE_END_OF_FILE_INFORMATION, sizeof(struct smb2_file_eof_info),
	  FILE_WRITE_DATA_LE, true },
	{ FILE_ALLOCATION_INFORMATION, sizeof(struct smbs_allocation_info),
	  FILE_WRITE_DATA_LE, true },
	{ FILE_RENAME_INFORMATION, sizeof(struct smb2_file_rename_info),
	  FILE_DELETE_LE, true },
	{ FILE_LINK_INFORMATION, sizeof(struct smb2_file_link_info),
	  FILE_WRITE_ATTRIBUTES_LE, true },
	{ FILE_DISPOSITION_INFORMATION, 1, FILE_DELETE_LE, true },
	{ SMBS_FILE_DISPOSITION_INFORMATION_EX, sizeof(__le32),
	  FILE_DELETE_LE, true },
	{ FILE_POSITION_INFORMATION, sizeof(struct smbs_position_info), 0,
	  false },
	{ FILE_MODE_INFORMATION, sizeof(__le32), 0, false },
	{ FILE_FULL_EA_INFORMATION, 0, FILE_WRITE_EA_LE, true },
};

/*
 * Settable classes MS-FSCC documents that are not served fail with
 * STATUS_NOT_SUPPORTED, others with STATUS_INVALID_INFO_CLASS (MS-SMB2
 * 3.3.5.21.1).
 */
static __le32 smbs_si_unknown(u8 class)
{
	switch (class) {
	case FILE_PIPE_INFORMATION:
	case FILE_MAILSLOT_SET_INFORMATION:
	case FILE_OBJECT_ID_INFORMATION:
	case FILE_MOVE_CLUSTER_INFORMATION:
	case FILE_QUOTA_INFORMATION:
	case FILE_TRACKING_INFORMATION:
	case FILE_VALID_DATA_LENGTH_INFORMATION:
	case FILE_SHORT_NAME_INFORMATION:
	case FILE_SFIO_RESERVE_INFORMATION:
		return STATUS_NOT_SUPPORTED;
	}
	return STATUS_INVALID_INFO_CLASS;
}

static __le32 smbs_si_file(struct smbs_file *fp, u8 class,
			   const struct smbs_buf *b)
{
	const struct smbs_si_class *c = NULL;
	u32 flags;
	int i;

	for (i = 0; i < ARRAY_SIZE(smbs_si_classes); i++)
		if (smbs_si_classes[i].class == class)
			c = &smbs_si_classes[i];
	if (!c)
		return smbs_si_unknown(class);
	if (smbs_file_is_pipe(fp))
		return STATUS_NOT_SUPPORTED;
	if (c->access && !smbs_fp_granted(fp, c->access))
		return STATUS_ACCESS_DENIED;
	if (b->len < c->size)
		return STATUS_INFO_LENGTH_MISMATCH;
	if (c->modifies && !smbs_tree_writable(fp->tree))
		return STATUS_ACCESS_DENIED;

	switch (class) {
	case FILE_BASIC_INFORMATION:
		return smbs_si_basic(fp, b);
	case FILE_END_OF_FILE_INFORMATION:
		return smbs_si_eof(fp, b);
	case FILE_ALLOCATION_INFORMATION:
		return smbs_si_allocation(fp, b);
	case FILE_RENAME_INFORMATION:
		return smbs_si_rename(fp, b, false);
	case FILE_LINK_INFORMATION:
		return smbs_si_rename(fp, b, true);
	case FILE_DISPOSITION_INFORMATION:
		return smbs_si_disposition(fp, b->ptr[0], false);
	case SMBS_FILE_DISPOSITION_INFORMATION_EX:
		flags = get_unaligned_le32(b->ptr);
		return smbs_si_disposition(fp, flags & SMBS_DISPOSITION_DELETE,
				flags & SMBS_DISPOSITION_IGNORE_READONLY);
	case FILE_POSITION_INFORMATION:
		return smbs_si_position(fp, b);
	case FILE_MODE_INFORMATION:
		return smbs_si_mode(fp, b);
	}
	return STATUS_EAS_NOT_SUPPORTED;	/* FileFullEaInformation */
}

/*
 * A SID of the form S-1-22-@kind-<id> at @off of a security descriptor.
 * Return: 0, -EINVAL for a malformed SID, -ENOENT for any other SID.
 */
static int smbs_si_sid(const struct smbs_buf *b, u32 off, u32 kind, u32 *id)
{
	static const u8 unix_auth[NUM_AUTHS] = { 0, 0, 0, 0, 0, 22 };
	const struct smb_sid *sid;
	const u8 *p;

	p = smbs_buf_at(b, off, CIFS_SID_BASE_SIZE);
	if (!off || !p || p[0] != 1)
		return -EINVAL;
	if (!smbs_buf_at(b, off, CIFS_SID_BASE_SIZE + p[1] * sizeof(__le32)))
		return -EINVAL;
	sid = (const struct smb_sid *)p;
	if (sid->num_subauth != 2 || memcmp(sid->authority, unix_auth,
					    NUM_AUTHS) ||
	    le32_to_cpu(sid->sub_auth[0]) != kind)
		return -ENOENT;
	*id = le32_to_cpu(sid->sub_auth[1]);
	return 0;
}

/* New owner and group from the descriptor, where they change. */
static __le32 smbs_si_owner(struct smbs_file *fp, u32 secinfo,
			    const struct smbs_buf *b, struct iattr *ia)
{
	const struct smb_ntsd *sd = smbs_buf_at(b, 0, sizeof(*sd));
	struct kstat st;
	kuid_t uid;
	kgid_t gid;
	u32 id;
	int err;

	if (!sd || (le16_to_cpu(sd->revision) & 0xff) != 1 ||
	    !(le16_to_cpu(sd->type) & SMBS_SD_SELF_RELATIVE))
		return STATUS_INVALID_SECURITY_DESCR;
	err = smbs_vfs_getattr(&fp->filp->f_path, &st);
	if (err)
		return smbs_errno_status(err);
	if (secinfo & OWNER_SECINFO) {
		err = smbs_si_sid(b, le32_to_cpu(sd->osidoffset), 1, &id);
		if (err)
			return err == -ENOENT ? STATUS_INVALID_OWNER :
						STATUS_INVALID_SECURITY_DESCR;
		uid = make_kuid(&init_user_ns, id);
		if (!uid_valid(uid))
			return STATUS_INVALID_OWNER;
		if (!uid_eq(uid, st.uid)) {
			ia->ia_vfsuid = VFSUIDT_INIT(uid);
			ia->ia_valid |= ATTR_UID;
		}
	}
	if (secinfo & GROUP_SECINFO) {
		err = smbs_si_sid(b, le32_to_cpu(sd->gsidoffset), 2, &id);
		if (err)
			return err == -ENOENT ? STATUS_INVALID_PRIMARY_GROUP :
						STATUS_INVALID_SECURITY_DESCR;
		gid = make_kgid(&init_user_ns, id);
		if (!gid_valid(gid))
			return STATUS_INVALID_PRIMARY_GROUP;
		if (!gid_eq(gid, st.gid)) {
			ia->ia_vfsgid = VFSGIDT_INIT(gid);
			ia->ia_valid |= ATTR_GID;
		}
	}
	return STATUS_SUCCESS;
}

/*
 * SMB2_0_INFO_SECURITY (MS-SMB2 3.3.5.21.3). Only the owner and group can
 * change, and only to Unix SIDs (S-1-22-1-uid, S-1-22-2-gid) as QUERY_INFO
 * reports them; ACLs are not stored, so setting one is not supported.
 */
static __le32 smbs_si_security(struct smbs_file *fp, u32 secinfo,
			       const struct smbs_buf *b)
{
	u32 ids = OWNER_SECINFO | GROUP_SECINFO;
	struct iattr ia = {};
	__le32 status;

	if ((secinfo & SACL_SECINFO) &&
	    !smbs_fp_granted(fp, FILE_ACCESS_SYSTEM_SECURITY_LE))
		return STATUS_ACCESS_DENIED;
	if ((secinfo & DACL_SECINFO) && !smbs_fp_granted(fp, FILE_WRITE_DAC_LE))
		return STATUS_ACCESS_DENIED;
	if ((secinfo & (ids | LABEL_SECINFO)) &&
	    !smbs_fp_granted(fp, FILE_WRITE_OWNER_LE))
		return STATUS_ACCESS_DENIED;
	if (smbs_file_is_pipe(fp) ||
	    (secinfo & (DACL_SECINFO | SACL_SECINFO | LABEL_SECINFO |
			ATTRIBUTE_SECINFO | SCOPE_SECINFO)))
		return STATUS_NOT_SUPPORTED;
	if (!(secinfo & ids))
		return STATUS_SUCCESS;
	if (!smbs_tree_writable(fp->tree))
		return STATUS_ACCESS_DENIED;

	status = smbs_si_owner(fp, secinfo, b, &ia);
	if (status != STATUS_SUCCESS || !ia.ia_valid)
		return status;
	ia.ia_valid |= ATTR_CTIME;
	if (!fp->is_dir)
		ia.ia_valid |= ATTR_KILL_SUID | ATTR_KILL_SGID | ATTR_KILL_PRIV;
	return smbs_si_errno(smbs_si_setattr(fp->filp, &ia));
}

/**
 * smbs_set_info - SMB2 SET_INFO
 * @w: the work
 *
 * Return: STATUS_SUCCESS or an error.
 */
__le32 smbs_set_info(struct smbs_work *w)
{
	const struct smb2_set_info_req *req =
		(const struct smb2_set_info_req *)w->pdu.hdr;
	const struct smbs_buf *b = &w->pdu.var[SMBS_VAR_SINFO_BUF];
	u32 secinfo = le32_to_cpu(req->AdditionalInformation);
	struct smb2_set_info_rsp *rsp;
	struct smbs_file *fp;
	__le32 status;

	fp = smbs_file_lookup(w, req->PersistentFileId, req->VolatileFileId);
	if (!fp)
		return STATUS_FILE_CLOSED;
	switch (req->InfoType) {
	case SMB2_O_INFO_FILE:
		status = smbs_si_file(fp, req->FileInfoClass, b);
		break;
	case SMB2_O_INFO_SECURITY:
		status = smbs_si_security(fp, secinfo, b);
		break;
	case SMB2_O_INFO_FILESYSTEM:
	case SMB2_O_INFO_QUOTA:
		status = STATUS_NOT_SUPPORTED;
		break;
	default:
		status = STATUS_INVALID_PARAMETER;
		break;
	}
	smbs_file_put(fp);
	if (status == STATUS_SUCCESS) {
		rsp = smbs_rsp_body(w, sizeof(*rsp));
		rsp->StructureSize = cpu_to_le16(2);
	}
	return status;
}
