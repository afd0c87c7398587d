# SPDX-License-Identifier: GPL-2.0
# Shared settings for the build and test scripts. Sourced, not run.

# The exact kernel source package the series is developed and tested against.
KSRC_PKG=linux-source-6.12
KSRC_VERSION=6.12.117-1~deb12u1
KSRC_TARBALL=/usr/src/linux-source-6.12.tar.xz

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${KSMBD_BUILD_DIR:-$TOP/build}
# KSMBD_FLAVOR=debug selects a second kernel tree built with the debug
# options of scripts/uml-debug.config added (lockdep, KASAN, ...);
# KSMBD_FLAVOR=bench a third one with the server as a module beside what
# the kernel package's server needs (scripts/uml-bench.config), for
# scripts/benchmark.
FLAVOR=${KSMBD_FLAVOR:-test}
case "$FLAVOR" in
test) KDIR=$BUILD/linux-6.12;;
debug) KDIR=$BUILD/linux-6.12-debug;;
bench) KDIR=$BUILD/linux-6.12-bench;;
*) echo "unknown KSMBD_FLAVOR $FLAVOR" >&2; exit 1;;
esac
UML=$KDIR/linux
DAEMON_DIR=$TOP/tools/ksmbd
JOBS=${JOBS:-$(nproc)}

export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache-ksmbd}
export CCACHE_BASEDIR=$BUILD
export CCACHE_NOHASHDIR=1
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}

die() { echo "error: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }
