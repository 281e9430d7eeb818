"""Load the shipped help-centre articles that are missing (safe to run twice; never overwrites an edit)."""
from django.core.management.base import BaseCommand

from helpdesk.models import Article, Category
from helpdesk.shipped import load_shipped_articles


class Command(BaseCommand):
    help = "Create the shipped help-centre articles and categories that are missing."

    def handle(self, *args, **options):
        created = load_shipped_articles(Category, Article)
        self.stdout.write(f"{created} article(s) created.")
