"""The demo data: five accounts, alice's and bob's orders, safe to run twice, and bulk orders for load tests."""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from orders.models import Listing, Order, OrderLine, SellerProfile, TrackingEvent

pytestmark = pytest.mark.django_db
ACCOUNTS = ["alice", "bob", "boutique-paris", "marc", "agent"]


def seed(*args):
    call_command("seed_demo", *args, stdout=open("/dev/null", "w"))


def counts():
    return tuple(model.objects.count() for model in (get_user_model(), SellerProfile, Listing, Order, OrderLine,
                                                     TrackingEvent))


def test_seed_demo_runs_twice_without_duplicating():
    seed()
    first = counts()
    seed()
    assert counts() == first


@pytest.mark.parametrize("username", ACCOUNTS)
def test_seed_demo_accounts_log_in_with_the_demo_password(client, username):
    seed()
    response = client.post(reverse("login"), {"username": username, "password": "demo-2026"})
    assert response.status_code == 302, username
    assert client.get(reverse("orders:account")).status_code == 200


def test_seed_demo_agent_is_staff_and_sellers_have_their_kind():
    seed()
    assert get_user_model().objects.get(username="agent").is_staff
    assert SellerProfile.objects.get(user__username="boutique-paris").is_professional
    assert not SellerProfile.objects.get(user__username="marc").is_professional


def test_seed_demo_gives_alice_orders_of_every_age_payment_and_seller():
    seed()
    now = timezone.now()
    orders = list(Order.objects.filter(buyer__username="alice").select_related("seller"))
    ages = {(now - order.purchased_at).days for order in orders}
    assert {0, 3, 5, 10, 20, 43} <= ages
    assert {order.payment_method for order in orders} == set(Order.Payment.values)
    assert {order.seller.display_name for order in orders} == {"Boutique Paris", "Marc D."}
    assert Order.objects.filter(buyer__username="bob").exists()


def test_seed_demo_orders_respect_every_rule():
    seed()
    for order in Order.objects.all():
        order.full_clean()
    for listing in Listing.objects.select_related("seller"):
        listing.full_clean()


def test_seed_demo_bulk_adds_that_many_valid_orders():
    seed()
    before = Order.objects.count()
    seed("--orders", "50")
    assert Order.objects.count() == before + 50
    for order in Order.objects.order_by("-pk")[:50]:
        order.full_clean()
        assert order.lines.count() == 1
        assert order.total == order.lines.get().amount
    numbers = list(Order.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
