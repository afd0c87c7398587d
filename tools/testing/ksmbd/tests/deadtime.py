#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 300
"""deadtime: idle connections without open files are dropped.

"deadtime = 1" is added to the daemon's configuration (ksmbd.control
--reload). Three clients log in and connect the share: one lists it and
goes quiet, one keeps a file open and goes quiet, one sends an ECHO every
10 seconds. The quiet one without files must still be connected after 40
seconds and be disconnected by the server within 2 minutes, with a line in
the kernel log; the other two must still work then. The configuration is
restored at the end.
"""

import os
import select
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()
from impacket import smb3structs as S  # noqa: E402

TOOLS = os.path.normpath(os.path.join(os.path.dirname(
    os.path.abspath(__file__)), '..', '..', '..', 'ksmbd'))
CONF = '/etc/ksmbd/ksmbd.conf'

chk = L.Checker()


def reload_daemon():
    r = subprocess.run([os.path.join(TOOLS, 'ksmbd.control'), '--reload'],
                       capture_output=True, text=True, timeout=60)
    time.sleep(1)
    return r.returncode == 0


def closed_by_server(conn):
    """True once the server has closed the connection's socket."""
    sock = conn.getSMBServer()._NetBIOSSession.get_socket()
    readable, _, _ = select.select([sock], [], [], 0)
    if not readable:
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK) == b''
    except OSError:
        return True


def with_deadtime(text):
    out = []
    for ln in text.splitlines():
        if ln.strip().lower().startswith('deadtime'):
            continue
        out.append(ln)
        if ln.strip().lower() == '[global]':
            out.append('\tdeadtime = 1')
    return '\n'.join(out) + '\n'


with open(CONF) as f:
    conf_before = f.read()
if '[global]' not in conf_before.lower():
    L.skip('no [global] section in ' + CONF)
klog = L.KernelLog()
conns = []
try:
    with open(CONF, 'w') as f:
        f.write(with_deadtime(conf_before))
    chk.ok(reload_daemon(), 'the daemon reloads with deadtime = 1')

    idle = L.connect(dialect=S.SMB2_DIALECT_311)
    conns.append(idle)
    idle.connectTree(L.SHARE)
    idle.listPath(L.SHARE, '*')

    holder = L.connect(dialect=S.SMB2_DIALECT_311)
    conns.append(holder)
    smb = holder.getSMBServer()
    tid = holder.connectTree(L.SHARE)
    fid = smb.create(tid, 'deadtime-%d.txt' % os.getpid(),
                     L.GENERIC_RW_ACCESS | L.DELETE, L.FILE_SHARE_ALL,
                     L.FILE_NON_DIRECTORY_FILE | 0x1000,   # DELETE_ON_CLOSE
                     L.FILE_OVERWRITE_IF, 0)
    smb.write(tid, fid, b'still here', 0, 10)

    busy = L.connect(dialect=S.SMB2_DIALECT_311)
    conns.append(busy)
    busy.connectTree(L.SHARE)

    start = time.monotonic()
    dropped_at = None
    early = False
    while time.monotonic() - start < 120:
        time.sleep(5)
        t = time.monotonic() - start
        if int(t) % 10 < 5:
            busy.getSMBServer().echo()
        if closed_by_server(idle):
            dropped_at = t
            early = t < 40
            break
    chk.ok(dropped_at is not None, 'the idle connection is dropped within '
           '2 minutes', 'still connected after 120 s')
    chk.ok(not early, 'it is not dropped before 40 s',
           'dropped after %.0f s' % (dropped_at or 0))
    if dropped_at is not None:
        chk.note('dropped after %.0f s' % dropped_at)
    chk.ok(not closed_by_server(holder),
           'the connection with an open file is kept', 'it was dropped')
    try:
        data = smb.read(tid, fid, 0, 10)
        chk.eq('the open file still reads', b'still here', data)
        smb.close(tid, fid)
    except Exception as e:
        chk.fail('the open file still reads', '%s: %s' % (
            type(e).__name__, e))
    try:
        busy.listPath(L.SHARE, '*')
        chk.ok(True, 'the connection that sends echoes is kept')
    except Exception as e:
        chk.fail('the connection that sends echoes is kept', '%s: %s' % (
            type(e).__name__, e))
    if klog.usable:
        lines = klog.new_lines()
        chk.ok(any('disconnecting' in ln and 'idle' in ln for ln in lines),
               'the kernel log says why', 'no "idle ... disconnecting" line')
finally:
    for c in conns:
        try:
            c.close()
        except Exception:
            pass
    with open(CONF, 'w') as f:
        f.write(conf_before)
    reload_daemon()
ok, why = L.server_answers()
chk.ok(ok, 'a new login works after the configuration is restored', why)
chk.finish()
