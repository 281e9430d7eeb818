"""The agents' desk in the admin: the queue, the read-only claim file, and the acts through the domain."""
import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.forms.models import model_to_dict
from django.urls import reverse

from claims import deadlines, domain
from claims.business_days import PARIS
from claims.models import Attachment, Claim, ClaimEvent, ClaimMessage, Notification
from tests.factories import PASSWORD, SellerFactory, StaffFactory, UserFactory, make_claim, make_order

pytestmark = pytest.mark.django_db

OPENED = datetime(2026, 2, 2, 10, 0, tzinfo=PARIS)
TAKEN_OVER = datetime(2026, 2, 6, 0, 0, tzinfo=PARIS)
CHANGELIST = "admin:claims_claim_changelist"


def taken_over_claim(*, opened=OPENED, buyer=None, seller=None, total=Decimal("50.00")):
    order = make_order(now=opened, days_ago=20, buyer=buyer, seller=seller, price=total)
    claim = make_claim(order=order, now=opened)
    assert domain.claim_take_over(claim_id=claim.pk, now=opened + timedelta(days=6))
    claim.refresh_from_db()
    return claim


@pytest.fixture
def agent(client):
    user = StaffFactory(username="agent")
    client.force_login(user)
    return user


@pytest.fixture
def claim():
    return taken_over_claim()


def page(client, name, *args, **params):
    return client.get(reverse(name, args=args), params)


def listed_ids(response):
    return [row.pk for row in response.context["cl"].result_list]


