// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMB2 QUERY_DIRECTORY (MS-SMB2 3.3.5.18, MS-FSA 2.1.5.6.3): directory
 * enumeration in the MS-FSCC 2.4 directory information classes.
 *
 * The open keeps where the enumeration stands (fp->dir, under fp->lock).
 * "." and ".." come first: while they are pending, dir.pos counts them;
 * afterwards it is the directory position to continue from. Names are
 * collected from iterate_dir() in batches, each with the position it was
 * emitted at, then matched, looked up and formatted; an entry that does
 * not fit leaves dir.pos at its own position for the next request.
 */
#include "server.h"

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include "connection.h"
#include "file.h"
#include "fileinfo.h"
#include "misc.h"
#include "smb2.h"
#include "tree.h"
#include "vfs.h"
#include "work.h"

#define SMBS_QD_BATCH	8192	/* bytes of names taken per iterate_dir() */

/* A name collected from the directory; its bytes follow. */
struct smbs_qd_name {
	loff_t pos;
	u32 len;
};

/**
 * struct smbs_qd - one QUERY_DIRECTORY request at work
 * @ctx: the iterate_dir() context
 * @w: the work
 * @fp: the directory's open
 * @pat: the compiled search pattern
 * @class: FileInformationClass
 * @fixed: size of the class's fixed part
 * @single: SMB2_RETURN_SINGLE_ENTRY
 * @limit: OutputBufferLength
 * @rsp: the response, once the first entry is written
 * @first: the first entry
 * @prev: the entry written last
 * @used: bytes of entries so far (padding between them included)
 * @count: entries written
 * @full: an entry did not fit
 * @seen: names iterate_dir() passed in the current batch
 * @batch: the names of the current batch
 * @batch_used: bytes used in @batch
 * @name16: the UTF-16 form of the name being written
 */
struct smbs_qd {
	struct dir_context ctx;
	struct smbs_work *w;
	struct smbs_file *fp;
	struct smbs_pattern pat;
	u8 class;
	u32 fixed;
	bool single;
	u32 limit;
	struct smb2_query_directory_rsp *rsp;
	u8 *first;
	u8 *prev;
	u32 used;
	u32 count;
	bool full;
	u32 seen;
	u8 *batch;
	u32 batch_used;
	u8 name16[2 * NAME_MAX];
};

/* Size of the fixed part of an entry, 0 for an unsupported class. */
static u32 smbs_qd_fixed(u8 class)
{
	switch (class) {
	case FILE_DIRECTORY_INFORMATION:
		return sizeof(struct smbs_dir_info);
	case FILE_FULL_DIRECTORY_INFORMATION:
		return sizeof(struct smbs_full_dir_info);
	case FILE_BOTH_DIRECTORY_INFORMATION:
		return sizeof(struct smbs_both_dir_info);
	case FILE_NAMES_INFORMATION:
		return sizeof(struct smbs_names_info);
	case FILEID_BOTH_DIRECTORY_INFORMATION:
		return sizeof(struct smbs_id_both_dir_info);
	case FILEID_FULL_DIRECTORY_INFORMATION:
		return sizeof(struct smbs_id_full_dir_info);
	}
	return 0;
}

static bool smbs_is_dots(const char *name, int len)
{
	return name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.'));
}

/* Fill the fixed part of an entry (zeroed by smbs_rsp_append()). */
static void smbs_qd_fill(struct smbs_qd *q, u8 *e, u32 len16,
			 const struct path *path, const struct kstat *st)
{
	struct smbs_dir_info *d = (struct smbs_dir_info *)e;
	__le64 id;

	if (q->class == FILE_NAMES_INFORMATION) {
		((struct smbs_names_info *)e)->file_name_length =
			cpu_to_le32(len16);
		return;
	}
	d->creation_time =
		cpu_to_le64(smbs_time_to_nt(smbs_vfs_create_time(st)));
	d->last_access_time = cpu_to_le64(smbs_time_to_nt(st->atime));
	d->last_write_time = cpu_to_le64(smbs_time_to_nt(st->mtime));
	d->change_time = cpu_to_le64(smbs_time_to_nt(st->ctime));
	d->end_of_file = cpu_to_le64(smbs_vfs_end_of_file(st));
	d->allocation_size = cpu_to_le64(smbs_vfs_alloc_size(st));
	d->file_attributes = smbs_vfs_dos_attrs(q->fp->tree, path, st);
	d->file_name_length = cpu_to_le32(len16);

	id = cpu_to_le64(st->ino);
	if (q->class == FILEID_FULL_DIRECTORY_INFORMATION)
		((struct smbs_id_full_dir_info *)e)->file_id = id;
	else if (q->class == FILEID_BOTH_DIRECTORY_INFORMATION)
		((struct smbs_id_both_dir_info *)e)->file_id = id;
}

