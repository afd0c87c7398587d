# SPDX-License-Identifier: GPL-2.0
"""A light SMB2 client made by hand, for tests that need many sessions.

impacket costs a lot of guest CPU per request (and pure-Python AES-CMAC
for SMB 3 signing); with hundreds of connections that, not the server,
sets the pace. This module has what a login needs (NTLMv2 in SPNEGO, the
SMB 3.1.1 preauth hash, the signing keys) without doing any I/O itself:

  - login_steps() is a generator that yields each request of the login
    and is sent back its reply; a driver does the sending;
  - Signer signs requests (HMAC-SHA256, or AES-CMAC from SMB 3.0 on);
  - AsyncSession drives one connection with asyncio, so that one thread
    can keep hundreds of them busy at once (tests/load_256.py);
  - the fuzzer (fuzz/target.py) drives login_steps() on its own socket.
"""

import asyncio
import hashlib
import hmac
import os
import struct
import time

import lib_smb as L

NTLM_FLAGS = (0x00000001 |     # UNICODE
              0x00000004 |     # REQUEST_TARGET
              0x00000010 |     # SIGN
              0x00000200 |     # NTLM
              0x00008000 |     # ALWAYS_SIGN
              0x00080000 |     # EXTENDED_SESSIONSECURITY
              0x00800000 |     # TARGET_INFO
              0x20000000 |     # 128
              0x40000000 |     # KEY_EXCH
              0x80000000)      # 56
NTLM_KEY_EXCH = 0x40000000

NTLM_OID = bytes.fromhex('060a2b06010401823702020a')
SPNEGO_OID = bytes.fromhex('06062b0601050502')

FLAG_RELATED = L.FLAG_RELATED
FLAG_SIGNED = L.FLAG_SIGNED

_nt_hash = {}


def der(tag, content):
    """One DER element (definite length)."""
    return bytes([tag]) + L.der_len(len(content)) + content


def aes_cmac(key, data):
    """AES-CMAC (SMB 3 signing), in C when pycryptodome has it."""
    try:
        from Cryptodome.Cipher import AES
        from Cryptodome.Hash import CMAC
    except ImportError:
        from impacket import crypto
        return crypto.AES_CMAC(key, data, len(data))
    return CMAC.new(key, data, ciphermod=AES).digest()


def kdf(key, label, context):
    """SP800-108 counter mode with HMAC-SHA256, 128 bits (SMB 3 keys)."""
    return hmac.new(key, b'\0\0\0\1' + label + b'\0' + context +
                    b'\0\0\0\x80', hashlib.sha256).digest()[:16]


def nt_hash(password):
    if password not in _nt_hash:
        try:
            from Cryptodome.Hash import MD4
            h = MD4.new(password.encode('utf-16-le')).digest()
        except ImportError:
            h = hashlib.new('md4', password.encode('utf-16-le')).digest()
        _nt_hash[password] = h
    return _nt_hash[password]


def spnego_init(token):
    return der(0x60, SPNEGO_OID + der(0xa0, der(0x30, der(
        0xa0, der(0x30, NTLM_OID)) + der(0xa2, der(0x04, token)))))


def spnego_resp(token):
    return der(0xa1, der(0x30, der(0xa2, der(0x04, token))))


def ntlm_negotiate_msg():
    return b'NTLMSSP\0' + struct.pack('<II', 1, NTLM_FLAGS) + b'\0' * 16


