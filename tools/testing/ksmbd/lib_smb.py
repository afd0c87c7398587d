# SPDX-License-Identifier: GPL-2.0
"""Shared helpers for the Python tests of the in-guest suite.

Three parts:
  - Checker: counts checks and failures, prints one line per check and
    gives the exit status (0 pass, 1 fail, SKIP = 77 skip);
  - impacket helpers: a logged-in SMBConnection and a health check;
  - a hand-made SMB2 client (struct packing only) for malformed traffic:
    RawConn speaks SMB2 over a TCP socket, RawSession takes over the socket
    of an impacket login to send hand-made requests in a real session;
    its wire constants and request builders (header(), *_body(),
    compound()) are the ones the fuzzer (fuzz/gen.py) and the tests use,
    each field of a body overridable to make it wrong on purpose.

Settings come from the environment the runner exports (SMB_HOST, SMB_SHARE,
SMB_USER, SMB_PASS, SHARE_DIR) with the test guest's values as defaults.
"""

import hashlib
import hmac
import os
import socket
import struct
import subprocess
import sys
import time

HOST = os.environ.get('SMB_HOST', '127.0.0.1')
PORT = int(os.environ.get('SMB_PORT', '445'))
SHARE = os.environ.get('SMB_SHARE', 'share')
USER = os.environ.get('SMB_USER', 'testuser')
PASSWORD = os.environ.get('SMB_PASS', 'testpass')
SHARE_DIR = os.environ.get('SHARE_DIR', '/srv/share')
SHARE_UID = int(os.environ.get('SHARE_UID', '2000'))
SHARE_GID = int(os.environ.get('SHARE_GID', '2000'))

SKIP = 77


# --------------------------------------------------------------------------
# Verdicts

class Checker:
    """Counts checks; a failed check is printed and the test goes on."""

    def __init__(self):
        self.checks = 0
        self.failures = 0

    @staticmethod
    def note(msg):
        print('# ' + msg, flush=True)

    def ok(self, cond, what, detail=''):
        self.checks += 1
        if cond:
            print('ok: ' + what, flush=True)
            return True
        self.failures += 1
        print('not ok: ' + what + (': ' + detail if detail else ''),
              flush=True)
        return False

    def eq(self, what, expected, actual):
        return self.ok(expected == actual, what,
                       'expected %r, got %r' % (expected, actual))

    def fail(self, what, detail=''):
        return self.ok(False, what, detail)

    def finish(self):
        if self.failures:
            print('%d of %d checks failed' % (self.failures, self.checks))
            sys.exit(1)
        if not self.checks:
            print('no checks were made')
            sys.exit(1)
        print('all %d checks passed' % self.checks)
        sys.exit(0)


def skip(msg):
    print('skip: ' + msg, flush=True)
    sys.exit(SKIP)


def mountd_pids():
    """The process ids of the running ksmbd.mountd processes."""
    out = []
    for p in os.listdir('/proc'):
        if not p.isdigit():
            continue
        try:
            with open('/proc/%s/comm' % p) as f:
                if f.read().strip() == 'ksmbd.mountd':
                    out.append(int(p))
        except OSError:
            pass
    return out


def need_impacket():
    import importlib.util
    if importlib.util.find_spec('impacket') is None:
        skip('python3-impacket is not installed')


# --------------------------------------------------------------------------
# Kernel log

class KernelLog:
    """New kernel log lines since the last look (without clearing it)."""

    BAD = ('BUG:', 'WARNING:', 'Oops', 'KASAN', 'UBSAN',
           'general protection', 'stack-protector', 'Kernel panic',
           'soft lockup', 'blocked for more than', 'list_add corruption',
           'list_del corruption', 'refcount_t:')

    def __init__(self):
        self.usable = True
        self.seen = self._read()
        if self.seen is None:
            self.usable = False

    @staticmethod
    def _read():
        try:
            out = subprocess.run(['dmesg'], capture_output=True, timeout=30,
                                 check=True).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        return out.decode('utf-8', 'replace').splitlines()

    def new_lines(self):
        if not self.usable:
            return []
        now = self._read() or []
        old = self.seen
        self.seen = now
        if len(now) >= len(old) and now[:len(old)][-1:] == old[-1:]:
            return now[len(old):]
        # The ring buffer moved on (or was cleared): find the old tail.
        if old:
            for i in range(len(now) - 1, -1, -1):
                if now[i] == old[-1]:
                    return now[i + 1:]
        return now

    def new_problems(self):
        return [ln for ln in self.new_lines()
                if any(b in ln for b in self.BAD)]


