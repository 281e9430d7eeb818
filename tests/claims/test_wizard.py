"""The claim wizard: every reason end to end, photos, going back, eligibility, double submit, roles, queries."""
import os
import time
from datetime import datetime, timedelta
from io import BytesIO

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone
from PIL import Image

from claims.business_days import PARIS, business_deadline
from claims.models import Attachment, Claim, Notification
from claims.wizard import TMP_FOLDER, purge_abandoned_wizard_files
from orders.models import Order
from tests.factories import ListingFactory, make_claim, make_order

pytestmark = pytest.mark.django_db


def jpeg(name="photo.jpg", size=(64, 48), color="red"):
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def not_an_image(name="notes.jpg"):
    return SimpleUploadedFile(name, b"<html>not a photo</html>", content_type="image/jpeg")


class Wizard:
    """Drives the wizard with the test client, one POST per step, as a browser would."""

    def __init__(self, client, order):
        self.client, self.order = client, order
        self.url = reverse("claims:wizard", args=[order.number])
        self.prefix = f"claim_wizard_{order.pk}"
        self.token = None

    def start(self):
        response = self.client.get(self.url)
        if response.status_code == 200:
            self.token = response.context["token"]
        return response

    def post(self, step, data=None, goto=None, token=None, **files):
        payload = {f"{self.prefix}-current_step": step, "submission_token": token or self.token}
        for name, value in (data or {}).items():
            payload[f"{step}-{name}"] = value
        for name, value in files.items():
            payload[f"{step}-{name}"] = value
        if goto:
            payload["wizard_goto_step"] = goto
        return self.client.post(self.url, payload)

    def run(self, reason, *, other_kind="", items=None, details=None, photos=None):
        """Fill every step the reason asks for; return the last response."""
        self.start()
        response = self.post("reason", {"reason": reason, "other_kind": other_kind})
        while response.status_code == 200:
            step = response.context["step_name"]
            if step == "items":
                response = self.post("items", {"items": items or [line.pk for line in self.order.lines.all()]})
            elif step == "details":
                response = self.post("details", details or {"description": "Écran fissuré"})
            elif step == "photos":
                response = self.post("photos", photos=photos or [])
            elif step == "review":
                return self.post("review")
            else:
                return response
            assert not response.context or response.context["step_name"] != step, response.context["form"].errors
        return response


def login(client, user):
    client.force_login(user)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def buyer_client(client, roles):
    login(client, roles["buyer"])
    return client


# --- each reason end to end ----------------------------------------------------


@pytest.mark.parametrize("reason, other_kind, details, steps", [
    ("damaged", "", {"description": "L'écran ne s'allume plus."}, ["reason", "items", "details", "photos", "review"]),
    ("different", "", {"description": "Couleur bleue au lieu de rouge.", "received_reference": "REF-42"},
     ["reason", "items", "details", "photos", "review"]),
    ("counterfeit", "", {"description": "Logo mal imprimé."}, ["reason", "details", "photos", "review"]),
    ("other", "surtax", {"description": "J'ai payé 12 € au livreur."}, ["reason", "details", "photos", "review"]),
    ("other", "missing_items", {"description": "Il manque un article."}, ["reason", "items", "details", "photos", "review"]),
])
def test_each_reason_opens_a_claim_and_lands_on_the_claim_page(buyer_client, roles, reason, other_kind, details, steps):
    order = roles["order"]
    wizard = Wizard(buyer_client, order)
    wizard.start()
    seen = ["reason"]
    response = wizard.post("reason", {"reason": reason, "other_kind": other_kind})
    while response.status_code == 200:
        step = response.context["step_name"]
        seen.append(step)
        assert response.context["wizard"]["steps"].count == len(steps)
        if step == "items":
            response = wizard.post("items", {"items": [line.pk for line in order.lines.all()]})
        elif step == "details":
            response = wizard.post("details", details)
        elif step == "photos":
            response = wizard.post("photos", photos=[jpeg()])
        else:
            response = wizard.post("review")
    assert seen == steps
    claim = Claim.objects.get(order=order)
    assert response.url == reverse("claims:detail", args=[claim.pk])
    assert claim.reason == reason and claim.other_kind == other_kind
    assert claim.description == details["description"]
    assert claim.received_reference == details.get("received_reference", "")
    assert claim.attachments.count() == 1
    assert claim.items.count() == (1 if "items" in steps else 0)
    deadline = formats.date_format(timezone.localtime(claim.seller_deadline), "l j F Y")
    assert messages_of(response) == [
        f"Votre réclamation a été transmise au vendeur. Il a jusqu'au {deadline} pour vous répondre."
    ]


