"""Factories for the suite: users, sellers, listings, orders and claims built through the services."""
from datetime import datetime, timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from orders.models import Listing, Order, SellerProfile
from orders.services import order_create

PASSWORD = "pass-word-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    """A support agent: staff, superuser (every admin permission) and in the group "Service client"."""

    is_staff = True
    is_superuser = True

    @factory.post_generation
    def agent_group(obj, create, extracted, **kwargs):
        if create:
            from rakuten_portal.agents import agent_group

            obj.groups.add(agent_group())


class AgentFactory(StaffFactory):
    """An agent by the group alone: staff, not superuser, holding only what "Service client" grants."""

    is_superuser = False


class StaffWithoutAgentPermissionFactory(UserFactory):
    """A staff account with no permission: it may open the admin's door, nothing more (not an agent)."""

    is_staff = True
    is_superuser = False


class SellerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SellerProfile

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Vendeur {n}")
    kind = SellerProfile.Kind.PROFESSIONAL
    contact_email = factory.LazyAttribute(lambda seller: seller.user.email)


class ListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Listing

    seller = factory.SubFactory(SellerFactory)
    title = factory.Sequence(lambda n: f"Article {n}")
    reference = factory.Sequence(lambda n: f"{3000000000000 + n}")
    condition = Listing.Condition.USED
    price = Decimal("50.00")


def make_order(*, buyer=None, seller=None, days_ago: float = 5, now: datetime | None = None, quantity: int = 1,
               price: Decimal = Decimal("50.00"), **fields) -> Order:
    """An order through the real service, purchased `days_ago` before `now`."""
    now = now or timezone.now()
    buyer = buyer or UserFactory()
    seller = seller or SellerFactory()
    listing = ListingFactory(seller=seller, price=price)
    defaults = dict(payment_method=Order.Payment.CARD, shipping_method=Order.Shipping.STANDARD,
                    destination=Order.Destination.METROPOLITAN, has_guarantee=False)
    defaults.update(fields)
    return order_create(buyer=buyer, seller=seller, lines=[(listing, quantity)],
                        purchased_at=now - timedelta(days=days_ago), **defaults)


def make_claim(*, order=None, reason="damaged", now: datetime | None = None, description="Écran fissuré", **fields):
    """A claim opened through the domain on `order` (a new 5-day-old order by default)."""
    from claims.domain import claim_open

    now = now or timezone.now()
    order = order or make_order(now=now)
    if reason == "other":
        fields.setdefault("other_kind", "other")
    return claim_open(order=order, buyer=order.buyer, reason=reason, description=description, now=now,
                      items=list(order.lines.all()), **fields)
