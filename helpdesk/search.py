"""Help-centre search: PostgreSQL full-text search when available, a word-matching fallback on SQLite."""
import re
import unicodedata

from django.conf import settings
from django.db import connection

from .articles import _prefer_language
from .models import Article

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 20
SEARCH_CONFIGS = {"fr": "french", "en": "english"}
# Words too common to tell articles apart, written without accents (the fallback strips them).
STOP_WORDS = frozenset(
    """au aux avec ce ces cet cette dans de des du elle en et est il ils je la le les leur lui ma mais me
    meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu
    un une vos votre vous ai as a y plus tres comment quoi quand faire fait non oui
    the and for are but not you your with from this that have has how what when can does did was were
    will would any all out get into about""".split()
)
MIN_WORD_LENGTH = 3
# A word in the title counts more than one in the summary, which counts more than one in the body.
FIELD_WEIGHTS = (("title", 4), ("summary", 2), ("body", 1))


def search_articles(query: str, language: str) -> list[Article]:
    """Published articles matching the query, best first; the language's own, else French."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        return []
    if connection.vendor == "postgresql":
        # Stemming does not fold accents ("recu" vs "reçu"): the word matcher catches what it misses.
        return _search_postgres(query, language) or _search_words(query, language)
    return _search_words(query, language)


def _candidates(language: str):
    return Article.objects.filter(published=True, language__in={language, settings.LANGUAGE_CODE}).select_related("category")


def _search_postgres(query: str, language: str) -> list[Article]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    results = []
    # Each article is stemmed with the rules of its own language.
    for article_language in dict.fromkeys([language, settings.LANGUAGE_CODE]):
        config = SEARCH_CONFIGS.get(article_language, "simple")
        vector = (
            SearchVector("title", weight="A", config=config)
            + SearchVector("summary", weight="B", config=config)
            + SearchVector("body", weight="C", config=config)
        )
        # websearch ANDs the words; when no article has them all, any of them will do, ranked.
        for text in (query, " or ".join(_words_for_or(query))):
            if not text:
                continue
            search_query = SearchQuery(text, config=config, search_type="websearch")
            found = list(
                _candidates(language).filter(language=article_language)
                .annotate(rank=SearchRank(vector, search_query))
                .filter(rank__gt=0.0001).order_by("-rank", "position")[:MAX_RESULTS]
            )
            if found:
                results.extend(found)
                break
    ordered = sorted(results, key=lambda article: -article.rank)
    return _prefer_language(ordered, language)[:MAX_RESULTS]


def _words_for_or(query: str) -> list[str]:
    # websearch syntax: quotes and a leading minus mean something, plain words do not.
    return [word for word in re.findall(r"\w+", query) if len(word) >= 2]


def normalise(text: str) -> str:
    """Lower case without accents: "Reçu" → "recu"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _stem(word: str) -> str:
    # Enough to match "arrivé" with "arrivée" and "colis" with "colis": drop plural and feminine ends.
    for ending in ("ees", "es", "ee", "s", "x", "e"):
        if word.endswith(ending) and len(word) - len(ending) >= MIN_WORD_LENGTH:
            return word[: -len(ending)]
    return word


def query_terms(query: str) -> list[str]:
    """The words of a query worth looking for, normalised and stemmed, without duplicates."""
    words = re.findall(r"\w+", normalise(query))
    return list(dict.fromkeys(_stem(w) for w in words if len(w) >= MIN_WORD_LENGTH and w not in STOP_WORDS))


def _field_stems(text: str) -> set[str]:
    return {_stem(word) for word in re.findall(r"\w+", normalise(text))}


def _search_words(query: str, language: str) -> list[Article]:
    terms = query_terms(query)
    if not terms:
        return []
    scored = []
    for article in _candidates(language):
        fields = [(_field_stems(getattr(article, name)), weight) for name, weight in FIELD_WEIGHTS]
        matched, score = 0, 0
        for term in terms:
            weights = [weight for stems, weight in fields if term in stems]
            if weights:
                matched += 1
                score += sum(weights)
        if matched:
            article.rank = (matched, score)
            scored.append(article)
    # Articles with more of the words first, then where they appear.
    scored.sort(key=lambda article: (-article.rank[0], -article.rank[1], article.category.position, article.position))
    return _prefer_language(scored, language)[:MAX_RESULTS]
