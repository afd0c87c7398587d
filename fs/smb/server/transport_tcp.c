// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TCP transport: the listener, which accepts connections on the
 * configured port and hands each to serve.c, and the operations through
 * which a connection uses its socket (struct smbs_transport_ops; the
 * receive-into-file path is in recv_file.c).
 */
#include "server.h"

#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/net.h>
#include <linux/in6.h>
#include <linux/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>
#include "connection.h"
#include "serve.h"
#include "transport_tcp.h"

/* ---- a connection's socket ------------------------------------------ */

static int smbs_tcp_recv(struct smbs_conn *conn, struct kvec *iov, long timeo)
{
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	struct socket *sock = smbs_tcp_sock(conn);

	/* tcp_recvmsg() returns -EAGAIN, or what it has, at the end. */
	WRITE_ONCE(sock->sk->sk_rcvtimeo, timeo);
	return kernel_recvmsg(sock, &msg, iov, 1, iov->iov_len, MSG_WAITALL);
}

static int smbs_tcp_sendmsg(struct smbs_conn *conn, struct msghdr *msg)
{
	return sock_sendmsg(smbs_tcp_sock(conn), msg);
}

/* The socket's write_space callback (softirq context). */
static void smbs_tcp_write_space(struct sock *sk)
{
	struct smbs_conn *conn;

	read_lock_bh(&sk->sk_callback_lock);
	conn = sk->sk_user_data;
	if (conn && sk_stream_is_writeable(sk)) {
		clear_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		smbs_tx_writable(conn);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

static void smbs_tcp_attach(struct smbs_conn *conn)
{
	struct smbs_tcp *tcp = conn->tp;
	struct sock *sk = tcp->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	tcp->saved_write_space = sk->sk_write_space;
	sk->sk_user_data = conn;
	sk->sk_write_space = smbs_tcp_write_space;
	write_unlock_bh(&sk->sk_callback_lock);
}

/* After the write lock is dropped, no callback can still see @conn. */
static void smbs_tcp_detach(struct smbs_conn *conn)
{
	struct smbs_tcp *tcp = conn->tp;
	struct sock *sk = tcp->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	if (sk->sk_user_data == conn) {
		sk->sk_user_data = NULL;
		sk->sk_write_space = tcp->saved_write_space;
	}
	write_unlock_bh(&sk->sk_callback_lock);
}

static void smbs_tcp_shutdown(struct smbs_conn *conn)
{
	kernel_sock_shutdown(smbs_tcp_sock(conn), SHUT_RDWR);
}

static void smbs_tcp_free(struct smbs_tcp *tcp)
{
	sock_release(tcp->sock);
	kfree(tcp);
}

static void smbs_tcp_release(struct smbs_conn *conn)
{
	smbs_tcp_free(conn->tp);
}

static const struct smbs_transport_ops smbs_tcp_ops = {
	.recv		= smbs_tcp_recv,
	.sendmsg	= smbs_tcp_sendmsg,
	.attach		= smbs_tcp_attach,
	.detach		= smbs_tcp_detach,
	.recv_file	= smbs_tcp_recv_file,
	.discard	= smbs_tcp_discard,
	.shutdown	= smbs_tcp_shutdown,
	.release	= smbs_tcp_release,
};

/* Serve an accepted socket; on failure the socket is released. */
static void smbs_tcp_serve(struct socket *sock)
{
	struct sockaddr_storage ss;
	struct smbs_tcp *tcp;
	char peer[64] = "";

	tcp_sock_set_nodelay(sock->sk);
	sock_set_keepalive(sock->sk);
	if (kernel_getpeername(sock, (struct sockaddr *)&ss) > 0) {
		if (ss.ss_family == AF_INET6)
			snprintf(peer, sizeof(peer), "%pI6c",
				 &((struct sockaddr_in6 *)&ss)->sin6_addr);
		else
			snprintf(peer, sizeof(peer), "%pI4",
				 &((struct sockaddr_in *)&ss)->sin_addr);
	}
	tcp = kzalloc(sizeof(*tcp), GFP_KERNEL);
	if (!tcp) {
		sock_release(sock);
		return;
	}
	tcp->sock = sock;
	if (!smbs_conn_create(&smbs_tcp_ops, tcp, peer))
		smbs_tcp_free(tcp);
}

/* ---- the listener ---------------------------------------------------- */

static DEFINE_MUTEX(smbs_listen_lock);
static struct socket *smbs_listen_sock;
static struct task_struct *smbs_listen_task;
static u16 smbs_listen_port;

static int smbs_tcp_listen_sock(u16 port, struct socket **out)
{
	struct sockaddr_in6 sin6 = {
		.sin6_family = AF_INET6,
		.sin6_addr = IN6ADDR_ANY_INIT,
		.sin6_port = htons(port),
	};
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_ANY),
		.sin_port = htons(port),
	};
	struct socket *sock;
	int err;

	/* Prefer one dual-stack socket; fall back to IPv4 only. */
	err = sock_create_kern(&init_net, PF_INET6, SOCK_STREAM, IPPROTO_TCP,
			       &sock);
	if (!err) {
		sock->sk->sk_ipv6only = false;
		sock_set_reuseaddr(sock->sk);
		err = kernel_bind(sock, (struct sockaddr *)&sin6, sizeof(sin6));
		if (err) {
			sock_release(sock);
			sock = NULL;
		}
	}
	if (err) {
		err = sock_create_kern(&init_net, PF_INET, SOCK_STREAM,
				       IPPROTO_TCP, &sock);
		if (err)
			return err;
		sock_set_reuseaddr(sock->sk);
		err = kernel_bind(sock, (struct sockaddr *)&sin, sizeof(sin));
		if (err)
			goto fail;
	}
	err = kernel_listen(sock, 128);
	if (err)
		goto fail;
	*out = sock;
	return 0;
fail:
	sock_release(sock);
	return err;
}

