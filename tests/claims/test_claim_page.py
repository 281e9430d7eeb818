"""The claim page: one URL for buyer, seller and agent, each seeing only the actions they may take."""
import re
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from claims import domain
from claims.models import Notification, Proposal
from claims.photos import process_upload
from tests.factories import make_claim, make_order

PARIS = ZoneInfo("Europe/Paris")


def photo(name="photo.png", color="red"):
    buffer = BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, "PNG")
    return process_upload(SimpleUploadedFile(name, buffer.getvalue()))


@pytest.fixture
def claim(roles):
    return make_claim(order=roles["order"])


def url(claim):
    return reverse("claims:detail", args=[claim.pk])


@pytest.mark.parametrize("role, status", [
    ("buyer", 200), ("other_buyer", 404), ("seller", 200), ("other_seller", 404), ("staff", 200),
])
def test_claim_page_is_shown_to_its_parties_and_staff_only(client, roles, claim, role, status):
    client.force_login(roles[role])
    assert client.get(url(claim)).status_code == status


def test_claim_page_sends_anonymous_visitors_to_login(client, claim):
    response = client.get(url(claim))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_unknown_claim_is_a_404(client, roles):
    client.force_login(roles["staff"])
    assert client.get(reverse("claims:detail", args=[999999])).status_code == 404


def test_buyer_sees_accept_and_decline_on_a_pending_proposal_and_the_withdraw_form(client, roles, claim):
    proposal = domain.claim_propose(claim_id=claim.pk, seller_user=roles["seller"], kind=Proposal.Kind.EXCHANGE,
                                    now=timezone.now())
    client.force_login(roles["buyer"])
    html = client.get(url(claim)).content.decode()
    assert reverse("claims:accept", args=[claim.pk, proposal.pk]) in html
    assert reverse("claims:decline", args=[claim.pk, proposal.pk]) in html
    assert reverse("claims:withdraw", args=[claim.pk]) in html
    assert "Annuler ma réclamation" in html
    assert reverse("claims:propose", args=[claim.pk]) not in html


def test_seller_sees_the_proposal_form_but_not_the_buyer_actions(client, roles, claim):
    proposal = domain.claim_propose(claim_id=claim.pk, seller_user=roles["seller"], kind=Proposal.Kind.EXCHANGE,
                                    now=timezone.now())
    client.force_login(roles["seller"])
    html = client.get(url(claim)).content.decode()
    assert reverse("claims:propose", args=[claim.pk]) in html
    assert reverse("claims:accept", args=[claim.pk, proposal.pk]) not in html
    assert reverse("claims:withdraw", args=[claim.pk]) not in html
    assert "Preuve d&#x27;expédition" not in html  # only for "not received"


def test_agent_sees_the_thread_form_with_the_internal_note_option_but_no_party_actions(client, roles, claim):
    client.force_login(roles["staff"])
    html = client.get(url(claim)).content.decode()
    assert reverse("claims:message", args=[claim.pk]) in html
    assert 'name="internal"' in html
    assert reverse("claims:propose", args=[claim.pk]) not in html
    assert reverse("claims:withdraw", args=[claim.pk]) not in html


def test_parties_do_not_get_the_internal_note_option(client, roles, claim):
    for role in ("buyer", "seller"):
        client.force_login(roles[role])
        assert 'name="internal"' not in client.get(url(claim)).content.decode()


def test_extension_button_only_for_the_seller_of_a_guaranteed_not_received_claim(client, roles):
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], days_ago=20, has_guarantee=True)
    claim = make_claim(order=order, reason="not_received")
    extend = reverse("claims:extend", args=[claim.pk])
    client.force_login(roles["seller"])
    html = client.get(url(claim)).content.decode()
    assert extend in html
    assert "Preuve d&#x27;expédition" in html
    client.force_login(roles["buyer"])
    assert extend not in client.get(url(claim)).content.decode()
    domain.claim_request_extension(claim_id=claim.pk, seller_user=roles["seller"], now=timezone.now())
    client.force_login(roles["seller"])
    assert extend not in client.get(url(claim)).content.decode()


