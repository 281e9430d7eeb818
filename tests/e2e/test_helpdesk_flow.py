"""The help desk in Chromium: an anonymous visitor writes in, alice asks about an order with a photo, an agent answers."""
import os
import re

import pytest
from django.core.cache import cache
from PIL import Image
from playwright.sync_api import expect

from helpdesk.models import Article, Category, ContactMessage, ContactRequest
from helpdesk.shipped import load_shipped_articles
from orders.models import Order

pytestmark = pytest.mark.e2e


def shoot(page, name):
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"helpdesk-{name}.png"), full_page=True)


@pytest.fixture
def helpdesk(demo_data, mailoutbox, page):
    """Shipped articles (a flush between live-server tests removes them), e-mails sent in-process, fresh limits."""
    from rakuten_portal.celery import app

    # The site has no favicon yet; Chromium's automatic request for it is not a page error.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    load_shipped_articles(Category, Article)
    cache.clear()
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield mailoutbox
    app.conf.task_always_eager = before
    cache.clear()


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "colis-abime.jpg"
    Image.new("RGB", (640, 480), "orange").save(path, "JPEG")
    return path


def test_anonymous_visitor_sends_the_form_and_gets_a_reference(page, page_errors, live_server, helpdesk):
    page.goto(live_server.url + "/")
    page.get_by_test_id("footer-contact").click()
    expect(page.locator("h1")).to_have_text("Nous contacter")
    expect(page.get_by_test_id("phone-status")).to_contain_text(re.compile("Ouvert maintenant|Fermé"))
    shoot(page, "contact-page")
    page.get_by_test_id("contact-form-link").click()

    page.get_by_label("Nature du problème").select_option(label="Suivi de commande")
    page.get_by_label("Numéro de commande").fill("RK-2026-000777")
    page.get_by_label("Votre adresse e-mail").fill("visiteur@example.com")
    page.get_by_label("Votre message").fill("Bonjour, ma commande n'a pas bougé depuis une semaine.")
    shoot(page, "contact-form-anonymous")
    page.get_by_role("button", name="Envoyer ma demande").click()

    reference = page.get_by_test_id("reference")
    expect(reference).to_have_text(re.compile(r"SC-\d{4}-\d{6}"))
    contact_request = ContactRequest.objects.get(reference=reference.inner_text())
    assert (contact_request.email, contact_request.order_number) == ("visiteur@example.com", "RK-2026-000777")
    assert [m.to for m in helpdesk] == [["visiteur@example.com"]]
    assert page_errors == []


def test_anonymous_visitor_without_email_is_told_and_keeps_the_message(page, live_server, helpdesk):
    requests_before = ContactRequest.objects.count()  # the demo seeds requests of its own
    page.goto(live_server.url + "/aide/service-client/")
    page.get_by_label("Nature du problème").select_option(label="Paiement")
    page.get_by_label("Votre message").fill("Mon paiement a été refusé deux fois.")
    page.get_by_role("button", name="Envoyer ma demande").click()

    expect(page.locator("#id_email")).to_have_class(re.compile("is-invalid"))
    expect(page.get_by_label("Votre message")).to_have_value("Mon paiement a été refusé deux fois.")
    assert ContactRequest.objects.count() == requests_before


