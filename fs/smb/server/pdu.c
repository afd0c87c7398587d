// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PDU reader.
 *
 * Every SMB2 request is checked here, once, before its handler runs: the
 * header, the command's structure size and each variable field a command
 * carries (an offset/length pair, or a count of fixed-size entries). The
 * layout of each command is data in the command table (command.c);
 * handlers receive the fields as checked slices and never see a raw
 * offset.
 */
#include "server.h"

#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/unaligned.h>
#include "../common/smb2status.h"
#include "command.h"
#include "pdu.h"

#define SMBS_HDR_SIZE	sizeof(struct smb2_hdr)

int smbs_pdu_next(const u8 *buf, u32 len, u32 *off, u32 *elen)
{
	const struct smb2_hdr *hdr;
	u32 next;

	if (*off == len)
		return 0;
	if (*off > len || len - *off < SMBS_HDR_SIZE)
		return -EINVAL;
	hdr = (const struct smb2_hdr *)(buf + *off);
	if (hdr->ProtocolId != SMB2_PROTO_NUMBER ||
	    hdr->StructureSize != SMB2_HEADER_STRUCTURE_SIZE)
		return -EINVAL;
	next = le32_to_cpu(hdr->NextCommand);
	if (!next) {
		*elen = len - *off;
		return 1;
	}
	if (next & 7 || next < SMBS_HDR_SIZE || next > len - *off)
		return -EINVAL;
	*elen = next;
	return 1;
}

static u32 smbs_get(const u8 *body, u8 pos, unsigned int width)
{
	return width == 2 ? get_unaligned_le16(body + pos) :
			    get_unaligned_le32(body + pos);
}

/*
 * Check one variable field; offsets count from the SMB2 header. A field
 * that may be a tail and is exactly the @tail bytes after @len sets
 * *@in_tail and gets an empty slice.
 */
static bool smbs_pdu_var(const struct smbs_var_layout *vl, const u8 *elem,
			 u32 len, u32 tail, u32 fixed_end, struct smbs_buf *out,
			 bool *in_tail)
{
	const u8 *body = elem + SMBS_HDR_SIZE;
	u32 off, n;

	out->ptr = NULL;
	out->len = 0;
	switch (vl->kind) {
	case SMBS_VK_NONE:
		return true;
	case SMBS_VK_ARRAY16:
		off = SMBS_HDR_SIZE + vl->off_pos;
		n = smbs_get(body, vl->len_pos, 2) * vl->unit;
		break;
	case SMBS_VK_OFF16_LEN16:
		off = smbs_get(body, vl->off_pos, 2);
		n = smbs_get(body, vl->len_pos, 2);
		break;
	case SMBS_VK_OFF16_LEN32:
		off = smbs_get(body, vl->off_pos, 2);
		n = smbs_get(body, vl->len_pos, 4);
		break;
	case SMBS_VK_OFF32_LEN32:
		off = smbs_get(body, vl->off_pos, 4);
		n = smbs_get(body, vl->len_pos, 4);
		break;
	case SMBS_VK_TAIL32:
		off = smbs_get(body, vl->off_pos, 4);
		if (off < fixed_end || off >= len)
			return true;	/* absent; the handler decides */
		n = len - off;
		break;
	default:
		return false;
	}
	if (!n)
		return true;
	if (vl->kind != SMBS_VK_ARRAY16 && off < fixed_end)
		return false;
	if (tail && vl->tail && off == len && n == tail) {
		*in_tail = true;
		return true;
	}
	if (off > len || n > len - off)
		return false;
	out->ptr = elem + off;
	out->len = n;
	return true;
}

__le32 smbs_pdu_parse_tail(const u8 *elem, u32 len, u32 tail,
			   struct smbs_pdu *pdu)
{
	const struct smb2_hdr *hdr = (const struct smb2_hdr *)elem;
	const struct smbs_command *l;
	bool in_tail = false;
	u16 size;
	u32 fixed_end;
	int i;

	memset(pdu, 0, sizeof(*pdu));
	l = smbs_command(le16_to_cpu(hdr->Command));
	if (!l)
		return STATUS_INVALID_PARAMETER;
	if (len < SMBS_HDR_SIZE + 2)
		return STATUS_INVALID_PARAMETER;
	size = get_unaligned_le16(elem + SMBS_HDR_SIZE);
	if (size != l->size && (!l->alt_size || size != l->alt_size))
		return STATUS_INVALID_PARAMETER;
	/* An odd StructureSize counts the first byte of the buffer. */
	fixed_end = SMBS_HDR_SIZE + (size & ~1U);
	if (len < fixed_end)
		return STATUS_INVALID_PARAMETER;
	/* Arrays at a fixed place may start inside the structure. */
	for (i = 0; i < SMBS_PDU_MAX_VAR; i++)
		if (!smbs_pdu_var(&l->var[i], elem, len, tail, fixed_end,
				  &pdu->var[i], &in_tail))
			return STATUS_INVALID_PARAMETER;
	if (tail && !in_tail)
		return STATUS_INVALID_PARAMETER;
	pdu->hdr = hdr;
	pdu->body = elem + SMBS_HDR_SIZE;
	pdu->len = len;
	pdu->tail = tail;
	return STATUS_SUCCESS;
}

__le32 smbs_pdu_parse(const u8 *elem, u32 len, struct smbs_pdu *pdu)
{
	return smbs_pdu_parse_tail(elem, len, 0, pdu);
}

bool smbs_pdu_write_streamable(const u8 *head, u32 msg_len)
{
	const struct smb2_hdr *hdr = (const struct smb2_hdr *)head;
	const struct smb2_write_req *req = (const struct smb2_write_req *)head;

	BUILD_BUG_ON(SMBS_PDU_WRITE_HEAD !=
		     offsetof(struct smb2_write_req, Buffer));
	if (msg_len <= SMBS_PDU_WRITE_HEAD ||
	    hdr->ProtocolId != SMB2_PROTO_NUMBER ||
	    hdr->StructureSize != SMB2_HEADER_STRUCTURE_SIZE ||
	    hdr->Command != SMB2_WRITE || hdr->NextCommand ||
	    (hdr->Flags & (SMB2_FLAGS_SIGNED | SMB2_FLAGS_SERVER_TO_REDIR)))
		return false;
	return le16_to_cpu(req->StructureSize) == 49 &&
	       le16_to_cpu(req->DataOffset) == SMBS_PDU_WRITE_HEAD &&
	       le32_to_cpu(req->Length) == msg_len - SMBS_PDU_WRITE_HEAD &&
	       !req->WriteChannelInfoLength;
}

u32 smbs_pdu_rsp_size(const struct smbs_pdu *pdu, u32 max_out)
{
	const struct smbs_command *l;
	u32 n;

	if (!pdu->hdr)
		return SMBS_RSP_ERR_SIZE;
	l = smbs_command(le16_to_cpu(pdu->hdr->Command));
	if (!l)
		return SMBS_RSP_ERR_SIZE;
	n = max_t(u32, l->rsp_size, SMBS_RSP_ERR_SIZE);
	if (l->out_pos)
		n += min(smbs_get(pdu->body, l->out_pos, 4), max_out);
	return ALIGN(n, 8);
}
