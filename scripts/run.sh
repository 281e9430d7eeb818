#!/usr/bin/env bash
# `make run`: the portal on this machine with nothing but Python — SQLite, a folder broker,
# two Celery workers (the sweep's queue, the e-mails') and beat in the background, the web server in the
# foreground. Ctrl-C stops them all.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
export DJANGO_SETTINGS_MODULE=rakuten_portal.settings
# Links in e-mails point at the address this run serves (PORT=8101 → links on 8101), unless SITE_URL is set.
export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"
export PYTHONUNBUFFERED=1

ensure_venv requirements.txt
PY="$VENV/bin/python"

say "Preparing the database and static files"
"$PY" manage.py migrate --noinput --verbosity 0
compile_messages
"$PY" manage.py collectstatic --noinput --verbosity 0
"$PY" manage.py seed_demo

LOG_DIR="${PORTAL_VAR_DIR:-$ROOT/var}/log"
mkdir -p "$LOG_DIR"
pids=()
stop_all() {
    trap - EXIT INT TERM
    if [ "${#pids[@]}" -gt 0 ]; then
        echo
        say "Stopping the workers and beat"
        kill -TERM "${pids[@]}" 2>/dev/null || true
        wait "${pids[@]}" 2>/dev/null || true
    fi
}
trap stop_all EXIT
trap 'exit 0' INT  # Ctrl-C is the normal way to stop
trap 'exit 143' TERM

say "Starting the Celery workers and beat (logs in $LOG_DIR)"
# Two workers, so that a backlog of e-mails never delays the sweep (takeovers, reminders): one on the
# "sweep" queue alone, one on the e-mails and everything else (queues in rakuten_portal/settings.py).
"$VENV/bin/celery" -A rakuten_portal worker --pool=solo -Q sweep -n sweep@%h --loglevel=INFO \
    >"$LOG_DIR/worker-sweep.log" 2>&1 &
pids+=($!)
"$VENV/bin/celery" -A rakuten_portal worker --pool=solo -Q emails,celery -n emails@%h --loglevel=INFO \
    >"$LOG_DIR/worker.log" 2>&1 &
pids+=($!)
"$VENV/bin/celery" -A rakuten_portal beat --loglevel=INFO --pidfile= >"$LOG_DIR/beat.log" 2>&1 &
pids+=($!)

cat <<BANNER

  Portal:  http://$HOST:$PORT/
  Admin:   http://$HOST:$PORT/admin/
  Demo accounts (password demo-2026):
    alice, bob        buyers
    boutique-paris    professional seller
    marc              individual seller
    agent             customer-service agent (staff, admin)
  Worker and beat logs: $LOG_DIR/worker.log, $LOG_DIR/worker-sweep.log, $LOG_DIR/beat.log
  Ctrl-C stops everything.

BANNER

# Not exec: the trap above must still run when the server stops.
"$PY" manage.py runserver --noreload "$HOST:$PORT" &
server=$!
pids+=($server)
wait "$server"
