// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMB2 CREATE (MS-SMB2 3.3.5.9): opening and creating files, directories
 * and named pipes.
 */
#include "server.h"

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "create.h"
#include "share_mode.h"
#include "file.h"
#include "misc.h"
#include "pipe.h"
#include "session.h"
#include "smb2.h"
#include "tree.h"
#include "vfs.h"
#include "trace.h"

/* CreateAction values (MS-SMB2 2.2.14) */
#define SMBS_FILE_SUPERSEDED	0
#define SMBS_FILE_OPENED	1
#define SMBS_FILE_CREATED	2
#define SMBS_FILE_OVERWRITTEN	3

/* Host-order access bits (MS-DTYP 2.4.3, MS-SMB2 2.2.13.1). */
#define SMBS_A(x)		le32_to_cpu(x)
#define SMBS_A_INVALID		0x0CE0FE00U
#define SMBS_A_SYS_SECURITY	SMBS_A(FILE_ACCESS_SYSTEM_SECURITY_LE)
#define SMBS_A_MAXIMUM		SMBS_A(FILE_MAXIMAL_ACCESS_LE)
#define SMBS_A_GENERIC_ALL	SMBS_A(FILE_GENERIC_ALL_LE)
#define SMBS_A_GENERIC_EXEC	SMBS_A(FILE_GENERIC_EXECUTE_LE)
#define SMBS_A_GENERIC_WRITE	SMBS_A(FILE_GENERIC_WRITE_LE)
#define SMBS_A_GENERIC_READ	SMBS_A(FILE_GENERIC_READ_LE)
#define SMBS_A_READ_DATA	SMBS_A(FILE_READ_DATA_LE)
#define SMBS_A_WRITE_DATA	SMBS_A(FILE_WRITE_DATA_LE)
#define SMBS_A_APPEND_DATA	SMBS_A(FILE_APPEND_DATA_LE)
#define SMBS_A_EXECUTE		SMBS_A(FILE_EXECUTE_LE)
#define SMBS_A_DELETE		SMBS_A(FILE_DELETE_LE)
/* What the generic rights stand for on files (MS-SMB2 2.2.13.1.1) */
#define SMBS_FILE_GENERIC_READ		0x00120089U
#define SMBS_FILE_GENERIC_WRITE		0x00120116U
#define SMBS_FILE_GENERIC_EXECUTE	0x001200A0U
#define SMBS_FILE_ALL_ACCESS		0x001F01FFU

/* CreateOptions (MS-SMB2 2.2.13) */
#define SMBS_O(x)		le32_to_cpu(x)
#define SMBS_O_DIRECTORY	SMBS_O(FILE_DIRECTORY_FILE_LE)
#define SMBS_O_NON_DIRECTORY	SMBS_O(FILE_NON_DIRECTORY_FILE_LE)
#define SMBS_O_DELETE_ON_CLOSE	SMBS_O(FILE_DELETE_ON_CLOSE_LE)
#define SMBS_O_NO_BUFFERING	SMBS_O(FILE_NO_INTERMEDIATE_BUFFERING_LE)
#define SMBS_O_BY_FILE_ID	SMBS_O(FILE_OPEN_BY_FILE_ID_LE)
#define SMBS_O_RESERVE_OPFILTER	0x00100000U
#define SMBS_O_VALID		SMBS_O(CREATE_OPTIONS_MASK_LE)

#define SMBS_DISP_SUPERSEDE	SMBS_O(FILE_SUPERSEDE_LE)
#define SMBS_DISP_OPEN		SMBS_O(FILE_OPEN_LE)
#define SMBS_DISP_CREATE	SMBS_O(FILE_CREATE_LE)
#define SMBS_DISP_OPEN_IF	SMBS_O(FILE_OPEN_IF_LE)
#define SMBS_DISP_OVERWRITE	SMBS_O(FILE_OVERWRITE_LE)
#define SMBS_DISP_OVERWRITE_IF	SMBS_O(FILE_OVERWRITE_IF_LE)

#define SMBS_IMPERSONATION_MAX	3	/* Delegate */

