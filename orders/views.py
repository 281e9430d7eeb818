"""Pages of the buyer's and seller's account: Mon compte, Tous mes achats, Mes ventes, the order page."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView

from rakuten_portal.agents import is_agent

from .models import AccountPreferences, Payout
from .payouts import PayoutError, may_confirm_receipt, order_confirm_receipt, seller_payout_totals
from .pagination import CappedCountPaginator
from .selectors import access_order, orders_bought_by, orders_sold_by, seller_profile_of
from .wallet import wallet_balance, wallet_entries

PAGE_SIZE = 20


class HomeView(TemplateView):
    template_name = "orders/home.html"


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "orders/account.html"


class WalletView(LoginRequiredMixin, ListView):
    """Mon porte-monnaie: the balance (the ledger's sum) and the history, newest first."""

    template_name = "orders/wallet.html"
    context_object_name = "entries"
    paginate_by = 30

    def get_queryset(self):
        return wallet_entries(self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "balance": wallet_balance(self.request.user)}


class _OrderListView(LoginRequiredMixin, ListView):
    paginate_by = PAGE_SIZE
    paginator_class = CappedCountPaginator
    context_object_name = "orders"

    def search_term(self):
        return self.request.GET.get("q", "").strip()[:40]

    def paginate_queryset(self, queryset, page_size):
        # A stale or typed page number shows the nearest page rather than an error page.
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=self.get_allow_empty())
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["q"] = self.search_term()
        return context


class PurchaseListView(_OrderListView):
    template_name = "orders/purchase_list.html"

    def get_queryset(self):
        return orders_bought_by(self.request.user, search=self.search_term())


class SaleListView(_OrderListView):
    template_name = "orders/sale_list.html"

    def get_queryset(self):
        return orders_sold_by(self.request.user, search=self.search_term()).select_related("payout")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        profile = seller_profile_of(self.request)
        context["payout_totals"] = seller_payout_totals(profile.pk) if profile else None
        return context


class OrderDetailView(LoginRequiredMixin, DetailView):
    template_name = "orders/order_detail.html"
    context_object_name = "order"

    def get_object(self, queryset=None):
        return access_order(self.request.user, self.kwargs["number"])

    def get_context_data(self, **kwargs):
        from claims.notifications import order_thread_mark_read
        from claims.selectors import order_claim_context

        context = super().get_context_data(**kwargs)
        order = self.object
        context["lines"] = list(order.lines.select_related("listing"))
        context["tracking"] = list(order.tracking_events.all())
        context["is_buyer"] = order.buyer_id == self.request.user.pk
        context["is_seller"] = order.seller.user_id == self.request.user.pk
        context["is_agent_viewer"] = is_agent(self.request.user)
        now = timezone.now()
        context.update(order_claim_context(order=order, user=self.request.user, now=now))
        context["order_thread"] = thread = list(order.messages.all())
        if context["is_buyer"] or context["is_seller"]:
            order_thread_mark_read(order=order, user=self.request.user, now=now, thread=thread)
        context["payout"] = Payout.objects.filter(order=order).first() if context["is_seller"] else None
        context["may_confirm_receipt"] = context["is_buyer"] and may_confirm_receipt(
            order, open_claim=context.get("open_claim"))
        return context


@login_required
@require_POST
def confirm_receipt(request, number):
    """The buyer's "Tout est OK": the sale is finalized at once and the seller's payout released."""
    order = access_order(request.user, number)
    try:
        done = order_confirm_receipt(order_id=order.pk, buyer=request.user, now=timezone.now())
    except PayoutError as error:
        messages.error(request, error.message)
    else:
        if done:
            messages.success(request, _("Merci ! La vente est finalisée et le vendeur va être payé."))
        else:
            messages.info(request, _("Cette vente est déjà finalisée."))
    return redirect("orders:detail", number=order.number)


@require_POST
def set_language(request):
    """Switch the interface language (a cookie), and remember it for the user's e-mails."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        if request.user.is_authenticated:
            AccountPreferences.objects.update_or_create(user=request.user, defaults={"language": language})
    return response


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)
