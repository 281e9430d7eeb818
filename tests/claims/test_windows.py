"""Every window of the claim rules is a setting: the deadline code and the pages follow a changed value."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse

from claims.business_days import business_deadline
from claims.eligibility import not_received_from
from orders.models import sale_closes_after
from tests.factories import make_claim, make_order

PARIS = ZoneInfo("Europe/Paris")
TUESDAY = datetime(2026, 3, 3, 10, 0, tzinfo=PARIS)


def test_seller_deadline_follows_the_setting(db, settings):
    settings.CLAIM_SELLER_BUSINESS_DAYS = 5
    claim = make_claim(now=TUESDAY)
    assert claim.seller_deadline == business_deadline(TUESDAY, 5)


def test_not_received_day_follows_the_setting(db, settings):
    settings.CLAIM_NOT_RECEIVED_AFTER_DAYS = 20
    order = make_order(now=TUESDAY, days_ago=0)
    assert not_received_from(order) == TUESDAY.date() + timedelta(days=20)


def test_sale_closing_follows_the_setting(db, settings):
    settings.SALE_CLOSES_AFTER_WEEKS = 8
    order = make_order(now=TUESDAY, days_ago=0)
    assert sale_closes_after() == timedelta(weeks=8)
    assert order.finalizes_at == order.purchased_at + timedelta(weeks=8)


def test_pages_state_the_setting_not_a_written_number(client, roles, settings):
    settings.CLAIM_SELLER_BUSINESS_DAYS = 4
    client.force_login(roles["buyer"])
    page = client.get(reverse("orders:detail", args=[roles["order"].number])).content.decode()
    assert "Le vendeur a 4 jours ouvrés pour trouver une solution avec vous." in page
    assert "3 jours ouvrés" not in page
