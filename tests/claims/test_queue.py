"""The queue one can read: its title and count, its columns, its order; the claim page's facts before the acts."""
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from claims import domain
from claims.models import Attachment, Claim
from tests.factories import StaffFactory, make_claim, make_order

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:claims_claim_changelist") + "?file=unassigned"


def taken_over(days_ago):
    now = timezone.now()
    opened = now - timedelta(days=days_ago)
    claim = make_claim(order=make_order(now=opened, days_ago=20), now=opened)
    assert domain.claim_take_over(claim_id=claim.pk, now=claim.seller_deadline + timedelta(minutes=days_ago))
    return Claim.objects.get(pk=claim.pk)


@pytest.fixture
def agent(client):
    user = StaffFactory(username="agent")
    client.force_login(user)
    return user


def test_the_queue_has_a_title_with_its_count(client, agent):
    for days in (8, 9):
        taken_over(days)
    html = client.get(QUEUE).content.decode()
    assert "<h1>File du service client : 2 dossiers</h1>" in html
    assert "<title>File du service client : 2 dossiers" in html


def test_the_queue_shows_the_columns_that_fit_and_the_oldest_first(client, agent):
    newer, older = taken_over(8), taken_over(12)
    response = client.get(QUEUE)
    assert [row.pk for row in response.context["cl"].result_list] == [older.pk, newer.pk]
    headers = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', response.content.decode())
    assert headers == ["order_number", "reason", "waiting_since", "seller", "has_guarantee", "assigned_to", "amount"]
    assert "50,00\xa0€" in response.content.decode()


def test_the_queue_does_not_grow_in_queries_with_rows(client, agent):
    taken_over(8)
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as one:
        client.get(QUEUE)
    for days in range(9, 14):
        taken_over(days)
    with CaptureQueriesContext(connection) as many:
        client.get(QUEUE)
    assert len(many) == len(one)


def test_the_claim_page_shows_the_facts_then_the_notes_then_the_decision(client, agent):
    claim = taken_over(8)
    domain.claim_add_note(claim_id=claim.pk, agent=agent, body="Vérifier les photos", now=timezone.now())
    html = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    positions = [html.index(marker) for marker in (
        "Demande de l&#x27;acheteur", "Photos et pièces jointes", "Chronologie", "Fil de discussion",
        "Notes internes", 'id="claim-message-form"', 'id="claim-note-form"', 'id="claim-decision-form"')]
    assert positions == sorted(positions)
    assert html.index("Vérifier les photos") > html.index("Notes internes")


def test_attachment_dates_are_in_the_site_format_and_paris_time(client, agent):
    claim = taken_over(8)
    Attachment.objects.create(claim=claim, uploaded_by=claim.buyer, file="claims/x.jpg", content_type="image/jpeg",
                              original_name="x.jpg")
    at = timezone.localtime(Attachment.objects.get(claim=claim).created_at)
    html = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "+00:00" not in html
    assert date_format(at, "DATETIME_FORMAT") in html  # "1 décembre 2026 10:09"
