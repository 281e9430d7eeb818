"""The phone line's opening hours and whether it is open at a given instant (see opening_hours.py)."""
from datetime import datetime, time

from .opening_hours import PARIS, OpeningRow, OpeningStatus, format_time, phone_schedule

__all__ = ["PARIS", "OpeningRow", "PhoneLineStatus", "format_time", "phone_line_status", "timetable", "weekly_hours"]

PhoneLineStatus = OpeningStatus


def weekly_hours() -> dict[int, tuple[time, time]]:
    """Monday=0 … Sunday=6 → (opens, closes), from settings; a missing day is closed."""
    return phone_schedule().hours


def phone_line_status(now: datetime) -> OpeningStatus:
    """Open now (and until when), or closed (maybe for a public holiday) and when it opens next, in Paris time."""
    return phone_schedule().status(now)


def timetable() -> list[OpeningRow]:
    """The week's hours, consecutive days with the same hours grouped ("lundi au vendredi")."""
    return phone_schedule().timetable()
