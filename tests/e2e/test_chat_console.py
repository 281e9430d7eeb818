"""The agents' chat console in Chromium, driven by a scripted agent socket (tests/e2e/chat_scripts.py).

What the console does with the frames of docs/chat-protocol.md: presence sent at once and on change,
the queue by topic with its wait, the tab title's counter and the alert for a new visitor, take,
several conversations in tabs, the visitor's context with admin links, typing, transfer and close.
The real server is exercised in test_chat.py.
"""
import json
import os
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .chat_scripts import WAITING, AgentSocket
from .conftest import log_in

pytestmark = pytest.mark.e2e


def shoot(page, name):
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"chat-{name}.png"), full_page=True)


@pytest.fixture
def console(demo_data, page, live_server):
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    socket = AgentSocket(page)
    log_in(page, live_server, "agent")
    page.goto(live_server.url + reverse("admin:helpdesk_conversation_console"))
    return socket


def test_the_console_shows_the_queue_by_topic_and_the_held_conversation(console, page, page_errors):
    expect(page.get_by_test_id("console-connection")).to_have_text("Connecté")
    # Presence at connect (the heartbeat repeats it), then on change.
    assert console.frames[0]["type"] == "presence"
    page.get_by_test_id("presence-available").check()
    expect(page.locator("[data-console-active]")).to_have_text("1")
    assert console.frames[-1] == {"type": "presence", "status": "available"}

    queue = page.get_by_test_id("console-queue")
    expect(queue.locator("h3")).to_have_text(["Suivi de commande (1)", "Gestion du compte (1)"])
    first = page.get_by_test_id("queue-item").first
    expect(first).to_contain_text("Alice")
    expect(first).to_contain_text("RK-2026-000001")
    expect(first).to_contain_text(re.compile(r"attend depuis 1 min 3\d s"))
    # Already in the queue when the console opened: counted in the title, no alert.
    expect(page).to_have_title(re.compile(r"^\(2\) "))
    expect(page.get_by_test_id("console-alert")).to_be_hidden()

    conversation = page.get_by_test_id("conversation")
    expect(conversation.locator(".console-message")).to_have_count(2)
    expect(conversation.locator(".console-typing")).to_have_text("Bob écrit…")
    expect(conversation.get_by_test_id("context-order")).to_contain_text("RK-2026-000007")
    expect(conversation.get_by_role("link", name="SC-2026-000003")).to_have_attribute(
        "href", "/admin/helpdesk/contactrequest/3/change/")
    shoot(page, "console")
    assert page_errors == []


def test_a_new_visitor_is_signalled_and_taken_into_a_second_tab(console, page):
    expect(page.get_by_test_id("queue-item")).to_have_count(2)
    newcomer = {"id": 43, "topic": "purchase", "topic_label": "Achat", "visitor_name": "Chloé", "waited_seconds": 0,
                "order_number": None}
    console.sockets[-1].send(json.dumps({"type": "queue", "waiting": WAITING + [newcomer]}))
    expect(page).to_have_title(re.compile(r"^\(3\) "))
    expect(page.get_by_test_id("console-alert")).to_have_text("Nouveau visiteur en attente : Chloé (Achat)")
    row = page.get_by_test_id("queue-item").filter(has_text="Chloé")
    expect(row).to_have_class(re.compile("is-new"))

    row.get_by_role("button", name="Prendre la conversation de Chloé").click()
    assert console.frames[-1] == {"type": "take", "conversation": 43}
    console.sockets[-1].send(json.dumps({"type": "queue", "waiting": WAITING}))
    console.sockets[-1].send(json.dumps({"type": "taken", "conversation": {
        "id": 43, "topic": "purchase", "topic_label": "Achat", "visitor_name": "Chloé", "order_number": None,
        "context_url": "/admin/helpdesk/conversation/43/contexte/"}}))
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_count(2)
    expect(page.get_by_role("tab", name="Chloé")).to_have_attribute("aria-selected", "true")
    assert {"type": "resume", "conversation": 43, "after": 0} in console.frames
    # A message for the tab in the background shows on its tab.
    console.sockets[-1].send(json.dumps({"type": "message", "id": 9, "conversation": 40, "author": "visitor", "name": "Bob",
                                         "text": "Vous êtes là ?", "sent_at": "2026-12-01T10:01:00+01:00", "client_id": None}))
    expect(page.get_by_role("tab", name=re.compile("Bob")).locator(".console-badge")).to_have_text("1")
    page.get_by_role("tab", name=re.compile("Bob")).press("ArrowRight")
    expect(page.get_by_role("tab", name="Chloé")).to_be_focused()


def test_the_agent_replies_transfers_and_closes(console, page):
    conversation = page.get_by_test_id("conversation")
    reply = conversation.get_by_label("Votre réponse à Bob")
    reply.press_sequentially("Oui")
    assert {"type": "typing", "conversation": 40, "on": True} in console.frames
    reply.press("Enter")
    sent = console.frames[-1]
    assert (sent["type"], sent["conversation"], sent["text"]) == ("message", 40, "Oui")
    expect(conversation.locator(".console-message.is-pending")).to_have_count(1)
    console.sockets[-1].send(json.dumps({"type": "message", "id": 3, "conversation": 40, "author": "agent", "name": "Agent",
                                         "text": "Oui", "sent_at": "2026-12-01T10:02:00+01:00",
                                         "client_id": sent["client_id"]}))
    expect(conversation.locator(".console-message.is-pending")).to_have_count(0)
    expect(conversation.locator(".console-message")).to_have_count(3)

    conversation.get_by_label("Transférer la conversation de Bob à").select_option(label="Marie (2 place(s) libre(s))")
    conversation.get_by_role("button", name="Transférer", exact=True).click()
    assert console.frames[-1] == {"type": "transfer", "conversation": 40, "agent": 99}

    conversation.get_by_role("button", name="Clore la conversation").click()
    conversation.get_by_role("button", name="Oui, clore").click()
    assert console.frames[-1] == {"type": "close", "conversation": 40}
    console.sockets[-1].send(json.dumps({"type": "closed", "conversation": 40, "by": "agent"}))
    expect(conversation).to_contain_text("Vous avez clos la conversation.")
    expect(conversation.get_by_label("Votre réponse à Bob")).to_be_hidden()
    conversation.get_by_role("button", name="Retirer l'onglet").click()
    expect(page.get_by_role("tab")).to_have_count(0)
    expect(page.locator("[data-console-no-conversation]")).to_be_visible()
