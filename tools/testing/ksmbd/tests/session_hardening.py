#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 600
"""Requests that race a session's end, or that do not come from its client.

1. Re-authentication on a session that requires signing (MS-SMB2
   3.3.5.2.4): a SESSION_SETUP for the session's id without a signature,
   or with a wrong one, is refused with STATUS_ACCESS_DENIED and leaves
   the session alone: a signed ECHO and TREE_CONNECT still succeed, and a
   properly signed re-authentication is still accepted. At SMB 2.1
   (HMAC-SHA256) and 3.1.1 (AES-CMAC, keys from the preauth hash).

2. LOGOFF against TREE_CONNECT, and the session's teardown against
   look-ups of its trees: HARDENING_ROUNDS (default 1000) sessions, up to
   HARDENING_PARALLEL (default 8) at once, each with a tree connected and
   a directory open on it, send TREE_CONNECTs, CREATEs on that tree and
   the LOGOFF in one TCP write, in varying order. Every answer must be one
   that fits the order things happened in, and once the connections are
   gone no tree may be left: with tracing (the debug kernel) every traced
   tree connect has its tree disconnect, and with kmemleak (the debug
   kernel) nothing new is reported as leaked. A tree stored in a session
   after its teardown ran would be neither.
"""

import asyncio
import os
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402
import lib_client as C  # noqa: E402

ROUNDS = int(os.environ.get('HARDENING_ROUNDS', '1000'))
PARALLEL = int(os.environ.get('HARDENING_PARALLEL', '8'))
TRACING = '/sys/kernel/tracing'
KMEMLEAK = '/sys/kernel/debug/kmemleak'
STATUS_USER_SESSION_DELETED = 0xC0000203
STATUS_NETWORK_NAME_DELETED = 0xC00000C9
TREE_EVENTS = ('smbs_tree_connect', 'smbs_tree_disconnect')

chk = L.Checker()
pid = os.getpid()
unc = '\\\\%s\\%s' % (L.HOST, L.SHARE)


def guid(tag, i=0):
    return struct.pack('<4sIQ', tag, pid & 0xffffffff, i)


def status(r):
    return L.status_name(r[1].status)


# ---- 1. signatures on re-authentication ---------------------------------

def reauth_request(s, signed, corrupt=False):
    """(message id, bytes): a SESSION_SETUP starting NTLM again on s's
    session, signed by s's keys or not; corrupt spoils the signature."""
    mid = s.mid
    s.mid += 1
    s.credits -= 1
    p = L.header(L.SESSION_SETUP, message_id=mid, session_id=s.sid,
                 credit_request=64) + \
        L.session_setup_body(C.spnego_init(C.ntlm_negotiate_msg()),
                             security_mode=2)
    if signed:
        p = s.signer.sign(p)
    if corrupt:
        p = p[:48] + bytes([p[48] ^ 0x80]) + p[49:]
    return mid, p


async def signing_case(dialect):
    tag = {0x0210: 'SMB 2.1', 0x0311: 'SMB 3.1.1'}[dialect]
    s = C.AsyncSession(timeout=30)
    try:
        await s.connect()
        await s.login(dialect, guid(b'sign', dialect), require_signing=True)
        chk.ok(s.signer.signing, '%s: the session is signed' % tag)

        (r,) = await s.call(reauth_request(s, signed=False))
        chk.eq('%s: an unsigned SESSION_SETUP on the session is refused'
               % tag, 'STATUS_ACCESS_DENIED', status(r))
        (r,) = await s.call(reauth_request(s, signed=True, corrupt=True))
        chk.eq('%s: a SESSION_SETUP with a bad signature is refused' % tag,
               'STATUS_ACCESS_DENIED', status(r))

        (r,) = await s.call(s.msg(L.ECHO, L.echo_body()))
        chk.eq('%s: a signed ECHO still succeeds' % tag, 'STATUS_SUCCESS',
               status(r))
        (r,) = await s.call(s.msg(L.TREE_CONNECT, L.tree_connect_body(unc)))
        chk.eq('%s: a signed TREE_CONNECT still succeeds' % tag,
               'STATUS_SUCCESS', status(r))

        (r,) = await s.call(reauth_request(s, signed=True))
        chk.eq('%s: a signed re-authentication is accepted' % tag,
               'STATUS_MORE_PROCESSING_REQUIRED', status(r))
        (r,) = await s.call(s.msg(L.ECHO, L.echo_body()))
        chk.eq('%s: the session works during re-authentication' % tag,
               'STATUS_SUCCESS', status(r))
    except (OSError, RuntimeError, asyncio.TimeoutError,
            asyncio.IncompleteReadError) as e:
        chk.fail('%s: the signing checks ran' % tag,
                 '%s: %s' % (type(e).__name__, e))
    finally:
        await s.close()


