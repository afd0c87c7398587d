#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 900
"""Malformed SMB2 traffic, made by hand with struct.

Each case uses fresh connections and sends one kind of broken input: bad
framing, truncated or inconsistent headers, NEGOTIATE and negotiate
contexts out of range, SESSION_SETUP and NTLMSSP fields out of range,
broken compound chains, bad StructureSize, unknown commands, and CREATE,
WRITE, READ, IOCTL, QUERY_DIRECTORY, QUERY_INFO, SET_INFO, TREE_CONNECT and
LOCK requests whose offsets or lengths point outside the message.

For a "strict" case the server must answer with an error status (never
STATUS_SUCCESS) or close the connection, within a few seconds: a silent
server fails. A "survive" case accepts any answer (the input is odd but
may be legal) as long as there is one or the connection closes. After
every case a fresh impacket login must list the share and the kernel log
must show no new BUG/WARNING/Oops/...; if the server stops answering the
remaining cases are not run.

  malformed.py [CASE...]     (default: all cases; -l lists them)
"""

import os
import random
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

SEED = 20241125
TIMEOUT = 5.0
CASES = []


def case(strict=True, forbid=(L.STATUS_SUCCESS,)):
    """Register a case. The function gets a fresh RNG and returns
    (ok, how); strict/forbid are handed to it as keyword arguments."""
    def reg(fn):
        CASES.append((fn.__name__, fn, dict(strict=strict, forbid=forbid)))
        return fn
    return reg


# -- helpers ---------------------------------------------------------------

def fresh(negotiate=None):
    """A new raw connection, optionally after a normal NEGOTIATE."""
    c = L.RawConn(timeout=TIMEOUT)
    if negotiate:
        c.negotiate(negotiate)
    return c


def send_and_judge(conn, data, **judge):
    try:
        conn.send(data)
    except L.Closed:
        return True, 'connection closed while sending'
    except L.NoAnswer as e:
        return False, str(e)
    try:
        return L.expect_refusal(conn, timeout=TIMEOUT, **judge)
    finally:
        conn.close()


def raw_case(payload, negotiate=None, **judge):
    """Send payload (already framed) on a fresh connection and judge."""
    return send_and_judge(fresh(negotiate), payload, **judge)


def session_case(command, body, share=True, **judge):
    """One hand-made request inside a real session (and tree)."""
    s = L.RawSession(share=L.SHARE if share else None, timeout=TIMEOUT)
    return send_and_judge(s.raw, L.frame(s.packet(command, body)), **judge)


def file_case(make_body, directory=False, name=None, access=None, **judge):
    """Open a file (or directory) with impacket, then send one hand-made
    request for it: make_body(file_id) -> (command, body)."""
    s = L.RawSession(timeout=TIMEOUT)
    if name is None:
        name = '' if directory else 'malformed-%d.bin' % os.getpid()
    fid = s.open(name, directory=directory, access=access,
                 disposition=L.FILE_OPEN if directory else L.FILE_OPEN_IF)
    command, body = make_body(fid)
    return send_and_judge(s.raw, L.frame(s.packet(command, body)), **judge)


def compound_case(elements, trailer=b'', **judge):
    """A compound of (command, body, next_command or None) elements in a
    real session; None means the right (8-aligned) value."""
    s = L.RawSession(timeout=TIMEOUT)
    data = b''
    for i, (cmd, body, nxt) in enumerate(elements):
        last = i == len(elements) - 1
        size = L.HEADER_SIZE + len(body)
        pad = 0 if last else L.pad8(size)
        if nxt is None:
            nxt = 0 if last else size + pad
        p = L.header(cmd, message_id=s.next_mid(), session_id=s.sid,
                     tree_id=s.tid, next_command=nxt) + body + b'\0' * pad
        if s.signing:
            p = L.sign_smb2(p, s.key)
        data += p
    return send_and_judge(s.raw, L.frame(data + trailer), **judge)


# NTLMSSP, hand-made (impacket only wraps it in SPNEGO)
NTLM_FLAGS = 0xE0088215   # unicode, ntlm, sign, always sign, ESS, 128, 56, key exchange


def ntlm_negotiate_msg(flags=NTLM_FLAGS):
    return b'NTLMSSP\0' + struct.pack('<II', 1, flags) + \
        struct.pack('<HHI', 0, 0, 0) * 2


