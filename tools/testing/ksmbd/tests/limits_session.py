#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 240
"""limits_session: what one session or connection can make the server hold.

- sessions per connection: a logged-in connection starts a real NTLM login
  of a second session and 62 more that stop after the challenge: with 64
  sessions the next SESSION_SETUP is STATUS_REQUEST_NOT_ACCEPTED;
- trees per session: 1024 tree connects work, the next is
  STATUS_INSUFFICIENT_RESOURCES; after a TREE_DISCONNECT one works again;
- opens per session: 8192 opens work, the next is
  STATUS_INSUFFICIENT_RESOURCES; after a CLOSE one works again;
- "max open files = 100" and "smb2 max credits = 32" (ksmbd.control
  --reload): a new session asking for 1000 credits is granted at most 32
  in all; with 60 files open in one session, another session gets 40 and
  then STATUS_INSUFFICIENT_RESOURCES; closing files makes room;
- sessions stuck IN_PROGRESS: 31 s after it began, the AUTHENTICATE of the
  second login is STATUS_USER_SESSION_DELETED, and a new session can be
  started on the full connection (the stale ones were expired);
- "max active sessions = 2" (reload), every other connection closed: two
  logins on two connections work, a third is STATUS_REQUEST_NOT_ACCEPTED,
  and once one logs off a new one works.
The configuration is restored at the end.
"""

import os
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402
import lib_client as C  # noqa: E402

L.need_impacket()

TOOLS = os.path.normpath(os.path.join(os.path.dirname(
    os.path.abspath(__file__)), '..', '..', '..', 'ksmbd'))
CONF = '/etc/ksmbd/ksmbd.conf'
MAX_SESSIONS = 64
MAX_TREES = 1024
MAX_OPENS = 8192
SETUP_TIMEOUT = 30
MAX_CREDITS = 32
STATUS_INSUFFICIENT_RESOURCES = 0xC000009A
STATUS_REQUEST_NOT_ACCEPTED = 0xC00000D0
STATUS_USER_SESSION_DELETED = 0xC0000203
BATCH = 16

chk = L.Checker()


def reload_daemon():
    r = subprocess.run([os.path.join(TOOLS, 'ksmbd.control'), '--reload'],
                       capture_output=True, text=True, timeout=60)
    time.sleep(1)
    return r.returncode == 0


def with_global(text, line):
    out = []
    key = line.split('=')[0].strip().lower()
    for ln in text.splitlines():
        if ln.strip().lower().startswith(key):
            continue
        out.append(ln)
        if ln.strip().lower() == '[global]':
            out.append('\t' + line)
    return '\n'.join(out) + '\n'


def name(code):
    return L.status_name(code)


def new_session(s):
    """SESSION_SETUP with SessionId 0 and an NTLM NEGOTIATE: (status, sid,
    challenge)."""
    data, hs = s.request(L.SESSION_SETUP, L.session_setup_body(
        C.spnego_init(C.ntlm_negotiate_msg())), session_id=0, tree_id=0,
        sign=False)
    blob = hs[0].body(data)
    at = blob.find(b'NTLMSSP\0')
    return hs[0].status, hs[0].session_id, blob[at:] if at >= 0 else b''


def warm(s):
    """Two ECHOs, each asking for credits: enough for a batch."""
    for _ in range(2):
        s.request(L.ECHO, L.echo_body())


def credits(s):
    """Ask for 1000 credits: the grant keeps the total at the setting."""
    _, hs = s.request(L.ECHO, L.echo_body(), credit_request=1000)
    chk.ok(1 <= hs[0].credits <= MAX_CREDITS,
           'an ECHO asking for 1000 credits is granted at most %d' %
           MAX_CREDITS, 'granted %d' % hs[0].credits)
    for _ in range(3):
        _, hs = s.request(L.ECHO, L.echo_body(), credit_request=1000)
    chk.eq('more ECHOs asking for 1000 only make up what they used', 1,
           hs[0].credits)


