"""No translation brings an ASCII double quote the source text did not have: it would close an HTML attribute
(`placeholder="{% translate … %}"`), since translated template literals are not escaped."""
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_translations_add_no_ascii_double_quote(language):
    catalog = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    offending = [
        entry.msgid for entry in catalog
        if '"' not in entry.msgid + (entry.msgid_plural or "")
        and '"' in entry.msgstr + "".join(entry.msgstr_plural.values())
    ]
    assert offending == []
