"""Who may claim an order, and when: the buyer only, before the sale closes, "not received" from day 17."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser

from claims.eligibility import claim_eligibility, not_received_from
from claims.models import Claim
from orders.models import Order
from orders.services import order_mark_shipped
from tests.factories import make_order

PARIS = ZoneInfo("Europe/Paris")
# 23:30 in Paris on Sunday 1 March 2026 (22:30 UTC): day 17 is Wednesday 18 March.
PURCHASED = datetime(2026, 3, 1, 23, 30, tzinfo=PARIS)
NOT_RECEIVED = Claim.Reason.NOT_RECEIVED


@pytest.fixture
def order(roles):
    # Shipped at once: the item reasons need a shipped order (tests/claims/test_eligibility_parcel.py).
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], now=PURCHASED, days_ago=0)
    return order_mark_shipped(order=order, carrier="Colissimo", tracking_number="6A1", at=PURCHASED)


def eligibility(order, user, now):
    return claim_eligibility(order=order, user=user, now=now)


def test_buyer_may_claim_their_order(order, roles):
    result = eligibility(order, roles["buyer"], PURCHASED + timedelta(days=2))
    assert result.allowed and result.message == ""
    assert result.allows(Claim.Reason.DAMAGED)


@pytest.mark.parametrize("role", ["other_buyer", "seller", "other_seller", "staff"])
def test_only_the_buyer_may_claim(order, roles, role):
    result = eligibility(order, roles[role], PURCHASED + timedelta(days=20))
    assert not result.allowed
    assert result.message == "Seul l'acheteur de cette commande peut faire une réclamation."
    assert not result.allows(Claim.Reason.DAMAGED)


def test_anonymous_visitor_may_not_claim(order):
    assert not eligibility(order, AnonymousUser(), PURCHASED + timedelta(days=20)).allowed


def test_claim_possible_until_the_last_instant_before_six_weeks(order, roles):
    last_instant = PURCHASED + timedelta(weeks=6) - timedelta(microseconds=1)
    assert eligibility(order, roles["buyer"], last_instant).allows(Claim.Reason.DAMAGED)


def test_no_claim_once_the_sale_is_finalized_six_weeks_after_purchase(order, roles):
    result = eligibility(order, roles["buyer"], PURCHASED + timedelta(weeks=6))
    assert not result.allowed
    # 1 March + 6 weeks = 12 April 2026, Paris time.
    assert "La vente a été finalisée le 12 avril 2026" in result.message


def test_no_claim_on_an_order_finalized_by_the_sweep(order, roles):
    Order.objects.filter(pk=order.pk).update(status=Order.Status.FINALIZED)
    order.refresh_from_db()
    assert not eligibility(order, roles["buyer"], PURCHASED + timedelta(days=20)).allowed


def test_no_claim_on_a_cancelled_order(order, roles):
    Order.objects.filter(pk=order.pk).update(status=Order.Status.CANCELLED)
    order.refresh_from_db()
    result = eligibility(order, roles["buyer"], PURCHASED + timedelta(days=20))
    assert not result.allowed
    assert result.message == "Cette commande a été annulée : aucune réclamation n'est possible."


def test_not_received_starts_on_the_paris_date_seventeen_days_after_the_order(order):
    assert not_received_from(order).isoformat() == "2026-03-18"


def test_not_received_refused_until_the_end_of_day_sixteen(order, roles):
    result = eligibility(order, roles["buyer"], datetime(2026, 3, 17, 23, 59, 59, tzinfo=PARIS))
    assert result.allowed
    assert not result.allows(NOT_RECEIVED)
    window = result.reasons[NOT_RECEIVED]
    assert window.available_from.isoformat() == "2026-03-18"
    assert "à partir du 18 mars 2026" in window.message
    assert [w.reason for w in result.blocked_reasons] == [NOT_RECEIVED]


def test_not_received_allowed_from_midnight_paris_on_day_seventeen(order, roles):
    assert eligibility(order, roles["buyer"], datetime(2026, 3, 18, 0, 0, tzinfo=PARIS)).allows(NOT_RECEIVED)


def test_day_seventeen_counts_from_the_paris_date_not_the_utc_date(roles):
    # 00:30 in Paris on 2 March is still 1 March in UTC: the count starts from 2 March.
    order = make_order(buyer=roles["buyer"], now=datetime(2026, 3, 2, 0, 30, tzinfo=PARIS), days_ago=0)
    assert not_received_from(order).isoformat() == "2026-03-19"
    assert not eligibility(order, roles["buyer"], datetime(2026, 3, 18, 12, 0, tzinfo=PARIS)).allows(NOT_RECEIVED)


@pytest.mark.parametrize("reason", [r for r in Claim.Reason.values if r != NOT_RECEIVED])
def test_other_reasons_allowed_from_the_first_day(order, roles, reason):
    assert eligibility(order, roles["buyer"], PURCHASED + timedelta(minutes=1)).allows(reason)


def test_no_second_claim_while_one_is_open(order, roles):
    from claims.domain import claim_open

    now = PURCHASED + timedelta(days=2)
    claim_open(order=order, buyer=roles["buyer"], reason=Claim.Reason.DAMAGED, description="x", now=now)
    result = eligibility(order, roles["buyer"], now)
    assert not result.allowed
    assert result.message == "Une réclamation est déjà en cours pour cette commande."


def test_unknown_reason_is_not_allowed(order, roles):
    assert not eligibility(order, roles["buyer"], PURCHASED + timedelta(days=20)).allows("nonsense")
