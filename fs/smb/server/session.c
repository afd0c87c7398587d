// SPDX-License-Identifier: GPL-2.0-only
/*
 * Session objects: creation, publication, look-up and unpublication.
 *
 * A connection's xarray owns one reference to each of its sessions; look-ups
 * and walks take theirs under its lock. The server-wide table by id
 * (smbs_session_find()) holds none. Ending a session (teardown.c)
 * unpublishes it first, so a concurrent look-up either gets a live
 * reference or nothing, and only the one who unpublished it goes on to
 * close its files and trees (the rules are in session.h, beside struct
 * smbs_session).
 */
#include "server.h"

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/slab.h>
#include "auth.h"
#include "brlock.h"
#include "connection.h"
#include "crypt.h"
#include "session.h"

static atomic64_t smbs_next_session_id = ATOMIC64_INIT(0);

/*
 * Every published session by id, the connection's or not (MS-SMB2's
 * GlobalSessionTable). It holds no reference: a session leaves it when it
 * is freed, and a look-up takes a reference only if the count is not yet
 * zero, under the table's lock, which the removal takes as well.
 */
static DEFINE_XARRAY(smbs_sessions);

/**
 * smbs_user_free - free a user description
 * @user: the user, may be NULL
 */
void smbs_user_free(struct smbs_user *user)
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
 * sessions" (smbs_cfg.max_sessions): each holds keys, a user and tables,
 * and a client could otherwise open 64 on each of its connections.
 */
static atomic_t smbs_nr_sessions = ATOMIC_INIT(0);

static bool smbs_session_count(void)
{
	u32 max = READ_ONCE(smbs_cfg.max_sessions);

	if (atomic_inc_return(&smbs_nr_sessions) <= max || !max)
		return true;
	atomic_dec(&smbs_nr_sessions);
	return false;
}

static void smbs_session_release(struct kref *ref)
{
	struct smbs_session *sess = container_of(ref, struct smbs_session,
						 ref);

	/*
	 * Neither an open nor a tree can be added once teardown closed the
	 * tables (smbs_session_may_add()): nothing is left in them.
	 */
	WARN_ON_ONCE(!xa_empty(&sess->files));
	WARN_ON_ONCE(!xa_empty(&sess->trees));
	xa_destroy(&sess->trees);
	xa_destroy(&sess->files);
	smbs_user_free(sess->user);
	kfree(sess->auth);
	kfree(sess->spnego_mechs);
	smbs_sign_free(sess);
	smbs_crypt_free(sess);
	memzero_explicit(sess->session_key, sizeof(sess->session_key));
	memzero_explicit(sess->signing_key, sizeof(sess->signing_key));
	memzero_explicit(sess->enc_key, sizeof(sess->enc_key));
	memzero_explicit(sess->dec_key, sizeof(sess->dec_key));
	if (sess->global)
		xa_erase(&smbs_sessions, sess->id);
	if (sess->conn)
		smbs_conn_put(sess->conn);
	if (sess->counted)
		atomic_dec(&smbs_nr_sessions);
	/* Opens still holding locks keep the budget until they end. */
	smbs_brl_budget_put(sess->locks);
	kfree(sess);
}

void smbs_session_put(struct smbs_session *sess)
{
	kref_put(&sess->ref, smbs_session_release);
}

struct smbs_session *smbs_session_alloc(const u8 *preauth_hash)
{
	struct smbs_session *sess;

	sess = kzalloc(sizeof(*sess), GFP_KERNEL);
	if (!sess)
		return NULL;
	sess->locks = smbs_brl_budget_new(SMBS_SESS_MAX_LOCKS);
	if (!sess->locks) {
		kfree(sess);
		return NULL;
	}
	kref_init(&sess->ref);
	mutex_init(&sess->lock);
	xa_init_flags(&sess->trees, XA_FLAGS_ALLOC1);
	xa_init_flags(&sess->files, XA_FLAGS_ALLOC1);
	sess->state = SMBS_SESS_IN_PROGRESS;
	sess->born = jiffies;
	if (preauth_hash)
		memcpy(sess->preauth_hash, preauth_hash,
		       sizeof(sess->preauth_hash));
	/* Ids are never 0 and never reused while the module is loaded. */
	sess->id = atomic64_inc_return(&smbs_next_session_id);
	return sess;
}

/* Sessions published on @conn, stopping at the bound. */
static unsigned int smbs_conn_nr_sessions(struct smbs_conn *conn)
{
	struct smbs_session *sess;
	unsigned long id;
	unsigned int n = 0;

	lockdep_assert_held(&conn->sessions.xa_lock);
	xa_for_each(&conn->sessions, id, sess)
		if (++n >= SMBS_CONN_MAX_SESSIONS)
			break;
	return n;
}

/*
 * Publish @sess on @conn unless the connection is going away. The state is
 * read after the insertion, under the same hold of the table's lock that
 * smbs_conn_teardown() takes after the connection stopped being alive:
 * either the walk finds the session or the insertion is undone.
 */
static int smbs_session_publish(struct smbs_conn *conn,
				struct smbs_session *sess)
{
	int err;