/**
 * struct smbs_create - one CREATE request on its way
 * @req: the request
 * @access: DesiredAccess with the generic rights expanded
 * @disposition: CreateDisposition
 * @options: CreateOptions
 * @ctx: what the create contexts ask for
 * @path: the opened file
 * @st: its attributes
 * @created: the file was created by this request
 * @action: CreateAction
 * @maximal: maximal access of the user on the file
 * @granted: access granted to the open
 * @share: the open's place among the file's opens (share_mode.c), until
 *	   the open takes it over
 */
struct smbs_create {
	const struct smb2_create_req *req;
	u32 access;
	u32 disposition;
	u32 options;
	struct smbs_create_ctxs ctx;

	struct path path;
	struct kstat st;
	bool created;
	u32 action;
	u32 maximal;
	u32 granted;
	struct smbs_share_entry share;
};

static u32 smbs_expand_generic(u32 access)
{
	if (access & SMBS_A_GENERIC_READ)
		access |= SMBS_FILE_GENERIC_READ;
	if (access & SMBS_A_GENERIC_WRITE)
		access |= SMBS_FILE_GENERIC_WRITE;
	if (access & SMBS_A_GENERIC_EXEC)
		access |= SMBS_FILE_GENERIC_EXECUTE;
	if (access & SMBS_A_GENERIC_ALL)
		access |= SMBS_FILE_ALL_ACCESS;
	return access & ~(SMBS_A_GENERIC_READ | SMBS_A_GENERIC_WRITE |
			  SMBS_A_GENERIC_EXEC | SMBS_A_GENERIC_ALL);
}

/* Parameter validation, MS-SMB2 3.3.5.9 and MS-FSA 2.1.5.1 phase 1. */
static __le32 smbs_create_check(struct smbs_create *c)
{
	const struct smb2_create_req *req = c->req;
	u32 desired = le32_to_cpu(req->DesiredAccess);
	u32 opts = le32_to_cpu(req->CreateOptions);
	u32 disp = le32_to_cpu(req->CreateDisposition);

	if (le32_to_cpu(req->ImpersonationLevel) > SMBS_IMPERSONATION_MAX)
		return STATUS_BAD_IMPERSONATION_LEVEL;
	if (opts & ~SMBS_O_VALID)
		return STATUS_INVALID_PARAMETER;
	if (opts & (SMBS_O_RESERVE_OPFILTER | SMBS_O_BY_FILE_ID))
		return STATUS_NOT_SUPPORTED;
	if (disp > SMBS_DISP_OVERWRITE_IF)
		return STATUS_INVALID_PARAMETER;
	if ((opts & SMBS_O_DIRECTORY) && (opts & SMBS_O_NON_DIRECTORY))
		return STATUS_INVALID_PARAMETER;
	if ((opts & SMBS_O_DIRECTORY) && disp != SMBS_DISP_CREATE &&
	    disp != SMBS_DISP_OPEN && disp != SMBS_DISP_OPEN_IF)
		return STATUS_INVALID_PARAMETER;
	if (!desired || (desired & SMBS_A_INVALID))
		return STATUS_ACCESS_DENIED;
	if (le32_to_cpu(req->ShareAccess) & ~SMBS_SHARE_VALID)
		return STATUS_INVALID_PARAMETER;

	/*
	 * Unbuffered append makes no sense, but only when asked for
	 * explicitly: GENERIC_WRITE with no buffering is how clients open
	 * for O_DIRECT writes.
	 */
	if ((opts & SMBS_O_NO_BUFFERING) && (desired & SMBS_A_APPEND_DATA) &&
	    !(desired & SMBS_A_WRITE_DATA))
		return STATUS_INVALID_PARAMETER;
	c->access = smbs_expand_generic(desired);
	if ((opts & SMBS_O_DELETE_ON_CLOSE) && !(c->access & SMBS_A_DELETE))
		return STATUS_ACCESS_DENIED;
	c->options = opts;
	c->disposition = disp;
	return STATUS_SUCCESS;
}

