"""Claim pages: the claim (one URL for buyer, seller and agent) and the notifications list."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import DetailView, ListView

from .models import Notification
from .selectors import access_claim


class ClaimDetailView(LoginRequiredMixin, DetailView):
    template_name = "claims/claim_detail.html"
    context_object_name = "claim"

    def get_object(self, queryset=None):
        return access_claim(self.request.user, self.kwargs["pk"])


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "claims/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 30

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user).select_related("claim__order", "order")


def _not_built_yet(request, *args, **kwargs):
    raise Http404


order_message_post = claim_message_post = claim_propose_post = claim_accept_post = _not_built_yet
claim_decline_post = claim_withdraw_post = claim_extend_post = attachment_file = attachment_thumbnail = _not_built_yet
notifications_mark_read = _not_built_yet
SellerDashboardView = SellerOrderMessagesView = NotificationListView
