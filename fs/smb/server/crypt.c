// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMB 3.x encryption (MS-SMB2 3.1.4.3, 3.3.5.2.1.1, 3.3.4.1.4).
 *
 * A session that can encrypt holds two AEAD transforms for its whole life,
 * one keyed for each direction. A request is decrypted in place, in the
 * buffer it was received into; a response is encrypted from its pieces
 * (response buffers, payloads, page cache pages) straight into the buffer
 * that is sent, through scatterlists: every byte is read and written once.
 *
 * The transform header is the associated data: the 32 bytes from Nonce to
 * the end; the tag is its Signature. CCM uses the first 11 bytes of Nonce,
 * GCM the first 12; the rest is zero.
 */
#include "server.h"

#include <crypto/aead.h>
#include <linux/bvec.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>
#include "connection.h"
#include "crypt.h"
#include "session.h"
#include "smb2.h"

#define SMBS_AEAD_TAG_SIZE	16
#define SMBS_AAD_OFF		offsetof(struct smb2_transform_hdr, Nonce)
#define SMBS_AAD_SIZE		(SMBS_TRANSFORM_SIZE - SMBS_AAD_OFF)
#define SMBS_TAG_OFF		offsetof(struct smb2_transform_hdr, Signature)
#define SMBS_IV_SIZE		16

static_assert(sizeof(struct smb2_transform_hdr) == SMBS_TRANSFORM_SIZE);

/* Heap scratch: what the AEAD reads or writes must be heap memory. */
struct smbs_crypt_scratch {
	u8 iv[SMBS_IV_SIZE];
	u8 zero[8];
	struct scatterlist sg[];
};

int smbs_sg_map(struct scatterlist *sg, int k, const void *buf, u32 len)
{
	const u8 *p = buf;
	struct page *page;
	u32 off, chunk;

	while (len) {
		off = offset_in_page(p);
		chunk = min_t(u32, len, PAGE_SIZE - off);
		if (sg) {
			page = is_vmalloc_addr(p) ? vmalloc_to_page(p) :
						    virt_to_page(p);
			sg_set_page(&sg[k], page, chunk, off);
		}
		k++;
		p += chunk;
		len -= chunk;
	}
	return k;
}

static bool smbs_cipher_gcm(__le16 cipher)
{
	return cipher == SMB2_ENCRYPTION_AES128_GCM ||
	       cipher == SMB2_ENCRYPTION_AES256_GCM;
}

static u32 smbs_cipher_key_size(__le16 cipher)
{
	return cipher == SMB2_ENCRYPTION_AES256_CCM ||
	       cipher == SMB2_ENCRYPTION_AES256_GCM ? 32 : 16;
}

__le16 smbs_cipher_pick(const u8 *ids, u32 len)
{
	static const __le16 order[] = {
		SMB2_ENCRYPTION_AES128_GCM, SMB2_ENCRYPTION_AES256_GCM,
		SMB2_ENCRYPTION_AES128_CCM, SMB2_ENCRYPTION_AES256_CCM,
	};
	unsigned int i;
	u32 j;

	for (i = 0; i < ARRAY_SIZE(order); i++)
		for (j = 0; j + 2 <= len; j += 2)
			if (get_unaligned_le16(ids + j) == le16_to_cpu(order[i]))
				return order[i];
	return 0;
}

static struct crypto_aead *smbs_aead_new(__le16 cipher, const u8 *key)
{
	struct crypto_aead *tfm;
	int err;

	tfm = crypto_alloc_aead(smbs_cipher_gcm(cipher) ? "gcm(aes)" :
							  "ccm(aes)", 0, 0);
	if (IS_ERR(tfm))
		return tfm;
	err = crypto_aead_setkey(tfm, key, smbs_cipher_key_size(cipher));
	if (!err)
		err = crypto_aead_setauthsize(tfm, SMBS_AEAD_TAG_SIZE);
	if (err) {
		crypto_free_aead(tfm);
		return ERR_PTR(err);
	}
	return tfm;
}

int smbs_crypt_init(struct smbs_conn *conn, struct smbs_session *sess)
{
	struct crypto_aead *enc, *dec;

	lockdep_assert_held(&sess->lock);
	if (!conn->cipher)
		return 0;
	if (WARN_ON_ONCE(sess->enc_aead || sess->dec_aead))
		return -EEXIST;
	enc = smbs_aead_new(conn->cipher, sess->enc_key);
	if (IS_ERR(enc))
		return PTR_ERR(enc);
	dec = smbs_aead_new(conn->cipher, sess->dec_key);
	if (IS_ERR(dec)) {
		crypto_free_aead(enc);
		return PTR_ERR(dec);
	}
	sess->cipher = conn->cipher;
	get_random_bytes(sess->nonce_salt, sizeof(sess->nonce_salt));
	atomic64_set(&sess->nonce_seq, 0);
	sess->enc_aead = enc;
	sess->dec_aead = dec;
	return 0;
}

