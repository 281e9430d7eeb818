"""Mes réclamations and the purchases list: the buyer's claims with their next step; product names and open claims."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import domain
from claims.models import Proposal
from tests.factories import ListingFactory, make_claim, make_order
from orders.services import order_create

URL = reverse("claims:mine")
NOW = timezone.now()


def get(client, user, url=URL):
    client.force_login(user)
    return client.get(url)


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_buyer_sees_claims_newest_first_with_next_step_and_badge(client, roles):
    older = make_claim(order=roles["order"], now=NOW - timedelta(days=3))
    newer = make_claim(order=make_order(buyer=roles["buyer"], seller=roles["seller_profile"]), now=NOW)
    domain.claim_propose(claim_id=newer.pk, seller_user=roles["seller"], kind=Proposal.Kind.PARTIAL_REFUND,
                         amount=Decimal("5.00"), now=NOW)
    body = get(client, roles["buyer"]).content.decode()
    assert body.index(newer.order.number) < body.index(older.order.number)
    assert body.count('data-testid="waits-for-you"') == 1
    assert "Répondez à la proposition du vendeur" in body and "Le vendeur doit proposer une solution" in body


@pytest.mark.parametrize("role", ["other_buyer", "seller", "other_seller", "staff"])
def test_others_do_not_see_the_buyers_claims(client, roles, role):
    make_claim(order=roles["order"], now=NOW)
    response = get(client, roles[role])
    assert response.status_code == 200 and roles["order"].number not in response.content.decode()


def _count(client, user, url):
    client.force_login(user)
    client.get(url)  # warm the session and the navbar's cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_my_claims_queries_do_not_grow(client, roles):
    make_claim(order=roles["order"], now=NOW)
    one = _count(client, roles["buyer"], URL)
    for _ in range(29):
        make_claim(order=make_order(buyer=roles["buyer"], seller=roles["seller_profile"]), now=NOW)
    assert _count(client, roles["buyer"], URL) == one


def test_purchases_show_product_names_and_open_claims(client, roles):
    listings = [ListingFactory(seller=roles["seller_profile"], title=title) for title in ("Casque audio", "Câble", "Étui")]
    order = order_create(buyer=roles["buyer"], seller=roles["seller_profile"], lines=[(listing, 1) for listing in listings],
                         payment_method="card", shipping_method="standard", destination="metropolitan")
    make_claim(order=roles["order"], now=NOW)
    body = get(client, roles["buyer"], reverse("orders:purchases")).content.decode()
    assert "Casque audio" in body and "+ 2 autres" in body
    assert body.count('data-testid="order-claim-open"') == 1
    assert order.number in body


def test_purchases_queries_do_not_grow_with_200_orders(client, roles):
    one = _count(client, roles["buyer"], reverse("orders:purchases"))
    for _ in range(199):
        make_order(buyer=roles["buyer"], seller=roles["seller_profile"])
    assert _count(client, roles["buyer"], reverse("orders:purchases")) == one


def test_account_links_to_my_claims(client, roles):
    assert URL in get(client, roles["buyer"], reverse("orders:account")).content.decode()


# claims/my_claims.html's loop before {% my_claim_rows %}, word for word.
OLD_ROWS = """{% load i18n %}{% for claim in claims %}
    <tr data-testid="my-claim">
      <td><a href="{{ claim.row_url }}">{{ claim.order.number }}</a><br><span class="small text-muted">{{ claim.seller.display_name }}</span></td>
      <td>{{ claim.get_reason_display }}</td>
      <td>{{ claim.opened_text }}</td>
      <td><span class="badge status-{{ claim.status }}">{{ claim.get_status_display }}</span></td>
      <td>{% if claim.next_step.yours %}<span class="badge text-bg-danger" data-testid="waits-for-you">{% translate "À vous d'agir" %}</span> {% endif %}{{ claim.next_step.text }}{% if claim.next_step.at %}<br><span class="small text-muted">{{ claim.next_step.before }}</span>{% endif %}</td>
    </tr>
  {% endfor %}"""


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_rows_built_in_python_are_the_former_loop(client, roles, language):
    from django.template import Context, Template
    from django.utils import translation

    from claims.models import Claim
    from tests.factories import SellerFactory

    shop = SellerFactory(display_name="L'atelier <b>&</b> Cie")
    pending = make_claim(order=make_order(buyer=roles["buyer"], seller=shop))
    domain.claim_propose(claim_id=pending.pk, seller_user=shop.user, kind=Proposal.Kind.EXCHANGE, now=timezone.now())
    make_claim(order=make_order(buyer=roles["buyer"], seller=shop, days_ago=30), reason="not_received")
    support = make_claim(order=make_order(buyer=roles["buyer"]))
    Claim.objects.filter(pk=support.pk).update(status=Claim.Status.WITH_SUPPORT)
    ended = make_claim(order=make_order(buyer=roles["buyer"]), reason="different")
    Claim.objects.filter(pk=ended.pk).update(status=Claim.Status.WITHDRAWN, closed_at=timezone.now())
    client.force_login(roles["buyer"])
    client.cookies["django_language"] = language
    response = client.get(URL)
    claims = response.context["claims"]
    with translation.override(language):
        old = Template(OLD_ROWS).render(Context({"claims": claims}))
        new = Template("{% load my_claim_rows %}{% my_claim_rows claims %}").render(Context({"claims": claims}))
    assert new == old and old.count("<tr") == 4
    assert "L&#x27;atelier &lt;b&gt;&amp;&lt;/b&gt; Cie" in new and 'data-testid="waits-for-you"' in new
    assert new in response.content.decode()
