"""The life of a claim: the only functions that change a claim's state.

Each act locks the claim, checks who acts and from which status, writes the change
and its timeline event, and queues the notifications, which are sent after commit.
"""
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders import payments
from orders.models import Order, Refund, SellerProfile
from rakuten_portal.agents import is_agent
from rakuten_portal.formatting import money

from .business_days import business_deadline, reminder_time
from .durations import answer_seconds, ending_fields
from .eligibility import claim_eligibility
from .models import Appeal, Attachment, Claim, ClaimEvent, ClaimMessage, Notification, Proposal, Return
from .notifications import notify

Status = Claim.Status

ALLOWED = {
    Status.WITH_SELLER: {Status.SETTLED, Status.WITHDRAWN, Status.WITH_SUPPORT, Status.RETURNING},
    # A return in progress (claims/returns.py): refunded or exchanged, abandoned, or taken over by support.
    Status.RETURNING: {Status.SETTLED, Status.RETURN_LAPSED, Status.WITH_SUPPORT, Status.WITHDRAWN},
    Status.WITH_SUPPORT: {Status.DECIDED, Status.WITHDRAWN},
    # An appeal (claims/appeals.py), once: the next decision is final.
    Status.DECIDED: {Status.WITH_SUPPORT},
}


class ClaimActionError(Exception):
    """An act that does not apply (wrong actor, wrong status, bad value); the message is for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


def role_of(claim: Claim, user) -> str | None:
    """The part the user plays in this claim: buyer, seller, support, or None."""
    if not user.is_authenticated:
        return None
    if user.pk == claim.buyer_id:
        return ClaimMessage.Role.BUYER
    if claim.seller.user_id == user.pk:
        return ClaimMessage.Role.SELLER
    if is_agent(user):
        return ClaimMessage.Role.SUPPORT
    return None


def parties(claim: Claim):
    """The buyer and the seller's user."""
    return [claim.buyer, claim.seller.user]


def _locked(claim_id: int) -> Claim:
    """The claim, locked for the rest of the transaction."""
    try:
        # of=self: lock the claim only, not the order, seller and users joined for reading (no cross-claim waits).
        return (Claim.objects.select_for_update(of=("self",)).select_related("seller__user", "buyer", "order")
                .get(pk=claim_id))
    except Claim.DoesNotExist:
        raise ClaimActionError(gettext_lazy("Cette réclamation n'existe pas.")) from None


def _require_role(claim: Claim, user, *roles: str) -> str:
    role = role_of(claim, user)
    if role not in roles:
        raise ClaimActionError(_("Vous ne pouvez pas faire cette action sur cette réclamation."))
    return role


def _move(claim: Claim, new_status: str, **fields) -> None:
    """Change the status if the table allows it; the update is conditional on the status we read."""
    if new_status not in ALLOWED.get(claim.status, set()):
        raise ClaimActionError(_("Cette action n'est plus possible : la réclamation est « %(status)s ».")
                               % {"status": claim.get_status_display()})
    if "closed_at" in fields:
        # Ending (or reopened by an appeal): the durations the reports read are stored with the change.
        fields.update(ending_fields(opened_at=claim.opened_at,
                                    taken_over_at=fields.get("taken_over_at", claim.taken_over_at),
                                    closed_at=fields["closed_at"], decided=new_status == Status.DECIDED))
    changed = Claim.objects.filter(pk=claim.pk, status=claim.status).update(status=new_status, **fields)
    if not changed:
        raise ClaimActionError(_("La réclamation a changé entre-temps. Rechargez la page."))
    for name, value in fields.items():
        setattr(claim, name, value)
    claim.status = new_status


def _event(claim: Claim, kind: str, *, now: datetime, actor=None, detail: str = "", automatic: bool = False):
    # Stored in the site's language whatever the actor reads, and translated when shown (_claim_timeline.html).
    with translation.override(settings.LANGUAGE_CODE):
        detail = str(detail)
    return ClaimEvent.objects.create(claim=claim, kind=kind, at=now, actor=actor, detail=detail, automatic=automatic)


def _seller_answered(claim: Claim, now: datetime) -> None:
    """Keep the seller's first answer (message or proposal) on the claim, for the records and reports."""
    if claim.seller_answered_at is None:
        seconds = answer_seconds(opened_at=claim.opened_at, answered_at=now)
        Claim.objects.filter(pk=claim.pk, seller_answered_at__isnull=True).update(seller_answered_at=now,
                                                                                  seller_answer_seconds=seconds)
        claim.seller_answered_at, claim.seller_answer_seconds = now, seconds


