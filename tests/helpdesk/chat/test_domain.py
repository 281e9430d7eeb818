"""The conversation's life: every state change through the domain, checked against the transition table."""
from datetime import timedelta
from uuid import uuid4

import pytest
from django.core import mail

from helpdesk.chat import domain
from helpdesk.chat.domain import ALLOWED, ChatError
from helpdesk.chat.models import ChatEvent, ChatMessage, Conversation
from helpdesk.chat.queue import availability, queue_position, wait_estimate
from helpdesk.models import ContactRequest, OutgoingEmail
from tests.factories import UserFactory, make_order

State = Conversation.State
pytestmark = pytest.mark.django_db


def start(now, *, session="s1", user=None, **fields):
    fields.setdefault("topic", "tracking")
    if user is None:
        fields.setdefault("name", "Zoé")
        fields.setdefault("email", "zoe@example.com")
    conversation, _created = domain.conversation_start(user=user, session_key=session, language="fr", now=now,
                                                       **fields)
    return conversation


def test_transition_table_has_no_way_out_of_closed():
    assert ALLOWED[State.CLOSED] == set()
    assert State.ACTIVE in ALLOWED[State.WAITING] and State.WAITING in ALLOWED[State.ACTIVE]


@pytest.mark.parametrize(("source", "target"), [(State.CLOSED, State.WAITING), (State.CLOSED, State.ACTIVE),
                                                (State.WAITING, State.WAITING)])
def test_a_move_outside_the_table_is_refused(source, target, now):
    with pytest.raises(ValueError):
        domain._move(1, source=source, target=target, kind="opened", now=now)


def test_start_queues_the_visitor_with_an_event(make_agent, now):
    make_agent()
    conversation = start(now, text="Où est mon colis ?")
    assert conversation.state == State.WAITING
    assert list(conversation.events.values_list("kind", "to_state")) == [("opened", "waiting")]
    assert conversation.messages.get().text == "Où est mon colis ?"


def test_start_twice_gives_back_the_open_conversation(make_agent, now):
    make_agent()
    first = start(now)
    again, created = domain.conversation_start(user=None, session_key="s1", topic="purchase", language="fr",
                                               now=now, name="Zoé", email="zoe@example.com")
    assert (again.pk, created) == (first.pk, False)


def test_a_buyer_attaches_only_their_own_order(make_agent, buyer, now):
    make_agent()
    other_order = make_order()
    with pytest.raises(ChatError) as refused:
        start(now, user=buyer, order_id=other_order.pk)
    assert refused.value.code == "invalid"
    conversation = start(now, user=buyer, order_id=buyer.order.pk)
    assert (conversation.order, conversation.visitor_name, conversation.email) == (buyer.order, "Alice",
                                                                                 buyer.email)


@pytest.mark.parametrize(("name", "email"), [("", "zoe@example.com"), ("Zoé", "pas-une-adresse")])
def test_an_anonymous_visitor_gives_a_name_and_an_email(make_agent, now, name, email):
    make_agent()
    with pytest.raises(ChatError):
        start(now, name=name, email=email)


def test_no_agent_present_means_closed(now):
    with pytest.raises(ChatError) as refused:
        start(now)
    assert refused.value.code == "closed"
    assert availability(now=now).reason == "no_agent"


def test_the_queue_at_its_maximum_is_busy(make_agent, now, settings):
    settings.CHAT_QUEUE_MAX = 2
    make_agent()
    start(now, session="a")
    start(now, session="b")
    with pytest.raises(ChatError) as refused:
        start(now, session="c")
    assert refused.value.code == "busy"
    assert "position 3" in refused.value.message


def test_queue_positions_are_first_come_first_served(make_agent, now):
    make_agent(capacity=1)
    first = start(now, session="a")
    second = start(now + timedelta(seconds=5), session="b")
    third = start(now + timedelta(seconds=9), session="c")
    assert [queue_position(c) for c in (first, second, third)] == [1, 2, 3]
    estimate = wait_estimate(now=now)
    assert estimate.for_position(1) == 30  # a seat is free
    assert estimate.for_position(3) == 2 * 300  # two turns of one seat at the default handling time


def test_take_assigns_and_only_one_agent_wins(make_agent, now):
    anna, bruno = make_agent("agent-anna"), make_agent("agent-bruno")
    conversation = start(now)
    taken = domain.conversation_take(conversation_id=conversation.pk, agent=anna, now=now)
    assert (taken.state, taken.agent) == (State.ACTIVE, anna)
    with pytest.raises(ChatError) as refused:
        domain.conversation_take(conversation_id=conversation.pk, agent=bruno, now=now)
    assert refused.value.code == "take_refused"
    assert conversation.events.filter(kind="taken").count() == 1


