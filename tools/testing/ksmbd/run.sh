#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In-guest runner of the ksmbd integration tests (see README.md).
#
#   run.sh [-v] [-t SECONDS] [-l] [TEST...]
#
# Runs every test in tests/ (*.sh and *.py), or only the named ones (name
# with or without its extension), each under a timeout. A test exits 0 for
# pass, 77 for skip and anything else for failure. After every test the
# runner checks that the server still serves the share and that the kernel
# log shows no new BUG/WARNING/Oops/KASAN/UBSAN/... report; either problem
# fails the test that was just run.
#
#   -v          also print the output of tests that passed or were skipped
#   -t SECONDS  default per-test timeout (default 300; a test can ask for
#               more with a line "# ksmbd-test-timeout: SECONDS")
#   -l          list the tests and exit
#
# Every test's output is also kept in $KSMBD_OUT/tests/NAME.log and the
# kernel log in $KSMBD_OUT/tests/dmesg.log when $KSMBD_OUT is set.
set -u

here=$(cd "$(dirname "$0")" && pwd)
testdir=$here/tests
verbose=0
default_timeout=${KSMBD_TEST_TIMEOUT:-300}
list_only=0

while getopts "vt:lh" opt; do
	case $opt in
	v) verbose=1;;
	t) default_timeout=$OPTARG;;
	l) list_only=1;;
	h) sed -n '4,21p' "$0"; exit 0;;
	*) sed -n '4,21p' "$0" >&2; exit 2;;
	esac
done
shift $((OPTIND - 1))

export SMB_HOST=${SMB_HOST:-127.0.0.1}
export SMB_SHARE=${SMB_SHARE:-share}
export SMB_USER=${SMB_USER:-testuser}
export SMB_PASS=${SMB_PASS:-testpass}
export SHARE_DIR=${SHARE_DIR:-/srv/share}
export PYTHON=${PYTHON:-/usr/bin/python3}
export PYTHONDONTWRITEBYTECODE=1	# the repository may be read-only

# Kernel log lines that mean the kernel found a bug.
bad_kmsg='BUG:|WARNING:|Oops|KASAN|UBSAN|general protection|stack-protector'
bad_kmsg+='|Kernel panic|soft lockup|blocked for more than|list_(add|del) corruption'
bad_kmsg+='|refcount_t:|rcu_(sched|preempt) (self-)?detected stall'

logdir=
if [ -n "${KSMBD_OUT:-}" ] && [ -d "$KSMBD_OUT" ] && [ -w "$KSMBD_OUT" ]; then
	logdir=$KSMBD_OUT/tests
else
	logdir=/tmp/ksmbd-tests
fi
mkdir -p "$logdir" || logdir=$(mktemp -d)
work=$(mktemp -d /tmp/ksmbd-run.XXXXXX)
trap 'rm -rf "$work"' EXIT

all_tests() {
	local f
	for f in "$testdir"/*.sh "$testdir"/*.py; do
		[ -f "$f" ] && echo "$f"
	done | sort
}

# resolve NAME: print the test file for NAME, or nothing.
resolve() {
	local n=$1 f
	n=${n##*/}
	for f in "$testdir/$n" "$testdir/$n.sh" "$testdir/$n.py"; do
		if [ -f "$f" ]; then
			echo "$f"
			return
		fi
	done
}

