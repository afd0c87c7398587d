#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Load and unload a kernel module with the system calls themselves
(finit_module, delete_module), for guests built from a host without kmod.

  kmod.py load FILE.ko      load a module file
  kmod.py unload NAME       unload a module (non-blocking, like rmmod)
  kmod.py loaded NAME       exit 0 if NAME is in /proc/modules, 1 if not

Exit status 0 on success; on failure the errno is printed and the exit
status is 1.
"""

import ctypes
import errno
import os
import sys

# x86_64 system call numbers (the UML guest runs x86_64 binaries).
SYS_DELETE_MODULE = 176
SYS_FINIT_MODULE = 313

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


def load(path, params=''):
    """finit_module(path); returns 0 or an errno value."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        r = _libc.syscall(SYS_FINIT_MODULE, ctypes.c_int(fd),
                          ctypes.c_char_p(params.encode()), ctypes.c_int(0))
    finally:
        os.close(fd)
    return 0 if r == 0 else ctypes.get_errno()


def unload(name):
    """delete_module(name, O_NONBLOCK); returns 0 or an errno value."""
    r = _libc.syscall(SYS_DELETE_MODULE, ctypes.c_char_p(name.encode()),
                      ctypes.c_int(os.O_NONBLOCK))
    return 0 if r == 0 else ctypes.get_errno()


def loaded(name):
    try:
        with open('/proc/modules') as f:
            return any(ln.split(' ', 1)[0] == name for ln in f)
    except OSError:
        return False


def main(argv):
    if len(argv) != 3 or argv[1] not in ('load', 'unload', 'loaded'):
        sys.stderr.write(__doc__)
        return 2
    op, arg = argv[1], argv[2]
    if op == 'loaded':
        return 0 if loaded(arg) else 1
    err = load(arg) if op == 'load' else unload(arg)
    if err:
        print('kmod.py: %s %s: %s' % (op, arg, errno.errorcode.get(
            err, str(err))), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
