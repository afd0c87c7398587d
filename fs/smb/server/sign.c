// SPDX-License-Identifier: GPL-2.0-only
/*
 * Message signing (MS-SMB2 3.1.4.1, 3.1.5.1): HMAC-SHA256 for 2.0.2/2.1,
 * AES-CMAC for 3.x, AES-GMAC for 3.1.1 when negotiated.
 *
 * A message is given as pieces; a piece without a base stands for that
 * many zero bytes (the Signature field being computed, compound padding).
 */
#include "server.h"

#include <crypto/aead.h>
#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <crypto/utils.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>
#include "auth.h"
#include "auth_ntlm.h"
#include "connection.h"
#include "crypt.h"
#include "session.h"
#include "work.h"

#define SMBS_SIG_OFF		offsetof(struct smb2_hdr, Signature)
#define SMBS_GMAC_NONCE_SIZE	12

/* GMAC nonce flags (MS-SMB2 3.1.4.1) */
#define SMBS_GMAC_FROM_SERVER	BIT(0)
#define SMBS_GMAC_CANCEL	BIT(1)

/* Heap scratch, so every byte the AEAD sees can be put in a scatterlist. */
struct smbs_sign_scratch {
	u8 nonce[SMBS_GMAC_NONCE_SIZE];
	u8 tag[SMB2_SIGNATURE_SIZE];
	u8 zero[SMB2_SIGNATURE_SIZE];
};

/* Replace zero pieces by the scratch's zero bytes. */
static int smbs_sign_fill_zero(struct kvec *iov, int n,
			       struct smbs_sign_scratch *s)
{
	int i;

	for (i = 0; i < n; i++) {
		if (iov[i].iov_base)
			continue;
		if (WARN_ON_ONCE(iov[i].iov_len > sizeof(s->zero)))
			return -EINVAL;
		iov[i].iov_base = s->zero;
	}
	return 0;
}

/* HMAC-SHA256 (16 of its 32 bytes) or AES-CMAC over the pieces. */
static int smbs_sign_shash(struct crypto_shash *tfm, const struct kvec *iov,
			   int n, u8 *sig)
{
	SHASH_DESC_ON_STACK(desc, tfm);
	u8 out[SHA256_DIGEST_SIZE];
	int err, i;

	desc->tfm = tfm;
	err = crypto_shash_init(desc);
	for (i = 0; !err && i < n; i++)
		err = crypto_shash_update(desc, iov[i].iov_base,
					  iov[i].iov_len);
	if (!err)
		err = crypto_shash_final(desc, out);
	if (!err)
		memcpy(sig, out, SMB2_SIGNATURE_SIZE);
	shash_desc_zero(desc);
	memzero_explicit(out, sizeof(out));
	return err;
}

static struct crypto_aead *smbs_gmac_tfm(const u8 *key)
{
	struct crypto_aead *tfm;
	int err;

	tfm = crypto_alloc_aead("gcm(aes)", 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(tfm))
		return tfm;
	err = crypto_aead_setkey(tfm, key, SMBS_KEY_SIZE);
	if (!err)
		err = crypto_aead_setauthsize(tfm, SMB2_SIGNATURE_SIZE);
	if (err) {
		crypto_free_aead(tfm);
		return ERR_PTR(err);
	}
	return tfm;
}

/* AES-GMAC is AES-GCM with the whole message as associated data. */
static int smbs_sign_gmac(struct crypto_aead *tfm, const struct kvec *iov,
			  int n, struct smbs_sign_scratch *s, u8 *sig)
{
	struct aead_request *req = NULL;
	struct scatterlist *sg = NULL;
	u32 total = 0;
	int i, nsg = 1, err = -ENOMEM;

	for (i = 0; i < n; i++) {
		nsg = smbs_sg_map(NULL, nsg, iov[i].iov_base, iov[i].iov_len);
		total += iov[i].iov_len;
	}
	sg = kmalloc_array(nsg, sizeof(*sg), GFP_KERNEL);
	req = aead_request_alloc(tfm, GFP_KERNEL);
	if (!sg || !req)
		goto out;
	sg_init_table(sg, nsg);
	for (i = 0, nsg = 0; i < n; i++)
		nsg = smbs_sg_map(sg, nsg, iov[i].iov_base, iov[i].iov_len);
	sg_set_buf(&sg[nsg], s->tag, sizeof(s->tag));

	aead_request_set_callback(req, 0, NULL, NULL);
	aead_request_set_ad(req, total);
	aead_request_set_crypt(req, sg, sg, 0, s->nonce);
	err = crypto_aead_encrypt(req);
	if (!err)
		memcpy(sig, s->tag, SMB2_SIGNATURE_SIZE);
out:
	aead_request_free(req);
	kfree(sg);
	return err;
}

