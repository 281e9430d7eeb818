"""The payment and listing rules, checked by model validation and again by the database constraints."""
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from orders.models import Listing, Order, SellerProfile
from tests.factories import ListingFactory, SellerFactory, UserFactory, make_order

Payment, Shipping, Destination = Order.Payment, Order.Shipping, Order.Destination
INSTALMENTS = [Payment.CARD_4X, Payment.CARD_5X, Payment.CARD_10X, Payment.CARD_20X]
LONG_INSTALMENTS = [Payment.CARD_5X, Payment.CARD_10X, Payment.CARD_20X]


def build_order(**fields):
    """An unsaved order with a valid default payment; the fields given override it."""
    values = dict(number=f"RK-2026-{Order.objects.count() + 1:06d}", buyer=UserFactory(), seller=SellerFactory(),
                  purchased_at=timezone.now(), payment_method=Payment.CARD, shipping_method=Shipping.STANDARD,
                  destination=Destination.METROPOLITAN, total=Decimal("100.00"))
    values.update(fields)
    return Order(**values)


def assert_refused_by_database(order):
    """Saving without validation must still fail: the check constraint is the last word."""
    with pytest.raises(IntegrityError), transaction.atomic():
        order.save()


@pytest.mark.django_db
@pytest.mark.parametrize("payment", INSTALMENTS)
def test_instalment_payment_refused_with_express_shipping(payment):
    order = build_order(payment_method=payment, shipping_method=Shipping.EXPRESS)
    with pytest.raises(ValidationError) as error:
        order.full_clean()
    assert error.value.message_dict["payment_method"] == [
        "Le paiement en plusieurs fois n'est pas possible avec la livraison express."
    ]
    assert_refused_by_database(order)


@pytest.mark.django_db
@pytest.mark.parametrize("payment", INSTALMENTS)
@pytest.mark.parametrize("shipping", [Shipping.STANDARD, Shipping.RELAY])
def test_instalment_payment_allowed_with_standard_or_relay_shipping(payment, shipping):
    order = build_order(payment_method=payment, shipping_method=shipping)
    order.full_clean()
    order.save()


@pytest.mark.django_db
@pytest.mark.parametrize("payment", LONG_INSTALMENTS)
@pytest.mark.parametrize("destination", [Destination.OVERSEAS, Destination.ABROAD])
def test_five_ten_twenty_times_only_for_metropolitan_france(payment, destination):
    order = build_order(payment_method=payment, destination=destination)
    with pytest.raises(ValidationError) as error:
        order.full_clean()
    assert "France métropolitaine" in error.value.message_dict["payment_method"][0]
    assert_refused_by_database(order)


@pytest.mark.django_db
@pytest.mark.parametrize("destination", [Destination.OVERSEAS, Destination.ABROAD])
def test_four_times_allowed_overseas_and_abroad(destination):
    order = build_order(payment_method=Payment.CARD_4X, destination=destination)
    order.full_clean()
    order.save()


@pytest.mark.django_db
@pytest.mark.parametrize("payment", [Payment.CARD, Payment.WALLET, Payment.PAYLIB, Payment.PAYPAL])
def test_single_payments_allowed_with_express_everywhere(payment):
    order = build_order(payment_method=payment, shipping_method=Shipping.EXPRESS, destination=Destination.ABROAD)
    order.full_clean()
    order.save()


@pytest.mark.django_db
@pytest.mark.parametrize("payment", [Payment.CARD, Payment.PAYPAL, Payment.CARD_4X])
def test_wallet_amount_only_with_wallet_payment(payment):
    order = build_order(payment_method=payment, wallet_amount=Decimal("20.00"))
    with pytest.raises(ValidationError) as error:
        order.full_clean()
    assert error.value.message_dict["wallet_amount"] == [
        "Une part payée par le porte-monnaie suppose le paiement par porte-monnaie."
    ]
    assert_refused_by_database(order)


