#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 600
"""Malformed SMB2 traffic, made by hand with struct: NEGOTIATE: StructureSize,
DialectCount past the end, zero or 0xffff, no known dialect, negotiate
contexts whose offset, length or count is out of range, preauth integrity
and encryption contexts with counts or salts past the end, an unknown hash,
3.1.1 without preauth, many contexts.

Each case uses fresh connections. A "strict" case passes if the server
answers with an error status or closes the connection within a few
seconds; a "survive" case (marked in -l) accepts any answer or a close.
After every case a fresh impacket login must list the share and the
kernel log must stay clean (lib_malformed.py, README.md "Verdicts").

  malformed_negotiate.py [CASE...]     (default: all cases; -l lists them)
"""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402
from lib_malformed import (  # noqa: E402
    NEG_311, case, main, neg_frame, raw_case,)


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


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
