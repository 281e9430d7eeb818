"""Reads on claims, always scoped to the user who asks, so a missing filter cannot leak."""
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from orders.models import Order, OrderLine, OrderMessage, SellerProfile
from rakuten_portal.agents import is_agent
from rakuten_portal.dates import date_text
from rakuten_portal.paths import row_path
from rakuten_portal.prepared_queries import Prepared, PreparedSQL, PreparedUnion
from rakuten_portal.request_ids import parse_id

from .eligibility import claim_eligibility
from .models import Attachment, Claim, ClaimEvent, ClaimMessage, Proposal


def claims_visible_to(user):
    """Claims the user may open: as buyer, as seller, or all for an agent."""
    if not user.is_authenticated:
        return Claim.objects.none()
    if is_agent(user):
        return Claim.objects.all()
    return Claim.objects.filter(Q(buyer=user) | Q(seller__user=user))


def _visible_claim(queryset, claim_id):
    return (queryset.select_related("order", "buyer", "seller__user", "assigned_to").filter(pk=claim_id)
            .order_by("pk")[:1])


# The claim page's queries, compiled once (rakuten_portal/prepared_queries.py): the same SQL for every claim.
_AGENT_CLAIM = Prepared(lambda claim_id: _visible_claim(Claim.objects.all(), claim_id))
_PARTY_CLAIM = Prepared(lambda claim_id, user_id: _visible_claim(
    Claim.objects.filter(Q(buyer_id=user_id) | Q(seller__user_id=user_id)), claim_id))
# The claim page's steps, proposals, files, items and thread in one round trip (with and without the internal notes).
_PAGE_PARTS = {
    "events": lambda claim_id: ClaimEvent.objects.filter(claim_id=claim_id).order_by("at", "id"),
    "proposals": lambda claim_id: Proposal.objects.filter(claim_id=claim_id).order_by("-created_at", "-id"),
    "files": lambda claim_id: Attachment.objects.filter(claim_id=claim_id).order_by("created_at", "id"),
    "items": lambda claim_id: OrderLine.objects.filter(claims__id=claim_id).order_by("id"),
}
_AGENT_PAGE = PreparedUnion(**_PAGE_PARTS, thread=lambda claim_id: ClaimMessage.objects.filter(
    claim_id=claim_id).order_by("created_at", "id"))
_PARTY_PAGE = PreparedUnion(**_PAGE_PARTS, thread=lambda claim_id: ClaimMessage.objects.filter(
    claim_id=claim_id, internal=False).order_by("created_at", "id"))


def access_claim(user, claim_id) -> Claim:
    """The claim if the user may see it, else 404 (never 403: it would confirm it exists).

    `claims_visible_to(user)` as one compiled query: all claims for an agent, else the user's as buyer or seller."""
    claim_id = parse_id(claim_id)
    if not user.is_authenticated or not claim_id:
        raise Http404
    found = _AGENT_CLAIM(claim_id=claim_id) if is_agent(user) else _PARTY_CLAIM(claim_id=claim_id, user_id=user.pk)
    if not found:
        raise Http404
    return found[0]


def order_claim_context(*, order, user, now) -> dict:
    """What the order page shows about claims: the claims on it and whether (and when) one may be filed."""
    claims = list(Claim.objects.filter(order=order).order_by("-opened_at"))
    if claims:
        # Each row's URL and "ouverte le …" written once here, not a {% url %} and a translation block a row.
        opened = gettext("ouverte le %(date)s")
        claim_path = row_path("claims:detail")
        for claim in claims:
            claim.row_url = claim_path(claim.pk)
            claim.opened_label = mark_safe(opened % {"date": conditional_escape(  # noqa: S308 — the date escaped
                date_text(timezone.localtime(claim.opened_at), "DATE_FORMAT"))})
    open_claim = next((claim for claim in claims if claim.is_open), None)
    eligibility = claim_eligibility(order=order, user=user, now=now, open_claim_exists=open_claim is not None)
    return {"claims": claims, "open_claim": open_claim, "eligibility": eligibility}


def claim_page_rows(claim: Claim, user) -> dict:
    """What the claim page lists, in one query: its steps ("events"), proposals, thread (internal notes only
    for agents), items and the opening photos ("opening_photos"); each file handed to its message or proposal
    as `.files`. Authors and actors are named from their ids and the claim's parties: no user row is read."""
    rows = (_AGENT_PAGE if is_agent(user) else _PARTY_PAGE)(claim_id=claim.pk)
    rows["opening_photos"] = claim_files(claim, messages=rows["thread"], proposals=rows["proposals"],
                                         attachments=rows.pop("files"))
    return rows


