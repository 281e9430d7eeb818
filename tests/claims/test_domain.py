"""The life of a claim: every allowed move, a sample of refused ones, who may act, deadlines and amounts."""
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict

from claims import domain
from claims.domain import ClaimActionError
from claims.models import Claim, ClaimEvent, ClaimMessage, Notification, Proposal
from tests.factories import make_order

PARIS = ZoneInfo("Europe/Paris")
# A Tuesday with no public holiday nearby: the seller's deadline is Friday 6 March, 23:59:59.999999.
OPENED = datetime(2026, 3, 3, 10, 0, tzinfo=PARIS)
LATER = OPENED + timedelta(hours=2)
AFTER_DEADLINE = datetime(2026, 3, 7, 0, 0, tzinfo=PARIS)
Status, Kind = Claim.Status, ClaimEvent.Kind


def open_claim(order, *, reason=Claim.Reason.DAMAGED, now=OPENED, **fields):
    return domain.claim_open(order=order, buyer=order.buyer, reason=reason, description="L'écran est fissuré.",
                             now=now, items=list(order.lines.all()), **fields)


@pytest.fixture
def case(roles):
    """The roles around a 20-day-old guaranteed order, with a "damaged" claim opened on it at OPENED."""
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], now=OPENED, days_ago=20,
                       has_guarantee=True, price=Decimal("80.00"))
    return SimpleNamespace(**{**roles, "order": order, "claim": open_claim(order)})


def propose(case, kind=Proposal.Kind.FULL_REFUND, now=LATER, **fields):
    return domain.claim_propose(claim_id=case.claim.pk, seller_user=case.seller, kind=kind, now=now, **fields)


def take_over(case, now=AFTER_DEADLINE):
    return domain.claim_take_over(claim_id=case.claim.pk, now=now)


def snapshot(claim):
    """Everything an act could change: the claim's row and the counts of what hangs from it."""
    claim = Claim.objects.get(pk=claim.pk)
    return (
        model_to_dict(claim, exclude=["items"]),
        list(claim.proposals.values_list("pk", "status")),
        claim.events.count(), claim.messages.count(), Notification.objects.count(),
    )


def notified(claim, kind):
    return sorted(Notification.objects.filter(claim=claim, kind=kind).values_list("recipient__username", flat=True))


# --- every allowed move -----------------------------------------------------------------------------------------

def _accept(case):
    proposal = propose(case)
    return domain.claim_accept(claim_id=case.claim.pk, proposal_id=proposal.pk, buyer=case.buyer, now=LATER)


def _withdraw(case):
    return domain.claim_withdraw(claim_id=case.claim.pk, buyer=case.buyer, reason=Claim.WithdrawReason.ARRANGEMENT,
                                 now=LATER)


def _take_over(case):
    assert take_over(case) is True


def _decide(case):
    take_over(case)
    return domain.claim_decide(claim_id=case.claim.pk, agent=case.staff, decision=Claim.Decision.REFUND_FULL,
                               reason="Colis arrivé endommagé, photos à l'appui.", now=AFTER_DEADLINE)


def _withdraw_with_support(case):
    take_over(case)
    return domain.claim_withdraw(claim_id=case.claim.pk, buyer=case.buyer, reason=Claim.WithdrawReason.SOLVED,
                                 now=AFTER_DEADLINE)


TRANSITIONS = [
    # (name, act, from, to, event, notified parties)
    ("accept", _accept, Status.WITH_SELLER, Status.SETTLED, Kind.ACCEPTED, Notification.Kind.ACCEPTED),
    ("withdraw", _withdraw, Status.WITH_SELLER, Status.WITHDRAWN, Kind.WITHDRAWN, Notification.Kind.WITHDRAWN),
    ("take_over", _take_over, Status.WITH_SELLER, Status.WITH_SUPPORT, Kind.TAKEN_OVER, Notification.Kind.TAKEN_OVER),
    ("decide", _decide, Status.WITH_SUPPORT, Status.DECIDED, Kind.DECIDED, Notification.Kind.DECIDED),
    ("withdraw_with_support", _withdraw_with_support, Status.WITH_SUPPORT, Status.WITHDRAWN, Kind.WITHDRAWN,
     Notification.Kind.WITHDRAWN),
]