def _lapse_pending_proposals(claim: Claim, now: datetime) -> None:
    claim.proposals.filter(status=Proposal.Status.PENDING).update(status=Proposal.Status.LAPSED, answered_at=now)


def save_attachments(*, claim: Claim, files, uploaded_by, message=None, proposal=None) -> list[Attachment]:
    """Store processed uploads (see photos.py) under random names, linked to the claim."""
    saved = []
    for processed in files:
        attachment = Attachment(
            claim=claim, message=message, proposal=proposal, uploaded_by=uploaded_by, kind=processed.kind,
            content_type=processed.content_type, original_name=processed.original_name,
            width=processed.width, height=processed.height,
        )
        attachment.file.save(f"upload.{processed.extension}", ContentFile(processed.content), save=False)
        if processed.thumbnail:
            thumb_ext = "png" if processed.thumbnail[:4] == b"\x89PNG" else "jpg"
            attachment.thumbnail.save(f"thumb.{thumb_ext}", ContentFile(processed.thumbnail), save=False)
        attachment.save()
        saved.append(attachment)
    return saved


def claim_open(*, order: Order, buyer, reason: str, description: str, now: datetime, items=(), other_kind: str = "",
               received_reference: str = "", photos=(), submission_token=None, wanted_outcome: str = "",
               sworn_not_received: bool = False) -> Claim:
    """Open a claim with its photos, store the seller's deadline and tell the seller."""
    # The token is matched with its buyer: a token seen elsewhere must never hand out someone else's claim.
    if submission_token is not None:
        already = Claim.objects.filter(submission_token=submission_token, buyer=buyer).first()
        if already is not None:
            return already
    with transaction.atomic():
        # Serialise claims on the same order; the partial unique constraint is the last word.
        order = Order.objects.select_for_update(of=("self",)).select_related("seller__user").get(pk=order.pk)
        if submission_token is not None:
            # A double submit waited on the lock above: it finds the claim the first one made.
            already = Claim.objects.filter(submission_token=submission_token, buyer=buyer).first()
            if already is not None:
                return already
        eligibility = claim_eligibility(order=order, user=buyer, now=now)
        if not eligibility.allows(reason):
            window = eligibility.reasons.get(reason)
            raise ClaimActionError(eligibility.message or (window.message if window else _("Motif inconnu.")))
        if reason == Claim.Reason.OTHER and not other_kind:
            raise ClaimActionError(_("Précisez la nature du problème."))
        if eligibility.reasons[reason].sworn_statement and not sworn_not_received:
            raise ClaimActionError(_("Le transporteur indique une livraison : certifiez que vous n'avez pas reçu "
                                     "le colis pour continuer."))
        if wanted_outcome and wanted_outcome not in Claim.WantedOutcome.values:
            raise ClaimActionError(_("Choisissez la solution que vous souhaitez."))
        deadline = business_deadline(now, settings.CLAIM_SELLER_BUSINESS_DAYS)
        claim = Claim(
            order=order, buyer=buyer, seller=order.seller, reason=reason, other_kind=other_kind if reason == Claim.Reason.OTHER else "",
            description=description, received_reference=received_reference, has_guarantee=order.has_guarantee,
            wanted_outcome=wanted_outcome or "", sworn_not_received=bool(sworn_not_received),
            opened_at=now, seller_deadline=deadline, reminder_at=reminder_time(deadline),
        )
        if submission_token is not None:
            claim.submission_token = submission_token
        try:
            with transaction.atomic():
                claim.save()
        except IntegrityError:
            raise ClaimActionError(_("Une réclamation est déjà en cours pour cette commande.")) from None
        if items:
            claim.items.set([line for line in items if line.order_id == order.pk])
        save_attachments(claim=claim, files=photos, uploaded_by=buyer)
        _event(claim, ClaimEvent.Kind.OPENED, now=now, actor=buyer)
        notify(recipients=[order.seller.user], kind=Notification.Kind.CLAIM_OPENED, claim=claim, now=now)
    return claim


