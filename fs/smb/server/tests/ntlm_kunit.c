// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for NTLMv2, the NTLMSSP and SPNEGO parsers, key derivation
 * and message signing.
 *
 * The NTLMv2 values are those of MS-NLMP 4.2.4, the SMB 3.0 signing key
 * that of the MS open specifications blog "SMB 2 and SMB 3 security in
 * Windows 10". The other expected keys and signatures were computed with
 * an independent implementation (Python hmac/hashlib and "cryptography").
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include "../../common/smb2status.h"
#include "../auth.h"
#include "../auth_ntlm.h"
#include "../connection.h"
#include "../ipc.h"
#include "../session.h"
#include "../spnego.h"
#include "../work.h"

/* ---- MS-NLMP 4.2.4 ----------------------------------------------------- */

/* UTF-16LE "User", "user" and "Domain" */
static const u8 t_user[] = { 'U', 0, 's', 0, 'e', 0, 'r', 0 };
static const u8 t_user_lc[] = { 'u', 0, 's', 0, 'e', 0, 'r', 0 };
static const u8 t_domain[] = { 'D', 0, 'o', 0, 'm', 0, 'a', 0, 'i', 0,
			       'n', 0 };

/* NTOWFv1("Password"), MS-NLMP 4.2.2.1.2 */
static const u8 t_nt_hash[16] = {
	0xa4, 0xf4, 0x9c, 0x40, 0x65, 0x10, 0xbd, 0xca,
	0xb6, 0x82, 0x4e, 0xe7, 0xc3, 0x0f, 0xd8, 0x52,
};

static const u8 t_ntowfv2[16] = {
	0x0c, 0x86, 0x8a, 0x40, 0x3b, 0xfd, 0x7a, 0x93,
	0xa3, 0x00, 0x1e, 0xf2, 0x2e, 0xf0, 0x2e, 0x3f,
};

static const u8 t_srv_chal[8] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
};

/* NTProofStr || temp (time 0, client challenge aa..aa, the AV pairs) */
static const u8 t_nt_resp[] = {
	0x68, 0xcd, 0x0a, 0xb8, 0x51, 0xe5, 0x1c, 0x96,
	0xaa, 0xbc, 0x92, 0x7b, 0xeb, 0xef, 0x6a, 0x1c,
	0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
	0x00, 0x00, 0x00, 0x00,
	0x02, 0x00, 0x0c, 0x00, 'D', 0, 'o', 0, 'm', 0, 'a', 0, 'i', 0,
	'n', 0,
	0x01, 0x00, 0x0c, 0x00, 'S', 0, 'e', 0, 'r', 0, 'v', 0, 'e', 0,
	'r', 0,
	0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};

static const u8 t_base_key[16] = {
	0x8d, 0xe4, 0x0c, 0xca, 0xdb, 0xc1, 0x4a, 0x82,
	0xf1, 0x5c, 0xb0, 0xad, 0x0d, 0xe9, 0x5c, 0xa3,
};

static const u8 t_enc_key[16] = {
	0xc5, 0xda, 0xd2, 0x54, 0x4f, 0xc9, 0x79, 0x90,
	0x94, 0xce, 0x1c, 0xe9, 0x0b, 0xc9, 0xd0, 0x3e,
};

static void smbs_ntlm_test_ntowfv2(struct kunit *test)
{
	struct smbs_buf user = { t_user, sizeof(t_user) };
	struct smbs_buf lc = { t_user_lc, sizeof(t_user_lc) };
	struct smbs_buf dom = { t_domain, sizeof(t_domain) };
	u8 out[16];

	KUNIT_ASSERT_EQ(test, smbs_ntlm_ntowfv2(t_nt_hash, &user, &dom, out),
			0);
	KUNIT_EXPECT_MEMEQ(test, out, t_ntowfv2, 16);
	/* The user name is upper-cased, the domain is not. */
	KUNIT_ASSERT_EQ(test, smbs_ntlm_ntowfv2(t_nt_hash, &lc, &dom, out), 0);
	KUNIT_EXPECT_MEMEQ(test, out, t_ntowfv2, 16);
}

static void smbs_ntlm_test_v2_response(struct kunit *test)
{
	struct smbs_buf nt = { t_nt_resp, sizeof(t_nt_resp) };
	u8 bad[sizeof(t_nt_resp)], key[16], exported[16];

	KUNIT_ASSERT_EQ(test, smbs_ntlm_v2_verify(t_ntowfv2, t_srv_chal, &nt,
						  key), 0);
	KUNIT_EXPECT_MEMEQ(test, key, t_base_key, 16);

	/* KEY_EXCH: RC4(base key, EncryptedRandomSessionKey) = 55..55 */
	KUNIT_ASSERT_EQ(test, smbs_ntlm_key_exchange(key, t_enc_key, exported),
			0);
	memset(key, 0x55, sizeof(key));
	KUNIT_EXPECT_MEMEQ(test, exported, key, 16);

	/* A changed proof, blob or challenge is refused. */
	memcpy(bad, t_nt_resp, sizeof(bad));
	bad[3] ^= 1;
	nt.ptr = bad;
	KUNIT_EXPECT_EQ(test, smbs_ntlm_v2_verify(t_ntowfv2, t_srv_chal, &nt,
						  key), -EACCES);
	bad[3] ^= 1;
	bad[40] ^= 1;
	KUNIT_EXPECT_EQ(test, smbs_ntlm_v2_verify(t_ntowfv2, t_srv_chal, &nt,
						  key), -EACCES);
	nt.ptr = t_nt_resp;
	KUNIT_EXPECT_EQ(test, smbs_ntlm_v2_verify(t_ntowfv2, t_ntowfv2, &nt,
						  key), -EACCES);
	/* An NTLMv1-sized response is not an NTLMv2 one. */
	nt.len = 24;
	KUNIT_EXPECT_EQ(test, smbs_ntlm_v2_verify(t_ntowfv2, t_srv_chal, &nt,
						  key), -EINVAL);
}

