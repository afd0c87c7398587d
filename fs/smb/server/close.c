// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMB2 CLOSE (MS-SMB2 3.3.5.10).
 */
#include "server.h"

#include <linux/fs.h>

#include "file.h"
#include "misc.h"
#include "smb2.h"
#include "vfs.h"

/* The attributes a CLOSE with SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB returns. */
static void smbs_close_attrs(struct smbs_file *fp, struct smb2_close_rsp *rsp)
{
	struct kstat st;

	if (!fp->filp || smbs_vfs_getattr(&fp->filp->f_path, &st))
		return;	/* a pipe, or no attributes: the flag stays clear */

	rsp->Flags = SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB;
	rsp->CreationTime =
		cpu_to_le64(smbs_time_to_nt(smbs_vfs_create_time(&st)));
	rsp->LastAccessTime = cpu_to_le64(smbs_time_to_nt(st.atime));
	rsp->LastWriteTime = cpu_to_le64(smbs_time_to_nt(st.mtime));
	rsp->ChangeTime = cpu_to_le64(smbs_time_to_nt(st.ctime));
	rsp->AllocationSize = cpu_to_le64(smbs_vfs_alloc_size(&st));
	rsp->EndOfFile = cpu_to_le64(smbs_vfs_end_of_file(&st));
	rsp->Attributes = smbs_vfs_dos_attrs(fp->tree, &fp->filp->f_path, &st);
}

__le32 smbs_close(struct smbs_work *w)
{
	const struct smb2_close_req *req =
		(const struct smb2_close_req *)w->pdu.hdr;
	struct smb2_close_rsp rsp_attrs = {};
	struct smb2_close_rsp *rsp;
	struct smbs_file *fp;

	fp = smbs_file_lookup(w, req->PersistentFileId, req->VolatileFileId);
	if (!fp)
		return STATUS_FILE_CLOSED;

	/* Taken before the close: delete-on-close may remove the file. */
	if (req->Flags & SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB)
		smbs_close_attrs(fp, &rsp_attrs);

	if (!smbs_file_close(w->sess, fp)) {
		smbs_file_put(fp);
		return STATUS_FILE_CLOSED;
	}
	smbs_file_put(fp);

	rsp = smbs_rsp_body(w, sizeof(*rsp));
	rsp->StructureSize = cpu_to_le16(60);
	rsp->Flags = rsp_attrs.Flags;
	memcpy(&rsp->network_open_info, &rsp_attrs.network_open_info,
	       sizeof(rsp->network_open_info));
	return STATUS_SUCCESS;
}
