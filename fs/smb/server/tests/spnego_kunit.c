// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the DER reader and the SPNEGO token parser and writers.
 *
 * Tokens are built here from the DER rules (X.690: identifier octet, then
 * a short or long form length, then the contents) and the ASN.1 of RFC 4178
 * 4.2 and MS-SPNG 2.2. Every input the parser sees is copied into a buffer
 * of exactly its length, so that under KASAN any read past it is caught.
 * Random mutations come from a seeded generator, so a failure replays.
 */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "../spnego.h"

#define SP_ROUNDS	1500
#define SP_CANARY	16

/**
 * struct sp_buf - a piece of a token under construction
 * @p: its bytes (test-managed memory)
 * @len: their number
 */
struct sp_buf {
	u8 *p;
	u32 len;
};

static const u8 oid_spnego[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02 };
static const u8 oid_ntlm[] = {
	0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a,
};

static const u8 oid_krb5[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02,
};

static const u8 oid_mskrb5[] = {
	0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02,
};

/* 1.3.6.1.4.1.311.2.2.30, NEGOEX */
static const u8 oid_negoex[] = {
	0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x1e,
};

static struct sp_buf sp_raw(struct kunit *test, const void *p, u32 len)
{
	struct sp_buf b = { kunit_kmalloc(test, len + 1, GFP_KERNEL), len };

	KUNIT_ASSERT_NOT_NULL(test, b.p);
	memcpy(b.p, p, len);
	return b;
}

static struct sp_buf sp_cat(struct kunit *test, const struct sp_buf *parts,
			    int n)
{
	struct sp_buf b = { NULL, 0 };
	u32 off = 0;
	int i;

	for (i = 0; i < n; i++)
		b.len += parts[i].len;
	b.p = kunit_kmalloc(test, b.len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b.p);
	for (i = 0; i < n; i++) {
		memcpy(b.p + off, parts[i].p, parts[i].len);
		off += parts[i].len;
	}
	return b;
}

#define SP_PARTS(...)	((const struct sp_buf[]){ __VA_ARGS__ })
#define CAT(...)	sp_cat(test, SP_PARTS(__VA_ARGS__),		\
			       ARRAY_SIZE(SP_PARTS(__VA_ARGS__)))
#define RAW(a)		sp_raw(test, a, sizeof(a))
#define STR(s)		sp_raw(test, s, sizeof(s) - 1)
#define NONE		((struct sp_buf){ NULL, 0 })

/*
 * A value with tag @tag: the length in @form octets after 0x80 (0 for the
 * shortest form DER requires), then the contents.
 */
static struct sp_buf sp_tlv_form(struct kunit *test, u8 tag, struct sp_buf c,
				 int form)
{
	u64 v = c.len;
	int k = form, i;
	u8 h[10];

	if (!form && c.len >= 0x80)
		for (; v; v >>= 8)
			k++;
	h[0] = tag;
	if (!k) {
		h[1] = c.len;
	} else {
		h[1] = 0x80 | k;
		for (i = 0; i < k; i++)
			h[2 + i] = (u64)c.len >> (8 * (k - 1 - i));
	}
	return CAT(sp_raw(test, h, 2 + k), c);
}

#define TLV(t, c)	sp_tlv_form(test, t, c, 0)

/* MechTypeList from a string: n NTLMSSP, k Kerberos, m MS Kerberos, x NEGOEX */
static struct sp_buf sp_mechs(struct kunit *test, const char *m)
{
	struct sp_buf list = NONE;

	for (; *m; m++) {
		struct sp_buf oid;

		switch (*m) {
		case 'n':
			oid = RAW(oid_ntlm);
			break;
		case 'k':
			oid = RAW(oid_krb5);
			break;
		case 'm':
			oid = RAW(oid_mskrb5);
			break;
		default:
			oid = RAW(oid_negoex);
		}
		list = CAT(list, TLV(0x06, oid));
	}
	return TLV(0xa0, TLV(0x30, list));
}

#define SP_REQFLAGS	1
#define SP_MIC		2

/* InitialContextToken { SPNEGO, [0] NegTokenInit { ... } } */
static struct sp_buf sp_wrap_init(struct kunit *test, struct sp_buf fields)
{
	return TLV(0x60, CAT(TLV(0x06, RAW(oid_spnego)),
			     TLV(0xa0, TLV(0x30, fields))));
}

static struct sp_buf sp_init(struct kunit *test, const char *mechs,
			     struct sp_buf tok, bool with_tok, int flags)
{
	struct sp_buf f = sp_mechs(test, mechs);

	if (flags & SP_REQFLAGS)
		f = CAT(f, TLV(0xa1, TLV(0x03, STR("\x07\x80"))));
	if (with_tok)
		f = CAT(f, TLV(0xa2, TLV(0x04, tok)));
	if (flags & SP_MIC)
		f = CAT(f, TLV(0xa3, TLV(0x04, STR("0123456789abcdef"))));
	return sp_wrap_init(test, f);
}

/* [1] NegTokenResp; @state < 0 leaves negState out */
static struct sp_buf sp_resp(struct kunit *test, int state, bool mech,
			     struct sp_buf *tok, struct sp_buf *mic)
{
	struct sp_buf f = NONE;
	u8 st = state;

