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
static void smbd_close_attrs(struct smbd_file *fp, struct smb2_close_rsp *rsp)
{
	struct kstat st;

	if (!fp->filp || smbd_vfs_getattr(&fp->filp->f_path, &st))
		return;	/* a pipe, or no attributes: the flag stays clear */

	rsp->Flags = SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB;
	rsp->CreationTime =
		cpu_to_le64(smbd_time_to_nt(smbd_vfs_create_time(&st)));
	rsp->LastAccessTime = cpu_to_le64(smbd_time_to_nt(st.atime));
	rsp->LastWriteTime = cpu_to_le64(smbd_time_to_nt(st.mtime));
	rsp->ChangeTime = cpu_to_le64(smbd_time_to_nt(st.ctime));
	rsp->AllocationSize = cpu_to_le64(smbd_vfs_alloc_size(&st));
	rsp->EndOfFile = cpu_to_le64(smbd_vfs_end_of_file(&st));
	rsp->Attributes = smbd_vfs_dos_attrs(fp->tree, &fp->filp->f_path, &st);
}

__le32 smbd_close(struct smbd_work *w)
{
	const struct smb2_close_req *req =
		(const struct smb2_close_req *)w->pdu.hdr;
	struct smb2_close_rsp rsp_attrs = {};
	struct smb2_close_rsp *rsp;
	struct smbd_file *fp;

	fp = smbd_file_lookup(w, req->PersistentFileId, req->VolatileFileId);
	if (!fp)
		return STATUS_FILE_CLOSED;

	/* Taken before the close: delete-on-close may remove the file. */
	if (req->Flags & SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB)
		smbd_close_attrs(fp, &rsp_attrs);

	if (!smbd_file_close(w->sess, fp)) {
		smbd_file_put(fp);
		return STATUS_FILE_CLOSED;
	}
	smbd_file_put(fp);

	rsp = smbd_rsp_body(w, sizeof(*rsp));
	rsp->StructureSize = cpu_to_le16(60);
	rsp->Flags = rsp_attrs.Flags;
	memcpy(&rsp->network_open_info, &rsp_attrs.network_open_info,
	       sizeof(rsp->network_open_info));
	return STATUS_SUCCESS;
}