# --------------------------------------------------------------------------
# impacket

def connect(dialect=None, user=USER, password=PASSWORD, timeout=30):
    """A logged-in impacket SMBConnection (SMB 2.1 unless told)."""
    from impacket.smbconnection import SMBConnection
    from impacket import smb3structs
    if dialect is None:
        dialect = smb3structs.SMB2_DIALECT_21
    conn = SMBConnection(HOST, HOST, sess_port=PORT, timeout=timeout,
                         preferredDialect=dialect)
    work_around_impacket(conn)
    conn.login(user, password)
    return conn


def work_around_impacket(conn):
    """Two bugs of impacket 0.10, to be called between negotiate and login:
    - create() breaks when the server offers directory leases (an unset
      variable for files in the share root): pretend it did not offer them;
    - at SMB 3.1.1 the session's preauth integrity hash does not start
      from the connection's (the NEGOTIATE exchange), so the signing key is
      wrong and signed requests are refused: seed it."""
    smb = conn.getSMBServer()
    c = getattr(smb, '_Connection', None)
    sess = getattr(smb, '_Session', None)
    if not isinstance(c, dict) or not isinstance(sess, dict):
        return
    if 'SupportsDirectoryLeasing' in c:
        c['SupportsDirectoryLeasing'] = False
    if c.get('Dialect') == 0x0311 and 'PreauthIntegrityHashValue' in c:
        sess['PreauthIntegrityHashValue'] = c['PreauthIntegrityHashValue']


def server_answers(timeout=20):
    """(True, '') if a fresh login lists the share, else (False, why)."""
    conn = None
    try:
        conn = connect(timeout=timeout)
        conn.listPath(SHARE, '*')
        return True, ''
    except Exception as e:  # any failure means "not answering properly"
        return False, '%s: %s' % (type(e).__name__, e)
    finally:
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass


def status_name(code):
    try:
        from impacket.nt_errors import ERROR_MESSAGES
        if code in ERROR_MESSAGES:
            return ERROR_MESSAGES[code][0]
    except ImportError:
        pass
    return STATUS_NAMES.get(code, '0x%08x' % code)


def session_error_code(exc):
    """The NT status of an impacket SessionError, or None."""
    get = getattr(exc, 'getErrorCode', None)
    if get is None:
        return None
    try:
        return get()
    except Exception:
        return None


# --------------------------------------------------------------------------
# Hand-made SMB2

SMB2_MAGIC = b'\xfeSMB'
SMB2_TRANSFORM_MAGIC = b'\xfdSMB'
SMB2_COMPRESSION_MAGIC = b'\xfcSMB'
SMB1_MAGIC = b'\xffSMB'

NEGOTIATE, SESSION_SETUP, LOGOFF, TREE_CONNECT, TREE_DISCONNECT = 0, 1, 2, 3, 4
CREATE, CLOSE, FLUSH, READ, WRITE, LOCK, IOCTL, CANCEL = 5, 6, 7, 8, 9, 10, 11, 12
ECHO, QUERY_DIRECTORY, CHANGE_NOTIFY, QUERY_INFO, SET_INFO = 13, 14, 15, 16, 17
OPLOCK_BREAK = 18

