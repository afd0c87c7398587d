// SPDX-License-Identifier: GPL-2.0-only
/*
 * SESSION_SETUP and LOGOFF (MS-SMB2 3.3.5.5, 3.3.5.6).
 *
 * The security blob is SPNEGO wrapping NTLMSSP, or bare NTLMSSP; the
 * answer uses the same form. Kerberos is not supported yet: a client that
 * offers only Kerberos gets STATUS_LOGON_FAILURE.
 */
#include "server.h"

#include <crypto/utils.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "auth.h"
#include "auth_ntlm.h"
#include "connection.h"
#include "crypt.h"
#include "session.h"
#include "smb2.h"
#include "spnego.h"
#include "teardown.h"
#include "work.h"
#include "trace.h"

/**
 * struct smbs_ss_reply - the security blob and flags of one response
 * @spnego: wrap @tok in a NegTokenResp (else send it bare)
 * @spnego_init: send the server's NegTokenInit2 instead
 * @neg_state: negState of the NegTokenResp
 * @mech: name NTLMSSP as supportedMech
 * @tok: the NTLMSSP message, or NULL
 * @tok_len: its length
 * @cli_mic: the client's mechListMIC in this round, if any
 * @has_mic: send @mic as the mechListMIC
 * @mic: the server's mechListMIC
 * @flags: SessionFlags
 */
struct smbs_ss_reply {
	bool spnego;
	bool spnego_init;
	u8 neg_state;
	bool mech;
	const u8 *tok;
	u32 tok_len;
	struct smbs_buf cli_mic;
	bool has_mic;
	u8 mic[SMBS_NTLM_MAC_SIZE];
	__le16 flags;
};

/* Find or create the session and make it w->sess. */
static __le32 smbs_ss_session(struct smbs_work *w,
			      const struct smb2_sess_setup_req *req)
{
	u64 id = le64_to_cpu(req->hdr.SessionId);
	struct smbs_session *sess;

	if (id) {
		sess = smbs_session_lookup(w->conn, id);
		if (!sess)
			return STATUS_USER_SESSION_DELETED;
	} else {
		smbs_session_reap(w->conn);
		sess = smbs_session_new(w->conn);
		/* Windows refuses sessions over its limit this way. */
		if (IS_ERR(sess))
			return PTR_ERR(sess) == -EMFILE ?
			       STATUS_REQUEST_NOT_ACCEPTED :
			       STATUS_INSUFFICIENT_RESOURCES;
		smbs_rsp_hdr(w)->SessionId = cpu_to_le64(sess->id);
	}
	/* A related compound may have left the previous request's session. */
	if (w->sess)
		smbs_session_put(w->sess);
	w->sess = sess;
	return STATUS_SUCCESS;
}

/*
 * The client is authenticated: make the session usable. Context: under
 * sess->lock, which serializes changes of its state.
 */
static __le32 smbs_ss_commit(struct smbs_work *w, struct smbs_session *sess,
			     struct smbs_ntlm_result *res)
{
	const struct smb2_sess_setup_req *req = (const void *)w->pdu.hdr;
	u8 enc = READ_ONCE(smbs_cfg.encryption);
	bool guest = res->anonymous || res->guest;
	bool same;

	lockdep_assert_held(&sess->lock);
	if (sess->state == SMBS_SESS_VALID) {
		/*
		 * Re-authentication (MS-SMB2 3.3.5.5.2): the session keeps its
		 * keys and its user, who must be the same one.
		 */
		same = sess->user && uid_eq(sess->user->uid, res->user->uid) &&
		       sess->is_guest == guest;
		smbs_user_free(res->user);
		res->user = NULL;
		return same ? STATUS_SUCCESS : STATUS_ACCESS_DENIED;
	}

