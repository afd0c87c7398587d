# SPDX-License-Identifier: GPL-2.0
"""Structural generation and mutation of SMB2 requests for the fuzzer.

A case is a dict that can be written as JSON and sent again later:

  {'kind': 'pre' | 'neg' | 'sess', 'dialect': 0x0210 | 0x0311,
   'msgs': [msg, ...]}

  kind 'pre':  a fresh TCP connection, nothing sent before (NEGOTIATE,
               framing, garbage);
  kind 'neg':  a fresh connection after a normal NEGOTIATE (SESSION_SETUP);
  kind 'sess': a logged-in session with the share and IPC$ connected and a
               file, a directory and a pipe open (every other command).

A msg is one Direct TCP frame: {'elems': [elem, ...], 'frame_len': None or
a lying length, 'trailer': hex} and an elem one request of a compound:

  {'cmd': int, 'body': hex, 'tree': 'share' | 'ipc', 'sign': 'ok' |
   'none' | 'bad', 'hdr': {field: value}, 'pad': None or int,
   'mutate': [[offset, hex], ...]}

'hdr' holds the header fields the generator chose on purpose (credit
charge, flags, ids, NextCommand, ...); the others are filled in when the
message is sent (message id, session and tree id, signature), so a case
replays on a new session. File ids in bodies are written as placeholders
(FID) and replaced by the session's real ones when sent, unless a mutation
hit them. 'mutate' are raw byte writes applied to the whole element
(header included) after the fields are filled in, before signing.
"""

import array
import os
import struct
import sys
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402
import lib_client as C  # noqa: E402
# The wire constants and the request builders are lib_smb's; this module
# chooses the field values (mutated or not) that they pack.
from lib_smb import (  # noqa: E402,F401
    NEGOTIATE, SESSION_SETUP, LOGOFF, TREE_CONNECT, TREE_DISCONNECT, CREATE,
    CLOSE, FLUSH, READ, WRITE, LOCK, IOCTL, CANCEL, ECHO, QUERY_DIRECTORY,
    CHANGE_NOTIFY, QUERY_INFO, SET_INFO, OPLOCK_BREAK, COMMAND_NAMES,
    FLAG_RESPONSE, FLAG_ASYNC, FLAG_RELATED, FLAG_SIGNED, FLAG_PRIORITY,
    FLAG_DFS, FLAG_REPLAY)

# Placeholders for file ids, replaced when the request is sent.
FID = {name: (b'\xee\xeeFID-' + name.encode()).ljust(16, b'\xee')
       for name in ('file', 'dir', 'pipe', 'last', 'big', 'bigfile')}
ALL_ONES_FID = L.RELATED_FID
assert all(len(v) == 16 for v in FID.values())

INTERESTING_32 = (0, 1, 2, 7, 8, 0x3f, 0x40, 0x41, 0x7f, 0x80, 0xff, 0x100,
                  0xfff, 0x1000, 0x1001, 0xffff, 0x10000, 0x7fffffff,
                  0x80000000, 0xfffffffe, 0xffffffff)
INTERESTING_16 = (0, 1, 2, 7, 8, 0x3f, 0x40, 0x41, 0x7f, 0x80, 0xff, 0x100,
                  0x7fff, 0x8000, 0xfffe, 0xffff)
INTERESTING_64 = (0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000,
                  0x7fffffffffffffff, 0x8000000000000000,
                  0xfffffffffffffffe, 0xffffffffffffffff)


class Gen:
    """Random choices for one case (a seeded random.Random)."""

    def __init__(self, rng):
        self.r = rng
        # How hard the field helpers below mutate (0: never): chosen per
        # request so that some requests are valid and reach deep code.
        self.scale = 1.0

    def chance(self, p):
        return self.r.random() < p

    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    def opt(self, usual, odd, p=0.3):
        """usual, or (with the request's mutation scale) one of odd."""
        if self.chance(p * self.scale):
            return self.pick(odd)
        return usual

    def bytes(self, n):
        return bytes(self.r.randrange(256) for _ in range(n))

    def u16(self, usual=None, p=0.25):
        """usual (or a random small value) most of the time, else an
        interesting or random 16-bit value."""
        if usual is not None and not self.chance(p * self.scale):
            return usual
        return self.pick(INTERESTING_16) if self.chance(0.7) \
            else self.r.randrange(0x10000)

    def u32(self, usual=None, p=0.25):
        if usual is not None and not self.chance(p * self.scale):
            return usual
        return self.pick(INTERESTING_32) if self.chance(0.7) \
            else self.r.randrange(1 << 32)

    def u64(self, usual=None, p=0.25):
        if usual is not None and not self.chance(p * self.scale):
            return usual
        return self.pick(INTERESTING_64) if self.chance(0.7) \
            else self.r.randrange(1 << 64)

    def near(self, value, p=0.25, bits=32):
        """value, or something near it (off by a little, doubled, zero, the
        maximum): for lengths and offsets."""
        mask = (1 << bits) - 1
        if not self.chance(p * self.scale):
            return value & mask
        how = self.r.randrange(6)
        if how == 0:
            return (value + self.r.randrange(1, 9)) & mask
        if how == 1:
            return (value - self.r.randrange(1, 9)) & mask
        if how == 2:
            return (value * 2 + 1) & mask
        if how == 3:
            return 0
        if how == 4:
            return mask
        return self.r.randrange(1 << bits)

    def name(self, max_len=40):
        """A file name: ordinary, long, with odd characters, streams,
        wildcards, '..' or invalid UTF-16."""
        how = self.r.randrange(12)
        if how == 0:
            return ''
        if how == 1:
            return 'a' * self.pick((255, 256, 1024, 4096, 32767))
        if how == 2:
            return '\\'.join(['d%d' % i for i in range(self.r.randrange(
                1, 40))])
        if how == 3:
            return self.pick(('..', '..\\..\\etc', '.', '\\', '\\\\',
                              'x\\..\\..', 'a:b', 'f:s:$DATA', ':$DATA',
                              'f::$INDEX_ALLOCATION', '*', '?', '<>|"',
                              'CON', 'NUL', 'x\0y', 'x/y', '//', '~1',
                              'srvsvc', '\\PIPE\\srvsvc', 'PIPE\\lsarpc'))
        if how == 4:
            return ''.join(chr(self.r.choice((0xd800, 0xdc00, 0xdbff,
                                                0xdfff, 0xfffe, 0xffff,
                                                0x0, 0x1f, 0x7f,
                                                0x41)))
                           for _ in range(self.r.randrange(1, 12)))
        if how == 5:
            return 'fuzz-%d:st%d' % (self.r.randrange(4),
                                     self.r.randrange(4))
        n = self.r.randrange(1, max_len)
        return ''.join(self.pick('abcdefghijklmnopqrstuvwxyz0123456789._- ')
                       for _ in range(n))

    def utf16(self, s):
        # surrogatepass keeps the lone surrogates that make bad UTF-16.
        return s.encode('utf-16-le', 'surrogatepass')


def hexs(b):
    return b.hex()


def elem(cmd, body, tree='share', sign='ok', hdr=None, pad=None,
         mutate=None):
    return {'cmd': cmd, 'body': hexs(body), 'tree': tree, 'sign': sign,
            'hdr': dict(hdr or {}), 'pad': pad, 'mutate': list(mutate or [])}


def msg(elems, frame_len=None, trailer=b''):
    return {'elems': list(elems), 'frame_len': frame_len,
            'trailer': hexs(trailer)}


# --------------------------------------------------------------------------
# NEGOTIATE (kind 'pre')

DIALECTS = (0x0202, 0x0210, 0x0300, 0x0302, 0x0311)


def neg_context(g, ctype, data):
    dl = g.near(len(data), 0.15, 16)
    return L.neg_context(ctype, data, data_length=dl,
                         reserved=g.u32(0, 0.05))


def negotiate_contexts(g):
    out = []
    for _ in range(g.r.randrange(0, 8)):
        t = g.pick((1, 1, 2, 2, 3, 5, 6, 7, 8, g.r.randrange(0x10000)))
        if t == 1:      # preauth integrity
            algs = [g.pick((1, 2, 0, 0xffff)) for _ in range(g.r.randrange(
                0, 4))]
            salt = g.bytes(g.pick((0, 16, 32, 33, 200)))
            data = struct.pack('<HH', g.near(len(algs), 0.2, 16),
                               g.near(len(salt), 0.2, 16))
            data += b''.join(struct.pack('<H', a) for a in algs) + salt
        elif t == 2:    # encryption
            ciphers = [g.pick((1, 2, 3, 4, 0, 0xffff)) for _ in
                       range(g.r.randrange(0, 6))]
            data = struct.pack('<H', g.near(len(ciphers), 0.2, 16)) + \
                b''.join(struct.pack('<H', c) for c in ciphers)
        elif t == 3:    # compression
            algs = [g.pick((0, 1, 2, 3, 4, 0xffff)) for _ in
                    range(g.r.randrange(0, 6))]
            data = struct.pack('<HHI', g.near(len(algs), 0.2, 16), 0,
                               g.u32(0, 0.3)) + \
                b''.join(struct.pack('<H', a) for a in algs)
        elif t == 5:    # netname
            data = g.utf16(g.name())
        elif t == 6:    # transport capabilities
            data = struct.pack('<I', g.u32(1, 0.5))
        elif t == 7:    # RDMA transform
            ids = [g.pick((0, 1, 2, 0xffff)) for _ in range(g.r.randrange(
                0, 4))]
            data = struct.pack('<HHI', g.near(len(ids), 0.3, 16), 0, 0) + \
                b''.join(struct.pack('<H', i) for i in ids)
        elif t == 8:    # signing capabilities
            algs = [g.pick((0, 1, 2, 3, 0xffff)) for _ in
                    range(g.r.randrange(0, 5))]
            data = struct.pack('<H', g.near(len(algs), 0.2, 16)) + \
                b''.join(struct.pack('<H', a) for a in algs)
        else:
            data = g.bytes(g.r.randrange(0, 64))
        out.append(neg_context(g, t, data))
    return out