/* ---- AUTHENTICATE parsing ---------------------------------------------- */

#define T_AUTH_SIZE	512

static void t_field(u8 *buf, struct smbs_ntlm_field *f, u32 *pos,
		    const void *val, u32 len)
{
	f->len = cpu_to_le16(len);
	f->max_len = cpu_to_le16(len);
	f->off = cpu_to_le32(*pos);
	memcpy(buf + *pos, val, len);
	*pos += len;
}

/* An AUTHENTICATE for @user (UTF-16) with @nt; a MIC field if @mic. */
static u32 t_build_auth_user(u8 *buf, const u8 *user, u32 user_len,
			     const u8 *nt, u32 nt_len, bool mic)
{
	struct smbs_ntlm_auth_msg *m = (void *)buf;
	static const u8 lm[24], host[] = { 'P', 0, 'C', 0 };
	u32 pos = mic ? SMBS_NTLM_MIC_END : SMBS_NTLM_AUTH_MIN;

	memset(buf, 0, T_AUTH_SIZE);
	memcpy(m->signature, SMBS_NTLM_SIGNATURE, SMBS_NTLM_SIG_LEN);
	m->type = cpu_to_le32(SMBS_NTLM_AUTHENTICATE);
	m->flags = cpu_to_le32(SMBS_NTLM_UNICODE | SMBS_NTLM_KEY_EXCH);
	t_field(buf, &m->lm, &pos, lm, user_len ? sizeof(lm) : 1);
	t_field(buf, &m->nt, &pos, nt, nt_len);
	t_field(buf, &m->domain, &pos, t_domain, user_len ? sizeof(t_domain) : 0);
	t_field(buf, &m->user, &pos, user, user_len);
	t_field(buf, &m->host, &pos, host, sizeof(host));
	t_field(buf, &m->session_key, &pos, t_enc_key, sizeof(t_enc_key));
	return pos;
}

static u32 t_build_auth(u8 *buf, const u8 *nt, u32 nt_len, bool mic)
{
	return t_build_auth_user(buf, t_user, sizeof(t_user), nt, nt_len, mic);
}

/* t_nt_resp with MsvAvFlags = MIC present inserted before MsvAvEOL */
static u32 t_nt_with_mic(u8 *out)
{
	static const u8 flags_av[] = { 0x06, 0x00, 0x04, 0x00,
				       0x02, 0x00, 0x00, 0x00 };
	u32 eol = sizeof(t_nt_resp) - 8;

	memcpy(out, t_nt_resp, eol);
	memcpy(out + eol, flags_av, sizeof(flags_av));
	memcpy(out + eol + sizeof(flags_av), t_nt_resp + eol, 8);
	return sizeof(t_nt_resp) + sizeof(flags_av);
}