test_name() {
	local n=${1##*/}
	echo "${n%.*}"
}

test_timeout() {
	local t
	t=$(sed -n '1,30s/^# *ksmbd-test-timeout: *\([0-9][0-9]*\).*/\1/p' "$1" |
	    head -n1)
	echo "${t:-$default_timeout}"
}

# server_ok: the share can be listed as the test user (three tries).
server_ok() {
	local i out
	for i in 1 2 3; do
		out=$(timeout -k 5 30 smbclient "//$SMB_HOST/$SMB_SHARE" \
		      -U "$SMB_USER%$SMB_PASS" -c ls 2>&1) &&
		    ! printf '%s\n' "$out" | grep -q NT_STATUS_ && return 0
		[ "$i" -lt 3 ] && sleep 2
	done
	printf '%s\n' "$out" | tail -n 5 >"$work/health"
	return 1
}

kmsg_ok=1
if ! dmesg >/dev/null 2>&1; then
	echo "note: cannot read the kernel log (not root?): not checking it"
	kmsg_ok=0
fi

# new_kmsg: print the kernel log written since the last call and clear it.
new_kmsg() {
	[ "$kmsg_ok" = 1 ] || return 0
	dmesg -c 2>/dev/null
}

# after_test NAME: clean up what a test may have left behind.
after_test() {
	local mp
	# cifs mounts (deepest first).
	awk '$3 == "cifs" || $3 == "smb3" { print $2 }' /proc/mounts 2>/dev/null |
	    sort -r | while read -r mp; do
		umount "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null
	done
	# Leftovers in the share, so that tests do not see each other's files.
	if [ -d "$SHARE_DIR" ] && [ "$(id -u)" = 0 ]; then
		find "$SHARE_DIR" -mindepth 1 -maxdepth 1 ! -name lost+found \
		     -exec rm -rf {} + 2>/dev/null
	fi
}

indent() { sed 's/^/    /'; }

if [ $# -gt 0 ]; then
	tests=()
	missing=()
	for a in "$@"; do
		f=$(resolve "$a")
		if [ -n "$f" ]; then
			tests+=("$f")
		else
			missing+=("$a")
		fi
	done
else
	# No process substitution: the guest has no /dev/fd.
	mapfile -t tests <<<"$(all_tests)"
	[ -n "${tests[0]}" ] || tests=()
	missing=()
fi

if [ $list_only = 1 ]; then
	for f in "${tests[@]}"; do
		test_name "$f"
	done
	exit 0
fi

passed=0 failed=0 skipped=0

for a in "${missing[@]}"; do
	echo "FAIL: $a"
	echo "    no test called '$a' in $testdir"
	failed=$((failed + 1))
done

# Problems that predate the first test are reported on their own.
kmsg=$(new_kmsg)
printf '%s\n' "$kmsg" >>"$logdir/dmesg.log"
if printf '%s\n' "$kmsg" | grep -qE "$bad_kmsg"; then
	echo "FAIL: kernel-log-before-tests"
	printf '%s\n' "$kmsg" | grep -E -B2 -A20 "$bad_kmsg" | head -n 60 | indent
	failed=$((failed + 1))
fi
server_up=1
if ! server_ok; then
	server_up=0
	echo "note: the server does not answer before the first test:"
	indent <"$work/health"
fi

for f in "${tests[@]}"; do
	name=$(test_name "$f")
	log=$logdir/$name.log
	limit=$(test_timeout "$f")
	start=$(date +%s)
	if [ -x "$f" ]; then
		cmd=("$f")
	elif [ "${f##*.}" = py ]; then
		cmd=("$PYTHON" "$f")
	else
		cmd=(bash "$f")
	fi
	(cd /tmp && exec timeout -k 10 "$limit" "${cmd[@]}") >"$log" 2>&1 </dev/null
	rc=$?
	secs=$(($(date +%s) - start))
	reasons=()
	case $rc in
	0) verdict=PASS;;
	77) verdict=SKIP;;
	124|137) verdict=FAIL; reasons+=("timed out after ${limit}s");;
	*) verdict=FAIL; reasons+=("exit status $rc");;
	esac

	kmsg=$(new_kmsg)
	{
		echo "=== after $name"
		printf '%s\n' "$kmsg"
	} >>"$logdir/dmesg.log"
	if printf '%s\n' "$kmsg" | grep -qE "$bad_kmsg"; then
		verdict=FAIL
		reasons+=("kernel log reports a problem:")
		printf '%s\n' "$kmsg" | grep -E -B2 -A20 "$bad_kmsg" |
		    head -n 60 >"$work/kmsg"
	else
		: >"$work/kmsg"
	fi

	if server_ok; then
		server_up=1
	elif [ $server_up = 1 ]; then
		verdict=FAIL
		reasons+=("the server stopped answering after this test:")
		server_up=0
	else
		reasons+=("(the server was already not answering before it)")
	fi

	after_test

	echo "$verdict: $name"
	case $verdict in
	PASS) passed=$((passed + 1));;
	SKIP) skipped=$((skipped + 1));;
	FAIL) failed=$((failed + 1));;
	esac
	if [ $verdict = FAIL ] || [ $verbose = 1 ]; then
		indent <"$log"
		for r in "${reasons[@]}"; do
			echo "    -- $r"
			case $r in
			"kernel log"*) indent <"$work/kmsg";;
			"the server stopped"*) indent <"$work/health";;
			esac
		done
		[ $verbose = 1 ] && echo "    -- ${secs}s"
	elif [ $verdict = SKIP ]; then
		grep -m1 -i '^skip' "$log" | indent
	fi
	echo "$verdict ${secs}s" >>"$log"
done

echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