def batched(s, command, bodies):
    """Send requests BATCH at a time; the headers of their replies."""
    out = []
    for i in range(0, len(bodies), BATCH):
        chunk = bodies[i:i + BATCH]
        s.send(b''.join(L.frame(s.packet(command, b)) for b in chunk))
        for _ in chunk:
            data, hs = s.raw.recv_reply(30)
            out.append((data, hs[0]))
    return out


def open_body(fname):
    return L.create_body(fname, disposition=L.FILE_OPEN_IF,
                         access=L.GENERIC_RW_ACCESS,
                         options=L.FILE_NON_DIRECTORY_FILE)


def opens(s, fname, n):
    """Open @fname @n times; (file ids, first failure status or None)."""
    fids, fail = [], None
    for data, h in batched(s, L.CREATE, [open_body(fname)] * n):
        if h.status == L.STATUS_SUCCESS:
            fids.append(L.create_reply_file_id(data, h))
        elif fail is None:
            fail = h.status
    return fids, fail


def close_all(s, fids):
    batched(s, L.CLOSE, [L.close_body(f) for f in fids])


def sessions_start(s):
    """Fill the connection with sessions; returns (sid, challenge, t0) of
    the real login left half-done."""
    st, sid, challenge = new_session(s)
    t0 = time.monotonic()
    chk.eq('a second login on the connection starts', 'MORE_PROCESSING',
           'MORE_PROCESSING' if st == L.STATUS_MORE_PROCESSING_REQUIRED
           else name(st))
    ok = 0
    for _ in range(MAX_SESSIONS - 2):
        st, _, _ = new_session(s)
        ok += st == L.STATUS_MORE_PROCESSING_REQUIRED
    chk.eq('sessions started up to %d on the connection' % MAX_SESSIONS,
           MAX_SESSIONS - 2, ok)
    st, _, _ = new_session(s)
    chk.eq('session %d on the connection' % (MAX_SESSIONS + 1),
           name(STATUS_REQUEST_NOT_ACCEPTED), name(st))
    return sid, challenge, t0


def trees(s):
    path = '\\\\%s\\%s' % (L.HOST, L.SHARE)
    body = L.tree_connect_body(path)
    # The RawSession's own tree is the first.
    res = batched(s, L.TREE_CONNECT, [body] * (MAX_TREES - 1))
    tids = [h.tree_id for _, h in res if h.status == L.STATUS_SUCCESS]
    chk.eq('tree connects up to %d' % MAX_TREES, MAX_TREES - 1, len(tids))
    _, hs = s.request(L.TREE_CONNECT, body)
    chk.eq('tree connect %d' % (MAX_TREES + 1),
           name(STATUS_INSUFFICIENT_RESOURCES), name(hs[0].status))
    if tids:
        _, hs = s.request(L.TREE_DISCONNECT, struct.pack('<HH', 4, 0),
                          tree_id=tids.pop())
        _, hs = s.request(L.TREE_CONNECT, body)
        chk.eq('a tree connect after a disconnect', name(L.STATUS_SUCCESS),
               name(hs[0].status))
        if hs[0].status == L.STATUS_SUCCESS:
            tids.append(hs[0].tree_id)
    for t in tids:
        s.request(L.TREE_DISCONNECT, struct.pack('<HH', 4, 0), tree_id=t)


def per_session_opens(s):
    fname = 'limits-opens-%d.txt' % os.getpid()
    fids, fail = opens(s, fname, MAX_OPENS)
    chk.eq('opens up to %d in one session' % MAX_OPENS, MAX_OPENS, len(fids))
    more, fail = opens(s, fname, 1)
    chk.eq('open %d in one session' % (MAX_OPENS + 1),
           name(STATUS_INSUFFICIENT_RESOURCES), name(fail or 0))
    fids += more
    if fids:
        close_all(s, fids[-1:])
        fids = fids[:-1]
        again, fail = opens(s, fname, 1)
        chk.eq('an open after a close', 1, len(again))
        fids += again
    close_all(s, fids)