/* One request context: remember what the client asks for. */
static __le32 smbs_create_ctx_one(void *arg, const struct smbs_buf *name,
				  const struct smbs_buf *data)
{
	struct smbs_create_ctxs *c = arg;

	if (name->len != 4)
		return STATUS_SUCCESS;	/* GUID-named contexts: ignored */

	if (!memcmp(name->ptr, SMB2_CREATE_QUERY_MAXIMAL_ACCESS_REQUEST, 4)) {
		if (data->len && data->len < sizeof(__le64))
			return STATUS_INVALID_PARAMETER;
		c->want_mxac = true;
		if (data->len)
			c->mxac_ts = get_unaligned_le64(data->ptr);
	} else if (!memcmp(name->ptr, SMB2_CREATE_QUERY_ON_DISK_ID, 4)) {
		c->want_qfid = true;
	}
	/* Leases, durable handles and the rest come later. */
	return STATUS_SUCCESS;
}

/* Check one context's header; @one is the whole context. */
static bool smbs_create_ctx_fields(const struct create_context_hdr *cc,
				   const struct smbs_buf *one,
				   struct smbs_buf *name, struct smbs_buf *data)
{
	const u32 hdr_len = sizeof(*cc);

	if (!cc->NameLength || le16_to_cpu(cc->NameOffset) < hdr_len ||
	    !smbs_buf_sub(one, le16_to_cpu(cc->NameOffset),
			  le16_to_cpu(cc->NameLength), name))
		return false;
	if (cc->DataLength && le16_to_cpu(cc->DataOffset) < hdr_len)
		return false;
	return smbs_buf_sub(one, le16_to_cpu(cc->DataOffset),
			    le32_to_cpu(cc->DataLength), data);
}

/* Walk the create context list (MS-SMB2 2.2.13.2), every field checked. */
__le32 smbs_create_ctx_walk(const struct smbs_buf *list,
			    __le32 (*fn)(void *arg, const struct smbs_buf *name,
					 const struct smbs_buf *data),
			    void *arg)
{
	const u32 hdr_len = sizeof(struct create_context_hdr);
	u32 off = 0;

	while (list->len) {
		const struct create_context_hdr *cc;
		struct smbs_buf one, name, data;
		u32 next, len;
		__le32 st;

		cc = smbs_buf_at(list, off, hdr_len);
		if (!cc)
			return STATUS_INVALID_PARAMETER;
		next = le32_to_cpu(cc->Next);
		if (next && ((next & 7) || next < hdr_len))
			return STATUS_INVALID_PARAMETER;
		len = next ? next : list->len - off;
		if (!smbs_buf_sub(list, off, len, &one) ||
		    !smbs_create_ctx_fields(cc, &one, &name, &data))
			return STATUS_INVALID_PARAMETER;

		st = fn(arg, &name, &data);
		if (st != STATUS_SUCCESS)
			return st;
		if (!next)
			break;
		off += next;
	}
	return STATUS_SUCCESS;
}

/* The contexts the server acts on; the others are skipped. */
__le32 smbs_create_parse_ctx(const struct smbs_buf *list,
			     struct smbs_create_ctxs *out)
{
	memset(out, 0, sizeof(*out));
	return smbs_create_ctx_walk(list, smbs_create_ctx_one, out);
}

/* Map a lookup error of the whole name. */
static __le32 smbs_lookup_status(int err)
{
	switch (err) {
	case -ENOENT:
		return STATUS_OBJECT_NAME_NOT_FOUND;
	case -ENOTDIR:
		return STATUS_OBJECT_PATH_NOT_FOUND;
	case -EXDEV:		/* would leave the share */
		return STATUS_ACCESS_DENIED;
	case -ENAMETOOLONG:
		return STATUS_OBJECT_NAME_INVALID;
	default:
		return smbs_errno_status(err);
	}
}

/* Decide the granted access from the request and the maximal access. */
static __le32 smbs_create_grant(struct smbs_create *c, struct smbs_tree *tree)
{
	u32 want = c->access & ~(SMBS_A_MAXIMUM | SMBS_A_SYS_SECURITY);

	if (c->access & SMBS_A_SYS_SECURITY)
		return STATUS_PRIVILEGE_NOT_HELD;
	if (want & ~c->maximal)
		return STATUS_ACCESS_DENIED;
	c->granted = (c->access & SMBS_A_MAXIMUM) ? c->maximal | want : want;
	if ((c->options & SMBS_O_DELETE_ON_CLOSE) &&
	    (!smbs_tree_writable(tree) || !(c->granted & SMBS_A_DELETE)))
		return STATUS_ACCESS_DENIED;
	return STATUS_SUCCESS;
}

