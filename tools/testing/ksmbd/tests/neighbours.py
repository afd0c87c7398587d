#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 300
"""Misbehaving clients cannot stop a well-behaved neighbour, and leave
nothing behind.

At the same time, on connections of their own:
  - two clients that took 2000 credits each send 1500 requests and never
    read a byte: READs of 64 KiB (about 94 MiB of responses), and
    listings of a 400-file directory (as much work for the server's CPU
    as it will do);
  - three clients stalled mid-frame: half a frame header before
    NEGOTIATE, half a SESSION_SETUP after it, and a logged-in one that
    announced a 64 KiB WRITE and sent 100 bytes of it;
  - a client flooding LOCK: 1000-element non-blocking LOCKs and their
    unlocks, and blocking LOCKs that wait on its own range and are then
    cancelled, in a loop, reading every reply;
  - two clients each holding 256 blocking LOCKs waiting (the async limit
    per connection) on ranges that a third session holds.
Meanwhile a well-behaved client on its own connection logs in, connects
the share, creates a file, writes and reads 256 KiB, lists a directory of
50 files, closes and logs off, three times: every step must take less
than 5 s (a baseline round before the misbehaving clients start shows
what a step normally takes), and the misbehaving clients must be shown
to be misbehaving at that moment (the never-reading ones still connected
with their sends stuck, the waits pending, the flood going on).

What it proves: the server holds no shared resource on behalf of one
connection while that connection is slow or waiting. If responses were
sent by the shared workers with a blocking send (no bounded per-connection
queue and send timeout), the 3000 unread READs would occupy every worker
until the 30 s send timeout and the neighbour's steps would wait for them;
if one connection's requests could fill the shared workqueue, the
neighbour's requests would wait behind hundreds of directory listings;
if a blocking LOCK parked a worker, the 512 waiting LOCKs would do the
same; if a partial frame held a shared receive path or a worker, the
stalled connections would. The 5 s bound fails all of these.

Then the server must drop the never-reading clients by itself (its 30 s
send timeout; within 70 s of their start), and once every other
misbehaving connection is closed (the waits with them) it must clean up: within 60 s no server socket on port 445
is left (none stuck in CLOSE-WAIT); where the server is a module (the
debug kernel), its reference count is back to what it was before; where
tracing is available (the debug kernel), every connection traced as
opened was traced as closed, every session that became valid ended and
every open was closed; and a new client works.
"""

import os
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()

STEP_LIMIT = 5.0
DATA = 'neighbours.dat'
DATA_SIZE = 8 << 20
BIG_DIR = 'neighbours-big'
BIG_DIR_FILES = 400
LOCKS = 'neighbours-locks.dat'
MAX_ASYNC = 256             # waiting requests per connection (async.h)
TRACING = '/sys/kernel/tracing'
REFCNT = '/sys/module/ksmbd/refcnt'
EVENTS = ('conn_open', 'conn_close', 'session_valid', 'session_end',
          'open', 'close')
STATUS_CANCELLED = 0xC0000120

chk = L.Checker()
log = L.KernelLog()
pid = os.getpid()


def server_sockets():
    """Server-side sockets on port 445 other than TIME-WAIT and the
    listener: (state, peer) pairs."""
    out = subprocess.run(['ss', '-Htan', '( sport = :445 )'],
                         capture_output=True, text=True).stdout
    socks = []
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 5 and f[0] not in ('LISTEN', 'TIME-WAIT'):
            socks.append((f[0], f[4]))
    return socks


def connected_ports():
    return {int(peer.rsplit(':', 1)[1]) for st, peer in server_sockets()
            if st == 'ESTAB'}


# -- tracing (debug kernel) --------------------------------------------------

def trace_events():
    """{short name: event directory} of the server's trace events, or None
    when this kernel has no tracing."""
    if not os.path.isdir(os.path.join(TRACING, 'events')):
        subprocess.run(['mount', '-t', 'tracefs', 'nodev', TRACING],
                       capture_output=True)
    base = os.path.join(TRACING, 'events', 'ksmbd')
    if not os.path.isdir(base):
        return None
    found = {}
    for d in os.listdir(base):
        for e in EVENTS:
            # smbd_open / smbs_open: the prefix is the server's own.
            if d.split('_', 1)[-1] == e:
                found[e] = d
    return found if len(found) == len(EVENTS) else None


