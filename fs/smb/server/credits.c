// SPDX-License-Identifier: GPL-2.0-only
/*
 * Credits: what a request consumes, whether that pays for its size, the
 * message id window, and what a response grants.
 */
#include "server.h"

#include <linux/spinlock.h>
#include <linux/unaligned.h>
#include "command.h"
#include "connection.h"
#include "credits.h"
#include "pdu.h"

/* The message id window is sized for the largest setting. */
static_assert(SMBS_MAX_CREDITS == SMBS_CREDITS_LIMIT);

u16 smbs_credit_charge(const struct smbs_conn *conn,
		       const struct smb2_hdr *hdr)
{
	u16 charge = le16_to_cpu(hdr->CreditCharge);

	if (!(conn->srv_caps & SMB2_GLOBAL_CAP_LARGE_MTU))
		return 1;
	return charge ? charge : 1;
}

/* The payload a request sends or asks for, in bytes (command.c). */
static u32 smbs_credit_payload(const struct smbs_pdu *pdu)
{
	const struct smbs_command *cmd;
	u32 n;

	cmd = smbs_command(le16_to_cpu(pdu->hdr->Command));
	if (!cmd || !cmd->pay_pos)
		return 0;
	n = get_unaligned_le32((const u8 *)pdu->hdr + sizeof(*pdu->hdr) +
			       cmd->pay_pos);
	return cmd->pay_var ? max(n, pdu->var[0].len) : n;
}

u16 smbs_credit_need(const struct smbs_pdu *pdu)
{
	u32 bytes = smbs_credit_payload(pdu);

	return bytes ? (bytes - 1) / SMBS_CREDIT_UNIT + 1 : 1;
}

bool smbs_credit_covers(const struct smbs_conn *conn,
			const struct smbs_pdu *pdu, u16 charge)
{
	/* Without multi-credit, the negotiated sizes are 64 KiB at most. */
	if (!(conn->srv_caps & SMB2_GLOBAL_CAP_LARGE_MTU))
		return true;
	return charge >= smbs_credit_need(pdu);
}

bool smbs_credit_take(struct smbs_conn *conn, u64 mid, u16 charge)
{
	bool ok = false;
	u64 i;

	spin_lock(&conn->lock);
	if (conn->credits < charge || mid < conn->seq_lo ||
	    mid + charge > conn->seq_lo + SMBS_SEQ_WINDOW ||
	    mid + charge < mid)
		goto out;
	for (i = mid; i < mid + charge; i++)
		if (test_bit(i % SMBS_SEQ_WINDOW, conn->seq_used))
			goto out;
	for (i = mid; i < mid + charge; i++)
		__set_bit(i % SMBS_SEQ_WINDOW, conn->seq_used);
	while (test_bit(conn->seq_lo % SMBS_SEQ_WINDOW, conn->seq_used)) {
		__clear_bit(conn->seq_lo % SMBS_SEQ_WINDOW, conn->seq_used);
		conn->seq_lo++;
	}
	conn->credits -= charge;
	ok = true;
out:
	spin_unlock(&conn->lock);
	return ok;
}

u16 smbs_credit_grant(struct smbs_conn *conn, u16 asked)
{
	u32 limit = clamp_val(READ_ONCE(smbs_cfg.max_credits), 1,
			      SMBS_MAX_CREDITS);
	u16 grant = max_t(u16, asked, 1);
	u32 held;

	spin_lock(&conn->lock);
	held = conn->credits + conn->credits_unsent;
	/* "smb2 max credits" may have been lowered below what is held. */
	if (held >= limit)
		grant = 0;
	else if (held + grant > limit)
		grant = limit - held;
	/* Never leave the client without a credit. */
	if (!grant && !held)
		grant = 1;
	conn->credits_unsent += grant;
	spin_unlock(&conn->lock);
	return grant;
}

void smbs_credit_sent(struct smbs_conn *conn, u16 n)
{
	if (!n)
		return;
	spin_lock(&conn->lock);
	if (!WARN_ON_ONCE(n > conn->credits_unsent)) {
		conn->credits_unsent -= n;
		conn->credits += n;
	}
	spin_unlock(&conn->lock);
}
