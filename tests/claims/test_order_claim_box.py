"""The claim box on the order page: the way in for the buyer, why not and from when, the claims for the seller."""
from datetime import datetime, timedelta
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.business_days import PARIS
from orders.models import Order
from tests.factories import make_claim, make_order

pytestmark = pytest.mark.django_db


def box(response) -> str:
    page = response.content.decode()
    start = page.index('data-testid="order-claims"')
    return unescape(page[start:page.index("</section>", start)])


def order_page(client, order):
    return client.get(reverse("orders:detail", args=[order.number]))


def test_buyer_sees_the_claim_button_when_a_claim_is_possible(client, roles):
    client.force_login(roles["buyer"])
    html = box(order_page(client, roles["order"]))
    assert "Faire une réclamation" in html
    assert reverse("claims:wizard", args=[roles["order"].number]) in html
    assert 'data-testid="claim-refusal"' not in html


def test_buyer_is_told_from_when_not_received_opens_and_offered_to_contact_the_seller(client, roles):
    purchase = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], now=purchase, days_ago=0)
    with time_machine.travel(purchase + timedelta(days=10), tick=False):
        client.force_login(roles["buyer"])
        html = box(order_page(client, order))
    assert "Faire une réclamation" in html
    assert 'data-testid="claim-window"' in html
    assert "Vous pourrez signaler un colis non reçu à partir du 11 décembre 2026." in html
    assert 'href="#contacter-le-vendeur"' in html and "Contacter le vendeur" in html


def test_from_day_17_no_date_is_shown(client, roles):
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], days_ago=20)
    client.force_login(roles["buyer"])
    html = box(order_page(client, order))
    assert "Faire une réclamation" in html
    assert 'data-testid="claim-window"' not in html


def test_finalized_order_says_why_and_offers_no_button(client, roles):
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], days_ago=43)
    client.force_login(roles["buyer"])
    html = box(order_page(client, order))
    assert 'data-testid="claim-refusal"' in html
    assert "il n'est plus possible de faire une réclamation" in html
    assert reverse("claims:wizard", args=[order.number]) not in html


def test_cancelled_order_says_why(client, roles):
    Order.objects.filter(pk=roles["order"].pk).update(status=Order.Status.CANCELLED)
    client.force_login(roles["buyer"])
    html = box(order_page(client, roles["order"]))
    assert "Cette commande a été annulée" in html
    assert "Faire une réclamation" not in html


def test_open_claim_is_linked_instead_of_a_new_one(client, roles):
    claim = make_claim(order=roles["order"])
    client.force_login(roles["buyer"])
    html = box(order_page(client, roles["order"]))
    assert 'data-testid="claim-open"' in html
    assert reverse("claims:detail", args=[claim.pk]) in html
    assert reverse("claims:wizard", args=[roles["order"].number]) not in html


@pytest.mark.parametrize("role", ["seller", "staff"])
def test_seller_and_staff_see_the_claims_with_links_and_no_button(client, roles, role):
    claim = make_claim(order=roles["order"])
    client.force_login(roles[role])
    html = box(order_page(client, roles["order"]))
    assert reverse("claims:detail", args=[claim.pk]) in html
    assert claim.get_reason_display() in html
    assert "Faire une réclamation" not in html
    assert 'data-testid="claim-refusal"' not in html


def test_seller_without_claims_is_told_so(client, roles):
    client.force_login(roles["seller"])
    assert "Aucune réclamation sur cette commande." in box(order_page(client, roles["order"]))


@pytest.mark.parametrize("role", ["other_buyer", "other_seller"])
def test_other_parties_get_404(client, roles, role):
    client.force_login(roles[role])
    assert order_page(client, roles["order"]).status_code == 404


def test_anonymous_is_sent_to_login(client, roles):
    response = order_page(client, roles["order"])
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def count_queries(client, order) -> int:
    order_page(client, order)  # warm: the user's navbar fragment is cached after a first page
    with CaptureQueriesContext(connection) as captured:
        assert order_page(client, order).status_code == 200
    return len(captured)


def test_order_page_queries_do_not_grow_with_the_claims(client, roles):
    now = datetime(2026, 11, 20, 12, 0, tzinfo=PARIS)
    order = roles["order"]
    make_claim(order=order, now=now - timedelta(days=2))
    client.force_login(roles["seller"])
    one = count_queries(client, order)
    from claims.domain import claim_withdraw

    for claim in order.claims.all():
        claim_withdraw(claim_id=claim.pk, buyer=roles["buyer"], reason="solved", now=now)
    for _ in range(4):
        claim = make_claim(order=order, now=now)
        claim_withdraw(claim_id=claim.pk, buyer=roles["buyer"], reason="solved", now=now)
    assert order.claims.count() == 5
    assert count_queries(client, order) == one
