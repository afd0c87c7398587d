/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SMB 3.x encryption: the TRANSFORM header (MS-SMB2 2.2.41) and the
 * session's AEAD transforms (MS-SMB2 3.1.4.3, 3.3.5.2.1.1).
 */
#ifndef _SMBS_CRYPT_H
#define _SMBS_CRYPT_H

#include <linux/types.h>
#include <asm/byteorder.h>

struct scatterlist;
struct smbs_conn;
struct smbs_seg;
struct smbs_session;

/* sizeof(struct smb2_transform_hdr) */
#define SMBS_TRANSFORM_SIZE	52

/**
 * smbs_cipher_pick - the server's choice among the client's ciphers
 * @ids: the client's list of SMB2_ENCRYPTION_* ids (little-endian u16s)
 * @len: its length in bytes
 *
 * The order is AES-128-GCM, AES-256-GCM, AES-128-CCM, AES-256-CCM: GCM
 * first (it is the faster one everywhere), and of each mode the 128-bit
 * key first, as Windows does.
 *
 * Return: the chosen id, or 0 when the lists have none in common.
 */
__le16 smbs_cipher_pick(const u8 *ids, u32 len);

/**
 * smbs_crypt_init - allocate and key a session's encryption transforms
 * @conn: the connection; its cipher (conn->cipher) applies
 * @sess: the session, whose keys smbs_derive_keys() has made
 *
 * Does nothing when the connection negotiated no cipher. The transforms
 * live as long as the session (smbs_crypt_free()), so no message
 * allocates one.
 *
 * Context: under sess->lock, before the session is VALID.
 * Return: 0 or a negative errno.
 */
int smbs_crypt_init(struct smbs_conn *conn, struct smbs_session *sess);

/**
 * smbs_crypt_free - release a session's encryption transforms
 * @sess: the session
 */
void smbs_crypt_free(struct smbs_session *sess);

/**
 * smbs_decrypt - check and decrypt a TRANSFORM message in place
 * @conn: the connection it came on
 * @msg: the message, from its transform header on; kvmalloc'ed
 * @len: its length
 * @sessp: gets the session whose key it was encrypted with, referenced
 *
 * Every check of MS-SMB2 3.3.5.2.1.1: a message longer than the header
 * plus an SMB2 header, OriginalMessageSize equal to what follows the
 * header, Flags 0x0001, a session of this connection with keys (not a
 * guest or anonymous one), a tag that verifies, and an SMB2 message
 * inside. The SMB2 message then starts at @msg + SMBS_TRANSFORM_SIZE.
 *
 * Context: process context; may sleep.
 * Return: 0, or a negative errno: the connection is to be dropped.
 */
int smbs_decrypt(struct smbs_conn *conn, u8 *msg, u32 len,
		 struct smbs_session **sessp);

/**
 * smbs_encrypt - encrypt a message into a transform message
 * @sess: the session whose key encrypts
 * @segs: the SMB2 message's pieces (the frame header not among them)
 * @nsegs: number of pieces
 * @len: total bytes in @segs
 * @out: SMBS_TRANSFORM_SIZE + @len bytes, kvmalloc'ed: gets the transform
 *	 header, then the ciphertext
 *
 * Reads every piece once, page cache pages included, and writes the
 * ciphertext straight into @out: no copy in between. Each message gets
 * a nonce of its own (a per-session counter).
 *
 * Context: process context; may sleep.
 * Return: 0 or a negative errno.
 */
int smbs_encrypt(struct smbs_session *sess, const struct smbs_seg *segs,
		 unsigned int nsegs, u32 len, u8 *out);

/**
 * smbs_sg_map - put a linear or vmalloc'ed buffer in a scatterlist
 * @sg: the list, or NULL to only count the entries needed
 * @k: the first entry to fill
 * @buf: the buffer (not in the kernel image: use heap memory)
 * @len: its length
 *
 * Return: the index after the last entry used.
 */
int smbs_sg_map(struct scatterlist *sg, int k, const void *buf, u32 len);

#endif /* _SMBS_CRYPT_H */
