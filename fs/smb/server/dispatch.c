// SPDX-License-Identifier: GPL-2.0-only
/*
 * The dispatcher: runs one received message, possibly a compound, through
 * the PDU reader, credit accounting, session and tree look-up, signature
 * check and the command handlers, and sends the responses as one message.
 */
#include "server.h"

#include <linux/bvec.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include "auth.h"
#include "connection.h"
#include "session.h"
#include "smb2.h"
#include "tree.h"
#include "work.h"
#include "trace.h"

#define SMBD_CREDIT_UNIT	65536

/* What a command needs before its handler may run. */
#define SMBD_NEED_SESS		BIT(0)	/* a VALID session */
#define SMBD_NEED_TREE		BIT(1)	/* a tree connect */
#define SMBD_USES_FID		BIT(2)	/* takes a FileId (compound rules) */

struct smbd_cmd {
	__le32 (*handler)(struct smbd_work *w);
	void (*done)(struct smbd_work *w);
	unsigned int flags;
};

static const struct smbd_cmd smbd_cmds[NUMBER_OF_SMB2_COMMANDS] = {
	[SMB2_NEGOTIATE_HE] = { smbd_negotiate, smbd_negotiate_done, 0 },
	[SMB2_SESSION_SETUP_HE] = { smbd_session_setup,
				    smbd_session_setup_done, 0 },
	[SMB2_LOGOFF_HE] = { smbd_logoff, NULL, SMBD_NEED_SESS },
	[SMB2_TREE_CONNECT_HE] = { smbd_tree_connect, NULL, SMBD_NEED_SESS },
	[SMB2_TREE_DISCONNECT_HE] = { smbd_tree_disconnect, NULL,
				      SMBD_NEED_SESS | SMBD_NEED_TREE },
	[SMB2_CREATE_HE] = { smbd_create, NULL,
			     SMBD_NEED_SESS | SMBD_NEED_TREE },
	[SMB2_CLOSE_HE] = { smbd_close, NULL,
			    SMBD_NEED_SESS | SMBD_NEED_TREE | SMBD_USES_FID },
	[SMB2_FLUSH_HE] = { smbd_flush, NULL,
			    SMBD_NEED_SESS | SMBD_NEED_TREE | SMBD_USES_FID },
	[SMB2_READ_HE] = { smbd_read, NULL,
			   SMBD_NEED_SESS | SMBD_NEED_TREE | SMBD_USES_FID },
	[SMB2_WRITE_HE] = { smbd_write, NULL,
			    SMBD_NEED_SESS | SMBD_NEED_TREE | SMBD_USES_FID },
	[SMB2_LOCK_HE] = { smbd_lock, NULL,
			   SMBD_NEED_SESS | SMBD_NEED_TREE | SMBD_USES_FID },
	[SMB2_IOCTL_HE] = { smbd_ioctl, NULL,
			    SMBD_NEED_SESS | SMBD_NEED_TREE | SMBD_USES_FID },
	[SMB2_ECHO_HE] = { smbd_echo, NULL, 0 },
	[SMB2_QUERY_DIRECTORY_HE] = { smbd_query_directory, NULL,
				      SMBD_NEED_SESS | SMBD_NEED_TREE |
				      SMBD_USES_FID },
	[SMB2_QUERY_INFO_HE] = { smbd_query_info, NULL,
				 SMBD_NEED_SESS | SMBD_NEED_TREE |
				 SMBD_USES_FID },
	[SMB2_SET_INFO_HE] = { smbd_set_info, NULL,
			       SMBD_NEED_SESS | SMBD_NEED_TREE |
			       SMBD_USES_FID },
};

/* ---- response building ------------------------------------------------ */

void *smbd_rsp_body(struct smbd_work *w, u32 size)
{
	u8 *hdr = w->arena + w->cur->off;
	u32 body = size - sizeof(struct smb2_hdr);

	/* The arena holds every command's fixed part (smbd_pdu_rsp_size). */
	if (WARN_ON_ONCE(w->has_body || size < sizeof(struct smb2_hdr) ||
			 body > smbd_rsp_room(w)))
		return NULL;
	memset(hdr + sizeof(struct smb2_hdr), 0, body);
	w->arena_len += body;
	w->has_body = true;
	return hdr;
}

