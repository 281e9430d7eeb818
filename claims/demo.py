"""The demo's work (seed_demo): claims in every state, help-desk requests in every status, twelve weeks of history.

Everything goes through the domain (claims.domain, helpdesk.services) with past instants as `now`, so
each claim has its events, deadlines and notifications as if it had lived. The buyers are claire and
david, so that alice's and bob's orders stay free for the walkthrough. `bulk_claims` is the load tests'
path: plain rows on bulk orders, in one insert per batch.
"""
import random
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from helpdesk.models import ContactRequest
from helpdesk.services import contact_request_answer, contact_request_create, contact_request_reply
from orders.models import Order
from orders.services import order_create, order_mark_delivered, order_mark_shipped

from . import domain, returns
from .business_days import business_deadline, reminder_time
from .bulk_rows import insert_rows
from .durations import answer_seconds, ending_fields
from .models import Claim, ReportWeek, SatisfactionSurvey

WORK_BUYERS = {"claire": "Claire", "david": "David"}
HISTORY_WEEKS = 12
HISTORY_PER_WEEK = 2
DAY, HOUR = timedelta(days=1), timedelta(hours=1)


def _order(buyer, listing, purchased_at, *, delivered=True):
    order = order_create(buyer=buyer, seller=listing.seller, lines=[(listing, 1)], purchased_at=purchased_at,
                         payment_method=Order.Payment.CARD, shipping_method=Order.Shipping.STANDARD,
                         destination=Order.Destination.METROPOLITAN, has_guarantee=True)
    order_mark_shipped(order=order, carrier="Colissimo", tracking_number=f"6A{order.pk:011d}",
                       at=purchased_at + DAY)
    if delivered:
        order_mark_delivered(order=order, at=purchased_at + 2 * DAY)
    return order


def _open(buyer, listing, opened, *, reason=Claim.Reason.DAMAGED, description="L'article est arrivé abîmé."):
    not_received = reason == Claim.Reason.NOT_RECEIVED
    # A parcel the buyer never got was shipped but not marked delivered (the carrier would say otherwise).
    order = _order(buyer, listing, opened - (20 if not_received else 4) * DAY, delivered=not not_received)
    return domain.claim_open(order=order, buyer=buyer, reason=reason, description=description, now=opened,
                             items=list(order.lines.all()))


def _take_over(claim):
    assert domain.claim_take_over(claim_id=claim.pk, now=claim.seller_deadline + timedelta(seconds=1))
    return claim.seller_deadline + timedelta(seconds=1)


CANNED_REPLIES = [
    ("Prise en charge par le service client", "both",
     "Bonjour {acheteur},\n\nLe service client Rakuten a repris votre dossier sur la commande {commande} "
     "auprès de {vendeur}. Nous revenons vers vous très vite avec une décision.",
     "Hello {acheteur},\n\nRakuten customer service has taken over your case about order {commande} "
     "with {vendeur}. We will come back to you with a decision very soon."),
    ("Demande de photos", "claims",
     "Bonjour {acheteur},\n\nPour traiter votre réclamation sur la commande {commande}, pouvez-vous joindre "
     "des photos de l'article et de son emballage ?",
     "Hello {acheteur},\n\nTo handle your claim about order {commande}, could you attach photos of the item "
     "and its packaging?"),
    ("Rappel au vendeur", "claims",
     "Bonjour {vendeur},\n\nL'acheteur attend votre réponse sur la commande {commande} ({montant}) "
     "avant le {date_limite}.",
     "Hello {vendeur},\n\nThe buyer is waiting for your answer about order {commande} ({montant}) "
     "before {date_limite}."),
    ("Demande close", "requests",
     "Bonjour {acheteur},\n\nNous clôturons votre demande. N'hésitez pas à nous écrire de nouveau si besoin.",
     "Hello {acheteur},\n\nWe are closing your request. Feel free to write to us again if needed."),
]


def ensure_canned_replies() -> int:
    """The agents' first canned replies (kept as they are if an agent edited them)."""
    from helpdesk.models import CannedReply

    created = 0
    for title, scope, text_fr, text_en in CANNED_REPLIES:
        created += CannedReply.objects.get_or_create(
            title=title, defaults={"scope": scope, "text_fr": text_fr, "text_en": text_en})[1]
    return created


def demo_work_exists() -> bool:
    return Claim.objects.filter(buyer__username__in=list(WORK_BUYERS)).exists()


def ensure_buyers(password: str) -> dict:
    User = get_user_model()
    buyers = {}
    for username, first_name in WORK_BUYERS.items():
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com", "first_name": first_name})
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        buyers[username] = user
    return buyers


