/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Requests that wait: AsyncId, interim responses, wake-ups and CANCEL
 * (MS-SMB2 3.3.4.2, 3.3.5.16).
 */
#ifndef _SMBS_ASYNC_H
#define _SMBS_ASYNC_H

#include <linux/types.h>

struct smb2_hdr;
struct smbs_conn;
struct smbs_work;

/* Requests of one connection that may wait at once. */
#define SMBS_MAX_ASYNC		256

/**
 * typedef smbs_resume_fn - go on with a waiting request
 * @w: the work, woken by smbs_work_wake()
 *
 * Runs on smbs_wq each time the request is woken, and once more after a
 * cancellation (smbs_work_cancelled() then says with what status). It
 * detaches the request from whatever it waits on before returning a
 * final status; STATUS_PENDING means it waits on.
 *
 * Return: the request's final NT status, or STATUS_PENDING.
 */
typedef __le32 (*smbs_resume_fn)(struct smbs_work *w);

/**
 * smbs_work_pend - let the current request wait without holding a worker
 * @w: the work, in its handler
 * @resume: what to run when the request is woken
 *
 * The first time, gives the request an AsyncId and sends its interim
 * response (STATUS_PENDING, granting its credits) together with the
 * responses of the compound's earlier requests. Afterwards the handler
 * arms whatever wakes the request (which calls smbs_work_wake()) and
 * returns STATUS_PENDING; the rest of the compound goes on after the
 * request's final response. Called again while waiting, only @resume
 * changes.
 *
 * Return: 0; -EBUSY when the connection has SMBS_MAX_ASYNC requests
 * waiting or the request cannot wait here (answer
 * STATUS_INSUFFICIENT_RESOURCES), -ESHUTDOWN when the connection goes,
 * -ENOMEM.
 */
int smbs_work_pend(struct smbs_work *w, smbs_resume_fn resume);

/**
 * smbs_work_wake - run a waiting request's resume function soon
 * @w: the work; the caller makes sure it is still waiting (it holds the
 *     lock of the list the request waits on)
 *
 * Context: any, including atomic.
 */
void smbs_work_wake(struct smbs_work *w);

/**
 * smbs_work_cancel - end a waiting request with @status
 * @w: the work, still waiting (as for smbs_work_wake())
 * @status: the final status it gets (STATUS_CANCELLED, ...)
 *
 * The first cancellation wins; later ones change nothing.
 *
 * Context: any, including atomic.
 */
void smbs_work_cancel(struct smbs_work *w, __le32 status);

/* The status a cancellation asked for, or 0. */
__le32 smbs_work_cancelled(struct smbs_work *w);

/**
 * smbs_async_done - the request stopped waiting
 * @w: the work, whose resume function has detached it
 *
 * Removes the AsyncId (a CANCEL no longer finds the request) and drops
 * a wake-up still queued, so nothing can reach @w through its waiting
 * any more.
 */
void smbs_async_done(struct smbs_work *w);

/**
 * smbs_cancel - handle a CANCEL request
 * @conn: the connection it came on
 * @req: its header
 *
 * Cancels the request named by AsyncId (async header) or by MessageId
 * within the same session. A CANCEL gets no response.
 */
void smbs_cancel(struct smbs_conn *conn, const struct smb2_hdr *req);

/**
 * smbs_async_cancel_all - end every waiting request of a connection
 * @conn: the connection, being torn down
 *
 * No request of @conn may wait from now on.
 */
void smbs_async_cancel_all(struct smbs_conn *conn);

#endif /* _SMBS_ASYNC_H */
