"""Every action of the claim page: who may take it, what it changes, and what a stale or bad request gets."""
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from claims import domain
from claims.models import Attachment, Claim, ClaimMessage, Proposal
from tests.factories import make_claim, make_order

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(name="photo.png"):
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "blue").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def claim(roles):
    return make_claim(order=roles["order"])


@pytest.fixture
def proposal(roles, claim):
    return domain.claim_propose(claim_id=claim.pk, seller_user=roles["seller"], kind=Proposal.Kind.EXCHANGE,
                                now=timezone.now())


@pytest.fixture
def extendable_claim(roles):
    """A guaranteed "not received" claim with the seller: the seller could ask for more time on it."""
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], days_ago=20, has_guarantee=True)
    claim = make_claim(order=order, reason=Claim.Reason.NOT_RECEIVED)
    assert claim.may_extend
    return claim


def flash(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def detail(claim):
    return reverse("claims:detail", args=[claim.pk])


# (action, url builder, POST data, roles allowed to succeed)
def _actions(claim, proposal):
    return {
        "message": (reverse("claims:message", args=[claim.pk]), {"body": "Bonjour"}),
        "propose": (reverse("claims:propose", args=[claim.pk]), {"kind": "partial_refund", "amount": "10.00"}),
        "accept": (reverse("claims:accept", args=[claim.pk, proposal.pk]), {}),
        "decline": (reverse("claims:decline", args=[claim.pk, proposal.pk]), {"reason": "Trop peu"}),
        "withdraw": (reverse("claims:withdraw", args=[claim.pk]), {"reason": "arrangement"}),
        "extend": (reverse("claims:extend", args=[claim.pk]), {}),
    }


ACTIONS = ["message", "propose", "accept", "decline", "withdraw", "extend"]


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_visitors_are_sent_to_login_and_nothing_changes(client, roles, claim, proposal, action):
    url, data = _actions(claim, proposal)[action]
    response = client.post(url, data)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.WITH_SELLER


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ["other_buyer", "other_seller"])
def test_another_partys_claim_is_a_404_for_every_action(client, roles, claim, proposal, action, role):
    url, data = _actions(claim, proposal)[action]
    client.force_login(roles[role])
    assert client.post(url, data).status_code == 404
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.WITH_SELLER
    assert not ClaimMessage.objects.filter(claim=claim).exists()


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_refuse_get(client, roles, claim, proposal, action):
    url, _data = _actions(claim, proposal)[action]
    client.force_login(roles["buyer"])
    assert client.get(url).status_code == 405


# Acts that the domain refuses for this role: a clear message, back to the claim, nothing changed.
@pytest.mark.parametrize("role, action", [
    ("buyer", "propose"), ("buyer", "extend"),
    ("seller", "accept"), ("seller", "decline"), ("seller", "withdraw"),
    ("staff", "propose"), ("staff", "accept"), ("staff", "decline"), ("staff", "withdraw"), ("staff", "extend"),
])
def test_an_action_not_for_this_role_changes_nothing_and_says_why(client, roles, claim, proposal, extendable_claim,
                                                                  role, action):
    if action == "extend":
        # Only the actor is wrong: the seller could extend this claim.
        claim, proposal = extendable_claim, domain.claim_propose(
            claim_id=extendable_claim.pk, seller_user=roles["seller"], kind=Proposal.Kind.EXCHANGE, now=timezone.now())
    url, data = _actions(claim, proposal)[action]
    client.force_login(roles[role])
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == detail(claim)
    assert flash(response)
    claim.refresh_from_db()
    proposal.refresh_from_db()
    assert claim.status == Claim.Status.WITH_SELLER and claim.extension_requested_at is None
    assert proposal.status == Proposal.Status.PENDING
    assert claim.proposals.count() == 1


