// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connections: the receive thread, framing, sending and teardown.
 *
 * Each connection has one receive thread. It reads whole messages (the
 * 4-byte direct-TCP framing of MS-SMB2 2.1) and hands them to the
 * dispatcher, which runs them on smbs_wq; responses leave through the
 * connection's send queue (send.c). When the socket fails or the server
 * stops, the receive thread tears the connection down in one direction:
 * no new work, drop what waits to be sent, end the requests that wait
 * asynchronously, wait for work in flight, destroy sessions (which close
 * trees and files), release the socket.
 */
#include "server.h"

#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/bvec.h>
#include <linux/unaligned.h>
#include <linux/workqueue.h>
#include <net/sock.h>
#include "connection.h"
#include "async.h"
#include "pdu.h"
#include "session.h"
#include "smb2.h"
#include "work.h"
#include "trace.h"

#define SMBS_MAX_INFLIGHT	512	/* requests queued per connection */

static LIST_HEAD(smbs_conns);
static DEFINE_MUTEX(smbs_conns_lock);
static atomic_t smbs_nr_conns = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(smbs_conns_wq);

/* Bytes held in all connections' spare receive buffers, and the limit. */
static atomic_long_t smbs_spare_bytes = ATOMIC_LONG_INIT(0);
#define SMBS_SPARE_BUDGET	min_t(unsigned long, SZ_64M, \
				      (totalram_pages() << PAGE_SHIFT) / 32)
#define SMBS_SPARE_MIN		SZ_64K	/* smaller messages are not kept */

/* Receive buffers of large messages come in 64 KiB steps. */
static u32 smbs_msg_alloc_size(u32 len)
{
	return len >= SMBS_SPARE_MIN ? ALIGN(len, SMBS_SPARE_MIN) : len;
}

/* Take spare @i of @conn out of the cache; @conn->lock is held. */
static void *smbs_conn_spare_take(struct smbs_conn *conn, int i)
{
	void *buf = conn->spare[i];

	conn->spare[i] = NULL;
	atomic_long_sub(conn->spare_size[i], &smbs_spare_bytes);
	return buf;
}

/*
 * A buffer for a message of @len bytes: a spare of exactly the right size
 * if the connection kept one. Otherwise one spare of another size is
 * dropped, so that the spares follow the sizes the client uses now.
 */
static void *smbs_conn_msg_alloc(struct smbs_conn *conn, u32 len)
{
	u32 size = smbs_msg_alloc_size(len);
	void *buf = NULL, *stale = NULL;
	int i;

	if (len < SMBS_SPARE_MIN)
		return kvmalloc(len, GFP_KERNEL);
	spin_lock(&conn->lock);
	for (i = 0; i < SMBS_CONN_SPARES && !buf; i++)
		if (conn->spare[i] && conn->spare_size[i] == size)
			buf = smbs_conn_spare_take(conn, i);
	for (i = 0; i < SMBS_CONN_SPARES && !buf && !stale; i++)
		if (conn->spare[i])
			stale = smbs_conn_spare_take(conn, i);
	spin_unlock(&conn->lock);
	kvfree(stale);
	return buf ?: kvmalloc(size, GFP_KERNEL);
}

/**
 * smbs_conn_msg_free - give back a message buffer of the connection
 * @conn: the connection the message came on
 * @msg: the buffer, from the receive thread
 * @len: the message's length
 *
 * Keeps large buffers for the connection's next large message while the
 * server-wide budget allows, and frees the others.
 */
void smbs_conn_msg_free(struct smbs_conn *conn, void *msg, u32 len)
{
	u32 size = smbs_msg_alloc_size(len);
	int i;

	if (len < SMBS_SPARE_MIN || !smbs_conn_alive(conn) ||
	    atomic_long_add_return(size, &smbs_spare_bytes) >
	    SMBS_SPARE_BUDGET)
		goto drop;
	spin_lock(&conn->lock);
	for (i = 0; i < SMBS_CONN_SPARES; i++) {
		if (!conn->spare[i]) {
			conn->spare[i] = msg;
			conn->spare_size[i] = size;
			spin_unlock(&conn->lock);
			return;
		}
	}
	spin_unlock(&conn->lock);
drop:
	if (len >= SMBS_SPARE_MIN)
		atomic_long_sub(size, &smbs_spare_bytes);
	kvfree(msg);
}

