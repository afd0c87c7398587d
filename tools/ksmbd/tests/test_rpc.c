// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NDR, DCE/RPC and srvsvc: primitives, hand-checked byte vectors for
 * BIND_ACK, NetShareEnumAll and NetShareGetInfo, and whole pipe sessions
 * through the kernel's pipe operations.
 */
#include <errno.h>

#include <linux/smb_server.h>

#include "../ipc.h"
#include "../rpc/dcerpc.h"
#include "../rpc/ndr.h"
#include "../rpc/rpc.h"
#include "tests.h"

static struct share_table *shares;
static struct smb_globals globals;
static struct rpc_env env;

static void test_ndr_push(void)
{
	static const uint8_t want[] = {
		0x01,				/* u8 */
		0x00,				/* pad to 2 */
		0x34, 0x12,			/* u16 */
		0x78, 0x56, 0x34, 0x12,		/* u32 */
		0x00, 0x00, 0x02, 0x00,		/* first referent id */
		0x00, 0x00, 0x00, 0x00,		/* NULL pointer */
		0x04, 0x00, 0x02, 0x00,		/* second referent id */
		0x03, 0x00, 0x00, 0x00,		/* "a\u00e9": max count */
		0x00, 0x00, 0x00, 0x00,		/* offset */
		0x03, 0x00, 0x00, 0x00,		/* actual count */
		0x61, 0x00, 0xe9, 0x00, 0x00, 0x00,
		0x00, 0x00,			/* pad to 4 */
		0xff, 0xff, 0xff, 0xff,
	};
	struct ndr_push p;

	ndr_push_init(&p);
	ndr_push_u8(&p, 1);
	ndr_push_u16(&p, 0x1234);
	ndr_push_u32(&p, 0x12345678);
	ndr_push_ptr(&p, true);
	ndr_push_ptr(&p, false);
	ndr_push_ptr(&p, true);
	CHECK_INT(ndr_push_wstring(&p, "a\xc3\xa9"), 0);
	ndr_push_u32(&p, 0xffffffff);
	CHECK_INT(p.buf->len, sizeof(want));
	if (p.buf->len == sizeof(want))
		CHECK_MEM(p.buf->data, want, sizeof(want));
	CHECK_INT(ndr_push_wstring(&p, "bad\xff"), -EINVAL);
	ndr_push_free(&p);
}

static void test_ndr_pull(void)
{
	static const uint8_t good[] = {
		0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x04, 0x00, 0x00, 0x00,
		0x3d, 0xd8, 0x00, 0xde,		/* U+1F600 as a surrogate pair */
		0x21, 0x00, 0x00, 0x00,
		0xaa, 0xbb,
	};
	static const uint8_t offset[] = {
		2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0x41, 0, 0, 0,
	};
	static const uint8_t too_long[] = {
		1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0x41, 0, 0, 0,
	};
	static const uint8_t truncated[] = {
		9, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0x41, 0, 0, 0,
	};
	static const uint8_t embedded_nul[] = {
		3, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0x41, 0, 0, 0, 0x42, 0,
	};
	static const uint8_t lone_surrogate[] = {
		2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0x3d, 0xd8, 0, 0,
	};
	struct ndr_pull p;
	uint16_t v16;
	char *s = NULL;

	/* max 7, actual 4: a smaller actual count is fine */
	ndr_pull_init(&p, good, sizeof(good));
	CHECK_INT(ndr_pull_wstring(&p, &s), 0);
	CHECK_STR(s, "\xf0\x9f\x98\x80!");
	g_free(s);
	CHECK_INT(p.off, 20);
	CHECK_INT(ndr_pull_u16(&p, &v16), 0);
	CHECK_INT(v16, 0xbbaa);
	CHECK_INT(ndr_pull_u16(&p, &v16), -EINVAL);
	ndr_pull_init(&p, offset, sizeof(offset));
	CHECK_INT(ndr_pull_wstring(&p, &s), -EINVAL);
	ndr_pull_init(&p, too_long, sizeof(too_long));
	CHECK_INT(ndr_pull_wstring(&p, &s), -EINVAL);
	ndr_pull_init(&p, truncated, sizeof(truncated));
	CHECK_INT(ndr_pull_wstring(&p, &s), -EINVAL);
	ndr_pull_init(&p, embedded_nul, sizeof(embedded_nul));
	CHECK_INT(ndr_pull_wstring(&p, &s), -EINVAL);
	ndr_pull_init(&p, lone_surrogate, sizeof(lone_surrogate));
	CHECK_INT(ndr_pull_wstring(&p, &s), -EINVAL);
}