def claim_files(claim: Claim, *, messages, proposals, attachments) -> list[Attachment]:
    """The claim's files (`attachments`), each handed to its message or proposal as `.files`; the opening
    photos (on neither) are returned. Files of messages the user does not see (internal notes) are
    dropped."""
    by_message = {message.pk: message for message in messages}
    by_proposal = {proposal.pk: proposal for proposal in proposals}
    for owner in (*messages, *proposals):
        owner.files = []
    opening = []
    for attachment in attachments:
        if attachment.message_id is not None:
            if attachment.message_id in by_message:
                by_message[attachment.message_id].files.append(attachment)
        elif attachment.proposal_id is not None:
            if attachment.proposal_id in by_proposal:
                by_proposal[attachment.proposal_id].files.append(attachment)
        else:
            opening.append(attachment)
    return opening


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
_WITH_SELLER, _WITH_SUPPORT, _CLOSED = 0, 1, 2  # Claim.dashboard_rank
DASHBOARD_FILTERS = {
    DashboardFilter.ALL: Q(),
    DashboardFilter.TO_ANSWER: Q(dashboard_rank=_WITH_SELLER, has_pending=False),
    DashboardFilter.WAITING_BUYER: Q(dashboard_rank=_WITH_SELLER, has_pending=True),
    DashboardFilter.WITH_SUPPORT: Q(dashboard_rank=_WITH_SUPPORT),
    DashboardFilter.CLOSED: Q(dashboard_rank=_CLOSED),
}
# The order of the seller space, served by the index claim_seller_sort_idx.
# (Closed claims always have closed_at and open ones never, so no NULLS LAST is needed, which SQLite's
# indexes could not hold.)
DASHBOARD_ORDER = ("dashboard_rank", "open_deadline", "-closed_at", "-id")
# The counts look at the first rows in that order only, so their cost does not grow with a seller's history:
# the open claims (first in the order) are counted exactly, the closed ones up to the cap ("2000+").
COUNT_CAP = 2000


def _seller_claims_base(user):
    # A subquery (an InitPlan on PostgreSQL): the claims are then read by seller id from their own index,
    # never joined to the seller profiles or the orders before the sort.
    seller_id = SellerProfile.objects.filter(user=user).values("pk")[:1]
    return Claim.objects.filter(seller_id=Subquery(seller_id))


def seller_claims(user, *, kind: str = DashboardFilter.ALL, seller_id: int | None = None):
    """Claims on the seller's sales: those still with the seller by soonest deadline, then support's, then closed.

    The queryset holds the claims alone (sorted and limited on their index); `seller_claim_rows` loads a page.
    With the seller's profile id already known (the Espace vendeur), it is used instead of the user's subquery."""
    condition = DASHBOARD_FILTERS.get(kind, Q())
    queryset = Claim.objects.filter(seller_id=seller_id) if seller_id is not None else _seller_claims_base(user)
    if kind in (DashboardFilter.TO_ANSWER, DashboardFilter.WAITING_BUYER):
        queryset = queryset.annotate(has_pending=_PENDING)
    return queryset.filter(condition).order_by(*DASHBOARD_ORDER)


class DashboardRow:
    """What one row of the Espace vendeur shows, read as plain values (no model instances for a list of 20)."""

    __slots__ = ("pk", "reason", "status", "has_guarantee", "opened_at", "seller_deadline", "order_number",
                 "buyer_first_name", "buyer_username", "has_pending")
    FIELDS = ("pk", "reason", "status", "has_guarantee", "opened_at", "seller_deadline", "order__number",
              "buyer__first_name", "buyer__username", "has_pending")

    def __init__(self, values):
        for name, value in zip(self.__slots__, values):
            setattr(self, name, value)

    @property
    def is_with_seller(self) -> bool:
        return self.status == Claim.Status.WITH_SELLER


def seller_claim_rows(page_ids) -> list[DashboardRow]:
    """The claims of one page, in the dashboard's order, with their order number, buyer and pending proposal:
    one query, `page_ids` (the page's sliced ids queryset) as its subquery."""
    rows = (Claim.objects.filter(pk__in=page_ids).annotate(has_pending=_PENDING).order_by(*DASHBOARD_ORDER)
            .values_list(*DashboardRow.FIELDS))
    return [DashboardRow(values) for values in rows]


class ClaimCounts(dict):
    """Claims per dashboard filter; `capped` holds the filters whose count stopped at COUNT_CAP."""

    def __init__(self, counts, capped=frozenset()):
        super().__init__(counts)
        self.capped = frozenset(capped)

    def label(self, kind: str) -> str:
        return f"{self[kind]}+" if kind in self.capped else str(self[kind])