static void smbs_ntlm_test_parse_auth(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, T_AUTH_SIZE, GFP_KERNEL);
	struct smbs_ntlm_auth_msg *m = (void *)buf;
	struct smbs_ntlm_auth a;
	u32 len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = t_build_auth(buf, t_nt_resp, sizeof(t_nt_resp), false);
	KUNIT_ASSERT_EQ(test, smbs_ntlm_parse_auth(buf, len, &a), 0);
	KUNIT_EXPECT_EQ(test, a.nt.len, (u32)sizeof(t_nt_resp));
	KUNIT_EXPECT_MEMEQ(test, a.nt.ptr, t_nt_resp, sizeof(t_nt_resp));
	KUNIT_EXPECT_MEMEQ(test, a.user.ptr, t_user, sizeof(t_user));
	KUNIT_EXPECT_EQ(test, a.session_key.len, 16U);
	KUNIT_EXPECT_EQ(test, a.av_flags, 0U);

	/* Truncated: the last field runs past the end. */
	KUNIT_EXPECT_EQ(test, smbs_ntlm_parse_auth(buf, len - 1, &a), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbs_ntlm_parse_auth(buf, 40, &a), -EINVAL);
	/* Offsets past the end, wrapping, or inside the fixed part. */
	m->user.off = cpu_to_le32(len);
	KUNIT_EXPECT_EQ(test, smbs_ntlm_parse_auth(buf, len, &a), -EINVAL);
	m->user.off = cpu_to_le32(0xfffffffe);
	KUNIT_EXPECT_EQ(test, smbs_ntlm_parse_auth(buf, len, &a), -EINVAL);
	m->user.off = cpu_to_le32(8);
	KUNIT_EXPECT_EQ(test, smbs_ntlm_parse_auth(buf, len, &a), -EINVAL);
	len = t_build_auth(buf, t_nt_resp, sizeof(t_nt_resp), false);
	m->nt.len = cpu_to_le16(0xffff);
	KUNIT_EXPECT_EQ(test, smbs_ntlm_parse_auth(buf, len, &a), -EINVAL);
	/* Odd UTF-16 length */
	len = t_build_auth(buf, t_nt_resp, sizeof(t_nt_resp), false);
	m->user.len = cpu_to_le16(3);
	KUNIT_EXPECT_EQ(test, smbs_ntlm_parse_auth(buf, len, &a), -EINVAL);
	/* Not an AUTHENTICATE message */
	len = t_build_auth(buf, t_nt_resp, sizeof(t_nt_resp), false);
	m->type = cpu_to_le32(SMBS_NTLM_NEGOTIATE);
	KUNIT_EXPECT_EQ(test, smbs_ntlm_parse_auth(buf, len, &a), -EINVAL);
	m->type = cpu_to_le32(SMBS_NTLM_AUTHENTICATE);
	buf[0] = 'X';
	KUNIT_EXPECT_EQ(test, smbs_ntlm_parse_auth(buf, len, &a), -EINVAL);
	/* An NTLMv2 blob whose AV pairs overrun it, or lack MsvAvEOL */
	len = t_build_auth(buf, t_nt_resp, sizeof(t_nt_resp) - 8, false);
	KUNIT_EXPECT_EQ(test, smbs_ntlm_parse_auth(buf, len, &a), -EINVAL);
	len = t_build_auth(buf, t_nt_resp, 30, false);
	KUNIT_EXPECT_EQ(test, smbs_ntlm_parse_auth(buf, len, &a), -EINVAL);
}

static void smbs_ntlm_test_parse_auth_mic(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, T_AUTH_SIZE, GFP_KERNEL);
	u8 nt[sizeof(t_nt_resp) + 8];
	struct smbs_ntlm_auth a;
	u32 nt_len, len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	nt_len = t_nt_with_mic(nt);
	len = t_build_auth(buf, nt, nt_len, true);
	KUNIT_ASSERT_EQ(test, smbs_ntlm_parse_auth(buf, len, &a), 0);
	KUNIT_EXPECT_EQ(test, a.av_flags, (u32)SMBS_AV_FLAG_MIC);
	/* A MIC is announced but the payload overlaps where it would be. */
	len = t_build_auth(buf, nt, nt_len, false);
	KUNIT_EXPECT_EQ(test, smbs_ntlm_parse_auth(buf, len, &a), -EINVAL);
}

static void smbs_ntlm_test_msg_type(struct kunit *test)
{
	static const u8 neg[] = { 'N', 'T', 'L', 'M', 'S', 'S', 'P', 0,
				  1, 0, 0, 0, 0x01, 0x02, 0x08, 0xa0 };

	KUNIT_EXPECT_EQ(test, smbs_ntlm_msg_type(neg, sizeof(neg)), 1);
	KUNIT_EXPECT_EQ(test, smbs_ntlm_msg_type(neg, 11), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbs_ntlm_msg_type(neg + 1, 12), -EINVAL);
}

/* A NEGOTIATE with the flags Windows clients send */
static const u8 t_negotiate[] = {
	'N', 'T', 'L', 'M', 'S', 'S', 'P', 0, 1, 0, 0, 0, 0x97, 0x82, 0x08, 0xe2,
};

static void t_status(struct kunit *test, __le32 got, __le32 want)
{
	KUNIT_EXPECT_EQ(test, le32_to_cpu(got), le32_to_cpu(want));
}

static void smbs_ntlm_test_challenge(struct kunit *test)
{
	const struct smbs_ntlm_challenge_msg *c;
	__le32 st;
	struct smbs_buf msg, info, av;
	void *state = NULL;
	u32 len, pos = 0, ids = 0;
	const u8 *chal, *h;

	st = smbs_ntlm_negotiate(&state, t_negotiate, sizeof(t_negotiate),
				 &chal, &len);
	KUNIT_ASSERT_EQ(test, le32_to_cpu(st),
			le32_to_cpu(STATUS_MORE_PROCESSING_REQUIRED));
	KUNIT_ASSERT_NOT_NULL(test, state);
	KUNIT_ASSERT_EQ(test, smbs_ntlm_msg_type(chal, len),
			SMBS_NTLM_CHALLENGE);
	c = (const void *)chal;
	/* What Windows servers answer to these flags (no LM_KEY, OEM) */
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c->flags), 0xe28a8215);
	msg.ptr = chal;
	msg.len = len;
	KUNIT_EXPECT_TRUE(test, smbs_buf_sub(&msg, le32_to_cpu(c->target_name.off),
					     le16_to_cpu(c->target_name.len),
					     &av));
	KUNIT_ASSERT_TRUE(test, smbs_buf_sub(&msg, le32_to_cpu(c->target_info.off),
					     le16_to_cpu(c->target_info.len),
					     &info));
	/* NbDomain, NbComputer, DnsDomain, DnsComputer, Timestamp, EOL */
	while ((h = smbs_buf_at(&info, pos, 4))) {
		ids = ids << 4 | get_unaligned_le16(h);
		KUNIT_ASSERT_TRUE(test, smbs_buf_sub(&info, pos + 4,
						     get_unaligned_le16(h + 2),
						     &av));
		if (get_unaligned_le16(h) == SMBS_AV_TIMESTAMP)
			KUNIT_EXPECT_EQ(test, av.len, 8U);
		pos += 4 + av.len;
	}
	KUNIT_EXPECT_EQ(test, pos, info.len);
	KUNIT_EXPECT_EQ(test, ids, 0x214370U);
	kfree(state);
}

