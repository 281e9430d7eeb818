"""The visitor's chat panel in Chromium, its state machine driven by a scripted server.

Playwright stands in for the state endpoint and the websocket (tests/e2e/chat_scripts.py), so each screen of
docs/chat-protocol.md is reached on purpose: auto-opening and remembering, the docked panel and the
phone sheet, the queue, the conversation, a reconnect without duplicates, the end and the rating, and
the fallbacks (closed, no socket). The real server is exercised in test_chat.py.
"""
import json
import os
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from helpdesk.models import Article, Category
from helpdesk.shipped import load_shipped_articles

from .chat_scripts import VisitorSocket

pytestmark = pytest.mark.e2e

TOPICS = [{"value": "purchase", "label": "Vos achats"}, {"value": "tracking", "label": "Le suivi de vos commandes"},
          {"value": "account", "label": "La gestion de votre compte"}, {"value": "other", "label": "Autre"}]


def availability(state="open", **extra):
    return {"state": state, "reason": None, "message": "", "opens": None, "queue_length": 0, "conversation": None,
            "contact_url": "/aide/service-client/", "limits": {"message_length": 2000}, "topics": TOPICS,
            "orders": [], **extra}


@pytest.fixture
def help_pages(db, page):
    load_shipped_articles(Category, Article)
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    return page


def shoot(page, name):
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"chat-{name}.png"))


def serve_state(page, data):
    page.route("**/aide/chat/etat/", lambda route: route.fulfill(status=200, content_type="application/json",
                                                                   body=json.dumps(data)))


def start_as_anonymous(panel, topic="Le suivi de vos commandes", question="Où est mon colis ?"):
    panel.get_by_label(topic).check()
    panel.get_by_label("Votre nom").fill("Vera")
    panel.get_by_label("Votre adresse e-mail").fill("vera@example.com")
    panel.get_by_label("Votre question").fill(question)
    panel.get_by_test_id("chat-start-button").click()


def test_opens_by_itself_beside_the_page_on_the_index_and_stays_closed_once_closed(help_pages, live_server, page_errors):
    page = help_pages
    serve_state(page, availability())
    page.goto(live_server.url + "/aide/")
    panel = page.get_by_test_id("chat-panel")
    expect(panel).to_be_visible()
    expect(panel).to_have_attribute("role", "dialog")
    expect(panel.get_by_label("Vos achats")).to_be_visible()
    # Docked: the page's content ends where the panel begins, and the focus was left alone.
    main_box = page.locator("main").bounding_box()
    panel_box = panel.bounding_box()
    assert main_box["x"] + main_box["width"] <= panel_box["x"] + 1
    assert page.evaluate("document.activeElement === document.body")
    shoot(page, "docked-start")

    panel.get_by_test_id("chat-close").click()
    expect(panel).to_be_hidden()
    expect(page.get_by_test_id("chat-launcher")).to_be_focused()
    page.reload()
    expect(page.get_by_test_id("chat-launcher")).to_be_visible()
    expect(panel).to_be_hidden()
    # Elsewhere in the help centre: a launcher only.
    page.goto(live_server.url + "/aide/nous-contacter/")
    expect(page.get_by_test_id("chat-launcher")).to_be_visible()
    page.get_by_test_id("chat-launcher").click()
    expect(panel).to_be_visible()
    expect(panel.get_by_label("Vos achats")).to_be_focused()
    assert page_errors == []


def test_on_a_phone_a_launcher_opens_a_full_width_sheet_that_closes_with_escape(help_pages, live_server):
    page = help_pages
    page.set_viewport_size({"width": 390, "height": 844})
    serve_state(page, availability())
    page.goto(live_server.url + "/aide/")
    launcher = page.get_by_test_id("chat-launcher")
    expect(launcher).to_be_visible()
    expect(page.get_by_test_id("chat-panel")).to_be_hidden()
    launcher.click()
    panel = page.get_by_test_id("chat-panel")
    expect(panel).to_be_visible()
    assert panel.bounding_box()["width"] == 390
    shoot(page, "phone-sheet")
    expect(panel).to_have_attribute("aria-modal", "true")
    # The page behind the sheet is out of reach until it closes.
    assert page.evaluate("document.querySelector('main').inert") is True
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(launcher).to_be_focused()
    assert page.evaluate("document.querySelector('main').inert") is False