static void smbs_conn_release(struct kref *ref)
{
	struct smbs_conn *conn = container_of(ref, struct smbs_conn, ref);
	int i;

	for (i = 0; i < SMBS_CONN_SPARES; i++) {
		if (conn->spare[i])
			atomic_long_sub(conn->spare_size[i], &smbs_spare_bytes);
		kvfree(conn->spare[i]);
	}
	xa_destroy(&conn->sessions);
	xa_destroy(&conn->async);
	kfree(conn);
	if (atomic_dec_and_test(&smbs_nr_conns))
		wake_up_all(&smbs_conns_wq);
}

void smbs_conn_put(struct smbs_conn *conn)
{
	kref_put(&conn->ref, smbs_conn_release);
}

/* From here on the connection takes no new work. */
static void smbs_conn_set_exiting(struct smbs_conn *conn)
{
	spin_lock(&conn->lock);
	WRITE_ONCE(conn->state, SMBS_CONN_EXITING);
	spin_unlock(&conn->lock);
}

bool smbs_conn_alive(struct smbs_conn *conn)
{
	return READ_ONCE(conn->state) != SMBS_CONN_EXITING;
}

/**
 * smbs_conn_shutdown - make a connection go away
 * @conn: the connection
 *
 * Shuts the socket down; the receive thread notices and tears down.
 */
void smbs_conn_shutdown(struct smbs_conn *conn)
{
	smbs_conn_set_exiting(conn);
	kernel_sock_shutdown(conn->sock, SHUT_RDWR);
}

/*
 * Receive time limits. A peer that has not logged in gets SMBS_LOGIN_TIMEOUT
 * from the accept to make a session VALID (NEGOTIATE included): machines
 * finish NTLM or Kerberos in a few round trips, so this only ends
 * connections that are idle or stalled on purpose, each of which holds a
 * thread and a socket. Once the first byte of a frame is in, the rest of
 * it must follow within SMBS_FRAME_TIMEOUT plus one second per 64 KiB
 * (an 8 MiB WRITE may take 158 s, at least 53 KiB/s): a stalled half frame
 * pins the receive thread and its buffer. A logged-in connection waits for
 * the next frame without a bound; "deadtime" ends idle ones.
 */
#define SMBS_LOGIN_TIMEOUT	(30 * HZ)
#define SMBS_FRAME_TIMEOUT	(30 * HZ)
#define SMBS_FRAME_RATE		SZ_64K	/* bytes per extra second */

/**
 * smbs_conn_rx_timeo - how long the receive thread may still wait
 * @conn: the connection
 *
 * Context: the connection's receive thread.
 * Return: jiffies left before the current receive deadline, 0 if it has
 * passed, or MAX_SCHEDULE_TIMEOUT when no deadline is set.
 */
long smbs_conn_rx_timeo(const struct smbs_conn *conn)
{
	long left;

	if (!conn->rx_bounded)
		return MAX_SCHEDULE_TIMEOUT;
	left = (long)(conn->rx_deadline - jiffies);
	return left > 0 ? left : 0;
}

/* Bound the receive thread's next waits: until @deadline, or not at all. */
static void smbs_conn_rx_bound(struct smbs_conn *conn, bool bounded,
			       unsigned long deadline)
{
	conn->rx_bounded = bounded;
	conn->rx_deadline = deadline;
}

/**
 * smbs_conn_recv - receive exactly @len bytes
 * @conn: the connection
 * @buf: where to put them
 * @len: how many
 *
 * Waits no longer than the receive deadline (smbs_conn_rx_timeo()).
 *
 * Context: the connection's receive thread.
 * Return: 0, -ETIMEDOUT when the deadline passed, or another negative
 * errno when the connection failed or is going.
 */