	if (state >= 0)
		f = TLV(0xa0, TLV(0x0a, sp_raw(test, &st, 1)));
	if (mech)
		f = CAT(f, TLV(0xa1, TLV(0x06, RAW(oid_ntlm))));
	if (tok)
		f = CAT(f, TLV(0xa2, TLV(0x04, *tok)));
	if (mic)
		f = CAT(f, TLV(0xa3, TLV(0x04, *mic)));
	return TLV(0xa1, TLV(0x30, f));
}

static bool sp_inside(const struct smbs_buf *s, const u8 *buf, u32 len)
{
	if (!s->len)
		return !s->ptr;
	return s->ptr >= buf && s->len <= len && s->ptr - buf <= len - s->len;
}

/* Move a slice of @from over to the same place in @to. */
static void sp_rebase(struct smbs_buf *s, const u8 *from, const u8 *to)
{
	if (s->len)
		s->ptr = to + (s->ptr - from);
}

/*
 * Parse @len bytes of @b from an exact-size copy; on success check that
 * the slices lie inside, and report where the token slice starts. The
 * slices returned point into @b.
 */
static int sp_parse_n(struct kunit *test, const u8 *b, u32 len,
		      struct smbs_spnego_token *tok, long *tok_off)
{
	u8 *copy = len ? kmemdup(b, len, GFP_KERNEL) : kzalloc(1, GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, copy);
	ret = smbs_spnego_parse(len ? copy : NULL, len, tok);
	if (!ret) {
		KUNIT_EXPECT_TRUE(test, sp_inside(&tok->mech_token, copy, len));
		KUNIT_EXPECT_TRUE(test, sp_inside(&tok->mic, copy, len));
		KUNIT_EXPECT_EQ(test, tok->init, copy[0] == 0x60);
		KUNIT_EXPECT_TRUE(test, tok->neg_state >= -1 &&
				  tok->neg_state <= 255);
		if (tok->init)
			KUNIT_EXPECT_EQ(test, tok->neg_state, -1);
		KUNIT_EXPECT_EQ(test, smbs_der_validate(copy, len), 0);
	} else {
		KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	}
	if (tok_off)
		*tok_off = tok->mech_token.len ? tok->mech_token.ptr - copy : -1;
	sp_rebase(&tok->mech_token, copy, b);
	sp_rebase(&tok->mic, copy, b);
	kfree(copy);
	return ret;
}

static int sp_parse(struct kunit *test, struct sp_buf b,
		    struct smbs_spnego_token *tok, long *tok_off)
{
	return sp_parse_n(test, b.p, b.len, tok, tok_off);
}

static void spnego_init_tokens(struct kunit *test)
{
	struct sp_buf ntlm = STR("NTLMSSP\0\x01\0\0\0\x97\x82\x08\xe2");
	struct smbs_spnego_token tok;
	struct sp_buf t;
	long off;

	/* NTLMSSP alone, no mechToken. */
	t = sp_init(test, "n", NONE, false, 0);
	KUNIT_ASSERT_EQ(test, sp_parse(test, t, &tok, &off), 0);
	KUNIT_EXPECT_TRUE(test, tok.init);
	KUNIT_EXPECT_TRUE(test, tok.ntlm_offered);
	KUNIT_EXPECT_TRUE(test, tok.ntlm_first);
	KUNIT_EXPECT_EQ(test, tok.mech_token.len, 0u);
	KUNIT_EXPECT_EQ(test, tok.neg_state, -1);

	/* With the optimistic token: it is the last bytes of the blob. */
	t = sp_init(test, "n", ntlm, true, 0);
	KUNIT_ASSERT_EQ(test, sp_parse(test, t, &tok, &off), 0);
	KUNIT_EXPECT_EQ(test, tok.mech_token.len, ntlm.len);
	KUNIT_EXPECT_EQ(test, off, (long)(t.len - ntlm.len));
	KUNIT_EXPECT_MEMEQ(test, t.p + off, ntlm.p, ntlm.len);

	/* reqFlags and mechListMIC around it. */
	t = sp_init(test, "n", ntlm, true, SP_REQFLAGS | SP_MIC);
	KUNIT_ASSERT_EQ(test, sp_parse(test, t, &tok, &off), 0);
	KUNIT_EXPECT_EQ(test, tok.mech_token.len, ntlm.len);
	KUNIT_EXPECT_EQ(test, off, (long)(t.len - 20 - ntlm.len));
	KUNIT_EXPECT_EQ(test, tok.mic.len, 0u);

	/* Several mechanisms, NTLMSSP not first. */
	t = sp_init(test, "mkxn", ntlm, true, 0);
	KUNIT_ASSERT_EQ(test, sp_parse(test, t, &tok, NULL), 0);
	KUNIT_EXPECT_TRUE(test, tok.ntlm_offered);
	KUNIT_EXPECT_FALSE(test, tok.ntlm_first);
	KUNIT_EXPECT_EQ(test, tok.mech_token.len, ntlm.len);
	t = sp_init(test, "nk", NONE, false, 0);
	KUNIT_ASSERT_EQ(test, sp_parse(test, t, &tok, NULL), 0);
	KUNIT_EXPECT_TRUE(test, tok.ntlm_first);

	/* Kerberos only; an empty list. */
	t = sp_init(test, "mk", STR("krb5 ap-req"), true, 0);
	KUNIT_ASSERT_EQ(test, sp_parse(test, t, &tok, NULL), 0);
	KUNIT_EXPECT_FALSE(test, tok.ntlm_offered);
	KUNIT_EXPECT_FALSE(test, tok.ntlm_first);
	KUNIT_EXPECT_EQ(test, tok.mech_token.len, 11u);
	t = sp_init(test, "", NONE, false, 0);
	KUNIT_ASSERT_EQ(test, sp_parse(test, t, &tok, NULL), 0);
	KUNIT_EXPECT_FALSE(test, tok.ntlm_offered);

	/* An empty mechToken. */
	t = sp_init(test, "n", NONE, true, 0);
	KUNIT_ASSERT_EQ(test, sp_parse(test, t, &tok, NULL), 0);
	KUNIT_EXPECT_EQ(test, tok.mech_token.len, 0u);

	/* An unknown later field [5] is skipped. */
	t = sp_wrap_init(test, CAT(sp_mechs(test, "n"),
				   TLV(0xa2, TLV(0x04, ntlm)),
				   TLV(0xa5, TLV(0x05, NONE))));
	KUNIT_ASSERT_EQ(test, sp_parse(test, t, &tok, NULL), 0);
	KUNIT_EXPECT_EQ(test, tok.mech_token.len, ntlm.len);
}

