"""The forgotten-password page is throttled per client address and per target e-mail, and answers the same
whether or not an account has the e-mail."""
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("password_reset")
REFUSED = "Trop de demandes de nouveau mot de passe en peu de temps"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def alice():
    return UserFactory(username="alice", email="alice@example.com")


def ask(client, email, ip="10.3.3.3"):
    return client.post(URL, {"email": email}, REMOTE_ADDR=ip)


def answers(client, email, times):
    """(status, location, refused?) of each request, each from its own address."""
    result = []
    for n in range(times):
        response = ask(client, email, ip=f"10.4.{n}.1")
        result.append((response.status_code, response.get("Location", ""), REFUSED in response.content.decode()))
    return result


def test_fifteen_requests_for_one_email_send_three_emails(client, alice):
    statuses = [status for status, _location, _refused in answers(client, "alice@example.com", 15)]
    assert len(mail.outbox) == 3
    assert statuses == [302] * 3 + [429] * 12


def test_an_unknown_email_gets_exactly_the_same_answers(client, alice):
    known = answers(client, "alice@example.com", 6)
    unknown = answers(client, "personne@example.com", 6)
    assert known == unknown
    assert known[0] == (302, reverse("password_reset_done"), False)
    assert known[-1][0] == 429 and known[-1][2]


def test_the_refusal_keeps_the_email_typed_and_says_when_to_try_again(client, alice):
    answers(client, "alice@example.com", 3)
    response = ask(client, "alice@example.com")
    page = response.content.decode()
    assert response.status_code == 429
    assert 'value="alice@example.com"' in page
    assert "Réessayez dans" in page


def test_case_and_spaces_do_not_make_another_address(client, alice):
    for n, spelled in enumerate(("alice@example.com", "ALICE@example.com", " Alice@Example.COM ")):
        assert ask(client, spelled, ip=f"10.5.{n}.1").status_code == 302
    assert ask(client, "aLiCe@example.com", ip="10.6.6.6").status_code == 429


def test_one_address_may_ask_ten_times_an_hour_whatever_the_emails(client, alice):
    for n in range(10):
        assert ask(client, f"inconnu{n}@example.com", ip="10.7.7.7").status_code == 302
    assert ask(client, "alice@example.com", ip="10.7.7.7").status_code == 429
    assert mail.outbox == []
    assert ask(client, "alice@example.com", ip="10.7.7.8").status_code == 302
    assert len(mail.outbox) == 1


def test_the_limits_lift_after_their_window(client, alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        answers(client, "alice@example.com", 4)
    with time_machine.travel(start + timedelta(hours=1, minutes=1), tick=False):
        assert ask(client, "alice@example.com").status_code == 302
    assert len(mail.outbox) == 4


def test_the_rates_are_settings(client, alice, settings):
    settings.PASSWORD_RESET_RATE_PER_EMAIL = "1/h"
    assert [status for status, *_ in answers(client, "alice@example.com", 2)] == [302, 429]


def test_an_invalid_email_is_a_form_error_and_counts_nothing(client, alice):
    for _ in range(12):
        response = ask(client, "pas-un-email", ip="10.8.8.8")
        assert response.status_code == 200 and REFUSED not in response.content.decode()
    assert ask(client, "alice@example.com", ip="10.8.8.8").status_code == 302


def test_the_english_refusal(client, alice, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    answers(client, "alice@example.com", 3)
    page = ask(client, "alice@example.com").content.decode()
    assert "Too many new-password requests" in page and "Try again in" in page
