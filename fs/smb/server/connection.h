/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A client's TCP connection: its negotiated state, credits and sessions.
 */
#ifndef _SMBD_CONNECTION_H
#define _SMBD_CONNECTION_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/socket.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include "../common/smb2pdu.h"

struct bio_vec;
struct file;
struct kvec;

/*
 * Message ids a client may use lie in [seq_lo, seq_lo + SMBD_SEQ_WINDOW):
 * twice the most credits ever granted (MS-SMB2 3.3.1.1).
 */
#define SMBD_MAX_CREDITS	8192
#define SMBD_SEQ_WINDOW		(2 * SMBD_MAX_CREDITS)

/*
 * Large messages (multi-credit WRITEs) are received into buffers that are
 * kept per connection and reused: allocating and mapping a megabyte of
 * vmalloc space for every request costs more than receiving it.
 */
#define SMBD_CONN_SPARES	4

enum smbd_conn_state {
	SMBD_CONN_NEW,		/* waiting for NEGOTIATE */
	SMBD_CONN_GOOD,		/* negotiated */
	SMBD_CONN_EXITING,	/* being torn down: no new work */
};

/**
 * struct smbd_conn - one client connection
 * @ref: references; the receive thread holds one, as does every request
 * @node: entry in the global connection list
 * @sock: the TCP socket
 * @rx_task: the receive thread
 * @send_lock: serialises whole responses on the socket
 * @lock: protects @state and the credit fields
 * @state: enum smbd_conn_state
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
 * @seq_lo: lowest message id not yet used
 * @seq_used: message ids at or above @seq_lo already used, indexed by
 *	      id modulo SMBD_SEQ_WINDOW
 * @sessions: sessions bound to this connection, by session id
 * @inflight: requests being processed
 * @inflight_wq: woken when @inflight drops to zero
 * @last_active: jiffies of the last received message
 * @spare: large receive buffers kept for reuse (see smbd_conn_msg_free())
 * @spare_size: allocated size of each entry of @spare
 */
struct smbd_conn {
	struct kref ref;
	struct list_head node;
	struct socket *sock;
	struct task_struct *rx_task;
	struct mutex send_lock;	/* one message at a time on the socket */
	spinlock_t lock;	/* state and credits */
	enum smbd_conn_state state;
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
	u64 seq_lo;
	DECLARE_BITMAP(seq_used, SMBD_SEQ_WINDOW);

	struct xarray sessions;
	atomic_t inflight;
	wait_queue_head_t inflight_wq;
	unsigned long last_active;

	void *spare[SMBD_CONN_SPARES];
	u32 spare_size[SMBD_CONN_SPARES];
};

/* Signing algorithm ids of the SIGNING_CAPABILITIES context (MS-SMB2 2.2.3.1.7) */
#define SMBD_SIGN_HMAC_SHA256	0
#define SMBD_SIGN_AES_CMAC	1
#define SMBD_SIGN_AES_GMAC	2

struct smbd_conn *smbd_conn_create(struct socket *sock);
void smbd_conn_put(struct smbd_conn *conn);

static inline struct smbd_conn *smbd_conn_get(struct smbd_conn *conn)
{
	kref_get(&conn->ref);
	return conn;
}

bool smbd_conn_alive(struct smbd_conn *conn);
void smbd_conn_msg_free(struct smbd_conn *conn, void *msg, u32 len);
void smbd_conn_shutdown(struct smbd_conn *conn);
int smbd_conn_recv(struct smbd_conn *conn, void *buf, size_t len);

/* recv_file.c: the rest of a message, left in the socket */
ssize_t smbd_conn_recv_file(struct smbd_conn *conn, struct file *filp,
			    loff_t *pos, u32 len);
int smbd_conn_recv_discard(struct smbd_conn *conn, u32 len);

/**
 * struct smbd_seg - a piece of an outgoing message
 * @kv: bytes in memory, used when @bv is NULL
 * @bv: page pieces, sent with MSG_SPLICE_PAGES (no copy)
 * @nbv: entries in @bv
 * @bv_len: bytes in @bv
 */
struct smbd_seg {
	struct kvec kv;
	struct bio_vec *bv;
	unsigned int nbv;
	size_t bv_len;
};

/**
 * smbd_conn_send_segs - send one message made of segments, framed
 * @conn: the connection
 * @segs: the pieces, not including the 4-byte length prefix
 * @nsegs: number of pieces
 *
 * Return: 0 or a negative errno; on error the connection is shut down.
 */
int smbd_conn_send_segs(struct smbd_conn *conn, const struct smbd_seg *segs,
			int nsegs);

/**
 * smbd_conn_send - send one message, framed, as a single unit
 * @conn: the connection
 * @iov: the message pieces, not including the 4-byte length prefix
 * @niov: number of pieces
 *
 * Return: 0 or a negative errno; on error the connection is shut down.
 */
int smbd_conn_send(struct smbd_conn *conn, struct kvec *iov, int niov);

#endif /* _SMBD_CONNECTION_H */
