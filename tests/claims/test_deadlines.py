"""The sweep at exact instants: takeovers, reminders, extensions, finalization and the outbox, in Paris time."""
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail

from claims import deadlines, domain
from claims.business_days import PARIS
from claims.domain import ClaimActionError
from claims.models import Claim, ClaimEvent, Notification, Proposal
from orders.models import Order, TrackingEvent
from tests.factories import AgentFactory, make_claim, make_order

pytestmark = pytest.mark.django_db

ONE_MICROSECOND = timedelta(microseconds=1)


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def open_claim(opened_at, *, reason="damaged", guarantee=False, days_ago=20):
    order = make_order(now=opened_at, days_ago=days_ago, has_guarantee=guarantee)
    return make_claim(order=order, reason=reason, now=opened_at)


def status_of(claim):
    claim.refresh_from_db()
    return claim.status


# --- the takeover second -----------------------------------------------------------------------------

def test_claim_is_not_taken_over_at_the_last_instant_of_its_deadline():
    claim = open_claim(paris(2026, 2, 2, 10, 0))  # Monday → Tue (1), Wed (2), Thu (3)
    assert claim.seller_deadline == paris(2026, 2, 5, 23, 59, 59, 999999)

    assert deadlines.sweep(now=paris(2026, 2, 5, 23, 59, 59)).taken_over == 0
    assert deadlines.sweep(now=claim.seller_deadline).taken_over == 0
    assert status_of(claim) == Claim.Status.WITH_SELLER


def test_claim_is_taken_over_at_midnight_after_its_deadline():
    claim = open_claim(paris(2026, 2, 2, 10, 0))

    result = deadlines.sweep(now=paris(2026, 2, 6, 0, 0, 0))

    assert result.taken_over == 1
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITH_SUPPORT
    assert claim.taken_over_at == paris(2026, 2, 6)


def test_deadline_across_the_change_to_summer_time_is_midnight_paris_not_utc():
    # Opened Thursday 26 March 2026; clocks go forward on Sunday 29 March.
    claim = open_claim(paris(2026, 3, 26, 15, 0))
    assert claim.seller_deadline == datetime(2026, 3, 31, 21, 59, 59, 999999, tzinfo=UTC)
    assert claim.seller_deadline.astimezone(PARIS).utcoffset() == timedelta(hours=2)

    assert deadlines.sweep(now=datetime(2026, 3, 31, 21, 59, 59, tzinfo=UTC)).taken_over == 0
    assert status_of(claim) == Claim.Status.WITH_SELLER
    assert deadlines.sweep(now=datetime(2026, 3, 31, 22, 0, 0, tzinfo=UTC)).taken_over == 1
    assert status_of(claim) == Claim.Status.WITH_SUPPORT


def test_deadline_across_the_change_to_winter_time():
    # Opened Friday 23 October 2026; clocks go back on Sunday 25 October: Mon (1), Tue (2), Wed (3) at +01:00.
    claim = open_claim(paris(2026, 10, 23, 9, 0))
    assert claim.seller_deadline == datetime(2026, 10, 28, 22, 59, 59, 999999, tzinfo=UTC)

    assert deadlines.sweep(now=datetime(2026, 10, 28, 22, 59, 59, tzinfo=UTC)).taken_over == 0
    assert deadlines.sweep(now=datetime(2026, 10, 28, 23, 0, 0, tzinfo=UTC)).taken_over == 1


def test_christmas_is_not_a_business_day_for_the_deadline():
    claim = open_claim(paris(2025, 12, 23, 11, 0))  # 24 (1), 25 Christmas, 26 (2), 29 (3)
    assert claim.seller_deadline == paris(2025, 12, 29, 23, 59, 59, 999999)

    assert deadlines.sweep(now=paris(2025, 12, 26, 23, 59, 59)).taken_over == 0
    assert deadlines.sweep(now=paris(2025, 12, 29, 23, 59, 59)).taken_over == 0
    assert deadlines.sweep(now=paris(2025, 12, 30, 0, 0, 0)).taken_over == 1


