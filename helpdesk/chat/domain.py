"""The life of a conversation: the only functions that change its state.

States are data (ALLOWED); every change goes through `_move`, a compare-and-set on the state it
expects that records the event, so two agents taking the same conversation, or the sweep and an
agent closing it the same second, change it once. Messages are written here, before anyone
broadcasts them. Nothing here talks to the channel layer: consumers and the sweep do that.
"""
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from helpdesk.emails import email_queue
from helpdesk.models import ContactMessage, ContactRequest, OutgoingEmail
from helpdesk.opening_hours import PARIS
from helpdesk.services import REFERENCE_PREFIX, contact_request_create
from orders.numbering import next_numbers
from orders.selectors import orders_bought_by

from .models import AgentPresence, ChatEvent, ChatMessage, Conversation
from .presence import is_present_row, lapse_cutoff, present_agents
from .queue import availability, open_conversation_of

State = Conversation.State
Kind = ChatEvent.Kind

# From each state, the states it may move to (ACTIVE → ACTIVE is a transfer to another agent).
ALLOWED = {
    State.WAITING: {State.ACTIVE, State.CLOSED},
    State.ACTIVE: {State.ACTIVE, State.WAITING, State.CLOSED},
    State.CLOSED: set(),
}
OPEN_STATES = (State.WAITING, State.ACTIVE)
NAME_MAX_LENGTH = 80
COMMENT_MAX_LENGTH = 1000
RATE_WINDOW = timedelta(minutes=1)


class ChatError(Exception):
    """An act that does not apply; `code` is the protocol's error code, `message` is ready to show."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, str(message)


def _move(conversation_id: int, *, source, target: str, kind: str, now: datetime, actor=None, detail: str = "",
          match: dict | None = None, where: Q | None = None, **fields) -> Conversation | None:
    """Change the state if it is still one of `source` (and `match`, `where`); record the event. None if not."""
    sources = (source,) if isinstance(source, str) else tuple(source)
    for state in sources:
        if target not in ALLOWED[state]:
            raise ValueError(f"{state} → {target} is not a conversation transition")
    # Inside a caller's transaction (a take, a close) no savepoint: nothing here catches an error and goes on.
    with transaction.atomic(savepoint=False):
        rows = Conversation.objects.filter(where or Q(), pk=conversation_id, **(match or {}))
        # One compare-and-set UPDATE per possible source, no read before: the first that changes a row
        # tells the state it was in (a close tries the usual source first, so one statement in the common case).
        before = next((state for state in sources if rows.filter(state=state).update(state=target, **fields)), None)
        if before is None:
            return None
        ChatEvent.objects.create(conversation_id=conversation_id, kind=kind, from_state=before, to_state=target,
                                 actor=actor, detail=detail[:200], at=now)
    return Conversation.objects.select_related("agent", "order", "visitor", "request").get(pk=conversation_id)


def display_name(user) -> str:
    """A person's first name, or their username when they gave none."""
    return (user.first_name or user.username)[:NAME_MAX_LENGTH]