def ntlm_authenticate_msg(rng, nt=None, user=L.USER, key=None, msg_type=3,
                          override=None, flags=NTLM_FLAGS):
    """An AUTHENTICATE message; override maps a field (lm, nt, domain, user,
    ws, key) to the (length, offset) to write instead of the real one."""
    if nt is None:
        nt = ntlm_v2_response(rng)
    if key is None:
        key = bytes(rng.randrange(256) for _ in range(16))
    parts = [('lm', b'\0' * 24), ('nt', nt), ('domain', b''),
             ('user', user.encode('utf-16-le')), ('ws', b''), ('key', key)]
    base = 64
    buf = b''
    fields = b''
    for name, data in parts:
        ln, off = len(data), base + len(buf)
        if override and name in override:
            ln, off = override[name]
        fields += struct.pack('<HHI', ln, ln, off)
        buf += data
    return b'NTLMSSP\0' + struct.pack('<I', msg_type) + fields + \
        struct.pack('<I', flags) + buf


def ntlm_v2_response(rng, av_pairs=None):
    """A well-formed NTLMv2 response with a wrong proof."""
    proof = bytes(rng.randrange(256) for _ in range(16))
    if av_pairs is None:
        av_pairs = struct.pack('<HH', 0, 0)      # MsvAvEOL
    blob = struct.pack('<BB6sQ8sI', 1, 1, b'\0' * 6, 0x01DB000000000000,
                       bytes(rng.randrange(256) for _ in range(8)), 0)
    return proof + blob + av_pairs + b'\0' * 4


def spnego_init(token):
    from impacket.spnego import SPNEGO_NegTokenInit, TypesMech
    t = SPNEGO_NegTokenInit()
    t['MechTypes'] = [
        TypesMech['NTLMSSP - Microsoft NTLM Security Support Provider']]
    t['MechToken'] = token
    return t.getData()


def spnego_resp(token):
    from impacket.spnego import SPNEGO_NegTokenResp
    t = SPNEGO_NegTokenResp()
    t['ResponseToken'] = token
    return t.getData()


def ntlm_case(make_auth, **judge):
    """NEGOTIATE, a normal first SESSION_SETUP leg, then a hand-made
    AUTHENTICATE message from make_auth()."""
    c = fresh(L.DIALECTS_SMB2)
    c.send(L.frame(L.header(L.SESSION_SETUP, message_id=1) +
                   L.session_setup_body(spnego_init(ntlm_negotiate_msg()))))
    data, hs = c.recv_reply()
    if not hs or hs[0].status != L.STATUS_MORE_PROCESSING_REQUIRED:
        c.close()
        return False, 'no NTLM challenge for a normal first leg: %s' % (
            L.status_name(hs[0].status) if hs else 'no SMB2 reply')
    sid = hs[0].session_id
    msg = L.header(L.SESSION_SETUP, message_id=2, session_id=sid) + \
        L.session_setup_body(spnego_resp(make_auth()))
    return send_and_judge(c, L.frame(msg), **judge)


NEG_311 = dict(dialects=(0x0311,))


def neg_frame(**kw):
    return L.frame(L.negotiate_request(**kw))


# -- framing ---------------------------------------------------------------

@case()
def message_id_reused(rng, **j):
    """An ECHO that repeats the message id of the previous request: each
    id may be used once (MS-SMB2 3.3.5.2.3)."""
    s = L.RawSession(timeout=TIMEOUT)
    mid = s.next_mid()
    first = s.packet(L.ECHO, L.echo_body(), message_id=mid)
    s.raw.send(L.frame(first))
    s.raw.recv_reply(timeout=TIMEOUT)
    again = s.packet(L.ECHO, L.echo_body(), message_id=mid)
    return send_and_judge(s.raw, L.frame(again), **j)


@case()
def message_id_far_ahead(rng, **j):
    """A message id far beyond the credits granted."""
    s = L.RawSession(timeout=TIMEOUT)
    p = s.packet(L.ECHO, L.echo_body(), message_id=s.next_mid() + 1000000)
    return send_and_judge(s.raw, L.frame(p), **j)


@case()
def truncated_header_20_bytes(rng, **j):
    return raw_case(L.frame(L.SMB2_MAGIC + b'\0' * 16), **j)


@case()
def truncated_header_magic_only(rng, **j):
    return raw_case(L.frame(L.SMB2_MAGIC), **j)


@case()
def truncated_header_63_bytes(rng, **j):
    return raw_case(L.frame(L.header(L.NEGOTIATE)[:63]), **j)


@case()
def truncated_negotiate_body(rng, **j):
    return raw_case(L.frame(L.negotiate_request()[:64 + 10]), **j)


@case()
def random_garbage_frame(rng, **j):
    return raw_case(L.frame(bytes(rng.randrange(256) for _ in range(300))),
                    **j)


@case()
def bad_protocol_id(rng, **j):
    return raw_case(L.frame(b'\xfeSMC' + L.negotiate_request()[4:]), **j)


@case()
def smb1_truncated(rng, **j):
    return raw_case(L.frame(L.SMB1_MAGIC + b'\x72\0\0'), **j)