/*
 * Give the open's place among the file's opens up again (a CREATE that
 * failed after the check); if another open made the file delete-pending
 * and went meanwhile, the file is removed here.
 */
static void smbs_create_unshare(struct smbs_create *c, struct smbs_tree *tree)
{
	struct smbs_share_ino *ino = smbs_share_leave(&c->share, false);

	if (ino) {
		smbs_vfs_remove(tree, &c->path);
		smbs_share_deleted(ino);
	}
}

/*
 * Take the open's place among the file's opens: the sharing check
 * (MS-FSA 2.1.5.1.2), before anything touches the file's data.
 */
static __le32 smbs_create_share(struct smbs_create *c)
{
	int err;

	c->share.access = c->granted;
	c->share.share = le32_to_cpu(c->req->ShareAccess);
	c->share.dentry = c->path.dentry;
	err = smbs_share_enter(&c->share, d_inode(c->path.dentry));
	if (err == -ENOENT)
		return STATUS_DELETE_PENDING;
	if (err == -EBUSY)
		return STATUS_SHARING_VIOLATION;
	return err ? STATUS_NO_MEMORY : STATUS_SUCCESS;
}

/* An existing file: check what the request may do with it. */
static __le32 smbs_create_existing(struct smbs_create *c,
				   struct smbs_tree *tree)
{
	bool is_dir = d_is_dir(c->path.dentry);
	bool trunc;
	__le32 st;
	int err;

	if (c->disposition == SMBS_DISP_CREATE)
		return STATUS_OBJECT_NAME_COLLISION;
	if ((c->options & SMBS_O_DIRECTORY) && !is_dir)
		return STATUS_NOT_A_DIRECTORY;
	if ((c->options & SMBS_O_NON_DIRECTORY) && is_dir)
		return STATUS_FILE_IS_A_DIRECTORY;

	trunc = c->disposition == SMBS_DISP_SUPERSEDE ||
		c->disposition == SMBS_DISP_OVERWRITE ||
		c->disposition == SMBS_DISP_OVERWRITE_IF;
	if (trunc && is_dir)
		return STATUS_FILE_IS_A_DIRECTORY;
	if (trunc && !smbs_tree_writable(tree))
		return STATUS_ACCESS_DENIED;
	/* A read-only file cannot be deleted (MS-FSA 2.1.5.1.2.1). */
	if ((c->options & SMBS_O_DELETE_ON_CLOSE) &&
	    !(d_inode(c->path.dentry)->i_mode & 0200))
		return STATUS_CANNOT_DELETE;

	c->maximal = smbs_vfs_maximal_access(tree, &c->path);
	st = smbs_create_grant(c, tree);
	if (st == STATUS_SUCCESS)
		st = smbs_create_share(c);
	if (st != STATUS_SUCCESS)
		return st;

	c->action = SMBS_FILE_OPENED;
	if (!trunc)
		return STATUS_SUCCESS;
	err = vfs_truncate(&c->path, 0);
	if (err) {
		smbs_create_unshare(c, tree);
		return smbs_errno_status(err);
	}
	c->action = c->disposition == SMBS_DISP_SUPERSEDE ?
		    SMBS_FILE_SUPERSEDED : SMBS_FILE_OVERWRITTEN;
	return STATUS_SUCCESS;
}

