// SPDX-License-Identifier: GPL-2.0-only
/*
 * NEGOTIATE (MS-SMB2 3.3.5.3 and 3.3.5.4): dialect selection, negotiate
 * contexts, and the upgrade of an SMB1 multi-protocol negotiate to SMB2.
 */
#include "server.h"

#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include "auth.h"
#include "connection.h"
#include "crypt.h"
#include "misc.h"
#include "negotiate.h"
#include "smb2.h"
#include "spnego.h"
#include "work.h"

#define SMBS_SMB2_IO_LIMIT	65536	/* 2.0.2 has no large MTU */

/* Is encryption offered at all ("smb3 encryption" not off)? */
static bool smbs_encryption_on(void)
{
	return READ_ONCE(smbs_cfg.encryption) != SMB_SERVER_ENCRYPTION_OFF;
}

static const u16 smbs_dialects[] = {
	SMB311_PROT_ID, SMB302_PROT_ID, SMB30_PROT_ID, SMB21_PROT_ID,
	SMB20_PROT_ID,
};

/* The best dialect both sides speak within the configured range. */
static u16 smbs_pick_dialect(const struct smbs_buf *list)
{
	u16 lo = READ_ONCE(smbs_cfg.min_dialect);
	u16 hi = READ_ONCE(smbs_cfg.max_dialect);
	unsigned int i;
	u32 j;

	for (i = 0; i < ARRAY_SIZE(smbs_dialects); i++) {
		u16 d = smbs_dialects[i];

		if (d < lo || d > hi)
			continue;
		for (j = 0; j + 2 <= list->len; j += 2)
			if (get_unaligned_le16(list->ptr + j) == d)
				return d;
	}
	return 0;
}

static __le32 smbs_ctx_preauth(const struct smbs_buf *data,
			       struct smbs_neg_ctx *nc)
{
	const __le16 *n = smbs_buf_at(data, 0, 4);
	struct smbs_buf algs;
	u32 i, count;

	if (!n || nc->preauth)
		return STATUS_INVALID_PARAMETER;
	count = le16_to_cpu(n[0]);
	/* HashAlgorithms, then a salt of SaltLength bytes, all inside. */
	if (!count || !smbs_buf_sub(data, 4, count * 2, &algs) ||
	    !smbs_buf_at(data, 4 + count * 2, le16_to_cpu(n[1])))
		return STATUS_INVALID_PARAMETER;
	for (i = 0; i < count; i++)
		if (get_unaligned_le16(algs.ptr + i * 2) ==
		    le16_to_cpu(SMB2_PREAUTH_INTEGRITY_SHA512))
			nc->preauth = true;
	return nc->preauth ? STATUS_SUCCESS : STATUS_SMB_NO_PREAUTH_INTEGRITY_HASH_OVERLAP;
}

static __le32 smbs_ctx_cipher(const struct smbs_buf *data,
			      struct smbs_neg_ctx *nc)
{
	const __le16 *n = smbs_buf_at(data, 0, 2);
	struct smbs_buf list;

	if (!n || nc->cipher_asked)
		return STATUS_INVALID_PARAMETER;
	if (!le16_to_cpu(*n) ||
	    !smbs_buf_sub(data, 2, le16_to_cpu(*n) * 2, &list))
		return STATUS_INVALID_PARAMETER;
	nc->cipher_asked = true;
	nc->cipher = smbs_cipher_pick(list.ptr, list.len);
	return STATUS_SUCCESS;
}

static __le32 smbs_ctx_signing(const struct smbs_buf *data,
			       struct smbs_neg_ctx *nc)
{
	static const u16 prefer[] = { SIGNING_ALG_AES_GMAC, SIGNING_ALG_AES_CMAC,
				      SIGNING_ALG_HMAC_SHA256 };
	const __le16 *n = smbs_buf_at(data, 0, 2);
	struct smbs_buf list;
	unsigned int i;
	u32 j;

