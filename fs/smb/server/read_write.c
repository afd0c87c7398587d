// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMB2 READ, WRITE and FLUSH (MS-SMB2 3.3.5.11 - 3.3.5.13) on files and
 * named pipes.
 */
#include "server.h"

#include <linux/bvec.h>
#include <linux/fs.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/pipe_fs_i.h>
#include <linux/slab.h>
#include <linux/splice.h>

#include "connection.h"
#include "file.h"
#include "lock.h"
#include "misc.h"
#include "pipe.h"
#include "session.h"
#include "smb2.h"
#include "tree.h"
#include "trace.h"

#define SMBS_A(x)		le32_to_cpu(x)
#define SMBS_A_READ		(SMBS_A(FILE_READ_DATA_LE) | SMBS_A(FILE_EXECUTE_LE))
#define SMBS_A_WRITE		(SMBS_A(FILE_WRITE_DATA_LE) | \
				 SMBS_A(FILE_APPEND_DATA_LE))

/* Offset 0xFFFFFFFFFFFFFFFF: write at the end of file (MS-FSA 2.1.5.4). */
#define SMBS_WRITE_TO_EOF	U64_MAX

/* Is [off, off + len) a valid byte range for the VFS? */
static bool smbs_range_ok(u64 off, u32 len)
{
	return off <= (u64)MAX_LFS_FILESIZE &&
	       len <= (u64)MAX_LFS_FILESIZE - off;
}

static void smbs_read_free(void *data)
{
	kvfree(data);
}

static void smbs_read_rsp(struct smbs_work *w, void *data, u32 len)
{
	struct smb2_read_rsp *rsp = smbs_rsp_body(w, sizeof(*rsp));

	rsp->StructureSize = cpu_to_le16(17);
	rsp->DataOffset = sizeof(*rsp);
	rsp->DataLength = cpu_to_le32(len);
	if (len)
		smbs_rsp_attach(w, data, len, smbs_read_free);
	else
		kvfree(data);
}

/* Reads this large or larger go out from the page cache without a copy. */
#define SMBS_SPLICE_MIN		(16U << 10)

/**
 * struct smbs_splice - pages collected from the page cache for a READ
 * @bv: one entry per page piece, each holding a page reference
 * @n: entries used
 * @max: entries allocated
 */
struct smbs_splice {
	struct bio_vec *bv;
	unsigned int n;
	unsigned int max;
};

static int smbs_splice_buf(struct pipe_inode_info *pipe, struct pipe_buffer *buf,
			   struct splice_desc *sd)
{
	struct smbs_splice *sp = sd->u.data;

	if (sp->n == sp->max)
		return -ENOSPC;
	get_page(buf->page);
	bvec_set_page(&sp->bv[sp->n++], buf->page, sd->len, buf->offset);
	return sd->len;
}

static int smbs_splice_actor(struct pipe_inode_info *pipe,
			     struct splice_desc *sd)
{
	return __splice_from_pipe(pipe, sd, smbs_splice_buf);
}

static void smbs_splice_free(struct smbs_splice *sp)
{
	while (sp->n)
		put_page(sp->bv[--sp->n].bv_page);
	kfree(sp->bv);
}

/*
 * Take references to the page cache pages holding [@off, @off + @len) and
 * send them as they are: the data is never copied on its way to the socket.
 * Returns bytes read, or a negative errno when the file cannot be spliced
 * (the caller then copies).
 */
static ssize_t smbs_read_splice(struct smbs_work *w, struct smbs_file *fp,
				u64 off, u32 len, u32 min_count)
{
	struct smbs_splice sp = { .max = DIV_ROUND_UP(len, PAGE_SIZE) + 2 };
	struct splice_desc sd = {
		.total_len = len,
		.pos = off,
		.u.data = &sp,
	};
	ssize_t n;

	if (!fp->filp->f_op->splice_read)
		return -EOPNOTSUPP;
	sp.bv = kmalloc_array(sp.max, sizeof(*sp.bv), GFP_KERNEL);
	if (!sp.bv)
		return -ENOMEM;
	n = splice_direct_to_actor(fp->filp, &sd, smbs_splice_actor);
	if (n <= 0 || n < min_count) {
		/* Nothing, or short of MinimumCount: end of file. */
		smbs_splice_free(&sp);
		return n < 0 ? n : 0;
	}
	smbs_read_rsp(w, NULL, 0);
	smbs_rsp_attach_pages(w, sp.bv, sp.n, n);
	((struct smb2_read_rsp *)smbs_rsp_hdr(w))->DataLength = cpu_to_le32(n);
	return n;
}

