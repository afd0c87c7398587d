// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The shared half of the DCE/RPC fuzz tests (test_rpc_fuzz_*.c): the
 * kernel's side of a pipe, builders of srvsvc PDUs, checkers of the
 * daemon's answers, and test_rpc_fuzz(), which loads the shares and runs
 * the test files in their order.
 */
#include "rpc_fuzz_harness.h"

static struct share_table *shares;
static struct smb_globals globals;
static struct rpc_env env;
struct rpc_pipes *rpc_fuzz_pipes;

const uint8_t rpc_fuzz_srvsvc_if[20] = {
	0xc8, 0x4f, 0x32, 0x4b, 0x70, 0x16, 0xd3, 0x01,
	0x12, 0x78, 0x5a, 0x47, 0xbf, 0x6e, 0xe1, 0x88, 3, 0, 0, 0,
};

const uint8_t rpc_fuzz_ndr_ts[20] = {
	0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11,
	0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60, 2, 0, 0, 0,
};

const uint8_t rpc_fuzz_ndr64_ts[20] = {
	0x33, 0x05, 0x71, 0x71, 0xba, 0xbe, 0x37, 0x49,
	0x83, 0x19, 0xb5, 0xdb, 0xef, 0x9c, 0xcc, 0x36, 1, 0, 0, 0,
};

/* ---- the kernel's side ---- */

uint32_t rpc_fuzz_op(uint64_t id, uint32_t what, const void *data, size_t len,
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

	st = rpc_pipe_request(rpc_fuzz_pipes, &env, &q, out ? out : &dummy);
	if (dummy)
		g_byte_array_unref(dummy);
	return st;
}

uint32_t rpc_fuzz_write_ba(uint64_t id, const GByteArray *b)
{
	return rpc_fuzz_op(id, SMB_SERVER_RPC_WRITE, b->data, b->len, NULL);
}

GByteArray *rpc_fuzz_read_pdu(uint64_t id)
{
	GByteArray *out = NULL;

	rpc_fuzz_op(id, SMB_SERVER_RPC_READ, NULL, 0, &out);
	return out;
}

/* Read and drop everything queued; returns how many PDUs there were. */
unsigned int rpc_fuzz_drain(uint64_t id)
{
	unsigned int n = 0;
	GByteArray *out;

	while ((out = rpc_fuzz_read_pdu(id))) {
		g_byte_array_unref(out);
		n++;
	}
	return n;
}

GByteArray *rpc_fuzz_transact(uint64_t id, const GByteArray *b, uint32_t *st)
{
	GByteArray *out = NULL;

	*st = rpc_fuzz_op(id, SMB_SERVER_RPC_TRANSACT, b->data, b->len, &out);
	return out;
}

/* Write @b to bound pipe @id; the status, and the one answer if any. */
uint32_t rpc_fuzz_send_one(uint64_t id, GByteArray *b, GByteArray **out)
{
	uint32_t st = rpc_fuzz_write_ba(id, b);

	g_byte_array_unref(b);
	*out = rpc_fuzz_read_pdu(id);
	return st;
}

/* ---- building PDUs ---- */

GByteArray *rpc_fuzz_hdr_new(uint8_t type, uint8_t flags, uint32_t call_id)
{
	uint8_t h[16] = { 5, 0, type, flags, 0x10, 0, 0, 0 };

	put_le32(h + 12, call_id);
	return g_byte_array_append(g_byte_array_new(), h, sizeof(h));
}

GByteArray *rpc_fuzz_pdu_done(GByteArray *b)
{
	put_le16(b->data + 8, b->len);
	return b;
}

GByteArray *bind_new(uint8_t type, uint32_t call_id, uint16_t max_recv,
		     uint8_t n)
{
	GByteArray *b = rpc_fuzz_hdr_new(type, 3, call_id);
	uint8_t f[12] = { 0 };

	put_le16(f, 4280);
	put_le16(f + 2, max_recv);
	f[8] = n;
	return g_byte_array_append(b, f, sizeof(f));
}

void ctx_add(GByteArray *b, uint16_t id, const uint8_t *abstract,
	     const uint8_t *ts)
{
	uint8_t head[4] = { 0, 0, 1, 0 };

	put_le16(head, id);
	g_byte_array_append(b, head, 4);
	g_byte_array_append(b, abstract, 20);
	g_byte_array_append(b, ts, 20);
}

/* BIND (or ALTER_CONTEXT) for srvsvc/NDR on context @ctx */
GByteArray *bind_pdu(uint8_t type, uint32_t call_id, uint16_t ctx)
{
	GByteArray *b = bind_new(type, call_id, 4280, 1);

	ctx_add(b, ctx, rpc_fuzz_srvsvc_if, rpc_fuzz_ndr_ts);
	return rpc_fuzz_pdu_done(b);
}

GByteArray *req_pdu(uint32_t call_id, uint16_t ctx, uint16_t opnum,
		    uint8_t flags, const void *stub, size_t len)
{
	GByteArray *b = rpc_fuzz_hdr_new(DCERPC_REQUEST, flags, call_id);
	uint8_t f[8];

	put_le32(f, len);
	put_le16(f + 4, ctx);
	put_le16(f + 6, opnum);
	g_byte_array_append(b, f, sizeof(f));
	g_byte_array_append(b, stub, len);
	return rpc_fuzz_pdu_done(b);
}

