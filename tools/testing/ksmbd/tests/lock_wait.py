#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 300
"""Blocking LOCKs wait asynchronously (MS-SMB2 3.3.4.2, 3.3.5.14, 3.3.5.16).

A LOCK that may wait and conflicts gets an interim response (STATUS_PENDING,
the async header with a non-zero AsyncId, credits granted) and later its
final response (same AsyncId, async flag, no credits):
  - granted when the other session unlocks, when a local process drops its
    fcntl() lock (the VFS wakes the waiter), and when the same handle
    releases its own conflicting lock;
  - also when what it waits for is a lock POSIX cannot express (past
    2^63 - 1, or zero-length) or it asks for one itself: granted once the
    other session unlocks;
  - STATUS_CANCELLED after a CANCEL by AsyncId and after one by MessageId;
  - STATUS_RANGE_NOT_LOCKED when the waiting handle is closed, its tree
    disconnected or its session logged off;
  - in a related compound LOCK + READ, the READ's response comes with the
    LOCK's final one;
  - a connection may have at most 256 waiting requests: the next one gets
    STATUS_INSUFFICIENT_RESOURCES;
  - 600 waiting locks on three connections hold no worker: a fourth client
    logs in, writes and reads while they wait; then all three connections
    are dropped with their locks waiting, and the server is clean."""

import fcntl
import os
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()

SHARED, EXCLUSIVE, UNLOCK, FAIL_NOW = (L.LOCK_SHARED, L.LOCK_EXCLUSIVE,
                                      L.LOCK_UNLOCK, L.LOCK_FAIL_IMMEDIATELY)
FLAG_ASYNC, FLAG_RELATED = L.FLAG_ASYNC, L.FLAG_RELATED
lock_body = L.lock_body
STATUS_CANCELLED = 0xC0000120
STATUS_RANGE_NOT_LOCKED = 0xC000007E
STATUS_INSUFFICIENT_RESOURCES = 0xC000009A
STATUS_LOCK_NOT_GRANTED = 0xC0000055
NAME = 'lock_wait.dat'
MAX_ASYNC = 256

chk = L.Checker()
log = L.KernelLog()


def name(st):
    return 'no answer' if st is None else L.status_name(st)


def async_id(data, h):
    return struct.unpack_from('<Q', data, h.offset + 32)[0]


class Waiter:
    """A LOCK sent raw on a session, and what came back for it."""

    def __init__(self, s, fid, off, ln=1, flags=EXCLUSIVE):
        self.s = s
        self.mid = s.next_mid()
        s.send(L.frame(s.packet(L.LOCK, lock_body(fid, [(off, ln, flags)]),
                                message_id=self.mid)))
        self.interim = None
        self.aid = 0

    def expect_interim(self, what, timeout=5.0):
        try:
            data = self.s.raw.recv_frame(timeout)
        except (L.NoAnswer, L.Closed, OSError) as e:
            chk.fail(what + ': interim response', str(e))
            return False
        h = L.split_reply(data)[0]
        self.interim = h
        self.aid = async_id(data, h)
        body = h.body(data)
        size = struct.unpack_from('<H', body)[0] if len(body) >= 2 else -1
        ok = (h.status == L.STATUS_PENDING and h.flags & FLAG_ASYNC and
              self.aid != 0 and h.credits >= 1 and h.message_id == self.mid
              and size == 9 and len(body) == 9)
        chk.ok(ok, what + ': interim STATUS_PENDING, async, AsyncId, '
               'credits, error body',
               'status %s flags %#x async id %d credits %d mid %d/%d '
               'body %s' % (name(h.status), h.flags, self.aid, h.credits,
                            h.message_id, self.mid, body.hex()))
        return ok

    def final(self, timeout=5.0):
        """(status, header, data) of the final response, or (None, ...)."""
        try:
            data = self.s.raw.recv_frame(timeout)
        except (L.NoAnswer, L.Closed, OSError):
            return None, None, None
        h = L.split_reply(data)[0]
        return h.status, h, data

    def expect_final(self, what, want, timeout=5.0):
        st, h, data = self.final(timeout)
        ok = st == want
        detail = 'got %s, want %s' % (name(st), name(want))
        if h is not None:
            ok = ok and h.flags & FLAG_ASYNC and h.credits == 0 and \
                async_id(data, h) == self.aid and h.message_id == self.mid
            detail += ' flags %#x credits %d async id %d/%d' % (
                h.flags, h.credits, async_id(data, h), self.aid)
        chk.ok(ok, what, detail)
        return h

    def cancel(self, by_async=True):
        s = self.s
        flags = FLAG_ASYNC if by_async else 0
        p = bytearray(L.header(L.CANCEL, message_id=self.mid,
                               session_id=s.sid, tree_id=s.tid, flags=flags,
                               credit_request=0))
        if by_async:
            struct.pack_into('<Q', p, 32, self.aid)
        p = bytes(p)
        if s.signing:
            p = L.sign_smb2(p, s.key)
        s.send(L.frame(p))


