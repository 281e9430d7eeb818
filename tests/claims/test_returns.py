"""Returns: the address and postage on the proposal, the buyer's shipment, the seller's receipt, the refund, the sweep."""
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from claims import deadlines, domain, returns
from claims.business_days import PARIS, business_deadline, reminder_time
from claims.domain import ClaimActionError
from claims.models import Claim, ClaimEvent, Notification, Proposal, Return
from orders.models import Payout, Refund
from tests.factories import StaffFactory, make_claim, make_order

pytestmark = pytest.mark.django_db
OPENED = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)  # Monday
ACCEPTED = datetime(2026, 3, 3, 9, 0, tzinfo=PARIS)  # Tuesday: ship by Tuesday 10 March, 23:59:59.999999
SHIP_BY = business_deadline(ACCEPTED, 5)
ADDRESS = "Vendeur Pro\n12 rue des Retours\n69001 Lyon"


def opened(kind=Proposal.Kind.RETURN_REFUND, postage="seller", **order_fields):
    claim = make_claim(order=make_order(now=OPENED, days_ago=3, price=Decimal("60.00"), **order_fields), now=OPENED)
    proposal = domain.claim_propose(claim_id=claim.pk, seller_user=claim.seller.user, kind=kind, now=OPENED,
                                    return_address=ADDRESS, return_postage=postage)
    return claim, proposal


def accepted(kind=Proposal.Kind.RETURN_REFUND, refund_to="wallet"):
    claim, proposal = opened(kind)
    domain.claim_accept(claim_id=claim.pk, proposal_id=proposal.pk, buyer=claim.buyer, now=ACCEPTED,
                        refund_to=refund_to)
    claim.refresh_from_db()
    return claim


def shipped(claim, at=ACCEPTED + timedelta(days=1)):
    returns.return_ship(claim_id=claim.pk, buyer=claim.buyer, carrier="Colissimo", tracking_number="6A123456789",
                        now=at)
    return Return.objects.get(claim=claim)


def kinds(claim):
    return list(claim.events.values_list("kind", flat=True))


def test_proposal_needs_an_address_and_who_pays_and_keeps_the_address_on_the_profile():
    claim = make_claim(now=OPENED)
    claim.seller.return_address = ""
    claim.seller.save(update_fields=["return_address"])
    with pytest.raises(ClaimActionError, match="adresse"):
        domain.claim_propose(claim_id=claim.pk, seller_user=claim.seller.user, kind=Proposal.Kind.RETURN_REFUND,
                             now=OPENED, return_postage="seller")
    with pytest.raises(ClaimActionError, match="frais de retour"):
        domain.claim_propose(claim_id=claim.pk, seller_user=claim.seller.user, kind=Proposal.Kind.EXCHANGE,
                             now=OPENED, return_address=ADDRESS, return_postage="nobody")
    assert not claim.proposals.exists()
    domain.claim_propose(claim_id=claim.pk, seller_user=claim.seller.user, kind=Proposal.Kind.EXCHANGE, now=OPENED,
                         return_address=ADDRESS, return_postage="buyer")
    claim.seller.refresh_from_db()
    assert claim.seller.return_address == ADDRESS
    # The next proposal may leave the address out: the profile's is used.
    proposal = domain.claim_propose(claim_id=claim.pk, seller_user=claim.seller.user, kind=Proposal.Kind.RETURN_REFUND,
                                    now=OPENED, return_postage="seller")
    assert proposal.return_address == ADDRESS and proposal.amount == Decimal("50.00")


def test_accepting_a_return_opens_it_with_the_buyers_deadline_and_holds_the_claim_open():
    claim = accepted()
    item_return = Return.objects.get(claim=claim)
    assert claim.status == Claim.Status.RETURNING and claim.is_open
    assert (item_return.ship_by, item_return.reminder_at) == (SHIP_BY, reminder_time(SHIP_BY))
    assert item_return.address == ADDRESS and item_return.postage_by_seller and item_return.refund_to == "wallet"
    assert not Refund.objects.exists()
    assert ClaimEvent.Kind.RETURN_STARTED in kinds(claim)
    assert deadlines.finalize_orders(now=claim.order.finalizes_at + timedelta(days=1)) == 0


