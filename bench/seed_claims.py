"""Claims for the page benchmark, in bulk rows (claims/bulk_rows.py): safe to run twice.

    python bench/seed_claims.py            # 2,000 claims for boutique-paris in every state, alice's claim page
    python bench/seed_claims.py --scale    # also sellers with 200, 20,000 and 100,000 claims (the flatness check)

For boutique-paris: 2,000 claims on its own sales (one per order), in every state — with the seller (a third
with a pending proposal), with support, settled, withdrawn, decided — each with its events, a message or two,
and the seller's notifications. For alice: one claim on a boutique-paris order with 12 messages, 8 events and
3 proposals (the claim page). The scale sellers' claims lie on boutique-paris's orders (only the dashboard
reads them), open ones on orders of their own.
"""
import os
import random
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rakuten_portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from claims.bulk_rows import insert_rows  # noqa: E402
from claims.models import Claim, ClaimEvent, ClaimMessage, Notification, Proposal  # noqa: E402
from orders.models import Order, SellerProfile  # noqa: E402

S = Claim.Status
STATES = [(S.WITH_SELLER, 300), (S.WITH_SUPPORT, 200), (S.SETTLED, 600), (S.WITHDRAWN, 500), (S.DECIDED, 400)]
SCALES = {"scale-200": 200, "scale-20000": 20_000, "scale-100000": 100_000}
REASONS = [value for value in Claim.Reason.values if value != Claim.Reason.OTHER]


def claim_row(order, status, rng, now, *, seller_id=None, days_back=None):
    opened = now - timedelta(days=days_back if days_back is not None else rng.uniform(0.1, 4 if status == S.WITH_SELLER else 90))
    row = {"order_id": order.pk, "buyer_id": order.buyer_id, "seller_id": seller_id or order.seller_id,
           "reason": rng.choice(REASONS), "description": "L'article est arrivé abîmé.", "status": status,
           "has_guarantee": order.has_guarantee, "opened_at": opened, "seller_deadline": opened + timedelta(days=7),
           "reminder_at": opened + timedelta(days=6)}
    if status == S.WITH_SUPPORT:
        row["taken_over_at"] = opened + timedelta(days=7)
    if status in (S.SETTLED, S.WITHDRAWN, S.DECIDED):
        row["closed_at"] = opened + timedelta(days=rng.uniform(1, 12))
    if status == S.WITHDRAWN:
        row["withdraw_reason"] = Claim.WithdrawReason.SOLVED
    if status == S.DECIDED:
        row.update(decision=Claim.Decision.REFUND_FULL, decision_amount=order.total, decision_reason="Colis perdu.")
    return row


def insert_claims(rows):
    import uuid

    for row in rows:
        row["submission_token"] = uuid.uuid4()
    return insert_rows(Claim, rows)


def seed_boutique(now):
    seller = SellerProfile.objects.get(user__username="boutique-paris")
    if Claim.objects.filter(seller=seller).count() >= 2000:
        print("boutique-paris already has its claims")
        return
    rng = random.Random(13)
    orders = list(Order.objects.filter(seller=seller, status__in=[Order.Status.DELIVERED, Order.Status.FINALIZED])
                  .exclude(claims__isnull=False).order_by("-purchased_at")[:2000])
    statuses = [status for status, count in STATES for _ in range(count)]
    rng.shuffle(statuses)
    rows = [claim_row(order, status, rng, now) for order, status in zip(orders, statuses, strict=True)]
    with transaction.atomic():
        ids = insert_claims(rows)
        events, messages, proposals, notices = [], [], [], []
        for pk, row in zip(ids, rows, strict=True):
            events.append({"claim_id": pk, "kind": ClaimEvent.Kind.OPENED, "at": row["opened_at"], "actor_id": row["buyer_id"]})
            messages.append({"claim_id": pk, "author_id": row["buyer_id"], "role": ClaimMessage.Role.BUYER,
                             "body": "Bonjour, pouvez-vous m'aider ?", "created_at": row["opened_at"]})
            notices.append({"recipient_id": seller.user_id, "kind": Notification.Kind.CLAIM_OPENED, "claim_id": pk,
                            "created_at": row["opened_at"], "email_status": Notification.EmailStatus.SENT,
                            "read_at": None if row["status"] == S.WITH_SELLER else row["opened_at"]})
            if row["status"] == S.WITH_SELLER and pk % 3 == 0:
                proposals.append({"claim_id": pk, "kind": Proposal.Kind.EXCHANGE, "status": Proposal.Status.PENDING,
                                  "created_by_id": seller.user_id, "created_at": row["opened_at"] + timedelta(hours=2)})
            if row["status"] == S.SETTLED:
                proposals.append({"claim_id": pk, "kind": Proposal.Kind.PARTIAL_REFUND, "amount": Decimal("10.00"),
                                  "status": Proposal.Status.ACCEPTED, "created_by_id": seller.user_id,
                                  "created_at": row["opened_at"] + timedelta(hours=2), "answered_at": row["closed_at"]})
            if row.get("closed_at"):
                kind = {S.SETTLED: ClaimEvent.Kind.ACCEPTED, S.WITHDRAWN: ClaimEvent.Kind.WITHDRAWN,
                        S.DECIDED: ClaimEvent.Kind.DECIDED}[row["status"]]
                events.append({"claim_id": pk, "kind": kind, "at": row["closed_at"], "actor_id": row["buyer_id"]})
        insert_rows(ClaimEvent, events)
        insert_rows(ClaimMessage, messages)
        insert_rows(Proposal, proposals)
        insert_rows(Notification, notices)
    print(f"boutique-paris: {len(ids)} claims in every state, {len(notices)} notifications")


