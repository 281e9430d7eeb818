"""In Chromium, under the site's Content-Security-Policy: an agent finds an order in the admin, adds a line
through the inline's own script, and is refused 10× payment with express shipping in French."""
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from orders.models import Order

pytestmark = pytest.mark.e2e


def test_agent_edits_an_order_in_the_admin_and_gets_the_payment_rule_in_french(page, page_errors, live_server,
                                                                               demo_data):
    order = Order.objects.filter(buyer__username="alice", seller__user__username="boutique-paris",
                                 payment_method=Order.Payment.CARD).order_by("-purchased_at").first()
    page.goto(live_server.url + reverse("admin:index"))
    page.locator("#id_username").fill("agent")
    page.locator("#id_password").fill("demo-2026")
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#site-name")).to_be_visible()

    page.goto(live_server.url + reverse("admin:orders_order_changelist"))
    page.locator("#searchbar").fill(order.number.lower())
    page.locator("#changelist-search [type=submit]").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    page.locator("#result_list").get_by_role("link", name=order.number).click()

    expect(page.locator(".field-number")).to_contain_text(order.number)
    lines = page.locator("#lines-group")
    lines.locator(".add-row a").click()
    expect(lines.locator("[name=lines-1-quantity]")).to_be_visible()

    page.locator("#id_payment_method").select_option(Order.Payment.CARD_10X)
    page.locator("#id_shipping_method").select_option(Order.Shipping.EXPRESS)
    page.locator("[name=_save]").click()

    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".field-payment_method")).to_contain_text(
        "Le paiement en plusieurs fois n'est pas possible avec la livraison express.")
    before = (order.payment_method, order.shipping_method)
    order.refresh_from_db()
    assert (order.payment_method, order.shipping_method) == before
    assert page_errors == []
