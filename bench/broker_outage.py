"""Benchmark: what a broker outage adds to a request. A claim submit (one notice) and a buyer's acceptance
(two notices), through Django's test client, with the broker up, on a closed port, and on a port that accepts
and never answers; the median of several runs of each.

    .venv/bin/python bench/broker_outage.py [--runs 7]

The database is a throwaway SQLite test database; the broker "up" is CELERY_BROKER_URL (default
redis://127.0.0.1:6379/12, purged at the end). Target: no more than 200 ms above "up"; 2 s at most in all.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/12")
os.environ["DATABASE_URL"] = "sqlite://:memory:"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rakuten_portal.settings_test")
os.environ.setdefault("LOG_LEVEL", "ERROR")


def one_run(client, *, factories, wizard_cls, jpeg):
    """Submit a claim, then accept the seller's proposal: (submit seconds, acceptance seconds)."""
    from django.urls import reverse
    from django.utils import timezone

    from claims import domain
    from claims.models import Claim, Proposal
    from rakuten_portal import queue

    buyer, seller = factories.UserFactory(), factories.SellerFactory()
    order = factories.make_order(buyer=buyer, seller=seller, days_ago=3)
    client.force_login(buyer)
    wizard = wizard_cls(client, order)
    wizard.start()
    wizard.post("reason", {"reason": Claim.Reason.DAMAGED})
    wizard.post("items", {"items": [line.pk for line in order.lines.all()]})
    wizard.post("details", {"description": "Écran fissuré"})
    wizard.post("photos", photos=[jpeg()])
    started = time.perf_counter()
    assert wizard.post("review").status_code == 302
    submit = time.perf_counter() - started
    claim = Claim.objects.get(order=order)
    proposal = domain.claim_propose(claim_id=claim.pk, seller_user=seller.user, kind=Proposal.Kind.FULL_REFUND,
                                    now=timezone.now())
    queue.reset()  # as if the pause after the submit's failure were over: the acceptance tries the broker too
    started = time.perf_counter()
    assert client.post(reverse("claims:accept", args=[claim.pk, proposal.pk])).status_code == 302
    return submit, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.test.runner import DiscoverRunner

    from rakuten_portal import queue
    from rakuten_portal.celery import app
    from tests import factories
    from tests.claims.test_wizard import Wizard, jpeg
    from tests.test_broker_outage import DeadBroker

    setup_test_environment()
    DiscoverRunner(verbosity=0).setup_databases()
    client = Client()
    one_run(client, factories=factories, wizard_cls=Wizard, jpeg=jpeg)  # warm-up: imports, templates
    results = {}
    for kind in ("broker up", "closed port", "accepts and never answers"):
        broker = None if kind == "broker up" else DeadBroker(kind)
        runs = []
        try:
            for _ in range(args.runs):
                queue.reset()  # each request comes after the pause: it tries the broker again
                runs.append(one_run(client, factories=factories, wizard_cls=Wizard, jpeg=jpeg))
        finally:
            if broker:
                broker.close()
        results[kind] = [statistics.median(run[i] for run in runs) * 1000 for i in (0, 1)]
    app.control.purge()

    up = results["broker up"]
    print(f"Median of {args.runs} runs, ms (load average {os.getloadavg()[0]:.1f}); "
          f"broker up: {os.environ['CELERY_BROKER_URL']}")
    print(f"{'':28} {'claim submit':>14} {'acceptance (2 notices)':>24}")
    for kind, (submit, accept) in results.items():
        extra = "" if kind == "broker up" else f"   (+{submit - up[0]:.0f} / +{accept - up[1]:.0f})"
        print(f"{kind:28} {submit:>14.0f} {accept:>24.0f}{extra}")


if __name__ == "__main__":
    main()