/* The name does not exist: create it if the disposition says so. */
static __le32 smbs_create_new(struct smbs_create *c, struct smbs_tree *tree,
			      const char *name)
{
	struct path parent;
	const char *last;
	bool is_dir = c->options & SMBS_O_DIRECTORY;
	__le32 st;
	int err;

	err = smbs_vfs_lookup_parent(tree, name, &parent, &last);
	if (err == -ENOENT || err == -ENOTDIR)
		return STATUS_OBJECT_PATH_NOT_FOUND;
	if (err)
		return smbs_lookup_status(err);

	if (c->disposition == SMBS_DISP_OPEN ||
	    c->disposition == SMBS_DISP_OVERWRITE) {
		path_put(&parent);
		return STATUS_OBJECT_NAME_NOT_FOUND;
	}
	if (!smbs_tree_writable(tree)) {
		path_put(&parent);
		return STATUS_ACCESS_DENIED;
	}

	err = smbs_vfs_create(tree, &parent, last, is_dir, &c->path);
	path_put(&parent);
	if (err == -EEXIST)
		return STATUS_OBJECT_NAME_COLLISION;
	if (err)
		return smbs_errno_status(err);

	c->created = true;
	c->action = SMBS_FILE_CREATED;
	/* The creator may use the file however the share allows. */
	c->maximal = smbs_vfs_maximal_access(tree, &c->path) |
		     (tree->maximal_access &
		      (smbs_tree_writable(tree) ? ~0U : ~SMBS_VFS_WRITE_ACCESS));
	st = smbs_create_grant(c, tree);
	if (st != STATUS_SUCCESS)
		return st;
	st = smbs_create_share(c);
	if (st != STATUS_SUCCESS) {
		/* Another client's open found the new file first: theirs now. */
		c->created = false;
		path_put(&c->path);
	}
	return st;
}

/* Find or create the file; on success c->path is held. */
static __le32 smbs_create_lookup(struct smbs_create *c, struct smbs_tree *tree,
				 const char *name)
{
	__le32 st;
	int err, tries;

	/* A racing create or unlink is retried once. */
	for (tries = 0; tries < 2; tries++) {
		err = smbs_vfs_lookup(tree, name, LOOKUP_FOLLOW, &c->path);
		if (!err) {
			st = smbs_create_existing(c, tree);
			if (st != STATUS_SUCCESS)
				path_put(&c->path);
			return st;
		}
		if (err != -ENOENT || !*name)
			return smbs_lookup_status(err);

		st = smbs_create_new(c, tree, name);
		if (st != STATUS_OBJECT_NAME_COLLISION ||
		    c->disposition == SMBS_DISP_CREATE)
			break;
	}
	if (st != STATUS_SUCCESS && c->created) {
		smbs_create_unshare(c, tree);
		smbs_vfs_remove(tree, &c->path);
		path_put(&c->path);
	}
	return st;
}

/* The open mode for the access granted; no data access needs no mode. */
static int smbs_create_flags(const struct smbs_create *c)
{
	bool rd, wr;

	if (d_is_dir(c->path.dentry))
		return (c->maximal & SMBS_A_READ_DATA) ?
		       O_RDONLY | O_DIRECTORY : O_PATH | O_DIRECTORY;
	if (!d_is_reg(c->path.dentry))
		return O_PATH;	/* devices, fifos, sockets: never opened */

	rd = (c->granted & SMBS_A_READ_DATA) ||
	     ((c->granted & SMBS_A_EXECUTE) && (c->maximal & SMBS_A_READ_DATA));
	wr = c->granted & (SMBS_A_WRITE_DATA | SMBS_A_APPEND_DATA);
	if (!rd && !wr)
		return O_PATH;
	if (wr && !(c->granted & SMBS_A_WRITE_DATA))
		return O_LARGEFILE | O_APPEND | (rd ? O_RDWR : O_WRONLY);
	return O_LARGEFILE | (rd && wr ? O_RDWR : wr ? O_WRONLY : O_RDONLY);
}

static void smbs_rsp_set_attrs(struct smb2_create_rsp *rsp,
			       struct smbs_tree *tree,
			       const struct smbs_create *c)
{
	const struct kstat *st = &c->st;

	rsp->CreationTime =
		cpu_to_le64(smbs_time_to_nt(smbs_vfs_create_time(st)));
	rsp->LastAccessTime = cpu_to_le64(smbs_time_to_nt(st->atime));
	rsp->LastWriteTime = cpu_to_le64(smbs_time_to_nt(st->mtime));
	rsp->ChangeTime = cpu_to_le64(smbs_time_to_nt(st->ctime));
	rsp->AllocationSize = cpu_to_le64(smbs_vfs_alloc_size(st));
	rsp->EndofFile = cpu_to_le64(smbs_vfs_end_of_file(st));
	rsp->FileAttributes = smbs_vfs_dos_attrs(tree, &c->path, st);
}

