// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connections: the receive thread, framing, sending and teardown.
 *
 * Each connection has one receive thread. It reads whole messages (the
 * 4-byte direct-TCP framing of MS-SMB2 2.1) and hands them to the
 * dispatcher, which runs them on smbd_wq. When the socket fails or the
 * server stops, the receive thread tears the connection down in one
 * direction: no new work, wait for work in flight, destroy sessions (which
 * close trees and files), release the socket.
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
	kfree(conn);
	if (atomic_dec_and_test(&smbd_nr_conns))
		wake_up_all(&smbd_conns_wq);
}

void smbd_conn_put(struct smbd_conn *conn)
{
	kref_put(&conn->ref, smbd_conn_release);
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
	WRITE_ONCE(conn->state, SMBD_CONN_EXITING);
	kernel_sock_shutdown(conn->sock, SHUT_RDWR);
}

/**
 * smbd_conn_recv - receive exactly @len bytes
 * @conn: the connection
 * @buf: where to put them
 * @len: how many
 *
 * Return: 0, or a negative errno when the connection failed or is going.
 */
int smbd_conn_recv(struct smbd_conn *conn, void *buf, size_t len)
{
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	int n;

	while (iov.iov_len) {
		if (!smbd_conn_alive(conn) || kthread_should_stop())
			return -ESHUTDOWN;
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

/* Send everything @msg's iterator holds. */
static int smbd_send_iter(struct smbd_conn *conn, struct msghdr *msg)
{
	int n;

	while (iov_iter_count(&msg->msg_iter)) {
		if (!smbd_conn_alive(conn))
			return -ESHUTDOWN;
		n = sock_sendmsg(conn->sock, msg);
		if (n == -EINTR || n == -EAGAIN)
			continue;
		if (n <= 0)
			return n ? n : -EIO;
	}
	return 0;
}

/* Send segments [@i, @j) that live in memory as one kvec batch. */
static int smbd_send_kvecs(struct smbd_conn *conn, const struct smbd_seg *segs,
			   int i, int j, const struct kvec *frame, bool more)
{
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL | (more ? MSG_MORE : 0) };
	struct kvec stack[8], *v = stack;
	size_t total = 0;
	int k, n = 0, err;

	if (j - i + 1 > ARRAY_SIZE(stack)) {
		v = kmalloc_array(j - i + 1, sizeof(*v), GFP_KERNEL);
		if (!v)
			return -ENOMEM;
	}
	if (frame)
		v[n++] = *frame;
	for (k = i; k < j; k++)
		v[n++] = segs[k].kv;
	for (k = 0; k < n; k++)
		total += v[k].iov_len;
	iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, v, n, total);
	err = smbd_send_iter(conn, &msg);
	if (v != stack)
		kfree(v);
	return err;
}

int smbd_conn_send_segs(struct smbd_conn *conn, const struct smbd_seg *segs,
			int nsegs)
{
	struct kvec frame;
	size_t total = 0;
	__be32 len;
	int i, j, err = 0;

	for (i = 0; i < nsegs; i++)
		total += segs[i].bv ? segs[i].bv_len : segs[i].kv.iov_len;
	if (total > 0xffffff)
		return -EMSGSIZE;
	len = cpu_to_be32(total);
	frame.iov_base = &len;
	frame.iov_len = sizeof(len);

	mutex_lock(&conn->send_lock);
	for (i = 0; i < nsegs && !err; i = j) {
		struct msghdr msg = {
			.msg_flags = MSG_NOSIGNAL | MSG_SPLICE_PAGES,
		};

		if (!segs[i].bv) {
			/* A run of in-memory pieces goes out in one call. */
			for (j = i; j < nsegs && !segs[j].bv; j++)
				;
			err = smbd_send_kvecs(conn, segs, i, j,
					      i ? NULL : &frame, j < nsegs);
			continue;
		}
		if (!i)
			err = smbd_send_kvecs(conn, segs, 0, 0, &frame, true);
		j = i + 1;
		if (err)
			break;
		if (j < nsegs)
			msg.msg_flags |= MSG_MORE;
		iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, segs[i].bv,
			      segs[i].nbv, segs[i].bv_len);
		err = smbd_send_iter(conn, &msg);
	}
	if (!nsegs)
		err = smbd_send_kvecs(conn, segs, 0, 0, &frame, false);
	mutex_unlock(&conn->send_lock);
	if (err)
		smbd_conn_shutdown(conn);
	return err;
}

int smbd_conn_send(struct smbd_conn *conn, struct kvec *iov, int niov)
{
	struct smbd_seg *segs;
	int i, err;

	segs = kcalloc(niov, sizeof(*segs), GFP_KERNEL);
	if (!segs)
		return -ENOMEM;
	for (i = 0; i < niov; i++)
		segs[i].kv = iov[i];
	err = smbd_conn_send_segs(conn, segs, niov);
	kfree(segs);
	return err;
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

	/* Nothing large comes before NEGOTIATE: hold no large buffer for it. */
	if (READ_ONCE(conn->state) == SMBD_CONN_NEW)
		max = SMBD_MAX_NEG_PDU;

	*tail = 0;
	err = smbd_conn_recv(conn, hdr, sizeof(hdr));
	if (err)
		return err;
	WRITE_ONCE(conn->last_active, jiffies);
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
	if (len >= SMBD_TAIL_MIN)
		return smbd_conn_read_large(conn, len, out, tail);
	buf = smbd_conn_msg_alloc(conn, len);
	if (!buf)
		return -ENOMEM;
	err = smbd_conn_recv(conn, buf, len);
	if (err) {
		smbd_conn_msg_free(conn, buf, len);
		return err;
	}
	*out = buf;
	return len;
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
	WRITE_ONCE(conn->state, SMBD_CONN_EXITING);
	kernel_sock_shutdown(conn->sock, SHUT_RDWR);
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

static int smbd_conn_rx(void *data)
{
	struct smbd_conn *conn = data;
	u32 tail;
	u8 *msg;
	int len;

	while (smbd_conn_alive(conn)) {
		/* Back-pressure: a client cannot queue unbounded work. */
		wait_event(conn->inflight_wq,
			   atomic_read(&conn->inflight) < SMBD_MAX_INFLIGHT ||
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
	u32 max = READ_ONCE(smbd_cfg.max_connections);

	if (max && atomic_read(&smbd_nr_conns) >= max) {
		pr_warn_ratelimited("connection limit %u reached\n", max);
		return NULL;
	}
	conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	if (!conn)
		return NULL;
	kref_init(&conn->ref);
	INIT_LIST_HEAD(&conn->node);
	mutex_init(&conn->send_lock);
	spin_lock_init(&conn->lock);
	xa_init(&conn->sessions);
	init_waitqueue_head(&conn->inflight_wq);
	conn->sock = sock;
	conn->state = SMBD_CONN_NEW;
	conn->credits = 1;
	conn->last_active = jiffies;
	if (kernel_getpeername(sock, (struct sockaddr *)&ss) > 0) {
		if (ss.ss_family == AF_INET6)
			snprintf(conn->peer, sizeof(conn->peer), "%pI6c",
				 &((struct sockaddr_in6 *)&ss)->sin6_addr);
		else
			snprintf(conn->peer, sizeof(conn->peer), "%pI4",
				 &((struct sockaddr_in *)&ss)->sin_addr);
	}
	atomic_inc(&smbd_nr_conns);
	mutex_lock(&smbd_conns_lock);
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
