// SPDX-License-Identifier: GPL-2.0-only
/*
 * NTLMSSP acceptor (MS-NLMP): the CHALLENGE for a client's NEGOTIATE, and
 * the check of its AUTHENTICATE against the NT hash the daemon gives us.
 *
 * Only NTLMv2 responses are accepted. The state kept between the two
 * rounds is one allocation (sess->auth) holding the server challenge and
 * copies of the NEGOTIATE and CHALLENGE messages, which the MIC covers.
 */
#include "server.h"

#include <crypto/arc4.h>
#include <crypto/utils.h>
#include <linux/cred.h>
#include <linux/highuid.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/user_namespace.h>
#include "../common/smb2status.h"
#include "auth_ntlm.h"
#include "ipc.h"
#include "misc.h"
#include "session.h"

/* Largest NEGOTIATE message kept for the MIC; real ones are ~40 bytes. */
#define SMBS_NTLM_NEG_MAX	1024
#define SMBS_NTLM_NEG_MIN	16	/* Signature, MessageType, flags */

/**
 * struct smbs_ntlm_state - NTLM state between NEGOTIATE and AUTHENTICATE
 * @flags: the flags sent in the CHALLENGE
 * @challenge: the server challenge
 * @neg_len: bytes of the NEGOTIATE message at @msgs
 * @chal_len: bytes of the CHALLENGE message after it
 * @msgs: the two messages
 */
struct smbs_ntlm_state {
	u32 flags;
	u8 challenge[SMBS_NTLM_CHALLENGE_SIZE];
	u32 neg_len;
	u32 chal_len;
	u8 msgs[];
};

int smbs_ntlm_msg_type(const u8 *msg, u32 len)
{
	if (len < SMBS_NTLM_SIG_LEN + 4 ||
	    memcmp(msg, SMBS_NTLM_SIGNATURE, SMBS_NTLM_SIG_LEN))
		return -EINVAL;
	return get_unaligned_le32(msg + SMBS_NTLM_SIG_LEN);
}

/* ---- CHALLENGE --------------------------------------------------------- */

/* What we answer to the client's NEGOTIATE flags (MS-NLMP 3.2.5.1.1). */
static u32 ntlm_answer_flags(u32 cli)
{
	u32 echo = SMBS_NTLM_REQUEST_TARGET | SMBS_NTLM_SIGN | SMBS_NTLM_SEAL |
		   SMBS_NTLM_ALWAYS_SIGN | SMBS_NTLM_EXT_SESSION_SECURITY |
		   SMBS_NTLM_VERSION | SMBS_NTLM_128 | SMBS_NTLM_KEY_EXCH |
		   SMBS_NTLM_56;

	return SMBS_NTLM_UNICODE | SMBS_NTLM_NTLM | SMBS_NTLM_TARGET_INFO |
	       SMBS_NTLM_TARGET_TYPE_SERVER | (cli & echo);
}

static void ntlm_set_field(struct smbs_ntlm_field *f, u32 off, u32 len)
{
	f->len = cpu_to_le16(len);
	f->max_len = cpu_to_le16(len);
	f->off = cpu_to_le32(off);
}

/* Append an AV_PAIR with a raw value at *@pos. */
static int ntlm_put_av(u8 *buf, u32 room, u32 *pos, u16 id, const void *val,
		       u16 len)
{
	if (room - *pos < 4 + (u32)len)
		return -ENOSPC;
	put_unaligned_le16(id, buf + *pos);
	put_unaligned_le16(len, buf + *pos + 2);
	if (len)
		memcpy(buf + *pos + 4, val, len);
	*pos += 4 + len;
	return 0;
}