	if (!n || nc->sign_asked)
		return STATUS_INVALID_PARAMETER;
	if (!le16_to_cpu(*n) ||
	    !smbs_buf_sub(data, 2, le16_to_cpu(*n) * 2, &list))
		return STATUS_INVALID_PARAMETER;
	nc->sign_asked = true;
	for (i = 0; i < ARRAY_SIZE(prefer); i++)
		for (j = 0; j < list.len; j += 2)
			if (get_unaligned_le16(list.ptr + j) == prefer[i]) {
				nc->sign_alg = prefer[i];
				return STATUS_SUCCESS;
			}
	/* No overlap: AES-CMAC, the 3.x default, is used. */
	nc->sign_alg = SIGNING_ALG_AES_CMAC;
	return STATUS_SUCCESS;
}

/* One context of the list; unknown types are skipped. */
static __le32 smbs_ctx_one(__le16 type, const struct smbs_buf *data,
			   struct smbs_neg_ctx *nc)
{
	switch (type) {
	case SMB2_PREAUTH_INTEGRITY_CAPABILITIES:
		return smbs_ctx_preauth(data, nc);
	case SMB2_ENCRYPTION_CAPABILITIES:
		return smbs_ctx_cipher(data, nc);
	case SMB2_SIGNING_CAPABILITIES:
		return smbs_ctx_signing(data, nc);
	default:
		/* Compression, netname, transport, POSIX: not used. */
		return STATUS_SUCCESS;
	}
}

/* Walk the client's negotiate context list (MS-SMB2 2.2.3.1). */
__le32 smbs_neg_parse_contexts(const struct smbs_buf *list, u32 count,
			       struct smbs_neg_ctx *nc)
{
	u32 off = 0, i;
	__le32 status;

	memset(nc, 0, sizeof(*nc));
	nc->sign_alg = SIGNING_ALG_AES_CMAC;
	if (!count || !list->len)
		return STATUS_INVALID_PARAMETER;
	for (i = 0; i < count; i++) {
		const struct smb2_neg_context *c;
		struct smbs_buf data;

		off = ALIGN(off, 8);
		c = smbs_buf_at(list, off, sizeof(*c));
		if (!c || !smbs_buf_sub(list, off + sizeof(*c),
					le16_to_cpu(c->DataLength), &data))
			return STATUS_INVALID_PARAMETER;
		status = smbs_ctx_one(c->ContextType, &data, nc);
		if (status != STATUS_SUCCESS)
			return status;
		off += sizeof(*c) + data.len;
	}
	return nc->preauth ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}

static __le32 smbs_parse_contexts(struct smbs_work *w, struct smbs_neg_ctx *nc)
{
	const struct smb2_negotiate_req *req = (const void *)w->pdu.hdr;

	return smbs_neg_parse_contexts(&w->pdu.var[SMBS_VAR_NEG_CONTEXTS],
				       le16_to_cpu(req->NegotiateContextCount),
				       nc);
}

/* Append one response context, 8-byte aligned from the header. */
static void *smbs_add_context(struct smbs_work *w, __le16 type, u32 data_len)
{
	u32 pad = ALIGN(smbs_rsp_offset(w, smbs_rsp_end(w)), 8) -
		  smbs_rsp_offset(w, smbs_rsp_end(w));
	struct smb2_neg_context *c;

	if (!smbs_rsp_append(w, pad))
		return NULL;
	c = smbs_rsp_append(w, sizeof(*c) + data_len);
	if (!c)
		return NULL;
	c->ContextType = type;
	c->DataLength = cpu_to_le16(data_len);
	return c;
}

