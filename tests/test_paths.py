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


@pytest.mark.parametrize("name", ["claims:accept", "claims:decline"])
def test_a_two_argument_path_is_reverse(name):
    path = row_path(name, 2)
    for claim_id, proposal_id in [(1, 2), (42, 42), (8402284, 7391173), (2**40, 3)]:
        assert path(claim_id, proposal_id) == reverse(name, args=[claim_id, proposal_id])


def test_a_path_asked_for_more_arguments_than_samples_is_refused():
    with pytest.raises(ValueError):
        row_path("claims:accept", 3)
