"""Whether a user may file a claim on an order, and for which reasons: one answer for the page, the wizard and the submit."""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

from orders.models import Order

from .business_days import PARIS, start_of_day
from .models import Claim


@dataclass(frozen=True)
class ReasonWindow:
    reason: str
    allowed: bool
    message: str = ""
    available_from: date | None = None


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
    return Eligibility(True, "", reasons)
