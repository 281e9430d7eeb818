"""Business-day arithmetic for claim deadlines, in Paris local time with French public holidays."""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

PARIS = ZoneInfo("Europe/Paris")

# Monday=0 .. Friday=4; Saturday and Sunday never count.
_WORKDAYS_PER_WEEK = 5


@lru_cache(maxsize=32)
def _holidays_in(year: int) -> frozenset[date]:
    """Return the French (metropolitan) public holidays of one year."""
    # Building the holiday table computes Easter and friends; do it once per year.
    return frozenset(holidays.country_holidays("FR", years=year).keys())


def _is_holiday(day: date) -> bool:
    """Tell whether a date is a French public holiday."""
    return day in _holidays_in(day.year)


def _local_date(moment: datetime) -> date:
    """Return the Paris calendar date of an aware datetime."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A naive datetime would silently be read in the server's zone.
        raise ValueError("datetime must be timezone-aware")
    return moment.astimezone(PARIS).date()


def is_business_day(day: date) -> bool:
    """Tell whether a date is a weekday that is not a French public holiday."""
    return day.weekday() < _WORKDAYS_PER_WEEK and not _is_holiday(day)


def end_of_day(day: date) -> datetime:
    """Return the last instant of a date in Paris local time: 23:59:59.999999.

    A deadline is stored as this instant, so the whole second 23:59:59 still counts and every comparison is
    "overdue once now > deadline": a claim becomes overdue at 00:00:00.000000 of the next day, not a second early.
    """
    return datetime.combine(day, time.max, tzinfo=PARIS)


def start_of_day(day: date) -> datetime:
    """Return midnight of a date in Paris local time."""
    # French DST switches happen at 02:00/03:00, so local midnight always exists once.
    return datetime.combine(day, time.min, tzinfo=PARIS)


def nth_business_day_after(day: date, n: int) -> date:
    """Return the nth business day strictly after a date (the date itself for n == 0)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    current = day
    while n:
        current += timedelta(days=1)
        if is_business_day(current):
            n -= 1
    return current


def business_deadline(opened_at: datetime, n: int) -> datetime:
    """Return the end of the nth business day after the Paris date a claim was opened."""
    return end_of_day(nth_business_day_after(_local_date(opened_at), n))


def reminder_time(deadline: datetime) -> datetime:
    """Return the moment exactly one business day remains before a deadline."""
    return start_of_day(_local_date(deadline))


def _weekdays_between(first: date, last: date) -> int:
    """Count Monday-to-Friday dates in the inclusive range first..last."""
    if last < first:
        return 0
    span = (last - first).days + 1
    full_weeks, remainder = divmod(span, 7)
    # Only the partial week needs inspecting, so long ranges stay cheap.
    tail = sum(
        1
        for offset in range(remainder)
        if (first.weekday() + offset) % 7 < _WORKDAYS_PER_WEEK
    )
    return full_weeks * _WORKDAYS_PER_WEEK + tail


def _weekday_holidays_between(first: date, last: date) -> int:
    """Count public holidays falling on a weekday in the inclusive range first..last."""
    return sum(
        1
        for year in range(first.year, last.year + 1)
        for holiday in _holidays_in(year)
        if first <= holiday <= last and holiday.weekday() < _WORKDAYS_PER_WEEK
    )


def business_days_left(now: datetime, deadline: datetime) -> int:
    """Count the business days after today up to the deadline's date: the promise's own count.

    A claim opened on a Tuesday with a deadline on Friday has 3 left that Tuesday; on the deadline's day, 0
    (the pages say "dernier jour"); 0 too once the deadline has passed.
    """
    if now > deadline:
        return 0
    first, last = _local_date(now) + timedelta(days=1), _local_date(deadline)
    return _weekdays_between(first, last) - _weekday_holidays_between(first, last)


def business_days_between(start: datetime, end: datetime) -> int:
    """Count the business days after the Paris date of `start` up to that of `end` (Friday → Monday is 1):
    what the calendar table (claims.BusinessDay) gives as the difference of two ordinals."""
    first, last = _local_date(start) + timedelta(days=1), _local_date(end)
    return max(_weekdays_between(first, last) - _weekday_holidays_between(first, last), 0)


def is_last_business_day(now: datetime, deadline: datetime) -> bool:
    """Tell whether today (Paris) is the deadline's own day and the deadline has not passed."""
    return now <= deadline and _local_date(now) == _local_date(deadline)
