#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 240
"""A client that never reads its responses cannot stall the server.

Client X takes 2000 credits, then sends 1500 READs of 64 KiB (about 94 MiB
of responses) and never reads a byte. The server sends without blocking a
worker, keeps a bounded queue for X and stops reading X's requests:
  - while X is stalled, client Y logs in, writes and reads 1 MiB in time;
  - the server drops X's connection after its send timeout (30 s) with a
    line in the kernel log, and Y still works afterwards."""

import os
import socket
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()

NAME = 'slow_reader.dat'
SIZE = 8 << 20
N_READS = 1500
SEND_TIMEOUT = 30           # SMBS_SEND_TIMEOUT in fs/smb/server/send.c

chk = L.Checker()
log = L.KernelLog()


def established_ports():
    """Local ports of the clients connected to port 445."""
    out = subprocess.run(['ss', '-tnH', 'state', 'established',
                          '( sport = :445 )'], capture_output=True,
                         text=True).stdout
    ports = set()
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 4:
            ports.add(int(f[3].rsplit(':', 1)[1]))
    return ports


def other_client(what):
    t0 = time.monotonic()
    try:
        c = L.connect()
        tid = c.connectTree(L.SHARE)
        fid = c.createFile(tid, 'slow_reader_y.dat')
        data = os.urandom(1 << 20)
        c.writeFile(tid, fid, data, 0)
        back = b''
        while len(back) < len(data):
            chunk = c.readFile(tid, fid, len(back), 65536)
            if not chunk:
                break
            back += chunk
        c.closeFile(tid, fid)
        c.logoff()
        ok = back == data
    except Exception as e:
        ok = False
        what += ' (%s: %s)' % (type(e).__name__, e)
    took = time.monotonic() - t0
    chk.ok(ok and took < 20, what, '%.1f s' % took)


def main():
    with open(os.path.join(L.SHARE_DIR, NAME), 'wb') as f:
        f.write(os.urandom(SIZE))
    x = L.RawSession()
    fid = x.open(NAME, access=L.GENERIC_READ_ACCESS)
    # Ask for many credits, and see them.
    _, hs = x.request(L.ECHO, L.echo_body(), credit_request=2000)
    chk.ok(hs and hs[0].credits >= 1000, 'X was granted its credits',
           hs[0].credits if hs else 'no reply')
    xport = x.raw.sock.getsockname()[1]
    x.raw.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    reqs = b''.join(L.frame(x.packet(L.READ, L.read_body(
        fid, 65536, (i * 65536) % SIZE), credit_request=1))
        for i in range(N_READS))

    def flood():
        try:
            x.raw.sock.settimeout(SEND_TIMEOUT + 30)
            x.raw.sock.sendall(reqs)
        except OSError:
            pass
    t = threading.Thread(target=flood, daemon=True)
    t.start()
    time.sleep(3)
    chk.ok(xport in established_ports(), 'X is connected and stalled')
    other_client('Y works while X does not read')

    deadline = time.monotonic() + SEND_TIMEOUT + 45
    while time.monotonic() < deadline and xport in established_ports():
        time.sleep(1)
    chk.ok(xport not in established_ports(),
           'the server dropped X after its send timeout')
    seen = log.new_lines()
    chk.ok([ln for ln in seen if 'not reading its responses' in ln],
           'the kernel log says why X was dropped')
    x.close()
    other_client('Y works after X is gone')
    seen += log.new_lines()
    probs = [ln for ln in seen if any(b in ln for b in L.KernelLog.BAD)]
    chk.ok(not probs, 'kernel log clean', '\n'.join(probs))
    os.unlink(os.path.join(L.SHARE_DIR, NAME))
    chk.finish()


if __name__ == '__main__':
    main()
