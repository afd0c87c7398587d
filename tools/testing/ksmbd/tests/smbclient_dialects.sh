#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# smbclient pinned to each SMB2/3 dialect in turn (client min = max), so the
# connection only works if the server negotiates exactly that dialect; each
# lists the share and reads a file back. Then each dialect again with
# signing required (HMAC-SHA256 for 2.x, AES-CMAC for 3.0/3.0.2, AES-GMAC
# or AES-CMAC for 3.1.1): the client checks the SPNEGO mechListMIC and
# every signed response, and writes and reads back a 1 MiB file.
# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"

need smbclient
need_root
need_share

scratch_dir L
share_subdir D dialects
S=$SHARE_DIR/$D
printf 'dialect probe\n' >"$S/probe.txt"
chown "$SHARE_UID:$SHARE_GID" "$S/probe.txt"

for p in SMB2_02 SMB2_10 SMB3_00 SMB3_02 SMB3_11; do
	opts=(-m "$p" --option="client min protocol=$p"
	      --option="client max protocol=$p" -D "$D")
	if smb_ok "$p: ls" "ls" "${opts[@]}"; then
		check_matches "$p: probe.txt listed with size 14" \
			'^ +probe\.txt +[A-Z]* +14 ' "$SMB_OUT"
	fi
	rm -f "$L/probe.txt"
	smb_ok "$p: get probe.txt" "lcd $L; get probe.txt" "${opts[@]}"
	check_file_eq "$p: probe.txt content" "$S/probe.txt" "$L/probe.txt"
done

head -c 1048576 /dev/urandom >"$L/signed.bin"
for p in SMB2_02 SMB2_10 SMB3_00 SMB3_02 SMB3_11; do
	opts=(-m "$p" --option="client min protocol=$p"
	      --option="client max protocol=$p" --client-protection=sign
	      -D "$D")
	rm -f "$L/back.bin"
	smb_ok "$p signed: put and get 1 MiB" \
		"lcd $L; put signed.bin s-$p.bin; get s-$p.bin back.bin" \
		"${opts[@]}"
	check_file_eq "$p signed: content" "$L/signed.bin" "$L/back.bin"
done

finish
