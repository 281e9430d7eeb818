"""The help desk's e-mail outbox: rows written with the request, sent after commit, retried until sent."""
import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from rakuten_portal.formatting import person_name
from rakuten_portal.outbox import Outbox

from .models import ContactMessage, ContactRequest, OutgoingEmail

logger = logging.getLogger(__name__)

TEMPLATES = {
    OutgoingEmail.Kind.ACKNOWLEDGEMENT: "helpdesk/email/acknowledgement.txt",
    OutgoingEmail.Kind.AGENT_REPLY: "helpdesk/email/agent_reply.txt",
}


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
                   "name": person_name(contact_request.requester) if contact_request.requester_id else "",
                   "form_link": settings.SITE_URL.rstrip("/") + reverse("helpdesk:contact_form")}
        body = render_to_string(TEMPLATES[email.kind], context)
        subject = f"[{contact_request.reference}] {email.get_kind_display()}"
    return subject, body


OUTBOX = Outbox(model=OutgoingEmail, statuses=OutgoingEmail.Status, status="status", attempts="attempts",
                next_attempt_at="next_attempt_at", sent_at="sent_at", select_related=("request__requester", "message"))


def compose(email: OutgoingEmail):
    """Subject, body and address of one outgoing e-mail."""
    subject, body = render(email)
    return subject, body, email.to


def email_send(*, email_id: int, now: datetime) -> bool:
    """Send one pending e-mail if nobody else holds it; True once it is sent."""
    return OUTBOX.deliver(pk=email_id, now=now, compose=compose)


def send_due_emails(*, now: datetime, batch_size: int = 200) -> int:
    """Send every pending e-mail whose time has come (the broker was down, or a send failed)."""
    due = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now)
    ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:batch_size])
    return OUTBOX.deliver_many(pks=ids, now=now, compose=compose)
