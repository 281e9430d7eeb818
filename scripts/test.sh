#!/usr/bin/env bash
# `make test`: the whole suite, browser tests included. Extra pytest arguments pass through
# (`make test ARGS="-k claims"`). Non-zero on any failure, and when no test ran at all.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

ensure_venv requirements-dev.txt

if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Installing Chromium for the browser tests"
        apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q chromium; }
    else
        warn "/usr/bin/chromium is missing and cannot be installed here (needs root and apt-get): browser tests will be skipped"
    fi
fi

compile_messages

# Two runs: the browser tests drive Chromium through Playwright's sync API, whose event loop stays in the
# process and breaks every asyncio test (the chat's consumers) that would run after it in the same process.
# A part that collects nothing (exit 5) is fine as long as the other part ran something.
status=0
"$VENV/bin/python" -m pytest -m "not e2e" "$@" || status=$?
browser_status=0
"$VENV/bin/python" -m pytest -m e2e "$@" || browser_status=$?
if [ "$status" -eq 5 ] && [ "$browser_status" -eq 5 ]; then
    die "pytest collected no tests"
fi
[ "$status" -eq 5 ] && status=0
[ "$browser_status" -eq 5 ] && browser_status=0
[ "$status" -ne 0 ] && exit "$status"
exit "$browser_status"
