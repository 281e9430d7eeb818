"""Ids from a request are ASCII digits, parsed in one place (rakuten_portal/request_ids.py); anything else is no id."""
import pytest
from django.urls import reverse

from claims.models import Notification
from claims.wizard_forms import ItemsForm
from orders.numbering import ORDER_PREFIX, number_pattern
from rakuten_portal.request_ids import MAX_ID, parse_id
from tests.factories import make_claim

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
NOT_IDS = ["", "²", "¹²", "³", "٣", "١٢", "１２", "𝟙", "߁", "-1", "+1", " 1", "1 ", "1\n", "0", "00", "1e3", "1.0",
           "0x1", "1_000", "9" * 20, str(MAX_ID + 1), "a\x00b", None, True, 0, -5, 1.0, [], b"1"]


@pytest.mark.parametrize("value", NOT_IDS, ids=repr)
def test_what_is_not_an_id_is_none(value):
    assert parse_id(value) is None


@pytest.mark.parametrize(("value", "expected"), [("1", 1), ("42", 42), ("007", 7), (str(MAX_ID), MAX_ID), (12, 12)])
def test_ascii_digits_are_an_id(value, expected):
    assert parse_id(value) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "¹²", "١", "𝟙", "9" * 30, "-1"])
def test_marking_one_notice_read_with_a_unicode_digit_is_a_404_not_a_500(client, roles, value):
    make_claim(order=roles["order"])
    client.force_login(roles["seller"])
    response = client.post(reverse("claims:notifications_read"), {"notification": value})
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_notice_id_in_other_digits_does_not_name_the_notice(client, roles):
    make_claim(order=roles["order"])
    notice = Notification.objects.get(recipient=roles["seller"])
    client.force_login(roles["seller"])
    for spelled in (str(notice.pk).translate(ARABIC_INDIC), str(notice.pk).translate(FULLWIDTH)):
        assert client.post(reverse("claims:notifications_read"), {"notification": spelled}).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None
    response = client.post(reverse("claims:notifications_read"), {"notification": str(notice.pk)})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None


@pytest.mark.django_db
def test_the_wizard_items_refuse_an_id_in_other_digits(roles):
    lines = roles["order"].lines.all()
    line = lines.first()
    assert ItemsForm(data={"items": [str(line.pk)]}, lines=lines).is_valid()
    for spelled in (str(line.pk).translate(ARABIC_INDIC), str(line.pk).translate(FULLWIDTH), "²"):
        form = ItemsForm(data={"items": [spelled]}, lines=lines)
        assert not form.is_valid() and "items" in form.errors


@pytest.mark.parametrize("text", ["RK-٢٠٢٦-٠٠٠١٢٣", "RK-２０２６-０００１２３", "RK-2026-000123\n", "RK-2026-00012³"])
def test_order_numbers_are_ascii_digits_only(text):
    assert not number_pattern(ORDER_PREFIX).match(text)