static void spnego_init_malformed(struct kunit *test)
{
	struct sp_buf ntlm = STR("NTLMSSP\0\x01\0\0\0");
	struct sp_buf mt = sp_mechs(test, "n");
	struct sp_buf tokf = TLV(0xa2, TLV(0x04, ntlm));
	struct smbs_spnego_token tok;
	struct sp_buf bad[12];
	unsigned int i;

	/* No mechTypes; fields out of order; a field twice. */
	bad[0] = sp_wrap_init(test, tokf);
	bad[1] = sp_wrap_init(test, CAT(tokf, mt));
	bad[2] = sp_wrap_init(test, CAT(mt, mt));
	/* A mechanism that is not an OID; mechTypes not a SEQUENCE. */
	bad[3] = sp_wrap_init(test, TLV(0xa0, TLV(0x30, TLV(0x04, ntlm))));
	bad[4] = sp_wrap_init(test, TLV(0xa0, TLV(0x31, TLV(0x06,
							    RAW(oid_ntlm)))));
	/* mechToken not an OCTET STRING; a primitive context tag. */
	bad[5] = sp_wrap_init(test, CAT(mt, TLV(0xa2, TLV(0x03, ntlm))));
	bad[6] = sp_wrap_init(test, CAT(mt, TLV(0x82, ntlm)));
	/* Another thisMech; no [0] around the NegTokenInit. */
	bad[7] = TLV(0x60, CAT(TLV(0x06, RAW(oid_krb5)),
			       TLV(0xa0, TLV(0x30, mt))));
	bad[8] = TLV(0x60, CAT(TLV(0x06, RAW(oid_spnego)), TLV(0x30, mt)));
	/* A bare NTLMSSP message; a NegTokenInit without its wrapper. */
	bad[9] = ntlm;
	bad[10] = TLV(0xa0, TLV(0x30, mt));
	/* Two mechTypes lists inside one [0]. */
	bad[11] = sp_wrap_init(test, TLV(0xa0, CAT(TLV(0x30, NONE),
						   TLV(0x30, NONE))));
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, sp_parse(test, bad[i], &tok, NULL),
				    -EINVAL, "token %u", i);
}

