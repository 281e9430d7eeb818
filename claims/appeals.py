"""Support stepping in before or after the deadline: the buyer asks for it, the seller refuses, a party appeals.

Acts of the claim's life beside claims/domain.py (same shape: lock, check actor and status, change, event,
notify on commit). The automatic takeover at the seller's deadline stays in domain.py and the sweep.
"""
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .domain import (
    ClaimActionError,
    Status,
    _event,
    _lapse_pending_proposals,
    _locked,
    _move,
    _require_role,
    parties,
    save_attachments,
)
from .models import Appeal, Claim, ClaimEvent, ClaimMessage, Notification, Proposal
from .notifications import notify

REASON_MAX = 5000


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ClaimActionError(message)
    if len(reason) > REASON_MAX:
        raise ClaimActionError(_("Le motif est trop long (%(max)s caractères au plus).") % {"max": REASON_MAX})
    return reason


def may_ask_support(claim: Claim, proposals=None) -> bool:
    """The buyer may call support early once they refused a proposal of the seller's, while the claim is with them.

    `proposals`: all the claim's proposals when the caller has them already (the claim page), else one query.
    """
    if not claim.is_with_seller:
        return False
    if proposals is not None:
        return any(proposal.status == Proposal.Status.DECLINED for proposal in proposals)
    return claim.proposals.filter(status=Proposal.Status.DECLINED).exists()


@transaction.atomic
def claim_ask_support(*, claim_id: int, buyer, reason: str, now: datetime) -> Claim:
    """The buyer, after refusing the seller's proposal, asks support to step in now rather than at the deadline."""
    claim = _locked(claim_id)
    _require_role(claim, buyer, ClaimMessage.Role.BUYER)
    if not claim.is_with_seller:
        raise ClaimActionError(_("Cette action n'est plus possible : la réclamation est « %(status)s ».")
                               % {"status": claim.get_status_display()})
    if not may_ask_support(claim):
        raise ClaimActionError(_("Vous pourrez demander l'intervention du service client après avoir refusé une "
                                 "proposition du vendeur, ou à la date limite du vendeur."))
    reason = _reason(reason, _("Dites pourquoi vous demandez l'intervention du service client."))
    _move(claim, Status.WITH_SUPPORT, taken_over_at=now, support_requested_at=now)
    _lapse_pending_proposals(claim, now)
    _event(claim, ClaimEvent.Kind.SUPPORT_ASKED, now=now, actor=buyer, detail=reason)
    notify(recipients=parties(claim), kind=Notification.Kind.SUPPORT_ASKED, claim=claim, now=now)
    return claim


@transaction.atomic
def claim_seller_refuse(*, claim_id: int, seller_user, reason: str, now: datetime) -> Claim:
    """The seller refuses the claim outright, with a reason: support takes it over at once."""
    claim = _locked(claim_id)
    _require_role(claim, seller_user, ClaimMessage.Role.SELLER)
    if not claim.is_with_seller:
        raise ClaimActionError(_("Cette action n'est plus possible : la réclamation est « %(status)s ».")
                               % {"status": claim.get_status_display()})
    reason = _reason(reason, _("Dites pourquoi vous refusez la réclamation : l'acheteur et le service client le "
                               "liront."))
    _move(claim, Status.WITH_SUPPORT, taken_over_at=now, seller_refused_at=now)
    _lapse_pending_proposals(claim, now)
    _event(claim, ClaimEvent.Kind.SELLER_REFUSED, now=now, actor=seller_user, detail=reason)
    notify(recipients=parties(claim), kind=Notification.Kind.SELLER_REFUSED, claim=claim, now=now)
    return claim


def appeal_deadline(claim: Claim) -> datetime | None:
    """The last instant a decision may be appealed: the appeal window's days after it was made."""
    if not claim.is_decided or claim.closed_at is None:
        return None
    return claim.closed_at + timedelta(days=settings.CLAIM_APPEAL_DAYS)


def may_appeal(claim: Claim, now: datetime) -> bool:
    """A decided claim not appealed yet, within the window."""
    deadline = appeal_deadline(claim)
    return deadline is not None and not claim.is_appealed and now <= deadline


@transaction.atomic
def claim_appeal(*, claim_id: int, user, reason: str, now: datetime, attachments=()) -> Appeal:
    """The buyer or the seller contests the agent's decision, once, within the window; the claim goes back to support."""
    claim = _locked(claim_id)
    role = _require_role(claim, user, ClaimMessage.Role.BUYER, ClaimMessage.Role.SELLER)
    if claim.is_appealed:
        raise ClaimActionError(_("Cette décision a déjà été contestée : la nouvelle décision est définitive."))
    if not claim.is_decided:
        raise ClaimActionError(_("Seule une décision du service client peut être contestée."))
    deadline = appeal_deadline(claim)
    if now > deadline:
        raise ClaimActionError(_("Le délai de contestation de %(days)s jours est dépassé depuis le %(date)s.") % {
            "days": settings.CLAIM_APPEAL_DAYS,
            "date": formats.date_format(timezone.localtime(deadline), "DATE_FORMAT")})
    reason = _reason(reason, _("Expliquez pourquoi vous contestez la décision."))
    appeal = Appeal(claim=claim, author=user, role=role, reason=reason, created_at=now,
                    first_decision=claim.decision, first_decision_amount=claim.decision_amount,
                    first_decision_reason=claim.decision_reason, first_decided_at=claim.closed_at,
                    first_agent=claim.assigned_to)
    try:
        with transaction.atomic():
            _move(claim, Status.WITH_SUPPORT, decision="", decision_amount=None, decision_reason="", closed_at=None,
                  assigned_to=None, appealed_at=now)
            appeal.save()
    except IntegrityError:
        # Another claim was opened on the order since: it must end first (one open claim per order).
        raise ClaimActionError(_("Une autre réclamation est en cours sur cette commande : contactez le service "
                                 "client.")) from None
    message = ClaimMessage.objects.create(claim=claim, author=user, role=role, created_at=now,
                                          body=_("Contestation de la décision : %(reason)s") % {"reason": reason})
    save_attachments(claim=claim, files=attachments, uploaded_by=user, message=message)
    _event(claim, ClaimEvent.Kind.APPEALED, now=now, actor=user, detail=reason)
    notify(recipients=parties(claim), kind=Notification.Kind.APPEALED, claim=claim, now=now)
    return appeal
