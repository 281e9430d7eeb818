"""The agents' order screens: they load, search, and refuse invalid orders with a French message."""
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.deadlines import finalize_orders
from claims.eligibility import claim_eligibility
from claims.models import Claim
from orders.admin import EstimatedCountPaginator
from orders.models import AccountPreferences, Listing, Order, SellerProfile, TrackingEvent, sale_closes_at
from orders.services import order_mark_shipped
from tests.factories import ListingFactory, SellerFactory, UserFactory, make_order

EXPRESS_ERROR = "Le paiement en plusieurs fois n&#x27;est pas possible avec la livraison express."
NEW_ITEM_ERROR = "Seuls les vendeurs professionnels peuvent vendre des articles neufs."


def order_form_data(order, **overrides):
    """The order change form as the admin would post it, with its lines and tracking steps unchanged."""
    purchased = timezone.localtime(order.purchased_at)
    data = {
        "buyer": order.buyer_id, "seller": order.seller_id,
        "purchased_at_0": purchased.strftime("%d/%m/%Y"), "purchased_at_1": purchased.strftime("%H:%M:%S"),
        "status": order.status, "shipping_method": order.shipping_method, "destination": order.destination,
        "payment_method": order.payment_method, "wallet_amount": str(order.wallet_amount),
        "has_guarantee": "on" if order.has_guarantee else "",
        "shipped_at_0": "", "shipped_at_1": "", "delivered_at_0": "", "delivered_at_1": "",
        "finalized_at_0": "", "finalized_at_1": "",
    }
    lines = list(order.lines.all()) if order.pk else []
    data.update({"lines-TOTAL_FORMS": len(lines), "lines-INITIAL_FORMS": len(lines),
                 "lines-MIN_NUM_FORMS": 0, "lines-MAX_NUM_FORMS": 1000})
    for i, line in enumerate(lines):
        data.update({f"lines-{i}-id": line.pk, f"lines-{i}-order": order.pk, f"lines-{i}-listing": line.listing_id,
                     f"lines-{i}-title": line.title, f"lines-{i}-quantity": line.quantity,
                     f"lines-{i}-unit_price": str(line.unit_price)})
    events = list(order.tracking_events.all()) if order.pk else []
    data.update({"tracking_events-TOTAL_FORMS": len(events), "tracking_events-INITIAL_FORMS": len(events),
                 "tracking_events-MIN_NUM_FORMS": 0, "tracking_events-MAX_NUM_FORMS": 1000})
    for i, event in enumerate(events):
        at = timezone.localtime(event.at)
        data.update({f"tracking_events-{i}-id": event.pk, f"tracking_events-{i}-order": order.pk,
                     f"tracking_events-{i}-kind": event.kind, f"tracking_events-{i}-at_0": at.strftime("%d/%m/%Y"),
                     f"tracking_events-{i}-at_1": at.strftime("%H:%M:%S"), f"tracking_events-{i}-carrier": event.carrier,
                     f"tracking_events-{i}-tracking_number": event.tracking_number})
    data.update(overrides)
    return data


@pytest.fixture
def agent_client(client, roles):
    client.force_login(roles["staff"])
    return client


def test_order_changelist_loads_for_staff(agent_client, roles):
    response = agent_client.get(reverse("admin:orders_order_changelist"))
    assert response.status_code == 200
    assert roles["order"].number in response.content.decode()


def test_order_changelist_search_by_number_buyer_and_seller(agent_client, roles):
    order = roles["order"]
    other = make_order()
    url = reverse("admin:orders_order_changelist")
    for term in (order.number, order.number.lower(), "buyer", "buyer@example.com", order.seller.display_name):
        page = agent_client.get(url, {"q": term})
        assert page.status_code == 200
        assert order.number in page.content.decode(), term
        assert other.number not in page.content.decode(), term


def listed(response):
    """The primary keys the changelist shows."""
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


