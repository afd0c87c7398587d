#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 360
"""SMB2 LOCK access checks and bounds.

  - a handle opened for FILE_READ_ATTRIBUTES only may not lock (the server
    opens it O_PATH): STATUS_ACCESS_DENIED, and a local process can still
    lock the range; a shared lock needs the file open for reading and an
    exclusive one open for writing, as fcntl(F_SETLK) wants;
  - shared and exclusive locks on read and write handles work and are
    seen by local processes;
  - a LOCK request of 65535 elements is answered in bounded time with
    STATUS_INSUFFICIENT_RESOURCES, takes nothing, and a second client is
    served meanwhile;
  - the per-open bound (SMBS_LOCKS_PER_OPEN in fs/smb/server/lock.c) is
    reached by stacked shared locks in one request in bounded time, one
    more lock is refused, and one request releases them all;
  - the per-session bound (SMBS_SESS_MAX_LOCKS): a session at it gets
    STATUS_INSUFFICIENT_RESOURCES on every open, below the per-open
    bound, while another session still locks; an unlock and a close give
    the session's locks back."""

import errno
import fcntl
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()

PER_OPEN = 10000            # SMBS_LOCKS_PER_OPEN
PER_SESSION = 65536         # SMBS_SESS_MAX_LOCKS
BIG_TIMEOUT = 20.0          # seconds a maximal request may take

SHARED, EXCLUSIVE, UNLOCK, FAIL_NOW = 0x1, 0x2, 0x4, 0x10
STATUS_INSUFFICIENT_RESOURCES = 0xC000009A
STATUS_RANGE_NOT_LOCKED = 0xC000007E

FILE_READ_DATA, FILE_WRITE_DATA = 0x1, 0x2
FILE_READ_ATTRIBUTES, SYNCHRONIZE = 0x80, 0x100000
NAME = 'lock_limits.dat'
BIG = 'lock_limits_big.dat'     # the bound tests, on a file of their own
STATUS_LOCK_NOT_GRANTED = 0xC0000055

chk = L.Checker()


lock_body = L.lock_body


def lock(s, fid, locks, timeout=10.0):
    """Send one LOCK; its status, or None if no answer within timeout."""
    try:
        _, hs = s.request(L.LOCK, lock_body(fid, locks), timeout=timeout)
    except (L.NoAnswer, L.Closed, OSError):
        return None
    return hs[0].status if hs else None


def name(st):
    return 'no answer' if st is None else L.status_name(st)


def expect(what, want, st):
    chk.ok(st == want, what, 'got %s, want %s' % (name(st), name(want)))


def local_can_lock(start, length, excl=True, name=NAME):
    """Can a local process take the range of the file (non-blocking)?"""
    with open(os.path.join(L.SHARE_DIR, name), 'r+b') as f:
        try:
            fcntl.lockf(f, (fcntl.LOCK_EX if excl else fcntl.LOCK_SH) |
                        fcntl.LOCK_NB, length, start)
        except OSError as e:
            if e.errno in (errno.EAGAIN, errno.EACCES):
                return False
            raise
        fcntl.lockf(f, fcntl.LOCK_UN, length, start)
        return True


def access_checks(s, fids):
    ra, rd, wr, rw = fids['ra'], fids['r'], fids['w'], fids['rw']
    expect('READ_ATTRIBUTES-only handle: exclusive lock refused',
           L.STATUS_ACCESS_DENIED,
           lock(s, ra, [(0, 10, EXCLUSIVE | FAIL_NOW)]))
    expect('READ_ATTRIBUTES-only handle: shared lock refused',
           L.STATUS_ACCESS_DENIED, lock(s, ra, [(0, 10, SHARED | FAIL_NOW)]))
    chk.ok(local_can_lock(0, 10), 'a local process can still lock the range')
    expect('READ_ATTRIBUTES-only handle: unlock refused',
           L.STATUS_ACCESS_DENIED, lock(s, ra, [(0, 10, UNLOCK)]))

    expect('read handle: shared lock', L.STATUS_SUCCESS,
           lock(s, rd, [(0, 10, SHARED | FAIL_NOW)]))
    chk.ok(not local_can_lock(0, 10), 'local exclusive lock blocked by it')
    chk.ok(local_can_lock(0, 10, excl=False), 'local shared lock is not')
    expect('read handle: exclusive lock refused (file not open for write)',
           L.STATUS_ACCESS_DENIED,
           lock(s, rd, [(20, 10, EXCLUSIVE | FAIL_NOW)]))
    expect('read handle: unlock', L.STATUS_SUCCESS,
           lock(s, rd, [(0, 10, UNLOCK)]))

    expect('write handle: exclusive lock', L.STATUS_SUCCESS,
           lock(s, wr, [(100, 10, EXCLUSIVE | FAIL_NOW)]))
    chk.ok(not local_can_lock(100, 10, excl=False),
           'local shared lock blocked by it')
    expect('write handle: shared lock refused (file not open for read)',
           L.STATUS_ACCESS_DENIED, lock(s, wr, [(200, 10, SHARED | FAIL_NOW)]))
    expect('write handle: unlock', L.STATUS_SUCCESS,
           lock(s, wr, [(100, 10, UNLOCK)]))

    expect('read/write handle: exclusive lock', L.STATUS_SUCCESS,
           lock(s, rw, [(0, 10, EXCLUSIVE | FAIL_NOW)]))
    expect('read/write handle: shared lock stacked on it', L.STATUS_SUCCESS,
           lock(s, rw, [(0, 10, SHARED | FAIL_NOW)]))
    expect('other handle: conflicting shared lock not granted',
           STATUS_LOCK_NOT_GRANTED, lock(s, rd, [(5, 1, SHARED | FAIL_NOW)]))
    expect('read/write handle: unlock (exclusive first)', L.STATUS_SUCCESS,
           lock(s, rw, [(0, 10, UNLOCK)]))
    chk.ok(not local_can_lock(0, 10) and local_can_lock(0, 10, excl=False),
           'the shared lock is left')
    expect('read/write handle: unlock the shared lock', L.STATUS_SUCCESS,
           lock(s, rw, [(0, 10, UNLOCK)]))
    chk.ok(local_can_lock(0, 10), 'nothing left')