def test_transition_table_covers_every_allowed_move():
    assert {(start, end) for _name, _act, start, end, *_ in TRANSITIONS} == {
        (start, end) for start, ends in domain.ALLOWED.items() for end in ends
    }


@pytest.mark.parametrize("name, act, start, end, event, notification", TRANSITIONS, ids=[t[0] for t in TRANSITIONS])
def test_allowed_move_changes_status_records_event_and_tells_both_parties(case, name, act, start, end, event,
                                                                          notification):
    act(case)
    claim = Claim.objects.get(pk=case.claim.pk)
    assert claim.status == end
    assert claim.events.filter(kind=event).count() == 1
    assert notified(claim, notification) == ["buyer", "seller"]
    if end in (Status.SETTLED, Status.WITHDRAWN, Status.DECIDED):
        assert claim.closed_at is not None and claim.is_closed


def test_accepted_proposal_is_marked_accepted(case):
    _accept(case)
    assert list(case.claim.proposals.values_list("status", flat=True)) == [Proposal.Status.ACCEPTED]


def test_take_over_lapses_a_pending_proposal_and_is_automatic(case):
    propose(case)
    take_over(case)
    assert list(case.claim.proposals.values_list("status", flat=True)) == [Proposal.Status.LAPSED]
    event = case.claim.events.get(kind=Kind.TAKEN_OVER)
    assert event.automatic and event.actor is None


def test_pending_proposal_does_not_stop_the_clock(case):
    propose(case)
    assert take_over(case, now=AFTER_DEADLINE) is True


def test_take_over_waits_for_the_deadline(case):
    assert take_over(case, now=datetime(2026, 3, 6, 23, 59, 59, tzinfo=PARIS)) is False
    assert Claim.objects.get(pk=case.claim.pk).status == Status.WITH_SELLER


def test_the_whole_last_second_belongs_to_the_seller_and_the_claim_is_overdue_at_midnight(case):
    assert take_over(case, now=datetime(2026, 3, 6, 23, 59, 59, 999999, tzinfo=PARIS)) is False
    assert take_over(case, now=datetime(2026, 3, 7, 0, 0, 0, tzinfo=PARIS)) is True
    assert Claim.objects.get(pk=case.claim.pk).taken_over_at == datetime(2026, 3, 7, 0, 0, tzinfo=PARIS)


def test_decision_records_amount_reason_and_agent(case):
    take_over(case)
    claim = domain.claim_decide(claim_id=case.claim.pk, agent=case.staff, decision=Claim.Decision.REFUND_PARTIAL,
                                amount=Decimal("30.00"), reason="  Rayure légère.  ", now=AFTER_DEADLINE)
    claim.refresh_from_db()
    assert (claim.decision_amount, claim.decision_reason, claim.assigned_to) == (Decimal("30.00"), "Rayure légère.",
                                                                                 case.staff)


# --- a sample of refused moves ----------------------------------------------------------------------------------

def _accept_after_withdraw(case):
    proposal = propose(case)
    _withdraw(case)
    return lambda: domain.claim_accept(claim_id=case.claim.pk, proposal_id=proposal.pk, buyer=case.buyer, now=LATER)


def _decide_with_seller(case):
    return lambda: domain.claim_decide(claim_id=case.claim.pk, agent=case.staff, decision=Claim.Decision.REFUND_FULL,
                                       reason="Trop tôt.", now=LATER)


def _propose_after_takeover(case):
    take_over(case)
    return lambda: propose(case, now=AFTER_DEADLINE)


def _accept_superseded(case):
    first = propose(case, kind=Proposal.Kind.EXCHANGE)
    propose(case, kind=Proposal.Kind.FULL_REFUND)
    return lambda: domain.claim_accept(claim_id=case.claim.pk, proposal_id=first.pk, buyer=case.buyer, now=LATER)


def _withdraw_twice(case):
    _withdraw(case)
    return lambda: _withdraw(case)


def _decline_after_settled(case):
    _accept(case)
    proposal = case.claim.proposals.get()
    return lambda: domain.claim_decline(claim_id=case.claim.pk, proposal_id=proposal.pk, buyer=case.buyer, now=LATER)