int smbs_conn_recv(struct smbs_conn *conn, void *buf, size_t len)
{
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	long timeo;
	int n;

	while (iov.iov_len) {
		if (!smbs_conn_alive(conn) || kthread_should_stop())
			return -ESHUTDOWN;
		timeo = smbs_conn_rx_timeo(conn);
		if (!timeo)
			return -ETIMEDOUT;
		/* tcp_recvmsg() returns -EAGAIN, or what it has, at the end. */
		WRITE_ONCE(conn->sock->sk->sk_rcvtimeo, timeo);
		n = kernel_recvmsg(conn->sock, &msg, &iov, 1, iov.iov_len,
				   MSG_WAITALL);
		if (n == -EINTR || n == -EAGAIN)
			continue;
		if (n <= 0)
			return n ? n : -ECONNRESET;
		iov.iov_base += n;
		iov.iov_len -= n;
	}
	return 0;
}

/*
 * Wait for the first byte of the next frame: for as long as it takes on a
 * logged-in connection, until the login deadline on another. A session
 * may become VALID while we wait (SESSION_SETUP runs on smbs_wq), so the
 * deadline is looked at again when it passes.
 */
static int smbs_conn_recv_first(struct smbs_conn *conn, u8 *byte)
{
	int err;

	for (;;) {
		smbs_conn_rx_bound(conn, !READ_ONCE(conn->authed),
				   conn->born + SMBS_LOGIN_TIMEOUT);
		err = smbs_conn_recv(conn, byte, 1);
		if (err != -ETIMEDOUT || !READ_ONCE(conn->authed))
			return err;
	}
}

/*
 * Messages this large are read head first: a WRITE whose data is the rest
 * of the message leaves that data in the socket, for the handler to
 * receive straight into the file (smbs_conn_recv_file()).
 */
#define SMBS_TAIL_MIN		SMBS_SPARE_MIN

/*
 * Read the head of a large message of @len bytes. Returns the bytes now
 * in *@out, with *@tail set to the bytes left in the socket.
 */
static int smbs_conn_read_large(struct smbs_conn *conn, u32 len, u8 **out,
				u32 *tail)
{
	u8 *head, *buf;
	int err;

	head = kmalloc(SMBS_PDU_WRITE_HEAD, GFP_KERNEL);
	if (!head)
		return -ENOMEM;
	err = smbs_conn_recv(conn, head, SMBS_PDU_WRITE_HEAD);
	if (err)
		goto out_head;
	if (smbs_pdu_write_streamable(head, len)) {
		*out = head;
		*tail = len - SMBS_PDU_WRITE_HEAD;
		return SMBS_PDU_WRITE_HEAD;
	}
	buf = smbs_conn_msg_alloc(conn, len);
	if (!buf) {
		err = -ENOMEM;
		goto out_head;
	}
	memcpy(buf, head, SMBS_PDU_WRITE_HEAD);
	kfree(head);
	err = smbs_conn_recv(conn, buf + SMBS_PDU_WRITE_HEAD,
			     len - SMBS_PDU_WRITE_HEAD);
	if (err) {
		smbs_conn_msg_free(conn, buf, len);
		return err;
	}
	*out = buf;
	return len;
out_head:
	kfree(head);
	return err;
}

/*
 * Read one framed message; returns the bytes of it in *@out, 0 for a
 * keep-alive. *@tail gets the bytes of it left in the socket.
 */