GByteArray *rpc_fuzz_push_done(struct ndr_push *p)
{
	GByteArray *b = p->buf;

	p->buf = NULL;
	return b;
}

GByteArray *enum_stub(uint32_t level, bool resume)
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
	return rpc_fuzz_push_done(&p);
}

GByteArray *getinfo_stub(const char *name, uint32_t level)
{
	struct ndr_push p;

	ndr_push_init(&p);
	ndr_push_ptr(&p, false);		/* no server name */
	ndr_push_wstring(&p, name);
	ndr_push_u32(&p, level);
	return rpc_fuzz_push_done(&p);
}

/* NetrServerGetInfo (opnum 21): ServerName, Level */
GByteArray *srvinfo_stub(uint32_t level)
{
	struct ndr_push p;

	ndr_push_init(&p);
	ndr_push_ptr(&p, true);
	ndr_push_wstring(&p, "\\\\srv");
	ndr_push_u32(&p, level);
	return rpc_fuzz_push_done(&p);
}

GByteArray *req_from(uint32_t call_id, uint16_t opnum, GByteArray *stub)
{
	GByteArray *b = req_pdu(call_id, 0, opnum, 3, stub->data, stub->len);

	g_byte_array_unref(stub);
	return b;
}

/* ---- checking answers ---- */

/* Common header of a PDU we sent: version, drep, frag_length, call_id. */
bool rpc_fuzz_hdr_ok(const GByteArray *o, uint8_t type, uint32_t call_id)
{
	return o && o->len >= 16 && o->data[0] == 5 && o->data[1] == 0 &&
	       o->data[2] == type && o->data[4] == 0x10 &&
	       get_le16(o->data + 8) == o->len &&
	       get_le16(o->data + 10) == 0 &&
	       get_le32(o->data + 12) == call_id;
}

/* The fault status of a FAULT for @call_id, or 0 when it is not one. */
uint32_t fault_of(GByteArray *o, uint32_t call_id)
{
	uint32_t st;

	if (!rpc_fuzz_hdr_ok(o, DCERPC_FAULT, call_id) || o->len != 32 ||
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
const uint8_t *ack_results(const GByteArray *o, uint8_t type,
			   uint32_t call_id, unsigned int n)
{
	size_t off;

	if (!rpc_fuzz_hdr_ok(o, type, call_id) || o->len < 26 ||
	    o->data[3] != 3)
		return NULL;
	off = 26 + get_le16(o->data + 24);
	off = (off + 3) & ~(size_t)3;
	if (o->len != off + 4 + 24 * n || o->data[off] != n)
		return NULL;
	return o->data + off + 4;
}

bool rpc_fuzz_result_is(const uint8_t *r, uint16_t result, uint16_t reason,
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
	if (!rpc_fuzz_hdr_ok(o, DCERPC_RESPONSE, call_id) || o->len < 24 ||
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
char *decode_enum(const GByteArray *o, uint32_t call_id, uint32_t level,
		  uint32_t *werr)
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
uint32_t decode_getinfo(const GByteArray *o, uint32_t call_id,
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
void open_bound(uint64_t id)
{
	GByteArray *b = bind_pdu(DCERPC_BIND, 1, 0), *out = NULL;

	CHECK_INT(rpc_fuzz_op(id, SMB_SERVER_RPC_OPEN, "srvsvc", 0, NULL),
		  SMB_SERVER_ST_OK);
	CHECK_INT(rpc_fuzz_op(id, SMB_SERVER_RPC_TRANSACT, b->data, b->len,
			      &out),
		  SMB_SERVER_ST_OK);
	CHECK(rpc_fuzz_result_is(ack_results(out, DCERPC_BIND_ACK, 1, 1),
				 DCERPC_ACCEPT, 0, rpc_fuzz_ndr_ts));
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);
}

/* NetShareGetInfo("pub", 0) on a bound pipe answers "pub", WERR_OK. */
bool pipe_works(uint64_t id, uint32_t call_id)
{
	GByteArray *b = req_from(call_id, 16, getinfo_stub("pub", 0)), *out;
	uint32_t st, werr;
	char *name;
	bool ok;

	rpc_fuzz_drain(id);
	out = rpc_fuzz_transact(id, b, &st);
	werr = decode_getinfo(out, call_id, 0, &name);
	ok = st == SMB_SERVER_ST_OK && werr == 0 && name &&
	     !strcmp(name, "pub") && !rpc_fuzz_read_pdu(id);
	g_free(name);
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);
	return ok;
}

/* ---- the group ---- */

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
	rpc_fuzz_pipes = rpc_pipes_new();

	test_rpc_fuzz_valid();		/* 1. valid sessions */
	test_rpc_fuzz_framing();	/* 2. truncations, 3. header fields */
	test_rpc_fuzz_limits();		/* 3. contexts, trains, the queue */
	test_rpc_fuzz_ndr();		/* 4. NDR */
	test_rpc_fuzz_mutate();		/* 5. mutations */

	CHECK_INT(rpc_pipes_count(rpc_fuzz_pipes), 0);
	rpc_pipes_free(rpc_fuzz_pipes);
	shares_free(shares);
	globals_clear(&globals);
}