/*
 * Append one entry. @path and @st may be NULL for FileNamesInformation.
 * Return: false if it does not fit (nothing is written then).
 */
static bool smbs_qd_emit(struct smbs_qd *q, const char *name, int len,
			 const struct path *path, const struct kstat *st)
{
	u32 pad = ALIGN(q->used, 8) - q->used;
	u32 size;
	int len16;
	u8 *p;

	len16 = smbs_utf8_to_utf16(name, len, q->name16, sizeof(q->name16));
	if (len16 < 0) {
		smbs_dbg(VFS, "skipping a name that is not valid UTF-8\n");
		return true;
	}
	size = q->fixed + len16;
	if (q->used + pad + size > q->limit) {
		q->full = true;
		return false;
	}
	if (!q->rsp) {
		q->rsp = smbs_rsp_body(q->w, sizeof(*q->rsp));
		q->rsp->StructureSize = cpu_to_le16(9);
	}
	p = smbs_rsp_append(q->w, pad + size);
	if (!p) {
		q->full = true;
		return false;
	}
	p += pad;
	if (q->prev)
		put_unaligned_le32(p - q->prev, q->prev);
	else
		q->first = p;
	smbs_qd_fill(q, p, len16, path, st);
	memcpy(p + q->fixed, q->name16, len16);
	q->prev = p;
	q->used += pad + size;
	q->count++;
	return true;
}

/* Look a name up in the directory and append its entry. */
static bool smbs_qd_entry(struct smbs_qd *q, const char *name, int len)
{
	const struct path *dir = &q->fp->filp->f_path;
	struct path path = { .mnt = dir->mnt };
	struct kstat st;
	bool fits = true;

	if (q->class == FILE_NAMES_INFORMATION)
		return smbs_qd_emit(q, name, len, NULL, NULL);

	path.dentry = lookup_one_unlocked(mnt_idmap(dir->mnt), name,
					  dir->dentry, len);
	if (IS_ERR(path.dentry))
		return true;	/* gone, or not a name we can look up */
	if (d_really_is_positive(path.dentry) &&
	    !smbs_vfs_getattr(&path, &st))
		fits = smbs_qd_emit(q, name, len, &path, &st);
	dput(path.dentry);
	return fits;
}

/*
 * The directory "." (@len 1) or ".." (@len 2) of the open stands for.
 * ".." is looked up by the open's share-relative name, not as the parent
 * dentry: a directory reached through a symlink in the share has its
 * parent where the link is, and the share root stands in for its own.
 *
 * Context: the open's lock held (it keeps fp->path stable).
 */
static int smbs_qd_dot_path(struct smbs_qd *q, int len, struct path *out)
{
	struct smbs_file *fp = q->fp;
	const char *last;

	lockdep_assert_held(&fp->lock);
	if (len == 1 || !fp->path[0]) {
		*out = fp->filp->f_path;
		path_get(out);
		return 0;
	}
	return smbs_vfs_lookup_parent(fp->tree, fp->path, out, &last);
}

/* "." and ".." (an entry whose directory cannot be found is left out). */
static bool smbs_qd_dots(struct smbs_qd *q)
{
	struct smbs_dir_state *ds = &q->fp->dir;
	bool fits = true;

	while (fits && ds->pos < 2) {
		int len = ds->pos + 1;
		struct path path;
		struct kstat st;

		if (q->single && q->count)
			return false;
		if (smbs_pattern_match(&q->pat, "..", len) &&
		    !smbs_qd_dot_path(q, len, &path)) {
			if (!smbs_vfs_getattr(&path, &st))
				fits = smbs_qd_emit(q, "..", len, &path, &st);
			path_put(&path);
		}
		if (fits)
			ds->pos++;
	}
	if (!fits)
		return false;
	ds->dot_done = true;
	ds->pos = 0;
	return true;
}

