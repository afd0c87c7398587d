#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 300
"""A share on a full file system: STATUS_DISK_FULL, and no damage.

A 16 MiB tmpfs is mounted and added to the daemon's configuration as a
second share, "small" (ksmbd.control --reload). Through it: a 1 MiB file
is written and checked; then a filler file is written 1 MiB at a time
until a write fails, which must happen (within 32 MiB) with
STATUS_DISK_FULL, and the filler must then hold exactly the bytes whose
writes succeeded; a new file cannot be written either (DISK_FULL); smbclient
gets NT_STATUS_DISK_FULL for a put. The first file must still read back
intact through SMB and on the server. Once the filler is deleted its space
must be free at once (when the delete returns), and writing works again.
The mount and the configuration are undone at the end.
"""

import hashlib
import os
import random
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()
from impacket import smb3structs as S  # noqa: E402

TOOLS = os.path.normpath(os.path.join(os.path.dirname(
    os.path.abspath(__file__)), '..', '..', '..', 'ksmbd'))
CONF = '/etc/ksmbd/ksmbd.conf'
MNT = '/srv/ksmbd-small-%d' % os.getpid()
SHARE = 'small'
MIB = 1 << 20
STATUS_DISK_FULL = 0xC000007F

chk = L.Checker()
rng = random.Random(777)
keep = bytes(rng.getrandbits(8) for _ in range(MIB))
chunk = bytes(rng.getrandbits(8) for _ in range(MIB))


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


def reload_daemon():
    r = run(os.path.join(TOOLS, 'ksmbd.control'), '--reload')
    time.sleep(1)
    return r.returncode == 0


def status_of(e):
    """The NT status of an impacket error: smbconnection's SessionError
    has getErrorCode(), the lower smb3 one get_error_code()."""
    code = L.session_error_code(e)
    if code is None and hasattr(e, 'get_error_code'):
        code = e.get_error_code()
    return code


def write_file(smb, tid, name, data, disposition=L.FILE_OVERWRITE_IF):
    fid = smb.create(tid, name, L.GENERIC_RW_ACCESS, L.FILE_SHARE_ALL,
                     L.FILE_NON_DIRECTORY_FILE, disposition, 0)
    try:
        for off in range(0, len(data), 65536):
            smb.write(tid, fid, data[off:off + 65536], off,
                      len(data[off:off + 65536]))
    finally:
        smb.close(tid, fid)


def read_file(smb, tid, name, size):
    fid = smb.create(tid, name, L.GENERIC_READ_ACCESS, L.FILE_SHARE_ALL,
                     L.FILE_NON_DIRECTORY_FILE, L.FILE_OPEN, 0)
    buf = b''
    try:
        while len(buf) < size:
            got = smb.read(tid, fid, len(buf), min(65536, size - len(buf)))
            if not got:
                break
            buf += got
    finally:
        smb.close(tid, fid)
    return buf


with open(CONF) as f:
    conf_before = f.read()
os.makedirs(MNT, exist_ok=True)
r = run('mount', '-t', 'tmpfs', '-o', 'size=16m,mode=0775', 'tmpfs', MNT)
if r.returncode:
    L.skip('cannot mount a tmpfs: ' + r.stderr.strip())
conn = None
try:
    os.chown(MNT, L.SHARE_UID, L.SHARE_GID)
    with open(CONF, 'a') as f:
        f.write('\n[%s]\n\tpath = %s\n\tread only = no\n' % (SHARE, MNT))
    chk.ok(reload_daemon(), 'the daemon reloads its configuration')

    conn = L.connect(dialect=S.SMB2_DIALECT_311)
    smb = conn.getSMBServer()
    tid = conn.connectTree(SHARE)
    write_file(smb, tid, 'keep.bin', keep)
    with open(os.path.join(MNT, 'keep.bin'), 'rb') as f:
        chk.ok(f.read() == keep, 'a 1 MiB file is written to the small '
               'share')

    # Fill it up, 1 MiB per write, and note what the server accepted.
    fid = smb.create(tid, 'fill.bin', L.GENERIC_RW_ACCESS, L.FILE_SHARE_ALL,
                     L.FILE_NON_DIRECTORY_FILE, L.FILE_OVERWRITE_IF, 0)
    accepted = 0
    err = None
    for i in range(32):
        try:
            n = smb.write(tid, fid, chunk, accepted, len(chunk))
        except Exception as e:
            err = e
            break
        accepted += n if isinstance(n, int) else len(chunk)
    smb.close(tid, fid)
    chk.ok(err is not None, 'a write fails before 32 MiB were written to a '
           '16 MiB file system', '%d bytes accepted' % accepted)
    chk.eq('the failing write\'s status', L.status_name(STATUS_DISK_FULL),
           L.status_name(status_of(err)) if status_of(err) is not None
           else repr(err))
    size = os.path.getsize(os.path.join(MNT, 'fill.bin'))
    chk.eq('the filler holds exactly the accepted bytes', accepted, size)
    with open(os.path.join(MNT, 'fill.bin'), 'rb') as f:
        chk.ok(hashlib.sha256(f.read()).digest() ==
               hashlib.sha256((chunk * (accepted // MIB + 1))[:accepted]
                              ).digest(), 'and their content is right')

    try:
        write_file(smb, tid, 'more.bin', chunk)
        chk.fail('a new file cannot be written either', 'it was')
    except Exception as e:
        chk.eq('writing a new file: status', L.status_name(STATUS_DISK_FULL),
               L.status_name(status_of(e)) if status_of(e) is not None
               else repr(e))

    src = '/tmp/disk-full-%d.bin' % os.getpid()
    with open(src, 'wb') as f:
        f.write(chunk)
    r = run('smbclient', '//%s/%s' % (L.HOST, SHARE), '-U',
            '%s%%%s' % (L.USER, L.PASSWORD), '-c',
            'put %s put.bin' % src)
    os.unlink(src)
    chk.ok('NT_STATUS_DISK_FULL' in r.stdout + r.stderr,
           'smbclient put: NT_STATUS_DISK_FULL',
           (r.stdout + r.stderr).strip()[-200:])

    chk.ok(read_file(smb, tid, 'keep.bin', len(keep)) == keep,
           'the first file reads back intact through SMB')
    with open(os.path.join(MNT, 'keep.bin'), 'rb') as f:
        chk.ok(f.read() == keep, 'and on the server')

    for extra in ('more.bin', 'put.bin'):
        try:
            conn.deleteFile(SHARE, extra)
        except Exception:
            pass
    conn.deleteFile(SHARE, 'fill.bin')
    st = os.statvfs(MNT)
    free = st.f_bavail * st.f_frsize
    chk.ok(free >= accepted, 'the deleted filler\'s space is free as soon '
           'as the delete returns', '%d bytes free, %d deleted' % (
               free, accepted))
    try:
        write_file(smb, tid, 'after.bin', chunk)
        with open(os.path.join(MNT, 'after.bin'), 'rb') as f:
            chk.ok(f.read() == chunk, 'with space again, writes work')
    except Exception as e:
        chk.fail('with space again, writes work', str(e))
finally:
    if conn is not None:
        try:
            conn.close()
        except Exception:
            pass
    with open(CONF, 'w') as f:
        f.write(conf_before)
    reload_daemon()
    for _ in range(20):
        if run('umount', MNT).returncode == 0:
            break
        time.sleep(0.5)
    shutil.rmtree(MNT, ignore_errors=True)
ok, why = L.server_answers()
chk.ok(ok, 'the main share still works', why)
chk.finish()
