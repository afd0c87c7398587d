#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Network fuzzer for the SMB server (run it inside the test guest).

Generates SMB2 requests for every command from a seed, mutates them
structurally (lengths, offsets, counts, flags, compound chains and
NextCommand, credits, signing, create contexts, info classes, FSCTL codes,
DCE/RPC on IPC$ pipes) and a little byte by byte, and sends them: before
NEGOTIATE, before login, and in logged-in sessions (SMB 2.1 and 3.1.1)
with the share and IPC$ connected and a file, a directory and the srvsvc
pipe open. Case i of a seed is always the same bytes.

A failure is one of:
  hang    the connection stayed open but the server answered neither the
          case nor the ECHO sent after it;
  report  the kernel log shows a bug report (KASAN, WARNING, lockdep, ...);
  dead    the server no longer lets a fresh login list the share (checked
          after every batch);
  error   the fuzzer could not log in or set up (the server misbehaves).
Each failure goes to the failure log (--log) as one JSON line with the
case, the cases sent on the same connection before it and the kernel log
lines: `run.py --replay FILE` sends them again. A "dead" server ends the run.

  run.py [--seed N] [--count N] [--time SEC] [--batch N] [--timeout SEC]
      [--kinds pre,neg,sess] [--dialects 0x210,0x311] [--class C,...]
      [--out FILE] [--log FILE] [--first N] [--jobs N] [-v]
  run.py --replay FILE [--timeout SEC]

Besides the basic mix (--kinds), cases come in classes aimed at one
bound of the server each (gen.py, CLASSES): compound_budget (compounds
whose responses fill their budgets), async_cancel (blocking LOCKs, then
CANCEL, CLOSE, LOGOFF or a disconnect while they wait), never_reading
(a connection that sends and never reads, held open while the fuzzer
goes on; a new connection must still be answered), partial_frames (cut,
dripped and oversized frames), lock_flood (many lock elements, storms,
hundreds of waits) and huge_names (names near and over the limits). By
default about one case in eight is of a class; --class picks only the
named ones ("basic" is the basic mix).

--jobs N runs N fuzzers side by side, worker j sending cases first+j,
first+j+N, ... of the same seed (while one waits for an answer, another
sends); the summary adds up theirs. Kernel reports are seen by every
worker and counted once.

--out writes a summary (cases, PDUs sent, outcomes, statuses, failures,
kernel reports). Exit status: 0 if there was no failure, 1 if there was,
2 on bad usage.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(here, '..'))
import lib_smb as L  # noqa: E402
import gen as G  # noqa: E402
import target as T  # noqa: E402

HISTORY = 40            # cases kept per connection for a replay


def case_for(seed, index, kinds, dialects, classes=None):
    g = G.Gen(random.Random('%s:%d' % (seed, index)))
    c = G.make_case(g, kinds=kinds, dialects=dialects, classes=classes)
    c['seed'] = seed
    c['index'] = index
    return c


def parse_classes(text):
    """None (the default mix) or the tuple of class names in text."""
    if not text:
        return None
    names = tuple(n.strip() for n in text.split(',') if n.strip())
    bad = [n for n in names if n != 'basic' and n not in G.CLASSES]
    if bad or not names:
        raise ValueError('unknown class %s (known: %s, basic)' % (
            ', '.join(bad) or '""', ', '.join(G.CLASSES)))
    return names


def health(tries=3):
    why = ''
    for i in range(tries):
        ok, why = L.server_answers(timeout=30)
        if ok:
            return True, ''
        time.sleep(2)
    return False, why


