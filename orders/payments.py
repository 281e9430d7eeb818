"""Refunds: created by the claims domain, executed through one small payment-provider interface.

A refund to the porte-monnaie is credited at once, in the transaction that creates it. A refund to the card is
handed to the provider by a task after commit (and by the sweep if the broker was down or the provider failed);
every attempt carries the refund's idempotency key, so a retry never pays twice. The built-in "manual" provider
pays nothing itself: the refund waits for an agent, who marks it paid in the admin with the bank's reference.
"""
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from rakuten_portal.formatting import money

from .models import Order, Payout, Refund
from .payout_totals import payout_totals_changed
from .wallet import wallet_credit_refund

logger = logging.getLogger(__name__)

RETRY_BACKOFF = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=6)


class RefundError(Exception):
    """A refund that cannot be made (amount, destination, status); the message is for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


@dataclass(frozen=True)
class ProviderResult:
    """What the provider answered: paid (with its reference), or waiting for someone to pay it by hand."""

    paid: bool
    reference: str = ""


class RefundProvider:
    """The interface: refund `amount` for an order, at most once per idempotency key. Raise on failure."""

    name = ""

    def refund(self, *, idempotency_key: str, amount: Decimal, order_number: str) -> ProviderResult:
        raise NotImplementedError


class ManualProvider(RefundProvider):
    """The built-in provider: nothing is sent; an agent makes the transfer and marks the refund paid."""

    name = "manual"

    def refund(self, *, idempotency_key: str, amount: Decimal, order_number: str) -> ProviderResult:
        return ProviderResult(paid=False)


PROVIDERS: dict[str, type[RefundProvider]] = {"manual": ManualProvider}


def refund_provider() -> RefundProvider:
    """The provider named by the REFUND_PROVIDER setting."""
    return PROVIDERS[settings.REFUND_PROVIDER]()


def refunded_total(order: Order) -> Decimal:
    """What has already been refunded (or is being refunded) on the order."""
    total = Refund.objects.filter(order=order).aggregate(total=Sum("amount"))["total"]
    return total if total is not None else Decimal("0.00")


def refundable_remainder(order: Order) -> Decimal:
    """The order's total less every refund already made on it."""
    return order.total - refunded_total(order)


def card_refundable(order: Order) -> Decimal:
    """How much can still go back to the card: the part paid by card, less earlier card refunds."""
    card_refunds = Refund.objects.filter(order=order, destination=Refund.Destination.CARD).aggregate(
        total=Sum("amount"))["total"] or Decimal("0.00")
    return max(order.card_amount - card_refunds, Decimal("0.00"))


def refund_destinations(order: Order, amount: Decimal) -> list[str]:
    """Where a refund of `amount` may go: the card when the card part covers it, the porte-monnaie always."""
    destinations = [Refund.Destination.WALLET]
    if amount <= card_refundable(order):
        destinations.insert(0, Refund.Destination.CARD)
    return destinations


def default_destination(order: Order, amount: Decimal) -> str:
    """The original payment method when it can take the refund, else the porte-monnaie."""
    return refund_destinations(order, amount)[0]


def _tell_claim(refund: Refund, *, kind: str, now: datetime, actor=None, notify_kind: str | None = None) -> None:
    """The refund's step on its claim's timeline (and a notice to the buyer); nothing for a refund without claim."""
    if not refund.claim_id:
        return
    # Imported here: the claims app builds on orders, not the other way round.
    from claims.models import ClaimEvent
    from claims.notifications import notify

    ClaimEvent.objects.create(claim_id=refund.claim_id, kind=kind, at=now, actor=actor, automatic=actor is None,
                              detail=refund_summary(refund))
    if notify_kind:
        notify(recipients=[refund.buyer], kind=notify_kind, claim=refund.claim, now=now)


def refund_summary(refund: Refund) -> str:
    """One line for the timeline: amount and destination."""
    amount = money(refund.amount)
    if refund.to_wallet:
        return _("%(amount)s sur le porte-monnaie") % {"amount": amount}
    return _("%(amount)s sur le moyen de paiement d'origine") % {"amount": amount}