@transaction.atomic
def seed_work(*, buyers: dict, listings: dict, agent, now: datetime) -> dict:
    """The day's work and its history; returns how many claims and requests were made, by kind."""
    claire, david = buyers["claire"], buyers["david"]
    shop, marc = listings["boutique-paris"], listings["marc"]
    made = {}

    # With the seller: one answered by a message, one with a proposal waiting for the buyer.
    answered = _open(claire, shop[1], now - 3 * HOUR, description="Le casque grésille à gauche.")
    domain.claim_post_message(claim_id=answered.pk, author=shop[1].seller.user, now=now - 2 * HOUR,
                              body="Bonjour Claire, pouvez-vous m'envoyer une photo du numéro de série ?")
    pending = _open(david, marc[2], now - 5 * HOUR, reason=Claim.Reason.DIFFERENT,
                    description="J'ai reçu un EOS 550D, pas un 600D.")
    domain.claim_propose(claim_id=pending.pk, seller_user=marc[2].seller.user, kind="partial_refund",
                         amount=Decimal("30.00"), now=now - 4 * HOUR, message="Je vous propose un rabais de 30 €.")
    made["with_seller"] = 2

    # Taken over by support: three unassigned (the oldest first in the queue), one assigned to agent.
    for days, buyer, listing, reason in ((10, claire, shop[0], Claim.Reason.NOT_RECEIVED),
                                         (9, david, marc[1], Claim.Reason.DAMAGED),
                                         (8, claire, shop[3], Claim.Reason.COUNTERFEIT)):
        _take_over(_open(buyer, listing, now - days * DAY, reason=reason,
                         description="Le vendeur ne répond pas."))
    assigned = _open(david, shop[2], now - 11 * DAY, description="La cafetière fuit par le bas.")
    domain.claim_assign(claim_id=assigned.pk, agent=agent, now=_take_over(assigned) + HOUR)
    made["with_support"] = 4

    # Ended recently: settled, withdrawn, decided.
    settled = _open(claire, marc[0], now - 6 * DAY, description="Couverture déchirée.")
    proposal = domain.claim_propose(claim_id=settled.pk, seller_user=marc[0].seller.user, kind="exchange",
                                    now=now - 6 * DAY + 3 * HOUR)
    domain.claim_accept(claim_id=settled.pk, proposal_id=proposal.pk, buyer=claire, now=now - 5 * DAY)
    withdrawn = _open(david, shop[1], now - 7 * DAY, description="Le casque ne s'allume plus.")
    domain.claim_withdraw(claim_id=withdrawn.pk, buyer=david, reason="solved", now=now - 6 * DAY)
    decided = _open(claire, marc[1], now - 14 * DAY, description="Vinyle voilé.")
    domain.claim_decide(claim_id=decided.pk, agent=agent, decision="refund_full", now=_take_over(decided) + DAY,
                        reason="Les photos montrent un disque voilé : remboursement intégral.", amount=None)
    made["ended"] = 3

    # A return agreed three weeks ago and never shipped: the sweep closed the claim for lack of return.
    lapsed = _open(david, marc[2], now - 21 * DAY, description="Objectif rayé.")
    proposal = domain.claim_propose(claim_id=lapsed.pk, seller_user=marc[2].seller.user, kind="exchange",
                                    now=now - 21 * DAY + 2 * HOUR)
    domain.claim_accept(claim_id=lapsed.pk, proposal_id=proposal.pk, buyer=david, now=now - 20 * DAY)
    returns.returns_lapse_due(now=now)
    made["return_lapsed"] = 1

    made["history"] = _history(buyers=[claire, david], listings=shop + marc, agent=agent, now=now)
    made["requests"] = _requests(buyers=buyers, agent=agent, listings=shop, now=now)
    return made


def _history(*, buyers, listings, agent, now) -> int:
    """HISTORY_PER_WEEK claims a week over the last twelve weeks, ended in every way, some with an opinion."""
    rng = random.Random(12)
    count = 0
    outcomes = ["settled", "settled", "withdrawn", "decided"]
    for week in range(HISTORY_WEEKS, 1, -1):
        for index in range(HISTORY_PER_WEEK):
            opened = now - week * 7 * DAY + index * DAY + rng.randint(8, 17) * HOUR
            buyer, listing = buyers[index % len(buyers)], listings[(week + index) % len(listings)]
            claim = _open(buyer, listing, opened, reason=rng.choice([Claim.Reason.DAMAGED, Claim.Reason.DIFFERENT]))
            outcome = outcomes[(week + index) % len(outcomes)]
            seller_user = listing.seller.user
            if outcome == "settled":
                proposal = domain.claim_propose(claim_id=claim.pk, seller_user=seller_user, kind="full_refund",
                                                now=opened + rng.randint(1, 40) * HOUR)
                closed = proposal.created_at + rng.randint(2, 30) * HOUR
                domain.claim_accept(claim_id=claim.pk, proposal_id=proposal.pk, buyer=buyer, now=closed)
            elif outcome == "withdrawn":
                domain.claim_post_message(claim_id=claim.pk, author=seller_user, body="Avez-vous bien reçu le colis ?",
                                          now=opened + rng.randint(1, 20) * HOUR)
                closed = opened + rng.randint(1, 2) * DAY
                domain.claim_withdraw(claim_id=claim.pk, buyer=buyer, reason="arrangement", now=closed)
            else:
                closed = _take_over(claim) + rng.randint(1, 4) * DAY
                domain.claim_decide(claim_id=claim.pk, agent=agent, decision="seller_favour", amount=None,
                                    reason="Le suivi montre une livraison conforme.", now=closed)
            if outcome != "withdrawn" and rng.random() < 0.7:
                # The opinion as the link would have recorded it (the link itself is for the cases of the last 28 days).
                SatisfactionSurvey.objects.create(
                    claim=claim, email=buyer.email, created_at=closed + DAY, email_status="sent",
                    email_sent_at=closed + DAY, answered_at=closed + DAY + 2 * HOUR, satisfied=rng.random() < 0.75)
            count += 1
    return count


