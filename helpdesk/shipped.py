"""Loading and unloading the shipped articles of helpdesk/content.py (the data migration and the tests use it)."""
from .content import ARTICLES, CATEGORIES


def load_shipped_articles(Category, Article) -> int:
    """Create the missing categories and articles; never overwrite one an agent has edited. Returns how many."""
    categories, created = {}, 0
    for slug, position, title_fr, title_en in CATEGORIES:
        categories[slug], _new = Category.objects.get_or_create(
            slug=slug, defaults={"position": position, "title_fr": title_fr, "title_en": title_en}
        )
    for entry in ARTICLES:
        for language in ("fr", "en"):
            text = entry.get(language)
            if not text:
                continue
            _article, new = Article.objects.get_or_create(
                slug=entry["slug"], language=language,
                defaults={
                    "category": categories[entry["category"]], "position": entry["position"],
                    "title": text["title"], "summary": text["summary"], "body": text["body"], "published": True,
                },
            )
            created += new
    return created


def unload_shipped_articles(Category, Article) -> None:
    """Delete the shipped slugs, and the shipped categories left empty."""
    Article.objects.filter(slug__in=[entry["slug"] for entry in ARTICLES]).delete()
    Category.objects.filter(slug__in=[row[0] for row in CATEGORIES], articles__isnull=True).delete()
