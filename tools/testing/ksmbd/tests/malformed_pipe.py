#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 200
"""Named pipes on IPC$ at their edges, by hand-made requests on the
srvsvc pipe in a real session (SMB 2.1):

  - a DCE/RPC bind by FSCTL_PIPE_TRANSCEIVE with MaxOutputResponse 16:
    STATUS_BUFFER_OVERFLOW with exactly 16 bytes, a second TRANSCEIVE
    meanwhile STATUS_PIPE_BUSY, and READs (of 10 bytes, then the rest)
    return the rest of the bind_ack, whose length field matches the whole;
  - a bind by WRITE, then READs of 7 bytes until the message ends: every
    one but the last STATUS_BUFFER_OVERFLOW, the pieces the bind_ack;
  - READ with nothing pending: STATUS_PIPE_EMPTY; WRITE of 0 bytes:
    STATUS_SUCCESS, count 0, and nothing pending after it;
  - TRANSCEIVE on a file handle (share tree): STATUS_INVALID_DEVICE_REQUEST;
    READ, WRITE and TRANSCEIVE on a closed pipe: STATUS_FILE_CLOSED;
  - CREATE of a pipe the daemon does not serve: STATUS_OBJECT_NAME_NOT_FOUND;
    of a name of 65 characters, of 30000, and of names with a character no
    pipe name has: STATUS_OBJECT_NAME_INVALID; "\\PIPE\\SRVSVC" opens srvsvc;
  - the daemon stopped (SIGSTOP) with a TRANSCEIVE pending at it, then
    killed (SIGKILL): the TRANSCEIVE fails with STATUS_PIPE_BROKEN within
    seconds; while it is gone, READ on the pipe is STATUS_PIPE_BROKEN and a
    new pipe open STATUS_PIPE_NOT_AVAILABLE; once a new daemon registered,
    the old pipe is STATUS_PIPE_DISCONNECTED (the new daemon does not know
    it), its CLOSE succeeds, and a new open binds again.

The daemon is left running for later tests.
"""

import os
import signal
import struct
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()

STATUS_BUFFER_OVERFLOW = 0x80000005
STATUS_OBJECT_NAME_INVALID = 0xC0000033
STATUS_FILE_CLOSED = 0xC0000128
STATUS_INVALID_DEVICE_REQUEST = 0xC0000010
STATUS_PIPE_NOT_AVAILABLE = 0xC00000AC
STATUS_PIPE_BUSY = 0xC00000AE
STATUS_PIPE_DISCONNECTED = 0xC00000B0
STATUS_PIPE_EMPTY = 0xC00000D9
STATUS_PIPE_BROKEN = 0xC000014B
FSCTL_PIPE_TRANSCEIVE = 0x0011C017

SRVSVC = uuid.UUID('4b324fc8-1670-01d3-1278-5a47bf6ee188')
NDR = uuid.UUID('8a885d04-1ceb-11c9-9fe8-08002b104860')
TOOLS = os.path.normpath(os.path.join(os.path.dirname(
    os.path.abspath(__file__)), '..', '..', '..', 'ksmbd'))
MOUNTD = os.path.join(TOOLS, 'ksmbd.mountd')
NAME = 'malformed_pipe.txt'

chk = L.Checker()


def name(st):
    return 'no answer' if st is None else L.status_name(st)


def expect(what, want, st):
    return chk.ok(st == want, what, 'got %s, want %s' % (name(st),
                                                          name(want)))


def bind_pdu(call_id=1):
    """A DCE/RPC bind to srvsvc 3.0 over NDR, little-endian."""
    body = struct.pack('<HHIB3x', 4280, 4280, 0, 1) + \
        struct.pack('<HBx', 0, 1) + SRVSVC.bytes_le + \
        struct.pack('<I', 3) + NDR.bytes_le + struct.pack('<I', 2)
    return struct.pack('<BBBB4sHHI', 5, 0, 11, 3, b'\x10\0\0\0',
                       16 + len(body), 0, call_id) + body


def frag_len(pdu):
    return struct.unpack_from('<H', pdu, 8)[0] if len(pdu) >= 10 else -1


def is_bind_ack(pdu):
    return len(pdu) >= 16 and pdu[0] == 5 and pdu[2] == 12 and \
        frag_len(pdu) == len(pdu)


def ioctl_body(file_id, data, max_out):
    return struct.pack('<HHI16sIIIIIIII', 57, 0, FSCTL_PIPE_TRANSCEIVE,
                       file_id, L.HEADER_SIZE + 56, len(data), 0, 0, 0,
                       max_out, 1, 0) + (data or b'\0')


def reply_of(s, timeout=10):
    try:
        data, hs = s.raw.recv_reply(timeout)
    except (L.Closed, L.NoAnswer) as e:
        return None, b'', str(e)
    return hs[0].status, hs[0].body(data), data


