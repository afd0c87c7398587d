/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Global state of the SMB server: settings pushed by the daemon, the
 * workqueue requests run on, and debug logging.
 */
#ifndef _SMBS_SERVER_H
#define _SMBS_SERVER_H

#define pr_fmt(fmt) "ksmbd: " fmt

#include <linux/types.h>
#include <linux/printk.h>
#include <linux/rwsem.h>
#include <linux/workqueue.h>
#include <uapi/linux/smb_server.h>

#define SMBS_DEFAULT_PORT	445
#define SMBS_DEFAULT_IO_SIZE	(8U << 20)	/* max read/write/trans */
/* The range the START policy allows for max read/write/trans. */
#define SMBS_MIN_IO_SIZE	SMB_SERVER_IO_SIZE_MIN
#define SMBS_MAX_IO_SIZE	SMB_SERVER_IO_SIZE_MAX
/* Largest message we accept from the wire: a maximal WRITE plus headers. */
#define SMBS_MAX_PDU(cfg)	((cfg)->max_write + (64U << 10))
/* Largest message before NEGOTIATE: a NEGOTIATE with all its contexts. */
#define SMBS_MAX_NEG_PDU	(64U << 10)
/*
 * Largest message before a session of the connection is VALID: a
 * SESSION_SETUP with the largest security blob its 16-bit
 * SecurityBufferLength can describe (a Kerberos AP-REQ with a big PAC
 * comes close to 64 KiB), after the 64-byte header and 24-byte body,
 * rounded up to a 4 KiB step.
 */
#define SMBS_MAX_SETUP_PDU	(68U << 10)

/* Defaults of the settings below that have one. */
#define SMBS_DEFAULT_MAX_CONNECTIONS	1024
#define SMBS_DEFAULT_MAX_OPEN_FILES	16384
#define SMBS_DEFAULT_MAX_SESSIONS	1024
/* Most credits a connection may hold; smbs_cfg.max_credits is 1 to this. */
#define SMBS_CREDITS_LIMIT		SMB_SERVER_CREDITS_MAX

/**
 * struct smbs_config - settings from the daemon's START message
 * @netbios_name: the server's NetBIOS name
 * @workgroup: its workgroup or domain
 * @server_string: its description (srvsvc's comment)
 * @tcp_port: the port to listen on
 * @min_dialect: lowest dialect offered (0x0202 ... 0x0311)
 * @max_dialect: highest dialect offered
 * @signing: enum smb_server_signing
 * @encryption: enum smb_server_encryption
 * @max_read: MaxReadSize negotiated
 * @max_write: MaxWriteSize negotiated
 * @max_trans: MaxTransactSize negotiated
 * @max_connections: connections in all, 0 for no limit
 * @max_ip_connections: connections from one client address, 0 for no limit
 * @max_open_files: files held open by all sessions, 0 for no limit
 * @max_sessions: sessions of all connections, 0 for no limit
 * @max_credits: credits per connection, 1 to SMBS_CREDITS_LIMIT
 * @deadtime: seconds after which an idle connection with no open file is
 *	      dropped, 0 for never
 * @flags: SMB_SERVER_GLOBAL_*
 * @server_guid: ServerGuid of the NEGOTIATE response
 * @start_time: NT time the server started (ServerStartTime)
 *
 * Written only under smbs_config_lock held for writing; request handlers
 * take a copy of what they need or read single fields racily (every field
 * is valid at all times).
 */
struct smbs_config {
	char netbios_name[SMB_SERVER_NETBIOS_MAX];
	char workgroup[SMB_SERVER_NETBIOS_MAX];
	char server_string[SMB_SERVER_NAME_MAX];
	u16 tcp_port;
	u16 min_dialect;
	u16 max_dialect;
	u8 signing;
	u8 encryption;
	u32 max_read;
	u32 max_write;
	u32 max_trans;
	u32 max_connections;
	u32 max_ip_connections;
	u32 max_open_files;
	u32 max_sessions;
	u32 max_credits;
	u32 deadtime;
	u32 flags;
	u8 server_guid[16];
	u64 start_time;
};

extern struct smbs_config smbs_cfg;
extern struct rw_semaphore smbs_config_lock;
extern struct workqueue_struct *smbs_wq;
extern unsigned int smbs_debug;

#define smbs_dbg(class, fmt, ...)					\
	do {								\
		if (unlikely(smbs_debug & SMB_SERVER_DEBUG_##class))	\
			pr_info(fmt, ##__VA_ARGS__);			\
	} while (0)

/* Listener control, transport_tcp.c */
int smbs_tcp_start(u16 port);
void smbs_tcp_stop(void);

/* Connections, connection.c */
void smbs_conn_close_all(void);

/* Netlink: the family and the daemon's link, netlink.c */
int smbs_netlink_init(void);
void smbs_netlink_exit(void);

#endif /* _SMBS_SERVER_H */
