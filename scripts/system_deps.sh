#!/usr/bin/env bash
# Make sure a system tool the test suite needs is on this machine, installing Debian's package if not.
#
# Usage: scripts/system_deps.sh postgresql|chromium
#
# Exit status:
#   0  the tool is there (it was, or it has just been installed)
#   3  it is missing and could not be installed, and this is not CI: the caller may skip the suite
#      and must say so
#   1  it is missing under CI (CI=true): a suite that cannot run is a failure there, never a skip
#
# Why Debian's packages: PostgreSQL's `pg_virtualenv` (postgresql-common) starts a throw-away cluster
# even as root, and Playwright drives Debian's /usr/bin/chromium (it can never download its own browser
# on these machines). Installing needs root; elsewhere we print the command to run instead.
set -euo pipefail

what="${1:-}"
case "$what" in
    postgresql)
        probe=pg_virtualenv
        packages=(postgresql postgresql-common)
        ;;
    chromium)
        probe=/usr/bin/chromium
        # --no-install-recommends keeps the desktop extras out; fonts-liberation gives pages real glyphs.
        packages=(chromium fonts-liberation)
        ;;
    *)
        echo "usage: $0 postgresql|chromium" >&2
        exit 2
        ;;
esac

present() {
    command -v "$probe" >/dev/null 2>&1 || return 1
    if [ "$what" = postgresql ]; then
        # postgresql-common alone (it can come with the client) is not enough: a server must be there.
        compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || return 1
    fi
}

if present; then
    exit 0
fi

unavailable() {
    # $1: why it could not be had
    if [ "${CI:-}" = "true" ]; then
        echo "ERROR: $what is needed for the test suite and is not available: $1" >&2
        echo "ERROR: under CI a suite that cannot run is a failure." >&2
        exit 1
    fi
    echo "SKIPPED: $what is not available: $1" >&2
    echo "         Install it with: sudo apt-get update && sudo apt-get install -y ${packages[*]}" >&2
    exit 3
}

if [ "$(id -u)" != "0" ]; then
    unavailable "not installed, and installing Debian's packages needs root"
fi
if ! command -v apt-get >/dev/null 2>&1; then
    unavailable "not installed, and this machine has no apt-get"
fi

echo "== Installing Debian's ${packages[*]} (needed by the test suite) ..."
export DEBIAN_FRONTEND=noninteractive
# Another apt run (a colleague's, an unattended upgrade) may hold the lock: wait for it, do not fail.
apt_opts=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
if ! { apt-get "${apt_opts[@]}" update -qq \
        && apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends "${packages[@]}" >/dev/null; }; then
    unavailable "apt-get install ${packages[*]} failed"
fi
present || unavailable "installed ${packages[*]}, but $probe is still missing"
echo "== Installed ${packages[*]}."
