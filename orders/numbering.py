"""Human numbers such as RK-2026-000123: one counter row per prefix and year, locked while it moves."""
import re

from django.db import connection

from .models import NumberSequence

ORDER_PREFIX = "RK"


def number_pattern(prefix: str) -> re.Pattern:
    """The regular expression a number with this prefix matches (case-insensitive)."""
    # ASCII digits only (\d would take "٢٠٢٦"), and \Z, not $, which also matches before a final newline.
    return re.compile(rf"^{prefix}-[0-9]{{4}}-[0-9]{{6,}}\Z", re.IGNORECASE | re.ASCII)


def next_numbers(*, prefix: str, year: int, count: int = 1) -> list[str]:
    """Reserve `count` consecutive numbers for the prefix and year.

    One statement: the counter row is created or moved forward and its new value returned, under the row's
    lock (the unique constraint on prefix and year), so two requests at once never get the same number.
    PostgreSQL and SQLite (3.35+) both take INSERT … ON CONFLICT … RETURNING.
    """
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("prefix", "year", "last") VALUES (%s, %s, %s) '
            f'ON CONFLICT ("prefix", "year") DO UPDATE SET "last" = {table}."last" + EXCLUDED."last" '
            'RETURNING "last"',
            [prefix, year, count],
        )
        (last,) = cursor.fetchone()
    first = last - count + 1
    return [f"{prefix}-{year}-{n:06d}" for n in range(first, first + count)]
