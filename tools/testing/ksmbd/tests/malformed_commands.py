#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 600
"""Malformed SMB2 traffic, made by hand with struct: ECHO with a bad
StructureSize, unknown commands (0x13, 0xfff, 0xffff) and TREE_CONNECT paths
out of range or of odd length, in a real session.

Each case uses fresh connections. A "strict" case passes if the server
answers with an error status or closes the connection within a few
seconds; a "survive" case (marked in -l) accepts any answer or a close.
After every case a fresh impacket login must list the share and the
kernel log must stay clean (lib_malformed.py, README.md "Verdicts").

  malformed_commands.py [CASE...]     (default: all cases; -l lists them)
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402
from lib_malformed import (  # noqa: E402
    case, main, session_case,)


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


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
