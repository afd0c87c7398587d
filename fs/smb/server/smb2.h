/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SMB2 command handlers. Each takes the work with the current request
 * checked by the PDU reader (w->pdu), w->sess and w->tree looked up as the
 * command requires, and returns the NT status for the response header. A
 * handler that calls smbs_rsp_body() answers with that body whatever the
 * status; otherwise the dispatcher builds an error response.
 */
#ifndef _SMBS_SMB2_H
#define _SMBS_SMB2_H

#include <linux/types.h>
#include "../common/smb2pdu.h"
#include "../common/smb2status.h"
#include "work.h"

__le32 smbs_negotiate(struct smbs_work *w);		/* negotiate.c */
__le32 smbs_session_setup(struct smbs_work *w);		/* session_setup.c */
__le32 smbs_logoff(struct smbs_work *w);		/* session_setup.c */
__le32 smbs_tree_connect(struct smbs_work *w);		/* tree.c */
__le32 smbs_tree_disconnect(struct smbs_work *w);	/* tree.c */
__le32 smbs_create(struct smbs_work *w);		/* create.c */
__le32 smbs_close(struct smbs_work *w);			/* close.c */
__le32 smbs_flush(struct smbs_work *w);			/* read_write.c */
__le32 smbs_read(struct smbs_work *w);			/* read_write.c */
__le32 smbs_write(struct smbs_work *w);			/* read_write.c */
__le32 smbs_lock(struct smbs_work *w);			/* lock.c */
__le32 smbs_ioctl(struct smbs_work *w);			/* ioctl.c */
__le32 smbs_echo(struct smbs_work *w);			/* negotiate.c */
__le32 smbs_query_directory(struct smbs_work *w);	/* query_dir.c */
__le32 smbs_query_info(struct smbs_work *w);		/* info_query.c */
__le32 smbs_set_info(struct smbs_work *w);		/* info_set.c */

/*
 * Called once the response of the current request is complete (header
 * filled in, not yet signed), for the preauth integrity hash.
 */
void smbs_negotiate_done(struct smbs_work *w);
void smbs_session_setup_done(struct smbs_work *w);

/* SMB1 NEGOTIATE from an SMB2-capable client: answer in SMB2 (negotiate.c). */
int smbs_smb1_negotiate(struct smbs_work *w);

#endif /* _SMBS_SMB2_H */
