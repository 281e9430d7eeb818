"""Reads on orders, always scoped to the user who asks."""
from django.db.models import Q, Subquery
from django.http import Http404

from rakuten_portal.agents import is_agent

from .models import Order, SellerProfile
from .numbering import ORDER_PREFIX, number_pattern


def orders_bought_by(user, *, search: str = ""):
    """The buyer's orders, newest first, optionally filtered by (part of) an order number."""
    queryset = Order.objects.filter(buyer=user).select_related("seller").order_by("-purchased_at", "-id")
    search = search.strip()
    if search:
        queryset = queryset.filter(number__icontains=search[:20])
    return queryset


def orders_sold_by(user, *, search: str = ""):
    """The seller's sales, newest first; empty for a user who is not a seller."""
    # `seller_id = (subquery)` walks the (seller, -purchased_at) index; a join on the profile sorted every sale.
    seller_id = Subquery(SellerProfile.objects.filter(user=user).values("pk")[:1])
    queryset = Order.objects.filter(seller_id=seller_id).select_related("buyer").order_by("-purchased_at", "-id")
    search = search.strip()
    if search:
        queryset = queryset.filter(number__icontains=search[:20])
    return queryset


def seller_profile_of(request):
    """The signed-in user's seller profile, or None; looked up once per request whoever asks."""
    if not hasattr(request, "_seller_profile"):
        user = request.user
        request._seller_profile = SellerProfile.objects.filter(user=user).first() if user.is_authenticated else None
    return request._seller_profile


def orders_visible_to(user):
    """Orders the user may open: bought, sold, or all for an agent."""
    if not user.is_authenticated:
        return Order.objects.none()
    if is_agent(user):
        return Order.objects.all()
    return Order.objects.filter(Q(buyer=user) | Q(seller__user=user))


def access_order(user, number: str) -> Order:
    """The order with this number if the user may see it, else 404 (never 403: it would confirm it exists)."""
    if not number_pattern(ORDER_PREFIX).match(number or ""):
        raise Http404
    order = (
        orders_visible_to(user)
        .select_related("seller", "seller__user", "buyer")
        # Numbers are stored upper-case: an exact match uses the unique index (iexact would scan every row).
        .filter(number=number.upper())
        .first()
    )
    if order is None:
        raise Http404
    return order
