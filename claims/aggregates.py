"""SQL aggregates the records and reports share, on PostgreSQL and SQLite alike.

Percentiles: PostgreSQL computes `percentile_cont` in one pass; elsewhere the same value (linear
interpolation between the two nearest ranks) is read with a COUNT and one ordered, offset query.
Business days: a calendar table (claims.BusinessDay) turns "business days between two instants" into
the difference of two indexed look-ups, so that SQL can aggregate them.
"""
import math
from datetime import date, timedelta

from django.db import connections
from django.db.models import Aggregate, DurationField, ExpressionWrapper, F, FloatField, OuterRef, Subquery
from django.db.models.functions import TruncDate

from .business_days import PARIS, is_business_day
from .models import BusinessDay

CALENDAR_START, CALENDAR_END = date(2015, 1, 1), date(2045, 12, 31)


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False

    def __init__(self, expression, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        super().__init__(expression, fraction=float(fraction), **extra)


def is_postgresql(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def percentiles(queryset, expression, fractions, *, output_field=None) -> list:
    """The percentiles of `expression` over the rows of `queryset` (None where there are no rows)."""
    output_field = output_field or FloatField()
    queryset = queryset.annotate(_measure=expression).filter(_measure__isnull=False)
    if is_postgresql(queryset):
        figures = queryset.aggregate(**{f"p{i}": PercentileCont(F("_measure"), fraction, output_field=output_field)
                                        for i, fraction in enumerate(fractions)})
        return [figures[f"p{i}"] for i in range(len(fractions))]
    # The same queries whether there are rows or not: a page's query count does not depend on its data.
    count = queryset.count()
    ordered = queryset.order_by("_measure").values_list("_measure", flat=True)
    result = []
    for fraction in fractions:
        rank = fraction * max(count - 1, 0)
        low, high = math.floor(rank), math.ceil(rank)
        values = list(ordered[low:high + 1])
        if not values:
            result.append(None)
            continue
        lower, upper = values[0], values[-1]
        result.append(lower + (upper - lower) * (rank - low))
    return result


def duration(end: str, start: str):
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def ensure_business_calendar() -> None:
    """Fill the calendar if it is empty (a migration fills it; a flushed test database has lost it)."""
    if BusinessDay.objects.exists():
        return
    rows, ordinal, day = [], 0, CALENDAR_START
    while day <= CALENDAR_END:
        ordinal += is_business_day(day)
        rows.append(BusinessDay(day=day, ordinal=ordinal))
        day += timedelta(days=1)
    BusinessDay.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


def _ordinal(day_annotation: str):
    return Subquery(BusinessDay.objects.filter(day=OuterRef(day_annotation)).values("ordinal")[:1])


def with_business_days(queryset, start: str, end: str, *, name: str = "business_days"):
    """The rows annotated with the business days from the Paris date of `start` to that of `end`
    (Friday → Monday is 1): two primary-key look-ups in the calendar per row."""
    return queryset.annotate(
        _start_day=TruncDate(start, tzinfo=PARIS), _end_day=TruncDate(end, tzinfo=PARIS),
    ).annotate(**{name: ExpressionWrapper(_ordinal("_end_day") - _ordinal("_start_day"), output_field=FloatField())})
