"""Human numbers such as RK-2026-000123: one counter row per prefix and year, locked while it moves."""
import re

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import NumberSequence

ORDER_PREFIX = "RK"


def number_pattern(prefix: str) -> re.Pattern:
    """The regular expression a number with this prefix matches (case-insensitive)."""
    # ASCII digits only (\d would take "٢٠٢٦"), and \Z, not $, which also matches before a final newline.
    return re.compile(rf"^{prefix}-[0-9]{{4}}-[0-9]{{6,}}\Z", re.IGNORECASE | re.ASCII)


def next_numbers(*, prefix: str, year: int, count: int = 1) -> list[str]:
    """Reserve `count` consecutive numbers for the prefix and year."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                NumberSequence.objects.get_or_create(prefix=prefix, year=year)
        except IntegrityError:
            pass  # another process created the row first; the lock below serialises us
        sequence = NumberSequence.objects.select_for_update().get(prefix=prefix, year=year)
        NumberSequence.objects.filter(pk=sequence.pk).update(last=F("last") + count)
    first = sequence.last + 1
    return [f"{prefix}-{year}-{n:06d}" for n in range(first, first + count)]
