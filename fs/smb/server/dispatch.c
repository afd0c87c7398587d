// SPDX-License-Identifier: GPL-2.0-only
/*
 * The dispatcher: the command table and the compound loop. It runs one
 * received message, possibly a compound, through the PDU reader (once per
 * request), credit accounting, session and tree look-up and signature
 * check, gives each request that passes a response budget of its own
 * (work.c), runs its handler, and sends the responses as one message.
 */
#include "server.h"

#include <linux/bvec.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include "async.h"
#include "auth.h"
#include "command.h"
#include "connection.h"
#include "credits.h"
#include "crypt.h"
#include "session.h"
#include "smb2.h"
#include "tree.h"
#include "work.h"
#include "trace.h"

/* ---- one request ------------------------------------------------------ */

static void smbs_drop_sess(struct smbs_work *w)
{
	if (w->tree) {
		smbs_tree_put(w->tree);
		w->tree = NULL;
	}
	if (w->sess) {
		smbs_session_put(w->sess);
		w->sess = NULL;
	}
}

/*
 * Is the request protected as its session wants? An encrypted one is
 * (its signature is not looked at, MS-SMB2 3.3.5.2.4); an unencrypted
 * one is refused where encryption is required (3.3.5.2.5), and must be
 * signed, with a signature that verifies, where signing is.
 */
static __le32 smbs_check_protection(struct smbs_work *w, bool signed_req)
{
	struct smbs_session *sess = w->sess;

	if (w->crypt_sess)
		return STATUS_SUCCESS;
	if (sess->encrypt_required)
		return STATUS_ACCESS_DENIED;
	if (sess->sign && !signed_req)
		return STATUS_ACCESS_DENIED;
	if (signed_req && !smbs_sign_verify(w)) {
		pr_warn_ratelimited("%s: bad signature on message %llu\n",
				    w->conn->peer,
				    le64_to_cpu(w->pdu.hdr->MessageId));
		return STATUS_ACCESS_DENIED;
	}
	return STATUS_SUCCESS;
}

/* Find the session, check the signature, find the tree. */
static __le32 smbs_lookup_context(struct smbs_work *w,
				  const struct smbs_command *cmd, bool related)
{
	const struct smb2_hdr *hdr = w->pdu.hdr;
	bool signed_req = hdr->Flags & SMB2_FLAGS_SIGNED;
	__le32 status;

	if (!(cmd->flags & SMBS_NEED_SESS))
		return STATUS_SUCCESS;
	if (!w->sess) {
		/*
		 * A related request uses the session of the one before it;
		 * that one found none (MS-SMB2 3.3.5.2.7.2).
		 */
		if (related)
			return STATUS_INVALID_PARAMETER;
		w->sess = smbs_session_lookup(w->conn,
					      le64_to_cpu(hdr->SessionId));
		if (!w->sess)
			return STATUS_USER_SESSION_DELETED;
	}
	/* A LOGOFF earlier in the compound ends the session for the rest. */
	if (!smbs_session_valid(w->sess))
		return STATUS_USER_SESSION_DELETED;
	status = smbs_check_protection(w, signed_req);
	if (status != STATUS_SUCCESS)
		return status;
	if (!(cmd->flags & SMBS_NEED_TREE))
		return STATUS_SUCCESS;
	if (!related || !w->tree) {
		if (w->tree)
			smbs_tree_put(w->tree);
		w->tree = smbs_tree_lookup(w->sess,
					   le32_to_cpu(hdr->Id.SyncId.TreeId));
		if (!w->tree)
			return STATUS_NETWORK_NAME_DELETED;
	}
	/* So does a TREE_DISCONNECT for the tree. */
	if (READ_ONCE(w->tree->gone))
		return STATUS_NETWORK_NAME_DELETED;
	/* A share that requires encryption (MS-SMB2 3.3.5.2.11). */
	if (!w->crypt_sess && smbs_tree_encrypt_required(w->tree))
		return STATUS_ACCESS_DENIED;
	return STATUS_SUCCESS;
}

/* Run a handler, or a waiting request's resume function, as the share's user. */
static __le32 smbs_run_handler(struct smbs_work *w,
			       __le32 (*fn)(struct smbs_work *w))
{
	const struct cred *old = NULL;
	__le32 status;

	if (w->tree && w->tree->cred)
		old = override_creds(w->tree->cred);
	status = fn(w);
	if (old)
		revert_creds(old);
	return status;
}

