"""The claim page writes the same bytes as before its thread, timeline, proposals and forms were built in Python.

tests/claims/claim_page_before/ holds the page's templates as they were (claim_detail.html and its includes,
word for word); each case renders the page through the same view with those templates, then with the current
ones, for the buyer, the seller and an agent, in French and English, and compares them (CSRF tokens aside, as
they are masked afresh for every form).
"""
import re
from datetime import timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from claims import appeals, domain, returns
from claims.models import Claim, Proposal
from claims.photos import process_upload
from orders.models import Order
from tests.factories import SellerFactory, StaffFactory, UserFactory, make_claim, make_order

pytestmark = pytest.mark.django_db
BEFORE = Path(__file__).parent / "claim_page_before"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
ADDRESS = "Vendeur <Pro> & Cie\n12 rue des Retours\n69001 Lyon"


def _old_templates():
    engines = [dict(engine, DIRS=[BEFORE, *engine["DIRS"]]) for engine in settings.TEMPLATES]
    return override_settings(TEMPLATES=engines)


def photo(name="photo.png"):
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return process_upload(SimpleUploadedFile(name, buffer.getvalue()))


def pdf(name="reçu <1>.pdf"):
    return process_upload(SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"),
                          allow_pdf=True)


@pytest.fixture
def people():
    buyer = UserFactory(username="acheteur", first_name="Zoé <b>", last_name="L'Étoile & \"Co\"")
    shop = SellerFactory(user=UserFactory(username="vendeur"), display_name="L'atelier <i>&</i> Cie")
    return {"buyer": buyer, "seller": shop.user, "shop": shop, "staff": StaffFactory(username="agent")}


def _claim(people, **fields):
    order = make_order(buyer=people["buyer"], seller=people["shop"], price=Decimal("80.00"), **fields.pop("order", {}))
    return make_claim(order=order, **fields)


def _chatty(claim, people, now):
    """Messages from each party with photos, a note, a PDF receipt and a photo on proposals."""
    domain.claim_post_message(claim_id=claim.pk, author=people["seller"], body="Bonjour <b>gras</b> &\nligne 2",
                              now=now, attachments=[photo("é <x>.png")])
    domain.claim_post_message(claim_id=claim.pk, author=people["buyer"], body="Voici\n\tla photo", now=now,
                              attachments=[photo(), photo("deux.png")])
    domain.claim_add_note(claim_id=claim.pk, agent=people["staff"], body="Note <interne>", now=now)
    domain.claim_post_message(claim_id=claim.pk, author=people["staff"], body="Le service client vous répond.",
                              now=now)


def _propose(claim, people, kind, now, **fields):
    return domain.claim_propose(claim_id=claim.pk, seller_user=people["seller"], kind=kind, now=now, **fields)


def with_seller_new(people, now):
    return _claim(people, description="Écran <fissuré>\n& rayé", received_reference="REF <1>")


def with_seller_pending_refund(people, now):
    claim = _claim(people, reason="other", other_kind="surtax")
    _chatty(claim, people, now)
    first = _propose(claim, people, Proposal.Kind.EXCHANGE, now, message="Échange ?",
                     return_address=ADDRESS, return_postage="buyer")
    domain.claim_decline(claim_id=claim.pk, proposal_id=first.pk, buyer=people["buyer"], now=now, reason="Non")
    _propose(claim, people, Proposal.Kind.PARTIAL_REFUND, now, amount=Decimal("12.50"), message="Un rabais <ok>",
             receipt=[pdf(), photo("reçu.png")])
    return claim


def with_seller_pending_return(people, now):
    claim = _claim(people)
    _propose(claim, people, Proposal.Kind.RETURN_REFUND, now, return_address=ADDRESS, return_postage="seller")
    return claim


def with_seller_shipment_proof(people, now):
    order = {"days_ago": 20, "has_guarantee": True}
    claim = _claim(people, reason="not_received", order=order, sworn_not_received=True)
    _propose(claim, people, Proposal.Kind.SHIPMENT_PROOF, now, carrier="La Poste <1>", tracking_number="6A<2>")
    return claim


def with_seller_extended(people, now):
    claim = _claim(people, reason="not_received", order={"days_ago": 20, "has_guarantee": True})
    domain.claim_request_extension(claim_id=claim.pk, seller_user=people["seller"], now=now)
    return claim


def with_seller_refund_to_wallet_only(people, now):
    order = {"payment_method": Order.Payment.WALLET, "wallet_amount": Decimal("80.00")}
    claim = _claim(people, order=order)
    _propose(claim, people, Proposal.Kind.FULL_REFUND, now)
    return claim


def _accepted_return(people, now, kind=Proposal.Kind.RETURN_REFUND):
    claim = _claim(people)
    proposal = _propose(claim, people, kind, now, return_address=ADDRESS, return_postage="seller")
    domain.claim_accept(claim_id=claim.pk, proposal_id=proposal.pk, buyer=people["buyer"], now=now,
                        refund_to="wallet")
    return claim