/* Start a response context: header, 4-byte name padded to 8 bytes. */
static void *smbs_rsp_ctx(struct smbs_work *w, u32 size, const char *name,
			  u32 data_len, struct create_context_hdr **prev)
{
	struct create_context_hdr *cc = smbs_rsp_append(w, size);

	if (!cc)
		return NULL;
	cc->NameOffset = cpu_to_le16(sizeof(*cc));
	cc->NameLength = cpu_to_le16(4);
	cc->DataOffset = cpu_to_le16(sizeof(*cc) + 8);
	cc->DataLength = cpu_to_le32(data_len);
	memcpy((u8 *)cc + sizeof(*cc), name, 4);
	if (*prev)
		(*prev)->Next = cpu_to_le32((u8 *)cc - (u8 *)*prev);
	*prev = cc;
	return cc;
}

/* Response contexts follow the fixed part, each 8-byte aligned. */
static void smbs_create_rsp_ctx(struct smbs_work *w,
				struct smb2_create_rsp *rsp,
				const struct smbs_create *c)
{
	struct create_context_hdr *prev = NULL;
	u8 *first = NULL;
	u32 total = 0;

	if (c->ctx.want_mxac) {
		struct create_mxac_rsp *m;

		m = smbs_rsp_ctx(w, sizeof(*m),
				 SMB2_CREATE_QUERY_MAXIMAL_ACCESS_REQUEST,
				 2 * sizeof(__le32), &prev);
		if (!m)
			goto out;
		first = (u8 *)m;
		total += sizeof(*m);
		if (c->ctx.mxac_ts &&
		    c->ctx.mxac_ts == smbs_time_to_nt(c->st.ctime)) {
			m->QueryStatus = STATUS_NONE_MAPPED;
		} else {
			m->QueryStatus = STATUS_SUCCESS;
			m->MaximalAccess = cpu_to_le32(c->maximal | c->granted);
		}
	}
	if (c->ctx.want_qfid) {
		struct create_disk_id_rsp *q;

		q = smbs_rsp_ctx(w, sizeof(*q), SMB2_CREATE_QUERY_ON_DISK_ID,
				 sizeof(*q) - sizeof(q->ccontext) - 8, &prev);
		if (!q)
			goto out;
		if (!first)
			first = (u8 *)q;
		total += sizeof(*q);
		q->DiskFileId = cpu_to_le64(c->st.ino);
		q->VolumeId = cpu_to_le64(huge_encode_dev(c->st.dev));
	}
out:
	if (first) {
		rsp->CreateContextsOffset = cpu_to_le32(smbs_rsp_offset(w, first));
		rsp->CreateContextsLength = cpu_to_le32(total);
	}
}

static void smbs_create_rsp(struct smbs_work *w, struct smbs_file *fp,
			    const struct smbs_create *c)
{
	struct smb2_create_rsp *rsp = smbs_rsp_body(w, sizeof(*rsp));

	rsp->StructureSize = cpu_to_le16(89);
	rsp->OplockLevel = SMB2_OPLOCK_LEVEL_NONE;
	rsp->CreateAction = cpu_to_le32(c->action);
	rsp->PersistentFileId = fp->pid;
	rsp->VolatileFileId = fp->vid;
	if (fp->filp) {
		smbs_rsp_set_attrs(rsp, w->tree, c);
		smbs_create_rsp_ctx(w, rsp, c);
	} else {
		rsp->FileAttributes = FILE_ATTRIBUTE_NORMAL_LE;
	}
}

/* Publish the open and answer; consumes the caller's reference. */
static __le32 smbs_create_finish(struct smbs_work *w, struct smbs_file *fp,
				 const struct smbs_create *c)
{
	int err = smbs_file_publish(w->sess, fp);

	if (err) {
		smbs_file_put(fp);
		/* -ENOENT: the session is being logged off. */
		return err == -ENOENT ? STATUS_USER_SESSION_DELETED :
					STATUS_INSUFFICIENT_RESOURCES;
	}
	if (trace_smbs_open_enabled()) {
		/* Published, the open can be renamed: fp->path swapped, freed. */
		mutex_lock(&fp->lock);
		trace_smbs_open(w->sess, fp, c->action);
		mutex_unlock(&fp->lock);
	}
	smbs_work_set_fid(w, fp->pid, fp->vid);
	smbs_create_rsp(w, fp, c);
	smbs_file_put(fp);
	return STATUS_SUCCESS;
}

