// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DCE/RPC and NDR under hostile input, through rpc_pipe_request() as the
 * kernel's RPC_REQ handler drives it: valid sessions checked to the byte,
 * every truncation of every valid PDU, header and NDR boundary values,
 * and a seeded mutation run (KSMBD_FUZZ_SEED, KSMBD_FUZZ_ITERS) after
 * which the pipe must still answer correctly.
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/smb_server.h>

#include "../rpc/dcerpc.h"
#include "../rpc/ndr.h"
#include "../rpc/rpc.h"
#include "tests.h"

#define FUZZ_SEED	0x6b736d6264525043ULL	/* "ksmbdRPC" */
#define FUZZ_ITERS	20000
#define QUEUE_LIMIT	256	/* RPC_MAX_QUEUED in dcerpc.c */
#define REQUEST_LIMIT	(1 << 20)	/* RPC_MAX_REQUEST in dcerpc.c */

#define WERR_INVALID_LEVEL	124
#define WERR_NET_NAME_NOT_FOUND	2310
#define NAK_AUTH_TYPE		8	/* MS-RPCE 2.2.2.5 */

static struct share_table *shares;
static struct smb_globals globals;
static struct rpc_env env;
static struct rpc_pipes *pipes;

static const uint8_t srvsvc_if[20] = {
	0xc8, 0x4f, 0x32, 0x4b, 0x70, 0x16, 0xd3, 0x01,
	0x12, 0x78, 0x5a, 0x47, 0xbf, 0x6e, 0xe1, 0x88, 3, 0, 0, 0,
};
static const uint8_t ndr_ts[20] = {
	0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11,
	0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60, 2, 0, 0, 0,
};
static const uint8_t ndr64_ts[20] = {
	0x33, 0x05, 0x71, 0x71, 0xba, 0xbe, 0x37, 0x49,
	0x83, 0x19, 0xb5, 0xdb, 0xef, 0x9c, 0xcc, 0x36, 1, 0, 0, 0,
};

/* ---- the kernel's side ---- */

static uint32_t op(uint64_t id, uint32_t what, const void *data, size_t len,
		   GByteArray **out)
{
	struct rpc_request q = {
		.pipe_id = id,
		.op = what,
		.pipe_name = what == SMB_SERVER_RPC_OPEN ? data : NULL,
		.account = "fuzzer",
		.data = what == SMB_SERVER_RPC_OPEN ? NULL : data,
		.len = what == SMB_SERVER_RPC_OPEN ? 0 : len,
	};
	GByteArray *dummy = NULL;
	uint32_t st;

	st = rpc_pipe_request(pipes, &env, &q, out ? out : &dummy);
	if (dummy)
		g_byte_array_unref(dummy);
	return st;
}

static uint32_t write_ba(uint64_t id, const GByteArray *b)
{
	return op(id, SMB_SERVER_RPC_WRITE, b->data, b->len, NULL);
}

static GByteArray *read_pdu(uint64_t id)
{
	GByteArray *out = NULL;

	op(id, SMB_SERVER_RPC_READ, NULL, 0, &out);
	return out;
}

/* Read and drop everything queued; returns how many PDUs there were. */
static unsigned int drain(uint64_t id)
{
	unsigned int n = 0;
	GByteArray *out;

	while ((out = read_pdu(id))) {
		g_byte_array_unref(out);
		n++;
	}
	return n;
}

/* ---- building PDUs ---- */

static GByteArray *hdr_new(uint8_t type, uint8_t flags, uint32_t call_id)
{
	uint8_t h[16] = { 5, 0, type, flags, 0x10, 0, 0, 0 };

	put_le32(h + 12, call_id);
	return g_byte_array_append(g_byte_array_new(), h, sizeof(h));
}

static GByteArray *pdu_done(GByteArray *b)
{
	put_le16(b->data + 8, b->len);
	return b;
}

static GByteArray *bind_new(uint8_t type, uint32_t call_id, uint16_t max_recv,
			    uint8_t n)
{
	GByteArray *b = hdr_new(type, 3, call_id);
	uint8_t f[12] = { 0 };

	put_le16(f, 4280);
	put_le16(f + 2, max_recv);
	f[8] = n;
	return g_byte_array_append(b, f, sizeof(f));
}

static void ctx_add(GByteArray *b, uint16_t id, const uint8_t *abstract,
		    const uint8_t *ts)
{
	uint8_t head[4] = { 0, 0, 1, 0 };

	put_le16(head, id);
	g_byte_array_append(b, head, 4);
	g_byte_array_append(b, abstract, 20);
	g_byte_array_append(b, ts, 20);
}

/* BIND (or ALTER_CONTEXT) for srvsvc/NDR on context @ctx */
static GByteArray *bind_pdu(uint8_t type, uint32_t call_id, uint16_t ctx)
{
	GByteArray *b = bind_new(type, call_id, 4280, 1);

	ctx_add(b, ctx, srvsvc_if, ndr_ts);
	return pdu_done(b);
}

static GByteArray *req_pdu(uint32_t call_id, uint16_t ctx, uint16_t opnum,
			   uint8_t flags, const void *stub, size_t len)
{
	GByteArray *b = hdr_new(DCERPC_REQUEST, flags, call_id);
	uint8_t f[8];

	put_le32(f, len);
	put_le16(f + 4, ctx);
	put_le16(f + 6, opnum);
	g_byte_array_append(b, f, sizeof(f));
	g_byte_array_append(b, stub, len);
	return pdu_done(b);
}

static GByteArray *push_done(struct ndr_push *p)
{
	GByteArray *b = p->buf;

	p->buf = NULL;
	return b;
}

static GByteArray *enum_stub(uint32_t level, bool resume)
{
	struct ndr_push p;

	ndr_push_init(&p);
	ndr_push_ptr(&p, true);
	ndr_push_wstring(&p, "\\\\srv");
	ndr_push_u32(&p, level);
	ndr_push_u32(&p, level);
	ndr_push_ptr(&p, true);			/* container */
	ndr_push_u32(&p, 0);
	ndr_push_ptr(&p, false);		/* no buffer */
	ndr_push_u32(&p, 0xffffffff);
	ndr_push_ptr(&p, resume);
	if (resume)
		ndr_push_u32(&p, 0);
	return push_done(&p);
}

static GByteArray *getinfo_stub(const char *name, uint32_t level)
{
	struct ndr_push p;

	ndr_push_init(&p);
	ndr_push_ptr(&p, false);		/* no server name */
	ndr_push_wstring(&p, name);
	ndr_push_u32(&p, level);
	return push_done(&p);
}

/* NetrServerGetInfo (opnum 21): ServerName, Level */
static GByteArray *srvinfo_stub(uint32_t level)
{
	struct ndr_push p;

	ndr_push_init(&p);
	ndr_push_ptr(&p, true);
	ndr_push_wstring(&p, "\\\\srv");
	ndr_push_u32(&p, level);
	return push_done(&p);
}

static GByteArray *req_from(uint32_t call_id, uint16_t opnum, GByteArray *stub)
{
	GByteArray *b = req_pdu(call_id, 0, opnum, 3, stub->data, stub->len);

	g_byte_array_unref(stub);
	return b;
}

/* ---- checking answers ---- */

/* Common header of a PDU we sent: version, drep, frag_length, call_id. */
static bool hdr_ok(const GByteArray *o, uint8_t type, uint32_t call_id)
{
	return o && o->len >= 16 && o->data[0] == 5 && o->data[1] == 0 &&
	       o->data[2] == type && o->data[4] == 0x10 &&
	       get_le16(o->data + 8) == o->len &&
	       get_le16(o->data + 10) == 0 &&
	       get_le32(o->data + 12) == call_id;
}

/* The fault status of a FAULT for @call_id, or 0 when it is not one. */
static uint32_t fault_of(GByteArray *o, uint32_t call_id)
{
	uint32_t st;

	if (!hdr_ok(o, DCERPC_FAULT, call_id) || o->len != 32 ||
	    o->data[3] != 3)
		st = 0;
	else
		st = get_le32(o->data + 24);
	if (o)
		g_byte_array_unref(o);
	return st;
}

/*
 * The results of a BIND_ACK / ALTER_RESP for @call_id with @n results,
 * or NULL.
 */
static const uint8_t *ack_results(const GByteArray *o, uint8_t type,
				  uint32_t call_id, unsigned int n)
{
	size_t off;

	if (!hdr_ok(o, type, call_id) || o->len < 26 || o->data[3] != 3)
		return NULL;
	off = 26 + get_le16(o->data + 24);
	off = (off + 3) & ~(size_t)3;
	if (o->len != off + 4 + 24 * n || o->data[off] != n)
		return NULL;
	return o->data + off + 4;
}