def test_return_shipped_received_then_refunded():
    claim = accepted()
    item_return = shipped(claim)
    assert item_return.confirm_by == business_deadline(ACCEPTED + timedelta(days=1), 7)
    assert Notification.objects.filter(recipient=claim.seller.user, kind=Notification.Kind.RETURN_SHIPPED).exists()
    returns.return_confirm_receipt(claim_id=claim.pk, user=claim.seller.user, now=ACCEPTED + timedelta(days=3))
    claim.refresh_from_db()
    refund = Refund.objects.get(claim=claim)
    assert claim.status == Claim.Status.SETTLED
    assert (refund.amount, refund.destination, refund.status) == (Decimal("60.00"), "wallet", "paid")
    assert Payout.objects.get(order=claim.order).amount == Decimal("0.00")
    assert [k for k in kinds(claim) if k.startswith("return")] == ["return_started", "return_shipped", "return_received"]


def test_support_may_confirm_receipt():
    claim = accepted(refund_to="card")
    shipped(claim)
    returns.return_confirm_receipt(claim_id=claim.pk, user=StaffFactory(), now=ACCEPTED + timedelta(days=3))
    assert Refund.objects.get(claim=claim).destination == "card"


def test_exchange_follows_the_return_then_the_replacement_shipment():
    claim = accepted(kind=Proposal.Kind.EXCHANGE, refund_to=None)
    shipped(claim)
    with pytest.raises(ClaimActionError, match="Confirmez d'abord"):
        returns.return_ship_replacement(claim_id=claim.pk, seller_user=claim.seller.user, carrier="DPD",
                                        tracking_number="X1", now=ACCEPTED + timedelta(days=2))
    returns.return_confirm_receipt(claim_id=claim.pk, user=claim.seller.user, now=ACCEPTED + timedelta(days=3))
    claim.refresh_from_db()
    assert claim.is_returning and not Refund.objects.exists()
    returns.return_ship_replacement(claim_id=claim.pk, seller_user=claim.seller.user, carrier="DPD",
                                    tracking_number="250012345", now=ACCEPTED + timedelta(days=4))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SETTLED and ClaimEvent.Kind.REPLACEMENT_SENT in kinds(claim)


@pytest.mark.parametrize("tracking,message", [
    ("x" * 5000, "au plus 60 caractères"), ("<script>", "au plus 60 caractères"), ("", "Indiquez le transporteur"),
])
def test_bad_tracking_numbers_are_refused_and_nothing_changes(tracking, message):
    claim = accepted()
    with pytest.raises(ClaimActionError, match=message):
        returns.return_ship(claim_id=claim.pk, buyer=claim.buyer, carrier="Colissimo", tracking_number=tracking,
                            now=ACCEPTED)
    assert Return.objects.get(claim=claim).shipped_at is None


def test_forbidden_return_acts():
    claim = accepted()
    with pytest.raises(ClaimActionError):  # only the buyer ships
        returns.return_ship(claim_id=claim.pk, buyer=claim.seller.user, carrier="C", tracking_number="1", now=ACCEPTED)
    with pytest.raises(ClaimActionError, match="pas encore indiqué"):
        returns.return_confirm_receipt(claim_id=claim.pk, user=claim.seller.user, now=ACCEPTED)
    shipped(claim)
    with pytest.raises(ClaimActionError, match="déjà indiqué"):
        shipped(claim)
    with pytest.raises(ClaimActionError):  # the buyer does not confirm receipt
        returns.return_confirm_receipt(claim_id=claim.pk, user=claim.buyer, now=ACCEPTED)
    with pytest.raises(ClaimActionError, match="Seul un échange"):
        returns.return_ship_replacement(claim_id=claim.pk, seller_user=claim.seller.user, carrier="C",
                                        tracking_number="1", now=ACCEPTED)
    other, _ = opened()
    with pytest.raises(ClaimActionError, match="Aucun retour"):
        returns.return_ship(claim_id=other.pk, buyer=other.buyer, carrier="C", tracking_number="1", now=ACCEPTED)


