// SPDX-License-Identifier: GPL-2.0-only
/*
 * SPNEGO for SESSION_SETUP: decoding the client's NegTokenInit and
 * NegTokenResp, encoding the server's NegTokenInit2 and NegTokenResp.
 *
 * Only what RFC 4178 and MS-SPNG put in those tokens is understood. The
 * DER reader accepts single-octet tags and definite lengths only, and the
 * whole token is walked once, with a nesting limit, before any field is
 * looked at.
 */
#include "server.h"

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/string.h>
#include "spnego.h"

#define DER_CONSTRUCTED		0x20
#define DER_OCTET_STRING	0x04
#define DER_OID			0x06
#define DER_ENUMERATED		0x0a
#define DER_GENERAL_STRING	0x1b
#define DER_SEQUENCE		0x30
#define DER_APPLICATION_0	0x60	/* GSS-API InitialContextToken */
#define DER_CONTEXT(n)		(0xa0 | (n))

/* 1.3.6.1.5.5.2, SPNEGO */
static const u8 smbs_oid_spnego[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02 };

/* 1.3.6.1.4.1.311.2.2.10, NTLMSSP */
static const u8 smbs_oid_ntlmssp[] = {
	0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a
};

/* MS-SPNG 3.2.5.2: the hintName Windows servers put in negHints. */
static const char smbs_spnego_hint[] = "not_defined_in_RFC4178@please_ignore";
#define SMBS_SPNEGO_HINT_LEN	(sizeof(smbs_spnego_hint) - 1)

/* ---- reading ------------------------------------------------------------ */

int smbs_der_next(struct smbs_buf *d, u8 *tag, struct smbs_buf *content)
{
	u32 hdr = 2, len, nlen, i;

	if (d->len < 2)
		return -EINVAL;
	*tag = d->ptr[0];
	if ((*tag & 0x1f) == 0x1f)		/* multi-octet tag number */
		return -EINVAL;
	len = d->ptr[1];
	if (len & 0x80) {
		nlen = len & 0x7f;
		/* 0x80 is the indefinite form, which DER does not allow. */
		if (!nlen || nlen > 4 || nlen > d->len - 2)
			return -EINVAL;
		len = 0;
		for (i = 0; i < nlen; i++)
			len = (len << 8) | d->ptr[2 + i];
		hdr += nlen;
	}
	if (len > d->len - hdr)
		return -EINVAL;
	content->ptr = len ? d->ptr + hdr : NULL;
	content->len = len;
	d->ptr += hdr + len;
	d->len -= hdr + len;
	return 0;
}

int smbs_der_validate(const u8 *buf, u32 len)
{
	struct smbs_buf stack[SMBS_DER_MAX_DEPTH + 1];
	struct smbs_buf content;
	int top = 0;
	u8 tag;

	stack[0].ptr = buf;
	stack[0].len = len;
	for (;;) {
		if (!stack[top].len) {
			if (!top)
				return 0;
			top--;
			continue;
		}
		if (smbs_der_next(&stack[top], &tag, &content))
			return -EINVAL;
		if (!(tag & DER_CONSTRUCTED))
			continue;
		if (++top > SMBS_DER_MAX_DEPTH)
			return -EINVAL;
		stack[top] = content;
	}
}

/* Read the next value of @d, which must have tag @want. */
static int der_take(struct smbs_buf *d, u8 want, struct smbs_buf *content)
{
	u8 tag;

	if (smbs_der_next(d, &tag, content) || tag != want)
		return -EINVAL;
	return 0;
}

/* Read the only value of @d, which must have tag @want. */
static int der_only(struct smbs_buf *d, u8 want, struct smbs_buf *content)
{
	if (der_take(d, want, content) || d->len)
		return -EINVAL;
	return 0;
}

static bool der_oid_is(const struct smbs_buf *oid, const u8 *want, u32 len)
{
	return oid->len == len && !memcmp(oid->ptr, want, len);
}

/*
 * Split a SEQUENCE of [n] EXPLICIT fields: they must come in increasing
 * order; fields numbered @nf or above are extensions and are skipped.
 *
 * Return: a bit mask of the fields present, or -EINVAL.
 */
static int spnego_fields(struct smbs_buf seq, struct smbs_buf *f,
			 unsigned int nf)
{
	struct smbs_buf content;
	int last = -1, present = 0;
	u8 tag;

	while (seq.len) {
		if (smbs_der_next(&seq, &tag, &content))
			return -EINVAL;
		if ((tag & 0xe0) != DER_CONTEXT(0) || (int)(tag & 0x1f) <= last)
			return -EINVAL;
		last = tag & 0x1f;
		if (last < nf) {
			f[last] = content;
			present |= BIT(last);
		}
	}
	return present;
}

