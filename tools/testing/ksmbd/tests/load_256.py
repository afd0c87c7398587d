#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 900
"""256 clients at once, each on its own TCP connection and session.

Every client (a thread with an impacket SMBConnection; SMB 2.1, 3.0 and
3.1.1 in turn) logs in, connects the share and creates its own file; when
all 256 are connected (the server then holds 256 established connections,
counted with ss) they all write 128 KiB to their file in 32 KiB pieces,
read it back, read one shared 1 MiB file, close and log off. Each client's
data and the shared file must come back intact, every file must be on the
server with the right content and owner, and the server must still answer
afterwards. Everything is bounded in time (LOAD_DEADLINE, 600 s).

LOAD_CLIENTS changes the number of clients.
"""

import hashlib
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()
from impacket import smb3structs as S  # noqa: E402

CLIENTS = int(os.environ.get('LOAD_CLIENTS', '256'))
DEADLINE = float(os.environ.get('LOAD_DEADLINE', '600'))
PIECE = 32 * 1024
SIZE = 4 * PIECE
DIALECTS = (S.SMB2_DIALECT_21, S.SMB2_DIALECT_30, S.SMB2_DIALECT_311)

chk = L.Checker()
pid = os.getpid()
start = time.monotonic()


def left():
    return max(1.0, DEADLINE - (time.monotonic() - start))


def data_for(i):
    """128 KiB that differ for every client (and every piece)."""
    seed = hashlib.sha256(b'load-%d-%d' % (pid, i)).digest()
    out = bytearray()
    n = 0
    while len(out) < SIZE:
        out += hashlib.sha256(seed + n.to_bytes(4, 'little')).digest()
        n += 1
    return bytes(out[:SIZE])


shared = b''.join(hashlib.sha256(b'shared-%d' % n).digest()
                  for n in range(32768))            # 1 MiB
shared_name = 'load-shared-%d.bin' % pid
with open(os.path.join(L.SHARE_DIR, shared_name), 'wb') as f:
    f.write(shared)
os.chown(os.path.join(L.SHARE_DIR, shared_name), L.SHARE_UID, L.SHARE_GID)

connected = threading.Barrier(CLIENTS + 1)
finished = threading.Barrier(CLIENTS + 1)
results = [None] * CLIENTS


def read_all(smb, tid, fid, size):
    buf = b''
    while len(buf) < size:
        got = smb.read(tid, fid, len(buf), min(65536, size - len(buf)))
        if not got:
            break
        buf += got
    return buf


def client(i):
    conn = None
    stage = 'login'
    try:
        conn = L.connect(dialect=DIALECTS[i % 3], timeout=120)
        smb = conn.getSMBServer()
        stage = 'tree connect'
        tid = conn.connectTree(L.SHARE)
        stage = 'create'
        fid = smb.create(tid, 'load-%d-%03d.bin' % (pid, i),
                         L.GENERIC_RW_ACCESS, L.FILE_SHARE_ALL,
                         L.FILE_NON_DIRECTORY_FILE, L.FILE_OVERWRITE_IF, 0)
        stage = 'waiting for the others'
        connected.wait(timeout=left())
        data = data_for(i)
        stage = 'write'
        for off in range(0, SIZE, PIECE):
            smb.write(tid, fid, data[off:off + PIECE], off, PIECE)
        stage = 'read back'
        back = read_all(smb, tid, fid, SIZE)
        smb.close(tid, fid)
        stage = 'read the shared file'
        sfid = smb.create(tid, shared_name, L.GENERIC_READ_ACCESS,
                          L.FILE_SHARE_ALL, L.FILE_NON_DIRECTORY_FILE,
                          L.FILE_OPEN, 0)
        got = read_all(smb, tid, sfid, len(shared))
        smb.close(tid, sfid)
        if back != data:
            results[i] = 'its own data came back different'
        elif got != shared:
            results[i] = 'the shared file came back different'
        else:
            results[i] = 'ok'
        stage = 'waiting to log off'
        finished.wait(timeout=left())
        stage = 'logoff'
        conn.logoff()
    except threading.BrokenBarrierError:
        results[i] = results[i] or 'gave up waiting (%s)' % stage
    except Exception as e:
        results[i] = '%s: %s: %s' % (stage, type(e).__name__, e)
        for b in (connected, finished):
            try:
                b.abort()
            except Exception:
                pass
    finally:
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass


def established():
    """Established TCP connections on the server side of port 445."""
    try:
        out = subprocess.run(['ss', '-Htn', 'state', 'established',
                              '( sport = :445 )'], capture_output=True,
                             text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return -1
    return len([ln for ln in out.splitlines() if ln.strip()])


threading.stack_size(512 * 1024)
threads = [threading.Thread(target=client, args=(i,), daemon=True)
           for i in range(CLIENTS)]
for t in threads:
    t.start()
try:
    connected.wait(timeout=left())
    n_conn = established()
    t_conn = time.monotonic() - start
    chk.ok(n_conn >= CLIENTS, '%d connections established at once' % CLIENTS,
           'ss counts %d' % n_conn)
    chk.note('all %d clients connected after %.0f s' % (CLIENTS, t_conn))
    finished.wait(timeout=left())
    chk.note('all did their I/O after %.0f s' % (time.monotonic() - start))
except threading.BrokenBarrierError:
    chk.fail('all clients got connected and did their I/O',
             'a client failed or the deadline passed')
for t in threads:
    t.join(timeout=left())
chk.ok(not any(t.is_alive() for t in threads), 'every client finished in '
       'time', '%d still running' % sum(t.is_alive() for t in threads))

bad = [(i, r) for i, r in enumerate(results) if r != 'ok']
chk.ok(not bad, 'all %d clients wrote, read back and compared' % CLIENTS,
       '%d failed, first: %s' % (len(bad), bad[:3]))

wrong = []
for i in range(CLIENTS):
    path = os.path.join(L.SHARE_DIR, 'load-%d-%03d.bin' % (pid, i))
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
