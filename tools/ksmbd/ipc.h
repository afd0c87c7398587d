/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Answers to the kernel's requests: logins, tree connects, heartbeats and
 * DCE/RPC pipe traffic.
 */
#ifndef KSMBD_IPC_H
#define KSMBD_IPC_H

#include <stdbool.h>
#include <stdint.h>

#include "globals.h"
#include "netlink.h"
#include "shares.h"
#include "users.h"

struct id_cache;
struct rpc_pipes;

/* Account look-ups are kept this long (seconds). */
#define KSMBD_IDCACHE_TTL	30

/*
 * Everything the answers depend on; replaced as a whole on reload (which
 * so also empties the account cache). @ids may be NULL: no caching.
 */
struct ksmbd_ctx {
	struct smb_globals globals;
	struct share_table *shares;
	struct user_db *users;
	struct rpc_pipes *pipes;
	struct id_cache *ids;
};

struct nl_msg *ipc_handle(struct ksmbd_ctx *ctx, int family, uint8_t cmd,
			  struct nlattr **tb, bool malformed);

#endif
