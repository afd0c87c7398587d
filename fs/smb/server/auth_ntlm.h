/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * NTLMSSP (MS-NLMP) for SESSION_SETUP, and the hashing and key derivation
 * helpers of keys.c. Internal to the authentication code and its tests.
 */
#ifndef _SMBD_AUTH_NTLM_H
#define _SMBD_AUTH_NTLM_H

#include <linux/types.h>
#include <linux/uio.h>
#include "pdu.h"

struct crypto_shash;
struct smbd_conn;
struct smbd_session;
struct smbd_user;

/* "NTLMSSP\0", the first 8 bytes of every message */
#define SMBD_NTLM_SIGNATURE	"NTLMSSP"
#define SMBD_NTLM_SIG_LEN	8

/* MessageType */
#define SMBD_NTLM_NEGOTIATE	1
#define SMBD_NTLM_CHALLENGE	2
#define SMBD_NTLM_AUTHENTICATE	3

/* NegotiateFlags, MS-NLMP 2.2.2.5 */
#define SMBD_NTLM_UNICODE		0x00000001
#define SMBD_NTLM_OEM			0x00000002
#define SMBD_NTLM_REQUEST_TARGET	0x00000004
#define SMBD_NTLM_SIGN			0x00000010
#define SMBD_NTLM_SEAL			0x00000020
#define SMBD_NTLM_LM_KEY		0x00000080
#define SMBD_NTLM_NTLM			0x00000200
#define SMBD_NTLM_ANONYMOUS		0x00000800
#define SMBD_NTLM_ALWAYS_SIGN		0x00008000
#define SMBD_NTLM_TARGET_TYPE_SERVER	0x00020000
#define SMBD_NTLM_EXT_SESSION_SECURITY	0x00080000
#define SMBD_NTLM_TARGET_INFO		0x00800000
#define SMBD_NTLM_VERSION		0x02000000
#define SMBD_NTLM_128			0x20000000
#define SMBD_NTLM_KEY_EXCH		0x40000000
#define SMBD_NTLM_56			0x80000000

/* AV_PAIR AvId, MS-NLMP 2.2.2.1 */
#define SMBD_AV_EOL			0
#define SMBD_AV_NB_COMPUTER_NAME	1
#define SMBD_AV_NB_DOMAIN_NAME		2
#define SMBD_AV_DNS_COMPUTER_NAME	3
#define SMBD_AV_DNS_DOMAIN_NAME		4
#define SMBD_AV_FLAGS			6
#define SMBD_AV_TIMESTAMP		7

/* MsvAvFlags: the AUTHENTICATE message carries a MIC */
#define SMBD_AV_FLAG_MIC		0x00000002

#define SMBD_NTLM_HASH_SIZE		16
#define SMBD_NTLM_CHALLENGE_SIZE	8
#define SMBD_NTLMV1_RESP_SIZE		24
/* NTProofStr, then NTLMv2_CLIENT_CHALLENGE up to its AvPairs */
#define SMBD_NTLMV2_PROOF_SIZE		16
#define SMBD_NTLMV2_BLOB_HDR		28

/* A payload field reference: length, allocated length, offset. */
struct smbd_ntlm_field {
	__le16 len;
	__le16 max_len;
	__le32 off;
} __packed;

struct smbd_ntlm_version {
	u8 major;
	u8 minor;
	__le16 build;
	u8 reserved[3];
	u8 revision;		/* NTLMSSP_REVISION_W2K3 = 0x0f */
} __packed;

/* CHALLENGE_MESSAGE, MS-NLMP 2.2.1.2 */
struct smbd_ntlm_challenge_msg {
	u8 signature[SMBD_NTLM_SIG_LEN];
	__le32 type;
	struct smbd_ntlm_field target_name;
	__le32 flags;
	u8 challenge[SMBD_NTLM_CHALLENGE_SIZE];
	u8 reserved[8];
	struct smbd_ntlm_field target_info;
	struct smbd_ntlm_version version;
} __packed;

/* AUTHENTICATE_MESSAGE, MS-NLMP 2.2.1.3 */
struct smbd_ntlm_auth_msg {
	u8 signature[SMBD_NTLM_SIG_LEN];
	__le32 type;
	struct smbd_ntlm_field lm;
	struct smbd_ntlm_field nt;
	struct smbd_ntlm_field domain;
	struct smbd_ntlm_field user;
	struct smbd_ntlm_field host;
	struct smbd_ntlm_field session_key;
	__le32 flags;
	struct smbd_ntlm_version version;	/* optional */
	u8 mic[16];				/* optional */
} __packed;

/* Smallest AUTHENTICATE message: everything before the Version field. */
#define SMBD_NTLM_AUTH_MIN	offsetof(struct smbd_ntlm_auth_msg, version)
#define SMBD_NTLM_MIC_OFF	offsetof(struct smbd_ntlm_auth_msg, mic)
#define SMBD_NTLM_MIC_END	sizeof(struct smbd_ntlm_auth_msg)

/**
 * struct smbd_ntlm_auth - a checked view of an AUTHENTICATE message
 * @flags: NegotiateFlags
 * @lm: LmChallengeResponse
 * @nt: NtChallengeResponse
 * @domain: DomainName (UTF-16LE)
 * @user: UserName (UTF-16LE)
 * @host: Workstation (UTF-16LE)
 * @session_key: EncryptedRandomSessionKey
 * @av_flags: MsvAvFlags of an NTLMv2 response's AV pairs, 0 if none
 */
struct smbd_ntlm_auth {
	u32 flags;
	struct smbd_buf lm;
	struct smbd_buf nt;
	struct smbd_buf domain;
	struct smbd_buf user;
	struct smbd_buf host;
	struct smbd_buf session_key;
	u32 av_flags;
};

