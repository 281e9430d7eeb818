"""The contact form's acknowledgement cannot carry a visitor's text to anyone: it quotes only the reference and
the topic (and an account's own order), and goes at most once an hour to one address."""
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from helpdesk.models import ContactRequest, OutgoingEmail

pytestmark = pytest.mark.django_db
URL = reverse("helpdesk:contact_form")
SPAM = {"seller_name": "GAGNEZ 1000 EUR sur http://arnaque.example", "order_number": "RK-2026-000777",
        "message": "Cliquez vite sur http://arnaque.example/gain pour recevoir votre cadeau"}


def anonymous(email="victime@example.com", **overrides):
    data = {"topic": "payment", "email": email, "website": "", **SPAM}
    data.update(overrides)
    return data


def send(client, data, capture, ip="10.20.0.1"):
    with capture(execute=True):
        return client.post(URL, data, REMOTE_ADDR=ip)


def test_the_anonymous_acknowledgement_quotes_only_the_reference_and_the_topic(client, django_capture_on_commit_callbacks):
    assert send(client, anonymous(), django_capture_on_commit_callbacks).status_code == 302
    contact_request = ContactRequest.objects.get()
    (email,) = mail.outbox
    text = email.subject + email.body
    assert contact_request.reference in email.subject and contact_request.reference in email.body
    assert "Paiement" in email.body
    for typed in ("GAGNEZ", "arnaque", "RK-2026-000777", "Cliquez", "cadeau"):
        assert typed not in text, typed
    # The agents still see all of it.
    assert contact_request.seller_name == SPAM["seller_name"] and contact_request.order_number == "RK-2026-000777"


def test_an_accounts_acknowledgement_names_its_own_order_and_seller(client, roles, django_capture_on_commit_callbacks):
    client.force_login(roles["buyer"])
    order = roles["order"]
    data = {"topic": "purchase", "order": order.number, "seller_name": "Texte libre",
            "message": "Une question sur ma commande"}
    assert send(client, data, django_capture_on_commit_callbacks).status_code == 302
    (email,) = mail.outbox
    assert order.number in email.body and roles["seller_profile"].display_name in email.body
    assert "Texte libre" not in email.body and "Une question" not in email.body


def test_one_address_gets_one_acknowledgement_an_hour_however_many_requests(client, django_capture_on_commit_callbacks):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n, spelled in enumerate(["victime@example.com", "VICTIME@example.com", "Victime@Example.com"] * 2):
            assert send(client, anonymous(email=spelled), django_capture_on_commit_callbacks,
                        ip=f"10.21.{n}.1").status_code == 302
    assert ContactRequest.objects.count() == 6  # every request is kept for the agents
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.ACKNOWLEDGEMENT).count() == 1
    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        send(client, anonymous(), django_capture_on_commit_callbacks, ip="10.22.0.1")
    assert len(mail.outbox) == 1
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        send(client, anonymous(), django_capture_on_commit_callbacks, ip="10.22.0.2")
    assert len(mail.outbox) == 2


def test_other_addresses_each_get_theirs(client, django_capture_on_commit_callbacks):
    for n in range(3):
        send(client, anonymous(email=f"client{n}@example.com"), django_capture_on_commit_callbacks, ip=f"10.23.{n}.1")
    assert sorted(address for email in mail.outbox for address in email.to) == [
        "client0@example.com", "client1@example.com", "client2@example.com"]


def test_the_interval_is_a_setting(client, settings, django_capture_on_commit_callbacks):
    settings.HELPDESK_ACKNOWLEDGEMENT_INTERVAL = timedelta(minutes=5)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        send(client, anonymous(), django_capture_on_commit_callbacks)
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        send(client, anonymous(), django_capture_on_commit_callbacks, ip="10.24.0.1")
    assert len(mail.outbox) == 2


def test_an_agents_reply_is_never_held_back(client, roles, django_capture_on_commit_callbacks):
    from helpdesk.services import contact_request_answer

    send(client, anonymous(), django_capture_on_commit_callbacks)
    contact_request = ContactRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        contact_request_answer(contact_request=contact_request, agent=roles["staff"], body="Bonjour",
                               now=timezone.now())
        contact_request_answer(contact_request=contact_request, agent=roles["staff"], body="Encore",
                               now=timezone.now())
    assert len(mail.outbox) == 3
