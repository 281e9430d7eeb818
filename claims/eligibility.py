"""Whether a user may file a claim on an order, and for which reasons: one answer for the page, the wizard and the submit.

Eligibility follows the parcel (issue 9, item 2), decided as follows:
- "damaged", "different" and "counterfeit" need an order that has shipped: before that the buyer cannot judge
  an item they have not received, and the order page says so (the tracking timeline gives the shipping date).
- "not received" keeps its rule: from the CLAIM_NOT_RECEIVED_AFTER_DAYS-th day after the order. Once the carrier
  marked the order delivered, it needs the buyer's sworn statement ("je certifie ne pas avoir reçu ce colis",
  a checkbox in the wizard, checked again on submit), and it is refused once more than
  CLAIM_NOT_RECEIVED_AFTER_DELIVERY_DAYS days have passed since the delivery: the buyer then contacts support.
- "other" (surtax, missing items…) is always possible while the sale is open.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

from orders.models import Order

from .business_days import PARIS, start_of_day
from .models import Claim


# Reasons about the item itself: the buyer must have it (or at least it must have left the seller).
NEEDS_SHIPMENT = (Claim.Reason.DAMAGED, Claim.Reason.DIFFERENT, Claim.Reason.COUNTERFEIT)


@dataclass(frozen=True)
class ReasonWindow:
    reason: str
    allowed: bool
    message: str = ""
    available_from: date | None = None
    # "Not received" on an order the carrier says was delivered: the wizard asks for a sworn statement.
    sworn_statement: bool = False


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    message: str = ""
    reasons: dict[str, ReasonWindow] = field(default_factory=dict)

    def allows(self, reason: str) -> bool:
        """True if a claim for this reason may be filed now."""
        window = self.reasons.get(reason)
        return self.allowed and window is not None and window.allowed

    @property
    def blocked_reasons(self):
        return [window for window in self.reasons.values() if not window.allowed]

    @property
    def notices(self):
        """The distinct messages of the reasons (blocked, or asking a statement), once each, for the order page."""
        seen = {}
        for window in self.reasons.values():
            if window.message and (not window.allowed or window.sworn_statement):
                seen.setdefault(window.message, window)
        return list(seen.values())


def not_received_from(order: Order) -> date:
    """The first day a "not received" claim may be filed: the 17th day after the order, Paris time."""
    return order.purchased_at.astimezone(PARIS).date() + timedelta(days=settings.CLAIM_NOT_RECEIVED_AFTER_DAYS)


def claim_eligibility(*, order: Order, user, now: datetime, open_claim_exists: bool | None = None) -> Eligibility:
    """Decide whether `user` may claim `order` at `now`, with a message saying why not and from when."""
    if not user.is_authenticated or order.buyer_id != user.pk:
        return Eligibility(False, _("Seul l'acheteur de cette commande peut faire une réclamation."))
    if order.is_cancelled:
        return Eligibility(False, _("Cette commande a été annulée : aucune réclamation n'est possible."))
    if order.is_finalized or now >= order.sale_closes_at:
        closed_on = formats.date_format(order.sale_closes_at.astimezone(PARIS).date(), "DATE_FORMAT")
        return Eligibility(False, _(
            "La vente a été finalisée le %(date)s, %(weeks)s semaines après l'achat : il n'est plus possible de "
            "faire une réclamation."
        ) % {"date": closed_on, "weeks": settings.SALE_CLOSES_AFTER_WEEKS})
    if open_claim_exists is None:
        open_claim_exists = Claim.objects.filter(order=order, status__in=Claim.OPEN_STATUSES).exists()
    if open_claim_exists:
        return Eligibility(False, _("Une réclamation est déjà en cours pour cette commande."))

    reasons = {reason: ReasonWindow(reason, True) for reason in Claim.Reason.values}
    from_day = not_received_from(order)
    if now < start_of_day(from_day):
        reasons[Claim.Reason.NOT_RECEIVED] = ReasonWindow(
            Claim.Reason.NOT_RECEIVED, False,
            _("Vous pourrez signaler un colis non reçu à partir du %(date)s. D'ici là, contactez le vendeur.")
            % {"date": formats.date_format(from_day, "DATE_FORMAT")},
            from_day,
        )
    if order.shipped_at is None and order.status == Order.Status.PLACED:
        for reason in NEEDS_SHIPMENT:
            reasons[reason] = ReasonWindow(reason, False, _(
                "La commande n'a pas encore été expédiée : vous pourrez signaler ce problème une fois l'article "
                "reçu. D'ici là, vous pouvez écrire au vendeur."))
    if order.delivered_at is not None and reasons[Claim.Reason.NOT_RECEIVED].allowed:
        delivered_on = order.delivered_at.astimezone(PARIS).date()
        refused_from = start_of_day(delivered_on + timedelta(days=settings.CLAIM_NOT_RECEIVED_AFTER_DELIVERY_DAYS + 1))
        if now >= refused_from:
            reasons[Claim.Reason.NOT_RECEIVED] = ReasonWindow(Claim.Reason.NOT_RECEIVED, False, _(
                "Le transporteur indique que le colis a été livré le %(date)s, il y a plus de %(days)s jours : "
                "contactez le service client si vous ne l'avez pas reçu.") % {
                "date": formats.date_format(delivered_on, "DATE_FORMAT"),
                "days": settings.CLAIM_NOT_RECEIVED_AFTER_DELIVERY_DAYS})
        else:
            reasons[Claim.Reason.NOT_RECEIVED] = ReasonWindow(Claim.Reason.NOT_RECEIVED, True, _(
                "Le transporteur indique que le colis a été livré le %(date)s : il vous sera demandé de certifier "
                "ne pas l'avoir reçu.") % {"date": formats.date_format(delivered_on, "DATE_FORMAT")},
                sworn_statement=True)
    return Eligibility(True, "", reasons)

