"""In Chromium: the agent's day from the desk (as seeded) to a decision with a canned reply; the buyer answers the
satisfaction link from the e-mail and the agent reads the answer; the reports draw under the site's CSP."""
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from claims import deadlines
from claims.models import Claim

pytestmark = pytest.mark.e2e

REASON = "Aucune preuve d'expédition : remboursement intégral de l'acheteur."
# Recorded by the page itself, before any script of ours runs: every CSP violation it sees.
CSP_LISTENER = ("window.__cspViolations = [];"
                "document.addEventListener('securitypolicyviolation',"
                " (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));")


# Resolves once every chart image has loaded or failed (no polling: the images' own events).
CHARTS_LOADED = """() => Promise.all([...document.querySelectorAll('img.report-chart')].map((image) =>
    image.complete ? null : new Promise((resolve) => { image.onload = image.onerror = resolve; })))"""


def agent_logs_in(page, live_server):
    page.goto(live_server.url + reverse("admin:index"))
    page.locator("#id_username").fill("agent")
    page.locator("#id_password").fill("demo-2026")
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#desk")).to_be_visible()


def test_the_agent_works_from_the_desk_and_the_buyer_says_how_it_went(page, second_page, page_errors, live_server,
                                                                      demo_data):
    agent = page
    agent.add_init_script(CSP_LISTENER)
    agent_logs_in(agent, live_server)
    desk = agent.locator("#desk")
    expect(desk).to_contain_text("3 dossiers non attribués")
    expect(desk.locator("[data-key=claims_unassigned]")).to_contain_text("le plus ancien attend depuis")

    desk.get_by_role("link", name="3 dossiers non attribués").click()
    expect(agent.locator("h1")).to_have_text("File du service client : 3 dossiers")
    oldest = Claim.objects.filter(status=Claim.Status.WITH_SUPPORT, assigned_to__isnull=True).order_by(
        "taken_over_at").select_related("order", "buyer", "seller").first()
    first = agent.locator("#result_list tbody tr").first
    expect(first).to_contain_text(oldest.order.number)
    # Each row stays on one line at 1280 px, and the table fits the screen.
    heights = first.evaluate("row => [...row.cells].map(cell => cell.getBoundingClientRect().height)")
    assert max(heights) < 45, heights
    assert agent.evaluate("document.querySelector('#result_list').getBoundingClientRect().right") <= 1280
    first.get_by_role("link", name=oldest.order.number).click()

    agent.get_by_role("button", name="M'attribuer ce dossier").click()
    expect(agent.locator(".messagelist")).to_contain_text("vous est attribué")
    box = agent.locator("#claim-message-form")
    box.get_by_label("Réponse type").select_option(label="Prise en charge par le service client")
    reply = box.get_by_label("Message aux parties")
    expect(reply).to_have_value(re.compile(rf"Bonjour Claire,.*{oldest.order.number}.*Boutique Paris", re.S))
    reply.press("End")
    reply.type(" Merci de votre patience.")
    box.get_by_role("button", name="Envoyer aux parties").click()
    expect(agent.locator(".messagelist")).to_contain_text("Message envoyé")
    sent = oldest.messages.get(role="support", internal=False).body
    assert sent.startswith("Bonjour Claire,") and sent.endswith("Merci de votre patience.") and "{" not in sent

    decision = agent.locator("#claim-decision-form")
    decision.get_by_label("Remboursement intégral de l'acheteur").check()
    decision.get_by_label("Motif de la décision").fill(REASON)
    decision.get_by_role("button", name="Enregistrer la décision").click()
    expect(agent.locator(".messagelist")).to_contain_text("Décision enregistrée")
    agent.goto(live_server.url + reverse("admin:index"))
    expect(agent.locator("#desk")).to_contain_text("2 dossiers non attribués")

    # A day later the sweep asks the buyer; she follows the link of the e-mail, with no login.
    mail.outbox.clear()
    deadlines.sweep(now=timezone.now() + timedelta(hours=25))
    (email,) = [m for m in mail.outbox if m.subject == "Comment s'est passée la résolution ?"
                and oldest.order.number in m.body]
    assert email.to == ["claire@example.com"]
    link = re.search(r"http://\S+/reclamations/avis/\S+/", email.body).group(0)
    buyer = second_page
    buyer.goto(live_server.url + link[link.index("/reclamations/"):])
    expect(buyer.locator("h1")).to_have_text("Comment s'est passée la résolution ?")
    buyer.get_by_label("Oui, satisfait").check()
    buyer.get_by_label("Un commentaire ? (facultatif)").fill("Rapide et clair, merci.")
    buyer.get_by_role("button", name="Envoyer mon avis").click()
    expect(buyer.get_by_test_id("survey-thanks")).to_be_visible()
    buyer.reload()
    expect(buyer.get_by_test_id("survey-answered")).to_be_visible()

    agent.goto(live_server.url + reverse("admin:claims_claim_change", args=[oldest.pk]))
    answer = agent.locator(".field-satisfaction")
    expect(answer).to_contain_text("Satisfait (répondu le")
    expect(answer).to_contain_text("« Rapide et clair, merci. »")
    assert agent.evaluate("window.__cspViolations") == []
    assert not page_errors, page_errors


def test_the_reports_draw_their_charts_under_the_sites_csp(page, page_errors, live_server, demo_data):
    page.add_init_script(CSP_LISTENER)
    agent_logs_in(page, live_server)
    page.locator("#desk").get_by_role("link", name="Rapports du service client").click()
    expect(page.locator("h1")).to_have_text("Rapports du service client")
    charts = page.locator("img.report-chart")
    expect(charts).to_have_count(5)
    page.evaluate(CHARTS_LOADED)
    widths = charts.evaluate_all("images => images.map(image => image.naturalWidth)")
    assert all(width > 0 for width in widths), widths
    expect(page.locator("table[data-figure=opened] tbody tr")).to_have_count(12)
    page.get_by_role("link", name="52 dernières semaines").click()
    expect(page.locator("table[data-figure=opened] tbody tr")).to_have_count(52)
    page.evaluate(CHARTS_LOADED)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger en CSV : Fin des réclamations par semaine").click()
    assert download.value.suggested_filename == "rapport-endings-52-semaines.csv"
    assert page.evaluate("window.__cspViolations") == []
    assert not page_errors, page_errors
    # The listener does hear a violation: an inline style is refused by the same policy.
    directive = page.evaluate("""() => new Promise((resolve) => {
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective));
        document.head.appendChild(Object.assign(document.createElement('style'), {textContent: 'p {}'}));
    })""")
    assert directive.startswith("style-src")
