"""Reads of the chat: the queue, a visitor's place and wait, whether the chat is open, scoped lookups."""
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Avg, Case, Count, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from helpdesk.opening_hours import chat_schedule

from .models import Conversation
from .presence import any_present, seats

# Place estimates are drawn from the conversations of the last day.
HANDLE_WINDOW = timedelta(days=1)
MIN_ESTIMATE_SECONDS = 30


def waiting_queue():
    """Waiting conversations, first come first served (chat_waiting_idx)."""
    return Conversation.objects.filter(state=Conversation.State.WAITING).order_by("queued_at", "id")


def open_conversation_of(*, user, session_key: str | None) -> Conversation | None:
    """The visitor's conversation not yet closed: by account when logged in, else by session."""
    open_ = Conversation.objects.exclude(state=Conversation.State.CLOSED)
    if user is not None and user.is_authenticated:
        return open_.filter(visitor=user).first()
    if not session_key:
        return None
    return open_.filter(visitor__isnull=True, session_key=session_key).first()


def last_conversation_of(*, user, session_key: str | None) -> Conversation | None:
    """The visitor's latest conversation, open or closed (for the rating and the transcript)."""
    if user is not None and user.is_authenticated:
        rows = Conversation.objects.filter(visitor=user)
    elif session_key:
        rows = Conversation.objects.filter(visitor__isnull=True, session_key=session_key)
    else:
        return None
    return rows.order_by("-created_at", "-id").first()


def _ahead_of(queued_at, pk) -> Q:
    return Q(queued_at__lt=queued_at) | Q(queued_at=queued_at, id__lt=pk)


def queue_position(conversation: Conversation) -> int:
    """1 for the first in line; 0 when not waiting."""
    if conversation.state != Conversation.State.WAITING:
        return 0
    return waiting_queue().filter(_ahead_of(conversation.queued_at, conversation.pk)).count() + 1


def with_queue_position(rows):
    """`rows` annotated with `queue_position` (as queue_position() counts it), read with the row in one statement."""
    ahead = (waiting_queue().filter(_ahead_of(OuterRef("queued_at"), OuterRef("pk"))).order_by()
             .values("state").annotate(n=Count("pk")).values("n")[:1])
    return rows.annotate(queue_position=Case(
        When(state=Conversation.State.WAITING, then=Coalesce(Subquery(ahead), 0) + 1), default=0))


def handle_seconds(*, now: datetime) -> float:
    """How long an agent spends on a conversation, measured on the last day (a setting before any)."""
    measured = Conversation.objects.filter(
        state=Conversation.State.CLOSED, closed_at__gte=now - HANDLE_WINDOW, assigned_at__isnull=False,
    ).aggregate(mean=Avg(F("closed_at") - F("assigned_at")))["mean"]
    if not measured:
        return float(settings.CHAT_DEFAULT_HANDLE_SECONDS)
    return measured.total_seconds() if isinstance(measured, timedelta) else float(measured) / 1_000_000


@dataclass(frozen=True)
class WaitEstimate:
    per_turn_seconds: float
    seats_total: int
    seats_free: int

    def for_position(self, position: int) -> int:
        """Seconds before the visitor at `position` is likely taken."""
        if position <= 0:
            return 0
        if position <= self.seats_free:
            return MIN_ESTIMATE_SECONDS
        turns = math.ceil((position - self.seats_free) / max(self.seats_total, 1))
        return max(MIN_ESTIMATE_SECONDS, int(turns * self.per_turn_seconds))


def wait_estimate(*, now: datetime, present: list | None = None) -> WaitEstimate:
    current = seats(now=now, rows=present)
    return WaitEstimate(per_turn_seconds=handle_seconds(now=now), seats_total=current.total, seats_free=current.free)


@dataclass(frozen=True)
class Availability:
    """What the visitor's panel shows before anything else."""

    state: str  # open, busy, closed
    reason: str | None
    message: str
    opens: str | None
    queue_length: int

    @property
    def is_open(self) -> bool:
        return self.state == "open"


def availability(*, now: datetime) -> Availability:
    """Open (hours, an agent present, room in the queue), busy (queue full) or closed (hours, holiday, nobody)."""
    hours = chat_schedule().status(now)
    queue_length = waiting_queue().count()
    if not hours.is_open:
        message = (_("La messagerie est fermée aujourd'hui (jour férié).") if hours.reason == "holiday"
                   else _("La messagerie est fermée."))
        if hours.opens:
            message = _("%(closed)s Elle ouvre %(when)s.") % {"closed": message, "when": hours.opens}
        return Availability("closed", hours.reason, message, hours.opens, queue_length)
    if not any_present(now=now):
        return Availability("closed", "no_agent", _("Aucun conseiller n'est disponible pour le moment."), None,
                            queue_length)
    if queue_length >= settings.CHAT_QUEUE_MAX:
        return Availability("busy", "queue_full", _(
            "Tous nos conseillers sont occupés : vous seriez en position %(position)d dans la file."
        ) % {"position": queue_length + 1}, None, queue_length)
    return Availability("open", None, _("Un conseiller va vous répondre."), None, queue_length)
