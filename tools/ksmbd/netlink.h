/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Generic netlink transport to the kernel SMB server.
 */
#ifndef KSMBD_NETLINK_H
#define KSMBD_NETLINK_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <linux/smb_server.h>

#include "globals.h"

#define SMBNL_ACK_TIMEOUT_MS	5000

struct smbnl;

/*
 * Called for every kernel request. @tb holds the attributes; when
 * @malformed, it holds at most SMB_SERVER_A_HANDLE.
 */
typedef void (*smbnl_request_fn)(struct smbnl *nl, uint8_t cmd,
				 struct nlattr **tb, bool malformed,
				 void *data);

struct smbnl {
	struct nl_sock *sk;
	int family;
	smbnl_request_fn handler;
	void *handler_data;
	/* the message whose acknowledgment smbnl_call() waits for */
	bool waiting;
	uint32_t wait_seq;
	int wait_err;
	char wait_msg[256];
};

struct login_rsp {
	uint32_t status;		/* enum smb_server_status */
	bool has_hash;
	uint8_t nt_hash[SMB_SERVER_NT_HASH_SIZE];
	uint32_t uid;
	uint32_t gid;
	uint32_t groups[SMB_SERVER_MAX_GROUPS];
	unsigned int ngroups;
	uint32_t user_flags;
};

struct tcon_rsp {
	uint32_t status;		/* enum smb_server_status */
	uint32_t share_flags;
	const char *path;		/* NULL: not sent (IPC$) */
	uint16_t create_mask;
	uint16_t dir_mask;
	uint16_t force_create_mode;
	uint16_t force_dir_mode;
	bool has_force_uid;
	bool has_force_gid;
	uint32_t force_uid;
	uint32_t force_gid;
};

int smbnl_open(struct smbnl *nl, GError **error);
int smbnl_open_family(struct smbnl *nl, int family, GError **error);
void smbnl_close(struct smbnl *nl);
int smbnl_fd(const struct smbnl *nl);
int smbnl_send(struct smbnl *nl, struct nl_msg *msg);
int smbnl_call(struct smbnl *nl, struct nl_msg *msg, int timeout_ms,
	       GError **error);
int smbnl_process(struct smbnl *nl);

const char *smbnl_cmd_name(unsigned int cmd);
const char *smbnl_status_name(uint32_t status);

struct nl_msg *smbnl_msg_new(int family, uint8_t cmd, int flags,
			     size_t payload);
struct nl_msg *smbnl_start_msg(int family, const struct smb_globals *g);
struct nl_msg *smbnl_login_rsp(int family, uint32_t handle,
			       const struct login_rsp *r);
struct nl_msg *smbnl_tcon_rsp(int family, uint32_t handle,
			      const struct tcon_rsp *r);
struct nl_msg *smbnl_heartbeat_rsp(int family, uint32_t handle);
struct nl_msg *smbnl_rpc_rsp(int family, uint32_t handle, uint32_t status,
			     const void *payload, size_t len);
struct nl_msg *smbnl_status_rsp(int family, uint8_t req_cmd,
				uint32_t handle, uint32_t status);
int smbnl_parse(struct nl_msg *msg, int family, uint8_t *cmd,
		struct nlattr **tb);

#endif
