"""Refunds as records: created by the claims acts within the order's remainder, executed once per idempotency key."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from claims import domain
from claims.models import Claim, ClaimEvent, Notification, Proposal
from orders import payments
from orders.models import Order, Payout, Refund, WalletEntry
from orders.payments import ProviderResult, RefundProvider
from orders.wallet import wallet_balance
from tests.factories import StaffFactory, make_claim, make_order

NOW = timezone.now()


def propose(claim, kind, amount=None):
    return domain.claim_propose(claim_id=claim.pk, seller_user=claim.seller.user, kind=kind, amount=amount, now=NOW)


def accept(claim, proposal, refund_to=None):
    return domain.claim_accept(claim_id=claim.pk, proposal_id=proposal.pk, buyer=claim.buyer, now=NOW,
                               refund_to=refund_to)


class FlakyProvider(RefundProvider):
    """Pays on the first call but answers with a timeout, as a real provider may; records payments per key."""

    name = "flaky"
    paid_keys: dict[str, int] = {}
    calls = 0

    def refund(self, *, idempotency_key, amount, order_number):
        type(self).calls += 1
        if idempotency_key not in self.paid_keys:
            self.paid_keys[idempotency_key] = 1
        if type(self).calls == 1:
            raise TimeoutError("provider timed out after paying")
        return ProviderResult(paid=True, reference=f"PSP-{idempotency_key[:8]}")


@pytest.fixture
def flaky(settings, monkeypatch):
    FlakyProvider.paid_keys, FlakyProvider.calls = {}, 0
    monkeypatch.setitem(payments.PROVIDERS, "flaky", FlakyProvider)
    settings.REFUND_PROVIDER = "flaky"
    return FlakyProvider


@pytest.mark.django_db
def test_accepted_partial_refund_to_wallet_is_paid_at_once_and_credited():
    claim = make_claim(now=NOW)
    accept(claim, propose(claim, Proposal.Kind.PARTIAL_REFUND, Decimal("20.00")), refund_to="wallet")
    refund = Refund.objects.get(claim=claim)
    assert (refund.amount, refund.destination, refund.status, refund.paid_at) == (Decimal("20.00"), "wallet", "paid", NOW)
    assert wallet_balance(claim.buyer) == Decimal("20.00")
    kinds = list(claim.events.values_list("kind", flat=True))
    assert ClaimEvent.Kind.REFUND in kinds and ClaimEvent.Kind.REFUND_PAID in kinds
    assert Notification.objects.filter(recipient=claim.buyer, kind=Notification.Kind.REFUND_PAID).count() == 1
    assert Payout.objects.get(order=claim.order).amount == Decimal("30.00")


@pytest.mark.django_db
def test_accepted_full_refund_to_card_waits_for_the_provider():
    claim = make_claim(now=NOW)
    accept(claim, propose(claim, Proposal.Kind.FULL_REFUND), refund_to="card")
    refund = Refund.objects.get(claim=claim)
    assert (refund.amount, refund.destination, refund.status) == (Decimal("50.00"), "card", "to_pay")
    assert payments.refund_execute(refund_id=refund.pk, now=NOW) is False  # manual: waits for an agent
    refund.refresh_from_db()
    assert refund.provider == "manual" and refund.next_attempt_at is None and refund.status == "to_pay"
    assert wallet_balance(claim.buyer) == Decimal("0.00")


@pytest.mark.django_db
def test_default_destination_is_the_card_when_it_can_take_it():
    claim = make_claim(now=NOW)
    accept(claim, propose(claim, Proposal.Kind.FULL_REFUND))
    assert Refund.objects.get(claim=claim).destination == "card"


@pytest.mark.django_db
def test_order_paid_from_the_wallet_is_refunded_to_the_wallet_only():
    order = make_order(now=NOW, payment_method=Order.Payment.WALLET, wallet_amount=Decimal("50.00"))
    claim = make_claim(order=order, now=NOW)
    proposal = propose(claim, Proposal.Kind.FULL_REFUND)
    with pytest.raises(domain.ClaimActionError):
        accept(claim, proposal, refund_to="card")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITH_SELLER and not Refund.objects.exists()
    accept(claim, proposal)
    assert Refund.objects.get(claim=claim).destination == "wallet"


@pytest.mark.django_db
def test_exchange_acceptance_makes_no_refund():
    claim = make_claim(now=NOW)
    accept(claim, propose(claim, Proposal.Kind.EXCHANGE))
    assert not Refund.objects.exists()


@pytest.mark.django_db
def test_agent_full_refund_decision_creates_the_refund_in_the_same_act():
    claim = make_claim(now=NOW)
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.WITH_SUPPORT, taken_over_at=NOW)
    domain.claim_decide(claim_id=claim.pk, agent=StaffFactory(), decision=Claim.Decision.REFUND_FULL,
                        reason="Colis abîmé", now=NOW)
    refund = Refund.objects.get(claim=claim)
    assert refund.amount == Decimal("50.00") and refund.destination == "card"


@pytest.mark.django_db
def test_refund_over_the_remainder_after_earlier_refunds_is_refused_and_nothing_changes():
    claim = make_claim(now=NOW)
    accept(claim, propose(claim, Proposal.Kind.PARTIAL_REFUND, Decimal("30.00")), refund_to="wallet")
    # A later claim on the same order: 20 € remain.
    second = make_claim(order=claim.order, now=NOW + timedelta(days=1))
    with pytest.raises(domain.ClaimActionError) as error:
        propose(second, Proposal.Kind.PARTIAL_REFUND, Decimal("25.00"))
    assert "au plus 20,00\xa0€" in error.value.message
    Claim.objects.filter(pk=second.pk).update(status=Claim.Status.WITH_SUPPORT, taken_over_at=NOW)
    with pytest.raises(domain.ClaimActionError):
        domain.claim_decide(claim_id=second.pk, agent=StaffFactory(), decision=Claim.Decision.REFUND_PARTIAL,
                            reason="x", amount=Decimal("20.01"), now=NOW)
    second.refresh_from_db()
    assert second.status == Claim.Status.WITH_SUPPORT and second.decision == ""
    assert Refund.objects.count() == 1 and not second.proposals.exists()
    domain.claim_decide(claim_id=second.pk, agent=StaffFactory(), decision=Claim.Decision.REFUND_FULL,
                        reason="x", now=NOW)
    assert Refund.objects.get(claim=second).amount == Decimal("20.00")
    assert Payout.objects.get(order=claim.order).amount == Decimal("0.00")


@pytest.mark.django_db
def test_wallet_refund_executed_twice_credits_once():
    order = make_order(now=NOW)
    with transaction.atomic():
        refund = payments.refund_create(order=order, amount=Decimal("12.50"), destination="wallet", now=NOW)
    # A retried task, then the sweep, find it paid: nothing more.
    assert payments.refund_execute(refund_id=refund.pk, now=NOW) is False
    assert payments.refunds_retry_due(now=NOW + timedelta(hours=1)) == 0
    assert WalletEntry.objects.filter(refund=refund).count() == 1
    assert wallet_balance(order.buyer) == Decimal("12.50")


@pytest.mark.django_db
def test_wallet_credit_is_one_line_even_if_called_again():
    from orders.wallet import wallet_credit_refund

    order = make_order(now=NOW)
    with transaction.atomic():
        refund = payments.refund_create(order=order, amount=Decimal("5.00"), destination="wallet", now=NOW)
    first = wallet_credit_refund(refund=refund, now=NOW)
    assert wallet_credit_refund(refund=refund, now=NOW + timedelta(seconds=1)) == first
    assert wallet_balance(order.buyer) == Decimal("5.00")


@pytest.mark.django_db
def test_card_refund_retried_after_a_provider_timeout_pays_once(flaky):
    order = make_order(now=NOW)
    with transaction.atomic():
        refund = payments.refund_create(order=order, amount=Decimal("50.00"), destination="card", now=NOW)
    with pytest.raises(TimeoutError):
        payments.refund_execute(refund_id=refund.pk, now=NOW)
    refund.refresh_from_db()
    assert refund.status == "to_pay" and refund.attempts == 1 and refund.next_attempt_at == NOW + timedelta(minutes=5)
    # Not due yet; then due: the sweep retries with the same key.
    assert payments.refunds_retry_due(now=NOW + timedelta(minutes=4)) == 0
    assert payments.refunds_retry_due(now=NOW + timedelta(minutes=5)) == 1
    assert payments.refund_execute(refund_id=refund.pk, now=NOW + timedelta(minutes=6)) is False
    refund.refresh_from_db()
    assert refund.status == "paid" and refund.attempts == 2 and refund.provider_reference.startswith("PSP-")
    assert flaky.paid_keys == {str(refund.idempotency_key): 1}
    assert flaky.calls == 2


@pytest.mark.django_db
def test_agent_marks_a_manual_refund_paid_once():
    order = make_order(now=NOW)
    agent = StaffFactory()
    with transaction.atomic():
        refund = payments.refund_create(order=order, amount=Decimal("50.00"), destination="card", now=NOW)
    with pytest.raises(payments.RefundError):
        payments.refund_mark_paid(refund_id=refund.pk, agent=order.buyer, reference="VIR-1", now=NOW)
    with pytest.raises(payments.RefundError):
        payments.refund_mark_paid(refund_id=refund.pk, agent=agent, reference="  ", now=NOW)
    payments.refund_mark_paid(refund_id=refund.pk, agent=agent, reference="VIR-1", now=NOW)
    refund.refresh_from_db()
    assert (refund.status, refund.provider_reference, refund.paid_by) == ("paid", "VIR-1", agent)
    with pytest.raises(payments.RefundError):
        payments.refund_mark_paid(refund_id=refund.pk, agent=agent, reference="VIR-2", now=NOW)
    assert wallet_balance(order.buyer) == Decimal("0.00")


@pytest.mark.django_db
def test_balance_is_the_sum_of_the_ledger():
    order = make_order(now=NOW, price=Decimal("40.00"))
    with transaction.atomic():
        payments.refund_create(order=order, amount=Decimal("10.00"), destination="wallet", now=NOW)
        payments.refund_create(order=order, amount=Decimal("2.35"), destination="wallet", now=NOW)
    WalletEntry.objects.create(user=order.buyer, kind=WalletEntry.Kind.PAYMENT, amount=Decimal("-5.00"), created_at=NOW)
    assert wallet_balance(order.buyer) == Decimal("7.35")
    assert wallet_balance(order.buyer) == sum(WalletEntry.objects.filter(user=order.buyer).values_list("amount", flat=True))
