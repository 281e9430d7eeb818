"""In Chromium: alice's claim reaches the seller's space first, the seller offers a partial refund, alice accepts."""
import os
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from claims.domain import claim_open
from claims.models import Claim
from claims.photos import process_upload
from orders.models import Order

pytestmark = pytest.mark.e2e

# Set E2E_SCREENSHOTS to a folder to keep pictures of the dashboard and the claim page.
SHOTS = os.environ.get("E2E_SCREENSHOTS")


def scratched_screen():
    image = Image.new("RGB", (640, 480), "#20232a")
    ImageDraw.Draw(image).line((40, 400, 600, 60), fill="#f5f5f5", width=6)
    buffer = BytesIO()
    image.save(buffer, "JPEG")
    return process_upload(SimpleUploadedFile("rayure.jpg", buffer.getvalue()))


def shoot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_seller_settles_alices_claim_with_a_partial_refund(page, second_page, page_errors, live_server, demo_data,
                                                           login):
    alice = get_user_model().objects.get(username="alice")
    order = (Order.objects.filter(buyer=alice, seller__user__username="boutique-paris", status=Order.Status.DELIVERED)
             .order_by("-purchased_at").first())
    claim = claim_open(order=order, buyer=alice, reason=Claim.Reason.DAMAGED, now=timezone.now(),
                       description="L'écran est rayé sur toute la largeur.", items=list(order.lines.all()),
                       photos=[scratched_screen()])

    seller = page
    login(seller, live_server, "boutique-paris")
    seller.get_by_test_id("nav-seller-space").click()
    first = seller.locator(".dashboard-claim").first
    expect(first).to_contain_text(order.number)
    expect(first.get_by_test_id("deadline-badge")).to_be_visible()
    shoot(seller, "dashboard")
    first.click()
    expect(seller.locator("h1")).to_have_text("Article endommagé ou qui ne fonctionne pas")
    photo = seller.locator("img.thumb").first
    expect(photo).to_be_visible()
    assert seller.evaluate("(img) => img.naturalWidth", photo.element_handle()) > 0
    seller.get_by_label("Votre message").fill("Bonjour Alice, merci pour la photo.")
    seller.get_by_role("button", name="Envoyer", exact=True).click()
    expect(seller.get_by_test_id("thread")).to_contain_text("merci pour la photo")
    shoot(seller, "claim-seller")
    seller.get_by_label("Remboursement partiel (rabais)").check()
    seller.get_by_label("Montant remboursé (€)").fill("30")
    seller.get_by_label("Message à l'acheteur (facultatif)").fill("Désolé pour la rayure : je vous propose 30 €.")
    seller.get_by_test_id("propose").click()
    expect(seller.locator(".messages")).to_contain_text("Votre proposition a été envoyée")

    buyer = second_page
    login(buyer, live_server, "alice")
    expect(buyer.get_by_test_id("unread-count")).to_be_visible()
    buyer.goto(reverse("claims:detail", args=[claim.pk]))
    proposal = buyer.get_by_test_id("proposal").first
    expect(proposal).to_contain_text("30,00 €")
    expect(proposal).to_contain_text("Désolé pour la rayure")
    shoot(buyer, "claim-proposal")
    buyer.once("dialog", lambda dialog: dialog.accept())
    proposal.get_by_test_id("accept").click()
    expect(buyer.get_by_test_id("claim-status-badge")).to_have_text("Résolue à l'amiable")
    timeline = buyer.get_by_test_id("claim-timeline")
    expect(timeline).to_contain_text("Proposition du vendeur")
    expect(timeline).to_contain_text("Proposition acceptée")
    shoot(buyer, "claim-settled")

    seller.reload()
    expect(seller.get_by_test_id("claim-status-badge")).to_have_text("Résolue à l'amiable")
    expect(seller.get_by_test_id("claim-timeline")).to_contain_text("Proposition acceptée")
    seller.goto(reverse("claims:dashboard") + "?filtre=cloturees")
    expect(seller.get_by_test_id("dashboard-claims")).to_contain_text(order.number)
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.SETTLED
    assert page_errors == []


def test_buyer_contacts_the_seller_who_answers_from_the_seller_space(page, second_page, page_errors, live_server,
                                                                      demo_data, login):
    order = (Order.objects.filter(buyer__username="alice", seller__user__username="boutique-paris")
             .order_by("-purchased_at").first())
    buyer = page
    login(buyer, live_server, "alice")
    buyer.goto(reverse("orders:detail", args=[order.number]) + "#contacter-le-vendeur")
    box = buyer.locator("#contacter-le-vendeur")
    expect(box).to_contain_text("Contacter le vendeur")
    box.get_by_label("Votre message").fill("Bonjour, pouvez-vous me dire quand le colis part ?")
    box.get_by_role("button", name="Envoyer").click()
    expect(buyer.locator("#contacter-le-vendeur")).to_contain_text("quand le colis part")

    seller = second_page
    login(seller, live_server, "boutique-paris")
    seller.get_by_test_id("nav-seller-space").click()
    expect(seller.get_by_test_id("unread-order-messages")).to_have_text("1")
    seller.get_by_role("link", name="Messages des acheteurs").click()
    thread = seller.get_by_test_id("order-thread").first
    expect(thread).to_contain_text(order.number)
    expect(thread).to_contain_text("quand le colis part")
    shoot(seller, "dashboard-messages")
    thread.get_by_role("textbox").fill("Il part demain matin en Colissimo.")
    thread.get_by_role("button", name="Répondre").click()
    expect(seller.get_by_test_id("order-thread").first).to_contain_text("Il part demain matin")

    buyer.locator(f'nav a[href="{reverse("claims:notifications")}"]').click()
    expect(buyer.get_by_test_id("notifications")).to_contain_text("Nouveau message sur une commande")
    shoot(buyer, "notifications")
    buyer.get_by_test_id("notifications").get_by_role("button", name="Nouveau message sur une commande").click()
    expect(buyer.locator("#contacter-le-vendeur")).to_contain_text("Il part demain matin")
    shoot(buyer, "order-messages")
    expect(buyer.get_by_test_id("unread-count")).to_have_count(0)
    assert page_errors == []
