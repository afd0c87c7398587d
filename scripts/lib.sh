# SPDX-License-Identifier: GPL-2.0
# Shared settings for the build and test scripts. Sourced, not run.

# The kernel source package the series is developed and tested against:
# the archive's current linux-source-6.12 (scripts/setup installs or
# upgrades it). KSRC_VERSION is the version installed, read from dpkg, so
# every build stamp, the series base and the logs record which one it was.
KSRC_PKG=linux-source-6.12
KSRC_VERSION=$(dpkg-query -W -f='${Version}' "$KSRC_PKG" 2>/dev/null || true)
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

# The series' base: $SERIES_BASE is a git repository holding the pristine
# $KSRC_TARBALL as its one commit (fixed author and date, so its id is the
# same on every host for the same package). scripts/gen-patches builds the
# series on top of it; scripts/check-series applies the series to its
# working tree and builds there.
SERIES_BASE=$BUILD/series-base
# Paths of the pristine tree the series deletes: the old server and its
# documentation (ours lives beside it, in Documentation/filesystems/smb/).
SERIES_REMOVE="fs/smb/server Documentation/filesystems/smb/ksmbd.rst"

series_base() {	# create $SERIES_BASE once per source version; print its commit
	local stamp=$SERIES_BASE/.git/pristine-$KSRC_VERSION date
	if [ ! -f "$stamp" ]; then
		[ -f "$KSRC_TARBALL" ] || die "$KSRC_TARBALL missing (run scripts/setup)"
		log "creating the pristine git tree $SERIES_BASE"
		rm -rf "$SERIES_BASE"
		mkdir -p "$SERIES_BASE"
		tar -xJf "$KSRC_TARBALL" -C "$SERIES_BASE" --strip-components=1
		date="@$(stat -c %Y "$KSRC_TARBALL") +0000"
		(cd "$SERIES_BASE" && git init -q && git add -A -f . &&
		 GIT_AUTHOR_NAME=linux-source GIT_AUTHOR_EMAIL=linux-source@localhost \
		 GIT_COMMITTER_NAME=linux-source GIT_COMMITTER_EMAIL=linux-source@localhost \
		 GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date \
		 git commit -q -m "$KSRC_PKG $KSRC_VERSION" &&
		 git tag -f pristine >/dev/null) || die "cannot create $SERIES_BASE"
		touch "$stamp"
	fi
	git -C "$SERIES_BASE" rev-parse pristine
}
