#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Frame limits before NEGOTIATE and before login.

A connection that has not negotiated may only send small messages: a
frame header announcing a large message must end the connection at once,
before the server holds a buffer for it. After NEGOTIATE and before a
session is logged in, a SESSION_SETUP of the largest size its 16-bit
security buffer length allows is still received, and anything larger ends
the connection. Once logged in, a large frame is received normally (it may
be a WRITE).
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

    # A NEGOTIATE of normal size still works; before login a large frame
    # is refused, a SESSION_SETUP with a 65535-byte blob is not.
    for length in (1 << 20, 69633):
        raw = L.RawConn(timeout=5)
        c.eq('NEGOTIATE', 0x0210, raw.negotiate())
        c.ok(closed_at_once(raw, length),
             'a %d-byte frame after NEGOTIATE, before login, ends the '
             'connection' % length)
        raw.close()
    raw = L.RawConn(timeout=5)
    c.eq('NEGOTIATE', 0x0210, raw.negotiate())
    req = L.header(L.SESSION_SETUP, message_id=1) + \
        L.session_setup_body(b'\x60' + b'\0' * 65534)
    try:
        raw.send(L.frame(req))
        data, hs = raw.recv_reply(timeout=10)
        c.ok(bool(hs), 'a SESSION_SETUP with a 65535-byte blob (%d bytes) '
             'is answered' % len(req), L.status_name(hs[0].status)
             if hs else 'not SMB2')
    except (L.Closed, L.NoAnswer) as e:
        c.fail('a SESSION_SETUP with a 65535-byte blob is answered',
               '%s: %s' % (type(e).__name__, e))
    raw.close()

    # Logged in, a large frame is read, not refused: the server waits
    # for its bytes.
    s = L.RawSession(share=None)
    s.send(struct.pack('>I', 1 << 20) + L.SMB2_MAGIC)
    try:
        s.raw.recv_frame(timeout=2)
        c.fail('large frame after login', 'answered before its bytes')
    except L.NoAnswer:
        c.ok(True, 'a large frame after login is received')
    except L.Closed:
        c.fail('large frame after login', 'connection closed')
    s.close()
    c.ok(L.server_answers(), 'server still answers')
    return c.finish()


if __name__ == '__main__':
    sys.exit(main())
