#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 600
"""Malformed SMB2 traffic, made by hand with struct: SESSION_SETUP after
NEGOTIATE: security buffers out of range or in the header, garbage and lying
SPNEGO, StructureSize 24, and NTLMSSP AUTHENTICATE messages with a wrong
proof, fields past the end, a short or cut NTLMv2 response, AV pairs past
the end, the wrong message type, a truncated message.

Each case uses fresh connections. A "strict" case passes if the server
answers with an error status or closes the connection within a few
seconds; a "survive" case (marked in -l) accepts any answer or a close.
After every case a fresh impacket login must list the share and the
kernel log must stay clean (lib_malformed.py, README.md "Verdicts").

  malformed_session_setup.py [CASE...]     (default: all cases; -l lists them)
"""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402
from lib_malformed import (  # noqa: E402
    case, main, ntlm_authenticate_msg, ntlm_case, ntlm_negotiate_msg,
    ntlm_v2_response, raw_case, spnego_init,)


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


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