/* The state checks that come before everything else (MS-SMB2 3.3.5.2). */
static int smbs_check_conn_state(struct smbs_work *w, u16 cmd)
{
	enum smbs_conn_state state = READ_ONCE(w->conn->state);

	if (state == SMBS_CONN_NEW && cmd != SMB2_NEGOTIATE_HE)
		return -EPROTO;
	if (state == SMBS_CONN_GOOD && cmd == SMB2_NEGOTIATE_HE)
		return -EPROTO;
	return 0;
}

/*
 * Everything a request must pass before its handler runs: the PDU
 * reader's verdict, a known command, a credit charge that pays for its
 * size, the related-compound rules, the session, signature and tree. A
 * command the server knows but does not implement passes them all like
 * any other before it is refused: a related one inherits the failure of
 * the CREATE before it, and one outside a valid session or tree gets
 * what any request there gets.
 */
static __le32 smbs_check_request(struct smbs_work *w, bool related,
				 u16 charge, const struct smbs_command **cmdp)
{
	const struct smbs_command *cmd;
	__le32 status;

	/*
	 * An unrelated request starts from nothing, even if it fails before
	 * its own session is looked up: a related request after it must not
	 * find the session and tree of an earlier element.
	 */
	if (!related)
		smbs_drop_sess(w);
	if (w->el->parsed != STATUS_SUCCESS)
		return w->el->parsed;
	cmd = smbs_command(le16_to_cpu(w->pdu.hdr->Command));
	if (!cmd)
		return STATUS_NOT_SUPPORTED;
	if (!smbs_credit_covers(w->conn, &w->pdu, charge))
		return STATUS_INVALID_PARAMETER;
	if (related && (cmd->flags & SMBS_USES_FID) &&
	    w->cmp_status != STATUS_SUCCESS)
		return w->cmp_status;
	status = smbs_lookup_context(w, cmd, related);
	if (status == STATUS_SUCCESS && !cmd->handler)
		return STATUS_NOT_SUPPORTED;
	*cmdp = cmd;
	return status;
}

/* What smbs_process_one() did with a request. */
enum {
	SMBS_ANSWERED,		/* its response is built */
	SMBS_NO_ANSWER,		/* it gets none (CANCEL) */
	SMBS_WAITING,		/* it waits: the rest of the message waits too */
};

/*
 * Close the response of the current request with @status: the credits
 * it grants (a request that went async got them with its interim
 * response, MS-SMB2 3.3.4.3), its error body and signing.
 */
static void smbs_finish_one(struct smbs_work *w, __le32 status,
			    bool bad_first)
{
	const struct smb2_hdr *req = w->pdu.hdr;
	const struct smbs_command *cmd = smbs_command(le16_to_cpu(req->Command));
	struct smb2_hdr *rsp = smbs_rsp_hdr(w);
	u16 granted = 0;

	if (w->async_id) {
		smbs_async_done(w);
		rsp->Flags |= SMB2_FLAGS_ASYNC_COMMAND;
		rsp->Id.AsyncId = cpu_to_le64(w->async_id);
		w->async_id = 0;
	} else {
		granted = smbs_credit_grant(w->conn,
					    le16_to_cpu(req->CreditRequest));
	}
	rsp->Status = status;
	rsp->CreditRequest = cpu_to_le16(granted);
	w->cur->credits = granted;
	trace_smbs_request(w->conn, req, status, granted);
	/*
	 * What the related requests after this one inherit: the status of
	 * a CREATE (its FileId is what they use) or of an invalid chain
	 * head (MS-SMB2 3.3.5.2.7.2 leaves passing on other failures a
	 * SHOULD, and Windows does not: a WRITE refused on a read-only
	 * open does not fail the READ related to it). An unrelated
	 * request starts afresh.
	 */
	if (req->Command == SMB2_CREATE || bad_first)
		w->cmp_status = status;
	else if (!(req->Flags & SMB2_FLAGS_RELATED_OPERATIONS))
		w->cmp_status = STATUS_SUCCESS;
	smbs_rsp_finish(w);
	if (cmd && cmd->done)
		cmd->done(w);
}

