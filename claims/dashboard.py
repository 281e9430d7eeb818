"""The seller's space ("Espace vendeur"): claims on their sales, buyer messages, and posting an order message."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from orders.models import OrderMessage
from orders.selectors import access_order, seller_profile_of
from orders.services import OrderMessageError
from orders.services import order_message_post as post_order_message

from .forms import OrderMessageForm
from .notifications import order_notices_mark_read
from .records import hours, percent, seller_own_record
from .selectors import (
    COUNT_CAP,
    DashboardFilter,
    seller_claim_counts,
    seller_claim_rows,
    seller_claims,
    seller_order_threads,
    unread_order_messages_for_seller,
)

PAGE_SIZE = 20


class _SellerSpaceMixin(LoginRequiredMixin):
    """Only sellers have a space: anyone else gets a 404, like any page that is not theirs."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.seller = seller_profile_of(request)
            if self.seller is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["seller"] = self.seller
        context["unread_order_messages"] = unread_order_messages_for_seller(self.request.user)
        return context


class _CountedPaginator(Paginator):
    """Pages whose total is already known (from the grouped count), so no COUNT query is run again."""

    def __init__(self, object_list, per_page, *, count: int, capped: bool):
        super().__init__(object_list, per_page)
        self._known_count, self.is_capped = min(count, COUNT_CAP), capped

    @property
    def count(self) -> int:
        return self._known_count

    @property
    def display_num_pages(self) -> str:
        return f"{self.num_pages}+" if self.is_capped else str(self.num_pages)


class SellerDashboardView(_SellerSpaceMixin, ListView):
    template_name = "claims/dashboard.html"
    context_object_name = "claims"
    paginate_by = PAGE_SIZE

    def current_filter(self) -> str:
        value = self.request.GET.get("filtre", "")
        return value if value in DashboardFilter.values else DashboardFilter.ALL

    def get_queryset(self):
        # Ids only: the page is sorted and limited on the claims' own index, then its 20 rows are loaded.
        return seller_claims(self.request.user, kind=self.current_filter(), seller_id=self.seller.pk).values("pk")

    def paginate_queryset(self, queryset, page_size):
        current = self.current_filter()
        self.counts = seller_claim_counts(self.request.user, seller_id=self.seller.pk)
        paginator = _CountedPaginator(queryset, page_size, count=self.counts[current],
                                      capped=current in self.counts.capped)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        # One query: the page's ids (sorted and limited on the index) as the subquery of its rows' values.
        page.object_list = seller_claim_rows(page.object_list)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = self.current_filter()
        context["filters"] = [
            {"value": kind.value, "label": kind.label, "count": self.counts.label(kind.value),
             "active": kind.value == current}
            for kind in DashboardFilter
        ]
        context["current_filter"] = current
        context["extra_query"] = f"&filtre={current}"
        record = seller_own_record(seller_id=self.seller.pk, now=timezone.now())
        context.update(record=record, record_days=settings.RECORD_WINDOW.days, record_claim_rate=percent(record.claim_rate),
                       record_takeover_share=percent(record.takeover_share),
                       record_first_answer=hours(record.median_first_answer))
        return context


class SellerOrderMessagesView(_SellerSpaceMixin, ListView):
    """Buyer messages on the seller's orders, newest conversation first; seeing them marks them read."""

    template_name = "claims/dashboard_messages.html"
    context_object_name = "threads"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return seller_order_threads(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        threads = list(context["threads"])
        context["threads"] = threads
        context["reply_form"] = OrderMessageForm()
        shown = [order.pk for order in threads if order.unread]
        if shown:
            # The badges were computed before these updates, so this page still shows the messages as new.
            now, user = timezone.now(), self.request.user
            OrderMessage.objects.filter(order_id__in=shown, read_at__isnull=True).exclude(author=user).update(read_at=now)
            order_notices_mark_read(user=user, order_ids=shown, now=now)
        return context


@login_required
@require_POST
def order_message_post(request, number):
    """A message from the buyer or the seller on the order; anyone else gets a 404."""
    order = access_order(request.user, number)
    if request.user.pk not in (order.buyer_id, order.seller.user_id):
        raise Http404
    default = reverse("orders:detail", args=[order.number]) + "#contacter-le-vendeur"
    next_url = request.POST.get("next") or default
    # A path only: redirect() would read any other word as a URL name and fail with a 500.
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = default
    form = OrderMessageForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("body", []):
            messages.error(request, error)
        return redirect(next_url)
    try:
        post_order_message(order=order, author=request.user, body=form.cleaned_data["body"], now=timezone.now())
    except OrderMessageError as error:
        messages.error(request, error.message)
        return redirect(next_url)
    messages.success(request, _("Votre message a été envoyé."))
    return redirect(next_url)
