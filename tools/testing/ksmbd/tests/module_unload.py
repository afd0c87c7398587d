#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 400
"""Unloading the server module with clients connected (module kernels).

Runs where the server is a module (the debug kernel: the guest loads the
files listed in KSMBD_MODULES); skipped where it is built in. With logged-in
sessions holding files open, connections stopped after NEGOTIATE and one
client writing in a loop:
  - unloading must be refused (EBUSY or EAGAIN: every connection holds
    the module) and the sessions must keep working;
  - ksmbd.control --shutdown stops the server while the writer is busy:
    the connections and the listener must go away within 30 s;
  - the module must then unload, and load again; a new daemon starts and
    a login works.
Then three quicker cycles (clients busy, shutdown, unload, load, start,
login). The kernel log is checked by the runner after the test (and the
whole console, kmemleak included, by the debug run). The server is left
loaded and running.
"""

import errno
import os
import subprocess
import sys
import threading
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, '..'))
sys.path.insert(0, os.path.join(here, '..', 'helpers'))
import lib_smb as L  # noqa: E402
import kmod  # noqa: E402

L.need_impacket()
from impacket import smb3structs as S  # noqa: E402

TOOLS = os.path.normpath(os.path.join(here, '..', '..', '..', 'ksmbd'))
MODULE = 'ksmbd'

chk = L.Checker()
files = [f for f in os.environ.get('KSMBD_MODULES', '').split(':') if f]
ko = [f for f in files if os.path.basename(f) == MODULE + '.ko']
if not kmod.loaded(MODULE) or not ko:
    L.skip('the server is built into this kernel, not a module (the debug '
           'kernel, KSMBD_FLAVOR=debug, loads it as one)')
ko = ko[0]
pid = os.getpid()


def run(*cmd, timeout=60):
    return subprocess.run(cmd, capture_output=True, text=True,
                          timeout=timeout)


def tcp_445(state):
    out = run('ss', '-Htn', 'state', state, '( sport = :445 )').stdout
    return len([ln for ln in out.splitlines() if ln.strip()])


def wait_for(cond, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.25)
    return cond()


class Writer(threading.Thread):
    """Writes 64 KiB pieces until it fails, is told to stop or 90 s pass."""

    def __init__(self, tag):
        super().__init__(daemon=True)
        self.conn = L.connect(dialect=S.SMB2_DIALECT_311)
        self.smb = self.conn.getSMBServer()
        self.tid = self.conn.connectTree(L.SHARE)
        self.fid = self.smb.create(self.tid, 'unload-%d-%s.bin' % (pid, tag),
                                   L.GENERIC_RW_ACCESS, L.FILE_SHARE_ALL,
                                   L.FILE_NON_DIRECTORY_FILE,
                                   L.FILE_OVERWRITE_IF, 0)
        self.stop = threading.Event()
        self.writes = 0
        self.error = None

    def run(self):
        data = b'w' * 65536
        end = time.monotonic() + 90
        while not self.stop.is_set() and time.monotonic() < end:
            try:
                self.smb.write(self.tid, self.fid, data,
                               (self.writes % 64) * 65536, len(data))
                self.writes += 1
            except Exception as e:
                self.error = e
                return


def clients(n):
    """n sessions with a file open, and two connections after NEGOTIATE."""
    out = []
    for i in range(n):
        c = L.connect(dialect=(S.SMB2_DIALECT_21, S.SMB2_DIALECT_30,
                               S.SMB2_DIALECT_311)[i % 3])
        tid = c.connectTree(L.SHARE)
        smb = c.getSMBServer()
        fid = smb.create(tid, 'unload-%d-%d.txt' % (pid, i),
                         L.GENERIC_RW_ACCESS, L.FILE_SHARE_ALL,
                         L.FILE_NON_DIRECTORY_FILE, L.FILE_OVERWRITE_IF, 0)
        out.append((c, smb, tid, fid))
    raws = []
    for _ in range(2):
        r = L.RawConn(timeout=10)
        r.negotiate(L.DIALECTS_ALL)
        raws.append(r)
    return out, raws


def start_server(tag):
    if not kmod.loaded(MODULE):
        err = kmod.load(ko)
        chk.eq('%s: load %s (errno)' % (tag, os.path.basename(ko)), 0, err)
    r = run(os.path.join(TOOLS, 'ksmbd.mountd'))
    chk.eq('%s: ksmbd.mountd starts and registers' % tag, 0, r.returncode)
    ok, why = False, ''
    for _ in range(10):
        ok, why = L.server_answers()
        if ok:
            break
        time.sleep(1)
    chk.ok(ok, '%s: a login lists the share' % tag, why)


def shutdown_and_unload(tag):
    r = run(os.path.join(TOOLS, 'ksmbd.control'), '--shutdown')
    chk.eq('%s: ksmbd.control --shutdown' % tag, 0, r.returncode)
    chk.ok(wait_for(lambda: tcp_445('established') == 0 and
                    tcp_445('listening') == 0, 30),
           '%s: connections and listener gone within 30 s' % tag,
           '%d established, %d listening' % (tcp_445('established'),
                                             tcp_445('listening')))
    err = -1
    end = time.monotonic() + 30
    while time.monotonic() < end:
        err = kmod.unload(MODULE)
        if err not in (errno.EAGAIN, errno.EBUSY):
            break
        time.sleep(0.5)
    chk.eq('%s: the module unloads (errno)' % tag, 0, err)
    chk.ok(not kmod.loaded(MODULE), '%s: and is gone' % tag)


# 1. Refused while connections hold it.
sessions, raws = clients(6)
writer = Writer('a')
writer.start()
time.sleep(1)
err = kmod.unload(MODULE)
chk.ok(err in (errno.EAGAIN, errno.EBUSY), 'unloading with clients '
       'connected is refused', 'errno %s' % errno.errorcode.get(err, err))
chk.ok(kmod.loaded(MODULE), 'the module is still loaded')
bad = 0
for c, smb, tid, fid in sessions:
    try:
        smb.write(tid, fid, b'still here', 0, 10)
        bad += smb.read(tid, fid, 0, 10) != b'still here'
    except Exception:
        bad += 1
chk.eq('sessions that stopped working after the refused unload', 0, bad)
chk.ok(writer.is_alive() and writer.writes > 0, 'the writer is still '
       'writing', 'writes %d, error %s' % (writer.writes, writer.error))

# 2. Shutdown under load, unload, load again.
shutdown_and_unload('first')
writer.stop.set()
writer.join(30)
chk.ok(writer.error is not None, 'the writer saw its connection end',
       'no error after %d writes' % writer.writes)
for c, *_ in sessions:
    try:
        c.close()
    except Exception:
        pass
for r in raws:
    r.close()
start_server('first')

# 3. Quicker cycles with busy clients.
for n in range(3):
    tag = 'cycle %d' % (n + 1)
    sessions, raws = clients(2)
    w = Writer('c%d' % n)
    w.start()
    time.sleep(0.5)
    shutdown_and_unload(tag)
    w.stop.set()
    w.join(30)
    for c, *_ in sessions:
        try:
            c.close()
        except Exception:
            pass
    for r in raws:
        r.close()
    start_server(tag)
chk.finish()