@pytest.mark.django_db
def test_wallet_payment_with_the_rest_paid_by_card():
    order = build_order(payment_method=Payment.WALLET, wallet_amount=Decimal("30.00"))
    order.full_clean()
    order.save()
    assert order.card_amount == Decimal("70.00")


@pytest.mark.django_db
def test_wallet_amount_never_negative():
    order = build_order(payment_method=Payment.WALLET, wallet_amount=Decimal("-1.00"))
    with pytest.raises(ValidationError):
        order.full_clean()
    assert_refused_by_database(order)


@pytest.mark.django_db
def test_wallet_amount_never_above_the_total():
    order = build_order(payment_method=Payment.WALLET, wallet_amount=Decimal("100.01"))
    with pytest.raises(ValidationError) as error:
        order.full_clean()
    assert "wallet_amount" in error.value.message_dict


@pytest.mark.django_db
def test_sale_closes_six_weeks_after_purchase():
    order = build_order()
    order.save()
    assert order.finalizes_at == order.purchased_at + timezone.timedelta(weeks=6) == order.sale_closes_at


@pytest.mark.django_db
def test_new_item_refused_from_an_individual_seller():
    listing = ListingFactory.build(seller=SellerFactory(kind=SellerProfile.Kind.INDIVIDUAL),
                                   condition=Listing.Condition.NEW)
    with pytest.raises(ValidationError) as error:
        listing.full_clean()
    assert error.value.message_dict["condition"] == ["Seuls les vendeurs professionnels peuvent vendre des articles neufs."]


@pytest.mark.django_db
@pytest.mark.parametrize("condition", [Listing.Condition.USED, Listing.Condition.REFURBISHED])
def test_individual_seller_may_sell_used_and_refurbished_items(condition):
    listing = ListingFactory.build(seller=SellerFactory(kind=SellerProfile.Kind.INDIVIDUAL), condition=condition)
    listing.full_clean()


@pytest.mark.django_db
def test_professional_seller_may_sell_new_items():
    ListingFactory.build(seller=SellerFactory(), condition=Listing.Condition.NEW).full_clean()


@pytest.mark.django_db
def test_seller_with_new_listings_cannot_become_an_individual():
    seller = SellerFactory()
    ListingFactory(seller=seller, condition=Listing.Condition.NEW)
    seller.kind = SellerProfile.Kind.INDIVIDUAL
    with pytest.raises(ValidationError) as error:
        seller.full_clean()
    assert "kind" in error.value.message_dict


@pytest.mark.django_db
def test_listing_price_must_be_positive_in_the_database():
    listing = ListingFactory.build(seller=SellerFactory(), price=Decimal("0"))
    with pytest.raises(ValidationError):
        listing.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        listing.save()


@pytest.mark.django_db
def test_the_migration_recomputes_the_stored_closing_of_open_sales_with_the_one_rule(roles):
    """Orders stored before the rule had purchase + 6 weeks in UTC: an hour off across the clock change."""
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = import_module("orders.migrations.0007_finalizes_at_paris_wall_clock")
    bought = datetime(2026, 3, 10, 9, 0, tzinfo=dt_timezone.utc)
    old_rule = bought + timedelta(weeks=settings.SALE_CLOSES_AFTER_WEEKS)
    open_sale = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], days_ago=0, now=bought)
    closed_sale = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], days_ago=0, now=bought)
    Order.objects.filter(pk=open_sale.pk).update(finalizes_at=old_rule)
    Order.objects.filter(pk=closed_sale.pk).update(finalizes_at=old_rule, status=Order.Status.FINALIZED)
    migration.recompute(apps, SimpleNamespace(connection=connection))  # RunPython's schema editor: its connection
    open_sale.refresh_from_db()
    closed_sale.refresh_from_db()
    assert open_sale.finalizes_at == datetime(2026, 4, 21, 8, 0, tzinfo=dt_timezone.utc) == open_sale.sale_closes_at
    assert closed_sale.finalizes_at == old_rule  # a finalized sale keeps its history
