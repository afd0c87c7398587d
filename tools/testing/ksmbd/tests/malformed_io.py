#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 600
"""Malformed SMB2 traffic, made by hand with struct: WRITE, READ and IOCTL on
an open file: data offsets and lengths past the end, a 2 GiB read, a huge
offset, IOCTL input out of range, VALIDATE_NEGOTIATE_INFO and COPYCHUNK
counts that lie.

Each case uses fresh connections. A "strict" case passes if the server
answers with an error status or closes the connection within a few
seconds; a "survive" case (marked in -l) accepts any answer or a close.
After every case a fresh impacket login must list the share and the
kernel log must stay clean (lib_malformed.py, README.md "Verdicts").

  malformed_io.py [CASE...]     (default: all cases; -l lists them)
"""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402
from lib_malformed import (  # noqa: E402
    case, file_case, main, session_case,)


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




def validate_negotiate_data():
    return struct.pack('<I16sHH', 0, b'ksmbd-test-guid!', 1, 2) + \
        struct.pack('<HH', 0x0202, 0x0210)


@case()
def ioctl_input_offset_past_end(rng, **j):
    return session_case(L.IOCTL, L.ioctl_body(
        L.FSCTL_VALIDATE_NEGOTIATE_INFO, L.RELATED_FID, validate_negotiate_data(),
        in_offset=0xFFF0), **j)


@case()
def ioctl_input_count_past_end(rng, **j):
    return session_case(L.IOCTL, L.ioctl_body(
        L.FSCTL_VALIDATE_NEGOTIATE_INFO, L.RELATED_FID, validate_negotiate_data(),
        in_count=0x10000), **j)


@case()
def ioctl_validate_negotiate_dialect_count_lies(rng, **j):
    data = struct.pack('<I16sHH', 0, b'ksmbd-test-guid!', 1, 0x7FFF) + \
        struct.pack('<H', 0x0210)
    return session_case(L.IOCTL, L.ioctl_body(
        L.FSCTL_VALIDATE_NEGOTIATE_INFO, L.RELATED_FID, data), **j)


@case()
def ioctl_copychunk_count_lies(rng, **j):
    """A copychunk request claiming 0xFFFF chunks with room for one."""
    data = bytes(24) + struct.pack('<II', 0xFFFF, 0) + \
        struct.pack('<QQII', 0, 0, 4096, 0)
    return file_case(lambda fid: (L.IOCTL, L.ioctl_body(
        L.FSCTL_SRV_COPYCHUNK_WRITE, fid, data)), **j)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
