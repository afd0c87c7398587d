// SPDX-License-Identifier: GPL-2.0-only
/*
 * The send queue of a connection.
 *
 * Responses (and, later, messages the server starts) are queued per
 * connection and pushed to the transport without blocking: the context
 * that submits a message sends what the transport takes at once, and when
 * it is full the rest waits until the transport says it has room
 * (smbs_tx_writable(), from TCP's write_space callback), which schedules
 * tx_work to go on. No worker ever sleeps on a socket, so
 * a peer that stops reading holds memory (bounded by SMBS_TX_QUEUE_MAX
 * and the receive thread's back-pressure) but no thread that others need.
 * A peer that takes no byte for SMBS_SEND_TIMEOUT while messages wait is
 * disconnected by the same work, which doubles as the watchdog.
 *
 * One context at a time sends (tx_busy, under tx_lock); the others only
 * queue. smbs_tx_writable() may run in softirq context and takes no lock
 * of ours: it sets tx_kick and schedules tx_work.
 */
#include "server.h"

#include <linux/bvec.h>
#include <linux/jiffies.h>
#include <linux/net.h>
#include <linux/uio.h>
#include "connection.h"
#include "credits.h"

/* How long a peer may leave queued messages untouched. */
#define SMBS_SEND_TIMEOUT	(30 * HZ)

/* In-memory pieces handed to the transport in one call. */
#define SMBS_TX_BATCH		8

#define SMBS_TX_KICK		0	/* bit in tx_kick */

static size_t smbs_seg_len(const struct smbs_seg *s)
{
	return s->bv ? s->bv_len : s->kv.iov_len;
}

/*
 * Send what the transport takes of @tx, from where it stands.
 * Return: 0 when all of it is sent, -EAGAIN when the transport is full,
 * another negative errno when the connection failed.
 */
static int smbs_tx_send_some(struct smbs_conn *conn, struct smbs_tx *tx)
{
	while (tx->cur < tx->nsegs) {
		struct msghdr msg = { .msg_flags = MSG_NOSIGNAL | MSG_DONTWAIT };
		const struct smbs_seg *s = &tx->segs[tx->cur];
		struct kvec kv[SMBS_TX_BATCH];
		unsigned int j, n = 0;
		size_t len = 0;
		int ret;

		if (s->bv) {
			iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, s->bv,
				      s->nbv, s->bv_len);
			msg.msg_flags |= MSG_SPLICE_PAGES;
			len = s->bv_len;
			j = tx->cur + 1;
		} else {
			for (j = tx->cur; j < tx->nsegs && !tx->segs[j].bv &&
			     n < ARRAY_SIZE(kv); j++) {
				kv[n++] = tx->segs[j].kv;
				len += tx->segs[j].kv.iov_len;
			}
			iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, kv, n, len);
		}
		if (tx->off >= len) {	/* only empty pieces left here */
			tx->cur = j;
			tx->off = 0;
			continue;
		}
		iov_iter_advance(&msg.msg_iter, tx->off);
		if (j < tx->nsegs)
			msg.msg_flags |= MSG_MORE;
		ret = conn->ops->sendmsg(conn, &msg);
		if (ret == -EINTR || !ret)
			ret = -EAGAIN;
		if (ret < 0)
			return ret;
		WRITE_ONCE(conn->tx_progress, jiffies);
		tx->off += ret;
		while (tx->cur < j && tx->off >= smbs_seg_len(&tx->segs[tx->cur])) {
			tx->off -= smbs_seg_len(&tx->segs[tx->cur]);
			tx->cur++;
		}
		if (tx->cur < j)
			return -EAGAIN;	/* the transport took part of it */
	}
	return 0;
}

/* A message left the queue: account for it and hand it back. */
static void smbs_tx_complete(struct smbs_conn *conn, struct smbs_tx *tx,
			     int err)
{
	bool wake;

	spin_lock(&conn->tx_lock);
	list_del(&tx->node);
	wake = conn->tx_bytes > SMBS_TX_QUEUE_MAX;
	conn->tx_bytes -= tx->len;
	wake = wake && conn->tx_bytes <= SMBS_TX_QUEUE_MAX;
	spin_unlock(&conn->tx_lock);
	if (wake)
		wake_up_all(&conn->inflight_wq);
	tx->done(tx, err);
}

/*
 * Send queued messages until the queue is empty or the transport is full.
 * The caller owns tx_busy; it is given up here.
 */
static void smbs_tx_push(struct smbs_conn *conn)
{
	struct smbs_tx *tx;
	int err;

	for (;;) {
		spin_lock(&conn->tx_lock);
		tx = list_first_entry_or_null(&conn->tx_queue,
					      struct smbs_tx, node);
		if (!tx) {
			conn->tx_busy = false;
			spin_unlock(&conn->tx_lock);
			return;
		}
		spin_unlock(&conn->tx_lock);

		/*
		 * The client may use what the message grants once it can
		 * see it, which may be before this context runs again.
		 */
		if (tx->credits) {
			smbs_credit_sent(conn, tx->credits);
			tx->credits = 0;
		}
		err = READ_ONCE(conn->tx_closed) ? -ESHUTDOWN :
		      smbs_tx_send_some(conn, tx);
		if (err == -EAGAIN) {
			spin_lock(&conn->tx_lock);
			/* Room came while we were at it: try again. */
			if (test_and_clear_bit(SMBS_TX_KICK, &conn->tx_kick) &&
			    !conn->tx_closed) {
				spin_unlock(&conn->tx_lock);
				continue;
			}
			/*
			 * The watchdog, armed before the queue is let go so
			 * that smbs_tx_close() finds it; write_space brings
			 * it forward.
			 */
			queue_delayed_work(smbs_wq, &conn->tx_work,
					   SMBS_SEND_TIMEOUT);
			conn->tx_busy = false;
			spin_unlock(&conn->tx_lock);
			return;
		}
		if (err && !conn->tx_closed) {
			smbs_dbg(CONN, "%s: send failed: %d\n", conn->peer, err);
			smbs_conn_shutdown(conn);
		}
		smbs_tx_complete(conn, tx, err);
	}
}