void *smbd_rsp_append(struct smbd_work *w, u32 size)
{
	u8 *p;

	if (size > smbd_rsp_room(w))
		return NULL;
	p = w->arena + w->arena_len;
	memset(p, 0, size);
	w->arena_len += size;
	return p;
}

void smbd_rsp_trim(struct smbd_work *w, const void *end)
{
	u32 len = (const u8 *)end - w->arena;

	if (!WARN_ON_ONCE(len > w->arena_len ||
			  len < w->cur->off + sizeof(struct smb2_hdr)))
		w->arena_len = len;
}

void smbd_rsp_attach(struct smbd_work *w, void *data, u32 len,
		     void (*release)(void *data))
{
	struct smbd_rsp_elem *e = w->cur;

	if (WARN_ON_ONCE(e->payload)) {
		if (release)
			release(data);
		return;
	}
	e->payload = data;
	e->payload_len = len;
	e->payload_free = release;
}

void smbd_rsp_attach_pages(struct smbd_work *w, struct bio_vec *bv,
			   unsigned int n, u32 len)
{
	struct smbd_rsp_elem *e = w->cur;

	WARN_ON_ONCE(e->payload || e->pages);
	e->pages = bv;
	e->npages = n;
	e->payload_len = len;
}

bool smbd_rsp_may_splice(struct smbd_work *w)
{
	return !w->sign_rsp && !w->req_signed &&
	       !(w->sess && w->sess->sign);
}

static void smbd_rsp_release(struct smbd_rsp_elem *e)
{
	unsigned int i;

	if (e->payload_free)
		e->payload_free(e->payload);
	for (i = 0; i < e->npages; i++)
		put_page(e->pages[i].bv_page);
	kfree(e->pages);
}

void smbd_work_file_ids(struct smbd_work *w, u64 *pid, u64 *vid)
{
	const struct smb2_hdr *hdr = w->pdu.hdr;

	if ((hdr->Flags & SMB2_FLAGS_RELATED_OPERATIONS) &&
	    *pid == U64_MAX && *vid == U64_MAX) {
		*pid = w->cmp_fid[0];
		*vid = w->cmp_fid[1];
	}
}

/**
 * smbd_echo - ECHO (MS-SMB2 3.3.5.4)
 * @w: the work
 *
 * Return: STATUS_SUCCESS.
 */
__le32 smbd_echo(struct smbd_work *w)
{
	struct smb2_echo_rsp *rsp = smbd_rsp_body(w, sizeof(*rsp));

	rsp->StructureSize = cpu_to_le16(4);
	return STATUS_SUCCESS;
}

/* The standard error response, MS-SMB2 2.2.2. */
static void smbd_error_body(struct smbd_work *w)
{
	struct smb2_err_rsp *rsp;

	w->has_body = false;
	rsp = smbd_rsp_body(w, sizeof(*rsp) + 1);
	rsp->StructureSize = SMB2_ERROR_STRUCTURE_SIZE2_LE;
}

/* ---- credits (MS-SMB2 3.3.1.2) ---------------------------------------- */

static u16 smbd_credit_charge(struct smbd_conn *conn,
			      const struct smb2_hdr *hdr)
{
	u16 charge = le16_to_cpu(hdr->CreditCharge);

	if (!(conn->srv_caps & SMB2_GLOBAL_CAP_LARGE_MTU))
		return 1;
	return charge ? charge : 1;
}

/* Large READ/WRITE/IOCTL/QUERY requests must pay for their size. */
static bool smbd_credit_covers(struct smbd_work *w, u16 charge)
{
	const u8 *body = w->pdu.body;
	u32 need = 0;

	if (!(w->conn->srv_caps & SMB2_GLOBAL_CAP_LARGE_MTU))
		return true;
	switch (le16_to_cpu(w->pdu.hdr->Command)) {
	case SMB2_READ_HE:
		need = get_unaligned_le32(body + 4);
		break;
	case SMB2_WRITE_HE:
		need = get_unaligned_le32(body + 4);
		break;
	case SMB2_IOCTL_HE:
		need = max(w->pdu.var[0].len, get_unaligned_le32(body + 44));
		break;
	case SMB2_QUERY_DIRECTORY_HE:
		need = get_unaligned_le32(body + 28);
		break;
	default:
		return true;
	}
	return charge >= DIV_ROUND_UP(max(need, 1U), SMBD_CREDIT_UNIT);
}

