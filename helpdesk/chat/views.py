"""The chat's HTTP side: the state endpoint (before a socket opens), the agents' console and visitor context."""
import logging

from asgiref.sync import async_to_sync
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from claims.models import Claim
from claims.selectors import claims_visible_to
from helpdesk.forms import order_label
from helpdesk.models import ContactRequest
from helpdesk.selectors import recent_orders_for_contact
from orders.models import Order

from . import broadcast, frames
from .models import Conversation
from .presence import can_handle_chat, presence_of
from .queue import availability, open_conversation_of

logger = logging.getLogger(__name__)

CONTEXT_ROWS = 10


def topics() -> list[dict]:
    """The chat's topics in the panel's order, with the help desk's values."""
    labels = dict(Conversation.Topic.choices)
    return [{"value": value, "label": str(labels[value])} for value in ("purchase", "tracking", "account", "other")]


def _orders_of(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    return [{"id": order.pk, "number": order.number, "label": order_label(order)}
            for order in recent_orders_for_contact(user)]


@never_cache
def chat_state(request):
    """What the visitor's panel shows before (or instead of) a socket: open, busy, closed or unavailable."""
    from django.conf import settings

    if not request.session.session_key:
        # The anonymous visitor's socket is authenticated by this session: create it now.
        request.session["chat"] = True
    now = timezone.now()
    body = {
        "contact_url": reverse("helpdesk:contact_form"),
        "limits": {"message_length": settings.CHAT_MESSAGE_MAX_LENGTH,
                   "messages_per_minute": settings.CHAT_MESSAGES_PER_MINUTE,
                   "fallback_after_seconds": settings.CHAT_FALLBACK_AFTER_SECONDS},
        "topics": topics(), "orders": _orders_of(request.user), "conversation": None,
    }
    if not async_to_sync(broadcast.ping)():
        body.update(state="unavailable", reason="layer_down", message=frames.unavailable_message(), opens=None,
                    queue_length=0)
        return JsonResponse(body)
    current = availability(now=now)
    body.update(state=current.state, reason=current.reason, message=current.message, opens=current.opens,
                queue_length=current.queue_length)
    if request.session.session_key is None:
        request.session.save()
    conversation = open_conversation_of(user=request.user, session_key=request.session.session_key)
    if conversation is not None:
        body["conversation"] = frames.conversation_summary(conversation)
    return JsonResponse(body)


def _require_agent(request):
    if not can_handle_chat(request.user):
        raise PermissionDenied


def console_view(request, admin_site):
    """The agents' console page (its template and script are the browser side's)."""
    _require_agent(request)
    from django.conf import settings

    presence = presence_of(request.user)
    context = {
        **admin_site.each_context(request),
        "title": _("Messagerie instantanée : console des conseillers"),
        "agent_ws_path": "/ws/chat/agent/",
        "heartbeat_seconds": settings.CHAT_HEARTBEAT_SECONDS,
        "presence": presence.status,
        "capacity": presence.capacity,
        "agent_first_name": request.user.first_name or request.user.username,
        "context_url_template": reverse("admin:helpdesk_conversation_context", args=[0]),
        "topics": topics(),
    }
    return TemplateResponse(request, "helpdesk/chat/console.html", context)


def _admin_url(row) -> str:
    return reverse(f"admin:{row._meta.app_label}_{row._meta.model_name}_change", args=[row.pk])


@staff_member_required
def visitor_context(request, conversation_id: int):
    """The visitor beside the conversation: their orders, open claims and earlier requests, with admin links."""
    _require_agent(request)
    conversation = get_object_or_404(Conversation.objects.select_related("visitor", "order"), pk=conversation_id)
    visitor = conversation.visitor
    orders, claims, requests = [], [], []
    if visitor is not None:
        orders = [{"number": o.number, "status": str(o.get_status_display()), "url": _admin_url(o)}
                  for o in Order.objects.filter(buyer=visitor).order_by("-purchased_at")[:CONTEXT_ROWS]]
        open_claims = claims_visible_to(request.user).filter(buyer=visitor, status__in=Claim.OPEN_STATUSES)
        claims = [{"reference": c.order.number, "status": str(c.get_status_display()), "url": _admin_url(c)}
                  for c in open_claims.select_related("order").order_by("-opened_at")[:CONTEXT_ROWS]]
        earlier = ContactRequest.objects.filter(requester=visitor)
    else:
        earlier = ContactRequest.objects.filter(requester__isnull=True, email__iexact=conversation.email) \
            if conversation.email else ContactRequest.objects.none()
    requests = [{"reference": r.reference, "status": str(r.get_status_display()), "url": _admin_url(r)}
                for r in earlier.order_by("-created_at")[:CONTEXT_ROWS]]
    order = conversation.order
    return JsonResponse({
        "visitor": {"name": conversation.visitor_name, "email": conversation.email, "account": visitor is not None,
                    "admin_url": _admin_url(visitor) if visitor is not None else None},
        "order": {"number": order.number, "url": _admin_url(order)} if order else None,
        "orders": orders, "claims": claims, "requests": requests,
    })
