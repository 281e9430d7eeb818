"""In Chromium: alice withdraws her claim (the seller files it under "Clôturées"), and declines a proposal."""
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from claims.domain import claim_open, claim_propose
from claims.models import Claim, Proposal
from orders.models import Order

pytestmark = pytest.mark.e2e


def open_claim_on_boutique_paris_order():
    """Alice's latest delivered boutique-paris order, with a "damaged" claim just opened on it."""
    alice = get_user_model().objects.get(username="alice")
    order = (Order.objects.filter(buyer=alice, seller__user__username="boutique-paris", status=Order.Status.DELIVERED)
             .order_by("-purchased_at").first())
    claim = claim_open(order=order, buyer=alice, reason=Claim.Reason.DAMAGED, now=timezone.now(),
                       description="Le casque grésille à gauche.", items=list(order.lines.all()))
    return order, claim


def test_buyer_withdraws_her_claim_and_the_seller_finds_it_closed(page, second_page, page_errors, live_server,
                                                                  demo_data, login):
    order, claim = open_claim_on_boutique_paris_order()

    buyer = page
    login(buyer, live_server, "alice")
    buyer.goto(reverse("orders:detail", args=[order.number]))
    buyer.get_by_role("link", name="Article endommagé ou qui ne fonctionne pas").first.click()
    buyer.wait_for_url(f"**{reverse('claims:detail', args=[claim.pk])}")
    expect(buyer.get_by_test_id("claim-status-badge")).to_have_text("En cours avec le vendeur")
    withdraw = buyer.get_by_test_id("withdraw-form")
    withdraw.get_by_label("Nous avons trouvé un arrangement").check()
    buyer.once("dialog", lambda dialog: dialog.accept())
    withdraw.get_by_role("button", name="Annuler ma réclamation").click()

    expect(buyer.locator(".messages")).to_contain_text("Votre réclamation est annulée")
    expect(buyer.get_by_test_id("claim-status-badge")).to_have_text("Annulée par l'acheteur")
    expect(buyer.get_by_test_id("claim-status")).to_contain_text("Nous avons trouvé un arrangement")
    timeline = buyer.get_by_test_id("claim-timeline")
    expect(timeline).to_contain_text("Réclamation annulée par l'acheteur")
    expect(timeline.locator("li[data-kind=withdrawn]")).to_contain_text("Nous avons trouvé un arrangement")
    expect(buyer.get_by_test_id("withdraw-form")).to_have_count(0)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITHDRAWN
    assert claim.withdraw_reason == Claim.WithdrawReason.ARRANGEMENT

    seller = second_page
    login(seller, live_server, "boutique-paris")
    seller.get_by_test_id("nav-seller-space").click()
    seller.locator("a[data-filter=cloturees]").click()
    seller.wait_for_url("**?filtre=cloturees")
    closed = seller.get_by_test_id("dashboard-claims")
    expect(closed).to_contain_text(order.number)
    expect(closed).to_contain_text("Annulée par l'acheteur")
    seller.locator("a[data-filter=a-repondre]").click()
    seller.wait_for_url("**?filtre=a-repondre")
    expect(seller.locator("main")).not_to_contain_text(order.number)
    assert page_errors == []


def test_buyer_declines_a_proposal_and_the_claim_stays_with_the_seller(page, page_errors, live_server, demo_data,
                                                                       login):
    order, claim = open_claim_on_boutique_paris_order()
    proposal = claim_propose(claim_id=claim.pk, seller_user=order.seller.user, kind=Proposal.Kind.PARTIAL_REFUND,
                             amount=Decimal(10), message="Je peux vous rembourser 10 €.", now=timezone.now())

    buyer = page
    login(buyer, live_server, "alice")
    buyer.goto(reverse("claims:detail", args=[claim.pk]))
    card = buyer.get_by_test_id("proposal").first
    expect(card).to_contain_text("10,00 €")
    card.get_by_text("Refuser", exact=True).click()
    card.get_by_label("Pourquoi refusez-vous ? (facultatif)").fill("10 € ne couvrent pas la réparation.")
    card.get_by_test_id("decline").click()

    expect(buyer.locator(".messages")).to_contain_text("Vous avez refusé la proposition")
    expect(buyer.get_by_test_id("claim-status-badge")).to_have_text("En cours avec le vendeur")
    expect(buyer.get_by_test_id("deadline")).to_be_visible()
    expect(buyer.get_by_test_id("proposal").first).to_contain_text("Refusée")
    expect(buyer.get_by_test_id("proposal").first.get_by_test_id("accept")).to_have_count(0)
    timeline = buyer.get_by_test_id("claim-timeline")
    expect(timeline.locator("li[data-kind=declined]")).to_contain_text("10 € ne couvrent pas la réparation.")
    expect(buyer.get_by_test_id("withdraw-form")).to_be_visible()
    claim.refresh_from_db()
    proposal.refresh_from_db()
    assert claim.status == Claim.Status.WITH_SELLER
    assert proposal.status == Proposal.Status.DECLINED
    assert page_errors == []


def test_the_buyer_picks_the_reason_first_then_confirms_once(page, page_errors, live_server, demo_data, login):
    order, claim = open_claim_on_boutique_paris_order()
    login(page, live_server, "alice")
    page.goto(reverse("claims:detail", args=[claim.pk]))
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    withdraw = page.get_by_test_id("withdraw-form")

    # No reason chosen: the browser asks for it, and no "action définitive" question comes first.
    withdraw.get_by_test_id("withdraw").click()
    first_reason = withdraw.locator("input[name=reason]").first
    expect(first_reason).to_be_focused()
    assert first_reason.evaluate("(radio) => radio.validity.valueMissing")
    assert dialogs == []
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITH_SELLER

    # The reason, then one confirmation, and the claim is withdrawn.
    withdraw.get_by_label("Nous avons trouvé un arrangement").check()
    withdraw.get_by_test_id("withdraw").click()
    expect(page.locator(".messages")).to_contain_text("Votre réclamation est annulée")
    assert dialogs == ["Annuler votre réclamation ? Cette action est définitive."]
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITHDRAWN
    assert page_errors == []
