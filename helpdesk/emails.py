"""The help desk's e-mail outbox: rows written with the request, sent after commit, retried until sent."""
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import ContactMessage, ContactRequest, OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A sender holds a row this long before another sender may try it again.
SEND_LEASE = timedelta(minutes=5)
TEMPLATES = {
    OutgoingEmail.Kind.ACKNOWLEDGEMENT: "helpdesk/email/acknowledgement.txt",
    OutgoingEmail.Kind.AGENT_REPLY: "helpdesk/email/agent_reply.txt",
}


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4 … minutes, capped at 2 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 120))


def email_queue(*, contact_request: ContactRequest, kind: str, now: datetime,
                message: ContactMessage | None = None) -> OutgoingEmail:
    """Write the e-mail in the caller's transaction and hand it to a worker once that commits."""
    email = OutgoingEmail.objects.create(
        request=contact_request, message=message, kind=kind, to=contact_request.email, created_at=now,
        next_attempt_at=now,
    )
    transaction.on_commit(lambda: enqueue(email.pk))
    return email


def enqueue(email_id: int) -> None:
    """Hand one e-mail to the workers; if the broker is down the row stays pending for the periodic retry."""
    from .tasks import send_email

    try:
        send_email.apply_async(args=[email_id], retry=False)
    except Exception:  # noqa: BLE001 — any broker failure: the outbox row is the safety net
        logger.warning("Broker unavailable: help-desk e-mail %s left for the retry task", email_id, exc_info=True)


def render(email: OutgoingEmail) -> tuple[str, str]:
    """Subject and body in the language the customer wrote in."""
    contact_request = email.request
    with translation.override(contact_request.language):
        link = ""
        if contact_request.requester_id:
            link = settings.SITE_URL.rstrip("/") + reverse("helpdesk:request_detail", args=[contact_request.reference])
        context = {"contact_request": contact_request, "message": email.message, "link": link,
                   "form_link": settings.SITE_URL.rstrip("/") + reverse("helpdesk:contact_form")}
        body = render_to_string(TEMPLATES[email.kind], context)
        subject = f"[{contact_request.reference}] {email.get_kind_display()}"
    return subject, body


def email_send(*, email_id: int, now: datetime) -> bool:
    """Send one pending e-mail if nobody else holds it; True once it is sent."""
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now,
    ).update(next_attempt_at=now + SEND_LEASE)
    if not claimed:
        return False
    email = OutgoingEmail.objects.select_related("request", "message").get(pk=email_id)
    try:
        subject, body = render(email)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email.to])
    except Exception:
        attempts = email.attempts + 1
        status = OutgoingEmail.Status.FAILED if attempts >= MAX_ATTEMPTS else OutgoingEmail.Status.PENDING
        OutgoingEmail.objects.filter(pk=email_id).update(
            attempts=attempts, status=status, next_attempt_at=now + retry_delay(attempts)
        )
        logger.exception("Help-desk e-mail %s failed (attempt %s)", email_id, attempts)
        raise
    OutgoingEmail.objects.filter(pk=email_id).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), attempts=email.attempts + 1
    )
    return True


def send_due_emails(*, now: datetime, batch_size: int = 200) -> int:
    """Send every pending e-mail whose time has come (the broker was down, or a send failed)."""
    sent = 0
    due = list(
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at").values_list("pk", flat=True)[:batch_size]
    )
    for email_id in due:
        try:
            sent += email_send(email_id=email_id, now=now)
        except Exception:  # noqa: BLE001 — already recorded on the row; the next run retries
            continue
    return sent
