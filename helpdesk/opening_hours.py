"""Opening hours of the service client's live channels (the phone line, the chat), in Paris time.

One notation for every schedule, from settings (and so from the environment):
"mon-fri 09:00-19:00; sat 10:00-18:00" (a missing day is closed), or the older mapping
{0: ("09:00", "19:00"), …} with 0 = Monday. French public holidays close a schedule unless
it says otherwise (`closed_on_holidays`), with the same holiday table as the claims' business days.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

PARIS = ZoneInfo("Europe/Paris")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RULE = re.compile(r"^\s*(?P<first>[a-z]{3})(?:\s*-\s*(?P<last>[a-z]{3}))?\s+"
                   r"(?P<opens>\d{1,2}:\d{2})\s*-\s*(?P<closes>\d{1,2}:\d{2})\s*$")
# Far enough to step over a long weekend and two holidays in a row.
LOOKAHEAD_DAYS = 15


@dataclass(frozen=True)
class OpeningStatus:
    """Open now or not, why not ("hours", "holiday"), and the ready-made labels."""

    is_open: bool
    label: str
    reason: str | None = None
    opens: str | None = None  # "lundi à 9 h", or None when open or never


@dataclass(frozen=True)
class OpeningRow:
    """Consecutive weekdays sharing the same hours, for the timetable."""

    days: str
    hours: str


def parse_hours(value) -> dict[int, tuple[time, time]]:
    """Monday=0 … Sunday=6 → (opens, closes), from the text notation or a mapping; ValueError if malformed."""
    hours: dict[int, tuple[time, time]] = {}
    if isinstance(value, dict):
        for weekday, (opens, closes) in value.items():
            hours[int(weekday)] = (time.fromisoformat(opens), time.fromisoformat(closes))
        return hours
    for part in filter(None, (chunk.strip() for chunk in str(value).lower().split(";"))):
        match = _RULE.match(part)
        if not match or match["first"] not in DAY_NAMES or (match["last"] and match["last"] not in DAY_NAMES):
            raise ValueError(f"Opening hours: cannot read {part!r} (e.g. 'mon-fri 09:00-19:00; sat 10:00-18:00')")
        first = DAY_NAMES.index(match["first"])
        last = DAY_NAMES.index(match["last"]) if match["last"] else first
        opens = time.fromisoformat(match["opens"].zfill(5))
        # "24:00" closes at midnight: "mon-sun 00:00-24:00" is always open.
        closes = time.max if match["closes"] == "24:00" else time.fromisoformat(match["closes"].zfill(5))
        if closes <= opens:
            raise ValueError(f"Opening hours: {part!r} closes before it opens")
        for weekday in range(first, last + 1):
            hours[weekday] = (opens, closes)
    return hours


@lru_cache(maxsize=16)
def _holidays_in(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("FR", years=year).keys())


def is_public_holiday(day: date) -> bool:
    """A French (metropolitan) public holiday."""
    return day in _holidays_in(day.year)


def format_time(value: time) -> str:
    """French style "9 h" or "9 h 30" (the English catalog gives "9:00")."""
    if value == time.max:
        return _("%(hour)d h") % {"hour": 24}
    if value.minute:
        return _("%(hour)d h %(minute)02d") % {"hour": value.hour, "minute": value.minute}
    return _("%(hour)d h") % {"hour": value.hour}


@dataclass(frozen=True)
class Schedule:
    """A weekly timetable, maybe closed on public holidays."""

    hours: dict
    closed_on_holidays: bool = True

    @classmethod
    def from_setting(cls, value, *, closed_on_holidays: bool = True) -> "Schedule":
        return cls(parse_hours(value), closed_on_holidays)

    def slot(self, day: date) -> tuple[time, time] | None:
        """The day's (opens, closes), or None when closed that day."""
        if self.closed_on_holidays and is_public_holiday(day):
            return None
        return self.hours.get(day.weekday())

    def status(self, now: datetime) -> OpeningStatus:
        """Open now (and until when), or closed, why, and when it opens next."""
        local = now.astimezone(PARIS)
        today = self.slot(local.date())
        if today and today[0] <= local.time() < today[1]:
            return OpeningStatus(True, _("Ouvert maintenant, jusqu'à %(time)s") % {"time": format_time(today[1])})
        holiday = self.closed_on_holidays and is_public_holiday(local.date()) and local.weekday() in self.hours
        reason = "holiday" if holiday else "hours"
        closed = _("Fermé (jour férié)") if holiday else _("Fermé")
        for offset in range(0, LOOKAHEAD_DAYS):
            day = local.date() + timedelta(days=offset)
            slot = self.slot(day)
            if not slot or (offset == 0 and local.time() >= slot[0]):
                continue
            # Django's French weekday names are already lower case; English ones keep their capital.
            when = _("aujourd'hui") if offset == 0 else str(WEEKDAYS[day.weekday()])
            opens = _("%(day)s à %(time)s") % {"day": when, "time": format_time(slot[0])}
            return OpeningStatus(False, _("%(closed)s — ouvre %(when)s") % {"closed": closed, "when": opens},
                                 reason=reason, opens=opens)
        return OpeningStatus(False, closed, reason=reason)

    def timetable(self) -> list[OpeningRow]:
        """The week's hours, consecutive days with the same hours grouped ("lundi au vendredi")."""
        rows, start = [], 0
        for weekday in range(1, 8):
            if weekday < 7 and self.hours.get(weekday) == self.hours.get(start):
                continue
            first, last = str(WEEKDAYS[start]), str(WEEKDAYS[weekday - 1])
            days = first if start == weekday - 1 else _("%(first)s au %(last)s") % {"first": first, "last": last}
            slot = self.hours.get(start)
            text = (_("%(opens)s – %(closes)s") % {"opens": format_time(slot[0]), "closes": format_time(slot[1])}
                    if slot else _("fermé"))
            rows.append(OpeningRow(days=days[:1].upper() + days[1:], hours=text))
            start = weekday
        return rows


def phone_schedule() -> Schedule:
    """The phone line's hours (SUPPORT_PHONE_HOURS, SUPPORT_PHONE_CLOSED_ON_HOLIDAYS)."""
    from django.conf import settings

    return Schedule.from_setting(getattr(settings, "SUPPORT_PHONE_HOURS", {}),
                                 closed_on_holidays=getattr(settings, "SUPPORT_PHONE_CLOSED_ON_HOLIDAYS", True))


def chat_schedule() -> Schedule:
    """The live chat's hours (CHAT_HOURS, CHAT_CLOSED_ON_HOLIDAYS)."""
    from django.conf import settings

    return Schedule.from_setting(settings.CHAT_HOURS, closed_on_holidays=settings.CHAT_CLOSED_ON_HOLIDAYS)
