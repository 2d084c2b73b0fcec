#!/usr/bin/env bash
# Run the demo: the background task worker plus the development server, stopped together.
#
# Usage: scripts/demo_serve.sh [PORT]   (called by `make demo` after migrate, load-reference, load_demo)
#
# The worker runs in its own process group so that it can be stopped as a whole (the autoreloader
# starts a child). It is stopped by this script's exit trap, and also by a small watchdog that outlives
# the script: if the script dies in a way no trap sees (its output pipe closed, SIGKILL), the watchdog
# still stops the worker, so no worker is ever left behind. The URL and the login are printed once the
# server answers, so they are the last lines on the screen and not lost above the server's start-up.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PORT="${1:-8000}"
PY="${PY:-$ROOT/.venv/bin/python}"
URL="http://127.0.0.1:${PORT}/"

worker=""
announcer=""
stop_worker() {
    trap '' PIPE  # `make demo | tee log` closed by Ctrl-C must not stop us before the worker is stopped
    if [ -n "$announcer" ]; then kill "$announcer" 2>/dev/null || true; fi
    if [ -n "$worker" ] && kill -0 "$worker" 2>/dev/null; then
        kill -TERM -- "-$worker" 2>/dev/null || kill -TERM "$worker" 2>/dev/null || true
        wait "$worker" 2>/dev/null || true
        echo "== Stopped the task worker (pid $worker)" 2>/dev/null || true
    fi
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

setsid "$PY" manage.py db_worker --queue-name '*' &
worker=$!

# Watchdog: stop the worker's process group once this script is gone, however it went.
script_pid=$$
(
    trap '' INT HUP TERM
    while kill -0 "$script_pid" 2>/dev/null && kill -0 "$worker" 2>/dev/null; do sleep 1; done
    kill -TERM -- "-$worker" 2>/dev/null || true
) >/dev/null 2>&1 &
disown $! 2>/dev/null || true

# The credentials live in one small module (no Django import) so this banner and load_demo agree.
read -r demo_user second_user demo_password < <("$PY" -c \
    'from citydiplo.demo.credentials import DEMO_USERNAME as u, DEMO_SECOND_USERNAME as s, DEMO_PASSWORD as p
print(u, s, p)')

banner() {
    cat <<BANNER

  ==================================================================
   citydiplo demo is running
     Open:      ${URL}
     Log in:    ${URL}accounts/login/
     User:      ${demo_user}
     Password:  ${demo_password}
                (a fixed DEVELOPMENT-ONLY password for the illustrative
                 demo data; never use it on a reachable server)
     Second office (Rosario), to see what is shared with it:
                ${second_user}, same password
   Task worker: running in the background (pid ${worker})
   Stop the server and the worker with Ctrl-C.
  ==================================================================

BANNER
}

echo "== Starting the server on ${URL} (the login is printed once it answers)"
# Print the banner once /healthz answers (up to two minutes), from a background helper.
(
    trap '' INT
    for _ in $(seq 240); do
        if "$PY" - "${URL}healthz" <<'PY' 2>/dev/null; then
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2)
PY
            banner
            exit 0
        fi
        sleep 0.5
    done
) &
announcer=$!

"$PY" manage.py runserver "127.0.0.1:${PORT}"
