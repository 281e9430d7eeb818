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

status=0
"$VENV/bin/python" -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
    die "pytest collected no tests"
fi
exit "$status"