# --- the sweep at exact instants ------------------------------------------------------------------------------

def test_buyer_reminded_when_the_last_business_day_begins_once():
    claim = accepted()
    assert deadlines.sweep(now=reminder_time(SHIP_BY) - timedelta(microseconds=1)).returns_reminded == 0
    assert deadlines.sweep(now=reminder_time(SHIP_BY)).returns_reminded == 1
    assert deadlines.sweep(now=reminder_time(SHIP_BY) + timedelta(hours=1)).returns_reminded == 0
    assert Notification.objects.filter(recipient=claim.buyer, kind=Notification.Kind.RETURN_REMINDER).count() == 1


def test_claim_closed_for_lack_of_return_just_after_the_deadline():
    claim = accepted()
    assert deadlines.sweep(now=SHIP_BY).returns_lapsed == 0
    assert deadlines.sweep(now=SHIP_BY + timedelta(microseconds=1)).returns_lapsed == 1
    claim.refresh_from_db()
    assert claim.status == Claim.Status.RETURN_LAPSED and claim.closed_at == SHIP_BY + timedelta(microseconds=1)
    assert ClaimEvent.Kind.RETURN_LAPSED in kinds(claim)
    assert deadlines.sweep(now=SHIP_BY + timedelta(days=1)).returns_lapsed == 0
    with pytest.raises(ClaimActionError):
        shipped(claim, at=SHIP_BY + timedelta(days=1))


def test_a_shipped_return_is_not_closed_but_taken_over_when_the_seller_does_not_confirm():
    claim = accepted()
    item_return = shipped(claim)
    assert deadlines.sweep(now=SHIP_BY + timedelta(days=1)).returns_lapsed == 0
    assert deadlines.sweep(now=item_return.confirm_by).returns_taken_over == 0
    assert deadlines.sweep(now=item_return.confirm_by + timedelta(microseconds=1)).returns_taken_over == 1
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITH_SUPPORT and ClaimEvent.Kind.TAKEN_OVER in kinds(claim)
    assert deadlines.sweep(now=item_return.confirm_by + timedelta(days=1)).returns_taken_over == 0


# --- pages ----------------------------------------------------------------------------------------------------

def test_claim_page_shows_the_return_steps_to_both_and_the_forms_to_each(client):
    claim = accepted()
    client.force_login(claim.buyer)
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert "12 rue des Retours" in page and 'data-testid="return-ship"' in page
    response = client.post(reverse("claims:return_ship", args=[claim.pk]),
                           {"carrier": "Colissimo", "tracking_number": "x" * 5000})
    assert response.status_code == 200 and "60 caractères" in response.content.decode()
    assert Return.objects.get(claim=claim).shipped_at is None
    client.post(reverse("claims:return_ship", args=[claim.pk]), {"carrier": "Colissimo", "tracking_number": "6A99"})
    client.force_login(claim.seller.user)
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert "6A99" in page and 'data-testid="return-receive"' in page and 'data-testid="return-ship"' not in page
    client.post(reverse("claims:return_receive", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SETTLED


@pytest.mark.parametrize("role", ["other_buyer", "other_seller"])
def test_strangers_get_404_on_return_acts(client, roles, role):
    claim = make_claim(order=roles["order"])
    client.force_login(roles[role])
    for name in ("return_ship", "return_receive", "replacement"):
        assert client.post(reverse(f"claims:{name}", args=[claim.pk]), {"carrier": "C", "tracking_number": "1"}
                           ).status_code == 404
