/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PDU reader: the one place where the lengths and offsets a client sends
 * are checked. Handlers only ever see checked slices.
 */
#ifndef _SMBS_PDU_H
#define _SMBS_PDU_H

#include <linux/types.h>
#include "../common/smb2pdu.h"

/**
 * struct smbs_buf - a checked slice of a request
 * @ptr: first byte, NULL when @len is zero
 * @len: length in bytes
 */
struct smbs_buf {
	const u8 *ptr;
	u32 len;
};

#define SMBS_PDU_MAX_VAR	2

/*
 * Response budget of a request that failed before its handler ran: the
 * header and an error body (MS-SMB2 2.2.2), nothing a client field sizes.
 * Every command's budget is at least this.
 */
#define SMBS_RSP_ERR_SIZE	128

/* Budget of a NEGOTIATE response: fixed part, SPNEGO hint, contexts. */
#define SMBS_NEG_RSP_SIZE	1024

/**
 * struct smbs_pdu - a checked view of one SMB2 request in a compound
 * @hdr: the SMB2 header
 * @body: the command's fixed part (StructureSize bytes, rounded down to even)
 * @len: bytes from @hdr to the end of this request
 * @var: variable fields named by the command table, each inside @len and
 *	 past the fixed part; see the per-command layout in pdu.c
 * @tail: length of a WRITE's data that was left in the socket (the
 *	  request's last @tail bytes, not in memory; its @var slice is
 *	  empty), or 0
 */
struct smbs_pdu {
	const struct smb2_hdr *hdr;
	const void *body;
	u32 len;
	struct smbs_buf var[SMBS_PDU_MAX_VAR];
	u32 tail;
};

/* Which variable field holds what, per command. */
enum {
	SMBS_VAR_NEG_DIALECTS = 0,	/* NEGOTIATE: Dialects[DialectCount] */
	SMBS_VAR_NEG_CONTEXTS = 1,	/* NEGOTIATE: negotiate context list (3.1.1) */
	SMBS_VAR_SESS_BLOB = 0,		/* SESSION_SETUP: security buffer */
	SMBS_VAR_TCON_PATH = 0,		/* TREE_CONNECT: UTF-16 path */
	SMBS_VAR_CREATE_NAME = 0,	/* CREATE: UTF-16 name */
	SMBS_VAR_CREATE_CTX = 1,	/* CREATE: create context list */
	SMBS_VAR_WRITE_DATA = 0,	/* WRITE: data */
	SMBS_VAR_WRITE_CHANNEL = 1,	/* WRITE: channel info */
	SMBS_VAR_READ_CHANNEL = 0,	/* READ: channel info */
	SMBS_VAR_LOCKS = 0,		/* LOCK: Locks[LockCount] */
	SMBS_VAR_IOCTL_IN = 0,		/* IOCTL: input buffer */
	SMBS_VAR_QDIR_NAME = 0,		/* QUERY_DIRECTORY: UTF-16 pattern */
	SMBS_VAR_QINFO_IN = 0,		/* QUERY_INFO: input buffer */
	SMBS_VAR_SINFO_BUF = 0,		/* SET_INFO: buffer */
};

/**
 * smbs_pdu_next - find the next request of a compound
 * @buf: the whole message
 * @len: its length
 * @off: offset of the request to check
 * @elen: out: length of that request (the caller adds it to @off)
 *
 * Checks the header at @off and its NextCommand: 8-byte aligned, past a
 * whole header, inside @len. The last request runs to the end of @len.
 *
 * Return: 1 if there is a current request at @off, 0 at the end of the
 * message, -EINVAL if the chain is malformed (the connection should drop).
 */
int smbs_pdu_next(const u8 *buf, u32 len, u32 *off, u32 *elen);

/**
 * smbs_pdu_parse - check one request against the command table
 * @elem: the request, starting at its SMB2 header
 * @len: its length (to the next request or the end of the message)
 * @pdu: filled with the checked view
 *
 * Return: STATUS_SUCCESS, STATUS_INVALID_PARAMETER for a bad structure size
 * or a variable field outside the request, STATUS_NOT_SUPPORTED for an
 * unknown command.
 */
__le32 smbs_pdu_parse(const u8 *elem, u32 len, struct smbs_pdu *pdu);

/**
 * smbs_pdu_parse_tail - check a request whose last bytes are not in memory
 * @elem: the request, starting at its SMB2 header
 * @len: bytes of it in memory
 * @tail: bytes that follow in the socket
 * @pdu: filled with the checked view
 *
 * As smbs_pdu_parse(), and the @tail bytes must be exactly the data field
 * of a WRITE (the only field that may be received straight into a file);
 * @pdu->tail then holds its length. With @tail 0 this is smbs_pdu_parse().
 *
 * Return: as smbs_pdu_parse(); STATUS_INVALID_PARAMETER if no field covers
 * exactly the @tail bytes.
 */
__le32 smbs_pdu_parse_tail(const u8 *elem, u32 len, u32 tail,
			   struct smbs_pdu *pdu);

/* Bytes of a WRITE in memory when its data stays in the socket. */
#define SMBS_PDU_WRITE_HEAD	(sizeof(struct smb2_hdr) + 48)

/**
 * smbs_pdu_write_streamable - may a message's data be left in the socket?
 * @head: the first SMBS_PDU_WRITE_HEAD bytes of a message
 * @msg_len: the whole message's length, from its framing
 *
 * True for a single, unsigned WRITE request whose data immediately follows
 * its fixed part and runs to the end of the message: the data can then be
 * received straight into the file. Signed requests are not (the signature
 * covers the data), nor are compounds.
 *
 * Return: true if the rest of the message is the WRITE's data.
 */
bool smbs_pdu_write_streamable(const u8 *head, u32 msg_len);

/**
 * smbs_pdu_rsp_size - the response budget of a request
 * @pdu: a parsed request
 * @max_out: the most variable data any response may carry (the
 *	     negotiated MaxTransactSize)
 *
 * Return: an upper bound for the response header, fixed part and variable
 * data the handler may produce: the command's fixed response size, plus
 * the output length the client asked for, at most @max_out.
 */
u32 smbs_pdu_rsp_size(const struct smbs_pdu *pdu, u32 max_out);

/**
 * smbs_buf_sub - take a checked sub-slice
 * @b: the parent slice
 * @off: offset inside @b
 * @len: length wanted
 * @out: the sub-slice
 *
 * Return: true if [@off, @off + @len) lies inside @b.
 */
static inline bool smbs_buf_sub(const struct smbs_buf *b, u32 off, u32 len,
				struct smbs_buf *out)
{
	if (off > b->len || len > b->len - off)
		return false;
	out->ptr = len ? b->ptr + off : NULL;
	out->len = len;
	return true;
}

/**
 * smbs_buf_at - checked pointer to a structure inside a slice
 * @b: the slice
 * @off: offset inside @b
 * @size: bytes the caller will read at that offset
 *
 * Return: a pointer to @size readable bytes, or NULL.
 */
static inline const void *smbs_buf_at(const struct smbs_buf *b, u32 off,
				      u32 size)
{
	if (off > b->len || size > b->len - off)
		return NULL;
	return b->ptr + off;
}

#endif /* _SMBS_PDU_H */
