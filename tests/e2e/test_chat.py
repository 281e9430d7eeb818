"""The live chat in Chromium against a real ASGI server: alice and the agent in two browsers at once.

pytest-django's live server speaks WSGI only, so `asgi_server` runs daphne in a thread of the test
process, serving `rakuten_portal.asgi.application` (static files through Channels' handler) on the
test database. The channel layer is the settings' one: Redis when `CHANNEL_LAYER_URL` is set (CI,
and `redis://127.0.0.1:6379/11` for chat-ui's runs), in memory otherwise.
"""
import asyncio
import re
import socket
import threading
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from helpdesk.models import Article, Category, ContactRequest
from helpdesk.opening_hours import DAY_NAMES, PARIS
from helpdesk.shipped import load_shipped_articles
from orders.models import Order

from .conftest import log_in

pytestmark = pytest.mark.e2e

TIMEOUT_S = 10  # as Playwright's (tests/e2e/conftest.py)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def asgi_server(django_db_setup, django_db_blocker):
    """Daphne on a free port for the whole session (Twisted's reactor cannot be started twice)."""
    from daphne.server import Server
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from rakuten_portal.asgi import application

    port = _free_port()
    server = Server(application=ASGIStaticFilesHandler(application), endpoints=[f"tcp:port={port}:interface=127.0.0.1"],
                    signal_handlers=False, verbosity=0)
    thread = threading.Thread(target=server.run, name="daphne", daemon=True)
    with django_db_blocker.unblock():
        thread.start()
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("daphne did not start listening") from None
                time.sleep(0.05)
        yield SimpleNamespace(url=f"http://127.0.0.1:{port}", settle=lambda: _settle(server))
        from twisted.internet import reactor

        reactor.callFromThread(server.stop)
        thread.join(5)


def _settle(server, timeout=15):
    """Wait in daphne's loop until every request and socket it took has finished, disconnects and queue news included.

    A closed browser's sockets end on the server a moment later: the agent's `disconnect()` marks them away and
    releases their conversations (SELECT ... FOR UPDATE). Run during the flush between tests, that deadlocked
    with its TRUNCATE on PostgreSQL: an error at teardown, in 2 of 10 runs on Redis at load 7-10 (1 December).
    """
    from daphne.server import twisted_loop

    from helpdesk.chat.broadcast import queue_news_sent

    async def settled():
        deadline = time.monotonic() + timeout
        while any(not details["application_instance"].done() for details in list(server.connections.values())
                  if "application_instance" in details):
            if time.monotonic() > deadline:
                raise TimeoutError(f"daphne still runs {len(server.connections)} connections after {timeout} s")
            await asyncio.sleep(0.05)
        await queue_news_sent()

    asyncio.run_coroutine_threadsafe(settled(), twisted_loop).result(timeout + 5)


@pytest.fixture
def _server_settles(transactional_db, asgi_server):
    """Set up before the browsers, so torn down after they close: the server is quiet before the database flush."""
    yield
    asgi_server.settle()


@pytest.fixture
def chat_site(demo_data, asgi_server, _server_settles, settings, mailoutbox, page, second_page):
    """The demo data, the help articles, fresh rate limits, e-mails in-process; the two browsers on daphne."""
    from rakuten_portal.celery import app

    load_shipped_articles(Category, Article)
    cache.clear()
    for tab in (page, second_page):
        tab.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield asgi_server
    app.conf.task_always_eager = before
    cache.clear()


def open_all_week(settings):
    settings.CHAT_HOURS = "mon-sun 00:00-23:59"
    settings.CHAT_CLOSED_ON_HOLIDAYS = False


def make_available(agent, timeout=TIMEOUT_S):
    """The agent ticks "Disponible" in the console; wait until the server has stored it (the chat is open).

    The console shows the tick at once and sends it over its socket: a visitor's page loaded before the server
    wrote it reads "closed, no adviser" and its start button leads to the contact form (seen on a loaded machine).
    """
    from helpdesk.chat.queue import availability

    agent.get_by_test_id("presence-available").check()
    deadline = time.monotonic() + timeout
    while availability(now=timezone.now()).state != "open":
        assert time.monotonic() < deadline, f"the agent's presence was not stored within {timeout} s"
        time.sleep(0.05)


