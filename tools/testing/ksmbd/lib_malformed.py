# SPDX-License-Identifier: GPL-2.0
"""Cases of malformed SMB2 traffic, and their driver (tests/malformed_*.py).

A test file registers its cases with @case(); main() runs them (all, or
the ones named on the command line; -l lists them). Each case gets a
fresh random.Random seeded from SEED and its name (so its bytes are the
same in every run) and returns (ok, how):

  - a "strict" case passes if the server answers with an error status
    (anything but the statuses in forbid) or closes the connection
    within TIMEOUT seconds; a silent server fails (lib_smb.expect_refusal);
  - a "survive" case (strict=False) accepts any answer, or a close.

After every case a fresh impacket login must list the share and the
kernel log must show no new BUG/WARNING/Oops/...; if the server stops
answering the remaining cases are not run.

The helpers send hand-made requests on fresh connections: raw_case()
(before or after NEGOTIATE), session_case() and file_case() (in a real
session, on a file opened first), compound_case(), ntlm_case() (a
hand-made NTLMSSP AUTHENTICATE after a normal first leg).
"""

import os
import random
import struct
import time

import lib_smb as L

SEED = 20241125
TIMEOUT = 5.0
CASES = []


def case(strict=True, forbid=(L.STATUS_SUCCESS,)):
    """Register a case. The function gets a fresh RNG and returns
    (ok, how); strict/forbid are handed to it as keyword arguments."""
    def reg(fn):
        CASES.append((fn.__name__, fn, dict(strict=strict, forbid=forbid)))
        return fn
    return reg


def fresh(negotiate=None):
    """A new raw connection, optionally after a normal NEGOTIATE."""
    c = L.RawConn(timeout=TIMEOUT)
    if negotiate:
        c.negotiate(negotiate)
    return c


def send_and_judge(conn, data, **judge):
    try:
        conn.send(data)
    except L.Closed:
        return True, 'connection closed while sending'
    except L.NoAnswer as e:
        return False, str(e)
    try:
        return L.expect_refusal(conn, timeout=TIMEOUT, **judge)
    finally:
        conn.close()


def raw_case(payload, negotiate=None, **judge):
    """Send payload (already framed) on a fresh connection and judge."""
    return send_and_judge(fresh(negotiate), payload, **judge)


def session_case(command, body, share=True, **judge):
    """One hand-made request inside a real session (and tree)."""
    s = L.RawSession(share=L.SHARE if share else None, timeout=TIMEOUT)
    return send_and_judge(s.raw, L.frame(s.packet(command, body)), **judge)


def file_case(make_body, directory=False, name=None, access=None, **judge):
    """Open a file (or directory) with impacket, then send one hand-made
    request for it: make_body(file_id) -> (command, body)."""
    s = L.RawSession(timeout=TIMEOUT)
    if name is None:
        name = '' if directory else 'malformed-%d.bin' % os.getpid()
    fid = s.open(name, directory=directory, access=access,
                 disposition=L.FILE_OPEN if directory else L.FILE_OPEN_IF)
    command, body = make_body(fid)
    return send_and_judge(s.raw, L.frame(s.packet(command, body)), **judge)


def compound_case(elements, trailer=b'', **judge):
    """A compound of (command, body, next_command or None) elements in a
    real session; None means the right (8-aligned) value."""
    s = L.RawSession(timeout=TIMEOUT)
    data = b''
    for i, (cmd, body, nxt) in enumerate(elements):
        last = i == len(elements) - 1
        size = L.HEADER_SIZE + len(body)
        pad = 0 if last else L.pad8(size)
        if nxt is None:
            nxt = 0 if last else size + pad
        p = L.header(cmd, message_id=s.next_mid(), session_id=s.sid,
                     tree_id=s.tid, next_command=nxt) + body + b'\0' * pad
        if s.signing:
            p = L.sign_smb2(p, s.key)
        data += p
    return send_and_judge(s.raw, L.frame(data + trailer), **judge)


# NTLMSSP, hand-made (impacket only wraps it in SPNEGO)
NTLM_FLAGS = 0xE0088215   # unicode, ntlm, sign, always sign, ESS, 128, 56, key exchange


def ntlm_negotiate_msg(flags=NTLM_FLAGS):
    return b'NTLMSSP\0' + struct.pack('<II', 1, flags) + \
        struct.pack('<HHI', 0, 0, 0) * 2


