"""Every page a user can reach, checked by axe-core (WCAG 2.2 A and AA) in French and English, at 1280 and 390 px.

PAGES is the table: for each role, the pages (a name, an address built from the scenario, and an
optional step that puts the page in the state to check: a form with its errors shown, a wizard step).
One browser context per role (logged in once); each page is loaded once per language and checked at
both widths. Exceptions are in tests/e2e/a11y.py (EXCEPTIONS), nowhere else. Console errors (a CSP
violation, a failed asset) fail the check too.

To add a page: append a `Screen` to its role's list (and, if it needs data, build it in `scenario`).
"""
import io
import json
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Callable

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from claims.domain import claim_open, claim_propose, claim_take_over
from claims.models import Claim, Proposal, SatisfactionSurvey
from claims.satisfaction import survey_token
from claims.photos import process_upload
from helpdesk.models import Article, Category, ContactRequest
from helpdesk.services import contact_request_answer, contact_request_create
from helpdesk.shipped import load_shipped_articles
from orders.models import Order

from .a11y import axe_violations, summarize
from .chat_scripts import AgentSocket, VisitorSocket
from .conftest import DEMO_PASSWORD, TIMEOUT_MS, _console_error, _failed_asset

pytestmark = pytest.mark.e2e

LANGUAGES = ("fr", "en")
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
USERS = {"anonymous": None, "buyer": "alice", "seller": "boutique-paris", "agent": "agent"}


@dataclass
class Scenario:
    """The rows the pages show: the demo data plus claims in the states worth checking."""

    eligible_order: Order = None        # alice's delivered order with no claim (the wizard starts here)
    claimed_order: Order = None         # alice's order whose claim has a proposal pending
    pending_claim: Claim = None         # damaged, photo, partial refund proposed by boutique-paris
    open_claim: Claim = None            # bob's counterfeit claim on boutique-paris, no answer yet
    not_received_claim: Claim = None    # alice's "not received" claim (on marc's order)
    support_claim: Claim = None         # bob's "not received" claim on boutique-paris, taken over by customer service
    contact_request: ContactRequest = None
    extra: dict = field(default_factory=dict)


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "#336699").save(buffer, "JPEG")
    return process_upload(SimpleUploadedFile("photo-colis.jpg", buffer.getvalue()))


def build_scenario() -> Scenario:
    users = get_user_model().objects
    alice, agent = users.get(username="alice"), users.get(username="agent")
    now = timezone.now()
    load_shipped_articles(Category, Article)
    delivered = (Order.objects.filter(buyer=alice, seller__user__username="boutique-paris",
                                      status=Order.Status.DELIVERED).order_by("-purchased_at"))
    claimed, eligible = delivered[0], delivered[1]
    pending = claim_open(order=claimed, buyer=alice, reason=Claim.Reason.DAMAGED, now=now,
                         description="Le casque grésille à gauche.", items=list(claimed.lines.all()),
                         photos=[_photo()])
    claim_propose(claim_id=pending.pk, seller_user=claimed.seller.user, kind=Proposal.Kind.PARTIAL_REFUND,
                  amount=Decimal("30.00"), message="Je vous propose un geste commercial.", now=now)
    not_received = (Order.objects.filter(buyer=alice, status=Order.Status.SHIPPED)
                    .order_by("purchased_at").first())
    not_received_claim = claim_open(order=not_received, buyer=alice, reason=Claim.Reason.NOT_RECEIVED, now=now,
                                    description="", items=list(not_received.lines.all()))
    bob = users.get(username="bob")
    bobs = Order.objects.get(buyer=bob, seller__user__username="boutique-paris", status=Order.Status.DELIVERED)
    open_claim = claim_open(order=bobs, buyer=bob, reason=Claim.Reason.COUNTERFEIT, now=now,
                            description="Le logo est mal imprimé.", photos=[_photo()])
    bobs_late = Order.objects.get(buyer=bob, seller__user__username="boutique-paris", status=Order.Status.SHIPPED)
    support_claim = claim_open(order=bobs_late, buyer=bob, reason=Claim.Reason.NOT_RECEIVED, now=now,
                               description="Toujours rien reçu.", items=list(bobs_late.lines.all()))
    Claim.objects.filter(pk=support_claim.pk).update(seller_deadline=now - timedelta(seconds=1))
    claim_take_over(claim_id=support_claim.pk, now=now)
    request = contact_request_create(topic=ContactRequest.Topic.choices[0][0], body="Où en est mon colis ?",
                                     email=alice.email or "alice@example.com", language="fr", now=now,
                                     requester=alice, order=claimed)
    contact_request_answer(contact_request=request, agent=agent, body="Nous regardons avec le vendeur.", now=now)
    # The satisfaction question on one of the seeded claims that ended (the desk's work, claims/demo.py).
    ended = Claim.objects.filter(status=Claim.Status.SETTLED, buyer__username="claire", survey__isnull=True).first()
    survey = SatisfactionSurvey.objects.create(claim=ended, email="claire@example.com", created_at=now)
    return Scenario(eligible_order=eligible, claimed_order=claimed, pending_claim=pending, open_claim=open_claim,
                    not_received_claim=not_received_claim, support_claim=support_claim, contact_request=request,
                    extra={"survey_url": reverse("claims:satisfaction", args=[survey_token(survey.pk)])})


