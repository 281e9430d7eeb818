"""Agents' presence on the chat: heartbeats, open consoles, seats counted from the agents present."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, Q

from rakuten_portal.agents import is_agent

from .models import AgentPresence, Conversation


def lapse_cutoff(now: datetime) -> datetime:
    """A heartbeat older than this no longer counts (CHAT_PRESENCE_LAPSE_SECONDS, 2 minutes)."""
    return now - timedelta(seconds=settings.CHAT_PRESENCE_LAPSE_SECONDS)


def can_handle_chat(user) -> bool:
    """A support agent (rakuten_portal.agents: active staff with the agent permission, e.g. the group "Service client")."""
    return is_agent(user)


def _presence_row(agent) -> AgentPresence:
    presence, _created = AgentPresence.objects.get_or_create(agent=agent)
    return presence


def presence_of(agent) -> AgentPresence:
    """The agent's presence row (away until their console says otherwise)."""
    return _presence_row(agent)


def presence_heartbeat(*, agent, status: str, now: datetime) -> AgentPresence:
    """The console says the agent is here, available or away; the heartbeat's time is kept."""
    if status not in AgentPresence.Status.values:
        raise ValueError(status)
    presence = _presence_row(agent)
    AgentPresence.objects.filter(pk=presence.pk).update(status=status, last_seen_at=now)
    presence.status, presence.last_seen_at = status, now
    return presence


def presence_connect(*, agent, now: datetime) -> AgentPresence:
    """One more console open for this agent."""
    presence = _presence_row(agent)
    AgentPresence.objects.filter(pk=presence.pk).update(connections=F("connections") + 1, last_seen_at=now)
    presence.refresh_from_db()
    return presence


def present_agents(*, now: datetime):
    """Presence rows of agents available with a heartbeat younger than the lapse, with their active count."""
    return (
        AgentPresence.objects.filter(status=AgentPresence.Status.AVAILABLE, last_seen_at__gte=lapse_cutoff(now))
        .select_related("agent")
        .annotate(active=Count("agent__chats_assigned", filter=Q(agent__chats_assigned__state=Conversation.State.ACTIVE)))
        .order_by("agent__first_name", "agent__username")
    )


def is_present_row(presence: AgentPresence, *, now: datetime) -> bool:
    """present_agents' rule for one row already read: available, with a heartbeat younger than the lapse."""
    return (presence.status == AgentPresence.Status.AVAILABLE and presence.last_seen_at is not None
            and presence.last_seen_at >= lapse_cutoff(now))


def any_present(*, now: datetime) -> bool:
    """Whether an agent is present (present_agents' rule), without reading their rows and counts."""
    return AgentPresence.objects.filter(status=AgentPresence.Status.AVAILABLE,
                                        last_seen_at__gte=lapse_cutoff(now)).exists()


def is_present(*, agent, now: datetime) -> bool:
    return present_agents(now=now).filter(agent=agent).exists()


@dataclass(frozen=True)
class Seats:
    agents: int
    total: int
    busy: int

    @property
    def free(self) -> int:
        return max(self.total - self.busy, 0)


def seats(*, now: datetime, rows: list | None = None) -> Seats:
    """Seats of the agents present (`rows`: present_agents, already read): capacities, and how many are taken."""
    rows = list(present_agents(now=now)) if rows is None else rows
    return Seats(agents=len(rows), total=sum(row.capacity for row in rows),
                 busy=sum(min(row.active, row.capacity) for row in rows))
