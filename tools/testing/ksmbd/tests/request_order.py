#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The order of a request's checks, and the ids of related responses, as
Windows has them.

  - IOCTL: an FSCTL other than VALIDATE_NEGOTIATE_INFO and the DFS
    referrals looks up its FileId first, whether the server knows the
    FSCTL or not: STATUS_FILE_CLOSED for an unknown handle, then
    STATUS_NOT_SUPPORTED for an FSCTL it does not implement; a pipe
    transceive on a file handle is STATUS_INVALID_DEVICE_REQUEST;
  - READ and WRITE look up their FileId before they check Length and
    Channel (MS-SMB2 3.3.5.12, 3.3.5.13): STATUS_FILE_CLOSED first;
  - a command the server knows but does not implement (CHANGE_NOTIFY)
    passes the checks every request passes: related to a failed CREATE it
    gets the CREATE's failure, on an unknown tree
    STATUS_NETWORK_NAME_DELETED, and STATUS_NOT_SUPPORTED only with a
    valid session, tree and open;
  - the responses of related requests that name their session and tree
    with all ones carry the real SessionId and TreeId (MS-SMB2 3.3.5.2.7.2);
  - a related request after an unrelated one that failed before its
    session was found has no session to use: STATUS_INVALID_PARAMETER
    (3.3.5.2.7.2), never the session and open of an earlier element.
