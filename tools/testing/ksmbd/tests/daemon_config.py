#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# ksmbd-test-timeout: 240
"""daemon_config: ksmbd.addshare reloads the daemon, [homes], refusals.

Against the running ksmbd.mountd, editing /etc/ksmbd/ksmbd.conf:
- ksmbd.addshare adds a share and the daemon serves it without a manual
  reload (addshare sends SIGHUP); after "ksmbd.addshare -d" it is gone;
- a [homes] section with "path = /srv/share/home-%U" and "valid users =
  %S": the test user connects to a share named after itself and to
  "homes", lands in its own directory, and another user's name is
  BAD_NETWORK_NAME;
- a file with an option the kernel does not implement ("bind interfaces
  only = yes") fails "ksmbd.mountd --check" with its line, and a reload
  with it keeps the running configuration (the share still connects);
- a trailing comment in a path is not part of it.
The configuration is restored at the end.
"""

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
import lib_smb as L  # noqa: E402

L.need_impacket()
from impacket import smb3structs as S  # noqa: E402

TOOLS = os.path.normpath(os.path.join(os.path.dirname(
    os.path.abspath(__file__)), '..', '..', '..', 'ksmbd'))
CONF = '/etc/ksmbd/ksmbd.conf'
STATUS_BAD_NETWORK_NAME = 0xC00000CC

chk = L.Checker()


def tool(name, *args):
    return subprocess.run([os.path.join(TOOLS, name)] + list(args),
                          capture_output=True, text=True, timeout=60)


def tree_status(share, tries=1):
    """0 if a fresh session connects @share, else the NT status."""
    code = None
    for i in range(tries):
        conn = None
        try:
            conn = L.connect(dialect=S.SMB2_DIALECT_311)
            conn.connectTree(share)
            return 0
        except Exception as e:
            code = L.session_error_code(e)
        finally:
            if conn is not None:
                try:
                    conn.close()
                except Exception:
                    pass
        if i + 1 < tries:
            time.sleep(0.5)
    return code


def put(share, name, data):
    conn = L.connect(dialect=S.SMB2_DIALECT_311)
    try:
        smb = conn.getSMBServer()
        tid = conn.connectTree(share)
        fid = smb.create(tid, name, L.GENERIC_RW_ACCESS, L.FILE_SHARE_ALL,
                         L.FILE_NON_DIRECTORY_FILE, L.FILE_OVERWRITE_IF, 0)
        smb.write(tid, fid, data, 0, len(data))
        smb.close(tid, fid)
    finally:
        conn.close()


def dirname_for(tag):
    d = os.path.join(L.SHARE_DIR, '%s-%d' % (tag, os.getpid()))
    os.makedirs(d, exist_ok=True)
    os.chown(d, L.SHARE_UID, L.SHARE_GID)
    return d


with open(CONF) as f:
    conf_before = f.read()
try:
    # 1. addshare: served at once, no manual reload.
    extra = dirname_for('extra')
    chk.eq('the share does not exist yet', STATUS_BAD_NETWORK_NAME,
           tree_status('extra'))
    r = tool('ksmbd.addshare', '-a', 'extra', '-o',
             'path=%s writeable=yes' % extra)
    chk.ok(r.returncode == 0, 'ksmbd.addshare -a works', r.stderr)
    chk.ok('is reloading' in r.stdout, 'it makes ksmbd.mountd reload',
           r.stdout.strip())
    chk.eq('the new share connects without ksmbd.control --reload', 0,
           tree_status('extra', tries=10))
    try:
        put('extra', 'in-extra.txt', b'extra')
        with open(os.path.join(extra, 'in-extra.txt'), 'rb') as f:
            chk.eq('a file written there is in its directory', b'extra',
                   f.read())
    except Exception as e:
        chk.fail('a file written there is in its directory',
                 '%s: %s' % (type(e).__name__, e))
    r = tool('ksmbd.addshare', '-d', 'extra')
    chk.ok(r.returncode == 0, 'ksmbd.addshare -d works', r.stderr)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and tree_status('extra') == 0:
        time.sleep(0.5)
    chk.eq('after -d the share is gone', STATUS_BAD_NETWORK_NAME,
           tree_status('extra'))

    # 2. [homes] with %U and %S, and a trailing comment in a path.
    home = dirname_for('home')
    os.rename(home, os.path.join(L.SHARE_DIR, 'home-' + L.USER))
    home = os.path.join(L.SHARE_DIR, 'home-' + L.USER)
    commented = dirname_for('commented')
    with open(CONF, 'w') as f:
        f.write(conf_before.rstrip('\n') + '\n\n'
                '[homes]\n'
                '\tpath = %s/home-%%U\n'
                '\tvalid users = %%S\n'
                '\twriteable = yes\n\n'
                '[commented]\n'
                '\tpath = %s ; the trailing comment\n'
                % (L.SHARE_DIR, commented))
    r = tool('ksmbd.mountd', '--check')
    chk.ok(r.returncode == 0, 'ksmbd.mountd --check accepts it', r.stderr)
    chk.ok('\tpath = %s\n' % commented in r.stdout,
           '--check shows the path without the comment')
    r = tool('ksmbd.control', '--reload')
    chk.ok(r.returncode == 0, 'ksmbd.control --reload', r.stderr)
    time.sleep(1)
    chk.eq('the user connects to a share named after itself', 0,
           tree_status(L.USER, tries=10))
    chk.eq('and to "homes"', 0, tree_status('homes'))
    chk.eq('another name is no share', STATUS_BAD_NETWORK_NAME,
           tree_status('nosuchuser'))
    try:
        put(L.USER, 'mine.txt', b'home')
        with open(os.path.join(home, 'mine.txt'), 'rb') as f:
            chk.eq('a file written there is in home-' + L.USER, b'home',
                   f.read())
    except Exception as e:
        chk.fail('a file written there is in home-' + L.USER,
                 '%s: %s' % (type(e).__name__, e))
    chk.eq('the share with a trailing comment connects', 0,
           tree_status('commented'))

    # 3. An option the kernel cannot honour: refused, the old config stays.
    good = open(CONF).read()
    with open(CONF, 'w') as f:
        f.write(good.replace('[global]', '[global]\n\tbind interfaces only '
                             '= yes', 1))
    lineno = 1 + good.split('[global]')[0].count('\n') + 1
    r = tool('ksmbd.mountd', '--check')
    chk.eq('--check fails on bind interfaces only = yes', 1, r.returncode)
    chk.ok('ksmbd.conf:%d: \'bind interfaces only = yes\': not supported '
           'by this server yet' % lineno in r.stderr,
           'the error names the line and the reason', r.stderr.strip())
    r = tool('ksmbd.control', '--reload')
    time.sleep(1)
    chk.eq('after a refused reload the home share still connects', 0,
           tree_status(L.USER))
finally:
    with open(CONF, 'w') as f:
        f.write(conf_before)
    tool('ksmbd.control', '--reload')
    time.sleep(1)
ok, why = L.server_answers()
chk.ok(ok, 'a new login works after the configuration is restored', why)
chk.finish()