static u16 smbs_add_contexts(struct smbs_work *w, const struct smbs_neg_ctx *nc)
{
	struct smb2_preauth_neg_context *pa;
	struct smb2_encryption_neg_context *enc;
	struct smb2_signing_capabilities *sig;
	u16 n = 0;

	pa = smbs_add_context(w, SMB2_PREAUTH_INTEGRITY_CAPABILITIES,
			      6 + SMB311_SALT_SIZE);
	if (!pa)
		return 0;
	pa->HashAlgorithmCount = cpu_to_le16(1);
	pa->SaltLength = cpu_to_le16(SMB311_SALT_SIZE);
	pa->HashAlgorithms = SMB2_PREAUTH_INTEGRITY_SHA512;
	get_random_bytes(pa->Salt, SMB311_SALT_SIZE);
	n++;
	if (nc->cipher_asked) {
		enc = smbs_add_context(w, SMB2_ENCRYPTION_CAPABILITIES, 4);
		if (!enc)
			return n;
		enc->CipherCount = cpu_to_le16(1);
		enc->Ciphers[0] = nc->cipher;
		n++;
	}
	if (nc->sign_asked) {
		sig = smbs_add_context(w, SMB2_SIGNING_CAPABILITIES, 4);
		if (!sig)
			return n;
		sig->SigningAlgorithmCount = cpu_to_le16(1);
		sig->SigningAlgorithms[0] = cpu_to_le16(nc->sign_alg);
		n++;
	}
	return n;
}

/* Fill the response for @dialect (0x02FF for an SMB1 upgrade). */
static __le32 smbs_negotiate_rsp(struct smbs_work *w, u16 dialect,
				 const struct smbs_neg_ctx *nc)
{
	struct smbs_conn *conn = w->conn;
	struct smb2_negotiate_rsp *rsp;
	u32 io = READ_ONCE(smbs_cfg.max_trans);
	u8 *blob;
	int len;

	rsp = smbs_rsp_body(w, sizeof(*rsp));
	rsp->StructureSize = cpu_to_le16(65);
	rsp->SecurityMode = SMB2_NEGOTIATE_SIGNING_ENABLED_LE;
	if (READ_ONCE(smbs_cfg.signing) == SMB_SERVER_SIGNING_MANDATORY)
		rsp->SecurityMode |= SMB2_NEGOTIATE_SIGNING_REQUIRED_LE;
	rsp->DialectRevision = cpu_to_le16(dialect);
	memcpy(rsp->ServerGUID, smbs_cfg.server_guid, sizeof(rsp->ServerGUID));
	rsp->Capabilities = cpu_to_le32(conn->srv_caps);
	if (dialect == SMB20_PROT_ID || dialect == SMB2X_PROT_ID)
		io = min_t(u32, io, SMBS_SMB2_IO_LIMIT);
	rsp->MaxTransactSize = cpu_to_le32(min(io, conn->max_trans));
	rsp->MaxReadSize = cpu_to_le32(conn->max_read);
	rsp->MaxWriteSize = cpu_to_le32(conn->max_write);
	rsp->SystemTime = cpu_to_le64(smbs_nt_now());
	rsp->ServerStartTime = 0;

	len = smbs_spnego_negotiate_blob(NULL, 0);
	blob = len > 0 ? smbs_rsp_append(w, len) : NULL;
	if (!blob || smbs_spnego_negotiate_blob(blob, len) != len)
		return STATUS_INTERNAL_ERROR;
	rsp->SecurityBufferOffset = cpu_to_le16(smbs_rsp_offset(w, blob));
	rsp->SecurityBufferLength = cpu_to_le16(len);

	if (dialect == SMB311_PROT_ID) {
		u32 off = ALIGN(smbs_rsp_offset(w, blob) + len, 8);

		rsp->NegotiateContextOffset = cpu_to_le32(off);
		rsp->NegotiateContextCount = cpu_to_le16(smbs_add_contexts(w, nc));
	}
	return STATUS_SUCCESS;
}