# --- what a takeover writes ----------------------------------------------------------------------------

def test_takeover_writes_one_automatic_event_and_tells_both_parties():
    claim = open_claim(paris(2026, 2, 2, 10, 0))
    now = paris(2026, 2, 6, 0, 0, 1)

    deadlines.sweep(now=now)

    event = claim.events.get(kind=ClaimEvent.Kind.TAKEN_OVER)
    assert event.automatic and event.actor is None and event.at == now
    assert event.detail == "Aucun accord n'a été trouvé avant la date limite du vendeur."
    recipients = set(Notification.objects.filter(claim=claim, kind=Notification.Kind.TAKEN_OVER)
                     .values_list("recipient__username", flat=True))
    assert recipients == {claim.buyer.username, claim.seller.user.username}


@pytest.mark.parametrize("reason, proposal, expected", [
    ("not_received", None, "Le vendeur n'a pas fourni de preuve d'expédition dans le délai de la garantie Rakuten."),
    ("damaged", None, "Le vendeur n'a proposé ni échange ni remboursement dans le délai de la garantie Rakuten."),
    ("different", "exchange", "Aucun accord n'a été trouvé avant la date limite du vendeur."),
    ("not_received", "shipment_proof", "Aucun accord n'a été trouvé avant la date limite du vendeur."),
])
def test_takeover_under_the_guarantee_says_what_the_seller_failed_to_give(reason, proposal, expected):
    opened = paris(2026, 2, 2, 10, 0)
    claim = open_claim(opened, reason=reason, guarantee=True)
    if proposal:
        domain.claim_propose(claim_id=claim.pk, seller_user=claim.seller.user, kind=proposal, now=opened,
                             carrier="Colissimo", tracking_number="6A123")

    deadlines.sweep(now=paris(2026, 2, 6))

    assert claim.events.get(kind=ClaimEvent.Kind.TAKEN_OVER).detail == expected


def test_a_pending_proposal_does_not_stop_the_clock_and_lapses_at_takeover():
    opened = paris(2026, 2, 2, 10, 0)
    claim = open_claim(opened)
    proposal = domain.claim_propose(claim_id=claim.pk, seller_user=claim.seller.user, kind="partial_refund",
                                    amount=Decimal("10.00"), now=paris(2026, 2, 5, 23, 0))

    assert deadlines.sweep(now=paris(2026, 2, 6)).taken_over == 1

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.LAPSED
    with pytest.raises(ClaimActionError):
        domain.claim_accept(claim_id=claim.pk, proposal_id=proposal.pk, buyer=claim.buyer, now=paris(2026, 2, 6, 8))
    assert status_of(claim) == Claim.Status.WITH_SUPPORT


def test_a_claim_settled_before_its_deadline_is_never_taken_over():
    opened = paris(2026, 2, 2, 10, 0)
    claim = open_claim(opened)
    proposal = domain.claim_propose(claim_id=claim.pk, seller_user=claim.seller.user, kind="exchange", now=opened)
    domain.claim_accept(claim_id=claim.pk, proposal_id=proposal.pk, buyer=claim.buyer, now=paris(2026, 2, 5, 23, 59))

    assert deadlines.sweep(now=paris(2026, 2, 6)).taken_over == 0
    assert status_of(claim) == Claim.Status.SETTLED


def test_the_single_takeover_refuses_a_claim_not_yet_due_and_does_it_once():
    claim = open_claim(paris(2026, 2, 2, 10, 0))

    assert domain.claim_take_over(claim_id=claim.pk, now=claim.seller_deadline) is False
    assert domain.claim_take_over(claim_id=claim.pk, now=paris(2026, 2, 6)) is True
    assert domain.claim_take_over(claim_id=claim.pk, now=paris(2026, 2, 6)) is False
    assert claim.events.filter(kind=ClaimEvent.Kind.TAKEN_OVER).count() == 1


# --- reminders ---------------------------------------------------------------------------------------

