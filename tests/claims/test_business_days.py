"""Rules for the seller's claim deadline: three French business days, in Paris time."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from claims import business_days
from claims.business_days import (
    PARIS,
    business_days_left,
    business_deadline,
    end_of_day,
    is_business_day,
    is_last_business_day,
    nth_business_day_after,
    reminder_time,
    start_of_day,
)

CLAIM_BUSINESS_DAYS = 3


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 2, 2), True),  # Monday
        (date(2026, 2, 6), True),  # Friday
        (date(2026, 2, 7), False),  # Saturday
        (date(2026, 2, 8), False),  # Sunday
        (date(2025, 12, 25), False),  # Christmas
        (date(2026, 5, 25), False),  # Whit Monday
        (date(2026, 5, 26), True),
    ],
)
def test_business_days_are_weekdays_that_are_not_french_holidays(day, expected):
    assert is_business_day(day) is expected


# The eleven French public holidays (metropolitan), written out from the calendar: New Year, Easter Monday,
# 1 May, 8 May, Ascension, Whit Monday, 14 July, 15 August, 1 November, 11 November, Christmas.
FRENCH_HOLIDAYS = {
    2025: ["01-01", "04-21", "05-01", "05-08", "05-29", "06-09", "07-14", "08-15", "11-01", "11-11", "12-25"],
    2026: ["01-01", "04-06", "05-01", "05-08", "05-14", "05-25", "07-14", "08-15", "11-01", "11-11", "12-25"],
    2027: ["01-01", "03-29", "05-01", "05-08", "05-06", "05-17", "07-14", "08-15", "11-01", "11-11", "12-25"],
}


@pytest.mark.parametrize("year", sorted(FRENCH_HOLIDAYS))
def test_no_french_public_holiday_is_a_business_day(year):
    for month_day in FRENCH_HOLIDAYS[year]:
        assert not is_business_day(date.fromisoformat(f"{year}-{month_day}")), month_day


@pytest.mark.parametrize("year", sorted(FRENCH_HOLIDAYS))
def test_every_other_weekday_of_the_year_is_a_business_day(year):
    holidays_of_year = {date.fromisoformat(f"{year}-{month_day}") for month_day in FRENCH_HOLIDAYS[year]}
    day = date(year, 1, 1)
    while day.year == year:
        assert is_business_day(day) is (day.weekday() < 5 and day not in holidays_of_year), day
        day += timedelta(days=1)


def test_the_day_itself_never_counts_and_zero_means_the_same_day():
    monday = date(2026, 2, 2)
    assert nth_business_day_after(monday, 0) == monday
    assert nth_business_day_after(monday, 1) == date(2026, 2, 3)


def test_a_negative_number_of_business_days_is_rejected():
    with pytest.raises(ValueError):
        nth_business_day_after(date(2026, 2, 2), -1)


def test_a_naive_datetime_is_rejected():
    with pytest.raises(ValueError):
        business_deadline(datetime(2026, 2, 2, 10, 0), CLAIM_BUSINESS_DAYS)


@pytest.mark.parametrize(
    "opened_on, deadline_day",
    [
        # Plain weeks
        (date(2026, 2, 2), date(2026, 2, 5)),  # Monday -> Thursday
        (date(2026, 2, 3), date(2026, 2, 6)),  # Tuesday -> Friday
        (date(2026, 2, 4), date(2026, 2, 9)),  # Wednesday -> Monday
        (date(2026, 2, 5), date(2026, 2, 10)),  # Thursday -> Tuesday
        (date(2026, 2, 6), date(2026, 2, 11)),  # Friday -> Wednesday
        (date(2026, 2, 7), date(2026, 2, 11)),  # Saturday -> Wednesday
        (date(2026, 2, 8), date(2026, 2, 11)),  # Sunday -> Wednesday
        # Opened on a public holiday
        (date(2026, 5, 1), date(2026, 5, 6)),  # Labour Day (Friday)
        (date(2026, 7, 14), date(2026, 7, 17)),  # Bastille Day (Tuesday)
        (date(2025, 8, 15), date(2025, 8, 20)),  # Assumption (Friday)
        (date(2025, 11, 1), date(2025, 11, 5)),  # All Saints (Saturday)
        (date(2025, 11, 11), date(2025, 11, 14)),  # Armistice (Tuesday)
        # A holiday inside the window is skipped
        (date(2025, 11, 7), date(2025, 11, 13)),  # skips Armistice
        (date(2025, 12, 23), date(2025, 12, 29)),  # skips Christmas
        (date(2025, 12, 31), date(2026, 1, 6)),  # skips New Year's Day
        (date(2026, 4, 3), date(2026, 4, 9)),  # skips Easter Monday
        (date(2026, 5, 13), date(2026, 5, 19)),  # skips Ascension
        (date(2026, 5, 12), date(2026, 5, 18)),  # skips Ascension
        (date(2026, 5, 22), date(2026, 5, 28)),  # skips Whit Monday
    ],
)
def test_deadline_is_end_of_third_business_day_after_opening(opened_on, deadline_day):
    for hour, minute in [(0, 0), (10, 30), (23, 59)]:
        opened_at = paris(opened_on.year, opened_on.month, opened_on.day, hour, minute)
        deadline = business_deadline(opened_at, CLAIM_BUSINESS_DAYS)
        assert deadline == paris(
            deadline_day.year, deadline_day.month, deadline_day.day, 23, 59, 59, 999999
        )


def test_christmas_2025_deadline_is_monday_29_december_end_of_day_paris():
    deadline = business_deadline(paris(2025, 12, 23, 8, 0), CLAIM_BUSINESS_DAYS)
    assert deadline == end_of_day(date(2025, 12, 29))
    assert deadline.astimezone(PARIS).isoformat() == "2025-12-29T23:59:59.999999+01:00"


@pytest.mark.parametrize(
    "opened_at, deadline_iso",
    [
        # 23:30 UTC is already 00:30 the next day in Paris (winter, +01:00)
        (utc(2026, 2, 2, 23, 30), "2026-02-06T23:59:59.999999+01:00"),
        # 22:30 UTC is already 00:30 the next day in Paris (summer, +02:00)
        (utc(2026, 6, 1, 22, 30), "2026-06-05T23:59:59.999999+02:00"),
        # Thursday evening UTC, Friday in Paris -> Wednesday rather than Tuesday
        (utc(2026, 3, 26, 23, 30), "2026-04-01T23:59:59.999999+02:00"),
        # Friday evening UTC, Saturday in Paris; the deadline lands after the spring change
        (utc(2026, 3, 27, 23, 30), "2026-04-01T23:59:59.999999+02:00"),
        # Any source timezone is read as its Paris date
        (datetime(2026, 2, 2, 19, 0, tzinfo=ZoneInfo("America/New_York")),
         "2026-02-06T23:59:59.999999+01:00"),
    ],
)
def test_opening_date_is_taken_in_paris_local_time(opened_at, deadline_iso):
    deadline = business_deadline(opened_at, CLAIM_BUSINESS_DAYS)
    assert deadline.astimezone(PARIS).isoformat() == deadline_iso


@pytest.mark.parametrize(
    "opened_at, deadline_iso, utc_iso",
    [
        # Window crosses the switch to summer time on Sunday 29 March 2026
        (paris(2026, 3, 26, 10, 0), "2026-03-31T23:59:59.999999+02:00",
         "2026-03-31T21:59:59.999999+00:00"),
        # Window crosses the switch back to winter time on Sunday 25 October 2026
        (paris(2026, 10, 23, 10, 0), "2026-10-28T23:59:59.999999+01:00",
         "2026-10-28T22:59:59.999999+00:00"),
    ],
)
def test_deadline_keeps_paris_end_of_day_across_dst_changes(opened_at, deadline_iso, utc_iso):
    deadline = business_deadline(opened_at, CLAIM_BUSINESS_DAYS)
    assert deadline.astimezone(PARIS).isoformat() == deadline_iso
    assert deadline.astimezone(UTC).isoformat() == utc_iso


@pytest.mark.parametrize(
    "day, start_offset, end_offset",
    [
        (date(2026, 2, 2), "+01:00", "+01:00"),
        (date(2026, 3, 29), "+01:00", "+02:00"),  # clocks go forward at 02:00
        (date(2026, 10, 25), "+02:00", "+01:00"),  # clocks go back at 03:00
    ],
)
def test_day_bounds_are_paris_midnight_and_last_microsecond(day, start_offset, end_offset):
    assert start_of_day(day).isoformat() == f"{day.isoformat()}T00:00:00{start_offset}"
    assert end_of_day(day).isoformat() == f"{day.isoformat()}T23:59:59.999999{end_offset}"


def test_reminder_fires_at_paris_midnight_starting_the_deadline_day():
    deadline = business_deadline(paris(2026, 3, 26, 10, 0), CLAIM_BUSINESS_DAYS)
    reminder = reminder_time(deadline.astimezone(UTC))
    assert reminder.astimezone(PARIS).isoformat() == "2026-03-31T00:00:00+02:00"
    assert is_last_business_day(reminder, deadline)
    assert business_days_left(reminder, deadline) == 0
    assert not is_last_business_day(reminder - timedelta(microseconds=1), deadline)
    assert business_days_left(reminder - timedelta(microseconds=1), deadline) == 1


# Deadline of a claim opened Tuesday 23 December 2025: Monday 29 December, end of day.
CHRISTMAS_DEADLINE = end_of_day(date(2025, 12, 29))


@pytest.mark.parametrize(
    "now, left, is_last",
    [
        (paris(2025, 12, 23, 10, 0), 3, False),  # opening day: the three promised days are all ahead
        (paris(2025, 12, 24, 10, 0), 2, False),  # the 26th and the 29th
        (paris(2025, 12, 25, 10, 0), 2, False),  # Christmas doesn't count
        (paris(2025, 12, 26, 10, 0), 1, False),  # business day before (Friday): Monday remains
        (paris(2025, 12, 27, 10, 0), 1, False),  # across the weekend, Monday remains
        (paris(2025, 12, 28, 23, 59), 1, False),
        (paris(2025, 12, 29, 0, 0), 0, True),  # the last day itself
        (utc(2025, 12, 28, 23, 30), 0, True),  # already Monday in Paris
        (CHRISTMAS_DEADLINE, 0, True),  # the very last microsecond
        (CHRISTMAS_DEADLINE + timedelta(microseconds=1), 0, False),  # past
        (paris(2026, 1, 5, 9, 0), 0, False),  # long past
    ],
)
def test_business_days_left_and_last_day_around_the_deadline(now, left, is_last):
    assert business_days_left(now, CHRISTMAS_DEADLINE) == left
    assert is_last_business_day(now, CHRISTMAS_DEADLINE) is is_last


def test_days_left_over_a_long_span_subtracts_weekday_holidays():
    # 2026 has 261 weekdays, 9 of its public holidays fall on a weekday; 1 January itself is not counted.
    assert business_days_left(paris(2026, 1, 1, 0, 0), end_of_day(date(2026, 12, 31))) == 252
    assert business_days_left(paris(2025, 12, 31, 12, 0), end_of_day(date(2026, 12, 31))) == 252


def test_holiday_table_is_built_once_per_year(monkeypatch):
    calls = []
    real = holidays.country_holidays

    def counting(*args, **kwargs):
        calls.append(kwargs.get("years"))
        return real(*args, **kwargs)

    business_days._holidays_in.cache_clear()
    monkeypatch.setattr(business_days.holidays, "country_holidays", counting)
    for _ in range(5):
        business_deadline(paris(2025, 12, 23, 10, 0), CLAIM_BUSINESS_DAYS)
    assert sorted(calls) == [2025]
    business_days._holidays_in.cache_clear()
