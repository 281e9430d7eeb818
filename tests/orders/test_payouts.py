"""The seller's payout: held until the sale is finalized (the sweep at six weeks, or the buyer's "Tout est OK")."""
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import deadlines, domain
from claims.business_days import PARIS
from claims.models import Claim, Proposal
from orders import payments
from orders.models import Order, Payout, TrackingEvent
from orders.payouts import PayoutError, order_confirm_receipt, seller_payout_totals
from orders.services import order_mark_shipped
from tests.factories import SellerFactory, UserFactory, make_claim, make_order

PURCHASED = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
CLOSES = PURCHASED + timedelta(weeks=6)
TICK = timedelta(microseconds=1)


def order_at(**fields):
    return make_order(now=PURCHASED, days_ago=0, **fields)


def payout(order):
    return Payout.objects.get(order=order)


@pytest.mark.django_db
def test_a_new_order_has_a_held_payout_of_its_total():
    order = order_at(price=Decimal("42.10"))
    assert (payout(order).status, payout(order).amount, payout(order).seller_id) == ("held", Decimal("42.10"),
                                                                                       order.seller_id)


@pytest.mark.django_db
def test_sweep_releases_the_payout_exactly_when_the_sale_closes():
    order = order_at()
    assert deadlines.sweep(now=CLOSES - TICK).finalized == 0
    assert payout(order).status == Payout.Status.HELD
    assert deadlines.sweep(now=CLOSES).finalized == 1
    released = payout(order)
    assert (released.status, released.released_at) == (Payout.Status.TO_PAY, CLOSES)
    assert deadlines.sweep(now=CLOSES + timedelta(days=1)).finalized == 0


@pytest.mark.django_db
def test_an_open_claim_holds_the_payout_until_it_ends_and_its_refund_reduces_it():
    order = order_at()
    claim = make_claim(order=order, now=CLOSES - timedelta(days=2))
    assert deadlines.finalize_orders(now=CLOSES + timedelta(hours=1)) == 0
    assert payout(order).status == Payout.Status.HELD
    proposal = domain.claim_propose(claim_id=claim.pk, seller_user=claim.seller.user, kind=Proposal.Kind.PARTIAL_REFUND,
                                    amount=Decimal("15.00"), now=CLOSES + timedelta(hours=2))
    domain.claim_accept(claim_id=claim.pk, proposal_id=proposal.pk, buyer=order.buyer, now=CLOSES + timedelta(hours=3),
                        refund_to="wallet")
    assert deadlines.finalize_orders(now=CLOSES + timedelta(hours=4)) == 1
    assert (payout(order).status, payout(order).amount) == (Payout.Status.TO_PAY, Decimal("35.00"))


@pytest.mark.django_db
def test_buyer_confirms_receipt_and_the_sale_is_finalized_at_once():
    order = order_at()
    order_mark_shipped(order=order, carrier="Colissimo", tracking_number="6A1", at=PURCHASED + timedelta(days=1))
    now = PURCHASED + timedelta(days=3)
    assert order_confirm_receipt(order_id=order.pk, buyer=order.buyer, now=now) is True
    order.refresh_from_db()
    assert (order.status, order.finalized_at) == (Order.Status.FINALIZED, now)
    assert (payout(order).status, payout(order).released_at) == (Payout.Status.TO_PAY, now)
    assert order_confirm_receipt(order_id=order.pk, buyer=order.buyer, now=now + TICK) is False
    assert TrackingEvent.objects.filter(order=order, kind="finalized").count() == 1
    assert deadlines.finalize_orders(now=CLOSES) == 0


@pytest.mark.django_db
def test_confirm_receipt_refused_before_shipping_with_an_open_claim_or_for_someone_else():
    order = order_at()
    with pytest.raises(PayoutError, match="une fois la commande expédiée"):
        order_confirm_receipt(order_id=order.pk, buyer=order.buyer, now=PURCHASED)
    order_mark_shipped(order=order, carrier="Colissimo", tracking_number="6A1", at=PURCHASED + timedelta(days=1))
    with pytest.raises(PayoutError, match="Seul l'acheteur"):
        order_confirm_receipt(order_id=order.pk, buyer=order.seller.user, now=PURCHASED + timedelta(days=2))
    make_claim(order=order, now=PURCHASED + timedelta(days=2))
    with pytest.raises(PayoutError, match="Une réclamation est en cours"):
        order_confirm_receipt(order_id=order.pk, buyer=order.buyer, now=PURCHASED + timedelta(days=3))
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED and payout(order).is_held


@pytest.mark.django_db
def test_totals_per_state():
    seller = SellerFactory()
    held = order_at(seller=seller, price=Decimal("10.00"))
    released = order_at(seller=seller, price=Decimal("20.00"))
    Order.objects.filter(pk=released.pk).update(status=Order.Status.FINALIZED)
    from orders.payouts import payouts_release

    payouts_release(order_ids=[released.pk], now=CLOSES)
    with transaction.atomic():
        payments.refund_create(order=held, amount=Decimal("4.00"), destination="wallet", now=PURCHASED)
    totals = seller_payout_totals(seller.pk)
    assert (totals["held"], totals["to_pay"], totals["paid"]) == (Decimal("6.00"), Decimal("20.00"), Decimal("0.00"))


