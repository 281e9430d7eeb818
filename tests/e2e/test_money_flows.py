"""In Chromium, after the agreement: a partial refund to alice's porte-monnaie; a return shipped, received and refunded
with the seller's payout held then released; "Tout est OK"; bob appeals a decision and a second agent decides."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from claims import deadlines, domain
from claims.models import Claim, Proposal
from orders.models import Order, Payout
from tests.factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.e2e


def shipped_order(username, seller="boutique-paris"):
    """One of the demo buyer's shipped or delivered orders, with no claim."""
    return (Order.objects.filter(buyer__username=username, seller__user__username=seller, shipped_at__isnull=False,
                                 status__in=[Order.Status.SHIPPED, Order.Status.DELIVERED], claims__isnull=True)
            .order_by("-purchased_at").first())


def open_claim(order, now=None):
    return domain.claim_open(order=order, buyer=order.buyer, reason=Claim.Reason.DAMAGED, now=now or timezone.now(),
                             description="L'écran est arrivé fissuré.", items=list(order.lines.all()),
                             wanted_outcome=Claim.WantedOutcome.PARTIAL_REFUND)


def test_alice_accepts_a_partial_refund_to_her_wallet_and_sees_it_credited(page, login, live_server, demo_data):
    order = shipped_order("alice")
    claim = open_claim(order)
    domain.claim_propose(claim_id=claim.pk, seller_user=order.seller.user, kind=Proposal.Kind.PARTIAL_REFUND,
                         amount=Decimal("12.00"), now=timezone.now())
    login(page, live_server, "alice")
    page.goto(reverse("claims:detail", args=[claim.pk]))
    proposal = page.get_by_test_id("proposal").first
    proposal.get_by_label("Sur mon porte-monnaie Rakuten (immédiat)").check()
    page.once("dialog", lambda dialog: dialog.accept())
    proposal.get_by_test_id("accept").click()
    expect(page.get_by_test_id("refund")).to_contain_text("Remboursement de 12,00 € sur votre porte-monnaie, effectué le")
    expect(page.get_by_test_id("claim-timeline")).to_contain_text("Remboursement effectué")
    page.get_by_role("link", name="Voir mon porte-monnaie").click()
    expect(page.get_by_test_id("wallet-balance")).to_have_text("Solde : 12,00 €")
    history = page.get_by_test_id("wallet-history")
    expect(history).to_contain_text(f"réclamation sur la commande {order.number}")
    expect(history).to_contain_text("+12,00 €")


def test_a_return_is_shipped_received_refunded_and_the_payout_released(page, second_page, login, live_server, demo_data):
    order = shipped_order("alice")
    claim = open_claim(order)
    domain.claim_propose(claim_id=claim.pk, seller_user=order.seller.user, kind=Proposal.Kind.RETURN_REFUND,
                         now=timezone.now(), return_postage="seller")
    buyer, seller = page, second_page
    login(buyer, live_server, "alice")
    buyer.goto(reverse("claims:detail", args=[claim.pk]))
    proposal = buyer.get_by_test_id("proposal").first
    expect(proposal).to_contain_text("Frais de retour à la charge du vendeur.")
    proposal.get_by_label("Sur mon porte-monnaie Rakuten (immédiat)").check()
    buyer.once("dialog", lambda dialog: dialog.accept())
    proposal.get_by_test_id("accept").click()
    item_return = buyer.get_by_test_id("return")
    expect(item_return.get_by_test_id("return-address")).to_contain_text("Service retours")
    form = buyer.get_by_test_id("return-ship-form")
    form.get_by_label("Transporteur").fill("Colissimo")
    # The field stops at 60 characters in the browser too (the server's refusal: tests/claims/test_returns.py).
    expect(form.get_by_label("Numéro de suivi")).to_have_attribute("maxlength", "60")
    form.get_by_label("Numéro de suivi").fill("6A12345678901")
    form.get_by_test_id("return-ship").click()
    expect(buyer.get_by_test_id("return-steps")).to_contain_text("Colissimo, suivi 6A12345678901")

    login(seller, live_server, "boutique-paris")
    seller.goto(reverse("orders:sales") + f"?q={order.number}")
    expect(seller.get_by_test_id("payout-state").first).to_have_text("Bloqué")
    seller.goto(reverse("claims:detail", args=[claim.pk]))
    expect(seller.get_by_test_id("return-steps")).to_contain_text("6A12345678901")
    seller.once("dialog", lambda dialog: dialog.accept())
    seller.get_by_test_id("return-receive").click()
    expect(seller.get_by_test_id("claim-status-badge")).to_have_text("Résolue à l'amiable")
    expect(seller.get_by_test_id("refund")).to_contain_text("à l'acheteur sur son porte-monnaie, effectué le")

    buyer.reload()
    expect(buyer.get_by_test_id("return-steps")).to_contain_text("Reçu par le vendeur le")
    expect(buyer.get_by_test_id("refund")).to_contain_text("sur votre porte-monnaie, effectué le")
    expect(buyer.get_by_test_id("claim-timeline")).to_contain_text("Retour reçu par le vendeur")

    # Six weeks after the purchase the sweep finalizes the sale: the payout is released.
    order.refresh_from_db()
    assert deadlines.sweep(now=order.finalizes_at).finalized >= 1
    seller.goto(reverse("orders:sales") + f"?q={order.number}")
    expect(seller.get_by_test_id("payout-state").first).to_have_text("À verser")
    assert Payout.objects.get(order=order).status == Payout.Status.TO_PAY


