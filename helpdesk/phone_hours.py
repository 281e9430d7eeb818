"""The phone line's opening hours (settings.SUPPORT_PHONE_HOURS) and whether it is open at a given instant."""
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class PhoneLineStatus:
    is_open: bool
    label: str


@dataclass(frozen=True)
class OpeningRow:
    """Consecutive weekdays sharing the same hours, for the timetable."""

    days: str
    hours: str


def weekly_hours() -> dict[int, tuple[time, time]]:
    """Monday=0 … Sunday=6 → (opens, closes), from settings; a missing day is closed."""
    hours = {}
    for weekday, (opens, closes) in getattr(settings, "SUPPORT_PHONE_HOURS", {}).items():
        hours[int(weekday)] = (time.fromisoformat(opens), time.fromisoformat(closes))
    return hours


def format_time(value: time) -> str:
    """French style "9 h" or "9 h 30" (the English catalog gives "9:00")."""
    if value.minute:
        return _("%(hour)d h %(minute)02d") % {"hour": value.hour, "minute": value.minute}
    return _("%(hour)d h") % {"hour": value.hour}


def phone_line_status(now: datetime) -> PhoneLineStatus:
    """Open now (and until when), or closed and when it opens next, in Paris time."""
    local = now.astimezone(PARIS)
    hours = weekly_hours()
    today = hours.get(local.weekday())
    if today and today[0] <= local.time() < today[1]:
        return PhoneLineStatus(True, _("Ouvert maintenant, jusqu'à %(time)s") % {"time": format_time(today[1])})
    for offset in range(0, 8):
        day = local.date() + timedelta(days=offset)
        slot = hours.get(day.weekday())
        if not slot or (offset == 0 and local.time() >= slot[0]):
            continue
        # Django's French weekday names are already lower case; English ones keep their capital.
        when = _("aujourd'hui") if offset == 0 else str(WEEKDAYS[day.weekday()])
        return PhoneLineStatus(
            False, _("Fermé — ouvre %(day)s à %(time)s") % {"day": when, "time": format_time(slot[0])}
        )
    return PhoneLineStatus(False, _("Fermé"))


def timetable() -> list[OpeningRow]:
    """The week's hours, consecutive days with the same hours grouped ("lundi au vendredi")."""
    hours = weekly_hours()
    rows, start = [], 0
    for weekday in range(1, 8):
        if weekday < 7 and hours.get(weekday) == hours.get(start):
            continue
        first, last = str(WEEKDAYS[start]), str(WEEKDAYS[weekday - 1])
        days = first if start == weekday - 1 else _("%(first)s au %(last)s") % {"first": first, "last": last}
        slot = hours.get(start)
        text = (_("%(opens)s – %(closes)s") % {"opens": format_time(slot[0]), "closes": format_time(slot[1])}
                if slot else _("fermé"))
        rows.append(OpeningRow(days=days[:1].upper() + days[1:], hours=text))
        start = weekday
    return rows
