"""Agents mark a manual refund or a released payout paid in the admin, through the domain functions."""
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from orders import payments
from orders.models import Payout, Refund
from orders.payouts import payouts_release
from tests.factories import StaffFactory, UserFactory, make_order


def card_refund():
    order = make_order()
    with transaction.atomic():
        return payments.refund_create(order=order, amount=Decimal("10.00"), destination="card", now=timezone.now())


def test_agent_marks_a_refund_paid(client, db):
    refund = card_refund()
    client.force_login(StaffFactory())
    url = reverse("admin:orders_refund_mark_paid", args=[refund.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reference": ""}).status_code == 400
    response = client.post(url, {"reference": "VIR-2026-1"})
    assert response.status_code == 302
    refund.refresh_from_db()
    assert refund.status == Refund.Status.PAID and refund.provider_reference == "VIR-2026-1"
    again = client.post(url, {"reference": "VIR-2026-2"})
    assert again.status_code == 400 and "déjà effectué" in again.content.decode()


def test_non_staff_cannot_reach_the_mark_paid_page(client, db):
    refund = card_refund()
    client.force_login(UserFactory())
    response = client.post(reverse("admin:orders_refund_mark_paid", args=[refund.pk]), {"reference": "X"})
    assert response.status_code == 302
    refund.refresh_from_db()
    assert refund.status == Refund.Status.TO_PAY


def test_agent_marks_a_released_payout_paid_but_not_a_held_one(client, db):
    order = make_order()
    payout = Payout.objects.get(order=order)
    client.force_login(StaffFactory())
    url = reverse("admin:orders_payout_mark_paid", args=[payout.pk])
    assert client.post(url, {"reference": "SEPA-1"}).status_code == 400
    order.status = "finalized"
    order.save(update_fields=["status"])
    payouts_release(order_ids=[order.pk], now=timezone.now())
    assert client.post(url, {"reference": "SEPA-1"}).status_code == 302
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID and payout.reference == "SEPA-1"


def test_money_changelists_open(client, db):
    card_refund()
    client.force_login(StaffFactory())
    for name in ("refund", "payout", "walletentry"):
        assert client.get(reverse(f"admin:orders_{name}_changelist")).status_code == 200