@case(strict=False, forbid=())
def empty_frame_then_negotiate(rng, **j):
    """A zero-length frame may be dropped, but the connection must then
    still work (or be closed)."""
    c = fresh()
    try:
        c.send(L.frame(b'') + neg_frame())
    except L.Closed:
        return True, 'connection closed while sending'
    return send_and_judge(c, b'', **j)


@case(strict=False, forbid=())
def length_too_long_then_close(rng, **j):
    """Announce 1000 bytes, send 100, close: nothing to see but the
    server must survive it (checked after the case)."""
    c = fresh()
    try:
        c.send(struct.pack('>I', 1000) + neg_frame()[4:104])
    except L.Closed:
        pass
    c.close()
    time.sleep(0.5)
    return True, 'sent a short frame and closed'


@case(strict=False, forbid=())
def length_too_long_no_early_answer(rng, **j):
    """An incomplete frame must not be answered: the server cannot know
    what it says yet."""
    c = fresh()
    try:
        c.send(struct.pack('>I', 1000) + neg_frame()[4:104])
        c.recv_frame(2.0)
        return False, 'the server answered an incomplete frame'
    except L.Closed:
        return True, 'connection closed'
    except L.NoAnswer:
        return True, 'waited for the rest of the frame'
    finally:
        c.close()


@case()
def length_16mib_minus_1_of_zeros(rng, **j):
    """The largest Direct TCP frame the 24-bit length allows, all zeros."""
    c = fresh()
    size = 0xFFFFFF
    chunk = b'\0' * (1 << 20)
    try:
        c.send(struct.pack('>I', size))
        left = size
        while left:
            n = min(left, len(chunk))
            c.send(chunk[:n])
            left -= n
    except L.Closed:
        c.close()
        return True, 'connection closed while sending'
    except L.NoAnswer:
        c.close()
        return False, 'the server stopped reading but kept the connection'
    return send_and_judge(c, b'', **j)


@case()
def length_over_16mib(rng, **j):
    """A 4-byte length of 16 MiB + n (the first byte is not zero, which
    Direct TCP forbids) followed by n bytes of a valid NEGOTIATE."""
    neg = L.negotiate_request()
    return raw_case(struct.pack('>I', 0x01000000 + len(neg)) + neg, **j)


# -- SMB2 header -----------------------------------------------------------

@case()
def header_structure_size_63(rng, **j):
    return raw_case(L.frame(L.header(L.NEGOTIATE, structure_size=63) +
                            L.negotiate_body()), **j)


@case()
def header_structure_size_0(rng, **j):
    return raw_case(L.frame(L.header(L.NEGOTIATE, structure_size=0) +
                            L.negotiate_body()), **j)


@case()
def response_flag_on_request(rng, **j):
    return raw_case(L.frame(L.header(L.NEGOTIATE, flags=L.FLAG_RESPONSE) +
                            L.negotiate_body()), **j)


@case()
def session_setup_before_negotiate(rng, **j):
    return raw_case(L.frame(L.header(L.SESSION_SETUP) +
                            L.session_setup_body(
                                spnego_init(ntlm_negotiate_msg()))), **j)


@case()
def unknown_command_0fff_unauthenticated(rng, **j):
    return raw_case(L.frame(L.header(0x0FFF, message_id=1) + b'\0' * 8),
                    negotiate=L.DIALECTS_SMB2, **j)


@case()
def create_without_session(rng, **j):
    return raw_case(L.frame(L.header(L.CREATE, message_id=1) +
                            L.create_body('x')),
                    negotiate=L.DIALECTS_SMB2, **j)


@case()
def tree_connect_without_session(rng, **j):
    return raw_case(L.frame(L.header(L.TREE_CONNECT, message_id=1) +
                            L.tree_connect_body('\\\\%s\\%s' % (
                                L.HOST, L.SHARE))),
                    negotiate=L.DIALECTS_SMB2, **j)


@case()
def second_negotiate(rng, **j):
    return raw_case(L.frame(L.header(L.NEGOTIATE, message_id=1) +
                            L.negotiate_body()),
                    negotiate=L.DIALECTS_SMB2, **j)


@case()
def transform_header_unauthenticated(rng, **j):
    th = L.SMB2_TRANSFORM_MAGIC + bytes(16) + bytes(16) + \
        struct.pack('<IHHQ', 0xFFFFFFFF, 0, 1, 0x1234)
    return raw_case(L.frame(th + bytes(64)), negotiate=L.DIALECTS_ALL, **j)


@case()
def compression_header_bogus(rng, **j):
    ch = L.SMB2_COMPRESSION_MAGIC + struct.pack('<IHHI', 0xFFFFFFFF, 1, 0, 0)
    return raw_case(L.frame(ch + bytes(rng.randrange(256) for _ in range(64))),
                    negotiate=L.DIALECTS_ALL, **j)


# -- NEGOTIATE -------------------------------------------------------------

