#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 900
"""Connection churn without goodbyes must not leak kernel memory.

Each round makes CHURN_COUNT (default 300) connections and drops every
one of them by closing the TCP socket, without LOGOFF, TREE_DISCONNECT or
CLOSE, at different points: after NEGOTIATE; half-way through NTLM
SESSION_SETUP (after the challenge); logged in; with the share and IPC$
connected; with files open (one being written, one a directory) and the
srvsvc pipe open; in the middle of a compound. A small first round warms
the caches. After each round the test waits until the server has torn the
connections down (no server socket on port 445 established or left to be
closed by the server), drops the page and dentry caches and reads the
unreclaimable slab memory (SUnreclaim in /proc/meminfo) and the objects in
use of every slab cache (/proc/slabinfo). Two measured rounds follow the
warm-up: neither may grow SUnreclaim by more than CHURN_SLAB_KB (default
512 KiB, under 2 KiB per connection, where the noise is tens of KiB) nor
any one cache by more than a third of an object per connection. So
losing one object of any size per dropped connection fails (a connection
object alone is 4 KiB). Where kmemleak is on (the debug kernel), no object
may be newly reported as leaked after the rounds; where KASAN is on, the
slab counts are only shown (its quarantine keeps freed objects).
"""

import os
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()

COUNT = int(os.environ.get('CHURN_COUNT', '300'))
WARMUP = max(30, COUNT // 5)
SLAB_KB = int(os.environ.get('CHURN_SLAB_KB', '512'))
PER_CACHE = max(16, COUNT // 3)
DEADLINE = time.monotonic() + 780

chk = L.Checker()
pid = os.getpid()


def spnego_ntlm_negotiate():
    from impacket.spnego import SPNEGO_NegTokenInit, TypesMech
    t = SPNEGO_NegTokenInit()
    t['MechTypes'] = [
        TypesMech['NTLMSSP - Microsoft NTLM Security Support Provider']]
    t['MechToken'] = b'NTLMSSP\0' + struct.pack('<II', 1, 0xe2088297) + \
        b'\0' * 16
    return t.getData()


def drop(sock):
    """Close the TCP connection abruptly (RST if data is unread)."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                        struct.pack('ii', 1, 0))
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


def after_negotiate(i):
    c = L.RawConn(timeout=20)
    c.negotiate(L.DIALECTS_ALL if i % 2 else L.DIALECTS_SMB2)
    drop(c.sock)


def mid_session_setup(i):
    c = L.RawConn(timeout=20)
    c.negotiate(L.DIALECTS_SMB2)
    c.send(L.frame(L.header(L.SESSION_SETUP, message_id=1) +
                   L.session_setup_body(spnego_ntlm_negotiate())))
    c.recv_reply()          # the challenge: a session half made
    drop(c.sock)


def logged_in(i, trees=False, files=False, compound=False):
    # The compound is sent unsigned: SMB 2.1, where signing is not on.
    conn = L.connect(dialect=0x0210 if compound else
                     (0x0210, 0x0300, 0x0311)[i % 3], timeout=30)
    smb = conn.getSMBServer()
    if trees or files or compound:
        tid = conn.connectTree(L.SHARE)
        try:
            ipc = conn.connectTree('IPC$')
        except Exception:
            ipc = None
    if files:
        f = smb.create(tid, 'churn-%d-%d.bin' % (pid, i % 7),
                       L.GENERIC_RW_ACCESS, L.FILE_SHARE_ALL,
                       L.FILE_NON_DIRECTORY_FILE, L.FILE_OVERWRITE_IF, 0)
        smb.write(tid, f, b'x' * 5000, 0, 5000)
        smb.create(tid, '', L.GENERIC_READ_ACCESS, L.FILE_SHARE_ALL,
                   L.FILE_DIRECTORY_FILE, L.FILE_OPEN, 0)
        if ipc is not None:
            try:
                smb.create(ipc, 'srvsvc', 0x0012019f, L.FILE_SHARE_ALL, 0,
                           L.FILE_OPEN, 0)
            except Exception:
                pass
    sock = smb._NetBIOSSession.get_socket()
    if compound:
        # A CREATE + WRITE + READ chain sent, and the socket dropped
        # before the answer is read.
        c = smb._Connection
        mid = c['SequenceWindow']
        sid = smb._Session['SessionID']
        parts = [(L.CREATE, L.create_body('churn-c-%d.bin' % pid,
                                          disposition=L.FILE_OPEN_IF,
                                          access=L.GENERIC_RW_ACCESS))]
        ones = b'\xff' * 16
        parts.append((L.WRITE, L.write_body(ones, b'y' * 3000)))
        parts.append((L.READ, L.read_body(ones, 3000)))
        data = b''
        for n, (cmd, body) in enumerate(parts):
            last = n == len(parts) - 1
            pad = 0 if last else L.pad8(64 + len(body))
            nxt = 0 if last else 64 + len(body) + pad
            data += L.header(cmd, message_id=mid + n, session_id=sid,
                             tree_id=tid, next_command=nxt,
                             flags=4 if n else 0) + body + b'\0' * pad
        if smb._Session['SigningActivated']:
            data = b''      # signing by hand is not worth it here
        if data:
            sock.sendall(L.frame(data))
    drop(sock)


KINDS = [after_negotiate, mid_session_setup,
         lambda i: logged_in(i),
         lambda i: logged_in(i, trees=True),
         lambda i: logged_in(i, files=True),
         lambda i: logged_in(i, trees=True, compound=True)]


def churn(n, base):
    errors = 0
    first = ''
    for i in range(base, base + n):
        if time.monotonic() > DEADLINE:
            return errors, 'deadline passed'
        try:
            KINDS[i % len(KINDS)](i)
        except Exception as e:
            errors += 1
            first = first or '%s: %s' % (type(e).__name__, e)
    return errors, first


def conns_on_445():
    """The server's connections not yet torn down: established, or closed
    by the client but not yet by the server (TIME-WAIT and FIN-WAIT-2 are
    TCP's business once the server has closed; other tests' clients leave
    TIME-WAIT sockets behind)."""
    states = []
    for st in ('established', 'close-wait', 'syn-recv', 'last-ack',
               'closing', 'fin-wait-1'):
        states += ['state', st]
    try:
        out = subprocess.run(['ss', '-Htn'] + states + ['( sport = :445 )'],
                             capture_output=True, text=True,
                             timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return -1
    return len([ln for ln in out.splitlines() if ln.strip()])


def settle():
    """Wait for the teardown, then drop the caches. Returns the number of
    connections still there."""
    n = -1
    for _ in range(120):
        n = conns_on_445()
        if n == 0:
            break
        time.sleep(0.5)
    time.sleep(2)       # RCU and work items after the last close
    subprocess.run(['sync'], timeout=60)
    try:
        with open('/proc/sys/vm/drop_caches', 'w') as f:
            f.write('3\n')
    except OSError:
        pass
    time.sleep(1)
    return n


def measure():
    with open('/proc/meminfo') as f:
        mem = dict((ln.split(':')[0], int(ln.split()[1]))
                   for ln in f if ln.strip())
    caches = {}
    try:
        with open('/proc/slabinfo') as f:
            for ln in f:
                if ln.startswith(('slabinfo', '#')):
                    continue
                p = ln.split()
                caches[p[0]] = int(p[1])
    except OSError:
        pass
    return mem.get('SUnreclaim', -1), mem.get('MemFree', -1), caches


KMEMLEAK = '/sys/kernel/debug/kmemleak'


def kasan_kernel():
    """KASAN keeps freed objects in a quarantine (a share of memory), so
    slab counts there say nothing about leaks."""
    try:
        with open('/proc/kallsyms') as f:
            return any(' kasan_report' in ln for ln in f)
    except OSError:
        return False


def kmemleak_objects():
    """The objects kmemleak reports as leaked now (after two scans: a new
    object is reported only once its content stayed the same between
    scans), or None without kmemleak."""
    if not os.path.exists(KMEMLEAK):
        return None
    for _ in range(2):
        with open(KMEMLEAK, 'w') as f:
            f.write('scan\n')
    with open(KMEMLEAK) as f:
        text = f.read()
    objs = {}
    cur = None
    for ln in text.splitlines():
        if ln.startswith('unreferenced object'):
            cur = ln.split()[2]
            objs[cur] = [ln]
        elif cur and len(objs[cur]) < 12:
            objs[cur].append(ln)
    return objs


def compare(tag, before, after):
    su0, free0, c0 = before
    su1, free1, c1 = after
    grew = su1 - su0
    chk.note('%s: SUnreclaim %d -> %d kB (%+d), MemFree %d -> %d kB' % (
        tag, su0, su1, grew, free0, free1))
    growth = sorted(((c1.get(k, 0) - c0.get(k, 0), k) for k in c1),
                    reverse=True)[:5]
    chk.note('%s: largest cache growth (objects): %s' % (
        tag, ', '.join('%s %+d' % (k, d) for d, k in growth)))
    if KASAN:
        chk.note('%s: KASAN kernel: the slab counts are not judged (its '
                 'quarantine holds freed objects); kmemleak is' % tag)
        return
    chk.ok(grew <= SLAB_KB, '%s: unreclaimable slab grew by at most %d kB '
           'for %d dropped connections' % (tag, SLAB_KB, COUNT),
           'grew by %d kB' % grew)
    if c0:
        d, k = growth[0]
        chk.ok(d <= PER_CACHE, '%s: no slab cache grew by more than %d '
               'objects' % (tag, PER_CACHE), '%s grew by %d' % (k, d))


KASAN = kasan_kernel()
ok, why = L.server_answers()
chk.ok(ok, 'the server answers before the churn', why)
t0 = time.monotonic()
leaks0 = kmemleak_objects()
err, first = churn(WARMUP, 0)
chk.eq('warm-up: connections that failed', 0, err)
left = settle()
chk.eq('warm-up: connections left after teardown', 0, left)
m0 = measure()
for r in (1, 2):
    err, first = churn(COUNT, r * 100000)
    chk.ok(err == 0, 'round %d: %d connections made and dropped' % (
        r, COUNT), '%d failed, first: %s' % (err, first))
    left = settle()
    chk.eq('round %d: connections left after teardown' % r, 0, left)
    m1 = measure()
    compare('round %d' % r, m0, m1)
    m0 = m1 if r == 1 else m0
if leaks0 is not None:
    time.sleep(6)       # kmemleak ignores objects younger than 5 s
    leaks1 = kmemleak_objects()
    new = [a for a in leaks1 if a not in leaks0]
    chk.ok(not new, 'kmemleak finds no new leaked object', '%d new, first:'
           '\n' % len(new) + '\n'.join(leaks1[new[0]]) if new else '')
chk.note('%.0f s' % (time.monotonic() - t0))
ok, why = L.server_answers()
chk.ok(ok, 'the server still lists the share', why)
chk.finish()