def test_alice_asks_about_an_order_with_a_photo_and_reads_the_agents_answer(
        browser, page, page_errors, live_server, helpdesk, login, photo):
    order = Order.objects.filter(buyer__username="alice").order_by("-purchased_at").first()
    login(page, live_server, "alice")

    # Aide → "Comment faire une réclamation ?" → "Service client".
    page.goto(live_server.url + "/aide/")
    shoot(page, "help-index")
    page.get_by_role("link", name="Comment faire une réclamation ?").first.click()
    expect(page.locator("h1")).to_have_text("Comment faire une réclamation ?")
    shoot(page, "article")
    page.get_by_test_id("article-service-client").click()

    page.get_by_label("Nature du problème").select_option(label="Achat")
    page.get_by_label("Commande concernée").select_option(value=order.number)
    expect(page.get_by_label("Nom du vendeur")).to_have_value(order.seller.display_name)
    page.get_by_label("Votre message").fill("Le carton est arrivé écrasé, voici une photo.")
    page.get_by_label("Pièces jointes").set_input_files(str(photo))
    shoot(page, "contact-form-alice")
    page.get_by_role("button", name="Envoyer ma demande").click()

    reference = page.get_by_test_id("reference").inner_text()
    page.get_by_role("link", name="Suivre ma demande").click()
    expect(page.get_by_test_id("thread")).to_contain_text("Le carton est arrivé écrasé")
    expect(page.get_by_test_id("thread").locator("img.thumb")).to_have_count(1)
    page.goto(live_server.url + "/aide/mes-demandes/")
    expect(page.get_by_test_id("request-list")).to_contain_text(reference)
    contact_request = ContactRequest.objects.get(reference=reference)
    assert (contact_request.order, contact_request.seller_name) == (order, order.seller.display_name)

    # The agent answers from the admin, in a browser of their own.
    agent_context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    agent = agent_context.new_page()
    agent_errors = []
    agent.on("console", lambda message: message.type == "error" and agent_errors.append(message.text))
    agent.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    login(agent, live_server, "agent")
    agent.goto(live_server.url + "/admin/helpdesk/contactrequest/")
    agent.get_by_role("link", name=reference).click()
    agent.locator("textarea[name=reply]").fill("Nous avons demandé au vendeur de vous rembourser.")
    agent.locator("input[name=_save]").click()
    expect(agent.locator(".messagelist")).to_contain_text("Votre réponse a été envoyée au client par e-mail.")
    shoot(agent, "admin-list")
    agent_context.close()
    assert agent_errors == []  # the admin works under the site's Content-Security-Policy

    page.goto(live_server.url + f"/aide/mes-demandes/{reference}/")
    expect(page.get_by_test_id("thread")).to_contain_text("Nous avons demandé au vendeur de vous rembourser.")
    expect(page.get_by_test_id("request-status")).to_have_text("En attente du client")
    shoot(page, "request-detail")
    assert ContactMessage.objects.filter(request=contact_request, role="agent").count() == 1
    reply_mails = [m for m in helpdesk if m.to == ["alice@example.com"] and "rembourser" in m.body]
    assert len(reply_mails) == 1
    assert page_errors == []


def test_oversized_and_disguised_files_are_named_and_the_form_is_kept(page, live_server, helpdesk, tmp_path):
    requests_before = ContactRequest.objects.count()  # the demo seeds requests of its own
    big = tmp_path / "video-du-colis.jpg"
    big.write_bytes(b"\xff\xd8\xff" + b"0" * (20 * 1024 * 1024))
    disguised = tmp_path / "facture.pdf"
    disguised.write_bytes(b"MZ\x90\x00" + b"\x00" * 4096)
    page.goto(live_server.url + "/aide/service-client/")
    page.get_by_label("Nature du problème").select_option(label="Autre")
    page.get_by_label("Votre adresse e-mail").fill("visiteur@example.com")
    page.get_by_label("Votre message").fill("Je joins la facture et une vidéo.")
    page.get_by_label("Pièces jointes").set_input_files([str(big), str(disguised)])
    page.get_by_role("button", name="Envoyer ma demande").click()

    form = page.get_by_test_id("contact-form")
    expect(form).to_contain_text("« video-du-colis.jpg » dépasse la taille maximale de 10 Mo.")
    expect(form).to_contain_text("« facture.pdf » n'est ni une image JPEG, PNG ou WebP, ni un PDF.")
    expect(page.get_by_label("Votre message")).to_have_value("Je joins la facture et une vidéo.")
    expect(page.get_by_label("Votre adresse e-mail")).to_have_value("visiteur@example.com")
    shoot(page, "contact-form-errors")
    assert ContactRequest.objects.count() == requests_before


def test_help_search_finds_the_parcel_article(page, page_errors, live_server, helpdesk):
    page.goto(live_server.url + "/aide/")
    page.get_by_label("Rechercher dans l'aide").fill("colis pas arrivé")
    page.get_by_role("button", name="Rechercher").click()

    first = page.get_by_test_id("search-results").locator("li").first
    expect(first).to_contain_text("Colis non reçu : que faire ?")
    shoot(page, "search")
    first.get_by_role("link").click()
    expect(page).to_have_url(re.compile("/aide/articles/colis-non-recu/$"))
    assert page_errors == []


def test_the_honeypot_field_is_out_of_sight_and_out_of_the_tab_order(page, live_server, helpdesk):
    page.goto(live_server.url + "/aide/service-client/")
    field = page.locator("input[name=website]")
    expect(field).to_have_count(1)
    box = field.bounding_box()
    viewport = page.viewport_size
    # Drawn off the page: nobody sees it, yet robots that fill every field still find it.
    assert box is None or box["x"] + box["width"] <= 0 or box["x"] >= viewport["width"], box
    assert page.locator(".honeypot").get_attribute("aria-hidden") == "true"
    # Tabbing through the whole form never lands on it.
    page.locator("main select, main input, main textarea").first.focus()
    for _ in range(40):
        assert page.evaluate("document.activeElement.name") != "website"
        page.keyboard.press("Tab")