static bool smbs_qd_actor(struct dir_context *ctx, const char *name, int len,
			  loff_t pos, u64 ino, unsigned int type)
{
	struct smbs_qd *q = container_of(ctx, struct smbs_qd, ctx);
	struct smbs_qd_name *n;
	u32 need;

	q->seen++;
	if (len <= 0 || len > NAME_MAX || smbs_is_dots(name, len))
		return true;
	need = ALIGN(sizeof(*n) + len, 8);
	if (q->batch_used + need > SMBS_QD_BATCH)
		return false;
	n = (struct smbs_qd_name *)(q->batch + q->batch_used);
	n->pos = pos;
	n->len = len;
	memcpy(n + 1, name, len);
	q->batch_used += need;
	return true;
}

/*
 * Format the names of a batch; @end is where the directory stands after
 * it. Return: false when the response is complete.
 */
static bool smbs_qd_batch(struct smbs_qd *q, loff_t end)
{
	struct smbs_dir_state *ds = &q->fp->dir;
	u32 off = 0;

	while (off < q->batch_used) {
		struct smbs_qd_name *n = (struct smbs_qd_name *)(q->batch + off);
		const char *name = (const char *)(n + 1);

		if (q->single && q->count) {
			ds->pos = n->pos;
			return false;
		}
		if (smbs_pattern_match(&q->pat, name, n->len) &&
		    !smbs_qd_entry(q, name, n->len)) {
			ds->pos = n->pos;
			return false;
		}
		off += ALIGN(sizeof(*n) + n->len, 8);
	}
	ds->pos = end;
	return !(q->single && q->count);
}

/* Fill the response from where the enumeration stands. */
static int smbs_qd_scan(struct smbs_qd *q)
{
	struct smbs_dir_state *ds = &q->fp->dir;
	struct file *filp = q->fp->filp;
	loff_t pos;
	int err;

	if (!ds->dot_done && !smbs_qd_dots(q))
		return 0;
	while (!ds->eof) {
		if (filp->f_pos != ds->pos) {
			pos = vfs_llseek(filp, ds->pos, SEEK_SET);
			if (pos < 0)
				return pos;
		}
		q->seen = 0;
		q->batch_used = 0;
		err = iterate_dir(filp, &q->ctx);
		if (err)
			return err;
		/* nothing more, or only "." and ".." without moving on */
		if (!q->seen || (!q->batch_used && filp->f_pos == ds->pos)) {
			ds->eof = true;
			break;
		}
		if (!smbs_qd_batch(q, filp->f_pos))
			break;
	}
	return 0;
}

/*
 * The search pattern of the request as UTF-8, or NULL when it is empty.
 * It is one file name component in which wildcards are allowed.
 */
static __le32 smbs_qd_pattern(struct smbs_work *w, char **out)
{
	const struct smbs_buf *b = &w->pdu.var[SMBS_VAR_QDIR_NAME];
	char *s;
	int len, i;

	*out = NULL;
	if (!b->len)
		return STATUS_SUCCESS;
	if (b->len > 2 * SMBS_PATTERN_MAX)
		return STATUS_OBJECT_NAME_INVALID;
	len = smbs_utf16_to_utf8(b->ptr, b->len, &s);
	if (len == -ENOMEM)
		return STATUS_NO_MEMORY;
	if (len < 0)
		return STATUS_OBJECT_NAME_INVALID;
	for (i = 0; i < len; i++) {
		if ((u8)s[i] < 0x20 || strchr("\\/:|", s[i])) {
			kfree(s);
			return STATUS_OBJECT_NAME_INVALID;
		}
	}
	*out = s;
	return STATUS_SUCCESS;
}

/*
 * Set up the enumeration state for this request (MS-FSA 2.1.5.6.3): the
 * first query, or a restart naming a pattern, sets the pattern; a restart
 * or reopen starts over. Return: whether this is the first query.
 */