def ntlm_authenticate_msg(challenge, user, password, domain=''):
    """(AUTHENTICATE message, exported session key) for a CHALLENGE."""
    flags, server_challenge = struct.unpack_from('<I8s', challenge, 20)
    ti_len, _, ti_off = struct.unpack_from('<HHI', challenge, 40)
    info = challenge[ti_off:ti_off + ti_len]
    stamp = None
    at = 0
    while at + 4 <= len(info):          # AV pairs: the server's time
        av, ln = struct.unpack_from('<HH', info, at)
        if av == 7 and ln == 8:
            stamp = info[at + 4:at + 12]
        if av == 0:
            break
        at += 4 + ln
    if stamp is None:
        stamp = struct.pack('<q', 116444736000000000 +
                            int(time.time()) * 10000000)
    key_nt = hmac.new(nt_hash(password), (user.upper() + domain).encode(
        'utf-16-le'), 'md5').digest()
    client_challenge = os.urandom(8)
    temp = b'\1\1' + b'\0' * 6 + stamp + client_challenge + b'\0' * 4 + \
        info + b'\0' * 4
    proof = hmac.new(key_nt, server_challenge + temp, 'md5').digest()
    nt = proof + temp
    lm = hmac.new(key_nt, server_challenge + client_challenge,
                  'md5').digest() + client_challenge
    key = hmac.new(key_nt, proof, 'md5').digest()
    flags &= NTLM_FLAGS
    enc_key = b''
    if flags & NTLM_KEY_EXCH:
        from Cryptodome.Cipher import ARC4
        exported = os.urandom(16)
        enc_key = ARC4.new(key).encrypt(exported)
        key = exported
    fields = (lm, nt, domain.encode('utf-16-le'), user.encode('utf-16-le'),
              b'', enc_key)
    off = 64
    head = b'NTLMSSP\0' + struct.pack('<I', 3)
    payload = b''
    for f in fields:
        head += struct.pack('<HHI', len(f), len(f), off + len(payload))
        payload += f
    return head + struct.pack('<I', flags) + payload, key


class Signer:
    """Signs requests of one session: HMAC-SHA256 before SMB 3.0,
    AES-CMAC from 3.0 on (key from the session key, or at 3.1.1 from the
    preauth hash of the login)."""

    def __init__(self, dialect, session_key, preauth_hash, signing):
        self.signing = signing
        self.cmac = dialect >= 0x0300
        if dialect == 0x0311:
            self.key = kdf(session_key, b'SMBSigningKey\0', preauth_hash)
        elif self.cmac:
            self.key = kdf(session_key, b'SMB2AESCMAC\0', b'SmbSign\0')
        else:
            self.key = session_key

    def sign(self, packet):
        """packet (one request, or one element of a compound) with the
        SIGNED flag set and its signature in place."""
        flags = struct.unpack_from('<I', packet, 16)[0] | FLAG_SIGNED
        p = packet[:16] + struct.pack('<I', flags) + packet[20:48] + \
            b'\0' * 16 + packet[64:]
        if self.cmac:
            sig = aes_cmac(self.key, p)
        else:
            sig = hmac.new(self.key, p, hashlib.sha256).digest()
        return p[:48] + sig[:16] + p[64:]


class LoginResult:
    """What a login leaves: the session and how to sign in it."""

    def __init__(self, dialect, session_id, signer, next_mid):
        self.dialect = dialect
        self.session_id = session_id
        self.signer = signer
        self.next_mid = next_mid


def login_steps(dialects, guid, user=L.USER, password=L.PASSWORD,
                capabilities=0x40, credit_request=64, require_signing=False):
    """Generator of a login: NEGOTIATE (message id 0) and two SESSION_SETUP
    (NTLMv2 in SPNEGO, ids 1 and 2). Yields each request (unframed); the
    driver sends it and sends back (data, header) of its final reply.
    Returns a LoginResult; raises RuntimeError when the server refuses.
    The session is signed when either side requires it, and always at
    SMB 3.1.1."""
    mode = 3 if require_signing else 1
    req = L.header(L.NEGOTIATE, message_id=0,
                   credit_request=credit_request) + \
        L.negotiate_body(dialects=dialects, guid=guid,
                         capabilities=capabilities, security_mode=mode)
    rsp, h = yield req
    if h.status != L.STATUS_SUCCESS:
        raise RuntimeError('negotiate: %s' % L.status_name(h.status))
    secmode, dialect = struct.unpack_from('<HH', h.body(rsp), 2)
    preauth = dialect == 0x0311
    hv = b'\0' * 64

    def chain(hv, *msgs):
        if preauth:
            for m in msgs:
                hv = hashlib.sha512(hv + m).digest()
        return hv

    hv = chain(hv, req, rsp)
    req = L.header(L.SESSION_SETUP, message_id=1,
                   credit_request=credit_request) + \
        L.session_setup_body(spnego_init(ntlm_negotiate_msg()),
                             security_mode=mode)
    rsp, h = yield req
    if h.status != L.STATUS_MORE_PROCESSING_REQUIRED:
        raise RuntimeError('session setup 1: %s' % L.status_name(h.status))
    hv = chain(hv, req, rsp)
    sid = h.session_id
    blob = h.body(rsp)
    at = blob.find(b'NTLMSSP\0')
    if at < 0:
        raise RuntimeError('no NTLM challenge in the reply')
    auth, key = ntlm_authenticate_msg(blob[at:], user, password)
    req = L.header(L.SESSION_SETUP, message_id=2, session_id=sid,
                   credit_request=credit_request) + \
        L.session_setup_body(spnego_resp(auth), security_mode=mode)
    hv = chain(hv, req)
    rsp, h = yield req
    if h.status != L.STATUS_SUCCESS:
        raise RuntimeError('session setup 2: %s' % L.status_name(h.status))
    signing = bool(secmode & 2) or require_signing or preauth
    return LoginResult(dialect, sid, Signer(dialect, key, hv, signing), 3)


