"""Writes on help-desk requests: create, the customer's reply, the agent's answer, triage."""
import hashlib
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from orders.numbering import next_numbers
from rakuten_portal.agents import is_agent

from .emails import email_queue
from .models import ContactAttachment, ContactMessage, ContactRequest, OutgoingEmail
from .phone_hours import PARIS

REFERENCE_PREFIX = "SC"


class ContactRequestError(Exception):
    """An act that no longer applies (a closed request); the message is ready to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _store_files(*, contact_request: ContactRequest, message: ContactMessage, files) -> list[ContactAttachment]:
    """Save processed uploads (claims.photos.ProcessedFile) under random names on the private storage."""
    rows = []
    for processed in files:
        attachment = ContactAttachment(
            request=contact_request, message=message, kind=processed.kind, content_type=processed.content_type,
            original_name=processed.original_name,
        )
        attachment.file.save(f"upload.{processed.extension}", ContentFile(processed.content), save=False)
        if processed.thumbnail is not None:
            attachment.thumbnail.save(
                f"thumb.{processed.thumbnail_extension}", ContentFile(processed.thumbnail), save=False
            )
        rows.append(attachment)
    return ContactAttachment.objects.bulk_create(rows)


def contact_request_create(*, topic: str, body: str, email: str, language: str, now: datetime, requester=None,
                           order=None, order_number: str = "", seller_name: str = "", files=()) -> ContactRequest:
    """Record a request with its first message and files, and acknowledge it by e-mail after commit."""
    if order is not None:
        # The order speaks for itself: its number and seller, never what was typed.
        order_number, seller_name = order.number, order.seller.display_name
    with transaction.atomic():
        (reference,) = next_numbers(prefix=REFERENCE_PREFIX, year=now.astimezone(PARIS).year)
        contact_request = ContactRequest.objects.create(
            reference=reference, topic=topic, requester=requester, email=email, order=order,
            order_number=order_number.upper(), seller_name=seller_name, language=language,
            created_at=now, updated_at=now,
        )
        message = ContactMessage.objects.create(
            request=contact_request, role=ContactMessage.Role.CUSTOMER, author=requester, body=body, created_at=now,
        )
        _store_files(contact_request=contact_request, message=message, files=files)
        if acknowledgement_due(email):
            email_queue(contact_request=contact_request, kind=OutgoingEmail.Kind.ACKNOWLEDGEMENT, now=now)
    return contact_request


def acknowledgement_due(email: str) -> bool:
    """Whether this address may get an acknowledgement now: at most one per HELPDESK_ACKNOWLEDGEMENT_INTERVAL.

    The form takes any address, so without this anyone could make us e-mail anyone at will. The mark is
    set atomically in the shared cache (Redis in production), so two requests at once send one.
    """
    address = email.strip().lower().encode()
    key = f"helpdesk.acknowledgement.{hashlib.sha256(address).hexdigest()}"
    return cache.add(key, 1, timeout=settings.HELPDESK_ACKNOWLEDGEMENT_INTERVAL.total_seconds())


def contact_request_reply(*, contact_request: ContactRequest, author, body: str, now: datetime,
                          files=()) -> ContactMessage:
    """The customer writes again: the request goes back to the agents."""
    with transaction.atomic():
        locked = ContactRequest.objects.select_for_update().get(pk=contact_request.pk)
        if locked.is_closed:
            raise ContactRequestError(_("Cette demande est close : envoyez une nouvelle demande au service client."))
        message = ContactMessage.objects.create(
            request=locked, role=ContactMessage.Role.CUSTOMER, author=author, body=body, created_at=now,
        )
        _store_files(contact_request=locked, message=message, files=files)
        status = locked.status if locked.status == ContactRequest.Status.NEW else ContactRequest.Status.IN_PROGRESS
        ContactRequest.objects.filter(pk=locked.pk).update(status=status, updated_at=now)
    contact_request.status, contact_request.updated_at = status, now
    return message


def contact_request_answer(*, contact_request: ContactRequest, agent, body: str, now: datetime,
                           close: bool = False) -> ContactMessage:
    """An agent answers: the reply is kept on the request and e-mailed to the customer after commit."""
    if not is_agent(agent):
        raise ContactRequestError(_("Seuls les conseillers du service client peuvent répondre."))
    with transaction.atomic():
        locked = ContactRequest.objects.select_for_update().get(pk=contact_request.pk)
        message = ContactMessage.objects.create(
            request=locked, role=ContactMessage.Role.AGENT, author=agent, body=body, created_at=now,
        )
        status = ContactRequest.Status.CLOSED if close else ContactRequest.Status.WAITING_CUSTOMER
        changes = {"status": status, "updated_at": now}
        if locked.assigned_to_id is None:
            changes["assigned_to"] = agent
        if locked.first_response_at is None:
            changes["first_response_at"] = now
        ContactRequest.objects.filter(pk=locked.pk).update(**changes)
        email_queue(contact_request=locked, kind=OutgoingEmail.Kind.AGENT_REPLY, now=now, message=message)
    for field, value in changes.items():
        setattr(contact_request, field, value)
    return message
