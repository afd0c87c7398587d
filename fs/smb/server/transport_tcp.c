// SPDX-License-Identifier: GPL-2.0-only
/*
 * TCP listener: accepts connections on the configured port and hands each
 * socket to a new connection with its own receive thread.
 */
#include "server.h"

#include <linux/kthread.h>
#include <linux/net.h>
#include <linux/in6.h>
#include <linux/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>
#include "connection.h"
#include "serve.h"

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
		tcp_sock_set_nodelay(sock->sk);
		sock_set_keepalive(sock->sk);
		if (!smbs_conn_create(sock))
			sock_release(sock);
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
