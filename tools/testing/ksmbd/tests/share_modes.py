#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Share modes (MS-FSA 2.1.5.1.2) between opens of one file, through
impacket at SMB 3.1.1, from two sessions on two connections: an open
that does not share reading, writing or deleting refuses a second open
asking for that access with STATUS_SHARING_VIOLATION, in both directions;
opens for attributes only never conflict; a refused FILE_OVERWRITE
leaves the content alone; a refused open of a directory too; once the
first open is closed, or its connection dropped, the second one works.
Delete-pending (FileDispositionInformation, or the close of a
FILE_DELETE_ON_CLOSE open) is the file's: other opens are refused with
STATUS_DELETE_PENDING, the file stays until its last open is closed, and
clearing it keeps the file. A directory with an open file or directory
somewhere beneath it cannot be renamed (STATUS_ACCESS_DENIED); other
opens of the directory itself do not stop it."""

import os
import pwd
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()
from impacket import smb3structs as S  # noqa: E402
from impacket.smbconnection import SessionError  # noqa: E402
from impacket.nt_errors import (  # noqa: E402
    STATUS_SHARING_VIOLATION, STATUS_DELETE_PENDING)

chk = L.Checker()
RD = S.FILE_READ_DATA
WR = S.FILE_WRITE_DATA
DE = S.DELETE
RA = S.FILE_READ_ATTRIBUTES
SR, SW, SD = S.FILE_SHARE_READ, S.FILE_SHARE_WRITE, S.FILE_SHARE_DELETE
ALL = SR | SW | SD


class Side:
    def __init__(self):
        self.conn = L.connect(S.SMB2_DIALECT_311)
        self.tid = self.conn.connectTree(L.SHARE)

    def open(self, name, access, share, disposition=S.FILE_OPEN,
             options=S.FILE_NON_DIRECTORY_FILE):
        return self.conn.openFile(self.tid, name, desiredAccess=access,
                                  shareMode=share, creationOption=options,
                                  creationDisposition=disposition)

    def close(self, fid):
        self.conn.closeFile(self.tid, fid)


def refused(what, fn, *args, **kw):
    """Expect a sharing violation; return the file id if it was opened."""
    try:
        fid = fn(*args, **kw)
    except SessionError as e:
        chk.eq(what, L.status_name(STATUS_SHARING_VIOLATION),
               L.status_name(L.session_error_code(e)))
        return None
    chk.fail(what, 'the open succeeded')
    return fid


def works(what, fn, *args, **kw):
    try:
        fid = fn(*args, **kw)
    except SessionError as e:
        chk.fail(what, L.status_name(L.session_error_code(e)))
        return None
    chk.ok(True, what)
    return fid


def pair(a, b, name, first, second, ok):
    """a opens with first = (access, share), b asks for second."""
    f1 = a.open(name, *first)
    what = '%s then %s on %s' % (first, second, name)
    fn = works if ok else refused
    f2 = fn(what, b.open, name, *second)
    if f2 is not None:
        b.close(f2)
    a.close(f1)


if not os.path.isdir(L.SHARE_DIR):
    L.skip('%s does not exist (not in the test guest?)' % L.SHARE_DIR)
with open(os.path.join(L.SHARE_DIR, 'sm.txt'), 'wb') as f:
    f.write(b'keep me')
os.mkdir(os.path.join(L.SHARE_DIR, 'smdir'))
uid = pwd.getpwnam(L.USER).pw_uid
os.chown(os.path.join(L.SHARE_DIR, 'sm.txt'), uid, uid)
os.chown(os.path.join(L.SHARE_DIR, 'smdir'), uid, uid)

a, b = Side(), Side()
cases = [
    ((RD, SR), (RD, SR), True),
    ((RD, SR), (WR, ALL), False),       # a does not share writing
    ((WR, ALL), (RD, SR), False),       # b does not share a's writing
    ((RD, SR | SW), (DE, ALL), False),  # a does not share deleting
    ((DE, ALL), (RD, SR | SW), False),  # b does not share a's deleting
    ((RD | WR, ALL), (RD | WR, ALL), True),
    ((RD, 0), (RA, 0), True),           # attributes only: no conflict
    ((RA, 0), (RD | WR, 0), True),
]
for first, second, ok in cases:
    pair(a, b, 'sm.txt', first, second, ok)

# A refused overwrite truncates nothing.
f1 = a.open('sm.txt', RD, SR)
f2 = refused('FILE_OVERWRITE against a reader that does not share writing',
             b.open, 'sm.txt', RD | WR, ALL, S.FILE_OVERWRITE)
if f2 is not None:
    b.close(f2)
a.close(f1)
with open(os.path.join(L.SHARE_DIR, 'sm.txt'), 'rb') as f:
    chk.eq('content after the refused overwrite', b'keep me', f.read())

# Directories follow the same rule.
d1 = a.open('smdir', RD, 0, options=S.FILE_DIRECTORY_FILE)
d2 = refused('a directory opened without sharing', b.open, 'smdir', RD, ALL,
             options=S.FILE_DIRECTORY_FILE)
if d2 is not None:
    b.close(d2)
a.close(d1)
d2 = works('the directory once the first open is closed', b.open, 'smdir',
           RD, ALL, options=S.FILE_DIRECTORY_FILE)
if d2 is not None:
    b.close(d2)

# Closing the refusing open lets the other in.
f1 = a.open('sm.txt', RD, 0)
f2 = refused('a reader that shares nothing refuses a reader', b.open,
             'sm.txt', RD, ALL)
if f2 is not None:
    b.close(f2)
a.close(f1)
f2 = works('after it closed, the reader gets in', b.open, 'sm.txt', RD, ALL)
if f2 is not None:
    b.close(f2)

# Delete-pending is the file's, seen by every open of it.
P2 = os.path.join(L.SHARE_DIR, 'sm2.txt')
with open(P2, 'wb') as f:
    f.write(b'x')
os.chown(P2, uid, uid)
f1 = a.open('sm2.txt', RD, ALL)
f2 = b.open('sm2.txt', DE, ALL)
b.conn._SMBConnection.setInfo(b.tid, f2, inputBlob=b'\x01',
                              fileInfoClass=S.SMB2_FILE_DISPOSITION_INFO)
try:
    f3 = a.conn.openFile(a.tid, 'sm2.txt', desiredAccess=RA,
                         shareMode=ALL, creationDisposition=S.FILE_OPEN)
    chk.fail('an open of a delete-pending file', 'it succeeded')
    b.close(f3)
except SessionError as e:
    chk.eq('an open of a delete-pending file',
           L.status_name(STATUS_DELETE_PENDING),
           L.status_name(L.session_error_code(e)))
b.close(f2)
chk.ok(os.path.exists(P2), 'the file stays while another open has it')
a.close(f1)
chk.ok(not os.path.exists(P2), 'the last close removes it')
# Cleared again before the close, it stays.
with open(P2, 'wb') as f:
    f.write(b'y')
os.chown(P2, uid, uid)
f2 = b.open('sm2.txt', DE, ALL)
b.conn._SMBConnection.setInfo(b.tid, f2, inputBlob=b'\x01',
                              fileInfoClass=S.SMB2_FILE_DISPOSITION_INFO)
b.conn._SMBConnection.setInfo(b.tid, f2, inputBlob=b'\x00',
                              fileInfoClass=S.SMB2_FILE_DISPOSITION_INFO)
b.close(f2)
chk.ok(os.path.exists(P2), 'a cleared delete-pending removes nothing')
# An open made with FILE_DELETE_ON_CLOSE: the file goes with the last one.
f1 = a.open('sm2.txt', RD, ALL)
f2 = b.open('sm2.txt', DE, ALL,
            options=S.FILE_NON_DIRECTORY_FILE | S.FILE_DELETE_ON_CLOSE)
b.close(f2)
chk.ok(os.path.exists(P2), 'delete-on-close waits for the other open')
a.close(f1)
chk.ok(not os.path.exists(P2), 'and the file goes with it')

# A directory with an open file or directory beneath it keeps its name.
os.makedirs(os.path.join(L.SHARE_DIR, 'rd', 'sub'))
with open(os.path.join(L.SHARE_DIR, 'rd', 'sub', 'in.txt'), 'wb') as f:
    f.write(b'z')
for p in ('rd', 'rd/sub', 'rd/sub/in.txt'):
    os.chown(os.path.join(L.SHARE_DIR, p), uid, uid)
f1 = a.open('rd\\sub\\in.txt', RD, ALL)
try:
    b.conn.rename(L.SHARE, 'rd', 'rd2')
    chk.fail('rename of a directory with an open file deep beneath it',
             'it was renamed')
except SessionError as e:
    chk.eq('rename of a directory with an open file deep beneath it',
           'STATUS_ACCESS_DENIED', L.status_name(L.session_error_code(e)))
a.close(f1)
d1 = a.open('rd\\sub', RD, ALL, options=S.FILE_DIRECTORY_FILE)
try:
    b.conn.rename(L.SHARE, 'rd', 'rd2')
    chk.fail('rename of a directory with an open directory beneath it',
             'it was renamed')
except SessionError as e:
    chk.eq('rename of a directory with an open directory beneath it',
           'STATUS_ACCESS_DENIED', L.status_name(L.session_error_code(e)))
a.close(d1)
# Its own other opens do not count.
d1 = a.open('rd', RD, ALL, options=S.FILE_DIRECTORY_FILE)
try:
    b.conn.rename(L.SHARE, 'rd', 'rd2')
    chk.ok(os.path.isdir(os.path.join(L.SHARE_DIR, 'rd2', 'sub')),
           'rename with only the directory itself open')
except SessionError as e:
    chk.fail('rename with only the directory itself open',
             L.status_name(L.session_error_code(e)))
a.close(d1)

# A dropped connection's opens go with it.
c = Side()
c.open('sm.txt', RD | WR, 0)
c.conn.getSMBServer().get_socket().close()
for _ in range(50):
    try:
        f2 = b.open('sm.txt', RD, ALL)
        break
    except SessionError:
        f2 = None
        time.sleep(0.1)
chk.ok(f2 is not None, 'a disconnected client\'s open leaves the table')
if f2 is not None:
    b.close(f2)
chk.finish()