/* Append an AV_PAIR whose value is @str in UTF-16LE. */
static int ntlm_put_av_str(u8 *buf, u32 room, u32 *pos, u16 id,
			   const char *str)
{
	int n;

	if (room - *pos < 4)
		return -ENOSPC;
	n = smbs_utf8_to_utf16(str, strlen(str), buf + *pos + 4,
			       min_t(u32, room - *pos - 4, U16_MAX));
	if (n < 0)
		return n;
	put_unaligned_le16(id, buf + *pos);
	put_unaligned_le16(n, buf + *pos + 2);
	*pos += 4 + n;
	return 0;
}

/* Bytes a CHALLENGE with these names can take (UTF-16 <= 2 x UTF-8). */
static u32 ntlm_challenge_room(const char *nb, const char *wg)
{
	u32 nbl = 2 * strlen(nb), wgl = 2 * strlen(wg);

	return sizeof(struct smbs_ntlm_challenge_msg) + nbl +
	       2 * (4 + nbl) + 2 * (4 + wgl) + (4 + 8) + 4;
}

static int ntlm_build_challenge(const struct smbs_ntlm_state *st, u8 *buf,
				u32 room, const char *nb, const char *wg)
{
	struct smbs_ntlm_challenge_msg *c = (void *)buf;
	u32 pos = sizeof(*c), info;
	__le64 now = cpu_to_le64(smbs_nt_now());
	int n;

	memset(c, 0, sizeof(*c));
	memcpy(c->signature, SMBS_NTLM_SIGNATURE, SMBS_NTLM_SIG_LEN);
	c->type = cpu_to_le32(SMBS_NTLM_CHALLENGE);
	c->flags = cpu_to_le32(st->flags);
	memcpy(c->challenge, st->challenge, sizeof(c->challenge));
	c->version.major = 10;
	c->version.build = cpu_to_le16(20348);
	c->version.revision = 0x0f;

	/* TargetName: we are a server, so our NetBIOS name. */
	n = smbs_utf8_to_utf16(nb, strlen(nb), buf + pos, room - pos);
	if (n < 0)
		return n;
	ntlm_set_field(&c->target_name, pos, n);
	pos += n;

	info = pos;
	n = ntlm_put_av_str(buf, room, &pos, SMBS_AV_NB_DOMAIN_NAME, wg);
	if (!n)
		n = ntlm_put_av_str(buf, room, &pos, SMBS_AV_NB_COMPUTER_NAME,
				    nb);
	if (!n)
		n = ntlm_put_av_str(buf, room, &pos, SMBS_AV_DNS_DOMAIN_NAME,
				    wg);
	if (!n)
		n = ntlm_put_av_str(buf, room, &pos, SMBS_AV_DNS_COMPUTER_NAME,
				    nb);
	if (!n)
		n = ntlm_put_av(buf, room, &pos, SMBS_AV_TIMESTAMP, &now,
				sizeof(now));
	if (!n)
		n = ntlm_put_av(buf, room, &pos, SMBS_AV_EOL, NULL, 0);
	if (n)
		return n;
	ntlm_set_field(&c->target_info, info, pos - info);
	return pos;
}

__le32 smbs_ntlm_negotiate(void **state, const u8 *msg, u32 len,
			   const u8 **chal, u32 *chal_len)
{
	char nb[SMB_SERVER_NETBIOS_MAX], wg[SMB_SERVER_NAME_MAX];
	struct smbs_ntlm_state *st;
	u32 cli, room;
	int ret;

	if (len < SMBS_NTLM_NEG_MIN || len > SMBS_NTLM_NEG_MAX)
		return STATUS_INVALID_PARAMETER;
	cli = get_unaligned_le32(msg + 12);
	/* Every SMB2 client speaks Unicode; OEM strings are not supported. */
	if (!(cli & SMBS_NTLM_UNICODE))
		return STATUS_NOT_SUPPORTED;

	down_read(&smbs_config_lock);
	strscpy(nb, smbs_cfg.netbios_name, sizeof(nb));
	strscpy(wg, smbs_cfg.workgroup, sizeof(wg));
	up_read(&smbs_config_lock);

	room = ntlm_challenge_room(nb, wg);
	st = kzalloc(struct_size(st, msgs, len + room), GFP_KERNEL);
	if (!st)
		return STATUS_INSUFFICIENT_RESOURCES;
	st->flags = ntlm_answer_flags(cli);
	get_random_bytes(st->challenge, sizeof(st->challenge));
	memcpy(st->msgs, msg, len);
	st->neg_len = len;
	ret = ntlm_build_challenge(st, st->msgs + len, room, nb, wg);
	if (ret < 0) {
		pr_warn_ratelimited("cannot encode the server names (%d)\n",
				    ret);
		kfree(st);
		return STATUS_INTERNAL_ERROR;
	}
	st->chal_len = ret;

	kfree_sensitive(*state);
	*state = st;
	*chal = st->msgs + len;
	*chal_len = st->chal_len;
	return STATUS_MORE_PROCESSING_REQUIRED;
}

