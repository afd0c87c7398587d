# SPDX-License-Identifier: GPL-2.0
"""Print what a server answers to an SMB 3.1.1 NEGOTIATE, for the
benchmark's logs: security mode, capabilities, maximum transact, read and
write sizes, and the credits granted to the request (one asked)."""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb  # noqa: E402


def main():
    raw = lib_smb.RawConn(timeout=10)
    raw.send(lib_smb.frame(lib_smb.negotiate_request(
        dialects=lib_smb.DIALECTS_ALL, capabilities=0x7f)))
    data, hs = raw.recv_reply()
    raw.close()
    h = hs[0]
    body = h.body(data)
    # StructureSize, SecurityMode, DialectRevision, NegotiateContextCount,
    # ServerGuid, Capabilities, MaxTransactSize, MaxReadSize, MaxWriteSize
    (_size, secmode, dialect, _nctx, _guid, caps, max_trans, max_read,
     max_write) = struct.unpack_from('<HHHH16sIIII', body, 0)
    print('NEGOTIATE: dialect %#x security mode %#x capabilities %#x' % (
        dialect, secmode, caps))
    print('NEGOTIATE: max transact %d, max read %d, max write %d; '
          'credits granted %d' % (max_trans, max_read, max_write, h.credits))


if __name__ == '__main__':
    main()
