#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 300
"""Large WRITEs, whose data the server takes straight from the socket.

A single unsigned WRITE of 64 KiB or more is read head first; its data stays
in the socket until the request has been checked and is then received into
the file (fs/smb/server/recv_file.c). Whatever the handler does not take
must be discarded, so that the next request on the connection is read
right. Each case sends hand-made WRITEs in a real session (impacket login
at SMB 2.1, unsigned) and checks the status, the count, the file on the
server, and that the same connection still answers afterwards:

  - 1 MiB at offset 0, and 128 KiB at an odd offset past the end (a hole);
  - 1 MiB sent in 1 KiB pieces with pauses (the data arrives slowly);
  - a write to the end of file (offset 0xFFFFFFFFFFFFFFFF);
  - refusals with the data still in the socket: an unknown file id, a
    read-only handle, too few credits for the size, a write past the
    largest file offset; each followed by an ECHO, and a valid write on
    the same connection at the end;
  - a Length one byte longer than the data (read whole, refused);
  - 96 KiB written to the srvsvc pipe on IPC$ (answered, then ECHO);
  - a client that sends half the data and closes: the server goes on.
"""

import hashlib
import os
import random
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()

chk = L.Checker()
rng = random.Random(20261202)
STATUS_FILE_CLOSED = 0xC0000128
WRITE_TO_EOF = 0xFFFFFFFFFFFFFFFF
NAME = 'large-write-%d' % os.getpid()
DEBUG = '/sys/module/ksmbd/parameters/debug'


def session(share=L.SHARE):
    s = L.RawSession(share=share, timeout=30)
    if s.signing:
        L.skip('the session signs: large WRITEs would be read whole')
    # Credits for the multi-credit requests below.
    data, hs = s.request(L.ECHO, L.echo_body(), credit_request=256)
    chk.eq('ECHO for credits', 'STATUS_SUCCESS', L.status_name(hs[0].status))
    return s


