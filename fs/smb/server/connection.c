// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connections: the receive thread, framing, sending and teardown.
 *
 * Each connection has one receive thread. It reads whole messages (the
 * 4-byte direct-TCP framing of MS-SMB2 2.1) and hands them to the
 * dispatcher, which runs them on smbd_wq; responses leave through the
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

#define SMBD_MAX_INFLIGHT	512	/* requests queued per connection */

static LIST_HEAD(smbd_conns);
static DEFINE_MUTEX(smbd_conns_lock);
static atomic_t smbd_nr_conns = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(smbd_conns_wq);

/* Bytes held in all connections' spare receive buffers, and the limit. */
static atomic_long_t smbd_spare_bytes = ATOMIC_LONG_INIT(0);
#define SMBD_SPARE_BUDGET	min_t(unsigned long, SZ_64M, \
				      (totalram_pages() << PAGE_SHIFT) / 32)
#define SMBD_SPARE_MIN		SZ_64K	/* smaller messages are not kept */

/* Receive buffers of large messages come in 64 KiB steps. */
static u32 smbd_msg_alloc_size(u32 len)
{
	return len >= SMBD_SPARE_MIN ? ALIGN(len, SMBD_SPARE_MIN) : len;
}

/* Take spare @i of @conn out of the cache; @conn->lock is held. */
static void *smbd_conn_spare_take(struct smbd_conn *conn, int i)
{
	void *buf = conn->spare[i];

	conn->spare[i] = NULL;
	atomic_long_sub(conn->spare_size[i], &smbd_spare_bytes);
	return buf;
}

/*
 * A buffer for a message of @len bytes: a spare of exactly the right size
 * if the connection kept one. Otherwise one spare of another size is
 * dropped, so that the spares follow the sizes the client uses now.
 */
static void *smbd_conn_msg_alloc(struct smbd_conn *conn, u32 len)
{
	u32 size = smbd_msg_alloc_size(len);
	void *buf = NULL, *stale = NULL;
	int i;

	if (len < SMBD_SPARE_MIN)
		return kvmalloc(len, GFP_KERNEL);
	spin_lock(&conn->lock);
	for (i = 0; i < SMBD_CONN_SPARES && !buf; i++)
		if (conn->spare[i] && conn->spare_size[i] == size)
			buf = smbd_conn_spare_take(conn, i);
	for (i = 0; i < SMBD_CONN_SPARES && !buf && !stale; i++)
		if (conn->spare[i])
			stale = smbd_conn_spare_take(conn, i);
	spin_unlock(&conn->lock);
	kvfree(stale);
	return buf ?: kvmalloc(size, GFP_KERNEL);
}

/**
 * smbd_conn_msg_free - give back a message buffer of the connection
 * @conn: the connection the message came on
 * @msg: the buffer, from the receive thread
 * @len: the message's length
 *
 * Keeps large buffers for the connection's next large message while the
 * server-wide budget allows, and frees the others.
 */
void smbd_conn_msg_free(struct smbd_conn *conn, void *msg, u32 len)
{
	u32 size = smbd_msg_alloc_size(len);
	int i;

	if (len < SMBD_SPARE_MIN || !smbd_conn_alive(conn) ||
	    atomic_long_add_return(size, &smbd_spare_bytes) >
	    SMBD_SPARE_BUDGET)
		goto drop;
	spin_lock(&conn->lock);
	for (i = 0; i < SMBD_CONN_SPARES; i++) {
		if (!conn->spare[i]) {
			conn->spare[i] = msg;
			conn->spare_size[i] = size;
			spin_unlock(&conn->lock);
			return;
		}
	}
	spin_unlock(&conn->lock);
drop:
	if (len >= SMBD_SPARE_MIN)
		atomic_long_sub(size, &smbd_spare_bytes);
	kvfree(msg);
}

static void smbd_conn_release(struct kref *ref)
{
	struct smbd_conn *conn = container_of(ref, struct smbd_conn, ref);
	int i;

	for (i = 0; i < SMBD_CONN_SPARES; i++) {
		if (conn->spare[i])
			atomic_long_sub(conn->spare_size[i], &smbd_spare_bytes);
		kvfree(conn->spare[i]);
	}
	xa_destroy(&conn->sessions);
	xa_destroy(&conn->async);
	kfree(conn);
	if (atomic_dec_and_test(&smbd_nr_conns))
		wake_up_all(&smbd_conns_wq);
}

