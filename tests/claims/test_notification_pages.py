"""The notifications list and "Tout marquer comme lu"."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import domain
from claims.models import Notification, Proposal
from orders.services import order_message_post
from tests.factories import make_claim, make_order

LIST = reverse("claims:notifications")
MARK_READ = reverse("claims:notifications_read")


@pytest.fixture
def claim(roles):
    return make_claim(order=roles["order"])


def test_the_list_sends_anonymous_visitors_to_login(client):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("role, expected", [
    ("buyer", []), ("other_buyer", []), ("seller", ["claim_opened"]), ("other_seller", []), ("staff", []),
])
def test_each_user_sees_only_their_own_notifications(client, roles, claim, role, expected):
    client.force_login(roles[role])
    response = client.get(LIST)
    assert response.status_code == 200
    assert [n.kind for n in response.context["notifications"]] == expected


def test_notifications_are_newest_first_and_link_to_their_claim_or_order(client, roles, claim):
    now = timezone.now()
    domain.claim_propose(claim_id=claim.pk, seller_user=roles["seller"], kind=Proposal.Kind.EXCHANGE,
                         now=now + timedelta(minutes=1))
    order_message_post(order=roles["order"], author=roles["seller"], body="Bonjour", now=now + timedelta(minutes=2))
    client.force_login(roles["buyer"])
    response = client.get(LIST)
    assert [n.kind for n in response.context["notifications"]] == ["order_message", "proposal"]
    html = response.content.decode()
    assert reverse("claims:detail", args=[claim.pk]) in html
    assert reverse("orders:detail", args=[roles["order"].number]) in html
    assert html.count("notification-unread") == 2


def test_opening_the_list_leaves_notifications_unread(client, roles, claim):
    client.force_login(roles["seller"])
    client.get(LIST)
    assert Notification.objects.filter(recipient=roles["seller"], read_at__isnull=True).count() == 1


def test_mark_all_read_marks_only_the_users_own(client, roles, claim):
    order_message_post(order=roles["order"], author=roles["seller"], body="Bonjour", now=timezone.now())
    client.force_login(roles["seller"])
    response = client.post(MARK_READ)
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Notification.objects.filter(recipient=roles["seller"], read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=roles["buyer"], read_at__isnull=True).count() == 1
    html = client.get(LIST).content.decode()
    assert "notification-unread" not in html and "Tout marquer comme lu" not in html


def test_mark_read_needs_login_and_post(client, roles):
    response = client.post(MARK_READ)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(roles["buyer"])
    assert client.get(MARK_READ).status_code == 405


def test_the_bell_counts_unread_notifications_even_when_several(client, roles):
    now = timezone.now()
    for _ in range(3):
        make_claim(order=make_order(seller=roles["seller_profile"]), now=now)
    client.force_login(roles["seller"])
    html = client.get(LIST).content.decode()
    assert 'data-testid="unread-count">3<' in html
    # The bell is labelled in words, and says what it counts to screen readers.
    assert '<span>Notifications</span>' in html
    assert 'data-testid="unread-label">3 notifications non lues<' in html
    account = client.get(reverse("orders:account"))
    assert account.status_code == 200 and "3 notifications non lues" in account.content.decode()


def _queries(client):
    with CaptureQueriesContext(connection) as context:
        assert client.get(LIST).status_code == 200
    return len(context)


def test_the_list_query_count_does_not_grow_with_notifications(client, roles, claim):
    client.force_login(roles["seller"])
    _queries(client)
    one = _queries(client)
    for _ in range(20):
        make_claim(order=make_order(seller=roles["seller_profile"]))
        order_message_post(order=roles["order"], author=roles["buyer"], body="Bonjour", now=timezone.now())
    assert _queries(client) == one


def test_opening_an_unread_notification_marks_it_read_and_leads_to_its_claim(client, roles, claim):
    order_message_post(order=roles["order"], author=roles["buyer"], body="Bonjour", now=timezone.now())
    opened = Notification.objects.get(recipient=roles["seller"], kind=Notification.Kind.CLAIM_OPENED)
    client.force_login(roles["seller"])
    response = client.post(MARK_READ, {"notification": opened.pk})
    assert response["Location"] == reverse("claims:detail", args=[claim.pk])
    assert Notification.objects.get(pk=opened.pk).read_at is not None
    assert Notification.objects.filter(recipient=roles["seller"], read_at__isnull=True).count() == 1


def test_opening_an_order_notification_leads_to_the_order(client, roles):
    order_message_post(order=roles["order"], author=roles["seller"], body="Bonjour", now=timezone.now())
    notification = Notification.objects.get(recipient=roles["buyer"])
    client.force_login(roles["buyer"])
    response = client.post(MARK_READ, {"notification": notification.pk})
    assert response["Location"] == reverse("orders:detail", args=[roles["order"].number])


@pytest.mark.parametrize("value", ["other", "abc", "999999"])
def test_another_users_or_an_unknown_notification_is_a_404(client, roles, claim, value):
    seller_notice = Notification.objects.get(recipient=roles["seller"])
    client.force_login(roles["buyer"])
    response = client.post(MARK_READ, {"notification": seller_notice.pk if value == "other" else value})
    assert response.status_code == 404
    assert Notification.objects.get(pk=seller_notice.pk).read_at is None