def timed(what, fn):
    t0 = time.monotonic()
    st = fn()
    dt = time.monotonic() - t0
    L.Checker.note('%s: %s in %.2fs' % (what, name(st), dt))
    return st, dt


def maximal_request(s, fid):
    """65535 elements: answered fast, nothing taken, others still served."""
    locks = [(2 * i, 1, SHARED | FAIL_NOW) for i in range(0xFFFF)]
    other = {}

    def second_client():
        t0 = time.monotonic()
        other['ok'], other['why'] = L.server_answers(timeout=BIG_TIMEOUT)
        other['dt'] = time.monotonic() - t0

    t = threading.Thread(target=second_client)
    t.start()
    st, dt = timed('65535 disjoint shared locks',
                   lambda: lock(s, fid, locks, timeout=BIG_TIMEOUT))
    t.join(BIG_TIMEOUT + 10)
    expect('65535 elements: STATUS_INSUFFICIENT_RESOURCES',
           STATUS_INSUFFICIENT_RESOURCES, st)
    chk.ok(not t.is_alive() and other.get('ok'),
           'a second client is served meanwhile', other.get('why', 'hung'))
    chk.ok(local_can_lock(0, 2 * 0xFFFF, name=BIG),
           'the refused request took nothing')


def per_open_bound(s, fid):
    """Stacked shared locks up to the bound: linear, then refused."""
    full = [(0, 4096, SHARED | FAIL_NOW)] * PER_OPEN
    st, dt = timed('%d stacked shared locks' % PER_OPEN,
                   lambda: lock(s, fid, full, timeout=BIG_TIMEOUT))
    expect('%d locks on one open granted' % PER_OPEN, L.STATUS_SUCCESS, st)
    expect('one more is refused: STATUS_INSUFFICIENT_RESOURCES',
           STATUS_INSUFFICIENT_RESOURCES,
           lock(s, fid, [(8192, 1, SHARED | FAIL_NOW)]))
    chk.ok(not local_can_lock(0, 4096, name=BIG), 'the range is read-locked')
    st, dt = timed('%d unlocks' % PER_OPEN, lambda: lock(
        s, fid, [(0, 4096, UNLOCK)] * PER_OPEN, timeout=BIG_TIMEOUT))
    expect('one request releases them all', L.STATUS_SUCCESS, st)
    expect('then none is left', STATUS_RANGE_NOT_LOCKED,
           lock(s, fid, [(0, 4096, UNLOCK)]))
    chk.ok(local_can_lock(0, 4096, name=BIG), 'the range is free')
    expect('locks can be taken again', L.STATUS_SUCCESS,
           lock(s, fid, [(8192, 1, SHARED | FAIL_NOW)]))
    expect('and released', L.STATUS_SUCCESS,
           lock(s, fid, [(8192, 1, UNLOCK)]))

    # Disjoint ranges: one POSIX lock each, none re-applied.
    apart = [(2 * i, 1, EXCLUSIVE | FAIL_NOW) for i in range(PER_OPEN)]
    st, dt = timed('%d disjoint exclusive locks' % PER_OPEN,
                   lambda: lock(s, fid, apart, timeout=BIG_TIMEOUT))
    expect('%d disjoint locks granted' % PER_OPEN, L.STATUS_SUCCESS, st)
    chk.ok(not local_can_lock(2 * PER_OPEN - 2, 1, excl=False, name=BIG) and
           local_can_lock(2 * PER_OPEN - 1, 1, name=BIG),
           'the last range is locked, the gap after it is not')
    st, dt = timed('%d unlocks' % PER_OPEN, lambda: lock(
        s, fid, [(o, n, UNLOCK) for o, n, _ in apart], timeout=BIG_TIMEOUT))
    expect('one request releases them all', L.STATUS_SUCCESS, st)
    chk.ok(local_can_lock(0, 2 * PER_OPEN, name=BIG), 'the file is free')


