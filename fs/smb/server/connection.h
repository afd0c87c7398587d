/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A client's TCP connection: its negotiated state, credits and sessions.
 */
#ifndef _SMBS_CONNECTION_H
#define _SMBS_CONNECTION_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/socket.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include "../common/smb2pdu.h"

struct bio_vec;
struct file;
struct kvec;
struct msghdr;
struct smbs_conn;

/**
 * struct smbs_transport_ops - how a connection reaches its peer
 * @recv: receive into @iov, waiting at most @timeo jiffies: the bytes
 *	  received (at least one), -EAGAIN or -EINTR when nothing came in
 *	  time (the caller looks at its deadline and calls again), or
 *	  another negative errno when the connection failed
 * @sendmsg: send what the transport takes at once of @msg, without
 *	     blocking (MSG_DONTWAIT, MSG_MORE and MSG_SPLICE_PAGES are
 *	     set by the caller): the bytes taken, -EAGAIN when it is full,
 *	     or a negative errno
 * @attach: from now on, call smbs_tx_writable() whenever room comes
 * @detach: stop that; on return no such call runs or will run
 * @recv_file: take @len bytes of the stream into @filp at *@pos, as
 *	       smbs_conn_recv_file() describes
 * @discard: take @len bytes of the stream and drop them
 * @shutdown: make receiving and sending fail from now on (any context
 *	      that may sleep; the receive thread notices)
 * @release: free the transport's side; called once, at teardown, or by
 *	     the transport itself when a connection could not be created
 *
 * TCP is the one transport today (transport_tcp.c); SMB Direct will be a
 * second set of these, not a second connection.c. Only the receive thread
 * calls @recv, @recv_file and @discard; only the sending context of the
 * send queue (send.c) calls @sendmsg.
 */
struct smbs_transport_ops {
	int (*recv)(struct smbs_conn *conn, struct kvec *iov, long timeo);
	int (*sendmsg)(struct smbs_conn *conn, struct msghdr *msg);
	void (*attach)(struct smbs_conn *conn);
	void (*detach)(struct smbs_conn *conn);
	ssize_t (*recv_file)(struct smbs_conn *conn, struct file *filp,
			     loff_t *pos, u32 len);
	int (*discard)(struct smbs_conn *conn, u32 len);
	void (*shutdown)(struct smbs_conn *conn);
	void (*release)(struct smbs_conn *conn);
};

/*
 * Message ids a client may use lie in [seq_lo, seq_lo + SMBS_SEQ_WINDOW):
 * twice the most credits ever granted (MS-SMB2 3.3.1.1).
 */
#define SMBS_MAX_CREDITS	8192
#define SMBS_SEQ_WINDOW		(2 * SMBS_MAX_CREDITS)

/*
 * Large messages (multi-credit WRITEs) are received into buffers that are
 * kept per connection and reused: allocating and mapping a megabyte of
 * vmalloc space for every request costs more than receiving it.
 */
#define SMBS_CONN_SPARES	4

enum smbs_conn_state {
	SMBS_CONN_NEW,		/* waiting for NEGOTIATE */
	SMBS_CONN_GOOD,		/* negotiated */
	SMBS_CONN_EXITING,	/* being torn down: no new work */
};