void smbd_conn_put(struct smbd_conn *conn)
{
	kref_put(&conn->ref, smbd_conn_release);
}

/* From here on the connection takes no new work. */
static void smbd_conn_set_exiting(struct smbd_conn *conn)
{
	spin_lock(&conn->lock);
	WRITE_ONCE(conn->state, SMBD_CONN_EXITING);
	spin_unlock(&conn->lock);
}

bool smbd_conn_alive(struct smbd_conn *conn)
{
	return READ_ONCE(conn->state) != SMBD_CONN_EXITING;
}

/**
 * smbd_conn_shutdown - make a connection go away
 * @conn: the connection
 *
 * Shuts the socket down; the receive thread notices and tears down.
 */
void smbd_conn_shutdown(struct smbd_conn *conn)
{
	smbd_conn_set_exiting(conn);
	kernel_sock_shutdown(conn->sock, SHUT_RDWR);
}

/*
 * Receive time limits. A peer that has not logged in gets SMBD_LOGIN_TIMEOUT
 * from the accept to make a session VALID (NEGOTIATE included): machines
 * finish NTLM or Kerberos in a few round trips, so this only ends
 * connections that are idle or stalled on purpose, each of which holds a
 * thread and a socket. Once the first byte of a frame is in, the rest of
 * it must follow within SMBD_FRAME_TIMEOUT plus one second per 64 KiB
 * (an 8 MiB WRITE may take 158 s, at least 53 KiB/s): a stalled half frame
 * pins the receive thread and its buffer. A logged-in connection waits for
 * the next frame without a bound; "deadtime" ends idle ones.
 */
#define SMBD_LOGIN_TIMEOUT	(30 * HZ)
#define SMBD_FRAME_TIMEOUT	(30 * HZ)
#define SMBD_FRAME_RATE		SZ_64K	/* bytes per extra second */

/**
 * smbd_conn_rx_timeo - how long the receive thread may still wait
 * @conn: the connection
 *
 * Context: the connection's receive thread.
 * Return: jiffies left before the current receive deadline, 0 if it has
 * passed, or MAX_SCHEDULE_TIMEOUT when no deadline is set.
 */
long smbd_conn_rx_timeo(const struct smbd_conn *conn)
{
	long left;

	if (!conn->rx_bounded)
		return MAX_SCHEDULE_TIMEOUT;
	left = (long)(conn->rx_deadline - jiffies);
	return left > 0 ? left : 0;
}

/* Bound the receive thread's next waits: until @deadline, or not at all. */
static void smbd_conn_rx_bound(struct smbd_conn *conn, bool bounded,
			       unsigned long deadline)
{
	conn->rx_bounded = bounded;
	conn->rx_deadline = deadline;
}

/**
 * smbd_conn_recv - receive exactly @len bytes
 * @conn: the connection
 * @buf: where to put them
 * @len: how many
 *
 * Waits no longer than the receive deadline (smbd_conn_rx_timeo()).
 *
 * Context: the connection's receive thread.
 * Return: 0, -ETIMEDOUT when the deadline passed, or another negative
 * errno when the connection failed or is going.
 */