/* MechTypeList ::= SEQUENCE OF OBJECT IDENTIFIER */
static int spnego_mech_types(struct smbs_buf field,
			     struct smbs_spnego_token *tok)
{
	struct smbs_buf list, oid;
	bool first = true;

	/* Kept whole: the mechListMIC is computed over these bytes. */
	tok->mech_types = field;
	if (der_only(&field, DER_SEQUENCE, &list))
		return -EINVAL;
	while (list.len) {
		if (der_take(&list, DER_OID, &oid))
			return -EINVAL;
		if (der_oid_is(&oid, smbs_oid_ntlmssp,
			       sizeof(smbs_oid_ntlmssp))) {
			tok->ntlm_offered = true;
			tok->ntlm_first |= first;
		}
		first = false;
	}
	return 0;
}

/*
 * InitialContextToken ::= [APPLICATION 0] IMPLICIT SEQUENCE {
 *	thisMech OBJECT IDENTIFIER (SPNEGO), [0] NegTokenInit }
 * NegTokenInit ::= SEQUENCE { mechTypes [0], reqFlags [1],
 *	mechToken [2] OCTET STRING, mechListMIC [3] ... }
 */
static int spnego_parse_init(struct smbs_buf d, struct smbs_spnego_token *tok)
{
	struct smbs_buf app, oid, inner, seq, f[3];
	int present;

	if (der_only(&d, DER_APPLICATION_0, &app) ||
	    der_take(&app, DER_OID, &oid) ||
	    !der_oid_is(&oid, smbs_oid_spnego, sizeof(smbs_oid_spnego)) ||
	    der_only(&app, DER_CONTEXT(0), &inner) ||
	    der_only(&inner, DER_SEQUENCE, &seq))
		return -EINVAL;
	present = spnego_fields(seq, f, ARRAY_SIZE(f));
	/* mechTypes is the one field that is not optional. */
	if (present < 0 || !(present & BIT(0)))
		return -EINVAL;
	if (spnego_mech_types(f[0], tok))
		return -EINVAL;
	if ((present & BIT(2)) &&
	    der_only(&f[2], DER_OCTET_STRING, &tok->mech_token))
		return -EINVAL;
	tok->init = true;
	return 0;
}

/*
 * NegotiationToken ::= [1] NegTokenResp
 * NegTokenResp ::= SEQUENCE { negState [0] ENUMERATED,
 *	supportedMech [1] OID, responseToken [2] OCTET STRING,
 *	mechListMIC [3] OCTET STRING }
 */
static int spnego_parse_resp(struct smbs_buf d, struct smbs_spnego_token *tok)
{
	struct smbs_buf inner, seq, val, f[4];
	int present;

	if (der_only(&d, DER_CONTEXT(1), &inner) ||
	    der_only(&inner, DER_SEQUENCE, &seq))
		return -EINVAL;
	present = spnego_fields(seq, f, ARRAY_SIZE(f));
	if (present < 0)
		return -EINVAL;
	if (present & BIT(0)) {
		if (der_only(&f[0], DER_ENUMERATED, &val) || val.len != 1)
			return -EINVAL;
		tok->neg_state = val.ptr[0];
	}
	if ((present & BIT(1)) && der_only(&f[1], DER_OID, &val))
		return -EINVAL;
	if ((present & BIT(2)) &&
	    der_only(&f[2], DER_OCTET_STRING, &tok->mech_token))
		return -EINVAL;
	if ((present & BIT(3)) && der_only(&f[3], DER_OCTET_STRING, &tok->mic))
		return -EINVAL;
	return 0;
}

int smbs_spnego_parse(const u8 *buf, u32 len, struct smbs_spnego_token *tok)
{
	struct smbs_buf d = { .ptr = buf, .len = len };

	memset(tok, 0, sizeof(*tok));
	tok->neg_state = -1;
	if (!len || smbs_der_validate(buf, len))
		return -EINVAL;
	if (buf[0] == DER_APPLICATION_0)
		return spnego_parse_init(d, tok);
	if (buf[0] == DER_CONTEXT(1))
		return spnego_parse_resp(d, tok);
	return -EINVAL;
}

/* ---- writing ------------------------------------------------------------ */

/*
 * The writer counts every byte but only stores those that fit, so one pass
 * both measures and writes; sizes of nested values are computed up front.
 */
struct smbs_der_w {
	u8 *buf;
	u32 room;
	u32 len;
};

static u32 der_len_octets(u32 n)
{
	u32 k = 1;

	if (n < 0x80)
		return 1;
	for (; n; n >>= 8)
		k++;
	return k;
}

/* Size of a whole value with @content bytes of contents. */
static u32 der_size(u32 content)
{
	return 1 + der_len_octets(content) + content;
}

static void der_put(struct smbs_der_w *w, const void *src, u32 n)
{
	if (w->buf && n <= w->room && w->len <= w->room - n)
		memcpy(w->buf + w->len, src, n);
	w->len += n;
}