/**
 * struct smbd_ntlm_result - outcome of a successful AUTHENTICATE
 * @user: the user, owned by the caller
 * @session_key: the exported session key (not for @anonymous or @guest)
 * @flags: NegotiateFlags of the AUTHENTICATE message
 * @anonymous: an anonymous logon (null session)
 * @guest: the daemon mapped the user to the guest account
 */
struct smbd_ntlm_result {
	struct smbd_user *user;
	u8 session_key[SMBD_NTLM_HASH_SIZE];
	u32 flags;
	bool anonymous;
	bool guest;
};

/**
 * smbd_ntlm_msg_type - identify an NTLMSSP message
 * @msg: the message
 * @len: its length
 *
 * Return: its MessageType, or -EINVAL if it is not an NTLMSSP message.
 */
int smbd_ntlm_msg_type(const u8 *msg, u32 len);

/**
 * smbd_ntlm_negotiate - answer a NEGOTIATE message with a CHALLENGE
 * @state: the session's NTLM state (sess->auth), replaced
 * @msg: the NEGOTIATE message
 * @len: its length
 * @chal: set to the CHALLENGE message, which lives in *@state
 * @chal_len: set to its length
 *
 * Return: STATUS_MORE_PROCESSING_REQUIRED or an error status.
 */
__le32 smbd_ntlm_negotiate(void **state, const u8 *msg, u32 len,
			   const u8 **chal, u32 *chal_len);

/**
 * smbd_ntlm_authenticate - check an AUTHENTICATE message
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
__le32 smbd_ntlm_authenticate(void **state, const u8 *msg, u32 len,
			      const char *peer, struct smbd_ntlm_result *res);

/**
 * smbd_ntlm_parse_auth - check the layout of an AUTHENTICATE message
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
int smbd_ntlm_parse_auth(const u8 *msg, u32 len, struct smbd_ntlm_auth *a);

/**
 * smbd_ntlm_ntowfv2 - NTOWFv2 (MS-NLMP 3.3.2)
 * @nt_hash: MD4 of the UTF-16LE password
 * @user: the user name, UTF-16LE as the client sent it
 * @domain: the domain, UTF-16LE as the client sent it
 * @out: HMAC_MD5(@nt_hash, UPPERCASE(@user) || @domain), 16 bytes
 *
 * Return: 0 or a negative errno.
 */
int smbd_ntlm_ntowfv2(const u8 *nt_hash, const struct smbd_buf *user,
		      const struct smbd_buf *domain, u8 *out);

/**
 * smbd_ntlm_v2_verify - check an NTLMv2 response
 * @ntowf: the response key, NTOWFv2
 * @srv_chal: the server challenge, 8 bytes
 * @nt: the NtChallengeResponse (NTProofStr || client challenge blob)
 * @base_key: set to the session base key, 16 bytes, on success
 *
 * Return: 0, -EACCES if the proof does not match, -EINVAL if @nt is too
 * short, or another negative errno.
 */
int smbd_ntlm_v2_verify(const u8 *ntowf, const u8 *srv_chal,
			const struct smbd_buf *nt, u8 *base_key);

/**
 * smbd_ntlm_key_exchange - recover the exported session key
 * @kxkey: the key exchange key (the session base key for NTLMv2)
 * @enc: EncryptedRandomSessionKey, 16 bytes
 * @out: RC4(@kxkey, @enc), 16 bytes
 *
 * Return: 0 or -ENOMEM.
 */
int smbd_ntlm_key_exchange(const u8 *kxkey, const u8 *enc, u8 *out);

/* Size of an NTLMSSP message signature (MS-NLMP 2.2.2.9.1) */
#define SMBD_NTLM_MAC_SIZE	16

/**
 * smbd_ntlm_mac - the NTLMSSP signature of one message, sequence number 0
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
int smbd_ntlm_mac(const u8 *key, u32 flags, bool from_server, const u8 *data,
		  u32 len, u8 *mac);

/* ---- keys.c ------------------------------------------------------------ */

/**
 * smbd_shash_get - get a keyed or plain hash transform
 * @alg: crypto API name, e.g. "hmac(sha256)"
 * @key: its key, or NULL for an unkeyed hash
 * @key_len: the key's length
 *
 * The one place transforms are made, so they can be cached later.
 *
 * Return: the transform or an ERR_PTR(); release with smbd_shash_put().
 */
struct crypto_shash *smbd_shash_get(const char *alg, const u8 *key,
				    u32 key_len);
void smbd_shash_put(struct crypto_shash *tfm);

/**
 * smbd_shash - hash a message given in pieces
 * @alg: crypto API name
 * @key: the key or NULL
 * @key_len: its length
 * @iov: the pieces
 * @n: their number
 * @out: the digest (the algorithm's full digest size)
 *
 * Return: 0 or a negative errno.
 */
int smbd_shash(const char *alg, const u8 *key, u32 key_len,
	       const struct kvec *iov, int n, u8 *out);

/**
 * smbd_kdf - SP800-108 counter-mode KDF with HMAC-SHA256 (MS-SMB2 3.1.4.2)
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
int smbd_kdf(const u8 *key, u32 key_len, const u8 *label, u32 label_len,
	     const u8 *ctx, u32 ctx_len, u8 *out, u32 out_len);

/**
 * smbd_derive_keys - compute a new session's signing and encryption keys
 * @conn: the connection (dialect, cipher)
 * @sess: the session, with session_key (and preauth_hash for 3.1.1) set
 *
 * Return: 0 or a negative errno.
 */
int smbd_derive_keys(struct smbd_conn *conn, struct smbd_session *sess);

#endif /* _SMBD_AUTH_NTLM_H */