@transaction.atomic
def claim_post_message(*, claim_id: int, author, body: str, now: datetime, attachments=()) -> ClaimMessage:
    """Add a message from the buyer, the seller or an agent to the thread and tell the others."""
    claim = _locked(claim_id)
    role = _require_role(claim, author, ClaimMessage.Role.BUYER, ClaimMessage.Role.SELLER, ClaimMessage.Role.SUPPORT)
    if not claim.is_open:
        raise ClaimActionError(_("Cette réclamation est clôturée : vous ne pouvez plus y écrire."))
    if not body.strip() and not attachments:
        raise ClaimActionError(_("Écrivez un message ou joignez une photo."))
    message = ClaimMessage.objects.create(claim=claim, author=author, role=role, body=body.strip(), created_at=now)
    if role == ClaimMessage.Role.SELLER:
        _seller_answered(claim, now)
    save_attachments(claim=claim, files=attachments, uploaded_by=author, message=message)
    _event(claim, ClaimEvent.Kind.MESSAGE, now=now, actor=author)
    others = [user for user in parties(claim) if user.pk != author.pk]
    notify(recipients=others, kind=Notification.Kind.MESSAGE, claim=claim, now=now)
    return message


@transaction.atomic
def claim_add_note(*, claim_id: int, agent, body: str, now: datetime) -> ClaimMessage:
    """Add an internal note that only agents see; nobody is notified."""
    claim = _locked(claim_id)
    if not is_agent(agent):
        raise ClaimActionError(_("Seuls les conseillers peuvent ajouter une note interne."))
    if not body.strip():
        raise ClaimActionError(_("La note est vide."))
    return ClaimMessage.objects.create(claim=claim, author=agent, role=ClaimMessage.Role.SUPPORT, body=body.strip(),
                                       internal=True, created_at=now)


@transaction.atomic
def claim_propose(*, claim_id: int, seller_user, kind: str, now: datetime, amount: Decimal | None = None,
                  carrier: str = "", tracking_number: str = "", message: str = "", receipt=(),
                  return_address: str = "", return_postage: str = "") -> Proposal:
    """Record the seller's proposal (replacing a pending one) and tell the buyer."""
    claim = _locked(claim_id)
    _require_role(claim, seller_user, ClaimMessage.Role.SELLER)
    if not claim.is_with_seller:
        raise ClaimActionError(_("Vous ne pouvez plus faire de proposition : la réclamation est « %(status)s ».")
                               % {"status": claim.get_status_display()})
    remainder = payments.refundable_remainder(claim.order)
    if kind in (Proposal.Kind.PARTIAL_REFUND, Proposal.Kind.FULL_REFUND, Proposal.Kind.RETURN_REFUND) and remainder <= 0:
        raise ClaimActionError(_("Cette commande a déjà été remboursée en totalité."))
    if kind == Proposal.Kind.PARTIAL_REFUND:
        _check_amount(amount, remainder)
    elif kind in (Proposal.Kind.FULL_REFUND, Proposal.Kind.RETURN_REFUND):
        amount = remainder
    elif kind == Proposal.Kind.SHIPMENT_PROOF:
        if claim.reason != Claim.Reason.NOT_RECEIVED:
            raise ClaimActionError(_("La preuve d'expédition ne concerne que les colis non reçus."))
        if not carrier.strip() or not tracking_number.strip():
            raise ClaimActionError(_("Indiquez le transporteur et le numéro de suivi."))
        amount = None
    elif kind == Proposal.Kind.EXCHANGE:
        amount = None
    else:
        raise ClaimActionError(_("Proposition inconnue."))
    if kind in (Proposal.Kind.RETURN_REFUND, Proposal.Kind.EXCHANGE):
        return_address = (return_address or "").strip() or claim.seller.return_address.strip()
        if not return_address:
            raise ClaimActionError(_("Indiquez l'adresse à laquelle l'acheteur doit renvoyer l'article."))
        if len(return_address) > 500:
            raise ClaimActionError(_("L'adresse de retour est trop longue (500 caractères au plus)."))
        # The page always asks; a caller that does not say means the seller pays, as for a faulty item.
        return_postage = return_postage or "seller"
        if return_postage not in ("seller", "buyer"):
            raise ClaimActionError(_("Indiquez qui paie les frais de retour."))
        if return_address != claim.seller.return_address:
            # The address is kept on the seller's profile for their next returns.
            SellerProfile.objects.filter(pk=claim.seller_id).update(return_address=return_address)
    else:
        return_address, return_postage = "", ""
    claim.proposals.filter(status=Proposal.Status.PENDING).update(status=Proposal.Status.SUPERSEDED, answered_at=now)
    proposal = Proposal.objects.create(
        claim=claim, kind=kind, amount=amount, carrier=carrier.strip(), tracking_number=tracking_number.strip(),
        message=message.strip(), created_by=seller_user, created_at=now, return_address=return_address,
        return_postage=return_postage,
    )
    save_attachments(claim=claim, files=receipt, uploaded_by=seller_user, proposal=proposal)
    _seller_answered(claim, now)
    _event(claim, ClaimEvent.Kind.PROPOSAL, now=now, actor=seller_user, detail=Proposal.Kind(proposal.kind).label)
    notify(recipients=[claim.buyer], kind=Notification.Kind.PROPOSAL, claim=claim, now=now)
    return proposal


