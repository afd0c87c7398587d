#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 400
"""The daemon killed (SIGKILL) and restarted under connected clients.

Three sessions (SMB 2.1, 3.0, 3.1.1) are logged in with the share
connected and a file open, then ksmbd.mountd is killed with SIGKILL. While
it is gone the established sessions must keep working (write, read back,
list the directory, create a file: nothing there needs the daemon), while
what needs the daemon must fail cleanly and quickly instead of hanging: a
new login, and a new tree connect (IPC$) on an established session. Then a
new ksmbd.mountd is started (it detaches and reports whether it registered
with the kernel): new logins work again, the old sessions still work and
can connect a tree again, including the one that was refused. The
daemon is left running for later tests.
"""

import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()
from impacket import smb3structs as S  # noqa: E402

TOOLS = os.path.normpath(os.path.join(os.path.dirname(
    os.path.abspath(__file__)), '..', '..', '..', 'ksmbd'))
MOUNTD = os.path.join(TOOLS, 'ksmbd.mountd')
CLEAN_FAIL_SECONDS = 60     # what "fails quickly" means here

chk = L.Checker()
pid = os.getpid()


def bounded(fn, seconds):
    """Run fn in a thread; ('done', value), ('error', exc) or ('hung',
    None) if it did not return in time."""
    box = {}

    def run():
        try:
            box['v'] = ('done', fn())
        except Exception as e:
            box['v'] = ('error', e)
    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    return box.get('v', ('hung', None))


class Client:
    def __init__(self, dialect, tag):
        self.tag = tag
        self.conn = L.connect(dialect=dialect, timeout=30)
        self.smb = self.conn.getSMBServer()
        self.tid = self.conn.connectTree(L.SHARE)
        self.name = 'daemon-%d-%s.bin' % (pid, tag)
        self.fid = self.smb.create(self.tid, self.name, L.GENERIC_RW_ACCESS,
                                   L.FILE_SHARE_ALL,
                                   L.FILE_NON_DIRECTORY_FILE,
                                   L.FILE_OVERWRITE_IF, 0)
        self.n = 0

    def works(self, what):
        """Write, read back, list, create: True if all went right."""
        self.n += 1
        data = ('%s round %d\n' % (self.tag, self.n)).encode() * 100
        try:
            self.smb.write(self.tid, self.fid, data, 0, len(data))
            back = self.smb.read(self.tid, self.fid, 0, len(data))
            names = [f.get_longname() for f in
                     self.conn.listPath(L.SHARE, 'daemon-%d-*' % pid)]
            extra = 'daemon-%d-%s-%d.txt' % (pid, self.tag, self.n)
            f = self.smb.create(self.tid, extra, L.GENERIC_RW_ACCESS,
                                L.FILE_SHARE_ALL, L.FILE_NON_DIRECTORY_FILE,
                                L.FILE_CREATE, 0)
            self.smb.close(self.tid, f)
        except Exception as e:
            return chk.fail('%s: %s: established session works' % (
                what, self.tag), '%s: %s' % (type(e).__name__, e))
        return chk.ok(back == data and self.name in names and
                      os.path.exists(os.path.join(L.SHARE_DIR, extra)),
                      '%s: %s: established session writes, reads, lists '
                      'and creates' % (what, self.tag))


ok, why = L.server_answers()
chk.ok(ok, 'the server answers at the start', why)
before = L.mountd_pids()
chk.ok(len(before) >= 1, 'ksmbd.mountd is running', 'no process found')
clients = [Client(S.SMB2_DIALECT_21, '21'), Client(S.SMB2_DIALECT_30, '30'),
           Client(S.SMB2_DIALECT_311, '311')]
for c in clients:
    c.works('before')

# Kill it the hard way: no goodbye to the kernel.
for p in before:
    try:
        os.kill(p, signal.SIGKILL)
    except ProcessLookupError:
        pass
for _ in range(100):
    if not L.mountd_pids():
        break
    time.sleep(0.1)
chk.eq('ksmbd.mountd processes after SIGKILL', [], L.mountd_pids())
time.sleep(1)

for c in clients:
    c.works('daemon gone')

t0 = time.monotonic()
how, val = bounded(lambda: L.connect(timeout=30), CLEAN_FAIL_SECONDS)
took = time.monotonic() - t0
if how == 'done':
    chk.fail('daemon gone: a new login is refused', 'it succeeded')
    val.close()
else:
    chk.ok(how == 'error', 'daemon gone: a new login fails within %ds' %
           CLEAN_FAIL_SECONDS, 'still waiting after %.0f s' % took)
    if how == 'error':
        chk.note('new login failed after %.1f s: %s: %s' % (
            took, type(val).__name__, val))
        # MS-ERREF: nobody to check the password is not a wrong password.
        chk.ok('STATUS_NO_LOGON_SERVERS' in str(val),
               'daemon gone: the login fails with STATUS_NO_LOGON_SERVERS',
               str(val))

# impacket reuses a tree it already has: ask for one this session has not
# connected (IPC$ too is the daemon's decision).
c = clients[0]
how, val = bounded(lambda: c.conn.connectTree('IPC$'), CLEAN_FAIL_SECONDS)
chk.ok(how == 'error', 'daemon gone: a new tree connect fails within %ds' %
       CLEAN_FAIL_SECONDS, 'it %s' % ('succeeded' if how == 'done' else
                                      'did not return'))
if how == 'error':
    chk.note('tree connect failed: %s: %s' % (type(val).__name__, val))
c.works('after the refused tree connect')

# A new daemon: it detaches once registered with the kernel.
r = subprocess.run([MOUNTD], capture_output=True, text=True, timeout=60)
chk.eq('a new ksmbd.mountd starts and registers (exit status)', 0,
       r.returncode)
if r.returncode:
    print(r.stdout + r.stderr)
chk.ok(len(L.mountd_pids()) >= 1, 'the new ksmbd.mountd is running')

ok, why = False, ''
for _ in range(10):
    ok, why = L.server_answers()
    if ok:
        break
    time.sleep(1)
chk.ok(ok, 'daemon back: a new login lists the share', why)
for c in clients:
    c.works('daemon back')
for c in clients[:2]:
    try:
        tid = c.conn.connectTree('IPC$')
        chk.ok(tid != 0, 'daemon back: %s: an established session connects '
               'a tree' % c.tag)
    except Exception as e:
        chk.fail('daemon back: %s: an established session connects a tree'
                 % c.tag, '%s: %s' % (type(e).__name__, e))
for c in clients:
    try:
        c.smb.close(c.tid, c.fid)
        c.conn.logoff()
        c.conn.close()
    except Exception as e:
        chk.fail('%s: close and log off' % c.tag, str(e))
chk.finish()
