"""The client's address behind 0, 1 or 2 trusted proxies (django-ipware), the same for the login throttle and
the rate limits; forged, missing, empty and `unknown` headers never move it, never a 500.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from helpdesk.models import ContactRequest
from rakuten_portal.client_address import UNKNOWN_ADDRESS, client_ip
from tests.factories import PASSWORD, StaffFactory

ROOT = Path(__file__).resolve().parent.parent
CLIENT, OTHER, ATTACKER = "203.0.113.9", "198.51.100.20", "192.0.2.66"
CDN, PROXY = "192.0.2.1", "10.0.0.2"  # PROXY: the nearest one, REMOTE_ADDR


def address(count, settings, *, remote=PROXY, forwarded=None):
    settings.TRUSTED_PROXY_COUNT = count
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(("forwarded", "expected"), [
    (None, CLIENT), ("", CLIENT), ("unknown", CLIENT), (ATTACKER, CLIENT), (f"{ATTACKER}, {OTHER}", CLIENT),
])
def test_without_proxies_the_header_is_ignored(settings, forwarded, expected):
    assert address(0, settings, remote=CLIENT, forwarded=forwarded) == expected


@pytest.mark.parametrize(("forwarded", "expected"), [
    (CLIENT, CLIENT),                          # the proxy's own entry
    (f" {CLIENT} ", CLIENT),
    (f"{ATTACKER}, {CLIENT}", CLIENT),         # the client wrote an entry: it is on the left, never read
    (f"{ATTACKER}, {OTHER}, {CLIENT}", CLIENT),
    (f"unknown, {CLIENT}", CLIENT),
    (f"garbage, , {CLIENT}", CLIENT),
    ("2001:db8::5", "2001:db8::5"),
    (None, PROXY),                             # did not come through the proxy: the proxy's address
    ("", PROXY),
    ("unknown", PROXY),
    ("not-an-address", PROXY),
    (",,,", PROXY),
])
def test_behind_one_proxy_the_client_is_the_last_entry(settings, forwarded, expected):
    assert address(1, settings, forwarded=forwarded) == expected


@pytest.mark.parametrize(("forwarded", "expected"), [
    (f"{CLIENT}, {CDN}", CLIENT),              # the CDN wrote the client, the proxy wrote the CDN
    (f"{ATTACKER}, {CLIENT}, {CDN}", CLIENT),
    (f"unknown, {ATTACKER}, {CLIENT}, {CDN}", CLIENT),
    (CDN, PROXY),                              # shorter than the two proxies: not trusted
    (None, PROXY),
    ("", PROXY),
    ("unknown, unknown", PROXY),
])
def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right(settings, forwarded, expected):
    assert address(2, settings, forwarded=forwarded) == expected


def test_with_no_address_at_all_every_such_request_shares_one_bucket(settings):
    assert address(0, settings, remote="") == UNKNOWN_ADDRESS
    assert address(1, settings, remote="", forwarded="unknown") == UNKNOWN_ADDRESS


def test_both_throttles_use_the_same_function(settings):
    assert settings.AXES_CLIENT_IP_CALLABLE == settings.RATELIMIT_IP_META_KEY == \
        "rakuten_portal.client_address.client_ip"


# --- the login throttle -----------------------------------------------------------------------------------

def login(client, username, password, forwarded):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.django_db
def test_behind_a_proxy_five_wrong_passwords_lock_the_typist_not_the_agent(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    StaffFactory(username="agent")
    for _ in range(5):
        login(client, "agent", "devine", ATTACKER)
    assert login(client, "agent", "devine", ATTACKER).status_code == 429
    # Forging the agent's address only adds an entry to the left of the one the proxy wrote.
    for _ in range(5):
        login(client, "agent", "devine", f"{CLIENT}, {ATTACKER}")
    response = login(client, "agent", PASSWORD, CLIENT)
    assert response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db
def test_behind_two_proxies_the_lock_follows_the_client(client, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    StaffFactory(username="agent")
    for _ in range(5):
        login(client, "agent", "devine", f"{ATTACKER}, {CDN}")
    assert login(client, "agent", PASSWORD, f"{ATTACKER}, {CDN}").status_code == 429
    assert login(client, "agent", PASSWORD, f"{CLIENT}, {CDN}").status_code == 302


@pytest.mark.django_db
def test_without_the_setting_everyone_behind_the_proxy_is_one_address(client, settings):
    """What the README warns of: TRUSTED_PROXY_COUNT left at 0 behind a proxy."""
    settings.TRUSTED_PROXY_COUNT = 0
    StaffFactory(username="agent")
    for _ in range(5):
        login(client, "agent", "devine", ATTACKER)
    assert login(client, "agent", PASSWORD, CLIENT).status_code == 429


# --- the contact form's rate limit --------------------------------------------------------------------------

@pytest.fixture
def contact(client, settings, django_capture_on_commit_callbacks):
    cache.clear()
    settings.TRUSTED_PROXY_COUNT = 1

    def post(forwarded, **extra):
        meta = {"REMOTE_ADDR": PROXY, **extra}
        if forwarded is not None:
            meta["HTTP_X_FORWARDED_FOR"] = forwarded
        data = {"topic": "tracking", "email": "visiteur@example.com", "order_number": "", "seller_name": "",
                "message": "Où en est ma commande ?", "website": ""}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("helpdesk:contact_form"), data, **meta)
    yield post
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("forwarded", [None, "", "unknown", f"{CLIENT}, {PROXY}", "garbage", f"{CLIENT}:443"])
def test_the_contact_form_takes_any_forwarded_header(contact, forwarded):
    assert contact(forwarded).status_code == 302
    assert ContactRequest.objects.count() == 1


@pytest.mark.django_db
def test_a_client_forging_its_own_value_stays_under_its_own_limit(contact):
    for n in range(5):
        assert contact(f"10.9.9.{n}, {ATTACKER}").status_code == 302
    assert contact(f"10.9.9.99, {ATTACKER}").status_code == 429
    assert contact(ATTACKER).status_code == 429
    assert contact(CLIENT).status_code == 302


@pytest.mark.django_db
def test_the_contact_form_without_proxies_ignores_the_header(contact, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        assert contact(f"10.8.8.{n}", REMOTE_ADDR=ATTACKER).status_code == 302
    assert contact("10.8.8.99", REMOTE_ADDR=ATTACKER).status_code == 429


# --- the settings -------------------------------------------------------------------------------------------

def settings_import(**env):
    environment = {**os.environ, "DJANGO_SECRET_KEY": "x" * 50, "DJANGO_DEBUG": "1", **env}
    return subprocess.run([sys.executable, "-c", "import rakuten_portal.settings"], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=60)


def test_the_old_header_setting_is_refused_at_start_up():
    result = settings_import(RATELIMIT_IP_META_KEY="HTTP_X_FORWARDED_FOR")
    assert result.returncode != 0 and "TRUSTED_PROXY_COUNT" in result.stderr


def test_a_negative_proxy_count_is_refused_and_a_count_is_read():
    assert settings_import(TRUSTED_PROXY_COUNT="-1").returncode != 0
    assert settings_import(TRUSTED_PROXY_COUNT="2").returncode == 0
