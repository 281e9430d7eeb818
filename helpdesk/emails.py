"""The help desk's e-mail outbox: rows written with the request, sent after commit, retried until sent."""
import logging
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from rakuten_portal import queue
from rakuten_portal.outbox import LEASE_CHUNK as OUTBOX_CHUNK
from rakuten_portal.formatting import person_name
from rakuten_portal.outbox import Outbox

from .models import ContactMessage, ContactRequest, OutgoingEmail

logger = logging.getLogger(__name__)

# The worker's task, named, not imported: this module never imports helpdesk.tasks (rakuten_portal/queue.py).
SEND_TASK = "helpdesk.send_emails"

TEMPLATES = {
    OutgoingEmail.Kind.ACKNOWLEDGEMENT: "helpdesk/email/acknowledgement.txt",
    OutgoingEmail.Kind.AGENT_REPLY: "helpdesk/email/agent_reply.txt",
    OutgoingEmail.Kind.CHAT_TRANSCRIPT: "helpdesk/email/chat_transcript.txt",
}


def email_queue(*, contact_request: ContactRequest, kind: str, now: datetime,
                message: ContactMessage | None = None) -> OutgoingEmail:
    """Write the e-mail in the caller's transaction and hand it to a worker once that commits."""
    email = OutgoingEmail.objects.create(
        request=contact_request, message=message, kind=kind, to=contact_request.email, created_at=now,
        next_attempt_at=now,
    )
    enqueue(email.pk)
    return email


def enqueue(email_id: int) -> None:
    """After commit, hand the e-mail to a worker with the transaction's others; broker down: the periodic retry."""
    queue.enqueue_ids(SEND_TASK, [email_id])


def render(email: OutgoingEmail) -> tuple[str, str]:
    """Subject and body in the language the customer wrote in."""
    contact_request = email.request
    with translation.override(contact_request.language):
        link = ""
        if contact_request.requester_id:
            link = settings.SITE_URL.rstrip("/") + reverse("helpdesk:request_detail", args=[contact_request.reference])
        chat = getattr(contact_request, "chat", None) if email.kind == OutgoingEmail.Kind.CHAT_TRANSCRIPT else None
        context = {"contact_request": contact_request, "message": email.message, "link": link, "chat": chat,
                   "chat_messages": chat.messages.order_by("id") if chat else (),
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


def emails_send(*, email_ids, now: datetime) -> int:
    """Send a list of pending e-mails in leased chunks; a failed one stays pending for its retry."""
    return OUTBOX.deliver_many(pks=email_ids, now=now, compose=compose)


def send_due_emails(*, now: datetime, batch_size: int = 2000) -> int:
    """Send the pending e-mails whose time has come (the broker was down, or a send failed), in leased chunks."""
    return OUTBOX.drain(now=now, compose=compose, chunks=-(-batch_size // OUTBOX_CHUNK),
                        chunk_size=min(batch_size, OUTBOX_CHUNK))
