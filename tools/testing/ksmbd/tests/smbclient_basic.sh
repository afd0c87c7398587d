#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Everyday smbclient operations over SMB3 (ls, mkdir, put, get, rename, rm,
# rmdir, an 8 MiB transfer each way), each checked on the client and
# directly in the exported directory (names, sizes, content, owner); and
# the share list (smbclient -L), which comes over the srvsvc pipe.
# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"

need smbclient sha256sum
need_root
need_share

scratch_dir L
share_subdir D basic
S=$SHARE_DIR/$D

# A file made on the server side must show up with its size.
printf 'made on the server\n' >"$S/server.txt"
chown "$SHARE_UID:$SHARE_GID" "$S/server.txt"
printf 'hello from the client\n' >"$L/small.txt"
make_random "$L/big.bin" 8192
big_sha=$(fsha "$L/big.bin")

# ls of the share root shows our directory.
if smb_ok "ls of the share root" "ls"; then
	check_matches "root listing shows $D as a directory" \
		"^ +$D +D" "$SMB_OUT"
	check_contains "root listing ends with the free space line" \
		"blocks of size" "$SMB_OUT"
fi

if smb_ok "ls in $D" "ls" -D "$D"; then
	check_matches "server.txt listed with size 19" \
		'^ +server\.txt +[A-Z]* +19 ' "$SMB_OUT"
	check_matches "listing has . and .." '^ +\.\. +D' "$SMB_OUT"
fi

# mkdir
smb_ok "mkdir sub" "mkdir sub" -D "$D"
check_eq "sub is a directory on the server" directory "$(ftype "$S/sub")"
check_eq "sub is owned by the test user" "$SHARE_UID" "$(fowner "$S/sub")"

# put a small file
smb_ok "put small.txt" "lcd $L; put small.txt" -D "$D"
check_file_eq "small.txt content on the server" "$L/small.txt" "$S/small.txt"
check_eq "small.txt is owned by the test user" "$SHARE_UID" \
	"$(fowner "$S/small.txt")"

# get a file the server side made
smb_ok "get server.txt" "lcd $L; get server.txt" -D "$D"
check_file_eq "server.txt content on the client" "$S/server.txt" "$L/server.txt"

# 8 MiB each way
smb_ok "put big.bin (8 MiB)" "lcd $L; put big.bin" -D "$D"
check_eq "big.bin size on the server" 8388608 "$(fsize "$S/big.bin")"
check_eq "big.bin sha256 on the server" "$big_sha" "$(fsha "$S/big.bin")"
check_eq "big.bin is owned by the test user" "$SHARE_UID" \
	"$(fowner "$S/big.bin")"
smb_ok "get big.bin back" "lcd $L; get big.bin back.bin" -D "$D"
check_eq "big.bin read back size" 8388608 "$(fsize "$L/back.bin")"
check_eq "big.bin read back sha256" "$big_sha" "$(fsha "$L/back.bin")"

# rename
smb_ok "rename small.txt renamed.txt" "rename small.txt renamed.txt" -D "$D"
check_absent "small.txt is gone on the server" "$S/small.txt"
check_file_eq "renamed.txt has the content" "$L/small.txt" "$S/renamed.txt"
if smb_ok "ls after rename" "ls" -D "$D"; then
	check_matches "renamed.txt listed with size 22" \
		'^ +renamed\.txt +[A-Z]* +22 ' "$SMB_OUT"
	check_lacks "small.txt no longer listed" "small.txt" "$SMB_OUT"
fi

# rename into a subdirectory
smb_ok "rename renamed.txt into sub" 'rename renamed.txt sub\moved.txt' -D "$D"
check_file_eq "sub/moved.txt on the server" "$L/small.txt" "$S/sub/moved.txt"
check_absent "renamed.txt is gone" "$S/renamed.txt"

# errors
smb_err "get of a missing file" NT_STATUS_OBJECT_NAME_NOT_FOUND \
	"lcd $L; get no-such-file" -D "$D"
check_absent "no local file was made for it" "$L/no-such-file"
smb_err "rmdir of a non-empty directory" NT_STATUS_DIRECTORY_NOT_EMPTY \
	"rmdir sub" -D "$D"
check_exists "sub is still there" "$S/sub/moved.txt"

# rm, rmdir
smb_ok "rm sub/moved.txt" 'rm sub\moved.txt' -D "$D"
check_absent "moved.txt is gone" "$S/sub/moved.txt"
smb_ok "rmdir sub" "rmdir sub" -D "$D"
check_absent "sub is gone" "$S/sub"
smb_ok "rm big.bin server.txt" "rm big.bin; rm server.txt" -D "$D"
check_absent "big.bin is gone" "$S/big.bin"
check_absent "server.txt is gone" "$S/server.txt"
smb_ok "rmdir $D from the root" "rmdir $D"
check_absent "$D is gone" "$S"

# The share list comes over DCE/RPC: srvsvc NetShareEnumAll on IPC$.
list=$(timeout -k 5 120 smbclient -L "//$SMB_HOST" \
	-U "$SMB_USER%$SMB_PASS" -m SMB3 2>&1)
check_eq "smbclient -L exit status" 0 "$?"
check_matches "smbclient -L lists $SMB_SHARE as a disk share" \
	"^[[:space:]]+${SMB_SHARE}[[:space:]]+Disk" "$list"
check_matches "smbclient -L lists IPC\$" '^[[:space:]]+IPC\$[[:space:]]+IPC' \
	"$list"

finish
