"""Support steps in early (the buyer asks, the seller refuses) and a decision may be appealed once, within 30 days."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import appeals, domain
from claims.domain import ClaimActionError
from claims.models import Appeal, Claim, ClaimEvent, Notification, Proposal
from orders.models import Refund
from tests.factories import StaffFactory, make_claim

NOW = timezone.now()
pytestmark = pytest.mark.django_db


def declined(claim):
    proposal = domain.claim_propose(claim_id=claim.pk, seller_user=claim.seller.user, kind=Proposal.Kind.PARTIAL_REFUND,
                                    amount=Decimal("5.00"), now=NOW)
    domain.claim_decline(claim_id=claim.pk, proposal_id=proposal.pk, buyer=claim.buyer, now=NOW)
    return proposal


def decided(claim, agent=None, decision=Claim.Decision.SELLER_FAVOUR, at=NOW, amount=None):
    agent = agent or StaffFactory()
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.WITH_SUPPORT, taken_over_at=at)
    domain.claim_decide(claim_id=claim.pk, agent=agent, decision=decision, reason="Motif", now=at, amount=amount)
    claim.refresh_from_db()
    return agent


def kinds(claim):
    return list(claim.events.values_list("kind", flat=True))


# --- the buyer asks support ------------------------------------------------------------------------------------

def test_buyer_asks_support_after_declining_a_proposal():
    claim = make_claim(now=NOW)
    declined(claim)
    appeals.claim_ask_support(claim_id=claim.pk, buyer=claim.buyer, reason="Le rabais ne couvre pas la panne", now=NOW)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITH_SUPPORT and claim.support_requested_at == NOW
    assert ClaimEvent.Kind.SUPPORT_ASKED in kinds(claim)
    assert Notification.objects.filter(claim=claim, kind=Notification.Kind.SUPPORT_ASKED).count() == 2


def test_buyer_cannot_ask_support_before_any_declined_proposal():
    claim = make_claim(now=NOW)
    with pytest.raises(ClaimActionError, match="après avoir refusé une proposition"):
        appeals.claim_ask_support(claim_id=claim.pk, buyer=claim.buyer, reason="x", now=NOW)
    claim.refresh_from_db()
    assert claim.is_with_seller


@pytest.mark.parametrize("status", [Claim.Status.WITH_SUPPORT, Claim.Status.SETTLED, Claim.Status.WITHDRAWN])
def test_buyer_cannot_ask_support_outside_with_seller(status):
    claim = make_claim(now=NOW)
    declined(claim)
    Claim.objects.filter(pk=claim.pk).update(status=status)
    with pytest.raises(ClaimActionError):
        appeals.claim_ask_support(claim_id=claim.pk, buyer=claim.buyer, reason="x", now=NOW)


def test_ask_support_needs_a_reason_and_the_buyer():
    claim = make_claim(now=NOW)
    declined(claim)
    with pytest.raises(ClaimActionError, match="Dites pourquoi"):
        appeals.claim_ask_support(claim_id=claim.pk, buyer=claim.buyer, reason="  ", now=NOW)
    with pytest.raises(ClaimActionError):
        appeals.claim_ask_support(claim_id=claim.pk, buyer=claim.seller.user, reason="x", now=NOW)
    claim.refresh_from_db()
    assert claim.is_with_seller


# --- the seller refuses ----------------------------------------------------------------------------------------

def test_seller_refuses_outright_and_support_takes_over_at_once():
    claim = make_claim(now=NOW)
    domain.claim_propose(claim_id=claim.pk, seller_user=claim.seller.user, kind=Proposal.Kind.EXCHANGE, now=NOW)
    appeals.claim_seller_refuse(claim_id=claim.pk, seller_user=claim.seller.user, reason="Article conforme", now=NOW)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITH_SUPPORT and claim.seller_refused_at == NOW
    assert not claim.proposals.filter(status=Proposal.Status.PENDING).exists()
    assert ClaimEvent.Kind.SELLER_REFUSED in kinds(claim)
    assert Notification.objects.filter(claim=claim, kind=Notification.Kind.SELLER_REFUSED,
                                       recipient=claim.buyer).exists()


@pytest.mark.parametrize("status", [Claim.Status.WITH_SUPPORT, Claim.Status.DECIDED, Claim.Status.SETTLED])
def test_seller_refusal_only_while_with_the_seller(status):
    claim = make_claim(now=NOW)
    Claim.objects.filter(pk=claim.pk).update(status=status)
    with pytest.raises(ClaimActionError):
        appeals.claim_seller_refuse(claim_id=claim.pk, seller_user=claim.seller.user, reason="x", now=NOW)


def test_only_the_seller_refuses_and_with_a_reason():
    claim = make_claim(now=NOW)
    with pytest.raises(ClaimActionError):
        appeals.claim_seller_refuse(claim_id=claim.pk, seller_user=claim.buyer, reason="x", now=NOW)
    with pytest.raises(ClaimActionError):
        appeals.claim_seller_refuse(claim_id=claim.pk, seller_user=claim.seller.user, reason="", now=NOW)
    claim.refresh_from_db()
    assert claim.is_with_seller


# --- the appeal ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("party", ["buyer", "seller"])
def test_either_party_appeals_once_and_the_claim_returns_to_the_queue(party):
    claim = make_claim(now=NOW)
    first_agent = decided(claim)
    user = claim.buyer if party == "buyer" else claim.seller.user
    appeal = appeals.claim_appeal(claim_id=claim.pk, user=user, reason="Je conteste", now=NOW + timedelta(days=2))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITH_SUPPORT and claim.is_appealed and claim.assigned_to is None
    assert (appeal.first_decision, appeal.first_agent, appeal.role) == (Claim.Decision.SELLER_FAVOUR, first_agent, party)
    assert claim.messages.filter(body__contains="Je conteste").exists()
    assert ClaimEvent.Kind.APPEALED in kinds(claim)
    second = StaffFactory()
    domain.claim_decide(claim_id=claim.pk, agent=second, decision=Claim.Decision.REFUND_FULL, reason="Revu",
                        now=NOW + timedelta(days=3))
    claim.refresh_from_db()
    assert claim.is_decided and claim.assigned_to == second and claim.decision == Claim.Decision.REFUND_FULL
    assert ClaimEvent.Kind.APPEAL_DECIDED in kinds(claim)
    assert Appeal.objects.get(claim=claim).decided_at == NOW + timedelta(days=3)
    assert Refund.objects.get(claim=claim).amount == Decimal("50.00")


def test_second_appeal_is_refused_and_changes_nothing():
    claim = make_claim(now=NOW)
    decided(claim)
    appeals.claim_appeal(claim_id=claim.pk, user=claim.buyer, reason="Une", now=NOW)
    domain.claim_decide(claim_id=claim.pk, agent=StaffFactory(), decision=Claim.Decision.SELLER_FAVOUR, reason="Final",
                        now=NOW + timedelta(days=1))
    with pytest.raises(ClaimActionError, match="déjà été contestée"):
        appeals.claim_appeal(claim_id=claim.pk, user=claim.seller.user, reason="Deux", now=NOW + timedelta(days=2))
    claim.refresh_from_db()
    assert claim.is_decided and claim.decision_reason == "Final" and Appeal.objects.count() == 1


def test_appeal_on_day_31_is_refused_with_the_date_and_day_30_accepted():
    claim = make_claim(now=NOW)
    decided(claim)
    with pytest.raises(ClaimActionError, match="Le délai de contestation de 30 jours est dépassé"):
        appeals.claim_appeal(claim_id=claim.pk, user=claim.buyer, reason="Trop tard",
                             now=claim.closed_at + timedelta(days=30, microseconds=1))
    claim.refresh_from_db()
    assert claim.is_decided and not claim.is_appealed
    appeals.claim_appeal(claim_id=claim.pk, user=claim.buyer, reason="Juste à temps", now=claim.closed_at + timedelta(days=30))


@pytest.mark.parametrize("status", [Claim.Status.WITH_SELLER, Claim.Status.WITH_SUPPORT, Claim.Status.SETTLED,
                                    Claim.Status.WITHDRAWN])
def test_only_a_decision_can_be_appealed(status):
    claim = make_claim(now=NOW)
    Claim.objects.filter(pk=claim.pk).update(status=status)
    with pytest.raises(ClaimActionError):
        appeals.claim_appeal(claim_id=claim.pk, user=claim.buyer, reason="x", now=NOW)


def test_staff_and_strangers_cannot_appeal():
    claim = make_claim(now=NOW)
    decided(claim)
    with pytest.raises(ClaimActionError):
        appeals.claim_appeal(claim_id=claim.pk, user=StaffFactory(), reason="x", now=NOW)


# --- pages -----------------------------------------------------------------------------------------------------

def test_appeal_page_flow_and_day_31_message(client):
    claim = make_claim(now=NOW - timedelta(days=31))
    decided(claim, at=NOW - timedelta(days=31))
    client.force_login(claim.buyer)
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert 'data-testid="appeal"' not in page
    response = client.post(reverse("claims:appeal", args=[claim.pk]), {"reason": "Tard"}, follow=True)
    assert "Le délai de contestation de 30 jours est dépassé" in response.content.decode()
    claim.refresh_from_db()
    assert not claim.is_appealed


def test_appeal_form_shown_within_the_window_and_posts(client):
    claim = make_claim(now=NOW)
    decided(claim)
    client.force_login(claim.seller.user)
    assert 'data-testid="appeal"' in client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert client.post(reverse("claims:appeal", args=[claim.pk]), {"reason": ""}).status_code == 200
    client.post(reverse("claims:appeal", args=[claim.pk]), {"reason": "Le colis était intact"})
    claim.refresh_from_db()
    assert claim.is_appealed


@pytest.mark.parametrize("role,allowed", [("other_buyer", False), ("other_seller", False)])
def test_strangers_get_404_on_the_new_acts(client, roles, role, allowed):
    claim = make_claim(order=roles["order"], now=NOW)
    client.force_login(roles[role])
    for name in ("ask_support", "refuse", "appeal"):
        assert client.post(reverse(f"claims:{name}", args=[claim.pk]), {"reason": "x"}).status_code == 404


def test_admin_flags_appeals_and_warns_the_first_agent(client):
    claim = make_claim(now=NOW)
    agent = decided(claim)
    appeals.claim_appeal(claim_id=claim.pk, user=claim.buyer, reason="x", now=NOW)
    client.force_login(agent)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]), follow=True).content.decode()
    assert "il devrait être réexaminé par un autre conseiller" in page
    client.force_login(StaffFactory())
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "réexaminé par un autre conseiller" not in page


def test_buyer_asks_support_from_the_claim_page(client):
    claim = make_claim(now=NOW)
    client.force_login(claim.buyer)
    assert 'data-testid="ask-support"' not in client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    declined(claim)
    assert 'data-testid="ask-support"' in client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    client.post(reverse("claims:ask_support", args=[claim.pk]), {"reason": "Pas d'accord"})
    claim.refresh_from_db()
    assert claim.is_with_support


def test_seller_refuses_from_the_claim_page_and_a_5000_plus_reason_is_refused(client):
    claim = make_claim(now=NOW)
    client.force_login(claim.seller.user)
    response = client.post(reverse("claims:refuse", args=[claim.pk]), {"reason": "x" * 5001})
    assert response.status_code == 200 and "Rien n&#x27;a été envoyé" in response.content.decode()
    claim.refresh_from_db()
    assert claim.is_with_seller
    client.post(reverse("claims:refuse", args=[claim.pk]), {"reason": "Article conforme à l'annonce"})
    claim.refresh_from_db()
    assert claim.is_with_support
