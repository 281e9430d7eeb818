"""The admin's front page is the agents' desk: counts of the day's work, the oldest item's age, links to the lists."""
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import desk, domain
from claims.business_days import PARIS
from claims.models import Claim
from helpdesk.models import ContactRequest
from helpdesk.services import contact_request_create
from tests.factories import StaffFactory, UserFactory, make_claim, make_order

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 11, 0, tzinfo=PARIS)  # a Wednesday


def taken_over(*, days_ago=6, now=NOW):
    opened = now - timedelta(days=days_ago)
    claim = make_claim(order=make_order(now=opened, days_ago=20), now=opened)
    assert domain.claim_take_over(claim_id=claim.pk, now=claim.seller_deadline + timedelta(seconds=1))
    return Claim.objects.get(pk=claim.pk)


def request_(status="new", days_ago=1, now=NOW):
    at = now - timedelta(days=days_ago)
    contact_request = contact_request_create(topic="other", body="Bonjour", email="x@example.com", language="fr",
                                             now=at)
    if status != "new":
        ContactRequest.objects.filter(pk=contact_request.pk).update(status=status)
    return contact_request


def entries(user, now=NOW):
    return {entry.key: entry for entry in desk.desk_entries(user=user, now=now)}


def test_the_desk_counts_each_queue_with_its_oldest_item():
    agent, other_agent = StaffFactory(), StaffFactory()
    oldest = taken_over(days_ago=9)
    taken_over(days_ago=7)
    mine = taken_over(days_ago=8)
    domain.claim_assign(claim_id=mine.pk, agent=agent, now=NOW)
    theirs = taken_over(days_ago=8)
    domain.claim_assign(claim_id=theirs.pk, agent=other_agent, now=NOW)
    # Opened on Friday 27 Feb: the third business day is Wednesday 4 March, today.
    due_today = make_claim(order=make_order(now=NOW, days_ago=20), now=datetime(2026, 2, 27, 15, 0, tzinfo=PARIS))
    make_claim(order=make_order(now=NOW, days_ago=20), now=NOW - timedelta(hours=1))  # due next Monday
    request_("new", days_ago=3)
    request_("new", days_ago=1)
    request_("in_progress", days_ago=2)
    request_("closed")

    got = entries(agent)
    assert got["claims_unassigned"].count == 2
    assert got["claims_unassigned"].oldest == oldest.taken_over_at
    assert got["claims_unassigned"].label == "2 dossiers non attribués"
    assert got["claims_mine"].count == 1
    assert got["claims_mine"].oldest == mine.taken_over_at
    assert got["claims_deadline_today"].count == 1
    assert got["claims_deadline_today"].oldest == due_today.opened_at
    assert got["requests_new"].count == 2
    assert got["requests_new"].age == timedelta(days=3)
    assert got["requests_waiting_us"].count == 1


def test_an_empty_queue_shows_zero_and_no_age():
    got = entries(StaffFactory())
    assert got["claims_unassigned"].count == 0
    assert got["claims_unassigned"].age is None
    assert got["claims_unassigned"].label == "0 dossier non attribué"  # French: 0 takes the singular


def test_each_count_links_to_a_list_showing_the_same_rows(client):
    agent = StaffFactory()
    client.force_login(agent)
    taken_over(days_ago=9, now=timezone.now())
    for entry in desk.desk_entries(user=agent, now=timezone.now()):
        response = client.get(entry.url)
        assert response.status_code == 200, entry.key
        assert response.context["cl"].result_count == entry.count, entry.key


def test_a_counter_can_be_added_in_one_place(monkeypatch):
    monkeypatch.setattr(desk, "COUNTERS", list(desk.COUNTERS))
    desk.register(desk.DeskCounter(
        key="claims_settled", model=Claim, condition=lambda user, now: desk.Q(status=Claim.Status.SETTLED),
        since_field="closed_at", label=lambda n: f"{n} settled", url=lambda: "/x/"), before="claims_mine")
    keys = [entry.key for entry in desk.desk_entries(user=StaffFactory(), now=NOW)]
    assert keys.index("claims_settled") == keys.index("claims_mine") - 1


def test_the_admin_index_is_the_desk(client):
    agent = StaffFactory()
    client.force_login(agent)
    for _ in range(3):
        taken_over(days_ago=8, now=timezone.now())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 dossiers non attribués" in html
    assert f'href="{reverse("admin:claims_claim_changelist")}?file=unassigned"' in html
    assert "le plus ancien attend depuis" in html
    assert 'id="desk"' in html and "app-claims" in html  # the usual app list stays below


def test_the_desk_does_not_grow_in_queries_with_rows(client):
    agent = StaffFactory()
    client.force_login(agent)
    taken_over(days_ago=8, now=timezone.now())
    client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("admin:index"))
    for _ in range(4):
        taken_over(days_ago=8, now=timezone.now())
    request_("new", now=timezone.now())
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("admin:index"))
    assert len(many) == len(one)
    desk_queries = [q for q in many.captured_queries if "COUNT" in q["sql"].upper() and "MIN" in q["sql"].upper()]
    assert len(desk_queries) == 2  # one for claims, one for help-desk requests


@pytest.mark.parametrize("who", ["anonymous", "buyer", "seller"])
def test_only_agents_see_the_desk(client, roles, who):
    if who != "anonymous":
        client.force_login(roles[who])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_agent_without_the_claims_permission_sees_no_claim_counter(client):
    user = UserFactory(is_staff=True)
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "non attribué" not in response.content.decode()
