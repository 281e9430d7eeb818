"""Returns: the item goes back to the seller after an accepted return-then-refund or exchange.

Accepting such a proposal (domain.claim_accept) opens the return: the buyer has CLAIM_RETURN_SHIP_BUSINESS_DAYS
to ship it (reminded when the last business day begins, the claim closed for lack of return after); once shipped,
the seller has CLAIM_RETURN_CONFIRM_BUSINESS_DAYS (from the shipment, transit included: the portal does not follow
the return's parcel) to confirm receipt, or support takes over. On receipt the refund is made (return then refund)
or the seller ships the replacement (exchange), and the claim is settled. The sweep's steps are compare-and-set on
rows taken with skip_locked, like claims/batch_acts.py.
"""
import re
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from orders.models import Refund

from .business_days import business_deadline, reminder_time
from .durations import ending_fields
from .domain import (  # noqa: F401 — return_open is the returns' first step, kept in the domain's accept
    ClaimActionError,
    Status,
    _create_refund,
    _event,
    _locked,
    _move,
    _require_role,
    parties,
    return_open,
)
from .models import Claim, ClaimEvent, ClaimMessage, Notification, Proposal, Return
from .notifications import notify

CARRIER_MAX = 60
TRACKING_MAX = 60
# Letters, digits, spaces and the separators carriers print; nothing that could be markup.
TRACKING_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/-]*$")


def _locked_return(claim: Claim) -> Return:
    item_return = Return.objects.select_for_update().select_related("proposal").filter(claim=claim).first()
    if item_return is None or not claim.is_returning:
        raise ClaimActionError(_("Aucun retour n'est en cours pour cette réclamation."))
    return item_return


def clean_tracking(carrier: str, tracking_number: str) -> tuple[str, str]:
    """The carrier and tracking number, trimmed and checked; a clear message otherwise."""
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if not carrier or not tracking_number:
        raise ClaimActionError(_("Indiquez le transporteur et le numéro de suivi."))
    if len(carrier) > CARRIER_MAX:
        raise ClaimActionError(_("Le nom du transporteur est trop long (%(max)s caractères au plus).")
                               % {"max": CARRIER_MAX})
    if len(tracking_number) > TRACKING_MAX or not TRACKING_PATTERN.match(tracking_number):
        raise ClaimActionError(_("Le numéro de suivi doit faire au plus %(max)s caractères : lettres, chiffres, "
                                 "espaces, points, tirets.") % {"max": TRACKING_MAX})
    return carrier, tracking_number


@transaction.atomic
def return_ship(*, claim_id: int, buyer, carrier: str, tracking_number: str, now: datetime) -> Return:
    """The buyer gives the return's carrier and tracking number; the seller's time to confirm receipt starts."""
    claim = _locked(claim_id)
    _require_role(claim, buyer, ClaimMessage.Role.BUYER)
    item_return = _locked_return(claim)
    if item_return.shipped_at is not None:
        raise ClaimActionError(_("Le retour est déjà indiqué comme expédié."))
    carrier, tracking_number = clean_tracking(carrier, tracking_number)
    confirm_by = business_deadline(now, settings.CLAIM_RETURN_CONFIRM_BUSINESS_DAYS)
    Return.objects.filter(pk=item_return.pk, shipped_at__isnull=True).update(
        carrier=carrier, tracking_number=tracking_number, shipped_at=now, confirm_by=confirm_by)
    item_return.refresh_from_db()
    _event(claim, ClaimEvent.Kind.RETURN_SHIPPED, now=now, actor=buyer,
           detail=f"{carrier} {tracking_number}")
    notify(recipients=[claim.seller.user], kind=Notification.Kind.RETURN_SHIPPED, claim=claim, now=now)
    return item_return


@transaction.atomic
def return_confirm_receipt(*, claim_id: int, user, now: datetime) -> Claim:
    """The seller (or support) confirms the return arrived: the refund is made, or the replacement awaited."""
    claim = _locked(claim_id)
    _require_role(claim, user, ClaimMessage.Role.SELLER, ClaimMessage.Role.SUPPORT)
    item_return = _locked_return(claim)
    if item_return.shipped_at is None:
        raise ClaimActionError(_("L'acheteur n'a pas encore indiqué l'expédition du retour."))
    if item_return.received_at is not None:
        raise ClaimActionError(_("La réception du retour est déjà confirmée."))
    Return.objects.filter(pk=item_return.pk, received_at__isnull=True).update(received_at=now, received_by=user)
    _event(claim, ClaimEvent.Kind.RETURN_RECEIVED, now=now, actor=user)
    if item_return.is_exchange:
        notify(recipients=[claim.buyer], kind=Notification.Kind.RETURN_RECEIVED, claim=claim, now=now)
        return claim
    _move(claim, Status.SETTLED, closed_at=now)
    _create_refund(claim, amount=item_return.proposal.amount, destination=item_return.refund_to or None, now=now)
    notify(recipients=parties(claim), kind=Notification.Kind.RETURN_RECEIVED, claim=claim, now=now)
    return claim


