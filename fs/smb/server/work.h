/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One received message (possibly a compound) on its way through the
 * dispatcher, and the response being built for it.
 */
#ifndef _SMBS_WORK_H
#define _SMBS_WORK_H

#include <linux/types.h>
#include <linux/uio.h>
#include <linux/workqueue.h>
#include "pdu.h"

struct bio_vec;
struct smbs_conn;
struct smbs_session;
struct smbs_tree;

#define SMBS_RSP_MAX_ELEMS	32	/* longest compound we answer */

/**
 * struct smbs_rsp_elem - one response of a compound
 * @buf: its SMB2 header, fixed part and variable data, kvmalloc'ed when
 *	 the request has passed every check before its handler
 * @len: bytes used in @buf
 * @size: bytes allocated: the request's own budget, which no other
 *	  element of the compound can use
 * @sign_sess: the session whose key signs this response just before it
 *	       is sent, referenced; NULL for an unsigned response
 * @enc_sess: the session whose key encrypts the message this response
 *	      goes in, referenced, when its request was not encrypted but
 *	      the session or tree wants encryption (MS-SMB2 3.3.4.1.4);
 *	      NULL otherwise
 * @payload: optional data sent after @buf (a READ's data)
 * @payload_len: its length
 * @payload_free: releases @payload after sending, may be NULL
 * @pages: instead of @payload, referenced pages (page cache data sent
 *	   without a copy); @payload_len counts their bytes
 * @npages: entries in @pages
 * @pad: zero bytes after the payload up to the next 8-byte boundary
 * @credits: credits this response grants
 */
struct smbs_rsp_elem {
	u8 *buf;
	u32 len;
	u32 size;
	struct smbs_session *sign_sess;
	struct smbs_session *enc_sess;
	void *payload;
	u32 payload_len;
	void (*payload_free)(void *payload);
	struct bio_vec *pages;
	unsigned int npages;
	u32 pad;
	u16 credits;
};

/**
 * struct smbs_elem - one request of a message and its response
 * @off: offset of the request's SMB2 header in the message
 * @len: its length (to the next request or the end of the message)
 * @parsed: what the PDU reader said of it (STATUS_SUCCESS: @pdu is valid)
 * @pdu: the checked view of the request, made once before any handler
 * @rsp: the response
 */
struct smbs_elem {
	u32 off;
	u32 len;
	__le32 parsed;
	struct smbs_pdu pdu;
	struct smbs_rsp_elem rsp;
};

/**
 * struct smbs_work - a request message and its response
 * @work: runs smbs_dispatch() on smbs_wq
 * @conn: the connection, referenced
 * @msg: the received message (after the 4-byte framing), owned; for an
 *	 encrypted one, the decrypted SMB2 message in it
 * @msg_len: its length
 * @msg_skip: bytes of the received message before @msg (the transform
 *	      header of an encrypted one)
 * @crypt_sess: the session whose key the message was encrypted with,
 *		referenced, or NULL: its responses are encrypted with it
 * @tail: bytes of the message still in the socket: the data of a large
 *	  WRITE, received by its handler (smbs_work_recv_file()) or
 *	  discarded once the request is done
 * @elems: the message's requests and their responses, @count of them
 * @count: number of requests in the message
 * @nelems: responses started so far (a CANCEL gets none)
 * @sent: responses of requests before this index were sent already (an
 *	  interim response took them along)
 * @el: the current request
 * @pdu: copy of the current request's checked view (@elems[i].pdu)
 * @sess: session of the current request, referenced, or NULL
 * @tree: tree connect of the current request, referenced, or NULL
 * @cur: the response of the current request
 * @has_body: the handler wrote a response body (else an error body is made)
 * @cmp_fid: file id produced by an earlier request of a related compound
 * @cmp_status: what a related request using a FileId inherits: the
 *	        status of the chain's last CREATE, or of an invalid head
 * @credits_charge: credits the current request consumed
 * @charge_held: credits of this message's requests counted in
 *		 &smbs_conn.inflight_charge until the work is freed
 * @req_signed: the current request carried a signature
 * @sign_rsp: sign the current response even if the session does not
 *	      require signing (set by handlers, e.g. the final SESSION_SETUP)
 * @inline_run: runs in the receive thread, not on smbs_wq: it may not wait
 * @slot: was given one of its connection's run slots (dispatch.c) when it
 *	  was queued on smbs_wq; the worker takes it over
 * @run_node: in &smbs_conn.runq while it waits for a slot
 * @async_id: AsyncId of the current request while it waits, else 0
 * @resume: what runs when the waiting request is woken (async.c)
 * @wait: the handler's state of the wait
 * @cancel: __le32 status a cancellation set, 0 if none (cmpxchg)
 *
 * A work belongs to one worker at a time and needs no lock of its own;
 * while it waits, only the lists it waits on reach it, under their locks.
 */
