"""Celery tasks of orders: thin wrappers that load by id, call payments with now, and return a count."""

from celery import shared_task
from django.utils import timezone

from . import payments


@shared_task(name="orders.execute_refund", bind=True, max_retries=6, acks_late=True)
def execute_refund(self, refund_id: int) -> int:
    """Pay one refund through the provider; a failure is retried with backoff (the sweep also picks it up)."""
    try:
        return int(payments.refund_execute(refund_id=refund_id, now=timezone.now()))
    except Exception as exc:  # noqa: BLE001 — the row records the failure; the same idempotency key is reused
        raise self.retry(exc=exc, countdown=min(60 * 2 ** self.request.retries, 3600)) from exc