class Fuzzer:
    def __init__(self, args):
        self.a = args
        self.stats = T.Stats()
        self.kmsg = T.Kmsg()
        self.failures = []
        self.reports = []
        self.ctx = {}           # (kind, dialect) -> Context
        self.batch = []
        self.logf = open(args.log, 'a') if args.log else None

    def say(self, msg):
        print(msg, flush=True)

    def context(self, kind, dialect, fresh=False):
        """The open context for a case; 'pre' and 'neg' are always new,
        and so is one for a case that asks for a connection of its own
        (fresh: not kept for the next cases)."""
        key = (kind, dialect if kind != 'pre' else 0)
        c = None if fresh else self.ctx.get(key)
        if c is not None and kind == 'sess' and not c.dead and c.raw:
            self.fresh = False
            return c
        self.fresh = True
        if c is not None:
            c.close()
        c = T.Context(kind, dialect or 0x0210, self.a.timeout, self.stats)
        try:
            c.open()
        except Exception as e:  # a login that fails is worth a note
            self.stats.logins_failed += 1
            c.close()
            raise RuntimeError('cannot set up a %s context: %s: %s' % (
                kind, type(e).__name__, e))
        if not fresh:
            self.ctx[key] = c
        return c

    def drop(self, c):
        c.close()
        for k, v in list(self.ctx.items()):
            if v is c:
                del self.ctx[k]

    def record(self, kind, case, history, detail, kmsg=()):
        rec = {'type': kind, 'detail': detail, 'seed': case.get('seed'),
               'index': case.get('index'), 'case': case,
               'history': history[-HISTORY:], 'kmsg': list(kmsg)[:200],
               'time': time.strftime('%Y-%m-%d %H:%M:%S')}
        self.failures.append(rec)
        if self.logf:
            self.logf.write(json.dumps(rec) + '\n')
            self.logf.flush()
        self.say('FAILURE %s: case %s:%s (%s): %s' % (
            kind, case.get('seed'), case.get('index'), case.get('kind'),
            detail))
        for ln in list(kmsg)[:20]:
            self.say('    ' + ln)

    def one(self, case, now=None):
        """Send one case; returns False when the run must stop. now is the
        time.monotonic() just read (a clock read is a system call, and
        those are slow in the guest)."""
        kind = case['kind']
        cls = case.get('class', 'basic')
        T.expire_held(now or time.monotonic())
        try:
            c = self.context(kind, case.get('dialect', 0x0210),
                             case.get('fresh', False))
        except RuntimeError as e:
            ok, why = health()
            if ok:
                self.stats.count(self.stats.outcomes, 'setup-failed')
                return True
            self.record('dead', case, [], '%s; health check: %s' % (e, why))
            return False
        history = list(c.history)
        outcome = c.run_case(case, None if self.fresh else now)
        self.stats.count(self.stats.outcomes, outcome)
        per = self.stats.by_class.setdefault(cls, {})
        self.stats.count(per, 'cases')
        self.stats.count(per, 'outcome ' + outcome)
        if self.a.verbose:
            self.say('case %s:%d %s%s -> %s' % (
                case['seed'], case['index'], kind,
                '' if cls == 'basic' else ' ' + cls, outcome))
        c.history.append(case)
        if len(c.history) > HISTORY:
            del c.history[0]
        if outcome == 'hang':
            self.record('hang', case, history, c.why or
                        'no answer within %gs and the connection is still '
                        'open' % self.a.timeout)
        if outcome != 'ok' or kind != 'sess' or case.get('fresh'):
            self.drop(c)
        lines = self.kmsg.new()
        bad = self.kmsg.bad(lines)
        if bad:
            self.reports.extend(bad)
            self.record('report', case, history, bad[0], lines[-300:])
        return True

    def check_batch(self):
        ok, why = health()
        self.batch = []
        if not ok:
            self.record('dead', self.last_case or {}, [],
                        'a fresh login cannot list the share: ' + why)
        return ok

    def run(self):
        a = self.a
        start = time.monotonic()
        kinds = tuple(a.kinds.split(','))
        dialects = tuple(int(d, 0) for d in a.dialects.split(','))
        classes = parse_classes(a.classes)
        self.last_case = None
        ok, why = health()
        if not ok:
            self.say('the server does not answer before fuzzing: ' + why)
            return 1
        last_check = time.monotonic()
        i = a.first
        end_index = a.first + a.count * a.stride if a.count else None
        while True:
            if end_index is not None and i >= end_index:
                break
            now = time.monotonic()
            if a.time and now - start >= a.time:
                break
            case = case_for(a.seed, i, kinds, dialects, classes)
            self.last_case = case
            self.batch.append(case)
            if not self.one(case, now):
                break
            i += a.stride
            if len(self.batch) >= a.batch or now - last_check > 30:
                last_check = now
                if not self.check_batch():
                    break
        else:
            pass
        for c in list(self.ctx.values()):
            c.close()
        T.release_held()
        if self.batch and not any(f['type'] == 'dead'
                                  for f in self.failures):
            self.check_batch()
        # Reports that come late (connection teardown).
        time.sleep(1)
        bad = self.kmsg.bad(self.kmsg.new())
        if bad:
            self.reports.extend(bad)
            self.record('report', self.last_case or {}, [], bad[0], bad)
        self.elapsed = time.monotonic() - start
        self.last_index = i - a.stride
        if a.state:
            with open(a.state, 'w') as f:
                json.dump({'stats': vars(self.stats),
                           'failures': [{'type': x['type']}
                                        for x in self.failures],
                           'reports': self.reports,
                           'last': self.last_index,
                           'kmsg': self.kmsg.usable}, f)
            return 1 if self.failures else 0
        self.summary(self.last_index)
        return 1 if self.failures else 0

    def summary(self, last):
        s = self.stats
        kinds = {}
        for f in self.failures:
            kinds[f['type']] = kinds.get(f['type'], 0) + 1
        lines = [
            'seed: %s, cases %d..%d%s' % (
                self.a.seed, self.a.first, last,
                ' (%d workers, interleaved)' % self.a.jobs
                if self.a.jobs > 1 else ''),
            'time: %.0f s' % self.elapsed,
            'cases: %d' % s.cases,
            'PDUs sent: %d in %d frames' % (s.pdus, s.frames),
            'connections/sessions set up: %d (failed: %d)' % (
                s.sessions, s.logins_failed),
            'outcomes: ' + ', '.join('%s %d' % kv for kv in
                                     sorted(s.outcomes.items())),
            'commands: ' + ', '.join('%s %d' % kv for kv in
                                     sorted(s.commands.items())),
            'classes: ' + ', '.join(
                '%s %d cases %d PDUs' % (k, v.get('cases', 0),
                                         v.get('pdus', 0))
                for k, v in sorted(s.by_class.items())),
        ]
        for k, v in sorted(s.by_class.items()):
            lines.append('  class %s: %s' % (k, ', '.join(
                '%s %d' % (o[8:], n) for o, n in sorted(v.items())
                if o.startswith('outcome '))))
        lines += [
            'statuses (top 15): ' + ', '.join(
                '%s %d' % kv for kv in sorted(
                    s.statuses.items(), key=lambda kv: -kv[1])[:15]),
        ]
        for cmd, sts in sorted(s.by_command.items()):
            # The six most frequent, and always the successes: they show
            # that requests got past the first checks.
            top = sorted(sts.items(), key=lambda kv: -kv[1])[:6]
            if 'STATUS_SUCCESS' in sts and \
                    'STATUS_SUCCESS' not in dict(top):
                top.append(('STATUS_SUCCESS', sts['STATUS_SUCCESS']))
            lines.append('  %s: %s' % (cmd, ', '.join(
                '%s %d' % (k.replace('STATUS_', ''), v) for k, v in top)))
        lines += [
            'kernel log read: %s' % ('yes' if self.kmsg.usable else
                                     'NO (not root?)'),
            'failures: %d%s' % (len(self.failures), (' (' + ', '.join(
                '%s %d' % kv for kv in sorted(kinds.items())) + ')')
                if kinds else ''),
            'crashes (server dead): %d' % kinds.get('dead', 0),
            'kernel reports: %d' % len(self.reports),
        ]
        for r in self.reports[:50]:
            lines.append('    ' + r)
        if self.a.log:
            lines.append('failure log: %s' % self.a.log)
        text = '\n'.join(lines) + '\n'
        sys.stdout.write(text)
        if self.a.out:
            with open(self.a.out, 'w') as f:
                f.write(text)