COMMAND_NAMES = {
    NEGOTIATE: 'NEGOTIATE', SESSION_SETUP: 'SESSION_SETUP', LOGOFF: 'LOGOFF',
    TREE_CONNECT: 'TREE_CONNECT', TREE_DISCONNECT: 'TREE_DISCONNECT',
    CREATE: 'CREATE', CLOSE: 'CLOSE', FLUSH: 'FLUSH', READ: 'READ',
    WRITE: 'WRITE', LOCK: 'LOCK', IOCTL: 'IOCTL', CANCEL: 'CANCEL',
    ECHO: 'ECHO', QUERY_DIRECTORY: 'QUERY_DIRECTORY',
    CHANGE_NOTIFY: 'CHANGE_NOTIFY', QUERY_INFO: 'QUERY_INFO',
    SET_INFO: 'SET_INFO', OPLOCK_BREAK: 'OPLOCK_BREAK',
}

FLAG_RESPONSE = 0x1
FLAG_ASYNC = 0x2
FLAG_RELATED = 0x4
FLAG_SIGNED = 0x8
FLAG_PRIORITY = 0x70
FLAG_DFS = 0x10000000
FLAG_REPLAY = 0x20000000

# The FileId of a related compound: the open of the element before.
RELATED_FID = b'\xff' * 16

STATUS_SUCCESS = 0
STATUS_PENDING = 0x00000103
STATUS_MORE_PROCESSING_REQUIRED = 0xC0000016
STATUS_INVALID_PARAMETER = 0xC000000D
STATUS_NOT_SUPPORTED = 0xC00000BB
STATUS_ACCESS_DENIED = 0xC0000022
STATUS_OBJECT_NAME_NOT_FOUND = 0xC0000034

STATUS_NAMES = {
    STATUS_SUCCESS: 'STATUS_SUCCESS',
    STATUS_PENDING: 'STATUS_PENDING',
    STATUS_MORE_PROCESSING_REQUIRED: 'STATUS_MORE_PROCESSING_REQUIRED',
    STATUS_INVALID_PARAMETER: 'STATUS_INVALID_PARAMETER',
    STATUS_NOT_SUPPORTED: 'STATUS_NOT_SUPPORTED',
    STATUS_ACCESS_DENIED: 'STATUS_ACCESS_DENIED',
    STATUS_OBJECT_NAME_NOT_FOUND: 'STATUS_OBJECT_NAME_NOT_FOUND',
}

DIALECTS_ALL = (0x0202, 0x0210, 0x0300, 0x0302, 0x0311)
DIALECTS_SMB2 = (0x0202, 0x0210)

HEADER_FMT = '<4sHHIHHIIQIIQ16s'
HEADER_SIZE = struct.calcsize(HEADER_FMT)
assert HEADER_SIZE == 64


def header(command, message_id=0, session_id=0, tree_id=0, flags=0,
           next_command=0, credit_charge=1, credit_request=31, status=0,
           protocol=SMB2_MAGIC, structure_size=64, process_id=0xFEFF):
    """A 64-byte SMB2 request header (synchronous form), unsigned."""
    return struct.pack(HEADER_FMT, protocol, structure_size, credit_charge,
                       status, command, credit_request, flags, next_command,
                       message_id, process_id, tree_id, session_id,
                       b'\0' * 16)


def frame(payload, length=None):
    """Direct TCP framing: a 4-byte big-endian length, then the message.
    length may lie (and be over 24 bits, setting the zero byte)."""
    n = len(payload) if length is None else length
    return struct.pack('>I', n) + payload


class Header:
    """A parsed SMB2 header."""

    def __init__(self, data, offset=0):
        (self.protocol, self.structure_size, self.credit_charge, self.status,
         self.command, self.credits, self.flags, self.next_command,
         self.message_id, _, self.tree_id, self.session_id,
         self.signature) = struct.unpack_from(HEADER_FMT, data, offset)
        self.offset = offset

    def body(self, data):
        end = (self.offset + self.next_command if self.next_command
               else len(data))
        return data[self.offset + HEADER_SIZE:end]