def returning(people, now):
    return _accepted_return(people, now)


def returning_shipped(people, now):
    claim = _accepted_return(people, now, Proposal.Kind.EXCHANGE)
    returns.return_ship(claim_id=claim.pk, buyer=people["buyer"], carrier="Colissimo", tracking_number="6A123456789",
                        now=now + timedelta(hours=1))
    return claim


def returning_received(people, now):
    claim = _accepted_return(people, now, Proposal.Kind.EXCHANGE)
    returns.return_ship(claim_id=claim.pk, buyer=people["buyer"], carrier="Colissimo", tracking_number="6A123456789",
                        now=now + timedelta(hours=1))
    returns.return_confirm_receipt(claim_id=claim.pk, user=people["seller"], now=now + timedelta(hours=2))
    return claim


def exchanged(people, now):
    claim = returning_received(people, now)
    returns.return_ship_replacement(claim_id=claim.pk, seller_user=people["seller"], carrier="DPD",
                                    tracking_number="DPD123456", now=now + timedelta(hours=3))
    return claim


def return_refunded(people, now):
    claim = _accepted_return(people, now)
    returns.return_ship(claim_id=claim.pk, buyer=people["buyer"], carrier="Colissimo", tracking_number="6A123456789",
                        now=now + timedelta(hours=1))
    returns.return_confirm_receipt(claim_id=claim.pk, user=people["seller"], now=now + timedelta(hours=2))
    return claim


def settled_by_card(people, now):
    claim = _claim(people)
    _chatty(claim, people, now)
    proposal = _propose(claim, people, Proposal.Kind.PARTIAL_REFUND, now, amount=Decimal("20.00"))
    domain.claim_accept(claim_id=claim.pk, proposal_id=proposal.pk, buyer=people["buyer"], now=now, refund_to="card")
    return claim


def support_asked(people, now):
    claim = _claim(people)
    proposal = _propose(claim, people, Proposal.Kind.PARTIAL_REFUND, now, amount=Decimal("5.00"))
    domain.claim_decline(claim_id=claim.pk, proposal_id=proposal.pk, buyer=people["buyer"], now=now)
    appeals.claim_ask_support(claim_id=claim.pk, buyer=people["buyer"], reason="Pas d'accord <non>", now=now)
    domain.claim_assign(claim_id=claim.pk, agent=people["staff"], now=now)
    return claim


def seller_refused(people, now):
    claim = _claim(people)
    appeals.claim_seller_refuse(claim_id=claim.pk, seller_user=people["seller"], reason="Injustifiée", now=now)
    return claim


def taken_over(people, now):
    claim = _claim(people, now=now - timedelta(days=10))
    domain.claim_take_over(claim_id=claim.pk, now=now)
    return claim


def _decided(people, now, decision, amount=None):
    claim = taken_over(people, now)
    domain.claim_decide(claim_id=claim.pk, agent=people["staff"], decision=decision, reason="Motif <b>\nligne",
                        amount=amount, now=now)
    return claim


def decided_partial(people, now):
    return _decided(people, now, Claim.Decision.REFUND_PARTIAL, Decimal("20.00"))


def decided_for_seller(people, now):
    return _decided(people, now, Claim.Decision.SELLER_FAVOUR)


def appealed(people, now):
    claim = decided_for_seller(people, now)
    appeals.claim_appeal(claim_id=claim.pk, user=people["seller"], reason="Je conteste", now=now)
    return claim


def appeal_decided(people, now):
    claim = appealed(people, now)
    domain.claim_decide(claim_id=claim.pk, agent=StaffFactory(), decision=Claim.Decision.REFUND_FULL,
                        reason="Définitif", now=now)
    return claim


def withdrawn(people, now):
    claim = _claim(people)
    _chatty(claim, people, now)
    domain.claim_withdraw(claim_id=claim.pk, buyer=people["buyer"], reason="arrangement", now=now)
    return claim


STATES = [with_seller_new, with_seller_pending_refund, with_seller_pending_return, with_seller_shipment_proof,
          with_seller_extended, with_seller_refund_to_wallet_only, returning, returning_shipped, returning_received,
          exchanged, return_refunded, settled_by_card, support_asked, seller_refused, taken_over, decided_partial,
          decided_for_seller, appealed, appeal_decided, withdrawn]


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return CSRF.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("state", STATES, ids=[state.__name__ for state in STATES])
def test_the_claim_page_is_the_former_templates_byte_for_byte(client, people, language, state):
    claim = state(people, timezone.now())
    url = reverse("claims:detail", args=[claim.pk])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for role in ("buyer", "seller", "staff"):
        client.force_login(people[role])
        _page(client, url)  # the first view reads the claim's notices, which changes the navbar once
        with _old_templates():
            before = _page(client, url)
        after = _page(client, url)
        assert after == before, (state.__name__, role, language)


