"""'Mes demandes': the buyer's requests, the thread, replies, attachments; access per role and query counts."""
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.photos import process_uploads
from helpdesk.models import ContactMessage, ContactRequest
from helpdesk.services import contact_request_answer, contact_request_create
from tests.factories import StaffFactory, make_order

from .conftest import pdf_upload, png_upload

pytestmark = pytest.mark.django_db


def make_request(user, *, files=(), order=None, **fields):
    accepted, _rejected = process_uploads(list(files), allow_pdf=True)
    defaults = dict(topic="purchase", body="Ma question", email=user.email, language="fr", now=timezone.now(),
                    requester=user, order=order, files=accepted)
    defaults.update(fields)
    return contact_request_create(**defaults)


@pytest.fixture
def owned(roles):
    """The buyer's request about their order, with a photo and a PDF."""
    return make_request(roles["buyer"], order=roles["order"], files=[png_upload(), pdf_upload()])


def detail_url(contact_request):
    return reverse("helpdesk:request_detail", args=[contact_request.reference])


def owner_only_urls(contact_request):
    image = contact_request.attachments.get(kind="image")
    pdf = contact_request.attachments.get(kind="pdf")
    return [detail_url(contact_request), reverse("helpdesk:attachment", args=[image.pk]),
            reverse("helpdesk:attachment_thumbnail", args=[image.pk]), reverse("helpdesk:attachment", args=[pdf.pk])]


@pytest.mark.parametrize(("role", "expected"), [
    ("buyer", 200), ("other_buyer", 404), ("seller", 404), ("other_seller", 404), ("staff", 200),
])
def test_request_and_its_files_open_for_the_owner_and_staff_only(client, roles, owned, role, expected):
    client.force_login(roles[role])
    for url in owner_only_urls(owned):
        assert client.get(url).status_code == expected, url


def test_anonymous_visitor_is_sent_to_login_for_requests_and_files(client, owned):
    for url in [reverse("helpdesk:requests"), *owner_only_urls(owned)]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("role", ["buyer", "other_buyer", "seller", "other_seller", "staff"])
def test_public_help_pages_open_for_every_role(client, roles, role):
    client.force_login(roles[role])
    for url in [reverse("helpdesk:index"), reverse("helpdesk:article", args=["colis-non-recu"]),
                reverse("helpdesk:search") + "?q=colis", reverse("helpdesk:contact"), reverse("helpdesk:contact_form")]:
        assert client.get(url).status_code == 200, url


def test_public_help_pages_open_for_anonymous_visitors(client):
    for url in [reverse("helpdesk:index"), reverse("helpdesk:article", args=["colis-non-recu"]),
                reverse("helpdesk:search") + "?q=colis", reverse("helpdesk:contact"), reverse("helpdesk:contact_form")]:
        assert client.get(url).status_code == 200, url


def test_malformed_reference_is_404(client, roles):
    client.force_login(roles["buyer"])
    assert client.get(reverse("helpdesk:request_detail", args=["nimporte"])).status_code == 404


def test_my_requests_lists_only_mine(client, roles, owned):
    theirs = make_request(roles["other_buyer"])
    client.force_login(roles["buyer"])
    html = client.get(reverse("helpdesk:requests")).content.decode()
    assert owned.reference in html and theirs.reference not in html