/* ---- pipe sessions ---- */

static struct rpc_pipes *pipes;

static uint32_t pipe_op(uint64_t id, uint32_t op, const void *data,
			size_t len, GByteArray **out)
{
	struct rpc_request q = {
		.pipe_id = id,
		.op = op,
		.pipe_name = op == SMB_SERVER_RPC_OPEN ? (const char *)data :
							 NULL,
		.account = "tester",
		.data = op == SMB_SERVER_RPC_OPEN ? NULL : data,
		.len = op == SMB_SERVER_RPC_OPEN ? 0 : len,
	};
	GByteArray *dummy;

	return rpc_pipe_request(pipes, &env, &q, out ? out : &dummy);
}

/* srvsvc 3.0 over NDR 2.0, call 1, fragments of 4280 bytes both ways */
static const uint8_t bind_pdu[72] = {
	0x05, 0x00, 0x0b, 0x03, 0x10, 0x00, 0x00, 0x00,
	0x48, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0xb8, 0x10, 0xb8, 0x10, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00,			/* one context */
	0x00, 0x00, 0x01, 0x00,			/* id 0, one syntax */
	0xc8, 0x4f, 0x32, 0x4b, 0x70, 0x16, 0xd3, 0x01,
	0x12, 0x78, 0x5a, 0x47, 0xbf, 0x6e, 0xe1, 0x88,
	0x03, 0x00, 0x00, 0x00,
	0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11,
	0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60,
	0x02, 0x00, 0x00, 0x00,
};

static const uint8_t bind_ack_pdu[68] = {
	0x05, 0x00, 0x0c, 0x03, 0x10, 0x00, 0x00, 0x00,
	0x44, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0xb8, 0x10, 0xb8, 0x10,			/* max xmit/recv 4280 */
	0x00, 0x10, 0x00, 0x00,			/* assoc group 0x1000 */
	0x0d, 0x00,				/* "\PIPE\srvsvc" + NUL */
	'\\', 'P', 'I', 'P', 'E', '\\', 's', 'r', 'v', 's', 'v', 'c', 0,
	0x00,					/* pad to 4 */
	0x01, 0x00, 0x00, 0x00,			/* one result */
	0x00, 0x00, 0x00, 0x00,			/* accepted */
	0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11,
	0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60,
	0x02, 0x00, 0x00, 0x00,
};

/* NetShareEnumAll level 0, resume handle given: [pub] and IPC$ */
static const uint8_t enum0_stub[92] = {
	0x00, 0x00, 0x00, 0x00,			/* Level */
	0x00, 0x00, 0x00, 0x00,			/* union switch */
	0x00, 0x00, 0x02, 0x00,			/* container pointer */
	0x02, 0x00, 0x00, 0x00,			/* EntriesRead */
	0x04, 0x00, 0x02, 0x00,			/* Buffer pointer */
	0x02, 0x00, 0x00, 0x00,			/* array size */
	0x08, 0x00, 0x02, 0x00,			/* [0] netname pointer */
	0x0c, 0x00, 0x02, 0x00,			/* [1] netname pointer */
	0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
	'p', 0, 'u', 0, 'b', 0, 0, 0,
	0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00,
	'I', 0, 'P', 0, 'C', 0, '$', 0, 0, 0,
	0x00, 0x00,				/* pad to 4 */
	0x02, 0x00, 0x00, 0x00,			/* TotalEntries */
	0x10, 0x00, 0x02, 0x00,			/* ResumeHandle pointer */
	0x00, 0x00, 0x00, 0x00,			/* *ResumeHandle */
	0x00, 0x00, 0x00, 0x00,			/* NERR_Success */
};

