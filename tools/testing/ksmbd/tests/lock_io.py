#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 180
"""READ and WRITE honour byte-range locks, as Windows does (MS-FSA 2.1.4.10,
2.1.5.2, 2.1.5.3): STATUS_FILE_LOCK_CONFLICT when

  - another open holds an exclusive lock on a byte read or written (the
    open holding it reads and writes there freely);
  - anybody, the writing open too, holds a shared lock on a byte written
    (reads are fine);
  - a local process holds a POSIX lock: a write lock stops reads and
    writes, a read lock stops writes;

and never for I/O of zero bytes, for I/O next to the locked range, or
after the lock went (unlock, or the close of the open holding it). A large
WRITE refused while its data is still in the socket leaves the connection
in step. Another session's locks count like another open's.

Locks POSIX cannot express (zero-length ranges, ranges past 2^63 - 1) are
seen by another session's open too (MS-FSA 2.1.4.10, MS-SMB2 3.3.5.14):
its conflicting LOCK gets STATUS_LOCK_NOT_GRANTED and its READ or WRITE
across a zero-length exclusive lock (bytes on both sides of it)
STATUS_FILE_LOCK_CONFLICT; two zero-length locks never conflict; a
zero-length LOCK inside another open's (or a local process's) lock is
refused; closing the holder releases them."""

import errno
import fcntl
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()

SHARED, EXCLUSIVE, UNLOCK, FAIL_NOW = 0x1, 0x2, 0x4, 0x10
STATUS_FILE_LOCK_CONFLICT = 0xC0000054
NAME = 'lock_io.dat'
SIZE = 1 << 20

chk = L.Checker()


def name(st):
    return 'no answer' if st is None else L.status_name(st)


def status(s, cmd, body, timeout=10.0):
    try:
        _, hs = s.request(cmd, body, timeout=timeout)
    except (L.NoAnswer, L.Closed, OSError):
        return None
    return hs[0].status if hs else None


def lock(s, fid, off, length, flags):
    body = struct.pack('<HHI16s', 48, 1, 0, fid) + struct.pack(
        '<QQII', off, length, flags, 0)
    return status(s, L.LOCK, body)


def read(s, fid, off, length):
    return status(s, L.READ, L.read_body(fid, length, off))


def write(s, fid, off, length):
    return status(s, L.WRITE, L.write_body(fid, b'w' * length, off))


def expect(what, want, st):
    chk.ok(st == want, what, 'got %s, want %s' % (name(st), name(want)))


def io_checks(what, s, fid, off, length, read_want, write_want):
    expect('%s: READ' % what, read_want, read(s, fid, off, length))
    expect('%s: WRITE' % what, write_want, write(s, fid, off, length))


OK, CONFLICT = L.STATUS_SUCCESS, STATUS_FILE_LOCK_CONFLICT


def between_opens(s, h1, h2):
    io_checks('no lock', s, h2, 0, 100, OK, OK)

    expect('h1 exclusive [100, 110)', OK,
           lock(s, h1, 100, 10, EXCLUSIVE | FAIL_NOW))
    io_checks('its own open in the range', s, h1, 100, 10, OK, OK)
    io_checks('other open in the range', s, h2, 100, 10, CONFLICT, CONFLICT)
    io_checks('other open over one byte of it', s, h2, 109, 100, CONFLICT,
              CONFLICT)
    io_checks('other open just before it', s, h2, 0, 100, OK, OK)
    io_checks('other open just after it', s, h2, 110, 100, OK, OK)
    io_checks('other open, zero bytes inside', s, h2, 105, 0, OK, OK)
    expect('h1 unlock', OK, lock(s, h1, 100, 10, UNLOCK))
    io_checks('other open after the unlock', s, h2, 100, 10, OK, OK)

    expect('h1 shared [200, 210)', OK, lock(s, h1, 200, 10, SHARED | FAIL_NOW))
    io_checks('its own open in its shared range', s, h1, 200, 10, OK,
              CONFLICT)
    io_checks('other open in the shared range', s, h2, 200, 10, OK, CONFLICT)
    expect('h1 unlock shared', OK, lock(s, h1, 200, 10, UNLOCK))
    io_checks('after the shared unlock', s, h1, 200, 10, OK, OK)

    # A shared lock stacked on the open's own exclusive one.
    expect('h1 exclusive [300, 310)', OK,
           lock(s, h1, 300, 10, EXCLUSIVE | FAIL_NOW))
    expect('h1 shared on it', OK, lock(s, h1, 300, 10, SHARED | FAIL_NOW))
    io_checks('its own open under both', s, h1, 300, 10, OK, CONFLICT)
    io_checks('other open under both', s, h2, 300, 10, CONFLICT, CONFLICT)
    expect('h1 unlock (the exclusive one)', OK, lock(s, h1, 300, 10, UNLOCK))
    io_checks('other open under the shared one left', s, h2, 300, 10, OK,
              CONFLICT)
    expect('h1 unlock (the shared one)', OK, lock(s, h1, 300, 10, UNLOCK))
    io_checks('other open when all went', s, h2, 300, 10, OK, OK)


