"""The JSON frames of docs/chat-protocol.md, built from rows (synchronous: call them through a thread)."""
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import ChatMessage, Conversation
from .presence import present_agents
from .queue import queue_position, wait_estimate, waiting_queue

QUEUE_LIST_LIMIT = 200


def error(code: str, message: str) -> dict:
    return {"type": "error", "code": code, "message": str(message)}


def conversation_summary(conversation: Conversation) -> dict:
    return {"id": conversation.pk, "state": conversation.state, "topic": conversation.topic,
            "topic_label": str(conversation.get_topic_display())}


def joined(conversation: Conversation) -> dict:
    from .domain import display_name

    agent_name = display_name(conversation.agent) if conversation.is_active and conversation.agent else None
    return {"type": "joined", "conversation": {**conversation_summary(conversation), "agent_name": agent_name}}


def message(row: ChatMessage) -> dict:
    return {"type": "message", "id": row.pk, "conversation": row.conversation_id, "author": row.author,
            "name": row.name, "text": row.text, "sent_at": row.sent_at.isoformat(),
            "client_id": str(row.client_id) if row.client_id else None}


def visitor_queue(conversation: Conversation, *, now: datetime, position: int | None = None) -> dict:
    """The visitor's place (`position` when already read, queue.with_queue_position) and wait right now."""
    if position is None:
        position = queue_position(conversation)
    return {"type": "queue", "position": position,
            "estimated_wait_seconds": wait_estimate(now=now).for_position(position),
            "waited_seconds": max(int((now - conversation.queued_at).total_seconds()), 0),
            "fallback_after_seconds": settings.CHAT_FALLBACK_AFTER_SECONDS}


def assigned(conversation: Conversation) -> dict:
    from .domain import display_name

    return {"type": "assigned", "agent_name": display_name(conversation.agent) if conversation.agent else ""}


def request_link(contact_request) -> str | None:
    if contact_request is None or not contact_request.requester_id:
        return None
    return reverse("helpdesk:request_detail", args=[contact_request.reference])


def closed(conversation: Conversation) -> dict:
    return {"type": "closed", "conversation": conversation.pk, "by": conversation.closed_by,
            "request_reference": conversation.request.reference if conversation.request else None,
            "request_url": request_link(conversation.request)}


def contact_url(conversation: Conversation | None = None, *, topic: str = "", text: str = "") -> str:
    """The contact form, prefilled with the topic, the order and what the visitor typed."""
    params = {}
    if conversation is not None:
        topic = conversation.topic
        typed = [m.text for m in conversation.messages.filter(author=ChatMessage.Author.VISITOR).order_by("id")]
        text = "\n\n".join(typed + ([text] if text else []))
        if conversation.order_id:
            params["commande"] = conversation.order.number
    if topic:
        params["sujet"] = topic
    if text:
        params["message"] = text[:5000]
    url = reverse("helpdesk:contact_form")
    return f"{url}?{urlencode(params)}" if params else url


def offer_fallback(reason: str, *, url: str, opens: str | None = None) -> dict:
    return {"type": "offer_fallback", "reason": reason, "opens": opens, "contact_url": url}


def context_url(conversation_id: int) -> str:
    return reverse("admin:helpdesk_conversation_context", args=[conversation_id])


def taken(conversation: Conversation) -> dict:
    return {"type": "taken", "conversation": {
        **conversation_summary(conversation), "visitor_name": conversation.visitor_name,
        "order_number": conversation.order.number if conversation.order_id else None,
        "context_url": context_url(conversation.pk)}}


def agents_queue(*, now: datetime, rows: list | None = None) -> dict:
    """The waiting conversations for the consoles, oldest first."""
    if rows is None:
        rows = waiting_queue().select_related("order")[:QUEUE_LIST_LIMIT]
    return {"type": "queue", "waiting": [
        {"id": row.pk, "topic": row.topic, "topic_label": str(row.get_topic_display()),
         "visitor_name": row.visitor_name, "waited_seconds": max(int((now - row.queued_at).total_seconds()), 0),
         "order_number": row.order.number if row.order_id else None}
        for row in rows]}


def agents(*, now: datetime, present: list | None = None) -> dict:
    from .domain import display_name

    return {"type": "agents", "available": [
        {"id": row.agent_id, "first_name": display_name(row.agent), "free_seats": max(row.capacity - row.active, 0)}
        for row in (present_agents(now=now) if present is None else present)]}


def presence(row, *, active: int) -> dict:
    return {"type": "presence", "status": row.status, "capacity": row.capacity, "active": active}


def queue_update(*, now: datetime) -> dict:
    """The queue's news: the consoles' lists, the waiting visitors' order and the wait per place (3 reads)."""
    present = list(present_agents(now=now))
    estimate = wait_estimate(now=now, present=present)
    rows = list(waiting_queue().select_related("order")[:QUEUE_LIST_LIMIT])
    waiting_ids = ([row.pk for row in rows] if len(rows) < QUEUE_LIST_LIMIT
                   else list(waiting_queue().values_list("pk", flat=True)[:10_000]))
    return {"agents_frame": agents_queue(now=now, rows=rows), "agents_list": agents(now=now, present=present),
            "waiting_ids": waiting_ids,
            "estimate": [estimate.per_turn_seconds, estimate.seats_total, estimate.seats_free],
            "fallback_after_seconds": settings.CHAT_FALLBACK_AFTER_SECONDS}


def unavailable_message() -> str:
    return _("La messagerie est momentanément indisponible. Écrivez-nous avec le formulaire : "
             "un conseiller vous répondra par e-mail.")
