# SPDX-License-Identifier: GPL-2.0
"""The fuzzer's side of the wire: contexts to send cases in (a fresh
connection, a negotiated one, a logged-in session), turning a case's
requests into bytes (ids, credits, signatures, file ids filled in), and
judging what came back. Also a reader of new kernel log records.
"""

import errno
import hashlib
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402
import lib_client as C  # noqa: E402
import gen as G  # noqa: E402

# Kernel log lines that mean the kernel found a bug (as check-console).
BAD_KMSG = ('BUG:', 'WARNING:', 'KASAN:', 'UBSAN:', 'Oops',
            'general protection', 'Kernel panic', 'possible circular locking',
            'possible recursive locking', 'inconsistent lock state',
            'suspicious RCU usage', 'bad unlock balance', 'held lock freed',
            'unreferenced object', 'ODEBUG:', 'list_add corruption',
            'list_del corruption', 'refcount_t:', 'stack-protector',
            'soft lockup', 'blocked for more than', 'workqueue lockup',
            'detected stall')


class Kmsg:
    """New kernel log records since the last look, from /dev/kmsg (which
    `dmesg -c` does not disturb)."""

    def __init__(self):
        self.fd = None
        try:
            self.fd = os.open('/dev/kmsg', os.O_RDONLY | os.O_NONBLOCK)
            os.lseek(self.fd, 0, os.SEEK_END)
        except OSError:
            self.fd = None

    @property
    def usable(self):
        return self.fd is not None

    def new(self, limit=5000):
        out = []
        if self.fd is None:
            return out
        for _ in range(limit):
            try:
                rec = os.read(self.fd, 8192)
            except BlockingIOError:
                break
            except OSError as e:
                if e.errno == errno.EPIPE:      # overwritten: go on
                    continue
                break
            if not rec:
                break
            text = rec.decode('utf-8', 'replace')
            out.append(text.split(';', 1)[-1].rstrip('\n'))
        return out

    @staticmethod
    def bad(lines):
        return [ln for ln in lines if any(b in ln for b in BAD_KMSG)]


M32, M64 = (1 << 32) - 1, (1 << 64) - 1

_serial = 0             # tells this process's connections apart

BIG_DIR = 'fuzz-big'
BIG_DIR_ENTRIES = 300
BIG_FILE = 'fuzz-big.bin'
BIG_FILE_SIZE = 256 << 10


