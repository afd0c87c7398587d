/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of the SMB server: connections, every request with its
 * status and credits, sessions, trees, opens, reads and writes.
 *
 *	echo 1 > /sys/kernel/tracing/events/ksmbd/enable
 *	cat /sys/kernel/tracing/trace_pipe
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ksmbd

#if !defined(_SMBS_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SMBS_TRACE_H

#include <linux/tracepoint.h>

#include "command.h"
#include "connection.h"
#include "file.h"
#include "session.h"
#include "tree.h"

DECLARE_EVENT_CLASS(smbs_conn_class,
		    TP_PROTO(const struct smbs_conn *conn),
		    TP_ARGS(conn),
		    TP_STRUCT__entry(__string(peer, conn->peer)),
		    TP_fast_assign(__assign_str(peer);),
		    TP_printk("peer=%s", __get_str(peer))
);

DEFINE_EVENT(smbs_conn_class, smbs_conn_open,
	     TP_PROTO(const struct smbs_conn *conn),
	     TP_ARGS(conn));

DEFINE_EVENT(smbs_conn_class, smbs_conn_close,
	     TP_PROTO(const struct smbs_conn *conn),
	     TP_ARGS(conn));

/* A message the server would not process: the connection is dropped. */
TRACE_EVENT(smbs_conn_drop,
	    TP_PROTO(const struct smbs_conn *conn, int err),
	    TP_ARGS(conn, err),
	    TP_STRUCT__entry(__string(peer, conn->peer)
			     __field(int, err)),
	    TP_fast_assign(__assign_str(peer);
			   __entry->err = err;),
	    TP_printk("peer=%s err=%d", __get_str(peer), __entry->err)
);

/* One request of a message, once its response is built. */
TRACE_EVENT(smbs_request,
	    TP_PROTO(const struct smbs_conn *conn, const struct smb2_hdr *req,
		     __le32 status, u16 granted),
	    TP_ARGS(conn, req, status, granted),
	    TP_STRUCT__entry(__string(peer, conn->peer)
			     __field(u64, mid)
			     __field(u64, sid)
			     __field(u32, tid)
			     __field(u32, flags)
			     __field(u32, status)
			     __string(command, smbs_command_name(req->Command))
			     __field(u16, charge)
			     __field(u16, granted)),
	    TP_fast_assign(__assign_str(peer);
			   __entry->mid = le64_to_cpu(req->MessageId);
			   __entry->sid = le64_to_cpu(req->SessionId);
			   __entry->tid = le32_to_cpu(req->Id.SyncId.TreeId);
			   __entry->flags = le32_to_cpu(req->Flags);
			   __entry->status = le32_to_cpu(status);
			   __assign_str(command);
			   __entry->charge = le16_to_cpu(req->CreditCharge);
			   __entry->granted = granted;),
	    TP_printk("peer=%s mid=%llu sid=%#llx tid=%u %s flags=%#x charge=%u granted=%u status=%#x",
		      __get_str(peer), __entry->mid, __entry->sid,
		      __entry->tid, __get_str(command),
		      __entry->flags, __entry->charge, __entry->granted,
		      __entry->status)
);

/* A request went asynchronous: its interim response is on its way. */
TRACE_EVENT(smbs_async,
	    TP_PROTO(const struct smbs_conn *conn, const struct smb2_hdr *req,
		     u64 async_id),
	    TP_ARGS(conn, req, async_id),
	    TP_STRUCT__entry(__string(peer, conn->peer)
			     __field(u64, mid)
			     __field(u64, async_id)
			     __string(command, smbs_command_name(req->Command))),
	    TP_fast_assign(__assign_str(peer);
			   __entry->mid = le64_to_cpu(req->MessageId);
			   __entry->async_id = async_id;
			   __assign_str(command);),
	    TP_printk("peer=%s mid=%llu async_id=%llu %s", __get_str(peer),
		      __entry->mid, __entry->async_id,
		      __get_str(command))
);

/* A CANCEL, and whether it found the request it names. */
TRACE_EVENT(smbs_cancel,
	    TP_PROTO(const struct smbs_conn *conn, const struct smb2_hdr *req,
		     bool found),
	    TP_ARGS(conn, req, found),
	    TP_STRUCT__entry(__string(peer, conn->peer)
			     __field(u64, mid)
			     __field(u64, async_id)
			     __field(bool, found)),
	    TP_fast_assign(__assign_str(peer);
			   __entry->mid = le64_to_cpu(req->MessageId);
			   __entry->async_id =
				(req->Flags & SMB2_FLAGS_ASYNC_COMMAND) ?
				le64_to_cpu(req->Id.AsyncId) : 0;
			   __entry->found = found;),
	    TP_printk("peer=%s mid=%llu async_id=%llu found=%d",
		      __get_str(peer), __entry->mid, __entry->async_id,
		      __entry->found)
);

