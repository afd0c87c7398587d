#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A client must not get out of the share: symlinks made on the server that
# point outside it (absolute and relative, to /etc, to the root, to a
# secret directory next to the share and to /tmp) must not let smbclient
# or a cifs mount read, list or write anything outside, and names with ".."
# (sent by hand, see helpers/dotdot.py) must be refused.
# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"

need smbclient
need_root
need_share

scratch_dir L
share_subdir D escape
S=$SHARE_DIR/$D
parent=$(dirname "$SHARE_DIR")
secret_dir=$parent/secret.$$
secret="secret-$$-$RANDOM$RANDOM"
mkdir -p "$secret_dir"
on_exit "rm -rf '$secret_dir' '/tmp/escaped.$$' '/tmp/escdir.$$'"
printf '%s\n' "$secret" >"$secret_dir/secret.txt"
chmod -R a+rX "$secret_dir"	# readable by the test user: only the server's
				# confinement stands in the way

ln -s /etc "$SHARE_DIR/etc_link"
ln -s ../.. "$SHARE_DIR/up"
ln -s /etc/passwd "$S/passwd_link"
ln -s ../../../etc/passwd "$S/rel_passwd_link"
ln -s "$secret_dir" "$S/secret_link"
ln -s "../../$(basename "$secret_dir")" "$S/rel_secret_link"
ln -s /tmp "$S/tmp_link"
on_exit "rm -f '$SHARE_DIR/etc_link' '$SHARE_DIR/up'"
[ "$(cat "$SHARE_DIR/up/etc/passwd")" = "$(cat /etc/passwd)" ] ||
	die "symlink setup is wrong"
[ "$(cat "$S/rel_secret_link/secret.txt")" = "$secret" ] ||
	die "symlink setup is wrong"

# no_read DESCRIPTION REMOTE_PATH EXPECTED_IF_LEAKED
no_read() {
	local what=$1 remote=$2 leaked=$3 local_copy=$L/got.$RANDOM
	smb_err "get $what is refused" "" "lcd $L; get $remote ${local_copy##*/}"
	_checks=$((_checks + 1))
	if [ -f "$local_copy" ] && cmp -s "$local_copy" "$leaked"; then
		fail "get $what read $leaked"
	else
		pass "get $what did not read $leaked"
	fi
}

# Controls: the share works. (Whether links that lead outside are listed
# at all is the server's choice: Samba hides them.)
printf 'inside the share\n' >"$S/inside.txt"
chown "$SHARE_UID:$SHARE_GID" "$S/inside.txt"
smb_ok "control: get a plain file" "lcd $L; get $D\\inside.txt inside.txt"
check_file_eq "control: its content" "$S/inside.txt" "$L/inside.txt"
if smb_ok "control: ls of the share root" "ls"; then
	check_matches "control: $D is listed" "^ +$D +D" "$SMB_OUT"
fi

printf '%s\n' "$secret" >"$L/secret.expected"
no_read "etc_link/passwd" 'etc_link\passwd' /etc/passwd
no_read "up/etc/passwd" 'up\etc\passwd' /etc/passwd
no_read "passwd_link (absolute)" "$D\\passwd_link" /etc/passwd
no_read "rel_passwd_link (relative)" "$D\\rel_passwd_link" /etc/passwd
no_read "secret_link/secret.txt" "$D\\secret_link\\secret.txt" "$L/secret.expected"
no_read "rel_secret_link/secret.txt" "$D\\rel_secret_link\\secret.txt" \
	"$L/secret.expected"

# Listing through the links shows nothing from outside.
SMB_OUT=$(smbc -c 'ls etc_link\*')
check "ls etc_link\\* reached the share" smb_reached "$SMB_OUT"
check_lacks "ls etc_link\\* does not show passwd" " passwd " "$SMB_OUT"
check_lacks "ls etc_link\\* does not show hostname" " hostname " "$SMB_OUT"
SMB_OUT=$(smbc -c 'ls up\*')
check "ls up\\* reached the share" smb_reached "$SMB_OUT"
check_not "ls up\\* does not show /etc, /usr or /proc" \
	grep -qE '^ +(etc|usr|proc) +D' <<<"$SMB_OUT"
SMB_OUT=$(smbc -c "ls $D\\secret_link\\*")
check "ls secret_link\\* reached the share" smb_reached "$SMB_OUT"
check_lacks "ls secret_link\\* does not show secret.txt" "secret.txt" "$SMB_OUT"

# Writing through the links.
printf 'written from the client\n' >"$L/w.txt"
smb_err "put through tmp_link is refused" "" \
	"lcd $L; put w.txt $D\\tmp_link\\escaped.$$"
check_absent "nothing written to /tmp" "/tmp/escaped.$$"
smb_err "mkdir through up is refused" "" "mkdir up\\tmp\\escdir.$$"
check_absent "no directory made in /tmp" "/tmp/escdir.$$"
smb_err "put through secret_link is refused" "" \
	"lcd $L; put w.txt $D\\secret_link\\new.txt"
check_absent "nothing written to the secret directory" "$secret_dir/new.txt"
check_eq "secret.txt untouched" "$secret" "$(cat "$secret_dir/secret.txt")"

# The same through a cifs mount. If the client itself shows the link as a
# symlink, following it happens on the client (this very machine), which
# says nothing about the server: that part is then not judged.
if cifs_available; then
	mnt=/mnt/ksmbd-escape.$$
	mkdir -p "$mnt"
	on_exit "cifs_umount '$mnt'; rmdir '$mnt'"
	out=$(cifs_mount "$mnt" vers=3.1.1,cache=none)
	if mountpoint -q "$mnt"; then
		for link in "$D/secret_link" "$D/rel_secret_link" etc_link up; do
			if [ -L "$mnt/$link" ]; then
				note "cifs: $link is a symlink on the client: not judged"
				continue
			fi
			case $link in
			*secret*) f=$mnt/$link/secret.txt; want=$L/secret.expected;;
			etc_link) f=$mnt/$link/passwd; want=/etc/passwd;;
			up) f=$mnt/$link/etc/passwd; want=/etc/passwd;;
			esac
			check_not "cifs: reading ${f#"$mnt"/} does not give $want" \
				cmp -s "$f" "$want"
		done
		for link in "$D/passwd_link" "$D/rel_passwd_link"; do
			[ -L "$mnt/$link" ] && continue
			check_not "cifs: reading $link does not give /etc/passwd" \
				cmp -s "$mnt/$link" /etc/passwd
		done
		check_not "cifs: cannot create a file through tmp_link" \
			sh -c "echo x >'$mnt/$D/tmp_link/escaped.$$'" 2>/dev/null
		check_absent "cifs: nothing written to /tmp" "/tmp/escaped.$$"
		cifs_umount "$mnt"
	else
		note "cifs mount failed, part not run: $out"
	fi
fi

# Names with "..", sent as they are.
if [ -x "$PYTHON" ]; then
	mkdir -p "$S/sub"
	chown "$SHARE_UID:$SHARE_GID" "$S/sub"
	check "names with .. are refused (helpers/dotdot.py)" \
		"$PYTHON" "$KSMBD_TESTS/helpers/dotdot.py" "$D\\sub"
else
	note "no $PYTHON: .. names not checked"
fi

finish
