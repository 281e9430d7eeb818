"""The agents' desk at scale: the admin's front page, the queue, a claim with its records, the reports.

    .venv/bin/python bench/desk_bench.py --orders 1000000          # recreate rk_desk, seed in bulk, measure
    .venv/bin/python bench/desk_bench.py --reuse                    # measure the seeded database again
    .venv/bin/python bench/desk_bench.py --orders 20000 --domain-seed   # seed through seed_demo --orders N instead

Recreates the PostgreSQL database `rk_desk`, migrates, runs `seed_demo` (the demo accounts and the agents'
work, through the domain), then adds N orders and about N × claim-share claims in set-based SQL
(bench/desk_bulk.sql: INSERT … SELECT over generate_series, a few minutes for a million): spread over
`--sellers` sellers (boutique-paris and marc take 5 % and 2 %), `--buyers` buyers and `--history-days` of
history, in every state, with the durations the reports read stored as the domain stores them (checked
on a sample against claims/business_days.py), satisfaction answers and help-desk requests. Then VACUUM
ANALYZE, as autovacuum would, and, in one process with Django's test client logged in as `agent`, for
each page: the SQL queries of a warm request and the best of five in-process times (the page's own cost,
no HTTP). Figures go to docs/desk-benchmark.md by hand, with `uptime`.
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
BULK_SQL = Path(__file__).with_name("desk_bulk.sql")


def env():
    values = dict(os.environ)
    values.update(DJANGO_SETTINGS_MODULE="rakuten_portal.settings", DJANGO_DEBUG="1", LOG_LEVEL="WARNING",
                  DATABASE_URL=f"{PG}/{DB_NAME}", CACHE_URL=REDIS, CELERY_BROKER_URL=REDIS, CHANNEL_LAYER_URL=REDIS,
                  EMAIL_URL="consolemail://", PORTAL_VAR_DIR=str(ROOT / "bench" / "out" / "desk-var"))
    return values


def manage(*args) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env(), check=True)


def bulk_statements(params: dict) -> list[str]:
    """desk_bulk.sql's statements with the (numeric) parameters filled in."""
    assert all(isinstance(value, (int, float)) for value in params.values())
    text = "\n".join(line for line in BULK_SQL.read_text().splitlines() if not line.lstrip().startswith("--"))
    return [statement.strip() for statement in (text % params).split(";\n") if statement.strip()]


