/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Named pipes on IPC$: the opens whose other end is a DCE/RPC service of
 * the daemon (pipe.c).
 */
#ifndef _SMBS_PIPE_H
#define _SMBS_PIPE_H

#include <linux/types.h>

struct smbs_buf;
struct smbs_file;
struct smbs_standard_info;
struct smbs_work;

/**
 * smbs_pipe_open - open the named pipe a CREATE on IPC$ names
 * @w: the work; its tree is a pipe tree, the name is the request's
 * @access: the access the open is granted
 * @options: CreateOptions
 * @fpp: the new open, not yet published, holding the caller's reference;
 *	 its last reference closes the pipe at the daemon
 *
 * Return: STATUS_SUCCESS; STATUS_OBJECT_NAME_INVALID for a name no pipe
 * can have, STATUS_OBJECT_NAME_NOT_FOUND for one the daemon does not
 * serve, STATUS_PIPE_NOT_AVAILABLE when the daemon is gone or did not
 * answer, or another error.
 */
__le32 smbs_pipe_open(struct smbs_work *w, u32 access, u32 options,
		      struct smbs_file **fpp);

/**
 * smbs_pipe_read - SMB2 READ on a pipe open
 * @w: the work; the READ response is built here
 * @fp: the open, a pipe
 * @len: the request's Length, already bounded by the connection's
 *	 MaxReadSize
 *
 * Returns the next message the service wrote, or what is left of it. A
 * message longer than @len is cut: its first @len bytes go out with
 * STATUS_BUFFER_OVERFLOW, the rest stays for the next READ.
 *
 * Return: STATUS_SUCCESS, STATUS_BUFFER_OVERFLOW, STATUS_PIPE_EMPTY when
 * the service has nothing to say, or an error.
 */
__le32 smbs_pipe_read(struct smbs_work *w, struct smbs_file *fp, u32 len);

/**
 * smbs_pipe_write - SMB2 WRITE on a pipe open
 * @w: the work; the WRITE response is built here
 * @fp: the open, a pipe
 * @data: the request's data in memory; empty when it is still in the
 *	  socket (@w->pdu.tail), where it is taken from
 *
 * Return: STATUS_SUCCESS or an error.
 */
__le32 smbs_pipe_write(struct smbs_work *w, struct smbs_file *fp,
		       const struct smbs_buf *data);

/**
 * smbs_pipe_transceive - FSCTL_PIPE_TRANSCEIVE: a write and a read
 * @w: the work; the IOCTL response is built here
 * @fp: the open the request names, of any kind
 * @max_out: the request's MaxOutputResponse, already bounded by the
 *	     connection's MaxTransactSize
 *
 * Writes the request's input to the pipe and answers with the message the
 * service writes back, cut to @max_out and to the room in the response
 * (STATUS_BUFFER_OVERFLOW; the rest stays for READs).
 *
 * Return: STATUS_SUCCESS, STATUS_BUFFER_OVERFLOW,
 * STATUS_INVALID_DEVICE_REQUEST when @fp is not a pipe, STATUS_PIPE_BUSY
 * when a message is still being read, or an error.
 */
__le32 smbs_pipe_transceive(struct smbs_work *w, struct smbs_file *fp,
			    u32 max_out);

/**
 * smbs_pipe_standard_info - FileStandardInformation of a pipe open
 * @s: the class, zeroed; filled in as Windows fills it for a named pipe
 */
void smbs_pipe_standard_info(struct smbs_standard_info *s);

#endif /* _SMBS_PIPE_H */
