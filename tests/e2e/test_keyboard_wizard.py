"""Keyboard only: alice files a claim from her order page to the confirmation with Tab, Enter and Space.

At every key press the focused element must be on screen and show a focus indicator (an outline or a
focus ring), and each page offers its skip link first.
"""
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from claims.models import Claim
from orders.models import Order

from .a11y import assert_accessible

pytestmark = pytest.mark.e2e

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    tag: el.tagName.toLowerCase(), type: el.type || "", value: el.value || "", name: el.name || "",
    testid: el.dataset.testid || "", text: (el.innerText || el.getAttribute("aria-label") || "").trim().slice(0, 60),
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
              && box.top < window.innerHeight && box.left < window.innerWidth,
    ring: outline || style.boxShadow !== "none",
  };
}"""


def focused(page):
    return page.evaluate(FOCUSED)


def tab_to(page, wanted, *, limit=60):
    """Press Tab until `wanted(focus)` holds; every element met on the way is visible and shows its focus."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = focused(page)
        assert focus is not None, f"Tab left the page's elements after {seen}"
        assert focus["onScreen"], f"focused element off screen: {focus}"
        assert focus["ring"], f"focused element shows no focus indicator: {focus}"
        seen.append(focus["testid"] or focus["text"] or focus["name"])
        if wanted(focus):
            return focus
    raise AssertionError(f"never reached the wanted element; went through {seen}")


IN_MAIN = "() => !!document.activeElement.closest('main')"


def skip_to_content(page):
    """The first Tab shows the skip link, and Enter on it starts the next Tab inside the main content.

    A step sent from a page reached through the skip link comes back at the same address, "#main"
    included: there the first Tab is already inside the main content, which is what the link is for.
    """
    focus = tab_to(page, lambda f: True, limit=1)
    if page.url.endswith("#main"):
        assert page.evaluate(IN_MAIN), f"the page opened at #main but the first Tab went to {focus}"
        page.keyboard.press("Shift+Tab")  # back before it, so that the caller's Tab finds it again
        return
    assert focus["tag"] == "a" and focus["text"] in ("Aller au contenu", "Skip to content"), focus
    page.keyboard.press("Enter")


def test_alice_files_a_claim_with_the_keyboard_alone(page, page_errors, live_server, demo_data, login):
    alice = get_user_model().objects.get(username="alice")
    order = (Order.objects.filter(buyer=alice, seller__user__username="boutique-paris", status=Order.Status.DELIVERED)
             .order_by("-purchased_at").first())
    # Bootstrap scrolls smoothly unless motion is reduced: the focus checks below read the page at once.
    page.emulate_media(reduced_motion="reduce")
    login(page, live_server, "alice")
    page.goto(reverse("orders:detail", args=[order.number]))

    # The order page: the skip link, then on to "Faire une réclamation".
    skip_to_content(page)
    tab_to(page, lambda f: f["testid"] == "claim-start")
    page.keyboard.press("Enter")
    wizard = page.get_by_test_id("claim-wizard")
    expect(wizard).to_have_attribute("data-step", "reason")

    # Step 1, the reason: Tab into the choices, Tab on to "damaged", Space picks it.
    skip_to_content(page)
    tab_to(page, lambda f: f["type"] == "radio" and f["value"] == Claim.Reason.DAMAGED)
    page.keyboard.press("Space")
    expect(page.locator(f"input[type=radio][value={Claim.Reason.DAMAGED}]")).to_be_checked()
    tab_to(page, lambda f: f["testid"] == "wizard-next")
    page.keyboard.press("Enter")
    expect(wizard).to_have_attribute("data-step", "items")

    # Step 2, the items: Space ticks the line.
    skip_to_content(page)
    tab_to(page, lambda f: f["type"] == "checkbox")
    page.keyboard.press("Space")
    expect(page.locator("input[type=checkbox][name$=items]").first).to_be_checked()
    tab_to(page, lambda f: f["testid"] == "wizard-next")
    page.keyboard.press("Enter")
    expect(wizard).to_have_attribute("data-step", "details")

    # Step 3, the details: type the description.
    skip_to_content(page)
    tab_to(page, lambda f: f["tag"] == "textarea")
    page.keyboard.type("Le casque grésille à gauche.")
    tab_to(page, lambda f: f["testid"] == "wizard-next")
    page.keyboard.press("Enter")
    expect(wizard).to_have_attribute("data-step", "photos")

    # Step 4, the photos are optional here: on to the next step.
    skip_to_content(page)
    tab_to(page, lambda f: f["testid"] == "wizard-next")
    page.keyboard.press("Enter")
    expect(wizard).to_have_attribute("data-step", "review")
    expect(page.get_by_test_id("claim-review")).to_contain_text("Le casque grésille à gauche.")

    # Step 5, the review: send it.
    skip_to_content(page)
    tab_to(page, lambda f: f["testid"] == "wizard-submit")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/reclamations/\d+/(#main)?$"))

    # The confirmation: the claim's page, the message said, and the keyboard still finds its way.
    claim = Claim.objects.get(order=order)
    assert page.url.split("#")[0].endswith(reverse("claims:detail", args=[claim.pk]))
    expect(page.locator(".messages")).to_contain_text("Votre réclamation a été transmise au vendeur.")
    skip_to_content(page)
    tab_to(page, lambda f: f["tag"] in ("a", "button", "textarea", "input"))
    assert claim.reason == Claim.Reason.DAMAGED and claim.description == "Le casque grésille à gauche."
    assert_accessible(page, "claim page after the keyboard-only wizard")
    assert page_errors == []
