// SPDX-License-Identifier: GPL-2.0-only
/*
 * Session objects: creation, look-up and teardown.
 *
 * A connection's xarray owns one reference to each of its sessions; look-ups
 * and walks take theirs under its lock. Destroying a session unpublishes it
 * first, so a concurrent look-up either gets a live reference or nothing,
 * and only the one who unpublished it goes on to close its files and trees
 * (the rules are in session.h, beside struct smbd_session).
 */
#include "server.h"

#include <linux/atomic.h>
#include <linux/err.h>
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

/*
 * Sessions of all connections, in every state, against "max active
 * sessions" (smbd_cfg.max_sessions): each holds keys, a user and tables,
 * and a client could otherwise open 64 on each of its connections.
 */
static atomic_t smbd_nr_sessions = ATOMIC_INIT(0);

static bool smbd_session_count(void)
{
	u32 max = READ_ONCE(smbd_cfg.max_sessions);

	if (atomic_inc_return(&smbd_nr_sessions) <= max || !max)
		return true;
	atomic_dec(&smbd_nr_sessions);
	return false;
}

static void smbd_session_release(struct kref *ref)
{
	struct smbd_session *sess = container_of(ref, struct smbd_session,
						 ref);

	/*
	 * An open that smbd_file_publish() added after the files closed
	 * (it does not check smbd_session_may_add() yet).
	 */
	smbd_file_close_all(sess);
	/* TREE_CONNECT cannot add a tree after teardown: nothing is left. */
	WARN_ON_ONCE(!xa_empty(&sess->trees));
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
	if (sess->counted)
		atomic_dec(&smbd_nr_sessions);
	kfree(sess);
}

void smbd_session_put(struct smbd_session *sess)
{
	kref_put(&sess->ref, smbd_session_release);
}

struct smbd_session *smbd_session_alloc(const u8 *preauth_hash)
{
	struct smbd_session *sess;

	sess = kzalloc(sizeof(*sess), GFP_KERNEL);
	if (!sess)
		return NULL;
	kref_init(&sess->ref);
	mutex_init(&sess->lock);
	xa_init_flags(&sess->trees, XA_FLAGS_ALLOC1);
	xa_init_flags(&sess->files, XA_FLAGS_ALLOC1);
	sess->state = SMBD_SESS_IN_PROGRESS;
	sess->born = jiffies;
	if (preauth_hash)
		memcpy(sess->preauth_hash, preauth_hash,
		       sizeof(sess->preauth_hash));
	/* Ids are never 0 and never reused while the module is loaded. */
	sess->id = atomic64_inc_return(&smbd_next_session_id);
	return sess;
}

/*
 * Publish @sess on @conn unless the connection is going away. The state is
 * read after the insertion, under the same hold of the table's lock that
 * smbd_session_destroy_all() takes after the connection stopped being
 * alive: either the walk finds the session or the insertion is undone.
 */
/* Sessions published on @conn, stopping at the bound. */
static unsigned int smbd_conn_nr_sessions(struct smbd_conn *conn)
{
	struct smbd_session *sess;
	unsigned long id;
	unsigned int n = 0;

	lockdep_assert_held(&conn->sessions.xa_lock);
	xa_for_each(&conn->sessions, id, sess)
		if (++n >= SMBD_CONN_MAX_SESSIONS)
			break;
	return n;
}

static int smbd_session_publish(struct smbd_conn *conn,
				struct smbd_session *sess)
{
	int err;

	xa_lock(&conn->sessions);
	if (smbd_conn_nr_sessions(conn) >= SMBD_CONN_MAX_SESSIONS)
		err = -EMFILE;
	else
		err = __xa_insert(&conn->sessions, sess->id, sess, GFP_KERNEL);
	if (!err && !smbd_conn_alive(conn)) {
		__xa_erase(&conn->sessions, sess->id);
		err = -ESHUTDOWN;
	}
	xa_unlock(&conn->sessions);
	return err;
}