def test_the_visitor_waits_with_a_place_then_talks_with_the_adviser_ends_and_rates(help_pages, live_server, page_errors):
    page = help_pages
    serve_state(page, availability())
    server = VisitorSocket(page)
    page.goto(live_server.url + "/aide/")
    panel = page.get_by_test_id("chat-panel")
    start_as_anonymous(panel, question="Où est mon colis RK-2026-000001 ?")

    expect(panel.get_by_test_id("chat-waiting")).to_contain_text("Un conseiller va vous répondre")
    expect(panel.get_by_test_id("chat-position")).to_have_text("Votre place dans la file : 2")
    expect(panel.get_by_test_id("chat-wait")).to_have_text("Attente estimée : environ 4 min")
    shoot(page, "waiting")
    assert server.frames[0] == {"type": "start", "topic": "tracking", "order": None, "text": "Où est mon colis RK-2026-000001 ?",
                                "name": "Vera", "email": "vera@example.com"}
    server.push({"type": "queue", "position": 1, "estimated_wait_seconds": 30})
    expect(panel.get_by_test_id("chat-position")).to_have_text("Vous êtes le prochain dans la file.")

    server.push({"type": "assigned", "agent_name": "Marie"})
    expect(panel.get_by_test_id("chat-waiting")).to_be_hidden()
    expect(panel.get_by_test_id("chat-agent")).to_have_text("Avec Marie, conseiller Rakuten")
    server.push({"type": "typing", "on": True})
    expect(panel.get_by_test_id("chat-typing")).to_have_text("Marie écrit…")
    server.push(server.message("agent", "Bonjour Vera, je regarde.", name="Marie"))
    expect(panel.get_by_test_id("chat-typing")).to_have_text("")
    log = panel.get_by_test_id("chat-log")
    expect(log.locator(".chat-msg-agent")).to_contain_text("Bonjour Vera, je regarde.")
    expect(log.locator(".chat-msg-agent time")).to_have_text("10:00")  # Paris time, 24-hour clock

    composer = panel.get_by_test_id("chat-message")
    composer.fill("Merci <b>beaucoup</b>")
    composer.press("Enter")
    expect(log.locator(".chat-msg-visitor")).to_have_text(re.compile("Merci <b>beaucoup</b>"))
    shoot(page, "conversation")
    assert any(f == {"type": "typing", "on": True} for f in server.frames)
    assert server.frames[-1]["type"] == "message" and server.frames[-2] == {"type": "typing", "on": False}

    panel.get_by_test_id("chat-end").click()
    expect(panel.get_by_test_id("chat-end-confirm")).to_be_focused()
    panel.get_by_test_id("chat-end-confirm").click()
    expect(panel.get_by_test_id("chat-ended")).to_contain_text("Vous avez terminé la conversation.")
    expect(panel.get_by_test_id("chat-ended-reference")).to_contain_text("SC-2026-000042")
    panel.get_by_label("Un commentaire ? (facultatif, envoyé avec votre avis)").fill("Rapide.")
    panel.get_by_test_id("chat-rate-satisfied").click()
    expect(panel.get_by_test_id("chat-rating-status")).to_have_text("Merci, votre commentaire a été envoyé.")
    expect(panel.get_by_test_id("chat-rate-satisfied")).to_have_attribute("aria-pressed", "true")
    assert server.frames[-1] == {"type": "rate", "rating": "satisfied", "comment": "Rapide."}
    panel.get_by_test_id("chat-transcript").click()
    expect(panel.get_by_test_id("chat-transcript-status")).to_have_text("La conversation a été envoyée à v***@example.com.")
    shoot(page, "ended")
    assert page_errors == []


def test_a_cut_connection_resumes_after_the_last_id_without_duplicates(help_pages, live_server):
    page = help_pages
    serve_state(page, availability())
    server = VisitorSocket(page, replay_all=True)
    page.goto(live_server.url + "/aide/")
    panel = page.get_by_test_id("chat-panel")
    start_as_anonymous(panel)
    server.push({"type": "assigned", "agent_name": "Marie"})
    server.push(server.message("agent", "Premier message", name="Marie"))
    server.push(server.message("agent", "Deuxième message", name="Marie"))
    log = panel.get_by_test_id("chat-log")
    expect(log.locator("li")).to_have_count(2)

    server.sockets[-1].close()
    # Written while the visitor was away; the replay also repeats what they had, which must not show twice.
    server.message("agent", "Pendant la coupure", name="Marie")
    expect(log.locator("li")).to_have_count(3)
    resumes = [f for f in server.frames if f["type"] == "resume"]
    assert resumes == [{"type": "resume", "after": 2}]
    expect(log.locator("li").nth(2)).to_contain_text("Pendant la coupure")


