/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Authentication, key derivation and message signing.
 */
#ifndef _SMBS_AUTH_H
#define _SMBS_AUTH_H

#include <linux/types.h>
#include <linux/uio.h>

struct smbs_conn;
struct smbs_session;
struct smbs_work;
struct smbs_rsp_elem;

/**
 * smbs_preauth_update - fold one message into a preauth integrity hash
 * @hash: the running SHA-512 value (64 bytes), updated in place
 * @iov: the message pieces
 * @niov: number of pieces
 *
 * hash = SHA-512(hash || message), MS-SMB2 3.3.5.4 / 3.3.5.5.
 *
 * Return: 0 or a negative errno.
 */
int smbs_preauth_update(u8 *hash, const struct kvec *iov, int niov);

/**
 * smbs_sign_init - key a session's signing transform
 * @conn: the connection; its dialect and signing algorithm apply
 * @sess: the session, its signing key derived
 *
 * The keyed transform lives as long as the session, so signing and
 * checking a message allocates none. Called once, before the session
 * becomes valid.
 *
 * Return: 0 or a negative errno.
 */
int smbs_sign_init(struct smbs_conn *conn, struct smbs_session *sess);

/**
 * smbs_sign_free - release a session's signing transform
 * @sess: the session, no longer used
 */
void smbs_sign_free(struct smbs_session *sess);

/**
 * smbs_sign_verify - check the signature of the current request
 * @w: the work; w->pdu is the request, w->sess its session
 *
 * Return: true if the signature is valid for the session's key and the
 * connection's algorithm.
 */
bool smbs_sign_verify(struct smbs_work *w);

/**
 * smbs_sign_rsp - sign one response of a compound in place
 * @conn: the connection it goes out on (its signing algorithm)
 * @e: the response, complete and chained; its header, payload and padding
 *     are covered, with the key of @e->sign_sess
 *
 * Sets SMB2_FLAGS_SIGNED and the Signature field.
 */
void smbs_sign_rsp(struct smbs_conn *conn, struct smbs_rsp_elem *e);

#endif /* _SMBS_AUTH_H */
