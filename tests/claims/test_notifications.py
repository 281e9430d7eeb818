"""The notification outbox: rows in the claim's transaction, e-mails after commit, retried until sent, sent once."""
import smtplib
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from claims import deadlines, notifications
from claims.business_days import PARIS
from claims.domain import claim_open
from claims.models import Claim, Notification
from orders.models import AccountPreferences
from rakuten_portal import outbox
from rakuten_portal.celery import app as celery_app
from tests.factories import make_shipped_order


@pytest.fixture
def eager_celery(settings):
    """Tasks run in the process, for this test only (the Celery app reads its settings once, so set both)."""
    # Read first: the app's first read of its configuration would otherwise take the eager setting for good.
    before = celery_app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def order(roles):
    return make_shipped_order(buyer=roles["buyer"], seller=roles["seller_profile"], days_ago=3)


def open_on(order, now=None):
    return claim_open(order=order, buyer=order.buyer, reason=Claim.Reason.DAMAGED, description="Écran fissuré",
                      now=now or timezone.now())


def pending_row():
    return Notification.objects.get()


def test_rows_are_written_in_the_claims_transaction(order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        claim = open_on(order)
    row = pending_row()
    assert (row.recipient, row.claim, row.kind) == (order.seller.user, claim, Notification.Kind.CLAIM_OPENED)
    assert row.email_status == Notification.EmailStatus.PENDING
    assert len(callbacks) == 2  # the e-mail is queued, and the recipient's cached navbar forgotten, after commit
    assert mail.outbox == []


def test_rolled_back_claim_leaves_no_row_and_sends_nothing(order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            open_on(order)
            raise RuntimeError("the request failed after the claim was written")
    assert not Claim.objects.exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_email_is_sent_after_commit(order, eager_celery, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        open_on(order)
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [order.seller.user.email]
    assert message.subject == "Nouvelle réclamation"
    assert order.number in message.body
    row = pending_row()
    assert row.email_status == Notification.EmailStatus.SENT
    assert row.email_attempts == 1 and row.email_sent_at is not None


def test_email_is_rendered_in_the_recipients_language(order):
    AccountPreferences.objects.create(user=order.seller.user, language="en")
    open_on(order)
    seen = []
    real_render = notifications.render_to_string

    def spy(*args, **kwargs):
        seen.append(translation.get_language())
        return real_render(*args, **kwargs)

    with mock.patch.object(notifications, "render_to_string", side_effect=spy):
        assert notifications.send_email(notification_id=pending_row().pk, now=timezone.now())
    assert seen == ["en"]
    assert translation.get_language() == "fr"
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Claim: " in body
    assert "Seller's deadline to reply:" in body and "See the details:" in body
    assert "Réclamation :" not in body and "Voir le détail" not in body


def test_email_defaults_to_french_without_preferences(order):
    open_on(order)
    seen = []
    real_render = notifications.render_to_string
    with mock.patch.object(notifications, "render_to_string",
                           side_effect=lambda *a, **k: seen.append(translation.get_language()) or real_render(*a, **k)):
        notifications.send_email(notification_id=pending_row().pk, now=timezone.now())
    assert seen == ["fr"]
    # The seller is greeted by the shop's name, never by a user name.
    assert f"Bonjour {order.seller.display_name}," in mail.outbox[0].body


def test_failed_send_keeps_the_row_pending_and_the_sweep_sends_it_later(order):
    now = timezone.now()
    open_on(order, now=now)
    row = pending_row()
    with mock.patch.object(outbox, "send_mail", side_effect=smtplib.SMTPServerDisconnected("down")):
        with pytest.raises(smtplib.SMTPServerDisconnected):
            notifications.send_email(notification_id=row.pk, now=now)
    row.refresh_from_db()
    assert row.email_status == Notification.EmailStatus.PENDING
    assert row.email_attempts == 1
    assert row.email_next_attempt_at == now + timedelta(minutes=1)
    assert mail.outbox == []
    # Not due yet: the sweep leaves it; once due, the sweep sends it.
    assert notifications.send_due_emails(now=now + timedelta(seconds=30)) == 0
    assert notifications.send_due_emails(now=now + timedelta(minutes=1)) == 1
    row.refresh_from_db()
    assert row.email_status == Notification.EmailStatus.SENT
    assert row.email_attempts == 2
    assert len(mail.outbox) == 1


def test_sweep_survives_a_failing_send_and_backs_off(order):
    now = timezone.now()
    open_on(order, now=now)
    row = pending_row()
    with mock.patch.object(outbox, "send_mail", side_effect=smtplib.SMTPException("nope")):
        assert notifications.send_due_emails(now=now) == 0
        assert notifications.send_due_emails(now=now + timedelta(minutes=1)) == 0
    row.refresh_from_db()
    assert row.email_attempts == 2
    assert row.email_next_attempt_at == now + timedelta(minutes=1) + timedelta(minutes=2)


def test_send_gives_up_after_the_last_attempt(order):
    now = timezone.now()
    open_on(order, now=now)
    Notification.objects.update(email_attempts=outbox.MAX_ATTEMPTS - 1)
    with mock.patch.object(outbox, "send_mail", side_effect=smtplib.SMTPException("nope")):
        notifications.send_due_emails(now=now)
    assert pending_row().email_status == Notification.EmailStatus.FAILED


def test_broker_down_still_saves_the_claim_and_the_sweep_sends_the_email(order, django_capture_on_commit_callbacks):
    now = timezone.now()
    with mock.patch("rakuten_portal.queue._send", side_effect=OperationalError("broker down")) as publish:
        with django_capture_on_commit_callbacks(execute=True):
            claim = open_on(order, now=now)
    assert publish.called
    assert Claim.objects.filter(pk=claim.pk).exists()
    row = pending_row()
    assert row.email_status == Notification.EmailStatus.PENDING
    assert mail.outbox == []
    assert notifications.send_due_emails(now=now) == 1
    assert len(mail.outbox) == 1


def test_one_commit_publishes_one_task_for_all_its_notifications(roles, django_capture_on_commit_callbacks):
    """Two acts in one transaction, three recipients: one message to the broker, not one per recipient."""
    now = timezone.now()
    with mock.patch("rakuten_portal.queue._send") as publish:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            first = notifications.notify(recipients=[roles["buyer"], roles["seller"]], kind=Notification.Kind.MESSAGE,
                                         now=now, order=roles["order"])
            second = notifications.notify(recipients=[roles["staff"]], kind=Notification.Kind.MESSAGE, now=now,
                                          order=roles["order"])
    publish.assert_called_once_with(notifications.SEND_TASK, [[row.pk for row in first + second]])


def test_a_rolled_back_savepoint_takes_its_ids_out_of_the_message(roles, django_capture_on_commit_callbacks):
    now = timezone.now()
    with mock.patch("rakuten_portal.queue._send") as publish:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            with pytest.raises(RuntimeError), transaction.atomic():
                notifications.notify(recipients=[roles["buyer"]], kind=Notification.Kind.MESSAGE, now=now,
                                     order=roles["order"])
                raise RuntimeError("this act failed")
            kept = notifications.notify(recipients=[roles["seller"]], kind=Notification.Kind.MESSAGE, now=now,
                                        order=roles["order"])
    publish.assert_called_once_with(notifications.SEND_TASK, [[kept[0].pk]])


def test_two_concurrent_sends_of_one_row_send_one_email(order):
    """The lease: a second sender arriving while the first is sending finds the row taken."""
    now = timezone.now()
    open_on(order, now=now)
    row = pending_row()
    second_sender = []
    real_send_mail = outbox.send_mail

    def send_while_another_worker_tries(*args, **kwargs):
        second_sender.append(notifications.send_email(notification_id=row.pk, now=now))
        return real_send_mail(*args, **kwargs)

    with mock.patch.object(outbox, "send_mail", side_effect=send_while_another_worker_tries):
        assert notifications.send_email(notification_id=row.pk, now=now) is True
    assert second_sender == [False]
    assert len(mail.outbox) == 1


def test_a_sent_email_is_never_sent_again(order):
    now = timezone.now()
    open_on(order, now=now)
    row = pending_row()
    assert notifications.send_email(notification_id=row.pk, now=now) is True
    assert notifications.send_email(notification_id=row.pk, now=now + timedelta(hours=1)) is False
    assert notifications.send_due_emails(now=now + timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


def test_recipient_without_an_address_is_marked_done_without_sending(order):
    type(order.seller.user).objects.filter(pk=order.seller.user_id).update(email="")
    now = timezone.now()
    open_on(order, now=now)
    assert notifications.send_email(notification_id=pending_row().pk, now=now) is True
    assert pending_row().email_status == Notification.EmailStatus.SENT
    assert mail.outbox == []


def test_one_notification_per_distinct_recipient(roles):
    buyer = roles["buyer"]
    rows = notifications.notify(recipients=[buyer, buyer, None], kind=Notification.Kind.MESSAGE, now=timezone.now(),
                                order=roles["order"])
    assert len(rows) == 1


def test_unread_count_and_mark_read(order):
    now = timezone.now()
    open_on(order, now=now)
    seller = order.seller.user
    assert notifications.unread_count(seller) == 1
    assert notifications.mark_read(user=order.buyer, now=now) == 0
    assert notifications.mark_read(user=seller, now=now) == 1
    assert notifications.unread_count(seller) == 0


@pytest.mark.parametrize("language, subject, deadline", [
    ("fr", "Rappel : votre date limite est aujourd'hui", "6 mars 2026"),
    ("en", "Reminder: your deadline is today", "6 March 2026"),
])
def test_the_reminder_comes_when_the_last_day_begins_and_says_today(roles, language, subject, deadline):
    AccountPreferences.objects.create(user=roles["seller"], language=language)
    opened = datetime(2026, 3, 3, 10, 0, tzinfo=PARIS)  # Tuesday: the deadline is Friday 6 March, end of day
    order = make_shipped_order(buyer=roles["buyer"], seller=roles["seller_profile"], now=opened, days_ago=5)
    claim = open_on(order, now=opened)
    Notification.objects.all().delete()
    assert deadlines.sweep(now=datetime(2026, 3, 5, 23, 59, 59, tzinfo=PARIS)).reminded == 0
    assert deadlines.sweep(now=datetime(2026, 3, 6, 0, 0, tzinfo=PARIS)).reminded == 1
    reminder = Notification.objects.get(claim=claim, kind=Notification.Kind.REMINDER)
    assert notifications.send_email(notification_id=reminder.pk, now=datetime(2026, 3, 6, 0, 1, tzinfo=PARIS))
    (message,) = mail.outbox
    assert message.subject == subject
    assert deadline in message.body and "23:59" in message.body
    assert "demain" not in message.body and "tomorrow" not in message.body
