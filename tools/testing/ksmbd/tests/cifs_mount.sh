#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 1200
#
# The kernel cifs client against the server: for vers=2.1, 3.0 and 3.1.1
# with cache=none, and 3.1.1 with the default cache mode, mount the share
# and run cp, cat, ls -l, mv, rm, mkdir, rmdir, truncate (grow, shrink),
# stat, touch and a large (100 MiB by default, 24 MiB on the debug kernel,
# where KASAN makes every byte slow; $KSMBD_BIG_MIB) file written
# and read back after a remount; every step is checked on the server side.
# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"

need mount umount sha256sum truncate
need_root
need_share
cifs_available || skip "no cifs support (mount.cifs or the cifs module)"

big_default=100
[ "${KSMBD_FLAVOR:-}" = debug ] && big_default=24
big_mib=${KSMBD_BIG_MIB:-$big_default}
scratch_dir L
share_subdir D cifs
mnt=/mnt/ksmbd-cifs.$$
mkdir -p "$mnt"
on_exit "cifs_umount '$mnt'; rmdir '$mnt'"

printf 'cifs small file content\n' >"$L/small.txt"	# 24 bytes
small_size=24
note "making a ${big_mib} MiB random file"
dd if=/dev/urandom of="$L/big.bin" bs=1M count="$big_mib" status=none ||
	die "cannot make the big file"
big_size=$((big_mib * 1048576))
big_sha=$(fsha "$L/big.bin")

# The expected bytes after truncating small.txt to 1 MiB, then to 5 bytes.
cp "$L/small.txt" "$L/grown"
truncate -s 1M "$L/grown"
head -c 5 "$L/small.txt" >"$L/shrunk"

# mount_it OPTIONS: mount and check the options took effect.
mount_it() {
	local out line
	out=$(cifs_mount "$mnt" "$1")
	if ! check "mount -o $1" mountpoint -q "$mnt"; then
		printf '%s\n' "$out" | sed 's/^/    | /'
		return 1
	fi
	line=$(awk -v m="$mnt" '$2 == m' /proc/mounts)
	check_matches "mounted as cifs" "^[^ ]+ $mnt cifs " "$line"
	return 0
}

