"""The notification outbox: rows written in the claim's transaction, e-mailed after commit, retried until sent."""
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A sender holds a row this long before another sender may try it again.
SEND_LEASE = timedelta(minutes=5)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4 … minutes, capped at 2 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 120))


def notify(*, recipients, kind: str, now: datetime, claim=None, order=None) -> list[Notification]:
    """Write one notification per distinct recipient and send their e-mails once the transaction commits."""
    seen, rows = set(), []
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, kind=kind, claim=claim, order=order, created_at=now,
                                 email_next_attempt_at=now))
    created = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in created if row.pk]
    if ids:
        transaction.on_commit(lambda: enqueue_emails(ids))
    return created


def enqueue_emails(ids: list[int]) -> None:
    """Hand the e-mails to the workers; if the broker is down the rows stay pending for the sweep."""
    from .tasks import send_notification_email

    for notification_id in ids:
        try:
            send_notification_email.apply_async(args=[notification_id], retry=False)
        except Exception:  # noqa: BLE001 — any broker failure: the outbox row is the safety net
            logger.warning("Broker unavailable: notification %s left for the sweep", notification_id, exc_info=True)


def recipient_language(user) -> str:
    """The language the user chose on the site, else the site's default."""
    preferences = getattr(user, "preferences", None)
    try:
        return preferences.language if preferences else settings.LANGUAGE_CODE
    except Exception:  # noqa: BLE001 — a user with no preferences row
        return settings.LANGUAGE_CODE


def notification_link(notification: Notification) -> str:
    """Where the notification leads in the site."""
    if notification.claim_id:
        return reverse("claims:detail", args=[notification.claim_id])
    if notification.order_id:
        return reverse("orders:detail", args=[notification.order.number])
    return reverse("claims:notifications")


def render_email(notification: Notification) -> tuple[str, str]:
    """Subject and body in the recipient's language."""
    with translation.override(recipient_language(notification.recipient)):
        context = {
            "notification": notification,
            "claim": notification.claim,
            "order": notification.order or (notification.claim.order if notification.claim_id else None),
            "recipient": notification.recipient,
            "link": settings.SITE_URL.rstrip("/") + notification_link(notification),
        }
        subject = str(notification.get_kind_display())
        body = render_to_string("claims/email/notification.txt", context)
    return subject, body


def send_email(*, notification_id: int, now: datetime) -> bool:
    """Send one pending e-mail if nobody else holds it; True once it is sent."""
    claimed = Notification.objects.filter(
        pk=notification_id, email_status=Notification.EmailStatus.PENDING, email_next_attempt_at__lte=now,
    ).update(email_next_attempt_at=now + SEND_LEASE)
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient", "claim__order", "order").get(pk=notification_id)
    if not notification.recipient.email:
        Notification.objects.filter(pk=notification_id).update(email_status=Notification.EmailStatus.SENT, email_sent_at=now)
        return True
    try:
        subject, body = render_email(notification)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notification.recipient.email])
    except Exception:
        attempts = notification.email_attempts + 1
        status = Notification.EmailStatus.FAILED if attempts >= MAX_ATTEMPTS else Notification.EmailStatus.PENDING
        Notification.objects.filter(pk=notification_id).update(
            email_attempts=attempts, email_status=status, email_next_attempt_at=now + retry_delay(attempts)
        )
        logger.exception("E-mail for notification %s failed (attempt %s)", notification_id, attempts)
        raise
    Notification.objects.filter(pk=notification_id).update(
        email_status=Notification.EmailStatus.SENT, email_sent_at=timezone.now(), email_attempts=notification.email_attempts + 1
    )
    return True


def send_due_emails(*, now: datetime, batch_size: int = 200) -> int:
    """Send every pending e-mail whose time has come (broker was down, or a send failed): the sweep's step."""
    sent = 0
    due = list(
        Notification.objects.filter(email_status=Notification.EmailStatus.PENDING, email_next_attempt_at__lte=now)
        .order_by("email_next_attempt_at").values_list("pk", flat=True)[:batch_size]
    )
    for notification_id in due:
        try:
            sent += send_email(notification_id=notification_id, now=now)
        except Exception:  # noqa: BLE001 — already recorded on the row; the next sweep retries
            continue
    return sent


def unread_count(user) -> int:
    """How many notifications the user has not read."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user, now: datetime, notification_ids=None) -> int:
    """Mark the user's notifications (all, or the given ones) as read."""
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=notification_ids)
    return queryset.update(read_at=now)