def _requests(*, buyers, agent, listings, now) -> int:
    """One help-desk request in each status."""
    claire, david = buyers["claire"], buyers["david"]
    new = contact_request_create(topic=ContactRequest.Topic.PAYMENT, email=claire.email, language="fr",
                                 requester=claire, now=now - 2 * HOUR,
                                 body="Mon paiement en 4 fois a été refusé, pourquoi ?")
    waiting_us = contact_request_create(topic=ContactRequest.Topic.TRACKING, email=david.email, language="fr",
                                        requester=david, now=now - 2 * DAY, body="Mon colis n'avance plus.")
    contact_request_answer(contact_request=waiting_us, agent=agent, now=now - 2 * DAY + 3 * HOUR,
                           body="Nous avons relancé le transporteur.")
    contact_request_reply(contact_request=waiting_us, author=david, now=now - DAY, body="Toujours rien.")
    waiting_customer = contact_request_create(topic=ContactRequest.Topic.ACCOUNT, email="visiteur@example.com",
                                              language="en", now=now - 3 * DAY,
                                              body="I cannot change my e-mail address.")
    contact_request_answer(contact_request=waiting_customer, agent=agent, now=now - 3 * DAY + 5 * HOUR,
                           body="Could you tell us the address you used?")
    closed = contact_request_create(topic=ContactRequest.Topic.PURCHASE, email=claire.email, language="fr",
                                    requester=claire, now=now - 6 * DAY, body="Puis-je acheter sans compte ?")
    contact_request_answer(contact_request=closed, agent=agent, now=now - 5 * DAY, close=True,
                           body="Un compte est nécessaire pour suivre vos commandes.")
    assert new.status == ContactRequest.Status.NEW
    return 4


def forget_report_weeks() -> None:
    """Drop the reports' weekly roll-ups (derived data): rows written with past dates change past weeks."""
    ReportWeek.objects.all().delete()


def bulk_claims(*, orders, now: datetime, share: float, rng: random.Random) -> int:
    """Claims on a share of bulk orders, as plain rows: ended ones mostly, open ones only where the deadline is ahead."""
    rows = []
    for order_id, buyer_id, seller_id, purchased_at, has_guarantee in orders:
        if rng.random() >= share:
            continue
        opened = purchased_at + timedelta(hours=rng.randint(24, 24 * 20))
        if opened >= now:
            continue
        deadline = business_deadline(opened, settings.CLAIM_SELLER_BUSINESS_DAYS)
        row = {"order_id": order_id, "buyer_id": buyer_id, "seller_id": seller_id, "has_guarantee": has_guarantee,
               "reason": rng.choice([Claim.Reason.DAMAGED, Claim.Reason.DIFFERENT, Claim.Reason.COUNTERFEIT]),
               "description": "Réclamation de charge.", "opened_at": opened, "seller_deadline": deadline,
               "reminder_at": reminder_time(deadline), "submission_token": uuid.uuid4(), "other_kind": "",
               "received_reference": "", "withdraw_reason": "", "decision": "", "decision_reason": ""}
        if rng.random() < 0.8:
            row["seller_answered_at"] = opened + timedelta(minutes=rng.randint(10, 60 * 72))
        if deadline >= now:
            row["status"] = Claim.Status.WITH_SELLER
        else:
            outcome = rng.random()
            if outcome < 0.6:
                row.update(status=Claim.Status.SETTLED, closed_at=opened + timedelta(hours=rng.randint(2, 70)))
            elif outcome < 0.75:
                row.update(status=Claim.Status.WITHDRAWN, closed_at=opened + timedelta(hours=rng.randint(2, 70)),
                           withdraw_reason="solved")
            else:
                taken = deadline + timedelta(seconds=1)
                closed = taken + timedelta(hours=rng.randint(4, 24 * 6))
                if closed >= now:
                    row.update(status=Claim.Status.WITH_SUPPORT, taken_over_at=taken)
                else:
                    row.update(status=Claim.Status.DECIDED, taken_over_at=taken, closed_at=closed,
                               decision="seller_favour", decision_reason="Charge.")
        if row.get("seller_answered_at"):
            row["seller_answer_seconds"] = answer_seconds(opened_at=opened, answered_at=row["seller_answered_at"])
        if row.get("closed_at"):
            row.update(ending_fields(opened_at=opened, taken_over_at=row.get("taken_over_at"), closed_at=row["closed_at"],
                                     decided=row["status"] == Claim.Status.DECIDED))
        rows.append(row)
    return len(insert_rows(Claim, rows))
