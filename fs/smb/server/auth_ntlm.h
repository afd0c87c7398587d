/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * NTLMSSP (MS-NLMP) for SESSION_SETUP, and the hashing and key derivation
 * helpers of keys.c. Internal to the authentication code and its tests.
 */
#ifndef _SMBS_AUTH_NTLM_H
#define _SMBS_AUTH_NTLM_H

#include <linux/types.h>
#include <linux/uio.h>
#include "pdu.h"

struct crypto_shash;
struct smbs_conn;
struct smbs_session;
struct smbs_user;

/* "NTLMSSP\0", the first 8 bytes of every message */
#define SMBS_NTLM_SIGNATURE	"NTLMSSP"
#define SMBS_NTLM_SIG_LEN	8

/* MessageType */
#define SMBS_NTLM_NEGOTIATE	1
#define SMBS_NTLM_CHALLENGE	2
#define SMBS_NTLM_AUTHENTICATE	3

/* NegotiateFlags, MS-NLMP 2.2.2.5 */
#define SMBS_NTLM_UNICODE		0x00000001
#define SMBS_NTLM_OEM			0x00000002
#define SMBS_NTLM_REQUEST_TARGET	0x00000004
#define SMBS_NTLM_SIGN			0x00000010
#define SMBS_NTLM_SEAL			0x00000020
#define SMBS_NTLM_LM_KEY		0x00000080
#define SMBS_NTLM_NTLM			0x00000200
#define SMBS_NTLM_ANONYMOUS		0x00000800
#define SMBS_NTLM_ALWAYS_SIGN		0x00008000
#define SMBS_NTLM_TARGET_TYPE_SERVER	0x00020000
#define SMBS_NTLM_EXT_SESSION_SECURITY	0x00080000
#define SMBS_NTLM_TARGET_INFO		0x00800000
#define SMBS_NTLM_VERSION		0x02000000
#define SMBS_NTLM_128			0x20000000
#define SMBS_NTLM_KEY_EXCH		0x40000000
#define SMBS_NTLM_56			0x80000000

/* AV_PAIR AvId, MS-NLMP 2.2.2.1 */
#define SMBS_AV_EOL			0
#define SMBS_AV_NB_COMPUTER_NAME	1
#define SMBS_AV_NB_DOMAIN_NAME		2
#define SMBS_AV_DNS_COMPUTER_NAME	3
#define SMBS_AV_DNS_DOMAIN_NAME		4
#define SMBS_AV_FLAGS			6
#define SMBS_AV_TIMESTAMP		7

/* MsvAvFlags: the AUTHENTICATE message carries a MIC */
#define SMBS_AV_FLAG_MIC		0x00000002

#define SMBS_NTLM_HASH_SIZE		16
#define SMBS_NTLM_CHALLENGE_SIZE	8
#define SMBS_NTLMV1_RESP_SIZE		24
/* NTProofStr, then NTLMv2_CLIENT_CHALLENGE up to its AvPairs */
#define SMBS_NTLMV2_PROOF_SIZE		16
#define SMBS_NTLMV2_BLOB_HDR		28

/* A payload field reference: length, allocated length, offset. */
struct smbs_ntlm_field {
	__le16 len;
	__le16 max_len;
	__le32 off;
} __packed;

struct smbs_ntlm_version {
	u8 major;
	u8 minor;
	__le16 build;
	u8 reserved[3];
	u8 revision;		/* NTLMSSP_REVISION_W2K3 = 0x0f */
} __packed;

/* CHALLENGE_MESSAGE, MS-NLMP 2.2.1.2 */
struct smbs_ntlm_challenge_msg {
	u8 signature[SMBS_NTLM_SIG_LEN];
	__le32 type;
	struct smbs_ntlm_field target_name;
	__le32 flags;
	u8 challenge[SMBS_NTLM_CHALLENGE_SIZE];
	u8 reserved[8];
	struct smbs_ntlm_field target_info;
	struct smbs_ntlm_version version;
} __packed;

/* AUTHENTICATE_MESSAGE, MS-NLMP 2.2.1.3 */
struct smbs_ntlm_auth_msg {
	u8 signature[SMBS_NTLM_SIG_LEN];
	__le32 type;
	struct smbs_ntlm_field lm;
	struct smbs_ntlm_field nt;
	struct smbs_ntlm_field domain;
	struct smbs_ntlm_field user;
	struct smbs_ntlm_field host;
	struct smbs_ntlm_field session_key;
	__le32 flags;
	struct smbs_ntlm_version version;	/* optional */
	u8 mic[16];				/* optional */
} __packed;

