// SPDX-License-Identifier: GPL-2.0-only
/*
 * The request and response API: a received message, the checked view of
 * each of its requests, and the responses built for them.
 *
 * Every response has a buffer of its own, sized by the budget of its
 * request and allocated only once the request has passed the checks that
 * come before its handler (credits, session, signature, tree). A handler
 * writes into it through smbs_rsp_body() and smbs_rsp_append(), which
 * never go past it: one element of a compound cannot use the room of
 * another, and a client field sizes nothing before the client has paid
 * for it. Chaining and signing happen in one pass just before sending.
 */
#include "server.h"

#include <linux/bvec.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "auth.h"
#include "connection.h"
#include "crypt.h"
#include "file.h"
#include "session.h"
#include "tree.h"
#include "work.h"

/* ---- building a response ---------------------------------------------- */

void *smbs_rsp_body(struct smbs_work *w, u32 size)
{
	struct smbs_rsp_elem *e = w->cur;
	u32 body = size - sizeof(struct smb2_hdr);

	/* Every budget holds its command's fixed part (smbs_pdu_rsp_size). */
	if (WARN_ON_ONCE(w->has_body || size < sizeof(struct smb2_hdr) ||
			 e->len != sizeof(struct smb2_hdr) ||
			 body > smbs_rsp_room(w)))
		return NULL;
	memset(e->buf + e->len, 0, body);
	e->len += body;
	w->has_body = true;
	return e->buf;
}

void *smbs_rsp_append(struct smbs_work *w, u32 size)
{
	struct smbs_rsp_elem *e = w->cur;
	u8 *p;

	if (size > smbs_rsp_room(w))
		return NULL;
	p = e->buf + e->len;
	memset(p, 0, size);
	e->len += size;
	return p;
}

void smbs_rsp_trim(struct smbs_work *w, const void *end)
{
	struct smbs_rsp_elem *e = w->cur;
	u32 len = (const u8 *)end - e->buf;

	if (!WARN_ON_ONCE(len > e->len || len < sizeof(struct smb2_hdr)))
		e->len = len;
}

void smbs_rsp_attach(struct smbs_work *w, void *data, u32 len,
		     void (*release)(void *data))
{
	struct smbs_rsp_elem *e = w->cur;

	if (WARN_ON_ONCE(e->payload || e->pages)) {
		if (release)
			release(data);
		return;
	}
	e->payload = data;
	e->payload_len = len;
	e->payload_free = release;
}

void smbs_rsp_attach_pages(struct smbs_work *w, struct bio_vec *bv,
			   unsigned int n, u32 len)
{
	struct smbs_rsp_elem *e = w->cur;

	WARN_ON_ONCE(e->payload || e->pages);
	e->pages = bv;
	e->npages = n;
	e->payload_len = len;
}

/*
 * Does the current response go out encrypted though its request was not?
 * Where its session or tree wants encryption, except the responses that
 * set them up (MS-SMB2 3.3.4.1.4).
 */
static bool smbs_rsp_encrypts(struct smbs_work *w)
{
	const struct smbs_session *sess = w->sess;
	__le16 cmd = smbs_rsp_hdr(w)->Command;

	if (!sess || !smbs_session_valid(sess) || !sess->enc_aead ||
	    cmd == SMB2_NEGOTIATE || cmd == SMB2_SESSION_SETUP)
		return false;
	return sess->encrypt ||
	       (w->tree && w->tree->encrypt && cmd != SMB2_TREE_CONNECT);
}

bool smbs_rsp_may_splice(struct smbs_work *w)
{
	if (w->crypt_sess || smbs_rsp_encrypts(w))
		return true;
	return !w->sign_rsp && !w->req_signed &&
	       !(w->sess && w->sess->sign);
}

struct smbs_file *smbs_file_lookup(struct smbs_work *w, u64 pid, u64 vid)
{
	const struct smb2_hdr *hdr = w->pdu.hdr;

