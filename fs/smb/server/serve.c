// SPDX-License-Identifier: GPL-2.0-only
/*
 * Serving a connection: its receive thread, and the deadtime scan.
 *
 * Each accepted peer gets a connection (connection.c) and one receive
 * thread. The thread reads whole messages and hands them to the
 * dispatcher, which runs them on smbs_wq; responses leave through the
 * connection's send queue (send.c). It holds back while the connection has
 * too much work in flight or too many bytes waiting to be sent. When the
 * socket fails or the server stops, the thread tears the connection down
 * (smbs_conn_teardown(): no new work, drop what waits to be sent, end the
 * requests that wait, wait for work in flight, end the sessions) and
 * exits.
 */
#include "server.h"

#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include "connection.h"
#include "serve.h"
#include "session.h"
#include "teardown.h"
#include "work.h"
#include "trace.h"

#define SMBS_MAX_INFLIGHT	512	/* requests queued per connection */

static bool smbs_conn_handle_msg(struct smbs_conn *conn, u8 *msg, u32 len,
				 u32 tail)
{
	static const u8 smb2_magic[4] = { 0xfe, 'S', 'M', 'B' };
	static const u8 transform_magic[4] = { 0xfd, 'S', 'M', 'B' };

	/*
	 * Until NEGOTIATE is done, messages run here one at a time, so the
	 * negotiation (an SMB1 NEGOTIATE included) happens strictly in order;
	 * a WRITE whose data is in the socket runs here as well.
	 */
	if (tail || READ_ONCE(conn->state) == SMBS_CONN_NEW) {
		smbs_run_message_tail(conn, msg, len, tail);
		return smbs_conn_alive(conn);
	}
	/* An encrypted message is decrypted by the worker that runs it. */
	if (!memcmp(msg, smb2_magic, 4) || !memcmp(msg, transform_magic, 4)) {
		/* The dispatcher owns @msg from here on. */
		smbs_queue_message(conn, msg, len);
		return true;
	}
	/* Compressed messages are not supported (none is negotiated). */
	smbs_dbg(CONN, "%s: unsupported protocol id %*ph\n", conn->peer, 4, msg);
	smbs_conn_msg_free(conn, msg, len);
	return false;
}

/* May the receive thread take another message? */
static bool smbs_conn_may_read(struct smbs_conn *conn)
{
	return atomic_read(&conn->inflight) < SMBS_MAX_INFLIGHT &&
	       atomic_read(&conn->inflight_charge) < SMBS_INFLIGHT_CHARGE_MAX &&
	       READ_ONCE(conn->tx_bytes) <= SMBS_TX_QUEUE_MAX;
}

static int smbs_conn_rx(void *data)
{
	struct smbs_conn *conn = data;
	u32 tail;
	u8 *msg;
	int len;

	while (smbs_conn_alive(conn)) {
		/*
		 * Back-pressure: a client cannot queue unbounded work, nor
		 * make the server hold unbounded responses it does not read.
		 */
		wait_event(conn->inflight_wq, smbs_conn_may_read(conn) ||
			   !smbs_conn_alive(conn));
		len = smbs_conn_read_msg(conn, &msg, &tail);
		if (len < 0)
			break;
		if (!len)
			continue;
		if (!smbs_conn_handle_msg(conn, msg, len, tail))
			break;
	}
	smbs_conn_teardown(conn);
	smbs_conn_put(conn);
	module_put_and_kthread_exit(0);
}

/**
 * smbs_conn_create - start serving an accepted peer
 * @ops: its transport
 * @tp: the transport's state for it; on success the connection owns it
 * @peer: the peer's numeric address
 *
 * Return: the connection (owned by its receive thread, which may already
 * have dropped it: only compare it with NULL), or NULL; the caller then
 * still owns @tp.
 */
struct smbs_conn *smbs_conn_create(const struct smbs_transport_ops *ops,
				   void *tp, const char *peer)
{
	struct task_struct *task;
	struct smbs_conn *conn;

	conn = smbs_conn_alloc(ops, tp, peer);
	if (!conn)
		return NULL;
	smbs_tx_init(conn);
	smbs_tx_attach(conn);

	/* The thread pins the module until it has really exited. */
	__module_get(THIS_MODULE);
	/*
	 * Created stopped: once it runs, the thread may drop the connection
	 * at any time, so everything here must be done before it starts.
	 */
	task = kthread_create(smbs_conn_rx, conn, "ksmbd:%s", conn->peer);
	if (IS_ERR(task)) {
		module_put(THIS_MODULE);
		smbs_conn_unlist(conn);
		smbs_tx_close(conn);
		conn->tp = NULL;
		smbs_conn_put(conn);
		return NULL;
	}
	conn->rx_task = task;
	smbs_dbg(CONN, "%s: connected\n", conn->peer);
	trace_smbs_conn_open(conn);
	wake_up_process(task);
	return conn;
}

/* Idle connections are looked for this often (at most). */
#define SMBS_IDLE_SCAN		(15 * HZ)

static void smbs_idle_scan(struct work_struct *work);
static DECLARE_DELAYED_WORK(smbs_idle_work, smbs_idle_scan);

/* Does any session of @conn have an open file? */
static bool smbs_conn_has_files(struct smbs_conn *conn)
{
	struct smbs_session *sess;
	unsigned long id;
	bool busy = false;

	/* Published sessions hold a reference: they live while we look. */
	xa_lock(&conn->sessions);
	xa_for_each(&conn->sessions, id, sess) {
		if (!xa_empty(&sess->files)) {
			busy = true;
			break;
		}
	}
	xa_unlock(&conn->sessions);
	return busy;
}

/*
 * Drop the connections that received nothing for the configured deadtime
 * and have no open file: a client reconnects when it needs the server
 * again, and no open state is lost.
 */
static void smbs_idle_check(struct smbs_conn *conn, void *arg)
{
	unsigned long dead = *(unsigned long *)arg;

	if (!smbs_conn_alive(conn) || atomic_read(&conn->inflight) ||
	    time_before(jiffies, READ_ONCE(conn->last_active) + dead) ||
	    smbs_conn_has_files(conn))
		return;
	pr_info_ratelimited("%s: idle for %lu s, disconnecting\n",
			    conn->peer, dead / HZ);
	smbs_conn_shutdown(conn);
}

static void smbs_idle_scan(struct work_struct *work)
{
	unsigned long dead = READ_ONCE(smbs_cfg.deadtime) * (unsigned long)HZ;

	if (dead)
		smbs_conn_for_each(smbs_idle_check, &dead);
	queue_delayed_work(system_wq, &smbs_idle_work, SMBS_IDLE_SCAN);
}

/**
 * smbs_conn_idle_start - start enforcing the deadtime setting
 */
void smbs_conn_idle_start(void)
{
	queue_delayed_work(system_wq, &smbs_idle_work, SMBS_IDLE_SCAN);
}

/**
 * smbs_conn_idle_stop - stop enforcing it, before the module goes away
 */
void smbs_conn_idle_stop(void)
{
	cancel_delayed_work_sync(&smbs_idle_work);
}