# --- who may come in --------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["anonymous", "buyer", "seller"])
def test_only_staff_reach_the_claims_admin(client, claim, who):
    if who == "buyer":
        client.force_login(claim.buyer)
    elif who == "seller":
        client.force_login(claim.seller.user)
    for url in (reverse(CHANGELIST), reverse("admin:claims_claim_change", args=[claim.pk]),
                reverse("admin:claims_claim_decide", args=[claim.pk])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    response = client.post(reverse("admin:claims_claim_assign", args=[claim.pk]))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.assigned_to is None


def test_staff_with_view_permission_only_sees_the_file_but_cannot_act(client, claim):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_claim"))
    client.force_login(viewer)

    response = page(client, "admin:claims_claim_change", claim.pk)
    assert response.status_code == 200
    assert "M'attribuer ce dossier" not in response.content.decode()
    assert client.post(reverse("admin:claims_claim_assign", args=[claim.pk])).status_code == 403
    assert client.post(reverse("admin:claims_claim_decide", args=[claim.pk]),
                       {"decision": "refund_full", "reason": "x"}).status_code == 403
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITH_SUPPORT


def test_an_unknown_claim_is_a_404(client, agent):
    assert page(client, "admin:claims_claim_decide", 999999).status_code == 404
    assert client.post(reverse("admin:claims_claim_assign", args=[999999])).status_code == 404


# --- the queue and the list -------------------------------------------------------------------------------

def test_the_queue_lists_unassigned_takeovers_oldest_first(client, agent):
    buyer, seller = UserFactory(), SellerFactory()
    newer = taken_over_claim(opened=OPENED + timedelta(days=1), buyer=buyer, seller=seller)
    older = taken_over_claim(opened=OPENED, buyer=buyer, seller=seller)
    mine = taken_over_claim(opened=OPENED - timedelta(days=1), buyer=buyer, seller=seller)
    domain.claim_assign(claim_id=mine.pk, agent=agent, now=TAKEN_OVER)
    with_seller = make_claim(order=make_order(buyer=buyer, seller=seller))

    response = client.get(reverse("admin:claims_claim_queue"), follow=True)

    assert listed_ids(response) == [older.pk, newer.pk]
    assert listed_ids(page(client, CHANGELIST, file="mine")) == [mine.pk]
    assert listed_ids(page(client, CHANGELIST, file="all")) == [mine.pk, older.pk, newer.pk]
    assert with_seller.pk in listed_ids(page(client, CHANGELIST))


def test_the_overdue_filter_shows_claims_past_their_deadline_still_with_the_seller(client, agent, claim):
    overdue = make_claim(order=make_order(days_ago=30), now=datetime(2026, 1, 5, 10, tzinfo=PARIS))
    current = make_claim(order=make_order())

    assert listed_ids(page(client, CHANGELIST, retard="yes")) == [overdue.pk]
    assert set(listed_ids(page(client, CHANGELIST, retard="no"))) == {claim.pk, current.pk}


@pytest.mark.parametrize("params, expected", [
    ({"status__exact": "with_support"}, True), ({"status__exact": "settled"}, False),
    ({"reason__exact": "damaged"}, True), ({"reason__exact": "counterfeit"}, False),
    ({"has_guarantee__exact": "0"}, True), ({"has_guarantee__exact": "1"}, False),
])
def test_the_list_filters_by_status_reason_and_guarantee(client, agent, claim, params, expected):
    assert (claim.pk in listed_ids(page(client, CHANGELIST, **params))) is expected


def test_search_finds_a_claim_by_order_number_buyer_and_seller(client, agent, claim):
    other = taken_over_claim()
    for term in (claim.order.number, claim.buyer.username, claim.buyer.email, claim.seller.display_name):
        assert listed_ids(page(client, CHANGELIST, q=term)) == [claim.pk], term
    assert claim.pk not in listed_ids(page(client, CHANGELIST, q=other.order.number))


def test_the_list_makes_as_many_queries_for_many_claims_as_for_one(client, agent):
    taken_over_claim()
    with CaptureQueriesContext(connection) as one:
        assert page(client, CHANGELIST).status_code == 200
    for _ in range(5):
        taken_over_claim()
    with CaptureQueriesContext(connection) as many:
        assert len(listed_ids(page(client, CHANGELIST))) == 6
    assert len(many) == len(one)


# --- the claim's file -------------------------------------------------------------------------------------

def add_thread(claim, agent, n=1):
    for i in range(n):
        domain.claim_post_message(claim_id=claim.pk, author=claim.buyer, body=f"Message acheteur {i}", now=TAKEN_OVER)
        domain.claim_add_note(claim_id=claim.pk, agent=agent, body=f"Note secrète {i}", now=TAKEN_OVER)
        Attachment.objects.create(claim=claim, uploaded_by=claim.buyer, file=f"claims/p{i}.jpg",
                                  thumbnail=f"claims/t{i}.jpg", kind="image", content_type="image/jpeg",
                                  original_name=f"photo-{i}.jpg")


def test_the_file_shows_timeline_thread_internal_notes_and_thumbnails_through_the_authorised_view(client, agent, claim):
    add_thread(claim, agent)
    attachment = claim.attachments.get()

    body = page(client, "admin:claims_claim_change", claim.pk).content.decode()

    assert "Pris en charge par le service client Rakuten" in body
    assert "Aucun accord n&#x27;a été trouvé avant la date limite du vendeur." in body
    assert "Message acheteur 0" in body and "Note secrète 0" in body
    assert f'src="{reverse("claims:attachment_thumbnail", args=[attachment.pk])}"' in body
    assert "/media/" not in body


def test_every_field_of_the_file_is_read_only(client, agent, claim):
    response = page(client, "admin:claims_claim_change", claim.pk)
    body = response.content.decode()

    for field in ("status", "seller_deadline", "taken_over_at", "assigned_to", "decision_reason"):
        assert f'name="{field}"' not in body
    assert 'name="_save"' not in body
    assert response.context["adminform"].form.fields == {}


def test_the_file_makes_as_many_queries_with_a_long_thread_as_with_a_short_one(client, agent):
    short, long = taken_over_claim(), taken_over_claim()
    add_thread(short, agent, 1)
    add_thread(long, agent, 6)

    with CaptureQueriesContext(connection) as one:
        assert page(client, "admin:claims_claim_change", short.pk).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert page(client, "admin:claims_claim_change", long.pk).status_code == 200
    assert len(many) == len(one)


def test_the_admin_pages_run_under_the_content_security_policy(client, agent, claim):
    for response in (page(client, "admin:claims_claim_change", claim.pk), page(client, CHANGELIST),
                     page(client, "admin:claims_claim_decide", claim.pk)):
        assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
        body = response.content.decode()
        inline = [tag for tag in re.findall(r"<script\b[^>]*>", body) if "src=" not in tag and "nonce=" not in tag]
        assert not inline, inline
        assert " style=" not in body.split('id="content"', 1)[-1]


# --- the agent's acts -------------------------------------------------------------------------------------

def test_assign_to_me_gives_the_claim_to_the_agent(client, agent, claim):
    response = client.post(reverse("admin:claims_claim_assign", args=[claim.pk]), follow=True)

    claim.refresh_from_db()
    assert claim.assigned_to == agent
    assert claim.events.filter(kind=ClaimEvent.Kind.ASSIGNED, actor=agent).count() == 1
    assert "vous est attribué" in response.content.decode()
    assert client.get(reverse("admin:claims_claim_assign", args=[claim.pk])).status_code == 405


def test_assigning_a_claim_still_with_the_seller_is_refused_with_a_message(client, agent):
    claim = make_claim()

    response = client.post(reverse("admin:claims_claim_assign", args=[claim.pk]), follow=True)

    assert "Seul un dossier pris en charge par le service client peut être attribué." in response.content.decode()
    claim.refresh_from_db()
    assert claim.assigned_to is None


def test_a_partial_refund_decision_with_its_reason_closes_the_claim_and_tells_both_parties(client, agent, claim):
    response = client.post(reverse("admin:claims_claim_decide", args=[claim.pk]), {
        "decision": "refund_partial", "amount": "20.00", "reason": "Le colis est arrivé abîmé : rabais de 20 €.",
    }, follow=True)

    claim.refresh_from_db()
    assert claim.status == Claim.Status.DECIDED
    assert (claim.decision, claim.decision_amount) == ("refund_partial", Decimal("20.00"))
    assert claim.decision_reason == "Le colis est arrivé abîmé : rabais de 20 €."
    assert claim.assigned_to == agent
    told = set(Notification.objects.filter(claim=claim, kind=Notification.Kind.DECIDED).values_list("recipient", flat=True))
    assert told == {claim.buyer_id, claim.seller.user_id}
    assert "Décision enregistrée" in response.content.decode()


@pytest.mark.parametrize("language, amount", [("fr", "20,00\xa0€"), ("en", "€20.00")])
def test_the_decided_amount_is_shown_to_the_agent_in_their_language(client, agent, claim, language, amount):
    client.post(reverse("admin:claims_claim_decide", args=[claim.pk]),
                {"decision": "refund_partial", "amount": "20.00", "reason": "Rabais accordé."})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    shown = re.search(r'field-decision_amount_display.*?<div class="readonly">(.*?)</div>', page, re.S)
    assert shown and shown.group(1).strip() == amount


def test_a_partial_refund_without_amount_is_a_form_error_that_keeps_the_reason(client, agent, claim):
    response = client.post(reverse("admin:claims_claim_decide", args=[claim.pk]),
                           {"decision": "refund_partial", "amount": "", "reason": "Mon motif détaillé"})

    assert response.status_code == 400
    body = response.content.decode()
    assert "Indiquez le montant du remboursement partiel." in body and "Mon motif détaillé" in body
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITH_SUPPORT


@pytest.mark.parametrize("data, message", [
    ({"decision": "refund_partial", "amount": "80.00", "reason": "Trop"}, "ne peut pas dépasser le total"),
    ({"decision": "refund_full", "reason": "   "}, "Écrivez le motif de la décision"),
    ({"reason": "Sans décision"}, "Ce champ est obligatoire."),
    ({"decision": "refund_partial", "amount": "abc", "reason": "x"}, "Saisissez un nombre."),
])
def test_bad_decisions_are_clear_french_errors(client, agent, claim, data, message):
    response = client.post(reverse("admin:claims_claim_decide", args=[claim.pk]), data)

    assert response.status_code == 400 and message in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITH_SUPPORT


def test_deciding_twice_is_refused_by_the_domain_with_a_message(client, agent, claim):
    data = {"decision": "seller_favour", "reason": "Livré selon le transporteur."}
    client.post(reverse("admin:claims_claim_decide", args=[claim.pk]), data)

    response = client.post(reverse("admin:claims_claim_decide", args=[claim.pk]),
                           {"decision": "refund_full", "reason": "Autre avis"})

    assert response.status_code == 400
    assert "Cette action n&#x27;est plus possible" in response.content.decode()
    claim.refresh_from_db()
    assert claim.decision == "seller_favour"


def test_an_internal_note_is_for_agents_only(client, agent, claim):
    client.post(reverse("admin:claims_claim_note", args=[claim.pk]), {"body": "Vendeur déjà averti deux fois."})

    note = ClaimMessage.objects.get(claim=claim)
    assert note.internal and note.author == agent
    assert not Notification.objects.filter(claim=claim, kind=Notification.Kind.MESSAGE).exists()
    client.force_login(claim.buyer)
    assert "Vendeur déjà averti" not in client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    client.force_login(claim.seller.user)
    assert "Vendeur déjà averti" not in client.get(reverse("claims:detail", args=[claim.pk])).content.decode()


def test_an_empty_note_is_a_form_error(client, agent, claim):
    response = client.post(reverse("admin:claims_claim_note", args=[claim.pk]), {"body": ""})
    assert response.status_code == 400 and "Ce champ est obligatoire." in response.content.decode()
    assert not ClaimMessage.objects.filter(claim=claim).exists()


def test_a_message_to_the_parties_reaches_the_thread_and_both_parties(client, agent, claim):
    client.post(reverse("admin:claims_claim_message", args=[claim.pk]), {"body": "Pouvez-vous envoyer une photo ?"})

    message = ClaimMessage.objects.get(claim=claim)
    assert message.role == ClaimMessage.Role.SUPPORT and not message.internal
    told = set(Notification.objects.filter(claim=claim, kind=Notification.Kind.MESSAGE).values_list("recipient", flat=True))
    assert told == {claim.buyer_id, claim.seller.user_id}


def test_the_agent_logs_in_with_the_admin_form(client, claim):
    StaffFactory(username="agent2")
    response = client.post(reverse("admin:login"), {"username": "agent2", "password": PASSWORD,
                                                    "next": reverse(CHANGELIST)})
    assert response.status_code == 302
    assert client.get(reverse(CHANGELIST)).status_code == 200


def test_the_notification_outbox_is_listed_read_only(client, agent, claim):
    response = page(client, "admin:claims_notification_changelist", email_status__exact="pending", kind__exact="taken_over")
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2
    assert page(client, "admin:claims_notification_add").status_code == 403


def test_a_notification_change_page_shows_the_row_and_refuses_edits(client, agent, claim):
    row = Notification.objects.filter(claim=claim).first()
    url = reverse("admin:claims_notification_change", args=[row.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html and 'name="email_status"' not in html
    before = model_to_dict(row)
    response = client.post(url, {"email_status": "sent", "email_attempts": "9", "kind": "decided",
                                 "recipient": agent.pk, "_save": "Enregistrer"})
    assert response.status_code == 403
    row.refresh_from_db()
    assert model_to_dict(row) == before
    assert client.post(reverse("admin:claims_notification_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    assert Notification.objects.filter(pk=row.pk).exists()


def test_the_sweep_feeds_the_queue(client, agent):
    make_claim(order=make_order(now=OPENED, days_ago=20), now=OPENED)
    deadlines.sweep(now=TAKEN_OVER)
    assert len(listed_ids(page(client, CHANGELIST, file="unassigned"))) == 1
