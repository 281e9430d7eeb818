"""EMAIL_URL → MAILERS: the filemail form that gives an absolute folder, and where a relative one lands."""
import runpy

from django.conf import settings

SETTINGS_FILE = settings.BASE_DIR / "rakuten_portal" / "settings.py"
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def mailers_for(monkeypatch, tmp_path, email_url: str) -> dict:
    """The settings module evaluated afresh with this EMAIL_URL (a development environment otherwise)."""
    monkeypatch.setenv("EMAIL_URL", email_url)
    monkeypatch.setenv("DJANGO_DEBUG", "1")
    monkeypatch.setenv("CELERY_BROKER_URL", "memory://")
    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path))
    return runpy.run_path(str(SETTINGS_FILE))["MAILERS"]["default"]


def test_four_slashes_give_an_absolute_folder(monkeypatch, tmp_path):
    mailer = mailers_for(monkeypatch, tmp_path, "filemail:////var/mail/portal")
    assert mailer == {"BACKEND": FILE_BACKEND, "OPTIONS": {"file_path": "/var/mail/portal"}}


def test_three_slashes_give_a_folder_in_the_checkout_not_wherever_the_process_started(monkeypatch, tmp_path):
    # The URL library drops the first slash of the path: "filemail:///var/mails" is the relative "var/mails".
    mailer = mailers_for(monkeypatch, tmp_path, "filemail:///var/mails")
    assert mailer["OPTIONS"]["file_path"] == str(settings.BASE_DIR / "var" / "mails")


def test_smtp_url_still_gives_host_port_and_tls(monkeypatch, tmp_path):
    options = mailers_for(monkeypatch, tmp_path, "smtp+tls://user:secret@smtp.example:587")["OPTIONS"]
    assert (options["host"], options["port"], options["username"], options["use_tls"]) == (
        "smtp.example", 587, "user", True)