def vera_asks_and_the_agent_answers(visitor, agent, chat_site):
    """The agent opens the console and is available; Vera, not signed in, asks from the help centre, is taken and
    answered. Returns the visitor's panel and log, the agent's conversation and reply box."""
    log_in(agent, chat_site, "agent")
    agent.goto(chat_site.url + "/admin/helpdesk/conversation/console/")
    expect(agent.get_by_test_id("console-connection")).to_have_text("Connecté")
    make_available(agent)
    visitor.goto(chat_site.url + "/aide/")
    panel = visitor.get_by_test_id("chat-panel")
    panel.get_by_label("Achat").check()
    panel.get_by_label("Votre nom").fill("Vera")
    panel.get_by_label("Votre adresse e-mail").fill("vera@example.com")
    panel.get_by_label("Votre question").fill("Puis-je payer en plusieurs fois ?")
    panel.get_by_test_id("chat-start-button").click()
    agent.get_by_test_id("queue-item").filter(has_text="Vera").get_by_role("button").click()
    conversation = agent.get_by_test_id("conversation")
    reply = conversation.get_by_role("textbox")
    reply.fill("Oui, en 4 fois par carte.")
    reply.press("Enter")
    log = panel.get_by_test_id("chat-log")
    expect(log.locator("li")).to_have_count(2)
    return panel, log, conversation, reply