static void spnego_resp_tokens(struct kunit *test)
{
	struct sp_buf rt = STR("NTLMSSP\0\x03\0\0\0 authenticate");
	struct sp_buf mic = STR("\x01\0\0\0 sixteen  mic");
	struct smbs_spnego_token tok;
	struct sp_buf t;
	long off;

	t = sp_resp(test, 1, true, &rt, NULL);
	KUNIT_ASSERT_EQ(test, sp_parse(test, t, &tok, &off), 0);
	KUNIT_EXPECT_FALSE(test, tok.init);
	KUNIT_EXPECT_EQ(test, tok.neg_state, 1);
	KUNIT_EXPECT_EQ(test, tok.mech_token.len, rt.len);
	KUNIT_EXPECT_EQ(test, off, (long)(t.len - rt.len));
	KUNIT_EXPECT_EQ(test, tok.mic.len, 0u);

	t = sp_resp(test, -1, false, &rt, &mic);
	KUNIT_ASSERT_EQ(test, sp_parse(test, t, &tok, &off), 0);
	KUNIT_EXPECT_EQ(test, tok.neg_state, -1);
	KUNIT_EXPECT_EQ(test, off, (long)(t.len - mic.len - 4 - rt.len));
	KUNIT_EXPECT_EQ(test, tok.mic.len, mic.len);
	KUNIT_EXPECT_MEMEQ(test, tok.mic.ptr, mic.p, mic.len);

	/* Empty NegTokenResp; empty responseToken; any negState value. */
	t = sp_resp(test, -1, false, NULL, NULL);
	KUNIT_ASSERT_EQ(test, t.len, 4u);
	KUNIT_ASSERT_EQ(test, sp_parse(test, t, &tok, NULL), 0);
	KUNIT_EXPECT_EQ(test, tok.neg_state, -1);
	KUNIT_EXPECT_EQ(test, tok.mech_token.len, 0u);
	t = sp_resp(test, 255, false, &NONE, NULL);
	KUNIT_ASSERT_EQ(test, sp_parse(test, t, &tok, NULL), 0);
	KUNIT_EXPECT_EQ(test, tok.neg_state, 255);
	KUNIT_EXPECT_EQ(test, tok.mech_token.len, 0u);

	/* negState of 0 or 2 octets, or not ENUMERATED. */
	t = TLV(0xa1, TLV(0x30, TLV(0xa0, TLV(0x0a, NONE))));
	KUNIT_EXPECT_EQ(test, sp_parse(test, t, &tok, NULL), -EINVAL);
	t = TLV(0xa1, TLV(0x30, TLV(0xa0, TLV(0x0a, STR("\0\x01")))));
	KUNIT_EXPECT_EQ(test, sp_parse(test, t, &tok, NULL), -EINVAL);
	t = TLV(0xa1, TLV(0x30, TLV(0xa0, TLV(0x02, STR("\x01")))));
	KUNIT_EXPECT_EQ(test, sp_parse(test, t, &tok, NULL), -EINVAL);
	/* supportedMech not an OID; mechListMIC not an OCTET STRING. */
	t = TLV(0xa1, TLV(0x30, TLV(0xa1, TLV(0x04, RAW(oid_ntlm)))));
	KUNIT_EXPECT_EQ(test, sp_parse(test, t, &tok, NULL), -EINVAL);
	t = TLV(0xa1, TLV(0x30, TLV(0xa3, TLV(0x03, mic))));
	KUNIT_EXPECT_EQ(test, sp_parse(test, t, &tok, NULL), -EINVAL);
	/* Fields out of order. */
	t = TLV(0xa1, TLV(0x30, CAT(TLV(0xa2, TLV(0x04, rt)),
				    TLV(0xa0, TLV(0x0a, STR("\x01"))))));
	KUNIT_EXPECT_EQ(test, sp_parse(test, t, &tok, NULL), -EINVAL);
	/* Two sequences in [1]; a bare [1] with nothing. */
	t = TLV(0xa1, CAT(TLV(0x30, NONE), TLV(0x30, NONE)));
	KUNIT_EXPECT_EQ(test, sp_parse(test, t, &tok, NULL), -EINVAL);
	t = TLV(0xa1, NONE);
	KUNIT_EXPECT_EQ(test, sp_parse(test, t, &tok, NULL), -EINVAL);
	/* Other top-level tags. */
	t = TLV(0xa2, TLV(0x30, NONE));
	KUNIT_EXPECT_EQ(test, sp_parse(test, t, &tok, NULL), -EINVAL);
	t = TLV(0x30, NONE);
	KUNIT_EXPECT_EQ(test, sp_parse(test, t, &tok, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbs_spnego_parse(t.p, 0, &tok), -EINVAL);
}

/* smbs_der_next on @n bytes, from an exact-size copy. */
static int sp_next(struct kunit *test, const u8 *b, u32 n, u8 *tag,
		   u32 *clen, u32 *coff, u32 *rest)
{
	u8 *copy = kmemdup(b, n ? n : 1, GFP_KERNEL);
	struct smbs_buf d = { copy, n }, c = { NULL, 0 };
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, copy);
	ret = smbs_der_next(&d, tag, &c);
	*clen = c.len;
	*coff = c.ptr ? c.ptr - copy : 0;
	*rest = d.len;
	if (!ret) {
		KUNIT_EXPECT_PTR_EQ(test, d.ptr, (const u8 *)copy + n - d.len);
		KUNIT_EXPECT_TRUE(test, sp_inside(&c, copy, n));
		KUNIT_EXPECT_TRUE(test, !c.len || c.ptr + c.len <= d.ptr);
	}
	kfree(copy);
	return ret;
}

