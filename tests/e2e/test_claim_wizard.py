"""Alice files each kind of claim through the wizard in Chromium, and is told when "not received" opens."""
import os
import re

import pytest
from django.utils import formats, timezone
from PIL import Image
from playwright.sync_api import expect

from claims.eligibility import not_received_from
from claims.models import Claim
from orders.models import Order

pytestmark = pytest.mark.e2e


def alice_order(days: int) -> Order:
    """Alice's demo order placed `days` days ago."""
    now = timezone.now()
    for order in Order.objects.filter(buyer__username="alice"):
        if (now - order.purchased_at).days == days:
            return order
    raise AssertionError(f"no demo order {days} days old")


def shoot(page, name):
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def next_step(page):
    page.get_by_test_id("wizard-next").click()


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "article-recu.jpg"
    Image.new("RGB", (320, 240), "teal").save(path, "JPEG")
    return path


@pytest.mark.parametrize("days, reason", [
    (5, Claim.Reason.DAMAGED),
    (7, Claim.Reason.DIFFERENT),
    (8, Claim.Reason.COUNTERFEIT),
    (20, Claim.Reason.NOT_RECEIVED),
    (3, Claim.Reason.OTHER),
])
def test_alice_files_a_claim_and_lands_on_its_page(page, page_errors, live_server, demo_data, login, photo, days, reason):
    order = alice_order(days)
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/commandes/{order.number}/")
    page.get_by_test_id("claim-start").click()
    expect(page.get_by_test_id("wizard-progress")).to_contain_text("Étape 1 sur")

    page.get_by_label(str(Claim.Reason(reason).label)).check()
    if reason == Claim.Reason.OTHER:
        kind = page.get_by_label(str(Claim.OtherKind.SURTAX.label))
        expect(kind).to_be_visible()
        kind.check()
    shoot(page, f"{reason}-1-reason")
    next_step(page)

    if reason in (Claim.Reason.DAMAGED, Claim.Reason.DIFFERENT, Claim.Reason.NOT_RECEIVED):
        expect(page.get_by_test_id("claim-wizard")).to_have_attribute("data-step", "items")
        page.get_by_label(order.lines.get().title, exact=False).check()
        shoot(page, f"{reason}-2-items")
        next_step(page)

    expect(page.get_by_test_id("claim-wizard")).to_have_attribute("data-step", "details")
    expect(page.get_by_test_id("claim-advice")).to_be_visible()
    if reason == Claim.Reason.DIFFERENT:
        page.get_by_label("Référence de l'article reçu").fill("EOS-4000D")
    description = {
        Claim.Reason.DAMAGED: "Le casque grésille à gauche.",
        Claim.Reason.DIFFERENT: "J'ai reçu un EOS 4000D au lieu d'un 600D.",
        Claim.Reason.COUNTERFEIT: "Le logo est mal imprimé et le numéro de série n'existe pas.",
        Claim.Reason.NOT_RECEIVED: "",
        Claim.Reason.OTHER: "Le livreur m'a demandé 12 € de surtaxe.",
    }[reason]
    if description:
        page.locator("textarea").fill(description)
    shoot(page, f"{reason}-3-details")
    next_step(page)

    if reason != Claim.Reason.NOT_RECEIVED:
        expect(page.get_by_test_id("claim-wizard")).to_have_attribute("data-step", "photos")
        if reason == Claim.Reason.DIFFERENT:
            page.locator("input[type=file]").set_input_files(str(photo))
        shoot(page, f"{reason}-4-photos")
        next_step(page)

    review = page.get_by_test_id("claim-review")
    expect(review).to_contain_text(str(Claim.Reason(reason).label))
    if reason == Claim.Reason.DIFFERENT:
        expect(review).to_contain_text("article-recu.jpg")
    shoot(page, f"{reason}-5-review")
    page.get_by_test_id("wizard-submit").click()

    page.wait_for_url(re.compile(r"/reclamations/\d+/$"))
    claim = Claim.objects.get(order=order)
    assert page.url.endswith(f"/reclamations/{claim.pk}/")
    expect(page.locator("main")).to_contain_text(str(Claim.Reason(reason).label))
    expect(page.locator("main")).to_contain_text("Votre réclamation a été transmise au vendeur.")
    assert claim.reason == reason
    assert claim.attachments.count() == (1 if reason == Claim.Reason.DIFFERENT else 0)
    assert page_errors == []


def test_alice_is_told_from_when_she_can_report_a_parcel_not_received(page, page_errors, live_server, demo_data, login):
    order = alice_order(10)
    opens = formats.date_format(not_received_from(order), "DATE_FORMAT")
    expected = f"Vous pourrez signaler un colis non reçu à partir du {opens}."
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/commandes/{order.number}/")

    expect(page.get_by_test_id("claim-window")).to_contain_text(expected)
    expect(page.get_by_test_id("order-claims").get_by_role("link", name="Contacter le vendeur")).to_have_attribute(
        "href", "#contacter-le-vendeur"
    )
    page.get_by_test_id("claim-start").click()
    expect(page.get_by_label(str(Claim.Reason.NOT_RECEIVED.label))).to_be_disabled()
    expect(page.get_by_test_id("claim-wizard").get_by_test_id("claim-window")).to_contain_text(expected)
    assert not Claim.objects.filter(order=order).exists()
    assert page_errors == []