void smbs_crypt_free(struct smbs_session *sess)
{
	if (sess->enc_aead)
		crypto_free_aead(sess->enc_aead);
	if (sess->dec_aead)
		crypto_free_aead(sess->dec_aead);
	sess->enc_aead = NULL;
	sess->dec_aead = NULL;
}

/* The AEAD's IV from the transform header's Nonce (RFC 4309, RFC 4106). */
static void smbs_crypt_iv(__le16 cipher, const u8 *nonce, u8 *iv)
{
	memset(iv, 0, SMBS_IV_SIZE);
	if (smbs_cipher_gcm(cipher)) {
		memcpy(iv, nonce, SMB3_AES_GCM_NONCE);
	} else {
		/* CCM: L' = 15 - nonce length - 1, then the nonce. */
		iv[0] = 15 - SMB3_AES_CCM_NONCE - 1;
		memcpy(iv + 1, nonce, SMB3_AES_CCM_NONCE);
	}
}

/* Run one AEAD operation and wait for it, whatever the implementation. */
static int smbs_aead_run(struct crypto_aead *tfm, struct scatterlist *src,
			 struct scatterlist *dst, u32 cryptlen, u8 *iv,
			 bool enc)
{
	DECLARE_CRYPTO_WAIT(wait);
	struct aead_request *req;
	int err;

	req = aead_request_alloc(tfm, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP |
				  CRYPTO_TFM_REQ_MAY_BACKLOG,
				  crypto_req_done, &wait);
	aead_request_set_ad(req, SMBS_AAD_SIZE);
	aead_request_set_crypt(req, src, dst, cryptlen, iv);
	err = crypto_wait_req(enc ? crypto_aead_encrypt(req) :
				    crypto_aead_decrypt(req), &wait);
	aead_request_free(req);
	return err;
}

static struct smbs_crypt_scratch *smbs_scratch_new(unsigned int nsg)
{
	struct smbs_crypt_scratch *s;

	s = kvmalloc(struct_size(s, sg, nsg), GFP_KERNEL);
	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	sg_init_table(s->sg, nsg);
	return s;
}

int smbs_decrypt(struct smbs_conn *conn, u8 *msg, u32 len,
		 struct smbs_session **sessp)
{
	struct smb2_transform_hdr *th = (void *)msg;
	u8 *data = msg + SMBS_TRANSFORM_SIZE;
	struct smbs_crypt_scratch *s;
	struct smbs_session *sess;
	u32 size;
	int n, err;

	if (!conn->cipher ||
	    len <= SMBS_TRANSFORM_SIZE + sizeof(struct smb2_hdr))
		return -EPROTO;
	size = le32_to_cpu(th->OriginalMessageSize);
	if (size != len - SMBS_TRANSFORM_SIZE ||
	    th->Flags != cpu_to_le16(TRANSFORM_FLAG_ENCRYPTED))
		return -EPROTO;
	sess = smbs_session_lookup(conn, le64_to_cpu(th->SessionId));
	if (!sess)
		return -ENOENT;
	/* The transforms are set before the session is published VALID. */
	err = -EACCES;
	if (!smbs_session_valid(sess) || !sess->dec_aead)
		goto out;

	n = smbs_sg_map(NULL, 0, msg + SMBS_AAD_OFF, SMBS_AAD_SIZE);
	n = smbs_sg_map(NULL, n, data, size);
	n = smbs_sg_map(NULL, n, th->Signature, SMBS_AEAD_TAG_SIZE);
	err = -ENOMEM;
	s = smbs_scratch_new(n);
	if (!s)
		goto out;
	n = smbs_sg_map(s->sg, 0, msg + SMBS_AAD_OFF, SMBS_AAD_SIZE);
	n = smbs_sg_map(s->sg, n, data, size);
	smbs_sg_map(s->sg, n, th->Signature, SMBS_AEAD_TAG_SIZE);
	smbs_crypt_iv(sess->cipher, th->Nonce, s->iv);
	/* In place: the plaintext replaces the ciphertext. */
	err = smbs_aead_run(sess->dec_aead, s->sg, s->sg,
			    size + SMBS_AEAD_TAG_SIZE, s->iv, false);
	kvfree(s);
	if (!err && *(__le32 *)data != SMB2_PROTO_NUMBER)
		err = -EPROTO;
out:
	if (err) {
		smbs_session_put(sess);
		return err;
	}
	*sessp = sess;
	return 0;
}

