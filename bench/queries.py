"""SQL queries per page for bench/pages.py: a Django test client, logged in or anonymous, against the benchmark
database.

Prints one JSON line: for each page its URL, the user who loads it (None: anonymous), the queries of a warm
request and the best of ten requests inside the process (wall, CPU and SQL time) (no HTTP, no server: the page's own cost, little
disturbed by load). Pages marked "wrk": false are measured here only (the Espace vendeur at 200, 20,000 and
100,000 claims: the flatness check).
"""
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rakuten_portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from claims.admin import QUEUE_PARAMETER  # noqa: E402
from claims.models import Claim  # noqa: E402
from orders.models import Order  # noqa: E402

BACKEND = "rakuten_portal.auth_backend.CachedUserBackend"


class SqlTimer:
    """Wall time spent waiting on the database during a request."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def measure(client, url, runs):
    client.get(url)  # first request: session, content types, cached fragments are loaded once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    count = len(queries)  # now: every request empties the connection's query log
    best = best_cpu = best_sql = float("inf")
    for _ in range(runs):
        timer = SqlTimer()
        started, started_cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(timer):
            client.get(url)
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - started_cpu)
        best_sql = min(best_sql, timer.seconds)
    # app_ms: wall time, the figure of the issue; cpu_ms: this process's CPU only (Python's own work, what
    # load from other jobs disturbs least); sql_ms: time waiting on PostgreSQL. Each the best of `runs`.
    return {"queries": count, "app_ms": round(best * 1000, 2), "cpu_ms": round(best_cpu * 1000, 2),
            "sql_ms": round(best_sql * 1000, 2)}


def optional(name, *args):
    """Pages of other issues, measured once they exist in this checkout."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def main():
    setup_test_environment()
    User = get_user_model()
    alice = User.objects.get(username="alice")
    order = Order.objects.filter(buyer=alice, status=Order.Status.DELIVERED, tracking_events__kind="delivered").first()
    claim = Claim.objects.get(buyer=alice, description__startswith="Banc d'essai")
    article = "colis-non-recu"
    pages = {
        "bare": (reverse("bench_bare"), "alice"),
        "home": (reverse("home"), "alice"),
        "purchases": (reverse("orders:purchases"), "alice"),
        "order": (reverse("orders:detail", args=[order.number]), "alice"),
        "sales": (reverse("orders:sales"), "boutique-paris"),
        "claim (buyer)": (reverse("claims:detail", args=[claim.pk]), "alice"),
        "claim (seller)": (reverse("claims:detail", args=[claim.pk]), "boutique-paris"),
        "espace vendeur": (reverse("claims:dashboard"), "boutique-paris"),
        "notifications": (reverse("claims:notifications"), "boutique-paris"),
        "help index": (reverse("helpdesk:index"), None),
        "article": (reverse("helpdesk:article", args=[article]), None),
        "help search": (reverse("helpdesk:search") + "?q=colis", None),
        "contact page": (reverse("helpdesk:contact"), None),
        "contact form (anonymous)": (reverse("helpdesk:contact_form"), None),
        "contact form (alice)": (reverse("helpdesk:contact_form"), "alice"),
    }
    # Pages of the other issues: "Mes réclamations", the porte-monnaie, the agents' desk (the admin's index), their
    # queue and reports, the chat console.
    for name, url_name, user in [("mes réclamations", "claims:mine", "alice"), ("porte-monnaie", "orders:wallet", "alice"),
                                 ("desk", "admin:index", "agent"), ("queue", "admin:claims_claim_changelist", "agent"),
                                 ("reports", "admin:claims_reports", "agent"),
                                 ("chat console", "admin:helpdesk_conversation_console", "agent")]:
        url = optional(url_name)
        if url:
            pages[name] = (url + (f"?{QUEUE_PARAMETER}=unassigned" if name == "queue" else ""), user)  # the queue's link
    flat = {f"espace vendeur, {count:,} claims": (reverse("claims:dashboard"), f"scale-{count}")
            for count in (200, 20_000, 100_000) if User.objects.filter(username=f"scale-{count}").exists()}
    for name, (url, user) in list(flat.items()):
        flat[f"{name}, closed"] = (url + "?filtre=cloturees&page=3", user)
    clients = {None: Client(HTTP_HOST="127.0.0.1")}
    for username in {user for _, user in [*pages.values(), *flat.values()]} - {None}:
        clients[username] = Client(HTTP_HOST="127.0.0.1")
        clients[username].force_login(User.objects.get(username=username), backend=BACKEND)
    runs = int(os.environ.get("BENCH_RUNS", "10"))
    result = {name: {"url": url, "user": user, "wrk": True, **measure(clients[user], url, runs)}
              for name, (url, user) in pages.items()}
    result.update({name: {"url": url, "user": user, "wrk": False, **measure(clients[user], url, runs)}
                   for name, (url, user) in flat.items()})
    result["_login_url"] = reverse("login")
    result["_contact_url"] = reverse("helpdesk:contact_form")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
