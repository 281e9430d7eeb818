"""Uploads are served under a name ending in the extension we chose from their content, the uploader's name cleaned.

One response (rakuten_portal/private_files.py) serves claim and help-desk attachments alike.
"""
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from claims import domain
from claims.models import Proposal
from claims.photos import process_upload
from helpdesk.services import contact_request_create
from rakuten_portal.private_files import MAX_STEM_LENGTH, content_disposition, served_filename
from tests.factories import make_claim, make_order

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HOSTILE_NAMES = ["facture.hta", "facture.html", "facture.svg", "facture.exe", "facture.pdf.exe", "facture.PDF",
                 "C:\\Users\\moi\\facture.hta", "../../etc/facture.hta", "facture\u202eath.pdf", "facture\r\n.hta",
                 "facture\x00.hta", 'fac"ture".hta', "facture"]


def png_bytes(size=(40, 30)):
    buffer = BytesIO()
    Image.new("RGB", size, "green").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(("original", "content_type", "served"), [
    ("facture.hta", "application/pdf", "facture.pdf"),
    ("facture.html", "application/pdf", "facture.pdf"),
    ("facture.pdf", "application/pdf", "facture.pdf"),
    ("facture.pdf.exe", "application/pdf", "facture.pdf.pdf"),
    ("photo.svg", "image/png", "photo.png"),
    ("photo.exe", "image/jpeg", "photo.jpg"),
    ("photo.jpeg", "image/webp", "photo.webp"),
    ("C:\\Users\\moi\\Bureau\\facture.hta", "application/pdf", "facture.pdf"),
    ("../../etc/passwd", "application/pdf", "passwd.pdf"),
    ("facture\u202efdp.exe", "application/pdf", "facturefdp.pdf"),
    ("a\r\nSet-Cookie: x=1.hta", "application/pdf", "aSet-Cookie_ x=1.pdf"),
    ('bordereau "La Poste".pdf', "application/pdf", "bordereau _La Poste_.pdf"),
    ("a<b>c|d?e*f.hta", "application/pdf", "a_b_c_d_e_f.pdf"),
    ("", "application/pdf", "piece-jointe.pdf"),
    ("...", "image/png", "piece-jointe.png"),
    ("reçu  de   paiement.pdf", "application/pdf", "reçu de paiement.pdf"),
    ("page.html", "text/html", "page.bin"),
])
def test_the_served_name_ends_in_the_extension_of_the_content(original, content_type, served):
    assert served_filename(original, content_type) == served


def test_the_served_name_is_bounded():
    name = served_filename("é" * 5000 + ".hta", "application/pdf")
    assert name == "é" * MAX_STEM_LENGTH + ".pdf"


def test_the_header_has_an_ascii_name_and_the_utf8_one_when_they_differ():
    assert content_disposition("facture.pdf", as_attachment=True) == 'attachment; filename="facture.pdf"'
    assert content_disposition("reçu.pdf", as_attachment=False) == (
        "inline; filename=\"recu.pdf\"; filename*=UTF-8''re%C3%A7u.pdf")


@pytest.fixture
def claim_files(roles):
    """On one claim: a PDF receipt and a PNG photo, each uploaded under the given hostile name."""
    def make(name):
        order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], days_ago=20)
        claim = make_claim(order=order, reason="not_received",
                           photos=[process_upload(SimpleUploadedFile(name, png_bytes()))])
        pdf = process_upload(SimpleUploadedFile(name, PDF), allow_pdf=True)
        proposal = domain.claim_propose(claim_id=claim.pk, seller_user=roles["seller"],
                                        kind=Proposal.Kind.SHIPMENT_PROOF, carrier="La Poste", tracking_number="1A",
                                        receipt=[pdf], now=timezone.now())
        return {"pdf": proposal.attachments.get(), "image": claim.attachments.get(message=None, proposal=None)}
    return make


@pytest.fixture
def contact_files(roles):
    def make(name):
        files = [process_upload(SimpleUploadedFile(name, PDF), allow_pdf=True),
                 process_upload(SimpleUploadedFile(name, png_bytes()), allow_pdf=True)]
        contact = contact_request_create(topic="purchase", body="Ma facture", email=roles["buyer"].email,
                                         language="fr", now=timezone.now(), requester=roles["buyer"], files=files)
        return {"pdf": contact.attachments.get(kind="pdf"), "image": contact.attachments.get(kind="image")}
    return make


def assert_safe_disposition(header: str, extension: str, *, attachment: bool):
    assert header.startswith("attachment;" if attachment else "inline;"), header
    served = header.split('filename="', 1)[1].split('"', 1)[0]
    assert served.endswith(f".{extension}") and ".hta" not in served and ".exe" not in served, header
    assert not any(ch in served for ch in "/\\\r\n\x00\u202e"), header
    assert "\r" not in header and "\n" not in header


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("role", ["buyer", "staff"])
def test_a_claim_attachment_is_served_under_the_extension_of_its_content(client, roles, claim_files, name, role):
    files = claim_files(name)
    client.force_login(roles[role])
    pdf = client.get(reverse("claims:attachment", args=[files["pdf"].pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert_safe_disposition(pdf["Content-Disposition"], "pdf", attachment=True)
    image = client.get(reverse("claims:attachment", args=[files["image"].pk]))
    assert image["Content-Type"] == "image/png"
    assert_safe_disposition(image["Content-Disposition"], "png", attachment=False)
    thumbnail = client.get(reverse("claims:attachment_thumbnail", args=[files["image"].pk]))
    assert_safe_disposition(thumbnail["Content-Disposition"], thumbnail["Content-Type"].split("/")[1].replace(
        "jpeg", "jpg"), attachment=False)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("role", ["buyer", "staff"])
def test_a_helpdesk_attachment_is_served_under_the_extension_of_its_content(client, roles, contact_files, name, role):
    files = contact_files(name)
    client.force_login(roles[role])
    pdf = client.get(reverse("helpdesk:attachment", args=[files["pdf"].pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert_safe_disposition(pdf["Content-Disposition"], "pdf", attachment=True)
    image = client.get(reverse("helpdesk:attachment", args=[files["image"].pk]))
    assert_safe_disposition(image["Content-Disposition"], "png", attachment=False)


def test_a_stored_type_we_do_not_produce_is_a_download_of_bytes(client, roles, claim_files):
    attachment = claim_files("page.html")["image"]
    type(attachment).objects.filter(pk=attachment.pk).update(content_type="text/html")
    client.force_login(roles["buyer"])
    response = client.get(reverse("claims:attachment", args=[attachment.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="page.bin"'
