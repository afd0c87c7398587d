/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Generic netlink interface between the in-kernel SMB server and its
 * control daemon (ksmbd.mountd).
 *
 * The daemon registers with SMB_SERVER_CMD_START, which carries the global
 * settings and makes the kernel listen. From then on the kernel asks the
 * daemon about users and shares: it sends a *_REQ message carrying a
 * SMB_SERVER_A_HANDLE to the daemon's netlink port, and the daemon answers
 * with the matching *_RSP command carrying the same handle. Every message
 * the daemon sends is checked against an attribute policy by the kernel, and
 * only the port that registered may answer requests.
 *
 * When the daemon's socket closes the kernel fails all outstanding requests
 * and refuses new logins and tree connects until a daemon registers again;
 * established sessions keep working.
 */
#ifndef _UAPI_LINUX_SMB_SERVER_H
#define _UAPI_LINUX_SMB_SERVER_H

#define SMB_SERVER_FAMILY_NAME		"smb_server"
#define SMB_SERVER_FAMILY_VERSION	1

/* Longest strings accepted in attributes, including the terminating NUL. */
#define SMB_SERVER_NAME_MAX		256
#define SMB_SERVER_NETBIOS_MAX		16
#define SMB_SERVER_PATH_MAX		4096
#define SMB_SERVER_NT_HASH_SIZE		16
#define SMB_SERVER_MAX_GROUPS		32
#define SMB_SERVER_RPC_MAX		61440

enum smb_server_cmd {
	SMB_SERVER_CMD_UNSPEC,
	/* daemon -> kernel: register this port as the daemon, set globals */
	SMB_SERVER_CMD_START,
	/* any admin -> kernel: stop listening and close every connection */
	SMB_SERVER_CMD_STOP,
	/* kernel -> daemon: look up SMB_SERVER_A_ACCOUNT */
	SMB_SERVER_CMD_LOGIN_REQ,
	/* daemon -> kernel: the answer to a login request */
	SMB_SERVER_CMD_LOGIN_RSP,
	/* kernel -> daemon: may this session connect to SMB_SERVER_A_SHARE? */
	SMB_SERVER_CMD_TREE_CONNECT_REQ,
	/* daemon -> kernel: the share's settings and the access decision */
	SMB_SERVER_CMD_TREE_CONNECT_RSP,
	/* kernel -> daemon, no answer: a tree connect ended */
	SMB_SERVER_CMD_TREE_DISCONNECT,
	/* kernel -> daemon, no answer: a session ended */
	SMB_SERVER_CMD_LOGOUT,
	/* kernel -> daemon: are you there? */
	SMB_SERVER_CMD_HEARTBEAT_REQ,
	/* daemon -> kernel: yes */
	SMB_SERVER_CMD_HEARTBEAT_RSP,
	/* kernel -> daemon: a DCE/RPC pipe operation on IPC$ */
	SMB_SERVER_CMD_RPC_REQ,
	/* daemon -> kernel: the pipe's answer */
	SMB_SERVER_CMD_RPC_RSP,
	/* any admin -> kernel: set the debug classes (SMB_SERVER_A_DEBUG) */
	SMB_SERVER_CMD_SET_DEBUG,
	/* daemon -> kernel: configuration reloaded, forget cached shares */
	SMB_SERVER_CMD_RELOAD,

	__SMB_SERVER_CMD_MAX,
	SMB_SERVER_CMD_MAX = __SMB_SERVER_CMD_MAX - 1
};

enum smb_server_attr {
	SMB_SERVER_A_UNSPEC,
	SMB_SERVER_A_HANDLE,		/* u32: request id, echoed in the answer */
	SMB_SERVER_A_STATUS,		/* u32: enum smb_server_status */

