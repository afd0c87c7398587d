#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# smbtorture's smb2.lock suite, run to its end in one smbtorture process:
# smbtorture must not crash, every subtest asked for must report a
# verdict, and the subtests the server has everything for must pass. Among
# them: lock (zero-length and 2^63 and 2^64 - 1 offsets seen by a second
# handle), range (locks spread over the 64-bit range), zerobytelength,
# errorcode (LOCK_NOT_GRANTED, a zero-length lock inside another handle's
# range too), unlock (stacked zero-length locks), multiple-unlock (unlocks
# processed in order) and valid-request.
#
# rw-none is skipped by smbtorture itself unless the target is Windows
# Server 2008 (it tests a bug of that server); it must say so.
#
# Subtests that need a feature the server does not have yet are run too (a
# crash in them still fails the test) but only reported, as skipped, with
# the reason:
#   replay_broken_windows: asks for resilient handles
#     (FSCTL_LMR_REQUEST_RESILIENCY: NOT_SUPPORTED) before it replays locks
#   replay_smb3_specification_durable: needs durable handles v2 with a
#     lease (the server grants no lease: oplock level 0, not 9)
#   replay_smb3_specification_multi: needs multichannel (smbtorture skips it)
#   ctdb-delrec-deadlock: only for a ctdb cluster (smbtorture skips it)
# ksmbd-test-timeout: 600
# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"

need smbtorture
[ -f /etc/samba/smb.conf ] || skip "smbtorture needs /etc/samba/smb.conf"

# Subtests that must pass.
must="valid-request rw-shared rw-exclusive auto-unlock lock async cancel
	cancel-tdis cancel-logoff errorcode zerobytelength zerobyteread unlock
	multiple-unlock stacking contend context range overlap truncate"

# Subtests smbtorture skips against any server but Windows Server 2008.
declare -A expect=(
	[rw-none]="skip|smbtorture runs it against Windows Server 2008 only"
)

# Subtests that need what the server does not have yet, and why.
declare -A missing=(
	[replay_broken_windows]=\
"resilient handles (FSCTL_LMR_REQUEST_RESILIENCY) are not implemented"
	[replay_smb3_specification_durable]="durable handles v2 and leases are not implemented"
	[replay_smb3_specification_multi]="multichannel is not implemented"
	[ctdb-delrec-deadlock]="runs only against a ctdb cluster"
)

# shellcheck disable=SC2086
torture_run smb2.lock $must "${!expect[@]}" "${!missing[@]}"
finish
