#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""File operations through impacket's SMBConnection at SMB 2.1, 3.0 and
3.1.1: login (and the dialect that was negotiated), listShares (optional:
a server without IPC$/srvsvc may refuse it with one of a few statuses),
createDirectory, putFile/getFile of a 3 MiB file, listPath, rename,
deleteFile and deleteDirectory, each checked in the exported directory
too."""

import io
import os
import random
import stat
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()
from impacket import smb3structs as S  # noqa: E402
from impacket.smbconnection import SessionError  # noqa: E402
from impacket.nt_errors import (  # noqa: E402
    STATUS_BAD_NETWORK_NAME, STATUS_OBJECT_NAME_NOT_FOUND,
    STATUS_NOT_SUPPORTED, STATUS_NOT_IMPLEMENTED,
    STATUS_INVALID_DEVICE_REQUEST)

# Statuses with which a server that has no share-listing RPC may refuse.
LIST_SHARES_UNSUPPORTED = {
    STATUS_BAD_NETWORK_NAME,        # no IPC$
    STATUS_OBJECT_NAME_NOT_FOUND,   # no srvsvc pipe
    STATUS_NOT_SUPPORTED, STATUS_NOT_IMPLEMENTED,
    STATUS_INVALID_DEVICE_REQUEST,
}

DIALECTS = [('SMB2.1', S.SMB2_DIALECT_21), ('SMB3.0', S.SMB2_DIALECT_30),
            ('SMB3.1.1', S.SMB2_DIALECT_311)]

chk = L.Checker()
rng = random.Random(4242)
payload = bytes(rng.getrandbits(8) for _ in range(3 * 1024 * 1024 + 123))


def server_path(*parts):
    return os.path.join(L.SHARE_DIR, *parts)


def read_server(path):
    try:
        with open(path, 'rb') as f:
            return f.read()
    except OSError as e:
        return 'unreadable: %s' % e


def expect_status(what, status, fn, *args):
    try:
        fn(*args)
    except SessionError as e:
        return chk.eq(what, L.status_name(status),
                      L.status_name(L.session_error_code(e)))
    return chk.fail(what, 'it succeeded')


def list_shares(tag, conn):
    try:
        shares = conn.listShares()
    except SessionError as e:
        code = L.session_error_code(e)
        if code in LIST_SHARES_UNSUPPORTED:
            chk.note('%s: listShares not supported (%s): part skipped' % (
                tag, L.status_name(code)))
            return
        chk.fail(tag + ': listShares', 'SessionError %s' % e)
        return
    except Exception as e:
        chk.fail(tag + ': listShares', '%s: %s' % (type(e).__name__, e))
        return
    names = [s['shi1_netname'][:-1] for s in shares]
    chk.ok(L.SHARE in names, tag + ': listShares includes ' + L.SHARE,
           'got %r' % names)


def one_dialect(tag, dialect):
    d = 'impacket-%s.%d' % (tag, os.getpid())
    sd = server_path(d)
    try:
        conn = L.connect(dialect=dialect)
    except Exception as e:
        chk.fail(tag + ': login', '%s: %s' % (type(e).__name__, e))
        return
    try:
        chk.eq(tag + ': negotiated dialect', '0x%04x' % dialect,
               '0x%04x' % conn.getDialect())
        list_shares(tag, conn)

        conn.createDirectory(L.SHARE, d)
        st = os.lstat(sd) if os.path.lexists(sd) else None
        chk.ok(st is not None and stat.S_ISDIR(st.st_mode),
               tag + ': createDirectory made a directory on the server')
        if st is not None:
            chk.eq(tag + ': directory owner', L.SHARE_UID, st.st_uid)

        conn.putFile(L.SHARE, d + '\\data.bin', io.BytesIO(payload).read)
        got = read_server(server_path(d, 'data.bin'))
        chk.ok(got == payload, tag + ': putFile content on the server',
               'got %s bytes' % (len(got) if isinstance(got, bytes)
                                 else got))
        try:
            chk.eq(tag + ': file owner', L.SHARE_UID,
                   os.stat(server_path(d, 'data.bin')).st_uid)
        except OSError as e:
            chk.fail(tag + ': file owner', str(e))

        back = io.BytesIO()
        conn.getFile(L.SHARE, d + '\\data.bin', back.write)
        chk.ok(back.getvalue() == payload, tag + ': getFile content',
               'got %d bytes' % len(back.getvalue()))

        entries = {f.get_longname(): f for f in
                   conn.listPath(L.SHARE, d + '\\*')}
        chk.eq(tag + ': listPath names', ['.', '..', 'data.bin'],
               sorted(entries))
        f = entries.get('data.bin')
        if f is not None:
            chk.eq(tag + ': listPath size', len(payload), f.get_filesize())
            chk.eq(tag + ': listPath says it is a file', 0,
                   f.is_directory())
        dot = entries.get('.')
        if dot is not None:
            chk.ok(dot.is_directory(), tag + ': listPath . is a directory')

        conn.rename(L.SHARE, d + '\\data.bin', d + '\\moved.bin')
        chk.ok(not os.path.lexists(server_path(d, 'data.bin')),
               tag + ': rename removed the old name on the server')
        chk.ok(read_server(server_path(d, 'moved.bin')) == payload,
               tag + ': rename kept the content')
        expect_status(tag + ': getFile of the old name',
                      STATUS_OBJECT_NAME_NOT_FOUND, conn.getFile, L.SHARE,
                      d + '\\data.bin', io.BytesIO().write)

        conn.deleteFile(L.SHARE, d + '\\moved.bin')
        chk.ok(not os.path.lexists(server_path(d, 'moved.bin')),
               tag + ': deleteFile removed it on the server')
        conn.deleteDirectory(L.SHARE, d)
        chk.ok(not os.path.lexists(sd),
               tag + ': deleteDirectory removed it on the server')
        conn.logoff()
    except SessionError as e:
        chk.fail(tag + ': operations', 'SessionError %s' % e)
    except Exception as e:
        chk.fail(tag + ': operations', '%s: %s' % (type(e).__name__, e))
    finally:
        try:
            conn.close()
        except Exception:
            pass


if not os.path.isdir(L.SHARE_DIR):
    L.skip('%s does not exist (not in the test guest?)' % L.SHARE_DIR)
for tag, dialect in DIALECTS:
    chk.note('=== ' + tag)
    one_dialect(tag, dialect)
chk.finish()
