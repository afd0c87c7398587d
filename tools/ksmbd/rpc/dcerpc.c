// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Named pipes on IPC$ carrying connection-oriented DCE/RPC.
 *
 * The kernel forwards what SMB clients write to a pipe (RPC_OP WRITE),
 * asks for what they read (READ), or both at once (TRANSACT). Written
 * bytes are cut into PDUs by their frag_length; BIND and ALTER_CONTEXT
 * negotiate the interface, REQUEST fragments are reassembled and run by
 * the pipe's service, and the answers wait in a queue, one PDU per READ.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <linux/smb_server.h>

#include "../log.h"
#include "dcerpc.h"

#define RPC_MAX_PIPES		1024
#define RPC_MAX_CONTEXTS	8
#define RPC_MAX_REQUEST		(1024 * 1024)	/* reassembled stub */
#define RPC_MAX_QUEUED		256		/* PDUs waiting for READ */
#define RPC_MAX_INPUT		(2 * 65536)	/* bytes of partial PDUs */

/* 8a885d04-1ceb-11c9-9fe8-08002b104860 version 2.0 */
const struct rpc_syntax ndr20_syntax = {
	.uuid = { 0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11,
		  0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60 },
	.major = 2,
};

/* Bind time feature negotiation: 6cb71c2c-9812-4540-<bitmask> */
static const uint8_t btfn_prefix[8] = {
	0x2c, 0x1c, 0xb7, 0x6c, 0x12, 0x98, 0x40, 0x45
};

static const struct rpc_service *const services[] = {
	&srvsvc_service,
};

struct rpc_pipe {
	uint64_t id;
	const struct rpc_service *svc;
	uint16_t contexts[RPC_MAX_CONTEXTS];	/* accepted context ids */
	unsigned int ncontexts;
	uint16_t max_xmit;		/* largest fragment we may send */
	uint32_t assoc_group;
	GByteArray *in;			/* bytes not yet cut into PDUs */
	GByteArray *stub;		/* request being reassembled */
	bool in_request;
	uint32_t call_id;
	uint16_t opnum;
	uint16_t ctx_id;
	GQueue out;			/* GByteArray * PDUs for READ */
};

struct rpc_pipes {
	GHashTable *by_id;
	uint32_t next_assoc;
};

struct pdu {
	uint8_t type;
	uint8_t flags;
	uint16_t frag_len;
	uint16_t auth_len;
	uint32_t call_id;
	const uint8_t *body;		/* after the common header */
	size_t body_len;
};

/* ---- pipe table ---- */

static void pipe_free(gpointer p)
{
	struct rpc_pipe *pipe = p;
	GByteArray *b;

	while ((b = g_queue_pop_head(&pipe->out)))
		g_byte_array_unref(b);
	g_byte_array_unref(pipe->in);
	g_byte_array_unref(pipe->stub);
	g_free(pipe);
}

struct rpc_pipes *rpc_pipes_new(void)
{
	struct rpc_pipes *pipes = g_new0(struct rpc_pipes, 1);

	pipes->by_id = g_hash_table_new_full(g_int64_hash, g_int64_equal,
					     NULL, pipe_free);
	pipes->next_assoc = 0x1000;
	return pipes;
}

void rpc_pipes_free(struct rpc_pipes *pipes)
{
	if (!pipes)
		return;
	g_hash_table_unref(pipes->by_id);
	g_free(pipes);
}

unsigned int rpc_pipes_count(const struct rpc_pipes *pipes)
{
	return g_hash_table_size(pipes->by_id);
}

/* "srvsvc", "\srvsvc" and "\PIPE\srvsvc" all name the same pipe. */
static const struct rpc_service *find_service(const char *name)
{
	unsigned int i;

	while (*name == '\\')
		name++;
	if (!g_ascii_strncasecmp(name, "PIPE\\", 5))
		name += 5;
	for (i = 0; i < G_N_ELEMENTS(services); i++)
		if (!g_ascii_strcasecmp(name, services[i]->pipe_name))
			return services[i];
	return NULL;
}

/* ---- PDU construction ---- */

static void pdu_begin(struct ndr_push *p, uint8_t type, uint8_t flags,
		      uint32_t call_id)
{
	ndr_push_init(p);
	ndr_push_u8(p, 5);		/* rpc_vers */
	ndr_push_u8(p, 0);		/* rpc_vers_minor */
	ndr_push_u8(p, type);
	ndr_push_u8(p, flags);
	ndr_push_u32(p, 0x00000010);	/* little-endian, ASCII, IEEE */
	ndr_push_u16(p, 0);		/* frag_length, set at the end */
	ndr_push_u16(p, 0);		/* auth_length */
	ndr_push_u32(p, call_id);
}