/* NetShareGetInfo level 1 for "pub", comment "Hi" */
static const uint8_t getinfo1_stub[64] = {
	0x01, 0x00, 0x00, 0x00,			/* union switch */
	0x00, 0x00, 0x02, 0x00,			/* SHARE_INFO_1 pointer */
	0x04, 0x00, 0x02, 0x00,			/* netname pointer */
	0x00, 0x00, 0x00, 0x00,			/* STYPE_DISKTREE */
	0x08, 0x00, 0x02, 0x00,			/* remark pointer */
	0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
	'p', 0, 'u', 0, 'b', 0, 0, 0,
	0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
	'H', 0, 'i', 0, 0, 0,
	0x00, 0x00,				/* pad to 4 */
	0x00, 0x00, 0x00, 0x00,			/* NERR_Success */
};

static GByteArray *request_pdu(uint32_t call_id, uint16_t ctx_id,
			       uint16_t opnum, uint8_t flags,
			       const uint8_t *stub, size_t len)
{
	GByteArray *b = g_byte_array_new();
	uint8_t h[24] = { 5, 0, DCERPC_REQUEST, flags, 0x10, 0, 0, 0 };

	put_le16(h + 8, sizeof(h) + len);
	put_le32(h + 12, call_id);
	put_le32(h + 16, len);
	put_le16(h + 20, ctx_id);
	put_le16(h + 22, opnum);
	g_byte_array_append(b, h, sizeof(h));
	g_byte_array_append(b, stub, len);
	return b;
}

static GByteArray *enum_stub(uint32_t level, bool resume)
{
	struct ndr_push p;
	GByteArray *b;

	ndr_push_init(&p);
	ndr_push_ptr(&p, true);
	ndr_push_wstring(&p, "\\\\fileserver");
	ndr_push_u32(&p, level);
	ndr_push_u32(&p, level);
	ndr_push_ptr(&p, true);			/* container */
	ndr_push_u32(&p, 0);
	ndr_push_ptr(&p, false);		/* no buffer */
	ndr_push_u32(&p, 0xffffffff);		/* preferred length */
	ndr_push_ptr(&p, resume);
	if (resume)
		ndr_push_u32(&p, 0);
	b = p.buf;
	p.buf = NULL;
	return b;
}

static GByteArray *getinfo_stub(const char *name, uint32_t level)
{
	struct ndr_push p;
	GByteArray *b;

	ndr_push_init(&p);
	ndr_push_ptr(&p, false);		/* no server name */
	ndr_push_wstring(&p, name);
	ndr_push_u32(&p, level);
	b = p.buf;
	p.buf = NULL;
	return b;
}

/* Run one unfragmented call; returns the response PDU. */
static GByteArray *call(uint64_t id, uint32_t call_id, uint16_t opnum,
			GByteArray *stub)
{
	GByteArray *req = request_pdu(call_id, 0, opnum,
				      DCERPC_PFC_FIRST | DCERPC_PFC_LAST,
				      stub->data, stub->len);
	GByteArray *out = NULL;

	CHECK_INT(pipe_op(id, SMB_SERVER_RPC_TRANSACT, req->data, req->len,
			  &out), SMB_SERVER_ST_OK);
	g_byte_array_unref(req);
	g_byte_array_unref(stub);
	return out;
}

/* Check a single-fragment response and compare its stub. */
static void check_response(GByteArray *rsp, uint32_t call_id,
			   const uint8_t *stub, size_t len)
{
	CHECK(rsp);
	if (!rsp)
		return;
	CHECK_INT(rsp->len, 24 + len);
	CHECK_INT(rsp->data[2], DCERPC_RESPONSE);
	CHECK_INT(rsp->data[3], DCERPC_PFC_FIRST | DCERPC_PFC_LAST);
	CHECK_INT(get_le16(rsp->data + 8), rsp->len);
	CHECK_INT(get_le32(rsp->data + 12), call_id);
	CHECK_INT(get_le32(rsp->data + 16), len);	/* alloc_hint */
	if (rsp->len == 24 + len)
		CHECK_MEM(rsp->data + 24, stub, len);
}

