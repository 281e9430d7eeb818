"""The porte-monnaie: a ledger of credits and debits per buyer. The balance is the sum of its lines, never a field."""
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum

from .models import Refund, WalletEntry


def wallet_balance(user) -> Decimal:
    """The buyer's balance: the sum of their ledger."""
    total = WalletEntry.objects.filter(user=user).aggregate(total=Sum("amount"))["total"]
    return total if total is not None else Decimal("0.00")


def wallet_entries(user):
    """The buyer's ledger, newest first, with the refund, its claim and order for the history's labels."""
    return (WalletEntry.objects.filter(user=user)
            .select_related("refund__order", "refund__claim", "order").order_by("-created_at", "-id"))


def wallet_credit_refund(*, refund: Refund, now: datetime) -> WalletEntry:
    """Credit a refund to the buyer's porte-monnaie once; a second call finds the first line."""
    existing = WalletEntry.objects.filter(refund=refund).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return WalletEntry.objects.create(user_id=refund.buyer_id, kind=WalletEntry.Kind.REFUND,
                                              amount=refund.amount, refund=refund, order_id=refund.order_id,
                                              created_at=now)
    except IntegrityError:
        # Another worker credited it in the same instant: the unique refund column kept one line.
        return WalletEntry.objects.get(refund=refund)
