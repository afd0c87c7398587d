/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Teardown of trees, sessions and connections (teardown.c).
 */
#ifndef _SMBS_TEARDOWN_H
#define _SMBS_TEARDOWN_H

struct smbs_conn;
struct smbs_session;
struct smbs_tree;

void smbs_tree_destroy(struct smbs_session *sess, struct smbs_tree *tree);
void smbs_session_close_objects(struct smbs_session *sess);
void smbs_session_destroy(struct smbs_conn *conn, struct smbs_session *sess);
void smbs_session_end_previous(struct smbs_session *sess, u64 prev);
void smbs_session_reap(struct smbs_conn *conn);
void smbs_conn_teardown(struct smbs_conn *conn);

#endif /* _SMBS_TEARDOWN_H */
