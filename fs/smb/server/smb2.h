/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SMB2 command handlers. Each takes the work with the current request
 * checked by the PDU reader (w->pdu), w->sess and w->tree looked up as the
 * command requires, and returns the NT status for the response header. A
 * handler that calls smbd_rsp_body() answers with that body whatever the
 * status; otherwise the dispatcher builds an error response.
 */
#ifndef _SMBD_SMB2_H
#define _SMBD_SMB2_H

#include <linux/types.h>
#include "../common/smb2pdu.h"
#include "../common/smb2status.h"
#include "work.h"

__le32 smbd_negotiate(struct smbd_work *w);		/* negotiate.c */
__le32 smbd_session_setup(struct smbd_work *w);		/* session_setup.c */
__le32 smbd_logoff(struct smbd_work *w);		/* session_setup.c */
__le32 smbd_tree_connect(struct smbd_work *w);		/* tree.c */
__le32 smbd_tree_disconnect(struct smbd_work *w);	/* tree.c */
__le32 smbd_create(struct smbd_work *w);		/* create.c */
__le32 smbd_close(struct smbd_work *w);			/* close.c */
__le32 smbd_flush(struct smbd_work *w);			/* read_write.c */
__le32 smbd_read(struct smbd_work *w);			/* read_write.c */
__le32 smbd_write(struct smbd_work *w);			/* read_write.c */
__le32 smbd_lock(struct smbd_work *w);			/* lock.c */
__le32 smbd_ioctl(struct smbd_work *w);			/* ioctl.c */
__le32 smbd_echo(struct smbd_work *w);			/* negotiate.c */
__le32 smbd_query_directory(struct smbd_work *w);	/* query_dir.c */
__le32 smbd_query_info(struct smbd_work *w);		/* info_query.c */
__le32 smbd_set_info(struct smbd_work *w);		/* info_set.c */

/*
 * Called once the response of the current request is complete (header
 * filled in, not yet signed), for the preauth integrity hash.
 */
void smbd_negotiate_done(struct smbd_work *w);
void smbd_session_setup_done(struct smbd_work *w);

/* SMB1 NEGOTIATE from an SMB2-capable client: answer in SMB2 (negotiate.c). */
int smbd_smb1_negotiate(struct smbd_work *w);

#endif /* _SMBD_SMB2_H */
