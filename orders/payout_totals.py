"""When a seller's payout totals ("Mes ventes", orders/payouts.py: seller_payout_totals) must be counted again.

Its own module so that payouts.py and payments.py (which import each other's functions) both reach it.
"""
from django.core.cache import cache
from django.db import transaction


def totals_key(seller_id) -> str:
    return f"payout-totals:{seller_id}"


def payout_totals_changed(seller_ids) -> None:
    """Forget these sellers' totals once the current transaction commits (at once outside one). Every change of a
    payout calls it: orders/payouts.py and the refunds (orders/payments.py), and a signal for any save or delete."""
    keys = [totals_key(seller_id) for seller_id in set(seller_ids) if seller_id]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))


def _payout_saved(sender, instance, **kwargs):
    payout_totals_changed([instance.seller_id])


def connect_invalidation() -> None:
    """Called once from OrdersConfig.ready: a payout saved or deleted one by one (the admin too)."""
    from django.db.models.signals import post_delete, post_save

    from .models import Payout

    post_save.connect(_payout_saved, sender=Payout, dispatch_uid="payout_totals_saved")
    post_delete.connect(_payout_saved, sender=Payout, dispatch_uid="payout_totals_deleted")