def charge_for(cmd, body):
    """The credit charge a large request must pay (64 KiB per credit)."""
    def u32(off):
        return struct.unpack_from('<I', body, off)[0] \
            if len(body) >= off + 4 else 0
    need = 0
    if cmd in (G.READ, G.WRITE, G.QUERY_INFO, G.SET_INFO, G.CHANGE_NOTIFY):
        need = u32(4)
    elif cmd == G.IOCTL:
        need = max(u32(28), u32(44))
    elif cmd == G.QUERY_DIRECTORY:
        need = u32(28)
    return max(1, (need + 65535) // 65536)


class Stats:
    def __init__(self):
        self.cases = 0
        self.frames = 0
        self.pdus = 0
        self.sessions = 0
        self.logins_failed = 0
        self.outcomes = {}
        self.statuses = {}
        self.commands = {}
        self.by_command = {}
        self.by_class = {}      # class -> {'cases': n, 'pdus': n, ...}

    def count(self, table, key, n=1):
        table[key] = table.get(key, 0) + n


# Sockets of cases that leave a connection stalled on purpose (never
# reading, half a frame): kept open for a while after their case, at most
# MAX_HELD at once, while the fuzzer goes on; [(socket, until)].
MAX_HELD = 4
_held = []


def hold(sock, seconds, now=None):
    _held.append((sock, (now or time.monotonic()) + seconds))
    while len(_held) > MAX_HELD:
        _held.pop(0)[0].close()


def expire_held(now):
    for ent in [e for e in _held if e[1] <= now]:
        _held.remove(ent)
        ent[0].close()


def release_held():
    while _held:
        _held.pop(0)[0].close()


def held_count():
    return len(_held)


def probe(timeout):
    """Whether a new connection's NEGOTIATE is answered within timeout:
    (True, '') or (False, why). While other connections are stalled, this
    shows that they hold nothing the server needs for the next client."""
    try:
        c = Conn(timeout)
    except OSError as e:
        return False, 'cannot connect: %s' % e
    try:
        c.send(L.frame(L.negotiate_request(dialects=L.DIALECTS_SMB2)))
        data = c.recv_frame(time.monotonic() + timeout)
        hs = L.split_reply(data)
        if not hs or hs[0].status != L.STATUS_SUCCESS:
            return False, 'NEGOTIATE answered with %s' % (
                L.status_name(hs[0].status) if hs else data[:8].hex())
        return True, ''
    except L.NoAnswer:
        return False, 'a new connection got no answer to NEGOTIATE ' \
            'within %gs (%d stalled connections held)' % (timeout,
                                                           len(_held))
    except (L.Closed, OSError, ValueError) as e:
        return False, 'a new connection was closed unanswered: %s' % e
    finally:
        c.close()


class Conn(L.RawConn):
    """SMB2 over TCP with few system calls. In the test guest (User-Mode
    Linux) every system call traps to the host, even a clock read, so the
    socket stays blocking with kernel-side timeouts (SO_RCVTIMEO,
    SO_SNDTIMEO) instead of Python's socket timeouts (which add a poll()
    and clock reads to every call), replies are read in large chunks and
    cut into frames here, and Nagle is off so that a request goes out
    at once."""

    def __init__(self, timeout, sock=None):
        super().__init__(timeout, sock)
        sock = self.sock
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._set(socket.SO_SNDTIMEO, timeout)
        self.rcvtimeo = timeout
        self._set(socket.SO_RCVTIMEO, timeout)
        self.buf = bytearray()

    def _set(self, opt, sec):
        sec = max(sec, 0.001)
        self.sock.setsockopt(socket.SOL_SOCKET, opt, struct.pack(
            'll', int(sec), int((sec - int(sec)) * 1e6)))

    def send(self, data):
        try:
            self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError) as e:
            raise L.Closed(str(e))
        except (BlockingIOError, socket.timeout):
            raise L.NoAnswer('sending timed out (the server reads nothing)')

    def recv_frame(self, deadline, now=None):
        """The next message (without its 4-byte length), complete by
        deadline (time.monotonic()); now, if given, is the clock read
        the caller just made (saves one)."""
        buf = self.buf
        while True:
            if len(buf) >= 4:
                n = int.from_bytes(buf[:4], 'big')
                if n >> 24:
                    raise ValueError('reply frame with a non-zero first '
                                     'byte')
                if len(buf) >= 4 + n:
                    data = bytes(buf[4:4 + n])
                    del buf[:4 + n]
                    return data
            left = deadline - (now if now is not None else time.monotonic())
            now = None
            if left <= 0:
                raise L.NoAnswer('timed out')
            # A receive timeout longer than what is left would wait too
            # long; a shorter one only costs another turn of the loop.
            if self.rcvtimeo > left + 0.05:
                self.rcvtimeo = left
                self._set(socket.SO_RCVTIMEO, left)
            elif self.rcvtimeo < min(left, self.timeout) / 2:
                self.rcvtimeo = min(left, self.timeout)
                self._set(socket.SO_RCVTIMEO, self.rcvtimeo)
            try:
                chunk = self.sock.recv(1 << 18)
            except (BlockingIOError, socket.timeout, InterruptedError):
                continue            # the receive timeout: look at the clock
            except (ConnectionResetError, ConnectionAbortedError) as e:
                raise L.Closed(str(e))
            if not chunk:
                raise L.Closed('end of stream')
            buf += chunk