static void smbs_ntlm_test_authenticate(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, T_AUTH_SIZE, GFP_KERNEL);
	struct smbs_ntlm_result res;
	void *state = NULL;
	const u8 *chal;
	u32 len, clen;
	__le32 st;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* No CHALLENGE sent yet */
	len = t_build_auth_user(buf, NULL, 0, NULL, 0, false);
	st = smbs_ntlm_authenticate(&state, buf, len, "kunit", &res);
	t_status(test, st, STATUS_INVALID_PARAMETER);

	/* Anonymous: a null session acting as guest; the state is consumed */
	smbs_ntlm_negotiate(&state, t_negotiate, sizeof(t_negotiate), &chal,
			    &clen);
	st = smbs_ntlm_authenticate(&state, buf, len, "kunit", &res);
	t_status(test, st, STATUS_SUCCESS);
	KUNIT_EXPECT_NULL(test, state);
	KUNIT_EXPECT_TRUE(test, res.anonymous);
	KUNIT_ASSERT_NOT_NULL(test, res.user);
	KUNIT_EXPECT_STREQ(test, res.user->name, "");
	KUNIT_EXPECT_EQ(test, res.user->flags, (u32)SMB_SERVER_USER_GUEST);
	smbs_user_free(res.user);

	/* NTLMv1 is refused before the daemon is asked */
	smbs_ntlm_negotiate(&state, t_negotiate, sizeof(t_negotiate), &chal,
			    &clen);
	len = t_build_auth(buf, t_nt_resp, 24, false);
	st = smbs_ntlm_authenticate(&state, buf, len, "kunit", &res);
	t_status(test, st, STATUS_LOGON_FAILURE);
	KUNIT_EXPECT_NULL(test, res.user);

	/* Malformed */
	smbs_ntlm_negotiate(&state, t_negotiate, sizeof(t_negotiate), &chal,
			    &clen);
	st = smbs_ntlm_authenticate(&state, buf, len - 1, "kunit", &res);
	t_status(test, st, STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_NULL(test, state);
}

/* ---- SPNEGO ------------------------------------------------------------ */

/* NegTokenInit { mechTypes { NTLMSSP }, mechToken "NTLMSSP\0\1\0\0\0" } */
static const u8 t_init_ntlm[] = {
	0x60, 0x2a, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02,
	0xa0, 0x20, 0x30, 0x1e,
	0xa0, 0x0e, 0x30, 0x0c, 0x06, 0x0a,
	0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a,
	0xa2, 0x0c, 0x04, 0x0a, 'N', 'T', 'L', 'M', 'S', 'S', 'P', 0, 1, 0,
};

/* NegTokenInit { mechTypes { MS KRB5, NTLMSSP } } */
static const u8 t_init_krb_first[] = {
	0x60, 0x27, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02,
	0xa0, 0x1d, 0x30, 0x1b, 0xa0, 0x19, 0x30, 0x17,
	0x06, 0x09, 0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02,
	0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a,
};

/* NegTokenInit { mechTypes { KRB5 } } */
static const u8 t_init_krb_only[] = {
	0x60, 0x1b, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02,
	0xa0, 0x11, 0x30, 0x0f, 0xa0, 0x0d, 0x30, 0x0b,
	0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02,
};

/* NegTokenResp { negState accept-incomplete, responseToken "abc" } */
static const u8 t_resp[] = {
	0xa1, 0x0e, 0x30, 0x0c, 0xa0, 0x03, 0x0a, 0x01, 0x01,
	0xa2, 0x05, 0x04, 0x03, 'a', 'b', 'c',
};

static int t_parse(const u8 *buf, u32 len, struct smbs_spnego_token *tok)
{
	return smbs_spnego_parse(buf, len, tok);
}