/*
 * Consume @charge credits and the message ids [@mid, @mid + @charge):
 * each id is used once, inside the window the granted credits allow
 * (MS-SMB2 3.3.5.2.3). Anything else ends the connection.
 */
static bool smbd_credit_take(struct smbd_conn *conn, u64 mid, u16 charge)
{
	bool ok = false;
	u64 i;

	spin_lock(&conn->lock);
	if (conn->credits < charge || mid < conn->seq_lo ||
	    mid + charge > conn->seq_lo + SMBD_SEQ_WINDOW ||
	    mid + charge < mid)
		goto out;
	for (i = mid; i < mid + charge; i++)
		if (test_bit(i % SMBD_SEQ_WINDOW, conn->seq_used))
			goto out;
	for (i = mid; i < mid + charge; i++)
		__set_bit(i % SMBD_SEQ_WINDOW, conn->seq_used);
	while (test_bit(conn->seq_lo % SMBD_SEQ_WINDOW, conn->seq_used)) {
		__clear_bit(conn->seq_lo % SMBD_SEQ_WINDOW, conn->seq_used);
		conn->seq_lo++;
	}
	conn->credits -= charge;
	ok = true;
out:
	spin_unlock(&conn->lock);
	return ok;
}

static u16 smbd_credit_grant(struct smbd_conn *conn, u16 charge, u16 asked)
{
	u16 grant = max_t(u16, asked, 1);

	spin_lock(&conn->lock);
	if (conn->credits + grant > SMBD_MAX_CREDITS)
		grant = SMBD_MAX_CREDITS - conn->credits;
	/* Never leave the client without a credit. */
	if (!grant && !conn->credits)
		grant = 1;
	conn->credits += grant;
	spin_unlock(&conn->lock);
	return grant;
}

/* ---- one request ------------------------------------------------------ */

static void smbd_rsp_start(struct smbd_work *w, const struct smb2_hdr *req)
{
	struct smbd_rsp_elem *e = &w->elems[w->nelems++];
	struct smb2_hdr *rsp;

	w->arena_len = ALIGN(w->arena_len, 8);
	e->off = w->arena_len;
	w->cur = e;
	w->has_body = false;
	rsp = (struct smb2_hdr *)(w->arena + e->off);
	memset(rsp, 0, sizeof(*rsp));
	rsp->ProtocolId = SMB2_PROTO_NUMBER;
	rsp->StructureSize = SMB2_HEADER_STRUCTURE_SIZE;
	rsp->CreditCharge = req->CreditCharge;
	rsp->Command = req->Command;
	rsp->Flags = SMB2_FLAGS_SERVER_TO_REDIR |
		     (req->Flags & SMB2_FLAGS_RELATED_OPERATIONS);
	rsp->MessageId = req->MessageId;
	rsp->Id.SyncId.ProcessId = req->Id.SyncId.ProcessId;
	rsp->Id.SyncId.TreeId = req->Id.SyncId.TreeId;
	rsp->SessionId = req->SessionId;
	w->arena_len += sizeof(*rsp);
}

static void smbd_drop_sess(struct smbd_work *w)
{
	if (w->tree) {
		smbd_tree_put(w->tree);
		w->tree = NULL;
	}
	if (w->sess) {
		smbd_session_put(w->sess);
		w->sess = NULL;
	}
}

/* Find the session, check the signature, find the tree. */
static __le32 smbd_lookup_context(struct smbd_work *w,
				  const struct smbd_cmd *cmd, bool related)
{
	const struct smb2_hdr *hdr = w->pdu.hdr;
	bool signed_req = hdr->Flags & SMB2_FLAGS_SIGNED;

	if (!related)
		smbd_drop_sess(w);
	if (!(cmd->flags & SMBD_NEED_SESS))
		return STATUS_SUCCESS;
	if (!w->sess) {
		w->sess = smbd_session_lookup(w->conn,
					      le64_to_cpu(hdr->SessionId));
		if (!w->sess)
			return STATUS_USER_SESSION_DELETED;
	}
	if (READ_ONCE(w->sess->state) != SMBD_SESS_VALID)
		return STATUS_USER_SESSION_DELETED;
	if (w->sess->sign && !signed_req)
		return STATUS_ACCESS_DENIED;
	if (signed_req && !smbd_sign_verify(w)) {
		pr_warn_ratelimited("%s: bad signature on message %llu\n",
				    w->conn->peer, le64_to_cpu(hdr->MessageId));
		return STATUS_ACCESS_DENIED;
	}
	if (!(cmd->flags & SMBD_NEED_TREE))
		return STATUS_SUCCESS;
	if (!related || !w->tree) {
		if (w->tree)
			smbd_tree_put(w->tree);
		w->tree = smbd_tree_lookup(w->sess,
					   le32_to_cpu(hdr->Id.SyncId.TreeId));
		if (!w->tree)
			return STATUS_NETWORK_NAME_DELETED;
	}
	return STATUS_SUCCESS;
}