@pytest.mark.django_db
def test_the_cached_totals_follow_every_change_of_the_sellers_payouts(django_capture_on_commit_callbacks):
    from orders.payouts import payout_mark_paid, payout_sync, payouts_release
    from tests.factories import AgentFactory

    seller = SellerFactory()

    def totals():
        with CaptureQueriesContext(connection) as queries:
            found = seller_payout_totals(seller.pk)
        return (found["held"], found["to_pay"], found["paid"], found["count"]), len(queries)

    def changed(act):
        with django_capture_on_commit_callbacks(execute=True):
            return act()

    first = changed(lambda: order_at(seller=seller, price=Decimal("10.00")))
    assert totals() == ((Decimal("10.00"), 0, 0, 1), 1)
    assert totals() == ((Decimal("10.00"), 0, 0, 1), 0)  # cached
    second = changed(lambda: order_at(seller=seller, price=Decimal("20.00")))  # a new order: a new payout
    assert totals()[0] == (Decimal("30.00"), 0, 0, 2)
    changed(lambda: payments.refund_create(order=first, amount=Decimal("4.00"), destination="wallet", now=PURCHASED))
    assert totals()[0] == (Decimal("26.00"), 0, 0, 2)
    Order.objects.filter(pk=second.pk).update(status=Order.Status.FINALIZED)
    changed(lambda: payouts_release(order_ids=[second.pk], now=CLOSES))
    assert totals()[0] == (Decimal("6.00"), Decimal("20.00"), 0, 2)
    changed(lambda: payout_mark_paid(payout_id=payout(second).pk, agent=AgentFactory(), reference="VIR-1",
                                     now=CLOSES))
    assert totals()[0] == (Decimal("6.00"), 0, Decimal("20.00"), 2)
    Order.objects.filter(pk=first.pk).update(total=Decimal("8.00"))  # an agent's edit in the admin, then its sync
    first.refresh_from_db()
    changed(lambda: payout_sync(order=first))
    assert totals()[0] == (Decimal("4.00"), 0, Decimal("20.00"), 2)  # the remainder after the 4.00 refund


# --- pages -------------------------------------------------------------------------------------------------------

def test_all_ok_button_finalizes_for_the_buyer(client, roles):
    order = roles["order"]
    order_mark_shipped(order=order, carrier="Colissimo", tracking_number="6A1", at=order.purchased_at)
    client.force_login(roles["buyer"])
    detail = reverse("orders:detail", args=[order.number])
    assert 'data-testid="all-ok"' in client.get(detail).content.decode()
    response = client.post(reverse("orders:confirm_receipt", args=[order.number]), follow=True)
    assert "La vente est finalisée" in response.content.decode()
    assert payout(order).status == Payout.Status.TO_PAY
    assert 'data-testid="all-ok"' not in client.get(detail).content.decode()


@pytest.mark.parametrize("role,status", [("other_buyer", 404), ("other_seller", 404), ("seller", 302), ("staff", 302)])
def test_only_the_buyer_may_confirm(client, roles, role, status):
    order = roles["order"]
    order_mark_shipped(order=order, carrier="Colissimo", tracking_number="6A1", at=order.purchased_at)
    client.force_login(roles[role])
    assert client.post(reverse("orders:confirm_receipt", args=[order.number])).status_code == status
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED and payout(order).is_held


def test_anonymous_confirm_goes_to_login(client, roles):
    response = client.post(reverse("orders:confirm_receipt", args=[roles["order"].number]))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert payout(roles["order"]).is_held


def test_seller_sees_payout_state_on_sales_and_order_page(client, roles):
    client.force_login(roles["seller"])
    sales = client.get(reverse("orders:sales")).content.decode()
    assert 'data-testid="payout-totals"' in sales and "Bloqué" in sales
    assert 'data-testid="payout"' in client.get(reverse("orders:detail", args=[roles["order"].number])).content.decode()
    client.force_login(roles["buyer"])
    assert 'data-testid="payout"' not in client.get(
        reverse("orders:detail", args=[roles["order"].number])).content.decode()


def _sales_queries(client, user):
    client.force_login(user)
    client.get(reverse("orders:sales"))  # warm the session and the navbar's cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("orders:sales")).status_code == 200
    return len(queries)


def test_sales_page_queries_do_not_grow_with_rows(client, roles):
    one = _sales_queries(client, roles["seller"])
    buyer = UserFactory()
    for _ in range(199):
        make_order(buyer=buyer, seller=roles["seller_profile"])
    assert _sales_queries(client, roles["seller"]) == one


# --- PostgreSQL: the buyer confirms while the sweep finalizes ------------------------------------------------------

@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_buyer_confirming_while_the_sweep_finalizes_gives_one_finalization_and_one_payout():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (skip_locked) need PostgreSQL: run with DATABASE_URL=postgres://…")
    from tests.claims.test_sweep_concurrency import run_in_threads

    buyer, seller = UserFactory(), SellerFactory()
    orders = [make_order(buyer=buyer, seller=seller, now=PURCHASED, days_ago=0) for _ in range(150)]
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(status=Order.Status.DELIVERED)

    def confirm_all():
        done = 0
        for order in orders:
            done += order_confirm_receipt(order_id=order.pk, buyer=buyer, now=CLOSES)
        return done

    results, _ = run_in_threads(confirm_all, lambda: deadlines.finalize_orders(now=CLOSES, batch_size=10))
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert results[0] + results[1] == 150
    events = TrackingEvent.objects.filter(order__in=orders, kind=TrackingEvent.Kind.FINALIZED)
    assert events.count() == 150
    assert not events.values("order").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert Payout.objects.filter(order__in=orders, status=Payout.Status.TO_PAY).count() == 150
    assert not Claim.objects.exists()
