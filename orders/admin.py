"""The agents' screens for sellers, listings and orders; every save goes through model validation."""
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from rakuten_portal.agents import is_agent
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
    Payout,
    Refund,
    SellerProfile,
    TrackingEvent,
    WalletEntry,
)
from .numbering import ORDER_PREFIX, next_numbers, number_pattern
from .payments import RefundError, refund_mark_paid
from .payouts import PayoutError, payout_mark_paid, payout_sync

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
        from claims.record_display import seller_record_html  # the claims app sits above orders

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
        payout_sync(order=order)
        if not change and not order.tracking_events.exists():
            # Like an order placed on the site, its timeline starts with the purchase.
            TrackingEvent.objects.create(order=order, kind=TrackingEvent.Kind.PLACED, at=order.purchased_at)


class MarkPaidForm(forms.Form):
    reference = forms.CharField(label=_("Référence du virement ou de l'opération"), max_length=80,
                                help_text=_("Elle est gardée sur la ligne, pour la comptabilité."))


class _MarkPaidAdmin(admin.ModelAdmin):
    """Read-only money rows; the one act, "mark paid", goes through its domain function."""

    mark_paid_title = ""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def mark_paid(self, *, request, obj, reference):
        raise NotImplementedError

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [path("<int:object_id>/effectue/", self.admin_site.admin_view(self.mark_paid_view),
                     name="%s_%s_mark_paid" % info)] + super().get_urls()

    @admin.display(description=_("action"))
    def mark_paid_link(self, obj):
        if obj.status != "to_pay":
            return "—"
        info = self.opts.app_label, self.opts.model_name
        return format_html('<a href="{}">{}</a>', reverse("admin:%s_%s_mark_paid" % info, args=[obj.pk]),
                           _("Marquer comme payé"))

    def mark_paid_view(self, request, object_id):
        obj = self.get_object(request, str(object_id))
        if obj is None:
            raise Http404
        if not (is_agent(request.user) and request.user.has_perm(f"{self.opts.app_label}.view_{self.opts.model_name}")):
            raise PermissionDenied
        info = self.opts.app_label, self.opts.model_name
        changelist_url = reverse("admin:%s_%s_changelist" % info)
        form = MarkPaidForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                self.mark_paid(request=request, obj=obj, reference=form.cleaned_data["reference"])
            except (RefundError, PayoutError) as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Enregistré comme payé."))
                return HttpResponseRedirect(changelist_url)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "original": obj, "form": form,
                   "title": self.mark_paid_title, "changelist_url": changelist_url}
        return render(request, "admin/orders/mark_paid.html", context,
                      status=400 if request.method == "POST" else 200)


@admin.register(Refund)
class RefundAdmin(_MarkPaidAdmin):
    list_display = ["order", "claim", "buyer", "amount", "destination", "status", "provider", "attempts",
                    "created_at", "paid_at", "provider_reference", "mark_paid_link"]
    list_filter = ["status", "destination"]
    search_fields = ["=order__number", "=buyer__username", "provider_reference"]
    list_select_related = ["order", "claim", "buyer"]
    mark_paid_title = _("Marquer le remboursement comme effectué")

    def mark_paid(self, *, request, obj, reference):
        refund_mark_paid(refund_id=obj.pk, agent=request.user, reference=reference, now=timezone.now())


@admin.register(Payout)
class PayoutAdmin(_MarkPaidAdmin):
    list_display = ["order", "seller", "amount", "status", "released_at", "paid_at", "reference", "mark_paid_link"]
    list_filter = ["status"]
    search_fields = ["=order__number", "seller__display_name"]
    list_select_related = ["order", "seller"]
    mark_paid_title = _("Marquer le versement comme effectué")

    def mark_paid(self, *, request, obj, reference):
        payout_mark_paid(payout_id=obj.pk, agent=request.user, reference=reference, now=timezone.now())


@admin.register(WalletEntry)
class WalletEntryAdmin(_MarkPaidAdmin):
    list_display = ["user", "kind", "amount", "refund", "order", "created_at"]
    list_filter = ["kind"]
    search_fields = ["=user__username", "=user__email"]
    list_select_related = ["user", "refund", "order"]

    def get_urls(self):
        return admin.ModelAdmin.get_urls(self)