static void smbs_ntlm_test_spnego_parse(struct kunit *test)
{
	struct smbs_spnego_token tok;

	KUNIT_ASSERT_EQ(test, t_parse(t_init_ntlm, sizeof(t_init_ntlm), &tok),
			0);
	KUNIT_EXPECT_TRUE(test, tok.init);
	KUNIT_EXPECT_TRUE(test, tok.ntlm_offered);
	KUNIT_EXPECT_TRUE(test, tok.ntlm_first);
	KUNIT_EXPECT_EQ(test, tok.mech_token.len, 10U);
	KUNIT_EXPECT_PTR_EQ(test, tok.mech_token.ptr, &t_init_ntlm[34]);

	KUNIT_ASSERT_EQ(test, t_parse(t_init_krb_first,
				      sizeof(t_init_krb_first), &tok), 0);
	KUNIT_EXPECT_TRUE(test, tok.ntlm_offered);
	KUNIT_EXPECT_FALSE(test, tok.ntlm_first);
	KUNIT_EXPECT_EQ(test, tok.mech_token.len, 0U);

	KUNIT_ASSERT_EQ(test, t_parse(t_init_krb_only, sizeof(t_init_krb_only),
				      &tok), 0);
	KUNIT_EXPECT_FALSE(test, tok.ntlm_offered);

	KUNIT_ASSERT_EQ(test, t_parse(t_resp, sizeof(t_resp), &tok), 0);
	KUNIT_EXPECT_FALSE(test, tok.init);
	KUNIT_EXPECT_EQ(test, tok.neg_state, 1);
	KUNIT_EXPECT_EQ(test, tok.mech_token.len, 3U);
	KUNIT_EXPECT_MEMEQ(test, tok.mech_token.ptr, "abc", 3);
}

static void smbs_ntlm_test_spnego_malformed(struct kunit *test)
{
	struct smbs_spnego_token tok;
	u8 buf[64];
	int i;

	/* Truncated by one byte, and cut inside a header */
	KUNIT_EXPECT_EQ(test, t_parse(t_init_ntlm, sizeof(t_init_ntlm) - 1,
				      &tok), -EINVAL);
	KUNIT_EXPECT_EQ(test, t_parse(t_resp, 1, &tok), -EINVAL);
	KUNIT_EXPECT_EQ(test, t_parse(t_resp, 0, &tok), -EINVAL);
	/* Trailing garbage after the token */
	memcpy(buf, t_resp, sizeof(t_resp));
	buf[sizeof(t_resp)] = 0;
	KUNIT_EXPECT_EQ(test, t_parse(buf, sizeof(t_resp) + 1, &tok), -EINVAL);
	/* An inner length larger than its container */
	memcpy(buf, t_resp, sizeof(t_resp));
	buf[12] = 0x04;
	KUNIT_EXPECT_EQ(test, t_parse(buf, sizeof(t_resp), &tok), -EINVAL);
	/* Indefinite length, five length octets, huge length */
	memcpy(buf, t_resp, sizeof(t_resp));
	buf[1] = 0x80;
	KUNIT_EXPECT_EQ(test, t_parse(buf, sizeof(t_resp), &tok), -EINVAL);
	buf[1] = 0x85;
	KUNIT_EXPECT_EQ(test, t_parse(buf, sizeof(t_resp), &tok), -EINVAL);
	buf[1] = 0x84;
	put_unaligned_be32(0xfffffff0, buf + 2);
	KUNIT_EXPECT_EQ(test, t_parse(buf, sizeof(t_resp), &tok), -EINVAL);
	/* Multi-octet tag number */
	memcpy(buf, t_resp, sizeof(t_resp));
	buf[0] = 0xbf;
	KUNIT_EXPECT_EQ(test, t_parse(buf, sizeof(t_resp), &tok), -EINVAL);
	/* Wrong GSS-API mechanism OID */
	memcpy(buf, t_init_ntlm, sizeof(t_init_ntlm));
	buf[9] = 0x03;
	KUNIT_EXPECT_EQ(test, t_parse(buf, sizeof(t_init_ntlm), &tok), -EINVAL);
	/* Fields out of order: responseToken before negState */
	memcpy(buf, t_resp, sizeof(t_resp));
	memcpy(buf + 4, t_resp + 9, 7);
	memcpy(buf + 11, t_resp + 4, 5);
	KUNIT_EXPECT_EQ(test, t_parse(buf, sizeof(t_resp), &tok), -EINVAL);
	/* Too deep: nine nested SEQUENCEs */
	for (i = 0; i < 9; i++) {
		buf[2 * i] = 0x30;
		buf[2 * i + 1] = 2 * (8 - i);
	}
	KUNIT_EXPECT_EQ(test, smbs_der_validate(buf, 18), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbs_der_validate(buf + 2, 16), 0);
	buf[0] = 0xa1;
	KUNIT_EXPECT_EQ(test, t_parse(buf, 18, &tok), -EINVAL);
}

