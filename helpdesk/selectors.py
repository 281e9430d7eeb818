"""Reads on help-desk requests, always scoped to the user who asks, so a missing filter cannot leak."""
from django.db.models import Count, Prefetch
from django.http import Http404

from orders.numbering import number_pattern
from orders.models import Order
from rakuten_portal.agents import is_agent

from .models import CannedReply, ContactAttachment, ContactMessage, ContactRequest

RECENT_ORDERS = 50


def requests_of(user):
    """The user's own requests, newest first, with their message count."""
    if not user.is_authenticated:
        return ContactRequest.objects.none()
    return ContactRequest.objects.filter(requester=user).annotate(message_count=Count("messages")).order_by(
        "-created_at", "-id"
    )


def requests_visible_to(user):
    """Requests the user may open: their own, or all for an agent."""
    if not user.is_authenticated:
        return ContactRequest.objects.none()
    if is_agent(user):
        return ContactRequest.objects.all()
    return ContactRequest.objects.filter(requester=user)


def access_request(user, reference: str) -> ContactRequest:
    """The request with its thread if the user may see it, else 404 (never 403: it would confirm it exists)."""
    if not number_pattern("SC").match(reference or ""):
        raise Http404
    attachments = ContactAttachment.objects.order_by("created_at", "id")
    contact_request = (
        requests_visible_to(user).filter(reference__iexact=reference)
        .prefetch_related(Prefetch("messages", queryset=ContactMessage.objects.prefetch_related(
            Prefetch("attachments", queryset=attachments)).order_by("created_at", "id")))
        .first()
    )
    if contact_request is None:
        raise Http404
    return contact_request


def access_attachment(user, attachment_id) -> ContactAttachment:
    """The attachment if its request is the user's (or the user is an agent), else 404."""
    attachment = ContactAttachment.objects.filter(
        pk=attachment_id, request__in=requests_visible_to(user)
    ).first()
    if attachment is None:
        raise Http404
    return attachment


def recent_orders_for_contact(user) -> list:
    """The buyer's 50 latest orders, to pick the one the request is about: what the choice shows (number, shop,
    date) and nothing else, not the lists' first title, line count and open claim, three subqueries a row."""
    return list(
        Order.objects.filter(buyer=user).select_related("seller")
        .only("number", "purchased_at", "buyer_id", "seller__display_name")
        .order_by("-purchased_at", "-id")[:RECENT_ORDERS]
    )


def canned_replies(*, scope: str):
    """The active canned replies for claims or requests (or both), by title."""
    return CannedReply.objects.filter(active=True, scope__in=[scope, CannedReply.Scope.BOTH]).order_by("title")
