# SPDX-License-Identifier: GPL-2.0
"""The fuzzer's side of the wire: contexts to send cases in (a fresh
connection, a negotiated one, a logged-in session), turning a case's
requests into bytes (ids, credits, signatures, file ids filled in), and
judging what came back. Also a reader of new kernel log records.
"""

import errno
import hashlib
import hmac
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402
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


HDR = struct.Struct('<4sHHIHHIIQIIQ16s')


def charge_for(cmd, body):
    """The credit charge a large request must pay (64 KiB per credit)."""
    def u32(off):
        return struct.unpack_from('<I', body, off)[0] \
            if len(body) >= off + 4 else 0
    need = 0
    if cmd in (G.READ, G.WRITE):
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

    def count(self, table, key, n=1):
        table[key] = table.get(key, 0) + n


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
        self.sign_key = None
        self.cmac = False
        self.last_sid = 0           # from the last SESSION_SETUP reply
        self.history = []
        self.dead = False
        self.closing = {}           # message id -> file id of a CLOSE

    # -- setting up ---------------------------------------------------------

    def open(self):
        if self.kind == 'pre':
            self.raw = L.RawConn(timeout=self.timeout)
            self.mid = 0
        elif self.kind == 'neg':
            self.raw = L.RawConn(timeout=self.timeout)
            self.raw.negotiate(L.DIALECTS_ALL if self.dialect >= 0x0300
                               else L.DIALECTS_SMB2)
            self.mid = 1
        else:
            self._login()
        self.stats.sessions += 1

    def _login(self):
        conn = L.connect(dialect=self.dialect, timeout=self.timeout * 2)
        self.conn = conn
        smb = conn.getSMBServer()
        self.tids['share'] = conn.connectTree(L.SHARE)
        try:
            self.tids['ipc'] = conn.connectTree('IPC$')
        except Exception:
            self.tids['ipc'] = 0xfffffffe

        def create(tid, name, access, opts, disp):
            f = smb.create(tid, name, access, L.FILE_SHARE_ALL, opts, disp,
                           0)
            return f.getData() if hasattr(f, 'getData') else bytes(f)

        self.fids = {}
        try:
            d = create(self.tids['share'], 'fuzz-dir', L.GENERIC_READ_ACCESS,
                       L.FILE_DIRECTORY_FILE, L.FILE_OPEN_IF)
            self.fids['dir'] = d
            f = create(self.tids['share'], 'fuzz-file.bin',
                       L.GENERIC_RW_ACCESS | L.DELETE,
                       L.FILE_NON_DIRECTORY_FILE, L.FILE_OVERWRITE_IF)
            data = b'fuzz data\n' * 400
            smb.write(self.tids['share'], f, data, 0, len(data))
            self.fids['file'] = f
        except Exception:
            pass
        try:
            p = create(self.tids['ipc'], 'srvsvc', 0x0012019f, 0,
                       L.FILE_OPEN)
            self.fids['pipe'] = p
        except Exception:
            pass
        self.sid = smb._Session['SessionID']
        self.signing = bool(smb._Session['SigningActivated'])
        if smb.getDialect() >= 0x0300:
            self.sign_key = smb._Session['SigningKey']
            self.cmac = True
        else:
            self.sign_key = smb._Session['SessionKey']
            self.cmac = False
        self.mid = smb._Connection['SequenceWindow']
        self.raw = L.RawConn(timeout=self.timeout,
                             sock=smb._NetBIOSSession.get_socket())
        # impacket does not count credits: ask for plenty with an echo.
        self.credits = 1
        self._echo(credit_request=512)

    def close(self):
        if self.raw is not None:
            self.raw.close()
            self.raw = None

    # -- building -----------------------------------------------------------

    def _sign(self, data):
        """data with its signature (the SIGNED flag is already set)."""
        p = data[:48] + b'\0' * 16 + data[64:]
        if self.cmac:
            from impacket import crypto
            sig = crypto.AES_CMAC(self.sign_key, p, len(p))
        else:
            sig = hmac.new(self.sign_key, p, hashlib.sha256).digest()[:16]
        return p[:48] + sig[:16] + p[64:]

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
            if how == 'dup':
                mid = self.last_mid
            elif how == 'skip':
                mid = self.mid + 3
            elif how == 'far':
                mid = self.mid + 100000
            elif how == 'max':
                mid = 0xffffffffffffffff
            if cmd != G.CANCEL and how not in ('dup', 'max'):
                self.mid = mid + max(1, charge)
                self.credits -= max(1, charge)
            self.last_mid = mid
            mids.append((mid, cmd))
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
            hdr = HDR.pack(b'\xfeSMB', h.get('structure_size', 64), charge,
                           h.get('status', 0), cmd & 0xffff,
                           h.get('credit_request', 64), flags & 0xffffffff,
                           nxt & 0xffffffff, mid & 0xffffffffffffffff,
                           h.get('process_id', 0xfeff), tid & 0xffffffff,
                           sid & 0xffffffffffffffff, b'\0' * 16)
            data = bytearray(hdr + body + b'\0' * pad)
            if 'async_id' in h:
                struct.pack_into('<Q', data, 32, h['async_id'])
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

    def _read_until(self, want_mid, deadline, max_frames=2000):
        """Read replies until the one to want_mid (not an interim one).
        Returns 'ok', 'closed' or 'silent'."""
        for _ in range(max_frames):
            left = deadline - time.monotonic()
            if left <= 0:
                return 'silent'
            try:
                data = self.raw.recv_frame(left)
            except L.Closed:
                return 'closed'
            except L.NoAnswer:
                return 'silent'
            except (ValueError, OSError):
                return 'closed'
            self._note_reply(data)
            for h in L.split_reply(data):
                if h.message_id == want_mid and h.status != L.STATUS_PENDING:
                    return 'ok'
        return 'silent'

    def _read_any(self, deadline):
        """Wait for any reply (not an interim one) or the end of the
        connection: 'ok', 'closed' or 'silent'."""
        for _ in range(1000):
            left = deadline - time.monotonic()
            if left <= 0:
                return 'silent'
            try:
                data = self.raw.recv_frame(left)
            except L.Closed:
                return 'closed'
            except L.NoAnswer:
                return 'silent'
            except (ValueError, OSError):
                return 'closed'
            self._note_reply(data)
            hs = L.split_reply(data)
            if not hs or not all(h.status == L.STATUS_PENDING for h in hs):
                return 'ok'
        return 'silent'

    def _drain(self, seconds):
        end = time.monotonic() + seconds
        for _ in range(1000):
            left = end - time.monotonic()
            if left <= 0:
                return 'ok'
            try:
                self._note_reply(self.raw.recv_frame(left))
            except L.NoAnswer:
                return 'ok'
            except (L.Closed, ValueError, OSError):
                return 'closed'
        return 'ok'

    def _echo(self, credit_request=64):
        """A valid ECHO; True if the server answered it."""
        e = G.elem(G.ECHO, struct.pack('<HH', 4, 0),
                   hdr={'credit_request': credit_request})
        frame, mids = self.build(G.msg([e]))
        self.raw.send(frame)
        return self._read_until(mids[0][0], time.monotonic() +
                                self.timeout) == 'ok'

    def run_case(self, case):
        """Send a case; returns 'ok' (answered, and a following echo too),
        'closed' (the server ended the connection: fine), 'hang' (the
        connection stayed open and silent) or 'unchecked' (the case leaves
        the byte stream out of step, so silence proves nothing)."""
        self.stats.cases += 1
        desync = any(m.get('frame_len') is not None for m in case['msgs'])
        try:
            for m in case['msgs']:
                frame, mids = self.build(m)
                self.raw.send(frame)
                self.stats.frames += 1
                if self.kind == 'sess':
                    continue
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
                r = self._read_any(time.monotonic() + self.timeout)
                if r != 'ok':
                    return 'hang' if r == 'silent' else r
            if self.kind != 'sess':
                return 'ok'
            if desync:
                return 'unchecked'
            # The server must still answer on this connection.
            e = G.elem(G.ECHO, struct.pack('<HH', 4, 0))
            frame, mids = self.build(G.msg([e]))
            self.raw.send(frame)
            r = self._read_until(mids[0][0], time.monotonic() + self.timeout)
            if r == 'silent':
                return 'hang'
            return r
        except L.Closed:
            return 'closed'
        except L.NoAnswer:
            # The server stopped reading while the connection is open.
            return 'unchecked' if desync else 'hang'
        except (OSError, socket.error):
            return 'closed'
