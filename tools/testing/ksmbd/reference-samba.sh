#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Check the tests themselves: run them inside the test guest against
# Samba's smbd (when the host has it) instead of our server.
#
#   scripts/ksmbd-vm --no-daemon -- \
#       /path/to/tools/testing/ksmbd/<this script> [run options] [TEST...]
#
# smbd gets the same share, user and password as our daemon; a test that
# fails here is more likely wrong than the server (or Samba behaves
# differently on purpose: see README.md).
set -u
here=$(cd "$(dirname "$0")" && pwd)

command -v smbd >/dev/null 2>&1 || { echo "smbd is not installed"; exit 77; }
if ss -ltn 2>/dev/null | grep -q ':445 '; then
	echo "port 445 is taken: start the guest with --no-daemon"
	exit 1
fi

ref=/run/samba-ref
mkdir -p "$ref"/{private,lock,state,cache,pid}
conf=$ref/smb.conf
cat >"$conf" <<EOF
[global]
	server role = standalone server
	workgroup = WORKGROUP
	netbios name = SAMBAREF
	disable netbios = yes
	smb ports = 445
	map to guest = never
	server min protocol = SMB2_02
	load printers = no
	printing = bsd
	printcap name = /dev/null
	private dir = $ref/private
	lock directory = $ref/lock
	state directory = $ref/state
	cache directory = $ref/cache
	pid directory = $ref/pid
	ncalrpc dir = $ref/ncalrpc
	passdb backend = tdbsam:$ref/private/passdb.tdb
	log file = $ref/log.%m
	log level = 1

[share]
	path = ${SHARE_DIR:-/srv/share}
	read only = no
EOF

printf '%s\n%s\n' "${SMB_PASS:-testpass}" "${SMB_PASS:-testpass}" |
	smbpasswd -c "$conf" -s -a "${SMB_USER:-testuser}" >/dev/null ||
	{ echo "smbpasswd failed"; exit 1; }
smbd -s "$conf" -D || { echo "smbd did not start"; exit 1; }
for _ in $(seq 100); do
	ss -ltn 2>/dev/null | grep -q ':445 ' && break
	sleep 0.2
done
ss -ltn | grep -q ':445 ' || { echo "smbd is not listening"; exit 1; }

"$here/run.sh" "$@"
rc=$?
if [ -n "${KSMBD_OUT:-}" ] && [ -d "$KSMBD_OUT" ]; then
	mkdir -p "$KSMBD_OUT/samba-ref"
	cp "$ref"/log.* "$KSMBD_OUT/samba-ref/" 2>/dev/null
fi
kill "$(cat "$ref/pid/smbd.pid" 2>/dev/null)" 2>/dev/null
exit $rc