	/*
	 * Where encryption is required, a session that cannot encrypt (no
	 * cipher negotiated, SMB 2.x, guest, anonymous) is refused (MS-SMB2
	 * 3.3.5.5.3, RejectUnencryptedAccess).
	 */
	if (enc == SMB_SERVER_ENCRYPTION_REQUIRED &&
	    (guest || !w->conn->cipher))
		return STATUS_ACCESS_DENIED;
	sess->user = res->user;
	res->user = NULL;
	sess->is_guest = guest;
	if (!guest) {
		memcpy(sess->session_key, res->session_key,
		       sizeof(sess->session_key));
		sess->sign = w->conn->sign_required ||
			     (req->SecurityMode &
			      SMB2_NEGOTIATE_SIGNING_REQUIRED);
		if (smbs_derive_keys(w->conn, sess) ||
		    smbs_sign_init(w->conn, sess) ||
		    smbs_crypt_init(w->conn, sess))
			return STATUS_INSUFFICIENT_RESOURCES;
		sess->encrypt = sess->enc_aead &&
				enc >= SMB_SERVER_ENCRYPTION_DESIRED;
		sess->encrypt_required = sess->encrypt &&
					 enc == SMB_SERVER_ENCRYPTION_REQUIRED;
		/* 3.1.1 signs the final response, proving the preauth hash. */
		if (w->conn->dialect == SMB311_PROT_ID)
			w->sign_rsp = true;
	}
	/* Everything above before the state: see smbs_session_valid(). */
	smp_store_release(&sess->state, SMBS_SESS_VALID);
	/* The connection leaves the limits of a peer not logged in. */
	WRITE_ONCE(w->conn->authed, true);
	trace_smbs_session_valid(w->conn, sess);
	smbs_dbg(AUTH, "%s: session %llu for %.64s%s\n", w->conn->peer,
		 sess->id, sess->user->name,
		 res->anonymous ? " (anonymous)" : guest ? " (guest)" : "");
	return STATUS_SUCCESS;
}

/*
 * The mechListMIC exchange (RFC 4178 5, MS-SPNG 3.1.5.1): a client that
 * signs the mechanism list it offered gets its signature checked, which
 * proves nobody removed a mechanism, and gets the server's signature of
 * the same list back, which clients that signed insist on.
 */
static __le32 smbs_ss_mech_mic(struct smbs_work *w, struct smbs_session *sess,
			       const struct smbs_ntlm_result *res,
			       struct smbs_ss_reply *r)
{
	u8 mic[SMBS_NTLM_MAC_SIZE];
	int err;

	if (!r->cli_mic.len || !sess->spnego_mechs || res->anonymous ||
	    res->guest)
		return STATUS_SUCCESS;
	err = smbs_ntlm_mac(res->session_key, res->flags, false,
			    sess->spnego_mechs, sess->spnego_mechs_len, mic);
	if (!err && (r->cli_mic.len != sizeof(mic) ||
		     crypto_memneq(mic, r->cli_mic.ptr, sizeof(mic)))) {
		pr_warn_ratelimited("%s: SPNEGO mechListMIC mismatch\n",
				    w->conn->peer);
		return STATUS_ACCESS_DENIED;
	}
	if (!err)
		err = smbs_ntlm_mac(res->session_key, res->flags, true,
				    sess->spnego_mechs, sess->spnego_mechs_len,
				    r->mic);
	memzero_explicit(mic, sizeof(mic));
	if (err)
		return STATUS_INSUFFICIENT_RESOURCES;
	r->has_mic = true;
	return STATUS_SUCCESS;
}

/*
 * Remember the mechanism list of a NegTokenInit for the mechListMIC.
 * Context: under sess->lock (a SESSION_SETUP round).
 */
static __le32 smbs_ss_keep_mechs(struct smbs_session *sess,
				 const struct smbs_buf *mechs)
{
	lockdep_assert_held(&sess->lock);
	kfree(sess->spnego_mechs);
	sess->spnego_mechs = NULL;
	sess->spnego_mechs_len = 0;
	if (!mechs->len)
		return STATUS_SUCCESS;
	sess->spnego_mechs = kmemdup(mechs->ptr, mechs->len, GFP_KERNEL);
	if (!sess->spnego_mechs)
		return STATUS_INSUFFICIENT_RESOURCES;
	sess->spnego_mechs_len = mechs->len;
	return STATUS_SUCCESS;
}