def per_session_bound():
    """One session at its bound; another one is not held back by it."""
    a = L.RawSession(timeout=BIG_TIMEOUT)
    b = L.RawSession(timeout=BIG_TIMEOUT)
    try:
        nfull = PER_SESSION // PER_OPEN
        fa = [a.open(BIG) for _ in range(nfull + 2)]
        fb = b.open(BIG)
        stack = [(0, 4096, SHARED | FAIL_NOW)]
        took = 0
        for i in range(nfull):
            st, dt = timed('session A, open %d: %d locks' % (i, PER_OPEN),
                           lambda: lock(a, fa[i], stack * PER_OPEN,
                                        timeout=BIG_TIMEOUT))
            took += PER_OPEN if st == L.STATUS_SUCCESS else 0
        rest = PER_SESSION - took
        expect('session A: %d more locks, up to its bound' % rest,
               L.STATUS_SUCCESS,
               lock(a, fa[nfull], stack * rest, timeout=BIG_TIMEOUT))
        expect('session A at its bound: one more refused on that open',
               STATUS_INSUFFICIENT_RESOURCES,
               lock(a, fa[nfull], [(8192, 1, SHARED | FAIL_NOW)]))
        expect('session A at its bound: one more refused on a fresh open',
               STATUS_INSUFFICIENT_RESOURCES,
               lock(a, fa[nfull + 1], [(8192, 1, EXCLUSIVE | FAIL_NOW)]))
        expect('session B still takes a shared lock', L.STATUS_SUCCESS,
               lock(b, fb, [(0, 4096, SHARED | FAIL_NOW)]))
        expect('session B still takes an exclusive lock', L.STATUS_SUCCESS,
               lock(b, fb, [(8192, 1, EXCLUSIVE | FAIL_NOW)]))
        expect('session B unlocks', L.STATUS_SUCCESS,
               lock(b, fb, [(0, 4096, UNLOCK), (8192, 1, UNLOCK)]))
        expect('session A: an unlock', L.STATUS_SUCCESS,
               lock(a, fa[nfull], [(0, 4096, UNLOCK)]))
        expect('session A: gives back one lock', L.STATUS_SUCCESS,
               lock(a, fa[nfull + 1], [(8192, 1, EXCLUSIVE | FAIL_NOW)]))
        expect('session A: and no more', STATUS_INSUFFICIENT_RESOURCES,
               lock(a, fa[nfull + 1], [(8200, 1, SHARED | FAIL_NOW)]))
        try:
            _, hs = a.request(L.CLOSE, L.close_body(fa[0]))
            st = hs[0].status if hs else None
        except (L.NoAnswer, L.Closed, OSError):
            st = None
        expect('session A closes an open holding %d locks' % PER_OPEN,
               L.STATUS_SUCCESS, st)
        expect('session A: the close gave them back', L.STATUS_SUCCESS,
               lock(a, fa[nfull + 1], stack * (PER_OPEN - 1),
                    timeout=BIG_TIMEOUT))
    finally:
        a.close()
        b.close()
    # The server tears the sessions down after the sockets closed.
    deadline = time.monotonic() + 10
    while not local_can_lock(0, 8192, name=BIG) and \
            time.monotonic() < deadline:
        time.sleep(0.2)
    chk.ok(local_can_lock(0, 8192, name=BIG),
           'all locks went with the connections')


def main():
    for n in (NAME, BIG):
        path = os.path.join(L.SHARE_DIR, n)
        with open(path, 'wb') as f:
            f.write(b'x' * 4096)
        os.chown(path, L.SHARE_UID, L.SHARE_GID)
    s = L.RawSession()
    fids = {
        'ra': s.open(NAME, access=FILE_READ_ATTRIBUTES | SYNCHRONIZE),
        'r': s.open(NAME, access=FILE_READ_DATA | SYNCHRONIZE),
        'w': s.open(NAME, access=FILE_WRITE_DATA | SYNCHRONIZE),
        'rw': s.open(NAME),
        'big': s.open(BIG),
    }
    try:
        access_checks(s, fids)
        maximal_request(s, fids['big'])
        per_open_bound(s, fids['big'])
    finally:
        s.close()
    try:
        per_session_bound()
    finally:
        for n in (NAME, BIG):
            try:
                os.unlink(os.path.join(L.SHARE_DIR, n))
            except OSError:
                pass
    chk.finish()


main()