def request(s, cmd, body, what, want=L.STATUS_SUCCESS, timeout=10.0):
    try:
        data, hs = s.request(cmd, body, timeout=timeout)
    except (L.NoAnswer, L.Closed, OSError) as e:
        chk.fail(what, str(e))
        return None
    st = hs[0].status if hs else None
    chk.ok(st == want, what, 'got %s, want %s' % (name(st), name(want)))
    return data


def lock(s, fid, locks, what, want=L.STATUS_SUCCESS):
    return request(s, L.LOCK, lock_body(fid, locks), what, want)


def new_session():
    s = L.RawSession()
    return s, s.open(NAME)


def test_unlock_wakes():
    a, fa = new_session()
    b, fb = new_session()
    lock(a, fa, [(0, 10, EXCLUSIVE | FAIL_NOW)], 'A locks 0-9')
    w = Waiter(b, fb, 5)
    if w.expect_interim('B waits for 5'):
        time.sleep(0.5)
        lock(a, fa, [(0, 10, UNLOCK)], 'A unlocks 0-9')
        w.expect_final('B granted once A unlocked', L.STATUS_SUCCESS)
        lock(b, fb, [(5, 1, UNLOCK)], 'B unlocks what it was granted')
    a.close()
    b.close()


def test_not_posix_wakes():
    a, fa = new_session()
    b, fb = new_session()
    big = 1 << 63
    lock(a, fa, [(big, 10, EXCLUSIVE | FAIL_NOW)], 'A locks [2^63, +10)')
    lock(a, fa, [(700, 0, EXCLUSIVE | FAIL_NOW)], 'A locks zero-length at 700')
    w = Waiter(b, fb, big + 5)
    if w.expect_interim('B waits for 2^63 + 5'):
        time.sleep(0.5)
        lock(a, fa, [(big, 10, UNLOCK)], 'A unlocks [2^63, +10)')
        w.expect_final('B granted 2^63 + 5 once A unlocked',
                       L.STATUS_SUCCESS)
    w = Waiter(b, fb, 695, 10)
    if w.expect_interim('B waits for [695, 705) across A\'s zero-length lock'):
        time.sleep(0.5)
        lock(a, fa, [(700, 0, UNLOCK)], 'A unlocks its zero-length lock')
        w.expect_final('B granted [695, 705) once A unlocked',
                       L.STATUS_SUCCESS)
    lock(a, fa, [(800, 10, EXCLUSIVE | FAIL_NOW)], 'A locks [800, 810)')
    w = Waiter(b, fb, 805, 0)
    if w.expect_interim('B waits for zero-length at 805 inside it'):
        time.sleep(0.5)
        lock(a, fa, [(800, 10, UNLOCK)], 'A unlocks [800, 810)')
        w.expect_final('B granted zero-length at 805 once A unlocked',
                       L.STATUS_SUCCESS)
    a.close()
    b.close()


def test_cancel():
    a, fa = new_session()
    b, fb = new_session()
    lock(a, fa, [(100, 1, EXCLUSIVE | FAIL_NOW)], 'A locks 100')
    w = Waiter(b, fb, 100)
    if w.expect_interim('B waits for 100'):
        w.cancel(by_async=True)
        w.expect_final('CANCEL by AsyncId: STATUS_CANCELLED',
                       STATUS_CANCELLED)
    w = Waiter(b, fb, 100)
    if w.expect_interim('B waits for 100 again'):
        w.cancel(by_async=False)
        w.expect_final('CANCEL by MessageId: STATUS_CANCELLED',
                       STATUS_CANCELLED)
    # Nothing was granted to B: A still holds the range alone.
    lock(b, fb, [(100, 1, EXCLUSIVE | FAIL_NOW)],
         'cancelled waits took nothing', STATUS_LOCK_NOT_GRANTED)
    a.close()
    b.close()