/* One NTLMSSP message: NEGOTIATE gets a CHALLENGE, AUTHENTICATE a verdict. */
static __le32 smbs_ss_ntlm(struct smbs_work *w, struct smbs_session *sess,
			   const struct smbs_buf *msg, struct smbs_ss_reply *r)
{
	struct smbs_ntlm_result res;
	__le32 status;

	switch (smbs_ntlm_msg_type(msg->ptr, msg->len)) {
	case SMBS_NTLM_NEGOTIATE:
		r->neg_state = SMBS_SPNEGO_ACCEPT_INCOMPLETE;
		r->mech = true;
		return smbs_ntlm_negotiate(&sess->auth, msg->ptr, msg->len,
					   &r->tok, &r->tok_len);
	case SMBS_NTLM_AUTHENTICATE:
		break;
	default:
		return STATUS_INVALID_PARAMETER;
	}

	status = smbs_ntlm_authenticate(&sess->auth, msg->ptr, msg->len,
					w->conn->peer, &res);
	if (status == STATUS_SUCCESS && r->spnego)
		status = smbs_ss_mech_mic(w, sess, &res, r);
	if (status == STATUS_SUCCESS)
		status = smbs_ss_commit(w, sess, &res);
	smbs_user_free(res.user);
	memzero_explicit(res.session_key, sizeof(res.session_key));
	if (status != STATUS_SUCCESS)
		return status;
	r->neg_state = SMBS_SPNEGO_ACCEPT_COMPLETED;
	if (res.anonymous)
		r->flags = SMB2_SESSION_FLAG_IS_NULL_LE;
	else if (res.guest)
		r->flags = SMB2_SESSION_FLAG_IS_GUEST_LE;
	else if (sess->encrypt)
		r->flags = SMB2_SESSION_FLAG_ENCRYPT_DATA_LE;
	return STATUS_SUCCESS;
}

/* Unwrap the security blob and run the NTLMSSP step it carries. */
static __le32 smbs_ss_blob(struct smbs_work *w, struct smbs_session *sess,
			   const struct smbs_buf *blob,
			   struct smbs_ss_reply *r)
{
	struct smbs_spnego_token tok;

	if (!blob->len) {
		/* MS-SPNG 3.2.5.2: no token yet, offer our mechanisms. */
		r->spnego_init = true;
		return STATUS_MORE_PROCESSING_REQUIRED;
	}
	if (blob->len >= SMBS_NTLM_SIG_LEN &&
	    !memcmp(blob->ptr, SMBS_NTLM_SIGNATURE, SMBS_NTLM_SIG_LEN))
		return smbs_ss_ntlm(w, sess, blob, r);

	if (smbs_spnego_parse(blob->ptr, blob->len, &tok))
		return STATUS_INVALID_PARAMETER;
	r->spnego = true;
	r->cli_mic = tok.mic;
	if (tok.init && smbs_ss_keep_mechs(sess, &tok.mech_types))
		return STATUS_INSUFFICIENT_RESOURCES;
	if (tok.init) {
		/* Kerberos only: Kerberos support comes in a later change. */
		if (!tok.ntlm_offered)
			return STATUS_LOGON_FAILURE;
		/*
		 * NTLMSSP is not the client's first choice, so any optimistic
		 * token is for another mechanism: select NTLMSSP and let the
		 * client start it in its next token.
		 */
		if (!tok.ntlm_first || !tok.mech_token.len) {
			r->neg_state = SMBS_SPNEGO_ACCEPT_INCOMPLETE;
			r->mech = true;
			return STATUS_MORE_PROCESSING_REQUIRED;
		}
	} else if (tok.neg_state == SMBS_SPNEGO_REJECT) {
		return STATUS_LOGON_FAILURE;
	}
	if (!tok.mech_token.len)
		return STATUS_INVALID_PARAMETER;
	return smbs_ss_ntlm(w, sess, &tok.mech_token, r);
}