def test_not_received_asks_items_and_no_photos(client, roles):
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], days_ago=20)
    login(client, roles["buyer"])
    wizard = Wizard(client, order)
    wizard.start()
    response = wizard.post("reason", {"reason": "not_received"})
    assert response.context["step_name"] == "items"
    assert response.context["wizard"]["steps"].count == 4
    response = wizard.post("items", {"items": [order.lines.get().pk]})
    assert response.context["step_name"] == "details"
    assert b"Contacter le vendeur" in response.content
    response = wizard.post("details", {"description": ""})
    assert response.context["step_name"] == "review"
    response = wizard.post("review")
    claim = Claim.objects.get(order=order)
    assert claim.reason == Claim.Reason.NOT_RECEIVED and claim.items.count() == 1
    assert response.url == reverse("claims:detail", args=[claim.pk])


def test_claim_stores_the_seller_deadline_of_three_business_days_and_notifies_the_seller(buyer_client, roles):
    # Filed on Tuesday 23 December 2025 at 10:00; worked out by hand: Wed 24 (1), Thu 25 is Christmas,
    # Fri 26 (2), Mon 29 (3): the seller has until Monday 29 December 2025, 23:59:59 Paris time.
    filed = datetime(2025, 12, 23, 10, 0, tzinfo=PARIS)
    with time_machine.travel(filed, tick=False):
        order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], days_ago=5)
        Wizard(buyer_client, order).run("damaged")
    claim = Claim.objects.get()
    assert claim.opened_at == filed
    deadline = timezone.localtime(claim.seller_deadline)
    assert (deadline.date().isoformat(), deadline.strftime("%H:%M:%S")) == ("2025-12-29", "23:59:59")
    assert Notification.objects.filter(recipient=roles["seller"], claim=claim, kind=Notification.Kind.CLAIM_OPENED).exists()


# --- steps' own rules ----------------------------------------------------------


def test_other_reason_requires_its_kind(buyer_client, roles):
    wizard = Wizard(buyer_client, roles["order"])
    wizard.start()
    response = wizard.post("reason", {"reason": "other"})
    assert response.context["step_name"] == "reason"
    assert "Précisez la nature du problème." in response.context["form"].errors["other_kind"]


def test_items_step_requires_an_item_of_this_order(buyer_client, roles):
    stranger_line = make_order().lines.get()
    wizard = Wizard(buyer_client, roles["order"])
    wizard.start()
    wizard.post("reason", {"reason": "damaged"})
    response = wizard.post("items", {"items": []})
    assert response.context["form"].errors["items"] == ["Cochez au moins un article."]
    response = wizard.post("items", {"items": [stranger_line.pk]})
    assert response.context["step_name"] == "items"


def test_different_requires_the_reference_received(buyer_client, roles):
    wizard = Wizard(buyer_client, roles["order"])
    wizard.start()
    wizard.post("reason", {"reason": "different"})
    wizard.post("items", {"items": [roles["order"].lines.get().pk]})
    response = wizard.post("details", {"description": "Mauvaise couleur"})
    assert response.context["step_name"] == "details"
    assert "received_reference" in response.context["form"].errors


def test_details_step_shows_the_reasons_advice(buyer_client, roles):
    wizard = Wizard(buyer_client, roles["order"])
    wizard.start()
    wizard.post("reason", {"reason": "damaged"})
    response = wizard.post("items", {"items": [roles["order"].lines.get().pk]})
    assert "lettre recommandée" in response.content.decode()
    assert "Étape 3 sur 5" in response.content.decode()


# --- photos --------------------------------------------------------------------


def test_bad_file_among_good_ones_is_named_and_the_good_one_and_the_description_are_kept(buyer_client, roles):
    wizard = Wizard(buyer_client, roles["order"])
    wizard.start()
    wizard.post("reason", {"reason": "damaged"})
    wizard.post("items", {"items": [roles["order"].lines.get().pk]})
    wizard.post("details", {"description": "Coque fendue"})
    response = wizard.post("photos", photos=[jpeg("bon.jpg"), not_an_image("faux.jpg")])
    assert response.context["step_name"] == "photos"
    errors = response.context["form"].errors["photos"]
    assert errors == ["« faux.jpg » n'est pas une image JPEG, PNG ou WebP."]
    assert [photo["name"] for photo in response.context["photos"]] == ["bon.jpg"]
    assert "1 photo déjà jointe" in response.content.decode()
    response = wizard.post("photos")
    assert response.context["step_name"] == "review"
    assert "Coque fendue" in response.content.decode()
    wizard.post("review")
    claim = Claim.objects.get()
    assert claim.description == "Coque fendue"
    assert list(claim.attachments.values_list("original_name", flat=True)) == ["bon.jpg"]