static uint32_t fault_status(GByteArray *rsp)
{
	if (!rsp || rsp->len != 32 || rsp->data[2] != DCERPC_FAULT)
		return 0;
	return get_le32(rsp->data + 24);
}

static void open_and_bind(uint64_t id)
{
	GByteArray *out = NULL;

	CHECK_INT(pipe_op(id, SMB_SERVER_RPC_OPEN, "srvsvc", 0, NULL),
		  SMB_SERVER_ST_OK);
	CHECK_INT(pipe_op(id, SMB_SERVER_RPC_TRANSACT, bind_pdu,
			  sizeof(bind_pdu), &out), SMB_SERVER_ST_OK);
	CHECK(out && out->data[2] == DCERPC_BIND_ACK);
	if (out)
		g_byte_array_unref(out);
}

static void test_vectors(void)
{
	GByteArray *out = NULL;

	/* BIND in two writes, then READ the BIND_ACK. */
	CHECK_INT(pipe_op(1, SMB_SERVER_RPC_OPEN, "\\PIPE\\SrvSvc", 0, NULL),
		  SMB_SERVER_ST_OK);
	CHECK_INT(pipe_op(1, SMB_SERVER_RPC_WRITE, bind_pdu, 10, &out),
		  SMB_SERVER_ST_OK);
	CHECK(!out);
	CHECK_INT(pipe_op(1, SMB_SERVER_RPC_WRITE, bind_pdu + 10,
			  sizeof(bind_pdu) - 10, &out), SMB_SERVER_ST_OK);
	CHECK(!out);
	CHECK_INT(pipe_op(1, SMB_SERVER_RPC_READ, NULL, 0, &out),
		  SMB_SERVER_ST_OK);
	CHECK(out);
	if (out) {
		CHECK_INT(out->len, sizeof(bind_ack_pdu));
		if (out->len == sizeof(bind_ack_pdu))
			CHECK_MEM(out->data, bind_ack_pdu,
				  sizeof(bind_ack_pdu));
		g_byte_array_unref(out);
	}
	/* Nothing more to read. */
	CHECK_INT(pipe_op(1, SMB_SERVER_RPC_READ, NULL, 0, &out),
		  SMB_SERVER_ST_OK);
	CHECK(!out);

	out = call(1, 2, 15, enum_stub(0, true));
	check_response(out, 2, enum0_stub, sizeof(enum0_stub));
	if (out)
		g_byte_array_unref(out);

	out = call(1, 3, 16, getinfo_stub("PUB", 1));
	check_response(out, 3, getinfo1_stub, sizeof(getinfo1_stub));
	if (out)
		g_byte_array_unref(out);

	CHECK_INT(pipe_op(1, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL),
		  SMB_SERVER_ST_OK);
	CHECK_INT(pipe_op(1, SMB_SERVER_RPC_READ, NULL, 0, &out),
		  SMB_SERVER_ST_NO_SUCH_PIPE);
	CHECK_INT(rpc_pipes_count(pipes), 0);
}

