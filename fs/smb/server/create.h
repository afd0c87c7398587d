/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CREATE: the walk over the client's create context chain, exposed for the
 * unit tests.
 */
#ifndef _SMBS_CREATE_H
#define _SMBS_CREATE_H

#include <linux/types.h>
#include "pdu.h"

/**
 * struct smbs_create_ctxs - what the request's create contexts ask for
 * @want_mxac: answer an SMB2_CREATE_QUERY_MAXIMAL_ACCESS context
 * @want_qfid: answer an SMB2_CREATE_QUERY_ON_DISK_ID context
 * @mxac_ts: the client's time stamp for MxAc, 0 if none
 */
struct smbs_create_ctxs {
	bool want_mxac;
	bool want_qfid;
	u64 mxac_ts;
};

/**
 * smbs_create_ctx_walk - walk a create context chain (MS-SMB2 2.2.13.2)
 * @list: the checked CreateContexts buffer
 * @fn: called for each context with its name and data, both inside the
 *	context; a status other than STATUS_SUCCESS ends the walk
 * @arg: passed to @fn
 *
 * Next must be 0 (the last context, which runs to the end of @list) or a
 * multiple of 8 that is at least a context header and stays inside @list.
 * The name must be non-empty, and name and data must lie past the header
 * and inside their context. An empty @list holds no context.
 *
 * Return: STATUS_SUCCESS, STATUS_INVALID_PARAMETER for a malformed chain,
 * or the first failure of @fn.
 */
__le32 smbs_create_ctx_walk(const struct smbs_buf *list,
			    __le32 (*fn)(void *arg, const struct smbs_buf *name,
					 const struct smbs_buf *data),
			    void *arg);

/**
 * smbs_create_parse_ctx - read the create contexts the server acts on
 * @list: the checked CreateContexts buffer
 * @out: the result; need not be initialised
 *
 * Contexts the server does not implement, and those named by a GUID, are
 * skipped.
 *
 * Return: STATUS_SUCCESS or STATUS_INVALID_PARAMETER.
 */
__le32 smbs_create_parse_ctx(const struct smbs_buf *list,
			     struct smbs_create_ctxs *out);

#endif /* _SMBS_CREATE_H */
