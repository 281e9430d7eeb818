"""Reading help-centre articles: the language fallback and the plain-text body cut into blocks."""
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.utils.translation import get_language

from .models import Article, Category


@dataclass(frozen=True)
class Block:
    """A paragraph (text) or a bullet list (items) of an article's body."""

    text: str = ""
    items: tuple[str, ...] = ()

    @property
    def is_list(self) -> bool:
        return bool(self.items)


def body_blocks(body: str) -> list[Block]:
    """Cut a body into paragraphs and lists: a blank line separates blocks, "- " lines make a list."""
    blocks = []
    for chunk in body.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            blocks.append(Block(items=tuple(line[2:].strip() for line in lines)))
        else:
            blocks.append(Block(text=" ".join(lines)))
    return blocks


def current_language() -> str:
    """The active language reduced to one of the site's ("en-gb" → "en")."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _prefer_language(articles, language: str) -> list[Article]:
    """One article per slug: the one in `language` where it exists, else the French one."""
    chosen = {}
    for article in articles:
        if article.slug not in chosen or article.language == language:
            chosen[article.slug] = article
    return list(chosen.values())


def published_articles(language: str):
    """Published articles in the language, with French for those not translated."""
    queryset = (
        Article.objects.filter(published=True, language__in={language, settings.LANGUAGE_CODE})
        .select_related("category").order_by("category__position", "position", "slug")
    )
    return _prefer_language(queryset, language)


def help_index(language: str) -> list[tuple[Category, list[Article]]]:
    """The categories that have articles, each with its articles in order."""
    grouped: dict[int, tuple[Category, list[Article]]] = {}
    for article in published_articles(language):
        grouped.setdefault(article.category_id, (article.category, []))[1].append(article)
    return sorted(grouped.values(), key=lambda pair: (pair[0].position, pair[0].slug))


def article_for(slug: str, language: str) -> Article:
    """The published article in the language, else in French, else 404."""
    candidates = (
        Article.objects.filter(slug=slug, published=True, language__in={language, settings.LANGUAGE_CODE})
        .select_related("category")
    )
    found = _prefer_language(candidates, language)
    if not found:
        raise Http404
    return found[0]


def related_articles(article: Article, language: str) -> list[Article]:
    """The other articles of the same category."""
    queryset = Article.objects.filter(
        category_id=article.category_id, published=True, language__in={language, settings.LANGUAGE_CODE}
    ).exclude(slug=article.slug).order_by("position", "slug")
    return _prefer_language(queryset, language)