def test_files_are_served_privately_and_never_sniffed(client, roles, owned):
    client.force_login(roles["buyer"])
    image = owned.attachments.get(kind="image")
    response = client.get(reverse("helpdesk:attachment", args=[image.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    pdf = client.get(reverse("helpdesk:attachment", args=[owned.attachments.get(kind="pdf").pk]))
    assert pdf["Content-Disposition"].startswith("attachment")


def test_owner_replies_and_the_request_goes_back_to_the_agents(client, roles, owned, django_capture_on_commit_callbacks):
    contact_request_answer(contact_request=owned, agent=roles["staff"], body="Pouvez-vous préciser ?", now=timezone.now())
    client.force_login(roles["buyer"])
    response = client.post(detail_url(owned), {"message": "Voici la précision.", "attachments": [png_upload()]})
    assert response.status_code == 302
    owned.refresh_from_db()
    assert owned.status == ContactRequest.Status.IN_PROGRESS
    last = owned.messages.last()
    assert (last.role, last.body, last.attachments.count()) == (ContactMessage.Role.CUSTOMER, "Voici la précision.", 1)


def test_reply_with_a_bad_file_keeps_the_text(client, roles, owned):
    client.force_login(roles["buyer"])
    bad = SimpleUploadedFile("virus.pdf", b"MZ" + b"\x00" * 50, content_type="application/pdf")
    response = client.post(detail_url(owned), {"message": "Mon texte gardé", "attachments": [bad]})
    html = response.content.decode()
    assert response.status_code == 200 and "« virus.pdf »" in html and "Mon texte gardé" in html
    assert owned.messages.count() == 1


def test_closed_request_cannot_be_replied_to(client, roles, owned):
    ContactRequest.objects.filter(pk=owned.pk).update(status=ContactRequest.Status.CLOSED)
    client.force_login(roles["buyer"])
    response = client.post(detail_url(owned), {"message": "Encore moi"}, follow=True)
    assert "Cette demande est close" in response.content.decode()
    assert owned.messages.count() == 1


def test_staff_read_but_cannot_reply_as_the_customer(client, roles, owned):
    client.force_login(roles["staff"])
    assert client.post(detail_url(owned), {"message": "Je me fais passer pour le client"}).status_code == 404
    assert owned.messages.count() == 1


def test_agent_answer_is_kept_and_emailed_and_awaits_the_customer(roles, owned, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        contact_request_answer(contact_request=owned, agent=roles["staff"], body="Remboursement en cours.",
                               now=timezone.now())
    owned.refresh_from_db()
    assert owned.status == ContactRequest.Status.WAITING_CUSTOMER
    assert owned.assigned_to == roles["staff"]
    assert owned.messages.last().body == "Remboursement en cours."
    assert len(mail.outbox) == 1 and "Remboursement en cours." in mail.outbox[0].body
    assert detail_url(owned) in mail.outbox[0].body


def _count(client, url):
    client.get(url)  # warm: the user's navbar fragment is cached after a first page
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_request_pages_make_the_same_number_of_queries_with_one_or_many_rows(client, roles):
    buyer = roles["buyer"]
    client.force_login(buyer)
    one = make_request(buyer, files=[png_upload()])
    counts_one = [_count(client, reverse("helpdesk:requests")), _count(client, detail_url(one)),
                  _count(client, reverse("helpdesk:contact_form"))]
    many = make_request(buyer, files=[png_upload(), pdf_upload()])
    for n in range(6):
        make_request(buyer)
        contact_request_answer(contact_request=many, agent=roles["staff"], body=f"Réponse {n}", now=timezone.now())
    for n in range(3):
        make_order(buyer=buyer, seller=roles["seller_profile"], days_ago=n + 1)
    counts_many = [_count(client, reverse("helpdesk:requests")), _count(client, detail_url(many)),
                   _count(client, reverse("helpdesk:contact_form"))]
    assert counts_one == counts_many


def test_attachment_view_makes_the_same_number_of_queries_for_any_request(client, roles):
    client.force_login(roles["buyer"])
    small = make_request(roles["buyer"], files=[png_upload()])
    big = make_request(roles["buyer"], files=[png_upload() for _ in range(5)])
    urls = [reverse("helpdesk:attachment", args=[r.attachments.first().pk]) for r in (small, big)]
    assert _count(client, urls[0]) == _count(client, urls[1])


def test_staff_see_requests_of_anyone(client, roles, owned):
    client.force_login(StaffFactory(username="agent2"))
    assert client.get(detail_url(owned)).status_code == 200