@case()
def negotiate_structure_size_35(rng, **j):
    return raw_case(neg_frame(structure_size=35), **j)


@case()
def negotiate_dialect_count_past_end(rng, **j):
    return raw_case(neg_frame(dialect_count=100), **j)


@case()
def negotiate_dialect_count_ffff(rng, **j):
    return raw_case(neg_frame(dialect_count=0xFFFF), **j)


@case()
def negotiate_dialect_count_zero(rng, **j):
    return raw_case(neg_frame(dialects=(), dialect_count=0), **j)


@case()
def negotiate_no_known_dialect(rng, **j):
    return raw_case(neg_frame(dialects=(0x0100, 0x0999)), **j)


@case()
def negotiate_ctx_offset_past_end(rng, **j):
    return raw_case(neg_frame(ctx_offset=0x10000, **NEG_311), **j)


@case()
def negotiate_ctx_offset_ffffffff(rng, **j):
    return raw_case(neg_frame(ctx_offset=0xFFFFFFFF, **NEG_311), **j)


@case()
def negotiate_ctx_offset_into_header(rng, **j):
    return raw_case(neg_frame(ctx_offset=8, ctx_count=1, **NEG_311), **j)


@case()
def negotiate_ctx_length_past_end(rng, **j):
    return raw_case(neg_frame(contexts=[L.preauth_context(
        data_length=0xFFF0)], **NEG_311), **j)


@case()
def negotiate_ctx_header_cut(rng, **j):
    """The only context is cut off in the middle of its 8-byte header."""
    msg = L.negotiate_request(**NEG_311)
    ctx_off = struct.unpack_from('<I', msg, 64 + 28)[0]
    return raw_case(L.frame(msg[:ctx_off + 4]), **j)


@case(strict=False, forbid=())
def negotiate_ctx_count_past_end(rng, **j):
    return raw_case(neg_frame(ctx_count=0xFFFF, **NEG_311), **j)


@case()
def negotiate_preauth_hash_count_past_end(rng, **j):
    return raw_case(neg_frame(contexts=[L.preauth_context(
        hash_count=0x4000)], **NEG_311), **j)


@case()
def negotiate_preauth_hash_count_zero(rng, **j):
    return raw_case(neg_frame(contexts=[L.preauth_context(
        algorithms=(), hash_count=0)], **NEG_311), **j)


@case()
def negotiate_preauth_salt_past_end(rng, **j):
    """SaltLength beyond the context: the context is malformed."""
    return raw_case(neg_frame(contexts=[L.preauth_context(
        salt_length=0xFFFF)], **NEG_311), **j)


@case()
def negotiate_preauth_unknown_hash(rng, **j):
    return raw_case(neg_frame(contexts=[L.preauth_context(
        algorithms=(0x7777,))], **NEG_311), **j)


@case()
def negotiate_311_without_preauth(rng, **j):
    return raw_case(neg_frame(contexts=[L.encryption_context()], **NEG_311),
                    **j)


@case(strict=False, forbid=())
def negotiate_cipher_count_past_end(rng, **j):
    return raw_case(neg_frame(contexts=[
        L.preauth_context(), L.encryption_context(cipher_count=0x1000)],
        **NEG_311), **j)


@case(strict=False, forbid=())
def negotiate_many_contexts(rng, **j):
    ctxs = [L.preauth_context()] + [L.neg_context(0x7000 + i, b'\0' * 4)
                                    for i in range(200)]
    return raw_case(neg_frame(contexts=ctxs, **NEG_311), **j)


# -- SESSION_SETUP -----------------------------------------------------------

def ss_frame(mid=1, **kw):
    return L.frame(L.header(L.SESSION_SETUP, message_id=mid) +
                   L.session_setup_body(**kw))


SS_FORBID = (L.STATUS_SUCCESS, L.STATUS_MORE_PROCESSING_REQUIRED)


@case(forbid=SS_FORBID)
def session_setup_secbuf_offset_past_end(rng, **j):
    return raw_case(ss_frame(blob=spnego_init(ntlm_negotiate_msg()),
                             sec_offset=0xFFF0),
                    negotiate=L.DIALECTS_SMB2, **j)


@case(forbid=SS_FORBID)
def session_setup_secbuf_length_past_end(rng, **j):
    return raw_case(ss_frame(blob=spnego_init(ntlm_negotiate_msg()),
                             sec_length=0xFFFF),
                    negotiate=L.DIALECTS_SMB2, **j)


@case(forbid=SS_FORBID)
def session_setup_secbuf_in_header(rng, **j):
    return raw_case(ss_frame(blob=bytes(24), sec_offset=0, sec_length=88),
                    negotiate=L.DIALECTS_SMB2, **j)


@case(forbid=SS_FORBID)
def session_setup_garbage_blob(rng, **j):
    return raw_case(ss_frame(blob=bytes(rng.randrange(256)
                                        for _ in range(200))),
                    negotiate=L.DIALECTS_SMB2, **j)


