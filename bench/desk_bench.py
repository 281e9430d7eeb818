"""The agents' desk at scale: the admin's front page, the queue, a claim with its records, the reports.

    .venv/bin/python bench/desk_bench.py --orders 1000000          # recreate rk_desk, seed, measure
    .venv/bin/python bench/desk_bench.py --reuse                    # measure the seeded database again

Seeds PostgreSQL (`seed_demo --orders N --claim-share 1`: about one claim per bulk order, so N orders give
close to N claims), runs VACUUM ANALYZE as autovacuum would, then, in one process with Django's test
client logged in as `agent`, prints for each page the SQL queries of a warm request and the best of
five in-process times (the page's own cost, no HTTP). Figures go to docs/desk-benchmark.md by hand.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
DB_NAME = os.environ.get("BENCH_DB", "rk_desk")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/7")


def env():
    values = dict(os.environ)
    values.update(DJANGO_SETTINGS_MODULE="rakuten_portal.settings", DJANGO_DEBUG="1", LOG_LEVEL="WARNING",
                  DATABASE_URL=f"{PG}/{DB_NAME}", CACHE_URL=REDIS, CELERY_BROKER_URL=REDIS, EMAIL_URL="consolemail://",
                  PORTAL_VAR_DIR=str(ROOT / "bench" / "out" / "desk-var"))
    return values


def prepare(orders: int) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DB_NAME}")
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env(),
                   check=True)
    started = time.monotonic()
    subprocess.run([sys.executable, "manage.py", "seed_demo", "--orders", str(orders), "--claim-share", "1"],
                   cwd=ROOT, env=env(), check=True)
    print(f"seed_demo --orders {orders} --claim-share 1: {time.monotonic() - started:.0f} s")
    with psycopg.connect(f"{PG}/{DB_NAME}", autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def measure() -> dict:
    os.environ.update(env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from claims.models import Claim
    from orders.models import Order

    setup_test_environment()
    agent = get_user_model().objects.get(username="agent")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(agent, backend="django.contrib.auth.backends.ModelBackend")
    seller_client = Client(HTTP_HOST="127.0.0.1")
    seller_client.force_login(get_user_model().objects.get(username="boutique-paris"),
                              backend="django.contrib.auth.backends.ModelBackend")
    claim = Claim.objects.filter(seller__user__username="boutique-paris", status="with_support").first()
    changelist = reverse("admin:claims_claim_changelist")
    pages = {
        "desk (admin index)": (client, reverse("admin:index")),
        "queue (unassigned)": (client, changelist + "?file=unassigned"),
        "claim page with records": (client, reverse("admin:claims_claim_change", args=[claim.pk])),
        "reports, 4 weeks": (client, reverse("admin:claims_reports") + "?semaines=4"),
        "reports, 12 weeks": (client, reverse("admin:claims_reports") + "?semaines=12"),
        "reports, 52 weeks": (client, reverse("admin:claims_reports") + "?semaines=52"),
        "one chart (SVG), 52 weeks": (client, reverse("admin:claims_report_chart", args=["opened"]) + "?semaines=52"),
        "seller space (Vos indicateurs)": (seller_client, reverse("claims:dashboard")),
    }
    result = {"claims": Claim.objects.count(), "orders": Order.objects.count()}
    for name, (who, url) in pages.items():
        who.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = who.get(url)
        assert response.status_code == 200, (url, response.status_code)
        best = float("inf")
        for _ in range(5):
            started = time.perf_counter()
            who.get(url)
            best = min(best, time.perf_counter() - started)
        result[name] = {"queries": len(queries), "ms": round(best * 1000, 1)}
        print(f"{name:34} {len(queries):3} queries {best * 1000:9.1f} ms", flush=True)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    if not args.reuse:
        prepare(args.orders)
    print(json.dumps(measure()))


if __name__ == "__main__":
    main()
