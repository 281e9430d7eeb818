"""The agents' screens for sellers, listings and orders; every save goes through model validation."""
from decimal import Decimal

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from rakuten_portal.formatting import money

from .forms import (
    OrderLineAdminForm,
    OrderLineInlineFormSet,
    TrackingEventInlineFormSet,
)
from .models import (
    AccountPreferences,
    Listing,
    Order,
    OrderLine,
    SellerProfile,
    TrackingEvent,
)
from .numbering import ORDER_PREFIX, next_numbers, number_pattern

# Below this many rows an exact COUNT(*) is cheap; above it the planner's estimate is good enough for paging.
EXACT_COUNT_UP_TO = 100_000


class EstimatedCountPaginator(Paginator):
    """Counts exactly when filtered or small; on PostgreSQL an unfiltered big table uses the planner's estimate."""

    @cached_property
    def count(self):
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is not None and not query.where and connections[queryset.db].vendor == "postgresql":
            with connections[queryset.db].cursor() as cursor:
                cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                               [queryset.model._meta.db_table])
                row = cursor.fetchone()
            if row and row[0] > EXACT_COUNT_UP_TO:
                return row[0]
        return super().count


@admin.register(AccountPreferences)
class AccountPreferencesAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    list_filter = ["language"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]


@admin.register(SellerProfile)
class SellerProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "kind", "contact_email", "user"]
    list_filter = ["kind"]
    search_fields = ["display_name", "contact_email", "user__username", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["record"]

    @admin.display(description=_("dossier du vendeur (service client)"))
    def record(self, seller):
        if seller.pk is None:
            return "—"
        from claims.admin import seller_record_html  # the claims app sits above orders

        return seller_record_html(seller.pk)


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["title", "reference", "condition", "unit_price", "seller"]
    list_filter = ["condition", "seller__kind"]
    search_fields = ["title", "reference"]
    list_select_related = ["seller"]
    autocomplete_fields = ["seller"]

    @admin.display(description=_("prix"), ordering="price")
    def unit_price(self, listing):
        return money(listing.price)


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    form = OrderLineAdminForm
    formset = OrderLineInlineFormSet
    fields = ["listing", "title", "quantity", "unit_price"]
    raw_id_fields = ["listing"]
    extra = 0


class TrackingEventInline(admin.TabularInline):
    model = TrackingEvent
    formset = TrackingEventInlineFormSet
    fields = ["kind", "at", "carrier", "tracking_number"]
    extra = 0


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "purchased_at", "buyer", "seller", "status", "payment_method", "shipping_method",
                    "destination", "has_guarantee", "total_amount"]
    list_filter = ["status", "payment_method", "has_guarantee", "shipping_method", "destination"]
    # Exact user names and e-mails: a substring search would join and scan every order.
    search_fields = ["^number", "=buyer__username", "=buyer__email", "seller__display_name"]
    list_select_related = ["buyer", "seller"]
    raw_id_fields = ["buyer"]
    autocomplete_fields = ["seller"]
    readonly_fields = ["number", "finalizes_at", "total_amount"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50
    inlines = [OrderLineInline, TrackingEventInline]
    fieldsets = [
        (None, {"fields": ["number", "buyer", "seller", "purchased_at", "status", "total_amount"]}),
        (_("Livraison et paiement"), {"fields": ["shipping_method", "destination", "payment_method", "wallet_amount",
                                                 "has_guarantee"]}),
        (_("Suivi"), {"fields": ["shipped_at", "delivered_at", "finalizes_at", "finalized_at"]}),
    ]

    @admin.display(description=_("total"), ordering="total")
    def total_amount(self, order):
        return money(order.total)

    def get_search_results(self, request, queryset, search_term):
        # A whole order number goes straight to the unique index instead of scanning every text column.
        term = search_term.strip()
        if number_pattern(ORDER_PREFIX).match(term):
            return queryset.filter(number=term.upper()), False
        # Likewise a buyer's exact user name or e-mail goes through the buyer index, not an OR over joined tables.
        buyer_ids = list(get_user_model().objects.filter(Q(username__iexact=term) | Q(email__iexact=term))
                         .values_list("pk", flat=True)[:20]) if term else []
        if buyer_ids:
            return queryset.filter(buyer_id__in=buyer_ids), False
        return super().get_search_results(request, queryset, search_term)

    def save_model(self, request, obj, form, change):
        if not obj.number:
            purchased_at = obj.purchased_at or timezone.now()
            (obj.number,) = next_numbers(prefix=ORDER_PREFIX, year=timezone.localtime(purchased_at).year)
        if change and "purchased_at" in form.changed_data:
            # The sale closes six weeks after the purchase: keep the stored instant the sweep compares in step.
            obj.finalizes_at = None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        order = form.instance
        total = sum((line.amount for line in order.lines.all()), Decimal("0"))
        if total != order.total:
            Order.objects.filter(pk=order.pk).update(total=total)
            order.total = total
        if not change and not order.tracking_events.exists():
            # Like an order placed on the site, its timeline starts with the purchase.
            TrackingEvent.objects.create(order=order, kind=TrackingEvent.Kind.PLACED, at=order.purchased_at)