def conversation_start(*, user, session_key: str | None, topic: str, language: str, now: datetime,
                       order_id=None, name: str = "", email: str = "", text: str = "") -> tuple[Conversation, bool]:
    """Open a conversation in the queue (or give back the visitor's open one); False when it already existed."""
    existing = open_conversation_of(user=user, session_key=session_key)
    if existing is not None:
        return existing, False
    logged_in = user is not None and user.is_authenticated
    if not logged_in and not session_key:
        raise ChatError("not_allowed", _("Rechargez la page pour ouvrir la messagerie."))
    if topic not in Conversation.Topic.values:
        raise ChatError("invalid", _("Choisissez un sujet."))
    order = None
    if logged_in:
        name, email = display_name(user), user.email
        if order_id not in (None, ""):
            try:
                order = orders_bought_by(user).filter(pk=int(order_id)).first()
            except (TypeError, ValueError):
                order = None
            if order is None:
                raise ChatError("invalid", _("Choisissez l'une de vos commandes."))
    else:
        name, email = (name or "").strip()[:NAME_MAX_LENGTH], (email or "").strip()
        if not name:
            raise ChatError("invalid", _("Indiquez votre nom."))
        try:
            validate_email(email)
        except ValidationError:
            raise ChatError("invalid", _("Indiquez une adresse e-mail valide.")) from None
    text = (text or "").strip()
    _check_length(text)
    state = availability(now=now)
    if not state.is_open:
        raise ChatError(state.state, state.message)
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                topic=topic, visitor=user if logged_in else None, session_key="" if logged_in else session_key,
                visitor_name=name, email=email, order=order, language=language, created_at=now, queued_at=now,
                last_activity_at=now,
            )
            ChatEvent.objects.create(conversation=conversation, kind=Kind.OPENED, to_state=State.WAITING,
                                     actor=user if logged_in else None, at=now)
            if text:
                ChatMessage.objects.create(conversation=conversation, author=ChatMessage.Author.VISITOR,
                                           author_user=user if logged_in else None, name=name, text=text,
                                           sent_at=now)
    except IntegrityError:
        # The same visitor started twice at once (two tabs): the other one won, join it.
        existing = open_conversation_of(user=user, session_key=session_key)
        if existing is None:
            raise
        return existing, False
    return conversation, True


def _check_length(text: str) -> None:
    limit = settings.CHAT_MESSAGE_MAX_LENGTH
    if len(text) > limit:
        raise ChatError("too_long", _(
            "Votre message dépasse %(limit)d caractères (il en compte %(count)d) : raccourcissez-le ou "
            "envoyez-le en plusieurs fois."
        ) % {"limit": limit, "count": len(text)})


@dataclass(frozen=True)
class Posted:
    message: ChatMessage
    created: bool


def message_post(*, conversation: Conversation, author: str, user, text: str, now: datetime,
                 client_id=None) -> Posted:
    """Store one message (once per client_id) on an open conversation; the caller broadcasts it after.

    One statement in the common case (_insert_message): the conversation still open (and the agent's),
    the visitor under their rate, the same client_id not stored yet, the row written. Only a refused or
    repeated message costs a second read, to say why.
    """
    text = (text or "").strip()
    if not text:
        raise ChatError("invalid", _("Le message est vide."))
    _check_length(text)
    try:
        client_uuid = uuid.UUID(str(client_id)) if client_id else None
    except ValueError:
        raise ChatError("invalid", _("Message mal formé : rechargez la page.")) from None
    by_agent = author == ChatMessage.Author.AGENT
    name = display_name(user) if by_agent else conversation.visitor_name
    author_user_id = user.pk if user is not None and user.is_authenticated else None
    message_id = _insert_message(conversation_id=conversation.pk, author=author, author_user_id=author_user_id,
                                 name=name, text=text, client_uuid=client_uuid, now=now,
                                 agent_id=user.pk if by_agent else None)
    if message_id is not None:
        return Posted(ChatMessage(pk=message_id, conversation_id=conversation.pk, author=author,
                                  author_user_id=author_user_id, name=name, text=text, client_id=client_uuid,
                                  sent_at=now), True)
    # Nothing written: a resend of a message already stored (the stored one, once), or a refusal.
    earlier = _earlier(conversation, client_uuid)
    if earlier is not None and (not by_agent or earlier.author_user_id == author_user_id):
        return Posted(earlier, False)
    current = Conversation.objects.filter(pk=conversation.pk).values("state", "agent_id").first()
    if current is None or current["state"] == State.CLOSED:
        raise ChatError("closed", _("Cette conversation est terminée."))
    if by_agent:
        raise ChatError("not_allowed", _("Cette conversation n'est pas la vôtre."))
    raise ChatError("too_fast", _(
        "Vous envoyez trop de messages à la fois (%(limit)d par minute au plus) : patientez un instant, "
        "votre texte est conservé."
    ) % {"limit": settings.CHAT_MESSAGES_PER_MINUTE})


