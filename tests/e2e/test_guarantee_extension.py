"""In Chromium: under the Rakuten guarantee, marc takes the one extra delay, then proves the parcel left."""
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from playwright.sync_api import expect

from claims.domain import claim_open
from claims.models import Claim, Proposal
from orders.models import Order

pytestmark = pytest.mark.e2e

# Small but whole: the upload pipeline wants the header and the trailer.
RECEIPT = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def deadline_text(at):
    """The deadline as the claim page writes it, e.g. "mardi 8 décembre 2026 à 18:00"."""
    with translation.override("fr"):
        local = timezone.localtime(at)
        return f"{date_format(local, 'l j F Y')} à {time_format(local, 'H:i')}"


PARIS = ZoneInfo("Europe/Paris")
# Tuesday 5 May 2026, with two public holidays ahead: Friday 8 May (Victoire 1945), Thursday 14 May (Ascension).
OPENED = datetime(2026, 5, 5, 10, 0, tzinfo=PARIS)
# Worked out by hand. 3 business days: Wed 6, Thu 7, (Fri 8 off), Mon 11 May.
# 7 business days: 6, 7, 11, 12, 13, (Thu 14 off), Fri 15, Mon 18 May.
THREE_DAYS_TEXT = "lundi 11 mai 2026 à 23:59"
SEVEN_DAYS_TEXT = "lundi 18 mai 2026 à 23:59"


@pytest.fixture
def demo_data_in_may_2026(transactional_db):
    """The demo accounts and orders as seeded on 5 May 2026, and the clock running from then on."""
    with time_machine.travel(OPENED, tick=True):
        call_command("seed_demo", stdout=io.StringIO())
        yield


def test_seller_extends_once_then_proves_the_shipment_and_the_buyer_gets_the_receipt(
        page, second_page, page_errors, live_server, demo_data_in_may_2026, login):
    alice = get_user_model().objects.get(username="alice")
    order = Order.objects.get(buyer=alice, seller__user__username="marc", has_guarantee=True,
                              status=Order.Status.SHIPPED)
    claim = claim_open(order=order, buyer=alice, reason=Claim.Reason.NOT_RECEIVED, now=timezone.now(),
                       description="Le colis n'est jamais arrivé au point relais.")
    assert deadline_text(claim.seller_deadline) == THREE_DAYS_TEXT

    seller = page
    login(seller, live_server, "marc")
    seller.get_by_test_id("nav-seller-space").click()
    seller.locator(f".dashboard-claim[data-claim='{claim.pk}']").click()
    expect(seller.get_by_test_id("deadline")).to_contain_text(THREE_DAYS_TEXT)
    seller.once("dialog", lambda dialog: dialog.accept())
    seller.get_by_test_id("extend").click()
    expect(seller.locator(".messages")).to_contain_text("Le délai est prolongé")
    expect(seller.get_by_test_id("deadline")).to_contain_text(SEVEN_DAYS_TEXT)
    expect(seller.get_by_test_id("claim-status")).to_contain_text("Vous avez obtenu un délai supplémentaire.")
    expect(seller.get_by_test_id("claim-timeline")).to_contain_text("Délai supplémentaire accordé au vendeur")
    expect(seller.get_by_test_id("extend")).to_have_count(0)
    seller.reload()
    expect(seller.get_by_test_id("extend")).to_have_count(0)

    form = seller.get_by_test_id("propose-form")
    form.get_by_label("Preuve d'expédition").check()
    form.get_by_label("Transporteur").fill("Mondial Relay")
    form.get_by_label("Numéro de suivi").fill("MR123456789FR")
    form.get_by_label("Justificatif de dépôt (image ou PDF)").set_input_files(
        files=[{"name": "depot.pdf", "mimeType": "application/pdf", "buffer": RECEIPT}])
    form.get_by_label("Message à l'acheteur (facultatif)").fill("Déposé au relais le lendemain de la commande.")
    seller.get_by_test_id("propose").click()
    expect(seller.locator(".messages")).to_contain_text("Votre proposition a été envoyée")
    proposal = Proposal.objects.get(claim=claim)
    assert (proposal.kind, proposal.carrier, proposal.tracking_number) == (
        Proposal.Kind.SHIPMENT_PROOF, "Mondial Relay", "MR123456789FR")

    buyer = second_page
    login(buyer, live_server, "alice")
    buyer.goto(reverse("claims:detail", args=[claim.pk]))
    expect(buyer.get_by_test_id("deadline")).to_contain_text(SEVEN_DAYS_TEXT)
    card = buyer.get_by_test_id("proposal").first
    expect(card).to_contain_text("Preuve d'expédition")
    expect(card).to_contain_text("Transporteur : Mondial Relay, numéro de suivi : MR123456789FR")
    expect(card).to_contain_text("Déposé au relais")
    link = card.get_by_role("link", name="depot.pdf")
    href = link.get_attribute("href")
    response = buyer.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body() == RECEIPT
    assert page_errors == []
