"""The shared outbox (rakuten_portal/outbox.py): one Message-ID per row at every attempt, leased chunks, fan-out."""
import smtplib
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from claims import notifications
from claims.models import Notification
from helpdesk import emails as helpdesk_emails
from helpdesk.models import OutgoingEmail
from helpdesk.services import contact_request_create
from rakuten_portal import outbox
from tests.factories import UserFactory
from tests.smtp_server import SmtpServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    """Django's SMTP backend on a local server that takes the next two messages, then hangs up before "250"."""
    with SmtpServer(hang_up_after_data=2) as server:
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                        "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5}}}
        yield server


def notice(roles, now, recipient=None):
    (row,) = notifications.notify(recipients=[recipient or roles["buyer"]], kind=Notification.Kind.MESSAGE, now=now,
                                  order=roles["order"])
    return row


def test_every_attempt_of_a_notification_carries_the_same_message_id(roles, smtp):
    """The server takes the message then hangs up, twice: three copies arrive, one Message-ID, so they read as one."""
    now = timezone.now()
    row = notice(roles, now)

    for attempt_at in (now, now + timedelta(minutes=1)):
        with pytest.raises(smtplib.SMTPServerDisconnected):
            notifications.send_email(notification_id=row.pk, now=attempt_at)
    assert notifications.send_email(notification_id=row.pk, now=now + timedelta(minutes=3)) is True

    row.refresh_from_db()
    assert (row.email_status, row.email_attempts) == (Notification.EmailStatus.SENT, 3)
    assert smtp.count == 3
    assert smtp.message_ids == [notifications.OUTBOX.message_id(row)] * 3
    assert smtp.message_ids[0].endswith("@portal.example>")


def test_a_help_desk_email_keeps_its_message_id_across_attempts(roles, smtp):
    now = timezone.now()
    contact = roles["buyer"]
    request = contact_request_create(topic="tracking", body="Où est mon colis ?", email=contact.email,
                                     language="fr", now=now, requester=contact)
    email = request.emails.get()
    with pytest.raises(smtplib.SMTPServerDisconnected):
        helpdesk_emails.email_send(email_id=email.pk, now=now)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        helpdesk_emails.email_send(email_id=email.pk, now=now + timedelta(minutes=1))
    assert helpdesk_emails.send_due_emails(now=now + timedelta(minutes=3)) == 1
    assert smtp.message_ids == [helpdesk_emails.OUTBOX.message_id(email)] * 3
    assert OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT


def test_message_ids_differ_between_rows_and_outboxes(roles):
    now = timezone.now()
    first, second = notice(roles, now), notice(roles, now, recipient=roles["seller"])
    ids = {notifications.OUTBOX.message_id(first), notifications.OUTBOX.message_id(second)}
    assert len(ids) == 2
    assert all(value.startswith("<claims.notification.") for value in ids)


def test_a_chunk_shares_one_mail_connection_and_a_failed_row_does_not_stop_the_others(roles, settings):
    with SmtpServer(hang_up_after_data=1) as server:
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                        "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5}}}
        now = timezone.now()
        rows = [notice(roles, now, recipient=UserFactory()) for _ in range(5)]
        assert notifications.send_emails(notification_ids=[row.pk for row in rows], now=now) == 4
    statuses = dict(Notification.objects.values_list("pk", "email_status"))
    assert sorted(statuses.values()) == ["pending"] + ["sent"] * 4
    assert server.count == 5
    assert server.connections == 2  # one for the chunk, one more after the server hung up


def test_a_lease_takes_due_rows_once(roles):
    now = timezone.now()
    rows = [notice(roles, now, recipient=UserFactory()) for _ in range(3)]
    first = notifications.OUTBOX.lease(now=now, limit=2)
    second = notifications.OUTBOX.lease(now=now, limit=2)
    assert len(first) == 2 and len(second) == 1
    assert sorted(first + second) == sorted(row.pk for row in rows)
    assert notifications.OUTBOX.lease(now=now, limit=2) == []
    # Once the lease has run out, a row no sender finished is due again.
    assert len(notifications.OUTBOX.lease(now=now + outbox.SEND_LEASE, limit=5)) == 3


def test_a_reservation_is_sent_by_its_task_and_by_no_later_sweep(roles):
    now = timezone.now()
    rows = [notice(roles, now, recipient=UserFactory()) for _ in range(3)]
    ids, until = notifications.OUTBOX.hand_out(now=now, due_before=now, limit=10)
    assert sorted(ids) == sorted(row.pk for row in rows)
    assert notifications.OUTBOX.hand_out(now=now, due_before=now, limit=10)[0] == []
    assert notifications.send_due_emails(now=now) == 0  # not due for anyone else
    assert notifications.send_emails(notification_ids=ids, now=now, handed_until=until) == 3
    assert notifications.send_emails(notification_ids=ids, now=now, handed_until=until) == 0  # a redelivered task
    assert len(mail.outbox) == 3


def test_a_redelivered_task_cannot_lease_what_its_first_delivery_holds(roles):
    now = timezone.now()
    rows = [notice(roles, now, recipient=UserFactory()) for _ in range(2)]
    ids, until = notifications.OUTBOX.hand_out(now=now, due_before=now, limit=10)
    # Even at the very instant of the reservation (a lease would then end exactly at its end), once only.
    assert sorted(notifications.OUTBOX.lease(now=until - outbox.SEND_LEASE, pks=ids, handed_until=until)) == sorted(
        row.pk for row in rows)
    assert notifications.OUTBOX.lease(now=until - outbox.SEND_LEASE, pks=ids, handed_until=until) == []


def test_a_reservation_whose_task_was_not_queued_is_given_back(roles):
    now = timezone.now()
    notice(roles, now)
    ids, until = notifications.OUTBOX.hand_out(now=now, due_before=now, limit=10)
    assert notifications.OUTBOX.give_back(pks=ids, handed_until=until, now=now) == 1
    assert notifications.send_due_emails(now=now) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_senders_draining_at_once_send_each_email_once(roles):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (skip_locked) need PostgreSQL: run with DATABASE_URL=postgres://…")
    now = timezone.now()
    users = [UserFactory() for _ in range(20)]
    for index in range(300):
        notice(roles, now, recipient=users[index % 20])
    barrier, results = threading.Barrier(2), []

    def sender():
        try:
            barrier.wait(timeout=30)
            results.append(notifications.send_due_emails(now=now, batch_size=1000))
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sum(results) == 300
    sent_ids = [message.extra_headers["Message-ID"] for message in mail.outbox]
    assert len(sent_ids) == len(set(sent_ids)) == 300
    assert not Notification.objects.filter(email_status=Notification.EmailStatus.PENDING).exists()
