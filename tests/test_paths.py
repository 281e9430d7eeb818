"""row_path writes the path reverse() writes, for the patterns the lists use."""
import pytest
from django.urls import reverse

from rakuten_portal.paths import row_path


@pytest.mark.parametrize("name, values", [
    ("claims:detail", [1, 42, 7391173, 2**40]),
    ("orders:detail", ["RK-2026-000003", "RK-2025-123456", "A B", "é&x?"]),
])
def test_row_path_is_reverse(name, values):
    path = row_path(name)
    for value in values:
        assert path(value) == reverse(name, args=[value])