def test_alice_chats_with_the_agent_about_her_order_and_finds_the_transcript(chat_site, settings, page, second_page,
                                                                              page_errors, mailoutbox):
    open_all_week(settings)
    alice, agent = page, second_page
    order = Order.objects.filter(buyer__username="alice").order_by("-purchased_at").first()

    # The agent is present in the console.
    log_in(agent, chat_site, "agent")
    agent.goto(chat_site.url + "/admin/helpdesk/conversation/console/")
    expect(agent.get_by_test_id("console-connection")).to_have_text("Connecté")
    make_available(agent)
    expect(agent.get_by_test_id("console-queue")).to_contain_text("Personne n'attend")

    # Alice opens the help centre: the chat opens by itself.
    log_in(alice, chat_site, "alice")
    alice.goto(chat_site.url + "/aide/")
    panel = alice.get_by_test_id("chat-panel")
    expect(panel).to_be_visible()
    panel.get_by_label("Suivi de commande").check()
    panel.get_by_label("Commande concernée").select_option(value=str(order.pk))
    panel.get_by_label("Votre question").fill("Mon colis n'est pas arrivé")
    panel.get_by_test_id("chat-start-button").click()
    expect(panel.get_by_test_id("chat-waiting")).to_contain_text("Un conseiller va vous répondre")
    expect(panel.get_by_test_id("chat-position")).to_have_text(re.compile("Vous êtes le prochain|Votre place dans la file : 1"))

    # The agent sees her waiting (the tab title counts her), takes the conversation, sees her order.
    item = agent.get_by_test_id("queue-item").filter(has_text="Alice")
    expect(item).to_contain_text(order.number)
    expect(agent).to_have_title(re.compile(r"^\(1\) "))
    expect(agent.get_by_test_id("console-alert")).to_contain_text("Nouveau visiteur en attente")
    item.get_by_role("button").click()
    conversation = agent.get_by_test_id("conversation")
    expect(conversation).to_be_visible()
    expect(conversation.get_by_test_id("context-order")).to_contain_text(order.number)
    expect(conversation.locator(".console-log")).to_contain_text("Mon colis n'est pas arrivé")
    expect(panel.get_by_test_id("chat-agent")).to_contain_text("conseiller Rakuten")

    # Messages both ways, with the typing indicator on each side.
    reply = conversation.get_by_role("textbox")
    reply.press_sequentially("Bonjour")
    expect(panel.get_by_test_id("chat-typing")).to_contain_text("écrit…")
    reply.fill("Bonjour Alice, je regarde le suivi de votre colis.")
    reply.press("Enter")
    expect(panel.get_by_test_id("chat-log")).to_contain_text("Bonjour Alice, je regarde le suivi de votre colis.")
    expect(panel.get_by_test_id("chat-typing")).to_have_text("")
    composer = panel.get_by_test_id("chat-message")
    composer.press_sequentially("Merci")
    expect(conversation.locator(".console-typing")).to_contain_text("écrit…")
    composer.fill("Merci beaucoup !")
    composer.press("Enter")
    expect(conversation.locator(".console-log")).to_contain_text("Merci beaucoup !")

    # Alice ends the chat (with confirmation) and rates it in one click.
    panel.get_by_test_id("chat-end").click()
    panel.get_by_test_id("chat-end-confirm").click()
    expect(panel.get_by_test_id("chat-ended")).to_contain_text("Vous avez terminé la conversation.")
    expect(conversation).to_contain_text("Le visiteur a terminé la conversation.")
    panel.get_by_test_id("chat-rate-satisfied").click()
    expect(panel.get_by_test_id("chat-rating-status")).to_have_text("Merci pour votre avis.")
    panel.get_by_test_id("chat-transcript").click()
    expect(panel.get_by_test_id("chat-transcript-status")).to_contain_text("La conversation a été envoyée")

    # The transcript is kept as a request in "Mes demandes".
    reference = ContactRequest.objects.filter(requester__username="alice").latest("pk").reference
    panel.get_by_test_id("chat-requests-link").click()
    expect(alice.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(alice.locator("main")).to_contain_text("Merci beaucoup !")
    expect(alice.locator("main")).to_contain_text("Bonjour Alice, je regarde le suivi de votre colis.")
    alice.goto(chat_site.url + "/aide/mes-demandes/")
    expect(alice.locator("main").get_by_role("link", name=re.compile(reference))).to_be_visible()
    assert page_errors == []


def test_outside_the_hours_the_chat_offers_the_contact_form_prefilled(chat_site, settings, page, page_errors):
    # Open tomorrow only: now is outside the hours.
    tomorrow = (timezone.now().astimezone(PARIS) + timedelta(days=1)).weekday()
    settings.CHAT_HOURS = f"{DAY_NAMES[tomorrow]} 09:00-19:00"
    settings.CHAT_CLOSED_ON_HOLIDAYS = False
    page.goto(chat_site.url + "/aide/")
    panel = page.get_by_test_id("chat-panel")
    expect(panel.get_by_test_id("chat-fallback")).to_contain_text("La messagerie est fermée.")
    panel.get_by_label("Gestion du compte").check()
    panel.get_by_label("Votre nom").fill("Vera")
    panel.get_by_label("Votre adresse e-mail").fill("vera@example.com")
    panel.get_by_label("Votre question").fill("Je ne peux plus me connecter à mon compte.")
    panel.get_by_test_id("chat-start-button").click()

    page.wait_for_url(re.compile(r"/aide/service-client/"))
    expect(page.get_by_label("Nature du problème")).to_have_value("account")
    expect(page.get_by_label("Votre message")).to_have_value("Je ne peux plus me connecter à mon compte.")
    expect(page.get_by_label("Votre adresse e-mail")).to_have_value("vera@example.com")
    page.get_by_role("button", name="Envoyer ma demande").click()
    reference = page.get_by_test_id("reference")
    expect(reference).to_have_text(re.compile(r"SC-\d{4}-\d{6}"))
    contact_request = ContactRequest.objects.get(reference=reference.inner_text())
    assert (contact_request.topic, contact_request.email) == ("account", "vera@example.com")
    assert page_errors == []


def test_a_cut_socket_reconnects_and_replays_what_was_written_meanwhile_once(chat_site, settings, page, second_page,
                                                                               page_errors):
    open_all_week(settings)
    alice, agent = page, second_page
    # Alice's socket goes through Playwright, so the test can cut it like a flaky network would.
    sockets = []

    def proxy(ws):
        ws.connect_to_server()
        sockets.append(ws)

    alice.route_web_socket(re.compile(r".*/ws/chat/$"), proxy)
    panel, log, conversation, reply = vera_asks_and_the_agent_answers(alice, agent, chat_site)

    sockets[-1].close()
    reply.fill("Sauf avec la livraison express.")
    reply.press("Enter")
    expect(conversation.locator(".console-message")).to_have_count(3)
    # The panel reconnects by itself, asks for what came after the last id it shows, and shows it once.
    expect(log.locator("li")).to_have_count(3)
    expect(log.locator("li").nth(2)).to_contain_text("Sauf avec la livraison express.")
    assert len(sockets) == 2
    composer = panel.get_by_test_id("chat-message")
    composer.fill("Merci !")
    composer.press("Enter")
    expect(conversation.locator(".console-message")).to_have_count(4)
    expect(log.locator("li")).to_have_count(4)
    assert page_errors == []


class RedisCut:
    """A TCP relay in front of Redis that a test can cut and restore, as a Redis outage looks to the site.

    Cut: every open connection is closed and new ones are closed as soon as they come (redis-py fails at once,
    as with a refused connection). Restored: connections reach Redis again.
    """

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.up = True
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, name="redis-cut", daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return  # closed
            if not self.up:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=2)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self):
        self.up = False
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for end in sockets:
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()

    def restore(self):
        self.up = True

    def close(self):
        self.cut()
        self.listener.close()