def bulk_seed(*, orders: int, claim_share: float, sellers: int, buyers: int, history_days: int) -> None:
    import psycopg

    os.environ.update(env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    params = dict(orders=orders, claim_share=claim_share, sellers=sellers, buyers=buyers, history_days=history_days,
                  seller_days=settings.CLAIM_SELLER_BUSINESS_DAYS, closes_weeks=settings.SALE_CLOSES_AFTER_WEEKS,
                  request_every=20)
    started = time.monotonic()
    with psycopg.connect(f"{PG}/{DB_NAME}", autocommit=True) as connection:
        connection.execute("SET maintenance_work_mem = '256MB'")
        connection.execute("SET work_mem = '64MB'")
        for statement in bulk_statements(params):
            step = time.monotonic()
            cursor = connection.execute(statement)
            head = " ".join(statement.split())[:70]
            print(f"  {time.monotonic() - step:6.1f} s  {cursor.rowcount:>9} rows  {head}", flush=True)
    print(f"bulk rows: {time.monotonic() - started:.0f} s", flush=True)


def prepare(args) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DB_NAME}")
    manage("migrate", "--noinput", "--verbosity", "0")
    started = time.monotonic()
    if args.domain_seed:
        manage("seed_demo", "--orders", str(args.orders), "--claim-share", str(args.claim_share))
        print(f"seed_demo --orders {args.orders} --claim-share {args.claim_share}: {time.monotonic() - started:.0f} s")
    else:
        manage("seed_demo")
        print(f"seed_demo (the demo itself): {time.monotonic() - started:.0f} s", flush=True)
        subprocess.run([sys.executable, __file__, "--bulk-only", "--orders", str(args.orders), "--claim-share",
                        str(args.claim_share), "--sellers", str(args.sellers), "--buyers", str(args.buyers),
                        "--history-days", str(args.history_days)], cwd=ROOT, check=True)
    started = time.monotonic()
    with psycopg.connect(f"{PG}/{DB_NAME}", autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE: {time.monotonic() - started:.0f} s", flush=True)


def check_durations(sample: int = 2000) -> int:
    """Compare the stored durations of a sample of ended claims with claims/business_days.py; the rows checked."""
    from claims.business_days import business_days_between
    from claims.models import Claim

    rows = (Claim.objects.filter(closed_at__isnull=False).order_by("?")
            .values_list("pk", "status", "opened_at", "taken_over_at", "closed_at", "end_business_days",
                         "decision_business_days")[:sample])
    for pk, status, opened, taken, closed, end_days, decision_days in rows:
        assert end_days == business_days_between(opened, closed), (pk, end_days)
        if status == Claim.Status.DECIDED and taken:
            assert decision_days == business_days_between(taken, closed), (pk, decision_days)
    return len(rows)


def measure() -> dict:
    os.environ.update(env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from claims.models import Claim, ReportWeek
    from orders.models import Order, SellerProfile

    setup_test_environment()
    # Django empties the query log when a request starts: with it, a capture around a request counted 0.
    request_started.disconnect(reset_queries)
    agent = get_user_model().objects.get(username="agent")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(agent, backend="rakuten_portal.auth_backend.CachedUserBackend")
    seller_client = Client(HTTP_HOST="127.0.0.1")
    seller_client.force_login(get_user_model().objects.get(username="boutique-paris"),
                              backend="rakuten_portal.auth_backend.CachedUserBackend")
    claim = Claim.objects.filter(seller__user__username="boutique-paris", status="with_support").first()
    # A bulk seller's claim taken over (the oldest in the queue: what an agent opens first).
    bulk_claim = (Claim.objects.filter(seller__user__username__startswith="vendeur-", status="with_support")
                  .order_by("taken_over_at").first()) or claim  # (--domain-seed has no bulk sellers)
    boutique = SellerProfile.objects.get(user__username="boutique-paris")
    changelist = reverse("admin:claims_claim_changelist")
    pages = {
        "desk (admin index)": (client, reverse("admin:index")),
        "queue (unassigned)": (client, changelist + "?file=unassigned"),
        "queue (mine)": (client, changelist + "?file=mine"),
        "all claims list, first page": (client, changelist),
        "claim page with records (boutique-paris)": (client, reverse("admin:claims_claim_change", args=[claim.pk])),
        "claim page with records (bulk seller)": (client, reverse("admin:claims_claim_change", args=[bulk_claim.pk])),
        "seller's admin page (record)": (client, reverse("admin:orders_sellerprofile_change", args=[boutique.pk])),
        "reports, 4 weeks": (client, reverse("admin:claims_reports") + "?semaines=4"),
        "reports, 12 weeks": (client, reverse("admin:claims_reports") + "?semaines=12"),
        "reports, 52 weeks": (client, reverse("admin:claims_reports") + "?semaines=52"),
        "one chart (SVG), 52 weeks": (client, reverse("admin:claims_report_chart", args=["opened"]) + "?semaines=52"),
        "seller space (Vos indicateurs)": (seller_client, reverse("claims:dashboard")),
    }
    result = {"claims": Claim.objects.count(), "orders": Order.objects.count(), "durations_checked": check_durations()}
    print(json.dumps(result), flush=True)
    # The first report after the weeks froze computes their roll-ups (once): timed alone, before the warm runs.
    ReportWeek.objects.all().delete()
    started = time.perf_counter()
    response = client.get(reverse("admin:claims_reports") + "?semaines=52")
    assert response.status_code == 200
    result["reports, 52 weeks, first visit (rolls the past weeks up)"] = {"ms": round((time.perf_counter() - started) * 1000, 1),
                                                                        "weeks_rolled_up": ReportWeek.objects.count()}
    print(f"{'reports, 52 weeks, first visit':34}     {result['reports, 52 weeks, first visit (rolls the past weeks up)']}",
          flush=True)
    for name, (who, url) in pages.items():
        who.get(url)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = who.get(url)
        assert len(queries) > 0, url
        assert response.status_code == 200, (url, response.status_code)
        best = float("inf")
        for _ in range(5):
            started = time.perf_counter()
            who.get(url)
            best = min(best, time.perf_counter() - started)
        result[name] = {"queries": len(queries), "ms": round(best * 1000, 1)}
        print(f"{name:42} {len(queries):3} queries {best * 1000:9.1f} ms", flush=True)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--claim-share", type=float, default=1.0, help="Share of the orders with a claim.")
    parser.add_argument("--sellers", type=int, default=300)
    parser.add_argument("--buyers", type=int, default=20_000)
    parser.add_argument("--history-days", type=int, default=420)
    parser.add_argument("--domain-seed", action="store_true", help="Seed through seed_demo --orders N (slow).")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--bulk-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bulk_only:
        bulk_seed(orders=args.orders, claim_share=args.claim_share, sellers=args.sellers, buyers=args.buyers,
                  history_days=args.history_days)
        return
    if not args.reuse:
        prepare(args)
    print(json.dumps(measure()))


if __name__ == "__main__":
    main()
