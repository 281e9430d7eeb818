"""Eligibility follows the parcel: item reasons need a shipped order; "not received" after delivery needs a sworn
statement, then is refused past CLAIM_NOT_RECEIVED_AFTER_DELIVERY_DAYS; the wanted outcome is kept on the claim."""
from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from claims.business_days import PARIS, start_of_day
from claims.domain import ClaimActionError, claim_open
from claims.eligibility import claim_eligibility
from claims.models import Claim
from orders.services import order_mark_delivered, order_mark_shipped
from tests.factories import make_order

pytestmark = pytest.mark.django_db
PURCHASED = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
R = Claim.Reason


def order():
    return make_order(now=PURCHASED, days_ago=0)


def eligible(order, reason, now):
    return claim_eligibility(order=order, user=order.buyer, now=now).reasons[reason]


@pytest.mark.parametrize("reason", [R.DAMAGED, R.DIFFERENT, R.COUNTERFEIT])
def test_item_reasons_need_a_shipped_order(reason):
    placed = order()
    window = eligible(placed, reason, PURCHASED + timedelta(days=2))
    assert not window.allowed and "pas encore été expédiée" in window.message
    with pytest.raises(ClaimActionError, match="pas encore été expédiée"):
        claim_open(order=placed, buyer=placed.buyer, reason=reason, description="x", now=PURCHASED + timedelta(days=2))
    order_mark_shipped(order=placed, carrier="Colissimo", tracking_number="6A1", at=PURCHASED + timedelta(days=1))
    assert eligible(placed, reason, PURCHASED + timedelta(days=1)).allowed


def test_other_reason_is_open_before_shipping():
    assert eligible(order(), R.OTHER, PURCHASED + timedelta(hours=1)).allowed


def test_not_received_after_delivery_asks_a_sworn_statement_until_the_setting_then_refuses(settings):
    settings.CLAIM_NOT_RECEIVED_AFTER_DELIVERY_DAYS = 7
    delivered = order()
    order_mark_shipped(order=delivered, carrier="Colissimo", tracking_number="6A1", at=PURCHASED + timedelta(days=1))
    # Delivered on day 12 (14 March): "not received" opens on day 17 (19 March), closes after 21 March.
    order_mark_delivered(order=delivered, at=PURCHASED + timedelta(days=12))
    day17 = start_of_day(PURCHASED.date() + timedelta(days=17))
    last = start_of_day(PURCHASED.date() + timedelta(days=20)) + timedelta(hours=23, minutes=59)
    refused = start_of_day(PURCHASED.date() + timedelta(days=20))
    window = eligible(delivered, R.NOT_RECEIVED, day17)
    assert window.allowed and window.sworn_statement and "certifier" in window.message
    with pytest.raises(ClaimActionError, match="certifiez"):
        claim_open(order=delivered, buyer=delivered.buyer, reason=R.NOT_RECEIVED, description="", now=day17)
    assert eligible(delivered, R.NOT_RECEIVED, refused - timedelta(microseconds=1)).allowed
    assert last < refused + timedelta(days=1)
    assert eligible(delivered, R.NOT_RECEIVED, refused - timedelta(microseconds=1)).sworn_statement
    late = eligible(delivered, R.NOT_RECEIVED, start_of_day(PURCHASED.date() + timedelta(days=20)))
    assert not late.allowed and "il y a plus de 7 jours" in late.message
    claim = claim_open(order=delivered, buyer=delivered.buyer, reason=R.NOT_RECEIVED, description="", now=day17,
                       sworn_not_received=True, wanted_outcome=Claim.WantedOutcome.REFUND)
    assert claim.sworn_not_received and claim.wanted_outcome == "refund"


def test_not_received_without_delivery_keeps_the_day_17_rule_only():
    undelivered = order()
    window = eligible(undelivered, R.NOT_RECEIVED, start_of_day(PURCHASED.date() + timedelta(days=17)))
    assert window.allowed and not window.sworn_statement


def test_bad_wanted_outcome_is_refused():
    shipped = order()
    order_mark_shipped(order=shipped, carrier="C", tracking_number="1", at=PURCHASED)
    with pytest.raises(ClaimActionError, match="solution"):
        claim_open(order=shipped, buyer=shipped.buyer, reason=R.DAMAGED, description="x", now=PURCHASED,
                   wanted_outcome="money-and-more")


def test_order_page_says_why_once_before_shipping(client):
    placed = make_order()
    client.force_login(placed.buyer)
    page = client.get(reverse("orders:detail", args=[placed.number])).content.decode()
    assert page.count("pas encore été expédiée") == 1


def test_seller_sees_the_wanted_outcome(client):
    shipped = order()
    order_mark_shipped(order=shipped, carrier="C", tracking_number="1", at=PURCHASED)
    claim = claim_open(order=shipped, buyer=shipped.buyer, reason=R.DAMAGED, description="x", now=PURCHASED,
                       wanted_outcome=Claim.WantedOutcome.REPLACEMENT)
    client.force_login(shipped.seller.user)
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert "Un remplacement de l&#x27;article" in page or "Un remplacement de l'article" in page
