#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 300
"""Hard links and renames: who may link what, and how long a name may be.

Hand-made CREATE and SET_INFO requests in a real session (impacket login
at SMB 2.1, as testuser, uid 2000); the test itself runs as root and makes
root's files in the share directly. Checked:

  - FileLinkInformation needs FILE_WRITE_ATTRIBUTES on the handle: a link
    through a handle opened with only FILE_READ_ATTRIBUTES is refused with
    STATUS_ACCESS_DENIED, and no link appears (the user's own file too);
  - the policy of linkat(2) with fs.protected_hardlinks: root's files the
    user cannot write (0644) cannot be linked, nor can root's world-writable
    setuid, executable setgid or unreadable (0602) files even through a
    handle that has FILE_WRITE_ATTRIBUTES; a root file the user may read and
    write (0666) can be, and so can the user's own files;
  - FileRenameInformation needs DELETE on the handle;
  - a rename and a link whose FileNameLength is 4 MiB get a clean error
    (STATUS_OBJECT_NAME_INVALID), the connection still answers and the
    kernel logs no warning (the server once made an allocation larger than
    the page allocator's largest order from it);
  - a component of 255 UTF-16 units works, 256 gives
    STATUS_OBJECT_NAME_INVALID (rename and link); a whole name longer than
    PATH_MAX - 1 bytes of UTF-8 gives STATUS_OBJECT_NAME_INVALID, one of
    exactly PATH_MAX - 1 bytes does not.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()

chk = L.Checker()
PID = os.getpid()

FILE_WRITE_ATTRIBUTES = 0x100
MAXIMUM_ALLOWED = 0x02000000
FILE_CREATE = 2
FILE_RENAME_INFORMATION = 10
FILE_LINK_INFORMATION = 11
STATUS_OBJECT_NAME_INVALID = 0xC0000033
PATH_MAX = 4096

STATUS_NAMES = {
    0: 'STATUS_SUCCESS',
    L.STATUS_ACCESS_DENIED: 'STATUS_ACCESS_DENIED',
    STATUS_OBJECT_NAME_INVALID: 'STATUS_OBJECT_NAME_INVALID',
}


def status_name(st):
    return STATUS_NAMES.get(st, L.status_name(st))


def share_path(name):
    return os.path.join(L.SHARE_DIR, name)


class Session:
    """A RawSession with the few requests this test sends by hand."""

    def __init__(self):
        self.s = L.RawSession(timeout=30)
        # Credits for the 4 MiB requests (64 credits each).
        data, hs = self.s.request(L.ECHO, L.echo_body(), credit_request=256)
        chk.eq('ECHO for credits', 'STATUS_SUCCESS',
               status_name(hs[0].status))

    def create(self, name, access, disposition=L.FILE_OPEN):
        body = L.create_body(name, disposition=disposition, access=access,
                             options=L.FILE_NON_DIRECTORY_FILE)
        data, hs = self.s.request(L.CREATE, body)
        if hs[0].status != L.STATUS_SUCCESS:
            return hs[0].status, None
        return hs[0].status, L.create_reply_file_id(data, hs[0])

    def close(self, fid):
        self.s.request(L.CLOSE, L.close_body(fid))

    def set_info(self, fid, klass, info):
        body = L.set_info_body(fid, L.INFO_FILE, klass, info)
        charge = max(1, (len(info) + 65535) // 65536)
        mid = self.s.next_mid()
        self.s.smb._Connection['SequenceWindow'] += charge - 1
        p = self.s.packet(L.SET_INFO, body, message_id=mid,
                          credit_charge=charge, credit_request=charge)
        self.s.send(L.frame(p))
        data, hs = self.s.raw.recv_reply(60)
        return hs[0].status

    def echo_ok(self, what):
        try:
            data, hs = self.s.request(L.ECHO, L.echo_body())
            st = status_name(hs[0].status)
        except (L.Closed, L.NoAnswer) as e:
            st = 'no answer: %s' % e
        chk.eq('%s: ECHO on the same connection' % what, 'STATUS_SUCCESS',
               st)

    def close_session(self):
        self.s.close()


name_info = L.name_info


def make_file(name, uid, mode, content=b'data\n'):
    """A file made by root in the share; chown before chmod, which would
    otherwise drop the setuid and setgid bits."""
    path = share_path(name)
    with open(path, 'wb') as f:
        f.write(content)
    os.chown(path, uid, L.SHARE_GID if uid == L.SHARE_UID else 0)
    os.chmod(path, mode)
    return path


def open_for(s, what, name, access):
    st, fid = s.create(name, access)
    chk.eq('%s: open with access 0x%x' % (what, access), 'STATUS_SUCCESS',
           status_name(st))
    return fid


def link_case(s, what, src, access, want, target=None):
    """Open src with access, link it to target; expect the status want."""
    target = target or 'lnk-%d-%s' % (PID, src)
    fid = open_for(s, what, src, access)
    if fid is None:
        return
    st = s.set_info(fid, FILE_LINK_INFORMATION, name_info(target))
    s.close(fid)
    chk.eq('%s: link status' % what, status_name(want), status_name(st))
    tpath = share_path(target)
    if want == L.STATUS_SUCCESS:
        same = os.path.exists(tpath) and \
            os.stat(tpath).st_ino == os.stat(share_path(src)).st_ino
        chk.ok(same, '%s: the link names the same inode' % what)
    else:
        chk.ok(not os.path.lexists(tpath), '%s: no link was made' % what)


def test_link_access(s):
    own = 'own-%d' % PID
    st, fid = s.create(own, L.GENERIC_RW_ACCESS, disposition=FILE_CREATE)
    chk.eq('create own file', 'STATUS_SUCCESS', status_name(st))
    if fid:
        s.close(fid)
    link_case(s, 'own file, FILE_READ_ATTRIBUTES only', own,
              L.FILE_READ_ATTRIBUTES | L.SYNCHRONIZE,
              L.STATUS_ACCESS_DENIED)
    link_case(s, 'own file, read and write data, no FILE_WRITE_ATTRIBUTES',
              own, L.FILE_READ_DATA | L.FILE_WRITE_DATA |
              L.FILE_READ_ATTRIBUTES, L.STATUS_ACCESS_DENIED)
    link_case(s, 'own file, FILE_WRITE_ATTRIBUTES', own,
              FILE_WRITE_ATTRIBUTES | L.SYNCHRONIZE, L.STATUS_SUCCESS)
    mine = 'own700-%d' % PID
    make_file(mine, L.SHARE_UID, 0o4700)
    link_case(s, 'own setuid file (the owner may link anything)', mine,
              FILE_WRITE_ATTRIBUTES, L.STATUS_SUCCESS)

    # Renames need DELETE.
    fid = open_for(s, 'rename without DELETE', own, L.GENERIC_RW_ACCESS)
    if fid:
        st = s.set_info(fid, FILE_RENAME_INFORMATION,
                        name_info('renamed-%d' % PID))
        s.close(fid)
        chk.eq('rename without DELETE', 'STATUS_ACCESS_DENIED',
               status_name(st))


def test_link_protected(s):
    # Root's file the user may only read: no FILE_WRITE_ATTRIBUTES for
    # the user, so no link through any handle the user can get.
    ro = 'root644-%d' % PID
    make_file(ro, 0, 0o644)
    link_case(s, 'root 0644 file, FILE_READ_ATTRIBUTES', ro,
              L.FILE_READ_ATTRIBUTES, L.STATUS_ACCESS_DENIED)
    link_case(s, 'root 0644 file, MAXIMUM_ALLOWED', ro,
              MAXIMUM_ALLOWED, L.STATUS_ACCESS_DENIED)
    st, fid = s.create(ro, FILE_WRITE_ATTRIBUTES)
    if fid:
        s.close(fid)
    chk.eq('root 0644 file: FILE_WRITE_ATTRIBUTES is not granted',
           'STATUS_ACCESS_DENIED', status_name(st))

    # Files the user may write, so the handle has FILE_WRITE_ATTRIBUTES,
    # but which linkat(2) refuses to pin for anyone but their owner.
    for mode, why in ((0o4666, 'setuid'), (0o2676, 'executable setgid'),
                      (0o602, 'not readable')):
        name = 'root%o-%d' % (mode, PID)
        make_file(name, 0, mode)
        link_case(s, 'root %04o file (%s), FILE_WRITE_ATTRIBUTES' %
                  (mode, why), name, FILE_WRITE_ATTRIBUTES,
                  L.STATUS_ACCESS_DENIED)
        chk.eq('root %04o file: mode unchanged' % mode, oct(mode),
               oct(os.stat(share_path(name)).st_mode & 0o7777))

    # A safe source: regular, readable and writable by the user.
    rw = 'root666-%d' % PID
    make_file(rw, 0, 0o666)
    link_case(s, 'root 0666 file, FILE_WRITE_ATTRIBUTES', rw,
              FILE_WRITE_ATTRIBUTES, L.STATUS_SUCCESS)


def test_huge_names(s):
    klog = L.KernelLog()
    src = 'huge-%d' % PID
    st, fid = s.create(src, L.GENERIC_RW_ACCESS | L.DELETE |
                       FILE_WRITE_ATTRIBUTES, disposition=FILE_CREATE)
    chk.eq('create file for 4 MiB names', 'STATUS_SUCCESS', status_name(st))
    if not fid:
        return
    huge = ('z' * (2 << 20)).encode('utf-16-le')	# 4 MiB, 2 Mi units
    for klass, what in ((FILE_RENAME_INFORMATION, 'rename'),
                        (FILE_LINK_INFORMATION, 'link')):
        try:
            st = status_name(s.set_info(fid, klass, name_info(huge)))
        except (L.Closed, L.NoAnswer) as e:
            st = 'no answer: %s' % e
        chk.eq('%s to a 4 MiB name' % what, 'STATUS_OBJECT_NAME_INVALID', st)
        s.echo_ok('%s to a 4 MiB name' % what)
    s.close(fid)
    chk.ok(os.path.exists(share_path(src)), 'the file kept its name')
    if klog.usable:
        bad = klog.new_problems()
        chk.ok(not bad, 'no kernel warning for the 4 MiB names',
               '; '.join(bad[:3]))


def test_component_bound(s):
    src = 'comp-%d' % PID
    st, fid = s.create(src, L.GENERIC_RW_ACCESS | L.DELETE |
                       FILE_WRITE_ATTRIBUTES, disposition=FILE_CREATE)
    chk.eq('create file for long names', 'STATUS_SUCCESS', status_name(st))
    if not fid:
        return
    cases = (
        (FILE_LINK_INFORMATION, 'link', 'l' * 255, L.STATUS_SUCCESS),
        (FILE_LINK_INFORMATION, 'link', 'm' * 256,
         STATUS_OBJECT_NAME_INVALID),
        (FILE_RENAME_INFORMATION, 'rename', 'r' * 256,
         STATUS_OBJECT_NAME_INVALID),
        (FILE_RENAME_INFORMATION, 'rename', 's' * 255, L.STATUS_SUCCESS),
    )
    for klass, what, name, want in cases:
        st = s.set_info(fid, klass, name_info(name))
        chk.eq('%s to a component of %d units' % (what, len(name)),
               status_name(want), status_name(st))
        chk.eq('%s to %d units: on the server' % (what, len(name)),
               want == L.STATUS_SUCCESS, os.path.exists(share_path(name)))

    # Whole names: PATH_MAX - 1 bytes of UTF-8 is the longest converted
    # (its directories do not exist), one byte more is an invalid name.
    comp = 'd' * 200 + '\\'
    longest = (comp * 21)[:PATH_MAX - 2] + 'x'
    for name, invalid in ((longest, False), (longest + 'y', True)):
        st = s.set_info(fid, FILE_RENAME_INFORMATION, name_info(name))
        what = 'rename to a name of %d bytes' % len(name)
        if invalid:
            chk.eq(what, 'STATUS_OBJECT_NAME_INVALID', status_name(st))
        else:
            chk.ok(st not in (L.STATUS_SUCCESS, STATUS_OBJECT_NAME_INVALID),
                   what + ': refused for its path, not its length',
                   status_name(st))
    s.close(fid)
    s.echo_ok('long names')


def main():
    if os.geteuid() != 0:
        L.skip('needs root to make root-owned files in the share')
    s = Session()
    try:
        test_link_access(s)
        test_link_protected(s)
        test_huge_names(s)
        test_component_bound(s)
    finally:
        s.close_session()
    chk.finish()


main()