static int smbs_tcp_accept_loop(void *data)
{
	struct socket *lsock = data;
	struct socket *sock;
	int err;

	while (!kthread_should_stop()) {
		err = kernel_accept(lsock, &sock, 0);
		if (err) {
			if (err == -EAGAIN || err == -EINTR ||
			    err == -ECONNABORTED || err == -ENOMEM ||
			    err == -ENFILE || err == -EMFILE)
				continue;
			/* shutdown() by smbs_tcp_stop(): wait to be stopped */
			while (!kthread_should_stop())
				schedule_timeout_interruptible(HZ / 10);
			break;
		}
		smbs_tcp_serve(sock);
	}
	return 0;
}

/**
 * smbs_tcp_start - listen on a port
 * @port: TCP port
 *
 * Restarts the listener if it runs on another port.
 *
 * Return: 0 or a negative errno.
 */
int smbs_tcp_start(u16 port)
{
	struct task_struct *task;
	struct socket *sock;
	int err;

	mutex_lock(&smbs_listen_lock);
	if (smbs_listen_sock && smbs_listen_port == port) {
		mutex_unlock(&smbs_listen_lock);
		return 0;
	}
	mutex_unlock(&smbs_listen_lock);
	smbs_tcp_stop();

	err = smbs_tcp_listen_sock(port, &sock);
	if (err) {
		pr_err("cannot listen on port %u: %d\n", port, err);
		return err;
	}
	task = kthread_run(smbs_tcp_accept_loop, sock, "ksmbd-listen");
	if (IS_ERR(task)) {
		sock_release(sock);
		return PTR_ERR(task);
	}
	mutex_lock(&smbs_listen_lock);
	smbs_listen_sock = sock;
	smbs_listen_task = task;
	smbs_listen_port = port;
	mutex_unlock(&smbs_listen_lock);
	pr_info("listening on port %u\n", port);
	return 0;
}

/**
 * smbs_tcp_stop - stop listening; established connections stay
 */
void smbs_tcp_stop(void)
{
	struct task_struct *task;
	struct socket *sock;

	mutex_lock(&smbs_listen_lock);
	sock = smbs_listen_sock;
	task = smbs_listen_task;
	smbs_listen_sock = NULL;
	smbs_listen_task = NULL;
	smbs_listen_port = 0;
	mutex_unlock(&smbs_listen_lock);
	if (!sock)
		return;
	kernel_sock_shutdown(sock, SHUT_RDWR);
	kthread_stop(task);
	sock_release(sock);
}