	/* SMB_SERVER_CMD_START */
	SMB_SERVER_A_TCP_PORT,		/* u16, host order */
	SMB_SERVER_A_NETBIOS_NAME,	/* string */
	SMB_SERVER_A_WORKGROUP,		/* string */
	SMB_SERVER_A_SERVER_STRING,	/* string */
	SMB_SERVER_A_MIN_DIALECT,	/* u16: 0x0202, 0x0210, 0x0300, 0x0302, 0x0311 */
	SMB_SERVER_A_MAX_DIALECT,	/* u16 */
	SMB_SERVER_A_SIGNING,		/* u8: enum smb_server_signing */
	SMB_SERVER_A_ENCRYPTION,	/* u8: enum smb_server_encryption */
	SMB_SERVER_A_MAX_READ,		/* u32: bytes */
	SMB_SERVER_A_MAX_WRITE,		/* u32: bytes */
	SMB_SERVER_A_MAX_TRANS,		/* u32: bytes */
	SMB_SERVER_A_MAX_CONNECTIONS,	/* u32: 0 = no limit */
	SMB_SERVER_A_DEADTIME,		/* u32: idle seconds before disconnect, 0 = never */
	SMB_SERVER_A_GLOBAL_FLAGS,	/* u32: SMB_SERVER_GLOBAL_* */

	/* SMB_SERVER_CMD_LOGIN_{REQ,RSP} */
	SMB_SERVER_A_ACCOUNT,		/* string: user name as the client sent it */
	SMB_SERVER_A_DOMAIN,		/* string */
	SMB_SERVER_A_NT_HASH,		/* binary, SMB_SERVER_NT_HASH_SIZE bytes */
	SMB_SERVER_A_UID,		/* u32 */
	SMB_SERVER_A_GID,		/* u32 */
	SMB_SERVER_A_GROUPS,		/* binary: array of u32 gids, host order */
	SMB_SERVER_A_USER_FLAGS,	/* u32: SMB_SERVER_USER_* */

	/* SMB_SERVER_CMD_TREE_CONNECT_{REQ,RSP}, TREE_DISCONNECT, LOGOUT */
	SMB_SERVER_A_SHARE,		/* string: share name, no server part */
	SMB_SERVER_A_CLIENT_ADDR,	/* string: numeric address of the peer */
	SMB_SERVER_A_SESSION_ID,	/* u64 */
	SMB_SERVER_A_TREE_ID,		/* u32 */
	SMB_SERVER_A_SHARE_PATH,	/* string: absolute path of the share root */
	SMB_SERVER_A_SHARE_FLAGS,	/* u32: SMB_SERVER_SHARE_* */
	SMB_SERVER_A_CREATE_MASK,	/* u16: mode bits allowed on new files */
	SMB_SERVER_A_DIR_MASK,		/* u16: mode bits allowed on new directories */
	SMB_SERVER_A_FORCE_CREATE_MODE,	/* u16: mode bits always set on new files */
	SMB_SERVER_A_FORCE_DIR_MODE,	/* u16: mode bits always set on new directories */
	SMB_SERVER_A_FORCE_UID,		/* u32: act as this uid on the share */
	SMB_SERVER_A_FORCE_GID,		/* u32: act as this gid on the share */

	/* SMB_SERVER_CMD_RPC_{REQ,RSP} */
	SMB_SERVER_A_PIPE_ID,		/* u64: the open pipe's id */
	SMB_SERVER_A_PIPE_NAME,		/* string: e.g. "srvsvc" */
	SMB_SERVER_A_RPC_OP,		/* u32: enum smb_server_rpc_op */
	SMB_SERVER_A_PAYLOAD,		/* binary, at most SMB_SERVER_RPC_MAX bytes */

	/* SMB_SERVER_CMD_SET_DEBUG */
	SMB_SERVER_A_DEBUG,		/* u32: SMB_SERVER_DEBUG_* */

	/* SMB_SERVER_CMD_START, continued */
	SMB_SERVER_A_MAX_IP_CONNECTIONS, /* u32: per client address, 0 = no limit */
	SMB_SERVER_A_MAX_OPEN_FILES,	/* u32: files open server-wide, 0 = no limit */
	SMB_SERVER_A_MAX_CREDITS,	/* u32: credits per connection, 1 to 8192 */
	SMB_SERVER_A_MAX_SESSIONS,	/* u32: sessions server-wide, 0 = no limit */