/* ---- AUTHENTICATE parsing ---------------------------------------------- */

static int ntlm_field(const u8 *msg, u32 len, const struct smbs_ntlm_field *f,
		      u32 *lowest, struct smbs_buf *out)
{
	const struct smbs_buf whole = { .ptr = msg, .len = len };
	u32 flen = le16_to_cpu(f->len), off = le32_to_cpu(f->off);

	out->ptr = NULL;
	out->len = 0;
	if (!flen)
		return 0;
	/* Payload comes after the fixed part, and inside the message. */
	if (off < SMBS_NTLM_AUTH_MIN || !smbs_buf_sub(&whole, off, flen, out))
		return -EINVAL;
	*lowest = min(*lowest, off);
	return 0;
}

/* Find MsvAvFlags in the AV pairs of an NTLMv2 response. */
static int ntlm_av_flags(const struct smbs_buf *nt, u32 *flags)
{
	u32 skip = SMBS_NTLMV2_PROOF_SIZE + SMBS_NTLMV2_BLOB_HDR, pos = 0;
	struct smbs_buf avs, val;
	const u8 *h;
	u16 id, len;

	if (nt->len < skip || !smbs_buf_sub(nt, skip, nt->len - skip, &avs))
		return -EINVAL;
	for (;;) {
		h = smbs_buf_at(&avs, pos, 4);
		if (!h)
			return -EINVAL;		/* no MsvAvEOL */
		id = get_unaligned_le16(h);
		len = get_unaligned_le16(h + 2);
		if (!smbs_buf_sub(&avs, pos + 4, len, &val))
			return -EINVAL;
		if (id == SMBS_AV_EOL)
			return 0;
		if (id == SMBS_AV_FLAGS && len == 4)
			*flags = get_unaligned_le32(val.ptr);
		pos += 4 + len;
	}
}

int smbs_ntlm_parse_auth(const u8 *msg, u32 len, struct smbs_ntlm_auth *a)
{
	const struct smbs_ntlm_auth_msg *m = (const void *)msg;
	u32 lowest = len;

	memset(a, 0, sizeof(*a));
	if (len < SMBS_NTLM_AUTH_MIN ||
	    smbs_ntlm_msg_type(msg, len) != SMBS_NTLM_AUTHENTICATE)
		return -EINVAL;
	a->flags = le32_to_cpu(m->flags);
	if (ntlm_field(msg, len, &m->lm, &lowest, &a->lm) ||
	    ntlm_field(msg, len, &m->nt, &lowest, &a->nt) ||
	    ntlm_field(msg, len, &m->domain, &lowest, &a->domain) ||
	    ntlm_field(msg, len, &m->user, &lowest, &a->user) ||
	    ntlm_field(msg, len, &m->host, &lowest, &a->host) ||
	    ntlm_field(msg, len, &m->session_key, &lowest, &a->session_key))
		return -EINVAL;
	/* Names are UTF-16 (we only negotiate Unicode). */
	if ((a->domain.len | a->user.len | a->host.len) & 1)
		return -EINVAL;
	if (a->nt.len > SMBS_NTLMV1_RESP_SIZE &&
	    ntlm_av_flags(&a->nt, &a->av_flags))
		return -EINVAL;
	/* With a MIC the fixed part runs to its end. */
	if ((a->av_flags & SMBS_AV_FLAG_MIC) &&
	    (len < SMBS_NTLM_MIC_END || lowest < SMBS_NTLM_MIC_END))
		return -EINVAL;
	return 0;
}