/**
 * struct smbs_conn - one client connection
 * @ref: references; the receive thread holds one, as does every request
 * @node: entry in the global connection list
 * @ops: its transport
 * @tp: the transport's own state (TCP: struct smbs_tcp), NULL once
 *	released
 * @rx_task: the receive thread
 * @tx_lock: protects @tx_queue, @tx_busy and @tx_closed
 * @tx_queue: messages waiting to be sent, in order (&struct smbs_tx)
 * @tx_busy: one context is sending from @tx_queue; only it calls
 *	     @ops->sendmsg
 * @tx_closed: the connection is going: nothing more is queued
 * @tx_kick: set when the transport gained room while @tx_busy
 * @tx_bytes: bytes queued and not yet sent
 * @tx_progress: jiffies when the transport last took bytes
 * @tx_work: pushes the queue when the transport has room again; also the
 *	     watchdog that drops a connection whose peer stopped reading
 * @lock: protects @state (written under it, read with READ_ONCE), the
 *	  credit fields and @cancelled
 * @state: enum smbs_conn_state
 * @peer: numeric peer address, for logs and the daemon
 * @dialect: negotiated dialect (0x0202 ... 0x0311), 0 before NEGOTIATE
 * @srv_caps: capabilities the server announced (SMB2_GLOBAL_CAP_*)
 * @cli_caps: capabilities the client announced
 * @cli_sec_mode: client's SecurityMode
 * @sign_required: signing is required on this connection
 * @client_guid: ClientGuid from NEGOTIATE
 * @cipher: negotiated SMB2_ENCRYPTION_* (0 if none)
 * @sign_alg: negotiated SMB2_SIGNING_* algorithm id (3.1.1) in host order
 * @preauth_hash: connection preauth integrity hash (3.1.1)
 * @max_read: negotiated maximum read size
 * @max_write: negotiated maximum write size
 * @max_trans: negotiated maximum transact size
 * @credits: credits the client may still use
 * @credits_unsent: credits granted in responses not yet sent: they become
 *		    @credits once the client can see them
 * @seq_lo: lowest message id not yet used
 * @seq_used: message ids at or above @seq_lo already used, indexed by
 *	      id modulo SMBS_SEQ_WINDOW
 * @sessions: sessions bound to this connection, by session id
 * @inflight: requests being processed (waiting ones included)
 * @inflight_charge: credits charged by the requests of @inflight whose
 *		     responses are not queued yet: what they may still add
 *		     to @tx_bytes is bounded by it (64 KiB per credit)
 * @inflight_wq: woken when @inflight, @inflight_charge or @tx_bytes drop
 * @run_lock: protects @runq and @running
 * @runq: requests of @inflight waiting for a run slot (dispatch.c), in the
 *	  order they came
 * @running: requests holding a run slot: queued on or running on smbs_wq
 * @async: requests waiting asynchronously, by AsyncId (async.c)
 * @async_next: next AsyncId to try
 * @nr_async: entries in @async, under its lock
 * @async_closed: teardown cancelled them all: no request may wait any
 *		  more; under the lock of @async
 * @cancelled: MessageIds of recent CANCELs that found nothing to cancel,
 *	       under @lock: a request that goes async just after its
 *	       CANCEL arrived is cancelled at once
 * @cancelled_pos: next slot of @cancelled
 * @last_active: jiffies of the last received message
 * @born: jiffies when the connection was accepted
 * @authed: a session of the connection has become VALID (set once, by
 *	    SESSION_SETUP; until then the receive limits of an anonymous
 *	    peer apply, see smbs_conn_read_msg())
 * @rx_bounded: the receive thread's current wait ends at @rx_deadline
 * @rx_deadline: jiffies by which what is being received must be in;
 *		 both are used by the receive thread only
 * @spare: large receive buffers kept for reuse (see smbs_conn_msg_free())
 * @spare_size: allocated size of each entry of @spare
 */
struct smbs_conn {
	struct kref ref;
	struct list_head node;
	const struct smbs_transport_ops *ops;
	void *tp;
	struct task_struct *rx_task;
	spinlock_t tx_lock;	/* tx_queue, tx_busy, tx_closed */
	struct list_head tx_queue;
	bool tx_busy;
	bool tx_closed;
	unsigned long tx_kick;
	size_t tx_bytes;
	unsigned long tx_progress;
	struct delayed_work tx_work;
	spinlock_t lock;	/* state and credits */
	enum smbs_conn_state state;
	char peer[64];

	u16 dialect;
	u32 srv_caps;
	u32 cli_caps;
	u16 cli_sec_mode;
	bool sign_required;
	u8 client_guid[SMB2_CLIENT_GUID_SIZE];
	__le16 cipher;
	u16 sign_alg;
	u8 preauth_hash[SMB2_PREAUTH_HASH_SIZE];
	u32 max_read;
	u32 max_write;
	u32 max_trans;

	u32 credits;
	u32 credits_unsent;
	u64 seq_lo;
	DECLARE_BITMAP(seq_used, SMBS_SEQ_WINDOW);

	struct xarray sessions;
	atomic_t inflight;
	atomic_t inflight_charge;
	wait_queue_head_t inflight_wq;
	spinlock_t run_lock;	/* runq, running */
	struct list_head runq;
	unsigned int running;
	struct xarray async;
	u32 async_next;
	unsigned int nr_async;
	bool async_closed;
	u64 cancelled[8];
	unsigned int cancelled_pos;
	unsigned long last_active;
	unsigned long born;
	bool authed;
	bool rx_bounded;
	unsigned long rx_deadline;

	void *spare[SMBS_CONN_SPARES];
	u32 spare_size[SMBS_CONN_SPARES];
};

/* Signing algorithm ids of the SIGNING_CAPABILITIES context (MS-SMB2 2.2.3.1.7) */
#define SMBS_SIGN_HMAC_SHA256	0
#define SMBS_SIGN_AES_CMAC	1
#define SMBS_SIGN_AES_GMAC	2

struct smbs_conn *smbs_conn_alloc(const struct smbs_transport_ops *ops,
				  void *tp, const char *peer);
void smbs_conn_unlist(struct smbs_conn *conn);
void smbs_conn_for_each(void (*fn)(struct smbs_conn *conn, void *arg),
			void *arg);
