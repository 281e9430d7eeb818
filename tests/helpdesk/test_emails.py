"""The help desk's outbox: an e-mail is written with the request, sent after commit, and retried until sent."""
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from helpdesk import emails
from helpdesk.models import OutgoingEmail
from helpdesk.tasks import send_due_emails
from rakuten_portal import outbox

from .test_requests import make_request

pytestmark = pytest.mark.django_db


def test_nothing_is_sent_before_the_transaction_commits(roles, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_request(roles["buyer"])
    assert mail.outbox == [] and len(callbacks) == 1
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.PENDING


def test_broker_down_leaves_the_email_pending_for_the_periodic_task(roles, django_capture_on_commit_callbacks):
    with mock.patch("helpdesk.tasks.send_email.apply_async", side_effect=ConnectionError("broker down")):
        with django_capture_on_commit_callbacks(execute=True):
            make_request(roles["buyer"])
    assert mail.outbox == []
    assert send_due_emails() == 1
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_failed_send_is_retried_later_with_backoff(roles, django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=False):
        contact_request = make_request(roles["buyer"], now=now)
    email = contact_request.emails.get()
    with mock.patch("rakuten_portal.outbox.send_mail", side_effect=OSError("SMTP down")):
        with pytest.raises(OSError):
            emails.email_send(email_id=email.pk, now=now)
    email.refresh_from_db()
    assert (email.status, email.attempts, email.next_attempt_at) == ("pending", 1, now + timedelta(minutes=1))
    assert emails.send_due_emails(now=now) == 0  # not due yet
    assert emails.send_due_emails(now=now + timedelta(minutes=1)) == 1
    assert len(mail.outbox) == 1


def test_an_email_is_sent_once_even_if_two_senders_try(roles, django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=False):
        contact_request = make_request(roles["buyer"], now=now)
    email = contact_request.emails.get()
    second_sender = []
    real_send_mail = outbox.send_mail

    def send_while_another_worker_tries(*args, **kwargs):
        # A second worker picks the same row while the first is talking to the mail server.
        second_sender.append(emails.email_send(email_id=email.pk, now=now))
        return real_send_mail(*args, **kwargs)

    with mock.patch.object(outbox, "send_mail", side_effect=send_while_another_worker_tries):
        assert emails.email_send(email_id=email.pk, now=now) is True
    assert second_sender == [False]
    assert emails.email_send(email_id=email.pk, now=now) is False
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("language, expected, foreign", [
    ("fr", "Nous avons bien reçu votre demande", "We have received your request"),
    ("en", "We have received your request", "Nous avons bien reçu votre demande"),
])
def test_acknowledgement_is_in_the_language_the_customer_wrote_in(roles, django_capture_on_commit_callbacks,
                                                                  language, expected, foreign):
    with django_capture_on_commit_callbacks(execute=True):
        contact_request = make_request(roles["buyer"], language=language)
    body = mail.outbox[0].body
    assert contact_request.reference in body
    assert expected in body and foreign not in body


def test_beat_runs_the_retry_task_by_its_pinned_name(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "helpdesk.send_due_emails" in tasks
    assert send_due_emails.name == "helpdesk.send_due_emails"