static void pdu_queue(struct rpc_pipe *pipe, struct ndr_push *p)
{
	put_le16(p->buf->data + 8, p->buf->len);
	g_queue_push_tail(&pipe->out, p->buf);
	p->buf = NULL;
}

static void queue_fault(struct rpc_pipe *pipe, uint32_t call_id,
			uint16_t ctx_id, uint32_t status)
{
	struct ndr_push p;

	pdu_begin(&p, DCERPC_FAULT, DCERPC_PFC_FIRST | DCERPC_PFC_LAST,
		  call_id);
	ndr_push_u32(&p, 0);		/* alloc_hint */
	ndr_push_u16(&p, ctx_id);
	ndr_push_u8(&p, 0);		/* cancel_count */
	ndr_push_u8(&p, 0);
	ndr_push_u32(&p, status);
	ndr_push_u32(&p, 0);
	pdu_queue(pipe, &p);
	pr_debug("rpc: pipe 0x%" PRIx64 " call %u fault 0x%08x", pipe->id,
		 call_id, status);
}

/* Split the stub into response fragments the client can receive. */
static void queue_response(struct rpc_pipe *pipe, uint32_t call_id,
			   uint16_t ctx_id, const GByteArray *stub)
{
	size_t chunk = (pipe->max_xmit - DCERPC_REQ_HDR_LEN) & ~(size_t)7;
	size_t off = 0, left = stub->len, n;
	struct ndr_push p;
	uint8_t flags;

	if (chunk < 8)
		chunk = 8;
	do {
		n = MIN(chunk, left);
		flags = (off == 0 ? DCERPC_PFC_FIRST : 0) |
			(n == left ? DCERPC_PFC_LAST : 0);
		pdu_begin(&p, DCERPC_RESPONSE, flags, call_id);
		ndr_push_u32(&p, left);		/* alloc_hint */
		ndr_push_u16(&p, ctx_id);
		ndr_push_u8(&p, 0);		/* cancel_count */
		ndr_push_u8(&p, 0);
		ndr_push_bytes(&p, stub->data + off, n);
		pdu_queue(pipe, &p);
		off += n;
		left -= n;
	} while (left);
}

/* ---- BIND and ALTER_CONTEXT ---- */

struct ctx_result {
	uint16_t result;
	uint16_t reason;
	const struct rpc_syntax *syntax;	/* NULL: all zeros */
};

static int pull_syntax(struct ndr_pull *in, struct rpc_syntax *s)
{
	return ndr_pull_bytes(in, s->uuid, 16) ||
	       ndr_pull_u16(in, &s->major) || ndr_pull_u16(in, &s->minor) ?
	       -EINVAL : 0;
}

static void push_syntax(struct ndr_push *p, const struct rpc_syntax *s)
{
	static const struct rpc_syntax zero;

	if (!s)
		s = &zero;
	ndr_push_bytes(p, s->uuid, 16);
	ndr_push_u16(p, s->major);
	ndr_push_u16(p, s->minor);
}

static bool same_syntax(const struct rpc_syntax *a,
			const struct rpc_syntax *b)
{
	return !memcmp(a->uuid, b->uuid, 16) && a->major == b->major &&
	       a->minor == b->minor;
}

static bool context_accepted(const struct rpc_pipe *pipe, uint16_t ctx_id)
{
	unsigned int i;

	for (i = 0; i < pipe->ncontexts; i++)
		if (pipe->contexts[i] == ctx_id)
			return true;
	return false;
}

/* Decide on one presentation context. */
static int judge_context(struct rpc_pipe *pipe, struct ndr_pull *in,
			 struct ctx_result *r)
{
	struct rpc_syntax abstract, ts;
	const struct rpc_syntax *want = &pipe->svc->syntax;
	bool known, btfn = false, ndr = false;
	uint16_t ctx_id;
	uint8_t n, pad;
	unsigned int i;