/* ---- NTLMv2 ------------------------------------------------------------ */

/*
 * Upper-case one UTF-16 unit the way Windows does for the scripts user
 * names are written in: Latin (Basic, Latin-1, Extended-A), Greek and
 * Cyrillic. Other characters are left as they are.
 */
static u16 ntlm_upcase(u16 c)
{
	if (c >= 'a' && c <= 'z')
		return c - 0x20;
	if (c < 0xe0)
		return c;
	if (c <= 0xfe)
		return c == 0xf7 ? c : c - 0x20;
	if (c == 0xff)
		return 0x178;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14a && c <= 0x177))
		return c & ~1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
		return (c & 1) ? c : c - 1;
	if (c >= 0x3b1 && c <= 0x3cb && c != 0x3c2)
		return c - 0x20;
	if (c == 0x3c2)			/* final sigma */
		return 0x3a3;
	if (c >= 0x430 && c <= 0x44f)
		return c - 0x20;
	if (c >= 0x450 && c <= 0x45f)
		return c - 0x50;
	return c;
}

int smbs_ntlm_ntowfv2(const u8 *nt_hash, const struct smbs_buf *user,
		      const struct smbs_buf *domain, u8 *out)
{
	struct kvec iov[2];
	__le16 *up;
	u32 i;
	int err;

	if (user->len & 1)
		return -EINVAL;
	up = kmalloc(max(user->len, 2U), GFP_KERNEL);
	if (!up)
		return -ENOMEM;
	for (i = 0; i < user->len / 2; i++)
		up[i] = cpu_to_le16(ntlm_upcase(get_unaligned_le16(user->ptr +
								   2 * i)));
	iov[0].iov_base = up;
	iov[0].iov_len = user->len;
	iov[1].iov_base = (void *)domain->ptr;
	iov[1].iov_len = domain->len;
	err = smbs_shash("hmac(md5)", nt_hash, SMBS_NTLM_HASH_SIZE, iov, 2,
			 out);
	kfree(up);
	return err;
}

int smbs_ntlm_v2_verify(const u8 *ntowf, const u8 *srv_chal,
			const struct smbs_buf *nt, u8 *base_key)
{
	u8 proof[SMBS_NTLM_HASH_SIZE];
	struct kvec iov[2];
	int err;

	if (nt->len < SMBS_NTLMV2_PROOF_SIZE + SMBS_NTLMV2_BLOB_HDR)
		return -EINVAL;
	/* NTProofStr = HMAC_MD5(NTOWFv2, ServerChallenge || blob) */
	iov[0].iov_base = (void *)srv_chal;
	iov[0].iov_len = SMBS_NTLM_CHALLENGE_SIZE;
	iov[1].iov_base = (void *)(nt->ptr + SMBS_NTLMV2_PROOF_SIZE);
	iov[1].iov_len = nt->len - SMBS_NTLMV2_PROOF_SIZE;
	err = smbs_shash("hmac(md5)", ntowf, SMBS_NTLM_HASH_SIZE, iov, 2,
			 proof);
	if (err)
		return err;
	if (crypto_memneq(proof, nt->ptr, SMBS_NTLMV2_PROOF_SIZE)) {
		memzero_explicit(proof, sizeof(proof));
		return -EACCES;
	}
	/* SessionBaseKey = HMAC_MD5(NTOWFv2, NTProofStr) */
	iov[0].iov_base = proof;
	iov[0].iov_len = sizeof(proof);
	err = smbs_shash("hmac(md5)", ntowf, SMBS_NTLM_HASH_SIZE, iov, 1,
			 base_key);
	memzero_explicit(proof, sizeof(proof));
	return err;
}

