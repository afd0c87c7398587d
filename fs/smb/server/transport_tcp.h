/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The TCP transport's own state (transport_tcp.c, recv_file.c).
 */
#ifndef _SMBS_TRANSPORT_TCP_H
#define _SMBS_TRANSPORT_TCP_H

#include <linux/net.h>
#include "connection.h"

struct sock;

/**
 * struct smbs_tcp - a connection's TCP side (&smbs_conn.tp)
 * @sock: the accepted socket
 * @saved_write_space: the socket's write_space callback before ours
 */
struct smbs_tcp {
	struct socket *sock;
	void (*saved_write_space)(struct sock *sk);
};

static inline struct socket *smbs_tcp_sock(struct smbs_conn *conn)
{
	return ((struct smbs_tcp *)conn->tp)->sock;
}

ssize_t smbs_tcp_recv_file(struct smbs_conn *conn, struct file *filp,
			   loff_t *pos, u32 len);
int smbs_tcp_discard(struct smbs_conn *conn, u32 len);

#endif /* _SMBS_TRANSPORT_TCP_H */
