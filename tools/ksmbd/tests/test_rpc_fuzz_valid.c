// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DCE/RPC fuzz tests of valid sessions, checked to the byte: BIND, then
 * NetShareEnumAll and NetShareGetInfo with what they answer, and two
 * requests in one write answered in order.
 */
#include "rpc_fuzz_harness.h"

/* ---- 1. valid sessions ---- */

static void test_valid(void)
{
	GByteArray *b, *out;
	const uint8_t *r;
	uint32_t st, werr;
	char *names;

	CHECK_INT(rpc_fuzz_op(100, SMB_SERVER_RPC_OPEN, "\\pipe\\SRVSVC", 0,
			      NULL), SMB_SERVER_ST_OK);
	b = bind_pdu(DCERPC_BIND, 0x11223344, 0);
	out = rpc_fuzz_transact(100, b, &st);
	CHECK_INT(st, SMB_SERVER_ST_OK);
	r = ack_results(out, DCERPC_BIND_ACK, 0x11223344, 1);
	CHECK(rpc_fuzz_result_is(r, DCERPC_ACCEPT, 0, rpc_fuzz_ndr_ts));
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
	out = rpc_fuzz_transact(100, b, &st);
	CHECK_INT(st, SMB_SERVER_ST_OK);
	names = decode_enum(out, 0x7ffffffe, 1, &werr);
	CHECK_STR(names, "pub,IPC$");
	CHECK_INT(werr, 0);
	g_free(names);
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);

	b = req_from(0xffffffff, 15, enum_stub(0, false));
	out = rpc_fuzz_transact(100, b, &st);
	names = decode_enum(out, 0xffffffff, 0, &werr);
	CHECK_STR(names, "pub,IPC$");
	CHECK_INT(werr, 0);
	g_free(names);
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);

	/* NetShareGetInfo: existing (any case), hidden, missing, unavailable */
	b = req_from(3, 16, getinfo_stub("PuB", 1));
	out = rpc_fuzz_transact(100, b, &st);
	CHECK_INT(decode_getinfo(out, 3, 1, &names), 0);
	CHECK_STR(names, "pub");
	g_free(names);
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);

	b = req_from(4, 16, getinfo_stub("hidden", 1));
	out = rpc_fuzz_transact(100, b, &st);
	CHECK_INT(decode_getinfo(out, 4, 1, &names), 0);
	CHECK_STR(names, "hidden");
	g_free(names);
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);

	b = req_from(5, 16, getinfo_stub("missing", 1));
	out = rpc_fuzz_transact(100, b, &st);
	CHECK_INT(decode_getinfo(out, 5, 1, &names), WERR_NET_NAME_NOT_FOUND);
	CHECK(!names);
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);

	b = req_from(6, 16, getinfo_stub("gone", 0));
	out = rpc_fuzz_transact(100, b, &st);
	CHECK_INT(decode_getinfo(out, 6, 0, &names), WERR_NET_NAME_NOT_FOUND);
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);

	/* a known level without an implementation: WERR_INVALID_LEVEL */
	b = req_from(7, 16, getinfo_stub("pub", 2));
	out = rpc_fuzz_transact(100, b, &st);
	CHECK_INT(decode_getinfo(out, 7, 2, &names), WERR_INVALID_LEVEL);
	if (out)
		g_byte_array_unref(out);
	g_byte_array_unref(b);

	/* NetrServerGetInfo (opnum 21) is not implemented: op range fault */
	b = req_from(8, 21, srvinfo_stub(101));
	out = rpc_fuzz_transact(100, b, &st);
	CHECK_INT(st, SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 8), DCERPC_FAULT_OP_RNG_ERROR);
	g_byte_array_unref(b);

	CHECK(pipe_works(100, 9));
	CHECK_INT(rpc_fuzz_op(100, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL),
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
	CHECK_INT(rpc_fuzz_write_ba(101, a), SMB_SERVER_ST_OK);
	out = rpc_fuzz_read_pdu(101);
	CHECK_INT(decode_getinfo(out, 21, 0, &name), 0);
	CHECK_STR(name, "pub");
	g_free(name);
	if (out)
		g_byte_array_unref(out);
	out = rpc_fuzz_read_pdu(101);
	CHECK_INT(decode_getinfo(out, 22, 0, &name),
		  WERR_NET_NAME_NOT_FOUND);
	if (out)
		g_byte_array_unref(out);
	CHECK(!rpc_fuzz_read_pdu(101));
	g_byte_array_unref(a);
	g_byte_array_unref(b);
	rpc_fuzz_op(101, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
}

void test_rpc_fuzz_valid(void)
{
	test_valid();
	test_pipelined();
}
