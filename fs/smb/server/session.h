/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Users and sessions.
 */
#ifndef _SMBS_SESSION_H
#define _SMBS_SESSION_H

#include <linux/cred.h>
#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/uidgid.h>
#include <linux/xarray.h>
#include "../common/smb2pdu.h"

struct crypto_aead;
struct smbs_brl_budget;
struct crypto_shash;
struct smbs_conn;

#define SMBS_KEY_SIZE		16
#define SMBS_ENC_KEY_SIZE	32

/*
 * What one client can make the server hold. A connection has at most
 * SMBS_CONN_MAX_SESSIONS sessions (a multiuser cifs mount has one per
 * local user); one still IN_PROGRESS after SMBS_SESS_SETUP_TIMEOUT is
 * expired (an NTLM exchange takes two round trips). A session has at most
 * SMBS_SESS_MAX_TREES tree connects and SMBS_SESS_MAX_OPENS opens; the
 * files all sessions hold are also bounded by "max open files". Its opens
 * hold at most SMBS_SESS_MAX_LOCKS byte-range locks together: a quarter of
 * the server's (brlock.c), about 20 MiB of bookkeeping and POSIX locks, six
 * and a half opens at their own bound (lock.c), and far more than
 * applications take (a database file holds a few dozen per open).
 */
#define SMBS_CONN_MAX_SESSIONS	64
#define SMBS_SESS_SETUP_TIMEOUT	(30 * HZ)
#define SMBS_SESS_MAX_TREES	1024
#define SMBS_SESS_MAX_OPENS	8192
#define SMBS_SESS_MAX_LOCKS	65536

/**
 * struct smbs_user - an authenticated user, as the daemon described it
 * @name: account name
 * @domain: domain the client named
 * @uid: Unix user
 * @gid: Unix primary group
 * @groups: supplementary groups, may be NULL
 * @flags: SMB_SERVER_USER_*
 */
struct smbs_user {
	char *name;
	char *domain;
	kuid_t uid;
	kgid_t gid;
	struct group_info *groups;
	u32 flags;
};

void smbs_user_free(struct smbs_user *user);

enum smbs_sess_state {
	SMBS_SESS_IN_PROGRESS,	/* authentication under way */
	SMBS_SESS_VALID,
	SMBS_SESS_EXPIRED,	/* logged off or torn down */
};

/**
 * struct smbs_session - an SMB2 session
 * @ref: references; the connection's table holds one
 * @id: SessionId
 * @lock: serialises SESSION_SETUP and state changes
 * @state: enum smbs_sess_state; changed under @lock, read without it
 *	   through smbs_session_valid(): VALID is published with release
 *	   ordering after @user, @sign and the keys are set
 * @user: the authenticated user, NULL until VALID
 * @auth: authentication state between SESSION_SETUP rounds (auth_ntlm.c)
 * @spnego_mechs: the client's SPNEGO MechTypeList, for the mechListMIC
 * @spnego_mechs_len: its length
 * @is_guest: logged on as guest (no signing possible)
 * @sign: responses are signed
 * @encrypt: Session.EncryptData: responses are encrypted, and the client
 *	     was told to encrypt (SMB2_SESSION_FLAG_ENCRYPT_DATA)
 * @encrypt_required: unencrypted requests are refused (ACCESS_DENIED)
 * @session_key: the NTLM/Kerberos session key
 * @signing_key: key for signing (3.x derived, 2.x the session key)
 * @sign_shash: HMAC-SHA256 or AES-CMAC keyed with @signing_key, or NULL
 * @sign_aead: AES-GCM keyed with @signing_key for AES-GMAC, or NULL
 * @enc_key: server-to-client encryption key
 * @dec_key: client-to-server decryption key
 * @cipher: SMB2_ENCRYPTION_* of @enc_aead and @dec_aead
 * @enc_aead: AES-CCM or AES-GCM keyed with @enc_key, or NULL: the session
 *	      cannot encrypt (no cipher negotiated, guest, anonymous)
 * @dec_aead: the same keyed with @dec_key
 * @nonce_seq: the last nonce sequence number used by @enc_aead
 * @nonce_salt: random bytes that complete each nonce
 *
 * The keys and transforms are set under @lock before the session is
 * published VALID (smp_store_release) and never change after: a reader
 * that saw smbs_session_valid() may use them without the lock.
 * @preauth_hash: session preauth integrity hash (3.1.1)
 * @trees: tree connects by TreeId (XA_FLAGS_ALLOC1)
 * @files: open files by volatile id (XA_FLAGS_ALLOC1)
 * @files_next: next volatile id to try (xa_alloc_cyclic() cursor, file.c)
 * @trees_closed: teardown started, no tree may be added; under @trees' lock
 * @files_closed: teardown started, no open may be added; under @files' lock
 * @nr_trees: ids taken in @trees, reserved ones included; under its lock
 * @nr_files: entries of @files; under its lock
 * @born: jiffies when the session was created (SMBS_SESS_SETUP_TIMEOUT)
 * @counted: counts against "max active sessions" until released
 * @locks: the byte-range locks its opens may hold (SMBS_SESS_MAX_LOCKS);
 *	   each open that locked references it (brlock.c)
 * @conn: the connection the session was set up on, referenced, or NULL for
 *	  a session that was never published; its one channel (binding
 *	  more channels is multichannel's)
 * @global: entered in the server-wide table of sessions by id, which
 *	    holds no reference: the entry goes when the session is freed,
 *	    and a look-up there only gets a session whose count is not zero
 *
 * Objects of a session: each table holds one reference on each of its
 * entries. Every look-up takes its own reference under the table's
 * xa_lock (an entry may be freed as soon as the lock is dropped), and
 * nothing walks a table outside its lock.
 *
 * Teardown (smbs_session_destroy()) runs once, by whoever unpublished the
 * session from its connection, and in one direction: it closes @files, then
 * @trees. Closing a table sets its *_closed flag under the table's lock
 * and then empties it; an insertion checks the flag under the same lock
 * after its entry is in place and takes the entry out again if it is set
 * (smbs_session_may_add()). So an insertion either happened before the
 * table closed, and teardown finds the entry, or it fails.
 */