@case(forbid=SS_FORBID)
def session_setup_spnego_length_lies(rng, **j):
    """A SPNEGO token whose outer ASN.1 length claims far more than is
    there."""
    blob = bytearray(spnego_init(ntlm_negotiate_msg()))
    blob[1:2] = b'\x84\x7f\xff\xff\xff'
    return raw_case(ss_frame(blob=bytes(blob)),
                    negotiate=L.DIALECTS_SMB2, **j)


@case()
def session_setup_structure_size_24(rng, **j):
    return raw_case(ss_frame(blob=spnego_init(ntlm_negotiate_msg()),
                             structure_size=24),
                    negotiate=L.DIALECTS_SMB2, **j)


@case()
def ntlm_auth_wrong_proof(rng, **j):
    return ntlm_case(lambda: ntlm_authenticate_msg(rng), **j)


@case()
def ntlm_auth_nt_offset_past_end(rng, **j):
    return ntlm_case(lambda: ntlm_authenticate_msg(
        rng, override={'nt': (64, 0xFFF0)}), **j)


@case()
def ntlm_auth_user_length_past_end(rng, **j):
    return ntlm_case(lambda: ntlm_authenticate_msg(
        rng, override={'user': (0xFFF0, 64)}), **j)


@case()
def ntlm_auth_key_length_past_end(rng, **j):
    return ntlm_case(lambda: ntlm_authenticate_msg(
        rng, override={'key': (0xFFFF, 64)}), **j)


@case()
def ntlm_auth_nt_response_8_bytes(rng, **j):
    return ntlm_case(lambda: ntlm_authenticate_msg(rng, nt=b'\x01' * 8), **j)


@case()
def ntlm_auth_nt_v2_blob_cut(rng, **j):
    return ntlm_case(lambda: ntlm_authenticate_msg(
        rng, nt=bytes(16) + b'\x01\x01'), **j)


@case()
def ntlm_auth_av_pair_length_past_end(rng, **j):
    return ntlm_case(lambda: ntlm_authenticate_msg(
        rng, nt=ntlm_v2_response(rng, struct.pack('<HH', 2, 0xFFFF) +
                                 b'A\0')), **j)


@case()
def ntlm_auth_message_type_2(rng, **j):
    return ntlm_case(lambda: ntlm_authenticate_msg(rng, msg_type=2), **j)


@case()
def ntlm_auth_truncated(rng, **j):
    return ntlm_case(lambda: ntlm_authenticate_msg(rng)[:40], **j)


# -- compound chains (in a real session) -------------------------------------

ECHO = (L.ECHO, L.echo_body())


@case(forbid=())
def next_command_misaligned(rng, **j):
    return compound_case([ECHO + (68,), ECHO + (None,)], **j)


@case(forbid=())
def next_command_past_end(rng, **j):
    return compound_case([ECHO + (0x10000,)], **j)


@case(forbid=())
def next_command_ffffffff(rng, **j):
    return compound_case([ECHO + (0xFFFFFFF8,), ECHO + (None,)], **j)


@case(forbid=())
def next_command_into_header(rng, **j):
    return compound_case([ECHO + (8,), ECHO + (None,)], **j)


@case(forbid=())
def next_command_cuts_body(rng, **j):
    """NextCommand 64: the next header starts where the body should."""
    return compound_case([(L.ECHO, b'', 64), ECHO + (None,)], **j)


@case(forbid=())
def next_command_loops_back(rng, **j):
    """The second element's NextCommand wraps around (u32) to the first."""
    return compound_case([ECHO + (None,), ECHO + (0x100000000 - 72,),
                          ECHO + (None,)], **j)


@case(forbid=())
def next_command_last_truncated(rng, **j):
    return compound_case([ECHO + (72,)], trailer=bytes(4) +
                         L.header(L.ECHO)[:20], **j)


# -- other commands in a real session ----------------------------------------

@case()
def echo_structure_size_5(rng, **j):
    return session_case(L.ECHO, L.echo_body(structure_size=5), **j)


@case()
def unknown_command_0013(rng, **j):
    return session_case(0x0013, bytes(8), **j)


@case()
def unknown_command_0fff(rng, **j):
    return session_case(0x0FFF, bytes(8), **j)


@case()
def unknown_command_ffff(rng, **j):
    return session_case(0xFFFF, bytes(8), **j)


@case()
def tree_connect_path_offset_past_end(rng, **j):
    return session_case(L.TREE_CONNECT, L.tree_connect_body(
        '\\\\%s\\%s' % (L.HOST, L.SHARE), path_offset=0xFFF0),
        share=False, **j)


