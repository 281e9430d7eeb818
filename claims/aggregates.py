"""SQL aggregates the records and reports share, on PostgreSQL and SQLite alike.

Percentiles: PostgreSQL computes `percentile_cont` in one pass; elsewhere the same value (linear
interpolation between the two nearest ranks) is read with a COUNT and one ordered, offset query. Over
many rows (the reports' year) a sort of every row costs too much: stored integer columns are counted by
value (`interpolated` over a GROUP BY's counts) or by bucket then value (`bucketed_percentiles`), which
gives the same figure from a GROUP BY over an index.
Business days: a calendar table (claims.BusinessDay) turns "business days between two dates" into the
difference of two ordinals, for the set-based fills of the stored durations (claims/durations.py).
"""
import math
from datetime import date, timedelta

from django.db import connections
from django.db.models import Aggregate, DurationField, ExpressionWrapper, F, FloatField, Func, IntegerField

from .business_days import is_business_day
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


def interpolated(counts: list[tuple], fractions) -> list:
    """percentile_cont's values (linear interpolation between the two nearest ranks) from a sorted histogram
    [(value, how many rows), …]: exact, as if every row had been sorted."""
    total = sum(n for _value, n in counts)
    result = []
    for fraction in fractions:
        if not total:
            result.append(None)
            continue
        rank = fraction * (total - 1)
        low, high = math.floor(rank), math.ceil(rank)
        lower = upper = None
        seen = 0
        for value, n in counts:
            if lower is None and low < seen + n:
                lower = value
            if high < seen + n:
                upper = value
                break
            seen += n
        result.append(float(lower) + (float(upper) - float(lower)) * (rank - low))
    return result


def bucketed_percentiles(buckets: dict, fractions, values_in) -> list:
    """Exact percentiles of an integer measure with many distinct values (seconds) without sorting every
    row: `buckets` counts the rows per bucket (value // width), which locates each rank; `values_in(buckets)`
    then gives the sorted histograms [(value, n), …] of the few buckets that hold them, keyed by bucket.
    The same figures as percentile_cont."""
    total = sum(buckets.values())
    if not total:
        return [None for _fraction in fractions]
    ranks = {rank for fraction in fractions
             for rank in (math.floor(fraction * (total - 1)), math.ceil(fraction * (total - 1)))}
    located, seen = {}, 0  # rank → (bucket, rows before the bucket)
    for bucket in sorted(buckets):
        for rank in ranks:
            if seen <= rank < seen + buckets[bucket]:
                located[rank] = (bucket, seen)
        seen += buckets[bucket]
    values = values_in(sorted({bucket for bucket, _before in located.values()}))

    def value_at(rank):
        bucket, before = located[rank]
        return _nth(values[bucket], rank - before)

    result = []
    for fraction in fractions:
        rank = fraction * (total - 1)
        low, high = math.floor(rank), math.ceil(rank)
        lower, upper = value_at(low), value_at(high)
        result.append(lower + (upper - lower) * (rank - low))
    return result


def _nth(counts: list[tuple], index: int) -> float:
    """The value of the index-th row (from 0) of a sorted histogram."""
    seen = 0
    for value, n in counts:
        if index < seen + n:
            return float(value)
        seen += n
    raise IndexError(index)


class WeekIndex(Func):
    """PostgreSQL: which of the given week starts an instant falls after (1 for the first week), by a
    binary search in an array of instants — no time-zone conversion per row, daylight saving included
    (the boundaries are Paris Mondays computed once)."""

    output_field = IntegerField()

    def __init__(self, expression, boundaries, **extra):
        self.boundaries = list(boundaries)
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"width_bucket({sql}, %s::timestamptz[])", (*params, self.boundaries)


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
