"""The chat's websockets, kept thin: parse a frame, call the domain in a thread, broadcast what changed.

Every frame is in docs/chat-protocol.md. The visitor never names a conversation: it is found from
their account or their session. An agent (rakuten_portal.agents.is_agent) is refused at connect otherwise.
"""
import asyncio
import logging

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import broadcast, domain, frames
from .broadcast import LayerDown
from .db import in_thread
from .domain import ChatError, presence_disconnect
from .models import ChatMessage, Conversation
from .presence import can_handle_chat, presence_connect, presence_heartbeat, present_agents
from .queue import WaitEstimate, availability, last_conversation_of, open_conversation_of, with_queue_position

logger = logging.getLogger(__name__)

FORBIDDEN = 4403


def _language_of(scope) -> str:
    wanted = (scope.get("cookies") or {}).get(settings.LANGUAGE_COOKIE_NAME, "")
    return wanted if wanted in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class ChatConsumer(AsyncJsonWebsocketConsumer):
    """What both sides share: calls in the user's language, errors as frames, frames from the layer."""

    role = ""

    async def call(self, function, /, **kwargs):
        """Run a synchronous function (the domain, a frame builder) in a thread, in the user's language."""
        language = self.language

        def run():
            with translation.override(language):
                return function(**kwargs)

        # Each call is its own transaction, so on PostgreSQL the calls of many sockets run side by side in
        # the thread pool instead of queueing behind one thread; SQLite writes one at a time anyway (and
        # its shared in-memory test database locks tables instead of waiting). helpdesk/chat/db.py.
        return await in_thread(run)

    async def dispatch(self, message):
        """Channels' dispatch without its `aclose_old_connections()` before every handler.

        Channels runs that hop for each websocket frame and each layer event, through the one
        thread-sensitive thread that every socket of the process shares: three hops per chat message
        (the sender's frame, the two sockets receiving it), queued behind each other. It is not needed
        here: these consumers touch the database only inside `call()` (db.in_thread: Channels'
        database_sync_to_async), which closes stale connections around every call.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def send_error(self, code: str, message=None):
        with translation.override(self.language):
            await self.send_json(frames.error(code, message if message is not None else frames.unavailable_message()))

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        handler = self.handlers.get(kind)
        if handler is None:
            await self.send_error("invalid", await self.call(lambda: _("Message non reconnu.")))
            return
        try:
            await handler(self, content)
        except ChatError as exc:
            await self.on_chat_error(exc, content)
        except LayerDown:
            await self.send_error("unavailable")

    async def decode_json(self, text_data):
        import json

        try:
            return json.loads(text_data)
        except ValueError:
            return None

    async def on_chat_error(self, exc: ChatError, content: dict):
        await self.send_error(exc.code, exc.message)

    async def join(self, group: str):
        await self.channel_layer.group_add(group, self.channel_name)

    async def leave(self, group: str):
        try:
            await self.channel_layer.group_discard(group, self.channel_name)
        except Exception:  # noqa: BLE001 — the layer is down; its groups expire by themselves
            logger.warning("Could not leave %s", group, exc_info=True)

    async def replay(self, conversation_id: int, after):
        rows = await self.call(
            lambda: domain.messages_after(conversation=Conversation(pk=conversation_id), after=after))
        for row in rows:
            await self.send_json(frames.message(row))

    # Layer events.
    async def chat_frame(self, event):
        if event.get("exclude") and event["exclude"] == self.channel_name:
            return
        if event.get("audience", "all") in ("all", self.role):
            if await self.on_frame(event["frame"]) is not False:
                await self.send_json(event["frame"])

    async def on_frame(self, frame: dict) -> bool | None:
        """A frame from the layer, before it goes out (False: this socket does not need it)."""

    async def chat_health(self, event):
        """The state endpoint's probe of the layer: nothing to do."""


