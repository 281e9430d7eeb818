"""django-ratelimit's system checks pass with each cache the portal runs on; every linked article exists."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from helpdesk.content import ARTICLES

ROOT = Path(settings.BASE_DIR)


def check_environment(cache_url: str) -> dict:
    """The settings as `manage.py check` reads them, with this cache, on the embedded database: the model checks
    connect to PostgreSQL (they read its version), and the configured database need not exist while pytest-django
    works on its own test_ copy."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rakuten_portal.settings", "DJANGO_DEBUG": "1",
           "CACHE_URL": cache_url}
    env.pop("DATABASE_URL", None)
    return env


@pytest.mark.parametrize("cache_url", ["locmemcache://", "filecache:///tmp/rk-helpdesk-check-cache",
                                       "redis://127.0.0.1:6379/15"])
def test_ratelimit_checks_pass_with_the_portals_caches(cache_url):
    env = check_environment(cache_url)
    result = subprocess.run([sys.executable, "manage.py", "check", "--fail-level", "WARNING"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "django_ratelimit" not in result.stdout + result.stderr


def test_an_unsupported_shared_cache_still_fails_the_check():
    env = check_environment("dbcache://rate_cache")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert "django_ratelimit.E003" in result.stdout + result.stderr


def test_every_article_linked_from_a_template_is_shipped():
    shipped = {entry["slug"] for entry in ARTICLES}
    linked = set()
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        linked |= set(re.findall(r"url 'helpdesk:article' '([\w-]+)'", template.read_text()))
    assert linked and linked <= shipped, linked - shipped