def refund_create(*, order: Order, amount: Decimal, destination: str, now: datetime, claim=None) -> Refund:
    """Record a refund on the order (within what remains of its total) and lower the seller's payout.

    Called inside the claims act that decides it, so the act and its refund commit together. A refund to the
    porte-monnaie is credited at once; one to the card is handed to the provider after commit.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("refund_create runs inside the act's transaction")
    # The order's lock serialises refunds on one order, so two of them cannot both fit the same remainder.
    order = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
    if amount is None or amount <= 0:
        raise RefundError(_("Le montant du remboursement doit être supérieur à 0."))
    remainder = refundable_remainder(order)
    if amount > remainder:
        raise RefundError(_(
            "Le montant dépasse ce qui reste à rembourser sur cette commande : au plus %(remainder)s."
        ) % {"remainder": money(remainder)})
    if destination not in refund_destinations(order, amount):
        raise RefundError(_("Ce remboursement ne peut pas être fait sur ce moyen de paiement."))
    refund = Refund.objects.create(
        order=order, claim=claim, buyer_id=order.buyer_id, amount=amount, destination=destination, created_at=now,
        next_attempt_at=None if destination == Refund.Destination.WALLET else now,
    )
    # A payout already paid is not clawed back here: a claim open on the order holds it until the end.
    Payout.objects.filter(order=order, status__in=[Payout.Status.HELD, Payout.Status.TO_PAY]).update(
        amount=max(remainder - amount, Decimal("0.00")))
    payout_totals_changed([order.seller_id])
    from claims.models import ClaimEvent

    _tell_claim(refund, kind=ClaimEvent.Kind.REFUND, now=now)
    if refund.to_wallet:
        _pay(refund, reference="", now=now, paid_by=None)
    else:
        transaction.on_commit(lambda: enqueue_refund(refund.pk))
    return refund


def enqueue_refund(refund_id: int) -> None:
    """Hand a card refund to a worker by task name; if the broker is down the sweep retries it."""
    from rakuten_portal import queue

    if not queue.publish("orders.execute_refund", refund_id):
        logger.warning("Broker unavailable: refund %s left for the sweep", refund_id)


def _pay(refund: Refund, *, reference: str, now: datetime, paid_by) -> bool:
    """Mark the refund paid once (compare-and-set), credit the porte-monnaie if it goes there, tell the buyer."""
    changed = Refund.objects.filter(pk=refund.pk, status=Refund.Status.TO_PAY).update(
        status=Refund.Status.PAID, paid_at=now, provider_reference=reference, paid_by=paid_by, next_attempt_at=None)
    if not changed:
        return False
    refund.status, refund.paid_at, refund.provider_reference = Refund.Status.PAID, now, reference
    if refund.to_wallet:
        wallet_credit_refund(refund=refund, now=now)
    from claims.models import ClaimEvent, Notification

    _tell_claim(refund, kind=ClaimEvent.Kind.REFUND_PAID, now=now, actor=paid_by,
                notify_kind=Notification.Kind.REFUND_PAID)
    return True


def refund_execute(*, refund_id: int, now: datetime) -> bool:
    """Ask the provider to pay a card refund (or credit the porte-monnaie); True once it is paid.

    Safe to run twice or at once in two workers: the row is locked, a paid refund is left alone, and the
    provider receives the same idempotency key on every attempt. A provider's failure is committed on the row
    (attempts, next try) and then raised, so that the task retries too.
    """
    with transaction.atomic():
        refund = (Refund.objects.select_for_update(of=("self",), skip_locked=True).select_related("buyer", "claim", "order")
                  .filter(pk=refund_id, status=Refund.Status.TO_PAY).first())
        if refund is None:
            return False
        if refund.to_wallet:
            return _pay(refund, reference="", now=now, paid_by=None)
        provider = refund_provider()
        attempts = refund.attempts + 1
        try:
            result = provider.refund(idempotency_key=str(refund.idempotency_key), amount=refund.amount,
                                     order_number=refund.order.number)
        except Exception as error:  # noqa: BLE001 — the provider's failure is recorded; the sweep retries later
            backoff = min(RETRY_BACKOFF * 2 ** (attempts - 1), MAX_BACKOFF)
            Refund.objects.filter(pk=refund.pk).update(attempts=attempts, last_error=str(error)[:500],
                                                       provider=provider.name, next_attempt_at=now + backoff)
            logger.warning("Refund %s: provider %s failed (attempt %s)", refund.pk, provider.name, attempts)
            failure = error
        else:
            failure = None
            if not result.paid:
                # Waiting for an agent: the sweep stops retrying it.
                Refund.objects.filter(pk=refund.pk).update(attempts=attempts, provider=provider.name,
                                                           next_attempt_at=None)
                return False
            Refund.objects.filter(pk=refund.pk).update(attempts=attempts, provider=provider.name)
            return _pay(refund, reference=result.reference, now=now, paid_by=None)
    raise failure


def refund_mark_paid(*, refund_id: int, agent, reference: str, now: datetime) -> Refund:
    """An agent records that a card refund was paid by hand (the bank's reference); the buyer is told."""
    from rakuten_portal.agents import is_agent

    if not is_agent(agent):
        raise RefundError(_("Seuls les conseillers peuvent marquer un remboursement comme effectué."))
    if not reference.strip():
        raise RefundError(_("Indiquez la référence du virement ou de l'opération."))
    with transaction.atomic():
        refund = Refund.objects.select_for_update(of=("self",)).select_related("buyer", "claim").filter(pk=refund_id).first()
        if refund is None:
            raise RefundError(_("Ce remboursement n'existe pas."))
        if refund.is_paid:
            raise RefundError(_("Ce remboursement est déjà effectué."))
        _pay(refund, reference=reference.strip()[:80], now=now, paid_by=agent)
    return refund


def refunds_retry_due(*, now: datetime, batch_size: int = 200) -> int:
    """The sweep's step: card refunds whose task never ran or whose provider failed, tried again."""
    ids = list(Refund.objects.filter(status=Refund.Status.TO_PAY, next_attempt_at__lte=now)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:batch_size])
    paid = 0
    for refund_id in ids:
        try:
            paid += refund_execute(refund_id=refund_id, now=now)
        except Exception:  # noqa: BLE001 — recorded on the row with its next attempt
            continue
    return paid
