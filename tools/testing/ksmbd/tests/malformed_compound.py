#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 600
"""Malformed SMB2 traffic, made by hand with struct: compound chains in a real
session: NextCommand misaligned, past the end, 0xfffffff8, into the header,
cutting a body, looping back (u32 wrap) and a last element cut short.

Each case uses fresh connections. A "strict" case passes if the server
answers with an error status or closes the connection within a few
seconds; a "survive" case (marked in -l) accepts any answer or a close.
After every case a fresh impacket login must list the share and the
kernel log must stay clean (lib_malformed.py, README.md "Verdicts").

  malformed_compound.py [CASE...]     (default: all cases; -l lists them)
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402
from lib_malformed import (  # noqa: E402
    case, compound_case, main,)


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


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