static void spnego_der_lengths(struct kunit *test)
{
	static const struct {
		u8 b[12];
		u32 n;
		int ret;
		u32 clen, coff, rest;
	} cases[] = {
		{ { 0x04, 0x03, 1, 2, 3 }, 5, 0, 3, 2, 0 },
		{ { 0x04, 0x03, 1, 2, 3, 0x05, 0x00 }, 7, 0, 3, 2, 2 },
		{ { 0x04, 0x00 }, 2, 0, 0, 0, 0 },		/* empty */
		{ { 0x04, 0x81, 0x03, 1, 2, 3 }, 6, 0, 3, 3, 0 },
		{ { 0x04, 0x82, 0x00, 0x03, 1, 2, 3 }, 7, 0, 3, 4, 0 },
		{ { 0x04, 0x83, 0, 0, 3, 1, 2, 3 }, 8, 0, 3, 5, 0 },
		{ { 0x04, 0x84, 0, 0, 0, 3, 1, 2, 3, 9 }, 10, 0, 3, 6, 1 },
		{ { 0x04, 0x84, 0, 0, 0, 0 }, 6, 0, 0, 0, 0 },
		{ { 0x04, 0x80, 1, 2, 0, 0 }, 6, -EINVAL },	/* indefinite */
		{ { 0x30, 0x80, 0x04, 0, 0, 0 }, 6, -EINVAL },
		{ { 0x04, 0x85, 0, 0, 0, 0, 3, 1, 2, 3 }, 10, -EINVAL },
		{ { 0x04, 0xff, 0, 0, 0, 0, 3, 1, 2, 3 }, 10, -EINVAL },
		{ { 0x04, 0x84, 0xff, 0xff, 0xff, 0xff, 1 }, 7, -EINVAL },
		{ { 0x04, 0x84, 0xff, 0xff, 0xff, 0xfa, 1 }, 7, -EINVAL },
		{ { 0x04, 0x84, 0, 0, 0, 2, 1 }, 7, -EINVAL },	/* one short */
		{ { 0x04, 0x82, 0x01, 0x00, 1, 2, 3 }, 7, -EINVAL },
		{ { 0x04, 0x04, 1, 2, 3 }, 5, -EINVAL },
		{ { 0x04, 0x82, 0x00 }, 3, -EINVAL },	/* length cut */
		{ { 0x04, 0x81 }, 2, -EINVAL },
		{ { 0x04 }, 1, -EINVAL },
		{ { 0 }, 0, -EINVAL },
		{ { 0x1f, 0x01, 0x00 }, 3, -EINVAL },	/* multi-octet tag */
		{ { 0xbf, 0x81, 0x00, 0x00 }, 4, -EINVAL },
	};
	u32 clen, coff, rest;
	unsigned int i;
	u8 tag;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ret = sp_next(test, cases[i].b, cases[i].n, &tag, &clen,
			      &coff, &rest);
		KUNIT_EXPECT_EQ_MSG(test, ret, cases[i].ret, "case %u", i);
		if (ret || cases[i].ret)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, tag, cases[i].b[0], "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, clen, cases[i].clen, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, coff, cases[i].coff, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, rest, cases[i].rest, "case %u", i);
	}
}

/* @depth nested constructed values around @inner primitive bytes. */
static struct sp_buf sp_nest(struct kunit *test, int depth, u8 tag,
			     struct sp_buf inner)
{
	while (depth--)
		inner = TLV(tag, inner);
	return inner;
}

static int sp_validate(struct kunit *test, struct sp_buf b)
{
	u8 *copy = b.len ? kmemdup(b.p, b.len, GFP_KERNEL) :
			   kzalloc(1, GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, copy);
	ret = smbs_der_validate(copy, b.len);
	kfree(copy);
	return ret;
}

