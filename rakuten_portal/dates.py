"""`date_text(value, format)`: Django's `formats.date_format`, the same text, without re-reading the format.

Django's date_format looks the format up (language, format modules), splits it with a regular expression and
calls one method per letter, translating the month or day name each time: about 40 µs a date, and the lists
show two dates a row. Here each format is split once per language and the names translated once per language;
the letters the pages use (d j D l N F m M n Y y G H i s, and escapes) are written as Django writes them, any
other format is handed to Django. tests/test_dates.py compares both over a year of dates in each language.
"""
from datetime import date, datetime

from django.utils import formats
from django.utils.dateformat import format as django_format
from django.utils.dateformat import re_escaped, re_formatchars
from django.utils.dates import MONTHS, MONTHS_3, MONTHS_AP, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import get_language

_NUMBERS = {
    "d": lambda value, names: "%02d" % value.day,
    "j": lambda value, names: str(value.day),
    "m": lambda value, names: "%02d" % value.month,
    "n": lambda value, names: str(value.month),
    "Y": lambda value, names: "%04d" % value.year,
    "y": lambda value, names: "%02d" % (value.year % 100),
    "D": lambda value, names: names["D"][value.weekday()],
    "l": lambda value, names: names["l"][value.weekday()],
    "F": lambda value, names: names["F"][value.month],
    "M": lambda value, names: names["M"][value.month],
    "N": lambda value, names: names["N"][value.month],
}
_TIME = {
    "G": lambda value, names: str(value.hour),
    "H": lambda value, names: "%02d" % value.hour,
    "i": lambda value, names: "%02d" % value.minute,
    "s": lambda value, names: "%02d" % value.second,
}
_compiled: dict = {}
_names: dict = {}


def _names_of(language):
    names = _names.get(language)
    if names is None:
        names = _names[language] = {
            "D": {day: str(name) for day, name in WEEKDAYS_ABBR.items()},
            "l": {day: str(name) for day, name in WEEKDAYS.items()},
            "F": {month: str(name) for month, name in MONTHS.items()},
            "M": {month: str(name).title() for month, name in MONTHS_3.items()},
            "N": {month: str(name) for month, name in MONTHS_AP.items()},
        }
    return names


def _compile(format_string):
    """[(is_letter, text or function)], or None when a letter is not one of ours (Django writes it)."""
    parts, has_time = [], False
    for i, piece in enumerate(re_formatchars.split(str(format_string))):
        if i % 2:
            function = _NUMBERS.get(piece) or _TIME.get(piece)
            if function is None:
                return None
            has_time = has_time or piece in _TIME
            parts.append(function)
        elif piece:
            parts.append(re_escaped.sub(r"\1", piece))
    return parts, has_time


def date_text(value, format_name: str = "DATE_FORMAT") -> str:
    """`django.utils.formats.date_format(value, format_name)`, in the active language."""
    language = get_language()
    key = (language, format_name)
    entry = _compiled.get(key, False)
    if entry is False:
        format_string = formats.get_format(format_name)
        entry = _compiled[key] = (format_string, _compile(format_string))
    format_string, compiled = entry
    if compiled is None or not isinstance(value, (date, datetime)) or (compiled[1] and not isinstance(value, datetime)):
        return formats.date_format(value, format_name) if compiled is not None else django_format(value, format_string)
    names = _names_of(language)
    return "".join(part if isinstance(part, str) else part(value, names) for part in compiled[0])
