// SPDX-License-Identifier: GPL-2.0-only
/*
 * Named pipes on IPC$ (MS-SMB2 3.3.5.9.7, 3.3.5.12, 3.3.5.13, 3.3.5.15.3).
 *
 * A pipe open is a struct smbs_file without a file (fp->filp is NULL)
 * whose fp->priv is a struct smbs_pipe. Its other end is a DCE/RPC
 * service of the daemon, which the kernel knows only by the pipe's id
 * (smbs_pipe.id, unique for the module's lifetime, never reused):
 *
 * - CREATE on a pipe tree checks the name and asks the daemon to open it
 *   (SMB_SERVER_RPC_OPEN); a name the daemon does not serve is
 *   STATUS_OBJECT_NAME_NOT_FOUND. The open counts against the session's
 *   bound on opens only: it holds no file.
 * - WRITE hands the client's bytes to the daemon (SMB_SERVER_RPC_WRITE),
 *   READ takes the next message the service wrote (SMB_SERVER_RPC_READ),
 *   FSCTL_PIPE_TRANSCEIVE does both in one call (SMB_SERVER_RPC_TRANSACT).
 *   A message longer than the client's buffer is cut with
 *   STATUS_BUFFER_OVERFLOW.
 * - The open's last reference (CLOSE, TREE_DISCONNECT, LOGOFF or the
 *   connection going away, once no request holds it) closes the pipe at
 *   the daemon (SMB_SERVER_RPC_CLOSE).
 *
 * Each call to the daemon (smbs_ipc_rpc()) carries at most
 * SMB_SERVER_RPC_MAX bytes each way (the netlink policies enforce it on
 * the answer), waits at most the daemon link's timeout, and fails at once
 * when the daemon is gone. A daemon started again does not know the old
 * pipe ids, so their opens are STATUS_PIPE_DISCONNECTED.
 */
#include "server.h"

#include <linux/atomic.h>
#include <linux/ctype.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "file.h"
#include "fileinfo.h"
#include "ipc.h"
#include "misc.h"
#include "pipe.h"
#include "session.h"
#include "smb2.h"
#include "work.h"

/* The longest name of a pipe. */
#define SMBS_PIPE_NAME_MAX	64
#define SMBS_PIPE_PREFIX	"PIPE\\"

/**
 * struct smbs_pipe - the daemon side of a pipe open
 * @id: the pipe's id at the daemon
 * @account: the user who opened it, for the daemon's calls
 */
struct smbs_pipe {
	u64 id;
	char *account;
};

static atomic64_t smbs_pipe_ids = ATOMIC64_INIT(0);

/* An error of the daemon link, for READ and WRITE. */
static __le32 smbs_pipe_status(int err)
{
	return err == -ENOENT ? STATUS_PIPE_DISCONNECTED :
				smbs_errno_status(err);
}

/* The last reference to the open: close the pipe at the daemon. */
static void smbs_pipe_release(void *priv)
{
	struct smbs_pipe *p = priv;
	void *out;
	u32 out_len;
	int err;

	err = smbs_ipc_rpc(p->id, NULL, p->account, SMB_SERVER_RPC_CLOSE,
			   NULL, 0, &out, &out_len);
	kvfree(out);
	if (err && err != -ENOENT)
		smbs_dbg(IPC, "pipe %llu close: %d\n", p->id, err);
	kfree(p->account);
	kfree(p);
}

/*
 * The client's name, kmalloc'ed, as the daemon knows it: "srvsvc",
 * "\PIPE\srvsvc" and "PIPE\srvsvc" all name the same pipe. NULL (and
 * *@st set) for a name no pipe can have.
 */
static char *smbs_pipe_name(const struct smbs_buf *raw, __le32 *st)
{
	char *name, *p, *c;
	size_t len;
	int err;

	*st = STATUS_OBJECT_NAME_INVALID;
	if (!raw->len)
		return NULL;
	err = smbs_utf16_to_utf8(raw->ptr, raw->len, &name);
	if (err < 0) {
		if (err == -ENOMEM)
			*st = STATUS_NO_MEMORY;
		return NULL;
	}
	p = name;
	if (*p == '\\')
		p++;
	if (!strncasecmp(p, SMBS_PIPE_PREFIX, strlen(SMBS_PIPE_PREFIX)))
		p += strlen(SMBS_PIPE_PREFIX);
	len = strlen(p);
	if (!len || len > SMBS_PIPE_NAME_MAX)
		goto bad;
	for (c = p; *c; c++) {
		if (!isalnum(*c) && *c != '_' && *c != '-' && *c != '.' &&
		    *c != '$')
			goto bad;
		*c = tolower(*c);
	}
	memmove(name, p, len + 1);
	return name;
bad:
	kfree(name);
	return NULL;
}

__le32 smbs_pipe_open(struct smbs_work *w, u32 access, u32 options,
		      struct smbs_file **fpp)
{
	const char *account = w->sess->user ? w->sess->user->name : "";
	struct smbs_file *fp;
	struct smbs_pipe *p;
	void *out;
	u32 out_len;
	char *name;
	__le32 st;
	int err;

	name = smbs_pipe_name(&w->pdu.var[SMBS_VAR_CREATE_NAME], &st);
	if (!name)
		return st;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (p)
		p->account = kstrdup(account, GFP_KERNEL);
	if (!p || !p->account) {
		kfree(p);
		kfree(name);
		return STATUS_NO_MEMORY;
	}
	p->id = atomic64_inc_return(&smbs_pipe_ids);

