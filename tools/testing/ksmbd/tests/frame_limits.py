#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Frame limits before NEGOTIATE.

A connection that has not negotiated may only send small messages: a
frame header announcing a large message must end the connection at once,
before the server holds a buffer for it. After NEGOTIATE, a large frame is
received normally (it may be a WRITE).
"""

import os
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
import lib_smb as L  # noqa: E402


def closed_at_once(raw, length):
    """Announce @length bytes, send a few; the server must hang up."""
    raw.send(struct.pack('>I', length) + L.SMB2_MAGIC + b'\0' * 60)
    try:
        raw.recv_frame(timeout=5)
    except L.Closed:
        return True
    except L.NoAnswer:
        return False
    return False


def main():
    c = L.Checker()
    for length in (1 << 20, (8 << 20) + 1000, (64 << 10) + 1):
        raw = L.RawConn(timeout=5)
        c.ok(closed_at_once(raw, length),
             'a %d-byte frame before NEGOTIATE ends the connection' % length)
        raw.close()

    # A NEGOTIATE of normal size still works, and after it a large frame
    # is read, not refused: the server waits for its bytes.
    raw = L.RawConn(timeout=5)
    c.eq('NEGOTIATE', 0x0210, raw.negotiate())
    raw.send(struct.pack('>I', 1 << 20) + L.SMB2_MAGIC)
    try:
        raw.recv_frame(timeout=2)
        c.fail('large frame after NEGOTIATE', 'answered before its bytes')
    except L.NoAnswer:
        c.ok(True, 'a large frame after NEGOTIATE is received')
    except L.Closed:
        c.fail('large frame after NEGOTIATE', 'connection closed')
    raw.close()
    c.ok(L.server_answers(), 'server still answers')
    return c.finish()


if __name__ == '__main__':
    sys.exit(main())
