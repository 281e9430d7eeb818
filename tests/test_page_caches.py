"""The page caches: the navbar's per-user part and the public pages, each forgotten as soon as what it shows changes."""
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Notification
from claims.notifications import mark_read, notify
from helpdesk.models import Article
from tests.factories import SellerFactory, UserFactory

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def get(client, url, language="fr"):
    client.cookies["django_language"] = language
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def article_edit(staff_client, article, title):
    url = reverse("admin:helpdesk_article_change", args=[article.pk])
    response = staff_client.post(url, {"category": article.category_id, "slug": article.slug,
                                       "language": article.language, "title": title, "summary": article.summary,
                                       "body": article.body, "position": article.position, "published": "on"})
    assert response.status_code == 302


# --- Public pages -------------------------------------------------------------------------------------------------

PUBLIC = [reverse("helpdesk:index"), reverse("helpdesk:article", args=["colis-non-recu"]),
          reverse("helpdesk:contact"), reverse("helpdesk:contact_form")]


@pytest.mark.parametrize("url", PUBLIC)
def test_a_public_page_is_served_again_from_the_cache_without_a_query_or_a_template(url):
    first = Client().get(url)
    with CaptureQueriesContext(connection) as queries:
        again = Client().get(url)
    assert first.templates and not again.templates and len(queries) == 0
    assert TOKEN.sub("", again.content.decode()) == TOKEN.sub("", first.content.decode())


def test_each_visitor_gets_their_own_csrf_token_and_the_cached_contact_form_can_be_sent(roles):
    get(Client(), reverse("helpdesk:contact_form"))  # cached by a first visitor
    visitor = Client(enforce_csrf_checks=True)
    html, queries = get(visitor, reverse("helpdesk:contact_form"))
    assert queries == 0 and "\x00" not in html
    tokens = set(TOKEN.findall(html))
    assert len(tokens) == 1  # the language switch and the form share the request's token
    response = visitor.post(reverse("helpdesk:contact_form"), {
        "csrfmiddlewaretoken": tokens.pop(), "topic": "other", "email": "visiteur@example.com",
        "message": "Une question sur ma commande, merci."})
    assert response.status_code == 302 and response["Location"] == reverse("helpdesk:contact_sent")


def test_pages_for_someone_are_never_the_cached_copy(client, roles):
    get(Client(), reverse("helpdesk:contact_form"))
    client.force_login(roles["buyer"])
    html, _ = get(client, reverse("helpdesk:contact_form"))
    assert 'name="order"' in html and 'name="email"' not in html  # the buyer's own form
    assert "Se déconnecter" in html
    anonymous = Client()
    html, _ = get(anonymous, reverse("helpdesk:contact_form") + "?commande=RK-2026-000001")
    assert 'name="order_number"' in html


