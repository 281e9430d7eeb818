"""Mon compte, Tous mes achats, Mes ventes and the order page: content, access for each role, query counts."""
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders.models import Order, OrderLine, SellerProfile
from orders.services import order_mark_delivered, order_mark_shipped
from tests.factories import ListingFactory, SellerFactory, UserFactory, make_order

PARIS = ZoneInfo("Europe/Paris")


def login(client, user):
    client.force_login(user)
    return client


def count_queries(client, url, params=None):
    client.get(url, params or {})  # warm: the user's navbar fragment is cached after a first page
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


# --- Mon compte -------------------------------------------------------------------------------------------------

def test_account_requires_login(client, db):
    url = reverse("orders:account")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_account_links_to_purchases_and_not_sales_for_a_buyer(client, roles):
    page = login(client, roles["buyer"]).get(reverse("orders:account")).content.decode()
    assert "Mon compte" in page
    assert reverse("orders:purchases") in page
    assert reverse("orders:sales") not in page


def test_account_shows_the_seller_card_to_a_seller(client, roles):
    page = login(client, roles["seller"]).get(reverse("orders:account")).content.decode()
    assert reverse("orders:sales") in page
    assert roles["seller_profile"].display_name in page


# --- Tous mes achats --------------------------------------------------------------------------------------------

def test_purchases_require_login(client, db):
    assert client.get(reverse("orders:purchases")).status_code == 302


def test_purchases_list_newest_first_with_status_badges(client, roles):
    buyer = roles["buyer"]
    older = make_order(buyer=buyer, days_ago=30)
    newest = make_order(buyer=buyer, days_ago=1)
    order_mark_shipped(order=newest, carrier="Colissimo", tracking_number="6A1", at=newest.purchased_at)
    page = login(client, buyer).get(reverse("orders:purchases")).content.decode()
    positions = [page.index(order.number) for order in (newest, roles["order"], older)]
    assert positions == sorted(positions)
    assert 'class="badge status-shipped">Expédiée<' in page
    assert 'class="badge status-placed">Commandée<' in page


def test_purchases_are_paginated_twenty_per_page(client, roles):
    buyer = roles["buyer"]
    for days in range(1, 25):
        make_order(buyer=buyer, days_ago=days)
    client = login(client, buyer)
    first = client.get(reverse("orders:purchases"))
    assert len(first.context["orders"]) == 20
    assert "Page 1 sur 2" in first.content.decode()
    second = client.get(reverse("orders:purchases"), {"page": 2})
    assert len(second.context["orders"]) == 5


@pytest.mark.parametrize("page", ["999", "abc", "-1"])
def test_purchases_with_a_bad_page_number_show_a_page_not_an_error(client, roles, page):
    response = login(client, roles["buyer"]).get(reverse("orders:purchases"), {"page": page})
    assert response.status_code == 200
    assert roles["order"].number in response.content.decode()


def test_purchases_search_by_whole_or_partial_number(client, roles):
    buyer = roles["buyer"]
    other = make_order(buyer=buyer)
    client = login(client, buyer)
    number = roles["order"].number
    for term in (number, number.lower(), number[-6:]):
        page = client.get(reverse("orders:purchases"), {"q": term}).content.decode()
        assert number in page
        assert other.number not in page


def test_purchases_garbage_search_says_no_order_matches(client, roles):
    garbage = "'; DROP TABLE--<script>"
    response = login(client, roles["buyer"]).get(reverse("orders:purchases"), {"q": garbage})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Aucune commande ne correspond à" in page
    assert "<script>" not in page.split("<main", 1)[-1].split("</main>", 1)[0]
    assert "&lt;script&gt;" in page
    assert Order.objects.filter(pk=roles["order"].pk).exists()