def _message_after_decided(case):
    _decide(case)
    return lambda: domain.claim_post_message(claim_id=case.claim.pk, author=case.buyer, body="Et maintenant ?", now=LATER)


def _extend_after_takeover(case):
    take_over(case)
    return lambda: domain.claim_request_extension(claim_id=case.claim.pk, seller_user=case.seller, now=AFTER_DEADLINE)


def _withdraw_after_decided(case):
    _decide(case)
    return lambda: _withdraw(case)


REFUSED = [_accept_after_withdraw, _decide_with_seller, _propose_after_takeover, _accept_superseded, _withdraw_twice,
           _decline_after_settled, _message_after_decided, _extend_after_takeover, _withdraw_after_decided]


@pytest.mark.parametrize("setup", REFUSED, ids=[f.__name__.strip("_") for f in REFUSED])
def test_refused_move_raises_a_message_and_changes_nothing(case, setup):
    act = setup(case)
    before = snapshot(case.claim)
    with pytest.raises(ClaimActionError) as error:
        act()
    assert error.value.message
    assert snapshot(case.claim) == before


def test_second_take_over_returns_false_and_adds_nothing(case):
    assert take_over(case) is True
    before = snapshot(case.claim)
    assert take_over(case, now=AFTER_DEADLINE + timedelta(minutes=1)) is False
    assert snapshot(case.claim) == before


def test_act_on_a_missing_claim_is_refused(case):
    with pytest.raises(ClaimActionError):
        domain.claim_withdraw(claim_id=999_999, buyer=case.buyer, reason=Claim.WithdrawReason.OTHER, now=LATER)


# --- who may act ------------------------------------------------------------------------------------------------

def _with_seller(case):
    """The damaged claim as it is: still with the seller."""


def _with_support(case):
    """The claim taken over, so that only the actor can be wrong in an agent's act."""
    take_over(case)


def _guaranteed_not_received(case):
    """A guaranteed "not received" claim with the seller: the one kind whose seller may ask for more time."""
    _withdraw(case)
    order = make_order(buyer=case.buyer, seller=case.seller_profile, now=OPENED, days_ago=20, has_guarantee=True)
    case.claim = open_claim(order, reason=Claim.Reason.NOT_RECEIVED, now=LATER)
    assert case.claim.may_extend


ACTORS = [
    # (name, role, prepare: puts the claim where the act would be allowed for the right party, act)
    ("other buyer accepts", "other_buyer", _with_seller, lambda case, user, p: domain.claim_accept(
        claim_id=case.claim.pk, proposal_id=p.pk, buyer=user, now=LATER)),
    ("seller accepts", "seller", _with_seller, lambda case, user, p: domain.claim_accept(
        claim_id=case.claim.pk, proposal_id=p.pk, buyer=user, now=LATER)),
    ("staff accepts", "staff", _with_seller, lambda case, user, p: domain.claim_accept(
        claim_id=case.claim.pk, proposal_id=p.pk, buyer=user, now=LATER)),
    ("other buyer withdraws", "other_buyer", _with_seller, lambda case, user, p: domain.claim_withdraw(
        claim_id=case.claim.pk, buyer=user, reason=Claim.WithdrawReason.SOLVED, now=LATER)),
    ("other buyer declines", "other_buyer", _with_seller, lambda case, user, p: domain.claim_decline(
        claim_id=case.claim.pk, proposal_id=p.pk, buyer=user, now=LATER)),
    ("buyer proposes", "buyer", _with_seller, lambda case, user, p: domain.claim_propose(
        claim_id=case.claim.pk, seller_user=user, kind=Proposal.Kind.EXCHANGE, now=LATER)),
    ("other seller proposes", "other_seller", _with_seller, lambda case, user, p: domain.claim_propose(
        claim_id=case.claim.pk, seller_user=user, kind=Proposal.Kind.EXCHANGE, now=LATER)),
    ("other seller writes", "other_seller", _with_seller, lambda case, user, p: domain.claim_post_message(
        claim_id=case.claim.pk, author=user, body="Bonjour", now=LATER)),
    ("other buyer writes", "other_buyer", _with_seller, lambda case, user, p: domain.claim_post_message(
        claim_id=case.claim.pk, author=user, body="Bonjour", now=LATER)),
    ("buyer asks for more time", "buyer", _guaranteed_not_received, lambda case, user, p: (
        domain.claim_request_extension(claim_id=case.claim.pk, seller_user=user, now=LATER))),
    ("seller decides", "seller", _with_support, lambda case, user, p: domain.claim_decide(
        claim_id=case.claim.pk, agent=user, decision=Claim.Decision.SELLER_FAVOUR, reason="Moi",
        now=AFTER_DEADLINE)),
    ("buyer adds an internal note", "buyer", _with_support, lambda case, user, p: domain.claim_add_note(
        claim_id=case.claim.pk, agent=user, body="Note", now=AFTER_DEADLINE)),
    ("seller assigns", "seller", _with_support, lambda case, user, p: domain.claim_assign(
        claim_id=case.claim.pk, agent=user, now=AFTER_DEADLINE)),
]


