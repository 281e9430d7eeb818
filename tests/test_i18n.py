"""The English catalog is complete, compiled, in step with the code, and what English visitors read."""
import ast
import html
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from claims import domain
from claims.models import ClaimEvent, Proposal
from tests.factories import make_claim

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = {language: ROOT / "locale" / language / "LC_MESSAGES" for language in ("en", "fr")}
# The same list as the documented makemessages command: none of these hold the site's strings.
MAKEMESSAGES_IGNORES = [".venv", "var", "bench", "tests"]
COPY_IGNORES = shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "__pycache__", ".pytest_cache",
                                      "media", "staticfiles", "*.sqlite3")
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdfir]|%%")


def entries(language):
    return [entry for entry in polib.pofile(str(CATALOGS[language] / "django.po")) if not entry.obsolete]


def key(entry):
    return entry.msgctxt, entry.msgid, entry.msgid_plural


def translations(catalog):
    """(context, msgid, plural) → the translated forms, header left out."""
    result = {}
    for entry in catalog:
        if entry.msgid == "" or getattr(entry, "obsolete", False):
            continue
        forms = [entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural)] if entry.msgid_plural else [entry.msgstr]
        result[key(entry)] = forms
    return result


def sources_and_forms(entry):
    if entry.msgid_plural:
        # msgstr[0] answers the singular, every other form the plural.
        return [(entry.msgid if n == 0 else entry.msgid_plural, text)
                for n, text in sorted(entry.msgstr_plural.items())]
    return [(entry.msgid, entry.msgstr)]


def edges(text):
    return text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]


def test_every_english_entry_is_translated_and_not_fuzzy():
    catalog = entries("en")
    assert len(catalog) > 100
    untranslated = [entry.msgid for entry in catalog if not entry.translated()]
    fuzzy = [entry.msgid for entry in catalog if "fuzzy" in entry.flags]
    assert untranslated == []
    assert fuzzy == []


def test_english_translations_keep_placeholders_and_surrounding_whitespace():
    mismatched = []
    for entry in entries("en"):
        for source, text in sources_and_forms(entry):
            if (sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text))
                    or edges(source) != edges(text) or source.count("\n") != text.count("\n")):
                mismatched.append((source, text))
    assert mismatched == []


def test_french_catalog_is_the_identity():
    wrong = [entry.msgid for entry in entries("fr")
             if any(source != text for source, text in sources_and_forms(entry)) or "fuzzy" in entry.flags]
    assert wrong == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_committed_mo_matches_its_po(language):
    po = translations(polib.pofile(str(CATALOGS[language] / "django.po")))
    mo = translations(polib.mofile(str(CATALOGS[language] / "django.mo")))
    assert mo == po


@pytest.mark.parametrize("language", ["en", "fr"])
def test_catalog_is_up_to_date_with_the_code(tmp_path, language):
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("gettext tools (xgettext, msgmerge) are not installed: cannot regenerate the catalog")
    copy = tmp_path / "repo"
    shutil.copytree(ROOT, copy, ignore=COPY_IGNORES)
    command = [sys.executable, "manage.py", "makemessages", "-l", language, "--no-location"]
    command += [f"--ignore={name}" for name in MAKEMESSAGES_IGNORES]
    env = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "rakuten_portal.settings"}
    subprocess.run(command, cwd=copy, env=env, check=True, capture_output=True, text=True, timeout=300)

    regenerated = {key(entry) for entry in polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
                   if not entry.obsolete}
    committed = {key(entry) for entry in entries(language)}
    assert sorted(regenerated - committed, key=str) == [], "strings in the code missing from the catalog"
    assert sorted(committed - regenerated, key=str) == [], "catalog strings no longer in the code"


def page_text(response):
    return html.unescape(response.content.decode())


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_purchase_list_is_french_by_default(client, roles):
    client.force_login(roles["buyer"])
    page = page_text(client.get(reverse("orders:purchases")))
    assert '<html lang="fr">' in page
    assert "Tous mes achats" in page
    assert "All my purchases" not in page


def test_purchase_list_reads_in_english_with_the_language_cookie(client, roles):
    client.force_login(roles["buyer"])
    page = page_text(in_english(client).get(reverse("orders:purchases")))
    assert '<html lang="en">' in page
    assert "All my purchases" in page
    assert "Tous mes achats" not in page


def test_order_page_heading_reads_in_english(client, roles):
    order = roles["order"]
    client.force_login(roles["buyer"])
    page = page_text(in_english(client).get(reverse("orders:detail", args=[order.number])))
    assert re.search(rf"<h1[^>]*>\s*Order {re.escape(order.number)}\s*</h1>", page)