def negotiate_body(g):
    dialects = [g.pick(DIALECTS + (0x02ff, 0x0100, 0x0311, 0xffff))
                for _ in range(g.r.randrange(0, 8))]
    if g.chance(0.3):
        dialects = list(DIALECTS)
    dialect_bytes = b''.join(struct.pack('<H', d) for d in dialects)
    ctxs = negotiate_contexts(g) if (0x0311 in dialects or g.chance(0.2)) \
        else []
    end = 64 + 36 + len(dialect_bytes)
    blob = b''
    off = 0
    if ctxs:
        blob = b'\0' * ((-end) % 8)
        off = end + len(blob)
        for i, c in enumerate(ctxs):
            if i and not g.chance(0.1):
                blob += b'\0' * ((-(end + len(blob))) % 8)
            blob += c
    body = struct.pack('<HHHHI16sIHH', g.u16(36, 0.1),
                       g.near(len(dialects), 0.2, 16), g.u16(1, 0.3), 0,
                       g.u32(0x7f, 0.5), g.bytes(16), g.near(off, 0.2),
                       g.near(len(ctxs), 0.2, 16), g.u16(0, 0.1))
    return body + dialect_bytes + blob


def case_pre(g):
    """A first message on a fresh connection."""
    g.scale = g.pick((0, 0.3, 1))
    how = g.r.randrange(10)
    if how == 0:        # garbage or a truncated header
        return {'kind': 'pre', 'msgs': [msg([], trailer=g.bytes(
            g.pick((0, 1, 4, 20, 63, 64, 65, 300))))]}
    if how == 1:        # a lying frame length
        e = elem(NEGOTIATE, negotiate_body(g), sign='none')
        return {'kind': 'pre', 'msgs': [msg([e], frame_len=g.u32(
            None))]}
    if how == 2:        # SMB1 negotiate, maybe asking for SMB2
        dialects = b''.join(b'\x02' + d + b'\0' for d in g.r.sample(
            [b'NT LM 0.12', b'SMB 2.002', b'SMB 2.???', b'PC NETWORK'],
            g.r.randrange(0, 4)))
        smb1 = b'\xffSMB\x72' + b'\0' * 4 + bytes([0x18]) + \
            struct.pack('<H', 0xc853) + b'\0' * 20 + b'\0' + \
            struct.pack('<H', g.near(len(dialects), 0.3, 16)) + dialects
        return {'kind': 'pre', 'msgs': [msg([], trailer=smb1)]}
    if how == 3:        # transform / compression headers first
        magic = g.pick((b'\xfdSMB', b'\xfcSMB'))
        return {'kind': 'pre', 'msgs': [msg([], trailer=magic + g.bytes(
            g.r.randrange(0, 120)))]}
    e = elem(NEGOTIATE, negotiate_body(g), sign='none',
             hdr=header_fuzz(g, 0.3, negotiate=True))
    msgs = [msg([e])]
    if g.chance(0.2):   # a second NEGOTIATE or another command after it
        msgs.append(msg([elem(g.pick((NEGOTIATE, SESSION_SETUP, ECHO)),
                              g.bytes(g.r.randrange(0, 40)), sign='none')]))
    return {'kind': 'pre', 'msgs': msgs}


# --------------------------------------------------------------------------
# SESSION_SETUP (kind 'neg')

NTLMSSP = b'NTLMSSP\0'


def ntlm_negotiate(g):
    flags = g.u32(0xe2088297, 0.3)
    m = NTLMSSP + struct.pack('<II', 1, flags)
    m += struct.pack('<HHI', 0, 0, 0) * 2
    if g.chance(0.3):
        m += g.bytes(g.r.randrange(0, 40))
    return m


def ntlm_authenticate(g):
    fields = []
    payload = b''
    base = 64 + (8 if g.chance(0.3) else 0) + (16 if g.chance(0.3) else 0)
    for name in ('lm', 'nt', 'dom', 'user', 'ws', 'key'):
        if name == 'nt':
            data = g.bytes(16) + struct.pack('<BB6sQ8sI', 1, 1, b'\0' * 6,
                                              g.u64(0), g.bytes(8), 0)
            # AV pairs, with their own lengths to get wrong.
            for _ in range(g.r.randrange(0, 6)):
                av = g.bytes(g.pick((0, 2, 4, 8, 16, 30)))
                data += struct.pack('<HH', g.pick((0, 1, 2, 3, 6, 7, 9, 10,
                                                   0xffff)),
                                    g.near(len(av), 0.3, 16)) + av
            data += b'\0' * 4
            if g.chance(0.2):
                data = data[:g.pick((0, 16, 24, 40))]
        elif name == 'user':
            data = g.utf16(g.pick(('testuser', '', 'x' * 300, g.name())))
        elif name == 'key':
            data = g.bytes(g.pick((16, 0, 15, 17)))
        elif name == 'lm':
            data = g.bytes(g.pick((24, 0, 1)))
        else:
            data = g.utf16(g.name(20)) if g.chance(0.5) else b''
        ln, off = len(data), base + len(payload)
        ln = g.near(ln, 0.12, 16)
        off = g.near(off, 0.12)
        fields.append(struct.pack('<HHI', ln, g.near(ln, 0.1, 16), off))
        payload += data
    m = NTLMSSP + struct.pack('<I', g.pick((3, 3, 3, 1, 2, 0, 0xffffffff)))
    m += b''.join(fields) + struct.pack('<I', g.u32(0xe2088215, 0.3))
    m += b'\0' * (base - len(m)) + payload
    return m


def der(tag, content, g=None):
    ln = L.der_len(len(content))
    if g is not None and g.chance(0.08):
        ln = g.pick((b'\x84\xff\xff\xff\xff', b'\x81', b'\x85' + b'\0' * 5,
                     bytes([len(content) + 5 & 0x7f]), b'\x80', b''))
    return bytes([tag]) + ln + content


NTLM_OID = C.NTLM_OID
KRB_OID = bytes.fromhex('06092a864886f712010202')
SPNEGO_OID = C.SPNEGO_OID


def spnego_init(g, token):
    mechs = [g.pick((NTLM_OID, KRB_OID, NTLM_OID, b'\x06\x00',
                     b'\x06\x01\x2b'))
             for _ in range(g.r.randrange(0, 4))]
    inner = der(0xa0, der(0x30, b''.join(mechs), g), g)
    if g.chance(0.9):
        inner += der(0xa2, der(0x04, token, g), g)
    body = der(0x30, inner, g)
    return der(0x60, SPNEGO_OID + der(0xa0, body, g), g)


def spnego_resp(g, token):
    inner = b''
    if g.chance(0.3):
        inner += der(0xa0, der(0x0a, bytes([g.r.randrange(4)]), g), g)
    inner += der(0xa2, der(0x04, token, g), g)
    if g.chance(0.2):
        inner += der(0xa3, der(0x04, g.bytes(16), g), g)
    return der(0xa1, der(0x30, inner, g), g)


def session_setup_body(g, blob):
    off = 64 + 24
    blob = blob[:0xffff]
    size = g.u16(25, 0.1)
    flags = g.opt(0, (1, 0xff))
    mode = g.opt(g.pick((1, 2)), (3, 0))
    caps = g.u32(0, 0.2)
    soff = g.near(off, 0.15, 16)
    slen = g.near(len(blob), 0.15, 16)
    return L.session_setup_body(blob, sec_offset=soff, sec_length=slen,
                                flags=flags, security_mode=mode,
                                structure_size=size,
                                previous_session=g.u64(0, 0.15),
                                capabilities=caps)


def case_neg(g):
    """SESSION_SETUP legs after a normal NEGOTIATE; the first may be a
    normal NTLM NEGOTIATE so that the second reaches AUTHENTICATE."""
    legs = []
    g.scale = g.pick((0, 0.3, 1))
    how = g.r.randrange(6)
    if how == 0:
        blob = g.bytes(g.r.randrange(0, 200))
    elif how == 1:
        blob = ntlm_negotiate(g)
    elif how == 2:
        blob = spnego_init(g, g.bytes(g.r.randrange(0, 60)))
    else:
        blob = spnego_init(g, ntlm_negotiate(g))
    legs.append(msg([elem(SESSION_SETUP, session_setup_body(g, blob),
                          sign='none',
                          hdr=header_fuzz(g, 0.1, pre_auth=True))]))
    if how >= 3 or g.chance(0.3):
        tok = ntlm_authenticate(g)
        blob = spnego_resp(g, tok) if g.chance(0.8) else tok
        h = header_fuzz(g, 0.1, pre_auth=True)
        h.setdefault('session_id', 'from_reply')
        legs.append(msg([elem(SESSION_SETUP, session_setup_body(g, blob),
                              sign='none', hdr=h)]))
    return {'kind': 'neg', 'dialect': g.pick((0x0210, 0x0311)),
            'msgs': legs}


# --------------------------------------------------------------------------
# The header