def _insert_message(*, conversation_id: int, author: str, author_user_id, name: str, text: str, client_uuid,
                    now: datetime, agent_id=None) -> int | None:
    """INSERT … SELECT: the row, written only if the conversation allows it; its id, or None.

    The conversation's row is read FOR SHARE (PostgreSQL): a close, take or transfer committing at the
    same instant either waits for this message (which then is in the transcript) or makes it refused,
    never a message stored after the conversation's end. SQLite writes one transaction at a time.
    A visitor's rate is counted in the same statement (chat_message_rate_idx); the same client_id twice
    hits chat_message_once and writes nothing (ON CONFLICT DO NOTHING).
    """
    quote = connection.ops.quote_name
    message_table, conversation_table = quote(ChatMessage._meta.db_table), quote(Conversation._meta.db_table)

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    def value(name, data):
        return ChatMessage._meta.get_field(name).get_db_prep_value(data, connection)

    conversation_pk, state = column(Conversation, "id"), column(Conversation, "state")
    conditions, params = [f"{conversation_pk} = %s", f"{state} <> %s"], [conversation_id, State.CLOSED]
    if agent_id is not None:
        conditions += [f"{state} = %s", f"{column(Conversation, 'agent')} = %s"]
        params += [State.ACTIVE, agent_id]
    lock = " FOR SHARE" if connection.features.has_select_for_update else ""
    rate = ""
    columns = ["conversation", "author", "author_user", "name", "text", "client_id", "sent_at"]
    values = [value("author", author), author_user_id, value("name", name), value("text", text),
              value("client_id", client_uuid), value("sent_at", now)]
    params += values
    if agent_id is None:
        rate = (f" AND (SELECT COUNT(*) FROM {message_table} WHERE {column(ChatMessage, 'conversation')} = %s"
                f" AND {column(ChatMessage, 'author')} = %s AND {column(ChatMessage, 'sent_at')} > %s) < %s")
        params += [conversation_id, ChatMessage.Author.VISITOR, value("sent_at", now - RATE_WINDOW),
                   settings.CHAT_MESSAGES_PER_MINUTE]
    sql = (
        f"WITH target AS (SELECT {conversation_pk} FROM {conversation_table} WHERE {' AND '.join(conditions)}{lock}) "
        f"INSERT INTO {message_table} ({', '.join(column(ChatMessage, name) for name in columns)}) "
        f"SELECT target.{conversation_pk}, {', '.join(['%s'] * len(values))} FROM target WHERE 1 = 1{rate} "
        f"ON CONFLICT DO NOTHING RETURNING {column(ChatMessage, 'id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def _earlier(conversation: Conversation, client_uuid) -> ChatMessage | None:
    if client_uuid is None:
        return None
    return ChatMessage.objects.filter(conversation=conversation, client_id=client_uuid).first()


def messages_after(*, conversation: Conversation, after: int = 0):
    """The conversation's messages with an id above `after`, in order (the replay)."""
    try:
        after = max(int(after or 0), 0)
    except (TypeError, ValueError):
        after = 0
    return list(ChatMessage.objects.filter(conversation=conversation, pk__gt=after).order_by("id"))


def _seat_free(presence: AgentPresence | None, now: datetime) -> bool:
    """The agent (their presence row, read locked) is present (present_agents' rule) with a seat free.

    The count is its own statement, after the lock: it sees the takes this agent committed meanwhile.
    """
    if presence is None or not is_present_row(presence, now=now):
        return False
    active = Conversation.objects.filter(agent_id=presence.agent_id, state=State.ACTIVE).count()
    return active < presence.capacity


def conversation_take(*, conversation_id: int, agent, now: datetime) -> Conversation:
    """The agent takes a waiting conversation; exactly one of two agents at the same instant gets it."""
    if not Conversation.objects.filter(pk=conversation_id, state=State.WAITING).exists():
        # Already taken (or closed): said in one read, before any lock. The compare-and-set below
        # still decides between two agents who both saw it waiting.
        raise ChatError("take_refused", _("Un autre conseiller a déjà pris cette conversation."))
    with transaction.atomic():
        # One agent's takes one after the other, so that two at once cannot pass their capacity.
        presence = AgentPresence.objects.select_for_update().filter(agent=agent).first()
        if not _seat_free(presence, now):
            raise ChatError("not_allowed", _(
                "Vous ne pouvez pas prendre de conversation : passez « disponible », ou terminez-en une "
                "(vous êtes à votre maximum)."))
        conversation = _move(conversation_id, source=State.WAITING, target=State.ACTIVE, kind=Kind.TAKEN, now=now,
                             actor=agent, agent=agent, assigned_at=now, last_activity_at=now)
    if conversation is None:
        raise ChatError("take_refused", _("Un autre conseiller a déjà pris cette conversation."))
    return conversation


def conversation_transfer(*, conversation_id: int, agent, to_agent_id: int, now: datetime) -> Conversation:
    """Hand an active conversation to another agent who is present with a free seat."""
    if to_agent_id == agent.pk:
        raise ChatError("invalid", _("Choisissez un autre conseiller."))
    target = present_agents(now=now).filter(agent_id=to_agent_id).first()
    if target is None or target.active >= target.capacity:
        raise ChatError("not_allowed", _("Ce conseiller n'est pas disponible : choisissez-en un autre."))
    conversation = _move(conversation_id, source=State.ACTIVE, target=State.ACTIVE, kind=Kind.TRANSFERRED, now=now,
                         actor=agent, detail=f"{agent.pk}→{to_agent_id}", match={"agent": agent},
                         agent_id=to_agent_id, assigned_at=now, last_activity_at=now)
    if conversation is None:
        raise ChatError("not_allowed", _("Cette conversation n'est plus la vôtre."))
    return conversation


def conversations_release(*, agent, now: datetime) -> list[int]:
    """The agent left: their active conversations go back to the queue, at their first place."""
    agent_id = getattr(agent, "pk", agent)
    released = []
    for conversation_id in Conversation.objects.filter(state=State.ACTIVE, agent_id=agent_id).values_list(
            "pk", flat=True):
        if _move(conversation_id, source=State.ACTIVE, target=State.WAITING, kind=Kind.RELEASED, now=now,
                 match={"agent_id": agent_id}, agent=None, assigned_at=None):
            released.append(conversation_id)
    return released


def _transcript_copy(*, conversation_id: int, request_id: int) -> None:
    """The transcript in one INSERT … SELECT: the visitor's and the agent's lines, in order, as the request's messages.

    No row goes through Python (it built a ChatMessage and a ContactMessage per line, 40 of each for a chat of
    20 exchanges); the roles are those of the help desk (an agent's line is the service client's, a visitor's the
    customer's), the author and the time those of the chat message.
    """
    quote = connection.ops.quote_name

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    columns = ", ".join(column(ContactMessage, name) for name in ("request", "role", "author", "body", "created_at"))
    author = column(ChatMessage, "author")
    sql = (
        f"INSERT INTO {quote(ContactMessage._meta.db_table)} ({columns}) "
        f"SELECT %s, CASE WHEN {author} = %s THEN %s ELSE %s END, {column(ChatMessage, 'author_user')}, "
        f"{column(ChatMessage, 'text')}, {column(ChatMessage, 'sent_at')} FROM {quote(ChatMessage._meta.db_table)} "
        f"WHERE {column(ChatMessage, 'conversation')} = %s AND {author} IN (%s, %s) ORDER BY {column(ChatMessage, 'id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [request_id, ChatMessage.Author.AGENT, ContactMessage.Role.AGENT,
                             ContactMessage.Role.CUSTOMER, conversation_id, ChatMessage.Author.VISITOR,
                             ChatMessage.Author.AGENT])