struct smbs_session {
	struct kref ref;
	u64 id;
	struct mutex lock;	/* SESSION_SETUP rounds and state */
	enum smbs_sess_state state;
	struct smbs_user *user;
	void *auth;
	u8 *spnego_mechs;
	u32 spnego_mechs_len;
	bool is_guest;
	bool sign;
	bool encrypt;
	bool encrypt_required;
	u8 session_key[SMBS_KEY_SIZE];
	u8 signing_key[SMBS_KEY_SIZE];
	struct crypto_shash *sign_shash;
	struct crypto_aead *sign_aead;
	u8 enc_key[SMBS_ENC_KEY_SIZE];
	u8 dec_key[SMBS_ENC_KEY_SIZE];
	__le16 cipher;
	struct crypto_aead *enc_aead;
	struct crypto_aead *dec_aead;
	atomic64_t nonce_seq;
	u8 nonce_salt[4];
	u8 preauth_hash[SMB2_PREAUTH_HASH_SIZE];
	struct xarray trees;
	struct xarray files;
	u32 files_next;
	bool trees_closed;
	bool files_closed;
	u32 nr_trees;
	u32 nr_files;
	unsigned long born;
	bool counted;
	struct smbs_brl_budget *locks;
	struct smbs_conn *conn;
	bool global;
};

/**
 * smbs_session_stale - has a session been IN_PROGRESS for too long?
 * @sess: the session
 *
 * Return: true once SMBS_SESS_SETUP_TIMEOUT passed since it was created
 * and it is still not VALID (nor EXPIRED).
 */
static inline bool smbs_session_stale(const struct smbs_session *sess)
{
	return READ_ONCE(sess->state) == SMBS_SESS_IN_PROGRESS &&
	       time_after(jiffies, sess->born + SMBS_SESS_SETUP_TIMEOUT);
}

/**
 * smbs_session_may_add - may an entry still be added to one of its tables?
 * @sess: the session
 * @xa: &sess->trees or &sess->files
 *
 * Call after the new entry (or its reserved index) is in the table, under
 * the same hold of the table's lock; on false, erase it and fail.
 *
 * Context: holds xa_lock(@xa).
 * Return: false once the session's teardown closed @xa.
 */
static inline bool smbs_session_may_add(struct smbs_session *sess,
					struct xarray *xa)
{
	lockdep_assert_held(&xa->xa_lock);
	return !(xa == &sess->trees ? sess->trees_closed : sess->files_closed);
}

/**
 * smbs_session_alloc - create an unpublished session
 * @preauth_hash: the connection's preauth hash to start from, or NULL
 *
 * Return: a session with one reference, in state IN_PROGRESS, or NULL.
 */
struct smbs_session *smbs_session_alloc(const u8 *preauth_hash);

/**
 * smbs_session_new - create a session and publish it on @conn
 * @conn: the connection
 *
 * The caller first ends the stale sessions of a full connection
 * (smbs_session_reap()).
 *
 * Return: a referenced session in state IN_PROGRESS, ERR_PTR(-EMFILE)
 * when @conn still has SMBS_CONN_MAX_SESSIONS sessions, or another
 * ERR_PTR.
 */
struct smbs_session *smbs_session_new(struct smbs_conn *conn);

/**
 * smbs_session_lookup - find a session by id
 * @conn: the connection
 * @id: SessionId
 *
 * Return: a referenced session or NULL.
 */
struct smbs_session *smbs_session_lookup(struct smbs_conn *conn, u64 id);

/**
 * smbs_session_find - find a session of any connection by id
 * @id: SessionId
 *
 * For what refers to a session across connections (PreviousSessionId;
 * later, binding a channel and reconnecting durable opens). Requests of
 * a connection use smbs_session_lookup().
 *
 * Return: a referenced session in any state, or NULL.
 */
struct smbs_session *smbs_session_find(u64 id);

void smbs_session_put(struct smbs_session *sess);

/*
 * Is the session usable? Pairs with the release in SESSION_SETUP, so that
 * a caller that sees VALID also sees the keys and @sign it was made with.
 */
static inline bool smbs_session_valid(const struct smbs_session *sess)
{
	/* Pairs with smp_store_release() in smbs_ss_commit(). */
	return smp_load_acquire(&sess->state) == SMBS_SESS_VALID;
}

/* Another reference to a session the caller already holds one to. */
static inline struct smbs_session *smbs_session_get(struct smbs_session *sess)
{
	kref_get(&sess->ref);
	return sess;
}

/* Used by teardown.c (kernel-doc at the definitions). */
struct smbs_session *smbs_session_find_stale(struct smbs_conn *conn);
bool smbs_session_conn_full(struct smbs_conn *conn);
void smbs_session_close_table(struct smbs_session *sess, struct xarray *xa);
void smbs_session_expire(struct smbs_session *sess);
struct smbs_session *smbs_session_unpublish(struct smbs_conn *conn,
					    struct smbs_session *sess);

#endif /* _SMBS_SESSION_H */
