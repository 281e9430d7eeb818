"""Agents' presence: heartbeats lapse after two minutes, seats come from the agents present, leaving requeues."""
from datetime import timedelta

import pytest

from helpdesk.chat import domain
from helpdesk.chat.models import AgentPresence, Conversation
from helpdesk.chat.domain import presence_disconnect, presences_lapse
from helpdesk.chat.presence import can_handle_chat, presence_connect, presence_heartbeat, seats
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def start(now, session):
    return domain.conversation_start(user=None, session_key=session, topic="purchase", language="fr", now=now,
                                     name="Zoé", email="zoe@example.com")[0]


def test_capacity_defaults_to_the_setting(make_agent, settings):
    settings.CHAT_AGENT_CAPACITY = 5
    agent = make_agent()
    assert AgentPresence.objects.get(agent=agent).capacity == 5


def test_seats_count_present_available_agents_only(make_agent, now):
    make_agent("agent-anna", capacity=2)
    make_agent("agent-bruno", capacity=3)
    away = make_agent("agent-carl")
    presence_heartbeat(agent=away, status="away", now=now)
    assert (seats(now=now).agents, seats(now=now).total) == (2, 5)


def test_presence_lapses_after_two_minutes_without_heartbeat(make_agent, now):
    make_agent("agent-anna")
    assert seats(now=now + timedelta(seconds=120)).agents == 1
    assert seats(now=now + timedelta(seconds=121)).agents == 0


def test_a_taken_conversation_uses_a_seat(make_agent, now):
    anna = make_agent("agent-anna", capacity=2)
    conversation = start(now, "a")
    domain.conversation_take(conversation_id=conversation.pk, agent=anna, now=now)
    assert (seats(now=now).busy, seats(now=now).free) == (1, 1)


def test_lapse_sweep_puts_the_conversations_back_at_their_place(make_agent, now):
    anna = make_agent("agent-anna")
    first, second = start(now, "a"), start(now + timedelta(seconds=1), "b")
    domain.conversation_take(conversation_id=first.pk, agent=anna, now=now)
    later = now + timedelta(minutes=3)
    assert presences_lapse(now=later) == [first.pk]
    first.refresh_from_db()
    assert (first.state, first.agent) == (Conversation.State.WAITING, None)
    assert first.events.filter(kind="released").count() == 1
    from helpdesk.chat.queue import queue_position
    assert queue_position(first) == 1 and queue_position(second) == 2
    assert AgentPresence.objects.get(agent=anna).status == "away"
    assert presences_lapse(now=later) == []


def test_the_last_console_closing_requeues_the_agents_conversations(make_agent, now):
    anna = make_agent("agent-anna")
    presence_connect(agent=anna, now=now)
    presence_connect(agent=anna, now=now)
    conversation = start(now, "a")
    domain.conversation_take(conversation_id=conversation.pk, agent=anna, now=now)
    assert presence_disconnect(agent=anna, now=now) == []  # another tab is still open
    assert presence_disconnect(agent=anna, now=now) == [conversation.pk]
    conversation.refresh_from_db()
    assert conversation.state == Conversation.State.WAITING


@pytest.mark.parametrize(("role", "allowed"), [("anonymous", False), ("buyer", False), ("staff", True)])
def test_only_staff_with_the_permission_handle_the_chat(role, allowed, roles):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if role == "anonymous" else roles[role]
    assert can_handle_chat(user) is allowed


def test_staff_without_the_permission_cannot(db):
    plain_staff = UserFactory(username="clerk", is_staff=True)
    assert not can_handle_chat(plain_staff)
