"""Sellers' and buyers' records: the figures over their windows, the flags at their thresholds, who sees them."""
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import domain, records
from claims.business_days import PARIS
from tests.factories import SellerFactory, StaffFactory, UserFactory, make_claim, make_order

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=PARIS)


def orders_for(seller, count, days_ago=10, buyer=None):
    return [make_order(seller=seller, buyer=buyer, now=NOW, days_ago=days_ago) for _ in range(count)]


def claim_on(order, *, opened_days_ago=5, answer_after=None, take_over=False):
    opened = NOW - timedelta(days=opened_days_ago)
    claim = make_claim(order=order, now=opened)
    if answer_after is not None:
        domain.claim_post_message(claim_id=claim.pk, author=order.seller.user, body="Je regarde",
                                  now=opened + answer_after)
    if take_over:
        assert domain.claim_take_over(claim_id=claim.pk, now=claim.seller_deadline + timedelta(seconds=1))
    return claim


def test_the_seller_record_counts_the_window_only():
    seller = SellerFactory()
    recent = orders_for(seller, 4)
    old = orders_for(seller, 2, days_ago=120)
    claim_on(recent[0], answer_after=timedelta(hours=2))
    claim_on(recent[1], answer_after=timedelta(hours=10), take_over=False)
    claim_on(recent[2], answer_after=timedelta(hours=30))
    claim_on(old[0], opened_days_ago=100, answer_after=timedelta(hours=1))  # outside the 90 days
    record = records.seller_record(seller_id=seller.pk, now=NOW)
    assert (record.orders, record.claims, record.taken_over) == (4, 3, 0)
    assert record.claim_rate == 0.75
    assert record.takeover_share == 0
    assert record.median_first_answer == timedelta(hours=10)


def test_the_median_interpolates_an_even_count():
    seller = SellerFactory()
    orders = orders_for(seller, 2)
    claim_on(orders[0], answer_after=timedelta(hours=2))
    claim_on(orders[1], answer_after=timedelta(hours=5))
    assert records.seller_record(seller_id=seller.pk, now=NOW).median_first_answer == timedelta(hours=3, minutes=30)


def test_a_proposal_is_a_first_answer_too():
    seller = SellerFactory()
    (order,) = orders_for(seller, 1)
    claim = claim_on(order)
    domain.claim_propose(claim_id=claim.pk, seller_user=seller.user, kind="exchange",
                         now=claim.opened_at + timedelta(hours=4))
    domain.claim_post_message(claim_id=claim.pk, author=seller.user, body="Et un message",
                              now=claim.opened_at + timedelta(hours=6))
    claim.refresh_from_db()
    assert claim.seller_answered_at == claim.opened_at + timedelta(hours=4)


def test_a_seller_is_flagged_above_two_percent_not_at_it(settings):
    settings.SELLER_CLAIM_RATE_FLAG = 0.02
    seller = SellerFactory()
    orders = orders_for(seller, 50)
    claim_on(orders[0], answer_after=timedelta(hours=1))
    record = records.seller_record(seller_id=seller.pk, now=NOW)
    assert record.claim_rate == 0.02 and not record.flagged  # 1 in 50: at the threshold
    claim_on(orders[1], answer_after=timedelta(hours=1))
    record = records.seller_record(seller_id=seller.pk, now=NOW)
    assert record.claim_rate == 0.04 and record.flagged
    assert record.flags == ["taux de réclamation au-dessus de 2 %"]


def test_takeover_share_and_slow_answers_are_flagged(settings):
    settings.SELLER_CLAIM_RATE_FLAG = 1.0
    seller = SellerFactory()
    orders = orders_for(seller, 2)
    claim_on(orders[0], opened_days_ago=20, take_over=True)
    claim_on(orders[1], answer_after=timedelta(hours=49))
    record = records.seller_record(seller_id=seller.pk, now=NOW)
    assert record.takeover_share == 0.5
    assert record.flags == ["part prise en charge par le service client au-dessus de 30 %",
                            "première réponse en plus de 48 h (médiane)"]