/*
 * Process the current request (@w->el). Returns an SMBS_* verdict, or
 * a negative errno to drop the connection.
 */
static int smbs_process_one(struct smbs_work *w, bool first)
{
	const struct smb2_hdr *req = (const void *)(w->msg + w->el->off);
	bool related = !first && (req->Flags & SMB2_FLAGS_RELATED_OPERATIONS);
	u16 cmd_id = le16_to_cpu(req->Command);
	u16 charge = smbs_credit_charge(w->conn, req);
	const struct smbs_command *cmd = NULL;
	u32 budget = SMBS_RSP_ERR_SIZE;
	bool bad_first;
	__le32 status;

	if (smbs_check_conn_state(w, cmd_id))
		return -EPROTO;
	/* A response sent to the server is a confused or hostile peer. */
	if (req->Flags & SMB2_FLAGS_SERVER_TO_REDIR)
		return -EPROTO;
	/* CANCEL takes no credit and gets no answer (MS-SMB2 3.3.5.16). */
	if (cmd_id == SMB2_CANCEL_HE) {
		smbs_cancel(w->conn, req);
		return SMBS_NO_ANSWER;
	}
	if (!smbs_credit_take(w->conn, le64_to_cpu(req->MessageId), charge)) {
		pr_warn_ratelimited("%s: message id %llu outside its credits\n",
				    w->conn->peer, le64_to_cpu(req->MessageId));
		return -EPROTO;
	}
	atomic_add(charge, &w->conn->inflight_charge);
	w->charge_held += charge;
	w->credits_charge = charge;
	w->req_signed = req->Flags & SMB2_FLAGS_SIGNED;
	w->pdu = w->el->pdu;
	if (w->el->parsed != STATUS_SUCCESS)
		w->pdu.hdr = req;	/* for the error path and signing */

	status = smbs_check_request(w, related, charge, &cmd);
	/*
	 * A chain whose first request claims to be related to one before
	 * it is invalid (MS-SMB2 3.3.5.2.7.2); the related requests that
	 * follow it inherit the failure through cmp_status.
	 */
	bad_first = first && (req->Flags & SMB2_FLAGS_RELATED_OPERATIONS);
	if (status == STATUS_SUCCESS && bad_first)
		status = STATUS_INVALID_PARAMETER;
	/* Only a request that passed every check gets more than an error. */
	if (status == STATUS_SUCCESS)
		budget = smbs_pdu_rsp_size(&w->pdu, w->conn->max_trans);
	if (smbs_rsp_start(w, req, budget))
		return -ENOMEM;
	if (status == STATUS_SUCCESS)
		status = smbs_run_handler(w, cmd->handler);
	if (status == STATUS_PENDING && w->async_id)
		return SMBS_WAITING;
	/* Only a request that waits may answer STATUS_PENDING. */
	if (WARN_ON_ONCE(status == STATUS_PENDING))
		status = STATUS_INTERNAL_ERROR;
	smbs_finish_one(w, status, bad_first);
	return smbs_conn_alive(w->conn) ? SMBS_ANSWERED : -ESHUTDOWN;
}

/*
 * Process the requests of the message from the @i-th on. Return: 0 when
 * each has a response, 1 when one waits, negative to drop the connection.
 */
static int smbs_run_elems(struct smbs_work *w, unsigned int i)
{
	int ret;

	for (; i < w->count; i++) {
		w->el = &w->elems[i];
		ret = smbs_process_one(w, i == 0);
		if (ret < 0)
			return ret;
		if (ret == SMBS_WAITING)
			return 1;
	}
	return 0;
}

/*
 * The data of a head-first WRITE still in the socket belongs to the
 * message's last request only: the one at @off, @len has it if it ends
 * the message.
 */
static u32 smbs_elem_tail(const struct smbs_work *w, u32 off, u32 len)
{
	return off + len == w->msg_len ? w->tail : 0;
}

/*
 * Every request of an encrypted message is on the session that encrypted
 * it: a related one may say so with all ones.
 */
static bool smbs_crypt_sid_ok(const struct smbs_work *w,
			      const struct smb2_hdr *hdr, unsigned int i)
{
	u64 id = le64_to_cpu(hdr->SessionId);

	if (id == w->crypt_sess->id)
		return true;
	return i && id == U64_MAX &&
	       (hdr->Flags & SMB2_FLAGS_RELATED_OPERATIONS);
}