	/*
	 * In a related compound, ids of all ones stand for the file the
	 * previous request opened or used (MS-SMB2 3.3.5.2.7.2).
	 */
	if ((hdr->Flags & SMB2_FLAGS_RELATED_OPERATIONS) &&
	    pid == U64_MAX && vid == U64_MAX) {
		pid = w->cmp_fid[0];
		vid = w->cmp_fid[1];
	}
	/*
	 * The FileId used, whether it names an open or not, is the one a
	 * related request after this one goes on with: a related CLOSE
	 * after a failed one fails too.
	 */
	smbs_work_set_fid(w, pid, vid);
	return smbs_file_find(w->sess, w->tree, pid, vid);
}

int smbs_rsp_start(struct smbs_work *w, const struct smb2_hdr *req, u32 size)
{
	struct smbs_rsp_elem *e = &w->el->rsp;
	struct smb2_hdr *rsp;

	if (WARN_ON_ONCE(e->buf || size < SMBS_RSP_ERR_SIZE))
		return -EINVAL;
	e->buf = kvmalloc(size, GFP_KERNEL);
	if (!e->buf)
		return -ENOMEM;
	e->size = size;
	e->len = sizeof(*rsp);
	w->cur = e;
	w->nelems++;
	w->has_body = false;
	rsp = (struct smb2_hdr *)e->buf;
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
	/*
	 * A related request may name its session and tree with all ones
	 * and goes on with those of the request before it (MS-SMB2
	 * 3.3.5.2.7.2); its response names them by their real ids.
	 */
	if ((req->Flags & SMB2_FLAGS_RELATED_OPERATIONS) && w->el != w->elems) {
		if (w->sess)
			rsp->SessionId = cpu_to_le64(w->sess->id);
		if (w->tree)
			rsp->Id.SyncId.TreeId = cpu_to_le32(w->tree->id);
	}
	return 0;
}

/* The standard error response, MS-SMB2 2.2.2: what a failed handler wrote goes. */
static void smbs_error_body(struct smbs_work *w)
{
	struct smb2_err_rsp *rsp;

	w->cur->len = sizeof(struct smb2_hdr);
	w->has_body = false;
	rsp = smbs_rsp_body(w, sizeof(*rsp) + 1);
	rsp->StructureSize = SMB2_ERROR_STRUCTURE_SIZE2_LE;
}

void smbs_rsp_finish(struct smbs_work *w)
{
	struct smbs_session *sess = w->sess;

	if (!w->has_body)
		smbs_error_body(w);
	/*
	 * An encrypted message is not signed; signed requests get signed
	 * answers (MS-SMB2 3.3.4.1.1).
	 */
	if (w->crypt_sess) {
		/* The whole message is encrypted (smbs_work_send_upto()). */
	} else if (smbs_rsp_encrypts(w)) {
		w->cur->enc_sess = smbs_session_get(sess);
	} else if (sess && !sess->is_guest &&
		   (w->sign_rsp || ((sess->sign || w->req_signed) &&
				    smbs_session_valid(sess)))) {
		w->cur->sign_sess = smbs_session_get(sess);
	}
	w->sign_rsp = false;
	w->req_signed = false;
}

/* ---- sending ---------------------------------------------------------- */

/**
 * struct smbs_txmsg - responses on their way out, owned by the send queue
 * @tx: the queued message
 * @n: responses in @rsp
 * @rsp: the responses, moved out of the work
 * @cbuf: the transform message of an encrypted one (kvmalloc'ed), which
 *	  replaces the responses: they are released once it is made
 * @segs: the pieces of @tx: frame header, then per response its buffer,
 *	  payload and padding (or @cbuf alone)
 */
struct smbs_txmsg {
	struct smbs_tx tx;
	unsigned int n;
	struct smbs_rsp_elem *rsp;
	u8 *cbuf;
	struct smbs_seg segs[];
};

static void smbs_rsp_release(struct smbs_rsp_elem *e)
{
	unsigned int i;

	if (e->payload_free)
		e->payload_free(e->payload);
	for (i = 0; i < e->npages; i++)
		put_page(e->pages[i].bv_page);
	kfree(e->pages);
	if (e->sign_sess)
		smbs_session_put(e->sign_sess);
	if (e->enc_sess)
		smbs_session_put(e->enc_sess);
	kvfree(e->buf);
	memset(e, 0, sizeof(*e));
}