def _check_amount(amount: Decimal | None, remainder: Decimal) -> None:
    """A refund amount above 0 and within what remains to refund on the order (after earlier refunds)."""
    if amount is None or amount <= 0 or amount > remainder:
        raise ClaimActionError(_("Le montant doit être supérieur à 0 et au plus %(total)s, ce qui reste à "
                                 "rembourser sur la commande.") % {"total": money(remainder)})


def _create_refund(claim: Claim, *, amount: Decimal, destination: str | None, now: datetime) -> Refund:
    """The refund an act decides, in the act's own transaction; a refused refund undoes the act."""
    destination = destination or payments.default_destination(claim.order, amount)
    try:
        return payments.refund_create(order=claim.order, claim=claim, amount=amount, destination=destination, now=now)
    except payments.RefundError as error:
        raise ClaimActionError(error.message) from None


REFUND_PROPOSALS = (Proposal.Kind.PARTIAL_REFUND, Proposal.Kind.FULL_REFUND)


def _pending_proposal(claim: Claim, proposal_id: int) -> Proposal:
    proposal = claim.proposals.select_for_update().filter(pk=proposal_id).first()
    if proposal is None:
        raise ClaimActionError(_("Cette proposition n'existe pas."))
    if not proposal.is_pending:
        raise ClaimActionError(_("Cette proposition n'attend plus de réponse (« %(status)s »).")
                               % {"status": proposal.get_status_display()})
    return proposal


@transaction.atomic
def claim_accept(*, claim_id: int, proposal_id: int, buyer, now: datetime, refund_to: str | None = None) -> Claim:
    """The buyer accepts the seller's proposal: the claim is settled (a refund made) and both parties are told.

    `refund_to` is where a refund goes (card or porte-monnaie) when both are possible; by default the card.
    """
    claim = _locked(claim_id)
    _require_role(claim, buyer, ClaimMessage.Role.BUYER)
    if not claim.is_with_seller:
        raise ClaimActionError(_("Cette action n'est plus possible : la réclamation est « %(status)s ».")
                               % {"status": claim.get_status_display()})
    proposal = _pending_proposal(claim, proposal_id)
    if refund_to is not None and refund_to not in Refund.Destination.values:
        raise ClaimActionError(_("Choisissez où recevoir le remboursement."))
    if proposal.needs_return:
        if refund_to and proposal.amount and refund_to not in payments.refund_destinations(claim.order, proposal.amount):
            raise ClaimActionError(_("Ce remboursement ne peut pas être fait sur ce moyen de paiement."))
        _move(claim, Status.RETURNING)
    else:
        _move(claim, Status.SETTLED, closed_at=now)
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.ACCEPTED, answered_at=now)
    _event(claim, ClaimEvent.Kind.ACCEPTED, now=now, actor=buyer, detail=Proposal.Kind(proposal.kind).label)
    if proposal.kind in REFUND_PROPOSALS:
        _create_refund(claim, amount=proposal.amount, destination=refund_to, now=now)
    elif proposal.needs_return:
        return_open(claim=claim, proposal=proposal, refund_to=refund_to, now=now)
    notify(recipients=parties(claim), kind=Notification.Kind.ACCEPTED, claim=claim, now=now)
    return claim