def merge_into(dst, src):
    """Add a worker's Stats fields (as JSON) to @dst."""
    for k, v in src.items():
        cur = getattr(dst, k)
        if isinstance(v, dict):
            for kk, vv in v.items():
                if isinstance(vv, dict):
                    tab = cur.setdefault(kk, {})
                    for k3, v3 in vv.items():
                        tab[k3] = tab.get(k3, 0) + v3
                else:
                    cur[kk] = cur.get(kk, 0) + vv
        else:
            setattr(dst, k, cur + v)


def run_jobs(a):
    """Run a.jobs workers on interleaved cases and sum their results."""
    start = time.monotonic()
    tmp = tempfile.mkdtemp(prefix='fuzz-jobs.')
    argv = [sys.executable, os.path.abspath(__file__), '--seed', a.seed,
            '--batch', str(a.batch), '--timeout', str(a.timeout),
            '--kinds', a.kinds, '--dialects', a.dialects,
            '--stride', str(a.jobs)]
    if a.classes:
        argv += ['--class', a.classes]
    if a.time:
        argv += ['--time', str(a.time)]
    if a.verbose:
        argv.append('-v')
    procs = []
    for j in range(a.jobs):
        w = argv + ['--first', str(a.first + j),
                    '--state', os.path.join(tmp, 'state.%d' % j)]
        if a.count:
            w += ['--count', str((a.count - j + a.jobs - 1) // a.jobs)]
        if a.log:
            w += ['--log', os.path.join(tmp, 'log.%d' % j)]
        procs.append(subprocess.Popen(w))
    log, a.log = a.log, None
    fz = Fuzzer(a)
    a.log = log
    last = a.first
    seen = set()
    for j, p in enumerate(procs):
        p.wait()
        try:
            with open(os.path.join(tmp, 'state.%d' % j)) as f:
                st = json.load(f)
        except (OSError, ValueError):
            fz.failures.append({'type': 'error'})
            print('worker %d left no result (exit status %s)' % (
                j, p.returncode), flush=True)
            continue
        merge_into(fz.stats, st['stats'])
        fz.failures += [x for x in st['failures'] if x['type'] != 'report']
        for r in st['reports']:
            if r not in seen:
                seen.add(r)
                fz.reports.append(r)
        if not st['kmsg']:
            fz.kmsg.fd = None
        last = max(last, st['last'])
    if a.log:
        with open(a.log, 'a') as out:
            for j in range(a.jobs):
                try:
                    with open(os.path.join(tmp, 'log.%d' % j)) as f:
                        out.write(f.read())
                except OSError:
                    pass
    if fz.reports:
        fz.failures.append({'type': 'report'})
    fz.elapsed = time.monotonic() - start
    fz.summary(last)
    return 1 if fz.failures else 0


def replay(args):
    """Send the failures of a log again, each on a fresh context: first
    the cases that came before it on its connection, then the case."""
    stats = T.Stats()
    kmsg = T.Kmsg()
    recs = []
    with open(args.replay) as f:
        for ln in f:
            ln = ln.strip()
            if ln and not ln.startswith('#'):
                recs.append(json.loads(ln))
    reproduced = 0
    for n, rec in enumerate(recs):
        case = rec.get('case') or {}
        if not case:
            print('record %d: no case to send' % n)
            continue
        kind = case['kind']
        print('record %d: %s, case %s:%s (%s), %d before it' % (
            n, rec.get('type'), case.get('seed'), case.get('index'), kind,
            len(rec.get('history') or [])), flush=True)
        c = T.Context(kind, case.get('dialect', 0x0210), args.timeout, stats)
        outcome = 'setup-failed'
        try:
            c.open()
            for h in rec.get('history') or []:
                if h['kind'] != kind or c.raw is None or h.get('fresh'):
                    continue
                if c.run_case(h) not in ('ok',):
                    c.close()
                    c = T.Context(kind, case.get('dialect', 0x0210),
                                  args.timeout, stats)
                    c.open()
            outcome = c.run_case(case)
            if outcome == 'hang' and c.why:
                outcome += ' (%s)' % c.why
        except Exception as e:
            outcome = 'setup-failed (%s: %s)' % (type(e).__name__, e)
        finally:
            c.close()
            T.release_held()
        time.sleep(1)
        bad = kmsg.bad(kmsg.new())
        ok, why = health()
        got = []
        if outcome.startswith('hang'):
            got.append('hang')
        if bad:
            got.append('report')
        if not ok:
            got.append('dead')
        print('    outcome %s; kernel reports %d; server %s' % (
            outcome, len(bad), 'answers' if ok else 'DEAD: ' + why))
        for b in bad[:20]:
            print('    ' + b)
        if got:
            reproduced += 1
        if not ok:
            break
    print('%d of %d records reproduced a failure' % (reproduced, len(recs)))
    return 1 if reproduced else 0


def main():
    p = argparse.ArgumentParser(add_help=True, usage=__doc__)
    p.add_argument('--seed', default='1')
    p.add_argument('--count', type=int, default=0,
                   help='number of cases (0: until --time)')
    p.add_argument('--time', type=float, default=0,
                   help='seconds to run (0: until --count)')
    p.add_argument('--first', type=int, default=0, help='first case index')
    p.add_argument('--batch', type=int, default=200,
                   help='cases between health checks')
    p.add_argument('--timeout', type=float, default=15,
                   help='seconds to wait for an answer')
    p.add_argument('--kinds', default='pre,neg,sess')
    p.add_argument('--dialects', default='0x210,0x311')
    p.add_argument('--class', dest='classes', default='',
                   help='only cases of these classes (comma list of: %s, '
                   'basic); default: the mix of all' % ', '.join(G.CLASSES))
    p.add_argument('--out', help='summary file')
    p.add_argument('--log', help='failure log (JSON lines, for --replay)')
    p.add_argument('--replay', help='send the failures of a log again')
    p.add_argument('--jobs', type=int, default=1,
                   help='fuzzers run side by side')
    p.add_argument('--stride', type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument('--state', help=argparse.SUPPRESS)
    p.add_argument('-v', '--verbose', action='store_true')
    a = p.parse_args()
    if a.replay:
        return replay(a)
    try:
        parse_classes(a.classes)
    except ValueError as e:
        p.error(str(e))
    if not a.count and not a.time:
        p.error('give --count or --time (or both)')
    if a.time and a.time > 7 * 86400:
        p.error('--time is at most a week')
    if not 1 <= a.jobs <= 16 or a.stride < 1:
        p.error('--jobs is 1 to 16')
    if a.jobs > 1:
        return run_jobs(a)
    return Fuzzer(a).run()


if __name__ == '__main__':
    sys.exit(main())