static __le32 smbs_qd_start(struct smbs_work *w, struct smbs_file *fp,
			    u8 flags, bool *first)
{
	struct smbs_dir_state *ds = &fp->dir;
	bool reopen = flags & SMB2_REOPEN;
	bool restart = reopen || (flags & SMB2_RESTART_SCANS);
	char *pattern = NULL;
	__le32 status;

	*first = !ds->pattern || reopen;
	if (*first || restart) {
		status = smbs_qd_pattern(w, &pattern);
		if (status != STATUS_SUCCESS)
			return status;
	}
	if (*first || pattern) {
		if (!pattern)
			pattern = kstrdup("*", GFP_KERNEL);
		if (!pattern)
			return STATUS_NO_MEMORY;
		kfree(ds->pattern);
		ds->pattern = pattern;
	}
	if (*first || restart) {
		ds->pos = 0;
		ds->eof = false;
		ds->dot_done = false;
	}
	return STATUS_SUCCESS;
}

static __le32 smbs_qd_locked(struct smbs_work *w, struct smbs_file *fp,
			     struct smbs_qd *q, u8 flags)
{
	bool first;
	__le32 status;
	int err;

	status = smbs_qd_start(w, fp, flags, &first);
	if (status != STATUS_SUCCESS)
		return status;
	err = smbs_pattern_compile(fp->dir.pattern, &q->pat);
	if (err)
		return err == -ENOMEM ? STATUS_NO_MEMORY :
					STATUS_OBJECT_NAME_INVALID;
	err = smbs_qd_scan(q);
	smbs_pattern_free(&q->pat);

	if (q->count) {
		q->rsp->OutputBufferOffset =
			cpu_to_le16(smbs_rsp_offset(w, q->first));
		q->rsp->OutputBufferLength = cpu_to_le32(q->used);
		return STATUS_SUCCESS;
	}
	if (err)
		return smbs_errno_status(err);
	if (q->full)
		return STATUS_INFO_LENGTH_MISMATCH;
	return first ? STATUS_NO_SUCH_FILE : STATUS_NO_MORE_FILES;
}

/* Checks of MS-SMB2 3.3.5.18 before the enumeration. */
static __le32 smbs_qd_check(struct smbs_work *w, struct smbs_file *fp,
			    const struct smb2_query_directory_req *req)
{
	u32 out_len = le32_to_cpu(req->OutputBufferLength);
	u32 fixed = smbs_qd_fixed(req->FileInformationClass);

	if (!fp->filp || !fp->is_dir)
		return STATUS_INVALID_PARAMETER;
	if (out_len > w->conn->max_trans)
		return STATUS_INVALID_PARAMETER;
	if (!smbs_fp_granted(fp, FILE_LIST_DIRECTORY_LE))
		return STATUS_ACCESS_DENIED;
	if (!fixed)
		return STATUS_INVALID_INFO_CLASS;
	if (out_len < fixed)
		return STATUS_INFO_LENGTH_MISMATCH;
	return STATUS_SUCCESS;
}

/**
 * smbs_query_directory - SMB2 QUERY_DIRECTORY
 * @w: the work
 *
 * Return: STATUS_SUCCESS with the entries, STATUS_NO_SUCH_FILE when the
 * first query matches nothing, STATUS_NO_MORE_FILES at the end, or an
 * error.
 */
__le32 smbs_query_directory(struct smbs_work *w)
{
	const struct smb2_query_directory_req *req =
		(const struct smb2_query_directory_req *)w->pdu.hdr;
	struct smbs_file *fp;
	struct smbs_qd *q;
	__le32 status;

	fp = smbs_file_lookup(w, req->PersistentFileId, req->VolatileFileId);
	if (!fp)
		return STATUS_FILE_CLOSED;
	status = smbs_qd_check(w, fp, req);
	if (status != STATUS_SUCCESS)
		goto out;

	status = STATUS_NO_MEMORY;
	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		goto out;
	q->batch = kmalloc(SMBS_QD_BATCH, GFP_KERNEL);
	if (!q->batch)
		goto free;
	q->ctx.actor = smbs_qd_actor;
	q->w = w;
	q->fp = fp;
	q->class = req->FileInformationClass;
	q->fixed = smbs_qd_fixed(q->class);
	q->single = req->Flags & SMB2_RETURN_SINGLE_ENTRY;
	q->limit = le32_to_cpu(req->OutputBufferLength);

	mutex_lock(&fp->lock);
	status = smbs_qd_locked(w, fp, q, req->Flags);
	mutex_unlock(&fp->lock);
free:
	kfree(q->batch);
	kfree(q);
out:
	smbs_file_put(fp);
	return status;
}
