"""Two sweeps at once, and a buyer accepting while the sweep runs: each claim ends in one consistent state."""
import threading
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count

from claims import deadlines, domain
from claims.business_days import PARIS
from claims.domain import ClaimActionError
from claims.models import Claim, ClaimEvent, Notification, Proposal
from tests.factories import SellerFactory, UserFactory, make_claim, make_order

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

OPENED = datetime(2026, 2, 2, 10, 0, tzinfo=PARIS)  # Monday: deadline Thursday 5 February, 23:59:59.999999
AFTER_DEADLINE = datetime(2026, 2, 6, 0, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (skip_locked) need PostgreSQL: run with DATABASE_URL=postgres://…")


def run_in_threads(*targets):
    """Start every target at the same instant (a barrier), each on its own database connection.

    Returns each target's result (or the exception it raised) and the list of unexpected exceptions:
    anything but a ClaimActionError, the domain's refusal that a lost race is allowed to end in.
    """
    barrier = threading.Barrier(len(targets))
    results, errors = [None] * len(targets), []

    def runner(index, target):
        try:
            barrier.wait(timeout=30)
            results[index] = target()
        except ClaimActionError as exc:
            results[index] = exc
        except BaseException as exc:  # noqa: BLE001 — reported to the test below
            results[index] = exc
            errors.append((index, exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a sweep is stuck"
    return results, errors


def overdue_claims(count):
    buyer, seller = UserFactory(), SellerFactory()
    return [make_claim(order=make_order(buyer=buyer, seller=seller, now=OPENED, days_ago=20), now=OPENED)
            for _ in range(count)]


def test_two_parallel_sweeps_take_over_500_claims_once_each():
    claims = overdue_claims(500)

    results, errors = run_in_threads(
        lambda: deadlines.sweep(now=AFTER_DEADLINE, batch_size=50),
        lambda: deadlines.sweep(now=AFTER_DEADLINE, batch_size=50),
    )
    assert errors == [], errors

    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(r.taken_over for r in results) == 500
    assert Claim.objects.filter(pk__in=[c.pk for c in claims], status=Claim.Status.WITH_SUPPORT).count() == 500
    events = ClaimEvent.objects.filter(kind=ClaimEvent.Kind.TAKEN_OVER)
    assert events.count() == 500
    assert not events.values("claim").annotate(n=Count("id")).filter(n__gt=1).exists()
    notices = Notification.objects.filter(kind=Notification.Kind.TAKEN_OVER)
    assert notices.count() == 1000
    assert not notices.values("claim", "recipient").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert deadlines.sweep(now=AFTER_DEADLINE).taken_over == 0


def test_two_parallel_sweeps_remind_each_seller_once():
    claims = overdue_claims(100)
    on_last_day = datetime(2026, 2, 5, 8, 0, tzinfo=PARIS)

    results, errors = run_in_threads(
        lambda: deadlines.sweep(now=on_last_day, batch_size=10),
        lambda: deadlines.sweep(now=on_last_day, batch_size=10),
    )
    assert errors == [], errors

    assert sum(r.reminded for r in results) == 100
    assert ClaimEvent.objects.filter(kind=ClaimEvent.Kind.REMINDED, claim__in=claims).count() == 100
    assert Notification.objects.filter(kind=Notification.Kind.REMINDER).count() == 100


def test_a_buyer_accepting_while_the_sweep_runs_ends_in_exactly_one_outcome():
    for _round in range(20):
        (claim,) = overdue_claims(1)
        proposal = domain.claim_propose(claim_id=claim.pk, seller_user=claim.seller.user, kind="partial_refund",
                                        amount=Decimal("5.00"), now=OPENED + timedelta(hours=1))

        results, errors = run_in_threads(
            lambda: domain.claim_accept(claim_id=claim.pk, proposal_id=proposal.pk, buyer=claim.buyer, now=AFTER_DEADLINE),
            lambda: deadlines.sweep(now=AFTER_DEADLINE),
        )
        assert errors == [], errors
        accepted, swept = results
        assert not isinstance(swept, BaseException), swept
        claim.refresh_from_db()
        proposal.refresh_from_db()
        taken_over = claim.events.filter(kind=ClaimEvent.Kind.TAKEN_OVER).count()
        if claim.status == Claim.Status.SETTLED:
            assert not isinstance(accepted, BaseException), accepted
            assert proposal.status == Proposal.Status.ACCEPTED and taken_over == 0 and claim.taken_over_at is None
            assert not Notification.objects.filter(claim=claim, kind=Notification.Kind.TAKEN_OVER).exists()
        else:
            assert claim.status == Claim.Status.WITH_SUPPORT
            assert isinstance(accepted, ClaimActionError), accepted
            assert proposal.status == Proposal.Status.LAPSED and taken_over == 1
            assert not claim.events.filter(kind=ClaimEvent.Kind.ACCEPTED).exists()
        # A claim the accept held locked is left to the next sweep, which then finds it settled.
        deadlines.sweep(now=AFTER_DEADLINE)
        claim.refresh_from_db()
        # Both outcomes are valid (which one wins each round is the race's choice); a third never is.
        assert claim.status in (Claim.Status.SETTLED, Claim.Status.WITH_SUPPORT)


def test_two_parallel_sweeps_finalize_each_sale_once():
    from orders.models import Order, TrackingEvent

    buyer, seller = UserFactory(), SellerFactory()
    purchased = datetime(2026, 1, 5, 10, 0, tzinfo=PARIS)
    orders = [make_order(buyer=buyer, seller=seller, now=purchased, days_ago=0) for _ in range(100)]
    closes = purchased + timedelta(weeks=6)

    results, errors = run_in_threads(
        lambda: deadlines.sweep(now=closes, batch_size=10),
        lambda: deadlines.sweep(now=closes, batch_size=10),
    )
    assert errors == [], errors

    assert sum(r.finalized for r in results) == 100
    assert Order.objects.filter(pk__in=[o.pk for o in orders], status=Order.Status.FINALIZED).count() == 100
    assert TrackingEvent.objects.filter(kind=TrackingEvent.Kind.FINALIZED).count() == 100


def test_a_seller_asking_for_more_time_while_the_sweep_runs_ends_in_exactly_one_outcome():
    buyer, seller = UserFactory(), SellerFactory()
    for _round in range(10):
        order = make_order(buyer=buyer, seller=seller, now=OPENED, days_ago=20, has_guarantee=True)
        claim = make_claim(order=order, reason="not_received", now=OPENED)
        last_instant = claim.seller_deadline

        results, errors = run_in_threads(
            lambda: domain.claim_request_extension(claim_id=claim.pk, seller_user=seller.user, now=last_instant),
            lambda: deadlines.sweep(now=AFTER_DEADLINE),
        )
        assert errors == [], errors
        extended, swept = results
        assert not isinstance(swept, BaseException), swept
        deadlines.sweep(now=AFTER_DEADLINE)  # the claim the extension held locked is looked at again
        claim.refresh_from_db()
        if claim.status == Claim.Status.WITH_SELLER:
            assert not isinstance(extended, BaseException), extended
            assert claim.extension_requested_at is not None and claim.seller_deadline > AFTER_DEADLINE
            assert not claim.events.filter(kind=ClaimEvent.Kind.TAKEN_OVER).exists()
        else:
            assert claim.status == Claim.Status.WITH_SUPPORT
            assert isinstance(extended, ClaimActionError), extended
            assert claim.extension_requested_at is None
            assert not claim.events.filter(kind=ClaimEvent.Kind.EXTENDED).exists()