	if (ndr_pull_u16(in, &ctx_id) || ndr_pull_u8(in, &n) ||
	    ndr_pull_u8(in, &pad) || pull_syntax(in, &abstract))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (pull_syntax(in, &ts))
			return -EINVAL;
		if (same_syntax(&ts, &ndr20_syntax))
			ndr = true;
		else if (!memcmp(ts.uuid, btfn_prefix, sizeof(btfn_prefix)))
			btfn = true;
	}
	known = !memcmp(abstract.uuid, want->uuid, 16) &&
		abstract.major == want->major && abstract.minor <= want->minor;

	memset(r, 0, sizeof(*r));
	if (btfn) {
		/* We support none of the optional features. */
		r->result = DCERPC_NEGOTIATE_ACK;
	} else if (!known) {
		r->result = DCERPC_PROVIDER_REJECT;
		r->reason = DCERPC_REASON_ABSTRACT;
	} else if (!ndr) {
		r->result = DCERPC_PROVIDER_REJECT;
		r->reason = DCERPC_REASON_TRANSFER;
	} else if (context_accepted(pipe, ctx_id)) {
		r->syntax = &ndr20_syntax;
	} else if (pipe->ncontexts == RPC_MAX_CONTEXTS) {
		/* Never accept a context we could not find again. */
		r->result = DCERPC_PROVIDER_REJECT;
		r->reason = DCERPC_REASON_LOCAL_LIMIT;
	} else {
		r->syntax = &ndr20_syntax;
		pipe->contexts[pipe->ncontexts++] = ctx_id;
	}
	return 0;
}

static void queue_bind_nak(struct rpc_pipe *pipe, uint32_t call_id,
			   uint16_t reason)
{
	struct ndr_push p;

	pdu_begin(&p, DCERPC_BIND_NAK, DCERPC_PFC_FIRST | DCERPC_PFC_LAST,
		  call_id);
	ndr_push_u16(&p, reason);
	ndr_push_u8(&p, 1);		/* one supported protocol version: */
	ndr_push_u8(&p, 5);		/* 5 */
	ndr_push_u8(&p, 0);		/* .0 */
	pdu_queue(pipe, &p);
}

static int handle_bind(struct rpc_pipes *pipes, struct rpc_pipe *pipe,
		       const struct pdu *pdu)
{
	bool alter = pdu->type == DCERPC_ALTER;
	struct ctx_result results[RPC_MAX_CONTEXTS];
	uint16_t max_xmit, max_recv;
	uint8_t n, pad8;
	uint16_t pad16;
	uint32_t assoc;
	struct ndr_pull in;
	struct ndr_push p;
	char *addr;
	unsigned int i;

	if (pdu->auth_len) {
		/* Authenticated pipes (signing, sealing) are not offered. */
		if (!alter)
			queue_bind_nak(pipe, pdu->call_id, 8);
		else
			queue_fault(pipe, pdu->call_id, 0,
				    DCERPC_FAULT_PROTO_ERROR);
		return 0;
	}
	ndr_pull_init(&in, pdu->body, pdu->body_len);
	if (ndr_pull_u16(&in, &max_xmit) || ndr_pull_u16(&in, &max_recv) ||
	    ndr_pull_u32(&in, &assoc) || ndr_pull_u8(&in, &n) ||
	    ndr_pull_u8(&in, &pad8) || ndr_pull_u16(&in, &pad16) ||
	    n == 0 || n > RPC_MAX_CONTEXTS)
		return -EINVAL;
	if (!alter)
		pipe->ncontexts = 0;
	for (i = 0; i < n; i++)
		if (judge_context(pipe, &in, &results[i]))
			return -EINVAL;

	if (!alter) {
		pipe->max_xmit = MAX(MIN(max_recv, DCERPC_MAX_FRAG),
				     DCERPC_REQ_HDR_LEN + 8);
		pipe->assoc_group = assoc ? assoc : pipes->next_assoc++;
	}

	pdu_begin(&p, alter ? DCERPC_ALTER_RESP : DCERPC_BIND_ACK,
		  DCERPC_PFC_FIRST | DCERPC_PFC_LAST, pdu->call_id);
	ndr_push_u16(&p, pipe->max_xmit);
	ndr_push_u16(&p, MIN(max_xmit, DCERPC_MAX_FRAG));
	ndr_push_u32(&p, pipe->assoc_group);
	if (alter) {
		ndr_push_u16(&p, 0);		/* no secondary address */
	} else {
		addr = g_strdup_printf("\\PIPE\\%s", pipe->svc->pipe_name);
		ndr_push_u16(&p, strlen(addr) + 1);
		ndr_push_bytes(&p, addr, strlen(addr) + 1);
		g_free(addr);
	}
	ndr_push_align(&p, 4);
	ndr_push_u8(&p, n);
	ndr_push_u8(&p, 0);
	ndr_push_u16(&p, 0);
	for (i = 0; i < n; i++) {
		ndr_push_u16(&p, results[i].result);
		ndr_push_u16(&p, results[i].reason);
		push_syntax(&p, results[i].syntax);
	}
	pdu_queue(pipe, &p);
	pr_debug("rpc: pipe 0x%" PRIx64 " %s: %u of %u contexts accepted",
		 pipe->id, alter ? "alter context" : "bind", pipe->ncontexts,
		 n);
	return 0;
}