def test_the_comparison_sees_the_former_templates(client, people, tmp_path):
    """The former templates are the ones rendered inside the override (else the test above proves nothing)."""
    claim = with_seller_new(people, timezone.now())
    client.force_login(people["buyer"])
    url = reverse("claims:detail", args=[claim.pk])
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "claim_detail.html").write_text("former page")
    engines = [dict(engine, DIRS=[tmp_path, *engine["DIRS"]]) for engine in settings.TEMPLATES]
    with override_settings(TEMPLATES=engines):
        assert client.get(url).content == b"former page"


# Forms sent back with their errors (nothing changes): the page is shown again with what was typed.
INVALID_POSTS = [
    ("buyer", with_seller_new, "claims:message", {"body": "  "}),
    ("staff", with_seller_new, "claims:message", {"body": "", "internal": "on"}),
    ("seller", with_seller_new, "claims:propose", {"kind": "partial_refund", "amount": "999", "message": "<b>"}),
    ("seller", with_seller_new, "claims:refuse", {"reason": ""}),
    ("buyer", with_seller_pending_refund, "claims:ask_support", {"reason": ""}),
    ("buyer", returning, "claims:return_ship", {"carrier": "<x>", "tracking_number": ""}),
    ("seller", returning_received, "claims:replacement", {"carrier": "", "tracking_number": "1" * 61}),
    ("buyer", decided_for_seller, "claims:appeal", {"reason": ""}),
]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("role, state, action, data", INVALID_POSTS,
                         ids=[f"{role}-{action}" for role, _, action, _ in INVALID_POSTS])
def test_a_form_with_errors_is_the_former_page_byte_for_byte(client, people, language, role, state, action, data):
    claim = state(people, timezone.now())
    url = reverse(action, args=[claim.pk])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(people[role])
    client.get(reverse("claims:detail", args=[claim.pk]))

    def post():
        response = client.post(url, data)
        assert response.status_code == 200, response.status_code
        return CSRF.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())

    with _old_templates():
        before = post()
    after = post()
    assert "invalid-feedback" in after or "alert-danger" in after
    assert after == before


def test_an_empty_form_is_built_once_per_language_and_fields(monkeypatch):
    """The kept markup of the static forms is the one bootstrap_form writes, per language and per role's fields."""
    from claims.forms import ClaimMessageForm
    from claims.models import ClaimMessage
    from claims.templatetags import claim_page
    from claims.templatetags.claim_page import claim_form
    from django.utils import translation
    from rakuten_portal.templatetags.bootstrap_fields import bootstrap_form

    monkeypatch.setattr(claim_page, "_form_html", {})
    built = []
    monkeypatch.setattr(claim_page, "bootstrap_form", lambda form: built.append(form) or bootstrap_form(form))
    with translation.override("fr"):
        claim_form(ClaimMessageForm(role=ClaimMessage.Role.BUYER))
        claim_form(ClaimMessageForm(role=ClaimMessage.Role.BUYER))
    assert len(built) == 1, "the second empty form of the same language and fields was built again"
    for language in ("fr", "en"):
        with translation.override(language):
            for role in (ClaimMessage.Role.BUYER, ClaimMessage.Role.SUPPORT):
                assert claim_form(ClaimMessageForm(role=role)) == bootstrap_form(ClaimMessageForm(role=role))
                assert claim_form(ClaimMessageForm(role=role)) == bootstrap_form(ClaimMessageForm(role=role))
    with translation.override("en"):
        assert "Internal note" in claim_form(ClaimMessageForm(role=ClaimMessage.Role.SUPPORT))
        assert "Internal note" not in claim_form(ClaimMessageForm(role=ClaimMessage.Role.BUYER))
    bound = ClaimMessageForm({"body": ""}, role=ClaimMessage.Role.BUYER)
    assert bound.errors and claim_form(bound) == bootstrap_form(bound) and "alert-danger" in claim_form(bound)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_proposal_form_keeps_only_what_no_claim_changes(people, language):
    """Two claims with different kinds offered, amounts and return addresses: each gets its own form."""
    from claims.forms import ProposalForm
    from claims.templatetags.claim_page import claim_form
    from django.utils import translation
    from rakuten_portal.templatetags.bootstrap_fields import bootstrap_form

    damaged = with_seller_new(people, timezone.now())
    lost = with_seller_extended(people, timezone.now())
    with translation.override(language):
        first = claim_form(ProposalForm(claim=damaged))
        assert first == bootstrap_form(ProposalForm(claim=damaged))
        people["shop"].return_address = "Autre <adresse>"
        people["shop"].save()
        lost.seller.return_address = "Autre <adresse>"
        second = claim_form(ProposalForm(claim=lost))
        assert second == bootstrap_form(ProposalForm(claim=lost)) != first
        assert "shipment_proof" in second and "shipment_proof" not in first and "Autre &lt;adresse&gt;" in second
        bound = ProposalForm({"kind": "partial_refund", "amount": "999"}, claim=damaged)
        assert claim_form(bound) == bootstrap_form(bound) and "is-invalid" in claim_form(bound)
