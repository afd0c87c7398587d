# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared helpers for the shell tests of the in-guest suite. Sourced by each
# test as
#
#	. "$(dirname "$0")/../lib.sh"
#
# A test calls check_* for every comparison (a failed check is reported and
# counted, the test goes on), die for a failure after which going on makes
# no sense, skip to give up without judging, and finally finish, which
# exits 1 if any check failed and 0 otherwise.

export KSMBD_TESTS
KSMBD_TESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

SMB_HOST=${SMB_HOST:-127.0.0.1}
SMB_SHARE=${SMB_SHARE:-share}
SMB_USER=${SMB_USER:-testuser}
SMB_PASS=${SMB_PASS:-testpass}
SHARE_DIR=${SHARE_DIR:-/srv/share}
SHARE_UID=${SHARE_UID:-2000}
SHARE_GID=${SHARE_GID:-2000}
UNC=//$SMB_HOST/$SMB_SHARE
PYTHON=${PYTHON:-/usr/bin/python3}

SKIP_STATUS=77
_failures=0
_checks=0
_cleanups=()

note() { echo "# $*"; }

# A failed comparison: reported and counted, the test goes on.
fail() {
	_failures=$((_failures + 1))
	echo "not ok: $*"
}

pass() {
	echo "ok: $*"
}

# A failure that makes the rest of the test meaningless.
die() {
	echo "fatal: $*"
	_checks=$((_checks + 1))
	_failures=$((_failures + 1))
	finish
}

skip() {
	echo "skip: $*"
	_run_cleanups
	exit "$SKIP_STATUS"
}

_run_cleanups() {
	local i
	trap - EXIT
	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_cleanups[i]}" >/dev/null 2>&1 || true
	done
	_cleanups=()
}

# The script ended without finish: keep an error status, else judge.
_exit_trap() {
	local rc=$1
	if [ "$rc" -ne 0 ]; then
		_run_cleanups
		echo "test script exited with status $rc"
		[ "$rc" -eq "$SKIP_STATUS" ] && rc=1
		exit "$rc"
	fi
	finish
}

# Run every registered cleanup (in reverse order) and exit with the verdict.
finish() {
	_run_cleanups
	if [ "$_failures" -gt 0 ]; then
		echo "$_failures of $_checks checks failed"
		exit 1
	fi
	if [ "$_checks" -eq 0 ]; then
		echo "no checks were made"
		exit 1
	fi
	echo "all $_checks checks passed"
	exit 0
}

# on_exit CMD: run CMD (a string, evaluated) when the test finishes.
on_exit() {
	_cleanups+=("$1")
	trap '_exit_trap $?' EXIT
}

# check DESCRIPTION CMD ARGS...: CMD must succeed.
check() {
	local what=$1
	shift
	_checks=$((_checks + 1))
	if "$@"; then
		pass "$what"
	else
		fail "$what"
		return 1
	fi
}

# check_not DESCRIPTION CMD ARGS...: CMD must fail.
check_not() {
	local what=$1
	shift
	_checks=$((_checks + 1))
	if "$@"; then
		fail "$what"
		return 1
	else
		pass "$what"
	fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	_checks=$((_checks + 1))
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1: expected '$2', got '$3'"
		return 1
	fi
}

# check_ne DESCRIPTION UNEXPECTED ACTUAL
check_ne() {
	_checks=$((_checks + 1))
	if [ "$2" != "$3" ]; then
		pass "$1"
	else
		fail "$1: got '$3', which it must not be"
		return 1
	fi
}

# check_contains DESCRIPTION NEEDLE HAYSTACK (fixed string)
check_contains() {
	_checks=$((_checks + 1))
	if printf '%s\n' "$3" | grep -qF -- "$2"; then
		pass "$1"
	else
		fail "$1: '$2' not found in:"
		printf '%s\n' "$3" | sed 's/^/    | /'
		return 1
	fi
}

# check_lacks DESCRIPTION NEEDLE HAYSTACK (fixed string)
check_lacks() {
	_checks=$((_checks + 1))
	if printf '%s\n' "$3" | grep -qF -- "$2"; then
		fail "$1: '$2' found in:"
		printf '%s\n' "$3" | sed 's/^/    | /'
		return 1
	else
		pass "$1"
	fi
}

