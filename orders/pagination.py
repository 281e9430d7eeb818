"""A paginator that counts at most a few thousand rows, so a list's cost does not grow with a seller's history."""
from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 2000


class CappedCountPaginator(Paginator):
    """Pages through the newest COUNT_CAP rows; older ones are reached by the search."""

    @cached_property
    def _capped_count(self) -> int:
        return self.object_list[: COUNT_CAP + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._capped_count, COUNT_CAP)

    @property
    def is_capped(self) -> bool:
        return self._capped_count > COUNT_CAP

    @property
    def display_num_pages(self) -> str:
        return f"{self.num_pages}+" if self.is_capped else str(self.num_pages)