static void smbs_ntlm_test_spnego_write(struct kunit *test)
{
	struct smbs_spnego_token tok;
	u8 *buf = kunit_kzalloc(test, 512, GFP_KERNEL);
	u8 *big = kunit_kzalloc(test, 300, GFP_KERNEL);
	int len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, big);
	/* The negotiate blob parses back as a NegTokenInit for NTLMSSP. */
	len = smbs_spnego_negotiate_blob(buf, 512);
	KUNIT_ASSERT_EQ(test, len, 74);
	KUNIT_EXPECT_EQ(test, smbs_spnego_negotiate_blob(NULL, 0), 74);
	KUNIT_EXPECT_EQ(test, smbs_spnego_negotiate_blob(buf, 73), -ENOSPC);
	KUNIT_ASSERT_EQ(test, t_parse(buf, len, &tok), 0);
	KUNIT_EXPECT_TRUE(test, tok.init);
	KUNIT_EXPECT_TRUE(test, tok.ntlm_first);

	/* A NegTokenResp with a long token (multi-octet lengths) */
	memset(big, 0x5a, 300);
	len = smbs_spnego_resp(NULL, 0, SMBS_SPNEGO_ACCEPT_INCOMPLETE, true,
			       big, 300);
	KUNIT_ASSERT_GT(test, len, 300);
	KUNIT_EXPECT_EQ(test, smbs_spnego_resp(buf, len - 1, 1, true, big,
					       300), -ENOSPC);
	KUNIT_ASSERT_EQ(test, smbs_spnego_resp(buf, 512, 1, true, big, 300),
			len);
	KUNIT_ASSERT_EQ(test, t_parse(buf, len, &tok), 0);
	KUNIT_EXPECT_FALSE(test, tok.init);
	KUNIT_EXPECT_EQ(test, tok.neg_state, SMBS_SPNEGO_ACCEPT_INCOMPLETE);
	KUNIT_EXPECT_EQ(test, tok.mech_token.len, 300U);
	KUNIT_EXPECT_MEMEQ(test, tok.mech_token.ptr, big, 300);

	/* accept-completed alone: a1 07 30 05 a0 03 0a 01 00 */
	len = smbs_spnego_resp(buf, 512, SMBS_SPNEGO_ACCEPT_COMPLETED, false,
			       NULL, 0);
	KUNIT_ASSERT_EQ(test, len, 9);
	KUNIT_EXPECT_MEMEQ(test, buf,
			   ((const u8[]){ 0xa1, 0x07, 0x30, 0x05, 0xa0, 0x03,
					  0x0a, 0x01, 0x00 }), 9);
}

/* ---- key derivation ---------------------------------------------------- */

static const u8 t_smb3_session_key[16] = {
	0x7c, 0xd4, 0x51, 0x82, 0x5d, 0x04, 0x50, 0xd2,
	0x35, 0x42, 0x4e, 0x44, 0xba, 0x6e, 0x78, 0xcc,
};

static void t_hex(struct kunit *test, const u8 *got, const char *hex)
{
	u8 want[32];
	size_t n = strlen(hex) / 2;

	KUNIT_ASSERT_LE(test, n, sizeof(want));
	KUNIT_ASSERT_EQ(test, hex2bin(want, hex, n), 0);
	KUNIT_EXPECT_MEMEQ(test, got, want, n);
}

static void smbs_ntlm_test_kdf(struct kunit *test)
{
	struct smbs_conn *conn = kunit_kzalloc(test, sizeof(*conn), GFP_KERNEL);
	struct smbs_session *sess = kunit_kzalloc(test, sizeof(*sess),
						  GFP_KERNEL);
	u8 out[32];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, conn);
	KUNIT_ASSERT_NOT_NULL(test, sess);
	KUNIT_ASSERT_EQ(test, smbs_kdf(t_smb3_session_key, 16,
				       (const u8 *)"SMB2AESCMAC", 12,
				       (const u8 *)"SmbSign", 8, out, 16), 0);
	t_hex(test, out, "0b7e9c5cac36c0f6ea9ab275298cedce");

	memcpy(sess->session_key, t_smb3_session_key, 16);
	conn->dialect = SMB30_PROT_ID;
	KUNIT_ASSERT_EQ(test, smbs_derive_keys(conn, sess), 0);
	t_hex(test, sess->signing_key, "0b7e9c5cac36c0f6ea9ab275298cedce");
	t_hex(test, sess->enc_key, "b0f0427f7ceb416d1d9dcc0cd4f99447");
	t_hex(test, sess->dec_key, "fad27796665b313ebb578f388632b4f7");

	conn->dialect = SMB311_PROT_ID;
	for (i = 0; i < SMB2_PREAUTH_HASH_SIZE; i++)
		sess->preauth_hash[i] = i;
	KUNIT_ASSERT_EQ(test, smbs_derive_keys(conn, sess), 0);
	t_hex(test, sess->signing_key, "481642b8b0d9374628a7bc43f6def7b8");
	t_hex(test, sess->enc_key, "0406ab75a19f43ac23751449321abcfc");
	t_hex(test, sess->dec_key, "ec71a7af46945738828ea0c165348db2");
	conn->cipher = SMB2_ENCRYPTION_AES256_GCM;
	KUNIT_ASSERT_EQ(test, smbs_derive_keys(conn, sess), 0);
	t_hex(test, sess->enc_key, "849c8fbef29fe05a0bdf51965ccdb50f");
	t_hex(test, sess->enc_key + 16, "86a7cc381b98ba52794bc88970de55a3");

	conn->dialect = SMB21_PROT_ID;
	KUNIT_ASSERT_EQ(test, smbs_derive_keys(conn, sess), 0);
	KUNIT_EXPECT_MEMEQ(test, sess->signing_key, t_smb3_session_key, 16);
}