def test_at_most_ten_photos_in_all(buyer_client, roles):
    wizard = Wizard(buyer_client, roles["order"])
    wizard.start()
    wizard.post("reason", {"reason": "counterfeit"})
    wizard.post("details", {"description": "Faux"})
    wizard.post("photos", photos=[jpeg(f"p{i}.jpg") for i in range(8)])
    response = wizard.post("photos", photos=[jpeg(f"q{i}.jpg") for i in range(3)])
    assert len(response.context["photos"]) == 10
    assert response.context["form"].errors["photos"] == ["« q2.jpg » n'a pas été envoyé : 10 fichiers au maximum."]


def test_going_back_keeps_typed_data_and_uploaded_files(buyer_client, roles):
    wizard = Wizard(buyer_client, roles["order"])
    wizard.start()
    line = roles["order"].lines.get()
    wizard.post("reason", {"reason": "damaged"})
    wizard.post("items", {"items": [line.pk]})
    wizard.post("details", {"description": "Rayures profondes"})
    response = wizard.post("photos", photos=[jpeg("face.jpg"), jpeg("dos.jpg")])
    assert response.context["step_name"] == "review"
    response = wizard.post("review", goto="details")
    assert response.context["step_name"] == "details"
    assert response.context["form"]["description"].value() == "Rayures profondes"
    response = wizard.post("details", {"description": "Rayures profondes sur l'écran"}, goto="items")
    assert response.context["step_name"] == "items"
    assert [str(pk) for pk in response.context["form"]["items"].value()] == [str(line.pk)]
    response = wizard.post("items", {"items": [line.pk]})
    assert response.context["form"]["description"].value() == "Rayures profondes sur l'écran"
    response = wizard.post("details", {"description": "Rayures profondes sur l'écran"})
    assert response.context["step_name"] == "photos"
    assert "2 photos déjà jointes" in response.content.decode()
    assert [photo["name"] for photo in response.context["photos"]] == ["face.jpg", "dos.jpg"]
    response = wizard.post("photos", photos=[jpeg("boite.jpg")])
    response = wizard.post("review")
    claim = Claim.objects.get()
    assert claim.description == "Rayures profondes sur l'écran"
    assert sorted(claim.attachments.values_list("original_name", flat=True)) == ["boite.jpg", "dos.jpg", "face.jpg"]


def test_a_photo_can_be_removed_before_sending(buyer_client, roles):
    wizard = Wizard(buyer_client, roles["order"])
    wizard.start()
    wizard.post("reason", {"reason": "counterfeit"})
    wizard.post("details", {"description": "Faux"})
    wizard.post("photos", photos=[jpeg("a.jpg"), jpeg("b.jpg")])
    response = wizard.post("review", goto="photos")
    key_of_a = next(photo["key"] for photo in response.context["photos"] if photo["name"] == "a.jpg")
    wizard.post("photos", {"remove": [key_of_a]})
    wizard.post("review")
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["b.jpg"]


def tmp_files():
    try:
        return default_storage.listdir(TMP_FOLDER)[1]
    except FileNotFoundError:
        return []


def test_finished_wizard_leaves_no_temporary_file(buyer_client, roles):
    wizard = Wizard(buyer_client, roles["order"])
    wizard.start()
    wizard.post("reason", {"reason": "counterfeit"})
    wizard.post("details", {"description": "Faux"})
    wizard.post("photos", photos=[jpeg()])
    assert len(tmp_files()) == 1
    wizard.post("review")
    assert tmp_files() == []


def test_restarting_the_wizard_deletes_the_previous_uploads(buyer_client, roles):
    wizard = Wizard(buyer_client, roles["order"])
    wizard.start()
    wizard.post("reason", {"reason": "counterfeit"})
    wizard.post("details", {"description": "Faux"})
    wizard.post("photos", photos=[jpeg()])
    wizard.start()
    assert tmp_files() == []


