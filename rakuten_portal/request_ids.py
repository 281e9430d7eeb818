"""Ids read from a request (query string, form field), parsed one way for the whole site.

`str.isdigit()` is true for "²" and `int()` accepts "١٢" (Arabic-Indic digits): an id is ASCII digits
only, at most 19 of them, between 1 and the largest database integer; anything else is "no id".
Forms choosing rows by id (ModelChoiceField, ModelMultipleChoiceField) already compare the posted text
with the ids written in ASCII, so "١٢" is no choice there either (tests/test_request_ids.py).
"""
import re

MAX_ID = 2**63 - 1
_ID = re.compile(r"[0-9]{1,19}", re.ASCII)


def parse_id(value) -> int | None:
    """The id `value` names, or None if it is not one (empty, signed, non-ASCII digits, too big, zero)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _ID.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None

