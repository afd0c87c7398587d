#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Byte-range locks: POSIX locks taken on a cifs mount become SMB2 LOCKs;
# a second open cannot take a conflicting range until the first unlocks.
# smbtorture's smb2.lock suite is smbtorture_lock.sh.
# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"

scratch_dir T
mnt=$T/mnt
mkdir -p "$mnt"
mount -t cifs "$UNC" "$mnt" \
	-o "username=$SMB_USER,password=$SMB_PASS,vers=3.1.1,cache=none" ||
	die "cifs mount failed"
touch "$mnt/lockfile" || die "cannot create the lock file"

out=$("$PYTHON" - "$mnt/lockfile" <<'PY' 2>&1
import errno, fcntl, sys
path = sys.argv[1]
a = open(path, 'r+')
b = open(path, 'r+')
fcntl.lockf(a, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 0)
print('first exclusive: granted')
try:
    fcntl.lockf(b, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 5)
    print('overlapping exclusive: granted')
except OSError as e:
    print('overlapping exclusive: refused', errno.errorcode.get(e.errno))
fcntl.lockf(b, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 100)
print('disjoint exclusive: granted')
fcntl.lockf(a, fcntl.LOCK_UN, 10, 0)
fcntl.lockf(b, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 5)
print('after unlock: granted')
PY
)
printf '%s\n' "$out" | sed 's/^/    | /'
check_matches "first lock granted" '^first exclusive: granted' "$out"
check_matches "conflicting lock refused" '^overlapping exclusive: refused' "$out"
check_matches "disjoint lock granted" '^disjoint exclusive: granted' "$out"
check_matches "granted after unlock" '^after unlock: granted' "$out"
umount "$mnt"

finish
