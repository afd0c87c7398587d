#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 400
"""A two-minute run of the network fuzzer (fuzz/run.py) with a fixed seed.

The fuzzer sends generated and mutated requests for every command before
NEGOTIATE, before login and in SMB 2.1 and 3.1.1 sessions, and counts a
failure for a connection left hanging, a kernel report in the log or a
server that no longer lets a fresh login list the share. This test passes
when there was none, and when the run really exercised the server: enough
cases and sessions, successful answers for the common commands, cases of
every class of the default mix (compounds filling their budgets, CANCEL
of waiting LOCKs, never-reading clients, partial frames, lock floods,
huge names: fuzz/gen.py CLASSES), a kernel log the fuzzer can read
(checked with a marker line) and a hang detector that works (checked
against a listener that never answers).

The summary is kept in $KSMBD_OUT/fuzz-short.txt and any failure in
$KSMBD_OUT/fuzz-short-failures.jsonl, for `fuzz/run.py --replay`.
FUZZ_SHORT_TIME and FUZZ_SHORT_SEED change the length and the seed.
"""

import os
import re
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, '..'))
sys.path.insert(0, os.path.join(here, '..', 'fuzz'))
import lib_smb as L  # noqa: E402
import gen as G  # noqa: E402
import target as T  # noqa: E402

SECONDS = int(os.environ.get('FUZZ_SHORT_TIME', '110'))
SEED = os.environ.get('FUZZ_SHORT_SEED', '20250101')

chk = L.Checker()
L.need_impacket()
out_dir = os.environ.get('KSMBD_OUT') or '/tmp'
if not os.access(out_dir, os.W_OK):
    out_dir = '/tmp'
summary = os.path.join(out_dir, 'fuzz-short.txt')
faillog = os.path.join(out_dir, 'fuzz-short-failures.jsonl')
for f in (summary, faillog):
    if os.path.exists(f):
        os.unlink(f)

# The fuzzer must see the kernel log, or "no report" means nothing.
k = T.Kmsg()
marker = 'ksmbd-fuzz: kernel log self-check %d' % os.getpid()
try:
    with open('/dev/kmsg', 'w') as f:
        f.write(marker + '\n')
except OSError as e:
    chk.fail('write a marker to /dev/kmsg', str(e))
time.sleep(0.2)
seen = k.new()
chk.ok(any(marker in ln for ln in seen), 'the fuzzer reads new kernel log '
       'lines', 'marker not seen in %d new lines' % len(seen))
chk.ok(T.Kmsg.bad(['[  1.0] BUG: KASAN: use-after-free in x']) != [] and
       T.Kmsg.bad([marker]) == [], 'its report patterns tell a report from '
       'an ordinary line')



def hang_detector_works():
    """A listener that accepts and never answers: the fuzzer must call a
    NEGOTIATE sent to it a hang (so silence from the server would be
    noticed too)."""
    import random
    import socket
    import threading
    import gen as G
    srv = socket.socket()
    srv.bind(('127.0.0.1', 0))
    srv.listen(1)
    held = []

    def accept():
        try:
            held.append(srv.accept()[0])
        except OSError:
            pass
    t = threading.Thread(target=accept, daemon=True)
    t.start()
    port, L.PORT = L.PORT, srv.getsockname()[1]
    try:
        c = T.Context('pre', 0x0210, 2, T.Stats())
        c.open()
        case = {'kind': 'pre', 'msgs': [G.msg([G.elem(
            G.NEGOTIATE, G.negotiate_body(G.Gen(random.Random(1))),
            sign='none')])]}
        return c.run_case(case)
    finally:
        L.PORT = port
        for s in held + [srv]:
            s.close()


chk.eq('the fuzzer calls a silent open connection a hang', 'hang',
       hang_detector_works())

cmd = [sys.executable, os.path.join(here, '..', 'fuzz', 'run.py'),
       '--seed', SEED, '--time', str(SECONDS), '--batch', '150',
       '--timeout', '20', '--out', summary, '--log', faillog]
print('# ' + ' '.join(cmd), flush=True)
t0 = time.monotonic()
p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                   timeout=SECONDS + 200)
out = p.stdout.decode('utf-8', 'replace')
print('# fuzzer ran %.0f s, exit status %d' % (time.monotonic() - t0,
                                               p.returncode))
for ln in out.splitlines():
    if ln.startswith(('FAILURE', '    ')) or ':' in ln[:40]:
        print('  ' + ln)

text = open(summary).read() if os.path.exists(summary) else ''
chk.ok(bool(text), 'the fuzzer wrote its summary')


def num(label):
    m = re.search(r'^%s: (\d+)' % re.escape(label), text, re.M)
    return int(m.group(1)) if m else -1


cases = num('cases')
fails = num('failures')
m = re.search(r'^PDUs sent: (\d+) in (\d+) frames', text, re.M)
pdus = int(m.group(1)) if m else 0
m = re.search(r'^connections/sessions set up: (\d+)', text, re.M)
sessions = int(m.group(1)) if m else 0

chk.eq('fuzzer exit status (0: no failure)', 0, p.returncode)
chk.eq('failures (hang, kernel report, dead server)', 0, fails)
chk.ok(cases >= 800, 'enough cases were sent', '%d cases' % cases)
chk.ok(pdus >= 3 * cases > 0, 'every case sent requests (and an ECHO)',
       '%d PDUs for %d cases' % (pdus, cases))
chk.ok(sessions >= 100, 'many connections and sessions were set up',
       '%d' % sessions)
# The server answered the usual commands with success too: the requests
# were good enough to get past the first checks.
for c in ('CREATE', 'READ', 'WRITE', 'QUERY_INFO', 'QUERY_DIRECTORY',
          'SET_INFO'):
    m = re.search(r'^  %s: .*\bSUCCESS (\d+)' % c, text, re.M)
    chk.ok(m is not None and int(m.group(1)) > 0,
           '%s requests succeeded sometimes' % c)
# Every class of the default mix had its cases, and they sent requests.
for cls in G.CLASSES:
    m = re.search(r'\b%s (\d+) cases (\d+) PDUs' % cls, text)
    n, npdus = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    chk.ok(n >= 5 and npdus >= n, 'cases of the class %s were sent' % cls,
           '%d cases, %d PDUs' % (n, npdus))
if os.path.exists(faillog) and os.path.getsize(faillog):
    print('# failures logged in %s (replay: fuzz/run.py --replay FILE)' %
          faillog)
ok, why = L.server_answers()
chk.ok(ok, 'the server still lists the share after the run', why)
chk.finish()