@pytest.mark.parametrize("role, expected_role", [
    ("buyer", ClaimMessage.Role.BUYER), ("seller", ClaimMessage.Role.SELLER), ("staff", ClaimMessage.Role.SUPPORT),
])
def test_each_party_and_agents_may_write_in_the_thread(client, roles, claim, role, expected_role):
    client.force_login(roles[role])
    response = client.post(reverse("claims:message", args=[claim.pk]), {"body": "Bonjour"})
    assert response.status_code == 302
    message = ClaimMessage.objects.get(claim=claim)
    assert (message.role, message.body, message.internal) == (expected_role, "Bonjour", False)


def test_a_message_may_carry_photos(client, roles, claim):
    client.force_login(roles["buyer"])
    client.post(reverse("claims:message", args=[claim.pk]), {"body": "Voir photos", "photos": [png("a.png"), png("b.png")]})
    message = ClaimMessage.objects.get(claim=claim)
    assert [a.original_name for a in message.attachments.all()] == ["a.png", "b.png"]


def test_an_agent_may_add_an_internal_note(client, roles, claim):
    client.force_login(roles["staff"])
    client.post(reverse("claims:message", args=[claim.pk]), {"body": "À surveiller", "internal": "on"})
    assert ClaimMessage.objects.get(claim=claim).internal is True


def test_a_party_cannot_sneak_an_internal_note(client, roles, claim):
    client.force_login(roles["buyer"])
    client.post(reverse("claims:message", args=[claim.pk]), {"body": "Bonjour", "internal": "on"})
    assert ClaimMessage.objects.get(claim=claim).internal is False


def test_a_rejected_photo_keeps_the_typed_message_and_names_the_file(client, roles, claim):
    client.force_login(roles["buyer"])
    bad = SimpleUploadedFile("facture.html", b"<html><script>alert(1)</script></html>", content_type="image/png")
    response = client.post(reverse("claims:message", args=[claim.pk]),
                           {"body": "Mon long message soigneusement écrit", "photos": [png(), bad]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mon long message soigneusement écrit" in html
    assert "facture.html" in html and "n&#x27;est pas une image JPEG, PNG ou WebP" in html
    assert not ClaimMessage.objects.filter(claim=claim).exists()
    assert not Attachment.objects.filter(claim=claim).exclude(message=None).exists()


def test_an_empty_message_is_refused_with_a_message(client, roles, claim):
    client.force_login(roles["buyer"])
    response = client.post(reverse("claims:message", args=[claim.pk]), {"body": "   "})
    assert response.status_code == 200
    assert "Écrivez un message ou joignez une photo." in response.content.decode()
    assert not ClaimMessage.objects.filter(claim=claim).exists()


def test_writing_on_a_closed_claim_says_it_is_closed(client, roles, claim):
    domain.claim_withdraw(claim_id=claim.pk, buyer=roles["buyer"], reason="solved", now=timezone.now())
    client.force_login(roles["seller"])
    response = client.post(reverse("claims:message", args=[claim.pk]), {"body": "Trop tard ?"})
    assert response.status_code == 302
    assert any("clôturée" in text for text in flash(response))
    assert not ClaimMessage.objects.filter(claim=claim).exists()


@pytest.mark.parametrize("data, kind, amount", [
    ({"kind": "exchange"}, "exchange", None),
    ({"kind": "partial_refund", "amount": "12.50"}, "partial_refund", Decimal("12.50")),
    ({"kind": "full_refund"}, "full_refund", Decimal("50.00")),
    ({"kind": "return_refund"}, "return_refund", Decimal("50.00")),
])
def test_seller_proposes_each_kind_of_solution(client, roles, claim, data, kind, amount):
    client.force_login(roles["seller"])
    response = client.post(reverse("claims:propose", args=[claim.pk]), {**data, "message": "Désolé"})
    assert response.status_code == 302
    proposal = claim.proposals.get()
    assert (proposal.kind, proposal.amount, proposal.is_pending, proposal.message) == (kind, amount, True, "Désolé")


@pytest.mark.parametrize("amount", ["50.01", "0", "-3", ""])
def test_partial_refund_must_be_positive_and_at_most_the_order_total(client, roles, claim, amount):
    client.force_login(roles["seller"])
    response = client.post(reverse("claims:propose", args=[claim.pk]), {"kind": "partial_refund", "amount": amount,
                                                                         "message": "Mon message"})
    assert response.status_code == 200
    assert "Mon message" in response.content.decode()
    assert not claim.proposals.exists()


def test_partial_refund_of_exactly_the_total_is_allowed(client, roles, claim):
    client.force_login(roles["seller"])
    client.post(reverse("claims:propose", args=[claim.pk]), {"kind": "partial_refund", "amount": "50.00"})
    assert claim.proposals.get().amount == Decimal("50.00")


@pytest.fixture
def not_received(roles):
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], days_ago=20, has_guarantee=True)
    return make_claim(order=order, reason="not_received")


