"""At 390 × 844 (a phone; the log-in helper runs at 1280, then the window narrows): lists as cards with their status, nothing cut off, the bell labelled, the photo fitting.

And at 1280 px the navbar of a seller fits on one line, in French and in English.
"""
import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from claims.models import Claim, Notification
from orders.models import Order

from .test_accessibility import build_scenario

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def language(page, live_server, code):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": live_server.url}])


def test_purchases_are_cards_with_their_status_on_a_phone(page, page_errors, live_server, demo_data, login):
    login(page, live_server, "alice")
    page.set_viewport_size(PHONE)
    page.goto(reverse("orders:purchases"))
    expect(page.locator("table")).to_be_hidden()
    cards = page.get_by_test_id("order-cards").locator("li.card")
    orders = Order.objects.filter(buyer__username="alice").order_by("-purchased_at")
    expect(cards).to_have_count(orders.count())
    first = orders.first()
    expect(cards.first).to_contain_text(first.number)
    expect(cards.first.locator(".badge")).to_have_text(str(first.get_status_display()))
    for card in cards.all():
        expect(card.locator(".badge")).to_be_visible()
        assert card.bounding_box()["width"] <= PHONE["width"]
    assert page.evaluate(OVERFLOW) == 0
    assert page_errors == []


def test_sales_are_cards_naming_the_buyer_as_everywhere_else(page, page_errors, live_server, demo_data, login):
    login(page, live_server, "boutique-paris")
    page.set_viewport_size(PHONE)
    page.goto(reverse("orders:sales"))
    cards = page.get_by_test_id("order-cards")
    expect(cards).to_be_visible()
    expect(cards).to_contain_text("Alice")
    expect(cards).not_to_contain_text("alice")
    assert page.evaluate(OVERFLOW) == 0
    page.set_viewport_size(DESKTOP)
    expect(page.locator("table")).to_be_visible()
    expect(cards).to_be_hidden()
    expect(page.locator("table tbody")).to_contain_text("Alice")
    assert page_errors == []


@pytest.mark.parametrize("user, names", [
    ("alice", ["orders:account", "orders:purchases", "claims:notifications", "helpdesk:requests", "helpdesk:index",
               "helpdesk:contact", "helpdesk:contact_form"]),
    ("boutique-paris", ["claims:dashboard", "claims:dashboard_messages", "orders:sales"]),
])
def test_nothing_is_cut_off_on_a_phone(page, page_errors, live_server, demo_data, login, user, names):
    scenario = build_scenario()
    login(page, live_server, user)
    page.set_viewport_size(PHONE)
    urls = [reverse(name) for name in names] + [
        reverse("orders:detail", args=[scenario.claimed_order.number]),
        reverse("claims:detail", args=[scenario.pending_claim.pk]),
    ]
    for code in ("fr", "en"):
        language(page, live_server, code)
        for url in urls:
            page.goto(url)
            assert page.evaluate(OVERFLOW) == 0, f"{url} ({code}) is wider than the phone"
    assert page_errors == []


def test_the_seller_space_lists_claims_as_cards_with_their_status(page, page_errors, live_server, demo_data, login):
    scenario = build_scenario()
    login(page, live_server, "boutique-paris")
    page.set_viewport_size(PHONE)
    page.goto(reverse("claims:dashboard"))
    rows = page.locator(".dashboard-claim")
    expect(rows).to_have_count(Claim.objects.filter(order__seller__user__username="boutique-paris").count())
    for row in rows.all():
        status = row.get_by_test_id("dashboard-claim-status")
        expect(status.locator(".badge").first).to_be_visible()
        # The status line sits under the title on every row, at the same place.
        assert status.bounding_box()["x"] == rows.first.get_by_test_id("dashboard-claim-status").bounding_box()["x"]
    expect(rows.filter(has_text=scenario.pending_claim.order.number)).to_contain_text("En attente de l'acheteur")
    assert page.evaluate(OVERFLOW) == 0
    assert page_errors == []


def test_the_bell_has_a_label_in_words(page, live_server, demo_data, login):
    build_scenario()  # the seller has notifications waiting
    unread = Notification.objects.filter(recipient__username="boutique-paris", read_at__isnull=True).count()
    assert unread > 1
    login(page, live_server, "boutique-paris")
    bell = page.get_by_test_id("nav-notifications")
    expect(bell).to_be_visible()
    expect(bell).to_contain_text("Notifications")
    expect(bell).to_have_accessible_name(f"Notifications {unread} {unread} notifications non lues")
    expect(bell.get_by_test_id("unread-label")).to_have_text(f"{unread} notifications non lues")
    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="Menu").click()
    expect(bell).to_be_visible()
    expect(bell).to_contain_text("Notifications")


@pytest.mark.parametrize("code", ["fr", "en"])
def test_the_sellers_navbar_fits_at_1280(page, live_server, demo_data, login, code):
    login(page, live_server, "boutique-paris")
    language(page, live_server, code)
    page.goto(reverse("claims:dashboard"))
    items = page.locator("nav.navbar .navbar-collapse .nav-item")
    boxes = [item.bounding_box() for item in items.all()]
    assert len(boxes) >= 9
    assert all(box["x"] + box["width"] <= DESKTOP["width"] for box in boxes), boxes
    assert all(box["y"] == boxes[0]["y"] or abs(box["y"] - boxes[0]["y"]) < 12 for box in boxes), "on one line"
    # No two entries touch ("English" used to touch "Espace vendeur").
    ordered = sorted(boxes, key=lambda box: box["x"])
    assert all(left["x"] + left["width"] <= right["x"] for left, right in zip(ordered, ordered[1:])), ordered
    seller_space = page.get_by_test_id("nav-seller-space").bounding_box()
    switch = page.locator("nav.navbar .lang-switch button").bounding_box()
    assert switch["x"] - (seller_space["x"] + seller_space["width"]) >= 8, (seller_space, switch)


def test_the_full_size_photo_fits_a_phone_without_a_csp_error(page, page_errors, live_server, demo_data, login):
    scenario = build_scenario()
    photo = scenario.pending_claim.attachments.first()
    login(page, live_server, "alice")
    page.set_viewport_size(PHONE)
    page.goto(reverse("claims:detail", args=[scenario.pending_claim.pk]))
    link = page.locator(f"a[href='{reverse('claims:attachment', args=[photo.pk])}']").first
    expect(link).to_be_visible()
    page.goto(link.get_attribute("href"))
    image = page.locator("img").first
    expect(image).to_be_visible()
    box = image.bounding_box()
    assert box["width"] <= PHONE["width"] and box["height"] <= PHONE["height"], box
    assert page.evaluate("() => document.images[0].naturalWidth") == 800
    assert page_errors == []
