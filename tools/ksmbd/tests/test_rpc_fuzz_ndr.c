// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DCE/RPC fuzz tests of NDR decoding: conformant varying strings with
 * counts, offsets and lengths at their limits, primitives at the end of
 * the data, then the same limits through NetShareGetInfo's share name and
 * NetShareEnumAll's container.
 */
#include <errno.h>

#include "rpc_fuzz_harness.h"

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
		CHECK(!*s);
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
		case 0:
			put_le32(stub->data + 4, 3);	/* max < act */
			break;
		case 1:
			put_le32(stub->data + 8, 1);
			break;
		case 2:
			put_le32(stub->data + 12, 0xffffffff);
			break;
		case 3:
			put_le32(stub->data + 12, 0x80000000);
			break;
		case 4:
			put_le32(stub->data + 4, 0xffffffff);
			put_le32(stub->data + 12, 0x7fffffff);
			break;
		case 5:
			g_byte_array_set_size(stub, 23);	/* odd */
			break;
		}
		req = req_from(110 + i, 16, stub);
		CHECK_INT(rpc_fuzz_send_one(160, req, &out), SMB_SERVER_ST_OK);
		CHECK_INT(fault_of(out, 110 + i), DCERPC_FAULT_NDR);
	}
	/* a server name referent id with no string behind it */
	{
		GByteArray *stub = getinfo_stub("pub", 0);

		put_le32(stub->data, 0x00020000);
		b = req_from(120, 16, stub);
		CHECK_INT(rpc_fuzz_send_one(160, b, &out), SMB_SERVER_ST_OK);
		CHECK_INT(fault_of(out, 120), DCERPC_FAULT_NDR);
	}
	/* a 4096-character share name: looked up, not found */
	{
		char *name = g_strnfill(NDR_MAX_STRING - 1, 'x');

		b = req_from(121, 16, getinfo_stub(name, 0));
		CHECK_INT(rpc_fuzz_send_one(160, b, &out), SMB_SERVER_ST_OK);
		CHECK_INT(decode_getinfo(out, 121, 0, &s),
			  WERR_NET_NAME_NOT_FOUND);
		if (out)
			g_byte_array_unref(out);
		g_free(name);
		name = g_strnfill(NDR_MAX_STRING, 'x');
		b = req_from(122, 16, getinfo_stub(name, 0));
		CHECK_INT(rpc_fuzz_send_one(160, b, &out), SMB_SERVER_ST_OK);
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
		stub = rpc_fuzz_push_done(&q);
		b = req_from(130 + i, 15, stub);
		CHECK_INT(rpc_fuzz_send_one(160, b, &out), SMB_SERVER_ST_OK);
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
			CHECK(rpc_fuzz_hdr_ok(out, DCERPC_RESPONSE, 133) &&
			      out->len == 24 + 36 &&
			      get_le32(out->data + 24 + 12) == 0 &&
			      get_le32(out->data + 24 + 16) == 0 &&
			      get_le32(out->data + 24 + 32) == 0);
		}
		if (out)
			g_byte_array_unref(out);
	}
	CHECK(pipe_works(160, 140));
	rpc_fuzz_op(160, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
}

void test_rpc_fuzz_ndr(void)
{
	test_ndr();
}