static bool result_is(const uint8_t *r, uint16_t result, uint16_t reason,
		      const uint8_t *ts)
{
	static const uint8_t zero[20];

	return r && get_le16(r) == result && get_le16(r + 2) == reason &&
	       !memcmp(r + 4, ts ? ts : zero, 20);
}

/* A single-fragment RESPONSE for @call_id on context @ctx: its stub. */
static bool rsp_stub(const GByteArray *o, uint32_t call_id, uint16_t ctx,
		     struct ndr_pull *p)
{
	if (!hdr_ok(o, DCERPC_RESPONSE, call_id) || o->len < 24 ||
	    o->data[3] != 3 || get_le32(o->data + 16) != o->len - 24u ||
	    get_le16(o->data + 20) != ctx || o->data[22] != 0)
		return false;
	ndr_pull_init(p, o->data + 24, o->len - 24);
	return true;
}

/*
 * Decode a NetShareEnumAll answer of @level: the names, joined by ",",
 * and the status; "!" when the stub is not what MS-SRVS describes.
 */
static char *decode_enum(const GByteArray *o, uint32_t call_id,
			 uint32_t level, uint32_t *werr)
{
	uint32_t v, n = 0, total, type, i;
	GString *s = g_string_new(NULL);
	struct ndr_pull p;
	bool ptr, ok;
	char *str;

	*werr = 0xffffffff;
	ok = rsp_stub(o, call_id, 0, &p) &&
	     !ndr_pull_u32(&p, &v) && v == level &&
	     !ndr_pull_u32(&p, &v) && v == level &&
	     !ndr_pull_ptr(&p, &ptr) && ptr &&
	     !ndr_pull_u32(&p, &n) && !ndr_pull_ptr(&p, &ptr) && ptr == !!n;
	if (ok && n)
		ok = !ndr_pull_u32(&p, &v) && v == n;
	for (i = 0; ok && i < n; i++) {
		ok = !ndr_pull_ptr(&p, &ptr) && ptr;
		if (ok && level == 1)
			ok = !ndr_pull_u32(&p, &type) &&
			     !ndr_pull_ptr(&p, &ptr) && ptr;
	}
	for (i = 0; ok && i < n; i++) {
		ok = !ndr_pull_wstring(&p, &str);
		if (!ok)
			break;
		g_string_append_printf(s, "%s%s", i ? "," : "", str);
		g_free(str);
		if (level == 1) {
			ok = !ndr_pull_wstring(&p, &str);
			if (ok)
				g_free(str);
		}
	}
	ok = ok && !ndr_pull_u32(&p, &total) && total == n &&
	     !ndr_pull_ptr(&p, &ptr) && !ptr &&
	     !ndr_pull_u32(&p, werr) && p.off == p.len;
	if (!ok)
		g_string_assign(s, "!");
	return g_string_free(s, FALSE);
}

/* NetShareGetInfo: status, and the name when one is returned. */
static uint32_t decode_getinfo(const GByteArray *o, uint32_t call_id,
			       uint32_t level, char **name)
{
	struct ndr_pull p;
	uint32_t v, werr;
	bool ptr, ok;

	*name = NULL;
	ok = rsp_stub(o, call_id, 0, &p) && !ndr_pull_u32(&p, &v) &&
	     v == level && !ndr_pull_ptr(&p, &ptr);
	if (ok && ptr) {
		ok = !ndr_pull_ptr(&p, &ptr) && ptr;
		if (ok && level == 1)
			ok = !ndr_pull_u32(&p, &v) &&
			     !ndr_pull_ptr(&p, &ptr) && ptr;
		ok = ok && !ndr_pull_wstring(&p, name);
		if (ok && level == 1) {
			char *remark = NULL;

			ok = !ndr_pull_wstring(&p, &remark);
			g_free(remark);
		}
	}
	ok = ok && !ndr_pull_u32(&p, &werr) && p.off == p.len;
	return ok ? werr : 0xffffffff;
}

/* A fresh pipe @id, bound to srvsvc on context 0. */
static void open_bound(uint64_t id)
{
	GByteArray *b = bind_pdu(DCERPC_BIND, 1, 0), *out = NULL;

	CHECK_INT(op(id, SMB_SERVER_RPC_OPEN, "srvsvc", 0, NULL),
		  SMB_SERVER_ST_OK);
	CHECK_INT(op(id, SMB_SERVER_RPC_TRANSACT, b->data, b->len, &out),
		  SMB_SERVER_ST_OK);
	CHECK(result_is(ack_results(out, DCERPC_BIND_ACK, 1, 1),
			DCERPC_ACCEPT, 0, ndr_ts));
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);
}

static GByteArray *transact(uint64_t id, const GByteArray *b, uint32_t *st)
{
	GByteArray *out = NULL;

	*st = op(id, SMB_SERVER_RPC_TRANSACT, b->data, b->len, &out);
	return out;
}

/* NetShareGetInfo("pub", 0) on a bound pipe answers "pub", WERR_OK. */
static bool pipe_works(uint64_t id, uint32_t call_id)
{
	GByteArray *b = req_from(call_id, 16, getinfo_stub("pub", 0)), *out;
	uint32_t st, werr;
	char *name;
	bool ok;

	drain(id);
	out = transact(id, b, &st);
	werr = decode_getinfo(out, call_id, 0, &name);
	ok = st == SMB_SERVER_ST_OK && werr == 0 && name &&
	     !strcmp(name, "pub") && !read_pdu(id);
	g_free(name);
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);
	return ok;
}

/* ---- 1. valid sessions ---- */

static void test_valid(void)
{
	GByteArray *b, *out;
	const uint8_t *r;
	uint32_t st, werr;
	char *names;

	CHECK_INT(op(100, SMB_SERVER_RPC_OPEN, "\\pipe\\SRVSVC", 0, NULL),
		  SMB_SERVER_ST_OK);
	b = bind_pdu(DCERPC_BIND, 0x11223344, 0);
	out = transact(100, b, &st);
	CHECK_INT(st, SMB_SERVER_ST_OK);
	r = ack_results(out, DCERPC_BIND_ACK, 0x11223344, 1);
	CHECK(result_is(r, DCERPC_ACCEPT, 0, ndr_ts));
	if (r) {
		CHECK_INT(get_le16(out->data + 16), 4280);	/* max xmit */
		CHECK_INT(get_le16(out->data + 18), 4280);	/* max recv */
		CHECK_INT(get_le16(out->data + 24), 13);
		CHECK_MEM(out->data + 26, "\\PIPE\\srvsvc", 13);
	}
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);

	/* NetShareEnumAll level 1 and 0: browseable shares and IPC$ */
	b = req_from(0x7ffffffe, 15, enum_stub(1, false));
	out = transact(100, b, &st);
	CHECK_INT(st, SMB_SERVER_ST_OK);
	names = decode_enum(out, 0x7ffffffe, 1, &werr);
	CHECK_STR(names, "pub,IPC$");
	CHECK_INT(werr, 0);
	g_free(names);
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);

	b = req_from(0xffffffff, 15, enum_stub(0, false));
	out = transact(100, b, &st);
	names = decode_enum(out, 0xffffffff, 0, &werr);
	CHECK_STR(names, "pub,IPC$");
	CHECK_INT(werr, 0);
	g_free(names);
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);

	/* NetShareGetInfo: existing (any case), hidden, missing, unavailable */
	b = req_from(3, 16, getinfo_stub("PuB", 1));
	out = transact(100, b, &st);
	CHECK_INT(decode_getinfo(out, 3, 1, &names), 0);
	CHECK_STR(names, "pub");
	g_free(names);
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);

	b = req_from(4, 16, getinfo_stub("hidden", 1));
	out = transact(100, b, &st);
	CHECK_INT(decode_getinfo(out, 4, 1, &names), 0);
	CHECK_STR(names, "hidden");
	g_free(names);
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);

	b = req_from(5, 16, getinfo_stub("missing", 1));
	out = transact(100, b, &st);
	CHECK_INT(decode_getinfo(out, 5, 1, &names), WERR_NET_NAME_NOT_FOUND);
	CHECK(names == NULL);
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);

	b = req_from(6, 16, getinfo_stub("gone", 0));
	out = transact(100, b, &st);
	CHECK_INT(decode_getinfo(out, 6, 0, &names), WERR_NET_NAME_NOT_FOUND);
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);

	/* a known level without an implementation: WERR_INVALID_LEVEL */
	b = req_from(7, 16, getinfo_stub("pub", 2));
	out = transact(100, b, &st);
	CHECK_INT(decode_getinfo(out, 7, 2, &names), WERR_INVALID_LEVEL);
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);

	/* NetrServerGetInfo (opnum 21) is not implemented: op range fault */
	b = req_from(8, 21, srvinfo_stub(101));
	out = transact(100, b, &st);
	CHECK_INT(st, SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 8), DCERPC_FAULT_OP_RNG_ERROR);
	g_byte_array_unref(b);

	CHECK(pipe_works(100, 9));
	CHECK_INT(op(100, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL),
		  SMB_SERVER_ST_OK);
}

