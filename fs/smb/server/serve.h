/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Serving connections (serve.c): what the listener and the module call.
 */
#ifndef _SMBS_SERVE_H
#define _SMBS_SERVE_H

struct smbs_conn;
struct smbs_transport_ops;

struct smbs_conn *smbs_conn_create(const struct smbs_transport_ops *ops,
				   void *tp, const char *peer);
void smbs_conn_idle_start(void);
void smbs_conn_idle_stop(void);

#endif /* _SMBS_SERVE_H */