def split_reply(data):
    """The headers of a (possibly compounded) SMB2 reply."""
    out = []
    off = 0
    while len(out) < 64 and off + HEADER_SIZE <= len(data):
        h = Header(data, off)
        if h.protocol != SMB2_MAGIC:
            break
        out.append(h)
        if h.next_command == 0:
            break
        off += h.next_command
    return out


# Negotiate contexts
PREAUTH_INTEGRITY = 1
ENCRYPTION_CAPS = 2


def neg_context(ctype, data, data_length=None, reserved=0):
    dl = len(data) if data_length is None else data_length
    return struct.pack('<HHI', ctype, dl, reserved) + data


def preauth_context(salt=b'S' * 32, algorithms=(1,), hash_count=None,
                    salt_length=None, data_length=None):
    data = struct.pack('<HH', len(algorithms) if hash_count is None
                       else hash_count,
                       len(salt) if salt_length is None else salt_length)
    data += b''.join(struct.pack('<H', a) for a in algorithms) + salt
    return neg_context(PREAUTH_INTEGRITY, data, data_length)


def encryption_context(ciphers=(2, 1), cipher_count=None, data_length=None):
    data = struct.pack('<H', len(ciphers) if cipher_count is None
                       else cipher_count)
    data += b''.join(struct.pack('<H', c) for c in ciphers)
    return neg_context(ENCRYPTION_CAPS, data, data_length)


def pad8(n):
    return (-n) % 8


def der_len(n):
    """A DER definite length."""
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([0x80 | len(b)]) + b


def negotiate_body(dialects=DIALECTS_SMB2, dialect_count=None, contexts=None,
                   ctx_offset=None, ctx_count=None, structure_size=36,
                   security_mode=1, capabilities=0, guid=b'ksmbd-test-guid!'):
    """NEGOTIATE request body. For 3.1.1 a preauth and an encryption
    context are added unless contexts is given."""
    if contexts is None:
        contexts = ([preauth_context(), encryption_context()]
                    if 0x0311 in dialects else [])
    dialect_bytes = b''.join(struct.pack('<H', d) for d in dialects)
    end = HEADER_SIZE + 36 + len(dialect_bytes)
    blob = b''
    offset = 0
    if contexts:
        blob = b'\0' * pad8(end)
        offset = end + len(blob)
        for i, c in enumerate(contexts):
            if i:
                blob += b'\0' * pad8(len(blob) + end)
            blob += c
    body = struct.pack('<HHHHI16sIHH', structure_size,
                       len(dialects) if dialect_count is None
                       else dialect_count,
                       security_mode, 0, capabilities, guid,
                       offset if ctx_offset is None else ctx_offset,
                       len(contexts) if ctx_count is None else ctx_count, 0)
    return body + dialect_bytes + blob


def negotiate_request(**kw):
    return header(NEGOTIATE, message_id=0) + negotiate_body(**kw)


def session_setup_body(blob=b'', sec_offset=None, sec_length=None, flags=0,
                       security_mode=1, structure_size=25,
                       previous_session=0, capabilities=0):
    off = HEADER_SIZE + 24
    body = struct.pack('<HBBIIHHQ', structure_size, flags, security_mode,
                       capabilities, 0,
                       off if sec_offset is None else sec_offset,
                       len(blob) if sec_length is None else sec_length,
                       previous_session)
    return body + (blob or b'\0')


def tree_connect_body(path, path_offset=None, path_length=None,
                      structure_size=9, flags=0, extension=b''):
    """TREE_CONNECT request body; extension, if given, replaces the path
    (SMB2_TREE_CONNECT_REQUEST_EXTENSION with flags 4)."""
    data = path.encode('utf-16-le') if isinstance(path, str) else path
    off = HEADER_SIZE + 8
    body = struct.pack('<HHHH', structure_size, flags,
                       off if path_offset is None else path_offset,
                       len(data) if path_length is None else path_length)
    return body + (extension or data or b'\0')