@transaction.atomic
def return_ship_replacement(*, claim_id: int, seller_user, carrier: str, tracking_number: str,
                            now: datetime) -> Claim:
    """For an exchange, the seller ships the new item once the return arrived: the claim is settled."""
    claim = _locked(claim_id)
    _require_role(claim, seller_user, ClaimMessage.Role.SELLER)
    item_return = _locked_return(claim)
    if not item_return.is_exchange:
        raise ClaimActionError(_("Seul un échange donne lieu à l'envoi d'un article de remplacement."))
    if item_return.received_at is None:
        raise ClaimActionError(_("Confirmez d'abord la réception de l'article retourné."))
    carrier, tracking_number = clean_tracking(carrier, tracking_number)
    Return.objects.filter(pk=item_return.pk).update(replacement_carrier=carrier, replacement_tracking=tracking_number,
                                                    replacement_shipped_at=now)
    _move(claim, Status.SETTLED, closed_at=now)
    _event(claim, ClaimEvent.Kind.REPLACEMENT_SENT, now=now, actor=seller_user, detail=f"{carrier} {tracking_number}")
    notify(recipients=[claim.buyer], kind=Notification.Kind.REPLACEMENT_SENT, claim=claim, now=now)
    return claim


# --- the sweep's steps --------------------------------------------------------------------------------------------

def _due(queryset, batch_size: int) -> list[int]:
    return list(queryset.select_for_update(skip_locked=True, of=("self",)).values_list("claim_id", flat=True)[:batch_size])


def returns_remind_due(*, now: datetime, batch_size: int = 500) -> list[int]:
    """Remind once the buyers whose return must ship by the end of today; the claims reminded."""
    with transaction.atomic():
        ids = _due(Return.objects.filter(
            claim__status=Status.RETURNING, shipped_at__isnull=True, reminded_at__isnull=True,
            reminder_at__lte=now, ship_by__gte=now).order_by("reminder_at"), batch_size)
        if not ids:
            return []
        Return.objects.filter(claim_id__in=ids, reminded_at__isnull=True).update(reminded_at=now)
        for claim in Claim.objects.filter(pk__in=ids).select_related("buyer"):
            _event(claim, ClaimEvent.Kind.RETURN_REMINDED, now=now, automatic=True)
            notify(recipients=[claim.buyer], kind=Notification.Kind.RETURN_REMINDER, claim=claim, now=now)
    return ids


def returns_lapse_due(*, now: datetime, batch_size: int = 500) -> list[int]:
    """Close the claims whose return was not shipped in time; the claims closed."""
    with transaction.atomic():
        ids = _due(Return.objects.filter(claim__status=Status.RETURNING, shipped_at__isnull=True, ship_by__lt=now)
                   .order_by("ship_by"), batch_size)
        if not ids:
            return []
        changed = list(Claim.objects.filter(pk__in=ids, status=Status.RETURNING).values_list("pk", "opened_at"))
        # One UPDATE per distinct stored duration (the batch's claims share `now`, so a few values at most).
        by_fields = {}
        for pk, opened_at in changed:
            fields = ending_fields(opened_at=opened_at, taken_over_at=None, closed_at=now, decided=False)
            by_fields.setdefault(tuple(sorted(fields.items())), []).append(pk)
        for fields, pks in by_fields.items():
            Claim.objects.filter(pk__in=pks, status=Status.RETURNING).update(status=Status.RETURN_LAPSED,
                                                                             closed_at=now, **dict(fields))
        changed = [pk for pk, _opened in changed]
        for claim in Claim.objects.filter(pk__in=changed).select_related("buyer", "seller__user"):
            _event(claim, ClaimEvent.Kind.RETURN_LAPSED, now=now, automatic=True,
                   detail=_("L'article n'a pas été renvoyé dans le délai."))
            notify(recipients=parties(claim), kind=Notification.Kind.RETURN_LAPSED, claim=claim, now=now)
    return ids


def returns_take_over_due(*, now: datetime, batch_size: int = 500) -> list[int]:
    """Hand to support the returns shipped but not confirmed (or the exchange not sent) in time; the claims."""
    with transaction.atomic():
        ids = _due(Return.objects.filter(claim__status=Status.RETURNING, shipped_at__isnull=False, confirm_by__lt=now)
                   .order_by("confirm_by"), batch_size)
        if not ids:
            return []
        changed = list(Claim.objects.filter(pk__in=ids, status=Status.RETURNING).values_list("pk", flat=True))
        Claim.objects.filter(pk__in=changed, status=Status.RETURNING).update(status=Status.WITH_SUPPORT,
                                                                             taken_over_at=now)
        for claim in Claim.objects.filter(pk__in=changed).select_related("buyer", "seller__user"):
            _event(claim, ClaimEvent.Kind.TAKEN_OVER, now=now, automatic=True,
                   detail=_("Le vendeur n'a pas confirmé la réception du retour dans le délai."))
            notify(recipients=parties(claim), kind=Notification.Kind.TAKEN_OVER, claim=claim, now=now)
    return ids


def return_refund_destination(claim: Claim) -> str:
    """Where the return's refund will go (for the page)."""
    item_return = getattr(claim, "item_return", None)
    return item_return.refund_to if item_return and item_return.refund_to else Refund.Destination.CARD