int smbs_ntlm_key_exchange(const u8 *kxkey, const u8 *enc, u8 *out)
{
	struct arc4_ctx *ctx = kmalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	arc4_setkey(ctx, kxkey, SMBS_NTLM_HASH_SIZE);
	arc4_crypt(ctx, out, enc, SMBS_NTLM_HASH_SIZE);
	kfree_sensitive(ctx);
	return 0;
}

/* ---- message signatures (MS-NLMP 3.4.4) -------------------------------- */

/* The magic constants of SIGNKEY and SEALKEY, NUL included (MS-NLMP 3.4.5) */
static const char ntlm_sign_s2c[] =
	"session key to server-to-client signing key magic constant";
static const char ntlm_sign_c2s[] =
	"session key to client-to-server signing key magic constant";
static const char ntlm_seal_s2c[] =
	"session key to server-to-client sealing key magic constant";
static const char ntlm_seal_c2s[] =
	"session key to client-to-server sealing key magic constant";

/* MD5(@key[0..@key_len) || @magic, its NUL included) */
static int ntlm_dir_key(const u8 *key, u32 key_len, const char *magic,
			u8 *out)
{
	struct kvec iov[2] = {
		{ .iov_base = (void *)key, .iov_len = key_len },
		{ .iov_base = (void *)magic, .iov_len = strlen(magic) + 1 },
	};

	return smbs_shash("md5", NULL, 0, iov, 2, out);
}

int smbs_ntlm_mac(const u8 *key, u32 flags, bool from_server, const u8 *data,
		  u32 len, u8 *mac)
{
	u8 sign_key[SMBS_NTLM_HASH_SIZE], seal_key[SMBS_NTLM_HASH_SIZE];
	u8 digest[SMBS_NTLM_HASH_SIZE], seq[4] = { 0 };
	struct kvec iov[2] = {
		{ .iov_base = seq, .iov_len = sizeof(seq) },
		{ .iov_base = (void *)data, .iov_len = len },
	};
	/* SEALKEY: all 16 bytes with NTLMSSP_NEGOTIATE_128, else 7 or 5. */
	u32 seal_len = flags & SMBS_NTLM_128 ? SMBS_NTLM_HASH_SIZE :
		       flags & SMBS_NTLM_56 ? 7 : 5;
	int err;

	err = ntlm_dir_key(key, SMBS_NTLM_HASH_SIZE,
			   from_server ? ntlm_sign_s2c : ntlm_sign_c2s,
			   sign_key);
	if (!err)
		err = smbs_shash("hmac(md5)", sign_key, sizeof(sign_key), iov,
				 2, digest);
	if (!err && (flags & SMBS_NTLM_KEY_EXCH)) {
		err = ntlm_dir_key(key, seal_len,
				   from_server ? ntlm_seal_s2c : ntlm_seal_c2s,
				   seal_key);
		/* The first use of the direction's RC4 stream. */
		if (!err)
			err = smbs_ntlm_key_exchange(seal_key, digest, digest);
	}
	if (!err) {
		put_unaligned_le32(1, mac);			/* Version */
		memcpy(mac + 4, digest, 8);			/* Checksum */
		memcpy(mac + 12, seq, sizeof(seq));		/* SeqNum */
	}
	memzero_explicit(sign_key, sizeof(sign_key));
	memzero_explicit(seal_key, sizeof(seal_key));
	memzero_explicit(digest, sizeof(digest));
	return err;
}