# --- States: what to do on a page after loading it --------------------------------------------------------------

def submit_empty(selector="main form"):
    def act(page, scenario):
        form = page.locator(selector).first
        with page.expect_navigation():
            form.evaluate("(form) => { form.noValidate = true; form.requestSubmit(); }")
    return act


def login_with_wrong_password(page, scenario):
    form = page.locator("main form")
    form.locator("input[name=username]").fill("personne")
    form.locator("input[name=password]").fill("pas-le-bon")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def wizard_to(step):
    """Walk the claim wizard (damaged, one item, a description, no photo) up to `step`."""
    order = ["reason", "items", "details", "photos", "review"]

    def act(page, scenario):
        wizard = page.get_by_test_id("claim-wizard")
        for current in order[:order.index(step)]:
            if current == "reason":
                page.locator("input[type=radio][value=damaged]").check()
            elif current == "items":
                page.locator("input[type=checkbox][name$=items]").first.check()
            elif current == "details":
                page.locator("textarea").first.fill("Le casque grésille à gauche.")
            page.get_by_test_id("wizard-next").click()
            page.wait_for_selector(f"[data-testid=claim-wizard][data-step={order[order.index(current) + 1]}]")
        assert wizard.get_attribute("data-step") == step
    return act


def wizard_errors(page, scenario):
    """The reason step sent with nothing chosen: the error shown."""
    page.locator("[data-testid=claim-wizard] form, form[data-testid=claim-wizard]").first.evaluate(
        "(form) => form.setAttribute('novalidate', '')")
    page.get_by_test_id("wizard-next").click()
    page.wait_for_selector(".alert-danger, .invalid-feedback")


@dataclass(frozen=True)
class Screen:
    name: str
    url: Callable[[Scenario], str] | str
    state: Callable | None = None
    before: Callable | None = None      # run on the tab before the page loads (e.g. scripted chat sockets)

    def address(self, scenario):
        return self.url(scenario) if callable(self.url) else self.url


def order_url(attr):
    return lambda s: reverse("orders:detail", args=[getattr(s, attr).number])


def claim_url(attr):
    return lambda s: reverse("claims:detail", args=[getattr(s, attr).pk])


def wizard_url(s):
    return reverse("claims:wizard", args=[s.eligible_order.number])


def admin_change(model, attr):
    return lambda s: reverse(f"admin:{model}_change", args=[getattr(s, attr).pk])


HELP_ARTICLE = "/aide/articles/colis-non-recu/"


# --- The live chat: its screens reached with scripted sockets (the live server here speaks WSGI only) -----------

def chat_scripted(page):
    """Once per tab: the chat is open (whatever the agents' presence), and its sockets are scripted."""
    if getattr(page, "chat_visitor", None) is None:
        def open_state(route):
            body = route.fetch().json()
            body.update(state="open", reason=None, message="")
            route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

        page.route("**/aide/chat/etat/", open_state)
        page.chat_visitor = VisitorSocket(page)


def chat_to(step):
    """The visitor's panel on the help centre: the start form's errors, waiting, talking, ended."""
    def act(page, scenario):
        panel = page.get_by_test_id("chat-panel")
        panel.locator("input[name=topic]").first.wait_for()
        if step == "errors":
            panel.get_by_test_id("chat-start-button").click()
            panel.locator("[data-error-for=topic]:not([hidden])").wait_for()
            return
        panel.locator("input[name=topic]").nth(1).check()
        for selector, value in (("#chat-name", "Vera"), ("#chat-email", "vera@example.com")):
            if panel.locator(selector).count():
                panel.locator(selector).fill(value)
        panel.locator("#chat-question").fill("Où est mon colis ?")
        panel.get_by_test_id("chat-start-button").click()
        panel.get_by_test_id("chat-waiting").wait_for()
        if step == "waiting":
            return
        server = page.chat_visitor
        server.push({"type": "assigned", "agent_name": "Marie"})
        server.push(server.message("agent", "Bonjour Vera, je regarde votre commande.", name="Marie"))
        server.push({"type": "typing", "on": True})
        panel.get_by_test_id("chat-log").locator(".chat-msg-agent").first.wait_for()
        if step == "conversation":
            return
        panel.get_by_test_id("chat-end").click()
        panel.get_by_test_id("chat-end-confirm").click()
        panel.get_by_test_id("chat-ended").wait_for()
    return act


