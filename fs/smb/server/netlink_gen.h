/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/smb_server.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_SMB_SERVER_GEN_H
#define _LINUX_SMB_SERVER_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/smb_server.h>

/* Ops table for smb_server */
extern const struct genl_split_ops smb_server_nl_ops[8];

int smb_server_nl_start_doit(struct sk_buff *skb, struct genl_info *info);
int smb_server_nl_stop_doit(struct sk_buff *skb, struct genl_info *info);
int smb_server_nl_login_rsp_doit(struct sk_buff *skb, struct genl_info *info);
int smb_server_nl_tree_connect_rsp_doit(struct sk_buff *skb,
					struct genl_info *info);
int smb_server_nl_heartbeat_rsp_doit(struct sk_buff *skb,
				     struct genl_info *info);
int smb_server_nl_rpc_rsp_doit(struct sk_buff *skb, struct genl_info *info);
int smb_server_nl_set_debug_doit(struct sk_buff *skb, struct genl_info *info);
int smb_server_nl_reload_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _LINUX_SMB_SERVER_GEN_H */
