"""Mon porte-monnaie: the balance and history of the signed-in buyer only, in constant queries."""
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import domain
from claims.models import Proposal
from orders import payments
from tests.factories import make_claim, make_order

URL = reverse("orders:wallet")
NOW = timezone.now()


def credit(order, amount):
    with transaction.atomic():
        return payments.refund_create(order=order, amount=Decimal(amount), destination="wallet", now=NOW)


def page(client, user):
    client.force_login(user)
    return client.get(URL)


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_owner_sees_balance_and_the_claim_reference(client, roles):
    claim = make_claim(order=roles["order"], now=NOW)
    proposal = domain.claim_propose(claim_id=claim.pk, seller_user=roles["seller"], kind=Proposal.Kind.PARTIAL_REFUND,
                                    amount=Decimal("12.50"), now=NOW)
    domain.claim_accept(claim_id=claim.pk, proposal_id=proposal.pk, buyer=roles["buyer"], now=NOW, refund_to="wallet")
    body = page(client, roles["buyer"]).content.decode()
    assert "Solde : 12,50\xa0€" in body
    assert f"réclamation sur la commande {claim.order.number}" in body
    assert reverse("claims:detail", args=[claim.pk]) in body


@pytest.mark.parametrize("role", ["other_buyer", "seller", "other_seller", "staff"])
def test_other_roles_see_only_their_own_empty_wallet(client, roles, role):
    credit(roles["order"], "20.00")
    response = page(client, roles[role])
    body = response.content.decode()
    assert response.status_code == 200
    assert "Solde : 0,00\xa0€" in body and roles["order"].number not in body


@pytest.mark.parametrize("language, balance, line", [
    ("fr", "Solde : 1\xa0234,50\xa0€", "+1\xa0234,50\xa0€"),
    ("en", "Balance: €1,234.50", "+€1,234.50"),
])
def test_balance_and_history_are_written_in_the_readers_format(client, roles, language, balance, line):
    roles["order"].__class__.objects.filter(pk=roles["order"].pk).update(total=Decimal("2000.00"))
    credit(roles["order"], "1234.50")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = page(client, roles["buyer"]).content.decode()
    assert balance in body
    assert line in body


def test_account_page_links_to_the_wallet(client, roles):
    client.force_login(roles["buyer"])
    assert URL in client.get(reverse("orders:account")).content.decode()


def _queries(client, user):
    client.force_login(user)
    client.get(URL)  # warm the session and the navbar's cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_the_history(client, roles):
    order = make_order(buyer=roles["buyer"], price=Decimal("500.00"))
    credit(order, "1.00")
    one = _queries(client, roles["buyer"])
    for _ in range(199):
        credit(order, "1.00")
    assert _queries(client, roles["buyer"]) == one