def seed_alice_claim(now):
    User = get_user_model()
    alice, seller_user = User.objects.get(username="alice"), User.objects.get(username="boutique-paris")
    if Claim.objects.filter(buyer=alice, description__startswith="Banc d'essai").exists():
        return
    order = (Order.objects.filter(buyer=alice, seller__user=seller_user, status=Order.Status.DELIVERED)
             .exclude(claims__status__in=Claim.OPEN_STATUSES).order_by("-purchased_at").first())
    rng = random.Random(7)
    row = claim_row(order, S.WITH_SELLER, rng, now, days_back=1)
    row["description"] = "Banc d'essai : l'écran est fissuré."
    with transaction.atomic():
        (pk,) = insert_claims([row])
        opened = row["opened_at"]
        insert_rows(ClaimMessage, [
            {"claim_id": pk, "author_id": alice.pk if i % 2 == 0 else seller_user.pk,
             "role": ClaimMessage.Role.BUYER if i % 2 == 0 else ClaimMessage.Role.SELLER,
             "body": f"Message {i + 1} : voici les détails.", "created_at": opened + timedelta(minutes=20 * i)}
            for i in range(12)])
        insert_rows(Proposal, [
            {"claim_id": pk, "kind": kind, "status": status, "amount": amount, "created_by_id": seller_user.pk,
             "created_at": opened + timedelta(hours=1 + i)}
            for i, (kind, status, amount) in enumerate([
                (Proposal.Kind.EXCHANGE, Proposal.Status.DECLINED, None),
                (Proposal.Kind.PARTIAL_REFUND, Proposal.Status.DECLINED, Decimal("15.00")),
                (Proposal.Kind.PARTIAL_REFUND, Proposal.Status.PENDING, Decimal("40.00"))])])
        kinds = [ClaimEvent.Kind.OPENED] + [ClaimEvent.Kind.MESSAGE] * 4 + [
            ClaimEvent.Kind.PROPOSAL, ClaimEvent.Kind.DECLINED, ClaimEvent.Kind.PROPOSAL]
        insert_rows(ClaimEvent, [{"claim_id": pk, "kind": kind, "at": opened + timedelta(minutes=30 * i),
                                  "actor_id": alice.pk} for i, kind in enumerate(kinds)])
    print(f"alice: claim {pk} with 12 messages, 8 events, 3 proposals")


def seed_scale(now):
    User = get_user_model()
    boutique = SellerProfile.objects.get(user__username="boutique-paris")
    shared = list(Order.objects.filter(seller=boutique).order_by("pk")[:5000])
    free = iter(Order.objects.filter(seller=boutique).exclude(claims__isnull=False).order_by("-pk")[:100])
    rng = random.Random(99)
    for username, count in SCALES.items():
        user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.com"})
        user.set_password("demo-2026")
        user.save()
        seller, _ = SellerProfile.objects.get_or_create(user=user, defaults={
            "display_name": f"Vendeur {count}", "kind": SellerProfile.Kind.PROFESSIONAL,
            "contact_email": f"{username}@example.com"})
        if Claim.objects.filter(seller=seller).count() >= count:
            continue
        rows = [claim_row(next(free), S.WITH_SELLER, rng, now, seller_id=seller.pk) for _ in range(20)]
        closed = [S.SETTLED, S.WITHDRAWN, S.DECIDED]
        rows += [claim_row(shared[i % len(shared)], closed[i % 3], rng, now, seller_id=seller.pk,
                           days_back=rng.uniform(5, 900)) for i in range(count - 20)]
        with transaction.atomic():
            for start in range(0, len(rows), 20_000):
                insert_claims(rows[start:start + 20_000])
        print(f"{username}: {count} claims")


if __name__ == "__main__":
    moment = timezone.now()
    seed_boutique(moment)
    seed_alice_claim(moment)
    if "--scale" in sys.argv:
        seed_scale(moment)
