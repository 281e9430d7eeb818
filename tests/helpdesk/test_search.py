"""Help-centre search: PostgreSQL full-text search, and the word-matching fallback on SQLite."""
import pytest
from django.conf import settings
from django.urls import reverse

from helpdesk import search
from helpdesk.models import Article

pytestmark = pytest.mark.django_db
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def slugs(results):
    return [article.slug for article in results]


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL")
def test_postgres_finds_parcel_not_received_from_colis_pas_arrive():
    assert slugs(search.search_articles("colis pas arrivé", "fr"))[0] == "colis-non-recu"
    assert slugs(search.search_articles("colis pas arrive", "fr"))[0] == "colis-non-recu"


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL")
def test_postgres_ranks_the_title_match_first_and_falls_back_to_any_word():
    assert slugs(search.search_articles("paiement plusieurs fois express", "fr"))[0] == "paiement-en-plusieurs-fois"
    # No article has every word: the one with the most of them comes first.
    assert slugs(search.search_articles("garantie zzzzinconnu", "fr"))[0] == "garantie-rakuten"


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL")
def test_postgres_search_without_accents_still_finds_the_article():
    assert slugs(search.search_articles("colis recu", "fr"))[0] == "colis-non-recu"


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL")
def test_postgres_stems_english_articles_with_english_rules():
    assert slugs(search.search_articles("parcels not arriving", "en"))[0] == "colis-non-recu"


def test_fallback_finds_parcel_not_received_from_colis_pas_arrive(monkeypatch):
    monkeypatch.setattr(search.connection, "vendor", "sqlite")
    assert slugs(search._search_words("colis pas arrivé", "fr"))[0] == "colis-non-recu"
    assert slugs(search._search_words("COLIS PAS ARRIVE", "fr"))[0] == "colis-non-recu"


def test_fallback_ignores_accents_short_and_stop_words():
    assert search.query_terms("Où est mon colis reçu ? Pas arrivée !") == ["coli", "recu", "arriv"]  # stems, same on both sides


def test_fallback_ranks_more_matched_words_then_title_matches_first():
    results = slugs(search._search_words("paiement plusieurs fois express", "fr"))
    assert results[0] == "paiement-en-plusieurs-fois"


def test_fallback_searches_the_visitor_language():
    assert slugs(search._search_words("parcel not arrived", "en"))[0] == "colis-non-recu"


def test_search_ignores_unpublished_articles():
    Article.objects.filter(slug="colis-non-recu").update(published=False)
    assert "colis-non-recu" not in slugs(search.search_articles("colis pas arrivé", "fr"))


def test_empty_or_stop_word_query_finds_nothing():
    assert search.search_articles("   ", "fr") == []
    assert search._search_words("le la les pas", "fr") == []


def test_search_page_shows_the_matching_article_first(client):
    response = client.get(reverse("helpdesk:search"), {"q": "colis pas arrivé"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(reverse("helpdesk:article", args=["colis-non-recu"])) < html.index('data-testid="search-results"') + 400


def test_search_page_with_no_result_offers_the_contact_form(client):
    response = client.get(reverse("helpdesk:search"), {"q": "xylophone quantique"})
    assert "Aucun article ne correspond" in response.content.decode()
    assert reverse("helpdesk:contact_form") in response.content.decode()


def test_search_page_refuses_a_too_long_query_with_a_message(client):
    response = client.get(reverse("helpdesk:search"), {"q": "colis " * 100})
    assert response.status_code == 200
    page = response.content.decode()
    assert "au plus 200 caractères (actuellement 599)" in page
    assert 'data-testid="search-results"' not in page


def test_search_page_says_a_too_long_query_is_refused_in_english(client):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("helpdesk:search"), {"q": "parcel " * 100}, HTTP_ACCEPT_LANGUAGE="en")
    assert "at most 200 characters (it has 699)" in response.content.decode()
