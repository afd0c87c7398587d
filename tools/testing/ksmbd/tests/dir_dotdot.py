#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The "." and ".." entries of QUERY_DIRECTORY, reached through symlinks.

".." of a directory is its parent in the share's name space: for a
directory opened through a symlink in the share that is the directory
holding the link, not the parent of the link's target; for the share root
(also when reached through a link to it) it is the share root itself,
never the directory above the share. The test makes, as root in the
share, dd/sub/deep, a link dd/lnk -> sub/deep and a link rootself -> .,
and lists them (FileIdFullDirectoryInformation, SMB 2.1 through impacket,
as testuser): the FileIds of "." and ".." (inode numbers) tell which
directory each entry describes.
"""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()

chk = L.Checker()
PID = os.getpid()
DD = 'dd.%d' % PID
ROOTSELF = 'rootself.%d' % PID
FILEID_FULL_DIRECTORY_INFORMATION = 0x26


def setup():
    base = os.path.join(L.SHARE_DIR, DD)
    deep = os.path.join(base, 'sub', 'deep')
    os.makedirs(deep)
    os.symlink('sub/deep', os.path.join(base, 'lnk'))
    os.symlink('.', os.path.join(L.SHARE_DIR, ROOTSELF))
    for d in (base, os.path.join(base, 'sub'), deep):
        os.chown(d, L.SHARE_UID, L.SHARE_GID)


def cleanup():
    base = os.path.join(L.SHARE_DIR, DD)
    for p in (os.path.join(L.SHARE_DIR, ROOTSELF), os.path.join(base, 'lnk')):
        if os.path.islink(p):
            os.unlink(p)
    for p in (os.path.join(base, 'sub', 'deep'), os.path.join(base, 'sub'),
              base):
        if os.path.isdir(p):
            os.rmdir(p)


def dots(conn, path):
    """The FileIds (inode numbers) of "." and ".." in a FileIdFull listing
    of path."""
    smb = conn.getSMBServer()
    tid = smb.connectTree(L.SHARE)
    fid = smb.create(tid, path, L.GENERIC_READ_ACCESS, L.FILE_SHARE_ALL,
                     L.FILE_DIRECTORY_FILE, L.FILE_OPEN, 0)
    try:
        data = smb.queryDirectory(
            tid, fid, '*',
            informationClass=FILEID_FULL_DIRECTORY_INFORMATION)
    finally:
        smb.close(tid, fid)
    out = {}
    off = 0
    while off + 80 <= len(data):
        nxt, = struct.unpack_from('<I', data, off)
        nlen, = struct.unpack_from('<I', data, off + 60)
        ino, = struct.unpack_from('<Q', data, off + 72)
        name = data[off + 80:off + 80 + nlen].decode('utf-16-le')
        if name in ('.', '..'):
            out[name] = ino
        if not nxt:
            break
        off += nxt
    return out


def expect(conn, path, dot, dotdot, what):
    try:
        got = dots(conn, path)
    except Exception as e:  # noqa: BLE001 - any failure is the verdict
        chk.fail('list %r' % path, repr(e))
        return
    chk.eq('%r: "." is %s' % (path, what[0]), dot, got.get('.'))
    chk.eq('%r: ".." is %s' % (path, what[1]), dotdot, got.get('..'))


def main():
    setup()
    try:
        ino = {name: os.stat(os.path.join(L.SHARE_DIR, name)).st_ino
               for name in ('', DD, DD + '/sub', DD + '/sub/deep')}
        conn = L.connect()
        expect(conn, DD + '\\sub', ino[DD + '/sub'], ino[DD], ('sub', 'dd'))
        expect(conn, DD + '\\lnk', ino[DD + '/sub/deep'], ino[DD],
               ('the link target', 'the directory holding the link'))
        expect(conn, ROOTSELF, ino[''], ino[''],
               ('the share root', 'the share root, not the directory '
                'above the share'))
        expect(conn, '', ino[''], ino[''],
               ('the share root', 'the share root'))
        conn.close()
    finally:
        cleanup()
    chk.finish()


if __name__ == '__main__':
    main()