def test_no_extension_button_without_the_guarantee(client, roles):
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], days_ago=20, has_guarantee=False)
    claim = make_claim(order=order, reason="not_received")
    client.force_login(roles["seller"])
    assert reverse("claims:extend", args=[claim.pk]) not in client.get(url(claim)).content.decode()


def test_deadline_is_shown_as_a_paris_date_and_as_business_days_left(client, roles):
    opened = datetime(2025, 12, 23, 10, 0, tzinfo=PARIS)  # Tuesday; the 25th is Christmas
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], now=opened)
    claim = make_claim(order=order, now=opened)
    client.force_login(roles["buyer"])
    with time_machine.travel(opened, tick=False):
        html = client.get(url(claim)).content.decode()
    assert "lundi 29 décembre 2025 à 23:59" in html
    assert "3 jours ouvrés restants" in html
    assert "deadline-urgent" not in html


def test_deadline_turns_urgent_on_the_last_business_day(client, roles):
    opened = datetime(2025, 12, 23, 10, 0, tzinfo=PARIS)
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], now=opened)
    claim = make_claim(order=order, now=opened)
    client.force_login(roles["seller"])
    with time_machine.travel(datetime(2025, 12, 29, 9, 0, tzinfo=PARIS), tick=False):
        html = client.get(url(claim)).content.decode()
    assert "deadline-urgent" in html
    assert "Dernier jour" in html


# Opened Tuesday 3 March 2026 (no holiday near): the seller has Wednesday, Thursday and Friday 6 March.
COUNTDOWN = [
    (datetime(2026, 3, 3, 10, 0), "3 jours ouvrés restants", "3 working days left"),
    (datetime(2026, 3, 4, 10, 0), "2 jours ouvrés restants", "2 working days left"),
    (datetime(2026, 3, 5, 23, 59), "1 jour ouvré restant", "1 working day left"),
    (datetime(2026, 3, 6, 0, 0), "Dernier jour", "Last day"),
    (datetime(2026, 3, 6, 23, 59, 59), "Dernier jour", "Last day"),
    (datetime(2026, 3, 7, 0, 0), "Délai dépassé", "Deadline passed"),
]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("at, french, english", COUNTDOWN, ids=[c[1] + " " + c[0].isoformat() for c in COUNTDOWN])
def test_the_countdown_agrees_with_the_three_business_days_promised(client, roles, settings, at, french, english,
                                                                    language):
    opened = datetime(2026, 3, 3, 10, 0, tzinfo=PARIS)
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], now=opened, days_ago=5)
    claim = make_claim(order=order, now=opened)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for role in ("buyer", "seller"):
        client.force_login(roles[role])
        with time_machine.travel(at.replace(tzinfo=PARIS), tick=False):
            html = client.get(url(claim)).content.decode()
        badge = re.search(r'data-testid="deadline-badge">([^<]*)<', html).group(1)
        assert badge == (french if language == "fr" else english), role


def test_timeline_lists_every_event_and_the_thread_every_public_message(client, roles, claim):
    now = timezone.now()
    domain.claim_post_message(claim_id=claim.pk, author=roles["seller"], body="Pouvez-vous envoyer une photo ?", now=now)
    domain.claim_post_message(claim_id=claim.pk, author=roles["buyer"], body="Voici la photo.", now=now,
                              attachments=[photo()])
    domain.claim_add_note(claim_id=claim.pk, agent=roles["staff"], body="Vendeur déjà signalé", now=now)
    client.force_login(roles["buyer"])
    response = client.get(url(claim))
    html = response.content.decode()
    assert [event.kind for event in response.context["events"]] == ["opened", "message", "message"]
    assert "Pouvez-vous envoyer une photo ?" in html and "Voici la photo." in html
    attachment = claim.attachments.get()
    assert reverse("claims:attachment_thumbnail", args=[attachment.pk]) in html
    assert reverse("claims:attachment", args=[attachment.pk]) in html
    assert "Vendeur déjà signalé" not in html and "Note interne" not in html