def test_help_centre_reads_in_english(client, db):
    page = page_text(in_english(client).get(reverse("helpdesk:index")))
    assert "How can we help you?" in page
    assert "Comment pouvons-nous vous aider ?" not in page


def interface_sentences():
    """French msgids long enough to be recognised in a page, placeholders and markup left out."""
    return [entry.msgid for entry in entries("en")
            if not entry.msgid_plural and "%" not in entry.msgid and len(entry.msgid.split()) >= 3]


@pytest.mark.parametrize(("page_name", "role"), [
    ("purchases", "buyer"), ("order", "buyer"), ("order", "seller"), ("claim", "buyer"), ("claim", "seller"),
    ("claim", "staff"), ("seller_area", "seller"), ("account", "buyer"), ("help", "buyer"), ("contact", "buyer"),
    ("contact_form", "buyer"),
])
def test_english_pages_show_no_french_interface_sentence(client, roles, page_name, role):
    order = roles["order"]
    claim = make_claim(order=order)
    urls = {
        "purchases": reverse("orders:purchases"),
        "order": reverse("orders:detail", args=[order.number]),
        "claim": reverse("claims:detail", args=[claim.pk]),
        "seller_area": reverse("claims:dashboard"),
        "account": reverse("orders:account"),
        "help": reverse("helpdesk:index"),
        "contact": reverse("helpdesk:contact"),
        "contact_form": reverse("helpdesk:contact_form"),
    }
    client.force_login(roles[role])
    response = in_english(client).get(urls[page_name])
    assert response.status_code == 200
    # A postal address stays as the post office reads it, in French.
    page = re.sub(r"<address.*?</address>", "", page_text(response), flags=re.S)
    assert [sentence for sentence in interface_sentences() if sentence in page] == []


def test_timeline_detail_written_by_an_english_reader_is_stored_in_french_and_shown_in_each_language(client, roles):
    claim = make_claim(order=roles["order"])
    with translation.override("en"):
        domain.claim_propose(claim_id=claim.pk, seller_user=roles["seller"], kind=Proposal.Kind.PARTIAL_REFUND,
                             amount=Decimal("5.00"), now=timezone.now())
    assert claim.events.get(kind=ClaimEvent.Kind.PROPOSAL).detail == "Remboursement partiel (rabais)"

    client.force_login(roles["buyer"])
    french = page_text(client.get(reverse("claims:detail", args=[claim.pk])))
    english = page_text(in_english(client).get(reverse("claims:detail", args=[claim.pk])))
    timeline = re.compile(r'data-testid="claim-timeline".*?</ol>', re.S)
    assert "Remboursement partiel (rabais)" in timeline.search(french).group()
    assert "Partial refund (discount)" in timeline.search(english).group()


def test_english_dates_are_british_on_the_24_hour_clock(client, roles):
    order = roles["order"]
    client.force_login(roles["buyer"])
    page = page_text(in_english(client).get(reverse("orders:detail", args=[order.number])))
    purchased = timezone.localtime(order.purchased_at)
    assert f"{purchased.day} {purchased:%B %Y}, {purchased:%H:%M}" in page
    assert "a.m." not in page and "p.m." not in page


def eager_gettext_calls_at_import(path):
    """Calls of gettext (not gettext_lazy) run when the module loads: frozen in whatever language was active."""
    tree = ast.parse(path.read_text())
    eager = {alias.asname or alias.name for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
             for alias in node.names if alias.name in {"gettext", "ngettext", "pgettext", "npgettext"}}
    found = []

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                # Default values are evaluated at import; the body runs later, per request.
                defaults = [*child.args.defaults, *(value for value in child.args.kw_defaults if value)]
                found.extend(call.lineno for default in defaults for call in ast.walk(default)
                             if isinstance(call, ast.Call) and getattr(call.func, "id", None) in eager)
                continue
            if isinstance(child, ast.Call) and getattr(child.func, "id", None) in eager:
                found.append(child.lineno)
            visit(child)

    visit(tree)
    return found


def test_no_module_runs_gettext_at_import_time():
    skipped = {".venv", "var", "bench", "tests", "migrations", "node_modules"}
    sources = [path for path in ROOT.rglob("*.py") if not skipped & set(path.relative_to(ROOT).parts)]
    offenders = {str(path.relative_to(ROOT)): lines for path in sources if (lines := eager_gettext_calls_at_import(path))}
    assert offenders == {}, "use gettext_lazy for strings built at import time (class bodies, module constants)"
