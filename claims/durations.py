"""The durations the reports and records read, stored on the claim by the acts that end or answer it.

When a claim ends (settled, withdrawn, decided, closed for a missing return), its business days from the
opening to the end, and for a decision from the takeover to the decision, are written with the change of
status (domain._move, and the sweep's batched acts); an appeal reopens the claim and clears them. The
seller's first answer stores its delay in seconds. Business days are those of claims.business_days, the
same count as the calendar table's ordinals, so a backfill in SQL and these functions agree.
"""
from datetime import datetime

from .business_days import business_days_between


def ending_fields(*, opened_at: datetime, taken_over_at: datetime | None, closed_at: datetime | None,
                  decided: bool) -> dict:
    """The stored durations that go with a change of `closed_at` (None: the claim is open again)."""
    if closed_at is None:
        return {"end_business_days": None, "decision_business_days": None}
    return {
        "end_business_days": business_days_between(opened_at, closed_at),
        "decision_business_days": (business_days_between(taken_over_at, closed_at)
                                   if decided and taken_over_at is not None else None),
    }


def answer_seconds(*, opened_at: datetime, answered_at: datetime) -> int:
    """The seller's first-answer delay, in whole seconds."""
    return max(int((answered_at - opened_at).total_seconds()), 0)


# The same durations for rows written in bulk (the migration's backfill, the benchmark's seed): on PostgreSQL in
# three set-based UPDATEs over the calendar table (claims.BusinessDay: an ordinal per Paris date).
POSTGRESQL_FILL = (
    """UPDATE claims_claim c SET end_business_days = e.ordinal - o.ordinal
         FROM claims_businessday o, claims_businessday e
        WHERE c.closed_at IS NOT NULL {only}
          AND o.day = (c.opened_at AT TIME ZONE 'Europe/Paris')::date
          AND e.day = (c.closed_at AT TIME ZONE 'Europe/Paris')::date""",
    """UPDATE claims_claim c SET decision_business_days = e.ordinal - t.ordinal
         FROM claims_businessday t, claims_businessday e
        WHERE c.status = 'decided' AND c.closed_at IS NOT NULL AND c.taken_over_at IS NOT NULL {only}
          AND t.day = (c.taken_over_at AT TIME ZONE 'Europe/Paris')::date
          AND e.day = (c.closed_at AT TIME ZONE 'Europe/Paris')::date""",
    """UPDATE claims_claim c SET seller_answer_seconds = GREATEST(
               floor(extract(epoch FROM c.seller_answered_at - c.opened_at)), 0)::integer
        WHERE c.seller_answered_at IS NOT NULL {only}""",
)


def fill_stored_durations(claim_model, connection, *, only_missing: bool = True) -> None:
    """Fill the stored durations of claims written without them (ended, decided, answered)."""
    if connection.vendor == "postgresql":
        from .aggregates import ensure_business_calendar

        ensure_business_calendar()
        with connection.cursor() as cursor:
            for statement in POSTGRESQL_FILL:
                column = statement.split(" SET ")[1].split(" ")[0]
                cursor.execute(statement.format(only=f"AND c.{column} IS NULL" if only_missing else ""))
        return
    rows = claim_model.objects.filter(closed_at__isnull=False) | claim_model.objects.filter(
        seller_answered_at__isnull=False)
    changed = []
    for claim in rows.only("pk", "status", "opened_at", "taken_over_at", "closed_at", "seller_answered_at",
                           "end_business_days", "decision_business_days", "seller_answer_seconds").iterator():
        if claim.closed_at is not None:
            for name, value in ending_fields(opened_at=claim.opened_at, taken_over_at=claim.taken_over_at,
                                             closed_at=claim.closed_at, decided=claim.status == "decided").items():
                setattr(claim, name, value)
        if claim.seller_answered_at is not None:
            claim.seller_answer_seconds = answer_seconds(opened_at=claim.opened_at, answered_at=claim.seller_answered_at)
        changed.append(claim)
    claim_model.objects.bulk_update(changed, ["end_business_days", "decision_business_days", "seller_answer_seconds"],
                                    batch_size=500)