def test_an_agent_at_capacity_cannot_take_more(make_agent, now):
    anna = make_agent("agent-anna", capacity=1)
    one, two = start(now, session="a"), start(now, session="b")
    domain.conversation_take(conversation_id=one.pk, agent=anna, now=now)
    with pytest.raises(ChatError) as refused:
        domain.conversation_take(conversation_id=two.pk, agent=anna, now=now)
    assert refused.value.code == "not_allowed"


def test_an_absent_agent_cannot_take(make_agent, now):
    make_agent("agent-anna")
    ghost = make_agent("agent-ghost", present=False)
    conversation = start(now)
    with pytest.raises(ChatError):
        domain.conversation_take(conversation_id=conversation.pk, agent=ghost, now=now)


def test_transfer_to_a_present_agent(make_agent, now):
    anna, bruno = make_agent("agent-anna"), make_agent("agent-bruno")
    absent = make_agent("agent-carl", present=False)
    conversation = start(now)
    domain.conversation_take(conversation_id=conversation.pk, agent=anna, now=now)
    with pytest.raises(ChatError):
        domain.conversation_transfer(conversation_id=conversation.pk, agent=anna, to_agent_id=absent.pk, now=now)
    with pytest.raises(ChatError):  # not hers to give
        domain.conversation_transfer(conversation_id=conversation.pk, agent=bruno, to_agent_id=anna.pk, now=now)
    moved = domain.conversation_transfer(conversation_id=conversation.pk, agent=anna, to_agent_id=bruno.pk, now=now)
    assert (moved.state, moved.agent) == (State.ACTIVE, bruno)
    assert conversation.events.filter(kind="transferred", actor=anna).exists()


def test_message_is_stored_once_per_client_id(make_agent, now):
    make_agent()
    conversation = start(now)
    client_id = uuid4()
    first = domain.message_post(conversation=conversation, author="visitor", user=None, text="Bonjour", now=now,
                                client_id=client_id)
    again = domain.message_post(conversation=conversation, author="visitor", user=None, text="Bonjour", now=now,
                                client_id=str(client_id))
    assert first.created and not again.created and first.message.pk == again.message.pk
    assert conversation.messages.count() == 1


def test_a_message_over_the_limit_is_refused_and_not_stored(make_agent, now, settings):
    settings.CHAT_MESSAGE_MAX_LENGTH = 10
    make_agent()
    conversation = start(now)
    with pytest.raises(ChatError) as refused:
        domain.message_post(conversation=conversation, author="visitor", user=None, text="x" * 11, now=now)
    assert refused.value.code == "too_long" and "10" in refused.value.message
    assert not conversation.messages.exists()


def test_too_many_messages_a_minute_are_refused(make_agent, now, settings):
    settings.CHAT_MESSAGES_PER_MINUTE = 3
    make_agent()
    conversation = start(now)
    for n in range(3):
        domain.message_post(conversation=conversation, author="visitor", user=None, text=f"m{n}", now=now)
    with pytest.raises(ChatError) as refused:
        domain.message_post(conversation=conversation, author="visitor", user=None, text="m4", now=now)
    assert refused.value.code == "too_fast"
    assert conversation.messages.count() == 3
    later = now + timedelta(seconds=61)
    assert domain.message_post(conversation=conversation, author="visitor", user=None, text="m4", now=later).created


def test_only_the_assigned_agent_writes(make_agent, now):
    anna, bruno = make_agent("agent-anna"), make_agent("agent-bruno")
    conversation = start(now)
    domain.conversation_take(conversation_id=conversation.pk, agent=anna, now=now)
    with pytest.raises(ChatError):
        domain.message_post(conversation=conversation, author="agent", user=bruno, text="Bonjour", now=now)
    posted = domain.message_post(conversation=conversation, author="agent", user=anna, text="Bonjour", now=now)
    assert posted.message.name == "Anna"


def test_replay_gives_messages_after_an_id_in_order(make_agent, now):
    make_agent()
    conversation = start(now)
    ids = [domain.message_post(conversation=conversation, author="visitor", user=None, text=f"m{n}",
                               now=now).message.pk for n in range(4)]
    assert [m.pk for m in domain.messages_after(conversation=conversation, after=ids[1])] == ids[2:]