def header_fuzz(g, p=0.15, negotiate=False, pre_auth=False):
    """Header fields to set on purpose (usually none)."""
    h = {}
    if not g.chance(p):
        return h
    for _ in range(g.r.randrange(1, 4)):
        f = g.r.randrange(12)
        if f == 0:
            h['credit_charge'] = g.u16(None)
        elif f == 1:
            h['credit_request'] = g.u16(None)
        elif f == 2:
            h['flags'] = g.pick((FLAG_ASYNC, FLAG_PRIORITY, FLAG_DFS,
                                 FLAG_REPLAY, FLAG_RESPONSE,
                                 g.r.randrange(1 << 32)))
        elif f == 3:
            h['status'] = g.u32(None)
        elif f == 4 and not negotiate:
            h['message_id'] = g.pick(('dup', 'skip', 'far', 'max'))
        elif f == 5:
            h['process_id'] = g.u32(None)
        elif f == 6 and not negotiate:
            h['session_id'] = g.u64(None) if not pre_auth else \
                g.pick(('from_reply', g.u64(None)))
        elif f == 7:
            h['tree_id'] = g.u32(None)
        elif f == 8:
            h['structure_size'] = g.u16(None)
        elif f == 9:
            h['async_id'] = g.u64(None)
        elif f == 10:
            h['channel_sequence'] = g.u16(None)
        else:
            h['next_command'] = g.u32(None)
    return h


# --------------------------------------------------------------------------
# Commands in a session (kind 'sess')

def fid(g, default='file'):
    """The usual open for the command, or (with the request's mutation
    scale) another one, the related-compound id or random bytes."""
    if not g.chance(0.4 * g.scale):
        return FID[default]
    r = g.r.randrange(5)
    if r < 2:
        return FID[g.pick(('file', 'dir', 'pipe', 'last'))]
    if r < 3:
        return ALL_ONES_FID
    return g.bytes(16)


def body_logoff(g, tree):
    return struct.pack('<HH', g.u16(4, 0.2), g.u16(0, 0.1))


def body_tree_connect(g):
    path = g.pick(('\\\\127.0.0.1\\share', '\\\\127.0.0.1\\IPC$',
                   '\\\\127.0.0.1\\nosuch', '\\\\x\\share', 'share', '',
                   '\\\\127.0.0.1\\' + 'S' * 300, '\\\\127.0.0.1\\share\\x',
                   '\\\\127.0.0.1\\' + g.name(20)))
    data = g.utf16(path)
    flags = g.pick((0, 0, 1, 2, 4, 0xffff))
    off = 64 + 8
    extra = b''
    if flags & 4 and g.chance(0.7):
        # SMB2_TREE_CONNECT_REQUEST_EXTENSION: offsets into a context list.
        n = g.r.randrange(0, 3)
        ctx = b''.join(struct.pack('<HHI', g.pick((1, 0, 2, 0xffff)),
                                   g.near(8, 0.3, 16), 0) + g.bytes(8)
                       for _ in range(n))
        extra = struct.pack('<IH10s', g.near(16 + len(data), 0.2),
                            g.near(n, 0.3, 16), b'') + data + ctx
        data = b''
    size = g.u16(9, 0.1)
    poff = g.near(off, 0.15, 16)
    return L.tree_connect_body(data, path_offset=poff,
                               path_length=g.near(len(data), 0.15, 16),
                               structure_size=size, flags=flags,
                               extension=extra)


def create_context(g, name, data):
    noff = 16
    blob = name + b'\0' * ((-(noff + len(name))) % 8)
    doff = noff + len(blob) if data else 0
    blob += data
    return [struct.pack('<IHHHHI', 0, g.near(noff, 0.1, 16),
                        g.near(len(name), 0.1, 16), 0,
                        g.near(doff, 0.1, 16), g.near(len(data), 0.1)),
            blob]


def lease_data(g, v2):
    key = g.bytes(16)
    if v2:
        return struct.pack('<16sIIQ16sHH', key, g.u32(7, 0.3),
                           g.u32(0, 0.3), 0, g.bytes(16), g.u16(0, 0.5), 0)
    return struct.pack('<16sIIQ', key, g.u32(7, 0.3), g.u32(0, 0.3), 0)


def create_contexts(g):
    """A chain of create contexts, with their NextEntryOffset fields."""
    choices = [
        (b'MxAc', lambda: g.pick((b'', struct.pack('<Q', g.u64(0))))),
        (b'QFid', lambda: b''),
        (b'DHnQ', lambda: g.bytes(16)),
        (b'DH2Q', lambda: struct.pack('<IIQ16s', g.u32(0), g.u32(0), 0,
                                      g.bytes(16))),
        (b'DHnC', lambda: g.bytes(16)),
        (b'DH2C', lambda: g.bytes(36)),
        (b'RqLs', lambda: lease_data(g, g.chance(0.5))),
        (b'AlSi', lambda: struct.pack('<Q', g.u64(4096))),
        (b'TWrp', lambda: struct.pack('<Q', g.u64(0))),
        (b'ExtA', lambda: ea_list(g)),
        (b'SecD', lambda: security_descriptor(g)),
        (b'\x93\xad\x25\x50\x9c\xb4\x11\xe7\xb4\x23\x83\xde\x96\x8b\xcd\x7c',
         lambda: g.bytes(g.pick((0, 8, 16)))),        # SVHDX / posix-ish
        (g.bytes(g.pick((0, 1, 3, 4, 5, 16))), lambda: g.bytes(
            g.r.randrange(0, 40))),
    ]
    parts = []
    for _ in range(g.r.randrange(0, 5)):
        name, mk = g.pick(choices)
        parts.append(create_context(g, name, mk()))
    blob = b''
    for i, (hdr, rest) in enumerate(parts):
        one = hdr + rest
        last = i == len(parts) - 1
        pad = 0 if last else (-len(one)) % 8
        nxt = 0 if last else len(one) + pad
        nxt = g.near(nxt, 0.12)
        blob += struct.pack('<I', nxt) + one[4:] + b'\0' * pad
    return blob


def ea_list(g):
    out = b''
    n = g.r.randrange(0, 4)
    for i in range(n):
        name = g.pick((b'user.fuzz', b'', b'A' * 255, b'A' * 300,
                       g.bytes(5)))
        val = g.bytes(g.pick((0, 4, 100, 300)))
        ent = struct.pack('<IBBH', 0, g.pick((0, 0x80)),
                          g.near(len(name), 0.15, 8),
                          g.near(len(val), 0.15, 16)) + name + b'\0' + val
        pad = (-len(ent)) % 4 if i < n - 1 else 0
        nxt = g.near(len(ent) + pad if i < n - 1 else 0, 0.15)
        out += struct.pack('<I', nxt) + ent[4:] + b'\0' * pad
    return out


def sid(g):
    n = g.near(g.r.randrange(0, 6), 0.15, 8)
    subs = b''.join(struct.pack('<I', g.u32(21 if i == 0 else 1000, 0.5))
                    for i in range(min(n, 20)))
    if g.chance(0.1):
        subs = subs[:g.r.randrange(0, len(subs) + 1)]
    return struct.pack('<BB', g.pick((1, 1, 1, 0, 2)), n) + \
        b'\0\0\0\0\0' + bytes([g.pick((5, 1, 22, 0))]) + subs


def acl(g):
    aces = b''
    count = g.r.randrange(0, 6)
    for _ in range(count):
        s = sid(g)
        size = 8 + len(s)
        aces += struct.pack('<BBHI', g.pick((0, 1, 2, 5, 0x11, 0xff)),
                            g.r.randrange(256), g.near(size, 0.15, 16),
                            g.u32(0x1f01ff, 0.3)) + s
    return struct.pack('<BBHHH', g.pick((2, 4, 0, 3)), 0,
                       g.near(8 + len(aces), 0.15, 16),
                       g.near(count, 0.15, 16), 0) + aces


def security_descriptor(g):
    parts = [sid(g), sid(g), acl(g), acl(g)]
    offs = []
    blob = b''
    for p in parts:
        if g.chance(0.2):
            offs.append(0)
            continue
        offs.append(20 + len(blob))
        blob += p
    offs = [g.near(o, 0.12) for o in offs]
    return struct.pack('<BBHIIII', g.pick((1, 1, 0, 2)), 0,
                       g.u16(0x8004 | 0x0010, 0.4),
                       offs[0], offs[1], offs[3], offs[2]) + blob


def body_create(g, tree):
    if tree == 'ipc':
        name = g.pick(('srvsvc', 'wkssvc', 'lsarpc', 'samr', 'winreg',
                       'PIPE\\srvsvc', '\\PIPE\\srvsvc', 'nosuchpipe',
                       'a' * 70, g.name(20)))
    else:
        name = g.pick(('fuzz-file.bin', 'fuzz-dir', 'fuzz-new-%d' %
                       g.r.randrange(8), '', g.name()))
    data = g.utf16(name)
    off = 64 + 56
    ctx = create_contexts(g) if g.chance(0.5) else b''
    buf = data
    coff = 0
    if ctx:
        buf += b'\0' * ((-(off + len(buf))) % 8)
        coff = off + len(buf)
        buf += ctx
    access = g.opt(g.pick((0x0012019f, 0x00120089, 0x02000000, 0x00010000,
                           0x001f01ff, 0x00130197)),
                   (0, 0x80000000, 0x10000000, g.r.randrange(1 << 32)))
    opts = g.opt(g.pick((0, 0x40, 0x1, 0x20, 0x1000, 0x200000)),
                 (0x00800000, 0x1 | 0x40, 0x8, g.r.randrange(1 << 24)))
    disp = g.opt(g.pick((1, 2, 3, 3, 5, 0, 4)), (g.r.randrange(8), 6,
                                                 0xffffffff))
    size = g.u16(57, 0.05)
    secflags = g.u16(0, 0.2) & 0xff
    oplock = g.opt(g.pick((0, 0, 1, 8, 9, 0xff)), (0x55, 2))
    imp = g.opt(2, (0, 1, 3, 4, 0xffffffff))
    reserved = g.u64(0, 0.05)
    attrs = g.opt(g.pick((0, 0x80, 0x10, 0x20)),
                  (0x2, 0x4, 0x100, g.r.randrange(1 << 32)))
    share = g.opt(7, (0, 1, 8, 0xffffffff))
    noff = g.near(off, 0.12, 16)
    nlen = g.near(len(data), 0.12, 16)
    cofs = g.near(coff, 0.12)
    return L.create_body(data, disposition=disp, access=access,
                         options=opts, attributes=attrs, share_access=share,
                         contexts=ctx, name_offset=noff, name_length=nlen,
                         ctx_offset=cofs, ctx_length=g.near(len(ctx), 0.12),
                         structure_size=size, oplock=oplock,
                         impersonation=imp, security_flags=secflags,
                         reserved=reserved)


