/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/smb_server.yaml */
/* by scripts/ynl-gen-daemon.py (header) */

#ifndef KSMBD_NETLINK_GEN_H
#define KSMBD_NETLINK_GEN_H

#include <stdint.h>

#include <netlink/attr.h>

#include <linux/smb_server.h>

#define SMB_SERVER_NL_N_STATUS	7

/* Each command's name, as the spec writes it, upper case. */
extern const char *const smb_server_nl_cmd_names[SMB_SERVER_CMD_MAX + 1];
/* Each status's name, likewise. */
extern const char *const smb_server_nl_status_names[SMB_SERVER_NL_N_STATUS];

/* Every attribute that a message from the kernel (an event) carries. */
extern const struct nla_policy smb_server_nl_event_policy[SMB_SERVER_A_MAX + 1];

/*
 * The attributes of each command the kernel accepts (a do request),
 * NULL for the others; the kernel rejects any attribute not listed.
 */
extern const struct nla_policy *const smb_server_nl_do_policy[SMB_SERVER_CMD_MAX + 1];

/* The attributes of each command or event, bit N for attribute N. */
extern const uint64_t smb_server_nl_cmd_attrs[SMB_SERVER_CMD_MAX + 1];

#endif /* KSMBD_NETLINK_GEN_H */