# check_matches DESCRIPTION EXTENDED_REGEX HAYSTACK
check_matches() {
	_checks=$((_checks + 1))
	if printf '%s\n' "$3" | grep -qE -- "$2"; then
		pass "$1"
	else
		fail "$1: /$2/ does not match:"
		printf '%s\n' "$3" | sed 's/^/    | /'
		return 1
	fi
}

check_exists() {
	_checks=$((_checks + 1))
	if [ -e "$2" ] || [ -L "$2" ]; then
		pass "$1"
	else
		fail "$1: $2 does not exist"
		return 1
	fi
}

check_absent() {
	_checks=$((_checks + 1))
	if [ -e "$2" ] || [ -L "$2" ]; then
		fail "$1: $2 exists"
		return 1
	else
		pass "$1"
	fi
}

# check_file_eq DESCRIPTION EXPECTED_FILE ACTUAL_FILE: same bytes.
check_file_eq() {
	_checks=$((_checks + 1))
	if [ ! -f "$3" ]; then
		fail "$1: $3 is missing"
		return 1
	fi
	if cmp -s -- "$2" "$3"; then
		pass "$1"
	else
		fail "$1: $3 differs from $2 (sizes $(fsize "$2") and $(fsize "$3"))"
		return 1
	fi
}

fsize() { stat -c %s -- "$1" 2>/dev/null || echo missing; }
fowner() { stat -c %u -- "$1" 2>/dev/null || echo missing; }
ftype() { stat -c %F -- "$1" 2>/dev/null || echo missing; }
fsha() { sha256sum -- "$1" 2>/dev/null | cut -d' ' -f1; }

# need CMD...: skip the test unless every command is available.
need() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c is not installed"
	done
}

need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root (runs inside the test guest)"
}

# need_share: the test inspects the exported directory directly.
need_share() {
	[ -d "$SHARE_DIR" ] || skip "$SHARE_DIR does not exist (not in the test guest?)"
}

# scratch_dir VAR: a fresh local directory (path stored in VAR), removed
# at the end. Not to be called in $(...): the cleanup would be lost.
scratch_dir() {
	local d
	d=$(mktemp -d /tmp/ksmbd-test.XXXXXX) || die "mktemp failed"
	on_exit "rm -rf '$d'"
	printf -v "$1" '%s' "$d"
}

# share_subdir VAR NAME: a fresh directory NAME.<pid> in the share, owned by
# the test user; its name relative to the share is stored in VAR. Removed at
# the end.
share_subdir() {
	local name=$2.$$
	rm -rf "${SHARE_DIR:?}/$name"
	mkdir "$SHARE_DIR/$name" || die "cannot create $SHARE_DIR/$name"
	chown "$SHARE_UID:$SHARE_GID" "$SHARE_DIR/$name"
	on_exit "rm -rf '$SHARE_DIR/$name'"
	printf -v "$1" '%s' "$name"
}

# make_random FILE SIZE_IN_KIB
make_random() {
	dd if=/dev/urandom of="$1" bs=1024 count="$2" status=none ||
		die "cannot create $1"
}

# smbc [smbclient options] -c COMMANDS: smbclient as the test user, SMB3.
# Output (stdout and stderr) is printed; the exit status is smbclient's.
smbc() {
	timeout -k 5 120 smbclient "$UNC" -U "$SMB_USER%$SMB_PASS" -m SMB3 "$@" 2>&1
}

# smb_ok DESCRIPTION SMBCLIENT_COMMANDS [smbclient options]: the commands
# must succeed and no NT_STATUS error may be printed. The output is left in
# $SMB_OUT.
SMB_OUT=
smb_ok() {
	local what=$1 cmds=$2 rc
	shift 2
	SMB_OUT=$(smbc "$@" -c "$cmds")
	rc=$?
	_checks=$((_checks + 1))
	if [ $rc -eq 0 ] && ! printf '%s\n' "$SMB_OUT" | grep -q 'NT_STATUS_'; then
		pass "$what"
		return 0
	fi
	fail "$what (smbclient -c '$cmds' exit $rc):"
	printf '%s\n' "$SMB_OUT" | sed 's/^/    | /'
	return 1
}

