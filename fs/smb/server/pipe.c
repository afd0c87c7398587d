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
 *   STATUS_BUFFER_OVERFLOW and the rest kept here (smbs_pipe.rest) for
 *   the READs that follow, as on a message-mode pipe.
 * - The open's last reference (CLOSE, TREE_DISCONNECT, LOGOFF or the
 *   connection going away, once no request holds it) closes the pipe at
 *   the daemon (SMB_SERVER_RPC_CLOSE).
 *
 * Each call to the daemon (smbs_ipc_rpc()) carries at most
 * SMB_SERVER_RPC_MAX bytes each way (the netlink policies enforce it on
 * the answer; longer writes are sent in pieces), waits at most the daemon
 * link's timeout, and fails at once when the daemon is gone: the pipe is
 * then STATUS_PIPE_BROKEN. A daemon started again does not know the old
 * pipe ids, so their opens are STATUS_PIPE_DISCONNECTED. The operations of
 * one open run one at a time (smbs_pipe.lock), so messages are read in
 * the order the service wrote them.
 */
#include "server.h"

#include <linux/atomic.h>
#include <linux/ctype.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
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

/* The longest name of a pipe, and "\PIPE\" before it, in UTF-16. */
#define SMBS_PIPE_NAME_MAX	64
#define SMBS_PIPE_PREFIX	"PIPE\\"
#define SMBS_PIPE_RAW_MAX	(2 * (1 + sizeof(SMBS_PIPE_PREFIX) - 1 + \
				      SMBS_PIPE_NAME_MAX))

/**
 * struct smbs_pipe - the daemon side of a pipe open
 * @id: the pipe's id at the daemon
 * @account: the user who opened it, for the daemon's calls
 * @lock: one operation at a time; protects @rest, @rest_off, @rest_len
 * @rest: a message the client has not read whole, kvmalloc'ed, or NULL
 * @rest_off: how much of it was read
 * @rest_len: its length
 */
struct smbs_pipe {
	u64 id;
	char *account;
	struct mutex lock;	/* one operation at a time, and the rest */
	u8 *rest;
	u32 rest_off;
	u32 rest_len;
};

static atomic64_t smbs_pipe_ids = ATOMIC64_INIT(0);

