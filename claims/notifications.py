"""The notification outbox: rows written in the claim's transaction, e-mailed after commit, retried until sent."""
import logging
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from rakuten_portal import queue
from rakuten_portal.formatting import greeting_name
from rakuten_portal.navbar import cached_unread, navbar_changed
from rakuten_portal.outbox import LEASE_CHUNK as OUTBOX_CHUNK
from rakuten_portal.outbox import Outbox

from .models import Notification

logger = logging.getLogger(__name__)

# The worker's task, named, not imported: the domain never imports a tasks module (rakuten_portal/queue.py).
SEND_TASK = "claims.send_notification_emails"


def notify(*, recipients, kind: str, now: datetime, claim=None, order=None) -> list[Notification]:
    """Write one notification per distinct recipient; their e-mails go to a worker once the transaction commits."""
    seen, rows = set(), []
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, kind=kind, claim=claim, order=order, created_at=now,
                                 email_next_attempt_at=now))
    created = Notification.objects.bulk_create(rows)
    navbar_changed(seen)  # the bell's count
    enqueue_emails([row.pk for row in created if row.pk])
    return created


def enqueue_emails(ids, *, chunk_size: int | None = None) -> None:
    """After commit, one task for all of the transaction's notifications; broker down: they stay for the sweep."""
    queue.enqueue_ids(SEND_TASK, ids, chunk_size=chunk_size)


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
        order = notification.order or (notification.claim.order if notification.claim_id else None)
        context = {
            "notification": notification,
            "claim": notification.claim,
            "order": order,
            "recipient": notification.recipient,
            "name": greeting_name(notification.recipient, order),
            "link": settings.SITE_URL.rstrip("/") + notification_link(notification),
        }
        subject = str(notification.get_kind_display())
        body = render_to_string("claims/email/notification.txt", context)
    return subject, body


OUTBOX = Outbox(model=Notification, statuses=Notification.EmailStatus, status="email_status",
                attempts="email_attempts", next_attempt_at="email_next_attempt_at", sent_at="email_sent_at",
                select_related=("recipient__preferences", "claim__order__seller", "order__seller"))


def compose_email(notification: Notification):
    """Subject, body and address of a notification's e-mail; None for a user without an address."""
    if not notification.recipient.email:
        return None
    subject, body = render_email(notification)
    return subject, body, notification.recipient.email


def send_email(*, notification_id: int, now: datetime) -> bool:
    """Send one pending e-mail if nobody else holds it; True once it is sent."""
    return OUTBOX.deliver(pk=notification_id, now=now, compose=compose_email)


def send_emails(*, notification_ids, now: datetime, handed_until: datetime | None = None) -> int:
    """Send a list of pending e-mails in leased chunks (also those handed out until `handed_until`); a failed one
    stays pending for its retry."""
    return OUTBOX.deliver_many(pks=notification_ids, now=now, compose=compose_email, handed_until=handed_until)


def send_due_emails(*, now: datetime, batch_size: int = 200, due_before: datetime | None = None) -> int:
    """Send up to `batch_size` pending e-mails due by `due_before` (default now), in leased chunks."""
    return OUTBOX.drain(now=now, compose=compose_email, due_before=due_before, chunks=-(-batch_size // OUTBOX_CHUNK),
                        chunk_size=min(batch_size, OUTBOX_CHUNK))


def dispatch_due_emails(*, now: datetime, due_before: datetime, limit: int, per_task: int) -> int | None:
    """Fan pending e-mails out to the workers, `per_task` reserved rows per task; how many, None if the broker failed.

    A reserved row is invisible to the next sweep until its reservation passes, so a backlog is handed out once."""
    handed = 0
    while handed < limit:
        ids, until = OUTBOX.hand_out(now=now, due_before=due_before, limit=min(per_task, limit - handed))
        if not ids:
            break
        if not queue.publish(SEND_TASK, ids, until.isoformat()):
            OUTBOX.give_back(pks=ids, handed_until=until, now=now)
            return None
        handed += len(ids)
    return handed


def unread_count(user) -> int:
    """How many notifications the user has not read."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user, now: datetime, notification_ids=None) -> int:
    """Mark the user's notifications (all, or the given ones) as read."""
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=notification_ids)
    count = queryset.update(read_at=now)
    if count:
        navbar_changed([user.pk])
    return count


def claim_notices_mark_read(*, user, claim, now: datetime) -> int:
    """The user opened the claim: its notices to them are read."""
    count = Notification.objects.filter(recipient=user, claim=claim, read_at__isnull=True).update(read_at=now)
    if count:
        navbar_changed([user.pk])
    return count


def order_notices_mark_read(*, user, order_ids, now: datetime) -> int:
    """The user saw these orders' conversations: the notices of their messages are read."""
    count = Notification.objects.filter(recipient=user, kind=Notification.Kind.ORDER_MESSAGE, order_id__in=order_ids,
                                        read_at__isnull=True).update(read_at=now)
    if count:
        navbar_changed([user.pk])
    return count


def order_thread_mark_read(*, order, user, now: datetime, thread=None) -> None:
    """The user has seen the order's conversation: the other party's messages and their notices are read.

    Given the thread already loaded, the messages' UPDATE runs only if one of the other party's is unread, and
    the notices' only if the user's cached navbar does not count none unread (it is dropped whenever the user's
    notices change): an order page seen again writes nothing."""
    from orders.models import OrderMessage

    if thread is None or any(message.read_at is None and message.author_id != user.pk for message in thread):
        OrderMessage.objects.filter(order=order, read_at__isnull=True).exclude(author=user).update(read_at=now)
    if thread is None or cached_unread(user) != 0:
        order_notices_mark_read(user=user, order_ids=[order.pk], now=now)