def test_close_keeps_the_conversation_as_a_closed_request(make_agent, buyer, now):
    anna = make_agent("agent-anna")
    conversation = start(now, user=buyer, order_id=buyer.order.pk, text="Colis en retard")
    domain.conversation_take(conversation_id=conversation.pk, agent=anna, now=now)
    domain.message_post(conversation=conversation, author="agent", user=anna, text="Je regarde", now=now)
    closed = domain.conversation_close(conversation_id=conversation.pk, by="visitor", actor=buyer, now=now)
    request = closed.request
    assert (request.status, request.topic, request.order, request.requester, request.assigned_to) == (
        ContactRequest.Status.CLOSED, "tracking", buyer.order, buyer, anna)
    assert list(request.messages.values_list("role", "body")) == [("customer", "Colis en retard"),
                                                                  ("agent", "Je regarde")]
    assert request.reference.startswith("SC-2026-")
    assert domain.conversation_close(conversation_id=conversation.pk, by="visitor", now=now) is None
    with pytest.raises(ChatError):
        domain.message_post(conversation=conversation, author="visitor", user=buyer, text="encore", now=now)


def test_an_agent_closes_only_their_own_conversation(make_agent, now):
    anna, bruno = make_agent("agent-anna"), make_agent("agent-bruno")
    conversation = start(now)
    domain.conversation_take(conversation_id=conversation.pk, agent=anna, now=now)
    assert domain.conversation_close(conversation_id=conversation.pk, by="agent", actor=bruno, now=now) is None
    assert domain.conversation_close(conversation_id=conversation.pk, by="agent", actor=anna, now=now)


def test_leave_request_while_waiting_gives_a_reference_and_keeps_the_text(make_agent, now,
                                                                          django_capture_on_commit_callbacks):
    make_agent()
    conversation = start(now, text="Ma commande")
    with django_capture_on_commit_callbacks(execute=True):
        request = domain.conversation_leave_request(conversation=conversation, now=now, text="n'arrive pas")
    assert request.reference.startswith("SC-")
    assert request.status == ContactRequest.Status.NEW
    assert request.messages.get().body == "Ma commande\n\nn'arrive pas"
    conversation.refresh_from_db()
    assert (conversation.state, conversation.closed_by, conversation.request) == (State.CLOSED, "request", request)
    assert len(mail.outbox) == 1  # the acknowledgement


def test_rating_once_after_close(make_agent, now):
    make_agent()
    conversation = start(now)
    with pytest.raises(ChatError):
        domain.conversation_rate(conversation=conversation, rating="satisfied", comment="", now=now)
    domain.conversation_close(conversation_id=conversation.pk, by="visitor", now=now)
    domain.conversation_rate(conversation=conversation, rating="satisfied", comment="Rapide", now=now)
    with pytest.raises(ChatError):
        domain.conversation_rate(conversation=conversation, rating="not_satisfied", comment="", now=now)
    conversation.refresh_from_db()
    assert (conversation.rating, conversation.request.chat.rating_comment) == ("satisfied", "Rapide")


def test_transcript_is_sent_once_through_the_outbox(make_agent, now, django_capture_on_commit_callbacks):
    anna = make_agent("agent-anna")
    conversation = start(now, text="<b>Bonjour</b>")
    domain.conversation_take(conversation_id=conversation.pk, agent=anna, now=now)
    domain.conversation_close(conversation_id=conversation.pk, by="visitor", now=now)
    with django_capture_on_commit_callbacks(execute=True):
        email = domain.transcript_send(conversation=conversation, now=now)
        assert domain.transcript_send(conversation=conversation, now=now).pk == email.pk
    assert email.kind == OutgoingEmail.Kind.CHAT_TRANSCRIPT and email.to == "zoe@example.com"
    assert len(mail.outbox) == 1
    assert "Zoé : <b>Bonjour</b>" in mail.outbox[0].body  # plain text, as typed


def test_idle_sweep_closes_once_with_an_event(make_agent, now, settings):
    settings.CHAT_IDLE_TIMEOUT_SECONDS = 600
    make_agent()
    idle, lively = start(now, session="a"), start(now, session="b")
    later = now + timedelta(seconds=601)
    domain.message_post(conversation=lively, author="visitor", user=None, text="toujours là", now=later)
    closed = domain.conversations_close_idle(now=later)
    assert [c.pk for c in closed] == [idle.pk]
    assert ChatEvent.objects.get(conversation=idle, kind="closed").detail == "idle"
    assert domain.conversations_close_idle(now=later) == []


def test_a_closed_conversation_cannot_be_taken(make_agent, now):
    anna = make_agent("agent-anna")
    conversation = start(now)
    domain.conversation_close(conversation_id=conversation.pk, by="visitor", now=now)
    with pytest.raises(ChatError):
        domain.conversation_take(conversation_id=conversation.pk, agent=anna, now=now)
    assert ChatMessage.objects.count() == 0 and UserFactory  # nothing written by the refused take