def return_open(*, claim: Claim, proposal: Proposal, refund_to: str | None, now: datetime) -> Return:
    """The return that an accepted return or exchange proposal starts (inside claim_accept; the rest: returns.py)."""
    ship_by = business_deadline(now, settings.CLAIM_RETURN_SHIP_BUSINESS_DAYS)
    item_return = Return.objects.create(
        claim=claim, proposal=proposal, address=proposal.return_address, postage=proposal.return_postage,
        refund_to=refund_to or "", ship_by=ship_by, reminder_at=reminder_time(ship_by),
    )
    _event(claim, ClaimEvent.Kind.RETURN_STARTED, now=now, automatic=True)
    notify(recipients=[claim.buyer], kind=Notification.Kind.RETURN_STARTED, claim=claim, now=now)
    return item_return


@transaction.atomic
def claim_decline(*, claim_id: int, proposal_id: int, buyer, now: datetime, reason: str = "") -> Proposal:
    """The buyer declines the proposal; the claim stays with the seller and the clock keeps running."""
    claim = _locked(claim_id)
    _require_role(claim, buyer, ClaimMessage.Role.BUYER)
    if not claim.is_with_seller:
        raise ClaimActionError(_("Cette action n'est plus possible : la réclamation est « %(status)s ».")
                               % {"status": claim.get_status_display()})
    proposal = _pending_proposal(claim, proposal_id)
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.DECLINED, answered_at=now)
    proposal.status = Proposal.Status.DECLINED
    _event(claim, ClaimEvent.Kind.DECLINED, now=now, actor=buyer, detail=reason.strip())
    notify(recipients=[claim.seller.user], kind=Notification.Kind.DECLINED, claim=claim, now=now)
    return proposal


@transaction.atomic
def claim_withdraw(*, claim_id: int, buyer, reason: str, now: datetime) -> Claim:
    """The buyer cancels the claim (an arrangement was found, or the problem is solved)."""
    claim = _locked(claim_id)
    _require_role(claim, buyer, ClaimMessage.Role.BUYER)
    if reason not in Claim.WithdrawReason.values:
        raise ClaimActionError(_("Choisissez la raison de l'annulation."))
    _move(claim, Status.WITHDRAWN, closed_at=now, withdraw_reason=reason)
    _lapse_pending_proposals(claim, now)
    _event(claim, ClaimEvent.Kind.WITHDRAWN, now=now, actor=buyer, detail=Claim.WithdrawReason(reason).label)
    notify(recipients=parties(claim), kind=Notification.Kind.WITHDRAWN, claim=claim, now=now)
    return claim


@transaction.atomic
def claim_request_extension(*, claim_id: int, seller_user, now: datetime) -> Claim:
    """Under the guarantee, a "not received" claim's seller may once extend the deadline to 7 business days."""
    claim = _locked(claim_id)
    _require_role(claim, seller_user, ClaimMessage.Role.SELLER)
    if not claim.may_extend:
        raise ClaimActionError(_("Un délai supplémentaire n'est possible qu'une fois, pour un colis non reçu sous "
                                 "garantie Rakuten, tant que la réclamation est avec le vendeur."))
    if now > claim.seller_deadline:
        raise ClaimActionError(_("La date limite est dépassée : le délai ne peut plus être prolongé."))
    deadline = business_deadline(claim.opened_at, settings.CLAIM_EXTENDED_BUSINESS_DAYS)
    changed = Claim.objects.filter(pk=claim.pk, status=Status.WITH_SELLER, extension_requested_at__isnull=True).update(
        seller_deadline=deadline, reminder_at=reminder_time(deadline), reminded_at=None, extension_requested_at=now,
    )
    if not changed:
        raise ClaimActionError(_("La réclamation a changé entre-temps. Rechargez la page."))
    claim.seller_deadline, claim.extension_requested_at = deadline, now
    _event(claim, ClaimEvent.Kind.EXTENDED, now=now, actor=seller_user)
    notify(recipients=[claim.buyer], kind=Notification.Kind.EXTENDED, claim=claim, now=now)
    return claim


def claim_take_over(*, claim_id: int, now: datetime) -> bool:
    """Hand an overdue claim to support. False if another actor got there first."""
    with transaction.atomic():
        changed = Claim.objects.filter(pk=claim_id, status=Status.WITH_SELLER, seller_deadline__lt=now).update(
            status=Status.WITH_SUPPORT, taken_over_at=now
        )
        if not changed:
            return False
        claim = Claim.objects.select_related("buyer", "seller__user").get(pk=claim_id)
        proposal_kinds = set(claim.proposals.values_list("kind", flat=True))
        _lapse_pending_proposals(claim, now)
        _event(claim, ClaimEvent.Kind.TAKEN_OVER, now=now, automatic=True, detail=takeover_detail(
            reason=claim.reason, has_guarantee=claim.has_guarantee, proposal_kinds=proposal_kinds))
        notify(recipients=parties(claim), kind=Notification.Kind.TAKEN_OVER, claim=claim, now=now)
    return True


