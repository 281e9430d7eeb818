"""What the reader reads (issue 11, item 3): amounts in their format, one date style, the right words.

Each test reads the page (or the e-mail) as text, tags removed, in French and in English where it applies.
"""
import hashlib
import html
import re
from datetime import timedelta
from decimal import Decimal
from importlib import import_module
from pathlib import Path

import polib
import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import strip_tags

from claims import notifications
from claims.domain import claim_accept, claim_decide, claim_propose, claim_take_over, claim_withdraw
from claims.models import Claim, Notification, Proposal
from helpdesk.models import Article, Category
from helpdesk.shipped import load_shipped_articles
from orders.services import order_mark_delivered, order_mark_shipped
from rakuten_portal.formatting import money
from tests.claims.test_wizard import Wizard
from tests.factories import PASSWORD, SellerFactory, StaffFactory, UserFactory, make_claim, make_order, make_shipped_order

ROOT = Path(__file__).resolve().parents[2]
NBSP = "\u00a0"


def text_of(response) -> str:
    """The page as the reader sees it: no tags, entities decoded, runs of ordinary spaces made one."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(strip_tags(body)))


def read(client, user, url, language="fr"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return text_of(response)


@pytest.fixture
def people(db):
    buyer = UserFactory(username="alice", first_name="Alice")
    seller = SellerFactory(user=UserFactory(username="boutique"), display_name="Boutique Paris")
    order = make_shipped_order(buyer=buyer, seller=seller, price=Decimal("279.90"), days_ago=3)
    return {"buyer": buyer, "seller": seller.user, "shop": seller, "order": order}


# --- Amounts --------------------------------------------------------------------------------------------------

def test_money_is_written_the_readers_way():
    assert money(Decimal("279.9"), "fr") == f"279,90{NBSP}€"
    assert money(Decimal("279.9"), "en") == "€279.90"
    assert money(Decimal("1234567.5"), "fr") == f"1{NBSP}234{NBSP}567,50{NBSP}€"
    assert money(Decimal("1234567.5"), "en") == "€1,234,567.50"
    assert money(None) == ""


@pytest.mark.parametrize("language, amount, each", [("fr", f"279,90{NBSP}€", "l'unité"), ("en", "€279.90", "each")])
def test_amounts_on_the_order_page_the_wizard_and_the_sellers_refund_help(client, people, language, amount, each):
    order = people["order"]
    page = read(client, people["buyer"], reverse("orders:detail", args=[order.number]), language)
    assert amount in page and "279.90 €" not in page and "279,90 €" not in page.replace(NBSP, "§")
    # The wizard's items step: the line's unit price.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    wizard = Wizard(client, order)
    wizard.start()
    items_page = text_of(wizard.post("reason", {"reason": Claim.Reason.DAMAGED}))
    assert f"{amount} {each}" in items_page, items_page[:2000]
    # The seller's refund help on the claim page.
    claim = make_claim(order=order)
    seller_page = read(client, people["seller"], reverse("claims:detail", args=[claim.pk]), language)
    assert amount in seller_page and "279.90 €" not in seller_page


def test_amounts_in_the_admin_and_in_e_mails(client, people):
    order = people["order"]
    agent = StaffFactory(username="agent")
    admin_list = read(client, agent, reverse("admin:orders_order_changelist"))
    assert f"279,90{NBSP}€" in admin_list
    admin_en = read(client, agent, reverse("admin:orders_order_changelist"), "en")
    assert "€279.90" in admin_en
    claim = make_claim(order=order)
    now = timezone.now()
    Claim.objects.filter(pk=claim.pk).update(seller_deadline=now - timedelta(seconds=1))
    assert claim_take_over(claim_id=claim.pk, now=now)
    claim_decide(claim_id=claim.pk, agent=agent, decision=Claim.Decision.REFUND_PARTIAL, reason="Rayure visible.",
                 amount=Decimal("30.00"), now=now)
    decided = Notification.objects.filter(recipient=people["buyer"], claim=claim).order_by("-pk").first()
    _subject, body = notifications.render_email(decided)
    assert f"30,00{NBSP}€" in body and "30.00" not in body


# --- Dates ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["fr", "en"])
def test_notification_dates_are_written_like_everywhere_else(client, people, language):
    claim = make_claim(order=people["order"])
    notice = Notification.objects.filter(recipient=people["seller"]).first()
    page = read(client, people["seller"], reverse("claims:notifications"), language)
    with translation.override(language):
        expected = formats.date_format(timezone.localtime(notice.created_at), "DATETIME_FORMAT")
    assert expected in page
    assert not re.search(r"\d\d/\d\d/\d{4}", page)
    dashboard = read(client, people["seller"], reverse("claims:dashboard"), language)
    assert not re.search(r"\d\d/\d\d/\d{4}", dashboard)
    assert claim.order.number in dashboard


# --- French words ---------------------------------------------------------------------------------------------

def test_the_sale_is_said_finalized_only_once_it_is(client, people):
    order = people["order"]
    page = read(client, people["buyer"], reverse("orders:detail", args=[order.number]))
    assert "Fin de la période de réclamation" in page and "Vente finalisée le" not in page
    english = read(client, people["buyer"], reverse("orders:detail", args=[order.number]), "en")
    assert "End of the claim period" in english
    order.finalized_at = timezone.now()
    order.status = order.Status.FINALIZED
    order.save(update_fields=["finalized_at", "status"])
    page = read(client, people["buyer"], reverse("orders:detail", args=[order.number]))
    assert "Vente finalisée le" in page and "Fin de la période de réclamation" not in page
    # Past its six weeks the sale is closed even before the sweep has recorded it.
    later = make_order(buyer=people["buyer"], seller=people["shop"], days_ago=50)
    page = read(client, people["buyer"], reverse("orders:detail", args=[later.number]))
    assert "Vente finalisée le" in page and "Fin de la période de réclamation" not in page


def test_the_takeover_text_agrees_with_vous(client, people):
    claim = make_claim(order=people["order"])
    now = timezone.now()
    Claim.objects.filter(pk=claim.pk).update(seller_deadline=now - timedelta(seconds=1))
    assert claim_take_over(claim_id=claim.pk, now=now)
    page = read(client, people["buyer"], reverse("claims:detail", args=[claim.pk]))
    assert "vous informera de sa décision" in page and "informés" not in page


def _settled(people):
    claim = make_claim(order=people["order"])
    now = timezone.now()
    proposal = claim_propose(claim_id=claim.pk, seller_user=people["seller"], kind=Proposal.Kind.PARTIAL_REFUND,
                             amount=Decimal("20.00"), now=now)
    claim_accept(claim_id=claim.pk, proposal_id=proposal.pk, buyer=people["buyer"], now=now)
    return claim


@pytest.mark.parametrize("language, buyer_says, seller_says, you", [
    ("fr", "Vous avez accepté la proposition du vendeur", "L'acheteur a accepté votre proposition", "Vous"),
    ("en", "You accepted the seller's proposal", "The buyer accepted your proposal", "You"),
])
def test_the_viewer_is_vous_on_their_own_claim(client, people, language, buyer_says, seller_says, you):
    claim = _settled(people)
    buyer_page = read(client, people["buyer"], reverse("claims:detail", args=[claim.pk]), language)
    assert buyer_says in buyer_page and "L'acheteur a accepté" not in buyer_page
    seller_page = read(client, people["seller"], reverse("claims:detail", args=[claim.pk]), language)
    assert seller_says in seller_page
    # The timeline names the viewer "Vous".
    assert f"· {you}" in buyer_page and f"· {you}" in seller_page


def test_a_withdrawn_claim_says_vous_to_its_buyer(client, people):
    claim = make_claim(order=people["order"])
    claim_withdraw(claim_id=claim.pk, buyer=people["buyer"], reason=Claim.WithdrawReason.ARRANGEMENT,
                   now=timezone.now())
    page = read(client, people["buyer"], reverse("claims:detail", args=[claim.pk]))
    assert "Vous avez annulé votre réclamation le" in page
    assert "Annulée par l'acheteur le" in read(client, people["seller"], reverse("claims:detail", args=[claim.pk]))


def test_one_word_for_an_e_mail_address_in_french(client, people):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    form = text_of(client.get(reverse("helpdesk:contact_form")))  # anonymous: the form asks for the address
    assert "Votre adresse e-mail" in form
    catalog = polib.pofile(str(ROOT / "locale/fr/LC_MESSAGES/django.po"))
    for entry in catalog:
        if entry.obsolete:
            continue
        assert not re.search(r"\b(courriel|email|mail)\b", entry.msgid, re.I) or "e-mail" in entry.msgid.lower(), entry.msgid
        assert entry.msgid not in ("e-mail", "e-mail de contact"), "an address is an « adresse e-mail »"


# --- English words --------------------------------------------------------------------------------------------

OTHER_TERMS = re.compile(r"business days?|after-sales|support team|customer support|e-mail|advisers?", re.I)


def test_english_uses_one_term_in_the_interface_and_the_e_mails():
    catalog = polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/django.po"))
    found = [entry.msgstr for entry in catalog if not entry.obsolete and OTHER_TERMS.search(entry.msgstr)]
    assert found == []


@pytest.mark.django_db
def test_english_help_articles_use_the_same_terms():
    load_shipped_articles(Category, Article)
    english = Article.objects.filter(language="en")
    assert english.count() > 10
    for article in english:
        assert not OTHER_TERMS.search(f"{article.title} {article.summary} {article.body}"), article.slug


@pytest.mark.django_db
def test_the_data_migration_updates_unedited_english_articles_only(monkeypatch):
    migration = import_module("helpdesk.migrations.0004_english_terms_in_shipped_articles")
    category = Category.objects.create(slug="test", position=99, title_fr="Test", title_en="Test")
    old = {"title": "Within 3 business days", "summary": "Rakuten's after-sales support decides",
           "body": "We answer by e-mail; an adviser reads it."}
    untouched = Article.objects.create(category=category, slug="shipped-untouched", language="en", **old)
    edited = Article.objects.create(category=category, slug="shipped-edited", language="en",
                                    **{**old, "body": "An agent rewrote this: 3 business days, e-mail."})
    digest = {name: hashlib.sha256(text.encode()).hexdigest() for name, text in old.items()}
    monkeypatch.setattr(migration, "SHIPPED_BEFORE", {"shipped-untouched": digest, "shipped-edited": digest})
    migration.use_one_term_each(django_apps, None)
    untouched.refresh_from_db()
    edited.refresh_from_db()
    assert untouched.title == "Within 3 working days"
    assert untouched.summary == "Rakuten customer service decides"
    assert untouched.body == "We answer by email; an agent reads it."
    assert edited.body == "An agent rewrote this: 3 business days, e-mail."


# --- E-mails: names and links ---------------------------------------------------------------------------------

@override_settings(SITE_URL="http://127.0.0.1:8101")
def test_e_mails_greet_by_name_and_link_to_the_running_site(people):
    claim = make_claim(order=people["order"])
    to_seller = Notification.objects.get(recipient=people["seller"], claim=claim)
    _subject, body = notifications.render_email(to_seller)
    assert body.startswith("Bonjour Boutique Paris,") and "boutique," not in body
    assert f"http://127.0.0.1:8101/reclamations/{claim.pk}/" in body
    claim_propose(claim_id=claim.pk, seller_user=people["seller"], kind=Proposal.Kind.FULL_REFUND, now=timezone.now())
    to_buyer = Notification.objects.filter(recipient=people["buyer"], claim=claim).first()
    _subject, body = notifications.render_email(to_buyer)
    assert body.startswith("Bonjour Alice,")


def test_make_run_points_e_mail_links_at_its_own_port():
    script = (ROOT / "scripts/run.sh").read_text()
    assert 'export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"' in script
    assert script.index("export SITE_URL") < script.index("runserver")


@pytest.mark.django_db
def test_help_desk_e_mails_greet_a_known_customer_by_first_name(client, people):
    from helpdesk.emails import render
    from helpdesk.models import ContactRequest, OutgoingEmail
    from helpdesk.services import contact_request_create

    request = contact_request_create(topic=ContactRequest.Topic.choices[0][0], body="Bonjour", now=timezone.now(),
                                     email="alice@example.com", language="fr", requester=people["buyer"])
    _subject, body = render(OutgoingEmail.objects.filter(request=request).first())
    assert body.startswith("Bonjour Alice,")


# --- What a claim page and an order page leave out ------------------------------------------------------------

@pytest.mark.parametrize("language, heading", [("fr", "Description"), ("en", "Description")])
def test_a_not_received_claim_has_no_empty_description(client, people, language, heading):
    order = make_order(buyer=people["buyer"], seller=people["shop"], days_ago=20)
    claim = make_claim(order=order, reason=Claim.Reason.NOT_RECEIVED, description="")
    page = read(client, people["buyer"], reverse("claims:detail", args=[claim.pk]), language)
    assert heading not in page


def test_no_from_when_sentence_on_a_delivered_order_or_after_a_settled_claim(client, people):
    order = people["order"]
    waiting = read(client, people["buyer"], reverse("orders:detail", args=[order.number]))
    assert "Vous pourrez signaler un colis non reçu à partir du" in waiting
    now = timezone.now()
    order_mark_shipped(order=order, carrier="Colissimo", tracking_number="6A1", at=now)
    order_mark_delivered(order=order, at=now)
    delivered = read(client, people["buyer"], reverse("orders:detail", args=[order.number]))
    assert "Vous pourrez signaler un colis non reçu" not in delivered
    other = make_order(buyer=people["buyer"], seller=people["shop"], days_ago=3)
    _settled({**people, "order": other})
    settled = read(client, people["buyer"], reverse("orders:detail", args=[other.number]))
    assert "Vous pourrez signaler un colis non reçu" not in settled


# --- The buyer's name -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_buyer_is_named_the_same_way_on_every_page(client, people, language):
    claim = make_claim(order=people["order"])
    seller = people["seller"]
    pages = [read(client, seller, reverse(name), language) for name in ("orders:sales", "claims:dashboard")]
    pages.append(read(client, seller, reverse("claims:detail", args=[claim.pk]), language))
    for page in pages:
        assert "Alice" in page
        assert not re.search(r"\balice\b", page)
