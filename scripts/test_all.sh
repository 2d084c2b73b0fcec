#!/usr/bin/env bash
# `make test`: every check in order, each timed, then one summary and one closing count line.
#
# Stages: lint (ruff check), the suite on SQLite, the same suite on PostgreSQL, the browser tests.
# Every stage runs even when an earlier one failed, so one run shows everything that is wrong; the
# exit status is non-zero if any stage failed. A stage that could not run (no PostgreSQL or Chromium
# and no root to install them) leaves RESULTS/<stage>.skipped with the reason: reported as SKIPPED
# locally. Under CI=true the make targets fail instead of skipping, so nothing is silently left out.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

MAKE="${MAKE:-make}"
RESULTS="${RESULTS:-test-results}"
PY="${PY:-.venv/bin/python}"

rm -rf "$RESULTS"
mkdir -p "$RESULTS"

names=()
statuses=()
seconds=()

run_stage() {
    # run_stage <key> <title> <command...>
    local key="$1" title="$2"
    shift 2
    echo
    echo "================ ${title} ================"
    local start=$SECONDS rc=0
    "$@" || rc=$?
    local took=$((SECONDS - start)) status
    if [ "$rc" != 0 ]; then
        status=FAILED
    elif [ -f "$RESULTS/$key.skipped" ]; then
        status=SKIPPED
    else
        status=ok
    fi
    echo "---------------- ${title}: ${status} in ${took}s"
    names+=("$key|$title")
    statuses+=("$status")
    seconds+=("$took")
}

run_stage lint "lint (ruff check)" "$MAKE" --no-print-directory ruff-check
run_stage sqlite "suite on SQLite" "$MAKE" --no-print-directory test-sqlite
run_stage postgres "suite on PostgreSQL" "$MAKE" --no-print-directory test-postgres
run_stage browser "browser tests (Chromium, live server)" "$MAKE" --no-print-directory test-browser

# One line per stage, then the closing count summed over every pytest run's JUnit report. A stage
# that failed without any test failing (lint, a crash before pytest wrote its report) counts as one
# failure, so the closing line never reads "0 failed" on a failing run.
args=()
for i in "${!names[@]}"; do
    args+=("${names[$i]}|${statuses[$i]}|${seconds[$i]}")
done
"$PY" scripts/test_summary.py "$RESULTS" "${args[@]}"