def console_scripted(page):
    if getattr(page, "chat_agent", None) is None:
        page.chat_agent = AgentSocket(page)


def console_with_a_conversation(page, scenario):
    page.get_by_test_id("queue-item").first.wait_for()
    page.get_by_test_id("conversation").locator(".console-message").nth(1).wait_for()
    page.get_by_test_id("context-order").wait_for()


CHAT_SCREENS = [
    Screen("help centre, chat start errors", reverse("helpdesk:index"), chat_to("errors"), chat_scripted),
    Screen("help centre, chat waiting", reverse("helpdesk:index"), chat_to("waiting"), chat_scripted),
    Screen("help centre, chat conversation", reverse("helpdesk:index"), chat_to("conversation"), chat_scripted),
    Screen("help centre, chat ended", reverse("helpdesk:index"), chat_to("ended"), chat_scripted),
]

PAGES: dict[str, list[Screen]] = {
    "anonymous": [
        Screen("home", "/"),
        Screen("login", reverse("login")),
        Screen("login, wrong password", reverse("login"), login_with_wrong_password),
        Screen("password reset", reverse("password_reset")),
        Screen("password reset, errors", reverse("password_reset"), submit_empty()),
        Screen("help centre", reverse("helpdesk:index")),
        Screen("help article", HELP_ARTICLE),
        Screen("help search", reverse("helpdesk:search") + "?q=colis"),
        Screen("help search, nothing found", reverse("helpdesk:search") + "?q=zzzzzz"),
        Screen("contact page", reverse("helpdesk:contact")),
        Screen("contact form", reverse("helpdesk:contact_form")),
        Screen("contact form, errors", reverse("helpdesk:contact_form"), submit_empty()),
        Screen("page not found", "/cette-page-n-existe-pas/"),
        Screen("satisfaction question", lambda s: s.extra["survey_url"]),
        Screen("satisfaction question, errors", lambda s: s.extra["survey_url"], submit_empty()),
        Screen("satisfaction, bad link", reverse("claims:satisfaction", args=["lien-modifie"])),
        *CHAT_SCREENS,
    ],
    "buyer": [
        Screen("home", "/"),
        Screen("account", reverse("orders:account")),
        Screen("purchases", reverse("orders:purchases")),
        Screen("order, claim with proposal", order_url("claimed_order")),
        Screen("order, no claim", order_url("eligible_order")),
        Screen("wizard 1 reason", wizard_url),
        Screen("wizard 1 reason, error", wizard_url, wizard_errors),
        Screen("wizard 2 items", wizard_url, wizard_to("items")),
        Screen("wizard 3 details", wizard_url, wizard_to("details")),
        Screen("wizard 4 photos", wizard_url, wizard_to("photos")),
        Screen("wizard 5 review", wizard_url, wizard_to("review")),
        Screen("claim, proposal pending", claim_url("pending_claim")),
        Screen("claim, not received", claim_url("not_received_claim")),
        Screen("notifications", reverse("claims:notifications")),
        Screen("my claims", reverse("claims:mine")),
        Screen("wallet", reverse("orders:wallet")),
        Screen("help centre", reverse("helpdesk:index")),
        Screen("contact form", reverse("helpdesk:contact_form")),
        Screen("contact form, errors", reverse("helpdesk:contact_form"), submit_empty()),
        Screen("my requests", reverse("helpdesk:requests")),
        Screen("help centre, chat start with orders", reverse("helpdesk:index"), chat_to("errors"), chat_scripted),
        Screen("request", lambda s: reverse("helpdesk:request_detail", args=[s.contact_request.reference])),
        Screen("password change", reverse("password_change")),
        Screen("password change, errors", reverse("password_change"), submit_empty()),
    ],
    "seller": [
        Screen("account", reverse("orders:account")),
        Screen("sales", reverse("orders:sales")),
        Screen("dashboard", reverse("claims:dashboard")),
        Screen("dashboard, closed", reverse("claims:dashboard") + "?filtre=cloturees"),
        Screen("dashboard messages", reverse("claims:dashboard_messages")),
        Screen("order", order_url("claimed_order")),
        Screen("claim, proposal pending", claim_url("pending_claim")),
        Screen("claim, to answer", claim_url("open_claim")),
        Screen("claim, taken over", claim_url("support_claim")),
        Screen("notifications", reverse("claims:notifications")),
    ],
    "agent": [
        Screen("admin index", reverse("admin:index")),
        Screen("claims", reverse("admin:claims_claim_changelist")),
        Screen("claims queue", reverse("admin:claims_claim_queue")),
        Screen("claim", admin_change("claims_claim", "pending_claim")),
        Screen("claim, not received", admin_change("claims_claim", "not_received_claim")),
        Screen("claim, taken over (decision form)", admin_change("claims_claim", "support_claim")),
        Screen("decision form, errors", lambda s: reverse("admin:claims_claim_decide", args=[s.support_claim.pk]),
               submit_empty("#content form")),
        Screen("orders", reverse("admin:orders_order_changelist")),
        Screen("order", admin_change("orders_order", "claimed_order")),
        Screen("contact requests", reverse("admin:helpdesk_contactrequest_changelist")),
        Screen("contact request", admin_change("helpdesk_contactrequest", "contact_request")),
        Screen("articles", reverse("admin:helpdesk_article_changelist")),
        Screen("claims queue, mine", reverse("admin:claims_claim_changelist") + "?file=mine"),
        Screen("claim, taken over (decision form, canned replies)",
               lambda s: reverse("admin:claims_claim_change", args=[
                   Claim.objects.filter(status=Claim.Status.WITH_SUPPORT).order_by("taken_over_at").first().pk])),
        Screen("reports", reverse("admin:claims_reports")),
        Screen("reports, 52 weeks", reverse("admin:claims_reports") + "?semaines=52"),
        Screen("canned replies", reverse("admin:helpdesk_cannedreply_changelist")),
        Screen("canned reply, add", reverse("admin:helpdesk_cannedreply_add")),
        Screen("seller", lambda s: reverse("admin:orders_sellerprofile_change", args=[s.pending_claim.seller_id])),
        Screen("chat console", reverse("admin:helpdesk_conversation_console"), console_with_a_conversation,
               console_scripted),
        Screen("refunds", reverse("admin:orders_refund_changelist")),
        Screen("payouts", reverse("admin:orders_payout_changelist")),
    ],
}