# ---- 2. LOGOFF against TREE_CONNECT and tree look-ups -------------------

class Tally:
    def __init__(self):
        self.rounds = 0
        self.tcon = {}          # TREE_CONNECT status name -> count
        self.bad = []           # unexpected answers, first few


TCON_OK = ('STATUS_SUCCESS', L.status_name(STATUS_USER_SESSION_DELETED))
CREATE_OK = TCON_OK + (L.status_name(STATUS_NETWORK_NAME_DELETED),)


def bad(t, what):
    if len(t.bad) < 8:
        t.bad.append(what)


async def race_round(i, t):
    s = C.AsyncSession(timeout=60)
    try:
        await s.connect()
        await s.login(0x0210, guid(b'race', i))
        (r,) = await s.call(s.msg(L.TREE_CONNECT, L.tree_connect_body(unc)))
        if r[1].status != L.STATUS_SUCCESS:
            bad(t, 'round %d: first tree connect: %s' % (i, status(r)))
            return
        tid = r[1].tree_id
        (r,) = await s.call(s.msg(L.CREATE, L.create_body(
            '', L.FILE_OPEN, L.GENERIC_READ_ACCESS, L.FILE_DIRECTORY_FILE),
            tid))
        if r[1].status != L.STATUS_SUCCESS:
            bad(t, 'round %d: open of the root: %s' % (i, status(r)))
            return
        # Tree connects and look-ups of the tree on both sides of LOGOFF.
        tcons = [s.msg(L.TREE_CONNECT, L.tree_connect_body(unc))
                 for _ in range(2)]
        creates = [s.msg(L.CREATE, L.create_body(
            '', L.FILE_OPEN, L.GENERIC_READ_ACCESS, L.FILE_DIRECTORY_FILE),
            tid) for _ in range(2)]
        logoff = s.msg(L.LOGOFF, struct.pack('<HH', 4, 0))
        k = i % 4
        order = tcons[:k // 2] + creates[:k % 2] + [logoff] + \
            creates[k % 2:] + tcons[k // 2:]
        reps = dict(zip([m for m, _ in order], await s.call(*order)))
        for m, _ in tcons:
            st = status(reps[m])
            t.tcon[st] = t.tcon.get(st, 0) + 1
            if st not in TCON_OK:
                bad(t, 'round %d: tree connect: %s' % (i, st))
        for m, _ in creates:
            if status(reps[m]) not in CREATE_OK:
                bad(t, 'round %d: create: %s' % (i, status(reps[m])))
        if status(reps[logoff[0]]) != 'STATUS_SUCCESS':
            bad(t, 'round %d: logoff: %s' % (i, status(reps[logoff[0]])))
        (r,) = await s.call(s.msg(L.TREE_CONNECT, L.tree_connect_body(unc)))
        if r[1].status != STATUS_USER_SESSION_DELETED:
            bad(t, 'round %d: tree connect after logoff: %s' % (i,
                                                                status(r)))
        t.rounds += 1
    except (OSError, RuntimeError, asyncio.TimeoutError,
            asyncio.IncompleteReadError) as e:
        bad(t, 'round %d: %s: %s' % (i, type(e).__name__, e))
    finally:
        await s.close()


async def race(t):
    sem = asyncio.Semaphore(PARALLEL)

    async def one(i):
        async with sem:
            await race_round(i, t)

    await asyncio.gather(*[one(i) for i in range(ROUNDS)])


def tracing_ready():
    if not os.path.isdir(os.path.join(TRACING, 'events')):
        subprocess.run(['mount', '-t', 'tracefs', 'nodev', TRACING],
                       capture_output=True)
    return all(os.path.isdir(os.path.join(TRACING, 'events/ksmbd', e))
               for e in TREE_EVENTS)


def put(name, value):
    with open(os.path.join(TRACING, name), 'w') as f:
        f.write(value)


def trace_counts():
    counts = dict.fromkeys(TREE_EVENTS, 0)
    with open(os.path.join(TRACING, 'trace')) as f:
        for ln in f:
            for e in TREE_EVENTS:
                if ' %s: ' % e in ln:
                    counts[e] += 1
    return counts


def conns_on_445():
    states = []
    for st in ('established', 'close-wait', 'syn-recv', 'last-ack',
               'closing', 'fin-wait-1'):
        states += ['state', st]
    try:
        out = subprocess.run(['ss', '-Htn'] + states + ['( sport = :445 )'],
                             capture_output=True, text=True,
                             timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return -1
    return len([ln for ln in out.splitlines() if ln.strip()])


def settle():
    n = -1
    for _ in range(120):
        n = conns_on_445()
        if n == 0:
            break
        time.sleep(0.5)
    time.sleep(2)       # work items and RCU after the last close
    return n


def kmemleak_objects():
    """Objects kmemleak reports now (two scans), or None without it."""
    if not os.path.exists(KMEMLEAK):
        return None
    for _ in range(2):
        with open(KMEMLEAK, 'w') as f:
            f.write('scan\n')
    with open(KMEMLEAK) as f:
        text = f.read()
    objs = {}
    cur = None
    for ln in text.splitlines():
        if ln.startswith('unreferenced object'):
            cur = ln.split()[2]
            objs[cur] = [ln]
        elif cur and len(objs[cur]) < 12:
            objs[cur].append(ln)
    return objs


for d in (0x0210, 0x0311):
    asyncio.run(signing_case(d))

traced = tracing_ready()
if traced:
    put('events/ksmbd/enable', '0')
    put('trace', '')
    put('buffer_size_kb', '4096')
    for e in TREE_EVENTS:
        put('events/ksmbd/%s/enable' % e, '1')
else:
    chk.note('no ksmbd tree trace events (no tracing in this kernel): '
             'the tree count is checked on the debug kernel')
leaks0 = kmemleak_objects()
t0 = time.monotonic()
tally = Tally()
try:
    asyncio.run(race(tally))
    left = settle()
finally:
    if traced:
        for e in TREE_EVENTS:
            put('events/ksmbd/%s/enable' % e, '0')
chk.note('%d rounds in %.0f s; tree connects in the race: %s' % (
    tally.rounds, time.monotonic() - t0,
    ', '.join('%s %d' % kv for kv in sorted(tally.tcon.items()))))
chk.eq('race: rounds that ran through', ROUNDS, tally.rounds)
chk.ok(not tally.bad, 'race: every answer fits an order of events',
       '; '.join(tally.bad))
chk.eq('race: connections left after teardown', 0, left)
if traced:
    n = trace_counts()
    chk.ok(n['smbs_tree_connect'] > 0 and
           n['smbs_tree_connect'] == n['smbs_tree_disconnect'],
           'race: every tree connected was disconnected',
           '%d connects, %d disconnects' % (n['smbs_tree_connect'],
                                             n['smbs_tree_disconnect']))
if leaks0 is not None:
    time.sleep(6)       # kmemleak ignores objects younger than 5 s
    leaks1 = kmemleak_objects()
    new = [a for a in leaks1 if a not in leaks0]
    chk.ok(not new, 'race: kmemleak finds no new leaked object',
           '%d new, first:\n%s' % (len(new), '\n'.join(leaks1[new[0]]))
           if new else '')
else:
    chk.note('no kmemleak in this kernel: the debug kernel has it')
chk.finish()
