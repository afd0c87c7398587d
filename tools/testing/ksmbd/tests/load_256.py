#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 900
"""256 clients at once, each on its own TCP connection and session.

Every client (SMB 2.1, 3.0 and 3.1.1 in turn, signed) logs in, connects
the share and creates its own file; when all 256 are connected (the server
then holds 256 established connections, counted with ss) they all write
128 KiB to their file in four 32 KiB writes sent at once, read it back,
read one shared 512 KiB file with all its reads in flight, close and log
off. Each client's data and the shared file must come back intact, every
file must be on the server with the right content and owner, and the
server must still answer afterwards. Everything is bounded in time
(LOAD_DEADLINE, 600 s).

The clients are lib_client's hand-made sessions driven by asyncio in one
thread: with impacket (a thread each) the guest's CPU went into the
clients' Python and the test took minutes, longer on a slow host.

LOAD_CLIENTS changes the number of clients.
"""

import asyncio
import hashlib
import os
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402
import lib_client as C  # noqa: E402

CLIENTS = int(os.environ.get('LOAD_CLIENTS', '256'))
DEADLINE = float(os.environ.get('LOAD_DEADLINE', '600'))
PIECE = 32 * 1024
SIZE = 4 * PIECE
SHARED_SIZE = 512 * 1024
READ = 64 * 1024
DIALECTS = (0x0210, 0x0300, 0x0311)

chk = L.Checker()
pid = os.getpid()
start = time.monotonic()


def left():
    return max(1.0, DEADLINE - (time.monotonic() - start))