@pytest.mark.parametrize("view", ["orders:purchases", "orders:sales"])
def test_a_search_with_a_nul_byte_is_the_400_page(client, roles, view):
    # Refused once for the whole site (rakuten_portal.middleware.RefuseNulBytesMiddleware, tests/test_nul_bytes.py).
    user = roles["buyer"] if view == "orders:purchases" else roles["seller"]
    number = roles["order"].number
    response = login(client, user).get(reverse(view), {"q": number[:3] + "\x00" + number[3:]})
    assert response.status_code == 400
    assert "Demande incorrecte" in response.content.decode()


def test_purchases_empty_list_says_so(client, roles):
    page = login(client, roles["other_buyer"]).get(reverse("orders:purchases")).content.decode()
    assert "Vous n'avez encore passé aucune commande." in page


@pytest.mark.parametrize("role", ["other_buyer", "seller", "other_seller", "staff"])
def test_purchases_list_only_the_users_own_orders(client, roles, role):
    response = login(client, roles[role]).get(reverse("orders:purchases"))
    assert roles["order"].number not in response.content.decode()
    assert list(response.context["orders"]) == []


def test_purchases_take_the_same_queries_for_one_order_and_for_two_hundred(client, roles):
    buyer, seller = roles["buyer"], roles["seller_profile"]
    client = login(client, buyer)
    url = reverse("orders:purchases")
    one = count_queries(client, url)
    for days in range(199):
        make_order(buyer=buyer, seller=seller if days % 2 else SellerFactory(), days_ago=days % 40)
    assert count_queries(client, url) == one
    assert count_queries(client, url, {"page": 3}) == one


# --- the order page ---------------------------------------------------------------------------------------------

@pytest.fixture
def detailed_order(roles):
    """A shipped then delivered order bought on Monday 2 March 2026 at 10:00 Paris, paid partly by wallet."""
    purchased = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], now=purchased, days_ago=0, quantity=2,
                       payment_method=Order.Payment.WALLET, wallet_amount=Decimal("30.00"), has_guarantee=True)
    order_mark_shipped(order=order, carrier="Colissimo", tracking_number="6A12345678901",
                       at=purchased + timedelta(days=1))
    order_mark_delivered(order=order, at=purchased + timedelta(days=3))
    return order


def test_order_page_shows_lines_seller_payment_guarantee_and_timeline(client, roles, detailed_order):
    response = login(client, roles["buyer"]).get(reverse("orders:detail", args=[detailed_order.number]))
    assert response.status_code == 200
    page = response.content.decode()
    line = detailed_order.lines.get()
    # Amounts are written the French way.
    assert line.title in page and "50,00\xa0€" in page and "100,00\xa0€" in page
    assert roles["seller_profile"].display_name in page and "Professionnel" in page
    assert "Porte-monnaie" in page and "30,00\xa0€ par porte-monnaie, 70,00\xa0€ par carte" in page
    assert "Garantie Rakuten</dt><dd>Oui</dd>" in page
    timeline = page.split('data-testid="tracking-timeline"', 1)[1].split("</ol>", 1)[0]
    assert [step for step in ("Commande passée", "Expédiée", "Livrée") if step in timeline] == [
        "Commande passée", "Expédiée", "Livrée"]
    assert timeline.index("Commande passée") < timeline.index("Expédiée") < timeline.index("Livrée")
    assert "Colissimo" in timeline and "6A12345678901" in timeline


def test_order_page_says_the_sale_closes_six_weeks_after_purchase(client, roles, detailed_order):
    page = login(client, roles["buyer"]).get(reverse("orders:detail", args=[detailed_order.number])).content.decode()
    # 2 March 2026 + 6 weeks = 13 April 2026.
    assert "Vente finalisée le</dt><dd>13 avril 2026</dd>" in page


def test_order_page_accepts_a_lowercase_number(client, roles):
    number = roles["order"].number.lower()
    assert login(client, roles["buyer"]).get(reverse("orders:detail", args=[number])).status_code == 200


def test_order_page_for_an_unknown_or_malformed_number_is_a_404(client, roles):
    client = login(client, roles["buyer"])
    assert client.get(reverse("orders:detail", args=["RK-2026-999999"])).status_code == 404
    assert client.get(reverse("orders:detail", args=["<script>"])).status_code == 404


