"""Writes on orders: creation with its lines and number, tracking steps, buyer–seller messages."""
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Order, OrderLine, OrderMessage, TrackingEvent
from .models import sale_closes_at
from .payouts import payout_create
from .numbering import ORDER_PREFIX, next_numbers


@transaction.atomic
def order_create(*, buyer, seller, lines, purchased_at=None, **fields) -> Order:
    """Create a validated order with its lines (listing, quantity) and its "placed" tracking step."""
    purchased_at = purchased_at or timezone.now()
    (number,) = next_numbers(prefix=ORDER_PREFIX, year=timezone.localtime(purchased_at).year)
    order = Order(number=number, buyer=buyer, seller=seller, purchased_at=purchased_at,
                  finalizes_at=sale_closes_at(purchased_at), **fields)
    order.total = sum((listing.price * quantity for listing, quantity in lines), Decimal("0"))
    order.full_clean()
    order.save()
    OrderLine.objects.bulk_create(
        OrderLine(order=order, listing=listing, title=listing.title, quantity=quantity, unit_price=listing.price)
        for listing, quantity in lines
    )
    TrackingEvent.objects.create(order=order, kind=TrackingEvent.Kind.PLACED, at=purchased_at)
    payout_create(order=order)
    return order


@transaction.atomic
def order_mark_shipped(*, order: Order, carrier: str, tracking_number: str, at) -> Order:
    """Record that the seller shipped the order."""
    Order.objects.filter(pk=order.pk, status=Order.Status.PLACED).update(status=Order.Status.SHIPPED, shipped_at=at)
    TrackingEvent.objects.create(
        order=order, kind=TrackingEvent.Kind.SHIPPED, at=at, carrier=carrier, tracking_number=tracking_number
    )
    order.refresh_from_db(fields=["status", "shipped_at"])
    return order


@transaction.atomic
def order_mark_delivered(*, order: Order, at) -> Order:
    """Record that the parcel was delivered."""
    Order.objects.filter(pk=order.pk, status__in=[Order.Status.PLACED, Order.Status.SHIPPED]).update(
        status=Order.Status.DELIVERED, delivered_at=at
    )
    TrackingEvent.objects.create(order=order, kind=TrackingEvent.Kind.DELIVERED, at=at)
    order.refresh_from_db(fields=["status", "delivered_at"])
    return order


class OrderMessageError(Exception):
    """A message that cannot be posted; the message is for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


@transaction.atomic
def order_message_post(*, order: Order, author, body: str, now) -> OrderMessage:
    """Post a buyer–seller message on the order and tell the other party."""
    from claims.models import Notification
    from claims.notifications import notify

    if author.pk == order.buyer_id:
        other = order.seller.user
    elif author.pk == order.seller.user_id:
        other = order.buyer
    else:
        raise OrderMessageError(_("Seuls l'acheteur et le vendeur de cette commande peuvent s'écrire ici."))
    body = (body or "").strip()
    if not body:
        raise OrderMessageError(_("Écrivez votre message."))
    message = OrderMessage.objects.create(order=order, author=author, body=body, created_at=now)
    notify(recipients=[other], kind=Notification.Kind.ORDER_MESSAGE, order=order, now=now)
    return message
