"""The contact form: anonymous and logged-in requests, references, acknowledgements, bad input, abuse."""
import re
from datetime import datetime
from datetime import timezone as dt_timezone

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from helpdesk.models import ContactAttachment, ContactRequest, OutgoingEmail
from orders.models import Order
from tests.factories import make_order

from .conftest import pdf_upload, png_upload

pytestmark = pytest.mark.django_db
URL = reverse("helpdesk:contact_form")


def anonymous_data(**overrides):
    data = {"topic": "tracking", "email": "visiteur@example.com", "order_number": "",
            "seller_name": "", "message": "Bonjour, où en est ma commande ?", "website": ""}
    data.update(overrides)
    return data


def post(client, data, capture, **extra):
    with capture(execute=True):
        return client.post(URL, data, **extra)


def test_anonymous_visitor_gets_a_reference_and_an_acknowledgement(client, django_capture_on_commit_callbacks):
    response = post(client, anonymous_data(order_number="rk-2026-000123"), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    contact_request = ContactRequest.objects.get()
    assert re.fullmatch(r"SC-\d{4}-\d{6}", contact_request.reference)
    assert (contact_request.email, contact_request.order_number, contact_request.requester) == (
        "visiteur@example.com", "RK-2026-000123", None)
    page = client.get(response["Location"]).content.decode()
    assert contact_request.reference in page
    assert len(mail.outbox) == 1
    assert contact_request.reference in mail.outbox[0].subject
    assert mail.outbox[0].to == ["visiteur@example.com"]
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_references_follow_each_other(client, django_capture_on_commit_callbacks):
    post(client, anonymous_data(), django_capture_on_commit_callbacks)
    post(client, anonymous_data(), django_capture_on_commit_callbacks)
    first, second = ContactRequest.objects.order_by("pk").values_list("reference", flat=True)
    assert int(second.rsplit("-", 1)[1]) == int(first.rsplit("-", 1)[1]) + 1


def test_anonymous_order_number_is_checked_for_format_only(client, django_capture_on_commit_callbacks):
    # A well-formed number that matches no order is accepted: we never say whether an order exists.
    assert post(client, anonymous_data(order_number="RK-2026-999999"), django_capture_on_commit_callbacks).status_code == 302
    response = post(client, anonymous_data(order_number="123456"), django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Un numéro de commande a la forme RK-2026-000123." in response.content.decode()


def test_anonymous_visitor_must_give_an_email_and_keeps_what_they_typed(client):
    response = client.post(URL, anonymous_data(email="", message="Mon message très important"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in html
    assert "Mon message très important" in html
    assert not ContactRequest.objects.exists()


def test_logged_in_buyer_picks_their_order_and_the_seller_is_filled_in(client, roles, django_capture_on_commit_callbacks):
    order = roles["order"]
    client.force_login(roles["buyer"])
    form_page = client.get(URL).content.decode()
    assert order.number in form_page and 'name="email"' not in form_page
    response = post(client, {"topic": "purchase", "order": order.number, "seller_name": "Quelqu'un d'autre",
                             "message": "L'article ne correspond pas."}, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    contact_request = ContactRequest.objects.get()
    assert contact_request.order == order
    assert contact_request.seller_name == roles["seller_profile"].display_name
    assert (contact_request.requester, contact_request.email) == (roles["buyer"], roles["buyer"].email)


def test_buyer_cannot_pick_another_buyers_order(client, roles):
    other_order = make_order(buyer=roles["other_buyer"])
    client.force_login(roles["buyer"])
    response = client.post(URL, {"topic": "purchase", "order": other_order.number, "message": "Une question ?"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not ContactRequest.objects.exists()


def test_order_choice_is_limited_to_the_50_latest(client, roles):
    for days in range(55):
        make_order(buyer=roles["buyer"], seller=roles["seller_profile"], days_ago=days + 1)
    client.force_login(roles["buyer"])
    form = client.get(URL).context["form"]
    latest = list(Order.objects.filter(buyer=roles["buyer"]).order_by("-purchased_at")[:50])
    offered = [value for value, _label in form.fields["order"].choices if value]
    assert [str(value) for value in offered] == [order.number for order in latest]
    assert form.fields["order"].choices[0][0] == ""  # "no order in particular" first


def test_an_order_is_offered_with_the_day_it_was_bought_in_paris(client, roles):
    """Bought at 23:30 UTC on 31 December 2026: 1 January 2027 in Paris, in the contact form and in the chat."""
    bought = datetime(2026, 12, 31, 23, 30, tzinfo=dt_timezone.utc)
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], days_ago=0, now=bought)
    client.force_login(roles["buyer"])
    labels = dict(client.get(URL).context["form"].fields["order"].choices)
    assert labels[order.number] == f"{order.number} — {roles['seller_profile'].display_name} — 01/01/2027"


def test_photo_and_pdf_are_stored_privately(client, roles, django_capture_on_commit_callbacks):
    client.force_login(roles["buyer"])
    post(client, {"topic": "other", "message": "Voici les pièces.", "attachments": [png_upload(), pdf_upload()]},
         django_capture_on_commit_callbacks)
    kinds = sorted(ContactAttachment.objects.values_list("kind", "original_name"))
    assert kinds == [("image", "photo.png"), ("pdf", "facture.pdf")]
    image = ContactAttachment.objects.get(kind="image")
    assert image.file.name.startswith("helpdesk/") and "photo" not in image.file.name and image.thumbnail


def test_twenty_megabyte_file_is_refused_by_name_and_the_form_is_kept(client):
    big = SimpleUploadedFile("enorme.jpg", b"\xff\xd8\xff" + b"0" * (20 * 1024 * 1024), content_type="image/jpeg")
    response = client.post(URL, {**anonymous_data(message="Texte à garder absolument"), "attachments": [big]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "« enorme.jpg » dépasse la taille maximale de 10 Mo." in html
    assert "sélectionnez de nouveau les fichiers" in html
    assert "Texte à garder absolument" in html and "visiteur@example.com" in html
    assert not ContactRequest.objects.exists()


def test_executable_renamed_pdf_is_refused(client):
    fake = SimpleUploadedFile("facture.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    response = client.post(URL, {**anonymous_data(), "attachments": [fake]})
    assert "« facture.pdf » n&#x27;est ni une image JPEG, PNG ou WebP, ni un PDF." in response.content.decode()
    assert not ContactRequest.objects.exists()


def test_filled_honeypot_pretends_success_and_keeps_nothing(client, django_capture_on_commit_callbacks):
    response = post(client, anonymous_data(website="http://spam.example"), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("helpdesk:contact_sent")
    assert not ContactRequest.objects.exists()
    assert mail.outbox == []


def test_honeypot_field_is_hidden_from_people_and_assistive_technology(client):
    """The markup the stylesheet and screen readers rely on; the browser test checks it is drawn off the page."""
    html = client.get(URL).content.decode()
    wrapper = re.search(r'<div[^>]*class="honeypot"[^>]*>(.*?)</div>', html, re.S)
    assert wrapper and 'aria-hidden="true"' in wrapper.group(0)
    assert re.search(r'<input[^>]*name="website"[^>]*tabindex="-1"|<input[^>]*tabindex="-1"[^>]*name="website"', html)


def test_sixth_request_in_an_hour_from_one_ip_is_refused_with_the_form_kept(client, django_capture_on_commit_callbacks):
    for _ in range(5):
        assert post(client, anonymous_data(), django_capture_on_commit_callbacks).status_code == 302
    response = post(client, anonymous_data(message="Le sixième message"), django_capture_on_commit_callbacks)
    html = response.content.decode()
    assert response.status_code == 429
    assert "Vous avez envoyé trop de demandes en peu de temps" in html
    assert "Le sixième message" in html
    assert ContactRequest.objects.count() == 5


def test_rate_limit_counts_per_ip(client, django_capture_on_commit_callbacks):
    for _ in range(5):
        post(client, anonymous_data(), django_capture_on_commit_callbacks, REMOTE_ADDR="10.0.0.1")
    assert post(client, anonymous_data(), django_capture_on_commit_callbacks, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_rate_limit_counts_per_account_whatever_the_ip(client, roles, django_capture_on_commit_callbacks):
    client.force_login(roles["buyer"])
    data = {"topic": "account", "message": "Question sur mon compte"}
    for n in range(5):
        assert post(client, data, django_capture_on_commit_callbacks, REMOTE_ADDR=f"10.0.1.{n}").status_code == 302
    assert post(client, data, django_capture_on_commit_callbacks, REMOTE_ADDR="10.0.1.99").status_code == 429


def test_invalid_posts_do_not_use_up_the_quota(client, django_capture_on_commit_callbacks):
    for _ in range(6):
        client.post(URL, anonymous_data(email=""))
    assert post(client, anonymous_data(), django_capture_on_commit_callbacks).status_code == 302


def test_rate_is_a_setting(client, settings, django_capture_on_commit_callbacks):
    settings.HELPDESK_CONTACT_RATE = "1/h"
    assert post(client, anonymous_data(), django_capture_on_commit_callbacks).status_code == 302
    assert post(client, anonymous_data(), django_capture_on_commit_callbacks).status_code == 429


def test_sent_page_without_a_request_shows_no_reference(client):
    response = client.get(reverse("helpdesk:contact_sent"))
    assert response.status_code == 200 and 'data-testid="reference"' not in response.content.decode()
