"""Beat's own scheduler fires the sweep entry, a real worker on the configured broker runs it, a claim is taken over."""
import time
from datetime import timedelta

import pytest
from celery.beat import Scheduler
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError, close_old_connections
from django.utils import timezone

from claims import tasks  # noqa: F401  (registers the tasks on the app, as the worker does)
from claims.models import Claim, ClaimEvent, Notification
from rakuten_portal.celery import app
from tests.factories import make_claim, make_order

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, *, timeout=30.0, step=0.1):
    """Poll the database until the worker's effect shows, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        close_old_connections()
        try:
            if predicate():
                return True
        except OperationalError:  # in-memory SQLite shared with the worker's thread: a table is locked, poll again
            pass
        time.sleep(step)
    return False


def running_worker():
    """A real worker in a thread of this process. Started once the test's rows are written: on the embedded
    default (in-memory SQLite shared between threads) a write while the worker's thread reads (the e-mails of
    the notifications, the sweep) fails with "database table is locked"."""
    app.loader.import_default_modules()
    return start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10)


def test_the_beat_schedule_runs_the_sweep_every_minute_by_default(settings):
    scheduler = Scheduler(app=app, lazy=True)
    scheduler.setup_schedule()
    entry = scheduler.schedule["sweep"]
    assert entry.task == "claims.sweep" and entry.task in app.tasks
    assert entry.schedule.run_every == timedelta(seconds=settings.SWEEP_INTERVAL_SECONDS) == timedelta(minutes=1)
    # A sweep that waited longer than one interval in the queue is dropped: the next one does its work.
    assert entry.options["expires"] == settings.SWEEP_INTERVAL_SECONDS


def test_beat_fires_the_sweep_and_the_worker_takes_an_overdue_claim_over():
    now = timezone.now()
    overdue = make_claim(order=make_order(now=now - timedelta(days=10), days_ago=3), now=now - timedelta(days=10))
    current = make_claim(order=make_order(now=now, days_ago=3), now=now)
    assert overdue.seller_deadline < now < current.seller_deadline

    with running_worker():
        scheduler = Scheduler(app=app, lazy=True)
        scheduler.setup_schedule()
        entry = scheduler.schedule["sweep"]
        entry.last_run_at = now - timedelta(hours=1)  # beat's clock: the entry is due
        scheduler.tick()

        assert wait_for(lambda: Claim.objects.get(pk=overdue.pk).status == Claim.Status.WITH_SUPPORT), \
            "the worker did not take the overdue claim over"
    assert ClaimEvent.objects.filter(claim=overdue, kind=ClaimEvent.Kind.TAKEN_OVER).count() == 1
    assert Notification.objects.filter(claim=overdue, kind=Notification.Kind.TAKEN_OVER).count() == 2
    assert Claim.objects.get(pk=current.pk).status == Claim.Status.WITH_SELLER
