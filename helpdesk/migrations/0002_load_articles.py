"""Load the shipped help-centre articles (helpdesk/content.py) so that a fresh install has them."""
from django.db import migrations


def load_articles(apps, schema_editor):
    from helpdesk.shipped import load_shipped_articles

    load_shipped_articles(apps.get_model("helpdesk", "Category"), apps.get_model("helpdesk", "Article"))


def unload_articles(apps, schema_editor):
    from helpdesk.shipped import unload_shipped_articles

    unload_shipped_articles(apps.get_model("helpdesk", "Category"), apps.get_model("helpdesk", "Article"))


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0001_initial")]

    operations = [migrations.RunPython(load_articles, unload_articles)]
