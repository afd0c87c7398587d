// SPDX-License-Identifier: GPL-2.0-only
/*
 * Requests that wait (MS-SMB2 3.3.4.2, 3.3.5.16).
 *
 * A handler that must wait (a blocking LOCK; later CHANGE_NOTIFY, a
 * CREATE waiting for a lease break) calls smbs_work_pend(): the request
 * gets an AsyncId in its connection's table, its interim response goes
 * out, and the handler returns STATUS_PENDING. The worker is free again;
 * the work keeps its references (connection, session, tree, and what the
 * handler holds in w->wait) and sits on whatever it waits on. A wake-up
 * (smbs_work_wake()) queues the work, whose resume function either waits
 * on or finishes; the dispatcher then sends the final response and goes
 * on with the rest of the compound.
 *
 * Who may touch a waiting work: only a holder of the lock of a list it
 * is on (the connection's AsyncId table, the handler's own lists). The
 * resume function takes the request off its own lists and
 * smbs_async_done() off the AsyncId table before the work goes on, so a
 * work is never reached after it stopped waiting; a wake-up queued in
 * between is dropped there (cancel_work()).
 *
 * The work runs through one function (smbs_work_fn) for its whole life,
 * which the workqueue never runs twice at once for one work: a wake-up
 * that comes before the handler has returned STATUS_PENDING runs after.
 */
#include "server.h"

#include <linux/workqueue.h>
#include <linux/xarray.h>
#include "async.h"
#include "connection.h"
#include "credits.h"
#include "smb2.h"
#include "work.h"
#include "trace.h"

/* The interim response: a header and an empty error body (MS-SMB2 2.2.2). */
#define SMBS_INTERIM_SIZE	(sizeof(struct smb2_err_rsp) + 1)

/* Take the MessageId of an early CANCEL off the list, if it is there. */
static bool smbs_cancel_take_early(struct smbs_conn *conn, u64 mid)
{
	bool found = false;
	unsigned int i;

	spin_lock(&conn->lock);
	for (i = 0; i < ARRAY_SIZE(conn->cancelled); i++) {
		if (conn->cancelled[i] == mid + 1) {
			conn->cancelled[i] = 0;
			found = true;
		}
	}
	spin_unlock(&conn->lock);
	return found;
}

/* Build the interim response of the current request. */
static int smbs_interim(struct smbs_work *w, struct smbs_rsp_elem *e)
{
	const struct smb2_hdr *req = w->pdu.hdr;
	struct smb2_hdr *rsp;
	u16 granted;

	e->buf = kvzalloc(SMBS_INTERIM_SIZE, GFP_KERNEL);
	if (!e->buf)
		return -ENOMEM;
	e->len = SMBS_INTERIM_SIZE;
	e->size = SMBS_INTERIM_SIZE;
	rsp = (struct smb2_hdr *)e->buf;
	memcpy(rsp, w->cur->buf, sizeof(*rsp));
	rsp->Status = STATUS_PENDING;
	rsp->Flags |= SMB2_FLAGS_ASYNC_COMMAND;
	rsp->NextCommand = 0;
	rsp->Id.AsyncId = cpu_to_le64(w->async_id);
	/* The credits of the request come with its interim response. */
	granted = smbs_credit_grant(w->conn, le16_to_cpu(req->CreditRequest));
	rsp->CreditRequest = cpu_to_le16(granted);
	e->credits = granted;
	/* MS-SMB2 3.3.4.2: an interim response is not signed. */
	((struct smb2_err_rsp *)rsp)->StructureSize =
		SMB2_ERROR_STRUCTURE_SIZE2_LE;
	return 0;
}

static void smbs_async_unlink(struct smbs_work *w)
{
	struct smbs_conn *conn = w->conn;

	xa_lock(&conn->async);
	__xa_erase(&conn->async, w->async_id);
	conn->nr_async--;
	xa_unlock(&conn->async);
}