def body_close(g, tree):
    size = g.u16(24, 0.1)
    flags = g.pick((0, 1, 0xffff))
    return L.close_body(fid(g, 'pipe' if tree == 'ipc' else 'last'),
                        flags=flags, structure_size=size)


def body_flush(g, tree):
    size = g.u16(24, 0.1)
    reserved = g.u32(0, 0.1)
    return L.flush_body(fid(g, 'pipe' if tree == 'ipc' else 'file'),
                        structure_size=size, reserved=reserved)


def body_read(g, tree):
    length = g.opt(g.pick((1, 100, 4096, 65536, g.r.randrange(1 << 17))),
                   (0, 1 << 20, 8 << 20, 0xffffffff, g.r.randrange(1 << 32)))
    chan = g.bytes(g.pick((16, 32))) if g.chance(0.2 * g.scale) else b''
    coff = 64 + 48 if chan else 0
    size = g.u16(49, 0.08)
    padding = g.opt(0x50, (0, 0xff, 0x51))
    flags = g.opt(0, (1, 2, 4))
    offset = g.u64(g.pick((0, 10, 4096)), 0.3)
    f = fid(g, 'pipe' if tree == 'ipc' else 'file')
    minimum = g.u32(0, 0.2)
    channel = g.opt(0, (1, 2, 0xff))
    remaining = g.u32(0, 0.2)
    cofs = g.near(coff, 0.15, 16)
    return L.read_body(f, length, offset, structure_size=size,
                       padding=padding, flags=flags, minimum=minimum,
                       channel=channel, remaining=remaining,
                       channel_offset=cofs,
                       channel_length=g.near(len(chan), 0.15, 16),
                       channel_info=chan)


def dcerpc(g):
    """A DCE/RPC connection-oriented PDU: a bind, an alter context or a
    request, with lengths that may lie."""
    ptype = g.pick((11, 11, 0, 0, 14, 13, 12, 2, 16, 19, g.r.randrange(
        256)))
    call_id = g.r.randrange(1, 20)
    if ptype in (11, 14):
        items = b''
        n = g.r.randrange(0, 4)
        for i in range(n):
            ab = g.pick((uuid.UUID('4b324fc8-1670-01d3-1278-5a47bf6ee188'),
                         uuid.UUID('6bffd098-a112-3610-9833-46c3f87e345a'),
                         uuid.UUID('12345778-1234-abcd-ef00-0123456789ac'),
                         uuid.UUID(bytes=g.bytes(16)))).bytes_le
            ts = [g.pick((uuid.UUID('8a885d04-1ceb-11c9-9fe8-08002b104860'),
                          uuid.UUID('71710533-beba-4937-8319-b5dbef9ccc36'),
                          uuid.UUID(bytes=g.bytes(16)))).bytes_le +
                  struct.pack('<I', g.pick((2, 1, 0)))
                  for _ in range(g.r.randrange(0, 3))]
            items += struct.pack('<HBB', i, g.near(len(ts), 0.2, 8), 0) + \
                ab + struct.pack('<HH', g.pick((3, 1, 0)), 0) + b''.join(ts)
        body = struct.pack('<HHIBBH', g.u16(4280, 0.2), g.u16(4280, 0.2),
                           g.u32(0, 0.2), g.near(n, 0.2, 8), 0, 0) + items
    elif ptype == 0:
        stub = g.bytes(g.pick((0, 4, 16, 64, 300)))
        if g.chance(0.5):       # a NetrShareEnum-like stub start
            stub = struct.pack('<IIII', 0x20000, 0, 1, 1) + stub
        body = struct.pack('<IHH', g.near(len(stub), 0.3),
                           g.pick((0, 0, 1, 0xffff)),
                           g.pick((15, 16, 21, 0, 1, 2, g.r.randrange(
                               0x10000)))) + stub
    else:
        body = g.bytes(g.r.randrange(0, 40))
    auth = b''
    if g.chance(0.1):
        auth = struct.pack('<BBBBI', 10, g.pick((2, 5, 6)), 0, 0, 1) + \
            g.bytes(g.pick((0, 16, 40)))
    frag = 16 + len(body) + len(auth)
    hdr = struct.pack('<BBBB4sHHI', 5, g.pick((0, 0, 1)), ptype,
                      g.pick((3, 3, 1, 2, 0, 0xff)),
                      g.pick((b'\x10\0\0\0', b'\0\0\0\0', g.bytes(4))),
                      g.near(frag, 0.2, 16),
                      g.near(len(auth) and len(auth) - 8, 0.2, 16), call_id)
    return hdr + body + auth


def body_write(g, tree):
    if tree == 'ipc' and g.chance(0.8):
        data = dcerpc(g)
    else:
        data = g.bytes(g.opt(g.pick((1, 100, 4096)), (0, g.r.randrange(
            70000))))
    doff = 64 + 48
    chan = g.bytes(16) if g.chance(0.1 * g.scale) else b''
    coff = doff + len(data) if chan else 0
    size = g.u16(49, 0.08)
    dofs = g.near(doff, 0.12, 16)
    length = g.near(len(data), 0.12)
    offset = g.u64(g.pick((0, 0, 4096, 1 << 40)), 0.2)
    f = fid(g, 'pipe' if tree == 'ipc' else 'file')
    channel = g.opt(0, (1, 2))
    remaining = g.u32(0, 0.2)
    cofs = g.near(coff, 0.15, 16)
    clen = g.near(len(chan), 0.15, 16)
    return L.write_body(f, data, offset, data_offset=dofs, length=length,
                        structure_size=size, channel=channel,
                        remaining=remaining, channel_offset=cofs,
                        channel_length=clen,
                        flags=g.opt(0, (1, 2, 0xffffffff)),
                        channel_info=chan)


def body_lock(g, tree):
    n = g.opt(g.pick((1, 1, 2, 3)), (0, 64))
    locks = b''
    for _ in range(min(n, 64)):
        locks += struct.pack('<QQII', g.u64(g.r.randrange(100), 0.3),
                             g.u64(g.r.randrange(1, 100), 0.3),
                             g.opt(g.pick((0x11, 0x12, 0x14, 1, 2, 4)),
                                   (0x10, 0, 0x3, 0x7, 0xffffffff)), 0)
    if g.chance(0.1):
        locks = locks[:g.r.randrange(len(locks) + 1)]
    f = fid(g, 'pipe' if tree == 'ipc' else 'file')
    size = g.u16(48, 0.08)
    count = g.near(n, 0.2, 16)
    return L.lock_body(f, locks, lock_count=count, structure_size=size,
                       sequence=g.u32(0, 0.2)) + (b'' if locks else b'\0')


FSCTLS = (0x00140204,   # VALIDATE_NEGOTIATE_INFO
          0x0011c017,   # PIPE_TRANSCEIVE
          0x00060194,   # DFS_GET_REFERRALS
          0x000601b0,   # DFS_GET_REFERRALS_EX
          0x001440f2,   # SRV_COPYCHUNK
          0x001480f2,   # SRV_COPYCHUNK_WRITE
          0x00140078,   # SRV_REQUEST_RESUME_KEY
          0x001401fc,   # QUERY_NETWORK_INTERFACE_INFO
          0x000900c4,   # SET_SPARSE
          0x000980c8,   # SET_ZERO_DATA
          0x000940cf,   # QUERY_ALLOCATED_RANGES
          0x000900a8,   # GET_REPARSE_POINT
          0x000900a4,   # SET_REPARSE_POINT
          0x00110018,   # PIPE_WAIT
          0x0011400c,   # PIPE_PEEK
          0x0009003c,   # GET_COMPRESSION
          0x0009c040,   # SET_COMPRESSION
          0x00098344,   # DUPLICATE_EXTENTS_TO_FILE
          0x0009009c,   # GET_OBJECT_ID
          0x000900c0,   # CREATE_OR_GET_OBJECT_ID
          0x00098208,   # FILE_LEVEL_TRIM
          0x0009013c,   # QUERY_FILE_REGIONS
          0x00144064,   # SRV_ENUMERATE_SNAPSHOTS
          0x00090300,   # QUERY_ON_DISK_VOLUME_INFO? (any)
          0x001401d4,   # LMR_REQUEST_RESILIENCY
          0x00090028)   # IS_VOLUME_DIRTY