def global_opens(a, b):
    fa, fail = opens(a, 'limits-global-a.txt', 60)
    chk.eq('60 opens in the first session', 60, len(fa))
    fb, fail = opens(b, 'limits-global-b.txt', 50)
    chk.eq('opens the second session gets with "max open files = 100"',
           40, len(fb))
    chk.eq('the open past "max open files"',
           name(STATUS_INSUFFICIENT_RESOURCES), name(fail or 0))
    close_all(a, fa)
    more, fail = opens(b, 'limits-global-b.txt', 10)
    chk.eq('opens after the other session closed its files', 10, len(more))
    close_all(b, fb + more)


def try_login():
    """An impacket login, or the NT status that refused it."""
    try:
        return L.connect(), None
    except Exception as e:  # impacket's SessionError, or a socket error
        return None, L.session_error_code(e) or str(e)


def active_sessions(conf_before):
    with open(CONF, 'w') as f:
        f.write(with_global(conf_before, 'max active sessions = 2'))
    chk.ok(reload_daemon(), 'the daemon reloads with max active sessions = 2')
    # The sessions of the closed connections go with their teardown.
    time.sleep(2)
    a, err_a = try_login()
    b, err_b = try_login()
    chk.ok(a and b, 'two sessions under max active sessions = 2',
           '%s %s' % (err_a, err_b))
    c, err_c = try_login()
    chk.eq('a third session', name(STATUS_REQUEST_NOT_ACCEPTED),
           name(err_c) if isinstance(err_c, int) else str(err_c))
    if a:
        a.logoff()
        a.close()
    d, err_d = try_login()
    chk.ok(d, 'a session once another logged off', str(err_d))
    for x in (b, c, d):
        if x:
            x.close()


def expiry(s, sid, challenge, t0):
    time.sleep(max(0, t0 + SETUP_TIMEOUT + 1 - time.monotonic()))
    auth, _ = C.ntlm_authenticate_msg(challenge, L.USER, L.PASSWORD)
    _, hs = s.request(L.SESSION_SETUP,
                      L.session_setup_body(C.spnego_resp(auth)),
                      session_id=sid, tree_id=0, sign=False)
    chk.eq('AUTHENTICATE %d s after the login began' % (SETUP_TIMEOUT + 1),
           name(STATUS_USER_SESSION_DELETED), name(hs[0].status))
    st, _, _ = new_session(s)
    chk.eq('a new session once the stale ones expired', 'MORE_PROCESSING',
           'MORE_PROCESSING' if st == L.STATUS_MORE_PROCESSING_REQUIRED
           else name(st))


with open(CONF) as f:
    conf_before = f.read()
if '[global]' not in conf_before.lower():
    L.skip('no [global] section in ' + CONF)
s1 = s2 = s3 = None
try:
    s1 = L.RawSession(share=None, timeout=10)
    sid, challenge, t0 = sessions_start(s1)
    s2 = L.RawSession(timeout=30)
    warm(s2)
    trees(s2)
    per_session_opens(s2)
    with open(CONF, 'w') as f:
        f.write(with_global(with_global(conf_before, 'max open files = 100'),
                            'smb2 max credits = %d' % MAX_CREDITS))
    chk.ok(reload_daemon(), 'the daemon reloads with max open files = 100 '
           'and smb2 max credits = %d' % MAX_CREDITS)
    s3 = L.RawSession(timeout=30)
    credits(s3)
    global_opens(s2, s3)
    expiry(s1, sid, challenge, t0)
    for s in (s1, s2, s3):
        s.close()
    s1 = s2 = s3 = None
    active_sessions(conf_before)
except (L.Closed, L.NoAnswer) as e:
    chk.fail('the test ran to its end', '%s: %s' % (type(e).__name__, e))
finally:
    for s in (s1, s2, s3):
        if s:
            s.close()
    with open(CONF, 'w') as f:
        f.write(conf_before)
    reload_daemon()
sys.exit(chk.finish())
