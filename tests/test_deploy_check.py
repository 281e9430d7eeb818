"""Production settings pass Django's deployment checklist, and refuse to start without their own secret."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def manage(*args, tmp_path, **env):
    """Run manage.py with the real settings and a production-like environment (nothing from the test run)."""
    clean = {key: value for key, value in os.environ.items()
             if not key.startswith(("DJANGO_", "CACHE_URL", "CELERY_", "EMAIL_", "DATABASE_", "PORTAL_", "AXES_"))}
    clean.update(DJANGO_SETTINGS_MODULE="rakuten_portal.settings", PORTAL_VAR_DIR=str(tmp_path), **env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=clean,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("cache_url", ["", "redis://127.0.0.1:6379/0"], ids=["embedded-cache", "redis-cache"])
def test_production_settings_pass_check_deploy_with_no_warning(tmp_path, cache_url):
    env = dict(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(64), DJANGO_ALLOWED_HOSTS="portal.example",
               EMAIL_URL="smtp+tls://mailer:secret@smtp.portal.example:587")
    if cache_url:
        env.update(CACHE_URL=cache_url, CELERY_BROKER_URL="redis://127.0.0.1:6379/0")

    result = manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    result = manage("check", tmp_path=tmp_path, DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="portal.example")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_benchmark_bare_view_is_not_routed_unless_asked_for(client):
    assert client.get("/bench/bare/").status_code == 404


def test_production_with_the_console_mail_backend_is_flagged_by_the_deploy_check(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, DJANGO_DEBUG="0",
                    DJANGO_SECRET_KEY=secrets.token_urlsafe(64), DJANGO_ALLOWED_HOSTS="portal.example")

    assert result.returncode != 0
    assert "mail.E001" in result.stdout + result.stderr