def ioctl_input(g, code):
    if code == 0x00140204:
        dialects = [g.pick(DIALECTS) for _ in range(g.r.randrange(0, 6))]
        return struct.pack('<I16sHH', g.u32(0x7f, 0.3), g.bytes(16),
                           g.pick((1, 2, 3)), g.near(len(dialects), 0.2,
                                                     16)) + \
            b''.join(struct.pack('<H', d) for d in dialects)
    if code == 0x0011c017:
        return dcerpc(g)
    if code in (0x00060194, 0x000601b0):
        return struct.pack('<H', g.pick((3, 4, 0, 0xffff))) + \
            g.utf16(g.pick(('\\127.0.0.1\\share', '', g.name()))) + b'\0\0'
    if code in (0x001440f2, 0x001480f2):
        n = g.pick((1, 2, 0, 16, 300))
        chunks = b''.join(struct.pack('<QQII', g.u64(0, 0.3),
                                      g.u64(0, 0.3), g.u32(4096, 0.3), 0)
                          for _ in range(min(n, 40)))
        return g.bytes(24) + struct.pack('<II', g.near(n, 0.2), 0) + chunks
    if code in (0x000980c8, 0x000940cf):
        return struct.pack('<QQ', g.u64(0, 0.3), g.u64(4096, 0.3))
    if code == 0x000900c4:
        return g.pick((b'', b'\x01', b'\x00', b'\x01\x00\x00\x00'))
    if code == 0x000900a4:
        data = g.bytes(g.pick((0, 8, 40, 200)))
        return struct.pack('<IHH', g.u32(0xa000000c, 0.3),
                           g.near(len(data), 0.2, 16), 0) + data
    if code == 0x00098344:
        return g.bytes(16) + struct.pack('<QQQ', g.u64(0, 0.3),
                                         g.u64(0, 0.3), g.u64(4096, 0.3))
    return g.bytes(g.pick((0, 4, 8, 24, 100)))


def body_ioctl(g, tree):
    code = g.pick(FSCTLS) if g.chance(0.85) else g.u32(None)
    data = ioctl_input(g, code)
    off = 64 + 56
    if code == 0x0011c017 or (tree == 'ipc' and g.chance(0.5)):
        f = fid(g, 'pipe')
    elif code in (0x00140204, 0x001401fc, 0x00060194, 0x000601b0):
        f = fid(g, 'file') if g.chance(0.3) else ALL_ONES_FID
    else:
        f = fid(g, 'file')
    size = g.u16(57, 0.08)
    in_off = g.near(off, 0.15)
    in_count = g.near(len(data), 0.15)
    max_in = g.u32(0, 0.1)
    out_off = g.u32(0, 0.1)
    out_count = g.near(0, 0.1)
    max_out = g.opt(g.pick((1024, 65536)), (0, 0xffffffff))
    return L.ioctl_body(code, f, data, in_offset=in_off, in_count=in_count,
                        max_out=max_out, max_in=max_in, out_offset=out_off,
                        out_count=out_count,
                        flags=g.opt(1, (0, 2, 0xffffffff)),
                        structure_size=size)


def body_echo(g, tree):
    size = g.u16(4, 0.15)
    return L.echo_body(size, reserved=g.u16(0, 0.1))


def body_query_directory(g, tree):
    pattern = g.utf16(g.opt(g.pick(('*', 'fuzz*', '*.bin', '?*')),
                            ('', '<', '>', '"', 'a' * 300, g.name())))
    off = 64 + 32
    size = g.u16(33, 0.08)
    klass = g.opt(g.pick((1, 2, 3, 12, 37, 38, 60, 78)),
                  (0, 63, 0xff, g.r.randrange(256)))
    flags = g.opt(g.pick((0, 1, 2, 0x10)), (4, 0x11, 0xff))
    index = g.u32(0, 0.2)
    f = fid(g, 'pipe' if tree == 'ipc' else 'dir')
    noff = g.near(off, 0.15, 16)
    nlen = g.near(len(pattern), 0.15, 16)
    out = g.opt(g.pick((65536, 8192, 200)),
                (0, 1, 100, 1 << 20, 0xffffffff, g.r.randrange(1 << 16)))
    return L.query_directory_body(f, pattern, name_offset=noff,
                                  name_length=nlen, out_len=out,
                                  info_class=klass, flags=flags,
                                  file_index=index, structure_size=size)


def body_change_notify(g, tree):
    return struct.pack('<HHI16sII', g.u16(32, 0.1), g.pick((0, 1)),
                       g.pick((4096, 0, 0xffffffff, 65536)),
                       fid(g, 'dir'), g.u32(0x17, 0.4), 0)


def body_query_info(g, tree):
    itype = g.opt(g.pick((1, 1, 1, 2, 2, 3)), (4, 0, 5, 0xff))
    known = {1: (4, 5, 6, 7, 8, 9, 14, 15, 16, 17, 18, 21, 22, 28, 34, 35,
                 48, 59, 68, 69), 2: (1, 3, 4, 5, 6, 7, 8, 11), 3: (0,)}
    cls = g.opt(g.pick(known.get(itype, (0,))),
                (g.r.randrange(0, 80), g.r.randrange(256)), 0.5)
    inp = b''
    if itype == 1 and cls == 15 and g.chance(0.7):     # EA list
        inp = ea_list(g)
    elif itype == 4:    # quota: SMB2_QUERY_QUOTA_INFO
        s = sid(g)
        inp = struct.pack('<BBHIII', g.pick((0, 1)), g.pick((0, 1)), 0,
                          g.near(0, 0.2), g.near(len(s), 0.2),
                          g.near(0, 0.2)) + s
    elif g.chance(0.1):
        inp = g.bytes(g.r.randrange(1, 40))
    off = 64 + 40 if inp else 0
    size = g.u16(41, 0.08)
    out = g.opt(g.pick((65536, 4096)),
                (0, 1, 8, 24, 100, 0xffffffff, g.r.randrange(1 << 12)))
    in_off = g.near(off, 0.15, 16)
    in_len = g.near(len(inp), 0.15)
    addl = g.opt(7 if itype == 3 else 0,
                 (1, 2, 4, 8, 0xf, 0x10000, g.r.randrange(1 << 32)))
    flags = g.opt(0, (1, 2, 4, 0xffffffff))
    f = fid(g, g.pick(('file', 'dir')) if tree == 'share' else 'pipe')
    return L.query_info_body(f, itype, cls, inp, in_offset=in_off,
                             in_length=in_len, out_len=out,
                             additional=addl, flags=flags,
                             structure_size=size)


def rename_info(g, cls):
    name = g.utf16(g.pick(('fuzz-renamed', 'fuzz-dir\\x', '..\\x', '',
                           ':s', 'fuzz-file.bin', 'a' * 300, g.name())))
    return struct.pack('<BBHIQI', g.pick((0, 1)), 0, 0, 0,
                       g.u64(0, 0.1), g.near(len(name), 0.15)) + name


def set_info_buffer(g, itype, cls):
    if itype == 1:
        if cls == 4:        # basic
            return struct.pack('<QQQQII', g.u64(0, 0.3), g.u64(0, 0.3),
                               g.u64(0, 0.3), g.u64(0, 0.3),
                               g.pick((0, 0x80, 0x10, 0x1, 0xffffffff)), 0)
        if cls in (10, 11):
            return rename_info(g, cls)
        if cls == 13:
            return bytes([g.pick((0, 1, 0xff))])
        if cls == 64:       # disposition ex
            return struct.pack('<I', g.u32(1, 0.5))
        if cls in (14, 16, 19, 20, 39):
            return struct.pack('<Q', g.pick((0, 1, 4096, 1 << 20,
                                             1 << 31, 1 << 40,
                                             0x7fffffffffffffff,
                                             0xffffffffffffffff)))
        if cls == 15:
            return ea_list(g)
        if cls == 40:
            return struct.pack('<I', 8) + g.utf16('SHORT~1')
    if itype == 3:
        return security_descriptor(g)
    if itype == 2:
        return g.bytes(g.pick((8, 16, 40, 64)))
    if itype == 4:
        s = sid(g)
        return struct.pack('<IIQQQ', 0, len(s), 0, g.u64(0), g.u64(0)) + s
    return g.bytes(g.r.randrange(0, 64))


def body_set_info(g, tree):
    itype = g.pick((1, 1, 1, 2, 3, 3, 4, 0, 0xff))
    if itype == 1:
        cls = g.pick((4, 10, 11, 13, 14, 15, 16, 19, 20, 39, 40, 64,
                      g.r.randrange(80)))
    else:
        cls = g.r.randrange(0, 16)
    buf = set_info_buffer(g, itype, cls)
    off = 64 + 32
    size = g.u16(33, 0.08)
    blen = g.near(len(buf), 0.12)
    boff = g.near(off, 0.12, 16)
    addl = g.pick((0, 0, 1, 2, 4, 8, 0xf, g.r.randrange(1 << 32)))
    f = fid(g, g.pick(('file', 'file', 'dir')) if tree == 'share' else
            'pipe')
    return L.set_info_body(f, itype, cls, buf, buf_offset=boff,
                           buf_length=blen, additional=addl,
                           structure_size=size)


def body_oplock_break(g, tree):
    if g.chance(0.5):
        return struct.pack('<HBBI16s', g.u16(24, 0.1), g.pick((0, 1, 8,
                                                             9)), 0, 0,
                           fid(g, 'file'))
    return struct.pack('<HHI16sIQ', g.u16(36, 0.1), 0, 0, g.bytes(16),
                       g.u32(0, 0.5), 0)


def body_cancel(g, tree):
    return struct.pack('<HH', g.u16(4, 0.2), 0)


BODIES = {
    LOGOFF: body_logoff, TREE_CONNECT: lambda g, t: body_tree_connect(g),
    TREE_DISCONNECT: lambda g, t: struct.pack('<HH', g.u16(4, 0.2), 0),
    CREATE: body_create, CLOSE: body_close, FLUSH: body_flush,
    READ: body_read, WRITE: body_write, LOCK: body_lock, IOCTL: body_ioctl,
    CANCEL: body_cancel, ECHO: body_echo,
    QUERY_DIRECTORY: body_query_directory,
    CHANGE_NOTIFY: body_change_notify, QUERY_INFO: body_query_info,
    SET_INFO: body_set_info, OPLOCK_BREAK: body_oplock_break,
}