static void smbs_ntlm_test_preauth(struct kunit *test)
{
	u8 hash[SMB2_PREAUTH_HASH_SIZE] = {};
	struct kvec iov[2] = {
		{ .iov_base = "a", .iov_len = 1 },
		{ .iov_base = "bc", .iov_len = 2 },
	};

	/* SHA-512(Z(64) || "abc") */
	KUNIT_ASSERT_EQ(test, smbs_preauth_update(hash, iov, 2), 0);
	t_hex(test, hash, "7682b6b84c6f692545a896ad210299bc");
	t_hex(test, hash + 16, "c6f74e189d829e165739b11dd83b6f2c");
	t_hex(test, hash + 32, "8cfacf27e812bf064df756d6235ac33c");
	t_hex(test, hash + 48, "062b89ecb80f8215516dbbb844ce8480");
}

/* ---- signing ----------------------------------------------------------- */

struct t_sign {
	struct smbs_conn conn;
	struct smbs_session sess;
	struct smbs_work w;
	u8 msg[80];
	u8 payload[5];
};

/* A 64-byte header (MessageId @mid, SessionId 0x42) and @body_len bytes */
static void t_msg(u8 *msg, u16 cmd, u32 flags, u64 mid, u8 first,
		  u32 body_len)
{
	struct smb2_hdr *h = (void *)msg;
	u32 i;

	memset(msg, 0, sizeof(*h));
	h->ProtocolId = SMB2_PROTO_NUMBER;
	h->StructureSize = SMB2_HEADER_STRUCTURE_SIZE;
	h->Command = cpu_to_le16(cmd);
	h->CreditRequest = cpu_to_le16(1);
	h->Flags = cpu_to_le32(flags);
	h->MessageId = cpu_to_le64(mid);
	h->Id.SyncId.ProcessId = cpu_to_le32(0xfeff);
	h->SessionId = cpu_to_le64(0x42);
	for (i = 0; i < body_len; i++)
		msg[sizeof(*h) + i] = first + i;
}

static struct t_sign *t_sign_setup(struct kunit *test, u16 dialect,
				   u16 alg)
{
	struct t_sign *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->conn.dialect = dialect;
	t->conn.sign_alg = alg;
	for (i = 0; i < SMBS_KEY_SIZE; i++)
		t->sess.signing_key[i] = i;
	KUNIT_ASSERT_EQ(test, smbs_sign_init(&t->conn, &t->sess), 0);
	t->w.conn = &t->conn;
	t->w.sess = &t->sess;
	return t;
}

/* Sign a READ response with a 5-byte payload and 3 bytes of padding. */
static void t_sign_rsp(struct kunit *test, u16 dialect, u16 alg,
		       const char *want)
{
	struct t_sign *t = t_sign_setup(test, dialect, alg);
	struct smbs_rsp_elem e = {
		.buf = t->msg, .len = 72, .sign_sess = &t->sess,
		.payload = t->payload, .payload_len = 5, .pad = 3,
	};
	struct smb2_hdr *h = (void *)t->msg;

	t_msg(t->msg, SMB2_READ_HE, 1, 0x1122334455667788ULL, 0x11, 8);
	memcpy(t->payload, "hello", 5);
	smbs_sign_rsp(&t->conn, &e);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(h->Flags), 9U);
	t_hex(test, h->Signature, want);
	smbs_sign_free(&t->sess);
}

static void smbs_ntlm_test_sign_rsp(struct kunit *test)
{
	t_sign_rsp(test, SMB21_PROT_ID, 0, "687dcfc72bc284b554191174b9b356bf");
	t_sign_rsp(test, SMB302_PROT_ID, 0,
		   "f33c12dd14c997df95c86803665ba1bf");
	t_sign_rsp(test, SMB311_PROT_ID, SMBS_SIGN_AES_CMAC,
		   "f33c12dd14c997df95c86803665ba1bf");
	t_sign_rsp(test, SMB311_PROT_ID, SMBS_SIGN_AES_GMAC,
		   "bb5f64ec613cc6f1c48040fea558701b");
	/* 3.1.1 with HMAC-SHA256 negotiated: the same MAC as 2.1's. */
	t_sign_rsp(test, SMB311_PROT_ID, SMBS_SIGN_HMAC_SHA256,
		   "687dcfc72bc284b554191174b9b356bf");
}

static void t_sign_req(struct kunit *test, u16 alg, u16 cmd, u32 body_len,
		       const char *sig)
{
	struct t_sign *t = t_sign_setup(test, SMB311_PROT_ID, alg);
	struct smb2_hdr *h = (void *)t->msg;

	t_msg(t->msg, cmd, 8, 7, cmd == SMB2_CANCEL_HE ? 4 : 0x21, body_len);
	if (cmd == SMB2_CANCEL_HE)
		memset(t->msg + 65, 0, 3);
	KUNIT_ASSERT_EQ(test, hex2bin(h->Signature, sig, 16), 0);
	t->w.pdu.hdr = h;
	t->w.pdu.len = 64 + body_len;
	KUNIT_EXPECT_TRUE(test, smbs_sign_verify(&t->w));
	/* The request is left as it came. */
	t_hex(test, h->Signature, sig);
	t->msg[64] ^= 0x80;
	KUNIT_EXPECT_FALSE(test, smbs_sign_verify(&t->w));
	smbs_sign_free(&t->sess);
}