# smb_reached OUTPUT: smbclient got as far as the share (the connection,
# the session setup and the tree connect worked).
smb_reached() {
	local refused='do_connect:|session setup failed|tree connect failed'

	refused+='|NT_STATUS_CONNECTION_|NT_STATUS_IO_TIMEOUT'
	refused+='|NT_STATUS_LOGON_FAILURE'
	! printf '%s\n' "$1" | grep -qE "$refused"
}

# smb_err DESCRIPTION NT_STATUS SMBCLIENT_COMMANDS [smbclient options]: the
# commands must fail with the given NT_STATUS, or if it is "" with any
# error after reaching the share (a dead server is no refusal).
smb_err() {
	local what=$1 status=$2 cmds=$3
	shift 3
	SMB_OUT=$(smbc "$@" -c "$cmds")
	_checks=$((_checks + 1))
	if [ -n "$status" ]; then
		if printf '%s\n' "$SMB_OUT" | grep -qF "$status"; then
			pass "$what"
			return 0
		fi
	elif printf '%s\n' "$SMB_OUT" | grep -q 'NT_STATUS_' &&
	     smb_reached "$SMB_OUT"; then
		pass "$what"
		return 0
	fi
	fail "$what: expected ${status:-an NT_STATUS error} from smbclient -c '$cmds', got:"
	printf '%s\n' "$SMB_OUT" | sed 's/^/    | /'
	return 1
}

# cifs_available: the guest kernel and the userspace helper can mount cifs.
cifs_available() {
	command -v mount.cifs >/dev/null 2>&1 || return 1
	grep -qw cifs /proc/filesystems 2>/dev/null || modprobe cifs 2>/dev/null
	grep -qw cifs /proc/filesystems 2>/dev/null
}

# cifs_mount DIR OPTIONS: mount the share at DIR as the test user.
cifs_mount() {
	timeout -k 5 60 mount -t cifs "$UNC" "$1" \
		-o "username=$SMB_USER,password=$SMB_PASS,$2" 2>&1
}

cifs_umount() {
	local i
	for i in 1 2 3; do
		mountpoint -q "$1" || return 0
		umount "$1" 2>/dev/null && return 0
		sleep 1
	done
	umount -l "$1"
}

# torture_run SUITE TEST...: run the smbtorture subtests SUITE.TEST in one
# smbtorture process, from a scratch directory, with its output indented
# in the log. smbtorture must neither crash nor time out, and each subtest
# must end as the caller's associative arrays say (declare both, empty if
# need be): one named in "missing" (TEST -> why: a feature the server does
# not have yet) must only come to a verdict, and is reported as skipped; one
# named in "expect" (TEST -> "VERDICT|why") must end with VERDICT; every
# other must pass.
torture_run() {
	local suite=$1 t out rc verdict want run=""
	shift
	for t in "$@"; do
		run="$run $suite.$t"
	done
	scratch_dir _torture
	# shellcheck disable=SC2086,SC2154
	out=$(cd "$_torture" && timeout -k 5 500 smbtorture \
		"//$SMB_HOST/$SMB_SHARE" -U "$SMB_USER%$SMB_PASS" $run 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/    | /'
	check_not "smbtorture did not crash or time out (status $rc)" \
		grep -qE '^(INTERNAL ERROR|PANIC)' <<<"$out"
	check "smbtorture exited by itself (status $rc)" test "$rc" -lt 124
	for t in "$@"; do
		verdict=$(sed -nE "s/^(success|failure|error|skip|xfail): $t( .*)?\$/\\1/p" \
			<<<"$out" | head -n 1)
		# shellcheck disable=SC2154
		if [ -n "${missing[$t]:-}" ]; then
			check "$t ran to a verdict" test -n "$verdict"
			note "skip: $t (${missing[$t]}); smbtorture said: ${verdict:-nothing}"
		elif [ -n "${expect[$t]:-}" ]; then
			want=${expect[$t]}
			check_eq "$t: ${want%%|*} (${want#*|})" "${want%%|*}" "$verdict"
		else
			check_eq "$t passes" success "$verdict"
		fi
	done
}