/* Check the compound's framing, then parse each of its requests, once. */
static int smbs_parse_message(struct smbs_work *w)
{
	unsigned int i, n = 0;
	u32 off = 0, len;
	int ret;

	while ((ret = smbs_pdu_next(w->msg, w->msg_len, &off, &len)) > 0) {
		if (++n > SMBS_RSP_MAX_ELEMS)
			return -E2BIG;
		off += len;
	}
	if (ret < 0 || !n)
		return -EPROTO;
	ret = smbs_work_alloc_elems(w, n);
	if (ret)
		return ret;
	for (i = 0, off = 0; i < n; i++) {
		struct smbs_elem *el = &w->elems[i];

		if (WARN_ON_ONCE(smbs_pdu_next(w->msg, w->msg_len, &off,
					       &len) != 1))
			return -EPROTO;
		if (w->crypt_sess &&
		    !smbs_crypt_sid_ok(w, (const void *)(w->msg + off), i))
			return -EACCES;
		el->off = off;
		el->len = len;
		el->parsed = smbs_pdu_parse_tail(w->msg + off, len,
						 smbs_elem_tail(w, off, len),
						 &el->pdu);
		off += len;
	}
	return 0;
}

/* Return: 0 when done, 1 when a request waits, negative to drop. */
static int smbs_dispatch_smb2(struct smbs_work *w)
{
	int err;

	err = smbs_parse_message(w);
	if (err) {
		pr_warn_ratelimited("%s: malformed message (%d), disconnecting\n",
				    w->conn->peer, err);
		return err;
	}
	err = smbs_run_elems(w, 0);
	if (err)
		return err;
	return smbs_work_send(w);
}

/*
 * An SMB1 NEGOTIATE, the first message of a client that does not know
 * yet whether the server speaks SMB2, is answered with an SMB2 NEGOTIATE
 * response (MS-SMB2 3.3.5.3.1) built and sent like any other.
 */
static int smbs_dispatch_smb1(struct smbs_work *w)
{
	static const struct smb2_hdr req = {
		.ProtocolId = SMB2_PROTO_NUMBER,
		.StructureSize = SMB2_HEADER_STRUCTURE_SIZE,
		.Command = SMB2_NEGOTIATE,
	};
	int err;

	if (READ_ONCE(w->conn->state) != SMBS_CONN_NEW)
		return -EPROTO;
	err = smbs_work_alloc_elems(w, 1);
	if (err)
		return err;
	w->el = &w->elems[0];
	err = smbs_rsp_start(w, &req, SMBS_NEG_RSP_SIZE);
	if (err)
		return err;
	err = smbs_smb1_negotiate(w);
	if (err)
		return err;
	smbs_rsp_finish(w);
	return smbs_work_send(w);
}

/*
 * An encrypted message is decrypted where it was received; the SMB2
 * message inside then is the work's message, and its responses are
 * encrypted with the same session's key (smbs_work_send_upto()).
 */
static int smbs_dispatch_encrypted(struct smbs_work *w)
{
	int err;

	err = smbs_decrypt(w->conn, w->msg, w->msg_len, &w->crypt_sess);
	if (err) {
		pr_warn_ratelimited("%s: undecryptable message (%d), disconnecting\n",
				    w->conn->peer, err);
		return -EPROTO;
	}
	w->msg_skip = SMBS_TRANSFORM_SIZE;
	w->msg += SMBS_TRANSFORM_SIZE;
	w->msg_len -= SMBS_TRANSFORM_SIZE;
	return smbs_dispatch_smb2(w);
}

static int smbs_dispatch(struct smbs_work *w)
{
	static const u8 smb1_magic[4] = { 0xff, 'S', 'M', 'B' };
	static const u8 transform_magic[4] = { 0xfd, 'S', 'M', 'B' };

	if (w->msg_len >= sizeof(smb1_magic) && !w->tail &&
	    !memcmp(w->msg, smb1_magic, sizeof(smb1_magic)))
		return smbs_dispatch_smb1(w);
	if (w->msg_len >= sizeof(transform_magic) && !w->tail &&
	    !memcmp(w->msg, transform_magic, sizeof(transform_magic)))
		return smbs_dispatch_encrypted(w);
	return smbs_dispatch_smb2(w);
}