/* Smallest AUTHENTICATE message: everything before the Version field. */
#define SMBS_NTLM_AUTH_MIN	offsetof(struct smbs_ntlm_auth_msg, version)
#define SMBS_NTLM_MIC_OFF	offsetof(struct smbs_ntlm_auth_msg, mic)
#define SMBS_NTLM_MIC_END	sizeof(struct smbs_ntlm_auth_msg)

/**
 * struct smbs_ntlm_auth - a checked view of an AUTHENTICATE message
 * @flags: NegotiateFlags
 * @lm: LmChallengeResponse
 * @nt: NtChallengeResponse
 * @domain: DomainName (UTF-16LE)
 * @user: UserName (UTF-16LE)
 * @host: Workstation (UTF-16LE)
 * @session_key: EncryptedRandomSessionKey
 * @av_flags: MsvAvFlags of an NTLMv2 response's AV pairs, 0 if none
 */
struct smbs_ntlm_auth {
	u32 flags;
	struct smbs_buf lm;
	struct smbs_buf nt;
	struct smbs_buf domain;
	struct smbs_buf user;
	struct smbs_buf host;
	struct smbs_buf session_key;
	u32 av_flags;
};

/**
 * struct smbs_ntlm_result - outcome of a successful AUTHENTICATE
 * @user: the user, owned by the caller
 * @session_key: the exported session key (not for @anonymous or @guest)
 * @flags: NegotiateFlags of the AUTHENTICATE message
 * @anonymous: an anonymous logon (null session)
 * @guest: the daemon mapped the user to the guest account
 */
struct smbs_ntlm_result {
	struct smbs_user *user;
	u8 session_key[SMBS_NTLM_HASH_SIZE];
	u32 flags;
	bool anonymous;
	bool guest;
};

/**
 * smbs_ntlm_msg_type - identify an NTLMSSP message
 * @msg: the message
 * @len: its length
 *
 * Return: its MessageType, or -EINVAL if it is not an NTLMSSP message.
 */
int smbs_ntlm_msg_type(const u8 *msg, u32 len);

/**
 * smbs_ntlm_negotiate - answer a NEGOTIATE message with a CHALLENGE
 * @state: the session's NTLM state (sess->auth), replaced
 * @msg: the NEGOTIATE message
 * @len: its length
 * @chal: set to the CHALLENGE message, which lives in *@state
 * @chal_len: set to its length
 *
 * Return: STATUS_MORE_PROCESSING_REQUIRED or an error status.
 */
__le32 smbs_ntlm_negotiate(void **state, const u8 *msg, u32 len,
			   const u8 **chal, u32 *chal_len);

/**
 * smbs_ntlm_authenticate - check an AUTHENTICATE message
 * @state: the session's NTLM state, consumed (set to NULL)
 * @msg: the AUTHENTICATE message
 * @len: its length
 * @peer: the client's address, for logs
 * @res: the user and session key on success
 *
 * Asks the daemon for the account and verifies the NTLMv2 response and
 * the MIC. LM and NTLMv1 responses are refused.
 *
 * Return: STATUS_SUCCESS, STATUS_LOGON_FAILURE, STATUS_INVALID_PARAMETER
 * for a malformed message, or STATUS_INSUFFICIENT_RESOURCES.
 */
__le32 smbs_ntlm_authenticate(void **state, const u8 *msg, u32 len,
			      const char *peer, struct smbs_ntlm_result *res);

/**
 * smbs_ntlm_parse_auth - check the layout of an AUTHENTICATE message
 * @msg: the message
 * @len: its length
 * @a: the checked view; its slices point into @msg
 *
 * Every field must lie inside the message after the fixed part (after the
 * MIC when the NTLMv2 AV pairs announce one), and the AV pairs of an
 * NTLMv2 response must be well formed.
 *
 * Return: 0 or -EINVAL.
 */
int smbs_ntlm_parse_auth(const u8 *msg, u32 len, struct smbs_ntlm_auth *a);

/**
 * smbs_ntlm_ntowfv2 - NTOWFv2 (MS-NLMP 3.3.2)
 * @nt_hash: MD4 of the UTF-16LE password
 * @user: the user name, UTF-16LE as the client sent it
 * @domain: the domain, UTF-16LE as the client sent it
 * @out: HMAC_MD5(@nt_hash, UPPERCASE(@user) || @domain), 16 bytes
 *
 * Return: 0 or a negative errno.
 */