def transceive(s, fid, data, max_out=4280):
    """(status, output bytes)"""
    s.send(L.frame(s.packet(L.IOCTL, ioctl_body(fid, data, max_out))))
    st, body, data = reply_of(s)
    if st not in (L.STATUS_SUCCESS, STATUS_BUFFER_OVERFLOW) or \
            len(body) < 40:
        return st, b''
    off, cnt = struct.unpack_from('<II', body, 32)
    return st, data[off:off + cnt]


def read(s, fid, length):
    s.send(L.frame(s.packet(L.READ, L.read_body(fid, length))))
    st, body, data = reply_of(s)
    if st not in (L.STATUS_SUCCESS, STATUS_BUFFER_OVERFLOW) or \
            len(body) < 16:
        return st, b''
    off, cnt = body[2], struct.unpack_from('<I', body, 4)[0]
    return st, data[off:off + cnt]


def write(s, fid, data):
    """(status, count)"""
    s.send(L.frame(s.packet(L.WRITE, L.write_body(fid, data))))
    st, body, _ = reply_of(s)
    if st != L.STATUS_SUCCESS or len(body) < 8:
        return st, None
    return st, struct.unpack_from('<I', body, 4)[0]


def create(s, pipe):
    """(status, FileId)"""
    s.send(L.frame(s.packet(L.CREATE, L.create_body(
        pipe, access=L.GENERIC_RW_ACCESS))))
    st, body, _ = reply_of(s)
    return st, body[64:80] if st == L.STATUS_SUCCESS else None


def close(s, fid):
    s.send(L.frame(s.packet(L.CLOSE, L.close_body(fid))))
    return reply_of(s)[0]


def case_cut_transceive():
    s = L.RawSession(share='IPC$')
    fid = s.open('srvsvc', disposition=L.FILE_OPEN)
    st, head = transceive(s, fid, bind_pdu(), max_out=16)
    expect('bind by TRANSCEIVE, MaxOutputResponse 16: '
           'STATUS_BUFFER_OVERFLOW', STATUS_BUFFER_OVERFLOW, st)
    chk.eq('the cut answer holds MaxOutputResponse bytes', 16, len(head))
    st, _ = transceive(s, fid, bind_pdu(2))
    expect('TRANSCEIVE with a message still being read: STATUS_PIPE_BUSY',
           STATUS_PIPE_BUSY, st)
    st, mid = read(s, fid, 10)
    expect('READ of 10 of the rest: STATUS_BUFFER_OVERFLOW',
           STATUS_BUFFER_OVERFLOW, st)
    chk.eq('it returns 10 bytes', 10, len(mid))
    st, tail = read(s, fid, 4280)
    expect('READ of the rest: STATUS_SUCCESS', L.STATUS_SUCCESS, st)
    whole = head + mid + tail
    chk.ok(is_bind_ack(whole), 'the pieces make the whole bind_ack',
           '%d bytes, length field %d' % (len(whole), frag_len(whole)))
    st, _ = read(s, fid, 4280)
    expect('READ after the message: STATUS_PIPE_EMPTY', STATUS_PIPE_EMPTY,
           st)
    st, out = transceive(s, fid, bind_pdu(3))
    chk.ok(st == L.STATUS_SUCCESS and is_bind_ack(out),
           'then a TRANSCEIVE that fits: the whole bind_ack', name(st))
    s.close()


def case_cut_read():
    s = L.RawSession(share='IPC$')
    fid = s.open('srvsvc', disposition=L.FILE_OPEN)
    st, n = write(s, fid, bind_pdu())
    chk.ok(st == L.STATUS_SUCCESS and n == len(bind_pdu()),
           'bind by WRITE: all of it written', '%s, %r' % (name(st), n))
    got, sts = b'', []
    for _ in range(100):
        st, piece = read(s, fid, 7)
        sts.append(st)
        got += piece
        if st != STATUS_BUFFER_OVERFLOW or len(piece) != 7:
            break
    chk.ok(sts[-1] == L.STATUS_SUCCESS and
           all(x == STATUS_BUFFER_OVERFLOW for x in sts[:-1]),
           'READs of 7 bytes: STATUS_BUFFER_OVERFLOW until the last',
           ', '.join(name(x) for x in sts[-3:]))
    chk.ok(is_bind_ack(got), 'the 7-byte pieces make the whole bind_ack',
           '%d bytes, length field %d' % (len(got), frag_len(got)))

    st, _ = read(s, fid, 4096)
    expect('READ with nothing pending: STATUS_PIPE_EMPTY', STATUS_PIPE_EMPTY,
           st)
    st, n = write(s, fid, b'')
    chk.ok(st == L.STATUS_SUCCESS and n == 0,
           'WRITE of 0 bytes: STATUS_SUCCESS, count 0',
           '%s, %r' % (name(st), n))
    st, _ = read(s, fid, 4096)
    expect('READ after it: still STATUS_PIPE_EMPTY', STATUS_PIPE_EMPTY, st)

    expect('CLOSE of the pipe', L.STATUS_SUCCESS, close(s, fid))
    expect('READ on the closed pipe: STATUS_FILE_CLOSED', STATUS_FILE_CLOSED,
           read(s, fid, 100)[0])
    expect('WRITE on the closed pipe: STATUS_FILE_CLOSED',
           STATUS_FILE_CLOSED, write(s, fid, bind_pdu())[0])
    expect('TRANSCEIVE on the closed pipe: STATUS_FILE_CLOSED',
           STATUS_FILE_CLOSED, transceive(s, fid, bind_pdu())[0])
    s.close()