static int smbs_conn_read_msg(struct smbs_conn *conn, u8 **out, u32 *tail)
{
	u32 max = SMBS_MAX_PDU(&smbs_cfg);
	u8 hdr[4];
	u32 len;
	u8 *buf;
	int err;

	*tail = 0;
	err = smbs_conn_recv_first(conn, hdr);
	if (err == -ETIMEDOUT)
		pr_info_ratelimited("%s: no login within %u s, disconnecting\n",
				    conn->peer, SMBS_LOGIN_TIMEOUT / HZ);
	if (err)
		return err;
	WRITE_ONCE(conn->last_active, jiffies);
	/* The frame has begun: all of it must follow in bounded time. */
	smbs_conn_rx_bound(conn, true, jiffies + SMBS_FRAME_TIMEOUT);
	err = smbs_conn_recv(conn, hdr + 1, sizeof(hdr) - 1);
	if (err)
		goto out;
	/*
	 * Nothing large comes before NEGOTIATE, nor before a session is
	 * VALID (SESSION_SETUP's blob has a 16-bit length): a peer that has
	 * not logged in makes the server hold no large buffer. Looked at
	 * now: the SESSION_SETUP that made a session VALID ran on smbs_wq
	 * while we waited.
	 */
	if (READ_ONCE(conn->state) == SMBS_CONN_NEW)
		max = SMBS_MAX_NEG_PDU;
	else if (!READ_ONCE(conn->authed))
		max = SMBS_MAX_SETUP_PDU;
	len = get_unaligned_be32(hdr) & 0xffffff;
	if (hdr[0] == 0x85)	/* NetBIOS session keep-alive */
		return 0;
	if (hdr[0] != 0) {
		smbs_dbg(CONN, "%s: bad framing byte %#x\n", conn->peer, hdr[0]);
		return -EPROTO;
	}
	if (len < 4 || len > max) {
		pr_warn_ratelimited("%s: message length %u out of range\n",
				    conn->peer, len);
		return -EMSGSIZE;
	}
	conn->rx_deadline += len / SMBS_FRAME_RATE * HZ;
	if (len >= SMBS_TAIL_MIN) {
		err = smbs_conn_read_large(conn, len, out, tail);
		goto out;
	}
	buf = smbs_conn_msg_alloc(conn, len);
	if (!buf)
		return -ENOMEM;
	err = smbs_conn_recv(conn, buf, len);
	if (err) {
		smbs_conn_msg_free(conn, buf, len);
		goto out;
	}
	*out = buf;
	return len;
out:
	if (err == -ETIMEDOUT)
		pr_info_ratelimited("%s: frame not received in time, disconnecting\n",
				    conn->peer);
	return err;
}

static bool smbs_conn_handle_msg(struct smbs_conn *conn, u8 *msg, u32 len,
				 u32 tail)
{
	static const u8 smb2_magic[4] = { 0xfe, 'S', 'M', 'B' };

	/*
	 * Until NEGOTIATE is done, messages run here one at a time, so the
	 * negotiation (an SMB1 NEGOTIATE included) happens strictly in order;
	 * a WRITE whose data is in the socket runs here as well.
	 */
	if (tail || READ_ONCE(conn->state) == SMBS_CONN_NEW) {
		smbs_run_message_tail(conn, msg, len, tail);
		return smbs_conn_alive(conn);
	}
	if (!memcmp(msg, smb2_magic, 4)) {
		/* The dispatcher owns @msg from here on. */
		smbs_queue_message(conn, msg, len);
		return true;
	}
	/* Transform (encrypted) and compressed messages come later. */
	smbs_dbg(CONN, "%s: unsupported protocol id %*ph\n", conn->peer, 4, msg);
	smbs_conn_msg_free(conn, msg, len);
	return false;
}

