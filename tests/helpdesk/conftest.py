"""Help-desk fixtures: e-mails sent in-process, a clean rate-limit cache, tiny upload files."""
from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from helpdesk.models import Article, Category
from helpdesk.shipped import load_shipped_articles


@pytest.fixture(autouse=True)
def _eager_celery():
    """Run the e-mail tasks in the test's process, as a worker would."""
    from rakuten_portal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shipped_articles(db):
    """The shipped articles (a transactional test's flush removes what the migration loaded)."""
    load_shipped_articles(Category, Article)


def png_upload(name="photo.png", size=(40, 30)):
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_upload(name="facture.pdf"):
    content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")