/* MIC = HMAC_MD5(ExportedSessionKey, NEGOTIATE || CHALLENGE || AUTH') */
static int ntlm_check_mic(const struct smbs_ntlm_state *st, const u8 *msg,
			  u32 len, const u8 *key)
{
	static const u8 zero[SMBS_NTLM_MIC_END - SMBS_NTLM_MIC_OFF];
	u8 mic[SMBS_NTLM_HASH_SIZE];
	struct kvec iov[] = {
		{ .iov_base = (void *)st->msgs, .iov_len = st->neg_len },
		{ .iov_base = (void *)(st->msgs + st->neg_len),
		  .iov_len = st->chal_len },
		{ .iov_base = (void *)msg, .iov_len = SMBS_NTLM_MIC_OFF },
		{ .iov_base = (void *)zero, .iov_len = sizeof(zero) },
		{ .iov_base = (void *)(msg + SMBS_NTLM_MIC_END),
		  .iov_len = len - SMBS_NTLM_MIC_END },
	};
	int err;

	err = smbs_shash("hmac(md5)", key, SMBS_NTLM_HASH_SIZE, iov,
			 ARRAY_SIZE(iov), mic);
	if (!err && crypto_memneq(mic, msg + SMBS_NTLM_MIC_OFF, sizeof(mic)))
		err = -EBADMSG;
	return err;
}

/* ---- the user ---------------------------------------------------------- */

/* Build the session's user; takes over *@name and *@domain on success. */
static struct smbs_user *ntlm_make_user(char **name, char **domain,
					const struct smbs_login_info *info)
{
	u32 i, ngroups = min_t(u32, info->ngroups, SMB_SERVER_MAX_GROUPS);
	struct smbs_user *u = kzalloc(sizeof(*u), GFP_KERNEL);

	if (!u)
		return NULL;
	if (ngroups) {
		u->groups = groups_alloc(ngroups);
		if (!u->groups) {
			kfree(u);
			return NULL;
		}
		for (i = 0; i < ngroups; i++)
			u->groups->gid[i] = info->groups[i];
		groups_sort(u->groups);
	}
	u->uid = info->uid;
	u->gid = info->gid;
	u->flags = info->flags;
	u->name = *name;
	u->domain = *domain;
	*name = NULL;
	*domain = NULL;
	return u;
}

/* An anonymous logon: a null session acting as the guest. */
static __le32 ntlm_anonymous(char **name, char **domain,
			     struct smbs_ntlm_result *res)
{
	struct smbs_login_info info = {
		.uid = make_kuid(&init_user_ns, overflowuid),
		.gid = make_kgid(&init_user_ns, overflowgid),
		.flags = SMB_SERVER_USER_GUEST,
	};

	res->user = ntlm_make_user(name, domain, &info);
	if (!res->user)
		return STATUS_INSUFFICIENT_RESOURCES;
	res->anonymous = true;
	return STATUS_SUCCESS;
}

/* Verify the response with the account's NT hash; set the session key. */
static int ntlm_check_user(const struct smbs_ntlm_state *st,
			   const struct smbs_ntlm_auth *a, const u8 *msg,
			   u32 len, const u8 *nt_hash, u8 *key)
{
	u8 ntowf[SMBS_NTLM_HASH_SIZE], base[SMBS_NTLM_HASH_SIZE];
	int err;

	err = smbs_ntlm_ntowfv2(nt_hash, &a->user, &a->domain, ntowf);
	if (!err)
		err = smbs_ntlm_v2_verify(ntowf, st->challenge, &a->nt, base);
	memzero_explicit(ntowf, sizeof(ntowf));
	if (err)
		return err;
	/* For NTLMv2 the key exchange key is the session base key. */
	if (a->flags & SMBS_NTLM_KEY_EXCH) {
		if (a->session_key.len != SMBS_NTLM_HASH_SIZE)
			err = -EINVAL;
		else
			err = smbs_ntlm_key_exchange(base, a->session_key.ptr,
						     key);
	} else {
		memcpy(key, base, SMBS_NTLM_HASH_SIZE);
	}
	memzero_explicit(base, sizeof(base));
	if (!err && (a->av_flags & SMBS_AV_FLAG_MIC))
		err = ntlm_check_mic(st, msg, len, key);
	return err;
}