def test_a_buyer_is_flagged_from_five_claims_in_twelve_months(settings):
    buyer = UserFactory()
    seller = SellerFactory()
    for days in (10, 50, 100, 200):
        claim_on(make_order(buyer=buyer, seller=seller, now=NOW, days_ago=days + 5), opened_days_ago=days)
    claim_on(make_order(buyer=buyer, seller=seller, now=NOW, days_ago=400), opened_days_ago=380)  # too old
    assert records.buyer_record(buyer_id=buyer.pk, now=NOW).claims == 4
    assert not records.buyer_record(buyer_id=buyer.pk, now=NOW).flagged
    claim_on(make_order(buyer=buyer, seller=seller, now=NOW, days_ago=8), opened_days_ago=3)
    assert records.buyer_record(buyer_id=buyer.pk, now=NOW).flagged


@pytest.fixture
def today(monkeypatch):
    """The pages read the records as of the real clock."""
    monkeypatch.setattr(__import__(__name__, fromlist=["NOW"]), "NOW", timezone.now())


def test_agents_read_both_records_on_the_claim(client, settings, today):
    settings.BUYER_CLAIMS_FLAG = 1
    seller = SellerFactory()
    claim = claim_on(orders_for(seller, 1)[0], answer_after=timedelta(hours=2))
    client.force_login(StaffFactory())
    html = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "1 commandes, 1 réclamations (taux 100,0 %)" in html
    assert "À surveiller" in html and "1 réclamation sur 12 mois" in html
    seller_page = client.get(reverse("admin:orders_sellerprofile_change", args=[seller.pk])).content.decode()
    assert "taux de réclamation au-dessus de 2 %" in seller_page


def test_the_seller_reads_their_own_record_but_no_flag_and_no_buyer_count(client, today):
    seller = SellerFactory()
    orders = orders_for(seller, 4, buyer=UserFactory())
    claim_on(orders[0], answer_after=timedelta(hours=3))
    client.force_login(seller.user)
    html = client.get(reverse("claims:dashboard")).content.decode()
    assert "Vos indicateurs" in html
    assert 'data-figure="claim-rate">25,0 %' in html
    assert "À surveiller" not in html and "sur 12 mois" not in html


def test_the_buyer_never_sees_their_count(client, today):
    buyer = UserFactory()
    claim = claim_on(make_order(buyer=buyer, now=NOW, days_ago=8), opened_days_ago=3)
    client.force_login(buyer)
    html = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert "sur 12 mois" not in html and "Vos indicateurs" not in html


def test_the_record_does_not_grow_in_queries_with_rows():
    seller = SellerFactory()
    orders = orders_for(seller, 6)
    claim_on(orders[0], answer_after=timedelta(hours=1))
    with CaptureQueriesContext(connection) as one:
        records.seller_record(seller_id=seller.pk, now=NOW)
    for order in orders[1:]:
        claim_on(order, answer_after=timedelta(hours=2))
    with CaptureQueriesContext(connection) as many:
        records.seller_record(seller_id=seller.pk, now=NOW)
    assert len(many) == len(one)


def test_the_sellers_own_record_is_counted_once_per_cache_lifetime_and_worded_in_the_readers_language(settings):
    from django.utils import translation

    seller = SellerFactory()
    orders = orders_for(seller, 2)
    claim_on(orders[0], answer_after=timedelta(hours=60))  # past the 48 h flag
    fresh = records.seller_record(seller_id=seller.pk, now=NOW)
    with translation.override("fr"):
        first = records.seller_own_record(seller_id=seller.pk, now=NOW)
    claim_on(orders[1], answer_after=timedelta(hours=1))
    with translation.override("en"), CaptureQueriesContext(connection) as queries:
        again = records.seller_own_record(seller_id=seller.pk, now=NOW)
    assert len(queries) == 0 and first == fresh
    assert (again.orders, again.claims, again.median_first_answer) == (2, 1, timedelta(hours=60))
    assert first.flags and again.flags and first.flags != again.flags  # the same flag, in French then English
    settings.SELLER_RECORD_CACHE_SECONDS = 0
    from django.core.cache import cache

    cache.clear()
    assert records.seller_own_record(seller_id=seller.pk, now=NOW).claims == 2
    assert cache.get(f"seller-record:{seller.pk}") is None  # 0: nothing kept, each view counts it
