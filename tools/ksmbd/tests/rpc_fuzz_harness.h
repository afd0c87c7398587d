/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the DCE/RPC fuzz tests share (rpc_fuzz_harness.c): the kernel's
 * side of a pipe, PDU and stub builders, answer checkers, and the entry
 * points of the test files, which test_rpc_fuzz() runs in order.
 */
#ifndef KSMBD_RPC_FUZZ_HARNESS_H
#define KSMBD_RPC_FUZZ_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>
#include <linux/smb_server.h>

#include "../rpc/dcerpc.h"
#include "../rpc/ndr.h"
#include "../rpc/rpc.h"
#include "tests.h"

/* srvsvc statuses the tests expect */
#define WERR_INVALID_LEVEL	124
#define WERR_NET_NAME_NOT_FOUND	2310

/* Every pipe the tests open; set up and freed by test_rpc_fuzz(). */
extern struct rpc_pipes *rpc_fuzz_pipes;

/* srvsvc 3.0, and the NDR 2.0 and NDR64 transfer syntaxes. */
extern const uint8_t rpc_fuzz_srvsvc_if[20];
extern const uint8_t rpc_fuzz_ndr_ts[20];
extern const uint8_t rpc_fuzz_ndr64_ts[20];

/* ---- the kernel's side ---- */

/* One RPC request (SMB_SERVER_RPC_*) on pipe @id; @out may be NULL. */
uint32_t rpc_fuzz_op(uint64_t id, uint32_t what, const void *data, size_t len,
		     GByteArray **out);
uint32_t rpc_fuzz_write_ba(uint64_t id, const GByteArray *b);
GByteArray *rpc_fuzz_read_pdu(uint64_t id);
unsigned int rpc_fuzz_drain(uint64_t id);
GByteArray *rpc_fuzz_transact(uint64_t id, const GByteArray *b, uint32_t *st);
/* Sends and frees @b. */
uint32_t rpc_fuzz_send_one(uint64_t id, GByteArray *b, GByteArray **out);

/* ---- building PDUs ---- */

GByteArray *rpc_fuzz_hdr_new(uint8_t type, uint8_t flags, uint32_t call_id);
/* Sets frag_length to the length of @b, and returns @b. */
GByteArray *rpc_fuzz_pdu_done(GByteArray *b);
GByteArray *bind_new(uint8_t type, uint32_t call_id, uint16_t max_recv,
		     uint8_t n);
void ctx_add(GByteArray *b, uint16_t id, const uint8_t *abstract,
	     const uint8_t *ts);
GByteArray *bind_pdu(uint8_t type, uint32_t call_id, uint16_t ctx);
GByteArray *req_pdu(uint32_t call_id, uint16_t ctx, uint16_t opnum,
		    uint8_t flags, const void *stub, size_t len);
GByteArray *rpc_fuzz_push_done(struct ndr_push *p);
GByteArray *enum_stub(uint32_t level, bool resume);
GByteArray *getinfo_stub(const char *name, uint32_t level);
GByteArray *srvinfo_stub(uint32_t level);
/* A one-fragment REQUEST on context 0; frees @stub. */
GByteArray *req_from(uint32_t call_id, uint16_t opnum, GByteArray *stub);

/* ---- checking answers ---- */

bool rpc_fuzz_hdr_ok(const GByteArray *o, uint8_t type, uint32_t call_id);
/* Frees @o. */
uint32_t fault_of(GByteArray *o, uint32_t call_id);
const uint8_t *ack_results(const GByteArray *o, uint8_t type,
			   uint32_t call_id, unsigned int n);
bool rpc_fuzz_result_is(const uint8_t *r, uint16_t result, uint16_t reason,
			const uint8_t *ts);
char *decode_enum(const GByteArray *o, uint32_t call_id, uint32_t level,
		  uint32_t *werr);
uint32_t decode_getinfo(const GByteArray *o, uint32_t call_id,
			uint32_t level, char **name);
void open_bound(uint64_t id);
bool pipe_works(uint64_t id, uint32_t call_id);

/* ---- the test files, in the order test_rpc_fuzz() runs them ---- */

void test_rpc_fuzz_valid(void);		/* test_rpc_fuzz_valid.c */
void test_rpc_fuzz_framing(void);	/* test_rpc_fuzz_framing.c */
void test_rpc_fuzz_limits(void);	/* test_rpc_fuzz_limits.c */
void test_rpc_fuzz_ndr(void);		/* test_rpc_fuzz_ndr.c */
void test_rpc_fuzz_mutate(void);	/* test_rpc_fuzz_mutate.c */

#endif
