"""Benchmark: how long 10,000 e-mails left pending by a broker outage take to go out once the broker is back.

    .venv/bin/python bench/email_drain.py                      # 10,000 pending notifications, prints the figures
    .venv/bin/python bench/email_drain.py --write docs/email-drain-benchmark.md

What it runs, all real: PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/rk_broker), Redis
(CELERY_BROKER_URL, default redis://127.0.0.1:6379/12, purged before and after), the README's two workers
(`-Q sweep` solo, and `-Q emails,celery` with --concurrency 2, prefork), Django's SMTP backend, and a local SMTP
server in this process (tests/smtp_server.py) that counts what it receives and each Message-ID.

The clock starts when the sweep is published (beat does it within SWEEP_INTERVAL_SECONDS of the broker's return)
and stops when no notification is pending. Target: 10,000 within 5 minutes; every e-mail received exactly once.
"""
import argparse
import collections
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.smtp_server import SmtpServer  # noqa: E402

SMTP = SmtpServer(keep_messages=False)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rk_broker")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/12")
os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{SMTP.port}"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("CACHE_URL", "locmemcache://")
os.environ.setdefault("PORTAL_VAR_DIR", tempfile.mkdtemp(prefix="email-drain-bench-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "rakuten_portal.settings"
os.environ.setdefault("LOG_LEVEL", "WARNING")


def ensure_database():
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    params = dict(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"] or None)
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


def populate(count: int, *, outage_started):
    """`count` order-message notifications over 100 buyers' orders, all pending since the outage began."""
    from claims.models import Notification
    from orders.models import Order
    from tests.factories import SellerFactory, UserFactory, make_order

    Notification.objects.all().delete()
    orders = list(Order.objects.filter(number__isnull=False).select_related("buyer")[:100])
    if len(orders) < 100:
        seller = SellerFactory()
        orders += [make_order(buyer=UserFactory(), seller=seller) for _ in range(100 - len(orders))]
    Notification.objects.bulk_create([
        Notification(recipient=orders[i % 100].buyer, kind=Notification.Kind.ORDER_MESSAGE, order=orders[i % 100],
                     created_at=outage_started, email_next_attempt_at=outage_started)
        for i in range(count)
    ], batch_size=2000)


def start_workers(log_dir: Path):
    celery = str(Path(sys.executable).with_name("celery"))
    commands = {
        "sweep": [celery, "-A", "rakuten_portal", "worker", "-Q", "sweep", "--pool=solo", "-n", "bench-sweep@%h"],
        "emails": [celery, "-A", "rakuten_portal", "worker", "-Q", "emails,celery", "--concurrency", "2",
                   "-n", "bench-emails@%h"],
    }
    processes = {}
    for name, command in commands.items():
        log = open(log_dir / f"{name}.log", "w")  # noqa: SIM115 — closed with the process
        processes[name] = subprocess.Popen(command + ["--loglevel", "WARNING"], cwd=ROOT, stdout=log,
                                           stderr=subprocess.STDOUT)
    return processes


def wait_for_workers(app, names, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []
        seen = {host.split("@")[0] for reply in replies for host in reply}
        if set(names) <= seen:
            return
    raise SystemExit(f"workers did not answer within {timeout} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--write", type=Path, help="write the figures as Markdown to this file")
    args = parser.parse_args()

    import django

    django.setup()
    ensure_database()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from claims.models import Notification
    from rakuten_portal import queue
    from rakuten_portal.celery import app

    call_command("migrate", verbosity=0)
    populate(args.count, outage_started=timezone.now() - timedelta(minutes=10))
    app.control.purge()
    log_dir = Path(os.environ["PORTAL_VAR_DIR"]) / "log"
    log_dir.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    with SMTP:
        processes = start_workers(log_dir)
        try:
            wait_for_workers(app, ["bench-sweep", "bench-emails"])
            pending = Notification.objects.filter(email_status=Notification.EmailStatus.PENDING)
            started = time.perf_counter()
            assert queue.publish("claims.sweep"), "the broker did not take the sweep"
            progress, left = [], args.count
            while left and time.perf_counter() - started < 900:
                time.sleep(0.5)
                left = pending.count()
                progress.append((time.perf_counter() - started, args.count - left))
            elapsed = time.perf_counter() - started
            time.sleep(1)  # the last SMTP sessions close
        finally:
            for process in processes.values():
                process.terminate()
            for process in processes.values():
                process.wait(timeout=60)
            app.control.purge()
    load_after = os.getloadavg()[0]

    duplicates = sum(n - 1 for n in collections.Counter(SMTP.message_ids).values() if n > 1)
    sent = Notification.objects.filter(email_status=Notification.EmailStatus.SENT).count()
    half = next((at for at, done in progress if done >= args.count // 2), elapsed)
    figures = [
        ("pending e-mails when the broker returns", f"{args.count:,}", "10,000"),
        ("time from the sweep to the last one sent", f"**{elapsed:.1f} s** ({args.count / elapsed:,.0f} e-mails/s)",
         "< 300 s"),
        ("time to half of them", f"{half:.1f} s", "—"),
        ("rows marked sent", f"{sent:,}", f"{args.count:,}"),
        ("messages received by the SMTP server", f"{SMTP.count:,} on {SMTP.connections:,} SMTP sessions", f"{args.count:,}"),
        ("the same Message-ID received twice", f"{duplicates}", "0"),
        ("load average (1 min) before → after", f"{load_before:.1f} → {load_after:.1f}", "—"),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    lines = [
        "# E-mail drain benchmark",
        "",
        "Measured by `bench/email_drain.py` (run it again with `--write docs/email-drain-benchmark.md`).",
        f"Machine: {os.cpu_count()} cores (shared), Python {platform.python_version()}, PostgreSQL {pg_version},",
        "Redis broker, the README's workers (`-Q sweep` solo; `-Q emails,celery` prefork, concurrency 2), Django's",
        "SMTP backend to a local SMTP server in the benchmark's process (`tests/smtp_server.py`).",
        "",
        "| measure | figure | target |",
        "| --- | --- | --- |",
        *[f"| {name} | {figure} | {target} |" for name, figure, target in figures],
        "",
        "How: the sweep reserves the pending rows 500 at a time (`SELECT … FOR UPDATE SKIP LOCKED`, then their next",
        "attempt moved to the reservation's end) and publishes one `claims.send_notification_emails` task per",
        "reservation on the `emails` queue; the e-mail workers take the tasks in parallel, each leases its rows 50 at",
        "a time and sends a chunk over one SMTP session. A reserved or leased row is invisible to every other sender,",
        "so no e-mail goes out twice (checked above by Message-ID). Beat fires the sweep within",
        "`SWEEP_INTERVAL_SECONDS` (60 s) of the broker's return: add that to the figure for the worst case.",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.write:
        args.write.write_text(report)
    if left or duplicates or SMTP.count != args.count:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
