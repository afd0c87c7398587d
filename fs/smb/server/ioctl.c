// SPDX-License-Identifier: GPL-2.0-only
/*
 * IOCTL (MS-SMB2 3.3.5.15): the FSCTLs the server implements.
 */
#include "server.h"

#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include "../common/smbfsctl.h"
#include "connection.h"
#include "file.h"
#include "pipe.h"
#include "session.h"
#include "smb2.h"

#define SMB2_0_IOCTL_IS_FSCTL	0x00000001

/* VALIDATE_NEGOTIATE_INFO request, MS-SMB2 2.2.31.4 */
struct smbs_vni_req {
	__le32 Capabilities;
	__u8 Guid[SMB2_CLIENT_GUID_SIZE];
	__le16 SecurityMode;
	__le16 DialectCount;
	__le16 Dialects[];
} __packed;

/* VALIDATE_NEGOTIATE_INFO response, MS-SMB2 2.2.32.6 */
struct smbs_vni_rsp {
	__le32 Capabilities;
	__u8 Guid[SMB2_CLIENT_GUID_SIZE];
	__le16 SecurityMode;
	__le16 Dialect;
} __packed;

static struct smb2_ioctl_rsp *smbs_ioctl_rsp(struct smbs_work *w,
					     const struct smb2_ioctl_req *req)
{
	struct smb2_ioctl_rsp *rsp = smbs_rsp_body(w, sizeof(*rsp));

	rsp->StructureSize = cpu_to_le16(49);
	rsp->CtlCode = req->CtlCode;
	rsp->PersistentFileId = req->PersistentFileId;
	rsp->VolatileFileId = req->VolatileFileId;
	return rsp;
}

/* Put @len bytes of output after the response, return where they go. */
static void *smbs_ioctl_out(struct smbs_work *w, struct smb2_ioctl_rsp *rsp,
			    u32 len)
{
	void *out = smbs_rsp_append(w, len);

	if (!out)
		return NULL;
	rsp->OutputOffset = cpu_to_le32(smbs_rsp_offset(w, out));
	rsp->OutputCount = cpu_to_le32(len);
	return out;
}

/*
 * The client checks that nobody tampered with the NEGOTIATE. Any mismatch
 * means an attack or a broken client: drop the connection.
 */
static __le32 smbs_validate_negotiate(struct smbs_work *w,
				      const struct smb2_ioctl_req *req)
{
	const struct smbs_buf *in = &w->pdu.var[SMBS_VAR_IOCTL_IN];
	struct smbs_conn *conn = w->conn;
	const struct smbs_vni_req *vr;
	struct smb2_ioctl_rsp *rsp;
	struct smbs_vni_rsp *out;
	struct smbs_buf list;
	u16 best = 0, d;
	u32 i;

	vr = smbs_buf_at(in, 0, sizeof(*vr));
	if (conn->dialect == SMB311_PROT_ID || !vr ||
	    le32_to_cpu(req->MaxOutputResponse) < sizeof(*out) ||
	    !smbs_buf_sub(in, sizeof(*vr),
			  le16_to_cpu(vr->DialectCount) * 2, &list))
		goto drop;
	for (i = 0; i < list.len; i += 2) {
		d = get_unaligned_le16(list.ptr + i);
		if (d <= SMB302_PROT_ID && d > best &&
		    d >= READ_ONCE(smbs_cfg.min_dialect))
			best = d;
	}
	if (best != conn->dialect ||
	    memcmp(vr->Guid, conn->client_guid, sizeof(vr->Guid)) ||
	    le16_to_cpu(vr->SecurityMode) != conn->cli_sec_mode ||
	    le32_to_cpu(vr->Capabilities) != conn->cli_caps)
		goto drop;

	rsp = smbs_ioctl_rsp(w, req);
	out = smbs_ioctl_out(w, rsp, sizeof(*out));
	out->Capabilities = cpu_to_le32(conn->srv_caps);
	memcpy(out->Guid, smbs_cfg.server_guid, sizeof(out->Guid));
	out->SecurityMode = SMB2_NEGOTIATE_SIGNING_ENABLED_LE;
	if (READ_ONCE(smbs_cfg.signing) == SMB_SERVER_SIGNING_MANDATORY)
		out->SecurityMode |= SMB2_NEGOTIATE_SIGNING_REQUIRED_LE;
	out->Dialect = cpu_to_le16(conn->dialect);
	/* MS-SMB2 3.3.5.15.12: the response is always signed. */
	w->sign_rsp = true;
	return STATUS_SUCCESS;
drop:
	pr_warn_ratelimited("%s: negotiate validation failed, disconnecting\n",
			    conn->peer);
	smbs_conn_shutdown(conn);
	return STATUS_ACCESS_DENIED;
}

/**
 * smbs_ioctl - IOCTL
 * @w: the work
 *
 * Return: the NT status of the response.
 */
__le32 smbs_ioctl(struct smbs_work *w)
{
	const struct smb2_ioctl_req *req = (const void *)w->pdu.hdr;
	struct smbs_file *fp;
	__le32 st;

	if (!(le32_to_cpu(req->Flags) & SMB2_0_IOCTL_IS_FSCTL))
		return STATUS_NOT_SUPPORTED;
	if (le32_to_cpu(req->MaxOutputResponse) > w->conn->max_trans)
		return STATUS_INVALID_PARAMETER;

	/* The two FSCTLs that name no open (MS-SMB2 3.3.5.15). */
	switch (le32_to_cpu(req->CtlCode)) {
	case FSCTL_VALIDATE_NEGOTIATE_INFO:
		return smbs_validate_negotiate(w, req);
	case FSCTL_DFS_GET_REFERRALS:
	case FSCTL_DFS_GET_REFERRALS_EX:
		/* No DFS here (MS-SMB2 3.3.5.15.2). */
		return STATUS_FS_DRIVER_REQUIRED;
	}
	/* Every other one needs its open first, known or not (as Windows). */
	fp = smbs_file_lookup(w, req->PersistentFileId, req->VolatileFileId);
	if (!fp)
		return STATUS_FILE_CLOSED;
	switch (le32_to_cpu(req->CtlCode)) {
	case FSCTL_PIPE_TRANSCEIVE:
		st = smbs_pipe_transceive(w, fp,
					  le32_to_cpu(req->MaxOutputResponse));
		break;
	default:
		smbs_dbg(PDU, "%s: FSCTL %#x not supported\n", w->conn->peer,
			 le32_to_cpu(req->CtlCode));
		st = STATUS_NOT_SUPPORTED;
		break;
	}
	smbs_file_put(fp);
	return st;
}