@case()
def tree_connect_path_length_past_end(rng, **j):
    return session_case(L.TREE_CONNECT, L.tree_connect_body(
        '\\\\%s\\%s' % (L.HOST, L.SHARE), path_length=0xFFF0),
        share=False, **j)


@case()
def tree_connect_path_length_odd(rng, **j):
    path = '\\\\%s\\%s' % (L.HOST, L.SHARE)
    return session_case(L.TREE_CONNECT, L.tree_connect_body(
        path, path_length=len(path) * 2 - 1), share=False, **j)


def create_name():
    return 'malformed-create-%d.txt' % os.getpid()


@case()
def create_name_offset_past_end(rng, **j):
    return session_case(L.CREATE, L.create_body(
        create_name(), L.FILE_OPEN_IF, L.GENERIC_RW_ACCESS,
        name_offset=0xFFF0), **j)


@case()
def create_name_length_past_end(rng, **j):
    return session_case(L.CREATE, L.create_body(
        create_name(), L.FILE_OPEN_IF, L.GENERIC_RW_ACCESS,
        name_length=0xFFFE), **j)


@case()
def create_name_length_odd(rng, **j):
    n = create_name()
    return session_case(L.CREATE, L.create_body(
        n, L.FILE_OPEN_IF, L.GENERIC_RW_ACCESS,
        name_length=len(n) * 2 - 1), **j)


@case()
def create_name_offset_into_header(rng, **j):
    return session_case(L.CREATE, L.create_body(
        create_name(), L.FILE_OPEN, name_offset=0, name_length=32), **j)


@case()
def create_structure_size_56(rng, **j):
    return session_case(L.CREATE, L.create_body(
        create_name(), L.FILE_OPEN_IF, L.GENERIC_RW_ACCESS,
        structure_size=56), **j)


MXAC = L.create_context(b'MxAc')


@case()
def create_context_offset_past_end(rng, **j):
    return session_case(L.CREATE, L.create_body(
        create_name(), L.FILE_OPEN_IF, L.GENERIC_RW_ACCESS, contexts=MXAC,
        ctx_offset=0xFFF0), **j)


@case()
def create_context_length_past_end(rng, **j):
    return session_case(L.CREATE, L.create_body(
        create_name(), L.FILE_OPEN_IF, L.GENERIC_RW_ACCESS, contexts=MXAC,
        ctx_length=0xFFFF), **j)


@case()
def create_context_next_wraps(rng, **j):
    ctx = L.create_context(b'MxAc', next_offset=0xFFFFFFF8)
    ctx += b'\0' * L.pad8(len(ctx)) + L.create_context(b'QFid')
    return session_case(L.CREATE, L.create_body(
        create_name(), L.FILE_OPEN_IF, L.GENERIC_RW_ACCESS, contexts=ctx),
        **j)


@case()
def create_context_next_past_end(rng, **j):
    ctx = L.create_context(b'MxAc', next_offset=0x1000)
    return session_case(L.CREATE, L.create_body(
        create_name(), L.FILE_OPEN_IF, L.GENERIC_RW_ACCESS, contexts=ctx),
        **j)


@case()
def create_context_name_past_end(rng, **j):
    ctx = L.create_context(b'MxAc', name_offset=16, name_length=0x1000)
    return session_case(L.CREATE, L.create_body(
        create_name(), L.FILE_OPEN_IF, L.GENERIC_RW_ACCESS, contexts=ctx),
        **j)


@case()
def create_context_data_past_end(rng, **j):
    ctx = L.create_context(b'MxAc', data=bytes(8), data_length=0x10000)
    return session_case(L.CREATE, L.create_body(
        create_name(), L.FILE_OPEN_IF, L.GENERIC_RW_ACCESS, contexts=ctx),
        **j)


@case(strict=False, forbid=())
def create_context_lease_too_short(rng, **j):
    """A lease request context with 4 bytes of data (it needs 32 or 52)."""
    ctx = L.create_context(b'RqLs', data=bytes(4))
    return session_case(L.CREATE, L.create_body(
        create_name(), L.FILE_OPEN_IF, L.GENERIC_RW_ACCESS, contexts=ctx,
        oplock=0xFF), **j)


@case()
def write_data_offset_past_end(rng, **j):
    return file_case(lambda fid: (L.WRITE, L.write_body(
        fid, b'x' * 16, data_offset=0xFFF0)), **j)


@case()
def write_length_past_end(rng, **j):
    return file_case(lambda fid: (L.WRITE, L.write_body(
        fid, b'x' * 16, length=0x100000)), **j)


@case(strict=False, forbid=())
def write_data_offset_into_header(rng, **j):
    """Data taken from the header itself: odd but within the message."""
    return file_case(lambda fid: (L.WRITE, L.write_body(
        fid, b'x' * 16, data_offset=0, length=64)), **j)


@case()
def read_length_2gib(rng, **j):
    return file_case(lambda fid: (L.READ, L.read_body(fid, 0x7FFFFFFF)),
                     **j)


