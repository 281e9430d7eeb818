"""A real Celery worker, on the configured broker (Redis on CI, in-memory elsewhere), runs our tasks.

Not eager mode: messages go through the broker and a worker thread does the work against committed rows.
"""
import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import setup_logging, task_postrun
from django.conf import settings
from django.core import mail
from django.db import OperationalError, connections
from django.utils import timezone

from claims.models import Claim, Notification
from claims.tasks import sweep
from rakuten_portal.celery import app
from tests.factories import make_claim

WAIT_SECONDS = 15


def wait_until(predicate, *, timeout=WAIT_SECONDS):
    """Poll the database until the worker's effect shows, or fail after the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OperationalError:  # in-memory SQLite shared with the worker's thread: a table is locked, poll again
            pass
        time.sleep(0.05)
    return predicate()


def _keep_pytest_logging(**kwargs):
    """A receiver here stops Celery from taking over the root logger for the rest of the session."""


def _close_worker_connections(**kwargs):
    # The worker thread's connection must not outlive the test: PostgreSQL refuses to drop a test database in use.
    connections.close_all()


@pytest.fixture
def celery_worker(transactional_db):
    app.loader.import_default_modules()
    setup_logging.connect(_keep_pytest_logging, weak=False)
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        # Messages left by earlier tests (e.g. on a shared Redis database) are not this test's business.
        app.control.purge()
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20) as worker:
            yield worker
    finally:
        task_postrun.disconnect(_close_worker_connections)
        setup_logging.disconnect(_keep_pytest_logging)


@pytest.mark.worker
def test_worker_emails_the_seller_when_a_claim_is_opened(celery_worker):
    claim = make_claim()  # commits, then publishes the seller's e-mail task to the broker

    notification = Notification.objects.get(claim=claim, recipient=claim.seller.user)
    assert wait_until(lambda: Notification.objects.filter(
        pk=notification.pk, email_status=Notification.EmailStatus.SENT).exists()), (
        f"the worker did not send the e-mail within {WAIT_SECONDS} s (broker {settings.CELERY_BROKER_URL})")
    assert [message.to for message in mail.outbox] == [[claim.seller.user.email]]


@pytest.mark.worker
def test_worker_sweep_hands_an_overdue_claim_to_support(celery_worker):
    claim = make_claim(now=timezone.now() - timedelta(days=30))

    sweep.delay()

    assert wait_until(lambda: Claim.objects.filter(pk=claim.pk, status=Claim.Status.WITH_SUPPORT).exists()), (
        f"the worker's sweep did not take the claim over within {WAIT_SECONDS} s")


@pytest.mark.django_db  # importing the tasks runs Celery's Django fixup: the system checks, which may read the database's features
def test_every_beat_schedule_entry_names_a_registered_task():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "claims.sweep" in scheduled
    assert scheduled - set(app.tasks) == set(), "beat would send tasks no worker knows"


@pytest.mark.django_db  # importing the tasks runs Celery's Django fixup: the system checks, which may read the database's features
def test_task_names_are_pinned_not_derived_from_module_paths():
    # Moving a function must not rename its task: queued messages and the beat schedule carry these names.
    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}

    assert {"claims.sweep", "claims.send_notification_email"} <= set(ours)
    derived = [name for name, task in ours.items() if name == f"{task.__module__}.{task.run.__name__}"]
    assert derived == []