def test_staff_see_internal_notes_clearly_marked(client, roles, claim):
    domain.claim_add_note(claim_id=claim.pk, agent=roles["staff"], body="Vendeur déjà signalé", now=timezone.now())
    client.force_login(roles["staff"])
    html = client.get(url(claim)).content.decode()
    assert "Vendeur déjà signalé" in html
    assert "Note interne" in html


def test_decision_and_its_reason_are_shown_once_decided(client, roles, claim):
    now = timezone.now()
    domain.claim_take_over(claim_id=claim.pk, now=claim.seller_deadline + (claim.seller_deadline - claim.opened_at))
    domain.claim_decide(claim_id=claim.pk, agent=roles["staff"], decision="refund_partial", amount=Decimal("20.00"),
                        reason="Rayure visible sur les photos.", now=now)
    client.force_login(roles["buyer"])
    html = client.get(url(claim)).content.decode()
    assert "Remboursement partiel de l&#x27;acheteur" in html
    assert "20,00\xa0€" in html
    assert "Rayure visible sur les photos." in html
    assert reverse("claims:message", args=[claim.pk]) not in html


def test_withdrawn_claim_shows_its_reason_and_no_more_actions(client, roles, claim):
    domain.claim_withdraw(claim_id=claim.pk, buyer=roles["buyer"], reason="solved", now=timezone.now())
    client.force_login(roles["buyer"])
    html = client.get(url(claim)).content.decode()
    assert "Le problème est résolu" in html
    assert reverse("claims:withdraw", args=[claim.pk]) not in html
    assert reverse("claims:message", args=[claim.pk]) not in html


def test_opening_the_claim_marks_its_notifications_read(client, roles, claim):
    seller = roles["seller"]
    assert Notification.objects.filter(recipient=seller, claim=claim, read_at__isnull=True).exists()
    client.force_login(seller)
    client.get(url(claim))
    assert not Notification.objects.filter(recipient=seller, claim=claim, read_at__isnull=True).exists()


def _grow(claim, roles, count):
    now = timezone.now()
    for i in range(count):
        author = roles["buyer"] if i % 2 else roles["seller"]
        domain.claim_post_message(claim_id=claim.pk, author=author, body=f"message {i}", now=now, attachments=[photo()])
        domain.claim_add_note(claim_id=claim.pk, agent=roles["staff"], body=f"note {i}", now=now)
    # The pending (last) proposal is the same kind for 1 and 30 rows: a refund offer adds its own fixed query.
    for kind in (Proposal.Kind.FULL_REFUND, Proposal.Kind.EXCHANGE)[-max(1, min(count, 2)):]:
        domain.claim_propose(claim_id=claim.pk, seller_user=roles["seller"], kind=kind, now=now)


def _queries(client, claim):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url(claim)).status_code == 200
    return len(context)


@pytest.mark.parametrize("role", ["buyer", "seller", "staff"])
def test_claim_page_query_count_does_not_grow_with_the_thread(client, roles, role):
    small = make_claim(order=roles["order"])
    _grow(small, roles, 1)
    other_order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"])
    big = make_claim(order=other_order)
    _grow(big, roles, 30)
    client.force_login(roles[role])
    _queries(client, small)  # warm the session and caches
    assert _queries(client, small) == _queries(client, big) <= 10


# What each role alone can do on the page, in English.
ENGLISH_ONLY_FOR = {"buyer": "Cancel my claim", "seller": "Send the proposal",
                    "staff": "Internal note: visible to customer service only"}


@pytest.mark.parametrize("role", ["buyer", "seller", "staff"])
def test_claim_page_renders_in_english_too(client, roles, claim, settings, role):
    domain.claim_propose(claim_id=claim.pk, seller_user=roles["seller"], kind=Proposal.Kind.PARTIAL_REFUND,
                         amount=Decimal("5.00"), now=timezone.now())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(roles[role])
    response = client.get(url(claim))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="en"' in page
    for english in ("Where does the claim stand?", "Item damaged or not working", "In progress with the seller",
                    "Partial refund (discount)", "History", ENGLISH_ONLY_FOR[role]):
        assert english in page, english
    for french in ("Où en est la réclamation", "Article endommagé", "Remboursement partiel", "Étapes"):
        assert french not in page, french