@pytest.mark.parametrize("name, role, prepare, act", ACTORS, ids=[a[0] for a in ACTORS])
def test_act_by_the_wrong_party_is_refused(case, name, role, prepare, act):
    proposal = propose(case)
    prepare(case)
    before = snapshot(case.claim)
    with pytest.raises(ClaimActionError) as error:
        act(case, getattr(case, role), proposal)
    assert error.value.message
    assert snapshot(case.claim) == before


def test_other_buyer_cannot_open_a_claim_on_someone_elses_order(case):
    order = make_order(now=OPENED, days_ago=20)
    with pytest.raises(ClaimActionError):
        domain.claim_open(order=order, buyer=case.other_buyer, reason=Claim.Reason.DAMAGED, description="x", now=OPENED)
    assert not Claim.objects.filter(order=order).exists()


# --- each act's event and notifications -------------------------------------------------------------------------

ACTS = [
    # (name, act, event kind, notification kind, recipients)
    ("message from buyer", lambda c: domain.claim_post_message(claim_id=c.claim.pk, author=c.buyer, body="Photos ?",
                                                              now=LATER), Kind.MESSAGE, Notification.Kind.MESSAGE,
     ["seller"]),
    ("message from seller", lambda c: domain.claim_post_message(claim_id=c.claim.pk, author=c.seller, body="Oui",
                                                               now=LATER), Kind.MESSAGE, Notification.Kind.MESSAGE,
     ["buyer"]),
    ("message from agent", lambda c: domain.claim_post_message(claim_id=c.claim.pk, author=c.staff, body="Bonjour",
                                                              now=LATER), Kind.MESSAGE, Notification.Kind.MESSAGE,
     ["buyer", "seller"]),
    ("proposal", lambda c: propose(c), Kind.PROPOSAL, Notification.Kind.PROPOSAL, ["buyer"]),
    ("decline", lambda c: domain.claim_decline(claim_id=c.claim.pk, proposal_id=propose(c).pk, buyer=c.buyer,
                                               now=LATER, reason="Je préfère un échange"),
     Kind.DECLINED, Notification.Kind.DECLINED, ["seller"]),
    ("remind", lambda c: domain.claim_remind(claim_id=c.claim.pk, now=datetime(2026, 3, 6, 9, 0, tzinfo=PARIS)),
     Kind.REMINDED, Notification.Kind.REMINDER, ["seller"]),
]


@pytest.mark.parametrize("name, act, event, notification, recipients", ACTS, ids=[a[0] for a in ACTS])
def test_each_act_records_its_event_and_notifies_the_other_side(case, name, act, event, notification, recipients):
    act(case)
    assert case.claim.events.filter(kind=event).count() == 1
    assert notified(case.claim, notification) == recipients


def test_opening_records_the_event_and_notifies_the_seller_only(case):
    assert list(case.claim.events.values_list("kind", "actor")) == [(Kind.OPENED, case.buyer.pk)]
    assert notified(case.claim, Notification.Kind.CLAIM_OPENED) == ["seller"]
    assert Notification.objects.count() == 1


