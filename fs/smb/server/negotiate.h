/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * NEGOTIATE: the parser of the client's negotiate contexts (SMB 3.1.1),
 * exposed for the unit tests.
 */
#ifndef _SMBS_NEGOTIATE_H
#define _SMBS_NEGOTIATE_H

#include <linux/types.h>
#include <asm/byteorder.h>
#include "pdu.h"

/* MS-ERREF 2.3.1; not in the common status list */
#define STATUS_SMB_NO_PREAUTH_INTEGRITY_HASH_OVERLAP cpu_to_le32(0xC05D0000)

/**
 * struct smbs_neg_ctx - what the client's negotiate contexts asked for
 * @preauth: a usable PREAUTH_INTEGRITY_CAPABILITIES context was seen
 * @cipher_asked: an ENCRYPTION_CAPABILITIES context was seen
 * @sign_asked: a SIGNING_CAPABILITIES context was seen
 * @cipher: the cipher chosen, 0 for none
 * @sign_alg: the signing algorithm chosen
 */
struct smbs_neg_ctx {
	bool preauth;
	bool cipher_asked;
	bool sign_asked;
	__le16 cipher;
	u16 sign_alg;
};

/**
 * smbs_neg_parse_contexts - walk a NEGOTIATE request's context list
 * @list: the checked negotiate context list (from NegotiateContextOffset)
 * @count: NegotiateContextCount
 * @nc: the result; need not be initialised
 *
 * Each context starts 8-byte aligned from the start of @list; the last one
 * needs no padding (MS-SMB2 2.2.3.1). Unknown context types are skipped;
 * exactly one PREAUTH_INTEGRITY_CAPABILITIES context offering SHA-512 is
 * required, and a second preauth, encryption or signing context is
 * refused (MS-SMB2 3.3.5.4).
 *
 * Return: STATUS_SUCCESS, STATUS_SMB_NO_PREAUTH_INTEGRITY_HASH_OVERLAP, or
 * STATUS_INVALID_PARAMETER for a malformed, incomplete or repeated context.
 */
__le32 smbs_neg_parse_contexts(const struct smbs_buf *list, u32 count,
			       struct smbs_neg_ctx *nc);

#endif /* _SMBS_NEGOTIATE_H */