def tput(name, value):
    with open(os.path.join(TRACING, name), 'w') as f:
        f.write(value)


def trace_start(events):
    tput('trace', '')
    for d in events.values():
        tput('events/ksmbd/%s/enable' % d, '1')


def trace_stop(events):
    for d in events.values():
        tput('events/ksmbd/%s/enable' % d, '0')
    with open(os.path.join(TRACING, 'trace')) as f:
        return f.read().splitlines()


def count_trace(events, lines):
    names = {d: e for e, d in events.items()}
    n = {e: 0 for e in EVENTS}
    valid, ended = set(), set()
    for ln in lines:
        for d, e in names.items():
            if ' %s:' % d in ln:
                n[e] += 1
                if e in ('session_valid', 'session_end'):
                    sid = ln.split('sid=', 1)[1].split()[0]
                    (valid if e == 'session_valid' else ended).add(sid)
    return n, valid, ended


def refcnt():
    try:
        with open(REFCNT) as f:
            return int(f.read())
    except (OSError, ValueError):
        return None


# -- the well-behaved client -------------------------------------------------

def good_round(tag, limit=STEP_LIMIT, alive=None):
    """One round of the neighbour's work, each step timed. alive() is
    called before each step and returns a note on the misbehaving
    clients, or raises if they stopped misbehaving."""
    steps = []
    data = os.urandom(256 << 10)
    name = 'neighbours-good-%d-%s.dat' % (pid, tag)
    state = {}

    def step(what, fn):
        t0 = time.monotonic()
        try:
            r = fn()
        except Exception as e:
            steps.append((what, time.monotonic() - t0, '%s: %s' % (
                type(e).__name__, e)))
            raise
        steps.append((what, time.monotonic() - t0, ''))
        return r

    def read_all():
        back = b''
        while len(back) < len(data):
            chunk = state['c'].readFile(state['tid'], state['fid'],
                                        len(back), 65536)
            if not chunk:
                break
            back += chunk
        return back
    ok = True
    try:
        state['c'] = step('login', L.connect)
        state['tid'] = step('tree connect', lambda: state['c'].connectTree(
            L.SHARE))
        state['fid'] = step('create', lambda: state['c'].createFile(
            state['tid'], name))
        step('write 256 KiB', lambda: state['c'].writeFile(
            state['tid'], state['fid'], data, 0))
        back = step('read 256 KiB', read_all)
        ok = back == data
        listing = step('list a directory', lambda: state['c'].listPath(
            L.SHARE, 'neighbours-dir\\*'))
        names = {f.get_longname() for f in listing} - {'.', '..'}
        ok = ok and len(names) == 50
        step('close', lambda: state['c'].closeFile(state['tid'],
                                                   state['fid']))
        step('logoff', lambda: state['c'].logoff())
    except Exception:
        ok = False
    finally:
        if 'c' in state:
            try:
                state['c'].close()
            except Exception:
                pass
    note = alive() if alive else ''
    slow = [(w, t, e) for w, t, e in steps if t >= limit or e]
    chk.ok(ok and not slow and len(steps) == 8,
           '%s: the neighbour logs in, creates, writes, reads, lists and '
           'closes, each step under %g s%s' % (tag, limit, note),
           '; '.join('%s %.1f s%s' % (w, t, ' ' + e if e else '')
                     for w, t, e in steps) +
           ('' if ok else '; content or listing wrong'))
    L.Checker.note('%s: %s' % (tag, ', '.join('%s %.2f s' % (w, t)
                                             for w, t, _ in steps)))
    try:
        os.unlink(os.path.join(L.SHARE_DIR, name))
    except OSError:
        pass


# -- the misbehaving clients ---------------------------------------------------

