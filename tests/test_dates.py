"""date_text writes what Django's date_format writes, for every format the pages use, in both languages."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats, timezone, translation

from rakuten_portal.dates import date_text

PARIS = ZoneInfo("Europe/Paris")
FORMATS = ["DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "TIME_FORMAT",
           "l j F, H:i", "D d M Y", "N j, Y", r"\l\e j", "y-m-d G:i:s"]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("format_name", FORMATS)
def test_date_text_is_django_date_format_over_a_year(language, format_name):
    start = datetime(2026, 1, 1, 0, 7, 3, tzinfo=PARIS)
    with translation.override(language):
        for hours in range(0, 366 * 24, 37):
            value = timezone.localtime(start + timedelta(hours=hours))
            assert date_text(value, format_name) == formats.date_format(value, format_name)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_dates_and_formats_it_does_not_write_itself_are_left_to_django(language):
    with translation.override(language):
        day = date(2026, 3, 9)
        assert date_text(day, "DATE_FORMAT") == formats.date_format(day, "DATE_FORMAT")
        moment = datetime(2026, 3, 9, 14, 5, tzinfo=PARIS)
        for format_name in ("jS F Y", "c", "r", "P", "U", "e O"):  # letters it hands over to Django
            assert date_text(moment, format_name) == formats.date_format(moment, format_name)