def conversation_close(*, conversation_id: int, by: str, now: datetime, actor=None,
                       idle_before: datetime | None = None) -> Conversation | None:
    """End the conversation (visitor, agent or idle sweep) and keep it as a closed help-desk request."""
    match = {"agent": actor} if by == Conversation.ClosedBy.AGENT else {}
    # A message written (or a move made) since the sweep looked keeps the conversation alive.
    where = _quiet_since(idle_before) if idle_before is not None else None
    with transaction.atomic():
        # Most closes end a conversation in progress: that compare-and-set first.
        conversation = _move(conversation_id, source=(State.ACTIVE, State.WAITING), target=State.CLOSED, kind=Kind.CLOSED, now=now,
                             actor=actor, detail=by, match=match, where=where, closed_at=now, closed_by=by)
        if conversation is None:
            return None
        (reference,) = next_numbers(prefix=REFERENCE_PREFIX, year=now.astimezone(PARIS).year)
        order = conversation.order
        contact_request = ContactRequest.objects.create(
            reference=reference, topic=conversation.topic, status=ContactRequest.Status.CLOSED,
            requester=conversation.visitor, email=conversation.email or "", order=order,
            order_number=order.number if order else "", seller_name=order.seller.display_name if order else "",
            language=conversation.language, assigned_to=conversation.agent, created_at=conversation.created_at,
            updated_at=now,
        )
        _transcript_copy(conversation_id=conversation_id, request_id=contact_request.pk)
        Conversation.objects.filter(pk=conversation_id).update(request=contact_request)
    conversation.request = contact_request
    return conversation


