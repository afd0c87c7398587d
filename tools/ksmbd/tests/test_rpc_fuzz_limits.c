// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DCE/RPC fuzz tests of what the daemon bounds: contexts in a BIND or
 * ALTER_CONTEXT and the answers to them, fragment trains (their order and
 * the 1 MiB a request may reach), and the answers queued for reading.
 */
#include "rpc_fuzz_harness.h"

#define QUEUE_LIMIT	256		/* RPC_MAX_QUEUED in dcerpc.c */
#define REQUEST_LIMIT	(1024 * 1024)	/* RPC_MAX_REQUEST in dcerpc.c */
#define NAK_AUTH_TYPE	8		/* MS-RPCE 2.2.2.5 */

/* ---- 3. header fields, continued: limits ---- */

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

	CHECK_INT(rpc_fuzz_op(130, SMB_SERVER_RPC_OPEN, "srvsvc", 0, NULL),
		  SMB_SERVER_ST_OK);
	/* no contexts at all; 255 and 9 of them: refused, no answer */
	b = rpc_fuzz_pdu_done(bind_new(DCERPC_BIND, 70, 4280, 0));
	CHECK_INT(rpc_fuzz_send_one(130, b, &out), SMB_SERVER_ST_INVALID);
	CHECK(!out);
	b = bind_new(DCERPC_BIND, 71, 4280, 255);
	for (i = 0; i < 255; i++)
		ctx_add(b, i, rpc_fuzz_srvsvc_if, rpc_fuzz_ndr_ts);
	CHECK_INT(rpc_fuzz_send_one(130, rpc_fuzz_pdu_done(b), &out),
		  SMB_SERVER_ST_INVALID);
	CHECK(!out);
	b = bind_new(DCERPC_BIND, 72, 4280, 9);
	for (i = 0; i < 9; i++)
		ctx_add(b, i, rpc_fuzz_srvsvc_if, rpc_fuzz_ndr_ts);
	CHECK_INT(rpc_fuzz_send_one(130, rpc_fuzz_pdu_done(b), &out),
		  SMB_SERVER_ST_INVALID);
	CHECK(!out);
	/* a count claiming more contexts than are there */
	b = bind_new(DCERPC_BIND, 73, 4280, 2);
	ctx_add(b, 0, rpc_fuzz_srvsvc_if, rpc_fuzz_ndr_ts);
	CHECK_INT(rpc_fuzz_send_one(130, rpc_fuzz_pdu_done(b), &out),
		  SMB_SERVER_ST_INVALID);
	CHECK(!out);
	/* a context claiming 255 transfer syntaxes but carrying one */
	b = bind_pdu(DCERPC_BIND, 74, 0);
	b->data[30] = 255;
	CHECK_INT(rpc_fuzz_send_one(130, b, &out), SMB_SERVER_ST_INVALID);
	CHECK(!out);

	/* eight contexts: the most we take; abstract version checks */
	memcpy(if31, rpc_fuzz_srvsvc_if, 20);
	if31[18] = 1;				/* 3.1: newer than ours */
	memcpy(if20, rpc_fuzz_srvsvc_if, 20);
	if20[16] = 2;				/* 2.0 */
	b = bind_new(DCERPC_BIND, 75, 0, 8);
	ctx_add(b, 0, rpc_fuzz_srvsvc_if, rpc_fuzz_ndr64_ts);
	ctx_add(b, 1, other_if, rpc_fuzz_ndr_ts);
	ctx_add(b, 2, if31, rpc_fuzz_ndr_ts);
	ctx_add(b, 3, if20, rpc_fuzz_ndr_ts);
	for (i = 4; i < 8; i++)
		ctx_add(b, 0x100 * i, rpc_fuzz_srvsvc_if, rpc_fuzz_ndr_ts);
	CHECK_INT(rpc_fuzz_send_one(130, rpc_fuzz_pdu_done(b), &out),
		  SMB_SERVER_ST_OK);
	r = ack_results(out, DCERPC_BIND_ACK, 75, 8);
	CHECK(r);
	if (r) {
		/* max_recv 0: we still send 32-byte fragments */
		CHECK_INT(get_le16(out->data + 16), 32);
		CHECK(rpc_fuzz_result_is(r, DCERPC_PROVIDER_REJECT,
					 DCERPC_REASON_TRANSFER, NULL));
		CHECK(rpc_fuzz_result_is(r + 24, DCERPC_PROVIDER_REJECT,
					 DCERPC_REASON_ABSTRACT, NULL));
		CHECK(rpc_fuzz_result_is(r + 48, DCERPC_PROVIDER_REJECT,
					 DCERPC_REASON_ABSTRACT, NULL));
		CHECK(rpc_fuzz_result_is(r + 72, DCERPC_PROVIDER_REJECT,
					 DCERPC_REASON_ABSTRACT, NULL));
		for (i = 4; i < 8; i++)
			CHECK(rpc_fuzz_result_is(r + 24 * i, DCERPC_ACCEPT, 0,
						 rpc_fuzz_ndr_ts));
	}
	if (out)
		g_byte_array_unref(out);
	/* context 0 was rejected; 0x700 works, in 8-byte pieces */
	b = getinfo_stub("pub", 1);
	out = req_pdu(76, 0, 16, 3, b->data, b->len);
	CHECK_INT(rpc_fuzz_send_one(130, out, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 76), DCERPC_FAULT_UNK_IF);
	out = req_pdu(77, 0x700, 16, 3, b->data, b->len);
	CHECK_INT(rpc_fuzz_write_ba(130, out), SMB_SERVER_ST_OK);
	g_byte_array_unref(out);
	g_byte_array_unref(b);
	{
		GDestroyNotify unref = (GDestroyNotify)g_byte_array_unref;
		GPtrArray *frags = g_ptr_array_new_with_free_func(unref);
		GByteArray *stub = g_byte_array_new(), *f;
		unsigned int bad = 0, total;

		while ((out = rpc_fuzz_read_pdu(130)))
			g_ptr_array_add(frags, out);
		for (i = 0; i < frags->len; i++) {
			f = frags->pdata[i];
			if (rpc_fuzz_hdr_ok(f, DCERPC_RESPONSE, 77) &&
			    f->len >= 24)
				g_byte_array_append(stub, f->data + 24,
						    f->len - 24);
		}
		total = stub->len;
		for (i = 0; i < frags->len; i++) {
			f = frags->pdata[i];
			if (!rpc_fuzz_hdr_ok(f, DCERPC_RESPONSE, 77) ||
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
	CHECK_INT(rpc_fuzz_send_one(130, b, &out), SMB_SERVER_ST_OK);
	g_byte_array_unref(out);
	for (i = 0; i < 20; i++) {
		b = bind_pdu(DCERPC_ALTER, 81, 5);
		CHECK_INT(rpc_fuzz_send_one(130, b, &out), SMB_SERVER_ST_OK);
		CHECK(rpc_fuzz_result_is(ack_results(out, DCERPC_ALTER_RESP,
						     81, 1),
					 DCERPC_ACCEPT, 0, rpc_fuzz_ndr_ts));
		if (out)
			g_byte_array_unref(out);
	}
	for (i = 6; i < 20; i++) {
		b = bind_pdu(DCERPC_ALTER, 82, i);
		CHECK_INT(rpc_fuzz_send_one(130, b, &out), SMB_SERVER_ST_OK);
		r = ack_results(out, DCERPC_ALTER_RESP, 82, 1);
		if (i < 12) {
			/* contexts 0, 5, 6..11: eight */
			CHECK(rpc_fuzz_result_is(r, DCERPC_ACCEPT, 0,
						 rpc_fuzz_ndr_ts));
		} else {
			CHECK(rpc_fuzz_result_is(r, DCERPC_PROVIDER_REJECT,
						 DCERPC_REASON_LOCAL_LIMIT,
						 NULL));
		}
		if (out)
			g_byte_array_unref(out);
		b = getinfo_stub("pub", 0);
		out = req_pdu(83, i, 16, 3, b->data, b->len);
		g_byte_array_unref(b);
		CHECK_INT(rpc_fuzz_send_one(130, out, &out), SMB_SERVER_ST_OK);
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
	CHECK_INT(rpc_fuzz_send_one(130, out, &out), SMB_SERVER_ST_OK);
	/* answered on context 5: "pub" at level 0, WERR_OK */
	CHECK(rpc_fuzz_hdr_ok(out, DCERPC_RESPONSE, 84) &&
	      out->len == 24 + 36 && get_le16(out->data + 20) == 5 &&
	      get_le32(out->data + out->len - 4) == 0);
	if (out)
		g_byte_array_unref(out);

	/* an authenticated BIND: bind_nak, authentication type unknown */
	b = bind_pdu(DCERPC_BIND, 85, 0);
	put_le16(b->data + 10, 0xffff);
	CHECK_INT(rpc_fuzz_send_one(130, b, &out), SMB_SERVER_ST_OK);
	CHECK(rpc_fuzz_hdr_ok(out, DCERPC_BIND_NAK, 85) && out->len == 21 &&
	      get_le16(out->data + 16) == NAK_AUTH_TYPE &&
	      out->data[18] == 1 && out->data[19] == 5 && out->data[20] == 0);
	if (out)
		g_byte_array_unref(out);
	rpc_fuzz_op(130, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
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
	CHECK_INT(rpc_fuzz_send_one(140, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 90), DCERPC_FAULT_PROTO_ERROR);
	b = req_pdu(91, 0, 16, DCERPC_PFC_LAST, stub->data, stub->len);
	CHECK_INT(rpc_fuzz_send_one(140, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 91), DCERPC_FAULT_PROTO_ERROR);

	/* a fragment of another call in the middle ends the train */
	b = req_pdu(92, 0, 16, DCERPC_PFC_FIRST, stub->data, 8);
	CHECK_INT(rpc_fuzz_send_one(140, b, &out), SMB_SERVER_ST_OK);
	CHECK(!out);
	b = req_pdu(93, 0, 16, 0, stub->data + 8, 8);
	CHECK_INT(rpc_fuzz_send_one(140, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 93), DCERPC_FAULT_PROTO_ERROR);
	b = req_pdu(92, 0, 16, DCERPC_PFC_LAST, stub->data + 8,
		    stub->len - 8);
	CHECK_INT(rpc_fuzz_send_one(140, b, &out), SMB_SERVER_ST_OK);
	CHECK_INT(fault_of(out, 92), DCERPC_FAULT_PROTO_ERROR);

	/* a new first fragment starts over */
	b = req_pdu(94, 0, 15, DCERPC_PFC_FIRST, "junkjunk", 8);
	CHECK_INT(rpc_fuzz_send_one(140, b, &out), SMB_SERVER_ST_OK);
	CHECK(!out);
	b = req_pdu(95, 0, 16, DCERPC_PFC_FIRST, stub->data, 4);
	CHECK_INT(rpc_fuzz_send_one(140, b, &out), SMB_SERVER_ST_OK);
	CHECK(!out);
	/* empty middle fragments, and one byte at a time */
	for (i = 0; i < 3; i++) {
		b = req_pdu(95, 0, 16, 0, NULL, 0);
		CHECK_INT(rpc_fuzz_send_one(140, b, &out), SMB_SERVER_ST_OK);
		CHECK(!out);
	}
	for (i = 4; i + 1 < stub->len; i++) {
		b = req_pdu(95, 0xeeee, 0xeeee, 0, stub->data + i, 1);
		CHECK_INT(rpc_fuzz_send_one(140, b, &out), SMB_SERVER_ST_OK);
		CHECK(!out);
	}
	b = req_pdu(95, 0, 16, DCERPC_PFC_LAST, stub->data + i, 1);
	CHECK_INT(rpc_fuzz_send_one(140, b, &out), SMB_SERVER_ST_OK);
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
			CHECK_INT(rpc_fuzz_send_one(140, b, &out),
				  SMB_SERVER_ST_OK);
			total += frag;
			if (total <= REQUEST_LIMIT) {
				CHECK(!out);
			} else {
				faults++;
				CHECK_INT(fault_of(out, 96),
					  DCERPC_FAULT_PROTO_ERROR);
			}
		}
		CHECK_INT(faults, 20 - REQUEST_LIMIT / frag);
		/* exactly at the limit is fine */
		b = req_pdu(97, 0, 16, DCERPC_PFC_FIRST, zeros, frag);
		CHECK_INT(rpc_fuzz_send_one(140, b, &out), SMB_SERVER_ST_OK);
		CHECK(!out);
		n = REQUEST_LIMIT - frag;
		while (n) {
			size_t k = MIN(n, frag);

			b = req_pdu(97, 0, 16, k == n ? DCERPC_PFC_LAST : 0,
				    zeros, k);
			CHECK_INT(rpc_fuzz_send_one(140, b, &out),
				  SMB_SERVER_ST_OK);
			n -= k;
			if (n) {
				CHECK(!out);
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
	rpc_fuzz_op(140, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
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
		st = rpc_fuzz_write_ba(150, b);
		if (st == SMB_SERVER_ST_OK)
			ok++;
		else if (st == SMB_SERVER_ST_INVALID)
			refused++;
	}
	CHECK_INT(ok, QUEUE_LIMIT);
	CHECK_INT(refused, 2 * QUEUE_LIMIT);
	CHECK_INT(rpc_fuzz_drain(150), QUEUE_LIMIT);
	/* many PDUs in one write stop at the limit too */
	g_byte_array_set_size(b, 0);
	for (i = 0; i < QUEUE_LIMIT + 10; i++) {
		GByteArray *r = req_from(99, 16, getinfo_stub("pub", 0));

		g_byte_array_append(b, r->data, r->len);
		g_byte_array_unref(r);
	}
	CHECK_INT(rpc_fuzz_write_ba(150, b), SMB_SERVER_ST_INVALID);
	CHECK_INT(rpc_fuzz_drain(150), QUEUE_LIMIT);
	CHECK(pipe_works(150, 100));
	g_byte_array_unref(b);
	rpc_fuzz_op(150, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
}

void test_rpc_fuzz_limits(void)
{
	test_bind_limits();
	test_fragments();
	test_queue_limit();
}