/*
 * A waiting request was woken: let it go on, and once it has its final
 * response, the requests after it in the message.
 * Return: as smbs_dispatch_smb2().
 */
static int smbs_resume(struct smbs_work *w)
{
	__le32 status = smbs_run_handler(w, w->resume);
	int err;

	if (status == STATUS_PENDING)
		return 1;
	smbs_finish_one(w, status, false);
	err = smbs_run_elems(w, w->el - w->elems + 1);
	if (err)
		return err;
	return smbs_work_send(w);
}

/*
 * Requests of one connection that may run on smbs_wq at the same time.
 * The workqueue is shared by every connection and starts its items in
 * order: without a bound, a client with a few thousand credits could
 * queue hundreds of requests (each a directory listing, say) ahead of
 * everybody else's. The others wait on the connection's run queue in the
 * order they came, holding their message but no worker.
 */
#define SMBS_CONN_RUN_MAX	32

/* Run @w now if its connection has a free slot, else queue it. */
static void smbs_conn_run(struct smbs_conn *conn, struct smbs_work *w)
{
	spin_lock(&conn->run_lock);
	if (conn->running >= SMBS_CONN_RUN_MAX) {
		list_add_tail(&w->run_node, &conn->runq);
		spin_unlock(&conn->run_lock);
		return;
	}
	conn->running++;
	spin_unlock(&conn->run_lock);
	w->slot = true;
	queue_work(smbs_wq, &w->work);
}

/*
 * A request gave its slot up (it is done, or it waits): the slot passes
 * to the first request on the run queue, if any. Whatever the state of
 * the connection, the queued requests run (a dead connection's only free
 * themselves), so the teardown's wait for them ends.
 */
static void smbs_conn_run_next(struct smbs_conn *conn)
{
	struct smbs_work *next;

	spin_lock(&conn->run_lock);
	next = list_first_entry_or_null(&conn->runq, struct smbs_work,
					run_node);
	if (next)
		list_del(&next->run_node);
	else
		conn->running--;
	spin_unlock(&conn->run_lock);
	if (next) {
		next->slot = true;
		queue_work(smbs_wq, &next->work);
	}
}

static void smbs_work_fn(struct work_struct *work)
{
	struct smbs_work *w = container_of(work, struct smbs_work, work);
	struct smbs_conn *conn = w->conn;
	bool slot = w->slot;
	int err = 0;

	/*
	 * A request that waits may be woken, finish and be freed on another
	 * worker before this one is done with it: from here on only the
	 * connection is used, by a reference of our own.
	 */
	if (slot) {
		w->slot = false;
		smbs_conn_get(conn);
	}
	if (w->resume)
		err = smbs_resume(w);
	else if (smbs_conn_alive(conn))
		err = smbs_dispatch(w);
	if (err == 1)
		goto out;	/* a request waits: the work lives on */
	if (err) {
		trace_smbs_conn_drop(conn, err);
		smbs_conn_shutdown(conn);
	}
	/* What the handler left of the message in the socket goes. */
	if (w->tail && smbs_conn_alive(conn) &&
	    smbs_conn_recv_discard(conn, w->tail))
		smbs_conn_shutdown(conn);
	smbs_work_free(w);
out:
	if (slot) {
		smbs_conn_run_next(conn);
		smbs_conn_put(conn);
	}
}

/**
 * smbs_queue_message - run a received SMB2 message (or an SMB1 NEGOTIATE)
 * @conn: the connection it came on
 * @msg: the message, kvmalloc'ed; ownership passes to the dispatcher
 * @len: its length
 *
 * It runs on smbs_wq when one of the connection's run slots is free.
 */
void smbs_queue_message(struct smbs_conn *conn, u8 *msg, u32 len)
{
	struct smbs_work *w = smbs_work_new(conn, msg, len);

	if (!w)
		return;
	INIT_WORK(&w->work, smbs_work_fn);
	smbs_conn_run(conn, w);
}

void smbs_run_message_tail(struct smbs_conn *conn, u8 *msg, u32 len,
			   u32 tail)
{
	struct smbs_work *w = smbs_work_new(conn, msg, len);

	if (!w)
		return;
	w->tail = tail;
	w->inline_run = true;
	smbs_work_fn(&w->work);
}