static __le32 smbd_run_handler(struct smbd_work *w, const struct smbd_cmd *cmd)
{
	const struct cred *old = NULL;
	__le32 status;

	if (w->tree && w->tree->cred)
		old = override_creds(w->tree->cred);
	status = cmd->handler(w);
	if (old)
		revert_creds(old);
	return status;
}

/* The state checks that come before everything else (MS-SMB2 3.3.5.2). */
static int smbd_check_conn_state(struct smbd_work *w, u16 cmd)
{
	enum smbd_conn_state state = READ_ONCE(w->conn->state);

	if (state == SMBD_CONN_NEW && cmd != SMB2_NEGOTIATE_HE)
		return -EPROTO;
	if (state == SMBD_CONN_GOOD && cmd == SMB2_NEGOTIATE_HE)
		return -EPROTO;
	return 0;
}

/*
 * The data of a head-first WRITE still in the socket belongs to the
 * message's last element only: the element at @off, @len has it if it
 * ends the message.
 */
static u32 smbd_elem_tail(const struct smbd_work *w, u32 off, u32 len)
{
	return off + len == w->msg_len ? w->tail : 0;
}

/*
 * Process the request at @off. Returns 0 when a response was built, 1 when
 * the request gets none, negative to drop the connection.
 */
static int smbd_process_one(struct smbd_work *w, u32 off, u32 len,
			    bool first)
{
	const struct smb2_hdr *req = (const struct smb2_hdr *)(w->msg + off);
	bool related = !first && (req->Flags & SMB2_FLAGS_RELATED_OPERATIONS);
	u16 cmd_id = le16_to_cpu(req->Command);
	const struct smbd_cmd *cmd = NULL;
	u16 charge = smbd_credit_charge(w->conn, req);
	u16 granted;
	__le32 status;

	if (smbd_check_conn_state(w, cmd_id))
		return -EPROTO;
	/* A response sent to the server is a confused or hostile peer. */
	if (req->Flags & SMB2_FLAGS_SERVER_TO_REDIR)
		return -EPROTO;
	/*
	 * CANCEL takes no credit and gets no answer (MS-SMB2 3.3.5.16);
	 * nothing runs asynchronously yet, so there is nothing to cancel.
	 */
	if (cmd_id == SMB2_CANCEL_HE)
		return 1;
	if (!smbd_credit_take(w->conn, le64_to_cpu(req->MessageId), charge)) {
		pr_warn_ratelimited("%s: message id %llu outside its credits\n",
				    w->conn->peer, le64_to_cpu(req->MessageId));
		return -EPROTO;
	}
	w->credits_charge = charge;
	w->req_signed = req->Flags & SMB2_FLAGS_SIGNED;
	smbd_rsp_start(w, req);

	status = smbd_pdu_parse_tail(w->msg + off, len,
				     smbd_elem_tail(w, off, len), &w->pdu);
	if (status != STATUS_SUCCESS) {
		/* Keep the header for the error path below. */
		w->pdu.hdr = req;
		goto out;
	}
	if (cmd_id < NUMBER_OF_SMB2_COMMANDS)
		cmd = &smbd_cmds[cmd_id];
	if (!cmd || !cmd->handler) {
		status = STATUS_NOT_SUPPORTED;
		goto out;
	}
	if (!smbd_credit_covers(w, charge)) {
		status = STATUS_INVALID_PARAMETER;
		goto out;
	}
	if (related && (cmd->flags & SMBD_USES_FID) &&
	    w->cmp_status != STATUS_SUCCESS) {
		status = w->cmp_status;
		goto out;
	}
	status = smbd_lookup_context(w, cmd, related);
	if (status == STATUS_SUCCESS)
		status = smbd_run_handler(w, cmd);
out:
	if (!w->has_body)
		smbd_error_body(w);
	granted = smbd_credit_grant(w->conn, charge,
				    le16_to_cpu(req->CreditRequest));
	smbd_rsp_hdr(w)->Status = status;
	smbd_rsp_hdr(w)->CreditRequest = cpu_to_le16(granted);
	trace_smbd_request(w->conn, req, status, granted);
	w->cur->len = w->arena_len - w->cur->off;
	w->cmp_status = status;
	if (cmd && cmd->done)
		cmd->done(w);
	return smbd_conn_alive(w->conn) ? 0 : -ESHUTDOWN;
}