/* A referenced stale session of @conn, or NULL. */
static struct smbd_session *smbd_session_find_stale(struct smbd_conn *conn)
{
	struct smbd_session *sess, *found = NULL;
	unsigned long id;

	xa_lock(&conn->sessions);
	xa_for_each(&conn->sessions, id, sess) {
		if (smbd_session_stale(sess) && kref_get_unless_zero(&sess->ref)) {
			found = sess;
			break;
		}
	}
	xa_unlock(&conn->sessions);
	return found;
}

/* Destroy the sessions of @conn stuck IN_PROGRESS, if it is at its bound. */
static void smbd_session_reap(struct smbd_conn *conn)
{
	struct smbd_session *sess;
	unsigned int n;

	xa_lock(&conn->sessions);
	n = smbd_conn_nr_sessions(conn);
	xa_unlock(&conn->sessions);
	if (n < SMBD_CONN_MAX_SESSIONS)
		return;
	while ((sess = smbd_session_find_stale(conn))) {
		smbd_dbg(AUTH, "%s: session %llu expired unauthenticated\n",
			 conn->peer, sess->id);
		smbd_session_destroy(conn, sess);
		smbd_session_put(sess);
	}
}

struct smbd_session *smbd_session_new(struct smbd_conn *conn)
{
	struct smbd_session *sess;
	int err;

	smbd_session_reap(conn);
	if (!smbd_session_count()) {
		pr_warn_ratelimited("%s: max active sessions reached\n",
				    conn->peer);
		return ERR_PTR(-EMFILE);
	}
	sess = smbd_session_alloc(conn->preauth_hash);	/* the table's */
	if (!sess) {
		atomic_dec(&smbd_nr_sessions);
		return ERR_PTR(-ENOMEM);
	}
	sess->counted = true;
	kref_get(&sess->ref);		/* the caller's */
	err = smbd_session_publish(conn, sess);
	if (err) {
		smbd_session_put(sess);
		smbd_session_put(sess);
		return ERR_PTR(err);
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

/* Stop additions to one of the session's tables. */
static void smbd_session_close_table(struct xarray *xa, bool *closed)
{
	xa_lock(xa);
	*closed = true;
	xa_unlock(xa);
}

void smbd_session_close_objects(struct smbd_session *sess)
{
	smbd_session_close_table(&sess->files, &sess->files_closed);
	smbd_file_close_all(sess);
	smbd_session_close_table(&sess->trees, &sess->trees_closed);
	smbd_tree_destroy_all(sess);
}

/*
 * The second half of a destroy, for whoever took @sess out of the
 * connection's table: the table's reference is now ours to drop.
 */
static void smbd_session_teardown(struct smbd_session *sess)
{
	trace_smbd_session_end(sess);
	smbd_session_close_objects(sess);
	if (sess->user)
		smbd_ipc_logout(sess->user->name, sess->id);
	smbd_session_put(sess);
}

static void smbd_session_expire(struct smbd_session *sess)
{
	mutex_lock(&sess->lock);
	WRITE_ONCE(sess->state, SMBD_SESS_EXPIRED);
	mutex_unlock(&sess->lock);
}

void smbd_session_destroy(struct smbd_conn *conn, struct smbd_session *sess)
{
	struct smbd_session *owned;

	owned = xa_erase(&conn->sessions, sess->id);
	smbd_session_expire(sess);
	if (!owned)
		return;		/* someone else is destroying it */
	smbd_session_teardown(owned);
}

void smbd_session_destroy_all(struct smbd_conn *conn)
{
	struct smbd_session *sess;
	unsigned long id;

	for (;;) {
		id = 0;
		xa_lock(&conn->sessions);
		sess = xa_find(&conn->sessions, &id, ULONG_MAX, XA_PRESENT);
		if (sess)
			__xa_erase(&conn->sessions, id);
		xa_unlock(&conn->sessions);
		if (!sess)
			break;
		smbd_session_expire(sess);
		smbd_session_teardown(sess);
		cond_resched();
	}
}
