// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DCE/RPC fuzz tests of how PDUs are framed: valid requests and a BIND
 * cut to every length, then the common header's fields one at a time
 * (frag_length, auth_length, version, data representation, PDU type,
 * opnum, context id, alloc_hint, object UUID).
 */
#include "rpc_fuzz_harness.h"

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

	want = rpc_fuzz_transact(id, req, &st);
	CHECK_INT(st, SMB_SERVER_ST_OK);
	CHECK(rpc_fuzz_hdr_ok(want, DCERPC_RESPONSE, call_id));
	if (!want)
		return;
	for (k = 0; k < req->len; k++) {
		/* short write, then the rest */
		st = rpc_fuzz_op(id, SMB_SERVER_RPC_WRITE, req->data, k, NULL);
		out = rpc_fuzz_read_pdu(id);
		if (st != SMB_SERVER_ST_OK || out)
			bad_split++;
		if (out)
			g_byte_array_unref(out);
		st = rpc_fuzz_op(id, SMB_SERVER_RPC_WRITE, req->data + k,
				 req->len - k, NULL);
		out = rpc_fuzz_read_pdu(id);
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
		st = rpc_fuzz_write_ba(id, cut);
		out = rpc_fuzz_read_pdu(id);
		if (k < 16) {
			/* an incomplete header waits for more */
			if (st != SMB_SERVER_ST_OK || out)
				bad_cut++;
			/* then garbage makes it all go */
			if (rpc_fuzz_op(id, SMB_SERVER_RPC_WRITE,
					"\0\0\0\0\0\0\0\0"
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
	rpc_fuzz_op(110, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);

	/* a BIND claiming each short length is refused; a good one works */
	for (k = 16; k < bind->len; k++) {
		CHECK_INT(rpc_fuzz_op(111, SMB_SERVER_RPC_OPEN, "srvsvc", 0,
				      NULL), SMB_SERVER_ST_OK);
		cut = g_byte_array_append(g_byte_array_new(), bind->data, k);
		put_le16(cut->data + 8, k);
		st = rpc_fuzz_write_ba(111, cut);
		out = rpc_fuzz_read_pdu(111);
		if (st != SMB_SERVER_ST_INVALID || out)
			bad++;
		if (out)
			g_byte_array_unref(out);
		g_byte_array_unref(cut);
		/* nothing bound yet */
		out = NULL;
		cut = req_from(2, 16, getinfo_stub("pub", 0));
		if (rpc_fuzz_op(111, SMB_SERVER_RPC_TRANSACT, cut->data,
				cut->len, &out) != SMB_SERVER_ST_OK ||
		    fault_of(out, 2) != DCERPC_FAULT_UNK_IF)
			bad++;
		g_byte_array_unref(cut);
		st = rpc_fuzz_op(111, SMB_SERVER_RPC_TRANSACT, bind->data,
				 bind->len, &out);
		if (st != SMB_SERVER_ST_OK ||
		    !rpc_fuzz_result_is(ack_results(out, DCERPC_BIND_ACK, 1, 1),
					DCERPC_ACCEPT, 0, rpc_fuzz_ndr_ts))
			bad++;
		if (out)
			g_byte_array_unref(out);
		if (!pipe_works(111, 3))
			bad++;
	}
	CHECK_INT(bad, 0);
	rpc_fuzz_op(111, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
	g_byte_array_unref(bind);
}

/* ---- 3. header fields ---- */

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
	CHECK_INT(rpc_fuzz_op(120, SMB_SERVER_RPC_WRITE, NULL, 0, NULL),
		  SMB_SERVER_ST_OK);
	CHECK(!rpc_fuzz_read_pdu(120));

	/* frag_length below the common header */
	for (i = 0; i < G_N_ELEMENTS(short_frags); i++) {
		b = req_from(40, 16, getinfo_stub("pub", 0));
		put_le16(b->data + 8, short_frags[i]);
		CHECK_INT(rpc_fuzz_send_one(120, b, &out),
			  SMB_SERVER_ST_INVALID);
		CHECK(!out);
		CHECK(pipe_works(120, 41));
	}

	/* frag_length past the data: waits, and takes what follows */
	b = req_from(42, 16, getinfo_stub("pub", 0));
	put_le16(b->data + 8, b->len + 8);
	CHECK_INT(rpc_fuzz_send_one(120, b, &out), SMB_SERVER_ST_OK);
	CHECK(!out);
	CHECK_INT(rpc_fuzz_op(120, SMB_SERVER_RPC_WRITE, "12345678", 8, NULL),
		  SMB_SERVER_ST_OK);
	out = rpc_fuzz_read_pdu(120);
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
	CHECK_INT(rpc_fuzz_write_ba(120, b), SMB_SERVER_ST_OK);
	g_byte_array_unref(b);
	CHECK_INT(fault_of(rpc_fuzz_read_pdu(120), 43), DCERPC_FAULT_NDR);
	b = req_from(44, 16, getinfo_stub("pub", 0));
	CHECK_INT(rpc_fuzz_send_one(120, b, &out), SMB_SERVER_ST_INVALID);
	CHECK(!out);
	CHECK(pipe_works(120, 45));

	/* auth_length beyond the end, or any: we offer no authentication */
	b = req_from(46, 16, getinfo_stub("pub", 0));
	put_le16(b->data + 10, 0xffff);
	CHECK_INT(rpc_fuzz_send_one(120, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 46), DCERPC_FAULT_PROTO_ERROR);
	b = req_from(47, 16, getinfo_stub("pub", 0));
	put_le16(b->data + 10, 8);
	CHECK_INT(rpc_fuzz_send_one(120, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 47), DCERPC_FAULT_PROTO_ERROR);
	b = bind_pdu(DCERPC_ALTER, 48, 1);
	put_le16(b->data + 10, 0x1000);
	CHECK_INT(rpc_fuzz_send_one(120, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 48), DCERPC_FAULT_PROTO_ERROR);
	CHECK(pipe_works(120, 49));

	/* version 4.0, 6.0, 5.1, 5.255 and big-endian data are dropped */
	for (i = 0; i < 5; i++) {
		b = req_from(50, 16, getinfo_stub("pub", 0));
		switch (i) {
		case 0:
			b->data[0] = 4;
			break;
		case 1:
			b->data[0] = 6;
			break;
		case 2:
			b->data[1] = 1;
			break;
		case 3:
			b->data[1] = 255;
			break;
		case 4:
			b->data[4] = 0x00;	/* big-endian */
			break;
		}
		CHECK_INT(rpc_fuzz_send_one(120, b, &out),
			  SMB_SERVER_ST_INVALID);
		CHECK(!out);
		CHECK(pipe_works(120, 51));
	}
	/* the same for a BIND on a fresh pipe: no answer, still unbound */
	CHECK_INT(rpc_fuzz_op(121, SMB_SERVER_RPC_OPEN, "srvsvc", 0, NULL),
		  SMB_SERVER_ST_OK);
	b = bind_pdu(DCERPC_BIND, 52, 0);
	b->data[4] = 0x00;
	CHECK_INT(rpc_fuzz_send_one(121, b, &out), SMB_SERVER_ST_INVALID);
	CHECK(!out);
	b = req_from(53, 16, getinfo_stub("pub", 0));
	CHECK_INT(rpc_fuzz_send_one(121, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 53), DCERPC_FAULT_UNK_IF);
	rpc_fuzz_op(121, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);

	/* character and float representation bits do not matter */
	b = req_from(54, 16, getinfo_stub("pub", 0));
	b->data[4] = 0x11;
	b->data[5] = 0x03;
	CHECK_INT(rpc_fuzz_send_one(120, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(decode_getinfo(out, 54, 0, &name), 0);
	g_free(name);
	if (out)
		g_byte_array_unref(out);

	/* PDU types a server does not take */
	for (i = 0; i < G_N_ELEMENTS(bad_types); i++) {
		b = req_from(55, 16, getinfo_stub("pub", 0));
		b->data[2] = bad_types[i];
		CHECK_INT(rpc_fuzz_send_one(120, b, &out),
			  SMB_SERVER_ST_INVALID);
		CHECK(!out);
	}
	for (i = 0; i < G_N_ELEMENTS(quiet_types); i++) {
		b = rpc_fuzz_pdu_done(rpc_fuzz_hdr_new(quiet_types[i], 3, 56));
		g_byte_array_append(b, (const uint8_t *)"\0\0\0\0", 4);
		CHECK_INT(rpc_fuzz_send_one(120, rpc_fuzz_pdu_done(b), &out),
			  SMB_SERVER_ST_OK);
		CHECK(!out);
	}
	CHECK(pipe_works(120, 57));

	/* opnums out of range */
	{
		static const uint16_t opnums[] = { 0, 14, 17, 21, 0xffff };

		for (i = 0; i < G_N_ELEMENTS(opnums); i++) {
			b = req_from(58 + i, opnums[i],
				     getinfo_stub("pub", 0));
			CHECK_INT(rpc_fuzz_send_one(120, b, &out),
				  SMB_SERVER_ST_OK);
			CHECK_INT(fault_of(out, 58 + i),
				  DCERPC_FAULT_OP_RNG_ERROR);
		}
	}

	/* a context never bound, and one that was */
	b = getinfo_stub("pub", 0);
	out = req_pdu(64, 0xffff, 16, 3, b->data, b->len);
	g_byte_array_unref(b);
	CHECK_INT(rpc_fuzz_send_one(120, out, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 64), DCERPC_FAULT_UNK_IF);

	/* alloc_hint lies make no difference */
	{
		static const uint32_t hints[] = { 0, 1, 0x7fffffff,
						  0xffffffff };

		for (i = 0; i < G_N_ELEMENTS(hints); i++) {
			b = req_from(65, 16, getinfo_stub("pub", 1));
			put_le32(b->data + 16, hints[i]);
			CHECK_INT(rpc_fuzz_send_one(120, b, &out),
				  SMB_SERVER_ST_OK);
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
		b = rpc_fuzz_hdr_new(DCERPC_REQUEST,
				     3 | DCERPC_PFC_OBJECT_UUID, 66);
		g_byte_array_append(b, (const uint8_t *)"\0\0\0\0\0\0\x10\0",
				    8);
		g_byte_array_append(b, uuid, 16);
		g_byte_array_append(b, stub->data, stub->len);
		CHECK_INT(rpc_fuzz_send_one(120, rpc_fuzz_pdu_done(b), &out),
			  SMB_SERVER_ST_OK);
		CHECK_INT(decode_getinfo(out, 66, 0, &name), 0);
		g_free(name);
		if (out)
			g_byte_array_unref(out);
		b = rpc_fuzz_hdr_new(DCERPC_REQUEST,
				     3 | DCERPC_PFC_OBJECT_UUID, 67);
		g_byte_array_append(b, (const uint8_t *)"\0\0\0\0\0\0\x10\0",
				    8);
		g_byte_array_append(b, uuid, 15);
		CHECK_INT(rpc_fuzz_send_one(120, rpc_fuzz_pdu_done(b), &out),
			  SMB_SERVER_ST_OK);
		CHECK_INT(fault_of(out, 67), DCERPC_FAULT_PROTO_ERROR);
		g_byte_array_unref(stub);
	}
	CHECK(pipe_works(120, 68));
	rpc_fuzz_op(120, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
}

void test_rpc_fuzz_framing(void)
{
	test_truncation();
	test_header();
}