class VisitorConsumer(ChatConsumer):
    role = "visitor"

    async def connect(self):
        self.user = self.scope.get("user")
        self.language = _language_of(self.scope)
        self.conversation = None
        self.conversation_id = None
        self.queued_at = None
        self.fallback_task = None
        # The queue's group has only the sockets of waiting visitors; `place` is the last one this socket showed.
        self.in_queue = False
        self.place = None
        # Accept first: the handshake must not wait for the database (daphne drops it after 5 s).
        await self.accept()
        session = self.scope.get("session")
        self.session_key, conversation = await self.call(self.visitor_of, session=session)
        try:
            if conversation is not None:
                await self.attach(conversation)
            elif not await broadcast.ping():
                raise LayerDown("ping")
        except Exception:  # noqa: BLE001 — Redis down: say so, the panel offers the form
            logger.warning("Chat: the channel layer refused a visitor's socket", exc_info=True)
            await self.send_error("unavailable")
            await self.close()
            return
        if conversation is not None:
            await self.send_json(await self.call(frames.joined, conversation=conversation))

    def visitor_of(self, *, session):
        """The session's key (None if the state endpoint never made it) and its open conversation, in one hop."""
        session_key = None
        if session is not None:
            # Loaded (already, by the auth middleware): Django forgets a key the store does not have.
            session.get("chat")
            session_key = session.session_key
        return session_key, open_conversation_of(user=self.user, session_key=session_key)

    async def disconnect(self, code):
        await self.leave_queue()
        if self.conversation_id:
            await self.leave(broadcast.conversation_group(self.conversation_id))
        self.conversation = None

    async def attach(self, conversation: Conversation):
        self.conversation = conversation
        self.conversation_id = conversation.pk
        self.queued_at = conversation.queued_at
        await self.join(broadcast.conversation_group(conversation.pk))
        if conversation.is_waiting:
            await self.enter_queue()

    async def enter_queue(self):
        """Waiting: this socket hears of the queue's moves, and the fallback is offered after the wait."""
        if not self.in_queue:
            await self.join(broadcast.QUEUE)
            self.in_queue = True
        if self.fallback_task is None:
            self.schedule_fallback()

    async def leave_queue(self):
        self.cancel_fallback()
        self.place = None
        if self.in_queue:
            self.in_queue = False
            await self.leave(broadcast.QUEUE)

    def schedule_fallback(self):
        self.cancel_fallback()
        waited = (timezone.now() - self.queued_at).total_seconds()
        delay = max(settings.CHAT_FALLBACK_AFTER_SECONDS - waited, 0)
        self.fallback_task = asyncio.ensure_future(self.offer_fallback_later(delay))

    def cancel_fallback(self):
        if self.fallback_task is not None:
            self.fallback_task.cancel()
            self.fallback_task = None

    async def offer_fallback_later(self, delay: float):
        await asyncio.sleep(delay)
        conversation = await self.call(Conversation.objects.filter(pk=self.conversation_id).first)
        if conversation is not None and conversation.is_waiting:
            url = await self.call(frames.contact_url, conversation=conversation)
            await self.send_json(frames.offer_fallback("waited", url=url))

    async def own(self) -> Conversation:
        conversation = await self.call(open_conversation_of, user=self.user, session_key=self.session_key)
        if conversation is None:
            raise ChatError("closed", await self.call(lambda: _("Aucune conversation en cours.")))
        return conversation

    async def state_frame(self, conversation: Conversation) -> dict:
        if conversation.is_waiting:
            frame = await self.call(frames.visitor_queue, conversation=conversation, now=timezone.now())
            self.place = (frame["position"], frame["estimated_wait_seconds"])
            return frame
        if conversation.is_active:
            return await self.call(frames.assigned, conversation=conversation)
        return await self.call(frames.closed, conversation=conversation)

    async def on_start(self, content):
        user = self.user if self.user is not None and self.user.is_authenticated else None
        conversation, created = await self.call(
            domain.conversation_start, user=user, session_key=self.session_key, topic=content.get("topic", ""),
            language=self.language, now=timezone.now(), order_id=content.get("order"),
            name=str(content.get("name") or ""), email=str(content.get("email") or ""),
            text=str(content.get("text") or ""),
        )
        await self.attach(conversation)
        # Read again once in the group: an agent may have taken it in between, and that news went to a
        # group this socket had not joined yet. The frames that follow a start come from that one thread hop.
        conversation, sent = await self.call(self.started, conversation_id=conversation.pk)
        self.conversation = conversation
        if not conversation.is_waiting:
            await self.leave_queue()
        for frame in sent:
            await self.send_json(frame)
        if created:
            await broadcast.queue_changed()

    def started(self, *, conversation_id: int):
        """After a start: `joined`, every message stored, then the state (`queue` or `assigned`)."""
        conversation = with_queue_position(Conversation.objects.select_related("agent")).get(pk=conversation_id)
        messages = domain.messages_after(conversation=conversation, after=0)
        if conversation.is_waiting:
            state = frames.visitor_queue(conversation, now=timezone.now(), position=conversation.queue_position)
            self.place = (state["position"], state["estimated_wait_seconds"])
        elif conversation.is_active:
            state = frames.assigned(conversation)
        else:
            state = frames.closed(conversation)
        return conversation, [frames.joined(conversation), *map(frames.message, messages), state]

    async def on_chat_error(self, exc: ChatError, content: dict):
        await self.send_error(exc.code, exc.message)
        if content.get("type") == "start" and exc.code in ("busy", "closed"):
            state = await self.call(availability, now=timezone.now())
            url = await self.call(frames.contact_url, topic=str(content.get("topic") or ""),
                                  text=str(content.get("text") or ""))
            await self.send_json(frames.offer_fallback(exc.code, url=url, opens=state.opens))

    async def on_resume(self, content):
        conversation = await self.own()
        await self.replay(conversation.pk, content.get("after", 0))
        await self.send_json(await self.state_frame(conversation))

    async def on_message(self, content):
        # The conversation this socket joined is the visitor's; message_post refuses it once closed.
        conversation = self.conversation if self.conversation is not None else await self.own()
        posted = await self.call(domain.message_post, conversation=conversation, author=ChatMessage.Author.VISITOR,
                                 user=self.user, text=str(content.get("text") or ""), now=timezone.now(),
                                 client_id=content.get("client_id"))
        frame = frames.message(posted.message)
        if not posted.created:
            await self.send_json(frame)  # a retry: the stored message again, to this socket only
            return
        try:
            await broadcast.to_conversation(conversation.pk, frame)
        except LayerDown:
            await self.send_json(frame)  # stored: the agent gets it on their next resume
            raise

    async def on_typing(self, content):
        if self.conversation_id:
            await broadcast.to_conversation(self.conversation_id, {
                "type": "typing", "conversation": self.conversation_id, "on": bool(content.get("on"))},
                audience="agent")

    async def on_end(self, content):
        actor = self.user if self.user and self.user.is_authenticated else None
        closed = None
        if self.conversation_id:
            # The conversation this socket joined is the visitor's (found from their account or session):
            # closed without reading it again. Already closed: the visitor's open one, as below.
            closed = await self.call(domain.conversation_close, conversation_id=self.conversation_id,
                                     by=Conversation.ClosedBy.VISITOR, now=timezone.now(), actor=actor)
        if closed is None:
            conversation = await self.own()
            closed = await self.call(domain.conversation_close, conversation_id=conversation.pk,
                                     by=Conversation.ClosedBy.VISITOR, now=timezone.now(), actor=actor)
        if closed is None:
            raise ChatError("closed", await self.call(lambda: _("Cette conversation est déjà terminée.")))
        await self.leave_queue()
        await broadcast.conversation_closed(closed)

    async def on_leave_request(self, content):
        conversation = await self.own()
        contact_request = await self.call(domain.conversation_leave_request, conversation=conversation,
                                          now=timezone.now(), text=str(content.get("text") or ""))
        await self.leave_queue()
        await self.send_json({"type": "request_created", "reference": contact_request.reference,
                              "url": frames.request_link(contact_request)})
        closed = await self.call(Conversation.objects.select_related("request").get, pk=conversation.pk)
        await broadcast.conversation_closed(closed)

    async def last(self) -> Conversation:
        conversation = await self.call(last_conversation_of, user=self.user, session_key=self.session_key)
        if conversation is None:
            raise ChatError("closed", await self.call(lambda: _("Aucune conversation à reprendre.")))
        return conversation

    async def on_rate(self, content):
        conversation = await self.call(domain.conversation_rate, conversation=await self.last(),
                                       rating=str(content.get("rating") or ""),
                                       comment=str(content.get("comment") or ""), now=timezone.now())
        await self.send_json({"type": "rated", "rating": conversation.rating})

    async def on_transcript(self, content):
        email = await self.call(domain.transcript_send, conversation=await self.last(), now=timezone.now())
        await self.send_json({"type": "transcript_sent", "email": email.to})

    handlers = {"start": on_start, "resume": on_resume, "message": on_message, "typing": on_typing,
                "end": on_end, "leave_request": on_leave_request, "rate": on_rate, "transcript": on_transcript}

    async def on_frame(self, frame: dict):
        if frame.get("type") == "closed" or (frame.get("type") == "assigned" and frame.get("agent_name")):
            await self.leave_queue()
        elif frame.get("type") == "assigned":
            await self.enter_queue()  # back in the queue (the agent left): the next queue news has the place

    async def chat_frame(self, event):
        await super().chat_frame(event)
        frame = event["frame"]
        if frame.get("type") == "assigned" and not frame.get("agent_name") and self.conversation_id:
            # Back in the queue: the queue's news may have gone out before this socket joined its group again.
            conversation = await self.call(Conversation.objects.filter(pk=self.conversation_id).first)
            if conversation is not None and conversation.is_waiting:
                self.conversation = conversation
                await self.send_json(await self.state_frame(conversation))

    async def chat_queue(self, event):
        """The queue moved: the visitor's new place and wait, sent only when one of them changed."""
        try:
            position = event["waiting_ids"].index(self.conversation_id) + 1
        except ValueError:
            return
        estimated = WaitEstimate(*event["estimate"]).for_position(position)
        if (position, estimated) == self.place:
            return
        self.place = (position, estimated)
        now = timezone.now()
        await self.send_json({
            "type": "queue", "position": position, "estimated_wait_seconds": estimated,
            "waited_seconds": max(int((now - self.queued_at).total_seconds()), 0),
            "fallback_after_seconds": event["fallback_after_seconds"],
        })


