// SPDX-License-Identifier: GPL-2.0-only
/*
 * The command table (command.h). Each entry says everything the layers
 * below the handlers need to know of a command: the dispatcher which
 * handler runs and what it needs first, the PDU reader where the
 * variable fields of the request are and how much response it may make,
 * the credit check which length its charge pays for.
 */
#include "server.h"

#include "command.h"
#include "smb2.h"

/* Position of field @f of wire structure @t in the body. */
#define POS(t, f)	(offsetof(struct t, f) - sizeof(struct smb2_hdr))

/*
 * A variable field of kind @k of request type @T (a struct type) given
 * by an offset @o and a length @l.
 */
#define VAR(k, T, o, l) \
	{ .kind = SMBS_VK_##k, \
	  .off_pos = offsetof(T, o) - sizeof(struct smb2_hdr), \
	  .len_pos = offsetof(T, l) - sizeof(struct smb2_hdr) }

/* An array of @u-byte entries @e at a fixed place, with a u16 count @c. */
#define ARRAY(T, e, c, u) \
	{ .kind = SMBS_VK_ARRAY16, \
	  .off_pos = offsetof(T, e) - sizeof(struct smb2_hdr), \
	  .len_pos = offsetof(T, c) - sizeof(struct smb2_hdr), .unit = (u) }

#define SESS_TREE	(SMBS_NEED_SESS | SMBS_NEED_TREE)
#define SESS_TREE_FID	(SMBS_NEED_SESS | SMBS_NEED_TREE | SMBS_USES_FID)