/* An error of the daemon link, for READ, WRITE and TRANSCEIVE. */
static __le32 smbs_pipe_status(int err)
{
	switch (err) {
	case -ENOENT:		/* not known at the daemon: it restarted */
		return STATUS_PIPE_DISCONNECTED;
	case -ENOTCONN:		/* no daemon */
	case -ETIMEDOUT:	/* no answer */
		return STATUS_PIPE_BROKEN;
	default:		/* -EPROTO: bad DCE/RPC, dropped; -ENOMEM */
		return smbs_errno_status(err);
	}
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
	kvfree(p->rest);
	mutex_destroy(&p->lock);
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
	if (!raw->len || raw->len > SMBS_PIPE_RAW_MAX)
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
	mutex_init(&p->lock);

	err = smbs_ipc_rpc(p->id, name, account, SMB_SERVER_RPC_OPEN, NULL, 0,
			   &out, &out_len);
	kvfree(out);
	kfree(name);
	if (err) {
		mutex_destroy(&p->lock);
		kfree(p->account);
		kfree(p);
		if (err == -ENOENT)
			return STATUS_OBJECT_NAME_NOT_FOUND;
		if (err == -ENOTCONN || err == -ETIMEDOUT)
			return STATUS_PIPE_NOT_AVAILABLE;
		return smbs_errno_status(err);
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
 * Take up to @max bytes of the next message, the rest of a cut one first.
 * Return: the bytes (kvmalloc'ed, NULL for none), *@len their count, and
 * STATUS_SUCCESS, STATUS_BUFFER_OVERFLOW (more of the message is left),
 * STATUS_PIPE_EMPTY or an error. Called under p->lock.
 */
static __le32 smbs_pipe_take(struct smbs_pipe *p, u32 op,
			     const void *in, u32 in_len, u32 max,
			     void **data, u32 *len)
{
	u32 out_len, left;
	u8 *out;
	int err;

	lockdep_assert_held(&p->lock);
	*data = NULL;
	*len = 0;
	if (!p->rest) {
		err = smbs_ipc_rpc(p->id, NULL, p->account, op, in, in_len,
				   (void **)&out, &out_len);
		if (err) {
			kvfree(out);
			return smbs_pipe_status(err);
		}
		if (!out || !out_len) {
			kvfree(out);
			return STATUS_PIPE_EMPTY;
		}
		if (out_len <= max) {
			*data = out;
			*len = out_len;
			return STATUS_SUCCESS;
		}
		p->rest = out;
		p->rest_off = 0;
		p->rest_len = out_len;
	}

	left = p->rest_len - p->rest_off;
	*len = min(left, max);
	if (*len) {
		*data = kvmalloc(*len, GFP_KERNEL);
		if (!*data) {
			*len = 0;
			return STATUS_NO_MEMORY;
		}
		memcpy(*data, p->rest + p->rest_off, *len);
	}
	if (*len < left) {
		p->rest_off += *len;
		return STATUS_BUFFER_OVERFLOW;
	}
	kvfree(p->rest);
	p->rest = NULL;
	return STATUS_SUCCESS;
}

/* Hand @len bytes to the service, in pieces the daemon link carries. */
static int smbs_pipe_send(struct smbs_pipe *p, const u8 *data, u32 len)
{
	u32 n, off = 0;
	void *out;
	u32 out_len;
	int err;

	while (off < len) {
		n = min_t(u32, len - off, SMB_SERVER_RPC_MAX);
		err = smbs_ipc_rpc(p->id, NULL, p->account,
				   SMB_SERVER_RPC_WRITE, data + off, n, &out,
				   &out_len);
		kvfree(out);
		if (err)
			return err;
		off += n;
	}
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
	__le32 st;

	mutex_lock(&p->lock);
	st = smbs_pipe_take(p, SMB_SERVER_RPC_READ, NULL, 0, len, &data, &n);
	mutex_unlock(&p->lock);
	if (st != STATUS_SUCCESS && st != STATUS_BUFFER_OVERFLOW)
		return st;

	rsp = smbs_rsp_body(w, sizeof(*rsp));
	rsp->StructureSize = cpu_to_le16(17);
	rsp->DataOffset = sizeof(*rsp);
	rsp->DataLength = cpu_to_le32(n);
	if (n)
		smbs_rsp_attach(w, data, n, smbs_pipe_read_free);
	return st;
}

__le32 smbs_pipe_write(struct smbs_work *w, struct smbs_file *fp,
		       const struct smbs_buf *data)
{
	struct smbs_pipe *p = fp->priv;
	struct smb2_write_rsp *rsp;
	const u8 *ptr = data->ptr;
	u32 len = data->len;
	void *tail = NULL;
	int err = 0;

	if (w->pdu.tail) {
		/* A large pipe write left its data in the socket. */
		tail = smbs_work_pull_tail(w);
		if (!tail)
			return STATUS_NO_MEMORY;
		ptr = tail;
		len = w->pdu.tail;
	}
	/* Nothing to write is nothing to tell the service. */
	if (len) {
		mutex_lock(&p->lock);
		err = smbs_pipe_send(p, ptr, len);
		mutex_unlock(&p->lock);
	}
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
	u32 head, len, room;
	void *data, *out;
	__le32 st;
	int err;

	if (!smbs_file_is_pipe(fp))
		return STATUS_INVALID_DEVICE_REQUEST;
	/* The answer goes in the response: no more than it can hold. */
	room = smbs_rsp_room(w) - (sizeof(*rsp) - sizeof(struct smb2_hdr));
	max_out = min(max_out, room);

	mutex_lock(&p->lock);
	if (p->rest) {
		/* MS-FSCC 2.3.48: a message is still being read. */
		mutex_unlock(&p->lock);
		return STATUS_PIPE_BUSY;
	}
	/* All but the last piece of a long input are plain writes. */
	head = in->len > SMB_SERVER_RPC_MAX ? in->len - SMB_SERVER_RPC_MAX : 0;
	err = smbs_pipe_send(p, in->ptr, head);
	if (err) {
		mutex_unlock(&p->lock);
		return smbs_pipe_status(err);
	}
	st = smbs_pipe_take(p, SMB_SERVER_RPC_TRANSACT, in->ptr + head,
			    in->len - head, max_out, &data, &len);
	mutex_unlock(&p->lock);
	if (st != STATUS_SUCCESS && st != STATUS_BUFFER_OVERFLOW)
		return st;

	rsp = smbs_rsp_body(w, sizeof(*rsp));
	rsp->StructureSize = cpu_to_le16(49);
	rsp->CtlCode = req->CtlCode;
	rsp->PersistentFileId = req->PersistentFileId;
	rsp->VolatileFileId = req->VolatileFileId;
	out = smbs_rsp_append(w, len);	/* never NULL: len <= room */
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