class AgentConsumer(ChatConsumer):
    role = "agent"

    async def connect(self):
        self.user = self.scope.get("user")
        self.language = _language_of(self.scope)
        self.conversations: set[int] = set()
        self.shown: dict[str, list] = {}
        self.present = False
        if not await in_thread(can_handle_chat, user=self.user):
            await self.close(code=FORBIDDEN)
            return
        await self.accept()
        try:
            await self.join(broadcast.AGENTS)
            await self.join(broadcast.agent_group(self.user.pk))
        except Exception:  # noqa: BLE001 — Redis down
            logger.warning("Chat: the channel layer refused an agent's socket", exc_info=True)
            await self.send_error("unavailable")
            await self.close()
            return
        presence = await self.call(presence_connect, agent=self.user, now=timezone.now())
        self.present = True
        mine = await self.call(lambda: list(Conversation.objects.filter(
            state=Conversation.State.ACTIVE, agent=self.user).select_related("order").order_by("assigned_at")))
        for conversation in mine:
            await self.follow(conversation)
        await self.send_json(frames.presence(presence, active=len(mine)))
        await self.send_json(await self.call(frames.agents_queue, now=timezone.now()))
        await self.send_json(await self.call(frames.agents, now=timezone.now()))

    async def disconnect(self, code):
        if not getattr(self, "present", False):
            return  # refused at connect, or the layer was down: nothing was counted
        released = await self.call(presence_disconnect, agent=self.user, now=timezone.now())
        for group in [broadcast.AGENTS, broadcast.agent_group(self.user.pk)] + [
                broadcast.conversation_group(pk) for pk in self.conversations]:
            await self.leave(group)
        try:
            for conversation_id in released:
                await broadcast.conversation_released(conversation_id)
            await broadcast.queue_changed()
        except LayerDown:
            pass  # the release is stored: visitors and consoles read it when they reconnect to a working layer

    async def follow(self, conversation: Conversation, taken: dict | None = None):
        self.conversations.add(conversation.pk)
        await self.join(broadcast.conversation_group(conversation.pk))
        await self.send_json(taken or await self.call(frames.taken, conversation=conversation))

    async def mine(self, content) -> Conversation:
        try:
            conversation_id = int(content.get("conversation"))
        except (TypeError, ValueError):
            conversation_id = 0
        conversation = await self.call(Conversation.objects.filter(
            pk=conversation_id, agent=self.user, state=Conversation.State.ACTIVE).first)
        if conversation is None:
            raise ChatError("not_allowed", await self.call(lambda: _("Cette conversation n'est pas la vôtre.")))
        return conversation

    async def followed(self, content) -> Conversation:
        """A conversation this socket follows (message_post checks it is still this agent's), without a query."""
        try:
            conversation_id = int(content.get("conversation"))
        except (TypeError, ValueError):
            conversation_id = 0
        if conversation_id not in self.conversations:
            return await self.mine(content)
        return Conversation(pk=conversation_id)

    async def on_presence(self, content):
        status = content.get("status")
        if status not in ("available", "away"):
            raise ChatError("invalid", await self.call(lambda: _("Présence inconnue.")))
        frame, seats_changed = await self.call(self.heartbeat, status=status)
        await self.send_json(frame)
        if seats_changed:
            await broadcast.queue_changed()  # seats changed: the lists and the visitors' waits too

    def heartbeat(self, *, status: str):
        """The heartbeat, the console's `presence` frame, and whether the agents present changed, in one thread hop."""
        before = [row.agent_id for row in present_agents(now=timezone.now())]
        presence = presence_heartbeat(agent=self.user, status=status, now=timezone.now())
        active = Conversation.objects.filter(state=Conversation.State.ACTIVE, agent=self.user).count()
        after = [row.agent_id for row in present_agents(now=timezone.now())]
        return frames.presence(presence, active=active), before != after

    async def on_take(self, content):
        try:
            conversation_id = int(content.get("conversation"))
        except (TypeError, ValueError):
            raise ChatError("invalid", await self.call(lambda: _("Conversation inconnue."))) from None
        conversation, taken, assigned = await self.call(self.take, conversation_id=conversation_id)
        # This socket joins the conversation's group before the visitor hears of it; other tabs follow.
        await self.follow(conversation, taken)
        await broadcast.to_agent(self.user.pk, {"type": "chat.join", "conversation": conversation.pk})
        await broadcast.to_conversation(conversation.pk, assigned, audience="visitor")
        await broadcast.queue_changed()

    def take(self, *, conversation_id: int):
        """The take and the two frames it sends, in one thread hop."""
        conversation = domain.conversation_take(conversation_id=conversation_id, agent=self.user, now=timezone.now())
        return conversation, frames.taken(conversation), frames.assigned(conversation)

    async def on_chat_error(self, exc: ChatError, content: dict):
        if exc.code == "take_refused":
            await self.send_json({"type": "take_refused", "conversation": content.get("conversation"),
                                  "message": exc.message})
        else:
            await self.send_error(exc.code, exc.message)

    async def on_message(self, content):
        conversation = await self.followed(content)
        posted = await self.call(domain.message_post, conversation=conversation, author=ChatMessage.Author.AGENT,
                                 user=self.user, text=str(content.get("text") or ""), now=timezone.now(),
                                 client_id=content.get("client_id"))
        frame = frames.message(posted.message)
        if not posted.created:
            await self.send_json(frame)
            return
        try:
            await broadcast.to_conversation(conversation.pk, frame)
        except LayerDown:
            await self.send_json(frame)
            raise

    async def on_typing(self, content):
        conversation = await self.followed(content)
        await broadcast.to_conversation(conversation.pk, {"type": "typing", "conversation": conversation.pk,
                                                          "on": bool(content.get("on"))}, audience="visitor")

    async def on_transfer(self, content):
        conversation = await self.mine(content)
        try:
            to_agent_id = int(content.get("agent"))
        except (TypeError, ValueError):
            raise ChatError("invalid", await self.call(lambda: _("Choisissez un conseiller."))) from None
        moved = await self.call(domain.conversation_transfer, conversation_id=conversation.pk, agent=self.user,
                                to_agent_id=to_agent_id, now=timezone.now())
        await broadcast.to_agent(self.user.pk, {"type": "chat.leave", "conversation": moved.pk})
        await broadcast.to_agent(to_agent_id, {"type": "chat.join", "conversation": moved.pk})
        await broadcast.to_conversation(moved.pk, await self.call(frames.assigned, conversation=moved),
                                        audience="visitor")
        await self.send_json({"type": "transferred", "conversation": moved.pk,
                              "to": (await self.call(frames.assigned, conversation=moved))["agent_name"]})
        await broadcast.queue_changed()

    async def on_close(self, content):
        conversation = await self.mine(content)
        closed = await self.call(domain.conversation_close, conversation_id=conversation.pk,
                                 by=Conversation.ClosedBy.AGENT, actor=self.user, now=timezone.now())
        if closed is None:
            raise ChatError("closed", await self.call(lambda: _("Cette conversation est déjà terminée.")))
        await broadcast.conversation_closed(closed)

    async def on_resume(self, content):
        conversation = await self.mine(content)
        await self.replay(conversation.pk, content.get("after", 0))

    handlers = {"presence": on_presence, "take": on_take, "message": on_message, "typing": on_typing,
                "transfer": on_transfer, "close": on_close, "resume": on_resume}

    @staticmethod
    def _list_shown(frame: dict):
        """What a console shows of a `queue` or `agents` frame (the waits tick in the browser); None otherwise."""
        if frame.get("type") == "queue":
            return [(row["id"], row["topic"], row["visitor_name"], row["order_number"]) for row in frame["waiting"]]
        if frame.get("type") == "agents":
            return frame["available"]
        return None

    async def on_frame(self, frame: dict):
        """The consoles' lists come after every change anywhere; this socket skips one it already shows."""
        shown = self._list_shown(frame)
        return shown is None or shown != self.shown.get(frame["type"])

    async def send_json(self, content, close=False):
        shown = self._list_shown(content)
        if shown is not None:
            self.shown[content["type"]] = shown  # at connect or from the layer
        await super().send_json(content, close=close)

    async def chat_join(self, event):
        """This agent now holds a conversation (taken here or in another tab, or transferred to them)."""
        if event["conversation"] in self.conversations:
            return  # this socket took it: already followed
        conversation = await self.call(Conversation.objects.select_related("order").filter(
            pk=event["conversation"], agent=self.user, state=Conversation.State.ACTIVE).first)
        if conversation is not None and conversation.pk not in self.conversations:
            await self.follow(conversation)

    async def chat_leave(self, event):
        self.conversations.discard(event["conversation"])
        await self.leave(broadcast.conversation_group(event["conversation"]))