def write_packet(s, fid, data, offset=0, charge=None, length=None):
    """One WRITE of data, charged for its size unless told otherwise."""
    if charge is None:
        charge = max(1, (len(data) + 65535) // 65536)
    mid = s.next_mid()
    s.smb._Connection['SequenceWindow'] += charge - 1
    return L.header(L.WRITE, message_id=mid, session_id=s.sid,
                    tree_id=s.tid, credit_charge=charge,
                    credit_request=charge) + \
        L.write_body(fid, data, offset=offset, length=length)


def reply(s):
    data, hs = s.raw.recv_reply(30)
    body = hs[0].body(data)
    count = struct.unpack_from('<I', body, 4)[0] if len(body) >= 8 else None
    return hs[0].status, count


def write(s, fid, data, pieces=None, **kw):
    """Send a WRITE (optionally in pieces of that size, with pauses)."""
    msg = L.frame(write_packet(s, fid, data, **kw))
    if pieces:
        for i in range(0, len(msg), pieces):
            s.send(msg[i:i + pieces])
            if i % (pieces * 64) == 0:
                time.sleep(0.01)
    else:
        s.send(msg)
    return reply(s)


def echo_ok(s, what):
    try:
        data, hs = s.request(L.ECHO, L.echo_body())
        st = L.status_name(hs[0].status)
    except (L.Closed, L.NoAnswer) as e:
        st = 'no answer: %s' % e
    chk.eq('%s: ECHO on the same connection' % what, 'STATUS_SUCCESS', st)


def server_file(name):
    with open(os.path.join(L.SHARE_DIR, name), 'rb') as f:
        return f.read()


def sha(b):
    return hashlib.sha256(b).hexdigest()[:16]


def check_write(what, got, want_count):
    st, count = got
    chk.eq('%s: status' % what, 'STATUS_SUCCESS', L.status_name(st))
    chk.eq('%s: count' % what, want_count, count)


def set_debug(value):
    with open(DEBUG, 'w') as f:
        f.write('%d\n' % value)


def case_valid():
    s = session()
    fid = s.open(NAME + '-a')
    a = rng.randbytes(1 << 20)
    # With the VFS debug class on, the server logs each WRITE whose data
    # it took straight from the socket: the path this test is about.
    klog = L.KernelLog()
    set_debug(4)
    try:
        check_write('1 MiB at 0', write(s, fid, a), len(a))
    finally:
        set_debug(0)
    lines = [ln for ln in klog.new_lines()
             if '1048576 bytes from the socket into' in ln]
    chk.ok(klog.usable and lines and '1048576 written' in lines[-1],
           'the data went from the socket straight into the file',
           lines[-1] if lines else 'no log line')
    b = rng.randbytes(128 << 10)
    off = (3 << 20) + 7
    check_write('128 KiB at 3 MiB + 7', write(s, fid, b, offset=off), len(b))
    want = a + b'\0' * (off - len(a)) + b
    chk.eq('file on the server', sha(want), sha(server_file(NAME + '-a')))
    c = rng.randbytes(100 << 10)
    check_write('100 KiB to the end of file',
                write(s, fid, c, offset=WRITE_TO_EOF), len(c))
    chk.eq('appended at the end', sha(want + c),
           sha(server_file(NAME + '-a')))
    s.close()


def case_slow():
    s = session()
    fid = s.open(NAME + '-slow')
    a = rng.randbytes(1 << 20)
    check_write('1 MiB in 1 KiB pieces', write(s, fid, a, pieces=1024),
                len(a))
    chk.eq('file on the server', sha(a), sha(server_file(NAME + '-slow')))
    echo_ok(s, 'after the slow write')
    s.close()


def refused(what, s, fid, want, **kw):
    """A large WRITE refused with its data in the socket; then the same
    connection must still read requests right."""
    data = rng.randbytes(kw.pop('size', 1 << 20))
    st, _ = write(s, fid, data, **kw)
    chk.eq('%s: status' % what, L.status_name(want), L.status_name(st))
    echo_ok(s, what)


def case_refusals():
    s = session()
    good = s.open(NAME + '-good')
    ro = s.open(NAME + '-good', access=L.GENERIC_READ_ACCESS,
                disposition=L.FILE_OPEN)
    bogus = struct.pack('<QQ', 0x1234, 0x5678)
    refused('unknown file id', s, bogus, STATUS_FILE_CLOSED)
    refused('read-only handle', s, ro, L.STATUS_ACCESS_DENIED)
    refused('too few credits', s, good, L.STATUS_INVALID_PARAMETER,
            charge=1)
    refused('past the largest offset', s, good, L.STATUS_INVALID_PARAMETER,
            offset=(1 << 63) - 4096)
    # Length beyond the data: not streamed, the PDU reader refuses it.
    data = rng.randbytes(1 << 20)
    s.send(L.frame(write_packet(s, good, data, length=len(data) + 1)))
    st, _ = reply(s)
    chk.eq('Length past the data: status', 'STATUS_INVALID_PARAMETER',
           L.status_name(st))
    echo_ok(s, 'Length past the data')
    a = rng.randbytes(256 << 10)
    check_write('then a valid 256 KiB write', write(s, good, a), len(a))
    chk.eq('file on the server', sha(a), sha(server_file(NAME + '-good')))
    s.close()


def case_pipe():
    s = session(share='IPC$')
    fid = s.open('srvsvc', disposition=L.FILE_OPEN)
    st, _ = write(s, fid, rng.randbytes(96 << 10))
    chk.ok(st is not None, '96 KiB to the srvsvc pipe answered',
           L.status_name(st))
    echo_ok(s, 'after the pipe write')
    s.close()


def case_cut():
    s = session()
    fid = s.open(NAME + '-cut')
    msg = L.frame(write_packet(s, fid, rng.randbytes(1 << 20)))
    s.send(msg[:len(msg) // 2])
    time.sleep(0.5)
    s.close()
    chk.ok(L.server_answers(), 'the server answers after a cut-off write')
    size = os.path.getsize(os.path.join(L.SHARE_DIR, NAME + '-cut'))
    chk.ok(size <= 1 << 20, 'the cut-off file holds at most what was sent',
           '%d bytes' % size)


for fn in (case_valid, case_slow, case_refusals, case_pipe, case_cut):
    try:
        fn()
    except (L.Closed, L.NoAnswer, OSError, RuntimeError) as e:
        chk.fail('%s' % fn.__name__, repr(e))
sys.exit(chk.finish())