def ntlm_authenticate_msg(rng, nt=None, user=L.USER, key=None, msg_type=3,
                          override=None, flags=NTLM_FLAGS):
    """An AUTHENTICATE message; override maps a field (lm, nt, domain, user,
    ws, key) to the (length, offset) to write instead of the real one."""
    if nt is None:
        nt = ntlm_v2_response(rng)
    if key is None:
        key = bytes(rng.randrange(256) for _ in range(16))
    parts = [('lm', b'\0' * 24), ('nt', nt), ('domain', b''),
             ('user', user.encode('utf-16-le')), ('ws', b''), ('key', key)]
    base = 64
    buf = b''
    fields = b''
    for name, data in parts:
        ln, off = len(data), base + len(buf)
        if override and name in override:
            ln, off = override[name]
        fields += struct.pack('<HHI', ln, ln, off)
        buf += data
    return b'NTLMSSP\0' + struct.pack('<I', msg_type) + fields + \
        struct.pack('<I', flags) + buf


def ntlm_v2_response(rng, av_pairs=None):
    """A well-formed NTLMv2 response with a wrong proof."""
    proof = bytes(rng.randrange(256) for _ in range(16))
    if av_pairs is None:
        av_pairs = struct.pack('<HH', 0, 0)      # MsvAvEOL
    blob = struct.pack('<BB6sQ8sI', 1, 1, b'\0' * 6, 0x01DB000000000000,
                       bytes(rng.randrange(256) for _ in range(8)), 0)
    return proof + blob + av_pairs + b'\0' * 4


def spnego_init(token):
    from impacket.spnego import SPNEGO_NegTokenInit, TypesMech
    t = SPNEGO_NegTokenInit()
    t['MechTypes'] = [
        TypesMech['NTLMSSP - Microsoft NTLM Security Support Provider']]
    t['MechToken'] = token
    return t.getData()


def spnego_resp(token):
    from impacket.spnego import SPNEGO_NegTokenResp
    t = SPNEGO_NegTokenResp()
    t['ResponseToken'] = token
    return t.getData()


def ntlm_case(make_auth, **judge):
    """NEGOTIATE, a normal first SESSION_SETUP leg, then a hand-made
    AUTHENTICATE message from make_auth()."""
    c = fresh(L.DIALECTS_SMB2)
    c.send(L.frame(L.header(L.SESSION_SETUP, message_id=1) +
                   L.session_setup_body(spnego_init(ntlm_negotiate_msg()))))
    data, hs = c.recv_reply()
    if not hs or hs[0].status != L.STATUS_MORE_PROCESSING_REQUIRED:
        c.close()
        return False, 'no NTLM challenge for a normal first leg: %s' % (
            L.status_name(hs[0].status) if hs else 'no SMB2 reply')
    sid = hs[0].session_id
    msg = L.header(L.SESSION_SETUP, message_id=2, session_id=sid) + \
        L.session_setup_body(spnego_resp(make_auth()))
    return send_and_judge(c, L.frame(msg), **judge)


NEG_311 = dict(dialects=(0x0311,))


def neg_frame(**kw):
    return L.frame(L.negotiate_request(**kw))



def main(argv):
    if argv[:1] == ['-l']:
        for name, _, opts in CASES:
            print(name, '' if opts['strict'] else '(survive)')
        return 0
    L.need_impacket()
    wanted = set(argv)
    unknown = wanted - {n for n, _, _ in CASES}
    if unknown:
        print('unknown case(s): ' + ', '.join(sorted(unknown)))
        return 2
    chk = L.Checker()
    klog = L.KernelLog()
    if not klog.usable:
        chk.note('cannot read the kernel log: not checking it per case')
    up, why = L.server_answers()
    if not chk.ok(up, 'the server answers before the first case', why):
        chk.finish()
    chk.note('seed %d, reply timeout %gs' % (SEED, TIMEOUT))
    for name, fn, opts in CASES:
        if wanted and name not in wanted:
            continue
        print('case %s%s' % (name, '' if opts['strict'] else ' (survive)'),
              flush=True)
        rng = random.Random('%d:%s' % (SEED, name))
        t = time.monotonic()
        try:
            ok, how = fn(rng, **opts)
        except Exception as e:
            ok, how = False, 'case could not run: %s: %s' % (
                type(e).__name__, e)
        chk.ok(ok, name, how)
        if ok:
            chk.note('  %s (%.1fs)' % (how, time.monotonic() - t))
        up, why = L.server_answers()
        if not chk.ok(up, name + ': server still answers', why):
            chk.note('the server stopped answering: not running the rest')
            break
        if klog.usable:
            bad = klog.new_problems()
            chk.ok(not bad, name + ': kernel log clean', '\n    '.join(bad))
    for f in os.listdir(L.SHARE_DIR) if os.path.isdir(L.SHARE_DIR) else ():
        if f.startswith('malformed-'):
            try:
                os.unlink(os.path.join(L.SHARE_DIR, f))
            except OSError:
                pass
    chk.finish()
