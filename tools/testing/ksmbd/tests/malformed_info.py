#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 600
"""Malformed SMB2 traffic, made by hand with struct: QUERY_DIRECTORY,
QUERY_INFO, SET_INFO, LOCK and CLOSE on an open file: name and buffer
offsets and lengths out of range, unknown classes and info types, buffers
too short, a rename whose name length lies, a negative end of file, lock
counts past the end or zero, a range that wraps, an unknown file id.

Each case uses fresh connections. A "strict" case passes if the server
answers with an error status or closes the connection within a few
seconds; a "survive" case (marked in -l) accepts any answer or a close.
After every case a fresh impacket login must list the share and the
kernel log must stay clean (lib_malformed.py, README.md "Verdicts").

  malformed_info.py [CASE...]     (default: all cases; -l lists them)
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
def query_directory_name_offset_past_end(rng, **j):
    return file_case(lambda fid: (L.QUERY_DIRECTORY, L.query_directory_body(
        fid, '*', name_offset=0xFFF0)), directory=True, **j)


@case()
def query_directory_name_length_past_end(rng, **j):
    return file_case(lambda fid: (L.QUERY_DIRECTORY, L.query_directory_body(
        fid, '*', name_length=0xFFF0)), directory=True, **j)


@case()
def query_directory_bad_class(rng, **j):
    def body(fid):
        b = bytearray(L.query_directory_body(fid, '*'))
        b[2] = 0xEE
        return L.QUERY_DIRECTORY, bytes(b)
    return file_case(body, directory=True, **j)


@case(strict=False, forbid=())
def query_info_input_past_end(rng, **j):
    """A FileFullEaInformation query with an EA list outside the message."""
    return file_case(lambda fid: (L.QUERY_INFO, L.query_info_body(
        fid, 1, 15, b'\0' * 12, in_offset=0xFFF0)), **j)


@case()
def query_info_bad_class(rng, **j):
    return file_case(lambda fid: (L.QUERY_INFO, L.query_info_body(
        fid, 1, 0xEE)), **j)


@case()
def query_info_bad_info_type(rng, **j):
    return file_case(lambda fid: (L.QUERY_INFO, L.query_info_body(
        fid, 9, 4)), **j)


BASIC_INFO = struct.pack('<QQQQII', 0, 0, 0, 0, 0, 0)


@case()
def set_info_buffer_offset_past_end(rng, **j):
    return file_case(lambda fid: (L.SET_INFO, L.set_info_body(
        fid, 1, 4, BASIC_INFO, buf_offset=0xFFF0)), **j)


@case()
def set_info_buffer_length_past_end(rng, **j):
    return file_case(lambda fid: (L.SET_INFO, L.set_info_body(
        fid, 1, 4, BASIC_INFO, buf_length=0x10000)), **j)


@case()
def set_info_basic_too_short(rng, **j):
    return file_case(lambda fid: (L.SET_INFO, L.set_info_body(
        fid, 1, 4, BASIC_INFO[:8])), **j)


@case()
def set_info_rename_name_length_lies(rng, **j):
    name = 'renamed.txt'.encode('utf-16-le')
    info = struct.pack('<B7sQI', 0, bytes(7), 0, 0xFFFFFFF0) + name
    return file_case(lambda fid: (L.SET_INFO, L.set_info_body(
        fid, 1, 10, info)), access=L.GENERIC_RW_ACCESS | L.DELETE, **j)


@case()
def set_info_end_of_file_negative(rng, **j):
    return file_case(lambda fid: (L.SET_INFO, L.set_info_body(
        fid, 1, 20, struct.pack('<q', -4096))), **j)


@case()
def lock_count_past_end(rng, **j):
    return file_case(lambda fid: (L.LOCK, L.lock_body(
        fid, [(0, 10, 2 | 0x10)], lock_count=0xFFFF)), **j)


@case()
def lock_count_zero(rng, **j):
    return file_case(lambda fid: (L.LOCK, L.lock_body(
        fid, [], lock_count=0) + bytes(24)), **j)


@case()
def lock_range_wraps(rng, **j):
    """Offset + Length overflows 64 bits: STATUS_INVALID_LOCK_RANGE."""
    return file_case(lambda fid: (L.LOCK, L.lock_body(
        fid, [(0xFFFFFFFFFFFFFFF0, 0x100, 2 | 0x10)])), **j)


@case()
def close_unknown_file_id(rng, **j):
    return session_case(L.CLOSE, L.close_body(
        bytes(rng.randrange(256) for _ in range(16))), **j)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