def test_seller_is_reminded_at_the_start_of_the_last_business_day_once():
    claim = open_claim(paris(2026, 2, 2, 10, 0))  # deadline Thursday 5 February
    assert claim.reminder_at == paris(2026, 2, 5, 0, 0)

    assert deadlines.sweep(now=paris(2026, 2, 4, 23, 59, 59)).reminded == 0
    assert deadlines.sweep(now=paris(2026, 2, 5, 0, 0)).reminded == 1
    assert deadlines.sweep(now=paris(2026, 2, 5, 12, 0)).reminded == 0

    reminders = Notification.objects.filter(claim=claim, kind=Notification.Kind.REMINDER)
    assert [n.recipient_id for n in reminders] == [claim.seller.user_id]
    assert claim.events.filter(kind=ClaimEvent.Kind.REMINDED).count() == 1


def test_the_reminder_waits_for_the_last_business_day_after_a_weekend():
    # Opened Wednesday: Thu (1), Fri (2), Mon (3): the reminder comes on Monday, not during the weekend.
    claim = open_claim(paris(2026, 2, 4, 10, 0))
    assert claim.seller_deadline == paris(2026, 2, 9, 23, 59, 59, 999999)
    assert deadlines.sweep(now=paris(2026, 2, 8, 23, 0)).reminded == 0
    assert deadlines.sweep(now=paris(2026, 2, 9, 0, 0)).reminded == 1


def test_an_overdue_claim_is_taken_over_and_not_reminded():
    claim = open_claim(paris(2026, 2, 2, 10, 0))

    result = deadlines.sweep(now=paris(2026, 2, 9))

    assert (result.taken_over, result.reminded) == (1, 0)
    assert not claim.events.filter(kind=ClaimEvent.Kind.REMINDED).exists()


# --- the guarantee's extension -------------------------------------------------------------------------

def test_extension_moves_the_deadline_to_seven_business_days_and_resets_the_reminder():
    opened = paris(2026, 2, 2, 10, 0)  # Monday
    claim = open_claim(opened, reason="not_received", guarantee=True)
    assert deadlines.sweep(now=paris(2026, 2, 5, 8, 0)).reminded == 1

    claim = domain.claim_request_extension(claim_id=claim.pk, seller_user=claim.seller.user, now=paris(2026, 2, 5, 9, 0))

    claim.refresh_from_db()
    assert claim.seller_deadline == paris(2026, 2, 11, 23, 59, 59, 999999)  # Tue 3 … Wed 11: 7 business days
    assert claim.reminded_at is None and claim.reminder_at == paris(2026, 2, 11)
    assert claim.events.filter(kind=ClaimEvent.Kind.EXTENDED).count() == 1
    assert Notification.objects.filter(claim=claim, kind=Notification.Kind.EXTENDED, recipient=claim.buyer).count() == 1
    assert deadlines.sweep(now=paris(2026, 2, 6, 0, 0)).taken_over == 0
    assert deadlines.sweep(now=paris(2026, 2, 11, 0, 0)).reminded == 1
    assert deadlines.sweep(now=paris(2026, 2, 11, 23, 59, 59)).taken_over == 0
    assert deadlines.sweep(now=paris(2026, 2, 12, 0, 0)).taken_over == 1


def test_extension_is_granted_once():
    claim = open_claim(paris(2026, 2, 2, 10, 0), reason="not_received", guarantee=True)
    domain.claim_request_extension(claim_id=claim.pk, seller_user=claim.seller.user, now=paris(2026, 2, 3))

    with pytest.raises(ClaimActionError):
        domain.claim_request_extension(claim_id=claim.pk, seller_user=claim.seller.user, now=paris(2026, 2, 4))


@pytest.mark.parametrize("reason, guarantee", [("not_received", False), ("damaged", True), ("different", True)])
def test_extension_is_only_for_a_guaranteed_not_received_claim(reason, guarantee):
    claim = open_claim(paris(2026, 2, 2, 10, 0), reason=reason, guarantee=guarantee)

    with pytest.raises(ClaimActionError):
        domain.claim_request_extension(claim_id=claim.pk, seller_user=claim.seller.user, now=paris(2026, 2, 3))


