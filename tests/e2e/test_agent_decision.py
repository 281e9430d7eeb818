"""In Chromium: an overdue claim reaches the agents' queue, an agent takes it and decides a partial refund with a reason;
alice and the seller read the decision and its reason on the claim page."""
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from claims import deadlines
from claims.domain import claim_open
from claims.models import Claim
from orders.models import Order

pytestmark = pytest.mark.e2e

REASON = "Les photos montrent un écran fissuré à la livraison : remboursement partiel de 25 €."


@pytest.fixture
def taken_over_claim(demo_data):
    """Alice's claim on a Boutique Paris order, opened nine days ago, then taken over by the sweep."""
    alice = get_user_model().objects.get(username="alice")
    now = timezone.now()
    order = (Order.objects.filter(buyer=alice, seller__user__username="boutique-paris",
                                  purchased_at__lt=now - timedelta(days=9)).order_by("-purchased_at").first())
    claim = claim_open(order=order, buyer=alice, reason=Claim.Reason.DAMAGED, now=now - timedelta(days=9),
                       description="L'écran est arrivé fissuré.", items=list(order.lines.all()))
    assert deadlines.sweep(now=now).taken_over == 1
    return claim


def log_in_to(page, live_server, username, *, then):
    """Sign in through the site's login form and land on `then`."""
    page.goto(f"{live_server.url}{reverse('login')}?next={then}")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill("demo-2026")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**{then}")


def agent_logs_into_the_admin(page, live_server):
    page.goto(live_server.url + reverse("admin:index"))
    page.locator("#id_username").fill("agent")
    page.locator("#id_password").fill("demo-2026")
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#site-name")).to_be_visible()


def test_agent_takes_the_newest_claim_of_the_queue_and_decides_a_partial_refund(
        page, second_page, page_errors, live_server, taken_over_claim):
    claim = taken_over_claim
    agent = page
    agent_logs_into_the_admin(agent, live_server)

    agent.locator(f"#content-main a[href='{reverse('admin:claims_claim_changelist')}']").first.click()
    agent.locator("#changelist-filter").get_by_role("link", name="Non attribués").click()
    # The seeded queue has older takeovers: this one, taken over just now, is served last.
    last = agent.locator("#result_list tbody tr").last
    expect(last).to_contain_text(claim.order.number)
    last.get_by_role("link", name=claim.order.number).click()

    agent.get_by_role("button", name="M'attribuer ce dossier").click()
    expect(agent.locator(".messagelist")).to_contain_text("vous est attribué")
    decision = agent.locator("#claim-decision-form")
    decision.get_by_label("Remboursement partiel de l'acheteur").check()
    decision.get_by_label("Montant remboursé (€)").fill("25")
    decision.get_by_label("Motif de la décision").fill(REASON)
    decision.get_by_role("button", name="Enregistrer la décision").click()
    expect(agent.locator(".messagelist")).to_contain_text("Décision enregistrée")

    claim.refresh_from_db()
    assert claim.status == Claim.Status.DECIDED and claim.decision_reason == REASON
    assert claim.assigned_to.username == "agent"

    claim_page = reverse("claims:detail", args=[claim.pk])
    for person, username in ((second_page, "alice"), (agent, "boutique-paris")):
        if person is agent:
            person.context.clear_cookies()
        log_in_to(person, live_server, username, then=claim_page)
        expect(person.get_by_test_id("decision")).to_contain_text("Remboursement partiel de l'acheteur")
        expect(person.get_by_test_id("decision")).to_contain_text("25")
        expect(person.get_by_text(REASON)).to_be_visible()
    assert not page_errors, page_errors