/* Chain the response at its place in the compound and sign it. */
static void smbd_finish_elem(struct smbd_work *w, bool last)
{
	struct smbd_rsp_elem *e = w->cur;
	struct smb2_hdr *rsp = smbd_rsp_hdr(w);
	u32 total = e->len + e->payload_len;

	if (!last) {
		e->pad = ALIGN(total, 8) - total;
		rsp->NextCommand = cpu_to_le32(total + e->pad);
	}
	/* Signed requests get signed answers (MS-SMB2 3.3.4.1.1). */
	if (w->sess && !w->sess->is_guest &&
	    (w->sign_rsp || ((w->sess->sign || w->req_signed) &&
			     READ_ONCE(w->sess->state) == SMBD_SESS_VALID)))
		smbd_sign_rsp(w, e);
	w->sign_rsp = false;
	w->req_signed = false;
}

static int smbd_send_rsp(struct smbd_work *w)
{
	static const u8 zeroes[8];
	struct smbd_seg *segs;
	unsigned int i, n = 0;
	int err;

	segs = kcalloc(w->nelems * 3, sizeof(*segs), GFP_KERNEL);
	if (!segs)
		return -ENOMEM;
	for (i = 0; i < w->nelems; i++) {
		struct smbd_rsp_elem *e = &w->elems[i];

		segs[n].kv.iov_base = w->arena + e->off;
		segs[n++].kv.iov_len = e->len;
		if (e->pages) {
			segs[n].bv = e->pages;
			segs[n].nbv = e->npages;
			segs[n++].bv_len = e->payload_len;
		} else if (e->payload_len) {
			segs[n].kv.iov_base = e->payload;
			segs[n++].kv.iov_len = e->payload_len;
		}
		if (e->pad) {
			segs[n].kv.iov_base = (void *)zeroes;
			segs[n++].kv.iov_len = e->pad;
		}
	}
	err = smbd_conn_send_segs(w->conn, segs, n);
	kfree(segs);
	return err;
}

/* First pass: check the compound's framing and size the response buffer. */
static int smbd_size_compound(struct smbd_work *w, unsigned int *count)
{
	struct smbd_pdu pdu;
	u32 off = 0, len, need, fixed = 0, var = 0;
	unsigned int n = 0;
	int ret;

	while ((ret = smbd_pdu_next(w->msg, w->msg_len, &off, &len)) > 0) {
		if (++n > SMBD_RSP_MAX_ELEMS)
			return -E2BIG;
		if (smbd_pdu_parse_tail(w->msg + off, len,
					smbd_elem_tail(w, off, len),
					&pdu) != STATUS_SUCCESS)
			pdu.hdr = NULL;
		need = smbd_pdu_rsp_size(&pdu);
		/* Fixed parts always fit; variable data shares a budget. */
		fixed += min_t(u32, need, 8192) + 8;
		var += need > 8192 ? need - 8192 : 0;
		off += len;
	}
	if (ret < 0 || !n)
		return -EPROTO;
	*count = n;
	w->arena_size = fixed + min(var, 2 * w->conn->max_trans + 65536);
	return 0;
}