def test_extension_is_refused_after_the_deadline_and_after_takeover():
    claim = open_claim(paris(2026, 2, 2, 10, 0), reason="not_received", guarantee=True)
    with pytest.raises(ClaimActionError):
        domain.claim_request_extension(claim_id=claim.pk, seller_user=claim.seller.user, now=paris(2026, 2, 6, 0, 0, 1))
    deadlines.sweep(now=paris(2026, 2, 6))
    with pytest.raises(ClaimActionError):
        domain.claim_request_extension(claim_id=claim.pk, seller_user=claim.seller.user, now=paris(2026, 2, 6))


def test_only_the_seller_may_ask_for_the_extension():
    claim = open_claim(paris(2026, 2, 2, 10, 0), reason="not_received", guarantee=True)
    with pytest.raises(ClaimActionError):
        domain.claim_request_extension(claim_id=claim.pk, seller_user=claim.buyer, now=paris(2026, 2, 3))


@pytest.mark.parametrize("reason, guarantee", [
    ("not_received", True), ("damaged", True), ("different", True), ("damaged", False), ("counterfeit", False),
])
def test_every_claim_gives_the_seller_three_business_days(reason, guarantee):
    claim = open_claim(paris(2026, 2, 2, 10, 0), reason=reason, guarantee=guarantee)
    assert claim.seller_deadline == paris(2026, 2, 5, 23, 59, 59, 999999)


# --- finalization ---------------------------------------------------------------------------------------

def test_sale_is_finalized_six_weeks_after_purchase_to_the_microsecond():
    purchased = paris(2026, 1, 5, 14, 30)
    order = make_order(now=purchased, days_ago=0)
    closes = purchased + timedelta(weeks=6)

    assert deadlines.sweep(now=closes - ONE_MICROSECOND).finalized == 0
    assert deadlines.sweep(now=closes).finalized == 1

    order.refresh_from_db()
    assert order.status == Order.Status.FINALIZED and order.finalized_at == closes
    assert order.tracking_events.filter(kind=TrackingEvent.Kind.FINALIZED).count() == 1
    with pytest.raises(ClaimActionError):
        make_claim(order=order, now=closes + timedelta(minutes=1))


def test_sale_with_an_open_claim_is_not_finalized_until_the_claim_is_closed():
    purchased = paris(2026, 1, 5, 14, 30)
    order = make_order(now=purchased, days_ago=0)
    claim = make_claim(order=order, now=paris(2026, 2, 13, 10, 0))  # Friday of week 6
    closes = purchased + timedelta(weeks=6)

    result = deadlines.sweep(now=closes + timedelta(days=1))
    assert result.finalized == 0 and result.taken_over == 0
    deadlines.sweep(now=paris(2026, 2, 19))  # taken over: still open
    order.refresh_from_db()
    assert order.status != Order.Status.FINALIZED

    agent = AgentFactory()
    domain.claim_decide(claim_id=claim.pk, agent=agent, decision="seller_favour", reason="Colis livré.",
                        now=paris(2026, 2, 20))
    assert deadlines.sweep(now=paris(2026, 2, 20, 0, 1)).finalized == 1


# --- catch-up, idempotence, batches --------------------------------------------------------------------

def test_one_sweep_after_a_day_down_catches_up_everything_and_a_second_does_nothing():
    overdue = [open_claim(paris(2026, 2, 2, 9 + i, 0)) for i in range(3)]
    last_day = open_claim(paris(2026, 2, 4, 10, 0))  # deadline Monday 9: reminded on Monday
    purchased = paris(2025, 12, 29, 10, 0)
    old_order = make_order(now=purchased, days_ago=0)

    result = deadlines.sweep(now=paris(2026, 2, 9, 12, 0), batch_size=2)

    assert (result.taken_over, result.reminded, result.finalized) == (3, 1, 1)
    assert all(status_of(claim) == Claim.Status.WITH_SUPPORT for claim in overdue)
    assert status_of(last_day) == Claim.Status.WITH_SELLER
    old_order.refresh_from_db()
    assert old_order.is_finalized
    assert deadlines.sweep(now=paris(2026, 2, 9, 12, 0)).total == 0
    assert ClaimEvent.objects.filter(kind=ClaimEvent.Kind.TAKEN_OVER).count() == 3
    assert Notification.objects.filter(kind=Notification.Kind.TAKEN_OVER).count() == 6


