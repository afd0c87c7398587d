// SPDX-License-Identifier: GPL-2.0-only
/*
 * TCP: the data of a large WRITE, from the socket straight into the file
 * (the transport's recv_file and discard operations).
 *
 * The receive thread reads only the header and fixed part of a large,
 * unsigned WRITE (smbs_pdu_write_streamable()) and runs the request at
 * once; the data stays in the socket until the handler has checked the
 * request and the file. It is then taken off the socket's receive queue by
 * reference, as clones of the socket buffers that hold it (no copy), and
 * the file's write_iter copies it once, into the page cache. Receiving it
 * into a buffer first, as smaller messages are, copies every byte twice.
 *
 * Whatever the handler does not take is discarded before the next message
 * is read, so the framing of the stream is kept whatever the request's
 * fate.
 */
#include "server.h"

#include <linux/bvec.h>
#include <linux/fs.h>
#include <linux/net.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <net/sock.h>
#include "connection.h"
#include "transport_tcp.h"

/* One batch: socket buffers taken off the queue, written in one call. */
#define SMBS_RX_SKBS		64
#define SMBS_RX_SEGS		256
#define SMBS_RX_BATCH_BYTES	SZ_1M

/**
 * struct smbs_rx_batch - received data held by reference
 * @skbs: clones of the socket buffers; they keep the data alive
 * @nskbs: entries in @skbs
 * @bv: the data, piece by piece, in order
 * @nbv: entries in @bv
 * @bytes: bytes in @bv
 * @err: why the first socket buffer could not be taken (the batch is
 *	 then empty), or 0
 * @sg: scratch space for skb_to_sgvec()
 */
struct smbs_rx_batch {
	struct sk_buff *skbs[SMBS_RX_SKBS];
	unsigned int nskbs;
	struct bio_vec bv[SMBS_RX_SEGS];
	unsigned int nbv;
	u32 bytes;
	int err;
	struct scatterlist sg[SMBS_RX_SEGS];
};

/* An upper bound of the pieces skb_to_sgvec() makes of @skb. */
static unsigned int smbs_rx_skb_segs(struct sk_buff *skb, int depth)
{
	struct sk_buff *it;
	unsigned int n = 1 + skb_shinfo(skb)->nr_frags;

	if (depth > 2)
		return SMBS_RX_SEGS + 1;
	skb_walk_frags(skb, it) {
		n += smbs_rx_skb_segs(it, depth + 1);
		if (n > SMBS_RX_SEGS)
			break;
	}
	return n;
}

/* tcp_read_sock() actor: take [@off, @off + @len) of @skb by reference. */
static int smbs_rx_actor(read_descriptor_t *desc, struct sk_buff *skb,
			 unsigned int off, size_t len)
{
	struct smbs_rx_batch *b = desc->arg.data;
	size_t take = min_t(size_t, len, desc->count);
	unsigned int segs = smbs_rx_skb_segs(skb, 0);
	struct sk_buff *clone;
	int i, n;

	if (!take || b->nskbs == SMBS_RX_SKBS ||
	    segs > SMBS_RX_SEGS - b->nbv)
		goto full;
	/* Device memory cannot be read by the CPU. */
	if (!skb_frags_readable(skb))
		goto full;
	clone = skb_clone(skb, GFP_KERNEL);
	if (!clone)
		goto full;
	sg_init_table(b->sg, segs);
	n = skb_to_sgvec(clone, b->sg, off, take);
	if (n <= 0) {
		consume_skb(clone);
		goto full;
	}
	for (i = 0; i < n; i++)
		bvec_set_page(&b->bv[b->nbv++], sg_page(&b->sg[i]),
			      b->sg[i].length, b->sg[i].offset);
	b->skbs[b->nskbs++] = clone;
	b->bytes += take;
	desc->count -= take;
	return take;
full:
	/* With nothing taken yet this buffer cannot be taken at all. */
	if (!b->nskbs)
		b->err = -EMSGSIZE;
	return 0;
}

static void smbs_rx_batch_release(struct smbs_rx_batch *b)
{
	while (b->nskbs)
		consume_skb(b->skbs[--b->nskbs]);
	b->nbv = 0;
	b->bytes = 0;
	b->err = 0;
}

/* Wait for data until the frame's receive deadline; the socket is locked. */
static int smbs_rx_wait(struct smbs_conn *conn, struct sock *sk)
{
	long timeo = smbs_conn_rx_timeo(conn);

	if (!timeo)
		return -ETIMEDOUT;
	sk_wait_data(sk, &timeo, NULL);
	return 0;
}

/*
 * Take what the socket has of the next @want bytes, waiting until there
 * is something. Returns 0 with @b holding at least one byte, -EMSGSIZE if
 * the data cannot be taken by reference, -ETIMEDOUT when the frame's
 * receive deadline passed, or the connection's error.
 */
