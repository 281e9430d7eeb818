"""Reads on claims, always scoped to the user who asks, so a missing filter cannot leak."""
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    TextChoices,
    Value,
    When,
)
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from orders.models import Order, OrderMessage
from rakuten_portal.agents import is_agent

from .eligibility import claim_eligibility
from .models import Attachment, Claim, Proposal


def claims_visible_to(user):
    """Claims the user may open: as buyer, as seller, or all for an agent."""
    if not user.is_authenticated:
        return Claim.objects.none()
    if is_agent(user):
        return Claim.objects.all()
    return Claim.objects.filter(Q(buyer=user) | Q(seller__user=user))


def access_claim(user, claim_id) -> Claim:
    """The claim if the user may see it, else 404 (never 403: it would confirm it exists)."""
    claim = claims_visible_to(user).select_related("order", "buyer", "seller__user", "assigned_to").filter(pk=claim_id).first()
    if claim is None:
        raise Http404
    return claim


def order_claim_context(*, order, user, now) -> dict:
    """What the order page shows about claims: the claims on it and whether (and when) one may be filed."""
    claims = list(Claim.objects.filter(order=order).order_by("-opened_at"))
    open_claim = next((claim for claim in claims if claim.is_open), None)
    eligibility = claim_eligibility(order=order, user=user, now=now, open_claim_exists=open_claim is not None)
    return {"claims": claims, "open_claim": open_claim, "eligibility": eligibility}


def claim_timeline(claim: Claim):
    """Every step of the claim, oldest first (internal notes are messages, never events)."""
    return claim.events.select_related("actor").order_by("at", "id")


def claim_thread(claim: Claim, user):
    """The claim's messages with their attachments; internal notes only for agents."""
    messages = claim.messages.select_related("author").prefetch_related("attachments").order_by("created_at", "id")
    if not is_agent(user):
        messages = messages.filter(internal=False)
    return messages


def claim_proposals(claim: Claim):
    """The seller's proposals, newest first, with their receipts."""
    return claim.proposals.prefetch_related("attachments").order_by("-created_at", "-id")


def claim_opening_photos(claim: Claim):
    """The photos the buyer gave with the claim itself."""
    return claim.attachments.filter(message__isnull=True, proposal__isnull=True).order_by("created_at", "id")


def attachment_visible_to(user, attachment_id) -> Attachment:
    """The attachment if its claim is visible to the user (internal notes' only to agents), else 404."""
    attachment = (
        Attachment.objects.select_related("message")
        .filter(pk=attachment_id, claim__in=claims_visible_to(user))
        .first()
    )
    if attachment is None or (attachment.message_id and attachment.message.internal and not is_agent(user)):
        raise Http404
    return attachment


class DashboardFilter(TextChoices):
    """The seller dashboard's filters; the value is the URL parameter."""

    ALL = "toutes", _("Toutes")
    TO_ANSWER = "a-repondre", _("À traiter")
    WAITING_BUYER = "attente-acheteur", _("En attente de l'acheteur")
    WITH_SUPPORT = "service-client", _("Pris en charge par le service client")
    CLOSED = "cloturees", _("Clôturées")


_PENDING = Exists(Proposal.objects.filter(claim=OuterRef("pk"), status=Proposal.Status.PENDING))
_CLOSED_STATUSES = (Claim.Status.SETTLED, Claim.Status.WITHDRAWN, Claim.Status.DECIDED)
DASHBOARD_FILTERS = {
    DashboardFilter.ALL: Q(),
    DashboardFilter.TO_ANSWER: Q(status=Claim.Status.WITH_SELLER, has_pending=False),
    DashboardFilter.WAITING_BUYER: Q(status=Claim.Status.WITH_SELLER, has_pending=True),
    DashboardFilter.WITH_SUPPORT: Q(status=Claim.Status.WITH_SUPPORT),
    DashboardFilter.CLOSED: Q(status__in=_CLOSED_STATUSES),
}


def _seller_claims_base(user):
    return Claim.objects.filter(seller__user=user).annotate(has_pending=_PENDING)


def seller_claims(user, *, kind: str = DashboardFilter.ALL):
    """Claims on the seller's sales: those still with the seller by soonest deadline, then support's, then closed."""
    rank = Case(
        When(status=Claim.Status.WITH_SELLER, then=Value(0)),
        When(status=Claim.Status.WITH_SUPPORT, then=Value(1)),
        default=Value(2),
    )
    open_deadline = Case(When(status__in=Claim.OPEN_STATUSES, then=F("seller_deadline")))
    return (
        _seller_claims_base(user).filter(DASHBOARD_FILTERS.get(kind, Q()))
        .select_related("order", "buyer")
        .annotate(rank=rank, open_deadline=open_deadline)
        .order_by("rank", "open_deadline", F("closed_at").desc(nulls_last=True), "-id")
    )


def seller_claim_counts(user) -> dict[str, int]:
    """How many of the seller's claims each filter holds, in one query."""
    return _seller_claims_base(user).aggregate(
        **{kind.value: Count("pk", filter=condition) for kind, condition in DASHBOARD_FILTERS.items()}
    )


def seller_order_threads(user):
    """The seller's orders that have messages, latest message first, with the messages loaded."""
    return (
        Order.objects.filter(seller__user=user)
        .annotate(last_message_at=Max("messages__created_at"),
                  unread=Count("messages", filter=Q(messages__read_at__isnull=True, messages__author=F("buyer"))))
        .filter(last_message_at__isnull=False)
        .select_related("buyer", "seller")
        .prefetch_related(Prefetch("messages", queryset=OrderMessage.objects.order_by("created_at", "id")))
        .order_by("-last_message_at", "-id")
    )


def unread_order_messages_for_seller(user) -> int:
    """Buyer messages on the seller's orders that the seller has not seen yet."""
    return OrderMessage.objects.filter(order__seller__user=user, read_at__isnull=True, author=F("order__buyer")).count()