int smbs_work_pend(struct smbs_work *w, smbs_resume_fn resume)
{
	struct smbs_conn *conn = w->conn;
	struct smbs_rsp_elem interim = {};
	u32 id;
	int err;

	if (w->async_id) {
		w->resume = resume;
		return 0;
	}
	/* The receive thread runs its message itself and cannot park it. */
	if (w->inline_run)
		return -EBUSY;

	xa_lock(&conn->async);
	if (conn->async_closed) {
		err = -ESHUTDOWN;
	} else if (conn->nr_async >= SMBS_MAX_ASYNC) {
		err = -EBUSY;
	} else {
		err = __xa_alloc_cyclic(&conn->async, &id, w,
					XA_LIMIT(1, U32_MAX), &conn->async_next,
					GFP_ATOMIC);
		if (err >= 0) {
			conn->nr_async++;
			err = 0;
		}
	}
	xa_unlock(&conn->async);
	if (err)
		return err == -ENOMEM ? -ENOMEM : err;

	w->async_id = id;
	w->resume = resume;
	err = smbs_interim(w, &interim);
	if (!err)
		err = smbs_work_send_upto(w, w->el - w->elems, &interim);
	if (err) {
		kvfree(interim.buf);
		smbs_async_unlink(w);
		w->async_id = 0;
		w->resume = NULL;
		return err;
	}
	trace_smbs_async(w->conn, w->pdu.hdr, w->async_id);
	if (smbs_cancel_take_early(conn, le64_to_cpu(w->pdu.hdr->MessageId)))
		smbs_work_cancel(w, STATUS_CANCELLED);
	return 0;
}

void smbs_work_wake(struct smbs_work *w)
{
	queue_work(smbs_wq, &w->work);
}

void smbs_work_cancel(struct smbs_work *w, __le32 status)
{
	if (!cmpxchg(&w->cancel, 0, (__force u32)status))
		smbs_work_wake(w);
}

__le32 smbs_work_cancelled(struct smbs_work *w)
{
	return (__force __le32)READ_ONCE(w->cancel);
}

void smbs_async_done(struct smbs_work *w)
{
	if (!w->async_id)
		return;
	smbs_async_unlink(w);
	/* A wake-up that came after the last look is of no use now. */
	cancel_work(&w->work);
	w->resume = NULL;
	w->cancel = 0;
}

/* Does @w wait for the request that CANCEL @req names? */
static bool smbs_cancel_matches(struct smbs_work *w, const struct smb2_hdr *req)
{
	const struct smb2_hdr *hdr = w->pdu.hdr;

	return hdr->SessionId == req->SessionId &&
	       ((req->Flags & SMB2_FLAGS_ASYNC_COMMAND) ||
		hdr->MessageId == req->MessageId);
}

void smbs_cancel(struct smbs_conn *conn, const struct smb2_hdr *req)
{
	u64 mid = le64_to_cpu(req->MessageId);
	struct smbs_work *w = NULL;
	unsigned long id;

	xa_lock(&conn->async);
	if (req->Flags & SMB2_FLAGS_ASYNC_COMMAND) {
		id = le64_to_cpu(req->Id.AsyncId);
		w = id <= U32_MAX ? xa_load(&conn->async, id) : NULL;
		if (w && !smbs_cancel_matches(w, req))
			w = NULL;
	} else {
		xa_for_each(&conn->async, id, w)
			if (smbs_cancel_matches(w, req))
				break;
	}
	if (w)
		smbs_work_cancel(w, STATUS_CANCELLED);
	xa_unlock(&conn->async);
	trace_smbs_cancel(conn, req, !!w);
	if (w || (req->Flags & SMB2_FLAGS_ASYNC_COMMAND))
		return;
	/*
	 * The request may still be on its way to waiting: remember the
	 * MessageId for a while (0 marks a free slot, hence the + 1).
	 */
	spin_lock(&conn->lock);
	conn->cancelled[conn->cancelled_pos] = mid + 1;
	conn->cancelled_pos = (conn->cancelled_pos + 1) %
			      ARRAY_SIZE(conn->cancelled);
	spin_unlock(&conn->lock);
}

void smbs_async_cancel_all(struct smbs_conn *conn)
{
	struct smbs_work *w;
	unsigned long id;

	xa_lock(&conn->async);
	conn->async_closed = true;
	xa_for_each(&conn->async, id, w)
		smbs_work_cancel(w, STATUS_CANCELLED);
	xa_unlock(&conn->async);
}
