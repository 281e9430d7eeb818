"""The authorised attachment view: the claim's buyer, seller and staff only, with safe headers."""
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from claims import domain
from claims.domain import save_attachments
from claims.models import Proposal
from claims.photos import process_upload
from tests.factories import make_claim, make_order

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def processed_png(name="photo.png"):
    buffer = BytesIO()
    Image.new("RGB", (800, 600), "green").save(buffer, "PNG")
    return process_upload(SimpleUploadedFile(name, buffer.getvalue()))


@pytest.fixture
def claim(roles):
    return make_claim(order=roles["order"], photos=[processed_png()])


@pytest.fixture
def photo(claim):
    return claim.attachments.get()


@pytest.fixture
def receipt(roles):
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], days_ago=20)
    claim = make_claim(order=order, reason="not_received")
    pdf = process_upload(SimpleUploadedFile('bordereau "La Poste".pdf', PDF), allow_pdf=True)
    proposal = domain.claim_propose(claim_id=claim.pk, seller_user=roles["seller"], kind=Proposal.Kind.SHIPMENT_PROOF,
                                    carrier="La Poste", tracking_number="1A", receipt=[pdf], now=timezone.now())
    return proposal.attachments.get()


ROLE_STATUS = [("buyer", 200), ("other_buyer", 404), ("seller", 200), ("other_seller", 404), ("staff", 200)]


@pytest.mark.parametrize("view", ["claims:attachment", "claims:attachment_thumbnail"])
@pytest.mark.parametrize("role, status", ROLE_STATUS)
def test_a_photo_is_served_to_the_claims_parties_and_staff_only(client, roles, photo, view, role, status):
    client.force_login(roles[role])
    assert client.get(reverse(view, args=[photo.pk])).status_code == status


@pytest.mark.parametrize("role, status", ROLE_STATUS)
def test_a_pdf_receipt_is_served_to_the_claims_parties_and_staff_only(client, roles, receipt, role, status):
    client.force_login(roles[role])
    assert client.get(reverse("claims:attachment", args=[receipt.pk])).status_code == status


@pytest.mark.parametrize("view", ["claims:attachment", "claims:attachment_thumbnail"])
def test_anonymous_visitors_are_sent_to_login(client, photo, view):
    response = client.get(reverse(view, args=[photo.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_image_is_served_inline_with_its_type_nosniff_and_private_caching(client, roles, photo):
    client.force_login(roles["buyer"])
    response = client.get(reverse("claims:attachment", args=[photo.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response["Content-Disposition"] == 'inline; filename="photo.png"'
    body = b"".join(response.streaming_content)
    assert Image.open(BytesIO(body)).size == (800, 600)


def test_the_thumbnail_is_a_small_image(client, roles, photo):
    client.force_login(roles["seller"])
    response = client.get(reverse("claims:attachment_thumbnail", args=[photo.pk]))
    assert response["Content-Type"] in ("image/jpeg", "image/png")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert max(Image.open(BytesIO(b"".join(response.streaming_content))).size) <= 400


def test_a_pdf_is_a_download_with_a_safe_filename(client, roles, receipt):
    client.force_login(roles["buyer"])
    response = client.get(reverse("claims:attachment", args=[receipt.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bordereau _La Poste_.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_a_pdf_has_no_thumbnail(client, roles, receipt):
    client.force_login(roles["buyer"])
    assert client.get(reverse("claims:attachment_thumbnail", args=[receipt.pk])).status_code == 404


def test_an_internal_notes_attachment_is_for_staff_only(client, roles, claim):
    note = domain.claim_add_note(claim_id=claim.pk, agent=roles["staff"], body="Capture", now=timezone.now())
    (attachment,) = save_attachments(claim=claim, files=[processed_png()], uploaded_by=roles["staff"], message=note)
    url = reverse("claims:attachment", args=[attachment.pk])
    for role, status in [("buyer", 404), ("seller", 404), ("staff", 200)]:
        client.force_login(roles[role])
        assert client.get(url).status_code == status


def test_an_unknown_attachment_or_a_missing_file_is_a_404(client, roles, photo):
    client.force_login(roles["staff"])
    assert client.get(reverse("claims:attachment", args=[999999])).status_code == 404
    photo.file.storage.delete(photo.file.name)
    assert client.get(reverse("claims:attachment", args=[photo.pk])).status_code == 404


def test_stored_names_are_random_and_say_nothing_of_the_upload(photo):
    assert "photo" not in photo.file.name
    assert photo.file.name.startswith("claims/")
