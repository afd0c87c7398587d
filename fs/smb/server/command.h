/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The command table: for each SMB2 command, in one place, its name, its
 * handler and what it needs before the handler runs (dispatch.c), the
 * layout of its request as the PDU reader checks it and the size of its
 * response (pdu.c), and the field its credit charge pays for (credits.c).
 * Field positions are offsetof() on the wire structures.
 */
#ifndef _SMBS_COMMAND_H
#define _SMBS_COMMAND_H

#include <linux/stddef.h>
#include <linux/types.h>
#include "../common/smb2pdu.h"
#include "pdu.h"

struct smbs_work;

enum smbs_var_kind {
	SMBS_VK_NONE,
	SMBS_VK_OFF16_LEN16,	/* u16 offset, u16 length */
	SMBS_VK_OFF16_LEN32,	/* u16 offset, u32 length */
	SMBS_VK_OFF32_LEN32,	/* u32 offset, u32 length */
	SMBS_VK_ARRAY16,	/* u16 count of entries at a fixed place */
	SMBS_VK_TAIL32,		/* u32 offset to the end; empty if out of range */
};

/**
 * struct smbs_var_layout - where a command keeps one variable field
 * @kind: enum smbs_var_kind
 * @off_pos: body position of the offset field (array: of the entries)
 * @len_pos: body position of the length field (array: of the count)
 * @unit: array entry size
 * @tail: the field may be the request's tail left in the socket
 */
struct smbs_var_layout {
	u8 kind;
	u8 off_pos;
	u8 len_pos;
	u8 unit;
	bool tail;
};

/* What a command needs before its handler may run. */
#define SMBS_NEED_SESS		BIT(0)	/* a VALID session */
#define SMBS_NEED_TREE		BIT(1)	/* a tree connect */
#define SMBS_USES_FID		BIT(2)	/* takes a FileId (compound rules) */

/**
 * struct smbs_command - one SMB2 command
 * @name: for logs
 * @handler: runs the request; NULL for a command the server refuses
 * @done: called once the response is complete, before it is signed
 * @flags: SMBS_NEED_* and SMBS_USES_FID
 * @size: StructureSize of the request
 * @alt_size: another accepted StructureSize (0 if none)
 * @rsp_size: response bytes needed, header and fixed part included
 * @out_pos: body position of a u32 the client uses to bound the
 *	     response's variable data, or 0 if the command has none
 * @pay_pos: body position of the u32 payload length its credit charge
 *	     pays for (MS-SMB2 3.1.5.2), or 0: one credit whatever its size
 * @pay_var: the charge also pays for the length of @var[0] (IOCTL input)
 * @var: the variable fields
 */
struct smbs_command {
	const char *name;
	__le32 (*handler)(struct smbs_work *w);
	void (*done)(struct smbs_work *w);
	unsigned int flags;
	u16 size;
	u16 alt_size;
	u32 rsp_size;
	u8 out_pos;
	u8 pay_pos;
	bool pay_var;
	struct smbs_var_layout var[SMBS_PDU_MAX_VAR];
};

extern const struct smbs_command smbs_commands[NUMBER_OF_SMB2_COMMANDS];

/* The command of a request, or NULL for a number past the table. */
static inline const struct smbs_command *smbs_command(u16 cmd)
{
	return cmd < NUMBER_OF_SMB2_COMMANDS ? &smbs_commands[cmd] : NULL;
}

/* The name of a command, for logs and tracepoints. */
static inline const char *smbs_command_name(__le16 cmd)
{
	const struct smbs_command *c = smbs_command(le16_to_cpu(cmd));

	return c ? c->name : "?";
}

#endif /* _SMBS_COMMAND_H */
