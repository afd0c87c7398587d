#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Authentication and tree-connect refusals: a wrong password, an unknown
# user, an empty password and a wrong-case password get
# NT_STATUS_LOGON_FAILURE, an unknown share NT_STATUS_BAD_NETWORK_NAME, and
# a cifs mount with a wrong password fails; the right credentials keep
# working before and after.
# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"

need smbclient
need_root

# as_user CREDENTIALS UNC [smbclient options]: run ls, print the output.
as_user() {
	local cred=$1 unc=$2
	shift 2
	timeout -k 5 60 smbclient "$unc" -U "$cred" "$@" -c ls 2>&1
}

# refused DESCRIPTION NT_STATUS CREDENTIALS UNC [options]
refused() {
	local what=$1 status=$2 cred=$3 unc=$4 out rc
	shift 4
	out=$(as_user "$cred" "$unc" "$@")
	rc=$?
	check_ne "$what: smbclient exit status" 0 "$rc"
	check_contains "$what: $status" "$status" "$out"
}

works() {
	local what=$1 out rc
	out=$(as_user "$SMB_USER%$SMB_PASS" "$UNC")
	rc=$?
	check_eq "$what: smbclient exit status" 0 "$rc"
	check_lacks "$what: no NT_STATUS error" NT_STATUS_ "$out"
}

works "right credentials (before)"

refused "wrong password" NT_STATUS_LOGON_FAILURE "$SMB_USER%wrongpass" "$UNC"
refused "wrong password, SMB2_10" NT_STATUS_LOGON_FAILURE \
	"$SMB_USER%wrongpass" "$UNC" -m SMB2_10
refused "password in the wrong case" NT_STATUS_LOGON_FAILURE \
	"$SMB_USER%${SMB_PASS^^}" "$UNC"
refused "empty password" NT_STATUS_LOGON_FAILURE "$SMB_USER%" "$UNC"
refused "unknown user" NT_STATUS_LOGON_FAILURE "nosuchuser%$SMB_PASS" "$UNC"
refused "unknown share" NT_STATUS_BAD_NETWORK_NAME "$SMB_USER%$SMB_PASS" \
	"//$SMB_HOST/nosuchshare"

if cifs_available; then
	mnt=/mnt/ksmbd-auth.$$
	mkdir -p "$mnt"
	on_exit "cifs_umount '$mnt'; rmdir '$mnt'"
	out=$(timeout -k 5 60 mount -t cifs "$UNC" "$mnt" \
		-o "username=$SMB_USER,password=wrongpass,vers=3.1.1" 2>&1)
	check_ne "cifs mount with a wrong password fails" 0 $?
	check_not "nothing is mounted" mountpoint -q "$mnt"
	note "mount said: $out"
	cifs_umount "$mnt" 2>/dev/null
	cifs_mount "$mnt" vers=3.1.1 >/dev/null
	check "cifs mount with the right password works" mountpoint -q "$mnt"
	cifs_umount "$mnt"
else
	note "no cifs support: cifs mount part not run"
fi

works "right credentials (after)"

finish