def case_not_a_pipe():
    s = L.RawSession()
    fid = s.open(NAME)
    expect('TRANSCEIVE on a file: STATUS_INVALID_DEVICE_REQUEST',
           STATUS_INVALID_DEVICE_REQUEST, transceive(s, fid, bind_pdu())[0])
    s.close()


def case_names():
    s = L.RawSession(share='IPC$')
    expect('CREATE of a pipe the daemon does not serve: '
           'STATUS_OBJECT_NAME_NOT_FOUND', L.STATUS_OBJECT_NAME_NOT_FOUND,
           create(s, 'nosuchpipe')[0])
    for what, pipe in (('65 characters', 'a' * 65),
                       ('30000 characters', 'b' * 30000),
                       ('"\\PIPE\\" and 65 characters', '\\PIPE\\' + 'c' * 65),
                       ('a backslash inside', 'srvsvc\\x'),
                       ('a colon', 'srvsvc:x'),
                       ('a space', 'srv svc'),
                       ('only "\\PIPE\\"', '\\PIPE\\')):
        expect('CREATE of a pipe name of %s: STATUS_OBJECT_NAME_INVALID'
               % what, STATUS_OBJECT_NAME_INVALID, create(s, pipe)[0])
    st, fid = create(s, '\\PIPE\\SRVSVC')
    expect('CREATE of "\\PIPE\\SRVSVC"', L.STATUS_SUCCESS, st)
    if fid:
        st, out = transceive(s, fid, bind_pdu())
        chk.ok(st == L.STATUS_SUCCESS and is_bind_ack(out),
               'it is srvsvc: a bind is acknowledged', name(st))
    s.close()


def start_mountd():
    r = subprocess.run([MOUNTD], capture_output=True, text=True, timeout=60)
    if r.returncode:
        print(r.stdout + r.stderr)
    for _ in range(20):
        ok, _ = L.server_answers()
        if ok:
            return True
        time.sleep(1)
    return False


def case_daemon_gone():
    pids = L.mountd_pids()
    if not chk.ok(pids, 'ksmbd.mountd is running'):
        return
    s = L.RawSession(share='IPC$')
    fid = s.open('srvsvc', disposition=L.FILE_OPEN)
    restarted = False
    try:
        for p in pids:
            os.kill(p, signal.SIGSTOP)
        s.send(L.frame(s.packet(L.IOCTL, ioctl_body(fid, bind_pdu(), 4280))))
        time.sleep(1)
        t0 = time.monotonic()
        for p in pids:
            os.kill(p, signal.SIGKILL)
        st = reply_of(s, timeout=10)[0]
        took = time.monotonic() - t0
        expect('TRANSCEIVE pending when the daemon dies: STATUS_PIPE_BROKEN',
               STATUS_PIPE_BROKEN, st)
        chk.ok(took < 5, 'it fails within 5 s of the daemon dying',
               '%.1f s' % took)
        for _ in range(100):
            if not L.mountd_pids():
                break
            time.sleep(0.1)
        expect('daemon gone: READ on the pipe: STATUS_PIPE_BROKEN',
               STATUS_PIPE_BROKEN, read(s, fid, 100)[0])
        expect('daemon gone: a new pipe open: STATUS_PIPE_NOT_AVAILABLE',
               STATUS_PIPE_NOT_AVAILABLE, create(s, 'srvsvc')[0])

        restarted = start_mountd()
        chk.ok(restarted, 'a new ksmbd.mountd registers and serves')
        expect('daemon back: the old pipe is STATUS_PIPE_DISCONNECTED',
               STATUS_PIPE_DISCONNECTED, transceive(s, fid, bind_pdu())[0])
        expect('daemon back: CLOSE of the old pipe', L.STATUS_SUCCESS,
               close(s, fid))
        st, fid = create(s, 'srvsvc')
        expect('daemon back: a new pipe open', L.STATUS_SUCCESS, st)
        if fid:
            st, out = transceive(s, fid, bind_pdu())
            chk.ok(st == L.STATUS_SUCCESS and is_bind_ack(out),
                   'daemon back: a bind is acknowledged', name(st))
    finally:
        for p in L.mountd_pids():
            try:
                os.kill(p, signal.SIGCONT)
            except ProcessLookupError:
                pass
        if not restarted and not L.mountd_pids():
            start_mountd()
        s.close()


CASES = (case_cut_transceive, case_cut_read, case_not_a_pipe, case_names,
         case_daemon_gone)
for fn in CASES:
    if len(sys.argv) > 1 and fn.__name__[5:] not in sys.argv[1:]:
        continue
    try:
        fn()
    except Exception as e:
        chk.fail(fn.__name__, '%s: %s' % (type(e).__name__, e))
chk.finish()
