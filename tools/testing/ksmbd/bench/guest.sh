#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The in-guest half of scripts/benchmark; run by scripts/ksmbd-vm
# --no-daemon in the bench kernel (the server is a module there).
#
#   guest.sh BENCH_DIR RESULT_DIR quick|full RUNS TARGET...
#
# TARGET is local, upstream or ours. For a server, the module is loaded
# with insmod, its daemon started, and the share mounted with the kernel
# cifs client over loopback at SMB 3.1.1, once plain and once with "seal"
# (targets "<server>" and "<server>-seal"); then the daemon is stopped and
# the module removed. This is done RUNS times, each time every target in
# turn (rounds outside, targets inside).
#
# Results are appended to RESULT_DIR/results.csv, one line per run:
#   target,workload,run,value          (value in the workload's unit)
#   target,workload,0,n/a              (the target could not be measured)
#   mem-<who>,figure,0,KiB per connection
# Logs of the daemons and of failed steps go to RESULT_DIR too.
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

bench=$1 resdir_host=$2 mode=$3 runs=$4
shift 4
targets=("$@")
top=$KSMBD_TOP
here=$top/tools/testing/ksmbd/bench
py=/usr/bin/python3

# Sizes: the full run and a quick one for development; "seq" runs only the
# sequential workloads, at full size and without seal.
if [ "$mode" = quick ]; then
	seq_size=128M rand_secs=5 nfiles=1000 nsmall=400
else
	seq_size=1G rand_secs=20 nfiles=10000 nsmall=2000
fi
small_size=16384 small_threads=8
step_timeout=1200

res=/mnt/res
mkdir -p $res
mount -t hostfs -o "$resdir_host" none $res || exit 1
csv=$res/results.csv
log=$res/guest.log
: >"$log"

note() { echo "bench: $*" | tee -a "$log"; }
record() { echo "$1,$2,$3,$4" >>"$csv"; }

mnt='' remount_opts='' is_cifs=0
smb=/mnt/smb

drop_caches() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
}

cifs_mount() {
	local opts=$1 _
	for _ in 1 2 3 4 5; do
		mount -t cifs //127.0.0.1/share $smb -o "$opts" 2>>"$log" &&
			return 0
		sleep 1
	done
	return 1
}

# Empty the caches of the client and the server: the next access reads
# from the disk and, over SMB, from the server.
fresh() {
	if [ $is_cifs = 1 ]; then
		umount $smb || return 1
		drop_caches
		cifs_mount "$remount_opts" || return 1
	else
		drop_caches
	fi
}

# fio with the common options; its JSON lands in $1.
fio_run() {
	local out=$1
	shift
	timeout $step_timeout fio --thread --output-format=json --output="$out" \
		"$@" >>"$log" 2>&1
}

# fio_value JSON read|write bw_bytes|iops
fio_value() {
	$py - "$@" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))['jobs'][0][sys.argv[2]]
v = j[sys.argv[3]]
print('%.2f' % (v / 1e6 if sys.argv[3] == 'bw_bytes' else v))
EOF
}

# rate "ops=N ... secs=S" [field] -> N/S (or field/S)
rate() {
	$py - "$1" "${2:-ops}" <<'EOF'
import sys
kv = dict(p.split('=') for p in sys.argv[1].split())
scale = 1e6 if sys.argv[2] == 'bytes' else 1
print('%.2f' % (float(kv[sys.argv[2]]) / scale / float(kv['secs'])))
EOF
}

fail_step() {
	note "$1: $2 failed (run $3)"
	record "$1" "$2" "$3" fail
}

