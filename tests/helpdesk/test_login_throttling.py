"""Login throttling (django-axes): 5 failures for a username and an IP lock that pair for an hour."""
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")


def attempt(client, username, password, ip="10.1.1.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_fifth_wrong_password_locks_the_account_from_that_ip(client):
    UserFactory(username="alice")
    for _ in range(4):
        assert attempt(client, "alice", "devine").status_code == 200
    response = attempt(client, "alice", "devine")
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]


def test_locked_pair_is_refused_even_with_the_right_password(client):
    UserFactory(username="alice")
    for _ in range(5):
        attempt(client, "alice", "devine")
    assert attempt(client, "alice", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_same_user_from_another_ip_is_not_locked(client):
    UserFactory(username="alice")
    for _ in range(5):
        attempt(client, "alice", "devine", ip="10.1.1.1")
    assert attempt(client, "alice", PASSWORD, ip="10.2.2.2").status_code == 302


def _lock_alice_at(client, start):
    UserFactory(username="alice")
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            attempt(client, "alice", "devine")


def test_lock_still_holds_after_59_minutes(client):
    start = timezone.now()
    _lock_alice_at(client, start)
    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        assert attempt(client, "alice", PASSWORD).status_code == 429


def test_lock_ends_after_an_hour(client):
    start = timezone.now()
    _lock_alice_at(client, start)
    with time_machine.travel(start + timedelta(hours=1, minutes=1), tick=False):
        assert attempt(client, "alice", PASSWORD).status_code == 302


def test_success_resets_the_failure_count(client):
    UserFactory(username="alice")
    for _ in range(4):
        attempt(client, "alice", "devine")
    assert attempt(client, "alice", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "alice", "devine").status_code == 200


def test_attempts_during_the_lock_restart_the_hour(client):
    start = timezone.now()
    _lock_alice_at(client, start)
    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        attempt(client, "alice", "encore")
    with time_machine.travel(start + timedelta(hours=1, minutes=1), tick=False):
        assert attempt(client, "alice", PASSWORD).status_code == 429
    # That refused attempt counted too: the lock ends an hour after it.
    with time_machine.travel(start + timedelta(hours=2, minutes=2), tick=False):
        assert attempt(client, "alice", PASSWORD).status_code == 302


def test_a_username_longer_than_any_account_is_a_form_error_and_stored_bounded(client):
    from axes.models import AccessAttempt, AccessFailureLog

    for _ in range(2):
        response = attempt(client, "9" * 10_000, "x" * 10_000)
        assert response.status_code == 200
    stored = [*AccessAttempt.objects.values_list("username", flat=True),
              *AccessFailureLog.objects.values_list("username", flat=True)]
    assert stored and {len(name) for name in stored} == {150}


def test_the_bounded_name_still_locks_like_the_full_one(client):
    long_name = "a" * 300
    for _ in range(5):
        attempt(client, long_name, "devine")
    assert attempt(client, long_name[:150] + "zzz", "devine").status_code == 429