const struct smbs_command smbs_commands[NUMBER_OF_SMB2_COMMANDS] = {
	[SMB2_NEGOTIATE_HE] = {
		.name = "NEGOTIATE",
		.handler = smbs_negotiate, .done = smbs_negotiate_done,
		.size = 36, .rsp_size = SMBS_NEG_RSP_SIZE,
		.var = { ARRAY(struct smb2_negotiate_req, Dialects,
			       DialectCount, 2),
			 { .kind = SMBS_VK_TAIL32,
			   .off_pos = POS(smb2_negotiate_req,
					  NegotiateContextOffset) } },
	},
	[SMB2_SESSION_SETUP_HE] = {
		.name = "SESSION_SETUP",
		.handler = smbs_session_setup, .done = smbs_session_setup_done,
		.size = 25, .rsp_size = 8192,
		.var = { VAR(OFF16_LEN16, struct smb2_sess_setup_req,
			     SecurityBufferOffset, SecurityBufferLength) },
	},
	[SMB2_LOGOFF_HE] = {
		.name = "LOGOFF",
		.handler = smbs_logoff, .flags = SMBS_NEED_SESS,
		.size = 4, .rsp_size = 128,
	},
	[SMB2_TREE_CONNECT_HE] = {
		.name = "TREE_CONNECT",
		.handler = smbs_tree_connect, .flags = SMBS_NEED_SESS,
		.size = 9, .rsp_size = 256,
		.var = { VAR(OFF16_LEN16, struct smb2_tree_connect_req,
			     PathOffset, PathLength) },
	},
	[SMB2_TREE_DISCONNECT_HE] = {
		.name = "TREE_DISCONNECT",
		.handler = smbs_tree_disconnect, .flags = SESS_TREE,
		.size = 4, .rsp_size = 128,
	},
	[SMB2_CREATE_HE] = {
		.name = "CREATE",
		.handler = smbs_create, .flags = SESS_TREE,
		.size = 57, .rsp_size = 1024,
		.var = { VAR(OFF16_LEN16, struct smb2_create_req,
			     NameOffset, NameLength),
			 VAR(OFF32_LEN32, struct smb2_create_req,
			     CreateContextsOffset, CreateContextsLength) },
	},
	[SMB2_CLOSE_HE] = {
		.name = "CLOSE",
		.handler = smbs_close, .flags = SESS_TREE_FID,
		.size = 24, .rsp_size = 256,
	},
	[SMB2_FLUSH_HE] = {
		.name = "FLUSH",
		.handler = smbs_flush, .flags = SESS_TREE_FID,
		.size = 24, .rsp_size = 128,
	},
	[SMB2_READ_HE] = {
		.name = "READ",
		.handler = smbs_read, .flags = SESS_TREE_FID,
		.size = 49, .rsp_size = 256,
		.pay_pos = POS(smb2_read_req, Length),
		.var = { VAR(OFF16_LEN16, struct smb2_read_req,
			     ReadChannelInfoOffset, ReadChannelInfoLength) },
	},
	[SMB2_WRITE_HE] = {
		.name = "WRITE",
		.handler = smbs_write, .flags = SESS_TREE_FID,
		.size = 49, .rsp_size = 256,
		.pay_pos = POS(smb2_write_req, Length),
		.var = { { .kind = SMBS_VK_OFF16_LEN32,
			   .off_pos = POS(smb2_write_req, DataOffset),
			   .len_pos = POS(smb2_write_req, Length),
			   .tail = true },
			 VAR(OFF16_LEN16, struct smb2_write_req,
			     WriteChannelInfoOffset, WriteChannelInfoLength) },
	},
	[SMB2_LOCK_HE] = {
		.name = "LOCK",
		.handler = smbs_lock, .flags = SESS_TREE_FID,
		.size = 48, .rsp_size = 128,
		.var = { ARRAY(struct smb2_lock_req, locks, LockCount,
			       sizeof(struct smb2_lock_element)) },
	},
	[SMB2_IOCTL_HE] = {
		.name = "IOCTL",
		.handler = smbs_ioctl, .flags = SESS_TREE_FID,
		.size = 57, .rsp_size = 512,
		.out_pos = POS(smb2_ioctl_req, MaxOutputResponse),
		.pay_pos = POS(smb2_ioctl_req, MaxOutputResponse),
		.pay_var = true,
		.var = { VAR(OFF32_LEN32, struct smb2_ioctl_req,
			     InputOffset, InputCount) },
	},
	[SMB2_CANCEL_HE] = {
		/* Handled before credits and sessions: see dispatch.c. */
		.name = "CANCEL",
		.size = 4, .rsp_size = 128,
	},
	[SMB2_ECHO_HE] = {
		.name = "ECHO",
		.handler = smbs_echo,
		.size = 4, .rsp_size = 128,
	},
	[SMB2_QUERY_DIRECTORY_HE] = {
		.name = "QUERY_DIRECTORY",
		.handler = smbs_query_directory, .flags = SESS_TREE_FID,
		.size = 33, .rsp_size = 256,
		.out_pos = POS(smb2_query_directory_req, OutputBufferLength),
		.pay_pos = POS(smb2_query_directory_req, OutputBufferLength),
		.var = { VAR(OFF16_LEN16, struct smb2_query_directory_req,
			     FileNameOffset, FileNameLength) },
	},
	[SMB2_CHANGE_NOTIFY_HE] = {
		.name = "CHANGE_NOTIFY",
		.flags = SESS_TREE_FID,
		.size = 32, .rsp_size = 256,
		.out_pos = POS(smb2_change_notify_req, OutputBufferLength),
	},
	[SMB2_QUERY_INFO_HE] = {
		.name = "QUERY_INFO",
		.handler = smbs_query_info, .flags = SESS_TREE_FID,
		.size = 41, .rsp_size = 256,
		.out_pos = POS(smb2_query_info_req, OutputBufferLength),
		.var = { VAR(OFF16_LEN32, struct smb2_query_info_req,
			     InputBufferOffset, InputBufferLength) },
	},
	[SMB2_SET_INFO_HE] = {
		.name = "SET_INFO",
		.handler = smbs_set_info, .flags = SESS_TREE_FID,
		.size = 33, .rsp_size = 128,
		.var = { VAR(OFF16_LEN32, struct smb2_set_info_req,
			     BufferOffset, BufferLength) },
	},
	[SMB2_OPLOCK_BREAK_HE] = {
		/* An acknowledgment (24) or a lease break acknowledgment (36). */
		.name = "OPLOCK_BREAK",
		.flags = SESS_TREE_FID,
		.size = 24, .alt_size = 36, .rsp_size = 256,
	},
};