def _console_errors(tab, errors):
    tab.on("console", lambda message: _console_error(message, errors))
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("response", lambda response: _failed_asset(response, errors))


@pytest.mark.parametrize("role", list(PAGES))
def test_every_page_has_no_accessibility_violation(role, browser, live_server, demo_data, record_property):
    scenario = build_scenario()
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", base_url=live_server.url,
                                  viewport=WIDTHS["desktop"])
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    tab.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    errors: list[str] = []
    _console_errors(tab, errors)
    if USERS[role]:
        tab.goto(reverse("login"))
        form = tab.locator("main form")
        form.locator("input[name=username]").fill(USERS[role])
        form.locator("input[name=password]").fill(DEMO_PASSWORD)
        form.locator("button[type=submit]").click()
        tab.wait_for_url(lambda url: reverse("login") not in url)

    failures, checks, found = [], [], []
    try:
        for screen in PAGES[role]:
            for language in LANGUAGES:
                context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                                      "url": live_server.url}])
                tab.set_viewport_size(WIDTHS["desktop"])
                errors.clear()
                if screen.before:
                    screen.before(tab)
                response = tab.goto(screen.address(scenario))
                if response.status >= 500:
                    failures.append(f"{role} / {screen.name} / {language}: HTTP {response.status}")
                    continue
                if screen.state:
                    try:
                        screen.state(tab, scenario)
                    except Exception as error:  # noqa: BLE001 (reported with the others below)
                        failures.append(f"{role} / {screen.name} / {language}: could not reach the state: {error}")
                        continue
                for width, size in WIDTHS.items():
                    tab.set_viewport_size(size)
                    # Let the page answer the resize (its resize handlers run before the next frames).
                    tab.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
                    where = f"{role} / {screen.name} / {language} / {size['width']}px ({tab.url})"
                    violations = axe_violations(tab)
                    checks.append((screen.name, role, language, size["width"], len(violations)))
                    found.extend((where, violation) for violation in violations)
                if errors:
                    failures.append(f"{role} / {screen.name} / {language}: console errors: {errors}")
    finally:
        record_property("a11y_checks", checks)
        context.close()
    if found:
        failures.insert(0, summarize(found))
    assert not failures, "\n".join(failures)
