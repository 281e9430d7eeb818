"""The reports' weekly figures: the recent weeks computed from the claims, the older ones rolled up once.

A week is *frozen* REPORT_WEEK_FROZEN_AFTER after its end. By then nothing that the reports count can change
any more: a claim's opening and reason, a settled or withdrawn claim, a seller's first answer and a
satisfaction answer are never rewritten, and a decision can only be reopened by an appeal within
CLAIM_APPEAL_DAYS (the setting is never shorter than that). A frozen week's figures are computed once
from the claims, kept as one JSON row (ReportWeek), and read from there; the weeks after it are computed
from the live tables at each report, over their few rows. Roll-ups are derived data: deleting them
(`ReportWeek.objects.all().delete()`) makes the next report compute them again.

Each week's figures: claims opened by reason; ended claims by status and stored durations (business
days); satisfaction answers and satisfied ones; sellers' first answers given that week, counted by
SELLER_BUCKET seconds (the report reads the exact values of the few buckets its percentiles fall in).
"""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import TruncWeek

from .aggregates import WeekIndex, is_postgresql
from .business_days import PARIS
from .models import Claim, ReportWeek, SatisfactionSurvey

ENDINGS = (Claim.Status.SETTLED, Claim.Status.WITHDRAWN, Claim.Status.DECIDED)
SELLER_BUCKET = 600  # seconds: ten-minute buckets of the seller's first-answer delay


@dataclass
class WeekFigures:
    opened: Counter = field(default_factory=Counter)  # reason → claims
    ended: Counter = field(default_factory=Counter)  # (status, end business days, decision business days) → claims
    answers: int = 0
    satisfied: int = 0
    seller: Counter = field(default_factory=Counter)  # bucket of SELLER_BUCKET seconds → first answers

    def as_json(self) -> dict:
        return {"opened": dict(self.opened), "ended": [[*key, n] for key, n in self.ended.items()],
                "answers": self.answers, "satisfied": self.satisfied,
                "seller": [[bucket, n] for bucket, n in self.seller.items()]}

    @classmethod
    def from_json(cls, data: dict) -> "WeekFigures":
        return cls(opened=Counter(data["opened"]),
                   ended=Counter({(status, end, decision): n for status, end, decision, n in data["ended"]}),
                   answers=data["answers"], satisfied=data["satisfied"],
                   seller=Counter({bucket: n for bucket, n in data["seller"]}))


def monday_start(monday: date) -> datetime:
    return datetime.combine(monday, time.min, tzinfo=PARIS)


def frozen_after() -> timedelta:
    return max(settings.REPORT_WEEK_FROZEN_AFTER, timedelta(days=settings.CLAIM_APPEAL_DAYS + 1))


def is_frozen(monday: date, now: datetime) -> bool:
    return monday_start(monday) + timedelta(weeks=1) + frozen_after() <= now


def _grouped(queryset, field_name: str, mondays: list[date], *groups: str, **aggregates):
    """(monday, row) for the rows of `queryset` grouped by the Paris week of `field_name` and `groups`.

    On PostgreSQL the week is a binary search among the weeks' Monday instants (WeekIndex: no time-zone
    conversion per row); elsewhere TruncWeek in Paris time."""
    if is_postgresql(queryset):
        boundaries = [monday_start(monday) for monday in mondays] + [monday_start(mondays[-1]) + timedelta(weeks=1)]
        week = WeekIndex(F(field_name), boundaries)
    else:
        week = TruncWeek(field_name, tzinfo=PARIS)
    rows = queryset.annotate(week=week).values("week", *groups).annotate(**(aggregates or {"n": Count("*")}))
    for row in rows.order_by():
        week = row.pop("week")
        if isinstance(week, int):
            yield mondays[week - 1], row
        else:
            yield (week.astimezone(PARIS).date() if isinstance(week, datetime) else week), row


def compute(mondays: list[date], *, until: datetime) -> dict[date, WeekFigures]:
    """The figures of consecutive weeks, from the first Monday's start to `until` (excluded), from the
    live tables: four grouped queries over the (opened_at), (closed_at), (answered_at) and
    (seller_answered_at) indexes."""
    start = monday_start(mondays[0])
    weeks = {monday: WeekFigures() for monday in mondays}
    claims = Claim.objects.all()
    for monday, row in _grouped(claims.filter(opened_at__gte=start, opened_at__lt=until), "opened_at", mondays,
                                "reason"):
        weeks[monday].opened[row["reason"]] += row["n"]
    ended = claims.filter(closed_at__gte=start, closed_at__lt=until, status__in=ENDINGS)
    for monday, row in _grouped(ended, "closed_at", mondays, "status", "end_business_days", "decision_business_days"):
        weeks[monday].ended[(row["status"], row["end_business_days"], row["decision_business_days"])] += row["n"]
    answered = SatisfactionSurvey.objects.filter(answered_at__gte=start, answered_at__lt=until)
    for monday, row in _grouped(answered, "answered_at", mondays, n=Count("*"),
                                yes=Count("answered_at", filter=Q(satisfied=True))):
        weeks[monday].answers += row["n"]
        weeks[monday].satisfied += row["yes"]
    answers = (claims.filter(seller_answered_at__gte=start, seller_answered_at__lt=until,
                             seller_answer_seconds__isnull=False)
               .annotate(bucket=F("seller_answer_seconds") / SELLER_BUCKET))
    for monday, row in _grouped(answers, "seller_answered_at", mondays, "bucket"):
        weeks[monday].seller[row["bucket"]] += row["n"]
    return weeks


def figures(mondays: list[date], *, now: datetime) -> dict[date, WeekFigures]:
    """Each week's figures up to `now`: frozen weeks from their roll-up (made now if missing), the rest live."""
    frozen = [monday for monday in mondays if is_frozen(monday, now)]
    live = [monday for monday in mondays if not is_frozen(monday, now)]
    result = {}
    if frozen:
        result = {row.week: WeekFigures.from_json(row.figures) for row in ReportWeek.objects.filter(week__in=frozen)}
        missing = [monday for monday in frozen if monday not in result]
        if missing:
            span = [monday for monday in frozen if missing[0] <= monday <= missing[-1]]
            computed = compute(span, until=monday_start(span[-1]) + timedelta(weeks=1))
            # Two reports rolling the same week up at once write the same figures: the second is ignored.
            ReportWeek.objects.bulk_create([ReportWeek(week=monday, figures=computed[monday].as_json(), rolled_at=now)
                                            for monday in missing], ignore_conflicts=True)
            result.update({monday: computed[monday] for monday in missing})
    if live:
        result.update(compute(live, until=now + timedelta(microseconds=1)))  # up to now included
    return result
