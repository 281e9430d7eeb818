"""Order numbers: RK-<year>-<six digits>, consecutive, one counter per prefix and year."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from orders.numbering import ORDER_PREFIX, next_numbers, number_pattern
from tests.factories import make_order

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def test_number_format_is_prefix_year_and_six_digits():
    assert next_numbers(prefix=ORDER_PREFIX, year=2026) == ["RK-2026-000001"]


def test_numbers_are_consecutive():
    first = next_numbers(prefix=ORDER_PREFIX, year=2026, count=3)
    (fourth,) = next_numbers(prefix=ORDER_PREFIX, year=2026)
    assert first + [fourth] == ["RK-2026-000001", "RK-2026-000002", "RK-2026-000003", "RK-2026-000004"]


def test_each_year_has_its_own_counter():
    next_numbers(prefix=ORDER_PREFIX, year=2026, count=5)
    assert next_numbers(prefix=ORDER_PREFIX, year=2027) == ["RK-2027-000001"]
    assert next_numbers(prefix=ORDER_PREFIX, year=2026) == ["RK-2026-000006"]


def test_each_prefix_has_its_own_counter():
    next_numbers(prefix=ORDER_PREFIX, year=2026, count=2)
    assert next_numbers(prefix="SC", year=2026) == ["SC-2026-000001"]


def test_numbers_grow_past_six_digits():
    from orders.models import NumberSequence

    NumberSequence.objects.create(prefix=ORDER_PREFIX, year=2026, last=999_999)
    assert next_numbers(prefix=ORDER_PREFIX, year=2026) == ["RK-2026-1000000"]
    assert number_pattern(ORDER_PREFIX).match("RK-2026-1000000")


def test_created_orders_get_consecutive_numbers():
    first, second = make_order(), make_order()
    assert number_pattern(ORDER_PREFIX).match(first.number)
    assert int(second.number.rsplit("-", 1)[1]) == int(first.number.rsplit("-", 1)[1]) + 1


def test_order_number_year_is_the_paris_year_of_purchase():
    # 23:30 in Paris on New Year's Eve is still 2025 there, 22:30 UTC.
    late_2025 = make_order(now=datetime(2025, 12, 31, 23, 30, tzinfo=PARIS), days_ago=0)
    early_2026 = make_order(now=datetime(2026, 1, 1, 0, 30, tzinfo=PARIS), days_ago=0)
    assert late_2025.number == "RK-2025-000001"
    assert early_2026.number == "RK-2026-000001"


@pytest.mark.parametrize("text", ["RK-2026-000123", "rk-2026-000123"])
def test_number_pattern_accepts_a_number_whatever_its_case(text):
    assert number_pattern(ORDER_PREFIX).match(text)


@pytest.mark.parametrize("text", ["", "RK-26-000123", "RK-2026-123", "'; DROP TABLE--", "SC-2026-000123"])
def test_number_pattern_rejects_anything_else(text):
    assert not number_pattern(ORDER_PREFIX).match(text)
