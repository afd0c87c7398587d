// SPDX-License-Identifier: GPL-2.0-only
/*
 * Session objects: creation, look-up and teardown.
 *
 * A connection's xarray owns one reference to each of its sessions.
 * Destroying a session unpublishes it first, so a concurrent look-up either
 * gets a live reference or nothing, then closes its files and trees.
 */
#include "server.h"

#include <linux/atomic.h>
#include <linux/slab.h>
#include "auth.h"
#include "connection.h"
#include "file.h"
#include "ipc.h"
#include "session.h"
#include "tree.h"
#include "trace.h"

static atomic64_t smbd_next_session_id = ATOMIC64_INIT(0);

/**
 * smbd_user_free - free a user description
 * @user: the user, may be NULL
 */
void smbd_user_free(struct smbd_user *user)
{
	if (!user)
		return;
	if (user->groups)
		put_group_info(user->groups);
	kfree(user->name);
	kfree(user->domain);
	kfree(user);
}

static void smbd_session_release(struct kref *ref)
{
	struct smbd_session *sess = container_of(ref, struct smbd_session,
						 ref);

	/* An open published while the session was being destroyed. */
	smbd_file_close_all(sess);
	xa_destroy(&sess->trees);
	xa_destroy(&sess->files);
	smbd_user_free(sess->user);
	kfree(sess->auth);
	kfree(sess->spnego_mechs);
	smbd_sign_free(sess);
	memzero_explicit(sess->session_key, sizeof(sess->session_key));
	memzero_explicit(sess->signing_key, sizeof(sess->signing_key));
	memzero_explicit(sess->enc_key, sizeof(sess->enc_key));
	memzero_explicit(sess->dec_key, sizeof(sess->dec_key));
	kfree(sess);
}

void smbd_session_put(struct smbd_session *sess)
{
	kref_put(&sess->ref, smbd_session_release);
}

struct smbd_session *smbd_session_new(struct smbd_conn *conn)
{
	struct smbd_session *sess;
	int err;

	sess = kzalloc(sizeof(*sess), GFP_KERNEL);
	if (!sess)
		return NULL;
	kref_init(&sess->ref);		/* the connection's table */
	mutex_init(&sess->lock);
	xa_init_flags(&sess->trees, XA_FLAGS_ALLOC1);
	xa_init_flags(&sess->files, XA_FLAGS_ALLOC1);
	sess->state = SMBD_SESS_IN_PROGRESS;
	memcpy(sess->preauth_hash, conn->preauth_hash,
	       sizeof(sess->preauth_hash));
	/* Ids are never 0 and never reused while the module is loaded. */
	sess->id = atomic64_inc_return(&smbd_next_session_id);

	kref_get(&sess->ref);		/* the caller's */
	err = xa_insert(&conn->sessions, sess->id, sess, GFP_KERNEL);
	if (err || !smbd_conn_alive(conn)) {
		if (!err)
			xa_erase(&conn->sessions, sess->id);
		smbd_session_put(sess);
		smbd_session_put(sess);
		return NULL;
	}
	return sess;
}

struct smbd_session *smbd_session_lookup(struct smbd_conn *conn, u64 id)
{
	struct smbd_session *sess;

	xa_lock(&conn->sessions);
	sess = xa_load(&conn->sessions, id);
	if (sess && !kref_get_unless_zero(&sess->ref))
		sess = NULL;
	xa_unlock(&conn->sessions);
	return sess;
}

void smbd_session_destroy(struct smbd_conn *conn, struct smbd_session *sess)
{
	struct smbd_session *owned;

	owned = xa_erase(&conn->sessions, sess->id);
	mutex_lock(&sess->lock);
	WRITE_ONCE(sess->state, SMBD_SESS_EXPIRED);
	mutex_unlock(&sess->lock);
	if (!owned)
		return;		/* someone else is destroying it */
	trace_smbd_session_end(sess);
	smbd_file_close_all(sess);
	smbd_tree_destroy_all(sess);
	if (sess->user)
		smbd_ipc_logout(sess->user->name, sess->id);
	smbd_session_put(owned);
}

void smbd_session_destroy_all(struct smbd_conn *conn)
{
	struct smbd_session *sess;
	unsigned long id;

	xa_for_each(&conn->sessions, id, sess) {
		if (!kref_get_unless_zero(&sess->ref))
			continue;
		smbd_session_destroy(conn, sess);
		smbd_session_put(sess);
	}
}