# One round of every workload on $mnt, recorded as run $2 of target $1.
workloads() {
	local t=$1 r=$2 dir=$mnt/bench out v rw phase ok=1
	local j=/tmp/fio.json
	mkdir -p "$dir" || { fail_step "$t" mkdir "$r"; return 1; }

	rm -f "$dir/seq"
	fresh
	if fio_run $j --name=seqwrite --filename="$dir/seq" --rw=write \
		--bs=1M --size=$seq_size --ioengine=psync --end_fsync=1 &&
		v=$(fio_value $j write bw_bytes); then
		record "$t" seqwrite "$r" "$v"
	else
		fail_step "$t" seqwrite "$r"
	fi
	fresh
	if fio_run $j --name=seqread --filename="$dir/seq" --rw=read \
		--bs=1M --size=$seq_size --ioengine=psync &&
		v=$(fio_value $j read bw_bytes); then
		record "$t" seqread "$r" "$v"
	else
		fail_step "$t" seqread "$r"
	fi
	if [ "$mode" = seq ]; then
		rm -rf "$dir"
		return 0
	fi

	# Random I/O must reach the server, not the client's page cache: the
	# local disk is opened O_DIRECT, the share is remounted cache=none
	# (an O_DIRECT open over SMB asks for FILE_NO_INTERMEDIATE_BUFFERING,
	# which a server may refuse together with write access).
	local direct=1 saved=$remount_opts
	if [ $is_cifs = 1 ]; then
		direct=0 remount_opts=$saved,cache=none
	fi
	for rw in randread randwrite; do
		fresh
		if fio_run $j --name=$rw --filename="$dir/seq" --rw=$rw \
			--bs=4k --size=$seq_size --direct=$direct \
			--ioengine=libaio --iodepth=16 --time_based \
			--runtime=$rand_secs --randrepeat=0 &&
			v=$(fio_value $j ${rw#rand} iops); then
			record "$t" $rw "$r" "$v"
		else
			fail_step "$t" $rw "$r"
		fi
	done
	remount_opts=$saved
	rm -f "$dir/seq"

	# Metadata: a fresh cache before every phase, so each one reaches
	# the disk (and the server) instead of the client's caches.
	for phase in create list stat unlink; do
		fresh
		if [ $ok = 1 ] &&
			out=$(timeout $step_timeout "$bench/bin/meta" \
				$phase "$dir/meta" $nfiles 2>>"$log"); then
			record "$t" $phase "$r" "$(rate "$out")"
		else
			ok=0
			fail_step "$t" $phase "$r"
		fi
	done
	rm -rf "$dir/meta"

	fresh
	if out=$(timeout $step_timeout "$bench/bin/smallcopy" copy \
		/tmp/small "$dir/small" $nsmall $small_threads 2>>"$log"); then
		record "$t" smallcopy "$r" "$(rate "$out")"
	else
		fail_step "$t" smallcopy "$r"
	fi
	rm -rf "$dir"
}

all_na() {
	local w
	for w in seqwrite seqread randread randwrite create list stat unlink \
		smallcopy; do
		record "$1" $w 0 n/a
	done
}

# insmod/rmmod, or the system calls themselves where the host has no kmod.
kmod=$top/tools/testing/ksmbd/helpers/kmod.py
mod_load() {
	if command -v insmod >/dev/null; then
		insmod "$1"
	else
		$py "$kmod" load "$1"
	fi
}
mod_unload() {
	if command -v rmmod >/dev/null; then
		rmmod "$1"
	else
		$py "$kmod" unload "$1"
	fi
}
mod_loaded() { grep -q "^$1 " /proc/modules; }

port_open() { ss -ltn 2>/dev/null | grep -q ':445 '; }

wait_port() {
	local _
	for _ in $(seq 100); do
		port_open && return 0
		sleep 0.1
	done
	return 1
}

# Stop a server and remove its module; bounded waits.
unload() {
	local ctl=$1 pid=$2 _
	"$ctl" -s >>"$log" 2>&1
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	kill -0 "$pid" 2>/dev/null && kill -TERM -- "-$pid" "$pid" 2>/dev/null
	sleep 1
	for _ in $(seq 30); do
		mod_unload ksmbd 2>>"$log" && return 0
		sleep 1
	done
	note "cannot remove ksmbd"
	return 1
}

mem_figures() {
	local who=$1 line
	timeout $step_timeout $py "$here/idle_conns.py" "$([ "$who" = tcp ] &&
		echo tcp || echo smb)" 64 5 >/tmp/mem.out 2>>"$log" || {
		note "memory measurement for $who failed"
		record "mem-$who" kernel 0 fail
		return
	}
	while read -r line; do
		record "mem-$who" "${line%% *}" 0 "${line#* }"
	done </tmp/mem.out
}

start_server() {
	local who=$1 ko=$2 pid
	mod_load "$ko" >>"$log" 2>&1 || { note "loading $ko failed"; return 1; }
	case $who in
	upstream)
		local kt=$bench/ksmbd-tools/usr/sbin
		mkdir -p /etc/ksmbd-up
		rm -f /etc/ksmbd-up/ksmbdpwd.db
		cat >/etc/ksmbd-up/ksmbd.conf <<EOF
[global]
	netbios name = KSMBDTEST
	workgroup = WORKGROUP
[share]
	path = /srv/share
	read only = no
	browseable = yes
