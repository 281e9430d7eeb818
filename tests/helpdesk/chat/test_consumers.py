"""The chat's websockets through the real ASGI stack (origin check, session auth), on both channel layers."""
import asyncio
import os
import uuid
from datetime import timedelta

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.contrib.sessions.backends.cached_db import SessionStore
from django.test import Client
from django.utils import timezone

from helpdesk.chat.models import ChatMessage, Conversation
from helpdesk.chat.sweep import chat_sweep
from rakuten_portal.asgi import application
from tests.factories import StaffFactory, UserFactory, make_order

REDIS_URL = os.environ.get("CHAT_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
DEAD_REDIS_URL = "redis://127.0.0.1:6399/0"  # nothing listens there: the layer is "down"
TIMEOUT = 5

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def redis_layer(url, prefix="asgi"):
    """The Redis layer the settings choose (CHAT_LAYER_BACKEND: Pub/Sub by default, or the core layer)."""
    return {"default": {"BACKEND": django_settings.CHAT_LAYER_BACKEND, "CONFIG": {
        "hosts": [{"address": url, "socket_connect_timeout": 1, "socket_timeout": 15}], "prefix": prefix}}}


@pytest.fixture(params=["memory", "redis"])
def layer(request, settings):
    """Each test on the in-memory layer and on Redis (db 5; keys of its own, so parallel workers never meet)."""
    if request.param == "redis":
        import redis

        try:
            redis.Redis.from_url(REDIS_URL).ping()
        except redis.ConnectionError:
            pytest.skip(f"Redis is not reachable at {REDIS_URL}")
        settings.CHANNEL_LAYERS = redis_layer(REDIS_URL, prefix=f"test-{uuid.uuid4().hex[:12]}")
    else:
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    return request.param


@pytest.fixture(autouse=True)
def _always_open(settings):
    settings.CHAT_HOURS = "mon-sun 00:00-24:00"
    settings.CHAT_CLOSED_ON_HOLIDAYS = False


@pytest_asyncio.fixture(autouse=True)
async def _queue_news_sent():
    """The coalesced queue broadcast may still be due when a test ends: let it finish before the flush."""
    yield
    from helpdesk.chat.broadcast import queue_news_sent

    await queue_news_sent()


def session_cookie(user=None) -> str:
    """A session the way the browser has one: logged in, or the anonymous one the state endpoint creates."""
    if user is not None:
        client = Client()
        client.force_login(user)
        return client.cookies["sessionid"].value
    session = SessionStore()
    session["chat"] = True
    session.create()
    return session.session_key


async def cookie_for(user=None) -> str:
    return await database_sync_to_async(session_cookie)(user)


async def connect(path="/ws/chat/", *, cookie=None, origin="http://127.0.0.1:8000"):
    headers = [(b"host", b"127.0.0.1:8000"), (b"origin", origin.encode())]
    if cookie:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect(timeout=TIMEOUT)
    return communicator, connected, code


async def until(communicator, kind, check=None, **fields):
    """The next frame of this type (with these field values, passing `check`), skipping the others."""
    while True:
        frame = await communicator.receive_json_from(timeout=TIMEOUT)
        if frame["type"] == kind and all(frame.get(k) == v for k, v in fields.items()) and (
                check is None or check(frame)):
            return frame


async def nothing_with(communicator, text):
    """No frame carrying this text arrives (within a short while); others are skipped."""
    while not await communicator.receive_nothing(timeout=0.5):
        frame = await communicator.receive_json_from(timeout=TIMEOUT)
        assert frame.get("text") != text, frame


async def agent_socket(username, first_name):
    agent = await database_sync_to_async(StaffFactory)(username=username, first_name=first_name)
    communicator, connected, _code = await connect("/ws/chat/agent/", cookie=await cookie_for(agent))
    assert connected
    await until(communicator, "agents")
    await communicator.send_json_to({"type": "presence", "status": "available"})
    await until(communicator, "presence", status="available")
    return agent, communicator


async def visitor_socket(*, user=None, start=True, text="", **fields):
    communicator, connected, _code = await connect(cookie=await cookie_for(user))
    assert connected
    if start:
        frame = {"type": "start", "topic": fields.pop("topic", "tracking"), "text": text, **fields}
        if user is None:
            frame.update(name=fields.get("name", "Zoé"), email=fields.get("email", "zoe@example.com"))
        await communicator.send_json_to(frame)
        await until(communicator, "joined")
    return communicator


async def close_all(*communicators):
    for communicator in communicators:
        await communicator.disconnect()


async def test_visitor_joins_the_queue_and_sees_their_place(layer):
    _agent, console = await agent_socket("agent-anna", "Anna")
    visitor = await visitor_socket(text="Où est mon colis ?")
    queue = await until(visitor, "queue")
    assert (queue["position"], queue["fallback_after_seconds"]) == (1, 240)
    waiting = await until(console, "queue", check=lambda frame: frame["waiting"])
    assert [row["visitor_name"] for row in waiting["waiting"]] == ["Zoé"]
    await close_all(visitor, console)


async def test_queue_positions_update_when_the_first_is_taken(layer):
    _agent, console = await agent_socket("agent-anna", "Anna")
    first = await visitor_socket()
    second = await visitor_socket()
    assert (await until(second, "queue"))["position"] == 2
    first_id = (await database_sync_to_async(Conversation.objects.order_by("id").first)()).pk
    await console.send_json_to({"type": "take", "conversation": first_id})
    assert (await until(console, "taken"))["conversation"]["id"] == first_id
    assert (await until(first, "assigned"))["agent_name"] == "Anna"
    assert (await until(second, "queue", position=1))["position"] == 1
    await close_all(first, second, console)


async def test_a_waiting_visitor_hears_of_the_queue_only_when_their_place_changes(layer):
    _agent, console = await agent_socket("agent-anna", "Anna")
    first = await visitor_socket()
    assert (await until(first, "queue"))["position"] == 1
    second = await visitor_socket()
    assert (await until(second, "queue"))["position"] == 2
    # The queue's news of the second arrival (coalesced, 0.2 s later) changes nothing for the first.
    assert await first.receive_nothing(timeout=0.8)
    assert await second.receive_nothing(timeout=0.1)
    # The console saw both arrive, in order.
    waiting = await until(console, "queue", check=lambda frame: len(frame["waiting"]) == 2)
    assert [row["visitor_name"] for row in waiting["waiting"]] == ["Zoé", "Zoé"]
    await close_all(first, second, console)


async def test_take_race_has_exactly_one_winner(layer):
    _anna, anna = await agent_socket("agent-anna", "Anna")
    _bruno, bruno = await agent_socket("agent-bruno", "Bruno")
    visitor = await visitor_socket()
    conversation = await database_sync_to_async(Conversation.objects.get)()
    await asyncio.gather(anna.send_json_to({"type": "take", "conversation": conversation.pk}),
                         bruno.send_json_to({"type": "take", "conversation": conversation.pk}))

    async def outcome(console):
        while True:
            frame = await console.receive_json_from(timeout=TIMEOUT)
            if frame["type"] in ("taken", "take_refused"):
                return frame["type"]

    results = sorted(await asyncio.gather(outcome(anna), outcome(bruno)))
    assert results == ["take_refused", "taken"]
    assert await database_sync_to_async(conversation.events.filter(kind="taken").count)() == 1
    await close_all(visitor, anna, bruno)


async def test_transfer_to_another_agent(layer):
    _anna, anna = await agent_socket("agent-anna", "Anna")
    bruno_user, bruno = await agent_socket("agent-bruno", "Bruno")
    visitor = await visitor_socket()
    conversation = await database_sync_to_async(Conversation.objects.get)()
    await anna.send_json_to({"type": "take", "conversation": conversation.pk})
    await until(anna, "taken")
    await until(visitor, "assigned", agent_name="Anna")
    await anna.send_json_to({"type": "transfer", "conversation": conversation.pk, "agent": bruno_user.pk})
    assert (await until(anna, "transferred"))["to"] == "Bruno"
    assert (await until(bruno, "taken"))["conversation"]["id"] == conversation.pk
    await until(visitor, "assigned", agent_name="Bruno")
    # Bruno now talks with the visitor; Anna no longer may.
    await bruno.send_json_to({"type": "message", "conversation": conversation.pk, "text": "Bonjour, Bruno ici",
                              "client_id": str(uuid.uuid4())})
    assert (await until(visitor, "message"))["name"] == "Bruno"
    await anna.send_json_to({"type": "message", "conversation": conversation.pk, "text": "encore moi"})
    assert (await until(anna, "error"))["code"] == "not_allowed"
    await close_all(visitor, anna, bruno)


async def test_messages_both_ways_with_typing(layer):
    _anna, console = await agent_socket("agent-anna", "Anna")
    visitor = await visitor_socket()
    conversation = await database_sync_to_async(Conversation.objects.get)()
    await console.send_json_to({"type": "take", "conversation": conversation.pk})
    await until(visitor, "assigned")
    await visitor.send_json_to({"type": "typing", "on": True})
    assert (await until(console, "typing"))["on"] is True
    await visitor.send_json_to({"type": "message", "text": "<script>x</script>", "client_id": str(uuid.uuid4())})
    received = await until(console, "message")
    assert (received["author"], received["text"]) == ("visitor", "<script>x</script>")  # plain text, as typed
    await console.send_json_to({"type": "typing", "conversation": conversation.pk, "on": True})
    assert (await until(visitor, "typing"))["on"] is True
    await console.send_json_to({"type": "message", "conversation": conversation.pk, "text": "Je regarde",
                                "client_id": str(uuid.uuid4())})
    assert (await until(visitor, "message", author="agent"))["text"] == "Je regarde"
    await close_all(visitor, console)


async def test_reconnect_replays_in_order_without_duplicates(layer):
    await agent_socket("agent-anna", "Anna")
    buyer = await database_sync_to_async(UserFactory)(username="alice", first_name="Alice")
    visitor = await visitor_socket(user=buyer)
    client_ids = [str(uuid.uuid4()) for _ in range(3)]
    ids = []
    for n, client_id in enumerate(client_ids):
        await visitor.send_json_to({"type": "message", "text": f"m{n}", "client_id": client_id})
        ids.append((await until(visitor, "message", client_id=client_id))["id"])
    await visitor.disconnect()

    again, connected, _code = await connect(cookie=await cookie_for(buyer))
    assert connected
    assert (await until(again, "joined"))["conversation"]["state"] == "waiting"
    # The last frame before the cut was lost: the browser resends it, then asks for what it missed.
    await again.send_json_to({"type": "message", "text": "m2", "client_id": client_ids[2]})
    assert (await until(again, "message"))["id"] == ids[2]
    await again.send_json_to({"type": "resume", "after": ids[0]})
    replayed = [(await until(again, "message"))["id"] for _ in range(2)]
    assert replayed == ids[1:]
    assert await database_sync_to_async(ChatMessage.objects.count)() == 3
    await again.disconnect()


async def test_a_stranger_cannot_join_or_read_another_conversation(layer):
    await agent_socket("agent-anna", "Anna")
    owner = await visitor_socket(text="Mon adresse est 3 rue des Lilas")
    conversation = await database_sync_to_async(Conversation.objects.get)()
    stranger = await visitor_socket(start=False)
    # The visitor's frames carry no conversation id: guessing one gives nothing.
    await stranger.send_json_to({"type": "resume", "after": 0, "conversation": conversation.pk})
    assert (await until(stranger, "error"))["code"] == "closed"
    await stranger.send_json_to({"type": "message", "text": "coucou", "conversation": conversation.pk})
    assert (await until(stranger, "error"))["code"] == "closed"
    await nothing_with(owner, "coucou")
    assert await database_sync_to_async(ChatMessage.objects.filter(text="coucou").exists)() is False
    await close_all(owner, stranger)


@pytest.mark.parametrize("who", ["anonymous", "buyer", "staff_without_permission"])
async def test_the_agents_socket_refuses_anyone_but_agents(layer, who):
    user = None
    if who == "buyer":
        user = await database_sync_to_async(UserFactory)(username="bob")
    elif who == "staff_without_permission":
        user = await database_sync_to_async(UserFactory)(username="clerk", is_staff=True)
    _communicator, connected, code = await connect("/ws/chat/agent/", cookie=await cookie_for(user) if user else None)
    assert (connected, code) == (False, 4403)


async def test_an_agent_cannot_resume_another_agents_conversation(layer):
    _anna, anna = await agent_socket("agent-anna", "Anna")
    _bruno, bruno = await agent_socket("agent-bruno", "Bruno")
    visitor = await visitor_socket(text="secret")
    conversation = await database_sync_to_async(Conversation.objects.get)()
    await anna.send_json_to({"type": "take", "conversation": conversation.pk})
    await until(anna, "taken")
    await bruno.send_json_to({"type": "resume", "conversation": conversation.pk, "after": 0})
    assert (await until(bruno, "error"))["code"] == "not_allowed"
    await close_all(visitor, anna, bruno)


async def test_a_foreign_origin_is_refused(layer):
    _communicator, connected, _code = await connect(cookie=await cookie_for(), origin="https://evil.example")
    assert not connected
    _communicator, connected, _code = await connect("/ws/chat/agent/", origin="https://evil.example")
    assert not connected


@pytest.mark.parametrize("cookie", [None, "madeup0session0key0nobody0has00"])
async def test_an_anonymous_socket_without_the_state_endpoints_session_cannot_start(layer, cookie):
    await agent_socket("agent-anna", "Anna")
    communicator, connected, _code = await connect(cookie=cookie)
    assert connected
    await communicator.send_json_to({"type": "start", "topic": "other", "name": "Zoé", "email": "zoe@example.com"})
    assert (await until(communicator, "error"))["code"] == "not_allowed"
    await communicator.disconnect()


async def test_over_long_and_too_fast_messages_are_refused_and_not_stored(layer, settings):
    settings.CHAT_MESSAGE_MAX_LENGTH = 20
    settings.CHAT_MESSAGES_PER_MINUTE = 2
    await agent_socket("agent-anna", "Anna")
    visitor = await visitor_socket()
    await visitor.send_json_to({"type": "message", "text": "x" * 21, "client_id": str(uuid.uuid4())})
    error = await until(visitor, "error")
    assert error["code"] == "too_long" and "20 caractères" in error["message"]
    for n in range(2):
        await visitor.send_json_to({"type": "message", "text": f"m{n}", "client_id": str(uuid.uuid4())})
        await until(visitor, "message")
    await visitor.send_json_to({"type": "message", "text": "m3", "client_id": str(uuid.uuid4())})
    assert (await until(visitor, "error"))["code"] == "too_fast"
    assert await database_sync_to_async(ChatMessage.objects.count)() == 2
    await visitor.disconnect()


async def test_errors_speak_the_visitors_language(layer, settings):
    settings.CHAT_MESSAGE_MAX_LENGTH = 5
    await agent_socket("agent-anna", "Anna")
    visitor = await visitor_socket()
    await visitor.disconnect()
    cookie = await cookie_for()
    headers = [(b"host", b"127.0.0.1:8000"), (b"origin", b"http://127.0.0.1:8000"),
               (b"cookie", f"sessionid={cookie}; django_language=en".encode())]
    english = WebsocketCommunicator(application, "/ws/chat/", headers=headers)
    assert (await english.connect(timeout=TIMEOUT))[0]
    await english.send_json_to({"type": "start", "topic": "other", "name": "Zoe", "email": "zoe@example.com",
                                "text": "far too long"})
    assert "5 characters" in (await until(english, "error"))["message"]
    await english.disconnect()


async def test_presence_lapse_puts_the_conversation_back_in_the_queue(layer):
    _anna, console = await agent_socket("agent-anna", "Anna")
    visitor = await visitor_socket()
    conversation = await database_sync_to_async(Conversation.objects.get)()
    await console.send_json_to({"type": "take", "conversation": conversation.pk})
    await until(visitor, "assigned", agent_name="Anna")
    # Three minutes without a heartbeat (the console froze), then the sweep.
    result = await database_sync_to_async(chat_sweep)(now=timezone.now() + timedelta(minutes=3))
    assert result.released == 1
    assert (await until(visitor, "queue"))["position"] == 1
    await conversation.arefresh_from_db()
    assert (conversation.state, conversation.agent_id) == ("waiting", None)
    await close_all(visitor, console)


async def test_an_agent_who_closes_the_console_leaves_the_conversation_waiting(layer):
    _anna, anna = await agent_socket("agent-anna", "Anna")
    _bruno, bruno = await agent_socket("agent-bruno", "Bruno")
    visitor = await visitor_socket()
    conversation = await database_sync_to_async(Conversation.objects.get)()
    await anna.send_json_to({"type": "take", "conversation": conversation.pk})
    await until(visitor, "assigned")
    await anna.disconnect()
    assert (await until(visitor, "queue"))["position"] == 1
    waiting = await until(bruno, "queue", check=lambda frame: frame["waiting"])  # her leaving refills it
    assert [row["id"] for row in waiting["waiting"]] == [conversation.pk]
    await bruno.send_json_to({"type": "take", "conversation": conversation.pk})
    await until(visitor, "assigned", agent_name="Bruno")
    await close_all(visitor, bruno)


async def test_end_rate_and_transcript(layer):
    _anna, console = await agent_socket("agent-anna", "Anna")
    buyer = await database_sync_to_async(UserFactory)(username="alice", first_name="Alice")
    order = await database_sync_to_async(make_order)(buyer=buyer)
    visitor = await visitor_socket(user=buyer, order=order.pk, text="Mon colis")
    conversation = await database_sync_to_async(Conversation.objects.get)()
    await console.send_json_to({"type": "take", "conversation": conversation.pk})
    taken = await until(console, "taken")
    assert taken["conversation"]["order_number"] == order.number
    await visitor.send_json_to({"type": "end"})
    closed = await until(visitor, "closed")
    assert closed["by"] == "visitor" and closed["request_reference"].startswith("SC-")
    assert closed["request_url"] == f"/aide/mes-demandes/{closed['request_reference']}/"
    assert (await until(console, "closed"))["conversation"] == conversation.pk
    await visitor.send_json_to({"type": "rate", "rating": "satisfied", "comment": "Merci"})
    assert (await until(visitor, "rated"))["rating"] == "satisfied"
    await visitor.send_json_to({"type": "transcript"})
    assert (await until(visitor, "transcript_sent"))["email"] == buyer.email
    await close_all(visitor, console)


async def test_leave_as_a_request_while_waiting(layer):
    await agent_socket("agent-anna", "Anna")
    visitor = await visitor_socket(text="Question sur mon compte")
    await visitor.send_json_to({"type": "leave_request", "text": "Et mon mot de passe"})
    created = await until(visitor, "request_created")
    assert created["reference"].startswith("SC-") and created["url"] is None  # anonymous: no "Mes demandes"
    conversation = await database_sync_to_async(Conversation.objects.select_related("request").get)()
    assert conversation.closed_by == "request"
    await visitor.disconnect()


async def test_waiting_too_long_offers_the_form(layer, settings):
    settings.CHAT_FALLBACK_AFTER_SECONDS = 1
    await agent_socket("agent-anna", "Anna")
    visitor = await visitor_socket(text="Toujours là ?")
    offer = await until(visitor, "offer_fallback")
    assert offer["reason"] == "waited"
    assert offer["contact_url"].startswith("/aide/service-client/?sujet=tracking&message=Toujours")
    await visitor.disconnect()


async def test_closed_chat_offers_the_prefilled_form(layer, settings):
    settings.CHAT_HOURS = "sun 10:00-11:00"
    settings.CHAT_CLOSED_ON_HOLIDAYS = True
    visitor = await visitor_socket(start=False)
    await visitor.send_json_to({"type": "start", "topic": "account", "name": "Zoé", "email": "zoe@example.com",
                                "text": "Mot de passe perdu"})
    assert (await until(visitor, "error"))["code"] == "closed"
    offer = await until(visitor, "offer_fallback")
    assert offer["reason"] == "closed" and "dimanche à 10 h" in offer["opens"]
    assert "sujet=account" in offer["contact_url"] and "Mot+de+passe+perdu" in offer["contact_url"]
    await visitor.disconnect()


async def test_with_the_layer_down_the_visitor_is_told_and_written_messages_stay(layer, settings):
    await agent_socket("agent-anna", "Anna")
    cookie = await cookie_for()
    visitor, _connected, _code = await connect(cookie=cookie)
    await visitor.send_json_to({"type": "start", "topic": "other", "name": "Zoé", "email": "zoe@example.com"})
    await until(visitor, "joined")
    up = settings.CHANNEL_LAYERS
    settings.CHANNEL_LAYERS = redis_layer(DEAD_REDIS_URL)  # Redis goes down
    await visitor.send_json_to({"type": "message", "text": "écrit pendant la panne", "client_id": str(uuid.uuid4())})
    assert (await until(visitor, "error"))["code"] == "unavailable"
    down, connected, _code = await connect(cookie=cookie)
    assert connected
    assert (await until(down, "error"))["code"] == "unavailable"
    newcomer, connected, _code = await connect(cookie=await cookie_for())  # no conversation yet: told too
    assert connected
    assert (await until(newcomer, "error"))["code"] == "unavailable"
    settings.CHANNEL_LAYERS = up  # Redis is back
    again, _connected, _code = await connect(cookie=cookie)
    await until(again, "joined")
    await again.send_json_to({"type": "resume", "after": 0})
    assert (await until(again, "message"))["text"] == "écrit pendant la panne"
    await close_all(again)