struct smbs_work {
	struct work_struct work;
	struct smbs_conn *conn;
	u8 *msg;
	u32 msg_len;
	u32 msg_skip;
	struct smbs_session *crypt_sess;
	u32 tail;

	struct smbs_elem *elems;
	unsigned int count;
	unsigned int nelems;
	unsigned int sent;
	struct smbs_elem *el;

	struct smbs_pdu pdu;
	struct smbs_session *sess;
	struct smbs_tree *tree;
	struct smbs_rsp_elem *cur;
	bool has_body;

	u64 cmp_fid[2];		/* persistent, volatile */
	__le32 cmp_status;
	u16 credits_charge;
	u32 charge_held;
	bool req_signed;
	bool sign_rsp;
	bool inline_run;
	bool slot;
	struct list_head run_node;

	u64 async_id;
	__le32 (*resume)(struct smbs_work *w);
	void *wait;
	u32 cancel;
};

/* The request header and body of the current request. */
static inline const struct smb2_hdr *smbs_req_hdr(struct smbs_work *w)
{
	return w->pdu.hdr;
}

static inline const void *smbs_req_body(struct smbs_work *w)
{
	return w->pdu.body;
}

/* The response header of the current request. */
static inline struct smb2_hdr *smbs_rsp_hdr(struct smbs_work *w)
{
	return (struct smb2_hdr *)w->cur->buf;
}

/**
 * smbs_rsp_body - start the response structure
 * @w: the work
 * @size: sizeof the response structure *including* its SMB2 header, e.g.
 *	  sizeof(struct smb2_create_rsp) (flexible Buffer[] not counted)
 *
 * The dispatcher has already filled the SMB2 header; this zeroes the bytes
 * after it, reserves them, and marks the response as having a body, so the
 * dispatcher keeps it whatever status the handler returns. Call at most
 * once per request, before smbs_rsp_append().
 *
 * Return: the response structure (starting at its header); never NULL:
 * every response buffer holds its command's fixed part.
 */
void *smbs_rsp_body(struct smbs_work *w, u32 size);

/**
 * smbs_rsp_append - reserve variable bytes at the end of the response
 * @w: the work
 * @size: bytes wanted
 *
 * Return: zeroed space, or NULL if the response buffer cannot hold it
 * (the handler then answers STATUS_BUFFER_OVERFLOW or an error as the
 * command requires).
 */
void *smbs_rsp_append(struct smbs_work *w, u32 size);

/* Bytes still free in the response buffer. */
static inline u32 smbs_rsp_room(struct smbs_work *w)
{
	return w->cur->size - w->cur->len;
}

/* The end of the current response: where smbs_rsp_append() goes on. */
static inline const void *smbs_rsp_end(struct smbs_work *w)
{
	return w->cur->buf + w->cur->len;
}

/* Offset of @p from the response header, for Offset fields. */
static inline u32 smbs_rsp_offset(struct smbs_work *w, const void *p)
{
	return (const u8 *)p - w->cur->buf;
}

/* Trim the current response back to end at @end (inside it). */
void smbs_rsp_trim(struct smbs_work *w, const void *end);

/**
 * smbs_rsp_attach - send a payload after the current response
 * @w: the work
 * @data: the payload
 * @len: its length
 * @release: called with @data once it is sent or dropped; may be NULL
 */
void smbs_rsp_attach(struct smbs_work *w, void *data, u32 len,
		     void (*release)(void *data));

/**
 * smbs_rsp_attach_pages - send page pieces after the current response
 * @w: the work
 * @bv: the pieces, kmalloc'ed; each page carries a reference the work
 *	drops (and @bv is freed) once the response is sent
 * @n: entries in @bv
 * @len: bytes in @bv
 */
void smbs_rsp_attach_pages(struct smbs_work *w, struct bio_vec *bv,
			   unsigned int n, u32 len);

/**
 * smbs_rsp_may_splice - may the current response carry pages by reference?
 * @w: the work
 *
 * Return: false when the response will be signed (the signature is
 * computed over a linear payload); true when it will be encrypted, which
 * reads the pages straight into the message sent.
 */
