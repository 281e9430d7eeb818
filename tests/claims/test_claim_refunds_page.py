"""The claim page says where the money goes and when, and lets the buyer choose card or porte-monnaie."""
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import dateformat, formats, timezone, translation

from claims import domain
from claims.models import Proposal
from orders.models import Order
from tests.factories import make_claim, make_order

NOW = timezone.now()


def refund_claim(order, *, refund_to, amount="60.00"):
    claim = make_claim(order=order, now=NOW)
    proposal = domain.claim_propose(claim_id=claim.pk, seller_user=claim.seller.user,
                                    kind=Proposal.Kind.PARTIAL_REFUND, amount=Decimal(amount), now=NOW)
    return claim, proposal


def body(client, user, claim):
    client.force_login(user)
    return client.get(reverse("claims:detail", args=[claim.pk])).content.decode()


def test_buyer_chooses_card_or_wallet_when_both_are_possible(client, db):
    claim, proposal = refund_claim(make_order(price=Decimal("80.00")), refund_to=None)
    page = body(client, claim.buyer, claim)
    assert 'name="refund_to" value="card"' in page and 'name="refund_to" value="wallet"' in page
    assert "Sur mon moyen de paiement d&#x27;origine (sous 5 jours ouvrés)" in page


def test_wallet_paid_order_offers_no_choice(client, db):
    order = make_order(price=Decimal("80.00"), payment_method=Order.Payment.WALLET, wallet_amount=Decimal("80.00"))
    claim, _ = refund_claim(order, refund_to=None)
    assert 'name="refund_to"' not in body(client, claim.buyer, claim)


def test_wallet_refund_wording_for_buyer_and_seller(client, db):
    claim, proposal = refund_claim(make_order(price=Decimal("80.00")), refund_to="wallet")
    response = client.force_login(claim.buyer) or client.post(
        reverse("claims:accept", args=[claim.pk, proposal.pk]), {"refund_to": "wallet"})
    assert response.status_code == 302
    day = dateformat.format(timezone.localtime(), "j F Y")
    assert f"Remboursement de 60,00\xa0€ sur votre porte-monnaie, effectué le {day}." in body(client, claim.buyer, claim)
    assert "Remboursement de 60,00\xa0€ à l'acheteur sur son porte-monnaie, effectué le" in body(
        client, claim.seller.user, claim)


def test_the_refund_line_is_written_in_english_for_an_english_reader(client, db):
    claim, proposal = refund_claim(make_order(price=Decimal("1500.00")), refund_to="wallet", amount="1250.00")
    client.force_login(claim.buyer)
    client.post(reverse("claims:accept", args=[claim.pk, proposal.pk]), {"refund_to": "wallet"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        day = formats.date_format(timezone.localtime(), "DATE_FORMAT")
    page = body(client, claim.buyer, claim)
    assert f"Refund of €1,250.00 to your wallet, paid on {day}." in page


def test_card_refund_wording_states_the_setting(client, db, settings):
    settings.REFUND_CARD_BUSINESS_DAYS = 4
    claim, proposal = refund_claim(make_order(price=Decimal("80.00")), refund_to="card")
    client.force_login(claim.buyer)
    client.post(reverse("claims:accept", args=[claim.pk, proposal.pk]), {"refund_to": "card"})
    assert "Remboursement de 60,00\xa0€ sur votre carte, en cours (sous 4 jours ouvrés)." in body(client, claim.buyer, claim)


def test_bad_destination_changes_nothing(client, db):
    claim, proposal = refund_claim(make_order(price=Decimal("80.00")), refund_to=None)
    client.force_login(claim.buyer)
    response = client.post(reverse("claims:accept", args=[claim.pk, proposal.pk]), {"refund_to": "bitcoin"}, follow=True)
    assert "Choisissez où recevoir le remboursement." in response.content.decode()
    claim.refresh_from_db()
    assert claim.is_with_seller and not claim.refunds.exists()