	xa_lock(&conn->sessions);
	if (smbs_conn_nr_sessions(conn) >= SMBS_CONN_MAX_SESSIONS)
		err = -EMFILE;
	else
		err = __xa_insert(&conn->sessions, sess->id, sess, GFP_KERNEL);
	if (!err && !smbs_conn_alive(conn)) {
		__xa_erase(&conn->sessions, sess->id);
		err = -ESHUTDOWN;
	}
	xa_unlock(&conn->sessions);
	return err;
}

/**
 * smbs_session_find_stale - a session of @conn stuck IN_PROGRESS
 * @conn: the connection
 *
 * Return: a referenced stale session (smbs_session_stale()), or NULL.
 */
struct smbs_session *smbs_session_find_stale(struct smbs_conn *conn)
{
	struct smbs_session *sess, *found = NULL;
	unsigned long id;

	xa_lock(&conn->sessions);
	xa_for_each(&conn->sessions, id, sess) {
		if (smbs_session_stale(sess) && kref_get_unless_zero(&sess->ref)) {
			found = sess;
			break;
		}
	}
	xa_unlock(&conn->sessions);
	return found;
}

/**
 * smbs_session_conn_full - has @conn as many sessions as it may have?
 * @conn: the connection
 *
 * Return: true at SMBS_CONN_MAX_SESSIONS sessions, in any state.
 */
bool smbs_session_conn_full(struct smbs_conn *conn)
{
	unsigned int n;

	xa_lock(&conn->sessions);
	n = smbs_conn_nr_sessions(conn);
	xa_unlock(&conn->sessions);
	return n >= SMBS_CONN_MAX_SESSIONS;
}

struct smbs_session *smbs_session_new(struct smbs_conn *conn)
{
	struct smbs_session *sess;
	int err;

	if (!smbs_session_count()) {
		pr_warn_ratelimited("%s: max active sessions reached\n",
				    conn->peer);
		return ERR_PTR(-EMFILE);
	}
	sess = smbs_session_alloc(conn->preauth_hash);	/* the table's */
	if (!sess) {
		atomic_dec(&smbs_nr_sessions);
		return ERR_PTR(-ENOMEM);
	}
	sess->counted = true;
	sess->conn = smbs_conn_get(conn);
	/* Ids are unique: only memory can fail. */
	if (xa_insert(&smbs_sessions, sess->id, sess, GFP_KERNEL)) {
		smbs_session_put(sess);
		return ERR_PTR(-ENOMEM);
	}
	sess->global = true;
	kref_get(&sess->ref);		/* the caller's */
	err = smbs_session_publish(conn, sess);
	if (err) {
		smbs_session_put(sess);
		smbs_session_put(sess);
		return ERR_PTR(err);
	}
	return sess;
}

struct smbs_session *smbs_session_lookup(struct smbs_conn *conn, u64 id)
{
	struct smbs_session *sess;

	xa_lock(&conn->sessions);
	sess = xa_load(&conn->sessions, id);
	if (sess && !kref_get_unless_zero(&sess->ref))
		sess = NULL;
	xa_unlock(&conn->sessions);
	return sess;
}

struct smbs_session *smbs_session_find(u64 id)
{
	struct smbs_session *sess;

	xa_lock(&smbs_sessions);
	sess = xa_load(&smbs_sessions, id);
	if (sess && !kref_get_unless_zero(&sess->ref))
		sess = NULL;
	xa_unlock(&smbs_sessions);
	return sess;
}

/**
 * smbs_session_close_table - stop additions to one of a session's tables
 * @sess: the session, being torn down
 * @xa: &sess->files or &sess->trees
 *
 * From here on smbs_session_may_add() refuses every addition to @xa.
 */
void smbs_session_close_table(struct smbs_session *sess, struct xarray *xa)
{
	xa_lock(xa);
	if (xa == &sess->trees)
		sess->trees_closed = true;
	else
		sess->files_closed = true;
	xa_unlock(xa);
}

/**
 * smbs_session_expire - mark a session EXPIRED
 * @sess: the session
 *
 * Requests that still hold it see it is no longer VALID.
 *
 * Context: may sleep: takes &@sess->lock, which orders it with a
 * SESSION_SETUP round.
 */
void smbs_session_expire(struct smbs_session *sess)
{
	mutex_lock(&sess->lock);
	WRITE_ONCE(sess->state, SMBS_SESS_EXPIRED);
	mutex_unlock(&sess->lock);
}

/**
 * smbs_session_unpublish - take a session out of its connection's table
 * @conn: the connection
 * @sess: the session; NULL for whichever session comes first
 *
 * Only one caller gets a given session: the one who ends it.
 *
 * Return: the session with the table's reference, now the caller's, or
 * NULL when it was not (or no longer) in the table.
 */
struct smbs_session *smbs_session_unpublish(struct smbs_conn *conn,
					    struct smbs_session *sess)
{
	unsigned long id = 0;

	if (sess)
		return xa_erase(&conn->sessions, sess->id);
	xa_lock(&conn->sessions);
	sess = xa_find(&conn->sessions, &id, ULONG_MAX, XA_PRESENT);
	if (sess)
		__xa_erase(&conn->sessions, id);
	xa_unlock(&conn->sessions);
	return sess;
}
