"""The phone line's hours come from settings, and the contact page says whether it is open (Paris time)."""
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from helpdesk.phone_hours import PARIS, phone_line_status, timetable


def paris(text):
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


# 23 Nov 2026 is a Monday.
@pytest.mark.parametrize(("instant", "is_open", "label"), [
    ("2026-11-23 08:59", False, "Fermé — ouvre aujourd'hui à 9 h"),
    ("2026-11-23 09:00", True, "Ouvert maintenant, jusqu'à 19 h"),
    ("2026-11-27 18:59", True, "Ouvert maintenant, jusqu'à 19 h"),
    ("2026-11-27 19:00", False, "Fermé — ouvre samedi à 10 h"),
    ("2026-11-28 17:59", True, "Ouvert maintenant, jusqu'à 18 h"),
    ("2026-11-28 18:00", False, "Fermé — ouvre lundi à 9 h"),
    ("2026-11-29 12:00", False, "Fermé — ouvre lundi à 9 h"),
])
def test_phone_line_open_or_closed_at(instant, is_open, label):
    status = phone_line_status(paris(instant))
    assert (status.is_open, status.label) == (is_open, label)


def test_status_is_computed_in_paris_time_whatever_the_clock_zone():
    # 07:30 UTC in winter is 08:30 in Paris: closed; 08:00 UTC is 09:00: open.
    assert not phone_line_status(datetime.fromisoformat("2026-11-23T07:30:00+00:00")).is_open
    assert phone_line_status(datetime.fromisoformat("2026-11-23T08:00:00+00:00")).is_open


def test_hours_come_from_settings(settings):
    settings.SUPPORT_PHONE_HOURS = {0: ("08:30", "12:00")}
    assert phone_line_status(paris("2026-11-23 08:45")).is_open
    assert phone_line_status(paris("2026-11-23 12:00")).label == "Fermé — ouvre lundi à 8 h 30"


def test_timetable_groups_days_with_the_same_hours():
    assert [(row.days, row.hours) for row in timetable()] == [
        ("Lundi au vendredi", "9 h – 19 h"), ("Samedi", "10 h – 18 h"), ("Dimanche", "fermé"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("instant", "label"), [
    ("2026-11-23 08:59", "Fermé — ouvre aujourd&#x27;hui à 9 h"),
    ("2026-11-23 09:00", "Ouvert maintenant, jusqu&#x27;à 19 h"),
    ("2026-11-27 19:00", "Fermé — ouvre samedi à 10 h"),
    ("2026-11-28 17:59", "Ouvert maintenant, jusqu&#x27;à 18 h"),
    ("2026-11-28 18:00", "Fermé — ouvre lundi à 9 h"),
    ("2026-11-29 10:00", "Fermé — ouvre lundi à 9 h"),
])
def test_contact_page_shows_the_line_status_at(client, instant, label):
    with time_machine.travel(paris(instant), tick=False):
        html = client.get(reverse("helpdesk:contact")).content.decode()
    assert f'data-testid="phone-status">{label}</span>' in html


@pytest.mark.django_db
def test_contact_page_lists_every_channel(client):
    html = client.get(reverse("helpdesk:contact")).content.decode()
    for text in ["02 43 39 54 78", "92 rue Réaumur", "75002 Paris", "Service client Rakuten France",
                 "fr-sales@mail.rakuten.com", "Facebook", "Instagram", "X (Twitter)", "Google Play", "App Store",
                 "Vos achats", "Le suivi de vos commandes", "La gestion de votre compte", "Lundi au vendredi",
                 reverse("helpdesk:contact_form")]:
        assert text in html, text
