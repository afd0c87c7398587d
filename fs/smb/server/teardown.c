// SPDX-License-Identifier: GPL-2.0-only
/*
 * Teardown: how trees, sessions and connections end, written once.
 *
 * It runs in one direction only, from the bigger object to the smaller:
 *
 *   connection  no new work, nothing more sent, waiting requests ended,
 *     |         work in flight waited for, then its sessions
 *   session     unpublished and EXPIRED, its tables closed to additions,
 *     |         its opens closed, then its trees, then the daemon told
 *   tree        unpublished and marked gone, its opens closed, then the
 *     |         daemon told
 *   open        unpublished, its waiters ended, then the last reference
 *               closes the file (file.c)
 *
 * Each object is ended by whoever takes it out of its table (the
 * *_unpublish() calls), so each is ended exactly once, whatever races:
 * LOGOFF, TREE_DISCONNECT, a failed SESSION_SETUP, the expiry of stale
 * sessions, a dropped socket, the daemon's STOP or the module's unload.
 * The objects' own files (connection.c, session.c, tree.c, file.c) know
 * only their own tables; what one object's end does to the smaller ones
 * is here.
 */
#include "server.h"

#include <linux/sched.h>
#include "async.h"
#include "connection.h"
#include "file.h"
#include "ipc.h"
#include "session.h"
#include "teardown.h"
#include "tree.h"
#include "trace.h"

/* End @tree, which the caller took out of @sess's table (and its ref). */
static void smbs_tree_teardown(struct smbs_session *sess,
			       struct smbs_tree *tree)
{
	trace_smbs_tree_disconnect(sess, tree);
	smbs_file_close_tree(sess, tree);
	smbs_ipc_tree_disconnect(sess->id, tree->id);
	smbs_tree_put(tree);
}

/**
 * smbs_tree_destroy - disconnect a tree (TREE_DISCONNECT)
 * @sess: the session
 * @tree: the tree; the caller's reference stays valid
 *
 * Does nothing if someone else took the tree out first.
 */
void smbs_tree_destroy(struct smbs_session *sess, struct smbs_tree *tree)
{
	tree = smbs_tree_unpublish(sess, tree);
	if (tree)
		smbs_tree_teardown(sess, tree);
}

/**
 * smbs_session_close_objects - close a session's opens, then its trees
 * @sess: the session being torn down
 *
 * Each table is closed to additions before it is emptied, so an open or a
 * tree that is being created at the same time is refused rather than
 * left behind (smbs_session_may_add()).
 */
void smbs_session_close_objects(struct smbs_session *sess)
{
	struct smbs_tree *tree;

	smbs_session_close_table(sess, &sess->files);
	smbs_file_close_all(sess);
	smbs_session_close_table(sess, &sess->trees);
	while ((tree = smbs_tree_unpublish(sess, NULL))) {
		smbs_tree_teardown(sess, tree);
		cond_resched();
	}
}

/* End @sess, which the caller took out of its connection's table. */
static void smbs_session_teardown(struct smbs_session *sess)
{
	smbs_session_expire(sess);
	trace_smbs_session_end(sess);
	smbs_session_close_objects(sess);
	if (sess->user)
		smbs_ipc_logout(sess->user->name, sess->id);
	smbs_session_put(sess);
}

/**
 * smbs_session_destroy - log a session off
 * @conn: the connection it is published on
 * @sess: the session; the caller's reference stays valid
 *
 * Marks it EXPIRED, and, unless someone else took it out first,
 * unpublishes it and closes its opens and trees. Safe to call twice.
 */
void smbs_session_destroy(struct smbs_conn *conn, struct smbs_session *sess)
{
	struct smbs_session *owned = smbs_session_unpublish(conn, sess);

	if (owned)
		smbs_session_teardown(owned);
	else
		smbs_session_expire(sess);
}

/**
 * smbs_session_end_previous - log off the session a client reconnects from
 * @sess: the session that has just become VALID
 * @prev: the PreviousSessionId of its SESSION_SETUP, 0 if none
 *
 * A client that lost its connection names the session it had there; if
 * that session belongs to the same user, it ends, with its opens and
 * trees, instead of holding them until its connection times out
 * (MS-SMB2 3.3.5.5.3). A session of another user, or one not VALID, stays.
 */
void smbs_session_end_previous(struct smbs_session *sess, u64 prev)
{
	struct smbs_session *old;

	if (!prev || prev == sess->id)
		return;
	old = smbs_session_find(prev);
	if (!old)
		return;
	/* VALID before its user is read: see smbs_session_valid(). */
	if (smbs_session_valid(old) && old->conn && !old->is_guest &&
	    !sess->is_guest && uid_eq(old->user->uid, sess->user->uid)) {
		smbs_dbg(AUTH, "%s: session %llu replaces session %llu\n",
			 sess->conn->peer, sess->id, old->id);
		smbs_session_destroy(old->conn, old);
	}
	smbs_session_put(old);
}

/**
 * smbs_session_reap - end the stale sessions of a full connection
 * @conn: the connection, about to get a new session
 *
 * At SMBS_CONN_MAX_SESSIONS sessions, those stuck IN_PROGRESS
 * (smbs_session_stale()) make room; VALID ones are never taken.
 */
void smbs_session_reap(struct smbs_conn *conn)
{
	struct smbs_session *sess;

	if (!smbs_session_conn_full(conn))
		return;
	while ((sess = smbs_session_find_stale(conn))) {
		smbs_dbg(AUTH, "%s: session %llu expired unauthenticated\n",
			 conn->peer, sess->id);
		smbs_session_destroy(conn, sess);
		smbs_session_put(sess);
	}
}

/**
 * smbs_conn_teardown - end a connection and everything on it
 * @conn: the connection; its receive thread calls this once, at its end
 *
 * Context: the connection's receive thread, which then drops its
 * reference. Sleeps until the connection's work in flight is done.
 */
void smbs_conn_teardown(struct smbs_conn *conn)
{
	struct smbs_session *sess;

	smbs_conn_set_exiting(conn);
	conn->ops->shutdown(conn);
	smbs_tx_close(conn);
	smbs_async_cancel_all(conn);
	wait_event(conn->inflight_wq, !atomic_read(&conn->inflight));
	/*
	 * No session can be added once the connection is not alive
	 * (smbs_session_new()), so the table ends empty.
	 */
	while ((sess = smbs_session_unpublish(conn, NULL))) {
		smbs_session_teardown(sess);
		cond_resched();
	}
	smbs_conn_unlist(conn);
	smbs_dbg(CONN, "%s: disconnected\n", conn->peer);
	trace_smbs_conn_close(conn);
	conn->ops->release(conn);
	conn->tp = NULL;
}