/* A session became valid: who logged in, and how it is protected. */
TRACE_EVENT(smbs_session_valid,
	    TP_PROTO(const struct smbs_conn *conn,
		     const struct smbs_session *sess),
	    TP_ARGS(conn, sess),
	    TP_STRUCT__entry(__string(peer, conn->peer)
			     __string(user, sess->user ? sess->user->name : "")
			     __field(u64, sid)
			     __field(u16, dialect)
			     __field(bool, guest)
			     __field(bool, sign)),
	    TP_fast_assign(__assign_str(peer);
			   __assign_str(user);
			   __entry->sid = sess->id;
			   __entry->dialect = conn->dialect;
			   __entry->guest = sess->is_guest;
			   __entry->sign = sess->sign;),
	    TP_printk("peer=%s sid=%#llx user=%s dialect=%#x guest=%d sign=%d",
		      __get_str(peer), __entry->sid, __get_str(user),
		      __entry->dialect, __entry->guest, __entry->sign)
);

/* A session ended: logoff, expiry or its connection going away. */
TRACE_EVENT(smbs_session_end,
	    TP_PROTO(const struct smbs_session *sess),
	    TP_ARGS(sess),
	    TP_STRUCT__entry(__field(u64, sid)),
	    TP_fast_assign(__entry->sid = sess->id;),
	    TP_printk("sid=%#llx", __entry->sid)
);

DECLARE_EVENT_CLASS(smbs_tree_class,
		    TP_PROTO(const struct smbs_session *sess,
			     const struct smbs_tree *tree),
		    TP_ARGS(sess, tree),
		    TP_STRUCT__entry(__string(share, tree->name)
				     __field(u64, sid)
				     __field(u32, tid)),
		    TP_fast_assign(__assign_str(share);
				   __entry->sid = sess->id;
				   __entry->tid = tree->id;),
		    TP_printk("sid=%#llx tid=%u share=%s", __entry->sid,
			      __entry->tid, __get_str(share))
);

DEFINE_EVENT(smbs_tree_class, smbs_tree_connect,
	     TP_PROTO(const struct smbs_session *sess,
		      const struct smbs_tree *tree),
	     TP_ARGS(sess, tree));

DEFINE_EVENT(smbs_tree_class, smbs_tree_disconnect,
	     TP_PROTO(const struct smbs_session *sess,
		      const struct smbs_tree *tree),
	     TP_ARGS(sess, tree));

/*
 * An open was published; @action is its CreateAction.
 * Context: fp->lock held (once published, a rename swaps and frees fp->path).
 */
TRACE_EVENT(smbs_open,
	    TP_PROTO(const struct smbs_session *sess,
		     const struct smbs_file *fp, u32 action),
	    TP_ARGS(sess, fp, action),
	    TP_STRUCT__entry(__string(path, fp->path ? fp->path : "(pipe)")
			     __field(u64, sid)
			     __field(u64, fid)
			     __field(u32, tid)
			     __field(u32, access)
			     __field(u32, action)),
	    TP_fast_assign(__assign_str(path);
			   __entry->sid = sess->id;
			   __entry->fid = fp->vid;
			   __entry->tid = fp->tree->id;
			   __entry->access = fp->access;
			   __entry->action = action;),
	    TP_printk("sid=%#llx tid=%u fid=%llu access=%#x action=%u path=\"%s\"",
		      __entry->sid, __entry->tid, __entry->fid,
		      __entry->access, __entry->action, __get_str(path))
);

/* An open left its table. Context: fp->lock held (for delete_on_close). */
TRACE_EVENT(smbs_close,
	    TP_PROTO(const struct smbs_session *sess,
		     const struct smbs_file *fp),
	    TP_ARGS(sess, fp),
	    TP_STRUCT__entry(__field(u64, sid)
			     __field(u64, fid)
			     __field(bool, delete_on_close)),
	    TP_fast_assign(__entry->sid = sess->id;
			   __entry->fid = fp->vid;
			   __entry->delete_on_close = fp->delete_on_close;),
	    TP_printk("sid=%#llx fid=%llu delete_on_close=%d", __entry->sid,
		      __entry->fid, __entry->delete_on_close)
);

/*
 * A READ or WRITE on a file. @zero_copy: a read's page cache pages went
 * to the socket by reference; a write's data went from the socket into
 * the file, never held in a request buffer. Otherwise the data went
 * through a buffer of the server's.
 */
DECLARE_EVENT_CLASS(smbs_io_class,
		    TP_PROTO(const struct smbs_file *fp, u64 offset,
			     u32 length, ssize_t done, bool zero_copy),
		    TP_ARGS(fp, offset, length, done, zero_copy),
		    TP_STRUCT__entry(__field(u64, fid)
				     __field(u64, offset)
				     __field(ssize_t, done)
				     __field(u32, length)
				     __field(bool, zero_copy)),
		    TP_fast_assign(__entry->fid = fp->vid;
				   __entry->offset = offset;
				   __entry->done = done;
				   __entry->length = length;
				   __entry->zero_copy = zero_copy;),
		    TP_printk("fid=%llu offset=%llu length=%u done=%zd zero_copy=%d",
			      __entry->fid, __entry->offset, __entry->length,
			      __entry->done, __entry->zero_copy)
);

DEFINE_EVENT(smbs_io_class, smbs_read,
	     TP_PROTO(const struct smbs_file *fp, u64 offset, u32 length,
		      ssize_t done, bool zero_copy),
	     TP_ARGS(fp, offset, length, done, zero_copy));

DEFINE_EVENT(smbs_io_class, smbs_write,
	     TP_PROTO(const struct smbs_file *fp, u64 offset, u32 length,
		      ssize_t done, bool zero_copy),
	     TP_ARGS(fp, offset, length, done, zero_copy));

#endif /* _SMBS_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
