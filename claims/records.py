"""Sellers' and buyers' records: what agents (and, for their own record, sellers) read before judging a case.

Seller, over RECORD_WINDOW (90 days): orders, claims, claim rate, the share taken over by support and the
median time to the seller's first answer, flagged past the thresholds of the settings. Buyer: claims
over the last 12 months, flagged from BUYER_CLAIMS_FLAG, never shown to the buyer. SQL aggregates only,
on the (seller, purchased_at), (seller, opened_at) and (buyer, opened_at) indexes.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from orders.models import Order

from .aggregates import percentiles
from .models import Claim

BUYER_WINDOW = timedelta(days=365)


@dataclass(frozen=True)
class SellerRecord:
    orders: int
    claims: int
    taken_over: int
    median_first_answer: timedelta | None
    since: datetime
    flags: list[str] = field(default_factory=list)

    @property
    def claim_rate(self) -> float | None:
        return self.claims / self.orders if self.orders else None

    @property
    def takeover_share(self) -> float | None:
        return self.taken_over / self.claims if self.claims else None

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


def _seller_flags(*, claim_rate, takeover_share, median_first_answer) -> list[str]:
    flags = []
    if claim_rate is not None and claim_rate > settings.SELLER_CLAIM_RATE_FLAG:
        flags.append(_("taux de réclamation au-dessus de %(limit)s %%") % {
            "limit": f"{settings.SELLER_CLAIM_RATE_FLAG * 100:g}"})
    if takeover_share is not None and takeover_share > settings.SELLER_TAKEOVER_SHARE_FLAG:
        flags.append(_("part prise en charge par le service client au-dessus de %(limit)s %%") % {
            "limit": f"{settings.SELLER_TAKEOVER_SHARE_FLAG * 100:g}"})
    if median_first_answer is not None and median_first_answer > settings.SELLER_FIRST_ANSWER_FLAG:
        flags.append(_("première réponse en plus de %(hours)s h (médiane)") % {
            "hours": f"{settings.SELLER_FIRST_ANSWER_FLAG.total_seconds() / 3600:g}"})
    return flags


def seller_record(*, seller_id: int, now: datetime) -> SellerRecord:
    """One seller's record over the window: three aggregate queries (two on SQLite's median path)."""
    since = now - settings.RECORD_WINDOW
    orders = Order.objects.filter(seller_id=seller_id, purchased_at__gte=since, purchased_at__lte=now).count()
    claims = Claim.objects.filter(seller_id=seller_id, opened_at__gte=since, opened_at__lte=now)
    counts = claims.aggregate(claims=Count("pk"), taken_over=Count("pk", filter=Q(taken_over_at__isnull=False)))
    # The delay stored with the first answer (claims/durations.py), read from the (seller, opened_at) index.
    (median,) = percentiles(claims, F("seller_answer_seconds"), [0.5])
    median = None if median is None else timedelta(seconds=median)
    record = SellerRecord(orders=orders, claims=counts["claims"], taken_over=counts["taken_over"],
                          median_first_answer=median, since=since)
    record.flags.extend(_seller_flags(claim_rate=record.claim_rate, takeover_share=record.takeover_share,
                                      median_first_answer=median))
    return record


def seller_own_record(*, seller_id: int, now: datetime) -> SellerRecord:
    """The record the seller reads on the Espace vendeur: its figures kept SELLER_RECORD_CACHE_SECONDS.

    Ninety days of orders and claims, counted for every view of the page, grew with the seller's history (43,000
    orders: the page's slowest queries); a figure over ninety days that is a few minutes old says the same. The
    flags are worded again in the reader's language; agents always read the record fresh (seller_record).
    """
    key = f"seller-record:{seller_id}"
    figures = cache.get(key)
    if figures is None:
        record = seller_record(seller_id=seller_id, now=now)
        cache.set(key, (record.orders, record.claims, record.taken_over, record.median_first_answer, record.since),
                  settings.SELLER_RECORD_CACHE_SECONDS)
        return record
    orders, claims, taken_over, median, since = figures
    record = SellerRecord(orders=orders, claims=claims, taken_over=taken_over, median_first_answer=median, since=since)
    record.flags.extend(_seller_flags(claim_rate=record.claim_rate, takeover_share=record.takeover_share,
                                      median_first_answer=median))
    return record


@dataclass(frozen=True)
class BuyerRecord:
    claims: int

    @property
    def flagged(self) -> bool:
        return self.claims >= settings.BUYER_CLAIMS_FLAG


def buyer_record(*, buyer_id: int, now: datetime) -> BuyerRecord:
    """How many claims the buyer opened over the last 12 months (for agents only)."""
    return BuyerRecord(claims=Claim.objects.filter(buyer_id=buyer_id, opened_at__gte=now - BUYER_WINDOW,
                                                   opened_at__lte=now).count())


def percent(rate: float | None) -> str:
    """A share as the reader writes it: "2,5 %" in French, "2.5 %" in English; "—" without data."""
    from django.utils.formats import number_format

    return "—" if rate is None else f"{number_format(round(rate * 100, 1), decimal_pos=1)} %"


def hours(value: timedelta | None) -> str:
    """A duration in hours, one decimal: "5,3 h"."""
    from django.utils.formats import number_format

    return "—" if value is None else _("%(hours)s h") % {
        "hours": number_format(round(value.total_seconds() / 3600, 1), decimal_pos=1)}