static int smbs_rx_grab(struct smbs_conn *conn, struct smbs_rx_batch *b,
			u32 want)
{
	struct socket *sock = smbs_tcp_sock(conn);
	struct sock *sk = sock->sk;
	read_descriptor_t desc = { .arg.data = b, .count = want };
	int err = 0;

	lock_sock(sk);
	while (!b->bytes && !err) {
		if (!smbs_conn_alive(conn)) {
			err = -ESHUTDOWN;
			break;
		}
		err = sock->ops->read_sock(sk, &desc, smbs_rx_actor);
		if (err > 0 || b->bytes) {
			err = 0;
			break;
		}
		if (b->err)
			err = b->err;
		else if (sk->sk_err)
			err = sock_error(sk);
		else if ((sk->sk_shutdown & RCV_SHUTDOWN) ||
			 sock_flag(sk, SOCK_DONE) || sk->sk_state == TCP_CLOSE)
			err = -ECONNRESET;
		else if (!skb_queue_empty(&sk->sk_receive_queue))
			err = -EMSGSIZE;	/* urgent data: leave it to recvmsg */
		else
			err = smbs_rx_wait(conn, sk);
	}
	release_sock(sk);
	return err;
}

/* Write the batch at *@pos; returns bytes written or the first error. */
static ssize_t smbs_rx_write(struct file *filp, struct smbs_rx_batch *b,
			     loff_t *pos)
{
	struct iov_iter it;
	ssize_t done = 0, n;

	iov_iter_bvec(&it, ITER_SOURCE, b->bv, b->nbv, b->bytes);
	while (iov_iter_count(&it)) {
		n = vfs_iter_write(filp, &it, pos, 0);
		if (n <= 0)
			return done ?: (n ?: -EIO);
		done += n;
	}
	return done;
}

/*
 * The same by copy, for data that cannot be taken by reference: @len
 * bytes into the file, adding to *@written, the file's first error in
 * *@werr. Returns 0 or the connection's error.
 */
static int smbs_rx_copy_file(struct smbs_conn *conn, struct file *filp,
			     loff_t *pos, u32 len, ssize_t *written,
			     int *werr)
{
	u32 chunk = min_t(u32, len, SZ_64K);
	void *buf = kvmalloc(chunk, GFP_KERNEL);
	ssize_t n;
	int err = 0;

	if (!buf) {
		*werr = *werr ?: -ENOMEM;
		return smbs_tcp_discard(conn, len);
	}
	while (len && !err) {
		chunk = min_t(u32, len, SZ_64K);
		err = smbs_conn_recv(conn, buf, chunk);
		if (err)
			break;
		len -= chunk;
		if (*werr)
			continue;
		n = kernel_write(filp, buf, chunk, pos);
		if (n > 0)
			*written += n;
		if (n != chunk)
			*werr = n < 0 ? n : -ENOSPC;
	}
	kvfree(buf);
	return err;
}

/* The transport's recv_file: see smbs_conn_recv_file(). */
ssize_t smbs_tcp_recv_file(struct smbs_conn *conn, struct file *filp,
			   loff_t *pos, u32 len)
{
	struct smbs_rx_batch *b = NULL;
	ssize_t written = 0, n;
	int err = 0, werr = 0;
	u32 total = len;

	if (smbs_tcp_sock(conn)->ops->read_sock)
		b = kzalloc(sizeof(*b), GFP_KERNEL);
	while (len && !err) {
		if (!b) {
			err = smbs_rx_copy_file(conn, filp, pos, len, &written,
						&werr);
			break;
		}
		err = smbs_rx_grab(conn, b, min_t(u32, len,
						  SMBS_RX_BATCH_BYTES));
		if (err == -EMSGSIZE) {
			/* Odd socket buffers: copy this one instead. */
			err = smbs_rx_copy_file(conn, filp, pos,
						min_t(u32, len, SZ_64K),
						&written, &werr);
			len -= min_t(u32, len, SZ_64K);
			continue;
		}
		if (err)
			break;
		len -= b->bytes;
		if (!werr) {
			n = smbs_rx_write(filp, b, pos);
			if (n > 0)
				written += n;
			if (n != b->bytes)
				werr = n < 0 ? n : -ENOSPC;
		}
		smbs_rx_batch_release(b);
	}
	kfree(b);
	smbs_dbg(VFS, "%s: %u bytes from the socket into %pD: %zd written, %d\n",
		 conn->peer, total, filp, written, err ?: werr);
	if (err)
		return err;
	return written ?: werr;
}

/* The transport's discard: see smbs_conn_recv_discard(). */
int smbs_tcp_discard(struct smbs_conn *conn, u32 len)
{
	struct socket *sock = smbs_tcp_sock(conn);
	struct kvec iov = { .iov_base = NULL, .iov_len = len };
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	int n;

	/* MSG_TRUNC: TCP drops the bytes without copying them anywhere. */
	while (iov.iov_len) {
		if (!smbs_conn_alive(conn))
			return -ESHUTDOWN;
		n = kernel_recvmsg(sock, &msg, &iov, 1, iov.iov_len,
				   MSG_WAITALL | MSG_TRUNC);
		if (n == -EINTR || n == -EAGAIN)
			continue;
		if (n <= 0)
			return n ? n : -ECONNRESET;
		iov.iov_len -= min_t(size_t, n, iov.iov_len);
	}
	return 0;
}