def test_takeover_queues_the_emails_in_chunks_after_commit_not_one_task_each(django_capture_on_commit_callbacks):
    for i in range(3):
        open_claim(paris(2026, 2, 2, 9 + i, 0))

    with mock.patch("claims.tasks.send_notification_emails.apply_async") as apply_async:
        with django_capture_on_commit_callbacks(execute=True):
            deadlines.sweep(now=paris(2026, 2, 6))

    assert apply_async.call_count == 1
    (ids,) = apply_async.call_args.kwargs["args"]
    assert sorted(ids) == sorted(Notification.objects.filter(kind=Notification.Kind.TAKEN_OVER).values_list("pk", flat=True))


def test_a_broker_down_leaves_the_notifications_pending_and_a_later_sweep_sends_them(django_capture_on_commit_callbacks):
    claim = open_claim(paris(2026, 2, 2, 10, 0))
    Notification.objects.update(email_status=Notification.EmailStatus.SENT)
    now = paris(2026, 2, 6)

    with mock.patch("claims.tasks.send_notification_emails.apply_async", side_effect=ConnectionError("broker down")):
        with django_capture_on_commit_callbacks(execute=True):
            assert deadlines.sweep(now=now).taken_over == 1
    pending = Notification.objects.filter(claim=claim, kind=Notification.Kind.TAKEN_OVER)
    assert {n.email_status for n in pending} == {Notification.EmailStatus.PENDING}
    mail.outbox.clear()

    assert deadlines.sweep(now=now + timedelta(seconds=30)).emails_sent == 0  # a worker may still have it
    assert deadlines.sweep(now=now + deadlines.OUTBOX_GRACE).emails_sent == 2

    assert {n.email_status for n in pending.all()} == {Notification.EmailStatus.SENT}
    assert sorted(message.to[0] for message in mail.outbox) == sorted([claim.buyer.email, claim.seller.user.email])
    assert deadlines.sweep(now=now + timedelta(minutes=10)).emails_sent == 0


def test_the_chunked_email_task_sends_each_notification_once():
    from claims.tasks import send_notification_emails

    claim = open_claim(paris(2026, 2, 2, 10, 0))
    deadlines.sweep(now=paris(2026, 2, 6))
    ids = list(Notification.objects.filter(claim=claim, kind=Notification.Kind.TAKEN_OVER).values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids).update(email_next_attempt_at=paris(2026, 2, 6))
    mail.outbox.clear()

    assert send_notification_emails(ids) == 2
    assert send_notification_emails(ids) == 0
    assert len(mail.outbox) == 2


def test_plan_counts_what_is_due_without_changing_anything():
    claims = [open_claim(paris(2026, 2, 2, 9 + i, 0)) for i in range(2)]
    now = paris(2026, 2, 6)

    plan = deadlines.plan(now=now)

    assert plan.take_over.count == 2 and sorted(plan.take_over.first_ids) == sorted(c.pk for c in claims)
    assert all(status_of(claim) == Claim.Status.WITH_SELLER for claim in claims)


def test_the_sweep_removes_abandoned_wizard_uploads():
    from claims import wizard

    with mock.patch.object(wizard, "purge_abandoned_wizard_files", return_value=3) as purge:
        result = deadlines.sweep(now=paris(2026, 2, 6))
    assert result.uploads_purged == 3
    purge.assert_called_once_with(now=paris(2026, 2, 6))


def test_the_sweep_task_is_the_beat_schedule_entry(settings):
    from claims import tasks

    assert settings.CELERY_BEAT_SCHEDULE["sweep"]["task"] == tasks.sweep.name == "claims.sweep"
    assert tasks.send_notification_emails.name == "claims.send_notification_emails"