def test_internal_note_is_hidden_from_parties_and_notifies_nobody(case):
    note = domain.claim_add_note(claim_id=case.claim.pk, agent=case.staff, body="Vendeur déjà signalé", now=LATER)
    assert note.internal and note.role == ClaimMessage.Role.SUPPORT
    assert Notification.objects.count() == 1


def test_assignment_needs_a_claim_with_support(case):
    with pytest.raises(ClaimActionError):
        domain.claim_assign(claim_id=case.claim.pk, agent=case.staff, now=LATER)
    take_over(case)
    domain.claim_assign(claim_id=case.claim.pk, agent=case.staff, now=AFTER_DEADLINE)
    assert Claim.objects.get(pk=case.claim.pk).assigned_to == case.staff
    assert case.claim.events.filter(kind=Kind.ASSIGNED).count() == 1


def test_reminder_is_sent_once(case):
    morning = datetime(2026, 3, 6, 9, 0, tzinfo=PARIS)
    assert domain.claim_remind(claim_id=case.claim.pk, now=morning) is True
    assert domain.claim_remind(claim_id=case.claim.pk, now=morning + timedelta(hours=1)) is False
    assert notified(case.claim, Notification.Kind.REMINDER) == ["seller"]


def test_empty_message_is_refused(case):
    with pytest.raises(ClaimActionError):
        domain.claim_post_message(claim_id=case.claim.pk, author=case.buyer, body="   ", now=LATER)


def test_new_proposal_supersedes_the_pending_one(case):
    first = propose(case, kind=Proposal.Kind.EXCHANGE)
    second = propose(case, kind=Proposal.Kind.FULL_REFUND)
    first.refresh_from_db()
    assert (first.status, second.status) == (Proposal.Status.SUPERSEDED, Proposal.Status.PENDING)
    assert second.amount == Decimal("80.00")


# --- deadlines --------------------------------------------------------------------------------------------------

def test_deadline_is_the_end_of_the_third_business_day_stored_at_opening(roles):
    opened = datetime(2025, 12, 23, 15, 0, tzinfo=PARIS)  # Tuesday; 25 December is a holiday
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], now=opened, days_ago=20)
    claim = open_claim(order, now=opened)
    claim.refresh_from_db()
    assert claim.seller_deadline == datetime(2025, 12, 29, 23, 59, 59, 999999, tzinfo=PARIS)
    assert claim.reminder_at == datetime(2025, 12, 29, 0, 0, tzinfo=PARIS)


def guaranteed_not_received(roles, *, has_guarantee=True, reason=Claim.Reason.NOT_RECEIVED):
    opened = datetime(2025, 12, 23, 15, 0, tzinfo=PARIS)
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], now=opened, days_ago=20,
                       has_guarantee=has_guarantee)
    return open_claim(order, reason=reason, now=opened)


def test_guaranteed_not_received_claim_extends_once_to_seven_business_days_from_opening(roles):
    claim = guaranteed_not_received(roles)
    asked = datetime(2025, 12, 29, 18, 0, tzinfo=PARIS)
    domain.claim_request_extension(claim_id=claim.pk, seller_user=roles["seller"], now=asked)
    claim.refresh_from_db()
    # 24, 26, 29, 30, 31 December, then 2 and 5 January (25 December and 1 January are holidays).
    assert claim.seller_deadline == datetime(2026, 1, 5, 23, 59, 59, 999999, tzinfo=PARIS)
    assert claim.extension_requested_at == asked
    assert claim.reminded_at is None and claim.reminder_at == datetime(2026, 1, 5, tzinfo=PARIS)
    assert claim.events.filter(kind=Kind.EXTENDED).count() == 1
    assert notified(claim, Notification.Kind.EXTENDED) == ["buyer"]
    before = snapshot(claim)
    with pytest.raises(ClaimActionError):
        domain.claim_request_extension(claim_id=claim.pk, seller_user=roles["seller"], now=asked + timedelta(hours=1))
    assert snapshot(claim) == before


def test_extension_refused_without_the_guarantee(roles):
    claim = guaranteed_not_received(roles, has_guarantee=False)
    with pytest.raises(ClaimActionError):
        domain.claim_request_extension(claim_id=claim.pk, seller_user=roles["seller"],
                                       now=datetime(2025, 12, 24, tzinfo=PARIS))


