#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 600
"""Malformed SMB2 traffic, made by hand with struct: framing and the SMB2
header, before and after NEGOTIATE: truncated headers, frame lengths that
lie (over the data, 16 MiB - 1 of zeros, over 16 MiB), empty frames, bad
protocol ids and StructureSize, the response flag on a request, message ids
reused or far ahead, commands before NEGOTIATE or without a session, a
second NEGOTIATE, transform and compression headers without a session.

Each case uses fresh connections. A "strict" case passes if the server
answers with an error status or closes the connection within a few
seconds; a "survive" case (marked in -l) accepts any answer or a close.
After every case a fresh impacket login must list the share and the
kernel log must stay clean (lib_malformed.py, README.md "Verdicts").

  malformed_framing.py [CASE...]     (default: all cases; -l lists them)
"""

import os
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402
from lib_malformed import (  # noqa: E402
    TIMEOUT, case, fresh, main, neg_frame, ntlm_negotiate_msg, raw_case,
    send_and_judge, spnego_init,)


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


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