/* Two PDUs in one write, and the answers in order. */
static void test_pipelined(void)
{
	GByteArray *a = req_from(21, 16, getinfo_stub("pub", 0));
	GByteArray *b = req_from(22, 16, getinfo_stub("nope", 0));
	GByteArray *out;
	char *name;

	open_bound(101);
	g_byte_array_append(a, b->data, b->len);
	CHECK_INT(write_ba(101, a), SMB_SERVER_ST_OK);
	out = read_pdu(101);
	CHECK_INT(decode_getinfo(out, 21, 0, &name), 0);
	CHECK_STR(name, "pub");
	g_free(name);
	if (out)
		g_byte_array_unref(out);
	out = read_pdu(101);
	CHECK_INT(decode_getinfo(out, 22, 0, &name),
		  WERR_NET_NAME_NOT_FOUND);
	if (out)
		g_byte_array_unref(out);
	CHECK(read_pdu(101) == NULL);
	g_byte_array_unref(a);
	g_byte_array_unref(b);
	op(101, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
}

/* ---- 2. truncations ---- */

/*
 * Each valid request cut to every length: as a short write (the rest
 * arrives later and the call must then succeed) and with frag_length
 * saying the short length (a clean error, and the pipe still works).
 */
static void truncate_request(uint64_t id, GByteArray *req, uint32_t call_id)
{
	unsigned int k, bad_split = 0, bad_cut = 0, bad_after = 0;
	GByteArray *cut, *out, *want;
	uint32_t st;

	want = transact(id, req, &st);
	CHECK_INT(st, SMB_SERVER_ST_OK);
	CHECK(hdr_ok(want, DCERPC_RESPONSE, call_id));
	if (!want)
		return;
	for (k = 0; k < req->len; k++) {
		/* short write, then the rest */
		st = op(id, SMB_SERVER_RPC_WRITE, req->data, k, NULL);
		out = read_pdu(id);
		if (st != SMB_SERVER_ST_OK || out)
			bad_split++;
		if (out)
			g_byte_array_unref(out);
		st = op(id, SMB_SERVER_RPC_WRITE, req->data + k, req->len - k,
			NULL);
		out = read_pdu(id);
		if (st != SMB_SERVER_ST_OK || !out || out->len != want->len ||
		    memcmp(out->data, want->data, want->len))
			bad_split++;
		if (out)
			g_byte_array_unref(out);

		/* frag_length = k */
		cut = g_byte_array_append(g_byte_array_new(), req->data, k);
		if (k > 8)
			cut->data[8] = k;
		if (k > 9)
			cut->data[9] = k >> 8;
		st = write_ba(id, cut);
		out = read_pdu(id);
		if (k < 16) {
			/* an incomplete header waits for more */
			if (st != SMB_SERVER_ST_OK || out)
				bad_cut++;
			/* then garbage makes it all go */
			if (op(id, SMB_SERVER_RPC_WRITE, "\0\0\0\0\0\0\0\0"
			       "\0\0\0\0\0\0\0\0", 16, NULL) !=
			    SMB_SERVER_ST_INVALID)
				bad_cut++;
		} else if (k < 24) {
			/* no room for the request header */
			if (st != SMB_SERVER_ST_INVALID || out)
				bad_cut++;
		} else {
			/* the stub is short: an NDR fault */
			if (st != SMB_SERVER_ST_OK ||
			    fault_of(out, call_id) != DCERPC_FAULT_NDR)
				bad_cut++;
			out = NULL;
		}
		if (out)
			g_byte_array_unref(out);
		g_byte_array_unref(cut);
		if (!pipe_works(id, 1000 + k))
			bad_after++;
	}
	CHECK_INT(bad_split, 0);
	CHECK_INT(bad_cut, 0);
	CHECK_INT(bad_after, 0);
	g_byte_array_unref(want);
	g_byte_array_unref(req);
}

static void test_truncation(void)
{
	GByteArray *bind = bind_pdu(DCERPC_BIND, 1, 0), *cut, *out;
	unsigned int k, bad = 0;
	uint32_t st;

	open_bound(110);
	truncate_request(110, req_from(31, 15, enum_stub(1, true)), 31);
	truncate_request(110, req_from(32, 15, enum_stub(0, false)), 32);
	truncate_request(110, req_from(33, 16, getinfo_stub("pub", 1)), 33);
	truncate_request(110, req_from(34, 16, getinfo_stub("zz", 0)), 34);
	op(110, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);

	/* a BIND claiming each short length is refused; a good one works */
	for (k = 16; k < bind->len; k++) {
		CHECK_INT(op(111, SMB_SERVER_RPC_OPEN, "srvsvc", 0, NULL),
			  SMB_SERVER_ST_OK);
		cut = g_byte_array_append(g_byte_array_new(), bind->data, k);
		put_le16(cut->data + 8, k);
		st = write_ba(111, cut);
		out = read_pdu(111);
		if (st != SMB_SERVER_ST_INVALID || out)
			bad++;
		if (out)
			g_byte_array_unref(out);
		g_byte_array_unref(cut);
		/* nothing bound yet */
		out = NULL;
		cut = req_from(2, 16, getinfo_stub("pub", 0));
		if (op(111, SMB_SERVER_RPC_TRANSACT, cut->data, cut->len,
		       &out) != SMB_SERVER_ST_OK ||
		    fault_of(out, 2) != DCERPC_FAULT_UNK_IF)
			bad++;
		g_byte_array_unref(cut);
		st = op(111, SMB_SERVER_RPC_TRANSACT, bind->data, bind->len,
			&out);
		if (st != SMB_SERVER_ST_OK ||
		    !result_is(ack_results(out, DCERPC_BIND_ACK, 1, 1),
			       DCERPC_ACCEPT, 0, ndr_ts))
			bad++;
		if (out)
			g_byte_array_unref(out);
		if (!pipe_works(111, 3))
			bad++;
	}
	CHECK_INT(bad, 0);
	op(111, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
	g_byte_array_unref(bind);
}

/* ---- 3. header fields ---- */

/* Write @b to bound pipe @id; the status, and the one answer if any. */
static uint32_t send_one(uint64_t id, GByteArray *b, GByteArray **out)
{
	uint32_t st = write_ba(id, b);

	g_byte_array_unref(b);
	*out = read_pdu(id);
	return st;
}

static void test_header(void)
{
	static const uint8_t bad_types[] = {
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 15, 17, 20, 21, 255,
	};
	static const uint8_t quiet_types[] = {
		DCERPC_AUTH3, DCERPC_CO_CANCEL, DCERPC_ORPHANED,
	};
	static const uint16_t short_frags[] = { 0, 1, 15 };
	GByteArray *b, *out;
	unsigned int i;
	char *name;

	open_bound(120);

	/* a WRITE with no payload at all */
	CHECK_INT(op(120, SMB_SERVER_RPC_WRITE, NULL, 0, NULL),
		  SMB_SERVER_ST_OK);
	CHECK(read_pdu(120) == NULL);

	/* frag_length below the common header */
	for (i = 0; i < G_N_ELEMENTS(short_frags); i++) {
		b = req_from(40, 16, getinfo_stub("pub", 0));
		put_le16(b->data + 8, short_frags[i]);
		CHECK_INT(send_one(120, b, &out), SMB_SERVER_ST_INVALID);
		CHECK(out == NULL);
		CHECK(pipe_works(120, 41));
	}

	/* frag_length past the data: waits, and takes what follows */
	b = req_from(42, 16, getinfo_stub("pub", 0));
	put_le16(b->data + 8, b->len + 8);
	CHECK_INT(send_one(120, b, &out), SMB_SERVER_ST_OK);
	CHECK(out == NULL);
	CHECK_INT(op(120, SMB_SERVER_RPC_WRITE, "12345678", 8, NULL),
		  SMB_SERVER_ST_OK);
	out = read_pdu(120);
	/* the stub's eight extra bytes are ignored */
	CHECK_INT(decode_getinfo(out, 42, 0, &name), 0);
	CHECK_STR(name, "pub");
	g_free(name);
	if (out)
		g_byte_array_unref(out);

	/*
	 * frag_length short of the data: the stub is cut (an NDR fault)
	 * and the rest is taken for the next header, which is not one.
	 */
	b = req_from(43, 16, getinfo_stub("pub", 0));
	put_le16(b->data + 8, b->len - 4);
	CHECK_INT(write_ba(120, b), SMB_SERVER_ST_OK);
	g_byte_array_unref(b);
	CHECK_INT(fault_of(read_pdu(120), 43), DCERPC_FAULT_NDR);
	b = req_from(44, 16, getinfo_stub("pub", 0));
	CHECK_INT(send_one(120, b, &out), SMB_SERVER_ST_INVALID);
	CHECK(out == NULL);
	CHECK(pipe_works(120, 45));

	/* auth_length beyond the end, or any: we offer no authentication */
	b = req_from(46, 16, getinfo_stub("pub", 0));
	put_le16(b->data + 10, 0xffff);
	CHECK_INT(send_one(120, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 46), DCERPC_FAULT_PROTO_ERROR);
	b = req_from(47, 16, getinfo_stub("pub", 0));
	put_le16(b->data + 10, 8);
	CHECK_INT(send_one(120, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 47), DCERPC_FAULT_PROTO_ERROR);
	b = bind_pdu(DCERPC_ALTER, 48, 1);
	put_le16(b->data + 10, 0x1000);
	CHECK_INT(send_one(120, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 48), DCERPC_FAULT_PROTO_ERROR);
	CHECK(pipe_works(120, 49));

	/* version 4.0, 6.0, 5.1, 5.255 and big-endian data are dropped */
	for (i = 0; i < 5; i++) {
		b = req_from(50, 16, getinfo_stub("pub", 0));
		switch (i) {
		case 0: b->data[0] = 4; break;
		case 1: b->data[0] = 6; break;
		case 2: b->data[1] = 1; break;
		case 3: b->data[1] = 255; break;
		case 4: b->data[4] = 0x00; break;	/* big-endian */
		}
		CHECK_INT(send_one(120, b, &out), SMB_SERVER_ST_INVALID);
		CHECK(out == NULL);
		CHECK(pipe_works(120, 51));
	}
	/* the same for a BIND on a fresh pipe: no answer, still unbound */
	CHECK_INT(op(121, SMB_SERVER_RPC_OPEN, "srvsvc", 0, NULL),
		  SMB_SERVER_ST_OK);
	b = bind_pdu(DCERPC_BIND, 52, 0);
	b->data[4] = 0x00;
	CHECK_INT(send_one(121, b, &out), SMB_SERVER_ST_INVALID);
	CHECK(out == NULL);
	b = req_from(53, 16, getinfo_stub("pub", 0));
	CHECK_INT(send_one(121, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 53), DCERPC_FAULT_UNK_IF);
	op(121, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);

	/* character and float representation bits do not matter */
	b = req_from(54, 16, getinfo_stub("pub", 0));
	b->data[4] = 0x11;
	b->data[5] = 0x03;
	CHECK_INT(send_one(120, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(decode_getinfo(out, 54, 0, &name), 0);
	g_free(name);
	if (out)
		g_byte_array_unref(out);

	/* PDU types a server does not take */
	for (i = 0; i < G_N_ELEMENTS(bad_types); i++) {
		b = req_from(55, 16, getinfo_stub("pub", 0));
		b->data[2] = bad_types[i];
		CHECK_INT(send_one(120, b, &out), SMB_SERVER_ST_INVALID);
		CHECK(out == NULL);
	}
	for (i = 0; i < G_N_ELEMENTS(quiet_types); i++) {
		b = pdu_done(hdr_new(quiet_types[i], 3, 56));
		g_byte_array_append(b, (const uint8_t *)"\0\0\0\0", 4);
		CHECK_INT(send_one(120, pdu_done(b), &out), SMB_SERVER_ST_OK);
		CHECK(out == NULL);
	}
	CHECK(pipe_works(120, 57));

	/* opnums out of range */
	{
		static const uint16_t opnums[] = { 0, 14, 17, 21, 0xffff };

		for (i = 0; i < G_N_ELEMENTS(opnums); i++) {
			b = req_from(58 + i, opnums[i],
				     getinfo_stub("pub", 0));
			CHECK_INT(send_one(120, b, &out), SMB_SERVER_ST_OK);
			CHECK_INT(fault_of(out, 58 + i),
				  DCERPC_FAULT_OP_RNG_ERROR);
		}
	}

	/* a context never bound, and one that was */
	b = getinfo_stub("pub", 0);
	out = req_pdu(64, 0xffff, 16, 3, b->data, b->len);
	g_byte_array_unref(b);
	CHECK_INT(send_one(120, out, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 64), DCERPC_FAULT_UNK_IF);

	/* alloc_hint lies make no difference */
	{
		static const uint32_t hints[] = { 0, 1, 0x7fffffff,
						  0xffffffff };

		for (i = 0; i < G_N_ELEMENTS(hints); i++) {
			b = req_from(65, 16, getinfo_stub("pub", 1));
			put_le32(b->data + 16, hints[i]);
			CHECK_INT(send_one(120, b, &out), SMB_SERVER_ST_OK);
			CHECK_INT(decode_getinfo(out, 65, 1, &name), 0);
			CHECK_STR(name, "pub");
			g_free(name);
			if (out)
				g_byte_array_unref(out);
		}
	}

	/* an object UUID comes before the stub; too short for one */
	{
		GByteArray *stub = getinfo_stub("pub", 0);
		uint8_t uuid[16];

		memset(uuid, 0xab, sizeof(uuid));
		b = hdr_new(DCERPC_REQUEST, 3 | DCERPC_PFC_OBJECT_UUID, 66);
		g_byte_array_append(b, (const uint8_t *)"\0\0\0\0\0\0\x10\0",
				    8);
		g_byte_array_append(b, uuid, 16);
		g_byte_array_append(b, stub->data, stub->len);
		CHECK_INT(send_one(120, pdu_done(b), &out), SMB_SERVER_ST_OK);
		CHECK_INT(decode_getinfo(out, 66, 0, &name), 0);
		g_free(name);
		if (out)
			g_byte_array_unref(out);
		b = hdr_new(DCERPC_REQUEST, 3 | DCERPC_PFC_OBJECT_UUID, 67);
		g_byte_array_append(b, (const uint8_t *)"\0\0\0\0\0\0\x10\0",
				    8);
		g_byte_array_append(b, uuid, 15);
		CHECK_INT(send_one(120, pdu_done(b), &out), SMB_SERVER_ST_OK);
		CHECK_INT(fault_of(out, 67), DCERPC_FAULT_PROTO_ERROR);
		g_byte_array_unref(stub);
	}
	CHECK(pipe_works(120, 68));
	op(120, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
}

/* BIND and ALTER_CONTEXT negotiation limits. */
static void test_bind_limits(void)
{
	static const uint8_t other_if[20] = {
		0x78, 0x57, 0x34, 0x12, 0x34, 0x12, 0xcd, 0xab,
		0xef, 0x00, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0, 0, 0, 0,
	};
	uint8_t if31[20], if20[20];
	GByteArray *b, *out;
	const uint8_t *r;
	unsigned int i;

	CHECK_INT(op(130, SMB_SERVER_RPC_OPEN, "srvsvc", 0, NULL),
		  SMB_SERVER_ST_OK);
	/* no contexts at all; 255 and 9 of them: refused, no answer */
	b = pdu_done(bind_new(DCERPC_BIND, 70, 4280, 0));
	CHECK_INT(send_one(130, b, &out), SMB_SERVER_ST_INVALID);
	CHECK(out == NULL);
	b = bind_new(DCERPC_BIND, 71, 4280, 255);
	for (i = 0; i < 255; i++)
		ctx_add(b, i, srvsvc_if, ndr_ts);
	CHECK_INT(send_one(130, pdu_done(b), &out), SMB_SERVER_ST_INVALID);
	CHECK(out == NULL);
	b = bind_new(DCERPC_BIND, 72, 4280, 9);
	for (i = 0; i < 9; i++)
		ctx_add(b, i, srvsvc_if, ndr_ts);
	CHECK_INT(send_one(130, pdu_done(b), &out), SMB_SERVER_ST_INVALID);
	CHECK(out == NULL);
	/* a count claiming more contexts than are there */
	b = bind_new(DCERPC_BIND, 73, 4280, 2);
	ctx_add(b, 0, srvsvc_if, ndr_ts);
	CHECK_INT(send_one(130, pdu_done(b), &out), SMB_SERVER_ST_INVALID);
	CHECK(out == NULL);
	/* a context claiming 255 transfer syntaxes but carrying one */
	b = bind_pdu(DCERPC_BIND, 74, 0);
	b->data[30] = 255;
	CHECK_INT(send_one(130, b, &out), SMB_SERVER_ST_INVALID);
	CHECK(out == NULL);

	/* eight contexts: the most we take; abstract version checks */
	memcpy(if31, srvsvc_if, 20);
	if31[18] = 1;				/* 3.1: newer than ours */
	memcpy(if20, srvsvc_if, 20);
	if20[16] = 2;				/* 2.0 */
	b = bind_new(DCERPC_BIND, 75, 0, 8);
	ctx_add(b, 0, srvsvc_if, ndr64_ts);
	ctx_add(b, 1, other_if, ndr_ts);
	ctx_add(b, 2, if31, ndr_ts);
	ctx_add(b, 3, if20, ndr_ts);
	for (i = 4; i < 8; i++)
		ctx_add(b, 0x100 * i, srvsvc_if, ndr_ts);
	CHECK_INT(send_one(130, pdu_done(b), &out), SMB_SERVER_ST_OK);
	r = ack_results(out, DCERPC_BIND_ACK, 75, 8);
	CHECK(r != NULL);
	if (r) {
		/* max_recv 0: we still send 32-byte fragments */
		CHECK_INT(get_le16(out->data + 16), 32);
		CHECK(result_is(r, DCERPC_PROVIDER_REJECT,
				DCERPC_REASON_TRANSFER, NULL));
		CHECK(result_is(r + 24, DCERPC_PROVIDER_REJECT,
				DCERPC_REASON_ABSTRACT, NULL));
		CHECK(result_is(r + 48, DCERPC_PROVIDER_REJECT,
				DCERPC_REASON_ABSTRACT, NULL));
		CHECK(result_is(r + 72, DCERPC_PROVIDER_REJECT,
				DCERPC_REASON_ABSTRACT, NULL));
		for (i = 4; i < 8; i++)
			CHECK(result_is(r + 24 * i, DCERPC_ACCEPT, 0, ndr_ts));
	}
	if (out)
		g_byte_array_unref(out);
	/* context 0 was rejected; 0x700 works, in 8-byte pieces */
	b = getinfo_stub("pub", 1);
	out = req_pdu(76, 0, 16, 3, b->data, b->len);
	CHECK_INT(send_one(130, out, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 76), DCERPC_FAULT_UNK_IF);
	out = req_pdu(77, 0x700, 16, 3, b->data, b->len);
	CHECK_INT(write_ba(130, out), SMB_SERVER_ST_OK);
	g_byte_array_unref(out);
	g_byte_array_unref(b);
	{
		GPtrArray *frags = g_ptr_array_new_with_free_func(
			(GDestroyNotify)g_byte_array_unref);
		GByteArray *stub = g_byte_array_new(), *f;
		unsigned int bad = 0, total;

		while ((out = read_pdu(130)))
			g_ptr_array_add(frags, out);
		for (i = 0; i < frags->len; i++) {
			f = frags->pdata[i];
			if (hdr_ok(f, DCERPC_RESPONSE, 77) && f->len >= 24)
				g_byte_array_append(stub, f->data + 24,
						    f->len - 24);
		}
		total = stub->len;
		for (i = 0; i < frags->len; i++) {
			f = frags->pdata[i];
			if (!hdr_ok(f, DCERPC_RESPONSE, 77) ||
			    f->len != 24 + MIN(8u, total - 8 * i) ||
			    f->data[3] != ((i == 0 ? DCERPC_PFC_FIRST : 0) |
					   (i + 1 == frags->len ?
					    DCERPC_PFC_LAST : 0)) ||
			    get_le32(f->data + 16) != total - 8 * i ||
			    get_le16(f->data + 20) != 0x700)
				bad++;
		}
		CHECK_INT(bad, 0);
		/* SHARE_INFO_1 "pub" "Hi": 64 bytes, as in test_rpc.c */
		CHECK_INT(total, 64);
		CHECK_INT(frags->len, 8);
		CHECK(total == 64 && !get_le32(stub->data + 60));
		g_byte_array_unref(stub);
		g_ptr_array_unref(frags);
	}

	/*
	 * ALTER_CONTEXT: a new context, then the same one again and again;
	 * every context reported accepted must then be usable.
	 */
	b = bind_pdu(DCERPC_BIND, 80, 0);
	CHECK_INT(send_one(130, b, &out), SMB_SERVER_ST_OK);
	g_byte_array_unref(out);
	for (i = 0; i < 20; i++) {
		b = bind_pdu(DCERPC_ALTER, 81, 5);
		CHECK_INT(send_one(130, b, &out), SMB_SERVER_ST_OK);
		CHECK(result_is(ack_results(out, DCERPC_ALTER_RESP, 81, 1),
				DCERPC_ACCEPT, 0, ndr_ts));
		if (out)
			g_byte_array_unref(out);
	}
	for (i = 6; i < 20; i++) {
		b = bind_pdu(DCERPC_ALTER, 82, i);
		CHECK_INT(send_one(130, b, &out), SMB_SERVER_ST_OK);
		r = ack_results(out, DCERPC_ALTER_RESP, 82, 1);
		if (i < 12) {
			/* contexts 0, 5, 6..11: eight */
			CHECK(result_is(r, DCERPC_ACCEPT, 0, ndr_ts));
		} else {
			CHECK(result_is(r, DCERPC_PROVIDER_REJECT,
					DCERPC_REASON_LOCAL_LIMIT, NULL));
		}
		if (out)
			g_byte_array_unref(out);
		b = getinfo_stub("pub", 0);
		out = req_pdu(83, i, 16, 3, b->data, b->len);
		g_byte_array_unref(b);
		CHECK_INT(send_one(130, out, &out), SMB_SERVER_ST_OK);
		if (i < 12) {
			CHECK(out && out->data[2] == DCERPC_RESPONSE);
			if (out)
				g_byte_array_unref(out);
		} else {
			CHECK_INT(fault_of(out, 83), DCERPC_FAULT_UNK_IF);
		}
	}
	b = getinfo_stub("pub", 0);
	out = req_pdu(84, 5, 16, 3, b->data, b->len);
	g_byte_array_unref(b);
	CHECK_INT(send_one(130, out, &out), SMB_SERVER_ST_OK);
	/* answered on context 5: "pub" at level 0, WERR_OK */
	CHECK(hdr_ok(out, DCERPC_RESPONSE, 84) && out->len == 24 + 36 &&
	      get_le16(out->data + 20) == 5 &&
	      get_le32(out->data + out->len - 4) == 0);
	if (out)
		g_byte_array_unref(out);

	/* an authenticated BIND: bind_nak, authentication type unknown */
	b = bind_pdu(DCERPC_BIND, 85, 0);
	put_le16(b->data + 10, 0xffff);
	CHECK_INT(send_one(130, b, &out), SMB_SERVER_ST_OK);
	CHECK(hdr_ok(out, DCERPC_BIND_NAK, 85) && out->len == 21 &&
	      get_le16(out->data + 16) == NAK_AUTH_TYPE &&
	      out->data[18] == 1 && out->data[19] == 5 && out->data[20] == 0);
	if (out)
		g_byte_array_unref(out);
	op(130, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
}

/* Fragment trains. */
static void test_fragments(void)
{
	GByteArray *stub = getinfo_stub("pub", 1), *b, *out;
	unsigned int i, faults, n;
	char *name;

	open_bound(140);
	/* a middle or last fragment with no first one */
	b = req_pdu(90, 0, 16, 0, stub->data, 8);
	CHECK_INT(send_one(140, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 90), DCERPC_FAULT_PROTO_ERROR);
	b = req_pdu(91, 0, 16, DCERPC_PFC_LAST, stub->data, stub->len);
	CHECK_INT(send_one(140, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 91), DCERPC_FAULT_PROTO_ERROR);

	/* a fragment of another call in the middle ends the train */
	b = req_pdu(92, 0, 16, DCERPC_PFC_FIRST, stub->data, 8);
	CHECK_INT(send_one(140, b, &out), SMB_SERVER_ST_OK);
	CHECK(out == NULL);
	b = req_pdu(93, 0, 16, 0, stub->data + 8, 8);
	CHECK_INT(send_one(140, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 93), DCERPC_FAULT_PROTO_ERROR);
	b = req_pdu(92, 0, 16, DCERPC_PFC_LAST, stub->data + 8,
		    stub->len - 8);
	CHECK_INT(send_one(140, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 92), DCERPC_FAULT_PROTO_ERROR);

	/* a new first fragment starts over */
	b = req_pdu(94, 0, 15, DCERPC_PFC_FIRST, "junkjunk", 8);
	CHECK_INT(send_one(140, b, &out), SMB_SERVER_ST_OK);
	CHECK(out == NULL);
	b = req_pdu(95, 0, 16, DCERPC_PFC_FIRST, stub->data, 4);
	CHECK_INT(send_one(140, b, &out), SMB_SERVER_ST_OK);
	CHECK(out == NULL);
	/* empty middle fragments, and one byte at a time */
	for (i = 0; i < 3; i++) {
		b = req_pdu(95, 0, 16, 0, NULL, 0);
		CHECK_INT(send_one(140, b, &out), SMB_SERVER_ST_OK);
		CHECK(out == NULL);
	}
	for (i = 4; i + 1 < stub->len; i++) {
		b = req_pdu(95, 0xeeee, 0xeeee, 0, stub->data + i, 1);
		CHECK_INT(send_one(140, b, &out), SMB_SERVER_ST_OK);
		CHECK(out == NULL);
	}
	b = req_pdu(95, 0, 16, DCERPC_PFC_LAST, stub->data + i, 1);
	CHECK_INT(send_one(140, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(decode_getinfo(out, 95, 1, &name), 0);
	CHECK_STR(name, "pub");
	g_free(name);
	if (out)
		g_byte_array_unref(out);

	/*
	 * A train longer than the daemon takes: 65000-byte fragments, the
	 * one going past 1 MiB is refused, what follows is out of a train.
	 */
	{
		size_t frag = 65000 - 24, total = 0;
		uint8_t *zeros = g_malloc0(frag);

		faults = 0;
		for (i = 0; i < 20; i++) {
			b = req_pdu(96, 0, 16, i == 0 ? DCERPC_PFC_FIRST : 0,
				    zeros, frag);
			CHECK_INT(send_one(140, b, &out), SMB_SERVER_ST_OK);
			total += frag;
			if (total <= REQUEST_LIMIT) {
				CHECK(out == NULL);
			} else {
				faults++;
				CHECK_INT(fault_of(out, 96),
					  DCERPC_FAULT_PROTO_ERROR);
			}
		}
		CHECK_INT(faults, 20 - REQUEST_LIMIT / frag);
		/* exactly at the limit is fine */
		b = req_pdu(97, 0, 16, DCERPC_PFC_FIRST, zeros, frag);
		CHECK_INT(send_one(140, b, &out), SMB_SERVER_ST_OK);
		CHECK(out == NULL);
		n = REQUEST_LIMIT - frag;
		while (n) {
			size_t k = MIN(n, frag);

			b = req_pdu(97, 0, 16, k == n ? DCERPC_PFC_LAST : 0,
				    zeros, k);
			CHECK_INT(send_one(140, b, &out), SMB_SERVER_ST_OK);
			n -= k;
			if (n) {
				CHECK(out == NULL);
				if (out)
					g_byte_array_unref(out);
			}
		}
		/*
		 * A megabyte of zeros: no server name, the empty share
		 * name, level 0 and trailing zeros: no such share.
		 */
		CHECK_INT(decode_getinfo(out, 97, 0, &name),
			  WERR_NET_NAME_NOT_FOUND);
		if (out)
			g_byte_array_unref(out);
		g_free(zeros);
	}
	CHECK(pipe_works(140, 98));
	op(140, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
	g_byte_array_unref(stub);
}

/* Writes with no reads: the queue of answers has a bound. */
static void test_queue_limit(void)
{
	GByteArray *b = req_from(99, 16, getinfo_stub("pub", 0));
	unsigned int i, ok = 0, refused = 0;
	uint32_t st;

	open_bound(150);
	for (i = 0; i < 3 * QUEUE_LIMIT; i++) {
		st = write_ba(150, b);
		if (st == SMB_SERVER_ST_OK)
			ok++;
		else if (st == SMB_SERVER_ST_INVALID)
			refused++;
	}
	CHECK_INT(ok, QUEUE_LIMIT);
	CHECK_INT(refused, 2 * QUEUE_LIMIT);
	CHECK_INT(drain(150), QUEUE_LIMIT);
	/* many PDUs in one write stop at the limit too */
	g_byte_array_set_size(b, 0);
	for (i = 0; i < QUEUE_LIMIT + 10; i++) {
		GByteArray *r = req_from(99, 16, getinfo_stub("pub", 0));

		g_byte_array_append(b, r->data, r->len);
		g_byte_array_unref(r);
	}
	CHECK_INT(write_ba(150, b), SMB_SERVER_ST_INVALID);
	CHECK_INT(drain(150), QUEUE_LIMIT);
	CHECK(pipe_works(150, 100));
	g_byte_array_unref(b);
	op(150, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
}

/* ---- 4. NDR ---- */

static int pull_ws(const void *data, size_t len, char **s, size_t *off)
{
	struct ndr_pull p;
	int ret;

	*s = NULL;
	ndr_pull_init(&p, data, len);
	ret = ndr_pull_wstring(&p, s);
	if (off)
		*off = p.off;
	if (ret)
		CHECK(*s == NULL);
	return ret;
}

/* A conformant varying string header followed by @units 'A's. */
static GByteArray *ws(uint32_t max, uint32_t offset, uint32_t actual,
		      size_t units, bool nul)
{
	GByteArray *b = g_byte_array_new();
	uint8_t h[12];
	size_t i;

	put_le32(h, max);
	put_le32(h + 4, offset);
	put_le32(h + 8, actual);
	g_byte_array_append(b, h, 12);
	for (i = 0; i < units; i++) {
		h[0] = nul && i + 1 == units ? 0 : 'A';
		h[1] = 0;
		g_byte_array_append(b, h, 2);
	}
	return b;
}

static void test_ndr(void)
{
	static const uint32_t big[] = {
		0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	};
	GByteArray *b, *out;
	unsigned int i;
	struct ndr_pull p;
	uint32_t v;
	bool present;
	size_t off;
	char *s;

	/* the plain case, and without the NUL */
	b = ws(3, 0, 3, 3, true);
	CHECK_INT(pull_ws(b->data, b->len, &s, &off), 0);
	CHECK_STR(s, "AA");
	CHECK_INT(off, 18);
	g_free(s);
	g_byte_array_unref(b);
	b = ws(2, 0, 2, 2, false);
	CHECK_INT(pull_ws(b->data, b->len, &s, NULL), 0);
	CHECK_STR(s, "AA");
	g_free(s);
	g_byte_array_unref(b);
	/* empty strings */
	b = ws(0, 0, 0, 0, false);
	CHECK_INT(pull_ws(b->data, b->len, &s, &off), 0);
	CHECK_STR(s, "");
	CHECK_INT(off, 12);
	g_free(s);
	g_byte_array_unref(b);
	b = ws(0xffffffff, 0, 1, 1, true);	/* a huge max count is fine */
	CHECK_INT(pull_ws(b->data, b->len, &s, NULL), 0);
	CHECK_STR(s, "");
	g_free(s);
	g_byte_array_unref(b);

	/* max_count < actual_count, offset != 0 */
	b = ws(2, 0, 3, 3, true);
	CHECK_INT(pull_ws(b->data, b->len, &s, NULL), -EINVAL);
	g_byte_array_unref(b);
	b = ws(0, 0, 1, 1, true);
	CHECK_INT(pull_ws(b->data, b->len, &s, NULL), -EINVAL);
	g_byte_array_unref(b);
	for (i = 0; i < G_N_ELEMENTS(big); i++) {
		b = ws(4, big[i], 3, 3, true);
		CHECK_INT(pull_ws(b->data, b->len, &s, NULL), -EINVAL);
		g_byte_array_unref(b);
		b = ws(3, 1, 3, 3, true);
		CHECK_INT(pull_ws(b->data, b->len, &s, NULL), -EINVAL);
		g_byte_array_unref(b);
		/* counts near UINT32_MAX with little data behind them */
		b = ws(big[i], 0, big[i], 3, true);
		CHECK_INT(pull_ws(b->data, b->len, &s, NULL), -EINVAL);
		g_byte_array_unref(b);
		b = ws(0xffffffff, 0, big[i], 3, true);
		CHECK_INT(pull_ws(b->data, b->len, &s, NULL), -EINVAL);
		g_byte_array_unref(b);
	}
	/* the longest string taken, and one longer */
	b = ws(NDR_MAX_STRING, 0, NDR_MAX_STRING, NDR_MAX_STRING, true);
	CHECK_INT(pull_ws(b->data, b->len, &s, &off), 0);
	CHECK(s && strlen(s) == NDR_MAX_STRING - 1);
	CHECK_INT(off, 12 + 2 * NDR_MAX_STRING);
	g_free(s);
	g_byte_array_unref(b);
	b = ws(NDR_MAX_STRING + 1, 0, NDR_MAX_STRING + 1, NDR_MAX_STRING + 1,
	       true);
	CHECK_INT(pull_ws(b->data, b->len, &s, NULL), -EINVAL);
	g_byte_array_unref(b);

	/* odd byte lengths: half a UTF-16 unit missing */
	b = ws(3, 0, 3, 3, true);
	for (i = 0; i < b->len; i++)
		CHECK_INT(pull_ws(b->data, i, &s, NULL), -EINVAL);
	g_byte_array_unref(b);

	/* primitives at the end of the data */
	ndr_pull_init(&p, "\x01\x02\x03", 3);
	CHECK_INT(ndr_pull_u32(&p, &v), -EINVAL);
	CHECK_INT(p.off, 0);
	CHECK_INT(ndr_pull_bytes(&p, NULL, SIZE_MAX), -EINVAL);
	CHECK_INT(ndr_pull_bytes(&p, NULL, 3), 0);
	CHECK_INT(ndr_pull_align(&p, 4), -EINVAL);
	CHECK_INT(ndr_pull_bytes(&p, NULL, 0), 0);
	CHECK_INT(p.off, 3);
	/* NULL and non-NULL referent ids */
	ndr_pull_init(&p, "\0\0\0\0\xff\xff\xff\xff\x01\0\0\0", 12);
	CHECK(!ndr_pull_ptr(&p, &present) && !present);
	CHECK(!ndr_pull_ptr(&p, &present) && present);
	CHECK(!ndr_pull_ptr(&p, &present) && present);
	CHECK_INT(ndr_pull_ptr(&p, &present), -EINVAL);

	/* the same limits through NetShareGetInfo's share name */
	open_bound(160);
	for (i = 0; i < 6; i++) {
		GByteArray *stub = getinfo_stub("pub", 0), *req;

		/* stub: ptr(4) max(4) offset(4) actual(4) "pub\0" level */
		switch (i) {
		case 0: put_le32(stub->data + 4, 3); break;	/* max < act */
		case 1: put_le32(stub->data + 8, 1); break;
		case 2: put_le32(stub->data + 12, 0xffffffff); break;
		case 3: put_le32(stub->data + 12, 0x80000000); break;
		case 4: put_le32(stub->data + 4, 0xffffffff);
			put_le32(stub->data + 12, 0x7fffffff); break;
		case 5: g_byte_array_set_size(stub, 23); break;	/* odd */
		}
		req = req_from(110 + i, 16, stub);
		CHECK_INT(send_one(160, req, &out), SMB_SERVER_ST_OK);
		CHECK_INT(fault_of(out, 110 + i), DCERPC_FAULT_NDR);
	}
	/* a server name referent id with no string behind it */
	{
		GByteArray *stub = getinfo_stub("pub", 0);

		put_le32(stub->data, 0x00020000);
		b = req_from(120, 16, stub);
		CHECK_INT(send_one(160, b, &out), SMB_SERVER_ST_OK);
		CHECK_INT(fault_of(out, 120), DCERPC_FAULT_NDR);
	}
	/* a 4096-character share name: looked up, not found */
	{
		char *name = g_strnfill(NDR_MAX_STRING - 1, 'x');

		b = req_from(121, 16, getinfo_stub(name, 0));
		CHECK_INT(send_one(160, b, &out), SMB_SERVER_ST_OK);
		CHECK_INT(decode_getinfo(out, 121, 0, &s),
			  WERR_NET_NAME_NOT_FOUND);
		if (out)
			g_byte_array_unref(out);
		g_free(name);
		name = g_strnfill(NDR_MAX_STRING, 'x');
		b = req_from(122, 16, getinfo_stub(name, 0));
		CHECK_INT(send_one(160, b, &out), SMB_SERVER_ST_OK);
		CHECK_INT(fault_of(out, 122), DCERPC_FAULT_NDR);
		g_free(name);
	}
	/*
	 * NetShareEnumAll's container: an array whose count times the
	 * element size overflows, a switch that differs from the level,
	 * a resume handle far past the end.
	 */
	for (i = 0; i < 4; i++) {
		struct ndr_push q;
		GByteArray *stub;
		char *names;

		ndr_push_init(&q);
		ndr_push_ptr(&q, false);
		ndr_push_u32(&q, 1);
		ndr_push_u32(&q, i == 1 ? 0 : 1);
		ndr_push_ptr(&q, true);
		ndr_push_u32(&q, i == 0 ? 0x20000000 : 0);
		ndr_push_ptr(&q, i == 0);
		if (i == 0)
			ndr_push_u32(&q, 0x20000000);	/* times 8 bytes */
		ndr_push_u32(&q, i == 2 ? 0 : 0xffffffff);
		ndr_push_ptr(&q, i == 3);
		if (i == 3)
			ndr_push_u32(&q, 0xffffffff);
		stub = push_done(&q);
		b = req_from(130 + i, 15, stub);
		CHECK_INT(send_one(160, b, &out), SMB_SERVER_ST_OK);
		if (i < 2) {
			CHECK_INT(fault_of(out, 130 + i), DCERPC_FAULT_NDR);
			continue;
		}
		if (i == 2) {
			/* a preferred length of 0 still lists */
			names = decode_enum(out, 130 + i, 1, &v);
			CHECK_INT(v, 0);
			CHECK_STR(names, "pub,IPC$");
			g_free(names);
		} else {
			/* a resume handle past the end: no entries */
			CHECK(hdr_ok(out, DCERPC_RESPONSE, 133) &&
			      out->len == 24 + 36 &&
			      get_le32(out->data + 24 + 12) == 0 &&
			      get_le32(out->data + 24 + 16) == 0 &&
			      get_le32(out->data + 24 + 32) == 0);
		}
		if (out)
			g_byte_array_unref(out);
	}
	CHECK(pipe_works(160, 140));
	op(160, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
}

/* ---- 5. mutations ---- */

static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static size_t rnd(size_t n)
{
	return n ? rng() % n : 0;
}

static void mutate(GByteArray *m, GPtrArray *corpus)
{
	static const uint32_t values[] = {
		0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
		0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	};
	/* header fields and the first NDR counts */
	static const uint8_t spots[] = {
		0, 1, 2, 3, 4, 8, 10, 12, 16, 20, 22, 24, 28, 32, 36, 40, 44,
		48, 52,
	};
	unsigned int n = 1 + rnd(4), i;
	GByteArray *o;
	uint32_t v;
	size_t at;

	for (i = 0; i < n; i++) {
		switch (rnd(9)) {
		case 0:		/* flip bits */
			if (m->len)
				m->data[rnd(m->len)] ^= 1 << rnd(8);
			break;
		case 1:		/* random byte */
			if (m->len)
				m->data[rnd(m->len)] = rng();
			break;
		case 2:		/* a 32-bit boundary value */
		case 3:
			v = values[rnd(G_N_ELEMENTS(values))];
			at = rnd(2) ? spots[rnd(G_N_ELEMENTS(spots))] :
				      rnd(m->len);
			if (at + 4 <= m->len)
				put_le32(m->data + at, v);
			break;
		case 4:		/* a 16-bit one */
			v = values[rnd(G_N_ELEMENTS(values))];
			at = rnd(2) ? spots[rnd(G_N_ELEMENTS(spots))] :
				      rnd(m->len);
			if (at + 2 <= m->len)
				put_le16(m->data + at, v);
			break;
		case 5:		/* truncate, maybe fixing frag_length */
			g_byte_array_set_size(m, rnd(m->len + 1));
			if (m->len >= 10 && rnd(2))
				put_le16(m->data + 8, m->len);
			break;
		case 6:		/* splice with another PDU */
			o = corpus->pdata[rnd(corpus->len)];
			at = rnd(m->len + 1);
			g_byte_array_set_size(m, at);
			at = rnd(o->len + 1);
			g_byte_array_append(m, o->data + at, o->len - at);
			break;
		case 7:		/* insert or remove a few bytes */
			at = rnd(m->len + 1);
			if (rnd(2)) {
				size_t k = 1 + rnd(8), j;

				g_byte_array_set_size(m, m->len + k);
				memmove(m->data + at + k, m->data + at,
					m->len - k - at);
				for (j = 0; j < k; j++)
					m->data[at + j] = rng();
			} else if (at < m->len) {
				size_t k = 1 + rnd(8);

				g_byte_array_remove_range(m, at,
							  MIN(k, m->len - at));
			}
			break;
		case 8:		/* frag_length vs. the real length */
			if (m->len >= 10)
				put_le16(m->data + 8,
					 m->len + (int)rnd(9) - 4);
			break;
		}
	}
}

/* What we send back must be a well-formed PDU of a type we send. */
static bool answer_sane(const GByteArray *o)
{
	uint32_t st;

	if (o->len < 16 || o->data[0] != 5 || o->data[1] != 0 ||
	    o->data[4] != 0x10 || get_le16(o->data + 8) != o->len ||
	    get_le16(o->data + 10) != 0)
		return false;
	switch (o->data[2]) {
	case DCERPC_FAULT:
		st = o->len == 32 ? get_le32(o->data + 24) : 0;
		return st == DCERPC_FAULT_OP_RNG_ERROR ||
		       st == DCERPC_FAULT_UNK_IF ||
		       st == DCERPC_FAULT_PROTO_ERROR ||
		       st == DCERPC_FAULT_INVALID_TAG ||
		       st == DCERPC_FAULT_NDR;
	case DCERPC_RESPONSE:
		return o->len >= 24 && o->len <= DCERPC_MAX_FRAG;
	case DCERPC_BIND_ACK:
	case DCERPC_ALTER_RESP:
		return o->len >= 28;
	case DCERPC_BIND_NAK:
		return o->len == 21;
	default:
		return false;
	}
}

static void test_mutations(void)
{
	const char *env_seed = getenv("KSMBD_FUZZ_SEED");
	const char *env_iters = getenv("KSMBD_FUZZ_ITERS");
	unsigned long iters = FUZZ_ITERS, i;
	unsigned int bad_status = 0, bad_answer = 0, unsynced = 0,
		     broken = 0, answers = 0, invalid = 0;
	GPtrArray *corpus = g_ptr_array_new_with_free_func(
		(GDestroyNotify)g_byte_array_unref);
	GByteArray *bind = bind_pdu(DCERPC_BIND, 1, 0), *m, *out, *s;
	uint8_t zeros[4096] = { 0 };
	uint64_t seed = FUZZ_SEED;
	bool failed = false;
	size_t cut;
	uint32_t st;
	int k, parts;

	if (env_seed && *env_seed)
		seed = strtoull(env_seed, NULL, 0);
	if (env_iters && *env_iters)
		iters = strtoul(env_iters, NULL, 0);
	rng_state = seed ? seed : FUZZ_SEED;
	printf("rpc_fuzz   seed 0x%016llx, %lu mutations "
	       "(KSMBD_FUZZ_SEED, KSMBD_FUZZ_ITERS)\n",
	       (unsigned long long)seed, iters);
	fflush(stdout);

	g_ptr_array_add(corpus, bind_pdu(DCERPC_BIND, 1, 0));
	g_ptr_array_add(corpus, bind_pdu(DCERPC_ALTER, 2, 1));
	g_ptr_array_add(corpus, req_from(3, 15, enum_stub(0, false)));
	g_ptr_array_add(corpus, req_from(4, 15, enum_stub(1, true)));
	g_ptr_array_add(corpus, req_from(5, 16, getinfo_stub("pub", 1)));
	g_ptr_array_add(corpus, req_from(6, 16, getinfo_stub("none", 0)));
	g_ptr_array_add(corpus, req_from(7, 21, srvinfo_stub(101)));
	s = getinfo_stub("IPC$", 1);
	g_ptr_array_add(corpus, req_pdu(8, 0, 16, DCERPC_PFC_FIRST,
					s->data, 12));
	g_ptr_array_add(corpus, req_pdu(8, 0, 16, 0, s->data + 12, 8));
	g_ptr_array_add(corpus, req_pdu(8, 0, 16, DCERPC_PFC_LAST,
					s->data + 20, s->len - 20));
	g_byte_array_unref(s);
	m = bind_new(DCERPC_BIND, 9, 40, 3);
	ctx_add(m, 0, srvsvc_if, ndr64_ts);
	ctx_add(m, 1, srvsvc_if, ndr_ts);
	ctx_add(m, 2, srvsvc_if, ndr_ts);
	g_ptr_array_add(corpus, pdu_done(m));

	for (i = 0; i < iters; i++) {
		if (i % 64 == 0)
			op(170, SMB_SERVER_RPC_OPEN, "srvsvc", 0, NULL);
		CHECK_INT(op(170, SMB_SERVER_RPC_WRITE, bind->data, bind->len,
			     NULL), SMB_SERVER_ST_OK);
		drain(170);

		s = corpus->pdata[rnd(corpus->len)];
		m = g_byte_array_append(g_byte_array_new(), s->data, s->len);
		mutate(m, corpus);
		/* in one to three writes, some of them TRANSACT */
		cut = 0;
		parts = 1 + rnd(3);
		for (k = 0; k < parts; k++) {
			size_t n = k + 1 < parts ? rnd(m->len - cut + 1) :
						   m->len - cut;

			out = NULL;
			st = op(170, rnd(2) ? SMB_SERVER_RPC_WRITE :
				SMB_SERVER_RPC_TRANSACT, m->data + cut, n,
				&out);
			cut += n;
			if (st == SMB_SERVER_ST_INVALID)
				invalid++;
			else if (st != SMB_SERVER_ST_OK)
				bad_status++;
			if (out) {
				answers++;
				if (!answer_sane(out))
					bad_answer++;
				g_byte_array_unref(out);
			}
		}
		while ((out = read_pdu(170))) {
			answers++;
			if (!answer_sane(out))
				bad_answer++;
			g_byte_array_unref(out);
		}
		g_byte_array_unref(m);

		/* resynchronise: anything half read is completed or dropped */
		for (k = 0; k < 20; k++) {
			st = op(170, SMB_SERVER_RPC_WRITE, zeros, sizeof(zeros),
				NULL);
			drain(170);
			if (st == SMB_SERVER_ST_INVALID)
				break;
		}
		if (k == 20)
			unsynced++;
		out = NULL;
		st = op(170, SMB_SERVER_RPC_TRANSACT, bind->data, bind->len,
			&out);
		if (st != SMB_SERVER_ST_OK ||
		    !result_is(ack_results(out, DCERPC_BIND_ACK, 1, 1),
			       DCERPC_ACCEPT, 0, ndr_ts))
			broken++;
		if (out)
			g_byte_array_unref(out);
		if (!pipe_works(170, 0x5000 + (i & 0xfff)))
			broken++;
		if (!failed && bad_status + bad_answer + unsynced + broken) {
			fprintf(stderr, "  rpc_fuzz: first failure at "
				"mutation %lu\n", i);
			failed = true;
		}
	}
	CHECK_INT(bad_status, 0);
	CHECK_INT(bad_answer, 0);
	CHECK_INT(unsynced, 0);
	CHECK_INT(broken, 0);
	printf("rpc_fuzz   %u answers, %u writes refused\n", answers,
	       invalid);
	/* the mutations did reach both outcomes */
	CHECK(iters < 1000 || (answers > iters / 4 && invalid > iters / 8));

	/* and a fresh session afterwards is exactly right */
	op(170, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
	CHECK_INT(rpc_pipes_count(pipes), 0);
	open_bound(171);
	CHECK(pipe_works(171, 1));
	op(171, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
	g_byte_array_unref(bind);
	g_ptr_array_unref(corpus);
}

void test_rpc_fuzz(void)
{
	struct conf_file *conf;

	conf = conf_parse_text("f.conf",
			       "[pub]\npath = /tmp\ncomment = Hi\n"
			       "[hidden]\npath = /tmp\nbrowseable = no\n"
			       "[gone]\npath = /tmp\navailable = no\n", NULL);
	globals_load(conf, &globals, NULL);
	shares = shares_load(conf, NULL);
	conf_free(conf);
	env.globals = &globals;
	env.shares = shares;
	pipes = rpc_pipes_new();

	test_valid();
	test_pipelined();
	test_truncation();
	test_header();
	test_bind_limits();
	test_fragments();
	test_queue_limit();
	test_ndr();
	test_mutations();

	CHECK_INT(rpc_pipes_count(pipes), 0);
	rpc_pipes_free(pipes);
	shares_free(shares);
	globals_clear(&globals);
}