static int smbd_dispatch(struct smbd_work *w)
{
	unsigned int i, count;
	u32 off = 0, len;
	int err;

	err = smbd_size_compound(w, &count);
	if (err) {
		pr_warn_ratelimited("%s: malformed message (%d), disconnecting\n",
				    w->conn->peer, err);
		return err;
	}
	w->arena = kvmalloc(w->arena_size, GFP_KERNEL);
	if (!w->arena)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		if (smbd_pdu_next(w->msg, w->msg_len, &off, &len) != 1)
			return -EPROTO;
		err = smbd_process_one(w, off, len, i == 0);
		if (err < 0)
			return err;
		if (!err)
			smbd_finish_elem(w, i == count - 1);
		off += len;
	}
	if (!w->nelems)
		return 0;
	/* A CANCEL at the end of a compound leaves no padding behind. */
	w->cur = &w->elems[w->nelems - 1];
	if (w->cur->pad) {
		w->cur->pad = 0;
		smbd_rsp_hdr(w)->NextCommand = 0;
		if (smbd_rsp_hdr(w)->Flags & SMB2_FLAGS_SIGNED)
			smbd_sign_rsp(w, w->cur);
	}
	return smbd_send_rsp(w);
}

static void smbd_work_free(struct smbd_work *w)
{
	struct smbd_conn *conn = w->conn;
	unsigned int i;

	for (i = 0; i < w->nelems; i++)
		smbd_rsp_release(&w->elems[i]);
	smbd_drop_sess(w);
	kvfree(w->arena);
	smbd_conn_msg_free(conn, w->msg, w->msg_len);
	kfree(w);
	if (atomic_dec_and_test(&conn->inflight) ||
	    atomic_read(&conn->inflight) < 8)
		wake_up_all(&conn->inflight_wq);
	smbd_conn_put(conn);
}

static void smbd_work_fn(struct work_struct *work)
{
	struct smbd_work *w = container_of(work, struct smbd_work, work);
	int err;

	if (smbd_conn_alive(w->conn)) {
		err = smbd_dispatch(w);
		if (err) {
			trace_smbd_conn_drop(w->conn, err);
			smbd_conn_shutdown(w->conn);
		}
	}
	/* What the handler left of the message in the socket goes. */
	if (w->tail && smbd_conn_alive(w->conn) &&
	    smbd_conn_recv_discard(w->conn, w->tail))
		smbd_conn_shutdown(w->conn);
	smbd_work_free(w);
}

static struct smbd_work *smbd_work_new(struct smbd_conn *conn, u8 *msg,
				       u32 len)
{
	struct smbd_work *w = kzalloc(sizeof(*w), GFP_KERNEL);

	if (!w) {
		smbd_conn_msg_free(conn, msg, len);
		smbd_conn_shutdown(conn);
		return NULL;
	}
	w->conn = smbd_conn_get(conn);
	w->msg = msg;
	w->msg_len = len;
	INIT_WORK(&w->work, smbd_work_fn);
	atomic_inc(&conn->inflight);
	return w;
}

/**
 * smbd_queue_message - run a received SMB2 message
 * @conn: the connection it came on
 * @msg: the message, kvmalloc'ed; ownership passes to the dispatcher
 * @len: its length
 */
void smbd_queue_message(struct smbd_conn *conn, u8 *msg, u32 len)
{
	struct smbd_work *w = smbd_work_new(conn, msg, len);

	if (w)
		queue_work(smbd_wq, &w->work);
}

void smbd_run_message_tail(struct smbd_conn *conn, u8 *msg, u32 len,
			   u32 tail)
{
	struct smbd_work *w = smbd_work_new(conn, msg, len);

	if (!w)
		return;
	w->tail = tail;
	smbd_work_fn(&w->work);
}

ssize_t smbd_work_recv_file(struct smbd_work *w, struct file *filp,
			    loff_t *pos)
{
	u32 len = w->tail;

	if (WARN_ON_ONCE(len != w->pdu.tail))
		return -EPROTO;
	w->tail = 0;
	return smbd_conn_recv_file(w->conn, filp, pos, len);
}

void *smbd_work_pull_tail(struct smbd_work *w)
{
	u32 len = w->tail;
	void *buf;

	if (WARN_ON_ONCE(!len || len != w->pdu.tail))
		return NULL;
	buf = kvmalloc(len, GFP_KERNEL);
	if (!buf)
		return NULL;	/* the tail is discarded at the end */
	w->tail = 0;
	if (smbd_conn_recv(w->conn, buf, len)) {
		kvfree(buf);
		smbd_conn_shutdown(w->conn);
		return NULL;
	}
	return buf;
}
