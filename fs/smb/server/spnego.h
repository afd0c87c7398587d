/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SPNEGO (RFC 4178, MS-SPNG) tokens: a small DER reader and writer for
 * the few structures SESSION_SETUP carries.
 */
#ifndef _SMBS_SPNEGO_H
#define _SMBS_SPNEGO_H

#include <linux/types.h>
#include "pdu.h"

/* Deepest nesting of constructed DER values we accept. */
#define SMBS_DER_MAX_DEPTH	8

/* negState of a NegTokenResp (RFC 4178 4.2.2) */
#define SMBS_SPNEGO_ACCEPT_COMPLETED	0
#define SMBS_SPNEGO_ACCEPT_INCOMPLETE	1
#define SMBS_SPNEGO_REJECT		2
#define SMBS_SPNEGO_REQUEST_MIC		3

/**
 * struct smbs_spnego_token - what a client's SPNEGO token holds
 * @init: a NegTokenInit (else a NegTokenResp)
 * @ntlm_offered: NTLMSSP is in the NegTokenInit's mechTypes
 * @ntlm_first: ... and it is the client's preferred mechanism, so the
 *		optimistic mechToken, if any, is an NTLMSSP message
 * @neg_state: negState of a NegTokenResp, -1 when absent
 * @mech_token: mechToken (NegTokenInit) or responseToken (NegTokenResp)
 * @mech_types: the DER MechTypeList of a NegTokenInit, whole
 * @mic: mechListMIC of a NegTokenResp
 */
struct smbs_spnego_token {
	bool init;
	bool ntlm_offered;
	bool ntlm_first;
	int neg_state;
	struct smbs_buf mech_token;
	struct smbs_buf mech_types;
	struct smbs_buf mic;
};

/**
 * smbs_der_next - read one DER value
 * @d: cursor over the remaining bytes; advanced past the value
 * @tag: the value's identifier octet
 * @content: the value's contents
 *
 * Only single-octet tags and definite lengths of up to four octets are
 * accepted; the contents must lie inside @d.
 *
 * Return: 0 or -EINVAL.
 */
int smbs_der_next(struct smbs_buf *d, u8 *tag, struct smbs_buf *content);

/**
 * smbs_der_validate - check that a buffer is a well-formed DER sequence
 * @buf: the bytes
 * @len: their number
 *
 * Walks every value, descending into constructed ones, at most
 * %SMBS_DER_MAX_DEPTH levels deep.
 *
 * Return: 0 or -EINVAL.
 */
int smbs_der_validate(const u8 *buf, u32 len);

/**
 * smbs_spnego_parse - decode a client's SPNEGO token
 * @buf: the security blob
 * @len: its length
 * @tok: the result; its slices point into @buf
 *
 * Return: 0, or -EINVAL for a malformed token.
 */
int smbs_spnego_parse(const u8 *buf, u32 len, struct smbs_spnego_token *tok);

/**
 * smbs_spnego_negotiate_blob - the server's initial SPNEGO token
 * @buf: where to write it, or NULL to only compute the length
 * @room: bytes available at @buf
 *
 * Writes a NegTokenInit2 (MS-SPNG 2.2.1) offering NTLMSSP, with the
 * negHints placeholder Windows servers send, for the NEGOTIATE response.
 *
 * Return: the token's length, or -ENOSPC.
 */
int smbs_spnego_negotiate_blob(void *buf, u32 room);

/**
 * smbs_spnego_resp - write a NegTokenResp
 * @buf: where to write it, or NULL to only compute the length
 * @room: bytes available at @buf
 * @neg_state: SMBS_SPNEGO_*
 * @ntlm_mech: include supportedMech = NTLMSSP
 * @tok: responseToken, or NULL for none
 * @tok_len: its length
 *
 * Return: the token's length, or -ENOSPC.
 */
int smbs_spnego_resp(void *buf, u32 room, u8 neg_state, bool ntlm_mech,
		     const void *tok, u32 tok_len);

/**
 * smbs_spnego_resp_mic - write a NegTokenResp with a mechListMIC
 * @buf: where to write it, or NULL to only compute the length
 * @room: bytes available at @buf
 * @neg_state: SMBS_SPNEGO_*
 * @ntlm_mech: include supportedMech = NTLMSSP
 * @tok: responseToken, or NULL for none
 * @tok_len: its length
 * @mic: mechListMIC, or NULL for none
 * @mic_len: its length
 *
 * Return: the token's length, or -ENOSPC.
 */
int smbs_spnego_resp_mic(void *buf, u32 room, u8 neg_state, bool ntlm_mech,
			 const void *tok, u32 tok_len, const void *mic,
			 u32 mic_len);

#endif /* _SMBS_SPNEGO_H */
