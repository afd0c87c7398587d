#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# smbtorture's smb2.connect test (connect, session setup, tree connect,
# create, read, write, close, logoff) must report success and no failure.
# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"

need smbtorture
[ -f /etc/samba/smb.conf ] || skip "smbtorture needs /etc/samba/smb.conf"

scratch_dir T
cd "$T" || die "cannot cd to $T"
out=$(timeout -k 5 240 smbtorture "//$SMB_HOST/$SMB_SHARE" \
	-U "$SMB_USER%$SMB_PASS" smb2.connect 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/    | /'

check_eq "smbtorture exit status" 0 "$rc"
check_matches "success: connect reported" '^success: (smb2\.)?connect' "$out"
check_not "no failure/error line" \
	grep -qE '^(failure|error|skip|xfail): ' <<<"$out"
check_not "no NT_STATUS error in the output" grep -q 'NT_STATUS_' <<<"$out"

finish