# CREATE
FILE_READ_DATA = 0x1
FILE_WRITE_DATA = 0x2
FILE_READ_ATTRIBUTES = 0x80
SYNCHRONIZE = 0x00100000
READ_CONTROL = 0x00020000
DELETE = 0x00010000
GENERIC_READ_ACCESS = 0x00120089
GENERIC_RW_ACCESS = 0x0012019F
FILE_SHARE_ALL = 7
FILE_SUPERSEDE, FILE_OPEN, FILE_CREATE, FILE_OPEN_IF = 0, 1, 2, 3
FILE_OVERWRITE, FILE_OVERWRITE_IF = 4, 5
FILE_DIRECTORY_FILE = 0x1
FILE_NON_DIRECTORY_FILE = 0x40


def create_context(name, data=b'', next_offset=0, name_offset=None,
                   name_length=None, data_offset=None, data_length=None):
    """One CREATE context (name, padding, data); the caller pads between
    contexts."""
    noff = 16
    doff = 0
    blob = name
    if data:
        blob += b'\0' * pad8(noff + len(name))
        doff = noff + len(blob)
        blob += data
    return struct.pack('<IHHHHI', next_offset,
                       noff if name_offset is None else name_offset,
                       len(name) if name_length is None else name_length, 0,
                       doff if data_offset is None else data_offset,
                       len(data) if data_length is None else data_length
                       ) + blob


def create_body(name, disposition=FILE_OPEN, access=GENERIC_READ_ACCESS,
                options=0, attributes=0, share_access=FILE_SHARE_ALL,
                contexts=b'', name_offset=None, name_length=None,
                ctx_offset=None, ctx_length=None, structure_size=57,
                oplock=0, impersonation=2, security_flags=0, create_flags=0,
                reserved=0):
    data = name.encode('utf-16-le', 'surrogatepass') \
        if isinstance(name, str) else name
    off = HEADER_SIZE + 56
    buf = data
    coff = 0
    if contexts:
        buf += b'\0' * pad8(off + len(buf))
        coff = off + len(buf)
        buf += contexts
    body = struct.pack('<HBBIQQIIIIIHHII', structure_size, security_flags,
                       oplock, impersonation, create_flags, reserved, access,
                       attributes, share_access,
                       disposition, options,
                       off if name_offset is None else name_offset,
                       len(data) if name_length is None else name_length,
                       coff if ctx_offset is None else ctx_offset,
                       len(contexts) if ctx_length is None else ctx_length)
    return body + (buf or b'\0')


def create_reply_file_id(data, h):
    """The FileId of a successful CREATE reply."""
    body = h.body(data)
    return body[64:80]


def close_body(file_id, flags=0, structure_size=24):
    return struct.pack('<HHI16s', structure_size, flags, 0, file_id)


def flush_body(file_id, structure_size=24, reserved=0):
    return struct.pack('<HHI16s', structure_size, 0, reserved, file_id)


def read_body(file_id, length, offset=0, structure_size=49, padding=0,
              flags=0, minimum=0, channel=0, remaining=0,
              channel_offset=0, channel_length=0, channel_info=b''):
    return struct.pack('<HBBIQ16sIIIHH', structure_size, padding, flags,
                       length, offset, file_id, minimum, channel, remaining,
                       channel_offset, channel_length) + \
        (channel_info or b'\0')


def write_body(file_id, data, offset=0, data_offset=None, length=None,
               structure_size=49, channel=0, remaining=0, channel_offset=0,
               channel_length=0, flags=0, channel_info=b''):
    """WRITE request body; channel_info, if any, follows the data."""
    doff = HEADER_SIZE + 48
    return struct.pack('<HHIQ16sIIHHI', structure_size,
                       doff if data_offset is None else data_offset,
                       len(data) if length is None else length, offset,
                       file_id, channel, remaining, channel_offset,
                       channel_length, flags) + (data + channel_info or b'\0')


def echo_body(structure_size=4, reserved=0):
    return struct.pack('<HH', structure_size, reserved)


