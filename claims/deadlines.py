"""The sweep: every time-driven step, batch after batch, safe to run twice or at once in two workers.

Deadlines live on the rows; a step only compares them with `now`, so a sweep that was down for a day
catches up in one run. The writes themselves are claims.batch_acts (skip_locked, then a
conditional update of exactly the rows taken); this module only drives them and plans a dry run.
"""
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef

from orders.models import Order

from . import batch_acts, notifications
from .models import Claim, Notification

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
EMAIL_BATCH_SIZE = 200
# A notification younger than this still has its e-mail task in flight; the sweep leaves it to the worker.
OUTBOX_GRACE = timedelta(minutes=2)
PREVIEW_IDS = 10


@dataclass
class SweepResult:
    taken_over: int = 0
    reminded: int = 0
    finalized: int = 0
    emails_sent: int = 0
    uploads_purged: int = 0
    surveys_sent: int = 0

    @property
    def total(self) -> int:
        return (self.taken_over + self.reminded + self.finalized + self.emails_sent + self.uploads_purged
                + self.surveys_sent)


@dataclass
class StepPlan:
    count: int
    first_ids: list[int] = field(default_factory=list)


@dataclass
class SweepPlan:
    take_over: StepPlan
    remind: StepPlan
    finalize: StepPlan
    emails: StepPlan


def overdue_claims(*, now: datetime):
    """Claims still with the seller whose deadline has passed (the partial index claim_due_idx)."""
    return Claim.objects.filter(status=Claim.Status.WITH_SELLER, seller_deadline__lt=now).order_by("seller_deadline")


def claims_to_remind(*, now: datetime):
    """Claims entering their seller's last business day, not yet reminded (claim_reminder_idx)."""
    return Claim.objects.filter(
        status=Claim.Status.WITH_SELLER, reminded_at__isnull=True, reminder_at__lte=now, seller_deadline__gte=now,
    ).order_by("reminder_at")


def orders_to_finalize(*, now: datetime):
    """Orders six weeks old with no open claim (order_to_finalize_idx)."""
    open_claim = Claim.objects.filter(order=OuterRef("pk"), status__in=Claim.OPEN_STATUSES)
    return (
        Order.objects.filter(status__in=batch_acts.FINALIZABLE, finalizes_at__lte=now).exclude(Exists(open_claim))
        .order_by("finalizes_at")
    )


def stale_notifications(*, now: datetime):
    """Notifications whose e-mail no worker sent: the broker was down, or a failed send is due again."""
    return Notification.objects.filter(
        email_status=Notification.EmailStatus.PENDING, email_next_attempt_at__lte=now - OUTBOX_GRACE,
    ).order_by("email_next_attempt_at")


def _drain(act, *, now: datetime, batch_size: int) -> int:
    """Run a batched act until it finds nothing due; memory holds one batch of ids at a time."""
    count = 0
    while ids := act(now=now, batch_size=batch_size):
        count += len(ids)
    return count


def take_over_overdue(*, now: datetime, batch_size: int = BATCH_SIZE) -> int:
    """Hand every overdue claim to support; how many this sweep took over."""
    return _drain(batch_acts.claims_take_over_due, now=now, batch_size=batch_size)


def send_reminders(*, now: datetime, batch_size: int = BATCH_SIZE) -> int:
    """Remind, once, the sellers whose deadline is one business day away; how many were reminded."""
    return _drain(batch_acts.claims_remind_due, now=now, batch_size=batch_size)


def finalize_orders(*, now: datetime, batch_size: int = BATCH_SIZE) -> int:
    """Close the sales that reached six weeks with no open claim; how many were closed."""
    return _drain(batch_acts.orders_finalize_due, now=now, batch_size=batch_size)


def send_stale_emails(*, now: datetime, limit: int = EMAIL_BATCH_SIZE) -> int:
    """Send a bounded number of e-mails that were never handed to a worker; the next sweep does the rest."""
    ids = list(stale_notifications(now=now).values_list("pk", flat=True)[:limit])
    return notifications.send_emails(notification_ids=ids, now=now)


def purge_abandoned_uploads(*, now: datetime) -> int:
    """The wizard's cleanup of temporary uploads for claims never submitted."""
    from .wizard import purge_abandoned_wizard_files

    return purge_abandoned_wizard_files(now=now)


def send_satisfaction_surveys(*, now: datetime) -> int:
    """The satisfaction question, a setting's delay after a case ends (claims/satisfaction.py)."""
    from .satisfaction import satisfaction_step

    return satisfaction_step(now=now)


def sweep(*, now: datetime, batch_size: int = BATCH_SIZE) -> SweepResult:
    """Run every step once; takeovers first, so that no overdue claim is reminded."""
    result = SweepResult(
        taken_over=take_over_overdue(now=now, batch_size=batch_size),
        reminded=send_reminders(now=now, batch_size=batch_size),
        finalized=finalize_orders(now=now, batch_size=batch_size),
        emails_sent=send_stale_emails(now=now),
        uploads_purged=purge_abandoned_uploads(now=now),
        surveys_sent=send_satisfaction_surveys(now=now),
    )
    if result.total:
        logger.info("Sweep at %s: %s", now.isoformat(), result)
    return result


def _plan(queryset) -> StepPlan:
    return StepPlan(count=queryset.count(), first_ids=list(queryset.values_list("pk", flat=True)[:PREVIEW_IDS]))


def plan(*, now: datetime) -> SweepPlan:
    """What a sweep at `now` would do, read only: counts and the first ids of each step."""
    return SweepPlan(
        take_over=_plan(overdue_claims(now=now)),
        remind=_plan(claims_to_remind(now=now)),
        finalize=_plan(orders_to_finalize(now=now)),
        emails=_plan(stale_notifications(now=now)),
    )