def claim_remind(*, claim_id: int, now: datetime) -> bool:
    """Remind the seller once that the deadline is one business day away. False if already done or moot."""
    with transaction.atomic():
        changed = Claim.objects.filter(
            pk=claim_id, status=Status.WITH_SELLER, reminded_at__isnull=True, reminder_at__lte=now, seller_deadline__gte=now,
        ).update(reminded_at=now)
        if not changed:
            return False
        claim = Claim.objects.select_related("seller__user").get(pk=claim_id)
        _event(claim, ClaimEvent.Kind.REMINDED, now=now, automatic=True)
        notify(recipients=[claim.seller.user], kind=Notification.Kind.REMINDER, claim=claim, now=now)
    return True


def takeover_detail(*, reason: str, has_guarantee: bool, proposal_kinds=frozenset()) -> str:
    """Why support takes the claim over, in words both parties read on the timeline."""
    if has_guarantee and reason == Claim.Reason.NOT_RECEIVED and Proposal.Kind.SHIPMENT_PROOF not in proposal_kinds:
        return _("Le vendeur n'a pas fourni de preuve d'expédition dans le délai de la garantie Rakuten.")
    if has_guarantee and reason in (Claim.Reason.DAMAGED, Claim.Reason.DIFFERENT) and not (
        set(proposal_kinds) - {Proposal.Kind.SHIPMENT_PROOF}
    ):
        return _("Le vendeur n'a proposé ni échange ni remboursement dans le délai de la garantie Rakuten.")
    return _("Aucun accord n'a été trouvé avant la date limite du vendeur.")


@transaction.atomic
def claim_assign(*, claim_id: int, agent, now: datetime) -> Claim:
    """An agent takes a claim that support has taken over."""
    claim = _locked(claim_id)
    if not is_agent(agent):
        raise ClaimActionError(_("Seuls les conseillers peuvent prendre un dossier."))
    if not claim.is_with_support:
        raise ClaimActionError(_("Seul un dossier pris en charge par le service client peut être attribué."))
    Claim.objects.filter(pk=claim.pk).update(assigned_to=agent)
    claim.assigned_to = agent
    _event(claim, ClaimEvent.Kind.ASSIGNED, now=now, actor=agent)
    return claim


@transaction.atomic
def claim_decide(*, claim_id: int, agent, decision: str, reason: str, now: datetime,
                 amount: Decimal | None = None, refund_to: str | None = None) -> Claim:
    """An agent decides the outcome with a written reason; both parties are told."""
    claim = _locked(claim_id)
    if not is_agent(agent):
        raise ClaimActionError(_("Seuls les conseillers peuvent décider."))
    if decision not in Claim.Decision.values:
        raise ClaimActionError(_("Choisissez une décision."))
    if not reason.strip():
        raise ClaimActionError(_("Écrivez le motif de la décision : les deux parties le liront."))
    remainder = payments.refundable_remainder(claim.order)
    if decision == Claim.Decision.REFUND_PARTIAL:
        _check_amount(amount, remainder)
    elif decision == Claim.Decision.REFUND_FULL:
        if remainder <= 0:
            raise ClaimActionError(_("Cette commande a déjà été remboursée en totalité."))
        amount = remainder
    else:
        amount = None
    _move(claim, Status.DECIDED, closed_at=now, decision=decision, decision_amount=amount,
          decision_reason=reason.strip(), assigned_to=claim.assigned_to or agent)
    if claim.is_appealed:
        Appeal.objects.filter(claim=claim, decided_at__isnull=True).update(decided_at=now)
    _event(claim, ClaimEvent.Kind.APPEAL_DECIDED if claim.is_appealed else ClaimEvent.Kind.DECIDED, now=now,
           actor=agent, detail=Claim.Decision(decision).label)
    if amount is not None:
        # An agent's refund goes back to the original payment method when it can, else to the porte-monnaie.
        _create_refund(claim, amount=amount, destination=refund_to, now=now)
    notify(recipients=parties(claim), kind=Notification.Kind.DECIDED, claim=claim, now=now)
    return claim
