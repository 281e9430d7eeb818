"""SQL queries per page for bench/pages.py: a Django test client, logged in, against the benchmark database.

Prints one JSON line: for each page its URL, the user who loads it, the queries of a warm request and the
best time of ten requests inside the process (no HTTP, no server: the page's own cost, little disturbed by load).
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
from django.urls import reverse  # noqa: E402

from orders.models import Order  # noqa: E402

BACKEND = "django.contrib.auth.backends.ModelBackend"


def measure(client, url):
    client.get(url)  # first request: session, content types and the like are loaded once per process
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    count = len(queries)  # now: every request empties the connection's query log
    best = float("inf")
    for _ in range(10):
        started = time.perf_counter()
        client.get(url)
        best = min(best, time.perf_counter() - started)
    return {"queries": count, "app_ms": round(best * 1000, 2)}


def main():
    setup_test_environment()
    User = get_user_model()
    alice = User.objects.get(username="alice")
    order = Order.objects.filter(buyer=alice, status=Order.Status.DELIVERED, tracking_events__kind="delivered").first()
    pages = {
        "bare": (reverse("bench_bare"), "alice"),
        "home": (reverse("home"), "alice"),
        "purchases": (reverse("orders:purchases"), "alice"),
        "order": (reverse("orders:detail", args=[order.number]), "alice"),
        "sales": (reverse("orders:sales"), "boutique-paris"),
    }
    clients = {}
    for username in {user for _, user in pages.values()}:
        clients[username] = Client(HTTP_HOST="127.0.0.1")
        clients[username].force_login(User.objects.get(username=username), backend=BACKEND)
    result = {name: {"url": url, "user": user, **measure(clients[user], url)} for name, (url, user) in pages.items()}
    result["_login_url"] = reverse("login")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
