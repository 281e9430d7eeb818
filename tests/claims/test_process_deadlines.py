"""The operators' command: one sweep now, or a dry run that lists and changes nothing."""
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.business_days import PARIS
from claims.models import Claim, ClaimEvent, Notification
from orders.models import Order, TrackingEvent
from tests.factories import make_claim, make_order

pytestmark = pytest.mark.django_db

OPENED = datetime(2026, 2, 2, 10, 0, tzinfo=PARIS)


def run(*args):
    out = StringIO()
    call_command("process_deadlines", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def due_work():
    claims = [make_claim(order=make_order(now=OPENED, days_ago=3), now=OPENED) for _ in range(2)]
    old_order = make_order(now=datetime(2025, 12, 1, 10, 0, tzinfo=PARIS), days_ago=0)
    return claims, old_order


def snapshot():
    return (
        sorted(Claim.objects.values_list("pk", "status", "taken_over_at", "reminded_at")),
        sorted(Order.objects.values_list("pk", "status", "finalized_at")),
        ClaimEvent.objects.count(), Notification.objects.count(), TrackingEvent.objects.count(),
        sorted(Notification.objects.values_list("pk", "email_status", "email_next_attempt_at")),
    )


def test_dry_run_lists_what_is_due_and_changes_nothing(due_work):
    claims, old_order = due_work
    before = snapshot()

    output = run("--dry-run", "--now", "2026-02-09T12:00:00+01:00")

    assert snapshot() == before
    assert "nothing is changed" in output
    assert "       2  overdue claims to take over" in output
    assert all(str(claim.pk) in output for claim in claims)
    assert "orders to finalize" in output and str(old_order.pk) in output


def test_the_command_runs_one_sweep_and_prints_its_counts(due_work):
    claims, old_order = due_work

    output = run("--now", "2026-02-09T12:00:00+01:00")

    assert "       2  claims taken over by support" in output
    assert Claim.objects.filter(status=Claim.Status.WITH_SUPPORT).count() == 2
    old_order.refresh_from_db()
    assert old_order.is_finalized
    assert "       0  claims taken over by support" in run("--now", "2026-02-09T12:00:00+01:00")


def test_a_naive_now_is_read_in_paris_time(due_work):
    assert "       0  claims taken over by support" in run("--now", "2026-02-05T23:59:59")
    assert "       2  claims taken over by support" in run("--now", "2026-02-06T00:00:00")


def test_a_bad_now_is_a_clear_error_not_a_traceback(due_work):
    with pytest.raises(CommandError, match="not an ISO 8601"):
        run("--now", "demain")
    with pytest.raises(CommandError, match="at least 1"):
        run("--batch-size", "0")


def test_the_command_uses_the_same_sweep_as_the_task(monkeypatch):
    from claims import deadlines

    calls = []
    monkeypatch.setattr(deadlines, "sweep", lambda **kwargs: calls.append(kwargs) or deadlines.SweepResult())
    run()
    assert len(calls) == 1 and calls[0]["now"].tzinfo is not None
