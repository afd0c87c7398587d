// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DCE/RPC fuzz tests by mutation: a seeded run (KSMBD_FUZZ_SEED,
 * KSMBD_FUZZ_ITERS) of valid PDUs with bits, boundary values, lengths and
 * splices changed, sent in pieces; every answer must be well formed, and
 * afterwards the pipe must resynchronise and still answer correctly.
 */
#include <stdlib.h>

#include "rpc_fuzz_harness.h"

#define FUZZ_SEED	0x6b736d6264525043ULL	/* "ksmbdRPC" */
#define FUZZ_ITERS	20000

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
	GPtrArray *corpus;
	GByteArray *bind = bind_pdu(DCERPC_BIND, 1, 0), *m, *out, *s;
	uint8_t zeros[4096] = { 0 };
	uint64_t seed = FUZZ_SEED;
	bool failed = false;
	size_t cut;
	uint32_t st;
	int k, parts;

	corpus = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
	if (env_seed && *env_seed)
		seed = strtoull(env_seed, NULL, 0);
	if (env_iters && *env_iters)
		iters = strtoul(env_iters, NULL, 0);
	rng_state = seed ? seed : FUZZ_SEED;
	printf("rpc_fuzz   seed 0x%016llx, %lu mutations (KSMBD_FUZZ_SEED, KSMBD_FUZZ_ITERS)\n",
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
	ctx_add(m, 0, rpc_fuzz_srvsvc_if, rpc_fuzz_ndr64_ts);
	ctx_add(m, 1, rpc_fuzz_srvsvc_if, rpc_fuzz_ndr_ts);
	ctx_add(m, 2, rpc_fuzz_srvsvc_if, rpc_fuzz_ndr_ts);
	g_ptr_array_add(corpus, rpc_fuzz_pdu_done(m));

	for (i = 0; i < iters; i++) {
		if (i % 64 == 0)
			rpc_fuzz_op(170, SMB_SERVER_RPC_OPEN, "srvsvc", 0,
				    NULL);
		CHECK_INT(rpc_fuzz_op(170, SMB_SERVER_RPC_WRITE, bind->data,
				      bind->len, NULL), SMB_SERVER_ST_OK);
		rpc_fuzz_drain(170);

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
			st = rpc_fuzz_op(170, rnd(2) ? SMB_SERVER_RPC_WRITE :
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
		while ((out = rpc_fuzz_read_pdu(170))) {
			answers++;
			if (!answer_sane(out))
				bad_answer++;
			g_byte_array_unref(out);
		}
		g_byte_array_unref(m);

		/* resynchronise: anything half read is completed or dropped */
		for (k = 0; k < 20; k++) {
			st = rpc_fuzz_op(170, SMB_SERVER_RPC_WRITE, zeros,
					 sizeof(zeros), NULL);
			rpc_fuzz_drain(170);
			if (st == SMB_SERVER_ST_INVALID)
				break;
		}
		if (k == 20)
			unsynced++;
		out = NULL;
		st = rpc_fuzz_op(170, SMB_SERVER_RPC_TRANSACT, bind->data,
				 bind->len, &out);
		if (st != SMB_SERVER_ST_OK ||
		    !rpc_fuzz_result_is(ack_results(out, DCERPC_BIND_ACK, 1, 1),
					DCERPC_ACCEPT, 0, rpc_fuzz_ndr_ts))
			broken++;
		if (out)
			g_byte_array_unref(out);
		if (!pipe_works(170, 0x5000 + (i & 0xfff)))
			broken++;
		if (!failed && bad_status + bad_answer + unsynced + broken) {
			fprintf(stderr, "  rpc_fuzz: first failure at mutation %lu\n",
				i);
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
	rpc_fuzz_op(170, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
	CHECK_INT(rpc_pipes_count(rpc_fuzz_pipes), 0);
	open_bound(171);
	CHECK(pipe_works(171, 1));
	rpc_fuzz_op(171, SMB_SERVER_RPC_CLOSE, NULL, 0, NULL);
	g_byte_array_unref(bind);
	g_ptr_array_unref(corpus);
}

void test_rpc_fuzz_mutate(void)
{
	test_mutations();
}