def test_local_unlock_wakes():
    b, fb = new_session()
    with open(os.path.join(L.SHARE_DIR, NAME), 'r+b') as f:
        fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 200)
        w = Waiter(b, fb, 200)
        if w.expect_interim('B waits for a local fcntl() lock'):
            time.sleep(0.3)
            fcntl.lockf(f, fcntl.LOCK_UN, 1, 200)
            w.expect_final('B granted once the local process unlocked',
                           L.STATUS_SUCCESS)
    b.close()


def test_own_conflict():
    b, fb = new_session()
    lock(b, fb, [(300, 4, EXCLUSIVE | FAIL_NOW)], 'B locks 300-303')
    w = Waiter(b, fb, 301)
    if w.expect_interim('B waits behind its own lock'):
        # The unlock is answered first; the waiting lock follows.
        mid = b.next_mid()
        b.send(L.frame(b.packet(L.LOCK, lock_body(fb, [(300, 4, UNLOCK)]),
                                message_id=mid)))
        seen = {}
        for _ in range(2):
            st, h, data = w.final()
            if h is not None:
                seen[h.message_id] = (st, h, data)
        st = seen.get(mid, (None,))[0]
        chk.ok(st == L.STATUS_SUCCESS, 'B unlocks its own lock', name(st))
        st = seen.get(w.mid, (None,))[0]
        chk.ok(st == L.STATUS_SUCCESS,
               'the waiting lock is granted by its own handle\'s unlock',
               name(st))
    b.close()


def test_close_tdis_logoff():
    a, fa = new_session()
    lock(a, fa, [(400, 1, EXCLUSIVE | FAIL_NOW)], 'A locks 400')
    b, fb = new_session()
    w = Waiter(b, fb, 400)
    if w.expect_interim('B waits for 400 (close)'):
        mid = b.next_mid()
        b.send(L.frame(b.packet(L.CLOSE, L.close_body(fb), message_id=mid)))
        got = {}
        for _ in range(2):
            st, h, _ = w.final()
            if h is not None:
                got[h.message_id] = st
        chk.ok(got.get(w.mid) == STATUS_RANGE_NOT_LOCKED,
               'closing the handle ends its wait with RANGE_NOT_LOCKED',
               name(got.get(w.mid)))
        chk.ok(got.get(mid) == L.STATUS_SUCCESS, 'the CLOSE succeeds',
               name(got.get(mid)))
    for what, cmd, body in (('tree disconnect', L.TREE_DISCONNECT,
                             struct.pack('<HH', 4, 0)),
                            ('logoff', L.LOGOFF, struct.pack('<HH', 4, 0))):
        b, fb = new_session()
        w = Waiter(b, fb, 400)
        if not w.expect_interim('B waits for 400 (%s)' % what):
            b.close()
            continue
        mid = b.next_mid()
        b.send(L.frame(b.packet(cmd, body, message_id=mid)))
        got = {}
        for _ in range(2):
            st, h, _ = w.final()
            if h is not None:
                got[h.message_id] = st
        chk.ok(got.get(w.mid) == STATUS_RANGE_NOT_LOCKED,
               '%s ends the wait with RANGE_NOT_LOCKED' % what,
               name(got.get(w.mid)))
        chk.ok(got.get(mid) == L.STATUS_SUCCESS, 'the %s succeeds' % what,
               name(got.get(mid)))
        b.close()
    a.close()