def large_write(s, h1, h2):
    """64 KiB of data: it is still in the socket when the WRITE is refused."""
    expect('h1 exclusive [512 KiB, +64 KiB)', OK,
           lock(s, h1, 512 << 10, 64 << 10, EXCLUSIVE | FAIL_NOW))
    expect('large WRITE of another open: refused', CONFLICT,
           write(s, h2, 512 << 10, 64 << 10))
    expect('the next request is answered', OK, read(s, h2, 0, 10))
    expect('large WRITE of the lock\'s own open', OK,
           write(s, h1, 512 << 10, 64 << 10))
    expect('h1 unlock', OK, lock(s, h1, 512 << 10, 64 << 10, UNLOCK))


def local_lock(excl, off, length):
    f = open(os.path.join(L.SHARE_DIR, NAME), 'r+b')
    try:
        fcntl.lockf(f, (fcntl.LOCK_EX if excl else fcntl.LOCK_SH) |
                    fcntl.LOCK_NB, length, off)
    except OSError as e:
        f.close()
        if e.errno in (errno.EAGAIN, errno.EACCES):
            return None
        raise
    return f


def local_locks(s, h2):
    f = local_lock(True, 400, 10)
    chk.ok(f is not None, 'local write lock on [400, 410)')
    if f:
        io_checks('under a local write lock', s, h2, 400, 10, CONFLICT,
                  CONFLICT)
        f.close()
    io_checks('after the local write lock went', s, h2, 400, 10, OK, OK)
    f = local_lock(False, 400, 10)
    chk.ok(f is not None, 'local read lock on [400, 410)')
    if f:
        io_checks('under a local read lock', s, h2, 400, 10, OK, CONFLICT)
        f.close()
    io_checks('after the local read lock went', s, h2, 400, 10, OK, OK)


def other_session(s, h1, t, th):
    expect('h1 exclusive [600, 610)', OK,
           lock(s, h1, 600, 10, EXCLUSIVE | FAIL_NOW))
    io_checks('another session in the range', t, th, 600, 10, CONFLICT,
              CONFLICT)
    expect('close of h1', OK, status(s, L.CLOSE, L.close_body(h1)))
    io_checks('another session after the holder closed', t, th, 600, 10, OK,
              OK)


BIG = 1 << 63
TOP = (1 << 64) - 1
NOT_GRANTED = 0xC0000055


