#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Files shared with Debian's ksmbd-tools: its password database and
# configuration files load here, and what our tools write, its tools read.
#
# Its tools are run, never built on: the package is fetched with
# "apt-get download" and unpacked with dpkg -x into a scratch directory
# (it conflicts with samba, so it is not installed). Set KSMBD_TOOLS_ROOT
# to an unpacked tree to skip the download.
#
# Usage: tests/ksmbd-tools-compat.sh   (from tools/ksmbd, after make)
set -u

here=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
# shows CONF DB PATTERN: our ksmbd.mountd --check of CONF and DB prints an
# effective configuration that matches PATTERN.
shows() { "$ours/ksmbd.mountd" --check -C "$1" -P "$2" 2>/dev/null | grep -q -- "$3"; }
# warns CONF DB PATTERN: ... and a warning that matches PATTERN.
warns() { "$ours/ksmbd.mountd" --check -C "$1" -P "$2" 2>&1 >/dev/null | grep -q -- "$3"; }

root=${KSMBD_TOOLS_ROOT:-}
if [ -z "$root" ]; then
	root=$scratch/ksmbd-tools
	if ! (cd "$scratch" && apt-get download ksmbd-tools >/dev/null 2>&1) ||
	   ! dpkg -x "$scratch"/ksmbd-tools_*.deb "$root"; then
		echo "SKIP: cannot fetch Debian's ksmbd-tools (apt-get download ksmbd-tools)"
		echo "0 passed, 0 failed"
		exit 77
	fi
fi
their=$root/usr/sbin
ours=$here
[ -x "$their/ksmbd.adduser" ] || { echo "no ksmbd.adduser in $root"; exit 2; }
echo "ksmbd-tools: $("$their/ksmbd.adduser" -V 2>&1 | head -1)"

cd "$scratch"
printf '[global]\n' >empty.conf

# 1. A database written by ksmbd-tools loads here and can be edited.
"$their/ksmbd.adduser" -a alice -p Secret1 -i theirs.db -c empty.conf >/dev/null 2>&1
"$their/ksmbd.adduser" -a bob -p '' -i theirs.db -c empty.conf >/dev/null 2>&1
check "their database loads (2 users)" shows empty.conf theirs.db '^# .*, 2 users in '
check "our adduser updates a user of their database" \
	sh -c "'$ours/ksmbd.adduser' -u alice -p Other -P theirs.db -C empty.conf >/dev/null"
check "after our edit the database still loads here" \
	sh -c "'$ours/ksmbd.mountd' --check -C empty.conf -P theirs.db >/dev/null 2>&1"

# 2. The same password gives the same line from either tool.
"$their/ksmbd.adduser" -a carol -p 'Pass word' -i same.db -c empty.conf >/dev/null 2>&1
"$ours/ksmbd.adduser" -a carol -p 'Pass word' -P ours.db -C empty.conf >/dev/null 2>&1
check "our database line is byte for byte theirs" cmp -s same.db ours.db

# 3. Their adduser reads and edits what ours wrote, keeping our users.
"$ours/ksmbd.adduser" -a dave -p x -P ours.db -C empty.conf >/dev/null 2>&1
check "their adduser updates a user of our database" \
	sh -c "'$their/ksmbd.adduser' -u carol -p y -i ours.db -c empty.conf 2>/dev/null"
check "their edit keeps our other user" grep -q '^dave:' ours.db
check "and the result loads here" shows empty.conf ours.db ', 2 users in '

# 4. Their example configuration loads ("path =" in [global] and all).
example=$root/usr/share/doc/ksmbd-tools/examples/ksmbd.conf.example
[ -f "$example" ] || example=$root/etc/ksmbd/ksmbd.conf.example
cp "$example" example.conf
check "their ksmbd.conf.example loads" \
	sh -c "'$ours/ksmbd.mountd' --check -C example.conf -P ours.db >/dev/null 2>&1"
check "its no-op defaults are reported" \
	warns example.conf ours.db "'oplocks = yes' has no effect yet"

# 5. A configuration written by their addshare loads here, and theirs
#    edits one written by ours.
cp empty.conf theirs.conf
"$their/ksmbd.addshare" -a data -o 'path = /tmp
guest ok = yes' -c theirs.conf >/dev/null 2>&1
check "a share written by their addshare loads here" \
	shows theirs.conf ours.db '^\[data\]'
cp empty.conf ours.conf
"$ours/ksmbd.addshare" -a pub -o 'path=/tmp guest ok=yes' -C ours.conf -n >/dev/null
check "their addshare updates a share written by ours" \
	sh -c "'$their/ksmbd.addshare' -u pub -o 'read only = no' -c ours.conf 2>/dev/null"
check "and the result loads here" shows ours.conf ours.db 'read only = no'

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
