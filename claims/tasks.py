"""Celery tasks: thin wrappers that load by id, call the domain with now, and return a count.

Tasks import the domain, never the reverse: the domain enqueues these by name (rakuten_portal/queue.py).
Their queues are in settings.CELERY_TASK_ROUTES: the sweep on its own, the e-mails on theirs.
"""
from datetime import datetime

from celery import shared_task
from django.utils import timezone

from . import deadlines, notifications


@shared_task(name="claims.send_notification_email", bind=True, max_retries=6, acks_late=True)
def send_notification_email(self, notification_id: int) -> int:
    """Send one notification e-mail; on failure retry with backoff (the sweep also picks it up)."""
    try:
        return int(notifications.send_email(notification_id=notification_id, now=timezone.now()))
    except Exception as exc:  # noqa: BLE001 — the row records the failure; Celery retries later
        raise self.retry(exc=exc, countdown=min(60 * 2 ** self.request.retries, 3600)) from exc


@shared_task(name="claims.send_notification_emails", acks_late=True)
def send_notification_emails(notification_ids: list[int], handed_until: str | None = None) -> int:
    """Send the e-mails of one commit, or those a sweep reserved for this task until `handed_until`, in leased
    chunks; a failed one stays pending for its retry."""
    until = datetime.fromisoformat(handed_until) if handed_until else None
    return notifications.send_emails(notification_ids=notification_ids, now=timezone.now(), handed_until=until)


@shared_task(name="claims.sweep")
def sweep() -> int:
    """All time-driven work: takeovers, reminders, sale finalization, unsent e-mails, abandoned uploads."""
    return deadlines.sweep(now=timezone.now()).total