int smbs_ntlm_ntowfv2(const u8 *nt_hash, const struct smbs_buf *user,
		      const struct smbs_buf *domain, u8 *out);

/**
 * smbs_ntlm_v2_verify - check an NTLMv2 response
 * @ntowf: the response key, NTOWFv2
 * @srv_chal: the server challenge, 8 bytes
 * @nt: the NtChallengeResponse (NTProofStr || client challenge blob)
 * @base_key: set to the session base key, 16 bytes, on success
 *
 * Return: 0, -EACCES if the proof does not match, -EINVAL if @nt is too
 * short, or another negative errno.
 */
int smbs_ntlm_v2_verify(const u8 *ntowf, const u8 *srv_chal,
			const struct smbs_buf *nt, u8 *base_key);

/**
 * smbs_ntlm_key_exchange - recover the exported session key
 * @kxkey: the key exchange key (the session base key for NTLMv2)
 * @enc: EncryptedRandomSessionKey, 16 bytes
 * @out: RC4(@kxkey, @enc), 16 bytes
 *
 * Return: 0 or -ENOMEM.
 */
int smbs_ntlm_key_exchange(const u8 *kxkey, const u8 *enc, u8 *out);

/* Size of an NTLMSSP message signature (MS-NLMP 2.2.2.9.1) */
#define SMBS_NTLM_MAC_SIZE	16

/**
 * smbs_ntlm_mac - the NTLMSSP signature of one message, sequence number 0
 * @key: the exported session key
 * @flags: the negotiated NegotiateFlags (KEY_EXCH, 128 and 56 matter)
 * @from_server: use the server-to-client keys, else the client-to-server
 * @data: the message
 * @len: its length
 * @mac: the 16-byte signature
 *
 * MS-NLMP 3.4.4.2 with extended session security: HMAC-MD5 under the
 * direction's signing key, its first 8 bytes sealed with RC4 under the
 * direction's sealing key when keys were exchanged. SPNEGO uses it for
 * the mechListMIC (MS-SPNG 3.1.5.1), the first message signed in each
 * direction.
 *
 * Return: 0 or a negative errno.
 */
int smbs_ntlm_mac(const u8 *key, u32 flags, bool from_server, const u8 *data,
		  u32 len, u8 *mac);

/* ---- keys.c ------------------------------------------------------------ */

/**
 * smbs_shash_get - get a keyed or plain hash transform
 * @alg: crypto API name, e.g. "hmac(sha256)"
 * @key: its key, or NULL for an unkeyed hash
 * @key_len: the key's length
 *
 * The one place transforms are made, so they can be cached later.
 *
 * Return: the transform or an ERR_PTR(); release with smbs_shash_put().
 */
struct crypto_shash *smbs_shash_get(const char *alg, const u8 *key,
				    u32 key_len);
void smbs_shash_put(struct crypto_shash *tfm);

/**
 * smbs_shash - hash a message given in pieces
 * @alg: crypto API name
 * @key: the key or NULL
 * @key_len: its length
 * @iov: the pieces
 * @n: their number
 * @out: the digest (the algorithm's full digest size)
 *
 * Return: 0 or a negative errno.
 */
int smbs_shash(const char *alg, const u8 *key, u32 key_len,
	       const struct kvec *iov, int n, u8 *out);

/**
 * smbs_kdf - SP800-108 counter-mode KDF with HMAC-SHA256 (MS-SMB2 3.1.4.2)
 * @key: Ki
 * @key_len: its length
 * @label: Label, including its terminating NUL
 * @label_len: its length
 * @ctx: Context
 * @ctx_len: its length
 * @out: the derived key
 * @out_len: its length in bytes, 16 or 32 (L = 8 * @out_len)
 *
 * Return: 0 or a negative errno.
 */
int smbs_kdf(const u8 *key, u32 key_len, const u8 *label, u32 label_len,
	     const u8 *ctx, u32 ctx_len, u8 *out, u32 out_len);

/**
 * smbs_derive_keys - compute a new session's signing and encryption keys
 * @conn: the connection (dialect, cipher)
 * @sess: the session, with session_key (and preauth_hash for 3.1.1) set
 *
 * Return: 0 or a negative errno.
 */
int smbs_derive_keys(struct smbs_conn *conn, struct smbs_session *sess);

#endif /* _SMBS_AUTH_NTLM_H */