	__SMB_SERVER_A_MAX,
	SMB_SERVER_A_MAX = __SMB_SERVER_A_MAX - 1
};

enum smb_server_status {
	SMB_SERVER_ST_OK,
	SMB_SERVER_ST_NO_SUCH_USER,	/* login: unknown account */
	SMB_SERVER_ST_NO_SUCH_SHARE,	/* tree connect: unknown share */
	SMB_SERVER_ST_ACCESS_DENIED,	/* tree connect: user not allowed */
	SMB_SERVER_ST_NO_SUCH_PIPE,	/* rpc: unknown pipe or id */
	SMB_SERVER_ST_INVALID,		/* malformed request */
	SMB_SERVER_ST_INTERNAL,		/* out of memory or similar */
};

enum smb_server_signing {
	SMB_SERVER_SIGNING_DISABLED,	/* sign only when the client requires it */
	SMB_SERVER_SIGNING_AUTO,	/* offer signing, sign when asked */
	SMB_SERVER_SIGNING_MANDATORY,	/* require signing */
};

enum smb_server_encryption {
	SMB_SERVER_ENCRYPTION_OFF,
	SMB_SERVER_ENCRYPTION_DESIRED,
	SMB_SERVER_ENCRYPTION_REQUIRED,
};

enum smb_server_rpc_op {
	SMB_SERVER_RPC_OPEN,		/* a client opened the pipe */
	SMB_SERVER_RPC_WRITE,		/* client data for the pipe */
	SMB_SERVER_RPC_READ,		/* client wants pipe output */
	SMB_SERVER_RPC_TRANSACT,	/* write then read, one round trip */
	SMB_SERVER_RPC_CLOSE,		/* the client closed the pipe */
};

/* SMB_SERVER_A_GLOBAL_FLAGS */
#define SMB_SERVER_GLOBAL_MULTICHANNEL	(1U << 0)
#define SMB_SERVER_GLOBAL_LEASES	(1U << 1)
#define SMB_SERVER_GLOBAL_DURABLE	(1U << 2)
#define SMB_SERVER_GLOBAL_MAP_TO_GUEST	(1U << 3)	/* bad user -> guest */

/* SMB_SERVER_A_USER_FLAGS */
#define SMB_SERVER_USER_GUEST		(1U << 0)	/* mapped to the guest account */
#define SMB_SERVER_USER_DISABLED	(1U << 1)

/* SMB_SERVER_A_SHARE_FLAGS */
#define SMB_SERVER_SHARE_READ_ONLY	(1U << 0)
#define SMB_SERVER_SHARE_PIPE		(1U << 1)	/* IPC$ */
#define SMB_SERVER_SHARE_BROWSEABLE	(1U << 2)
#define SMB_SERVER_SHARE_GUEST_OK	(1U << 3)
#define SMB_SERVER_SHARE_STORE_DOS_ATTRS (1U << 4)	/* keep DOS attributes in an xattr */
#define SMB_SERVER_SHARE_OPLOCKS	(1U << 5)
#define SMB_SERVER_SHARE_HIDE_DOT_FILES	(1U << 6)
#define SMB_SERVER_SHARE_STREAMS	(1U << 7)	/* alternate data streams in xattrs */
#define SMB_SERVER_SHARE_ACLS		(1U << 8)	/* Windows ACLs in an xattr */
#define SMB_SERVER_SHARE_ENCRYPT	(1U << 9)	/* require encryption on this share */

/* SMB_SERVER_A_DEBUG */
#define SMB_SERVER_DEBUG_CONN		(1U << 0)
#define SMB_SERVER_DEBUG_AUTH		(1U << 1)
#define SMB_SERVER_DEBUG_VFS		(1U << 2)
#define SMB_SERVER_DEBUG_PDU		(1U << 3)
#define SMB_SERVER_DEBUG_IPC		(1U << 4)
#define SMB_SERVER_DEBUG_ALL		0x1f

#endif /* _UAPI_LINUX_SMB_SERVER_H */