static __le32 ntlm_login(const struct smbs_ntlm_state *st,
			 const struct smbs_ntlm_auth *a, const u8 *msg,
			 u32 len, const char *peer, char **name,
			 char **domain, struct smbs_ntlm_result *res)
{
	struct smbs_login_info info;
	const char *why;
	__le32 status = STATUS_LOGON_FAILURE;
	int err;

	memset(&info, 0, sizeof(info));
	if (a->nt.len <= SMBS_NTLMV1_RESP_SIZE) {
		why = "LM/NTLMv1 response refused";
		goto fail;
	}
	err = smbs_ipc_login(*name, *domain, &info);
	if (err == -ENOMEM) {
		status = STATUS_INSUFFICIENT_RESOURCES;
		goto out;
	}
	if (err == -ENOTCONN || err == -ETIMEDOUT) {
		/* Nobody to check the password against (MS-ERREF 2.3.1). */
		status = STATUS_NO_LOGON_SERVERS;
		why = err == -ENOTCONN ? "no daemon is running" :
					 "the daemon did not answer";
		goto fail;
	}
	why = err == -ENOENT ? "unknown user" : "the daemon refused the look-up";
	if (err)
		goto fail;
	why = "account disabled";
	if (info.flags & SMB_SERVER_USER_DISABLED)
		goto fail;
	if (!info.has_hash) {
		/* The daemon maps unknown users to guest: no key, no MIC. */
		why = "no credentials for the account";
		if (!(info.flags & SMB_SERVER_USER_GUEST))
			goto fail;
		res->guest = true;
	} else {
		err = ntlm_check_user(st, a, msg, len, info.nt_hash,
				      res->session_key);
		if (err == -EINVAL) {
			status = STATUS_INVALID_PARAMETER;
			goto out;
		}
		why = err == -EACCES ? "wrong password" :
		      err == -EBADMSG ? "MIC mismatch" : "crypto failure";
		if (err)
			goto fail;
	}
	res->flags = a->flags;
	res->user = ntlm_make_user(name, domain, &info);
	status = res->user ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
	goto out;
fail:
	pr_warn_ratelimited("%s: logon failure for %.64s\\%.64s: %s\n", peer,
			    *domain, *name, why);
out:
	memzero_explicit(&info, sizeof(info));
	if (status != STATUS_SUCCESS)
		memzero_explicit(res->session_key, sizeof(res->session_key));
	return status;
}

static __le32 ntlm_name(const struct smbs_buf *b, char **out)
{
	int err = smbs_utf16_to_utf8(b->ptr, b->len, out);

	if (err == -ENOMEM)
		return STATUS_INSUFFICIENT_RESOURCES;
	return err < 0 ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
}

__le32 smbs_ntlm_authenticate(void **state, const u8 *msg, u32 len,
			      const char *peer, struct smbs_ntlm_result *res)
{
	struct smbs_ntlm_state *st = *state;
	char *name = NULL, *domain = NULL;
	struct smbs_ntlm_auth a;
	__le32 status;

	memset(res, 0, sizeof(*res));
	*state = NULL;
	if (!st)			/* no CHALLENGE was sent */
		return STATUS_INVALID_PARAMETER;
	if (smbs_ntlm_parse_auth(msg, len, &a)) {
		status = STATUS_INVALID_PARAMETER;
		goto out;
	}
	status = ntlm_name(&a.user, &name);
	if (status == STATUS_SUCCESS)
		status = ntlm_name(&a.domain, &domain);
	if (status != STATUS_SUCCESS)
		goto out;

	/* MS-NLMP 3.2.5.1.2: empty user and NT response, LM empty or Z(1) */
	if (!a.user.len && !a.nt.len && a.lm.len <= 1)
		status = ntlm_anonymous(&name, &domain, res);
	else
		status = ntlm_login(st, &a, msg, len, peer, &name, &domain,
				    res);
out:
	kfree(name);
	kfree(domain);
	kfree_sensitive(st);
	return status;
}