def test_an_article_edited_in_the_admin_shows_at_once_on_the_cached_pages_in_both_languages(
        roles, django_capture_on_commit_callbacks):
    index, article_url = reverse("helpdesk:index"), reverse("helpdesk:article", args=["colis-non-recu"])
    for language in ("fr", "en"):
        for url in (index, article_url):
            get(Client(), url, language)
            assert get(Client(), url, language)[1] == 0  # cached
    staff = Client()
    staff.force_login(roles["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        article_edit(staff, Article.objects.get(slug="colis-non-recu", language="fr"), "Colis jamais arrivé")
        article_edit(staff, Article.objects.get(slug="colis-non-recu", language="en"), "Parcel never arrived")
    for language, title in (("fr", "Colis jamais arrivé"), ("en", "Parcel never arrived")):
        for url in (index, article_url):
            html, queries = get(Client(), url, language)
            assert title in html and queries > 0
            assert title in get(Client(), url, language)[0]  # and cached again, new


def test_an_unpublished_article_leaves_the_cached_index(roles, django_capture_on_commit_callbacks):
    index = reverse("helpdesk:index")
    assert reverse("helpdesk:article", args=["colis-non-recu"]) in get(Client(), index)[0]
    with django_capture_on_commit_callbacks(execute=True):
        for article in Article.objects.filter(slug="colis-non-recu"):
            article.published = False
            article.save()
    assert reverse("helpdesk:article", args=["colis-non-recu"]) not in get(Client(), index)[0]


def test_the_help_search_is_cached_per_query_and_language_and_follows_an_edited_article(
        roles, django_capture_on_commit_callbacks):
    search = reverse("helpdesk:search")
    html, cold = get(Client(), search + "?q=colis")
    again, warm = get(Client(), search + "?q=colis")
    assert cold > 0 and warm == 0 and TOKEN.sub("", again) == TOKEN.sub("", html)
    assert "« colis »" in html and "« Colis »" in get(Client(), search + "?q=Colis")[0]  # as typed
    assert get(Client(), search + "?q=colis", "en")[1] > 0  # one entry per language
    assert get(Client(), search + "?q=colis&page=2")[1] > 0  # a parameter the page does not name: not cached
    assert get(Client(), search + "?q=colis&q=remboursement")[1] > 0
    staff = Client()
    staff.force_login(roles["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        article_edit(staff, Article.objects.get(slug="colis-non-recu", language="fr"), "Colis jamais arrivé")
        article_edit(staff, Article.objects.get(slug="colis-non-recu", language="en"), "Parcel never arrived")
    for language, query, title in (("fr", "colis", "Colis jamais arrivé"), ("en", "parcel", "Parcel never arrived")):
        html, queries = get(Client(), f"{search}?q={query}", language)
        assert title in html and queries > 0
        cached, queries = get(Client(), f"{search}?q={query}", language)
        assert queries == 0 and TOKEN.sub("", cached) == TOKEN.sub("", html)  # and cached again, new


def test_a_signed_in_visitor_gets_a_fresh_help_search(client, roles):
    search = reverse("helpdesk:search") + "?q=colis"
    get(Client(), search)
    client.force_login(roles["buyer"])
    html, queries = get(client, search)
    assert queries > 0 and "Se déconnecter" in html


# --- The navbar -------------------------------------------------------------------------------------------------

def bell(html):
    match = re.search(r'data-testid="unread-count">(\d+)<', html)
    return int(match.group(1)) if match else 0


def test_the_navbar_is_cached_per_user_and_the_bell_follows_new_and_read_notifications(
        client, roles, django_capture_on_commit_callbacks):
    buyer = roles["buyer"]
    client.force_login(buyer)
    home = reverse("home")
    html, cold = get(client, home)
    _, warm = get(client, home)
    assert bell(html) == 0 and warm < cold
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[buyer], kind=Notification.Kind.MESSAGE, now=timezone.now(), order=roles["order"])
    assert bell(get(client, home)[0]) == 1
    other = Client()
    other.force_login(roles["other_buyer"])
    assert bell(get(other, home)[0]) == 0  # one fragment per user
    assert bell(get(client, home, "en")[0]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        mark_read(user=buyer, now=timezone.now())
    assert bell(get(client, home)[0]) == 0 and bell(get(client, home, "en")[0]) == 0


def test_the_navbar_shows_a_new_seller_profile_and_a_staff_flag_at_once(client, django_capture_on_commit_callbacks):
    user = UserFactory(username="future-seller")
    client.force_login(user)
    assert "nav-seller-space" not in get(client, reverse("home"))[0]
    with django_capture_on_commit_callbacks(execute=True):
        SellerFactory(user=user)
    assert "nav-seller-space" in get(client, reverse("home"))[0]
    with django_capture_on_commit_callbacks(execute=True):
        user.is_staff = True
        user.save()
    assert reverse("admin:index") in get(client, reverse("home"))[0]


def test_the_csrf_tokens_stay_outside_the_cached_navbar(client, roles):
    client.force_login(roles["buyer"])
    get(client, reverse("home"))
    html, _ = get(client, reverse("home"))
    assert html.count('name="csrfmiddlewaretoken"') == 2  # the language switch and the logout form, fresh


def test_a_claim_page_marks_its_notices_read_and_skips_the_update_when_the_navbar_counts_none(
        client, roles, django_capture_on_commit_callbacks):
    from tests.factories import make_claim

    buyer = roles["buyer"]
    with django_capture_on_commit_callbacks(execute=True):
        claim = make_claim(order=roles["order"])
    client.force_login(buyer)
    url = reverse("claims:detail", args=[claim.pk])
    get(client, url)
    _, none_unread = get(client, url)  # the navbar cached with 0 unread: no UPDATE of the notices
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[buyer], kind=Notification.Kind.MESSAGE, now=timezone.now(), claim=claim)
    with django_capture_on_commit_callbacks(execute=True):
        html, one_unread = get(client, url)
    assert one_unread > none_unread
    assert not Notification.objects.filter(recipient=buyer, claim=claim, read_at__isnull=True).exists()
    assert bell(get(client, reverse("home"))[0]) == 0