# LOCK (MS-SMB2 2.2.26)
LOCK_SHARED = 0x1
LOCK_EXCLUSIVE = 0x2
LOCK_UNLOCK = 0x4
LOCK_FAIL_IMMEDIATELY = 0x10


def lock_elements(locks):
    """SMB2_LOCK_ELEMENTs of (offset, length, flags) tuples."""
    return b''.join(struct.pack('<QQII', off, ln, flags, 0)
                    for off, ln, flags in locks)


def lock_body(file_id, locks, lock_count=None, structure_size=48,
              sequence=0):
    """LOCK request body of (offset, length, flags) tuples, or of
    elements already packed (bytes); lock_count may lie about them."""
    elems = locks if isinstance(locks, bytes) else lock_elements(locks)
    return struct.pack('<HHI16s', structure_size, len(locks)
                       if lock_count is None else lock_count, sequence,
                       file_id) + elems


# QUERY_DIRECTORY (2.2.33)
FILE_DIRECTORY_INFORMATION = 1
FILE_ID_BOTH_DIRECTORY_INFORMATION = 37
QUERY_DIR_RESTART_SCANS = 0x01
QUERY_DIR_REOPEN = 0x10


def query_directory_body(file_id, pattern='*', name_offset=None,
                         name_length=None, out_len=65536,
                         info_class=FILE_ID_BOTH_DIRECTORY_INFORMATION,
                         flags=QUERY_DIR_RESTART_SCANS, file_index=0,
                         structure_size=33):
    data = pattern.encode('utf-16-le', 'surrogatepass') \
        if isinstance(pattern, str) else pattern
    off = HEADER_SIZE + 32
    return struct.pack('<HBBI16sHHI', structure_size, info_class, flags,
                       file_index, file_id,
                       off if name_offset is None else name_offset,
                       len(data) if name_length is None else name_length,
                       out_len) + (data or b'\0')


# QUERY_INFO / SET_INFO (2.2.37, 2.2.39)
INFO_FILE, INFO_FILESYSTEM, INFO_SECURITY, INFO_QUOTA = 1, 2, 3, 4
FILE_RENAME_INFORMATION = 10
FILE_LINK_INFORMATION = 11


def query_info_body(file_id, info_type, klass, data=b'', in_offset=None,
                    in_length=None, out_len=4096, additional=0, flags=0,
                    structure_size=41):
    off = HEADER_SIZE + 40
    return struct.pack('<HBBIHHIII16s', structure_size, info_type, klass,
                       out_len, (off if data else 0) if in_offset is None
                       else in_offset, 0,
                       len(data) if in_length is None else in_length,
                       additional, flags, file_id) + (data or b'\0')


def set_info_body(file_id, info_type, klass, data, buf_offset=None,
                  buf_length=None, additional=0, structure_size=33):
    off = HEADER_SIZE + 32
    return struct.pack('<HBBIHHI16s', structure_size, info_type, klass,
                       len(data) if buf_length is None else buf_length,
                       off if buf_offset is None else buf_offset, 0,
                       additional, file_id) + (data or b'\0')


def name_info(name, length=None, replace=0, root=0):
    """FILE_RENAME_INFORMATION_TYPE_2 / FILE_LINK_INFORMATION_TYPE_2 (the
    SMB2 form, 20 bytes before the name)."""
    data = name.encode('utf-16-le', 'surrogatepass') \
        if isinstance(name, str) else name
    return struct.pack('<B7sQI', replace, bytes(7), root,
                       len(data) if length is None else length) + data


# IOCTL (2.2.31)
FSCTL_VALIDATE_NEGOTIATE_INFO = 0x00140204
FSCTL_PIPE_TRANSCEIVE = 0x0011C017
FSCTL_SRV_COPYCHUNK_WRITE = 0x001480F2
FSCTL_QUERY_NETWORK_INTERFACE_INFO = 0x001401FC
FSCTL_QUERY_ALLOCATED_RANGES = 0x000940CF
FSCTL_SRV_ENUMERATE_SNAPSHOTS = 0x00144064
FSCTL_SRV_REQUEST_RESUME_KEY = 0x00140078
IOCTL_IS_FSCTL = 1