# How often each command is chosen in a session. LOGOFF and
# TREE_DISCONNECT end what the next cases need, so they are rarer.
WEIGHTS = ((CREATE, 14), (READ, 8), (WRITE, 10), (IOCTL, 12),
           (QUERY_INFO, 12), (SET_INFO, 12), (QUERY_DIRECTORY, 8),
           (LOCK, 6), (CLOSE, 4), (FLUSH, 2), (ECHO, 2), (TREE_CONNECT, 4),
           (CHANGE_NOTIFY, 2), (OPLOCK_BREAK, 2), (CANCEL, 2),
           (TREE_DISCONNECT, 1), (LOGOFF, 1), (NEGOTIATE, 1),
           (SESSION_SETUP, 1), (None, 2))


def pick_command(g):
    total = sum(w for _, w in WEIGHTS)
    x = g.r.randrange(total)
    for cmd, w in WEIGHTS:
        if x < w:
            return cmd
        x -= w
    return ECHO


def session_elem(g, related=False):
    g.scale = g.pick((0, 0.1, 0.3, 0.6, 1))
    cmd = pick_command(g)
    tree = 'ipc' if g.chance(0.2) else 'share'
    if cmd is None:             # an unknown command
        cmd = g.pick((19, 0x20, 0xff, 0x100, 0xffff, g.r.randrange(0x10000)))
        body = g.bytes(g.r.randrange(0, 64))
    elif cmd == NEGOTIATE:
        body = negotiate_body(g)
    elif cmd == SESSION_SETUP:
        body = session_setup_body(g, spnego_init(g, ntlm_negotiate(g)))
    else:
        body = BODIES[cmd](g, tree)
    if related and cmd not in (CREATE, TREE_CONNECT, LOGOFF):
        # The usual related form: act on the file the chain opened.
        body = body.replace(FID['file'], ALL_ONES_FID).replace(
            FID['pipe'], ALL_ONES_FID).replace(FID['dir'], ALL_ONES_FID)
    sign = 'ok'
    if g.chance(0.04):
        sign = g.pick(('none', 'bad'))
    return elem(cmd, body, tree=tree, sign=sign, hdr=header_fuzz(g, 0.12))


def byte_mutations(g, e):
    """A few raw byte writes over the element (header included)."""
    size = 64 + len(bytes.fromhex(e['body']))
    out = []
    for _ in range(g.r.randrange(1, 5)):
        at = g.r.randrange(size) if g.chance(0.8) else \
            64 + g.r.randrange(max(1, size - 64))
        how = g.r.randrange(4)
        if how == 0:
            val = bytes([g.r.randrange(256)])
        elif how == 1:
            val = bytes([g.pick((0, 0xff, 0x7f, 0x80))]) * \
                g.pick((1, 2, 4))
        elif how == 2:
            val = struct.pack('<I', g.pick(INTERESTING_32))
        else:
            val = bytes([g.r.randrange(256) ^ (1 << g.r.randrange(8))])
        out.append([at, val.hex()])
    return out


def case_sess(g, dialect):
    """One to a few messages in the session, maybe compounds."""
    msgs = []
    for _ in range(g.pick((1, 1, 1, 2, 3))):
        n = g.pick((1, 1, 1, 1, 2, 3, 4, 6))
        related = n > 1 and g.chance(0.6)
        elems = []
        for i in range(n):
            e = session_elem(g, related=related and i > 0)
            if related and i > 0:
                e['hdr'].setdefault('flags', FLAG_RELATED)
                if g.chance(0.7):
                    e['hdr'].setdefault('session_id', 0xffffffffffffffff)
                    e['hdr'].setdefault('tree_id', 0xffffffff)
            elif n > 1 and g.chance(0.1):
                e['hdr'].setdefault('flags', FLAG_RELATED)
            if n > 1 and g.chance(0.08):
                e['pad'] = g.pick((0, 1, 3, 9))
            if g.chance(0.12):
                e['mutate'] = byte_mutations(g, e)
            elems.append(e)
        if related and g.chance(0.3) and elems[0]['cmd'] != CREATE:
            # Start the chain with an open, as real clients do.
            elems[0] = elem(CREATE, body_create(g, elems[0]['tree']),
                            tree=elems[0]['tree'])
        m = msg(elems)
        if g.chance(0.03):
            m['trailer'] = hexs(g.bytes(g.r.randrange(1, 70)))
        if g.chance(0.02):
            m['frame_len'] = g.u32(None)
        msgs.append(m)
    return {'kind': 'sess', 'dialect': dialect, 'msgs': msgs}


# --------------------------------------------------------------------------
# Classes of cases aimed at one resource bound of the server each. A case
# of a class has 'class' (its name) and the usual 'kind' (how its
# connection is set up: 'pre', 'neg' or 'sess'); 'fresh' asks for a
# connection of its own (not the shared session), closed after the case.
# Extra fields, read by target.py:
#   msg 'wait':     'reply' or 'interim': after sending this message, read
#                   until its first request is answered (final, or interim
#                   STATUS_PENDING) before sending the next;
#   msg 'drop':     close the connection right after sending this message;
#   hdr 'message_id' / 'async_id' ['ref', k]: the message id of the k-th
#                   request of the case / the AsyncId its interim reply gave
#                   (CANCEL of a waiting request);
#   'flood':        (never_reading) requests sent again and again on a
#                   connection that then never reads;
#   'how':          (partial_frames) what to do to the frame of the msg.

LOCK_S, LOCK_X = L.LOCK_SHARED, L.LOCK_EXCLUSIVE
LOCK_U, LOCK_NOW = L.LOCK_UNLOCK, L.LOCK_FAIL_IMMEDIATELY
ANY_SID, ANY_TID = 0xffffffffffffffff, 0xffffffff


def related_hdr(hdr=None):
    h = dict(hdr or {})
    h.setdefault('flags', FLAG_RELATED)
    h.setdefault('session_id', ANY_SID)
    h.setdefault('tree_id', ANY_TID)
    return h


def credits_step(n=2048):
    """An ECHO asking for n credits, answered before the case goes on (the
    large requests after it need them)."""
    m = msg([elem(ECHO, L.echo_body(), hdr={'credit_request': n})])
    m['wait'] = 'reply'
    return m


def big_length(g):
    return g.pick((65536, 65536, 65536, 1 << 17, 1 << 20, 8 << 20,
                   g.r.randrange(1, 1 << 24)))


def budget_elem(g, target, related, credits):
    """A request whose response can be as large as it asks: a listing of
    the big directory, a READ of the big file, an IOCTL or a QUERY_INFO
    with a large output length. target: 'big' (the directory) or
    'bigfile'; related: act on the open of the element before. credits:
    [credits left for the chain]; an output length whose charge (one
    credit per 64 KiB) the chain cannot pay is cut to 64 KiB, so that
    most chains are valid and reach the handlers."""
    def f(name):
        return ALL_ONES_FID if related else FID[name]
    big = big_length(g)
    if (big + 65535) // 65536 > credits[0] - 64:
        big = 65536
    credits[0] -= (big + 65535) // 65536
    if target == 'big':
        what = g.pick(('qdir', 'qdir', 'qdir', 'qinfo', 'ioctl'))
    else:
        what = g.pick(('read', 'read', 'read', 'qinfo', 'ioctl'))
    if what == 'qdir':
        return elem(QUERY_DIRECTORY, L.query_directory_body(
            f('big'), g.pick(('*', '*', '*', 'e1*', '*.none')),
            out_len=big, info_class=g.pick((37, 37, 1, 2, 3, 38, 12)),
            flags=g.pick((1, 1, 0x10, 0))))
    if what == 'read':
        return elem(READ, L.read_body(f('bigfile'), big, g.pick((
            0, 0, 4096, 200000))))
    if what == 'qinfo':
        itype, cls, addl = g.pick(((1, 18, 0), (1, 15, 0), (1, 22, 0),
                                   (3, 0, 7), (2, 1, 0), (2, 5, 0),
                                   (1, 34, 0)))
        return elem(QUERY_INFO, L.query_info_body(
            f(target), itype, cls, out_len=big, additional=addl))
    code = g.pick((L.FSCTL_QUERY_NETWORK_INTERFACE_INFO,
                   L.FSCTL_SRV_ENUMERATE_SNAPSHOTS,
                   L.FSCTL_SRV_REQUEST_RESUME_KEY,
                   L.FSCTL_QUERY_ALLOCATED_RANGES))
    data = b''
    fh = f(target)
    if code == L.FSCTL_QUERY_NETWORK_INTERFACE_INFO and not related:
        fh = ALL_ONES_FID
    if code == L.FSCTL_QUERY_ALLOCATED_RANGES:
        data = struct.pack('<QQ', 0, 1 << 30)
    return elem(IOCTL, L.ioctl_body(code, fh, data, max_out=big))


def chain_breaker(g, related):
    """CLOSE, TREE_DISCONNECT or LOGOFF, for the middle of a chain."""
    what = g.pick((CLOSE, CLOSE, TREE_DISCONNECT, LOGOFF))
    if what == CLOSE:
        body = L.close_body(ALL_ONES_FID if related else FID['last'])
    else:
        body = L.echo_body()
    return elem(what, body)