def _first_claims(claims):
    # Whether a proposal is pending matters only while the claim is with the seller; CASE spares the others.
    pending = Case(When(dashboard_rank=_WITH_SELLER, then=_PENDING), default=Value(False))
    return (claims.order_by(*DASHBOARD_ORDER).annotate(has_pending=pending)
            .values_list("dashboard_rank", "has_pending")[: COUNT_CAP + 1])


_FIRST_CLAIMS_OF_SELLER = PreparedSQL(lambda seller_id: _first_claims(Claim.objects.filter(seller_id=seller_id)))


_FIRST_CLAIMS_OF_USER = PreparedSQL(lambda user_id: _first_claims(_seller_claims_base(user_id)))


def seller_claim_counts(user, *, seller_id: int | None = None) -> ClaimCounts:
    """How many of the seller's claims each filter holds: one query over at most COUNT_CAP + 1 rows, read in the
    dashboard's order from its index and aggregated in place (never joined back to the whole table).

    Its SQL is the same for every seller but the id: built once per cap (rakuten_portal/prepared_queries.py)."""
    if seller_id is not None:
        inner, params = _FIRST_CLAIMS_OF_SELLER(variant=COUNT_CAP, seller_id=seller_id)
    else:
        inner, params = _FIRST_CLAIMS_OF_USER(variant=COUNT_CAP, user_id=user.pk)
    sql = ("SELECT COUNT(*), MAX(dashboard_rank),"
           f" COUNT(CASE WHEN dashboard_rank = {_WITH_SELLER} THEN 1 END),"
           f" COUNT(CASE WHEN dashboard_rank = {_WITH_SELLER} AND has_pending THEN 1 END),"
           f" COUNT(CASE WHEN dashboard_rank = {_WITH_SUPPORT} THEN 1 END),"
           f" COUNT(CASE WHEN dashboard_rank = {_CLOSED} THEN 1 END)"
           f" FROM ({inner}) first_claims")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        total, last_rank, with_seller, waiting, with_support, closed = cursor.fetchone()
    counts = {
        DashboardFilter.ALL.value: total,
        DashboardFilter.TO_ANSWER.value: with_seller - waiting,
        DashboardFilter.WAITING_BUYER.value: waiting,
        DashboardFilter.WITH_SUPPORT.value: with_support,
        DashboardFilter.CLOSED.value: closed,
    }
    capped = set()
    if total > COUNT_CAP:
        # The scan stopped inside the last rank it reached: that rank and those after it hold at least their count.
        rank_filters = {_WITH_SELLER: (DashboardFilter.TO_ANSWER, DashboardFilter.WAITING_BUYER),
                        _WITH_SUPPORT: (DashboardFilter.WITH_SUPPORT,), _CLOSED: (DashboardFilter.CLOSED,)}
        capped = {DashboardFilter.ALL.value} | {kind.value for rank, kinds in rank_filters.items()
                                                if rank >= last_rank for kind in kinds}
        counts[DashboardFilter.ALL.value] = COUNT_CAP  # "2000+": the pages reach the first COUNT_CAP claims
    return ClaimCounts({kind.value: counts[kind.value] for kind in DashboardFilter}, capped)


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


def claims_of_buyer(user):
    """The buyer's claims, newest first, with what the "Mes réclamations" list shows, in one query."""
    return (
        Claim.objects.filter(buyer=user)
        .select_related("order", "seller", "item_return")
        .annotate(has_pending=_PENDING)
        .order_by("-opened_at", "-id")
    )


def claim_next_step(claim: Claim, now) -> dict:
    """The next step of a claim for its buyer: words, the date it is due, and whether it waits for them."""
    from .appeals import appeal_deadline

    item_return = getattr(claim, "item_return", None) if claim.is_returning else None
    if claim.is_with_seller and claim.has_pending:
        return {"text": _("Répondez à la proposition du vendeur"), "at": claim.seller_deadline, "yours": True}
    if claim.is_with_seller:
        return {"text": _("Le vendeur doit proposer une solution"), "at": claim.seller_deadline, "yours": False}
    if item_return is not None and item_return.shipped_at is None:
        return {"text": _("Expédiez le retour de l'article"), "at": item_return.ship_by, "yours": True}
    if item_return is not None and item_return.received_at is None:
        return {"text": _("Le vendeur confirme la réception du retour"), "at": item_return.confirm_by, "yours": False}
    if item_return is not None:
        return {"text": _("Le vendeur expédie l'article de remplacement"), "at": None, "yours": False}
    if claim.is_with_support:
        return {"text": _("Le service client Rakuten étudie le dossier"), "at": None, "yours": False}
    deadline = appeal_deadline(claim)
    if deadline is not None and not claim.is_appealed and now <= deadline:
        return {"text": _("Décision rendue : contestable une fois"), "at": deadline, "yours": False}
    return {"text": _("Réclamation terminée"), "at": None, "yours": False}
