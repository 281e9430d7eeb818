"""Suite-wide fixtures: uploads go to a temporary folder, never to the real private media."""
import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "private-media"), "base_url": None}},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached navbars and pages must not outlive the rows they show."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
