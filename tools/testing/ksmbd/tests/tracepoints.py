#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The server's tracepoints (fs/smb/server/trace.h) fire with the right
fields.

With the ksmbd trace events enabled, one hand-made SMB 2.1 session
(unsigned, so that large reads and writes take the zero-copy paths)
logs in, connects the share, creates a file, writes 128 KiB in one
WRITE, reads it back in one READ, fails to open a missing name, closes,
disconnects the tree and logs off; a second connection sends a request
outside its credits and is dropped. Each step must show in the trace
with its ids, names, statuses and sizes.

Skipped when the kernel has no tracing (the test kernel); the debug
kernel has it.
"""

import asyncio
import os
import re
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402
import lib_client as C  # noqa: E402

TRACING = '/sys/kernel/tracing'
SIZE = 128 * 1024
NAME = 'trace-%d.bin' % os.getpid()
MISSING = 'trace-missing-%d.bin' % os.getpid()

chk = L.Checker()


def tracing_ready():
    if not os.path.isdir(os.path.join(TRACING, 'events')):
        subprocess.run(['mount', '-t', 'tracefs', 'nodev', TRACING],
                       capture_output=True)
    return os.path.isdir(os.path.join(TRACING, 'events'))


def put(name, value):
    with open(os.path.join(TRACING, name), 'w') as f:
        f.write(value)


async def session(ids):
    s = C.AsyncSession(timeout=30)
    await s.connect()
    await s.login(0x0210, b'tracepoints-test')
    ids['sid'] = s.sid
    (r,) = await s.call(s.msg(L.TREE_CONNECT, L.tree_connect_body(
        '\\\\%s\\%s' % (L.HOST, L.SHARE))))
    tid = ids['tid'] = r[1].tree_id
    (r,) = await s.call(s.msg(L.CREATE, L.create_body(
        NAME, L.FILE_OVERWRITE_IF, L.GENERIC_RW_ACCESS,
        L.FILE_NON_DIRECTORY_FILE), tid))
    fid = L.create_reply_file_id(*r)
    ids['fid'] = struct.unpack_from('<Q', fid, 8)[0]
    data = os.urandom(SIZE)
    (r,) = await s.call(s.msg(L.WRITE, L.write_body(fid, data), tid, charge=2))
    ids['write'] = L.status_name(r[1].status)
    (r,) = await s.call(s.msg(L.READ, L.read_body(fid, SIZE), tid, charge=2))
    ids['read_ok'] = C.read_reply_data(*r) == data
    (r,) = await s.call(s.msg(L.CREATE, L.create_body(
        MISSING, L.FILE_OPEN, L.GENERIC_READ_ACCESS), tid))
    ids['missing'] = r[1].status
    await s.call(s.msg(L.CLOSE, L.close_body(fid), tid))
    await s.call(s.msg(L.TREE_DISCONNECT, struct.pack('<HH', 4, 0), tid))
    await s.call(s.msg(L.LOGOFF, struct.pack('<HH', 4, 0)))
    await s.close()


async def dropped():
    """A request with a message id far outside the credit window."""
    s = C.AsyncSession(timeout=10)
    await s.connect()
    await s.login(0x0210, b'tracepoints-drop')
    s.mid = 1 << 40
    s.writer.write(L.frame(s.msg(L.ECHO, L.echo_body())[1]))
    await s.writer.drain()
    try:
        await asyncio.wait_for(s.reader.read(), 10)
    except (OSError, asyncio.TimeoutError):
        pass
    await s.close()


if not tracing_ready():
    L.skip('this kernel has no tracing (CONFIG_TRACING); the debug '
           'kernel has it')
if not os.path.isdir(os.path.join(TRACING, 'events/ksmbd')):
    chk.fail('the ksmbd trace events exist', 'no events/ksmbd in tracefs')
    chk.finish()

put('trace', '')
put('buffer_size_kb', '4096')
put('events/ksmbd/enable', '1')
ids = {}
try:
    asyncio.run(session(ids))
    asyncio.run(dropped())
finally:
    put('events/ksmbd/enable', '0')
with open(os.path.join(TRACING, 'trace')) as f:
    trace = [ln for ln in f.read().splitlines() if not ln.startswith('#')]
os.unlink(os.path.join(L.SHARE_DIR, NAME))

chk.eq('the session wrote', 'STATUS_SUCCESS', ids.get('write'))
chk.ok(ids.get('read_ok'), 'the session read its data back')
chk.eq('the missing name', 'STATUS_OBJECT_NAME_NOT_FOUND',
       L.status_name(ids.get('missing', 0)))


def find(event, *patterns):
    """Trace lines of event whose text matches every pattern."""
    out = []
    for ln in trace:
        m = re.search(r' %s: (.*)$' % event, ln)
        if m and all(re.search(p, m.group(1)) for p in patterns):
            out.append(m.group(1))
    return out


def expect(what, event, *patterns):
    lines = find(event, *patterns)
    chk.ok(lines, what, 'no %s line matching %s; %d lines in all, '
           'the %s ones: %s' % (event, patterns, len(trace), event,
                                find(event)[:4]))


sid = '%#x' % ids.get('sid', 0)
tid = 'tid=%u ' % ids.get('tid', 0)
fid = 'fid=%u ' % ids.get('fid', 0)
peer = r'peer=\S*127\.0\.0\.1'
expect('a connection opens', 'smbs_conn_open', peer)
expect('the login is traced with user and dialect', 'smbs_session_valid',
       peer, 'sid=' + sid, 'user=%s ' % L.USER, 'dialect=0x210')
for cmd in ('NEGOTIATE', 'SESSION_SETUP', 'TREE_CONNECT', 'CREATE', 'WRITE',
            'READ', 'CLOSE', 'TREE_DISCONNECT', 'LOGOFF'):
    expect('%s is traced with success' % cmd, 'smbs_request',
           ' %s ' % cmd, r'status=0x0$')
expect('a request carries its session, tree and credit charge',
       'smbs_request', 'sid=' + sid, tid, ' WRITE ', 'charge=2 ')
expect('the failed CREATE is traced with its status', 'smbs_request',
       ' CREATE ', 'status=0xc0000034$')
expect('the tree connect names the share', 'smbs_tree_connect',
       'sid=' + sid, tid, 'share=%s$' % L.SHARE)
expect('the open names the file', 'smbs_open', 'sid=' + sid, tid, fid,
       'action=2 ', 'path="%s"' % NAME)
expect('the 128 KiB WRITE came from the socket', 'smbs_write', fid,
       'length=%d ' % SIZE, 'done=%d ' % SIZE, 'zero_copy=1')
expect('the 128 KiB READ sent page cache pages', 'smbs_read', fid,
       'length=%d ' % SIZE, 'done=%d ' % SIZE, 'zero_copy=1')
expect('the close is traced', 'smbs_close', 'sid=' + sid, fid)
expect('the tree disconnect is traced', 'smbs_tree_disconnect',
       'sid=' + sid, tid)
expect('the logoff ends the session', 'smbs_session_end', 'sid=%s$' % sid)
expect('the connection closes', 'smbs_conn_close', peer)
expect('a request outside the credits drops its connection',
       'smbs_conn_drop', peer, 'err=-71$')
chk.finish()