static void der_hdr(struct smbs_der_w *w, u8 tag, u32 content)
{
	u32 k = der_len_octets(content), i;
	u8 h[6];

	h[0] = tag;
	if (k == 1) {
		h[1] = content;
	} else {
		h[1] = 0x80 | (k - 1);
		for (i = 0; i < k - 1; i++)
			h[k - i] = content >> (8 * i);
	}
	der_put(w, h, 1 + k);
}

static int der_finish(const struct smbs_der_w *w)
{
	if (w->buf && w->len > w->room)
		return -ENOSPC;
	return w->len;
}

/*
 * InitialContextToken { SPNEGO, [0] NegTokenInit2 { mechTypes [0]
 * { NTLMSSP }, negHints [3] { hintName [0] "not_defined_in_RFC4178@..." } } }
 */
int smbs_spnego_negotiate_blob(void *buf, u32 room)
{
	struct smbs_der_w w = { .buf = buf, .room = room };
	u32 oid = der_size(sizeof(smbs_oid_ntlmssp));
	u32 list = der_size(oid);
	u32 f0 = der_size(list);
	u32 name = der_size(SMBS_SPNEGO_HINT_LEN);
	u32 h0 = der_size(name);
	u32 hints = der_size(h0);
	u32 f3 = der_size(hints);
	u32 seq = der_size(f0 + f3);
	u32 ctx = der_size(seq);
	u32 this_mech = der_size(sizeof(smbs_oid_spnego));

	der_hdr(&w, DER_APPLICATION_0, this_mech + ctx);
	der_hdr(&w, DER_OID, sizeof(smbs_oid_spnego));
	der_put(&w, smbs_oid_spnego, sizeof(smbs_oid_spnego));
	der_hdr(&w, DER_CONTEXT(0), seq);
	der_hdr(&w, DER_SEQUENCE, f0 + f3);
	/* mechTypes: NTLMSSP only, until Kerberos is supported */
	der_hdr(&w, DER_CONTEXT(0), list);
	der_hdr(&w, DER_SEQUENCE, oid);
	der_hdr(&w, DER_OID, sizeof(smbs_oid_ntlmssp));
	der_put(&w, smbs_oid_ntlmssp, sizeof(smbs_oid_ntlmssp));
	/* negHints */
	der_hdr(&w, DER_CONTEXT(3), hints);
	der_hdr(&w, DER_SEQUENCE, h0);
	der_hdr(&w, DER_CONTEXT(0), name);
	der_hdr(&w, DER_GENERAL_STRING, SMBS_SPNEGO_HINT_LEN);
	der_put(&w, smbs_spnego_hint, SMBS_SPNEGO_HINT_LEN);
	return der_finish(&w);
}

int smbs_spnego_resp_mic(void *buf, u32 room, u8 neg_state, bool ntlm_mech,
			 const void *tok, u32 tok_len, const void *mic,
			 u32 mic_len)
{
	struct smbs_der_w w = { .buf = buf, .room = room };
	u32 state = der_size(der_size(1));
	u32 mech = ntlm_mech ? der_size(der_size(sizeof(smbs_oid_ntlmssp))) : 0;
	u32 rtok = tok ? der_size(der_size(tok_len)) : 0;
	u32 rmic = mic ? der_size(der_size(mic_len)) : 0;
	u32 fields = state + mech + rtok + rmic;

	der_hdr(&w, DER_CONTEXT(1), der_size(fields));
	der_hdr(&w, DER_SEQUENCE, fields);
	der_hdr(&w, DER_CONTEXT(0), der_size(1));
	der_hdr(&w, DER_ENUMERATED, 1);
	der_put(&w, &neg_state, 1);
	if (ntlm_mech) {
		der_hdr(&w, DER_CONTEXT(1), der_size(sizeof(smbs_oid_ntlmssp)));
		der_hdr(&w, DER_OID, sizeof(smbs_oid_ntlmssp));
		der_put(&w, smbs_oid_ntlmssp, sizeof(smbs_oid_ntlmssp));
	}
	if (tok) {
		der_hdr(&w, DER_CONTEXT(2), der_size(tok_len));
		der_hdr(&w, DER_OCTET_STRING, tok_len);
		der_put(&w, tok, tok_len);
	}
	if (mic) {
		der_hdr(&w, DER_CONTEXT(3), der_size(mic_len));
		der_hdr(&w, DER_OCTET_STRING, mic_len);
		der_put(&w, mic, mic_len);
	}
	return der_finish(&w);
}

int smbs_spnego_resp(void *buf, u32 room, u8 neg_state, bool ntlm_mech,
		     const void *tok, u32 tok_len)
{
	return smbs_spnego_resp_mic(buf, room, neg_state, ntlm_mech, tok,
				    tok_len, NULL, 0);
}
