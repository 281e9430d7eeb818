"""What the agents' desk (the admin's front page, issue 10) shows of the chat: one entry, ready to pick up."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .queue import waiting_queue


@dataclass(frozen=True)
class DeskEntry:
    label: str
    count: int
    oldest_age: timedelta | None
    url: str


def chats_waiting(*, now: datetime) -> DeskEntry:
    """Visitors waiting for an adviser, with the oldest one's wait, linking to the console (one query)."""
    row = waiting_queue().order_by().aggregate(count=Count("id"), oldest=Min("queued_at"))
    return DeskEntry(label=str(_("Visiteurs en attente sur la messagerie")), count=row["count"],
                     oldest_age=now - row["oldest"] if row["oldest"] else None,
                     url=reverse("admin:helpdesk_conversation_console"))