def conversation_leave_request(*, conversation: Conversation, now: datetime, text: str = "") -> ContactRequest:
    """While waiting: turn the question into a help-desk request (reference SC-…), acknowledged by e-mail."""
    typed = [m.text for m in conversation.messages.filter(author=ChatMessage.Author.VISITOR).order_by("id")]
    if (text or "").strip():
        _check_length(text.strip())
        typed.append(text.strip())
    if not typed:
        raise ChatError("invalid", _("Écrivez d'abord votre question : elle sera transmise au service client."))
    with transaction.atomic():
        moved = _move(conversation.pk, source=State.WAITING, target=State.CLOSED, kind=Kind.LEFT_AS_REQUEST,
                      now=now, actor=conversation.visitor, closed_at=now, closed_by=Conversation.ClosedBy.REQUEST)
        if moved is None:
            raise ChatError("not_allowed", _("Un conseiller a déjà pris votre conversation."))
        contact_request = contact_request_create(
            topic=moved.topic, body="\n\n".join(typed), email=moved.email, language=moved.language, now=now,
            requester=moved.visitor, order=moved.order,
        )
        Conversation.objects.filter(pk=moved.pk).update(request=contact_request)
    return contact_request


def conversation_rate(*, conversation: Conversation, rating: str, comment: str, now: datetime) -> Conversation:
    """The visitor's one rating of a closed conversation, with an optional comment."""
    if rating not in Conversation.Rating.values:
        raise ChatError("invalid", _("Choisissez « satisfait » ou « pas satisfait »."))
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ChatError("too_long", _("Votre commentaire dépasse %(limit)d caractères.") % {
            "limit": COMMENT_MAX_LENGTH})
    with transaction.atomic():
        changed = Conversation.objects.filter(pk=conversation.pk, state=State.CLOSED, rating="").update(
            rating=rating, rating_comment=comment)
        if not changed:
            raise ChatError("not_allowed", _("Cette conversation a déjà été appréciée, ou n'est pas terminée."))
        ChatEvent.objects.create(conversation=conversation, kind=Kind.RATED, from_state=State.CLOSED,
                                 to_state=State.CLOSED, detail=rating, at=now)
    conversation.rating, conversation.rating_comment = rating, comment
    return conversation