void smbs_conn_put(struct smbs_conn *conn);

static inline struct smbs_conn *smbs_conn_get(struct smbs_conn *conn)
{
	kref_get(&conn->ref);
	return conn;
}

bool smbs_conn_alive(struct smbs_conn *conn);
void smbs_conn_set_exiting(struct smbs_conn *conn);
void smbs_conn_msg_free(struct smbs_conn *conn, void *msg, u32 len);
void smbs_conn_shutdown(struct smbs_conn *conn);
int smbs_conn_recv(struct smbs_conn *conn, void *buf, size_t len);
long smbs_conn_rx_timeo(const struct smbs_conn *conn);
int smbs_conn_read_msg(struct smbs_conn *conn, u8 **out, u32 *tail);

/**
 * smbs_conn_recv_file - receive the rest of a message into a file
 * @conn: the connection
 * @filp: the file, open for writing
 * @pos: where to write; advanced past what was written
 * @len: bytes of the message still in the stream
 *
 * Takes all @len bytes off the stream, even when the file takes fewer (a
 * full disk), so that the next message is framed right. Once a write
 * fails or falls short, the rest is received and dropped.
 *
 * Context: the connection's receive thread.
 * Return: bytes written; or, if none were, the file's error; or the
 * connection's error when it failed (the caller then gives up on it).
 */
static inline ssize_t smbs_conn_recv_file(struct smbs_conn *conn,
					  struct file *filp, loff_t *pos,
					  u32 len)
{
	return conn->ops->recv_file(conn, filp, pos, len);
}

/**
 * smbs_conn_recv_discard - drop the rest of a message
 * @conn: the connection
 * @len: bytes of it still in the stream
 *
 * Context: the connection's receive thread.
 * Return: 0, or the connection's error.
 */
static inline int smbs_conn_recv_discard(struct smbs_conn *conn, u32 len)
{
	return conn->ops->discard(conn, len);
}

/**
 * struct smbs_seg - a piece of an outgoing message
 * @kv: bytes in memory, used when @bv is NULL
 * @bv: page pieces, sent with MSG_SPLICE_PAGES (no copy)
 * @nbv: entries in @bv
 * @bv_len: bytes in @bv
 */
struct smbs_seg {
	struct kvec kv;
	struct bio_vec *bv;
	unsigned int nbv;
	size_t bv_len;
};

/**
 * struct smbs_tx - one framed message on its way out
 * @node: entry in &smbs_conn.tx_queue
 * @segs: the pieces; @segs[0] must be the 4-byte frame header, which
 *	  smbs_tx_submit() fills in
 * @nsegs: number of pieces
 * @frame: storage for the frame header, for @segs[0] to point at
 * @cur: the piece being sent
 * @off: bytes of @segs[@cur] already sent
 * @len: bytes of the whole message, frame header included
 * @credits: credits the message grants: the connection's once it starts
 *	     going out (the client may answer before the sender returns)
 * @done: called once, when the message was sent (@err 0) or dropped
 *	  (@err negative); it releases @tx and what the pieces point to.
 *	  Called from the context that sends, which may be a worker of
 *	  smbs_wq or the thread that submitted it; it must not sleep long.
 *
 * The submitter fills @segs, @nsegs, @credits and @done; the send queue
 * owns the message from smbs_tx_submit() until @done.
 */
struct smbs_tx {
	struct list_head node;
	struct smbs_seg *segs;
	unsigned int nsegs;
	__be32 frame;
	unsigned int cur;
	size_t off;
	size_t len;
	u16 credits;
	void (*done)(struct smbs_tx *tx, int err);
};

/* send.c: the connection's send queue */

/**
 * smbs_tx_submit - queue a message for sending
 * @conn: the connection
 * @tx: the message
 *
 * Messages go out whole and in the order submitted. Nothing here blocks
 * on the socket: what the socket does not take at once is sent later,
 * from smbs_wq, when it has room. A peer that takes nothing for
 * SMBS_SEND_TIMEOUT while messages wait loses its connection.
 *
 * Context: process context; may call @tx->done before it returns.
 */
void smbs_tx_submit(struct smbs_conn *conn, struct smbs_tx *tx);

void smbs_tx_init(struct smbs_conn *conn);
void smbs_tx_attach(struct smbs_conn *conn);
void smbs_tx_close(struct smbs_conn *conn);
void smbs_tx_writable(struct smbs_conn *conn);

/* Bytes of queued responses above which no new request is read. */
#define SMBS_TX_QUEUE_MAX	(16U << 20)

/*
 * Credits of requests being processed above which no new request is
 * read: what they may add to the send queue is 64 KiB per credit.
 */
#define SMBS_INFLIGHT_CHARGE_MAX	512

#endif /* _SMBS_CONNECTION_H */