def test_purge_abandoned_wizard_files_deletes_only_old_ones(settings):
    old = default_storage.save(f"{TMP_FOLDER}/old", BytesIO(b"x"))
    fresh = default_storage.save(f"{TMP_FOLDER}/fresh", BytesIO(b"y"))
    seven_hours_ago = time.time() - 7 * 3600
    os.utime(default_storage.path(old), (seven_hours_ago, seven_hours_ago))
    assert purge_abandoned_wizard_files(now=timezone.now()) == 1
    assert tmp_files() == ["fresh"]
    assert purge_abandoned_wizard_files(now=timezone.now() + timedelta(hours=7)) == 1
    assert purge_abandoned_wizard_files(now=timezone.now()) == 0
    assert not default_storage.exists(fresh)


def test_purge_with_no_folder_yet_does_nothing():
    assert purge_abandoned_wizard_files(now=timezone.now()) == 0


def test_wizard_whose_photos_were_purged_says_so_and_goes_on(buyer_client, roles):
    wizard = Wizard(buyer_client, roles["order"])
    wizard.start()
    wizard.post("reason", {"reason": "counterfeit"})
    wizard.post("details", {"description": "Faux"})
    wizard.post("photos", photos=[jpeg()])
    purge_abandoned_wizard_files(now=timezone.now() + timedelta(hours=7))
    response = wizard.post("review")
    claim = Claim.objects.get()
    assert claim.attachments.count() == 0
    assert response.url == reverse("claims:detail", args=[claim.pk])
    assert any("ont expiré" in message for message in messages_of(response))


# --- eligibility ---------------------------------------------------------------

PURCHASE = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)


def test_not_received_is_refused_before_day_17_with_the_exact_date(client, roles):
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], now=PURCHASE, days_ago=0)
    login(client, roles["buyer"])
    with time_machine.travel(PURCHASE + timedelta(days=10), tick=False):
        wizard = Wizard(client, order)
        response = wizard.start()
        page = response.content.decode()
        assert "Vous pourrez signaler un colis non reçu à partir du 11 décembre 2026." in page
        response = wizard.post("reason", {"reason": "not_received"})
    assert response.context["step_name"] == "reason"
    assert response.context["form"].errors["reason"] == [
        "Vous pourrez signaler un colis non reçu à partir du 11 décembre 2026. D'ici là, contactez le vendeur."
    ]
    assert not Claim.objects.exists()


def test_not_received_is_allowed_on_day_17(client, roles):
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], now=PURCHASE, days_ago=0)
    with time_machine.travel(datetime(2026, 12, 11, 0, 0, 1, tzinfo=PARIS), tick=False):
        login(client, roles["buyer"])
        response = Wizard(client, order).run("not_received")
    assert Claim.objects.get().reason == Claim.Reason.NOT_RECEIVED
    assert response.status_code == 302


def test_finalized_order_is_refused_with_the_reason(client, roles):
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], days_ago=43)
    login(client, roles["buyer"])
    response = client.get(reverse("claims:wizard", args=[order.number]))
    assert response.url == reverse("orders:detail", args=[order.number])
    assert "plus possible de faire une réclamation" in messages_of(response)[0]


def test_order_with_an_open_claim_is_refused(client, roles):
    make_claim(order=roles["order"])
    login(client, roles["buyer"])
    response = client.get(reverse("claims:wizard", args=[roles["order"].number]))
    assert response.url == reverse("orders:detail", args=[roles["order"].number])
    assert messages_of(response) == ["Une réclamation est déjà en cours pour cette commande."]


def test_eligibility_is_checked_again_on_submit(buyer_client, roles):
    wizard = Wizard(buyer_client, roles["order"])
    wizard.start()
    wizard.post("reason", {"reason": "counterfeit"})
    wizard.post("details", {"description": "Faux"})
    wizard.post("photos")
    Order.objects.filter(pk=roles["order"].pk).update(status=Order.Status.FINALIZED)
    response = wizard.post("review")
    assert response.url == reverse("orders:detail", args=[roles["order"].number])
    assert "finalisée" in messages_of(response)[0]
    assert not Claim.objects.exists()


# --- actions that no longer apply -----------------------------------------------


def test_second_submit_lands_on_the_same_claim(buyer_client, roles):
    wizard = Wizard(buyer_client, roles["order"])
    first = wizard.run("counterfeit", details={"description": "Faux"})
    second = wizard.post("review")
    claim = Claim.objects.get()
    assert first.url == second.url == reverse("claims:detail", args=[claim.pk])
    assert messages_of(second)[-1] == "Votre réclamation a déjà été envoyée."