def ioctl_body(ctl, file_id, data, in_offset=None, in_count=None,
               max_out=1024, max_in=0, out_offset=0, out_count=0,
               flags=IOCTL_IS_FSCTL, structure_size=57):
    off = HEADER_SIZE + 56
    return struct.pack('<HHI16sIIIIIIII', structure_size, 0, ctl, file_id,
                       off if in_offset is None else in_offset,
                       len(data) if in_count is None else in_count, max_in,
                       out_offset, out_count, max_out, flags, 0) + \
        (data or b'\0')


def compound(packets, sign=None):
    """One message of the requests in packets (each a header and body,
    unsigned): NextCommand set and each but the last padded to 8 bytes;
    sign(packet) signs an element once its NextCommand is in."""
    out = b''
    for i, p in enumerate(packets):
        last = i == len(packets) - 1
        pad = 0 if last else pad8(len(p))
        p = p[:20] + struct.pack('<I', 0 if last else len(p) + pad) + \
            p[24:] + b'\0' * pad
        out += sign(p) if sign else p
    return out


class Closed(Exception):
    """The server closed (or reset) the connection."""


class NoAnswer(Exception):
    """Nothing arrived before the timeout."""


class RawConn:
    """SMB2 over a TCP socket, every byte made by hand."""

    def __init__(self, timeout=5.0, sock=None):
        self.timeout = timeout
        if sock is None:
            sock = socket.create_connection((HOST, PORT), timeout=timeout)
        self.sock = sock

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data):
        try:
            self.sock.settimeout(self.timeout)
            self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError) as e:
            raise Closed(str(e))
        except socket.timeout:
            raise NoAnswer('sending timed out (the server reads nothing)')

    def _recv_exact(self, n, deadline):
        buf = b''
        while len(buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise NoAnswer('timed out')
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(min(n - len(buf), 1 << 20))
            except socket.timeout:
                raise NoAnswer('timed out')
            except (ConnectionResetError, ConnectionAbortedError) as e:
                raise Closed(str(e))
            if not chunk:
                raise Closed('end of stream')
            buf += chunk
        return buf

    def recv_frame(self, timeout=None):
        """The next message (without its 4-byte length)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        n = struct.unpack('>I', self._recv_exact(4, deadline))[0]
        if n >> 24:
            raise ValueError('reply frame with a non-zero first byte')
        return self._recv_exact(n, deadline)

    def recv_reply(self, timeout=None):
        """The next reply that is not an interim STATUS_PENDING one."""
        while True:
            data = self.recv_frame(timeout)
            hs = split_reply(data)
            if hs and all(h.status == STATUS_PENDING for h in hs):
                continue
            return data, hs

    def negotiate(self, dialects=DIALECTS_SMB2):
        """A normal NEGOTIATE; returns the dialect chosen."""
        self.send(frame(negotiate_request(dialects=dialects)))
        data, hs = self.recv_reply()
        if not hs or hs[0].status != STATUS_SUCCESS:
            raise RuntimeError('negotiate failed: %s' % (
                status_name(hs[0].status) if hs else 'not SMB2'))
        return struct.unpack_from('<H', hs[0].body(data), 4)[0]


def sign_smb2(packet, key):
    """SMB 2.x signing (HMAC-SHA256) of one request."""
    flags = struct.unpack_from('<I', packet, 16)[0] | FLAG_SIGNED
    p = packet[:16] + struct.pack('<I', flags) + packet[20:48] + b'\0' * 16 \
        + packet[64:]
    sig = hmac.new(key, p, hashlib.sha256).digest()[:16]
    return p[:48] + sig + p[64:]


class RawSession:
    """A real session (impacket login at SMB 2.1, optionally a tree) whose
    socket is then used for hand-made requests. Once raw requests were
    sent, impacket must not be used on it again."""

    def __init__(self, share=SHARE, timeout=5.0, dialect=0x0210):
        self.conn = connect(dialect=dialect)
        self.smb = self.conn.getSMBServer()
        self.dialect = self.smb.getDialect()
        if self.dialect >= 0x0300:
            raise RuntimeError('RawSession only signs SMB 2.x')
        self.tid = self.conn.connectTree(share) if share else 0
        self.sid = self.smb._Session['SessionID']
        self.key = self.smb._Session['SessionKey']
        self.signing = bool(self.smb._Session['SigningActivated'])
        self.raw = RawConn(timeout=timeout,
                           sock=self.smb._NetBIOSSession.get_socket())

    def open(self, name, directory=False, disposition=FILE_OPEN_IF,
             access=None):
        """Open (impacket) before any raw request; returns the FileId."""
        from impacket import smb3structs as s3
        opts = FILE_DIRECTORY_FILE if directory else FILE_NON_DIRECTORY_FILE
        if access is None:
            access = GENERIC_READ_ACCESS if directory else GENERIC_RW_ACCESS
        fid = self.smb.create(self.tid, name, access,
                              FILE_SHARE_ALL, opts, disposition,
                              s3.FILE_ATTRIBUTE_NORMAL if not directory
                              else 0)
        return fid.getData() if hasattr(fid, 'getData') else bytes(fid)

    def next_mid(self):
        c = self.smb._Connection
        mid = c['SequenceWindow']
        c['SequenceWindow'] += 1
        return mid

    def packet(self, command, body, tree_id=None, sign=True, **kw):
        """One request (signed if the session signs)."""
        mid = kw.pop('message_id', None)
        p = header(command, message_id=self.next_mid() if mid is None
                   else mid, session_id=kw.pop('session_id', self.sid),
                   tree_id=self.tid if tree_id is None else tree_id,
                   **kw) + body
        if sign and self.signing:
            p = sign_smb2(p, self.key)
        return p

    def send(self, data):
        self.raw.send(data)

    def request(self, command, body, timeout=None, **kw):
        """Send one request, return (data, headers) of its reply."""
        self.raw.send(frame(self.packet(command, body, **kw)))
        return self.raw.recv_reply(timeout)

    def close(self):
        self.raw.close()


def expect_refusal(raw, timeout=5.0, forbid=(STATUS_SUCCESS,),
                   strict=True):
    """Judge how the server took bad input. Returns (ok, how).

    Closing the connection is always fine. A reply with a status in forbid
    is wrong. With strict, a reply must carry an error (non-success)
    status; replies with only allowed successes (e.g. the valid head of a
    compound) are skipped while waiting for one. Without strict, any reply
    is fine. No reply and no close within the timeout is wrong: the server
    must not leave a client hanging."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        try:
            if left <= 0:
                raise NoAnswer('timed out')
            data = raw.recv_frame(left)
        except Closed:
            return True, 'connection closed'
        except NoAnswer:
            return False, ('no reply, and the connection is still open '
                           'after %gs' % timeout)
        except ValueError as e:
            return False, str(e)
        if data[:4] == SMB1_MAGIC and len(data) >= 9:
            st = struct.unpack_from('<I', data, 5)[0]
            if st in forbid:
                return False, 'SMB1 reply with %s' % status_name(st)
            if st or not strict:
                return True, 'SMB1 reply with %s' % status_name(st)
            continue
        hs = split_reply(data)
        if not hs:
            return False, 'reply is not SMB2: %r' % data[:16]
        sts = [h.status for h in hs]
        names = ', '.join(status_name(s) for s in sts)
        if any(s in forbid for s in sts):
            return False, 'server answered ' + names
        if all(s == STATUS_PENDING for s in sts):
            continue
        if not strict or any(s not in (STATUS_SUCCESS, STATUS_PENDING)
                             for s in sts):
            return True, 'answered ' + names
        # Only allowed successes so far: the error may follow.