/* Write the response body; only called when the round succeeded. */
static __le32 smbs_ss_write(struct smbs_work *w, const struct smbs_ss_reply *r)
{
	u32 fixed = sizeof(struct smb2_sess_setup_rsp) - sizeof(struct smb2_hdr);
	struct smb2_sess_setup_rsp *rsp;
	u8 *p;
	int len;

	if (r->spnego_init)
		len = smbs_spnego_negotiate_blob(NULL, 0);
	else if (r->spnego)
		len = smbs_spnego_resp_mic(NULL, 0, r->neg_state, r->mech,
					   r->tok, r->tok_len,
					   r->has_mic ? r->mic : NULL,
					   sizeof(r->mic));
	else
		len = r->tok_len;
	if (len < 0 || len > U16_MAX || smbs_rsp_room(w) < fixed + len)
		return STATUS_INSUFFICIENT_RESOURCES;

	rsp = smbs_rsp_body(w, sizeof(*rsp));
	rsp->StructureSize = cpu_to_le16(9);
	rsp->SessionFlags = r->flags;
	p = smbs_rsp_append(w, len);
	if (!p)
		return STATUS_INSUFFICIENT_RESOURCES;
	if (r->spnego_init)
		len = smbs_spnego_negotiate_blob(p, len);
	else if (r->spnego)
		len = smbs_spnego_resp_mic(p, len, r->neg_state, r->mech,
					   r->tok, r->tok_len,
					   r->has_mic ? r->mic : NULL,
					   sizeof(r->mic));
	else if (len)
		memcpy(p, r->tok, len);
	if (len < 0)
		return STATUS_INTERNAL_ERROR;
	rsp->SecurityBufferOffset = cpu_to_le16(smbs_rsp_offset(w, p));
	rsp->SecurityBufferLength = cpu_to_le16(len);
	return STATUS_SUCCESS;
}

/*
 * MS-SMB2 3.3.5.2.4: a request on an established session is refused with
 * STATUS_ACCESS_DENIED when the session requires signing and the request
 * is not signed, or when its signature is wrong. SESSION_SETUP is no
 * exception once the session is VALID (re-authentication): its keys exist
 * and an unsigned request could come from anyone on the path; one that
 * was encrypted with the session's key needs no signature, and one that
 * was not is refused where encryption is required. A session still being
 * set up has no keys yet, so nothing is checked.
 */
static __le32 smbs_ss_signature(struct smbs_work *w, struct smbs_session *sess)
{
	bool signed_req = w->pdu.hdr->Flags & SMB2_FLAGS_SIGNED;

	lockdep_assert_held(&sess->lock);
	if (sess->state != SMBS_SESS_VALID)
		return STATUS_SUCCESS;
	/* Encrypted with this session's key: proof enough (3.3.5.2.4). */
	if (w->crypt_sess == sess)
		return STATUS_SUCCESS;
	if (sess->encrypt_required)
		return STATUS_ACCESS_DENIED;
	if (sess->sign && !signed_req)
		return STATUS_ACCESS_DENIED;
	if (signed_req && !smbs_sign_verify(w)) {
		pr_warn_ratelimited("%s: bad signature on SESSION_SETUP of session %llu\n",
				    w->conn->peer, sess->id);
		return STATUS_ACCESS_DENIED;
	}
	return STATUS_SUCCESS;
}

static __le32 smbs_ss_locked(struct smbs_work *w, struct smbs_session *sess)
{
	const struct smbs_buf *blob = &w->pdu.var[SMBS_VAR_SESS_BLOB];
	struct smbs_ss_reply r = {};
	struct kvec iov;
	__le32 status, wstatus;

	lockdep_assert_held(&sess->lock);
	if (sess->state == SMBS_SESS_EXPIRED)
		return STATUS_USER_SESSION_DELETED;
	/* Too slow to authenticate: the caller destroys the session. */
	if (smbs_session_stale(sess)) {
		smbs_dbg(AUTH, "%s: session %llu expired unauthenticated\n",
			 w->conn->peer, sess->id);
		return STATUS_USER_SESSION_DELETED;
	}
	/* 3.1.1: a new session's keys depend on every request so far. */
	if (sess->state == SMBS_SESS_IN_PROGRESS &&
	    w->conn->dialect == SMB311_PROT_ID) {
		iov.iov_base = (void *)w->pdu.hdr;
		iov.iov_len = w->pdu.len;
		if (smbs_preauth_update(sess->preauth_hash, &iov, 1))
			return STATUS_INSUFFICIENT_RESOURCES;
	}

	status = smbs_ss_blob(w, sess, blob, &r);
	if (status != STATUS_SUCCESS &&
	    status != STATUS_MORE_PROCESSING_REQUIRED)
		return status;
	wstatus = smbs_ss_write(w, &r);
	return wstatus == STATUS_SUCCESS ? status : wstatus;
}

