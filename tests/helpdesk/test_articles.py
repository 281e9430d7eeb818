"""Help-centre articles: the shipped texts, their rendering, the language fallback, the pages."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpdesk.articles import Block, body_blocks
from helpdesk.content import ARTICLES, CATEGORIES
from helpdesk.models import Article, Category
from helpdesk.shipped import load_shipped_articles, unload_shipped_articles

pytestmark = pytest.mark.django_db


def test_data_migration_loaded_every_shipped_article_in_both_languages():
    assert Category.objects.count() == len(CATEGORIES)
    assert Article.objects.filter(language="fr").count() == len(ARTICLES)
    assert Article.objects.filter(language="en").count() == len(ARTICLES)


def test_loading_twice_creates_nothing_and_keeps_agent_edits():
    Article.objects.filter(slug="colis-non-recu", language="fr").update(title="Titre revu par un conseiller")
    assert load_shipped_articles(Category, Article) == 0
    assert Article.objects.get(slug="colis-non-recu", language="fr").title == "Titre revu par un conseiller"


def test_unloading_removes_the_shipped_articles_and_keeps_agent_articles():
    category = Category.objects.get(slug="acheter")
    Article.objects.create(category=category, slug="article-maison", language="fr", title="T", summary="S", body="B")
    unload_shipped_articles(Category, Article)
    assert list(Article.objects.values_list("slug", flat=True)) == ["article-maison"]
    assert list(Category.objects.values_list("slug", flat=True)) == ["acheter"]
    assert load_shipped_articles(Category, Article) == 2 * len(ARTICLES)


def test_body_is_cut_into_paragraphs_and_bullet_lists():
    body = "Premier paragraphe\nsur deux lignes.\n\n- un\n- deux\n\nFin."
    assert body_blocks(body) == [Block(text="Premier paragraphe sur deux lignes."), Block(items=("un", "deux")),
                                 Block(text="Fin.")]


def test_every_shipped_body_renders_to_blocks():
    for entry in ARTICLES:
        for language in ("fr", "en"):
            assert body_blocks(entry[language]["body"]), entry["slug"]


def test_article_page_escapes_what_an_agent_typed(client):
    Article.objects.filter(slug="trier-par-prix", language="fr").update(
        body="<script>alert(1)</script>\n\n- <b>gras</b>"
    )
    response = client.get(reverse("helpdesk:article", args=["trier-par-prix"]))
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<li>&lt;b&gt;gras&lt;/b&gt;</li>" in html


def test_article_page_is_in_the_visitor_language(client):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("helpdesk:article", args=["colis-non-recu"]))
    assert "Parcel not received: what to do?" in response.content.decode()


def test_article_without_translation_falls_back_to_french(client):
    Article.objects.filter(slug="colis-non-recu", language="en").delete()
    client.cookies["django_language"] = "en"
    response = client.get(reverse("helpdesk:article", args=["colis-non-recu"]))
    assert "Colis non reçu : que faire ?" in response.content.decode()


def test_unpublished_or_unknown_article_is_404(client):
    Article.objects.filter(slug="colis-non-recu").update(published=False)
    assert client.get(reverse("helpdesk:article", args=["colis-non-recu"])).status_code == 404
    assert client.get(reverse("helpdesk:article", args=["nulle-part"])).status_code == 404


def test_article_url_is_the_one_the_claim_wizard_links_to():
    assert reverse("helpdesk:article", args=["colis-non-recu"]) == "/aide/articles/colis-non-recu/"


def test_claim_howto_article_leads_to_the_service_client_form(client):
    response = client.get(reverse("helpdesk:article", args=["faire-une-reclamation"]))
    assert reverse("helpdesk:contact_form") in response.content.decode()
    assert 'data-testid="article-service-client"' in response.content.decode()


def test_help_index_lists_every_category_and_article(client):
    html = client.get(reverse("helpdesk:index")).content.decode()
    for _slug, _position, title_fr, _title_en in CATEGORIES:
        assert title_fr.replace("'", "&#x27;") in html
    for entry in ARTICLES:
        assert reverse("helpdesk:article", args=[entry["slug"]]) in html


def test_footer_links_to_help_and_contact(client):
    html = client.get(reverse("helpdesk:index")).content.decode()
    assert reverse("helpdesk:contact") in html and "Nous contacter" in html and "À propos" in html


def _count(client, url):
    cache.clear()  # the queries of rendering the page, not of serving its cached copy
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_help_pages_make_the_same_number_of_queries_with_one_or_many_articles(client):
    urls = [reverse("helpdesk:index"), reverse("helpdesk:article", args=["colis-non-recu"]),
            reverse("helpdesk:search") + "?q=colis", reverse("helpdesk:contact"), reverse("helpdesk:contact_form")]
    many = [_count(client, url) for url in urls]
    keep = {"colis-non-recu", "article-endommage"}
    Article.objects.exclude(slug__in=keep).delete()
    few = [_count(client, url) for url in urls]
    assert few == many


def test_operators_reload_missing_articles_with_a_command():
    from io import StringIO

    from django.core.management import call_command

    Article.objects.filter(slug="garantie-rakuten").delete()
    out = StringIO()
    call_command("load_help_articles", stdout=out)
    assert out.getvalue().strip() == "2 article(s) created."
    assert Article.objects.filter(slug="garantie-rakuten").count() == 2