def gen_compound_budget(g, dialects):
    """One message of 8 to 32 requests (now and then one more than the
    server's 32) whose responses fill their budgets, related (after a
    CREATE of the big directory or file) or not, maybe with a CLOSE,
    TREE_DISCONNECT or LOGOFF in the middle."""
    ds = tuple(dialects) + ((0x0202,) if 0x0210 in dialects else ())
    n = g.pick((8, 16, 24, 31, 31, 31, 33))
    related = g.chance(0.5)
    elems = []
    if related:
        target = g.pick(('big', 'bigfile'))
        name = 'fuzz-big' if target == 'big' else 'fuzz-big.bin'
        elems.append(elem(CREATE, L.create_body(
            name, L.FILE_OPEN, L.GENERIC_READ_ACCESS,
            L.FILE_DIRECTORY_FILE if target == 'big' else
            L.FILE_NON_DIRECTORY_FILE)))
    credits = [1800]        # of the 2048 that credits_step() asks for
    for i in range(n - len(elems)):
        t = target if related else g.pick(('big', 'bigfile'))
        elems.append(budget_elem(g, t, related, credits))
    if g.chance(0.3):
        elems[g.r.randrange(1, len(elems))] = chain_breaker(g, related)
    if related:
        if g.chance(0.5):
            elems.append(elem(CLOSE, L.close_body(ALL_ONES_FID)))
        for e in elems[1:]:
            e['hdr'] = related_hdr(e['hdr'])
    elif g.chance(0.2):
        # Unrelated, but in the related form: the first has no open.
        for e in elems[1:]:
            e['hdr'] = related_hdr(e['hdr'])
    return {'kind': 'sess', 'dialect': g.pick(ds),
            'msgs': [credits_step(), msg(elems)]}


def lock_msg(fid_bytes, locks, wait=None, hdr=None):
    m = msg([elem(LOCK, L.lock_body(fid_bytes, locks), hdr=hdr)])
    if wait:
        m['wait'] = wait
    return m


def gen_async_cancel(g, dialects):
    """Blocking LOCKs that must wait (the same handle holds the range),
    then CANCEL by MessageId or AsyncId (right, wrong, twice), or the
    handle closed, the tree disconnected, the session logged off or the
    connection dropped while they wait, or the range unlocked."""
    f = FID['file']
    base = g.r.randrange(1, 1 << 20) << 12
    held = g.pick((LOCK_X, LOCK_X, LOCK_S))
    msgs = [lock_msg(f, [(base, 16, held | LOCK_NOW)], 'reply')]
    waiters = []
    for j in range(g.pick((1, 1, 2, 3, 8))):
        want = LOCK_X if held == LOCK_S else g.pick((LOCK_X, LOCK_S))
        rng = (base + g.r.randrange(16), g.pick((1, 4, 16, 100)), want)
        if g.chance(0.2):
            # LOCK + related READ: the READ waits with the LOCK.
            m = msg([elem(LOCK, L.lock_body(f, [rng])),
                     elem(READ, L.read_body(ALL_ONES_FID, 100),
                          hdr=related_hdr())])
            m['wait'] = 'interim'
        else:
            m = lock_msg(f, [rng], 'interim')
        waiters.append(sum(len(x['elems']) for x in msgs))
        msgs.append(m)
    how = g.pick(('cancel_mid', 'cancel_mid', 'cancel_async',
                  'cancel_async', 'cancel_wrong', 'cancel_twice',
                  'cancel_all', 'close', 'logoff', 'tdis', 'drop', 'unlock',
                  'none'))
    w = g.pick(waiters)

    def cancel(k, by_async):
        h = {'message_id': ['ref', k], 'credit_request': 0}
        if by_async:
            h['flags'] = FLAG_ASYNC
            h['async_id'] = ['ref', k]
        return elem(CANCEL, L.echo_body(), hdr=h)
    if how in ('cancel_mid', 'cancel_async'):
        msgs.append(msg([cancel(w, how == 'cancel_async')]))
    elif how == 'cancel_twice':
        msgs.append(msg([cancel(w, g.chance(0.5))]))
        msgs.append(msg([cancel(w, g.chance(0.5))]))
    elif how == 'cancel_all':
        msgs.append(msg([cancel(k, g.chance(0.5)) for k in waiters]))
    elif how == 'cancel_wrong':
        h = {'credit_request': 0}
        wrong = g.pick(('holder', 'async', 'far'))
        if wrong == 'holder':
            h['message_id'] = ['ref', 0]
        elif wrong == 'async':
            h['flags'] = FLAG_ASYNC
            h['async_id'] = g.u64(None, 1)
        else:
            h['message_id'] = 'far'
        msgs.append(msg([elem(CANCEL, L.echo_body(), hdr=h)]))
    elif how == 'close':
        msgs.append(msg([elem(CLOSE, L.close_body(f))]))
    elif how in ('logoff', 'tdis'):
        msgs.append(msg([elem(LOGOFF if how == 'logoff' else
                              TREE_DISCONNECT, L.echo_body())]))
    elif how == 'unlock':
        msgs.append(lock_msg(f, [(base, 16, LOCK_U)]))
    if how == 'drop':
        msgs[-1]['drop'] = True
    elif how not in ('close', 'logoff', 'tdis') and g.chance(0.7):
        # Leave the range free for the next cases.
        msgs.append(lock_msg(f, [(base, 16, LOCK_U)]))
    return {'kind': 'sess', 'dialect': g.pick(dialects), 'msgs': msgs,
            'how': how}


def gen_never_reading(g, dialects):
    """A connection of its own that sends many requests whose responses
    are large (READ, QUERY_DIRECTORY) or many (ECHO, SESSION_SETUP before
    login) and never reads a byte; it is kept open for a while (up to
    beyond the server's send timeout) while the fuzzer goes on, and a new
    connection must be answered at once."""
    login = g.chance(0.75)
    if login:
        what = g.pick(('read', 'read', 'qdir', 'mix', 'echo'))
        pool = []
        if what in ('read', 'mix'):
            pool.append(elem(READ, L.read_body(FID['bigfile'], 65536,
                                               g.pick((0, 65536)))))
        if what in ('qdir', 'mix'):
            pool.append(elem(QUERY_DIRECTORY, L.query_directory_body(
                FID['big'], '*', out_len=65536)))
        if what in ('echo', 'mix'):
            pool.append(elem(ECHO, L.echo_body()))
        repeat = g.pick((100, 300, 600, 1000, 1500))
    else:
        pool = [elem(ECHO, L.echo_body(), sign='none')]
        if g.chance(0.5):
            pool.append(elem(SESSION_SETUP, L.session_setup_body(
                C.spnego_init(C.ntlm_negotiate_msg())), sign='none'))
        repeat = g.pick((20, 60, 200))
    return {'kind': 'sess' if login else 'neg', 'fresh': True,
            'dialect': g.pick(dialects), 'msgs': [],
            'flood': {'elems': pool, 'repeat': repeat,
                      'per_frame': g.pick((1, 1, 4))},
            'credits': 2000, 'rcvbuf': g.pick((0, 4096, 65536)),
            'hold': g.pick((1, 5, 15, 35))}


def gen_partial_frames(g, dialects):
    """A frame cut short (then closed, or held open), dripped a few bytes
    at a time, preceded by keep-alives, with a bad first byte or with a
    length over the limit of the connection's state."""
    phase = g.pick(('pre', 'pre', 'neg', 'sess'))
    how = g.pick(('trunc_close', 'trunc_hold', 'header_only', 'drip',
                  'drip', 'oversize', 'oversize', 'keepalive', 'bad_byte'))
    if phase == 'pre':
        e = elem(NEGOTIATE, L.negotiate_body(
            dialects=g.pick((DIALECTS, (0x0210,)))), sign='none')
    elif phase == 'neg':
        e = elem(SESSION_SETUP, L.session_setup_body(C.spnego_init(
            C.ntlm_negotiate_msg())), sign='none')
    else:
        e = g.pick((elem(ECHO, L.echo_body()),
                    elem(QUERY_INFO, L.query_info_body(FID['file'], 1, 18)),
                    elem(WRITE, L.write_body(FID['file'], b'w' * g.pick(
                        (100, 70000))))))
    c = {'kind': phase, 'fresh': True, 'dialect': g.pick(dialects),
         'how': how, 'msgs': [msg([e])]}
    if how in ('trunc_close', 'trunc_hold'):
        c['cut'] = g.pick((1, 2, 3, 5, 20, 63, 64, 65, 68, -1))
        c['hold'] = g.pick((1, 5, 35))
    elif how == 'header_only':
        c['cut'] = 4
        c['hold'] = g.pick((1, 5, 35))
    elif how == 'drip':
        c['chunk'] = g.pick((1, 2, 7, 64))
        c['delay'] = g.pick((0.001, 0.005, 0.02))
    elif how == 'oversize':
        limit = {'pre': 64 << 10, 'neg': 68 << 10}.get(phase)
        if limit is None:
            c['length'] = 0xffffff
        else:
            c['length'] = g.pick((limit + 1, limit + 4096, 1 << 20,
                                  8 << 20, 0xffffff))
        c['extra'] = g.pick((0, 64, 4096))
    elif how == 'keepalive':
        c['keepalives'] = g.pick((1, 2, 5))
    else:
        c['byte'] = g.pick((0x01, 0x81, 0x82, 0x83, 0xff))
    return c


def flood_locks(g, n, base, pattern, flags):
    out = []
    for i in range(n):
        if pattern == 'same':
            off, ln = base, 16
        elif pattern == 'overlap':
            off, ln = base + g.r.randrange(64), g.r.randrange(1, 64)
        elif pattern == 'adjacent':
            off, ln = base + 4 * i, 4
        elif pattern == 'nested':
            off, ln = base + i, 2 * (n - i)
        else:
            off, ln = g.u64(base + i * 8, 0.3), g.u64(8, 0.3)
        f = flags if flags != 'mixed' else g.pick((
            LOCK_S | LOCK_NOW, LOCK_X | LOCK_NOW, LOCK_U, LOCK_S, LOCK_X))
        out.append((off & ((1 << 64) - 1), ln & ((1 << 64) - 1), f))
    return out


