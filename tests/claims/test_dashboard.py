"""The seller space: claims on the seller's sales with filters and deadlines, and the buyer messages."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import domain
from claims.models import Notification, Proposal
from claims.selectors import seller_claim_counts, seller_claims
from orders.models import OrderMessage
from orders.services import order_message_post
from tests.factories import SellerFactory, UserFactory, make_claim, make_order

PARIS = ZoneInfo("Europe/Paris")
DASHBOARD = reverse("claims:dashboard")
MESSAGES = reverse("claims:dashboard_messages")


def claim_for(roles, *, opened_days_ago=0, buyer=None, **kwargs):
    now = timezone.now() - timedelta(days=opened_days_ago)
    order = make_order(buyer=buyer or roles["buyer"], seller=roles["seller_profile"], now=now, days_ago=3)
    return make_claim(order=order, now=now, **kwargs)


@pytest.mark.parametrize("url", [DASHBOARD, MESSAGES])
def test_seller_space_sends_anonymous_visitors_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("url", [DASHBOARD, MESSAGES])
@pytest.mark.parametrize("role", ["buyer", "other_buyer", "staff"])
def test_seller_space_is_a_404_for_users_who_are_not_sellers(client, roles, url, role):
    client.force_login(roles[role])
    assert client.get(url).status_code == 404


def test_seller_sees_the_claims_on_their_sales_and_another_seller_does_not(client, roles):
    claim = make_claim(order=roles["order"])
    client.force_login(roles["seller"])
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert [row.pk for row in response.context["claims"]] == [claim.pk]  # rows: plain values
    assert reverse("claims:detail", args=[claim.pk]) in response.content.decode()
    client.force_login(roles["other_seller"])
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert list(response.context["claims"]) == []
    assert reverse("claims:detail", args=[claim.pk]) not in response.content.decode()


def test_open_claims_come_soonest_deadline_first_then_supports_then_closed(roles):
    now = timezone.now()
    late = claim_for(roles, opened_days_ago=0)
    soon = claim_for(roles, opened_days_ago=2)
    closed = claim_for(roles, opened_days_ago=1)
    domain.claim_withdraw(claim_id=closed.pk, buyer=roles["buyer"], reason="solved", now=now)
    taken = claim_for(roles, opened_days_ago=10)
    assert domain.claim_take_over(claim_id=taken.pk, now=now)
    assert list(seller_claims(roles["seller"])) == [soon, late, taken, closed]


def test_filters_split_the_claims_and_count_them(client, roles):
    now = timezone.now()
    to_answer = claim_for(roles)
    waiting = claim_for(roles)
    domain.claim_propose(claim_id=waiting.pk, seller_user=roles["seller"], kind=Proposal.Kind.EXCHANGE, now=now)
    taken = claim_for(roles, opened_days_ago=10)
    domain.claim_take_over(claim_id=taken.pk, now=now)
    closed = claim_for(roles)
    domain.claim_withdraw(claim_id=closed.pk, buyer=roles["buyer"], reason="solved", now=now)
    make_claim(order=make_order(seller=roles["other_seller"].seller_profile))  # not theirs
    assert seller_claim_counts(roles["seller"]) == {
        "toutes": 4, "a-repondre": 1, "attente-acheteur": 1, "service-client": 1, "cloturees": 1,
    }
    client.force_login(roles["seller"])
    for value, expected in [("a-repondre", to_answer), ("attente-acheteur", waiting), ("service-client", taken),
                            ("cloturees", closed)]:
        assert [row.pk for row in client.get(DASHBOARD, {"filtre": value}).context["claims"]] == [expected.pk]
    assert len(client.get(DASHBOARD, {"filtre": "n-importe-quoi"}).context["claims"]) == 4


def test_counts_for_every_filter_take_one_query(roles):
    claim_for(roles)
    with CaptureQueriesContext(connection) as context:
        seller_claim_counts(roles["seller"])
    assert len(context) == 1


def test_deadline_badge_shows_business_days_left_and_turns_urgent_on_the_last_day(client, roles):
    opened = datetime(2025, 12, 23, 10, 0, tzinfo=PARIS)
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], now=opened)
    make_claim(order=order, now=opened)
    client.force_login(roles["seller"])
    with time_machine.travel(datetime(2025, 12, 24, 9, 0, tzinfo=PARIS), tick=False):
        html = client.get(DASHBOARD).content.decode()
    assert "2 jours ouvrés restants" in html and "deadline-urgent" not in html
    with time_machine.travel(datetime(2025, 12, 29, 9, 0, tzinfo=PARIS), tick=False):
        html = client.get(DASHBOARD).content.decode()
    assert "deadline-urgent" in html and "Dernier jour" in html


def test_dashboard_is_paginated_by_twenty(client, roles):
    for _ in range(21):
        claim_for(roles)
    client.force_login(roles["seller"])
    assert len(client.get(DASHBOARD).context["claims"]) == 20
    assert len(client.get(DASHBOARD, {"page": 2}).context["claims"]) == 1


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_dashboard_query_count_is_the_same_with_1_claim_and_with_100(client, roles):
    small_seller = SellerFactory(user=UserFactory(username="small-seller"))
    make_claim(order=make_order(seller=small_seller))
    buyers = [UserFactory() for _ in range(5)]
    for i in range(100):
        claim = claim_for(roles, buyer=buyers[i % 5], opened_days_ago=i % 4)
        if i % 3 == 0:
            domain.claim_propose(claim_id=claim.pk, seller_user=roles["seller"], kind=Proposal.Kind.EXCHANGE,
                                 now=timezone.now())
    client.force_login(small_seller.user)
    _count_queries(client, DASHBOARD)
    one = _count_queries(client, DASHBOARD)
    client.force_login(roles["seller"])
    _count_queries(client, DASHBOARD)
    assert _count_queries(client, DASHBOARD) == one


def test_buyer_messages_are_listed_newest_conversation_first_with_a_reply_form(client, roles):
    now = timezone.now()
    older = make_order(buyer=roles["other_buyer"], seller=roles["seller_profile"])
    order_message_post(order=older, author=roles["other_buyer"], body="Où est mon colis ?", now=now - timedelta(hours=2))
    order_message_post(order=roles["order"], author=roles["buyer"], body="Bonjour, une question", now=now)
    client.force_login(roles["seller"])
    response = client.get(MESSAGES)
    assert list(response.context["threads"]) == [roles["order"], older]
    html = response.content.decode()
    assert "Où est mon colis ?" in html and "Bonjour, une question" in html
    assert reverse("claims:order_message", args=[roles["order"].number]) in html


def test_another_seller_does_not_see_the_messages(client, roles):
    order_message_post(order=roles["order"], author=roles["buyer"], body="Message privé", now=timezone.now())
    client.force_login(roles["other_seller"])
    response = client.get(MESSAGES)
    assert "Message privé" not in response.content.decode()


def test_unread_buyer_messages_are_counted_then_marked_read_once_seen(client, roles):
    order_message_post(order=roles["order"], author=roles["buyer"], body="Un", now=timezone.now())
    order_message_post(order=roles["order"], author=roles["buyer"], body="Deux", now=timezone.now())
    client.force_login(roles["seller"])
    assert client.get(DASHBOARD).context["unread_order_messages"] == 2
    first = client.get(MESSAGES)
    assert "2 nouveaux" in first.content.decode()
    assert not OrderMessage.objects.filter(read_at__isnull=True).exists()
    assert not Notification.objects.filter(recipient=roles["seller"], read_at__isnull=True).exists()
    assert client.get(DASHBOARD).context["unread_order_messages"] == 0


def test_messages_page_query_count_does_not_grow_with_conversations(client, roles):
    small_seller = SellerFactory(user=UserFactory(username="small-seller"))
    small_order = make_order(seller=small_seller)
    order_message_post(order=small_order, author=small_order.buyer, body="Un", now=timezone.now())
    for _ in range(15):
        order = make_order(seller=roles["seller_profile"])
        for body in ("Un", "Deux"):
            order_message_post(order=order, author=order.buyer, body=body, now=timezone.now())
    client.force_login(small_seller.user)
    _count_queries(client, MESSAGES)
    one = _count_queries(client, MESSAGES)
    client.force_login(roles["seller"])
    _count_queries(client, MESSAGES)
    assert _count_queries(client, MESSAGES) == one


def bulk_claims(roles, count, *, open_count=3):
    """`count` claims for the seller in bulk rows: a few open (one per order), the rest closed on shared orders."""
    import uuid

    from claims.bulk_rows import insert_rows
    from claims.models import Claim

    now = timezone.now()
    orders = [make_order(buyer=roles["buyer"], seller=roles["seller_profile"]) for _ in range(open_count + 1)]
    rows = []
    for i in range(count):
        is_open = i < open_count
        status = Claim.Status.WITH_SELLER if is_open else [Claim.Status.SETTLED, Claim.Status.WITHDRAWN][i % 2]
        rows.append({"order_id": orders[i if is_open else -1].pk, "buyer_id": roles["buyer"].pk,
                     "seller_id": roles["seller_profile"].pk, "reason": "damaged", "description": "Cassé",
                     "status": status, "opened_at": now - timedelta(days=i % 50),
                     "seller_deadline": now + timedelta(days=i % 7 + 1), "submission_token": uuid.uuid4(),
                     "closed_at": None if is_open else now - timedelta(hours=i),
                     "withdraw_reason": "solved" if status == Claim.Status.WITHDRAWN else ""})
    insert_rows(Claim, rows)


def test_dashboard_takes_the_same_queries_with_1_claim_and_with_2000(client, roles):
    small_seller = SellerFactory(user=UserFactory(username="one-claim-seller"))
    make_claim(order=make_order(seller=small_seller))
    client.force_login(small_seller.user)
    _count_queries(client, DASHBOARD)
    one = _count_queries(client, DASHBOARD)
    bulk_claims(roles, 2000)
    client.force_login(roles["seller"])
    _count_queries(client, DASHBOARD)
    for params in ("", "?filtre=cloturees", "?filtre=cloturees&page=50", "?filtre=a-repondre"):
        assert _count_queries(client, DASHBOARD + params) == one <= 10
    response = client.get(DASHBOARD)
    assert [f["count"] for f in response.context["filters"]] == ["2000", "3", "0", "0", "1997"]
    assert len(response.context["claims"]) == 20 and all(claim.is_with_seller for claim in response.context["claims"][:3])


def test_counts_stop_at_the_cap_and_say_so(client, roles, monkeypatch):
    import claims.dashboard
    import claims.selectors

    monkeypatch.setattr(claims.selectors, "COUNT_CAP", 10)
    monkeypatch.setattr(claims.dashboard, "COUNT_CAP", 10)
    bulk_claims(roles, 30)
    counts = seller_claim_counts(roles["seller"])
    assert counts["a-repondre"] == 3 and counts.label("a-repondre") == "3"  # the open ones come first: exact
    assert counts.label("toutes") == "10+" and counts.label("cloturees") == "8+"
    client.force_login(roles["seller"])
    html = client.get(DASHBOARD, {"filtre": "cloturees"}).content.decode()
    assert ">8+<" in html
