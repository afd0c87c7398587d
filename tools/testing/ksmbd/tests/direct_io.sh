#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# O_DIRECT I/O on a cifs mount: the client opens with GENERIC_WRITE and
# FILE_NO_INTERMEDIATE_BUFFERING; writes and reads must work and match.
# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"

scratch_dir T
mnt=$T/mnt
mkdir -p "$mnt"
mount -t cifs "$UNC" "$mnt" \
	-o "username=$SMB_USER,password=$SMB_PASS,vers=3.1.1" ||
	die "cifs mount failed"
dd if=/dev/urandom of="$T/src" bs=1M count=4 2>/dev/null
check "O_DIRECT write" dd if="$T/src" of="$mnt/direct" bs=1M oflag=direct
check "O_DIRECT read" dd if="$mnt/direct" of="$T/back" bs=1M iflag=direct
check_eq "server-side copy matches" "$(sha256sum <"$T/src")" \
	"$(sha256sum <"$SHARE_DIR/direct")"
check_eq "read-back matches" "$(sha256sum <"$T/src")" \
	"$(sha256sum <"$T/back")"
umount "$mnt"
finish