static void smbs_conn_teardown(struct smbs_conn *conn)
{
	smbs_conn_set_exiting(conn);
	kernel_sock_shutdown(conn->sock, SHUT_RDWR);
	smbs_tx_close(conn);
	smbs_async_cancel_all(conn);
	wait_event(conn->inflight_wq, !atomic_read(&conn->inflight));
	smbs_session_destroy_all(conn);
	mutex_lock(&smbs_conns_lock);
	list_del_init(&conn->node);
	mutex_unlock(&smbs_conns_lock);
	smbs_dbg(CONN, "%s: disconnected\n", conn->peer);
	trace_smbs_conn_close(conn);
	sock_release(conn->sock);
	conn->sock = NULL;
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

/*
 * May a connection from @peer be added? "max connections" bounds them all,
 * "max ip connections" those from one address (connections being torn
 * down still count: they hold their socket and thread until gone).
 */
static bool smbs_conn_may_add(const char *peer)
{
	u32 max = READ_ONCE(smbs_cfg.max_connections);
	u32 max_ip = READ_ONCE(smbs_cfg.max_ip_connections);
	struct smbs_conn *conn;
	u32 n = 0;

	lockdep_assert_held(&smbs_conns_lock);
	if (max && atomic_read(&smbs_nr_conns) >= max) {
		pr_warn_ratelimited("connection limit %u reached\n", max);
		return false;
	}
	if (!max_ip || !peer[0])
		return true;
	list_for_each_entry(conn, &smbs_conns, node) {
		if (!strcmp(conn->peer, peer) && ++n >= max_ip) {
			pr_warn_ratelimited("%s: per-address connection limit %u reached\n",
					    peer, max_ip);
			return false;
		}
	}
	return true;
}

/**
 * smbs_conn_create - start serving an accepted socket
 * @sock: the socket; on success the connection owns it
 *
 * Return: the connection (owned by its receive thread, which may already
 * have dropped it: only compare it with NULL), or NULL.
 */
struct smbs_conn *smbs_conn_create(struct socket *sock)
{
	struct sockaddr_storage ss;
	struct task_struct *task;
	struct smbs_conn *conn;

	conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	if (!conn)
		return NULL;
	kref_init(&conn->ref);
	INIT_LIST_HEAD(&conn->node);
	smbs_tx_init(conn);
	spin_lock_init(&conn->lock);
	xa_init(&conn->sessions);
	xa_init_flags(&conn->async, XA_FLAGS_ALLOC1);
	init_waitqueue_head(&conn->inflight_wq);
	conn->sock = sock;
	smbs_tx_attach(conn);
	conn->state = SMBS_CONN_NEW;
	conn->credits = 1;
	conn->last_active = jiffies;
	conn->born = jiffies;
	if (kernel_getpeername(sock, (struct sockaddr *)&ss) > 0) {
		if (ss.ss_family == AF_INET6)
			snprintf(conn->peer, sizeof(conn->peer), "%pI6c",
				 &((struct sockaddr_in6 *)&ss)->sin6_addr);
		else
			snprintf(conn->peer, sizeof(conn->peer), "%pI4",
				 &((struct sockaddr_in *)&ss)->sin_addr);
	}
	mutex_lock(&smbs_conns_lock);
	if (!smbs_conn_may_add(conn->peer)) {
		mutex_unlock(&smbs_conns_lock);
		xa_destroy(&conn->sessions);
		kfree(conn);
		return NULL;
	}
	atomic_inc(&smbs_nr_conns);
	list_add_tail(&conn->node, &smbs_conns);
	mutex_unlock(&smbs_conns_lock);

	/* The thread pins the module until it has really exited. */
	__module_get(THIS_MODULE);
	/*
	 * Created stopped: once it runs, the thread may drop the connection
	 * at any time, so everything here must be done before it starts.
	 */
	task = kthread_create(smbs_conn_rx, conn, "ksmbd:%s", conn->peer);
	if (IS_ERR(task)) {
		module_put(THIS_MODULE);
		mutex_lock(&smbs_conns_lock);
		list_del(&conn->node);
		mutex_unlock(&smbs_conns_lock);
		smbs_tx_close(conn);
		conn->sock = NULL;
		smbs_conn_put(conn);
		return NULL;
	}
	conn->rx_task = task;
	smbs_dbg(CONN, "%s: connected\n", conn->peer);
	trace_smbs_conn_open(conn);
	wake_up_process(task);
	return conn;
}

/* ---- deadtime ------------------------------------------------------- */

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
static void smbs_idle_scan(struct work_struct *work)
{
	unsigned long dead = READ_ONCE(smbs_cfg.deadtime) * (unsigned long)HZ;
	struct smbs_conn *conn;

	if (!dead)
		goto again;
	mutex_lock(&smbs_conns_lock);
	list_for_each_entry(conn, &smbs_conns, node) {
		if (!smbs_conn_alive(conn) || atomic_read(&conn->inflight) ||
		    time_before(jiffies, READ_ONCE(conn->last_active) + dead) ||
		    smbs_conn_has_files(conn))
			continue;
		pr_info_ratelimited("%s: idle for %u s, disconnecting\n",
				    conn->peer, smbs_cfg.deadtime);
		smbs_conn_shutdown(conn);
	}
	mutex_unlock(&smbs_conns_lock);
again:
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

/**
 * smbs_conn_close_all - drop every connection and wait until they are gone
 */
void smbs_conn_close_all(void)
{
	struct smbs_conn *conn;

	mutex_lock(&smbs_conns_lock);
	list_for_each_entry(conn, &smbs_conns, node)
		smbs_conn_shutdown(conn);
	mutex_unlock(&smbs_conns_lock);
	wait_event(smbs_conns_wq, !atomic_read(&smbs_nr_conns));
}