def transcript_send(*, conversation: Conversation, now: datetime) -> OutgoingEmail:
    """E-mail the transcript of a closed conversation to the visitor, once (asking again gives the same e-mail)."""
    conversation = Conversation.objects.select_related("request").get(pk=conversation.pk)
    if conversation.state != State.CLOSED or conversation.request is None:
        raise ChatError("not_allowed", _("La transcription est disponible une fois la conversation terminée."))
    with transaction.atomic():
        ContactRequest.objects.select_for_update().filter(pk=conversation.request_id).first()
        earlier = OutgoingEmail.objects.filter(request=conversation.request,
                                               kind=OutgoingEmail.Kind.CHAT_TRANSCRIPT).first()
        if earlier is not None:
            return earlier
        return email_queue(contact_request=conversation.request, kind=OutgoingEmail.Kind.CHAT_TRANSCRIPT, now=now)


def idle_cutoff(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.CHAT_IDLE_TIMEOUT_SECONDS)


def _quiet_since(cutoff: datetime) -> Q:
    """No move (last_activity_at: start, take, transfer) and no message since `cutoff`.

    A message does not touch its conversation's row (one INSERT per message): its own sent_at counts.
    """
    return Q(last_activity_at__lt=cutoff) & ~Exists(
        ChatMessage.objects.filter(conversation=OuterRef("pk"), sent_at__gte=cutoff))


def idle_conversations(*, now: datetime):
    """Open conversations without a message or a move for CHAT_IDLE_TIMEOUT_SECONDS (chat_open_activity_idx)."""
    return Conversation.objects.filter(_quiet_since(idle_cutoff(now)), state__in=OPEN_STATES).order_by(
        "last_activity_at")


def conversations_close_idle(*, now: datetime, limit: int = 500) -> list[Conversation]:
    """The sweep's step: close idle conversations (each once, even with two sweeps at the same time)."""
    closed = []
    for conversation_id in idle_conversations(now=now).values_list("pk", flat=True)[:limit]:
        conversation = conversation_close(conversation_id=conversation_id, by=Conversation.ClosedBy.IDLE, now=now,
                                          idle_before=idle_cutoff(now))
        if conversation is not None:
            closed.append(conversation)
    return closed


# --- presence that changes conversations: the agent's last console closes, or their heartbeat lapses ---

def presence_disconnect(*, agent, now: datetime) -> list[int]:
    """One console fewer; when the last one closes the agent is away and their conversations go back to the queue."""
    with transaction.atomic():
        presence = AgentPresence.objects.select_for_update().filter(agent=agent).first()
        if presence is None:
            return []
        left = max(presence.connections - 1, 0)
        AgentPresence.objects.filter(pk=presence.pk).update(connections=left)
        if left:
            return []
        AgentPresence.objects.filter(pk=presence.pk).update(status=AgentPresence.Status.AWAY)
    return conversations_release(agent=agent, now=now)


def presences_lapse(*, now: datetime) -> list[int]:
    """Agents whose console stopped beating go away (compare-and-set); their conversations go back to the queue."""
    cutoff = lapse_cutoff(now)
    stale = AgentPresence.objects.filter(last_seen_at__lt=cutoff).filter(
        Q(status=AgentPresence.Status.AVAILABLE) | Q(connections__gt=0)
        | Q(agent__chats_assigned__state=Conversation.State.ACTIVE)
    ).distinct()
    released = []
    for presence_id, agent_id in stale.values_list("pk", "agent_id"):
        changed = AgentPresence.objects.filter(pk=presence_id, last_seen_at__lt=cutoff).update(
            status=AgentPresence.Status.AWAY, connections=0,
        )
        if changed:
            released += conversations_release(agent=agent_id, now=now)
    return released