@pytest.mark.parametrize("reason", [Claim.Reason.DAMAGED, Claim.Reason.DIFFERENT, Claim.Reason.COUNTERFEIT])
def test_extension_refused_for_another_reason(roles, reason):
    claim = guaranteed_not_received(roles, reason=reason)
    with pytest.raises(ClaimActionError):
        domain.claim_request_extension(claim_id=claim.pk, seller_user=roles["seller"],
                                       now=datetime(2025, 12, 24, tzinfo=PARIS))
    claim.refresh_from_db()
    assert claim.seller_deadline == datetime(2025, 12, 29, 23, 59, 59, 999999, tzinfo=PARIS)


def test_extension_refused_once_the_deadline_has_passed(roles):
    claim = guaranteed_not_received(roles)
    with pytest.raises(ClaimActionError):
        domain.claim_request_extension(claim_id=claim.pk, seller_user=roles["seller"],
                                       now=datetime(2025, 12, 30, 0, 0, tzinfo=PARIS))


# --- amounts ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("amount", [None, Decimal("0"), Decimal("-5"), Decimal("80.01")])
def test_partial_refund_proposal_must_be_within_the_order_total(case, amount):
    before = snapshot(case.claim)
    with pytest.raises(ClaimActionError) as error:
        propose(case, kind=Proposal.Kind.PARTIAL_REFUND, amount=amount)
    assert "80" in error.value.message
    assert snapshot(case.claim) == before


@pytest.mark.parametrize("amount", [Decimal("0.01"), Decimal("80.00")])
def test_partial_refund_proposal_within_bounds_is_recorded(case, amount):
    assert propose(case, kind=Proposal.Kind.PARTIAL_REFUND, amount=amount).amount == amount


@pytest.mark.parametrize("amount", [None, Decimal("0"), Decimal("80.01")])
def test_partial_refund_decision_must_be_within_the_order_total(case, amount):
    take_over(case)
    with pytest.raises(ClaimActionError):
        domain.claim_decide(claim_id=case.claim.pk, agent=case.staff, decision=Claim.Decision.REFUND_PARTIAL,
                            amount=amount, reason="Rabais", now=AFTER_DEADLINE)
    assert Claim.objects.get(pk=case.claim.pk).status == Status.WITH_SUPPORT


def test_decision_needs_a_written_reason(case):
    take_over(case)
    with pytest.raises(ClaimActionError):
        domain.claim_decide(claim_id=case.claim.pk, agent=case.staff, decision=Claim.Decision.REPLACE, reason="  ",
                            now=AFTER_DEADLINE)


def test_shipment_proof_refused_on_a_claim_that_is_not_not_received(case):
    with pytest.raises(ClaimActionError) as error:
        propose(case, kind=Proposal.Kind.SHIPMENT_PROOF, carrier="Colissimo", tracking_number="6A1")
    assert error.value.message == "La preuve d'expédition ne concerne que les colis non reçus."
    assert not case.claim.proposals.exists()


@pytest.mark.parametrize("carrier, tracking_number", [("", "6A123"), ("Colissimo", ""), ("  ", "6A123"),
                                                      ("Colissimo", "   ")])
def test_shipment_proof_needs_a_carrier_and_a_tracking_number(case, carrier, tracking_number):
    _guaranteed_not_received(case)
    with pytest.raises(ClaimActionError) as error:
        propose(case, kind=Proposal.Kind.SHIPMENT_PROOF, carrier=carrier, tracking_number=tracking_number)
    assert error.value.message == "Indiquez le transporteur et le numéro de suivi."
    assert not case.claim.proposals.exists()


def test_shipment_proof_with_carrier_and_tracking_is_recorded_on_a_not_received_claim(case):
    _guaranteed_not_received(case)
    proposal = propose(case, kind=Proposal.Kind.SHIPMENT_PROOF, carrier=" Colissimo ", tracking_number=" 6A123 ")
    proposal.refresh_from_db()
    assert (proposal.kind, proposal.carrier, proposal.tracking_number, proposal.status) == (
        Proposal.Kind.SHIPMENT_PROOF, "Colissimo", "6A123", Proposal.Status.PENDING)
    assert case.claim.events.filter(kind=Kind.PROPOSAL).count() == 1