/* Decode a level 1 enumeration and check what it lists. */
static void test_enum_level1(void)
{
	GByteArray *out;
	struct ndr_pull p;
	uint32_t v, n, type[2], total, status;
	char *name[2] = { NULL, NULL }, *remark[2] = { NULL, NULL };
	bool ptr;
	unsigned int i;

	open_and_bind(2);
	out = call(2, 5, 15, enum_stub(1, false));
	CHECK(out && out->len > 24);
	if (!out)
		return;
	ndr_pull_init(&p, out->data + 24, out->len - 24);
	CHECK(!ndr_pull_u32(&p, &v) && v == 1);
	CHECK(!ndr_pull_u32(&p, &v) && v == 1);
	CHECK(!ndr_pull_ptr(&p, &ptr) && ptr);
	CHECK(!ndr_pull_u32(&p, &n) && n == 2);
	CHECK(!ndr_pull_ptr(&p, &ptr) && ptr);
	CHECK(!ndr_pull_u32(&p, &v) && v == 2);
	for (i = 0; i < 2; i++) {
		CHECK(!ndr_pull_ptr(&p, &ptr) && ptr);
		CHECK(!ndr_pull_u32(&p, &type[i]));
		CHECK(!ndr_pull_ptr(&p, &ptr) && ptr);
	}
	for (i = 0; i < 2; i++) {
		CHECK(!ndr_pull_wstring(&p, &name[i]));
		CHECK(!ndr_pull_wstring(&p, &remark[i]));
	}
	CHECK(!ndr_pull_u32(&p, &total) && total == 2);
	CHECK(!ndr_pull_ptr(&p, &ptr) && !ptr);		/* no resume */
	CHECK(!ndr_pull_u32(&p, &status) && status == 0);
	CHECK_INT(p.off, p.len);
	CHECK_STR(name[0], "pub");
	CHECK_STR(remark[0], "Hi");
	CHECK_INT(type[0], 0);
	CHECK_STR(name[1], "IPC$");
	CHECK_STR(remark[1], "IPC Service");
	CHECK_INT(type[1], 0x80000003);
	for (i = 0; i < 2; i++) {
		g_free(name[i]);
		g_free(remark[i]);
	}
	g_byte_array_unref(out);
	pipe_op(2, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
}

static void test_errors(void)
{
	GByteArray *out;
	uint8_t level7[] = { 0 };

	open_and_bind(3);
	/* unknown opnum */
	out = call(3, 6, 21, g_byte_array_new());
	CHECK_INT(fault_status(out), DCERPC_FAULT_OP_RNG_ERROR);
	g_byte_array_unref(out);
	/* malformed stub */
	out = call(3, 7, 15, g_byte_array_append(g_byte_array_new(),
						 level7, 1));
	CHECK_INT(fault_status(out), DCERPC_FAULT_NDR);
	g_byte_array_unref(out);
	/* unknown level: no such union arm */
	out = call(3, 8, 15, enum_stub(7, false));
	CHECK_INT(fault_status(out), DCERPC_FAULT_INVALID_TAG);
	g_byte_array_unref(out);
	/* known but unsupported level */
	out = call(3, 9, 15, enum_stub(502, true));
	CHECK(out && out->len == 24 + 28);
	if (out && out->len == 24 + 28) {
		CHECK_INT(get_le32(out->data + 24 + 8), 0);	/* NULL */
		CHECK_INT(get_le32(out->data + 24 + 24), 124);
	}
	g_byte_array_unref(out);
	/* NetShareGetInfo: missing, unavailable and hidden shares */
	out = call(3, 10, 16, getinfo_stub("nope", 1));
	CHECK(out && out->len == 24 + 12 &&
	      get_le32(out->data + 24 + 4) == 0 &&
	      get_le32(out->data + 24 + 8) == 2310);
	g_byte_array_unref(out);
	out = call(3, 11, 16, getinfo_stub("gone", 0));
	CHECK(out && out->len == 24 + 12 &&
	      get_le32(out->data + 24 + 8) == 2310);
	g_byte_array_unref(out);
	out = call(3, 12, 16, getinfo_stub("hidden", 0));
	CHECK(out && out->len > 24 + 12 &&
	      get_le32(out->data + out->len - 4) == 0);
	g_byte_array_unref(out);

	/* a request on a context that was never accepted */
	{
		GByteArray *stub = enum_stub(0, false);
		GByteArray *req = request_pdu(13, 5, 15, 3, stub->data,
					      stub->len);

		CHECK_INT(pipe_op(3, SMB_SERVER_RPC_TRANSACT, req->data,
				  req->len, &out), SMB_SERVER_ST_OK);
		CHECK_INT(fault_status(out), DCERPC_FAULT_UNK_IF);
		g_byte_array_unref(out);
		g_byte_array_unref(req);
		g_byte_array_unref(stub);
	}

	/* garbage is refused and dropped */
	CHECK_INT(pipe_op(3, SMB_SERVER_RPC_WRITE, "GET / HTTP/1.0\r\n\r\n",
			  18, &out), SMB_SERVER_ST_INVALID);
	/* the pipe still works afterwards */
	out = call(3, 14, 16, getinfo_stub("pub", 0));
	CHECK(out && out->data[2] == DCERPC_RESPONSE);
	g_byte_array_unref(out);

	/* opens: unknown pipe; a reused id starts a fresh, unbound pipe */
	CHECK_INT(pipe_op(9, SMB_SERVER_RPC_OPEN, "lsarpc", 0, NULL),
		  SMB_SERVER_ST_NO_SUCH_PIPE);
	CHECK_INT(pipe_op(3, SMB_SERVER_RPC_OPEN, "srvsvc", 0, NULL),
		  SMB_SERVER_ST_OK);
	out = call(3, 15, 16, getinfo_stub("pub", 0));
	CHECK_INT(fault_status(out), DCERPC_FAULT_UNK_IF);
	g_byte_array_unref(out);
	CHECK_INT(pipe_op(3, 77, NULL, 0, NULL), SMB_SERVER_ST_INVALID);
	pipe_op(3, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
	CHECK_INT(pipe_op(3, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL),
		  SMB_SERVER_ST_NO_SUCH_PIPE);
}

/* Append a presentation context with one or two transfer syntaxes. */
static void add_context(GByteArray *b, uint16_t id, const uint8_t *abstract,
			const uint8_t *ts1, const uint8_t *ts2)
{
	uint8_t head[4];

	put_le16(head, id);
	head[2] = ts2 ? 2 : 1;
	head[3] = 0;
	g_byte_array_append(b, head, 4);
	g_byte_array_append(b, abstract, 20);
	g_byte_array_append(b, ts1, 20);
	if (ts2)
		g_byte_array_append(b, ts2, 20);
}

/* A BIND offering several contexts, one result per context. */
static void test_negotiation(void)
{
	static const uint8_t ndr64[20] = {
		0x33, 0x05, 0x71, 0x71, 0xba, 0xbe, 0x37, 0x49,
		0x83, 0x19, 0xb5, 0xdb, 0xef, 0x9c, 0xcc, 0x36, 1, 0, 0, 0,
	};
	static const uint8_t btfn[20] = {
		0x2c, 0x1c, 0xb7, 0x6c, 0x12, 0x98, 0x40, 0x45,
		0x03, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	};
	static const uint8_t other_if[20] = {
		0x78, 0x57, 0x34, 0x12, 0x34, 0x12, 0xcd, 0xab,
		0xef, 0x00, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 1, 0, 0, 0,
	};
	const uint8_t *srvsvc_if = bind_pdu + 32, *ndr = bind_pdu + 52;
	GByteArray *b = g_byte_array_new(), *out = NULL, *stub;
	uint8_t h[28] = { 5, 0, DCERPC_BIND, 3, 0x10, 0, 0, 0 };
	const uint8_t *res;
	unsigned int i;

	put_le32(h + 12, 1);
	put_le16(h + 16, 64);			/* max xmit */
	put_le16(h + 18, 64);			/* max recv: tiny fragments */
	put_le32(h + 20, 0x4242);		/* join association group */
	h[24] = 4;				/* contexts */
	g_byte_array_append(b, h, sizeof(h));
	/*
	 * 0: srvsvc over NDR64 only; 1: srvsvc over NDR64 and NDR;
	 * 2: another interface; 3: bind time feature negotiation
	 */
	add_context(b, 0, srvsvc_if, ndr64, NULL);
	add_context(b, 1, srvsvc_if, ndr64, ndr);
	add_context(b, 2, other_if, ndr, NULL);
	add_context(b, 3, srvsvc_if, btfn, NULL);
	put_le16(b->data + 8, b->len);

	CHECK_INT(pipe_op(4, SMB_SERVER_RPC_OPEN, "srvsvc", 0, NULL),
		  SMB_SERVER_ST_OK);
	CHECK_INT(pipe_op(4, SMB_SERVER_RPC_TRANSACT, b->data, b->len, &out),
		  SMB_SERVER_ST_OK);
	g_byte_array_unref(b);
	CHECK(out && out->data[2] == DCERPC_BIND_ACK);
	if (!out)
		return;
	CHECK_INT(get_le16(out->data + 16), 64);
	CHECK_INT(get_le32(out->data + 20), 0x4242);
	/* results follow the 4-aligned secondary address */
	res = out->data + 40;
	CHECK_INT(res[0], 4);
	res += 4;
	CHECK(get_le16(res) == DCERPC_PROVIDER_REJECT &&
	      get_le16(res + 2) == DCERPC_REASON_TRANSFER);
	res += 24;
	CHECK(get_le16(res) == DCERPC_ACCEPT && !memcmp(res + 4, ndr, 20));
	res += 24;
	CHECK(get_le16(res) == DCERPC_PROVIDER_REJECT &&
	      get_le16(res + 2) == DCERPC_REASON_ABSTRACT);
	res += 24;
	CHECK(get_le16(res) == DCERPC_NEGOTIATE_ACK);
	CHECK_INT(res + 24 - out->data, out->len);
	g_byte_array_unref(out);

	/* With 64-byte fragments the answer comes in 40-byte pieces. */
	stub = g_byte_array_new();
	b = enum_stub(1, false);
	{
		GByteArray *req = request_pdu(2, 1, 15, 3, b->data, b->len);

		CHECK_INT(pipe_op(4, SMB_SERVER_RPC_WRITE, req->data,
				  req->len, &out), SMB_SERVER_ST_OK);
		g_byte_array_unref(req);
	}
	g_byte_array_unref(b);
	for (i = 0; i < 100; i++) {
		CHECK_INT(pipe_op(4, SMB_SERVER_RPC_READ, NULL, 0, &out),
			  SMB_SERVER_ST_OK);
		if (!out)
			break;
		CHECK(out->len <= 64);
		CHECK_INT(out->data[3] & DCERPC_PFC_FIRST, i == 0);
		g_byte_array_append(stub, out->data + 24, out->len - 24);
		if (out->data[3] & DCERPC_PFC_LAST) {
			g_byte_array_unref(out);
			break;
		}
		CHECK_INT((out->len - 24) % 8, 0);
		g_byte_array_unref(out);
	}
	CHECK(i > 2);
	/* the same stub as an unfragmented call gives */
	open_and_bind(5);
	out = call(5, 2, 15, enum_stub(1, false));
	CHECK(out && out->len - 24 == stub->len &&
	      !memcmp(out->data + 24, stub->data, stub->len));
	g_byte_array_unref(out);
	g_byte_array_unref(stub);

	/* A request split in three fragments, on context 1. */
	b = getinfo_stub("pub", 1);
	{
		GByteArray *f1 = request_pdu(3, 1, 16, DCERPC_PFC_FIRST,
					     b->data, 8);
		GByteArray *f2 = request_pdu(3, 1, 16, 0, b->data + 8, 8);
		GByteArray *f3 = request_pdu(3, 1, 16, DCERPC_PFC_LAST,
					     b->data + 16, b->len - 16);

		CHECK_INT(pipe_op(4, SMB_SERVER_RPC_WRITE, f1->data, f1->len,
				  &out), SMB_SERVER_ST_OK);
		CHECK_INT(pipe_op(4, SMB_SERVER_RPC_WRITE, f2->data, f2->len,
				  &out), SMB_SERVER_ST_OK);
		CHECK_INT(pipe_op(4, SMB_SERVER_RPC_READ, NULL, 0, &out),
			  SMB_SERVER_ST_OK);
		CHECK(!out);
		CHECK_INT(pipe_op(4, SMB_SERVER_RPC_TRANSACT, f3->data,
				  f3->len, &out), SMB_SERVER_ST_OK);
		CHECK(out && out->data[2] == DCERPC_RESPONSE &&
		      get_le32(out->data + 12) == 3);
		if (out)
			g_byte_array_unref(out);
		g_byte_array_unref(f1);
		g_byte_array_unref(f2);
		g_byte_array_unref(f3);
	}
	g_byte_array_unref(b);
	pipe_op(4, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
	pipe_op(5, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
}

/* The same through netlink messages and ipc_handle(). */
static void test_through_ipc(void)
{
	struct nlattr *tb[SMB_SERVER_A_MAX + 1];
	struct ksmbd_ctx ctx = { 0 };
	struct nl_msg *req, *rsp;
	uint8_t cmd;

	ctx.globals = globals;
	ctx.shares = shares;
	ctx.pipes = pipes;

	req = smbnl_msg_new(0x1c, SMB_SERVER_CMD_RPC_REQ, 0, 256);
	nla_put_u32(req, SMB_SERVER_A_HANDLE, 11);
	nla_put_u64(req, SMB_SERVER_A_PIPE_ID, 77);
	nla_put_u32(req, SMB_SERVER_A_RPC_OP, SMB_SERVER_RPC_OPEN);
	nla_put_string(req, SMB_SERVER_A_PIPE_NAME, "srvsvc");
	CHECK_INT(smbnl_parse(req, 0x1c, &cmd, tb), 0);
	rsp = ipc_handle(&ctx, 0x1c, cmd, tb, false);
	nlmsg_free(req);
	CHECK(rsp);
	nlmsg_free(rsp);

	req = smbnl_msg_new(0x1c, SMB_SERVER_CMD_RPC_REQ, 0, 256);
	nla_put_u32(req, SMB_SERVER_A_HANDLE, 12);
	nla_put_u64(req, SMB_SERVER_A_PIPE_ID, 77);
	nla_put_u32(req, SMB_SERVER_A_RPC_OP, SMB_SERVER_RPC_TRANSACT);
	nla_put(req, SMB_SERVER_A_PAYLOAD, sizeof(bind_pdu), bind_pdu);
	CHECK_INT(smbnl_parse(req, 0x1c, &cmd, tb), 0);
	rsp = ipc_handle(&ctx, 0x1c, cmd, tb, false);
	nlmsg_free(req);
	CHECK(rsp);
	if (rsp) {
		CHECK_INT(genlmsg_parse(nlmsg_hdr(rsp), 0, tb,
					SMB_SERVER_A_MAX, NULL), 0);
		CHECK(tb[SMB_SERVER_A_STATUS] &&
		      nla_get_u32(tb[SMB_SERVER_A_STATUS]) == 0);
		CHECK(tb[SMB_SERVER_A_PAYLOAD] &&
		      nla_len(tb[SMB_SERVER_A_PAYLOAD]) ==
			      sizeof(bind_ack_pdu));
		nlmsg_free(rsp);
	}
	pipe_op(77, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
}

void test_rpc(void)
{
	struct conf_file *conf;

	conf = conf_parse_text("r.conf",
			       "[pub]\npath = /tmp\ncomment = Hi\n"
			       "[hidden]\npath = /tmp\nbrowseable = no\n"
			       "[gone]\npath = /tmp\navailable = no\n", NULL);
	globals_load(conf, &globals, NULL);
	shares = shares_load(conf, NULL);
	conf_free(conf);
	env.globals = &globals;
	env.shares = shares;
	pipes = rpc_pipes_new();

	test_ndr_push();
	test_ndr_pull();
	test_vectors();
	test_enum_level1();
	test_errors();
	test_negotiation();
	test_through_ipc();

	rpc_pipes_free(pipes);
	shares_free(shares);
	globals_clear(&globals);
}