/* A nonce never used before with this key: the session's next sequence. */
static void smbs_crypt_nonce(struct smbs_session *sess, u8 *nonce)
{
	u64 seq = atomic64_inc_return(&sess->nonce_seq);

	put_unaligned_le64(seq, nonce);
	memcpy(nonce + sizeof(seq), sess->nonce_salt,
	       (smbs_cipher_gcm(sess->cipher) ? SMB3_AES_GCM_NONCE :
						SMB3_AES_CCM_NONCE) - sizeof(seq));
}

/* Entries the pieces need; a piece without a base is zero bytes. */
static int smbs_segs_count(const struct smbs_seg *segs, unsigned int nsegs,
			   int n)
{
	unsigned int i;

	for (i = 0; i < nsegs; i++) {
		if (segs[i].bv)
			n += segs[i].nbv;
		else if (segs[i].kv.iov_base)
			n = smbs_sg_map(NULL, n, segs[i].kv.iov_base,
					segs[i].kv.iov_len);
		else if (segs[i].kv.iov_len)
			n++;
	}
	return n;
}

static int smbs_segs_map(struct smbs_crypt_scratch *s, int n,
			 const struct smbs_seg *segs, unsigned int nsegs)
{
	unsigned int i, j;

	for (i = 0; i < nsegs; i++) {
		const struct smbs_seg *g = &segs[i];

		if (g->bv) {
			for (j = 0; j < g->nbv; j++)
				sg_set_page(&s->sg[n++], g->bv[j].bv_page,
					    g->bv[j].bv_len,
					    g->bv[j].bv_offset);
		} else if (g->kv.iov_base) {
			n = smbs_sg_map(s->sg, n, g->kv.iov_base,
					g->kv.iov_len);
		} else if (g->kv.iov_len) {
			if (WARN_ON_ONCE(g->kv.iov_len > sizeof(s->zero)))
				return -EINVAL;
			sg_set_buf(&s->sg[n++], s->zero, g->kv.iov_len);
		}
	}
	return n;
}

int smbs_encrypt(struct smbs_session *sess, const struct smbs_seg *segs,
		 unsigned int nsegs, u32 len, u8 *out)
{
	struct smb2_transform_hdr *th = (void *)out;
	struct smbs_crypt_scratch *s;
	struct scatterlist *dst;
	int nsrc, ndst, n, err;

	if (WARN_ON_ONCE(!sess->enc_aead))
		return -ENOKEY;
	memset(th, 0, sizeof(*th));
	th->ProtocolId = SMB2_TRANSFORM_PROTO_NUM;
	th->OriginalMessageSize = cpu_to_le32(len);
	th->Flags = cpu_to_le16(TRANSFORM_FLAG_ENCRYPTED);
	th->SessionId = cpu_to_le64(sess->id);
	smbs_crypt_nonce(sess, th->Nonce);

	/* src: AAD, the pieces; dst: AAD, the ciphertext, the tag. */
	nsrc = smbs_sg_map(NULL, 0, out + SMBS_AAD_OFF, SMBS_AAD_SIZE);
	nsrc = smbs_segs_count(segs, nsegs, nsrc);
	ndst = smbs_sg_map(NULL, 0, out + SMBS_AAD_OFF, SMBS_AAD_SIZE);
	ndst = smbs_sg_map(NULL, ndst, out + SMBS_TRANSFORM_SIZE, len);
	ndst = smbs_sg_map(NULL, ndst, th->Signature, SMBS_AEAD_TAG_SIZE);
	s = smbs_scratch_new(nsrc + ndst);
	if (!s)
		return -ENOMEM;
	sg_mark_end(&s->sg[nsrc - 1]);
	dst = &s->sg[nsrc];
	n = smbs_sg_map(s->sg, 0, out + SMBS_AAD_OFF, SMBS_AAD_SIZE);
	n = smbs_segs_map(s, n, segs, nsegs);
	err = n < 0 ? n : 0;
	if (!err && WARN_ON_ONCE(n != nsrc))
		err = -EINVAL;
	if (!err) {
		n = smbs_sg_map(dst, 0, out + SMBS_AAD_OFF, SMBS_AAD_SIZE);
		n = smbs_sg_map(dst, n, out + SMBS_TRANSFORM_SIZE, len);
		smbs_sg_map(dst, n, th->Signature, SMBS_AEAD_TAG_SIZE);
		smbs_crypt_iv(sess->cipher, th->Nonce, s->iv);
		err = smbs_aead_run(sess->enc_aead, s->sg, dst, len, s->iv,
				    true);
	}
	kvfree(s);
	return err;
}