	err = smbs_ipc_rpc(p->id, name, account, SMB_SERVER_RPC_OPEN, NULL, 0,
			   &out, &out_len);
	kvfree(out);
	kfree(name);
	if (err) {
		kfree(p->account);
		kfree(p);
		return err == -ENOENT ? STATUS_OBJECT_NAME_NOT_FOUND :
					smbs_errno_status(err);
	}

	fp = smbs_file_alloc(w->tree, NULL);
	if (!fp) {
		smbs_pipe_release(p);
		return STATUS_NO_MEMORY;
	}
	fp->priv = p;
	fp->priv_release = smbs_pipe_release;
	fp->access = access;
	fp->create_options = options;
	*fpp = fp;
	return STATUS_SUCCESS;
}

/*
 * Send @in_len bytes to the service with @op, and take the message it
 * answers (kvmalloc'ed, NULL for none, *@len its length).
 */
static int smbs_pipe_call(struct smbs_pipe *p, u32 op, const void *in,
			  u32 in_len, void **data, u32 *len)
{
	int err;

	err = smbs_ipc_rpc(p->id, NULL, p->account, op, in, in_len, data, len);
	if (err) {
		kvfree(*data);
		*data = NULL;
		*len = 0;
		return err;
	}
	if (!*data)
		*len = 0;
	return 0;
}

static void smbs_pipe_read_free(void *data)
{
	kvfree(data);
}

__le32 smbs_pipe_read(struct smbs_work *w, struct smbs_file *fp, u32 len)
{
	struct smbs_pipe *p = fp->priv;
	struct smb2_read_rsp *rsp;
	void *data;
	u32 n;
	int err;

	err = smbs_pipe_call(p, SMB_SERVER_RPC_READ, NULL, 0, &data, &n);
	if (err)
		return smbs_pipe_status(err);

	rsp = smbs_rsp_body(w, sizeof(*rsp));
	rsp->StructureSize = cpu_to_le16(17);
	rsp->DataOffset = sizeof(*rsp);
	rsp->DataLength = cpu_to_le32(min(n, len));
	if (min(n, len))
		smbs_rsp_attach(w, data, min(n, len), smbs_pipe_read_free);
	else
		kvfree(data);
	return n > len ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

__le32 smbs_pipe_write(struct smbs_work *w, struct smbs_file *fp,
		       const struct smbs_buf *data)
{
	struct smbs_pipe *p = fp->priv;
	struct smb2_write_rsp *rsp;
	const u8 *ptr = data->ptr;
	u32 len = data->len;
	void *tail = NULL, *out;
	u32 out_len;
	int err;

	if (w->pdu.tail) {
		/* A large pipe write left its data in the socket. */
		tail = smbs_work_pull_tail(w);
		if (!tail)
			return STATUS_NO_MEMORY;
		ptr = tail;
		len = w->pdu.tail;
	}
	err = smbs_pipe_call(p, SMB_SERVER_RPC_WRITE, ptr, len, &out,
			     &out_len);
	kvfree(out);
	kvfree(tail);
	if (err)
		return smbs_pipe_status(err);

	rsp = smbs_rsp_body(w, sizeof(*rsp));
	rsp->StructureSize = cpu_to_le16(17);
	rsp->DataLength = cpu_to_le32(len);
	return STATUS_SUCCESS;
}

__le32 smbs_pipe_transceive(struct smbs_work *w, struct smbs_file *fp,
			    u32 max_out)
{
	const struct smb2_ioctl_req *req = (const void *)w->pdu.hdr;
	const struct smbs_buf *in = &w->pdu.var[SMBS_VAR_IOCTL_IN];
	struct smbs_pipe *p = fp->priv;
	struct smb2_ioctl_rsp *rsp;
	__le32 st = STATUS_SUCCESS;
	void *data, *out;
	u32 len;
	int err;

	if (!smbs_file_is_pipe(fp))
		return STATUS_INVALID_DEVICE_REQUEST;
	err = smbs_pipe_call(p, SMB_SERVER_RPC_TRANSACT, in->ptr, in->len,
			     &data, &len);
	if (err)
		return err == -ENOENT ? STATUS_PIPE_DISCONNECTED :
					STATUS_PIPE_BROKEN;
	if (len > max_out) {
		len = max_out;
		st = STATUS_BUFFER_OVERFLOW;
	}

	rsp = smbs_rsp_body(w, sizeof(*rsp));
	rsp->StructureSize = cpu_to_le16(49);
	rsp->CtlCode = req->CtlCode;
	rsp->PersistentFileId = req->PersistentFileId;
	rsp->VolatileFileId = req->VolatileFileId;
	out = smbs_rsp_append(w, len);
	if (!out) {
		kvfree(data);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	rsp->OutputOffset = cpu_to_le32(smbs_rsp_offset(w, out));
	rsp->OutputCount = cpu_to_le32(len);
	if (len)
		memcpy(out, data, len);
	kvfree(data);
	return st;
}

void smbs_pipe_standard_info(struct smbs_standard_info *s)
{
	s->allocation_size = cpu_to_le64(4096);
	s->number_of_links = cpu_to_le32(1);
	s->delete_pending = 1;
}