"""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()

STATUS_FILE_CLOSED = 0xC0000128
STATUS_INVALID_DEVICE_REQUEST = 0xC0000010
STATUS_NETWORK_NAME_DELETED = 0xC00000C9
FSCTL_PIPE_TRANSCEIVE = 0x0011C017
FSCTL_UNKNOWN = 0x00098123          # no such FSCTL
FLAG_RELATED = 0x4
ALL_FF = b'\xff' * 16
BAD_FID = b'\x11' * 8 + b'\x22' * 8
NAME = 'request_order.txt'

chk = L.Checker()


def name(st):
    return 'no answer' if st is None else L.status_name(st)


def expect(what, want, st):
    chk.ok(st == want, what, 'got %s, want %s' % (name(st), name(want)))


def ioctl_body(ctl, file_id, data=b'', max_out=1024):
    return struct.pack('<HHI16sIIIIIIII', 57, 0, ctl, file_id,
                       L.HEADER_SIZE + 56, len(data), 0, 0, 0, max_out, 1,
                       0) + (data or b'\0')


def change_notify_body(file_id):
    return struct.pack('<HHI16sII', 32, 0, 4096, file_id, 0x17, 0)


def status(s, cmd, body, **kw):
    try:
        _, hs = s.request(cmd, body, **kw)
    except (L.NoAnswer, L.Closed, OSError):
        return None
    return hs[0].status if hs else None


def compound(s, elements):
    """Send (command, body, header overrides) elements as one related
    message (an element's 'related': False makes it unrelated); return the
    reply's headers."""
    data = b''
    for i, (cmd, body, kw) in enumerate(elements):
        last = i == len(elements) - 1
        size = L.HEADER_SIZE + len(body)
        pad = 0 if last else L.pad8(size)
        hdr = {'session_id': s.sid, 'tree_id': s.tid}
        hdr.update(kw)
        related = hdr.pop('related', i > 0)
        p = L.header(cmd, message_id=s.next_mid(),
                     flags=FLAG_RELATED if related else 0,
                     next_command=0 if last else size + pad, **hdr) + body
        if s.signing:
            p = L.sign_smb2(p, s.key)
        data += p + b'\0' * pad
    s.send(L.frame(data))
    try:
        return s.raw.recv_reply(timeout=10)[1]
    except (L.NoAnswer, L.Closed, OSError):
        return []


def ioctl_order(s, fid):
    expect('unknown FSCTL, unknown handle', STATUS_FILE_CLOSED,
           status(s, L.IOCTL, ioctl_body(FSCTL_UNKNOWN, BAD_FID)))
    expect('unknown FSCTL, valid handle', L.STATUS_NOT_SUPPORTED,
           status(s, L.IOCTL, ioctl_body(FSCTL_UNKNOWN, fid)))
    expect('pipe transceive, unknown handle', STATUS_FILE_CLOSED,
           status(s, L.IOCTL, ioctl_body(FSCTL_PIPE_TRANSCEIVE, BAD_FID,
                                         b'x')))
    expect('pipe transceive on a file handle', STATUS_INVALID_DEVICE_REQUEST,
           status(s, L.IOCTL, ioctl_body(FSCTL_PIPE_TRANSCEIVE, fid, b'x')))


def read_order(s, fid):
    rdma = {'channel': 1}         # SMB2_CHANNEL_RDMA_V1 on TCP
    expect('READ over RDMA, unknown handle', STATUS_FILE_CLOSED,
           status(s, L.READ, L.read_body(BAD_FID, 4, **rdma)))
    expect('READ over RDMA, valid handle', L.STATUS_INVALID_PARAMETER,
           status(s, L.READ, L.read_body(fid, 4, **rdma)))
    expect('WRITE over RDMA, unknown handle', STATUS_FILE_CLOSED,
           status(s, L.WRITE, L.write_body(BAD_FID, b'w', channel=1)))


def unimplemented(s, fid):
    hs = compound(s, [
        (L.CREATE, L.create_body('no_such_file.txt'), {}),
        (L.CHANGE_NOTIFY, change_notify_body(ALL_FF), {}),
    ])
    chk.eq('failed CREATE + CHANGE_NOTIFY: responses', 2, len(hs))
    if len(hs) == 2:
        expect('CREATE fails', L.STATUS_OBJECT_NAME_NOT_FOUND, hs[0].status)
        expect('related CHANGE_NOTIFY inherits its failure',
               L.STATUS_OBJECT_NAME_NOT_FOUND, hs[1].status)
    expect('CHANGE_NOTIFY on an unknown tree', STATUS_NETWORK_NAME_DELETED,
           status(s, L.CHANGE_NOTIFY, change_notify_body(fid),
                  tree_id=s.tid + 1000))
    expect('CHANGE_NOTIFY on a valid open', L.STATUS_NOT_SUPPORTED,
           status(s, L.CHANGE_NOTIFY, change_notify_body(fid)))


def related_ids(s):
    ones = {'session_id': 0xFFFFFFFFFFFFFFFF, 'tree_id': 0xFFFFFFFF}
    hs = compound(s, [
        (L.CREATE, L.create_body(NAME), {}),
        (L.READ, L.read_body(ALL_FF, 4), ones),
        (L.CLOSE, L.close_body(ALL_FF), ones),
    ])
    chk.eq('CREATE + READ + CLOSE: responses', 3, len(hs))
    for h, what in zip(hs, ('CREATE', 'READ', 'CLOSE')):
        expect('%s succeeds' % what, L.STATUS_SUCCESS, h.status)
        chk.ok(h.session_id == s.sid, '%s response: real SessionId' % what,
               'got %#x, want %#x' % (h.session_id, s.sid))
        chk.ok(h.tree_id == s.tid, '%s response: real TreeId' % what,
               'got %#x, want %#x' % (h.tree_id, s.tid))


def related_after_failure(s):
    ones = {'session_id': 0xFFFFFFFFFFFFFFFF, 'tree_id': 0xFFFFFFFF}
    hs = compound(s, [
        (L.CREATE, L.create_body(NAME), {}),
        (L.READ, L.read_body(ALL_FF, 4, structure_size=7),
         {'related': False, 'session_id': 0x1234}),
        (L.READ, L.read_body(ALL_FF, 4), ones),
    ])
    chk.eq('CREATE, malformed unrelated READ, related READ: responses', 3,
           len(hs))
    if len(hs) == 3:
        expect('CREATE succeeds', L.STATUS_SUCCESS, hs[0].status)
        expect('the malformed READ fails', L.STATUS_INVALID_PARAMETER,
               hs[1].status)
        expect('the related READ gets no session from the failed one before '
               'it (not the CREATE\'s)', L.STATUS_INVALID_PARAMETER,
               hs[2].status)


def main():
    path = os.path.join(L.SHARE_DIR, NAME)
    with open(path, 'wb') as f:
        f.write(b'data')
    os.chown(path, L.SHARE_UID, L.SHARE_GID)
    s = L.RawSession(timeout=10)
    try:
        fid = s.open(NAME)
        ioctl_order(s, fid)
        read_order(s, fid)
        unimplemented(s, fid)
        related_ids(s)
        related_after_failure(s)
    finally:
        s.close()
        os.unlink(path)
    chk.finish()


main()