@case()
def read_offset_huge(rng, **j):
    """Reading at offset 2^63-1: end of file or invalid, never success."""
    return file_case(lambda fid: (L.READ, L.read_body(
        fid, 4096, offset=0x7FFFFFFFFFFFFFFF)), **j)


def ioctl_body(ctl, file_id, data, in_offset=None, in_count=None,
               max_out=1024):
    off = L.HEADER_SIZE + 56
    return struct.pack('<HHI16sIIIIIIII', 57, 0, ctl, file_id,
                       off if in_offset is None else in_offset,
                       len(data) if in_count is None else in_count, 0,
                       0, 0, max_out, 1, 0) + (data or b'\0')


FSCTL_VALIDATE_NEGOTIATE_INFO = 0x00140204
FSCTL_SRV_COPYCHUNK_WRITE = 0x001480F2
ALL_FF = b'\xff' * 16


def validate_negotiate_data():
    return struct.pack('<I16sHH', 0, b'ksmbd-test-guid!', 1, 2) + \
        struct.pack('<HH', 0x0202, 0x0210)


@case()
def ioctl_input_offset_past_end(rng, **j):
    return session_case(L.IOCTL, ioctl_body(
        FSCTL_VALIDATE_NEGOTIATE_INFO, ALL_FF, validate_negotiate_data(),
        in_offset=0xFFF0), **j)


@case()
def ioctl_input_count_past_end(rng, **j):
    return session_case(L.IOCTL, ioctl_body(
        FSCTL_VALIDATE_NEGOTIATE_INFO, ALL_FF, validate_negotiate_data(),
        in_count=0x10000), **j)


@case()
def ioctl_validate_negotiate_dialect_count_lies(rng, **j):
    data = struct.pack('<I16sHH', 0, b'ksmbd-test-guid!', 1, 0x7FFF) + \
        struct.pack('<H', 0x0210)
    return session_case(L.IOCTL, ioctl_body(
        FSCTL_VALIDATE_NEGOTIATE_INFO, ALL_FF, data), **j)


@case()
def ioctl_copychunk_count_lies(rng, **j):
    """A copychunk request claiming 0xFFFF chunks with room for one."""
    data = bytes(24) + struct.pack('<II', 0xFFFF, 0) + \
        struct.pack('<QQII', 0, 0, 4096, 0)
    return file_case(lambda fid: (L.IOCTL, ioctl_body(
        FSCTL_SRV_COPYCHUNK_WRITE, fid, data)), **j)


def query_directory_body(file_id, pattern, name_offset=None,
                         name_length=None, out_len=65536):
    data = pattern.encode('utf-16-le')
    off = L.HEADER_SIZE + 32
    return struct.pack('<HBBI16sHHI', 33, 37, 1, 0, file_id,
                       off if name_offset is None else name_offset,
                       len(data) if name_length is None else name_length,
                       out_len) + (data or b'\0')


@case()
def query_directory_name_offset_past_end(rng, **j):
    return file_case(lambda fid: (L.QUERY_DIRECTORY, query_directory_body(
        fid, '*', name_offset=0xFFF0)), directory=True, **j)


@case()
def query_directory_name_length_past_end(rng, **j):
    return file_case(lambda fid: (L.QUERY_DIRECTORY, query_directory_body(
        fid, '*', name_length=0xFFF0)), directory=True, **j)


@case()
def query_directory_bad_class(rng, **j):
    def body(fid):
        b = bytearray(query_directory_body(fid, '*'))
        b[2] = 0xEE
        return L.QUERY_DIRECTORY, bytes(b)
    return file_case(body, directory=True, **j)


def query_info_body(file_id, info_type, klass, data=b'', in_offset=None,
                    in_length=None, out_len=4096):
    off = L.HEADER_SIZE + 40
    return struct.pack('<HBBIHHIII16s', 41, info_type, klass, out_len,
                       (off if data else 0) if in_offset is None
                       else in_offset, 0,
                       len(data) if in_length is None else in_length, 0, 0,
                       file_id) + (data or b'\0')


@case(strict=False, forbid=())
def query_info_input_past_end(rng, **j):
    """A FileFullEaInformation query with an EA list outside the message."""
    return file_case(lambda fid: (L.QUERY_INFO, query_info_body(
        fid, 1, 15, b'\0' * 12, in_offset=0xFFF0)), **j)


@case()
def query_info_bad_class(rng, **j):
    return file_case(lambda fid: (L.QUERY_INFO, query_info_body(
        fid, 1, 0xEE)), **j)


@case()
def query_info_bad_info_type(rng, **j):
    return file_case(lambda fid: (L.QUERY_INFO, query_info_body(
        fid, 9, 4)), **j)