def test_order_page_redirects_an_anonymous_visitor_to_login(client, roles):
    url = reverse("orders:detail", args=[roles["order"].number])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("role, status", [
    ("buyer", 200), ("other_buyer", 404), ("seller", 200), ("other_seller", 404), ("staff", 200),
])
def test_order_page_access_for_each_role(client, roles, role, status):
    response = login(client, roles[role]).get(reverse("orders:detail", args=[roles["order"].number]))
    assert response.status_code == status


def test_order_page_takes_the_same_queries_for_one_order_and_for_two_hundred(client, roles):
    buyer, order = roles["buyer"], roles["order"]
    client = login(client, buyer)
    url = reverse("orders:detail", args=[order.number])
    one = count_queries(client, url)
    for days in range(199):
        make_order(buyer=buyer, seller=roles["seller_profile"], days_ago=days % 40)
    assert count_queries(client, url) == one


def test_order_page_takes_the_same_queries_for_one_line_and_for_twenty(client, roles):
    order = roles["order"]
    client = login(client, roles["buyer"])
    url = reverse("orders:detail", args=[order.number])
    one = count_queries(client, url)
    for _ in range(19):
        listing = ListingFactory(seller=roles["seller_profile"])
        OrderLine.objects.create(order=order, listing=listing, title=listing.title, quantity=1, unit_price=listing.price)
    order_mark_shipped(order=order, carrier="DPD", tracking_number="1", at=order.purchased_at + timedelta(days=1))
    order_mark_delivered(order=order, at=order.purchased_at + timedelta(days=2))
    assert count_queries(client, url) == one


# --- Mes ventes -------------------------------------------------------------------------------------------------

def test_sales_require_login(client, db):
    assert client.get(reverse("orders:sales")).status_code == 302


def test_sales_list_the_sellers_orders_with_the_buyer(client, roles):
    other_sale = make_order(seller=SellerFactory())
    page = login(client, roles["seller"]).get(reverse("orders:sales")).content.decode()
    assert roles["order"].number in page
    assert "buyer" in page
    assert other_sale.number not in page


@pytest.mark.parametrize("role", ["buyer", "other_buyer", "other_seller", "staff"])
def test_sales_list_only_the_users_own_sales(client, roles, role):
    response = login(client, roles[role]).get(reverse("orders:sales"))
    assert response.status_code == 200
    assert list(response.context["orders"]) == []
    assert roles["order"].number not in response.content.decode()


def test_sales_take_the_same_queries_for_one_sale_and_for_two_hundred(client, roles):
    seller = roles["seller_profile"]
    client = login(client, roles["seller"])
    url = reverse("orders:sales")
    one = count_queries(client, url)
    for days in range(199):
        make_order(buyer=UserFactory() if days % 3 else roles["buyer"], seller=seller, days_ago=days % 40)
    assert count_queries(client, url) == one


def test_a_user_who_is_buyer_and_seller_sees_each_side_in_its_list(client, roles):
    seller_user = roles["seller"]
    bought = make_order(buyer=seller_user, seller=SellerFactory(kind=SellerProfile.Kind.INDIVIDUAL))
    client = login(client, seller_user)
    purchases = client.get(reverse("orders:purchases")).content.decode()
    sales = client.get(reverse("orders:sales")).content.decode()
    assert bought.number in purchases and roles["order"].number not in purchases
    assert roles["order"].number in sales and bought.number not in sales


def test_order_lists_count_at_most_the_cap_and_say_there_are_more(client, db, monkeypatch):
    from orders import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 40)
    buyer = UserFactory(username="big-buyer")
    seller = SellerFactory()
    for _ in range(45):
        make_order(buyer=buyer, seller=seller)
    client.force_login(buyer)

    response = client.get(reverse("orders:purchases"))

    assert response.context["paginator"].count == 40
    assert "Page 1 sur 2+" in response.content.decode()