static void smbs_txmsg_done(struct smbs_tx *tx, int err)
{
	struct smbs_txmsg *m = container_of(tx, struct smbs_txmsg, tx);
	unsigned int i;

	for (i = 0; i < m->n; i++)
		smbs_rsp_release(&m->rsp[i]);
	kvfree(m->cbuf);
	kfree(m);
}

/*
 * Chain every response to the next one and sign those that want it. In
 * a compound every response is padded to 8 bytes, the last one too
 * (MS-SMB2 3.3.4.1.3); a lone response is not.
 */
static void smbs_txmsg_seal(struct smbs_conn *conn, struct smbs_txmsg *m,
			    bool compound)
{
	unsigned int i;

	for (i = 0; i < m->n; i++) {
		struct smbs_rsp_elem *e = &m->rsp[i];
		u32 total = e->len + e->payload_len;

		if (compound)
			e->pad = ALIGN(total, 8) - total;
		if (i + 1 < m->n)
			((struct smb2_hdr *)e->buf)->NextCommand =
				cpu_to_le32(total + e->pad);
		if (e->sign_sess)
			smbs_sign_rsp(conn, e);
	}
}

/*
 * Lay out the pieces of the sealed responses. Padding points at @zero, or
 * has no base when @zero is NULL (for smbs_encrypt()).
 */
static unsigned int smbs_txmsg_segs(struct smbs_txmsg *m, const u8 *zero)
{
	struct smbs_seg *segs = m->segs;
	unsigned int i, n = 0;

	segs[n++] = (struct smbs_seg){ .kv = { &m->tx.frame, 4 } };
	for (i = 0; i < m->n; i++) {
		struct smbs_rsp_elem *e = &m->rsp[i];

		segs[n++] = (struct smbs_seg){ .kv = { e->buf, e->len } };
		if (e->pages)
			segs[n++] = (struct smbs_seg){ .bv = e->pages,
				.nbv = e->npages, .bv_len = e->payload_len };
		else if (e->payload_len)
			segs[n++] = (struct smbs_seg){
				.kv = { e->payload, e->payload_len } };
		if (e->pad)
			segs[n++] = (struct smbs_seg){
				.kv = { (void *)zero, e->pad } };
	}
	return n;
}

/*
 * Encrypt the sealed responses with @sess's key into one transform
 * message, which is all that is sent; the responses go at once.
 */
static int smbs_txmsg_encrypt(struct smbs_txmsg *m, struct smbs_session *sess)
{
	struct smbs_seg *pieces = m->segs + 1;
	unsigned int i, n = smbs_txmsg_segs(m, NULL) - 1;
	u32 len = 0;
	int err;

	for (i = 0; i < n; i++)
		len += pieces[i].bv ? pieces[i].bv_len : pieces[i].kv.iov_len;
	m->cbuf = kvmalloc(SMBS_TRANSFORM_SIZE + len, GFP_KERNEL);
	if (!m->cbuf)
		return -ENOMEM;
	err = smbs_encrypt(sess, pieces, n, len, m->cbuf);
	if (err) {
		pr_warn_ratelimited("cannot encrypt a response (%d)\n", err);
		return err;
	}
	for (i = 0; i < m->n; i++)
		smbs_rsp_release(&m->rsp[i]);
	m->n = 0;
	m->segs[1] = (struct smbs_seg){
		.kv = { m->cbuf, SMBS_TRANSFORM_SIZE + len } };
	return 2;
}

int smbs_work_send_upto(struct smbs_work *w, unsigned int end,
			struct smbs_rsp_elem *interim)
{
	unsigned int i, n = interim ? 1 : 0;
	static const u8 zeroes[8];
	struct smbs_session *enc = w->crypt_sess;
	struct smbs_txmsg *m;
	size_t size;
	int nsegs;

