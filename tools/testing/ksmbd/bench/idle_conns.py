# SPDX-License-Identifier: GPL-2.0
"""Kernel memory per idle connection, for scripts/benchmark.

    idle_conns.py smb|tcp N ROUNDS

Opens N connections from this one process, then reads /proc/meminfo and
/proc/slabinfo and closes them again, ROUNDS times:
  smb: each connection negotiates SMB 3.1.1, logs in (testuser) and
       connects the tree "share" (impacket), then stays idle;
  tcp: plain TCP connections to a listener of this process, the baseline
       for what the sockets alone cost on both ends.
Before each reading the page cache, dentries and inodes are dropped and
the system is left to settle, so that what remains is the connections'.
Prints one "name value" line per figure, each the median over the rounds
of (after - before) / N in KiB:
  slab         Slab of /proc/meminfo
  kstack       KernelStack (a thread per connection shows here)
  other        used memory not in page cache, anonymous memory, page
               tables, slab or kernel stacks (pages taken directly,
               vmalloc, per-CPU)
  kernel       slab + kstack + other
and "slab:NAME kib" for the caches that grew most (median, per connection).
"""

import os
import socket
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb  # noqa: E402


def meminfo():
    out = {}
    with open('/proc/meminfo') as f:
        for line in f:
            key, rest = line.split(':', 1)
            out[key] = int(rest.split()[0])
    return out


def slabinfo():
    """{cache: KiB held in its slabs}."""
    out = {}
    with open('/proc/slabinfo') as f:
        for line in f:
            if line.startswith(('slabinfo', '#')):
                continue
            p = line.split()
            # name active_objs num_objs objsize objperslab pagesperslab :
            # tunables ... : slabdata active_slabs num_slabs sharedavail
            num_slabs = int(p[p.index('slabdata') + 2])
            out[p[0]] = num_slabs * int(p[5]) * 4
    return out


def settle():
    os.sync()
    for _ in range(2):
        with open('/proc/sys/vm/drop_caches', 'w') as f:
            f.write('3\n')
        time.sleep(1)


def snapshot():
    settle()
    return meminfo(), slabinfo()


def kernel_parts(mi):
    used = mi['MemTotal'] - mi['MemFree']
    other = (used - mi['Cached'] - mi['Buffers'] - mi['AnonPages'] -
             mi['PageTables'] - mi['Slab'] - mi['KernelStack'])
    return {'slab': mi['Slab'], 'kstack': mi['KernelStack'], 'other': other}


def open_smb(n):
    from impacket import smb3structs
    conns = []
    for _ in range(n):
        c = lib_smb.connect(dialect=smb3structs.SMB2_DIALECT_311)
        c.connectTree(lib_smb.SHARE)
        conns.append(c)
    return conns


def close_smb(conns):
    for c in conns:
        try:
            c.close()
        except Exception:  # noqa: BLE001 - best effort at the end
            pass


def open_tcp(n):
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(('127.0.0.1', 0))
    lsock.listen(n)
    socks = []
    for _ in range(n):
        c = socket.create_connection(lsock.getsockname())
        s, _addr = lsock.accept()
        socks += [c, s]
    return [lsock] + socks


def close_tcp(socks):
    for s in socks:
        s.close()


def main():
    mode, n, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    opener, closer = {'smb': (open_smb, close_smb),
                      'tcp': (open_tcp, close_tcp)}[mode]
    figures = {}
    slabs = {}
    for _ in range(rounds):
        mi0, sl0 = snapshot()
        held = opener(n)
        time.sleep(2)
        mi1, sl1 = snapshot()
        closer(held)
        k0, k1 = kernel_parts(mi0), kernel_parts(mi1)
        d = {k: (k1[k] - k0[k]) / n for k in k0}
        d['kernel'] = d['slab'] + d['kstack'] + d['other']
        for k, v in d.items():
            figures.setdefault(k, []).append(v)
        for name in set(sl0) | set(sl1):
            delta = (sl1.get(name, 0) - sl0.get(name, 0)) / n
            slabs.setdefault(name, []).append(delta)
        time.sleep(2)
    for k in ('slab', 'kstack', 'other', 'kernel'):
        print('%s %.1f' % (k, statistics.median(figures[k])))
    grown = sorted(((statistics.median(v), k) for k, v in slabs.items()),
                   reverse=True)
    for v, k in grown[:8]:
        if v >= 0.5:
            print('slab:%s %.1f' % (k, v))


if __name__ == '__main__':
    main()
