"""The order page marks the other party's messages and their notices read, and writes nothing when none is unread."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Notification
from orders.models import OrderMessage
from orders.services import order_message_post

pytestmark = pytest.mark.django_db


def writes(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in context if query["sql"].startswith("UPDATE")]


def test_a_message_is_read_on_the_page_then_the_page_writes_nothing(client, roles, django_capture_on_commit_callbacks):
    order = roles["order"]
    url = reverse("orders:detail", args=[order.number])
    order_message_post(order=order, author=roles["seller"], body="Votre colis part demain.", now=timezone.now())
    client.force_login(roles["buyer"])
    assert client.get(reverse("home")).status_code == 200  # the navbar (with its unread count) is cached
    with django_capture_on_commit_callbacks(execute=True):  # the navbar is dropped once the notice is read
        assert len(writes(client, url)) == 2  # the message, then its notice
    assert not OrderMessage.objects.filter(order=order, read_at__isnull=True).exists()
    assert not Notification.objects.filter(recipient=roles["buyer"], read_at__isnull=True).exists()
    client.get(reverse("home"))
    assert writes(client, url) == []


def test_the_notice_is_read_even_when_the_message_was_read_elsewhere(client, roles):
    order = roles["order"]
    order_message_post(order=order, author=roles["seller"], body="Bonjour", now=timezone.now())
    OrderMessage.objects.filter(order=order).update(read_at=timezone.now())
    client.force_login(roles["buyer"])
    client.get(reverse("orders:detail", args=[order.number]))
    assert not Notification.objects.filter(recipient=roles["buyer"], read_at__isnull=True).exists()