/* ---- REQUEST ---- */

static void run_call(struct rpc_pipe *pipe, const struct rpc_env *env)
{
	struct ndr_push out;
	uint32_t fault;

	if (!context_accepted(pipe, pipe->ctx_id)) {
		queue_fault(pipe, pipe->call_id, pipe->ctx_id,
			    DCERPC_FAULT_UNK_IF);
		return;
	}
	ndr_push_init(&out);
	fault = pipe->svc->call(env, pipe->opnum, pipe->stub->data,
				pipe->stub->len, &out);
	if (fault)
		queue_fault(pipe, pipe->call_id, pipe->ctx_id, fault);
	else
		queue_response(pipe, pipe->call_id, pipe->ctx_id, out.buf);
	ndr_push_free(&out);
}

static int handle_request(struct rpc_pipe *pipe, const struct rpc_env *env,
			  const struct pdu *pdu)
{
	size_t skip = 8, trailer = 0;
	uint32_t alloc_hint;
	uint16_t ctx_id, opnum;
	struct ndr_pull in;

	ndr_pull_init(&in, pdu->body, pdu->body_len);
	if (ndr_pull_u32(&in, &alloc_hint) || ndr_pull_u16(&in, &ctx_id) ||
	    ndr_pull_u16(&in, &opnum))
		return -EINVAL;
	if (pdu->flags & DCERPC_PFC_OBJECT_UUID)
		skip += 16;
	if (pdu->auth_len)
		trailer = 8 + pdu->auth_len;
	if (pdu->auth_len || pdu->body_len < skip + trailer) {
		queue_fault(pipe, pdu->call_id, ctx_id,
			    DCERPC_FAULT_PROTO_ERROR);
		return 0;
	}

	if (pdu->flags & DCERPC_PFC_FIRST) {
		g_byte_array_set_size(pipe->stub, 0);
		pipe->in_request = true;
		pipe->call_id = pdu->call_id;
		pipe->opnum = opnum;
		pipe->ctx_id = ctx_id;
	} else if (!pipe->in_request || pipe->call_id != pdu->call_id) {
		pipe->in_request = false;
		queue_fault(pipe, pdu->call_id, ctx_id,
			    DCERPC_FAULT_PROTO_ERROR);
		return 0;
	}
	if (pipe->stub->len + pdu->body_len - skip > RPC_MAX_REQUEST) {
		pipe->in_request = false;
		queue_fault(pipe, pdu->call_id, ctx_id,
			    DCERPC_FAULT_PROTO_ERROR);
		return 0;
	}
	g_byte_array_append(pipe->stub, pdu->body + skip,
			    pdu->body_len - skip);
	if (pdu->flags & DCERPC_PFC_LAST) {
		pipe->in_request = false;
		run_call(pipe, env);
	}
	return 0;
}

/* ---- input ---- */

static int handle_pdu(struct rpc_pipes *pipes, struct rpc_pipe *pipe,
		      const struct rpc_env *env, const struct pdu *pdu)
{
	switch (pdu->type) {
	case DCERPC_BIND:
	case DCERPC_ALTER:
		return handle_bind(pipes, pipe, pdu);
	case DCERPC_REQUEST:
		return handle_request(pipe, env, pdu);
	case DCERPC_AUTH3:
	case DCERPC_CO_CANCEL:
	case DCERPC_ORPHANED:
		/* Nothing to answer; calls run to completion at once. */
		return 0;
	default:
		pr_debug("rpc: pipe 0x%" PRIx64 ": unexpected PDU type %u",
			 pipe->id, pdu->type);
		return -EINVAL;
	}
}

