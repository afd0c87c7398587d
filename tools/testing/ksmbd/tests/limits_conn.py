#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 240
"""limits_conn: what a client can make the server hold on connections.

At once, on separate connections: one that never sends a byte, one that
negotiates and never logs in, one that sends two bytes of a frame header
before NEGOTIATE, and one that logs in and then stalls half-way through a
4 KiB frame. The server must drop each of them after its 30 s bound (not
before 20 s, by 50 s at the latest), while a logged-in connection that only
idles is kept (an ECHO on it works after 40 s) and a well-behaved client
logs in, writes and reads a file during the stalls.

Then "max ip connections = 8" is set (ksmbd.control --reload): with eight
connections from 127.0.0.1 a ninth is closed without an answer to its
NEGOTIATE; closing one lets a new login through. The configuration is
restored at the end.
"""

import os
import socket
import struct
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
CONF = '/etc/ksmbd/ksmbd.conf'
IP_LIMIT = 8

chk = L.Checker()


def reload_daemon():
    r = subprocess.run([os.path.join(TOOLS, 'ksmbd.control'), '--reload'],
                       capture_output=True, text=True, timeout=60)
    time.sleep(1)
    return r.returncode == 0


def with_global(text, line):
    out = []
    key = line.split('=')[0].strip().lower()
    for ln in text.splitlines():
        if ln.strip().lower().startswith(key):
            continue
        out.append(ln)
        if ln.strip().lower() == '[global]':
            out.append('\t' + line)
    return '\n'.join(out) + '\n'


def watch_close(sock, name, t0, closed_at):
    """Record when the server closes @sock (a read gives EOF or RST)."""
    sock.settimeout(90)
    try:
        while True:
            if not sock.recv(65536):
                break
    except OSError:
        pass
    closed_at[name] = time.monotonic() - t0


def good_client(result):
    """A normal client's whole job; result gets the error or None."""
    try:
        c = L.connect(dialect=S.SMB2_DIALECT_311)
        tid = c.connectTree(L.SHARE)
        smb = c.getSMBServer()
        name = 'limits-conn-%d.txt' % os.getpid()
        fid = smb.create(tid, name, L.GENERIC_RW_ACCESS, L.FILE_SHARE_ALL,
                         L.FILE_NON_DIRECTORY_FILE, L.FILE_OVERWRITE_IF, 0)
        data = b'written while others stall'
        smb.write(tid, fid, data, 0, len(data))
        data = smb.read(tid, fid, 0, 100)
        smb.close(tid, fid)
        c.deleteFile(L.SHARE, name)
        c.close()
        result.append(None if data == b'written while others stall'
                      else 'read back %r' % data)
    except Exception as e:
        result.append('%s: %s' % (type(e).__name__, e))


def stall_phase():
    t0 = time.monotonic()
    closed_at = {}
    socks = {}

    socks['silent'] = socket.create_connection((L.HOST, L.PORT))

    neg = L.RawConn(timeout=10)
    neg.negotiate()
    socks['negotiated, no login'] = neg.sock

    half = socket.create_connection((L.HOST, L.PORT))
    half.sendall(b'\0\0')
    socks['half a frame header'] = half

    stalled = L.RawSession(share=None)
    stalled.send(struct.pack('>I', 4096) + b'\xfeSMB' + b'\0' * 96)
    socks['logged in, half a frame'] = stalled.raw.sock

    idle = L.connect(dialect=S.SMB2_DIALECT_311)

    watchers = [threading.Thread(target=watch_close,
                                 args=(s, n, t0, closed_at), daemon=True)
                for n, s in socks.items()]
    for w in watchers:
        w.start()

    time.sleep(5)
    result = []
    good = threading.Thread(target=good_client, args=(result,), daemon=True)
    good.start()
    good.join(30)
    chk.ok(result == [None], 'a normal client logs in, writes and reads '
           'while the others stall', result[0] if result else 'hung')

    for w in watchers:
        w.join(max(0.1, 55 - (time.monotonic() - t0)))
    for name in socks:
        at = closed_at.get(name)
        chk.ok(at is not None and 20 <= at <= 50,
               'connection "%s" dropped after its bound' % name,
               'closed after %.1f s' % at if at is not None
               else 'still open after %.0f s' % (time.monotonic() - t0))
    try:
        idle.getSMBServer().echo()
        chk.ok(True, 'an idle logged-in connection is kept (echo after '
               '%.0f s)' % (time.monotonic() - t0))
    except Exception as e:
        chk.fail('an idle logged-in connection is kept',
                 '%s: %s' % (type(e).__name__, e))
    for s in socks.values():
        s.close()
    idle.close()


def refused(raw):
    """True if the server closes @raw without answering its NEGOTIATE."""
    try:
        raw.send(L.frame(L.negotiate_request()))
        raw.recv_frame(timeout=5)
    except L.Closed:
        return True
    except L.NoAnswer:
        return False
    return False


def ip_limit_phase():
    # Connections of the first phase may still be in teardown.
    time.sleep(2)
    raws = []
    try:
        for _ in range(IP_LIMIT):
            r = L.RawConn(timeout=5)
            r.negotiate()
            raws.append(r)
        chk.ok(True, '%d connections from one address are served' % IP_LIMIT)
        extra = L.RawConn(timeout=5)
        chk.ok(refused(extra), 'connection %d from the same address is '
               'closed at once' % (IP_LIMIT + 1))
        extra.close()
        raws.pop().close()
        time.sleep(1)
        try:
            c = L.connect(dialect=S.SMB2_DIALECT_311)
            c.listPath(L.SHARE, '*')
            c.close()
            chk.ok(True, 'below the limit again, a login works')
        except Exception as e:
            chk.fail('below the limit again, a login works',
                     '%s: %s' % (type(e).__name__, e))
    except Exception as e:
        chk.fail('per-address limit', '%s: %s' % (type(e).__name__, e))
    finally:
        for r in raws:
            r.close()


with open(CONF) as f:
    conf_before = f.read()
if '[global]' not in conf_before.lower():
    L.skip('no [global] section in ' + CONF)
try:
    stall_phase()
    with open(CONF, 'w') as f:
        f.write(with_global(conf_before,
                            'max ip connections = %d' % IP_LIMIT))
    chk.ok(reload_daemon(), 'the daemon reloads with max ip connections')
    ip_limit_phase()
finally:
    with open(CONF, 'w') as f:
        f.write(conf_before)
    reload_daemon()
sys.exit(chk.finish())
