"""Agents in the admin: find requests, triage them, answer (e-mailed and kept), edit articles."""
import pytest
from django.core import mail
from django.urls import reverse

from helpdesk.models import Article, ContactMessage, ContactRequest, OutgoingEmail

from .test_requests import make_request

pytestmark = pytest.mark.django_db


def change_data(contact_request, **fields):
    """The admin change form's POST, with the management forms of its read-only inlines."""
    messages = list(contact_request.messages.all())
    emails = list(contact_request.emails.all())
    data = {"status": contact_request.status, "assigned_to": contact_request.assigned_to_id or "", "reply": "",
            "messages-TOTAL_FORMS": len(messages), "messages-INITIAL_FORMS": len(messages),
            "emails-TOTAL_FORMS": len(emails), "emails-INITIAL_FORMS": len(emails)}
    for prefix, rows in (("messages", messages), ("emails", emails)):
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = row.pk
            data[f"{prefix}-{index}-request"] = contact_request.pk
    data.update(fields)
    return data


def test_agent_answer_in_the_admin_is_emailed_and_kept(client, roles, django_capture_on_commit_callbacks):
    contact_request = make_request(roles["buyer"], order=roles["order"])
    mail.outbox.clear()
    client.force_login(roles["staff"])
    url = reverse("admin:helpdesk_contactrequest_change", args=[contact_request.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, change_data(contact_request, reply="Nous avons contacté le vendeur."))
    assert response.status_code == 302, response.content.decode()[:2000]
    contact_request.refresh_from_db()
    assert contact_request.status == ContactRequest.Status.WAITING_CUSTOMER
    assert contact_request.assigned_to == roles["staff"]
    reply = contact_request.messages.last()
    assert (reply.role, reply.author, reply.body) == (ContactMessage.Role.AGENT, roles["staff"],
                                                      "Nous avons contacté le vendeur.")
    assert [m.to for m in mail.outbox] == [[roles["buyer"].email]]
    assert "Nous avons contacté le vendeur." in mail.outbox[0].body


def test_agent_may_answer_and_close_at_once(client, roles, django_capture_on_commit_callbacks):
    contact_request = make_request(roles["buyer"])
    client.force_login(roles["staff"])
    url = reverse("admin:helpdesk_contactrequest_change", args=[contact_request.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, change_data(contact_request, status="closed", reply="Bonne journée."))
    contact_request.refresh_from_db()
    assert contact_request.status == ContactRequest.Status.CLOSED
    assert contact_request.emails.filter(kind=OutgoingEmail.Kind.AGENT_REPLY).count() == 1


def test_triage_without_reply_sends_nothing(client, roles, django_capture_on_commit_callbacks):
    contact_request = make_request(roles["buyer"])
    mail.outbox.clear()
    client.force_login(roles["staff"])
    url = reverse("admin:helpdesk_contactrequest_change", args=[contact_request.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, change_data(contact_request, status="in_progress", assigned_to=roles["staff"].pk))
    contact_request.refresh_from_db()
    assert (contact_request.status, contact_request.assigned_to) == ("in_progress", roles["staff"])
    assert mail.outbox == [] and contact_request.messages.count() == 1


@pytest.fixture
def two_requests(roles):
    """The buyer's new purchase question about their order, and another buyer's tracking question in progress."""
    wanted = make_request(roles["buyer"], order=roles["order"])
    other = make_request(roles["other_buyer"], topic="tracking")
    ContactRequest.objects.filter(pk=other.pk).update(status=ContactRequest.Status.IN_PROGRESS)
    return wanted, other


@pytest.mark.parametrize("query, shown", [
    ({}, {"wanted", "other"}),
    ({"status__exact": "new"}, {"wanted"}), ({"status__exact": "in_progress"}, {"other"}),
    ({"topic__exact": "purchase"}, {"wanted"}), ({"topic__exact": "tracking"}, {"other"}),
    ({"q": "SC-"}, {"wanted", "other"}),
    ({"q": "wanted.reference"}, {"wanted"}), ({"q": "other-buyer@example.com"}, {"other"}), ({"q": "RK-"}, {"wanted"}),
])
def test_agents_filter_and_search_requests(client, roles, two_requests, query, shown):
    requests = dict(zip(("wanted", "other"), two_requests))
    if query.get("q") == "wanted.reference":
        query = {"q": requests["wanted"].reference}
    client.force_login(roles["staff"])
    response = client.get(reverse("admin:helpdesk_contactrequest_changelist"), query)
    assert response.status_code == 200
    page = response.content.decode()
    for name, contact_request in requests.items():
        assert (contact_request.reference in page) == (name in shown), name


def test_search_by_seller_name_finds_the_request(client, roles):
    contact_request = make_request(roles["buyer"], order=roles["order"])
    client.force_login(roles["staff"])
    response = client.get(reverse("admin:helpdesk_contactrequest_changelist"),
                          {"q": roles["seller_profile"].display_name})
    assert contact_request.reference in response.content.decode()


def test_change_page_shows_the_thread_and_files(client, roles):
    from .conftest import png_upload

    contact_request = make_request(roles["buyer"], files=[png_upload()])
    client.force_login(roles["staff"])
    response = client.get(reverse("admin:helpdesk_contactrequest_change", args=[contact_request.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ma question" in html and "photo.png" in html and 'name="reply"' in html


def test_agents_edit_articles_in_the_admin(client, roles):
    article = Article.objects.get(slug="colis-non-recu", language="fr")
    client.force_login(roles["staff"])
    url = reverse("admin:helpdesk_article_change", args=[article.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"category": article.category_id, "slug": article.slug, "language": "fr",
                                 "title": "Colis pas reçu", "summary": article.summary, "body": article.body,
                                 "position": 5, "published": "on"})
    assert response.status_code == 302
    assert client.get(reverse("helpdesk:article", args=["colis-non-recu"])).content.decode().count("Colis pas reçu") >= 1


def test_customers_cannot_open_the_admin(client, roles):
    client.force_login(roles["buyer"])
    response = client.get(reverse("admin:helpdesk_contactrequest_changelist"))
    assert response.status_code == 302