/* CREATE on IPC$: the pipe's open is made in pipe.c. */
static __le32 smbs_create_pipe(struct smbs_work *w, struct smbs_create *c)
{
	struct smbs_file *fp;
	__le32 st;

	st = smbs_pipe_open(w, (c->access & SMBS_A_MAXIMUM) ?
			    SMBS_FILE_GENERIC_READ | SMBS_FILE_GENERIC_WRITE :
			    c->access, c->options, &fp);
	if (st != STATUS_SUCCESS)
		return st;
	c->action = SMBS_FILE_OPENED;
	return smbs_create_finish(w, fp, c);
}

/* The client's name as a share-relative path, kmalloc'ed. */
static __le32 smbs_create_name(struct smbs_work *w, char **out)
{
	const struct smbs_buf *raw = &w->pdu.var[SMBS_VAR_CREATE_NAME];
	char *name;
	int err;

	if (raw->len >= 2 && raw->ptr[0] == '\\' && raw->ptr[1] == 0)
		return STATUS_INVALID_PARAMETER;
	if (!raw->len) {
		name = kstrdup("", GFP_KERNEL);
		err = name ? 0 : -ENOMEM;
	} else {
		err = smbs_utf16_to_utf8(raw->ptr, raw->len, &name);
	}
	if (err == -ENOMEM)
		return STATUS_NO_MEMORY;
	if (err < 0)
		return STATUS_OBJECT_NAME_INVALID;

	/* Streams come later. */
	if (strchr(name, ':') || smbs_share_path(name)) {
		kfree(name);
		return STATUS_OBJECT_NAME_INVALID;
	}
	*out = name;
	return STATUS_SUCCESS;
}

static __le32 smbs_create_file(struct smbs_work *w, struct smbs_create *c)
{
	struct smbs_tree *tree = w->tree;
	struct smbs_file *fp = NULL;
	struct file *filp;
	char *name;
	__le32 st;
	int err;

	st = smbs_create_name(w, &name);
	if (st != STATUS_SUCCESS)
		return st;
	st = smbs_create_lookup(c, tree, name);
	if (st != STATUS_SUCCESS)
		goto out_name;

	filp = dentry_open(&c->path, smbs_create_flags(c), current_cred());
	if (IS_ERR(filp)) {
		st = smbs_errno_status(PTR_ERR(filp));
		goto out_path;
	}
	err = smbs_vfs_getattr(&c->path, &c->st);
	if (!err) {
		fp = smbs_file_alloc(tree, name);
		if (!fp)
			err = -ENOMEM;
	}
	if (err) {
		fput(filp);
		st = smbs_errno_status(err);
		goto out_path;
	}
	fp->filp = filp;
	fp->access = c->granted;
	fp->create_options = c->options;
	fp->is_dir = d_is_dir(c->path.dentry);
	fp->delete_on_close = c->options & SMBS_O_DELETE_ON_CLOSE;
	smbs_share_move(&c->share, &fp->share);

	st = smbs_create_finish(w, fp, c);
	path_put(&c->path);
	kfree(name);
	return st;

out_path:
	smbs_create_unshare(c, tree);
	if (c->created)
		smbs_vfs_remove(tree, &c->path);
	path_put(&c->path);
out_name:
	kfree(name);
	return st;
}

__le32 smbs_create(struct smbs_work *w)
{
	struct smbs_create c = {
		.req = (const struct smb2_create_req *)w->pdu.hdr,
	};
	__le32 st;

	st = smbs_create_check(&c);
	if (st != STATUS_SUCCESS)
		return st;
	st = smbs_create_parse_ctx(&w->pdu.var[SMBS_VAR_CREATE_CTX], &c.ctx);
	if (st != STATUS_SUCCESS)
		return st;

	if (smbs_tree_is_pipe(w->tree))
		return smbs_create_pipe(w, &c);
	return smbs_create_file(w, &c);
}
