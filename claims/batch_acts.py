"""The sweep's batched acts: the time-driven changes of claims/domain.py, for a batch of rows at once.

Each takes one batch of due rows under `skip_locked`, changes exactly those rows, and writes their
events and notifications in bulk; a second sweep, or a party acting on one of the rows at the same
instant, finds it locked or no longer due and leaves it alone.
"""
import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef

from orders.models import Order, TrackingEvent
from rakuten_portal.navbar import navbar_changed

from .bulk_rows import insert_rows
from .domain import Status, takeover_detail
from .models import Claim, ClaimEvent, Notification, Proposal

logger = logging.getLogger(__name__)

FINALIZABLE = (Order.Status.PLACED, Order.Status.SHIPPED, Order.Status.DELIVERED)

EMAIL_TASK_CHUNK = 250


def _enqueue_email_chunks(ids: list[int]) -> None:
    """One task per chunk of notifications; if the broker is down the rows stay pending for the sweep."""
    from .tasks import send_notification_emails

    for start in range(0, len(ids), EMAIL_TASK_CHUNK):
        try:
            send_notification_emails.apply_async(args=[ids[start:start + EMAIL_TASK_CHUNK]], retry=False)
        except Exception:  # noqa: BLE001 — any broker failure: the outbox rows are the safety net
            logger.warning("Broker unavailable: %s notifications left for the sweep", len(ids) - start, exc_info=True)
            return


def _notify_bulk(pairs, *, kind: str, now: datetime) -> int:
    """One notification per (recipient id, claim id), e-mailed in chunks after commit."""
    ids = insert_rows(Notification, [
        {"recipient_id": user_id, "kind": kind, "claim_id": claim_id, "created_at": now, "email_next_attempt_at": now}
        for user_id, claim_id in pairs
    ])
    if ids:
        transaction.on_commit(lambda: _enqueue_email_chunks(ids))
        navbar_changed(user_id for user_id, _claim_id in pairs)  # the bells' counts
    return len(ids)


def _events_bulk(claim_ids, *, kind: str, now: datetime, details=None) -> None:
    """One automatic timeline event per claim (the sweep acts under its own name, not a user's)."""
    insert_rows(ClaimEvent, [
        {"claim_id": pk, "kind": kind, "at": now, "automatic": True, "detail": details[pk] if details else ""}
        for pk in claim_ids
    ])


def claims_take_over_due(*, now: datetime, batch_size: int = 1000) -> list[int]:
    """Hand one batch of overdue claims to support; the ids of the claims this call took over."""
    # Ordered by the partial index's own column only, so that a batch reads its first rows and stops.
    with transaction.atomic():
        due = list(
            Claim.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=Status.WITH_SELLER, seller_deadline__lt=now).order_by("seller_deadline")
            .values_list("pk", "buyer_id", "seller__user_id", "reason", "has_guarantee")[:batch_size]
        )
        if not due:
            return []
        ids = [row[0] for row in due]
        # The rows are locked and were read due under the lock, so every one of them changes here.
        Claim.objects.filter(pk__in=ids, status=Status.WITH_SELLER).update(status=Status.WITH_SUPPORT, taken_over_at=now)
        kinds = {}
        for claim_id, kind in Proposal.objects.filter(claim_id__in=ids).values_list("claim_id", "kind"):
            kinds.setdefault(claim_id, set()).add(kind)
        Proposal.objects.filter(claim_id__in=ids, status=Proposal.Status.PENDING).update(
            status=Proposal.Status.LAPSED, answered_at=now
        )
        _events_bulk(ids, kind=ClaimEvent.Kind.TAKEN_OVER, now=now, details={
            pk: takeover_detail(reason=reason, has_guarantee=guarantee, proposal_kinds=kinds.get(pk, set()))
            for pk, _buyer, _seller, reason, guarantee in due
        })
        _notify_bulk(
            [(user_id, pk) for pk, buyer_id, seller_user_id, *_ in due for user_id in dict.fromkeys((buyer_id, seller_user_id))],
            kind=Notification.Kind.TAKEN_OVER, now=now,
        )
    return ids


def claims_remind_due(*, now: datetime, batch_size: int = 1000) -> list[int]:
    """Remind, once, the sellers of one batch of claims entering their last business day; their ids."""
    with transaction.atomic():
        due = list(
            Claim.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=Status.WITH_SELLER, reminded_at__isnull=True, reminder_at__lte=now, seller_deadline__gte=now)
            .order_by("reminder_at").values_list("pk", "seller__user_id")[:batch_size]
        )
        if not due:
            return []
        ids = [pk for pk, _seller in due]
        Claim.objects.filter(pk__in=ids, reminded_at__isnull=True).update(reminded_at=now)
        _events_bulk(ids, kind=ClaimEvent.Kind.REMINDED, now=now)
        _notify_bulk([(seller_user_id, pk) for pk, seller_user_id in due], kind=Notification.Kind.REMINDER, now=now)
    return ids


def orders_finalize_due(*, now: datetime, batch_size: int = 1000) -> list[int]:
    """Close one batch of sales six weeks old with no open claim (a claim on them is then refused); their ids."""
    open_claim = Claim.objects.filter(order=OuterRef("pk"), status__in=Claim.OPEN_STATUSES)
    with transaction.atomic():
        # claim_open locks the order too: an order being claimed right now is skipped, then has an open claim.
        ids = list(
            Order.objects.select_for_update(skip_locked=True)
            .filter(status__in=FINALIZABLE, finalizes_at__lte=now).exclude(Exists(open_claim))
            .order_by("finalizes_at").values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return []
        Order.objects.filter(pk__in=ids, status__in=FINALIZABLE).update(status=Order.Status.FINALIZED, finalized_at=now)
        insert_rows(TrackingEvent, [{"order_id": pk, "kind": TrackingEvent.Kind.FINALIZED, "at": now} for pk in ids])
    return ids