/* A session without signing keys (guest) verifies nothing. */
static void smbs_ntlm_test_sign_nokey(struct kunit *test)
{
	struct t_sign *t = t_sign_setup(test, SMB311_PROT_ID,
					SMBS_SIGN_AES_CMAC);
	struct smb2_hdr *h = (void *)t->msg;

	smbs_sign_free(&t->sess);
	t_msg(t->msg, SMB2_CREATE_HE, 8, 7, 0x21, 8);
	KUNIT_ASSERT_EQ(test, hex2bin(h->Signature,
				      "7a4d26b808c5343c87b3f671baadf777", 16),
			0);
	t->w.pdu.hdr = h;
	t->w.pdu.len = 64 + 8;
	KUNIT_EXPECT_FALSE(test, smbs_sign_verify(&t->w));
}

/*
 * The NTLMSSP signature of a SPNEGO mechTypes list { NTLMSSP } under the
 * exported session key 0x55 * 16 (MS-NLMP 4.2.1), both directions, with
 * and without key exchange, 128-, 56- and 40-bit sealing keys. Expected
 * values from an independent implementation (Python hmac, hashlib, RC4).
 */
static void t_mac(struct kunit *test, u32 flags, bool from_server,
		  const char *want)
{
	static const u8 mechs[] = {
		0x30, 0x0c, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82,
		0x37, 0x02, 0x02, 0x0a,
	};
	u8 key[SMBS_NTLM_HASH_SIZE], mac[SMBS_NTLM_MAC_SIZE];

	memset(key, 0x55, sizeof(key));
	KUNIT_ASSERT_EQ(test, smbs_ntlm_mac(key, flags, from_server, mechs,
					    sizeof(mechs), mac), 0);
	t_hex(test, mac, want);
}

static void smbs_ntlm_test_mac(struct kunit *test)
{
	t_mac(test, 0x60080000, true, "010000007dd6da05648a73ae00000000");
	t_mac(test, 0x60080000, false, "0100000022a3984fefbb9c3200000000");
	t_mac(test, 0x20080000, true, "010000003bdec7b235306e4700000000");
	t_mac(test, 0x20080000, false, "010000002646f52a31a2c3ee00000000");
	t_mac(test, 0xc0080000, true, "01000000ed0635b9ef101fc900000000");
	t_mac(test, 0xc0080000, false, "01000000489ec007bda3438d00000000");
	t_mac(test, 0x40080000, true, "01000000b148d65eba5b830b00000000");
	t_mac(test, 0x40080000, false, "010000003afa859b310b000300000000");
}

static void smbs_ntlm_test_sign_verify(struct kunit *test)
{
	t_sign_req(test, SMBS_SIGN_AES_CMAC, SMB2_CREATE_HE, 8,
		   "7a4d26b808c5343c87b3f671baadf777");
	t_sign_req(test, SMBS_SIGN_AES_GMAC, SMB2_CREATE_HE, 8,
		   "96c6dccf55d06d9b2dbfbbb9da0d9ed2");
	t_sign_req(test, SMBS_SIGN_AES_GMAC, SMB2_CANCEL_HE, 4,
		   "44d9a53568ed85c1ed0a29f53026ea23");
}

static struct kunit_case smbs_ntlm_cases[] = {
	KUNIT_CASE(smbs_ntlm_test_ntowfv2),
	KUNIT_CASE(smbs_ntlm_test_v2_response),
	KUNIT_CASE(smbs_ntlm_test_parse_auth),
	KUNIT_CASE(smbs_ntlm_test_parse_auth_mic),
	KUNIT_CASE(smbs_ntlm_test_msg_type),
	KUNIT_CASE(smbs_ntlm_test_challenge),
	KUNIT_CASE(smbs_ntlm_test_authenticate),
	KUNIT_CASE(smbs_ntlm_test_spnego_parse),
	KUNIT_CASE(smbs_ntlm_test_spnego_malformed),
	KUNIT_CASE(smbs_ntlm_test_spnego_write),
	KUNIT_CASE(smbs_ntlm_test_kdf),
	KUNIT_CASE(smbs_ntlm_test_preauth),
	KUNIT_CASE(smbs_ntlm_test_sign_rsp),
	KUNIT_CASE(smbs_ntlm_test_sign_verify),
	KUNIT_CASE(smbs_ntlm_test_sign_nokey),
	KUNIT_CASE(smbs_ntlm_test_mac),
	{}
};

static struct kunit_suite smbs_ntlm_suite = {
	.name = "smbs_ntlm",
	.test_cases = smbs_ntlm_cases,
};

kunit_test_suite(smbs_ntlm_suite);
