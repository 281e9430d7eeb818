"""A buyer signs in, finds an order among all their purchases, follows its tracking, and reads it in English."""
import os
import re

import pytest
from playwright.sync_api import expect

from orders.models import Order

pytestmark = pytest.mark.e2e


def test_buyer_follows_an_order_from_all_purchases_and_reads_it_in_english(page, page_errors, live_server,
                                                                             demo_data, login):
    login(page, live_server, "alice")

    page.get_by_role("link", name="Tous mes achats").first.click()
    expect(page.locator("h1")).to_contain_text("Tous mes achats")
    delivered = Order.objects.filter(buyer__username="alice", status=Order.Status.DELIVERED).first()
    shipping = delivered.tracking_events.exclude(carrier="").get()
    page.get_by_role("link", name=delivered.number, exact=True).click()

    expect(page).to_have_url(re.compile(re.escape(delivered.number)))
    expect(page.locator("h1")).to_have_text(f"Commande {delivered.number}")
    timeline = page.get_by_test_id("tracking-timeline")
    expect(timeline).to_be_visible()
    expect(timeline.locator("li")).to_have_count(delivered.tracking_events.count())
    expect(timeline).to_contain_text(shipping.carrier)
    expect(timeline).to_contain_text(shipping.tracking_number)
    if os.environ.get("E2E_SCREENSHOT"):
        page.screenshot(path=os.environ["E2E_SCREENSHOT"], full_page=True)

    page.get_by_test_id("lang-en").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(f"Order {delivered.number}")
    expect(page.get_by_test_id("lang-fr")).to_be_visible()
    assert page_errors == []


def test_pages_load_their_stylesheets(page, live_server, demo_data, login):
    login(page, live_server, "alice")

    # Bootstrap's navbar rule and our own red: both stylesheets were served and applied.
    navbar = page.locator("nav.navbar").first
    expect(navbar).to_have_css("display", "flex")
    expect(navbar).to_have_css("background-color", "rgb(191, 0, 0)")