def test_outside_the_hours_the_form_leads_to_the_contact_form_prefilled(help_pages, live_server):
    page = help_pages
    serve_state(page, availability("closed", reason="hours", opens="lundi à 9 h"))
    page.goto(live_server.url + "/aide/")
    panel = page.get_by_test_id("chat-panel")
    expect(panel.get_by_test_id("chat-fallback")).to_contain_text("La messagerie est fermée. Elle ouvre lundi à 9 h.")
    shoot(page, "closed")
    start_as_anonymous(panel, topic="Vos achats", question="Puis-je payer en 4 fois ?")
    page.wait_for_url(re.compile(r"/aide/service-client/\?"))
    query = parse_qs(urlparse(page.url).query)
    assert query == {"sujet": ["purchase"], "email": ["vera@example.com"], "message": ["Puis-je payer en 4 fois ?"]}


def test_a_socket_that_cannot_connect_says_so_and_offers_the_contact_form(help_pages, live_server):
    page = help_pages
    serve_state(page, availability())
    VisitorSocket(page, refuse=True)
    page.goto(live_server.url + "/aide/")
    panel = page.get_by_test_id("chat-panel")
    start_as_anonymous(panel, question="Mon compte est bloqué depuis hier.")
    fallback = panel.get_by_test_id("chat-fallback")
    expect(fallback).to_contain_text("La messagerie est indisponible pour le moment.")
    expect(panel.get_by_test_id("chat-start-button")).to_have_text("Continuer avec le formulaire de contact")
    expect(panel.get_by_label("Votre question")).to_have_value("Mon compte est bloqué depuis hier.")


def test_a_state_endpoint_that_fails_says_the_chat_is_unavailable(help_pages, live_server):
    page = help_pages
    page.route("**/aide/chat/etat/", lambda route: route.fulfill(status=502, body="Bad gateway"))
    page.goto(live_server.url + "/aide/")
    expect(page.get_by_test_id("chat-fallback")).to_contain_text("La messagerie est indisponible pour le moment.")


def test_after_a_long_wait_the_question_is_left_as_a_request_in_one_click(help_pages, live_server):
    page = help_pages
    serve_state(page, availability())
    server = VisitorSocket(page)
    page.goto(live_server.url + "/aide/")
    panel = page.get_by_test_id("chat-panel")
    start_as_anonymous(panel, question="Ma commande est bloquée.")
    expect(panel.get_by_test_id("chat-position")).to_have_text("Votre place dans la file : 2")
    expect(panel.get_by_test_id("chat-leave")).to_be_hidden()
    server.push({"type": "offer_fallback", "reason": "waited", "opens": None, "contact_url": "/aide/service-client/"})
    panel.get_by_test_id("chat-leave-button").click()
    expect(panel.get_by_test_id("chat-reference")).to_have_text("SC-2026-000043")
    assert server.frames[-1] == {"type": "leave_request"}


def test_an_adviser_who_leaves_puts_the_visitor_back_in_the_queue(help_pages, live_server):
    page = help_pages
    serve_state(page, availability())
    server = VisitorSocket(page)
    page.goto(live_server.url + "/aide/")
    panel = page.get_by_test_id("chat-panel")
    start_as_anonymous(panel)
    server.push({"type": "assigned", "agent_name": "Marie"})
    expect(panel.get_by_test_id("chat-agent")).to_have_text("Avec Marie, conseiller Rakuten")
    server.push({"type": "queue", "position": 1, "estimated_wait_seconds": 30})
    expect(panel.get_by_test_id("chat-waiting")).to_be_visible()
    expect(panel.get_by_test_id("chat-position")).to_have_text("Vous êtes le prochain dans la file.")
    expect(panel.get_by_test_id("chat-agent")).to_have_text("Service client Rakuten")


def test_when_every_adviser_is_busy_the_panel_says_so_and_leads_to_the_form(help_pages, live_server):
    page = help_pages
    serve_state(page, availability("busy", reason="queue_full", queue_length=10,
                                   message="Tous nos conseillers sont occupés : vous seriez en position 11 dans la file."))
    page.goto(live_server.url + "/aide/")
    panel = page.get_by_test_id("chat-panel")
    expect(panel.get_by_test_id("chat-fallback")).to_contain_text("vous seriez en position 11")
    expect(panel.get_by_test_id("chat-start-button")).to_have_text("Continuer avec le formulaire de contact")
