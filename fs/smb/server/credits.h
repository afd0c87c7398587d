/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Credits and message ids (MS-SMB2 3.3.1.1, 3.3.1.2, 3.3.5.2.3, 3.3.5.2.5).
 */
#ifndef _SMBS_CREDITS_H
#define _SMBS_CREDITS_H

#include <linux/types.h>

struct smb2_hdr;
struct smbs_conn;
struct smbs_pdu;

/* Bytes one credit pays for (MS-SMB2 3.1.5.2). */
#define SMBS_CREDIT_UNIT	65536

/**
 * smbs_credit_charge - credits a request consumes
 * @conn: the connection
 * @hdr: the request's header
 *
 * Return: its CreditCharge, 1 for a charge of 0 or on a connection
 * without multi-credit support.
 */
u16 smbs_credit_charge(const struct smbs_conn *conn,
		       const struct smb2_hdr *hdr);

/**
 * smbs_credit_need - credits a request's payload calls for
 * @pdu: the checked request
 *
 * READ, WRITE, IOCTL and QUERY_DIRECTORY pay for the larger of what they
 * send and the most they ask back (MS-SMB2 3.1.5.2, 3.2.4.1.5); every
 * other command charges 1 whatever its size.
 *
 * Return: the credits needed, at least 1.
 */
u16 smbs_credit_need(const struct smbs_pdu *pdu);

/**
 * smbs_credit_covers - does the charge pay for the request's payload?
 * @conn: the connection
 * @pdu: the checked request
 * @charge: what smbs_credit_charge() said
 *
 * Return: true if so; false means STATUS_INVALID_PARAMETER.
 */
bool smbs_credit_covers(const struct smbs_conn *conn,
			const struct smbs_pdu *pdu, u16 charge);

/**
 * smbs_credit_take - consume the credits and message ids of a request
 * @conn: the connection
 * @mid: the request's MessageId
 * @charge: credits it consumes: the ids [@mid, @mid + @charge)
 *
 * Each id is used once, inside the window the granted credits allow.
 *
 * Context: takes @conn->lock.
 * Return: true if the request may run; false ends the connection.
 */
bool smbs_credit_take(struct smbs_conn *conn, u64 mid, u16 charge);

/**
 * smbs_credit_grant - credits to grant with a response
 * @conn: the connection
 * @asked: the request's CreditRequest
 *
 * Grants what was asked (at least 1) up to "smb2 max credits"
 * (smbs_cfg.max_credits) held or on their way to the client, and never
 * leaves the client without a credit. The client may use them once the
 * response carrying them goes out: smbs_credit_sent().
 *
 * Context: takes @conn->lock.
 * Return: the credits granted.
 */
u16 smbs_credit_grant(struct smbs_conn *conn, u16 asked);

/**
 * smbs_credit_sent - a response carrying @n granted credits goes out
 * @conn: the connection
 * @n: the credits it granted
 *
 * A client that does not read its responses gets no new credits, so it
 * cannot make the server queue more than it was given.
 *
 * Context: takes @conn->lock.
 */
void smbs_credit_sent(struct smbs_conn *conn, u16 n);

#endif /* _SMBS_CREDITS_H */