class AsyncSession:
    """One connection and session driven with asyncio streams: requests
    are built with msg() and sent with call(), which waits for all their
    final replies (interim STATUS_PENDING ones are skipped). Credits
    granted by replies are counted; a request waits for none of them, so
    the caller keeps what it sends at once within what it was granted."""

    def __init__(self, timeout=60.0):
        self.timeout = timeout
        self.reader = self.writer = None
        self.mid = 0
        self.credits = 1
        self.sid = 0
        self.signer = None
        self.dialect = 0
        self.early = {}             # replies read while waiting for others

    async def connect(self, host=L.HOST, port=L.PORT):
        self.reader, self.writer = await asyncio.wait_for(
            asyncio.open_connection(host, port), self.timeout)

    async def login(self, dialect, guid, **kw):
        steps = login_steps((dialect,), guid, **kw)
        req = next(steps)
        while True:
            self.credits -= 1
            (rep,) = await self.call((struct.unpack_from('<Q', req, 24)[0],
                                      req))
            try:
                req = steps.send(rep)
            except StopIteration as done:
                res = done.value
                break
        self.dialect = res.dialect
        self.sid = res.session_id
        self.signer = res.signer
        self.mid = res.next_mid
        return res

    def msg(self, command, body, tree_id=0, charge=1, credit_request=64,
            flags=0):
        """(message id, request bytes): one signed request of the session,
        charging charge credits (and as many message ids)."""
        mid = self.mid
        self.mid += charge
        self.credits -= charge
        p = L.header(command, message_id=mid, session_id=self.sid,
                     tree_id=tree_id, flags=flags, credit_charge=charge,
                     credit_request=credit_request) + body
        if self.signer is not None and self.signer.signing:
            p = self.signer.sign(p)
        return mid, p

    async def _frame(self):
        head = await self.reader.readexactly(4)
        n = int.from_bytes(head, 'big')
        if n >> 24:
            raise ValueError('reply frame with a non-zero first byte')
        return await self.reader.readexactly(n)

    async def call(self, *msgs):
        """Send the (message id, bytes) pairs in one write and return the
        (data, header) of each one's final reply, in the same order."""
        self.writer.write(b''.join(L.frame(p) for _, p in msgs))
        await asyncio.wait_for(self.writer.drain(), self.timeout)
        want = [m for m, _ in msgs]
        got = self.early
        while not all(m in got for m in want):
            data = await asyncio.wait_for(self._frame(), self.timeout)
            for h in L.split_reply(data):
                self.credits += h.credits
                if h.status != L.STATUS_PENDING:
                    got[h.message_id] = (data, h)
        return [got.pop(m) for m in want]

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            try:
                await asyncio.wait_for(self.writer.wait_closed(), 5)
            except (OSError, asyncio.TimeoutError):
                pass
            self.writer = None


def read_reply_data(data, h):
    """The data of a successful READ reply."""
    off, _, length = struct.unpack_from('<BBI', h.body(data), 2)
    start = h.offset + off
    return data[start:start + length]