def test_stale_tab_changes_nothing_and_says_so(buyer_client, roles):
    old_tab = Wizard(buyer_client, roles["order"])
    old_tab.start()
    new_tab = Wizard(buyer_client, roles["order"])
    new_tab.start()
    new_tab.post("reason", {"reason": "damaged"})
    response = old_tab.post("reason", {"reason": "counterfeit"})
    assert response.url == reverse("orders:detail", args=[roles["order"].number])
    assert "n'est plus à jour" in messages_of(response)[0]
    response = new_tab.post("items", {"items": [roles["order"].lines.get().pk]})
    assert response.context["step_name"] == "details"


def test_tampered_management_form_is_not_a_server_error(buyer_client, roles):
    wizard = Wizard(buyer_client, roles["order"])
    wizard.start()
    response = buyer_client.post(wizard.url, {"submission_token": wizard.token})
    assert response.status_code == 400


# --- roles ---------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, roles):
    url = reverse("claims:wizard", args=[roles["order"].number])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role, status", [
    ("buyer", 200), ("other_buyer", 404), ("seller", 404), ("other_seller", 404), ("staff", 404),
])
def test_only_the_buyer_gets_the_wizard(client, roles, role, status):
    login(client, roles[role])
    assert client.get(reverse("claims:wizard", args=[roles["order"].number])).status_code == status
    posted = client.post(reverse("claims:wizard", args=[roles["order"].number]), {})
    assert posted.status_code == (302 if role == "buyer" else 404)


def test_unknown_order_is_404(buyer_client):
    assert buyer_client.get(reverse("claims:wizard", args=["RK-2026-999999"])).status_code == 404


# --- queries -------------------------------------------------------------------


def queries_for_first_step(client, order):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("claims:wizard", args=[order.number])).status_code == 200
    return len(captured)


def queries_for_items_step(client, order):
    wizard = Wizard(client, order)
    wizard.start()
    with CaptureQueriesContext(connection) as captured:
        response = wizard.post("reason", {"reason": "damaged"})
    assert response.context["step_name"] == "items"
    return len(captured)


def test_wizard_queries_do_not_grow_with_orders_or_lines(client, roles):
    login(client, roles["buyer"])
    small = roles["order"]
    queries_for_first_step(client, small)  # the navbar's fragment is cached from now on
    first, items = queries_for_first_step(client, small), queries_for_items_step(client, small)
    for _ in range(5):
        make_order(buyer=roles["buyer"], seller=roles["seller_profile"])
    big = make_order(buyer=roles["buyer"], seller=roles["seller_profile"])
    from orders.models import OrderLine
    for _ in range(8):
        listing = ListingFactory(seller=roles["seller_profile"])
        OrderLine.objects.create(order=big, listing=listing, title=listing.title, quantity=1, unit_price=listing.price)
    assert queries_for_first_step(client, big) == first
    assert queries_for_items_step(client, big) == items


def test_submit_racing_a_first_one_that_removed_the_photos_is_not_a_server_error(buyer_client, roles, monkeypatch):
    from claims.wizard import ClaimWizardView

    wizard = Wizard(buyer_client, roles["order"])
    wizard.start()
    wizard.post("reason", {"reason": "counterfeit"})
    wizard.post("details", {"description": "Faux"})
    wizard.post("photos", photos=[jpeg()])
    for name in tmp_files():
        default_storage.delete(f"{TMP_FOLDER}/{name}")
    # The first submit's cleanup happens just after this one checked its files.
    original, calls = ClaimWizardView._forget_missing_photos, []

    def misses_the_first_time(self):
        calls.append(1)
        if len(calls) > 1:
            original(self)

    monkeypatch.setattr(ClaimWizardView, "_forget_missing_photos", misses_the_first_time)
    response = wizard.post("review")
    assert response.status_code == 200 and response.context["step_name"] == "photos"
    assert not Claim.objects.exists()
    response = wizard.post("photos")
    assert response.context["step_name"] == "review"
    wizard.post("review")
    assert Claim.objects.get().attachments.count() == 0


def test_page_for_a_step_the_new_reason_skips_is_answered_with_the_current_step(buyer_client, roles):
    wizard = Wizard(buyer_client, roles["order"])
    wizard.start()
    wizard.post("reason", {"reason": "damaged"})
    wizard.post("reason", {"reason": "counterfeit"})  # the browser's back button, another reason
    response = wizard.post("items", {"items": [roles["order"].lines.get().pk]})  # back again, to the old items page
    assert response.status_code == 200
    assert response.context["step_name"] == "details"
    assert "ne s'applique plus" in messages_of(response)[0]
