"""The sweep: every time-driven step, compare-and-set, safe to run twice or at once in two workers."""
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef

from orders.models import Order, TrackingEvent

from . import domain, notifications
from .models import Claim

BATCH_SIZE = 500


@dataclass
class SweepResult:
    taken_over: int = 0
    reminded: int = 0
    finalized: int = 0
    emails_sent: int = 0

    @property
    def total(self) -> int:
        return self.taken_over + self.reminded + self.finalized + self.emails_sent


def overdue_claim_ids(*, now: datetime, limit: int = BATCH_SIZE) -> list[int]:
    """Claims still with the seller whose deadline has passed."""
    return list(
        Claim.objects.filter(status=Claim.Status.WITH_SELLER, seller_deadline__lt=now)
        .order_by("seller_deadline").values_list("pk", flat=True)[:limit]
    )


def reminder_claim_ids(*, now: datetime, limit: int = BATCH_SIZE) -> list[int]:
    """Claims whose seller should now be reminded of the deadline."""
    return list(
        Claim.objects.filter(status=Claim.Status.WITH_SELLER, reminded_at__isnull=True, reminder_at__lte=now,
                             seller_deadline__gte=now)
        .order_by("reminder_at").values_list("pk", flat=True)[:limit]
    )


def orders_to_finalize(*, now: datetime, limit: int = BATCH_SIZE):
    """Orders six weeks old with no open claim."""
    open_claim = Claim.objects.filter(order=OuterRef("pk"), status__in=Claim.OPEN_STATUSES)
    return list(
        Order.objects.filter(status__in=[Order.Status.PLACED, Order.Status.SHIPPED, Order.Status.DELIVERED],
                             finalizes_at__lte=now)
        .exclude(Exists(open_claim)).order_by("finalizes_at").values_list("pk", flat=True)[:limit]
    )


def take_over_overdue(*, now: datetime) -> int:
    """Hand every overdue claim to support, batch after batch."""
    count = 0
    while ids := overdue_claim_ids(now=now):
        done = sum(domain.claim_take_over(claim_id=pk, now=now) for pk in ids)
        count += done
        if not done:
            break
    return count


def send_reminders(*, now: datetime) -> int:
    """Remind sellers whose deadline is one business day away."""
    count = 0
    while ids := reminder_claim_ids(now=now):
        done = sum(domain.claim_remind(claim_id=pk, now=now) for pk in ids)
        count += done
        if not done:
            break
    return count


def finalize_orders(*, now: datetime) -> int:
    """Close the sales that reached six weeks with no open claim."""
    count = 0
    while ids := orders_to_finalize(now=now):
        with transaction.atomic():
            open_claim = Claim.objects.filter(order=OuterRef("pk"), status__in=Claim.OPEN_STATUSES)
            changed = list(
                Order.objects.select_for_update(skip_locked=True)
                .filter(pk__in=ids, status__in=[Order.Status.PLACED, Order.Status.SHIPPED, Order.Status.DELIVERED])
                .exclude(Exists(open_claim)).values_list("pk", flat=True)
            )
            Order.objects.filter(pk__in=changed).update(status=Order.Status.FINALIZED, finalized_at=now)
            TrackingEvent.objects.bulk_create(
                [TrackingEvent(order_id=pk, kind=TrackingEvent.Kind.FINALIZED, at=now) for pk in changed]
            )
        count += len(changed)
        if not changed:
            break
    return count


def sweep(*, now: datetime) -> SweepResult:
    """Run every step once; a sweep that was down for a day catches up here."""
    return SweepResult(
        taken_over=take_over_overdue(now=now),
        reminded=send_reminders(now=now),
        finalized=finalize_orders(now=now),
        emails_sent=notifications.send_due_emails(now=now),
    )