def test_seller_proves_shipment_with_carrier_tracking_and_a_pdf_receipt(client, roles, not_received):
    client.force_login(roles["seller"])
    receipt = SimpleUploadedFile("depot.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("claims:propose", args=[not_received.pk]), {
        "kind": "shipment_proof", "carrier": "Colissimo", "tracking_number": "6A123", "receipt": [receipt]})
    assert response.status_code == 302
    proposal = not_received.proposals.get()
    assert (proposal.kind, proposal.carrier, proposal.tracking_number) == ("shipment_proof", "Colissimo", "6A123")
    assert proposal.attachments.get().content_type == "application/pdf"


def test_shipment_proof_needs_carrier_tracking_and_receipt(client, roles, not_received):
    client.force_login(roles["seller"])
    response = client.post(reverse("claims:propose", args=[not_received.pk]), {"kind": "shipment_proof"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Indiquez le transporteur." in html and "Indiquez le numéro de suivi." in html
    assert "Joignez le justificatif" in html
    assert not not_received.proposals.exists()


def test_shipment_proof_is_not_offered_for_a_damaged_item(client, roles, claim):
    client.force_login(roles["seller"])
    response = client.post(reverse("claims:propose", args=[claim.pk]), {
        "kind": "shipment_proof", "carrier": "DPD", "tracking_number": "1", "receipt": [png()]})
    assert response.status_code == 200
    assert not claim.proposals.exists()


def test_buyer_accepts_the_proposal_and_the_claim_is_settled(client, roles, claim, proposal):
    client.force_login(roles["buyer"])
    response = client.post(reverse("claims:accept", args=[claim.pk, proposal.pk]))
    assert response.status_code == 302
    claim.refresh_from_db()
    proposal.refresh_from_db()
    assert claim.status == Claim.Status.SETTLED and proposal.status == Proposal.Status.ACCEPTED


def test_buyer_declines_the_proposal_and_the_claim_stays_with_the_seller(client, roles, claim, proposal):
    client.force_login(roles["buyer"])
    client.post(reverse("claims:decline", args=[claim.pk, proposal.pk]), {"reason": "Je préfère un remboursement"})
    claim.refresh_from_db()
    proposal.refresh_from_db()
    assert claim.status == Claim.Status.WITH_SELLER and proposal.status == Proposal.Status.DECLINED
    assert claim.events.get(kind="declined").detail == "Je préfère un remboursement"


@pytest.mark.parametrize("reason", ["arrangement", "solved", "other"])
def test_buyer_withdraws_with_a_reason(client, roles, claim, reason):
    client.force_login(roles["buyer"])
    client.post(reverse("claims:withdraw", args=[claim.pk]), {"reason": reason})
    claim.refresh_from_db()
    assert (claim.status, claim.withdraw_reason) == (Claim.Status.WITHDRAWN, reason)


def test_withdrawing_without_a_reason_changes_nothing(client, roles, claim):
    client.force_login(roles["buyer"])
    response = client.post(reverse("claims:withdraw", args=[claim.pk]), {"reason": "parce-que"})
    assert "Choisissez la raison de l'annulation." in flash(response)
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.WITH_SELLER


def test_seller_asks_once_for_more_time_on_a_guaranteed_not_received_claim(client, roles, not_received):
    client.force_login(roles["seller"])
    before = not_received.seller_deadline
    client.post(reverse("claims:extend", args=[not_received.pk]))
    not_received.refresh_from_db()
    assert not_received.seller_deadline > before and not_received.extension_requested_at is not None
    response = client.post(reverse("claims:extend", args=[not_received.pk]))
    assert any("qu'une fois" in text for text in flash(response))


def test_accepting_a_proposal_on_a_withdrawn_claim_says_so_and_changes_nothing(client, roles, claim, proposal):
    domain.claim_withdraw(claim_id=claim.pk, buyer=roles["buyer"], reason="arrangement", now=timezone.now())
    client.force_login(roles["buyer"])
    response = client.post(reverse("claims:accept", args=[claim.pk, proposal.pk]))
    assert response["Location"] == detail(claim)
    assert any("n'est plus possible" in text for text in flash(response))
    claim.refresh_from_db()
    proposal.refresh_from_db()
    assert claim.status == Claim.Status.WITHDRAWN and proposal.status == Proposal.Status.LAPSED


def test_accepting_a_superseded_proposal_from_a_stale_tab_changes_nothing(client, roles, claim, proposal):
    newer = domain.claim_propose(claim_id=claim.pk, seller_user=roles["seller"], kind=Proposal.Kind.FULL_REFUND,
                                 now=timezone.now())
    client.force_login(roles["buyer"])
    response = client.post(reverse("claims:accept", args=[claim.pk, proposal.pk]))
    assert any("n'attend plus de réponse" in text for text in flash(response))
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.WITH_SELLER
    newer.refresh_from_db()
    assert newer.is_pending


def test_accepting_twice_says_the_second_time_is_moot(client, roles, claim, proposal):
    client.force_login(roles["buyer"])
    client.post(reverse("claims:accept", args=[claim.pk, proposal.pk]))
    response = client.post(reverse("claims:accept", args=[claim.pk, proposal.pk]))
    assert any("n'est plus possible" in text for text in flash(response))


def test_a_proposal_of_another_claim_cannot_be_accepted_through_this_one(client, roles, claim, proposal):
    other_order = make_order(buyer=roles["other_buyer"], seller=roles["seller_profile"])
    other_claim = make_claim(order=other_order)
    client.force_login(roles["buyer"])
    response = client.post(reverse("claims:accept", args=[claim.pk, 999999]))
    assert any("n'existe pas" in text for text in flash(response))
    assert client.post(reverse("claims:accept", args=[other_claim.pk, proposal.pk])).status_code == 404


def test_seller_cannot_propose_once_support_took_over(client, roles, claim):
    domain.claim_take_over(claim_id=claim.pk, now=claim.seller_deadline + (claim.seller_deadline - claim.opened_at))
    client.force_login(roles["seller"])
    response = client.post(reverse("claims:propose", args=[claim.pk]), {"kind": "exchange"})
    assert any("plus faire de proposition" in text for text in flash(response))
    assert not claim.proposals.exists()


def test_a_rejected_receipt_keeps_the_typed_proposal_and_names_the_file(client, roles, not_received):
    client.force_login(roles["seller"])
    bad = SimpleUploadedFile("recu.pdf", b"%PDF-1.4 truncated", content_type="application/pdf")
    response = client.post(reverse("claims:propose", args=[not_received.pk]), {
        "kind": "shipment_proof", "carrier": "Chronopost", "tracking_number": "XY987", "receipt": [bad],
        "message": "Colis déposé lundi"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "recu.pdf" in html and "endommagé ou illisible" in html
    assert 'value="Chronopost"' in html and 'value="XY987"' in html and "Colis déposé lundi" in html
    assert not not_received.proposals.exists()


def test_more_than_ten_photos_are_refused_by_name(client, roles, claim):
    client.force_login(roles["buyer"])
    files = [png(f"p{i}.png") for i in range(11)]
    response = client.post(reverse("claims:message", args=[claim.pk]), {"body": "Toutes mes photos", "photos": files})
    assert response.status_code == 200
    assert "p10.png" in response.content.decode()
    assert not ClaimMessage.objects.filter(claim=claim).exists()
