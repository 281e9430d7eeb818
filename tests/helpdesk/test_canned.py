"""Canned replies: placeholders filled from the case, unknown ones refused where a text is saved, the picker."""
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from claims import domain
from claims.models import Claim, ClaimMessage
from helpdesk import canned
from helpdesk.models import CannedReply, ContactMessage
from orders.models import AccountPreferences
from tests.factories import SellerFactory, StaffFactory, UserFactory, make_claim, make_order

from .test_admin import change_data
from .test_requests import make_request

pytestmark = pytest.mark.django_db

ALL = "Bonjour {acheteur}, le vendeur {vendeur} (commande {commande}, {montant}) a jusqu'au {date_limite}."


@pytest.fixture
def claim():
    buyer = UserFactory(username="alice", first_name="Alice", last_name="Martin")
    seller = SellerFactory(display_name="Boutique Paris")
    return make_claim(order=make_order(buyer=buyer, seller=seller, price=Decimal("1234.50")))


@pytest.fixture
def agent(client):
    user = StaffFactory()
    client.force_login(user)
    return user


def test_every_placeholder_is_filled_from_the_claim(claim):
    text = canned.fill(ALL, canned.claim_values(claim, "fr"))
    deadline = date_format(timezone.localtime(claim.seller_deadline), "DATETIME_FORMAT")
    assert text == (f"Bonjour Alice Martin, le vendeur Boutique Paris (commande {claim.order.number}, 1\xa0234,50\xa0€) "
                    f"a jusqu'au {deadline}.")
    assert "{" not in text


def test_an_unknown_placeholder_is_refused():
    with pytest.raises(ValidationError) as error:
        canned.fill("Bonjour {client}, {acheteur}", {"acheteur": "Alice"})
    assert "{client}" in str(error.value)
    with pytest.raises(ValidationError):
        canned.check_placeholders("Montant : { montant }")


def test_a_canned_reply_with_an_unknown_placeholder_is_refused_in_the_admin(client, agent):
    response = client.post(reverse("admin:helpdesk_cannedreply_add"), {
        "title": "Relance", "scope": "both", "active": "on", "text_fr": "Bonjour {prenom}", "text_en": ""})
    assert response.status_code == 200
    assert "Champ inconnu : {prenom}" in response.content.decode()
    assert not CannedReply.objects.exists()
    response = client.post(reverse("admin:helpdesk_cannedreply_add"), {
        "title": "Relance", "scope": "both", "active": "on", "text_fr": "Bonjour {acheteur}", "text_en": "Hi {acheteur}"})
    assert response.status_code == 302
    assert CannedReply.objects.get().text_en == "Hi {acheteur}"


def test_the_claim_reply_box_offers_the_claims_replies_filled(client, agent, claim):
    CannedReply.objects.create(title="Délai", scope="claims", text_fr="Bonjour {acheteur}, commande {commande}.")
    CannedReply.objects.create(title="Demande", scope="requests", text_fr="Seulement pour les demandes")
    CannedReply.objects.create(title="Inactive", scope="both", text_fr="x", active=False)
    html = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    picker = re.search(r'<select id="id_body_canned" data-canned-target="id_body">(.*?)</select>', html, re.S).group(1)
    assert f'data-text="Bonjour Alice Martin, commande {claim.order.number}."' in picker
    assert "Seulement pour les demandes" not in picker and "Inactive" not in picker
    assert "/static/js/canned-replies.js" in html
    assert "<script>" not in html  # no inline script: the CSP forbids it


def test_an_english_buyer_gets_the_english_text(agent, claim):
    AccountPreferences.objects.update_or_create(user=claim.buyer, defaults={"language": "en"})
    CannedReply.objects.create(title="Délai", scope="both", text_fr="Bonjour", text_en="Hello {acheteur}")
    claim = Claim.objects.select_related("buyer", "order", "seller").get(pk=claim.pk)
    from claims.admin_forms import PartiesMessageForm

    assert PartiesMessageForm(claim=claim).fields["body"].widget.replies == [("Délai", "Hello Alice Martin")]


def test_the_agents_message_fills_placeholders_and_refuses_unknown_ones(client, agent, claim):
    url = reverse("admin:claims_claim_message", args=[claim.pk])
    response = client.post(url, {"body": "Bonjour {inconnu}"})
    assert response.status_code == 400
    assert "Champ inconnu : {inconnu}" in response.content.decode()
    assert not ClaimMessage.objects.filter(claim=claim, role="support").exists()
    response = client.post(url, {"body": "Bonjour {acheteur}"})
    assert response.status_code == 302
    assert ClaimMessage.objects.get(claim=claim, role="support").body == "Bonjour Alice Martin"


def test_the_help_desk_reply_box_has_the_picker_and_refuses_unknown_placeholders(client, agent, roles):
    roles["buyer"].first_name = "Bea"
    roles["buyer"].save()
    contact_request = make_request(roles["buyer"], order=roles["order"])
    CannedReply.objects.create(title="Merci", scope="requests", text_fr="Merci {acheteur} pour {commande}.")
    url = reverse("admin:helpdesk_contactrequest_change", args=[contact_request.pk])
    html = client.get(url).content.decode()
    assert f'data-text="Merci Bea pour {roles["order"].number}."' in html
    response = client.post(url, change_data(contact_request, reply="Bonjour {nom}"))
    assert response.status_code == 200
    assert "Champ inconnu : {nom}" in response.content.decode()
    assert not contact_request.messages.filter(role=ContactMessage.Role.AGENT).exists()
    response = client.post(url, change_data(contact_request, reply="Merci {acheteur}"))
    assert response.status_code == 302
    assert contact_request.messages.filter(role=ContactMessage.Role.AGENT).get().body == "Merci Bea"


@pytest.mark.parametrize("who", ["anonymous", "buyer", "seller"])
def test_only_agents_reach_the_canned_replies(client, roles, who):
    if who != "anonymous":
        client.force_login(roles[who])
    response = client.get(reverse("admin:helpdesk_cannedreply_changelist"))
    assert response.status_code == 302