static void spnego_der_nesting(struct kunit *test)
{
	struct sp_buf leaf = TLV(0x04, STR("leaf"));
	struct sp_buf b, many = NONE;
	int i;

	for (i = 1; i <= SMBS_DER_MAX_DEPTH; i++) {
		KUNIT_EXPECT_EQ(test, sp_validate(test, sp_nest(test, i, 0x30,
								NONE)), 0);
		KUNIT_EXPECT_EQ(test, sp_validate(test, sp_nest(test, i, 0xa3,
								leaf)), 0);
	}
	KUNIT_EXPECT_EQ(test, sp_validate(test, sp_nest(test, 9, 0x30, NONE)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sp_validate(test, sp_nest(test, 9, 0xa0, leaf)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sp_validate(test, sp_nest(test, 100, 0x30,
							NONE)), -EINVAL);

	/* Depth is per path: many siblings at the limit are fine. */
	for (i = 0; i < 50; i++)
		many = CAT(many, sp_nest(test, SMBS_DER_MAX_DEPTH - 1, 0x30,
					 leaf));
	KUNIT_EXPECT_EQ(test, sp_validate(test, TLV(0x30, many)), 0);
	KUNIT_EXPECT_EQ(test, sp_validate(test, TLV(0x30, TLV(0x30, many))),
			-EINVAL);

	/* Primitive contents are not descended into. */
	b = TLV(0x04, sp_nest(test, 20, 0x30, NONE));
	KUNIT_EXPECT_EQ(test, sp_validate(test, b), 0);
	/* A bad value deep inside a constructed one. */
	b = sp_nest(test, 5, 0x30, STR("\x04\x05\x01"));
	KUNIT_EXPECT_EQ(test, sp_validate(test, b), -EINVAL);
	/* Zero-length contents at every level; an empty buffer. */
	b = TLV(0x30, CAT(TLV(0x30, NONE), TLV(0x04, NONE), TLV(0xa0, NONE)));
	KUNIT_EXPECT_EQ(test, sp_validate(test, b), 0);
	KUNIT_EXPECT_EQ(test, sp_validate(test, NONE), 0);

	/* A token nested too deep is refused by the parser as well. */
	b = sp_wrap_init(test, CAT(sp_mechs(test, "n"),
				   TLV(0xa5, sp_nest(test, 6, 0x30, NONE))));
	KUNIT_EXPECT_EQ(test, sp_validate(test, b), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbs_spnego_parse(b.p, b.len,
						&(struct smbs_spnego_token){}),
			-EINVAL);
}

static void spnego_trailing(struct kunit *test)
{
	struct sp_buf ntlm = STR("NTLMSSP\0\x01\0\0\0");
	struct sp_buf mt = sp_mechs(test, "n");
	struct sp_buf junk = TLV(0x04, NONE);
	struct smbs_spnego_token tok;
	struct sp_buf init, resp, bad[8];
	unsigned int i;

	init = sp_init(test, "n", ntlm, true, 0);
	resp = sp_resp(test, 1, true, &ntlm, NULL);
	KUNIT_ASSERT_EQ(test, sp_parse(test, init, &tok, NULL), 0);
	KUNIT_ASSERT_EQ(test, sp_parse(test, resp, &tok, NULL), 0);

	bad[0] = CAT(init, STR("\0"));
	bad[1] = CAT(init, junk);
	bad[2] = CAT(resp, junk);
	bad[3] = CAT(resp, STR("\xff"));
	/* Inside the sequence of fields, after a field's value. */
	bad[4] = sp_wrap_init(test, CAT(mt, TLV(0xa2, TLV(0x04, ntlm)), junk));
	bad[5] = sp_wrap_init(test, CAT(mt, TLV(0xa2, CAT(TLV(0x04, ntlm),
							  junk))));
	/* After the NegTokenInit inside the application tag. */
	bad[6] = TLV(0x60, CAT(TLV(0x06, RAW(oid_spnego)),
			       TLV(0xa0, TLV(0x30, mt)), junk));
	bad[7] = TLV(0xa1, TLV(0x30, CAT(TLV(0xa0, CAT(TLV(0x0a, STR("\x01")),
						       junk)))));
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, sp_parse(test, bad[i], &tok, NULL),
				    -EINVAL, "token %u", i);
}

/* The same token with every length in the long form of @form octets. */
static struct sp_buf sp_init_form(struct kunit *test, struct sp_buf tok,
				  int form)
{
	struct sp_buf mt, f;

	mt = sp_tlv_form(test, 0x06, RAW(oid_ntlm), form);
	mt = sp_tlv_form(test, 0xa0, sp_tlv_form(test, 0x30, mt, form), form);
	f = sp_tlv_form(test, 0xa2, sp_tlv_form(test, 0x04, tok, form), form);
	f = sp_tlv_form(test, 0x30, CAT(mt, f), form);
	return sp_tlv_form(test, 0x60,
			   CAT(sp_tlv_form(test, 0x06, RAW(oid_spnego), form),
			       sp_tlv_form(test, 0xa0, f, form)), form);
}

static void spnego_long_form(struct kunit *test)
{
	struct sp_buf ntlm = STR("NTLMSSP\0\x01\0\0\0");
	struct smbs_spnego_token tok;
	struct sp_buf t;
	int form;
	long off;

	/* Definite long forms of 1 to 4 octets are read. */
	for (form = 1; form <= 4; form++) {
		t = sp_init_form(test, ntlm, form);
		KUNIT_ASSERT_EQ_MSG(test, sp_parse(test, t, &tok, &off), 0,
				    "form %d", form);
		KUNIT_EXPECT_TRUE(test, tok.ntlm_first);
		KUNIT_EXPECT_EQ(test, tok.mech_token.len, ntlm.len);
		KUNIT_EXPECT_EQ(test, off, (long)(t.len - ntlm.len));
	}
	t = sp_init_form(test, ntlm, 5);
	KUNIT_EXPECT_EQ(test, sp_parse(test, t, &tok, NULL), -EINVAL);

	/* The outer length made indefinite, or one too large. */
	t = sp_init_form(test, ntlm, 1);
	t.p[1] = 0x80;
	KUNIT_EXPECT_EQ(test, sp_parse(test, t, &tok, NULL), -EINVAL);
	t = sp_init_form(test, ntlm, 1);
	t.p[2]++;
	KUNIT_EXPECT_EQ(test, sp_parse(test, t, &tok, NULL), -EINVAL);
	t = sp_init_form(test, ntlm, 4);
	t.p[2] = 0xff;
	KUNIT_EXPECT_EQ(test, sp_parse(test, t, &tok, NULL), -EINVAL);
	/* Smaller, leaving a trailing byte the outer value does not hold. */
	t = sp_init_form(test, ntlm, 1);
	t.p[2]--;
	KUNIT_EXPECT_EQ(test, sp_parse(test, t, &tok, NULL), -EINVAL);
}

/* Valid tokens the truncation and mutation cases start from. */
static int sp_bases(struct kunit *test, struct sp_buf *b)
{
	struct sp_buf ntlm = STR("NTLMSSP\0\x01\0\0\0\x97\x82\x08\xe2");
	struct sp_buf mic = STR("0123456789abcdef");
	struct sp_buf big;
	int n = 0, len;

	big.len = 300;
	big.p = kunit_kmalloc(test, big.len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big.p);
	memset(big.p, 0x42, big.len);
	b[n++] = sp_init(test, "n", ntlm, true, 0);
	b[n++] = sp_init(test, "mkn", ntlm, true, SP_REQFLAGS | SP_MIC);
	b[n++] = sp_init(test, "km", NONE, false, 0);
	b[n++] = sp_resp(test, 1, true, &ntlm, NULL);
	b[n++] = sp_resp(test, 0, false, &big, &mic);
	b[n++] = sp_init_form(test, ntlm, 2);
	len = smbs_spnego_negotiate_blob(NULL, 0);
	KUNIT_ASSERT_GT(test, len, 0);
	b[n].p = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b[n].p);
	b[n].len = smbs_spnego_negotiate_blob(b[n].p, len);
	n++;
	return n;
}