int smbs_sign_init(struct smbs_conn *conn, struct smbs_session *sess)
{
	const char *alg = "cmac(aes)";
	struct crypto_shash *shash;
	struct crypto_aead *aead;

	if (WARN_ON_ONCE(sess->sign_shash || sess->sign_aead))
		return -EEXIST;
	if (conn->dialect == SMB311_PROT_ID &&
	    conn->sign_alg == SMBS_SIGN_AES_GMAC) {
		aead = smbs_gmac_tfm(sess->signing_key);
		if (IS_ERR(aead))
			return PTR_ERR(aead);
		sess->sign_aead = aead;
		return 0;
	}
	/*
	 * HMAC-SHA256 for 2.x and for a 3.1.1 client that offered only it
	 * in its SIGNING_CAPABILITIES; AES-CMAC otherwise (MS-SMB2 3.1.4.1).
	 */
	if (conn->dialect < SMB30_PROT_ID ||
	    (conn->dialect == SMB311_PROT_ID &&
	     conn->sign_alg == SMBS_SIGN_HMAC_SHA256))
		alg = "hmac(sha256)";
	shash = smbs_shash_get(alg, sess->signing_key, SMBS_KEY_SIZE);
	if (IS_ERR(shash))
		return PTR_ERR(shash);
	sess->sign_shash = shash;
	return 0;
}

void smbs_sign_free(struct smbs_session *sess)
{
	if (sess->sign_shash)
		smbs_shash_put(sess->sign_shash);
	if (sess->sign_aead)
		crypto_free_aead(sess->sign_aead);
	sess->sign_shash = NULL;
	sess->sign_aead = NULL;
}

/* The session's algorithm (MS-SMB2 3.1.4.1), keyed by smbs_sign_init(). */
static int smbs_sign_alg(struct smbs_session *sess, const struct kvec *iov,
			 int n, const struct smb2_hdr *hdr, bool from_server,
			 struct smbs_sign_scratch *s, u8 *sig)
{
	u32 flags = 0;

	if (sess->sign_shash)
		return smbs_sign_shash(sess->sign_shash, iov, n, sig);
	if (!sess->sign_aead)
		return -ENOKEY;		/* no keys: guest, or not logged in */

	/* Nonce: MessageId, then who sends it and whether it is a CANCEL. */
	if (from_server)
		flags |= SMBS_GMAC_FROM_SERVER;
	else if (hdr->Command == SMB2_CANCEL)
		flags |= SMBS_GMAC_CANCEL;
	memcpy(s->nonce, &hdr->MessageId, sizeof(hdr->MessageId));
	put_unaligned_le32(flags, s->nonce + sizeof(hdr->MessageId));
	return smbs_sign_gmac(sess->sign_aead, iov, n, s, sig);
}

/* Sign the pieces of one message; @hdr is its header. */
static int smbs_sign_compute(struct smbs_session *sess, struct kvec *iov,
			     int n, const struct smb2_hdr *hdr,
			     bool from_server, u8 *sig)
{
	struct smbs_sign_scratch *s;
	int err;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	err = smbs_sign_fill_zero(iov, n, s);
	if (!err)
		err = smbs_sign_alg(sess, iov, n, hdr, from_server, s, sig);
	kfree_sensitive(s);
	return err;
}

bool smbs_sign_verify(struct smbs_work *w)
{
	const u8 *msg = (const u8 *)w->pdu.hdr;
	u8 sig[SMB2_SIGNATURE_SIZE];
	struct kvec iov[3];

	if (!w->sess || w->pdu.len < sizeof(struct smb2_hdr))
		return false;
	/* The request stays untouched: its Signature counts as zeroes. */
	iov[0].iov_base = (void *)msg;
	iov[0].iov_len = SMBS_SIG_OFF;
	iov[1].iov_base = NULL;
	iov[1].iov_len = SMB2_SIGNATURE_SIZE;
	iov[2].iov_base = (void *)(msg + sizeof(struct smb2_hdr));
	iov[2].iov_len = w->pdu.len - sizeof(struct smb2_hdr);
	if (smbs_sign_compute(w->sess, iov, ARRAY_SIZE(iov), w->pdu.hdr,
			      false, sig))
		return false;
	return !crypto_memneq(sig, w->pdu.hdr->Signature, sizeof(sig));
}

void smbs_sign_rsp(struct smbs_conn *conn, struct smbs_rsp_elem *e)
{
	struct smb2_hdr *hdr = (struct smb2_hdr *)e->buf;
	u8 sig[SMB2_SIGNATURE_SIZE];
	struct kvec iov[3];
	int err;

	hdr->Flags |= SMB2_FLAGS_SIGNED;
	memset(hdr->Signature, 0, sizeof(hdr->Signature));
	iov[0].iov_base = hdr;
	iov[0].iov_len = e->len;
	iov[1].iov_base = e->payload;
	iov[1].iov_len = e->payload ? e->payload_len : 0;
	iov[2].iov_base = NULL;
	iov[2].iov_len = e->pad;
	err = smbs_sign_compute(e->sign_sess, iov, ARRAY_SIZE(iov), hdr, true,
				sig);
	if (err) {
		/* Sent with a zero signature, which the client rejects. */
		pr_warn_ratelimited("%s: cannot sign a response (%d)\n",
				    conn->peer, err);
		return;
	}
	memcpy(hdr->Signature, sig, sizeof(sig));
}