def set_info_body(file_id, info_type, klass, data, buf_offset=None,
                  buf_length=None):
    off = L.HEADER_SIZE + 32
    return struct.pack('<HBBIHHI16s', 33, info_type, klass,
                       len(data) if buf_length is None else buf_length,
                       off if buf_offset is None else buf_offset, 0, 0,
                       file_id) + (data or b'\0')


BASIC_INFO = struct.pack('<QQQQII', 0, 0, 0, 0, 0, 0)


@case()
def set_info_buffer_offset_past_end(rng, **j):
    return file_case(lambda fid: (L.SET_INFO, set_info_body(
        fid, 1, 4, BASIC_INFO, buf_offset=0xFFF0)), **j)


@case()
def set_info_buffer_length_past_end(rng, **j):
    return file_case(lambda fid: (L.SET_INFO, set_info_body(
        fid, 1, 4, BASIC_INFO, buf_length=0x10000)), **j)


@case()
def set_info_basic_too_short(rng, **j):
    return file_case(lambda fid: (L.SET_INFO, set_info_body(
        fid, 1, 4, BASIC_INFO[:8])), **j)


@case()
def set_info_rename_name_length_lies(rng, **j):
    name = 'renamed.txt'.encode('utf-16-le')
    info = struct.pack('<B7sQI', 0, bytes(7), 0, 0xFFFFFFF0) + name
    return file_case(lambda fid: (L.SET_INFO, set_info_body(
        fid, 1, 10, info)), access=L.GENERIC_RW_ACCESS | L.DELETE, **j)


@case()
def set_info_end_of_file_negative(rng, **j):
    return file_case(lambda fid: (L.SET_INFO, set_info_body(
        fid, 1, 20, struct.pack('<q', -4096))), **j)


def lock_body(file_id, locks, lock_count=None):
    return struct.pack('<HHI16s', 48, len(locks) if lock_count is None
                       else lock_count, 0, file_id) + b''.join(
        struct.pack('<QQII', off, ln, flags, 0) for off, ln, flags in locks)


@case()
def lock_count_past_end(rng, **j):
    return file_case(lambda fid: (L.LOCK, lock_body(
        fid, [(0, 10, 2 | 0x10)], lock_count=0xFFFF)), **j)


@case()
def lock_count_zero(rng, **j):
    return file_case(lambda fid: (L.LOCK, lock_body(
        fid, [], lock_count=0) + bytes(24)), **j)


@case()
def lock_range_wraps(rng, **j):
    """Offset + Length overflows 64 bits: STATUS_INVALID_LOCK_RANGE."""
    return file_case(lambda fid: (L.LOCK, lock_body(
        fid, [(0xFFFFFFFFFFFFFFF0, 0x100, 2 | 0x10)])), **j)


@case()
def close_unknown_file_id(rng, **j):
    return session_case(L.CLOSE, L.close_body(
        bytes(rng.randrange(256) for _ in range(16))), **j)


# -- driver ----------------------------------------------------------------

def main(argv):
    if argv[:1] == ['-l']:
        for name, _, opts in CASES:
            print(name, '' if opts['strict'] else '(survive)')
        return 0
    L.need_impacket()
    wanted = set(argv)
    unknown = wanted - {n for n, _, _ in CASES}
    if unknown:
        print('unknown case(s): ' + ', '.join(sorted(unknown)))
        return 2
    chk = L.Checker()
    klog = L.KernelLog()
    if not klog.usable:
        chk.note('cannot read the kernel log: not checking it per case')
    up, why = L.server_answers()
    if not chk.ok(up, 'the server answers before the first case', why):
        chk.finish()
    chk.note('seed %d, reply timeout %gs' % (SEED, TIMEOUT))
    for name, fn, opts in CASES:
        if wanted and name not in wanted:
            continue
        print('case %s%s' % (name, '' if opts['strict'] else ' (survive)'),
              flush=True)
        rng = random.Random('%d:%s' % (SEED, name))
        t = time.monotonic()
        try:
            ok, how = fn(rng, **opts)
        except Exception as e:
            ok, how = False, 'case could not run: %s: %s' % (
                type(e).__name__, e)
        chk.ok(ok, name, how)
        if ok:
            chk.note('  %s (%.1fs)' % (how, time.monotonic() - t))
        up, why = L.server_answers()
        if not chk.ok(up, name + ': server still answers', why):
            chk.note('the server stopped answering: not running the rest')
            break
        if klog.usable:
            bad = klog.new_problems()
            chk.ok(not bad, name + ': kernel log clean', '\n    '.join(bad))
    for f in os.listdir(L.SHARE_DIR) if os.path.isdir(L.SHARE_DIR) else ():
        if f.startswith('malformed-'):
            try:
                os.unlink(os.path.join(L.SHARE_DIR, f))
            except OSError:
                pass
    chk.finish()


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
