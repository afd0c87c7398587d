// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hashing helpers, the preauth integrity hash and the SMB 3.x key
 * derivation (MS-SMB2 3.1.4.2, 3.3.5.5.3).
 */
#include "server.h"

#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/err.h>
#include <linux/string.h>
#include "auth.h"
#include "auth_ntlm.h"
#include "connection.h"
#include "session.h"

struct crypto_shash *smbs_shash_get(const char *alg, const u8 *key,
				    u32 key_len)
{
	struct crypto_shash *tfm;
	int err;

	tfm = crypto_alloc_shash(alg, 0, 0);
	if (IS_ERR(tfm))
		return tfm;
	if (key) {
		err = crypto_shash_setkey(tfm, key, key_len);
		if (err) {
			crypto_free_shash(tfm);
			return ERR_PTR(err);
		}
	}
	return tfm;
}

void smbs_shash_put(struct crypto_shash *tfm)
{
	crypto_free_shash(tfm);
}

/* Hash @pre (if any) then the pieces of @iov into @out. */
static int smbs_shash_run(struct crypto_shash *tfm, const u8 *pre,
			  u32 pre_len, const struct kvec *iov, int n, u8 *out)
{
	SHASH_DESC_ON_STACK(desc, tfm);
	int err, i;

	desc->tfm = tfm;
	err = crypto_shash_init(desc);
	if (!err && pre)
		err = crypto_shash_update(desc, pre, pre_len);
	for (i = 0; !err && i < n; i++)
		err = crypto_shash_update(desc, iov[i].iov_base,
					  iov[i].iov_len);
	if (!err)
		err = crypto_shash_final(desc, out);
	shash_desc_zero(desc);
	return err;
}

int smbs_shash(const char *alg, const u8 *key, u32 key_len,
	       const struct kvec *iov, int n, u8 *out)
{
	struct crypto_shash *tfm = smbs_shash_get(alg, key, key_len);
	int err;

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = smbs_shash_run(tfm, NULL, 0, iov, n, out);
	smbs_shash_put(tfm);
	return err;
}

int smbs_preauth_update(u8 *hash, const struct kvec *iov, int niov)
{
	struct crypto_shash *tfm = smbs_shash_get("sha512", NULL, 0);
	u8 out[SHA512_DIGEST_SIZE];
	int err;

	BUILD_BUG_ON(SHA512_DIGEST_SIZE != SMB2_PREAUTH_HASH_SIZE);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = smbs_shash_run(tfm, hash, SMB2_PREAUTH_HASH_SIZE, iov, niov, out);
	smbs_shash_put(tfm);
	if (!err)
		memcpy(hash, out, SMB2_PREAUTH_HASH_SIZE);
	return err;
}

/*
 * KDF in counter mode (SP800-108 5.1) with PRF = HMAC-SHA256, r = 32:
 * K(1) = PRF(Ki, [1]_4 || Label || 0x00 || Context || [L]_4). SMB keys are
 * at most 256 bits, so one round is always enough.
 */
int smbs_kdf(const u8 *key, u32 key_len, const u8 *label, u32 label_len,
	     const u8 *ctx, u32 ctx_len, u8 *out, u32 out_len)
{
	static const u8 separator;
	__be32 counter = cpu_to_be32(1);
	__be32 bits = cpu_to_be32(out_len * 8);
	u8 block[SHA256_DIGEST_SIZE];
	struct kvec iov[] = {
		{ .iov_base = &counter, .iov_len = sizeof(counter) },
		{ .iov_base = (void *)label, .iov_len = label_len },
		{ .iov_base = (void *)&separator, .iov_len = 1 },
		{ .iov_base = (void *)ctx, .iov_len = ctx_len },
		{ .iov_base = &bits, .iov_len = sizeof(bits) },
	};
	int err;

	if (!out_len || out_len > sizeof(block))
		return -EINVAL;
	err = smbs_shash("hmac(sha256)", key, key_len, iov, ARRAY_SIZE(iov),
			 block);
	if (!err)
		memcpy(out, block, out_len);
	memzero_explicit(block, sizeof(block));
	return err;
}

/* One key of a session: Label is a string whose NUL is part of it. */
static int smbs_kdf_key(const u8 *key, const char *label, const void *ctx,
			u32 ctx_len, u8 *out, u32 out_len)
{
	return smbs_kdf(key, SMBS_KEY_SIZE, (const u8 *)label,
			strlen(label) + 1, ctx, ctx_len, out, out_len);
}

/* Contexts of the 3.0 and 3.0.2 keys, NUL included (MS-SMB2 3.3.5.5.3) */
static const char smbs_ctx_sign[] = "SmbSign";
static const char smbs_ctx_s2c[] = "ServerOut";
static const char smbs_ctx_c2s[] = "ServerIn ";

int smbs_derive_keys(struct smbs_conn *conn, struct smbs_session *sess)
{
	const u8 *key = sess->session_key;
	const u8 *ctx = sess->preauth_hash;
	u32 clen = SMB2_PREAUTH_HASH_SIZE, enc_len = SMBS_KEY_SIZE;
	int err;

	BUILD_BUG_ON(SMBS_KEY_SIZE != 16 || SMBS_ENC_KEY_SIZE != 32);
	if (conn->dialect < SMB30_PROT_ID) {
		memcpy(sess->signing_key, key, SMBS_KEY_SIZE);
		return 0;
	}
	if (conn->cipher == SMB2_ENCRYPTION_AES256_CCM ||
	    conn->cipher == SMB2_ENCRYPTION_AES256_GCM)
		enc_len = SMBS_ENC_KEY_SIZE;

	if (conn->dialect == SMB311_PROT_ID) {
		err = smbs_kdf_key(key, "SMBSigningKey", ctx, clen,
				   sess->signing_key, SMBS_KEY_SIZE);
		if (!err)
			err = smbs_kdf_key(key, "SMBS2CCipherKey", ctx, clen,
					   sess->enc_key, enc_len);
		if (!err)
			err = smbs_kdf_key(key, "SMBC2SCipherKey", ctx, clen,
					   sess->dec_key, enc_len);
		return err;
	}

	err = smbs_kdf_key(key, "SMB2AESCMAC", smbs_ctx_sign,
			   sizeof(smbs_ctx_sign), sess->signing_key,
			   SMBS_KEY_SIZE);
	if (!err)
		err = smbs_kdf_key(key, "SMB2AESCCM", smbs_ctx_s2c,
				   sizeof(smbs_ctx_s2c), sess->enc_key, enc_len);
	if (!err)
		err = smbs_kdf_key(key, "SMB2AESCCM", smbs_ctx_c2s,
				   sizeof(smbs_ctx_c2s), sess->dec_key, enc_len);
	return err;
}