def gen_lock_flood(g, dialects):
    """LOCK requests with many elements (overlapping, nested, adjacent,
    the same range again and again), lock/unlock storms in compounds,
    hundreds of blocking LOCKs waiting at once (beyond the per-connection
    bound of waits) and the largest element count."""
    how = g.pick(('many', 'many', 'many', 'storm', 'storm', 'storm',
                  'blocking', 'blocking', 'huge'))
    f = FID[g.pick(('file', 'file', 'bigfile'))]
    base = g.r.randrange(1, 1 << 16) << 20
    fresh = how in ('blocking', 'huge')
    msgs = []
    if how == 'many':
        n = g.pick((2, 16, 64, 256, 1000, 4096))
        fresh = n >= 1000
        pattern = g.pick(('same', 'overlap', 'adjacent', 'nested',
                          'random'))
        flags = g.pick((LOCK_S | LOCK_NOW, LOCK_X | LOCK_NOW, 'mixed',
                        LOCK_S | LOCK_NOW))
        locks = flood_locks(g, n, base, pattern, flags)
        msgs.append(lock_msg(f, locks))
        if g.chance(0.7):
            msgs.append(lock_msg(f, [(o, ln, LOCK_U) for o, ln, _ in
                                     locks]))
    elif how == 'storm':
        related = g.chance(0.4)
        for _ in range(g.pick((4, 16, 40))):
            elems = []
            for j in range(g.pick((2, 4, 8))):
                off = base + g.r.randrange(8) * 8
                fl = LOCK_U if j % 2 else g.pick((LOCK_S, LOCK_X)) | \
                    LOCK_NOW
                e = elem(LOCK, L.lock_body(ALL_ONES_FID if related and j
                                           else f, [(off, 8, fl)]))
                if related and j:
                    e['hdr'] = related_hdr()
                elems.append(e)
            msgs.append(msg(elems))
    elif how == 'blocking':
        msgs.append(credits_step(1024))
        msgs.append(lock_msg(f, [(base, 64, LOCK_X | LOCK_NOW)], 'reply'))
        for i in range(g.pick((8, 64, 255, 256, 300))):
            msgs.append(lock_msg(f, [(base + i % 64, 1, g.pick((
                LOCK_X, LOCK_S)))]))
        if g.chance(0.5):
            msgs.append(lock_msg(f, [(base, 64, LOCK_U)]))
        if g.chance(0.5):
            msgs[-1]['drop'] = True
    else:
        # Packed in C: 65535 elements one by one take a second in the
        # guest. Elements are three little-endian u64: offset, length,
        # flags (and the reserved u32).
        n = g.pick((20000, 20000, 65535))
        a = array.array('Q', bytes(24 * n))
        a[0::3] = array.array('Q', range(base, base + 2 * n, 2))
        a[1::3] = array.array('Q', [1]) * n
        a[2::3] = array.array('Q', [LOCK_X | LOCK_NOW]) * n
        if sys.byteorder != 'little':
            a.byteswap()
        msgs.append(msg([elem(LOCK, L.lock_body(f, a.tobytes(),
                                                lock_count=n))]))
    c = {'kind': 'sess', 'dialect': g.pick(dialects), 'msgs': msgs,
         'how': how}
    if fresh:
        c['fresh'] = True
    return c


def huge_name(g, limit_chars=32767, allow_mib=False):
    """(UTF-16 bytes, what) of a name near or over a limit: a component
    of about 255 characters (of 1 to 4 bytes each in UTF-8, surrogate
    pairs in UTF-16), a path of about 1 K, 4 K or 32 K characters, an odd
    byte count, lone or swapped surrogates, and (rename, link) MiB."""
    what = g.pick(('component', 'component', 'path', 'path', 'odd',
                   'surrogates') + (('mib',) if allow_mib else ()))
    if what == 'component':
        ch = g.pick(('a', '\u00e9', '\u65e5', '\U0001f600'))
        n = g.pick((254, 255, 256, 257, 300, 1000))
        s = 'h' + ch * (n - 1)
    elif what == 'path':
        n = g.pick((1023, 1024, 4095, 4096, 4097, 32766, 32767))
        n = min(n, limit_chars)
        comp = 'd' * g.pick((1, 8, 255))
        s = ('\\'.join([comp] * (n // (len(comp) + 1) + 1)))[:n]
    elif what == 'surrogates':
        s = 'fuzz-' + ''.join(g.pick(('\ud800', '\udc00', '\udfff\ud800',
                                      '\ufffe', '\uffff', '\0', 'x'))
                              for _ in range(g.pick((1, 8, 200))))
    elif what == 'mib':
        s = 'm' * g.pick((300000, 300000, 1 << 20, 2 << 20))
    else:
        s = 'fuzz-odd-' + 'o' * g.pick((10, 254))
    data = g.utf16(s)
    if what == 'odd':
        data += g.pick((b'\0', b'x', b'\xd8'))
    return data, what


def gen_huge_names(g, dialects):
    """CREATE, rename and link (SET_INFO) and QUERY_DIRECTORY with names
    near and over the limits (255-character components, 32767-character
    paths, MiB rename targets) and odd UTF-16, sometimes with a length
    field that lies; each CREATE is closed again (delete on close)."""
    how = g.pick(('create', 'create', 'rename', 'link', 'qdir'))
    msgs = []
    if how == 'create':
        data, _ = huge_name(g)
        nlen = g.opt(len(data), (len(data) + 2, 0xffff, len(data) - 1))
        nlen = min(max(nlen, 0), 0xffff)
        directory = g.chance(0.3)
        body = L.create_body(data[:0xffff], g.pick((L.FILE_CREATE,
                                                    L.FILE_OPEN_IF,
                                                    L.FILE_OPEN)),
                             L.GENERIC_RW_ACCESS | L.DELETE if not directory
                             else L.GENERIC_READ_ACCESS | L.DELETE,
                             (L.FILE_DIRECTORY_FILE if directory else
                              L.FILE_NON_DIRECTORY_FILE) | 0x1000,
                             name_length=nlen)
        msgs.append(msg([elem(CREATE, body),
                         elem(CLOSE, L.close_body(ALL_ONES_FID),
                              hdr=related_hdr())]))
    elif how in ('rename', 'link'):
        data, _ = huge_name(g, allow_mib=True)
        flen = g.opt(len(data), (len(data) + 2, 0xffffffff, 0x7ffffffe,
                                 len(data) // 2))
        info = L.name_info(data, length=flen, replace=g.pick((0, 1)))
        cls = L.FILE_RENAME_INFORMATION if how == 'rename' else \
            L.FILE_LINK_INFORMATION
        name = 'fuzz-hn-%d' % g.r.randrange(4)
        opts = L.FILE_NON_DIRECTORY_FILE | (0x1000 if how == 'rename'
                                            else 0)
        msgs.append(msg([
            elem(CREATE, L.create_body(name, L.FILE_OPEN_IF,
                                       L.GENERIC_RW_ACCESS | L.DELETE,
                                       opts)),
            elem(SET_INFO, L.set_info_body(ALL_ONES_FID, L.INFO_FILE, cls,
                                           info), hdr=related_hdr()),
            elem(CLOSE, L.close_body(ALL_ONES_FID), hdr=related_hdr())]))
    else:
        data, _ = huge_name(g)
        msgs.append(msg([elem(QUERY_DIRECTORY, L.query_directory_body(
            FID['dir'], data[:0xffff], flags=1))]))
    return {'kind': 'sess', 'dialect': g.pick(dialects), 'msgs': msgs,
            'how': how}


CLASSES = {
    'compound_budget': gen_compound_budget,
    'async_cancel': gen_async_cancel,
    'never_reading': gen_never_reading,
    'partial_frames': gen_partial_frames,
    'lock_flood': gen_lock_flood,
    'huge_names': gen_huge_names,
}
# The default mix: this share of the cases is of the classes above, each
# as often as it appears here; the rest is the basic mix.
DEFAULT_CLASS_SHARE = 0.12
CLASS_MIX = ('compound_budget', 'compound_budget', 'async_cancel',
             'async_cancel', 'never_reading', 'partial_frames',
             'partial_frames', 'lock_flood', 'lock_flood', 'huge_names',
             'huge_names')


def make_basic_case(g, kinds=('pre', 'neg', 'sess'),
                    dialects=(0x0210, 0x0311)):
    """A case of the basic mix: one of kinds, from the choices of g."""
    k = g.r.randrange(20)
    if 'pre' in kinds and (k < 2 or kinds == ('pre',)):
        return case_pre(g)
    if 'neg' in kinds and (k < 4 or 'sess' not in kinds):
        return case_neg(g)
    return case_sess(g, g.pick(dialects))


def make_case(g, kinds=('pre', 'neg', 'sess'), dialects=(0x0210, 0x0311),
              classes=None):
    """A new case from the random choices of g. classes: the names to
    choose from (those of CLASSES, and 'basic' for the basic mix); None
    is the default mix, where DEFAULT_CLASS_SHARE of the cases are of
    one of the CLASSES."""
    if classes is None:
        name = g.pick(CLASS_MIX) if g.chance(DEFAULT_CLASS_SHARE) \
            else 'basic'
    else:
        name = g.pick(classes)
    if name == 'basic':
        return make_basic_case(g, kinds, dialects)
    c = CLASSES[name](g, dialects)
    c['class'] = name
    return c
