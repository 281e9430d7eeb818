"""Fault drill: the broker is down (a closed port, or a port that accepts and never answers).

Through the test client, a claim submit and a buyer's acceptance (two notices) each answer within 2 s,
publish once at most, leave every notice pending; when a broker is back, the sweep hands them to a real
worker and each is e-mailed exactly once.
"""
import os
import socket
import threading
import time
from datetime import timedelta
from unittest import mock

import kombu.transport.redis
import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import setup_logging, task_postrun
from django.core import mail
from django.db import OperationalError, connections
from django.urls import reverse
from django.utils import timezone

from claims import deadlines, domain, notifications
from claims.models import Claim, Notification, Proposal
from rakuten_portal import queue
from rakuten_portal.celery import app
from tests.claims.test_wizard import Wizard, jpeg
from tests.factories import SellerFactory, UserFactory, make_order, make_shipped_order

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BOUND_SECONDS = 2.0


class SilentServer:
    """A TCP server that accepts every connection and never sends a byte (a frozen Redis)."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.port = self.socket.getsockname()[1]
        self.held = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                self.held.append(self.socket.accept()[0])
            except OSError:
                return

    def close(self):
        self.socket.close()
        for held in self.held:
            held.close()


def closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there any more: connections are refused
    return port


class DeadBroker:
    """The Celery app pointed at a Redis that is not there, until `come_back()` restores the configured broker."""

    def __init__(self, kind: str):
        assert not app.conf.task_always_eager, "an earlier test left Celery eager: nothing would reach a broker"
        self.kind = kind
        self.server = SilentServer() if kind == "accepts and never answers" else None
        self.configured = app.conf.broker_url, os.environ.get("CELERY_BROKER_URL")
        dead = f"redis://127.0.0.1:{self.server.port if self.server else closed_port()}/0"
        # Celery reads CELERY_BROKER_URL from the environment before its own configuration: set both.
        app.conf.broker_url = os.environ["CELERY_BROKER_URL"] = dead
        assert app.conf.broker_url == dead

    def come_back(self):
        configured, environment = self.configured
        if environment is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = environment
        app.conf.broker_url = configured
        assert app.conf.broker_url == configured
        queue.reset()

    def close(self):
        self.come_back()
        if self.server:
            self.server.close()


@pytest.fixture(params=["closed port", "accepts and never answers"])
def dead_broker(request):
    broker = DeadBroker(request.param)
    yield broker
    broker.close()


def _keep_pytest_logging(**kwargs):
    """A receiver here stops Celery from taking over the root logger."""


def _close_worker_connections(**kwargs):
    connections.close_all()


def timed(call):
    started = time.perf_counter()
    response = call()
    return response, time.perf_counter() - started


def test_requests_answer_fast_with_the_broker_down_and_every_notice_is_sent_once_when_it_is_back(client, dead_broker):
    buyer, seller = UserFactory(username="buyer"), SellerFactory(user=UserFactory(username="seller"))
    order = make_shipped_order(buyer=buyer, seller=seller, days_ago=3)
    client.force_login(buyer)
    publish = mock.patch.object(queue, "_send", wraps=queue._send)

    # 1. The claim submit: one notice (the seller's).
    wizard = Wizard(client, order)
    wizard.start()
    wizard.post("reason", {"reason": Claim.Reason.DAMAGED})
    wizard.post("items", {"items": [line.pk for line in order.lines.all()]})
    wizard.post("details", {"description": "Écran fissuré"})
    wizard.post("photos", photos=[jpeg()])
    kombu.transport.redis.Transport  # noqa: B018 — imported once per process in production too, not timed here
    with publish as sent:
        response, submit_seconds = timed(lambda: wizard.post("review"))
    claim = Claim.objects.get(order=order)
    assert response.status_code == 302 and response["Location"] == reverse("claims:detail", args=[claim.pk])
    assert sent.call_count == 1
    assert submit_seconds < BOUND_SECONDS, f"claim submit took {submit_seconds:.2f} s with the broker down"

    # 2. The seller proposes (another notice), then the buyer accepts: two notices, one message at most.
    proposal = domain.claim_propose(claim_id=claim.pk, seller_user=seller.user, kind=Proposal.Kind.FULL_REFUND,
                                    now=timezone.now())
    queue.reset()  # a later request, once the pause after the first failure is over: it tries the broker again
    with publish as sent:
        response, accept_seconds = timed(lambda: client.post(reverse("claims:accept", args=[claim.pk, proposal.pk])))
    assert response.status_code == 302
    assert sent.call_count == 1
    assert accept_seconds < BOUND_SECONDS, f"acceptance took {accept_seconds:.2f} s with the broker down"
    print(f"\n[{dead_broker.kind}] claim submit {submit_seconds * 1000:.0f} ms, acceptance {accept_seconds * 1000:.0f} ms")

    notices = Notification.objects.filter(claim=claim)
    assert notices.count() == 4  # opened (seller), proposal (buyer), accepted (buyer and seller)
    assert set(notices.values_list("email_status", "email_attempts")) == {(Notification.EmailStatus.PENDING, 0)}
    assert mail.outbox == []

    # 3. A broker is back (the configured one): the sweep hands the notices to a real worker.
    dead_broker.come_back()
    app.loader.import_default_modules()
    setup_logging.connect(_keep_pytest_logging, weak=False)
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        app.control.purge()
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            result = deadlines.sweep(now=timezone.now() + deadlines.OUTBOX_GRACE)
            assert result.emails_queued == 4 and result.emails_sent == 0
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                try:
                    if not notices.filter(email_status=Notification.EmailStatus.PENDING).exists():
                        break
                except OperationalError:  # in-memory SQLite shared with the worker's thread: poll again
                    pass
                time.sleep(0.05)
    finally:
        task_postrun.disconnect(_close_worker_connections)
        setup_logging.disconnect(_keep_pytest_logging)

    assert set(notices.values_list("email_status", "email_attempts")) == {(Notification.EmailStatus.SENT, 1)}
    expected = sorted(notifications.OUTBOX.message_id(notice) for notice in notices)
    assert sorted(message.extra_headers["Message-ID"] for message in mail.outbox) == expected  # each exactly once