# --- opening: idempotency and one open claim per order ---------------------------------------------------------

def test_same_submission_token_twice_gives_the_same_single_claim(roles):
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], now=OPENED, days_ago=20)
    token = uuid.uuid4()
    first = open_claim(order, submission_token=token)
    second = open_claim(order, submission_token=token, now=LATER)
    assert first.pk == second.pk
    assert Claim.objects.filter(order=order).count() == 1
    assert Notification.objects.filter(kind=Notification.Kind.CLAIM_OPENED).count() == 1


def test_a_submission_token_never_returns_another_buyers_claim(case):
    foreign_order = make_order(buyer=case.other_buyer, now=OPENED, days_ago=20)
    with pytest.raises(ClaimActionError):
        domain.claim_open(order=foreign_order, buyer=case.other_buyer, reason=Claim.Reason.DAMAGED, description="x",
                          now=LATER, submission_token=case.claim.submission_token)
    assert not Claim.objects.filter(order=foreign_order).exists()


def test_second_open_claim_on_an_order_is_refused(case):
    with pytest.raises(ClaimActionError) as error:
        open_claim(case.order, reason=Claim.Reason.OTHER, other_kind=Claim.OtherKind.SURTAX, now=LATER)
    assert error.value.message == "Une réclamation est déjà en cours pour cette commande."
    assert Claim.objects.filter(order=case.order).count() == 1


def test_a_new_claim_may_be_opened_once_the_previous_one_is_closed(case):
    _withdraw(case)
    assert open_claim(case.order, now=LATER + timedelta(hours=1)).is_open


def test_database_allows_one_open_claim_per_order_even_bypassing_the_domain(case):
    duplicate = Claim(order=case.order, buyer=case.buyer, seller=case.order.seller, reason=Claim.Reason.DAMAGED,
                      description="x", opened_at=LATER, seller_deadline=case.claim.seller_deadline)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_other_reason_needs_its_kind(case):
    order = make_order(buyer=case.buyer, seller=case.seller_profile, now=OPENED, days_ago=20)
    with pytest.raises(ClaimActionError):
        open_claim(order, reason=Claim.Reason.OTHER)


def test_items_from_another_order_are_ignored(case):
    order = make_order(buyer=case.buyer, seller=case.seller_profile, now=OPENED, days_ago=20)
    claim = domain.claim_open(order=order, buyer=case.buyer, reason=Claim.Reason.DAMAGED, description="x",
                              now=OPENED, items=list(case.order.lines.all()) + list(order.lines.all()))
    assert list(claim.items.all()) == list(order.lines.all())


# --- locks (PostgreSQL) -----------------------------------------------------------------------------------------

@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_claim_act_locks_the_claim_but_not_the_order_or_the_users_it_reads():
    import threading

    from django.db import DatabaseError, connection
    from django.db import connections as all_connections

    from orders.models import Order as OrderModel
    from tests.factories import SellerFactory, UserFactory

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL: run with DATABASE_URL=postgres://…")
    buyer, seller = UserFactory(username="lock-buyer"), SellerFactory(user=UserFactory(username="lock-seller"))
    order = make_order(buyer=buyer, seller=seller, now=OPENED, days_ago=20)
    claim = open_claim(order)
    outcome = {}

    def other_worker():
        try:
            with transaction.atomic():
                OrderModel.objects.select_for_update(nowait=True).get(pk=order.pk)
                list(type(buyer).objects.select_for_update(nowait=True).filter(pk__in=[buyer.pk, seller.user_id]))
            outcome["others"] = "free"
            with transaction.atomic():
                Claim.objects.select_for_update(nowait=True).get(pk=claim.pk)
            outcome["claim"] = "free"
        except DatabaseError:
            outcome.setdefault("claim", "locked")
        finally:
            all_connections.close_all()

    with transaction.atomic():
        domain._locked(claim.pk)
        worker = threading.Thread(target=other_worker)
        worker.start()
        worker.join(10)
    assert outcome == {"others": "free", "claim": "locked"}
