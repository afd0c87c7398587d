/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Named pipes on IPC$: the daemon's side of the kernel's RPC_REQ messages.
 */
#ifndef KSMBD_RPC_H
#define KSMBD_RPC_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "../globals.h"
#include "../shares.h"

/* What a pipe's RPC methods may look at. */
struct rpc_env {
	const struct smb_globals *globals;
	const struct share_table *shares;
};

struct rpc_request {
	uint64_t pipe_id;
	uint32_t op;			/* enum smb_server_rpc_op */
	const char *pipe_name;		/* on SMB_SERVER_RPC_OPEN */
	const char *account;
	const uint8_t *data;
	size_t len;
};

struct rpc_pipes;

struct rpc_pipes *rpc_pipes_new(void);
void rpc_pipes_free(struct rpc_pipes *pipes);
unsigned int rpc_pipes_count(const struct rpc_pipes *pipes);

/*
 * Carry out one pipe operation. Returns an enum smb_server_status; data
 * for the client, if any, is put in *out.
 */
uint32_t rpc_pipe_request(struct rpc_pipes *pipes, const struct rpc_env *env,
			  const struct rpc_request *q, GByteArray **out);

#endif