EOF
		"$kt/ksmbd.adduser" -c /etc/ksmbd-up/ksmbd.conf \
			-i /etc/ksmbd-up/ksmbdpwd.db -a testuser -p testpass \
			>>"$log" 2>&1
		"$kt/ksmbd.mountd" -n -c /etc/ksmbd-up/ksmbd.conf \
			-u /etc/ksmbd-up/ksmbdpwd.db >>$res/mountd-upstream.log 2>&1 &
		pid=$!
		ctl=$kt/ksmbd.control
		;;
	ours)
		local kt=$top/tools/ksmbd
		rm -f /etc/ksmbd/ksmbdpwd.db
		"$kt/ksmbd.adduser" -a testuser -p testpass >>"$log" 2>&1
		"$kt/ksmbd.mountd" -n >>$res/mountd-ours.log 2>&1 &
		pid=$!
		ctl=$kt/ksmbd.control
		;;
	esac
	server_pid=$pid server_ctl=$ctl
	wait_port || { note "$who: not listening on 445"; return 1; }
}

base_opts=username=testuser,password=testpass,vers=3.1.1,rsize=1048576,wsize=1048576

# Load server $1 from module $2, run round $3 on it plainly and sealed,
# measure its memory in the first round, unload it.
run_server() {
	local who=$1 ko=$2 r=$3 variant t opts
	server_pid='' server_ctl=''
	if ! start_server "$who" "$ko"; then
		all_na "$who"
		all_na "$who-seal"
		[ -n "$server_pid" ] && unload "$server_ctl" "$server_pid"
		mod_loaded ksmbd && mod_unload ksmbd
		return
	fi
	note "$who: serving (round $r)"
	[ "$r" = 1 ] &&
		timeout 60 $py "$here/negotiate_info.py" >>"$res/cifs-$who.txt" 2>&1
	for variant in plain seal; do
		[ "$mode" = seq ] && [ $variant = seal ] && continue
		t=$who opts=$base_opts
		if [ $variant = seal ]; then
			t=$who-seal opts=$base_opts,seal
		fi
		if ! cifs_mount "$opts"; then
			note "$t: mount failed"
			all_na "$t"
			continue
		fi
		mnt=$smb remount_opts=$opts is_cifs=1
		[ "$r" = 1 ] && note "$t: mounted ($(grep " $smb " /proc/mounts |
			cut -d' ' -f4))"
		workloads "$t" "$r"
		{
			echo "== $t, round $r: client view after the workloads"
			cat /proc/fs/cifs/DebugData /proc/fs/cifs/Stats
		} >>"$res/cifs-$who.txt" 2>&1
		umount $smb
		is_cifs=0
	done
	[ "$r" = 1 ] && mem_figures "$who"
	unload "$server_ctl" "$server_pid"
}

mkdir -p $smb
# The guest's init may have loaded the tree's own module: start clean.
if mod_loaded ksmbd && ! mod_unload ksmbd; then
	note "cannot unload the preloaded ksmbd module"
	exit 1
fi
"$bench/bin/smallcopy" prep /tmp/small $nsmall $small_size || exit 1
note "mode $mode, $runs runs, targets ${targets[*]}"
mem_figures tcp
# Touch all of the guest's memory first. It is a file in the host's
# /dev/shm whose pages the host allocates (and zeroes) when the guest first
# uses them, on the guest's CPU: until every page had been used once, each
# round's sequential figures were higher than the one before (the first
# up to five times lower than the last).
fill_kib=$(awk '/^MemAvailable:/ { print $2 - 262144 }' /proc/meminfo)
note "touching ${fill_kib} KiB of guest memory: $(date +%T)"
if [ "${fill_kib:-0}" -gt 0 ] && mkdir -p /mnt/fill &&
	mount -t tmpfs -o size=${fill_kib}k tmpfs /mnt/fill; then
	dd if=/dev/zero of=/mnt/fill/f bs=1M count=$((fill_kib / 1024)) \
		status=none 2>>"$log" || note "touching memory failed"
	umount /mnt/fill
fi
drop_caches
# Rounds outside, targets inside: a slow spell of the (shared) host
# spreads over all targets instead of spoiling one.
for r in $(seq "$runs"); do
	for target in "${targets[@]}"; do
		note "round $r, $target: start $(date +%T)"
		case $target in
		local)
			mnt=/srv/share is_cifs=0
			workloads local "$r"
			;;
		upstream)
			run_server upstream \
				"$bench/upstream-src/fs/smb/server/ksmbd.ko" "$r"
			;;
		ours)
			run_server ours "$bench/ours-src/fs/smb/server/ksmbd.ko" "$r"
			;;
		*)
			note "unknown target $target"
			;;
		esac
	done
done
note "done $(date +%T)"
dmesg >$res/dmesg.log
exit 0