/**
 * smbs_session_setup - SESSION_SETUP (MS-SMB2 3.3.5.5)
 * @w: the work
 *
 * Return: STATUS_MORE_PROCESSING_REQUIRED while authentication goes on,
 * STATUS_SUCCESS once the session is valid, or an error, in which case the
 * session is torn down (MS-SMB2 3.3.5.5.3) - except for STATUS_ACCESS_DENIED
 * for a missing or bad signature on a VALID session, which leaves it alone.
 * A new session's PreviousSessionId ends that session of the same user.
 */
__le32 smbs_session_setup(struct smbs_work *w)
{
	const struct smb2_sess_setup_req *req = (const void *)w->pdu.hdr;
	struct smbs_session *sess;
	bool was_valid;
	__le32 status;

	/* Binding another channel (multichannel) is not supported yet. */
	if (req->Flags & SMB2_SESSION_REQ_FLAG_BINDING)
		return STATUS_REQUEST_NOT_ACCEPTED;
	status = smbs_ss_session(w, req);
	if (status != STATUS_SUCCESS)
		return status;
	sess = w->sess;

	mutex_lock(&sess->lock);
	status = smbs_ss_signature(w, sess);
	if (status != STATUS_SUCCESS) {
		/* Not from the session's client: the session stays as it is. */
		mutex_unlock(&sess->lock);
		return status;
	}
	was_valid = sess->state == SMBS_SESS_VALID;
	status = smbs_ss_locked(w, sess);
	mutex_unlock(&sess->lock);
	if (status == STATUS_SUCCESS && !was_valid)
		smbs_session_end_previous(sess,
					  le64_to_cpu(req->PreviousSessionId));
	else if (status != STATUS_SUCCESS &&
		 status != STATUS_MORE_PROCESSING_REQUIRED)
		smbs_session_destroy(w->conn, sess);
	return status;
}

/**
 * smbs_session_setup_done - fold an interim response into the preauth hash
 * @w: the work, its response complete
 *
 * For 3.1.1, every SESSION_SETUP response of a new session that says
 * STATUS_MORE_PROCESSING_REQUIRED is part of the session's preauth hash.
 */
void smbs_session_setup_done(struct smbs_work *w)
{
	struct smbs_session *sess = w->sess;
	struct kvec iov;
	int err = 0;

	if (!sess || w->conn->dialect != SMB311_PROT_ID ||
	    smbs_rsp_hdr(w)->Status != STATUS_MORE_PROCESSING_REQUIRED)
		return;
	iov.iov_base = smbs_rsp_hdr(w);
	iov.iov_len = w->cur->len;
	mutex_lock(&sess->lock);
	if (sess->state == SMBS_SESS_IN_PROGRESS)
		err = smbs_preauth_update(sess->preauth_hash, &iov, 1);
	mutex_unlock(&sess->lock);
	if (err) {
		/* The keys could never match: end the session now. */
		pr_warn_ratelimited("%s: preauth hash failed (%d)\n",
				    w->conn->peer, err);
		smbs_session_destroy(w->conn, sess);
	}
}

/**
 * smbs_logoff - LOGOFF (MS-SMB2 3.3.5.6)
 * @w: the work; w->sess is the session to end
 *
 * Return: STATUS_SUCCESS.
 */
__le32 smbs_logoff(struct smbs_work *w)
{
	struct smb2_logoff_rsp *rsp;

	/* The session stops being VALID; still sign the answer if it did. */
	w->sign_rsp = w->sess->sign;
	/* This also tells the daemon (smbs_ipc_logout()). */
	smbs_session_destroy(w->conn, w->sess);
	rsp = smbs_rsp_body(w, sizeof(*rsp));
	rsp->StructureSize = cpu_to_le16(4);
	return STATUS_SUCCESS;
}