static void spnego_truncations(struct kunit *test)
{
	struct smbs_spnego_token tok;
	struct sp_buf b[8];
	int i, n = sp_bases(test, b);
	u32 k;

	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_EQ(test, sp_parse(test, b[i], &tok, NULL), 0);
		for (k = 0; k < b[i].len; k++) {
			struct sp_buf cut = { b[i].p, k };

			KUNIT_EXPECT_EQ_MSG(test, sp_parse_n(test, b[i].p, k,
							     &tok, NULL),
					    -EINVAL, "token %d length %u", i, k);
			KUNIT_EXPECT_EQ_MSG(test, sp_validate(test, cut),
					    k ? -EINVAL : 0,
					    "token %d length %u", i, k);
		}
	}
}

static u32 sp_rand(struct rnd_state *r, u32 n)
{
	return n ? prandom_u32_state(r) % n : 0;
}

/* One random change: a bit, a byte, a length octet, the end. */
static u32 sp_mutate(struct rnd_state *r, u8 *p, u32 len, u32 room)
{
	static const u8 lens[] = { 0x00, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84,
				   0x85, 0x88, 0xff };
	u32 i = sp_rand(r, len);

	switch (sp_rand(r, 6)) {
	case 0:
	case 1:
		p[i] ^= 1 << sp_rand(r, 8);
		break;
	case 2:
		p[i] = prandom_u32_state(r);
		break;
	case 3:
		p[i] = lens[sp_rand(r, ARRAY_SIZE(lens))];
		break;
	case 4:
		p[i] += sp_rand(r, 2) ? 1 : -1;
		break;
	default:
		if (sp_rand(r, 2) || len >= room)
			return sp_rand(r, len + 1);
		prandom_bytes_state(r, p + len, room - len);
		return len + 1 + sp_rand(r, room - len);
	}
	return len;
}

