"""The chat panel's markup on the help pages (helpdesk/chat/_panel.html), for each role; the console's texts."""
import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpdesk.models import Article, Category
from helpdesk.shipped import load_shipped_articles

pytestmark = pytest.mark.django_db

HELP_PAGES = {
    "index": lambda: reverse("helpdesk:index"),
    "article": lambda: reverse("helpdesk:article", args=["colis-non-recu"]),
    "search": lambda: reverse("helpdesk:search") + "?q=colis",
    "contact page": lambda: reverse("helpdesk:contact"),
}
ROLES = ("anonymous", "buyer", "other_buyer", "seller", "other_seller", "staff")


@pytest.fixture(autouse=True)
def _articles(db):
    load_shipped_articles(Category, Article)


def get(client, roles, role, url):
    if role != "anonymous":
        client.force_login(roles[role])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("page", list(HELP_PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_every_help_page_carries_the_panel_and_its_script_for_every_role(client, roles, role, page):
    html = get(client, roles, role, HELP_PAGES[page]())
    assert 'id="chat-root"' in html
    assert f'data-state-url="{reverse("helpdesk:chat_state")}"' in html
    assert 'data-ws-path="/ws/chat/"' in html
    assert "/static/js/chat.js" in html and "/static/css/chat.css" in html
    # Opens by itself on the index only.
    assert f'data-auto-open="{"true" if page == "index" else "false"}"' in html
    # Hidden until the script runs: without JavaScript the page is as before.
    assert 'id="chat-panel" role="dialog" aria-modal="false" aria-labelledby="chat-title"' in html
    assert 'data-testid="chat-panel" hidden' in html and 'data-testid="chat-launcher" hidden' in html


@pytest.mark.parametrize("role", ROLES)
def test_a_visitor_gives_name_and_email_a_member_their_requests_link(client, roles, role):
    html = get(client, roles, role, reverse("helpdesk:index"))
    assert ('id="chat-name"' in html) is (role == "anonymous")
    assert ('id="chat-email"' in html) is (role == "anonymous")
    assert (f'href="{reverse("helpdesk:requests")}" data-chat-requests-link' in html) is (role != "anonymous")


@pytest.mark.parametrize("url", [lambda: "/", lambda: reverse("helpdesk:contact_form"), lambda: reverse("login")])
def test_pages_outside_the_help_centre_have_no_panel(client, url):
    assert 'id="chat-root"' not in client.get(url()).content.decode()


def test_the_panel_costs_no_query(roles):
    request = RequestFactory().get("/aide/")
    request.user = roles["buyer"]
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("helpdesk/chat/_panel.html", {"user": roles["buyer"], "chat_auto_open": True},
                                request=request)
    assert 'id="chat-root"' in html
    assert len(queries) == 0


def test_the_panel_and_its_script_texts_are_in_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("helpdesk:index")).content.decode()
    assert "Chat with an agent" in html
    assert 'data-chat-string="position">Your place in the queue: %(position)s<' in html
    assert "Votre place dans la file" not in html


def test_the_console_texts_are_in_english(client, roles, settings):
    client.force_login(roles["staff"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("admin:helpdesk_conversation_console"))
    assert response.status_code == 200  # the agent ("staff") holds the chat permission
    html = response.content.decode()
    assert "Waiting visitors" in html and "New visitor waiting: %(name)s (%(topic)s)" in html
    assert "/static/js/chat-console.js" in html
