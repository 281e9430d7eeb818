"""Time-driven work has its own queue, e-mails theirs: a backlog of e-mails never delays a takeover."""
import pytest
from django.conf import settings

from rakuten_portal import queue
from rakuten_portal.celery import app

ROUTES = {
    "claims.sweep": "sweep",
    "claims.send_notification_email": "emails",
    "claims.send_notification_emails": "emails",
    "helpdesk.send_email": "emails",
    "helpdesk.send_emails": "emails",
    "helpdesk.send_due_emails": "emails",
    "orders.execute_refund": "celery",
}


def our_tasks():
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def routed_queue(name: str) -> str:
    return app.amqp.router.route({}, name, (), {}, app.tasks.get(name))["queue"].name


@pytest.mark.django_db  # our_tasks() imports the tasks: Celery's Django fixup runs the system checks, which may read the database
def test_every_task_is_routed_to_its_queue():
    assert our_tasks() == set(ROUTES)
    assert {name: routed_queue(name) for name in ROUTES} == ROUTES


@pytest.mark.django_db  # our_tasks() imports the tasks: Celery's Django fixup runs the system checks, which may read the database
def test_beat_sends_the_sweep_to_the_sweep_queue_and_nothing_else_goes_there():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert routed_queue("claims.sweep") == "sweep"
    assert {name for name in our_tasks() | scheduled if routed_queue(name) == "sweep"} == {"claims.sweep"}


def test_an_unknown_task_goes_to_the_default_queue_not_to_the_sweeps():
    assert routed_queue("some.future_task") == "celery"


def test_the_three_queues_are_declared_for_the_workers():
    assert set(app.amqp.queues) == {"sweep", "emails", "celery"}


@pytest.mark.worker
def test_a_published_sweep_and_a_published_email_land_on_different_queues():
    """Through the configured broker (in memory, or Redis on CI): each message is on its own queue."""
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        for name in ("sweep", "emails"):
            app.amqp.queues[name](channel).declare()
            channel.queue_purge(name)
        try:
            assert queue.publish("claims.sweep")
            assert queue.publish("claims.send_notification_emails", [1, 2])
            counts = {name: channel.queue_declare(name, passive=True).message_count for name in ("sweep", "emails")}
            assert counts == {"sweep": 1, "emails": 1}
        finally:
            for name in ("sweep", "emails"):
                channel.queue_purge(name)
