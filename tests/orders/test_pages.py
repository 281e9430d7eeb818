"""The styled error pages and the language switch (French by default, English on request)."""
import pytest
from django.urls import reverse

from orders.models import AccountPreferences


def test_missing_page_is_the_styled_404(client, db, settings):
    settings.DEBUG = False
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page
    assert 'class="navbar' in page
    assert reverse("home") in page


def test_another_buyers_order_is_the_same_styled_404(client, roles, settings):
    settings.DEBUG = False
    client.force_login(roles["other_buyer"])
    response = client.get(reverse("orders:detail", args=[roles["order"].number]))
    assert response.status_code == 404
    page = response.content.decode()
    main = page[page.index("<main"):page.index("</main>")]
    # Same page as a number that does not exist: nothing says the order is there.
    assert "Page introuvable" in main
    assert roles["order"].number not in main


def test_site_is_french_by_default_even_for_an_english_browser(client, db):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr">' in response.content.decode()
    assert "Se connecter" in response.content.decode()


def test_language_switch_sets_the_cookie_and_returns_to_the_page(client, db, settings):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/aide/?q=colis"})
    assert response.status_code == 302
    assert response["Location"] == "/aide/?q=colis"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    page = client.get(reverse("home"))
    assert page["Content-Language"] == "en"
    assert '<html lang="en">' in page.content.decode()


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/path", "javascript:alert(1)", ""])
def test_language_switch_never_redirects_to_another_site(client, db, next_url):
    response = client.post(reverse("set_language"), {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_language_switch_ignores_an_unknown_language(client, db, settings):
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/aide/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_language_switch_only_answers_post(client, db):
    assert client.get(reverse("set_language")).status_code == 405


def test_language_switch_remembers_the_choice_for_a_logged_in_users_emails(client, roles):
    client.force_login(roles["buyer"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert AccountPreferences.objects.get(user=roles["buyer"]).language == "en"
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert AccountPreferences.objects.get(user=roles["buyer"]).language == "fr"
    assert AccountPreferences.objects.filter(user=roles["buyer"]).count() == 1


def test_language_switch_writes_nothing_for_an_anonymous_visitor(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert not AccountPreferences.objects.exists()


def test_too_many_files_in_one_upload_get_the_styled_400_page(client, settings, roles):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(roles["buyer"])
    files = [SimpleUploadedFile(f"photo{i}.jpg", b"x") for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]

    response = client.post(reverse("helpdesk:contact_form"), {"photos": files})

    assert response.status_code == 400
    assert "Demande incorrecte" in response.content.decode()
