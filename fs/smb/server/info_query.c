// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMB2 QUERY_INFO (MS-SMB2 3.3.5.20): file information (MS-FSCC 2.4),
 * file system information (MS-FSCC 2.5) and security descriptors.
 *
 * Each class is built into a buffer first, then copied into the response:
 * a fixed-size class that does not fit OutputBufferLength fails with
 * STATUS_INFO_LENGTH_MISMATCH, a variable one is cut with
 * STATUS_BUFFER_OVERFLOW once its fixed part fits.
 */
#include "server.h"

#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/uuid.h>
#include "connection.h"
#include "file.h"
#include "fileinfo.h"
#include "misc.h"
#include "pipe.h"
#include "smb2.h"
#include "tree.h"
#include "vfs.h"
#include "work.h"

#define SMBS_QI_LOCAL	128	/* room for every fixed-size class */

/**
 * struct smbs_qi - one QUERY_INFO request at work
 * @w: the work
 * @fp: the open
 * @st: the file's attributes (not for pipes)
 * @attrs: its DOS attributes
 * @buf: the information: @local or allocated
 * @len: its length
 * @min: the fixed part; a smaller OutputBufferLength is an error
 * @local: buffer for the fixed-size classes
 */
struct smbs_qi {
	struct smbs_work *w;
	struct smbs_file *fp;
	struct kstat st;
	__le32 attrs;
	u8 *buf;
	u32 len;
	u32 min;
	u8 local[SMBS_QI_LOCAL] __aligned(8);
};

/* Start a fixed-size class. */
static void *smbs_qi_fixed(struct smbs_qi *q, u32 size)
{
	memset(q->local, 0, size);
	q->buf = q->local;
	q->len = size;
	q->min = size;
	return q->buf;
}

/*
 * Start a class of @size bytes that ends in a name or a list. Windows
 * sizes these structures with a one-character name, aligned: with less
 * room than that (@min) a query fails, with more it is cut.
 */
static void *smbs_qi_var(struct smbs_qi *q, u32 size, u32 min)
{
	if (size <= SMBS_QI_LOCAL) {
		smbs_qi_fixed(q, size);
	} else {
		q->buf = kzalloc(size, GFP_KERNEL);
		if (!q->buf)
			return NULL;
		q->len = size;
	}
	q->min = min;
	return q->buf;
}

/* The size Windows gives a structure of @fixed bytes plus a name. */
#define SMBS_QI_MIN(fixed, align)	ALIGN((fixed) + sizeof(__le16), align)

static void smbs_qi_release(struct smbs_qi *q)
{
	if (q->buf != q->local)
		kfree(q->buf);
	q->buf = NULL;
}