int smbd_conn_recv(struct smbd_conn *conn, void *buf, size_t len)
{
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	long timeo;
	int n;

	while (iov.iov_len) {
		if (!smbd_conn_alive(conn) || kthread_should_stop())
			return -ESHUTDOWN;
		timeo = smbd_conn_rx_timeo(conn);
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
 * may become VALID while we wait (SESSION_SETUP runs on smbd_wq), so the
 * deadline is looked at again when it passes.
 */
static int smbd_conn_recv_first(struct smbd_conn *conn, u8 *byte)
{
	int err;

	for (;;) {
		smbd_conn_rx_bound(conn, !READ_ONCE(conn->authed),
				   conn->born + SMBD_LOGIN_TIMEOUT);
		err = smbd_conn_recv(conn, byte, 1);
		if (err != -ETIMEDOUT || !READ_ONCE(conn->authed))
			return err;
	}
}

/*
 * Messages this large are read head first: a WRITE whose data is the rest
 * of the message leaves that data in the socket, for the handler to
 * receive straight into the file (smbd_conn_recv_file()).
 */
#define SMBD_TAIL_MIN		SMBD_SPARE_MIN

/*
 * Read the head of a large message of @len bytes. Returns the bytes now
 * in *@out, with *@tail set to the bytes left in the socket.
 */
static int smbd_conn_read_large(struct smbd_conn *conn, u32 len, u8 **out,
				u32 *tail)
{
	u8 *head, *buf;
	int err;

	head = kmalloc(SMBD_PDU_WRITE_HEAD, GFP_KERNEL);
	if (!head)
		return -ENOMEM;
	err = smbd_conn_recv(conn, head, SMBD_PDU_WRITE_HEAD);
	if (err)
		goto out_head;
	if (smbd_pdu_write_streamable(head, len)) {
		*out = head;
		*tail = len - SMBD_PDU_WRITE_HEAD;
		return SMBD_PDU_WRITE_HEAD;
	}
	buf = smbd_conn_msg_alloc(conn, len);
	if (!buf) {
		err = -ENOMEM;
		goto out_head;
	}
	memcpy(buf, head, SMBD_PDU_WRITE_HEAD);
	kfree(head);
	err = smbd_conn_recv(conn, buf + SMBD_PDU_WRITE_HEAD,
			     len - SMBD_PDU_WRITE_HEAD);
	if (err) {
		smbd_conn_msg_free(conn, buf, len);
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
static int smbd_conn_read_msg(struct smbd_conn *conn, u8 **out, u32 *tail)
{
	u32 max = SMBD_MAX_PDU(&smbd_cfg);
	u8 hdr[4];
	u32 len;
	u8 *buf;
	int err;

	*tail = 0;
	err = smbd_conn_recv_first(conn, hdr);
	if (err == -ETIMEDOUT)
		pr_info_ratelimited("%s: no login within %u s, disconnecting\n",
				    conn->peer, SMBD_LOGIN_TIMEOUT / HZ);
	if (err)
		return err;
	WRITE_ONCE(conn->last_active, jiffies);
	/* The frame has begun: all of it must follow in bounded time. */
	smbd_conn_rx_bound(conn, true, jiffies + SMBD_FRAME_TIMEOUT);
	err = smbd_conn_recv(conn, hdr + 1, sizeof(hdr) - 1);
	if (err)
		goto out;
	/*
	 * Nothing large comes before NEGOTIATE, nor before a session is
	 * VALID (SESSION_SETUP's blob has a 16-bit length): a peer that has
	 * not logged in makes the server hold no large buffer. Looked at
	 * now: the SESSION_SETUP that made a session VALID ran on smbd_wq
	 * while we waited.
	 */
	if (READ_ONCE(conn->state) == SMBD_CONN_NEW)
		max = SMBD_MAX_NEG_PDU;
	else if (!READ_ONCE(conn->authed))
		max = SMBD_MAX_SETUP_PDU;
	len = get_unaligned_be32(hdr) & 0xffffff;
	if (hdr[0] == 0x85)	/* NetBIOS session keep-alive */
		return 0;
	if (hdr[0] != 0) {
		smbd_dbg(CONN, "%s: bad framing byte %#x\n", conn->peer, hdr[0]);
		return -EPROTO;
	}
	if (len < 4 || len > max) {
		pr_warn_ratelimited("%s: message length %u out of range\n",
				    conn->peer, len);
		return -EMSGSIZE;
	}
	conn->rx_deadline += len / SMBD_FRAME_RATE * HZ;
	if (len >= SMBD_TAIL_MIN) {
		err = smbd_conn_read_large(conn, len, out, tail);
		goto out;
	}
	buf = smbd_conn_msg_alloc(conn, len);
	if (!buf)
		return -ENOMEM;
	err = smbd_conn_recv(conn, buf, len);
	if (err) {
		smbd_conn_msg_free(conn, buf, len);
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

static bool smbd_conn_handle_msg(struct smbd_conn *conn, u8 *msg, u32 len,
				 u32 tail)
{
	static const u8 smb2_magic[4] = { 0xfe, 'S', 'M', 'B' };

	/*
	 * Until NEGOTIATE is done, messages run here one at a time, so the
	 * negotiation (an SMB1 NEGOTIATE included) happens strictly in order;
	 * a WRITE whose data is in the socket runs here as well.
	 */
	if (tail || READ_ONCE(conn->state) == SMBD_CONN_NEW) {
		smbd_run_message_tail(conn, msg, len, tail);
		return smbd_conn_alive(conn);
	}
	if (!memcmp(msg, smb2_magic, 4)) {
		/* The dispatcher owns @msg from here on. */
		smbd_queue_message(conn, msg, len);
		return true;
	}
	/* Transform (encrypted) and compressed messages come later. */
	smbd_dbg(CONN, "%s: unsupported protocol id %*ph\n", conn->peer, 4, msg);
	smbd_conn_msg_free(conn, msg, len);
	return false;
}

static void smbd_conn_teardown(struct smbd_conn *conn)
{
	smbd_conn_set_exiting(conn);
	kernel_sock_shutdown(conn->sock, SHUT_RDWR);
	smbd_tx_close(conn);
	smbd_async_cancel_all(conn);
	wait_event(conn->inflight_wq, !atomic_read(&conn->inflight));
	smbd_session_destroy_all(conn);
	mutex_lock(&smbd_conns_lock);
	list_del_init(&conn->node);
	mutex_unlock(&smbd_conns_lock);
	smbd_dbg(CONN, "%s: disconnected\n", conn->peer);
	trace_smbd_conn_close(conn);
	sock_release(conn->sock);
	conn->sock = NULL;
}

/* May the receive thread take another message? */
static bool smbd_conn_may_read(struct smbd_conn *conn)
{
	return atomic_read(&conn->inflight) < SMBD_MAX_INFLIGHT &&
	       atomic_read(&conn->inflight_charge) < SMBD_INFLIGHT_CHARGE_MAX &&
	       READ_ONCE(conn->tx_bytes) <= SMBD_TX_QUEUE_MAX;
}

static int smbd_conn_rx(void *data)
{
	struct smbd_conn *conn = data;
	u32 tail;
	u8 *msg;
	int len;

	while (smbd_conn_alive(conn)) {
		/*
		 * Back-pressure: a client cannot queue unbounded work, nor
		 * make the server hold unbounded responses it does not read.
		 */
		wait_event(conn->inflight_wq, smbd_conn_may_read(conn) ||
			   !smbd_conn_alive(conn));
		len = smbd_conn_read_msg(conn, &msg, &tail);
		if (len < 0)
			break;
		if (!len)
			continue;
		if (!smbd_conn_handle_msg(conn, msg, len, tail))
			break;
	}
	smbd_conn_teardown(conn);
	smbd_conn_put(conn);
	module_put_and_kthread_exit(0);
}

/*
 * May a connection from @peer be added? "max connections" bounds them all,
 * "max ip connections" those from one address (connections being torn
 * down still count: they hold their socket and thread until gone).
 */
static bool smbd_conn_may_add(const char *peer)
{
	u32 max = READ_ONCE(smbd_cfg.max_connections);
	u32 max_ip = READ_ONCE(smbd_cfg.max_ip_connections);
	struct smbd_conn *conn;
	u32 n = 0;

	lockdep_assert_held(&smbd_conns_lock);
	if (max && atomic_read(&smbd_nr_conns) >= max) {
		pr_warn_ratelimited("connection limit %u reached\n", max);
		return false;
	}
	if (!max_ip || !peer[0])
		return true;
	list_for_each_entry(conn, &smbd_conns, node) {
		if (!strcmp(conn->peer, peer) && ++n >= max_ip) {
			pr_warn_ratelimited("%s: per-address connection limit %u reached\n",
					    peer, max_ip);
			return false;
		}
	}
	return true;
}

/**
 * smbd_conn_create - start serving an accepted socket
 * @sock: the socket; on success the connection owns it
 *
 * Return: the connection (owned by its receive thread, which may already
 * have dropped it: only compare it with NULL), or NULL.
 */
struct smbd_conn *smbd_conn_create(struct socket *sock)
{
	struct sockaddr_storage ss;
	struct task_struct *task;
	struct smbd_conn *conn;

	conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	if (!conn)
		return NULL;
	kref_init(&conn->ref);
	INIT_LIST_HEAD(&conn->node);
	smbd_tx_init(conn);
	spin_lock_init(&conn->lock);
	xa_init(&conn->sessions);
	xa_init_flags(&conn->async, XA_FLAGS_ALLOC1);
	init_waitqueue_head(&conn->inflight_wq);
	conn->sock = sock;
	smbd_tx_attach(conn);
	conn->state = SMBD_CONN_NEW;
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
	mutex_lock(&smbd_conns_lock);
	if (!smbd_conn_may_add(conn->peer)) {
		mutex_unlock(&smbd_conns_lock);
		xa_destroy(&conn->sessions);
		kfree(conn);
		return NULL;
	}
	atomic_inc(&smbd_nr_conns);
	list_add_tail(&conn->node, &smbd_conns);
	mutex_unlock(&smbd_conns_lock);

	/* The thread pins the module until it has really exited. */
	__module_get(THIS_MODULE);
	/*
	 * Created stopped: once it runs, the thread may drop the connection
	 * at any time, so everything here must be done before it starts.
	 */
	task = kthread_create(smbd_conn_rx, conn, "ksmbd:%s", conn->peer);
	if (IS_ERR(task)) {
		module_put(THIS_MODULE);
		mutex_lock(&smbd_conns_lock);
		list_del(&conn->node);
		mutex_unlock(&smbd_conns_lock);
		smbd_tx_close(conn);
		conn->sock = NULL;
		smbd_conn_put(conn);
		return NULL;
	}
	conn->rx_task = task;
	smbd_dbg(CONN, "%s: connected\n", conn->peer);
	trace_smbd_conn_open(conn);
	wake_up_process(task);
	return conn;
}

/* ---- deadtime ------------------------------------------------------- */

/* Idle connections are looked for this often (at most). */
#define SMBD_IDLE_SCAN		(15 * HZ)

static void smbd_idle_scan(struct work_struct *work);
static DECLARE_DELAYED_WORK(smbd_idle_work, smbd_idle_scan);

/* Does any session of @conn have an open file? */
static bool smbd_conn_has_files(struct smbd_conn *conn)
{
	struct smbd_session *sess;
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
static void smbd_idle_scan(struct work_struct *work)
{
	unsigned long dead = READ_ONCE(smbd_cfg.deadtime) * (unsigned long)HZ;
	struct smbd_conn *conn;

	if (!dead)
		goto again;
	mutex_lock(&smbd_conns_lock);
	list_for_each_entry(conn, &smbd_conns, node) {
		if (!smbd_conn_alive(conn) || atomic_read(&conn->inflight) ||
		    time_before(jiffies, READ_ONCE(conn->last_active) + dead) ||
		    smbd_conn_has_files(conn))
			continue;
		pr_info_ratelimited("%s: idle for %u s, disconnecting\n",
				    conn->peer, smbd_cfg.deadtime);
		smbd_conn_shutdown(conn);
	}
	mutex_unlock(&smbd_conns_lock);
again:
	queue_delayed_work(system_wq, &smbd_idle_work, SMBD_IDLE_SCAN);
}

/**
 * smbd_conn_idle_start - start enforcing the deadtime setting
 */
void smbd_conn_idle_start(void)
{
	queue_delayed_work(system_wq, &smbd_idle_work, SMBD_IDLE_SCAN);
}

/**
 * smbd_conn_idle_stop - stop enforcing it, before the module goes away
 */
void smbd_conn_idle_stop(void)
{
	cancel_delayed_work_sync(&smbd_idle_work);
}

/**
 * smbd_conn_close_all - drop every connection and wait until they are gone
 */
void smbd_conn_close_all(void)
{
	struct smbd_conn *conn;

	mutex_lock(&smbd_conns_lock);
	list_for_each_entry(conn, &smbd_conns, node)
		smbd_conn_shutdown(conn);
	mutex_unlock(&smbd_conns_lock);
	wait_event(smbd_conns_wq, !atomic_read(&smbd_nr_conns));
}