def test_alice_says_all_is_ok_and_the_seller_sees_the_payout_to_be_paid(page, second_page, login, live_server,
                                                                         demo_data):
    order = shipped_order("alice")
    login(page, live_server, "alice")
    page.goto(reverse("orders:detail", args=[order.number]))
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("all-ok").click()
    expect(page.locator(".alert-success, .alert").first).to_contain_text("La vente est finalisée")
    login(second_page, live_server, "boutique-paris")
    second_page.goto(reverse("orders:detail", args=[order.number]))
    expect(second_page.get_by_test_id("payout-state")).to_have_text("À verser")


def test_bob_appeals_and_a_second_agent_decides(page, second_page, login, live_server, demo_data):
    bob = get_user_model().objects.get(username="bob")
    first_agent = get_user_model().objects.get(username="agent")
    order = shipped_order("bob")
    now = timezone.now()
    claim = open_claim(order, now=now - timedelta(days=2))
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.WITH_SUPPORT, taken_over_at=now - timedelta(days=1))
    domain.claim_decide(claim_id=claim.pk, agent=first_agent, decision=Claim.Decision.SELLER_FAVOUR,
                        reason="Les photos ne montrent pas de défaut.", now=now - timedelta(hours=1))

    login(page, live_server, "bob")
    page.goto(reverse("claims:detail", args=[claim.pk]))
    appeal = page.get_by_test_id("appeal")
    appeal.get_by_label("Pourquoi contestez-vous la décision ?").fill("Le défaut se voit sur la deuxième photo.")
    appeal.get_by_test_id("appeal-submit").click()
    expect(page.get_by_test_id("appeal-state")).to_contain_text("un autre conseiller réexamine le dossier")
    expect(page.get_by_test_id("appeal")).to_have_count(0)

    StaffFactory(username="agent2")
    agent = second_page
    agent.goto(reverse("admin:index"))
    agent.locator("#id_username").fill("agent2")
    agent.locator("#id_password").fill(PASSWORD)
    agent.locator("#login-form [type=submit]").click()
    agent.goto(reverse("admin:claims_claim_change", args=[claim.pk]))
    agent.get_by_role("button", name="M'attribuer ce dossier").click()
    decision = agent.locator("#claim-decision-form")
    decision.get_by_label("Remboursement intégral de l'acheteur").check()
    decision.get_by_label("Motif de la décision").fill("Défaut visible : remboursement intégral.")
    decision.get_by_role("button", name="Enregistrer la décision").click()
    expect(agent.locator(".messagelist")).to_contain_text("Décision enregistrée")

    page.reload()
    expect(page.get_by_test_id("decision")).to_contain_text("Remboursement intégral de l'acheteur")
    expect(page.get_by_test_id("appeal-state")).to_contain_text("cette décision est définitive")
    expect(page.get_by_test_id("claim-timeline")).to_contain_text("Décision définitive après contestation")
    claim.refresh_from_db()
    assert claim.assigned_to.username == "agent2" and claim.is_appealed