static void smbs_conn_set_limits(struct smbs_conn *conn, u16 dialect)
{
	u32 lim = dialect == SMB20_PROT_ID || dialect == SMB2X_PROT_ID ?
		  SMBS_SMB2_IO_LIMIT : SMBS_MAX_IO_SIZE;

	conn->max_read = min(READ_ONCE(smbs_cfg.max_read), lim);
	conn->max_write = min(READ_ONCE(smbs_cfg.max_write), lim);
	conn->max_trans = min(READ_ONCE(smbs_cfg.max_trans), lim);
	conn->srv_caps = 0;
	if (dialect != SMB20_PROT_ID && dialect != SMB2X_PROT_ID)
		conn->srv_caps |= SMB2_GLOBAL_CAP_LARGE_MTU;
}

/**
 * smbs_negotiate - NEGOTIATE
 * @w: the work
 *
 * Return: the NT status of the response.
 */
__le32 smbs_negotiate(struct smbs_work *w)
{
	const struct smb2_negotiate_req *req = (const void *)w->pdu.hdr;
	struct smbs_conn *conn = w->conn;
	struct smbs_neg_ctx nc = {};
	struct kvec iov;
	__le32 status;
	u16 dialect;

	if (!w->pdu.var[SMBS_VAR_NEG_DIALECTS].len)
		return STATUS_INVALID_PARAMETER;
	dialect = smbs_pick_dialect(&w->pdu.var[SMBS_VAR_NEG_DIALECTS]);
	if (!dialect)
		return STATUS_NOT_SUPPORTED;
	if (dialect == SMB311_PROT_ID) {
		status = smbs_parse_contexts(w, &nc);
		if (status != STATUS_SUCCESS)
			return status;
		/* hash = SHA-512(zeroes || NEGOTIATE request) */
		memset(conn->preauth_hash, 0, sizeof(conn->preauth_hash));
		iov.iov_base = (void *)w->pdu.hdr;
		iov.iov_len = w->pdu.len;
		if (smbs_preauth_update(conn->preauth_hash, &iov, 1))
			return STATUS_INTERNAL_ERROR;
		/* With encryption off, no cipher is common (MS-SMB2 3.3.5.4). */
		if (!smbs_encryption_on())
			nc.cipher = 0;
		conn->cipher = nc.cipher;
		conn->sign_alg = nc.sign_alg;
	}
	conn->dialect = dialect;
	conn->cli_caps = le32_to_cpu(req->Capabilities);
	/* 3.0 and 3.0.2 say it with a capability, and use AES-128-CCM. */
	if ((dialect == SMB30_PROT_ID || dialect == SMB302_PROT_ID) &&
	    (conn->cli_caps & SMB2_GLOBAL_CAP_ENCRYPTION) &&
	    smbs_encryption_on())
		conn->cipher = SMB2_ENCRYPTION_AES128_CCM;
	conn->cli_sec_mode = le16_to_cpu(req->SecurityMode);
	memcpy(conn->client_guid, req->ClientGUID, sizeof(conn->client_guid));
	conn->sign_required =
		(conn->cli_sec_mode & SMB2_NEGOTIATE_SIGNING_REQUIRED) ||
		READ_ONCE(smbs_cfg.signing) == SMB_SERVER_SIGNING_MANDATORY;
	smbs_conn_set_limits(conn, dialect);
	if (conn->cipher && dialect != SMB311_PROT_ID)
		conn->srv_caps |= SMB2_GLOBAL_CAP_ENCRYPTION;

	status = smbs_negotiate_rsp(w, dialect, &nc);
	if (status == STATUS_SUCCESS) {
		spin_lock(&conn->lock);
		if (conn->state == SMBS_CONN_NEW)
			WRITE_ONCE(conn->state, SMBS_CONN_GOOD);
		spin_unlock(&conn->lock);
		smbs_dbg(CONN, "%s: dialect %#x\n", conn->peer, dialect);
	}
	return status;
}

/**
 * smbs_negotiate_done - fold the NEGOTIATE response into the preauth hash
 * @w: the work
 */