class Context:
    """Where a case is sent: a socket plus what the requests need."""

    def __init__(self, kind, dialect, timeout, stats):
        self.kind = kind
        self.dialect = dialect
        self.timeout = timeout
        self.stats = stats
        self.raw = None
        self.sid = 0
        self.tids = {'share': 0, 'ipc': 0}
        self.fids = {}
        self.mid = 0
        self.last_mid = 0
        self.credits = 1
        self.signer = None
        self.signing = False
        self.last_sid = 0           # from the last SESSION_SETUP reply
        self.history = []
        self.dead = False
        self.closing = {}           # message id -> file id of a CLOSE
        self.case_mids = []         # message ids of the current case
        self.async_ids = {}         # message id -> AsyncId (interim reply)
        self.cur_class = 'basic'
        self.why = ''               # what a 'hang' outcome means

    # -- setting up ---------------------------------------------------------

    def open(self):
        if self.kind == 'pre':
            self.raw = Conn(self.timeout)
            self.mid = 0
        elif self.kind == 'neg':
            self.raw = Conn(self.timeout)
            self.mid = 0
            self._negotiate(L.DIALECTS_ALL if self.dialect >= 0x0300
                            else L.DIALECTS_SMB2, b'ksmbd-test-guid!')
        else:
            self._login()
        self.stats.sessions += 1

    def _setup_msg(self, cmd, body, tree_id=0, flags=0, credit_request=64,
                   sign=False, sid=None):
        """One well-formed request of the set-up (not counted as fuzzed)."""
        mid = self.mid
        self.mid += 1
        self.credits -= 1
        p = L.header(cmd, message_id=mid, session_id=self.sid if sid is None
                     else sid, tree_id=tree_id, flags=flags,
                     credit_request=credit_request) + body
        if sign and self.signing:
            p = self._sign(p[:16] + struct.pack('<I', flags | G.FLAG_SIGNED)
                           + p[20:])
        return mid, p

    def _replies(self, mids, deadline):
        """Final replies to mids: {mid: (data, header)}."""
        got = {}
        while len(got) < len(mids):
            data = self.raw.recv_frame(deadline)
            for h in L.split_reply(data):
                self.credits += h.credits
                if h.message_id in mids and h.status != L.STATUS_PENDING:
                    got[h.message_id] = (data, h)
        return got

    def _exchange(self, msg, deadline):
        """Send one message, return (message, header) of its reply."""
        mid = struct.unpack_from('<Q', msg, 24)[0]
        self.raw.send(L.frame(msg))
        return self._replies((mid,), deadline)[mid]

    def _negotiate(self, dialects, guid, capabilities=0):
        deadline = time.monotonic() + self.timeout * 2
        self.mid = 1
        # A new connection has the credit of message id 0; the NEGOTIATE
        # spends it, its reply grants some.
        self.credits = 0
        req = L.header(L.NEGOTIATE, message_id=0, credit_request=64) + \
            L.negotiate_body(dialects=dialects, guid=guid,
                             capabilities=capabilities)
        data, h = self._exchange(req, deadline)
        if h.status != L.STATUS_SUCCESS:
            raise RuntimeError('negotiate failed: %s' %
                               L.status_name(h.status))
        body = h.body(data)
        return req, data, struct.unpack_from('<HH', body, 2)

    def _login(self):
        """Log in (NTLMv2 in SPNEGO, as impacket does), connect the share
        and IPC$, open a directory, a file (and write to it) and the srvsvc
        pipe: five round trips of hand-made requests, a tenth of the
        time impacket takes in the guest."""
        global _serial
        _serial += 1
        self.raw = Conn(self.timeout)
        deadline = time.monotonic() + self.timeout * 2
        guid = struct.pack('<4sIQ', b'fuzz', os.getpid() & 0xffffffff,
                           _serial)
        self.mid = 0
        self.credits = 1
        self.sid = 0
        steps = C.login_steps((self.dialect,), guid)
        req = next(steps)
        while True:
            self.credits -= 1
            try:
                req = steps.send(self._exchange(req, deadline))
            except StopIteration as done:
                res = done.value
                break
        self.dialect = res.dialect
        self.sid = res.session_id
        self.signer = res.signer
        self.signing = res.signer.signing
        self.mid = res.next_mid
        # The share and IPC$.
        m1, t1 = self._setup_msg(L.TREE_CONNECT, L.tree_connect_body(
            '\\\\%s\\%s' % (L.HOST, L.SHARE)), sign=True)
        m2, t2 = self._setup_msg(L.TREE_CONNECT, L.tree_connect_body(
            '\\\\%s\\IPC$' % L.HOST), sign=True)
        self.raw.send(L.frame(t1) + L.frame(t2))
        got = self._replies((m1, m2), deadline)
        h = got[m1][1]
        if h.status != L.STATUS_SUCCESS:
            raise RuntimeError('tree connect: %s' % L.status_name(h.status))
        self.tids['share'] = h.tree_id
        h = got[m2][1]
        self.tids['ipc'] = h.tree_id if h.status == 0 else 0xfffffffe
        # The directory, the file with data written (a related compound)
        # and the pipe; plenty of credits for the cases.
        share, ipc = self.tids['share'], self.tids['ipc']
        md, cd = self._setup_msg(L.CREATE, L.create_body(
            'fuzz-dir', L.FILE_OPEN_IF, L.GENERIC_READ_ACCESS,
            L.FILE_DIRECTORY_FILE), share, sign=True, credit_request=256)
        mf, cf = self._setup_msg(L.CREATE, L.create_body(
            'fuzz-file.bin', L.FILE_OVERWRITE_IF,
            L.GENERIC_RW_ACCESS | L.DELETE, L.FILE_NON_DIRECTORY_FILE),
            share, credit_request=128)
        data = b'fuzz data\n' * 400
        mw, w = self._setup_msg(L.WRITE, L.write_body(G.ALL_ONES_FID, data),
                                share, flags=G.FLAG_RELATED, sign=True,
                                credit_request=64)
        cf = bytearray(cf + b'\0' * L.pad8(len(cf)))
        struct.pack_into('<I', cf, 20, len(cf))       # NextCommand
        cf = bytes(cf)
        if self.signing:
            cf = self._sign(cf[:16] + struct.pack('<I', G.FLAG_SIGNED) +
                            cf[20:])
        mp, cp = self._setup_msg(L.CREATE, L.create_body(
            'srvsvc', L.FILE_OPEN, 0x0012019f, 0), ipc, sign=True,
            credit_request=128)
        # The big directory and file of the compound_budget and
        # never_reading cases, filled once (the share outlives sessions).
        mb, cb = self._setup_msg(L.CREATE, L.create_body(
            BIG_DIR, L.FILE_OPEN_IF, L.GENERIC_READ_ACCESS,
            L.FILE_DIRECTORY_FILE), share, sign=True, credit_request=128)
        mbf, cbf = self._setup_msg(L.CREATE, L.create_body(
            BIG_FILE, L.FILE_OPEN_IF, L.GENERIC_RW_ACCESS,
            L.FILE_NON_DIRECTORY_FILE), share, sign=True,
            credit_request=128)
        self.raw.send(L.frame(cd) + L.frame(cf + w) + L.frame(cp) +
                      L.frame(cb) + L.frame(cbf))
        got = self._replies((md, mf, mw, mp, mb, mbf), deadline)
        self.fids = {}
        for name, m in (('dir', md), ('file', mf), ('pipe', mp),
                        ('big', mb), ('bigfile', mbf)):
            rsp, h = got[m]
            if h.status == 0:
                self.fids[name] = L.create_reply_file_id(rsp, h)
        if got[mw][1].status != 0:
            self.fids.pop('file', None)
        if 'big' in self.fids and struct.unpack_from(
                '<I', got[mb][1].body(got[mb][0]), 4)[0] == 2:  # created
            self._fill_big_dir(deadline)
        if 'bigfile' in self.fids and struct.unpack_from(
                '<Q', got[mbf][1].body(got[mbf][0]), 48)[0] < BIG_FILE_SIZE:
            self._fill_big_file(deadline)

    def _fill_big_dir(self, deadline):
        """BIG_DIR_ENTRIES files in BIG_DIR (CREATE + CLOSE compounds)."""
        share = self.tids['share']
        for first in range(0, BIG_DIR_ENTRIES, 50):
            out, mids = b'', []
            for i in range(first, min(first + 50, BIG_DIR_ENTRIES)):
                m1, c1 = self._setup_msg(L.CREATE, L.create_body(
                    '%s\\e%03d-%s' % (BIG_DIR, i, 'n' * 40),
                    L.FILE_OPEN_IF, L.GENERIC_RW_ACCESS,
                    L.FILE_NON_DIRECTORY_FILE), share, credit_request=2)
                m2, c2 = self._setup_msg(L.CLOSE, L.close_body(
                    G.ALL_ONES_FID), share, flags=G.FLAG_RELATED)
                sign = self._sign if self.signing else None
                out += L.frame(L.compound([c1, c2], sign))
                mids += [m1, m2]
            self.raw.send(out)
            self._replies(tuple(mids), deadline)

    def _fill_big_file(self, deadline):
        chunk = 65536
        mids, out = [], b''
        for off in range(0, BIG_FILE_SIZE, chunk):
            m, p = self._setup_msg(L.WRITE, L.write_body(
                self.fids['bigfile'], bytes([off >> 16 & 0xff]) * chunk,
                off), self.tids['share'], sign=True, credit_request=2)
            mids.append(m)
            out += L.frame(p)
        self.raw.send(out)
        self._replies(tuple(mids), deadline)

    def close(self):
        if self.raw is not None:
            self.raw.close()
            self.raw = None

    # -- building -----------------------------------------------------------

    def _sign(self, data):
        """data with its signature (the SIGNED flag is already set)."""
        return self.signer.sign(data)

    def _fill_fids(self, body):
        for name, mark in G.FID.items():
            if mark in body:
                real = self.fids.get(name)
                if real is None:
                    real = b'\0' * 8 + struct.pack('<Q', 0x4242)
                body = body.replace(mark, real)
        return body

    def build(self, m):
        """The frame of one msg of a case; returns (bytes, mids)."""
        elems = m['elems']
        out = b''
        mids = []
        for i, e in enumerate(elems):
            last = i == len(elems) - 1
            body = bytes.fromhex(e['body'])
            if self.kind == 'sess':
                body = self._fill_fids(body)
            h = e['hdr']
            cmd = e['cmd']
            charge = h.get('credit_charge')
            if charge is None:
                charge = charge_for(cmd, body) if self.dialect >= 0x0210 \
                    else 0
                charge = min(charge, max(1, self.credits - 1))
                if self.dialect < 0x0210:
                    charge = 0
            mid = self.mid
            how = h.get('message_id')
            ref = isinstance(how, list)
            if ref:             # ['ref', k]: the k-th request of the case
                k = how[1]
                mid = self.case_mids[k][0] if 0 <= k < len(
                    self.case_mids) else self.mid
            elif how == 'dup':
                mid = self.last_mid
            elif how == 'skip':
                mid = self.mid + 3
            elif how == 'far':
                mid = self.mid + 100000
            elif how == 'max':
                mid = 0xffffffffffffffff
            if cmd != G.CANCEL and not ref and how not in ('dup', 'max'):
                self.mid = mid + max(1, charge)
                self.credits -= max(1, charge)
            self.last_mid = mid
            mids.append((mid, cmd))
            self.case_mids.append((mid, cmd))
            sid = h.get('session_id', self.sid if self.kind == 'sess'
                        else 0)
            if sid == 'from_reply':
                sid = self.last_sid
            tid = h.get('tree_id', self.tids.get(e['tree'], 0)
                        if self.kind == 'sess' else 0)
            flags = h.get('flags', 0)
            size = 64 + len(body)
            pad = e['pad'] if e['pad'] is not None else \
                (0 if last else (-size) % 8)
            nxt = h.get('next_command', 0 if last else size + pad)
            hdr = L.header(cmd & 0xffff, message_id=mid & M64,
                           session_id=sid & M64, tree_id=tid & M32,
                           flags=flags & M32, next_command=nxt & M32,
                           credit_charge=charge,
                           credit_request=h.get('credit_request', 64),
                           status=h.get('status', 0),
                           structure_size=h.get('structure_size', 64),
                           process_id=h.get('process_id', 0xfeff))
            data = bytearray(hdr + body + b'\0' * pad)
            if 'async_id' in h:
                aid = h['async_id']
                if isinstance(aid, list):
                    k = aid[1]
                    aid = self.async_ids.get(self.case_mids[k][0], 0) \
                        if 0 <= k < len(self.case_mids) else 0
                struct.pack_into('<Q', data, 32, aid & M64)
            if 'channel_sequence' in h:
                struct.pack_into('<H', data, 8, h['channel_sequence'])
            for off, val in e.get('mutate') or []:
                v = bytes.fromhex(val)
                if off < len(data):
                    data[off:off + len(v)] = v[:len(data) - off]
            data = bytes(data)
            sign = e['sign']
            if self.kind == 'sess' and sign == 'ok' and self.signing:
                data = self._sign(data[:16] + struct.pack(
                    '<I', struct.unpack_from('<I', data, 16)[0] |
                    G.FLAG_SIGNED) + data[20:])
            elif sign == 'bad':
                data = data[:16] + struct.pack(
                    '<I', struct.unpack_from('<I', data, 16)[0] |
                    G.FLAG_SIGNED) + data[20:48] + \
                    hashlib.sha256(data).digest()[:16] + data[64:]
            if cmd == G.CLOSE and len(data) >= 88:
                self.closing[mid] = data[72:88]
            out += data
            self.stats.pdus += 1
            self.stats.count(self.stats.by_class.setdefault(
                self.cur_class, {}), 'pdus')
            self.stats.count(self.stats.commands,
                             G.COMMAND_NAMES.get(cmd, 'other'))
        out += bytes.fromhex(m.get('trailer') or '')
        n = len(out) if m.get('frame_len') is None else m['frame_len']
        return struct.pack('>I', n & 0xffffffff) + out, mids

    # -- sending and judging --------------------------------------------------

    def _note_reply(self, data):
        for h in L.split_reply(data):
            st = L.status_name(h.status)
            self.stats.count(self.stats.statuses, st)
            self.stats.count(self.stats.by_command.setdefault(
                G.COMMAND_NAMES.get(h.command, 'other'), {}), st)
            self.credits += h.credits
            if h.status == L.STATUS_PENDING and h.flags & G.FLAG_ASYNC:
                self.async_ids[h.message_id] = struct.unpack_from(
                    '<Q', data, h.offset + 32)[0]
            if h.command == G.SESSION_SETUP and h.session_id:
                self.last_sid = h.session_id
            if h.command == G.CREATE and h.status == 0:
                body = h.body(data)
                if len(body) >= 80:
                    self.fids['last'] = body[64:80]
            # What the next cases need is gone: start a new session.
            if h.command in (G.LOGOFF, G.TREE_DISCONNECT) and h.status == 0:
                self.dead = True
            fid = self.closing.pop(h.message_id, None)
            if h.command == G.CLOSE and h.status == 0 and fid is not None \
                    and fid in self.fids.values() and \
                    fid != self.fids.get('last'):
                self.dead = True
            if h.status in (0xC0000203, 0xC00000C9) and \
                    h.session_id == self.sid:
                # USER_SESSION_DELETED, NETWORK_NAME_DELETED
                self.dead = True

    def _read_until(self, want_mid, deadline, now=None, max_frames=2000,
                    interim=False):
        """Read replies until the one to want_mid (not an interim one,
        unless interim). Returns 'ok', 'closed' or 'silent'."""
        for _ in range(max_frames):
            try:
                data = self.raw.recv_frame(deadline, now)
            except L.Closed:
                return 'closed'
            except L.NoAnswer:
                return 'silent'
            except (ValueError, OSError):
                return 'closed'
            now = None
            self._note_reply(data)
            for h in L.split_reply(data):
                if h.message_id == want_mid and (
                        interim or h.status != L.STATUS_PENDING):
                    return 'ok'
        return 'silent'

    def _read_any(self, deadline, now=None):
        """Wait for any reply (not an interim one) or the end of the
        connection: 'ok', 'closed' or 'silent'."""
        for _ in range(1000):
            try:
                data = self.raw.recv_frame(deadline, now)
            except L.Closed:
                return 'closed'
            except L.NoAnswer:
                return 'silent'
            except (ValueError, OSError):
                return 'closed'
            now = None
            self._note_reply(data)
            hs = L.split_reply(data)
            if not hs or not all(h.status == L.STATUS_PENDING for h in hs):
                return 'ok'
        return 'silent'

    def _echo(self, credit_request=64):
        """A valid ECHO; True if the server answered it."""
        e = G.elem(G.ECHO, struct.pack('<HH', 4, 0),
                   hdr={'credit_request': credit_request})
        frame, mids = self.build(G.msg([e]))
        self.raw.send(frame)
        return self._read_until(mids[0][0], time.monotonic() +
                                self.timeout) == 'ok'

    def run_case(self, case, now=None):
        """Send a case; returns 'ok' (answered, and a following echo too),
        'closed' (the server ended the connection: fine), 'hang' (the
        connection stayed open and silent) or 'unchecked' (the case leaves
        the byte stream out of step, so silence proves nothing). now is
        a time.monotonic() the caller just read, if any."""
        self.stats.cases += 1
        self.cur_class = case.get('class', 'basic')
        self.case_mids = []
        self.why = ''
        desync = any(m.get('frame_len') is not None for m in case['msgs'])
        try:
            if self.cur_class == 'never_reading':
                return self._run_flood(case)
            if self.cur_class == 'partial_frames':
                return self._run_partial(case)
            if self.kind == 'sess' and any(m.get('wait') or m.get('drop')
                                           for m in case['msgs']):
                return self._run_steps(case, now)
            if self.kind == 'sess':
                # The messages go out back to back, then an ECHO: the
                # server must still answer on this connection. All in
                # one write (the byte stream is the same as in several).
                out = []
                for m in case['msgs']:
                    out.append(self.build(m)[0])
                    self.stats.frames += 1
                mid = None
                if not desync:
                    frame, mids = self.build(G.msg([G.elem(
                        G.ECHO, struct.pack('<HH', 4, 0))]))
                    out.append(frame)
                    mid = mids[0][0]
                self.raw.send(b''.join(out))
                if desync:
                    return 'unchecked'
                r = self._read_until(mid, (now or time.monotonic()) +
                                     self.timeout, now)
                return 'hang' if r == 'silent' else r
            for m in case['msgs']:
                frame, mids = self.build(m)
                self.raw.send(frame)
                self.stats.frames += 1
                # Before login every complete message gets an answer or
                # ends the connection (and the next leg needs the session
                # id of this answer). A frame whose length lies may leave
                # the server waiting for the rest: nothing to judge.
                if m.get('frame_len') is not None:
                    if self._read_any(time.monotonic() + 0.5) == 'closed':
                        return 'closed'
                    return 'unchecked'
                if all(c == G.CANCEL for _, c in mids) and mids:
                    continue
                now = now or time.monotonic()
                r = self._read_any(now + self.timeout, now)
                now = None
                if r != 'ok':
                    return 'hang' if r == 'silent' else r
            return 'ok'
        except L.Closed:
            return 'closed'
        except L.NoAnswer:
            # The server stopped reading while the connection is open.
            return 'unchecked' if desync else 'hang'
        except (OSError, socket.error):
            return 'closed'

    # -- the classes that need more than one write -----------------------

    def _run_steps(self, case, now=None):
        """A session case whose messages are sent one by one: after one
        with 'wait', its first request's answer (or interim answer) is
        read before the next goes; after one with 'drop' the connection
        is closed. Then the usual ECHO."""
        for m in case['msgs']:
            frame, mids = self.build(m)
            self.raw.send(frame)
            self.stats.frames += 1
            if m.get('drop'):
                self.raw.close()
                self.raw = None
                self.dead = True
                return 'dropped'
            if m.get('wait') and mids:
                r = self._read_until(mids[0][0], (now or time.monotonic()) +
                                     self.timeout, now,
                                     interim=m['wait'] == 'interim')
                now = None
                if r != 'ok':
                    self.why = 'request %d of the case not answered ' \
                        '(%s)' % (len(self.case_mids) - len(mids),
                                  m['wait'])
                    return 'hang' if r == 'silent' else r
        frame, mids = self.build(G.msg([G.elem(G.ECHO, L.echo_body())]))
        self.raw.send(frame)
        r = self._read_until(mids[0][0], time.monotonic() + self.timeout)
        return 'hang' if r == 'silent' else r

    def _probe(self, what):
        ok, why = probe(self.timeout)
        if ok:
            return None
        self.why = '%s; %s' % (what, why)
        return 'hang'

    def _run_flood(self, case):
        """never_reading: many requests, never a byte read; the socket is
        then held open (hold()) and a new connection must be answered."""
        fl = case['flood']
        if self.kind == 'sess':
            e = G.elem(G.ECHO, L.echo_body(),
                       hdr={'credit_request': case.get('credits', 2000)})
            frame, mids = self.build(G.msg([e]))
            self.raw.send(frame)
            r = self._read_until(mids[0][0], time.monotonic() +
                                 self.timeout)
            if r != 'ok':
                self.why = 'no answer to an ECHO asking for credits'
                return 'hang' if r == 'silent' else r
        if case.get('rcvbuf'):
            self.raw.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF,
                                     case['rcvbuf'])
        elems, per = fl['elems'], max(1, fl.get('per_frame', 1))
        frames = []
        for i in range(0, fl['repeat'], per):
            es = [elems[(i + j) % len(elems)]
                  for j in range(min(per, fl['repeat'] - i))]
            if self.credits - len(es) < 1:
                break           # beyond the credits: a different case
            frames.append(self.build(G.msg(es))[0])
            self.stats.frames += 1
        # The server stops reading once its queue for us is full: send
        # what it takes within a short send timeout, and no more.
        self.raw._set(socket.SO_SNDTIMEO, 0.3)
        try:
            self.raw.send(b''.join(frames))
        except (L.NoAnswer, L.Closed):
            pass
        hold(self.raw.sock, case.get('hold', 5))
        self.raw = None
        return self._probe('while a client never reads its replies') or \
            'held'

    def _run_partial(self, case):
        """partial_frames: the frame of the case's message cut, dripped,
        after keep-alives, with a bad first byte or a length over the
        limit."""
        frame, mids = self.build(case['msgs'][0])
        self.stats.frames += 1
        how = case['how']
        if how in ('trunc_close', 'trunc_hold', 'header_only'):
            cut = case.get('cut', 4)
            cut = len(frame) - 1 if cut < 0 else min(cut, len(frame) - 1)
            self.raw.send(frame[:cut])
            if how == 'trunc_close':
                return 'dropped'
            hold(self.raw.sock, case.get('hold', 5))
            self.raw = None
            return self._probe('while a client holds half a frame') or \
                'held'
        if how == 'drip':
            # At most about 100 pieces: a case takes a second or two.
            chunk = max(case.get('chunk', 1), len(frame) // 100 + 1)
            for i in range(0, len(frame), chunk):
                self.raw.send(frame[i:i + chunk])
                time.sleep(case.get('delay', 0.005))
        elif how == 'keepalive':
            self.raw.send(b'\x85\0\0\0' * case.get('keepalives', 1) +
                          frame)
        elif how in ('oversize', 'bad_byte'):
            if how == 'oversize':
                data = struct.pack('>I', case['length']) + \
                    frame[4:4 + case.get('extra', 0)]
            else:
                data = bytes([case['byte']]) + frame[1:]
            try:
                self.raw.send(data)
            except (L.NoAnswer, L.Closed):
                return 'closed'
            # The server must end the connection, not wait for the rest.
            r = self._read_any(time.monotonic() + self.timeout)
            if r == 'silent':
                self.why = 'a frame %s is neither refused nor answered' % (
                    'longer than the limit' if how == 'oversize' else
                    'with a bad first byte')
                return 'hang'
            return 'closed' if r == 'closed' else 'unchecked'
        r = self._read_until(mids[0][0], time.monotonic() + self.timeout)
        if r == 'silent':
            self.why = 'a complete request sent in pieces (%s) was not ' \
                'answered' % how
            return 'hang'
        return r
