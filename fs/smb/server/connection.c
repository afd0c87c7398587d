// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connections: the object, its state, its receive buffers and the framing
 * reader.
 *
 * A connection is created for an accepted peer (smbs_conn_alloc()) and
 * served by one receive thread (serve.c), which reads whole messages with
 * smbs_conn_read_msg() (the 4-byte direct-TCP framing of MS-SMB2 2.1) and
 * at the end tears it down (teardown.c). This file knows nothing of what
 * runs on a connection: sessions, requests and responses live above it.
 */
#include "server.h"

#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include "connection.h"
#include "pdu.h"

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

/**
 * smbs_conn_set_exiting - from here on the connection takes no new work
 * @conn: the connection
 */
void smbs_conn_set_exiting(struct smbs_conn *conn)
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
 * Shuts the transport down; the receive thread notices and tears down.
 */
void smbs_conn_shutdown(struct smbs_conn *conn)
{
	smbs_conn_set_exiting(conn);
	conn->ops->shutdown(conn);
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
	long timeo;
	int n;

	while (iov.iov_len) {
		if (!smbs_conn_alive(conn) || kthread_should_stop())
			return -ESHUTDOWN;
		timeo = smbs_conn_rx_timeo(conn);
		if (!timeo)
			return -ETIMEDOUT;
		n = conn->ops->recv(conn, &iov, timeo);
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

/**
 * smbs_conn_read_msg - read one framed message
 * @conn: the connection
 * @out: gets the bytes read, to be freed with smbs_conn_msg_free()
 * @tail: gets the bytes of the message left in the socket (a large WRITE's
 *	data, for smbs_conn_recv_file()), 0 for a message read whole
 *
 * Context: the connection's receive thread.
 * Return: the bytes in *@out, 0 for a keep-alive, or a negative errno
 * (the connection is then to be torn down).
 */
int smbs_conn_read_msg(struct smbs_conn *conn, u8 **out, u32 *tail)
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
 * smbs_conn_alloc - create the connection of an accepted peer
 * @ops: its transport
 * @tp: the transport's state for it; the connection holds it from here
 *	on (released by @ops->release at teardown), but not if this fails
 * @peer: the peer's numeric address, for logs, limits and the daemon
 *
 * The connection is counted and listed (smbs_conn_close_all() finds it)
 * from here on, until smbs_conn_unlist().
 *
 * Return: the connection with one reference, or NULL when it is refused
 * ("max connections", "max ip connections") or memory is short.
 */
struct smbs_conn *smbs_conn_alloc(const struct smbs_transport_ops *ops,
				  void *tp, const char *peer)
{
	struct smbs_conn *conn;

	conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	if (!conn)
		return NULL;
	kref_init(&conn->ref);
	INIT_LIST_HEAD(&conn->node);
	spin_lock_init(&conn->lock);
	xa_init(&conn->sessions);
	xa_init_flags(&conn->async, XA_FLAGS_ALLOC1);
	init_waitqueue_head(&conn->inflight_wq);
	spin_lock_init(&conn->run_lock);
	INIT_LIST_HEAD(&conn->runq);
	conn->ops = ops;
	conn->tp = tp;
	conn->state = SMBS_CONN_NEW;
	conn->credits = 1;
	conn->last_active = jiffies;
	conn->born = jiffies;
	strscpy(conn->peer, peer, sizeof(conn->peer));
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
	return conn;
}

/**
 * smbs_conn_unlist - take a connection off the list of connections
 * @conn: the connection, being torn down
 *
 * It still counts against the limits until its last reference is gone.
 */
void smbs_conn_unlist(struct smbs_conn *conn)
{
	mutex_lock(&smbs_conns_lock);
	list_del_init(&conn->node);
	mutex_unlock(&smbs_conns_lock);
}

/**
 * smbs_conn_for_each - call @fn for every listed connection
 * @fn: the function; it must not sleep for long nor take smbs_conns_lock
 * @arg: passed on to @fn
 *
 * Context: process context; the list lock (a mutex) is held around @fn,
 * so a connection it is called for stays allocated while it runs.
 */
void smbs_conn_for_each(void (*fn)(struct smbs_conn *conn, void *arg),
			void *arg)
{
	struct smbs_conn *conn;

	mutex_lock(&smbs_conns_lock);
	list_for_each_entry(conn, &smbs_conns, node)
		fn(conn, arg);
	mutex_unlock(&smbs_conns_lock);
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