/*
 * Read from the file: large reads by reference to the page cache, small
 * ones (or signed responses, which hash a linear payload) by copy.
 */
static __le32 smbs_read_file(struct smbs_work *w, struct smbs_file *fp,
			     u64 off, u32 len, u32 min_count)
{
	ssize_t spliced;

	loff_t pos = off;
	void *buf = NULL;
	u32 done = 0;
	ssize_t n;

	if (len >= SMBS_SPLICE_MIN && min_count <= len &&
	    smbs_rsp_may_splice(w)) {
		spliced = smbs_read_splice(w, fp, off, len, min_count);
		if (spliced >= 0)
			trace_smbs_read(fp, off, len, spliced, true);
		if (spliced > 0)
			return STATUS_SUCCESS;
		if (!spliced)
			return STATUS_END_OF_FILE;
		/* Cannot splice this file: copy instead. */
	}
	if (len) {
		buf = kvmalloc(len, GFP_KERNEL);
		if (!buf)
			return STATUS_NO_MEMORY;
	}
	while (done < len) {
		n = kernel_read(fp->filp, buf + done, len - done, &pos);
		if (n < 0 && !done) {
			kvfree(buf);
			return smbs_errno_status(n);
		}
		if (n <= 0)
			break;
		done += n;
	}
	trace_smbs_read(fp, off, len, done, false);

	if ((!done && (len || off >= i_size_read(file_inode(fp->filp)))) ||
	    done < min_count) {
		kvfree(buf);
		return STATUS_END_OF_FILE;
	}
	smbs_read_rsp(w, buf, done);
	return STATUS_SUCCESS;
}

__le32 smbs_read(struct smbs_work *w)
{
	const struct smb2_read_req *req =
		(const struct smb2_read_req *)w->pdu.hdr;
	u32 len = le32_to_cpu(req->Length);
	u64 off = le64_to_cpu(req->Offset);
	struct smbs_file *fp;
	__le32 st;

	/* The order of the checks is MS-SMB2 3.3.5.12's. */
	fp = smbs_file_lookup(w, req->PersistentFileId, req->VolatileFileId);
	if (!fp)
		return STATUS_FILE_CLOSED;

	if (!smbs_file_is_pipe(fp) && !(fp->access & SMBS_A_READ))
		st = STATUS_ACCESS_DENIED;
	else if (len > w->conn->max_read || req->Channel != SMB2_CHANNEL_NONE)
		st = STATUS_INVALID_PARAMETER;
	else if (smbs_file_is_pipe(fp))
		st = smbs_pipe_read(w, fp, len);
	else if (fp->is_dir)
		st = STATUS_INVALID_DEVICE_REQUEST;
	else if (!(fp->filp->f_mode & FMODE_READ))
		st = STATUS_ACCESS_DENIED;
	else if (!smbs_range_ok(off, len))
		st = STATUS_INVALID_PARAMETER;
	else if (smbs_lock_io_conflict(fp, off, len, false))
		st = STATUS_FILE_LOCK_CONFLICT;
	else
		st = smbs_read_file(w, fp, off, len,
				    le32_to_cpu(req->MinimumCount));
	smbs_file_put(fp);
	return st;
}

static void smbs_write_rsp(struct smbs_work *w, u32 count)
{
	struct smb2_write_rsp *rsp = smbs_rsp_body(w, sizeof(*rsp));

	rsp->StructureSize = cpu_to_le16(17);
	rsp->DataLength = cpu_to_le32(count);
}

static __le32 smbs_write_status(ssize_t err)
{
	if (err == -ENOSPC || err == -EDQUOT)
		return STATUS_DISK_FULL;
	return smbs_errno_status(err);
}

/* Write @data, or the request's data still in the socket. */
static ssize_t smbs_write_data(struct smbs_work *w, struct file *filp,
			       loff_t *pos, const struct smbs_buf *data)
{
	u32 done = 0;
	ssize_t n;

	if (w->pdu.tail)
		return smbs_work_recv_file(w, filp, pos);
	while (done < data->len) {
		n = kernel_write(filp, data->ptr + done, data->len - done, pos);
		if (n < 0 && !done)
			return n;
		if (n <= 0)
			break;
		done += n;
	}
	return done;
}