/* Copy the information into the response, as much as the client takes. */
static __le32 smbs_qi_reply(struct smbs_qi *q, u32 out_len)
{
	struct smbs_work *w = q->w;
	struct smb2_query_info_rsp *rsp;
	u32 n = min(q->len, out_len);
	u8 *p;

	if (out_len < q->min)
		return smbs_info_error(w, STATUS_INFO_LENGTH_MISMATCH, NULL, 0);
	if (smbs_rsp_room(w) < sizeof(*rsp) - sizeof(struct smb2_hdr) + n)
		return STATUS_INSUFFICIENT_RESOURCES;
	rsp = smbs_rsp_body(w, sizeof(*rsp));
	rsp->StructureSize = cpu_to_le16(9);
	rsp->OutputBufferOffset = cpu_to_le16(sizeof(*rsp));
	if (n) {
		p = smbs_rsp_append(w, n);
		if (!p)
			return STATUS_INSUFFICIENT_RESOURCES;
		memcpy(p, q->buf, n);
		rsp->OutputBufferOffset = cpu_to_le16(smbs_rsp_offset(w, p));
	}
	rsp->OutputBufferLength = cpu_to_le32(n);
	return n < q->len ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

/* The four times of FileBasicInformation and its relatives. */
static void smbs_qi_times(const struct kstat *st, __le64 *t)
{
	t[0] = cpu_to_le64(smbs_time_to_nt(smbs_vfs_create_time(st)));
	t[1] = cpu_to_le64(smbs_time_to_nt(st->atime));
	t[2] = cpu_to_le64(smbs_time_to_nt(st->mtime));
	t[3] = cpu_to_le64(smbs_time_to_nt(st->ctime));
}

static bool smbs_qi_delete_pending(struct smbs_file *fp)
{
	bool pending;

	mutex_lock(&fp->lock);
	pending = fp->delete_on_close;
	mutex_unlock(&fp->lock);
	return pending || smbs_share_delete_pending(&fp->share);
}

static u32 smbs_qi_mode(struct smbs_file *fp)
{
	u32 mode;

	mutex_lock(&fp->lock);
	mode = fp->create_options & SMBS_MODE_QUERY_MASK;
	mutex_unlock(&fp->lock);
	return mode;
}

/* The open's path in the client's form; copied under the lock, as a
 * rename may replace it.
 */
static int smbs_qi_path(struct smbs_file *fp, bool lead, u8 **out, u32 *len)
{
	char *path;
	int err;

	mutex_lock(&fp->lock);
	path = kstrdup(fp->path, GFP_KERNEL);
	mutex_unlock(&fp->lock);
	if (!path)
		return -ENOMEM;
	err = smbs_path_to_utf16(path, lead, out, len);
	kfree(path);
	return err;
}

static void smbs_qi_basic(struct smbs_qi *q)
{
	struct smbs_basic_info *b = smbs_qi_fixed(q, sizeof(*b));

	smbs_qi_times(&q->st, &b->creation_time);
	b->file_attributes = q->attrs;
}

static void smbs_qi_standard(struct smbs_qi *q)
{
	struct smbs_standard_info *s = smbs_qi_fixed(q, sizeof(*s));

	if (smbs_file_is_pipe(q->fp)) {
		smbs_pipe_standard_info(s);
		return;
	}
	s->allocation_size = cpu_to_le64(smbs_vfs_alloc_size(&q->st));
	s->end_of_file = cpu_to_le64(smbs_vfs_end_of_file(&q->st));
	s->number_of_links = cpu_to_le32(q->st.nlink);
	s->delete_pending = smbs_qi_delete_pending(q->fp);
	s->directory = S_ISDIR(q->st.mode);
}

static __le32 smbs_qi_all(struct smbs_qi *q)
{
	u32 fixed = offsetof(struct smb2_file_all_info, FileName);
	struct smb2_file_all_info *a;
	u8 *name;
	u32 len;
	int err;

	err = smbs_qi_path(q->fp, true, &name, &len);
	if (err)
		return smbs_errno_status(err);
	a = smbs_qi_var(q, fixed + len, SMBS_QI_MIN(fixed, 8));
	if (!a) {
		kfree(name);
		return STATUS_NO_MEMORY;
	}
	smbs_qi_times(&q->st, &a->CreationTime);
	a->Attributes = q->attrs;
	a->AllocationSize = cpu_to_le64(smbs_vfs_alloc_size(&q->st));
	a->EndOfFile = cpu_to_le64(smbs_vfs_end_of_file(&q->st));
	a->NumberOfLinks = cpu_to_le32(q->st.nlink);
	a->DeletePending = smbs_qi_delete_pending(q->fp);
	a->Directory = S_ISDIR(q->st.mode);
	a->IndexNumber = cpu_to_le64(q->st.ino);
	a->AccessFlags = cpu_to_le32(q->fp->access);
	a->Mode = cpu_to_le32(smbs_qi_mode(q->fp));
	a->FileNameLength = cpu_to_le32(len);
	memcpy(q->buf + fixed, name, len);
	kfree(name);
	return STATUS_SUCCESS;
}

/* FileNormalizedNameInformation: the share-relative path (3.1.1). */
static __le32 smbs_qi_normalized(struct smbs_qi *q)
{
	struct smbs_name_info *n;
	u8 *name;
	u32 len;
	int err;

	if (q->w->conn->dialect < SMB311_PROT_ID)
		return STATUS_NOT_SUPPORTED;
	err = smbs_qi_path(q->fp, false, &name, &len);
	if (err)
		return smbs_errno_status(err);
	n = smbs_qi_var(q, sizeof(*n) + len, SMBS_QI_MIN(sizeof(*n), 4));
	if (n) {
		n->file_name_length = cpu_to_le32(len);
		memcpy(n + 1, name, len);
	}
	kfree(name);
	return n ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}

/* One unnamed data stream for a file, none for a directory. */
static void smbs_qi_stream(struct smbs_qi *q)
{
	static const char data[] = "::$DATA";
	struct smbs_stream_info *s;
	u8 *name;
	int i;

	if (S_ISDIR(q->st.mode)) {
		smbs_qi_var(q, 0, SMBS_QI_MIN(sizeof(*s), 8));
		return;
	}
	s = smbs_qi_var(q, sizeof(*s) + 2 * (sizeof(data) - 1),
			SMBS_QI_MIN(sizeof(*s), 8));
	if (!s)
		return;
	s->stream_name_length = cpu_to_le32(2 * (sizeof(data) - 1));
	s->stream_size = cpu_to_le64(q->st.size);
	s->stream_allocation_size = cpu_to_le64(smbs_vfs_alloc_size(&q->st));
	name = (u8 *)(s + 1);
	for (i = 0; i < sizeof(data) - 1; i++)
		put_unaligned_le16(data[i], name + 2 * i);
}

static void smbs_qi_network_open(struct smbs_qi *q)
{
	struct smbs_network_open_info *n = smbs_qi_fixed(q, sizeof(*n));

	smbs_qi_times(&q->st, &n->creation_time);
	n->allocation_size = cpu_to_le64(smbs_vfs_alloc_size(&q->st));
	n->end_of_file = cpu_to_le64(smbs_vfs_end_of_file(&q->st));
	n->file_attributes = q->attrs;
}

static u32 smbs_volume_serial(const struct super_block *sb)
{
	if (!uuid_is_null(&sb->s_uuid))
		return get_unaligned_le32(sb->s_uuid.b) ^
		       get_unaligned_le32(sb->s_uuid.b + 12);
	return new_encode_dev(sb->s_dev);
}

static void smbs_qi_file_id(struct smbs_qi *q)
{
	struct smbs_id_info *id = smbs_qi_fixed(q, sizeof(*id));

	id->volume_serial_number =
		cpu_to_le64(smbs_volume_serial(q->fp->filp->f_path.mnt->mnt_sb));
	put_unaligned_le64(q->st.ino, id->file_id);
}

/* Classes that need no stat; false if @class is not one of them. */
static bool smbs_qi_simple(struct smbs_qi *q, u8 class)
{
	switch (class) {
	case FILE_EA_INFORMATION:
		smbs_qi_fixed(q, sizeof(__le32));
		return true;
	case FILE_ACCESS_INFORMATION:
		put_unaligned_le32(q->fp->access,
				   smbs_qi_fixed(q, sizeof(__le32)));
		return true;
	case FILE_POSITION_INFORMATION:	/* MS-SMB2: always zero */
		smbs_qi_fixed(q, sizeof(struct smbs_position_info));
		return true;
	case FILE_MODE_INFORMATION:
		put_unaligned_le32(smbs_qi_mode(q->fp),
				   smbs_qi_fixed(q, sizeof(__le32)));
		return true;
	case FILE_ALIGNMENT_INFORMATION:	/* byte aligned */
		smbs_qi_fixed(q, sizeof(__le32));
		return true;
	case FILE_STANDARD_INFORMATION:
		if (!smbs_file_is_pipe(q->fp))
			return false;
		smbs_qi_standard(q);
		return true;
	}
	return false;
}

/* Classes built from the file's attributes. */
static bool smbs_qi_needs_stat(u8 class)
{
	switch (class) {
	case FILE_BASIC_INFORMATION:
	case FILE_STANDARD_INFORMATION:
	case FILE_INTERNAL_INFORMATION:
	case FILE_ALL_INFORMATION:
	case FILE_STREAM_INFORMATION:
	case FILE_COMPRESSION_INFORMATION:
	case FILE_NETWORK_OPEN_INFORMATION:
	case FILE_ATTRIBUTE_TAG_INFORMATION:
	case FILE_NORMALIZED_NAME_INFORMATION:
	case FILE_ID_INFORMATION:
		return true;
	}
	return false;
}

static __le32 smbs_qi_stat_class(struct smbs_qi *q, u8 class)
{
	struct smbs_compression_info *c;
	struct smbs_attr_tag_info *t;

	switch (class) {
	case FILE_BASIC_INFORMATION:
		smbs_qi_basic(q);
		break;
	case FILE_STANDARD_INFORMATION:
		smbs_qi_standard(q);
		break;
	case FILE_INTERNAL_INFORMATION:
		put_unaligned_le64(q->st.ino, smbs_qi_fixed(q, sizeof(__le64)));
		break;
	case FILE_ALL_INFORMATION:
		return smbs_qi_all(q);
	case FILE_STREAM_INFORMATION:
		smbs_qi_stream(q);
		return q->buf ? STATUS_SUCCESS : STATUS_NO_MEMORY;
	case FILE_COMPRESSION_INFORMATION:
		c = smbs_qi_fixed(q, sizeof(*c));
		c->compressed_file_size =
			cpu_to_le64(smbs_vfs_end_of_file(&q->st));
		break;
	case FILE_NETWORK_OPEN_INFORMATION:
		smbs_qi_network_open(q);
		break;
	case FILE_ATTRIBUTE_TAG_INFORMATION:
		t = smbs_qi_fixed(q, sizeof(*t));
		t->file_attributes = q->attrs;
		break;
	case FILE_NORMALIZED_NAME_INFORMATION:
		return smbs_qi_normalized(q);
	case FILE_ID_INFORMATION:
		if (q->w->conn->dialect < SMB30_PROT_ID)
			return STATUS_NOT_SUPPORTED;
		smbs_qi_file_id(q);
		break;
	}
	return STATUS_SUCCESS;
}

/*
 * Classes MS-FSCC documents for queries that are not served fail with
 * STATUS_NOT_SUPPORTED, anything else with STATUS_INVALID_INFO_CLASS
 * (MS-SMB2 3.3.5.20.1).
 */
static __le32 smbs_qi_unknown(u8 class)
{
	switch (class) {
	case FILE_NAME_INFORMATION:
	case FILE_PIPE_INFORMATION:
	case FILE_PIPE_LOCAL_INFORMATION:
	case FILE_PIPE_REMOTE_INFORMATION:
	case FILE_MAILSLOT_QUERY_INFORMATION:
	case FILE_OBJECT_ID_INFORMATION:
	case FILE_QUOTA_INFORMATION:
	case FILE_REPARSE_POINT_INFORMATION:
	case FILE_HARD_LINK_INFORMATION:
	case FILE_STANDARD_LINK_INFORMATION:
		return STATUS_NOT_SUPPORTED;
	}
	return STATUS_INVALID_INFO_CLASS;
}

/* Access each class needs (MS-SMB2 3.3.5.20.1). */
static bool smbs_qi_file_access(struct smbs_file *fp, u8 class)
{
	switch (class) {
	case FILE_BASIC_INFORMATION:
	case FILE_ALL_INFORMATION:
	case FILE_NETWORK_OPEN_INFORMATION:
	case FILE_ATTRIBUTE_TAG_INFORMATION:
		return smbs_fp_granted(fp, FILE_READ_ATTRIBUTES_LE);
	case FILE_FULL_EA_INFORMATION:
		return smbs_fp_granted(fp, FILE_READ_EA_LE);
	}
	return true;
}

static __le32 smbs_qi_file(struct smbs_qi *q, u8 class)
{
	struct smbs_file *fp = q->fp;
	int err;

	if (!smbs_qi_file_access(fp, class))
		return STATUS_ACCESS_DENIED;
	if (class == FILE_ALTERNATE_NAME_INFORMATION)
		return STATUS_OBJECT_NAME_NOT_FOUND;	/* no 8.3 names */
	if (class == FILE_FULL_EA_INFORMATION)
		return STATUS_NO_EAS_ON_FILE;
	if (smbs_qi_simple(q, class))
		return STATUS_SUCCESS;
	if (!smbs_qi_needs_stat(class))
		return smbs_qi_unknown(class);
	if (smbs_file_is_pipe(fp))
		return STATUS_NOT_SUPPORTED;

	err = smbs_vfs_getattr(&fp->filp->f_path, &q->st);
	if (err)
		return smbs_errno_status(err);
	q->attrs = smbs_vfs_dos_attrs(fp->tree, &fp->filp->f_path, &q->st);
	return smbs_qi_stat_class(q, class);
}

static void smbs_qi_fs_size(struct smbs_qi *q, const struct kstatfs *sfs,
			    bool full)
{
	u64 unit = sfs->f_frsize ?: sfs->f_bsize;
	u32 bps = 512, spu = unit / 512;

	if (!unit || unit % 512) {
		bps = unit ?: 512;
		spu = 1;
	}
	if (full) {
		struct smb2_fs_full_size_info *f = smbs_qi_fixed(q, sizeof(*f));

		f->TotalAllocationUnits = cpu_to_le64(sfs->f_blocks);
		f->CallerAvailableAllocationUnits = cpu_to_le64(sfs->f_bavail);
		f->ActualAvailableAllocationUnits = cpu_to_le64(sfs->f_bfree);
		f->SectorsPerAllocationUnit = cpu_to_le32(spu);
		f->BytesPerSector = cpu_to_le32(bps);
	} else {
		struct smbs_fs_size_info *s = smbs_qi_fixed(q, sizeof(*s));

		s->total_allocation_units = cpu_to_le64(sfs->f_blocks);
		s->available_allocation_units = cpu_to_le64(sfs->f_bavail);
		s->sectors_per_allocation_unit = cpu_to_le32(spu);
		s->bytes_per_sector = cpu_to_le32(bps);
	}
}

/* FileFsVolumeInformation: the share name is the label. */
static __le32 smbs_qi_fs_volume(struct smbs_qi *q, struct super_block *sb)
{
	const char *name = q->fp->tree->name;
	u32 fixed = offsetof(struct smb3_fs_vol_info, VolumeLabel);
	u32 room = 2 * strlen(name);
	struct smb3_fs_vol_info *v;
	int len;

	v = smbs_qi_var(q, fixed + room, SMBS_QI_MIN(fixed, 8));
	if (!v)
		return STATUS_NO_MEMORY;
	len = smbs_utf8_to_utf16(name, strlen(name), v->VolumeLabel, room);
	if (len < 0)
		len = 0;
	q->len = fixed + len;
	put_unaligned_le32(smbs_volume_serial(sb), &v->VolumeSerialNumber);
	v->VolumeLabelLength = cpu_to_le32(len);
	return STATUS_SUCCESS;
}

/* FileFsAttributeInformation: what the share's file system offers. */
static void smbs_qi_fs_attr(struct smbs_qi *q, const struct kstatfs *sfs)
{
	static const char fs_name[] = "NTFS";
	u32 flags = SMBS_FS_CASE_SENSITIVE_SEARCH |
		    SMBS_FS_CASE_PRESERVED_NAMES | SMBS_FS_UNICODE_ON_DISK |
		    SMBS_FS_PERSISTENT_ACLS | SMBS_FS_SUPPORTS_SPARSE_FILES;
	struct smbs_fs_attr_info *a;
	u8 *name;
	int i;

	if (!smbs_tree_writable(q->fp->tree))
		flags |= SMBS_FS_READ_ONLY_VOLUME;
	a = smbs_qi_var(q, sizeof(*a) + 2 * (sizeof(fs_name) - 1),
			SMBS_QI_MIN(sizeof(*a), 4));
	a->file_system_attributes = cpu_to_le32(flags);
	a->maximum_component_name_length =
		cpu_to_le32(clamp_t(long, sfs->f_namelen, 1, 255));
	a->file_system_name_length = cpu_to_le32(2 * (sizeof(fs_name) - 1));
	name = (u8 *)(a + 1);
	for (i = 0; i < sizeof(fs_name) - 1; i++)
		put_unaligned_le16(fs_name[i], name + 2 * i);
}

static void smbs_qi_fs_sector(struct smbs_qi *q, struct super_block *sb)
{
	struct smb3_fs_ss_info *s = smbs_qi_fixed(q, sizeof(*s));
	u32 logical = 512, physical = sb->s_blocksize;

	if (sb->s_bdev) {
		logical = bdev_logical_block_size(sb->s_bdev);
		physical = bdev_physical_block_size(sb->s_bdev);
	}
	s->LogicalBytesPerSector = cpu_to_le32(logical);
	s->PhysicalBytesPerSectorForAtomicity = cpu_to_le32(physical);
	s->PhysicalBytesPerSectorForPerf = cpu_to_le32(physical);
	s->FSEffPhysicalBytesPerSectorForAtomicity = cpu_to_le32(physical);
	s->Flags = cpu_to_le32(SSINFO_FLAGS_ALIGNED_DEVICE |
			       SSINFO_FLAGS_PARTITION_ALIGNED_ON_DEVICE);
}

static void smbs_qi_fs_device(struct smbs_qi *q)
{
	struct smbs_fs_device_info *d = smbs_qi_fixed(q, sizeof(*d));
	u32 chars = FILE_DEVICE_IS_MOUNTED;

	if (smbs_file_is_pipe(q->fp)) {
		d->device_type = cpu_to_le32(FILE_DEVICE_NAMED_PIPE);
		return;
	}
	if (!smbs_tree_writable(q->fp->tree))
		chars |= FILE_READ_ONLY_DEVICE;
	d->device_type = cpu_to_le32(FILE_DEVICE_DISK);
	d->characteristics = cpu_to_le32(chars);
}

/* FileFsControlInformation: quotas are neither tracked nor enforced. */
static void smbs_qi_fs_control(struct smbs_qi *q)
{
	struct smb2_fs_control_info *c = smbs_qi_fixed(q, sizeof(*c));

	c->DefaultQuotaThreshold = cpu_to_le64(U64_MAX);
	c->DefaultQuotaLimit = cpu_to_le64(U64_MAX);
}

/* File system classes (MS-SMB2 3.3.5.20.2) of the volume holding the open. */
static __le32 smbs_qi_fs(struct smbs_qi *q, u8 class)
{
	struct super_block *sb;
	struct smbs_fs_objid_info *o;
	struct kstatfs sfs;
	int err;

	switch (class) {
	case FS_VOLUME_INFORMATION:
	case FS_SIZE_INFORMATION:
	case FS_ATTRIBUTE_INFORMATION:
	case FS_FULL_SIZE_INFORMATION:
	case FS_OBJECT_ID_INFORMATION:
	case FS_SECTOR_SIZE_INFORMATION:
		break;
	case FS_DEVICE_INFORMATION:
		smbs_qi_fs_device(q);
		return STATUS_SUCCESS;
	case FS_CONTROL_INFORMATION:
		smbs_qi_fs_control(q);
		return STATUS_SUCCESS;
	case FS_DRIVER_PATH_INFORMATION:
	case FS_POSIX_INFORMATION:
		return STATUS_NOT_SUPPORTED;
	default:
		return STATUS_INVALID_INFO_CLASS;
	}
	if (smbs_file_is_pipe(q->fp))
		return STATUS_NOT_SUPPORTED;

	sb = q->fp->filp->f_path.mnt->mnt_sb;
	err = vfs_statfs(&q->fp->filp->f_path, &sfs);
	if (err)
		return smbs_errno_status(err);
	switch (class) {
	case FS_VOLUME_INFORMATION:
		return smbs_qi_fs_volume(q, sb);
	case FS_SIZE_INFORMATION:
	case FS_FULL_SIZE_INFORMATION:
		smbs_qi_fs_size(q, &sfs, class == FS_FULL_SIZE_INFORMATION);
		break;
	case FS_ATTRIBUTE_INFORMATION:
		smbs_qi_fs_attr(q, &sfs);
		break;
	case FS_OBJECT_ID_INFORMATION:
		o = smbs_qi_fixed(q, sizeof(*o));
		memcpy(o->object_id, sb->s_uuid.b, sizeof(o->object_id));
		break;
	case FS_SECTOR_SIZE_INFORMATION:
		smbs_qi_fs_sector(q, sb);
		break;
	}
	return STATUS_SUCCESS;
}

/*
 * A security descriptor from the owner, group and mode (MS-SMB2
 * 3.3.5.20.3). It is never cut: too small a buffer gets
 * STATUS_BUFFER_TOO_SMALL with the size needed as error data.
 */
static __le32 smbs_qi_security(struct smbs_qi *q, u32 secinfo, u32 out_len)
{
	u32 parts = OWNER_SECINFO | GROUP_SECINFO | DACL_SECINFO;
	struct smbs_file *fp = q->fp;
	__le32 need;
	u8 *sd;
	u32 len;
	int err;

	if ((secinfo & SACL_SECINFO) &&
	    !smbs_fp_granted(fp, FILE_ACCESS_SYSTEM_SECURITY_LE))
		return STATUS_ACCESS_DENIED;
	if ((secinfo & parts) && !smbs_fp_granted(fp, FILE_READ_CONTROL_LE))
		return STATUS_ACCESS_DENIED;
	/* SACLs, labels and claims are not kept: those parts stay absent */
	if (smbs_file_is_pipe(fp))
		return STATUS_NOT_SUPPORTED;

	err = smbs_vfs_getattr(&fp->filp->f_path, &q->st);
	if (err)
		return smbs_errno_status(err);
	sd = smbs_qi_var(q, SMBS_SD_MAX_SIZE, 0);
	if (!sd)
		return STATUS_NO_MEMORY;
	len = smbs_sd_build(&q->st, secinfo, sd);
	q->len = len;
	q->min = len;
	if (out_len < len) {
		need = cpu_to_le32(len);
		return smbs_info_error(q->w, STATUS_BUFFER_TOO_SMALL, &need,
				       sizeof(need));
	}
	return STATUS_SUCCESS;
}

static __le32 smbs_qi_dispatch(struct smbs_qi *q,
			       const struct smb2_query_info_req *req)
{
	u32 out_len = le32_to_cpu(req->OutputBufferLength);
	u32 secinfo = le32_to_cpu(req->AdditionalInformation);
	__le32 status;

	switch (req->InfoType) {
	case SMB2_O_INFO_FILE:
		status = smbs_qi_file(q, req->FileInfoClass);
		break;
	case SMB2_O_INFO_FILESYSTEM:
		status = smbs_qi_fs(q, req->FileInfoClass);
		break;
	case SMB2_O_INFO_SECURITY:
		status = smbs_qi_security(q, secinfo, out_len);
		break;
	case SMB2_O_INFO_QUOTA:
		return STATUS_NOT_SUPPORTED;
	default:
		return STATUS_INVALID_PARAMETER;
	}
	if (status == STATUS_SUCCESS)
		status = smbs_qi_reply(q, out_len);
	smbs_qi_release(q);
	return status;
}

/**
 * smbs_query_info - SMB2 QUERY_INFO
 * @w: the work
 *
 * Return: STATUS_SUCCESS, STATUS_BUFFER_OVERFLOW with a cut variable-size
 * answer, or an error.
 */
__le32 smbs_query_info(struct smbs_work *w)
{
	const struct smb2_query_info_req *req =
		(const struct smb2_query_info_req *)w->pdu.hdr;
	struct smbs_file *fp;
	struct smbs_qi *q;
	__le32 status;

	fp = smbs_file_lookup(w, req->PersistentFileId, req->VolatileFileId);
	if (!fp)
		return STATUS_FILE_CLOSED;
	status = STATUS_INVALID_PARAMETER;
	if (le32_to_cpu(req->OutputBufferLength) > w->conn->max_trans)
		goto out;
	status = STATUS_NO_MEMORY;
	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		goto out;
	q->w = w;
	q->fp = fp;
	status = smbs_qi_dispatch(q, req);
	kfree(q);
out:
	smbs_file_put(fp);
	return status;
}