/* Become the sender unless another context is. */
static bool smbs_tx_claim(struct smbs_conn *conn)
{
	bool mine;

	spin_lock(&conn->tx_lock);
	mine = !conn->tx_busy;
	conn->tx_busy = true;
	spin_unlock(&conn->tx_lock);
	return mine;
}

void smbs_tx_submit(struct smbs_conn *conn, struct smbs_tx *tx)
{
	bool mine = false;
	unsigned int i;

	tx->frame = 0;
	tx->len = 0;
	for (i = 0; i < tx->nsegs; i++)
		tx->len += smbs_seg_len(&tx->segs[i]);
	tx->cur = 0;
	tx->off = 0;
	if (WARN_ON_ONCE(!tx->nsegs || tx->segs[0].bv ||
			 tx->segs[0].kv.iov_base != &tx->frame) ||
	    tx->len - sizeof(tx->frame) > 0xffffff) {
		tx->done(tx, -EMSGSIZE);
		return;
	}
	tx->segs[0].kv.iov_len = sizeof(tx->frame);
	tx->frame = cpu_to_be32(tx->len - sizeof(tx->frame));

	spin_lock(&conn->tx_lock);
	if (conn->tx_closed) {
		spin_unlock(&conn->tx_lock);
		tx->done(tx, -ESHUTDOWN);
		return;
	}
	list_add_tail(&tx->node, &conn->tx_queue);
	conn->tx_bytes += tx->len;
	if (!conn->tx_busy) {
		conn->tx_busy = true;
		mine = true;
	}
	spin_unlock(&conn->tx_lock);
	if (mine)
		smbs_tx_push(conn);
}

/* Room in the transport, or the watchdog's time: push, or give up. */
static void smbs_tx_work(struct work_struct *work)
{
	struct smbs_conn *conn = container_of(to_delayed_work(work),
					      struct smbs_conn, tx_work);
	unsigned long deadline;
	bool waiting;

	if (smbs_tx_claim(conn))
		smbs_tx_push(conn);
	spin_lock(&conn->tx_lock);
	waiting = !list_empty(&conn->tx_queue) && !conn->tx_busy &&
		  !conn->tx_closed;
	spin_unlock(&conn->tx_lock);
	if (!waiting)
		return;
	deadline = READ_ONCE(conn->tx_progress) + SMBS_SEND_TIMEOUT;
	if (time_after_eq(jiffies, deadline)) {
		pr_warn_ratelimited("%s: not reading its responses, disconnecting\n",
				    conn->peer);
		smbs_conn_shutdown(conn);
		return;
	}
	queue_delayed_work(smbs_wq, &conn->tx_work, deadline - jiffies);
}

/**
 * smbs_tx_writable - the transport has room again
 * @conn: the connection
 *
 * Context: any, softirq included (TCP's write_space callback); takes no
 * lock of ours.
 */
void smbs_tx_writable(struct smbs_conn *conn)
{
	set_bit(SMBS_TX_KICK, &conn->tx_kick);
	mod_delayed_work(smbs_wq, &conn->tx_work, 0);
}

/**
 * smbs_tx_init - set up the send queue of a new connection
 * @conn: the connection, not yet serving
 */
void smbs_tx_init(struct smbs_conn *conn)
{
	spin_lock_init(&conn->tx_lock);
	INIT_LIST_HEAD(&conn->tx_queue);
	INIT_DELAYED_WORK(&conn->tx_work, smbs_tx_work);
	conn->tx_progress = jiffies;
}

/**
 * smbs_tx_attach - have the transport say when it has room
 * @conn: the connection, whose transport is set
 */
void smbs_tx_attach(struct smbs_conn *conn)
{
	conn->ops->attach(conn);
}

/**
 * smbs_tx_close - drop what is queued and stop queueing
 * @conn: the connection, whose transport is shut down
 *
 * Every message queued, now or later, is handed back to its ->done with
 * an error. On return the transport no longer calls into the connection
 * and tx_work is not pending or running.
 *
 * Context: process context; sleeps until a sending context is done.
 */
void smbs_tx_close(struct smbs_conn *conn)
{
	spin_lock(&conn->tx_lock);
	conn->tx_closed = true;
	spin_unlock(&conn->tx_lock);

	conn->ops->detach(conn);

	/*
	 * Whoever sends now fails at once and hands every message back;
	 * if nobody does, this context does it. A sender still inside a
	 * transport call finishes that call (it does not block) first.
	 */
	for (;;) {
		if (smbs_tx_claim(conn))
			smbs_tx_push(conn);
		cancel_delayed_work_sync(&conn->tx_work);
		spin_lock(&conn->tx_lock);
		if (list_empty(&conn->tx_queue) && !conn->tx_busy) {
			spin_unlock(&conn->tx_lock);
			return;
		}
		spin_unlock(&conn->tx_lock);
		cond_resched();
	}
}
