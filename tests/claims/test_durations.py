"""The durations the reports read are stored on the claim by every act that ends it, cleared by an appeal,
and filled the same way for rows written in bulk (the migration's backfill, the benchmark's seed)."""
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from claims import appeals, deadlines, domain, returns
from claims.business_days import PARIS, business_days_between
from claims.durations import fill_stored_durations
from claims.models import Claim, Proposal
from tests.factories import StaffFactory, make_claim, make_order

pytestmark = pytest.mark.django_db

ADDRESS = "Vendeur Pro\n12 rue des Retours\n69001 Lyon"


def at(day, hour=10, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=PARIS)  # March 2026: no public holiday; Monday 2


def opened(day=2, hour=10):
    return make_claim(order=make_order(now=at(day, hour), days_ago=3, price=Decimal("60.00")), now=at(day, hour))


def stored(claim):
    claim.refresh_from_db()
    return claim.end_business_days, claim.decision_business_days, claim.seller_answer_seconds


def test_business_days_between_counts_the_days_after_the_first_up_to_the_last():
    assert business_days_between(at(6, 18), at(9, 8)) == 1  # Friday evening → Monday morning
    assert business_days_between(at(2), at(2, 23)) == 0
    assert business_days_between(at(2), at(12)) == 8
    assert business_days_between(datetime(2026, 4, 30, 12, tzinfo=PARIS), datetime(2026, 5, 4, 12, tzinfo=PARIS)) == 1


def test_settled_by_an_accepted_refund_stores_the_end_and_the_first_answer():
    claim = opened()
    proposal = domain.claim_propose(claim_id=claim.pk, seller_user=claim.seller.user, kind="full_refund",
                                    now=at(2, 12, 30))
    assert stored(claim) == (None, None, 2 * 3600 + 30 * 60)
    domain.claim_accept(claim_id=claim.pk, proposal_id=proposal.pk, buyer=claim.buyer, now=at(4))
    assert stored(claim) == (2, None, 9000)


def test_the_first_answer_is_the_sellers_first_message_and_later_ones_do_not_change_it():
    claim = opened()
    domain.claim_post_message(claim_id=claim.pk, author=claim.buyer, body="Alors ?", now=at(2, 11))
    assert stored(claim) == (None, None, None)
    domain.claim_post_message(claim_id=claim.pk, author=claim.seller.user, body="Je regarde", now=at(3, 10))
    domain.claim_post_message(claim_id=claim.pk, author=claim.seller.user, body="Voilà", now=at(4, 10))
    assert stored(claim) == (None, None, 24 * 3600)


def test_withdrawn_stores_the_end():
    claim = opened()
    domain.claim_withdraw(claim_id=claim.pk, buyer=claim.buyer, reason="solved", now=at(12))
    assert stored(claim) == (8, None, None)


def test_decided_after_the_takeover_stores_both_and_an_appeal_clears_them_until_the_next_decision():
    claim = opened()  # Monday 2; the seller's deadline ends Thursday 5
    assert domain.claim_take_over(claim_id=claim.pk, now=at(6, 0, 1))  # Friday
    agent = StaffFactory()
    domain.claim_decide(claim_id=claim.pk, agent=agent, decision="seller_favour", reason="Livré", now=at(10, 15))
    assert stored(claim) == (6, 2, None)  # Tuesday 10: Tue 3 … Tue 10, and Mon 9, Tue 10
    appeals.claim_appeal(claim_id=claim.pk, user=claim.buyer, reason="Je conteste", now=at(11))
    assert stored(claim) == (None, None, None)
    domain.claim_decide(claim_id=claim.pk, agent=agent, decision="seller_favour", reason="Revu", now=at(13))
    assert stored(claim) == (9, 5, None)  # from the first takeover to the final decision


def _accepted_return(kind, day=2):
    claim = opened(day)
    proposal = domain.claim_propose(claim_id=claim.pk, seller_user=claim.seller.user, kind=kind, now=at(day, 11),
                                    return_address=ADDRESS, return_postage="seller")
    domain.claim_accept(claim_id=claim.pk, proposal_id=proposal.pk, buyer=claim.buyer, now=at(3, 9),
                        refund_to="wallet" if kind == Proposal.Kind.RETURN_REFUND else None)
    return claim


def test_settled_when_the_returned_item_arrives_stores_the_end():
    claim = _accepted_return(Proposal.Kind.RETURN_REFUND)
    returns.return_ship(claim_id=claim.pk, buyer=claim.buyer, carrier="Colissimo", tracking_number="6A123456789",
                        now=at(4))
    assert stored(claim) == (None, None, 3600)
    returns.return_confirm_receipt(claim_id=claim.pk, user=claim.seller.user, now=at(6))
    assert stored(claim) == (4, None, 3600)


def test_settled_when_the_replacement_is_shipped_stores_the_end():
    claim = _accepted_return(Proposal.Kind.EXCHANGE)
    returns.return_ship(claim_id=claim.pk, buyer=claim.buyer, carrier="Colissimo", tracking_number="6A123456789",
                        now=at(4))
    returns.return_confirm_receipt(claim_id=claim.pk, user=claim.seller.user, now=at(6))
    assert stored(claim)[0] is None  # an exchange waits for the new item
    returns.return_ship_replacement(claim_id=claim.pk, seller_user=claim.seller.user, carrier="DPD",
                                    tracking_number="250012345", now=at(7, 9))
    assert stored(claim) == (4, None, 3600)  # Saturday 7: Tue 3 … Fri 6


def test_the_sweeps_batch_closing_returns_not_shipped_stores_each_claims_own_end():
    monday, tuesday = _accepted_return(Proposal.Kind.RETURN_REFUND, day=2), _accepted_return(
        Proposal.Kind.RETURN_REFUND, day=3)
    ship_by = monday.item_return.ship_by  # Tuesday 10, 23:59:59.999999, for both
    assert deadlines.sweep(now=ship_by + timedelta(microseconds=1)).returns_lapsed == 2
    assert stored(monday)[0] == 7 and stored(tuesday)[0] == 6  # to Wednesday 11
    assert Claim.objects.get(pk=monday.pk).status == Claim.Status.RETURN_LAPSED


def test_the_backfill_gives_what_the_acts_stored():
    settled, decided, answered = opened(), opened(3), opened(4)
    proposal = domain.claim_propose(claim_id=settled.pk, seller_user=settled.seller.user, kind="full_refund",
                                    now=at(2, 12, 30))
    domain.claim_accept(claim_id=settled.pk, proposal_id=proposal.pk, buyer=settled.buyer, now=at(4))
    assert domain.claim_take_over(claim_id=decided.pk, now=at(9, 0, 1))
    domain.claim_decide(claim_id=decided.pk, agent=StaffFactory(), decision="seller_favour", reason="Livré",
                        now=at(12, 15))
    domain.claim_post_message(claim_id=answered.pk, author=answered.seller.user, body="Je regarde", now=at(4, 10, 1))
    before = {claim.pk: stored(claim) for claim in (settled, decided, answered)}
    Claim.objects.update(end_business_days=None, decision_business_days=None, seller_answer_seconds=None)
    fill_stored_durations(Claim, connection)
    assert {claim.pk: stored(claim) for claim in (settled, decided, answered)} == before
    assert before[decided.pk][:2] == (7, 3) and before[answered.pk] == (None, None, 60)