def not_posix(s, h1, t, th):
    """Zero-length and high-offset locks of h1 (session s) seen by th
    (session t)."""
    expect('h1 exclusive zero-length at 1000', OK,
           lock(s, h1, 1000, 0, EXCLUSIVE | FAIL_NOW))
    expect('other open: shared [995, 1005) across it', NOT_GRANTED,
           lock(t, th, 995, 10, SHARED | FAIL_NOW))
    expect('other open: exclusive [999, 1001) across it', NOT_GRANTED,
           lock(t, th, 999, 2, EXCLUSIVE | FAIL_NOW))
    expect('other open: exclusive [1000, 1010) from it', OK,
           lock(t, th, 1000, 10, EXCLUSIVE | FAIL_NOW))
    expect('other open: unlock [1000, 1010)', OK,
           lock(t, th, 1000, 10, UNLOCK))
    expect('other open: exclusive zero-length at 1000 too', OK,
           lock(t, th, 1000, 0, EXCLUSIVE | FAIL_NOW))
    expect('other open: unlock its zero-length lock', OK,
           lock(t, th, 1000, 0, UNLOCK))
    io_checks('other open across the zero-length lock', t, th, 995, 10,
              CONFLICT, CONFLICT)
    io_checks('other open from the zero-length lock on', t, th, 1000, 10,
              OK, OK)
    io_checks('other open up to the zero-length lock', t, th, 990, 10,
              OK, OK)
    io_checks('its own open across it', s, h1, 995, 10, OK, OK)
    expect('h1 unlock zero-length', OK, lock(s, h1, 1000, 0, UNLOCK))
    io_checks('other open after the unlock', t, th, 995, 10, OK, OK)

    expect('h1 shared [2^63, +10)', OK, lock(s, h1, BIG, 10, SHARED | FAIL_NOW))
    expect('other open: exclusive inside it', NOT_GRANTED,
           lock(t, th, BIG + 5, 1, EXCLUSIVE | FAIL_NOW))
    expect('other open: shared inside it', OK,
           lock(t, th, BIG + 5, 1, SHARED | FAIL_NOW))
    expect('other open: unlock its shared lock', OK,
           lock(t, th, BIG + 5, 1, UNLOCK))
    expect('h1 exclusive [2^64 - 1, +1)', OK,
           lock(s, h1, TOP, 1, EXCLUSIVE | FAIL_NOW))
    expect('other open: shared on the last byte', NOT_GRANTED,
           lock(t, th, TOP, 1, SHARED | FAIL_NOW))
    expect('other open: zero-length at the last byte', OK,
           lock(t, th, TOP, 0, EXCLUSIVE | FAIL_NOW))
    expect('other open: unlock it', OK, lock(t, th, TOP, 0, UNLOCK))
    expect('h1 unlock shared [2^63, +10)', OK, lock(s, h1, BIG, 10, UNLOCK))
    # Across 2^63 - 1: POSIX can express the other open's request, not h1's.
    expect('h1 exclusive [2^63 - 5, +10)', OK,
           lock(s, h1, BIG - 5, 10, EXCLUSIVE | FAIL_NOW))
    expect('other open: exclusive [2^63 - 3, +1) inside it', NOT_GRANTED,
           lock(t, th, BIG - 3, 1, EXCLUSIVE | FAIL_NOW))

    # A zero-length request against locks POSIX does show.
    expect('h1 exclusive [1100, 1110)', OK,
           lock(s, h1, 1100, 10, EXCLUSIVE | FAIL_NOW))
    expect('other open: zero-length at 1105 inside it', NOT_GRANTED,
           lock(t, th, 1105, 0, SHARED | FAIL_NOW))
    expect('other open: zero-length at 1100, its start', OK,
           lock(t, th, 1100, 0, SHARED | FAIL_NOW))
    expect('other open: zero-length at 1110, its end', OK,
           lock(t, th, 1110, 0, SHARED | FAIL_NOW))
    f = local_lock(True, 1200, 10)
    chk.ok(f is not None, 'local write lock on [1200, 1210)')
    if f:
        expect('other open: zero-length at 1205 inside the local lock',
               NOT_GRANTED, lock(t, th, 1205, 0, SHARED | FAIL_NOW))
        f.close()
    expect('other open: zero-length at 1205 once it went', OK,
           lock(t, th, 1205, 0, SHARED | FAIL_NOW))

    # The close of h1 gives back what it held.
    expect('close of h1', OK, status(s, L.CLOSE, L.close_body(h1)))
    expect('other open: exclusive where h1 held [2^63 - 5, +10)', OK,
           lock(t, th, BIG - 3, 1, EXCLUSIVE | FAIL_NOW))
    expect('other open: shared on the last byte h1 held', OK,
           lock(t, th, TOP, 1, SHARED | FAIL_NOW))
    expect('other open: exclusive [995, 1005) where h1 had its zero-length '
           'lock', OK, lock(t, th, 995, 10, EXCLUSIVE | FAIL_NOW))


def main():
    path = os.path.join(L.SHARE_DIR, NAME)
    with open(path, 'wb') as f:
        f.write(b'x' * SIZE)
    os.chown(path, L.SHARE_UID, L.SHARE_GID)
    s = L.RawSession(timeout=10)
    t = L.RawSession(timeout=10)
    try:
        h1, h2 = s.open(NAME), s.open(NAME)
        th = t.open(NAME)
        between_opens(s, h1, h2)
        large_write(s, h1, h2)
        local_locks(s, h2)
        not_posix(s, h2, t, th)
        other_session(s, h1, t, th)
    finally:
        s.close()
        t.close()
        try:
            os.unlink(path)
        except OSError:
            pass
    chk.finish()


main()