def test_the_transcript_copied_in_one_statement_is_every_line_in_order(make_agent, buyer, now):
    """The close's INSERT … SELECT gives the request what the lines were: role, author, text, time; no system line."""
    anna = make_agent("agent-anna")
    conversation = start(now, user=buyer, text="Bonjour")
    domain.conversation_take(conversation_id=conversation.pk, agent=anna, now=now)
    for n in range(3):
        domain.message_post(conversation=conversation, author="agent", user=anna, text=f"réponse {n}",
                            now=now + timedelta(seconds=2 * n + 1))
        domain.message_post(conversation=conversation, author="visitor", user=buyer, text=f"question {n} <b>&",
                            now=now + timedelta(seconds=2 * n + 2))
    ChatMessage.objects.create(conversation=conversation, author="system", name="", text="note", sent_at=now)
    expected = [("agent" if m.author == "agent" else "customer", m.author_user_id, m.text, m.sent_at)
                for m in conversation.messages.exclude(author="system").order_by("id")]
    closed = domain.conversation_close(conversation_id=conversation.pk, by="visitor", actor=buyer,
                                       now=now + timedelta(minutes=1))
    copied = list(closed.request.messages.order_by("id").values_list("role", "author_id", "body", "created_at"))
    assert copied == expected
    assert len(copied) == 7 and copied[0] == ("customer", buyer.pk, "Bonjour", now)
    assert copied[1][:2] == ("agent", anna.pk)


def test_an_anonymous_visitors_transcript_has_no_author(make_agent, now):
    make_agent()
    conversation = start(now, text="Où est mon colis ?")
    closed = domain.conversation_close(conversation_id=conversation.pk, by="visitor", now=now)
    assert list(closed.request.messages.values_list("role", "author_id", "body")) == [
        ("customer", None, "Où est mon colis ?")]


@pytest.mark.parametrize("taken", [False, True])
def test_a_close_records_the_state_it_came_from(make_agent, now, taken):
    anna = make_agent("agent-anna")
    conversation = start(now)
    if taken:
        domain.conversation_take(conversation_id=conversation.pk, agent=anna, now=now)
    closed = domain.conversation_close(conversation_id=conversation.pk, by="visitor", now=now)
    event = closed.events.get(kind=ChatEvent.Kind.CLOSED)
    assert (event.from_state, event.to_state) == ("active" if taken else "waiting", "closed")
    assert closed.state == "closed" and closed.closed_by == "visitor"
    assert domain.conversation_close(conversation_id=conversation.pk, by="visitor", now=now) is None
    assert closed.events.filter(kind=ChatEvent.Kind.CLOSED).count() == 1


def test_the_place_read_with_the_row_is_the_counted_place(make_agent, now):
    from helpdesk.chat.queue import with_queue_position

    anna = make_agent("agent-anna")
    conversations = [start(now + timedelta(seconds=n // 2), session=f"s{n}") for n in range(5)]  # ties in pairs
    domain.conversation_take(conversation_id=conversations[1].pk, agent=anna, now=now)
    read = {c.pk: c.queue_position for c in with_queue_position(Conversation.objects.all())}
    counted = {c.pk: queue_position(Conversation.objects.get(pk=c.pk)) for c in conversations}
    assert read == counted == {conversations[0].pk: 1, conversations[1].pk: 0, conversations[2].pk: 2,
                               conversations[3].pk: 3, conversations[4].pk: 4}


@pytest.mark.parametrize("status, seen_seconds_ago, allowed", [
    ("available", 0, True), ("available", 119, True), ("available", 121, False), ("away", 0, False)])
def test_a_take_follows_the_presence_rule_of_the_agents_list(make_agent, now, settings, status, seen_seconds_ago,
                                                             allowed):
    """The take reads the agent's locked presence row itself: the same rule as present_agents (the consoles' list)."""
    from helpdesk.chat.models import AgentPresence
    from helpdesk.chat.presence import present_agents

    settings.CHAT_PRESENCE_LAPSE_SECONDS = 120
    anna = make_agent("agent-anna")
    AgentPresence.objects.filter(agent=anna).update(status=status, last_seen_at=now - timedelta(seconds=seen_seconds_ago))
    conversation = start(now - timedelta(seconds=seen_seconds_ago)) if allowed else None
    assert present_agents(now=now).filter(agent=anna).exists() is allowed
    conversation = conversation or Conversation.objects.create(
        topic="tracking", session_key="s9", visitor_name="Zoé", created_at=now, queued_at=now, last_activity_at=now)
    if allowed:
        assert domain.conversation_take(conversation_id=conversation.pk, agent=anna, now=now).agent == anna
    else:
        with pytest.raises(ChatError) as refused:
            domain.conversation_take(conversation_id=conversation.pk, agent=anna, now=now)
        assert refused.value.code == "not_allowed"