bool smbs_rsp_may_splice(struct smbs_work *w);

/* Remember the file the current request used, for related compounds. */
static inline void smbs_work_set_fid(struct smbs_work *w, u64 pid, u64 vid)
{
	w->cmp_fid[0] = pid;
	w->cmp_fid[1] = vid;
}

/**
 * smbs_work_recv_file - write the request's data still in the socket
 * @w: the work, whose request has a tail (@w->pdu.tail)
 * @filp: the file
 * @pos: where; advanced past what was written
 *
 * Return: as smbs_conn_recv_file().
 */
ssize_t smbs_work_recv_file(struct smbs_work *w, struct file *filp,
			    loff_t *pos);

/**
 * smbs_work_pull_tail - receive the request's data still in the socket
 * @w: the work, whose request has a tail (@w->pdu.tail)
 *
 * For handlers that need the data in memory after all (a WRITE to a pipe).
 *
 * Return: a kvmalloc'ed buffer of @w->pdu.tail bytes, or NULL (out of
 * memory, or the connection failed).
 */
void *smbs_work_pull_tail(struct smbs_work *w);

/* ---- for the dispatcher (work.c) ------------------------------------ */

/**
 * smbs_work_new - a work for one received message
 * @conn: the connection it came on; the work takes a reference
 * @msg: the message, kvmalloc'ed; ownership passes to the work
 * @len: its length
 *
 * Return: the work, or NULL (out of memory: @msg is freed and the
 * connection is shut down).
 */
struct smbs_work *smbs_work_new(struct smbs_conn *conn, u8 *msg, u32 len);

/* Release everything the work holds, and the work. */
void smbs_work_free(struct smbs_work *w);

/**
 * smbs_work_alloc_elems - make room for the requests of a message
 * @w: the work
 * @count: how many requests the message holds, at most SMBS_RSP_MAX_ELEMS
 *
 * Return: 0 or -ENOMEM.
 */
int smbs_work_alloc_elems(struct smbs_work *w, unsigned int count);

/**
 * smbs_rsp_start - start the response to a request
 * @w: the work
 * @req: the request's SMB2 header (fields are copied into the response's)
 * @size: the response's budget, at least SMBS_RSP_ERR_SIZE: header, fixed
 *	  part and all variable data its handler may write
 *
 * The budget is allocated here, for this response alone; the handler's
 * smbs_rsp_body() and smbs_rsp_append() can never go past it. Call it
 * only once the request has passed the checks that come before its
 * handler, so that no client field sizes an allocation before then.
 *
 * Return: 0, or -ENOMEM.
 */
int smbs_rsp_start(struct smbs_work *w, const struct smb2_hdr *req, u32 size);

/**
 * smbs_rsp_finish - close the current response
 * @w: the work
 *
 * Makes an error body if the handler wrote none and decides whether the
 * response is encrypted or signed, taking a reference to the session
 * whose key does it; that is done by smbs_work_send().
 */
void smbs_rsp_finish(struct smbs_work *w);

/**
 * smbs_work_send_upto - send responses as one message
 * @w: the work
 * @end: send the responses of requests [@w->sent, @end)
 * @interim: a last response to add (an interim response), or NULL
 *
 * Chains the responses (NextCommand and padding), signs those that
 * smbs_rsp_finish() marked and encrypts the message if its request was
 * encrypted or a response asks for it, in one pass just before it is
 * queued on the connection (send.c), which owns it from then on.
 * Requests without a response (CANCEL) are skipped.
 *
 * Return: 0 (also when the connection drops the message), or -ENOMEM.
 */
int smbs_work_send_upto(struct smbs_work *w, unsigned int end,
			struct smbs_rsp_elem *interim);

/* Send every response not sent yet. */
static inline int smbs_work_send(struct smbs_work *w)
{
	return smbs_work_send_upto(w, w->count, NULL);
}

/* dispatch.c: receive thread hands a whole message over. */
void smbs_queue_message(struct smbs_conn *conn, u8 *msg, u32 len);

/**
 * smbs_run_message_tail - run a message whose last bytes are in the socket
 * @conn: the connection it came on
 * @msg: its first bytes, kvmalloc'ed; ownership passes to the dispatcher
 * @len: their length
 * @tail: bytes of the message still in the socket
 *
 * Runs in the receive thread, which must not read on until the tail has
 * been received or discarded.
 */
void smbs_run_message_tail(struct smbs_conn *conn, u8 *msg, u32 len,
			   u32 tail);

#endif /* _SMBS_WORK_H */