static __le32 smbs_write_file(struct smbs_work *w, struct smbs_file *fp,
			      u64 off, u32 len, const struct smbs_buf *data,
			      bool sync)
{
	struct file *filp = fp->filp;
	bool from_socket;
	loff_t pos;
	ssize_t done;
	int err;

	if (off == SMBS_WRITE_TO_EOF)
		off = i_size_read(file_inode(filp));
	if (!smbs_range_ok(off, len))
		return STATUS_INVALID_PARAMETER;
	if (smbs_lock_io_conflict(fp, off, len, true))
		return STATUS_FILE_LOCK_CONFLICT;

	pos = off;
	from_socket = w->pdu.tail;
	done = smbs_write_data(w, filp, &pos, data);
	trace_smbs_write(fp, off, len, done, from_socket);
	if (done < 0)
		return smbs_write_status(done);

	if (done && (sync || (fp->create_options &
			      le32_to_cpu(FILE_WRITE_THROUGH_LE)))) {
		err = vfs_fsync_range(filp, off, off + done - 1, 1);
		if (err)
			return smbs_write_status(err);
	}
	smbs_write_rsp(w, done);
	return STATUS_SUCCESS;
}

__le32 smbs_write(struct smbs_work *w)
{
	const struct smb2_write_req *req =
		(const struct smb2_write_req *)w->pdu.hdr;
	const struct smbs_buf *data = &w->pdu.var[SMBS_VAR_WRITE_DATA];
	u32 len = le32_to_cpu(req->Length);
	struct smbs_file *fp;
	__le32 st;

	/* The data is in memory or, for a large WRITE, still in the socket. */
	if (len != data->len + w->pdu.tail)
		return STATUS_INVALID_PARAMETER;

	/* The order of the checks is MS-SMB2 3.3.5.13's. */
	fp = smbs_file_lookup(w, req->PersistentFileId, req->VolatileFileId);
	if (!fp)
		return STATUS_FILE_CLOSED;

	if (!smbs_file_is_pipe(fp) && (!(fp->access & SMBS_A_WRITE) ||
				       !smbs_tree_writable(fp->tree)))
		st = STATUS_ACCESS_DENIED;
	else if (len > w->conn->max_write || req->Channel != SMB2_CHANNEL_NONE)
		st = STATUS_INVALID_PARAMETER;
	else if (smbs_file_is_pipe(fp))
		st = smbs_pipe_write(w, fp, data);
	else if (fp->is_dir)
		st = STATUS_INVALID_DEVICE_REQUEST;
	else if (!(fp->filp->f_mode & FMODE_WRITE))
		st = STATUS_ACCESS_DENIED;
	else
		st = smbs_write_file(w, fp, le64_to_cpu(req->Offset), len, data,
				     le32_to_cpu(req->Flags) &
				     SMB2_WRITEFLAG_WRITE_THROUGH);
	smbs_file_put(fp);
	return st;
}

__le32 smbs_flush(struct smbs_work *w)
{
	const struct smb2_flush_req *req =
		(const struct smb2_flush_req *)w->pdu.hdr;
	struct smb2_flush_rsp *rsp;
	struct smbs_file *fp;
	__le32 st = STATUS_SUCCESS;
	int err;

	fp = smbs_file_lookup(w, req->PersistentFileId, req->VolatileFileId);
	if (!fp)
		return STATUS_FILE_CLOSED;

	if (smbs_file_is_pipe(fp)) {
		/* Pipe data goes to the daemon at once: nothing to flush. */
	} else if (!(fp->access & SMBS_A_WRITE)) {
		st = STATUS_ACCESS_DENIED;
	} else if (!(fp->filp->f_mode & FMODE_PATH)) {
		err = vfs_fsync(fp->filp, 0);
		if (err)
			st = smbs_write_status(err);
	}
	smbs_file_put(fp);
	if (st != STATUS_SUCCESS)
		return st;

	rsp = smbs_rsp_body(w, sizeof(*rsp));
	rsp->StructureSize = cpu_to_le16(4);
	return STATUS_SUCCESS;
}