@pytest.fixture
def redis_cut(settings):
    """The site's channel layer (Redis, as the settings give it) reached through a RedisCut, for one test."""
    from urllib.parse import urlsplit

    from channels.layers import get_channel_layer
    from daphne.server import twisted_loop

    config = settings.CHANNEL_LAYERS["default"].get("CONFIG")
    if not config:
        pytest.skip("the channel layer is the in-memory one: set CHANNEL_LAYER_URL=redis://… to cut Redis")
    address = urlsplit(config["hosts"][0]["address"])
    cut = RedisCut(address.hostname, address.port or 6379)
    hosts = [{**config["hosts"][0], "address": address._replace(netloc=f"127.0.0.1:{cut.port}").geturl()}]
    settings.CHANNEL_LAYERS = {"default": {**settings.CHANNEL_LAYERS["default"], "CONFIG": {**config, "hosts": hosts}}}
    yield cut
    # This test's layer stops retrying its connections in daphne's loop; the settings bring the usual one back.
    asyncio.run_coroutine_threadsafe(get_channel_layer().flush(), twisted_loop).result(10)
    cut.close()


def test_with_redis_down_the_visitor_is_offered_the_form_and_the_messages_are_there_when_it_is_back(
        chat_site, redis_cut, settings, page, second_page, page_errors):
    open_all_week(settings)
    visitor, agent = page, second_page
    server_errors = []
    for tab in (visitor, agent):
        tab.on("response", lambda response: server_errors.append(f"{response.status} {response.url}")
               if response.status >= 500 else None)
    panel, log, conversation, reply = vera_asks_and_the_agent_answers(visitor, agent, chat_site)

    # Redis goes down. The visitor starts typing (the typing indicator cannot reach the adviser): they are told
    # the chat is unavailable and offered the contact form.
    redis_cut.cut()
    composer = panel.get_by_test_id("chat-message")
    composer.press_sequentially("Et sans")
    fallback = panel.get_by_test_id("chat-fallback")
    expect(fallback).to_contain_text("La messagerie est indisponible pour le moment.")
    expect(panel.get_by_test_id("chat-start-button")).to_have_text("Continuer avec le formulaire de contact")
    # A page opened while Redis is down says so too: the state endpoint answers (no 500), the form is offered.
    visitor.reload()
    expect(fallback).to_contain_text("La messagerie est momentanément indisponible.")
    expect(panel.get_by_test_id("chat-start-button")).to_have_text("Continuer avec le formulaire de contact")

    # Redis is back: the visitor finds the messages written before, once each, and the chat is live again.
    redis_cut.restore()
    visitor.reload()
    expect(log.locator("li")).to_have_count(2)
    expect(log.locator("li").nth(0)).to_contain_text("Puis-je payer en plusieurs fois ?")
    expect(log.locator("li").nth(1)).to_contain_text("Oui, en 4 fois par carte.")
    # The console kept its socket (daphne was up); its layer subscriptions come back with Redis.
    expect(conversation.locator(".console-message")).to_have_count(2)
    composer.fill("Et sans frais ?")
    composer.press("Enter")
    expect(conversation.locator(".console-message")).to_have_count(3)
    expect(conversation.locator(".console-message").nth(2)).to_contain_text("Et sans frais ?")
    reply.fill("Sans frais jusqu'à 4 fois.")
    reply.press("Enter")
    expect(log.locator("li")).to_have_count(4)
    assert server_errors == []
    assert page_errors == []