void smbs_negotiate_done(struct smbs_work *w)
{
	struct kvec iov;

	if (w->conn->dialect != SMB311_PROT_ID ||
	    smbs_rsp_hdr(w)->Status != STATUS_SUCCESS)
		return;
	iov.iov_base = smbs_rsp_hdr(w);
	iov.iov_len = w->cur->len;
	if (smbs_preauth_update(w->conn->preauth_hash, &iov, 1))
		smbs_conn_shutdown(w->conn);
}

/* Does the SMB1 NEGOTIATE offer @name among its dialect strings? */
static bool smbs_smb1_offers(const u8 *p, u32 len, const char *name)
{
	size_t n = strlen(name);
	u32 i = 0;

	while (i < len) {
		const u8 *end;

		if (p[i] != 0x02)	/* BufferFormat: dialect string */
			return false;
		end = memchr(p + i + 1, 0, len - i - 1);
		if (!end)
			return false;
		if (end - (p + i + 1) == n && !memcmp(p + i + 1, name, n))
			return true;
		i = end - p + 1;
	}
	return false;
}

#define SMBS_SMB1_HDR_SIZE	32

/**
 * smbs_smb1_negotiate - answer an SMB1 NEGOTIATE in SMB2 (MS-SMB2 3.3.5.3.1)
 * @w: the work; its message is the SMB1 NEGOTIATE and its response has
 *     been started with an SMB2 NEGOTIATE header
 *
 * SMB1 itself is not served: without an SMB2 dialect string the connection
 * is dropped.
 *
 * Return: 0 when the response is ready to send, -EPROTO to drop the
 * connection.
 */
int smbs_smb1_negotiate(struct smbs_work *w)
{
	struct smbs_conn *conn = w->conn;
	const u8 *msg = w->msg, *p;
	struct smbs_neg_ctx nc = {};
	u32 len = w->msg_len;
	u16 dialect, bcc;

	/* Header, WordCount 0, ByteCount, then the dialect strings. */
	if (len < SMBS_SMB1_HDR_SIZE + 3 || msg[4] != 0x72 ||
	    msg[SMBS_SMB1_HDR_SIZE] != 0)
		goto drop;
	bcc = get_unaligned_le16(msg + SMBS_SMB1_HDR_SIZE + 1);
	p = msg + SMBS_SMB1_HDR_SIZE + 3;
	if (bcc > len - SMBS_SMB1_HDR_SIZE - 3)
		goto drop;
	if (smbs_smb1_offers(p, bcc, "SMB 2.???") &&
	    READ_ONCE(smbs_cfg.max_dialect) > SMB20_PROT_ID)
		dialect = SMB2X_PROT_ID;
	else if (smbs_smb1_offers(p, bcc, "SMB 2.002") &&
		 READ_ONCE(smbs_cfg.min_dialect) <= SMB20_PROT_ID)
		dialect = SMB20_PROT_ID;
	else
		goto drop;

	smbs_rsp_hdr(w)->CreditRequest = cpu_to_le16(1);
	smbs_conn_set_limits(conn, dialect);
	if (smbs_negotiate_rsp(w, dialect, &nc) != STATUS_SUCCESS)
		return -EPROTO;
	spin_lock(&conn->lock);
	if (dialect == SMB20_PROT_ID) {
		conn->dialect = dialect;
		WRITE_ONCE(conn->state, SMBS_CONN_GOOD);
	}
	/* The SMB1 request used message id 0 (MS-SMB2 3.2.5.2). */
	conn->seq_lo = 1;
	spin_unlock(&conn->lock);
	return 0;
drop:
	smbs_dbg(CONN, "%s: SMB1 negotiate without SMB2 dialects\n", conn->peer);
	return -EPROTO;
}

/**
 * smbs_echo - ECHO (MS-SMB2 3.3.5.4)
 * @w: the work
 *
 * Return: STATUS_SUCCESS.
 */
__le32 smbs_echo(struct smbs_work *w)
{
	struct smb2_echo_rsp *rsp = smbs_rsp_body(w, sizeof(*rsp));

	rsp->StructureSize = cpu_to_le16(4);
	return STATUS_SUCCESS;
}
