#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A client that reconnects names its old session (PreviousSessionId,
MS-SMB2 3.3.5.5.3), and the server ends it.

  - A first connection logs in, opens a file and takes an exclusive
    byte-range lock on it: a local process cannot lock those bytes.
  - A PreviousSessionId that names no session changes nothing: the login
    works, the old session still works and still holds its lock.
  - A second connection logs in as the same user with PreviousSessionId
    set to the first one's session: the old open is closed (a local
    process can lock the bytes now), and the first connection, still up,
    gets STATUS_USER_SESSION_DELETED for its session.
"""

import contextlib
import fcntl
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()

from impacket import smb3  # noqa: E402

NAME = 'session_reconnect.dat'
STATUS_USER_SESSION_DELETED = 0xC0000203

chk = L.Checker()


@contextlib.contextmanager
def previous_session(sid):
    """impacket's SESSION_SETUPs carry PreviousSessionId sid meanwhile."""
    orig = smb3.SMB2SessionSetup

    class WithPrevious(orig):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            self['PreviousSessionId'] = sid
    smb3.SMB2SessionSetup = WithPrevious
    try:
        yield
    finally:
        smb3.SMB2SessionSetup = orig


def local_lock_free(path):
    """Can a local process lock bytes 0-9 of path exclusively?"""
    with open(path, 'r+b') as f:
        try:
            fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 0)
        except OSError:
            return False
        fcntl.lockf(f, fcntl.LOCK_UN, 10, 0)
        return True


def status(s, cmd, body):
    try:
        _, hs = s.request(cmd, body)
    except (L.NoAnswer, L.Closed, OSError):
        return None
    return hs[0].status if hs else None


def name(st):
    return 'no answer' if st is None else L.status_name(st)


def main():
    path = os.path.join(L.SHARE_DIR, NAME)
    with open(path, 'wb') as f:
        f.write(b'reconnect!')
    os.chown(path, L.SHARE_UID, L.SHARE_GID)

    old = L.RawSession(timeout=10)
    fid = old.open(NAME)
    chk.eq('the first session locks bytes 0-9', name(L.STATUS_SUCCESS),
           name(status(old, L.LOCK, L.lock_body(fid, [
               (0, 10, L.LOCK_EXCLUSIVE | L.LOCK_FAIL_IMMEDIATELY)]))))
    chk.ok(not local_lock_free(path), 'a local process cannot lock them')

    with previous_session(0x7777777777777777):
        other = L.connect()
    chk.eq('after a login naming no session, the first one still works',
           name(L.STATUS_SUCCESS),
           name(status(old, L.READ, L.read_body(fid, 4))))
    chk.ok(not local_lock_free(path), 'and still holds its lock')
    other.close()

    with previous_session(old.sid):
        new = L.connect()
    sid = new.getSMBServer()._Session['SessionID']
    chk.ok(sid != old.sid, 'the new session has an id of its own',
           '%#x' % sid)
    chk.ok(local_lock_free(path), 'the old session\'s open is closed: a '
           'local process can lock the bytes')
    chk.eq('the old session is gone for its own connection',
           name(STATUS_USER_SESSION_DELETED),
           name(status(old, L.READ, L.read_body(fid, 4))))
    new.close()
    old.close()
    os.unlink(path)
    chk.finish()


main()
