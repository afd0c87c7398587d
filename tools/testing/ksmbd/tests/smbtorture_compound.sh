#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# smbtorture's smb2.compound suite, run to its end in one smbtorture
# process: smbtorture must not crash, every subtest asked for must report
# a verdict, and the subtests the server has everything for must pass.
# Subtests that need a feature the server does not have yet are run too
# (a crash in them still fails the test) but only reported, as skipped,
# with the reason.
#
# smbtorture itself cannot run related1, related2 and invalid2 against a
# server that negotiates no encryption cipher: they copy the client session
# (smbXcli_session_shallow_copy), which refuses to when the cipher's nonce
# space is zero, and then pass the NULL copy on (SIGSEGV in
# smb2cli_session_set_id_and_flags). They are skipped while the server
# answers SMB 3.1.1's encryption context with no cipher, and must pass once
# it selects one.
# ksmbd-test-timeout: 600
# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"

need smbtorture
[ -f /etc/samba/smb.conf ] || skip "smbtorture needs /etc/samba/smb.conf"

# Subtests that must pass.
must="related6 unrelated1 invalid1 invalid3 invalid4 compound-break
	create-write-close"

# Subtests that need a cipher to be negotiated (see above).
needs_cipher="related1 related2 invalid2"

# Subtests that need what the server does not have yet, and why.
declare -A missing=(
	[related3]="FSCTL_CREATE_OR_GET_OBJECT_ID is not implemented"
	[related4]="SET_INFO of a security descriptor is not implemented"
	[related5]="FSCTL_CREATE_OR_GET_OBJECT_ID is not implemented (refused before the FileId)"
	[related7]="SET_INFO of a security descriptor is not implemented"
	[related8]="CHANGE_NOTIFY is not implemented"
	[related9]="CHANGE_NOTIFY is not implemented"
	[interim1]="CHANGE_NOTIFY, asynchronous requests and CANCEL are not implemented"
	[interim2]="CHANGE_NOTIFY and asynchronous (interim) responses are not implemented"
	[compound-padding]="named streams are not implemented"
)

# The cipher the server selects for an SMB 3.1.1 client offering AES-128-GCM
# and AES-128-CCM (0: none).
cipher=$("$PYTHON" - "$KSMBD_TESTS" <<'EOF'
import struct
import sys
sys.path.insert(0, sys.argv[1])
import lib_smb as s

raw = s.RawConn()
raw.send(s.frame(s.negotiate_request(dialects=(0x0311,))))
data, hs = raw.recv_reply()
h = hs[0]
body = h.body(data)
if h.status != s.STATUS_SUCCESS or struct.unpack_from('<H', body, 4)[0] != 0x0311:
    sys.exit('no SMB 3.1.1 NEGOTIATE response')
count = struct.unpack_from('<H', body, 6)[0]
off = struct.unpack_from('<I', body, 60)[0]
cipher = 0
for _ in range(count):
    ctype, dlen = struct.unpack_from('<HH', data, off)
    if ctype == s.ENCRYPTION_CAPS and dlen >= 4:
        cipher = struct.unpack_from('<H', data, off + 10)[0]
    off += 8 + dlen
    off += s.pad8(off)
print(cipher)
EOF
) || die "cannot read the server's NEGOTIATE response"
note "cipher selected for SMB 3.1.1: $cipher"
if [ "$cipher" = 0 ]; then
	for t in $needs_cipher; do
		missing[$t]="smbtorture needs a cipher to copy its session (no encryption yet)"
	done
else
	must="$must $needs_cipher"
fi

tests=""
for t in $must "${!missing[@]}"; do
	case " $needs_cipher " in
	*" $t "*) [ "$cipher" = 0 ] && continue;;
	esac
	tests="$tests $t"
done
declare -A expect=()
# shellcheck disable=SC2086
torture_run smb2.compound $tests
for t in $needs_cipher; do
	[ "$cipher" = 0 ] && note "skip: $t (${missing[$t]})"
done

finish