class NonReader:
    """2000 credits, 1500 READs of 64 KiB (or, with listing, 1500 listings
    of 64 KiB of a directory of BIG_DIR_FILES files, each from its start:
    work for the server's CPU) sent, nothing ever read."""

    def __init__(self, listing=False):
        self.s = L.RawSession()
        if listing:
            fid = self.s.open(BIG_DIR, directory=True)
        else:
            fid = self.s.open(DATA, access=L.GENERIC_READ_ACCESS)
        _, hs = self.s.request(L.ECHO, L.echo_body(), credit_request=2000)
        self.credits = hs[0].credits if hs else 0
        self.port = self.s.raw.sock.getsockname()[1]
        self.s.raw.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        if listing:
            body = L.query_directory_body(fid, out_len=65536)
            self.reqs = b''.join(L.frame(self.s.packet(
                L.QUERY_DIRECTORY, body, credit_request=1))
                for i in range(1500))
        else:
            self.reqs = b''.join(L.frame(self.s.packet(L.READ, L.read_body(
                fid, 65536, (i * 65536) % DATA_SIZE), credit_request=1))
                for i in range(1500))
        self.done = threading.Event()
        self.t = threading.Thread(target=self.flood, daemon=True)

    def flood(self):
        try:
            self.s.raw.sock.settimeout(90)
            self.s.raw.sock.sendall(self.reqs)
        except OSError:
            pass
        self.done.set()

    def close(self):
        shut(self.s.raw.sock)


