#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Helper of tests/path_escape.sh: hand-made CREATE and rename requests
with ".." in the name (impacket would normalise them away), in a real
session. Every one must be refused; none may reach a file outside the
share.

  dotdot.py SUBDIR    SUBDIR: an existing directory in the share
Exit status 0 if all checks passed, 1 otherwise.
"""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

chk = L.Checker()
sub = sys.argv[1] if len(sys.argv) > 1 else 'sub'
pid = os.getpid()
with open('/etc/passwd', 'rb') as f:
    passwd = f.read()

UP = '..\\' * 8          # more than enough to reach / from the share
DEPTH = sub.count('\\') + 1   # components in sub

READ_NAMES = [
    '..\\..\\etc\\passwd',
    UP + 'etc\\passwd',
    sub + '\\' + UP + 'etc\\passwd',
    '.\\' + UP + 'etc\\passwd',
    sub + '\\.\\' + UP + 'etc\\passwd',
    '../../../../../../../../etc/passwd',
    '..',
    '..\\',
    sub + '\\' + '..\\' * DEPTH + '..',
]


def open_and_read(s, name, disposition=L.FILE_OPEN,
                  access=L.GENERIC_READ_ACCESS, options=0):
    """CREATE name; if it opens, read the start and close. Returns
    (status, first bytes or None)."""
    data, hs = s.request(L.CREATE, L.create_body(
        name, disposition, access, options=options))
    st = hs[0].status if hs else None
    if st != L.STATUS_SUCCESS:
        return st, None
    fid = L.create_reply_file_id(data, hs[0])
    content = None
    rdata, rh = s.request(L.READ, L.read_body(fid, 4096))
    if rh and rh[0].status == L.STATUS_SUCCESS:
        body = rh[0].body(rdata)
        off, ln = struct.unpack_from('<BxI', body, 2)
        content = rdata[off:off + ln]
    s.request(L.CLOSE, L.close_body(fid))
    return st, content


def attempt(what, fn):
    """Run fn(session) in a fresh session; a closed connection counts as
    a refusal (status None)."""
    try:
        s = L.RawSession()
    except Exception as e:
        chk.fail(what + ': session', '%s: %s' % (type(e).__name__, e))
        return 'no session', None
    try:
        return fn(s)
    except (L.Closed, L.NoAnswer) as e:
        return None, str(e)
    finally:
        s.close()


def refused(what, st, extra=''):
    """st: an NT status, None for a closed connection, or a string saying
    what went wrong."""
    chk.ok(st is None or (isinstance(st, int) and st != L.STATUS_SUCCESS),
           what + ' is refused', 'status %s' % (
               st if isinstance(st, str) else L.status_name(st)))
    chk.note('  %s -> %s%s' % (what, 'connection closed' if st is None
                               else st if isinstance(st, str)
                               else L.status_name(st), extra))


def main():
    # Control: a plain name in the same directory opens and reads.
    ctrl = os.path.join(L.SHARE_DIR, *sub.split('\\'), 'control.txt')
    with open(ctrl, 'wb') as f:
        f.write(b'control\n')
    os.chown(ctrl, L.SHARE_UID, L.SHARE_GID)
    name = sub + '\\control.txt'
    st, content = attempt(name, lambda s: open_and_read(s, name))
    chk.ok(st == L.STATUS_SUCCESS and content == b'control\n',
           'control: open and read %r' % name, 'status %s, content %r' % (
               st if isinstance(st, str) or st is None
               else L.status_name(st), content))

    for name in READ_NAMES:
        st, content = attempt(name, lambda s: open_and_read(s, name))
        refused('open %r' % name, st)
        if isinstance(content, bytes) and content:
            chk.ok(not passwd.startswith(content[:64]),
                   'open %r did not read /etc/passwd' % name)

    # Creating outside the share: its parent directory.
    parent = os.path.dirname(L.SHARE_DIR.rstrip('/'))
    for name, opts, made in (
            ('..\\escaped-%d' % pid, 0, 'escaped-%d' % pid),
            (sub + '\\' + '..\\' * (DEPTH + 1) + 'escaped-dir-%d' % pid,
             L.FILE_DIRECTORY_FILE, 'escaped-dir-%d' % pid)):
        access = L.GENERIC_RW_ACCESS if not opts else L.GENERIC_READ_ACCESS
        st, _ = attempt(name, lambda s: open_and_read(
            s, name, L.FILE_CREATE, access, opts))
        refused('create %r' % name, st)
        chk.ok(not os.path.lexists(os.path.join(parent, made)),
               '%s was not made in %s' % (made, parent))

    # Renaming a file out of the share. Control first: the same request
    # with a plain name inside the share works.
    fname = 'rename-me-%d.txt' % pid
    ctrl = 'renamed-inside-%d.txt' % pid
    out = '/tmp/renamed-%d.txt' % pid

    def renamer(src, new):
        def rename(s):
            fid = s.open(src, access=L.GENERIC_RW_ACCESS | L.DELETE)
            n = new.encode('utf-16-le')
            info = struct.pack('<B7sQI', 1, bytes(7), 0, len(n)) + n
            body = struct.pack('<HBBIHHI16s', 33, 1, 10, len(info),
                               L.HEADER_SIZE + 32, 0, 0, fid) + info
            _, hs = s.request(L.SET_INFO, body)
            st = hs[0].status if hs else 'not SMB2'
            s.request(L.CLOSE, L.close_body(fid))
            return st, None
        return rename

    st, _ = attempt('control rename', renamer(ctrl + '.orig', ctrl))
    chk.ok(st == L.STATUS_SUCCESS, 'control: rename inside the share works',
           'status %s' % (st if isinstance(st, str) or st is None
                          else L.status_name(st)))
    chk.ok(os.path.exists(os.path.join(L.SHARE_DIR, ctrl)),
           'control: the renamed file is there')
    for new in ('..\\..\\tmp\\renamed-%d.txt' % pid,
                sub + '\\' + UP + 'tmp\\renamed-%d.txt' % pid):
        st, _ = attempt('rename to %r' % new, renamer(fname, new))
        refused('rename to %r' % new, st)
        chk.ok(not os.path.lexists(out), out + ' does not exist')
        chk.ok(os.path.exists(os.path.join(L.SHARE_DIR, fname)),
               'the file is still in the share')
    for f in (fname, ctrl, ctrl + '.orig'):
        try:
            os.unlink(os.path.join(L.SHARE_DIR, f))
        except OSError:
            pass
    chk.finish()


if __name__ == '__main__':
    main()
