/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Connection-oriented DCE/RPC (C706 chapter 12, MS-RPCE) over named pipes.
 */
#ifndef KSMBD_DCERPC_H
#define KSMBD_DCERPC_H

#include <stdint.h>

#include "ndr.h"
#include "rpc.h"

/* PDU types */
#define DCERPC_REQUEST		0
#define DCERPC_RESPONSE		2
#define DCERPC_FAULT		3
#define DCERPC_BIND		11
#define DCERPC_BIND_ACK		12
#define DCERPC_BIND_NAK		13
#define DCERPC_ALTER		14
#define DCERPC_ALTER_RESP	15
#define DCERPC_AUTH3		16
#define DCERPC_CO_CANCEL	18
#define DCERPC_ORPHANED		19

/* pfc_flags */
#define DCERPC_PFC_FIRST	0x01
#define DCERPC_PFC_LAST		0x02
#define DCERPC_PFC_OBJECT_UUID	0x80

#define DCERPC_HDR_LEN		16
#define DCERPC_REQ_HDR_LEN	24	/* request and response headers */
#define DCERPC_MAX_FRAG		4280	/* the largest fragment we send */

/* Fault status codes */
#define DCERPC_FAULT_OP_RNG_ERROR	0x1c010002
#define DCERPC_FAULT_UNK_IF		0x1c010003
#define DCERPC_FAULT_PROTO_ERROR	0x1c01000b
#define DCERPC_FAULT_INVALID_TAG	0x1c000006
#define DCERPC_FAULT_NDR		0x000006f7

/* bind_ack results and reasons */
#define DCERPC_ACCEPT			0
#define DCERPC_PROVIDER_REJECT		2
#define DCERPC_NEGOTIATE_ACK		3
#define DCERPC_REASON_ABSTRACT		1	/* abstract syntax not supported */
#define DCERPC_REASON_TRANSFER		2	/* transfer syntaxes not supported */
#define DCERPC_REASON_LOCAL_LIMIT	3	/* local limit exceeded */

/* An interface or transfer syntax: UUID in wire order, then version. */
struct rpc_syntax {
	uint8_t uuid[16];
	uint16_t major;
	uint16_t minor;
};

extern const struct rpc_syntax ndr20_syntax;

struct rpc_service {
	const char *pipe_name;
	struct rpc_syntax syntax;
	/* Run @opnum on @in; fill @out. Returns 0 or a fault status. */
	uint32_t (*call)(const struct rpc_env *env, uint16_t opnum,
			 const uint8_t *in, size_t in_len,
			 struct ndr_push *out);
};

extern const struct rpc_service srvsvc_service;

#endif