# one_variant VERS OPTIONS
one_variant() {
	local vers=$1 opts=$2 tag=$3 sub m s out t line
	note "=== vers=$vers ${opts:-(default cache)}"
	sub=$D/$tag
	m=$mnt/$sub
	s=$SHARE_DIR/$sub
	mount_it "vers=$vers${opts:+,$opts}" || return
	line=$(awk -v m="$mnt" '$2 == m' /proc/mounts)
	check_contains "vers=$vers in the mount options" "vers=$vers," "$line,"
	[ -n "$opts" ] && check_contains "$opts in the mount options" "$opts" "$line"

	# mkdir
	check "$tag: mkdir" mkdir "$m"
	check_eq "$tag: directory on the server" directory "$(ftype "$s")"
	check_eq "$tag: directory owner on the server" "$SHARE_UID" "$(fowner "$s")"
	check_eq "$tag: stat type on the client" directory "$(ftype "$m")"

	# cp, cat
	check "$tag: cp a small file" cp "$L/small.txt" "$m/a.txt"
	check_file_eq "$tag: a.txt on the server" "$L/small.txt" "$s/a.txt"
	check_eq "$tag: a.txt owner on the server" "$SHARE_UID" "$(fowner "$s/a.txt")"
	out=$(cat "$m/a.txt" 2>&1)
	check_eq "$tag: cat a.txt" "$(cat "$L/small.txt")" "$out"

	# ls -l, stat
	out=$(ls -l "$m" 2>&1)
	check_matches "$tag: ls -l shows a.txt with its size" \
		"^-[-rwxsStT]{9}.* $small_size .* a\.txt$" "$out"
	check_eq "$tag: stat size" "$small_size" "$(fsize "$m/a.txt")"
	check_eq "$tag: stat type" "regular file" "$(ftype "$m/a.txt")"

	# mv
	check "$tag: mv a.txt b.txt" mv "$m/a.txt" "$m/b.txt"
	check_absent "$tag: a.txt gone on the server" "$s/a.txt"
	check_file_eq "$tag: b.txt on the server" "$L/small.txt" "$s/b.txt"
	check_absent "$tag: a.txt gone on the client" "$m/a.txt"

	# truncate: grow, then shrink
	check "$tag: truncate -s 1M" truncate -s 1M "$m/b.txt"
	check_eq "$tag: grown size on the client" 1048576 "$(fsize "$m/b.txt")"
	check_eq "$tag: grown size on the server" 1048576 "$(fsize "$s/b.txt")"
	check_eq "$tag: grown content on the server" "$(fsha "$L/grown")" \
		"$(fsha "$s/b.txt")"
	check_eq "$tag: grown content on the client" "$(fsha "$L/grown")" \
		"$(fsha "$m/b.txt")"
	check "$tag: truncate -s 5" truncate -s 5 "$m/b.txt"
	check_eq "$tag: shrunk size on the client" 5 "$(fsize "$m/b.txt")"
	check_eq "$tag: shrunk size on the server" 5 "$(fsize "$s/b.txt")"
	check_file_eq "$tag: shrunk content on the server" "$L/shrunk" "$s/b.txt"

	# touch: set a time, create a file
	check "$tag: touch -d @981173106" touch -d @981173106 "$m/b.txt"
	check_eq "$tag: mtime on the client" 981173106 "$(stat -c %Y "$m/b.txt")"
	check_eq "$tag: mtime on the server" 981173106 "$(stat -c %Y "$s/b.txt")"
	check "$tag: touch new.txt" touch "$m/new.txt"
	check_eq "$tag: new.txt is an empty file on the server" "regular empty file" \
		"$(ftype "$s/new.txt")"
	check_eq "$tag: new.txt owner on the server" "$SHARE_UID" \
		"$(fowner "$s/new.txt")"

	# mkdir, rmdir a nested directory
	check "$tag: mkdir d2" mkdir "$m/d2"
	check_eq "$tag: d2 on the server" directory "$(ftype "$s/d2")"
	check "$tag: rmdir d2" rmdir "$m/d2"
	check_absent "$tag: d2 gone on the server" "$s/d2"
	check_not "$tag: rmdir of a non-empty directory fails" rmdir "$m"
	check_exists "$tag: it is still there" "$s/b.txt"

	# rm
	check "$tag: rm b.txt new.txt" rm "$m/b.txt" "$m/new.txt"
	check_absent "$tag: b.txt gone on the server" "$s/b.txt"
	check_absent "$tag: new.txt gone on the server" "$s/new.txt"

	# A large file: write, flush, check on the server, remount, read.
	t=$(date +%s)
	check "$tag: write ${big_mib} MiB" \
		dd if="$L/big.bin" of="$m/big.bin" bs=1M conv=fsync status=none
	note "$tag: written in $(($(date +%s) - t))s"
	check_eq "$tag: big file size on the server" "$big_size" "$(fsize "$s/big.bin")"
	check_eq "$tag: big file sha256 on the server" "$big_sha" "$(fsha "$s/big.bin")"
	check "$tag: umount" cifs_umount "$mnt"
	mount_it "vers=$vers${opts:+,$opts}" || return
	t=$(date +%s)
	check_eq "$tag: big file size on the client" "$big_size" "$(fsize "$m/big.bin")"
	check_eq "$tag: big file read back sha256" "$big_sha" "$(fsha "$m/big.bin")"
	note "$tag: read in $(($(date +%s) - t))s"
	check "$tag: rm big file" rm "$m/big.bin"
	check_absent "$tag: big file gone on the server" "$s/big.bin"
	check "$tag: rmdir" rmdir "$m"
	check_absent "$tag: directory gone on the server" "$s"

	check "$tag: umount" cifs_umount "$mnt"
	check_not "$tag: no longer mounted" mountpoint -q "$mnt"
}

one_variant 2.1 cache=none v21
one_variant 3.0 cache=none v30
one_variant 3.1.1 cache=none v311
one_variant 3.1.1 "" v311cached

finish