/* Cut the input into PDUs and handle each complete one. */
static int pipe_input(struct rpc_pipes *pipes, struct rpc_pipe *pipe,
		      const struct rpc_env *env, const uint8_t *data,
		      size_t len)
{
	const uint8_t *h;
	struct pdu pdu;
	int ret = 0;

	if (pipe->in->len + len > RPC_MAX_INPUT)
		return -EINVAL;
	g_byte_array_append(pipe->in, data, len);

	while (!ret && pipe->in->len >= DCERPC_HDR_LEN) {
		/* A client that writes and never reads gets no more. */
		if (g_queue_get_length(&pipe->out) >= RPC_MAX_QUEUED)
			return -ENOSPC;
		h = pipe->in->data;
		pdu.frag_len = get_le16(h + 8);
		if (h[0] != 5 || h[1] != 0 || (h[4] & 0xf0) != 0x10 ||
		    pdu.frag_len < DCERPC_HDR_LEN)
			return -EINVAL;	/* not DCE/RPC 5.0 little-endian */
		if (pipe->in->len < pdu.frag_len)
			break;
		pdu.type = h[2];
		pdu.flags = h[3];
		pdu.auth_len = get_le16(h + 10);
		pdu.call_id = get_le32(h + 12);
		pdu.body = h + DCERPC_HDR_LEN;
		pdu.body_len = pdu.frag_len - DCERPC_HDR_LEN;
		ret = handle_pdu(pipes, pipe, env, &pdu);
		g_byte_array_remove_range(pipe->in, 0, pdu.frag_len);
	}
	return ret;
}

/* ---- the kernel's operations ---- */

static uint32_t pipe_open(struct rpc_pipes *pipes,
			  const struct rpc_request *q)
{
	const struct rpc_service *svc;
	struct rpc_pipe *pipe;

	svc = q->pipe_name ? find_service(q->pipe_name) : NULL;
	if (!svc) {
		pr_info("rpc: pipe '%s' is not implemented",
			q->pipe_name ? q->pipe_name : "(no name)");
		return SMB_SERVER_ST_NO_SUCH_PIPE;
	}
	/* The kernel knows best: a reused id means the old pipe is gone. */
	if (g_hash_table_remove(pipes->by_id, &q->pipe_id))
		pr_debug("rpc: pipe id 0x%" PRIx64 " reopened", q->pipe_id);
	if (g_hash_table_size(pipes->by_id) >= RPC_MAX_PIPES) {
		pr_err("rpc: too many open pipes");
		return SMB_SERVER_ST_INTERNAL;
	}
	pipe = g_new0(struct rpc_pipe, 1);
	pipe->id = q->pipe_id;
	pipe->svc = svc;
	pipe->max_xmit = DCERPC_MAX_FRAG;
	pipe->in = g_byte_array_new();
	pipe->stub = g_byte_array_new();
	g_queue_init(&pipe->out);
	g_hash_table_insert(pipes->by_id, &pipe->id, pipe);
	pr_debug("rpc: opened %s as 0x%" PRIx64 " for '%s'", svc->pipe_name,
		 pipe->id, q->account ? q->account : "?");
	return SMB_SERVER_ST_OK;
}

/* Move the next queued PDU, if any, to *out. */
static void pipe_read(struct rpc_pipe *pipe, GByteArray **out)
{
	*out = g_queue_pop_head(&pipe->out);
}

uint32_t rpc_pipe_request(struct rpc_pipes *pipes, const struct rpc_env *env,
			  const struct rpc_request *q, GByteArray **out)
{
	struct rpc_pipe *pipe;

	*out = NULL;
	if (q->op == SMB_SERVER_RPC_OPEN)
		return pipe_open(pipes, q);

	pipe = g_hash_table_lookup(pipes->by_id, &q->pipe_id);
	if (!pipe) {
		pr_debug("rpc: no open pipe 0x%" PRIx64, q->pipe_id);
		return SMB_SERVER_ST_NO_SUCH_PIPE;
	}

	switch (q->op) {
	case SMB_SERVER_RPC_CLOSE:
		g_hash_table_remove(pipes->by_id, &q->pipe_id);
		return SMB_SERVER_ST_OK;
	case SMB_SERVER_RPC_READ:
		pipe_read(pipe, out);
		return SMB_SERVER_ST_OK;
	case SMB_SERVER_RPC_WRITE:
	case SMB_SERVER_RPC_TRANSACT:
		if (pipe_input(pipes, pipe, env, q->data, q->len)) {
			pr_info("rpc: pipe 0x%" PRIx64 ": malformed DCE/RPC data, input dropped",
				pipe->id);
			g_byte_array_set_size(pipe->in, 0);
			pipe->in_request = false;
			return SMB_SERVER_ST_INVALID;
		}
		if (q->op == SMB_SERVER_RPC_TRANSACT)
			pipe_read(pipe, out);
		return SMB_SERVER_ST_OK;
	default:
		pr_err("rpc: unknown pipe operation %u", q->op);
		return SMB_SERVER_ST_INVALID;
	}
}
