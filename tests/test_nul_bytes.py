"""A NUL byte in a query string or a form field is refused once, for the whole site and the admin, with the 400 page.

PostgreSQL cannot store or compare a string holding NUL: before the middleware, `?status__exact=%00` on the
admin's order list was a 500 there.
"""
import pytest
from django.test import Client
from django.urls import reverse

from helpdesk.models import ContactRequest

pytestmark = pytest.mark.django_db

ADMIN_LISTS = ["admin:orders_order_changelist", "admin:claims_claim_changelist",
               "admin:helpdesk_contactrequest_changelist", "admin:claims_notification_changelist"]


def assert_styled_400(response, text="Demande incorrecte"):
    assert response.status_code == 400
    body = response.content.decode()
    assert "<html" in body.lower() and text in body


@pytest.mark.parametrize("name", ADMIN_LISTS)
@pytest.mark.parametrize("query", ["status__exact=%00", "q=%00", "o=1%00", "e=%00", "status__exact=new%00x", "%00=1"])
def test_a_nul_byte_in_an_admin_filter_is_the_400_page(roles, name, query):
    client = Client()
    client.force_login(roles["staff"])
    assert_styled_400(client.get(f"{reverse(name)}?{query}"))


@pytest.mark.parametrize("url", ["/", "/mon-compte/achats/", "/aide/recherche/", "/aide/service-client/",
                                 "/compte/connexion/", "/reclamations/espace-vendeur/"])
def test_a_nul_byte_in_a_site_query_string_is_the_400_page_for_anyone(roles, url):
    for user in (None, roles["buyer"], roles["seller"]):
        client = Client()
        if user is not None:
            client.force_login(user)
        assert_styled_400(client.get(url, {"q": "a\x00b", "page": "1"}))


def test_a_nul_byte_in_a_form_field_is_refused_and_nothing_is_saved(roles):
    client = Client()
    response = client.post(reverse("helpdesk:contact_form"), {
        "topic": "purchase", "email": "visiteur@example.com", "message": "Bonjour\x00", "seller_name": "x",
    })
    assert_styled_400(response)
    assert not ContactRequest.objects.exists()


def test_a_nul_byte_in_a_field_name_is_refused(roles):
    client = Client()
    client.force_login(roles["buyer"])
    assert_styled_400(client.post(reverse("claims:notifications_read"), {"x\x00y": "1"}))


def test_a_nul_byte_in_a_multipart_form_is_refused(roles):
    client = Client()
    client.force_login(roles["buyer"])
    # The test client sends a dict as multipart/form-data, the browsers' encoding for forms with files.
    assert_styled_400(client.post(reverse("helpdesk:contact_form"), {"topic": "purchase", "message": "\x00"}))


def test_the_400_page_speaks_the_visitors_language(roles, settings):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert_styled_400(client.get("/aide/recherche/?q=%00"), text="Bad request")


def test_text_without_nul_still_passes(roles):
    client = Client()
    client.force_login(roles["staff"])
    assert client.get(reverse("admin:orders_order_changelist") + "?status__exact=placed").status_code == 200
    assert client.get("/aide/recherche/", {"q": "colis \u00e9\u00e8 \U0001f389"}).status_code == 200
