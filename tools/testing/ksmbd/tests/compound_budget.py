#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compounds whose responses fill what they asked for.

Every element of a compound has a response budget of its own: an early
element's large answer must not eat the room of later ones. One message
of 32 QUERY_DIRECTORY elements, each asking for 64 KiB of a directory
whose listing nearly fills that, at SMB 2.0.2 (one credit each) and 2.1:
every element must come back complete, and the server must stay well.
Then the object rules of a related compound: after TREE_DISCONNECT,
LOGOFF or CLOSE earlier in the chain, later elements that use the object
fail, and nothing is created. Last, the padding of the responses: each
one of a compound to 8 bytes, the last one too, and a lone one not.
"""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
import lib_smb as L  # noqa: E402

NAMES = 200
NAME_LEN = 90
QDIR_ID_BOTH = 37
RESTART_SCANS = 1
OUT_LEN = 65536
ELEMS = 32

STATUS_NETWORK_NAME_DELETED = 0xC00000C9
STATUS_USER_SESSION_DELETED = 0xC0000203
STATUS_FILE_CLOSED = 0xC0000128


def qdir_body(fid, pattern='*'):
    return L.query_directory_body(fid, pattern, out_len=OUT_LEN,
                                  info_class=QDIR_ID_BOTH,
                                  flags=RESTART_SCANS)


def compound(s, elements, related=False):
    """Send (command, body) elements as one message; return the reply."""
    pkts = [s.packet(cmd, body, sign=False,
                     flags=L.FLAG_RELATED if related and i else 0)
            for i, (cmd, body) in enumerate(elements)]
    s.send(L.frame(L.compound(pkts, (lambda p: L.sign_smb2(p, s.key))
                              if s.signing else None)))
    return s.raw.recv_reply(timeout=60)


def count_entries(body):
    """Entries of a QUERY_DIRECTORY response body (after the header)."""
    off, length = struct.unpack_from('<HI', body, 2)
    buf = body[off - L.HEADER_SIZE:off - L.HEADER_SIZE + length]
    n = pos = 0
    while pos < len(buf):
        n += 1
        nxt = struct.unpack_from('<I', buf, pos)[0]
        if not nxt:
            break
        pos += nxt
    return n, length


def make_dir():
    d = os.path.join(L.SHARE_DIR, 'compound_budget')
    os.makedirs(d, exist_ok=True)
    for i in range(NAMES):
        p = os.path.join(d, ('%04d' % i).ljust(NAME_LEN, 'x'))
        open(p, 'w').close()
        os.chown(p, L.SHARE_UID, L.SHARE_GID)
    os.chown(d, L.SHARE_UID, L.SHARE_GID)


def full_compounds(c, dialect):
    s = L.RawSession(dialect=dialect, timeout=60)
    # Enough credits for the whole compound.
    s.request(L.ECHO, L.echo_body(), credit_request=64)
    fid = s.open('compound_budget', directory=True)
    data, hs = compound(s, [(L.QUERY_DIRECTORY, qdir_body(fid))] * ELEMS)
    c.eq('%#x: responses in the compound' % dialect, ELEMS, len(hs))
    ok = 0
    for h in hs:
        if h.status != L.STATUS_SUCCESS:
            c.fail('%#x: element %d' % (dialect, hs.index(h)),
                   L.status_name(h.status))
            break
        n, length = count_entries(h.body(data))
        if n != NAMES + 2 or length > OUT_LEN:
            c.fail('%#x: element %d listing' % (dialect, hs.index(h)),
                   '%d entries in %d bytes' % (n, length))
            break
        ok += 1
    c.eq('%#x: complete listings' % dialect, ELEMS, ok)
    s.close()


def first_status(c, what, s, elements, want_last):
    data, hs = compound(s, elements, related=True)
    c.eq(what + ': responses', len(elements), len(hs))
    if hs:
        c.eq(what + ': last element', L.status_name(want_last),
             L.status_name(hs[-1].status))


def object_rules(c):
    gone = os.path.join(L.SHARE_DIR, 'after_tdis.txt')
    s = L.RawSession(timeout=20)
    first_status(c, 'TREE_DISCONNECT then CREATE', s,
                 [(L.TREE_DISCONNECT, L.echo_body()),
                  (L.CREATE, L.create_body('after_tdis.txt',
                                           disposition=2,
                                           access=L.GENERIC_RW_ACCESS))],
                 STATUS_NETWORK_NAME_DELETED)
    c.ok(not os.path.exists(gone), 'no file created after TREE_DISCONNECT')
    s.close()

    s = L.RawSession(timeout=20)
    fid = s.open('compound_budget', directory=True)
    first_status(c, 'CLOSE then QUERY_DIRECTORY', s,
                 [(L.CLOSE, L.close_body(fid)),
                  (L.QUERY_DIRECTORY, qdir_body(b'\xff' * 16))],
                 STATUS_FILE_CLOSED)
    first_status(c, 'LOGOFF then CREATE', s,
                 [(L.LOGOFF, L.echo_body()),
                  (L.CREATE, L.create_body('after_logoff.txt',
                                           disposition=2,
                                           access=L.GENERIC_RW_ACCESS))],
                 STATUS_USER_SESSION_DELETED)
    c.ok(not os.path.exists(os.path.join(L.SHARE_DIR, 'after_logoff.txt')),
         'no file created after LOGOFF')
    s.close()


def padding(c):
    """Every response of a compound is padded to 8 bytes, the last one too
    (MS-SMB2 3.3.4.1.3); a lone response is not."""
    p = os.path.join(L.SHARE_DIR, 'compound_pad.txt')
    with open(p, 'w') as f:
        f.write('123')
    os.chown(p, L.SHARE_UID, L.SHARE_GID)
    s = L.RawSession(timeout=20)
    data, hs = compound(s, [(L.CREATE, L.create_body('compound_pad.txt')),
                            (L.READ, L.read_body(b'\xff' * 16, 3))],
                        related=True)
    c.eq('CREATE + READ: statuses', ['STATUS_SUCCESS'] * 2,
         [L.status_name(h.status) for h in hs])
    if len(hs) == 2:
        c.eq('CREATE + READ: CREATE response padded', 0,
             hs[1].offset % 8)
        # header, 16 bytes of READ response, 3 bytes of data, padding
        c.eq('CREATE + READ: last (READ) response padded to 8 bytes',
             88, len(data) - hs[1].offset)
        c.ok(data[-5:] == b'\0' * 5, 'the padding is zeroes')
        fid = L.create_reply_file_id(data, hs[0])
        data, hs = s.request(L.READ, L.read_body(fid, 3))
        c.eq('lone READ: status', 'STATUS_SUCCESS',
             L.status_name(hs[0].status) if hs else None)
        c.eq('lone READ: response not padded', 83, len(data))
    s.close()
    os.unlink(p)


def main():
    L.need_impacket()
    c = L.Checker()
    make_dir()
    for dialect in (0x0202, 0x0210):
        full_compounds(c, dialect)
    object_rules(c)
    padding(c)
    c.ok(L.server_answers(), 'server still answers')
    return c.finish()


if __name__ == '__main__':
    sys.exit(main())