def test_order_changelist_filters_keep_only_the_matching_orders(agent_client, roles):
    placed = roles["order"]
    shipped = order_mark_shipped(order=make_order(payment_method=Order.Payment.PAYPAL, has_guarantee=True,
                                                  shipping_method=Order.Shipping.EXPRESS,
                                                  destination=Order.Destination.OVERSEAS),
                                 carrier="Colissimo", tracking_number="6A1", at=timezone.now())
    url = reverse("admin:orders_order_changelist")
    offered = {spec.field_path for spec in agent_client.get(url).context["cl"].filter_specs}
    assert offered == {"status", "payment_method", "has_guarantee", "shipping_method", "destination"}
    for params, expected in (
        ({"status__exact": "placed"}, {placed.pk}), ({"status__exact": "shipped"}, {shipped.pk}),
        ({"payment_method__exact": "card"}, {placed.pk}), ({"payment_method__exact": "paypal"}, {shipped.pk}),
        ({"has_guarantee__exact": "0"}, {placed.pk}), ({"has_guarantee__exact": "1"}, {shipped.pk}),
        ({"shipping_method__exact": "standard"}, {placed.pk}), ({"shipping_method__exact": "express"}, {shipped.pk}),
        ({"destination__exact": "metropolitan"}, {placed.pk}), ({"destination__exact": "overseas"}, {shipped.pk}),
    ):
        assert listed(agent_client.get(url, params)) == expected, params


