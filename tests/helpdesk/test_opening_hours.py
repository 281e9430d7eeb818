"""One opening-hours schedule for the phone line and the chat: notation, public holidays, the contact page."""
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from helpdesk.opening_hours import PARIS, Schedule, chat_schedule, parse_hours, phone_schedule


def paris(text):
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


def test_the_text_notation_reads_ranges_and_single_days():
    hours = parse_hours("mon-fri 09:00-19:00; sat 10:00-18:00")
    assert sorted(hours) == [0, 1, 2, 3, 4, 5]
    assert [t.isoformat("minutes") for t in hours[5]] == ["10:00", "18:00"]


@pytest.mark.parametrize("text", ["mon-fri 9-19", "lun 09:00-12:00", "mon 12:00-09:00", "mon-fri"])
def test_malformed_hours_are_refused(text):
    with pytest.raises(ValueError):
        parse_hours(text)


def test_chat_defaults_match_the_phone_line():
    assert chat_schedule().hours == phone_schedule().hours
    assert [(row.days, row.hours) for row in chat_schedule().timetable()] == [
        ("Lundi au vendredi", "9 h – 19 h"), ("Samedi", "10 h – 18 h"), ("Dimanche", "fermé")]


@pytest.mark.parametrize("schedule", [phone_schedule, chat_schedule])
def test_closed_on_a_public_holiday_by_default(schedule):
    # Wednesday 11 November 2026 (Armistice): closed, opens Thursday.
    status = schedule().status(paris("2026-11-11 10:00"))
    assert (status.is_open, status.reason, status.label) == (False, "holiday",
                                                             "Fermé (jour férié) — ouvre jeudi à 9 h")


def test_the_day_before_a_holiday_opens_after_it():
    # Thursday 24 December 2026 at 19:00: Christmas (Friday) is skipped, Saturday opens at 10 h.
    assert phone_schedule().status(paris("2026-12-24 19:00")).opens == "samedi à 10 h"


def test_holidays_can_be_worked(settings):
    settings.CHAT_CLOSED_ON_HOLIDAYS = False
    assert chat_schedule().status(paris("2026-11-11 10:00")).is_open
    assert phone_schedule().status(paris("2026-11-11 10:00")).reason == "holiday"


def test_hours_are_settings_in_the_text_notation(settings):
    settings.CHAT_HOURS = "sun 10:00-12:00"
    assert chat_schedule().status(paris("2026-11-29 11:00")).is_open
    assert not chat_schedule().status(paris("2026-11-23 11:00")).is_open


def test_a_schedule_with_no_day_is_simply_closed():
    status = Schedule({}).status(paris("2026-11-23 10:00"))
    assert (status.is_open, status.opens) == (False, None)


@pytest.mark.django_db
def test_contact_page_says_closed_for_a_public_holiday(client):
    with time_machine.travel(paris("2026-11-11 10:00"), tick=False):
        html = client.get(reverse("helpdesk:contact")).content.decode()
    assert 'data-testid="phone-status">Fermé (jour férié) — ouvre jeudi à 9 h</span>' in html
    assert 'data-testid="chat-hours-status">Fermé (jour férié) — ouvre jeudi à 9 h</span>' in html
    assert "fermé les jours fériés" in html


def test_a_malformed_setting_fails_the_system_check(settings):
    from helpdesk.apps import check_opening_hours

    assert check_opening_hours() == []
    settings.CHAT_HOURS = "lundi 9h-19h"
    assert [error.id for error in check_opening_hours()] == ["helpdesk.E001"]


def test_24_00_closes_at_midnight():
    schedule = Schedule.from_setting("mon-sun 00:00-24:00")
    assert schedule.status(paris("2026-11-23 23:59:59")).is_open
    assert schedule.timetable()[0].hours == "0 h – 24 h"
