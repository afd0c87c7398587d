#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 600
"""Malformed SMB2 traffic, made by hand with struct: CREATE in a real session:
names whose offset or length is out of range or odd, StructureSize 56,
create contexts whose offsets, lengths or NextEntryOffset are out of range
or wrap, a lease context too short.

Each case uses fresh connections. A "strict" case passes if the server
answers with an error status or closes the connection within a few
seconds; a "survive" case (marked in -l) accepts any answer or a close.
After every case a fresh impacket login must list the share and the
kernel log must stay clean (lib_malformed.py, README.md "Verdicts").

  malformed_create.py [CASE...]     (default: all cases; -l lists them)
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402
from lib_malformed import (  # noqa: E402
    case, main, session_case,)


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


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
