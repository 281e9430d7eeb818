"""Celery tasks for the help desk's e-mails: thin wrappers around helpdesk.emails (which never imports them)."""
from celery import shared_task
from django.utils import timezone

from . import emails


@shared_task(name="helpdesk.send_email", bind=True, max_retries=6, acks_late=True)
def send_email(self, email_id: int) -> int:
    """Send one help-desk e-mail; on failure retry with backoff (the periodic task also picks it up)."""
    try:
        return int(emails.email_send(email_id=email_id, now=timezone.now()))
    except Exception as exc:  # noqa: BLE001 — the row records the failure; Celery retries later
        raise self.retry(exc=exc, countdown=min(60 * 2 ** self.request.retries, 3600)) from exc


@shared_task(name="helpdesk.send_emails", acks_late=True)
def send_emails(email_ids: list[int]) -> int:
    """Send the help-desk e-mails of one commit; a failed one stays pending for the periodic retry."""
    return emails.emails_send(email_ids=email_ids, now=timezone.now())


@shared_task(name="helpdesk.send_due_emails")
def send_due_emails() -> int:
    """Send the help-desk e-mails still pending (broker down, failed sends)."""
    return emails.send_due_emails(now=timezone.now())