def data_for(i):
    """128 KiB that differ for every client (and every piece)."""
    seed = hashlib.sha256(b'load-%d-%d' % (pid, i)).digest()
    return b''.join(hashlib.sha256(seed + n.to_bytes(4, 'little')).digest()
                    for n in range(SIZE // 32))


def own_name(i):
    return 'load-%d-%03d.bin' % (pid, i)


shared = b''.join(hashlib.sha256(b'shared-%d' % n).digest()
                  for n in range(SHARED_SIZE // 32))
shared_name = 'load-shared-%d.bin' % pid
with open(os.path.join(L.SHARE_DIR, shared_name), 'wb') as f:
    f.write(shared)
os.chown(os.path.join(L.SHARE_DIR, shared_name), L.SHARE_UID, L.SHARE_GID)


class Failed(Exception):
    pass


def need(rep, what, status=L.STATUS_SUCCESS):
    data, h = rep
    if h.status != status:
        raise Failed('%s: %s' % (what, L.status_name(h.status)))
    return data, h


async def read_file(s, tid, fid, size):
    """All of a file: every READ in flight at once (as credits allow)."""
    out = b''
    offs = list(range(0, size, READ))
    while offs:
        n = max(1, min(len(offs), s.credits))
        reps = await s.call(*[s.msg(L.READ, L.read_body(fid, READ, off), tid)
                              for off in offs[:n]])
        for r in reps:
            out += C.read_reply_data(*need(r, 'read'))
        offs = offs[n:]
    return out


async def open_file(s, tid, name, disposition, access):
    (r,) = await s.call(s.msg(L.CREATE, L.create_body(
        name, disposition, access, L.FILE_NON_DIRECTORY_FILE), tid))
    return L.create_reply_file_id(*need(r, 'create %s' % name))


async def client(i, state, connected, finished):
    s = C.AsyncSession(timeout=120)
    stage = 'connect'
    try:
        await s.connect()
        stage = 'login'
        await s.login(DIALECTS[i % 3],
                      struct.pack('<4sIQ', b'load', pid & 0xffffffff, i),
                      require_signing=True)
        stage = 'tree connect'
        (r,) = await s.call(s.msg(L.TREE_CONNECT, L.tree_connect_body(
            '\\\\%s\\%s' % (L.HOST, L.SHARE))))
        tid = need(r, 'tree connect')[1].tree_id
        stage = 'create'
        fid = await open_file(s, tid, own_name(i), L.FILE_OVERWRITE_IF,
                              L.GENERIC_RW_ACCESS)
        stage = 'waiting for the others'
        await asyncio.wait_for(connected.wait(), left())
        data = data_for(i)
        stage = 'write'
        reps = await s.call(*[s.msg(L.WRITE, L.write_body(
            fid, data[off:off + PIECE], off), tid)
            for off in range(0, SIZE, PIECE)])
        for r in reps:
            body = need(r, 'write')[1].body(r[0])
            if struct.unpack_from('<I', body, 4)[0] != PIECE:
                raise Failed('a write was short')
        stage = 'read back'
        back = await read_file(s, tid, fid, SIZE)
        stage = 'close'
        (r,) = await s.call(s.msg(L.CLOSE, L.close_body(fid), tid))
        need(r, 'close')
        stage = 'read the shared file'
        sfid = await open_file(s, tid, shared_name, L.FILE_OPEN,
                               L.GENERIC_READ_ACCESS)
        got = await read_file(s, tid, sfid, SHARED_SIZE)
        (r,) = await s.call(s.msg(L.CLOSE, L.close_body(sfid), tid))
        need(r, 'close')
        if back != data:
            state[i] = 'its own data came back different'
        elif got != shared:
            state[i] = 'the shared file came back different'
        else:
            state[i] = 'ok'
        stage = 'waiting to log off'
        await asyncio.wait_for(finished.wait(), left())
        stage = 'logoff'
        (r,) = await s.call(s.msg(L.LOGOFF, struct.pack('<HH', 4, 0)))
        need(r, 'logoff')
    except asyncio.BrokenBarrierError:
        state[i] = state[i] or 'gave up waiting (%s)' % stage
    except Exception as e:
        state[i] = '%s: %s: %s' % (stage, type(e).__name__, e)
        for b in (connected, finished):
            await b.abort()
    finally:
        await s.close()


def established():
    """Established TCP connections on the server side of port 445."""
    try:
        out = subprocess.run(['ss', '-Htn', 'state', 'established',
                              '( sport = :445 )'], capture_output=True,
                             text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return -1
    return len([ln for ln in out.splitlines() if ln.strip()])


async def main():
    state = [None] * CLIENTS
    connected = asyncio.Barrier(CLIENTS + 1)
    finished = asyncio.Barrier(CLIENTS + 1)
    tasks = [asyncio.create_task(client(i, state, connected, finished))
             for i in range(CLIENTS)]
    try:
        await asyncio.wait_for(connected.wait(), left())
        n_conn = established()
        chk.ok(n_conn >= CLIENTS, '%d connections established at once' %
               CLIENTS, 'ss counts %d' % n_conn)
        chk.note('all %d clients connected after %.0f s' %
                 (CLIENTS, time.monotonic() - start))
        await asyncio.wait_for(finished.wait(), left())
        chk.note('all did their I/O after %.0f s' %
                 (time.monotonic() - start))
    except (asyncio.BrokenBarrierError, asyncio.TimeoutError):
        chk.fail('all clients got connected and did their I/O',
                 'a client failed or the deadline passed')
        for b in (connected, finished):
            await b.abort()
    done, pending = await asyncio.wait(tasks, timeout=left())
    chk.ok(not pending, 'every client finished in time',
           '%d still running' % len(pending))
    for t in pending:
        t.cancel()
    return state


results = asyncio.run(main())
bad = [(i, r) for i, r in enumerate(results) if r != 'ok']
chk.ok(not bad, 'all %d clients wrote, read back and compared' % CLIENTS,
       '%d failed, first: %s' % (len(bad), bad[:3]))

wrong = []
for i in range(CLIENTS):
    path = os.path.join(L.SHARE_DIR, own_name(i))
    try:
        st = os.stat(path)
        with open(path, 'rb') as f:
            ok = f.read() == data_for(i) and st.st_uid == L.SHARE_UID
    except OSError:
        ok = False
    if not ok:
        wrong.append(i)
chk.ok(not wrong, 'every file is on the server with its content and owner',
       'wrong: %s' % wrong[:10])
chk.note('total %.0f s' % (time.monotonic() - start))
ok, why = L.server_answers()
chk.ok(ok, 'the server still lists the share', why)
chk.finish()