	for (i = w->sent; i < end; i++)
		n += !!w->elems[i].rsp.buf;
	if (!n) {
		w->sent = end;
		return 0;
	}
	/* Frame header, then at most three pieces per response. */
	size = struct_size(m, segs, 1 + 3 * n);
	m = kmalloc(size + n * sizeof(*m->rsp), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->rsp = (void *)m + size;
	m->n = 0;
	m->cbuf = NULL;
	m->tx.credits = 0;
	for (i = w->sent; i < end; i++) {
		struct smbs_rsp_elem *e = &w->elems[i].rsp;

		if (!e->buf)
			continue;	/* a CANCEL: no response */
		m->rsp[m->n++] = *e;
		memset(e, 0, sizeof(*e));
	}
	if (interim) {
		m->rsp[m->n++] = *interim;
		memset(interim, 0, sizeof(*interim));
	}
	w->sent = end;
	for (i = 0; i < m->n; i++)
		m->tx.credits += m->rsp[i].credits;
	smbs_txmsg_seal(w->conn, m, m->n > 1 || w->nelems > 1);
	for (i = 0; !enc && i < m->n; i++)
		enc = m->rsp[i].enc_sess;
	nsegs = enc ? smbs_txmsg_encrypt(m, enc) : smbs_txmsg_segs(m, zeroes);
	if (nsegs < 0) {
		smbs_txmsg_done(&m->tx, nsegs);
		return nsegs;
	}
	m->tx.nsegs = nsegs;
	m->tx.segs = m->segs;
	m->tx.done = smbs_txmsg_done;
	smbs_tx_submit(w->conn, &m->tx);
	return 0;
}

/* ---- the work --------------------------------------------------------- */

struct smbs_work *smbs_work_new(struct smbs_conn *conn, u8 *msg, u32 len)
{
	struct smbs_work *w = kzalloc(sizeof(*w), GFP_KERNEL);

	if (!w) {
		smbs_conn_msg_free(conn, msg, len);
		smbs_conn_shutdown(conn);
		return NULL;
	}
	w->conn = smbs_conn_get(conn);
	w->msg = msg;
	w->msg_len = len;
	atomic_inc(&conn->inflight);
	return w;
}

int smbs_work_alloc_elems(struct smbs_work *w, unsigned int count)
{
	if (WARN_ON_ONCE(w->elems || !count || count > SMBS_RSP_MAX_ELEMS))
		return -EINVAL;
	w->elems = kcalloc(count, sizeof(*w->elems), GFP_KERNEL);
	if (!w->elems)
		return -ENOMEM;
	w->count = count;
	return 0;
}

void smbs_work_free(struct smbs_work *w)
{
	struct smbs_conn *conn = w->conn;
	unsigned int i;

	for (i = 0; i < w->count; i++)
		smbs_rsp_release(&w->elems[i].rsp);
	kfree(w->elems);
	if (w->tree)
		smbs_tree_put(w->tree);
	if (w->sess)
		smbs_session_put(w->sess);
	if (w->crypt_sess)
		smbs_session_put(w->crypt_sess);
	smbs_conn_msg_free(conn, w->msg - w->msg_skip,
			   w->msg_len + w->msg_skip);
	atomic_sub(w->charge_held, &conn->inflight_charge);
	kfree(w);
	atomic_dec(&conn->inflight);
	/* The receive thread or the teardown may wait for this. */
	if (wq_has_sleeper(&conn->inflight_wq))
		wake_up_all(&conn->inflight_wq);
	smbs_conn_put(conn);
}

/* ---- a WRITE's data left in the socket -------------------------------- */

ssize_t smbs_work_recv_file(struct smbs_work *w, struct file *filp,
			    loff_t *pos)
{
	u32 len = w->tail;

	if (WARN_ON_ONCE(len != w->pdu.tail))
		return -EPROTO;
	w->tail = 0;
	return smbs_conn_recv_file(w->conn, filp, pos, len);
}

void *smbs_work_pull_tail(struct smbs_work *w)
{
	u32 len = w->tail;
	void *buf;

	if (WARN_ON_ONCE(!len || len != w->pdu.tail))
		return NULL;
	buf = kvmalloc(len, GFP_KERNEL);
	if (!buf)
		return NULL;	/* the tail is discarded at the end */
	w->tail = 0;
	if (smbs_conn_recv(w->conn, buf, len)) {
		kvfree(buf);
		smbs_conn_shutdown(w->conn);
		return NULL;
	}
	return buf;
}