static void spnego_mutations(struct kunit *test)
{
	struct smbs_spnego_token tok;
	u32 i, k, len, ok = 0, bad = 0;
	struct sp_buf b[8];
	struct rnd_state r;
	int j, n = sp_bases(test, b), ret;
	u8 *m;

	m = kunit_kmalloc(test, 1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	prandom_seed_state(&r, 0x73706e67);
	for (j = 0; j < n; j++) {
		for (i = 0; i < SP_ROUNDS; i++) {
			memcpy(m, b[j].p, b[j].len);
			len = b[j].len;
			for (k = 1 + sp_rand(&r, 4); k; k--)
				len = sp_mutate(&r, m, len, len + 8);
			ret = sp_parse_n(test, m, len, &tok, NULL);
			if (ret)
				bad++;
			else
				ok++;
		}
	}
	/* Both outcomes were reached (sp_parse_n checked each). */
	KUNIT_EXPECT_GT(test, ok, 0u);
	KUNIT_EXPECT_GT(test, bad, n * SP_ROUNDS / 4);
}

/* Changing only the mechToken's bytes never changes the parse. */
static void spnego_token_bytes(struct kunit *test)
{
	struct smbs_spnego_token tok;
	struct sp_buf b[8];
	struct rnd_state r;
	int j, n = sp_bases(test, b);
	long off, off2;
	u32 i, tlen;
	u8 *m;

	m = kunit_kmalloc(test, 1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	prandom_seed_state(&r, 0x746f6b6e);
	for (j = 0; j < n; j++) {
		KUNIT_ASSERT_EQ(test, sp_parse(test, b[j], &tok, &off), 0);
		tlen = tok.mech_token.len;
		if (!tlen)
			continue;
		for (i = 0; i < 300; i++) {
			memcpy(m, b[j].p, b[j].len);
			prandom_bytes_state(&r, m + off, tlen);
			KUNIT_ASSERT_EQ(test, sp_parse_n(test, m, b[j].len,
							 &tok, &off2), 0);
			KUNIT_EXPECT_EQ(test, off2, off);
			KUNIT_EXPECT_EQ(test, tok.mech_token.len, tlen);
		}
	}
}

/* Write with @room bytes and a canary after them; return the result. */
static int sp_write(struct kunit *test, u32 room, u8 state, bool mech,
		    const void *t, u32 tlen, bool blob, u8 **out)
{
	u8 *buf = kvmalloc(room + SP_CANARY, GFP_KERNEL);
	int ret, i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 0xa5, room + SP_CANARY);
	ret = blob ? smbs_spnego_negotiate_blob(buf, room) :
		     smbs_spnego_resp(buf, room, state, mech, t, tlen);
	for (i = 0; i < SP_CANARY; i++)
		if (buf[room + i] != 0xa5) {
			KUNIT_FAIL(test, "room %u: canary byte %d overwritten",
				   room, i);
			break;
		}
	if (out)
		*out = buf;
	else
		kvfree(buf);
	return ret;
}

static void spnego_blob_roundtrip(struct kunit *test)
{
	struct smbs_spnego_token tok;
	int len = smbs_spnego_negotiate_blob(NULL, 0);
	u32 room;
	u8 *buf;

	KUNIT_ASSERT_EQ(test, len, 74);
	KUNIT_ASSERT_EQ(test, sp_write(test, len, 0, 0, NULL, 0, true, &buf),
			len);
	KUNIT_EXPECT_EQ(test, buf[0], 0x60);
	KUNIT_EXPECT_EQ(test, sp_parse_n(test, buf, len, &tok, NULL), 0);
	KUNIT_EXPECT_TRUE(test, tok.init);
	KUNIT_EXPECT_TRUE(test, tok.ntlm_offered);
	KUNIT_EXPECT_TRUE(test, tok.ntlm_first);
	KUNIT_EXPECT_EQ(test, tok.mech_token.len, 0u);
	KUNIT_EXPECT_EQ(test, smbs_der_validate(buf, len), 0);
	kvfree(buf);
	for (room = 0; room < len; room++)
		KUNIT_EXPECT_EQ(test, sp_write(test, room, 0, 0, NULL, 0, true,
					       NULL), -ENOSPC);
	/* More room than needed: the same length. */
	KUNIT_EXPECT_EQ(test, sp_write(test, 200, 0, 0, NULL, 0, true, NULL),
			len);
}

/* One NegTokenResp written, parsed back, and written short. */
static void sp_resp_case(struct kunit *test, u8 state, bool mech,
			 const u8 *tp, u32 tlen)
{
	struct smbs_spnego_token tok;
	u32 room, step;
	int len;
	u8 *buf;

	len = smbs_spnego_resp(NULL, 0, state, mech, tp, tlen);
	KUNIT_ASSERT_GT(test, len, (int)tlen);
	KUNIT_ASSERT_EQ(test, sp_write(test, len, state, mech, tp, tlen, false,
				       &buf), len);
	KUNIT_EXPECT_EQ(test, smbs_spnego_parse(buf, len, &tok), 0);
	KUNIT_EXPECT_FALSE(test, tok.init);
	KUNIT_EXPECT_EQ(test, tok.neg_state, (int)state);
	KUNIT_EXPECT_EQ(test, tok.mech_token.len, tlen);
	KUNIT_EXPECT_EQ(test, tok.mic.len, 0u);
	if (tlen) {
		KUNIT_EXPECT_PTR_EQ(test, tok.mech_token.ptr,
				    (const u8 *)buf + len - tlen);
		KUNIT_EXPECT_MEMEQ(test, tok.mech_token.ptr, tp, tlen);
	}
	kvfree(buf);

	/* Too little room: refused, nothing written past it. */
	step = len > 600 ? len / 7 : 1;
	for (room = 0; room < len; room += step)
		KUNIT_EXPECT_EQ(test, sp_write(test, room, state, mech, tp,
					       tlen, false, NULL), -ENOSPC);
	KUNIT_EXPECT_EQ(test, sp_write(test, len - 1, state, mech, tp, tlen,
				       false, NULL), -ENOSPC);
}

static void spnego_resp_roundtrip(struct kunit *test)
{
	static const u32 sizes[] = {
		0, 1, 100, 127, 128, 255, 256, 4000, 65535, 65536, 70000,
	};
	unsigned int i, state;
	u8 *t;

	t = kvmalloc(70000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	for (i = 0; i < 70000; i++)
		t[i] = i * 7 + (i >> 8);
	for (state = 0; state < 4; state++) {
		sp_resp_case(test, state, false, NULL, 0);
		sp_resp_case(test, state, true, NULL, 0);
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			sp_resp_case(test, state, false, t, sizes[i]);
			sp_resp_case(test, state, true, t, sizes[i]);
		}
	}
	kvfree(t);
}

static struct kunit_case smbs_spnego_cases[] = {
	KUNIT_CASE(spnego_init_tokens),
	KUNIT_CASE(spnego_init_malformed),
	KUNIT_CASE(spnego_resp_tokens),
	KUNIT_CASE(spnego_der_lengths),
	KUNIT_CASE(spnego_der_nesting),
	KUNIT_CASE(spnego_trailing),
	KUNIT_CASE(spnego_long_form),
	KUNIT_CASE(spnego_truncations),
	KUNIT_CASE(spnego_mutations),
	KUNIT_CASE(spnego_token_bytes),
	KUNIT_CASE(spnego_blob_roundtrip),
	KUNIT_CASE(spnego_resp_roundtrip),
	{}
};

static struct kunit_suite smbs_spnego_suite = {
	.name = "smbs_spnego",
	.test_cases = smbs_spnego_cases,
};

kunit_test_suite(smbs_spnego_suite);