def test_order_change_page_loads_with_lines_and_tracking_inline(agent_client, roles):
    order = roles["order"]
    page = agent_client.get(reverse("admin:orders_order_change", args=[order.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert order.lines.get().title in content
    assert "tracking_events-0-kind" in content


def test_order_changelist_is_not_visible_to_a_buyer(client, roles):
    client.force_login(roles["buyer"])
    response = client.get(reverse("admin:orders_order_changelist"))
    assert response.status_code == 302


def test_admin_refuses_ten_times_payment_with_express_shipping_in_french(agent_client, roles):
    order = roles["order"]
    data = order_form_data(order, payment_method=Order.Payment.CARD_10X, shipping_method=Order.Shipping.EXPRESS)
    response = agent_client.post(reverse("admin:orders_order_change", args=[order.pk]), data)
    assert response.status_code == 200
    assert EXPRESS_ERROR in response.content.decode()
    order.refresh_from_db()
    assert (order.payment_method, order.shipping_method) == (Order.Payment.CARD, Order.Shipping.STANDARD)


def test_admin_refuses_the_rule_when_only_an_inline_changes(agent_client, roles):
    """An agent editing a line still gets the payment rule checked, and the line is not saved either."""
    order = roles["order"]
    line = order.lines.get()
    data = order_form_data(order, payment_method=Order.Payment.CARD_10X, shipping_method=Order.Shipping.EXPRESS,
                           **{"lines-0-quantity": 3})
    response = agent_client.post(reverse("admin:orders_order_change", args=[order.pk]), data)
    assert response.status_code == 200
    assert EXPRESS_ERROR in response.content.decode()
    line.refresh_from_db()
    assert line.quantity == 1


def test_admin_inline_change_recomputes_the_total(agent_client, roles):
    order = roles["order"]
    data = order_form_data(order, **{"lines-0-quantity": 3})
    response = agent_client.post(reverse("admin:orders_order_change", args=[order.pk]), data)
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.total == Decimal("150.00")


DUPLICATE_FINALIZED = "Une commande n&#x27;a qu&#x27;une étape « Vente finalisée »."


def _add_finalized_steps(data, order, indexes):
    now = timezone.localtime()
    for i in indexes:
        data.update({f"tracking_events-{i}-kind": TrackingEvent.Kind.FINALIZED,
                     f"tracking_events-{i}-at_0": now.strftime("%d/%m/%Y"),
                     f"tracking_events-{i}-at_1": now.strftime("%H:%M:%S"),
                     f"tracking_events-{i}-order": order.pk})
    data["tracking_events-TOTAL_FORMS"] = max(indexes) + 1


def test_admin_refuses_two_finalized_tracking_steps_in_one_save(agent_client, roles):
    order = roles["order"]
    data = order_form_data(order)
    _add_finalized_steps(data, order, (1, 2))
    response = agent_client.post(reverse("admin:orders_order_change", args=[order.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(DUPLICATE_FINALIZED) == 1
    assert "contrainte" not in page
    assert not order.tracking_events.filter(kind=TrackingEvent.Kind.FINALIZED).exists()


def test_admin_refuses_a_finalized_step_on_an_order_that_has_one_with_our_message(agent_client, roles):
    order = roles["order"]
    TrackingEvent.objects.create(order=order, kind=TrackingEvent.Kind.FINALIZED, at=timezone.now())
    data = order_form_data(order)
    _add_finalized_steps(data, order, (data["tracking_events-TOTAL_FORMS"],))
    response = agent_client.post(reverse("admin:orders_order_change", args=[order.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(DUPLICATE_FINALIZED) == 1
    assert "contrainte" not in page and "one_finalized_event_per_order" not in page
    assert order.tracking_events.filter(kind=TrackingEvent.Kind.FINALIZED).count() == 1


def test_admin_refuses_a_line_from_another_sellers_listing(agent_client, roles):
    order = roles["order"]
    foreign = ListingFactory()
    data = order_form_data(order, **{"lines-0-listing": foreign.pk})
    response = agent_client.post(reverse("admin:orders_order_change", args=[order.pk]), data)
    assert response.status_code == 200
    assert "Cette annonce n&#x27;appartient pas au vendeur de la commande." in response.content.decode()


def test_order_added_in_the_admin_gets_a_number_and_its_total(agent_client, roles):
    seller = roles["seller_profile"]
    listing = ListingFactory(seller=seller, price=Decimal("12.50"))
    draft = Order(buyer=roles["buyer"], seller=seller, purchased_at=timezone.now(),
                  shipping_method=Order.Shipping.RELAY, destination=Order.Destination.OVERSEAS,
                  payment_method=Order.Payment.CARD_4X)
    data = order_form_data(draft, **{
        "lines-TOTAL_FORMS": 1, "lines-INITIAL_FORMS": 0, "lines-0-listing": listing.pk, "lines-0-quantity": 2,
    })
    response = agent_client.post(reverse("admin:orders_order_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    order = Order.objects.exclude(pk=roles["order"].pk).get()
    year = timezone.localtime(order.purchased_at).year
    assert order.number.startswith(f"RK-{year}-")
    assert order.total == Decimal("25.00")
    line = order.lines.get()
    assert (line.title, line.unit_price) == (listing.title, Decimal("12.50"))
    assert order.finalizes_at == sale_closes_at(order.purchased_at) == order.sale_closes_at
    assert list(order.tracking_events.values_list("kind", "at")) == [(TrackingEvent.Kind.PLACED, order.purchased_at)]


def test_a_sale_bought_in_paris_time_across_a_clock_change_closes_at_one_instant(agent_client, roles):
    """Bought Tuesday 10 March 2026 at 10:00 Paris time (CET) through the admin's form; the clocks go forward on
    29 March, inside the six weeks. The stored closing, the claim eligibility on the order read back from the
    database (UTC) and the sweep all close the sale at the same instant: 21 April at 10:00 in Paris."""
    seller = roles["seller_profile"]
    listing = ListingFactory(seller=seller, price=Decimal("30.00"))
    draft = Order(buyer=roles["buyer"], seller=seller, purchased_at=timezone.now(),
                  shipping_method=Order.Shipping.STANDARD, destination=Order.Destination.METROPOLITAN,
                  payment_method=Order.Payment.CARD, status=Order.Status.DELIVERED)
    data = order_form_data(draft, **{
        "purchased_at_0": "10/03/2026", "purchased_at_1": "10:00:00",
        "delivered_at_0": "13/03/2026", "delivered_at_1": "12:00:00",
        "lines-TOTAL_FORMS": 1, "lines-INITIAL_FORMS": 0, "lines-0-listing": listing.pk, "lines-0-quantity": 1,
    })
    response = agent_client.post(reverse("admin:orders_order_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    order = Order.objects.exclude(pk=roles["order"].pk).get()  # read back: purchased_at in UTC
    bought = datetime(2026, 3, 10, 9, 0, tzinfo=dt_timezone.utc)  # 10:00 CET
    closes = datetime(2026, 4, 21, 8, 0, tzinfo=dt_timezone.utc)  # six weeks later at 10:00 in Paris, now CEST
    assert order.purchased_at == bought
    assert order.finalizes_at == closes == order.sale_closes_at

    one_second_before = closes - timedelta(seconds=1)
    assert claim_eligibility(order=order, user=roles["buyer"], now=one_second_before).allows(Claim.Reason.DAMAGED)
    assert finalize_orders(now=one_second_before) == 0
    refused = claim_eligibility(order=order, user=roles["buyer"], now=closes)
    assert not refused.allowed and "finalisée le 21 avril 2026" in refused.message
    assert finalize_orders(now=closes) == 1
    order.refresh_from_db()
    assert order.status == Order.Status.FINALIZED


def test_admin_add_refuses_ten_times_with_express(agent_client, roles):
    draft = Order(buyer=roles["buyer"], seller=roles["seller_profile"], purchased_at=timezone.now(),
                  shipping_method=Order.Shipping.EXPRESS, destination=Order.Destination.METROPOLITAN,
                  payment_method=Order.Payment.CARD_10X)
    response = agent_client.post(reverse("admin:orders_order_add"), order_form_data(draft))
    assert response.status_code == 200
    assert EXPRESS_ERROR in response.content.decode()
    assert Order.objects.count() == 1


def test_listing_admin_shows_the_new_item_rule_on_the_condition_field(agent_client, roles):
    individual = SellerFactory(kind=SellerProfile.Kind.INDIVIDUAL)
    data = {"seller": individual.pk, "title": "Console", "reference": "123", "condition": Listing.Condition.NEW,
            "price": "10.00"}
    response = agent_client.post(reverse("admin:orders_listing_add"), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["condition"] == [NEW_ITEM_ERROR]
    assert not Listing.objects.filter(title="Console").exists()


def test_listing_admin_lets_a_professional_sell_new_items(agent_client, roles):
    data = {"seller": roles["seller_profile"].pk, "title": "Console", "reference": "123",
            "condition": Listing.Condition.NEW, "price": "10.00"}
    assert agent_client.post(reverse("admin:orders_listing_add"), data).status_code == 302
    assert Listing.objects.filter(title="Console", condition=Listing.Condition.NEW).exists()


def test_seller_admin_refuses_turning_a_seller_of_new_items_into_an_individual(agent_client, roles):
    seller = roles["seller_profile"]
    ListingFactory(seller=seller, condition=Listing.Condition.NEW)
    data = {"user": seller.user_id, "display_name": seller.display_name, "kind": SellerProfile.Kind.INDIVIDUAL,
            "contact_email": seller.contact_email}
    response = agent_client.post(reverse("admin:orders_sellerprofile_change", args=[seller.pk]), data)
    assert response.status_code == 200
    assert "kind" in response.context["adminform"].form.errors
    seller.refresh_from_db()
    assert seller.is_professional


def test_seller_changelist_searches_names_and_e_mails(agent_client, roles):
    wanted = roles["seller_profile"]
    other = SellerFactory(display_name="Autre boutique", contact_email="autre@example.com")
    url = reverse("admin:orders_sellerprofile_changelist")
    assert listed(agent_client.get(url)) >= {wanted.pk, other.pk}
    for term in (wanted.display_name, wanted.contact_email, wanted.user.username):
        found = listed(agent_client.get(url, {"q": term}))
        assert wanted.pk in found and other.pk not in found, term


def test_listing_changelist_searches_titles_and_references(agent_client, roles):
    wanted = ListingFactory(seller=roles["seller_profile"], title="Casque sans fil XZ", reference="EAN-4006381")
    other = ListingFactory(seller=roles["seller_profile"], title="Lampe de bureau", reference="SKU-77")
    url = reverse("admin:orders_listing_changelist")
    assert listed(agent_client.get(url)) >= {wanted.pk, other.pk}
    for term in ("casque", "EAN-4006381"):
        assert listed(agent_client.get(url, {"q": term})) == {wanted.pk}, term


def test_account_preferences_changelist_searches_and_filters(agent_client, roles):
    english = AccountPreferences.objects.update_or_create(user=UserFactory(username="zoe"),
                                                          defaults={"language": "en"})[0]
    french = AccountPreferences.objects.update_or_create(user=roles["other_buyer"], defaults={"language": "fr"})[0]
    url = reverse("admin:orders_accountpreferences_changelist")
    for term in ("zoe", "zoe@example.com"):
        found = listed(agent_client.get(url, {"q": term}))
        assert english.pk in found and french.pk not in found, term
    found = listed(agent_client.get(url, {"language__exact": "en"}))
    assert english.pk in found and french.pk not in found


def test_listing_changelist_filters_by_condition_and_seller_kind(agent_client, roles):
    pro = ListingFactory(seller=roles["seller_profile"], title="Chez le pro")
    amateur = ListingFactory(seller=SellerFactory(kind=SellerProfile.Kind.INDIVIDUAL), title="Chez le particulier")
    page = agent_client.get(reverse("admin:orders_listing_changelist"), {"seller__kind__exact": "individual"})
    assert amateur.title in page.content.decode()
    assert pro.title not in page.content.decode()


def test_paginator_counts_exactly_on_a_filtered_queryset(roles):
    make_order(buyer=UserFactory())
    paginator = EstimatedCountPaginator(Order.objects.filter(buyer=roles["buyer"]), 10)
    assert paginator.count == 1


def test_admin_constraint_validation_backs_the_rule_when_clean_is_skipped(agent_client, roles, monkeypatch):
    """Without Order.clean, the check constraint's own French message still stops the save: no 500."""
    monkeypatch.setattr(Order, "clean", lambda self: None)
    order = roles["order"]
    data = order_form_data(order, payment_method=Order.Payment.CARD_10X, shipping_method=Order.Shipping.EXPRESS,
                           **{"lines-0-quantity": 2})
    response = agent_client.post(reverse("admin:orders_order_change", args=[order.pk]), data)
    assert response.status_code == 200
    assert EXPRESS_ERROR in response.content.decode()
    order.refresh_from_db()
    assert order.payment_method == Order.Payment.CARD
    assert order.lines.get().quantity == 1


def test_admin_refuses_a_wallet_part_above_the_new_total_of_the_lines(agent_client, roles):
    order = roles["order"]
    data = order_form_data(order, payment_method=Order.Payment.WALLET, wallet_amount="80.00")
    response = agent_client.post(reverse("admin:orders_order_change", args=[order.pk]), data)
    assert response.status_code == 200
    assert "ne peut pas dépasser le total de la commande (50,00\xa0€)" in response.content.decode()
    data["lines-0-quantity"] = 2
    assert agent_client.post(reverse("admin:orders_order_change", args=[order.pk]), data).status_code == 302
    order.refresh_from_db()
    assert (order.total, order.wallet_amount, order.card_amount) == (Decimal("100.00"), Decimal("80.00"), Decimal("20.00"))


@pytest.mark.postgres
def test_paginator_uses_the_planner_estimate_for_a_big_unfiltered_table(roles, monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the planner's estimate is read from PostgreSQL's pg_class")
    for _ in range(3):
        make_order()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Order._meta.db_table}")
    monkeypatch.setattr("orders.admin.EXACT_COUNT_UP_TO", 1)
    paginator = EstimatedCountPaginator(Order.objects.all(), 10)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 4
    assert "pg_class" in queries[0]["sql"] and "COUNT(" not in queries[0]["sql"].upper()


@pytest.mark.parametrize("name, with_pk", [("changelist", False), ("change", True), ("add", False)])
def test_order_admin_pages_have_no_inline_script_or_style_under_the_csp(agent_client, roles, name, with_pk):
    import re

    url = reverse(f"admin:orders_order_{name}", args=[roles["order"].pk] if with_pk else [])
    response = agent_client.get(url)
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert [tag for tag in re.findall(r"<script[^>]*>", html) if "src=" not in tag and "application/json" not in tag] == []
    assert 'style="' not in html
