"""seed_demo gives the agents work: claims in every state, requests in every status, twelve weeks of history."""
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from claims import deadlines, desk
from claims.models import Claim, ClaimEvent, Proposal, SatisfactionSurvey
from claims.reports import Report
from helpdesk.models import ContactRequest
from orders.models import Order

pytestmark = pytest.mark.django_db


def seed(*args):
    call_command("seed_demo", *args, stdout=io.StringIO())


def test_the_demo_has_claims_in_every_state():
    seed()
    work = Claim.objects.filter(buyer__username__in=["claire", "david"])
    assert set(work.values_list("status", flat=True)) == set(Claim.Status.values)
    support = work.filter(status=Claim.Status.WITH_SUPPORT)
    assert support.filter(assigned_to__isnull=True).count() == 3
    assert support.get(assigned_to__isnull=False).assigned_to.username == "agent"
    assert work.filter(status=Claim.Status.WITH_SELLER, seller_answered_at__isnull=False).count() == 2
    assert Proposal.objects.filter(claim__in=work, status=Proposal.Status.PENDING).count() == 1
    # Every claim lived through the domain: its opening event, and its deadline still ahead if it is with the seller.
    assert not work.exclude(events__kind=ClaimEvent.Kind.OPENED).exists()
    assert deadlines.sweep(now=timezone.now()).taken_over == 0


def test_the_desk_shows_three_unassigned_claims_on_first_sight():
    seed()
    agent = get_user_model().objects.get(username="agent")
    entries = {entry.key: entry for entry in desk.desk_entries(user=agent, now=timezone.now())}
    assert entries["claims_unassigned"].label == "3 dossiers non attribués"
    assert entries["claims_mine"].count == 1
    assert entries["requests_new"].count == 1 and entries["requests_waiting_us"].count == 1


def test_the_demo_has_a_request_in_each_status():
    seed()
    assert set(ContactRequest.objects.values_list("status", flat=True)) == set(ContactRequest.Status.values)


def test_twelve_weeks_of_history_spread_over_the_sellers():
    seed()
    report = Report(weeks=12, now=timezone.now())
    opened = report.opened_by_reason()
    weeks_with_claims = [row for row in opened.rows if row[-1]]
    assert len(weeks_with_claims) >= 11
    by_seller = dict(Claim.objects.values_list("seller__display_name").annotate(n=Count("pk")))
    assert by_seller["Boutique Paris"] >= 10 and by_seller["Marc D."] >= 10
    assert sum(sum(row[1:]) for row in report.endings().rows) >= 20
    assert report.satisfaction_rate() is not None
    assert SatisfactionSurvey.objects.filter(answered_at__isnull=False).count() >= 5


def test_the_demo_runs_twice_without_adding_work():
    seed()
    first = (Claim.objects.count(), ContactRequest.objects.count(), SatisfactionSurvey.objects.count())
    seed()
    assert (Claim.objects.count(), ContactRequest.objects.count(), SatisfactionSurvey.objects.count()) == first


def test_bulk_orders_bring_claims_too():
    seed()
    before = Claim.objects.count()
    seed("--orders", "400", "--claim-share", "0.5")
    added = Claim.objects.count() - before
    assert 120 <= added <= 220
    bulk = Claim.objects.filter(order__buyer__username__startswith="client-")
    assert set(bulk.values_list("status", flat=True)) >= {Claim.Status.SETTLED, Claim.Status.DECIDED}
    for claim in bulk.select_related("order")[:50]:
        claim.full_clean(exclude=["items"])
        assert claim.opened_at > claim.order.purchased_at
    # Open ones keep a deadline ahead, so the sweep takes nothing over straight away.
    assert not bulk.filter(status=Claim.Status.WITH_SELLER, seller_deadline__lt=timezone.now()).exists()
    assert Order.objects.count() >= 400
    assert timedelta(0) <= timezone.now() - bulk.latest("opened_at").opened_at


def test_seeding_back_dated_claims_makes_the_reports_roll_their_past_weeks_up_again():
    from claims.models import ReportWeek

    seed()
    Report(weeks=52, now=timezone.now()).figures()
    assert ReportWeek.objects.exists()
    seed("--orders", "30")
    assert not ReportWeek.objects.exists()