def test_compound():
    a, fa = new_session()
    b, fb = new_session()
    lock(a, fa, [(500, 1, EXCLUSIVE | FAIL_NOW)], 'A locks 500')
    mid1, mid2 = b.next_mid(), b.next_mid()
    p1 = L.header(L.LOCK, message_id=mid1, session_id=b.sid, tree_id=b.tid) + \
        lock_body(fb, [(500, 1, EXCLUSIVE)])
    p1 += b'\0' * L.pad8(len(p1))
    p1 = bytearray(p1)
    struct.pack_into('<I', p1, 20, len(p1))
    p2 = L.header(L.READ, message_id=mid2, session_id=b.sid, tree_id=b.tid,
                  flags=FLAG_RELATED) + L.read_body(b'\xff' * 16, 16)
    if b.signing:
        p1 = L.sign_smb2(bytes(p1), b.key)
        p2 = L.sign_smb2(p2, b.key)
    b.send(L.frame(bytes(p1) + p2))
    w = Waiter.__new__(Waiter)
    w.s, w.mid, w.aid = b, mid1, 0
    if w.expect_interim('LOCK + READ: the LOCK waits'):
        lock(a, fa, [(500, 1, UNLOCK)], 'A unlocks 500')
        try:
            data = b.raw.recv_frame(5.0)
            hs = L.split_reply(data)
        except (L.NoAnswer, L.Closed, OSError):
            hs = []
        chk.ok(len(hs) == 2 and hs[0].message_id == mid1 and
               hs[0].status == L.STATUS_SUCCESS and
               hs[1].message_id == mid2 and
               hs[1].status in (L.STATUS_SUCCESS, 0xC0000011),
               'LOCK final and READ come together',
               ' '.join('%d:%s' % (h.message_id, name(h.status))
                        for h in hs))
    a.close()
    b.close()


def hold_and_wait(n, base):
    """A session with n locks waiting on ranges held by another."""
    a, fa = new_session()
    b, fb = new_session()
    lock(a, fa, [(base, n + 1, EXCLUSIVE | FAIL_NOW)],
         'A locks %d ranges' % (n + 1))
    ws = [Waiter(b, fb, base + i) for i in range(n)]
    pending = 0
    for w in ws:
        try:
            data = b.raw.recv_frame(10.0)
        except (L.NoAnswer, L.Closed, OSError):
            break
        h = L.split_reply(data)[0]
        if h.status == L.STATUS_PENDING:
            pending += 1
    return a, b, fb, pending


def test_limits_and_workers():
    a, b, fb, pending = hold_and_wait(MAX_ASYNC, 10000)
    chk.eq('interim responses for %d waiting locks' % MAX_ASYNC, MAX_ASYNC,
           pending)
    lock(b, fb, [(10000 + MAX_ASYNC, 1, EXCLUSIVE)],
         'one more waiting lock on the connection',
         STATUS_INSUFFICIENT_RESOURCES)
    held = [(a, b)]
    for base in (20000, 30000):
        a2, b2, _, p = hold_and_wait(200, base)
        chk.eq('200 more waiting locks on another connection', 200, p)
        held.append((a2, b2))
    # Over 600 waiting requests and no worker held: a new client works.
    t0 = time.monotonic()
    c = L.connect()
    tid = c.connectTree(L.SHARE)
    fid = c.createFile(tid, 'lock_wait_other.dat')
    c.writeFile(tid, fid, b'x' * 65536, 0)
    back = c.readFile(tid, fid, 0, 65536)
    c.closeFile(tid, fid)
    c.logoff()
    chk.ok(back == b'x' * 65536 and time.monotonic() - t0 < 30,
           'another client writes and reads while 656 locks wait',
           '%.1f s' % (time.monotonic() - t0))
    # Drop every connection with its locks still waiting.
    for x, y in held:
        y.close()
        x.close()


def main():
    for t in (test_unlock_wakes, test_not_posix_wakes, test_cancel,
              test_local_unlock_wakes,
              test_own_conflict, test_close_tdis_logoff, test_compound,
              test_limits_and_workers):
        L.Checker.note('== %s' % t.__name__)
        try:
            t()
        except Exception as e:  # a test that breaks must not hide the rest
            chk.fail(t.__name__, '%s: %s' % (type(e).__name__, e))
    chk.ok(L.server_answers(), 'the server still answers')
    probs = log.new_problems()
    chk.ok(not probs, 'kernel log clean', '\n'.join(probs))
    chk.finish()


if __name__ == '__main__':
    main()