def shut(sock):
    """Close a socket for good: shutdown() first, so that a thread still
    blocked sending on it lets go (close() alone waits for it)."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


class Stalled:
    """Connections that stopped in the middle of a frame."""

    def __init__(self):
        self.socks = []
        a = socket.create_connection((L.HOST, L.PORT))
        a.sendall(b'\0\0')                      # half a frame header
        self.socks.append(a)
        b = L.RawConn(timeout=10)
        b.negotiate(L.DIALECTS_SMB2)
        setup = L.frame(L.header(L.SESSION_SETUP, message_id=1) +
                        L.session_setup_body(b'\x60' * 200))
        b.send(setup[:len(setup) // 2])
        self.socks.append(b.sock)
        c = L.RawSession()
        fid = c.open('neighbours-stalled-%d.dat' % pid)
        w = L.frame(c.packet(L.WRITE, L.write_body(fid, b'w' * 65536)))
        c.send(w[:4 + L.HEADER_SIZE + 48 + 100])
        self.socks.append(c.raw.sock)
        self.ports = [s.getsockname()[1] for s in self.socks]

    def close(self):
        for s in self.socks:
            shut(s)


class LockFlooder(threading.Thread):
    """Blocking and non-blocking LOCK requests in a loop."""

    def __init__(self):
        super().__init__(daemon=True)
        self.s = L.RawSession(timeout=10)
        self.ports = [self.s.raw.sock.getsockname()[1]]
        self.fid = self.s.open(LOCKS)
        self.stop = threading.Event()
        self.rounds = 0
        self.error = None

    def lock(self, locks, want):
        _, hs = self.s.request(L.LOCK, L.lock_body(self.fid, locks),
                               timeout=10)
        if not hs or hs[0].status != want:
            raise RuntimeError('LOCK answered %s, not %s' % (
                L.status_name(hs[0].status) if hs else 'nothing',
                L.status_name(want)))

    def run(self):
        X, NOW, U = L.LOCK_EXCLUSIVE, L.LOCK_FAIL_IMMEDIATELY, L.LOCK_UNLOCK
        many = [(1000 + 2 * i, 1, X | NOW) for i in range(1000)]
        try:
            self.lock([(0, 100, X | NOW)], L.STATUS_SUCCESS)
            while not self.stop.is_set():
                self.lock(many, L.STATUS_SUCCESS)
                mids = []
                for i in range(4):
                    mid = self.s.next_mid()
                    mids.append(mid)
                    self.s.send(L.frame(self.s.packet(
                        L.LOCK, L.lock_body(self.fid, [(i, 1, X)]),
                        message_id=mid)))
                got = {}
                while len(got) < 4:
                    h = L.split_reply(self.s.raw.recv_frame(10))[0]
                    if h.status == L.STATUS_PENDING:
                        p = self.s.packet(L.CANCEL, L.echo_body(),
                                          message_id=h.message_id,
                                          credit_request=0)
                        self.s.send(L.frame(p))
                    else:
                        got[h.message_id] = h.status
                if set(got.values()) != {STATUS_CANCELLED}:
                    raise RuntimeError('cancelled waits answered %s' % ', '
                                       .join(L.status_name(v) for v in
                                             got.values()))
                self.lock([(o, n, U) for o, n, _ in many], L.STATUS_SUCCESS)
                self.rounds += 1
        except Exception as e:
            self.error = '%s: %s' % (type(e).__name__, e)

    def close(self):
        shut(self.s.raw.sock)


class Waiters:
    """A session holding [base, base + n) and another one with n blocking
    LOCKs waiting on it."""

    def __init__(self, base, n=MAX_ASYNC):
        self.holder = L.RawSession(timeout=10)
        hf = self.holder.open(LOCKS)
        _, hs = self.holder.request(L.LOCK, L.lock_body(hf, [(
            base, n, L.LOCK_EXCLUSIVE | L.LOCK_FAIL_IMMEDIATELY)]))
        self.held = bool(hs) and hs[0].status == L.STATUS_SUCCESS
        self.s = L.RawSession(timeout=10)
        fid = self.s.open(LOCKS)
        self.s.send(b''.join(L.frame(self.s.packet(L.LOCK, L.lock_body(
            fid, [(base + i, 1, L.LOCK_EXCLUSIVE)]))) for i in range(n)))
        self.ports = [x.raw.sock.getsockname()[1] for x in (self.holder,
                                                             self.s)]
        self.pending = 0
        for _ in range(n):
            try:
                h = L.split_reply(self.s.raw.recv_frame(10))[0]
            except (L.NoAnswer, L.Closed, OSError):
                break
            self.pending += h.status == L.STATUS_PENDING

    def still_waiting(self):
        """No final response came in the meantime."""
        self.s.raw.sock.settimeout(0)
        try:
            return self.s.raw.sock.recv(1, socket.MSG_PEEK) == b''
        except BlockingIOError:
            return True
        except OSError:
            return False
        finally:
            self.s.raw.sock.settimeout(10)

    def close(self):
        shut(self.s.raw.sock)
        shut(self.holder.raw.sock)


def main():
    with open(os.path.join(L.SHARE_DIR, DATA), 'wb') as f:
        f.write(os.urandom(DATA_SIZE))
    with open(os.path.join(L.SHARE_DIR, LOCKS), 'wb') as f:
        f.write(b'l' * 65536)
    d = os.path.join(L.SHARE_DIR, 'neighbours-dir')
    os.mkdir(d)
    for i in range(50):
        open(os.path.join(d, 'f%02d' % i), 'w').close()
    big = os.path.join(L.SHARE_DIR, BIG_DIR)
    os.mkdir(big)
    for i in range(BIG_DIR_FILES):
        open(os.path.join(big, 'a-file-with-a-longer-name-%04d' % i),
             'w').close()
    for p in [d, big, os.path.join(L.SHARE_DIR, DATA),
              os.path.join(L.SHARE_DIR, LOCKS)] + [
                  os.path.join(d, f) for f in os.listdir(d)]:
        os.chown(p, L.SHARE_UID, L.SHARE_GID)

    events = trace_events()
    if events:
        trace_start(events)
    else:
        L.Checker.note('no trace events here (no tracing): not counting '
                       'connections, sessions and opens')
    before_ref = refcnt()
    before_socks = sorted(server_sockets())

    good_round('baseline', limit=30)

    waiters = [Waiters(10000), Waiters(20000)]
    for i, w in enumerate(waiters):
        chk.ok(w.held and w.pending == MAX_ASYNC, 'waiter %d has %d blocking '
               'LOCKs waiting' % (i, MAX_ASYNC), '%d pending, held %s' % (
                   w.pending, w.held))
    flooder = LockFlooder()
    flooder.start()
    stalled = Stalled()
    readers = [NonReader(), NonReader(listing=True)]
    for r in readers:
        chk.ok(r.credits >= 1500, 'a never-reading client was granted its '
               'credits', str(r.credits))
        r.t.start()
    t_start = time.monotonic()
    time.sleep(3)

    def alive():
        """The misbehaving clients are still at it, or why not."""
        bad = []
        ports = connected_ports()
        for r in readers:
            if r.port not in ports:
                bad.append('a never-reading client was dropped')
        if not set(stalled.ports) <= ports:
            bad.append('a stalled connection is gone')
        if not all(w.still_waiting() for w in waiters):
            bad.append('waiting LOCKs were answered')
        if flooder.error or not flooder.is_alive():
            bad.append('the LOCK flood stopped: %s' % flooder.error)
        if bad:
            why = '; '.join(bad)
            chk.fail('the misbehaving clients are still misbehaving %.0f s '
                     'after they began' % (time.monotonic() - t_start), why)
            return ' (but: %s)' % why
        return ' (%d LOCK flood rounds so far)' % flooder.rounds

    for i in range(3):
        before = flooder.rounds
        good_round('round %d' % (i + 1), alive=alive)
        # The flood shares the CPU with the listings: give it a moment
        # when the round was quicker than one of its rounds.
        end = time.monotonic() + 6
        while flooder.rounds <= before and time.monotonic() < end and \
                flooder.is_alive():
            time.sleep(0.1)
        chk.ok(flooder.rounds > before, 'round %d: the LOCK flood went on '
               'meanwhile' % (i + 1), '%d rounds' % flooder.rounds)
    took = time.monotonic() - t_start
    chk.ok(took < 28, 'the rounds were done before the server\'s 30 s '
           'timeouts could end the misbehaving connections', '%.0f s' % took)

    # The server ends the never-reading connections by itself (its send
    # timeout), the others are still there.
    end = t_start + 30 + 40
    while time.monotonic() < end and \
            {r.port for r in readers} & connected_ports():
        time.sleep(1)
    gone = time.monotonic() - t_start
    chk.ok(not {r.port for r in readers} & connected_ports(),
           'the server dropped the never-reading clients after its send '
           'timeout', 'still connected %.0f s after they began' % gone)
    L.Checker.note('never-reading clients gone after %.0f s' % gone)

    # They go away, the waits still pending.
    flooder.stop.set()
    flooder.join(20)
    chk.ok(flooder.error is None, 'the LOCK flooder saw the answers it '
           'expected', str(flooder.error))
    names = {}
    for x in readers + [stalled, flooder] + waiters:
        for p in getattr(x, 'ports', None) or [getattr(x, 'port', 0)]:
            names[p] = type(x).__name__
        x.close()
    end = time.monotonic() + 60
    while time.monotonic() < end and sorted(server_sockets()) != \
            before_socks:
        time.sleep(1)
    left = sorted(server_sockets())
    chk.ok(left == before_socks, 'no server socket is left behind on port '
           '445 once the clients are gone', ', '.join(
               '%s %s (%s)' % (st, peer, names.get(int(peer.rsplit(
                   ':', 1)[1]), '?')) for st, peer in left))
    if before_ref is not None:
        end = time.monotonic() + 30
        while time.monotonic() < end and refcnt() != before_ref:
            time.sleep(1)
        chk.eq('the module\'s reference count is back', before_ref,
               refcnt())
    else:
        L.Checker.note('the server is built in: no module reference count')
    if events:
        n, valid, ended = count_trace(events, trace_stop(events))
        L.Checker.note('traced: %s' % ', '.join('%s %d' % kv
                                                for kv in n.items()))
        chk.ok(n['conn_open'] > 10 and n['conn_open'] == n['conn_close'],
               'every connection traced as opened was closed',
               '%d opened, %d closed' % (n['conn_open'], n['conn_close']))
        chk.ok(len(valid) > 8 and valid <= ended, 'every session that '
               'became valid ended', '%d valid, %d of them not ended' % (
                   len(valid), len(valid - ended)))
        chk.ok(n['open'] > 8 and n['open'] == n['close'],
               'every open was closed', '%d opens, %d closes' % (
                   n['open'], n['close']))

    good_round('after', limit=STEP_LIMIT)
    probs = [ln for ln in log.new_lines() if any(b in ln for b in
                                                  L.KernelLog.BAD)]
    chk.ok(not probs, 'kernel log clean', '\n'.join(probs))
    chk.finish()


if __name__ == '__main__':
    main()
